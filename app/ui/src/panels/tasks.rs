//! 任务: the filterable, sortable task table.

use anwei_core::{SortKey, Status, TaskFilter, sort_rows};
use egui::{Align, ComboBox, Label, Layout, RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};

use crate::action::Action;
use crate::model::DeskModel;
use crate::widgets::{labelled_field, status_text};

/// Height of one table row (one line of text; long titles are elided, the full text is in
/// the detail panel and in the tooltip).
pub const ROW_HEIGHT: f32 = 24.0;

/// The table's columns with their sort keys.
const COLUMNS: [(&str, SortKey); 6] = [
    ("序号", SortKey::Document),
    ("主要任务", SortKey::Title),
    ("牵头", SortKey::Lead),
    ("责任", SortKey::Responsible),
    ("完成时间", SortKey::Due),
    ("状态", SortKey::Status),
];

/// Filter, sort and the cached list of visible rows of the task table.
#[derive(Debug, Clone)]
pub struct TasksState {
    pub plan: Option<String>,
    /// Unit name or alias (any role); part of a name also matches.
    pub unit: String,
    pub phase: Option<String>,
    pub status: Option<Status>,
    pub text: String,
    pub sort: SortKey,
    pub ascending: bool,
    cache: FilterCache,
    pub export: crate::export::ExportBar,
}

#[derive(Debug, Clone, Default)]
struct FilterCache {
    key: Option<(u64, TaskFilter, SortKey, bool)>,
    /// Indices into `DeskModel::rows`, filtered and sorted.
    indices: Vec<usize>,
    /// How many times the list was recomputed (tests and benches check the cache works).
    recomputed: u64,
}

impl Default for TasksState {
    fn default() -> Self {
        TasksState {
            plan: None,
            unit: String::new(),
            phase: None,
            status: None,
            text: String::new(),
            sort: SortKey::Document,
            ascending: true,
            cache: FilterCache::default(),
            export: Default::default(),
        }
    }
}

impl TasksState {
    /// The filter the inputs describe.
    pub fn filter(&self) -> TaskFilter {
        TaskFilter {
            plan: self.plan.clone(),
            unit: Some(self.unit.trim().to_owned()).filter(|u| !u.is_empty()),
            phase: self.phase.clone(),
            status: self.status,
            text: self.text.clone(),
        }
    }

    /// Clears every filter (the sort stays).
    pub fn clear_filters(&mut self) {
        self.plan = None;
        self.unit.clear();
        self.phase = None;
        self.status = None;
        self.text.clear();
    }

    /// Shows only `plan`'s tasks (every other filter cleared).
    pub fn show_plan(&mut self, plan: String) {
        self.clear_filters();
        self.plan = Some(plan);
    }

    /// Brings the cached row list up to date; recomputes only when the model, the filter or
    /// the sort changed.
    pub fn refresh(&mut self, model: &DeskModel) {
        let filter = self.filter();
        let fresh = self.cache.key.as_ref().is_some_and(|(g, f, s, a)| {
            *g == model.generation() && *f == filter && *s == self.sort && *a == self.ascending
        });
        if fresh {
            return;
        }
        let mut rows = filter.apply(&model.rows, &model.units);
        sort_rows(&mut rows, self.sort, self.ascending);
        if self.sort == SortKey::Document && !self.ascending {
            rows.reverse();
        }
        self.cache.indices.clear();
        self.cache
            .indices
            .extend(rows.iter().filter_map(|r| model.row_index_of(&r.id)));
        self.cache.key = Some((model.generation(), filter, self.sort, self.ascending));
        self.cache.recomputed += 1;
    }

    /// Indices into `model.rows` of the rows shown, in order (call [`Self::refresh`] first).
    pub fn visible(&self) -> &[usize] {
        &self.cache.indices
    }

    /// How many times the row list was recomputed.
    pub fn recompute_count(&self) -> u64 {
        self.cache.recomputed
    }

    fn click_header(&mut self, key: SortKey) {
        if self.sort == key {
            self.ascending = !self.ascending;
        } else {
            self.sort = key;
            self.ascending = true;
        }
    }
}

