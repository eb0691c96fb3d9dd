//! 督办: the supervision registers on one tab — 督办事项 (their three statuses, the ladder's
//! next step, 接收 → 完成 → 验收 → 销号 → 回头看, written explanations), hazards (登记, 五到位,
//! 复查, 销号; a 重大隐患's 挂牌 item), 通报 (期号 per year, each unit's count and what it
//! costs), 约谈 records, 两个清单 and rewards, and the year-end 考核 sheet with every
//! deduction's cause.

use anwei_core::Command;
use anwei_core::supervise::SupAction;
use anwei_core::supervision::{
    Check, CircularKind, FiveInPlace, HazardFilter, HazardGrade, HazardState, Item, ItemFilter,
    ItemState, Level, ListKind, Named, Source, SourceKind,
};
use chrono::{Datelike, NaiveDate};
use egui::{RichText, ScrollArea, Ui};

use crate::action::{Action, Origin};
use crate::model::DeskModel;
use crate::outcome::{Outcome, TakesOutcome};
use crate::plugins::PluginsView;
use crate::widgets::{error_label, labelled_field, status_color};

/// The registers the tab shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Items,
    Hazards,
    Circulars,
    Talks,
    Lists,
    Assessment,
}

impl View {
    pub const ALL: [View; 6] = [
        View::Items,
        View::Hazards,
        View::Circulars,
        View::Talks,
        View::Lists,
        View::Assessment,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            View::Items => "督办事项",
            View::Hazards => "隐患闭环",
            View::Circulars => "通报",
            View::Talks => "约谈",
            View::Lists => "两个清单与举报奖励",
            View::Assessment => "年度考核",
        }
    }
}

/// The form of a new 督办事项.
#[derive(Debug, Clone, Default)]
pub struct ItemForm {
    /// The task it comes from (an overdue task), when it does.
    pub task: Option<String>,
    pub title: String,
    pub unit: Option<String>,
    pub deadline: String,
    pub source: Option<SourceKind>,
    pub reference: String,
    pub level: Option<Level>,
}

/// The form of a new hazard.
#[derive(Debug, Clone, Default)]
pub struct HazardForm {
    pub place: String,
    pub description: String,
    pub unit: Option<String>,
    pub grade: Option<HazardGrade>,
    pub deadline: String,
    /// 隐患类别 and 判定标准条款 as typed, when no sector checklist item is cited.
    pub category: String,
    pub standard: String,
    /// The sector (plugin id) whose checklist is cited, its category and item ids.
    pub sector: Option<String>,
    pub checklist_category: Option<String>,
    pub clause: Option<String>,
}

/// The 五到位 being typed for the selected hazard.
#[derive(Debug, Clone, Default)]
pub struct FiveForm {
    pub responsible: String,
    pub measures: String,
    pub funds: String,
    pub contingency: String,
}

/// The form of a new 通报.
#[derive(Debug, Clone, Default)]
pub struct CircularForm {
    pub title: String,
    pub date: String,
    pub kind: Option<CircularKind>,
    pub units: std::collections::BTreeSet<String>,
    pub issue: String,
    pub summary: String,
    /// 上期问题整改情况.
    pub follow_up: String,
    /// The 督办事项 its 附件 table lists.
    pub items: std::collections::BTreeSet<u64>,
}

/// The forms of the 考核 view: an accident (一票否决) and a hand-made deduction.
#[derive(Debug, Clone, Default)]
pub struct AssessForm {
    pub unit: Option<String>,
    pub date: String,
    pub grade: Option<anwei_core::accountability::AccidentGrade>,
    pub title: String,
    pub item: Option<String>,
    pub points: String,
    pub reason: String,
}

/// The forms of the 两个清单 and reward view.
#[derive(Debug, Clone, Default)]
pub struct ListForm {
    pub list: Option<ListKind>,
    pub unit: Option<String>,
    pub text: String,
    pub measures: String,
    pub deadline: String,
    pub reporter: String,
    pub content: String,
    pub tier: Option<anwei_core::accountability::RewardTier>,
    pub amount: String,
}

/// The form of a 约谈 record.
#[derive(Debug, Clone, Default)]
pub struct TalkForm {
    pub unit: Option<String>,
    pub date: String,
    pub persons: String,
    pub by: String,
    pub issues: String,
    pub commitments: String,
    pub follow_up: String,
}

#[derive(Debug, Clone, Default)]
pub struct SupervisionState {
    pub view: View,
    pub item_state: Option<ItemState>,
    pub overdue_only: bool,
    pub due_only: bool,
    pub search: String,
    /// The item whose detail is open.
    pub selected: Option<u64>,
    /// What is being typed for the selected item: a step's note, a completion, a 验收's
    /// opinion, an explanation.
    pub note: String,
    pub item_form: ItemForm,
    pub hazard_state: Option<HazardState>,
    pub hazard_overdue: bool,
    /// Only this unit's hazards (from 今日待办's item of a unit's overdue hazards).
    pub hazard_unit: Option<String>,
    pub hazard: Option<u64>,
    pub five: FiveForm,
    pub hazard_form: HazardForm,
    /// The year the 通报 and the 考核 show (`None`: the year of the day).
    pub year: Option<i32>,
    pub circular_form: CircularForm,
    pub void_reason: String,
    pub talk_form: TalkForm,
    pub assess_form: AssessForm,
    pub list_form: ListForm,
    /// The new item's form is shown open (filled in from a task).
    pub form_open: bool,
    /// "导出Excel…" of each view.
    pub exports: std::collections::BTreeMap<&'static str, crate::export::ExportBar>,
    /// The message of a refused command, shown where it was made.
    pub error: Option<String>,
}

impl SupervisionState {
    /// Opens an item ("supervision_item:N") or a hazard ("hazard:N") (from 今日待办).
    pub fn open(&mut self, id: &str) {
        let number = |prefix: &str| id.strip_prefix(prefix).and_then(|n| n.parse().ok());
        if let Some(n) = number("supervision_item:") {
            self.view = View::Items;
            self.select(Some(n));
        } else if let Some(n) = number("hazard:") {
            self.view = View::Hazards;
            self.hazard = Some(n);
            self.five = FiveForm::default();
        } else if let Some(unit) = id.strip_prefix("hazards_of:") {
            self.view = View::Hazards;
            self.hazard_unit = Some(unit.to_owned());
            self.hazard_overdue = true;
            self.hazard = None;
        }
    }

    /// The form of a new item filled in from `task` (its title, its lead unit — else a
    /// responsible one —, its plan and number as the 来源), open on the 督办事项 view.
    pub fn item_from_task(&mut self, model: &DeskModel, task: &str) {
        let Some(t) = model.task(task) else {
            return;
        };
        let unit = t
            .units_in(anwei_core::Role::Lead)
            .next()
            .or_else(|| t.units_in(anwei_core::Role::Responsible).next())
            .map(str::to_owned);
        let plan = model
            .plan(&t.plan)
            .map(|p| p.title.clone())
            .unwrap_or_default();
        self.view = View::Items;
        self.item_form = ItemForm {
            task: Some(t.id.clone()),
            title: format!("推进任务{}：{}", t.label, t.title.trim()),
            unit,
            deadline: String::new(),
            source: Some(SourceKind::Task),
            reference: format!("《{plan}》第{}项任务", t.label),
            level: None,
        };
        self.form_open = true;
        self.error = None;
    }

    fn select(&mut self, id: Option<u64>) {
        if self.selected != id {
            self.selected = id;
            self.note.clear();
            self.error = None;
        }
    }

    fn year(&self, model: &DeskModel) -> i32 {
        self.year.unwrap_or(model.today.year())
    }
}

