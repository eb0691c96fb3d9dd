//! 总览: the campaign, its phases and each plan's task counts by status.

use anwei_core::{Phase, Status};
use chrono::{Datelike, NaiveDate};
use egui::{Color32, Label, RichText, ScrollArea, Ui};

use crate::action::{Action, Tab};
use crate::model::DeskModel;
use crate::widgets::status_color;

/// Draws the overview.
pub fn overview_panel(ui: &mut Ui, model: &DeskModel, actions: &mut Vec<Action>) {
    ScrollArea::vertical()
        .id_salt("overview-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let c = &model.campaign;
            ui.heading(&c.name);
            if !model.has_campaign {
                ui.label("数据目录中还没有专项整治活动。");
                return;
            }
            let mut facts = Vec::new();
            if !c.region.is_empty() {
                facts.push(format!("地区：{}", c.region));
            }
            facts.push(format!("年度：{}–{}", c.start.year(), c.end.year()));
            facts.push(format!("期间：{} 至 {}", c.start, c.end));
            facts.push(format!("今天：{}", model.today));
            ui.label(facts.join("　"));
            ui.add_space(6.0);
            ui.label(RichText::new("阶段").strong());
            phases_ui(ui, &c.phases, model.today);
            ui.add_space(8.0);
            ui.label(RichText::new("方案").strong());
            for plan in &model.plans {
                ui.group(|ui| {
                    ui.set_width(ui.available_width());
                    let stats = model.plan_stats.get(&plan.id).cloned().unwrap_or_default();
                    ui.horizontal_wrapped(|ui| {
                        if !plan.code.is_empty() {
                            ui.strong(&plan.code);
                        }
                        ui.label(format!("〔{}〕", plan.kind.label_zh()));
                        ui.add(Label::new(RichText::new(&plan.title).strong()).wrap());
                    });
                    ui.horizontal_wrapped(|ui| {
                        ui.label(format!("任务 {} 项：", stats.tasks));
                        for s in Status::ALL {
                            let n = stats.count(s);
                            let text = RichText::new(format!("{} {n}", s.label_zh()));
                            ui.label(if n > 0 {
                                text.color(status_color(s))
                            } else {
                                text.weak()
                            });
                        }
                        if ui.small_button("查看任务").clicked() {
                            actions.push(Action::SwitchTab(Tab::Tasks));
                            actions.push(Action::FilterPlan(plan.id.clone()));
                        }
                    });
                    if !plan.phases.is_empty() {
                        ui.label("本方案阶段：");
                        phases_ui(ui, &plan.phases, model.today);
                    }
                });
            }
        });
}

fn phases_ui(ui: &mut Ui, phases: &[Phase], today: NaiveDate) {
    ui.horizontal_wrapped(|ui| {
        for p in phases {
            let current = p.contains(today);
            let text = format!(
                "{}（{} 至 {}）{}",
                p.name,
                p.start,
                p.end,
                if current { "　当前阶段" } else { "" }
            );
            let rich = RichText::new(text);
            if current {
                ui.label(
                    rich.strong()
                        .color(Color32::WHITE)
                        .background_color(Color32::from_rgb(30, 110, 200)),
                );
            } else {
                ui.label(rich);
            }
        }
    });
}
