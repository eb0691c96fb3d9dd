#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Ledger records and hand-entered target values: saved with an audit record, edited with
//! history, soft-deleted and restored, carried by backups.

use std::collections::BTreeMap;

use anwei_core::{
    Checkpoint, Command, Comparator, Plan, PlanKind, SectorPlanImport, Target, TargetScope, Value,
};
use anwei_store::Store;
use chrono::NaiveDate;

const FORM: &str = "coal-mining/mine-register";

fn values(name: &str, capacity: f64) -> BTreeMap<String, Value> {
    BTreeMap::from([
        ("name".to_owned(), Value::Text(name.to_owned())),
        ("capacity".to_owned(), Value::Decimal(capacity)),
        ("group".to_owned(), Value::Choices(vec!["keep".to_owned()])),
    ])
}

fn add(store: &Store, name: &str, draft: bool) -> u64 {
    store
        .apply(
            &Command::AddRecord {
                form: FORM.into(),
                form_version: "1.0.0".into(),
                values: values(name, 90.0),
                draft,
            },
            "测试员",
        )
        .unwrap()
        .record
        .unwrap()
        .id
}

fn store_with_target(dir: &std::path::Path) -> Store {
    let store = Store::open(dir).unwrap();
    store
        .import_campaign(&anwei_exchange::demo_campaign().unwrap(), "测试员")
        .unwrap();
    let campaign = store.campaigns().unwrap()[0].id.clone();
    let content = SectorPlanImport {
        sector: "coal-mining".into(),
        plugin_version: "1.0.0".into(),
        plugin_sha256: "x".into(),
        plan: Plan {
            annotations: Default::default(),
            id: "coal-mining".into(),
            campaign,
            order: 9,
            code: "附件4".into(),
            kind: PlanKind::Sector,
            title: "煤矿安全专项整治三年行动实施方案".into(),
            goals: String::new(),
            source: String::new(),
            phases: vec![],
            sector: Some("coal-mining".into()),
        },
        tasks: vec![],
        targets: vec![Target {
            source: Default::default(),
            tolerance: None,
            id: "coal-mining/accidents".into(),
            plan: "coal-mining".into(),
            name: "事故总量".into(),
            unit: "%".into(),
            comparator: Comparator::DecreaseBy,
            checkpoints: vec![Checkpoint {
                upper: None,
                year: 2022,
                value: 20.0,
                due: None,
            }],
            baseline: None,
            scope: TargetScope::District,
            computed_from: None,
            progress_of: None,
            measurements: vec![],
        }],
        new_units: vec![],
        hazards: vec![],
    };
    store
        .apply(
            &Command::ImportSectorPlan {
                content: Box::new(content),
            },
            "测试员",
        )
        .unwrap();
    store
}

#[test]
fn records_are_added_edited_deleted_restored_with_history() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let a = add(&store, "一号煤矿", false);
    let b = add(&store, "二号煤矿", true);
    assert_ne!(a, b);
    let list = store.records(FORM).unwrap();
    assert_eq!(list.len(), 2);
    assert!(list[0].counts());
    assert!(!list[1].counts(), "a draft never counts");
    assert_eq!(list[0].form_version, "1.0.0");
    assert_eq!(list[0].author, "测试员");

    store
        .apply(
            &Command::EditRecord {
                id: a,
                values: values("一号煤矿", 120.0),
                draft: false,
            },
            "审核员",
        )
        .unwrap();
    let r = store.record(a).unwrap().unwrap();
    assert_eq!(r.values["capacity"], Value::Decimal(120.0));
    assert_eq!(r.revision, 2);

    store
        .apply(&Command::DeleteRecord { id: a }, "审核员")
        .unwrap();
    let r = store.record(a).unwrap().unwrap();
    assert!(r.deleted && !r.counts());
    assert_eq!(
        store.records(FORM).unwrap().len(),
        2,
        "soft delete keeps it"
    );
    store
        .apply(&Command::RestoreRecord { id: a }, "审核员")
        .unwrap();
    assert!(store.record(a).unwrap().unwrap().counts());

    // Who changed what, when: newest first, with before and after.
    let history = store.audit(Some(&format!("record:{a}")), 10).unwrap();
    assert_eq!(history.len(), 4);
    assert_eq!(history[0].action, "restore_record");
    assert_eq!(history[2].actor, "审核员");
    assert_eq!(
        history[2].before.as_ref().unwrap()["values"]["capacity"]["value"],
        90.0
    );
    assert_eq!(store.record_counts().unwrap()[FORM], 2);

    // A record that does not exist: a clear error, nothing written.
    let n = store.audit(None, 100).unwrap().len();
    let err = store
        .apply(&Command::DeleteRecord { id: 999_999 }, "x")
        .unwrap_err();
    assert!(err.to_string().contains("台账记录"), "{err}");
    assert_eq!(store.audit(None, 100).unwrap().len(), n);
    // A bad form id is refused before it meets the store.
    assert!(
        store
            .apply(
                &Command::AddRecord {
                    form: "no-slash".into(),
                    form_version: "1".into(),
                    values: BTreeMap::new(),
                    draft: false
                },
                "x"
            )
            .is_err()
    );

    // Reopen: all there.
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.records(FORM).unwrap().len(), 2);
    assert!(store.check().unwrap().problems.is_empty());
}

