#!/usr/bin/env python3
"""附件11 《危险废物安全专项整治三年行动实施方案》 (seed 001) → plan.json of the hazardous-waste plugin.

    python3 extract.py [--seed PATH]           write plan.json next to this script
    python3 extract.py --check [--seed PATH]   exit 1 if plan.json differs from what would be written

The seed is read from ../../../../shared/seeds/001_a1dd519a45aa6056.txt relative to this script (the place it has
once the folder lives at /work/main/plugins/hazardous-waste/content/); --seed overrides that.
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
            'phases': [], 'tasks': tasks, 'targets': targets(), 'notes': NOTES, 'units': UNITS}
    role_units = validate(plan, start, end)
    for u in ('各镇、街道', '区生态环境局', '生态环境局', '市公安局麒麟分局'):
        assert u in role_units, u
    return plan


if __name__ == '__main__':
    main(build)
