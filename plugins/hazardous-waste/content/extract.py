#!/usr/bin/env python3
"""附件11 《危险废物安全专项整治三年行动实施方案》 (seed 001) → plan.json of the hazardous-waste plugin.

    python3 extract.py [--seed PATH]           write plan.json next to this script
    python3 extract.py --check [--seed PATH]   exit 1 if plan.json differs from what would be written

The seed is read from ../../../../shared/seeds/001_a1dd519a45aa6056.txt relative to this script (the place it has
once the folder lives at /work/main/plugins/hazardous-waste/content/); --seed overrides that.
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


# ============================================================ 附件11 危险废物
CODE, NEXT = '附件11', '附件12'
# 附件11's sections are its tasks ("(一)标题。正文"); their titles are the headings, nothing to override
TITLES = {}
SPLIT_JI = set()
EXPECTED_LABELS = ['(一)', '(二)', '(三)', '(四)']
EXPECTED_DEADLINES = {}

Y3 = [(2020, 0), (2021, 0), (2022, 0)]
END = '“通过三年整治”（第701行）：按三年行动末（2022年）核查'
NO_DATE = '原文未写年份或期限，按三年行动末（2022年）设检查点（推定）'
E, AR, S, U, FAC, C = 'hw-enterprise', 'hw-annual-return', 'hw-storage', 'hw-unknown-waste', 'hw-facility', 'hw-complaint'


def targets():
    return [
        T('disposal-utilization-rate', '危险废物处置利用率', '%', 'reach', [(2022, 100)], 702, '危险废物处置利用率达100%',
          form=AR, inputs=['return_year', 'stock_prev_t', 'generated_t', 'utilized_t', 'disposed_t'],
          note=END + '；按2022年度数据计算，分母含上年末贮存量（口径见rules.md）'),
        T('unknown-waste-identification-rate', '企业产生的属性不明固体废物鉴别鉴定率', '%', 'reach', [(2022, 100)], 703,
          '企业产生的属性不明固体废物鉴别鉴定率100%',
          form=U, inputs=['found_date', 'identified_date'],
          also=[{'line': 708, 'quote': '对属性不明的固体废物,按照《固体废物鉴别标准通则GB34330—2017)系列标准进行鉴别'}],
          note=END),
        T('facility-risk-assessment-rate', '重点环保设施和项目安全风险评估论证率', '%', 'reach', [(2022, 100)], 703,
          '重点环保设施和项目安全风险评估论证率100%',
          form=FAC, inputs=['registered_date', 'assessed_date'],
          also=[{'line': 714, 'quote': '组织开展企业重点环保设施和项目全面摸排,建立台账'},
                {'line': 714, 'quote': '督促企业自行或委托第三方开展环境安全隐患评估'}],
          note=END + '；分母为台账内全部重点环保设施和项目'),
        T('storage-over-one-year', '贮存期限超过一年的危险废物批次', '批', 'zero', Y3, 708, '危险废物贮存期限不得超过一年',
          form=S, inputs=['storage_start', 'removed_date'], task='(二)',
          note='常设限制，逐年计当年内处于超期状态的批次；“一年”按周年对应日计算，对应日的次日起为超期（见rules.md）'),
        T('mixed-storage', '混入非危险废物中贮存的危险废物批次', '批', 'zero', Y3, 708, '严禁将危险废物混入非危险废物中贮存',
          form=S, inputs=['mixed_with_general', 'storage_start', 'removed_date'], task='(二)',
          note='常设禁令，逐年计当年内曾处于贮存状态且混入非危险废物贮存的批次'),
        T('enterprise-screening', '涉危险废物企业（含产废单位和经营单位）排查覆盖率', '%', 'full_coverage', [(2022, 100)], 706,
          '对全区涉危险废物企业(含产废单位和经营单位)开展排查',
          form=E, inputs=['handler_type', 'screened_date'], task='(二)', note=NO_DATE),
        T('production-disposal-survey', '危险废物产生及利用处置情况调查覆盖率', '%', 'full_coverage', [(2022, 100)], 705,
          '开展全区各类危险废物产生及利用处置情况调查',
          form=E, inputs=['handler_type', 'surveyed_date'], task='(一)',
          also=[{'line': 705, 'quote': '检查、指导危险废物产生单位开展危险废物申报'}],
          note=NO_DATE + '；以企业台账已填写产生及利用处置情况调查日期计为已调查'),
        T('complaints-verified', '涉固体废物(危险废物)举报线索排查核实率', '%', 'full_coverage',
          [(2020, 100), (2021, 100), (2022, 100)], 711, '举报线索逐一排查核实',
          form=C, inputs=['received_date', 'verified_date', 'replied_date'], task='(三)',
          also=[{'line': 711, 'quote': '做到“事事有着落,件件有回音”'}],
          note='常设要求，逐年计当年受理的线索；核实且已回复方计为完成'),
    ]


NOTES = [
    {'lines': [705, 708, 709, 710, 711, 712, 713, 714, 715],
     'text': '责任标注的顺序和用词不一：(一)只有“牵头单位:区生态环境局,各有关部门按职责分工配合”；(二)(三)(四)先写“责任单位:各镇、街道”，再写“牵头部门”，(二)(三)另写“区级责任部门”。',
     'tasks': ['(一)', '(二)', '(三)', '(四)']},
    {'lines': [705, 709, 712, 715],
     'text': '同一牵头部门两种写法：(三)作“生态环境局”，(一)(二)(四)作“区生态环境局”。',
     'tasks': ['(三)']},
    {'lines': [705],
     'text': '(一)标题作“调查评估危险废物废物利用处置能力”，“废物”二字重复。',
     'tasks': ['(一)']},
    {'lines': [708],
     'text': '第708行“《固体废物鉴别标准通则GB34330—2017)”以书名号开头、以右括号结尾，书名号未闭合。',
     'tasks': ['(二)'], 'targets': ['unknown-waste-identification-rate']},
    {'lines': [703, 714],
     'text': '整治目标（第703行）写“重点环保设施和项目安全风险评估论证率100%”，(四)正文（第714行）写“督促企业自行或委托第三方开展环境安全隐患评估”，两处所称评估用词不同。',
     'tasks': ['(四)'], 'targets': ['facility-risk-assessment-rate']},
    {'lines': [702, 708],
     'text': '整治目标要求“危险废物处置利用率达100%”（第702行），(二)规定“危险废物贮存期限不得超过一年”（第708行）；年末仍在一年贮存期内、尚未利用处置的危险废物是否使处置利用率低于100%，原文未说明。',
     'targets': ['disposal-utilization-rate', 'storage-over-one-year']},
]

UNITS = [
    {'name': '各镇、街道', 'kind': 'local', 'aliases': []},
    {'name': '曲靖生态环境局麒麟分局', 'kind': 'agency', 'aliases': ['区生态环境局', '生态环境局']},
    {'name': '曲靖市公安局麒麟分局', 'kind': 'agency', 'aliases': ['市公安局麒麟分局']},
]


# ============================================================ hazards (隐患类别与判定条目)
# Hand-curated (notes.md, 隐患类别与判定条目): each category (id, name, standard, line) and its clauses
# (line, exact text, major), in seed order. hazards() asserts that every clause text is a verbatim substring of its
# seed line, trimmed (no list marker, no trailing punctuation, at most 120 characters), ids are unique kebab-case,
# 2–8 categories of 2–15 clauses, a standard is a 《》 title on the category's line, and `major` is set exactly where
# the seed calls the item a 重大…隐患: the clause's own words say so, or it is an item of a sentence listed in
# MAJOR_SENTENCES (a sentence that presents its items as 重大事故隐患); a clause whose words name a 重大…隐患 is major.
from hazards import checked  # noqa: E402 (plugins/tools/hazards.py)

# L708 prints the title it cites with an opening 《 and a closing ")" (plan note 4): kept exactly as printed
STD_708 = '《固体废物鉴别标准通则GB34330—2017)'
UNCLOSED_STANDARDS = {STD_708}
MAJOR_SENTENCES = {}   # 附件11 calls nothing a 重大…隐患
HAZARDS = [
    # (二) 产废单位和经营单位: the 制度 they must 严格执行 (L706)
    ('management-duties', '危险废物管理主体责任', None, 706, [
        (706, '危险废物申报登记', False),
        (706, '收集贮存及转移台账', False),
        (706, '管理计划', False),
        (706, '应急预案', False),
        (706, '信息公开', False),
    ]),
    # (二): collection, storage, transfer and disposal (L707) and the storage prohibitions (L708)
    ('collection-storage-disposal', '危险废物收集贮存和利用处置', None, 707, [
        (707, '危险废物分类收集', False),
        (707, '按特性分类分区贮存', False),
        (707, '依法委托或自行利用处置', False),
        (707, '需转移(委托)处置危险废物的,企业应严格按照危险废物有关转移及运输管理的有关法规标准执行', False),
        (708, '危险废物贮存期限不得超过一年', False),
        (708, '将危险废物混入非危险废物中贮存', False),
    ]),
    # (二): solid waste of unknown nature, under the 鉴别标准 L708 cites for it
    ('unidentified-solid-waste', '属性不明的固体废物', STD_708, 708, [
        (708, '属性不明的固体废物,按照《固体废物鉴别标准通则GB34330—2017)系列标准进行鉴别', False),
        (708, '根据鉴别结果严格落实环境安全防范措施', False),
    ]),
    # (三) 打击…环境违法犯罪活动 (L711), with the behaviours the goal (L701) names
    ('illegal-handling', '危险废物环境违法犯罪活动', None, 711, [
        (701, '危险废物违规收集、贮存', False),
        (701, '非法处置、倾倒、排放', False),
        (711, '非法收运、转移、倾倒、处置危险废物', False),
    ]),
    # (四) 重点环保设施和项目: the 环境安全隐患评估 and its 防范措施 (L714)
    ('key-environmental-facilities', '重点环保设施和项目', None, 714, [
        (714, '企业自行或委托第三方开展环境安全隐患评估', False),
        (714, '形成问题清单,制定防范措施并组织实施', False),
    ]),
]


def hazards(first_line, last_line):
    """The plan's "hazards" key: HAZARDS checked against the seed lines first_line..last_line."""
    return checked(HAZARDS, first_line, last_line, MAJOR_SENTENCES, UNCLOSED_STANDARDS)


def build():
    start, end = marker(CODE), marker(NEXT) - 1
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
    for u in ('各镇、街道', '区生态环境局', '生态环境局', '市公安局麒麟分局'):
        assert u in role_units, u
    return plan


if __name__ == '__main__':
    main(build)
