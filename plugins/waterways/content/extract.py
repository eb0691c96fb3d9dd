#!/usr/bin/env python3
"""附件8 《交通运输(铁路、邮政、水上)和渔业船舶安全专项整治三年行动实施方案》 (seed 001) → plan.json of the
waterways plugin.

    python3 extract.py [--seed PATH]           write plan.json next to this script
    python3 extract.py --check [--seed PATH]   exit 1 if plan.json differs from what would be written

The seed is read from ../../../../shared/seeds/001_a1dd519a45aa6056.txt relative to this script (the place it has
once the folder lives at /work/main/plugins/waterways/content/); --seed overrides that.
Derived from the seed: title, goals, tasks (labels, sections, text, roles text, roles, deadlines, first line).
Hand-curated below: targets (each with line + exact quote), source notes, units, role decisions, expected deadlines.
forms.json (hand-written) is read only to assert that every target's inputs are fields of its form.
Standard library only; output is deterministic (json, ensure_ascii=False, indent=1, trailing newline).

Two things of 附件8 the shared code (plugins/tools/seed001.py) does not fit, overridden here:
- four tasks have no responsibility parenthetical of their own: (一)1–2 share the one written after (一)3
  (L483), (二)1–2 the one after (二)3 (L488–489) → `parse_tasks` below gives each task of such a group the
  annotation of the group's last task;
- the annotations use 责任单位 / 责任部门 / 牵头部门 with 附件8's own meaning (责任部门 names the district
  department in charge, not a third tier), and write 牵头 / 分别牵头 / 按职责分工负责 inside the lists →
  `parse_roles` below.
"""
# ============================================================ generic part
# (plugins/tools/seed001.py, shared by non-coal-mines / hazardous-waste / dust-explosion)
import copy
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tools'))
from seed001 import *  # noqa: E402,F403 — L, marker, header, T, validate, main …
from seed001 import SEC_RE, NUM_RE, deadlines_of  # noqa: E402

configure(__file__)


# ============================================================ 附件8 交通运输(铁路、邮政、水上)和渔业船舶
CODE, NEXT = '附件8', '附件9'
TITLES = {}
EXPECTED_LABELS = (['(一)%d' % i for i in (1, 2, 3)] + ['(二)%d' % i for i in (1, 2, 3)] +
                   ['(三)%d' % i for i in range(1, 7)] + ['(四)%d' % i for i in range(1, 11)] +
                   ['(五)%d' % i for i in (1, 2, 3)] + ['(六)%d' % i for i in range(1, 8)])
EXPECTED_DEADLINES = {'(六)4': ['2022年底前']}
# tasks without a parenthetical of their own, and the task whose parenthetical they share (found, and asserted)
EXPECTED_GROUPS = {'(一)3': ['(一)1', '(一)2', '(一)3'], '(二)3': ['(二)1', '(二)2', '(二)3']}

# ------------------------------------------------------------ tasks
# 附件8 labels its annotations 责任单位, 责任部门 and 牵头部门 (L483: "责任单位:" directly followed by "责任部门:").
ANNOT8_RE = re.compile(r'\((?:责任单位|责任部门|牵头部门):')


def parse_tasks8(first, last):
    """Tasks on lines first..last, as seed001.parse_tasks, except that a task need not end with its own
    responsibility parenthetical: it then shares the next one in its section (the group's last task's)."""
    items, section, secnum, cur = [], None, None, None
    for n in range(first, last + 1):
        s = L(n)
        if n == first:
            s = s[len('二、主要任务和措施 '):]
        if not s.strip():
            continue
        m = SEC_RE.match(s)
        if m:
            secnum, rest = m.groups()
            k = rest.find(' 1.')
            assert k >= 0, ('every section of 附件8 has numbered items', n)
            section, cur, s = '(%s)%s' % (secnum, rest[:k]), None, rest[k + 1:]
        t = NUM_RE.match(s)
        if t:
            cur = {'label': '(%s)%s' % (secnum, t.group(1)), 'section': section, 'line': n, 'parts': [t.group(2)],
                   'lines': [n]}
            items.append(cur)
            continue
        assert cur is not None, ('text outside a task', n, s[:30])
        cur['parts'].append(s)
        cur['lines'].append(n)
    out, pending = [], []
    for it in items:
        joined = '\n'.join(it['parts'])
        hits = list(ANNOT8_RE.finditer(joined))
        task = {'label': it['label'], 'section': it['section'], 'line': it['line']}
        if not hits:
            task['text'] = joined
            pending.append(task)
            out.append(task)
            continue
        i = hits[-1].start()
        roles_text = joined[i:].replace('\n', '')
        assert roles_text.endswith(')') and roles_text.count('(') == roles_text.count(')'), roles_text
        # the line the parenthetical starts on
        before = joined[:i].count('\n')
        annot_line = it['lines'][before]
        task.update(text=joined[:i].rstrip(), roles_text=roles_text, annot_line=annot_line, group=[])
        for p in pending:
            assert p['section'] == task['section'], ('a shared annotation crosses a section', p['label'])
            p.update(roles_text=roles_text, annot_line=annot_line, shared_from=task['label'])
            task['group'].append(p['label'])
        if task['group']:
            task['group'].append(task['label'])
        pending = []
        out.append(task)
    assert not pending, ('tasks without annotation at the end', [p['label'] for p in pending])
    for t in out:
        title = t['text'].split('。', 1)[0]
        assert '\n' not in title and len(title) <= 40, (t['label'], title)
        t['title'] = TITLES.get(t['label'], title)
    return out