impl TakesOutcome for SupervisionState {
    /// A saved change empties what was typed for it; a refused one keeps it and says why.
    fn on_outcome(&mut self, outcome: &Outcome, _model: &DeskModel) -> Option<String> {
        let Command::Supervise { action } = &outcome.command else {
            return None;
        };
        if let Some(msg) = outcome.refused() {
            self.error = Some(msg.to_owned());
            return None;
        }
        self.error = None;
        match action {
            SupAction::AddItem { .. } => {
                self.item_form = ItemForm::default();
                self.form_open = false;
            }
            SupAction::AddHazard { .. } => self.hazard_form = HazardForm::default(),
            SupAction::RectifyHazard { .. } => self.five = FiveForm::default(),
            SupAction::AddCircular { .. } => self.circular_form = CircularForm::default(),
            SupAction::VoidCircular { .. } => self.void_reason.clear(),
            SupAction::AddTalk { .. } => self.talk_form = TalkForm::default(),
            // The unit stays chosen for the next entry.
            SupAction::AddAccident { .. } => {
                let f = &mut self.assess_form;
                (f.grade, f.date, f.title) = (None, String::new(), String::new());
            }
            SupAction::AddDeduction { .. } => {
                let f = &mut self.assess_form;
                (f.item, f.points, f.reason) = (None, String::new(), String::new());
            }
            SupAction::AddListEntry { .. } | SupAction::AddReward { .. } => {
                self.list_form = ListForm::default();
            }
            _ => self.note.clear(),
        }
        None
    }
}

fn parse_day(text: &str, what: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{what}请写作 YYYY-MM-DD（例如 2026-06-30）"))
}

fn apply(actions: &mut Vec<Action>, action: SupAction) {
    actions.push(Action::Apply {
        from: Origin::Supervision,
        command: Command::Supervise { action },
    });
}

/// A combo box named `label` choosing one of `options` into `value`, each shown by `text`;
/// `none`: what it shows while nothing is chosen, and whether that is a choice itself
/// ("全部").
fn choice<T: Copy + PartialEq>(
    ui: &mut Ui,
    salt: &str,
    label: &str,
    value: &mut Option<T>,
    options: &[T],
    text: fn(T) -> &'static str,
    none: (&str, bool),
) {
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(salt)
        .selected_text(value.map_or(none.0, text))
        .show_ui(ui, |ui| {
            if none.1 {
                ui.selectable_value(value, None, none.0);
            }
            for o in options {
                ui.selectable_value(value, Some(*o), text(*o));
            }
        })
        .response
        .labelled_by(l.id);
}

/// A combo box of the directory's units, named by `label` (screen readers and tests).
fn unit_combo(ui: &mut Ui, model: &DeskModel, salt: &str, label: &str, unit: &mut Option<String>) {
    let l = ui.label(label);
    let shown = unit
        .as_deref()
        .map_or("请选择", |u| model.units.name_of(u))
        .to_owned();
    egui::ComboBox::from_id_salt(salt)
        .selected_text(shown)
        .width(180.0)
        .show_ui(ui, |ui| {
            for u in model.units.units() {
                ui.selectable_value(unit, Some(u.id.clone()), &u.name);
            }
        })
        .response
        .labelled_by(l.id);
}

/// A combo box of `options` (id, text), named by `label`; `none` is the text of no choice.
fn text_combo(
    ui: &mut Ui,
    salt: &str,
    label: &str,
    value: &mut Option<String>,
    options: &[(String, String)],
    none: &str,
    width: f32,
) -> bool {
    let l = ui.label(label);
    let before = value.clone();
    let shown = value
        .as_deref()
        .and_then(|v| options.iter().find(|(id, _)| id == v))
        .map_or(none, |(_, t)| t.as_str())
        .to_owned();
    egui::ComboBox::from_id_salt(salt)
        .selected_text(shown)
        .width(width)
        .truncate()
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, none);
            for (id, text) in options {
                ui.selectable_value(value, Some(id.clone()), text);
            }
        })
        .response
        .labelled_by(l.id);
    *value != before
}

/// The sector's hazard checklist (from its plugin): sector, category and item. An item the
/// source calls a 重大事故隐患 sets the grade to 重大 (the store refuses it graded lower).
fn checklist_picker(ui: &mut Ui, model: &DeskModel, plugins: &PluginsView, f: &mut HazardForm) {
    if model.sector_hazards.is_empty() {
        return;
    }
    let name = |s: &str| {
        plugins
            .plugin(s)
            .map_or_else(|| s.to_owned(), |p| p.short_name.clone())
    };
    let sectors: Vec<(String, String)> = model
        .sector_hazards
        .keys()
        .map(|s| (s.clone(), name(s)))
        .collect();
    ui.horizontal_wrapped(|ui| {
        if text_combo(
            ui,
            "hazard-sector",
            "行业",
            &mut f.sector,
            &sectors,
            "不限行业",
            110.0,
        ) {
            f.checklist_category = None;
            f.clause = None;
        }
        let Some(categories) = f.sector.as_ref().and_then(|s| model.sector_hazards.get(s)) else {
            return;
        };
        let options: Vec<(String, String)> = categories
            .iter()
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect();
        if text_combo(
            ui,
            "hazard-category",
            "隐患类别（行业）",
            &mut f.checklist_category,
            &options,
            "不引用判定条目",
            180.0,
        ) {
            f.clause = None;
        }
    });
    let Some(category) = f
        .sector
        .as_ref()
        .and_then(|s| model.sector_hazards.get(s))
        .zip(f.checklist_category.as_deref())
        .and_then(|(cs, id)| anwei_core::plugin::hazard_category(cs, id))
    else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        let options: Vec<(String, String)> = category
            .clauses
            .iter()
            .map(|k| {
                let major = if k.major { "【重大】" } else { "" };
                (k.id.clone(), format!("{}. {major}{}", k.id, k.text))
            })
            .collect();
        if text_combo(
            ui,
            "hazard-clause",
            "判定条目",
            &mut f.clause,
            &options,
            "请选择",
            420.0,
        ) && let Some(k) = f.clause.as_deref().and_then(|id| category.clause(id))
            && k.major
        {
            f.grade = Some(HazardGrade::Major);
        }
    });
    if let Some(s) = &category.standard {
        ui.label(RichText::new(format!("判定标准：{s}")).weak());
    }
    if let Some(k) = f.clause.as_deref().and_then(|id| category.clause(id)) {
        ui.label(format!("第{}条：{}", k.id, k.text));
        if k.major {
            ui.label(
                RichText::new("此条属重大事故隐患：隐患等级为“重大”，登记后挂牌督办。")
                    .color(egui::Color32::from_rgb(0xb0, 0x30, 0x20)),
            );
        }
    }
}

/// A view's "导出Excel…": the table titled with the office's name and `what`, in a file
/// named after `what` and the day.
fn export_bar(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut SupervisionState,
    view: &'static str,
    what: &str,
    actions: &mut Vec<Action>,
    tables: impl FnOnce(&str) -> Vec<anwei_exchange::xlsx::Table>,
) {
    let title = format!("{}{what}", model.office_name());
    state.exports.entry(view).or_default().ui(
        ui,
        view,
        &format!("{what}-{}.xlsx", model.today),
        || tables(&title),
        actions,
    );
}

/// Draws the panel.
pub fn supervision_panel(
    ui: &mut Ui,
    model: &DeskModel,
    plugins: &PluginsView,
    state: &mut SupervisionState,
    actions: &mut Vec<Action>,
) {
    ui.heading(format!("督办（截至 {}）", model.today));
    ui.horizontal_wrapped(|ui| {
        for v in View::ALL {
            if ui.selectable_label(state.view == v, v.label_zh()).clicked() {
                state.view = v;
                state.error = None;
            }
        }
    });
    ui.separator();
    if let Some(e) = &state.error {
        error_label(ui, e);
    }
    match state.view {
        // These lay out their own scrolling: a list of any length (only its visible rows
        // drawn) above the detail and the forms.
        View::Items => items_view(ui, model, state, actions),
        View::Hazards => hazards_view(ui, model, plugins, state, actions),
        _ => {
            ScrollArea::vertical()
                .id_salt("supervision-scroll")
                .auto_shrink([false, false])
                .show(ui, |ui| match state.view {
                    View::Circulars => circulars_view(ui, model, state, actions),
                    View::Talks => talks_view(ui, model, state, actions),
                    View::Lists => lists_view(ui, model, state, actions),
                    _ => assessment_view(ui, model, state, actions),
                });
        }
    }
}

