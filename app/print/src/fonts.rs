//! Fonts: the bundled open faces, installed official faces found at run time, per-character
//! fallback and advance widths from each face's own metrics (ttf-parser).
//!
//! | role | bundled (open licence) | preferred when installed |
//! | --- | --- | --- |
//! | 仿宋 (body) | Zhuque Fangsong 0.211, subset (OFL-1.1) | 仿宋_GB2312, 仿宋, 方正仿宋_GBK |
//! | 小标宋 (titles) | Noto Serif CJK SC Bold, subset (OFL-1.1) | 方正小标宋简体, 方正小标宋_GBK |
//! | 黑体 (附件N, headings) | WenQuanYi Micro Hei (Apache-2.0) | 黑体 (SimHei), 方正黑体_GBK |
//! | 楷体 | WenKai Subset (LXGW WenKai 1.250, subset, renamed; OFL-1.1) | 楷体_GB2312, 楷体, 方正楷体_GBK |
//! | 宋体 (page numbers) | Noto Serif CJK SC Regular, subset (OFL-1.1) | 宋体 (SimSun), 方正书宋_GBK |
//!
//! Every role ends its chain with the bundled faces, so a character an official face lacks
//! (curly quotes, "—", rare characters) is taken from a bundled face instead of printing a
//! .notdef box. Proprietary faces are never shipped: they are only read from the machine.
//!
//! Loading costs next to nothing in each process: a face's glyphs and advances are looked
//! up when a character is first asked for, candidate official files are identified from
//! their `name` tables alone, and the PDF writer gets each face already reduced to the
//! document's glyphs (`Face::pdf_subset`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use owned_ttf_parser::AsFaceRef;
use serde::Serialize;

use crate::error::PrintError;
use crate::model::{FaceInfo, MM_PER_PT};

/// The boxes a printed form ticks (□ to tick, ■ ticked): set in the 宋 face.
pub const FORM_BOXES: [char; 2] = ['□', '■'];
/// Zhuque Fangsong 0.211, subset to GB2312 + ASCII/Latin-1 + CJK punctuation + every
/// character of the seed documents (see `assets/fonts/README.md`): the 仿宋 of the body.
static BODY_FONT: &[u8] = include_bytes!("../../../assets/fonts/ZhuqueFangsong.subset.ttf");
/// Noto Serif CJK SC Regular, same subset: the 宋体 of page numbers, and every role's
/// fallback for the symbols the other faces lack.
static SONG_FONT: &[u8] = include_bytes!("../../../assets/fonts/NotoSerifSC-Regular.subset.otf");
/// WenKai Subset (LXGW WenKai Regular 1.250, subset and renamed): the 楷体.
static KAI_FONT: &[u8] = include_bytes!("../../../assets/fonts/WenKaiSubset-Regular.ttf");
/// Noto Serif CJK SC Bold, same subset.
static TITLE_FONT: &[u8] = include_bytes!("../../../assets/fonts/NotoSerifSC-Bold.subset.otf");
/// WenQuanYi Micro Hei (face 0), also the UI's font.
static HEI_FONT: &[u8] = include_bytes!("../../../assets/fonts/wqy-microhei.ttc");

/// The bundled faces, in the order they are numbered after the installed ones: one per role.
const BUNDLED: [(FontRole, &[u8], &str); 5] = [
    (
        FontRole::Body,
        BODY_FONT,
        "bundled:ZhuqueFangsong.subset.ttf",
    ),
    (
        FontRole::Song,
        SONG_FONT,
        "bundled:NotoSerifSC-Regular.subset.otf",
    ),
    (FontRole::Kai, KAI_FONT, "bundled:WenKaiSubset-Regular.ttf"),
    (
        FontRole::Title,
        TITLE_FONT,
        "bundled:NotoSerifSC-Bold.subset.otf",
    ),
    (FontRole::Hei, HEI_FONT, "bundled:wqy-microhei.ttc"),
];

/// The typographic role of a piece of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum FontRole {
    /// 仿宋: body text and table cells.
    Body,
    /// 小标宋: document titles, 发文机关标志.
    Title,
    /// 黑体: "附件N", first-level headings, table headers.
    Hei,
    /// 楷体: second-level headings, the "截至…" line.
    Kai,
    /// 宋体: page numbers (GB/T 9704-2012 7.5: 4号半角宋体阿拉伯数字).
    Song,
}

