//! Restoring a backup is bounded whatever its bytes: sparse members, links, devices and other
//! entry types are refused by name before anything is read from them; `manifest.json`, the
//! data (each data member of format 2, all of them together, `trees.json` of format 1), each
//! evidence file, all evidence together, member names and the number of members each have a
//! limit that a refusal names; every member is read once and may appear once. Each hostile
//! backup is built here, refused quickly, and leaves the data folder (its database and
//! evidence) exactly as it was.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anwei_core::{Command, EvidenceSource};
use anwei_store::{
    MAX_CHUNK_BYTES, MAX_EVIDENCE_FILE_BYTES, MAX_MANIFEST_BYTES, MAX_TREES_BYTES, RestoreLimits,
    Store, StoreError, TreeDump, restore, restore_with_limits,
};
use chrono::NaiveDate;

const ACTOR: &str = "测试员";
/// A refusal must come at once, even on a busy machine.
const QUICK: Duration = Duration::from_secs(2);
/// An evidence file name of over 100 bytes: longer than a tar header holds, so it
/// is written with a GNU long-name member.
const LONG_NAME: &str =
    "二零二零年第三季度重点企业安全生产隐患排查治理现场检查照片与整改前后对比记录表.txt";

/// A closed data folder in `root`: the demo campaign and one progress entry with two evidence
/// files (one with a long name).
fn desk(root: &Path, scratch: &Path) {
    let store = Store::open(root).unwrap();
    store
        .import_campaign(&anwei_exchange::demo_campaign().unwrap(), ACTOR)
        .unwrap();
    let photo = scratch.join("photo.bin");
    std::fs::write(
        &photo,
        (0..70_000u32)
            .map(|i| (i * 7 % 251) as u8)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let memo = scratch.join(LONG_NAME);
    std::fs::write(&memo, "整改完成".repeat(100)).unwrap();
    let task = store.tasks().unwrap()[0].id.clone();
    store
        .apply(
            &Command::AddProgress {
                milestone: None,
                task,
                date: NaiveDate::from_ymd_opt(2020, 6, 1).unwrap(),
                text: "整改".into(),
                percent: Some(50),
                done: false,
                attach: [&photo, &memo]
                    .iter()
                    .map(|p| EvidenceSource {
                        path: p.to_string_lossy().into_owned(),
                    })
                    .collect(),
            },
            ACTOR,
        )
        .unwrap();
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(read) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in read {
            let path = entry.unwrap().path();
            let kind = std::fs::symlink_metadata(&path).unwrap().file_type();
            assert!(!kind.is_symlink(), "{path:?} is a symbolic link");
            if kind.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// What a data folder holds: its database and its evidence files.
fn snapshot(root: &Path) -> (TreeDump, BTreeMap<PathBuf, Vec<u8>>) {
    let store = Store::open(root).unwrap();
    let dump = store.dump().unwrap();
    drop(store);
    (dump, files_under(&root.join("evidence")))
}

/// The members of a (good) backup file, in order.
fn members_of(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(
        std::fs::File::open(path).unwrap(),
    ));
    archive
        .entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let name = e.path().unwrap().to_string_lossy().into_owned();
            let mut buf = Vec::new();
            e.read_to_end(&mut buf).unwrap();
            (name, buf)
        })
        .collect()
}

