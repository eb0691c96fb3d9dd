//! Tables as Excel workbooks in the layout an office prints from WPS or Excel: the title
//! merged across the table, a line saying as of when and how many, the header row bold on
//! grey, frozen and repeated at the top of every printed page, borders, wrapped text, column
//! widths, dates as dates, A4 landscape fitted to the page width with page numbers in the
//! footer. Written with `rust_xlsxwriter`; [`save`] writes the file atomically.

use std::collections::HashSet;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// Most data rows one sheet takes (Excel's 1 048 576 rows less the three of the head).
pub const MAX_ROWS: usize = 1_048_573;
/// Longest text a cell holds (Excel's limit); a longer one is cut and ends with "…".
pub const MAX_CELL_CHARS: usize = 32_767;
/// The font of every cell: offices' machines have it, and WPS maps it where they do not.
const FONT: &str = "宋体";

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.to_owned())
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Cell {
        Cell::Date(d)
    }
}

impl From<Option<NaiveDate>> for Cell {
    fn from(d: Option<NaiveDate>) -> Cell {
        d.map_or(Cell::Empty, Cell::Date)
    }
}

impl From<f64> for Cell {
    fn from(n: f64) -> Cell {
        Cell::Number(n)
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Cell {
        // Counts and numbers of rows: far below 2^53.
        Cell::Number(n as f64)
    }
}

/// A column: its header and width in characters (a Chinese character counts two).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub width: f64,
    /// Long text: wrapped within the width (the row grows).
    pub wrap: bool,
}

impl Column {
    pub fn new(header: &str, width: f64) -> Column {
        Column {
            header: header.to_owned(),
            width,
            wrap: false,
        }
    }

    pub fn wrapped(header: &str, width: f64) -> Column {
        Column {
            wrap: true,
            ..Column::new(header, width)
        }
    }
}

/// One worksheet: what the desk shows as a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The sheet's tab (cut to Excel's 31 characters, characters Excel refuses replaced).
    pub sheet: String,
    /// The title over the table ("麒麟区安全生产专项整治三年行动任务清单").
    pub title: String,
    /// The line under it: as of when, which filter, how many.
    pub note: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

/// Why a workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("生成 Excel 文件失败：{0}")]
    Xlsx(#[from] XlsxError),
    #[error("表格“{sheet}”第 {row} 行有 {got} 列，表头有 {want} 列")]
    Shape {
        sheet: String,
        row: usize,
        got: usize,
        want: usize,
    },
    #[error("表格“{sheet}”有 {rows} 行，超过 Excel 一张工作表的上限 {MAX_ROWS} 行")]
    TooManyRows { sheet: String, rows: usize },
    #[error("表格“{0}”没有列")]
    NoColumns(String),
    #[error("写入 {path} 失败：{message}")]
    Write { path: String, message: String },
}

/// The workbook of `tables`, one sheet each, as the bytes of an .xlsx file.
pub fn workbook(tables: &[Table]) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let mut names = HashSet::new();
    for t in tables {
        check_shape(t)?;
        let sheet = book.add_worksheet();
        sheet.set_name(unique_sheet_name(&t.sheet, &mut names))?;
        write_table(sheet, t)?;
    }
    if tables.is_empty() {
        book.add_worksheet();
    }
    // Deflate at the default level (6) took a third of a 100 000-record export (3.2 s in
    // all); at 3 it is 2.5 s, for a file of 17 MB rather than 12 (app/exchange/benches).
    book.set_zip_compression_level(3);
    Ok(book.save_to_buffer()?)
}

