//! 指标: every sector's targets in one table (the cross-sector overview) with their status as
//! of today; the selected target's per-town breakdown, a chart of its checkpoints against the
//! values over time, and — for targets no form feeds — a form to enter a value by hand.

use anwei_core::{Command, Comparator, Measurement, Target, TargetScope, TargetStatus, UnitKind};
use anwei_session::targets::{TargetRow, ValueSource};
use chrono::{Datelike, NaiveDate};
use egui::{Align, Color32, ComboBox, Label, Layout, RichText, ScrollArea, Sense, Ui};
use egui_extras::{Column, TableBuilder};
use egui_plot::{Legend, Line, Plot, Points, VLine};

use crate::action::{Action, Origin};
use crate::model::DeskModel;
use crate::outcome::{Outcome, TakesOutcome};
use crate::plugins::PluginsView;
use crate::widgets::{error_label, labelled_field};

/// Height of one row of the targets table.
pub const ROW_HEIGHT: f32 = 24.0;

/// The colour a target status is shown in.
pub fn target_status_color(status: TargetStatus) -> Color32 {
    let [r, g, b] = status.rgb();
    Color32::from_rgb(r, g, b)
}

fn status_text(status: TargetStatus) -> RichText {
    RichText::new(status.label_zh()).color(target_status_color(status))
}

/// A number as people write it: no needless fraction, at most four decimals.
pub fn number(x: f64) -> String {
    anwei_core::target::figure(x)
}

/// "2019年：12" / "2019年：待录入" / "—".
pub fn baseline_text(t: &Target) -> String {
    match &t.baseline {
        Some(b) => match b.value {
            Some(v) => format!("{}年：{}", b.year, number(v)),
            None => format!("{}年：待录入", b.year),
        },
        None => "—".to_owned(),
    }
}

/// The hand-entered measurement a row's current value comes from.
fn entered(t: &Target, as_of: NaiveDate) -> Option<&Measurement> {
    t.latest_measurement(as_of, None)
}

/// "8 处（由台账计算）", "85 %（填报 2020-09-01，统计年报）", "—".
pub fn current_text(row: &TargetRow, as_of: NaiveDate) -> String {
    let t = &row.target;
    let Some(cv) = row.evaluation.current else {
        if t.scope == TargetScope::PerTown && !row.towns.is_empty() {
            return "见各镇(街道)".to_owned();
        }
        return "—".to_owned();
    };
    let value = format!("{} {}", number(cv.value), t.unit);
    match row.source {
        ValueSource::Computed => format!("{value}（由台账计算）"),
        ValueSource::Progress => format!("{value}（按进展记录计）"),
        ValueSource::Entered => match entered(t, as_of) {
            Some(m) if m.source.trim().is_empty() => format!("{value}（填报 {}）", m.date),
            Some(m) => format!("{value}（填报 {}，{}）", m.date, m.source),
            None => format!("{value}（填报 {}）", cv.date),
        },
        ValueSource::None => value,
    }
}

/// The hand-entry form of a target.
#[derive(Debug, Clone, Default)]
pub struct MeasurementForm {
    /// The target the form belongs to (it is reset when another is selected).
    pub target: String,
    pub date: String,
    pub value: String,
    pub source: String,
    /// Town unit id (per-town targets).
    pub town: Option<String>,
    pub error: Option<String>,
}

/// UI state of the 指标 tab.
#[derive(Debug, Clone, Default)]
pub struct TargetsState {
    /// Plan id (the sector) shown, or all.
    pub sector: Option<String>,
    pub status: Option<TargetStatus>,
    /// The target whose detail is shown.
    pub selected: Option<String>,
    pub entry: MeasurementForm,
    /// The 不适用 reason being typed for the selected target.
    pub not_applicable_reason: String,
    pub export: crate::export::ExportBar,
}

