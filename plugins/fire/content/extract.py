#!/usr/bin/env python3
"""附件6 《消防安全专项整治三年行动实施方案》 (seed 001) → plan.json of the fire plugin.

    python3 extract.py [--seed PATH]           write plan.json next to this script
    python3 extract.py --check [--seed PATH]   exit 1 if plan.json differs from what would be written

The seed is read from ../../../../shared/seeds/001_a1dd519a45aa6056.txt relative to this script (the place it has
once the folder lives at /work/main/plugins/fire/content/); --seed overrides that.
Derived from the seed: title, goals, tasks (labels, sections, titles, text, roles text, roles, deadlines, first line).
Hand-curated below: targets (each with line + exact quote), source notes, units, role notes, expected deadlines.
forms.json (hand-written) is read only to assert that every target's inputs are fields of its form.
Standard library only; output is deterministic (json, ensure_ascii=False, indent=1, trailing newline).

Overrides of plugins/tools/seed001.py (that script does not fit 附件6 in two places):
- parse_tasks: section (六) has its heading alone on L386 and its body, without a number, on L388; the shared
  parser stops at "text outside a task". Here a body line after a heading-only section line opens the section task.
- deadlines_of: the shared pattern stops at "2020年" in "2020年年内" / "2020年年底前" / "2022年年底前"; here those
  phrases are taken whole, and a phrase written twice in one task is listed once (text order of first occurrence).
"""
# ============================================================ generic part
# (plugins/tools/seed001.py, shared by the seed 001 sector plugins)
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tools'))
from seed001 import *  # noqa: E402,F403 — L, marker, header, parse_roles, T, validate, main …
from seed001 import SEC_RE, NUM_RE, ANNOT_RE  # noqa: E402

configure(__file__)


def parse_tasks(first, last, titles):
    """seed001.parse_tasks, except that a section opened by a heading-only line ("(六)HEAD。") whose next
    lines carry no number becomes one task labelled "(六)" (its text: the heading line, then those lines)."""
    items, section, secnum, cur, heading = [], None, None, None, None
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
            heading = None
            if k >= 0:
                section, cur, s = '(%s)%s' % (secnum, rest[:k]), None, rest[k + 1:]
            else:
                cut = min(i for i in (rest.find('。'), rest.find(' '), len(rest)) if i >= 0)
                head, remainder = rest[:cut], rest[cut + 1:]
                section, cur = '(%s)%s' % (secnum, head), None
                if remainder.strip():
                    cur = {'label': '(%s)' % secnum, 'section': section, 'title': head, 'line': n, 'parts': [rest]}
                    items.append(cur)
                else:
                    heading = (n, head, rest)
                continue
        t = NUM_RE.match(s)
        if t:
            cur = {'label': '(%s)%s' % (secnum, t.group(1)), 'section': section, 'title': None, 'line': n,
                   'parts': [t.group(2)]}
            items.append(cur)
            heading = None
            continue
        if cur is None and heading is not None:
            hn, head, rest = heading
            cur = {'label': '(%s)' % secnum, 'section': section, 'title': head, 'line': hn, 'parts': [rest]}
            items.append(cur)
            heading = None
        assert cur is not None, ('text outside a task', n, s[:30])
        cur['parts'].append(s)
    out = []
    for it in items:
        joined = '\n'.join(it['parts'])
        hits = list(ANNOT_RE.finditer(joined))
        assert hits, ('no responsibility annotation', it['label'])
        i = hits[-1].start()
        roles_text = joined[i:].replace('\n', '')
        assert roles_text.endswith(')') and roles_text.count('(') == roles_text.count(')'), roles_text
        text = joined[:i].rstrip()
        title = it['title']
        if it['label'] in titles:
            title = titles[it['label']]
            assert title in text, (it['label'], title)
        elif title is None:
            title = text.split('。', 1)[0]
            assert '\n' not in title and len(title) <= 40, (it['label'], title)
        out.append({'label': it['label'], 'section': it['section'], 'title': title, 'text': text,
                    'roles_text': roles_text, 'line': it['line']})
    return out


DATE6_RE = re.compile(r'\d{4}年(?:\d{1,2}月)?(?:年底前|年内|底以前|底前|底|内|以前|前)?')


def deadlines_of(text):
    out = []
    for d in DATE6_RE.findall(text.replace('\n', '')):
        if d not in out:
            out.append(d)
    return out


# ============================================================ 附件6 消防安全专项整治
CODE, NEXT = '附件6', '附件7'
TITLES = {}
EXPECTED_LABELS = ['(一)1', '(一)2', '(一)3', '(一)4', '(一)5', '(二)1', '(二)2', '(二)3', '(二)4', '(二)5', '(二)6',
                   '(三)1', '(三)2', '(四)1', '(四)2', '(五)1', '(五)2', '(五)3', '(六)', '(七)1', '(七)2', '(七)3',
                   '(八)1', '(八)2']
