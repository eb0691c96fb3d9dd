//! 台账: the forms the enabled plugins contribute, and the ledger of one: a virtual table of
//! its records (sortable by any column, filtered by town, unit, date range, status and free
//! text), the record editor in a side panel with the record's history, soft delete with undo.

use std::collections::{HashMap, HashSet};

use anwei_core::{Command, FormRecord};
use chrono::NaiveDate;
use egui::{Align, Color32, ComboBox, Label, Layout, RichText, ScrollArea, Sense, TextEdit, Ui};
use egui_extras::{Column, TableBuilder};

use crate::action::{Action, Origin};
use crate::model::DeskModel;
use crate::outcome::{Outcome, TakesOutcome};
use crate::panels::record_form::{EditorEvent, FormLookups, RecordEditor, record_editor};
use crate::plugins::{LedgerForm, PluginsView};
use crate::records::{
    ColumnKind, LedgerFilter, LedgerRows, LedgerSort, LedgerView, RecordStatus, StatusFilter,
};
use crate::widgets::{ERROR_COLOR, error_label};

/// Height of one ledger row.
pub const ROW_HEIGHT: f32 = 24.0;

/// Id of the free-text filter (Ctrl+F focuses it).
pub fn search_id() -> egui::Id {
    egui::Id::unique("ledger-search")
}

/// Colour of a record status.
pub fn record_status_color(status: RecordStatus) -> Color32 {
    match status {
        RecordStatus::Valid => Color32::from_rgb(30, 140, 60),
        RecordStatus::Draft => Color32::from_rgb(210, 130, 0),
        RecordStatus::Deleted => Color32::from_rgb(130, 130, 130),
    }
}

/// The record being edited (or a new one).
pub struct EditorSession {
    /// Tells validation answers for this editor from those of an earlier one.
    pub session: u64,
    /// `SECTOR/FORM`.
    pub form: String,
    /// `None`: a new record.
    pub record: Option<u64>,
    pub editor: RecordEditor,
    /// Why the last save failed.
    pub error: Option<String>,
    /// The 修改记录 section was opened and its history asked for.
    history_requested: bool,
}

impl std::fmt::Debug for EditorSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EditorSession")
            .field("session", &self.session)
            .field("form", &self.form)
            .field("record", &self.record)
            .field("error", &self.error)
            .finish()
    }
}

impl TakesOutcome for LedgerState {
    /// A saved record closes the editor (so does deleting the record being edited); a
    /// refused one keeps the editor with everything typed and shows why in it.
    fn on_outcome(&mut self, outcome: &Outcome, _model: &DeskModel) -> Option<String> {
        // Only the editor the command came from (the command was written off the UI thread:
        // the answer comes a few frames later).
        let from_editor = match &outcome.command {
            Command::AddRecord { form, .. } => self
                .editor
                .as_ref()
                .is_some_and(|e| e.record.is_none() && e.form == *form),
            Command::EditRecord { id, .. } => self.editing() == Some(*id),
            _ => false,
        };
        match (&outcome.command, outcome.refused()) {
            (Command::AddRecord { .. } | Command::EditRecord { .. }, None) if from_editor => {
                self.editor = None;
            }
            (Command::AddRecord { .. } | Command::EditRecord { .. }, Some(msg)) if from_editor => {
                if let Some(e) = &mut self.editor {
                    e.error = Some(msg.to_owned());
                }
            }
            (Command::DeleteRecord { id }, None) if self.editing() == Some(*id) => {
                self.editor = None;
            }
            _ => {}
        }
        None
    }
}

/// Suggestions the editor offers for reference fields.
#[derive(Debug, Clone, Default)]
struct Lookups {
    key: u64,
    units: Vec<String>,
    towns: Vec<String>,
    enterprises: Vec<String>,
}

