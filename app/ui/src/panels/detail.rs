//! The task detail: the task as written, its units and deadlines, its progress log with edit
//! history, and the form for a new progress entry.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anwei_core::progress::{ProgressInputError, check_progress_input};
use anwei_core::{Command, Evidence, EvidenceSource, ProgressEntry, Role};
use anwei_store::AuditRecord;
use chrono::NaiveDate;
use egui::{DragValue, Label, RichText, ScrollArea, TextEdit, Ui};

use crate::action::{Action, Origin};
use crate::model::{DeskModel, TaskDetailData};
use crate::outcome::{Outcome, TakesOutcome};
use crate::widgets::{ERROR_COLOR, error_label, labelled_field, status_text};

/// The progress form, for a new entry or for editing one in place. Keeps what the user typed
/// until the store has saved it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressForm {
    /// "YYYY-MM-DD".
    pub date: String,
    pub text: String,
    pub use_percent: bool,
    pub percent: u8,
    pub done: bool,
    /// Files to attach.
    pub attachments: Vec<PathBuf>,
    /// Typed path of a file to attach.
    pub typed_path: String,
    /// `stored` paths of existing evidence to detach (editing only).
    pub detach: Vec<String>,
    /// The interim milestone (阶段节点, its due date) the entry reports reached.
    pub milestone: Option<NaiveDate>,
    pub date_error: Option<String>,
    pub path_error: Option<String>,
    /// Why the last save failed (validation or the store).
    pub error: Option<String>,
}

impl ProgressForm {
    pub fn new(today: NaiveDate) -> Self {
        ProgressForm {
            date: today.format("%Y-%m-%d").to_string(),
            text: String::new(),
            use_percent: false,
            percent: 0,
            done: false,
            attachments: Vec::new(),
            typed_path: String::new(),
            detach: Vec::new(),
            milestone: None,
            date_error: None,
            path_error: None,
            error: None,
        }
    }

    pub fn from_entry(e: &ProgressEntry) -> Self {
        ProgressForm {
            date: e.date.format("%Y-%m-%d").to_string(),
            text: e.text.clone(),
            use_percent: e.percent.is_some(),
            percent: e.percent.unwrap_or(0),
            done: e.done,
            milestone: e.milestone,
            ..ProgressForm::new(e.date)
        }
    }

    /// Adds a file to attach; says why not when it is not a readable file.
    pub fn add_attachment(&mut self, path: &Path) -> Result<(), String> {
        crate::widgets::add_file(&mut self.attachments, path)
    }

    /// The parsed date, or the message to show at the field.
    fn parsed_date(&self) -> Result<NaiveDate, String> {
        NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d").map_err(|_| {
            format!(
                "日期“{}”无效，应写作 YYYY-MM-DD，例如 2020-08-15",
                self.date.trim()
            )
        })
    }

    fn percent(&self) -> Option<u8> {
        self.use_percent.then_some(self.percent.min(100))
    }

    fn attach(&self) -> Vec<EvidenceSource> {
        self.attachments
            .iter()
            .map(|p| EvidenceSource {
                path: p.to_string_lossy().into_owned(),
            })
            .collect()
    }

    /// The command adding this entry to `task`, or the message to show (the form keeps
    /// everything either way). `today`: no entry may be dated later.
    pub fn add_command(&mut self, task: &str, today: NaiveDate) -> Option<Command> {
        let date = self.checked_date(today)?;
        let cmd = Command::AddProgress {
            milestone: self.milestone,
            task: task.to_owned(),
            date,
            text: self.text.clone(),
            percent: self.percent(),
            done: self.done,
            attach: self.attach(),
        };
        self.checked(cmd)
    }

    /// The command saving this form over entry `entry`.
    pub fn edit_command(&mut self, entry: u64, today: NaiveDate) -> Option<Command> {
        let date = self.checked_date(today)?;
        let cmd = Command::EditProgress {
            milestone: self.milestone,
            entry,
            date,
            text: self.text.clone(),
            percent: self.percent(),
            done: self.done,
            attach: self.attach(),
            detach: self.detach.clone(),
        };
        self.checked(cmd)
    }

    /// The date, checked with the core's rules for an entry as of `today` (not in the
    /// future; "done" means 100%). A date problem is shown at the date field, the other at
    /// the save button.
    fn checked_date(&mut self, today: NaiveDate) -> Option<NaiveDate> {
        let date = match self.parsed_date() {
            Ok(d) => d,
            Err(msg) => {
                self.date_error = Some(msg);
                return None;
            }
        };
        match check_progress_input(date, today, self.percent(), self.done) {
            Ok(()) => {
                self.date_error = None;
                Some(date)
            }
            Err(e @ ProgressInputError::FutureDate { .. }) => {
                self.date_error = Some(e.to_string());
                None
            }
            Err(e) => {
                self.date_error = None;
                self.error = Some(e.to_string());
                None
            }
        }
    }

    fn checked(&mut self, cmd: Command) -> Option<Command> {
        match cmd.validate() {
            Ok(()) => {
                self.error = None;
                Some(cmd)
            }
            Err(e) => {
                self.error = Some(e.to_string());
                None
            }
        }
    }
}

