//! Filters change the row count shown; sorting by 完成时间 changes the order.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_core::Status;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;

#[test]
fn status_filter_changes_the_count() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let overdue = app
        .model()
        .unwrap()
        .rows
        .iter()
        .filter(|r| r.status == Status::Overdue)
        .count();
    assert!(overdue > 0 && overdue < 233, "{overdue}");
    let mut h = common::harness(app);
    common::open_tab(&mut h, "任务");
    assert_eq!(
        common::shown_count(&h),
        233,
        "the 麒麟区 campaign: 35 tasks of its two 专题 + 198 of the ten built-in sector plans"
    );
    h.get_by_role_and_label(Role::ComboBox, "状态").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "逾期").click();
    h.run();
    assert_eq!(common::shown_count(&h), overdue);
    common::click(&mut h, "清除筛选");
    assert_eq!(
        common::shown_count(&h),
        233,
        "the 麒麟区 campaign: 35 tasks of its two 专题 + 198 of the ten built-in sector plans"
    );
}

#[test]
fn unit_filter_resolves_aliases() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let (expected, id) = {
        let m = app.model().unwrap();
        let id = m.units.resolve("区应急管理局").unwrap().id.clone();
        (
            m.rows.iter().filter(|r| r.unit_ids.contains(&id)).count(),
            id,
        )
    };
    assert!(expected > 0 && expected < 92, "{expected} tasks of {id}");
    let mut h = common::harness(app);
    common::open_tab(&mut h, "任务");
    // An alias that is not part of the canonical name "区应急管理局": only alias resolution
    // finds the unit's tasks.
    common::set_field(&mut h, "筛选单位", "区应急局");
    assert_eq!(common::shown_count(&h), expected);
    common::set_field(&mut h, "筛选单位", "没有这个单位");
    assert_eq!(common::shown_count(&h), 0);
}

#[test]
fn sorting_by_deadline_changes_the_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "任务");
    let dues = |h: &egui_kittest::Harness<'static, anwei_ui::DeskApp>| {
        let app = h.state();
        let m = app.model().unwrap();
        app.tasks_state()
            .unwrap()
            .visible()
            .iter()
            .map(|&i| m.rows[i].due)
            .collect::<Vec<_>>()
    };
    let document = dues(&h);
    assert!(!document.is_sorted(), "document order is not by deadline");
    let first_before = h.state().tasks_state().unwrap().visible()[0];

    h.get_by_label("完成时间").click();
    h.run();
    let ascending = dues(&h);
    assert!(ascending.is_sorted());
    assert_ne!(h.state().tasks_state().unwrap().visible()[0], first_before);
    assert!(h.query_by_label("完成时间 ↑").is_some(), "arrow shown");

    h.get_by_label("完成时间 ↑").click();
    h.run();
    let descending = dues(&h);
    assert!(descending.iter().rev().is_sorted());
    assert!(h.query_by_label("完成时间 ↓").is_some());
}
