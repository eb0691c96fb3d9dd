//! Shared set-up of the UI tests: a desk on a temporary data folder, in a headless harness
//! with the bundled font.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use anwei_ui::{DeskApp, install_fonts};
use chrono::NaiveDate;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

/// 2020-09-01: inside the demo campaign's 排查整治 phase.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 9, 1).unwrap()
}

/// A desk on `dir` (the demo campaign is imported on first open).
pub fn desk(dir: &Path) -> DeskApp {
    let mut app = DeskApp::open(dir, "测试员");
    app.set_today(today());
    // The tests' layouts (what is above the fold in 1500 × 950) were written at text size 小;
    // the default (中) is tested in tests/appearance.rs.
    app.set_look(
        anwei_ui::prefs::Theme::Light,
        anwei_ui::prefs::TextSize::Small,
    );
    // The built-in plugins start in the background; settle before the test looks.
    app.wait_for_plugins();
    app
}

/// A desk on `dir` showing the campaign `campaign` (the demo's other is 商洛市's reform task
/// division, `shangluo-2018`).
pub fn desk_on(dir: &Path, campaign: &str) -> DeskApp {
    let mut app = desk(dir);
    app.apply_actions(vec![anwei_ui::Action::apply(
        anwei_core::Command::SetCurrentCampaign {
            campaign: campaign.to_owned(),
        },
    )]);
    app.wait_for_writes();
    assert_eq!(app.model().map(|m| m.campaign.id.as_str()), Some(campaign));
    app
}

/// The desk in a headless harness with the bundled font. After each frame the harness
/// waits for the commands the frame gave to be written (as the CLI does; the window never
/// waits) and draws their answer in the next frame: a test can click "保存" and look.
/// Tests of the pending state use [`harness_async`].
pub fn harness(app: DeskApp) -> Harness<'static, DeskApp> {
    Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        // The ten built-in plugins compile in the background on two cores: an answer that
        // lands between frames can make a scroll area take a few more frames to settle
        // (seen once in a clean clone's run). A UI that never settles still fails.
        .with_max_steps(8)
        .with_context_setup(install_fonts)
        .build_ui_state(
            |ui, app: &mut DeskApp| {
                app.ui(ui);
                if app.pending_writes() > 0 {
                    app.wait_for_writes();
                    ui.ctx().request_repaint();
                }
            },
            app,
        )
}

/// The desk in a harness whose frames never wait for writes, as in the window: while a
/// command is being written, frames show "保存中…" ([`wait_for_writes`] takes the answer).
pub fn harness_async(app: DeskApp) -> Harness<'static, DeskApp> {
    Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .with_max_steps(8)
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut DeskApp| app.ui(ui), app)
}

/// Runs the desk until every command given is written and its answer taken (the window
/// never waits: it shows "保存中…" meanwhile), then a frame.
pub fn wait_for_writes(h: &mut Harness<'static, DeskApp>) {
    h.state_mut().wait_for_writes();
    h.run();
}

/// Clicks a tab of the top bar.
pub fn open_tab(h: &mut Harness<'static, DeskApp>, tab: &str) {
    h.get_by_role_and_label(Role::Button, tab).click();
    h.run();
}

/// Replaces the text of the field named `label`.
pub fn set_field(h: &mut Harness<'static, DeskApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// The "共 N 项" count shown above the task table.
pub fn shown_count(h: &Harness<'static, DeskApp>) -> usize {
    let node = h.get_by_label_contains("共 ");
    let label = node
        .value()
        .or_else(|| node.accesskit_node().label())
        .unwrap_or_default();
    label
        .trim_start_matches("共 ")
        .trim_end_matches(" 项")
        .parse()
        .unwrap_or_else(|_| panic!("not a count: {label}"))
}

/// One mouse-wheel step over the point `at` (content moves up by `dy` points).
pub fn wheel(h: &mut Harness<'static, DeskApp>, at: egui::Pos2, dy: f32) {
    h.hover_at(at);
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -dy),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
    h.run();
}

/// Scrolls the widget named `label` into view and clicks it.
pub fn click(h: &mut Harness<'static, DeskApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
    h.get_by_label(label).click();
    h.run();
}

/// A file dropped on the window (egui 0.37 hands dropped files over as trait objects).
#[derive(Debug)]
pub struct Dropped(pub std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}
