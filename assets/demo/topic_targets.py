#!/usr/bin/env python3
"""Targets of the two core 专题 of the demo campaign (seed 001) → topic-targets.json.

    python3 topic_targets.py [--seed PATH]           write topic-targets.json next to this script
    python3 topic_targets.py --check [--seed PATH]   exit 1 if topic-targets.json differs from what would be written

topic-1 = 附件1 学习宣传贯彻习近平总书记关于安全生产重要论述专题实施方案 (seed lines 5–50),
topic-2 = 附件2 落实企业安全生产主体责任三年行动专题实施方案 (seed lines 51–97); both are plans of
campaign.json (next to this script). The seed is read from ../../../shared/seeds/001_a1dd519a45aa6056.txt
relative to this script (/work/main/assets/demo → /work/shared; /work/scratch/pw/assets/demo → /work/scratch/shared,
a link to /work/shared); --seed overrides that.

Hand-curated below: the targets, each with its seed line and the exact words of that line. A target has the
fields of the SDK's TargetContent (plugin-sdk/src/content.rs) without `form` and `inputs`, plus `feed`:
  "hand"      the office enters the figure on the desk;
  "progress"  the figure is the number of progress entries (dated 进展) of the task named by `task`
              (for a recurring duty: the entries dated in each period).
The script stops when
  - a quote is not on its line, or the line is outside its attachment, or the quote is not in the text of its task
    (campaign.json), or the task label is not in the plan;
  - a checkpoint figure is not written in the quote or an `also` quote (Arabic or Chinese numeral) — except the 100
    of full_coverage and the 0 of zero (the comparator's own word), and the 1 of a recurring duty ("每年…", "年度…")
    or of a dated milestone (unit 项/份, with `due`); a checkpoint year not written there needs a note that says 推定;
  - a `due` disagrees with the date the quote writes for that year;
  - a comparator or period is not one of the SDK's lists (read from plugin-sdk/src/content.rs when present);
  - a task deadline (campaign.json) or an Arabic figure of the attachment's lines is neither in a target's quote nor in
    SKIPPED (the statements left out, with the reason) — so no figure of the source is passed over silently.
Standard library only; output is deterministic (json, ensure_ascii=False, indent=1, trailing newline).
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'plugins', 'tools'))
import seed001  # noqa: E402 — T (the target record), TARGET_KEYS, COMPARATORS, PERIODS

SEED_DEFAULT = os.path.join(HERE, '../../../shared/seeds/001_a1dd519a45aa6056.txt')
OUT_PATH = os.path.join(HERE, 'topic-targets.json')
CAMPAIGN_PATH = os.path.join(HERE, 'campaign.json')
SDK_CONTENT = os.path.join(HERE, '..', '..', 'plugin-sdk', 'src', 'content.rs')

PLANS = [('topic-1', '附件1', '附件2', 't1-'), ('topic-2', '附件2', '附件3', 't2-')]
FEEDS = ('hand', 'progress')
Y3 = (2020, 2021, 2022)

LINES = []


def L(n):
    """Seed line n, 1-based (the numbering of `cat -n`)."""
    return LINES[n - 1]


def marker(code):
    hits = [i + 1 for i, s in enumerate(LINES) if s.strip() == code + ':']
    assert len(hits) == 1, (code, hits)
    return hits[0]


def T(feed, id, name, unit, comparator, checkpoints, task, line, quote, **kw):
    """seed001.T plus `scope` (district unless given) and `feed`."""
    kw.setdefault('scope', 'district')
    t = seed001.T(id, name, unit, comparator, checkpoints, line, quote, task=task, **kw)
    t['feed'] = feed
    return t


def each_year(value, years=Y3, due=None):
    """A recurring duty's checkpoints: `value` per period in each year; due = 'MM-DD' for a date in each year."""
    return [(y, value, '%d-%s' % (y, due) if due else None) for y in years]


NO_DATE = '原文未写年份或期限，按三年行动末（2022年）设检查点（推定）'
STANDING = '常设要求，原文无期限，2020—2022年逐年检查（推定）'


