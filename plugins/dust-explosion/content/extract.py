#!/usr/bin/env python3
"""附件12 《粉尘涉爆等安全专项整治三年行动实施方案》 (seed 001) → plan.json of the dust-explosion plugin.

    python3 extract.py [--seed PATH]           write plan.json next to this script
    python3 extract.py --check [--seed PATH]   exit 1 if plan.json differs from what would be written

The seed is read from ../../../../shared/seeds/001_a1dd519a45aa6056.txt relative to this script (the place it has
once the folder lives at /work/main/plugins/dust-explosion/content/); --seed overrides that.
Derived from the seed: title, goals, tasks (labels, sections, text, roles text, roles, deadlines, first line).
Hand-curated below: targets (each with line + exact quote), source notes, units, role decisions, expected deadlines.
Hand-curated too: the hazard categories and their clauses (plan key "hazards"; each clause with line + exact text).
forms.json (hand-written) is read only to assert that every target's inputs are fields of its form.
Standard library only; output is deterministic (json, ensure_ascii=False, indent=1, trailing newline).
"""
# ============================================================ generic part
# (plugins/tools/seed001.py, shared by non-coal-mines / hazardous-waste / dust-explosion)
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tools'))
from seed001 import *  # noqa: E402,F403 — L, marker, header, parse_tasks, parse_roles, T, validate, main …

configure(__file__)


# ============================================================ 附件12 粉尘涉爆等
CODE = '附件12'
# 附件12 is the last attachment: its text ends on the last non-blank line before the web page's "推荐访问:"
TAIL = '推荐访问:'
# numbered tasks of 附件12 have no short heading; the title is a verbatim phrase of the first sentence (hand-picked)
TITLES = {
    '(一)1': '继续对粉尘涉爆企业基本情况再排查、再摸底',
    '(一)2': '加强粉尘涉爆企业除尘环保项目源头把关',
    '(一)3': '深入开展尘肺病易发高发行业领域的粉尘危害专项治理工作',
    '(四)1': '整治城市生活垃圾处理场事故隐患',
    '(四)2': '对污水罐等环保设施开展事故隐患排查',
}
SPLIT_JI = set()
EXPECTED_LABELS = ['(一)1', '(一)2', '(一)3', '(二)', '(三)', '(四)1', '(四)2', '(五)']
EXPECTED_DEADLINES = {}

Y3 = [(2020, 0), (2021, 0), (2022, 0)]
NO_DATE = '原文未写年份或期限，按三年行动末（2022年）设检查点（推定）'
D, W = 'dust-enterprise', 'waste-site'


def targets():
    return [
        T('dust-remediation-all', '金属粉尘、煤粉、木粉尘和农副产品粉尘企业整治完成率', '%', 'full_coverage', [(2022, 100)], 721,
          '对所有金属粉尘、煤粉、木粉尘和面粉、淀粉、饲料等农副产品粉尘企业全部进行整治',
          form=D, inputs=['dust_type', 'remediation_done_date'], task='(一)1',
          note=NO_DATE + '；分母为粉尘种类属所列范围（金属粉尘、煤粉、木粉尘、面粉、淀粉、饲料及其他农副产品粉尘）的企业'),
        T('key-enterprise-enforcement', '粉尘作业场所10人及以上重点企业专项执法覆盖率', '%', 'full_coverage', [(2022, 100)], 721,
          '重点以粉尘作业场所10人及以上企业为重点',
          form=D, inputs=['dust_workers', 'enforcement_date'], task='(一)1',
          also=[{'line': 721, 'quote': '开展有针对性的专项执法'}],
          note='原文给出门槛（粉尘作业场所10人及以上为重点企业），未写比例；“以…为重点…开展有针对性的专项执法”读作每家重点企业在三年行动期内至少接受一次专项执法（推定）；' + NO_DATE),
        T('illegal-slag-sites', '未取缔的非法渣土场', '处', 'zero', [(2022, 0)], 732, '取缔非法渣土场',
          form=W, inputs=['site_type', 'is_illegal', 'found_date', 'banned_date'], task='(四)1', note=NO_DATE),
        T('no-work-at-height-in-storms', '雷雨、大风天气高空作业', '起', 'zero', Y3, 738, '杜绝雷雨、大风天气高空作业',
          task='(五)', note='当年检查发现的起数，手工填报（无台账），逐年检查，不累计'),
    ]


