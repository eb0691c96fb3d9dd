//! 备份与设置: backups, restore (with confirmation), automatic backups, settings.

use std::path::{Path, PathBuf};

use anwei_core::Command;
use anwei_store::Settings;
use egui::{DragValue, Label, RichText, ScrollArea, Ui};

use crate::action::{Action, Origin};
use crate::model::DeskModel;
use crate::outcome::{Outcome, TakesOutcome};
use crate::prefs::{TextSize, Theme};
use crate::widgets::labelled_field;

/// UI state of the backup and settings panel.
#[derive(Debug, Clone, Default)]
pub struct BackupState {
    pub backup_path: String,
    pub restore_path: String,
    /// A restore waiting for the user's confirmation.
    pub confirm_restore: Option<PathBuf>,
    pub due_soon_days: u32,
    pub user_name: String,
    /// 发文机关 (empty: derived from the campaign's region).
    pub office_name: String,
    /// 机关代字 of notice numbers.
    pub doc_prefix: String,
    /// 联系人 printed on notices.
    pub contact: String,
    /// Dates in Chinese numerals.
    pub chinese_date: bool,
    /// The settings the fields were filled from; refilled when the stored ones change.
    loaded: Option<Settings>,
}

/// The default backup file name for `today`: `anwei-YYYYMMDD.anwei-backup`.
pub fn default_backup_name(today: chrono::NaiveDate) -> String {
    format!(
        "anwei-{}.{}",
        today.format("%Y%m%d"),
        anwei_store::EXTENSION
    )
}

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Draws the panel.
pub fn backup_panel(
    ui: &mut Ui,
    model: &DeskModel,
    state: &mut BackupState,
    actions: &mut Vec<Action>,
) {
    if state.loaded.as_ref() != Some(&model.settings) {
        state.due_soon_days = model.settings.due_soon_days;
        state.user_name.clone_from(&model.settings.user_name);
        state.office_name.clone_from(&model.settings.office_name);
        state.doc_prefix.clone_from(&model.settings.doc_prefix);
        state.contact.clone_from(&model.settings.contact);
        state.chinese_date = model.settings.chinese_date;
        state.loaded = Some(model.settings.clone());
    }
    ScrollArea::vertical()
        .id_salt("backup-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.heading("备份");
            ui.horizontal(|ui| {
                if ui.button("立即备份…").clicked()
                    && let Some(path) = rfd::FileDialog::new()
                        .set_title("备份到")
                        .set_file_name(default_backup_name(model.today))
                        .add_filter("Anwei Desk 备份", &[anwei_store::EXTENSION])
                        .save_file()
                {
                    actions.push(Action::Backup(path));
                }
                ui.weak("（备份包含全部数据和附件）");
            });
            ui.horizontal(|ui| {
                labelled_field(
                    ui,
                    "备份文件路径",
                    &mut state.backup_path,
                    "文件或文件夹路径",
                    320.0,
                );
                if ui.button("备份到此路径").clicked() {
                    let typed = state.backup_path.trim();
                    if typed.is_empty() {
                        actions.push(Action::Error("请先填写备份文件的路径".to_owned()));
                    } else {
                        let mut path = PathBuf::from(typed);
                        if path.is_dir() {
                            path.push(default_backup_name(model.today));
                        }
                        actions.push(Action::Backup(path));
                    }
                }
            });
            ui.add_space(8.0);
            ui.heading("恢复");
            ui.add(
                Label::new(
                    "从备份恢复会用备份中的数据替换当前数据；替换之前，当前数据会先自动备份。",
                )
                .wrap(),
            );
            ui.horizontal(|ui| {
                if ui.button("从备份恢复…").clicked()
                    && let Some(path) = rfd::FileDialog::new()
                        .set_title("选择备份文件")
                        .add_filter("Anwei Desk 备份", &[anwei_store::EXTENSION])
                        .pick_file()
                {
                    state.confirm_restore = Some(path);
                }
            });
            ui.horizontal(|ui| {
                labelled_field(
                    ui,
                    "恢复文件路径",
                    &mut state.restore_path,
                    "备份文件路径",
                    320.0,
                );
                if ui.button("从此文件恢复").clicked() {
                    let path = PathBuf::from(state.restore_path.trim());
                    if path.is_file() {
                        state.confirm_restore = Some(path);
                    } else {
                        actions.push(Action::Error(format!("找不到备份文件“{}”", path.display())));
                    }
                }
            });
            ui.add_space(4.0);
            ui.label(RichText::new("自动备份（最新的在前）").strong());
            if model.auto_backups.is_empty() {
                ui.weak("还没有自动备份");
            }
            for b in &model.auto_backups {
                ui.horizontal(|ui| {
                    ui.label(file_name(b));
                    if ui
                        .small_button("恢复")
                        .on_hover_text(format!("从 {} 恢复", b.display()))
                        .clicked()
                    {
                        state.confirm_restore = Some(b.clone());
                    }
                });
            }
            ui.add_space(8.0);
            ui.heading("外观");
            appearance(ui, model.look, actions);
            ui.weak("外观只属于这台电脑上的这位用户，不写入数据库；关闭窗口时还记住窗口大小和所在的页。");
            ui.add_space(8.0);
            ui.heading("设置");
            ui.horizontal(|ui| {
                let label = ui.label("临期天数");
                ui.add(
                    DragValue::new(&mut state.due_soon_days)
                        .range(0..=365)
                        .suffix(" 天"),
                )
                .labelled_by(label.id);
                if ui.button("保存临期天数").clicked() {
                    actions.push(apply(Command::SetDueSoonDays {
                        days: state.due_soon_days,
                    }));
                }
            });
            ui.weak("距完成时间不超过这个天数、尚未完成的任务显示为“临期”。");
            ui.horizontal(|ui| {
                labelled_field(ui, "用户名", &mut state.user_name, "记录修改人", 160.0);
                if ui.button("保存用户名").clicked() {
                    actions.push(apply(Command::SetUserName {
                        name: state.user_name.trim().to_owned(),
                    }));
                }
            });
            ui.weak("用户名记入每条进展和修改记录。");
            ui.add_space(8.0);
            ui.label(RichText::new("打印设置").strong());
            let derived = anwei_store::Settings::default_office(&model.campaign);
            ui.horizontal(|ui| {
                labelled_field(ui, "发文机关", &mut state.office_name, &derived, 320.0);
            });
            ui.horizontal(|ui| {
                labelled_field(
                    ui,
                    "机关代字",
                    &mut state.doc_prefix,
                    "如“麒安委办督”",
                    160.0,
                );
                ui.weak(format!(
                    "文号示例：{}〔{}〕1号",
                    state.doc_prefix.trim(),
                    chrono::Datelike::year(&model.today)
                ));
            });
            ui.horizontal(|ui| {
                labelled_field(ui, "联系人", &mut state.contact, "姓名，电话", 320.0);
            });
            ui.checkbox(
                &mut state.chinese_date,
                format!(
                    "中文日期（{}）",
                    anwei_print::format_date(model.today, true)
                ),
            );
            if ui.button("保存打印设置").clicked() {
                let office = state.office_name.trim();
                let prefix = state.doc_prefix.trim();
                if prefix.is_empty() {
                    actions.push(Action::Error("请填写机关代字（文号的前缀）".to_owned()));
                } else {
                    actions.push(apply(Command::SetPrintSettings {
                        office_name: if office.is_empty() {
                            derived.clone()
                        } else {
                            office.to_owned()
                        },
                        doc_prefix: prefix.to_owned(),
                        contact: state.contact.trim().to_owned(),
                        chinese_date: state.chinese_date,
                    }));
                }
            }
            ui.weak(
                "发文机关留空时使用“{地区}安全生产委员会办公室”。督办通知书的文号按年连续编号。",
            );
        });
    confirm_restore(ui, state, actions);
}

