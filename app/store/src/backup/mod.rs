//! Backups: the whole desk (every tree plus the evidence files) in one `.anwei-backup` file,
//! a gzip-compressed tar written atomically and streaming, in bounded memory (`write`: a
//! [`BackupJob`] can run on another thread while the store is used); automatic rotating
//! backups in `backups/`; restore, streaming too, that never deletes what it replaces without
//! a backup of it (`restore`).
//!
//! Format version 2 (written now): `manifest.json` first, then the rows of each tree in
//! members `trees/<tree>/<n>.kv` (`n` = 000000, 000001, …) of at most about [`CHUNK_BYTES`]
//! each — rows in key order, each as key length, key, value length, value (lengths as 4 bytes
//! little-endian) — then `evidence/…`. Version 1 (still restored): `manifest.json`,
//! `trees.json` (every tree as one JSON object of hex-encoded keys and values), `evidence/…`.

mod restore;
mod write;

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::Local;
use flate2::read::GzDecoder;
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::keys;
use crate::open::{lock_root, write_state};
use crate::store::{Store, TreeDump};
use anwei_files::{DataDir, layout};

pub use restore::{
    MAX_BACKUP_ENTRIES, MAX_CHUNK_BYTES, MAX_EVIDENCE_FILE_BYTES, MAX_EVIDENCE_TOTAL_BYTES,
    MAX_MANIFEST_BYTES, MAX_TREES_BYTES, RestoreLimits, RestoreReport, restore,
    restore_with_limits,
};
pub use write::{BackupJob, BackupProgress, CHUNK_BYTES};

const FORMAT: &str = "anwei-backup";
/// The format written; every version up to it is restored.
const FORMAT_VERSION: u32 = 2;
/// File name extension of backups.
pub const EXTENSION: &str = layout::BACKUP_EXTENSION;
/// How many automatic backups are kept.
pub const AUTO_KEEP: usize = 10;

/// The manifest at the start of every backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupManifest {
    pub format: String,
    pub format_version: u32,
    pub schema_version: u32,
    pub created_at: String,
    pub app_version: String,
    pub counts: BTreeMap<String, usize>,
    /// Id of the newest audit record in the backup: a witness, beside the state records, of
    /// how far the data folder had got (absent in backups of earlier versions).
    #[serde(default)]
    pub last_audit: Option<u64>,
}

/// A backup file on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub manifest: BackupManifest,
    pub size: u64,
}

/// Every tree of `db`, in memory (for tests and equality checks; backups stream).
pub(crate) fn dump_db(db: &sled::Db) -> Result<TreeDump, StoreError> {
    let mut out = TreeDump::new();
    for name in keys::ALL_TREES {
        let tree = db.open_tree(name)?;
        let kvs = tree
            .iter()
            .map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())))
            .collect::<Result<Vec<_>, _>>()?;
        out.insert(name.to_owned(), kvs);
    }
    Ok(out)
}

fn backups_dir(root: &Path) -> PathBuf {
    DataDir::new(root).backups()
}

fn timestamp() -> String {
    Local::now().format("%Y%m%d-%H%M%S%.3f").to_string()
}

impl Store {
    /// A backup of this store to run on another thread ([`BackupJob::run`]) while the store
    /// is used: changes wait while it reads the trees, so that it holds them as they were at
    /// one moment. The job keeps the data folder locked until it is dropped, also when the
    /// store is closed before it.
    pub fn backup_job(&self) -> Result<BackupJob, StoreError> {
        let lock = self
            ._lock
            .try_clone()
            .map_err(|e| StoreError::io(DataDir::new(&self.root).lock_file(), e))?;
        Ok(BackupJob::new(
            self.db.clone(),
            self.root.clone(),
            Arc::clone(&self.write_gate),
            Some(lock),
        ))
    }

    /// Backs up the whole desk to `dest` (written atomically).
    pub fn backup_to(&self, dest: &Path) -> Result<BackupInfo, StoreError> {
        self.backup_job()?.run(dest, &|_| {})
    }

    /// Writes an automatic backup into `backups/` and keeps the newest [`AUTO_KEEP`].
    pub fn auto_backup(&self) -> Result<BackupInfo, StoreError> {
        self.backup_job()?.run_auto(&|_| {})
    }

    /// Writes an automatic backup unless the newest one is younger than `max_age`.
    pub fn auto_backup_if_due(&self, max_age: Duration) -> Result<Option<BackupInfo>, StoreError> {
        if !auto_backup_due(self.root(), max_age) {
            return Ok(None);
        }
        self.auto_backup().map(Some)
    }
}

