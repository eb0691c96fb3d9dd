#!/usr/bin/env python3
"""附件7 《强化道路交通安全管理专项整治三年行动方案》 (seed 001) → plan.json of the roads plugin.

    python3 extract.py [--seed PATH]           write plan.json next to this script
    python3 extract.py --check [--seed PATH]   exit 1 if plan.json differs from what would be written

The seed is read from ../../../../shared/seeds/001_a1dd519a45aa6056.txt relative to this script (the place it has
once the folder lives at /work/main/plugins/roads/content/); --seed overrides that.
Derived from the seed: title, goals, tasks (labels, sections, titles, text, deadlines, first line).
Hand-curated below: targets (each with line + exact quote), source notes, units, expected labels and deadlines.
forms.json (hand-written) is read only to assert that every target's inputs are fields of its form.
Standard library only; output is deterministic (json, ensure_ascii=False, indent=1, trailing newline).

附件7 is written by one agency (the 交警大队) for itself and is laid out unlike the attachments the shared
script serves (一、指导思想 二、工作目标 三、组织领导 四、工作措施和任务 五、工作要求; no responsibility
parentheticals): its header and task parser are here (`header7`, `tasks7`); the rest is plugins/tools/seed001.py.
"""
# ============================================================ generic part
# (plugins/tools/seed001.py: L, marker, deadlines_of, T, validate, main)
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tools'))
from seed001 import *  # noqa: E402,F403 — L, marker, deadlines_of, T, validate, main …

configure(__file__)


# ============================================================ 附件7 道路交通
CODE, NEXT = '附件7', '附件8'
PARTS = ['一、指导思想 ', '二、工作目标 ', '三、组织领导 ', '四、工作措施和任务 ', '五、工作要求 ']
EXPECTED_LABELS = ['(一)1', '(一)2', '(一)3', '(一)4', '(一)5', '(二)1', '(二)2',
                   '(三)1', '(三)2', '(三)3', '(三)4', '(四)1', '(四)2', '(四)3', '(四)4', '(四)5']
EXPECTED_DEADLINES = {'(一)3': ['到2022年底'], '(二)2': ['2022年']}

Y3 = [(2020, 0), (2021, 0), (2022, 0)]
ONCE = [(2020, 1), (2021, 1), (2022, 1)]
NO_DATE = '原文未写年份或期限，按三年行动末（2022年）设检查点（推定）'
PERIOD = '值为最近一个完整{p}内的次数（当前{p}未满时取上一个{p}；2020年第一个{p}未满时取其至今的次数）'
B, SC, H, AS, V, DC, WE, PA = ('bulletin', 'special-campaign', 'road-hazard', 'accident-stats', 'key-vehicle',
                               'drug-driver-cleanup', 'warning-education', 'publicity-activity')


