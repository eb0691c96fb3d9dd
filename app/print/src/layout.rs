//! The layout engine: page geometry (GB/T 9704-2012), a composer that flows lines,
//! paragraphs and tables onto pages, and the page numbers.
//!
//! ## Geometry
//! * Portrait A4 (210 × 297 mm): top margin 37 mm, binding (left) margin 28 mm, type area
//!   156 × 225 mm; so right 26 mm, bottom 35 mm.
//! * Landscape A4 (297 × 210 mm) for table attachments: the portrait sheet turned a quarter
//!   clockwise, as offices bind landscape attachments (table head at the binding edge):
//!   top margin 28 mm (the binding edge), left 35 mm, right 37 mm, bottom 26 mm, type area
//!   225 × 156 mm.
//! * Page numbers "— n —" in 4号 (14 pt) with the top of the figures 7 mm below the type
//!   area; odd pages right-aligned one character in from the type area's right edge, even
//!   pages one character in from its left edge. A landscape page carries its number in the
//!   same place of the sheet (GB/T 9704-2012 10.2: 页码位置与公文其他页码保持一致): in its
//!   left margin, turned a quarter clockwise, odd pages near the foot, even near the head.

use crate::fonts::{FontRole, Fonts};
use crate::model::{
    Direction, Item, MM_PER_PT, Mark, Orientation, Page, Rgb, Rule, RunKind, TextRun,
};
use crate::text::break_lines;

/// Page size and type area, mm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSetup {
    pub width: f32,
    pub height: f32,
    pub left: f32,
    pub top: f32,
    pub type_width: f32,
    pub type_height: f32,
    pub orientation: Orientation,
}

impl PageSetup {
    /// Portrait A4, GB/T 9704-2012.
    pub const PORTRAIT: PageSetup = PageSetup {
        width: 210.0,
        height: 297.0,
        left: 28.0,
        top: 37.0,
        type_width: 156.0,
        type_height: 225.0,
        orientation: Orientation::Portrait,
    };
    /// Landscape A4 for table attachments.
    pub const LANDSCAPE: PageSetup = PageSetup {
        width: 297.0,
        height: 210.0,
        left: 35.0,
        top: 28.0,
        type_width: 225.0,
        type_height: 156.0,
        orientation: Orientation::Landscape,
    };

    pub fn right(&self) -> f32 {
        self.left + self.type_width
    }

    pub fn bottom(&self) -> f32 {
        self.top + self.type_height
    }
}

/// 3号 (16 pt): body text.
pub const SIZE_3HAO: f32 = 16.0;
/// 2号 (22 pt): titles.
pub const SIZE_2HAO: f32 = 22.0;
/// 4号 (14 pt): page numbers.
pub const SIZE_4HAO: f32 = 14.0;
/// 小四 (12 pt): table cells.
pub const SIZE_XIAO4: f32 = 12.0;
/// Body line pitch: 22 lines in the 225 mm type area.
pub const BODY_PITCH: f32 = 225.0 / 22.0;
/// Where the baseline sits in a line box, as a fraction of the font size above the box's
/// vertical centre (the ideographic em box is centred; its baseline is 0.38 em below the
/// centre for the faces used here).
const BASELINE_BELOW_CENTRE_EM: f32 = 0.36;

/// How text is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub role: FontRole,
    pub size_pt: f32,
    /// Distance between baselines, mm.
    pub pitch: f32,
    pub color: Rgb,
}

impl TextStyle {
    pub const fn new(role: FontRole, size_pt: f32, pitch: f32) -> TextStyle {
        TextStyle {
            role,
            size_pt,
            pitch,
            color: Rgb::BLACK,
        }
    }

    pub fn size_mm(&self) -> f32 {
        self.size_pt * MM_PER_PT
    }

    /// Baseline of a line whose box starts at `top`.
    pub fn baseline(&self, top: f32) -> f32 {
        top + self.pitch / 2.0 + BASELINE_BELOW_CENTRE_EM * self.size_mm()
    }
}

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A table column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub width: f32,
    pub align: Align,
}

/// A table row.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    /// One text per column.
    Cells { key: String, cells: Vec<String> },
    /// A heading spanning all columns (e.g. a section "(一)…" or a plan's title).
    Span { key: String, text: String },
}

