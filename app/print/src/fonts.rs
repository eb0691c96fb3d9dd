//! Fonts: the bundled open faces, installed official faces found at run time, per-character
//! fallback and advance widths from each face's own metrics (ttf-parser).
//!
//! | role | bundled (open licence) | preferred when installed |
//! | --- | --- | --- |
//! | 仿宋 (body) | Noto Serif CJK SC Regular, subset (OFL-1.1) | 仿宋_GB2312, 仿宋, 方正仿宋_GBK |
//! | 小标宋 (titles) | Noto Serif CJK SC Bold, subset (OFL-1.1) | 方正小标宋简体, 方正小标宋_GBK |
//! | 黑体 (附件N, headings) | WenQuanYi Micro Hei (Apache-2.0) | 黑体 (SimHei), 方正黑体_GBK |
//! | 楷体 | Noto Serif CJK SC Regular | 楷体_GB2312, 楷体, 方正楷体_GBK |
//!
//! Every role ends its chain with the bundled faces, so a character an official face lacks
//! (curly quotes, "—", rare characters) is taken from a bundled face instead of printing a
//! .notdef box. Proprietary faces are never shipped: they are only read from the machine.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::Serialize;

use crate::error::PrintError;
use crate::model::{FaceInfo, MM_PER_PT};

/// Noto Serif CJK SC Regular, subset to GB2312 + ASCII/Latin-1 + CJK punctuation + every
/// character of the seed documents (see `assets/fonts/README.md`).
static BODY_FONT: &[u8] = include_bytes!("../../../assets/fonts/NotoSerifSC-Regular.subset.otf");
/// Noto Serif CJK SC Bold, same subset.
static TITLE_FONT: &[u8] = include_bytes!("../../../assets/fonts/NotoSerifSC-Bold.subset.otf");
/// WenQuanYi Micro Hei (face 0), also the UI's font.
static HEI_FONT: &[u8] = include_bytes!("../../../assets/fonts/wqy-microhei.ttc");

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
}

impl FontRole {
    pub const ALL: [FontRole; 4] = [
        FontRole::Body,
        FontRole::Title,
        FontRole::Hei,
        FontRole::Kai,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            FontRole::Body => "仿宋",
            FontRole::Title => "小标宋",
            FontRole::Hei => "黑体",
            FontRole::Kai => "楷体",
        }
    }

    fn index(self) -> usize {
        match self {
            FontRole::Body => 0,
            FontRole::Title => 1,
            FontRole::Hei => 2,
            FontRole::Kai => 3,
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
        }
    }
}

enum Bytes {
    Static(&'static [u8]),
    Owned(Arc<Vec<u8>>),
}

impl Bytes {
    fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Static(b) => b,
            Bytes::Owned(v) => v.as_slice(),
        }
    }
}

/// One loaded face with its advance widths.
pub struct Face {
    pub info: FaceInfo,
    bytes: Bytes,
    index: u32,
    units_per_em: f32,
    /// Advance per character, font units; only characters with a real glyph.
    advances: HashMap<char, u16>,
    pdf: OnceLock<Option<printpdf::ParsedFont>>,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("info", &self.info)
            .field("index", &self.index)
            .field("glyphs", &self.advances.len())
            .finish()
    }
}

impl Face {
    fn parse(
        bytes: Bytes,
        index: u32,
        role: FontRole,
        source: String,
        official: bool,
    ) -> Result<Face, PrintError> {
        let face =
            ttf_parser::Face::parse(bytes.as_slice(), index).map_err(|e| PrintError::Font {
                name: source.clone(),
                reason: e.to_string(),
            })?;
        let family = family_names(&face)
            .into_iter()
            .find(|n| n.is_ascii())
            .or_else(|| family_names(&face).into_iter().next())
            .unwrap_or_else(|| source.clone());
        let mut advances = HashMap::new();
        if let Some(cmap) = face.tables().cmap {
            for sub in cmap.subtables {
                if !sub.is_unicode() {
                    continue;
                }
                sub.codepoints(|cp| {
                    if let Some(ch) = char::from_u32(cp)
                        && let Some(gid) = sub.glyph_index(cp)
                        && gid.0 != 0
                    {
                        let adv = face.glyph_hor_advance(gid).unwrap_or(0);
                        advances.entry(ch).or_insert(adv);
                    }
                });
            }
        }
        let units_per_em = f32::from(face.units_per_em().max(1));
        Ok(Face {
            info: FaceInfo {
                role,
                family,
                source,
                official,
            },
            bytes,
            index,
            units_per_em,
            advances,
            pdf: OnceLock::new(),
        })
    }