def targets():
    return [
        T('special-campaigns', '每年组织开展重点交通违法专项整治', '个', 'between',
          [(2020, 3, None, 5), (2021, 3, None, 5), (2022, 3, None, 5)], 429,
          '每年组织开展3至5个重点交通违法专项整治', period='yearly',
          form=SC, inputs=['started_on'], task='(一)1',
          note='按开始日期计入年度；' + PERIOD.format(p='年度')),
        T('violation-analysis-monthly', '每月进行交通违法分析研判和通报', '次', 'at_least', ONCE, 429,
          '每月、半年、全年分别进行交通违法分析研判和通报', period='monthly',
          form=B, inputs=['bulletin_type', 'period_kind', 'issued_on'], task='(一)1',
          note='通报类别为“交通违法分析研判通报”、周期为“每月”的通报，按通报日期计；' + PERIOD.format(p='月')),
        T('violation-analysis-half-yearly', '每半年进行交通违法分析研判和通报', '次', 'at_least', ONCE, 429,
          '每月、半年、全年分别进行交通违法分析研判和通报', period='half_yearly',
          form=B, inputs=['bulletin_type', 'period_kind', 'issued_on'], task='(一)1',
          note='周期为“半年”的交通违法分析研判通报，按通报日期计；' + PERIOD.format(p='半年')),
        T('violation-analysis-yearly', '每年进行交通违法分析研判和通报', '次', 'at_least', ONCE, 429,
          '每月、半年、全年分别进行交通违法分析研判和通报', period='yearly',
          form=B, inputs=['bulletin_type', 'period_kind', 'issued_on'], task='(一)1',
          note='周期为“全年”的交通违法分析研判通报，按通报日期计；' + PERIOD.format(p='年度')),
        T('rural-governance-system', '建成农村道路交通安全治理体系', '项', 'reach', [(2022, 1, '2022-12-31')], 433,
          '到2022年底建成农村道路交通安全治理体系', task='(一)3',
          note='限期事项，手工填报：建成填1，未建成填0'),
        T('key-vehicle-violation-monthly', '重点车辆交通违法每月通报', '次', 'at_least', ONCE, 437,
          '完善重点车辆交通违法每月通报制度', period='monthly',
          form=B, inputs=['bulletin_type', 'issued_on'], task='(一)5',
          note='通报类别为“重点车辆交通违法通报”的通报，按通报日期计；' + PERIOD.format(p='月')),
        T('hazard-supervision', '应挂牌督办的道路交通安全隐患按级别挂牌督办', '%', 'full_coverage',
          [(2020, 100), (2021, 100), (2022, 100)], 439, '提请省、市、区三级挂牌督办',
          form=H, inputs=['found_on', 'treated_on', 'accidents_2y', 'severe_consequence', 'regular_pattern',
                          'facility_defect', 'mass_casualty_risk', 'hard_to_fix', 'major_hazard',
                          'supervision_level', 'supervision_on'], task='(二)1',
          also=[{'line': 439, 'quote': '对易导致群死群伤、且整改难度大的隐患,申报省、市政府挂牌督办'},
                {'line': 440, 'quote': '对发生多起或损害后果严重的交通事故,有一定规律性的道路点段,且道路设施存在缺陷的,提请区政府挂牌督办'}],
          note='常设要求，逐年计：分母为当日已发现、尚未治理完成且按第439–440行应挂牌督办的隐患路段（含重大安全生产隐患），'
               '分子为已在应有级别（或更高级别）挂牌督办的；“多起”按近两年内2起及以上理解（推定，见rules.md）'),
        T('hazard-stock', '未治理完成的存量道路交通安全隐患路段', '处', 'zero', [(2022, 0)], 439, '消除存量',
          form=H, inputs=['origin', 'found_on', 'treated_on'], task='(二)1',
          note=NO_DATE + '；“消除存量、不添增量、动态排查”为公路安全生命防护工程的方针，存量指已有道路既存的隐患'),
        T('hazard-increment', '新增（增量）道路交通安全隐患路段', '处', 'zero', Y3, 439, '不添增量',
          form=H, inputs=['origin', 'found_on'], task='(二)1',
          note='常设要求，逐年计当年内发现的增量隐患路段（新建、改扩建道路新增的隐患，推定）'),
        T('online-handling-rate', '网上处理案件量与上一年度同期财产损失事故总数之比', '%', 'reach',
          [(2022, 70)], 442, '确保网上处理案件量与上一年度同期财产损失事故总数相比,2022年达到70%',
          form=AS, inputs=['stat_year', 'stat_month', 'property_loss_accidents', 'online_cases'], task='(二)2',
          note='当年已结束各月网上处理案件量之和÷上一年度同期各月财产损失事故总数之和（两年均有月报的月份）；'
               '原文另写“以后逐年不断增长、进一步提高”，2022年以后无数值（见说明）'),
        T('hazard-list-monthly', '每月将隐患车辆、驾驶人及企业清单通报交通运输、应急管理部门', '次', 'at_least', ONCE, 446,
          '每月对照问题隐患清单,将隐患车辆、驾驶人及企业清单通报交通运输、应急管理部门', period='monthly',
          form=B, inputs=['bulletin_type', 'issued_on', 'recipients'], task='(三)2',
          note='通报类别为“隐患车辆、驾驶人及企业清单通报”且通报对象含交通运输部门和应急管理部门的，按通报日期计；'
               + PERIOD.format(p='月')),
        T('overdue-vehicles-in-bukong', '逾期未报废、逾期未检验重点车辆录入缉查布控系统', '%', 'full_coverage',
          [(2020, 100), (2021, 100), (2022, 100)], 448,
          '对逾期未报废的机动车,以及“两客一危”车辆、校车(涉校车辆)、“营转非”客车逾期未检验的,将车辆信息及时录入集缉查布控系统',
          form=V, inputs=['vehicle_type', 'inspection_due', 'inspected_on', 'scrap_due', 'scrapped_on', 'bukong_on'],
          task='(三)3',
          note='常设要求，逐年计：分母为当日逾期未报废的机动车和逾期未检验的“两客一危”车辆、校车（涉校车辆）、“营转非”客车，'
               '分子为其中已录入缉查布控系统的；有效期（报废期）止日当天不算逾期，次日起逾期'),
        T('drug-driver-cleanup-monthly', '每月组织集中开展一次吸毒驾驶人驾驶证清理排查', '次', 'at_least', ONCE, 450,
          '每月组织集中开展一次清理排查', period='monthly',
          form=DC, inputs=['held_on'], task='(三)4',
          note='按清理排查日期计；' + PERIOD.format(p='月')),
        T('warning-education', '每年组织“两客一危一货”道路运输企业负责人、安全管理员和所属违法驾驶人警示教育', '次', 'at_least',
          [(2020, 6), (2021, 6), (2022, 6)], 452,
          '每年组织“两客一危一货”道路运输企业负责人、安全管理员和所属违法驾驶人进行交通安全警示教育不少于6次',
          period='yearly', form=WE, inputs=['held_on', 'enterprise_kinds', 'audience'], task='(四)1',
          note='对象含“两客一危一货”企业且受教育人员含企业负责人、安全管理员或所属违法驾驶人的场次，按举办日期计；'
               + PERIOD.format(p='年度')),
        T('five-into-venues', '文明交通安全宣传“五进”活动覆盖的场所类别', '类', 'reach', [(2022, 5)], 454,
          '“五进”活动(进农村、进社区、进企业、进学校、进家庭)',
          form=PA, inputs=['kind', 'venue', 'held_on'], task='(四)2',
          note=NO_DATE + '；值为2020年以来已开展“五进”活动的场所类别数（农村、社区、企业、学校、家庭，至多5类）'),
        T('driving-school-five-ones', '辖区驾校开展文明交通进驾校“五个一”活动覆盖率', '%', 'full_coverage', [(2022, 100)], 454,
          '深入开展文明交通进驾校“五个一”活动', task='(四)2',
          note=NO_DATE + '；手工填报：五项（一个阵地或基地、一堂法治课、一部警示教育片、一次志愿服务、一场宣誓仪式）均已开展的驾校占辖区驾校的比例；'
               '表单“文明交通宣传教育活动记录”逐校登记开展情况'),
    ]