/// UI state of the 台账 tab.
#[derive(Debug, Default)]
pub struct LedgerState {
    pub filter: LedgerFilter,
    pub sort: LedgerSort,
    /// The date-range inputs as typed.
    pub from_text: String,
    pub to_text: String,
    view: LedgerView,
    pub editor: Option<EditorSession>,
    next_session: u64,
    lookups: Option<Lookups>,
    /// The first form was opened by itself once.
    auto_opened: bool,
    /// The sector rules' results for the rows shown (the 规则判定 column).
    pub rules: RuleResults,
    pub export: crate::export::ExportBar,
}

/// Most records sent to the plugin in one request for their rule results (a screenful).
pub const RULES_BATCH: usize = 64;

/// The sector rules' results of ledger records, asked of the plugin for the rows shown and
/// kept per record revision (for one form on one day).
#[derive(Debug, Default)]
pub struct RuleResults {
    form: String,
    today: Option<NaiveDate>,
    known: HashMap<(u64, u32), Vec<anwei_core::Classification>>,
    asked: HashSet<(u64, u32)>,
    wanted: Vec<usize>,
}

impl RuleResults {
    /// Forgets everything when the form or the day changed.
    fn keep_for(&mut self, form: &str, today: NaiveDate) {
        if self.form != form || self.today != Some(today) {
            *self = RuleResults {
                form: form.to_owned(),
                today: Some(today),
                ..RuleResults::default()
            };
        }
    }

    /// The results of `record`, when known.
    pub fn of(&self, record: &FormRecord) -> Option<&[anwei_core::Classification]> {
        self.known
            .get(&(record.id, record.revision))
            .map(Vec::as_slice)
    }

    /// The plugin's answer for records of `form` on `today` (dropped when the ledger moved on).
    pub fn take(
        &mut self,
        form: &str,
        today: NaiveDate,
        results: Vec<((u64, u32), Vec<anwei_core::Classification>)>,
    ) {
        if self.form == form && self.today == Some(today) {
            self.known.extend(results);
        }
    }

    /// The text of the 规则判定 cell: the results' values, "无" without any, "…" while asked.
    fn cell(&mut self, index: usize, record: &FormRecord) -> String {
        match self.of(record) {
            Some([]) => "—".to_owned(),
            Some(c) => c
                .iter()
                .map(|c| c.value.as_str())
                .collect::<Vec<_>>()
                .join("、"),
            None => {
                if !self.asked.contains(&(record.id, record.revision))
                    && self.wanted.len() < RULES_BATCH
                {
                    self.wanted.push(index);
                }
                "…".to_owned()
            }
        }
    }
}

impl LedgerState {
    /// The cached row list (indices into the ledger's records, in the order shown).
    pub fn visible(&self) -> &[usize] {
        self.view.indices()
    }

    /// How many times the row list was recomputed.
    pub fn recompute_count(&self) -> u64 {
        self.view.recompute_count()
    }

    /// Brings the row list up to date with the ledger, the filter and the sort.
    pub fn refresh(&mut self, ledger: &LedgerRows) {
        self.view.refresh(ledger, &self.filter, self.sort);
    }

    /// Clears every filter (the sort stays).
    pub fn clear_filters(&mut self) {
        self.filter = LedgerFilter::default();
        self.from_text.clear();
        self.to_text.clear();
    }

    /// After another form was opened: filters, sort and the editor belong to the old one.
    pub fn form_opened(&mut self) {
        self.clear_filters();
        self.sort = LedgerSort::default();
        self.view.clear();
        self.editor = None;
        self.lookups = None;
    }

    fn session(&mut self) -> u64 {
        self.next_session += 1;
        self.next_session
    }

    /// Opens the editor on a new record of the open form.
    pub fn new_record(&mut self, ledger: &LedgerRows, today: NaiveDate) {
        let session = self.session();
        self.editor = Some(EditorSession {
            session,
            form: ledger.form().id.clone(),
            record: None,
            editor: RecordEditor::new(ledger.form(), today),
            error: None,
            history_requested: false,
        });
    }

    /// Opens the editor on a stored record.
    pub fn open_record(&mut self, ledger: &LedgerRows, record: &FormRecord, today: NaiveDate) {
        let session = self.session();
        self.editor = Some(EditorSession {
            session,
            form: ledger.form().id.clone(),
            record: Some(record.id),
            editor: RecordEditor::from_values(ledger.form(), &record.values, today),
            error: None,
            history_requested: false,
        });
    }