    /// The font file's bytes and the face index inside it (for a preview that draws the
    /// document with the very faces the PDF embeds).
    pub fn data(&self) -> (&[u8], u32) {
        (self.bytes.as_slice(), self.index)
    }

    /// Whether the face has a real glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.advances.contains_key(&c)
    }

    /// Advance of `c` in ems (0 for characters the face lacks).
    pub fn advance_em(&self, c: char) -> f32 {
        self.advances
            .get(&c)
            .map_or(0.0, |&a| f32::from(a) / self.units_per_em)
    }

    /// The face parsed for printpdf (once; parsing a CJK face takes a while).
    pub(crate) fn pdf_font(&self) -> Result<&printpdf::ParsedFont, PrintError> {
        self.pdf
            .get_or_init(|| {
                let mut warnings = Vec::new();
                printpdf::ParsedFont::from_bytes(
                    self.bytes.as_slice(),
                    self.index as usize,
                    &mut warnings,
                )
            })
            .as_ref()
            .ok_or_else(|| PrintError::Font {
                name: self.info.family.clone(),
                reason: "PDF 库无法解析该字体".to_owned(),
            })
    }
}

fn family_names(face: &ttf_parser::Face<'_>) -> Vec<String> {
    let mut names = Vec::new();
    for name in face.names() {
        let wanted = [
            ttf_parser::name_id::FAMILY,
            ttf_parser::name_id::TYPOGRAPHIC_FAMILY,
            ttf_parser::name_id::FULL_NAME,
        ];
        if wanted.contains(&name.name_id)
            && let Some(s) = name.to_string()
            && !names.contains(&s)
        {
            names.push(s);
        }
    }
    names
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
    chains: [Vec<usize>; 4],
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
        let mut chains: [Vec<usize>; 4] = Default::default();
        for (role, path) in find_official(&search.dirs) {
            let Ok(data) = std::fs::read(&path) else {
                continue;
            };
            let data = Arc::new(data);
            let count = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
            // The face of a collection whose names match, else the first.
            let index = (0..count)
                .find(|&i| {
                    ttf_parser::Face::parse(&data, i)
                        .is_ok_and(|f| family_matches(&family_names(&f), role))
                })
                .unwrap_or(0);
            let source = path.display().to_string();
            if let Ok(face) = Face::parse(Bytes::Owned(data), index, role, source, true)
                && face.covers('中')
                && face.covers('一')
            {
                chains[role.index()].push(faces.len());
                faces.push(face);
            }
        }
        let body = faces.len();
        faces.push(Face::parse(
            Bytes::Static(BODY_FONT),
            0,
            FontRole::Body,
            "bundled:NotoSerifSC-Regular.subset.otf".to_owned(),
            false,
        )?);
        let title = faces.len();
        faces.push(Face::parse(
            Bytes::Static(TITLE_FONT),
            0,
            FontRole::Title,
            "bundled:NotoSerifSC-Bold.subset.otf".to_owned(),
            false,
        )?);
        let hei = faces.len();
        faces.push(Face::parse(
            Bytes::Static(HEI_FONT),
            0,
            FontRole::Hei,
            "bundled:wqy-microhei.ttc".to_owned(),
            false,
        )?);
        chains[FontRole::Body.index()].extend([body, hei]);
        chains[FontRole::Title.index()].extend([title, body, hei]);
        chains[FontRole::Hei.index()].extend([hei, body]);
        chains[FontRole::Kai.index()].extend([body, hei]);
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
    /// role's first face when none has it).
    pub fn face_for(&self, role: FontRole, c: char) -> usize {
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
        if path.is_dir() {
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

fn read_families(path: &Path) -> Option<Vec<String>> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.len() > 40 * 1024 * 1024 {
        return None;
    }
    let data = std::fs::read(path).ok()?;
    let count = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
    let mut names = Vec::new();
    for i in 0..count {
        if let Ok(face) = ttf_parser::Face::parse(&data, i) {
            names.extend(family_names(&face));
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