def requirements_note(start, end):
    """五、工作要求 (L462–471) verbatim: kept in a note, not tasks (they are requirements on the brigade's own squads)."""
    lines = [n for n in range(start, end + 1) if L(n).strip()]
    text = '\n'.join(L(n) for n in lines)
    assert text.startswith('五、工作要求 (一)统一思想,提高认识。'), text[:30]
    return {'lines': lines,
            'text': '“五、工作要求”（第462–471行）是对大队各中队、车管所和信访督察室的工作要求，不列为任务（无具体事项、期限或数量）；'
                    '原文如下：\n' + text}


NOTES_FIXED = [
    {'lines': [423, 425, 426, 427],
     'text': '附件7由交警大队制定（“大队成立…工作领导小组”，第423行），“三、组织领导”设领导小组（组长、副组长、成员为各中队(车管所)中队长(所长)）'
             '及其办公室（设在事故处理中队，第426行）；领导小组不是任务，各项任务也未标注牵头、责任单位：本方案为单一单位方案，任务均由交警大队组织实施。'},
    {'lines': [448],
     'text': '第448行“录入集缉查布控系统”多一“集”字，按文意为“缉查布控系统”。',
     'tasks': ['(三)3'], 'targets': ['overdue-vehicles-in-bukong']},
    {'lines': [439, 440],
     'text': '第439行对“重大安全生产隐患”写“提请省、市、区三级挂牌督办”，未说明级别；同段又写易导致群死群伤且整改难度大的隐患“申报省、市政府挂牌督办”、'
             '发生多起或损害后果严重事故、有一定规律性且道路设施存在缺陷的点段“提请区政府挂牌督办”（第440行）。两种情形以外的重大隐患挂牌级别原文未定；'
             '同时符合两种情形的，本插件按较高的省、市级判定。“多起”未写起数。',
     'tasks': ['(二)1'], 'targets': ['hazard-supervision']},
    {'lines': [442],
     'text': '(二)2只给出2022年“达到70%”，2020、2021年无数值，2022年以后写“逐年不断增长、进一步提高”而无数值；'
             '“与上一年度同期财产损失事故总数相比”以上年财产损失事故总数为分母，比值可超过100%。',
     'tasks': ['(二)2'], 'targets': ['online-handling-rate']},
    {'lines': [446, 448, 452],
     'text': '重点车辆的范围各处不同：(三)2为支队通报的“重点车辆”，(三)3逾期未检验只列“两客一危”车辆、校车(涉校车辆)、“营转非”客车（逾期未报废则为所有机动车），'
             '(四)1警示教育对象为“两客一危一货”道路运输企业。',
     'tasks': ['(三)2', '(三)3', '(四)1'], 'targets': ['overdue-vehicles-in-bukong', 'warning-education']},
    {'lines': [429],
     'text': '(一)1的“集中整治“四个一”工作机制”在附件7中未说明内容。',
     'tasks': ['(一)1']},
]