    /// Whether the record editor is open.
    pub fn editor_open(&self) -> bool {
        self.editor.is_some()
    }

    /// The plugin's issues for editor `session` (dropped when another editor is open).
    pub fn take_plugin_issues(
        &mut self,
        session: u64,
        issues: Vec<anwei_core::FieldIssue>,
        classes: Vec<anwei_core::Classification>,
    ) {
        if let Some(s) = &mut self.editor
            && s.session == session
        {
            s.editor.set_plugin_issues(issues);
            s.editor.set_plugin_classes(classes);
        }
    }

    /// The record open in the editor (`None` for a new one or no editor).
    pub fn editing(&self) -> Option<u64> {
        self.editor.as_ref().and_then(|e| e.record)
    }

    /// The editor's lists for reference fields. A typed name missing from a non-empty list
    /// is an error, so only lists of the unit directory are passed: its units, and its towns
    /// (属地 units named …镇/…街道/…乡) when it has any; enterprises have no register yet.
    fn lookups(&mut self, model: &DeskModel) -> &Lookups {
        let key = model.generation();
        if self.lookups.as_ref().is_none_or(|l| l.key != key) {
            let lists = anwei_core::reference::RefLists::of(&model.units);
            self.lookups = Some(Lookups {
                key,
                units: lists.units,
                towns: lists.towns,
                enterprises: lists.enterprises,
            });
        }
        self.lookups.get_or_insert_with(Lookups::default)
    }
}

fn form_caption(f: &LedgerForm, count: usize) -> String {
    format!("{}（{count} 条）", f.form.title)
}

/// The sectors that have forms, in plugin order: (sector id, the plugin's short name, its
/// name, its forms).
fn sectors_with_forms(plugins: &PluginsView) -> Vec<(&str, &str, &str, Vec<&LedgerForm>)> {
    let mut out: Vec<(&str, &str, &str, Vec<&LedgerForm>)> = Vec::new();
    for f in &plugins.forms {
        match out.iter_mut().find(|(id, ..)| *id == f.sector) {
            Some((.., forms)) => forms.push(f),
            None => {
                let short = plugins
                    .plugin(&f.sector)
                    .map(|p| p.short_name.as_str())
                    .filter(|s| !s.is_empty())
                    .unwrap_or(f.sector_name.as_str());
                out.push((&f.sector, short, &f.sector_name, vec![f]));
            }
        }
    }
    out
}

