//! 登记表: a sector plugin's form printed blank, to be filled in by hand, or with one
//! ledger record's values. Portrait A4 in the GB/T 9704-2012 type area with its page
//! numbers; the title in 小标宋 2号, the fields as a two-column table (项目 / 填报内容),
//! each repeat group as its own table with a 序号 column where it stands in the form.
//!
//! A filled sheet states the record as it is stored: its values (choice labels, unit names),
//! "（不适用）" for a field the record's own answers make irrelevant, the record's number,
//! who entered it and when, and a mark when it is a draft. A blank sheet offers every
//! choice as "□", leaves room to write, shows the fields' hints, and leaves out what the
//! desk calculates.

use anwei_core::form::repeat_rows;
use anwei_core::{FieldDef, FieldKind, FormDef, FormRecord, FormState, UnitDirectory, Value};
use chrono::NaiveDate;

use crate::documents::{ONE_LINE, col, finish, format_date, hei, table, title_style, wide};
use crate::error::PrintError;
use crate::fonts::{FontRole, Fonts};
use crate::layout::{Align, Composer, PageSetup, Row, SIZE_4HAO, TextStyle};
use crate::model::{Document, MM_PER_PT, Rgb};

/// A chosen choice on a printed form.
pub const CHOSEN: char = crate::fonts::FORM_BOXES[1];
/// A choice not chosen (or to tick by hand).
pub const NOT_CHOSEN: char = crate::fonts::FORM_BOXES[0];
/// Rows a blank sheet leaves for each repeat group.
pub const BLANK_REPEAT_ROWS: usize = 5;
/// Up to this many choices are all printed, the chosen ones marked; a field with more prints
/// only the chosen labels (filled) — a blank sheet always lists them all.
const LISTED_CHOICES: usize = 8;

/// What a 登记表 is printed from.
#[derive(Debug, Clone, Copy)]
pub struct FormSheetSpec<'a> {
    pub form: &'a FormDef,
    /// The record printed; `None` prints the form blank.
    pub record: Option<&'a FormRecord>,
    /// Names of the units a unit field may hold by id.
    pub units: &'a UnitDirectory,
    /// The day printed (the 打印日期 of a filled sheet).
    pub today: NaiveDate,
    /// 成文日期 style of the office's documents (Chinese numerals or Arabic).
    pub chinese_date: bool,
}

/// The title a sheet of `form` prints: the form's own title, with "登记表" added unless it
/// names a table already.
pub fn form_sheet_title(form: &FormDef) -> String {
    let t = form.title.trim();
    let t = if t.is_empty() { form.id.as_str() } else { t };
    if t.ends_with('表') {
        t.to_owned()
    } else {
        format!("{t}登记表")
    }
}