impl FontRole {
    pub const ALL: [FontRole; 5] = [
        FontRole::Body,
        FontRole::Title,
        FontRole::Hei,
        FontRole::Kai,
        FontRole::Song,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            FontRole::Body => "仿宋",
            FontRole::Title => "小标宋",
            FontRole::Hei => "黑体",
            FontRole::Kai => "楷体",
            FontRole::Song => "宋体",
        }
    }

    fn index(self) -> usize {
        match self {
            FontRole::Body => 0,
            FontRole::Title => 1,
            FontRole::Hei => 2,
            FontRole::Kai => 3,
            FontRole::Song => 4,
        }
    }

    /// Official (proprietary) face names for the role, best first: file stems and family
    /// names, compared case-insensitively.
    fn official_names(self) -> &'static [&'static str] {
        match self {
            FontRole::Body => &[
                "仿宋_gb2312",
                "fangsong_gb2312",
                "方正仿宋_gbk",
                "fzfangsong-z02",
                "fzfsk",
                "方正仿宋简体",
                "fzfangsong-z02s",
                "fzfsjw",
                "仿宋",
                "fangsong",
                "simfang",
            ],
            FontRole::Title => &[
                "方正小标宋简体",
                "fzxiaobiaosong-b05s",
                "fzxbsjw",
                "方正小标宋_gbk",
                "fzxiaobiaosong-b05",
                "fzxbsk",
                "方正小标宋",
            ],
            FontRole::Hei => &["黑体", "simhei", "方正黑体_gbk", "fzheiti-b01", "fzhtk"],
            FontRole::Kai => &[
                "楷体_gb2312",
                "kaiti_gb2312",
                "方正楷体_gbk",
                "fzkai-z03",
                "fzktk",
                "楷体",
                "kaiti",
                "simkai",
            ],
            FontRole::Song => &[
                "宋体",
                "simsun",
                "nsimsun",
                "方正书宋_gbk",
                "fzshusong-z01",
                "fzssk",
                "方正书宋简体",
            ],
        }
    }
}

/// A face's font program, parsed once (table directory only: glyph lookups and advances
/// read the tables when asked, nothing is decoded up front).
enum Program {
    /// A bundled face compiled into the program.
    Static(Box<ttf_parser::Face<'static>>),
    /// A face read from the machine.
    Owned(owned_ttf_parser::OwnedFace),
}

impl Program {
    fn face(&self) -> &ttf_parser::Face<'_> {
        match self {
            Program::Static(f) => f,
            Program::Owned(f) => f.as_face_ref(),
        }
    }

    /// The whole file (all faces of a collection).
    fn bytes(&self) -> &[u8] {
        match self {
            Program::Static(f) => f.raw_face().data,
            Program::Owned(f) => f.as_slice(),
        }
    }
}

/// Not looked up yet (no face has 65,535 glyphs each 65,535 units wide).
const UNKNOWN: u32 = u32::MAX;

/// One loaded face.
pub struct Face {
    pub info: FaceInfo,
    program: Program,
    index: u32,
    units_per_em: f32,
    /// Glyph (high 16 bits, 0: none) and advance (low 16 bits, font units) of each character
    /// of the Basic Multilingual Plane, looked up in the font the first time it is asked
    /// for ([`UNKNOWN`] until then). Layout asks for the same characters many times.
    bmp: Box<[AtomicU32]>,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("info", &self.info)
            .field("index", &self.index)
            .field("glyphs", &self.program.face().number_of_glyphs())
            .finish()
    }
}

impl Face {
    /// A bundled face: `bytes` lives as long as the program.
    fn bundled(
        bytes: &'static [u8],
        index: u32,
        role: FontRole,
        source: &str,
    ) -> Result<Face, PrintError> {
        let face = ttf_parser::Face::parse(bytes, index).map_err(|e| PrintError::Font {
            name: source.to_owned(),
            reason: e.to_string(),
        })?;
        Ok(Face::new(
            Program::Static(Box::new(face)),
            index,
            role,
            source.to_owned(),
            false,
        ))
    }