EXPECTED_DEADLINES = {
    '(一)1': ['2020年8月底以前', '2020年底前'],
    '(一)2': ['2020年8月底前', '2020年内', '2021年', '2022年'],
    '(二)1': ['2020年', '2021年', '2022年'],
    '(二)2': ['2020年底'],
    '(二)4': ['2021年', '2022年'],
    '(二)5': ['2022年'],
    '(二)6': ['2022年'],
    '(三)1': ['2020年', '2021年', '2022年年底前'],
    '(三)2': ['2022年'],
    '(四)2': ['2020年年底前', '2021年', '2022年'],
    '(五)1': ['2020年年内'],
    '(五)2': ['2020年', '2021年', '2022年'],
    '(五)3': ['2020年', '2021年', '2022年'],
    '(七)1': ['2020年', '2021年', '2022年', '2020年年内'],
    '(七)3': ['2020年'],
    '(八)2': ['2020年', '2021年', '2022年底'],
}

# (二)3 splits its lead by subject: "石油化工企业建设由区应急管理局牵头,化工园区整治由区工信局牵头" (L349).
SPLIT_LEADS = {
    '石油化工企业建设由区应急管理局牵头': ('区应急管理局', '原文作“石油化工企业建设由区应急管理局牵头”：分主题牵头，石油化工企业建设部分'),
    '化工园区整治由区工信局牵头': ('区工信局', '原文作“化工园区整治由区工信局牵头”：分主题牵头，化工园区整治部分'),
}
# The same body named twice in one annotation, once as 区级牵头部门 and once among the 区级责任部门, in two spellings
# (so seed001.parse_roles does not see it): both roles are kept, the second says so.
SAME_UNIT = {'消防救援大队': '区消防救援大队'}


def roles_of(label, roles_text):
    roles = []
    for r in parse_roles(roles_text):
        if r['unit'] in SPLIT_LEADS:
            unit, note = SPLIT_LEADS[r['unit']]
            r = {'role': r['role'], 'unit': unit, 'note': note}
        full = SAME_UNIT.get(r['unit'])
        if full and any(x['unit'] == full and x['role'] == 'lead' for x in roles):
            extra = '同一标注中该单位（写作“%s”）又列为牵头（原文如此），一个单位两个角色' % full
            r['note'] = r['note'] + '；' + extra if 'note' in r else extra
        roles.append(r)
    return roles


Y3 = [(2020, 1), (2021, 1), (2022, 1)]
NO_DATE = '原文未写年份或期限，按三年行动末（2022年）设检查点（推定）'
TR, LV, SV, HR, CX, PC, HE, TB, KU, NS, WR = ('town-register', 'lane-violation', 'small-venue', 'highrise', 'complex',
                                              'petrochem', 'heritage', 'town-brigade', 'key-unit', 'network-site',
                                              'work-record')
PER_TOWN = '逐镇(街道)计算：取统计截至日期不晚于评价日的最近一次进度'
WHOLE_DISTRICT = '原文为全区目标，底数以镇、街道为单位摸排，按镇(街道)分别计算（每个镇(街道)都全部完成，全区即全部完成）'


