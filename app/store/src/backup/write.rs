//! Writing a backup (format version 2) as a stream: the tar members go into the gzip encoder
//! as the trees are read, a chunk of rows at a time, so that memory stays at a chunk whatever
//! the size of the database. Changes wait (the store's write gate) while the trees are read.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

use chrono::Local;
use flate2::Compression;
use flate2::write::GzEncoder;

use super::{
    BackupInfo, BackupManifest, FORMAT, FORMAT_VERSION, new_auto_backup_path, prune_auto_backups,
};
use crate::error::StoreError;
use crate::keys;
use crate::migrate::{self, SCHEMA_VERSION};
use crate::open::{evidence_dir, last_audit_id, write_state};
use anwei_files::AtomicWrite;

/// Bytes of rows per data member a backup writes (a row larger than this gets a member of its
/// own). What a backup or a restore holds of the database at a time.
pub const CHUNK_BYTES: usize = 4 << 20;

/// gzip level: 1 (fastest). The rows are text-like and repetitive: level 6 makes files about
/// a tenth smaller at three times the time.
const LEVEL: u32 = 2;

/// How far a backup is: trees and rows read, evidence files copied, of how many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BackupProgress {
    pub trees_done: usize,
    pub trees_total: usize,
    pub rows_done: u64,
    pub rows_total: u64,
    pub files_done: u64,
    pub files_total: u64,
}

impl BackupProgress {
    /// 0.0 – 1.0: rows and evidence files done of all.
    pub fn fraction(&self) -> f32 {
        let total = self.rows_total + self.files_total;
        if total == 0 {
            return 0.0;
        }
        ((self.rows_done + self.files_done) as f64 / total as f64).min(1.0) as f32
    }
}

/// A backup that can run on any thread: [`crate::Store::backup_job`].
pub struct BackupJob {
    db: sled::Db,
    root: PathBuf,
    gate: Arc<RwLock<()>>,
    /// The data folder's lock (a handle of the store's), held while the job lives.
    _lock: Option<File>,
}

impl std::fmt::Debug for BackupJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackupJob")
            .field("root", &self.root)
            .finish()
    }
}

impl BackupJob {
    pub(super) fn new(
        db: sled::Db,
        root: PathBuf,
        gate: Arc<RwLock<()>>,
        lock: Option<File>,
    ) -> BackupJob {
        BackupJob {
            db,
            root,
            gate,
            _lock: lock,
        }
    }

    /// The data folder backed up.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Writes the backup to `dest` (atomically: nothing is left at `dest` or beside it if it
    /// fails), calling `progress` as it goes; then records in the state records how far the
    /// database had got.
    pub fn run(
        &self,
        dest: &Path,
        progress: &dyn Fn(BackupProgress),
    ) -> Result<BackupInfo, StoreError> {
        let info = write_backup(&self.db, &self.gate, &self.root, dest, progress)?;
        self.db.flush()?;
        write_state(&self.root, last_audit_id(&self.db)?)?;
        Ok(info)
    }

    /// An automatic backup into `backups/`, keeping the newest [`super::AUTO_KEEP`].
    pub fn run_auto(&self, progress: &dyn Fn(BackupProgress)) -> Result<BackupInfo, StoreError> {
        let info = self.run(&new_auto_backup_path(&self.root), progress)?;
        prune_auto_backups(&self.root);
        Ok(info)
    }
}

/// Writes a backup of database `db` (of data folder `root`) to `dest`, atomically. `gate` is
/// held exclusively while the trees are read.
pub(super) fn write_backup(
    db: &sled::Db,
    gate: &RwLock<()>,
    root: &Path,
    dest: &Path,
    progress: &dyn Fn(BackupProgress),
) -> Result<BackupInfo, StoreError> {
    let io = |e| StoreError::io(dest, e);
    let dir = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
    let evidence = evidence_dir(root);
    let mut done = BackupProgress {
        files_total: count_files(&evidence),
        ..BackupProgress::default()
    };
    let mut file = AtomicWrite::new(dest).open()?;
    let manifest = {
        let mut tar = tar::Builder::new(GzEncoder::new(&mut file, Compression::new(LEVEL)));
        let manifest = {
            let _no_changes = gate.write().unwrap_or_else(PoisonError::into_inner);
            write_trees(db, &mut tar, &mut done, progress, dest)?
        };
        append_evidence(&mut tar, &evidence, &mut done, progress, dest)?;
        tar.into_inner().map_err(io)?.finish().map_err(io)?;
        manifest
    };
    file.commit()?;
    let size = fs::metadata(dest).map_err(io)?.len();
    Ok(BackupInfo {
        path: dest.to_path_buf(),
        manifest,
        size,
    })
}

/// Appends `bytes` as regular file `name`.
fn append_bytes<W: Write>(tar: &mut tar::Builder<W>, name: &str, bytes: &[u8]) -> io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_cksum();
    tar.append_data(&mut header, name, bytes)
}

/// The name of data member `n` of `tree`.
pub(super) fn chunk_name(tree: &str, n: u64) -> String {
    format!("trees/{tree}/{n:06}.kv")
}

/// Appends one row to a data member.
fn push_row(chunk: &mut Vec<u8>, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
    let len = |b: &[u8]| {
        u32::try_from(b.len())
            .map_err(|_| StoreError::Invalid(format!("一条数据长 {} 字节，无法备份", b.len())))
    };
    chunk.extend_from_slice(&len(key)?.to_le_bytes());
    chunk.extend_from_slice(key);
    chunk.extend_from_slice(&len(value)?.to_le_bytes());
    chunk.extend_from_slice(value);
    Ok(())
}