#[test]
fn hand_entered_values_belong_to_a_known_target_and_survive_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_target(dir.path());
    let day = NaiveDate::from_ymd_opt(2021, 12, 31).unwrap();
    let m = |target: &str, value: f64| Command::AddMeasurement {
        target: target.into(),
        date: day,
        value,
        town: None,
        source: "区应急管理局年报".into(),
    };
    store
        .apply(&m("coal-mining/accidents", 3.0), "统计员")
        .unwrap();
    assert!(store.apply(&m("coal-mining/nope", 3.0), "统计员").is_err());
    assert!(
        store
            .apply(&m("coal-mining/accidents", f64::NAN), "统计员")
            .is_err()
    );
    let targets = store.targets().unwrap();
    let t = targets
        .iter()
        .find(|t| t.id == "coal-mining/accidents")
        .unwrap();
    assert_eq!(t.measurements.len(), 1);
    assert_eq!(t.measurements[0].value, 3.0);
    assert_eq!(t.measurements[0].source, "区应急管理局年报");
    add(&store, "一号煤矿", false);

    let backup = dir.path().join("b.anwei-backup");
    store.backup_to(&backup).unwrap();
    drop(store);
    let other = tempfile::tempdir().unwrap();
    anwei_store::restore(other.path(), &backup).unwrap();
    let restored = Store::open(other.path()).unwrap();
    assert_eq!(restored.records(FORM).unwrap().len(), 1);
    let targets = restored.targets().unwrap();
    let t = targets
        .iter()
        .find(|t| t.id == "coal-mining/accidents")
        .unwrap();
    assert_eq!(t.measurements.len(), 1);
}

/// sled's database at `dir`, once the store that had it open has let go of it (its lock is
/// held a moment longer by a file truncation finishing on sled's own thread).
fn sled_open(dir: &std::path::Path) -> sled::Db {
    let started = std::time::Instant::now();
    loop {
        match sled::open(dir) {
            Ok(db) => return db,
            Err(e) if started.elapsed() < std::time::Duration::from_secs(3) => {
                let _ = e;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => panic!("{e}"),
        }
    }
}

/// Rewrites the record rows of the database at `root` (holding `rows_now`) as JSON (the layout before schema
/// v5) — all of them, or every other one — and sets the schema version to 4.
fn make_v4(root: &std::path::Path, rows_now: &[anwei_core::FormRecord], every_other: bool) {
    let db = sled_open(&root.join("db"));
    let records = db.open_tree("records").unwrap();
    let rows: Vec<_> = records.iter().map(|kv| kv.unwrap()).collect();
    assert!(!rows.is_empty());
    for (i, (k, v)) in rows.into_iter().enumerate() {
        assert_eq!(v[0], 0x06, "v5 rows are binary, fields numbered");
        if every_other && i % 2 == 1 {
            continue;
        }
        let (form, id) = (
            std::str::from_utf8(&k[..k.len() - 9]).unwrap().to_owned(),
            u64::from_be_bytes(k[k.len() - 8..].try_into().unwrap()),
        );
        let record = rows_now
            .iter()
            .find(|r| r.id == id && r.form == form)
            .unwrap();
        records
            .insert(k, serde_json::to_vec(record).unwrap())
            .unwrap();
    }
    db.open_tree("meta")
        .unwrap()
        .insert("schema_version", serde_json::to_vec(&4u32).unwrap())
        .unwrap();
    db.flush().unwrap();
}

#[test]
fn records_of_a_v4_database_are_rewritten_in_the_binary_format_and_read_the_same() {
    for every_other in [false, true] {
        let tmp = tempfile::tempdir().unwrap();
        let before = {
            let store = Store::open(tmp.path()).unwrap();
            for i in 0..25 {
                add(&store, &format!("第{i}号煤矿"), i % 7 == 0);
            }
            store.records(FORM).unwrap()
        };
        make_v4(tmp.path(), &before, every_other);
        let store = Store::open(tmp.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), anwei_store::SCHEMA_VERSION);
        assert_eq!(store.records(FORM).unwrap(), before);
        assert_eq!(
            store.record(before[3].id).unwrap().as_ref(),
            Some(&before[3])
        );
        drop(store);
        let db = sled_open(&tmp.path().join("db"));
        for kv in db.open_tree("records").unwrap().iter() {
            assert_eq!(kv.unwrap().1[0], 0x06, "every row rewritten");
        }
    }
}

