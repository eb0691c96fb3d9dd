//! The generic form renderer: draws a plugin's [`FormDef`] (XLSForm vocabulary) and keeps what
//! the user typed in a [`RecordEditor`].
//!
//! It knows the SDK's field kinds, not any sector. Parsing, calculations, relevance, choice
//! filters and validation are the core's ([`anwei_core::form`]); this file only turns typed
//! text into values with [`form::parse_input`], asks a [`FormState`] what to show, and shows
//! the core's [`FieldIssue`]s under their fields. The one check made here is the lookup of a
//! unit/town/enterprise name in the lists the caller passes (the core does not have them).
//!
//! Per kind there is one widget, chosen in one `match` ([`draw_field`]); a new kind is added
//! there, in the core's parser and in its validator.
//!
//! Behaviour:
//! - what was typed is kept exactly, also when it does not parse (the message says why);
//! - calculations and relevance follow every keystroke; the rules (messages) run when the
//!   typing has settled for [`DEBOUNCE_SECS`] and at save, and then the caller is asked to
//!   run the plugin's own validation ([`EditorEvent::Validate`]);
//! - a required field that is still empty says so only once the user has been in it (changed
//!   it or left it) or has tried to save: an empty new form is not a wall of red;
//! - while errors are shown, "保存" gives way to "有 N 处错误" and "保存为草稿（不计入指标）";
//! - Ctrl+S saves; Enter in a text field moves to the next field (after the last one, to
//!   "保存").
//!
//! Accessible names (what screen readers read and tests find): a field's input is labelled by
//! its label; inside a repeat group also by the row's header, so the name reads
//! "隐患明细 第1行 隐患内容". Radio buttons and check boxes are named by the field and their
//! text ("位于恩洪矿区 是"), the extra buttons by the field and their purpose
//! ("整改日期 日历", "隐患明细 添加一行", "隐患明细 第2行 删除此行").

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use anwei_core::form::{self, Severity};
use anwei_core::reference::{missing_reference, row_context};
use anwei_core::{ChoiceDef, FieldDef, FieldIssue, FieldKind, FormDef, FormState, Value};
use chrono::{Datelike, NaiveDate};
use egui::{
    Align, Color32, ComboBox, Grid, Id, Key, KeyboardShortcut, Label, Layout, Modifiers, Popup,
    PopupCloseBehavior, Response, RichText, ScrollArea, TextEdit, Ui, vec2,
};

use crate::widgets::ERROR_COLOR;

/// How long the typing must pause before the rules run (seconds).
pub const DEBOUNCE_SECS: f64 = 0.3;

/// Colour of warnings.
pub const WARNING_COLOR: Color32 = Color32::from_rgb(205, 110, 0);

const LABEL_WIDTH: f32 = 180.0;
const TEXT_WIDTH: f32 = 260.0;
const NUMBER_WIDTH: f32 = 120.0;
const DATE_WIDTH: f32 = 110.0;
const SELECT_WIDTH: f32 = 220.0;
/// Select-many fields with more choices than this get a search box.
const SEARCH_ABOVE: usize = 8;
/// At most this many names of a lookup list are listed at once (the search narrows them).
const MAX_LISTED: usize = 200;

/// Lookups for unit/town/enterprise pickers: names from the unit directory.
#[derive(Debug, Clone, Copy, Default)]
pub struct FormLookups<'a> {
    pub units: &'a [String],
    pub towns: &'a [String],
    pub enterprises: &'a [String],
}

/// What the editor asks its caller to do.
#[derive(Debug, Clone, PartialEq)]
pub enum EditorEvent {
    /// The user asked to save (button or Ctrl+S). `draft` = true when errors remain and the
    /// user chose "保存为草稿". Save [`RecordEditor::values`]; a draft may save
    /// [`RecordEditor::draft_values`], which also keeps texts that do not parse.
    Save {
        draft: bool,
    },
    Cancel,
    /// Values changed and settled (debounced ~300 ms after the last keystroke): the caller
    /// runs the plugin's validate off the UI thread and calls
    /// [`RecordEditor::set_plugin_issues`]. Also sent on the first frame of an editor made
    /// with [`RecordEditor::from_values`], and at save when the last change was not sent yet.
    Validate(BTreeMap<String, Value>),
}

/// One record being edited: the typed text per field path, the values parsed from it, the
/// issues, and what the user has touched.
#[derive(Debug, Clone)]
pub struct RecordEditor {
    today: NaiveDate,
    /// What the user typed (or the loaded value as text), per field path.
    texts: BTreeMap<String, String>,
    /// Values as entered (typed text parsed, choices, flags), before relevance and
    /// calculations; keys the form does not know are kept.
    entered: BTreeMap<String, Value>,
    /// Why a typed text is not a value, per field path.
    parse_errors: BTreeMap<String, String>,
    /// Rows shown per repeat group path (`items`, `mines[0]/faces`); rows are 0..n.
    rows: BTreeMap<String, usize>,
    /// The form's view of `entered`: relevant fields only, calculations done.
    values: BTreeMap<String, Value>,
    /// `values` plus the texts that do not parse (as text), for drafts.
    draft_values: BTreeMap<String, Value>,
    /// The core's issues, the typed texts that do not parse and names missing from the
    /// lookups, as of the last run of the rules.
    core_issues: Vec<FieldIssue>,
    /// Paths whose core error is a required field left empty (shown once touched).
    required_empty: BTreeSet<String>,
    plugin_issues: Vec<FieldIssue>,
    /// The sector rules' results for the values last checked by the plugin ("重点企业").
    plugin_classes: Vec<anwei_core::Classification>,
    /// `core_issues` then `plugin_issues`.
    issues: Vec<FieldIssue>,
    /// Fields the user changed or left.
    touched: BTreeSet<String>,
    /// A save was attempted: every issue is shown.
    submitted: bool,
    dirty: bool,
    /// When (egui time, seconds) the rules are to run next.
    check_due: Option<f64>,
    /// The values changed since the last [`EditorEvent::Validate`].
    validate_unsent: bool,
    /// The values sent with the last [`EditorEvent::Validate`]: its answer speaks of them.
    sent: BTreeMap<String, Value>,
    /// Search text of the open pickers, per field path.
    searches: BTreeMap<String, String>,
    /// The field whose picker popup is open (its search box has been given the focus).
    open_picker: Option<String>,
}

