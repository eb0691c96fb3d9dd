#!/usr/bin/env python3
"""Builds content/plan.json of the coal-mining plugin from seed 001, 附件4 (lines 176–295).

Replaces extract_coal.py + build_coal.py. One run, standard library only, deterministic:

    python3 extract.py               writes plan.json next to this file
    python3 extract.py --check       exits 1 when plan.json differs from what it would write
    python3 extract.py --seed PATH   reads the seed from PATH (default: the shared seed, found
                                     from this file's place in plugins/coal-mining/content/)

The tasks are parsed from the seed (as extract_coal.py did). Everything read by hand is kept
below as data: deadlines, phases, targets (each with its seed line and the exact words),
notes on statements that do not agree, units, hazards (隐患类别与判定条目, each clause with
its seed line and exact text). The script asserts that every quote is an
exact substring of its seed line, every deadline phrase occurs in its task's text, every
number and quantity word of the attachment is inside some target's quote or listed in
NOT_TARGETS with the reason, and (when forms.json is next to it) that every target's form
and inputs exist. It also runs the checks of plugin-sdk/src/content.rs::check.
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.join(HERE, '../../../../shared/seeds/001_a1dd519a45aa6056.txt')
OUT = os.path.join(HERE, 'plan.json')
FORMS = os.path.join(HERE, 'forms.json')

FIRST, LAST = 176, 295          # 附件4: ... up to the line before 附件5:
TASKS_FROM = 199                # "三、主要任务和措施 (一)优化产业结构 1.…"

# --------------------------------------------------------------------------- tasks (parsed)


def parse_tasks(L):
    """The tasks of lines TASKS_FROM..LAST, as extract_coal.py read them, with their first line."""
    sec_re = re.compile(r'^\(([一二三四五六七])\)([^ ]+) ?(.*)$')
    tasks, cur, section, secnum = [], None, None, None
    for n in range(TASKS_FROM, LAST + 1):
        line = L(n)
        if n == TASKS_FROM:
            line = line.replace('三、主要任务和措施 ', '', 1)
        if not line.strip():
            if cur:
                cur['raw'].append('')
            continue
        m = sec_re.match(line)
        if m and not line.startswith('(责任'):
            if cur:
                tasks.append(cur)
            cur = None
            section = '(%s)%s' % (m.group(1), m.group(2))
            secnum = m.group(1)
            line = m.group(3)
            if not line:
                continue
            if not re.match(r'^\d\.', line):
                continue            # section introduction ((三)), not a task
        tm = re.match(r'^(\d)\.(.*)$', line)
        if tm:
            if cur:
                tasks.append(cur)
            cur = {'label': '(%s)%s' % (secnum, tm.group(1)), 'section': section,
                   'raw': [tm.group(2)], 'line': n}
        else:
            cur['raw'].append(line)
    if cur:
        tasks.append(cur)
    out = []
    for t in tasks:
        text = '\n'.join(t['raw']).strip('\n')
        i = text.find('(责任单位')
        roles_text = None
        if i >= 0:
            roles_text = text[i:].strip()
            text = text[:i].rstrip()
        text = re.sub(r'\n+', '\n', text).strip()
        title = text.replace('\n', '').split('。')[0]
        out.append({'label': t['label'], 'section': t['section'], 'title': title, 'text': text,
                    'roles_text': roles_text, 'line': t['line']})
    return out


LEAD = {'牵头部门', '区级牵头部门', '责任部门'}
COOP = {'区级责任部门', '区级责任单位'}


def parse_roles(rt):
    s = rt.replace('\n', '').strip()
    assert s.startswith('(') and s.endswith(')'), s
    s = s[1:-1].rstrip('。')
    parts = re.split(r'[;,](?=(?:责任单位|牵头部门|区级牵头部门|责任部门|区级责任部门|区级责任单位):)', s)
    roles, seen_lead = [], False
    for p in parts:
        k, v = p.split(':', 1)
        if k in LEAD:
            role = 'lead'
            seen_lead = True
        elif k in COOP:
            role = 'cooperating'
        elif k == '责任单位':
            role = 'cooperating' if seen_lead else 'responsible'
        else:
            raise AssertionError('unknown role label ' + k)
        units = [v] if v == '麒麟区党委、政府' else v.split('、')
        for u in units:
            r = {'role': role, 'unit': u.strip()}
            if k == '责任单位' and role == 'cooperating':
                r['note'] = '原文标注为“责任单位”，列于牵头部门之后'
            roles.append(r)
    return roles


# Deadline phrases as written, in text order (the latest is final).
DEADLINES = {
    '(一)1': ['2020年5月底前', '6月底前'],
    '(一)2': ['2020年6月底前', '9月底前', '到2021年底'],
    '(一)5': ['到2020年底', '到2021年底', '到2022年底'],
    '(四)2': ['2020年9月底前'],
    '(五)2': ['2021年', '到2020年'],
    '(五)3': ['2020年', '2021年', '2022年'],
    '(五)4': ['到2020年底', '到2022年'],
    '(五)5': ['2020年6月30日前', '2020年12月30前', '2020年内', '2021年内'],
    '(五)6': ['到2021年'],
    '(五)7': ['2022年'],
    '(六)2': ['2020年7月底前', '2020年8月底', '2020年10月', '2021年6月'],
    '(六)4': ['2020年底'],
    '(七)1': ['到2021年'],
    '(七)2': ['2020年底前', '每年'],
}
SHARED_ROLES = ['(一)1', '(一)2', '(一)3', '(一)4']   # no annotation of their own: (一)5's


def build_tasks(L):
    raw = parse_tasks(L)
    shared = None
    for t in reversed(raw):
        if t['roles_text']:
            shared = t['roles_text']
        t['_rt'] = t['roles_text'] or shared
    tasks = []
    for t in raw:
        roles = parse_roles(t['_rt'])
        if t['label'] in SHARED_ROLES:
            assert t['roles_text'] is None, t['label']
            for r in roles:
                r['note'] = '与(一)5共用责任标注'
        deadlines = DEADLINES.get(t['label'], [])
        pos = 0
        for d in deadlines:
            i = t['text'].find(d, pos)
            assert i >= 0, ('deadline not in text (in order)', t['label'], d)
            pos = i + len(d)
        tasks.append({'label': t['label'], 'section': t['section'], 'title': t['title'],
                      'text': t['text'],
                      'roles_text': t['roles_text'].replace('\n', '') if t['roles_text'] else None,
                      'roles': roles, 'deadlines': deadlines, 'phase': None, 'line': t['line']})
    assert len(tasks) == 32, len(tasks)
    assert set(DEADLINES) <= {t['label'] for t in tasks}
    return tasks


# --------------------------------------------------------------------------- phases, goals

PHASES = [  # name, start, end, first line of the paragraph, its opening words
    ('动员部署', '2020-05-01', '2020-06-30', 181, '(一)动员部署阶段。2020年5月至6月。'),
    ('排查整治', '2020-07-01', '2020-12-31', 185, '(二)排查整治阶段。2020年7月至12月。'),
    ('集中攻坚', '2021-01-01', '2021-12-31', 191, '(三)集中攻坚阶段。2021年1月至2021年12月。'),
    ('巩固提升', '2022-01-01', '2022-12-31', 193, '(四)巩固提升阶段。2022年1月至12月。'),
]


def paragraph(L, n):
    lines = []
    while n <= LAST and L(n).strip():
        lines.append(L(n))
        n += 1
    return '\n'.join(lines)


def build_phases(L):
    out = []
    for name, start, end, line, opening in PHASES:
        text = paragraph(L, line)
        assert text.startswith(opening), (name, text[:30])
        out.append({'name': name, 'start': start, 'end': end, 'text': text, 'line': line})
    return out


# --------------------------------------------------------------------------- targets (by hand)

REG = 'mine-register'     # 煤矿台账 (one record per mine; forms.json, transcribed from 1.1's lib.rs mine_register())
ANN = 'mine-annual'       # 煤矿年度统计台账 (one record per mine per year; forms.json)
MONITORING_INPUTS = ['group', 'scale', 'gas_class', 'in_enhong', 'same_seam',
                     'below_outburst_level', 'outburst_assessed', 'monitoring_upgraded']
# The targets 1.1 computed, with the register fields they read (1.1's rules.rs COMPUTE_INPUTS;
# since 1.2 the plugin takes every target's inputs from plan.json and its tests check them).
COMPUTE_INPUTS = {
    'mine-count': ['group'],
    'avg-capacity': ['group', 'capacity'],
    'standardised-share': ['group', 'status', 'standardisation'],
    'grade1-count': ['group', 'standardisation'],
    'mechanised-share': ['group', 'mech_mining', 'mech_heading'],
    'fully-mechanised-share': ['group', 'fully_mech'],
    'aux-automation-share': ['group', 'aux_automation'],
    'capacity': ['group', 'capacity'],
    'monitoring-upgrade-major': MONITORING_INPUTS,
    'monitoring-upgrade-other': MONITORING_INPUTS,
}


def cp(year, value, due=None, upper=None):
    c = {'year': year, 'value': value}
    if due:
        c['due'] = due
    if upper is not None:
        c['upper'] = upper
    return c


def every_year(value):
    return [cp(2020, value), cp(2021, value), cp(2022, value)]


def T(id, name, unit, comparator, checkpoints, line, quote, *, tolerance=None, baseline=None,
      period=None, form=None, inputs=None, task=None, also=(), note=None):
    t = {'id': id, 'name': name, 'unit': unit, 'comparator': comparator,
         'checkpoints': checkpoints}
    if tolerance is not None:
        t['tolerance'] = tolerance
    if baseline is not None:
        t['baseline'] = baseline
    if period is not None:
        t['period'] = period
    if form is not None:
        t['form'] = form
        t['inputs'] = list(inputs)
    if task is not None:
        t['task'] = task
    t['line'] = line
    t['quote'] = quote
    if also:
        t['also'] = [{'line': l, 'quote': q} for l, q in also]
    if note is not None:
        t['note'] = note
    return t


BASE_2019 = {'year': 2019, 'value': None}
BASE_NOTE = ('基数为2019年全区数字，由用户录入（基数值为 null）；年度统计台账可登记2019年记录，'
             '按 rules.md 的口径可由其算出同一数字供核对，但现行接口不能由插件回传基数。')
ABOUT_CAPACITY = ('“左右”按±15万吨读取：15万吨为保留煤矿最低规模30万吨/年的一半，多或少一处'
                  '最小规模煤矿即超出该范围；约为各年数值（294–525万吨）的3%–5%。与原煤产量取同一'
                  '偏差，2021年产能294万吨与产量300万吨（见说明）在此范围内可同时满足。')

TARGETS = [
    # ---- 整治目标 and (一) 优化产业结构
    T('mine-count', '全区煤矿数量', '处', 'at_most', [cp(2022, 8)],
      195, '全区煤矿数量控制在8处以内', form=REG, inputs=COMPUTE_INPUTS['mine-count'],
      task='(一)2', also=[(201, '全区煤矿数量由16处减少到8处')],
      note='按煤矿台账“整治分类”为单独保留或整合保留的煤矿计数；“通过三年整治”未写年份，检查点设在三年行动结束（2022年）'),
    T('state-mines', '国有煤矿', '处', 'between', [cp(2022, 2, upper=2)],
      195, '含国有煤矿2处', form=REG, inputs=['group', 'ownership'],
      note='“含国有煤矿2处”是8处保留煤矿的构成，读作恰为2处（区间2至2）；台账“所有制”为国有或省属的保留煤矿计入（省属煤矿按国有计，推定）'),
    T('avg-capacity', '保留煤矿平均单井规模', '万吨/年', 'at_least', [cp(2022, 60)],
      195, '保留煤矿平均单井规模不低于60万吨/年', form=REG, inputs=COMPUTE_INPUTS['avg-capacity'],
      task='(一)2', also=[(201, '平均单井规模65.625万吨/年(曲靖不低于60万吨/年)')],
      note='第201行的65.625万吨/年为规划测算值（525万吨÷8处），不另设目标；考核按不低于60万吨/年'),
    T('kept-alone-mines', '单独保留煤矿', '处', 'between', [cp(2022, 5, upper=5)],
      201, '单独保留煤矿5处', form=REG, inputs=['group'], task='(一)2',
      note='清单构成，读作恰为5处（区间5至5）；按台账“整治分类”为单独保留计数；未写年份，检查点设在2022年'),
    T('merged-kept-mines', '整合保留煤矿', '处', 'between', [cp(2022, 3, upper=3)],
      201, '整合保留煤矿3处', form=REG, inputs=['group'], task='(一)2',
      note='清单构成，读作恰为3处（区间3至3）；按台账“整治分类”为整合保留计数；未写年份，检查点设在2022年'),
    T('two-lists', '全区保留煤矿和关闭退出煤矿“两个清单”', '个', 'reach',
      [cp(2020, 2, due='2020-05-31')],
      199, '在2020年5月底前明确全区保留煤矿和关闭退出煤矿“两个清单”', task='(一)1',
      note='录入已明确的清单个数（0至2）'),
    T('master-plan-revision', '总体规划修改', '项', 'reach', [cp(2020, 1, due='2020-06-30')],
      199, '6月底前完成总体规划修改并报政府或有关部门审定', task='(一)1',
      note='“6月底前”接前句“2020年5月底前”，读作2020年6月30日；完成并报审定记1'),
    T('direct-closures', '列入直接关闭退出的煤矿完成现场关闭', '处', 'reach',
      [cp(2020, 4, due='2020-06-30')],
      201, '2020年6月底前,对列入直接关闭退出的4处煤矿完成现场关闭工作', form=REG,
      inputs=['group', 'status'], task='(一)2',
      note='按台账“整治分类”为关闭退出且“生产状态”为已关闭的煤矿计数；台账无关闭日期，取登记时的状态'),
    T('merger-agreements', '整合重组煤矿完成整合协议签订', '处', 'reach',
      [cp(2020, 3, due='2020-09-30')],
      201, '9月底前对整合重组3处7家煤矿完成整合协议签订', task='(一)2',
      note='按整合后的煤矿（3处，涉及7家煤矿）计已签订协议的个数；“9月底前”读作2020年9月30日'),
    T('closures', '关闭退出煤矿', '处', 'reach', [cp(2021, 8, due='2021-12-31')],
      201, '关闭退出8处', form=REG, inputs=['group', 'status'], task='(一)2',
      also=[(201, '到2021年底,所有纳入关闭煤矿全部关闭到位')],
      note='按台账“整治分类”为关闭退出或整合关闭且“生产状态”为已关闭的煤矿计数；8处=直接关闭4处+整合中关闭4处（3处7家）'),
    T('small-mines-open', '30万吨/年以下煤矿关闭退出', '处', 'zero',
      [cp(2020, 0, due='2020-12-31')],
      189, '完成30万吨/年以下煤矿关闭退出', form=REG, inputs=['capacity', 'status'],
      note='排查整治阶段（2020年7月至12月）的任务，检查点取阶段末；值为核定产能低于30万吨/年且未关闭的煤矿数（“以下”按不含30计，与rules.rs一致）'),
    T('capacity', '麒麟区产能', '万吨', 'about',
      [cp(2020, 330, due='2020-12-31'), cp(2021, 294, due='2021-12-31'),
       cp(2022, 525, due='2022-12-31')],
      210, '到2020年底,麒麟区产能达到330万吨左右', tolerance=15, form=REG,
      inputs=COMPUTE_INPUTS['capacity'], task='(一)5',
      also=[(211, '到2021年底,麒麟区产能达到294万吨左右'),
            (212, '到2022年底,麒麟区产能达到525万吨左右'),
            (201, '保留煤矿规划产能525万吨')],
      note=ABOUT_CAPACITY),
    T('output', '原煤产量', '万吨', 'about',
      [cp(2020, 290, due='2020-12-31'), cp(2021, 300, due='2021-12-31'),
       cp(2022, 500, due='2022-12-31')],
      210, '实现原煤产量290万吨左右', tolerance=15, form=ANN, inputs=['year', 'output'],
      task='(一)5',
      also=[(211, '实现原煤产量300万吨左右'), (212, '实现原煤产量500万吨左右')],
      note='“左右”按±15万吨读取（约为290–500万吨的3%–5%，与产能取同一偏差）；值为最近一个完整年度的全区原煤产量（年度统计台账之和）'),
    T('enterprise-plans', '煤矿企业编制安全生产专项整治三年行动计划', '%', 'full_coverage',
      [cp(2020, 100, due='2020-06-30')],
      182, '煤矿企业编制安全生产专项整治三年行动计划',
      note='动员部署阶段（2020年5月至6月）的任务，检查点取阶段末；录入已编制的煤矿企业占比'),
    T('merger-approvals', '整合技改扩能煤矿完成项目核准、初步设计和安全设施设计审批、环评等手续',
      '%', 'full_coverage', [cp(2020, 100, due='2020-12-31')],
      188, '督促整合技改扩能煤矿完成项目核准、初步设计和安全设施设计审批、环评等手续',
      note='排查整治阶段（2020年7月至12月）的任务，检查点取阶段末；录入已完成手续的整合技改扩能煤矿占比'),
    # ---- 整治目标: 标准化、机械化、远程监管、事故
    T('standardised-share', '一级、二级安全生产标准化管理体系达标煤矿占比', '%', 'at_least',
      [cp(2020, 60, due='2020-12-31'), cp(2022, 70)],
      257, '确保一级、二级标准化煤矿数量不低于正常生产煤矿总数的60%', form=REG,
      inputs=COMPUTE_INPUTS['standardised-share'], task='(五)4',
      also=[(257, '确保一级、二级标准化煤矿数量不低于正常生产煤矿总数的70%'),
            (196, '一级、二级安全生产标准化管理体系达标煤矿占比达70%以上')],
      note='分母按第257行取正常生产的保留煤矿；2020年检查点随“争取到2020年底”取2020年12月31日'),
    T('grade1-count', '一级安全生产标准化煤矿', '个', 'at_least',
      [cp(2020, 1, due='2020-12-31'), cp(2022, 2)],
      257, '争取到2020年底建成不少于1个一级安全生产标准化煤矿', form=REG,
      inputs=COMPUTE_INPUTS['grade1-count'], task='(五)4',
      also=[(257, '到2022年建成不少于2个一级安全生产标准化煤矿')]),
    T('remote-supervision', '正常生产建设煤矿实现远程监管监察', '%', 'full_coverage',
      [cp(2022, 100)],
      196, '所有正常生产建设煤矿基本实现远程监管监察',
      note='“基本实现”按全覆盖记，达不到100%时由用户判断；“通过三年整治”未写年份，检查点设在2022年'),
    T('mechanised-share', '所有煤矿实现机械化开采和掘进', '%', 'full_coverage', [cp(2022, 100)],
      196, '到2022年,所有煤矿实现机械化开采和掘进', form=REG,
      inputs=COMPUTE_INPUTS['mechanised-share'], task='(五)3',
      also=[(254, '2022年所有保留煤矿实现机械化开采和掘进')],
      note='按第254行取保留煤矿：机械化开采且机械化掘进的保留煤矿占比'),
    T('fully-mechanised-share', '综合机械化开采比例', '%', 'at_least', [cp(2022, 40)],
      196, '综合机械化开采比例达到40%以上', form=REG,
      inputs=COMPUTE_INPUTS['fully-mechanised-share'], task='(五)3',
      also=[(254, '综合机械化开采比例达到40%以上')]),
    T('accidents', '事故总量', '起', 'decrease_by', [cp(2022, 20)],
      197, '事故总量、死亡人数和煤炭百万吨死亡率在2019年基础上分别下降20%以上',
      baseline=BASE_2019, form=ANN, inputs=['year', 'accidents'],
      note='值为最近一个完整年度全区煤矿生产安全事故起数（年度统计台账之和）；' + BASE_NOTE),
    T('deaths', '死亡人数', '人', 'decrease_by', [cp(2022, 20)],
      197, '事故总量、死亡人数和煤炭百万吨死亡率在2019年基础上分别下降20%以上',
      baseline=BASE_2019, form=ANN, inputs=['year', 'deaths'],
      note='值为最近一个完整年度全区煤矿事故死亡人数（年度统计台账之和）；' + BASE_NOTE),
    T('death-rate', '煤炭百万吨死亡率', '人/百万吨', 'decrease_by', [cp(2022, 20)],
      197, '事故总量、死亡人数和煤炭百万吨死亡率在2019年基础上分别下降20%以上',
      baseline=BASE_2019, form=ANN, inputs=['year', 'deaths', 'output'],
      note='值为最近一个完整年度全区死亡人数÷全区原煤产量（百万吨），即死亡人数×100÷产量（万吨）；' + BASE_NOTE),
    # ---- (二) 健全责任体系
    T('policy-areas', '调整和出台相应政策措施的方面', '个', 'reach', [cp(2022, 10)],
      216, '等十个方面入手,调整和出台相应政策措施', task='(二)1',
      note='原文写“十个方面”，列出九项（见说明）；未写年份，检查点设在2022年；录入已出台政策措施的方面数'),
    T('station-ten-day-coverage', '煤管所每旬覆盖', '次', 'at_least', every_year(1),
      219, '煤管所每旬覆盖', period='ten_days', task='(二)2',
      note='每矿每旬至少检查1次：录入上一个完整旬内检查次数最少的煤矿所受检查次数'),
    T('bureau-monthly-coverage', '区能源局(省属煤矿上级公司)每月覆盖', '次', 'at_least',
      every_year(1),
      219, '区能源局(省属煤矿上级公司)每月覆盖', period='monthly', task='(二)2',
      note='每矿每月至少检查1次（省属煤矿由其上级公司）：录入上一个完整月内检查次数最少的煤矿所受检查次数'),
    T('one-group-per-mine', '按照“一矿一组”要求对辖区内所有煤矿企业进行“一对一”包保', '%',
      'full_coverage', every_year(100),
      219, '按照“一矿一组”要求对辖区内所有煤矿企业进行“一对一”包保', task='(二)2',
      note='常设要求，每年设检查点；录入已落实包保的煤矿企业占比'),
    T('responsibility-issues', '主体责任落实中可能存在的问题查摆整治的方面', '个', 'reach',
      [cp(2022, 10)],
      221, '重点查摆整治主体责任落实中可能存在的10个方面问题', task='(二)3',
      note='“10个方面”未在文中列出；未写年份，检查点设在2022年；录入已开展查摆整治的方面数'),
    # ---- (四) 重大灾害
    T('outburst-assessment', '需开展突出危险性鉴定的煤矿完成鉴定', '%', 'full_coverage',
      [cp(2020, 100, due='2020-09-30')],
      237, '在2020年9月底前完成鉴定', form=REG,
      inputs=['status', 'gas_class', 'in_enhong', 'same_seam', 'below_outburst_level',
              'outburst_assessed'],
      task='(四)2',
      note='总体为恩洪矿区内同一煤层、始突标高以下、未关闭且未登记为煤与瓦斯突出的煤矿；已登记鉴定日期（不晚于统计日）的占比'),
    # ---- (五) 安全基础建设
    T('dispatch-workers', '井下劳务派遣工', '人', 'zero', [cp(2021, 0), cp(2022, 0)],
      249, '2021年取消井下劳务派遣工', form=ANN, inputs=['year', 'dispatch_workers'],
      task='(五)2',
      note='值为最近一个完整年度末全区井下劳务派遣工人数（年度统计台账之和）；2021年起每年为0'),
    T('education-general', '一般从业人员学历初中以上', '%', 'full_coverage', [cp(2020, 100)],
      249, '到2020年基本实现一般从业人员学历初中以上', form=ANN,
      inputs=['year', 'status', 'general_staff', 'general_staff_ok'], task='(五)2',
      note='“基本实现”按全覆盖记；值为最近一个完整年度未关闭煤矿一般从业人员中初中以上学历者的占比'),
    T('education-special', '特殊工种作业人员高中以上', '%', 'full_coverage', [cp(2020, 100)],
      249, '特殊工种作业人员高中以上', form=ANN,
      inputs=['year', 'status', 'special_staff', 'special_staff_ok'], task='(五)2',
      note='同句“到2020年基本实现”；按全覆盖记，值为特殊工种作业人员中高中以上学历者的占比'),
    T('education-managers', '安全管理人员大专以上', '%', 'full_coverage', [cp(2020, 100)],
      249, '安全管理人员大专以上', form=ANN,
      inputs=['year', 'status', 'managers', 'managers_ok'], task='(五)2',
      note='同句“到2020年基本实现”；按全覆盖记，值为安全管理人员中大专以上学历者的占比'),
    T('new-mech-mines', '新增普通机械化开采矿井', '个', 'reach', [cp(2020, 2), cp(2021, 3)],
      252, '2020年新增普通机械化开采矿井2个', task='(五)3',
      also=[(253, '2021年新增普通机械化开采矿井1个')],
      note='检查点为自2020年起的累计新增数（2020年2个，2021年再增1个，累计3个）'),
    T('new-fully-mech-mines', '新增综合机械化开采矿井', '个', 'reach', [cp(2020, 2), cp(2021, 2)],
      252, '综合机械化开采矿井2个', task='(五)3',
      also=[(253, '综合机械化开采矿井0个')],
      note='检查点为自2020年起的累计新增数（2020年2个，2021年再增0个，累计2个）'),
    T('new-mech-heading-mines', '新增机械化掘进矿井', '个', 'reach', [cp(2020, 3), cp(2021, 3)],
      252, '机械化掘进矿井3个', task='(五)3',
      also=[(253, '机械化掘进矿井0个')],
      note='检查点为自2020年起的累计新增数（2020年3个，2021年再增0个，累计3个）'),
    T('new-aux-automation-mines', '新增辅助系统自动化矿井', '个', 'reach',
      [cp(2020, 0), cp(2021, 1)],
      252, '辅助系统自动化矿井0个', task='(五)3',
      also=[(253, '辅助系统自动化矿井1个')],
      note='检查点为自2020年起的累计新增数（2020年0个，2021年再增1个，累计1个）'),
    T('new-automated-faces', '新增自动化无人(少人)采煤工作面', '个', 'reach',
      [cp(2020, 0), cp(2021, 2), cp(2022, 5)],
      252, '自动化无人(少人)采煤工作面0个', task='(五)3',
      also=[(253, '自动化无人(少人)采煤工作面2个'), (254, '新增自动化无人(少人)采煤工作面3个')],
      note='检查点为自2020年起的累计新增数（0、2、3个，累计0、2、5个）'),
    T('aux-automation-share', '辅助生产系统自动化矿井比例', '%', 'at_least', [cp(2022, 60)],
      254, '辅助生产系统自动化矿井比例达到60%以上', form=REG,
      inputs=COMPUTE_INPUTS['aux-automation-share'], task='(五)3'),
    T('monitoring-upgrade-major',
      '大型矿井、煤与瓦斯突出矿井和高瓦斯矿井安全监控系统升级改造及验收完成率', '%', 'reach',
      [cp(2020, 100, due='2020-06-30')],
      259, '大型矿井、煤与瓦斯突出矿井和高瓦斯矿井于2020年6月30日前完成', form=REG,
      inputs=COMPUTE_INPUTS['monitoring-upgrade-major'], task='(五)5'),
    T('monitoring-upgrade-other', '其他矿井安全监控系统升级改造及验收完成率', '%', 'reach',
      [cp(2020, 100, due='2020-12-30')],
      260, '其他矿井于2020年12月30前完成', form=REG,
      inputs=COMPUTE_INPUTS['monitoring-upgrade-other'], task='(五)5',
      note='原文“2020年12月30前”，按2020年12月30日读取（见说明）'),
    T('city-sampling', '市级煤矿安全监管部门抽查比例', '%', 'at_least', [cp(2020, 10), cp(2021, 10)],
      260, '配合市级煤矿安全监管部门按照不低于10%比例', form=ANN,
      inputs=['year', 'status', 'gas_class', 'monitoring_check_city'], task='(五)5',
      also=[(260, '2020年内对煤与瓦斯突出矿和高瓦斯矿井进行抽查检查,2021年内对其他矿井进行抽查检查')],
      note='2020年的总体为当年煤与瓦斯突出、高瓦斯矿井，2021年为其他矿井（均不含已关闭）；值为最近一个完整年度总体中经市级抽查的占比'),
    T('district-sampling', '麒麟区能源局抽查覆盖率', '%', 'full_coverage',
      [cp(2020, 100), cp(2021, 100)],
      260, '麒麟区能源局按照全覆盖要求进行抽查检查', form=ANN,
      inputs=['year', 'status', 'gas_class', 'monitoring_check_district'], task='(五)5',
      also=[(260, '2020年内对煤与瓦斯突出矿和高瓦斯矿井进行抽查检查,2021年内对其他矿井进行抽查检查')],
      note='总体同市级抽查：2020年为煤与瓦斯突出、高瓦斯矿井，2021年为其他矿井'),
    T('it-staff', '辖区内煤矿至少配备1名大专以上计算机及相关专业人员', '%', 'full_coverage',
      [cp(2021, 100)],
      264, '到2021年,辖区内煤矿至少配备1名大专以上计算机及相关专业人员', form=ANN,
      inputs=['year', 'status', 'it_staff'], task='(五)6',
      note='值为最近一个完整年度未关闭煤矿中配备1名及以上该类人员的占比'),
    T('enclosed-coal-storage', '所有煤矿建设封闭式储煤仓和运煤走廊', '%', 'full_coverage',
      [cp(2022, 100)],
      266, '所有煤矿必须建设封闭式储煤仓和运煤走廊', form=ANN,
      inputs=['year', 'status', 'enclosed_storage'], task='(五)7',
      note='未写年份，检查点设在三年行动结束（2022年）；值为最近一个完整年度未关闭煤矿中已建成的占比'),
    T('mine-water-reuse', '矿井水循环利用率', '%', 'reach', [cp(2020, 80), cp(2021, 82), cp(2022, 85)],
      266, '2020、2021、2022年矿井水循环利用率分别达到80%,82%,85%', form=ANN,
      inputs=['year', 'mine_water', 'mine_water_reused'], task='(五)7',
      note='值为最近一个完整年度全区矿井水循环利用量之和÷矿井水产生量之和'),
    T('gangue-use', '煤矸石综合利用率', '%', 'reach', [cp(2020, 75), cp(2021, 78), cp(2022, 80)],
      266, '煤矸石综合利用率分别达到75%、78%、80%', form=ANN,
      inputs=['year', 'gangue', 'gangue_used'], task='(五)7',
      note='年份见同句“2020、2021、2022年”；值为最近一个完整年度全区煤矸石综合利用量之和÷产生量之和'),
    # ---- (六) 监管执法
    T('joint-enforcement', '每月各挂钩联系片组至少开展一次联合执法工作', '次', 'at_least',
      every_year(1),
      276, '每月各挂钩联系片组至少开展一次联合执法工作', period='monthly', task='(六)1',
      note='录入上一个完整月内联合执法次数最少的挂钩联系片组的次数'),
    T('platform-plan', '系统平台升级改造方案的制定', '项', 'reach', [cp(2020, 1, due='2020-07-31')],
      277, '2020年7月底前完成系统平台升级改造方案的制定', task='(六)2'),
    T('platform-plan-review', '对升级改造方案进行评估审定', '项', 'reach',
      [cp(2020, 1, due='2020-08-31')],
      278, '2020年8月底对升级改造方案进行评估审定', task='(六)2'),
    T('platform-upgrade-start', '启动升级改造工作', '项', 'reach', [cp(2020, 1, due='2020-10-31')],
      279, '力争在2020年10月启动升级改造工作', task='(六)2',
      note='“力争”；“2020年10月”按当月末读取'),
    T('platform-upgrade-done', '完成系统升级改造工作', '项', 'reach', [cp(2021, 1, due='2021-06-30')],
      280, '2021年6月完成系统升级改造工作', task='(六)2',
      note='“2021年6月”按当月末读取'),
    T('networked-monitoring', '辖区内所有生产及建设矿井与区、市实现联网监控', '%', 'full_coverage',
      [cp(2020, 100, due='2020-12-31')],
      287, '2020年底辖区内所有生产及建设矿井必须与区、市实现联网监控', task='(六)4'),
    # ---- (七) 应急救援
    T('rescue-team-grade', '麒麟区矿山救护中队达到二级水平', '级', 'at_most', [cp(2021, 2)],
      291, '到2021年,麒麟区矿山救护中队争取达到二级水平', task='(七)1',
      note='“争取”；录入所达标准化等级的数字（一级=1，二级=2，三级=3），数字越小等级越高，不大于2即达到；未定级不录入'),
    T('emergency-plan-revision', '煤矿企业安全生产应急预案修编', '%', 'full_coverage',
      [cp(2020, 100, due='2020-12-31')],
      292, '2020年底前完成煤矿企业安全生产应急预案修编工作', form=ANN,
      inputs=['year', 'status', 'emergency_plan_revised'], task='(七)2',
      note='值为最近一个完整年度未关闭煤矿中已登记预案修编完成日期（不晚于统计日）的占比'),
    T('emergency-drills', '每年至少组织开展1次实战化、常态化应急演练', '次', 'at_least',
      every_year(1),
      293, '每年至少组织开展1次实战化、常态化应急演练', period='yearly', form=ANN,
      inputs=['year', 'status', 'drills'], task='(七)2',
      note='按每矿每年至少1次读取：值为上一个完整年度未关闭煤矿中演练次数最少者的次数（责任单位为矿山救护中队，也可读作全区每年至少1次，见 notes.md）'),
]

# Statements that carry a number or a quantity word but are not targets, with the reason.
# (line, words, reason). extract.py asserts the words are on the line.
NOT_TARGETS = [
    (176, '附件4', '附件编号'),
    (177, '以下简称', '“以下”为行文用语'),
    (179, '从2020年5月启动至2022年12月结束', '三年行动的起止，见 phases'),
    (181, '2020年5月至6月', '阶段起止，见 phases'),
    (185, '2020年7月至12月', '阶段起止，见 phases'),
    (191, '2021年1月至2021年12月', '阶段起止，见 phases'),
    (193, '2022年1月至12月', '阶段起止，见 phases'),
    (201, '(2019—2021年)', '文件名中的年份'),
    (201, '云政发〔2019〕61号', '文号'),
    (201, '云政发〔2020〕9号', '文号'),
    (203, '停止审批改扩建后产能低于30万吨/年的煤矿', '准入规则，rules.rs validate 已有'),
    (204, '停止审批新建和改扩建后产能低于90万吨/年的煤与瓦斯突出煤矿项目', '准入规则，rules.rs validate 已有'),
    (205, '停止审批新建开采深度超1000米和改扩建开采深度超1200米的大中型及以上煤矿项目,改扩建开采深度超600米的其他煤矿项目',
     '准入规则，rules.rs validate 已有'),
    (206, '停止审批新建和改扩建产能高于500万吨/年的煤与瓦斯突出煤矿项目,新建和改扩建产能高于800万吨/年的高瓦斯煤矿项目',
     '准入规则，rules.rs validate 已有'),
    (208, '安委办〔2020〕28号', '文号'),
    (216, '定期研究,深入查摆分析和定期研究', '“定期”未写周期，不能计数'),
    (219, '在落实计划监管工作机制的基础上', '（无数字；为说明下一句的每旬/每月覆盖）'),
    (221, '作业场所有害因素', '“场所有害”中的字，不是“所有”'),
    (232, '定期分析研判', '“定期”未写周期，不能计数'),
    (232, '定期开展安全风险评估', '“定期”未写周期，不能计数'),
    (237, '开拓开采标高在始突标高以下', '鉴定对象的条件，煤矿台账 needs_assessment 已有'),
    (237, '超过6个月未鉴定的一律直接认定为煤与瓦斯突出矿井', '认定规则，rules.rs deemed_outburst 已有（读法见 rules.md）'),
    (249, '推进逢查必考常态化', '“常态化”无数字、无周期'),
    (276, '结合每月监管计划', '指联合执法所依据的月度监管计划，不另计；次数见 joint-enforcement'),
]
WORDS = ['每旬', '每月', '每季度', '每半年', '每年', '左右', '以上', '以内', '以下', '不低于',
         '不少于', '不超过', '低于', '高于', '至少', '全覆盖', '下降', '所有', '全部', '定期',
         '常态化']
TOKEN_RE = re.compile(r'\d+(?:\.\d+)?(?!\.\D)|' + '|'.join(WORDS))

# --------------------------------------------------------------------------- notes, units

NOTES = [
    {'lines': [183, 247],
     'text': '第183行（动员部署阶段）写“学习培训‘一规程三细则’”，第247行写“一规程两细则”，'
             '括号内列《煤矿安全规程》《防治煤与瓦斯突出细则》《煤矿防治水细则》，为一个规程、两个细则。',
     'tasks': ['(五)1'], 'targets': []},
    {'lines': [211, 210, 212],
     'text': '第211行：到2021年底产能294万吨左右、原煤产量300万吨左右，产量高于产能；'
             '2020年（产能330、产量290万吨）和2022年（产能525、产量500万吨）产量均低于产能。',
     'tasks': ['(一)5'], 'targets': ['capacity', 'output']},
    {'lines': [216],
     'text': '第216行写“等十个方面入手”，列出的为九项：理顺监管工作体制、强化监管工作保障、'
             '优化监管专业队伍、改进监管执法工作体系、提高监管智能化水平、完善应急救援体系建设、'
             '创新驻矿监督员管理使用办法、开展监管工作巡查、强化监管责任和企业主体责任落实。',
     'tasks': ['(二)1'], 'targets': ['policy-areas']},
    {'lines': [259, 260],
     'text': '第259行安全监控系统升级改造第一批为“大型矿井、煤与瓦斯突出矿井和高瓦斯矿井”'
             '（2020年6月30日前），第260行2020年抽查只列“煤与瓦斯突出矿和高瓦斯矿井”，未列大型矿井；'
             '非突出、非高瓦斯的大型矿井按“其他矿井”在2021年抽查。',
     'tasks': ['(五)5'],
     'targets': ['monitoring-upgrade-major', 'city-sampling', 'district-sampling']},
    {'lines': [260],
     'text': '第260行“其他矿井于2020年12月30前完成”：期限为12月30日而非月末，且缺“日”字；'
             '本插件按2020年12月30日读取。',
     'tasks': ['(五)5'], 'targets': ['monitoring-upgrade-other']},
    {'lines': [196, 257],
     'text': '第196行“一级、二级安全生产标准化管理体系达标煤矿占比达70%以上”未写分母；'
             '第257行写“不低于正常生产煤矿总数的70%”（2020年底为60%）。',
     'tasks': ['(五)4'], 'targets': ['standardised-share']},
    {'lines': [196, 254],
     'text': '第196行写“到2022年,所有煤矿实现机械化开采和掘进”，第254行写“所有保留煤矿”。',
     'tasks': ['(五)3'], 'targets': ['mechanised-share']},
    {'lines': [189, 201],
     'text': '第189行排查整治阶段（2020年7月至12月）要求“完成30万吨/年以下煤矿关闭退出”；'
             '第201行的关闭安排为2020年6月底前直接关闭4处、9月底前签订整合协议、到2021年底全部关闭到位。'
             '30万吨/年以下煤矿是否均在2020年关闭的批次中，原文未说明。',
     'tasks': ['(一)2'], 'targets': ['small-mines-open', 'direct-closures', 'closures']},
    {'lines': [196, 287],
     'text': '第287行要求2020年底辖区内所有生产及建设矿井“必须”与区、市实现联网监控；'
             '第196行三年整治目标为所有正常生产建设煤矿“基本实现”远程监管监察。',
     'tasks': ['(六)4'], 'targets': ['networked-monitoring', 'remote-supervision']},
    {'lines': [237],
     'text': '第237行“在2020年9月底前完成鉴定,超过6个月未鉴定的一律直接认定为煤与瓦斯突出矿井”：'
             '6个月从何时起算未写明，与9月底前的期限如何衔接也未写明。',
     'tasks': ['(四)2'], 'targets': ['outburst-assessment']},
    {'lines': [177],
     'text': '第177行标题为《煤矿安全专项整治三年行动实施方案》，正文称制定'
             '《曲靖市麒麟区煤矿安全生产专项整治三年行动计划》。',
     'tasks': [], 'targets': []},
    {'lines': [277, 294],
     'text': '区级方案中，第277行写“切实做好曲靖市煤矿安全生产信息化平台升级改造”，'
             '第294行写“研究制定全市煤矿企业应急物资储备管理办法”，范围为全市；'
             '第294–295行其余部分为“在全区范围内”“建立全区应急物资储备数据库”。',
     'tasks': ['(六)2', '(七)3'], 'targets': []},
    {'lines': [227, 230],
     'text': '责任单位的写法不一：第227行为“区人民政府”，第230行为“麒麟区区人民政府”（多一“区”字），'
             '其余为“麒麟区人民政府”。',
     'tasks': ['(三)2', '(三)3'], 'targets': []},
]

UNITS = [
    {'name': '麒麟区人民政府', 'kind': 'local',
     'aliases': [{'name': '区人民政府', 'line': 227}, {'name': '麒麟区区人民政府', 'line': 230}]},
    {'name': '麒麟区党委、政府', 'kind': 'party', 'aliases': []},
    {'name': '区煤矿整治工作领导小组各成员单位', 'kind': 'office', 'aliases': []},
    {'name': '区能源局安全生产监管科', 'kind': 'office', 'aliases': []},
    {'name': '煤管所', 'kind': 'agency', 'aliases': []},
    {'name': '区供电局', 'kind': 'company', 'aliases': []},
    {'name': '中国电信曲靖分公司', 'kind': 'company', 'aliases': []},
    {'name': '中国移动曲靖分公司', 'kind': 'company', 'aliases': []},
    {'name': '麒麟区矿山救护中队', 'kind': 'agency', 'aliases': []},
]

# --------------------------------------------------------------------------- hazards
# 隐患类别与判定条目 (plan key "hazards"), read by hand: each category (id, name, standard, line)
# and its clauses (line, exact text, major). Every text is asserted to be on its seed line; clause
# ids are 1, 2, … in order. No clause of 附件4 is major: the attachment names no 重大事故隐患 item
# and cites no 重大事故隐患判定标准 (see notes.md).

HAZARDS = [
    ('illegal-violations', '违法违规行为', None, 227, [
        (227, '“五假五超三瞒三不”', False),
        (227, '擅自复工复建', False),
        (227, '借技改和隐患排查整改之名组织生产', False),
        (227, '拒不执行监管监察指令', False),
        (227, '非法私挖盗采煤炭', False),
    ]),
    ('gas', '瓦斯灾害', None, 236, [
        (236, '瓦斯频繁超限报警问题', False),
        (237, '超过6个月未鉴定的一律直接认定为煤与瓦斯突出矿井', False),
    ]),
    ('water', '水害', None, 239, [
        (239, '以水害为主的隐蔽致灾因素', False),
        (240, '老空水', False),
    ]),
    ('roof', '顶板', None, 242, [
        (242, '空帮', False),
        (242, '空顶作业', False),
    ]),
    ('mine-fire', '矿井火灾', '《煤矿矿井防灭火技术规范》', 244, [
        (244, '采空区火灾', False),
        (245, '使用国家明令淘汰的机电设备和非阻燃电缆、胶带、风筒等材料', False),
        (245, '电气设备失爆现象', False),
    ]),
]


def build_hazards(L):
    """The plan's "hazards": categories with their clauses, each text checked against its seed line."""
    def fail(msg):
        raise AssertionError('hazards: ' + msg)
    if not 2 <= len(HAZARDS) <= 8:
        fail('%d categories (want 2–8)' % len(HAZARDS))
    out, ids = [], set()
    for cid, name, standard, line, clauses in HAZARDS:
        if not (re.fullmatch(r'[a-z0-9]+(-[a-z0-9]+)*', cid) and len(cid) <= 40):
            fail('category id %r is not kebab-case of at most 40 characters' % cid)
        if cid in ids:
            fail('duplicate category id %s' % cid)
        ids.add(cid)
        if not FIRST <= line <= LAST:
            fail('%s: line %d outside 附件4 (%d–%d)' % (cid, line, FIRST, LAST))
        if standard is not None and not (standard.startswith('《') and standard.endswith('》') and standard in L(line)):
            fail('%s: standard %s is not on seed line %d' % (cid, standard, line))
        if not 2 <= len(clauses) <= 15:
            fail('%s: %d clauses (want 2–15)' % (cid, len(clauses)))
        items = []
        for k, (n, text, major) in enumerate(clauses, 1):
            if not FIRST <= n <= LAST:
                fail('%s/%d: line %d outside 附件4' % (cid, k, n))
            if not text or text not in L(n):
                fail('%s/%d: text is not on seed line %d: %s' % (cid, k, n, text))
            if len(text) > 120 or text[-1] in '。；，,;' or text != text.strip():
                fail('%s/%d: text too long or not trimmed: %s' % (cid, k, text))
            if major and '重大' not in text:
                fail('%s/%d: major, but the text does not name a 重大…隐患' % (cid, k))
            items.append({'id': str(k), 'text': text, 'line': n, 'major': bool(major)})
        out.append({'id': cid, 'name': name, 'standard': standard, 'line': line, 'clauses': items})
    return out


