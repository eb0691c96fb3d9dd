//! The desk window: eframe around the UI library's [`anwei_ui::DeskApp`].

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use eframe::egui;

struct Window(anwei_ui::DeskApp);

impl eframe::App for Window {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.0.ui(ui);
    }

    fn on_exit(&mut self) {
        self.0.on_exit();
    }
}

/// Opens the desk on data folder `dir` and runs until the window closes.
pub fn run(dir: PathBuf) -> Result<ExitCode> {
    let os_user = std::env::var("USER").unwrap_or_default();
    let mut app = anwei_ui::DeskApp::open_with_demo_activity(dir, os_user);
    // Theme, text size, window size and the last tab: the user's, in their configuration
    // folder (~/.config/anwei-desk/window.json on Linux).
    if let Some(dirs) = directories::ProjectDirs::from("cn", "anwei", "anwei-desk") {
        app = app.with_prefs_file(dirs.config_dir().join("window.json"));
    }
    let size = app.prefs().window.unwrap_or([1400.0, 900.0]);
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("安委办专项整治工作台 — Anwei Desk")
        .with_app_id("anwei-desk")
        .with_inner_size(size)
        .with_min_inner_size([900.0, 600.0])
        .with_drag_and_drop(true);
    // Where it was last (the system may place it otherwise).
    if let Some(place) = app.prefs().position {
        viewport = viewport.with_position(place);
    }
    let options = eframe::NativeOptions {
        viewport,
        // Chinese must come from the bundled font, never silently from a system one.
        system_font_fallback: false,
        ..Default::default()
    };
    eframe::run_native(
        "anwei-desk",
        options,
        Box::new(move |cc| {
            anwei_ui::install_fonts(&cc.egui_ctx);
            Ok(Box::new(Window(app)))
        }),
    )
    .map_err(|e| anyhow!("无法打开窗口：{e}"))?;
    Ok(ExitCode::SUCCESS)
}
