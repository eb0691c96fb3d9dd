#!/usr/bin/env python3
"""附件12 《粉尘涉爆等安全专项整治三年行动实施方案》 (seed 001) → plan.json of the dust-explosion plugin.

    python3 extract.py [--seed PATH]           write plan.json next to this script
    python3 extract.py --check [--seed PATH]   exit 1 if plan.json differs from what would be written

The seed is read from ../../../../shared/seeds/001_a1dd519a45aa6056.txt relative to this script (the place it has
once the folder lives at /work/main/plugins/dust-explosion/content/); --seed overrides that.
Derived from the seed: title, goals, tasks (labels, sections, text, roles text, roles, deadlines, first line).
Hand-curated below: targets (each with line + exact quote), source notes, units, role decisions, expected deadlines.
forms.json (hand-written) is read only to assert that every target's inputs are fields of its form.
Standard library only; output is deterministic (json, ensure_ascii=False, indent=1, trailing newline).
"""
# ============================================================ generic part
# (plugins/tools/seed001.py, shared by non-coal-mines / hazardous-waste / dust-explosion)
import os
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
            'phases': [], 'tasks': tasks, 'targets': targets(), 'notes': NOTES, 'units': UNITS}
    role_units = validate(plan, start, end)
    for u in ('各镇人民政府、街道办事处', '麒麟工业园区管委会', '生态环境局麒麟分局', '区供电局', '区发改局', '区发改委'):
        assert u in role_units, u
    return plan


if __name__ == '__main__':
    main(build)