# --------------------------------------------------------------------------- checks


def check_quotes(L, targets):
    for t in targets:
        refs = [(t['line'], t['quote'])] + [(a['line'], a['quote']) for a in t.get('also', [])]
        for line, quote in refs:
            assert FIRST <= line <= LAST, (t['id'], line)
            assert quote and quote in L(line), (t['id'], line, quote)


def check_coverage(L, targets):
    """Every number / quantity word of the attachment lies in a quote on its line or in NOT_TARGETS."""
    spans = {}
    refs = [(l, q) for l, q, _ in NOT_TARGETS]
    for t in targets:
        refs += [(t['line'], t['quote'])] + [(a['line'], a['quote']) for a in t.get('also', [])]
    for line, quote in refs:
        s = L(line)
        assert quote in s, ('not on line', line, quote)
        i = s.find(quote)
        while i >= 0:
            spans.setdefault(line, []).append((i, i + len(quote)))
            i = s.find(quote, i + 1)
    missing = []
    for n in range(FIRST, LAST + 1):
        for m in TOKEN_RE.finditer(L(n)):
            if not any(a <= m.start() and m.end() <= b for a, b in spans.get(n, [])):
                missing.append((n, m.group(), L(n)[max(0, m.start() - 12):m.end() + 12]))
    assert not missing, 'uncovered numbers/words:\n' + '\n'.join(map(str, missing))