# ------------------------------------------------------------ roles (hand-decided, see notes.md "Roles")
LABEL8_RE = re.compile(r'(责任单位|责任部门|牵头部门):')
# words after the last unit of a list: (suffix, is a 牵头 marker)
LIST_SUFFIXES = [('分别牵头', True), ('牵头', True), ('各有关部门按职责分工负责', False), ('等按职责分工负责', False),
                 ('按职责分工负责', False), ('安职责权限具体负责', False)]
GENERIC = {'各有关部门'}          # not a unit: stays in roles_text only
# one stray character after a unit name (L532 "邮政局责")
STRAY = {'邮政局责': '邮政局'}


def split_top(v, seps):
    parts, depth, buf = [], 0, ''
    for ch in v:
        depth += (ch == '(') - (ch == ')')
        if ch in seps and depth == 0:
            parts.append(buf)
            buf = ''
        else:
            buf += ch
    parts.append(buf)
    return [p.strip() for p in parts]


def parse_roles8(roles_text):
    """Roles of one annotation in source order. 责任单位 → responsible. 责任部门 → responsible (附件8 names the district
    department in charge there), or lead for the units a 责任部门 list says 牵头 of (L527). 牵头部门 → lead for the units
    up to the last list part that ends in 牵头/分别牵头 (or for all when none does, L502); a later part ending in
    按职责分工负责 → cooperating. 各有关部门 is dropped (it names no unit). Each role keeps the source label and the cut
    words in its note. Returns (roles, empty labels)."""
    inner = roles_text[1:-1]
    marks = list(LABEL8_RE.finditer(inner))
    assert marks and marks[0].start() == 0, roles_text
    roles, empty = [], []
    for j, mk in enumerate(marks):
        label = mk.group(1)
        value = inner[mk.end(): marks[j + 1].start() if j + 1 < len(marks) else len(inner)].rstrip(';')
        if not value.strip():
            empty.append(label)
            continue
        parts = split_top(value, ',')
        cut = []
        for p in parts:
            for suf, lead_mark in LIST_SUFFIXES:
                if p.endswith(suf):
                    cut.append((p[:-len(suf)], suf, lead_mark))
                    break
            else:
                cut.append((p, None, False))
        last_lead = max((k for k, c in enumerate(cut) if c[2]), default=None)
        for k, (p, suf, _) in enumerate(cut):
            if label == '责任单位':
                role = 'responsible'
            elif last_lead is not None:
                role = 'lead' if k <= last_lead else 'cooperating'
            else:
                role = 'lead' if label == '牵头部门' else 'responsible'
            units = [u for u in split_top(p, '、') if u]
            for u in units:
                if u in GENERIC:
                    continue
                notes = []
                if label != '责任单位' or role != 'responsible':
                    notes.append('原文标注为“%s”' % label)
                if suf and u == units[-1]:
                    notes.append('原文作“%s%s”' % (u, suf))
                elif suf:
                    notes.append('所在列表以“%s”结尾' % suf)
                if suf == '安职责权限具体负责':
                    notes.append('“安”按文意应为“按”')
                if u in STRAY:
                    notes.append('原文作“%s”，末字“责”为衍字，单位按“%s”读' % (u, STRAY[u]))
                    u = STRAY[u]
                other = [r for r in roles if r['unit'] == u and r['role'] != role]
                if other:
                    notes.append('同一标注中该单位又列为%s（原文如此）' % ROLE_CN[other[0]['role']])
                r = {'role': role, 'unit': u}
                if notes:
                    r['note'] = '；'.join(notes)
                roles.append(r)
    return roles, empty


