//! 时间轴: the campaign on one time axis — each plan's phases with their own names (附件10's
//! 组织动员 / 部署实施 / 深化推进 / 评估提高), the campaign's milestones, and every task as a
//! line to its deadline with its interim milestones (◆), its deadline (▌) and the day it was
//! reported done (✔); a line for the day shown; zoom, scroll, a filter by plan and by unit.

use anwei_core::{Phase, Status, Task, TaskRow};
use chrono::{Datelike, NaiveDate};
use egui::{Align2, Color32, FontId, Pos2, Rect, RichText, ScrollArea, Sense, Stroke, Ui, vec2};

use crate::model::DeskModel;
use crate::widgets::status_color;

/// Width of the label column, points.
const LABEL_W: f32 = 300.0;
const ROW_H: f32 = 22.0;

#[derive(Debug, Clone)]
pub struct TimelineState {
    /// Plan id shown, or all.
    pub plan: Option<String>,
    /// A unit's name or alias (any role).
    pub unit: String,
    /// Points per day.
    pub zoom: f32,
}

impl Default for TimelineState {
    fn default() -> Self {
        TimelineState {
            plan: None,
            unit: String::new(),
            zoom: 1.2,
        }
    }
}

/// One task on the axis.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineTask<'a> {
    pub row: &'a TaskRow,
    /// Its final deadline as written, if it has one (else it runs to its plan's end).
    pub deadline: Option<NaiveDate>,
    /// The deadline the office moved it to, in force on the day shown.
    pub adjusted: Option<NaiveDate>,
    /// Its interim milestones' due dates.
    pub milestones: Vec<NaiveDate>,
    /// The day the entry reporting it done is dated, when it is done.
    pub done_on: Option<NaiveDate>,
    /// Where its line ends: the moved deadline, else the one written, else its plan's end.
    pub end: NaiveDate,
}

impl TimelineState {
    /// The tasks shown, in the table's order, with their dates.
    pub fn tasks<'a>(&self, model: &'a DeskModel) -> Vec<TimelineTask<'a>> {
        let unit = self.unit.trim();
        let unit_ids: Option<Vec<&str>> = (!unit.is_empty()).then(|| {
            model
                .units
                .units()
                .iter()
                .filter(|u| u.name.contains(unit) || u.aliases.iter().any(|a| a.contains(unit)))
                .map(|u| u.id.as_str())
                .collect()
        });
        model
            .rows
            .iter()
            .filter(|r| self.plan.as_deref().is_none_or(|p| r.plan == p))
            .filter(|r| {
                unit_ids
                    .as_ref()
                    .is_none_or(|ids| r.unit_ids.iter().any(|u| ids.contains(&u.as_str())))
            })
            .filter_map(|r| {
                let task: &Task = model.task(&r.id)?;
                let plan_end = model
                    .plan(&r.plan)
                    .map_or(model.campaign.end, |p| model.campaign.plan_end(p));
                let deadline = task.final_deadline().and_then(|d| d.due);
                let done_on = if r.status == Status::Done {
                    model.entries.get(&r.id).and_then(|es| {
                        es.iter()
                            .filter(|e| e.done && e.date <= model.today)
                            .map(|e| e.date)
                            .min()
                    })
                } else {
                    None
                };
                let adjusted = r.adjusted.as_ref().map(|c| c.due);
                Some(TimelineTask {
                    row: r,
                    deadline,
                    adjusted,
                    milestones: task
                        .interim_milestones()
                        .iter()
                        .filter_map(|m| m.due)
                        .collect(),
                    done_on,
                    end: adjusted.or(deadline).unwrap_or(plan_end),
                })
            })
            .collect()
    }
}

/// The axis: from the campaign's first day (or the earliest date shown) to its last.
struct Axis {
    start: NaiveDate,
    end: NaiveDate,
    zoom: f32,
    left: f32,
}

impl Axis {
    fn x(&self, d: NaiveDate) -> f32 {
        self.left + LABEL_W + (d - self.start).num_days() as f32 * self.zoom
    }

