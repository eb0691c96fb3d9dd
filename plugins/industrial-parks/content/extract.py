#!/usr/bin/env python3
"""附件10 《工业园区安全生产专项整治三年行动实施方案》 (seed 001) → plan.json of the industrial-parks plugin.

    python3 extract.py [--seed PATH]           write plan.json next to this script
    python3 extract.py --check [--seed PATH]   exit 1 if plan.json differs from what would be written

The seed is read from ../../../../shared/seeds/001_a1dd519a45aa6056.txt relative to this script; --seed overrides that.
Derived from the seed: title, goals, phases (name, dates and paragraph), tasks (labels, sections, titles, text,
deadlines, first line).
Hand-curated below: the role readings (附件10 has no responsibility annotations), the phase a task belongs to,
targets (each with line + exact quote), source notes, units.
Hand-curated too: the hazard categories and their clauses (plan key "hazards"; each clause with line + exact text).
forms.json (hand-written) is read only to assert that every target's inputs are fields of its form.

附件10 is laid out unlike the attachments seed001.parse_tasks reads (no 二、主要任务和措施, no annotations; three
chapters with tasks: 二、整治主要内容 (一)–(六), 四、组织领导 (二)主要工作 1–4, 五、整治工作保障措施 (一)–(七)), so the
task parser, the deadline pattern and the validation are this script's own; L, marker, T and main come from
plugins/tools/seed001.py. Standard library only; output is deterministic.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tools'))
import seed001  # noqa: E402
from seed001 import L, LINES, T, configure, main, marker  # noqa: E402

configure(__file__)

CODE = '附件10'
TITLE = '工业园区安全生产专项整治三年行动实施方案'

SEC_RE = re.compile(r'^\(([一二三四五六七八九十]+)\)(.*)$')
NUM_RE = re.compile(r'^(\d+)\.(.*)$')
# 附件10 writes "2021 年底前" with a space (L692): the year may be followed by one.
DATE_RE = re.compile(r'(?:到)?\d{4} ?年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底)?(?:前|以前|内)?')

CH2 = '二、整治主要内容'
CH4 = '四、组织领导'
CH4_WORKS = '(二)主要工作'
CH5 = '五、整治工作保障措施'

EXPECTED_LABELS = (['二(%s)' % n for n in '一二三四五六']
                   + ['四(二)%d' % k for k in range(1, 5)]
                   + ['五(%s)' % n for n in '一二三四']
                   + ['五(五)%d' % k for k in range(1, 4)]
                   + ['五(六)%d' % k for k in range(1, 5)]
                   + ['五(七)%d' % k for k in range(1, 4)])
EXPECTED_DEADLINES = {'五(六)1': ['2020年底前'], '五(七)1': ['2021 年底前', '2022年底前']}

# ---------------------------------------------------------------- phases (三、实施步骤, L646–654)
PHASES = [  # name, start, end, line, opening words of the paragraph
    ('组织动员', '2020-05-01', '2020-05-31', 648, '(一)组织动员阶段(2020年5月)。'),
    ('部署实施', '2020-06-01', '2021-12-31', 650, '(二)部署实施阶段(2020年6月-2021年12月)'),
    ('深化推进', '2022-01-01', '2022-06-30', 652, '(三)深化推进阶段(2022年1月-2022年6月)'),
    ('评估提高', '2022-07-01', '2022-12-31', 654, '(四)评估提高阶段(2022年7月-2022年12月)'),
]
# The phase a task belongs to, where the text says so: L648's 组织动员 paragraph is 四(二)2's work
# (制定…工作方案,进一步明确目标任务、细化工作措施,层层分解落实 ↔ 制定方案,细化措施,分解工作任务,落实工作责任).
TASK_PHASE = {'四(二)2': '组织动员'}

# ---------------------------------------------------------------- roles (read from the text, no annotation)
PARK = '园区'
COMMITTEE = '园区管委会'
NO_ANNOT = '附件10无责任标注'


def _r(unit, note, role='responsible'):
    return {'role': role, 'unit': unit, 'note': note}


ROLES = {}
for _n in '一二三四五六':
    ROLES['二(%s)' % _n] = [_r(PARK, NO_ANNOT + '；按第631行“园区主要监管检查以下几方面”')]
for _l in ['四(二)1', '四(二)3', '四(二)4', '五(一)', '五(二)', '五(三)', '五(四)', '五(五)1', '五(五)3',
           '五(六)1']:
    ROLES[_l] = [_r(PARK, NO_ANNOT + '；按正文主语“园区”')]
ROLES['四(二)2'] = [_r(PARK, NO_ANNOT + '；本项正文没有主语，按“主要工作”第1、3、4项的主语“园区”')]
ROLES['五(五)2'] = [_r(PARK, NO_ANNOT + '；正文主语为“园区入园企业”（一类企业，不是单位），按本方案由园区组织落实')]
for _l in ['五(六)3', '五(六)4', '五(七)2', '五(七)3']:
    ROLES[_l] = [_r(COMMITTEE, NO_ANNOT + '；按正文主语“园区管委会”')]
ROLES['五(六)3'][0]['note'] += '；“由职能部门依法予以关闭”的“职能部门”是一类部门，不列为单位'
ROLES['五(六)2'] = [_r(COMMITTEE, NO_ANNOT + '；按正文主语“园区管委会”（督促指导入园企业）'),
                   _r('园区所在地人民政府', NO_ANNOT + '；正文“园区所在地人民政府要建立…公共设施事故隐患排查治理机制”')]
ROLES['五(七)1'] = [_r('化工园区所在园区管委会', NO_ANNOT + '；按正文主语“化工园区所在园区管委会”')]

UNITS = [
    {'name': '麒麟工业园区管委会', 'kind': 'agency',
     'aliases': [{'name': '园区', 'line': 627}, {'name': '园区管委会', 'line': 658},
                 {'name': '化工园区所在园区管委会', 'line': 692}]},
    {'name': '园区所在地人民政府', 'kind': 'local', 'aliases': []},
    {'name': '安全生产专项三年整治行动工作领导小组', 'kind': 'office',
     'aliases': [{'name': '园区安全生产专项整治领导小组', 'line': 668}]},
    {'name': '园区管委会产业发展办公室', 'kind': 'office', 'aliases': [{'name': '园区产业发展办公室', 'line': 660}]},
]

# ---------------------------------------------------------------- targets (by hand)
PE, SS, PR, MH = 'park-enterprise', 'small-scattered', 'park-risk', 'major-hazard'
Y3 = [(2020, 0), (2021, 0), (2022, 0)]
NO_DATE = '原文未写年份或期限，按三年行动末（2022年）设检查点（推定）'
D_NOTE = 'D为检查点日期（未到期时为当天）'
PARK_INPUTS = ['first_overall_assessment_date', 'last_overall_assessment_date', 'exit_date']


def targets():
    return [
        T('no-extraordinary-accidents', '园区特别重大事故起数', '起', 'zero', Y3, 629, '杜绝特别重大事故',
          note='总体要求的目标；当年起数，手工填报（无台账），逐年检查，不累计；同句“减少一般事故,控制较大事故,遏制重大事故”和'
               '“力争事故起数、死亡人数、较大事故起数持续下降”没有数值和基数，不设目标（见 notes）'),
        T('enterprise-work-plans', '园区企业制定安全生产综合治理三年行动工作方案', '%', 'full_coverage',
          [(2020, 100, '2020-05-31')], 648,
          '制定园区内各企业领域安全生产综合治理三年行动(含遏制重特大事故)工作方案',
          form=PE, inputs=['entered_date', 'exit_date', 'work_plan_date'],
          note='组织动员阶段(2020年5月)的任务，检查点取阶段末；对应主要工作四(二)2“周密组织,细化方案”；“园区内各企业领域…工作方案”'
               '读作每家园区企业制定（推定，也可读作园区按企业领域制定一份）；分母为D日在园的企业，' + D_NOTE),
        T('campaign-evaluation', '对行动方案实施过程及效果进行评估、总结', '项', 'reach', [(2022, 1, '2022-12-31')], 654,
          '对行动方案实施过程及效果进行评估、总结',
          note='评估提高阶段(2022年7月-2022年12月)的任务，检查点取阶段末；完成评估总结为1，手工填报'),
        T('annual-appraisal', '综合治理三年行动纳入年度考核内容', '次', 'at_least', [(2020, 1), (2021, 1), (2022, 1)], 664,
          '园区将综合治理三年行动纳入年度考核内容', period='yearly', task='四(二)3',
          note='每年的年度考核含综合治理三年行动内容即为1次，手工填报'),
        T('hazchem-relocation', '人口密集区和限制、退出规划区域危险化学品生产企业搬迁完成率', '%', 'full_coverage',
          [(2022, 100)], 632, '全面实施涉及人口密集区和列入限制、退出规划区域的危险化学品生产企业搬迁工作',
          form=PE, inputs=['hazchem', 'hazchem_activity', 'relocation_zone', 'relocation_done_date', 'entered_date'],
          task='二(一)',
          note=NO_DATE + '；分母为涉及危险化学品生产、所在区域为人口密集区或列入限制、退出规划区域、D日前入园的企业（已搬迁退出的仍计入）；'
                         '附件3第99行的目标“城镇人口密集区危险化学品企业关闭退出…任务完成率100%”与此相应；' + D_NOTE),
        T('distance-rectification-plans', '外部安全防护距离不符合要求的企业制定整改方案', '%', 'full_coverage', [(2022, 100)],
          680, '对园区内外部安全防护距离不符合要求的企业,制定整改方案',
          form=PE, inputs=['hazchem', 'distance_ok', 'distance_plan_date', 'entered_date'], task='五(五)2',
          note=NO_DATE + '；分母为涉及危险化学品、外部安全防护距离不符合要求、D日前入园的企业（已退出的仍计入）；' + D_NOTE),
        T('distance-measures-done', '外部安全防护距离不符合要求的企业完成改造、搬迁、退出等措施', '%', 'full_coverage',
          [(2022, 100)], 680, '实施改造、搬迁、退出等措施',
          form=PE, inputs=['hazchem', 'distance_ok', 'distance_done_date', 'entered_date'], task='五(五)2',
          note=NO_DATE + '；“实施…措施”按措施完成计（推定）；分母同“制定整改方案”；' + D_NOTE),
        T('unlicensed-small-scattered', '未取缔的无证无照小散乱企业', '家', 'zero', [(2022, 0)], 644,
          '全面清理取缔无证无照各类小散乱企业',
          form=SS, inputs=['unlicensed', 'found_date', 'closed_date', 'rebound_found_date', 'reclosed_date'],
          task='二(六)',
          note=NO_DATE + '；D日在营的无证无照小散乱企业：D日前发现而未取缔，或取缔后发现反弹（含反弹迹象）而未彻底取缔；' + D_NOTE),
        T('closed-rechecked', '已关停取缔的小散乱企业复查率', '%', 'full_coverage', [(2022, 100)], 644,
          '对近年来已经关停取缔的小散乱企业进行全面复查',
          form=SS, inputs=['closed_date', 'first_recheck_date'], task='二(六)',
          note=NO_DATE + '；分母为D日前已取缔的小散乱企业，分子为取缔后、D日前已复查的；' + D_NOTE),
        T('small-scattered-rebounds', '反弹的小散乱企业', '家', 'zero', Y3, 644, '坚决防止反弹',
          form=SS, inputs=['rebound_found_date'], task='二(六)',
          note='当年1月1日至D日发现反弹（含反弹迹象）的户数，逐年检查，不累计；每户只记最近一次反弹的日期，'
               '同一年内反复反弹的按1户计（次数另记“反弹次数”）；' + D_NOTE),
        T('park-first-overall-assessment', '园区整体性安全风险评估完成率', '%', 'full_coverage',
          [(2020, 100, '2020-12-31')], 684, '2020年底前,园区将完成整体性安全风险评估工作',
          form=PR, inputs=PARK_INPUTS, task='五(六)1',
          note='分母为D日未关闭退出的园区(片区)，分子为D日前完成过整体性安全风险评估的；' + D_NOTE),
        T('park-overall-assessment-5y', '园区整体性安全风险评估在5年内', '%', 'full_coverage', [(2021, 100), (2022, 100)],
          684, '今后每5年至少组织开展一次园区整体性安全风险评估',
          form=PR, inputs=PARK_INPUTS, task='五(六)1',
          note='“每5年至少一次”不是SDK的周期（每旬至每年），按全覆盖建模：D日未关闭退出的园区中，最近一次评估在D日前5年内（含当日）的占比；'
               '“今后”：检查点自2021年起（2020年见上一指标）；附件3第125行对化工园区有同样的“至少每五年”'),
        T('chemical-parks-graded', '化工园区安全风险评估分级完成率', '%', 'full_coverage', [(2022, 100)], 692,
          '全面完成化工园区安全风险评估分级',
          form=PR, inputs=['park_kind', 'grade', 'grade_date', 'grade_end_2021', 'grade_end_2022',
                           'designation_cancelled_date', 'exit_date'],
          task='五(七)1',
          note=NO_DATE + '（A级的后果以2021年底为限，分级实际须在此前完成）；分母为D日仍为化工园区（未取消定位、未关闭退出）的园区，'
                         '分子为D日前评估分级的（当前等级的评估日期不晚于D，或已填D日前年底的等级）；' + D_NOTE),
        T('park-grade-a-exit', '2021年底前仍为A级且未关闭退出的化工园区', '个', 'zero', [(2021, 0, '2021-12-31')], 692,
          '2021 年底前仍为 A 级的要关闭退出',
          form=PR, inputs=['park_kind', 'grade', 'grade_date', 'grade_end_2021', 'exit_date'], task='五(七)1',
          note='2021年12月31日前按当前等级（评估日期不晚于当天）计，此后按“2021年12月31日的安全风险等级”计；关闭退出日期不晚于当天的不计；'
               '附件3第109行同样要求关闭退出，但没有“原则上”和技改提升类项目的例外（见 notes）'),
        T('park-grade-b-designation', '2022年底前仍未达到C级或D级且未取消化工园区定位的化工园区', '个', 'zero',
          [(2022, 0, '2022-12-31')], 693,
          '2022年底前仍未达到 C 级(一般安全风险)或 D 级(较低安全风险)的,取消化工园区定位',
          form=PR, inputs=['park_kind', 'grade', 'grade_date', 'grade_end_2022', 'designation_cancelled_date',
                           'exit_date'],
          task='五(七)1',
          note='按本附件第693行：已取消化工园区定位或已关闭退出的不计；A级和B级都是“未达到C级或D级”；2022年12月31日前按当前等级计，此后按'
               '“2022年12月31日的安全风险等级”计。附件3第110行对同一情形写“关闭退出”：只取消定位而未关闭退出的园区，按附件3仍未完成'
               '（见 notes；附件3插件的 park-grade-b-exit 只按关闭退出计）'),
        T('major-hazards-open', '未消除的重大事故隐患', '项', 'zero', [(2022, 0)], 688, '坚决消除重大事故隐患',
          form=MH, inputs=['found_date', 'rectified_date', 'closed_date'], task='五(六)3',
          note=NO_DATE + '；D日前发现、D日未整改完成且所在企业未依法关闭的重大事故隐患；' + D_NOTE),
    ]


NOTES = [
    {'lines': [110, 693],
     'text': '化工园区评估为B级、到2022年底仍未达到C级或D级的后果，两处说法不同：本附件第693行写“取消化工园区定位”，附件3第110行写'
             '“到2022年底经整改仍未达到C级或D级将关闭退出”。两处都保留：指标“2022年底前仍未达到C级或D级且未取消化工园区定位的化工园区”'
             '按本附件计（取消定位或关闭退出即不计），园区台账的规则判定同时写出两种后果，由安委办裁定适用哪一种。',
     'tasks': ['五(七)1'], 'targets': ['park-grade-b-designation', 'chemical-parks-graded']},
    {'lines': [109, 692],
     'text': 'A级化工园区：两处都要求到2021年底仍为A级的关闭退出，但本附件第692行写“原则上不得批准新、改、扩建危险化学品建设项目'
             '(安全、环保水平技改提升类项目除外)”，附件3第109行写“将不得批准新、改、扩建危险化学品建设项目”，没有“原则上”和例外。',
     'tasks': ['五(七)1'], 'targets': ['park-grade-a-exit']},
    {'lines': [107, 692],
     'text': '第692行的主语是“化工园区所在园区管委会”，本附件没有写麒麟工业园区是否为（或含有）化工园区；附件3第107行要求2020年8月底前'
             '申报化工园区确认。园区台账以“园区类型”中的“化工园区”区分。',
     'tasks': ['五(七)1'], 'targets': ['chemical-parks-graded']},
    {'lines': [104, 678],
     'text': '第678行“制定“禁限控”目录”没有期限；附件3第104行要求“2022年底前结合实际制定并严格落实危险化学品“禁限控”目录”。',
     'tasks': ['五(五)1']},
    {'lines': [629],
     'text': '总体要求“减少一般事故,控制较大事故,遏制重大事故”和“到2022年,力争事故起数、死亡人数、较大事故起数持续下降”没有数值和基数，'
             '不能写成“下降…以上”的指标；只有“杜绝特别重大事故”设为清零指标。',
     'targets': ['no-extraordinary-accidents']},
    {'lines': [642],
     'text': '二(五)标题为“人员密集场所方面”，正文却是宣传发动、举报奖励和“提高施工作业人员的安全意识”，没有写人员密集场所本身的检查内容。',
     'tasks': ['二(五)']},
    {'lines': [632, 636, 638, 676],
     'text': '六个方面在第676行列为“危险化学品方面、特种设备方面、建设施工方面、工业行业方面、人员密集场所方面、小散乱企业整治方面”，'
             '与第632–644行的顺序（工业行业方面在建设工程施工方面之前）和名称（“建设工程施工方面”）不同。',
     'tasks': ['二(三)', '二(四)', '五(四)']},
    {'lines': [656, 668],
     'text': '领导小组两种名称：第656行“安全生产专项三年整治行动工作领导小组”（“经过园区会议研究决定成立”），第668行“园区安全生产专项整治'
             '领导小组”（“并成立了由主要领导任组长的”）；按一个单位处理。',
     'tasks': ['五(一)']},
    {'lines': [627, 648, 662],
     'text': '行动两种名称：“安全生产专项整治三年行动”（第627、656、660行等）和“安全生产综合治理三年行动”（第648、654、662、664、666行；'
             '第648行另有“(含遏制重特大事故)”）；按同一行动处理。',
     'tasks': ['四(二)1', '四(二)3', '四(二)4'], 'targets': ['enterprise-work-plans', 'annual-appraisal']},
    {'lines': [686],
     'text': '五(六)2要求“园区所在地人民政府”建立公共设施事故隐患排查治理机制，这是本方案中唯一落到园区以外单位的工作；原文没有写明是哪一级'
             '人民政府（推定为麒麟区人民政府，未按此合并单位）。',
     'tasks': ['五(六)2']},
    {'lines': [638, 639, 640, 644, 692, 693],
     'text': '字词：第638行“安生产责任制”（缺“全”），第639行“高大模板建筑起重机械”（缺顿号），第640行“隐虑排查”（应为“隐患”），'
             '第644行“园区域内”，第692–693行“2021 年底”“A 级”等数字、字母两侧有空格（期限照原文保留空格）。',
     'tasks': ['二(四)', '二(六)', '五(七)1']},
]


# ---------------------------------------------------------------- tasks
def new_task(label, section, title, line, first_part):
    return {'label': label, 'section': section, 'title': title, 'line': line, 'parts': [first_part]}


def numbered_items(s, prefix, section, line):
    """Numbered items "k.TITLE。…" on one line (L662 holds 1. and 2.), labelled prefix + k."""
    out = []
    for piece in re.split(r' (?=\d+\.)', s):
        m = NUM_RE.match(piece)
        assert m, (line, piece[:20])
        body = m.group(2)
        title = body.split('。', 1)[0]
        assert len(title) <= 30, (line, title)
        out.append(new_task(prefix + m.group(1), section, title, line, body))
    return out


def parse_tasks(start, end):
    tasks = []
    # 二、整治主要内容: (一)…(六), each "(N)X方面:…" one task.
    ch2 = [n for n in range(start, end + 1) if L(n).startswith(CH2 + ' ')]
    assert ch2 == [631], ch2
    n, cur = ch2[0] + 1, None
    while not L(n).startswith('三、'):
        s = L(n)
        if s.strip():
            m = SEC_RE.match(s)
            if m:
                num, rest = m.groups()
                title = rest.split(':', 1)[0]
                assert title.endswith('方面') and len(title) <= 12, (n, title)
                cur = new_task('二(%s)' % num, CH2, title, n, rest)
                tasks.append(cur)
            else:
                cur['parts'].append(s)
        n += 1
    assert L(n) == '三、实施步骤 从2020年5月至2022年12月,分四个阶段进行。', L(n)
    # 四、组织领导: (一)成立领导小组 is the group's roster (not a task); (二)主要工作 1–4.
    ch4 = [k for k in range(start, end + 1) if L(k).startswith(CH4 + ' ')]
    assert len(ch4) == 1 and L(ch4[0]).startswith(CH4 + ' (一)成立领导小组 '), ch4
    works = [k for k in range(start, end + 1) if L(k).startswith(CH4_WORKS + ' ')]
    assert len(works) == 1, works
    section = CH4 + ' ' + CH4_WORKS
    n = works[0]
    tasks.extend(numbered_items(L(n)[len(CH4_WORKS) + 1:], '四(二)', section, n))
    n += 1
    while not L(n).startswith(CH5 + ' '):
        if L(n).strip():
            tasks.extend(numbered_items(L(n), '四(二)', section, n))
        n += 1
    # 五、整治工作保障措施: (一)–(四) one task each; (五)–(七) numbered items.
    cur, secnum = None, None
    for n in range(n, end + 1):
        s = L(n)
        if not s.strip():
            continue
        if s.startswith(CH5 + ' '):
            s = s[len(CH5) + 1:]
        m, t = SEC_RE.match(s), NUM_RE.match(s)
        if m:
            secnum, rest = m.groups()
            k = rest.find(' 1.')
            if k >= 0:
                section = '%s (%s)%s' % (CH5, secnum, rest[:k])
                items = numbered_items(rest[k + 1:], '五(%s)' % secnum, section, n)
            else:
                items = [new_task('五(%s)' % secnum, CH5, rest.split(' ', 1)[0], n, rest)]
        elif t:
            items = numbered_items(s, '五(%s)' % secnum, section, n)
        else:
            cur['parts'].append(s)
            continue
        tasks.extend(items)
        cur = items[-1]
    out = []
    for it in tasks:
        text = '\n'.join(it['parts'])
        out.append({'label': it['label'], 'section': it['section'], 'title': it['title'], 'text': text,
                    'roles_text': None, 'roles': ROLES[it['label']],
                    'deadlines': DATE_RE.findall(text.replace('\n', '')),
                    'phase': TASK_PHASE.get(it['label']), 'line': it['line']})
    return out


def build_phases():
    out = []
    assert L(646) == '三、实施步骤 从2020年5月至2022年12月,分四个阶段进行。'
    for name, start, end, line, opening in PHASES:
        text = L(line)
        assert text.startswith(opening) and name + '阶段' in opening, (name, text[:30])
        assert not L(line + 1).strip(), line
        out.append({'name': name, 'start': start, 'end': end, 'text': text, 'line': line})
    return out


# ---------------------------------------------------------------- validation (own: notes cite 附件3 lines)
def validate(plan, start, end):
    labels = [t['label'] for t in plan['tasks']]
    assert labels == EXPECTED_LABELS, labels
    text_of = {t['label']: t['text'] for t in plan['tasks']}
    for t in plan['tasks']:
        assert t['deadlines'] == EXPECTED_DEADLINES.get(t['label'], []), (t['label'], t['deadlines'])
        for d in t['deadlines']:
            assert d in t['text'], (t['label'], d)
        for part in t['text'].split('\n'):
            assert any(part in L(n) for n in range(t['line'], end + 1)), (t['label'], part[:20])
        scope = t['text'] + (L(631) if t['label'].startswith('二(') else '')
        for r in t['roles']:
            assert r['role'] in ('lead', 'responsible', 'cooperating'), r
            assert r['unit'] in scope, (t['label'], r['unit'])
        assert t['title'] in t['text'], t['label']
        if t['phase']:
            assert t['phase'] in [p['name'] for p in plan['phases']], t['label']
    ids = [t['id'] for t in plan['targets']]
    assert len(set(ids)) == len(ids), ids
    forms = {f['id']: f for f in json.load(open(seed001.FORMS_PATH, encoding='utf-8'))['forms']}
    for t in plan['targets']:
        tid = t['id']
        assert re.fullmatch(r'[a-z0-9]+(-[a-z0-9]+)*', tid), tid
        assert t['comparator'] in seed001.COMPARATORS, tid
        assert start <= t['line'] <= end and t['quote'] in L(t['line']), (tid, t['line'], t['quote'])
        if 'task' in t:
            assert t['task'] in labels and t['quote'] in text_of[t['task']].replace('\n', ''), (tid, t['task'])
        years = [c['year'] for c in t['checkpoints']]
        assert years and years == sorted(set(years)), tid
        c = t['comparator']
        assert ('tolerance' in t) == (c == 'about'), tid
        assert ('baseline' in t) == (c == 'decrease_by'), tid
        for cp in t['checkpoints']:
            assert ('upper' in cp) == (c == 'between'), tid
            if c == 'zero':
                assert cp['value'] == 0, tid
            if c == 'full_coverage':
                assert cp['value'] == 100 and t['unit'] == '%', tid
            if 'due' in cp:
                assert cp['due'][:4] == str(cp['year']), tid
        if 'period' in t:
            assert t['period'] in seed001.PERIODS and c == 'at_least', tid
        assert ('form' in t) == ('inputs' in t), tid
        if 'form' in t:
            fields = {f['name'] for f in forms[t['form']]['fields']}
            assert not [i for i in t['inputs'] if i not in fields], tid
    seed = '\n'.join(LINES)
    text = '\n'.join(LINES[start - 1:end])
    names = []
    for u in plan['units']:
        assert u['name'] in seed, u['name']
        names.append(u['name'])
        for a in u['aliases']:
            assert a['name'] in L(a['line']), (u['name'], a)
            names.append(a['name'])
    assert len(set(names)) == len(names), names
    for r in {r['unit'] for t in plan['tasks'] for r in t['roles']}:
        assert r in names, r
    for note in plan['notes']:
        assert any(start <= n <= end for n in note['lines']), note
        assert all(1 <= n <= len(LINES) for n in note['lines']), note
        for x in note.get('tasks', []):
            assert x in labels, x
        for x in note.get('targets', []):
            assert x in ids, x
    assert '麒麟工业园区管委会' in text


# ============================================================ hazards (隐患类别与判定条目)
# Hand-curated (notes.md, 隐患类别与判定条目): each category (id, name, standard, line) and its clauses
# (line, exact text, major), in seed order. hazards() asserts that every clause text is a verbatim substring of its
# seed line, trimmed (no list marker, no trailing punctuation, at most 120 characters), ids are unique kebab-case,
# 2–8 categories of 2–15 clauses, a standard is a 《》 title on the category's line, and `major` is set exactly where
# the seed calls the item a 重大…隐患: the clause's own words say so, or it is an item of a sentence listed in
# MAJOR_SENTENCES (a sentence that presents its items as 重大事故隐患); a clause whose words name a 重大…隐患 is major.
from hazards import checked  # noqa: E402 (plugins/tools/hazards.py)

STD_692 = '《化工园区安全风险排查治理导则(试行)》'
UNCLOSED_STANDARDS = set()
# 五(六)3 强化重大事故隐患治理 (L688): this sentence presents its 专项治理 items as the 重大事故隐患 to 坚决消除; the next
# sentence (安全生产条件不具备 → 停产停业整顿 → 关闭) does not.
MAJOR_SENTENCES = {
    688: '有针对性的开展涉爆粉尘、液氨制冷、危险化学品等专项治理,实行挂牌督办、限期整改等措施,坚决消除重大事故隐患',
}
HAZARDS = [
    # 二、整治主要内容: "园区主要监管检查以下几方面" (L631), one category per 方面 that names problems to check
    # (二(五) 人员密集场所方面 names only 存在重大安全隐患 besides publicity: no category, notes.md)
    ('hazardous-chemicals', '危险化学品方面', None, 632, [
        (632, '危险化学品全链条安全风险', False),
        (632, '涉及人口密集区和列入限制、退出规划区域的危险化学品生产企业', False),
        (632, '硫化氢等毒害性气体事故', False),
    ]),
    ('special-equipment', '特种设备方面', None, 634, [
        (634, '压力容器的安全风险和隐患', False),
        (634, '中小锅炉', False),
        (634, '起重机械', False),
        (634, '危化品领域特种设备', False),
        (634, '大型起重机械安装监控系统', False),
        (634, '工业管道定期检验', False),
    ]),
    ('industry-fire-safety', '工业行业方面', None, 636, [
        (636, '防火(物理)隔离', False),
        (636, '密闭空间', False),
        (636, '涉爆粉尘', False),
        (636, '安全疏散', False),
        (636, '消防设施器材', False),
        (636, '人员密集场所“三合一”', False),
        (636, '易燃易爆危险品场所', False),
        (636, '劳动密集型企业', False),
        (636, '高层地下建筑', False),
        (636, '城乡结合部居住出租房', False),
    ]),
    ('construction-works', '建设工程施工方面', None, 638, [
        (638, '工程建设各方主体特别是施工企业的安生产责任制的建立和落实情况', False),
        (638, '安全质量标准化工地的建设情况', False),
        (639, '在建工程项目施工现场安全生产隐患排查治理和整改落实情况', False),
        (639, '危险性较大的分部分项工程安全专项施工方案的编制、计算使用软件的情况,以及论证、执行情况', False),
        (640, '违章施工作业', False),
        (640, '事故瞒报、谎报行为', False),
        (640, '企业主要负责人,安全管理人员特种作业人员的持证上岗和工人的安全教育培训以及劳务用工等情况', False),
        (640, '重大事故隐患和重大危险源,落实整改和监控措施情况', True),
    ]),
    ('small-scattered', '小散乱企业整治方面', None, 644, [
        (644, '无证无照各类小散乱企业', False),
        (644, '不完善安全手续', False),
        (644, '取缔不彻底', False),
        (644, '存在反弹迹象或已反弹', False),
        (644, '多次反复、顶风而上的小散乱企业', False),
    ]),
    # 五(六)2 建立事故隐患排查治理长效机制 and 五(六)3 强化重大事故隐患治理
    ('accident-hazards', '事故隐患排查治理', None, 686, [
        (686, '生产装置、生产工艺、设备管线等方面的泄漏爆炸风险隐患', False),
        (686, '公共设施事故隐患', False),
        (688, '涉爆粉尘', True),
        (688, '液氨制冷', True),
        (688, '危险化学品', True),
        (688, '入园企业安全生产条件不具备有关法律、行政法规、国家标准或者行业标准规定', False),
    ]),
    # 五(七)1: the grades whose consequences the plan states, under the 导则 it cites on the same line
    ('chemical-parks', '化工园区安全管控', STD_692, 692, [
        (692, '评估为 A 级(高安全风险)', False),
        (692, '2021 年底前仍为 A 级', False),
        (693, '评估为 B 级(较高安全风险)', False),
        (693, '2022年底前仍未达到 C 级(一般安全风险)或 D 级(较低安全风险)', False),
    ]),
    # 五(七)2 冶金有色等产业聚集区 and 五(七)3 仓储物流 (one category: the limit is 8)
    ('metallurgy-and-storage', '冶金有色等产业聚集区和仓储物流安全管控', None, 695, [
        (695, '高温熔融金属', False),
        (695, '冶金煤气', False),
        (695, '深井铸造', False),
        (696, '紧急排放和应急储存设施', False),
        (698, '危险化学品、涉氨制冷剂等易燃易爆、有毒有害物品仓储物流', False),
        (698, '存在重大事故隐患', True),
        (698, '事故隐患整改不力', False),
        (698, '危险货物运输车辆及装卸管理', False),
    ]),
]


def hazards(first_line, last_line):
    """The plan's "hazards" key: HAZARDS checked against the seed lines first_line..last_line."""
    return checked(HAZARDS, first_line, last_line, MAJOR_SENTENCES, UNCLOSED_STANDARDS)


def build():
    start = marker(CODE)
    end = marker('附件11') - 1
    head = L(start + 1)
    title = head.split(' 根据', 1)[0]
    assert title == TITLE, title
    assert L(start + 3).startswith('一、总体要求 ')
    goals = L(start + 3)[len('一、总体要求 '):]
    plan = {'code': CODE, 'title': title, 'goals': goals, 'source': '种子文件001 第%d–%d行' % (start, end),
            'phases': build_phases(), 'tasks': parse_tasks(start, end), 'targets': targets(), 'notes': NOTES,
            'units': UNITS, 'hazards': hazards(start, end)}
    validate(plan, start, end)
    return plan


if __name__ == '__main__':
    main(build)
