#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A 督办通知书 states only what the data supports on its date: no notice for a done task,
//! the recipient addressed by its role in the task, a new deadline after the 成文日期 and a
//! number of the date's year, the progress reported said as it is.

mod common;

use anwei_core::notice::NoticeRefusal;
use anwei_core::{Role, Status, TaskRow};
use anwei_print::{Document, NoticeSpec, PrintData, PrintError, supervision_notice};
use chrono::NaiveDate;
use common::*;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Reform task 12 (due 2018) is overdue on the demo's day, 2020-11-20.
fn overdue_row() -> &'static TaskRow {
    demo()
        .rows
        .iter()
        .find(|r| r.plan == "reform" && r.order == 12)
        .unwrap()
}

fn spec(task: &str, recipient: Option<&str>) -> NoticeSpec {
    NoticeSpec {
        task_id: task.to_owned(),
        doc_number: Some((2020, 3)),
        doc_prefix: "麒安委办督".into(),
        issuing_office: "曲靖市麒麟区安全生产委员会办公室".into(),
        recipient_unit: recipient.map(str::to_owned),
        new_deadline: date("2020-12-05"),
        required_action: "立即研究部署".into(),
        contact: String::new(),
        date: demo().today,
        chinese_date: false,
        copy_to: Vec::new(),
    }
}

/// The notice's text, one string without spaces.
fn text(doc: &Document) -> String {
    squash(&doc.plain_text())
}

/// The demo's print data with `row` changed by `edit`.
fn with_row(edit: impl Fn(&mut TaskRow)) -> Vec<TaskRow> {
    let mut rows = demo().rows.clone();
    let row = rows.iter_mut().find(|r| r.id == overdue_row().id).unwrap();
    edit(row);
    rows
}

fn data(rows: &[TaskRow]) -> PrintData<'_> {
    PrintData {
        rows,
        ..demo().print_data()
    }
}

#[test]
fn a_done_task_gets_no_notice() {
    let rows = with_row(|r| r.status = Status::Done);
    let err =
        supervision_notice(&data(&rows), fonts(), &spec(&overdue_row().id, None)).unwrap_err();
    assert!(
        matches!(err, PrintError::Refused(NoticeRefusal::Done { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("已完成"), "{err}");
}

#[test]
fn a_new_deadline_not_after_the_date_or_a_number_of_another_year_is_refused() {
    let row = overdue_row();
    for past in ["2020-11-20", "2019-06-30"] {
        let mut s = spec(&row.id, None);
        s.new_deadline = date(past);
        let err = supervision_notice(&demo().print_data(), fonts(), &s).unwrap_err();
        assert!(
            matches!(
                err,
                PrintError::Refused(NoticeRefusal::DeadlineNotAfter { .. })
            ),
            "{err:?}"
        );
    }
    let mut s = spec(&row.id, None);
    s.doc_number = Some((2026, 1));
    let err = supervision_notice(&demo().print_data(), fonts(), &s).unwrap_err();
    assert!(
        matches!(
            err,
            PrintError::Refused(NoticeRefusal::YearNotOfDate { .. })
        ),
        "{err:?}"
    );
}

#[test]
fn the_recipient_is_addressed_by_its_role_in_the_task() {
    let d = demo();
    // A task with a lead unit and a unit of another role.
    let (task, other, role) = d
        .data
        .tasks
        .iter()
        .find_map(|t| {
            t.roles.iter().find(|r| r.role == Role::Lead)?;
            let other = t.roles.iter().find(|r| {
                r.role != Role::Lead
                    && !t
                        .roles
                        .iter()
                        .any(|x| x.role == Role::Lead && x.unit == r.unit)
            })?;
            Some((t, d.units.name_of(&other.unit).to_owned(), other.role))
        })
        .expect("a task with a lead and another unit");
    let lead = task
        .roles
        .iter()
        .find(|r| r.role == Role::Lead)
        .map(|r| d.units.name_of(&r.unit).to_owned())
        .unwrap();
    let say = |recipient: &str| {
        text(
            &supervision_notice(&d.print_data(), fonts(), &spec(&task.id, Some(recipient)))
                .unwrap(),
        )
    };
    let to_lead = say(&lead);
    assert!(
        to_lead.contains(&format!("{lead}：你单位牵头负责的")),
        "{to_lead}"
    );

    let to_other = say(&other);
    let wording = match role {
        Role::Responsible => "你单位负责的",
        _ => "你单位参与配合的",
    };
    assert!(
        to_other.contains(&format!("{other}：{wording}")),
        "{to_other}"
    );
    assert!(!to_other.contains("你单位牵头负责"), "{to_other}");

    // A unit with no role in the task: the lead is named as the one responsible.
    let outsider = d
        .units
        .units()
        .iter()
        .find(|u| !task.roles.iter().any(|r| r.unit == u.id))
        .map(|u| u.name.clone())
        .unwrap();
    let to_outsider = say(&outsider);
    assert!(
        to_outsider.contains(&format!("{outsider}：由{lead}牵头负责的")),
        "{to_outsider}"
    );
    assert!(!to_outsider.contains("你单位牵头负责"), "{to_outsider}");
}

#[test]
fn the_situation_says_how_late_and_what_progress_was_reported() {
    let row = overdue_row();
    let late = (demo().today - row.due).num_days();
    let none =
        text(&supervision_notice(&demo().print_data(), fonts(), &spec(&row.id, None)).unwrap());
    assert!(
        none.contains(&format!(
            "截至2020年11月20日，该项任务尚未完成，未报送任何进展，已逾期{late}天。"
        )),
        "{none}"
    );
    let rows = with_row(|r| {
        r.progress_entries = 2;
        r.percent = Some(60);
        r.status = Status::Overdue;
    });
    let some = text(&supervision_notice(&data(&rows), fonts(), &spec(&row.id, None)).unwrap());
    assert!(some.contains("已报送进展2次、完成60%"), "{some}");
    assert!(!some.contains("未报送任何进展"), "{some}");
}