/// Writes the workbook of `tables` to `path` atomically (the file is whole or as it was).
pub fn save(path: &Path, tables: &[Table]) -> Result<(), ExportError> {
    let bytes = workbook(tables)?;
    anwei_files::write_atomic(path, &bytes).map_err(|e| ExportError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

fn check_shape(t: &Table) -> Result<(), ExportError> {
    if t.columns.is_empty() {
        return Err(ExportError::NoColumns(t.sheet.clone()));
    }
    if t.rows.len() > MAX_ROWS {
        return Err(ExportError::TooManyRows {
            sheet: t.sheet.clone(),
            rows: t.rows.len(),
        });
    }
    if let Some((i, r)) = t
        .rows
        .iter()
        .enumerate()
        .find(|(_, r)| r.len() != t.columns.len())
    {
        return Err(ExportError::Shape {
            sheet: t.sheet.clone(),
            row: i + 1,
            got: r.len(),
            want: t.columns.len(),
        });
    }
    Ok(())
}

/// A sheet name Excel takes: none of `[]:*?/\`, not starting or ending with `'`, at most 31
/// characters, not used by another sheet of the book.
fn unique_sheet_name(want: &str, taken: &mut HashSet<String>) -> String {
    let clean: String = want
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim_matches('\'').trim();
    let base: String = if clean.is_empty() { "表" } else { clean }
        .chars()
        .take(31)
        .collect();
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.to_lowercase()) {
        let suffix = format!("({n})");
        let keep = 31 - suffix.chars().count();
        name = base.chars().take(keep).collect::<String>() + &suffix;
        n += 1;
    }
    name
}

fn cut(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().nth(MAX_CELL_CHARS).is_none() {
        std::borrow::Cow::Borrowed(s)
    } else {
        let mut t: String = s.chars().take(MAX_CELL_CHARS - 1).collect();
        t.push('…');
        std::borrow::Cow::Owned(t)
    }
}

/// The widest table (in characters) fitted to the width of an A4 landscape page: wider ones
/// would print too small to read.
pub const FIT_WIDTH: f64 = 250.0;
/// The height of a line of 10.5 pt text, in points.
const LINE_HEIGHT: f64 = 14.0;
/// Most lines a row is made tall for (Excel's row height is at most 409 pt).
const MAX_LINES: u32 = 28;

/// How many lines `s` takes wrapped in a column `width` characters wide. The width counts
/// the digits of the default font; a Chinese character of the 10.5 pt 宋体 takes about 1.5 of
/// them (seen in WPS and LibreOffice: a column 16 wide holds ten).
fn lines_in(s: &str, width: f64) -> u32 {
    // A little less than the width: cells have padding, and wrapping breaks before a word.
    let room = (width - 0.5).max(2.0);
    s.split('\n')
        .map(|line| {
            let w: f64 = line.chars().map(|c| if wide(c) { 1.5 } else { 1.0 }).sum();
            // Far below u32::MAX: a cell holds at most 32 767 characters.
            (w / room).ceil().max(1.0) as u32
        })
        .sum()
}

/// Characters shown two columns wide: CJK, fullwidth forms and punctuation.
fn wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// The date as Excel holds it: `None` outside Excel's years 1900–9999 (written as text then).
fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year())
        .ok()
        .filter(|y| (1900..=9999).contains(y))?;
    ExcelDateTime::from_ymd(
        year,
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
    )
    .ok()
}

