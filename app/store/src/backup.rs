//! Backups: the whole desk (every tree plus the evidence files) in one `.anwei-backup` file
//! (a gzip-compressed tar), written atomically; automatic rotating backups in `backups/`;
//! restore that never deletes what it replaces without a backup of it.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::Local;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::keys;
use crate::migrate::{self, SCHEMA_VERSION};
use crate::store::{
    Store, TreeDump, db_dir, evidence_dir, lock_root, open_db, open_sled, write_state,
};

const FORMAT: &str = "anwei-backup";
const FORMAT_VERSION: u32 = 1;
/// File name extension of backups.
pub const EXTENSION: &str = "anwei-backup";
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
}

/// A backup file on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub manifest: BackupManifest,
    pub size: u64,
}

#[derive(Serialize, Deserialize)]
struct Trees(BTreeMap<String, Vec<(String, String)>>);

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

fn append_bytes<W: std::io::Write>(
    builder: &mut tar::Builder<W>,
    name: &str,
    bytes: &[u8],
) -> std::io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_cksum();
    builder.append_data(&mut header, name, bytes)
}

/// Writes a backup of database `db` (of data folder `root`) to `dest`, atomically.
fn write_backup(db: &sled::Db, root: &Path, dest: &Path) -> Result<BackupInfo, StoreError> {
    db.flush()?;
    let dump = dump_db(db)?;
    let meta = db.open_tree(keys::META)?;
    let manifest = BackupManifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        schema_version: migrate::read_version(&meta)?.unwrap_or(SCHEMA_VERSION),
        created_at: Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        counts: dump.iter().map(|(k, v)| (k.clone(), v.len())).collect(),
    };
    let trees = Trees(
        dump.into_iter()
            .map(|(name, kvs)| {
                (
                    name,
                    kvs.into_iter()
                        .map(|(k, v)| (hex::encode(k), hex::encode(v)))
                        .collect(),
                )
            })
            .collect(),
    );
    let dir = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| StoreError::io(dir, e))?;
    {
        let io = |e| StoreError::io(dest, e);
        let gz = GzEncoder::new(tmp.as_file(), Compression::default());
        let mut builder = tar::Builder::new(gz);
        append_bytes(
            &mut builder,
            "manifest.json",
            &serde_json::to_vec_pretty(&manifest)?,
        )
        .map_err(io)?;
        append_bytes(&mut builder, "trees.json", &serde_json::to_vec(&trees)?).map_err(io)?;
        let evidence = evidence_dir(root);
        if evidence.is_dir() {
            builder.append_dir_all("evidence", &evidence).map_err(io)?;
        }
        let gz = builder.into_inner().map_err(io)?;
        gz.finish().map_err(io)?;
    }
    tmp.as_file()
        .sync_all()
        .map_err(|e| StoreError::io(dest, e))?;
    tmp.persist(dest)
        .map_err(|e| StoreError::io(dest, e.error))?;
    let size = fs::metadata(dest)
        .map_err(|e| StoreError::io(dest, e))?
        .len();
    Ok(BackupInfo {
        path: dest.to_path_buf(),
        manifest,
        size,
    })
}

fn backups_dir(root: &Path) -> PathBuf {
    root.join("backups")
}

fn timestamp() -> String {
    Local::now().format("%Y%m%d-%H%M%S%.3f").to_string()
}

impl Store {
    /// Backs up the whole desk to `dest` (written atomically).
    pub fn backup_to(&self, dest: &Path) -> Result<BackupInfo, StoreError> {
        let info = write_backup(&self.db, self.root(), dest)?;
        self.record_state()?;
        Ok(info)
    }

    /// Writes an automatic backup into `backups/` and keeps the newest [`AUTO_KEEP`].
    pub fn auto_backup(&self) -> Result<BackupInfo, StoreError> {
        let dir = backups_dir(self.root());
        // Two backups within one millisecond would share a name; wait for the next one so
        // that none is overwritten and the names keep sorting by age.
        let mut dest = dir.join(format!("auto-{}.{EXTENSION}", timestamp()));
        while dest.exists() {
            std::thread::sleep(std::time::Duration::from_millis(1));
            dest = dir.join(format!("auto-{}.{EXTENSION}", timestamp()));
        }
        let info = self.backup_to(&dest)?;
        for old in auto_backups(self.root()).into_iter().skip(AUTO_KEEP) {
            if let Err(e) = fs::remove_file(&old) {
                tracing::warn!("could not prune old backup {}: {e}", old.display());
            }
        }
        Ok(info)
    }

