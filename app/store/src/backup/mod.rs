//! Backups: the whole desk (every tree plus the evidence files) in one `.anwei-backup` file
//! (a gzip-compressed tar), written atomically; automatic rotating backups in `backups/`;
//! restore that never deletes what it replaces without a backup of it.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use chrono::Local;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::keys;
use crate::migrate::{self, SCHEMA_VERSION};
use anwei_files::{AtomicWrite, DataDir, layout};

use crate::open::{db_dir, evidence_dir, lock_root, open_db, open_sled, write_state};
use crate::store::{Store, TreeDump};

const FORMAT: &str = "anwei-backup";
const FORMAT_VERSION: u32 = 1;
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
    let last_audit = dump
        .get(keys::AUDIT)
        .and_then(|kvs| kvs.last())
        .and_then(|(k, _)| <[u8; 8]>::try_from(k.as_slice()).ok())
        .map(u64::from_be_bytes);
    let meta = db.open_tree(keys::META)?;
    let manifest = BackupManifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        schema_version: migrate::read_version(&meta)?.unwrap_or(SCHEMA_VERSION),
        created_at: Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        counts: dump.iter().map(|(k, v)| (k.clone(), v.len())).collect(),
        last_audit,
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
    let mut file = AtomicWrite::new(dest).open()?;
    {
        let io = |e| StoreError::io(dest, e);
        let gz = GzEncoder::new(&mut file, Compression::default());
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
    file.commit()?;
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
    DataDir::new(root).backups()
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
        let dir = DataDir::new(self.root());
        // Two backups within one millisecond would share a name; wait for the next one so
        // that none is overwritten and the names keep sorting by age.
        let mut dest = dir.auto_backup(&timestamp());
        while dest.exists() {
            std::thread::sleep(std::time::Duration::from_millis(1));
            dest = dir.auto_backup(&timestamp());
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
    let buf = read_member(&mut entry, size, MAX_MANIFEST_BYTES).ok()?;
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

/// Bytes of `manifest.json` at most (a real one is under 1 KiB).
pub const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;
/// Bytes of `trees.json` at most: every tree of the database, hex-encoded. Generous for a real
/// office: a million ledger records of 1–2 KiB each come to 2–4 GiB hex-encoded. The file is
/// read into memory, so this is also (about a third of) the memory a restore may take.
pub const MAX_TREES_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// Bytes of one evidence file at most (a long video of an inspection fits).
pub const MAX_EVIDENCE_FILE_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// Bytes of all evidence files of one backup together at most: what a restore may write to
/// the disk (years of photos and scanned documents of an office fit).
pub const MAX_EVIDENCE_TOTAL_BYTES: u64 = 64 * 1024 * 1024 * 1024;
/// Members (files and folders) of one backup at most: manifest, data and evidence.
pub const MAX_BACKUP_ENTRIES: u64 = 200_000;
/// Bytes of one member's name at most (a GNU long name; [`anwei_core::limits::MAX_PATH_CHARS`]
/// characters of up to 4 bytes each).
const MAX_MEMBER_NAME_BYTES: u64 = 4 * 4096;

/// What a restore reads from a backup file at most. Each member of the backup is read once,
/// through its limit, and a backup over any limit is refused (before the data folder is
/// touched) with a message that names the limit. [`RestoreLimits::DEFAULT`] is what
/// [`restore`] uses; [`restore_with_limits`] takes others (tighter ones, or small ones in
/// tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestoreLimits {
    /// Bytes of `manifest.json`.
    pub manifest_bytes: u64,
    /// Bytes of `trees.json`.
    pub trees_bytes: u64,
    /// Bytes of one evidence file.
    pub evidence_file_bytes: u64,
    /// Bytes of all evidence files together.
    pub evidence_total_bytes: u64,
    /// Members of the archive (files and folders).
    pub entries: u64,
}

impl RestoreLimits {
    /// The limits of every restore: [`MAX_MANIFEST_BYTES`], [`MAX_TREES_BYTES`],
    /// [`MAX_EVIDENCE_FILE_BYTES`], [`MAX_EVIDENCE_TOTAL_BYTES`], [`MAX_BACKUP_ENTRIES`].
    pub const DEFAULT: RestoreLimits = RestoreLimits {
        manifest_bytes: MAX_MANIFEST_BYTES,
        trees_bytes: MAX_TREES_BYTES,
        evidence_file_bytes: MAX_EVIDENCE_FILE_BYTES,
        evidence_total_bytes: MAX_EVIDENCE_TOTAL_BYTES,
        entries: MAX_BACKUP_ENTRIES,
    };
}

impl Default for RestoreLimits {
    fn default() -> Self {
        RestoreLimits::DEFAULT
    }
}

/// A tar entry type in Chinese, for refusals.
fn entry_kind_zh(kind: tar::EntryType) -> String {
    match kind {
        tar::EntryType::GNUSparse => "稀疏文件".into(),
        tar::EntryType::Symlink => "符号链接".into(),
        tar::EntryType::Link => "硬链接".into(),
        tar::EntryType::Char => "字符设备".into(),
        tar::EntryType::Block => "块设备".into(),
        tar::EntryType::Directory => "文件夹".into(),
        tar::EntryType::Fifo => "管道".into(),
        tar::EntryType::Continuous => "连续文件".into(),
        tar::EntryType::GNULongLink => "GNU 长链接名".into(),
        tar::EntryType::XHeader => "PAX 扩展头".into(),
        tar::EntryType::XGlobalHeader => "PAX 全局扩展头".into(),
        other => format!("类型代码 {}", other.as_byte().escape_ascii()),
    }
}

/// Reads all of `entry` (which declares `declared` bytes, at most `limit`) into memory,
/// through `limit`.
fn read_member<R: Read>(entry: &mut R, declared: u64, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(usize::try_from(declared.min(1 << 20)).unwrap_or(0));
    entry
        .by_ref()
        .take(limit.min(declared))
        .read_to_end(&mut buf)?;
    Ok(buf)
}

struct ReadBackup {
    manifest: BackupManifest,
    dump: TreeDump,
}

/// Reads a backup, unpacking its evidence files under `staging/evidence`, within `limits`.
///
/// The archive is read in raw mode, so that nothing is read that was not checked first: the
/// manifest must be the first member and is checked before the rest is read; only regular
/// files (and folders under `evidence/`) are accepted — sparse files, links, devices, pipes
/// and PAX headers are refused by name, before any of their data is read; a GNU long name is
/// read through [`MAX_MEMBER_NAME_BYTES`]; every member is read once, through its limit;
/// `manifest.json`, `trees.json` and each evidence file may appear once.
fn read_backup(
    path: &Path,
    staging: &Path,
    limits: &RestoreLimits,
) -> Result<ReadBackup, StoreError> {
    let bad = |what: String| StoreError::BadBackup(format!("{}：{what}", path.display()));
    // Refusals of a backup over a limit or of a forbidden kind: they say that nothing changed.
    let refuse = |what: String| {
        bad(format!(
            "{what}。已拒绝恢复，当前数据没有任何改动；请换一个由 Anwei Desk 写出的备份文件"
        ))
    };
    let file = File::open(path).map_err(|e| StoreError::io(path, e))?;
    let mut archive = tar::Archive::new(GzDecoder::new(file));
    let mut manifest: Option<BackupManifest> = None;
    let mut trees_json: Option<Vec<u8>> = None;
    let mut long_name: Option<Vec<u8>> = None;
    let mut members: u64 = 0;
    let mut evidence_total: u64 = 0;
    let entries = archive
        .entries()
        .map_err(|e| bad(format!("不是 Anwei Desk 备份文件（{e}）")))?
        .raw(true);
    for entry in entries {
        let mut entry =
            entry.map_err(|e| bad(format!("不是 Anwei Desk 备份文件或已损坏（{e}）")))?;
        let kind = entry.header().entry_type();
        let declared = entry.size();
        let pending_name = long_name.take();
        if kind == tar::EntryType::GNULongName {
            if pending_name.is_some() {
                return Err(refuse("备份中有两个连续的长文件名头".to_owned()));
            }
            if declared > MAX_MEMBER_NAME_BYTES {
                return Err(refuse(format!(
                    "备份中一个成员的文件名长 {declared} 字节，超过上限 {MAX_MEMBER_NAME_BYTES} 字节"
                )));
            }
            let mut name = read_member(&mut entry, declared, MAX_MEMBER_NAME_BYTES)
                .map_err(|e| bad(format!("不是 Anwei Desk 备份文件或已损坏（{e}）")))?;
            while name.last() == Some(&0) {
                name.pop();
            }
            long_name = Some(name);
            continue;
        }
        let name_bytes = pending_name.unwrap_or_else(|| entry.path_bytes().into_owned());
        let shown: String = String::from_utf8_lossy(&name_bytes)
            .chars()
            .take(200)
            .collect::<String>()
            .escape_debug()
            .to_string();
        members += 1;
        if members > limits.entries {
            return Err(refuse(format!(
                "备份的成员（文件和文件夹）超过上限 {} 个",
                limits.entries
            )));
        }
        let is_dir = kind == tar::EntryType::Directory;
        if kind != tar::EntryType::Regular && !is_dir {
            return Err(refuse(format!(
                "备份中的“{shown}”不是普通文件（类型：{}），备份只能含普通文件和附件文件夹",
                entry_kind_zh(kind)
            )));
        }
        let Ok(name) = std::str::from_utf8(&name_bytes) else {
            return Err(refuse(format!("备份中的“{shown}”的文件名不是 UTF-8 编码")));
        };
        let name = name.trim_end_matches('/');
        if members == 1 && name != "manifest.json" {
            return Err(bad(format!(
                "缺少清单 manifest.json（它应是备份中的第一个文件，这里是“{shown}”）"
            )));
        }
        match name {
            "manifest.json" | "trees.json" if is_dir => {
                return Err(refuse(format!("备份中的“{shown}”是文件夹，不是文件")));
            }
            "manifest.json" => {
                if manifest.is_some() {
                    return Err(refuse("备份中 manifest.json 出现了不止一次".to_owned()));
                }
                if declared > limits.manifest_bytes {
                    return Err(refuse(format!(
                        "清单 manifest.json 有 {declared} 字节，超过上限 {} 字节",
                        limits.manifest_bytes
                    )));
                }
                let buf = read_member(&mut entry, declared, limits.manifest_bytes)
                    .map_err(|e| bad(format!("清单无法读出（{e}）")))?;
                if buf.len() as u64 != declared {
                    return Err(bad("清单 manifest.json 不完整，备份已损坏".to_owned()));
                }
                let read: BackupManifest = serde_json::from_slice(&buf)
                    .map_err(|e| bad(format!("清单无法解析（{e}）")))?;
                check_manifest(&read).map_err(|e| match e {
                    ManifestProblem::Bad(what) => bad(what),
                    ManifestProblem::TooNew(found) => StoreError::TooNew {
                        found,
                        supported: SCHEMA_VERSION,
                    },
                })?;
                manifest = Some(read);
            }
            "trees.json" => {
                if trees_json.is_some() {
                    return Err(refuse("备份中 trees.json 出现了不止一次".to_owned()));
                }
                if declared > limits.trees_bytes {
                    return Err(refuse(format!(
                        "数据 trees.json 有 {declared} 字节，超过上限 {} 字节",
                        limits.trees_bytes
                    )));
                }
                let buf = read_member(&mut entry, declared, limits.trees_bytes)
                    .map_err(|e| bad(format!("数据无法读出（{e}）")))?;
                if buf.len() as u64 != declared {
                    return Err(bad("数据 trees.json 不完整，备份已损坏".to_owned()));
                }
                trees_json = Some(buf);
            }
            _ => {
                let rel = evidence_path(name).ok_or_else(|| {
                    refuse(format!(
                        "备份中有未知的文件“{shown}”（备份只含 manifest.json、trees.json 和 evidence/ 下的附件）"
                    ))
                })?;
                let dest = staging.join(rel);
                if is_dir {
                    fs::create_dir_all(&dest)
                        .map_err(|e| bad(format!("附件文件夹“{shown}”无法建立（{e}）")))?;
                    continue;
                }
                if declared > limits.evidence_file_bytes {
                    return Err(refuse(format!(
                        "附件“{shown}”有 {declared} 字节，超过单个附件的上限 {} 字节",
                        limits.evidence_file_bytes
                    )));
                }
                evidence_total = evidence_total.saturating_add(declared);
                if evidence_total > limits.evidence_total_bytes {
                    return Err(refuse(format!(
                        "附件合计超过上限 {} 字节",
                        limits.evidence_total_bytes
                    )));
                }
                unpack_evidence(&mut entry, declared, &dest, &shown, limits).map_err(bad)?;
            }
        }
    }
    if long_name.is_some() {
        return Err(bad("备份末尾的长文件名头后没有成员，备份已损坏".to_owned()));
    }
    let manifest = manifest.ok_or_else(|| bad("缺少清单 manifest.json".to_owned()))?;
    let trees_json = trees_json.ok_or_else(|| bad("缺少数据 trees.json".to_owned()))?;
    let trees: Trees =
        serde_json::from_slice(&trees_json).map_err(|e| bad(format!("数据无法解析（{e}）")))?;
    drop(trees_json);
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

enum ManifestProblem {
    Bad(String),
    TooNew(u32),
}

/// Whether this program can restore a backup with `manifest`.
fn check_manifest(manifest: &BackupManifest) -> Result<(), ManifestProblem> {
    if manifest.format != FORMAT {
        return Err(ManifestProblem::Bad(format!(
            "格式“{}”不是 {FORMAT}",
            manifest.format
        )));
    }
    if manifest.format_version > FORMAT_VERSION {
        return Err(ManifestProblem::Bad(format!(
            "备份格式版本 {} 比本程序新",
            manifest.format_version
        )));
    }
    if manifest.schema_version > SCHEMA_VERSION {
        return Err(ManifestProblem::TooNew(manifest.schema_version));
    }
    Ok(())
}

/// `name` as a relative path under `evidence/` made of plain components only (no `..`, no
/// root, no drive), or `None`.
fn evidence_path(name: &str) -> Option<PathBuf> {
    let path = Path::new(name);
    let mut components = path.components();
    if components.next()? != Component::Normal("evidence".as_ref()) {
        return None;
    }
    components
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| path.to_path_buf())
}

/// Writes evidence member `entry` (of `declared` bytes, within the limits) to the new file
/// `dest`, reading it through its limit.
fn unpack_evidence<R: Read>(
    entry: &mut tar::Entry<'_, R>,
    declared: u64,
    dest: &Path,
    shown: &str,
    limits: &RestoreLimits,
) -> Result<(), String> {
    if let Some(parent) = dest.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("附件“{shown}”无法解出（{e}）"))?;
    }
    let mut out = File::options()
        .write(true)
        .create_new(true)
        .open(dest)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                format!("备份中附件“{shown}”出现了不止一次")
            } else {
                format!("附件“{shown}”无法解出（{e}）")
            }
        })?;
    let copied = std::io::copy(
        &mut entry
            .by_ref()
            .take(declared.min(limits.evidence_file_bytes)),
        &mut out,
    )
    .map_err(|e| format!("附件“{shown}”无法解出（{e}）"))?;
    if copied != declared {
        return Err(format!("附件“{shown}”不完整，备份已损坏"));
    }
    if let Ok(mtime) = entry.header().mtime() {
        let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(mtime);
        if let Err(e) = out.set_modified(when) {
            tracing::warn!("could not set the time of {}: {e}", dest.display());
        }
    }
    Ok(())
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
///
/// The backup is read within [`RestoreLimits::DEFAULT`]; one over a limit, or holding anything
/// but regular files (sparse files, links, devices…), is refused before the data folder is
/// touched.
pub fn restore(root: &Path, backup: &Path) -> Result<RestoreReport, StoreError> {
    restore_with_limits(root, backup, &RestoreLimits::DEFAULT)
}