impl TakesOutcome for TargetsState {
    /// A value saved empties the value field; a refused one stays, with why at the form.
    fn on_outcome(&mut self, outcome: &Outcome, _model: &DeskModel) -> Option<String> {
        if let Command::AddMeasurement { .. } = outcome.command {
            match outcome.refused() {
                None => {
                    self.entry.value.clear();
                    self.entry.error = None;
                }
                Some(msg) => self.entry.error = Some(msg.to_owned()),
            }
        }
        if let Command::SetNotApplicable { .. } = outcome.command
            && outcome.refused().is_none()
        {
            self.not_applicable_reason.clear();
        }
        None
    }
}

impl TargetsState {
    /// Shows target `id`'s detail, clearing the filters that would hide its row.
    pub fn select(&mut self, id: &str) {
        self.sector = None;
        self.status = None;
        self.selected = Some(id.to_owned());
    }

    /// Whether a target is selected (its detail is shown).
    pub fn detail_open(&self) -> bool {
        self.selected.is_some()
    }

    /// Indices into `model.target_rows` that the filters let through.
    pub fn visible(&self, model: &DeskModel) -> Vec<usize> {
        model
            .target_rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                self.sector.as_deref().is_none_or(|s| r.target.plan == s)
                    && self.status.is_none_or(|st| r.status == st)
            })
            .map(|(i, _)| i)
            .collect()
    }
}

/// The sector a plan stands for, as people name it: the plugin's name, else the plan's.
pub fn sector_name(model: &DeskModel, plugins: &PluginsView, plan: &str) -> String {
    if let Some(p) = plugins.plugin(plan) {
        return p.name.clone();
    }
    model
        .plan(plan)
        .map_or_else(|| plan.to_owned(), |p| p.title.clone())
}

/// The sector's short name for the table ("煤矿"), else [`sector_name`].
fn sector_short(model: &DeskModel, plugins: &PluginsView, plan: &str) -> String {
    match plugins.plugin(plan) {
        Some(p) if !p.short_name.trim().is_empty() => p.short_name.clone(),
        _ => sector_name(model, plugins, plan),
    }
}

