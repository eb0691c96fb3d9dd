#!/usr/bin/env python3
"""附件9 《城市建设安全生产专项整治三年行动实施方案》 (seed 001) → plan.json of the construction plugin.

    python3 extract.py [--seed PATH]           write plan.json next to this script
    python3 extract.py --check [--seed PATH]   exit 1 if plan.json differs from what would be written

The seed is read from ../../../../shared/seeds/001_a1dd519a45aa6056.txt relative to this script; --seed overrides it.
Derived from the seed: title, goals, the four phases (text and first line), tasks (labels, sections, text, first line),
the units each section intro names (roles) and the deadlines (none: asserted).
Hand-curated below: phase dates, task titles, task phases, targets (each with line + exact quote), source notes, units.
Hand-curated too: the hazard categories and their clauses (plan key "hazards"; each clause with line + exact text).
forms.json (hand-written) is read only to assert that every target's inputs are fields of its form.
Standard library only; output is deterministic (json, ensure_ascii=False, indent=1, trailing newline).

附件9 differs from the attachments the shared parser (plugins/tools/seed001.py: header, parse_tasks, parse_roles) was
written for, so this script has its own versions of those three:
- it is the housing bureau's own plan: 一、整治目标, 二、组织领导, 三、实施步骤 (its own four dated phases),
  四、整治内容和工作措施 (the tasks), 五、工作要求 (three unnumbered requirements, each one task);
- no task carries a responsibility parenthetical: each section of 四 opens with a sentence naming who acts
  ("城市建设各相关职能部门(、属地街道(镇))按照职责分工…"), which gives the roles of its items.
"""
# ============================================================ generic part
# (plugins/tools/seed001.py: L, marker, T, validate, main, deadlines_of)
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tools'))
from seed001 import *  # noqa: E402,F403

configure(__file__)


# ============================================================ 附件9 城市建设
CODE = '附件9'
NEXT = '附件10'

# ---------------------------------------------------------------- header and phases
TITLE_CUT = ' 为认真贯彻落实'          # L543: "TITLE 为认真贯彻落实…" (the preamble follows the title)
GOALS_HEAD = '一、整治目标 '
STEPS_LINE = '三、实施步骤 从2020年6月至2022年12月,分四个阶段进行。'
PHASES = [  # name, start, end, opening words of its paragraph (the paragraph runs to the next blank line)
    ('动员部署', '2020-06-01', '2020-06-30', '(一)动员部署(2020年6月)。'),
    ('排查整治', '2020-07-01', '2020-12-31', '(二)排查整治(2020年7月至12月)。'),
    ('集中攻坚', '2021-01-01', '2021-12-31', '(三)集中攻坚(2021年)。'),
    ('巩固提升', '2022-01-01', '2022-12-31', '(四)巩固提升(2022年)。'),
]

# ---------------------------------------------------------------- tasks
CONTENT_HEAD = '四、整治内容和工作措施 '
REQUIREMENTS_HEAD = '五、工作要求 '
REQUIREMENTS_SECTION = '五、工作要求'
EXPECTED_LABELS = ['(一)1', '(一)2', '(一)3', '(一)4', '(二)1', '(二)2', '(二)3', '(二)4', '(三)1', '(三)2', '(三)3',
                   '(四)1', '(四)2', '(五)1', '(五)2', '(五)3', '(六)1', '(六)2', '(六)3', '(六)4',
                   '(一)', '(二)', '(三)']