/// Tar members (headers and data, without the end-of-archive blocks).
fn tar_members(list: &[(tar::EntryType, &str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (kind, name, data) in list {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(*kind);
        h.set_mode(0o644);
        h.set_mtime(0);
        h.set_size(data.len() as u64);
        if matches!(kind, tar::EntryType::Symlink | tar::EntryType::Link) {
            h.set_link_name("../../../../etc/passwd").unwrap();
        }
        h.set_cksum();
        b.append_data(&mut h, name, *data).unwrap();
    }
    let mut bytes = b.into_inner().unwrap();
    bytes.truncate(bytes.len() - 1024);
    bytes
}

fn file(name: &str, data: &[u8]) -> Vec<u8> {
    tar_members(&[(tar::EntryType::Regular, name, data)])
}

/// A tar header field as octal digits and a NUL, `width` bytes in all.
fn octal(field: &mut [u8], value: u64) {
    let digits = format!("{value:0w$o}", w = field.len() - 1);
    field[..digits.len()].copy_from_slice(digits.as_bytes());
    field[digits.len()] = 0;
}

/// One GNU sparse member named `name`: 512 bytes of data stored, declared as `real` bytes
/// (the rest a hole that reads back as zeros).
fn sparse_member(name: &str, real: u64) -> Vec<u8> {
    let mut header = tar::Header::new_gnu();
    header.set_path(name).unwrap();
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_entry_type(tar::EntryType::GNUSparse);
    header.set_size(512);
    {
        let gnu = header.as_gnu_mut().unwrap();
        octal(&mut gnu.sparse[0].offset, real - 512);
        octal(&mut gnu.sparse[0].numbytes, 512);
        octal(&mut gnu.realsize, real);
        gnu.isextended[0] = 0;
    }
    header.set_cksum();
    let mut out = header.as_bytes().to_vec();
    out.extend_from_slice(&[b'x'; 512]);
    out
}

/// A bare header of `kind` named `name` declaring `size` bytes, with no data after it (the
/// archive ends there): a refusal by the declared size must come before any read.
fn header_only(kind: tar::EntryType, name: &str, size: u64) -> Vec<u8> {
    let mut h = tar::Header::new_gnu();
    h.set_path(name).unwrap();
    h.set_entry_type(kind);
    h.set_mode(0o644);
    h.set_mtime(0);
    h.set_size(size);
    h.set_cksum();
    h.as_bytes().to_vec()
}

/// `parts` (tar members) as a gzip-compressed tar, written to `path`.
fn write_backup(path: &Path, parts: &[Vec<u8>]) {
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(path).unwrap(),
        flate2::Compression::fast(),
    );
    for part in parts {
        gz.write_all(part).unwrap();
    }
    gz.write_all(&[0u8; 1024]).unwrap();
    gz.finish().unwrap();
}

/// `trees.json` of a format-1 backup of `dump`: every tree, hex-encoded.
fn trees_json(dump: &TreeDump) -> Vec<u8> {
    let trees: BTreeMap<&String, Vec<(String, String)>> = dump
        .iter()
        .map(|(name, kvs)| {
            let rows = kvs
                .iter()
                .map(|(k, v)| (hex::encode(k), hex::encode(v)))
                .collect();
            (name, rows)
        })
        .collect();
    serde_json::to_vec(&trees).unwrap()
}

/// A data folder with a backup of it, and the pieces of that backup (format 2), with the
/// manifest and data of the same backup in format 1.
struct Fixture {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    root: PathBuf,
    before: (TreeDump, BTreeMap<PathBuf, Vec<u8>>),
    manifest: Vec<u8>,
    /// The data members (`trees/<tree>/<n>.kv`), in order.
    data: Vec<(String, Vec<u8>)>,
    manifest_v1: Vec<u8>,
    trees: Vec<u8>,
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let root = dir.join("data");
        desk(&root, &dir);
        let good = dir.join("good.anwei-backup");
        Store::open(&root).unwrap().backup_to(&good).unwrap();
        let members = members_of(&good);
        let before = snapshot(&root);
        assert_eq!(before.1.len(), 2, "{:?}", before.1.keys());
        assert_eq!(members[0].0, "manifest.json");
        let manifest = members[0].1.clone();
        let data: Vec<_> = members
            .into_iter()
            .filter(|(name, _)| name.starts_with("trees/"))
            .collect();
        assert!(data.len() > 5, "{data:?}");
        let mut v1: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
        assert_eq!(v1["format_version"], 2);
        v1["format_version"] = 1.into();
        let trees = trees_json(&before.0);
        Fixture {
            _tmp: tmp,
            dir,
            root,
            before,
            manifest,
            data,
            manifest_v1: serde_json::to_vec(&v1).unwrap(),
            trees,
        }
    }

    /// The good manifest and data, as tar members.
    fn head(&self) -> Vec<Vec<u8>> {
        let mut parts = vec![file("manifest.json", &self.manifest)];
        parts.extend(self.data.iter().map(|(name, bytes)| file(name, bytes)));
        parts
    }

    /// The good manifest and data in format 1, as tar members.
    fn head_v1(&self) -> Vec<Vec<u8>> {
        vec![
            file("manifest.json", &self.manifest_v1),
            file("trees.json", &self.trees),
        ]
    }

    /// The data members, with the one named `name` replaced by `bytes`.
    fn head_with(&self, name: &str, bytes: &[u8]) -> Vec<Vec<u8>> {
        assert!(self.data.iter().any(|(n, _)| n == name), "{name}");
        let mut parts = vec![file("manifest.json", &self.manifest)];
        parts.extend(self.data.iter().map(|(n, b)| {
            if n == name {
                file(n, bytes)
            } else {
                file(n, b)
            }
        }));
        parts
    }

    /// Restores a backup made of `parts` within `limits`, expecting a quick refusal of an
    /// invalid backup; returns its message. The data folder must be as it was.
    fn refused(&self, parts: &[Vec<u8>], limits: &RestoreLimits) -> String {
        let path = self.dir.join("hostile.anwei-backup");
        write_backup(&path, parts);
        let start = Instant::now();
        let result = restore_with_limits(&self.root, &path, limits);
        let took = start.elapsed();
        let msg = match result {
            Err(e @ StoreError::BadBackup(_)) => e.to_string(),
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert!(took < QUICK, "{took:?}: {msg}");
        assert!(msg.starts_with("备份文件无效"), "{msg}");
        self.assert_unchanged();
        msg
    }

    /// The data folder holds what it held, and nothing of the refused restore.
    fn assert_unchanged(&self) {
        assert_eq!(snapshot(&self.root), self.before);
        for entry in std::fs::read_dir(&self.root).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!name.starts_with("restore-"), "{name} left behind");
        }
        assert!(!self.root.join("backups").exists(), "a restore went ahead");
    }
}

