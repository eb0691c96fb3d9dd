//! Intents the panels push while drawing; [`crate::DeskApp`] carries them out after the frame.

use std::path::PathBuf;

use anwei_core::Command;

/// The desk's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Tab {
    #[default]
    Overview,
    Tasks,
    Units,
    Print,
    Plugins,
    Backup,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Overview,
        Tab::Tasks,
        Tab::Units,
        Tab::Print,
        Tab::Plugins,
        Tab::Backup,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            Tab::Overview => "总览",
            Tab::Tasks => "任务",
            Tab::Units => "单位",
            Tab::Print => "打印",
            Tab::Plugins => "插件",
            Tab::Backup => "备份与设置",
        }
    }
}

/// One intent of the user.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Change state through the store (the only path by which data changes).
    Apply(Command),
    /// Write a backup file.
    Backup(PathBuf),
    /// Replace the data with a backup (the current data is backed up first by the store).
    Restore(PathBuf),
    /// Open a task's detail (and read its progress log).
    OpenTask(String),
    CloseTask,
    /// Read the revisions of a progress entry from the audit trail.
    LoadHistory(u64),
    SwitchTab(Tab),
    /// Open the 打印 tab preset to a 督办通知书 for this task.
    PrintNotice(String),
    /// Show only this plan's tasks in the task table.
    FilterPlan(String),
    /// Compute statuses as of this date (reviewing a past campaign); `None` = today.
    SetAsOf(Option<chrono::NaiveDate>),
    /// Open an evidence file (its `stored` path under the data folder's `evidence/`) with the
    /// system's default program.
    OpenEvidence(String),
    /// Open the data folder again (after it was locked or damaged).
    Retry,
    /// Move a damaged database aside (kept, not deleted) and start with a fresh one.
    StartFresh,
    /// Install a plugin package file (on a worker; the result shows in the status line).
    InstallPlugin {
        path: PathBuf,
        allow_downgrade: bool,
    },
    SetPluginEnabled {
        sector: String,
        on: bool,
    },
    /// Remove an installed package (the built-in version, if any, comes back).
    RemovePlugin(String),
    /// Show a message in the status line (e.g. a file that does not exist).
    Error(String),
    Info(String),
}
