#![allow(clippy::unwrap_used, clippy::expect_used)]
//! 登记表: a plugin form printed blank and with a record's values, measured in the PDF.

mod common;

use std::collections::BTreeMap;

use anwei_core::{FieldDef, FieldKind as K, FormDef, FormRecord, Value};
use anwei_print::forms::{BLANK_REPEAT_ROWS, CHOSEN, DRAFT_RECORD, NOT_CHOSEN};
use anwei_print::{
    Document, FontRole, FormSheetSpec, PageSetup, PrintError, RunKind, form_sheet,
    form_sheet_title, render_pdf,
};
use chrono::NaiveDate;
use common::*;

const FORM: &str = "coal-mining/mine-register";

/// A form like the coal plugin's 煤矿台账, with a repeat group, a unit field and a
/// calculated one.
fn form() -> FormDef {
    FormDef {
        id: FORM.into(),
        title: "煤矿台账".into(),
        version: "1.0.0".into(),
        fields: vec![
            FieldDef::new("intro", K::Note, "按实施方案登记全区煤矿，一矿一条。"),
            FieldDef::new("name", K::Text, "煤矿名称").required(),
            FieldDef::new("unit", K::UnitRef, "监管部门"),
            FieldDef::new("ownership", K::SelectOne, "所有制").choices(&[
                ("state", "国有"),
                ("provincial", "省属"),
                ("private", "民营"),
            ]),
            FieldDef::new("capacity", K::Decimal, "核定(设计)产能").unit("万吨/年"),
            FieldDef::new("group", K::SelectOne, "整治分类")
                .hint("“两个清单”：保留煤矿清单、关闭退出煤矿清单")
                .choices(&[("keep", "单独保留"), ("merge_keep", "整合保留")]),
            FieldDef::new("merge_group", K::Text, "整合重组组别")
                .relevant("${group} = 'merge_keep'"),
            FieldDef::new("in_enhong", K::YesNo, "位于恩洪矿区"),
            FieldDef::new("needs_assessment", K::Calculate, "需开展突出危险性鉴定")
                .read_only()
                .calculation("${in_enhong} = 'yes'"),
            FieldDef::new("assessed", K::Date, "最近一次突出危险性鉴定日期"),
            FieldDef::repeat(
                "hazards",
                "隐患整改情况",
                vec![
                    FieldDef::new("what", K::Text, "隐患内容"),
                    FieldDef::new("fixed", K::Date, "整改完成日期"),
                ],
            ),
            FieldDef::new("remarks", K::Text, "备注"),
        ],
    }
}

fn record() -> FormRecord {
    let mut values = BTreeMap::new();
    let mut put = |k: &str, v: Value| {
        values.insert(k.to_owned(), v);
    };
    put("name", Value::Text("麒麟区东山煤矿".into()));
    put("unit", Value::Text(unit().0.clone()));
    put("ownership", Value::Choices(vec!["private".into()]));
    put("capacity", Value::Decimal(45.0));
    put("group", Value::Choices(vec!["keep".into()]));
    // Kept from before the group changed: not relevant now, so not printed.
    put("merge_group", Value::Text("第三组".into()));
    put("in_enhong", Value::Flag(true));
    put("needs_assessment", Value::Flag(true));
    put("assessed", Value::Date("2020-05-18".into()));
    put(
        "hazards[0]/what",
        Value::Text("主斜井皮带机保护装置失效".into()),
    );
    put("hazards[0]/fixed", Value::Date("2020-06-01".into()));
    put("hazards[2]/what", Value::Text("采空区密闭墙漏风".into()));
    FormRecord {
        id: 1207,
        form: FORM.into(),
        form_version: "1.0.0".into(),
        values,
        draft: false,
        deleted: false,
        author: "李华".into(),
        created_at: "2020-09-01T10:15:00+08:00".into(),
        updated_at: "2020-10-12T16:40:00+08:00".into(),
        revision: 3,
    }
}

/// A unit of the demo directory: (id, name).
fn unit() -> (String, String) {
    let u = &demo().units.units()[3];
    (u.id.clone(), u.name.clone())
}

fn sheet(form: &FormDef, record: Option<&FormRecord>) -> Result<Document, PrintError> {
    form_sheet(
        fonts(),
        &FormSheetSpec {
            form,
            record,
            units: &demo().units,
            today: NaiveDate::from_ymd_opt(2020, 11, 20).unwrap(),
            chinese_date: false,
        },
    )
}

