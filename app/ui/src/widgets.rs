//! Small shared widgets.

use anwei_core::Status;
use egui::{Color32, Response, RichText, TextEdit, Ui};

/// The colour a status is shown in.
pub fn status_color(status: Status) -> Color32 {
    let [r, g, b] = status.rgb();
    Color32::from_rgb(r, g, b)
}

/// A status label in its colour.
pub fn status_text(status: Status) -> RichText {
    RichText::new(status.label_zh()).color(status_color(status))
}

/// Colour of error messages.
pub const ERROR_COLOR: Color32 = Color32::from_rgb(200, 30, 30);

/// An error message in red, wrapped.
pub fn error_label(ui: &mut Ui, message: &str) -> Response {
    ui.add(egui::Label::new(RichText::new(message).color(ERROR_COLOR)).wrap())
}

/// A label followed by a one-line text field named by it (screen readers and tests find the
/// field by the label's text).
pub fn labelled_field(
    ui: &mut Ui,
    label: &str,
    text: &mut String,
    hint: &str,
    width: f32,
) -> Response {
    let label = ui.label(label);
    ui.add(
        TextEdit::singleline(text)
            .hint_text(hint)
            .desired_width(width),
    )
    .labelled_by(label.id)
}

/// The 不适用 line of a task's or a target's detail: when marked, the reason with
/// "恢复为适用"; otherwise a reason field with "标为不适用". `draft` keeps the reason being
/// typed (a refused mark keeps it). Returns the command to apply, if any.
pub fn applicability_ui(
    ui: &mut Ui,
    item: &anwei_core::Item,
    mark: Option<&anwei_core::NotApplicable>,
    draft: &mut String,
    today: chrono::NaiveDate,
) -> Option<anwei_core::Command> {
    let mut cmd = None;
    match mark {
        Some(m) => {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!("不适用本地区：{}（{} 标记）", m.reason, m.date))
                        .color(status_color(Status::NotApplicable)),
                );
                if ui
                    .button("恢复为适用")
                    .on_hover_text("撤销“不适用”：重新按完成时限计算状态、计入统计")
                    .clicked()
                {
                    cmd = Some(anwei_core::Command::SetNotApplicable {
                        item: item.clone(),
                        reason: None,
                        date: today,
                    });
                }
            });
        }
        None => {
            egui::CollapsingHeader::new("标为不适用…")
                .id_salt(("not-applicable", item.key()))
                .show(ui, |ui| {
                    ui.add(
                        egui::Label::new(format!(
                            "本{}不适用于本地区时（例如内陆地区的海上项目），写明理由后标记：照原文保留，显示为“不适用”，不计入任何状态统计，也不催办。",
                            item.kind_zh()
                        ))
                        .wrap(),
                    );
                    ui.horizontal(|ui| {
                        labelled_field(ui, "理由：", draft, "例如：本区无海域", 240.0);
                        let reason = draft.trim().to_owned();
                        if ui
                            .add_enabled(!reason.is_empty(), egui::Button::new("标为不适用"))
                            .clicked()
                        {
                            cmd = Some(anwei_core::Command::SetNotApplicable {
                                item: item.clone(),
                                reason: Some(reason),
                                date: today,
                            });
                        }
                    });
                });
        }
    }
    cmd
}

/// Adds `path` to the files to attach (once); says why not when it is not a readable file.
pub fn add_file(files: &mut Vec<std::path::PathBuf>, path: &std::path::Path) -> Result<(), String> {
    if path.as_os_str().is_empty() {
        return Err("请填写附件文件的路径".to_owned());
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => {
            if !files.iter().any(|p| p == path) {
                files.push(path.to_path_buf());
            }
            Ok(())
        }
        Ok(_) => Err(format!("“{}”不是文件（是文件夹？）", path.display())),
        Err(_) => Err(format!("找不到文件“{}”", path.display())),
    }
}

/// The files waiting to be attached ("待添加：name"), each with a button that takes it off.
pub fn pending_files(ui: &mut Ui, files: &mut Vec<std::path::PathBuf>) {
    let mut remove = None;
    for (i, p) in files.iter().enumerate() {
        ui.horizontal(|ui| {
            let name = p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            ui.label(format!("待添加：{name}"))
                .on_hover_text(p.display().to_string());
            if ui.small_button("移除").clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        files.remove(i);
    }
}

/// "方案" and a list of the campaign's plans with 全部 first, choosing `plan`; `shown` is the
/// text of the choice made; `width`: the list's (`None`: egui's own).
pub fn plan_picker(
    ui: &mut Ui,
    model: &crate::model::DeskModel,
    salt: &str,
    plan: &mut Option<String>,
    shown: String,
    width: Option<f32>,
) -> Response {
    let label = ui.label("方案");
    let mut combo = egui::ComboBox::from_id_salt(salt).selected_text(shown);
    if let Some(w) = width {
        combo = combo.width(w);
    }
    combo
        .show_ui(ui, |ui| {
            ui.selectable_value(plan, None, "全部");
            for p in &model.plans {
                ui.selectable_value(
                    plan,
                    Some(p.id.clone()),
                    crate::model::DeskModel::plan_caption(p),
                );
            }
        })
        .response
        .labelled_by(label.id)
}