/// [`restore`] within other limits than the default ones.
pub fn restore_with_limits(
    root: &Path,
    backup: &Path,
    limits: &RestoreLimits,
) -> Result<RestoreReport, StoreError> {
    let _lock = lock_root(root)?;
    let staging = DataDir::new(root).restore_staging(&timestamp());
    fs::create_dir_all(&staging).map_err(|e| StoreError::io(&staging, e))?;
    let result = restore_staged(root, backup, &staging, limits);
    if let Err(e) = fs::remove_dir_all(&staging) {
        tracing::warn!("could not remove {}: {e}", staging.display());
    }
    result
}

fn restore_staged(
    root: &Path,
    backup: &Path,
    staging: &Path,
    limits: &RestoreLimits,
) -> Result<RestoreReport, StoreError> {
    let read = read_backup(backup, staging, limits)?;
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
        let opened = open_db(root).map(|(db, _)| db);
        match opened {
            Ok(old) => {
                let dest = DataDir::new(root).before_restore_backup(&timestamp());
                previous_backup = Some(write_backup(&old, root, &dest)?.path);
                drop(old);
                let aside = staging.join("old-db");
                fs::rename(&db_path, &aside).map_err(|e| StoreError::io(&db_path, e))?;
            }
            Err(e) => {
                tracing::warn!("replacing a database that does not open: {e}");
                let aside = DataDir::new(root).damaged_db(&timestamp());
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
