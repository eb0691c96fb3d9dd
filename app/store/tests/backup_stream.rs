//! Backups as streams (format 2): many records come back byte for byte through data members of
//! bounded size, with progress; a backup taken while another thread writes holds the trees as
//! they were at one moment; a backup job runs on another thread and keeps the folder locked;
//! a backup written by the previous version (format 1, the committed fixture
//! `tests/fixtures/backup-v1.anwei-backup`) still restores; a cut or damaged file is refused
//! in Chinese and changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use anwei_core::{Command, EvidenceSource, Value};
use anwei_store::{BackupProgress, CHUNK_BYTES, Store, StoreError, TreeDump, restore};
use chrono::NaiveDate;

const ACTOR: &str = "测试员";
const FORM: &str = "coal-mining/mine-register";

fn record(i: usize, remarks: &str) -> Command {
    Command::AddRecord {
        form: FORM.into(),
        form_version: "1.0.0".into(),
        values: BTreeMap::from([
            ("name".to_owned(), Value::Text(format!("第{i}号煤矿"))),
            ("capacity".to_owned(), Value::Decimal(i as f64)),
            ("remarks".to_owned(), Value::Text(remarks.to_owned())),
        ]),
        draft: false,
    }
}

/// A store in `root` with the demo campaign and one progress entry with a photo.
fn desk(root: &Path, scratch: &Path) -> Store {
    let store = Store::open(root).unwrap();
    store
        .import_campaign(&anwei_exchange::demo_campaign().unwrap(), ACTOR)
        .unwrap();
    let photo = scratch.join("现场照片.bin");
    std::fs::write(
        &photo,
        (0..50_000u32).map(|i| (i % 253) as u8).collect::<Vec<_>>(),
    )
    .unwrap();
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
                attach: vec![EvidenceSource {
                    path: photo.to_string_lossy().into_owned(),
                }],
            },
            ACTOR,
        )
        .unwrap();
    store
}

fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(read) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in read {
            let path = entry.unwrap().path();
            if path.is_dir() {
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

/// Names and sizes of the members of a backup file, in order.
fn member_sizes(path: &Path) -> Vec<(String, u64)> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(
        std::fs::File::open(path).unwrap(),
    ));
    archive
        .entries()
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.path().unwrap().to_string_lossy().into_owned(), e.size())
        })
        .collect()
}

/// The database and evidence of a closed data folder.
fn snapshot(root: &Path) -> (TreeDump, BTreeMap<PathBuf, Vec<u8>>) {
    let store = Store::open(root).unwrap();
    let dump = store.dump().unwrap();
    drop(store);
    (dump, files_under(&root.join("evidence")))
}

#[test]
fn many_records_stream_through_bounded_members_and_come_back_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let store = desk(&root, tmp.path());
    // About 2.4 KB of remarks per record: the records (and their audit records) need more
    // than one data member each.
    let remarks = "井下通风系统已完成改造，瓦斯监测装置运行正常。".repeat(35);
    let cmds: Vec<Command> = (0..2_500).map(|i| record(i, &remarks)).collect();
    for chunk in cmds.chunks(500) {
        store.apply_many(chunk, ACTOR).unwrap();
    }
    let before = store.dump().unwrap();
    let evidence = files_under(&root.join("evidence"));
    assert_eq!(evidence.len(), 1);
    // A copy being written (a temporary file) is not part of the backup.
    let copying = root
        .join("evidence")
        .join(evidence.keys().next().unwrap().parent().unwrap())
        .join(format!("{}copy", anwei_files::TEMP_PREFIX));
    std::fs::write(&copying, b"half a photo").unwrap();

    let seen = Mutex::new(Vec::<BackupProgress>::new());
    let dest = tmp.path().join("many.anwei-backup");
    let info = store
        .backup_job()
        .unwrap()
        .run(&dest, &|p| seen.lock().unwrap().push(p))
        .unwrap();
    drop(store);
    assert_eq!(info.manifest.format_version, 2);
    assert_eq!(info.manifest.counts["records"], 2_500);

    // Progress: from nothing to everything, never backwards.
    let seen = seen.into_inner().unwrap();
    let last = *seen.last().unwrap();
    assert_eq!(last.rows_done, last.rows_total);
    assert_eq!(
        last.rows_total,
        before.values().map(|kvs| kvs.len() as u64).sum::<u64>()
    );
    assert_eq!(last.trees_done, before.len());
    assert_eq!((last.files_done, last.files_total), (1, 1));
    assert_eq!(last.fraction(), 1.0);
    assert!(seen.len() > 15, "{} reports", seen.len());
    assert!(
        seen.windows(2)
            .all(|w| w[0].rows_done <= w[1].rows_done && w[0].fraction() <= w[1].fraction())
    );

    // The members: manifest first, each tree's data in numbered members of bounded size,
    // evidence last.
    let members = member_sizes(&dest);
    assert_eq!(members[0].0, "manifest.json");
    let records: Vec<&(String, u64)> = members
        .iter()
        .filter(|(n, _)| n.starts_with("trees/records/"))
        .collect();
    assert!(records.len() >= 2, "{records:?}");
    assert_eq!(records[0].0, "trees/records/000000.kv");
    assert_eq!(records[1].0, "trees/records/000001.kv");
    for (name, size) in &members {
        if name.starts_with("trees/") {
            assert!(*size <= CHUNK_BYTES as u64, "{name}: {size}");
        }
    }
    assert!(members.last().unwrap().0.starts_with("evidence/"));
    assert!(
        !members
            .iter()
            .any(|(n, _)| n.contains(anwei_files::TEMP_PREFIX)),
        "{members:?}"
    );
    assert!(!members.iter().any(|(n, _)| n == "trees.json"));

    // Restored: every tree byte for byte, every evidence file.
    let other = tmp.path().join("other");
    let report = restore(&other, &dest).unwrap();
    assert_eq!(report.manifest, info.manifest);
    let (dump, files) = snapshot(&other);
    assert_eq!(
        dump.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    for (name, kvs) in &before {
        assert!(dump[name] == *kvs, "tree {name} differs");
    }
    assert_eq!(files, evidence);
    // And over the data folder itself: its data is backed up first (in format 2 too).
    let report = restore(&root, &dest).unwrap();
    let previous = report.previous_backup.unwrap();
    assert!(
        member_sizes(&previous)
            .iter()
            .any(|(n, _)| n == "trees/records/000000.kv")
    );
    assert_eq!(snapshot(&root).0, before);
}