    fn width(&self) -> f32 {
        LABEL_W + ((self.end - self.start).num_days() as f32 + 1.0) * self.zoom + 20.0
    }
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn next_month(d: NaiveDate) -> Option<NaiveDate> {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
}

/// Draws the panel.
pub fn timeline_panel(ui: &mut Ui, model: &DeskModel, state: &mut TimelineState) {
    ui.heading("时间轴");
    ui.horizontal_wrapped(|ui| {
        let current = state
            .plan
            .as_deref()
            .and_then(|p| model.plan(p))
            .map_or_else(|| "全部".to_owned(), DeskModel::plan_caption);
        crate::widgets::plan_picker(ui, model, "timeline-plan", &mut state.plan, current, None);
        crate::widgets::labelled_field(ui, "单位筛选", &mut state.unit, "名称或别名", 140.0);
        let zoom = ui.label("缩放");
        ui.add(
            egui::Slider::new(&mut state.zoom, 0.3..=8.0)
                .logarithmic(true)
                .suffix(" 点/天"),
        )
        .labelled_by(zoom.id);
        ui.label(
            RichText::new(format!("截至 {}", model.today)).color(Color32::from_rgb(200, 60, 60)),
        );
    });
    ui.horizontal_wrapped(|ui| {
        ui.weak("图例：");
        ui.label("◆ 阶段节点");
        ui.label("▌ 完成时间");
        ui.label(RichText::new("▌ 调整前的完成时间").color(Color32::GRAY));
        ui.label("✔ 报告完成之日");
        ui.label(RichText::new("│ 截至之日").color(Color32::from_rgb(200, 60, 60)));
        ui.weak("线的颜色为任务状态");
    });
    let tasks = state.tasks(model);
    let plans: Vec<&anwei_core::Plan> = model
        .plans
        .iter()
        .filter(|p| state.plan.as_deref().is_none_or(|id| p.id == id))
        .collect();
    let c = &model.campaign;
    let mut start = c.start;
    let mut end = c.end;
    for t in &tasks {
        start = start
            .min(t.end)
            .min(t.milestones.iter().copied().min().unwrap_or(start));
        end = end.max(t.end);
    }
    ui.label(format!("共 {} 项任务", tasks.len()));
    ScrollArea::horizontal()
        .id_salt("timeline-h")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            let axis_left = ui.cursor().min.x;
            let axis = Axis {
                start,
                end,
                zoom: state.zoom,
                left: axis_left,
            };
            ui.set_min_width(axis.width());
            header(ui, &axis, model);
            for p in &plans {
                phase_row(
                    ui,
                    &axis,
                    &DeskModel::plan_caption(p),
                    p.effective_phases(c),
                );
            }
            ScrollArea::vertical()
                .id_salt("timeline-v")
                .auto_shrink([false, false])
                .show_rows(ui, ROW_H, tasks.len(), |ui, range| {
                    for t in &tasks[range] {
                        task_row(ui, &axis, t, model.today);
                    }
                });
        });
}

/// Years and months along the top, with the campaign's milestones and the day-shown line.
fn header(ui: &mut Ui, axis: &Axis, model: &DeskModel) {
    let (rect, _) = ui.allocate_exact_size(vec2(axis.width(), 2.0 * ROW_H), Sense::hover());
    let p = ui.painter_at(rect);
    let text = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    let font = FontId::proportional(12.0);
    let mut m = first_of_month(axis.start);
    while m <= axis.end {
        let x = axis.x(m);
        let year_start = m.month() == 1 || m == first_of_month(axis.start);
        p.line_segment(
            [
                Pos2::new(x, rect.top() + ROW_H),
                Pos2::new(x, rect.bottom()),
            ],
            Stroke::new(1.0, weak),
        );
        if year_start {
            p.text(
                Pos2::new(x + 2.0, rect.top()),
                Align2::LEFT_TOP,
                format!("{}年", m.year()),
                font.clone(),
                text,
            );
        }
        if axis.zoom * 30.0 >= 24.0 {
            p.text(
                Pos2::new(x + 2.0, rect.top() + ROW_H),
                Align2::LEFT_TOP,
                format!("{}月", m.month()),
                font.clone(),
                weak,
            );
        }
        match next_month(m) {
            Some(n) => m = n,
            None => break,
        }
    }
    for ms in &model.campaign.milestones {
        let x = axis.x(ms.date);
        p.text(
            Pos2::new(x, rect.top() + ROW_H),
            Align2::CENTER_TOP,
            "◆",
            font.clone(),
            Color32::from_rgb(90, 90, 200),
        );
    }
    today_line(&p, axis, model.today, rect);
}

fn today_line(p: &egui::Painter, axis: &Axis, today: NaiveDate, rect: Rect) {
    let x = axis.x(today);
    p.line_segment(
        [Pos2::new(x, rect.top()), Pos2::new(x, rect.bottom())],
        Stroke::new(1.5, Color32::from_rgb(200, 60, 60)),
    );
}