impl RecordEditor {
    fn blank(today: NaiveDate) -> RecordEditor {
        RecordEditor {
            today,
            texts: BTreeMap::new(),
            entered: BTreeMap::new(),
            parse_errors: BTreeMap::new(),
            rows: BTreeMap::new(),
            values: BTreeMap::new(),
            draft_values: BTreeMap::new(),
            core_issues: Vec::new(),
            required_empty: BTreeSet::new(),
            plugin_issues: Vec::new(),
            plugin_classes: Vec::new(),
            issues: Vec::new(),
            touched: BTreeSet::new(),
            submitted: false,
            dirty: false,
            // The first frame runs the rules again, with the caller's lookups.
            check_due: Some(f64::NEG_INFINITY),
            validate_unsent: false,
            sent: BTreeMap::new(),
            searches: BTreeMap::new(),
            open_picker: None,
        }
    }

    /// A new record: the form's defaults applied; a required repeat group starts with one
    /// row (with its row defaults).
    pub fn new(form: &FormDef, today: NaiveDate) -> RecordEditor {
        let mut ed = RecordEditor::blank(today);
        for (path, value) in form::defaults(form) {
            ed.load(form, &path, value);
        }
        ed.init_rows(form, &form.fields, "", true);
        ed.refresh(form);
        ed.check(form, &FormLookups::default());
        ed
    }

    /// A saved record's values. Rows of repeat groups are numbered 0, 1, 2… again if the
    /// record skips some; values of fields the form does not have are kept (and reported).
    pub fn from_values(
        form: &FormDef,
        values: &BTreeMap<String, Value>,
        today: NaiveDate,
    ) -> RecordEditor {
        let mut ed = RecordEditor::blank(today);
        for (path, value) in values {
            ed.load(form, path, value.clone());
        }
        ed.init_rows(form, &form.fields, "", false);
        ed.refresh(form);
        ed.check(form, &FormLookups::default());
        ed.validate_unsent = true;
        ed
    }

    /// Parsed values of relevant fields, calculated fields included.
    pub fn values(&self) -> BTreeMap<String, Value> {
        self.values.clone()
    }

    /// [`Self::values`] plus, as text, what was typed into relevant fields that does not
    /// parse: what a draft keeps so nothing typed is lost (loading it shows the message again).
    pub fn draft_values(&self) -> BTreeMap<String, Value> {
        self.draft_values.clone()
    }