    /// An installed face read from the machine.
    fn installed(
        bytes: Vec<u8>,
        index: u32,
        role: FontRole,
        source: String,
    ) -> Result<Face, PrintError> {
        let face =
            owned_ttf_parser::OwnedFace::from_vec(bytes, index).map_err(|e| PrintError::Font {
                name: source.clone(),
                reason: e.to_string(),
            })?;
        Ok(Face::new(Program::Owned(face), index, role, source, true))
    }

    fn new(program: Program, index: u32, role: FontRole, source: String, official: bool) -> Face {
        let face = program.face();
        let names = family_names(face);
        let family = names
            .iter()
            .find(|n| n.is_ascii())
            .or_else(|| names.first())
            .cloned()
            .unwrap_or_else(|| source.clone());
        let units_per_em = f32::from(face.units_per_em().max(1));
        Face {
            info: FaceInfo {
                role,
                family,
                source,
                official,
            },
            program,
            index,
            units_per_em,
            bmp: (0..=0xffff).map(|_| AtomicU32::new(UNKNOWN)).collect(),
        }
    }

    /// Glyph and advance of `c` (see [`Face::bmp`]).
    fn metric(&self, c: char) -> u32 {
        let slot = self.bmp.get(u32::from(c) as usize);
        if let Some(known) = slot.map(|s| s.load(Ordering::Relaxed))
            && known != UNKNOWN
        {
            return known;
        }
        let face = self.program.face();
        let metric = face.glyph_index(c).filter(|g| g.0 != 0).map_or(0, |g| {
            u32::from(g.0) << 16 | u32::from(face.glyph_hor_advance(g).unwrap_or(0))
        });
        if let Some(s) = slot {
            s.store(metric, Ordering::Relaxed);
        }
        metric
    }

    /// The font file's bytes and the face index inside it (for a preview that draws the
    /// document with the very faces the PDF embeds).
    pub fn data(&self) -> (&[u8], u32) {
        (self.program.bytes(), self.index)
    }

    /// The real glyph of `c` (not .notdef).
    pub(crate) fn glyph(&self, c: char) -> Option<u16> {
        Some((self.metric(c) >> 16) as u16).filter(|&g| g != 0)
    }

    /// Whether the face has a real glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.glyph(c).is_some()
    }

    /// Advance of `c` in ems (0 for characters the face lacks).
    pub fn advance_em(&self, c: char) -> f32 {
        f32::from(self.metric(c) as u16) / self.units_per_em
    }

    /// The face reduced to `.notdef` and the glyphs of `chars` (an OpenType font with a
    /// Unicode cmap, by allsorts, the subsetter printpdf itself uses), parsed for printpdf:
    /// the PDF library never parses the whole face.
    pub(crate) fn pdf_subset(
        &self,
        chars: impl IntoIterator<Item = char>,
    ) -> Result<printpdf::ParsedFont, PrintError> {
        use allsorts::binary::read::ReadScope;
        use allsorts::font_data::FontData;
        use allsorts::subset::{CmapTarget, SubsetProfile, subset};
        let fail = |reason: String| PrintError::Font {
            name: self.info.family.clone(),
            reason,
        };
        let mut ids: Vec<u16> = chars.into_iter().filter_map(|c| self.glyph(c)).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.insert(0, 0);
        let (bytes, index) = self.data();
        let file = ReadScope::new(bytes)
            .read::<FontData<'_>>()
            .map_err(|e| fail(format!("无法读取字体文件：{e}")))?;
        let provider = file
            .table_provider(index as usize)
            .map_err(|e| fail(format!("无法读取字体：{e}")))?;
        let small = subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
            .map_err(|e| fail(format!("无法提取字形子集：{e}")))?;
        let mut warnings = Vec::new();
        printpdf::ParsedFont::from_bytes(&small, 0, &mut warnings)
            .ok_or_else(|| fail("PDF 库无法解析该字体的子集".to_owned()))
    }
}

fn family_names(face: &ttf_parser::Face<'_>) -> Vec<String> {
    family_names_of(face.names())
}

fn family_names_of(names: ttf_parser::name::Names<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for name in names {
        let wanted = [
            ttf_parser::name_id::FAMILY,
            ttf_parser::name_id::TYPOGRAPHIC_FAMILY,
            ttf_parser::name_id::FULL_NAME,
        ];
        if wanted.contains(&name.name_id)
            && let Some(s) = name.to_string()
            && !out.contains(&s)
        {
            out.push(s);
        }
    }
    out
}