/// A plan's phases as bands with their names.
fn phase_row(ui: &mut Ui, axis: &Axis, caption: &str, phases: &[Phase]) {
    let (rect, _) = ui.allocate_exact_size(vec2(axis.width(), ROW_H), Sense::hover());
    let p = ui.painter_at(rect);
    for (i, ph) in phases.iter().enumerate() {
        let band = Rect::from_min_max(
            Pos2::new(axis.x(ph.start), rect.top() + 2.0),
            Pos2::new(axis.x(ph.end) + axis.zoom, rect.bottom() - 2.0),
        );
        let fill = if i % 2 == 0 {
            Color32::from_rgba_unmultiplied(70, 130, 200, 60)
        } else {
            Color32::from_rgba_unmultiplied(70, 160, 120, 60)
        };
        p.rect_filled(band, 2.0, fill);
        ui.put(
            band.shrink2(vec2(3.0, 0.0)),
            egui::Label::new(RichText::new(&ph.name).size(12.0)).truncate(),
        )
        .on_hover_text(format!("{}：{} 至 {}", ph.name, ph.start, ph.end));
    }
    let label_rect = Rect::from_min_size(rect.min, vec2(LABEL_W - 4.0, ROW_H));
    left_label(
        ui,
        label_rect,
        egui::Label::new(RichText::new(caption).size(12.0).strong()).truncate(),
    );
}

/// A label at the left of `rect`, centred vertically.
fn left_label(ui: &mut Ui, rect: Rect, label: egui::Label) {
    ui.scope_builder(
        egui::UiBuilder::new()
            .max_rect(rect)
            .layout(egui::Layout::left_to_right(egui::Align::Center)),
        |ui| ui.add(label),
    );
}

fn task_row(ui: &mut Ui, axis: &Axis, t: &TimelineTask<'_>, today: NaiveDate) {
    let (rect, response) = ui.allocate_exact_size(vec2(axis.width(), ROW_H), Sense::hover());
    let p = ui.painter_at(rect);
    let font = FontId::proportional(12.0);
    let r = t.row;
    let label = format!("{} {}", r.label, r.title);
    left_label(
        ui,
        Rect::from_min_size(rect.min + vec2(4.0, 0.0), vec2(LABEL_W - 8.0, ROW_H)),
        egui::Label::new(RichText::new(crate::panels::tasks::short(&label, 22)).size(12.0))
            .truncate()
            .selectable(false),
    );
    let color = status_color(r.status);
    let y = rect.center().y;
    p.line_segment(
        [
            Pos2::new(axis.x(axis.start), y),
            Pos2::new(axis.x(t.end), y),
        ],
        Stroke::new(2.0, color.gamma_multiply(0.6)),
    );
    for m in &t.milestones {
        p.text(
            Pos2::new(axis.x(*m), y),
            Align2::CENTER_CENTER,
            "◆",
            font.clone(),
            color,
        );
    }
    // The deadline as written, when the office moved it: kept in sight.
    if let (Some(written), Some(_)) = (t.deadline, t.adjusted) {
        let x = axis.x(written);
        p.line_segment(
            [
                Pos2::new(x, rect.top() + 5.0),
                Pos2::new(x, rect.bottom() - 5.0),
            ],
            Stroke::new(2.0, Color32::GRAY),
        );
    }
    if t.deadline.is_some() || t.adjusted.is_some() {
        let x = axis.x(t.end);
        p.line_segment(
            [
                Pos2::new(x, rect.top() + 3.0),
                Pos2::new(x, rect.bottom() - 3.0),
            ],
            Stroke::new(3.0, color),
        );
    }
    if let Some(d) = t.done_on {
        p.text(
            Pos2::new(axis.x(d), y),
            Align2::CENTER_CENTER,
            "✔",
            font.clone(),
            status_color(Status::Done),
        );
    }
    today_line(&p, axis, today, rect);
    let mut hover = format!(
        "{label}\n状态：{}\n完成时间：{}",
        r.status_label,
        if r.deadline_text.is_empty() {
            "原文未列（至方案结束）"
        } else {
            &r.deadline_text
        }
    );
    if let Some(c) = &r.adjusted {
        hover.push_str(&format!(
            "\n调整为 {}（{}，{} 决定）",
            c.due, c.reason, c.date
        ));
    }
    if let Some(d) = t.done_on {
        hover.push_str(&format!("\n报告完成：{d}"));
    }
    response.on_hover_text(hover);
}
