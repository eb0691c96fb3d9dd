//! The full-window screen shown when the data folder cannot be opened.

use std::path::{Path, PathBuf};

use egui::{Label, RichText, Ui};

use crate::action::Action;
use crate::widgets::{error_label, labelled_field};

/// What went wrong and what can be tried.
#[derive(Debug, Clone)]
pub struct FailureState {
    pub data_dir: PathBuf,
    /// The store's error message, as is.
    pub message: String,
    /// Another window or command holds the data folder.
    pub locked: bool,
    /// The data folder's path is a file: nothing to restore or set aside there.
    pub not_a_folder: bool,
    /// The newest automatic backup of the data folder.
    pub latest_backup: Option<PathBuf>,
    pub typed_path: String,
}

fn backup_caption(p: &Path) -> String {
    let name = p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let time = std::fs::metadata(p)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| {
            chrono::DateTime::<chrono::Local>::from(t)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        });
    match time {
        Some(t) => format!("{name}，{t}"),
        None => name,
    }
}

/// Draws the screen; `status` is the last error of a retry or restore, if any.
pub fn failure_screen(
    ui: &mut Ui,
    state: &mut FailureState,
    status: Option<&str>,
    actions: &mut Vec<Action>,
) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.heading("安委办专项整治工作台");
        ui.add_space(12.0);
        ui.label(RichText::new("无法打开数据").strong().size(18.0));
        ui.add(Label::new(format!("数据目录：{}", state.data_dir.display())).wrap());
        ui.add_space(6.0);
        error_label(ui, &state.message);
        ui.add_space(12.0);
        if state.not_a_folder {
            ui.add(
                Label::new(
                    "数据目录的路径指向的是一个文件，不是文件夹，所以这里没有可恢复或可移走的数据库。请在启动时另选一个文件夹作为数据目录（例如用 --data 指定），或把这个文件移走后点“重试”。",
                )
                .wrap(),
            );
            if ui.button("重试").clicked() {
                actions.push(Action::Retry);
            }
        } else if state.locked {
            ui.add(
                Label::new(
                    "另一个 Anwei Desk 窗口（或命令）正在使用这个数据目录。关闭它之后点“重试”。",
                )
                .wrap(),
            );
            if ui.button("重试").clicked() {
                actions.push(Action::Retry);
            }
        } else {
            if let Some(latest) = &state.latest_backup {
                let text = format!("从最近的自动备份恢复（{}）", backup_caption(latest));
                if ui.button(text).clicked() {
                    actions.push(Action::Restore(latest.clone()));
                }
            } else {
                ui.label("数据目录中没有自动备份。");
            }
            ui.horizontal(|ui| {
                if ui.button("选择备份文件…").clicked()
                    && let Some(p) = rfd::FileDialog::new()
                        .set_title("选择备份文件")
                        .add_filter("Anwei Desk 备份", &[anwei_store::EXTENSION])
                        .pick_file()
                {
                    actions.push(Action::Restore(p));
                }
            });
            ui.horizontal(|ui| {
                labelled_field(ui, "备份文件", &mut state.typed_path, "备份文件路径", 320.0);
                if ui.button("从此文件恢复").clicked() {
                    let p = PathBuf::from(state.typed_path.trim());
                    if p.is_file() {
                        actions.push(Action::Restore(p));
                    } else {
                        actions.push(Action::Error(format!("找不到备份文件“{}”", p.display())));
                    }
                }
            });
            ui.weak("恢复时，无法打开的数据库会被移到一旁保留，不会删除。");
            if ui
                .button("保留损坏的数据库并新建数据")
                .on_hover_text("把无法打开的数据库移到数据目录中的 db.damaged-… 文件夹保留，然后以空白数据（含示例活动）重新开始")
                .clicked()
            {
                actions.push(Action::StartFresh);
            }
            if ui.button("重试").clicked() {
                actions.push(Action::Retry);
            }
        }
        if let Some(msg) = status {
            ui.add_space(8.0);
            error_label(ui, msg);
        }
    });
}