/// Height of a list row.
const ROW: f32 = 24.0;

/// A list of `n` rows under `headers`, only the visible ones drawn, at most half the
/// height left; `row(ui_per_cell, i)` fills row `i`'s cells (one call per column).
fn list_table(
    ui: &mut Ui,
    salt: &str,
    widths: &[f32],
    headers: &[&str],
    n: usize,
    mut cell: impl FnMut(&mut Ui, usize, usize),
) {
    use egui_extras::{Column, TableBuilder};
    let height = (ui.available_height() * 0.5).max(4.0 * ROW);
    let mut t = TableBuilder::new(ui)
        .id_salt(salt)
        .striped(true)
        .resizable(false)
        .max_scroll_height(height)
        .min_scrolled_height(0.0)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    for (k, w) in widths.iter().enumerate() {
        t = if k == 2 {
            t.column(Column::remainder().at_least(160.0).clip(true))
        } else {
            t.column(Column::initial(*w).at_least(36.0).clip(true))
        };
    }
    t.header(ROW, |mut header| {
        for h in headers {
            header.col(|ui| {
                ui.strong(*h);
            });
        }
    })
    .body(|body| {
        body.rows(ROW, n, |mut row| {
            let i = row.index();
            for c in 0..widths.len() {
                row.col(|ui| cell(ui, i, c));
            }
        });
    });
}

fn items_view(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut SupervisionState,
    actions: &mut Vec<Action>,
) {
    let ladder = &model.settings.supervision.ladder;
    ui.horizontal_wrapped(|ui| {
        choice(
            ui,
            "item-state",
            "状态",
            &mut state.item_state,
            &ItemState::ALL,
            ItemState::label_zh,
            ("全部", true),
        );
        ui.checkbox(&mut state.overdue_only, "只看逾期未完成");
        ui.checkbox(&mut state.due_only, "只看该升级督办的");
        labelled_field(ui, "搜索", &mut state.search, "事项或来源中的字词", 160.0);
    });
    let filter = ItemFilter {
        state: state.item_state,
        overdue: state.overdue_only,
        step_due: state.due_only,
        text: state.search.clone(),
        ..ItemFilter::default()
    };
    let items = filter.apply(&model.registers.items, ladder, model.today);
    ui.horizontal(|ui| {
        ui.label(format!(
            "共 {} 项（全部 {} 项）",
            items.len(),
            model.registers.items.len()
        ));
        export_bar(
            ui,
            model,
            state,
            "items",
            "督办事项台账",
            actions,
            |title| {
                vec![anwei_exchange::tables::items(
                    title,
                    &items,
                    &model.units,
                    model.today,
                )]
            },
        );
    });
    if items.is_empty() {
        ui.weak("没有符合条件的督办事项。");
    } else {
        let ladder_now = |i: &Item| i.step_due(ladder, model.today);
        let mut clicked = None;
        list_table(
            ui,
            "items-table",
            &[56.0, 48.0, 0.0, 120.0, 90.0, 60.0, 80.0, 60.0, 200.0],
            &[
                "编号",
                "级别",
                "督办事项",
                "责任单位",
                "时限",
                "接收",
                "完成",
                "审核",
                "下一步",
            ],
            items.len(),
            |ui, r, c| {
                let i = items[r];
                match c {
                    0 => {
                        let open = state.selected == Some(i.id);
                        if ui.selectable_label(open, format!("#{}", i.id)).clicked() {
                            clicked = Some(if open { None } else { Some(i.id) });
                        }
                    }
                    1 => {
                        ui.label(i.level.label_zh());
                    }
                    2 => {
                        ui.label(&i.title).on_hover_text(&i.title);
                    }
                    3 => {
                        ui.label(model.units.name_of(&i.unit));
                    }
                    4 => {
                        ui.label(i.deadline.to_string());
                    }
                    5 => {
                        ui.label(if i.received.is_some() {
                            "已接收"
                        } else {
                            "未接收"
                        });
                    }
                    6 => {
                        let late = i.overdue(model.today) || i.completed_late();
                        let color = if late {
                            status_color(anwei_core::Status::Overdue)
                        } else {
                            ui.visuals().text_color()
                        };
                        ui.label(RichText::new(i.completion_zh(model.today)).color(color));
                    }
                    7 => {
                        ui.label(i.check_zh());
                    }
                    _ => {
                        let next = match (i.state(), ladder_now(i)) {
                            (ItemState::Closed, _) => "已销号".to_owned(),
                            (_, Some((s, due))) => format!("{}（{}到期）", s.label_zh(), due),
                            _ => i.state().label_zh().to_owned(),
                        };
                        ui.label(next);
                    }
                }
            },
        );
        if let Some(sel) = clicked {
            state.select(sel);
        }
    }
    ui.separator();
    ScrollArea::vertical()
        .id_salt("items-below")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if let Some(id) = state.selected {
                match model.registers.items.iter().find(|i| i.id == id) {
                    Some(item) => {
                        item_detail(ui, model, state, item, actions);
                        ui.separator();
                    }
                    None => state.select(None),
                }
            }
            let open = state.form_open.then_some(true);
            egui::CollapsingHeader::new("新增督办事项")
                .id_salt("new-item")
                .open(open)
                .show(ui, |ui| new_item(ui, model, state, actions));
            state.form_open = false;
        });
}