NOTES = [
    {'lines': [729, 734],
     'text': '同一部门两种写法：(二)作“区发改局”（第729行），(四)1作“区发改委”（第734行）。',
     'tasks': ['(二)', '(四)1']},
    {'lines': [735, 737],
     'text': '(四)2的责任标注中，“生态环境局麒麟分局”既列为牵头部门，又列在责任部门中。',
     'tasks': ['(四)2']},
    {'lines': [723],
     'text': '(一)2的牵头部门写作“生态环境局麒麟分局、区应急管理局等按职责分工负责”，“等按职责分工负责”在其他标注中用于责任部门。',
     'tasks': ['(一)2']},
    {'lines': [717, 738],
     'text': '整治目标（第717行）只列“桥梁隧道施工等环节”，(五)（第738行）涉及房屋市政、铁路、公路、水利水电等建设工程领域。',
     'tasks': ['(五)']},
    {'lines': [721, 738],
     'text': '第721行“聚集除尘系统防爆、防范点燃源措施、粉尘清理处置等重点环节”和第738行“聚集桥梁隧道、脚手架…等危险性较大的工程”中的“聚集”，按文意应为“聚焦”。',
     'tasks': ['(一)1', '(五)']},
    {'lines': [732],
     'text': '(四)的标题“开展渣土和垃圾填埋、污水处理过程中安全风险 排查治理”中间有一个空格。',
     'tasks': ['(四)1', '(四)2']},
    {'lines': [725],
     'text': '(一)3要求“确保实现治理目标”，附件12未写明该治理目标。',
     'tasks': ['(一)3']},
    {'lines': [727],
     'text': '(二)要求“加大入户检查指导的频次”，未给出现有频次和增加幅度。',
     'tasks': ['(二)']},
]

UNITS = [
    {'name': '各镇人民政府、街道办事处', 'kind': 'local', 'aliases': []},
    {'name': '麒麟工业园区管委会', 'kind': 'agency', 'aliases': []},
    {'name': '曲靖生态环境局麒麟分局', 'kind': 'agency', 'aliases': ['生态环境局麒麟分局']},
    {'name': '区供电局', 'kind': 'company', 'aliases': []},
    {'name': '区发改局', 'kind': 'department', 'aliases': ['区发改委']},
]


# ============================================================ hazards (隐患类别与判定条目)
# Hand-curated (notes.md, 隐患类别与判定条目): each category (id, name, standard, line) and its clauses
# (line, exact text, major), in seed order. hazards() asserts that every clause text is a verbatim substring of its
# seed line, trimmed (no list marker, no trailing punctuation, at most 120 characters), ids are unique kebab-case,
# 2–8 categories of 2–15 clauses, a standard is a 《》 title on the category's line, and `major` is set exactly where
# the seed calls the item a 重大…隐患: the clause's own words say so, or it is an item of a sentence listed in
# MAJOR_SENTENCES (a sentence that presents its items as 重大事故隐患); a clause whose words name a 重大…隐患 is major.
from hazards import checked  # noqa: E402 (plugins/tools/hazards.py)