#[test]
fn a_record_takes_less_than_half_the_bytes_of_its_json() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path()).unwrap();
    let id = add(&store, "第1号煤矿", false);
    let record = store.record(id).unwrap().unwrap();
    drop(store);
    let db = sled_open(&tmp.path().join("db"));
    let (_, row) = db.open_tree("records").unwrap().first().unwrap().unwrap();
    let json = serde_json::to_vec(&record).unwrap();
    assert!(
        row.len() * 2 < json.len(),
        "{} bytes vs JSON {}",
        row.len(),
        json.len()
    );
}

#[test]
fn check_reports_a_record_that_does_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    {
        let store = Store::open(tmp.path()).unwrap();
        add(&store, "甲煤矿", false);
        add(&store, "乙煤矿", false);
        assert!(store.check().unwrap().problems.is_empty());
    }
    {
        let db = sled_open(&tmp.path().join("db"));
        let records = db.open_tree("records").unwrap();
        let (k, v) = records.first().unwrap().unwrap();
        records.insert(k, &v[..v.len() / 2]).unwrap();
        db.flush().unwrap();
    }
    let store = Store::open(tmp.path()).unwrap();
    let problems = store.check().unwrap().problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("无法解析"), "{problems:?}");
    // Reading the register names the damage instead of panicking.
    assert!(store.records(FORM).is_err());
}

/// An import of more records than one part (4 096) is written in parts — one transaction of
/// 100 000 records held gigabytes — and still whole: one audit record, every record and its
/// index, and no reader meanwhile sees some of its records.
#[test]
fn an_import_written_in_parts_is_whole_and_no_reader_sees_part_of_it() {
    use std::sync::atomic::{AtomicBool, Ordering};

    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let n = 3 * 4_096 + 17;
    let rows: Vec<anwei_core::RecordRow> = (0..n)
        .map(|i| anwei_core::RecordRow {
            values: values(&format!("第{i}号煤矿"), 30.0),
            draft: false,
        })
        .collect();
    let reader = store.record_reader();
    let stop = AtomicBool::new(false);
    let counts = std::thread::scope(|s| {
        let watcher = s.spawn(|| {
            let mut counts = std::collections::BTreeSet::new();
            while !stop.load(Ordering::Relaxed) {
                counts.insert(reader.for_each_view(FORM, |_| {}).unwrap());
            }
            counts
        });
        let applied = store
            .apply(
                &Command::ImportRecords {
                    form: FORM.into(),
                    form_version: "1.0.0".into(),
                    rows,
                    source: "测试.jsonl".into(),
                },
                "测试员",
            )
            .unwrap();
        stop.store(true, Ordering::Relaxed);
        assert!(applied.audit_id > 0);
        watcher.join().unwrap()
    });
    assert!(
        counts.iter().all(|c| *c == 0 || *c == n),
        "a reader saw part of the import: {counts:?}"
    );
    assert_eq!(store.records(FORM).unwrap().len(), n);
    let report = store.check().unwrap();
    assert!(report.problems.is_empty(), "{report:?}");
    assert_eq!(report.counts["records"], n);
    assert_eq!(report.counts["record_index"], n);
    let audit = store.audit(Some(&format!("form:{FORM}")), 10).unwrap();
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(audit[0].action, "import_records");

    // Reopened: nothing was left marked as unfinished.
    drop(reader);
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    let report = store.check().unwrap();
    assert!(
        report.notes.iter().all(|n| !n.contains("撤回")),
        "{report:?}"
    );
    assert_eq!(store.records(FORM).unwrap().len(), n);
}

fn import(store: &Store, form: &str, n: usize) {
    let rows = (0..n)
        .map(|i| anwei_core::RecordRow {
            values: values(&format!("第{i}号"), 30.0),
            draft: false,
        })
        .collect();
    store
        .apply(
            &Command::ImportRecords {
                form: form.into(),
                form_version: "1.0.0".into(),
                rows,
                source: "测试.jsonl".into(),
            },
            "测试员",
        )
        .unwrap();
}

