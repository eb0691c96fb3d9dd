//! 搜索 (Ctrl+K): one field over the shown campaign's tasks (label, title, text, units),
//! progress entries' text, units (names and other spellings), targets, issued 督办通知书 and the
//! open ledger's records; each hit a click away from its item.

use anwei_core::Value;
use egui::{Key, KeyboardShortcut, Modifiers, RichText, ScrollArea, Ui};

use crate::action::{Action, Tab};
use crate::model::DeskModel;

/// At most this many hits of each kind are listed.
const PER_KIND: usize = 30;

#[derive(Debug, Clone, Default)]
pub struct SearchState {
    pub open: bool,
    pub query: String,
    focus: bool,
}

impl SearchState {
    pub fn show(&mut self) {
        self.open = true;
        self.focus = true;
    }
}

/// What a hit is and where it leads.
#[derive(Debug, Clone, PartialEq)]
pub enum Hit {
    Task { id: String, text: String },
    Progress { task: String, text: String },
    Unit { name: String, text: String },
    Target { id: String, text: String },
    Notice { text: String },
    Record { id: u64, text: String },
}

impl Hit {
    pub fn kind_zh(&self) -> &'static str {
        match self {
            Hit::Task { .. } => "任务",
            Hit::Progress { .. } => "进展",
            Hit::Unit { .. } => "单位",
            Hit::Target { .. } => "指标",
            Hit::Notice { .. } => "督办通知书",
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
            Hit::Record { .. } => vec![Action::SwitchTab(Tab::Ledger)],
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
    if let Some(ledger) = &model.ledger {
        let title = ledger.form().title.clone();
        out.extend(
            ledger
                .records()
                .iter()
                .filter(|r| r.values.values().any(|v| value_has(v, &has)))
                .take(PER_KIND)
                .map(|r| Hit::Record {
                    id: r.id,
                    text: format!("{title} #{}", r.id),
                }),
        );
    }
    out
}

fn value_has(v: &Value, has: &impl Fn(&str) -> bool) -> bool {
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
                            .hint_text("任务、进展、单位、指标、督办通知书、台账记录")
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
            let hits = search(model, &state.query);
            if !state.query.trim().is_empty() {
                ui.label(format!("找到 {} 项", hits.len()));
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
