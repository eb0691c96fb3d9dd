//! Intents the panels push while drawing; [`crate::DeskApp`] carries them out after the frame.
//! A command carries the panel it came from ([`Origin`]): its outcome goes back there.

use std::path::PathBuf;

use std::collections::BTreeMap;

use anwei_core::{Command, Value};

/// The desk's tabs.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Tab {
    #[default]
    Overview,
    /// 今日待办.
    Today,
    /// 看板: units against statuses, and the months' trend.
    Board,
    /// 时间轴: phases, milestones and tasks on one time axis.
    Timeline,
    /// 报送: the reporting calendar, the units' submissions, the on-time rate.
    Reports,
    /// 督办: the supervision registers and the year-end 考核.
    Supervision,
    Tasks,
    Ledger,
    Targets,
    Units,
    Print,
    Plugins,
    Backup,
}

impl Tab {
    pub const ALL: [Tab; 13] = [
        Tab::Overview,
        Tab::Today,
        Tab::Board,
        Tab::Timeline,
        Tab::Reports,
        Tab::Supervision,
        Tab::Tasks,
        Tab::Ledger,
        Tab::Targets,
        Tab::Units,
        Tab::Print,
        Tab::Plugins,
        Tab::Backup,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            Tab::Overview => "总览",
            Tab::Today => "今日待办",
            Tab::Board => "看板",
            Tab::Timeline => "时间轴",
            Tab::Reports => "报送",
            Tab::Supervision => "督办",
            Tab::Tasks => "任务",
            Tab::Ledger => "台账",
            Tab::Targets => "指标",
            Tab::Units => "单位",
            Tab::Print => "打印",
            Tab::Plugins => "插件",
            Tab::Backup => "备份与设置",
        }
    }
}

/// Where a command came from: the panel that takes its outcome
/// ([`crate::TakesOutcome`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Origin {
    /// The desk's own bars, or a caller outside the panels: the status line only.
    #[default]
    Desk,
    /// The task detail (progress forms).
    Detail,
    Units,
    /// The 台账 tab (the record editor).
    Ledger,
    /// The 指标 tab (hand entry).
    Targets,
    Print,
    Plugins,
    /// 备份与设置.
    Settings,
    /// 报送.
    Reports,
    /// 督办.
    Supervision,
}

/// One intent of the user.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Change state through the store (the only path by which data changes); the outcome
    /// goes to the panel `from`.
    Apply {
        from: Origin,
        command: Command,
    },
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
    /// Open the 打印 tab preset to this 督办事项's next ladder document.
    PrintLetter(u64),
    /// Open the 打印 tab preset to the 登记表 of the open ledger's form: blank (`None`) or
    /// of that record.
    PrintForm(Option<u64>),
    /// Write the issued 督办通知书 numbered (year, number) to `path`, byte for byte as it was
    /// issued (from the register).
    ReprintNotice {
        year: i32,
        number: u32,
        path: std::path::PathBuf,
    },
    /// Send the issued 督办通知书 numbered (year, number), as it was issued, to the printer
    /// chosen on the 打印 tab.
    PrintIssuedNotice {
        year: i32,
        number: u32,
    },
    /// Show only this plan's tasks in the task table.
    FilterPlan(String),
    /// Open a target's detail on the 指标 tab.
    OpenTarget(String),
    /// Search every ledger record of the campaign's registers for `query` (on a worker; the
    /// answer goes to the search window).
    SearchRecords {
        query: String,
    },
    /// Open the record `id` of the form `form` in the 台账 tab's editor.
    OpenRecord {
        form: String,
        id: u64,
    },
    /// Open the 报送 tab on the period of `report` due on `due` (the latest, when `None`).
    OpenReport {
        report: String,
        due: Option<chrono::NaiveDate>,
    },
    /// Open the 督办 tab on a 督办事项 ("supervision_item:N") or a hazard ("hazard:N").
    OpenSupervision(String),
    /// Open the 督办 tab's form of a new 督办事项 filled in from this (overdue) task.
    SuperviseTask(String),
    /// Compute the 考核 sheets of a year (the answer goes to the model).
    ComputeAssessment(i32),
    /// The window's look: theme and text size (kept in the user's preferences file).
    SetAppearance {
        theme: crate::prefs::Theme,
        text: crate::prefs::TextSize,
    },
    /// Compute statuses as of this date (reviewing a past campaign); `None` = today.
    SetAsOf(Option<chrono::NaiveDate>),
    /// Open an evidence file (its `stored` path under the data folder's `evidence/`) with the
    /// system's default program.
    OpenEvidence(String),
    /// Open the data folder again (after it was locked or damaged).
    Retry,
    /// Move a damaged database aside (kept, not deleted) and start with a fresh one.
    StartFresh,
    /// Install a plugin package file (as a job; the result shows in the status line).
    InstallPlugin {
        path: PathBuf,
        allow_downgrade: bool,
    },
    /// Stop the running install, if it has not begun writing.
    CancelInstall,
    SetPluginEnabled {
        sector: String,
        on: bool,
    },
    /// Remove an installed package (the built-in version, if any, comes back).
    RemovePlugin(String),
    /// Open the ledger of a form (`SECTOR/FORM`): its records are read once.
    OpenLedger(String),
    /// Read the revisions of a ledger record from the audit trail.
    LoadRecordHistory(u64),
    /// Have the form's plugin check the values being edited (as a job); the issues go
    /// to the editor of `session`.
    ValidateRecord {
        session: u64,
        form: String,
        values: BTreeMap<String, Value>,
    },
    /// Have the form's plugin apply its rules to ledger records (as a job); the results go to
    /// the ledger's 规则判定 column.
    ClassifyRecords {
        form: String,
        records: Vec<anwei_core::FormRecord>,
    },
    /// Write `tables` to `path` as an Excel workbook (off the UI thread; the status line says
    /// where, or why not).
    ExportXlsx {
        tables: Vec<anwei_exchange::xlsx::Table>,
        path: std::path::PathBuf,
    },
    /// Show a message in the status line (e.g. a file that does not exist).
    Error(String),
    Info(String),
}

impl Action {
    /// A command whose outcome only the status line shows ([`Origin::Desk`]).
    pub fn apply(command: Command) -> Action {
        Action::Apply {
            from: Origin::Desk,
            command,
        }
    }
}