/// Draws the form list — the sectors on one row, the chosen sector's forms on the next —
/// and the open ledger.
pub fn ledger_panel(
    ui: &mut Ui,
    model: &DeskModel,
    plugins: &PluginsView,
    state: &mut LedgerState,
    actions: &mut Vec<Action>,
) {
    let open_form = model.ledger.as_ref().map(|l| l.form().id.clone());
    let sectors = sectors_with_forms(plugins);
    let open_sector = open_form
        .as_deref()
        .and_then(|id| plugins.form(id))
        .map(|f| f.sector.clone());
    let count = |f: &LedgerForm| model.record_counts.get(&f.form.id).copied().unwrap_or(0);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("行业").strong());
        if plugins.forms.is_empty() {
            if plugins.starting {
                ui.spinner();
                ui.weak("插件启动中…");
            } else {
                ui.weak("已启用的行业插件没有提供表单");
            }
        }
        for (sector, short, name, forms) in &sectors {
            let selected = open_sector.as_deref() == Some(*sector);
            let records: usize = forms.iter().map(|f| count(f)).sum();
            if ui
                .selectable_label(
                    selected,
                    format!("{short}（{} 表 · {records} 条）", forms.len()),
                )
                .on_hover_text(format!("{name}：{} 个表单", forms.len()))
                .clicked()
                && !selected
                && let Some(first) = forms.first()
            {
                actions.push(Action::OpenLedger(first.form.id.clone()));
            }
        }
    });
    if let Some((.., forms)) = sectors
        .iter()
        .find(|(id, ..)| open_sector.as_deref() == Some(*id))
    {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("表单").strong());
            for f in forms {
                let selected = open_form.as_deref() == Some(f.form.id.as_str());
                if ui
                    .selectable_label(selected, form_caption(f, count(f)))
                    .on_hover_text(format!(
                        "{}，表单编号 {}，插件版本 {}",
                        f.sector_name, f.form.id, f.form.version
                    ))
                    .clicked()
                    && !selected
                {
                    actions.push(Action::OpenLedger(f.form.id.clone()));
                }
            }
        });
    }
    if open_form.is_none()
        && !state.auto_opened
        && let Some(first) = plugins.forms.first()
    {
        state.auto_opened = true;
        actions.push(Action::OpenLedger(first.form.id.clone()));
    }
    ui.separator();
    let Some(ledger) = &model.ledger else {
        ui.weak("请选择一个表单查看其台账。");
        return;
    };
    if plugins.form(&ledger.form().id).is_none() && !plugins.starting {
        ui.label(
            RichText::new("提供此表单的插件未启用：记录可以查看，保存时不经插件检查。")
                .color(crate::panels::plugins::WARN_COLOR),
        );
    }
    filter_row(ui, ledger, state);
    state.refresh(ledger);
    let rules_shown = plugins.form(&ledger.form().id).is_some();
    state.rules.keep_for(&ledger.form().id, model.today);
    ui.horizontal(|ui| {
        ui.label(format!("共 {} 条", state.visible().len()));
        if !state.filter.is_empty() && ui.button("清除筛选").clicked() {
            state.clear_filters();
        }
        // The shown rows are read only when the user exports (a register may hold 100 000).
        let view = &state.view;
        let title = format!("{}{}", model.office_name(), ledger.form().title);
        state.export.ui(
            ui,
            "ledger",
            &format!("{}-{}.xlsx", ledger.form().title, model.today),
            || {
                let columns = anwei_exchange::tables::RecordColumns::of(ledger.form());
                let rows = view
                    .indices()
                    .iter()
                    .filter_map(|&i| ledger.records().get(i))
                    .map(|r| columns.row(r, &model.units))
                    .collect();
                vec![columns.table(&title, rows, model.today)]
            },
            actions,
        );
        ui.separator();
        // The editor waiting for the answer of a save stays open (a refused save keeps
        // what was typed).
        if ui
            .add_enabled(
                !model.saving_from(Origin::Ledger),
                egui::Button::new("新建记录"),
            )
            .on_hover_text(format!("在“{}”中新增一条记录", ledger.form().title))
            .clicked()
        {
            state.new_record(ledger, model.today);
        }
        if ui
            .button("打印空白表")
            .on_hover_text(format!(
                "打印“{}”的空白登记表，供手工填写",
                ledger.form().title
            ))
            .clicked()
        {
            actions.push(Action::PrintForm(None));
        }
    });
    ui.separator();
    if ledger.records().is_empty() {
        ui.weak(format!(
            "“{}”还没有记录。点“新建记录”登记第一条；登记后，由它计算的指标会在“指标”页更新。",
            ledger.form().title
        ));
    }
    ledger_table(ui, model, ledger, state, rules_shown);
    // The rows shown whose rule results are not known yet are asked of the plugin.
    let wanted = std::mem::take(&mut state.rules.wanted);
    if rules_shown && !wanted.is_empty() {
        let records: Vec<FormRecord> = wanted
            .iter()
            .filter_map(|&i| ledger.records().get(i))
            .map(|r| (**r).clone())
            .collect();
        for r in &records {
            state.rules.asked.insert((r.id, r.revision));
        }
        actions.push(Action::ClassifyRecords {
            form: ledger.form().id.clone(),
            records,
        });
    }
}

fn parse_day(text: &str) -> Result<Option<NaiveDate>, ()> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        anwei_core::form::parse_date(text).map(Some).ok_or(())
    }
}

