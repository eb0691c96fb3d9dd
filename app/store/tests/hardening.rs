//! Hardening of the store (issue 9): no silent loss when the state record is missing,
//! temporary files of killed writes are cleaned and reported, sizes are bounded.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, Instant};

use anwei_core::{Command, EvidenceSource, Value};
use anwei_store::Store;
use chrono::NaiveDate;

const ACTOR: &str = "测试员";
const FORM: &str = "coal-mining/mine-register";

fn add_progress(task: &str, text: &str, attach: &[&Path]) -> Command {
    Command::AddProgress {
        milestone: None,
        task: task.to_owned(),
        date: NaiveDate::from_ymd_opt(2020, 6, 1).unwrap(),
        text: text.to_owned(),
        percent: None,
        done: false,
        attach: attach
            .iter()
            .map(|p| EvidenceSource {
                path: p.to_string_lossy().into_owned(),
            })
            .collect(),
    }
}

fn add_record(name: &str) -> Command {
    let mut values = BTreeMap::new();
    values.insert("mine_name".to_owned(), Value::Text(name.to_owned()));
    Command::AddRecord {
        form: FORM.to_owned(),
        form_version: "1.0.0".to_owned(),
        values,
        draft: false,
    }
}

/// A closed data folder with the demo, 25 progress entries and 15 ledger records (the
/// issue's case).
fn closed_folder(root: &Path) {
    let store = Store::open(root).unwrap();
    store
        .import_campaign(&anwei_exchange::demo_campaign().unwrap(), ACTOR)
        .unwrap();
    let tasks = store.tasks().unwrap();
    for i in 0..25 {
        store
            .apply(
                &add_progress(&tasks[i % tasks.len()].id, &format!("进展 {i}"), &[]),
                ACTOR,
            )
            .unwrap();
    }
    for i in 0..15 {
        store
            .apply(&add_record(&format!("{i}号煤矿")), ACTOR)
            .unwrap();
    }
}

fn truncate_db(root: &Path, keep: impl Fn(usize) -> usize) {
    let path = root.join("db/db");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..keep(bytes.len())]).unwrap();
}

fn dir_size(dir: &Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        total += if meta.is_dir() {
            dir_size(&entry.path())
        } else {
            meta.len()
        };
    }
    total
}

// ----- item 7: anwei.state missing ------------------------------------------------------

#[test]
fn a_deleted_state_file_and_a_truncated_database_do_not_open_silently() {
    let tmp = tempfile::tempdir().unwrap();
    for (i, keep) in [
        |_: usize| 0usize,
        |n: usize| n / 2,
        |n: usize| n.saturating_sub(4096),
    ]
    .into_iter()
    .enumerate()
    {
        let root = tmp.path().join(format!("data{i}"));
        closed_folder(&root);
        std::fs::remove_file(root.join("anwei.state")).unwrap();
        truncate_db(&root, keep);
        // The copy of the state record in db/ still knows how far the database had got.
        let err = Store::open(&root).map(|_| ()).unwrap_err();
        assert!(err.is_damaged(), "case {i}: {err}");
        assert!(
            err.to_string().contains("数据库无法打开"),
            "case {i}: {err}"
        );
        // And again: the failed attempt did not turn it into a "new" database.
        let again = Store::open(&root).map(|_| ()).unwrap_err();
        assert!(again.is_damaged(), "case {i}, second opening: {again}");
    }
}

#[test]
fn without_any_state_record_the_database_opens_unverified_until_acknowledged() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    closed_folder(&root);
    std::fs::remove_file(root.join("anwei.state")).unwrap();
    std::fs::remove_file(root.join("db/anwei.state")).unwrap();
    truncate_db(&root, |_| 0);

    let store = Store::open(&root).unwrap();
    // The loss is visible: nothing to hide it behind.
    assert!(store.records(FORM).unwrap().is_empty());
    let unverified = store
        .unverified()
        .unwrap()
        .expect("an unverified condition");
    assert!(unverified.reason.contains("anwei.state"), "{unverified:?}");
    let report = store.check().unwrap();
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert!(
        report.problems[0].contains("完整性无法确认"),
        "{:?}",
        report.problems
    );
    assert!(
        report.problems[0].contains("确认接受"),
        "{:?}",
        report.problems
    );
    let audit = store.audit(Some("database"), 10).unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "open_unverified");
    drop(store);

    // It stays until the user accepts it: a reopen (which now finds state records) keeps it.
    let store = Store::open(&root).unwrap();
    assert!(store.unverified().unwrap().is_some());
    assert!(!store.check().unwrap().problems.is_empty());
    let applied = store.acknowledge_unverified("核对员").unwrap();
    assert!(applied.summary.contains("确认接受"), "{}", applied.summary);
    assert!(store.unverified().unwrap().is_none());
    assert!(store.check().unwrap().problems.is_empty());
    let audit = store.audit(Some("database"), 10).unwrap();
    assert_eq!(audit[0].action, "acknowledge_unverified");
    assert_eq!(audit[0].actor, "核对员");
    assert!(audit[0].before.is_some());
    // Nothing left to acknowledge.
    assert!(store.acknowledge_unverified("核对员").is_err());
    drop(store);
    let store = Store::open(&root).unwrap();
    assert!(store.unverified().unwrap().is_none());
    assert!(store.check().unwrap().problems.is_empty());
}

