//! Changes as values: what a [`Command`](crate::Command) does to the stored rows, computed
//! by pure code before anything is written (in the spirit of Helix's `Transaction`).
//!
//! [`compute`](crate::transition::compute) reads the rows a command names through [`Rows`]
//! and returns a [`Change`]: the rows to remove, the rows to put, and the audit record's
//! before/after. The store writes a change together with its audit record in one
//! transaction; nothing here touches a disk, so every transition is unit-tested with rows
//! held in memory, and a change can be looked at (a dry run) without being written.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::campaign::{Campaign, Plan, Task};
use crate::command::EvidenceSource;
use crate::notice::NoticeRecord;
use crate::plugin::SectorRecord;
use crate::progress::{Evidence, ProgressEntry};
use crate::record::FormRecord;
use crate::target::{Measurement, Target};
use crate::unit::Unit;

/// The kinds of stored rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    Campaign,
    Plan,
    Task,
    Unit,
    Progress,
    Record,
    Target,
    Measurement,
    Notice,
    Sector,
    Setting,
    /// A unit's submission of a report ([`crate::reports::Submission`]).
    Submission,
    /// A row of the supervision registers ([`crate::supervision::SupRow`]).
    Supervision,
    /// The database's [`Unverified`] condition.
    Unverified,
}

/// A row to write (a new row, or the new state of an existing one).
#[derive(Debug, Clone, PartialEq)]
pub enum Put {
    Campaign(Campaign),
    Plan(Plan),
    Task(Task),
    Unit(Unit),
    Progress(ProgressEntry),
    Record(FormRecord),
    /// A target, with its place in its plan's list.
    Target {
        order: u32,
        target: Target,
    },
    /// A hand-entered value of `target`, under a new id.
    Measurement {
        target: String,
        id: u64,
        value: Measurement,
    },
    /// An issued notice: the store refuses it when its 文号 is taken (never overwritten).
    Notice(NoticeRecord),
    /// The PDF of a newly issued notice.
    NoticeFile {
        year: i32,
        number: u32,
        pdf: Vec<u8>,
    },
    /// An issued notice, now voided (replaces its record).
    VoidedNotice(NoticeRecord),
    Sector(SectorRecord),
    /// A settings row (see [`crate::Settings`] for the keys).
    Setting {
        key: String,
        value: serde_json::Value,
    },
    /// A unit's submission of a report (new, or its new state after 签收 or 退回).
    Submission(crate::reports::Submission),
    /// A row of the supervision registers: its new state.
    Supervision(crate::supervision::SupRow),
    /// A new row of the supervision registers, numbered one after the last of its kind: the
    /// store refuses it when the number was taken meanwhile (never overwritten).
    NewSupervision(crate::supervision::SupRow),
    Unverified(Unverified),
}

/// A row to take out, by key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remove {
    Plan(String),
    Task(String),
    Target(String),
    Unit(String),
    Sector(String),
    /// A progress entry (with its index row).
    Progress {
        task: String,
        id: u64,
    },
    /// A unit's submission of a report.
    Submission(u64),
    /// A supervision row, for good (only demo rows are: a user's are withdrawn or voided).
    Supervision(crate::supervision::SupKind, u64),
    /// A ledger record, for good (only demo records are: a user's are deleted softly).
    Record {
        form: String,
        id: u64,
    },
    Unverified,
}

impl Put {
    pub fn kind(&self) -> RowKind {
        match self {
            Put::Campaign(_) => RowKind::Campaign,
            Put::Plan(_) => RowKind::Plan,
            Put::Task(_) => RowKind::Task,
            Put::Unit(_) => RowKind::Unit,
            Put::Progress(_) => RowKind::Progress,
            Put::Record(_) => RowKind::Record,
            Put::Target { .. } => RowKind::Target,
            Put::Measurement { .. } => RowKind::Measurement,
            Put::Notice(_) | Put::NoticeFile { .. } | Put::VoidedNotice(_) => RowKind::Notice,
            Put::Sector(_) => RowKind::Sector,
            Put::Setting { .. } => RowKind::Setting,
            Put::Submission(_) => RowKind::Submission,
            Put::Supervision(_) | Put::NewSupervision(_) => RowKind::Supervision,
            Put::Unverified(_) => RowKind::Unverified,
        }
    }
}

impl Remove {
    pub fn kind(&self) -> RowKind {
        match self {
            Remove::Plan(_) => RowKind::Plan,
            Remove::Task(_) => RowKind::Task,
            Remove::Target(_) => RowKind::Target,
            Remove::Unit(_) => RowKind::Unit,
            Remove::Sector(_) => RowKind::Sector,
            Remove::Progress { .. } => RowKind::Progress,
            Remove::Submission(_) => RowKind::Submission,
            Remove::Supervision(..) => RowKind::Supervision,
            Remove::Record { .. } => RowKind::Record,
            Remove::Unverified => RowKind::Unverified,
        }
    }
}

