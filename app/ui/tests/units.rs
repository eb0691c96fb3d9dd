//! Renaming a unit through the UI renames it in the task table.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_ui::DeskApp;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// Clicks the "新增单位" button (a heading has the same words).
fn add_unit(h: &mut Harness<'static, DeskApp>) {
    h.get_by_role_and_label(Role::Button, "新增单位").click();
    h.run();
}

#[test]
fn rename_shows_in_the_task_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "任务");
    common::set_field(&mut h, "筛选单位", "区应急管理局");
    let count = common::shown_count(&h);
    assert!(h.query_all_by_label_contains("区应急管理局").count() > 0);

    common::open_tab(&mut h, "单位");
    common::set_field(&mut h, "查找单位", "区应急管理局");
    h.get_by_label("区应急管理局").click();
    h.run();
    assert_eq!(
        h.get_by_label("单位名称").value().as_deref(),
        Some("区应急管理局")
    );
    common::set_field(&mut h, "单位名称", "区应急管理委员会办公室");
    common::click(&mut h, "保存单位");
    let status = h.state().status().text();
    assert!(status.starts_with("已保存 "), "{status}");

    common::open_tab(&mut h, "任务");
    // The old name still finds the unit (it became an alias) …
    assert_eq!(common::shown_count(&h), count);
    // … and the table shows the new name only.
    assert!(
        h.query_all_by_label_contains("区应急管理委员会办公室")
            .count()
            > 0
    );
    assert_eq!(h.query_all_by_label_contains("区应急管理局").count(), 0);
    let unit = h
        .state()
        .store()
        .unwrap()
        .resolve_unit("区应急管理局")
        .unwrap()
        .unwrap();
    assert_eq!(unit.name, "区应急管理委员会办公室");
}

#[test]
fn a_refused_new_unit_keeps_what_was_typed_and_says_why_in_the_units_panel() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    let units_before = h.state().model().unwrap().units.units().len();
    common::open_tab(&mut h, "单位");
    // The name already belongs to a unit: the store refuses the new one.
    common::set_field(&mut h, "新单位名称", "区应急管理局");
    common::set_field(&mut h, "新单位别名", "应急局新");
    add_unit(&mut h);

    let status = h.state().status().clone();
    assert!(status.is_error(), "{status:?}");
    assert!(status.text().starts_with("未保存："), "{}", status.text());
    assert!(
        h.query_all_by_label_contains("已属于单位").count() >= 2,
        "the status line and the units panel say why"
    );
    assert_eq!(
        h.get_by_label("新单位名称").value().as_deref(),
        Some("区应急管理局")
    );
    assert_eq!(
        h.get_by_label("新单位别名").value().as_deref(),
        Some("应急局新")
    );
    assert_eq!(
        h.state()
            .store()
            .unwrap()
            .unit_directory()
            .unwrap()
            .units()
            .len(),
        units_before
    );

    // Corrected, it is saved: the form empties and the message goes.
    common::set_field(&mut h, "新单位名称", "区应急指挥中心");
    add_unit(&mut h);
    assert!(h.state().status().text().starts_with("已保存 "));
    assert_eq!(h.get_by_label("新单位名称").value().as_deref(), Some(""));
    assert_eq!(h.query_all_by_label_contains("已属于单位").count(), 0);
    assert!(
        h.state()
            .store()
            .unwrap()
            .resolve_unit("应急局新")
            .unwrap()
            .is_some()
    );
}

#[test]
fn a_refused_rename_keeps_the_typed_name_in_the_unit_editor() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "单位");
    common::set_field(&mut h, "查找单位", "区应急管理局");
    h.get_by_label("区应急管理局").click();
    h.run();
    // Another unit's name: refused.
    common::set_field(&mut h, "单位名称", "区公安分局");
    common::click(&mut h, "保存单位");
    assert!(h.state().status().is_error(), "{:?}", h.state().status());
    assert_eq!(
        h.get_by_label("单位名称").value().as_deref(),
        Some("区公安分局")
    );
    assert!(
        h.query_all_by_label_contains("未保存：").count() >= 2,
        "the status line and the unit editor"
    );
    let unit = h
        .state()
        .store()
        .unwrap()
        .resolve_unit("区应急管理局")
        .unwrap()
        .unwrap();
    assert_eq!(unit.name, "区应急管理局");
}
