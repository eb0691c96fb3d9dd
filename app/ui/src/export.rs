//! "导出Excel…" on a table: a line with the file to write (in the user's documents folder by
//! default, with a name saying what and as of when), 浏览… for the system's save dialog, and
//! 导出, which hands the shown rows as [`Table`]s to the desk ([`Action::ExportXlsx`]); the
//! file is written off the UI thread, whole or not at all, and the status line says where.

use std::path::{Path, PathBuf};

use anwei_exchange::xlsx::Table;
use egui::Ui;

use crate::action::Action;
use crate::widgets::labelled_field;

/// One table's export line: closed, or open with the path being typed.
#[derive(Debug, Clone, Default)]
pub struct ExportBar {
    open: bool,
    path: String,
}

/// Where exports go unless the user says otherwise: the documents folder, else home.
fn default_folder() -> PathBuf {
    directories::UserDirs::new()
        .map(|d| {
            d.document_dir()
                .map_or_else(|| d.home_dir().to_path_buf(), Path::to_path_buf)
        })
        .unwrap_or_default()
}

/// The file `typed` names: a folder gets `file_name` in it, a name without extension
/// `.xlsx`; another extension is refused (the file would not open as what it is named).
pub fn export_path(typed: &str, file_name: &str) -> Result<PathBuf, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err("请填写导出文件的路径".to_owned());
    }
    let mut path = PathBuf::from(typed);
    if path.is_dir() {
        path.push(file_name);
    }
    match path.extension().and_then(|e| e.to_str()) {
        None => {
            path.set_extension("xlsx");
        }
        Some(e) if e.eq_ignore_ascii_case("xlsx") => {}
        Some(e) => return Err(format!("导出文件应为 .xlsx（填写的是 .{e}）")),
    }
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(p) if !p.is_dir() => Err(format!(
            "文件夹“{}”不存在，请先创建它或换一个位置",
            p.display()
        )),
        _ => Ok(path),
    }
}

impl ExportBar {
    /// The button and, when open, the path line. `salt` tells this table's widgets from
    /// another's; `file_name` is the suggested name ("督办事项台账-2026-12-07.xlsx"); `tables`
    /// is called only when the user exports.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        salt: &str,
        file_name: &str,
        tables: impl FnOnce() -> Vec<Table>,
        actions: &mut Vec<Action>,
    ) {
        ui.push_id(("export", salt), |ui| {
            if ui
                .button("导出Excel…")
                .on_hover_text("把当前显示的行导出为 Excel 文件（.xlsx），可直接用 WPS 打印")
                .clicked()
            {
                self.open = !self.open;
                if self.path.is_empty() {
                    self.path = default_folder().join(file_name).display().to_string();
                }
            }
        });
        if !self.open {
            return;
        }
        ui.push_id(("export-line", salt), |ui| {
            ui.horizontal(|ui| {
                labelled_field(ui, "导出到", &mut self.path, "xlsx 文件路径", 360.0);
                if ui.button("浏览…").clicked()
                    && let Some(p) = rfd::FileDialog::new()
                        .set_title("导出为 Excel")
                        .add_filter("Excel 工作簿", &["xlsx"])
                        .set_file_name(file_name)
                        .save_file()
                {
                    self.path = p.display().to_string();
                }
                if ui.button("导出").clicked() {
                    match export_path(&self.path, file_name) {
                        Ok(path) => {
                            actions.push(Action::ExportXlsx {
                                tables: tables(),
                                path,
                            });
                            self.open = false;
                        }
                        Err(e) => actions.push(Action::Error(e)),
                    }
                }
                if ui.button("取消").clicked() {
                    self.open = false;
                }
            });
        });
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_typed_path_becomes_an_xlsx_file_in_a_folder_there_is() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert_eq!(
            export_path(d.to_str().unwrap(), "任务清单.xlsx").unwrap(),
            d.join("任务清单.xlsx")
        );
        assert_eq!(
            export_path(d.join("清单").to_str().unwrap(), "x.xlsx").unwrap(),
            d.join("清单.xlsx")
        );
        assert_eq!(
            export_path(d.join("a.XLSX").to_str().unwrap(), "x.xlsx").unwrap(),
            d.join("a.XLSX")
        );
        assert!(
            export_path(d.join("a.pdf").to_str().unwrap(), "x.xlsx")
                .unwrap_err()
                .contains(".pdf")
        );
        assert!(
            export_path(d.join("无/a.xlsx").to_str().unwrap(), "x.xlsx")
                .unwrap_err()
                .contains("不存在")
        );
        assert!(export_path("  ", "x.xlsx").is_err());
    }
}