UNITS = [
    {'name': '交警大队', 'kind': 'agency', 'aliases': []},
    {'name': '曲靖市公安局交警支队', 'kind': 'agency', 'aliases': []},
    {'name': '麒麟区人民政府', 'kind': 'local', 'aliases': ['区政府']},
    {'name': '区安全生产委员会', 'kind': 'office', 'aliases': []},
    {'name': '区安委办', 'kind': 'office', 'aliases': []},
    {'name': '道路运输管理机构', 'kind': 'agency', 'aliases': []},
]

SEC_RE = re.compile(r'^\(([一二三四五六七八九十]+)\)(.*)$')
NUM_RE = re.compile(r'^(\d+)\.(.*)$')


def part_lines(start, end):
    """The first line of each of the five parts 一…五 (each starts a line, asserted once)."""
    found = {}
    for n in range(start, end + 1):
        for p in PARTS:
            if L(n).startswith(p):
                assert p not in found, p
                found[p] = n
    assert list(found) == PARTS, found
    return [found[p] for p in PARTS]


def header7(start, parts):
    """Title (before the first blank of the line after the marker) and goals (二、工作目标, paragraphs joined with \\n)."""
    title = L(start + 1).split(' ', 1)[0]
    g0, g1 = parts[1], parts[2]
    goals = [L(g0)[len(PARTS[1]):]] + [L(n) for n in range(g0 + 1, g1) if L(n).strip()]
    return title, '\n'.join(goals)


def tasks7(first, last):
    """The numbered items of 四、工作措施和任务 (lines first..last): "(N)HEAD 1.TITLE。TEXT" opens section N with item 1;
    "k.TITLE。TEXT" lines are further items; other non-blank lines continue the item before them."""
    items, section, secnum = [], None, None
    for n in range(first, last + 1):
        s = L(n)
        if n == first:
            s = s[len(PARTS[3]):]
        if not s.strip():
            continue
        m = SEC_RE.match(s)
        if m:
            secnum, rest = m.groups()
            k = rest.find(' 1.')
            assert k > 0, ('a section without item 1', n)
            section, s = '(%s)%s' % (secnum, rest[:k]), rest[k + 1:]
        t = NUM_RE.match(s)
        if t:
            body = t.group(2)
            items.append({'label': '(%s)%s' % (secnum, t.group(1)), 'section': section,
                          'title': body.split('。', 1)[0], 'line': n, 'parts': [body]})
            continue
        assert items, ('text outside a task', n)
        items[-1]['parts'].append(s)
    out = []
    for it in items:
        text = '\n'.join(it['parts'])
        assert '\n' not in it['title'] and len(it['title']) <= 25, (it['label'], it['title'])
        assert '责任单位' not in text and '牵头' not in text, it['label']
        dl = deadlines_of(text)
        assert dl == EXPECTED_DEADLINES.get(it['label'], []), (it['label'], dl)
        out.append({'label': it['label'], 'section': it['section'], 'title': it['title'], 'text': text,
                    'roles': [], 'deadlines': dl, 'phase': None, 'line': it['line']})
    return out


