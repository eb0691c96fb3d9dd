//! 报送: the reporting calendar month by month (each period of each report due, with how
//! many units submitted), one period's units (record a submission — 补报 with a reason —,
//! 签收 or 退回修改 with a reason), the on-time rate per unit and period, and the office's own
//! reports (月报, 季报…) with the days ahead 今日待办 reminds.

use anwei_core::Command;
use anwei_core::calendar::CalendarEntry;
use anwei_core::reports::{
    ALL_PERIODS, Filing, FilingState, OfficeReport, OnTime, Reporting, rate_text,
};
use chrono::{Datelike, NaiveDate};
use egui::{Color32, RichText, ScrollArea, Ui};

use crate::action::{Action, Origin};
use crate::model::DeskModel;
use crate::outcome::{Outcome, TakesOutcome};
use crate::widgets::{error_label, labelled_field, status_color};

/// A period of a report: its id and its first day.
pub type PeriodKey = (String, NaiveDate);

/// The form recording a submission.
#[derive(Debug, Clone, Default)]
pub struct SubmitForm {
    pub unit: Option<String>,
    pub date: String,
    pub what: String,
    pub late_reason: String,
    pub error: Option<String>,
    /// 佐证材料 to attach (copied into the data folder when saved).
    pub attachments: Vec<std::path::PathBuf>,
    /// A typed path of a file to attach.
    pub typed_path: String,
    pub path_error: Option<String>,
}

impl SubmitForm {
    /// Adds a file to attach; says why not when it is not a readable file.
    pub fn add_attachment(&mut self, path: &std::path::Path) -> Result<(), String> {
        crate::widgets::add_file(&mut self.attachments, path)
    }
}

/// The form of a new office report.
#[derive(Debug, Clone, Default)]
pub struct OfficeForm {
    pub id: String,
    pub name: String,
    /// "每月", "每季度", "每半年", "每年".
    pub every: String,
    pub grace: String,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ReportsState {
    /// The month shown (its first day); `None` = the month of the day the desk is as of.
    pub month: Option<NaiveDate>,
    /// The period whose units are shown.
    pub selected: Option<PeriodKey>,
    pub form: SubmitForm,
    /// The reason being typed for returning a submission, per submission id.
    pub return_reason: std::collections::BTreeMap<u64, String>,
    pub review_error: Option<String>,
    /// The period the on-time table shows ([`ALL_PERIODS`] = each unit's total).
    pub rate_period: String,
    pub office: OfficeForm,
    pub remind_days: String,
    pub settings_error: Option<String>,
}

impl ReportsState {
    /// Shows the period of `report` due on `due` (from 今日待办).
    pub fn open(&mut self, model: &DeskModel, report: &str, due: Option<NaiveDate>) {
        let entry = model
            .report_periods
            .iter()
            .filter(|e| e.id == report)
            .find(|e| due.is_none_or(|d| e.due == d));
        if let Some(e) = entry {
            self.month = Some(first_of_month(e.due));
            self.select(model, (e.id.clone(), e.start));
        }
    }

    fn select(&mut self, model: &DeskModel, key: PeriodKey) {
        if self.selected.as_ref() != Some(&key) {
            self.selected = Some(key);
            self.form = SubmitForm {
                date: model.today.to_string(),
                ..SubmitForm::default()
            };
            self.review_error = None;
        }
    }
}

impl TakesOutcome for ReportsState {
    /// A saved submission empties the form; a refused one keeps what was typed and says why
    /// at the form; a refused 签收 or 退回 says why above the units.
    fn on_outcome(&mut self, outcome: &Outcome, model: &DeskModel) -> Option<String> {
        match &outcome.command {
            Command::SubmitReport { .. } => match outcome.refused() {
                None => {
                    self.form = SubmitForm {
                        date: model.today.to_string(),
                        ..SubmitForm::default()
                    }
                }
                Some(msg) => self.form.error = Some(msg.to_owned()),
            },
            Command::AcceptSubmission { id, .. } | Command::ReturnSubmission { id, .. } => {
                match outcome.refused() {
                    None => {
                        self.return_reason.remove(id);
                        self.review_error = None;
                    }
                    Some(msg) => self.review_error = Some(msg.to_owned()),
                }
            }
            Command::SetReporting { .. } => match outcome.refused() {
                None => {
                    self.office = OfficeForm::default();
                    self.settings_error = None;
                }
                Some(msg) => self.settings_error = Some(msg.to_owned()),
            },
            _ => {}
        }
        None
    }
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn next_month(d: NaiveDate) -> NaiveDate {
    d.checked_add_months(chrono::Months::new(1)).unwrap_or(d)
}

fn previous_month(d: NaiveDate) -> NaiveDate {
    d.checked_sub_months(chrono::Months::new(1)).unwrap_or(d)
}

/// The colour of a unit's standing on a period.
pub fn filing_color(state: FilingState) -> Color32 {
    use anwei_core::Status;
    match state {
        FilingState::Missing => status_color(Status::Overdue),
        FilingState::Returned => status_color(Status::DueSoon),
        FilingState::Pending => status_color(Status::InProgress),
        FilingState::Accepted => status_color(Status::Done),
        FilingState::Upcoming => status_color(Status::NotStarted),
    }
}

/// The periods due in the month starting `month`, by due date.
pub fn due_in_month(model: &DeskModel, month: NaiveDate) -> Vec<&CalendarEntry> {
    let next = next_month(month);
    model
        .report_periods
        .iter()
        .filter(|e| e.due >= month && e.due < next)
        .collect()
}

/// The units' standing on one period.
fn filings_of<'a>(model: &'a DeskModel, key: &PeriodKey) -> Vec<&'a Filing> {
    model
        .filings
        .iter()
        .filter(|f| f.report == key.0 && f.period_start == key.1)
        .collect()
}