/// Where to look for installed official faces.
#[derive(Debug, Clone, Default)]
pub struct FontSearch {
    /// Directories scanned (recursively, 4 levels) for official faces.
    pub dirs: Vec<PathBuf>,
}

impl FontSearch {
    /// The usual places: /usr/share/fonts, /usr/local/share/fonts, ~/.fonts,
    /// ~/.local/share/fonts, C:\Windows\Fonts, /Library/Fonts, ~/Library/Fonts, and the
    /// directories of `ANWEI_FONT_DIRS` (separated like PATH).
    pub fn system() -> FontSearch {
        let mut dirs: Vec<PathBuf> = [
            "/usr/share/fonts",
            "/usr/local/share/fonts",
            "/Library/Fonts",
            "C:\\Windows\\Fonts",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        if let Some(home) = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")) {
            let home = PathBuf::from(home);
            dirs.push(home.join(".fonts"));
            dirs.push(home.join(".local/share/fonts"));
            dirs.push(home.join("Library/Fonts"));
        }
        if let Some(extra) = std::env::var_os("ANWEI_FONT_DIRS") {
            dirs.extend(std::env::split_paths(&extra));
        }
        FontSearch { dirs }
    }
}

/// The faces available for printing, with a fallback chain per role.
#[derive(Debug)]
pub struct Fonts {
    faces: Vec<Face>,
    chains: [Vec<usize>; 5],
}

impl Fonts {
    /// Bundled faces plus installed official faces found in the usual font directories
    /// (official ones first in each role's chain).
    pub fn load() -> Result<Fonts, PrintError> {
        Fonts::load_with(&FontSearch::system())
    }

    /// The bundled open faces only: identical output on every machine.
    pub fn bundled() -> Result<Fonts, PrintError> {
        Fonts::load_with(&FontSearch::default())
    }

    /// Bundled faces plus official faces found in `search.dirs`.
    pub fn load_with(search: &FontSearch) -> Result<Fonts, PrintError> {
        let mut faces = Vec::new();
        let mut chains: [Vec<usize>; 5] = Default::default();
        for (role, path) in find_official(&search.dirs) {
            let Ok(data) = std::fs::read(&path) else {
                continue;
            };
            let count = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
            // The face of a collection whose names match, else the first.
            let index = (0..count)
                .find(|&i| {
                    ttf_parser::Face::parse(&data, i)
                        .is_ok_and(|f| family_matches(&family_names(&f), role))
                })
                .unwrap_or(0);
            let source = path.display().to_string();
            if let Ok(face) = Face::installed(data, index, role, source)
                && face.covers('中')
                && face.covers('一')
            {
                chains[role.index()].push(faces.len());
                faces.push(face);
            }
        }
        let first = faces.len();
        for (role, data, name) in BUNDLED {
            faces.push(Face::bundled(data, 0, role, name)?);
        }
        let bundled =
            |role: FontRole| first + BUNDLED.iter().position(|b| b.0 == role).unwrap_or(0);
        // Each role's bundled face, then Noto Serif (宋) for the symbols it lacks (full-width
        // digits, ①, ㈠ …), then the sans face.
        for role in FontRole::ALL {
            let chain = &mut chains[role.index()];
            for face in [role, FontRole::Song, FontRole::Hei].map(bundled) {
                if !chain.contains(&face) {
                    chain.push(face);
                }
            }
        }
        Ok(Fonts { faces, chains })
    }

    pub fn faces(&self) -> &[Face] {
        &self.faces
    }

    pub(crate) fn face(&self, index: usize) -> Option<&Face> {
        self.faces.get(index)
    }

    /// Face infos in index order (what [`crate::Document::faces`] holds).
    pub fn infos(&self) -> Vec<FaceInfo> {
        self.faces.iter().map(|f| f.info.clone()).collect()
    }