def progress_note(task, what, others=''):
    s = '进展按%s的条目计：每次%s登记一条进展' % (task, what)
    if others:
        s += '；%s也登记在%s，条目不分事项，都会计入' % (others, task)
    return s


# ============================================================ 附件1 (topic-1)
def targets_topic1():
    return [
        T('progress', 't1-tv-series-viewing',
          '各级党委(党组)理论学习中心组集中组织观看学习“生命重如泰山—学习习近平总书记关于安全生产重要论述”电视专题片',
          '次', 'at_least', [(2020, 1, '2020-12-31')], '(一)1', 8,
          '2020年底前,各级党委(党组)理论学习中心组要精心组织,认真筹划,集中组织观看学习1次“生命重如泰山—学习习近平总书记关于安全生产重要论述”电视专题片',
          note='每个理论学习中心组各1次；' + progress_note('(一)1', '集中观看学习',
                                                     '同一任务的“大学习、大讨论、大调研”和征文活动、宣传报道')),
        T('hand', 't1-big-study-essay', '镇(街道)各有关部门单位开展“大学习、大讨论、大调研”和征文活动',
          '次', 'at_least', [(2020, 1, '2020-12-31')], '(一)1', 8,
          '要扎实开展1次“大学习、大讨论、大调研”和征文活动',
          note='本句未写期限，按本项开头“2020年底前”读取（推定）；各单位各1次：录入开展次数最少的镇(街道)或有关部门单位的次数；'
               '与 t1-tv-series-viewing 同在(一)1，进展条目分不开两事，故手工录入'),
        T('progress', 't1-quarterly-analysis', '理论学习中心组研究分析常态化学习宣传贯彻推进落实情况',
          '次', 'at_least', each_year(1), '(一)2', 12, '每季度研究分析1次推进落实情况', period='quarterly',
          note=progress_note('(一)2', '研究分析', '同一季度的专题学习研讨（t1-quarterly-study）、专题汇报会、总结会')
               + '；一季度两项各1次应有2条进展，本指标只能核对至少1条'),
        T('progress', 't1-half-yearly-briefing', '理论学习中心组召开专题汇报会',
          '次', 'at_least', each_year(1), '(一)2', 12, '每半年召开1次专题汇报会', period='half_yearly',
          note=progress_note('(一)2', '专题汇报会', '研究分析、专题学习研讨、总结会')),
        T('progress', 't1-annual-summary', '理论学习中心组召开总结会',
          '次', 'at_least', each_year(1), '(一)2', 12, '每年召开1次总结会', period='yearly',
          note=progress_note('(一)2', '总结会', '研究分析、专题汇报会、专题学习研讨')),
        T('progress', 't1-quarterly-study', '理论学习中心组专题学习研讨',
          '次', 'at_least', each_year(1), '(一)2', 12, '每季度至少安排1次专题学习研讨', period='quarterly',
          note=progress_note('(一)2', '专题学习研讨', '同一季度的研究分析（t1-quarterly-analysis）、专题汇报会、总结会')),
        T('hand', 't1-trainee-database', '摸清培训对象、建立数据库并逐级上报区安委办的镇(街道)',
          '%', 'full_coverage', [(2020, 100, '2020-08-15')], '(二)1', 24,
          '2020年8月15日前,各地及时摸清本地区党政分管领导、安全监管干部和规模以上重点企业主要负责人、安全管理人员情况,明确培训对象,建立数据库,逐级上报区安委办',
          note='“各地”读作各镇(街道)（推定）：录入已建立培训对象数据库并上报区安委办的镇(街道)占比'),
        T('progress', 't1-rotation-round', '全覆盖集中轮训',
          '次', 'at_least', [(2020, 1, '2020-12-31')], '(二)2', 25, '确保到2020年底,至少开展1次全覆盖集中轮训',
          note=progress_note('(二)2', '集中轮训（一期或一轮）') + '；“全覆盖”另见 t1-rotation-coverage'),
        T('hand', 't1-rotation-coverage', '培训对象数据库人员参加集中轮训的比例',
          '%', 'full_coverage', [(2020, 100, '2020-12-31')], '(二)2', 25, '确保到2020年底,至少开展1次全覆盖集中轮训',
          also=[{'line': 25, 'quote': '对照培训对象数据库'}],
          note='分母为(二)1培训对象数据库内的人员，分子为其中已参加轮训（市级或区级组织）的人员'),
        T('hand', 't1-leader-duty-lists', '制定出台各级党政领导安全生产责任清单',
          '%', 'full_coverage', [(2020, 100, '2020-12-31')], '(三)1', 27, '在2020年底前,制定出台各级党政领导安全生产责任清单',
          note='“各级”读作区级和各镇(街道)（推定）：录入已出台清单的层级（区、各镇街道）占比'),
        T('hand', 't1-sector-duty-lists', '厘清安全生产及应急管理责任清单的重点行业领域',
          '个', 'reach', [(2020, 18, '2020-12-31')], '(三)2', 29,
          '全面厘清煤矿、道路交通、危险化学品、非煤矿山、消防等18个重点行业领域的安全生产及应急管理责任清单',
          note='本句未单独写期限，同句后接“到2020年底前,设立…专业委员会”，按2020年底前读取（推定；只按三年行动末则为2022年）；'
               '录入已厘清责任清单的重点行业领域个数'),
        T('hand', 't1-special-committees', '由部门分管领导担任主任的安全生产专业委员会',
          '个', 'reach', [(2020, 12, '2020-12-31')], '(三)2', 29,
          '到2020年底前,设立由煤矿、危险化学品、非煤矿山、工贸等12个部门分管领导担任主任的安全生产专业委员会',
          note='原文“12个部门分管领导担任主任”：按每个部门的分管领导任一个专业委员会主任、共12个专业委员会读取（推定）；'
               '录入已设立的专业委员会个数'),
        T('progress', 't1-annual-evaluation', '对安全生产工作情况及党政领导班子成员落实安全生产责任情况进行全面评价',
          '次', 'at_least', each_year(1), '(四)1', 33,
          '每年对安全生产工作情况及党政领导班子成员落实安全生产责任情况进行全面评价', period='yearly',
          note='原文未写次数，“每年”读作每年1次；' + progress_note('(四)1', '全面评价')),
        T('hand', 't1-hazards-cleared', '逾期未整改的安全隐患（动态清零）',
          '项', 'zero', each_year(0), '(四)4', 39, '确保各类安全隐患动态清零',
          note=STANDING + '；“动态清零”读作核查日没有超过整改期限仍未整改的隐患（推定）：录入该数'),
        T('hand', 't1-reform-evaluation-report',
          '报区安委会督查评估报告、发现问题整改清单及改革经验和典型案例的地区、部门和单位',
          '%', 'full_coverage', [(2020, 100, '2020-09-20')], '(五)2', 43,
          '2020年9月20日前,各地、有关部门和单位全面完成安全生产领域改革发展重点任务推进落实情况督查评估报告、发现问题整改清单,以及建议复制推广的改革经验和典型案例报区安委会',
          note='分母为承担改革任务的各镇(街道)、有关部门和单位（推定）：录入已按期报送的占比'),
        T('hand', 't1-qualified-enforcers', '具有安全生产相关专业学历和实践经验的执法人员占在职人员比例',
          '%', 'at_least', [(2022, 75, '2022-12-31')], '(六)1', 44,
          '到2022年底前,具有安全生产相关专业学历和实践经验的执法人员不低于在职人员的75%',
          note='全区安全监管执法人员；附件3第157行对化工执法人员另写“2022年底前…达到在职人员的50%”（第101行作75%以上），口径不同，不相抵'),
        T('hand', 't1-town-emergency-capacity', '应急管理机构、人员、装备基本落实到位的镇(街道)',
          '%', 'full_coverage', [(2022, 100, '2022-12-31')], '(六)1', 44,
          '确保到2022年底前,全区所有镇(街道)应急管理机构、人员、装备基本落实到位',
          also=[{'line': 44, 'quote': '落实以有班子、有机制、有预案、有队伍、有物资、有演练的“六有”为主要内容的镇(街道)基层应急管理能力标准化建设'}],
          note='录入应急管理机构、人员、装备基本落实到位的镇(街道)占比；“六有”为标准化建设的内容，原文未要求到期全部达到“六有”'),
        T('hand', 't1-enforcer-rotation', '安全监管执法人员以专业知识和执法业务实训为主要内容的轮训',
          '%', 'full_coverage', [(2022, 100, '2022-12-31')], '(六)2', 47,
          '所有安全监管执法人员原则上每3年以专业知识和执法业务实训为主要内容轮训一次',
          note='“每3年”与三年行动（2020—2022年）同长，按到2022年底所有执法人员至少轮训一次读取（推定）；原文为“原则上”；'
               '录入已轮训的执法人员占在职执法人员的比例'),
        T('progress', 't1-enforcer-annual-training', '执法业务培训',
          '次', 'at_least', each_year(1), '(六)2', 47, '每年开展不少于一次的执法业务培训', period='yearly',
          note=progress_note('(六)2', '执法业务培训', '新录用人员入职培训和三年轮训')),
        T('hand', 't1-enforcement-guidance', '安全生产执法规范化建设的指导性文件',
          '份', 'reach', [(2020, 1, '2020-12-31')], '(六)3', 48,
          '到2020年底,组织实施安全生产执法规范化建设的指导性文件',
          note='原文未写份数，按至少1份读取（推定）：录入已组织实施的指导性文件份数'),
        T('hand', 't1-legal-review', '重大执法决定法制审核',
          '%', 'full_coverage', [(2020, 100, '2020-12-31')], '(六)3', 48,
          '2020年底前,基本实现执法信息及时准确公示、执法全过程留痕和可回溯管理、重大执法决定法制审核全覆盖',
          note='录入重大执法决定中经法制审核的比例；同句“执法信息及时准确公示”“执法全过程留痕和可回溯管理”只写“基本实现”，无数字，不另设指标；'
               '同一任务写“到2020年底”和“2020年底前”，同为2020年12月31日'),
        T('hand', 't1-annual-inspection-plan', '年度安全生产监督检查计划',
          '份', 'at_least', each_year(1), '(六)4', 50, '编制年度安全生产监督检查计划', period='yearly',
          note='原文未写份数，“年度”读作每年1份（推定）；(六)4的进展多为联合执法等，不以进展条数计'),
        T('hand', 't1-differentiated-supervision', '对企业的差异化监管和重点监管执法',
          '项', 'reach', [(2022, 1, '2022-12-31')], '(六)4', 50, '到2022年,基本实现对企业的差异化监管和重点监管执法',
          note='“到2022年”按2022年12月31日读取；“基本实现”，录入是否已实现（实现记1）'),
    ]