/// UI state of the detail panel.
#[derive(Debug, Clone, Default)]
pub struct DetailState {
    /// The new-entry form per task id (switching tasks loses nothing).
    pub new_forms: HashMap<String, ProgressForm>,
    /// The entry being edited in place, with its form.
    pub editing: Option<(u64, ProgressForm)>,
    /// Entries whose revisions are shown.
    pub show_history: HashSet<u64>,
    /// The 不适用 reason being typed, per task id.
    pub not_applicable_reason: HashMap<String, String>,
    /// The deadline change being typed (new date, reason), per task id.
    pub deadline_change: HashMap<String, (String, String)>,
}

impl DetailState {
    /// The form files dropped on the window go to: the one being edited, else the open
    /// task's new-entry form.
    pub fn active_form(&mut self, task: &str, today: NaiveDate) -> &mut ProgressForm {
        match &mut self.editing {
            Some((_, form)) => form,
            None => self
                .new_forms
                .entry(task.to_owned())
                .or_insert_with(|| ProgressForm::new(today)),
        }
    }

    /// Files dropped on the window, for the active form of `task`: how many were added, or
    /// the problems (also shown at the form).
    pub fn attach_dropped(
        &mut self,
        task: &str,
        today: NaiveDate,
        paths: Vec<PathBuf>,
    ) -> Result<usize, String> {
        let form = self.active_form(task, today);
        let mut added = 0;
        let mut problems = Vec::new();
        for path in paths {
            if path.as_os_str().is_empty() {
                problems.push("拖入的文件没有路径".to_owned());
            } else {
                match form.add_attachment(&path) {
                    Ok(()) => added += 1,
                    Err(msg) => problems.push(msg),
                }
            }
        }
        if problems.is_empty() {
            Ok(added)
        } else {
            form.path_error = Some(problems.join("；"));
            Err(problems.join("；"))
        }
    }
}

impl TakesOutcome for DetailState {
    /// A saved entry empties its form (or closes the edit); a refused one keeps everything
    /// typed and shows why at the form.
    fn on_outcome(&mut self, outcome: &Outcome, model: &DeskModel) -> Option<String> {
        match &outcome.command {
            Command::AddProgress { task, .. } => match outcome.refused() {
                None => {
                    self.new_forms
                        .insert(task.clone(), ProgressForm::new(model.today));
                }
                Some(msg) => {
                    self.new_forms
                        .entry(task.clone())
                        .or_insert_with(|| ProgressForm::new(model.today))
                        .error = Some(msg.to_owned());
                }
            },
            Command::EditProgress { entry, .. } => {
                if let Some((id, form)) = &mut self.editing
                    && id == entry
                {
                    match outcome.refused() {
                        None => self.editing = None,
                        Some(msg) => form.error = Some(msg.to_owned()),
                    }
                }
            }
            Command::AdjustDeadline { task, .. } if outcome.refused().is_none() => {
                self.deadline_change.remove(task);
            }
            Command::SetNotApplicable {
                item: anwei_core::Item::Task(task),
                ..
            } if outcome.refused().is_none() => {
                self.not_applicable_reason.remove(task);
            }
            _ => {}
        }
        None
    }
}

