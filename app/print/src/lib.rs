//! Printing for Anwei Desk: 任务分工方案 (landscape table attachments), 督办通知书,
//! progress reports and forms (登记表) laid out to 《党政机关公文格式》GB/T 9704-2012, and
//! written as PDF with embedded font subsets.
//!
//! # Pipeline
//! 1. [`Fonts::load`] — the bundled open faces (Noto Serif CJK SC Regular/Bold subsets,
//!    WenQuanYi Micro Hei) plus installed official faces (仿宋_GB2312, 方正小标宋简体, 黑体,
//!    楷体_GB2312…) found in the usual font directories, preferred when present.
//!    [`Fonts::bundled`] uses the bundled faces only (identical output everywhere).
//! 2. A document builder lays the data out into a [`Document`]: pages with their size and
//!    positioned items ([`Item::Text`], [`Item::Line`], [`Item::Rect`]) in millimetres from
//!    the top-left corner, text baselines, widths from the faces' own metrics.
//!    * [`task_division_table`]`(&data, &fonts, plan, attachment_label)`
//!    * [`supervision_notice`]`(&data, &fonts, &NoticeSpec { … })`
//!    * [`progress_report`]`(&data, &fonts, &ReportSpec { plan, recipient, … })`
//!    * [`form_sheet`]`(&fonts, &FormSheetSpec { form, record, … })` — a plugin form's
//!      登记表, blank or with one record's values
//!    * [`Document::append`] adds an attachment whose pages continue the page numbers.
//! 3. [`render_pdf`]`(&doc, &fonts, &PdfOptions { creation_date, … })` → PDF bytes;
//!    [`write_pdf_file`] writes them atomically. The in-desk preview draws the same
//!    [`Document`] (its [`FaceInfo`]s say which face each run uses and whether it is an
//!    installed official one; [`Document::faces_summary`] puts it in words, and the PDF's
//!    Subject and Keywords carry it too).
//!
//! # Layout rules
//! See [`layout`] for the page geometry and page numbers, and [`text`] for line breaking
//! (UAX #14 via `unicode-linebreak` plus the Chinese kinsoku rules).

pub mod documents;
pub mod error;
pub mod fonts;
pub mod forms;
pub mod layout;
pub mod model;
pub mod pdf;
pub mod printer;
pub mod supervision;
pub mod text;
pub mod timeline;

pub use documents::{
    DRAFT_MARK, NoticeSpec, PrintData, ReportSpec, TargetLine, format_date, progress_report,
    supervision_notice, task_cell_text, task_division_table,
};
pub use error::PrintError;
pub use fonts::{Face, FontRole, FontSearch, Fonts};
pub use forms::{FormSheetSpec, form_sheet, form_sheet_title};
pub use layout::PageSetup;
pub use model::{
    Boxed, Direction, Document, FaceInfo, Item, Mark, Orientation, Page, Rgb, Rule, RunKind,
    TextRun,
};
pub use pdf::{PdfOptions, render_pdf, write_pdf_file};
pub use supervision::{
    CircularSpec, ItemLine, LetterSpec, assessment_document, check_letter, chinese_number,
    circular_cost_text, circular_document, letter_title, list_document, supervision_letter,
};
pub use timeline::timeline_chart;