# ------------------------------------------------------------ targets
Y3 = [(2020, 100), (2021, 100), (2022, 100)]
Z3 = [(2020, 0), (2021, 0), (2022, 0)]
NO_DATE = '原文未写年份或期限，按三年行动末（2022年）设检查点（推定）'
STANDING = '常设要求，原文未写期限，2020—2022年逐年检查'
RISK, HAZ, ACC = 'major-risk', 'major-hazard', 'accident'
RL, RH = 'rail-line', 'rail-hazard'
DE, DI = 'delivery-enterprise', 'delivery-inspection'
V, P = 'vessel', 'port-ferry'
FV, FD = 'fishing-vessel', 'fishing-departure'
FV_REG = ['registered_date', 'deregistered_date']
DEP = ['departure_date', 'departure_time', 'reported', 'report_date', 'report_time']


def targets():
    return [
        # (一)3
        T('credit-management', '交通运输与渔业行业安全生产信用管理实施率', '%', 'full_coverage', [(2022, 100)], 483,
          '推动行业全面实施安全生产信用管理', task='(一)3',
          note='“全面实施”读作全覆盖；对象（行业内生产经营单位）无台账，手工填报；' + NO_DATE),
        # (二)1
        T('risk-mechanisms', '重大风险防范化解工作机制', '项', 'reach', [(2022, 4)], 484,
          '进一步健全完善重大风险防范化解四项工作机制', task='(二)1',
          note='附件8未列出“四项工作机制”的名称；健全完善的机制数手工填报；' + NO_DATE),
        T('major-risk-five-lists', '重大风险5个清单', '个', 'reach', [(2022, 5)], 484,
          '建立重大风险基础信息、防控责任、监测监控、防范措施、应急处置5个清单',
          form=RISK, inputs=['identified_date', 'basic_info', 'resp_unit', 'resp_person', 'monitoring', 'measures',
                             'emergency'], task='(二)1',
          also=[{'line': 484, 'quote': '确保底数摸排到位,责任分工到位,防控措施落实到位'}],
          note='值为5个清单中已建立的个数：一个清单在核查日已摸排的每条重大风险都填有该清单内容时算已建立（推定）；'
               '尚无重大风险登记时无数据；' + NO_DATE),
        # (二)2
        T('major-hazard-five-in-place', '重大事故隐患整改“五到位”落实率', '%', 'full_coverage', [(2022, 100)], 486,
          '严格按照隐患整改责任、 措施、资金、时限、预案“五到位”要求',
          form=HAZ, inputs=['found_date', 'resp_ok', 'measures_ok', 'funds_ok', 'deadline_date', 'plan_ok'],
          task='(二)2', note='分母为核查日前发现的全部重大事故隐患（已销号的也计）；' + NO_DATE),
        T('major-hazards-open', '未整改销号的重大事故隐患', '项', 'zero', [(2022, 0)], 486, '强力开展重大事故隐患清零行动',
          form=HAZ, inputs=['found_date', 'closed_date'], task='(二)2',
          also=[{'line': 486, 'quote': '严格实施重大事故 隐患挂牌督办、整改销号'}],
          note='核查日已发现、尚未整改销号的重大事故隐患数；' + NO_DATE),
        # (二)3
        T('typical-accidents-analysed', '近三年典型事故原因分析和整改措施制定率', '%', 'full_coverage', Y3, 488,
          '分析查找各领域近三年来发 生的典型生产安全事故原因及暴露出的问题',
          form=ACC, inputs=['is_typical', 'occurred_date', 'analysed_date', 'measures_made'], task='(二)3',
          also=[{'line': 488, 'quote': '制定切实有效整改措施,逐项抓 好整改落实'}],
          note='分母为核查日前三年内（不含三年前的同一天）发生的典型事故，分子为其中核查日前已完成原因分析并制定整改措施的；'
               '“近三年”随核查日滚动（推定）；' + STANDING),
        # (三)1
        T('rail-floating-hazards', '铁路两侧500米范围内轻体飘浮物及危树整治率', '%', 'full_coverage', [(2022, 100)], 490,
          '重点整治铁路两侧500米范围内的彩钢板、防尘网、塑料薄膜、广告幕布等轻体飘浮物和倾倒后影响铁路设施设备的高大树木',
          form=RH, inputs=['kind', 'distance_m', 'found_date', 'rectified_date'], task='(三)1',
          note='原文为“重点整治”，未写比例，按已发现的全部整治读（推定）；距离恰为500米的在范围内；未填距离的按范围内计；'
               + NO_DATE),
        T('existing-rail-zones', '既有铁路线路安全保护区划定率', '%', 'full_coverage', [(2022, 100)], 490,
          '对既有铁路,全部完成划定', form=RL, inputs=['line_kind', 'zone_delimited_date'], task='(三)1',
          also=[{'line': 490, 'quote': '全面划定铁路线路安全保护区'}], note=NO_DATE),
        T('new-rail-zone-days', '新建铁路线路安全保护区划定用时（最长）', '日', 'at_most', [(2020, 30), (2021, 30), (2022, 30)],
          491, '对新建铁路,在工程初步设计批准30日内完成划定',
          form=RL, inputs=['line_kind', 'design_approved_date', 'zone_delimited_date'], task='(三)1',
          note='值为核查日前已批准初步设计的新建铁路中，批准日到划定日（未划定的到核查日）相隔天数的最大值；批准后第30日划定为按时，'
               '第31日为超期；' + STANDING),
        T('rail-zone-markers', '铁路线路安全保护区标桩设立率', '%', 'full_coverage', [(2022, 100)], 491,
          '所有铁路线路安全保护区均按规定设立标桩', form=RL, inputs=['zone_delimited_date', 'markers_done_date'],
          task='(三)1', note='分母为核查日已划定安全保护区的线路；' + NO_DATE),
        # (四)2
        T('postal-three-in-one', '寄递企业收寄验视、实名收寄、过机安检“三位一体”落实率', '%', 'full_coverage', [(2022, 100)], 504,
          '升级收寄验视、实名收寄、过机安检“三位一体”防控模式',
          form=DE, inputs=['closed_date', 'real_name', 'open_inspection', 'xray'], task='(四)2',
          note='原文要求“升级”防控模式，未写比例；按每家在营寄递企业（网点）三项均落实读（推定）；' + NO_DATE),
        T('international-mail-screened', '国际和港澳台邮件快件全面防控安检率', '%', 'full_coverage', [(2022, 100)], 504,
          '对国际和港澳台邮件快件进行全面防控安检',
          form=DE, inputs=['closed_date', 'international', 'international_screened'], task='(四)2',
          note='分母为收寄国际和港澳台邮件快件的在营寄递企业（网点）；' + NO_DATE),
        T('hazchem-mail-accepted', '查实收寄危险化学品', '起', 'zero', Z3, 504, '对危险化学品寄递实施“零容忍”',
          form=DI, inputs=['inspected_on', 'hazchem_found'], task='(四)2',
          also=[{'line': 504, 'quote': '不得收寄危险化学品'}],
          note='核查日所在年度1月1日至核查日的检查中查实收寄危险化学品的次数；逐年检查，不累计'),
        # (四)4
        T('departure-reported-in-time', '渔船出港前24小时之内报告率', '%', 'full_coverage', Y3, 507,
          '明确渔船出港前24小时之内要及时报告', form=FD, inputs=DEP, task='(四)4',
          note='分母为核查日所在年度1月1日至核查日出港的渔船航次；报告时刻在出港前24小时（含恰为24小时）至出港之前的为按时；'
               '“24小时之内”按字面读作报告不得早于出港前24小时，与议题中“提前不足24小时为违规”的读法相反，见 notes.md；' + STANDING),
        T('unreported-departures-checked', '未报告出港渔船检查率（未报必查）', '%', 'full_coverage', Y3, 507,
          '做到已报抽查、未报必查', form=FD, inputs=DEP + ['check_date'], task='(四)4',
          note='分母为核查日所在年度1月1日至核查日出港、出港前未报告（含出港后才报告）的航次，分子为其中核查日前已检查的；' + STANDING),
        # (四)6
        T('fishing-officers-manned', '渔船职务船员最低安全配员和持证上岗落实率', '%', 'full_coverage', Y3, 511,
          '落实职务船员最低安全配员和持证上岗制度',
          form=FV, inputs=FV_REG + ['officers_required', 'officers_onboard', 'officers_certified'], task='(四)6',
          note='分母为核查日在册（已登记、未注销）渔船；实配职务船员不少于最低安全配员且全部持证的为落实；' + STANDING),
        # (四)7
        T('fishing-vessels-surveyed', '依法登记发证渔船检验率', '%', 'full_coverage', Y3, 513,
          '对依法登记发证的渔船,依法受理和实施渔船检验',
          form=FV, inputs=FV_REG + ['last_survey_date', 'survey_valid_until'], task='(四)7',
          also=[{'line': 513, 'quote': '严格针对依法登记发证渔船,摸清底数'}],
          note='分母为核查日在册渔船，分子为核查日检验证书有效（最近一次检验不晚于核查日、有效期至不早于核查日）的；' + STANDING),
        # (五)1
        T('water-annual-check', '国内水路运输年度核查', '次', 'at_least', [(2020, 1), (2021, 1), (2022, 1)], 524,
          '深入开展国内水路运输年度核查', period='yearly',
          form=V, inputs=['commercial', 'in_service_from', 'retired_date', 'annual_check_2020', 'annual_check_2021',
                          'annual_check_2022'], task='(五)1',
          note='每艘营运船舶每年度核查1次：值为上一个完整年度（2020年未满时为2020年至今）年末在营的营运船舶中核查次数最少者的次数；'
               '核查对象按船舶登记（经营者无单独台账）'),
        # (六)4
        T('port-passenger-equipment', '港口客运企业视频监控系统、安检设备、身份证识读设备配备率', '%', 'full_coverage',
          [(2022, 100)], 534, '港口客运企业按规定配备视频监控系统、安检设备(包括车辆安检设备)、身份证识读设备等',
          form=P, inputs=['kind', 'closed_date', 'cctv', 'screening', 'id_reader'], task='(六)4',
          note='分母为核查日未停用的客运码头（港口客运）；' + NO_DATE),
        T('port-liability-insurance', '港口客运、危险货物作业安全生产责任保险实施率', '%', 'full_coverage',
          [(2022, 100, '2022-12-31')], 534, '2022年底前建立实施港口客运、危险货物作业安全生产责任保险制度',
          form=P, inputs=['kind', 'closed_date', 'insured_from', 'insured_until'], task='(六)4',
          note='分母为核查日未停用的客运码头和危险货物作业码头，分子为其中核查日保险有效的；原文为建立实施“制度”，按每处投保读（推定）'),
        # (六)7
        T('fishery-liability-insurance', '渔业领域安全生产责任保险实施率', '%', 'full_coverage', [(2022, 100)], 540,
          '推动《安全生产责任保险实施办法》在渔业领域全面实施',
          form=FV, inputs=FV_REG + ['insurance', 'insured_from', 'insured_until'], task='(六)7',
          note='分母为核查日在册渔船，分子为其中核查日安全生产责任保险有效的（渔业互助保险等不计）；以渔船为单位（推定）；' + NO_DATE),
    ]


