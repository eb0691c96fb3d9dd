//! 搜索 (Ctrl+K): one field over the shown campaign's tasks (label, title, text, units),
//! progress entries' text, units (names and other spellings), targets, issued 督办通知书, the
//! units' report submissions, and every ledger record of the campaign's registers (searched
//! by the desk on a worker: [`Action::SearchRecords`], answered in
//! [`SearchState::take_records`]); each hit a click away from its item.

use anwei_core::Value;
use egui::{Key, KeyboardShortcut, Modifiers, RichText, ScrollArea, Ui};

use crate::action::{Action, Tab};
use crate::model::DeskModel;

/// At most this many hits of each kind are listed.
pub const PER_KIND: usize = 30;

#[derive(Debug, Clone, Default)]
pub struct SearchState {
    pub open: bool,
    pub query: String,
    focus: bool,
    /// The query the registers were last asked about.
    asked: Option<String>,
    /// The registers' answer: the query it is for, the hits, the records read.
    records: Option<(String, Vec<Hit>, usize)>,
}

impl SearchState {
    pub fn show(&mut self) {
        self.open = true;
        self.focus = true;
    }

    /// The registers' answer to `query` (from the desk's worker).
    pub fn take_records(&mut self, query: String, hits: Vec<Hit>, read: usize) {
        self.records = Some((query, hits, read));
    }

    /// Whether the registers are being searched for the query shown.
    pub fn searching_records(&self) -> bool {
        let q = self.query.trim();
        !q.is_empty() && self.records.as_ref().is_none_or(|(r, _, _)| r != q)
    }

    /// The registers' hits for the query shown, when they are in.
    pub fn record_hits(&self) -> &[Hit] {
        match &self.records {
            Some((q, hits, _)) if q == self.query.trim() => hits,
            _ => &[],
        }
    }
}

/// What a hit is and where it leads.
#[derive(Debug, Clone, PartialEq)]
pub enum Hit {
    Task {
        id: String,
        text: String,
    },
    Progress {
        task: String,
        text: String,
    },
    Unit {
        name: String,
        text: String,
    },
    Target {
        id: String,
        text: String,
    },
    Notice {
        text: String,
    },
    /// A unit's submission of a report: opens its period on the 报送 tab.
    Submission {
        report: String,
        due: chrono::NaiveDate,
        text: String,
    },
    Record {
        form: String,
        id: u64,
        text: String,
    },
}

impl Hit {
    pub fn kind_zh(&self) -> &'static str {
        match self {
            Hit::Task { .. } => "任务",
            Hit::Progress { .. } => "进展",
            Hit::Unit { .. } => "单位",
            Hit::Target { .. } => "指标",
            Hit::Notice { .. } => "督办通知书",
            Hit::Submission { .. } => "报送",
            Hit::Record { .. } => "台账记录",
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Hit::Task { text, .. }
            | Hit::Progress { text, .. }
            | Hit::Unit { text, .. }
            | Hit::Target { text, .. }
            | Hit::Notice { text }
            | Hit::Submission { text, .. }
            | Hit::Record { text, .. } => text,
        }
    }

    fn action(&self) -> Vec<Action> {
        match self {
            Hit::Task { id, .. } => vec![Action::OpenTask(id.clone())],
            Hit::Progress { task, .. } => vec![Action::OpenTask(task.clone())],
            Hit::Unit { .. } => vec![Action::SwitchTab(Tab::Units)],
            Hit::Target { id, .. } => vec![Action::OpenTarget(id.clone())],
            Hit::Notice { .. } => vec![Action::SwitchTab(Tab::Print)],
            Hit::Submission { report, due, .. } => vec![Action::OpenReport {
                report: report.clone(),
                due: Some(*due),
            }],
            Hit::Record { form, id, .. } => vec![Action::OpenRecord {
                form: form.clone(),
                id: *id,
            }],
        }
    }
}