/// The audit record of a change, as far as pure code knows it (the store adds its id and
/// time).
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub actor: String,
    /// The command's tag, e.g. "add_progress".
    pub action: String,
    pub summary: String,
    /// What was changed, e.g. "progress:17", "unit:u0004", "campaign:qilin-2020".
    pub target: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Evidence files a change attaches to a progress entry: copied into the data folder by the
/// store before the change is written (and taken back when it is not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attach {
    pub entry: u64,
    pub sources: Vec<EvidenceSource>,
    /// The entry's evidence kept from before (their stored names are taken).
    pub existing: Vec<Evidence>,
    /// The entry is new: when the change is not written, its evidence folder goes too.
    pub new_entry: bool,
}

/// What one command does: applied as one transaction, removes first.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub removes: Vec<Remove>,
    pub puts: Vec<Put>,
    pub audit: AuditEntry,
    /// Files to copy in before writing, if any.
    pub attach: Option<Attach>,
}

impl Change {
    /// A change that copies no files.
    pub fn new(removes: Vec<Remove>, puts: Vec<Put>, audit: AuditEntry) -> Change {
        Change {
            removes,
            puts,
            audit,
            attach: None,
        }
    }

    /// A change of one row.
    pub fn one(put: Put, audit: AuditEntry) -> Change {
        Change::new(Vec::new(), vec![put], audit)
    }

    /// The change with the files of `sources` to copy in as the evidence of the new row
    /// `entry` (a progress entry, a submission); none to copy: unchanged.
    pub fn with_new_evidence(mut self, entry: u64, sources: &[EvidenceSource]) -> Change {
        if !sources.is_empty() {
            self.attach = Some(Attach {
                entry,
                sources: sources.to_vec(),
                existing: Vec::new(),
                new_entry: true,
            });
        }
        self
    }

    /// A change of nothing but its audit record.
    pub fn audit_only(audit: AuditEntry) -> Change {
        Change::new(Vec::new(), Vec::new(), audit)
    }

    /// How many rows of each kind the change puts or removes.
    pub fn touched(&self) -> BTreeMap<RowKind, usize> {
        let mut out = BTreeMap::new();
        for k in self
            .puts
            .iter()
            .map(Put::kind)
            .chain(self.removes.iter().map(Remove::kind))
        {
            *out.entry(k).or_insert(0) += 1;
        }
        out
    }

    /// The one row a single-row change writes (a progress entry, a unit, a record), for the
    /// caller to show.
    pub fn single_put(&self) -> Option<&Put> {
        match self.puts.as_slice() {
            [one] if self.removes.is_empty() => Some(one),
            _ => None,
        }
    }

    /// Takes in the evidence the store copied for [`Change::attach`]: added to the entry
    /// put, and to the audit record's after-state.
    pub fn attach_copied(&mut self, copied: Vec<Evidence>) {
        if copied.is_empty() {
            return;
        }
        for put in &mut self.puts {
            match put {
                Put::Progress(entry) => {
                    entry.evidence.extend(copied.iter().cloned());
                    self.audit.after = serde_json::to_value(&*entry).ok();
                }
                Put::Submission(sub) => {
                    sub.evidence.extend(copied.iter().cloned());
                    self.audit.after = serde_json::to_value(&*sub).ok();
                }
                _ => {}
            }
        }
    }
}

/// What a transition is given besides the command and the rows: who, when, and the id of
/// the row a command creates (allocated by the store).
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub actor: &'a str,
    /// RFC 3339 local time.
    pub now: &'a str,
    /// The id of a new progress entry, record or value ([`crate::Command::needs_new_id`]).
    pub new_id: Option<u64>,
    /// The ids of the records of an import, one per row
    /// ([`crate::Command::new_ids_needed`]); empty otherwise.
    pub new_ids: &'a [u64],
}

/// A command that does not fit the stored state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error("{0}")]
    Invalid(String),
    #[error("找不到{what}“{id}”")]
    NotFound { what: &'static str, id: String },
}

/// The stored rows a transition may read. The store reads them from the database; tests
/// hold them in memory.
pub trait Rows {
    type Error: From<ChangeError>;

