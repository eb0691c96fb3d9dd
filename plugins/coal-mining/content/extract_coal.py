"""Extracts 附件4 (seed 001 L176–295) into plan.json. Run extract_coal.py, then build_coal.py."""
import re, json, os
HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.join(HERE, '../../../../shared/seeds/001_a1dd519a45aa6056.txt')
lines = open(SEED, encoding='utf-8').read().split('\n')
L = lambda n: lines[n-1]
body = '\n'.join(L(n) for n in range(199, 296))
# remove the "三、主要任务和措施 " prefix
body = body.replace('三、主要任务和措施 ', '', 1)
sec_re = re.compile(r'^\(([一二三四五六七])\)([^ ]+) ?(.*)$')
tasks = []
section = None
cur = None
def flush():
    global cur
    if cur: tasks.append(cur)
    cur = None
for raw in body.split('\n'):
    line = raw
    if not line.strip():
        if cur: cur['raw'].append('')
        continue
    m = sec_re.match(line)
    if m and not line.startswith('(责任'):
        flush()
        section = '(%s)%s' % (m.group(1), m.group(2))
        secnum = m.group(1)
        line = m.group(3)
        if not line: continue
        # section intro (三) has no task on its line
        if not re.match(r'^\d\.', line):
            continue
    tm = re.match(r'^(\d)\.(.*)$', line)
    if tm:
        flush()
        cur = {'label': '(%s)%s' % (secnum, tm.group(1)), 'section': section, 'raw': [tm.group(2)]}
    else:
        cur['raw'].append(line)
flush()
out = []
for t in tasks:
    text = '\n'.join(t['raw']).strip('\n')
    # roles parenthetical: last "(责任单位" ... ")" 
    i = text.find('(责任单位')
    roles_text = None
    if i >= 0:
        roles_text = text[i:].strip()
        text = text[:i].rstrip()
    # collapse blank-line paragraph breaks to single newline
    text = re.sub(r'\n+', '\n', text).strip()
    title = text.replace('\n', '').split('。')[0]
    out.append({'label': t['label'], 'section': t['section'], 'title': title, 'text': text, 'roles_text': roles_text})
print(len(out))
for o in out: print(o['label'], o['title'][:30], '|', (o['roles_text'] or '-').replace('\n',' '))
json.dump(out, open(os.path.join(HERE, 'tasks_raw.json'),'w'), ensure_ascii=False, indent=1)