NOTES = [
    {'lines': [483],
     'text': '(一)1、(一)2没有自己的责任标注：第483行写在(一)3之后的责任标注“(责任单位:责任部门:…)”适用于(一)1–(一)3，三个任务的单位和角色相同。',
     'tasks': ['(一)1', '(一)2', '(一)3']},
    {'lines': [488, 489],
     'text': '(二)1、(二)2没有自己的责任标注：第488–489行写在(二)3之后的责任标注适用于(二)1–(二)3，三个任务的单位和角色相同。',
     'tasks': ['(二)1', '(二)2', '(二)3']},
    {'lines': [483],
     'text': '第483行的责任标注写作“(责任单位:责任部门:区交通运输局…)”：“责任单位:”后没有单位，紧接“责任部门:”。按写出的单位取角色，没有补写责任单位。',
     'tasks': ['(一)1', '(一)2', '(一)3']},
    {'lines': [506],
     'text': '(四)3的责任部门写作“区通运输局”（第506行），按文意为“区交通运输局”，单位表中作其别名。',
     'tasks': ['(四)3']},
    {'lines': [503],
     'text': '(四)1的责任标注写作“安职责权限具体负责”（第503行），“安”按文意应为“按”。',
     'tasks': ['(四)1']},
    {'lines': [532],
     'text': '(六)2的责任部门写作“区交通运输局、农业农村局、邮政局责”（第532行），末字“责”为衍字，单位按“邮政局”读。',
     'tasks': ['(六)2']},
    {'lines': [513, 514, 516, 501, 502, 507, 508],
     'text': '(四)7“依法登记发证渔船脱检专项整治”的责任部门是区交通运输局（第516行），而(三)6和(四)4–(四)6等其他渔船任务的责任（牵头）部门是区农业农村局（第502、508行等）；(四)7又写“渔船检验主管部门”而未点名。两处均按原文保留。',
     'tasks': ['(四)7', '(三)6', '(四)4']},
    {'lines': [507],
     'text': '第507行“明确渔船出港前24小时之内要及时报告”：字面意思是在出港前的24小时之内（不早于出港前24小时、且在出港之前）报告；议题把它读作“提前不足24小时为违规”（须至少提前24小时报告），与字面相反。插件按字面实现，分界恰为24小时，见 notes.md。',
     'tasks': ['(四)4'], 'targets': ['departure-reported-in-time']},
    {'lines': [477],
     'text': '整治目标“渔业生产安全事故起数和死亡人数进一步下降”（第477行）没有数字和基数年，方案格式的“下降”(decrease_by)须写下降幅度，未设为指标；事故可在典型生产安全事故台账中登记，逐年起数和死亡人数由用户对照。',
     'tasks': []},
    {'lines': [511],
     'text': '(四)6“切实提高普通船员持证上岗率”（第511行）只要求提高，没有目标值和基数，未设为指标；渔业船舶台账登记普通船员及持证人数，规则给出提示。',
     'tasks': ['(四)6']},
    {'lines': [490],
     'text': '第490行同一句中“轻体漂浮物”（标题“铁路沿线轻体漂浮物及危树整治”）和“轻体飘浮物”两种写法，指同一类物品。',
     'tasks': ['(三)1']},
    {'lines': [517],
     'text': '(四)8标题中的《船员服务薄》（第517行）按通行名称应为《船员服务簿》；表单字段用“船员服务簿”，任务标题按原文。',
     'tasks': ['(四)8']},
    {'lines': [514],
     'text': '(四)7“未取得检验证书擅自水下作业”（第514行）按文意应为“擅自下水作业”；(四)6“岸上排、港口堵、小上查”（第511行）按文意应为“海上查”。均按原文保留。',
     'tasks': ['(四)7', '(四)6']},
    {'lines': [492, 494],
     'text': '(三)1的牵头部门“区交通运输局、铁路护路联防办公室、市公安局麒麟分局分别牵头”，四个车务段、工务段写在“各有关部门按职责分工负责”之前，定为配合单位；(三)2则写“区交通运输局、市公安局麒麟分局,曲靖车务段…昆明工务段分别牵头”，六个单位均为牵头单位。两处写法不同，按原文分别取角色。',
     'tasks': ['(三)1', '(三)2']},
    {'lines': [527],
     'text': '(五)2的标注写作“责任部门:区交通运输局、水务局牵头,各有关部门按职责分工负责”：标签是“责任部门”，文字却说“牵头”，两单位按“牵头”定为牵头单位，角色说明中注明原标签。',
     'tasks': ['(五)2']},
    {'lines': [474],
     'text': '标题在第474行写作“交通运输(铁路、邮政、水上)和渔业船舶 安全专项整治三年行动实施方案”，中间的空格是原文断行所致，方案标题去掉该空格。',
     'tasks': []},
]