/// The hits of `query` (case-insensitive, any part), by kind, at most [`PER_KIND`] each.
pub fn search(model: &DeskModel, query: &str) -> Vec<Hit> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let has = |s: &str| s.to_lowercase().contains(&q);
    let mut out = Vec::new();
    out.extend(
        model
            .rows
            .iter()
            .filter(|r| r.haystack.contains(&q))
            .take(PER_KIND)
            .map(|r| Hit::Task {
                id: r.id.clone(),
                text: format!("{} {}", r.label, r.title),
            }),
    );
    let mut progress: Vec<Hit> = Vec::new();
    for r in &model.rows {
        for e in model.entries.get(&r.id).into_iter().flatten() {
            if progress.len() < PER_KIND && has(&e.text) {
                progress.push(Hit::Progress {
                    task: r.id.clone(),
                    text: format!("{}（{} {}）", e.text, r.label, e.date),
                });
            }
        }
    }
    out.extend(progress);
    out.extend(
        model
            .units
            .units()
            .iter()
            .filter(|u| has(&u.name) || u.aliases.iter().any(|a| has(a)))
            .take(PER_KIND)
            .map(|u| Hit::Unit {
                name: u.name.clone(),
                text: if u.aliases.is_empty() {
                    u.name.clone()
                } else {
                    format!("{}（又作 {}）", u.name, u.aliases.join("、"))
                },
            }),
    );
    out.extend(
        model
            .targets
            .iter()
            .filter(|t| has(&t.name))
            .take(PER_KIND)
            .map(|t| Hit::Target {
                id: t.id.clone(),
                text: t.name.clone(),
            }),
    );
    let prefix = &model.settings.doc_prefix;
    out.extend(
        model
            .notices
            .iter()
            .filter(|n| has(&n.doc_number(prefix)) || has(&n.recipient) || has(&n.task))
            .take(PER_KIND)
            .map(|n| Hit::Notice {
                text: format!(
                    "{}（主送 {}，任务 {}）",
                    n.doc_number(prefix),
                    n.recipient,
                    n.task
                ),
            }),
    );
    let report_name = |id: &str| -> String {
        model
            .report_periods
            .iter()
            .find(|e| e.id == id)
            .map_or_else(|| id.to_owned(), |e| e.name.clone())
    };
    out.extend(
        model
            .submissions
            .iter()
            .rev()
            .filter(|s| {
                has(&s.what)
                    || has(model.units.name_of(&s.unit))
                    || has(&report_name(&s.report))
                    || s.late_reason.as_deref().is_some_and(has)
            })
            .take(PER_KIND)
            .map(|s| Hit::Submission {
                report: s.report.clone(),
                due: s.due,
                text: format!(
                    "{}（{} {}，{}）",
                    s.what,
                    model.units.name_of(&s.unit),
                    s.period,
                    s.review.label_zh()
                ),
            }),
    );
    out
}

/// Whether a value holds `has`'s text (records searched on the desk's worker).
pub fn value_has(v: &Value, has: &impl Fn(&str) -> bool) -> bool {
    match v {
        Value::Text(t) | Value::Date(t) => has(t),
        Value::Choices(c) => c.iter().any(|t| has(t)),
        Value::Integer(i) => has(&i.to_string()),
        Value::Decimal(d) => has(&d.to_string()),
        Value::Flag(_) => false,
    }
}

/// Ctrl+K opens the search window; Esc closes it.
pub fn search_window(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut SearchState,
    actions: &mut Vec<Action>,
) {
    if ui.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::K))) {
        state.show();
    }
    if !state.open {
        return;
    }
    let mut open = state.open;
    egui::Window::new("搜索（Ctrl+K）")
        .open(&mut open)
        .collapsible(false)
        .default_width(560.0)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 60.0))
        .show(ui.ctx(), |ui| {
            let field = ui
                .horizontal(|ui| {
                    let label = ui.label("查找");
                    ui.add(
                        egui::TextEdit::singleline(&mut state.query)
                            .hint_text("任务、进展、单位、指标、督办通知书、报送、台账记录")
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id)
                })
                .inner;
            if state.focus {
                field.request_focus();
                state.focus = false;
            }
            if ui.input(|i| i.key_pressed(Key::Escape)) {
                state.open = false;
            }
            // The registers: asked on each new query (the desk gives up the search of the
            // one before).
            let q = state.query.trim().to_owned();
            if !q.is_empty() && state.asked.as_deref() != Some(q.as_str()) {
                state.asked = Some(q.clone());
                actions.push(Action::SearchRecords { query: q.clone() });
            }
            let mut hits = search(model, &state.query);
            hits.extend(state.record_hits().iter().cloned());
            if !q.is_empty() {
                if state.searching_records() {
                    ui.label(format!("找到 {} 项，正在查找台账记录…", hits.len()));
                } else {
                    ui.label(format!("找到 {} 项", hits.len()));
                }
            }
            ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
                for h in &hits {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(h.kind_zh()).weak());
                        if ui.link(h.text()).clicked() {
                            actions.extend(h.action());
                            state.open = false;
                        }
                    });
                }
            });
        });
    if !open {
        state.open = false;
    }
}