/// Draws the detail of `task`.
pub fn detail_panel(
    ui: &mut Ui,
    model: &DeskModel,
    task_id: &str,
    state: &mut DetailState,
    actions: &mut Vec<Action>,
) {
    let (Some(task), Some(row)) = (model.task(task_id), model.row(task_id)) else {
        ui.label(format!("找不到任务“{task_id}”"));
        if ui.button("关闭").clicked() {
            actions.push(Action::CloseTask);
        }
        return;
    };
    ui.horizontal(|ui| {
        ui.heading("任务详情");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("关闭详情").clicked() {
                actions.push(Action::CloseTask);
            }
        });
    });
    ui.separator();
    ScrollArea::vertical()
        .id_salt("detail-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.add(
                Label::new(RichText::new(format!("{}　{}", task.label, task.title)).strong())
                    .wrap(),
            );
            if let Some(plan) = model.plan(&task.plan) {
                ui.add(Label::new(format!("方案：{}", DeskModel::plan_caption(plan))).wrap());
            }
            if !task.section.is_empty() {
                ui.label(format!("所属：{}", task.section));
            }
            ui.horizontal_wrapped(|ui| {
                ui.label("状态：");
                ui.label(status_text(row.status));
                if let Some(p) = row.percent {
                    ui.label(format!("（{p}%）"));
                }
                if let Some(m) = &row.milestone {
                    ui.label(format!("阶段节点“{m}”（{}）尚未报完成", row.due));
                }
            });
            let change = state.deadline_change.entry(task_id.to_owned()).or_default();
            if let Some(cmd) = deadline_ui(ui, model, task_id, row, change) {
                actions.push(Action::Apply {
                    from: Origin::Detail,
                    command: cmd,
                });
            }
            let item = anwei_core::Item::Task(task_id.to_owned());
            let draft = state
                .not_applicable_reason
                .entry(task_id.to_owned())
                .or_default();
            if let Some(cmd) = crate::widgets::applicability_ui(
                ui,
                &item,
                model.settings.not_applicable.task(task_id),
                draft,
                model.today,
            ) {
                actions.push(Action::Apply {
                    from: Origin::Detail,
                    command: cmd,
                });
            }
            if row.status.notice_due()
                && ui
                    .button("打印督办通知书…")
                    .on_hover_text("在“打印”页为这项任务生成督办通知书")
                    .clicked()
            {
                actions.push(Action::PrintNotice(task_id.to_owned()));
            }
            if row.status.notice_due()
                && ui
                    .button("列为督办事项…")
                    .on_hover_text("在“督办”页新增以这项任务为来源的督办事项")
                    .clicked()
            {
                actions.push(Action::SuperviseTask(task_id.to_owned()));
            }
            // The notices issued for this task (the register is on the 打印 tab).
            for n in model.notices.iter().filter(|n| n.task == task_id) {
                let state = match &n.voided {
                    Some(v) => format!("已作废：{}", v.reason),
                    None => format!("限 {} 前完成", n.new_deadline),
                };
                let date = n
                    .date
                    .map_or_else(|| n.issued_at.chars().take(10).collect(), |d| d.to_string());
                ui.label(format!(
                    "督办通知书 {}（{date} 签发，主送 {}，{state}）",
                    n.doc_number(&model.settings.doc_prefix),
                    n.recipient
                ));
            }
            let phaseless = model.campaign.phases.is_empty()
                && model.plan(&task.plan).is_none_or(|p| p.phases.is_empty());
            ui.label(match (&row.phase, phaseless) {
                (Some(p), _) => format!("阶段：{p}"),
                (None, true) => "阶段：本活动未分阶段".to_owned(),
                (None, false) => "阶段：—".to_owned(),
            });
            let actions_of: Vec<&str> = model
                .campaign
                .actions_of(&task.id)
                .map(|a| a.name.as_str())
                .collect();
            if !actions_of.is_empty() {
                ui.label(format!("行动：{}", actions_of.join("、")));
            }
            if task.deadlines.is_empty() {
                ui.label(format!("完成时限：未写明（按 {} 计）", row.due));
            } else {
                ui.label("完成时限：");
                for d in &task.deadlines {
                    let due = d
                        .due
                        .map_or_else(|| "周期性".to_owned(), |d| format!("截止 {d}"));
                    ui.label(format!(
                        "　· {}（精确到{}，{due}）",
                        d.text,
                        d.precision.label_zh()
                    ));
                }
            }
            for role in [Role::Lead, Role::Responsible, Role::Cooperating] {
                let names: Vec<String> = task
                    .roles
                    .iter()
                    .filter(|r| r.role == role)
                    .map(|r| {
                        let name = model.units.name_of(&r.unit);
                        match &r.note {
                            Some(n) => format!("{name}（{n}）"),
                            None => name.to_owned(),
                        }
                    })
                    .collect();
                if !names.is_empty() {
                    ui.add(
                        Label::new(format!("{}单位：{}", role.label_zh(), names.join("、"))).wrap(),
                    );
                }
            }
            if let Some(rt) = &task.roles_text {
                ui.add(Label::new(format!("原文分工：{rt}")).wrap());
            }
            if task.roles.is_empty() {
                ui.label("牵头、责任单位：原文未列");
            }
            // Where the source's statements about this task disagree: shown, not fixed.
            if let Some(plan) = model.plan(&task.plan) {
                for n in plan.annotations.notes_on_task(&task.label) {
                    crate::panels::targets::source_note(ui, n);
                }
            }
            ui.add_space(4.0);
            ui.label(RichText::new("任务全文").strong());
            ui.add(Label::new(&task.text).wrap().selectable(true));
            ui.separator();

            ui.label(RichText::new("新增进展").strong());
            let milestones = milestones_of(model, task_id);
            let form = state
                .new_forms
                .entry(task_id.to_owned())
                .or_insert_with(|| ProgressForm::new(model.today));
            // While a progress change is being written the forms wait for its answer.
            let saving = model.saving_from(Origin::Detail);
            let event = ui
                .add_enabled_ui(!saving, |ui| form_ui(ui, "new", form, None, &milestones))
                .inner;
            if event == FormEvent::Save
                && !saving
                && let Some(cmd) = form.add_command(task_id, model.today)
            {
                actions.push(Action::Apply {
                    from: Origin::Detail,
                    command: cmd,
                });
            }
            ui.separator();
            progress_log(ui, model, task_id, state, actions);
        });
}