/// Lays out the 登记表 of `spec.form`, blank or with `spec.record`'s values.
pub fn form_sheet(fonts: &Fonts, spec: &FormSheetSpec<'_>) -> Result<Document, PrintError> {
    let form = spec.form;
    if let Some(r) = spec.record {
        if r.form != form.id {
            return Err(PrintError::WrongForm {
                record: r.id,
                form: form.id.clone(),
            });
        }
        if r.deleted {
            return Err(PrintError::DeletedRecord(r.id));
        }
    }
    let state = spec
        .record
        .map(|r| FormState::new(form, &r.values, spec.today));
    let sheet = Sheet {
        record: spec.record,
        state: state.as_ref(),
        units: spec.units,
    };
    let title = form_sheet_title(form);
    let small = TextStyle::new(FontRole::Body, SIZE_4HAO, ONE_LINE);
    let kai = TextStyle::new(FontRole::Kai, SIZE_4HAO, SIZE_4HAO * MM_PER_PT * 1.5);
    let mut c = Composer::new(fonts, PageSetup::PORTRAIT);
    // Title on line 2, as a form attached to a document (no 版头).
    c.skip(ONE_LINE);
    let t = title_style();
    let width = c.setup().type_width - 2.0 * t.size_mm();
    for line in c.wrap_balanced(&t, &title, width) {
        c.line(&t, &line, Align::Center);
    }
    if spec.record.is_some_and(|r| r.draft) {
        let mut mark = kai;
        mark.color = Rgb::RED;
        c.line(&mark, DRAFT_RECORD, Align::Center);
    }
    c.skip(ONE_LINE / 2.0);
    // The sheet's particulars: to be written by hand, or the record's own.
    match spec.record {
        None => two_sides(
            &mut c,
            &small,
            "填报单位（盖章）：",
            "填报日期：　　　　年　　月　　日",
        ),
        Some(r) => {
            let mut entered = format!("录入：{}", r.author.trim());
            if let Some(d) = day_of(&r.created_at) {
                entered.push('　');
                entered.push_str(&format_date(d, false));
            }
            two_sides(&mut c, &small, &format!("记录编号：{}", r.id), &entered);
            if r.revision > 1
                && let Some(d) = day_of(&r.updated_at)
            {
                let changed = format!("第{}版，修改于{}", r.revision, format_date(d, false));
                c.line(&small, &changed, Align::Right);
            }
        }
    }
    // Notes before the first field read as the form's instructions.
    let lead = form
        .fields
        .iter()
        .take_while(|f| matches!(f.kind, FieldKind::Note))
        .count();
    for note in &form.fields[..lead] {
        c.paragraph(&kai, &wide(note.display_label()), 2.0, Align::Left);
    }
    c.skip(ONE_LINE / 4.0);
    // The signature lines under the last table (and the print date of a filled sheet), with
    // the half lines after the table and before them: kept with the table's last row,
    // never alone on a page.
    let footer_lines = if spec.record.is_some() { 2.0 } else { 1.0 };
    let footer = ONE_LINE + footer_lines * small.pitch;
    let fields = &form.fields[lead..];
    let mut rows = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        match &f.kind {
            FieldKind::Repeat { fields: children } => {
                flush(&mut c, &mut rows, 0.0);
                let last = i + 1 == fields.len();
                let after = if last { footer } else { 0.0 };
                sheet.repeat_table(&mut c, f, children, &f.name, after);
            }
            FieldKind::Note => rows.push(Row::Span {
                key: format!("note:{}", f.name),
                text: wide(f.display_label()),
            }),
            _ => {
                if let Some(content) = sheet.content(f, &f.name) {
                    rows.push(Row::Cells {
                        key: format!("field:{}", f.name),
                        cells: vec![label_with_unit(f), content],
                    });
                }
            }
        }
    }
    flush(&mut c, &mut rows, footer);
    // Signatures by hand; a filled sheet says when it was printed.
    c.skip(ONE_LINE / 2.0);
    c.keep(footer_lines * small.pitch);
    c.line(
        &small,
        "填表人：　　　　　　　审核人：　　　　　　　联系电话：",
        Align::Left,
    );
    if spec.record.is_some() {
        c.line(
            &small,
            &format!("打印日期：{}", format_date(spec.today, spec.chinese_date)),
            Align::Right,
        );
    }
    let doc_title = match spec.record {
        Some(r) => format!("{title}（记录{}）", r.id),
        None => format!("{title}（空白）"),
    };
    Ok(finish(c, fonts, doc_title))
}

/// The mark under the title of a draft record's sheet.
pub const DRAFT_RECORD: &str = "（草稿：有未通过校验的项目，不计入指标）";

/// The form's fields as the two-column table, when any are waiting; `followed_by`: mm
/// after it kept with its last row.
fn flush(c: &mut Composer<'_>, rows: &mut Vec<Row>, followed_by: f32) {
    if rows.is_empty() {
        return;
    }
    let t = form_table(
        vec![
            col("项目", 58.0, Align::Center),
            col("填报内容", 98.0, Align::Left),
        ],
        std::mem::take(rows),
        None,
    );
    c.table(&crate::layout::Table { followed_by, ..t });
    c.skip(ONE_LINE / 2.0);
}

/// A form's table: the documents' table with room to write by hand.
fn form_table(
    columns: Vec<crate::layout::Column>,
    rows: Vec<Row>,
    number_column: Option<usize>,
) -> crate::layout::Table {
    crate::layout::Table {
        pad_y: 2.0,
        number_column,
        ..table(columns, rows)
    }
}