/// A table: columns, repeated header, rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub header_style: TextStyle,
    pub body_style: TextStyle,
    pub span_style: TextStyle,
    /// Horizontal and vertical cell padding, mm.
    pub pad_x: f32,
    pub pad_y: f32,
    /// Move the whole table to the next page rather than break it, when it fits on one.
    pub keep_together: bool,
    /// The 序号 column, repeated with "（续）" where a row continues on the next page.
    pub number_column: Option<usize>,
    /// mm of what follows the table that must stand on the page of its last row (a form's
    /// signature lines): the last row goes to the next page with it rather than leave it
    /// alone there. 0: nothing is kept.
    pub followed_by: f32,
}

/// Lines a row keeps at the foot of a page when it is split across pages, and the least it
/// carries over: a row of fewer than twice this many lines moves whole.
pub const MIN_SPLIT_LINES: usize = 2;

/// A table row wrapped to its columns.
struct LaidRow<'t> {
    key: &'t str,
    cells: Vec<Vec<String>>,
    style: TextStyle,
    span: bool,
}

/// What placing a table's rows needs besides the rows.
struct TableCtx<'t> {
    table: &'t Table,
    widths: &'t [f32],
    header_cells: &'t [Vec<String>],
    header_h: f32,
}

const GRID_PT: f32 = 0.75;

/// Flows content onto pages.
pub struct Composer<'f> {
    fonts: &'f Fonts,
    setup: PageSetup,
    pages: Vec<Page>,
    /// Top of the next line box, mm from the current page's top.
    y: f32,
    marks: Vec<Mark>,
}

impl<'f> Composer<'f> {
    pub fn new(fonts: &'f Fonts, setup: PageSetup) -> Composer<'f> {
        let mut c = Composer {
            fonts,
            setup,
            pages: Vec::new(),
            y: setup.top,
            marks: Vec::new(),
        };
        c.new_page();
        c
    }

    pub fn setup(&self) -> PageSetup {
        self.setup
    }

    /// Starts a new page with the current setup.
    pub fn new_page(&mut self) {
        self.pages.push(Page {
            width: self.setup.width,
            height: self.setup.height,
            orientation: self.setup.orientation,
            number: None,
            items: Vec::new(),
        });
        self.y = self.setup.top;
    }

    /// Starts a new page with another setup (a landscape attachment after portrait text).
    pub fn new_page_with(&mut self, setup: PageSetup) {
        self.setup = setup;
        self.new_page();
    }

    pub fn y(&self) -> f32 {
        self.y
    }

    /// Pages started so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    pub fn skip(&mut self, mm: f32) {
        self.y += mm;
    }

    fn remaining(&self) -> f32 {
        self.setup.bottom() - self.y
    }

    fn page_index(&self) -> usize {
        self.pages.len().saturating_sub(1)
    }

    /// Draws `item` on the current page as it is (positions in mm).
    pub(crate) fn item(&mut self, item: Item) {
        self.push(item);
    }

    fn push(&mut self, item: Item) {
        if let Some(p) = self.pages.last_mut() {
            p.items.push(item);
        }
    }

    fn mark(&mut self, key: &str, top: f32, bottom: f32) {
        self.marks.push(Mark {
            key: key.to_owned(),
            page: self.page_index(),
            top,
            bottom,
        });
    }

    /// Draws `text` with its left edge at `x` on `baseline`, splitting it into runs by face.
    /// Invisible and control characters (bidirectional overrides, zero-width, C0/C1) are
    /// never printed ([`anwei_core::text::clean`]).
    pub fn text_at(&mut self, x: f32, baseline: f32, style: &TextStyle, text: &str) {
        let mut x = x;
        let text = anwei_core::text::clean(text);
        for (face, run) in self.fonts.runs(style.role, &text) {
            let width = self.fonts.width_mm(style.role, style.size_pt, &run);
            self.push(Item::Text(TextRun {
                x,
                y: baseline,
                size_pt: style.size_pt,
                font: style.role,
                face,
                text: run,
                width,
                color: style.color,
                kind: RunKind::Content,
                direction: Direction::Upright,
            }));
            x += width;
        }
    }

    fn aligned_x(&self, left: f32, width: f32, style: &TextStyle, line: &str, align: Align) -> f32 {
        let w = self.fonts.width_mm(style.role, style.size_pt, line);
        match align {
            Align::Left => left,
            Align::Center => left + (width - w) / 2.0,
            Align::Right => left + width - w,
        }
    }

    pub fn width(&self, style: &TextStyle, text: &str) -> f32 {
        self.fonts
            .width_mm(style.role, style.size_pt, &anwei_core::text::clean(text))
    }

