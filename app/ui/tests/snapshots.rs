//! Image snapshots of the 看板 (dashboard) and the 时间轴 (timeline) in the light and the dark
//! theme, rendered with wgpu (on machines without a GPU, Mesa's lavapipe, which
//! `tests/run.sh` installs). A change in how they look fails here with a `.diff.png` beside the
//! snapshot; `UPDATE_SNAPSHOTS=1 cargo test -p anwei-ui --test snapshots` writes them anew
//! (look at them before committing).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_ui::prefs::{TextSize, Theme};
use anwei_ui::{DeskApp, install_fonts};
use egui_kittest::{Harness, SnapshotOptions};

/// The demo as of 2020-09-01 in `theme`, on the tab `tab`, as a wgpu-rendered image.
fn shot(theme: Theme, tab: &str, name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut app = common::desk(dir.path());
    app.set_look(theme, TextSize::Small);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(8)
        .with_context_setup(install_fonts)
        .with_render_cursor(false)
        .wgpu()
        .build_ui_state(
            |ui, app: &mut DeskApp| {
                app.ui(ui);
            },
            app,
        );
    h.run();
    common::open_tab(&mut h, tab);
    // The status line said when the plugins' plans were saved (a clock time): a fixed line.
    h.state_mut()
        .apply_actions(vec![anwei_ui::Action::Info("就绪".to_owned())]);
    h.run();
    // Anti-aliased edges may differ by a few pixels between Mesa builds; a changed layout,
    // colour or text fails.
    let options = SnapshotOptions::new().max_failed_pixels(64);
    h.snapshot_options(name, &options);
}

#[test]
fn the_dashboard_in_the_light_theme() {
    shot(Theme::Light, "看板", "board_light");
}

#[test]
fn the_dashboard_in_the_dark_theme() {
    shot(Theme::Dark, "看板", "board_dark");
}

#[test]
fn the_timeline_in_the_light_theme() {
    shot(Theme::Light, "时间轴", "timeline_light");
}

#[test]
fn the_timeline_in_the_dark_theme() {
    shot(Theme::Dark, "时间轴", "timeline_dark");
}