# Numbered items whose first sentence is not a short heading: a verbatim phrase of the text (asserted), hand-picked.
TITLES = {
    '(一)1': '将安全韧性作为城市体检评估的重要内容',
    '(一)2': '开展城市公共设施安全专项体检',
    '(一)3': '加快建设城市综合管理服务平台',
    '(二)3': '非住宅依法依规改造为租赁住房',
    '(四)2': '开展城市地下基础设施信息及监测预警管理平台建设',
    '(五)1': '推进市政排水管网地理信息化系统建设',
    '(五)2': '建立健全渣土受纳场常态监测机制',
    '(五)3': '加强城市市政公用设施建设、安全和应急管理',
}
# The phase a task's own words tie it to (a reading; notes.md): the phase text restates the task.
TASK_PHASES = {
    '(二)1': '排查整治',   # L557 "对本行业领域和重点单位场所…进行全面深入细致的排查治理" ~ L577 "全面排查安全隐患"
    '(一)': '动员部署',    # L554 "制定城市建设安全生产专项整治行动实施方案…强化责任落实" ~ L617 "制定详细的整治行动实施方案"
}
ACTS = '按照职责分工'   # "WHO按照职责分工…" opens every section of 四
EXTRA_ROLES = {  # roles a task's own text names, after those of its section (source order)
    '(二)3': [{'role': 'lead', 'unit': '住房和城乡建设部门',
               'note': '任务正文“住房和城乡建设部门会同有关部门制定…政策”（第581行）；“有关部门”未点名，未列为单位'}],
}
REQUIREMENT_ROLES = {  # 五、工作要求: the bodies each paragraph addresses
    '(一)': [{'role': 'responsible', 'unit': '各相关单位和部门',
              'note': '任务正文“各相关单位和部门要…”（第617行）'}],
    '(二)': [],   # no body named: the regulators the plan addresses (notes.md)
    '(三)': [],
}


def header(start):
    title, rest = L(start + 1).split(TITLE_CUT, 1)
    assert L(start + 3).startswith(GOALS_HEAD), L(start + 3)[:10]
    goals = [L(start + 3)[len(GOALS_HEAD):]]
    n = start + 4
    while not L(n).startswith('二、组织领导 '):
        if L(n).strip():
            goals.append(L(n))
        n += 1
    return title.strip(), '\n'.join(goals)


def paragraph(n, last):
    out = []
    while n <= last and L(n).strip():
        out.append(L(n))
        n += 1
    return '\n'.join(out)


def build_phases(start, end):
    steps = [n for n in range(start, end + 1) if L(n) == STEPS_LINE]
    assert len(steps) == 1, steps
    out, n = [], steps[0] + 1
    for name, s, e, opening in PHASES:
        while not L(n).strip():
            n += 1
        assert L(n).startswith(opening), (name, L(n)[:20])
        text = paragraph(n, end)
        out.append({'name': name, 'start': s, 'end': e, 'text': text, 'line': n})
        n += text.count('\n') + 1
    while not L(n).strip():
        n += 1
    assert L(n).startswith(CONTENT_HEAD), L(n)[:10]
    return out, n


SEC_RE = re.compile(r'^\(([一二三四五六七八九十]+)\)(.*)$')
NUM_RE = re.compile(r'^(\d+)\.(.*)$')


def parse_tasks(first, end):
    """Tasks on lines first (the 四、整治内容和工作措施 line) .. end.

    四: "(N)INTRO" (one or more lines) then numbered items "k.TEXT" (each possibly more lines): tasks "(N)k", the
    section being "(N)" + the intro (its lines joined without a break: the seed breaks lines after ';').
    五: "(N)HEAD。BODY" (possibly more lines): one task "(N)" each, section 五、工作要求."""
    items, intros, part, secnum, cur = [], {}, '四', None, None
    for n in range(first, end + 1):
        s = L(n)
        if n == first:
            s = s[len(CONTENT_HEAD):]
        if s.startswith(REQUIREMENTS_HEAD):
            part, s = '五', s[len(REQUIREMENTS_HEAD):]
        if not s.strip():
            continue
        m = SEC_RE.match(s)
        if m:
            secnum, rest = m.groups()
            if part == '四':
                intros[secnum] = {'line': n, 'parts': [rest]}
                cur = intros[secnum]
            else:
                head, body = rest.split('。', 1)
                cur = {'label': '(%s)' % secnum, 'section': REQUIREMENTS_SECTION, 'title': head, 'line': n,
                       'parts': [rest], 'secnum': None}
                assert body.strip(), n
                items.append(cur)
            continue
        t = NUM_RE.match(s)
        if t and part == '四':
            cur = {'label': '(%s)%s' % (secnum, t.group(1)), 'section': None, 'title': None, 'line': n,
                   'parts': [t.group(2)], 'secnum': secnum}
            items.append(cur)
            continue
        assert cur is not None, ('text outside a task', n, s[:30])
        cur['parts'].append(s)
    out = []
    for it in items:
        text = '\n'.join(it['parts'])
        section, roles = it['section'], None
        if it['secnum'] is not None:
            intro = intros[it['secnum']]
            section = '(%s)%s' % (it['secnum'], ''.join(intro['parts']))
            who = intro['parts'][0].split(ACTS, 1)[0]
            assert who.startswith('城市建设各相关职能部门') and len(who) < 30, who
            note = '节首“%s%s…”（第%d行）；附件9的任务没有责任标注' % (who, ACTS, intro['line'])
            roles = [{'role': 'responsible', 'unit': u, 'note': note} for u in who.split('、')]
            roles += EXTRA_ROLES.get(it['label'], [])
        else:
            roles = REQUIREMENT_ROLES[it['label']]
        title = it['title']
        if it['label'] in TITLES:
            title = TITLES[it['label']]
            assert title in text, (it['label'], title)
        elif title is None:
            title = text.split('。', 1)[0]
            assert '\n' not in title and len(title) <= 20, (it['label'], title)
        dl = deadlines_of(text)
        assert dl == [], (it['label'], dl)
        out.append({'label': it['label'], 'section': section, 'title': title, 'text': text, 'roles_text': None,
                    'roles': roles, 'deadlines': dl, 'phase': TASK_PHASES.get(it['label']), 'line': it['line']})
    return out