def check_content(plan, forms):
    """plugin-sdk/src/content.rs::check, for the plan and forms.json (when present)."""
    problems = []
    p = problems.append
    comparators = {'reach', 'at_least', 'at_most', 'decrease_by', 'about', 'between', 'zero',
                   'full_coverage'}
    periods = {'ten_days', 'monthly', 'quarterly', 'half_yearly', 'yearly'}
    kinds = {'party', 'department', 'local', 'agency', 'office', 'enterprise', 'company'}
    date_re = re.compile(r'^\d{4}-\d{2}-\d{2}$')
    labels = [t['label'] for t in plan['tasks']]
    if len(set(labels)) != len(labels):
        p('duplicate task labels')
    for ph in plan['phases']:
        if not (date_re.match(ph['start']) and date_re.match(ph['end'])) or ph['start'] > ph['end']:
            p('phase dates ' + ph['name'])
    fields = {f['id']: [x['name'] for x in f['fields']] for f in forms}
    ids = set()
    for t in plan['targets']:
        at = t['id']
        if not re.match(r'^[a-z0-9-]+$', at) or at in ids:
            p(at + ': id')
        ids.add(at)
        if not t['checkpoints']:
            p(at + ': no checkpoints')
        c = t['comparator']
        if c not in comparators:
            p(at + ': comparator')
        if (c == 'about') != ('tolerance' in t):
            p(at + ': tolerance only and always with about')
        for k in t['checkpoints']:
            if (c == 'between') != ('upper' in k) or ('upper' in k and k['upper'] < k['value']):
                p(at + ': upper')
            if 'due' in k and (not date_re.match(k['due']) or int(k['due'][:4]) != k['year']):
                p(at + ': due')
        if (c == 'decrease_by') != ('baseline' in t):
            p(at + ': baseline only and always with decrease_by')
        if c == 'zero' and any(k['value'] != 0 for k in t['checkpoints']):
            p(at + ': zero needs 0')
        if c == 'full_coverage' and (t['unit'] != '%' or any(k['value'] != 100 for k in t['checkpoints'])):
            p(at + ': full_coverage needs % and 100')
        if 'period' in t and (t['period'] not in periods or c != 'at_least'):
            p(at + ': period')
        if 'task' in t and t['task'] not in labels:
            p(at + ': task')
        if 'form' in t:
            if forms and t['form'] not in fields:
                p(at + ': form ' + t['form'])
            if not t.get('inputs'):
                p(at + ': inputs')
            for i in t.get('inputs', []):
                if forms and i not in fields.get(t['form'], []):
                    p('%s: %s has no field %s' % (at, t['form'], i))
        elif 'inputs' in t:
            p(at + ': inputs without form')
    for t in plan['targets']:
        if t['id'] in COMPUTE_INPUTS and t.get('inputs') != COMPUTE_INPUTS[t['id']]:
            p(t['id'] + ': inputs differ from COMPUTE_INPUTS (the fields rules.rs reads)')
    for n in plan['notes']:
        for x in n['tasks']:
            if x not in labels:
                p('note task ' + x)
        for x in n['targets']:
            if x not in ids:
                p('note target ' + x)
        for x in n['lines']:
            if not FIRST <= x <= LAST:
                p('note line %d' % x)
    names = set()
    for u in plan['units']:
        if u['kind'] not in kinds:
            p('unit kind ' + u['name'])
        for n in [u['name']] + [a['name'] if isinstance(a, dict) else a for a in u['aliases']]:
            if n in names:
                p('unit twice ' + n)
            names.add(n)
    role_units = {r['unit'] for t in plan['tasks'] for r in t['roles']}
    for n in names:
        if n not in role_units:
            p('unit not in roles ' + n)
    assert not problems, '\n'.join(problems)