fn write_table(ws: &mut Worksheet, t: &Table) -> Result<(), ExportError> {
    let last_col = u16::try_from(t.columns.len() - 1).unwrap_or(u16::MAX);
    let base = Format::new().set_font_name(FONT).set_font_size(10.5);
    let title = base
        .clone()
        .set_font_size(16)
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let note = base.clone().set_font_size(10).set_align(FormatAlign::Left);
    let header = base
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color(0x00D9_D9D9);
    let cell = base
        .clone()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let wrapped = cell.clone().set_text_wrap();
    let date = cell.clone().set_num_format("yyyy-mm-dd");
    let number = cell.clone().set_num_format("General");

    if last_col == 0 {
        ws.write_string_with_format(0, 0, cut(&t.title).as_ref(), &title)?;
        ws.write_string_with_format(1, 0, cut(&t.note).as_ref(), &note)?;
    } else {
        ws.merge_range(0, 0, 0, last_col, cut(&t.title).as_ref(), &title)?;
        ws.merge_range(1, 0, 1, last_col, cut(&t.note).as_ref(), &note)?;
    }
    ws.set_row_height(0, 30)?;
    for (c, col) in t.columns.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        ws.set_column_width(c, col.width)?;
        ws.write_string_with_format(2, c, col.header.as_str(), &header)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = u32::try_from(r + 3).unwrap_or(u32::MAX);
        // Spreadsheet programs do not all grow a row for its wrapped text when they open a
        // file (WPS and LibreOffice keep the default height): the height is set here.
        let lines = row
            .iter()
            .zip(&t.columns)
            .filter(|(_, col)| col.wrap)
            .map(|(value, col)| match value {
                Cell::Text(s) => lines_in(s, col.width),
                _ => 1,
            })
            .max()
            .unwrap_or(1);
        if lines > 1 {
            ws.set_row_height(r, LINE_HEIGHT * f64::from(lines.min(MAX_LINES)) + 3.0)?;
        }
        for (c, (value, col)) in row.iter().zip(&t.columns).enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            let text = if col.wrap { &wrapped } else { &cell };
            match value {
                Cell::Empty => ws.write_blank(r, c, text)?,
                Cell::Text(s) => ws.write_string_with_format(r, c, cut(s).as_ref(), text)?,
                Cell::Number(n) if n.is_finite() => {
                    ws.write_number_with_format(r, c, *n, &number)?
                }
                Cell::Number(_) => ws.write_blank(r, c, text)?,
                Cell::Date(d) => match excel_date(*d) {
                    Some(x) => ws.write_datetime_with_format(r, c, x, &date)?,
                    None => ws.write_string_with_format(r, c, d.to_string(), text)?,
                },
            };
        }
    }
    ws.set_freeze_panes(3, 0)?;
    ws.set_repeat_rows(2, 2)?;
    let last_row = u32::try_from(t.rows.len() + 2).unwrap_or(u32::MAX);
    ws.autofilter(2, 0, last_row, last_col)?;
    ws.set_landscape();
    // 9: A4.
    ws.set_paper_size(9);
    // A table a landscape page can take at a readable size is fitted to its width; a wider
    // one (a ledger of thirty fields) prints across pages at full size, its first two
    // columns repeated on each.
    let total: f64 = t.columns.iter().map(|c| c.width).sum();
    if total <= FIT_WIDTH {
        ws.set_print_fit_to_pages(1, 0);
    } else if last_col >= 1 {
        ws.set_repeat_columns(0, 1)?;
    }
    ws.set_print_center_horizontally(true);
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_what_excel_takes_and_unique() {
        let mut taken = HashSet::new();
        assert_eq!(
            unique_sheet_name("任务[附件1]/逾期", &mut taken),
            "任务_附件1__逾期"
        );
        assert_eq!(
            unique_sheet_name("任务_附件1__逾期", &mut taken),
            "任务_附件1__逾期(2)"
        );
        let long = "很".repeat(40);
        let a = unique_sheet_name(&long, &mut taken);
        let b = unique_sheet_name(&long, &mut taken);
        assert_eq!(a.chars().count(), 31);
        assert_eq!(b.chars().count(), 31);
        assert!(b.ends_with("(2)"));
        assert_eq!(unique_sheet_name("''", &mut taken), "表");
    }

    #[test]
    fn wrapped_text_counts_its_lines_a_chinese_character_as_one_and_a_half() {
        assert_eq!(lines_in("短", 10.0), 1);
        // 20 Chinese characters are 30 columns: four lines of a 9.5-column room.
        assert_eq!(lines_in(&"字".repeat(20), 10.0), 4);
        // The 方案 column of the task list: ten characters a line.
        assert_eq!(lines_in(&"字".repeat(10), 16.0), 1);
        assert_eq!(lines_in(&"字".repeat(11), 16.0), 2);
        assert_eq!(lines_in(&"a".repeat(19), 10.0), 2);
        assert_eq!(lines_in("一\n二\n三", 10.0), 3);
        assert_eq!(lines_in("", 10.0), 1);
    }

    #[test]
    fn a_date_excel_cannot_hold_is_written_as_text() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(excel_date(d("2020-12-31")).is_some());
        assert!(excel_date(d("1899-12-31")).is_none());
        let t = Table {
            sheet: "t".into(),
            title: "t".into(),
            note: String::new(),
            columns: vec![Column::new("日期", 12.0)],
            rows: vec![vec![Cell::Date(d("1850-01-01"))]],
        };
        assert!(workbook(&[t]).is_ok());
    }

    #[test]
    fn a_row_of_the_wrong_width_is_refused_naming_it() {
        let t = Table {
            sheet: "任务".into(),
            title: "t".into(),
            note: String::new(),
            columns: vec![Column::new("a", 10.0), Column::new("b", 10.0)],
            rows: vec![vec![Cell::Empty, Cell::Empty], vec![Cell::Empty]],
        };
        let e = workbook(&[t]).unwrap_err().to_string();
        assert!(e.contains("第 2 行有 1 列，表头有 2 列"), "{e}");
    }

    #[test]
    fn an_overlong_text_is_cut_to_what_a_cell_holds() {
        let s = "字".repeat(MAX_CELL_CHARS + 5);
        let c = cut(&s);
        assert_eq!(c.chars().count(), MAX_CELL_CHARS);
        assert!(c.ends_with('…'));
        assert_eq!(cut("短"), "短");
    }
}