    /// Wraps `text` to `width` (without invisible and control characters, as printed).
    pub fn wrap(&self, style: &TextStyle, text: &str, width: f32) -> Vec<String> {
        let measure = |s: &str| self.fonts.width_mm(style.role, style.size_pt, s);
        break_lines(&anwei_core::text::clean(text), width, &measure)
    }

    /// Wraps a title to at most `width`, then narrows the measure as far as it can without
    /// adding a line, so the lines come out of even length (标题回行要排列对称); the words
    /// of official titles ([`crate::text::TITLE_WORDS`]: "三年行动", "实施方案", …) are
    /// never split (标题回行时要做到词意完整).
    pub fn wrap_balanced(&self, style: &TextStyle, text: &str, width: f32) -> Vec<String> {
        let glued = crate::text::glue_title_words(&anwei_core::text::clean(text));
        let measure = |s: &str| {
            self.fonts
                .width_mm(style.role, style.size_pt, &crate::text::unglue(s))
        };
        let wrap = |w: f32| -> Vec<String> {
            break_lines(&glued, w, &measure)
                .iter()
                .map(|l| crate::text::unglue(l))
                .collect()
        };
        let best = wrap(width);
        if best.len() < 2 {
            return best;
        }
        let (mut lo, mut hi) = (width / best.len() as f32, width);
        let mut out = best.clone();
        for _ in 0..16 {
            let mid = (lo + hi) / 2.0;
            let lines = wrap(mid);
            if lines.len() <= best.len() {
                hi = mid;
                out = lines;
            } else {
                lo = mid;
            }
        }
        out
    }

    /// One line in the type area, aligned; a new page first when it does not fit.
    pub fn line(&mut self, style: &TextStyle, text: &str, align: Align) {
        self.line_inset(style, text, align, 0.0, 0.0);
    }

    /// One line with insets from the type area's left and right edges.
    pub fn line_inset(
        &mut self,
        style: &TextStyle,
        text: &str,
        align: Align,
        left: f32,
        right: f32,
    ) {
        if self.remaining() < style.pitch - 0.01 {
            self.new_page();
        }
        let x0 = self.setup.left + left;
        let w = self.setup.type_width - left - right;
        let x = self.aligned_x(x0, w, style, text, align);
        let baseline = style.baseline(self.y);
        self.text_at(x, baseline, style, text);
        self.y += style.pitch;
    }

    /// A paragraph: first line indented by `indent_chars` characters of the style's size,
    /// wrapped to the type area, lines flowing onto new pages.
    pub fn paragraph(&mut self, style: &TextStyle, text: &str, indent_chars: f32, align: Align) {
        self.set_paragraph(style, text, indent_chars, align, 0, 0.0);
    }

    /// A paragraph like [`Composer::paragraph`] whose last `with_next` lines stay on one page
    /// with the `after` mm that follow it (the 署名 under the text): the page breaks earlier
    /// in the paragraph, or before it, when they would not fit.
    pub fn paragraph_kept(
        &mut self,
        style: &TextStyle,
        text: &str,
        indent_chars: f32,
        with_next: usize,
        after: f32,
    ) {
        self.set_paragraph(style, text, indent_chars, Align::Left, with_next, after);
    }

    /// Wraps `text` with its first line shortened by the indent and sets its lines; before
    /// the last `with_next` of them (none when 0), keeps them with `after` mm on one page.
    fn set_paragraph(
        &mut self,
        style: &TextStyle,
        text: &str,
        indent_chars: f32,
        align: Align,
        with_next: usize,
        after: f32,
    ) {
        let indent = indent_chars * style.size_mm();
        let lines = self.wrap_with_indent(style, text, self.setup.type_width, indent);
        let kept_from = (with_next > 0).then(|| lines.len().saturating_sub(with_next));
        for (i, line) in lines.iter().enumerate() {
            if kept_from == Some(i) {
                self.keep((lines.len() - i) as f32 * style.pitch + after);
            }
            let left = if i == 0 { indent } else { 0.0 };
            self.line_inset(style, line, align, left, 0.0);
        }
    }