fn item_detail(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut SupervisionState,
    i: &Item,
    actions: &mut Vec<Action>,
) {
    let today = model.today;
    let saving = model.saving_from(Origin::Supervision);
    ui.strong(format!("督办事项 #{}：{}", i.id, i.title));
    let mut from = i.source.kind.label_zh().to_owned();
    if !i.source.reference.is_empty() {
        from.push_str(&format!("：{}", i.source.reference));
    }
    ui.label(format!(
        "来源 {from}；{}；督办单位 {}，验收单位 {}；督办日期 {}，整改时限 {}",
        i.level.label_zh(),
        i.supervisor,
        i.acceptor,
        i.opened,
        i.deadline
    ));
    ui.label(format!(
        "接收：{}　完成：{}　审核：{}　状态：{}",
        i.received
            .map_or("未接收".to_owned(), |d| format!("已接收（{d}）")),
        i.completion_zh(today),
        i.check_zh(),
        i.state().label_zh()
    ));
    for s in &i.steps {
        let doc = s
            .document
            .as_deref()
            .map(|d| format!("（{d}）"))
            .unwrap_or_default();
        ui.weak(format!("{} {}{doc} {}", s.date, s.step.label_zh(), s.note));
    }
    if let Some(c) = &i.completed {
        ui.weak(format!("{} 报告完成：{}", c.date, c.text));
    }
    for c in &i.checks {
        let r = if c.passed {
            "验收通过"
        } else {
            "验收未通过"
        };
        ui.weak(format!("{} {r}：{}", c.date, c.note));
    }
    for e in &i.explanations {
        ui.weak(format!("{} 书面说明：{}", e.date, e.text));
    }
    if let Some(why) = i.explanation_due(today) {
        ui.label(
            RichText::new(format!("须提交书面说明（{}）", why.label_zh()))
                .color(status_color(anwei_core::Status::Overdue)),
        );
    }
    let hazard_item = i.source.hazard.is_some();
    if hazard_item {
        ui.weak(
            "该事项是重大隐患的挂牌督办：完成、验收和销号随隐患的复查、销号办理（见“隐患闭环”）。",
        );
    }
    ui.horizontal(|ui| {
        let l = ui.label("说明或意见");
        ui.add(
            egui::TextEdit::singleline(&mut state.note)
                .hint_text("督办情况、完成情况、验收意见、书面说明")
                .desired_width(360.0),
        )
        .labelled_by(l.id);
    });
    let note = state.note.trim().to_owned();
    let id = i.id;
    ui.horizontal_wrapped(|ui| {
        let state_now = i.state();
        if state_now == ItemState::Closed {
            if i.lookback.as_ref().is_some_and(|l| l.done.is_none()) {
                let check = |passed| Check {
                    date: today,
                    passed,
                    by: String::new(),
                    note: note.clone(),
                };
                if ui
                    .add_enabled(!saving, egui::Button::new("回头看：未反弹"))
                    .clicked()
                {
                    apply(
                        actions,
                        SupAction::LookBack {
                            id,
                            check: check(true),
                        },
                    );
                }
                if ui
                    .add_enabled(
                        !saving && !note.is_empty(),
                        egui::Button::new("回头看：有反弹"),
                    )
                    .clicked()
                {
                    apply(
                        actions,
                        SupAction::LookBack {
                            id,
                            check: check(false),
                        },
                    );
                }
            }
            return;
        }
        if state_now == ItemState::Unreceived
            && ui
                .add_enabled(!saving, egui::Button::new("登记接收"))
                .clicked()
        {
            apply(actions, SupAction::ReceiveItem { id, date: today });
        }
        if state_now != ItemState::AwaitingCheck
            && let Some((step, _)) = i.next_step(&model.settings.supervision.ladder)
            && ui
                .add_enabled(
                    !saving,
                    egui::Button::new(format!("记下：{}", step.label_zh())),
                )
                .on_hover_text("记下这一步（今天）；要出文书请到“打印”")
                .clicked()
        {
            apply(
                actions,
                SupAction::TakeStep {
                    id,
                    step,
                    date: today,
                    note: note.clone(),
                    document: None,
                },
            );
        }
        if !hazard_item
            && matches!(state_now, ItemState::Open | ItemState::Failed)
            && ui
                .add_enabled(!saving && !note.is_empty(), egui::Button::new("报告完成"))
                .clicked()
        {
            apply(
                actions,
                SupAction::CompleteItem {
                    id,
                    date: today,
                    text: note.clone(),
                },
            );
        }
        if !hazard_item && state_now == ItemState::AwaitingCheck {
            let check = |passed| Check {
                date: today,
                passed,
                by: String::new(),
                note: note.clone(),
            };
            if ui
                .add_enabled(!saving, egui::Button::new("验收通过"))
                .clicked()
            {
                apply(
                    actions,
                    SupAction::CheckItem {
                        id,
                        check: check(true),
                    },
                );
            }
            if ui
                .add_enabled(!saving && !note.is_empty(), egui::Button::new("验收不通过"))
                .clicked()
            {
                apply(
                    actions,
                    SupAction::CheckItem {
                        id,
                        check: check(false),
                    },
                );
            }
            if i.checks.last().is_some_and(|c| c.passed)
                && ui.add_enabled(!saving, egui::Button::new("销号")).clicked()
            {
                apply(
                    actions,
                    SupAction::CloseItem {
                        id,
                        date: today,
                        lookback: None,
                    },
                );
            }
        }
        if state_now != ItemState::AwaitingCheck
            && ui
                .button("打印督办文书…")
                .on_hover_text("到“打印”生成该事项的督办文书（草稿或签发）")
                .clicked()
        {
            actions.push(Action::PrintLetter(id));
        }
        if ui
            .add_enabled(
                !saving && !note.is_empty(),
                egui::Button::new("提交书面说明"),
            )
            .clicked()
        {
            apply(
                actions,
                SupAction::ExplainItem {
                    id,
                    date: today,
                    text: note.clone(),
                },
            );
        }
    });
}

fn new_item(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut SupervisionState,
    actions: &mut Vec<Action>,
) {
    let f = &mut state.item_form;
    labelled_field(ui, "事项内容", &mut f.title, "要督办做什么", 420.0);
    ui.horizontal_wrapped(|ui| {
        unit_combo(ui, model, "item-unit", "责任单位", &mut f.unit);
        labelled_field(ui, "整改时限", &mut f.deadline, "YYYY-MM-DD", 100.0);
        choice(
            ui,
            "item-level",
            "级别",
            &mut f.level,
            &Level::ALL,
            Level::label_zh,
            (Level::District.label_zh(), false),
        );
    });
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("来源");
        egui::ComboBox::from_id_salt("item-source")
            .selected_text(f.source.unwrap_or(SourceKind::Meeting).label_zh())
            .show_ui(ui, |ui| {
                // 逾期任务 only for a form filled in from a task (its detail's button).
                let kinds: &[SourceKind] = if f.task.is_some() {
                    &[
                        SourceKind::Task,
                        SourceKind::Meeting,
                        SourceKind::Inspection,
                        SourceKind::Hazard,
                    ]
                } else {
                    &[
                        SourceKind::Meeting,
                        SourceKind::Inspection,
                        SourceKind::Hazard,
                    ]
                };
                for k in kinds {
                    ui.selectable_value(&mut f.source, Some(*k), k.label_zh());
                }
            })
            .response
            .labelled_by(l.id);
        labelled_field(
            ui,
            "文件或会议及编号",
            &mut f.reference,
            "区安委会2026年第3次会议",
            240.0,
        );
    });
    let saving = model.saving_from(Origin::Supervision);
    if ui
        .add_enabled(!saving, egui::Button::new("保存督办事项"))
        .clicked()
    {
        let deadline = match parse_day(&f.deadline, "整改时限") {
            Ok(d) => d,
            Err(e) => {
                state.error = Some(e);
                return;
            }
        };
        let Some(unit) = f.unit.clone() else {
            state.error = Some("请选择责任单位".to_owned());
            return;
        };
        apply(
            actions,
            SupAction::AddItem {
                title: f.title.clone(),
                source: Source {
                    kind: f.source.unwrap_or(SourceKind::Meeting),
                    reference: f.reference.clone(),
                    task: if f.source == Some(SourceKind::Task) {
                        f.task.clone()
                    } else {
                        None
                    },
                    milestone: None,
                    hazard: None,
                },
                level: f.level.unwrap_or(Level::District),
                unit,
                supervisor: model.office_name(),
                acceptor: model.office_name(),
                opened: model.today,
                deadline,
            },
        );
    }
}

fn hazards_view(
    ui: &mut Ui,
    model: &DeskModel,
    plugins: &PluginsView,
    state: &mut SupervisionState,
    actions: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        choice(
            ui,
            "hazard-state",
            "隐患状态",
            &mut state.hazard_state,
            &HazardState::ALL,
            HazardState::label_zh,
            ("全部", true),
        );
        ui.checkbox(&mut state.hazard_overdue, "只看逾期未整改");
        if let Some(u) = state.hazard_unit.clone() {
            ui.label(format!("只看{}的", model.units.name_of(&u)));
            if ui.button("看全部单位").clicked() {
                state.hazard_unit = None;
            }
        }
    });
    let filter = HazardFilter {
        unit: state.hazard_unit.clone(),
        state: state.hazard_state,
        overdue: state.hazard_overdue,
        ..HazardFilter::default()
    };
    let list = filter.apply(&model.registers.hazards, model.today);
    export_bar(
        ui,
        model,
        state,
        "hazards",
        "隐患排查治理台账",
        actions,
        |title| {
            vec![anwei_exchange::tables::hazards(
                title,
                &list,
                &model.units,
                model.today,
            )]
        },
    );
    ui.label(format!(
        "共 {} 项（全部 {} 项，重大隐患 {} 项）",
        list.len(),
        model.registers.hazards.len(),
        model
            .registers
            .hazards
            .iter()
            .filter(|h| h.grade == HazardGrade::Major)
            .count()
    ));
    let mut clicked = None;
    list_table(
        ui,
        "hazards-table",
        &[80.0, 72.0, 0.0, 120.0, 90.0, 90.0, 110.0],
        &[
            "编号",
            "等级",
            "隐患",
            "监管单位",
            "时限",
            "状态",
            "挂牌督办",
        ],
        list.len(),
        |ui, r, c| {
            let h = list[r];
            match c {
                0 => {
                    let open = state.hazard == Some(h.id);
                    if ui
                        .selectable_label(open, format!("隐患 #{}", h.id))
                        .clicked()
                    {
                        clicked = Some(if open { None } else { Some(h.id) });
                    }
                }
                1 => {
                    ui.label(h.grade.label_zh());
                }
                2 => {
                    let text = format!("{}：{}", h.place, h.description);
                    ui.label(&text).on_hover_text(&text);
                }
                3 => {
                    ui.label(model.units.name_of(&h.unit));
                }
                4 => {
                    ui.label(
                        h.plan
                            .as_ref()
                            .map_or(h.deadline, |p| p.deadline)
                            .to_string(),
                    );
                }
                5 => {
                    let color = if h.overdue(model.today) {
                        status_color(anwei_core::Status::Overdue)
                    } else {
                        ui.visuals().text_color()
                    };
                    ui.label(RichText::new(h.state().label_zh()).color(color));
                }
                _ => {
                    ui.label(h.item.map(|i| format!("督办事项 #{i}")).unwrap_or_default());
                }
            }
        },
    );
    if let Some(sel) = clicked {
        state.hazard = sel;
        state.five = FiveForm::default();
    }
    ui.separator();
    ScrollArea::vertical()
        .id_salt("hazards-below")
        .auto_shrink([false, false])
        .show(ui, |ui| hazard_below(ui, model, plugins, state, actions));
}