# ============================================================ 附件2 (topic-2)
def targets_topic2():
    return [
        T('hand', 't2-annual-duty-assessment', '企业组织全员安全生产责任制落实情况考核',
          '次', 'at_least', each_year(1), '(一)3', 57, '每年组织全员安全生产责任制落实情况考核', period='yearly',
          note='原文未写次数，“每年”读作每年1次；每家企业都须做到（第56行“指导督促相关行业领域的企业”）：'
               '录入上一个完整年度内组织考核次数最少的企业的次数（推定）'),
        T('hand', 't2-safety-management-teams', '建立规范合理、运行高效的安全生产技术和管理团队的重点行业领域企业',
          '%', 'full_coverage', [(2021, 100, '2021-12-31')], '(二)1', 61,
          '到2021年底前,各重点行业领域企业通过自身培养和市场化机制全部建立规范合理、运行高效的安全生产技术和管理团队',
          note='录入已建立团队的重点行业领域企业占比'),
        T('hand', 't2-uncertified-workers', '未取得特种作业操作证或未经安全生产教育培训合格上岗作业的从业人员',
          '人', 'zero', each_year(0), '(二)3', 67, '未取得特种作业操作证和未经安全生产教育培训合格的从业人员,不得上岗作业',
          note=STANDING + '；录入当年检查发现的人数，不累计'),
        T('hand', 't2-vocational-colleges', '重点行业领域企业通过自建或委托方式建设职业院校(技工院校)',
          '项', 'reach', [(2022, 1, '2022-12-31')], '(二)3', 67,
          '到2022年底前,推动重点行业领域企业通过自建或委托方式建设职业院校(技工院校),实现重点岗位人员“变招工为招生”',
          note='原文未写数量，按至少1项读取（推定）：录入已自建或委托建设职业院校(技工院校)的项数'),
        T('hand', 't2-standardisation-self-assessment', '完成安全生产标准化建设自评工作的高危行业及规模以上企业',
          '%', 'full_coverage', [(2022, 100, '2022-12-31')], '(二)4', 69,
          '2022年底前,高危行业及规模以上企业均应完成安全生产标准化建设自评工作',
          note='录入已完成自评的高危行业及规模以上企业占比'),
        T('hand', 't2-hazard-system', '建立完善隐患排查治理制度的企业',
          '%', 'full_coverage', [(2020, 100, '2020-12-31')], '(三)1', 71, '2020年底前推动企业建立完善隐患排查治理制度',
          also=[{'line': 83, 'quote': '建立健全以企业风险辨识管控为基础、符合企业实际的隐患排查治理制度'}],
          note='原文未写“全部”，按所有企业读取（推定）；第83行称该制度“以企业风险辨识管控为基础”，而风险管控制度期限（t2-risk-control-system）晚一年'),
        T('hand', 't2-risk-control-system', '建立完善安全风险管控制度的企业',
          '%', 'full_coverage', [(2021, 100, '2021-12-31')], '(三)1', 71, '2021年底前建立完善安全风险管控制度',
          also=[{'line': 77, 'quote': '建立完善企业安全风险管控制度'}],
          note='原文未写“全部”，按所有企业读取（推定）；录入已建立的企业占比'),
        T('hand', 't2-risk-ledger', '建立安全风险源点管理台账（“一企一清单”）的企业',
          '%', 'full_coverage', [(2022, 100)], '(三)2', 74, '建立健全安全风险源点管理台账,实现“一企一清单”',
          note=NO_DATE + '；每家企业一份清单，录入已建立的企业占比'),
        T('hand', 't2-risk-map', '绘制四色安全风险源点空间分布图（“一企一分布图”）的企业',
          '%', 'full_coverage', [(2022, 100)], '(三)2', 75, '绘制企业“红橙黄蓝”四色安全风险源点空间分布图,实现“一企一分布图”',
          note=NO_DATE + '；每家企业一张分布图，录入已绘制的企业占比'),
        T('hand', 't2-annual-risk-report', '企业向属地相关监管部门报送安全风险源点清单和年度安全风险管控情况分析报告',
          '次', 'at_least', each_year(1, due='12-31'), '(三)2', 81,
          '企业于每年12月底前,向属地相关监管部门报送安全风险源点清单和年度安全风险管控情况分析报告', period='yearly',
          note='每家企业每年1次、12月底前：录入上一年度按期报送次数最少的企业的次数（推定）'),
        T('hand', 't2-hazard-check-lists', '形成隐患排查“一企一清单”“一车间一表格”“一岗一对照卡”的企业',
          '%', 'full_coverage', [(2022, 100)], '(三)3', 83, '形成“一企一清单”“一车间一表格”“一岗一对照卡”',
          note=NO_DATE + '；录入三者均已形成的企业占比'),
        T('hand', 't2-hazard-network', '建立完善隐患排查治理“一张网”信息化管理系统的地区和企业',
          '%', 'full_coverage', [(2021, 100, '2021-12-31')], '(三)3', 86,
          '2021年底前,各地区和各类企业建立完善隐患排查治理“一张网”信息化管理系统',
          note='录入已建立的镇(街道)和企业占比（推定：“各地区”读作各镇(街道)）'),
        T('hand', 't2-commitment-system', '安全生产承诺制度覆盖的重点行业领域',
          '%', 'full_coverage', [(2020, 100, '2020-12-31')], '(四)1', 89,
          '2020年底前,制定出台包括所有重点行业领域的安全生产承诺制度',
          note='录入已出台的承诺制度覆盖的重点行业领域占比'),
        T('hand', 't2-credit-sanctions', '曲靖市麒麟区安全生产领域失信行为联合惩戒制度',
          '项', 'reach', [(2020, 1, '2020-12-31')], '(四)2', 91,
          '2020年底前,建立完善曲靖市麒麟区安全生产领域失信行为联合惩戒制度',
          note='录入是否已建立（建立记1）'),
        T('hand', 't2-service-evaluation', '技术服务机构评价结果公开和第三方信用评定制度',
          '项', 'reach', [(2020, 1, '2020-12-31')], '(四)3', 94,
          '落实2020年底前制定出台技术服务机构评价结果公开和第三方信用评定制度',
          note='原文“落实2020年底前制定出台…”，按2020年底前制定出台读取；按一项制度计（推定；也可读作评价结果公开、第三方信用评定两项）'),
        T('hand', 't2-insurance-platform', '安责险信息化管理平台',
          '项', 'reach', [(2021, 1, '2021-12-31')], '(四)4', 96, '2021年底前推动本地区应急管理部门建立安责险信息化管理平台',
          note='录入是否已建立（建立记1）'),
        T('hand', 't2-insurer-online-monitoring', '承保安责险的保险机构安全预防技术服务实现在线监测',
          '%', 'full_coverage', [(2022, 100, '2022-12-31')], '(四)4', 96,
          '2022年底前全市承保安责险的保险机构安全预防技术服务实现在线监测',
          note='原文作“全市”（区级方案沿用市级方案用语），按在本区承保安责险的保险机构计（推定）：录入已实现在线监测的保险机构占比'),
        T('hand', 't2-third-party-publicity', '安责险第三方评估公示制度',
          '项', 'reach', [(2022, 1, '2022-12-31')], '(四)4', 96, '实现在线监测,并落实第三方评估公示制度',
          note='本句以“并”接前句“2022年底前…实现在线监测”，期限按2022年底前读取（推定）；录入是否已落实（落实记1）'),
    ]


