"""The sector-independent part of the seed 001 extraction scripts of the non-coal-mines,
hazardous-waste and dust-explosion plugins (their content/extract.py): reading the seed,
an attachment's header, tasks, roles and deadlines, the target record `T`, validation
against forms.json, and the command line (`main`). Standard library only.
"""
import argparse
import json
import os
import re
import sys

HERE = SEED_DEFAULT = PLAN_PATH = FORMS_PATH = None


def configure(script):
    """Paths of the plugin whose content/extract.py is `script`: the seed (by default
    ../../../../shared/seeds/001_a1dd519a45aa6056.txt from its folder), plan.json, forms.json."""
    global HERE, SEED_DEFAULT, PLAN_PATH, FORMS_PATH
    HERE = os.path.dirname(os.path.abspath(script))
    SEED_DEFAULT = os.path.join(HERE, '../../../../shared/seeds/001_a1dd519a45aa6056.txt')
    PLAN_PATH = os.path.join(HERE, 'plan.json')
    FORMS_PATH = os.path.join(HERE, 'forms.json')

LINES = []


def L(n):
    """Seed line n, 1-based (the numbering of `cat -n`)."""
    return LINES[n - 1]


def marker(code):
    hits = [i + 1 for i, s in enumerate(LINES) if s.strip() == code + ':']
    assert len(hits) == 1, (code, hits)
    return hits[0]


SEC_RE = re.compile(r'^\(([一二三四五六七八九十]+)\)(.*)$')
NUM_RE = re.compile(r'^(\d+)\.(.*)$')
LABELS = '区级牵头部门|牵头部门|牵头单位|区级责任部门|区级责任单位|责任部门|责任单位'
ANNOT_RE = re.compile(r'\((?:责任单位|牵头单位|牵头部门|区级牵头部门):')
DATE_RE = re.compile(r'(?:到)?\d{4}年(?:至\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底)?(?:前|以前|内)?')
ROLE_OF_LABEL = {'牵头单位': 'lead', '牵头部门': 'lead', '区级牵头部门': 'lead', '责任单位': 'responsible',
                 '区级责任部门': 'cooperating', '区级责任单位': 'cooperating', '责任部门': 'cooperating'}
ROLE_CN = {'lead': '牵头', 'responsible': '责任单位', 'cooperating': '配合'}
# collective bodies written with 、 inside: one unit
KEEP_WHOLE = [('各镇', '街道'), ('各镇人民政府', '街道办事处')]
# words after a unit name that belong to the list, not to the unit; the second value overrides the role
SUFFIXES = [('等按职责分工负责', None), ('按职责分工负责', None), ('等相关部门', None), ('按职责分工配合', 'cooperating')]


def header(start):
    """Title and goals: "TITLE 一、整治目标 GOALS" on the line after the marker; the goals run up to the
    line that starts with 二、主要任务和措施 (blank lines dropped, paragraphs joined with a newline)."""
    title, g0 = L(start + 1).split(' 一、整治目标 ', 1)
    goals, n = [g0], start + 2
    while not L(n).startswith('二、主要任务和措施 '):
        if L(n).strip():
            goals.append(L(n))
        n += 1
    return title.strip(), '\n'.join(goals), n


def parse_tasks(first, last, titles):
    """Tasks on lines first..last (first = the 二、主要任务和措施 line).
    A section "(N)HEAD 1.…" holds numbered tasks "(N)k"; a section "(N)HEAD 正文" or "(N)HEAD。正文" with no
    numbered items is itself one task labelled "(N)"; a section line with nothing after its heading ("(N)HEAD。")
    only opens the section."""
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
            if k >= 0:
                section, cur, s = '(%s)%s' % (secnum, rest[:k]), None, rest[k + 1:]
            else:
                cut = min(i for i in (rest.find('。'), rest.find(' '), len(rest)) if i >= 0)
                head, remainder = rest[:cut], rest[cut + 1:]
                section, cur = '(%s)%s' % (secnum, head), None
                if remainder.strip():
                    cur = {'label': '(%s)' % secnum, 'section': section, 'title': head, 'line': n, 'parts': [rest]}
                    items.append(cur)
                continue
        t = NUM_RE.match(s)
        if t:
            cur = {'label': '(%s)%s' % (secnum, t.group(1)), 'section': section, 'title': None, 'line': n,
                   'parts': [t.group(2)]}
            items.append(cur)
            continue
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