    fn wrap_with_indent(
        &self,
        style: &TextStyle,
        text: &str,
        width: f32,
        indent: f32,
    ) -> Vec<String> {
        if indent <= 0.0 {
            return self.wrap(style, text, width);
        }
        // Cleaned once here: the first line is cut off the text it was wrapped from.
        let text = anwei_core::text::clean(text);
        let text = text.as_ref();
        let first = self.wrap(style, text, width - indent);
        let Some(head) = first.first() else {
            return first;
        };
        let rest = text
            .strip_prefix(head.as_str())
            .unwrap_or_default()
            .trim_start_matches(' ');
        let mut out = vec![head.clone()];
        if !rest.is_empty() {
            out.extend(self.wrap(style, rest, width));
        }
        out
    }

    /// A horizontal rule across the type area at the current position, plus `gap` below.
    pub fn rule(&mut self, width_pt: f32, color: Rgb) {
        let (x1, x2, y) = (self.setup.left, self.setup.right(), self.y);
        self.push(Item::Line(Rule {
            x1,
            y1: y,
            x2,
            y2: y,
            width_pt,
            color,
        }));
    }

    /// Moves to the foot of the page so that `mm` are left above the type area's bottom
    /// edge (a new page first when less is left).
    pub fn to_foot(&mut self, mm: f32) {
        self.keep(mm);
        self.y = self.setup.bottom() - mm;
    }

    /// Ensures at least `mm` of space remains on the page, else starts a new one.
    pub fn keep(&mut self, mm: f32) {
        if self.remaining() < mm {
            self.new_page();
        }
    }

    /// Lays out a table: the header row repeated at the top of every page the table
    /// touches. A row that does not fit in the remaining space is split between two lines
    /// of text, as Word and WPS break rows across pages: at least [`MIN_SPLIT_LINES`] of its
    /// lines stay on this page and as many go to the next, where the continued part
    /// repeats the row's 序号 (the table's `number_column`) with "（续）". A row too short
    /// for that moves to the next page whole. A spanning heading keeps with the first lines
    /// of the row after it.
    pub fn table(&mut self, table: &Table) {
        let total: f32 = table.columns.iter().map(|c| c.width).sum();
        // Scale columns to the type width if they do not add up.
        let scale = if total > 0.0 {
            self.setup.type_width / total
        } else {
            1.0
        };
        let widths: Vec<f32> = table.columns.iter().map(|c| c.width * scale).collect();
        let inner: Vec<f32> = widths.iter().map(|w| w - 2.0 * table.pad_x).collect();

        let header_cells: Vec<Vec<String>> = table
            .columns
            .iter()
            .zip(&inner)
            .map(|(c, w)| self.wrap(&table.header_style, &c.header, *w))
            .collect();
        let header_h = cell_block_height(&header_cells, &table.header_style, table.pad_y);

        let laid: Vec<LaidRow<'_>> = table
            .rows
            .iter()
            .map(|row| match row {
                Row::Cells { key, cells } => LaidRow {
                    key,
                    cells: cells
                        .iter()
                        .zip(&inner)
                        .map(|(t, w)| self.wrap(&table.body_style, t, *w))
                        .collect(),
                    style: table.body_style,
                    span: false,
                },
                Row::Span { key, text } => {
                    let w = self.setup.type_width - 2.0 * table.pad_x;
                    LaidRow {
                        key,
                        cells: vec![self.wrap(&table.span_style, text, w)],
                        style: table.span_style,
                        span: true,
                    }
                }
            })
            .collect();
        let heights: Vec<f32> = laid
            .iter()
            .map(|r| cell_block_height(&r.cells, &r.style, table.pad_y))
            .collect();
        // The least of a row that may stand at the foot of a page.
        let least = |i: usize| -> f32 {
            let r = &laid[i];
            if r.span {
                return heights[i];
            }
            let lines = r.cells.iter().map(Vec::len).max().unwrap_or(1);
            if lines >= 2 * MIN_SPLIT_LINES {
                MIN_SPLIT_LINES as f32 * r.style.pitch + 2.0 * table.pad_y
            } else {
                heights[i]
            }
        };

        let page_room = self.setup.type_height - header_h;
        // What must fit below row `i` for it to start on this page: its least part, and for
        // a spanning heading the headings after it and the least of the first ordinary row.
        let keep = |i: usize| -> f32 {
            let mut need = least(i);
            if laid[i].span {
                let mut j = i + 1;
                while j < laid.len() {
                    need += least(j);
                    if !laid[j].span {
                        break;
                    }
                    j += 1;
                }
                if need > page_room {
                    need = heights[i];
                }
            }
            need
        };

        // Start the table on a new page unless the header and the first row's least part
        // fit (or, for a table kept together, the whole table fits).
        let need = if table.keep_together {
            (header_h + heights.iter().sum::<f32>()).min(self.setup.type_height)
        } else {
            header_h + if laid.is_empty() { 0.0 } else { keep(0) }
        };
        if self.remaining() < need - 1e-3 {
            self.new_page();
        }
        self.table_header(table, &widths, &header_cells, header_h);

        let ctx = TableCtx {
            table,
            widths: &widths,
            header_cells: &header_cells,
            header_h,
        };
        for (i, row) in laid.iter().enumerate() {
            let row_h = heights[i];
            let need = if i + 1 == laid.len() && table.followed_by > 0.0 {
                (row_h + table.followed_by).min(page_room)
            } else {
                keep(i)
            };
            if need > self.remaining() + 1e-3 {
                self.new_page();
                self.table_header(table, &widths, &header_cells, header_h);
            }
            if row_h > self.remaining() + 1e-3 && !row.span {
                self.split_row(&ctx, row);
                continue;
            }
            let top = self.y;
            self.draw_row_part(
                table, &row.cells, &row.style, row.span, &widths, top, row_h, false,
            );
            self.mark(row.key, top, top + row_h);
            self.y = top + row_h;
        }
    }

