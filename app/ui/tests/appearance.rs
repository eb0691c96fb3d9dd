//! The window's look: light and 中 by default (text larger than egui's own); theme and text
//! size chosen on 备份与设置 apply at once and are kept, with the last tab, in the user's
//! preferences file — not in the office's database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_ui::prefs::{Prefs, TextSize, Theme};
use anwei_ui::{DeskApp, Tab};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn harness(app: DeskApp) -> Harness<'static, DeskApp> {
    Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .with_max_steps(8)
        .with_context_setup(anwei_ui::install_fonts)
        .build_ui_state(|ui, app: &mut DeskApp| app.ui(ui), app)
}

#[test]
fn the_look_is_light_and_medium_by_default_and_a_choice_applies_and_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let prefs_file = dir.path().join("config").join("window.json");
    let mut app = DeskApp::open(dir.path().join("data"), "测试员");
    app.set_today(common::today());
    app.wait_for_plugins();
    let app = app.with_prefs_file(prefs_file.clone());
    let mut h = harness(app);
    h.run();
    assert_eq!(h.state().prefs().theme, Theme::Light);
    assert_eq!(h.state().prefs().text, TextSize::Medium);
    assert_eq!(h.ctx.theme(), egui::Theme::Light);
    assert!(!h.ctx.global_style().visuals.dark_mode);
    assert_eq!(h.ctx.zoom_factor(), TextSize::Medium.zoom());
    assert!(TextSize::Medium.zoom() > 1.0, "larger than egui's own size");

    common::open_tab(&mut h, "备份与设置");
    h.get_by_label("深色").click();
    h.run();
    h.get_by_label("大").click();
    h.run();
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);
    assert!(h.ctx.global_style().visuals.dark_mode);
    assert_eq!(h.ctx.zoom_factor(), TextSize::Large.zoom());
    let kept = Prefs::load(&prefs_file);
    assert_eq!((kept.theme, kept.text), (Theme::Dark, TextSize::Large));
    // Nothing of it went into the database's settings or audit trail.
    let audit = h.state().store().unwrap().audit(None, 100).unwrap();
    assert!(audit.iter().all(|r| !r.summary.contains("外观")));

    // Closed on this tab: opened again, the window shows it, in the chosen look.
    h.state_mut().on_exit();
    drop(h);
    let mut again = DeskApp::open(dir.path().join("data"), "测试员");
    again.set_today(common::today());
    again.wait_for_plugins();
    let again = again.with_prefs_file(prefs_file);
    assert_eq!(again.tab(), Some(Tab::Backup));
    let mut h = harness(again);
    h.run();
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);
    assert!(h.ctx.global_style().visuals.dark_mode);
    assert_eq!(h.ctx.zoom_factor(), TextSize::Large.zoom());
}