    /// The face that prints `c` in `role`: the first of the role's chain that has it (the
    /// role's first face when none has it). The boxes of a form's choices ([`FORM_BOXES`])
    /// come from the 宋 chain first, where they are full-width squares as GB 2312 draws
    /// them (the bundled 仿宋 has small Latin-style ones).
    pub fn face_for(&self, role: FontRole, c: char) -> usize {
        if FORM_BOXES.contains(&c)
            && let Some(i) = self.chains[FontRole::Song.index()]
                .iter()
                .copied()
                .find(|&i| self.faces[i].covers(c))
        {
            return i;
        }
        let chain = &self.chains[role.index()];
        chain
            .iter()
            .copied()
            .find(|&i| self.faces[i].covers(c))
            .or_else(|| chain.first().copied())
            .unwrap_or(0)
    }

    /// Whether some face of `role`'s chain has a glyph for `c`.
    pub fn covers(&self, role: FontRole, c: char) -> bool {
        self.chains[role.index()]
            .iter()
            .any(|&i| self.faces[i].covers(c))
    }

    /// Splits `text` into runs each printable by one face: (face index, text).
    pub fn runs(&self, role: FontRole, text: &str) -> Vec<(usize, String)> {
        let mut runs: Vec<(usize, String)> = Vec::new();
        for c in text.chars() {
            let face = if c.is_whitespace() {
                runs.last().map_or_else(|| self.face_for(role, c), |r| r.0)
            } else {
                self.face_for(role, c)
            };
            match runs.last_mut() {
                Some((f, s)) if *f == face => s.push(c),
                _ => runs.push((face, c.to_string())),
            }
        }
        runs
    }

    /// Width of `text` set in `role` at `size_pt`, mm.
    pub fn width_mm(&self, role: FontRole, size_pt: f32, text: &str) -> f32 {
        let em: f32 = text
            .chars()
            .map(|c| self.faces[self.face_for(role, c)].advance_em(c))
            .sum();
        em * size_pt * MM_PER_PT
    }
}

/// Installed official faces, per role in preference order.
fn find_official(dirs: &[PathBuf]) -> Vec<(FontRole, PathBuf)> {
    let mut files = Vec::new();
    for dir in dirs {
        walk(dir, 0, &mut files);
    }
    files.sort();
    files.dedup();
    let mut found: Vec<(FontRole, usize, PathBuf)> = Vec::new();
    for path in files {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        for role in FontRole::ALL {
            let names = role.official_names();
            let by_file = names.iter().position(|n| stem == *n);
            let by_family = if by_file.is_none() && maybe_official(&stem) {
                read_families(&path).and_then(|fams| rank(&fams, role))
            } else {
                None
            };
            if let Some(rank) = by_file.or(by_family) {
                found.push((role, rank, path.clone()));
            }
        }
    }
    found.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    // One face per role: the best ranked.
    let mut out: Vec<(FontRole, PathBuf)> = Vec::new();
    for (role, _, path) in found {
        if !out.iter().any(|(r, _)| *r == role) {
            out.push((role, path));
        }
    }
    out
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > 4 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // The entry's type comes with the listing; only a link costs a look at its target.
        let is_dir = entry
            .file_type()
            .is_ok_and(|t| t.is_dir() || (t.is_symlink() && path.is_dir()));
        if is_dir {
            walk(&path, depth + 1, out);
        } else if path.extension().is_some_and(|e| {
            let e = e.to_string_lossy().to_lowercase();
            matches!(e.as_str(), "ttf" | "otf" | "ttc" | "otc")
        }) {
            out.push(path);
        }
    }
}

/// File names worth opening to read their family names.
fn maybe_official(stem: &str) -> bool {
    [
        "fang", "song", "kai", "hei", "fz", "sim", "宋", "楷", "黑", "gb2312",
    ]
    .iter()
    .any(|k| stem.contains(k))
        && !stem.contains("noto")
        && !stem.contains("wqy")
}