    /// Writes an automatic backup unless the newest one is younger than `max_age`.
    pub fn auto_backup_if_due(
        &self,
        max_age: std::time::Duration,
    ) -> Result<Option<BackupInfo>, StoreError> {
        if let Some(latest) = latest_auto_backup(self.root())
            && let Ok(modified) = fs::metadata(&latest).and_then(|m| m.modified())
            && modified.elapsed().is_ok_and(|age| age < max_age)
        {
            return Ok(None);
        }
        self.auto_backup().map(Some)
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
                    .is_some_and(|n| n.to_string_lossy().starts_with("auto-"))
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

struct ReadBackup {
    manifest: BackupManifest,
    dump: TreeDump,
}

/// Reads a backup, unpacking its evidence files under `staging/evidence`.
fn read_backup(path: &Path, staging: &Path) -> Result<ReadBackup, StoreError> {
    let bad = |what: String| StoreError::BadBackup(format!("{}：{what}", path.display()));
    let file = File::open(path).map_err(|e| StoreError::io(path, e))?;
    let mut archive = tar::Archive::new(GzDecoder::new(file));
    let mut manifest: Option<BackupManifest> = None;
    let mut trees: Option<Trees> = None;
    let entries = archive
        .entries()
        .map_err(|e| bad(format!("不是 Anwei Desk 备份文件（{e}）")))?;
    for entry in entries {
        let mut entry =
            entry.map_err(|e| bad(format!("不是 Anwei Desk 备份文件或已损坏（{e}）")))?;
        let name = entry
            .path()
            .map_err(|e| bad(e.to_string()))?
            .to_string_lossy()
            .into_owned();
        match name.as_str() {
            "manifest.json" => {
                let mut buf = Vec::new();
                entry
                    .read_to_end(&mut buf)
                    .map_err(|e| bad(e.to_string()))?;
                manifest = Some(
                    serde_json::from_slice(&buf)
                        .map_err(|e| bad(format!("清单无法解析（{e}）")))?,
                );
            }
            "trees.json" => {
                let mut buf = Vec::new();
                entry
                    .read_to_end(&mut buf)
                    .map_err(|e| bad(e.to_string()))?;
                trees = Some(
                    serde_json::from_slice(&buf)
                        .map_err(|e| bad(format!("数据无法解析（{e}）")))?,
                );
            }
            n if n.starts_with("evidence") => {
                // unpack_in refuses paths that would leave `staging`.
                entry
                    .unpack_in(staging)
                    .map_err(|e| bad(format!("附件无法解出（{e}）")))?;
            }
            _ => {}
        }
    }
    let manifest = manifest.ok_or_else(|| bad("缺少清单 manifest.json".to_owned()))?;
    if manifest.format != FORMAT {
        return Err(bad(format!("格式“{}”不是 {FORMAT}", manifest.format)));
    }
    if manifest.format_version > FORMAT_VERSION {
        return Err(bad(format!(
            "备份格式版本 {} 比本程序新",
            manifest.format_version
        )));
    }
    if manifest.schema_version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found: manifest.schema_version,
            supported: SCHEMA_VERSION,
        });
    }
    let trees = trees.ok_or_else(|| bad("缺少数据 trees.json".to_owned()))?;
    let mut dump = TreeDump::new();
    for (name, kvs) in trees.0 {
        if !keys::ALL_TREES.contains(&name.as_str()) {
            return Err(bad(format!("未知的数据表“{name}”")));
        }
        let kvs = kvs
            .into_iter()
            .map(|(k, v)| Ok((hex::decode(k)?, hex::decode(v)?)))
            .collect::<Result<Vec<_>, hex::FromHexError>>()
            .map_err(|e| bad(format!("数据编码错误（{e}）")))?;
        dump.insert(name, kvs);
    }
    for (name, n) in &manifest.counts {
        if dump.get(name).map_or(0, Vec::len) != *n {
            return Err(bad(format!("数据表“{name}”的记录数与清单不符")));
        }
    }
    Ok(ReadBackup { manifest, dump })
}

/// What a restore did with the data it replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub manifest: BackupManifest,
    /// A backup of the replaced data, when it could be opened.
    pub previous_backup: Option<PathBuf>,
    /// Where a database that could not be opened was moved (never deleted).
    pub damaged_kept_at: Option<PathBuf>,
}