/// The interim milestones of the task (due date, text as written).
fn milestones_of(model: &DeskModel, task_id: &str) -> Vec<(NaiveDate, String)> {
    model
        .tasks
        .iter()
        .find(|t| t.id == task_id)
        .map(|t| {
            t.interim_milestones()
                .into_iter()
                .filter_map(|d| Some((d.due?, d.text.clone())))
                .collect()
        })
        .unwrap_or_default()
}

fn progress_log(
    ui: &mut Ui,
    model: &DeskModel,
    task_id: &str,
    state: &mut DetailState,
    actions: &mut Vec<Action>,
) {
    let Some(detail) = model.detail.as_ref().filter(|d| d.task == task_id) else {
        ui.label("进展记录读取中…");
        return;
    };
    let milestones = milestones_of(model, task_id);
    ui.label(RichText::new(format!("进展记录（{} 条）", detail.entries.len())).strong());
    if detail.entries.is_empty() {
        ui.weak("尚无进展记录");
    }
    for e in detail.entries.iter().rev() {
        ui.group(|ui| {
            ui.set_width(ui.available_width());
            let editing_this = state.editing.as_ref().is_some_and(|(id, _)| *id == e.id);
            if editing_this {
                if let Some((id, form)) = &mut state.editing {
                    ui.label(RichText::new(format!("编辑进展 #{id}")).strong());
                    let saving = model.saving_from(Origin::Detail);
                    let event = ui
                        .add_enabled_ui(!saving, |ui| {
                            form_ui(
                                ui,
                                &format!("edit-{id}"),
                                form,
                                Some(&e.evidence),
                                &milestones,
                            )
                        })
                        .inner;
                    match event {
                        FormEvent::Save | FormEvent::Cancel if saving => {}
                        FormEvent::Save => {
                            if let Some(cmd) = form.edit_command(*id, model.today) {
                                actions.push(Action::Apply {
                                    from: Origin::Detail,
                                    command: cmd,
                                });
                            }
                        }
                        FormEvent::Cancel => state.editing = None,
                        FormEvent::None => {}
                    }
                }
            } else {
                entry_ui(ui, e, state, detail, actions);
            }
        });
    }
}