# ---------------------------------------------------------------- targets
HL, ML, CB, MW, AC, SS = ('hazard-list', 'measure-list', 'converted-building', 'major-works',
                          'construction-accident', 'spoil-site')
Y3 = [(2020, 0), (2021, 0), (2022, 0)]
ALL_3 = [(2020, 100, '2020-12-31'), (2021, 100), (2022, 100)]
NO_DATE = '原文未写年份或期限，按三年行动末（2022年）设检查点（推定）'
BY_HAND = '手工填报（无台账）'


def targets():
    return [
        # ---- the phases' deliverables (三、实施步骤)
        T('implementation-plan', '制定城市建设安全生产专项整治行动实施方案', '份', 'reach', [(2020, 1, '2020-06-30')], 554,
          '制定城市建设安全生产专项整治行动实施方案',
          note='动员部署阶段（2020年6月，第553行）的工作；' + BY_HAND),
        T('hazard-list-established', '建立问题隐患清单', '条', 'at_least', [(2020, 1, '2020-12-31')], 557,
          '建立问题隐患和制度措施“两个清单”', form=HL, inputs=['found_date'],
          note='排查整治阶段（2020年7月至12月）建立；“两个清单”各为一张台账，本指标为问题隐患清单：2020年12月31日前列入清单的条数，至少1条即为已建立（推定）'),
        T('measure-list-established', '建立制度措施清单', '条', 'at_least', [(2020, 1, '2020-12-31')], 557,
          '建立问题隐患和制度措施“两个清单”', form=ML, inputs=['listed_date'],
          note='排查整治阶段（2020年7月至12月）建立；本指标为制度措施清单：2020年12月31日前列入清单的条数，至少1条即为已建立（推定）'),
        T('hazard-items-specified', '问题隐患明确整改责任单位、整改要求和时限的比例', '%', 'full_coverage', ALL_3, 557,
          '制定时间表路线图,明确整改责任单位和整改要求', form=HL,
          inputs=['found_date', 'rect_unit', 'rect_requirement', 'rect_deadline'],
          note='分母为截至当日已列入问题隐患清单的条目，分子为整改责任单位、整改要求和整改时限（时间表）均已填写的条目；排查整治阶段末（2020年12月31日）起每年检查（推定）'),
        T('hazard-list-updated-2021', '集中攻坚阶段问题隐患清单动态更新的比例', '%', 'full_coverage',
          [(2021, 100, '2021-12-31')], 559, '动态更新“两个清单”', form=HL,
          inputs=['found_date', 'rectified_date', 'reviewed_2021'],
          note='原文未写更新频次：读作2021年内仍未销号的每条问题隐患在2021年内至少更新一次（2021年新列入、2021年内整改销号或登记了2021年动态更新日期的均算已更新）（推定）'),
        T('measure-list-updated-2021', '集中攻坚阶段制度措施清单动态更新的比例', '%', 'full_coverage',
          [(2021, 100, '2021-12-31')], 559, '动态更新“两个清单”', form=ML,
          inputs=['listed_date', 'done_date', 'reviewed_2021'],
          note='原文未写更新频次：读作2021年内尚未完成的每条制度措施在2021年内至少更新一次（2021年新列入、2021年内完成或登记了2021年动态更新日期的均算已更新）（推定）'),
        T('three-year-summary', '总结安全生产专项整治三年行动工作成果', '份', 'reach', [(2022, 1, '2022-12-31')], 561,
          '认真总结安全生产专项整治三年行动工作成果',
          note='巩固提升阶段（2022年）的工作；' + BY_HAND),
        # ---- 四(二) 改建改用人员聚集场所
        T('converted-building-surveyed', '改建改用人员聚集场所安全隐患排查覆盖率', '%', 'full_coverage', ALL_3, 577,
          '全面排查将原有建筑物改建改用为酒店、饭店、学校、体育馆等人员聚集场所的安全隐患', form=CB,
          inputs=['conversion', 'registered_date', 'surveyed_date'], task='(二)1',
          also=[{'line': 557, 'quote': '对本行业领域和重点单位场所、关键环节安全风险隐患进行全面深入细致的排查治理'}],
          note='分母为截至当日已建档的改建改用为人员聚集场所的建筑，分子为已排查的；排查整治阶段末（2020年12月31日）起每年检查（推定），期间新发现的建筑同样逐一排查'),
        T('converted-building-on-platform', '排查结果纳入房屋结构安全信息化管理平台的比例', '%', 'full_coverage', ALL_3, 577,
          '逐一将排查结果纳入房屋结构安全信息化管理平台', form=CB,
          inputs=['conversion', 'surveyed_date', 'platform_date'], task='(二)1',
          note='分母为截至当日已排查的改建改用为人员聚集场所的建筑，分子为排查结果已纳入平台的；检查点同排查覆盖率（推定）'),
        T('illegal-buildings-unhandled', '尚未依法查处的“四无”等违法违规建筑', '栋', 'zero', [(2022, 0)], 579, '依法严肃查处',
          form=CB, inputs=['registered_date', 'violations', 'handled_date'], task='(二)2',
          also=[{'line': 575, 'quote': '依法查处违法建设、违规改变建筑主体结构或使用功能等造成安全隐患行为'}],
          note='第579行所列情形（“四无”建设、擅自改变使用功能、擅自改变房屋结构和布局、违法改扩建、擅自开挖地下空间）之一的已建档建筑中，截至当日尚未依法查处的栋数；' + NO_DATE),
        # ---- 四(二)4 and 五(二): the problem/hazard list
        T('hazards-rectified', '问题隐患整改完成率', '%', 'full_coverage', [(2022, 100)], 583, '整改整治全覆盖', form=HL,
          inputs=['found_date', 'rectified_date'], task='(二)4',
          also=[{'line': 583, 'quote': '整改整治实施清单化管理,确保责任明晰、措施落地、闭环管理、整改到位'}],
          note='“整改整治实施清单化管理”：以问题隐患清单全部条目为分母（第583行在(二)中，清单覆盖附件9各领域，推定），分子为截至当日已整改销号的；' + NO_DATE),
        T('overdue-hazards', '逾期未整改的问题隐患', '条', 'zero', Y3, 619, '对发现的问题和隐患,必须责令企业及时整改', form=HL,
          inputs=['found_date', 'rect_deadline', 'rectified_date'], task='(二)',
          note='“及时整改”读作在清单所定整改时限（时间表）内整改：当日已过整改时限仍未整改销号的条数；逐年检查（推定）'),
        # ---- 四(六) 危大工程
        T('major-works-hazards', '未按规定编制审核专项施工方案、组织专家论证或验收的在施危大工程', '项', 'zero', Y3, 611,
          '着力消除重大事故隐患', form=MW,
          inputs=['beyond_scale', 'plan_date', 'review_date', 'start_date', 'accepted_date', 'next_stage_date',
                  'finished_date'], task='(六)2',
          also=[{'line': 611, 'quote': '严格执行《危险性较大的分部分项工程安全管理规定》'},
                {'line': 607, 'quote': '开展起重机械、高支模、深基坑工程专项治理'}],
          note='当日在施（已开工、未完工）的危大工程中，无审核签字的专项施工方案、超过一定规模而未经专家论证，或未经验收合格即进入下一道工序的项数；这些要求出自第611行所称《危险性较大的分部分项工程安全管理规定》（住房和城乡建设部令第37号，第十条至第十二条、第二十一条），不在种子文本中；“着力消除”读作清零，逐年检查（推定）'),
        # ---- 五(二) accidents
        T('accident-upper-limit-blacklist', '不落实安全生产责任制导致事故的按处罚上限处罚并纳入“黑名单”的比例', '%',
          'full_coverage', [(2020, 100), (2021, 100), (2022, 100)], 621,
          '对不落实安全生产责任制导致发生安全生产事故的,一律按照有关法律法规处罚上限对企业和个人进行处罚,并纳入“黑名单”管理',
          form=AC, inputs=['accident_date', 'responsibility_failure', 'penalties', 'penalty_date', 'blacklist_date'],
          task='(二)',
          note='分母为2020年6月1日（附件9实施步骤起始）以来、截至当日发生的因不落实安全生产责任制导致的施工安全事故，分子为截至当日已按处罚上限处罚并纳入“黑名单”的；“一律”读作全覆盖，逐年检查（推定）'),
        # ---- 四(五)2 渣土受纳场
        T('spoil-pile-hazards', '堆体安全隐患未消除的渣土受纳场', '处', 'zero', [(2022, 0)], 603, '消除堆体安全隐患', form=SS,
          inputs=['pile_hazard', 'hazard_found_date', 'hazard_cleared_date'], task='(五)2',
          note='当日已发现堆体安全隐患而尚未消除的渣土受纳场处数；' + NO_DATE),
        # ---- 五(一)
        T('unit-detailed-plans', '各相关单位和部门制定详细整治行动实施方案的比例', '%', 'full_coverage',
          [(2020, 100, '2020-06-30')], 617, '各相关单位和部门要', task='(一)',
          also=[{'line': 617, 'quote': '制定详细的整治行动实施方案'}],
          note='原文未写期限：按动员部署阶段（2020年6月，第553–554行“制定…实施方案…强化责任落实”）设期限（推定）；' + BY_HAND),
        T('responsibility-decomposed', '行动工作责任分解到每个层级、每个岗位、每个人员', '%', 'full_coverage',
          [(2020, 100, '2020-06-30')], 617, '将本次行动工作责任分解到每个层级、每个岗位、每个人员', task='(一)',
          note='原文未写期限：按动员部署阶段（2020年6月，第554行“强化责任落实,做好相关工作部署”）设期限（推定）；' + BY_HAND),
    ]


