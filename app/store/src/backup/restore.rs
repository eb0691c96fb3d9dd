//! Restoring a backup, as a stream: the archive is read once, member by member, each through
//! its limit; rows go into a new database in a staging folder as they are read (a batch per
//! data member), evidence files into the staging folder; only a backup read to its end, with
//! every count and checksum right, replaces the data folder's database and evidence.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufReader, Read};
use std::path::{Component, Path, PathBuf};

use flate2::read::GzDecoder;
use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};

use super::write::{chunk_name, write_backup};
use super::{BackupManifest, FORMAT, FORMAT_VERSION, timestamp};
use crate::error::StoreError;
use crate::keys;
use crate::migrate::SCHEMA_VERSION;
use crate::open::{db_dir, evidence_dir, last_audit_id, lock_root, open_db, write_state};
use anwei_files::DataDir;

/// Bytes of `manifest.json` at most (a real one is under 1 KiB).
pub const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;
/// Bytes of the data at most: `trees.json` (format 1) or all data members together (format
/// 2). Rows are written to the new database as they are read, so this bounds the disk a
/// restore fills and the time it takes, not its memory. Generous for a real office: a million
/// ledger records with their audit records come to a few GiB (twice that hex-encoded).
pub const MAX_TREES_BYTES: u64 = 16 * 1024 * 1024 * 1024;
/// Bytes of one data member at most (format 2; they are written at about
/// [`super::CHUNK_BYTES`], larger only for a single larger row). A member is read into memory
/// whole: this bounds the memory of a restore.
pub const MAX_CHUNK_BYTES: u64 = 64 * 1024 * 1024;
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
/// Page cache of the database being restored: it is only written.
const RESTORE_CACHE_BYTES: u64 = 16 * 1024 * 1024;
/// Rows are written to the new database in batches of about this many bytes: sled 0.34 holds
/// several times a batch in memory while it applies it (measured on 100k records: batches of
/// 4 MiB peak at 760 MiB, of 512 KiB at 280 MiB, and are no slower).
const BATCH_BYTES: usize = 512 << 10;

/// What a restore reads from a backup file at most. Each member of the backup is read once,
/// through its limit, and a backup over any limit is refused (before the data folder is
/// touched) with a message that names the limit. [`RestoreLimits::DEFAULT`] is what
/// [`restore`] uses; [`restore_with_limits`] takes others (tighter ones, or small ones in
/// tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestoreLimits {
    /// Bytes of `manifest.json`.
    pub manifest_bytes: u64,
    /// Bytes of the data: `trees.json`, or all data members together.
    pub trees_bytes: u64,
    /// Bytes of one data member (`trees/<tree>/<n>.kv`).
    pub chunk_bytes: u64,
    /// Bytes of one evidence file.
    pub evidence_file_bytes: u64,
    /// Bytes of all evidence files together.
    pub evidence_total_bytes: u64,
    /// Members of the archive (files and folders).
    pub entries: u64,
}