def validate7(plan, first_line, last_line):
    """seed001.validate, except that a recurring duty may be a range ("每年组织开展3至5个", `between` with a
    `period`) as well as a minimum; the shared script asserts `at_least` for every `period`."""
    ranged = [t for t in plan['targets'] if 'period' in t and t['comparator'] == 'between']
    for t in ranged:
        assert all('upper' in c for c in t['checkpoints']), t['id']
    shadow = dict(plan, targets=[{k: v for k, v in t.items() if not (t in ranged and k == 'period')}
                                 for t in plan['targets']])
    validate(shadow, first_line, last_line)
    assert all(t['period'] in PERIODS for t in ranged)


# ============================================================ hazards (隐患类别与判定条目)
# Hand-curated: each category is a list or a place type the seed names, each clause a verbatim piece of its seed line
# (list markers and trailing punctuation left out), checked by check_hazards. `major` only where the seed itself calls
# the item a 重大…隐患; `standard` only where the seed cites a titled 《》 document for the category on its line.
from hazards import category, clause, check as check_hazards  # noqa: E402 (plugins/tools/hazards.py)


def hazards():
    """Hazard categories of 附件7: the 交通违法行为 of (一) (the L429 list and (一)4 货车超限超载), the road hazards of
    (二)1 (standard: the 隐患路段排查制度 the seed cites there; 重大安全生产隐患 is the only item the seed calls 重大), and
    the vehicle and driver hazards of (三) (逾期未报废/未检验, 吸毒成瘾未戒除驾驶人员)."""
    return check_hazards([
        category('traffic-violations', '交通违法行为', 429, [
            clause(429, '超速'),
            clause(429, '超员'),
            clause(429, '超载'),
            clause(429, '疲劳驾驶'),
            clause(429, '无证驾驶'),
            clause(429, '酒驾'),
            clause(429, '醉驾'),
            clause(429, '毒驾'),
            clause(429, '客运车辆凌晨2时至5时违规运行'),
            clause(435, '货车违法超限超载'),
        ]),
        category('road-hazards', '道路交通安全隐患', 439, [
            clause(439, '公路安全隐患'),
            clause(439, '影响隧道设施设备使用、交通安全管理、安全运营等关键问题'),
            clause(439, '重大安全生产隐患', major=True),
            clause(439, '易导致群死群伤、且整改难度大的隐患'),
            clause(440, '发生多起或损害后果严重的交通事故,有一定规律性的道路点段,且道路设施存在缺陷'),
        ], standard='《曲靖市公安交管部门道路交通安全隐患路段排查制度》'),
        category('vehicle-driver-source', '重点车辆及驾驶人源头隐患', 444, [
            clause(448, '逾期未报废的机动车'),
            clause(448, '“两客一危”车辆、校车(涉校车辆)、“营转非”客车逾期未检验'),
            clause(450, '未注销驾驶证的吸毒成瘾未戒除驾驶人员'),
        ]),
    ], marker(CODE), marker(NEXT) - 1)


def build():
    start = marker(CODE)
    end = marker(NEXT) - 1
    while not L(end).strip():
        end -= 1
    body = '\n'.join(LINES[start - 1:end])
    assert '实施步骤' not in body and '阶段' not in body, 'the attachment states phases: extract them'
    parts = part_lines(start, end)
    title, goals = header7(start, parts)
    tasks = tasks7(parts[3], parts[4] - 1)
    assert [t['label'] for t in tasks] == EXPECTED_LABELS, [t['label'] for t in tasks]
    notes = NOTES_FIXED[:1] + [requirements_note(parts[4], end)] + NOTES_FIXED[1:]
    plan = {'code': CODE, 'title': title, 'goals': goals, 'source': '种子文件001 第%d–%d行' % (start, end),
            'phases': [], 'tasks': tasks, 'targets': targets(), 'notes': notes, 'units': UNITS,
            'hazards': hazards()}
    validate7(plan, start, end)
    assert all(not t['roles'] for t in plan['tasks'])
    return plan


if __name__ == '__main__':
    main(build)
