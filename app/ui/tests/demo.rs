//! 演示数据 in the window: an empty data folder opened as the window opens it gets the demo
//! campaigns with marked demo progress and submissions (a mix of statuses on the board, a
//! 季报 on the 报送 tab), said on 总览 with a button that takes them all out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_core::Status;
use anwei_ui::DeskApp;
use egui_kittest::kittest::Queryable;

#[test]
fn the_demo_looks_in_use_says_so_and_is_removed_in_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = DeskApp::open_with_demo_activity(dir.path(), "测试员");
    app.set_today(chrono::NaiveDate::from_ymd_opt(2022, 12, 31).unwrap());
    app.set_look(
        anwei_ui::prefs::Theme::Light,
        anwei_ui::prefs::TextSize::Small,
    );
    app.wait_for_plugins();
    let mut h = common::harness(app);
    h.run();
    let count = |h: &egui_kittest::Harness<'static, DeskApp>, s: Status| {
        h.state()
            .model()
            .unwrap()
            .rows
            .iter()
            .filter(|r| r.status == s)
            .count()
    };
    let done = count(&h, Status::Done);
    assert!(done > 0, "demo progress marks some tasks done");
    // The sector plans, imported by the plugins after the demo was added, have theirs too.
    let coal_done = h
        .state()
        .model()
        .unwrap()
        .rows
        .iter()
        .filter(|r| r.plan == "coal-mining" && r.status == Status::Done)
        .count();
    assert!(coal_done > 0, "the coal plan's tasks have demo progress");
    assert!(count(&h, Status::Overdue) > 0, "and leaves others overdue");
    let model = h.state().model().unwrap();
    assert!(!model.settings.demo_data.is_empty());
    assert!(!model.filings.is_empty(), "the demo's 季报 is owed");
    // Said plainly on 总览.
    common::open_tab(&mut h, "总览");
    assert!(h.query_by_label_contains("本数据目录含演示数据").is_some());
    // The 看板 counts the mix.
    common::open_tab(&mut h, "看板");
    let board_done: usize = h
        .state()
        .board_state()
        .unwrap()
        .board()
        .unwrap()
        .iter()
        .map(|u| u.count(Status::Done))
        .sum();
    assert!(board_done > 0);
    // The 报送 tab rates the units.
    common::open_tab(&mut h, "报送");
    assert!(h.query_all_by_label_contains("按时率 ").count() > 1);
    // One step takes it all out.
    common::open_tab(&mut h, "总览");
    common::click(&mut h, "移除演示数据");
    assert!(h.query_by_label_contains("本数据目录含演示数据").is_none());
    let model = h.state().model().unwrap();
    assert!(model.settings.demo_data.is_empty());
    assert!(model.submissions.is_empty());
    assert!(model.settings.reporting.office_reports.is_empty());
    assert_eq!(count(&h, Status::Done), 0);
}