    /// Core issues (as of the last run of the rules) + plugin issues. Includes messages not
    /// shown yet (required fields the user has not reached).
    pub fn issues(&self) -> &[FieldIssue] {
        &self.issues
    }

    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }

    /// The plugin's issues for the values last sent with [`EditorEvent::Validate`]. Issues
    /// of a field the user edits afterwards are dropped until the next result — also when
    /// the answer comes after the edit (a message about the record as a whole, when
    /// anything changed): a late answer never holds an old value against a new one.
    pub fn set_plugin_issues(&mut self, mut issues: Vec<FieldIssue>) {
        let (now, sent) = (&self.values, &self.sent);
        issues.retain(|i| {
            if i.field.is_empty() {
                now == sent
            } else {
                now.get(&i.field) == sent.get(&i.field)
            }
        });
        self.plugin_issues = issues;
        self.rebuild_issues();
    }

    /// The sector rules' results for the values last sent with [`EditorEvent::Validate`].
    pub fn set_plugin_classes(&mut self, classes: Vec<anwei_core::Classification>) {
        self.plugin_classes = classes;
    }

    /// The sector rules' results shown under the form.
    pub fn plugin_classes(&self) -> &[anwei_core::Classification] {
        &self.plugin_classes
    }

    /// Whether the user changed anything since the editor was made (or [`Self::mark_clean`]).
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// After the caller has saved the values.
    pub fn mark_clean(&mut self) {
        self.dirty = false;
    }

    /// What is typed in the field at `path` (`name`, `group[0]/name`).
    pub fn typed(&self, path: &str) -> Option<&str> {
        self.texts.get(path).map(String::as_str)
    }

    /// Runs the rules on the next frame instead of waiting for the typing to settle (and
    /// sends [`EditorEvent::Validate`] then if the values changed).
    pub fn flush(&mut self) {
        self.check_due = Some(f64::NEG_INFINITY);
    }

    /// Runs the rules now: the core's validation, texts that do not parse, names missing from
    /// the lookups (an empty list checks nothing).
    pub fn check(&mut self, form: &FormDef, lookups: &FormLookups<'_>) {
        let fs = FormState::new(form, &self.entered, self.today);
        let mut issues = Vec::new();
        let mut required_empty = BTreeSet::new();
        for issue in fs.validate() {
            // A text that does not parse has its own message; "请填写" would be wrong.
            if self.parse_errors.contains_key(&issue.field) {
                continue;
            }
            let required = form.field(&issue.field).is_some_and(|f| f.required);
            if issue.severity == Severity::Error
                && required
                && fs.value(&issue.field).is_none_or(form::is_blank)
            {
                required_empty.insert(issue.field.clone());
            }
            issues.push(issue);
        }
        for (path, message) in &self.parse_errors {
            if fs.is_relevant(path) {
                issues.push(FieldIssue {
                    field: path.clone(),
                    severity: Severity::Error,
                    message: format!("{}{message}", row_context(form, path)),
                });
            }
        }
        for (path, text) in &self.texts {
            let typed = text.trim();
            let Some(field) = form.field(path) else {
                continue;
            };
            let Some((list, list_name)) = lookup_list(&field.kind, lookups) else {
                continue;
            };
            if !field.accepts_input() || !fs.is_relevant(path) {
                continue;
            }
            issues.extend(missing_reference(form, path, field, typed, list, list_name));
        }
        self.core_issues = issues;
        self.required_empty = required_empty;
        self.rebuild_issues();
    }

    fn rebuild_issues(&mut self) {
        self.issues = self
            .core_issues
            .iter()
            .chain(&self.plugin_issues)
            .cloned()
            .collect();
    }

    /// The issues shown now, with their field paths.
    fn shown_issues(&self) -> impl Iterator<Item = &FieldIssue> {
        let core = self.core_issues.len();
        self.issues
            .iter()
            .enumerate()
            .filter_map(move |(i, issue)| {
                let waiting = i < core
                    && !self.submitted
                    && self.required_empty.contains(&issue.field)
                    && !self.touched.contains(&issue.field);
                (!waiting).then_some(issue)
            })
    }

    fn shown_errors(&self) -> usize {
        self.shown_issues()
            .filter(|i| i.severity == Severity::Error)
            .count()
    }

    /// A loaded value (a default, a saved record). Text for a field typed as text is parsed
    /// like typing (a draft's bad text shows its message again).
    fn load(&mut self, form: &FormDef, path: &str, value: Value) {
        let Some(field) = form.field(path) else {
            self.entered.insert(path.to_owned(), value);
            return;
        };
        match value {
            Value::Text(text) if field.accepts_input() => {
                self.texts.insert(path.to_owned(), text.clone());
                self.parse_text(field, path, &text);
            }
            value => {
                self.texts
                    .insert(path.to_owned(), field.display_value(&value));
                self.entered.insert(path.to_owned(), value);
            }
        }
    }

    /// Typed text → entered value or the message why not.
    fn parse_text(&mut self, field: &FieldDef, path: &str, text: &str) {
        match form::parse_input(field, text) {
            Ok(Some(v)) => {
                self.entered.insert(path.to_owned(), v);
                self.parse_errors.remove(path);
            }
            Ok(None) => {
                self.entered.remove(path);
                self.parse_errors.remove(path);
            }
            Err(message) => {
                self.entered.remove(path);
                self.parse_errors.insert(path.to_owned(), message);
            }
        }
    }

    fn set_value(&mut self, field: &FieldDef, path: &str, value: Option<Value>) {
        self.parse_errors.remove(path);
        match value {
            Some(v) => {
                self.texts.insert(path.to_owned(), field.display_value(&v));
                self.entered.insert(path.to_owned(), v);
            }
            None => {
                self.texts.remove(path);
                self.entered.remove(path);
            }
        }
    }

    /// Recomputes the form's view of the entered values.
    fn refresh(&mut self, form: &FormDef) {
        let fs = FormState::new(form, &self.entered, self.today);
        self.values = fs.values().clone();
        self.draft_values = self.values.clone();
        for path in self.parse_errors.keys() {
            if fs.is_relevant(path)
                && let Some(text) = self.texts.get(path)
            {
                self.draft_values
                    .insert(path.clone(), Value::Text(text.trim().to_owned()));
            }
        }
    }

    /// Row counts of the repeat groups among `fields` (under `prefix`), from the loaded
    /// values; rows renumbered 0, 1, 2… when some are missing. `fresh`: a new record, where
    /// a required group starts with one row.
    fn init_rows(&mut self, form: &FormDef, fields: &[FieldDef], prefix: &str, fresh: bool) {
        for group in fields
            .iter()
            .filter(|f| matches!(f.kind, FieldKind::Repeat { .. }))
        {
            let path = format!("{prefix}{}", group.name);
            // Rows with a value, or with a text that does not parse (a draft's).
            let present = row_indices(self.entered.keys().chain(self.parse_errors.keys()), &path);
            for (new, old) in present.iter().copied().enumerate() {
                if new != old {
                    self.move_row(&path, old, new);
                }
            }
            let n = present.len();
            self.rows.insert(path.clone(), n);
            for i in 0..n {
                self.init_rows(form, group.children(), &format!("{path}[{i}]/"), fresh);
            }
            if n == 0 && fresh && group.required {
                self.add_row(form, group, &path);
            }
        }
    }

    /// Appends a row to the group at `path`, with its row defaults (and one row in each
    /// required group inside it).
    fn add_row(&mut self, form: &FormDef, group: &FieldDef, path: &str) {
        let n = self.rows.get(path).copied().unwrap_or(0);
        for (key, value) in form::row_defaults(group, path, n) {
            self.load(form, &key, value);
        }
        self.rows.insert(path.to_owned(), n + 1);
        self.init_rows(form, group.children(), &format!("{path}[{n}]/"), true);
    }

    /// Deletes row `index` of the group at `path`; later rows move up one.
    fn remove_row(&mut self, path: &str, index: usize) {
        let shift = |key: &str| shift_key(key, path, index);
        shift_map(&mut self.texts, shift);
        shift_map(&mut self.entered, shift);
        shift_map(&mut self.parse_errors, shift);
        shift_map(&mut self.rows, shift);
        shift_map(&mut self.searches, shift);
        self.touched = std::mem::take(&mut self.touched)
            .into_iter()
            .filter_map(|k| shift(&k))
            .collect();
        if let Some(n) = self.rows.get_mut(path) {
            *n = n.saturating_sub(1);
        }
        // The plugin's issues name rows by their old numbers; the next result replaces them.
        let rows = format!("{path}[");
        self.plugin_issues.retain(|i| !i.field.starts_with(&rows));
        self.rebuild_issues();
    }

    /// Renames row `old` of the group at `path` to `new` (an unused number).
    fn move_row(&mut self, path: &str, old: usize, new: usize) {
        let from = format!("{path}[{old}]/");
        let to = format!("{path}[{new}]/");
        let rename = |key: &str| {
            Some(match key.strip_prefix(&from) {
                Some(rest) => format!("{to}{rest}"),
                None => key.to_owned(),
            })
        };
        shift_map(&mut self.texts, rename);
        shift_map(&mut self.entered, rename);
        shift_map(&mut self.parse_errors, rename);
        shift_map(&mut self.rows, rename);
    }
}

