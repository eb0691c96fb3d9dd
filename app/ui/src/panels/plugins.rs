//! 插件: the sector plugins — which are loaded, where they come from and who signed them,
//! what each contributes (plan, targets, forms); install (file picker, typed path, or a
//! package dropped on the window), enable/disable, remove; developer mode.

use std::path::PathBuf;

use anwei_core::Command;
use egui::{Color32, Label, RichText, ScrollArea, Ui};

use crate::action::{Action, Origin};
use crate::model::DeskModel;
use crate::outcome::{Outcome, TakesOutcome};
use crate::plugins::{PluginsView, signer_text};
use crate::widgets::{ERROR_COLOR, error_label, labelled_field};

/// Colour of warnings (developer mode, disabled plugins).
pub const WARN_COLOR: Color32 = Color32::from_rgb(200, 110, 0);

/// UI state of the plugin page.
#[derive(Debug, Clone, Default)]
pub struct PluginsState {
    pub install_path: String,
    /// Install a lower version than the one in use (administrator's choice).
    pub allow_downgrade: bool,
    /// The plugin whose contribution is shown.
    pub selected: Option<String>,
    /// A removal waiting for confirmation.
    pub confirm_remove: Option<String>,
}

impl TakesOutcome for PluginsState {
    /// The developer-mode checkbox shows the setting as saved: the status line says the rest.
    fn on_outcome(&mut self, _outcome: &Outcome, _model: &DeskModel) -> Option<String> {
        None
    }
}

/// The banners shown above every tab: disabled plugins, developer mode, refused files.
pub fn plugin_banners(ui: &mut Ui, view: &PluginsView) {
    if view.developer_mode {
        ui.label(
            RichText::new("注意：插件开发者模式已开启：未经安委办签名的插件也会被加载")
                .color(WARN_COLOR)
                .strong(),
        );
    }
    for b in &view.banners {
        ui.add(Label::new(RichText::new(format!("注意：{}", b.message)).color(WARN_COLOR)).wrap());
    }
    if let Some(e) = &view.error {
        error_label(ui, e);
    }
}

/// Draws the page.
/// The campaign the sector's plan belongs to, and a list to attach it to another one (the
/// user's pick; its later versions stay there).
fn campaign_row(
    ui: &mut Ui,
    model: &crate::model::DeskModel,
    sector: &str,
    actions: &mut Vec<Action>,
) {
    let Some(plan) = model.plan(sector) else {
        ui.weak("本方案不在当前显示的活动中（切换活动可查看）。");
        return;
    };
    ui.horizontal(|ui| {
        ui.label(format!("所属活动：{}", model.campaign.name));
        let others: Vec<&anwei_core::Campaign> = model
            .campaigns
            .iter()
            .filter(|c| c.id != plan.campaign && !c.archived)
            .collect();
        if others.is_empty() || model.campaign.archived {
            return;
        }
        let label = ui.label("移到活动");
        let mut chosen: Option<String> = None;
        egui::ComboBox::from_id_salt(("move-plan", sector))
            .selected_text("（选择活动）")
            .show_ui(ui, |ui| {
                for c in others {
                    if ui
                        .selectable_label(false, format!("{}（{}）", c.name, c.years_text()))
                        .clicked()
                    {
                        chosen = Some(c.id.clone());
                    }
                }
            })
            .response
            .labelled_by(label.id);
        if let Some(campaign) = chosen {
            actions.push(Action::apply(anwei_core::Command::MoveSectorPlan {
                sector: sector.to_owned(),
                campaign,
            }));
        }
    });
}