# Statements with a figure or a date that are deliberately not targets: (plan, line, quote, reason).
SKIPPED = [
    ('topic-1', 5, '附件1', '附件编号'),
    ('topic-1', 6, '通过3年时间,学深悟透习近平总书记关于安全生产重要论述', '工作目标的时限，定性，无可计量之物'),
    ('topic-1', 29, '出台《安全生产积分制管理办法》', '无数字、无期限（同句前的“到2020年底前”管设立专业委员会）'),
    ('topic-1', 48, '充分利用5G等信息化技术', '技术名称，不是指标'),
    ('topic-2', 51, '附件2', '附件编号'),
    ('topic-2', 74, '按照危险程度分为1、2、3、4级,1级为重大风险', '风险分级规则（1级红、2级橙、3级黄、4级蓝），不是指标'),
    ('topic-2', 79, '重点管控1、2级安全风险源点', '管控规则，不是指标'),
    ('topic-2', 81, '对存在1、2级安全风险的工作场所和岗位', '警示规则，不是指标'),
    ('topic-2', 85, '强化对存在1、2级安全风险的场所', '排查规则，不是指标'),
    ('topic-2', 87, '2022 年底前,企业隐患排查治理全面走向制度化、规范化轨道', '定性表述（“走向…轨道”），无可计量之物'),
    ('topic-2', 96, '按照2020年底前出台的云南省安全生产责任保险实施办法', '省级文件的出台时间，不是本区任务'),
]