UNITS = [
    {'name': '区交通运输局', 'kind': 'department', 'aliases': [{'name': '区通运输局', 'line': 506}]},
    {'name': '区农业农村局', 'kind': 'department', 'aliases': [{'name': '农业农村局', 'line': 483}]},
    {'name': '区邮政局', 'kind': 'agency', 'aliases': [{'name': '邮政局', 'line': 483}]},
    {'name': '区住建局', 'kind': 'department', 'aliases': [{'name': '住建局', 'line': 537}]},
    {'name': '区水务局', 'kind': 'department', 'aliases': [{'name': '水务局', 'line': 527}]},
    {'name': '曲靖市公安局麒麟分局', 'kind': 'agency', 'aliases': [{'name': '市公安局麒麟分局', 'line': 492}]},
    {'name': '铁路护路联防办公室', 'kind': 'office', 'aliases': []},
    {'name': '麒麟交通运政管理所', 'kind': 'agency', 'aliases': []},
    {'name': '曲靖车务段', 'kind': 'company', 'aliases': []},
    {'name': '曲靖工务段', 'kind': 'company', 'aliases': []},
    {'name': '昆明车务段', 'kind': 'company', 'aliases': []},
    {'name': '昆明工务段', 'kind': 'company', 'aliases': []},
    {'name': '各镇、街道', 'kind': 'local', 'aliases': [{'name': '各镇(街道)', 'line': 488}]},
    {'name': '铁路沿线各镇(街道)', 'kind': 'local', 'aliases': []},
    {'name': '涉水相关镇(街道)', 'kind': 'local', 'aliases': []},
]