/// Draws the counts, the filters and the table.
pub fn targets_panel(
    ui: &mut Ui,
    model: &DeskModel,
    plugins: &PluginsView,
    state: &mut TargetsState,
    actions: &mut Vec<crate::action::Action>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("指标 {} 项：", model.target_rows.len())).strong());
        for s in TargetStatus::ALL {
            let n = model.target_summary.get(s);
            let text = RichText::new(format!("{} {n}", s.label_zh())).color(target_status_color(s));
            if ui
                .selectable_label(state.status == Some(s), text)
                .on_hover_text("点击只看此状态的指标，再次点击取消")
                .clicked()
            {
                state.status = if state.status == Some(s) {
                    None
                } else {
                    Some(s)
                };
            }
        }
        let na = model.target_summary.not_applicable;
        if na > 0 {
            let s = TargetStatus::NotApplicable;
            let text = RichText::new(format!("另有{} {na} 项（不计入）", s.label_zh()))
                .color(target_status_color(s));
            if ui
                .selectable_label(state.status == Some(s), text)
                .on_hover_text("点击只看标为不适用的指标，再次点击取消")
                .clicked()
            {
                state.status = if state.status == Some(s) {
                    None
                } else {
                    Some(s)
                };
            }
        }
        if model.computed.as_of.is_some() {
            ui.weak(format!("（状态截至 {}）", model.today));
        }
    });
    let mut sectors: Vec<&str> = model
        .target_rows
        .iter()
        .map(|r| r.target.plan.as_str())
        .collect();
    sectors.dedup();
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("行业");
        let current = state
            .sector
            .as_deref()
            .map_or_else(|| "全部".to_owned(), |s| sector_name(model, plugins, s));
        ComboBox::from_id_salt("targets-sector")
            .selected_text(current)
            .width(180.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.sector, None, "全部");
                for s in &sectors {
                    ui.selectable_value(
                        &mut state.sector,
                        Some((*s).to_owned()),
                        sector_name(model, plugins, s),
                    );
                }
            })
            .response
            .labelled_by(l.id);
        let l = ui.label("状态");
        ComboBox::from_id_salt("targets-status")
            .selected_text(state.status.map_or("全部", TargetStatus::label_zh))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.status, None, "全部");
                for s in TargetStatus::ALL
                    .into_iter()
                    .chain([TargetStatus::NotApplicable])
                {
                    ui.selectable_value(&mut state.status, Some(s), s.label_zh());
                }
            })
            .response
            .labelled_by(l.id);
    });
    let visible = state.visible(model);
    ui.horizontal(|ui| {
        ui.label(format!("显示 {} 项", visible.len()));
        state.export.ui(
            ui,
            "targets",
            &format!("指标清单-{}.xlsx", model.today),
            || {
                let lines: Vec<anwei_exchange::tables::TargetLine> = visible
                    .iter()
                    .filter_map(|&i| model.target_rows.get(i))
                    .map(|r| anwei_exchange::tables::TargetLine {
                        sector: sector_short(model, plugins, &r.target.plan),
                        target: &r.target,
                        current: r.evaluation.current.as_ref().map(|c| c.value),
                        status: match &r.not_applicable {
                            Some(why) => format!("{}（{why}）", r.status.label_zh()),
                            None => r.status.label_zh().to_owned(),
                        },
                    })
                    .collect();
                vec![anwei_exchange::tables::targets(
                    &format!("{}指标清单", model.campaign.name),
                    &lines,
                    model.today,
                )]
            },
            actions,
        );
    });
    ui.separator();
    if model.target_rows.is_empty() {
        ui.weak("尚无指标：指标随行业插件的实施方案导入。");
        return;
    }
    let mut clicked = None;
    let selected = state.selected.clone();
    TableBuilder::new(ui)
        // Separate remembered widths with and without the detail panel, so the name column
        // shrinks when the panel opens and the status stays in view.
        .id_salt(("targets-table", selected.is_some()))
        .striped(true)
        .resizable(true)
        .sense(Sense::click())
        .cell_layout(Layout::left_to_right(Align::Center))
        .column(Column::initial(64.0).at_least(40.0).clip(true))
        .column(Column::remainder().at_least(140.0).clip(true))
        .column(Column::initial(56.0).at_least(36.0).clip(true))
        .column(Column::initial(52.0).at_least(40.0).clip(true))
        .column(Column::initial(170.0).at_least(80.0).clip(true))
        .column(Column::initial(92.0).at_least(60.0).clip(true))
        .column(Column::initial(170.0).at_least(80.0).clip(true))
        .column(Column::initial(76.0).at_least(60.0))
        .min_scrolled_height(0.0)
        .header(ROW_HEIGHT, |mut header| {
            for h in [
                "行业",
                "指标",
                "单位",
                "要求",
                "目标值（年度）",
                "基数",
                "当前值",
                "状态",
            ] {
                header.col(|ui| {
                    ui.label(RichText::new(h).strong());
                });
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, visible.len(), |mut row| {
                let Some(r) = visible
                    .get(row.index())
                    .and_then(|&i| model.target_rows.get(i))
                else {
                    return;
                };
                let t = &r.target;
                row.set_selected(selected.as_deref() == Some(t.id.as_str()));
                let cell = |row: &mut egui_extras::TableRow<'_, '_>, text: String| {
                    row.col(|ui| {
                        ui.add(Label::new(text.as_str()).truncate().selectable(false))
                            .on_hover_text(text);
                    });
                };
                cell(&mut row, sector_short(model, plugins, &t.plan));
                cell(&mut row, t.name.clone());
                cell(&mut row, t.unit.clone());
                cell(&mut row, t.comparator.label_zh().to_owned());
                cell(&mut row, t.checkpoints_text());
                cell(&mut row, baseline_text(t));
                cell(&mut row, current_text(r, model.today));
                row.col(|ui| {
                    ui.add(Label::new(status_text(r.status)).selectable(false));
                });
                if row.response().clicked() {
                    clicked = Some(t.id.clone());
                }
            });
        });
    if let Some(id) = clicked {
        state.selected = Some(id);
    }
}