    fn table_header(&mut self, table: &Table, widths: &[f32], cells: &[Vec<String>], h: f32) {
        let top = self.y;
        self.draw_row_part(
            table,
            cells,
            &table.header_style,
            false,
            widths,
            top,
            h,
            false,
        );
        self.mark("header", top, top + h);
        self.y = top + h;
    }

    /// Draws a row (or the lines `range` of it) in the box `top..top+h`: grid and cells,
    /// each cell vertically centred.
    #[allow(clippy::too_many_arguments)]
    fn draw_row_part(
        &mut self,
        table: &Table,
        cells: &[Vec<String>],
        style: &TextStyle,
        span: bool,
        widths: &[f32],
        top: f32,
        h: f32,
        top_aligned: bool,
    ) {
        let left = self.setup.left;
        let right = self.setup.right();
        let bottom = top + h;
        let mut grid = vec![
            (left, top, right, top),
            (left, bottom, right, bottom),
            (left, top, left, bottom),
            (right, top, right, bottom),
        ];
        if !span {
            let mut x = left;
            for w in &widths[..widths.len().saturating_sub(1)] {
                x += w;
                grid.push((x, top, x, bottom));
            }
        }
        for (x1, y1, x2, y2) in grid {
            self.push(Item::Line(Rule {
                x1,
                y1,
                x2,
                y2,
                width_pt: GRID_PT,
                color: Rgb::BLACK,
            }));
        }
        let mut x = left;
        let header = std::ptr::eq(style, &table.header_style);
        for (i, lines) in cells.iter().enumerate() {
            let (col_w, align) = if span {
                (right - left, Align::Left)
            } else if header {
                (widths[i], Align::Center)
            } else {
                (widths[i], table.columns[i].align)
            };
            let block = lines.len() as f32 * style.pitch;
            let mut line_top = if top_aligned {
                top + table.pad_y
            } else {
                top + (h - block) / 2.0
            };
            for line in lines {
                let lx = self.aligned_x(
                    x + table.pad_x,
                    col_w - 2.0 * table.pad_x,
                    style,
                    line,
                    align,
                );
                let baseline = style.baseline(line_top);
                self.text_at(lx, baseline, style, line);
                line_top += style.pitch;
            }
            x += col_w;
        }
    }