/// Draws the panel.
pub fn reports_panel(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut ReportsState,
    actions: &mut Vec<Action>,
) {
    let month = *state
        .month
        .get_or_insert_with(|| first_of_month(model.today));
    ui.heading(format!("报送（截至 {}）", model.today));
    if model.report_periods.is_empty() {
        ui.label(
            "本活动的任务没有按期报送的要求，本办也没有设报送事项（可在下方“本办报送事项”中新增月报、季报等）。",
        );
    }
    ScrollArea::vertical()
        .id_salt("reports-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            calendar_month(ui, model, state, month);
            ui.separator();
            if let Some(key) = state.selected.clone() {
                period_units(ui, model, state, &key, actions);
                ui.separator();
            }
            rates(ui, model, state);
            ui.separator();
            office_settings(ui, model, state, actions);
        });
}

fn calendar_month(ui: &mut Ui, model: &DeskModel, state: &mut ReportsState, month: NaiveDate) {
    ui.horizontal(|ui| {
        ui.strong("报送日历");
        if ui.button("◀ 上月").clicked() {
            state.month = Some(previous_month(month));
        }
        ui.label(RichText::new(format!("{}年{}月", month.year(), month.month())).strong());
        if ui.button("下月 ▶").clicked() {
            state.month = Some(next_month(month));
        }
        if ui.button("回到本月").clicked() {
            state.month = Some(first_of_month(model.today));
        }
    });
    let due = due_in_month(model, month);
    if due.is_empty() {
        ui.weak("本月没有到期的报送。");
        return;
    }
    egui::Grid::new("reports-month")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for h in ["截止日期", "期别", "报送事项", "报送情况", ""] {
                ui.strong(h);
            }
            ui.end_row();
            for e in due {
                let list = filings_of(model, &(e.id.clone(), e.start));
                let count = |s: FilingState| list.iter().filter(|f| f.state == s).count();
                let passed = e.due < model.today;
                ui.label(format!("{}月{}日", e.due.month(), e.due.day()))
                    .on_hover_text(e.due.to_string());
                ui.label(&e.period);
                ui.label(format!("{}（{}）", e.name, e.recurrence_label));
                let submitted = count(FilingState::Pending)
                    + count(FilingState::Accepted)
                    + count(FilingState::Returned);
                let mut text = format!("应报 {}，已报 {submitted}", list.len());
                if count(FilingState::Pending) > 0 {
                    text.push_str(&format!("，待签收 {}", count(FilingState::Pending)));
                }
                if count(FilingState::Returned) > 0 {
                    text.push_str(&format!("，退回 {}", count(FilingState::Returned)));
                }
                if passed && count(FilingState::Missing) > 0 {
                    text.push_str(&format!("，未报 {}", count(FilingState::Missing)));
                }
                let color = if passed && count(FilingState::Missing) > 0 {
                    filing_color(FilingState::Missing)
                } else {
                    ui.visuals().text_color()
                };
                ui.label(RichText::new(text).color(color));
                let key = (e.id.clone(), e.start);
                let open = state.selected.as_ref() == Some(&key);
                if ui
                    .selectable_label(open, format!("查看 {} {}", e.period, e.name))
                    .clicked()
                {
                    state.select(model, key);
                }
                ui.end_row();
            }
        });
}