/// Fractional year of a day (2020-07-01 ≈ 2020.5): the chart's x axis.
fn year_x(d: NaiveDate) -> f64 {
    let days = if d.leap_year() { 366.0 } else { 365.0 };
    f64::from(d.year()) + f64::from(d.ordinal0()) / days
}

/// "每月"…
/// A recurring duty's periods: each with its due date, the count required and done, and
/// how it stands (按时完成 / 补报完成 / 逾期未完成 / 进行中 / 无数据), latest first.
fn duty_periods_ui(ui: &mut Ui, model: &DeskModel, row: &TargetRow) {
    use anwei_core::{DutyEvidence, DutyState};
    let t = &row.target;
    let empty: &[NaiveDate] = &[];
    let latest = t
        .progress_of
        .as_ref()
        .and_then(|task| model.progress.get(task));
    let evidence = if t.progress_of.is_some() {
        DutyEvidence::Entries {
            dates: latest.map_or(empty, |l| l.dates.as_slice()),
            recorded: latest.map_or(empty, |l| l.recorded.as_slice()),
        }
    } else if t.computed_from.is_some() {
        DutyEvidence::Computed(model.computed.district.get(&t.id).copied())
    } else {
        DutyEvidence::Entered
    };
    let periods = t.duty_periods(
        model.campaign.start,
        model.campaign.end,
        evidence,
        model.today,
    );
    ui.separator();
    let missed = periods
        .iter()
        .filter(|p| p.state == DutyState::Missed)
        .count();
    egui::CollapsingHeader::new(format!(
        "各期完成情况（{} 期，逾期未完成 {missed} 期）",
        periods.len()
    ))
    .id_salt(("duty-periods", &t.id))
    .show(ui, |ui| {
        ui.weak(if t.progress_of.is_some() {
            "按所属任务的进展记录计：记录日期晚于截止日的为补报。"
        } else if t.computed_from.is_some() {
            "由台账计算：只知道最近一个完整周期的完成数。"
        } else {
            "按人工填报的各期数值计。"
        });
        egui::Grid::new(("duty-grid", &t.id))
            .striped(true)
            .num_columns(4)
            .show(ui, |ui| {
                for h in ["期间", "截止", "要求/完成", "情况"] {
                    ui.strong(h);
                }
                ui.end_row();
                let figure =
                    |v: Option<f64>| v.map_or_else(|| "—".to_owned(), anwei_core::target::figure);
                for p in periods.iter().rev() {
                    ui.label(format!("{} 至 {}", p.start, p.due));
                    ui.label(p.due.to_string());
                    ui.label(format!("{} / {}", figure(p.required), figure(p.done)));
                    let color = match p.state {
                        DutyState::OnTime | DutyState::Done => {
                            target_status_color(TargetStatus::Met)
                        }
                        DutyState::Late => target_status_color(TargetStatus::Behind),
                        DutyState::Missed => target_status_color(TargetStatus::OverdueUnmet),
                        DutyState::Open => target_status_color(TargetStatus::OnTrack),
                        DutyState::Unknown => target_status_color(TargetStatus::NoData),
                    };
                    ui.label(RichText::new(p.state.label_zh()).color(color));
                    ui.end_row();
                }
            });
    });
}

/// A note where the source's statements disagree: shown, not fixed.
pub fn source_note(ui: &mut Ui, n: &anwei_core::campaign::SourceNote) {
    egui::Frame::group(ui.style())
        .fill(Color32::from_rgb(255, 246, 220))
        .show(ui, |ui| {
            ui.label(
                RichText::new(format!("原文前后不一致（{}）", n.lines_text()))
                    .strong()
                    .color(Color32::from_rgb(150, 90, 0)),
            );
            ui.add(Label::new(n.text.as_str()).wrap());
        });
}