fn entry_ui(
    ui: &mut Ui,
    e: &ProgressEntry,
    state: &mut DetailState,
    detail: &TaskDetailData,
    actions: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.strong(e.date.format("%Y-%m-%d").to_string());
        ui.label(if e.author.is_empty() {
            "—"
        } else {
            &e.author
        });
        if e.done {
            ui.label(
                RichText::new("已完成")
                    .color(crate::widgets::status_color(anwei_core::Status::Done)),
            );
        } else if let Some(p) = e.percent {
            ui.label(format!("{p}%"));
        }
        if let Some(m) = e.milestone {
            ui.label(format!("阶段节点（{m}）已完成"));
        }
        if e.revision > 1 {
            ui.weak(format!("（已修改 {} 次）", e.revision - 1));
        }
    });
    if !e.text.is_empty() {
        ui.add(Label::new(&e.text).wrap().selectable(true));
    }
    if !e.evidence.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label("附件：");
            for ev in &e.evidence {
                if ui
                    .link(&ev.name)
                    .on_hover_text(format!("用系统默认程序打开（{} 字节）", ev.size))
                    .clicked()
                {
                    actions.push(Action::OpenEvidence(ev.stored.clone()));
                }
            }
        });
    }
    ui.horizontal(|ui| {
        if ui.small_button("编辑").clicked() {
            state.editing = Some((e.id, ProgressForm::from_entry(e)));
        }
        let showing = state.show_history.contains(&e.id);
        if ui
            .small_button(if showing {
                "收起修改记录"
            } else {
                "修改记录"
            })
            .clicked()
        {
            if showing {
                state.show_history.remove(&e.id);
            } else {
                state.show_history.insert(e.id);
                if !detail.history.contains_key(&e.id) {
                    actions.push(Action::LoadHistory(e.id));
                }
            }
        }
    });
    if state.show_history.contains(&e.id) {
        match detail.history.get(&e.id) {
            None => {
                ui.weak("读取中…");
            }
            Some(records) if records.is_empty() => {
                ui.weak("没有修改记录");
            }
            Some(records) => {
                for rec in records {
                    history_ui(ui, rec);
                }
            }
        }
    }
}