fn period_units(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut ReportsState,
    key: &PeriodKey,
    actions: &mut Vec<Action>,
) {
    let Some(entry) = model
        .report_periods
        .iter()
        .find(|e| e.id == key.0 && e.start == key.1)
    else {
        state.selected = None;
        return;
    };
    ui.strong(format!(
        "{} {}（截止 {}，截止日当天报送仍为按时）",
        entry.period, entry.name, entry.due
    ));
    let list = filings_of(model, key);
    let saving = model.saving_from(Origin::Reports);
    if let Some(e) = &state.review_error {
        error_label(ui, e);
    }
    egui::Grid::new("reports-units")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for h in ["单位", "情况", "报送", "签收"] {
                ui.strong(h);
            }
            ui.end_row();
            for f in &list {
                let name = model.units.name_of(&f.unit).to_owned();
                ui.label(&name);
                ui.label(RichText::new(f.state_label).color(filing_color(f.state)));
                ui.vertical(|ui| {
                    for id in &f.submissions {
                        let Some(s) = model.submission(*id) else {
                            continue;
                        };
                        let late = if s.is_late() { "补报" } else { "报送" };
                        ui.label(format!("#{} {late} {}：{}", s.id, s.date, s.what));
                        if let Some(r) = &s.late_reason {
                            ui.weak(format!("补报理由：{r}"));
                        }
                        match &s.review {
                            anwei_core::reports::Review::Returned { date, reason, .. } => {
                                ui.weak(format!("{date} 退回：{reason}"));
                            }
                            anwei_core::reports::Review::Accepted { date, by } => {
                                ui.weak(format!("{date} 已签收（{by}）"));
                            }
                            anwei_core::reports::Review::Pending => {}
                        }
                        for ev in &s.evidence {
                            if ui.link(format!("附件：{}", ev.name)).clicked() {
                                actions.push(Action::OpenEvidence(ev.stored.clone()));
                            }
                        }
                    }
                });
                ui.vertical(|ui| {
                    let pending = f.submissions.last().and_then(|id| {
                        model
                            .submission(*id)
                            .filter(|s| s.review == anwei_core::reports::Review::Pending)
                    });
                    if let Some(s) = pending {
                        ui.horizontal(|ui| {
                            if ui
                                .add_enabled(!saving, egui::Button::new(format!("签收 {name}")))
                                .clicked()
                            {
                                actions.push(Action::Apply {
                                    from: Origin::Reports,
                                    command: Command::AcceptSubmission {
                                        id: s.id,
                                        date: model.today,
                                    },
                                });
                            }
                        });
                        ui.horizontal(|ui| {
                            let reason = state.return_reason.entry(s.id).or_default();
                            let label = ui.label(format!("退回{name}的理由"));
                            ui.add(
                                egui::TextEdit::singleline(reason)
                                    .hint_text("写明要修改什么")
                                    .desired_width(180.0),
                            )
                            .labelled_by(label.id);
                            let ok = !reason.trim().is_empty() && !saving;
                            if ui
                                .add_enabled(ok, egui::Button::new(format!("退回 {name}")))
                                .clicked()
                            {
                                actions.push(Action::Apply {
                                    from: Origin::Reports,
                                    command: Command::ReturnSubmission {
                                        id: s.id,
                                        date: model.today,
                                        reason: reason.trim().to_owned(),
                                    },
                                });
                            }
                        });
                    }
                });
                ui.end_row();
            }
        });
    submit_form(ui, model, state, entry, &list, saving, actions);
}