/// The family names of every face of a font file, from its `name` tables alone: a few
/// small reads, never the whole file (candidate files can be tens of megabytes).
fn read_families(path: &Path) -> Option<Vec<String>> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(path).ok()?;
    let mut read_at = |offset: u64, len: usize| -> Option<Vec<u8>> {
        file.seek(SeekFrom::Start(offset)).ok()?;
        let mut buf = vec![0; len];
        file.read_exact(&mut buf).ok()?;
        Some(buf)
    };
    let be32 = |b: &[u8], at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
    };
    let head = read_at(0, 12)?;
    // A collection lists the offsets of its faces' table directories.
    let faces: Vec<u64> = if head.starts_with(b"ttcf") {
        let count = be32(&head, 8)?.min(64) as usize;
        let offsets = read_at(12, count * 4)?;
        (0..count)
            .filter_map(|i| be32(&offsets, i * 4).map(u64::from))
            .collect()
    } else {
        vec![0]
    };
    let mut names = Vec::new();
    for face in faces {
        let dir = read_at(face, 12)?;
        let tables = usize::from(u16::from_be_bytes(dir.get(4..6)?.try_into().ok()?));
        let records = read_at(face + 12, tables * 16)?;
        let Some(record) = records.chunks_exact(16).find(|r| r.starts_with(b"name")) else {
            continue;
        };
        let (offset, len) = (be32(record, 8)?, be32(record, 12)?);
        if len > 1 << 20 {
            continue;
        }
        let data = read_at(u64::from(offset), len as usize)?;
        if let Some(table) = ttf_parser::name::Table::parse(&data) {
            names.extend(family_names_of(table.names));
        }
    }
    Some(names)
}

fn family_matches(families: &[String], role: FontRole) -> bool {
    rank(families, role).is_some()
}