/// Each form's record count is kept with the changes that add records, so that the desk
/// never counts a register as it opens: records added one by one and imported in parts,
/// edited, deleted (a deleted record still counts), the store reopened. A database without
/// the counts — coming from schema v5, or restored from a backup, which does not carry
/// them — gets them counted as it opens.
#[test]
fn record_counts_are_kept_with_every_change_and_counted_when_missing() {
    const OTHER: &str = "non-coal-mining/mine-register";
    let tmp = tempfile::tempdir().unwrap();
    let expected = BTreeMap::from([(FORM.to_owned(), 3 + 4_100), (OTHER.to_owned(), 5)]);
    {
        let store = Store::open(tmp.path()).unwrap();
        assert!(store.record_counts().unwrap().is_empty());
        let a = add(&store, "甲煤矿", false);
        add(&store, "乙煤矿", true);
        add(&store, "丙煤矿", false);
        import(&store, FORM, 4_100);
        import(&store, OTHER, 5);
        store
            .apply(
                &Command::EditRecord {
                    id: a,
                    values: values("甲煤矿", 120.0),
                    draft: false,
                },
                "审核员",
            )
            .unwrap();
        store
            .apply(&Command::DeleteRecord { id: a }, "审核员")
            .unwrap();
        assert_eq!(store.record_counts().unwrap(), expected);
        assert!(store.check().unwrap().problems.is_empty());
        store.backup_to(&tmp.path().join("b.anwei-backup")).unwrap();
    }
    let store = Store::open(tmp.path()).unwrap();
    assert_eq!(store.record_counts().unwrap(), expected);
    drop(store);

    // A v5 database: no counts.
    {
        let db = sled_open(&tmp.path().join("db"));
        assert!(db.drop_tree("record_counts").unwrap());
        db.open_tree("meta")
            .unwrap()
            .insert("schema_version", serde_json::to_vec(&5u32).unwrap())
            .unwrap();
        db.flush().unwrap();
    }
    let store = Store::open(tmp.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), anwei_store::SCHEMA_VERSION);
    assert_eq!(store.record_counts().unwrap(), expected);
    add(&store, "丁煤矿", false);
    assert_eq!(store.record_counts().unwrap()[FORM], 3 + 4_100 + 1);
    drop(store);

    // Restored from the backup: counted again, as of the backup.
    let restored = tempfile::tempdir().unwrap();
    anwei_store::restore(restored.path(), &tmp.path().join("b.anwei-backup")).unwrap();
    let store = Store::open(restored.path()).unwrap();
    assert_eq!(store.record_counts().unwrap(), expected);
    assert!(store.check().unwrap().problems.is_empty());
}

/// `check` says when a kept count differs from the records there are.
#[test]
fn check_names_a_count_that_differs_from_the_records() {
    let tmp = tempfile::tempdir().unwrap();
    {
        let store = Store::open(tmp.path()).unwrap();
        add(&store, "甲煤矿", false);
        add(&store, "乙煤矿", false);
    }
    {
        let db = sled_open(&tmp.path().join("db"));
        db.open_tree("record_counts")
            .unwrap()
            .insert(FORM, &7u64.to_be_bytes())
            .unwrap();
        db.flush().unwrap();
    }
    let store = Store::open(tmp.path()).unwrap();
    let problems = store.check().unwrap().problems;
    assert_eq!(
        problems,
        vec![format!("表单 {FORM} 记下的记录数为 7 条，实有 2 条")]
    );
}

/// An issued notice's PDF is kept beside its record, carried by backups, and `check` says
/// when it is missing or no longer what was issued.
#[test]
fn an_issued_notice_keeps_its_pdf_through_a_backup_and_check_notices_a_change() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = b"%PDF-1.7 issued notice".to_vec();
    {
        let store = store_with_target(tmp.path());
        let task = store.tasks().unwrap()[0].id.clone();
        store
            .apply(
                &Command::RecordNotice {
                    task,
                    year: 2026,
                    number: 1,
                    recipient: "区应急管理局".into(),
                    new_deadline: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
                    file: None,
                    date: NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(),
                    pdf: pdf.clone(),
                    doc_prefix: String::new(),
                },
                "测试员",
            )
            .unwrap();
        assert_eq!(store.notice_pdf(2026, 1).unwrap(), Some(pdf.clone()));
        assert!(store.check().unwrap().problems.is_empty());
        store.backup_to(&tmp.path().join("b.anwei-backup")).unwrap();
    }
    let restored = tempfile::tempdir().unwrap();
    anwei_store::restore(restored.path(), &tmp.path().join("b.anwei-backup")).unwrap();
    assert_eq!(
        Store::open(restored.path())
            .unwrap()
            .notice_pdf(2026, 1)
            .unwrap(),
        Some(pdf.clone())
    );

    for (damage, said) in [
        (Some(b"%PDF-1.7 changed".as_slice()), "已被改动"),
        (None, "缺失"),
    ] {
        {
            let db = sled_open(&tmp.path().join("db"));
            let files = db.open_tree("notice_files").unwrap();
            let (key, _) = files.first().unwrap().unwrap();
            match damage {
                Some(bytes) => files.insert(key, bytes).unwrap(),
                None => files.remove(key).unwrap(),
            };
            db.flush().unwrap();
        }
        let store = Store::open(tmp.path()).unwrap();
        let problems = store.check().unwrap().problems;
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("〔2026〕1号") && problems[0].contains(said),
            "{problems:?}"
        );
    }
}