fn submit_form(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut ReportsState,
    entry: &CalendarEntry,
    list: &[&Filing],
    saving: bool,
    actions: &mut Vec<Action>,
) {
    // Units that may submit: nothing yet, or returned.
    let open: Vec<&str> = list
        .iter()
        .filter(|f| {
            matches!(
                f.state,
                FilingState::Upcoming | FilingState::Missing | FilingState::Returned
            )
        })
        .map(|f| f.unit.as_str())
        .collect();
    if open.is_empty() {
        ui.weak("各单位均已报送本期。");
        return;
    }
    ui.add_space(4.0);
    ui.strong("登记单位报送");
    let form = &mut state.form;
    if form.date.is_empty() {
        form.date = model.today.to_string();
    }
    if form.unit.as_deref().is_some_and(|u| !open.contains(&u)) {
        form.unit = None;
    }
    ui.horizontal(|ui| {
        let label = ui.label("报送单位");
        let shown = form
            .unit
            .as_deref()
            .map_or("（选择单位）", |u| model.units.name_of(u));
        egui::ComboBox::from_id_salt("report-unit")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for u in &open {
                    ui.selectable_value(
                        &mut form.unit,
                        Some((*u).to_owned()),
                        model.units.name_of(u),
                    );
                }
            })
            .response
            .labelled_by(label.id);
        labelled_field(ui, "报送日期", &mut form.date, "YYYY-MM-DD", 100.0);
    });
    ui.horizontal(|ui| {
        labelled_field(
            ui,
            "报送内容",
            &mut form.what,
            &format!("{}{}", entry.period, entry.name),
            320.0,
        );
    });
    let date = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").ok();
    let late = date.is_some_and(|d| d > entry.due);
    if late {
        ui.horizontal(|ui| {
            labelled_field(
                ui,
                "补报理由",
                &mut form.late_reason,
                "逾期报送须说明理由",
                320.0,
            );
        });
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("佐证材料：");
        if ui.button("选择文件…").clicked()
            && let Some(files) = rfd::FileDialog::new()
                .set_title("选择佐证材料")
                .pick_files()
        {
            for f in files {
                if let Err(msg) = form.add_attachment(&f) {
                    form.path_error = Some(msg);
                }
            }
        }
        labelled_field(
            ui,
            "佐证材料路径",
            &mut form.typed_path,
            "文件的完整路径",
            260.0,
        );
        if ui.button("添加佐证材料").clicked() {
            let typed = form.typed_path.trim().to_owned();
            match form.add_attachment(std::path::Path::new(&typed)) {
                Ok(()) => {
                    form.typed_path.clear();
                    form.path_error = None;
                }
                Err(msg) => form.path_error = Some(msg),
            }
        }
    });
    if let Some(msg) = &form.path_error {
        error_label(ui, msg);
    }
    crate::widgets::pending_files(ui, &mut form.attachments);
    if let Some(e) = &form.error {
        error_label(ui, e);
    }
    let ready =
        form.unit.is_some() && date.is_some() && (!late || !form.late_reason.trim().is_empty());
    if date.is_none() {
        error_label(ui, "报送日期写作 YYYY-MM-DD，例如 2021-03-31");
    }
    if ui
        .add_enabled(ready && !saving, egui::Button::new("记录报送"))
        .clicked()
        && let (Some(unit), Some(date)) = (form.unit.clone(), date)
    {
        let what = if form.what.trim().is_empty() {
            format!("{}{}", entry.period, entry.name)
        } else {
            form.what.trim().to_owned()
        };
        actions.push(Action::Apply {
            from: Origin::Reports,
            command: Command::SubmitReport {
                unit,
                report: entry.id.clone(),
                period_start: entry.start,
                date,
                what,
                late_reason: late.then(|| form.late_reason.trim().to_owned()),
                attach: form
                    .attachments
                    .iter()
                    .map(|p| anwei_core::EvidenceSource {
                        path: p.to_string_lossy().into_owned(),
                    })
                    .collect(),
            },
        });
    }
}

fn rates(ui: &mut Ui, model: &DeskModel, state: &mut ReportsState) {
    ui.strong("按时报送率");
    ui.weak("首次报送不晚于截止日期的为按时（其后退回重报仍算按时），逾期报送为补报，截止日期已过而未报送的为未报；未到期的不计。");
    let rows = &model.on_time;
    if rows.is_empty() {
        ui.label("还没有到期的报送。");
        return;
    }
    if state.rate_period.is_empty() {
        state.rate_period = ALL_PERIODS.to_owned();
    }
    ui.horizontal(|ui| {
        let label = ui.label("期别");
        egui::ComboBox::from_id_salt("rate-period")
            .selected_text(state.rate_period.as_str())
            .show_ui(ui, |ui| {
                ui.selectable_value(
                    &mut state.rate_period,
                    ALL_PERIODS.to_owned(),
                    "合计（全部到期的各期）",
                );
                for p in model.rate_periods.iter().rev() {
                    ui.selectable_value(&mut state.rate_period, p.clone(), p.as_str());
                }
            })
            .response
            .labelled_by(label.id);
    });
    egui::Grid::new("reports-rates")
        .striped(true)
        .num_columns(6)
        .show(ui, |ui| {
            for h in ["单位", "应报", "按时", "补报", "未报", "按时率"] {
                ui.strong(h);
            }
            ui.end_row();
            let mut shown: Vec<&OnTime> = rows
                .iter()
                .filter(|r| r.period == state.rate_period)
                .collect();
            // Highest rate first; then the units owing most.
            shown.sort_by(|a, b| {
                b.rate
                    .unwrap_or(0.0)
                    .total_cmp(&a.rate.unwrap_or(0.0))
                    .then(b.due.cmp(&a.due))
            });
            for r in shown {
                ui.label(model.units.name_of(&r.unit));
                ui.label(r.due.to_string());
                ui.label(r.on_time.to_string());
                ui.label(r.late.to_string());
                ui.label(r.missing.to_string());
                ui.label(format!("按时率 {}", rate_text(r.rate)));
                ui.end_row();
            }
        });
}

