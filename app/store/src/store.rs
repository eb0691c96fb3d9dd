use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use anwei_core::{
    Campaign, CampaignData, Command, Evidence, EvidenceSource, FormRecord, Measurement, Plan,
    ProgressEntry, ProgressSummary, SectorPlanImport, SectorRecord, StatusRules, Target, Task,
    Unit, UnitDirectory,
};
use chrono::{Local, NaiveDate};
use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

use crate::error::StoreError;
use crate::keys::{self, scope_prefix, scoped_key};
use crate::migrate;

/// Reads ledger records; see [`Store::record_reader`].
#[derive(Clone)]
pub struct RecordReader {
    records: sled::Tree,
}

impl RecordReader {
    /// Ledger records of one form (`SECTOR/FORM`), deleted ones included, in id order.
    pub fn records(&self, form: &str) -> Result<Vec<FormRecord>, StoreError> {
        self.records
            .scan_prefix(scope_prefix(form))
            .values()
            .map(|v| from_json(&v?))
            .collect()
    }
}

/// Where [`Store::write_scoped`] writes a row.
struct ScopedRow<'a> {
    tree: &'a sled::Tree,
    index: &'a sled::Tree,
    scope: &'a str,
    id: u64,
    /// The audit record's target ("progress:17").
    target: String,
}

/// The open store of one data folder.
pub struct Store {
    root: PathBuf,
    pub(crate) db: sled::Db,
    meta: sled::Tree,
    campaigns: sled::Tree,
    plans: sled::Tree,
    tasks: sled::Tree,
    units: sled::Tree,
    progress: sled::Tree,
    progress_index: sled::Tree,
    audit: sled::Tree,
    settings: sled::Tree,
    notices: sled::Tree,
    targets: sled::Tree,
    sectors: sled::Tree,
    records: sled::Tree,
    record_index: sled::Tree,
    measurements: sled::Tree,
    /// Set once the store opened fully; only then does closing it record its state.
    opened: bool,
    /// What opening the store cleaned up (temporary files of killed writes), for `check`.
    cleaned: Vec<String>,
    _lock: File,
}

/// User settings kept in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub due_soon_days: u32,
    pub user_name: String,
    /// 发文机关 printed on notices; empty = derived from the campaign's region.
    #[serde(default)]
    pub office_name: String,
    /// 机关代字 of notice numbers, e.g. "麒安委办督".
    #[serde(default)]
    pub doc_prefix: String,
    /// 联系人 and phone printed on notices.
    #[serde(default)]
    pub contact: String,
    /// Dates in Chinese numerals (二〇二六年…) rather than Arabic.
    #[serde(default = "yes")]
    pub chinese_date: bool,
    /// Accept unsigned plugin packages (with a visible warning).
    #[serde(default)]
    pub plugin_developer_mode: bool,
    /// The office's root public key (hex) that signs the plugin trust list.
    #[serde(default)]
    pub plugin_root_key: Option<String>,
    /// The office's signed plugin trust list (JSON text).
    #[serde(default)]
    pub plugin_trust_list: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Serialize, Deserialize)]
struct PrintSettings {
    office_name: String,
    doc_prefix: String,
    contact: String,
    chinese_date: bool,
}

/// An issued 督办通知书.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeRecord {
    pub year: i32,
    pub number: u32,
    pub task: String,
    pub recipient: String,
    pub new_deadline: NaiveDate,
    pub issued_at: String,
    pub actor: String,
    #[serde(default)]
    pub file: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            due_soon_days: StatusRules::default().due_soon_days,
            user_name: String::new(),
            office_name: String::new(),
            doc_prefix: "安委办督".to_owned(),
            contact: String::new(),
            chinese_date: true,
            plugin_developer_mode: false,
            plugin_root_key: None,
            plugin_trust_list: None,
        }
    }
}

impl Settings {
    /// The 发文机关 printed on documents of `campaign`: the setting, or, when it is empty,
    /// "{region}安全生产委员会办公室".
    pub fn issuing_office(&self, campaign: &Campaign) -> String {
        let set = self.office_name.trim();
        if set.is_empty() {
            Self::default_office(campaign)
        } else {
            set.to_owned()
        }
    }

    /// The office name used when none is set.
    pub fn default_office(campaign: &Campaign) -> String {
        format!("{}安全生产委员会办公室", campaign.region)
    }

    pub fn rules(&self) -> StatusRules {
        StatusRules {
            due_soon_days: self.due_soon_days,
        }
    }
}

/// One audit-trail record: who changed what, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: u64,
    /// RFC 3339 local time.
    pub at: String,
    pub actor: String,
    /// The command's tag, e.g. "add_progress".
    pub action: String,
    pub summary: String,
    /// What was changed, e.g. "progress:17", "unit:u0004", "campaign:qilin-2020".
    pub target: String,
    #[serde(default)]
    pub before: Option<serde_json::Value>,
    #[serde(default)]
    pub after: Option<serde_json::Value>,
}

/// What [`Store::apply`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub audit_id: u64,
    pub summary: String,
    /// The progress entry created or edited, if any.
    pub entry: Option<ProgressEntry>,
    /// The unit created or changed, if any.
    pub unit: Option<Unit>,
    /// The ledger record created or changed, if any.
    pub record: Option<FormRecord>,
}

impl Applied {
    /// A change that touched no progress entry, unit or record: its audit record and summary.
    fn audited(audit_id: u64, summary: String) -> Applied {
        Applied {
            audit_id,
            summary,
            entry: None,
            unit: None,
            record: None,
        }
    }
}

/// What importing a campaign did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported {
        plans: usize,
        tasks: usize,
        units: usize,
    },
    AlreadyPresent,
}

/// Result of [`Store::check`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub schema_version: u32,
    pub counts: BTreeMap<String, usize>,
    pub problems: Vec<String>,
    /// What is worth knowing but needs nothing done: temporary files of killed writes that
    /// opening the store removed, evidence folders that belong to no progress entry.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Raw contents of every tree, for backups and equality checks.
pub type TreeDump = BTreeMap<String, Vec<(Vec<u8>, Vec<u8>)>>;

type TxResult<T> = Result<T, ConflictableTransactionError<StoreError>>;

fn tx_err(e: TransactionError<StoreError>) -> StoreError {
    match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => StoreError::Db(e),
    }
}

fn now_rfc3339() -> String {
    Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

fn to_json<T: Serialize>(v: &T) -> Result<Vec<u8>, StoreError> {
    Ok(serde_json::to_vec(v)?)
}

fn from_json<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, StoreError> {
    Ok(serde_json::from_slice(bytes)?)
}

pub(crate) fn db_dir(root: &Path) -> PathBuf {
    root.join("db")
}

pub(crate) fn evidence_dir(root: &Path) -> PathBuf {
    root.join("evidence")
}

/// Takes the data folder's lock file; fails with [`StoreError::Locked`] when another store
/// (in this or another process) holds it.
pub(crate) fn lock_root(root: &Path) -> Result<File, StoreError> {
    // A regular file (or a path through one) is not a data folder: say so, rather than
    // "File exists" from `create_dir_all`.
    if root.exists() && !root.is_dir() {
        return Err(StoreError::NotAFolder(root.to_path_buf()));
    }
    fs::create_dir_all(root).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotADirectory | std::io::ErrorKind::AlreadyExists => {
            StoreError::NotAFolder(root.to_path_buf())
        }
        _ => StoreError::io(root, e),
    })?;
    let path = root.join("anwei.lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| StoreError::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(StoreError::Locked(root.to_path_buf())),
        Err(fs::TryLockError::Error(e)) => Err(StoreError::io(&path, e)),
    }
}

/// Opens sled at `dir`, turning errors and panics of a damaged database into
/// [`StoreError::Damaged`].
pub(crate) fn open_sled(dir: &Path) -> Result<sled::Db, StoreError> {
    let config = sled::Config::new().path(dir);
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || config.open())) {
        Ok(Ok(db)) => Ok(db),
        Ok(Err(sled::Error::Io(e))) if e.kind() == std::io::ErrorKind::WouldBlock => {
            Err(StoreError::Locked(dir.to_path_buf()))
        }
        Ok(Err(e)) => Err(StoreError::Damaged {
            detail: e.to_string(),
        }),
        Err(panic) => Err(StoreError::Damaged {
            detail: panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "sled 打开时异常退出".to_owned()),
        }),
    }
}

/// A small file beside the database recording how far the database had got when it was last
/// opened, closed or backed up. sled 0.34 recovers a damaged log by silently cutting it at the
/// first bad spot (garbage over `db/db` opens as an empty database); this file is how such a
/// loss is noticed instead of the desk starting over empty.
pub(crate) const STATE_FILE: &str = "anwei.state";

/// Prefix of every temporary file the store writes and then renames into place (evidence
/// copies, backups, state records). Such a file left in the data folder is what remains of
/// a write that was killed; the next [`Store::open`] removes it (it holds the folder's lock,
/// so no other writer exists).
pub(crate) const TEMP_PREFIX: &str = ".anwei-tmp-";

/// A new temporary file in `dir`, named with [`TEMP_PREFIX`].
pub(crate) fn temp_file_in(dir: &Path) -> Result<tempfile::NamedTempFile, StoreError> {
    tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
        .map_err(|e| StoreError::io(dir, e))
}