/// The row numbers of the group at `group` that `keys` name (`group[2]/…`).
fn row_indices<'k>(keys: impl IntoIterator<Item = &'k String>, group: &str) -> BTreeSet<usize> {
    keys.into_iter()
        .filter_map(|k| {
            let (idx, tail) = k.strip_prefix(group)?.strip_prefix('[')?.split_once(']')?;
            let i: usize = idx.parse().ok()?;
            (tail.starts_with('/') && i.to_string() == idx).then_some(i)
        })
        .collect()
}

/// Where `key` goes when row `removed` of the group at `group` is deleted: `None` when it
/// was in that row, one row up when it was in a later one.
fn shift_key(key: &str, group: &str, removed: usize) -> Option<String> {
    let Some((idx, tail)) = key
        .strip_prefix(group)
        .and_then(|rest| rest.strip_prefix('['))
        .and_then(|rest| rest.split_once(']'))
    else {
        return Some(key.to_owned());
    };
    let Ok(i) = idx.parse::<usize>() else {
        return Some(key.to_owned());
    };
    match i.cmp(&removed) {
        std::cmp::Ordering::Less => Some(key.to_owned()),
        std::cmp::Ordering::Equal => None,
        std::cmp::Ordering::Greater => Some(format!("{group}[{}]{tail}", i - 1)),
    }
}

fn shift_map<V>(map: &mut BTreeMap<String, V>, shift: impl Fn(&str) -> Option<String>) {
    *map = std::mem::take(map)
        .into_iter()
        .filter_map(|(k, v)| shift(&k).map(|k| (k, v)))
        .collect();
}

/// The names a reference field is checked against, and what the list is called.
fn lookup_list<'l>(
    kind: &FieldKind,
    lookups: &FormLookups<'l>,
) -> Option<(&'l [String], &'static str)> {
    anwei_core::reference::lookup_list(kind, lookups.units, lookups.towns, lookups.enterprises)
}

enum RowOp {
    Add(String),
    Remove(String, usize),
}

/// What one frame of the editor shares between the fields.
struct Frame<'a, 'f> {
    fs: FormState<'f>,
    lookups: &'a FormLookups<'a>,
    today: NaiveDate,
    /// Enter was pressed in a field: the next input drawn takes the focus.
    focus_next: bool,
    /// Paths of the fields drawn (issues of others are listed at the end).
    drawn: BTreeSet<String>,
    /// Paths the user changed this frame.
    changed: BTreeSet<String>,
    row_ops: Vec<RowOp>,
}

/// One field's input while it is drawn.
struct Input<'w, 'a, 'f> {
    fr: &'w mut Frame<'a, 'f>,
    ed: &'w mut RecordEditor,
    field: &'f FieldDef,
    path: &'w str,
    /// The labels naming the input: row headers, then the field's label.
    labels: Vec<Id>,
    /// Their texts joined by spaces (names widgets that carry their own text).
    name: String,
}

impl Input<'_, '_, '_> {
    /// Names `response` by the field's label (and row headers).
    fn labelled(&self, mut response: Response) -> Response {
        for id in &self.labels {
            response = response.labelled_by(*id);
        }
        response
    }

    /// Gives `response` the focus when Enter was pressed in the field before.
    fn focus_target(&mut self, response: &Response) {
        if self.fr.focus_next {
            self.fr.focus_next = false;
            response.request_focus();
            response.scroll_to_me(None);
        }
    }

    /// Enter in a text field moves on to the next field.
    fn enter_moves_on(&mut self, ui: &Ui, response: &Response) {
        if response.lost_focus() {
            self.ed.touched.insert(self.path.to_owned());
            if ui.input(|i| i.key_pressed(Key::Enter)) {
                self.fr.focus_next = true;
            }
        }
    }

    fn text_changed(&mut self) {
        let text = self.ed.texts.get(self.path).cloned().unwrap_or_default();
        self.ed.parse_text(self.field, self.path, &text);
        self.changed();
    }

    fn set_value(&mut self, value: Option<Value>) {
        self.ed.set_value(self.field, self.path, value);
        self.changed();
    }

    fn changed(&mut self) {
        self.ed.touched.insert(self.path.to_owned());
        self.fr.changed.insert(self.path.to_owned());
    }

    /// The entered choice names.
    fn selected(&self) -> Vec<String> {
        match self.ed.entered.get(self.path) {
            Some(Value::Choices(c)) => c.clone(),
            _ => Vec::new(),
        }
    }
}

/// What the sector's rules conclude of the record ("规则判定"), each result with its reason.
pub fn rule_results(ui: &mut Ui, classes: &[anwei_core::Classification]) {
    if classes.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.label(RichText::new("规则判定").strong());
    for c in classes {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(&c.value)
                    .strong()
                    .color(egui::Color32::from_rgb(150, 90, 0)),
            );
            ui.add(egui::Label::new(&c.reason).wrap());
        });
    }
}

