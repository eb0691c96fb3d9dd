"""The hazard checklists of the seed 001 extraction scripts (plan.json's "hazards", plugin API 1.3): two ways of
writing them, each checked against the seed before it is written. Standard library only.

- `category` / `clause` build the list and `check` checks it (fire, roads, waterways);
- `checked` builds and checks it from a table of tuples (construction, industrial-parks, hazardous-waste,
  dust-explosion), with the sentences that present their items as 重大事故隐患 and the titles the seed leaves open.
"""
import re

from seed001 import L

# ---------------------------------------------------------------- category / clause / check
B_ID_RE = re.compile(r'[a-z0-9]+(-[a-z0-9]+)*')
B_MARKER_RE = re.compile(r'^(?:[一二三四五六七八九十]是|\(\d+\)|\d+\.|[①-⑩])')
B_MAJOR_RE = re.compile(r'重大(?:事故|火灾|安全生产)?隐患')


def clause(line, text, major=False):
    return {'text': text, 'line': line, 'major': major}


def category(id, name, line, clauses, standard=None):
    return {'id': id, 'name': name, 'standard': standard, 'line': line,
            'clauses': [dict({'id': str(i)}, **c) for i, c in enumerate(clauses, 1)]}


def check(cats, first_line, last_line):
    """Every clause text is on its seed line (verbatim), ids are kebab-case and unique, counts and lengths are in
    range; a standard is a 《》 title on the category's line; a major clause is called 重大…隐患 by its line."""
    def fail(msg, *args):
        raise ValueError('hazards: ' + msg % args)
    if not 2 <= len(cats) <= 8:
        fail('%d categories (want 2–8)', len(cats))
    seen, texts = set(), set()
    for c in cats:
        cid = c['id']
        if not (B_ID_RE.fullmatch(cid) and len(cid) <= 40):
            fail('category id %r is not lowercase kebab-case of at most 40 characters', cid)
        if cid in seen:
            fail('category id %r is used twice', cid)
        seen.add(cid)
        if not c['name'] or not first_line <= c['line'] <= last_line:
            fail('category %s: empty name or line %d outside seed lines %d–%d', cid, c['line'], first_line, last_line)
        std = c['standard']
        if std is not None and not (std.startswith('《') and std.endswith('》') and std in L(c['line'])):
            fail('category %s: standard %r is not a 《》 title on seed line %d', cid, std, c['line'])
        if not 2 <= len(c['clauses']) <= 15:
            fail('category %s: %d clauses (want 2–15)', cid, len(c['clauses']))
        ids = [k['id'] for k in c['clauses']]
        if len(set(ids)) != len(ids):
            fail('category %s: clause ids %r are not unique', cid, ids)
        for k in c['clauses']:
            where = '%s/%s (line %d)' % (cid, k['id'], k['line'])
            t, n = k['text'], k['line']
            if not first_line <= n <= last_line:
                fail('clause %s: line outside seed lines %d–%d', where, first_line, last_line)
            if t not in L(n):
                fail('clause %s: %r is not a verbatim substring of seed line %d', where, t, n)
            if not t or t != t.strip() or len(t) > 120 or B_MARKER_RE.match(t) or t[-1] in '。；，,;、':
                fail('clause %s: %r is empty, untrimmed, longer than 120 characters or keeps a marker', where, t)
            if t in texts:
                fail('clause %s: %r is listed twice', where, t)
            texts.add(t)
            if not isinstance(k['major'], bool) or (k['major'] and not B_MAJOR_RE.search(t)):
                fail('clause %s: major only where the seed calls the item 重大…隐患', where)
    return cats


# ---------------------------------------------------------------- checked
C_ID_RE = re.compile(r'[a-z0-9]+(-[a-z0-9]+)*')
C_MARKER_RE = re.compile(r'^(?:[一二三四五六七八九十]+是|\([一二三四五六七八九十\d]+\)|\d+\.|[①-⑳])')
C_MAJOR_RE = re.compile(r'重大(?:事故|安全)?隐患')
C_TRAILING = '。；，,;、:：'


def checked(hazards, first_line, last_line, major_sentences, unclosed_standards):
    """The plan's "hazards" key from a hand-curated list of categories (id, name, standard, line, [(line, text,
    major)]), checked against the seed lines first_line..last_line: every clause text a verbatim, trimmed substring of
    its seed line, ids unique kebab-case, 2–8 categories of 2–15 clauses, a standard a 《》 title on the category's
    line (or one of `unclosed_standards`, titles the seed prints without their 》), and `major` set exactly where the
    seed calls the item a 重大…隐患: its own words, or an item of a sentence in `major_sentences` (line → sentence)."""
    def fail(msg, *args):
        raise AssertionError('hazards: ' + msg % args)
    if not 2 <= len(hazards) <= 8:
        fail('%d categories (want 2–8)', len(hazards))
    for n, sentence in major_sentences.items():
        if sentence not in L(n) or not C_MAJOR_RE.search(sentence):
            fail('major_sentences: %r is not on seed line %d or names no 重大…隐患', sentence, n)
    out, ids = [], set()
    for cid, name, standard, line, clauses in hazards:
        if not (C_ID_RE.fullmatch(cid) and len(cid) <= 40):
            fail('category id %r is not lowercase kebab-case of at most 40 characters', cid)
        if cid in ids:
            fail('category id %r is used twice', cid)
        ids.add(cid)
        if not name or name != name.strip() or len(name) > 60:
            fail('category %s: empty, untrimmed or overlong name %r', cid, name)
        if not first_line <= line <= last_line:
            fail('category %s: line %d outside seed lines %d–%d', cid, line, first_line, last_line)
        if standard is not None and not (standard.startswith('《') and standard in L(line)
                                         and (standard.endswith('》') or standard in unclosed_standards)):
            fail('category %s: standard %r is not a 《》 title on seed line %d', cid, standard, line)
        if not 2 <= len(clauses) <= 15:
            fail('category %s: %d clauses (want 2–15)', cid, len(clauses))
        items, seen = [], set()
        for k, (n, text, major) in enumerate(clauses, 1):
            where = '%s/%d (line %d)' % (cid, k, n)
            if not first_line <= n <= last_line:
                fail('clause %s: line outside seed lines %d–%d', where, first_line, last_line)
            if not text or text not in L(n):
                fail('clause %s: %r is not a verbatim substring of seed line %d', where, text, n)
            if text != text.strip() or len(text) > 120 or C_MARKER_RE.match(text) or text[-1] in C_TRAILING:
                fail('clause %s: %r is untrimmed, keeps a list marker or is longer than 120 characters', where, text)
            if (n, text) in seen:
                fail('clause %s: %r is listed twice', where, text)
            seen.add((n, text))
            if not isinstance(major, bool):
                fail('clause %s: major is not a bool', where)
            called_major = bool(C_MAJOR_RE.search(text)) or (n in major_sentences and text in major_sentences[n])
            if major != called_major:
                fail('clause %s: major=%s, but the seed %s call it a 重大…隐患', where, major,
                     'does' if called_major else 'does not')
            items.append({'id': str(k), 'text': text, 'line': n, 'major': major})
        out.append({'id': cid, 'name': name, 'standard': standard, 'line': line, 'clauses': items})
    return out