const DEFAULT: RestoreLimits = RestoreLimits::DEFAULT;

#[test]
fn a_normal_backup_with_a_long_evidence_name_still_restores() {
    let f = Fixture::new();
    assert!(
        f.before
            .1
            .keys()
            .any(|p| p.to_string_lossy().ends_with(LONG_NAME))
    );
    let backup = f.dir.join("again.anwei-backup");
    Store::open(&f.root).unwrap().backup_to(&backup).unwrap();
    let other = f.dir.join("other");
    restore(&other, &backup).unwrap();
    let (dump, evidence) = snapshot(&other);
    assert_eq!(evidence, f.before.1);
    assert_eq!(dump.get("progress"), f.before.0.get("progress"));
    assert_eq!(dump.get("tasks"), f.before.0.get("tasks"));
    // And over the data folder itself (its data backed up first).
    let report = restore(&f.root, &backup).unwrap();
    assert!(report.previous_backup.is_some());
    assert_eq!(files_under(&f.root.join("evidence")), f.before.1);
}

#[test]
fn a_sparse_manifest_is_refused_unread() {
    let f = Fixture::new();
    // 1 KiB in the archive, 20 MiB of zeros if read as the tar format says.
    let msg = f.refused(&[sparse_member("manifest.json", 20 << 20)], &DEFAULT);
    assert!(
        msg.contains("manifest.json") && msg.contains("稀疏文件"),
        "{msg}"
    );
    assert!(msg.contains("当前数据没有任何改动"), "{msg}");
}