fn filter_row(ui: &mut Ui, ledger: &LedgerRows, state: &mut LedgerState) {
    if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::F)) {
        ui.memory_mut(|m| m.request_focus(search_id()));
    }
    ui.horizontal_wrapped(|ui| {
        for (column, label, salt, slot) in [
            (
                ledger.town_column(),
                "镇(街道)",
                "ledger-town",
                &mut state.filter.town,
            ),
            (
                ledger.unit_column(),
                "单位",
                "ledger-unit",
                &mut state.filter.unit,
            ),
        ] {
            let Some(col) = column else {
                continue;
            };
            let title = ledger
                .columns()
                .get(col)
                .map_or(label, |c| c.title.as_str());
            let l = ui.label(title);
            ComboBox::from_id_salt(salt)
                .selected_text(slot.clone().unwrap_or_else(|| "全部".to_owned()))
                .width(120.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(slot, None, "全部");
                    for v in ledger.distinct(col) {
                        ui.selectable_value(slot, Some(v.clone()), v);
                    }
                })
                .response
                .labelled_by(l.id);
        }
        if let Some(name) = ledger.date_field() {
            let title = ledger
                .form()
                .fields
                .iter()
                .find(|f| f.name == name)
                .map_or(name, |f| f.display_label());
            ui.label(format!("{title}："));
            for (label, text, slot) in [
                ("从", &mut state.from_text, &mut state.filter.from),
                ("至", &mut state.to_text, &mut state.filter.to),
            ] {
                let l = ui.label(label);
                let r = ui
                    .add(
                        TextEdit::singleline(text)
                            .hint_text("年-月-日")
                            .desired_width(90.0),
                    )
                    .labelled_by(l.id);
                match parse_day(text) {
                    Ok(d) => *slot = d,
                    Err(()) => {
                        // Not a date (yet): no bound, rather than the last one typed.
                        *slot = None;
                        r.on_hover_text("日期格式如 2020-06-30");
                        ui.label(RichText::new("日期无效").color(ERROR_COLOR));
                    }
                }
            }
        }
        let l = ui.label("状态");
        ComboBox::from_id_salt("ledger-status")
            .selected_text(state.filter.status.label_zh())
            .show_ui(ui, |ui| {
                for s in StatusFilter::ALL {
                    ui.selectable_value(&mut state.filter.status, s, s.label_zh());
                }
            })
            .response
            .labelled_by(l.id);
        let l = ui.label("搜索");
        ui.add(
            TextEdit::singleline(&mut state.filter.text)
                .id(search_id())
                .hint_text("任一列的内容（Ctrl+F）")
                .desired_width(180.0),
        )
        .labelled_by(l.id);
    });
}