/// Restores data folder `root` from backup file `backup`. The folder must not be open (the
/// lock is taken). The data being replaced is first backed up (or, if it cannot be opened,
/// moved aside), so a restore never loses anything.
pub fn restore(root: &Path, backup: &Path) -> Result<RestoreReport, StoreError> {
    let _lock = lock_root(root)?;
    let staging = root.join(format!("restore-{}.tmp", timestamp()));
    fs::create_dir_all(&staging).map_err(|e| StoreError::io(&staging, e))?;
    let result = restore_staged(root, backup, &staging);
    if let Err(e) = fs::remove_dir_all(&staging) {
        tracing::warn!("could not remove {}: {e}", staging.display());
    }
    result
}

fn restore_staged(root: &Path, backup: &Path, staging: &Path) -> Result<RestoreReport, StoreError> {
    let read = read_backup(backup, staging)?;
    let new_db = staging.join("db");
    {
        let db = open_sled(&new_db)?;
        for (name, kvs) in &read.dump {
            let tree = db.open_tree(name)?;
            let mut batch = sled::Batch::default();
            for (k, v) in kvs {
                batch.insert(k.as_slice(), v.as_slice());
            }
            tree.apply_batch(batch)?;
        }
        db.flush()?;
    }
    let db_path = db_dir(root);
    let mut previous_backup = None;
    let mut damaged_kept_at = None;
    if db_path.exists() {
        let opened = open_db(root);
        match opened {
            Ok(old) => {
                let dest =
                    backups_dir(root).join(format!("before-restore-{}.{EXTENSION}", timestamp()));
                previous_backup = Some(write_backup(&old, root, &dest)?.path);
                drop(old);
                let aside = staging.join("old-db");
                fs::rename(&db_path, &aside).map_err(|e| StoreError::io(&db_path, e))?;
            }
            Err(e) => {
                tracing::warn!("replacing a database that does not open: {e}");
                let aside = root.join(format!("db.damaged-{}", timestamp()));
                fs::rename(&db_path, &aside).map_err(|e| StoreError::io(&db_path, e))?;
                damaged_kept_at = Some(aside);
            }
        }
    }
    fs::rename(&new_db, &db_path).map_err(|e| StoreError::io(&db_path, e))?;
    // The state file now describes the restored database.
    let last_audit = read
        .dump
        .get(keys::AUDIT)
        .and_then(|kvs| kvs.last())
        .and_then(|(k, _)| <[u8; 8]>::try_from(k.as_slice()).ok())
        .map_or(0, u64::from_be_bytes);
    write_state(root, last_audit)?;
    let evidence = evidence_dir(root);
    if evidence.exists() {
        let aside = match &damaged_kept_at {
            // Without a backup of the old data, keep its evidence beside the damaged db.
            Some(d) => d.with_extension("evidence"),
            None => staging.join("old-evidence"),
        };
        fs::rename(&evidence, &aside).map_err(|e| StoreError::io(&evidence, e))?;
    }
    let staged_evidence = staging.join("evidence");
    if staged_evidence.exists() {
        fs::rename(&staged_evidence, &evidence).map_err(|e| StoreError::io(&evidence, e))?;
    }
    Ok(RestoreReport {
        manifest: read.manifest,
        previous_backup,
        damaged_kept_at,
    })
}

/// For a database that cannot be opened and has no backup to restore: moves the damaged
/// database (and the state record that flagged it) aside — nothing is deleted — so the data
/// folder opens again, empty. Returns where the damaged database now lies.
pub fn set_aside_damaged(root: &Path) -> Result<PathBuf, StoreError> {
    let _lock = lock_root(root)?;
    let db_path = db_dir(root);
    let aside = root.join(format!("db.damaged-{}", timestamp()));
    if db_path.exists() {
        fs::rename(&db_path, &aside).map_err(|e| StoreError::io(&db_path, e))?;
    } else {
        fs::create_dir_all(&aside).map_err(|e| StoreError::io(&aside, e))?;
    }
    let state = root.join(crate::store::STATE_FILE);
    if state.exists() {
        let kept = aside.join(crate::store::STATE_FILE);
        fs::rename(&state, &kept).map_err(|e| StoreError::io(&state, e))?;
    }
    Ok(aside)
}