NOTES = [
    {'lines': [543, 548, 617, 624],
     'text': '方案名称四种写法：第543行标题“城市建设安全生产专项整治三年行动实施方案”，第548行“城市建设安全生产专项整治三年行动”，'
             '第617行“城市建设安全专项整治三年行动”，第624行“城市建设安全整治三年行动”；第548行成立的领导小组名为'
             '“房屋建筑和市政基础设施工程安全生产专项整治三年行动工作领导小组”，范围窄于“城市建设”。'},
    {'lines': [551, 553],
     'text': '附件9自定四个阶段，从2020年6月开始（动员部署为“2020年6月”）；同一文件的附件4（煤矿）动员部署为2020年5月至6月。'
             '其后三个阶段的起止与附件4相同。'},
    {'lines': [563, 575, 585, 593, 599, 607],
     'text': '附件9的任务没有责任标注。四、整治内容和工作措施的每一节以“城市建设各相关职能部门(、属地街道(镇))按照职责分工…”开头，'
             '各任务的责任单位取自所在节的节首；节首本身也写了工作内容（如(五)的“健全燃气行业管理和事故防范长效机制”，'
             '该节的三个条目均未再写燃气）。',
     'tasks': ['(一)1', '(二)1', '(三)1', '(四)1', '(五)1', '(六)1']},
    {'lines': [617, 619, 624],
     'text': '五、工作要求的三段编号(一)(二)(三)与四、整治内容和工作措施的各节编号相同；这三段无编号条目，各作一项任务，'
             '编号照原文写作“(一)”“(二)”“(三)”，所属部分为“五、工作要求”。(二)(三)未写责任单位。',
     'tasks': ['(一)', '(二)', '(三)']},
    {'lines': [564, 573, 591],
     'text': '城市安全平台体系写作“国家、省、市、区”（第564、573行），工程质量监管体系写作“省、市、县”（第591行）：同指本级时一处作“区”、一处作“县”。',
     'tasks': ['(一)4', '(三)3']},
    {'lines': [564, 573],
     'text': '“充分运用现代科技和信息化手段,建立国家、省、市、区城市安全平台体系”在(一)的节首（第564行）和(一)4（第573行）重复出现。',
     'tasks': ['(一)4']},
    {'lines': [599, 601],
     'text': '同一系统两种写法：(五)节首作“市政排水管网地理信息系统”（第599行），(五)1作“市政排水管网地理信息化系统”（第601行）。',
     'tasks': ['(五)1']},
    {'lines': [549],
     'text': '领导小组名单中“市政公用事业服务中心主任”与“区市政服务中心各科室负责人”两种写法，按同一单位处理（推定）。'},
    {'lines': [575],
     'text': '(二)的节首写“属地街道(镇)”，其他附件写“各镇、街道”或“各镇(街道)”：按同一组属地单位（各镇、街道）处理。',
     'tasks': ['(二)1', '(二)2', '(二)3', '(二)4']},
    {'lines': [609],
     'text': '(六)1所引文件名写作《住房和城乡建设部应急管理部关于加强建筑施工安全事故责任企业人员处罚的意见》，两个部名之间没有分隔。',
     'tasks': ['(六)1']},
    {'lines': [622],
     'text': '(二)写“按照,“五个一批”和“四个一律”要求”：“按照”后多一个逗号；附件9未写明“五个一批”“四个一律”的内容。',
     'tasks': ['(二)']},
    {'lines': [557, 559],
     'text': '附件9的“两个清单”是问题隐患清单和制度措施清单（排查整治阶段建立，集中攻坚阶段动态更新），与附件4所说的“两个清单”'
             '（保留煤矿和关闭退出煤矿）不是一回事；附件9未写动态更新的频次。',
     'targets': ['hazard-list-established', 'measure-list-established', 'hazard-list-updated-2021',
                 'measure-list-updated-2021']},
    {'lines': [611],
     'text': '(六)2要求“严格执行《危险性较大的分部分项工程安全管理规定》”，规定的内容（专项施工方案、专家论证、验收）不在附件9中；'
             '插件按该规定（住房和城乡建设部令第37号）的条文设规则，见 rules.md。',
     'tasks': ['(六)2'], 'targets': ['major-works-hazards']},
]

