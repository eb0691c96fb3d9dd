//! 时间轴 in the window: a plan's own phases by their names, the day shown, every task of the
//! filter on the axis with its deadline, interim milestones and the day it was reported done.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_core::{Command, Status};
use anwei_ui::Action;
use chrono::NaiveDate;
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};

#[test]
fn the_timeline_shows_a_plans_own_phases_its_tasks_and_the_day_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "时间轴");
    assert!(h.query_by_label("截至 2020-09-01").is_some());
    let all = h.state().model().unwrap().rows.len();
    assert!(h.query_by_label(&format!("共 {all} 项任务")).is_some());
    // 附件10 alone: its four phases by their own names, its 24 tasks.
    h.get_by_role_and_label(Role::ComboBox, "方案").click();
    h.run();
    let id = h
        .query_all_by_label_contains("附件10 工业园区安全生产专项整治三年行动实施方案")
        .rfind(|n| n.accesskit_node().role() != Role::Label)
        .unwrap()
        .accesskit_node()
        .id();
    h.get_by(|n| n.id() == id).scroll_to_me();
    h.run();
    h.get_by(|n| n.id() == id).click();
    h.run();
    for phase in ["组织动员", "部署实施", "深化推进", "评估提高"] {
        assert!(h.query_by_label(phase).is_some(), "{phase}");
    }
    assert!(h.query_by_label("共 24 项任务").is_some());
    // A task with an interim milestone and a deadline: both on its line; done, its day too.
    let (task, milestones) = {
        let model = h.state().model().unwrap();
        let state = h.state().timeline_state().unwrap();
        let shown = state.tasks(model);
        assert_eq!(shown.len(), 24);
        let t = shown.iter().find(|t| !t.milestones.is_empty()).unwrap();
        (t.row.id.clone(), t.milestones.clone())
    };
    assert_eq!(milestones.len(), 1);
    h.state_mut()
        .apply_actions(vec![Action::apply(Command::AddProgress {
            task: task.clone(),
            date: NaiveDate::from_ymd_opt(2020, 8, 20).unwrap(),
            text: "已完成".into(),
            percent: None,
            done: true,
            attach: Vec::new(),
            milestone: None,
        })]);
    h.run();
    let model = h.state().model().unwrap();
    let shown = h.state().timeline_state().unwrap().tasks(model);
    let t = shown.iter().find(|t| t.row.id == task).unwrap();
    assert_eq!(t.row.status, Status::Done);
    assert_eq!(t.done_on, NaiveDate::from_ymd_opt(2020, 8, 20));
    // By unit: the tasks naming it in any role.
    common::set_field(&mut h, "单位筛选", "麒麟工业园区");
    let model = h.state().model().unwrap();
    let n = h.state().timeline_state().unwrap().tasks(model).len();
    assert!(n > 0 && n <= 24);
    assert!(h.query_by_label(&format!("共 {n} 项任务")).is_some());
}

/// A deadline moved in the task's detail: the history shows it, the timeline ends the task's
/// line on the new date and keeps the written one in sight.
#[test]
fn a_deadline_moved_in_the_detail_is_kept_and_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    let (id, title, written) = {
        let model = h.state().model().unwrap();
        let r = model
            .rows
            .iter()
            .find(|r| {
                r.plan == "topic-1"
                    && r.deadline.is_some()
                    && model.task(&r.id).unwrap().interim_milestones().is_empty()
            })
            .unwrap();
        (
            r.id.clone(),
            r.title.clone(),
            r.deadline.as_ref().unwrap().date,
        )
    };
    h.state_mut()
        .apply_actions(vec![anwei_ui::Action::OpenTask(id.clone())]);
    h.run();
    assert!(h.query_all_by_label_contains(&title).next().is_some());
    h.get_by_label("调整完成时间").click();
    h.run();
    common::set_field(&mut h, "新的完成时间", "2021-03-31");
    common::set_field(&mut h, "调整理由", "市里统一部署推迟");
    h.get_by_label("调整").click();
    h.run();
    common::wait_for_writes(&mut h);
    assert!(
        h.query_by_label("2020-09-01 起改为 2021-03-31（市里统一部署推迟）")
            .is_some()
    );
    let model = h.state().model().unwrap();
    let row = model.row(&id).unwrap();
    assert_eq!(row.due, NaiveDate::from_ymd_opt(2021, 3, 31).unwrap());
    assert_eq!(row.adjusted.as_ref().unwrap().reason, "市里统一部署推迟");
    assert_eq!(row.deadline.as_ref().unwrap().date, written);
    let shown = anwei_ui::panels::TimelineState::default().tasks(model);
    let t = shown.iter().find(|t| t.row.id == id).unwrap();
    assert_eq!(t.adjusted, NaiveDate::from_ymd_opt(2021, 3, 31));
    assert_eq!(t.deadline, Some(written));
    assert_eq!(t.end, NaiveDate::from_ymd_opt(2021, 3, 31).unwrap());
}