def split_units(v):
    parts, depth, buf = [], 0, ''
    for ch in v:
        depth += (ch == '(') - (ch == ')')
        if ch in '、,' and depth == 0:
            parts.append(buf)
            buf = ''
        else:
            buf += ch
    parts.append(buf)
    merged = []
    for p in (x.strip() for x in parts):
        if merged and (merged[-1], p) in KEEP_WHOLE:
            merged[-1] += '、' + p
        else:
            merged.append(p)
    return merged


def parse_roles(roles_text, split_ji=()):
    """Roles in source order and words. Label → role by ROLE_OF_LABEL; a note keeps the source label when
    it is not 牵头…/责任单位, and says what was cut off a unit name."""
    inner = roles_text[1:-1].rstrip('。')
    roles = []
    for seg in re.split(r'[;,](?=(?:' + LABELS + r'):)', inner):
        label, value = seg.split(':', 1)
        for u in split_units(value):
            role, notes = ROLE_OF_LABEL[label], []
            if role == 'cooperating':
                notes.append('原文标注为“%s”' % label)
            orig = u
            for suf, override in SUFFIXES:
                if u.endswith(suf):
                    u = u[:-len(suf)]
                    if override:
                        role = override
                        notes.append('原文作“%s”，无标签，按“%s”定为配合单位' % (orig, suf))
                    else:
                        notes.append('原文作“%s”' % orig)
                    break
            pieces = u.split('及') if u in split_ji else [u]
            for piece in pieces:
                pn = list(notes)
                if len(pieces) > 1:
                    pn.append('原文“%s”以“及”连接，拆为%d个单位' % (u, len(pieces)))
                other = [r for r in roles if r['unit'] == piece and r['role'] != role]
                if other:
                    pn.append('同一标注中该单位又列为%s（原文如此）' % ROLE_CN[other[0]['role']])
                r = {'role': role, 'unit': piece}
                if pn:
                    r['note'] = '；'.join(pn)
                roles.append(r)
    return roles


def deadlines_of(text):
    return DATE_RE.findall(text.replace('\n', ''))


TARGET_KEYS = ['id', 'name', 'unit', 'comparator', 'checkpoints', 'tolerance', 'baseline', 'period', 'scope',
               'form', 'inputs', 'task', 'line', 'quote', 'also', 'note']
COMPARATORS = {'reach', 'at_least', 'at_most', 'decrease_by', 'about', 'between', 'zero', 'full_coverage'}
PERIODS = {'ten_days', 'monthly', 'quarterly', 'half_yearly', 'yearly'}


def T(id, name, unit, comparator, checkpoints, line, quote, **kw):
    """A target. checkpoints: (year, value[, due[, upper]]) tuples."""
    cps = []
    for c in checkpoints:
        cp = {'year': c[0], 'value': c[1]}
        if len(c) > 2 and c[2]:
            cp['due'] = c[2]
        if len(c) > 3:
            cp['upper'] = c[3]
        cps.append(cp)
    t = dict(id=id, name=name, unit=unit, comparator=comparator, checkpoints=cps, line=line, quote=quote, **kw)
    unknown = set(t) - set(TARGET_KEYS)
    assert not unknown, (id, unknown)
    return {k: t[k] for k in TARGET_KEYS if t.get(k) is not None}