fn ledger_table(
    ui: &mut Ui,
    model: &DeskModel,
    ledger: &LedgerRows,
    state: &mut LedgerState,
    rules_shown: bool,
) {
    let columns = ledger.columns();
    let status_col = columns.iter().position(|c| c.kind == ColumnKind::Status);
    let mut header_clicked = None;
    let mut to_open: Option<usize> = None;
    let editing = state.editing();
    let sort = state.sort;
    let indices = state.view.indices();
    let rules = &mut state.rules;
    // The 规则判定 column comes right after the status (visible without scrolling sideways).
    let rules_after = rules_shown.then(|| status_col.unwrap_or(columns.len().saturating_sub(1)));
    ScrollArea::horizontal()
        .id_salt("ledger-hscroll")
        .show(ui, |ui| {
            let mut table = TableBuilder::new(ui)
                .id_salt(("ledger-table", &ledger.form().id))
                .striped(true)
                .resizable(true)
                .sense(Sense::click())
                .cell_layout(Layout::left_to_right(Align::Center))
                .min_scrolled_height(0.0);
            for (i, c) in columns.iter().enumerate() {
                let width = match c.kind {
                    ColumnKind::Status => 56.0,
                    ColumnKind::Updated => 130.0,
                    // The first field names the record (煤矿名称).
                    ColumnKind::Field(_) if i == 1 => 160.0,
                    ColumnKind::Field(_) => 110.0,
                };
                table = table.column(Column::initial(width).at_least(40.0).clip(true));
                if rules_after == Some(i) {
                    table = table.column(Column::initial(130.0).at_least(40.0).clip(true));
                }
            }
            table
                .header(ROW_HEIGHT, |mut header| {
                    for (i, c) in columns.iter().enumerate() {
                        header.col(|ui| {
                            let active = sort.column == Some(i);
                            let text = if active {
                                format!("{} {}", c.title, if sort.descending { "↓" } else { "↑" })
                            } else {
                                c.title.clone()
                            };
                            if ui
                                .selectable_label(active, RichText::new(text).strong())
                                .on_hover_text("点击排序，再次点击反向")
                                .clicked()
                            {
                                header_clicked = Some(i);
                            }
                        });
                        if rules_after == Some(i) {
                            header.col(|ui| {
                                ui.label(RichText::new("规则判定").strong())
                                    .on_hover_text("行业插件按方案规定对记录的判定");
                            });
                        }
                    }
                })
                .body(|body| {
                    body.rows(ROW_HEIGHT, indices.len(), |mut row| {
                        let Some(&index) = indices.get(row.index()) else {
                            return;
                        };
                        let Some(record) = ledger.records().get(index) else {
                            return;
                        };
                        row.set_selected(editing == Some(record.id));
                        let status = RecordStatus::of(record);
                        for c in 0..columns.len() {
                            row.col(|ui| {
                                // Columns scrolled out of view sideways are not laid out.
                                if !ui.is_rect_visible(ui.max_rect()) {
                                    return;
                                }
                                let text = ledger.cell(index, c);
                                let rich = if Some(c) == status_col {
                                    RichText::new(text).color(record_status_color(status))
                                } else if status == RecordStatus::Deleted {
                                    RichText::new(text).strikethrough().weak()
                                } else {
                                    RichText::new(text)
                                };
                                ui.add(Label::new(rich).truncate().selectable(false));
                            });
                            if rules_after == Some(c) {
                                row.col(|ui| {
                                    let text = rules.cell(index, record);
                                    ui.add(Label::new(text.as_str()).truncate().selectable(false))
                                        .on_hover_text(text);
                                });
                            }
                        }
                        if row.response().clicked() {
                            to_open = Some(index);
                        }
                    });
                });
        });
    if let Some(col) = header_clicked {
        if state.sort.column == Some(col) {
            state.sort.descending = !state.sort.descending;
        } else {
            state.sort = LedgerSort {
                column: Some(col),
                descending: false,
            };
        }
    }
    if let Some(record) = to_open.and_then(|i| ledger.records().get(i))
        && !model.saving_from(Origin::Ledger)
    {
        state.open_record(ledger, record, model.today);
    }
}

