//! Opening a data folder: the lock, sled, the state records that notice a database cut
//! short, the [`Unverified`] condition, and the clean-up of temporary files of killed writes.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::PoisonError;

use anwei_core::change::{AuditEntry, Change, Put};
use anwei_core::{Command, Unverified};
use anwei_files::DataDir;
use serde::{Deserialize, Serialize};

use crate::apply::Applied;
use crate::error::StoreError;
use crate::keys;
use crate::migrate;
use crate::store::{Store, from_json, now_rfc3339, to_json};

pub(crate) fn db_dir(root: &Path) -> PathBuf {
    DataDir::new(root).db()
}

pub(crate) fn evidence_dir(root: &Path) -> PathBuf {
    DataDir::new(root).evidence()
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
    let path = DataDir::new(root).lock_file();
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

/// sled's page cache (its default is 1 GiB): reading a register or the whole database for a
/// backup would otherwise keep up to that much in memory. The operating system still caches
/// the file; measured by `app/session/benches/register.rs` and `app/store/benches/backup.rs`.
const STORE_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// Opens sled at `dir`, turning errors and panics of a damaged database into
/// [`StoreError::Damaged`].
pub(crate) fn open_sled(dir: &Path) -> Result<sled::Db, StoreError> {
    // The data folder's own lock is held already, so no other program has the database
    // open: sled's lock is taken only by what is left of this program's previous opening
    // (a file truncation finishing on sled's thread after the store closed). It is
    // released within moments.
    let started = std::time::Instant::now();
    loop {
        match open_sled_once(dir) {
            Err(StoreError::Locked(_)) if started.elapsed() < SLED_LOCK_WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// How long [`open_sled`] waits for sled's lock of a database this program closed. sled
/// truncates a recovered log on its thread pool and then syncs the file, holding the lock
/// meanwhile; on a busy disk that sync can outlast a few seconds (a CI run once reopened a
/// damaged database after a 3 s wait and got "in use" instead of "damaged"). The wait costs
/// nothing unless the lock is actually held.
const SLED_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

fn open_sled_once(dir: &Path) -> Result<sled::Db, StoreError> {
    let config = sled::Config::new()
        .path(dir)
        .cache_capacity(STORE_CACHE_BYTES);
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
pub(crate) use anwei_files::layout::STATE_FILE;

/// Every temporary file the store writes and then renames into place (evidence copies,
/// backups, state records) is named with `anwei_files`' [`TEMP_PREFIX`]. Such a file left in
/// the data folder is what remains of a write that was killed; the next [`Store::open`]
/// removes it (it holds the folder's lock, so no other writer exists).
use anwei_files::TEMP_PREFIX;

/// Whether `name` is a temporary file of the store: [`TEMP_PREFIX`], or (with `legacy`) the
/// `.tmpXXXXXX` names that versions before it used.
fn is_temp_name(name: &str, legacy: bool) -> bool {
    anwei_files::is_temp_name(name) || (legacy && anwei_files::is_legacy_temp_name(name))
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct DiskState {
    /// Id of the newest audit record (audit records are never removed).
    last_audit: u64,
}

/// The two state records: `anwei.state` in the data folder and its copy in `db/`. Each
/// witnesses the other: deleting (or damaging) one still leaves the database checked.
fn state_paths(root: &Path) -> [PathBuf; 2] {
    let dir = DataDir::new(root);
    [dir.state_file(), dir.db_state_file()]
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

/// Records `last_audit` in both state records (the copy only when `db/` exists), atomically.
pub(crate) fn write_state(root: &Path, last_audit: u64) -> Result<(), StoreError> {
    let bytes = to_json(&DiskState { last_audit })?;
    for path in state_paths(root) {
        if path.parent().is_some_and(Path::is_dir) {
            anwei_files::write_atomic(&path, &bytes)?;
        }
    }
    Ok(())
}

/// [`write_state`] for the records this store wrote before (at open and close): a record
/// that already says exactly that is left as it is, so a command that changed nothing
/// writes and syncs no file for it.
fn update_state(root: &Path, last_audit: u64) -> Result<(), StoreError> {
    let bytes = to_json(&DiskState { last_audit })?;
    for path in state_paths(root) {
        if path.parent().is_some_and(Path::is_dir)
            && fs::read(&path).ok().as_deref() != Some(bytes.as_slice())
        {
            anwei_files::write_atomic(&path, &bytes)?;
        }
    }
    Ok(())
}

/// Key in the `meta` tree of the [`Unverified`] condition.
pub(crate) const UNVERIFIED_KEY: &[u8] = b"unverified";
/// Id of the newest audit record of `db` (0 when there is none), without creating trees.
pub(crate) fn last_audit_id(db: &sled::Db) -> Result<u64, StoreError> {
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
            registers: open(keys::REGISTERS).map_err(damaged)?,
            target_cache: open(keys::TARGET_CACHE).map_err(damaged)?,
            record_fields: open(keys::RECORD_FIELDS).map_err(damaged)?,
            record_counts: open(keys::RECORD_COUNTS).map_err(damaged)?,
            notice_files: open(keys::NOTICE_FILES).map_err(damaged)?,
            submissions: open(keys::SUBMISSIONS).map_err(damaged)?,
            supervision: open(keys::SUPERVISION).map_err(damaged)?,
            writer: std::sync::Mutex::new(()),
            db,
            opened: false,
            cleaned: Vec::new(),
            write_gate: Default::default(),
            register_gate: Default::default(),
            _lock: lock,
        };
        migrate::migrate(&store.db, &store.meta)?;
        // A change written in parts that never finished is taken back before anything reads.
        store.recover_staged()?;
        store.count_records()?;
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
        update_state(&self.root, last_audit_id(&self.db)?)
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
        let audit = AuditEntry {
            actor: SYSTEM_ACTOR.to_owned(),
            action: "open_unverified".to_owned(),
            summary: format!("打开时无法确认数据库完整：{}", after.reason),
            target: "database".to_owned(),
            before: before.as_ref().map(serde_json::to_value).transpose()?,
            after: Some(serde_json::to_value(&after)?),
        };
        self.write_change(&Change::new(
            Vec::new(),
            vec![Put::Unverified(after)],
            audit,
        ))?;
        self.flush()
    }

    /// Removes what killed writes left: files named with [`TEMP_PREFIX`] in the data folder,
    /// `db/`, `backups/`, `evidence/`, `plugins/` and `plugins/cache/` (and, in `backups/` and `evidence/`, which only the
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
        let dir = DataDir::new(&root);
        sweep(&dir.backups(), true, "backups/", "");
        // Packages, plugin state and compiled code are written atomically too (by the plugin
        // host, in this process: the folder's lock is held).
        sweep(&dir.plugins(), false, "plugins/", "");
        sweep(&dir.plugin_cache(), false, "plugins/cache/", "");
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
        self.write_change(&Change::audit_only(AuditEntry {
            actor: SYSTEM_ACTOR.to_owned(),
            action: "clean_temp_files".to_owned(),
            summary: summary.clone(),
            target: "data_folder".to_owned(),
            before: None,
            after: Some(serde_json::json!({ "files": names, "bytes": bytes })),
        }))?;
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
        let _gate = self
            .write_gate
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        self.meta.remove(migrate::LEGACY_TRUST_KEY)?;
        self.flush()
    }

    /// Marks the database as one whose wave-1 root-of-trust files are still to be moved (what
    /// the v3 → v4 migration does); for tests of that move.
    #[doc(hidden)]
    pub fn mark_legacy_trust_pending(&self) -> Result<(), StoreError> {
        let _gate = self
            .write_gate
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        self.meta
            .insert(migrate::LEGACY_TRUST_KEY, b"1".as_slice())?;
        self.flush()
    }

    /// Writes supervision rows directly, without commands or audit records: for benchmarks
    /// of the registers at an office's size only (the desk writes them through
    /// [`Store::apply`]).
    #[doc(hidden)]
    pub fn bench_put_supervision(
        &self,
        rows: &[anwei_core::supervision::SupRow],
    ) -> Result<(), StoreError> {
        let _gate = self
            .write_gate
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let mut batch = sled::Batch::default();
        for r in rows {
            batch.insert(
                keys::sup_key(r.kind(), r.id()).to_vec(),
                crate::store::to_json(r)?,
            );
        }
        self.supervision.apply_batch(batch)?;
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

    pub(crate) fn next_id(&self) -> Result<u64, StoreError> {
        Ok(self.db.generate_id()? + 1)
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