def validate(plan, first_line, last_line):
    labels = [t['label'] for t in plan['tasks']]
    assert len(set(labels)) == len(labels), labels
    for t in plan['tasks']:
        for d in t['deadlines']:
            assert d in t['text'], (t['label'], d)
        for part in t['text'].split('\n'):
            assert any(part in L(n) for n in range(t['line'], last_line + 1)), (t['label'], part[:20])
        for r in t['roles']:
            assert r['role'] in ('lead', 'responsible', 'cooperating'), r
    ids = [t['id'] for t in plan['targets']]
    assert len(set(ids)) == len(ids), ids
    forms = {f['id']: f for f in json.load(open(FORMS_PATH, encoding='utf-8'))['forms']}
    for t in plan['targets']:
        tid = t['id']
        assert re.fullmatch(r'[a-z0-9]+(-[a-z0-9]+)*', tid), tid
        assert t['comparator'] in COMPARATORS, tid
        assert first_line <= t['line'] <= last_line and t['quote'] in L(t['line']), (tid, t['line'], t['quote'])
        for a in t.get('also', []):
            assert first_line <= a['line'] <= last_line and a['quote'] in L(a['line']), (tid, a)
        if 'task' in t:
            assert t['task'] in labels, (tid, t['task'])
        assert t['checkpoints'], tid
        years = [c['year'] for c in t['checkpoints']]
        assert years == sorted(set(years)), tid
        c = t['comparator']
        assert ('tolerance' in t) == (c == 'about'), tid
        assert ('baseline' in t) == (c == 'decrease_by'), tid
        for cp in t['checkpoints']:
            assert ('upper' in cp) == (c == 'between'), tid
            if c == 'zero':
                assert cp['value'] == 0, tid
            if c == 'full_coverage':
                assert cp['value'] == 100 and t['unit'] == '%', tid
            if 'due' in cp:
                assert re.fullmatch(r'\d{4}-\d\d-\d\d', cp['due']) and cp['due'][:4] == str(cp['year']), tid
        if 'period' in t:
            assert t['period'] in PERIODS and c == 'at_least', tid
        assert ('form' in t) == ('inputs' in t), tid
        if 'form' in t:
            fields = {f['name'] for f in forms[t['form']]['fields']}
            missing = [i for i in t['inputs'] if i not in fields]
            assert not missing, (tid, missing)
    text = '\n'.join(LINES[first_line - 1:last_line])
    for u in plan['units']:
        assert u['name'] in '\n'.join(LINES), u['name']
        for a in u['aliases']:
            assert a in text, (u['name'], a)
    role_units = {r['unit'] for t in plan['tasks'] for r in t['roles']}
    for note in plan['notes']:
        for n in note['lines']:
            assert first_line <= n <= last_line, note
        for x in note.get('tasks', []):
            assert x in labels, x
        for x in note.get('targets', []):
            assert x in ids, x
    return role_units


def main(build):
    ap = argparse.ArgumentParser()
    ap.add_argument('--seed', default=SEED_DEFAULT)
    ap.add_argument('--check', action='store_true', help='exit 1 when plan.json differs from what would be written')
    args = ap.parse_args()
    LINES[:] = open(args.seed, encoding='utf-8').read().split('\n')
    plan = build()
    out = json.dumps(plan, ensure_ascii=False, indent=1) + '\n'
    if args.check:
        try:
            have = open(PLAN_PATH, encoding='utf-8').read()
        except FileNotFoundError:
            have = None
        if have != out:
            print('plan.json differs from what extract.py would write; run python3 extract.py', file=sys.stderr)
            sys.exit(1)
        print('plan.json is up to date')
        return
    with open(PLAN_PATH, 'w', encoding='utf-8') as f:
        f.write(out)
    print('%s: %d tasks, %d targets, %d notes, %d units -> %s' % (
        plan['code'], len(plan['tasks']), len(plan['targets']), len(plan['notes']), len(plan['units']), PLAN_PATH))