def group_note(label, task):
    g = task['group_labels']
    return '第%d行写在%s之后的责任标注适用于%s–%s（原文每组只标注一次）' % (task['annot_line'], g[-1], g[0], g[-1])


# ============================================================ hazards (隐患类别与判定条目)
# Hand-curated: each category is a list or a place type the seed names, each clause a verbatim piece of its seed line
# (list markers and trailing punctuation left out), checked by check_hazards. `major` only where the seed itself calls
# the item a 重大…隐患; `standard` only where the seed cites a titled 《》 document for the category on its line.
from hazards import category, clause, check as check_hazards  # noqa: E402 (plugins/tools/hazards.py)


def hazards():
    """Hazard categories of 附件8: the 重点整治 lists of (三)1 铁路沿线环境 and (三)2 公铁水并行交汇地段, (四)1 铁路危险货物,
    (四)2 邮政涉恐涉爆 (standard: the 《禁止寄递物品管理规定》 the seed cites there), (三)4 水上涉客运输, (四)8–10 船舶配员、
    救生设备和船上安全操作, 渔业生产 ((三)6 with the fishing-vessel items of (四)3, (四)4, (四)7) and (四)5–6 渔业无线电和
    渔业船员 (categories in seed-line order).
    Texts are copied as the seed spells them (轻体飘浮物, 助航 设施 with its space, 擅自水下作业). The seed calls no
    listed item a 重大事故隐患 (L486 speaks of 重大事故隐患 in general): every major false."""
    return check_hazards([
        category('rail-line-environment', '铁路沿线环境安全', 490, [
            clause(490, '铁路两侧500米范围内的彩钢板、防尘网、塑料薄膜、广告幕布等轻体飘浮物'),
            clause(490, '倾倒后影响铁路设施设备的高大树木'),
            clause(490, '铁路线路安全保护区内擅自建造建(构)筑物、取土、挖沙、挖沟、采空作业、堆放悬挂物品、上跨下穿管线、施工作业等违法行为'),
            clause(491, '铁路沿线两侧建造、设立生产、加工、储存、销售易燃易爆和放射性物品等危险品的场所、仓库'),
            clause(491, '不符合国家标准、行业标准规定的安全防护距离隐患'),
        ]),
        category('road-rail-water-crossings', '公铁水并行交汇地段', 493, [
            clause(493, '公铁并行交汇地段防护桩(墩、墙)、公跨铁立交桥防抛网和桥梁防撞设施、限高防护架、安全警示标志等安全防护设施没有按照规定设置安装'),
            clause(493, '安全防护设施的防护等级标准过低,不能满足安全防护要求'),
            clause(493, '安全防护设施维护管理不到位,导致缺失、破损、松脱坠落'),
            clause(493, '公跨铁桥梁上路灯杆、交通监控等支撑装置设置位置隐患'),
            clause(493, '机动车在公铁并行交汇地段超速、超载行驶'),
            clause(493, '刮撞、损坏安全防护设施和警示标志'),
            clause(493, '交通标志、标线缺失、不准'),
            clause(493, '公跨铁立交桥未组织固定资产移交,导致维护管理责任不明确、不落实'),
            clause(493, '跨越航道公路、铁路、市政等桥梁水中桥墩未按规定设置防撞设施或防撞标准偏低'),
            clause(493, '桥梁和桥区水域有关助航 设施、警示标志设置不到位、维护不到位'),
        ]),
        category('passenger-waterborne', '水上涉客运输', 497, [
            clause(497, '水上涉客运输企业及船舶超经营范围经营'),
            clause(497, '船舶超载'),
        ]),
        category('fishing-production', '渔业生产', 501, [
            clause(501, '渔船脱管'),
            clause(501, '船舶不适航'),
            clause(501, '船员不适任'),
            clause(501, '渔船超员超载超风级超航区航行'),
            clause(505, '商渔船碰撞事故中的肇事逃逸行为'),
            clause(507, '渔船“带病”出港'),
            clause(514, '依法登记的渔船未经检验、未取得检验证书擅自水下作业'),
            clause(514, '应当申报营运检验或者临时检验而不申报'),
        ]),
        category('rail-dangerous-goods', '铁路危险货物运输', 503, [
            clause(503, '托运危险货物匿报谎报货物品名、性质、重量'),
            clause(503, '在普通货物中夹带运输危险货物'),
            clause(503, '在危险货物中夹带禁止配装的货物'),
            clause(503, '铁路运输企业在非危险货物办理站办理危险货物承运手续'),
            clause(503, '铁路运输企业和托运人不按照操作规程包装、装卸、运输危险货物'),
            clause(503, '铁路运输企业不按照规定建立危险货物运输事故应急预案和开展应急演练'),
            clause(503, '铁路货场、专用铁路、铁路专用线危险货物装卸、储存设施外部安全防护距离不符合安全要求'),
            clause(503, '未按规定开展安全评价'),
            clause(503, '不落实安全责任体系和安全管理制度'),
        ]),
        category('postal-prohibited-items', '邮政涉恐涉爆', 504, [
            clause(504, '易燃易爆物等禁寄物品流入寄递渠道'),
            clause(504, '夹带、谎报、瞒报、匿报涉恐涉爆物品、危险化学品'),
            clause(504, '违法寄递危险化学品'),
        ], standard='《禁止寄递物品管理规定》'),
        category('fishing-radio-crew', '渔业无线电和渔业船员', 509, [
            clause(509, '不按标准规范配备、擅自拆卸、故意关闭渔业无线电设备'),
            clause(509, '擅自擦写篡改电台识别码'),
            clause(509, '设备信息未登记备案'),
            clause(509, '船码不符'),
            clause(509, '一船多码'),
            clause(509, '一码多船'),
            clause(511, '职务船员配备缺配'),
            clause(511, '人证不符'),
        ]),
        category('ship-manning-lifesaving', '船舶配员、救生设备和船上安全操作', 517, [
            clause(517, '船舶配员不满足最低配员要求'),
            clause(517, '船员证书职务、等级、类别和航线不符合要求'),
            clause(517, '船员是否人证相符'),
            clause(517, '证书是否伪造'),
            clause(519, '船舶用救生设备产品不符合技术要求'),
            clause(519, '国内船舶未配备持证救生设备'),
            clause(519, '救生设备技术状况差'),
            clause(521, '船员船上人员安全意识淡薄'),
            clause(521, '不按要求穿戴相应的防护救生装备'),
            clause(521, '安全防范措施不到位'),
            clause(521, '违反规章制度和安全操作规程从事作业'),
        ]),
    ], marker(CODE), marker(NEXT) - 1)


