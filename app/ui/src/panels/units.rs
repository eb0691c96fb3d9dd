//! 单位: the unit directory with aliases; rename, aliases, kind, new units.

use anwei_core::{Command, Unit, UnitKind};
use egui::{Align, ComboBox, Label, Layout, RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};

use crate::action::{Action, Origin};
use crate::model::DeskModel;
use crate::outcome::{Outcome, TakesOutcome};
use crate::widgets::{error_label, labelled_field};

/// UI state of the units panel.
#[derive(Debug, Clone, Default)]
pub struct UnitsState {
    pub search: String,
    pub export: crate::export::ExportBar,
    pub selected: Option<String>,
    pub edit_name: String,
    /// Aliases separated by "、".
    pub edit_aliases: String,
    pub edit_kind: UnitKind,
    /// The unit as it was when the edit fields were filled; when the model's unit differs
    /// (another selection, or a save), the fields are filled again.
    loaded: Option<Unit>,
    pub new_name: String,
    pub new_aliases: String,
    pub new_kind: UnitKind,
    /// Why the last change of the selected unit was not saved.
    pub edit_error: Option<String>,
    /// Why the last new unit was not saved.
    pub new_error: Option<String>,
}

/// Splits "住建局、区住房城乡建设局" (also "，", ",", ";" or new lines) into aliases.
pub fn split_aliases(text: &str) -> Vec<String> {
    text.split(['、', '，', ',', ';', '；', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

impl UnitsState {
    fn sync(&mut self, model: &DeskModel) {
        let current = self
            .selected
            .as_deref()
            .and_then(|id| model.units.get(id))
            .cloned();
        if current != self.loaded {
            if current.as_ref().map(|u| &u.id) != self.loaded.as_ref().map(|u| &u.id) {
                self.edit_error = None;
            }
            if let Some(u) = &current {
                self.edit_name.clone_from(&u.name);
                self.edit_aliases = u.aliases.join("、");
                self.edit_kind = u.kind;
            }
            self.loaded = current;
        }
    }
}

impl TakesOutcome for UnitsState {
    /// A new unit saved empties the form and selects the unit; a refused change keeps what
    /// was typed and shows why under its button.
    fn on_outcome(&mut self, outcome: &Outcome, _model: &DeskModel) -> Option<String> {
        match &outcome.command {
            Command::AddUnit { .. } => match outcome.saved() {
                Some(applied) => {
                    self.new_name.clear();
                    self.new_aliases.clear();
                    self.new_error = None;
                    if let Some(u) = &applied.unit {
                        self.selected = Some(u.id.clone());
                    }
                }
                None => self.new_error = outcome.refused().map(str::to_owned),
            },
            Command::RenameUnit { .. }
            | Command::SetUnitAliases { .. }
            | Command::SetUnitKind { .. } => {
                self.edit_error = outcome.refused().map(str::to_owned);
            }
            _ => {}
        }
        None
    }
}

/// Draws the units panel.
pub fn units_panel(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut UnitsState,
    actions: &mut Vec<Action>,
) {
    state.sync(model);
    egui::Panel::right("unit-editor")
        .resizable(true)
        .default_size(360.0)
        .show(ui, |ui| {
            editor(ui, model, state, actions);
        });
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal(|ui| {
            labelled_field(ui, "查找单位", &mut state.search, "名称或别名", 200.0);
            ui.label(format!("共 {} 个单位", model.units.units().len()));
            let search = state.search.clone();
            state.export.ui(
                ui,
                "units",
                &format!("单位名录-{}.xlsx", model.today),
                || {
                    let shown: Vec<(Unit, usize)> = shown_units(model, &search)
                        .into_iter()
                        .map(|u| {
                            let n = model.unit_task_counts.get(&u.id).copied().unwrap_or(0);
                            (u.clone(), n)
                        })
                        .collect();
                    vec![anwei_exchange::tables::units(
                        &format!("{}单位名录", model.office_name()),
                        &shown,
                        model.today,
                    )]
                },
                actions,
            );
        });
        unit_table(ui, model, state);
    });
}

/// The units the search lets through, in the directory's order.
fn shown_units<'m>(model: &'m DeskModel, search: &str) -> Vec<&'m Unit> {
    let needle = search.trim().to_lowercase();
    model
        .units
        .units()
        .iter()
        .filter(|u| {
            needle.is_empty()
                || u.name.to_lowercase().contains(&needle)
                || u.aliases.iter().any(|a| a.to_lowercase().contains(&needle))
        })
        .collect()
}

