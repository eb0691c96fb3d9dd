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