#[test]
fn a_backup_beside_an_empty_database_is_a_witness() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    closed_folder(&root);
    let store = Store::open(&root).unwrap();
    let backup = store.auto_backup().unwrap();
    assert!(backup.manifest.last_audit.unwrap() > 40);
    drop(store);
    // State records and the whole database gone: the folder looks new but for its backup.
    std::fs::remove_file(root.join("anwei.state")).unwrap();
    std::fs::remove_dir_all(root.join("db")).unwrap();
    let store = Store::open(&root).unwrap();
    let unverified = store.unverified().unwrap().expect("unverified");
    assert!(unverified.reason.contains("备份 auto-"), "{unverified:?}");
    assert!(!store.check().unwrap().problems.is_empty());
}

#[test]
fn a_new_folder_is_not_unverified() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).unwrap();
    assert!(store.unverified().unwrap().is_none());
    assert!(store.check().unwrap().problems.is_empty());
    assert!(tmp.path().join("anwei.state").is_file());
    assert!(tmp.path().join("db/anwei.state").is_file());
    drop(store);
    // Either state record alone is enough.
    std::fs::remove_file(tmp.path().join("anwei.state")).unwrap();
    let store = Store::open(tmp.path()).unwrap();
    assert!(store.unverified().unwrap().is_none());
}

// ----- item 10: temporary files of killed writes ----------------------------------------

#[test]
fn leftover_temporary_files_are_removed_on_open_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    closed_folder(&root);
    // A user file whose name looks like a temporary one, attached for real: kept.
    let odd = tmp.path().join(".tmpAbC999");
    std::fs::write(&odd, b"user file").unwrap();
    let entry = {
        let store = Store::open(&root).unwrap();
        let task = store.tasks().unwrap()[0].id.clone();
        store
            .apply(&add_progress(&task, "带附件", &[&odd]), ACTOR)
            .unwrap()
            .entry
            .unwrap()
    };
    let kept = root.join("evidence").join(&entry.evidence[0].stored);
    assert!(kept.is_file());
    // What killed writes leave: a copy of the earlier versions' naming beside real
    // evidence, a folder holding only a partial copy, a partial backup, a state record.
    let entry_dir = root.join("evidence").join(entry.id.to_string());
    let orphans: Vec<PathBuf> = vec![
        entry_dir.join(".tmpQx81Zb"),
        root.join("evidence/99999/.anwei-tmp-k2Jd0a"),
        root.join("backups/.anwei-tmp-Zz0000"),
        root.join("backups/.tmp9aZ0Qy"),
        root.join(".anwei-tmp-st4te1"),
        // The plugin host writes packages, its state and compiled code the same way.
        root.join("plugins/.anwei-tmp-pkg001"),
        root.join("plugins/cache/.anwei-tmp-cw0001"),
    ];
    for o in &orphans {
        std::fs::create_dir_all(o.parent().unwrap()).unwrap();
        std::fs::write(o, vec![7u8; 100_000]).unwrap();
    }
    let store = Store::open(&root).unwrap();
    for o in &orphans {
        assert!(!o.exists(), "{} left behind", o.display());
    }
    assert!(
        !root.join("evidence/99999").exists(),
        "empty folder removed"
    );
    assert!(kept.is_file(), "referenced evidence is never removed");
    let report = store.check().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.notes.len(), 1, "{:?}", report.notes);
    assert!(
        report.notes[0].contains("临时文件 7 个"),
        "{:?}",
        report.notes
    );
    let audit = store.audit(Some("data_folder"), 5).unwrap();
    assert_eq!(audit[0].action, "clean_temp_files");
    drop(store);
    // Nothing more to clean next time.
    let store = Store::open(&root).unwrap();
    assert!(store.check().unwrap().notes.is_empty());
}