fn hazard_below(
    ui: &mut Ui,
    model: &DeskModel,
    plugins: &PluginsView,
    state: &mut SupervisionState,
    actions: &mut Vec<Action>,
) {
    if let Some(id) = state.hazard
        && let Some(h) = model.registers.hazards.iter().find(|h| h.id == id)
    {
        ui.separator();
        let saving = model.saving_from(Origin::Supervision);
        ui.strong(format!("隐患 #{}：{}", h.id, h.description));
        if let Some(k) = &h.clause {
            let sector = h
                .sector
                .as_deref()
                .map(|s| plugins.plugin(s).map_or(s, |p| p.short_name.as_str()))
                .unwrap_or_default();
            ui.label(format!(
                "判定条目：{sector} · {} · 第{}条 {}{}",
                h.category,
                k.clause,
                k.text,
                if k.major {
                    "（重大事故隐患）"
                } else {
                    ""
                }
            ));
        }
        if let Some(s) = &h.standard {
            ui.label(format!("判定依据：{s}"));
        }
        if let Some(p) = &h.plan {
            ui.label(format!(
                "五到位：责任 {}；措施 {}；资金 {}；时限 {}；预案 {}",
                p.responsible, p.measures, p.funds, p.deadline, p.contingency
            ));
        }
        for c in &h.rechecks {
            let r = if c.passed {
                "复查合格"
            } else {
                "复查不合格"
            };
            ui.weak(format!("{} {r}：{}", c.date, c.note));
        }
        match h.state() {
            HazardState::Registered | HazardState::Rectifying | HazardState::RecheckFailed => {
                egui::CollapsingHeader::new("落实五到位")
                    .id_salt("five")
                    .default_open(h.plan.is_none())
                    .show(ui, |ui| {
                        let f = &mut state.five;
                        labelled_field(ui, "责任", &mut f.responsible, "责任人及职务", 200.0);
                        labelled_field(ui, "措施", &mut f.measures, "整改措施", 360.0);
                        labelled_field(ui, "资金", &mut f.funds, "例如 8万元", 120.0);
                        labelled_field(ui, "预案", &mut f.contingency, "整改期间的应急预案", 360.0);
                        if ui
                            .add_enabled(!saving, egui::Button::new("保存五到位"))
                            .clicked()
                        {
                            apply(
                                actions,
                                SupAction::RectifyHazard {
                                    id,
                                    plan: FiveInPlace {
                                        responsible: f.responsible.clone(),
                                        measures: f.measures.clone(),
                                        funds: f.funds.clone(),
                                        deadline: h.deadline,
                                        contingency: f.contingency.clone(),
                                        date: model.today,
                                    },
                                },
                            );
                        }
                    });
                if h.plan.is_some() {
                    ui.horizontal(|ui| {
                        let l = ui.label("复查意见");
                        ui.add(egui::TextEdit::singleline(&mut state.note).desired_width(300.0))
                            .labelled_by(l.id);
                        let check = |passed| Check {
                            date: model.today,
                            passed,
                            by: String::new(),
                            note: state.note.trim().to_owned(),
                        };
                        if ui
                            .add_enabled(!saving, egui::Button::new("复查合格"))
                            .clicked()
                        {
                            apply(
                                actions,
                                SupAction::RecheckHazard {
                                    id,
                                    check: check(true),
                                },
                            );
                        }
                        if ui
                            .add_enabled(
                                !saving && !state.note.trim().is_empty(),
                                egui::Button::new("复查不合格"),
                            )
                            .clicked()
                        {
                            apply(
                                actions,
                                SupAction::RecheckHazard {
                                    id,
                                    check: check(false),
                                },
                            );
                        }
                    });
                }
            }
            HazardState::Rechecked => {
                if ui
                    .add_enabled(!saving, egui::Button::new("隐患销号"))
                    .clicked()
                {
                    apply(
                        actions,
                        SupAction::CloseHazard {
                            id,
                            date: model.today,
                        },
                    );
                }
            }
            HazardState::Closed => {
                ui.label(format!("已于 {} 销号", h.closed.unwrap_or(model.today)));
            }
        }
    }
    ui.separator();
    egui::CollapsingHeader::new("登记隐患")
        .id_salt("new-hazard")
        .show(ui, |ui| {
            let f = &mut state.hazard_form;
            labelled_field(
                ui,
                "隐患所在单位或场所",
                &mut f.place,
                "企业、路段、场所",
                260.0,
            );
            labelled_field(ui, "隐患描述", &mut f.description, "", 420.0);
            ui.horizontal_wrapped(|ui| {
                unit_combo(ui, model, "hazard-unit", "监管单位", &mut f.unit);
                choice(
                    ui,
                    "hazard-grade",
                    "等级",
                    &mut f.grade,
                    &[HazardGrade::General, HazardGrade::Major],
                    HazardGrade::label_zh,
                    (HazardGrade::General.label_zh(), false),
                );
                labelled_field(ui, "隐患整改时限", &mut f.deadline, "YYYY-MM-DD", 100.0);
            });
            checklist_picker(ui, model, plugins, f);
            if f.clause.is_none() {
                ui.horizontal_wrapped(|ui| {
                    labelled_field(ui, "隐患类别", &mut f.category, "", 120.0);
                    labelled_field(ui, "判定标准条款", &mut f.standard, "", 260.0);
                });
            }
            let saving = model.saving_from(Origin::Supervision);
            if ui
                .add_enabled(!saving, egui::Button::new("保存隐患"))
                .clicked()
            {
                let deadline = match parse_day(&f.deadline, "整改时限") {
                    Ok(d) => d,
                    Err(e) => {
                        state.error = Some(e);
                        return;
                    }
                };
                let Some(unit) = f.unit.clone() else {
                    state.error = Some("请选择监管单位".to_owned());
                    return;
                };
                apply(
                    actions,
                    SupAction::AddHazard {
                        found: model.today,
                        found_by: String::new(),
                        place: f.place.clone(),
                        sector: f.sector.clone(),
                        category: f.category.clone(),
                        standard: Some(f.standard.clone()).filter(|_| f.clause.is_none()),
                        clause: f.checklist_category.clone().zip(f.clause.clone()).map(
                            |(category, clause)| {
                                Box::new(anwei_core::supervision::ClauseRef { category, clause })
                            },
                        ),
                        description: f.description.clone(),
                        grade: f.grade.unwrap_or(HazardGrade::General),
                        unit,
                        registered: model.today,
                        deadline,
                        tasks: Vec::new(),
                        level: None,
                        supervisor: model.office_name(),
                    },
                );
            }
        });
}