/// One audit record of an entry: who, when, and what changed.
fn history_ui(ui: &mut Ui, rec: &AuditRecord) {
    let at = rec.at.get(..19).unwrap_or(&rec.at).replace('T', " ");
    let who = if rec.actor.is_empty() {
        "—"
    } else {
        &rec.actor
    };
    ui.label(RichText::new(format!("{at}　{who}　{}", rec.summary)).small());
    let (Some(before), Some(after)) = (rec.before.as_ref(), rec.after.as_ref()) else {
        return;
    };
    for (field, name) in [
        ("date", "日期"),
        ("text", "内容"),
        ("percent", "进度%"),
        ("done", "已完成"),
        ("evidence", "附件"),
    ] {
        let show = |v: Option<&serde_json::Value>| -> String {
            match v {
                None | Some(serde_json::Value::Null) => "（无）".to_owned(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Bool(b)) => (if *b { "是" } else { "否" }).to_owned(),
                Some(serde_json::Value::Array(items)) => items
                    .iter()
                    .filter_map(|i| i.get("name").and_then(|n| n.as_str()))
                    .collect::<Vec<_>>()
                    .join("、"),
                Some(other) => other.to_string(),
            }
        };
        let (b, a) = (before.get(field), after.get(field));
        if b != a {
            ui.add(
                Label::new(RichText::new(format!("　{name}：{} → {}", show(b), show(a))).small())
                    .wrap(),
            );
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FormEvent {
    None,
    Save,
    Cancel,
}

/// The progress form; `existing` is the evidence of an entry being edited, `milestones` the
/// task's interim milestones (due date, text as written) an entry may report reached.
fn form_ui(
    ui: &mut Ui,
    salt: &str,
    form: &mut ProgressForm,
    existing: Option<&[Evidence]>,
    milestones: &[(NaiveDate, String)],
) -> FormEvent {
    let mut event = FormEvent::None;
    // Distinct names when editing, so the two forms are told apart (screen readers, tests).
    let prefix = if existing.is_some() { "修改" } else { "" };
    ui.push_id(salt, |ui| {
        ui.horizontal(|ui| {
            let r = labelled_field(
                ui,
                &format!("{prefix}日期"),
                &mut form.date,
                "YYYY-MM-DD",
                100.0,
            );
            if r.changed() {
                form.date_error = None;
            }
        });
        if let Some(msg) = &form.date_error {
            error_label(ui, msg);
        }
        let label = ui.label(format!("{prefix}内容"));
        ui.add(
            TextEdit::multiline(&mut form.text)
                .hint_text("本次进展情况")
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        ui.horizontal(|ui| {
            ui.checkbox(&mut form.use_percent, "填写进度%");
            let label = ui.label(format!("{prefix}进度%"));
            ui.add_enabled(
                form.use_percent,
                DragValue::new(&mut form.percent).range(0..=100).suffix("%"),
            )
            .labelled_by(label.id);
            ui.checkbox(&mut form.done, "已完成");
        });
        if !milestones.is_empty() {
            ui.horizontal(|ui| {
                let label = ui.label(format!("{prefix}完成阶段节点"));
                let shown = form
                    .milestone
                    .and_then(|d| milestones.iter().find(|(m, _)| *m == d))
                    .map_or("（不涉及）".to_owned(), |(_, t)| {
                        format!("{t}的节点已完成")
                    });
                egui::ComboBox::from_id_salt("milestone")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut form.milestone, None, "（不涉及）");
                        for (d, t) in milestones {
                            ui.selectable_value(
                                &mut form.milestone,
                                Some(*d),
                                format!("{t}的节点已完成"),
                            );
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
        }

        ui.horizontal_wrapped(|ui| {
            ui.label("附件：");
            if ui.button("选择文件…").clicked() {
                // None means the dialog was cancelled (or no dialog service is available;
                // the typed path and drag and drop still work).
                if let Some(files) = rfd::FileDialog::new().set_title("选择附件").pick_files() {
                    for f in files {
                        if let Err(msg) = form.add_attachment(&f) {
                            form.path_error = Some(msg);
                        }
                    }
                }
            }
        });
        ui.horizontal(|ui| {
            labelled_field(
                ui,
                &format!("{prefix}附件路径"),
                &mut form.typed_path,
                "也可把文件拖到窗口上",
                260.0,
            );
            if ui.button("添加").clicked() {
                let typed = form.typed_path.trim().to_owned();
                match form.add_attachment(Path::new(&typed)) {
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
        if let Some(existing) = existing {
            for ev in existing {
                ui.horizontal(|ui| {
                    let detached = form.detach.contains(&ev.stored);
                    let text = format!("已有附件：{}", ev.name);
                    if detached {
                        ui.label(RichText::new(text).strikethrough());
                        if ui.small_button("保留").clicked() {
                            form.detach.retain(|s| s != &ev.stored);
                        }
                    } else {
                        ui.label(text);
                        if ui.small_button("移除").clicked() {
                            form.detach.push(ev.stored.clone());
                        }
                    }
                });
            }
        }
        crate::widgets::pending_files(ui, &mut form.attachments);

        if let Some(msg) = &form.error {
            ui.label(RichText::new(msg).color(ERROR_COLOR));
        }
        ui.horizontal(|ui| {
            if existing.is_some() {
                if ui.button("保存修改").clicked() {
                    event = FormEvent::Save;
                }
                if ui.button("取消").clicked() {
                    event = FormEvent::Cancel;
                }
            } else if ui.button("保存进展").clicked() {
                event = FormEvent::Save;
            }
        });
    });
    event
}

/// The task's deadline changes (each kept, with its reason and the day decided) and the form
/// that moves the deadline (a new date not before today, a reason); the command when asked.
fn deadline_ui(
    ui: &mut Ui,
    model: &DeskModel,
    task: &str,
    row: &anwei_core::TaskRow,
    draft: &mut (String, String),
) -> Option<anwei_core::Command> {
    let changes = model.settings.deadline_changes.of(task);
    let mut command = None;
    let head = if changes.is_empty() {
        "调整完成时间".to_owned()
    } else {
        format!("调整完成时间（已调整 {} 次）", changes.len())
    };
    egui::CollapsingHeader::new(head)
        .id_salt(("deadline-change", task))
        .show(ui, |ui| {
            ui.label(format!(
                "原文完成时间：{}",
                if row.deadline_text.is_empty() {
                    "原文未列"
                } else {
                    &row.deadline_text
                }
            ));
            for c in changes {
                ui.label(format!("{} 起改为 {}（{}）", c.date, c.due, c.reason));
            }
            ui.horizontal(|ui| {
                crate::widgets::labelled_field(
                    ui,
                    "新的完成时间",
                    &mut draft.0,
                    "YYYY-MM-DD",
                    100.0,
                );
                crate::widgets::labelled_field(ui, "调整理由", &mut draft.1, "必填", 220.0);
                if ui.button("调整").clicked() {
                    match chrono::NaiveDate::parse_from_str(draft.0.trim(), "%Y-%m-%d") {
                        Ok(due) => {
                            command = Some(anwei_core::Command::AdjustDeadline {
                                task: task.to_owned(),
                                due,
                                reason: draft.1.trim().to_owned(),
                                date: model.today,
                            });
                        }
                        Err(_) => {
                            ui.colored_label(crate::widgets::ERROR_COLOR, "日期格式：YYYY-MM-DD");
                        }
                    }
                }
            });
            ui.weak("原文的完成时间照旧保留；调整记入历史，自今天起按新的完成时间计算状态。");
        });
    command
}