/// Draws the filter row and the task table. `open` is the task whose detail is shown.
pub fn tasks_panel(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut TasksState,
    open: Option<&str>,
    actions: &mut Vec<Action>,
) {
    filter_row(ui, model, state);
    state.refresh(model);
    ui.horizontal(|ui| {
        ui.label(format!("共 {} 项", state.visible().len()));
        if ui.button("清除筛选").clicked() {
            state.clear_filters();
        }
        // The filters in words and the shown rows are read only when the user exports.
        let filters = (
            state.plan.as_deref(),
            state.unit.as_str(),
            state.phase.as_deref(),
            state.status,
            state.text.as_str(),
        );
        let visible = &state.cache.indices;
        let today = model.today;
        state.export.ui(
            ui,
            "tasks",
            &format!("任务清单-{today}.xlsx"),
            || {
                let rows: Vec<&anwei_core::TaskRow> =
                    visible.iter().filter_map(|&i| model.rows.get(i)).collect();
                vec![anwei_exchange::tables::tasks(
                    &format!("{}任务清单", model.campaign.name),
                    &filters_text(model, filters),
                    &rows,
                    |id| {
                        model
                            .plan(id)
                            .map_or_else(|| id.to_owned(), |p| p.title.clone())
                    },
                    today,
                )]
            },
            actions,
        );
    });
    ui.separator();
    task_table(ui, model, state, open, actions);
}

/// The filters in force (plan, unit, phase, status, text), in words ("方案 …，单位
/// 区应急管理局，逾期"), for an export's head.
fn filters_text(
    model: &DeskModel,
    (plan, unit, phase, status, text): (Option<&str>, &str, Option<&str>, Option<Status>, &str),
) -> String {
    let mut parts = Vec::new();
    if let Some(p) = plan.and_then(|id| model.plan(id)) {
        parts.push(format!("方案 {}", DeskModel::plan_caption(p)));
    }
    if !unit.trim().is_empty() {
        parts.push(format!("单位 {}", unit.trim()));
    }
    if let Some(p) = phase {
        parts.push(format!("阶段 {p}"));
    }
    if let Some(s) = status {
        parts.push(s.label_zh().to_owned());
    }
    if !text.trim().is_empty() {
        parts.push(format!("含“{}”", text.trim()));
    }
    parts.join("，")
}

fn filter_row(ui: &mut Ui, model: &DeskModel, state: &mut TasksState) {
    ui.horizontal_wrapped(|ui| {
        let plan_text = state
            .plan
            .as_deref()
            .and_then(|id| model.plan(id))
            .map_or_else(
                || "全部".to_owned(),
                |p| short(&DeskModel::plan_caption(p), 18),
            );
        crate::widgets::plan_picker(
            ui,
            model,
            "filter-plan",
            &mut state.plan,
            plan_text,
            Some(220.0),
        );

        labelled_field(ui, "筛选单位", &mut state.unit, "名称或简称", 120.0)
            .on_hover_text("按单位筛选（牵头、责任或配合）；可填写简称或别名");

        let phase_text = state.phase.clone().unwrap_or_else(|| "全部".to_owned());
        let label = ui.label("阶段");
        ComboBox::from_id_salt("filter-phase")
            .selected_text(phase_text)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.phase, None, "全部");
                for name in model.phase_names() {
                    ui.selectable_value(&mut state.phase, Some(name.clone()), name);
                }
            })
            .response
            .labelled_by(label.id);

        let status_text_sel = state.status.map_or("全部", Status::label_zh);
        let label = ui.label("状态");
        ComboBox::from_id_salt("filter-status")
            .selected_text(status_text_sel)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.status, None, "全部");
                for s in Status::ALL.into_iter().chain([Status::NotApplicable]) {
                    ui.selectable_value(&mut state.status, Some(s), s.label_zh());
                }
            })
            .response
            .labelled_by(label.id);

        labelled_field(ui, "搜索", &mut state.text, "序号、任务内容、单位", 180.0);
    });
}

/// A plan's short name for the table: its code ("附件1"), or its kind when the code does not
/// tell plans apart ("附件" alone).
fn plan_short(plan: &anwei_core::Plan) -> &str {
    if plan.code.chars().any(|c| c.is_ascii_digit()) {
        &plan.code
    } else {
        plan.kind.label_zh()
    }
}