/// Whether `name` is a temporary file of the store: [`TEMP_PREFIX`], or (with `legacy`) the
/// `.tmpXXXXXX` names that versions before it used.
fn is_temp_name(name: &str, legacy: bool) -> bool {
    name.starts_with(TEMP_PREFIX)
        || (legacy
            && name.len() == 10
            && name.starts_with(".tmp")
            && name[4..].bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct DiskState {
    /// Id of the newest audit record (audit records are never removed).
    last_audit: u64,
}

/// The two state records: `anwei.state` in the data folder and its copy in `db/`. Each
/// witnesses the other: deleting (or damaging) one still leaves the database checked.
fn state_paths(root: &Path) -> [PathBuf; 2] {
    [root.join(STATE_FILE), db_dir(root).join(STATE_FILE)]
}

fn read_one_state(path: &Path) -> Option<DiskState> {
    let bytes = fs::read(path).ok()?;
    match serde_json::from_slice(&bytes) {
        Ok(state) => Some(state),
        Err(e) => {
            tracing::warn!("ignoring unreadable {}: {e}", path.display());
            None
        }
    }
}

/// The furthest mark of the readable state records, if any is readable.
fn read_state(root: &Path) -> Option<DiskState> {
    state_paths(root)
        .iter()
        .filter_map(|p| read_one_state(p))
        .max_by_key(|s| s.last_audit)
}

/// Writes `bytes` to `path` atomically (temporary file in the same folder, synced, renamed).
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = temp_file_in(dir)?;
    std::io::Write::write_all(tmp.as_file_mut(), bytes).map_err(|e| StoreError::io(path, e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| StoreError::io(path, e))?;
    tmp.persist(path)
        .map_err(|e| StoreError::io(path, e.error))?;
    Ok(())
}

/// Records `last_audit` in both state records (the copy only when `db/` exists), atomically.
pub(crate) fn write_state(root: &Path, last_audit: u64) -> Result<(), StoreError> {
    let bytes = to_json(&DiskState { last_audit })?;
    for path in state_paths(root) {
        if path.parent().is_some_and(Path::is_dir) {
            write_atomic(&path, &bytes)?;
        }
    }
    Ok(())
}

/// Key in the `meta` tree of the [`Unverified`] condition.
const UNVERIFIED_KEY: &[u8] = b"unverified";

/// The database opened without proof that it is complete: its state records were missing
/// or unreadable while the data folder was not new (or a backup beside it had got further).
/// Kept in the database, reported by [`Store::check`] as a problem and shown by the window,
/// until the user accepts it with [`Command::AcknowledgeUnverified`].
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

/// Id of the newest audit record of `db` (0 when there is none), without creating trees.
fn last_audit_id(db: &sled::Db) -> Result<u64, StoreError> {
    if !db.tree_names().iter().any(|n| n == keys::AUDIT.as_bytes()) {
        return Ok(0);
    }
    Ok(db
        .open_tree(keys::AUDIT)?
        .last()?
        .and_then(|(k, _)| <[u8; 8]>::try_from(k.as_ref()).ok())
        .map_or(0, u64::from_be_bytes))
}

/// Opens the database of data folder `root` (whose lock the caller holds). When the folder's
/// state records say the database held data, a database that now lacks its version record or
/// audit records is reported as [`StoreError::Damaged`] rather than opened as (partly) empty.
/// When no state record can be read but the folder is not new, the database opens and the
/// second value says why it cannot be verified (see [`Unverified`]).
pub(crate) fn open_db(root: &Path) -> Result<(sled::Db, Option<String>), StoreError> {
    let state = read_state(root);
    let dir = db_dir(root);
    let existed = dir.join("conf").exists() || dir.join("db").exists();
    let Some(state) = state else {
        if existed {
            let db = open_sled(&dir)?;
            let reason = unverified_reason(root, Some(&db))?;
            return Ok((db, reason));
        }
        let reason = unverified_reason(root, None)?;
        if reason.is_none() {
            // A new data folder: say so before sled creates anything, so that a process
            // killed while creating the database leaves a folder that opens as new, not one
            // that looks like a database that lost its state records.
            write_state(root, 0)?;
        }
        return Ok((open_sled(&dir)?, reason));
    };
    let db = open_sled(&dir)?;
    // A mark of 0 was recorded before any change: nothing acknowledged can be missing.
    if state.last_audit > 0 {
        let damaged = |detail: String| StoreError::Damaged { detail };
        let has_meta = db.tree_names().iter().any(|n| n == keys::META.as_bytes());
        let has_version = has_meta
            && db
                .open_tree(keys::META)
                .and_then(|m| m.contains_key(keys::SCHEMA_VERSION_KEY))
                .map_err(|e| damaged(e.to_string()))?;
        if !has_version {
            return Err(damaged("数据库内容丢失，找不到版本记录".to_owned()));
        }
        let last = last_audit_id(&db).map_err(|e| damaged(e.to_string()))?;
        if last < state.last_audit {
            return Err(damaged(format!(
                "数据库缺少记录：最新的审计记录是 #{last}，此前已记到 #{}",
                state.last_audit
            )));
        }
    }
    Ok((db, None))
}

/// Why a database opened without any readable state record cannot be verified (`db`: the
/// database that was there; `None` when there was none); `None` for a new data folder (no
/// database before, no backup that got further, no evidence files) and for a v1/v2 database
/// of a version that kept no state record.
fn unverified_reason(root: &Path, db: Option<&sled::Db>) -> Result<Option<String>, StoreError> {
    let damaged = |e: StoreError| StoreError::Damaged {
        detail: e.to_string(),
    };
    let existed = db.is_some();
    let (version, last) = match db {
        Some(db) => {
            let version = if db.tree_names().iter().any(|n| n == keys::META.as_bytes()) {
                migrate::read_version(&db.open_tree(keys::META)?)?
            } else {
                None
            };
            (version, last_audit_id(db).map_err(damaged)?)
        }
        None => (None, 0),
    };
    let mut reasons = Vec::new();
    // State records came with schema v2; a v1 database (or an early v2 one) has none.
    let legacy = version.is_some_and(|v| v < 3);
    if existed && !legacy {
        reasons.push(format!(
            "数据目录中的状态记录 {STATE_FILE} 缺失或无法读取，数据库现有最新审计记录为 #{last}"
        ));
    }
    if let Some((path, mark)) = crate::backup::furthest_backup(root)
        && mark > last
    {
        reasons.push(format!(
            "备份 {} 已记到审计记录 #{mark}，数据库只到 #{last}",
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
    }
    if !existed && reasons.is_empty() && has_evidence_files(root) {
        reasons.push("附件目录 evidence 中已有文件，但数据库是新建的".to_owned());
    }
    Ok((!reasons.is_empty()).then(|| reasons.join("；")))
}

/// Whether `evidence/` holds any file.
fn has_evidence_files(root: &Path) -> bool {
    let Ok(read) = fs::read_dir(evidence_dir(root)) else {
        return false;
    };
    read.filter_map(Result::ok).any(|e| {
        let p = e.path();
        p.is_file()
            || fs::read_dir(&p)
                .map(|mut r| r.next().is_some())
                .unwrap_or(false)
    })
}

impl Drop for Store {
    fn drop(&mut self) {
        if !self.opened {
            return;
        }
        if let Err(e) = self.record_state() {
            tracing::warn!("could not record the database state on close: {e}");
        }
    }
}

impl Store {
    /// Opens (creating if needed) the store in data folder `root`, migrating it forward.
    pub fn open(root: &Path) -> Result<Store, StoreError> {
        let lock = lock_root(root)?;
        let (db, unverified) = open_db(root)?;
        let open = |name: &str| db.open_tree(name);
        let damaged = |e: sled::Error| StoreError::Damaged {
            detail: e.to_string(),
        };
        let mut store = Store {
            root: root.to_path_buf(),
            meta: open(keys::META).map_err(damaged)?,
            campaigns: open(keys::CAMPAIGNS).map_err(damaged)?,
            plans: open(keys::PLANS).map_err(damaged)?,
            tasks: open(keys::TASKS).map_err(damaged)?,
            units: open(keys::UNITS).map_err(damaged)?,
            progress: open(keys::PROGRESS).map_err(damaged)?,
            progress_index: open(keys::PROGRESS_INDEX).map_err(damaged)?,
            audit: open(keys::AUDIT).map_err(damaged)?,
            settings: open(keys::SETTINGS).map_err(damaged)?,
            notices: open(keys::NOTICES).map_err(damaged)?,
            targets: open(keys::TARGETS).map_err(damaged)?,
            sectors: open(keys::SECTORS).map_err(damaged)?,
            records: open(keys::RECORDS).map_err(damaged)?,
            record_index: open(keys::RECORD_INDEX).map_err(damaged)?,
            measurements: open(keys::MEASUREMENTS).map_err(damaged)?,
            db,
            opened: false,
            cleaned: Vec::new(),
            _lock: lock,
        };
        migrate::migrate(&store.db, &store.meta)?;
        // Prove the data reads back; a database sled opens but cannot read is damaged.
        store.check_readable()?;
        if let Some(reason) = unverified {
            store.record_unverified(reason)?;
        }
        if let Err(e) = store.clean_temp_files() {
            tracing::warn!("could not clean temporary files: {e}");
            store
                .cleaned
                .push(format!("未能清理中断的写入留下的临时文件：{e}"));
        }
        store.record_state()?;
        store.opened = true;
        Ok(store)
    }

    fn check_readable(&self) -> Result<(), StoreError> {
        for tree in [&self.campaigns, &self.units, &self.settings] {
            for item in tree.iter() {
                let (_, v) = item.map_err(|e| StoreError::Damaged {
                    detail: e.to_string(),
                })?;
                serde_json::from_slice::<serde_json::Value>(&v).map_err(|e| {
                    StoreError::Damaged {
                        detail: format!("记录无法解析：{e}"),
                    }
                })?;
            }
        }
        Ok(())
    }

    /// Flushes and records how far the database has got in the state records.
    pub(crate) fn record_state(&self) -> Result<(), StoreError> {
        self.flush()?;
        write_state(&self.root, last_audit_id(&self.db)?)
    }

    /// The database's [`Unverified`] condition, while the user has not accepted it.
    pub fn unverified(&self) -> Result<Option<Unverified>, StoreError> {
        self.meta
            .get(UNVERIFIED_KEY)?
            .map(|v| from_json(&v))
            .transpose()
    }

    /// Accepts the [`Unverified`] condition (audited; see [`Command::AcknowledgeUnverified`]).
    pub fn acknowledge_unverified(&self, actor: &str) -> Result<Applied, StoreError> {
        self.apply(&Command::AcknowledgeUnverified, actor)
    }

    /// Keeps `reason` as the database's [`Unverified`] condition (added to one not yet
    /// accepted), with an audit record.
    fn record_unverified(&self, reason: String) -> Result<(), StoreError> {
        let before = self.unverified()?;
        let reason = match &before {
            Some(b) if b.reason != reason => format!("{}；{reason}", b.reason),
            _ => reason,
        };
        let after = Unverified {
            reason,
            at: now_rfc3339(),
            last_audit: last_audit_id(&self.db)?,
        };
        tracing::warn!("database opened unverified: {}", after.reason);
        let audit = self.audit_record(
            SYSTEM_ACTOR,
            "open_unverified",
            format!("打开时无法确认数据库完整：{}", after.reason),
            "database".to_owned(),
            before.as_ref().map(serde_json::to_value).transpose()?,
            Some(serde_json::to_value(&after)?),
        )?;
        self.write_audited(&self.meta, UNVERIFIED_KEY, &to_json(&after)?, &audit, None)?;
        self.flush()
    }

    /// Removes what killed writes left: files named with [`TEMP_PREFIX`] in the data folder,
    /// `db/`, `backups/` and `evidence/` (and, in `backups/` and `evidence/`, which only the
    /// store writes, the `.tmpXXXXXX` names of earlier versions that no entry refers to).
    /// What was removed is kept for [`Store::check`] and written to the audit trail. A file
    /// that cannot be removed is reported, not fatal.
    fn clean_temp_files(&mut self) -> Result<(), StoreError> {
        let referenced: std::collections::HashSet<String> = self
            .all_progress()?
            .into_iter()
            .flat_map(|e| e.evidence.into_iter().map(|ev| ev.stored))
            .collect();
        let root = self.root.clone();
        let mut removed: Vec<(String, u64)> = Vec::new();
        let mut failed: Vec<String> = Vec::new();
        // `shown`: the folder as the report names it; `refer`: as evidence records name it.
        let mut sweep = |dir: &Path, legacy: bool, shown: &str, refer: &str| -> bool {
            let Ok(read) = fs::read_dir(dir) else {
                return false;
            };
            let mut any = false;
            for entry in read.filter_map(Result::ok) {
                let name = entry.file_name().to_string_lossy().into_owned();
                let is_file = entry.file_type().is_ok_and(|t| t.is_file());
                if !is_file || !is_temp_name(&name, legacy) {
                    continue;
                }
                if !name.starts_with(TEMP_PREFIX) && referenced.contains(&format!("{refer}{name}"))
                {
                    continue;
                }
                let rel = format!("{shown}{name}");
                let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                match fs::remove_file(entry.path()) {
                    Ok(()) => {
                        removed.push((rel, size));
                        any = true;
                    }
                    Err(e) => failed.push(format!("{}：{e}", entry.path().display())),
                }
            }
            any
        };
        sweep(&root, false, "", "");
        sweep(&db_dir(&root), false, "db/", "");
        sweep(&root.join("backups"), true, "backups/", "");
        let evidence = evidence_dir(&root);
        sweep(&evidence, true, "evidence/", "");
        if let Ok(read) = fs::read_dir(&evidence) {
            for entry in read.filter_map(Result::ok) {
                let path = entry.path();
                if !path.is_dir() {
                    continue;
                }
                let name = entry.file_name().to_string_lossy().into_owned();
                if sweep(
                    &path,
                    true,
                    &format!("evidence/{name}/"),
                    &format!("{name}/"),
                ) {
                    // A folder that held nothing but the remains of a killed copy goes too.
                    let _ = fs::remove_dir(&path);
                }
            }
        }
        for f in failed {
            tracing::warn!("could not remove a temporary file: {f}");
            self.cleaned
                .push(format!("中断的写入留下的临时文件无法删除：{f}"));
        }
        if removed.is_empty() {
            return Ok(());
        }
        let bytes: u64 = removed.iter().map(|(_, n)| n).sum();
        let names: Vec<&str> = removed.iter().map(|(n, _)| n.as_str()).collect();
        let summary = format!(
            "清除中断的写入留下的临时文件 {} 个，共 {}：{}",
            removed.len(),
            human_size(bytes),
            names.join("、")
        );
        tracing::info!("{summary}");
        let audit = self.audit_record(
            SYSTEM_ACTOR,
            "clean_temp_files",
            summary.clone(),
            "data_folder".to_owned(),
            None,
            Some(serde_json::json!({ "files": names, "bytes": bytes })),
        )?;
        self.audit
            .insert(audit.id.to_be_bytes(), to_json(&audit)?)?;
        self.flush()?;
        self.cleaned.push(summary);
        Ok(())
    }

    /// Whether the wave-1 root-of-trust files in `plugins/` are still to be moved into the
    /// settings (a database that came up from schema v3 or older, once).
    pub fn legacy_trust_pending(&self) -> Result<bool, StoreError> {
        Ok(self.meta.contains_key(migrate::LEGACY_TRUST_KEY)?)
    }

    /// Records that the wave-1 root-of-trust files were dealt with: they are never read again.
    pub fn legacy_trust_done(&self) -> Result<(), StoreError> {
        self.meta.remove(migrate::LEGACY_TRUST_KEY)?;
        self.flush()
    }

    /// Marks the database as one whose wave-1 root-of-trust files are still to be moved (what
    /// the v3 → v4 migration does); for tests of that move.
    #[doc(hidden)]
    pub fn mark_legacy_trust_pending(&self) -> Result<(), StoreError> {
        self.meta
            .insert(migrate::LEGACY_TRUST_KEY, b"1".as_slice())?;
        self.flush()
    }

    /// The data folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn schema_version(&self) -> Result<u32, StoreError> {
        migrate::read_version(&self.meta).map(|v| v.unwrap_or(migrate::SCHEMA_VERSION))
    }

    /// Writes everything to disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }

    fn next_id(&self) -> Result<u64, StoreError> {
        Ok(self.db.generate_id()? + 1)
    }

    // ----- reading -------------------------------------------------------------------

    fn read_all<T: for<'de> Deserialize<'de>>(tree: &sled::Tree) -> Result<Vec<T>, StoreError> {
        tree.iter().values().map(|v| from_json(&v?)).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.campaigns.is_empty()
    }

    pub fn campaigns(&self) -> Result<Vec<Campaign>, StoreError> {
        Self::read_all(&self.campaigns)
    }

    /// Plans in campaign order.
    pub fn plans(&self) -> Result<Vec<Plan>, StoreError> {
        let mut plans: Vec<Plan> = Self::read_all(&self.plans)?;
        plans.sort_by_key(|p| p.order);
        Ok(plans)
    }

    /// Tasks in plan order, then task order.
    pub fn tasks(&self) -> Result<Vec<Task>, StoreError> {
        let plan_order: HashMap<String, u32> =
            self.plans()?.into_iter().map(|p| (p.id, p.order)).collect();
        let mut tasks: Vec<Task> = Self::read_all(&self.tasks)?;
        tasks.sort_by_key(|t| {
            (
                plan_order.get(&t.plan).copied().unwrap_or(u32::MAX),
                t.order,
            )
        });
        Ok(tasks)
    }

    pub fn task(&self, id: &str) -> Result<Option<Task>, StoreError> {
        self.tasks.get(id)?.map(|v| from_json(&v)).transpose()
    }

    /// Targets, in plan order then as the plan lists them.
    pub fn targets(&self) -> Result<Vec<Target>, StoreError> {
        let mut targets: Vec<(u32, Target)> = self
            .targets
            .iter()
            .values()
            .map(|v| from_json::<(u32, Target)>(&v?))
            .collect::<Result<_, _>>()?;
        let plan_order: HashMap<String, u32> =
            self.plans()?.into_iter().map(|p| (p.id, p.order)).collect();
        targets.sort_by_key(|(i, t)| (plan_order.get(&t.plan).copied().unwrap_or(u32::MAX), *i));
        let mut measured = self.all_measurements()?;
        Ok(targets
            .into_iter()
            .map(|(_, mut t)| {
                if let Some(m) = measured.remove(&t.id) {
                    t.measurements = m;
                }
                t
            })
            .collect())
    }

    /// Hand-entered values per target id, oldest first.
    pub fn all_measurements(&self) -> Result<HashMap<String, Vec<Measurement>>, StoreError> {
        let mut out: HashMap<String, Vec<Measurement>> = HashMap::new();
        for kv in self.measurements.iter() {
            let (k, v) = kv?;
            let target = k
                .split(|b| *b == 0)
                .next()
                .map(|t| String::from_utf8_lossy(t).into_owned())
                .unwrap_or_default();
            out.entry(target).or_default().push(from_json(&v)?);
        }
        for list in out.values_mut() {
            list.sort_by_key(|m| m.date);
        }
        Ok(out)
    }

    /// Ledger records of one form (`SECTOR/FORM`), deleted ones included, in id order.
    pub fn records(&self, form: &str) -> Result<Vec<FormRecord>, StoreError> {
        self.record_reader().records(form)
    }

    /// A read-only handle on the ledger records that a worker thread can hold (reading a
    /// large register off the UI thread).
    pub fn record_reader(&self) -> RecordReader {
        RecordReader {
            records: self.records.clone(),
        }
    }

    pub fn record(&self, id: u64) -> Result<Option<FormRecord>, StoreError> {
        let Some(form) = self.record_index.get(id.to_be_bytes())? else {
            return Ok(None);
        };
        let form = String::from_utf8_lossy(&form).into_owned();
        self.records
            .get(scoped_key(&form, id))?
            .map(|v| from_json(&v))
            .transpose()
    }

    /// How many records each form has (deleted ones included).
    pub fn record_counts(&self) -> Result<BTreeMap<String, usize>, StoreError> {
        let mut out = BTreeMap::new();
        for kv in self.record_index.iter() {
            let (_, form) = kv?;
            *out.entry(String::from_utf8_lossy(&form).into_owned())
                .or_insert(0) += 1;
        }
        Ok(out)
    }

    /// Which plugin version each imported sector plan came from.
    pub fn sector_records(&self) -> Result<Vec<SectorRecord>, StoreError> {
        Self::read_all(&self.sectors)
    }

    pub fn sector_record(&self, sector: &str) -> Result<Option<SectorRecord>, StoreError> {
        self.sectors
            .get(sector.as_bytes())?
            .map(|v| from_json(&v))
            .transpose()
    }

    pub fn units(&self) -> Result<Vec<Unit>, StoreError> {
        Self::read_all(&self.units)
    }

    pub fn unit_directory(&self) -> Result<UnitDirectory, StoreError> {
        UnitDirectory::new(self.units()?).map_err(|e| StoreError::Invalid(e.to_string()))
    }

    pub fn settings(&self) -> Result<Settings, StoreError> {
        let mut s = Settings::default();
        if let Some(v) = self.settings.get("due_soon_days")? {
            s.due_soon_days = from_json(&v)?;
        }
        if let Some(v) = self.settings.get("user_name")? {
            s.user_name = from_json(&v)?;
        }
        if let Some(v) = self.settings.get("plugin_developer_mode")? {
            s.plugin_developer_mode = from_json(&v)?;
        }
        if let Some(v) = self.settings.get("plugin_root_key")? {
            s.plugin_root_key = from_json(&v)?;
        }
        if let Some(v) = self.settings.get("plugin_trust_list")? {
            s.plugin_trust_list = from_json(&v)?;
        }
        if let Some(v) = self.settings.get("print")? {
            let p: PrintSettings = from_json(&v)?;
            s.office_name = p.office_name;
            s.doc_prefix = p.doc_prefix;
            s.contact = p.contact;
            s.chinese_date = p.chinese_date;
        }
        Ok(s)
    }

    /// Progress entries of one task, oldest first (by date, then creation).
    pub fn progress_of(&self, task: &str) -> Result<Vec<ProgressEntry>, StoreError> {
        let mut entries: Vec<ProgressEntry> = self
            .progress
            .scan_prefix(scope_prefix(task))
            .values()
            .map(|v| from_json(&v?))
            .collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| (e.date, e.id));
        Ok(entries)
    }

    pub fn progress_entry(&self, id: u64) -> Result<Option<ProgressEntry>, StoreError> {
        let Some(task) = self.progress_index.get(id.to_be_bytes())? else {
            return Ok(None);
        };
        let task = String::from_utf8_lossy(&task).into_owned();
        self.progress
            .get(scoped_key(&task, id))?
            .map(|v| from_json(&v))
            .transpose()
    }

    /// Every progress entry, grouped by task in key order.
    pub fn all_progress(&self) -> Result<Vec<ProgressEntry>, StoreError> {
        Self::read_all(&self.progress)
    }

    /// Progress summary per task id.
    pub fn progress_summaries(&self) -> Result<HashMap<String, ProgressSummary>, StoreError> {
        let mut by_task: HashMap<String, Vec<ProgressEntry>> = HashMap::new();
        for e in self.all_progress()? {
            by_task.entry(e.task.clone()).or_default().push(e);
        }
        Ok(by_task
            .into_iter()
            .map(|(task, entries)| (task, ProgressSummary::of(&entries)))
            .collect())
    }

    /// Audit records, newest first; only those whose target is `target` when given.
    pub fn audit(
        &self,
        target: Option<&str>,
        limit: usize,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let mut out = Vec::new();
        for kv in self.audit.iter().rev() {
            let (_, v) = kv?;
            let rec: AuditRecord = from_json(&v)?;
            if target.is_none_or(|t| rec.target == t) {
                out.push(rec);
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// Raw contents of every tree.
    pub fn dump(&self) -> Result<TreeDump, StoreError> {
        crate::backup::dump_db(&self.db)
    }

    /// Consistency check: counts per tree and any dangling references.
    pub fn check(&self) -> Result<CheckReport, StoreError> {
        let mut report = CheckReport {
            schema_version: self.schema_version()?,
            ..Default::default()
        };
        for name in keys::ALL_TREES {
            report
                .counts
                .insert(name.to_owned(), self.db.open_tree(name)?.len());
        }
        let units = self.units()?;
        if let Err(e) = UnitDirectory::new(units.clone()) {
            report.problems.push(format!("单位目录：{e}"));
        }
        let unit_ids: std::collections::HashSet<&str> =
            units.iter().map(|u| u.id.as_str()).collect();
        let plans: std::collections::HashSet<String> =
            self.plans()?.into_iter().map(|p| p.id).collect();
        let tasks = self.tasks()?;
        for t in &tasks {
            if !plans.contains(&t.plan) {
                report
                    .problems
                    .push(format!("任务 {} 所属方案 {} 不存在", t.id, t.plan));
            }
            for r in &t.roles {
                if !unit_ids.contains(r.unit.as_str()) {
                    report
                        .problems
                        .push(format!("任务 {} 引用的单位 {} 不存在", t.id, r.unit));
                }
            }
        }
        let evidence_root = evidence_dir(&self.root);
        for e in self.all_progress()? {
            match self.progress_index.get(e.id.to_be_bytes())? {
                Some(t) if t.as_ref() == e.task.as_bytes() => {}
                _ => report.problems.push(format!("进展 #{} 缺少索引", e.id)),
            }
            for ev in &e.evidence {
                if !evidence_root.join(&ev.stored).is_file() {
                    report
                        .problems
                        .push(format!("进展 #{} 的附件 {} 缺失", e.id, ev.name));
                }
            }
        }
        if report.counts.get(keys::PROGRESS) != report.counts.get(keys::PROGRESS_INDEX) {
            report.problems.push("进展与索引数量不一致".to_owned());
        }
        if let Some(u) = self.unverified()? {
            report.problems.push(u.message());
        }
        report.notes.extend(self.cleaned.iter().cloned());
        if let Ok(read) = fs::read_dir(&self.root) {
            let mut staging: Vec<String> = read
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("restore-") && n.ends_with(".tmp"))
                .collect();
            staging.sort();
            for name in staging {
                report.notes.push(format!(
                    "数据目录中有中断的恢复留下的文件夹 {name}（其中可能有恢复前的数据），未删除；确认不需要后可自行删除"
                ));
            }
        }
        if let Ok(read) = fs::read_dir(&evidence_root) {
            let mut orphans: Vec<u64> = read
                .filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u64>().ok()))
                .filter(|id| {
                    self.progress_index
                        .get(id.to_be_bytes())
                        .is_ok_and(|v| v.is_none())
                })
                .collect();
            orphans.sort_unstable();
            for id in orphans {
                report.notes.push(format!(
                    "附件文件夹 evidence/{id} 不属于任何进展记录（可能是中断的保存留下的），未删除"
                ));
            }
        }
        Ok(report)
    }

    // ----- writing -------------------------------------------------------------------

    fn audit_record(
        &self,
        actor: &str,
        action: &str,
        summary: String,
        target: String,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<AuditRecord, StoreError> {
        Ok(AuditRecord {
            id: self.next_id()?,
            at: now_rfc3339(),
            actor: actor.to_owned(),
            action: action.to_owned(),
            summary,
            target,
            before,
            after,
        })
    }

    /// Imports campaign content (plans, tasks, units) in one transaction. Idempotent: a
    /// campaign that is already present is left as it is.
    pub fn import_campaign(
        &self,
        data: &CampaignData,
        actor: &str,
    ) -> Result<ImportOutcome, StoreError> {
        if self.campaigns.contains_key(&data.campaign.id)? {
            return Ok(ImportOutcome::AlreadyPresent);
        }
        let existing = self.unit_directory()?;
        // Units already in the directory (by name or alias) keep their ids.
        let mut unit_rows = Vec::new();
        let mut remap: HashMap<String, String> = HashMap::new();
        let mut merged = existing.clone();
        for u in &data.units {
            match existing.resolve(&u.name).or_else(|| existing.get(&u.id)) {
                Some(found) => {
                    remap.insert(u.id.clone(), found.id.clone());
                }
                None => {
                    let new_id = merged.resolve_or_add(&u.name, u.kind);
                    let mut unit = u.clone();
                    unit.id = new_id.clone();
                    remap.insert(u.id.clone(), new_id);
                    unit_rows.push(unit);
                }
            }
        }
        let tasks: Vec<Task> = data
            .tasks
            .iter()
            .map(|t| {
                let mut t = t.clone();
                for r in &mut t.roles {
                    if let Some(id) = remap.get(&r.unit) {
                        r.unit.clone_from(id);
                    }
                }
                t
            })
            .collect();
        let campaign_json = to_json(&data.campaign)?;
        let plan_rows = data
            .plans
            .iter()
            .map(|p| Ok((p.id.clone(), to_json(p)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let task_rows = tasks
            .iter()
            .map(|t| Ok((t.id.clone(), to_json(t)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let unit_json = unit_rows
            .iter()
            .map(|u| Ok((u.id.clone(), to_json(u)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let record = self.audit_record(
            actor,
            "import_campaign",
            format!(
                "导入活动“{}”：{} 个方案、{} 项任务、{} 个新单位",
                data.campaign.name,
                plan_rows.len(),
                task_rows.len(),
                unit_json.len()
            ),
            format!("campaign:{}", data.campaign.id),
            None,
            Some(serde_json::json!({
                "plans": data.plans.iter().map(|p| &p.id).collect::<Vec<_>>(),
                "tasks": task_rows.len(),
                "units": unit_json.len(),
            })),
        )?;
        let audit_json = to_json(&record)?;
        (
            &self.campaigns,
            &self.plans,
            &self.tasks,
            &self.units,
            &self.audit,
        )
            .transaction(|(c, p, t, u, a)| -> TxResult<()> {
                c.insert(data.campaign.id.as_bytes(), campaign_json.as_slice())?;
                for (id, v) in &plan_rows {
                    p.insert(id.as_bytes(), v.as_slice())?;
                }
                for (id, v) in &task_rows {
                    t.insert(id.as_bytes(), v.as_slice())?;
                }
                for (id, v) in &unit_json {
                    u.insert(id.as_bytes(), v.as_slice())?;
                }
                a.insert(&record.id.to_be_bytes(), audit_json.as_slice())?;
                Ok(())
            })
            .map_err(tx_err)?;
        self.flush()?;
        Ok(ImportOutcome::Imported {
            plans: plan_rows.len(),
            tasks: task_rows.len(),
            units: unit_json.len(),
        })
    }

    /// Applies one command and flushes: when this returns `Ok`, the change is on disk.
    pub fn apply(&self, cmd: &Command, actor: &str) -> Result<Applied, StoreError> {
        let applied = self.apply_unflushed(cmd, actor)?;
        self.flush()?;
        Ok(applied)
    }

    /// Applies several commands, each in its own transaction, and flushes once at the end.
    /// Stops at the first failure; the commands before it are applied and flushed.
    pub fn apply_many(&self, cmds: &[Command], actor: &str) -> Result<Vec<Applied>, StoreError> {
        let mut out = Vec::with_capacity(cmds.len());
        let mut result = Ok(());
        for cmd in cmds {
            match self.apply_unflushed(cmd, actor) {
                Ok(a) => out.push(a),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        self.flush()?;
        result.map(|()| out)
    }

    fn apply_unflushed(&self, cmd: &Command, actor: &str) -> Result<Applied, StoreError> {
        // What users typed or pasted is stored without invisible or control characters.
        let cleaned = cmd.cleaned();
        let cmd: &Command = &cleaned;
        cmd.validate()?;
        let action = serde_json::to_value(cmd)?
            .get("command")
            .and_then(|v| v.as_str())
            .unwrap_or("command")
            .to_owned();
        match cmd {
            Command::AddProgress {
                task,
                date,
                text,
                percent,
                done,
                attach,
            } => {
                self.ensure_task(task)?;
                let id = self.next_id()?;
                let evidence = self.copy_evidence(id, attach, &[])?;
                let now = now_rfc3339();
                let entry = ProgressEntry {
                    id,
                    task: task.clone(),
                    date: *date,
                    text: text.trim().to_owned(),
                    percent: if *done {
                        Some(percent.unwrap_or(100))
                    } else {
                        *percent
                    },
                    done: *done,
                    evidence,
                    author: actor.to_owned(),
                    created_at: now.clone(),
                    updated_at: now,
                    revision: 1,
                };
                let result = self.write_entry(&entry, None, actor, &action, cmd.describe());
                if result.is_err() {
                    // The entry was not saved: take back the evidence copies made for it.
                    let _ = fs::remove_dir_all(evidence_dir(&self.root).join(id.to_string()));
                }
                result
            }
            Command::EditProgress {
                entry,
                date,
                text,
                percent,
                done,
                attach,
                detach,
            } => {
                let before = self
                    .progress_entry(*entry)?
                    .ok_or_else(|| StoreError::NotFound {
                        what: "进展记录",
                        id: entry.to_string(),
                    })?;
                let mut after = before.clone();
                let kept: Vec<Evidence> = before
                    .evidence
                    .iter()
                    .filter(|e| !detach.contains(&e.stored))
                    .cloned()
                    .collect();
                anwei_core::limits::check_count(
                    "进展的附件",
                    kept.len() + attach.len(),
                    anwei_core::limits::MAX_EVIDENCE_FILES,
                )
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
                let added = self.copy_evidence(*entry, attach, &kept)?;
                after.evidence = kept.into_iter().chain(added).collect();
                after.date = *date;
                after.text = text.trim().to_owned();
                after.percent = if *done {
                    Some(percent.unwrap_or(100))
                } else {
                    *percent
                };
                after.done = *done;
                after.updated_at = now_rfc3339();
                after.revision = before.revision + 1;
                // Files of detached evidence stay in the data folder: nothing is deleted.
                self.write_entry(&after, Some(&before), actor, &action, cmd.describe())
            }
            Command::AddUnit {
                name,
                kind,
                aliases,
            } => {
                let mut dir = self.unit_directory()?;
                for n in std::iter::once(name).chain(aliases) {
                    if let Some(u) = dir.resolve(n) {
                        return Err(StoreError::Invalid(format!(
                            "名称“{n}”已属于单位“{}”",
                            u.name
                        )));
                    }
                }
                let id = dir.resolve_or_add(name, *kind);
                let mut unit = dir
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| StoreError::Invalid("新增单位失败".to_owned()))?;
                unit.aliases = clean_aliases(aliases, &unit.name);
                self.write_unit(None, unit, actor, &action, cmd.describe())
            }
            Command::RenameUnit { unit, name } => {
                let before = self.unit_or_err(unit)?;
                let name = name.trim().to_owned();
                let mut after = before.clone();
                if name != before.name {
                    let mut aliases = before.aliases.clone();
                    aliases.push(before.name.clone());
                    after.aliases = clean_aliases(&aliases, &name);
                    after.name = name;
                }
                self.write_unit(Some(before), after, actor, &action, cmd.describe())
            }
            Command::SetUnitAliases { unit, aliases } => {
                let before = self.unit_or_err(unit)?;
                let mut after = before.clone();
                after.aliases = clean_aliases(aliases, &before.name);
                self.write_unit(Some(before), after, actor, &action, cmd.describe())
            }
            Command::SetUnitKind { unit, kind } => {
                let before = self.unit_or_err(unit)?;
                let mut after = before.clone();
                after.kind = *kind;
                self.write_unit(Some(before), after, actor, &action, cmd.describe())
            }
            Command::SetDueSoonDays { days } => {
                self.write_setting("due_soon_days", days, actor, &action, cmd.describe())
            }
            Command::SetUserName { name } => {
                self.write_setting("user_name", &name.trim(), actor, &action, cmd.describe())
            }
            Command::SetPrintSettings {
                office_name,
                doc_prefix,
                contact,
                chinese_date,
            } => {
                let value = PrintSettings {
                    office_name: office_name.trim().to_owned(),
                    doc_prefix: doc_prefix.trim().to_owned(),
                    contact: contact.trim().to_owned(),
                    chinese_date: *chinese_date,
                };
                self.write_setting("print", &value, actor, &action, cmd.describe())
            }
            Command::ImportSectorPlan { content } => {
                self.import_sector_plan(content, actor, &action, cmd.describe())
            }
            Command::RemoveSectorPlan { sector } => self.remove_sector_plan(sector, actor, &action),
            Command::AcknowledgeUnverified => {
                let before = self.unverified()?.ok_or_else(|| {
                    StoreError::Invalid("数据库没有需要确认的完整性提示".to_owned())
                })?;
                let summary = format!("{}：{}", cmd.describe(), before.reason);
                let audit = self.audit_record(
                    actor,
                    &action,
                    summary.clone(),
                    "database".to_owned(),
                    Some(serde_json::to_value(&before)?),
                    None,
                )?;
                let audit_json = to_json(&audit)?;
                (&self.meta, &self.audit)
                    .transaction(|(m, a)| -> TxResult<()> {
                        m.remove(UNVERIFIED_KEY)?;
                        a.insert(&audit.id.to_be_bytes(), audit_json.as_slice())?;
                        Ok(())
                    })
                    .map_err(tx_err)?;
                Ok(Applied::audited(audit.id, summary))
            }
            Command::RecordPluginEvent { sector, .. } => {
                let record = self.audit_record(
                    actor,
                    &action,
                    cmd.describe(),
                    format!("plugin:{sector}"),
                    None,
                    Some(serde_json::to_value(cmd)?),
                )?;
                self.audit
                    .insert(record.id.to_be_bytes(), to_json(&record)?)?;
                Ok(Applied::audited(record.id, cmd.describe()))
            }
            Command::SetPluginDeveloperMode { on } => {
                self.write_setting("plugin_developer_mode", on, actor, &action, cmd.describe())
            }
            Command::SetPluginRootKey { key } => {
                let key = key.as_ref().map(|k| k.to_ascii_lowercase());
                self.write_setting("plugin_root_key", &key, actor, &action, cmd.describe())
            }
            Command::SetPluginTrustList { list } => {
                self.write_setting("plugin_trust_list", list, actor, &action, cmd.describe())
            }
            Command::AddRecord {
                form,
                form_version,
                values,
                draft,
            } => {
                let now = now_rfc3339();
                let record = FormRecord {
                    id: self.next_id()?,
                    form: form.clone(),
                    form_version: form_version.clone(),
                    values: values.clone(),
                    draft: *draft,
                    deleted: false,
                    author: actor.to_owned(),
                    created_at: now.clone(),
                    updated_at: now,
                    revision: 1,
                };
                self.write_record(&record, None, actor, &action, cmd.describe())
            }
            Command::EditRecord { id, values, draft } => {
                let before = self.record_or_err(*id)?;
                let mut after = before.clone();
                after.values.clone_from(values);
                after.draft = *draft;
                after.updated_at = now_rfc3339();
                after.revision = before.revision + 1;
                self.write_record(&after, Some(&before), actor, &action, cmd.describe())
            }
            Command::DeleteRecord { id } | Command::RestoreRecord { id } => {
                let before = self.record_or_err(*id)?;
                let mut after = before.clone();
                after.deleted = matches!(cmd, Command::DeleteRecord { .. });
                after.updated_at = now_rfc3339();
                after.revision = before.revision + 1;
                self.write_record(&after, Some(&before), actor, &action, cmd.describe())
            }
            Command::AddMeasurement {
                target,
                date,
                value,
                town,
                source,
            } => {
                if !self.targets.contains_key(target.as_bytes())? {
                    return Err(StoreError::NotFound {
                        what: "指标",
                        id: target.clone(),
                    });
                }
                if let Some(t) = town
                    && self.units.get(t.as_bytes())?.is_none()
                {
                    return Err(StoreError::NotFound {
                        what: "单位",
                        id: t.clone(),
                    });
                }
                let m = Measurement {
                    date: *date,
                    value: *value,
                    town: town.clone(),
                    source: source.trim().to_owned(),
                };
                let id = self.next_id()?;
                let audit = self.audit_record(
                    actor,
                    &action,
                    cmd.describe(),
                    format!("target:{target}"),
                    None,
                    Some(serde_json::to_value(&m)?),
                )?;
                self.write_audited(
                    &self.measurements,
                    &scoped_key(target, id),
                    &to_json(&m)?,
                    &audit,
                    None,
                )?;
                Ok(Applied::audited(audit.id, cmd.describe()))
            }
            Command::RecordNotice {
                task,
                year,
                number,
                recipient,
                new_deadline,
                file,
            } => {
                self.ensure_task(task)?;
                let next = self.next_notice_number(*year)?;
                if *number != next {
                    return Err(StoreError::Invalid(format!(
                        "文号〔{year}〕{number}号不是本年度的下一个编号（应为 {next} 号）"
                    )));
                }
                let record = NoticeRecord {
                    year: *year,
                    number: *number,
                    task: task.clone(),
                    recipient: recipient.trim().to_owned(),
                    new_deadline: *new_deadline,
                    issued_at: now_rfc3339(),
                    actor: actor.to_owned(),
                    file: file.clone(),
                };
                self.write_notice(&record, &action, cmd.describe())
            }
        }
    }

    /// Imports or replaces a sector plan in one transaction: plan, tasks, targets, new units,
    /// the sector record and the audit record. A task of the old version that the new one
    /// drops is kept when it has progress entries (nothing the users recorded is lost).
    fn import_sector_plan(
        &self,
        c: &SectorPlanImport,
        actor: &str,
        action: &str,
        summary: String,
    ) -> Result<Applied, StoreError> {
        if !self.campaigns.contains_key(c.plan.campaign.as_bytes())? {
            return Err(StoreError::NotFound {
                what: "活动",
                id: c.plan.campaign.clone(),
            });
        }
        if let Some(other) = self.plans.get(c.plan.id.as_bytes())? {
            let other: Plan = from_json(&other)?;
            if other.sector.as_deref() != Some(c.sector.as_str()) {
                return Err(StoreError::Invalid(format!(
                    "方案编号“{}”已被“{}”使用",
                    c.plan.id, other.title
                )));
            }
        }
        let known: std::collections::HashSet<String> =
            self.units()?.into_iter().map(|u| u.id).collect();
        let mut merged = self.units()?;
        for u in &c.new_units {
            if known.contains(&u.id) {
                return Err(StoreError::Invalid(format!("单位编号 {} 已存在", u.id)));
            }
            merged.push(u.clone());
        }
        UnitDirectory::new(merged).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let new_ids: std::collections::HashSet<&str> =
            c.new_units.iter().map(|u| u.id.as_str()).collect();
        for t in &c.tasks {
            for r in &t.roles {
                if !known.contains(&r.unit) && !new_ids.contains(r.unit.as_str()) {
                    return Err(StoreError::NotFound {
                        what: "单位",
                        id: r.unit.clone(),
                    });
                }
            }
        }
        let before = self.sector_record(&c.sector)?;
        let new_task_ids: std::collections::HashSet<&str> =
            c.tasks.iter().map(|t| t.id.as_str()).collect();
        let mut drop_tasks = Vec::new();
        for t in self.tasks()?.into_iter().filter(|t| t.plan == c.plan.id) {
            if !new_task_ids.contains(t.id.as_str())
                && self
                    .progress
                    .scan_prefix(scope_prefix(&t.id))
                    .next()
                    .is_none()
            {
                drop_tasks.push(t.id);
            }
        }
        let old_targets: Vec<Vec<u8>> = self
            .targets
            .iter()
            .values()
            .map(|v| {
                let (_, t): (u32, Target) = from_json(&v?)?;
                Ok::<_, StoreError>((t.plan == c.plan.id).then(|| t.id.into_bytes()))
            })
            .filter_map(Result::transpose)
            .collect::<Result<_, _>>()?;
        // Units this sector's imports created, so that removing the plan can take them out.
        let mut created_units = before
            .as_ref()
            .map(|b| b.created_units.clone())
            .unwrap_or_default();
        for u in &c.new_units {
            if !created_units.contains(&u.id) {
                created_units.push(u.id.clone());
            }
        }
        let record = SectorRecord {
            sector: c.sector.clone(),
            plan: c.plan.id.clone(),
            plugin_version: c.plugin_version.clone(),
            plugin_sha256: c.plugin_sha256.clone(),
            imported_at: now_rfc3339(),
            created_units,
        };
        let audit = self.audit_record(
            actor,
            action,
            summary.clone(),
            format!("plan:{}", c.plan.id),
            before.as_ref().map(serde_json::to_value).transpose()?,
            Some(serde_json::to_value(&record)?),
        )?;
        let plan_json = to_json(&c.plan)?;
        let task_rows = c
            .tasks
            .iter()
            .map(|t| Ok((t.id.clone(), to_json(t)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let target_rows = c
            .targets
            .iter()
            .enumerate()
            .map(|(i, t)| Ok((t.id.clone(), to_json(&(i as u32, t))?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let unit_rows = c
            .new_units
            .iter()
            .map(|u| Ok((u.id.clone(), to_json(u)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let record_json = to_json(&record)?;
        let audit_json = to_json(&audit)?;
        (
            &self.plans,
            &self.tasks,
            &self.targets,
            &self.units,
            &self.sectors,
            &self.audit,
        )
            .transaction(|(p, t, g, u, s, a)| -> TxResult<()> {
                p.insert(c.plan.id.as_bytes(), plan_json.as_slice())?;
                for id in &drop_tasks {
                    t.remove(id.as_bytes())?;
                }
                for (id, v) in &task_rows {
                    t.insert(id.as_bytes(), v.as_slice())?;
                }
                for id in &old_targets {
                    g.remove(id.as_slice())?;
                }
                for (id, v) in &target_rows {
                    g.insert(id.as_bytes(), v.as_slice())?;
                }
                for (id, v) in &unit_rows {
                    u.insert(id.as_bytes(), v.as_slice())?;
                }
                s.insert(c.sector.as_bytes(), record_json.as_slice())?;
                a.insert(&audit.id.to_be_bytes(), audit_json.as_slice())?;
                Ok(())
            })
            .map_err(tx_err)?;
        Ok(Applied::audited(audit.id, summary))
    }

    /// Takes out the sector plan of `sector` in one transaction (see
    /// [`Command::RemoveSectorPlan`]): its tasks without progress entries, its targets, the
    /// sector record, the units its imports created that no remaining task, measurement or
    /// user edit refers to, and the plan itself once no task of it is left. Tasks with
    /// progress entries keep their plan; ledger records and hand-entered values are kept.
    fn remove_sector_plan(
        &self,
        sector: &str,
        actor: &str,
        action: &str,
    ) -> Result<Applied, StoreError> {
        let record = self
            .sector_record(sector)?
            .ok_or_else(|| StoreError::NotFound {
                what: "行业方案",
                id: sector.to_owned(),
            })?;
        let plan: Option<Plan> = self
            .plans
            .get(record.plan.as_bytes())?
            .map(|v| from_json(&v))
            .transpose()?;
        let title = plan
            .as_ref()
            .map_or_else(|| record.plan.clone(), |p| p.title.clone());
        let all_tasks = self.tasks()?;
        let (of_plan, others): (Vec<Task>, Vec<Task>) =
            all_tasks.into_iter().partition(|t| t.plan == record.plan);
        // Tasks users worked on stay: with progress entries, or with an issued 督办通知书.
        let noticed: std::collections::HashSet<String> =
            self.notices(None)?.into_iter().map(|n| n.task).collect();
        let (kept, dropped): (Vec<Task>, Vec<Task>) = of_plan.into_iter().partition(|t| {
            noticed.contains(&t.id)
                || self
                    .progress
                    .scan_prefix(scope_prefix(&t.id))
                    .next()
                    .is_some()
        });
        let plan_targets: Vec<String> = self
            .targets
            .iter()
            .values()
            .map(|v| {
                let (_, t): (u32, Target) = from_json(&v?)?;
                Ok::<_, StoreError>((t.plan == record.plan).then_some(t.id))
            })
            .filter_map(Result::transpose)
            .collect::<Result<_, _>>()?;
        let measured: std::collections::HashSet<String> =
            self.all_measurements()?.into_keys().collect();
        // Targets with hand-entered values stay (with them, their values stay visible).
        let (kept_targets, targets): (Vec<String>, Vec<String>) =
            plan_targets.into_iter().partition(|t| measured.contains(t));
        let kept_values = kept_targets.len();
        // Units still in use: named by a remaining task, a hand-entered value, or changed by
        // a user (an audit record of their own).
        let mut used: std::collections::HashSet<String> = others
            .iter()
            .chain(&kept)
            .flat_map(|t| t.roles.iter().map(|r| r.unit.clone()))
            .collect();
        for m in self.all_measurements()?.into_values().flatten() {
            used.extend(m.town);
        }
        for kv in self.audit.iter() {
            let (_, v) = kv?;
            let rec: AuditRecord = from_json(&v)?;
            if let Some(unit) = rec.target.strip_prefix("unit:") {
                used.insert(unit.to_owned());
            }
        }
        // … or named in a ledger record (a unit picked in a form).
        let created: std::collections::HashSet<&str> =
            record.created_units.iter().map(String::as_str).collect();
        if !created.is_empty() {
            for v in self.records.iter().values() {
                let r: FormRecord = from_json(&v?)?;
                for value in r.values.values() {
                    let named: Vec<&str> = match value {
                        anwei_core::Value::Text(t) => vec![t.as_str()],
                        anwei_core::Value::Choices(c) => c.iter().map(String::as_str).collect(),
                        _ => Vec::new(),
                    };
                    for n in named {
                        if created.contains(n) {
                            used.insert(n.to_owned());
                        }
                    }
                }
            }
        }
        let mut units = Vec::new();
        for id in &record.created_units {
            if used.contains(id) {
                continue;
            }
            if let Some(v) = self.units.get(id.as_bytes())? {
                units.push(from_json::<Unit>(&v)?);
            }
        }
        let remove_plan = kept.is_empty() && kept_targets.is_empty();
        let records: usize = self
            .record_counts()?
            .into_iter()
            .filter(|(form, _)| form.split_once('/').is_some_and(|(s, _)| s == sector))
            .map(|(_, n)| n)
            .sum();
        let mut summary = format!(
            "移除行业方案“{title}”（插件 {sector} {} 已不存在）：{} 项任务、{} 项指标、{} 个单位",
            record.plugin_version,
            dropped.len(),
            targets.len(),
            units.len()
        );
        if !kept.is_empty() {
            summary.push_str(&format!(
                "；保留有进展记录的任务 {} 项（{}）及其方案",
                kept.len(),
                kept.iter()
                    .map(|t| t.id.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ));
        }
        if records > 0 {
            summary.push_str(&format!("；台账记录 {records} 条保留"));
        }
        if kept_values > 0 {
            summary.push_str(&format!(
                "；保留有手工录入值的指标 {kept_values} 项（{}）",
                kept_targets.join("、")
            ));
        }
        if record.created_units.is_empty() {
            summary.push_str("；导入时新建的单位未记录，单位目录不变");
        }
        let audit = self.audit_record(
            actor,
            action,
            summary.clone(),
            format!("plan:{}", record.plan),
            Some(serde_json::json!({
                "sector": record,
                "plan": if remove_plan { plan.as_ref() } else { None },
                "tasks": dropped,
                "targets": targets,
                "units": units,
            })),
            Some(serde_json::json!({
                "kept_tasks": kept.iter().map(|t| &t.id).collect::<Vec<_>>(),
                "kept_targets": kept_targets,
            })),
        )?;
        let audit_json = to_json(&audit)?;
        (
            &self.plans,
            &self.tasks,
            &self.targets,
            &self.units,
            &self.sectors,
            &self.audit,
        )
            .transaction(|(p, t, g, u, s, a)| -> TxResult<()> {
                if remove_plan {
                    p.remove(record.plan.as_bytes())?;
                }
                for task in &dropped {
                    t.remove(task.id.as_bytes())?;
                }
                for id in &targets {
                    g.remove(id.as_bytes())?;
                }
                for unit in &units {
                    u.remove(unit.id.as_bytes())?;
                }
                s.remove(sector.as_bytes())?;
                a.insert(&audit.id.to_be_bytes(), audit_json.as_slice())?;
                Ok(())
            })
            .map_err(tx_err)?;
        Ok(Applied::audited(audit.id, summary))
    }

    fn ensure_task(&self, task: &str) -> Result<(), StoreError> {
        if self.tasks.contains_key(task.as_bytes())? {
            Ok(())
        } else {
            Err(StoreError::NotFound {
                what: "任务",
                id: task.to_owned(),
            })
        }
    }

    /// The next 文号 number of `year` (1 for the first notice of a year).
    pub fn next_notice_number(&self, year: i32) -> Result<u32, StoreError> {
        let last = self
            .notices
            .scan_prefix(keys::notice_year_prefix(year))
            .keys()
            .next_back()
            .transpose()?;
        Ok(match last {
            Some(k) if k.len() == 8 => {
                let mut n = [0u8; 4];
                n.copy_from_slice(&k[4..]);
                u32::from_be_bytes(n) + 1
            }
            _ => 1,
        })
    }

    /// Issued notices, oldest first; of one year when given.
    pub fn notices(&self, year: Option<i32>) -> Result<Vec<NoticeRecord>, StoreError> {
        let iter = match year {
            Some(y) => self.notices.scan_prefix(keys::notice_year_prefix(y)),
            None => self.notices.iter(),
        };
        iter.values().map(|v| from_json(&v?)).collect()
    }

    fn write_notice(
        &self,
        record: &NoticeRecord,
        action: &str,
        summary: String,
    ) -> Result<Applied, StoreError> {
        let audit = self.audit_record(
            &record.actor,
            action,
            summary.clone(),
            format!("notice:{}-{}", record.year, record.number),
            None,
            Some(serde_json::to_value(record)?),
        )?;
        let key = keys::notice_key(record.year, record.number);
        let taken = format!("文号〔{}〕{}号已被使用", record.year, record.number);
        self.write_audited(&self.notices, &key, &to_json(record)?, &audit, Some(taken))?;
        Ok(Applied::audited(audit.id, summary))
    }

    /// Writes one row of `tree` together with its audit record, in one transaction. With
    /// `must_be_new`, an existing row under `key` aborts the write with that message.
    fn write_audited(
        &self,
        tree: &sled::Tree,
        key: &[u8],
        value: &[u8],
        audit: &AuditRecord,
        must_be_new: Option<String>,
    ) -> Result<(), StoreError> {
        let audit_json = to_json(audit)?;
        (tree, &self.audit)
            .transaction(|(t, a)| -> TxResult<()> {
                if let Some(msg) = &must_be_new
                    && t.get(key)?.is_some()
                {
                    return Err(ConflictableTransactionError::Abort(StoreError::Invalid(
                        msg.clone(),
                    )));
                }
                t.insert(key, value)?;
                a.insert(&audit.id.to_be_bytes(), audit_json.as_slice())?;
                Ok(())
            })
            .map_err(tx_err)
    }

    fn unit_or_err(&self, id: &str) -> Result<Unit, StoreError> {
        self.units
            .get(id)?
            .map(|v| from_json(&v))
            .transpose()?
            .ok_or_else(|| StoreError::NotFound {
                what: "单位",
                id: id.to_owned(),
            })
    }

    /// Copies evidence files into `evidence/<entry>/`, each atomically; returns their records.
    /// On failure the copies made by this call are taken back, so a refused command leaves no
    /// files behind.
    fn copy_evidence(
        &self,
        entry: u64,
        sources: &[EvidenceSource],
        existing: &[Evidence],
    ) -> Result<Vec<Evidence>, StoreError> {
        if sources.is_empty() {
            return Ok(Vec::new());
        }
        let dir = evidence_dir(&self.root).join(entry.to_string());
        let created_dir = !dir.exists();
        fs::create_dir_all(&dir).map_err(|e| StoreError::io(&dir, e))?;
        let mut out = Vec::new();
        let result = self.copy_evidence_into(&dir, entry, sources, existing, &mut out);
        if result.is_err() {
            for ev in &out {
                let _ = fs::remove_file(evidence_dir(&self.root).join(&ev.stored));
            }
            if created_dir {
                let _ = fs::remove_dir(&dir);
            }
        }
        result.map(|()| out)
    }

    fn copy_evidence_into(
        &self,
        dir: &Path,
        entry: u64,
        sources: &[EvidenceSource],
        existing: &[Evidence],
        out: &mut Vec<Evidence>,
    ) -> Result<(), StoreError> {
        let mut taken: Vec<String> = existing.iter().map(|e| e.stored.clone()).collect();
        for src in sources {
            let path = Path::new(src.path.trim());
            let meta = fs::metadata(path).map_err(|e| StoreError::io(path, e))?;
            if !meta.is_file() {
                return Err(StoreError::Invalid(format!(
                    "附件“{}”不是文件",
                    path.display()
                )));
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "附件".to_owned());
            let mut stored_name = name.clone();
            let mut n = 1;
            // Names already used by this entry, or files left in its folder (detached
            // evidence is kept), are not overwritten.
            while taken.contains(&format!("{entry}/{stored_name}"))
                || dir.join(&stored_name).exists()
            {
                n += 1;
                stored_name = match name.rsplit_once('.') {
                    Some((stem, ext)) => format!("{stem}({n}).{ext}"),
                    None => format!("{name}({n})"),
                };
            }
            let stored = format!("{entry}/{stored_name}");
            let mut tmp = temp_file_in(dir)?;
            let mut input = File::open(path).map_err(|e| StoreError::io(path, e))?;
            std::io::copy(&mut input, tmp.as_file_mut()).map_err(|e| StoreError::io(path, e))?;
            tmp.as_file()
                .sync_all()
                .map_err(|e| StoreError::io(dir, e))?;
            let dest = dir.join(&stored_name);
            tmp.persist_noclobber(&dest)
                .map_err(|e| StoreError::io(&dest, e.error))?;
            taken.push(stored.clone());
            out.push(Evidence {
                name,
                stored,
                size: meta.len(),
            });
        }
        Ok(())
    }

    fn write_entry(
        &self,
        entry: &ProgressEntry,
        before: Option<&ProgressEntry>,
        actor: &str,
        action: &str,
        summary: String,
    ) -> Result<Applied, StoreError> {
        let row = ScopedRow {
            tree: &self.progress,
            index: &self.progress_index,
            scope: &entry.task,
            id: entry.id,
            target: format!("progress:{}", entry.id),
        };
        let audit_id = self.write_scoped(row, entry, before, actor, action, summary.clone())?;
        Ok(Applied {
            audit_id,
            summary,
            entry: Some(entry.clone()),
            unit: None,
            record: None,
        })
    }

    /// Writes a row keyed `scope, 0, id` (progress entries, ledger records) with its
    /// id → scope index entry and its audit record, in one transaction.
    fn write_scoped<T: Serialize>(
        &self,
        row: ScopedRow<'_>,
        value: &T,
        before: Option<&T>,
        actor: &str,
        action: &str,
        summary: String,
    ) -> Result<u64, StoreError> {
        let audit = self.audit_record(
            actor,
            action,
            summary,
            row.target,
            before.map(serde_json::to_value).transpose()?,
            Some(serde_json::to_value(value)?),
        )?;
        let value_json = to_json(value)?;
        let audit_json = to_json(&audit)?;
        let key = scoped_key(row.scope, row.id);
        (row.tree, row.index, &self.audit)
            .transaction(|(t, i, a): &(TransactionalTree, TransactionalTree, TransactionalTree)| -> TxResult<()> {
                t.insert(key.as_slice(), value_json.as_slice())?;
                i.insert(&row.id.to_be_bytes(), row.scope.as_bytes())?;
                a.insert(&audit.id.to_be_bytes(), audit_json.as_slice())?;
                Ok(())
            })
            .map_err(tx_err)?;
        Ok(audit.id)
    }

    fn record_or_err(&self, id: u64) -> Result<FormRecord, StoreError> {
        self.record(id)?.ok_or_else(|| StoreError::NotFound {
            what: "台账记录",
            id: id.to_string(),
        })
    }

    fn write_record(
        &self,
        record: &FormRecord,
        before: Option<&FormRecord>,
        actor: &str,
        action: &str,
        summary: String,
    ) -> Result<Applied, StoreError> {
        let row = ScopedRow {
            tree: &self.records,
            index: &self.record_index,
            scope: &record.form,
            id: record.id,
            target: format!("record:{}", record.id),
        };
        let audit_id = self.write_scoped(row, record, before, actor, action, summary.clone())?;
        Ok(Applied {
            audit_id,
            summary,
            entry: None,
            unit: None,
            record: Some(record.clone()),
        })
    }

    fn write_unit(
        &self,
        before: Option<Unit>,
        after: Unit,
        actor: &str,
        action: &str,
        summary: String,
    ) -> Result<Applied, StoreError> {
        // The directory must stay unambiguous after the change.
        let mut units: Vec<Unit> = self
            .units()?
            .into_iter()
            .filter(|u| u.id != after.id)
            .collect();
        units.push(after.clone());
        UnitDirectory::new(units).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let record = self.audit_record(
            actor,
            action,
            summary.clone(),
            format!("unit:{}", after.id),
            before.as_ref().map(serde_json::to_value).transpose()?,
            Some(serde_json::to_value(&after)?),
        )?;
        self.write_audited(
            &self.units,
            after.id.as_bytes(),
            &to_json(&after)?,
            &record,
            None,
        )?;
        Ok(Applied {
            audit_id: record.id,
            summary,
            entry: None,
            unit: Some(after),
            record: None,
        })
    }

    fn write_setting<T: Serialize>(
        &self,
        key: &str,
        value: &T,
        actor: &str,
        action: &str,
        summary: String,
    ) -> Result<Applied, StoreError> {
        let before = self
            .settings
            .get(key)?
            .map(|v| from_json::<serde_json::Value>(&v))
            .transpose()?;
        let record = self.audit_record(
            actor,
            action,
            summary.clone(),
            format!("setting:{key}"),
            before,
            Some(serde_json::to_value(value)?),
        )?;
        self.write_audited(
            &self.settings,
            key.as_bytes(),
            &to_json(value)?,
            &record,
            None,
        )?;
        Ok(Applied::audited(record.id, summary))
    }

    /// Unit lookups used when the caller holds unit names (CLI `--unit`).
    pub fn resolve_unit(&self, name: &str) -> Result<Option<Unit>, StoreError> {
        Ok(self.unit_directory()?.resolve(name).cloned())
    }

    /// Today's date in local time (the store is the layer that may read the clock).
    pub fn today() -> NaiveDate {
        Local::now().date_naive()
    }
}

/// Who is named in the audit trail for what the store does by itself (on open).
const SYSTEM_ACTOR: &str = "系统";

/// "132.0 MB", "17 KB", "12 字节".
fn human_size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else if bytes >= 1024 {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} 字节")
    }
}

fn clean_aliases(aliases: &[String], name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in aliases {
        let a = a.trim();
        if !a.is_empty() && a != name && !out.iter().any(|o| o == a) {
            out.push(a.to_owned());
        }
    }
    out
}