/// Whether data folder `root` has no automatic backup younger than `max_age`.
pub fn auto_backup_due(root: &Path, max_age: Duration) -> bool {
    let Some(latest) = latest_auto_backup(root) else {
        return true;
    };
    !fs::metadata(&latest)
        .and_then(|m| m.modified())
        .is_ok_and(|modified| modified.elapsed().is_ok_and(|age| age < max_age))
}

/// A new name for an automatic backup of `root`. Two backups within one millisecond would
/// share a name: wait for the next one, so that none is overwritten and the names keep
/// sorting by age.
fn new_auto_backup_path(root: &Path) -> PathBuf {
    let dir = DataDir::new(root);
    let mut dest = dir.auto_backup(&timestamp());
    while dest.exists() {
        std::thread::sleep(Duration::from_millis(1));
        dest = dir.auto_backup(&timestamp());
    }
    dest
}

/// Removes the automatic backups of `root` but the newest [`AUTO_KEEP`].
fn prune_auto_backups(root: &Path) {
    for old in auto_backups(root).into_iter().skip(AUTO_KEEP) {
        if let Err(e) = fs::remove_file(&old) {
            tracing::warn!("could not prune old backup {}: {e}", old.display());
        }
    }
}

/// Automatic backups of data folder `root`, newest first.
pub fn auto_backups(root: &Path) -> Vec<PathBuf> {
    let Ok(read) = fs::read_dir(backups_dir(root)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == EXTENSION)
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(layout::AUTO_BACKUP_PREFIX))
        })
        .collect();
    // Names carry a sortable timestamp.
    files.sort();
    files.reverse();
    files
}

/// The newest automatic backup of `root`, if any.
pub fn latest_auto_backup(root: &Path) -> Option<PathBuf> {
    auto_backups(root).into_iter().next()
}

/// The manifest of backup file `path`, read from the start of the archive only (the first
/// member, a regular file of at most [`MAX_MANIFEST_BYTES`], read through that limit).
fn read_manifest(path: &Path) -> Option<BackupManifest> {
    let file = File::open(path).ok()?;
    let mut archive = tar::Archive::new(GzDecoder::new(file));
    let mut entry = archive.entries().ok()?.raw(true).next()?.ok()?;
    if entry.header().entry_type() != tar::EntryType::Regular
        || entry.path_bytes().as_ref() != b"manifest.json"
        || entry.size() > MAX_MANIFEST_BYTES
    {
        return None;
    }
    let size = entry.size();
    let buf = restore::read_member(&mut entry, size, MAX_MANIFEST_BYTES).ok()?;
    serde_json::from_slice(&buf).ok()
}

/// Of the backups in `backups/` (automatic, before-restore, any other saved there), the one
/// whose manifest records the furthest audit id, with that id.
pub(crate) fn furthest_backup(root: &Path) -> Option<(PathBuf, u64)> {
    let read = fs::read_dir(backups_dir(root)).ok()?;
    read.filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == EXTENSION) && p.is_file())
        .filter_map(|p| {
            let mark = read_manifest(&p)?.last_audit?;
            Some((p, mark))
        })
        .max_by_key(|(_, mark)| *mark)
}

/// For a database that cannot be opened and has no backup to restore: moves the damaged
/// database (and the state record that flagged it) aside — nothing is deleted — so the data
/// folder opens again, empty. Returns where the damaged database now lies.
pub fn set_aside_damaged(root: &Path) -> Result<PathBuf, StoreError> {
    let _lock = lock_root(root)?;
    let db_path = crate::open::db_dir(root);
    let aside = DataDir::new(root).damaged_db(&timestamp());
    if db_path.exists() {
        fs::rename(&db_path, &aside).map_err(|e| StoreError::io(&db_path, e))?;
    } else {
        fs::create_dir_all(&aside).map_err(|e| StoreError::io(&aside, e))?;
    }
    let state = root.join(crate::open::STATE_FILE);
    if state.exists() {
        let kept = aside.join(format!("{}.folder", crate::open::STATE_FILE));
        fs::rename(&state, &kept).map_err(|e| StoreError::io(&state, e))?;
    }
    // The user chose to start over empty: record that (a mark of no changes), so the folder
    // opens as a checked new one rather than as an unverified database.
    write_state(root, 0)?;
    Ok(aside)
}