fn rank(families: &[String], role: FontRole) -> Option<usize> {
    let lower: Vec<String> = families.iter().map(|f| f.to_lowercase()).collect();
    role.official_names()
        .iter()
        .position(|n| lower.iter().any(|f| f == n))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn bundled_faces_cover_latin_digits_and_punctuation() {
        let fonts = Fonts::bundled().unwrap();
        for role in FontRole::ALL {
            for c in "AZaz09“”‘’—…%（）《》，。、；：？！〔〕〇".chars() {
                assert!(fonts.covers(role, c), "{role:?} lacks {c}");
            }
        }
        assert!(fonts.width_mm(FontRole::Body, 16.0, "中") > 5.0);
        assert!(fonts.infos().iter().all(|f| !f.official));
    }

    #[test]
    fn family_names_come_from_the_name_tables_of_every_face() {
        let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fonts");
        let ttc = read_families(&fonts.join("wqy-microhei.ttc")).unwrap();
        assert!(ttc.iter().any(|n| n == "WenQuanYi Micro Hei"), "{ttc:?}");
        // Face 1 of the collection is the monospaced one.
        assert!(
            ttc.iter().any(|n| n == "WenQuanYi Micro Hei Mono"),
            "{ttc:?}"
        );
        let otf = read_families(&fonts.join("NotoSerifSC-Regular.subset.otf")).unwrap();
        assert!(otf.iter().any(|n| n.starts_with("Noto Serif")), "{otf:?}");
        // The same names as parsing the whole face.
        let whole = family_names(&ttf_parser::Face::parse(SONG_FONT, 0).unwrap());
        assert_eq!(otf, whole);
        // The 楷 subset goes by its own name, not the original's reserved one (OFL 3).
        let kai = read_families(&fonts.join("WenKaiSubset-Regular.ttf")).unwrap();
        assert!(kai.iter().any(|n| n == "WenKai Subset"), "{kai:?}");
        assert!(
            kai.iter()
                .all(|n| !n.contains("LXGW") && !n.contains("霞鹜")),
            "{kai:?}"
        );
        assert!(read_families(&fonts.join("README.md")).is_none_or(|n| n.is_empty()));
    }

    #[test]
    fn metrics_are_the_faces_own() {
        let fonts = Fonts::bundled().unwrap();
        let body = &fonts.faces()[fonts.face_for(FontRole::Body, '中')];
        let face = ttf_parser::Face::parse(BODY_FONT, 0).unwrap();
        for c in ['中', 'A', '1', '，', '“'] {
            let g = face.glyph_index(c).unwrap();
            assert_eq!(body.glyph(c), Some(g.0));
            let em = f32::from(face.glyph_hor_advance(g).unwrap()) / f32::from(face.units_per_em());
            // Asked twice: the second answer comes from what the first looked up.
            assert_eq!(body.advance_em(c), em);
            assert_eq!(body.advance_em(c), em);
        }
        // A character the face lacks (a private-use one) has no glyph and no width.
        assert!(!body.covers('\u{E000}'));
        assert_eq!(body.advance_em('\u{E000}'), 0.0);
        // Beyond the Basic Multilingual Plane too.
        assert_eq!(
            body.covers('😀'),
            face.glyph_index('😀').is_some_and(|g| g.0 != 0)
        );
    }

    /// Every bundled face is an open one: its own name table declares the SIL Open Font
    /// License or the Apache License, its licence file ships beside it and says the same,
    /// its embedding is not restricted, and it never goes by the name of a proprietary
    /// official face (仿宋_GB2312, 方正小标宋简体, SimSun …) — "Zhuque Fangsong" is an open
    /// face of its own name, not 仿宋_GB2312.
    #[test]
    fn every_bundled_face_is_open_licensed_and_none_is_an_official_one() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fonts");
        let licence_files: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "COPYRIGHT"))
            .map(|p| {
                let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
                (stem, std::fs::read_to_string(&p).unwrap())
            })
            .collect();
        for (role, data, source) in BUNDLED {
            let file = source.trim_start_matches("bundled:");
            let face = ttf_parser::Face::parse(data, 0).unwrap();
            let licence: Vec<String> = face
                .names()
                .into_iter()
                .filter(|n| n.name_id == ttf_parser::name_id::LICENSE)
                .filter_map(|n| n.to_string())
                .collect();
            let open = |text: &str| {
                let kinds = ["SIL Open Font License", "Apache License"];
                kinds.into_iter().find(|k| text.contains(k))
            };
            let declared = licence.iter().find_map(|l| open(l));
            assert!(declared.is_some(), "{file}: licence {licence:?}");
            let (_, copyright) = licence_files
                .iter()
                .find(|(stem, _)| file.starts_with(stem.as_str()))
                .unwrap_or_else(|| panic!("{file}: no licence file beside it"));
            let copyright = copyright.to_lowercase();
            assert!(
                declared.is_some_and(|k| copyright.contains(&k.to_lowercase())),
                "{file}: its licence file does not state {declared:?}"
            );
            assert_ne!(
                face.permissions(),
                Some(ttf_parser::Permissions::Restricted),
                "{file}"
            );
            let families = family_names(&face);
            for official in FontRole::ALL {
                assert_eq!(
                    rank(&families, official),
                    None,
                    "{file} ({role:?}) goes by an official face's name: {families:?}"
                );
            }
        }
    }

    #[test]
    fn the_bundled_faces_are_a_fangsong_a_kai_and_a_song() {
        let fonts = Fonts::bundled().unwrap();
        let source = |role| {
            let face = &fonts.faces()[fonts.face_for(role, '楷')];
            (face.info.role, face.info.source.clone())
        };
        assert_eq!(
            source(FontRole::Body),
            (
                FontRole::Body,
                "bundled:ZhuqueFangsong.subset.ttf".to_owned()
            )
        );
        assert_eq!(
            source(FontRole::Kai),
            (FontRole::Kai, "bundled:WenKaiSubset-Regular.ttf".to_owned())
        );
        assert_eq!(
            source(FontRole::Song),
            (
                FontRole::Song,
                "bundled:NotoSerifSC-Regular.subset.otf".to_owned()
            )
        );
        // What the 仿宋 lacks comes from the 宋, not as a missing glyph.
        let digit = fonts.face_for(FontRole::Body, '０');
        assert_eq!(fonts.faces()[digit].info.role, FontRole::Song);
    }

    #[test]
    fn an_official_face_is_found_by_file_name_and_preferred() {
        let dir = tempfile::tempdir().unwrap();
        // Any CJK face stands in for the proprietary one: only the name is matched.
        std::fs::write(dir.path().join("simhei.ttf"), BODY_FONT).unwrap();
        let fonts = Fonts::load_with(&FontSearch {
            dirs: vec![dir.path().to_owned()],
        })
        .unwrap();
        let hei = fonts.face_for(FontRole::Hei, '附');
        assert!(fonts.faces()[hei].info.official);
        assert_eq!(fonts.faces()[hei].info.role, FontRole::Hei);
        // Other roles keep the bundled faces.
        let body = fonts.face_for(FontRole::Body, '附');
        assert!(!fonts.faces()[body].info.official);
    }
}