def targets():
    return [
        # ---- (一)1 公共建筑、城中村、新建住宅小区消防车通道标识化
        T('lane-survey', '以镇、街道为单位全面摸排统计公共建筑、城中村、新建住宅小区底数和消防车通道管理情况', '%', 'full_coverage',
          [(2020, 100, '2020-08-31')], 322,
          '2020年8月底以前要以镇、街道为单位,全面摸排统计辖区公共建筑、城中村、新建住宅小区底数和消防车通道管理情况',
          scope='per_town', form=TR, inputs=['town', 'lane_survey_date'], task='(一)1',
          note='每个镇(街道)一个值：摸排统计完成日期不晚于2020年8月31日（评价日早于该日时不晚于评价日）为100，否则为0'),
        T('lane-marking', '公共建筑、城中村、新建住宅小区完成消防车通道标识化设置及规范化管理比例', '%', 'full_coverage',
          [(2020, 100, '2020-12-31')], 322, '2020年底前,全区公共建筑、城中村、新建住宅小区要全部完成标识化设置及规范化管理',
          scope='per_town', form=TR,
          inputs=['town', 'public_buildings', 'urban_villages', 'new_estates', 'p_date', 'p_marked_public',
                  'p_marked_villages', 'p_marked_estates'], task='(一)1',
          note=WHOLE_DISTRICT + '；分子为三类已完成数之和，分母为三类底数之和；' + PER_TOWN
          + '；未完成的由牵头负责单位提请区级以上政府挂牌督办整改（规则R2）'),
        # ---- (一)2 老旧小区
        T('old-estate-survey', '以镇、街道为单位全面摸排统计老旧小区底数和消防车通道管理情况', '%', 'full_coverage',
          [(2020, 100, '2020-08-31')], 324, '2020年8月底前要以镇、街道为单位,全面摸排统计辖区老旧小区底数和消防车通道管理情况',
          scope='per_town', form=TR, inputs=['town', 'old_survey_date'], task='(一)2',
          note='每个镇(街道)一个值：摸排统计完成日期不晚于2020年8月31日为100，否则为0'),
        T('old-estate-plans', '老旧小区制定实施“一小区一对策”消防车通道治理方案比例', '%', 'full_coverage',
          [(2020, 100, '2020-12-31')], 324, '由各镇(街道)在2020年内制定实施“一小区一对策”消防车通道治理方案',
          scope='per_town', form=TR, inputs=['town', 'old_estates', 'p_date', 'p_old_planned'], task='(一)2',
          note='“一小区一对策”按每个老旧小区都有治理对策计：已制定对策的老旧小区数÷老旧小区底数；' + PER_TOWN),
        T('old-estate-treated', '老旧小区消防车通道治理任务完成比例', '%', 'at_least',
          [(2020, 30, '2020-12-31'), (2021, 60, '2021-12-31'), (2022, 100, '2022-12-31')], 324,
          '2020年内各镇、街道至少完成30%老旧小区治理任务',
          also=[{'line': 325, 'quote': '2021年,完成60%老旧小区治理任务'},
                {'line': 326, 'quote': '2022年,完成全部老旧小区治理任务'}],
          scope='per_town', form=TR, inputs=['town', 'old_estates', 'p_date', 'p_old_done'], task='(一)2',
          note='2021年、2022年两句没有主语，按2020年句的“各镇、街道”逐镇计（推定）；“全部”即100%；' + PER_TOWN),
        # ---- (二)1 高层建筑
        T('highrise-water-tested', '高层建筑室内消火栓系统和自动喷水灭火系统全面排查测试', '%', 'full_coverage',
          [(2020, 100, '2020-12-31')], 340, '督促管理使用单位全面排查测试高层建筑室内消火栓系统和自动喷水灭火系统',
          also=[{'line': 340, 'quote': '2020年,要在全面排查整治基础上'}],
          form=HR, inputs=['water_tested_date'], task='(二)1',
          note='期限按同段“2020年,要在全面排查整治基础上”取2020年底（推定）；分母为台账中全部高层公共建筑和高层住宅小区'),
        T('highrise-lists', '高层建筑分类建立问题隐患清单和整改责任清单', '项', 'reach',
          [(2020, 1, '2020-12-31')], 340, '2020年,要在全面排查整治基础上,分类建立问题隐患清单和整改责任清单',
          form=WR, inputs=['kind', 'date'], task='(二)1',
          note='工作记录中“高层建筑问题隐患清单和整改责任清单”记录数（日期不晚于评价日和2020年12月31日）'),
        T('highrise-plan', '制定高层建筑消防安全三年整治计划', '项', 'reach',
          [(2020, 1, '2020-12-31')], 340, '制定高层建筑消防安全三年整治计划',
          also=[{'line': 340, 'quote': '2020年,要在全面排查整治基础上'}],
          form=WR, inputs=['kind', 'date'], task='(二)1',
          note='工作记录中“高层建筑消防安全三年整治计划”记录数（日期不晚于评价日和2020年12月31日）'),
        T('highrise-water-fixed', '逐栋解决高层建筑消火栓无水以及消防供水不足、压力不够等问题', '%', 'full_coverage',
          [(2022, 100)], 340, '逐栋解决消火栓无水以及消防供水不足、压力不够等问题',
          form=HR, inputs=['water_problem', 'water_fixed_date'], task='(二)1',
          note=NO_DATE + '；分母为存在上述问题的高层建筑'),
        T('highrise-micro-station', '每栋高层公共建筑和每个高层住宅小区建立微型消防站', '%', 'full_coverage',
          [(2022, 100)], 340,
          '督促每栋高层公共建筑和每个高层住宅小区依托社区网格员、保安人员、管理使用单位人员、志愿者等力量,建立微型消防站',
          form=HR, inputs=['micro_station_date'], task='(二)1', note=NO_DATE),
        T('highrise-agreement', '多产权高层公共建筑签订消防安全责任分工协议', '%', 'full_coverage',
          [(2022, 100)], 340,
          '督促多产权高层公共建筑各产权单位、委托管理单位以及各经营主体、使用单位签订消防安全责任分工协议',
          form=HR, inputs=['kind', 'multi_owner', 'agreement_date'], task='(二)1', note=NO_DATE),
        # ---- (二)2 大型商业综合体
        T('complex-standardised', '大型商业综合体完成消防安全标准化管理达标创建工作', '%', 'full_coverage',
          [(2020, 100, '2020-12-31')], 345, '2020年底,大型商业综合体要全部完成消防安全标准化管理达标创建工作',
          form=CX, inputs=['standardised_date'], task='(二)2'),
        T('complex-letters', '大型商业综合体产权单位、管理单位与各经营主体逐一签订责任书', '%', 'full_coverage',
          [(2022, 100)], 345, '督促大型商业综合体产权单位、管理单位与各经营主体逐一签订责任书',
          form=CX, inputs=['letters_date'], task='(二)2', note=NO_DATE),
        T('complex-quarterly-assessment', '大型商业综合体每季度消防安全检查评估', '次', 'at_least', Y3, 345,
          '督促大型商业综合体实行消防设施、餐饮场所、重点部位每季度消防安全检查评估制度',
          period='quarterly', form=CX, inputs=['act_kind', 'act_date'], task='(二)2',
          note='每个综合体每季度至少1次：取上一个完整季度内次数最少的综合体的次数（2020年第一季度结束前取本季度至今）'),
        T('complex-drills', '大型商业综合体每半年组织开展灭火和应急疏散演练', '次', 'at_least', Y3, 345,
          '每半年组织开展一次灭火和应急疏散演练活动',
          period='half_yearly', form=CX, inputs=['act_kind', 'act_date'], task='(二)2',
          note='取上一个完整半年内演练次数最少的综合体的次数'),
        # ---- (二)3 石油化工企业
        T('petrochem-self-assessment', '石化企业每年度消防安全风险自查评估', '次', 'at_least', Y3, 348,
          '每年度应至少开展一次自查评估', period='yearly', form=PC, inputs=['act_kind', 'act_date'], task='(二)3',
          note='取上一个完整年度内自查评估次数最少的石化企业的次数'),
        T('petrochem-drills', '石化企业每年度贴近实战的技能训练和综合演练', '次', 'at_least',
          [(2020, 2), (2021, 2), (2022, 2)], 348, '每年度应至少组织开展2次以上贴近实战的技能训练和综合演练',
          period='yearly', form=PC, inputs=['act_kind', 'act_date'], task='(二)3',
          note='“2次以上”按不少于2次；取上一个完整年度内次数最少的石化企业的次数'),
        T('petrochem-three-tasks', '石化企业完成重大消防安全风险管控、老旧消防设施改造、企业消防力量建设三项任务', '%',
          'full_coverage', [(2022, 100, '2022-12-31')], 348,
          '利用三年时间,分步完成重大消防安全风险管控、老旧消防设施改造、企业消防力量建设三项任务',
          form=PC, inputs=['risk_control_date', 'facilities_date', 'brigade_date'], task='(二)3',
          note='“利用三年时间”按三年行动末2022年底（推定）；三项都完成的企业才计入'),
        # ---- (二)4 文物
        T('heritage-national-provincial', '全区国家级和省级文物保护单位达到“一项一策”消防安全整治标准', '%', 'full_coverage',
          [(2021, 100, '2021-12-31')], 351, '2021年,全区国家级和省级文物保护单位全部达到“一项一策”消防安全整治标准',
          form=HE, inputs=['level', 'one_policy_date'], task='(二)4'),
        T('heritage-municipal', '全区市级文物保护单位达到“一项一策”消防安全整治标准', '%', 'full_coverage',
          [(2022, 100, '2022-12-31')], 352, '2022年,全区市级文物保护单位全部达到“一项一策”消防安全整治标准',
          form=HE, inputs=['level', 'one_policy_date'], task='(二)4'),
        T('heritage-key-micro-station', '属于消防安全重点单位的文物建筑按照微型消防站建设标准配备相应人员、器材', '%',
          'full_coverage', [(2022, 100)], 351, '属于消防安全重点单位的,全部按照微型消防站建设标准配备相应人员、器材',
          form=HE, inputs=['key_unit', 'micro_station_date'], task='(二)4', note=NO_DATE),
        # ---- (二)5 城中村出租屋
        T('rental-letters', '城中村出租屋逐户签订消防安全管理责任书', '%', 'full_coverage', [(2022, 100)], 354,
          '逐户签订消防安全管理责任书', scope='per_town', form=TR,
          inputs=['town', 'rental_households', 'p_date', 'p_rental_signed'], task='(二)5',
          note=NO_DATE + '；已签订户数÷出租屋户数，' + PER_TOWN),
        # ---- (二)6 九小场所
        T('small-venue-inspected', '“九小场所”开展一次全面深入的消防安全检查', '%', 'full_coverage', [(2022, 100)], 357,
          '对“九小场所”(小学校或幼儿园、小医院、小商店、小餐饮场所、小旅馆、小歌舞娱乐场所、小网吧、小美容洗浴场所、小生产加工企业)等开展一次全面深入的消防安全检查',
          form=SV, inputs=['closed_date', 'inspected_date'], task='(二)6',
          note=NO_DATE + '；检查日期在2020年1月1日至评价日之间的计入；评价日已停业、关闭的场所不计'),
        T('small-venue-lists', '“九小场所”逐一建立隐患清单和整改责任清单', '%', 'full_coverage', [(2022, 100)], 357,
          '逐一建立隐患清单和整改责任清单', form=SV, inputs=['closed_date', 'lists_date'], task='(二)6', note=NO_DATE),
        T('small-venue-standard', '“九小场所”按“灭火器有、电线穿管、通道不堵、应急灯亮、标识齐全、分隔有效、充电规范”的标准落实整治要求',
          '%', 'full_coverage', [(2022, 100)], 357,
          '按照“灭火器有、电线穿管、通道不堵、应急灯亮、标识齐全、分隔有效、充电规范”的标准,逐一督促落实整治要求',
          form=SV, inputs=['closed_date', 'standard_met', 'standard_checked_date'], task='(二)6',
          note=NO_DATE + '；核查日期不晚于评价日且七项全部落实的计入（规则R5）'),
        T('small-venue-violations', '未清理的违规住宿、违规存放易燃易爆危险品“九小场所”', '处', 'zero', [(2022, 0)], 357,
          '要对违规住宿、违规存放易燃易爆危险品的情况进行清理',
          form=SV, inputs=['closed_date', 'violations', 'violation_found_date', 'violation_cleared_date'], task='(二)6',
          note=NO_DATE + '；评价日已发现、尚未清理的场所数'),
        # ---- (三)1 乡镇政府专职消防队
        T('town-brigade-standard', '乡镇政府专职消防队完成达标建设任务比例', '%', 'at_least',
          [(2020, 30, '2020-12-31'), (2021, 60, '2021-12-31'), (2022, 100, '2022-12-31')], 362,
          '2020年全区30%以上的乡镇政府专职消防队完成达标建设任务',
          also=[{'line': 363, 'quote': '2021年全区60%以上的乡镇政府专职消防队完成达标建设任务'},
                {'line': 364, 'quote': '2022年年底前全部乡镇政府专职消防队完成达标建设任务'}],
          form=TB, inputs=['standard_date'], task='(三)1',
          note='分母为台账中全部乡镇政府专职消防队；“全部”即100%'),
        # ---- (四)2 新业态、电动自行车
        T('ebike-property-estates', '设有物业管理服务企业的小区实行电动自行车集中管理', '%', 'full_coverage',
          [(2020, 100, '2020-12-31')], 372, '2020年年底前所有设有物业管理服务企业的小区实行电动自行车集中管理',
          scope='per_town', form=TR, inputs=['town', 'property_estates', 'p_date', 'p_ebike_property'], task='(四)2',
          note=WHOLE_DISTRICT + '；' + PER_TOWN),
        T('ebike-old-estates', '老旧小区实行电动自行车集中管理', '%', 'full_coverage',
          [(2021, 100, '2021-12-31')], 372, '2021年所有老旧小区实行电动自行车集中管理',
          scope='per_town', form=TR, inputs=['town', 'old_estates', 'p_date', 'p_ebike_old'], task='(四)2',
          note=WHOLE_DISTRICT + '；' + PER_TOWN),
        T('ebike-residential', '居民住宅区落实电动自行车集中管理要求措施', '%', 'full_coverage',
          [(2022, 100, '2022-12-31')], 372, '2022年居民住宅区全部落实电动自行车集中管理要求措施',
          scope='per_town', form=TR, inputs=['town', 'residential_estates', 'p_date', 'p_ebike_all'], task='(四)2',
          note=WHOLE_DISTRICT + '；' + PER_TOWN),
        T('new-business-assessment', '每年度组织分析评估电子商务、物流业、新型商业等新业态消防安全风险', '次', 'at_least', Y3, 372,
          '各地区每年度组织分析评估本地电子商务、物流业、新型商业等新业态消防安全风险',
          period='yearly', form=WR, inputs=['kind', 'date'], task='(四)2',
          note='“各地区”在区级方案中读作全区，工作记录中上一个完整年度内的分析评估次数'),
        # ---- (五)3 消防安全重点单位
        T('key-unit-standardised', '消防安全重点单位完成达标建设比例', '%', 'at_least',
          [(2020, 60, '2020-12-31'), (2021, 80, '2021-12-31'), (2022, 100, '2022-12-31')], 382,
          '2020年,确保60%以上的重点单位完成达标建设',
          also=[{'line': 383, 'quote': '2021年,确保80%以上的重点单位完成达标建设'},
                {'line': 384, 'quote': '2022年,确保100%重点单位完成达标建设'}],
          form=KU, inputs=['closed_date', 'standardised_date'], task='(五)3',
          note='分母为评价日仍列为重点单位的单位'),
        T('key-unit-models', '在不同行业领域选取重点打造、培树典型的重点单位', '家', 'between',
          [(2020, 2, '2020-12-31', 4)], 382, '在不同行业领域选取2至4家进行重点打造,培树典型',
          form=KU, inputs=['model_date'], task='(五)3',
          note='按全区合计2至4家理解（也可读作每个行业领域2至4家，原文不明）'),
        # ---- (六) 公共消防基础设施
        T('hydrants', '市政供水管网通达的城市建成区域内消火栓全部补建到位', '%', 'full_coverage', [(2022, 100)], 388,
          '确保市政供水管网通达的城市建成区域内消火栓全部补建到位', scope='per_town', form=TR,
          inputs=['town', 'hydrant_gaps', 'p_date', 'p_hydrants_built'], task='(六)',
          note=NO_DATE + '；已新建、补建到位数÷应新建、补建数，' + PER_TOWN),
        # ---- (七)1 智慧消防联网
        T('smart-networking', '具有一定规模的易燃易爆,通信、交通、能源枢纽,高层地下,人员密集等单位场所“智慧消防”联网工作完成比例',
          '%', 'at_least', [(2020, 30, '2020-12-31'), (2021, 60, '2021-12-31'), (2022, 100, '2022-12-31')], 392,
          '2020年完成上述单位场所30%的联网工作',
          also=[{'line': 393, 'quote': '2021年完成60%的联网工作'}, {'line': 394, 'quote': '2022年全部完成联网工作'}],
          form=NS, inputs=['opened_date', 'closed_date', 'networked_date'], task='(七)1',
          note='分母为“智慧消防”联网单位场所台账中评价日已建成使用、未停用的单位场所（名单由各单位摸排登记，原文没有“一定规模”的标准，见notes）；“全部”即100%'),
        T('system-docking', '完成本级“双随机、一公开”消防监管信息系统、一体化消防监督管理系统与政务服务平台、“互联网+监管”和企业信用信息平台对接',
          '项', 'reach', [(2020, 1, '2020-12-31')], 395,
          '2020年年内,根据上级统一部署,完成本级“双随机、一公开”消防监管信息系统、一体化消防监督管理系统与各地政务服务平台、“互联网+监管”和企业信用信息平台对接工作',
          form=WR, inputs=['kind', 'date'], task='(七)1',
          note='工作记录中“系统对接”记录数（日期不晚于评价日和2020年12月31日）'),
        # ---- (七)3 基层网格
        T('grid-platform', '消防工作纳入基层网格信息化管理平台', '%', 'full_coverage', [(2020, 100, '2020-12-31')], 400,
          '2020年,消防工作纳入基层网格信息化管理平台', scope='per_town', form=TR, inputs=['town', 'grid_module_date'],
          task='(七)3',
          also=[{'line': 400, 'quote': '各镇(街道)、各部门要在基层综治、社区、网格等信息化管理平台中嵌入消防安全管理模块'}],
          note='每个镇(街道)一个值：嵌入消防安全管理模块日期不晚于2020年12月31日为100，否则为0'),
        # ---- (八)1 素质教育
        T('publicity', '区委宣传部每年度专题组织开展消防安全教育宣传活动', '次', 'at_least', Y3, 405,
          '每年度至少专题组织开展1次教育宣传活动', period='yearly', form=WR, inputs=['kind', 'date'], task='(八)1',
          note='工作记录中上一个完整年度内的次数'),
        T('legal-guidance', '司法行政机关每年度开展消防普法逐项督促指导', '次', 'at_least', Y3, 405,
          '每年度开展1次逐项督促指导', period='yearly', form=WR, inputs=['kind', 'date'], task='(八)1',
          note='工作记录中上一个完整年度内的次数'),
        # ---- (八)2 重点人群培训
        T('key-people-trained', '辖区重点人群接受消防教育培训比例', '%', 'at_least',
          [(2020, 40, '2020-12-31'), (2021, 70, '2021-12-31')], 410, '2020年,组织辖区40%以上的重点人群开展一轮消防教育培训',
          also=[{'line': 411, 'quote': '2021年,辖区70%以上的重点人群接受消防教育培训'}],
          scope='per_town', form=TR, inputs=['town', 'key_people', 'p_date', 'p_trained'], task='(八)2',
          note='“辖区”按每个镇(街道)计；' + PER_TOWN + '；2022年底全覆盖见 key-people-trained-all'),
        T('key-people-trained-all', '辖区重点人群消防教育培训全覆盖', '%', 'full_coverage',
          [(2022, 100, '2022-12-31')], 412, '2022年底实现全覆盖培训',
          scope='per_town', form=TR, inputs=['town', 'key_people', 'p_date', 'p_trained'], task='(八)2',
          note='与 key-people-trained 同一组数据；' + PER_TOWN),
        T('key-unit-manager-trained', '重点单位消防安全管理人完成培训', '%', 'full_coverage',
          [(2020, 100, '2020-12-31')], 410, '其中重点单位消防安全管理人100%完成培训',
          form=KU, inputs=['closed_date', 'manager_trained_date'], task='(八)2',
          note='分母为评价日仍列为重点单位的单位，每单位一名消防安全管理人'),
    ]


