//! 今日待办: what needs doing now — tasks past or near their deadline or an interim milestone,
//! targets behind or past their checkpoints — grouped by unit or by plan, each a click away
//! from its item. Deadline colours (逾期 / 临期) and risk colours (逾期未达标 / 滞后) have
//! legends of their own.

use anwei_core::today::{Todo, TodoKind, by_plan, by_unit};
use anwei_core::{Status, TargetStatus};
use egui::{Color32, RichText, ScrollArea, Ui};

use crate::action::Action;
use crate::model::DeskModel;
use crate::panels::targets::target_status_color;
use crate::widgets::status_color;

/// How the list is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grouping {
    #[default]
    ByUnit,
    ByPlan,
}

#[derive(Debug, Clone, Default)]
pub struct TodayState {
    pub grouping: Grouping,
}

/// The colour of an item's kind: the task statuses' for dates, the target statuses' for risks.
fn kind_color(kind: TodoKind) -> Color32 {
    match kind {
        TodoKind::TaskOverdue | TodoKind::MilestoneOverdue => status_color(Status::Overdue),
        TodoKind::TaskDueSoon | TodoKind::MilestoneDueSoon => status_color(Status::DueSoon),
        TodoKind::TargetOverdue => target_status_color(TargetStatus::OverdueUnmet),
        TodoKind::TargetBehind => target_status_color(TargetStatus::Behind),
        TodoKind::ReportMissing => status_color(Status::Overdue),
        TodoKind::ReportDueSoon | TodoKind::ReportReturned => status_color(Status::DueSoon),
        TodoKind::ReportToSign => status_color(Status::InProgress),
        TodoKind::SupervisionStep | TodoKind::HazardOverdue => status_color(Status::Overdue),
        TodoKind::SupervisionToCheck | TodoKind::LookbackDue => status_color(Status::InProgress),
    }
}

/// Draws the panel.
pub fn today_panel(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut TodayState,
    actions: &mut Vec<Action>,
) {
    let todos = &model.todos;
    let count = |f: fn(TodoKind) -> bool| todos.iter().filter(|t| f(t.kind)).count();
    fn task(k: TodoKind) -> bool {
        !k.is_target() && !k.is_report() && !k.is_supervision()
    }
    let overdue = count(|k| task(k) && k.is_overdue());
    let soon = count(|k| task(k) && !k.is_overdue());
    let targets = count(TodoKind::is_target);
    let reports = count(TodoKind::is_report);
    let supervision = count(TodoKind::is_supervision);
    ui.heading(format!("今日待办（截至 {}）", model.today));
    ui.label(format!(
        "逾期 {overdue} 项，临期 {soon} 项，指标逾期未达标或滞后 {targets} 项，报送待办 {reports} 项，督办待办 {supervision} 项"
    ));
    legends(ui);
    ui.horizontal(|ui| {
        ui.label("分组");
        ui.radio_value(&mut state.grouping, Grouping::ByUnit, "按单位");
        ui.radio_value(&mut state.grouping, Grouping::ByPlan, "按方案");
    });
    ui.separator();
    if todos.is_empty() {
        ui.label("没有逾期、临期的任务，也没有滞后的指标。");
        return;
    }
    ScrollArea::vertical()
        .id_salt("today-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let groups: Vec<(String, Vec<&Todo>)> = match state.grouping {
                Grouping::ByUnit => by_unit(todos),
                Grouping::ByPlan => {
                    let ids: Vec<&str> = model.plans.iter().map(|p| p.id.as_str()).collect();
                    by_plan(todos, &ids)
                        .into_iter()
                        .map(|(p, items)| {
                            let name = model
                                .plan(&p)
                                .map_or_else(|| "其他".to_owned(), DeskModel::plan_caption);
                            (name, items)
                        })
                        .collect()
                }
            };
            for (name, items) in groups {
                let late = items.iter().filter(|t| t.kind.is_overdue()).count();
                let head = format!("{name}（{} 项，其中逾期 {late} 项）", items.len());
                egui::CollapsingHeader::new(RichText::new(head).strong())
                    .id_salt(("today-group", state.grouping == Grouping::ByUnit, &name))
                    .default_open(true)
                    .show(ui, |ui| {
                        for t in items {
                            item(ui, model, t, actions);
                        }
                    });
            }
        });
}

fn item(ui: &mut Ui, model: &DeskModel, t: &Todo, actions: &mut Vec<Action>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(t.kind.label_zh())
                .color(kind_color(t.kind))
                .strong(),
        );
        ui.label(RichText::new(t.days_text()).color(kind_color(t.kind)));
        let title = if t.label.is_empty() {
            t.title.clone()
        } else {
            format!("{} {}", t.label, t.title)
        };
        if ui
            .link(title)
            .on_hover_text(if t.kind.is_report() {
                "打开报送"
            } else if t.kind.is_supervision() {
                "打开督办"
            } else if t.kind.is_target() {
                "打开指标"
            } else {
                "打开任务"
            })
            .clicked()
        {
            if t.kind.is_report() {
                actions.push(Action::OpenReport {
                    report: t.id.clone(),
                    due: t.due,
                });
            } else if t.kind.is_supervision() {
                actions.push(Action::OpenSupervision(t.id.clone()));
            } else if t.kind.is_target() {
                actions.push(Action::OpenTarget(t.id.clone()));
            } else {
                actions.push(Action::OpenTask(t.id.clone()));
            }
        }
        if !t.note.is_empty() {
            ui.weak(&t.note);
        }
        if let Some(p) = model.plan(&t.plan)
            && !p.code.is_empty()
        {
            ui.weak(format!("〔{}〕", p.code));
        }
    });
}

/// Two legends: deadlines (tasks and their milestones) and risks (targets).
fn legends(ui: &mut Ui) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("时限：").weak());
        for (k, text) in [
            (TodoKind::TaskOverdue, "逾期（已过完成时间或阶段节点）"),
            (TodoKind::TaskDueSoon, "临期（临近完成时间或阶段节点）"),
        ] {
            ui.label(RichText::new("■").color(kind_color(k)));
            ui.label(text);
        }
        ui.separator();
        ui.label(RichText::new("指标风险：").weak());
        for (k, text) in [
            (TodoKind::TargetOverdue, "逾期未达标（节点已过）"),
            (TodoKind::TargetBehind, "滞后（未达当前节点）"),
        ] {
            ui.label(RichText::new("■").color(kind_color(k)));
            ui.label(text);
        }
        ui.separator();
        ui.label(RichText::new("报送：").weak());
        for (k, text) in [
            (TodoKind::ReportMissing, "逾期未报"),
            (TodoKind::ReportDueSoon, "临期或退回待重报"),
            (TodoKind::ReportToSign, "待签收"),
        ] {
            ui.label(RichText::new("■").color(kind_color(k)));
            ui.label(text);
        }
        ui.separator();
        ui.label(RichText::new("督办：").weak());
        for (k, text) in [
            (TodoKind::SupervisionStep, "督办待升级或隐患逾期"),
            (TodoKind::SupervisionToCheck, "待验收或回头看"),
        ] {
            ui.label(RichText::new("■").color(kind_color(k)));
            ui.label(text);
        }
    });
}