# --------------------------------------------------------------------------- main


def build(seed):
    lines = open(seed, encoding='utf-8').read().split('\n')

    def L(n):
        return lines[n - 1]

    assert L(FIRST) == '附件4:' and L(LAST + 1) == '附件5:', 'seed lines moved'
    title = L(FIRST + 1).split(' ', 1)[0]
    assert title == '煤矿安全专项整治三年行动实施方案'
    assert L(195).startswith('二、整治目标 ')
    goals = '\n'.join(L(n) for n in range(195, 198)).replace('二、整治目标 ', '', 1)
    tasks = build_tasks(L)
    check_quotes(L, TARGETS)
    check_coverage(L, TARGETS)
    # An alias read on a line is on it, as written.
    for u in UNITS:
        for a in u['aliases']:
            if isinstance(a, dict):
                assert a['name'] in L(a['line']), 'alias %s not on line %d' % (a['name'], a['line'])
    plan = {
        'code': '附件4',
        'title': title,
        'goals': goals,
        'source': '种子文件001 第%d–%d行' % (FIRST, LAST),
        'phases': build_phases(L),
        'tasks': tasks,
        'targets': TARGETS,
        'notes': NOTES,
        'units': UNITS,
        'hazards': build_hazards(L),
    }
    forms = []
    if os.path.exists(FORMS):
        forms = json.load(open(FORMS, encoding='utf-8'))['forms']
    check_content(plan, forms)
    return json.dumps(plan, ensure_ascii=False, indent=1) + '\n'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--seed', default=SEED)
    ap.add_argument('--check', action='store_true', help='exit 1 when plan.json is not up to date')
    a = ap.parse_args()
    text = build(a.seed)
    if a.check:
        try:
            old = open(OUT, encoding='utf-8').read()
        except FileNotFoundError:
            old = None
        if old != text:
            print('plan.json differs from what extract.py writes; run python3 extract.py',
                  file=sys.stderr)
            sys.exit(1)
        print('plan.json is up to date')
        return
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write(text)
    plan = json.loads(text)
    print('%d tasks, %d targets, %d notes, %d units -> %s' % (
        len(plan['tasks']), len(plan['targets']), len(plan['notes']), len(plan['units']), OUT))


if __name__ == '__main__':
    main()
