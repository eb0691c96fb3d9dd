//! 搜索 (Ctrl+K): one field over tasks, progress text, units (any spelling), targets and
//! issued notices; a hit opens its item.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_core::Command;
use anwei_ui::panels::{Hit, search};
use anwei_ui::{Action, Tab};
use chrono::NaiveDate;
use egui_kittest::kittest::Queryable;

#[test]
fn ctrl_k_finds_tasks_progress_units_and_targets_and_opens_a_task() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    let task = h.state().model().unwrap().rows[3].clone();
    h.state_mut()
        .apply_actions(vec![Action::apply(Command::AddProgress {
            task: task.id.clone(),
            date: NaiveDate::from_ymd_opt(2020, 8, 1).unwrap(),
            text: "已召开部署会暨培训班第三期".into(),
            percent: Some(30),
            done: false,
            attach: Vec::new(),
            milestone: None,
        })]);
    h.run();
    // The search itself, by kind.
    let model = h.state().model().unwrap();
    let hits = search(model, "培训班第三期");
    assert_eq!(hits.len(), 1);
    assert!(matches!(&hits[0], Hit::Progress { task: t, .. } if *t == task.id));
    let alias = search(model, "区住房城乡建设局");
    assert!(
        alias
            .iter()
            .any(|h| matches!(h, Hit::Unit { name, .. } if name == "区住建局"))
    );
    let target = &model.targets[0];
    assert!(
        search(model, &target.name)
            .iter()
            .any(|h| matches!(h, Hit::Target { id, .. } if *id == target.id))
    );
    assert!(search(model, "  ").is_empty());

    // In the window: Ctrl+K, type, click the hit: the task opens.
    assert!(h.query_by_label("查找").is_none(), "closed at first");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run();
    h.get_by_label("查找").type_text("培训班第三期");
    h.run();
    assert!(h.query_by_label("找到 1 项").is_some());
    h.get_by_label_contains("已召开部署会暨培训班第三期")
        .click();
    h.run();
    assert_eq!(h.state().tab(), Some(Tab::Tasks));
    assert_eq!(h.state().open_task(), Some(task.id.as_str()));
    assert!(h.query_by_label("查找").is_none(), "the window closes");
}