/// The editor of the open record (or a new one), with its history: the right-hand panel.
pub fn record_panel(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut LedgerState,
    actions: &mut Vec<Action>,
) {
    let Some(ledger) = &model.ledger else {
        state.editor = None;
        return;
    };
    let today = model.today;
    let lookups = state.lookups(model).clone();
    let Some(session) = &mut state.editor else {
        return;
    };
    if session.form != ledger.form().id {
        state.editor = None;
        return;
    }
    let stored = session.record.and_then(|id| ledger.record(id));
    let mut close = false;
    // While a command of this tab is being written the editor waits for its answer: nothing
    // is sent twice, and what was typed stays until the answer says it was saved.
    let saving = model.saving_from(Origin::Ledger);
    ScrollArea::vertical()
        .id_salt("record-editor-scroll")
        .show(ui, |ui| {
            if saving {
                ui.disable();
            }
            ui.horizontal(|ui| {
                match stored {
                    Some(r) => {
                        ui.heading(format!("记录 #{}", r.id));
                        let status = RecordStatus::of(r);
                        ui.label(
                            RichText::new(status.label_zh()).color(record_status_color(status)),
                        );
                    }
                    None => {
                        ui.heading("新建记录");
                    }
                }
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    if ui.button("关闭").clicked() {
                        close = true;
                    }
                    if let Some(r) = stored
                        && !r.deleted
                        && ui
                            .button("打印登记表")
                            .on_hover_text("按此记录已保存的内容打印登记表（未保存的修改不在其中）")
                            .clicked()
                    {
                        actions.push(Action::PrintForm(Some(r.id)));
                    }
                });
            });
            ui.label(RichText::new(&ledger.form().title).weak());
            if let Some(r) = stored {
                ui.label(
                    RichText::new(format!(
                        "{} 录入于 {}，最后修改 {}（第 {} 版）",
                        r.author,
                        crate::records::short_time(&r.created_at),
                        crate::records::short_time(&r.updated_at),
                        r.revision
                    ))
                    .weak(),
                );
            }
            if let Some(e) = &session.error {
                error_label(ui, e);
            }
            if saving {
                ui.label(RichText::new("保存中…").strong());
            }
            if let Some(r) = stored
                && r.deleted
            {
                ui.label(RichText::new("此记录已删除（不计入指标）。").color(ERROR_COLOR));
                if ui.button("恢复此记录").clicked() {
                    actions.push(Action::Apply {
                        from: Origin::Ledger,
                        command: Command::RestoreRecord { id: r.id },
                    });
                }
            }
            ui.separator();
            let form = ledger.form();
            let lk = FormLookups {
                units: &lookups.units,
                towns: &lookups.towns,
                enterprises: &lookups.enterprises,
            };
            for event in record_editor(ui, form, &mut session.editor, &lk, today) {
                match event {
                    // Ctrl+S or a click that slipped through while the answer is awaited.
                    EditorEvent::Save { .. } | EditorEvent::Cancel if saving => {}
                    EditorEvent::Save { draft } => {
                        // A record with errors can only be kept as a draft.
                        let draft = draft || session.editor.has_errors();
                        // A draft keeps what was typed, also what does not parse yet.
                        let values = if draft {
                            session.editor.draft_values()
                        } else {
                            session.editor.values()
                        };
                        session.error = None;
                        let command = match session.record {
                            None => Command::AddRecord {
                                form: form.id.clone(),
                                form_version: form.version.clone(),
                                values,
                                draft,
                            },
                            Some(id) => Command::EditRecord { id, values, draft },
                        };
                        actions.push(Action::Apply {
                            from: Origin::Ledger,
                            command,
                        });
                    }
                    EditorEvent::Cancel => close = true,
                    EditorEvent::Validate(values) => actions.push(Action::ValidateRecord {
                        session: session.session,
                        form: form.id.clone(),
                        values,
                    }),
                }
            }
            if let Some(r) = stored {
                ui.separator();
                if !r.deleted
                    && ui
                        .button("删除")
                        .on_hover_text("删除此记录（可撤销；删除的记录不计入指标）")
                        .clicked()
                {
                    actions.push(Action::Apply {
                        from: Origin::Ledger,
                        command: Command::DeleteRecord { id: r.id },
                    });
                }
                let header = egui::CollapsingHeader::new("修改记录")
                    .id_salt(("record-history", r.id))
                    .show(ui, |ui| {
                        history(ui, model, r.id);
                    });
                if header.body_returned.is_some() && !session.history_requested {
                    session.history_requested = true;
                    actions.push(Action::LoadRecordHistory(r.id));
                }
                if header.body_returned.is_none() {
                    session.history_requested = false;
                }
            }
        });
    if close {
        state.editor = None;
    }
}

fn history(ui: &mut Ui, model: &DeskModel, id: u64) {
    let Some(revisions) = model.record_history.get(&id) else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.weak("正在读取…");
        });
        return;
    };
    if revisions.is_empty() {
        ui.weak("没有修改记录");
    }
    for rev in revisions {
        ui.label(RichText::new(format!("{} {}：{}", rev.at, rev.actor, rev.summary)).strong());
        for c in &rev.changes {
            ui.add(Label::new(format!("　{}：{} → {}", c.field, c.before, c.after)).wrap());
        }
    }
}
