//! 今日待办 in the window: the list of what is past or near its date (from the same rows as
//! the task table and the same evaluations as 指标), grouped by unit or by plan, each item
//! opening its task or target; the two legends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_core::Status;
use anwei_ui::Tab;
use egui_kittest::kittest::Queryable;

#[test]
fn today_lists_the_late_and_near_by_unit_and_opens_an_item() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    h.run();
    let model = h.state().model().unwrap();
    let late = model
        .rows
        .iter()
        .filter(|r| r.status == Status::Overdue)
        .count();
    let near = model
        .rows
        .iter()
        .filter(|r| r.status == Status::DueSoon)
        .count();
    assert!(late > 0, "on 2020-09-01 some tasks are overdue");
    let first = model
        .todos
        .iter()
        .find(|t| !t.kind.is_target())
        .unwrap()
        .clone();
    common::open_tab(&mut h, "今日待办");
    assert!(h.query_by_label("今日待办（截至 2020-09-01）").is_some());
    assert!(
        h.query_by_label_contains(&format!("逾期 {late} 项，临期 {near} 项"))
            .is_some()
    );
    // Both legends, each labelled.
    assert!(h.query_by_label("时限：").is_some());
    assert!(h.query_by_label("指标风险：").is_some());
    // Grouped by unit: the most urgent task's unit heads a group.
    let unit = first
        .units
        .first()
        .cloned()
        .unwrap_or("（未列单位）".into());
    assert!(h.query_by_label_contains(&format!("{unit}（")).is_some());
    // By plan: the plans' captions head the groups.
    h.get_by_label("按方案").click();
    h.run();
    let caption =
        anwei_ui::DeskModel::plan_caption(h.state().model().unwrap().plan(&first.plan).unwrap());
    assert!(h.query_by_label_contains(&format!("{caption}（")).is_some());
    // An item opens its task.
    let title = format!("{} {}", first.label, first.title);
    h.get_all_by_label(&title).next().unwrap().click();
    h.run();
    assert_eq!(h.state().tab(), Some(Tab::Tasks));
    assert_eq!(h.state().open_task(), Some(first.id.as_str()));
}