#[test]
fn sparse_links_devices_and_pipes_as_evidence_are_refused_by_name() {
    let f = Fixture::new();
    for (kind, what) in [
        (tar::EntryType::Symlink, "符号链接"),
        (tar::EntryType::Link, "硬链接"),
        (tar::EntryType::Char, "字符设备"),
        (tar::EntryType::Block, "块设备"),
        (tar::EntryType::Fifo, "管道"),
        (tar::EntryType::Continuous, "连续文件"),
        (tar::EntryType::XHeader, "PAX 扩展头"),
        (tar::EntryType::GNULongLink, "GNU 长链接名"),
    ] {
        let mut parts = f.head();
        parts.push(tar_members(&[(kind, "evidence/1/photo.bin", &[])]));
        let msg = f.refused(&parts, &DEFAULT);
        assert!(msg.contains(what), "{kind:?}: {msg}");
    }
    let mut parts = f.head();
    parts.push(sparse_member("evidence/1/photo.bin", 20 << 20));
    let msg = f.refused(&parts, &DEFAULT);
    assert!(
        msg.contains("evidence/1/photo.bin") && msg.contains("稀疏文件"),
        "{msg}"
    );
}

#[test]
fn an_oversized_manifest_is_refused_naming_the_limit() {
    let f = Fixture::new();
    // A valid manifest padded with spaces past 1 MiB (it compresses to almost nothing).
    let mut big = f.manifest.clone();
    big.resize(MAX_MANIFEST_BYTES as usize + 1, b' ');
    let mut parts = vec![file("manifest.json", &big)];
    parts.extend(f.head().into_iter().skip(1));
    let msg = f.refused(&parts, &DEFAULT);
    assert!(
        msg.contains("manifest.json") && msg.contains(&MAX_MANIFEST_BYTES.to_string()),
        "{msg}"
    );
}

#[test]
fn the_format_1_data_restores_and_an_oversized_trees_json_is_refused_naming_the_limit() {
    let f = Fixture::new();
    // The same data in format 1 restores to the same database.
    let v1 = f.dir.join("v1.anwei-backup");
    let mut parts = f.head_v1();
    parts.push(file("evidence/1/a.txt", b"a"));
    write_backup(&v1, &parts);
    let other = f.dir.join("other");
    restore(&other, &v1).unwrap();
    assert_eq!(snapshot(&other).0, f.before.0);
    // Within a small limit of the test: the real data is refused before it is read.
    let small = RestoreLimits {
        trees_bytes: 1024,
        ..DEFAULT
    };
    assert!(f.trees.len() > 1024);
    let msg = f.refused(&f.head_v1(), &small);
    assert!(
        msg.contains("trees.json") && msg.contains("上限 1024 字节"),
        "{msg}"
    );
    // Within the default limit: a header declaring more than the limit (and no data behind
    // it) is refused by its declared size, without reading.
    let parts = vec![
        file("manifest.json", &f.manifest_v1),
        header_only(tar::EntryType::Regular, "trees.json", MAX_TREES_BYTES + 1),
    ];
    let msg = f.refused(&parts, &DEFAULT);
    assert!(msg.contains(&MAX_TREES_BYTES.to_string()), "{msg}");
    // Data of one format in a backup of the other.
    let mut parts = f.head();
    parts.push(file("trees.json", &f.trees));
    let msg = f.refused(&parts, &DEFAULT);
    assert!(
        msg.contains("格式版本 2 的备份中不应有 trees.json"),
        "{msg}"
    );
    let mut parts = f.head_v1();
    parts.push(file(&f.data[0].0, &f.data[0].1));
    let msg = f.refused(&parts, &DEFAULT);
    assert!(msg.contains("未知的文件"), "{msg}");
}