NOTES = [
    {'lines': [322],
     'text': '(一)1第322行“一是…二是…三是…四是五是2020年底前,全区公共建筑、城中村、新建住宅小区要全部完成标识化设置及规范化管理”：“四是”后没有内容，紧接“五是”，原文缺一项（或多出“四是”）。本插件只按写出的内容（2020年底前全部完成）设指标，没有补出缺失的一项。',
     'tasks': ['(一)1'], 'targets': ['lane-marking']},
    {'lines': [322],
     'text': '(一)1第322行以“全区”表述2020年底前全部完成标识化，同时要求底数“以镇、街道为单位”摸排，并由各镇(街道)牵头督促非重点单位；本插件按镇(街道)逐一计算（scope per_town）。',
     'tasks': ['(一)1'], 'targets': ['lane-survey', 'lane-marking']},
    {'lines': [324],
     'text': '(一)2标题作“老旧小区实行“一区一策”治理”，正文作““一小区一对策”消防车通道治理方案”，两种说法指同一做法。',
     'tasks': ['(一)2'], 'targets': ['old-estate-plans']},
    {'lines': [358, 359, 380, 381],
     'text': '同一单位在一条标注中两个角色：(二)6（第358–359行）和(五)2（第380–381行）以“区消防救援大队”为区级牵头部门，又把“消防救援大队”列入区级责任部门。两个角色都保留（一个单位，两个角色）。',
     'tasks': ['(二)6', '(五)2'], 'targets': []},
    {'lines': [349],
     'text': '(二)3的区级牵头部门按主题分开：“石油化工企业建设由区应急管理局牵头,化工园区整治由区工信局牵头”；两家都作牵头单位，各带说明。',
     'tasks': ['(二)3'], 'targets': []},
    {'lines': [353, 365, 367, 371, 376, 385, 389, 399],
     'text': '(二)4、(三)1、(三)2、(四)1、(五)1、(五)3、(六)、(七)2 的标注只有“责任单位”和“区级责任部门”，没有写区级牵头部门；(五)3只列“区消防救援大队”一家。',
     'tasks': ['(二)4', '(三)1', '(三)2', '(四)1', '(五)1', '(五)3', '(六)', '(七)2'], 'targets': []},
    {'lines': [351, 352],
     'text': '(二)4标题为“文物古建筑”，年度目标只说“国家级和省级”（2021年）和“市级”（2022年）文物保护单位；县(区)级文物保护单位和其他文物建筑没有达标期限。',
     'tasks': ['(二)4'], 'targets': ['heritage-national-provincial', 'heritage-municipal']},
    {'lines': [392, 395],
     'text': '(七)1“上述单位场所”为“具有一定规模的易燃易爆,通信、交通、能源枢纽,高层地下,人员密集等单位场所”，没有名单和“一定规模”的标准；第395行“按照及使用及联网的方式”按文意应为“即使用即联网”。',
     'tasks': ['(七)1'], 'targets': ['smart-networking']},
    {'lines': [405, 406, 409],
     'text': '单位写法不一：正文“区委宣传部”（第405行）在标注中写作“委宣传部”（第409行，漏“区”字）；正文“市广播电视台麒麟报道新闻中心”（第406行）在标注中写作“麒麟报道新闻中心”；正文“组织部”、标注“区委组织部”。',
     'tasks': ['(八)1'], 'targets': []},
    {'lines': [382, 410],
     'text': '(五)3要求2020年“60%以上的重点单位完成达标建设”，(八)2要求2020年“重点单位消防安全管理人100%完成培训”：两处针对同一批重点单位，各自为指标。',
     'tasks': ['(五)3', '(八)2'], 'targets': ['key-unit-standardised', 'key-unit-manager-trained']},
    {'lines': [410, 411, 412],
     'text': '(八)2重点人群培训逐年为“40%以上”“70%以上”和“全覆盖”；前两年为不低于，2022年为全覆盖，分为两个指标（key-people-trained、key-people-trained-all）。',
     'tasks': ['(八)2'], 'targets': ['key-people-trained', 'key-people-trained-all']},
    {'lines': [335],
     'text': '(一)5“多次违法停车造成严重影响”没有写次数；本插件把“多次”读作2次及以上（规则R4）。',
     'tasks': ['(一)5'], 'targets': []},
]