/// `left` flush left and `right` flush right on one line.
fn two_sides(c: &mut Composer<'_>, style: &TextStyle, left: &str, right: &str) {
    c.keep(style.pitch);
    let setup = c.setup();
    let baseline = style.baseline(c.y());
    c.text_at(setup.left, baseline, style, left);
    let w = c.width(style, right);
    c.text_at(setup.right() - w, baseline, style, right);
    c.skip(style.pitch);
}

/// The date of an RFC 3339 time ("2020-09-01T10:15:00+08:00").
fn day_of(time: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(time.get(..10)?, "%Y-%m-%d").ok()
}

/// "核定（设计）产能（万吨/年）".
fn label_with_unit(f: &FieldDef) -> String {
    match f.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(unit) => wide(&format!("{}（{unit}）", f.display_label())),
        None => wide(f.display_label()),
    }
}

struct Sheet<'a> {
    record: Option<&'a FormRecord>,
    state: Option<&'a FormState<'a>>,
    units: &'a UnitDirectory,
}

impl Sheet<'_> {
    /// What the 填报内容 cell of the field at `path` holds; `None` leaves the field out (a
    /// blank sheet has no row for what the desk calculates).
    fn content(&self, f: &FieldDef, path: &str) -> Option<String> {
        let (Some(record), Some(state)) = (self.record, self.state) else {
            return (!calculated(f)).then(|| blank_cell(f));
        };
        if !state.is_relevant(path) {
            return Some("（不适用）".to_owned());
        }
        Some(match record.values.get(path) {
            Some(v) => self.value_text(f, v),
            None => String::new(),
        })
    }

    /// A value as printed: choices marked among the field's choices, names of units.
    fn value_text(&self, f: &FieldDef, v: &Value) -> String {
        match (&f.kind, v) {
            (FieldKind::UnitRef, Value::Text(id)) => self.units.name_of(id).to_owned(),
            (FieldKind::YesNo, Value::Flag(b)) => choice_list(&[("是", *b), ("否", !*b)]),
            (FieldKind::SelectOne | FieldKind::SelectMany, Value::Choices(chosen))
                if f.choices.len() <= LISTED_CHOICES =>
            {
                let marks: Vec<(&str, bool)> = f
                    .choices
                    .iter()
                    .map(|c| (c.label.as_str(), chosen.contains(&c.name)))
                    .collect();
                // A stored name the form no longer offers is printed as it is.
                let unknown: Vec<&str> = chosen
                    .iter()
                    .filter(|n| !f.has_choice(n))
                    .map(String::as_str)
                    .collect();
                let mut out = choice_list(&marks);
                for n in unknown {
                    out.push_str(&format!("　{CHOSEN}{n}"));
                }
                out
            }
            (_, Value::Date(d)) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                Ok(day) => format_date(day, false),
                Err(_) => d.clone(),
            },
            _ => wide(&f.display_value(v)),
        }
    }

    /// A repeat group's table under its label: 序号 and a column per field; the record's
    /// rows, or [`BLANK_REPEAT_ROWS`] empty ones.
    fn repeat_table(
        &self,
        c: &mut Composer<'_>,
        group: &FieldDef,
        fields: &[FieldDef],
        path: &str,
        followed_by: f32,
    ) {
        let shown: Vec<&FieldDef> = fields
            .iter()
            .filter(|f| {
                !matches!(f.kind, FieldKind::Note) && (self.record.is_some() || !calculated(f))
            })
            .collect();
        let style = hei(SIZE_4HAO);
        c.keep(style.pitch + 3.0 * ONE_LINE);
        c.line(&style, &wide(group.display_label()), Align::Left);
        let relevant = self.state.is_none_or(|s| s.is_relevant(path));
        let number_w = 14.0;
        let each = (156.0 - number_w) / shown.len().max(1) as f32;
        let mut columns = vec![col("序号", number_w, Align::Center)];
        columns.extend(
            shown
                .iter()
                .map(|f| col(&label_with_unit(f), each, Align::Left)),
        );
        let rows: Vec<Row> = match self.record {
            None => (0..BLANK_REPEAT_ROWS)
                .map(|i| Row::Cells {
                    key: format!("row:{path}[{i}]"),
                    cells: std::iter::once((i + 1).to_string())
                        .chain(shown.iter().map(|_| String::new()))
                        .collect(),
                })
                .collect(),
            Some(_) if !relevant => vec![Row::Span {
                key: format!("row:{path}"),
                text: "（不适用）".to_owned(),
            }],
            Some(record) => {
                let indices = repeat_rows(&record.values, path);
                if indices.is_empty() {
                    vec![Row::Span {
                        key: format!("row:{path}"),
                        text: "（无）".to_owned(),
                    }]
                } else {
                    indices
                        .iter()
                        .enumerate()
                        .map(|(n, i)| {
                            let row_path = format!("{path}[{i}]");
                            let cells = std::iter::once((n + 1).to_string())
                                .chain(shown.iter().map(|f| {
                                    let p = format!("{row_path}/{}", f.name);
                                    match &f.kind {
                                        FieldKind::Repeat { fields } => {
                                            self.nested_text(fields, &p)
                                        }
                                        _ => self.content(f, &p).unwrap_or_default(),
                                    }
                                }))
                                .collect();
                            Row::Cells {
                                key: format!("row:{row_path}"),
                                cells,
                            }
                        })
                        .collect()
                }
            }
        };
        let t = form_table(columns, rows, Some(0));
        c.table(&crate::layout::Table { followed_by, ..t });
        c.skip(ONE_LINE / 2.0);
    }

    /// A repeat group inside a repeat group, in one cell: "1. a，b；2. …".
    fn nested_text(&self, fields: &[FieldDef], path: &str) -> String {
        let Some(record) = self.record else {
            return String::new();
        };
        repeat_rows(&record.values, path)
            .iter()
            .enumerate()
            .map(|(n, i)| {
                let parts: Vec<String> = fields
                    .iter()
                    .filter(|f| !matches!(f.kind, FieldKind::Note))
                    .filter_map(|f| {
                        let p = format!("{path}[{i}]/{}", f.name);
                        let text = match &f.kind {
                            FieldKind::Repeat { fields } => self.nested_text(fields, &p),
                            _ => self.content(f, &p).unwrap_or_default(),
                        };
                        (!text.is_empty()).then(|| format!("{}：{text}", f.display_label()))
                    })
                    .collect();
                format!("{}. {}", n + 1, parts.join("，"))
            })
            .collect::<Vec<_>>()
            .join("；\n")
    }
}