def build():
    start, end = marker(CODE), marker(NEXT) - 1
    while not L(end).strip():
        end -= 1
    title, goals, first = header(start)
    # the title was broken over two lines in the original: "…和渔业船舶 安全专项整治…" (plan note)
    assert title == '交通运输(铁路、邮政、水上)和渔业船舶 安全专项整治三年行动实施方案', title
    title = title.replace(' ', '')
    text = '\n'.join(LINES[start - 1:end])
    assert '实施步骤' not in text and '阶段' not in text, 'the attachment states phases: extract them'
    raw = parse_tasks8(first, end)
    groups = {t['label']: t['group'] for t in raw if t.get('group')}
    assert groups == EXPECTED_GROUPS, groups
    for t in raw:
        owner = t.get('shared_from', t['label'])
        t['group_labels'] = groups.get(owner, [])
    tasks, empties = [], {}
    for t in raw:
        dl = deadlines_of(t['text'])
        assert dl == EXPECTED_DEADLINES.get(t['label'], []), (t['label'], dl)
        roles, empty = parse_roles8(t['roles_text'])
        if empty:
            empties[t['label']] = empty
        if t['group_labels']:
            gn = group_note(t['label'], t)
            for r in roles:
                r['note'] = gn + ('；' + r['note'] if 'note' in r else '')
        tasks.append({'label': t['label'], 'section': t['section'], 'title': t['title'], 'text': t['text'],
                      'roles_text': t['roles_text'], 'roles': roles, 'deadlines': dl, 'phase': None,
                      'line': t['line']})
    assert [t['label'] for t in tasks] == EXPECTED_LABELS, [t['label'] for t in tasks]
    assert empties == {'(一)1': ['责任单位'], '(一)2': ['责任单位'], '(一)3': ['责任单位']}, empties
    plan = {'code': CODE, 'title': title, 'goals': goals, 'source': '种子文件001 第%d–%d行' % (start, end),
            'phases': [], 'tasks': tasks, 'targets': targets(), 'notes': NOTES, 'units': UNITS,
            'hazards': hazards()}
    # seed001.validate reads aliases as names
    flat = copy.deepcopy(plan)
    for u in flat['units']:
        for a in u['aliases']:
            assert a['name'] in L(a['line']), (u['name'], a)
        u['aliases'] = [a['name'] for a in u['aliases']]
    role_units = validate(flat, start, end)
    names = set()
    for u in flat['units']:
        names.add(u['name'])
        names.update(u['aliases'])
    # every unit a role names that is not an ordinary 区级 department is declared (as name or alias)
    ordinary = {'区交通运输局', '区农业农村局', '区邮政局', '区住建局', '区水务局'}
    undeclared = sorted(u for u in role_units if u not in names and u not in ordinary)
    assert not undeclared, undeclared
    return plan


if __name__ == '__main__':
    main(build)
