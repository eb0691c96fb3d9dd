//! Renaming a unit through the UI renames it in the task table.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use egui_kittest::kittest::Queryable;

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