#[test]
fn oversized_data_members_are_refused_naming_the_limits() {
    let f = Fixture::new();
    // All data together over a small limit: refused at the member that passes it.
    let total: u64 = f.data.iter().map(|(_, b)| b.len() as u64).sum();
    let small = RestoreLimits {
        trees_bytes: total - 1,
        ..DEFAULT
    };
    let msg = f.refused(&f.head(), &small);
    assert!(
        msg.contains(&format!("数据合计超过上限 {} 字节", total - 1)),
        "{msg}"
    );
    // One member over the limit of a member.
    let biggest = f.data.iter().map(|(_, b)| b.len() as u64).max().unwrap();
    let one = RestoreLimits {
        chunk_bytes: biggest - 1,
        ..DEFAULT
    };
    let msg = f.refused(&f.head(), &one);
    assert!(
        msg.contains("数据段 trees/") && msg.contains(&format!("超过上限 {} 字节", biggest - 1)),
        "{msg}"
    );
    // A header declaring more than the default (and no data behind it), unread.
    let parts = vec![
        file("manifest.json", &f.manifest),
        header_only(
            tar::EntryType::Regular,
            "trees/records/000000.kv",
            MAX_CHUNK_BYTES + 1,
        ),
    ];
    let msg = f.refused(&parts, &DEFAULT);
    assert!(msg.contains(&MAX_CHUNK_BYTES.to_string()), "{msg}");
}

#[test]
fn garbage_in_a_data_member_is_refused_and_changes_nothing() {
    let f = Fixture::new();
    let (name, good) = f
        .data
        .iter()
        .find(|(n, _)| n.starts_with("trees/tasks/"))
        .cloned()
        .unwrap();
    // Cut inside a row; a length that runs past the end; a row more than the manifest counts;
    // rows out of order; an unknown tree; a member missing from a tree's sequence.
    let mut cut = good.clone();
    cut.truncate(good.len() - 3);
    let msg = f.refused(&f.head_with(&name, &cut), &DEFAULT);
    assert!(msg.contains(&format!("数据段 {name} 格式错误")), "{msg}");
    let mut long = good.clone();
    long[..4].copy_from_slice(&u32::MAX.to_le_bytes());
    let msg = f.refused(&f.head_with(&name, &long), &DEFAULT);
    assert!(msg.contains("格式错误"), "{msg}");
    let mut more = good.clone();
    let (k, v) = (b"zzzz".as_slice(), b"{}".as_slice());
    more.extend_from_slice(&(k.len() as u32).to_le_bytes());
    more.extend_from_slice(k);
    more.extend_from_slice(&(v.len() as u32).to_le_bytes());
    more.extend_from_slice(v);
    let msg = f.refused(&f.head_with(&name, &more), &DEFAULT);
    assert!(msg.contains("的记录比清单所记的"), "{msg}");
    let mut twice = good.clone();
    twice.extend_from_slice(&good);
    let msg = f.refused(&f.head_with(&name, &twice), &DEFAULT);
    assert!(msg.contains("顺序错乱或重复"), "{msg}");
    let mut parts = f.head();
    parts.push(file("trees/passwords/000000.kv", &good));
    let msg = f.refused(&parts, &DEFAULT);
    assert!(msg.contains("未知的数据表“passwords”"), "{msg}");
    let mut parts = f.head();
    parts.push(file("trees/tasks/000002.kv", &good));
    let msg = f.refused(&parts, &DEFAULT);
    assert!(msg.contains("缺失或顺序错乱"), "{msg}");
    // A tree's data left out: its count is not the manifest's.
    let parts: Vec<Vec<u8>> = f
        .head()
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i != 1 + f.data.iter().position(|(n, _)| *n == name).unwrap())
        .map(|(_, p)| p)
        .collect();
    let msg = f.refused(&parts, &DEFAULT);
    assert!(msg.contains("的记录数与清单不符"), "{msg}");
}