/// Draws the form being edited in `editor`, with "保存" and "取消" under it; returns what the
/// caller should do. Call every frame while the form is open.
pub fn record_editor(
    ui: &mut Ui,
    form: &FormDef,
    editor: &mut RecordEditor,
    lookups: &FormLookups<'_>,
    today: NaiveDate,
) -> Vec<EditorEvent> {
    editor.today = today;
    let mut events = Vec::new();
    let save_key = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
    let ctrl_s = ui.input_mut(|i| i.consume_shortcut(&save_key));
    let mut fr = Frame {
        fs: FormState::new(form, &editor.entered, today),
        lookups,
        today,
        focus_next: false,
        drawn: BTreeSet::new(),
        changed: BTreeSet::new(),
        row_ops: Vec::new(),
    };
    let mut bar = BarAction::None;
    ui.push_id("record-editor", |ui| {
        let list_height = (ui.available_height() - 44.0).max(120.0);
        ScrollArea::vertical()
            .id_salt("record-form-scroll")
            .auto_shrink([false, true])
            .max_height(list_height)
            .show(ui, |ui| {
                draw_fields(ui, &mut fr, editor, &form.fields, "", &[]);
                other_issues(ui, &fr, editor);
                rule_results(ui, &editor.plugin_classes);
            });
        ui.separator();
        bar = save_bar(ui, &mut fr, editor);
    });

    // Rows added or removed, values changed: the form's view follows at once.
    let now = ui.input(|i| i.time);
    let structural = !fr.row_ops.is_empty();
    for op in std::mem::take(&mut fr.row_ops) {
        match op {
            RowOp::Add(path) => {
                if let Some(group) = form.field(&path) {
                    editor.add_row(form, group, &path);
                }
                editor.touched.insert(path);
            }
            RowOp::Remove(path, index) => {
                editor.remove_row(&path, index);
                editor.touched.insert(path);
            }
        }
    }
    if structural || !fr.changed.is_empty() {
        editor.dirty = true;
        editor.validate_unsent = true;
        // Messages about the old value of a changed field go until the rules run again.
        editor
            .plugin_issues
            .retain(|i| !fr.changed.contains(&i.field));
        editor
            .core_issues
            .retain(|i| !fr.changed.contains(&i.field));
        editor.rebuild_issues();
        editor.refresh(form);
        // A new or removed row renumbers fields: their messages must follow at once.
        editor.check_due = Some(if structural {
            f64::NEG_INFINITY
        } else {
            now + DEBOUNCE_SECS
        });
        ui.ctx().request_repaint();
    }
    let saving = ctrl_s || !matches!(bar, BarAction::None | BarAction::Cancel);
    if let Some(due) = editor.check_due {
        if now >= due || saving {
            editor.check(form, lookups);
            editor.check_due = None;
            if editor.validate_unsent {
                editor.validate_unsent = false;
                editor.sent = editor.values();
                events.push(EditorEvent::Validate(editor.sent.clone()));
            }
        } else {
            ui.ctx()
                .request_repaint_after(Duration::from_secs_f64(due - now));
        }
    }
    match bar {
        BarAction::Cancel => events.push(EditorEvent::Cancel),
        BarAction::Draft => {
            editor.submitted = true;
            events.push(EditorEvent::Save {
                draft: editor.has_errors(),
            });
        }
        BarAction::Save | BarAction::None if saving => {
            // Required fields left empty speak up now; with errors only a draft is offered.
            editor.submitted = true;
            if !editor.has_errors() {
                events.push(EditorEvent::Save { draft: false });
            }
            ui.ctx().request_repaint();
        }
        BarAction::Save | BarAction::None => {}
    }
    events
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BarAction {
    None,
    Save,
    Draft,
    Cancel,
}

/// "保存" (or, while errors are shown, their count and "保存为草稿（不计入指标）") and "取消".
fn save_bar(ui: &mut Ui, fr: &mut Frame<'_, '_>, ed: &RecordEditor) -> BarAction {
    let mut action = BarAction::None;
    ui.horizontal(|ui| {
        let errors = ed.shown_errors();
        if errors == 0 {
            let save = ui.button("保存").on_hover_text("Ctrl+S");
            if fr.focus_next {
                fr.focus_next = false;
                save.request_focus();
            }
            if save.clicked() {
                action = BarAction::Save;
            }
        } else {
            ui.label(RichText::new(format!("有 {errors} 处错误")).color(ERROR_COLOR));
            if ui
                .button("保存为草稿（不计入指标）")
                .on_hover_text("草稿会保存并显示在台账中，但不计入指标")
                .clicked()
            {
                action = BarAction::Draft;
            }
        }
        if ui.button("取消").clicked() {
            action = BarAction::Cancel;
        }
    });
    action
}

/// Issues of fields not drawn (hidden, unknown to the form, the whole record).
fn other_issues(ui: &mut Ui, fr: &Frame<'_, '_>, ed: &RecordEditor) {
    let others: Vec<&FieldIssue> = ed
        .shown_issues()
        .filter(|i| !fr.drawn.contains(&i.field))
        .collect();
    if others.is_empty() {
        return;
    }
    ui.add_space(6.0);
    for issue in others {
        issue_label(ui, issue);
    }
}

fn issue_label(ui: &mut Ui, issue: &FieldIssue) {
    let color = match issue.severity {
        Severity::Error => ERROR_COLOR,
        Severity::Warning => WARNING_COLOR,
    };
    ui.add(Label::new(RichText::new(&issue.message).color(color)).wrap());
}

/// Draws `fields` (at the top, or of one repeat row when `prefix` is `group[i]/`).
fn draw_fields<'f>(
    ui: &mut Ui,
    fr: &mut Frame<'_, 'f>,
    ed: &mut RecordEditor,
    fields: &'f [FieldDef],
    prefix: &str,
    trail: &[(Id, String)],
) {
    for field in fields {
        let path = format!("{prefix}{}", field.name);
        if !fr.fs.is_relevant(&path) {
            continue;
        }
        fr.drawn.insert(path.clone());
        ui.push_id(&path, |ui| draw_field(ui, fr, ed, field, &path, trail));
    }
}

/// One field: the widget of its kind.
fn draw_field<'f>(
    ui: &mut Ui,
    fr: &mut Frame<'_, 'f>,
    ed: &mut RecordEditor,
    field: &'f FieldDef,
    path: &str,
    trail: &[(Id, String)],
) {
    match &field.kind {
        FieldKind::Text => field_row(ui, fr, ed, field, path, trail, |ui, w| {
            text_input(ui, w, TEXT_WIDTH, "");
        }),
        FieldKind::Integer | FieldKind::Decimal => {
            field_row(ui, fr, ed, field, path, trail, |ui, w| {
                text_input(ui, w, NUMBER_WIDTH, "");
                if let Some(unit) = &w.field.unit {
                    ui.label(unit);
                }
            });
        }
        FieldKind::Date => field_row(ui, fr, ed, field, path, trail, date_input),
        FieldKind::SelectOne => field_row(ui, fr, ed, field, path, trail, select_one),
        FieldKind::SelectMany => field_row(ui, fr, ed, field, path, trail, select_many),
        FieldKind::UnitRef => field_row(ui, fr, ed, field, path, trail, |ui, w| {
            let list = w.fr.lookups.units;
            ref_input(ui, w, list);
        }),
        FieldKind::TownRef => field_row(ui, fr, ed, field, path, trail, |ui, w| {
            let list = w.fr.lookups.towns;
            ref_input(ui, w, list);
        }),
        FieldKind::EnterpriseRef => field_row(ui, fr, ed, field, path, trail, |ui, w| {
            let list = w.fr.lookups.enterprises;
            ref_input(ui, w, list);
        }),
        FieldKind::YesNo => field_row(ui, fr, ed, field, path, trail, yes_no),
        FieldKind::Note => {
            ui.add(Label::new(field.display_label()).wrap());
            hint_and_issues(ui, ed, field, path, 0.0);
        }
        FieldKind::Calculate => field_row(ui, fr, ed, field, path, trail, read_only_value),
        FieldKind::Repeat { fields } => repeat_group(ui, fr, ed, field, fields, path, trail),
    }
}