fn confirm_restore(ui: &mut Ui, state: &mut BackupState, actions: &mut Vec<Action>) {
    let Some(path) = state.confirm_restore.clone() else {
        return;
    };
    let modal = egui::Modal::new(egui::Id::unique("confirm-restore")).show(ui.ctx(), |ui| {
        ui.set_max_width(440.0);
        ui.heading("确认从备份恢复");
        ui.add(Label::new(format!("备份文件：{}", path.display())).wrap());
        ui.add(
            Label::new(
                "恢复会用这个备份中的数据替换当前的全部数据。替换之前，当前数据会先自动备份到数据目录的 backups 文件夹，需要时可以再恢复回来。",
            )
            .wrap(),
        );
        ui.horizontal(|ui| {
            if ui.button("确认恢复").clicked() {
                actions.push(Action::Restore(path.clone()));
                state.confirm_restore = None;
            }
            if ui.button("取消").clicked() {
                state.confirm_restore = None;
            }
        });
    });
    if modal.should_close() {
        state.confirm_restore = None;
    }
}

/// A settings command from this page.
fn apply(command: Command) -> Action {
    Action::Apply {
        from: Origin::Settings,
        command,
    }
}

impl TakesOutcome for BackupState {
    /// The settings fields show the settings as saved: nothing to keep or clear; the status
    /// line says what happened.
    fn on_outcome(&mut self, _outcome: &Outcome, _model: &DeskModel) -> Option<String> {
        None
    }
}

/// Theme and text size, applied at once.
fn appearance(ui: &mut Ui, look: (Theme, TextSize), actions: &mut Vec<Action>) {
    let (mut theme, mut text) = look;
    ui.horizontal(|ui| {
        ui.label("主题");
        for t in Theme::ALL {
            ui.radio_value(&mut theme, t, t.label_zh());
        }
        ui.separator();
        ui.label("字号");
        for t in TextSize::ALL {
            ui.radio_value(&mut text, t, t.label_zh());
        }
    });
    if (theme, text) != look {
        actions.push(Action::SetAppearance { theme, text });
    }
}