#[test]
fn evidence_over_the_file_and_total_limits_is_refused_naming_them() {
    let f = Fixture::new();
    let data = vec![b'a'; 150];
    let mut parts = f.head();
    parts.push(file("evidence/1/a.txt", &data));
    let one = RestoreLimits {
        evidence_file_bytes: 100,
        ..DEFAULT
    };
    let msg = f.refused(&parts, &one);
    assert!(
        msg.contains("evidence/1/a.txt") && msg.contains("上限 100 字节"),
        "{msg}"
    );

    parts.push(file("evidence/1/b.txt", &data));
    parts.push(file("evidence/1/c.txt", &data));
    let total = RestoreLimits {
        evidence_total_bytes: 400,
        ..DEFAULT
    };
    let msg = f.refused(&parts, &total);
    assert!(msg.contains("附件合计超过上限 400 字节"), "{msg}");

    // The default per-file limit, by the declared size alone.
    let mut parts = f.head();
    parts.push(header_only(
        tar::EntryType::Regular,
        "evidence/1/huge.bin",
        MAX_EVIDENCE_FILE_BYTES + 1,
    ));
    let msg = f.refused(&parts, &DEFAULT);
    assert!(msg.contains(&MAX_EVIDENCE_FILE_BYTES.to_string()), "{msg}");
}

#[test]
fn too_many_members_are_refused_naming_the_limit() {
    let f = Fixture::new();
    let mut parts = f.head();
    for i in 0..100 {
        parts.push(file(&format!("evidence/{i}/x.txt"), b"x"));
    }
    let limits = RestoreLimits {
        entries: 50,
        ..DEFAULT
    };
    let msg = f.refused(&parts, &limits);
    assert!(msg.contains("超过上限 50 个"), "{msg}");
}

#[test]
fn a_huge_long_name_is_refused_before_it_is_read() {
    let f = Fixture::new();
    // A GNU long-name member declaring 100 MiB (the tar crate would read all of it into
    // memory before yielding the member it names).
    let mut parts = f.head();
    parts.push(header_only(
        tar::EntryType::GNULongName,
        "././@LongLink",
        100 << 20,
    ));
    let msg = f.refused(&parts, &DEFAULT);
    assert!(
        msg.contains("文件名") && msg.contains("上限 16384 字节"),
        "{msg}"
    );
}

#[test]
fn repeated_members_are_refused() {
    let f = Fixture::new();
    let m = file("manifest.json", &f.manifest);
    let mut parts = f.head();
    parts.push(m);
    let msg = f.refused(&parts, &DEFAULT);
    assert!(msg.contains("manifest.json 出现了不止一次"), "{msg}");
    let mut parts = f.head();
    parts.push(file(&f.data[0].0, &f.data[0].1));
    let msg = f.refused(&parts, &DEFAULT);
    assert!(msg.contains("缺失或顺序错乱"), "{msg}");
    let (m, t) = (
        file("manifest.json", &f.manifest_v1),
        file("trees.json", &f.trees),
    );
    let msg = f.refused(&[m.clone(), t.clone(), t.clone()], &DEFAULT);
    assert!(msg.contains("trees.json 出现了不止一次"), "{msg}");
    let e = file("evidence/1/a.txt", b"first");
    let mut parts = f.head();
    parts.extend([e.clone(), e]);
    let msg = f.refused(&parts, &DEFAULT);
    assert!(
        msg.contains("evidence/1/a.txt") && msg.contains("不止一次"),
        "{msg}"
    );
}

#[test]
fn members_outside_evidence_and_a_late_manifest_are_refused() {
    let f = Fixture::new();
    for name in ["evidence/../escape.txt", "other.txt", "evidence2/x.txt"] {
        let mut parts = f.head();
        // Written raw: the tar crate's builder refuses `..` itself.
        let mut h = header_only(tar::EntryType::Regular, "placeholder", 1);
        h[..100].fill(0);
        h[..name.len()].copy_from_slice(name.as_bytes());
        let mut header = tar::Header::from_byte_slice(&h).clone();
        header.set_cksum();
        let mut member = header.as_bytes().to_vec();
        member.extend_from_slice(&[b'x'; 512]);
        parts.push(member);
        let msg = f.refused(&parts, &DEFAULT);
        assert!(
            msg.contains("未知的文件") && msg.contains(name),
            "{name}: {msg}"
        );
    }
    // The manifest must come first, so that it is checked before the data is read.
    let mut parts = f.head();
    parts.rotate_left(1);
    let msg = f.refused(&parts, &DEFAULT);
    assert!(msg.contains("缺少清单"), "{msg}");
}