UNITS = [
    {'name': '区住建局', 'kind': 'department', 'aliases': ['麒麟区住房和城乡建设局', '住房和城乡建设部门']},
    {'name': '城市建设各相关职能部门', 'kind': 'department', 'aliases': ['各相关单位和部门']},
    {'name': '各镇、街道', 'kind': 'local', 'aliases': ['属地街道(镇)']},
    {'name': '区质安站', 'kind': 'agency', 'aliases': []},
    {'name': '区市政服务中心', 'kind': 'agency', 'aliases': ['市政公用事业服务中心']},
]


# ============================================================ hazards (隐患类别与判定条目)
# Hand-curated (notes.md, 隐患类别与判定条目): each category (id, name, standard, line) and its clauses
# (line, exact text, major), in seed order. hazards() asserts that every clause text is a verbatim substring of its
# seed line, trimmed (no list marker, no trailing punctuation, at most 120 characters), ids are unique kebab-case,
# 2–8 categories of 2–15 clauses, a standard is a 《》 title on the category's line, and `major` is set exactly where
# the seed calls the item a 重大…隐患: the clause's own words say so, or it is an item of a sentence listed in
# MAJOR_SENTENCES (a sentence that presents its items as 重大事故隐患); a clause whose words name a 重大…隐患 is major.
from hazards import checked  # noqa: E402 (plugins/tools/hazards.py)