UNITS = [
    {'name': '各镇(街道)', 'kind': 'local', 'aliases': ['各镇、街道']},
    {'name': '区消防救援大队', 'kind': 'agency', 'aliases': ['消防救援大队']},
    {'name': '区住建局', 'kind': 'department', 'aliases': ['住建局']},
    {'name': '区发改局', 'kind': 'department', 'aliases': ['发改局']},
    {'name': '区自然资源局', 'kind': 'department', 'aliases': ['自然资源局']},
    {'name': '区公安分局', 'kind': 'agency', 'aliases': ['公安分局']},
    {'name': '区市场监管局', 'kind': 'department', 'aliases': ['市场监管局']},
    {'name': '区商务局', 'kind': 'department', 'aliases': ['商务局']},
    {'name': '区文旅局', 'kind': 'department', 'aliases': ['文旅局']},
    {'name': '区教体局', 'kind': 'department', 'aliases': ['教体局']},
    {'name': '区卫健局', 'kind': 'department', 'aliases': ['卫健局']},
    {'name': '区农业农村局', 'kind': 'department', 'aliases': ['农业农村局']},
    {'name': '区邮政局', 'kind': 'department', 'aliases': ['邮政局']},
    {'name': '区人社局', 'kind': 'department', 'aliases': ['人社局']},
    {'name': '区委宣传部', 'kind': 'party', 'aliases': ['委宣传部']},
    {'name': '区委组织部', 'kind': 'party', 'aliases': ['组织部']},
    {'name': '区委政法委', 'kind': 'party', 'aliases': []},
    {'name': '麒麟报道新闻中心', 'kind': 'agency', 'aliases': ['市广播电视台麒麟报道新闻中心']},
    {'name': '交警大队', 'kind': 'agency', 'aliases': []},
    {'name': '扶贫办', 'kind': 'office', 'aliases': []},
    # 城市综合管理局 is the district's 城管局 (the demo directory's 区城管局): one body
    {'name': '区城管局', 'kind': 'department', 'aliases': ['城市综合管理局']},
]
# Role units that are ordinary 区级 departments written one way only: not listed in UNITS.
ORDINARY = {'区应急管理局', '区工信局', '民宗局', '城市综合管理局', '政务服务管理局', '司法局'}