/// The selected target: details, per-town breakdown, chart, hand entry. The right-hand panel.
pub fn target_detail(
    ui: &mut Ui,
    model: &DeskModel,
    plugins: &PluginsView,
    state: &mut TargetsState,
    actions: &mut Vec<Action>,
) {
    let Some(row) = state
        .selected
        .as_deref()
        .and_then(|id| model.target_rows.iter().find(|r| r.target.id == id))
    else {
        state.selected = None;
        return;
    };
    let t = &row.target;
    if state.entry.target != t.id {
        state.entry = MeasurementForm {
            target: t.id.clone(),
            date: model.today.format("%Y-%m-%d").to_string(),
            ..Default::default()
        };
    }
    let mut close = false;
    ScrollArea::vertical()
        .id_salt("target-detail-scroll")
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("指标详情");
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    if ui.button("关闭").clicked() {
                        close = true;
                    }
                });
            });
            ui.add(Label::new(RichText::new(&t.name).strong()).wrap());
            egui::Grid::new("target-facts")
                .num_columns(2)
                .show(ui, |ui| {
                    ui.label("行业");
                    ui.label(sector_name(model, plugins, &t.plan));
                    ui.end_row();
                    ui.label("要求");
                    ui.label(format!("{}（单位：{}）", t.comparator.label_zh(), t.unit));
                    ui.end_row();
                    ui.label("目标值");
                    ui.add(Label::new(t.checkpoints_text()).wrap());
                    ui.end_row();
                    ui.label("基数");
                    ui.label(baseline_text(t));
                    ui.end_row();
                    if let Some(p) = t.source.period {
                        ui.label("周期");
                        ui.label(format!("{}（按最近一个完整周期计）", p.label_zh()));
                        ui.end_row();
                    }
                    if let Some(task) = &t.source.task {
                        ui.label("所属任务");
                        ui.label(task);
                        ui.end_row();
                    }
                    if let Some(lines) = t.source.lines_text() {
                        ui.label("出处");
                        let plan = model.plans.iter().find(|p| p.id == t.plan);
                        let quotes: Vec<String> = t
                            .source
                            .refs
                            .iter()
                            .map(|r| format!("第{}行：“{}”", r.line, r.quote))
                            .collect();
                        let from = plan.map_or(String::new(), |p| format!("{}，", p.source));
                        ui.add(Label::new(format!("{from}{lines}\n{}", quotes.join("\n"))).wrap());
                        ui.end_row();
                    }
                    if let Some(note) = &t.source.note {
                        ui.label("解读");
                        ui.add(Label::new(note.as_str()).wrap());
                        ui.end_row();
                    }
                    ui.label("范围");
                    ui.label(match t.scope {
                        TargetScope::District => "全区",
                        TargetScope::PerTown => "各镇(街道)",
                    });
                    ui.end_row();
                    ui.label("数据来源");
                    ui.label(match &t.computed_from {
                        Some(f) => {
                            let title = plugins
                                .form(f)
                                .map_or(f.as_str(), |lf| lf.form.title.as_str());
                            format!("由“{title}”台账计算")
                        }
                        None => "人工填报".to_owned(),
                    });
                    ui.end_row();
                    ui.label("当前值");
                    ui.label(current_text(row, model.today));
                    ui.end_row();
                    ui.label("状态");
                    ui.label(status_text(row.status));
                    ui.end_row();
                    if let Some(reason) = &row.not_applicable {
                        ui.label("不适用理由");
                        ui.add(Label::new(reason.as_str()).wrap());
                        ui.end_row();
                    }
                    if let Some(req) = row.evaluation.required {
                        ui.label("应达到");
                        let due = row
                            .evaluation
                            .due
                            .map(|d| format!("（{d}前）"))
                            .unwrap_or_default();
                        ui.label(format!("{} {}{due}", number(req), t.unit));
                        ui.end_row();
                    }
                    if let Some(gap) = row.evaluation.gap
                        && gap > 0.0
                    {
                        ui.label("差距");
                        ui.label(format!("{} {}", number(gap), t.unit));
                        ui.end_row();
                    }
                });
            let notes: Vec<_> = model
                .plans
                .iter()
                .filter(|p| p.id == t.plan)
                .flat_map(|p| p.annotations.notes_on_target(&t.id))
                .collect();
            for n in notes {
                source_note(ui, n);
            }
            if t.source.period.is_some() {
                duty_periods_ui(ui, model, row);
            }
            let item = anwei_core::Item::Target(t.id.clone());
            if let Some(cmd) = crate::widgets::applicability_ui(
                ui,
                &item,
                model.settings.not_applicable.target(&t.id),
                &mut state.not_applicable_reason,
                model.today,
            ) {
                actions.push(Action::Apply {
                    from: Origin::Targets,
                    command: cmd,
                });
            }
            if t.scope == TargetScope::PerTown {
                ui.separator();
                ui.label(RichText::new("各镇(街道)").strong());
                if row.towns.is_empty() {
                    ui.weak("尚无各镇(街道)的数据");
                } else {
                    egui::Grid::new("target-towns")
                        .striped(true)
                        .num_columns(3)
                        .show(ui, |ui| {
                            for h in ["镇(街道)", "当前值", "状态"] {
                                ui.label(RichText::new(h).strong());
                            }
                            ui.end_row();
                            for (town, e) in &row.towns {
                                ui.label(town);
                                ui.label(e.current.map_or_else(
                                    || "—".to_owned(),
                                    |c| format!("{} {}", number(c.value), t.unit),
                                ));
                                ui.label(status_text(e.status));
                                ui.end_row();
                            }
                        });
                }
            }
            ui.separator();
            chart(ui, model, row);
            if t.computed_from.is_none() {
                ui.separator();
                entry_form(ui, model, t, &mut state.entry, actions);
            }
            if !t.measurements.is_empty() {
                ui.separator();
                ui.label(RichText::new("已填报的值").strong());
                for m in t.measurements.iter().rev() {
                    let town = m
                        .town
                        .as_deref()
                        .map(|id| format!("{}：", model.units.name_of(id)))
                        .unwrap_or_default();
                    ui.label(format!(
                        "{} {town}{} {}（{}）",
                        m.date,
                        number(m.value),
                        t.unit,
                        m.source
                    ));
                }
            }
        });
    if close {
        state.selected = None;
    }
}