impl RestoreLimits {
    /// The limits of every restore: [`MAX_MANIFEST_BYTES`], [`MAX_TREES_BYTES`],
    /// [`MAX_CHUNK_BYTES`], [`MAX_EVIDENCE_FILE_BYTES`], [`MAX_EVIDENCE_TOTAL_BYTES`],
    /// [`MAX_BACKUP_ENTRIES`].
    pub const DEFAULT: RestoreLimits = RestoreLimits {
        manifest_bytes: MAX_MANIFEST_BYTES,
        trees_bytes: MAX_TREES_BYTES,
        chunk_bytes: MAX_CHUNK_BYTES,
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

/// Why reading the (compressed) backup failed, in words for the user.
fn read_failure(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => {
            "文件不完整，在中途被截断（可能没有复制或下载完）".to_owned()
        }
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => {
            format!("文件已损坏，压缩的数据无法解开（{e}）")
        }
        _ => format!("文件已损坏（{e}）"),
    }
}

/// Reads all of `entry` (which declares `declared` bytes, at most `limit`) into memory,
/// through `limit`.
pub(super) fn read_member<R: Read>(
    entry: &mut R,
    declared: u64,
    limit: u64,
) -> io::Result<Vec<u8>> {
    let mut buf =
        Vec::with_capacity(usize::try_from(declared.min(limit).min(64 << 20)).unwrap_or(0));
    entry
        .by_ref()
        .take(limit.min(declared))
        .read_to_end(&mut buf)?;
    Ok(buf)
}

/// The refusal of backup `path`: "备份文件无效：<path>：<what>".
fn bad(path: &Path, what: impl std::fmt::Display) -> StoreError {
    StoreError::BadBackup(format!("{}：{what}", path.display()))
}

/// A refusal of a backup over a limit or of a forbidden kind: it says that nothing changed.
fn refuse(path: &Path, what: impl std::fmt::Display) -> StoreError {
    bad(
        path,
        format!("{what}。已拒绝恢复，当前数据没有任何改动；请换一个由 Anwei Desk 写出的备份文件"),
    )
}

/// One tree of the database being restored.
struct TreeIn {
    tree: sled::Tree,
    rows: usize,
    /// The last key written: keys come in order, each once.
    last: Option<Vec<u8>>,
    /// Data members (format 2) read, or 1 once `trees.json` named the tree.
    parts: u64,
}

/// Where the rows of a backup go as they are read: the new database, a batch at a time.
struct Sink<'a> {
    path: &'a Path,
    db: sled::Db,
    counts: BTreeMap<String, usize>,
    trees: BTreeMap<&'static str, TreeIn>,
    batch: sled::Batch,
    batch_bytes: usize,
    /// The tree of the pending batch.
    batch_tree: Option<&'static str>,
    /// What went wrong inside the JSON reader of a format-1 backup.
    failed: Option<StoreError>,
}

impl<'a> Sink<'a> {
    fn new(
        path: &'a Path,
        dir: &Path,
        counts: BTreeMap<String, usize>,
    ) -> Result<Self, StoreError> {
        let db = sled::Config::new()
            .path(dir)
            .cache_capacity(RESTORE_CACHE_BYTES)
            .open()?;
        Ok(Sink {
            path,
            db,
            counts,
            trees: BTreeMap::new(),
            batch: sled::Batch::default(),
            batch_bytes: 0,
            batch_tree: None,
            failed: None,
        })
    }