#[test]
fn a_backup_taken_while_another_thread_writes_holds_one_moment() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let store = desk(&root, tmp.path());
    let base_audit = store.dump().unwrap()["audit"].len();
    let stop = AtomicBool::new(false);
    let mut backups = Vec::new();
    std::thread::scope(|s| {
        let writer = s.spawn(|| {
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                store.apply(&record(i, "并发写入"), ACTOR).unwrap();
                i += 1;
            }
            i
        });
        // Wait until the writer is under way, then back up while it writes.
        while store.record_counts().unwrap().values().sum::<usize>() < 20 {
            std::thread::yield_now();
        }
        for n in 0..6 {
            let dest = tmp.path().join(format!("during-{n}.anwei-backup"));
            let made = store.backup_job().and_then(|job| job.run(&dest, &|_| {}));
            backups.push(made.map(|_| dest));
        }
        // Stopped before anything is asserted: a failure must not leave the writer running.
        stop.store(true, Ordering::SeqCst);
        assert!(writer.join().unwrap() > 20);
    });
    let backups: Vec<PathBuf> = backups.into_iter().map(Result::unwrap).collect();
    let mut seen = Vec::new();
    for (n, backup) in backups.iter().enumerate() {
        let other = tmp.path().join(format!("restored-{n}"));
        restore(&other, backup).unwrap();
        let dump = snapshot(&other).0;
        let records = dump["records"].len();
        // Every change whole: its record, its index row and its audit record, or none.
        assert_eq!(dump["record_index"].len(), records, "backup {n}");
        assert_eq!(dump["audit"].len() - base_audit, records, "backup {n}");
        assert!(records >= 20, "backup {n}: {records}");
        seen.push(records);
    }
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
}

#[test]
fn a_backup_job_runs_on_another_thread_and_keeps_the_folder_locked() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let store = desk(&root, tmp.path());
    let job = store.backup_job().unwrap();
    assert_eq!(job.root(), root);
    drop(store);
    // The store is closed, the job still holds the folder.
    assert!(matches!(Store::open(&root), Err(StoreError::Locked(_))));
    let dest = tmp.path().join("later.anwei-backup");
    let info = std::thread::spawn(move || {
        let info = job.run(&dest, &|_| {});
        drop(job);
        info
    })
    .join()
    .unwrap()
    .unwrap();
    assert!(info.size > 0 && info.path.is_file());
    // Released with the job.
    let store = Store::open(&root).unwrap();
    assert_eq!(
        store.dump().unwrap()["audit"].len(),
        info.manifest.counts["audit"]
    );
}

/// The committed backup written by the code before format 2 (see the module doc).
fn v1_fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/backup-v1.anwei-backup")
}