fn year_picker(ui: &mut Ui, model: &DeskModel, state: &mut SupervisionState) -> i32 {
    let year = state.year(model);
    ui.horizontal(|ui| {
        if ui.button("◀ 上一年").clicked() {
            state.year = Some(year - 1);
        }
        ui.strong(format!("{year}年"));
        if ui.button("下一年 ▶").clicked() {
            state.year = Some(year + 1);
        }
    });
    state.year(model)
}

fn circulars_view(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut SupervisionState,
    actions: &mut Vec<Action>,
) {
    let year = year_picker(ui, model, state);
    let rules = &model.settings.supervision.circular;
    let regs = &model.registers;
    let list: Vec<_> = regs.circulars.iter().filter(|c| c.year == year).collect();
    let name = format!("{year}年安全生产工作通报登记");
    export_bar(ui, model, state, "circulars", &name, actions, |title| {
        vec![anwei_exchange::tables::circulars(
            title,
            &list,
            &model.units,
            model.today,
        )]
    });
    if list.is_empty() {
        ui.weak(format!("{year}年没有通报。"));
    }
    let saving = model.saving_from(Origin::Supervision);
    for c in &list {
        ui.horizontal_wrapped(|ui| {
            let names: Vec<&str> = c
                .named
                .iter()
                .map(|n| {
                    if n.member {
                        model.units.name_of(&n.unit)
                    } else {
                        n.unit.as_str()
                    }
                })
                .collect();
            let text = format!(
                "{} {} {}《{}》 通报：{}",
                c.number_text(),
                c.date,
                c.kind.label_zh(),
                c.title,
                names.join("、")
            );
            match &c.voided {
                Some(v) => {
                    ui.label(RichText::new(text).strikethrough());
                    ui.weak(format!("已作废：{}", v.reason));
                }
                None => {
                    ui.label(text);
                    let ok = !saving && !state.void_reason.trim().is_empty();
                    if ui
                        .add_enabled(ok, egui::Button::new(format!("作废{}", c.number_text())))
                        .on_hover_text("先在下方填写作废理由")
                        .clicked()
                    {
                        apply(
                            actions,
                            SupAction::VoidCircular {
                                id: c.id,
                                date: model.today,
                                reason: state.void_reason.clone(),
                            },
                        );
                    }
                }
            }
        });
    }
    if !list.is_empty() {
        labelled_field(
            ui,
            "作废理由",
            &mut state.void_reason,
            "作废某期通报时填写",
            240.0,
        );
    }
    let counts = regs.circular_counts(year);
    if !counts.is_empty() {
        ui.separator();
        ui.strong(format!(
            "{year}年被通报次数（{}次以上扣考核分值的{}%）",
            rules.threshold, rules.percent
        ));
        egui::Grid::new("circular-counts")
            .striped(true)
            .show(ui, |ui| {
                for (u, n) in &counts {
                    let member = model.units.get(u).is_some();
                    ui.label(if member {
                        model.units.name_of(u)
                    } else {
                        u.as_str()
                    });
                    let flag = *n >= rules.threshold;
                    let text = match (flag, member) {
                        (true, true) => format!(
                            "{n} 次，年度考核扣 {} 分",
                            rules.base * rules.percent / 100.0
                        ),
                        (true, false) => format!("{n} 次，责令停业（停产）整顿"),
                        (false, _) => format!("{n} 次"),
                    };
                    let color = if flag {
                        status_color(anwei_core::Status::Overdue)
                    } else {
                        ui.visuals().text_color()
                    };
                    ui.label(RichText::new(text).color(color));
                    ui.end_row();
                }
            });
    }
    ui.separator();
    egui::CollapsingHeader::new("编发通报")
        .id_salt("new-circular")
        .show(ui, |ui| {
            let f = &mut state.circular_form;
            labelled_field(ui, "通报标题", &mut f.title, "关于……的通报", 360.0);
            ui.horizontal_wrapped(|ui| {
                labelled_field(ui, "成文日期", &mut f.date, &model.today.to_string(), 100.0);
                choice(
                    ui,
                    "circular-kind",
                    "类别",
                    &mut f.kind,
                    &CircularKind::ALL,
                    CircularKind::label_zh,
                    (CircularKind::Progress.label_zh(), false),
                );
            });
            labelled_field(
                ui,
                "通报事由",
                &mut f.issue,
                "例如：第3、5项未按期完成",
                360.0,
            );
            labelled_field(ui, "总体情况", &mut f.summary, "", 420.0);
            labelled_field(ui, "上期问题整改情况", &mut f.follow_up, "", 420.0);
            let open: Vec<&Item> = model
                .registers
                .items
                .iter()
                .filter(|i| i.closed.is_none())
                .collect();
            if !open.is_empty() {
                ui.label("附件所列督办事项（勾选；其责任单位被通报的，记为“通报”一步）");
                ScrollArea::vertical()
                    .id_salt("circular-items")
                    .max_height(120.0)
                    .show(ui, |ui| {
                        for i in open {
                            let mut on = f.items.contains(&i.id);
                            let text = format!(
                                "督办事项 #{} {}（{}）",
                                i.id,
                                i.title,
                                model.units.name_of(&i.unit)
                            );
                            if ui.checkbox(&mut on, text).changed() {
                                if on {
                                    f.items.insert(i.id);
                                } else {
                                    f.items.remove(&i.id);
                                }
                            }
                        }
                    });
            }
            ui.label("被通报单位（勾选）");
            ScrollArea::vertical()
                .id_salt("circular-units")
                .max_height(160.0)
                .show(ui, |ui| {
                    for u in model.units.units() {
                        let mut on = f.units.contains(&u.id);
                        if ui.checkbox(&mut on, &u.name).changed() {
                            if on {
                                f.units.insert(u.id.clone());
                            } else {
                                f.units.remove(&u.id);
                            }
                        }
                    }
                });
            if ui
                .add_enabled(!saving, egui::Button::new("保存通报"))
                .clicked()
            {
                let date = if f.date.trim().is_empty() {
                    Ok(model.today)
                } else {
                    parse_day(&f.date, "成文日期")
                };
                match date {
                    Ok(date) => apply(
                        actions,
                        SupAction::AddCircular {
                            date,
                            kind: f.kind.unwrap_or(CircularKind::Progress),
                            title: f.title.clone(),
                            summary: f.summary.clone(),
                            named: f
                                .units
                                .iter()
                                .map(|u| Named {
                                    unit: u.clone(),
                                    member: true,
                                    issue: f.issue.clone(),
                                })
                                .collect(),
                            follow_up: f.follow_up.clone(),
                            items: f.items.iter().copied().collect(),
                        },
                    ),
                    Err(e) => state.error = Some(e),
                }
            }
        });
}

fn talks_view(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut SupervisionState,
    actions: &mut Vec<Action>,
) {
    let talks = &model.registers.talks;
    if talks.is_empty() {
        ui.weak("没有约谈记录。");
    }
    for t in talks {
        let follow = t
            .follow_up
            .map(|d| format!("，跟踪检查 {d}"))
            .unwrap_or_default();
        ui.label(format!(
            "#{} {} 约谈{}（{}），约谈人 {}。事由：{}。承诺：{}{follow}",
            t.id,
            t.date,
            model.units.name_of(&t.unit),
            t.persons,
            t.by,
            t.issues,
            if t.commitments.is_empty() {
                "—"
            } else {
                &t.commitments
            }
        ));
    }
    ui.separator();
    egui::CollapsingHeader::new("记录约谈")
        .id_salt("new-talk")
        .show(ui, |ui| {
            let f = &mut state.talk_form;
            ui.horizontal_wrapped(|ui| {
                unit_combo(ui, model, "talk-unit", "约谈单位", &mut f.unit);
                labelled_field(ui, "约谈日期", &mut f.date, &model.today.to_string(), 100.0);
            });
            ui.horizontal_wrapped(|ui| {
                labelled_field(ui, "被约谈人", &mut f.persons, "姓名、职务", 180.0);
                labelled_field(ui, "约谈人", &mut f.by, "", 180.0);
            });
            labelled_field(ui, "约谈事由", &mut f.issues, "", 420.0);
            labelled_field(ui, "整改承诺", &mut f.commitments, "", 420.0);
            labelled_field(
                ui,
                "跟踪检查日期",
                &mut f.follow_up,
                "YYYY-MM-DD（可不填）",
                160.0,
            );
            let saving = model.saving_from(Origin::Supervision);
            if ui
                .add_enabled(!saving, egui::Button::new("保存约谈记录"))
                .clicked()
            {
                let date = if f.date.trim().is_empty() {
                    Ok(model.today)
                } else {
                    parse_day(&f.date, "约谈日期")
                };
                let follow = if f.follow_up.trim().is_empty() {
                    Ok(None)
                } else {
                    parse_day(&f.follow_up, "跟踪检查日期").map(Some)
                };
                match (date, follow, f.unit.clone()) {
                    (Ok(date), Ok(follow_up), Some(unit)) => apply(
                        actions,
                        SupAction::AddTalk {
                            date,
                            unit,
                            persons: f.persons.clone(),
                            by: f.by.clone(),
                            issues: f.issues.clone(),
                            commitments: f.commitments.clone(),
                            follow_up,
                            item: None,
                        },
                    ),
                    (Err(e), _, _) | (_, Err(e), _) => state.error = Some(e),
                    (_, _, None) => state.error = Some("请选择约谈单位".to_owned()),
                }
            }
        });
}

