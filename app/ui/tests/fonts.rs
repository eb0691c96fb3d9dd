//! The bundled font: with it every tab renders; without it Chinese text has no glyphs (the
//! harness panics on a missing glyph), so the rendering does not lean on a system font.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_ui::DeskApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

#[test]
fn every_tab_renders_with_the_bundled_font() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let first_title = app.model().unwrap().rows[0].title.clone();
    let mut h = common::harness(app);
    // The overview's heading, and the top bar's list of campaigns showing it.
    assert!(
        h.query_by_label("麒麟区安全生产专项整治三年行动").is_some(),
        "overview"
    );
    let picker = h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "活动");
    assert_eq!(
        picker.value().as_deref(),
        Some("麒麟区安全生产专项整治三年行动"),
        "top bar"
    );
    for tab in ["任务", "单位", "备份与设置", "总览"] {
        common::open_tab(&mut h, tab);
    }
    // And the task detail with its form.
    common::open_tab(&mut h, "任务");
    h.get_by_label(&first_title).click();
    h.run();
    assert!(h.query_by_label("保存进展").is_some());
}

#[test]
fn without_the_bundled_font_chinese_has_no_glyphs() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        // Same desk, same harness, but egui's default fonts only.
        let mut h = Harness::builder()
            .with_size(egui::vec2(1500.0, 950.0))
            .build_ui_state(|ui, app: &mut DeskApp| app.ui(ui), app);
        h.run();
    }));
    let err = result.expect_err("Chinese text rendered without the bundled font");
    let msg = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    assert!(msg.contains("glyph"), "unexpected panic: {msg}");
}