# ============================================================ hazards (隐患类别与判定条目)
# Hand-curated: each category is a list or a place type the seed names, each clause a verbatim piece of its seed line
# (list markers and trailing punctuation left out), checked by check_hazards. `major` only where the seed itself calls
# the item a 重大…隐患; `standard` only where the seed cites a titled 《》 document for the category on its line.
from hazards import category, clause, check as check_hazards  # noqa: E402 (plugins/tools/hazards.py)


def hazards():
    """Hazard categories of 附件6: the 消防车通道 problems of (一), the place types of (二) whose problems the text
    names (高层建筑, “九小场所” with its seven-point 标准), (三)2 农村, (四)1 老旧场所, (四)2 新材料新业态. No 判定标准
    is cited with a 《》 title and nothing is called 重大火灾隐患 in 附件6: every standard null, every major false."""
    return check_hazards([
        category('fire-lanes', '消防生命通道', 322, [
            clause(329, '车库、停车场改变使用性质违法行为'),
            clause(332, '电动自行车乱停乱放堵塞消防通道'),
            clause(332, '电动车乱停乱充电'),
            clause(335, '占用、堵塞、封闭消防车通道'),
            clause(335, '多次违法停车造成严重影响'),
        ]),
        category('high-rise', '高层建筑', 340, [
            clause(340, '消火栓无水'),
            clause(340, '消防供水不足、压力不够'),
            clause(340, '高层建筑消防设施故障、损坏'),
            clause(340, '电缆井、管道井防火封堵不严'),
        ]),
        category('nine-small-venues', '九小场所', 357, [
            clause(357, '违规住宿'),
            clause(357, '违规存放易燃易爆危险品'),
            clause(357, '灭火器有'),
            clause(357, '电线穿管'),
            clause(357, '通道不堵'),
            clause(357, '应急灯亮'),
            clause(357, '标识齐全'),
            clause(357, '分隔有效'),
            clause(357, '充电规范'),
        ]),
        category('rural', '农村火灾隐患', 366, [
            clause(366, '消防管理责任不落实'),
            clause(366, '消防设施不足'),
            clause(366, '消防培训不到位'),
            clause(366, '防火间距不足'),
            clause(366, '木结构建筑集中连片'),
            clause(366, '违规用火、用电、用油、用气和“三堆”'),
        ]),
        category('old-venues', '老旧场所突出风险', 370, [
            clause(370, '违规搭建'),
            clause(370, '违章操作'),
            clause(370, '危化品存储使用不规范'),
            clause(370, '电气线路老化'),
            clause(370, '疏散通道不畅'),
            clause(370, '消防设施损坏'),
            clause(370, '安全培训演练不到位'),
        ]),
        category('new-materials', '新材料新业态突出风险', 372, [
            clause(372, '违法违规生产、销售电动汽车、电动自行车'),
            clause(372, '改装电池'),
            clause(372, '人员密集场所、施工现场违规搭建、违规采用易燃可燃材料的彩钢板房'),
        ]),
    ], marker(CODE), marker(NEXT) - 1)


