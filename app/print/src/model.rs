//! The plain data model every output draws from: pages of positioned text runs, rules and
//! boxes, in millimetres from the page's top-left corner. The PDF writer and the in-desk
//! preview both read it; nothing here needs a font or a PDF library to be drawn.

use serde::Serialize;

use crate::fonts::FontRole;

/// Millimetres per PostScript point.
pub const MM_PER_PT: f32 = 25.4 / 72.0;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const BLACK: Rgb = Rgb(0, 0, 0);
    /// The red of 版头 (发文机关标志 and the separator rule).
    pub const RED: Rgb = Rgb(230, 0, 18);
}

/// Page orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Orientation {
    Portrait,
    Landscape,
}

/// What a text run is, for tests and for tools that treat page numbers specially.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RunKind {
    Content,
    /// The page number ("— 1 —").
    Folio,
}

/// Which way a run of text reads on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Direction {
    /// Left to right, upright.
    #[default]
    Upright,
    /// Top to bottom, the glyphs turned a quarter clockwise (their tops towards the page's
    /// right): what upright text of a portrait sheet becomes when the sheet is turned a
    /// quarter clockwise to read a landscape page (GB/T 9704-2012 7.5: the page number of
    /// a landscape table sits where the portrait pages have theirs).
    Clockwise,
}

/// A run of text on one baseline, in one face.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextRun {
    /// Where the run starts on its baseline, mm from the page's left edge: its left edge
    /// when [`Direction::Upright`], the baseline's x when [`Direction::Clockwise`].
    pub x: f32,
    /// mm from the page's top edge: the baseline when [`Direction::Upright`], the run's top
    /// end when [`Direction::Clockwise`].
    pub y: f32,
    pub size_pt: f32,
    /// The role the text was set in (仿宋, 小标宋, 黑体, 楷体).
    pub font: FontRole,
    /// Index into [`Document::faces`]: the face that actually carries the glyphs (a role may
    /// fall back to another face for characters its preferred face lacks).
    pub face: usize,
    pub text: String,
    /// Advance width of the run along its direction, mm (from the face's own metrics).
    pub width: f32,
    pub color: Rgb,
    pub kind: RunKind,
    pub direction: Direction,
}

/// A straight rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    /// Stroke width in points.
    pub width_pt: f32,
    pub color: Rgb,
}

/// A rectangle, stroked and/or filled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Boxed {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub stroke_pt: Option<f32>,
    pub fill: Option<Rgb>,
    pub color: Rgb,
}

/// One positioned item of a page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Item {
    Text(TextRun),
    Line(Rule),
    Rect(Boxed),
}

/// A page: its size and what is drawn on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub orientation: Orientation,
    /// The printed page number, when the page carries one.
    pub number: Option<u32>,
    pub items: Vec<Item>,
}

impl Page {
    pub fn texts(&self) -> impl Iterator<Item = &TextRun> {
        self.items.iter().filter_map(|i| match i {
            Item::Text(t) => Some(t),
            _ => None,
        })
    }
}

/// A face used by the document, as reported in its metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FaceInfo {
    pub role: FontRole,
    /// Family name as the font names itself.
    pub family: String,
    /// `bundled:FILE` or the path of an installed face.
    pub source: String,
    /// An installed official face (仿宋_GB2312, 方正小标宋…) rather than a bundled open one.
    pub official: bool,
}

/// Where a logical block (a table row, a heading) landed: one mark per page it touches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mark {
    /// E.g. "row:reform/12", "header".
    pub key: String,
    pub page: usize,
    /// Top and bottom, mm from the page's top edge.
    pub top: f32,
    pub bottom: f32,
}

/// A laid-out document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub title: String,
    pub pages: Vec<Page>,
    /// Faces, indexed by [`TextRun::face`]. Same order as the [`crate::Fonts`] they came from.
    pub faces: Vec<FaceInfo>,
    pub marks: Vec<Mark>,
}

impl Document {
    /// Indices of the faces the document's text actually uses.
    pub fn used_faces(&self) -> Vec<usize> {
        let mut used: Vec<usize> = self
            .pages
            .iter()
            .flat_map(|p| p.texts().map(|t| t.face))
            .collect();
        used.sort_unstable();
        used.dedup();
        used
    }

    /// "仿宋：Noto Serif CJK SC（内置）；…" — which faces were used, for metadata and the UI.
    pub fn faces_summary(&self) -> String {
        self.used_faces()
            .into_iter()
            .filter_map(|i| self.faces.get(i))
            .map(|f| {
                format!(
                    "{}：{}（{}）",
                    f.role.label_zh(),
                    f.family,
                    if f.official { "本机安装" } else { "内置" }
                )
            })
            .collect::<Vec<_>>()
            .join("；")
    }

    /// All text of all pages in drawing order, one run per line: handy for tests and search.
    pub fn plain_text(&self) -> String {
        self.pages
            .iter()
            .flat_map(|p| p.texts().map(|t| t.text.as_str()))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Marks of one key.
    pub fn marks_of<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Mark> {
        self.marks.iter().filter(move |m| m.key == key)
    }
}