/// At most `n` characters, with "…" when cut.
pub(crate) fn short(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(n).collect();
        s.push('…');
        s
    }
}

fn task_table(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut TasksState,
    open: Option<&str>,
    actions: &mut Vec<Action>,
) {
    let mut header_clicked = None;
    let mut to_open: Option<usize> = None;
    let indices = &state.cache.indices;
    let (sort, ascending) = (state.sort, state.ascending);
    TableBuilder::new(ui)
        // Separate remembered column widths with and without the detail panel, so the
        // main-task column shrinks when the panel opens and the status stays in view.
        .id_salt(("task-table", open.is_some()))
        .striped(true)
        .resizable(true)
        .sense(Sense::click())
        .cell_layout(Layout::left_to_right(Align::Center))
        // 方案 / 序号 / 主要任务 (takes the remaining width) / 牵头 / 责任 / 完成时间 / 状态:
        // the status stays visible when the detail panel narrows the table.
        .column(Column::initial(64.0).at_least(40.0).clip(true))
        .column(Column::initial(56.0).at_least(40.0).clip(true))
        .column(Column::remainder().at_least(120.0).clip(true))
        .column(Column::initial(150.0).at_least(60.0).clip(true))
        .column(Column::initial(130.0).at_least(60.0).clip(true))
        .column(Column::initial(110.0).at_least(60.0).clip(true))
        .column(Column::initial(56.0).at_least(48.0))
        .min_scrolled_height(0.0)
        .header(ROW_HEIGHT, |mut header| {
            header.col(|ui| {
                ui.label(RichText::new("方案").strong())
                    .on_hover_text("任务所属的方案（附件）");
            });
            for (title, key) in COLUMNS {
                header.col(|ui| {
                    let active = sort == key;
                    let text = if active {
                        format!("{title} {}", if ascending { "↑" } else { "↓" })
                    } else {
                        title.to_owned()
                    };
                    if ui
                        .selectable_label(active, RichText::new(text).strong())
                        .on_hover_text("点击排序，再次点击反向")
                        .clicked()
                    {
                        header_clicked = Some(key);
                    }
                });
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, indices.len(), |mut row| {
                let Some(&index) = indices.get(row.index()) else {
                    return;
                };
                let Some(r) = model.rows.get(index) else {
                    return;
                };
                row.set_selected(open == Some(r.id.as_str()));
                row.col(|ui| {
                    let plan = model.plan(&r.plan);
                    ui.add(
                        Label::new(plan.map_or("", plan_short))
                            .truncate()
                            .selectable(false),
                    )
                    .on_hover_text(plan.map(DeskModel::plan_caption).unwrap_or_default());
                });
                row.col(|ui| {
                    ui.add(Label::new(&r.label).truncate().selectable(false));
                });
                row.col(|ui| {
                    if ui
                        .add(
                            Label::new(&r.title)
                                .truncate()
                                .selectable(false)
                                .sense(Sense::click()),
                        )
                        .clicked()
                    {
                        to_open = Some(index);
                    }
                });
                row.col(|ui| {
                    if r.unit_ids.is_empty() {
                        // The source names no unit (one agency's own plan): said, not blank.
                        ui.add(Label::new(RichText::new("原文未列").weak()).selectable(false))
                            .on_hover_text("原方案未写明牵头、责任单位");
                    } else {
                        ui.add(
                            Label::new(r.lead_units.join("、"))
                                .truncate()
                                .selectable(false),
                        );
                    }
                });
                row.col(|ui| {
                    ui.add(
                        Label::new(r.responsible_units.join("、"))
                            .truncate()
                            .selectable(false),
                    );
                });
                row.col(|ui| {
                    ui.add(Label::new(&r.deadline_text).truncate().selectable(false));
                });
                row.col(|ui| {
                    ui.add(Label::new(status_text(r.status)).selectable(false));
                });
                if row.response().clicked() {
                    to_open = Some(index);
                }
            });
        });
    if let Some(key) = header_clicked {
        state.click_header(key);
    }
    if let Some(r) = to_open.and_then(|i| model.rows.get(i)) {
        actions.push(Action::OpenTask(r.id.clone()));
    }
}