fn chart(ui: &mut Ui, model: &DeskModel, row: &TargetRow) {
    let t = &row.target;
    let mut cps: Vec<_> = t.checkpoints.iter().collect();
    cps.sort_by_key(|c| (c.due_date(), c.year));
    let mut step: Vec<[f64; 2]> = Vec::new();
    let mut nodes: Vec<[f64; 2]> = Vec::new();
    let mut prev: Option<f64> = None;
    for c in &cps {
        let Some(v) = t.required_for(c.value) else {
            continue;
        };
        let x = year_x(c.due_date());
        let start = prev.unwrap_or(x - 1.0);
        step.push([start, v]);
        step.push([x, v]);
        nodes.push([x, v]);
        prev = Some(x);
    }
    let measured: Vec<[f64; 2]> = t
        .measurements
        .iter()
        .map(|m| [year_x(m.date), m.value])
        .collect();
    let computed: Vec<[f64; 2]> = match (row.source, row.evaluation.current) {
        (ValueSource::Computed | ValueSource::Progress, Some(cv)) => {
            vec![[year_x(cv.date), cv.value]]
        }
        _ => Vec::new(),
    };
    let mut towns: Vec<[f64; 2]> = Vec::new();
    for (_, e) in &row.towns {
        if let Some(cv) = e.current {
            towns.push([year_x(cv.date), cv.value]);
        }
    }
    ui.label(RichText::new(format!("目标值与实际值（{}）", t.unit)).strong());
    if nodes.is_empty() && t.comparator == Comparator::DecreaseBy {
        ui.weak("基数待录入：录入基数后才能画出各年应达到的值。");
    }
    let today = year_x(model.today);
    Plot::new(("target-chart", &t.id))
        .height(220.0)
        .legend(Legend::default())
        .allow_scroll(false)
        .include_y(0.0)
        .x_axis_formatter(|mark, _| {
            if (mark.value - mark.value.round()).abs() < 1e-6 {
                format!("{}", mark.value.round() as i64)
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            if !step.is_empty() {
                plot.line(Line::new("目标值", step).color(Color32::from_rgb(30, 110, 200)));
                plot.points(
                    Points::new("年度目标", nodes)
                        .radius(4.0)
                        .color(Color32::from_rgb(30, 110, 200)),
                );
            }
            if !measured.is_empty() {
                plot.points(
                    Points::new("填报值", measured)
                        .radius(4.0)
                        .color(Color32::from_rgb(210, 130, 0)),
                );
            }
            if !towns.is_empty() {
                plot.points(
                    Points::new("各镇(街道)", towns)
                        .radius(3.0)
                        .color(Color32::from_rgb(120, 120, 120)),
                );
            }
            if !computed.is_empty() {
                plot.points(
                    Points::new("计算值", computed)
                        .radius(5.0)
                        .color(Color32::from_rgb(30, 140, 60)),
                );
            }
            plot.add(VLine::new("今天", today).color(Color32::from_gray(160)));
        });
}

fn parse_number(text: &str) -> Option<f64> {
    let ascii: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            '－' | '−' => '-',
            other => other,
        })
        .collect();
    ascii
        .trim_end_matches('%')
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