pub fn plugins_panel(
    ui: &mut Ui,
    view: &PluginsView,
    model: &crate::model::DeskModel,
    state: &mut PluginsState,
    actions: &mut Vec<Action>,
) {
    ScrollArea::vertical().show(ui, |ui| {
        ui.heading("行业插件");
        if view.starting {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("插件启动中（首次启动需编译，稍候）…");
            });
        }
        egui::Grid::new("plugins-grid")
            .striped(true)
            .num_columns(7)
            .show(ui, |ui| {
                for h in ["行业", "版本", "接口", "发布部门 / 签名", "来源", "状态", "操作"] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for (info, _) in &view.plugins {
                    let selected = state.selected.as_deref() == Some(info.sector_id.as_str());
                    if ui
                        .selectable_label(selected, format!("{}（{}）", info.name, info.sector_id))
                        .clicked()
                    {
                        state.selected = Some(info.sector_id.clone());
                    }
                    ui.label(&info.version);
                    ui.label(&info.api_version);
                    ui.label(format!("{} · {}", info.department, signer_text(info)));
                    ui.label(if info.built_in {
                        "内置".to_owned()
                    } else {
                        "已安装".to_owned()
                    });
                    if info.enabled {
                        let mut text = "启用".to_owned();
                        if info.recent_faults > 0 {
                            text.push_str(&format!("（10 分钟内出错 {} 次）", info.recent_faults));
                        }
                        ui.label(RichText::new(text).color(Color32::from_rgb(30, 140, 60)));
                    } else {
                        ui.add(
                            Label::new(
                                RichText::new(format!(
                                    "停用：{}",
                                    info.disabled_reason.as_deref().unwrap_or("已手动停用")
                                ))
                                .color(WARN_COLOR),
                            )
                            .wrap(),
                        );
                    }
                    ui.horizontal(|ui| {
                        let label = if info.enabled { "停用" } else { "启用" };
                        if ui
                            .button(label)
                            .on_hover_text(format!("{label}“{}”", info.name))
                            .clicked()
                        {
                            actions.push(Action::SetPluginEnabled {
                                sector: info.sector_id.clone(),
                                on: !info.enabled,
                            });
                        }
                        if !info.built_in && ui.button("移除").clicked() {
                            state.confirm_remove = Some(info.sector_id.clone());
                        }
                    });
                    ui.end_row();
                }
            });
        if state.selected.is_none() && !view.plugins.is_empty() {
            ui.weak("点击行业名称，查看它带来的方案、指标和表单。");
        }
        if let Some(sector) = state.confirm_remove.clone() {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!(
                        "移除“{sector}”的安装包？已录入的进展和记录都会保留；有内置版本时恢复内置版本。"
                    ))
                    .color(ERROR_COLOR),
                );
                if ui.button("确认移除").clicked() {
                    actions.push(Action::RemovePlugin(sector.clone()));
                    state.confirm_remove = None;
                }
                if ui.button("取消").clicked() {
                    state.confirm_remove = None;
                }
            });
        }

        if let Some((info, content)) = state
            .selected
            .as_deref()
            .and_then(|s| view.plugins.iter().find(|(i, _)| i.sector_id == s))
        {
            ui.add_space(8.0);
            ui.separator();
            ui.heading(&info.name);
            if let Some(p) = &info.path {
                ui.label(format!("插件包：{}", p.display()));
            }
            ui.label(format!("SHA-256：{}", info.sha256));
            if let Some(c) = content {
                ui.label(format!("行业方案：{}（{} 项任务）", c.plan_title, c.tasks));
                if ui.button("在任务表中查看").clicked() {
                    actions.push(Action::FilterPlan(info.sector_id.clone()));
                }
                campaign_row(ui, model, &info.sector_id, actions);
                ui.label(RichText::new(format!("指标（{} 项）", c.targets.len())).strong());
                for (name, unit, form) in &c.targets {
                    let mut line = format!("· {name}");
                    if !unit.is_empty() {
                        line.push_str(&format!("（{unit}）"));
                    }
                    if let Some(f) = form {
                        let title = c
                            .forms
                            .iter()
                            .find(|(id, _, _)| id == f)
                            .map_or(f.as_str(), |(_, t, _)| t.as_str());
                        line.push_str(&format!(" ← 由“{title}”计算"));
                    }
                    ui.add(Label::new(line).wrap());
                }
                ui.label(RichText::new(format!("表单（{} 个）", c.forms.len())).strong());
                for (id, title, fields) in &c.forms {
                    ui.label(format!("· {title}（{id}，{fields} 个字段）"));
                }
            }
        }

        ui.add_space(8.0);
        ui.separator();
        ui.heading("安装插件包");
        ui.add(
            Label::new(format!(
                "选择或输入 .{} 文件，也可以把文件直接拖到窗口上，或放入插件目录 {}（自动加载）。\
                 只接受安委办信任列表中本行业部门签名的插件包。",
                anwei_plugin_host::package::PACKAGE_EXT,
                view.plugins_dir.display()
            ))
            .wrap(),
        );
        if !view.root_key {
            ui.label(
                RichText::new(
                    "尚未配置安委办根公钥：目前只能使用内置插件（管理员用 anwei plugins root-key set 根公钥文件 配置）",
                )
                    .color(WARN_COLOR),
            );
        }
        if let Some(p) = &view.installing {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!("正在安装 {} …", p.display()));
                if view.install_cancelled {
                    ui.weak("正在取消…");
                } else if ui
                    .button("取消安装")
                    .on_hover_text("安装开始写入之前可以取消")
                    .clicked()
                {
                    actions.push(Action::CancelInstall);
                }
            });
        }
        ui.horizontal(|ui| {
            if ui.button("选择插件包…").clicked()
                && let Some(path) = rfd::FileDialog::new()
                    .set_title("选择插件包")
                    .add_filter("Anwei Desk 插件包", &[anwei_plugin_host::package::PACKAGE_EXT])
                    .pick_file()
            {
                actions.push(Action::InstallPlugin {
                    path,
                    allow_downgrade: state.allow_downgrade,
                });
            }
        });
        ui.horizontal(|ui| {
            labelled_field(ui, "插件包路径", &mut state.install_path, "插件包文件路径", 360.0);
            if ui.button("安装此文件").clicked() {
                let path = PathBuf::from(state.install_path.trim());
                if state.install_path.trim().is_empty() {
                    actions.push(Action::Error("请填写插件包路径".to_owned()));
                } else if !path.is_file() {
                    actions.push(Action::Error(format!("找不到插件包“{}”", path.display())));
                } else {
                    actions.push(Action::InstallPlugin {
                        path,
                        allow_downgrade: state.allow_downgrade,
                    });
                }
            }
        });
        ui.checkbox(
            &mut state.allow_downgrade,
            "允许安装较低版本（降级，仅限管理员明确需要时）",
        );

        ui.add_space(8.0);
        ui.separator();
        ui.heading("开发者模式");
        let mut dev = view.developer_mode;
        if ui
            .checkbox(&mut dev, "接受未签名插件（供部门开发人员调试；所有页面都会显示警告）")
            .changed()
        {
            actions.push(Action::Apply {
                from: Origin::Plugins,
                command: Command::SetPluginDeveloperMode { on: dev },
            });
        }
    });
}