/// The document's text in drawing order (a cell's lines together), whitespace squashed;
/// and the words of its PDF with their boxes, after checking that the PDF's text holds
/// every character the document draws (a wrapped label interleaves with its neighbour's
/// lines in pdftotext's reading order, so the order is checked on the model).
fn pdf_text(doc: &Document) -> (String, Vec<Word>) {
    let pdf = render_pdf(doc, fonts(), &options()).unwrap();
    let (_dir, path) = write_temp("form.pdf", &pdf);
    let text = squash(&poppler("pdftotext", &[path_str(&path), "-"]));
    let model = squash(&doc.plain_text());
    let mut want: Vec<char> = model.chars().collect();
    let mut got: Vec<char> = text.chars().collect();
    want.sort_unstable();
    got.sort_unstable();
    assert_eq!(want, got, "the PDF's text is the document's");
    (model, bbox_words(&path))
}

fn in_type_area(words: &[Word]) {
    let s = PageSetup::PORTRAIT;
    let tol = 0.6;
    for w in words.iter().filter(|w| w.y_min < s.bottom()) {
        assert!((w.page_w - 210.0).abs() < 0.5, "{w:?}");
        assert!(
            w.x_min >= s.left - tol && w.x_max <= s.right() + tol,
            "{w:?}"
        );
        assert!(w.y_min >= s.top - tol, "{w:?}");
        assert!(w.y_max <= s.bottom() + tol, "{w:?}");
    }
}

#[test]
fn a_blank_form_offers_every_field_and_choice_to_fill_in_by_hand() {
    let doc = sheet(&form(), None).unwrap();
    let (text, words) = pdf_text(&doc);
    assert!(text.contains("煤矿台账登记表"), "{text}");
    assert!(text.contains("填报单位（盖章）："), "{text}");
    assert!(text.contains("填报日期：年月日"), "{text}");
    assert!(
        text.contains("按实施方案登记全区煤矿，一矿一条。"),
        "{text}"
    );
    for label in [
        "煤矿名称",
        "监管部门",
        "核定（设计）产能（万吨/年）",
        "整合重组组别",
        "最近一次突出危险性鉴定日期",
        "备注",
    ] {
        assert!(text.contains(label), "{label} missing:\n{text}");
    }
    // Every choice to tick, none ticked; yes/no too.
    assert!(text.contains("□国有□省属□民营"), "{text}");
    assert!(text.contains("□是□否"), "{text}");
    assert!(!text.contains(CHOSEN), "{text}");
    // Full-width boxes, from the 宋 face (the bundled 仿宋's are small Latin-style ones).
    let boxes: Vec<_> = doc
        .pages
        .iter()
        .flat_map(|p| p.texts())
        .filter(|t| t.text.contains(NOT_CHOSEN))
        .collect();
    assert!(boxes.len() >= 7, "{boxes:?}");
    for t in boxes {
        assert_eq!(doc.faces[t.face].role, FontRole::Song, "{t:?}");
        assert!(fonts().faces()[t.face].advance_em(NOT_CHOSEN) > 0.9);
    }
    // The hint printed under its field; what the desk calculates is not asked for.
    assert!(text.contains("注：“两个清单”"), "{text}");
    assert!(!text.contains("需开展突出危险性鉴定"), "{text}");
    // The repeat group as its own table with numbered empty rows.
    assert!(text.contains("隐患整改情况"), "{text}");
    assert!(text.contains("序号隐患内容整改完成日期"), "{text}");
    let repeat_rows = doc
        .marks
        .iter()
        .filter(|m| m.key.starts_with("row:hazards["))
        .count();
    assert_eq!(repeat_rows, BLANK_REPEAT_ROWS);
    // Room to write: a free-text field's row is two lines tall, a choice's one.
    let height = |key: &str| doc.marks_of(key).map(|m| m.bottom - m.top).sum::<f32>();
    assert!(
        height("field:name") > 1.6 * height("field:ownership"),
        "{} vs {}",
        height("field:name"),
        height("field:ownership")
    );
    assert!(
        height("field:ownership") >= 10.0,
        "rows high enough to write in"
    );
    assert!(text.contains("填表人：审核人：联系电话："), "{text}");
    assert!(!text.contains("打印日期"), "{text}");
    in_type_area(&words);
    // GB/T 9704 page numbers on every page.
    for (i, p) in doc.pages.iter().enumerate() {
        assert_eq!(p.number, Some(i as u32 + 1));
        assert!(p.texts().any(|t| t.kind == RunKind::Folio));
    }
}

