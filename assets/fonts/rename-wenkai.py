# Rename the family of the LXGW WenKai subset: Debian's copyright declares the
# Reserved Font Names "霞鹜" and "LXGW", and a subset is a Modified Version (OFL 3).
import sys
from fontTools.ttLib import TTFont
src, dst = sys.argv[1], sys.argv[2]
f = TTFont(src)
name = f['name']
fam_en, fam_zh, style = 'WenKai Subset', '文楷子集', 'Regular'
ps = 'WenKaiSubset-Regular'
new = {
    1: fam_en, 2: style, 3: ps + ';1.250;subset', 4: fam_en, 6: ps,
    10: 'Subset of LXGW WenKai 1.250 (Debian fonts-lxgw-wenkai 1.250+repack-1), '
        'renamed because the OFL Reserved Font Names may not be used by Modified Versions.',
}
for rec in list(name.names):
    if rec.nameID in (16, 17, 18, 21, 22):
        name.removeNames(nameID=rec.nameID)
for nid, s in new.items():
    name.removeNames(nameID=nid, platformID=1)
    name.removeNames(nameID=nid, platformID=3, langID=0x409)
    name.setName(s, nid, 3, 1, 0x409)
# Chinese family name (Windows, zh-CN)
name.removeNames(nameID=1, platformID=3, langID=0x804)
name.removeNames(nameID=4, platformID=3, langID=0x804)
name.setName(fam_zh, 1, 3, 1, 0x804)
name.setName(style, 2, 3, 1, 0x804)
name.setName(fam_zh, 4, 3, 1, 0x804)
# CFF-free TTF: PostScript name also lives only in name ID 6. post table has no name.
for rec in name.names:
    s = rec.toUnicode()
    assert rec.nameID in (0, 7, 9, 10, 12, 13, 14) or ('LXGW' not in s.upper() and '霞鹜' not in s), (rec.nameID, s)
f.save(dst)