    fn campaign_exists(&self, id: &str) -> Result<bool, Self::Error>;
    fn campaign(&self, id: &str) -> Result<Option<Campaign>, Self::Error>;
    fn plan(&self, id: &str) -> Result<Option<Plan>, Self::Error>;
    /// Every task (any order).
    fn tasks(&self) -> Result<Vec<Task>, Self::Error>;
    fn task_exists(&self, id: &str) -> Result<bool, Self::Error>;
    fn task(&self, id: &str) -> Result<Option<Task>, Self::Error>;
    /// Whether the task has at least one progress entry.
    fn task_has_progress(&self, id: &str) -> Result<bool, Self::Error>;
    fn progress_entry(&self, id: u64) -> Result<Option<ProgressEntry>, Self::Error>;
    fn units(&self) -> Result<Vec<Unit>, Self::Error>;
    fn unit(&self, id: &str) -> Result<Option<Unit>, Self::Error>;
    fn record(&self, id: u64) -> Result<Option<FormRecord>, Self::Error>;
    fn target_exists(&self, id: &str) -> Result<bool, Self::Error>;
    fn target(&self, id: &str) -> Result<Option<Target>, Self::Error>;
    /// Ids of the targets of `plan`, in key order.
    fn targets_of_plan(&self, plan: &str) -> Result<Vec<String>, Self::Error>;
    /// Hand-entered values per target id.
    fn measurements(&self) -> Result<HashMap<String, Vec<Measurement>>, Self::Error>;
    fn setting(&self, key: &str) -> Result<Option<serde_json::Value>, Self::Error>;
    /// The next 文号 number of `year` (1 for the first notice of a year).
    fn next_notice_number(&self, year: i32) -> Result<u32, Self::Error>;
    /// The 督办通知书 numbered `number` of `year`.
    fn notice(&self, year: i32, number: u32) -> Result<Option<NoticeRecord>, Self::Error>;
    /// Tasks for which a 督办通知书 was issued.
    fn noticed_tasks(&self) -> Result<HashSet<String>, Self::Error>;
    fn sector_record(&self, sector: &str) -> Result<Option<SectorRecord>, Self::Error>;
    fn unverified(&self) -> Result<Option<Unverified>, Self::Error>;
    /// Units that have an audit record of their own (a user changed them).
    fn units_with_audit(&self) -> Result<HashSet<String>, Self::Error>;
    /// Those of `candidates` named in a ledger record (a text or a choice value).
    fn units_named_in_records(
        &self,
        candidates: &HashSet<&str>,
    ) -> Result<HashSet<String>, Self::Error>;
    /// How many ledger records the forms of `sector` hold (deleted ones included).
    fn sector_record_count(&self, sector: &str) -> Result<usize, Self::Error>;
    /// The submission numbered `id`.
    fn submission(&self, id: u64) -> Result<Option<crate::reports::Submission>, Self::Error>;
    /// Every submission of `report` (any order).
    fn submissions_of_report(
        &self,
        report: &str,
    ) -> Result<Vec<crate::reports::Submission>, Self::Error>;
    /// `unit`'s submissions of the period of `report` starting `period_start` (any order).
    fn submissions_of(
        &self,
        report: &str,
        unit: &str,
        period_start: chrono::NaiveDate,
    ) -> Result<Vec<crate::reports::Submission>, Self::Error>;
    /// The supervision row of `kind` numbered `id`.
    fn sup_row(
        &self,
        kind: crate::supervision::SupKind,
        id: u64,
    ) -> Result<Option<crate::supervision::SupRow>, Self::Error>;
    /// The highest number a supervision row of `kind` has (0: none), read from the keys
    /// alone.
    fn sup_last_id(&self, kind: crate::supervision::SupKind) -> Result<u64, Self::Error>;
    /// Every supervision row of `kind` (any order).
    fn sup_rows(
        &self,
        kind: crate::supervision::SupKind,
    ) -> Result<Vec<crate::supervision::SupRow>, Self::Error>;
}

/// The database opened without proof that it is complete: its state records were missing
/// or unreadable while the data folder was not new (or a backup beside it had got further).
/// Kept in the database, reported by the store's check as a problem and shown by the window,
/// until the user accepts it with [`crate::Command::AcknowledgeUnverified`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unverified {
    /// Why, in Chinese, for the user.
    pub reason: String,
    /// When it was noticed (RFC 3339 local time).
    pub at: String,
    /// The newest audit record the database held when it was noticed.
    pub last_audit: u64,
}

impl Unverified {
    /// The message shown in `check` and the window: what happened and what to do.
    pub fn message(&self) -> String {
        format!(
            "数据库的完整性无法确认（{}，发现于 {}）。请核对任务、进展和台账记录是否齐全，缺少时从备份恢复；核对无误后确认接受，此提示才会消失。",
            self.reason, self.at
        )
    }
}