#[test]
fn a_filled_form_states_the_record_as_stored() {
    let r = record();
    let doc = sheet(&form(), Some(&r)).unwrap();
    let (text, words) = pdf_text(&doc);
    assert!(text.contains("煤矿台账登记表"), "{text}");
    assert!(text.contains("记录编号：1207"), "{text}");
    assert!(text.contains("录入：李华2020年9月1日"), "{text}");
    assert!(text.contains("第3版，修改于2020年10月12日"), "{text}");
    assert!(text.contains("麒麟区东山煤矿"), "{text}");
    // A unit field prints the unit's name, not its id.
    let (id, name) = unit();
    assert!(text.contains(&squash(&name)), "{name} missing:\n{text}");
    assert!(!text.contains(&format!("监管部门{id}")), "{text}");
    // The chosen choice marked among the others.
    assert!(
        text.contains(&format!("{NOT_CHOSEN}国有{NOT_CHOSEN}省属{CHOSEN}民营")),
        "{text}"
    );
    assert!(
        text.contains(&format!("{CHOSEN}是{NOT_CHOSEN}否")),
        "{text}"
    );
    assert!(text.contains("45"), "{text}");
    // A field the record's answers make irrelevant says so and does not print the old value.
    assert!(text.contains("整合重组组别（不适用）"), "{text}");
    assert!(!text.contains("第三组"), "{text}");
    // The calculated value as stored.
    assert!(text.contains("需开展突出危险性鉴定是"), "{text}");
    // Dates as the documents write them.
    assert!(
        text.contains("最近一次突出危险性鉴定日期2020年5月18日"),
        "{text}"
    );
    // The repeat group's rows as entered, numbered 1, 2 (not by their storage index).
    assert!(
        text.contains("1主斜井皮带机保护装置失效2020年6月1日"),
        "{text}"
    );
    assert!(text.contains("2采空区密闭墙漏风"), "{text}");
    assert_eq!(
        doc.marks
            .iter()
            .filter(|m| m.key.starts_with("row:hazards["))
            .count(),
        2
    );
    assert!(text.contains("打印日期：2020年11月20日"), "{text}");
    // Hints are for filling in; a filled sheet has no hints and no blank date parts.
    assert!(!text.contains("注：“两个清单”"), "{text}");
    assert!(!text.contains(DRAFT_RECORD), "{text}");
    in_type_area(&words);
}

#[test]
fn a_draft_record_is_marked_and_a_deleted_or_foreign_one_refused() {
    let mut r = record();
    r.draft = true;
    let doc = sheet(&form(), Some(&r)).unwrap();
    assert!(squash(&doc.plain_text()).contains(DRAFT_RECORD));

    r.draft = false;
    r.deleted = true;
    let err = sheet(&form(), Some(&r)).unwrap_err();
    assert!(matches!(err, PrintError::DeletedRecord(1207)), "{err}");
    assert!(err.to_string().contains("已删除"), "{err}");

    let mut other = record();
    other.form = "fire/units".into();
    let err = sheet(&form(), Some(&other)).unwrap_err();
    assert!(
        matches!(err, PrintError::WrongForm { record: 1207, .. }),
        "{err}"
    );
}

#[test]
fn a_record_without_rows_says_so_and_long_values_wrap_inside_their_cell() {
    let mut r = record();
    r.values.retain(|k, _| !k.starts_with("hazards["));
    let long = "井下采掘工作面".repeat(30);
    r.values.insert("remarks".into(), Value::Text(long.clone()));
    let doc = sheet(&form(), Some(&r)).unwrap();
    let (text, words) = pdf_text(&doc);
    assert!(text.contains("（无）"), "{text}");
    assert!(text.contains(&long), "the whole value, wrapped:\n{text}");
    in_type_area(&words);
}

#[test]
fn the_title_names_a_registration_sheet_once() {
    let mut f = form();
    assert_eq!(form_sheet_title(&f), "煤矿台账登记表");
    f.title = "重大危险源登记表".into();
    assert_eq!(form_sheet_title(&f), "重大危险源登记表");
}

/// However many fields fill the pages, the signature lines stand under the table's last
/// row, never alone on a page; the same for a form ending with a repeat group.
#[test]
fn the_signature_lines_never_stand_alone_on_a_page() {
    for n in 10..40 {
        for ends_with_group in [false, true] {
            let mut f = form();
            f.fields.retain(|x| !matches!(x.kind, K::Repeat { .. }));
            for i in 0..n {
                f.fields.push(FieldDef::new(
                    &format!("extra{i}"),
                    K::Integer,
                    "附加数字项",
                ));
            }
            if ends_with_group {
                f.fields.push(FieldDef::repeat(
                    "hazards",
                    "隐患整改情况",
                    vec![FieldDef::new("what", K::Text, "隐患内容")],
                ));
            }
            for record in [None, Some(record())] {
                let doc = sheet(&f, record.as_ref()).unwrap();
                let sign = doc
                    .pages
                    .iter()
                    .position(|p| p.texts().any(|t| t.text.starts_with("填表人")))
                    .expect("the signature line");
                let rows_there = doc
                    .marks
                    .iter()
                    .filter(|m| {
                        let row = m.key.starts_with("field:") || m.key.starts_with("row:");
                        m.page == sign && row
                    })
                    .count();
                assert!(
                    rows_there > 0,
                    "{n} extra fields, group {ends_with_group}, filled {}: page {} holds only the signature lines",
                    record.is_some(),
                    sign + 1
                );
            }
        }
    }
}