/// Writes the manifest and every tree's rows (the caller holds the write gate); returns the
/// manifest.
fn write_trees<W: Write>(
    db: &sled::Db,
    tar: &mut tar::Builder<W>,
    done: &mut BackupProgress,
    progress: &dyn Fn(BackupProgress),
    dest: &Path,
) -> Result<BackupManifest, StoreError> {
    let io = |e| StoreError::io(dest, e);
    let trees = keys::ALL_TREES
        .iter()
        .map(|name| {
            let tree = db.open_tree(name)?;
            let n = tree.len();
            Ok((*name, tree, n))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let meta = db.open_tree(keys::META)?;
    let manifest = BackupManifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        schema_version: migrate::read_version(&meta)?.unwrap_or(SCHEMA_VERSION),
        created_at: Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        counts: trees
            .iter()
            .map(|(name, _, n)| ((*name).to_owned(), *n))
            .collect(),
        last_audit: Some(last_audit_id(db)?).filter(|id| *id > 0),
    };
    append_bytes(tar, "manifest.json", &serde_json::to_vec_pretty(&manifest)?).map_err(io)?;
    done.trees_total = trees.len();
    done.rows_total = trees.iter().map(|(_, _, n)| *n as u64).sum();
    progress(*done);
    let mut chunk = Vec::with_capacity(CHUNK_BYTES + (64 << 10));
    for (name, tree, expected) in &trees {
        let mut n = 0u64;
        let mut rows = 0usize;
        for kv in tree.iter() {
            let (k, v) = kv?;
            if !chunk.is_empty() && chunk.len() + 8 + k.len() + v.len() > CHUNK_BYTES {
                append_bytes(tar, &chunk_name(name, n), &chunk).map_err(io)?;
                chunk.clear();
                n += 1;
                progress(*done);
            }
            push_row(&mut chunk, &k, &v)?;
            rows += 1;
            done.rows_done += 1;
        }
        if !chunk.is_empty() {
            append_bytes(tar, &chunk_name(name, n), &chunk).map_err(io)?;
            chunk.clear();
        }
        if rows != *expected {
            // Only if something wrote past the gate: the backup would not be one moment.
            return Err(StoreError::Invalid(format!(
                "备份时数据表“{name}”被改动（{expected} 条变为 {rows} 条），请重新备份"
            )));
        }
        done.trees_done += 1;
        progress(*done);
    }
    Ok(manifest)
}

/// Files under `dir` that [`append_evidence`] will copy (0 when it does not exist).
fn count_files(dir: &Path) -> u64 {
    let mut n = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(read) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in read.filter_map(Result::ok) {
            if anwei_files::is_temp_name(&entry.file_name().to_string_lossy()) {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(entry.path()),
                Ok(_) => n += 1,
                Err(_) => {}
            }
        }
    }
    n
}

/// Appends the evidence folder `evidence` (as `evidence/…`): folders, and files with their
/// times and modes. Temporary files of copies being written are left out; a file that is
/// gone by the time it is read (the copy of a change that failed) too.
fn append_evidence<W: Write>(
    tar: &mut tar::Builder<W>,
    evidence: &Path,
    done: &mut BackupProgress,
    progress: &dyn Fn(BackupProgress),
    dest: &Path,
) -> Result<(), StoreError> {
    if !evidence.is_dir() {
        return Ok(());
    }
    let io = |e| StoreError::io(dest, e);
    tar.append_dir("evidence", evidence).map_err(io)?;
    let mut stack = vec![(evidence.to_path_buf(), PathBuf::from("evidence"))];
    while let Some((dir, name)) = stack.pop() {
        let read = fs::read_dir(&dir).map_err(|e| StoreError::io(&dir, e))?;
        for entry in read {
            let entry = entry.map_err(|e| StoreError::io(&dir, e))?;
            let path = entry.path();
            let inner = name.join(entry.file_name());
            if anwei_files::is_temp_name(&entry.file_name().to_string_lossy()) {
                continue;
            }
            let kind = entry.file_type().map_err(|e| StoreError::io(&path, e))?;
            if kind.is_dir() {
                tar.append_dir(&inner, &path).map_err(io)?;
                stack.push((path, inner));
                continue;
            }
            if kind.is_symlink() && path.is_dir() {
                tracing::warn!("backup: not following the folder link {}", path.display());
                continue;
            }
            let file = match File::open(&path) {
                Ok(f) => f,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(StoreError::io(&path, e)),
            };
            let meta = file.metadata().map_err(|e| StoreError::io(&path, e))?;
            if !meta.is_file() {
                tracing::warn!("backup: {} is not a regular file", path.display());
                continue;
            }
            let mut header = tar::Header::new_gnu();
            header.set_metadata_in_mode(&meta, tar::HeaderMode::Complete);
            let exact = Exact {
                inner: file,
                left: meta.len(),
            };
            tar.append_data(&mut header, &inner, exact)
                .map_err(|e| StoreError::io(&path, e))?;
            done.files_done += 1;
            progress(*done);
        }
    }
    Ok(())
}

/// Reads exactly `left` bytes of `inner` (the size written in the member's header), failing
/// if it ends sooner.
struct Exact<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Exact<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Ok(0);
        }
        let max = usize::try_from(self.left)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = self.inner.read(&mut buf[..max])?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "附件在备份时变短了",
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
}