    /// Tree `name`, opened; `part`: the data member of it about to be read (format 2), or
    /// `None` for a tree of `trees.json`, which must come once.
    fn begin(&mut self, name: &str, part: Option<u64>) -> Result<&'static str, StoreError> {
        let Some(name) = keys::ALL_TREES.iter().copied().find(|t| *t == name) else {
            return Err(bad(
                self.path,
                format!("未知的数据表“{}”", name.escape_debug()),
            ));
        };
        self.flush()?;
        if !self.trees.contains_key(name) {
            let tree = self.db.open_tree(name)?;
            self.trees.insert(
                name,
                TreeIn {
                    tree,
                    rows: 0,
                    last: None,
                    parts: 0,
                },
            );
        }
        let Some(t) = self.trees.get_mut(name) else {
            return Err(bad(self.path, format!("未知的数据表“{name}”")));
        };
        let expected = part.unwrap_or(0);
        if t.parts != expected {
            return Err(match part {
                None => refuse(self.path, format!("数据表“{name}”出现了不止一次")),
                Some(n) => bad(
                    self.path,
                    format!(
                        "数据段 {} 缺失或顺序错乱（应为 {}），备份已损坏",
                        chunk_name(name, n),
                        chunk_name(name, t.parts)
                    ),
                ),
            });
        }
        t.parts += 1;
        self.batch_tree = Some(name);
        Ok(name)
    }

    /// Row `key` = `value` of tree `name` (begun).
    fn put(&mut self, name: &'static str, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        let Some(t) = self.trees.get_mut(name) else {
            return Err(bad(self.path, format!("未知的数据表“{name}”")));
        };
        if t.last.as_deref().is_some_and(|last| last >= key) {
            return Err(bad(
                self.path,
                format!("数据表“{name}”中的记录顺序错乱或重复，备份已损坏"),
            ));
        }
        t.rows += 1;
        let expected = self.counts.get(name).copied().unwrap_or(0);
        if t.rows > expected {
            return Err(bad(
                self.path,
                format!("数据表“{name}”的记录比清单所记的 {expected} 条多，备份已损坏"),
            ));
        }
        match &mut t.last {
            Some(last) => {
                last.clear();
                last.extend_from_slice(key);
            }
            None => t.last = Some(key.to_vec()),
        }
        self.batch.insert(key, value);
        self.batch_bytes += 8 + key.len() + value.len();
        if self.batch_bytes >= BATCH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the pending batch (into the tree begun last).
    fn flush(&mut self) -> Result<(), StoreError> {
        if self.batch_bytes == 0 {
            return Ok(());
        }
        if let Some(name) = self.batch_tree
            && let Some(t) = self.trees.get(name)
        {
            t.tree.apply_batch(std::mem::take(&mut self.batch))?;
        }
        self.batch_bytes = 0;
        Ok(())
    }

    /// Rows of format-2 data member `name` (the `n`th of `tree`), `bytes`.
    fn chunk(&mut self, tree: &str, n: u64, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let tree = self.begin(tree, Some(n))?;
        let broken = || bad(self.path, format!("数据段 {name} 格式错误，备份已损坏"));
        let mut rest = bytes;
        let take = |rest: &mut &[u8]| -> Option<usize> {
            let (len, tail) = rest.split_first_chunk::<4>()?;
            let len = usize::try_from(u32::from_le_bytes(*len)).ok()?;
            if tail.len() < len {
                return None;
            }
            *rest = tail;
            Some(len)
        };
        while !rest.is_empty() {
            let k = take(&mut rest).ok_or_else(broken)?;
            let (key, tail) = rest.split_at(k);
            rest = tail;
            let v = take(&mut rest).ok_or_else(broken)?;
            let (value, tail) = rest.split_at(v);
            rest = tail;
            self.put(tree, key, value)?;
        }
        self.flush()
    }

    /// The new database, complete: every count as the manifest says. Returns its newest audit
    /// id.
    fn finish(mut self) -> Result<u64, StoreError> {
        self.flush()?;
        for (name, n) in &self.counts {
            let rows = self.trees.get(name.as_str()).map_or(0, |t| t.rows);
            if rows != *n {
                return Err(bad(
                    self.path,
                    format!("数据表“{name}”的记录数与清单不符（清单 {n} 条，备份中 {rows} 条）"),
                ));
            }
        }
        for name in keys::ALL_TREES {
            self.db.open_tree(name)?;
        }
        self.db.flush()?;
        last_audit_id(&self.db)
    }
}

/// `trees.json` of a format-1 backup, read as a stream: `{"tree": [["key hex", "value hex"],
/// …], …}`, each row written to the sink as it is read.
struct V1Trees<'s, 'a>(&'s mut Sink<'a>);

impl<'de> DeserializeSeed<'de> for V1Trees<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for V1Trees<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("数据表")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let sink = self.0;
        while let Some(name) = map.next_key::<String>()? {
            let tree = match sink.begin(&name, None) {
                Ok(t) => t,
                Err(e) => {
                    sink.failed = Some(e);
                    return Err(A::Error::custom("数据表无效"));
                }
            };
            map.next_value_seed(V1Tree {
                sink: &mut *sink,
                tree,
            })?;
        }
        Ok(())
    }
}

struct V1Tree<'s, 'a> {
    sink: &'s mut Sink<'a>,
    tree: &'static str,
}

