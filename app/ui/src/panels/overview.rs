//! 总览: the campaign, its phases and each plan's task counts by status.

use anwei_core::campaign::PhaseText;
use anwei_core::{Phase, Status};
use chrono::{Datelike, NaiveDate};
use egui::{Color32, Label, RichText, ScrollArea, Ui};

use crate::action::{Action, Tab};
use crate::model::DeskModel;
use crate::widgets::{ERROR_COLOR, labelled_field, status_color};

/// Draws the overview.
/// The 演示数据 in the desk, said plainly, with the button that takes it all out.
fn demo_row(ui: &mut Ui, model: &DeskModel, actions: &mut Vec<Action>) {
    let marks = &model.settings.demo_data;
    if marks.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "本数据目录含演示数据（{}，文字以“{}”开头），不是实际工作记录。",
                marks.summary(),
                anwei_core::demo::DEMO_MARK
            ))
            .color(egui::Color32::from_rgb(190, 110, 0)),
        );
        if ui
            .button("移除演示数据")
            .on_hover_text("一次移除全部演示进展、演示报送和演示报送事项；其他记录不受影响")
            .clicked()
        {
            actions.push(Action::apply(anwei_core::Command::RemoveDemoData));
        }
    });
}

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
            ui.label(facts.join("　"));
            if !c.note.is_empty() {
                ui.add(Label::new(RichText::new(&c.note).italics()).wrap());
            }
            demo_row(ui, model, actions);
            archive_row(ui, model, actions);
            as_of_row(ui, model, actions);
            ui.add_space(6.0);
            if c.phases.is_empty() {
                ui.label(RichText::new("阶段").strong());
                ui.label("本活动未分阶段。");
            } else {
                ui.label(RichText::new("阶段").strong());
                phases_ui(ui, &c.phases, &[], model.today);
            }
            if !c.milestones.is_empty() {
                ui.label(RichText::new("节点").strong());
                ui.horizontal_wrapped(|ui| {
                    for m in &c.milestones {
                        let passed = m.date < model.today;
                        let text = format!("{}（{}）", m.name, m.date);
                        if passed {
                            ui.label(RichText::new(text).weak());
                        } else {
                            ui.label(text);
                        }
                    }
                });
            }
            if !c.actions.is_empty() {
                ui.label(RichText::new("行动").strong());
                for a in &c.actions {
                    ui.label(format!("{}（{} 项任务）", a.name, a.tasks.len()));
                }
            }
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
                        if stats.not_applicable > 0 {
                            ui.label(
                                RichText::new(format!(
                                    "（另有不适用 {} 项，不计入）",
                                    stats.not_applicable
                                ))
                                .color(status_color(Status::NotApplicable)),
                            );
                        }
                        if ui.small_button("查看任务").clicked() {
                            actions.push(Action::SwitchTab(Tab::Tasks));
                            actions.push(Action::FilterPlan(plan.id.clone()));
                        }
                    });
                    if !plan.phases.is_empty() {
                        ui.label("本方案阶段：");
                        phases_ui(ui, &plan.phases, &plan.annotations.phases, model.today);
                    }
                    phase_texts(ui, &plan.id, &plan.annotations.phases);
                });
            }
        });
}

/// Whether the campaign is archived (read-only), and the button that archives a finished
/// one or opens it again.
fn archive_row(ui: &mut Ui, model: &DeskModel, actions: &mut Vec<Action>) {
    let c = &model.campaign;
    ui.horizontal_wrapped(|ui| {
        if c.archived {
            ui.label(
                RichText::new("本活动已归档：只读，任务和指标不再接受修改")
                    .color(ERROR_COLOR)
                    .strong(),
            );
            if ui
                .button("重新打开")
                .on_hover_text("重新打开后可以再修改本活动的任务和指标（记入审计日志）")
                .clicked()
            {
                actions.push(Action::apply(anwei_core::Command::ArchiveCampaign {
                    campaign: c.id.clone(),
                    archived: false,
                }));
            }
        } else if c.end < model.today
            && ui
                .button("归档本活动")
                .on_hover_text(
                    "活动已结束：归档后只读，进展、指标值和督办不再接受修改（可重新打开）",
                )
                .clicked()
        {
            actions.push(Action::apply(anwei_core::Command::ArchiveCampaign {
                campaign: c.id.clone(),
                archived: true,
            }));
        }
    });
}

/// What each phase is to achieve, as the plan words it (folded: the plans' texts are long).
fn phase_texts(ui: &mut Ui, plan: &str, texts: &[PhaseText]) {
    if texts.is_empty() {
        return;
    }
    egui::CollapsingHeader::new(format!("各阶段工作安排（方案原文，{} 段）", texts.len()))
        .id_salt(("phase-texts", plan))
        .show(ui, |ui| {
            for p in texts {
                ui.horizontal_wrapped(|ui| {
                    ui.strong(&p.name);
                    if let Some(line) = p.line {
                        ui.weak(format!("方案原文第{line}行"));
                    }
                });
                ui.add(Label::new(&p.text).wrap());
                ui.add_space(4.0);
            }
        });
}

/// The phases with their dates, today's marked; a phase whose text the plan gives shows it
/// on hover.
fn phases_ui(ui: &mut Ui, phases: &[Phase], texts: &[PhaseText], today: NaiveDate) {
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
            let shown = if current {
                ui.label(
                    rich.strong()
                        .color(Color32::WHITE)
                        .background_color(Color32::from_rgb(30, 110, 200)),
                )
            } else {
                ui.label(rich)
            };
            if let Some(t) = texts.iter().find(|t| t.name == p.name) {
                shown.on_hover_text(&t.text);
            }
        }
    });
}

/// "状态截至 [date] [查看] [今天]": statuses of a past (or future) day, for reviewing a
/// campaign after the fact. Only the view changes; nothing is stored.
fn as_of_row(ui: &mut Ui, model: &DeskModel, actions: &mut Vec<Action>) {
    let id = egui::Id::unique("overview-as-of");
    let mut text: String = ui
        .data(|d| d.get_temp::<String>(id))
        .unwrap_or_else(|| model.today.to_string());
    ui.horizontal(|ui| {
        let field = labelled_field(ui, "状态截至", &mut text, "YYYY-MM-DD", 100.0);
        let parsed = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d");
        let submit = ui.button("查看").clicked()
            || (field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)));
        if submit {
            match parsed {
                Ok(d) => actions.push(Action::SetAsOf(Some(d))),
                Err(_) => actions.push(Action::Error(format!(
                    "日期“{}”无效，请按 YYYY-MM-DD 填写",
                    text.trim()
                ))),
            }
        }
        if ui.button("今天").clicked() {
            text = chrono::Local::now().date_naive().to_string();
            actions.push(Action::SetAsOf(None));
        }
        if parsed.is_err() && !text.trim().is_empty() {
            ui.colored_label(ERROR_COLOR, "日期格式：YYYY-MM-DD");
        }
    });
    ui.data_mut(|d| d.insert_temp(id, text));
}