const CHILD_VAR: &str = "ANWEI_HARDENING_CHILD";

/// Run in a child process by `a_copy_killed_midway_leaves_nothing_behind`: attaches the
/// file named by the environment to the first task and exits.
#[test]
#[ignore = "helper run in a child process"]
fn child_attaches_evidence() {
    let Some(spec) = std::env::var_os(CHILD_VAR) else {
        return;
    };
    let spec = spec.to_string_lossy().into_owned();
    let (root, file) = spec.split_once('|').unwrap();
    let store = Store::open(Path::new(root)).unwrap();
    let task = store.tasks().unwrap()[0].id.clone();
    store
        .apply(&add_progress(&task, "大附件", &[Path::new(file)]), ACTOR)
        .unwrap();
    std::process::exit(0);
}

/// Files under `evidence/` (one level of entry folders).
fn evidence_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(read) = std::fs::read_dir(root.join("evidence")) else {
        return out;
    };
    for dir in read.flatten() {
        if let Ok(inner) = std::fs::read_dir(dir.path()) {
            out.extend(inner.flatten().map(|e| e.path()));
        }
    }
    out
}

#[test]
fn a_copy_killed_midway_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big.bin");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
        let block: Vec<u8> = (0..1024 * 1024).map(|i| (i * 31 % 251) as u8).collect();
        for _ in 0..384 {
            f.write_all(&block).unwrap();
        }
    }
    let mut caught = None;
    for attempt in 0..6 {
        let root = tmp.path().join(format!("data{attempt}"));
        {
            let store = Store::open(&root).unwrap();
            store
                .import_campaign(&anwei_exchange::demo_campaign().unwrap(), ACTOR)
                .unwrap();
        }
        let mut child = Process::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "child_attaches_evidence",
                "--ignored",
                "--nocapture",
            ])
            .env(CHILD_VAR, format!("{}|{}", root.display(), big.display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let mut seen = Vec::new();
        while started.elapsed() < Duration::from_secs(60) {
            seen = evidence_files(&root);
            if !seen.is_empty() || child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        // Killed while copying: a partial temporary file, not the named copy.
        if seen.iter().any(|p| p.file_name().unwrap() != "big.bin") {
            caught = Some(root);
            break;
        }
    }
    let root = caught.expect("no run killed the copy midway");
    let left = evidence_files(&root);
    assert!(!left.is_empty(), "the kill left its partial copy");
    let store = Store::open(&root).unwrap();
    assert!(
        evidence_files(&root).is_empty(),
        "left behind: {:?}",
        evidence_files(&root)
    );
    let report = store.check().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(
        report.notes.iter().any(|n| n.contains("临时文件 1 个")),
        "{:?}",
        report.notes
    );
}

// ----- item 5: sizes ----------------------------------------------------------------------

#[test]
fn an_oversized_value_is_refused_and_the_database_does_not_grow() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    closed_folder(&root);
    let before = dir_size(&root.join("db"));
    let store = Store::open(&root).unwrap();
    let audit_before = store.audit(None, 10_000).unwrap().len();
    let mut values = BTreeMap::new();
    values.insert(
        "remark".to_owned(),
        Value::Text("隐".repeat(50 * 1024 * 1024 / 3)),
    );
    let err = store
        .apply(
            &Command::AddRecord {
                form: FORM.to_owned(),
                form_version: "1.0.0".to_owned(),
                values: values.clone(),
                draft: true,
            },
            ACTOR,
        )
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("字段“remark”的内容太长"), "{msg}");
    assert!(msg.contains("上限 10000 个字"), "{msg}");
    let id = store.records(FORM).unwrap()[0].id;
    assert!(
        store
            .apply(
                &Command::EditRecord {
                    id,
                    values,
                    draft: true
                },
                ACTOR
            )
            .is_err()
    );
    let task = store.tasks().unwrap()[0].id.clone();
    let long = "进".repeat(anwei_core::limits::MAX_PROGRESS_TEXT_CHARS + 1);
    let err = store
        .apply(&add_progress(&task, &long, &[]), ACTOR)
        .unwrap_err();
    assert!(err.to_string().contains("进展内容太长"), "{err}");
    assert_eq!(store.audit(None, 10_000).unwrap().len(), audit_before);
    drop(store);
    let after = dir_size(&root.join("db"));
    assert!(
        after < before + 1024 * 1024,
        "database grew from {before} to {after} bytes"
    );
}

#[test]
fn a_new_database_never_reads_wave_one_trust_files() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).unwrap();
    assert!(!store.legacy_trust_pending().unwrap());
}