fn office_settings(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut ReportsState,
    actions: &mut Vec<Action>,
) {
    let reporting = &model.settings.reporting;
    egui::CollapsingHeader::new(RichText::new("本办报送事项与提醒").strong())
        .id_salt("office-reports")
        .default_open(reporting.office_reports.is_empty())
        .show(ui, |ui| {
            let saving = model.saving_from(Origin::Reports);
            let apply = |actions: &mut Vec<Action>, reporting: Reporting| {
                actions.push(Action::Apply {
                    from: Origin::Reports,
                    command: Command::SetReporting { reporting },
                });
            };
            if state.remind_days.is_empty() {
                state.remind_days = reporting.remind_days.to_string();
            }
            ui.horizontal(|ui| {
                labelled_field(ui, "截止日期前提醒天数", &mut state.remind_days, "5", 50.0);
                let days = state.remind_days.trim().parse::<u32>().ok();
                if ui
                    .add_enabled(
                        days.is_some_and(|d| d != reporting.remind_days) && !saving,
                        egui::Button::new("保存提醒天数"),
                    )
                    .clicked()
                    && let Some(d) = days
                {
                    let mut r = reporting.clone();
                    r.remind_days = d;
                    apply(actions, r);
                }
            });
            for (i, o) in reporting.office_reports.iter().enumerate() {
                ui.horizontal(|ui| {
                    let when = if o.grace_days == 0 {
                        "每期最后一天前".to_owned()
                    } else {
                        format!("每期结束后 {} 天内", o.grace_days)
                    };
                    let who = if o.units.is_empty() {
                        "有任务的全部单位".to_owned()
                    } else {
                        format!("{} 个单位", o.units.len())
                    };
                    ui.label(format!(
                        "{}（{}）：{}，{when}报送；{who}",
                        o.name,
                        o.id,
                        o.recurrence.label_zh()
                    ));
                    if ui
                        .add_enabled(!saving, egui::Button::new(format!("删除 {}", o.name)))
                        .on_hover_text("已有的报送记录保留")
                        .clicked()
                    {
                        let mut r = reporting.clone();
                        r.office_reports.remove(i);
                        apply(actions, r);
                    }
                });
            }
            let form = &mut state.office;
            if form.every.is_empty() {
                form.every = "每月".to_owned();
            }
            ui.horizontal(|ui| {
                labelled_field(ui, "事项编号", &mut form.id, "monthly", 90.0);
                labelled_field(ui, "事项名称", &mut form.name, "专项整治月报", 160.0);
                let label = ui.label("周期");
                egui::ComboBox::from_id_salt("office-every")
                    .selected_text(form.every.as_str())
                    .show_ui(ui, |ui| {
                        for w in ["每月", "每季度", "每半年", "每年"] {
                            ui.selectable_value(&mut form.every, w.to_owned(), w);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                labelled_field(ui, "宽限天数", &mut form.grace, "0", 40.0);
            });
            if let Some(e) = &state.settings_error {
                error_label(ui, e);
            }
            if ui
                .add_enabled(
                    !saving && !form.id.trim().is_empty() && !form.name.trim().is_empty(),
                    egui::Button::new("新增报送事项"),
                )
                .clicked()
            {
                let grace = if form.grace.trim().is_empty() {
                    Some(0)
                } else {
                    form.grace.trim().parse::<u32>().ok()
                };
                let every = anwei_core::parse_deadline(&form.every, None)
                    .ok()
                    .and_then(|d| d.recurrence);
                match (grace, every) {
                    (Some(grace_days), Some(recurrence)) => {
                        let mut r = reporting.clone();
                        r.office_reports.push(OfficeReport {
                            id: form.id.trim().to_owned(),
                            name: form.name.trim().to_owned(),
                            recurrence,
                            grace_days,
                            units: Vec::new(),
                            campaign: None,
                        });
                        apply(actions, r);
                    }
                    _ => {
                        state.settings_error =
                            Some("宽限天数写整数（0 表示每期最后一天前报送）".to_owned());
                    }
                }
            }
        });
}