    /// Places a row that does not fit in the remaining space: as many whole lines as fit
    /// here, the rest on the following pages under the repeated header, each continued part
    /// with the row's 序号 and "（续）" in the number column.
    fn split_row(&mut self, ctx: &TableCtx<'_>, row: &LaidRow<'_>) {
        let table = ctx.table;
        let style = &row.style;
        let max_lines = row.cells.iter().map(Vec::len).max().unwrap_or(0);
        let continued: Option<(usize, Vec<String>)> = table.number_column.and_then(|n| {
            let label = row.cells.get(n)?.concat();
            let w = ctx.widths.get(n)? - 2.0 * table.pad_x;
            Some((n, self.wrap(style, &format!("{label}（续）"), w)))
        });
        let mut from = 0;
        while from < max_lines {
            let room = self.remaining() - 2.0 * table.pad_y;
            let fit = ((room + 1e-3) / style.pitch).floor().max(0.0) as usize;
            let label_lines = match (&continued, from) {
                (Some((_, l)), f) if f > 0 => l.len(),
                _ => 0,
            };
            if fit == 0 || fit < label_lines {
                self.new_page();
                self.table_header(table, ctx.widths, ctx.header_cells, ctx.header_h);
                continue;
            }
            let mut to = (from + fit).min(max_lines);
            // Never a single line carried over alone (nor left alone at a page's foot).
            if to < max_lines && max_lines - to < MIN_SPLIT_LINES && to - from > MIN_SPLIT_LINES {
                to = max_lines - MIN_SPLIT_LINES;
            }
            let mut part: Vec<Vec<String>> = row
                .cells
                .iter()
                .map(|lines| {
                    lines
                        .get(from.min(lines.len())..to.min(lines.len()))
                        .unwrap_or(&[])
                        .to_vec()
                })
                .collect();
            if from > 0
                && let Some((n, label)) = &continued
                && let Some(cell) = part.get_mut(*n)
            {
                cell.clone_from(label);
            }
            let lines = part.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let h = lines as f32 * style.pitch + 2.0 * table.pad_y;
            let top = self.y;
            self.draw_row_part(table, &part, style, row.span, ctx.widths, top, h, true);
            self.mark(row.key, top, top + h);
            self.y = top + h;
            from = to;
            if from < max_lines {
                self.new_page();
                self.table_header(table, ctx.widths, ctx.header_cells, ctx.header_h);
            }
        }
    }

    /// Finishes: page numbers from `first_number` on every page.
    pub fn finish(self) -> (Vec<Page>, Vec<Mark>) {
        (self.pages, self.marks)
    }
}

fn cell_block_height(cells: &[Vec<String>], style: &TextStyle, pad_y: f32) -> f32 {
    let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    lines as f32 * style.pitch + 2.0 * pad_y
}

/// Puts page numbers "— n —" on every page, numbering from `first`: odd pages at the right
/// of the type area one character in, even pages at the left one character in. Existing
/// page numbers are replaced.
///
/// A landscape page carries its number where the portrait pages have theirs (GB/T
/// 9704-2012 7.5 and 10.2): in the portrait sheet's frame, which on the landscape page
/// (the sheet turned a quarter clockwise) is the left margin, the number reading top to
/// bottom — odd pages near the foot of that margin, even pages near its head.
pub fn number_pages(pages: &mut [Page], fonts: &Fonts, first: u32) {
    // 4号半角宋体阿拉伯数字 (GB/T 9704-2012 7.5).
    let style = TextStyle::new(FontRole::Song, SIZE_4HAO, SIZE_4HAO * MM_PER_PT);
    let one_char = style.size_mm();
    let portrait = PageSetup::PORTRAIT;
    for (i, page) in pages.iter_mut().enumerate() {
        page.items
            .retain(|it| !matches!(it, Item::Text(t) if t.kind == RunKind::Folio));
        let n = first + u32::try_from(i).unwrap_or(u32::MAX - first);
        page.number = Some(n);
        let text = format!("— {n} —");
        let w = fonts.width_mm(style.role, style.size_pt, &text);
        // Where the number starts on a portrait page.
        let x = if n % 2 == 1 {
            portrait.right() - one_char - w
        } else {
            portrait.left + one_char
        };
        // Top of the figures 7 mm below the type area; digits rise about 0.72 em.
        let baseline = portrait.bottom() + 7.0 + 0.72 * style.size_mm();
        // The same spot on the page as it is drawn: a landscape page is the portrait sheet
        // turned a quarter clockwise, so portrait (x, y) lands at (height - y, x).
        let (mut along, across, direction) = match page.orientation {
            Orientation::Portrait => (x, baseline, Direction::Upright),
            Orientation::Landscape => (x, portrait.height - baseline, Direction::Clockwise),
        };
        for (face, run) in fonts.runs(style.role, &text) {
            let width = fonts.width_mm(style.role, style.size_pt, &run);
            let (x, y) = match direction {
                Direction::Upright => (along, across),
                Direction::Clockwise => (across, along),
            };
            page.items.push(Item::Text(TextRun {
                x,
                y,
                size_pt: style.size_pt,
                font: style.role,
                face,
                text: run,
                width,
                color: Rgb::BLACK,
                kind: RunKind::Folio,
                direction,
            }));
            along += width;
        }
    }
}