/// The label (with a red * when required), the input, then the hint and the field's issues.
/// Fields that take no input (read-only, calculated) show their value instead.
fn field_row<'a, 'f>(
    ui: &mut Ui,
    fr: &mut Frame<'a, 'f>,
    ed: &mut RecordEditor,
    field: &'f FieldDef,
    path: &str,
    trail: &[(Id, String)],
    widget: impl FnOnce(&mut Ui, &mut Input<'_, 'a, 'f>),
) {
    ui.horizontal(|ui| {
        let height = ui.spacing().interact_size.y;
        let label = ui
            .allocate_ui_with_layout(
                vec2(LABEL_WIDTH, height),
                Layout::left_to_right(Align::Center),
                |ui| {
                    ui.set_min_width(LABEL_WIDTH);
                    let label = ui.add(Label::new(field.display_label()).wrap());
                    if field.required && field.accepts_input() {
                        ui.label(RichText::new("*").color(ERROR_COLOR));
                    }
                    label
                },
            )
            .inner;
        let mut labels: Vec<Id> = trail.iter().map(|(id, _)| *id).collect();
        labels.push(label.id);
        let mut input = Input {
            fr,
            ed,
            field,
            path,
            labels,
            name: joined(trail, field.display_label()),
        };
        if field.accepts_input() {
            widget(ui, &mut input);
        } else {
            read_only_value(ui, &mut input);
        }
    });
    let indent = LABEL_WIDTH + ui.spacing().item_spacing.x;
    hint_and_issues(ui, ed, field, path, indent);
}

/// The field's hint (weak) and the issues shown at it, indented under the input.
fn hint_and_issues(ui: &mut Ui, ed: &RecordEditor, field: &FieldDef, path: &str, indent: f32) {
    let issues: Vec<&FieldIssue> = ed.shown_issues().filter(|i| i.field == path).collect();
    let hint = field.hint.as_deref().filter(|h| !h.trim().is_empty());
    if hint.is_none() && issues.is_empty() {
        return;
    }
    ui.horizontal(|ui| {
        ui.add_space(indent);
        ui.vertical(|ui| {
            if let Some(h) = hint {
                ui.add(Label::new(RichText::new(h).weak()).wrap());
            }
            for issue in issues {
                issue_label(ui, issue);
            }
        });
    });
}

/// A one-line text field holding exactly what was typed.
fn text_input(ui: &mut Ui, w: &mut Input<'_, '_, '_>, width: f32, hint: &str) -> Response {
    let text = w.ed.texts.entry(w.path.to_owned()).or_default();
    let response = ui.add(
        TextEdit::singleline(text)
            .id_salt("input")
            .hint_text(hint)
            .desired_width(width),
    );
    let response = w.labelled(response);
    w.focus_target(&response);
    if response.changed() {
        w.text_changed();
    }
    w.enter_moves_on(ui, &response);
    response
}

/// A value the user does not type: calculated or read-only.
fn read_only_value(ui: &mut Ui, w: &mut Input<'_, '_, '_>) {
    let mut text =
        w.fr.fs
            .value(w.path)
            .map_or_else(|| "—".to_owned(), |v| w.field.display_value(v));
    if let Some(unit) = w.field.unit.as_deref().filter(|_| text != "—") {
        text = format!("{text} {unit}");
    }
    // A read-only text field: named by the label like the inputs, its text selectable.
    let color = ui.visuals().strong_text_color();
    let response = ui.add(
        TextEdit::singleline(&mut text.as_str())
            .id_salt("value")
            .frame(egui::Frame::NONE)
            .text_color(color)
            .desired_width(TEXT_WIDTH),
    );
    w.labelled(response);
}

/// A date typed as text (anything the core's date parser accepts), or picked in a calendar.
fn date_input(ui: &mut Ui, w: &mut Input<'_, '_, '_>) {
    text_input(ui, w, DATE_WIDTH, "YYYY-MM-DD");
    let current = match w.ed.entered.get(w.path) {
        Some(Value::Date(d)) => form::parse_date(d),
        _ => None,
    };
    if let Some(day) = calendar(ui, &w.name, current, w.fr.today) {
        w.ed.texts
            .insert(w.path.to_owned(), day.format("%Y-%m-%d").to_string());
        w.text_changed();
    }
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn add_months(month: NaiveDate, delta: i32) -> NaiveDate {
    let total = month.year() * 12 + month.month0() as i32 + delta;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)
        .unwrap_or(month)
}

/// "日历": a month of days to click (Chinese week starting on Monday).
fn calendar(
    ui: &mut Ui,
    name: &str,
    current: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let button = ui
        .button("日历")
        .on_hover_text("在日历中选择日期")
        .accessible_name(format!("{name} 日历"));
    let month_id = button.id.with("month");
    if button.clicked() {
        let start = first_of_month(current.unwrap_or(today));
        ui.data_mut(|d| d.insert_temp(month_id, start));
    }
    let mut picked = None;
    Popup::menu(&button)
        .close_behavior(PopupCloseBehavior::CloseOnClickOutside)
        .show(|ui| {
            let mut month = ui
                .data(|d| d.get_temp::<NaiveDate>(month_id))
                .unwrap_or_else(|| first_of_month(current.unwrap_or(today)));
            ui.horizontal(|ui| {
                if ui.button("上月").clicked() {
                    month = add_months(month, -1);
                }
                ui.label(format!("{}年{}月", month.year(), month.month()));
                if ui.button("下月").clicked() {
                    month = add_months(month, 1);
                }
                if ui.button("今天").clicked() {
                    picked = Some(today);
                }
            });
            Grid::new(month_id.with("days"))
                .spacing(vec2(2.0, 2.0))
                .show(ui, |ui| {
                    for d in ["一", "二", "三", "四", "五", "六", "日"] {
                        ui.label(d);
                    }
                    ui.end_row();
                    let offset = month.weekday().num_days_from_monday();
                    for _ in 0..offset {
                        ui.label("");
                    }
                    let mut column = offset;
                    for day in month.iter_days().take_while(|d| d.month() == month.month()) {
                        let clicked = ui
                            .selectable_label(current == Some(day), day.day().to_string())
                            .accessible_name(format!(
                                "{}年{}月{}日",
                                day.year(),
                                day.month(),
                                day.day()
                            ))
                            .clicked();
                        if clicked {
                            picked = Some(day);
                        }
                        column += 1;
                        if column == 7 {
                            ui.end_row();
                            column = 0;
                        }
                    }
                });
            ui.data_mut(|d| d.insert_temp(month_id, month));
            if picked.is_some() {
                ui.close();
            }
        });
    picked
}

/// The search box of a picker popup: focused when the popup opens; Enter reports true.
fn picker_search(ui: &mut Ui, w: &mut Input<'_, '_, '_>, width: f32) -> (String, bool) {
    let search = w.ed.searches.entry(w.path.to_owned()).or_default();
    let response = ui
        .add(
            TextEdit::singleline(search)
                .id_salt("search")
                .hint_text("输入文字筛选")
                .desired_width(width),
        )
        .accessible_name(format!("{} 搜索", w.name));
    let needle = search.trim().to_owned();
    if w.ed.open_picker.as_deref() != Some(w.path) {
        w.ed.open_picker = Some(w.path.to_owned());
        response.request_focus();
    }
    let enter = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
    (needle, enter)
}

/// After a picker's combo box was drawn: closing it counts as having been in the field.
fn picker_closed(w: &mut Input<'_, '_, '_>, open: bool) {
    if !open && w.ed.open_picker.as_deref() == Some(w.path) {
        w.ed.open_picker = None;
        w.ed.searches.remove(w.path);
        w.ed.touched.insert(w.path.to_owned());
    }
}

fn matches_search(choice: &ChoiceDef, needle: &str) -> bool {
    needle.is_empty() || choice.label.contains(needle) || choice.name.contains(needle)
}

/// A combo box of the choices the choice filter allows, with a search box (by label).
fn select_one(ui: &mut Ui, w: &mut Input<'_, '_, '_>) {
    let allowed = w.fr.fs.choices(w.path);
    let selected = w.selected();
    let shown = match w.ed.entered.get(w.path) {
        Some(v) => w.field.display_value(v),
        // A loaded text that names no choice stays visible (its message says why).
        None => {
            w.ed.texts
                .get(w.path)
                .filter(|t| !t.trim().is_empty())
                .cloned()
                .unwrap_or_else(|| "请选择".to_owned())
        }
    };
    let mut pick: Option<Option<String>> = None;
    let mut move_on = false;
    let inner = ComboBox::from_id_salt("select")
        .selected_text(shown)
        .width(SELECT_WIDTH)
        .close_behavior(PopupCloseBehavior::CloseOnClickOutside)
        .show_ui(ui, |ui| {
            let (needle, enter) = picker_search(ui, w, SELECT_WIDTH);
            let matching: Vec<&ChoiceDef> = allowed
                .iter()
                .copied()
                .filter(|c| matches_search(c, &needle))
                .collect();
            if enter && let Some(first) = matching.first() {
                pick = Some(Some(first.name.clone()));
                move_on = true;
            }
            if !selected.is_empty() && ui.selectable_label(false, "（不选）").clicked() {
                pick = Some(None);
            }
            for c in &matching {
                if ui
                    .selectable_label(selected.contains(&c.name), &c.label)
                    .clicked()
                {
                    pick = Some(Some(c.name.clone()));
                }
            }
            if allowed.is_empty() {
                ui.weak("没有可选的选项（取决于前面填写的内容）");
            } else if matching.is_empty() {
                ui.weak("没有符合的选项");
            }
            if pick.is_some() {
                ui.close();
            }
        });
    let still_open = inner.inner.is_some() && pick.is_none();
    let response = w.labelled(inner.response);
    w.focus_target(&response);
    if let Some(choice) = pick {
        w.set_value(choice.map(|name| Value::Choices(vec![name])));
        w.fr.focus_next |= move_on;
    }
    picker_closed(w, still_open);
}

/// Check boxes of the allowed choices (and of chosen ones the filter no longer allows), with a
/// search box when there are many.
fn select_many(ui: &mut Ui, w: &mut Input<'_, '_, '_>) {
    let allowed = w.fr.fs.choices(w.path);
    let mut selected = w.selected();
    let field = w.field;
    ui.vertical(|ui| {
        let needle = if allowed.len() > SEARCH_ABOVE {
            let search = w.ed.searches.entry(w.path.to_owned()).or_default();
            let response = ui
                .add(
                    TextEdit::singleline(search)
                        .id_salt("search")
                        .hint_text("输入文字筛选")
                        .desired_width(SELECT_WIDTH),
                )
                .accessible_name(format!("{} 搜索", w.name));
            let needle = search.trim().to_owned();
            w.focus_target(&response);
            w.enter_moves_on(ui, &response);
            needle
        } else {
            String::new()
        };
        let mut changed = false;
        ui.horizontal_wrapped(|ui| {
            let shown: Vec<&ChoiceDef> = field
                .choices
                .iter()
                .filter(|c| {
                    selected.contains(&c.name)
                        || (allowed.iter().any(|a| a.name == c.name) && matches_search(c, &needle))
                })
                .collect();
            for c in shown {
                let mut on = selected.contains(&c.name);
                let response = ui
                    .checkbox(&mut on, &c.label)
                    .accessible_name(format!("{} {}", w.name, c.label));
                w.focus_target(&response);
                if response.changed() {
                    changed = true;
                    if on {
                        selected.push(c.name.clone());
                    } else {
                        selected.retain(|n| n != &c.name);
                    }
                }
            }
            if allowed.is_empty() {
                ui.weak("没有可选的选项（取决于前面填写的内容）");
            }
        });
        if changed {
            // In the form's order; names the form does not know stay at the end.
            let mut names: Vec<String> = field
                .choices
                .iter()
                .filter(|c| selected.contains(&c.name))
                .map(|c| c.name.clone())
                .collect();
            names.extend(selected.iter().filter(|n| !field.has_choice(n)).cloned());
            w.set_value((!names.is_empty()).then_some(Value::Choices(names)));
        }
    });
}

/// A unit/town/enterprise name: typed, or picked from the list (a searchable combo box).
fn ref_input(ui: &mut Ui, w: &mut Input<'_, '_, '_>, list: &[String]) {
    text_input(ui, w, TEXT_WIDTH, "输入名称或从列表选择");
    let current = w.ed.texts.get(w.path).map(|t| t.trim().to_owned());
    let mut pick = None;
    let inner = ComboBox::from_id_salt("pick")
        .selected_text("选择")
        .width(60.0)
        .close_behavior(PopupCloseBehavior::CloseOnClickOutside)
        .show_ui(ui, |ui| {
            let (needle, enter) = picker_search(ui, w, TEXT_WIDTH);
            let matching: Vec<&String> = list
                .iter()
                .filter(|n| needle.is_empty() || n.contains(&needle))
                .collect();
            if enter && let Some(first) = matching.first() {
                pick = Some((*first).clone());
            }
            for n in matching.iter().take(MAX_LISTED) {
                if ui
                    .selectable_label(current.as_deref() == Some(n.as_str()), n.as_str())
                    .clicked()
                {
                    pick = Some((*n).clone());
                }
            }
            if matching.len() > MAX_LISTED {
                ui.weak(format!(
                    "另有 {} 项，请输入文字筛选",
                    matching.len() - MAX_LISTED
                ));
            }
            if list.is_empty() {
                ui.weak("名单为空，请直接填写名称");
            } else if matching.is_empty() {
                ui.weak("没有符合的名称");
            }
            if pick.is_some() {
                ui.close();
            }
        });
    let still_open = inner.inner.is_some() && pick.is_none();
    inner
        .response
        .accessible_name(format!("{} 从列表选择", w.name));
    if let Some(name) = pick {
        w.ed.texts.insert(w.path.to_owned(), name);
        w.text_changed();
    }
    picker_closed(w, still_open);
}

/// Two radio buttons 是/否 (and "清除" when the field may stay empty).
fn yes_no(ui: &mut Ui, w: &mut Input<'_, '_, '_>) {
    let current = match w.ed.entered.get(w.path) {
        Some(Value::Flag(b)) => Some(*b),
        _ => None,
    };
    for (flag, text) in [(true, "是"), (false, "否")] {
        let response = ui
            .radio(current == Some(flag), text)
            .accessible_name(format!("{} {text}", w.name));
        w.focus_target(&response);
        if response.clicked() && current != Some(flag) {
            w.set_value(Some(Value::Flag(flag)));
        }
    }
    if current.is_some()
        && !w.field.required
        && ui
            .small_button("清除")
            .accessible_name(format!("{} 清除", w.name))
            .clicked()
    {
        w.set_value(None);
    }
}

/// A framed group: one block per row with "删除此行", then "添加一行".
fn repeat_group<'f>(
    ui: &mut Ui,
    fr: &mut Frame<'_, 'f>,
    ed: &mut RecordEditor,
    group: &'f FieldDef,
    fields: &'f [FieldDef],
    path: &str,
    trail: &[(Id, String)],
) {
    let label = group.display_label();
    let name = joined(trail, label);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.label(RichText::new(label).strong());
            if group.required {
                ui.label(RichText::new("*").color(ERROR_COLOR));
            }
        });
        hint_and_issues(ui, ed, group, path, 0.0);
        let n = ed.rows.get(path).copied().unwrap_or(0);
        if n == 0 {
            ui.weak("尚无数据行");
        }
        for i in 0..n {
            let row_path = format!("{path}[{i}]");
            let header = format!("{label} 第{}行", i + 1);
            ui.push_id(i, |ui| {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    let head = ui
                        .horizontal(|ui| {
                            let head = ui.label(RichText::new(&header).strong());
                            let delete = ui
                                .small_button("删除此行")
                                .accessible_name(format!("{} 删除此行", joined(trail, &header)));
                            if delete.clicked() {
                                fr.row_ops.push(RowOp::Remove(path.to_owned(), i));
                            }
                            head
                        })
                        .inner;
                    let prefix = format!("{row_path}/");
                    if !ed.entered.keys().any(|k| k.starts_with(&prefix))
                        && !ed.parse_errors.keys().any(|k| k.starts_with(&prefix))
                    {
                        ui.weak("空行不会保存");
                    }
                    let mut inner_trail = trail.to_vec();
                    inner_trail.push((head.id, header.clone()));
                    draw_fields(ui, fr, ed, fields, &prefix, &inner_trail);
                });
            });
        }
        if ui
            .button("添加一行")
            .accessible_name(format!("{name} 添加一行"))
            .clicked()
        {
            fr.row_ops.push(RowOp::Add(path.to_owned()));
        }
    });
}

/// The texts of `trail` and `last`, joined by spaces (an accessible name).
fn joined(trail: &[(Id, String)], last: &str) -> String {
    trail
        .iter()
        .map(|(_, t)| t.as_str())
        .chain([last])
        .collect::<Vec<_>>()
        .join(" ")
}