STD_611 = '《危险性较大的分部分项工程安全管理规定》'
UNCLOSED_STANDARDS = set()
# No sentence of 附件9 presents its items as 重大事故隐患: L611 "开展…起重机械、高支模、深基坑工程专项治理,着力消除重大事故
# 隐患" names the aim of a 专项治理 under 狠抓重点领域风险防控, not the items themselves (notes.md).
MAJOR_SENTENCES = {}
HAZARDS = [
    # 四(六)2: the 危大工程 the plan names, under the 规定 it cites on the same line (also listed in the (六) intro, L607)
    ('high-risk-works', '危险性较大的分部分项工程', STD_611, 611, [
        (611, '起重机械', False),
        (611, '高支模', False),
        (611, '深基坑', False),
    ]),
    # 四(六)4 严厉打击建筑市场违法违规行为 (L615) and 四(六)2 严厉打击建筑施工非法违法行为 (L611)
    ('market-violations', '建筑市场违法违规行为', None, 615, [
        (611, '建筑施工非法违法行为', False),
        (615, '施工转包', False),
        (615, '违法分包', False),
    ]),
    # 四(二): the buildings to 排查 (L577) and the behaviours to 依法严肃查处 (L579), as the (二) intro (L575) names them
    ('converted-and-illegal-buildings', '改建改用和违法违规建设', None, 575, [
        (577, '将原有建筑物改建改用为酒店、饭店、学校、体育馆等人员聚集场所的安全隐患', False),
        (579, '“四无”建设(无正式审批、无资质设计、无资质施工、无竣工验收)', False),
        (579, '擅自改变使用功能的建筑(含快捷酒店等)', False),
        (579, '擅自改变房屋结构和布局的建筑(含群租房等)', False),
        (579, '违法改扩建的建筑', False),
        (579, '擅自对地下空间进行开挖的建设行为', False),
    ]),
    # 四(一)2 查找城市公共设施安全隐患, 四(四)2 城市道路塌陷事故隐患治理, 四(五)2 (渣土受纳场) 消除堆体安全隐患
    ('urban-public-facilities', '城市公共设施安全隐患', None, 568, [
        (568, '城市公共设施安全隐患和突出短板', False),
        (597, '城市道路塌陷事故隐患', False),
        (603, '堆体安全隐患', False),
    ]),
]