CN_DIGITS = {0: '零', 1: '一', 2: '二', 3: '三', 4: '四', 5: '五', 6: '六', 7: '七', 8: '八', 9: '九', 10: '十'}
COVERAGE_WORDS = ('全覆盖', '全部', '所有', '均', '全面', '各类', '一企一')
ZERO_WORDS = ('清零', '不得', '严禁', '杜绝')
DATE_RE = re.compile(r'(\d{4}) ?年(?:(\d{1,2})月(?:(\d{1,2})日)?)?')


def sdk_list(name):
    """Names of `pub const NAME: [(&str, &str); n]` in plugin-sdk/src/content.rs, or None when the file is absent."""
    try:
        src = open(SDK_CONTENT, encoding='utf-8').read()
    except FileNotFoundError:
        return None
    m = re.search(r'pub const %s: \[\(&str, &str\); \d+\] = \[(.*?)\];' % name, src, re.S)
    assert m, name
    return set(re.findall(r'\("([a-z_]+)",', m.group(1)))


def written(value, text):
    v = int(value)
    assert v == value, value
    if re.search(r'(?<!\d)%d(?!\d)' % v, text):
        return True
    return v in CN_DIGITS and CN_DIGITS[v] in text


def check_target(t, plan_id, prefix, first, last, tasks):
    tid = t['id']
    assert tid.startswith(prefix) and re.fullmatch(r'[a-z0-9]+(-[a-z0-9]+)*', tid), tid
    assert set(t) <= set(seed001.TARGET_KEYS) | {'feed'} and 'form' not in t and 'inputs' not in t, tid
    assert t['feed'] in FEEDS, tid
    assert t['comparator'] in seed001.COMPARATORS, tid
    assert t.get('scope') in ('district', 'per_town'), tid
    assert t['task'] in tasks, (tid, t['task'], 'task label not in campaign.json plan ' + plan_id)
    refs = [{'line': t['line'], 'quote': t['quote']}] + t.get('also', [])
    for r in refs:
        assert first <= r['line'] <= last, (tid, r['line'], 'outside the attachment')
        assert r['quote'] and r['quote'] in L(r['line']), (tid, r['line'], r['quote'], 'quote not on its line')
    assert t['quote'] in tasks[t['task']], (tid, 'quote not in the text of task ' + t['task'])
    text = '\n'.join(r['quote'] for r in refs)
    note = t.get('note', '')
    c = t['comparator']
    assert ('tolerance' in t) == (c == 'about') and ('baseline' in t) == (c == 'decrease_by'), tid
    cps = t['checkpoints']
    assert cps and [x['year'] for x in cps] == sorted({x['year'] for x in cps}), tid
    if 'period' in t:
        assert t['period'] in seed001.PERIODS and c == 'at_least', tid
    for cp in cps:
        y, v = cp['year'], cp['value']
        assert ('upper' in cp) == (c == 'between'), tid
        assert 2020 <= y <= 2022, tid
        if c == 'zero':
            assert v == 0 and (any(w in text for w in ZERO_WORDS) or '推定' in note), tid
        elif c == 'full_coverage':
            assert v == 100 and t['unit'] == '%', tid
            assert any(w in text for w in COVERAGE_WORDS) or '推定' in note, (tid, 'full coverage not written')
        elif v == 1 and ('period' in t and re.search('每|年度', text) or 'due' in cp and t['unit'] in ('项', '份')):
            pass  # the 1 of a recurring duty or of a dated milestone
        else:
            assert written(v, text), (tid, v, 'figure not written in quote/also')
        if 'period' not in t:
            assert str(y) in text or '推定' in note, (tid, y, 'year not written and no 推定 in note')
        if 'due' in cp:
            assert re.fullmatch(r'\d{4}-\d\d-\d\d', cp['due']) and cp['due'][:4] == str(y), tid
            for m in DATE_RE.finditer(text):
                if int(m.group(1)) == y:
                    mo, d = int(m.group(2) or 12), int(m.group(3) or 0)
                    want = '%d-%02d-%02d' % (y, mo, d) if d else ('%d-12-31' % y if mo == 12 else None)
                    assert want is None or cp['due'] == want, (tid, cp['due'], want)
    for b in [t['baseline']] if 'baseline' in t else []:
        assert b.get('value') is None or written(b['value'], text), tid