/// Whether the desk calculates the field's value (nobody writes it on paper).
fn calculated(f: &FieldDef) -> bool {
    matches!(f.kind, FieldKind::Calculate) || f.calculation.is_some()
}

/// "■国有　□省属　□民营".
fn choice_list(choices: &[(&str, bool)]) -> String {
    choices
        .iter()
        .map(|(label, chosen)| {
            let mark = if *chosen { CHOSEN } else { NOT_CHOSEN };
            format!("{mark}{}", wide(label))
        })
        .collect::<Vec<_>>()
        .join("　")
}

/// The cell of a field on a blank sheet: every choice to tick, the parts of a date, room
/// to write (two lines for free text); the hint under it.
fn blank_cell(f: &FieldDef) -> String {
    let mut lines: Vec<String> = match &f.kind {
        FieldKind::YesNo => vec![choice_list(&[("是", false), ("否", false)])],
        FieldKind::SelectOne | FieldKind::SelectMany => {
            let labels: Vec<(&str, bool)> = f
                .choices
                .iter()
                .map(|c| (c.label.as_str(), false))
                .collect();
            let mut s = choice_list(&labels);
            if matches!(f.kind, FieldKind::SelectMany) {
                s.push_str("（可多选）");
            }
            vec![s]
        }
        FieldKind::Date => vec!["　　　　　年　　　月　　　日".to_owned()],
        FieldKind::Text => vec![String::new(), String::new()],
        _ => vec![String::new()],
    };
    if let Some(hint) = f.hint.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
        lines.push(format!("注：{}", wide(hint)));
    }
    lines.join("\n")
}
