#!/usr/bin/env python3
"""附件3 危险化学品烟花爆竹安全生产专项整治三年行动实施方案 (seed 001, lines 98-175) -> plan.json
in the plugin content format 1.2 (SCHEMA.md).

Usage:
  python3 extract.py [--seed PATH]           write plan.json next to this script
  python3 extract.py [--seed PATH] --check   exit 1 (with a message) when plan.json differs
                                              from what this script would write, else 0

The seed defaults to ../../../../shared/seeds/001_a1dd519a45aa6056.txt relative to this
script (its place in the main tree: plugins/hazardous-chemicals/content/).

Derived from the seed text: the title, the goals, the 21 tasks (labels as written, verbatim
text, the responsibility parenthetical and its roles in source order and words, the date
phrases in text order, the first seed line). Written down here by hand: the targets (each with
its seed line and the exact words it comes from), the notes on the source, the units, the
role decisions and the hazards (隐患类别与判定条目, each clause with its seed line and exact text). The script stops when a quote is not on its line, when a deadline phrase is
not in its task's text, or when a target's form/inputs are not in forms.json (checked when
forms.json sits next to this script). Standard library only; the output is deterministic.
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SEED = os.path.join(HERE, '../../../../shared/seeds/001_a1dd519a45aa6056.txt')
OUT = os.path.join(HERE, 'plan.json')
FORMS = os.path.join(HERE, 'forms.json')

START_MARK, END_MARK = '附件3:', '附件4:'
EXPECTED_START, EXPECTED_END = 98, 176      # 1-based lines of the two markers
EXPECTED_TASKS = 21
GOALS_MARK = '一、整治目标 '
TASKS_MARK = '二、主要任务 '

COMPARATORS = {'reach', 'at_least', 'at_most', 'decrease_by', 'about', 'between', 'zero',
               'full_coverage'}
PERIODS = {'ten_days', 'monthly', 'quarterly', 'half_yearly', 'yearly'}
UNIT_KINDS = {'party', 'department', 'local', 'agency', 'office', 'enterprise', 'company'}
TARGET_KEYS = ('id', 'name', 'unit', 'comparator', 'checkpoints', 'tolerance', 'baseline',
               'period', 'scope', 'form', 'inputs', 'task', 'line', 'quote', 'also', 'note')


class ExtractError(Exception):
    pass


def need(cond, msg):
    if not cond:
        raise ExtractError(msg)


# =========================================================================== reading

def read_lines(path):
    with open(path, encoding='utf-8') as f:
        return f.read().split('\n')


def attachment_bounds(lines):
    start = next((i + 1 for i, l in enumerate(lines) if l.strip() == START_MARK), None)
    end = next((i + 1 for i, l in enumerate(lines) if l.strip() == END_MARK), None)
    need((start, end) == (EXPECTED_START, EXPECTED_END),
         'attachment markers at L%s/L%s, expected L%d/L%d' % (start, end, EXPECTED_START, EXPECTED_END))
    return start, end


def parse_title_and_goals(lines, start):
    """The line after '附件3:' holds the title, '一、整治目标 ' and the first goal paragraph; the
    goals run up to the line that starts with '二、主要任务'."""
    head = lines[start]                       # 1-based line start+1
    need(GOALS_MARK in head, 'goals marker not on L%d' % (start + 1))
    title_raw, first = head.split(GOALS_MARK, 1)
    # The title was broken over two lines in the original ("…专项整治 三年行动实施方案"); the
    # space is that line break, not part of the title (see notes.md).
    title = title_raw.strip().replace(' ', '')
    goals = [first.strip()]
    n = start + 1                             # 0-based index of the next line
    while not lines[n].startswith(TASKS_MARK):
        if lines[n].strip():
            goals.append(lines[n].strip())
        n += 1
    return title, '\n'.join(goals), n + 1     # 1-based line of '二、主要任务'


# =========================================================================== tasks

SECTION_RE = re.compile(r'^\(([一二三四五六七八九十]+)\)(.*)$')
ITEM_RE = re.compile(r'^(\d+)\.\s*(.*)$')


def logical_lines(lines, first, last):
    """(1-based line, text) for lines first..last without blank lines. A line holding only a
    section label ("(五)" on L156) is joined to the next line and takes that line's number,
    since the task itself starts there."""
    out, pending = [], None
    for n in range(first, last + 1):
        text = lines[n - 1]
        if not text.strip():
            continue
        if pending is not None:
            text, pending = pending + text, None
        m = SECTION_RE.match(text)
        if m and not m.group(2).strip():
            pending = text
            continue
        out.append((n, text))
    return out


def split_section(rest):
    """'提升…能力 1.严格…' -> ('提升…能力', '1.严格…'); '继续…计划 各地…' -> ('继续…计划', None);
    '提升…力度。一是…' -> ('提升…力度', None)."""
    sp, stop = rest.find(' '), rest.find('。')
    if sp >= 0 and (stop < 0 or sp < stop):
        head, tail = rest[:sp], rest[sp + 1:]
        return head, (tail if ITEM_RE.match(tail) else None)
    if stop >= 0:
        return rest[:stop], None
    return rest, None


def parse_tasks(lines, first, last):
    tasks, section, cur = [], None, None
    for n, text in logical_lines(lines, first, last):
        if n == first:
            need(text.startswith(TASKS_MARK), 'tasks marker not on L%d' % n)
            text = text[len(TASKS_MARK):]
        m = SECTION_RE.match(text)
        if m:
            if cur:
                tasks.append(cur)
                cur = None
            num = m.group(1)
            name, items = split_section(m.group(2))
            section = {'num': num, 'name': '(%s)%s' % (num, name)}
            if items is None:
                # A section without numbered items is one task, (六) and (七); its text is the
                # section text as written, heading included.
                cur = {'label': '(%s)' % num, 'section': section['name'], 'title': name,
                       'line': n, 'raw': [m.group(2)]}
                continue
            text = items
        im = ITEM_RE.match(text)
        if im:
            if cur:
                tasks.append(cur)
            cur = {'label': '(%s)%s' % (section['num'], im.group(1)), 'section': section['name'],
                   'title': None, 'line': n, 'raw': [im.group(2)]}
        else:
            need(cur is not None, 'text outside a task on L%d' % n)
            cur['raw'].append(text)
    if cur:
        tasks.append(cur)
    return tasks


def trailing_parenthetical(text):
    """The balanced '(…)' that ends `text`, and the text before it."""
    t = text.rstrip()
    if not t.endswith(')'):
        return None, text
    depth = 0
    for i in range(len(t) - 1, -1, -1):
        if t[i] == ')':
            depth += 1
        elif t[i] == '(':
            depth -= 1
            if depth == 0:
                return t[i:], t[:i].rstrip()
    raise ExtractError('unbalanced parenthetical: %s' % t[-60:])


# ---- role decisions (hand-curated) -----------------------------------------------------
# Every annotation of 附件3 reads "(X、Y牵头,A、B…等部门按职责分工负责)". X, Y -> lead (the
# source says 牵头). A, B… -> cooperating: they are listed after the lead units and "按职责分工
# 负责" is how the other sector plugins' extractions treat the units after a 牵头 list (coal:
# 区级责任部门 -> cooperating). No annotation names a 责任单位, so no role is "responsible".
# The tail "等部门" / "等各有关部门" is not a unit; it stays in roles_text.
WHOLE_UNITS = ['各镇、街道']      # one territorial unit written with an enumeration comma
COOP_TAIL = re.compile(r'等(?:各有关)?部门按职责分工负责$')
ROLE_NOTES = {
    '各镇、街道': '属地单位，原文列于“按职责分工负责”的部门之中，按其位置作配合单位（推定）；原文“各镇、街道”作一个单位保留',
}


def split_units(s):
    keep = {}
    for i, w in enumerate(WHOLE_UNITS):
        token = '\x00%d\x00' % i
        keep[token] = w
        s = s.replace(w, token)
    parts = re.split(r'([、,])', s)
    out = []
    for i in range(0, len(parts), 2):
        unit = parts[i].strip()
        for token, w in keep.items():
            unit = unit.replace(token, w)
        sep = parts[i + 1] if i + 1 < len(parts) else ''
        if unit:
            out.append((unit, sep))
    return out


def parse_roles(paren):
    inner = paren[1:-1].strip().rstrip('。')
    need('牵头,' in inner, 'no “牵头,” in %s' % paren)
    lead_s, coop_s = inner.split('牵头,', 1)
    m = COOP_TAIL.search(coop_s)
    need(m is not None, 'no “…等部门按职责分工负责” in %s' % paren)
    coop_s = coop_s[:m.start()]
    roles = [{'role': 'lead', 'unit': u} for u, _ in split_units(lead_s)]
    for unit, sep in split_units(coop_s):
        r = {'role': 'cooperating', 'unit': unit}
        notes = [ROLE_NOTES[unit]] if unit in ROLE_NOTES else []
        if sep == ',':
            notes.append('原文此处以“,”而非“、”与下一单位分隔')
        if notes:
            r['note'] = '；'.join(notes)
        roles.append(r)
    return roles


# ---- deadlines ---------------------------------------------------------------------------
# Dated phrases as written, in text order; a leading 在 is left out (as the coal extraction
# does), 到 / 自 are kept. "(2019年版)" is a catalogue edition, not a date. Recurring phrases
# (每年, 每半年, 至少每五年) are not deadlines: they are targets with a period (see notes.md).
# A phrase that recurs with the same words in one task is listed once. "自…起" starts a
# requirement (from that month on); it is not a deadline and is left out.
DATE_RE = re.compile(r'(?:自|到)?20\d\d年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:底前|底|内|前|起)?')


def deadlines_of(text):
    out = []
    for m in DATE_RE.finditer(text):
        if text[m.end():m.end() + 1] == '版':
            continue
        if m.group().startswith('自') and m.group().endswith('起'):
            continue
        if m.group() not in out:
            out.append(m.group())
    return out


def build_tasks(lines, first, last):
    out = []
    for t in parse_tasks(lines, first, last):
        text = '\n'.join(t['raw']).strip()
        paren, body = trailing_parenthetical(text)
        need(paren is not None and '牵头' in paren, '%s has no responsibility parenthetical' % t['label'])
        title = t['title'] or body.split('。')[0].strip()
        deadlines = deadlines_of(body)
        for d in deadlines:
            need(d in body, '%s: deadline %s not in its text' % (t['label'], d))
        need(body in '\n'.join(lines), '%s: text not in seed' % t['label'])
        out.append({
            'label': t['label'],
            'section': t['section'],
            'title': title,
            'text': body,
            'roles_text': paren,
            'roles': parse_roles(paren),
            'deadlines': deadlines,
            'phase': None,
            'line': t['line'],
        })
    need(len(out) == EXPECTED_TASKS, '%d tasks, expected %d' % (len(out), EXPECTED_TASKS))
    return out


# =========================================================================== targets (hand-curated)

# Form ids (forms.json).
HE = 'hazchem-enterprise'       # 危险化学品企业台账 (with a repeat of 生产装置和储存设施)
CP = 'chemical-park'            # 化工园区台账
DV = 'dg-vehicle'               # 危险货物运输车辆台账
HP = 'hazchem-personnel'        # 危险化学品企业关键岗位人员台账
HI = 'hazchem-inspector'        # 危险化学品安全监管执法人员花名册
TS = 'training-session'         # 主要负责人集中安全培训和警示教育记录
CC = 'closure-checklist'        # 关闭退出和整治提升企业清单
FE = 'fireworks-enterprise'     # 烟花爆竹生产、批发企业台账
FO = 'fireworks-outlet'         # 烟花爆竹零售网点台账
WD = 'work-document'            # 工作文件台账

CAMPAIGN = (2020, 2021, 2022)   # the three years of the campaign ("通过三年专项整治行动", L99)


def cp(year, value, due=None):
    c = {'year': year, 'value': value}
    if due:
        c['due'] = due
    return c


def each_year(value):
    """A standing requirement without a date: one checkpoint at every campaign year."""
    return [cp(y, value) for y in CAMPAIGN]


def T(id, name, unit, comparator, checkpoints, line, quote, **kw):
    t = {'id': id, 'name': name, 'unit': unit, 'comparator': comparator, 'checkpoints': checkpoints,
         'line': line, 'quote': quote}
    t.update(kw)
    unknown = set(t) - set(TARGET_KEYS)
    need(not unknown, 'target %s: unknown keys %s' % (id, sorted(unknown)))
    return {k: t[k] for k in TARGET_KEYS if k in t}


END2022 = '2022-12-31'

TARGETS = [
    # ---- 一、整治目标 (L99-101): reached "通过三年专项整治行动", i.e. by the end of 2022.
    T('automation-in-use', '危险化学品涉及“两重点一重大”生产装置和储存设施的自动化系统装备投用率', '%', 'reach',
      [cp(2022, 100, END2022)], 99, '全区危险化学品涉及“两重点一重大”生产装置和储存设施的自动化系统装备投用率达到100%',
      form=HE, inputs=['status', 'closed_on', 'u_status', 'u_two_key_one_major', 'u_automation_ok', 'u_automation_ok_on'],
      also=[{'line': 128, 'quote': '2022年底前上述系统装备和使用率未达到要求或未投用的,一律停产整改'}],
      note='分母为涉及“两重点一重大”且未关闭的装置设施；分子为第128行所列可燃气体和有毒气体泄漏检测报警装置、紧急切断装置、自动化控制系统、安全仪表系统均达到要求并投用者（推定）；期限取第128行“2022年底前”'),
    T('major-hazard-prevention', '重大危险源安全预防控制体系建设率', '%', 'reach',
      [cp(2022, 100, END2022)], 99, '重大危险源安全预防控制体系建设率达100%',
      form=HE, inputs=['status', 'closed_on', 'u_status', 'u_major_hazard', 'u_prevention_on'],
      also=[{'line': 114, 'quote': '2022年底前全面完成以重大危险源安全风险分级管控和隐患排查治理双重预防机制为重点的安全预防控制体系建设'}],
      note='按重大危险源逐个计（装置明细中构成重大危险源的行）；期限取第114行“2022年底前”'),
    T('key-staff-assessed', '化工企业主要负责人和安全管理人员等考核达标率', '%', 'reach',
      [cp(2022, 100)], 99, '化工企业主要负责人和安全管理人员等考核达标率100%',
      form=HP, inputs=['ent_chemical', 'is_manager', 'hired_on', 'left_on', 'assessed', 'assessed_on'],
      note='原文无“达到”二字，按“达标率100%”取 reach；二、主要任务中没有对应的考核安排（见 notes）'),
    T('closure-upgrade-done', '城镇人口密集区危险化学品企业关闭退出和危险化品生产企业整治改造提升任务完成率', '%', 'reach',
      [cp(2022, 100)], 99, '城镇人口密集区危险化学品企业关闭退出和危险化品生产企业整治改造提升任务完成率100%',
      form=CC, inputs=['basis', 'done', 'done_on'],
      note='名称照录原文（“危险化品”漏“学”字）；分母为清单中列入依据含“城镇人口密集区危险化学品企业关闭退出”或“危险化学品生产企业整治改造提升”的企业'),
    T('fw-wholesale-grade2', '烟花爆竹批发企业达二级标准化', '%', 'full_coverage',
      [cp(2022, 100)], 100, '烟花爆竹批发企业达二级标准化',
      form=FE, inputs=['kind', 'status', 'closed_on', 'standardisation', 'standardised_on'],
      also=[{'line': 174, 'quote': '批发企业达二级标准化等级'}],
      note='原文未写比例，指全部批发企业，取 full_coverage；一级高于二级，计为达标'),
    T('fw-retail-shophouse-closed', '零售企业“上宅下店,前店后宅”关闭到位', '%', 'reach',
      [cp(2022, 100)], 100, '零售企业“上宅下店,前店后宅”100%关闭到位',
      form=FO, inputs=['layout', 'status', 'closed_on'],
      also=[{'line': 173, 'quote': '零售企业“上宅下店,前店后宅”关闭到位'}]),
    T('fw-safety-distance', '周边安全距离达标', '%', 'reach',
      [cp(2022, 100)], 100, '周边安全距离100%达标',
      form=FO, inputs=['status', 'closed_on', 'safety_distance_ok'],
      note='原文主语未写明，紧接零售企业一句，按营业中的烟花爆竹零售网点计（推定）；批发企业仓库的周边安全距离另在烟花爆竹生产、批发企业台账登记，不计入本指标'),
    T('inspector-qualified-75', '监督执法人员具有化工安全生产相关专业学历和实践经验的执法人员数量占在职人员比例', '%', 'at_least',
      [cp(2022, 75)], 101, '监督执法人员具有化工安全生产相关专业学历和实践经验的执法人员数量达到在职人员的75%以上',
      form=HI, inputs=['on_duty_from', 'left_on', 'qualified_both'],
      note='“学历和实践经验”按两者兼具计；与(五)1第157行“2022年底前…达到在职人员的50%”不一致，两条均保留（见 notes）'),

    # ---- (一)1
    T('entry-conditions', '新建化工(危险化学品)项目准入条件', '份', 'reach',
      [cp(2020, 1)], 103, '2020年制定出台新建化工(危险化学品)项目准入条件', task='(一)1',
      form=WD, inputs=['kind', 'issued_on']),
    T('restricted-catalogue', '危险化学品“禁限控”目录', '份', 'reach',
      [cp(2022, 1, END2022)], 104, '2022年底前结合实际制定并严格落实危险化学品“禁限控”目录', task='(一)1',
      form=WD, inputs=['kind', 'issued_on']),

    # ---- (一)2
    T('park-confirmation-applied', '向省工信部门申报化工园区确认申请', '%', 'full_coverage',
      [cp(2020, 100, '2020-08-31')], 107, '2020年8月底前向省工信部门申报化工园区确认申请', task='(一)2',
      form=CP, inputs=['status', 'closed_on', 'confirm_applied_on'],
      note='按化工园区台账逐个园区计；同句“完成化工园区确认公告工作”是否同受8月底期限约束，原文不明，不作指标（见 notes）'),
    T('park-chem-head', '化工园区配备具有化工专业背景的负责人', '人', 'at_least',
      each_year(1), 108, '化工园区配备至少一名具有化工专业背景的负责人', task='(一)2',
      form=CP, inputs=['status', 'closed_on', 'chem_head_count'],
      note='每个园区都须满足，取未关闭园区中的最小人数；原文无期限，按常设要求每年检查'),
    T('park-staff-qualified', '化工园区具有相关化工专业学历或化工安全生产实践经历的人员或注册安全工程师的人员数量占安全监管人员比例', '%', 'at_least',
      each_year(75), 108, '其中具有相关化工专业 学历或化工安全生产实践经历的人员或注册安全工程师的人员数量不低于安全监管人员的75%', task='(一)2',
      form=HI, inputs=['employer', 'on_duty_from', 'left_on', 'qualified_any'],
      note='三者具其一即计（原文用“或”）；quote 照录原文“专业 学历”中的空格（断行残留）；原文无期限，按常设要求每年检查'),
    T('park-grade-a-exit', '到2021年底经整改仍为A级且未关闭退出的化工园区数量', '个', 'zero',
      [cp(2021, 0, '2021-12-31')], 109, '到2021年底经整改仍为A级,则要关闭退出', task='(一)2',
      form=CP, inputs=['grade_end_2021', 'status'],
      note='原文未用“清零”；该数须为0（到期仍为A级的园区要关闭退出），取 zero'),
    T('park-grade-b-exit', '到2022年底经整改仍未达到C级或D级且未关闭退出的化工园区数量', '个', 'zero',
      [cp(2022, 0, END2022)], 110, '到2022年底经整改仍未达到C级或D级将关闭退出', task='(一)2',
      form=CP, inputs=['grade_end_2022', 'status'],
      note='2022年底等级为A级或B级即“未达到C级或D级”；附件10第693行对同一情形写“取消化工园区定位”（见 notes）'),

    # ---- (一)3
    T('enterprise-self-check', '危险化学品企业全面完成安全风险隐患自查并制定整改方案', '%', 'full_coverage',
      [cp(2020, 100, '2020-08-31')], 112, '在2020年8月底前全面完成安全风险隐患自查并制定整改方案', task='(一)3',
      form=HE, inputs=['status', 'closed_on', 'self_check_on', 'rectification_plan_on']),
    T('red-orange-licence-recheck', '安全风险评估等级为“红、橙”色企业的许可证发证条件核查', '%', 'full_coverage',
      [cp(2022, 100)], 113, '对安全风险评估等级为“红、橙”色企业的许可证发证条件逐一核查', task='(一)3',
      form=HE, inputs=['risk_colour', 'status', 'closed_on', 'licence_rechecked_on'],
      note='原文无期限，检查点取三年行动结束的2022年（推定）'),

    # ---- (一)4
    T('dg-vehicle-devices', '危险货物运输车辆加装防撞报警系统并安装远程提醒在线监控系统', '%', 'reach',
      [cp(2020, 30), cp(2021, 80), cp(2022, 100)], 116, '2020年完成30%,2021年完成80%,2022年完成100%', task='(一)4',
      form=DV, inputs=['registered_on', 'status', 'deregistered_on', 'anti_collision_on', 'remote_monitor_on'],
      note='两个系统都已装好才计为完成（推定）；分母为检查点当日在册（未注销）的危险货物运输车辆'),

    # ---- (一)5
    T('water-chlorine-retrofit', '自来水和污水处理企业淘汰直接使用氯气消毒杀菌技术改造', '%', 'full_coverage',
      [cp(2022, 100, '2022-06-30')], 124, '淘汰直接使用氯气消毒杀菌技术,2022年6月底前完成改造任务', task='(一)5',
      form=HE, inputs=['category', 'status', 'closed_on', 'chlorine_direct', 'chlorine_replaced_on']),

    # ---- (二)1
    T('park-overall-assessment', '化工园区至少每五年开展一次整体性安全风险评估', '%', 'full_coverage',
      each_year(100), 125, '化工园区应至少每五年开展一次化工园区整体性安全风险评估', task='(二)1',
      form=CP, inputs=['status', 'closed_on', 'overall_assessment_on'],
      note='“每五年”不在 period 可选值内，改按覆盖率计：检查点当日最近一次整体性评估距今不超过五年的未关闭园区所占比例'),
    T('distance-rectified', '不满足外部安全防护距离要求、经评估具备整改条件的化工生产装置和储存设施完成整改', '%', 'full_coverage',
      [cp(2020, 100, '2020-12-31')], 127, '对不满足外部安全防护距离要求的化工生产装置和储存设施,经评估具备整改条件的,2020年内完成整改', task='(二)1',
      form=HE, inputs=['status', 'closed_on', 'u_status', 'u_distance', 'u_distance_fixed_on']),

    # ---- (二)2
    T('aux-unit-automation', '涉及重点监管危险化工工艺装置的上下游配套装置实现自动化控制及安装安全仪表系统', '%', 'full_coverage',
      [cp(2022, 100, END2022)], 129, '2022年底前所有涉及重点监管危险化工工艺装置的上下游配套装置必须实现自动化控制及安装安全仪表系统', task='(二)2',
      form=HE, inputs=['status', 'closed_on', 'u_status', 'u_process_aux', 'u_aux_done_on']),

    # ---- (二)3
    T('control-room-relocated', '涉及爆炸危险性化学品的生产装置控制室、交接班室、休息室等移出装置区', '%', 'full_coverage',
      [cp(2020, 100, '2020-12-31')], 131, '涉及爆炸危险性化学品的生产装置控制室、交接班室、休息室等不得布置在装置区内,已建成投入使用的2020年内必须完成整改', task='(二)3',
      form=HE, inputs=['status', 'closed_on', 'u_status', 'u_explosive', 'u_rooms_in_area', 'u_rooms_moved_on']),

    # ---- (三)1
    T('principal-training', '集中开展对化工、危险化学品企业主要负责人安全培训和警示教育', '次', 'at_least',
      each_year(4), 138, '每年不低于4次集中开展对化工、危险化学品企业主要负责人进行安全培训和警示教育', task='(三)1',
      period='yearly', form=TS, inputs=['held_on', 'centralised', 'audience'],
      note='2020年按全年计，方案印发前已开展的也计入（见 notes）'),
    T('key-post-certificate', '重点岗位职工取得职业资格证书或职业技能等级证书的比例', '%', 'at_least',
      [cp(2021, 10, '2021-12-31'), cp(2022, 30, END2022)], 139, '2021年底前达到10%以上,2022年底前达到30%以上', task='(三)1',
      form=HP, inputs=['post', 'hired_on', 'left_on', 'certificate', 'certificate_on'],
      note='重点岗位职工按原文括注取主要负责人、安全管理人员和特种作业人员'),

    # ---- (三)2
    T('new-manager-qualification', '新入职的危险化学品企业主要负责人和主管生产、设备、技术、安全的负责人及安全生产管理人员学历或职称符合要求', '%', 'full_coverage',
      each_year(100), 142, '自2020年6月起,一是对涉及“两重点一重大”生产装置和储存设施的企业,所有新入职的危险化学品企业主要负责人和主管生产、设备、技术、安全的负责人及安全生产管理人员必须具备化学、化工、机电、安全等相关专业大专及以上学历或化工类中级以上职称', task='(三)2',
      form=HP, inputs=['ent_two_key', 'is_manager', 'hired_on', 'meets_manager_rule'],
      note='适用于涉及“两重点一重大”生产装置和储存设施的企业自2020年6月1日起新入职的人员；每年末检查此前全部新入职者'),
    T('new-operator-qualification', '新入职的生产装置、储存设施操作人员学历符合要求', '%', 'full_coverage',
      each_year(100), 143, '新入职的生产装置、储存设施操作人员必须具备高中及以上学历或化工类中等及以上职业教育水平', task='(三)2',
      form=HP, inputs=['ent_two_key', 'post', 'hired_on', 'meets_operator_rule'],
      note='承第142行“自2020年6月起,一是对涉及“两重点一重大”生产装置和储存设施的企业”'),
    T('explosive-new-operator', '涉及爆炸性危险化学品生产储存企业新入职的生产装置和储存设施操作人员达到大专及以上学历', '%', 'full_coverage',
      each_year(100), 144, '新入职的生产装置和储存设施的操作人员必须达到大专及以上学历', task='(三)2',
      form=HP, inputs=['ent_explosive', 'post', 'hired_on', 'meets_explosive_rule'],
      note='自2020年6月1日起新入职者'),
    T('explosive-existing-operator', '不符合上述要求的现有人员达到相应水平', '%', 'full_coverage',
      [cp(2022, 100, END2022)], 144, '对不符合上述要求的现有人员应在2022年底前达到相应水平', task='(三)2',
      form=HP, inputs=['ent_explosive', 'post', 'hired_on', 'left_on', 'meets_explosive_rule', 'education_since'],
      note='“上述要求”按所在的“二是”读作涉及爆炸性危险化学品生产储存企业操作人员的大专及以上学历要求；是否兼指第142–143行的要求，原文不明（见 notes）'),

    # ---- (四)1
    T('enforcement-annual-plan', '化工和危险化学品企业执法年度计划', '份', 'at_least',
      each_year(1), 146, '制定化工和危险化学品企业执法年度计划', task='(四)1',
      period='yearly', form=WD, inputs=['kind', 'plan_year']),
    T('principal-half-year-report', '危险化学品企业主要负责人每半年向市、区两级应急管理等部门报告安全生产履职及企业安全风险管控情况', '次', 'at_least',
      each_year(1), 147, '每半年向市、区两级应急管理等部门报告安全生产履职及企业安全风险管控情况', task='(四)1',
      period='half_yearly', form=HE, inputs=['status', 'closed_on', 'report_2020h2', 'report_2021h1', 'report_2021h2', 'report_2022h1', 'report_2022h2'],
      note='每个半年每家企业至少报告1次，取未关闭企业中的最小次数；2020年只计下半年'),

    # ---- (五)1
    T('inspectors-district', '区应急管理局危险化学品安全监管执法人员数量', '人', 'at_least',
      each_year(5), 157, '区应急管理局、麒麟工业园区危险化学品安全监管执法人员数量不得少于5人', task='(五)1',
      form=HI, inputs=['employer', 'on_duty_from', 'left_on'],
      note='“区应急管理局、麒麟工业园区…不得少于5人”按两单位各自不少于5人理解（推定）；原文无期限，按常设要求每年检查'),
    T('inspectors-park', '麒麟工业园区危险化学品安全监管执法人员数量', '人', 'at_least',
      each_year(5), 157, '区应急管理局、麒麟工业园区危险化学品安全监管执法人员数量不得少于5人', task='(五)1',
      form=HI, inputs=['employer', 'on_duty_from', 'left_on'],
      note='同 inspectors-district，按各自不少于5人理解（推定）'),
    T('inspectors-yuezhou', '越州镇应急管理服务中心危险化学品安全监管执法人员数量', '人', 'at_least',
      each_year(4), 157, '越州镇应急管理服务中心危险化学品安全监管执法人员数量不得少于4人', task='(五)1',
      form=HI, inputs=['employer', 'town', 'on_duty_from', 'left_on']),
    T('inspectors-other-towns', '其他镇(街道)应急服务中心危险化学品安全监管执法人员数量', '人', 'at_least',
      each_year(2), 157, '其他镇(街道)应急服务中心不得少于2人', task='(五)1',
      scope='per_town', form=HI, inputs=['employer', 'town', 'on_duty_from', 'left_on'],
      note='越州镇以外的每个镇(街道)分别计'),
    T('inspector-qualified-50', '具有化工安全生产相关专业学历和实践经验的执法人员数量占在职人员比例', '%', 'reach',
      [cp(2022, 50, END2022)], 157, '2022年底前具有化工安全生产相关专业学历和实践经验的执法人员数量达到在职人员的50%', task='(五)1',
      form=HI, inputs=['on_duty_from', 'left_on', 'qualified_both'],
      note='与整治目标第101行“75%以上”不一致，两条均保留（见 notes）'),
    T('inspector-induction', '危险化学品安全监管新入职人员培训时间', '月', 'at_least',
      each_year(3), 158, '新入职人员培训时间不少于3个月', task='(五)1',
      form=HI, inputs=['new_entrant', 'on_duty_from', 'induction_months'],
      note='每名新入职人员都须满足，取最小值'),
    T('inspector-refresher', '危险化学品安全监管在职人员每年复训时间', '周', 'at_least',
      each_year(2), 158, '在职人员每年复训时间不少于2周', task='(五)1',
      period='yearly', form=HI, inputs=['on_duty_from', 'left_on', 'refresher_2020', 'refresher_2021', 'refresher_2022'],
      note='每名全年在职人员都须满足，取最小值；计量为时长（周）而非次数'),

    # ---- (五)2
    T('major-hazard-online', '具备接入条件的危险化学品企业重大危险源在线视频监控图像和监控数据接入', '%', 'full_coverage',
      [cp(2020, 100, '2020-12-31')], 160, '在2020年底前完成所有具备接入条件的危险化学品企业重大危险源在线视频监控图像和监控数据的接入工作', task='(五)2',
      form=HE, inputs=['status', 'closed_on', 'u_status', 'u_major_hazard', 'u_connectable', 'u_connected_on']),

    # ---- (五)4
    T('emergency-budget', '危险化学品应急物资储备年度预算安排', '项', 'at_least',
      each_year(1), 166, '统筹相关部门每年预算安排,加强危险化学品应急物资储备能力建设', task='(五)4',
      period='yearly', form=WD, inputs=['kind', 'plan_year']),

    # ---- (六)
    T('upgrade-acceptance-report', '整治提升和就地改造的企业形成“一企一验收报告”及整改复查意见书', '%', 'full_coverage',
      [cp(2022, 100)], 170, '对每户企业的隐患和问题整改完成情况逐条验收,形成“一企一验收报告”及整改复查意见书', task='(六)',
      form=CC, inputs=['action', 'items', 'items_accepted', 'acceptance_report_on', 'recheck_opinion_on'],
      note='原文无期限，检查点取三年行动结束的2022年（推定）'),

    # ---- (七)
    T('fw-no-new-producer', '新建烟花爆竹生产企业数量', '家', 'zero',
      each_year(0), 171, '不允许新建烟花爆竹生产企业', task='(七)',
      form=FE, inputs=['kind', 'licensed_on'],
      note='“新建”按2020年6月1日及以后首次取得许可计（日期为推定）；原文未用“清零”，该数须为0，取 zero'),
    T('fw-no-new-wholesaler', '新设立烟花爆竹批发企业数量', '家', 'zero',
      each_year(0), 172, '批发企业严格执行《云南省烟花爆竹经营许可实施细则》规定,不再新设立', task='(七)',
      form=FE, inputs=['kind', 'licensed_on'],
      note='同 fw-no-new-producer'),
    T('fw-retail-outlet-cap', '烟花爆竹零售网点数量', '家', 'at_most',
      [cp(2022, 90)], 173, '零售网点数量大幅减少,控制在90家之内', task='(七)',
      form=FO, inputs=['status', 'closed_on'],
      note='“之内”按≤90（含90家）；原文无期限，检查点取2022年（推定），此前超过90家时只作提示（见 rules）'),
]


# =========================================================================== notes on the source

NOTES = [
    {'lines': [101, 157, 44],
     'text': '同一指标两处数值不一致：整治目标第101行要求监督执法人员中具有化工安全生产相关专业学历和实践经验的执法人员数量“达到在职人员的75%以上”，(五)1第157行要求“2022年底前…达到在职人员的50%”。附件1第44行对全体安全生产执法人员另规定“到2022年底前…不低于在职人员的75%”。两条均作为指标保留。',
     'tasks': ['(五)1'], 'targets': ['inspector-qualified-75', 'inspector-qualified-50']},
    {'lines': [110, 693],
     'text': '化工园区评估为B级、到2022年底仍未达到C级或D级的后果，本附件第110行写“将关闭退出”，附件10第693行写“取消化工园区定位”。附件10第692行对A级另有“原则上”“安全、环保水平技改提升类项目除外”的限定，本附件第109行没有。',
     'tasks': ['(一)2'], 'targets': ['park-grade-a-exit', 'park-grade-b-exit']},
    {'lines': [101, 108, 157],
     'text': '执法人员的资格条件写法不一：第101行、第157行为“化工安全生产相关专业学历和实践经验”，第108行化工园区安全监管人员为“相关化工专业学历或化工安全生产实践经历的人员或注册安全工程师”。',
     'tasks': ['(一)2', '(五)1'], 'targets': ['inspector-qualified-75', 'inspector-qualified-50', 'park-staff-qualified']},
    {'lines': [142, 143, 144],
     'text': '第144行“对不符合上述要求的现有人员应在2022年底前达到相应水平”位于“二是”（涉及爆炸性危险化学品生产储存企业）之中，“上述要求”是否也包括“一是”（第142–143行，涉及“两重点一重大”企业的学历、职称要求），原文未写明。',
     'tasks': ['(三)2'], 'targets': ['explosive-existing-operator']},
    {'lines': [99, 100],
     'text': '整治目标中的“化工企业主要负责人和安全管理人员等考核达标率100%”和“周边安全距离100%达标”，在二、主要任务中没有对应的具体任务或期限。',
     'tasks': [], 'targets': ['key-staff-assessed', 'fw-safety-distance']},
    {'lines': [173],
     'text': '“零售网点数量大幅减少,控制在90家之内”未写期限，也未写现有网点数量（基数）。',
     'tasks': ['(七)'], 'targets': ['fw-retail-outlet-cap']},
    {'lines': [107],
     'text': '同一句中申报对象先写“省工信部门”，后写“省工信厅”；“完成化工园区确认公告工作”是否也以“2020年8月底前”为限，原文未写明。',
     'tasks': ['(一)2'], 'targets': ['park-confirmation-applied']},
    {'lines': [105, 126, 131, 144],
     'text': '同一类化学品写法不一：第105、126、131行为“爆炸危险性化学品”，第144行为“爆炸性危险化学品”。',
     'tasks': ['(一)1', '(二)1', '(二)3', '(三)2'], 'targets': ['control-room-relocated', 'explosive-new-operator', 'explosive-existing-operator']},
    {'lines': [157],
     'text': '镇级机构名称写法不一：“越州镇应急管理服务中心”与“其他镇(街道)应急服务中心”。',
     'tasks': ['(五)1'], 'targets': ['inspectors-yuezhou', 'inspectors-other-towns']},
    {'lines': [99, 108, 114, 125],
     'text': '文字瑕疵：第99行“危险化品”漏“学”字，标题“专项整治 三年行动实施方案”和第108行“专业 学历”中有断行留下的空格，第114行“区工信局,麒麟工业园区”以逗号代顿号，第125行“备查。。”重复句号。',
     'tasks': ['(一)3', '(二)1'], 'targets': ['closure-upgrade-done', 'park-staff-qualified']},
]


# =========================================================================== units (hand-curated)
# Units that are not ordinary 区级 government departments, with every other spelling of the
# same body found in 附件3 (lines 98-175). Ordinary departments (区应急管理局, 区工信局 …) are
# not listed.
UNITS = [
    {'name': '区人民政府', 'kind': 'local', 'aliases': []},
    {'name': '麒麟工业园区', 'kind': 'agency', 'aliases': []},
    {'name': '区生态环境分局', 'kind': 'agency', 'aliases': []},
    {'name': '麒麟公安分局', 'kind': 'agency', 'aliases': []},
    {'name': '麒麟消防救援大队', 'kind': 'agency', 'aliases': []},
    {'name': '区编办', 'kind': 'party', 'aliases': []},
    {'name': '各镇、街道', 'kind': 'local', 'aliases': []},
    {'name': '越州镇应急管理服务中心', 'kind': 'local', 'aliases': []},
    {'name': '省工信厅', 'kind': 'department', 'aliases': ['省工信部门']},
]


# =========================================================================== hazards
# 隐患类别与判定条目 (plan key "hazards"), read by hand: each category (id, name, standard, line)
# and its clauses (line, exact text, major). Every text is checked to be on its seed line; clause
# ids are 1, 2, … in order. major = True only where the seed itself writes 重大隐患 / 重大安全隐患
# for the item (see notes.md).

HAZARDS = [
    ('risk-hazard-screening', '企业安全风险隐患排查治理', '《危险化学品企业安全风险隐患排查治理导则》', 112, [
        (112, '安全风险隐患', False),
        (112, '重大隐患', True),
    ]),
    ('transport-and-disposal', '危险化学品运输和废弃处置', None, 115, [
        (115, '未经许可擅自从事经营性运输', False),
        (121, '违规堆存、随意倾倒、私自填埋危险废物等问题', False),
    ]),
    ('external-safety-distance', '外部安全防护距离', '《危险化学品生产装置和储存设施外部安全防护距离确定方法》', 125, [
        (125, '化工园区危险化学品企业外部安全防护距离内不得存在劳动密集型企业、人员密集场所', False),
        (126, '超设计量储存', False),
        (127, '不满足外部安全防护距离要求的化工生产装置和储存设施', False),
    ]),
    ('automation', '自动化控制', None, 128, [
        (128, '可燃气体和有毒气体泄漏检测报警装置', False),
        (128, '紧急切断装置', False),
        (128, '自动化控制系统', False),
        (128, '安全仪表系统', False),
        (129, '所有涉及重点监管危险化工工艺装置的上下游配套装置必须实现自动化控制及安装安全仪表系统', False),
    ]),
    ('plant-layout', '企业平面布局', None, 130, [
        (130, '行政办公区、后勤保障区、集中控制区和生产作业区实行四区分离', False),
        (131, '涉及爆炸危险性化学品的生产装置控制室、交接班室、休息室等不得布置在装置区内', False),
        (132, '控制室或机柜间面向具有火灾、爆炸危险性装置一侧必须满足国家有关防火、防爆要求', False),
        (133, '重大危险源罐区、甲乙类火灾危险性装置内、甲乙类仓库内不得设置办公室、操作室、巡检室或休息室', False),
    ]),
    ('design-and-reaction-risk', '安全设计诊断和精细化工反应安全风险评估', None, 134, [
        (134, '未经正规设计的安全设施', False),
        (134, '列入精细化工反应安全风险评估范围但未开展评估的精细化工生产装置', False),
        (134, '是否根据反应危险度等级和评估建议设置相应的安全设施', False),
    ]),
    ('illegal-violations', '危险化学品行业领域“打非治违”', None, 153, [
        (153, '无照无证或证照过期从事生产、经营、储存、运输、使用、废弃处置等活动', False),
        (153, '新(改、扩)建项目未按规定履行安全“三同时”手续', False),
        (153, '超许可范围生产经营', False),
        (153, '重大安全隐患不整改', True),
        (153, '被责令停产整顿未经验收擅自组织生产经营', False),
        (154, '动火、进入受限空间等特殊作业管控不到位', False),
        (154, '“三违”现象突出', False),
        (154, '存在重大隐患', True),
        (155, '各类商贸市场违法违规经营、储存酒精、甲醇等危险化学品', False),
        (155, '润滑油调和设施设置在“三合一”场所', False),
        (155, '冠名“生物”、“科技”、“新材料”等企业的注册生产经营范围与实际不一致', False),
    ]),
    ('fireworks', '烟花爆竹企业', None, 171, [
        (171, '新建烟花爆竹生产企业', False),
        (173, '零售企业“上宅下店,前店后宅”', False),
    ]),
]


def build_hazards(lines, start, end):
    """The plan's "hazards": categories with their clauses, each text checked against its seed line
    (start/end are the lines of the 附件3 and 附件4 markers)."""
    need(2 <= len(HAZARDS) <= 8, 'hazards: %d categories (want 2-8)' % len(HAZARDS))
    out, ids = [], set()
    for cid, name, standard, line, clauses in HAZARDS:
        need(KEBAB.match(cid) and len(cid) <= 40, 'hazard category id %r is not kebab-case of at most 40 characters' % cid)
        need(cid not in ids, 'duplicate hazard category id %s' % cid)
        ids.add(cid)
        need(start < line < end, 'hazard %s: line %d outside 附件3' % (cid, line))
        need(standard is None or (standard.startswith('《') and standard.endswith('》') and standard in lines[line - 1]),
             'hazard %s: standard %s is not on seed line %d' % (cid, standard, line))
        need(2 <= len(clauses) <= 15, 'hazard %s: %d clauses (want 2-15)' % (cid, len(clauses)))
        items = []
        for k, (n, text, major) in enumerate(clauses, 1):
            need(start < n < end, 'hazard %s/%d: line %d outside 附件3' % (cid, k, n))
            need(text and text in lines[n - 1], 'hazard %s/%d: text is not on seed line %d: %s' % (cid, k, n, text))
            need(len(text) <= 120 and text[-1] not in '。；，,;' and text == text.strip(),
                 'hazard %s/%d: text too long or not trimmed: %s' % (cid, k, text))
            need(not major or '重大' in text, 'hazard %s/%d: major, but the text does not name a 重大…隐患' % (cid, k))
            items.append({'id': str(k), 'text': text, 'line': n, 'major': bool(major)})
        out.append({'id': cid, 'name': name, 'standard': standard, 'line': line, 'clauses': items})
    return out


# =========================================================================== checks

KEBAB = re.compile(r'^[a-z0-9]+(?:-[a-z0-9]+)*$')
DATE = re.compile(r'^\d{4}-\d{2}-\d{2}$')


def attachment_text(lines, start, end):
    return '\n'.join(lines[start - 1:end - 1])


def check_targets(lines, start, end, tasks):
    labels = {t['label'] for t in tasks}
    ids = set()
    for t in TARGETS:
        tid = t['id']
        need(KEBAB.match(tid), 'target id %s is not kebab-case' % tid)
        need(tid not in ids, 'duplicate target id %s' % tid)
        ids.add(tid)
        need(t['comparator'] in COMPARATORS, '%s: comparator %s' % (tid, t['comparator']))
        for ref in [t] + t.get('also', []):
            n = ref['line']
            need(start < n < end, '%s: line %d outside 附件3' % (tid, n))
            need(ref['quote'] and ref['quote'] in lines[n - 1],
                 'target %s: quote not on L%d: %s' % (tid, n, ref['quote']))
        need(t['checkpoints'], '%s: no checkpoints' % tid)
        years = []
        for c in t['checkpoints']:
            need(set(c) <= {'year', 'value', 'due', 'upper'}, '%s: checkpoint keys %s' % (tid, c))
            need(2020 <= c['year'] <= 2022, '%s: year %s' % (tid, c['year']))
            if 'due' in c:
                need(DATE.match(c['due']) and c['due'][:4] == str(c['year']), '%s: due %s' % (tid, c['due']))
            need(('upper' in c) == (t['comparator'] == 'between'), '%s: upper only for between' % tid)
            years.append(c['year'])
        need(years == sorted(years), '%s: checkpoints out of order' % tid)
        if t['comparator'] == 'about':
            need('tolerance' in t and 'note' in t, '%s: about needs tolerance and a note' % tid)
        else:
            need('tolerance' not in t, '%s: tolerance only for about' % tid)
        need(('baseline' in t) == (t['comparator'] == 'decrease_by'), '%s: baseline only for decrease_by' % tid)
        if t['comparator'] == 'zero':
            need(all(c['value'] == 0 for c in t['checkpoints']), '%s: zero needs value 0' % tid)
        if t['comparator'] == 'full_coverage':
            need(t['unit'] == '%' and all(c['value'] == 100 for c in t['checkpoints']),
                 '%s: full_coverage needs %% and 100' % tid)
        if 'period' in t:
            need(t['period'] in PERIODS, '%s: period %s' % (tid, t['period']))
            need(t['comparator'] == 'at_least' and [c['year'] for c in t['checkpoints']] == list(CAMPAIGN),
                 '%s: a recurring duty is at_least with one checkpoint per campaign year' % tid)
        if 'scope' in t:
            need(t['scope'] in ('district', 'per_town'), '%s: scope %s' % (tid, t['scope']))
        need(('form' in t) == ('inputs' in t), '%s: form and inputs go together' % tid)
        if 'task' in t:
            need(t['task'] in labels, '%s: unknown task %s' % (tid, t['task']))
            task = next(x for x in tasks if x['label'] == t['task'])
            need(t['quote'] in task['text'], '%s: quote not in the text of task %s' % (tid, t['task']))
    return ids


def check_notes(ids, tasks):
    labels = {t['label'] for t in tasks}
    for n in NOTES:
        need(set(n) == {'lines', 'text', 'tasks', 'targets'}, 'note keys %s' % sorted(n))
        need(set(n['tasks']) <= labels, 'note names unknown tasks %s' % n['tasks'])
        need(set(n['targets']) <= ids, 'note names unknown targets %s' % n['targets'])


def check_units(lines, start, end, tasks):
    text = attachment_text(lines, start, end)
    names = set()
    for u in UNITS:
        need(u['kind'] in UNIT_KINDS, 'unit kind %s' % u['kind'])
        for s in [u['name']] + u['aliases']:
            need(s in text, 'unit spelling %s not in 附件3' % s)
            need(s not in names, 'unit spelling %s twice' % s)
            names.add(s)
    # Every role unit that is not an ordinary 区级 department (“区…局/办/委” etc.) is listed.
    for t in tasks:
        for r in t['roles']:
            u = r['unit']
            ordinary = u.startswith('区') and u.endswith(('局', '委')) and not u.endswith('分局')
            need(ordinary or u in names, '%s: role unit %s missing from units' % (t['label'], u))


def check_forms(targets):
    if not os.path.exists(FORMS):
        return
    with open(FORMS, encoding='utf-8') as f:
        forms = {fm['id']: fm for fm in json.load(f)['forms']}
    for t in targets:
        if 'form' not in t:
            continue
        need(t['form'] in forms, '%s: form %s not in forms.json' % (t['id'], t['form']))
        fields = {fd['name'] for fd in forms[t['form']]['fields']}
        missing = [i for i in t['inputs'] if i not in fields]
        need(not missing, '%s: inputs %s not fields of %s' % (t['id'], missing, t['form']))


# =========================================================================== main

def build(seed):
    lines = read_lines(seed)
    start, end = attachment_bounds(lines)
    title, goals, tasks_line = parse_title_and_goals(lines, start)
    tasks = build_tasks(lines, tasks_line, end - 1)
    ids = check_targets(lines, start, end, tasks)
    check_notes(ids, tasks)
    check_units(lines, start, end, tasks)
    check_forms(TARGETS)
    return {
        'code': '附件3',
        'title': title,
        'goals': goals,
        'source': '种子文件001 第%d–%d行' % (start, end - 1),
        'phases': [],          # 附件3 states no phases of its own (see notes.md)
        'tasks': tasks,
        'targets': TARGETS,
        'notes': NOTES,
        'units': UNITS,
        'hazards': build_hazards(lines, start, end),
    }


def render(plan):
    return json.dumps(plan, ensure_ascii=False, indent=1) + '\n'


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--seed', default=DEFAULT_SEED, help='the seed text (default: %(default)s)')
    ap.add_argument('--check', action='store_true', help='compare plan.json with what would be written')
    args = ap.parse_args(argv)
    if not os.path.exists(args.seed):
        sys.stderr.write('extract.py: seed not found: %s (pass --seed PATH)\n' % os.path.normpath(args.seed))
        return 1
    try:
        text = render(build(args.seed))
    except ExtractError as e:
        sys.stderr.write('extract.py: %s\n' % e)
        return 1
    if args.check:
        try:
            with open(OUT, encoding='utf-8') as f:
                current = f.read()
        except FileNotFoundError:
            sys.stderr.write('extract.py --check: %s does not exist\n' % OUT)
            return 1
        if current != text:
            sys.stderr.write('extract.py --check: plan.json differs from what extract.py would write; run python3 extract.py\n')
            return 1
        print('plan.json is up to date')
        return 0
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write(text)
    plan = json.loads(text)
    by = {}
    for t in plan['targets']:
        by[t['comparator']] = by.get(t['comparator'], 0) + 1
    print('%d tasks, %d targets %s, %d notes, %d units -> %s' % (
        len(plan['tasks']), len(plan['targets']), json.dumps(by, sort_keys=True),
        len(plan['notes']), len(plan['units']), OUT))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
