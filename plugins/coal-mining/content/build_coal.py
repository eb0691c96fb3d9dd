import json, re, os
HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.join(HERE, '../../../../shared/seeds/001_a1dd519a45aa6056.txt')
tasks = json.load(open(os.path.join(HERE, 'tasks_raw.json')))
LEAD = {'牵头部门', '区级牵头部门', '责任部门'}
COOP = {'区级责任部门', '区级责任单位'}
def parse_roles(rt):
    s = rt.replace('\n', '').strip()
    assert s.startswith('(') and s.endswith(')'), s
    s = s[1:-1].rstrip('。')
    parts = re.split(r'[;,](?=(?:责任单位|牵头部门|区级牵头部门|责任部门|区级责任部门|区级责任单位):)', s)
    roles = []
    seen_lead = False
    for p in parts:
        k, v = p.split(':', 1)
        if k in LEAD:
            role = 'lead'; seen_lead = True
        elif k in COOP:
            role = 'cooperating'
        elif k == '责任单位':
            role = 'cooperating' if seen_lead else 'responsible'
        else:
            raise Exception(k)
        units = [v] if v == '麒麟区党委、政府' else v.split('、')
        for u in units:
            r = {'role': role, 'unit': u.strip()}
            if k == '责任单位' and role == 'cooperating':
                r['note'] = '原文标注为“责任单位”，列于牵头部门之后'
            roles.append(r)
    return rt.replace('\n', ''), roles
deadlines = {
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
shared = None
for t in reversed(tasks):
    if t['roles_text']:
        shared = t['roles_text']
    t['_rt'] = t['roles_text'] or shared
out_tasks = []
for t in tasks:
    rt, roles = parse_roles(t['_rt'])
    for d in deadlines.get(t['label'], []):
        assert d.lstrip('到').rstrip('前') in t['text'].replace('\n',''), (t['label'], d)
    out_tasks.append({'label': t['label'], 'section': t['section'], 'title': t['title'], 'text': t['text'],
        'roles_text': rt if t['roles_text'] else None, 'roles': roles, 'deadlines': deadlines.get(t['label'], [])})
# (一)1-4 share (一)5's annotation: keep roles, and note it.
for t in out_tasks[:4]:
    t['roles_text'] = None
    for r in t['roles']:
        r['note'] = '与(一)5共用责任标注'
lines = open(SEED, encoding='utf-8').read().split('\n')
goals = '\n'.join(l for l in lines[194:197])
goals = goals.replace('二、整治目标 ', '', 1)
def T(id, name, unit, comp, cps, form=None, baseline=None):
    t = {'id': id, 'name': name, 'unit': unit, 'comparator': comp, 'checkpoints': [dict(zip(('year','value','due'), c)) if len(c)==3 else {'year':c[0],'value':c[1]} for c in cps]}
    if baseline: t['baseline'] = baseline
    if form: t['form'] = form
    return t
F = 'mine-register'
targets = [
 T('mine-count', '全区煤矿数量', '处', 'at_most', [(2022, 8)], F),
 T('avg-capacity', '保留煤矿平均单井规模', '万吨/年', 'at_least', [(2022, 60)], F),
 T('standardised-share', '一级、二级安全生产标准化管理体系达标煤矿占比', '%', 'at_least', [(2020, 60), (2022, 70)], F),
 T('grade1-count', '一级安全生产标准化煤矿', '个', 'at_least', [(2020, 1), (2022, 2)], F),
 T('mechanised-share', '所有煤矿实现机械化开采和掘进', '%', 'reach', [(2022, 100)], F),
 T('fully-mechanised-share', '综合机械化开采比例', '%', 'at_least', [(2022, 40)], F),
 T('aux-automation-share', '辅助生产系统自动化矿井比例', '%', 'at_least', [(2022, 60)], F),
 T('accidents', '事故总量', '%', 'decrease_by', [(2022, 20)], None, {'year': 2019}),
 T('deaths', '死亡人数', '%', 'decrease_by', [(2022, 20)], None, {'year': 2019}),
 T('death-rate', '煤炭百万吨死亡率', '%', 'decrease_by', [(2022, 20)], None, {'year': 2019}),
 T('capacity', '麒麟区产能', '万吨', 'reach', [(2020, 330), (2021, 294), (2022, 525)], F),
 T('output', '原煤产量', '万吨', 'reach', [(2020, 290), (2021, 300), (2022, 500)]),
 T('new-mech-mines', '新增普通机械化开采矿井', '个', 'reach', [(2020, 2), (2021, 1)]),
 T('new-fully-mech-mines', '新增综合机械化开采矿井', '个', 'reach', [(2020, 2), (2021, 0)]),
 T('new-mech-heading-mines', '新增机械化掘进矿井', '个', 'reach', [(2020, 3), (2021, 0)]),
 T('new-aux-automation-mines', '新增辅助系统自动化矿井', '个', 'reach', [(2020, 0), (2021, 1)]),
 T('new-automated-faces', '新增自动化无人(少人)采煤工作面', '个', 'reach', [(2020, 0), (2021, 2), (2022, 3)]),
 T('mine-water-reuse', '矿井水循环利用率', '%', 'at_least', [(2020, 80), (2021, 82), (2022, 85)]),
 T('gangue-use', '煤矸石综合利用率', '%', 'at_least', [(2020, 75), (2021, 78), (2022, 80)]),
 T('monitoring-upgrade-major', '大型矿井、煤与瓦斯突出矿井和高瓦斯矿井安全监控系统升级改造及验收完成率', '%', 'reach', [(2020, 100, '2020-06-30')], F),
 T('monitoring-upgrade-other', '其他矿井安全监控系统升级改造及验收完成率', '%', 'reach', [(2020, 100, '2020-12-30')], F),
 T('city-sampling', '市级煤矿安全监管部门抽查比例', '%', 'at_least', [(2020, 10)]),
 T('district-sampling', '麒麟区能源局抽查覆盖率', '%', 'reach', [(2020, 100)]),
]
plan = {
 'code': '附件4',
 'title': '煤矿安全专项整治三年行动实施方案',
 'goals': goals,
 'source': '种子文件001 第176–295行（附件4）',
 'phases': [
   {'name': '动员部署', 'start': '2020-05-01', 'end': '2020-06-30'},
   {'name': '排查整治', 'start': '2020-07-01', 'end': '2020-12-31'},
   {'name': '集中攻坚', 'start': '2021-01-01', 'end': '2021-12-31'},
   {'name': '巩固提升', 'start': '2022-01-01', 'end': '2022-12-31'},
 ],
 'tasks': out_tasks,
 'targets': targets,
}
def clean(o):
    if isinstance(o, dict): return {k: clean(v) for k, v in o.items() if v is not None}
    if isinstance(o, list): return [clean(x) for x in o]
    return o
json.dump(clean(plan), open(os.path.join(HERE, 'plan.json'), 'w'), ensure_ascii=False, indent=1)
print(len(out_tasks), len(targets))
print(json.dumps(out_tasks[26]['roles'], ensure_ascii=False))
