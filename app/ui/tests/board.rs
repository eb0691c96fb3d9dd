//! 看板 in the window: the units against their tasks' statuses with a light each, sortable by
//! a column; the status counts at each month's end, from the progress history — on the day
//! shown they are the task table's counts, and an entry moves the month it is dated in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_core::board::Light;
use anwei_core::{Command, Status};
use anwei_ui::Action;
use chrono::NaiveDate;
use egui_kittest::kittest::Queryable;

fn counts(rows: &[anwei_core::TaskRow]) -> [usize; 5] {
    let mut c = [0; 5];
    for r in rows {
        if let Some(i) = Status::ALL.iter().position(|s| *s == r.status) {
            c[i] += 1;
        }
    }
    c
}

#[test]
fn the_board_lights_each_unit_and_the_trend_ends_on_the_tables_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "看板");
    assert!(h.query_by_label("看板（截至 2020-09-01）").is_some());
    let board = h.state().board_state().unwrap().board().unwrap().to_vec();
    assert!(!board.is_empty());
    // The most overdue unit first, lit red, and shown.
    let first = &board[0];
    assert!(first.count(Status::Overdue) > 0);
    assert_eq!(first.light(), Light::Red);
    assert!(h.query_by_label(&first.unit).is_some());
    assert!(
        board
            .windows(2)
            .all(|w| w[0].count(Status::Overdue) >= w[1].count(Status::Overdue))
    );
    // Month ends April to August 2020, then the day shown; its counts are the table's.
    let trend = h.state().board_state().unwrap().trend();
    let days: Vec<String> = trend.iter().map(|(d, _)| d.to_string()).collect();
    assert_eq!(
        days,
        [
            "2020-04-30",
            "2020-05-31",
            "2020-06-30",
            "2020-07-31",
            "2020-08-31",
            "2020-09-01"
        ]
    );
    let model = h.state().model().unwrap();
    assert_eq!(trend.last().unwrap().1, counts(&model.rows));
    let done = Status::ALL.iter().position(|s| *s == Status::Done).unwrap();
    let june_done = trend[2].1[done];

    // A task done on 2020-06-15: June's count and the sorted board follow.
    let task = model
        .rows
        .iter()
        .find(|r| r.status != Status::Done && !r.lead_units.is_empty())
        .unwrap()
        .clone();
    h.state_mut()
        .apply_actions(vec![Action::apply(Command::AddProgress {
            task: task.id.clone(),
            date: NaiveDate::from_ymd_opt(2020, 6, 15).unwrap(),
            text: "已完成".into(),
            percent: None,
            done: true,
            attach: Vec::new(),
            milestone: None,
        })]);
    h.run();
    let trend = h.state().board_state().unwrap().trend();
    assert_eq!(trend[2].1[done], june_done + 1);
    assert_eq!(trend[1].1[done], 0, "not yet in May");
    // The column header (the trend's legend says 已完成 too).
    h.get_all_by_label("已完成").next().unwrap().click();
    h.run();
    let board = h.state().board_state().unwrap().board().unwrap();
    assert!(board[0].count(Status::Done) >= 1);
    assert!(
        board
            .windows(2)
            .all(|w| w[0].count(Status::Done) >= w[1].count(Status::Done))
    );
}
