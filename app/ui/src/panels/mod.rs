//! The panels. Each draws from a read-only [`crate::DeskModel`] plus its own UI state and
//! pushes [`crate::Action`]s; none touches the store.

pub mod backup;
pub mod board;
pub mod detail;
pub mod failure;
pub mod ledger;
pub mod overview;
pub mod plugins;
pub mod print;
pub mod record_form;
pub mod reports;
pub mod search;
pub mod supervision;
pub mod targets;
pub mod tasks;
pub mod timeline;
pub mod today;
pub mod units;

pub use backup::{BackupState, backup_panel, default_backup_name};
pub use board::{BoardState, board_panel};
pub use detail::{DetailState, ProgressForm, detail_panel};
pub use failure::{FailureState, failure_screen};
pub use ledger::{EditorSession, LedgerState, ledger_panel, record_panel};
pub use overview::overview_panel;
pub use plugins::{PluginsState, plugin_banners, plugins_panel};
pub use print::{DocKind, JobKind, PrintState, print_panel};
pub use record_form::{EditorEvent, FormLookups, RecordEditor, record_editor};
pub use reports::{ReportsState, reports_panel};
pub use search::{Hit, SearchState, search, search_window};
pub use supervision::{SupervisionState, supervision_panel};
pub use targets::{MeasurementForm, TargetsState, target_detail, targets_panel};
pub use tasks::{TasksState, tasks_panel};
pub use timeline::{TimelineState, timeline_panel};
pub use today::{TodayState, today_panel};
pub use units::{UnitsState, split_aliases, units_panel};