impl<'de> DeserializeSeed<'de> for V1Tree<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for V1Tree<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("数据表的记录")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let (sink, tree) = (self.sink, self.tree);
        let (mut key, mut value) = (Vec::new(), Vec::new());
        while let Some((k, v)) = seq.next_element::<(String, String)>()? {
            let decoded = decode_hex(&k, &mut key).and_then(|()| decode_hex(&v, &mut value));
            let written = match decoded {
                Ok(()) => sink.put(tree, &key, &value),
                Err(e) => Err(bad(sink.path, format!("数据编码错误（{e}）"))),
            };
            if let Err(e) = written {
                sink.failed = Some(e);
                return Err(A::Error::custom("记录无效"));
            }
        }
        Ok(())
    }
}

fn decode_hex(text: &str, out: &mut Vec<u8>) -> Result<(), hex::FromHexError> {
    out.resize(text.len() / 2, 0);
    hex::decode_to_slice(text, out)
}

/// Reads `trees.json` (`declared` bytes, within the limits) from `entry` into the sink.
fn read_trees_json<R: Read>(
    entry: R,
    declared: u64,
    sink: &mut Sink<'_>,
) -> Result<(), StoreError> {
    let reader = BufReader::with_capacity(256 << 10, entry.take(declared));
    let mut de = serde_json::Deserializer::from_reader(reader);
    let read = V1Trees(&mut *sink)
        .deserialize(&mut de)
        .and_then(|()| de.end());
    match read {
        Ok(()) => sink.flush(),
        Err(e) => Err(match sink.failed.take() {
            Some(failed) => failed,
            None if e.is_io() => bad(
                sink.path,
                format!("备份{}", read_failure(&io::Error::from(e))),
            ),
            None if e.is_eof() => bad(sink.path, "数据 trees.json 不完整，备份已损坏"),
            None => bad(sink.path, format!("数据 trees.json 无法解析（{e}）")),
        }),
    }
}

/// What reading a backup gave: its manifest and the newest audit id of the new database.
struct ReadBackup {
    manifest: BackupManifest,
    last_audit: u64,
}