UNCLOSED_STANDARDS = set()   # 附件12 cites no titled standard
MAJOR_SENTENCES = {}         # the one 重大事故隐患 of 附件12 (L735) is in its clause's own words
HAZARDS = [
    # (一) 粉尘涉爆: the 重点环节 of 1. (L721), the dust-explosion standard of 2. (L723), the 粉尘危害 of 3. (L725)
    ('dust-explosion', '粉尘涉爆', None, 719, [
        (721, '除尘系统防爆', False),
        (721, '防范点燃源措施', False),
        (721, '粉尘清理处置', False),
        (723, '粉尘收集、输送、贮存等环节的环保设施设备符合粉尘防爆安全标准要求', False),
        (725, '尘肺病易发高发行业领域的粉尘危害', False),
    ]),
    # (二) 严格“煤改气”安全风险排查治理
    ('coal-to-gas', '“煤改气”安全风险', None, 727, [
        (727, '“煤改气”工程燃气管道走向、敷设方式和燃气设施设备的布局', False),
        (727, '施工安全管理', False),
        (727, '警示标志和危险告知牌', False),
    ]),
    # (三) 排查洁净型煤炉具…等问题隐患
    ('clean-coal-stoves', '洁净型煤炉具问题隐患', None, 730, [
        (730, '密封不严', False),
        (730, '积灰堵塞', False),
        (730, '排气不畅', False),
        (730, '私自加盖密封盖', False),
    ]),
    # (四)1 渣土和垃圾填埋
    ('landfill-and-spoil', '渣土和垃圾填埋', None, 732, [
        (732, '城市生活垃圾处理场事故隐患', False),
        (732, '垃圾堆体稳定性', False),
        (732, '应急预案可靠性', False),
        (732, '非法渣土场', False),
    ]),
    # (四)2 污水处理: the seed itself calls the tanks' problems 重大事故隐患
    ('sewage-tanks', '污水罐等环保设施', None, 735, [
        (735, '污水罐等环保设施的规划、选址、设计、建造、使用、报废等各环节存在的重大事故隐患', True),
        (735, '污水罐安装稳固性和预防坍塌等安全风险', False),
    ]),
    # (五) 建设工程领域: the behaviours to 严厉打击 / 有效遏制 …
    ('construction-violations', '建设工程领域违法违规行为', None, 738, [
        (738, '违反安全生产法律法规、工程建设强制性标准、规章制度和操作规程的行为', False),
        (738, '转包', False),
        (738, '违法分包', False),
        (738, '挂靠', False),
        (738, '无证上岗', False),
    ]),
    # … and the 危险性较大的工程 to focus on, with 杜绝雷雨、大风天气高空作业
    ('high-risk-works', '危险性较大的工程', None, 738, [
        (738, '桥梁隧道', False),
        (738, '脚手架', False),
        (738, '高支模', False),
        (738, '深基坑', False),
        (738, '起重机械', False),
        (738, '地下暗挖', False),
        (738, '雷雨、大风天气高空作业', False),
    ]),
]


def hazards(first_line, last_line):
    """The plan's "hazards" key: HAZARDS checked against the seed lines first_line..last_line."""
    return checked(HAZARDS, first_line, last_line, MAJOR_SENTENCES, UNCLOSED_STANDARDS)


def build():
    start = marker(CODE)
    tail = [i + 1 for i, s in enumerate(LINES) if s.strip() == TAIL]
    assert len(tail) == 1 and tail[0] > start, tail
    end = tail[0] - 1
    while not L(end).strip():
        end -= 1
    title, goals, first = header(start)
    assert '实施步骤' not in '\n'.join(LINES[start - 1:end]) and '阶段' not in '\n'.join(LINES[start - 1:end]), \
        'the attachment states phases: extract them'
    tasks = []
    for t in parse_tasks(first, end, TITLES):
        dl = deadlines_of(t['text'])
        assert dl == EXPECTED_DEADLINES.get(t['label'], []), (t['label'], dl)
        tasks.append({'label': t['label'], 'section': t['section'], 'title': t['title'], 'text': t['text'],
                      'roles_text': t['roles_text'], 'roles': parse_roles(t['roles_text'], SPLIT_JI),
                      'deadlines': dl, 'phase': None, 'line': t['line']})
    assert [t['label'] for t in tasks] == EXPECTED_LABELS, [t['label'] for t in tasks]
    plan = {'code': CODE, 'title': title, 'goals': goals, 'source': '种子文件001 第%d–%d行' % (start, end),
            'phases': [], 'tasks': tasks, 'targets': targets(), 'notes': NOTES, 'units': UNITS,
            'hazards': hazards(start, end)}
    role_units = validate(plan, start, end)
    for u in ('各镇人民政府、街道办事处', '麒麟工业园区管委会', '生态环境局麒麟分局', '区供电局', '区发改局', '区发改委'):
        assert u in role_units, u
    return plan


if __name__ == '__main__':
    main(build)