#[test]
fn a_backup_of_the_previous_version_still_restores_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    // What the fixture holds, read here independently of the store: trees.json decoded.
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(
        std::fs::File::open(v1_fixture()).unwrap(),
    ));
    let mut members = BTreeMap::new();
    for e in archive.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e.path().unwrap().to_string_lossy().into_owned();
        let mut buf = Vec::new();
        e.read_to_end(&mut buf).unwrap();
        members.insert(name, buf);
    }
    let manifest: serde_json::Value = serde_json::from_slice(&members["manifest.json"]).unwrap();
    assert_eq!(manifest["format_version"], 1);
    let trees: BTreeMap<String, Vec<(String, String)>> =
        serde_json::from_slice(&members["trees.json"]).unwrap();
    let expected: TreeDump = trees
        .into_iter()
        .map(|(name, kvs)| {
            let kvs = kvs
                .into_iter()
                .map(|(k, v)| (hex::decode(k).unwrap(), hex::decode(v).unwrap()))
                .collect();
            (name, kvs)
        })
        .collect();
    assert_eq!(expected["records"].len(), 3);

    let root = tmp.path().join("data");
    let report = restore(&root, &v1_fixture()).unwrap();
    assert_eq!(report.manifest.format_version, 1);
    let (dump, files) = snapshot(&root);
    // Opening migrates what the backup's schema version (4) stored otherwise: the version
    // itself and the ledger records (JSON then, binary in v5, compared decoded below).
    for (name, kvs) in &expected {
        if name == "meta" || name == "records" {
            continue;
        }
        assert!(dump[name] == *kvs, "tree {name} differs");
    }
    let json_records: Vec<anwei_core::FormRecord> = expected["records"]
        .iter()
        .map(|(_, v)| serde_json::from_slice(v).unwrap())
        .collect();
    let photo: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
    assert_eq!(files[Path::new("2/现场照片.bin")], photo);
    assert_eq!(files.len(), 2);
    let store = Store::open(&root).unwrap();
    assert_eq!(store.settings().unwrap().user_name, "安委办");
    let records = store.record_reader().records(FORM).unwrap();
    assert_eq!(records, json_records);
    assert!(records[1].draft && records[2].deleted);
    assert!(store.check().unwrap().problems.is_empty());
    // Over a data folder that holds other data: it is backed up first (in format 2), and
    // that backup gives it back.
    store.apply(&record(9, "恢复前"), ACTOR).unwrap();
    let replaced = store.dump().unwrap();
    drop(store);
    let report = restore(&root, &v1_fixture()).unwrap();
    let previous = report.previous_backup.unwrap();
    assert_eq!(snapshot(&root).0["records"].len(), 3);
    let back = tmp.path().join("back");
    restore(&back, &previous).unwrap();
    assert_eq!(snapshot(&back).0, replaced);
}

#[test]
fn a_cut_or_damaged_backup_is_refused_in_chinese_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let store = desk(&root, tmp.path());
    let remarks = "隐患整改".repeat(50);
    let cmds: Vec<Command> = (0..300).map(|i| record(i, &remarks)).collect();
    store.apply_many(&cmds, ACTOR).unwrap();
    let good = tmp.path().join("good.anwei-backup");
    store.backup_to(&good).unwrap();
    drop(store);
    let before = snapshot(&root);
    let bytes = std::fs::read(&good).unwrap();
    assert!(bytes.len() > 20_000, "{}", bytes.len());

    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for cut in [
        bytes.len() / 3,
        bytes.len() * 2 / 3,
        bytes.len() - 8,
        bytes.len() - 1,
    ] {
        cases.push((format!("cut at {cut}"), bytes[..cut].to_vec()));
    }
    for at in [
        200,
        bytes.len() / 4,
        bytes.len() / 2,
        bytes.len() - 12,
        bytes.len() - 3,
    ] {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x55;
        cases.push((format!("byte {at} changed"), damaged));
    }
    let path = tmp.path().join("bad.anwei-backup");
    for (what, data) in cases {
        std::fs::write(&path, &data).unwrap();
        let err = restore(&root, &path).unwrap_err();
        let msg = err.to_string();
        assert!(
            matches!(err, StoreError::BadBackup(_)) && msg.starts_with("备份文件无效"),
            "{what}: {msg}"
        );
        assert!(
            msg.contains("损坏") || msg.contains("不完整"),
            "{what}: {msg}"
        );
        if what.starts_with("cut") {
            assert!(msg.contains("不完整"), "{what}: {msg}");
        }
        assert_eq!(snapshot(&root), before, "{what}");
        assert!(
            !root.join("backups").exists(),
            "{what}: a restore went ahead"
        );
    }
    // The good one still restores.
    restore(&root, &good).unwrap();
}