fn unit_table(ui: &mut Ui, model: &DeskModel, state: &mut UnitsState) {
    let shown = shown_units(model, &state.search);
    let mut clicked = None;
    TableBuilder::new(ui)
        .id_salt("unit-table")
        .striped(true)
        .resizable(true)
        .sense(Sense::click())
        .cell_layout(Layout::left_to_right(Align::Center))
        .column(Column::initial(200.0).at_least(80.0).clip(true))
        .column(Column::initial(320.0).at_least(80.0).clip(true))
        .column(Column::initial(90.0).at_least(60.0))
        .column(Column::remainder().at_least(50.0))
        .min_scrolled_height(0.0)
        .header(24.0, |mut h| {
            for t in ["名称", "别名", "类别", "任务数"] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(24.0, shown.len(), |mut row| {
                let Some(u) = shown.get(row.index()) else {
                    return;
                };
                row.set_selected(state.selected.as_deref() == Some(u.id.as_str()));
                row.col(|ui| {
                    if ui
                        .add(
                            Label::new(&u.name)
                                .truncate()
                                .selectable(false)
                                .sense(Sense::click()),
                        )
                        .clicked()
                    {
                        clicked = Some(u.id.clone());
                    }
                });
                row.col(|ui| {
                    ui.add(
                        Label::new(u.aliases.join("、"))
                            .truncate()
                            .selectable(false),
                    );
                });
                row.col(|ui| {
                    ui.add(Label::new(u.kind.label_zh()).selectable(false));
                });
                row.col(|ui| {
                    let n = model.unit_task_counts.get(&u.id).copied().unwrap_or(0);
                    ui.add(Label::new(n.to_string()).selectable(false));
                });
                if row.response().clicked() {
                    clicked = Some(u.id.clone());
                }
            });
        });
    if clicked.is_some() {
        state.selected = clicked;
    }
}

fn kind_combo(ui: &mut Ui, id: &str, label: &str, kind: &mut UnitKind) {
    ComboBox::new(id, label)
        .selected_text(kind.label_zh())
        .show_ui(ui, |ui| {
            for k in UnitKind::ALL {
                ui.selectable_value(kind, k, k.label_zh());
            }
        });
}

fn editor(ui: &mut Ui, model: &DeskModel, state: &mut UnitsState, actions: &mut Vec<Action>) {
    ui.heading("编辑单位");
    match state.loaded.clone() {
        None => {
            ui.label("在左侧表格中点选一个单位。");
        }
        Some(unit) => {
            let n = model.unit_task_counts.get(&unit.id).copied().unwrap_or(0);
            ui.label(format!("涉及任务 {n} 项"));
            ui.horizontal(|ui| {
                labelled_field(ui, "单位名称", &mut state.edit_name, "单位全称", 220.0);
            });
            ui.weak("改名后，原名称自动保留为别名。");
            ui.horizontal(|ui| {
                labelled_field(ui, "别名", &mut state.edit_aliases, "用“、”分隔", 220.0);
            });
            kind_combo(ui, "unit-kind", "类别", &mut state.edit_kind);
            // Where the plans read the unit's other spellings.
            let read: Vec<String> = unit
                .alias_sources
                .iter()
                .filter(|s| unit.aliases.contains(&s.alias) || s.alias == unit.name)
                .map(|s| {
                    let plan = model
                        .plans
                        .iter()
                        .find(|p| p.id == s.plan)
                        .map_or(s.plan.as_str(), |p| p.title.as_str());
                    let line = s.line.map(|l| format!(" 第{l}行")).unwrap_or_default();
                    format!("“{}”：{plan}{line}", s.alias)
                })
                .collect();
            if !read.is_empty() {
                ui.label(RichText::new("别名出处").strong());
                for r in read {
                    ui.add(Label::new(r).wrap());
                }
            }
            if ui.button("保存单位").clicked() {
                let aliases = split_aliases(&state.edit_aliases);
                let name = state.edit_name.trim().to_owned();
                let mut cmds = Vec::new();
                if aliases != unit.aliases {
                    cmds.push(Command::SetUnitAliases {
                        unit: unit.id.clone(),
                        aliases,
                    });
                }
                if state.edit_kind != unit.kind {
                    cmds.push(Command::SetUnitKind {
                        unit: unit.id.clone(),
                        kind: state.edit_kind,
                    });
                }
                // Last: the store keeps the old name as an alias on rename.
                if name != unit.name {
                    cmds.push(Command::RenameUnit {
                        unit: unit.id.clone(),
                        name,
                    });
                }
                if cmds.is_empty() {
                    actions.push(Action::Info("没有需要保存的修改".to_owned()));
                }
                actions.extend(cmds.into_iter().map(|command| Action::Apply {
                    from: Origin::Units,
                    command,
                }));
            }
            if let Some(msg) = &state.edit_error {
                error_label(ui, msg);
            }
        }
    }
    ui.separator();
    ui.label(RichText::new("新增单位").strong());
    ui.horizontal(|ui| {
        labelled_field(ui, "新单位名称", &mut state.new_name, "单位全称", 220.0);
    });
    ui.horizontal(|ui| {
        labelled_field(
            ui,
            "新单位别名",
            &mut state.new_aliases,
            "用“、”分隔，可不填",
            220.0,
        );
    });
    kind_combo(ui, "new-unit-kind", "新单位类别", &mut state.new_kind);
    if ui.button("新增单位").clicked() {
        actions.push(Action::Apply {
            from: Origin::Units,
            command: Command::AddUnit {
                name: state.new_name.trim().to_owned(),
                kind: state.new_kind,
                aliases: split_aliases(&state.new_aliases),
            },
        });
    }
    if let Some(msg) = &state.new_error {
        error_label(ui, msg);
    }
}