fn lists_view(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut SupervisionState,
    actions: &mut Vec<Action>,
) {
    let saving = model.saving_from(Origin::Supervision);
    export_bar(ui, model, state, "lists", "两个清单", actions, |title| {
        [ListKind::Problems, ListKind::Measures]
            .into_iter()
            .map(|kind| {
                let entries: Vec<_> = model
                    .registers
                    .lists
                    .iter()
                    .filter(|e| e.list == kind)
                    .collect();
                anwei_exchange::tables::list(
                    &title.replace("两个清单", kind.label_zh()),
                    kind,
                    &entries,
                    &model.units,
                    model.today,
                )
            })
            .collect()
    });
    for kind in [ListKind::Problems, ListKind::Measures] {
        ui.strong(kind.label_zh());
        let entries: Vec<_> = model
            .registers
            .lists
            .iter()
            .filter(|e| e.list == kind)
            .collect();
        if entries.is_empty() {
            ui.weak("（空）");
        }
        for e in entries {
            let deadline = e
                .deadline
                .map(|d| format!("，时限 {d}"))
                .unwrap_or_default();
            ui.horizontal_wrapped(|ui| {
                ui.label(format!(
                    "#{} {}（{}{deadline}）{}",
                    e.id,
                    e.text,
                    model.units.name_of(&e.unit),
                    e.status_zh(model.today)
                ));
                if e.done.is_none()
                    && ui
                        .add_enabled(
                            !saving && !state.note.trim().is_empty(),
                            egui::Button::new(format!("登记完成 #{}", e.id)),
                        )
                        .on_hover_text("先在下方“完成情况”中写明")
                        .clicked()
                {
                    apply(
                        actions,
                        SupAction::CompleteListEntry {
                            id: e.id,
                            date: model.today,
                            text: state.note.trim().to_owned(),
                        },
                    );
                }
            });
        }
        ui.add_space(6.0);
    }
    ui.separator();
    ui.strong("举报奖励登记");
    let rewards = &model.registers.rewards;
    if rewards.is_empty() {
        ui.weak("（无）");
    }
    let (mut paid, mut owed) = (0u64, 0u64);
    for r in rewards {
        match r.paid {
            Some(_) => paid += u64::from(r.amount),
            None => owed += u64::from(r.amount),
        }
        ui.label(format!(
            "#{} {} {}：{}，{}，{} 元，{}",
            r.id,
            r.date,
            r.reporter,
            r.content,
            r.tier.label_zh(),
            r.amount,
            r.paid
                .as_ref()
                .map_or("待发放".to_owned(), |p| format!("{} 已发放", p.date))
        ));
    }
    if !rewards.is_empty() {
        ui.label(format!("合计：已发放 {paid} 元，待发放 {owed} 元"));
    }
    for r in rewards.iter().filter(|r| r.paid.is_none()) {
        if ui
            .add_enabled(!saving, egui::Button::new(format!("登记发放 #{}", r.id)))
            .clicked()
        {
            apply(
                actions,
                SupAction::PayReward {
                    id: r.id,
                    date: model.today,
                    text: state.note.trim().to_owned(),
                },
            );
        }
    }
    ui.separator();
    ui.horizontal(|ui| {
        let l = ui.label("完成情况");
        ui.add(
            egui::TextEdit::singleline(&mut state.note)
                .hint_text("清单条目的完成情况、奖励的发放说明")
                .desired_width(360.0),
        )
        .labelled_by(l.id);
    });
    egui::CollapsingHeader::new("新增清单条目")
        .id_salt("new-entry")
        .show(ui, |ui| {
            let f = &mut state.list_form;
            ui.horizontal_wrapped(|ui| {
                choice(
                    ui,
                    "entry-list",
                    "清单",
                    &mut f.list,
                    &[ListKind::Problems, ListKind::Measures],
                    ListKind::label_zh,
                    (ListKind::Problems.label_zh(), false),
                );
                unit_combo(ui, model, "entry-unit", "清单责任单位", &mut f.unit);
            });
            labelled_field(ui, "清单内容", &mut f.text, "问题隐患，或制度措施", 420.0);
            labelled_field(ui, "措施", &mut f.measures, "整改措施或落实方式", 420.0);
            labelled_field(
                ui,
                "清单时限",
                &mut f.deadline,
                "YYYY-MM-DD（可不填）",
                160.0,
            );
            if ui
                .add_enabled(!saving, egui::Button::new("保存清单条目"))
                .clicked()
            {
                let deadline = if f.deadline.trim().is_empty() {
                    Ok(None)
                } else {
                    parse_day(&f.deadline, "时限").map(Some)
                };
                match (deadline, f.unit.clone()) {
                    (Ok(deadline), Some(unit)) => apply(
                        actions,
                        SupAction::AddListEntry {
                            list: f.list.unwrap_or(ListKind::Problems),
                            unit,
                            text: f.text.clone(),
                            measures: f.measures.clone(),
                            deadline,
                            tasks: Vec::new(),
                            hazards: Vec::new(),
                            date: model.today,
                        },
                    ),
                    (Err(e), _) => state.error = Some(e),
                    (_, None) => state.error = Some("请选择责任单位".to_owned()),
                }
            }
        });
    egui::CollapsingHeader::new("登记举报奖励")
        .id_salt("new-reward")
        .show(ui, |ui| {
            use anwei_core::accountability::RewardTier;
            let f = &mut state.list_form;
            labelled_field(ui, "举报人", &mut f.reporter, "姓名或匿名编号", 180.0);
            labelled_field(ui, "举报内容", &mut f.content, "", 420.0);
            ui.horizontal_wrapped(|ui| {
                let tiers = [
                    RewardTier::Ordinary,
                    RewardTier::Larger,
                    RewardTier::Major,
                    RewardTier::Extraordinary,
                    RewardTier::OccupationalHealth,
                ];
                let shown = f.tier.map_or("请选择".to_owned(), |t| {
                    let (lo, hi) = t.range();
                    format!("{}（{lo}—{hi}元）", t.label_zh())
                });
                let l = ui.label("奖励档次");
                egui::ComboBox::from_id_salt("reward-tier")
                    .selected_text(shown)
                    .width(280.0)
                    .show_ui(ui, |ui| {
                        for t in tiers {
                            let (lo, hi) = t.range();
                            ui.selectable_value(
                                &mut f.tier,
                                Some(t),
                                format!("{}（{lo}—{hi}元）", t.label_zh()),
                            );
                        }
                    })
                    .response
                    .labelled_by(l.id);
                labelled_field(ui, "奖励金额（元）", &mut f.amount, "", 80.0);
            });
            if ui
                .add_enabled(!saving, egui::Button::new("保存举报奖励"))
                .clicked()
            {
                let amount = f.amount.trim().parse::<u32>();
                match (f.tier, amount) {
                    (Some(tier), Ok(amount)) => apply(
                        actions,
                        SupAction::AddReward {
                            date: model.today,
                            reporter: f.reporter.clone(),
                            content: f.content.clone(),
                            hazard: None,
                            tier,
                            amount,
                        },
                    ),
                    (None, _) => state.error = Some("请选择奖励档次".to_owned()),
                    (_, Err(_)) => state.error = Some("奖励金额请写整数元".to_owned()),
                }
            }
        });
}

