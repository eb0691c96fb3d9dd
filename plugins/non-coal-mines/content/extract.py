#!/usr/bin/env python3
"""附件5 《非煤矿山安全专项整治三年行动实施方案》 (seed 001) → plan.json of the non-coal-mines plugin.

    python3 extract.py [--seed PATH]           write plan.json next to this script
    python3 extract.py --check [--seed PATH]   exit 1 if plan.json differs from what would be written

The seed is read from ../../../../shared/seeds/001_a1dd519a45aa6056.txt relative to this script (the place it has
once the folder lives at /work/main/plugins/non-coal-mines/content/); --seed overrides that.
Derived from the seed: title, goals, tasks (labels, sections, text, roles text, roles, deadlines, first line).
Hand-curated below: targets (each with line + exact quote), source notes, units, role decisions, expected deadlines,
hazards (隐患类别与判定条目; each clause with line + exact text, asserted against the seed).
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


# ============================================================ 附件5 非煤矿山
CODE, NEXT = '附件5', '附件6'
# task titles that are not "text before the first 。" (none in 附件5)
TITLES = {}
# role decision: 附件5 labels every unit 责任单位; the one "及" joining two units is split
SPLIT_JI = {'区应急管理局及区级其它负有监管责任的相关部门'}
EXPECTED_LABELS = ['(一)1', '(一)2', '(二)1', '(二)2', '(二)3', '(二)4', '(二)5', '(二)6', '(二)7',
                   '(三)1', '(三)2', '(三)3', '(四)1', '(五)']
EXPECTED_DEADLINES = {'(二)2': ['2020年12月31日前'], '(四)1': ['2021年', '2022年']}

Y3 = [(2020, 0), (2021, 0), (2022, 0)]
NO_DATE = '原文未写年份或期限，按三年行动末（2022年）设检查点（推定）'
M, TL = 'mine-register', 'tailings-register'


def targets():
    return [
        T('mine-count-cap', '非煤矿山总数（新建矿山不得突破现有矿山的总指标数）', '座', 'at_most',
          [(2020, 68), (2021, 68), (2022, 68)], 303, '新建矿山不得突破现有矿山的总指标数',
          form=M, inputs=['is_new', 'approved_date', 'status', 'closed_date'], task='(二)1',
          also=[{'line': 297, 'quote': '麒麟区现有矿山68座'}],
          note='“总指标数”原文未给数字，取第297行“现有矿山68座”为上限（推定）；常设约束，逐年按年末（当年为今日）在册未关闭矿山数检查'),
        T('build-one-close-one', '未落实“建一关一”的新建矿山', '座', 'zero', Y3, 303,
          '确实需要新建的必须严格落实“建一关一”要求',
          form=M, inputs=['is_new', 'approved_date', 'paired_closed_mine', 'paired_closed_date'], task='(二)1',
          note='每座新建矿山须对应一座已关闭矿山；按核查日已批准、但对应关闭尚未登记或尚未完成的新建矿山计（累计，补登或补关后不再计）'),
        T('close-3-small-mines-2020', '关闭省安委会下达的落后小矿山', '座', 'reach', [(2020, 3)], 297,
          '2020年完成省安委会下达的关闭3座落后小矿山的目标任务',
          form=M, inputs=['closure_task', 'status', 'closed_date'],
          note='原文只写“2020年”，未写到日，按2020年12月31日核查'),
        T('city-closure-task', '市政府下达我区的非煤矿山关闭任务完成率', '%', 'full_coverage', [(2022, 100)], 297,
          '2021年至2022年完成市政府下达我区的非煤矿山关闭任务',
          form=M, inputs=['closure_task', 'status', 'closed_date'],
          note='原文未给座数：以台账中列入“市政府下达2021—2022年关闭任务”的矿山为分母；“2021年至2022年”为一个时段，只设2022年检查点'),
        T('no-major-accidents', '非煤矿山重特大事故起数', '起', 'zero', Y3, 299, '杜绝重特大事故',
          note='当年发生的重大、特别重大事故起数，手工填报（无台账），逐年检查，不累计'),
        T('upgrade-by-2020', '清单内未转型升级到位矿山的转型升级到位率', '%', 'full_coverage',
          [(2020, 100, '2020-12-31')], 304, '督促企业于2020年12月31日前转型升级到位',
          scope='per_town', form=M, inputs=['town', 'in_upgrade_list', 'upgrade_done_date', 'status', 'closed_date'],
          task='(二)2',
          also=[{'line': 304, 'quote': '以镇(街道)为基本单元'},
                {'line': 304, 'quote': '对至今仍未转型升级到位的,要逐一列出清单'}],
          note='分母为清单内矿山（已纳入转型升级范围且至今仍未转型升级到位），期限前已关闭的不计；按镇(街道)分别计算'),
        T('no-new-overhead-tailings', '新建“头顶库”', '座', 'zero', Y3, 305, '严禁新建“头顶库”',
          form=TL, inputs=['construction_type', 'is_overhead', 'approved_date'], task='(二)3',
          note='常设禁令，按当年批准的新建尾矿库逐年计'),
        T('no-new-tailings-over-200m', '新建总坝高超过200米的尾矿库', '座', 'zero', Y3, 305, '总坝高超过200米的尾矿库',
          form=TL, inputs=['construction_type', 'total_dam_height', 'approved_date'], task='(二)3',
          note='“超过200米”：总坝高大于200米违规，恰为200米不违规；常设禁令，按当年批准的新建尾矿库逐年计'),
        T('banned-equipment-lists', '金属非金属矿山第一批和第二批禁止使用的设备及工艺目录落实到位率', '%', 'full_coverage',
          [(2022, 100)], 306, '确保金属非金属矿山第一批和第二批禁止使用的设备及工艺目录全部落实到位',
          form=M, inputs=['is_new', 'approved_date', 'status', 'closed_date', 'banned_list_done'], task='(二)4', note=NO_DATE),
        T('dry-brake-vehicles', '仍采用干式制动的无轨胶轮车或者改装车辆运输人员、炸药、油料的矿山', '座', 'zero',
          [(2022, 0)], 306, '强制淘汰采用干式制动的无轨胶轮车或者改装车辆运输人员、炸药、油料等落后工艺设备',
          form=M, inputs=['is_new', 'approved_date', 'status', 'closed_date', 'dry_brake_vehicles'], task='(二)4', note=NO_DATE),
        T('sensitive-area-quarries', '环境敏感区采石(砂)场清理完成率', '%', 'full_coverage', [(2022, 100)], 307,
          '全面清理环境敏感区采石(砂)场',
          form=M, inputs=['is_new', 'approved_date', 'mine_type', 'in_sensitive_area', 'sensitive_cleanup_date', 'status', 'closed_date'], task='(二)5',
          note=NO_DATE + '；清理完成或已关闭均计为已清理'),
        T('protected-zone-mines', '位于自然保护区、水源保护区尚未关闭的非煤矿山', '座', 'zero', [(2022, 0)], 307,
          '对位于自然保护区、水源保护区的非煤矿山,要坚决依法提请区人民政府予以关闭',
          form=M, inputs=['is_new', 'approved_date', 'in_nature_reserve', 'in_water_source_zone', 'status', 'closed_date'], task='(二)5',
          note=NO_DATE + '；按关闭结果计，提请区人民政府的日期另记（closure_requested_date），不作为达标条件'),
        T('dual-prevention-2021', '建成风险分级管控和隐患排查治理双重预防机制的矿山比例', '%', 'full_coverage',
          [(2021, 100)], 317, '2021年,建成风险分级管控和隐患排查治理双重预防机制',
          form=M, inputs=['is_new', 'approved_date', 'status', 'closed_date', 'dual_prevention_date'], task='(四)1',
          also=[{'line': 312, 'quote': '推动非煤矿山企业建立以全员安全生产责任体系为核心的双重预防机制'},
                {'line': 299, 'quote': '以风险分级管控和隐患排查治理为重点的安全预防控制体系建立完善'}],
          note='原文未写主体；据第312行“推动非煤矿山企业建立…双重预防机制”按每座未关闭矿山计；只写“2021年”，按2021年12月31日核查'),
        T('underground-personnel-positioning', '地下矿山人员定位系统完善率', '%', 'full_coverage', [(2022, 100)], 317,
          '地下矿山按照相关标准完善人员定位系统',
          form=M, inputs=['is_new', 'approved_date', 'mining_method', 'status', 'closed_date', 'positioning_ok'], task='(四)1',
          note='地下矿山含地下与露天联合开采；只写“2022年”，按2022年12月31日核查'),
        T('underground-monitoring', '地下矿山监测监控系统完善率', '%', 'full_coverage', [(2022, 100)], 317,
          '监测监控系统',
          form=M, inputs=['is_new', 'approved_date', 'mining_method', 'status', 'closed_date', 'monitoring_ok'], task='(四)1',
          note='同一句列举三个系统，分设三项；地下矿山含联合开采；按2022年12月31日核查'),
        T('underground-communication', '地下矿山通信联络系统完善率', '%', 'full_coverage', [(2022, 100)], 317,
          '通信联络系统',
          form=M, inputs=['is_new', 'approved_date', 'mining_method', 'status', 'closed_date', 'communication_ok'], task='(四)1',
          note='同一句列举三个系统，分设三项；地下矿山含联合开采；按2022年12月31日核查'),
    ]


NOTES = [
    {'lines': [304, 306, 307, 309, 310, 317, 318],
     'text': '同一单位两种写法：第310行作“曲靖市公安局麒麟区分局”，第304、306、307、309、317、318行作“曲靖市公安局麒麟分局”。',
     'tasks': ['(二)7']},
    {'lines': [297, 303],
     'text': '第297行写“麒麟区现有矿山68座”（未写明是否仅指非煤矿山），第303行写“新建矿山不得突破现有矿山的总指标数”（未给出总指标数的数字），两处是否指同一数字原文未说明。',
     'tasks': ['(二)1'], 'targets': ['mine-count-cap']},
    {'lines': [297],
     'text': '第297行2020年关闭任务写明“3座”，2021年至2022年的关闭任务只写“完成市政府下达我区的非煤矿山关闭任务”，未给出座数。',
     'targets': ['close-3-small-mines-2020', 'city-closure-task']},
    {'lines': [299, 312, 317],
     'text': '整治目标（第299行）写安全预防控制体系“建立完善”，未给时间；(四)1（第317行）写“2021年,建成风险分级管控和隐患排查治理双重预防机制”，未写主体；(三)2（第312行）写“推动非煤矿山企业建立…双重预防机制”。',
     'tasks': ['(三)2', '(四)1'], 'targets': ['dual-prevention-2021']},
    {'lines': [313, 315],
     'text': '(三)3要求尚未开展标准化建设的矿山“按照工作目标限期完成标准化建设工作”，附件5未给出该工作目标和期限。',
     'tasks': ['(三)3']},
    {'lines': [301, 302, 303, 304, 305, 306, 307, 309, 310, 311, 312, 315, 317, 318],
     'text': '责任标注中“涉及非煤矿山镇(街道)”后的分隔符不一：(一)1、(二)5、(三)1至(三)3用“、”，其余用“,”；全部标注只有“责任单位”，无牵头部门。'},
]

UNITS = [
    {'name': '涉及非煤矿山镇(街道)', 'kind': 'local', 'aliases': []},
    {'name': '曲靖生态环境局麒麟分局', 'kind': 'agency', 'aliases': []},
    {'name': '曲靖市公安局麒麟分局', 'kind': 'agency', 'aliases': ['曲靖市公安局麒麟区分局']},
    {'name': '麒麟区人民政府', 'kind': 'local', 'aliases': ['区人民政府']},
    {'name': '省安委会', 'kind': 'office', 'aliases': []},
    {'name': '市政府', 'kind': 'local', 'aliases': []},
    {'name': '区应急管理局', 'kind': 'department', 'aliases': ['应急管理局']},
    {'name': '区自然资源和规划局', 'kind': 'department', 'aliases': ['自然资源和规划局']},
    # the roles write 水务局; 附件3, 8 and 12 write 区水务局: one body
    {'name': '区水务局', 'kind': 'department', 'aliases': ['水务局']},
    {'name': '区交通运输局', 'kind': 'department', 'aliases': ['交通运输局']},
    {'name': '区工信局', 'kind': 'department', 'aliases': ['工信局']},
]

# ============================================================ hazards (隐患类别与判定条目)
# Hand-curated: each category (id, name, standard, line) and its clauses (line, exact text, major).
# Every clause text is asserted to be on its seed line; clause ids are 1, 2, … in order.
# major = True only where the seed itself names the item a 重大事故隐患 (see notes.md).
STD_318 = '《金属非金属矿山重大生产安全事故隐患判定标准(试行)》'
ORDINALS_318 = ['一是', '二是', '三是', '四是', '五是', '六是', '七是', '八是', '九是', '十是', '十一是']
HAZARDS = [
    ('tailings-ponds', '尾矿库', None, 305, [
        (305, '新建“头顶库”', False),
        (305, '总坝高超过200米的尾矿库', False),
    ]),
    ('closure-and-obsolete-equipment', '重点关闭对象和落后工艺设备', None, 306, [
        (306, '不符合国家或地方最小开采规模和最低服务年限标准', False),
        (306, '存在重大事故隐患逾期不整改或整改后仍达不到法定安全生产条件', True),
        (306, '违反建设项目安全设施“三同时”规定且拒不执行安全监管指令逾期未完善相关手续', False),
        (306, '采用干式制动的无轨胶轮车或者改装车辆运输人员、炸药、油料等落后工艺设备', False),
    ]),
    ('sensitive-area-mines', '环境敏感区矿山', None, 307, [
        (307, '环境敏感区采石(砂)场', False),
        (307, '破坏生态环境违法矿山', False),
        (307, '位于自然保护区、水源保护区的非煤矿山', False),
    ]),
    ('exploration-illegal-mining', '探矿企业违法开采行为', None, 308, [
        (308, '非法盗采', False),
        (308, '以探代采', False),
        (308, '越界开采', False),
        (308, '无证开采', False),
    ]),
    ('underground-key-links', '地下矿山重点环节', None, 316, [
        (316, '顶板管理', False),
        (316, '提升运输', False),
        (316, '井下用电', False),
        (316, '动火作业', False),
        (316, '防治水', False),
        (316, '民用爆炸物品储存和使用', False),
    ]),
    ('outstanding-violations', '突出问题和违法违规行为', STD_318, 318, [
        (318, '无合法证照非法开采、越界开采,以及违反环境保护政策、长江经济带生态保护政策等违法违规行为', False),
        (318, '整合后的矿山管理不规范,纳入整合的生产系统仍然“各自为政”', False),
        (318, '建设项目安全设施“三同时”制度履行不严格,安全生产许可证有效期满未办理延期手续', False),
        (318, '安全生产责任制及安全管理制度不健全或者照抄照搬,安全管理人员配备不到位', False),
        (318, '主要负责人和安全管理人员未经考核合格,特种作业人员未持证上岗,其他作业人员未按规定进行安全教育培训', False),
        (318, '未开展安全风险辨识评估或安全风险辨识评估不全面,安全风险管控责任不明确、措施不合理、落实不到位', False),
        (318, '不按批准的安全设施设计建设、生产,未及时填绘图纸,现状图与实际严重不符', False),
        (318, '使用国家明令禁止使用的设备及工艺,涉及人身安全、危险性较大的设备设施未按照相关规定进行检测检验', False),
        (318, '外包工程安全管理不规范,以包代管', False),
        (318, '应急预案体系不完善,未按规定组织开展应急演练', False),
        (318, STD_318 + '中规定的重大事故隐患', True),
    ]),
]


def hazard_categories(spec, first_line, last_line):
    """The plan's "hazards": categories with their clauses, each text checked against its seed line."""
    def fail(msg):
        raise AssertionError('hazards: ' + msg)
    if not 2 <= len(spec) <= 8:
        fail('%d categories (want 2–8)' % len(spec))
    out, ids = [], set()
    for cid, name, standard, line, clauses in spec:
        if not (re.fullmatch(r'[a-z0-9]+(-[a-z0-9]+)*', cid) and len(cid) <= 40):
            fail('category id %r is not kebab-case of at most 40 characters' % cid)
        if cid in ids:
            fail('duplicate category id %s' % cid)
        ids.add(cid)
        if not first_line <= line <= last_line:
            fail('%s: line %d outside the attachment (%d–%d)' % (cid, line, first_line, last_line))
        if standard is not None and not (standard.startswith('《') and standard.endswith('》') and standard in L(line)):
            fail('%s: standard %s is not on seed line %d' % (cid, standard, line))
        if not 2 <= len(clauses) <= 15:
            fail('%s: %d clauses (want 2–15)' % (cid, len(clauses)))
        items = []
        for k, (n, text, major) in enumerate(clauses, 1):
            if not first_line <= n <= last_line:
                fail('%s/%d: line %d outside the attachment' % (cid, k, n))
            if not text or text not in L(n):
                fail('%s/%d: text is not on seed line %d: %s' % (cid, k, n, text))
            if len(text) > 120 or text[-1] in '。；，,;' or text != text.strip():
                fail('%s/%d: text too long or not trimmed: %s' % (cid, k, text))
            if major and '重大' not in text:
                fail('%s/%d: major, but the text does not name a 重大…隐患' % (cid, k))
            items.append({'id': str(k), 'text': text, 'line': n, 'major': bool(major)})
        out.append({'id': cid, 'name': name, 'standard': standard, 'line': line, 'clauses': items})
    return out


def hazards():
    out = hazard_categories(HAZARDS, 296, 318)
    # the eleven items of L318 are the seed's 一是…十一是, in order, without the ordinal and the final 。
    s = L(318)
    body = s.split('重点打击整治以下突出问题和违法违规行为:', 1)[1].split('(责任单位', 1)[0]
    parts = re.split('(' + '|'.join(sorted(ORDINALS_318, key=len, reverse=True)) + ')', body)
    assert parts[0] == '' and parts[1::2] == ORDINALS_318, parts[1::2]
    items = [p.rstrip('。') for p in parts[2::2]]
    listed = [c[1] for c in dict((h[0], h[4]) for h in HAZARDS)['outstanding-violations']]
    assert listed == items, 'hazards: outstanding-violations differs from L318 一是…十一是'
    return out


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
            'hazards': hazards()}
    role_units = validate(plan, start, end)
    for u in ('涉及非煤矿山镇(街道)', '曲靖生态环境局麒麟分局', '曲靖市公安局麒麟分局', '曲靖市公安局麒麟区分局'):
        assert u in role_units, u
    return plan


if __name__ == '__main__':
    main(build)