def build():
    start, end = marker(CODE), marker(NEXT) - 1
    title, goals, first = header(start)
    text = '\n'.join(LINES[start - 1:end])
    assert '实施步骤' not in text and '阶段' not in text, 'the attachment states phases: extract them'
    tasks = []
    for t in parse_tasks(first, end, TITLES):
        dl = deadlines_of(t['text'])
        assert dl == EXPECTED_DEADLINES.get(t['label'], []), (t['label'], dl)
        tasks.append({'label': t['label'], 'section': t['section'], 'title': t['title'], 'text': t['text'],
                      'roles_text': t['roles_text'], 'roles': roles_of(t['label'], t['roles_text']),
                      'deadlines': dl, 'phase': None, 'line': t['line']})
    assert [t['label'] for t in tasks] == EXPECTED_LABELS, [t['label'] for t in tasks]
    plan = {'code': CODE, 'title': title, 'goals': goals, 'source': '种子文件001 第%d–%d行' % (start, end),
            'phases': [], 'tasks': tasks, 'targets': targets(), 'notes': NOTES, 'units': UNITS,
            'hazards': hazards()}
    role_units = validate(plan, start, end)
    # Each target's quote is in the text of its task.
    by_label = {t['label']: t for t in tasks}
    for tg in plan['targets']:
        task_text = by_label[tg['task']]['text'].replace('\n', '')
        for q in [tg['quote']] + [a['quote'] for a in tg.get('also', [])]:
            assert q in task_text, (tg['id'], q)
    # Every role unit is declared in UNITS or is an ordinary department written one way.
    declared = {u['name'] for u in UNITS} | {a for u in UNITS for a in u['aliases']}
    for u in role_units:
        assert u in declared or u in ORDINARY, u
    # The same body in two roles of one annotation is kept twice, the second with its note.
    for label in ('(二)6', '(五)2'):
        roles = by_label[label]['roles']
        assert [r['role'] for r in roles if r['unit'] in ('区消防救援大队', '消防救援大队')] == ['lead', 'cooperating']
        assert '又列为牵头' in roles[-1]['note'], roles[-1]
    return plan


if __name__ == '__main__':
    main(build)