def hazards(first_line, last_line):
    """The plan's "hazards" key: HAZARDS checked against the seed lines first_line..last_line."""
    return checked(HAZARDS, first_line, last_line, MAJOR_SENTENCES, UNCLOSED_STANDARDS)


def build():
    start = marker(CODE)
    end = marker(NEXT) - 1
    while not L(end).strip():
        end -= 1
    title, goals = header(start)
    assert title == '城市建设安全生产专项整治三年行动实施方案', title
    phases, first = build_phases(start, end)
    tasks = parse_tasks(first, end)
    assert [t['label'] for t in tasks] == EXPECTED_LABELS, [t['label'] for t in tasks]
    plan = {'code': CODE, 'title': title, 'goals': goals, 'source': '种子文件001 第%d–%d行' % (start, end),
            'phases': phases, 'tasks': tasks, 'targets': targets(), 'notes': NOTES, 'units': UNITS,
            'hazards': hazards(start, end)}
    role_units = validate(plan, start, end)
    for u in ('城市建设各相关职能部门', '属地街道(镇)', '住房和城乡建设部门', '各相关单位和部门'):
        assert u in role_units, u
    for t in tasks:
        if t['phase']:
            assert t['phase'] in [p['name'] for p in phases], t['label']
    for u in UNITS:
        assert u['kind'] in ('party', 'department', 'local', 'agency', 'office', 'enterprise', 'company'), u
    return plan


if __name__ == '__main__':
    main(build)
