//! The Anwei Desk user interface (安委办专项整治工作台), as a library.
//!
//! Rerun-style: every frame the panels draw from a read-only [`DeskModel`] and push
//! [`Action`]s; [`DeskApp`] applies them after drawing: a command goes to the store (written
//! off the UI thread, "保存中…" meanwhile), then the parts of the model it [`Touched`] are
//! refreshed and its [`Outcome`] goes back to the panel it came from ([`TakesOutcome`]).
//! Work off the UI thread runs as [`jobs`]. Every panel is a plain function drawable in
//! `egui_kittest` without a window. The crate does not depend on eframe: the binary wraps
//! [`DeskApp`] in its `eframe::App` and calls [`DeskApp::ui`] each frame.

mod action;
mod app;
mod backups;
pub mod export;
mod fonts;
pub mod jobs;
mod model;
mod outcome;
pub mod panels;
mod plugins;
pub mod prefs;
pub mod records;
mod widgets;
mod workers;
mod writes;

pub use action::{Action, Origin, Tab};
pub use anwei_session::WriteGate;
pub use app::{DeskApp, StatusLine};
pub use fonts::{BUNDLED_FONT, BUNDLED_FONT_NAME, font_definitions, install_fonts};
pub use model::{DeskModel, PlanStats, TaskDetailData};
pub use outcome::{Effects, Outcome, Part, Saved, TakesOutcome, Touched, Undo, effects};
pub use plugins::{LedgerForm, PluginContent, PluginsView, signer_text};
