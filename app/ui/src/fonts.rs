//! The bundled CJK font.

use egui::{FontData, FontDefinitions, FontFamily};

/// WenQuanYi Micro Hei (Apache-2.0), face 0: Latin, CJK and CJK punctuation in one font.
pub static BUNDLED_FONT: &[u8] = include_bytes!("../../../assets/fonts/wqy-microhei.ttc");

/// Name of the bundled font in [`FontDefinitions`].
pub const BUNDLED_FONT_NAME: &str = "wqy-microhei";

/// egui's default fonts with the bundled CJK font inserted first in both the proportional
/// and the monospace family (egui's own fonts stay behind it as a fallback for symbols).
pub fn font_definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        BUNDLED_FONT_NAME.to_owned(),
        std::sync::Arc::new(FontData::from_static(BUNDLED_FONT)),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .insert(0, BUNDLED_FONT_NAME.to_owned());
    }
    fonts
}

/// Installs the bundled font. Call once, before the first frame (eframe's creation closure).
pub fn install_fonts(ctx: &egui::Context) {
    ctx.set_fonts(font_definitions());
}