/// Reads a backup into `staging`: rows into a new database `staging/db`, evidence files under
/// `staging/evidence`, within `limits`.
///
/// The archive is read in raw mode, so that nothing is read that was not checked first: the
/// manifest must be the first member and is checked before the rest is read; only regular
/// files (and folders under `evidence/`) are accepted — sparse files, links, devices, pipes
/// and PAX headers are refused by name, before any of their data is read; a GNU long name is
/// read through [`MAX_MEMBER_NAME_BYTES`]; every member is read once, through its limit, and
/// may appear once; the gzip checksum at the end is checked.
fn read_backup(
    path: &Path,
    staging: &Path,
    limits: &RestoreLimits,
) -> Result<ReadBackup, StoreError> {
    let file = File::open(path).map_err(|e| StoreError::io(path, e))?;
    let mut archive = tar::Archive::new(GzDecoder::new(file));
    let mut manifest: Option<BackupManifest> = None;
    let mut sink: Option<Sink<'_>> = None;
    let mut counts = BTreeMap::new();
    let mut trees_json = false;
    let mut long_name: Option<Vec<u8>> = None;
    let mut members: u64 = 0;
    let mut data_total: u64 = 0;
    let mut evidence_total: u64 = 0;
    let damaged = |members: u64, e: &io::Error| {
        if members == 0 {
            bad(
                path,
                format!("不是 Anwei Desk 备份文件，或{}", read_failure(e)),
            )
        } else {
            bad(path, format!("备份{}", read_failure(e)))
        }
    };
    let entries = archive.entries().map_err(|e| damaged(0, &e))?.raw(true);
    for entry in entries {
        let mut entry = entry.map_err(|e| damaged(members, &e))?;
        let kind = entry.header().entry_type();
        let declared = entry.size();
        let pending_name = long_name.take();
        if kind == tar::EntryType::GNULongName {
            if pending_name.is_some() {
                return Err(refuse(path, "备份中有两个连续的长文件名头"));
            }
            if declared > MAX_MEMBER_NAME_BYTES {
                return Err(refuse(
                    path,
                    format!(
                        "备份中一个成员的文件名长 {declared} 字节，超过上限 {MAX_MEMBER_NAME_BYTES} 字节"
                    ),
                ));
            }
            let mut name = read_member(&mut entry, declared, MAX_MEMBER_NAME_BYTES)
                .map_err(|e| damaged(members, &e))?;
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
            return Err(refuse(
                path,
                format!("备份的成员（文件和文件夹）超过上限 {} 个", limits.entries),
            ));
        }
        let is_dir = kind == tar::EntryType::Directory;
        if kind != tar::EntryType::Regular && !is_dir {
            return Err(refuse(
                path,
                format!(
                    "备份中的“{shown}”不是普通文件（类型：{}），备份只能含普通文件和附件文件夹",
                    entry_kind_zh(kind)
                ),
            ));
        }
        let Ok(name) = std::str::from_utf8(&name_bytes) else {
            return Err(refuse(
                path,
                format!("备份中的“{shown}”的文件名不是 UTF-8 编码"),
            ));
        };
        let name = name.trim_end_matches('/');
        if members == 1 && name != "manifest.json" {
            return Err(bad(
                path,
                format!("缺少清单 manifest.json（它应是备份中的第一个文件，这里是“{shown}”）"),
            ));
        }
        let version = manifest.as_ref().map_or(0, |m| m.format_version);
        let chunk = (version >= 2).then(|| chunk_of(name)).flatten();
        let is_data = name == "trees.json" || chunk.is_some();
        if (name == "manifest.json" || is_data) && is_dir {
            return Err(refuse(path, format!("备份中的“{shown}”是文件夹，不是文件")));
        }
        if name == "manifest.json" {
            if manifest.is_some() {
                return Err(refuse(path, "备份中 manifest.json 出现了不止一次"));
            }
            if declared > limits.manifest_bytes {
                return Err(refuse(
                    path,
                    format!(
                        "清单 manifest.json 有 {declared} 字节，超过上限 {} 字节",
                        limits.manifest_bytes
                    ),
                ));
            }
            let buf = read_member(&mut entry, declared, limits.manifest_bytes)
                .map_err(|e| damaged(members, &e))?;
            if buf.len() as u64 != declared {
                return Err(bad(path, "清单 manifest.json 不完整，备份已损坏"));
            }
            let read: BackupManifest = serde_json::from_slice(&buf)
                .map_err(|e| bad(path, format!("清单无法解析（{e}）")))?;
            check_manifest(&read).map_err(|e| match e {
                ManifestProblem::Bad(what) => bad(path, what),
                ManifestProblem::TooNew(found) => StoreError::TooNew {
                    found,
                    supported: SCHEMA_VERSION,
                },
            })?;
            counts = read.counts.clone();
            manifest = Some(read);
            continue;
        }
        if is_data {
            if chunk.is_none() {
                if version != 1 {
                    return Err(refuse(
                        path,
                        format!("格式版本 {version} 的备份中不应有 trees.json"),
                    ));
                }
                if trees_json {
                    return Err(refuse(path, "备份中 trees.json 出现了不止一次"));
                }
                if declared > limits.trees_bytes {
                    return Err(refuse(
                        path,
                        format!(
                            "数据 trees.json 有 {declared} 字节，超过上限 {} 字节",
                            limits.trees_bytes
                        ),
                    ));
                }
                trees_json = true;
            } else if declared > limits.chunk_bytes {
                return Err(refuse(
                    path,
                    format!(
                        "数据段 {shown} 有 {declared} 字节，超过上限 {} 字节",
                        limits.chunk_bytes
                    ),
                ));
            } else if declared > limits.trees_bytes.saturating_sub(data_total) {
                return Err(refuse(
                    path,
                    format!("数据合计超过上限 {} 字节", limits.trees_bytes),
                ));
            }
            data_total += declared;
            if sink.is_none() {
                sink = Some(Sink::new(path, &staging.join("db"), counts.clone())?);
            }
            let Some(sink) = sink.as_mut() else {
                return Err(bad(path, "数据无法写入"));
            };
            match &chunk {
                Some((tree, n)) => {
                    let buf = read_member(&mut entry, declared, limits.chunk_bytes)
                        .map_err(|e| damaged(members, &e))?;
                    if buf.len() as u64 != declared {
                        return Err(bad(path, format!("数据段 {shown} 不完整，备份已损坏")));
                    }
                    sink.chunk(tree, *n, name, &buf)?;
                }
                None => read_trees_json(&mut entry, declared, sink)?,
            }
            continue;
        }
        let rel = evidence_path(name).ok_or_else(|| {
            refuse(
                path,
                format!(
                    "备份中有未知的文件“{shown}”（备份只含 manifest.json、数据和 evidence/ 下的附件）"
                ),
            )
        })?;
        let dest = staging.join(rel);
        if is_dir {
            fs::create_dir_all(&dest)
                .map_err(|e| bad(path, format!("附件文件夹“{shown}”无法建立（{e}）")))?;
            continue;
        }
        if declared > limits.evidence_file_bytes {
            return Err(refuse(
                path,
                format!(
                    "附件“{shown}”有 {declared} 字节，超过单个附件的上限 {} 字节",
                    limits.evidence_file_bytes
                ),
            ));
        }
        evidence_total = evidence_total.saturating_add(declared);
        if evidence_total > limits.evidence_total_bytes {
            return Err(refuse(
                path,
                format!("附件合计超过上限 {} 字节", limits.evidence_total_bytes),
            ));
        }
        unpack_evidence(&mut entry, declared, &dest, &shown, limits).map_err(|e| bad(path, e))?;
    }
    if long_name.is_some() {
        return Err(bad(path, "备份末尾的长文件名头后没有成员，备份已损坏"));
    }
    let manifest = manifest.ok_or_else(|| bad(path, "缺少清单 manifest.json"))?;
    if manifest.format_version == 1 && !trees_json {
        return Err(bad(path, "缺少数据 trees.json"));
    }
    // The rest of the stream (the end of the archive, the gzip trailer): its checksum
    // covers every byte read above.
    io::copy(&mut archive.into_inner(), &mut io::sink()).map_err(|e| damaged(members, &e))?;
    let sink = match sink {
        Some(sink) => sink,
        None => Sink::new(path, &staging.join("db"), counts)?,
    };
    let last_audit = sink.finish()?;
    Ok(ReadBackup {
        manifest,
        last_audit,
    })
}