def check_coverage(plan_id, targets, first, last, plan):
    """Every task deadline and every Arabic figure of the attachment is in a target quote or in SKIPPED."""
    spans = {}
    for t in targets:
        for r in [{'line': t['line'], 'quote': t['quote']}] + t.get('also', []):
            spans.setdefault(r['line'], []).append(r['quote'])
    for p, n, q, _ in SKIPPED:
        if p == plan_id:
            assert first <= n <= last and q in L(n), (p, n, q)
            spans.setdefault(n, []).append(q)
    for n in range(first, last + 1):
        s = L(n)
        covered = [False] * len(s)
        for q in spans.get(n, []):
            i = s.find(q)
            while i >= 0:
                covered[i:i + len(q)] = [True] * len(q)
                i = s.find(q, i + 1)
        for m in re.finditer(r'\d+', s):
            if s[m.end():m.end() + 1] == '.' or s[m.start() - 1:m.start()] == '(' and s[m.end():m.end() + 1] == ')':
                continue  # item numbers "1." and "(1)"
            assert all(covered[m.start():m.end()]), (plan_id, n, s[max(0, m.start() - 15):m.end() + 15],
                                                      'figure neither in a target nor in SKIPPED')
    for task in plan['tasks']:
        quotes = [t['quote'] for t in targets if t['task'] == task['label']] + [
            a['quote'] for t in targets if t['task'] == task['label'] for a in t.get('also', [])] + [
            q for p, _, q, _ in SKIPPED if p == plan_id]
        for d in task['deadlines']:
            assert any(d in q for q in quotes), (plan_id, task['label'], d, 'deadline not in a target or SKIPPED')