/// Accidents (一票否决) and hand-made deductions of the year, with their forms.
fn assessment_forms(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut SupervisionState,
    actions: &mut Vec<Action>,
    year: i32,
) {
    use anwei_core::accountability::AccidentGrade;
    let saving = model.saving_from(Origin::Supervision);
    let regs = &model.registers;
    for a in regs.accidents.iter().filter(|a| a.date.year() == year) {
        ui.label(format!(
            "事故 #{} {} {} {}：{}",
            a.id,
            a.date,
            a.grade.label_zh(),
            model.units.name_of(&a.unit),
            a.title
        ));
    }
    for d in regs.deductions.iter().filter(|d| d.year == year) {
        ui.horizontal_wrapped(|ui| {
            let text = format!(
                "扣分 #{} {}“{}”−{}：{}",
                d.id,
                model.units.name_of(&d.unit),
                d.item,
                d.points,
                d.reason
            );
            match &d.withdrawn {
                Some(w) => {
                    ui.label(RichText::new(text).strikethrough());
                    ui.weak(format!("已撤销：{}", w.reason));
                }
                None => {
                    ui.label(text);
                    if ui
                        .add_enabled(
                            !saving && !state.note.trim().is_empty(),
                            egui::Button::new(format!("撤销扣分 #{}", d.id)),
                        )
                        .on_hover_text("先在下方“理由”中写明撤销的理由")
                        .clicked()
                    {
                        apply(
                            actions,
                            SupAction::RemoveDeduction {
                                id: d.id,
                                date: model.today,
                                reason: state.note.trim().to_owned(),
                            },
                        );
                    }
                }
            }
        });
    }
    egui::CollapsingHeader::new("登记事故、手工扣分")
        .id_salt("assess-forms")
        .show(ui, |ui| {
            let f = &mut state.assess_form;
            unit_combo(ui, model, "assess-unit", "考核单位", &mut f.unit);
            ui.horizontal_wrapped(|ui| {
                let grades = [
                    AccidentGrade::Ordinary,
                    AccidentGrade::Larger,
                    AccidentGrade::Major,
                    AccidentGrade::Extraordinary,
                ];
                choice(
                    ui,
                    "accident-grade",
                    "事故等级",
                    &mut f.grade,
                    &grades,
                    AccidentGrade::label_zh,
                    ("请选择", false),
                );
                labelled_field(ui, "事故日期", &mut f.date, "YYYY-MM-DD", 100.0);
                labelled_field(ui, "事故名称", &mut f.title, "", 220.0);
            });
            if ui
                .add_enabled(!saving, egui::Button::new("登记事故"))
                .clicked()
            {
                match (f.unit.clone(), f.grade, parse_day(&f.date, "事故日期")) {
                    (Some(unit), Some(grade), Ok(date)) => apply(
                        actions,
                        SupAction::AddAccident {
                            date,
                            unit,
                            grade,
                            title: f.title.clone(),
                            note: String::new(),
                        },
                    ),
                    (None, _, _) => state.error = Some("请选择考核单位".to_owned()),
                    (_, None, _) => state.error = Some("请选择事故等级".to_owned()),
                    (_, _, Err(e)) => state.error = Some(e),
                }
            }
            ui.separator();
            ui.horizontal_wrapped(|ui| {
                let l = ui.label("考核项目");
                egui::ComboBox::from_id_salt("deduct-item")
                    .selected_text(
                        model
                            .settings
                            .supervision
                            .items
                            .iter()
                            .find(|i| f.item.as_deref() == Some(i.name.as_str()))
                            .map_or_else(
                                || "请选择".to_owned(),
                                |i| format!("{}（{}分）", i.name, i.points),
                            ),
                    )
                    .show_ui(ui, |ui| {
                        for i in &model.settings.supervision.items {
                            ui.selectable_value(
                                &mut f.item,
                                Some(i.name.clone()),
                                format!("{}（{}分）", i.name, i.points),
                            );
                        }
                    })
                    .response
                    .labelled_by(l.id);
                labelled_field(ui, "扣分", &mut f.points, "", 60.0);
                labelled_field(ui, "扣分理由", &mut f.reason, "", 260.0);
            });
            if ui
                .add_enabled(!saving, egui::Button::new(format!("记入{year}年考核")))
                .clicked()
            {
                match (
                    f.unit.clone(),
                    f.item.clone(),
                    f.points.trim().parse::<f64>(),
                ) {
                    (Some(unit), Some(item), Ok(points)) => apply(
                        actions,
                        SupAction::AddDeduction {
                            year,
                            unit,
                            item,
                            points,
                            reason: f.reason.clone(),
                        },
                    ),
                    (None, _, _) => state.error = Some("请选择考核单位".to_owned()),
                    (_, None, _) => state.error = Some("请选择考核项目".to_owned()),
                    (_, _, Err(_)) => state.error = Some("扣分请写数字".to_owned()),
                }
            }
        });
    ui.horizontal(|ui| {
        let l = ui.label("理由");
        ui.add(egui::TextEdit::singleline(&mut state.note).desired_width(300.0))
            .labelled_by(l.id);
    });
    ui.separator();
}

fn assessment_view(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut SupervisionState,
    actions: &mut Vec<Action>,
) {
    let year = year_picker(ui, model, state);
    if ui.button(format!("计算{year}年度考核")).clicked() {
        actions.push(Action::ComputeAssessment(year));
    }
    assessment_forms(ui, model, state, actions, year);
    let Some(a) = model.assessment.as_ref().filter(|a| a.year == year) else {
        ui.weak("点“计算”按办的规则生成考核表（通报次数、逾期任务和督办事项、未完成的目标、事故一票否决）。");
        return;
    };
    ui.horizontal(|ui| {
        ui.label(format!("数据截至 {}（活动 {}）", a.as_of, a.campaign));
        let name = format!("{year}年度安全生产工作考核表");
        export_bar(ui, model, state, "assessment", &name, actions, |title| {
            anwei_exchange::tables::assessment(title, &a.sheets, &model.units)
        });
    });
    for p in &a.problems {
        ui.label(
            RichText::new(format!("注意：{p}")).color(status_color(anwei_core::Status::DueSoon)),
        );
    }
    for s in &a.sheets {
        let head = format!(
            "{}：{} 分，{}{}",
            a.name_of(&s.unit),
            s.total,
            s.grade.label_zh(),
            if s.remark.is_empty() {
                String::new()
            } else {
                format!("（{}）", s.remark)
            }
        );
        egui::CollapsingHeader::new(head)
            .id_salt(("sheet", &s.unit))
            .show(ui, |ui| {
                for l in &s.lines {
                    ui.label(format!("{} {}/{} 分", l.name, l.score, l.points));
                    for d in &l.deductions {
                        ui.weak(format!("　−{}：{}", d.points, d.cause));
                    }
                }
                for d in &s.automatic {
                    ui.label(format!("−{}：{}", d.points, d.cause));
                }
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn todo_ids_open_their_item_or_hazard() {
        let mut s = SupervisionState::default();
        s.open("hazard:7");
        assert_eq!((s.view, s.hazard), (View::Hazards, Some(7)));
        s.open("supervision_item:3");
        assert_eq!((s.view, s.selected), (View::Items, Some(3)));
        s.open("nonsense");
        assert_eq!(s.selected, Some(3));
        s.open("hazards_of:u0002");
        assert_eq!(
            (s.view, s.hazard_unit.as_deref(), s.hazard_overdue),
            (View::Hazards, Some("u0002"), true)
        );
    }
}