/// `trees/<tree>/<n>.kv` → (tree, n).
fn chunk_of(name: &str) -> Option<(String, u64)> {
    let (tree, file) = name.strip_prefix("trees/")?.split_once('/')?;
    let digits = file.strip_suffix(".kv")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((tree.to_owned(), digits.parse().ok()?))
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
    if manifest.format_version == 0 {
        return Err(ManifestProblem::Bad("备份格式版本 0 无效".to_owned()));
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
            if e.kind() == io::ErrorKind::AlreadyExists {
                format!("备份中附件“{shown}”出现了不止一次")
            } else {
                format!("附件“{shown}”无法解出（{e}）")
            }
        })?;
    let copied = io::copy(
        &mut entry
            .by_ref()
            .take(declared.min(limits.evidence_file_bytes)),
        &mut out,
    )
    .map_err(|e| format!("附件“{shown}”无法解出：{}", read_failure(&e)))?;
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
    let db_path = db_dir(root);
    let mut previous_backup = None;
    let mut damaged_kept_at = None;
    if db_path.exists() {
        let opened = open_db(root).map(|(db, _)| db);
        match opened {
            Ok(old) => {
                let dest = DataDir::new(root).before_restore_backup(&timestamp());
                let gate = std::sync::RwLock::new(());
                previous_backup = Some(write_backup(&old, &gate, root, &dest, &|_| {})?.path);
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
    write_state(root, read.last_audit)?;
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