def build():
    sdk_c, sdk_p = sdk_list('COMPARATORS'), sdk_list('PERIODS')
    if sdk_c is not None:
        assert sdk_c == set(seed001.COMPARATORS) and sdk_p == set(seed001.PERIODS), (sdk_c, sdk_p)
    campaign = json.load(open(CAMPAIGN_PATH, encoding='utf-8'))
    plans = {p['id']: p for p in campaign['plans']}
    out, ids = {}, []
    for plan_id, code, nxt, prefix in PLANS:
        plan = plans[plan_id]
        assert plan['code'] == code, (plan_id, plan['code'])
        first, last = marker(code), marker(nxt) - 1
        assert plan['source'] == '种子文件001 第%d–%d行' % (first, last), plan['source']
        tasks = {t['label']: t['text'] for t in plan['tasks']}
        targets = targets_topic1() if plan_id == 'topic-1' else targets_topic2()
        for t in targets:
            check_target(t, plan_id, prefix, first, last, tasks)
        check_coverage(plan_id, targets, first, last, plan)
        ids += [t['id'] for t in targets]
        out[plan_id] = targets
    assert len(ids) == len(set(ids)), ids
    return {'format': 1, 'source': '种子文件001', 'plans': out}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seed', default=SEED_DEFAULT)
    ap.add_argument('--check', action='store_true', help='exit 1 when topic-targets.json differs from what would be written')
    args = ap.parse_args()
    LINES[:] = open(args.seed, encoding='utf-8').read().split('\n')
    data = build()
    text = json.dumps(data, ensure_ascii=False, indent=1) + '\n'
    if args.check:
        try:
            have = open(OUT_PATH, encoding='utf-8').read()
        except FileNotFoundError:
            have = None
        if have != text:
            print('topic-targets.json differs from what topic_targets.py would write; run python3 topic_targets.py',
                  file=sys.stderr)
            sys.exit(1)
        print('topic-targets.json is up to date')
        return
    with open(OUT_PATH, 'w', encoding='utf-8') as f:
        f.write(text)
    print('; '.join('%s: %d targets (%d progress, %d recurring)' % (
        p, len(ts), sum(t['feed'] == 'progress' for t in ts), sum('period' in t for t in ts))
        for p, ts in data['plans'].items()) + ' -> ' + OUT_PATH)


if __name__ == '__main__':
    main()