fn entry_form(
    ui: &mut Ui,
    model: &DeskModel,
    t: &Target,
    form: &mut MeasurementForm,
    actions: &mut Vec<Action>,
) {
    ui.label(RichText::new("填报指标值").strong());
    ui.weak("此指标没有台账计算，请按统计或核查结果填报。");
    ui.horizontal_wrapped(|ui| {
        labelled_field(ui, "日期", &mut form.date, "2020-09-01", 90.0);
        labelled_field(ui, "数值", &mut form.value, &t.unit, 80.0);
    });
    ui.horizontal_wrapped(|ui| {
        labelled_field(
            ui,
            "来源",
            &mut form.source,
            "如：统计年报、现场核查",
            200.0,
        );
    });
    if t.scope == TargetScope::PerTown {
        ui.horizontal(|ui| {
            let l = ui.label("镇(街道)");
            let shown = form
                .town
                .as_deref()
                .map_or("全区", |id| model.units.name_of(id))
                .to_owned();
            ComboBox::from_id_salt("measurement-town")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut form.town, None, "全区");
                    for u in model
                        .units
                        .units()
                        .iter()
                        .filter(|u| u.kind == UnitKind::Local)
                    {
                        ui.selectable_value(&mut form.town, Some(u.id.clone()), &u.name);
                    }
                })
                .response
                .labelled_by(l.id);
        });
    }
    if let Some(e) = &form.error {
        error_label(ui, e);
    }
    if ui.button("录入").clicked() {
        let date = anwei_core::form::parse_date(&form.date);
        let value = parse_number(&form.value);
        form.error = match (date, value) {
            (None, _) => Some("日期无效，格式如 2020-09-01".to_owned()),
            (_, None) => Some("数值无效，请填写数字".to_owned()),
            _ if form.source.trim().is_empty() => Some("请填写数据来源".to_owned()),
            (Some(date), Some(value)) => {
                actions.push(Action::Apply {
                    from: Origin::Targets,
                    command: Command::AddMeasurement {
                        target: t.id.clone(),
                        date,
                        value,
                        town: form.town.clone(),
                        source: form.source.trim().to_owned(),
                    },
                });
                None
            }
        };
    }
}
