//! Tests of the store against real sled databases in temporary folders.
//!
//! The v1 fixture `tests/fixtures/store-v1/data.tar.gz` (at the workspace root) is a data
//! folder written in the schema-v1 layout by raw sled 0.34.7. To regenerate it (only needed if
//! the v1 layout description below changes):
//!
//! ```text
//! ANWEI_WRITE_FIXTURE=1 cargo test -p anwei-store --test store make_v1_fixture -- --ignored
//! ```
//!
//! and commit the new archive. The v1 layout: meta `schema_version` = JSON `1`; `campaigns`,
//! `plans`, `tasks`, `units` as in v2 (JSON by id); `progress` keyed by entry id (u64
//! big-endian) with JSON values naming the percent field `pct` and carrying the `task`; no
//! `progress_index`; `audit` keyed by audit id (u64 big-endian).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use anwei_core::{CampaignData, Command, EvidenceSource, ProgressEntry, UnitKind};
use anwei_store::{
    AUTO_KEEP, EXTENSION, ImportOutcome, SCHEMA_VERSION, Store, StoreError, auto_backups,
    latest_auto_backup, restore,
};
use chrono::NaiveDate;

const ACTOR: &str = "测试员";

/// The demo as one campaign (seed 004's table among 麒麟区's plans), as the committed v1
/// database holds it.
fn demo() -> CampaignData {
    anwei_exchange::wave1_demo().unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn add(task: &str, text: &str, percent: Option<u8>, attach: &[&Path]) -> Command {
    Command::AddProgress {
        milestone: None,
        task: task.to_owned(),
        date: date(2020, 6, 1),
        text: text.to_owned(),
        percent,
        done: false,
        attach: attach
            .iter()
            .map(|p| EvidenceSource {
                path: p.to_string_lossy().into_owned(),
            })
            .collect(),
    }
}

/// A store in `root` with the demo campaign imported.
fn demo_store(root: &Path) -> Store {
    let store = Store::open(root).unwrap();
    store.import_campaign(&demo(), ACTOR).unwrap();
    store
}

fn first_task(store: &Store) -> String {
    store.tasks().unwrap()[0].id.clone()
}

/// Every file under `dir`, by path relative to it, with its bytes.
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

/// Deterministic pseudo-random bytes.
fn garbage(len: usize, seed: u32) -> Vec<u8> {
    let mut x = 0x9E37_79B9_u32 ^ seed;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x.to_le_bytes()[0]
        })
        .collect()
}

// ----- round trip ------------------------------------------------------------------------

#[test]
fn changes_round_trip_through_reopen_with_an_audit_trail() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let photo = tmp.path().join("现场照片.txt");
    let photo_bytes = "隐患整改前后对比\n".repeat(50).into_bytes();
    std::fs::write(&photo, &photo_bytes).unwrap();

    let store = Store::open(&root).unwrap();
    assert!(store.is_empty());
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let data = demo();
    let outcome = store.import_campaign(&data, ACTOR).unwrap();
    let ImportOutcome::Imported {
        plans,
        tasks,
        units,
    } = outcome
    else {
        panic!("first import must import: {outcome:?}");
    };
    assert_eq!((plans, tasks), (3, 92));
    assert_eq!(units, data.units.len());
    assert_eq!(store.tasks().unwrap().len(), 92);

    // AddProgress with an evidence file.
    let task = first_task(&store);
    let added = store
        .apply(&add(&task, " 已召开部署会 ", Some(30), &[&photo]), ACTOR)
        .unwrap();
    let entry = added.entry.clone().unwrap();
    assert_eq!(entry.text, "已召开部署会");
    assert_eq!(entry.percent, Some(30));
    assert_eq!(entry.revision, 1);
    assert_eq!(entry.author, ACTOR);
    assert_eq!(entry.evidence.len(), 1);
    let ev = &entry.evidence[0];
    assert_eq!(ev.name, "现场照片.txt");
    assert_eq!(ev.size, photo_bytes.len() as u64);
    let stored = root.join("evidence").join(&ev.stored);
    assert!(stored.starts_with(root.join("evidence").join(entry.id.to_string())));
    assert_eq!(std::fs::read(&stored).unwrap(), photo_bytes);

    // EditProgress: revision 2, audit has before and after.
    let edited = store
        .apply(
            &Command::EditProgress {
                milestone: None,
                entry: entry.id,
                date: date(2020, 6, 2),
                text: "部署会已召开，方案已印发".to_owned(),
                percent: Some(60),
                done: false,
                attach: vec![],
                detach: vec![],
            },
            ACTOR,
        )
        .unwrap()
        .entry
        .unwrap();
    assert_eq!(edited.id, entry.id);
    assert_eq!(edited.revision, 2);
    assert_eq!(edited.percent, Some(60));
    assert_eq!(edited.evidence, entry.evidence, "evidence kept by an edit");
    assert_eq!(edited.created_at, entry.created_at);
    let trail = store
        .audit(Some(&format!("progress:{}", entry.id)), 10)
        .unwrap();
    assert_eq!(trail.len(), 2);
    let before: ProgressEntry = serde_json::from_value(trail[0].before.clone().unwrap()).unwrap();
    let after: ProgressEntry = serde_json::from_value(trail[0].after.clone().unwrap()).unwrap();
    assert_eq!(before, entry);
    assert_eq!(after, edited);
    assert!(trail[1].before.is_none(), "a new entry has no before");
    assert_eq!(
        store.progress_entry(entry.id).unwrap(),
        Some(edited.clone())
    );
    assert_eq!(store.progress_of(&task).unwrap(), vec![edited.clone()]);

    // RenameUnit: the old name becomes an alias; tasks refer by id.
    let tasks_before = store.tasks().unwrap();
    let unit_id = tasks_before
        .iter()
        .find_map(|t| t.roles.first())
        .unwrap()
        .unit
        .clone();
    let old_name = store.unit_directory().unwrap().name_of(&unit_id).to_owned();
    let renamed = store
        .apply(
            &Command::RenameUnit {
                unit: unit_id.clone(),
                name: "麒麟区测试改名局".to_owned(),
            },
            ACTOR,
        )
        .unwrap()
        .unit
        .unwrap();
    assert_eq!(renamed.name, "麒麟区测试改名局");
    assert!(renamed.aliases.contains(&old_name), "{renamed:?}");
    let dir = store.unit_directory().unwrap();
    assert_eq!(dir.name_of(&unit_id), "麒麟区测试改名局");
    assert_eq!(dir.resolve(&old_name).unwrap().id, unit_id);
    assert_eq!(store.tasks().unwrap(), tasks_before, "tasks are untouched");

    // SetDueSoonDays.
    let days = store.settings().unwrap().due_soon_days + 4;
    store
        .apply(&Command::SetDueSoonDays { days }, ACTOR)
        .unwrap();
    assert_eq!(store.settings().unwrap().due_soon_days, days);
    assert_eq!(store.settings().unwrap().rules().due_soon_days, days);

    // Everything reads back equal after a reopen.
    let snapshot = |s: &Store| {
        (
            s.dump().unwrap(),
            s.campaigns().unwrap(),
            s.plans().unwrap(),
            s.tasks().unwrap(),
            s.units().unwrap(),
            s.all_progress().unwrap(),
            s.settings().unwrap(),
            s.audit(None, 1000).unwrap(),
        )
    };
    let before_reopen = snapshot(&store);
    drop(store);
    let store = Store::open(&root).unwrap();
    assert_eq!(snapshot(&store), before_reopen);
    assert_eq!(store.settings().unwrap().due_soon_days, days);
    assert_eq!(
        store.unit_directory().unwrap().name_of(&unit_id),
        "麒麟区测试改名局"
    );
    assert_eq!(store.progress_entry(entry.id).unwrap(), Some(edited));
    assert!(store.check().unwrap().problems.is_empty());

    // One audit record per change, newest first, with actor and timestamp.
    let audit = store.audit(None, 1000).unwrap();
    let actions: Vec<&str> = audit.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "set_due_soon_days",
            "rename_unit",
            "edit_progress",
            "add_progress",
            "import_campaign"
        ]
    );
    for pair in audit.windows(2) {
        assert!(pair[0].id > pair[1].id, "newest first");
    }
    for r in &audit {
        assert_eq!(r.actor, ACTOR);
        chrono::DateTime::parse_from_rfc3339(&r.at)
            .unwrap_or_else(|e| panic!("timestamp {:?}: {e}", r.at));
        assert!(!r.summary.is_empty());
    }
    assert_eq!(audit[1].target, format!("unit:{unit_id}"));

    // Importing again is idempotent.
    let counts = store.check().unwrap().counts;
    let dump = store.dump().unwrap();
    assert_eq!(
        store.import_campaign(&data, ACTOR).unwrap(),
        ImportOutcome::AlreadyPresent
    );
    assert_eq!(
        store.import_campaign(&data, ACTOR).unwrap(),
        ImportOutcome::AlreadyPresent
    );
    assert_eq!(store.check().unwrap().counts, counts);
    assert_eq!(store.dump().unwrap(), dump);
}

#[test]
fn detached_evidence_is_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    std::fs::write(a.join("报告.txt"), "第一版").unwrap();
    std::fs::write(b.join("报告.txt"), "第二版").unwrap();
    let store = demo_store(&root);
    let task = first_task(&store);
    let entry = store
        .apply(&add(&task, "上报", None, &[&a.join("报告.txt")]), ACTOR)
        .unwrap()
        .entry
        .unwrap();
    let first = entry.evidence[0].stored.clone();
    // Detach the first file and attach another file of the same name.
    let edited = store
        .apply(
            &Command::EditProgress {
                milestone: None,
                entry: entry.id,
                date: entry.date,
                text: entry.text.clone(),
                percent: None,
                done: false,
                attach: vec![EvidenceSource {
                    path: b.join("报告.txt").to_string_lossy().into_owned(),
                }],
                detach: vec![first.clone()],
            },
            ACTOR,
        )
        .unwrap()
        .entry
        .unwrap();
    assert_eq!(edited.evidence.len(), 1);
    assert_ne!(edited.evidence[0].stored, first);
    assert_eq!(edited.evidence[0].name, "报告.txt");
    let ev = root.join("evidence");
    assert_eq!(std::fs::read_to_string(ev.join(&first)).unwrap(), "第一版");
    assert_eq!(
        std::fs::read_to_string(ev.join(&edited.evidence[0].stored)).unwrap(),
        "第二版"
    );
}

// ----- validation ------------------------------------------------------------------------

#[test]
fn bad_commands_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let file = tmp.path().join("ok.txt");
    std::fs::write(&file, "ok").unwrap();
    let missing = tmp.path().join("missing.txt");
    let store = demo_store(&root);
    let task = first_task(&store);
    let entry = store
        .apply(&add(&task, "第一次进展", Some(10), &[&file]), ACTOR)
        .unwrap()
        .entry
        .unwrap();
    let units = store.units().unwrap();
    let (a, b) = (&units[0], &units[1]);

    let dump = store.dump().unwrap();
    let evidence = files_under(&root.join("evidence"));
    let edit = |percent: Option<u8>, text: &str, entry_id: u64| Command::EditProgress {
        milestone: None,
        entry: entry_id,
        date: date(2020, 7, 1),
        text: text.to_owned(),
        percent,
        done: false,
        attach: vec![],
        detach: vec![],
    };
    type Expected = fn(&StoreError) -> bool;
    let cases: Vec<(&str, Command, Expected)> = vec![
        (
            "percent 101",
            add(&task, "x", Some(101), &[]),
            |e| matches!(e, StoreError::Invalid(m) if m.contains("101")),
        ),
        ("unknown task", add("no-such-task", "x", None, &[]), |e| {
            matches!(e, StoreError::NotFound { .. })
        }),
        ("empty progress", add(&task, "   ", None, &[]), |e| {
            matches!(e, StoreError::Invalid(_))
        }),
        (
            "missing attachment after a good one",
            add(&task, "x", None, &[&file, &missing]),
            |e| matches!(e, StoreError::Io { .. }),
        ),
        ("edit percent 101", edit(Some(101), "x", entry.id), |e| {
            matches!(e, StoreError::Invalid(_))
        }),
        ("edit unknown entry", edit(None, "x", 987_654_321), |e| {
            matches!(e, StoreError::NotFound { .. })
        }),
        ("edit to empty", edit(None, " ", entry.id), |e| {
            matches!(e, StoreError::Invalid(_))
        }),
        (
            "alias clash with another unit",
            Command::SetUnitAliases {
                unit: a.id.clone(),
                aliases: vec![b.name.clone()],
            },
            |e| matches!(e, StoreError::Invalid(_)),
        ),
        (
            "alias clash with another unit's alias",
            Command::SetUnitAliases {
                unit: b.id.clone(),
                aliases: vec!["新别名".to_owned(), a.aliases[0].clone()],
            },
            |e| matches!(e, StoreError::Invalid(_)),
        ),
        (
            "rename onto another unit's name",
            Command::RenameUnit {
                unit: a.id.clone(),
                name: b.name.clone(),
            },
            |e| matches!(e, StoreError::Invalid(_)),
        ),
        (
            "add a unit under a taken name",
            Command::AddUnit {
                name: format!(" {} ", b.name),
                kind: UnitKind::Department,
                aliases: vec![],
            },
            |e| matches!(e, StoreError::Invalid(_)),
        ),
        (
            "rename an unknown unit",
            Command::RenameUnit {
                unit: "u9999".to_owned(),
                name: "某局".to_owned(),
            },
            |e| matches!(e, StoreError::NotFound { .. }),
        ),
        (
            "due-soon days 400",
            Command::SetDueSoonDays { days: 400 },
            |e| matches!(e, StoreError::Invalid(_)),
        ),
        (
            "empty user name",
            Command::SetUserName { name: " ".into() },
            |e| matches!(e, StoreError::Invalid(_)),
        ),
    ];
    assert!(!a.aliases.is_empty(), "the demo's first unit has aliases");
    for (what, cmd, expected) in cases {
        let err = store.apply(&cmd, ACTOR).expect_err(what);
        assert!(expected(&err), "{what}: unexpected error {err:?}");
        assert!(!err.to_string().is_empty());
        assert_eq!(store.dump().unwrap(), dump, "{what} changed the database");
        assert_eq!(
            files_under(&root.join("evidence")),
            evidence,
            "{what} left evidence files"
        );
        // apply_many stops at the bad command and applies nothing of it.
        assert!(store.apply_many(&[cmd], ACTOR).is_err(), "{what}");
        assert_eq!(store.dump().unwrap(), dump, "{what} (apply_many)");
    }
    // Nothing was left behind on disk either: a reopen reads the same.
    drop(store);
    let store = Store::open(&root).unwrap();
    assert_eq!(store.dump().unwrap(), dump);
    assert!(store.check().unwrap().problems.is_empty());
}

// ----- migration from v1 -----------------------------------------------------------------

fn fixture_archive() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/store-v1/data.tar.gz")
}

/// The progress entries of the v1 fixture: (task index in the demo, text, pct, done).
fn v1_entries() -> Vec<(usize, &'static str, Option<u8>, bool)> {
    vec![
        (
            0,
            "召开全区安全生产专项整治三年行动动员部署会",
            Some(20),
            false,
        ),
        (0, "印发实施方案", Some(45), false),
        (1, "完成第一轮隐患排查", None, false),
        (5, "建立问题隐患和制度措施“两个清单”", Some(100), true),
        (91, "改革任务已启动", Some(0), false),
    ]
}

/// Writes the v1 fixture with raw sled. See the top of this file.
#[test]
#[ignore = "writes the committed fixture; run with ANWEI_WRITE_FIXTURE=1"]
fn make_v1_fixture() {
    if std::env::var_os("ANWEI_WRITE_FIXTURE").is_none() {
        eprintln!(
            "set ANWEI_WRITE_FIXTURE=1 to rewrite {}",
            fixture_archive().display()
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let db_path = tmp.path().join("db");
    let data = demo();
    {
        let db = sled::open(&db_path).unwrap();
        let tree = |name: &str| db.open_tree(name).unwrap();
        let at = "2020-06-01T09:00:00.000+08:00";
        let meta = tree("meta");
        meta.insert("schema_version", serde_json::to_vec(&1u32).unwrap())
            .unwrap();
        tree("campaigns")
            .insert(data.campaign.id.as_bytes(), json(&data.campaign))
            .unwrap();
        for p in &data.plans {
            tree("plans").insert(p.id.as_bytes(), json(p)).unwrap();
        }
        for t in &data.tasks {
            tree("tasks").insert(t.id.as_bytes(), json(t)).unwrap();
        }
        for u in &data.units {
            tree("units").insert(u.id.as_bytes(), json(u)).unwrap();
        }
        let audit = tree("audit");
        let audit_record = |action: &str, target: String, after: serde_json::Value| {
            let id = db.generate_id().unwrap() + 1;
            let rec = serde_json::json!({
                "id": id, "at": at, "actor": "v1 用户", "action": action,
                "summary": format!("v1 {action}"), "target": target, "after": after,
            });
            audit
                .insert(id.to_be_bytes(), serde_json::to_vec(&rec).unwrap())
                .unwrap();
        };
        audit_record(
            "import_campaign",
            format!("campaign:{}", data.campaign.id),
            serde_json::json!({"tasks": data.tasks.len()}),
        );
        let progress = tree("progress");
        for (task, text, pct, done) in v1_entries() {
            let id = db.generate_id().unwrap() + 1;
            let mut entry = serde_json::json!({
                "id": id, "task": data.tasks[task].id, "date": "2020-06-01", "text": text,
                "done": done, "evidence": [], "author": "v1 用户",
                "created_at": at, "updated_at": at, "revision": 1,
            });
            if let Some(pct) = pct {
                entry["pct"] = pct.into();
            }
            progress
                .insert(id.to_be_bytes(), serde_json::to_vec(&entry).unwrap())
                .unwrap();
            audit_record("add_progress", format!("progress:{id}"), entry);
        }
        tree("settings")
            .insert("due_soon_days", serde_json::to_vec(&10u32).unwrap())
            .unwrap();
        db.flush().unwrap();
    }
    let archive = fixture_archive();
    std::fs::create_dir_all(archive.parent().unwrap()).unwrap();
    let gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&archive).unwrap(),
        flate2::Compression::best(),
    );
    let mut builder = tar::Builder::new(gz);
    builder.append_dir_all("db", &db_path).unwrap();
    builder.into_inner().unwrap().finish().unwrap();
    eprintln!("wrote {}", archive.display());
}

fn json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

/// Unpacks the v1 fixture into `root`.
fn unpack_v1(root: &Path) {
    let file = std::fs::File::open(fixture_archive()).expect("v1 fixture archive");
    tar::Archive::new(flate2::read::GzDecoder::new(file))
        .unpack(root)
        .unwrap();
    assert!(root.join("db").join("conf").is_file());
}

#[test]
fn a_v1_database_is_migrated() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    unpack_v1(&root);
    // The fixture really is v1: progress keyed by bare entry ids, `pct`, no index.
    {
        let db = sled::open(root.join("db")).unwrap();
        assert_eq!(
            db.open_tree("meta").unwrap().get("schema_version").unwrap(),
            Some(sled::IVec::from(&b"1"[..]))
        );
        assert!(
            !db.tree_names()
                .iter()
                .any(|n| n.as_ref() == b"progress_index")
        );
        let (k, v) = db.open_tree("progress").unwrap().first().unwrap().unwrap();
        assert_eq!(k.len(), 8);
        assert!(String::from_utf8_lossy(&v).contains("\"pct\""));
    }

    let data = demo();
    let store = Store::open(&root).unwrap();
    assert_eq!(store.schema_version().unwrap(), anwei_store::SCHEMA_VERSION);
    // A wave-1 database: its root-of-trust files are still to be moved in (once).
    assert!(store.legacy_trust_pending().unwrap());
    store.legacy_trust_done().unwrap();
    assert!(!store.legacy_trust_pending().unwrap());
    assert!(store.targets().unwrap().is_empty());
    assert_eq!(store.tasks().unwrap().len(), 92);
    assert_eq!(store.settings().unwrap().due_soon_days, 10);
    let mut seen = 0;
    for (index, task) in data.tasks.iter().enumerate() {
        let expected: Vec<_> = v1_entries().into_iter().filter(|e| e.0 == index).collect();
        let got = store.progress_of(&task.id).unwrap();
        assert_eq!(got.len(), expected.len(), "task {}", task.id);
        for (entry, (_, text, pct, done)) in got.iter().zip(&expected) {
            assert_eq!(entry.task, task.id);
            assert_eq!(entry.text, *text);
            assert_eq!(entry.percent, *pct, "percent preserved for {text}");
            assert_eq!(entry.done, *done);
            assert_eq!(entry.author, "v1 用户");
            assert_eq!(
                store.progress_entry(entry.id).unwrap().as_ref(),
                Some(entry)
            );
            seen += 1;
        }
    }
    assert_eq!(seen, v1_entries().len());
    assert_eq!(store.all_progress().unwrap().len(), seen);
    let summaries = store.progress_summaries().unwrap();
    assert_eq!(summaries[&data.tasks[0].id].entries, 2);
    assert_eq!(summaries[&data.tasks[0].id].percent, Some(45));
    assert!(summaries[&data.tasks[5].id].done);
    assert_eq!(
        store.audit(None, 100).unwrap().len(),
        1 + v1_entries().len()
    );
    let report = store.check().unwrap();
    assert_eq!(report.schema_version, anwei_store::SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.counts["progress_index"], seen);

    // New entries get fresh ids, next to the migrated ones.
    let old_ids: Vec<u64> = store.all_progress().unwrap().iter().map(|e| e.id).collect();
    let new = store
        .apply(
            &add(&data.tasks[0].id, "迁移后的新进展", Some(70), &[]),
            ACTOR,
        )
        .unwrap()
        .entry
        .unwrap();
    assert!(!old_ids.contains(&new.id));
    assert_eq!(store.progress_of(&data.tasks[0].id).unwrap().len(), 3);
    assert_eq!(store.all_progress().unwrap().len(), seen + 1);

    // The migration is done once: a reopen keeps everything.
    let dump = store.dump().unwrap();
    drop(store);
    let store = Store::open(&root).unwrap();
    assert_eq!(store.dump().unwrap(), dump);
    assert!(store.check().unwrap().problems.is_empty());
}

// ----- backup and restore ----------------------------------------------------------------

fn read_tar_gz(path: &Path) -> Vec<(String, Vec<u8>)> {
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
        .filter(|(name, _)| !name.ends_with('/'))
        .collect()
}

fn write_tar_gz(path: &Path, files: &[(String, Vec<u8>)]) {
    let gz = flate2::write::GzEncoder::new(
        std::fs::File::create(path).unwrap(),
        flate2::Compression::fast(),
    );
    let mut builder = tar::Builder::new(gz);
    for (name, bytes) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, name, bytes.as_slice())
            .unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap();
}

#[test]
fn backup_and_restore_give_back_everything() {
    let tmp = tempfile::tempdir().unwrap();
    let (root_a, root_b, root_c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let photo = tmp.path().join("photo.bin");
    std::fs::write(&photo, garbage(70_000, 1)).unwrap();
    let memo = tmp.path().join("会议纪要.txt");
    std::fs::write(&memo, "纪要").unwrap();

    let store = demo_store(&root_a);
    let tasks = store.tasks().unwrap();
    store
        .apply(
            &add(&tasks[0].id, "整改", Some(50), &[&photo, &memo]),
            ACTOR,
        )
        .unwrap();
    store
        .apply(&add(&tasks[3].id, "验收", None, &[&photo]), ACTOR)
        .unwrap();
    store
        .apply(
            &Command::SetUserName {
                name: "安委办".into(),
            },
            ACTOR,
        )
        .unwrap();
    let backup = tmp.path().join(format!("desk.{EXTENSION}"));
    let info = store.backup_to(&backup).unwrap();
    assert_eq!(info.path, backup);
    assert_eq!(info.size, std::fs::metadata(&backup).unwrap().len());
    assert_eq!(info.manifest.schema_version, SCHEMA_VERSION);
    assert_eq!(info.manifest.counts["progress"], 2);
    let dump_a = store.dump().unwrap();
    let evidence_a = files_under(&root_a.join("evidence"));
    assert_eq!(evidence_a.len(), 3);
    // Restoring into an open data folder is refused.
    assert!(matches!(
        restore(&root_a, &backup),
        Err(StoreError::Locked(_))
    ));
    drop(store);

    // Into a fresh data folder.
    let report = restore(&root_b, &backup).unwrap();
    assert_eq!(report.manifest, info.manifest);
    assert_eq!(report.previous_backup, None);
    assert_eq!(report.damaged_kept_at, None);
    let store_b = Store::open(&root_b).unwrap();
    assert_eq!(store_b.dump().unwrap(), dump_a);
    assert_eq!(files_under(&root_b.join("evidence")), evidence_a);
    assert!(store_b.check().unwrap().problems.is_empty());
    assert_eq!(store_b.settings().unwrap().user_name, "安委办");

    // Over an existing data folder: what is replaced is backed up first.
    let extra = tmp.path().join("only-in-b.txt");
    std::fs::write(&extra, "只在 B 里").unwrap();
    store_b
        .apply(&add(&tasks[7].id, "B 的进展", None, &[&extra]), ACTOR)
        .unwrap();
    let dump_b = store_b.dump().unwrap();
    let evidence_b = files_under(&root_b.join("evidence"));
    drop(store_b);
    let report = restore(&root_b, &backup).unwrap();
    let previous = report.previous_backup.expect("a before-restore backup");
    assert!(previous.is_file());
    assert!(
        previous
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("before-restore-")
    );
    let store_b = Store::open(&root_b).unwrap();
    assert_eq!(store_b.dump().unwrap(), dump_a);
    assert_eq!(files_under(&root_b.join("evidence")), evidence_a);
    drop(store_b);
    // Nothing lost: the before-restore backup holds B as it was.
    restore(&root_c, &previous).unwrap();
    let store_c = Store::open(&root_c).unwrap();
    assert_eq!(store_c.dump().unwrap(), dump_b);
    assert_eq!(files_under(&root_c.join("evidence")), evidence_b);
    drop(store_c);
    // No staging folders are left behind.
    for root in [&root_b, &root_c] {
        for entry in std::fs::read_dir(root).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!name.starts_with("restore-"), "{name} left in {root:?}");
        }
    }
}

#[test]
fn bad_backups_are_refused_and_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let store = demo_store(&root);
    store
        .apply(&add(&first_task(&store), "进展", Some(5), &[]), ACTOR)
        .unwrap();
    let good = tmp.path().join("good.anwei-backup");
    store.backup_to(&good).unwrap();
    let dump = store.dump().unwrap();
    drop(store);
    let files = read_tar_gz(&good);
    assert!(files.iter().any(|(n, _)| n == "manifest.json"));

    let garbage_file = tmp.path().join("garbage.anwei-backup");
    std::fs::write(&garbage_file, garbage(10_000, 2)).unwrap();
    let no_manifest = tmp.path().join("no-manifest.anwei-backup");
    write_tar_gz(
        &no_manifest,
        &files
            .iter()
            .filter(|(n, _)| n != "manifest.json")
            .cloned()
            .collect::<Vec<_>>(),
    );
    let empty = tmp.path().join("empty.anwei-backup");
    std::fs::write(&empty, b"").unwrap();
    let plain_tar = tmp.path().join("plain.anwei-backup");
    {
        let mut builder = tar::Builder::new(std::fs::File::create(&plain_tar).unwrap());
        builder
            .append_path_with_name(&good, "manifest.json")
            .unwrap();
        builder.finish().unwrap();
    }
    let too_new = tmp.path().join("too-new.anwei-backup");
    write_tar_gz(
        &too_new,
        &files
            .iter()
            .map(|(n, bytes)| {
                if n == "manifest.json" {
                    let mut m: serde_json::Value = serde_json::from_slice(bytes).unwrap();
                    m["schema_version"] = (SCHEMA_VERSION + 1).into();
                    (n.clone(), serde_json::to_vec(&m).unwrap())
                } else {
                    (n.clone(), bytes.clone())
                }
            })
            .collect::<Vec<_>>(),
    );

    for (file, plain) in [
        (&garbage_file, "不是 Anwei Desk 备份文件"),
        (&no_manifest, "缺少清单"),
        (&empty, "不是 Anwei Desk 备份文件"),
        (&plain_tar, "备份文件无效"),
    ] {
        let err = restore(&root, file).unwrap_err();
        assert!(matches!(err, StoreError::BadBackup(_)), "{file:?}: {err:?}");
        let msg = err.to_string();
        assert!(msg.starts_with("备份文件无效"), "{msg}");
        assert!(msg.contains(plain), "{file:?}: {msg}");
        assert!(!msg.contains("Error {"), "{msg}");
    }
    let err = restore(&root, &too_new).unwrap_err();
    assert!(
        matches!(err, StoreError::TooNew { found, supported } if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION),
        "{err:?}"
    );
    assert!(err.to_string().contains("新版 Anwei Desk"), "{err}");
    // A backup that is not there.
    assert!(restore(&root, &tmp.path().join("nope.anwei-backup")).is_err());

    // The data folder is as it was, with no before-restore backups or staging left.
    let store = Store::open(&root).unwrap();
    assert_eq!(store.dump().unwrap(), dump);
    drop(store);
    for entry in std::fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with("restore-"), "{name}");
    }
    assert!(!root.join("backups").exists());
    // The good backup still restores.
    restore(&root, &good).unwrap();
}

// ----- damaged database ------------------------------------------------------------------

/// A closed demo data folder with some progress.
fn closed_demo(root: &Path, entries: usize) {
    let store = demo_store(root);
    let tasks = store.tasks().unwrap();
    let cmds: Vec<Command> = (0..entries)
        .map(|i| add(&tasks[i % tasks.len()].id, &format!("进展 {i}"), None, &[]))
        .collect();
    store.apply_many(&cmds, ACTOR).unwrap();
}

fn assert_damaged(root: &Path, what: &str) -> StoreError {
    let result = std::panic::catch_unwind(|| Store::open(root).map(|_| ()));
    let err = match result {
        Ok(Ok(())) => panic!("{what}: a damaged database opened"),
        Ok(Err(e)) => e,
        Err(_) => panic!("{what}: a panic escaped Store::open"),
    };
    assert!(err.is_damaged(), "{what}: {err:?}");
    let msg = err.to_string();
    assert!(msg.contains("数据库无法打开"), "{what}: {msg}");
    assert!(msg.contains("自动备份恢复"), "{what}: {msg}");
    err
}

#[test]
fn a_damaged_database_is_reported_plainly() {
    let tmp = tempfile::tempdir().unwrap();
    type Damage = fn(&Path);
    let modes: [(&str, Damage); 5] = [
        ("garbage over db and conf", |db| {
            for f in ["db", "conf"] {
                let len = std::fs::metadata(db.join(f)).unwrap().len() as usize;
                std::fs::write(db.join(f), garbage(len, 3)).unwrap();
            }
        }),
        ("garbage over conf", |db| {
            std::fs::write(db.join("conf"), garbage(62, 4)).unwrap();
        }),
        // sled 0.34 opens these as an empty (or shortened) database; the store notices.
        ("garbage over db", |db| {
            let len = std::fs::metadata(db.join("db")).unwrap().len() as usize;
            std::fs::write(db.join("db"), garbage(len, 5)).unwrap();
        }),
        ("db truncated to nothing", |db| {
            std::fs::write(db.join("db"), b"").unwrap();
        }),
        ("db cut in half", |db| {
            let bytes = std::fs::read(db.join("db")).unwrap();
            std::fs::write(db.join("db"), &bytes[..bytes.len() / 2]).unwrap();
        }),
    ];
    for (i, (what, damage)) in modes.into_iter().enumerate() {
        let root = tmp.path().join(format!("data{i}"));
        closed_demo(&root, 300);
        damage(&root.join("db"));
        assert_damaged(&root, what);
        // Still damaged on a second try: the first attempt did not "repair" it into an
        // empty desk.
        assert_damaged(&root, what);
    }
}

#[test]
fn a_damaged_database_can_be_restored_from_the_latest_auto_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let store = demo_store(&root);
    store
        .apply(&add(&first_task(&store), "备份前的进展", None, &[]), ACTOR)
        .unwrap();
    store.auto_backup().unwrap();
    let dump = store.dump().unwrap();
    drop(store);
    let len = std::fs::metadata(root.join("db/db")).unwrap().len() as usize;
    std::fs::write(root.join("db/db"), garbage(len, 9)).unwrap();
    assert_damaged(&root, "garbage over db");

    let latest = latest_auto_backup(&root).unwrap();
    let report = restore(&root, &latest).unwrap();
    // The damaged database is moved aside, not deleted. (sled's recovery has already
    // rewritten the unreadable segments of it while trying to open it.)
    let kept = report
        .damaged_kept_at
        .expect("the damaged db is kept aside");
    assert!(kept.join("db").is_file());
    assert!(kept.join("conf").is_file());
    let store = Store::open(&root).unwrap();
    assert_eq!(store.dump().unwrap(), dump);
}

// ----- one instance at a time ------------------------------------------------------------

const CHILD_DIR_VAR: &str = "ANWEI_STORE_TEST_CHILD_DIR";

/// Run by `a_second_instance_is_refused` in a child process: opens the store named by the
/// environment and exits 0 (opened), 3 (locked) or 4 (other error).
#[test]
#[ignore = "helper run in a child process"]
fn child_opens_store() {
    let Some(dir) = std::env::var_os(CHILD_DIR_VAR) else {
        return;
    };
    let code = match Store::open(Path::new(&dir)) {
        Ok(_) => 0,
        Err(StoreError::Locked(_)) => 3,
        Err(e) => {
            eprintln!("{e}");
            4
        }
    };
    std::process::exit(code);
}

fn open_in_child(root: &Path) -> i32 {
    let out = Process::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_opens_store", "--ignored", "--nocapture"])
        .env(CHILD_DIR_VAR, root)
        .output()
        .unwrap();
    out.status
        .code()
        .unwrap_or_else(|| panic!("child: {out:?}"))
}

#[test]
fn a_second_instance_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let store = demo_store(&root);
    // In this process.
    let err = Store::open(&root).map(|_| ()).unwrap_err();
    assert!(
        matches!(err, StoreError::Locked(ref p) if p == &root),
        "{err:?}"
    );
    assert!(err.to_string().contains("正被另一个"), "{err}");
    assert!(!err.is_damaged());
    // From another process.
    assert_eq!(open_in_child(&root), 3, "another process must be refused");
    // The refused attempts did not disturb the open store.
    store
        .apply(&add(&first_task(&store), "仍可写入", None, &[]), ACTOR)
        .unwrap();
    drop(store);
    // Once closed, others may open it.
    assert_eq!(open_in_child(&root), 0);
    let store = Store::open(&root).unwrap();
    assert_eq!(store.all_progress().unwrap().len(), 1);
}

// ----- automatic backups -----------------------------------------------------------------

#[test]
fn auto_backups_rotate_and_keep_the_newest() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let store = demo_store(&root);
    let task = first_task(&store);
    assert_eq!(latest_auto_backup(&root), None);
    let mut made = Vec::new();
    for i in 0..AUTO_KEEP + 3 {
        store
            .apply(&add(&task, &format!("第 {i} 次"), None, &[]), ACTOR)
            .unwrap();
        let info = store.auto_backup().unwrap();
        assert_eq!(info.manifest.counts["progress"], i + 1);
        made.push(info.path);
    }
    let mut newest_first: Vec<PathBuf> = made[made.len() - AUTO_KEEP..].to_vec();
    newest_first.reverse();
    assert_eq!(auto_backups(&root), newest_first);
    assert_eq!(latest_auto_backup(&root).as_ref(), made.last());
    // Only the kept backups are in the folder: no temp files, no pruned ones.
    let mut names: Vec<String> = std::fs::read_dir(root.join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), AUTO_KEEP, "{names:?}");
    for name in &names {
        assert!(
            name.starts_with("auto-") && name.ends_with(&format!(".{EXTENSION}")),
            "{name}"
        );
    }
    // A backup is not due again right away; the newest holds the latest change.
    assert!(
        store
            .auto_backup_if_due(std::time::Duration::from_secs(3600))
            .unwrap()
            .is_none()
    );
    drop(store);
    let restored = tmp.path().join("restored");
    restore(&restored, made.last().unwrap()).unwrap();
    let store = Store::open(&restored).unwrap();
    assert_eq!(store.all_progress().unwrap().len(), AUTO_KEEP + 3);
}

fn notice(task: &str, year: i32, number: u32) -> Command {
    Command::RecordNotice {
        task: task.to_owned(),
        year,
        number,
        recipient: "区应急管理局".to_owned(),
        new_deadline: date(year, 12, 31),
        file: None,
        date: date(year, 6, 1),
        pdf: format!("%PDF-1.7 notice {year}-{number}").into_bytes(),
        doc_prefix: String::new(),
    }
}

#[test]
fn notice_numbers_run_per_year_and_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = demo_store(dir.path());
        let task = first_task(&store);
        assert_eq!(store.next_notice_number(2020).unwrap(), 1);
        store.apply(&notice(&task, 2020, 1), ACTOR).unwrap();
        store.apply(&notice(&task, 2020, 2), ACTOR).unwrap();
        assert_eq!(store.next_notice_number(2020).unwrap(), 3);
        assert_eq!(
            store.next_notice_number(2021).unwrap(),
            1,
            "a new year starts at 1"
        );
        assert_eq!(store.next_notice_number(2019).unwrap(), 1);
        // A number that is not the next one (reused or skipped) is refused and changes nothing.
        let before = store.dump().unwrap();
        for wrong in [
            notice(&task, 2020, 2),
            notice(&task, 2020, 5),
            notice("none/1", 2020, 3),
        ] {
            assert!(store.apply(&wrong, ACTOR).is_err(), "{wrong:?}");
        }
        assert_eq!(store.dump().unwrap(), before);
        store.apply(&notice(&task, 2021, 1), ACTOR).unwrap();
        let audit = store.audit(Some("notice:2020-2"), 10).unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].actor, ACTOR);
    }
    let store = Store::open(dir.path()).unwrap();
    let numbers: Vec<(i32, u32)> = store
        .notices(None)
        .unwrap()
        .iter()
        .map(|n| (n.year, n.number))
        .collect();
    assert_eq!(numbers, [(2020, 1), (2020, 2), (2021, 1)]);
    assert_eq!(store.notices(Some(2021)).unwrap().len(), 1);
}

#[test]
fn print_settings_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let defaults = store.settings().unwrap();
    assert_eq!(defaults.doc_prefix, "安委办督");
    assert!(
        !defaults.chinese_date,
        "Arabic dates by default (GB/T 9704-2012 7.3.5)"
    );
    store
        .apply(
            &Command::SetPrintSettings {
                office_name: "麒麟区安委办".into(),
                doc_prefix: "麒安委办督".into(),
                contact: "张明，电话：0874-3123456".into(),
                chinese_date: true,
            },
            ACTOR,
        )
        .unwrap();
    drop(store);
    let s = Store::open(dir.path()).unwrap().settings().unwrap();
    assert_eq!(s.office_name, "麒麟区安委办");
    assert_eq!(s.doc_prefix, "麒安委办督");
    assert!(s.chinese_date);
}

#[test]
fn a_damaged_database_without_a_backup_can_be_set_aside() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    closed_demo(root, 50);
    let len = std::fs::metadata(root.join("db/db")).unwrap().len() as usize;
    std::fs::write(root.join("db/db"), garbage(len, 9)).unwrap();
    assert_damaged(root, "garbage");
    let damaged_bytes = std::fs::read(root.join("db/db")).unwrap();
    let aside = anwei_store::set_aside_damaged(root).unwrap();
    // Nothing deleted: the damaged files are kept where the result says.
    assert!(
        aside
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("db.damaged-")
    );
    assert_eq!(
        std::fs::read(aside.join("db")).unwrap().len(),
        damaged_bytes.len()
    );
    // The folder opens again, empty, and takes the demo.
    let store = Store::open(root).unwrap();
    assert!(store.is_empty());
    store.import_campaign(&demo(), ACTOR).unwrap();
    assert_eq!(store.tasks().unwrap().len(), 92);
}

#[test]
fn a_preview_computes_the_change_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let task = first_task(&store);
    let before = store.dump().unwrap();
    let cmd = add(&task, "预览", Some(30), &[]);
    let change = store.preview(&cmd, ACTOR).unwrap();
    assert!(matches!(
        change.single_put(),
        Some(anwei_core::Put::Progress(e)) if e.text == "预览" && e.percent == Some(30)
    ));
    assert_eq!(store.dump().unwrap(), before);
    // The same command applied writes what the preview showed, with what it touched.
    let applied = store.apply(&cmd, ACTOR).unwrap();
    assert_eq!(
        applied.entry.as_ref().map(|e| e.text.as_str()),
        Some("预览")
    );
    assert_eq!(
        applied.touched.get(&anwei_core::RowKind::Progress),
        Some(&1)
    );
    assert!(
        store
            .preview(&add("无此任务", "x", None, &[]), ACTOR)
            .is_err()
    );
}

// ----- submissions ------------------------------------------------------------------------

#[test]
fn a_submission_keeps_its_evidence_its_review_and_survives_a_backup() {
    use anwei_core::reports::Review;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let store = demo_store(&root);
    // The office's 季报, owed by one unit.
    let unit = store.resolve_unit("区应急管理局").unwrap().unwrap().id;
    store
        .apply(
            &Command::SetReporting {
                reporting: anwei_core::reports::Reporting {
                    remind_days: 5,
                    office_reports: vec![anwei_core::reports::OfficeReport {
                        id: "quarterly".into(),
                        name: "季报".into(),
                        recurrence: anwei_core::Recurrence::Quarterly,
                        grace_days: 0,
                        units: vec![unit.clone()],
                        campaign: None,
                    }],
                },
            },
            ACTOR,
        )
        .unwrap();
    let r = anwei_core::Recurrence::Quarterly;
    let (start, end) = r.period_of(date(2021, 2, 10));
    let report = tmp.path().join("季报.txt");
    std::fs::write(&report, "一季度工作情况").unwrap();
    let applied = store
        .apply(
            &Command::SubmitReport {
                unit: unit.clone(),
                report: "quarterly".into(),
                period_start: start,
                date: end,
                what: "工作情况报告".into(),
                late_reason: None,
                attach: vec![EvidenceSource {
                    path: report.to_string_lossy().into_owned(),
                }],
            },
            ACTOR,
        )
        .unwrap();
    let subs = store.submissions().unwrap();
    assert_eq!(subs.len(), 1);
    let id = subs[0].id;
    assert_eq!(subs[0].evidence.len(), 1, "{applied:?}");
    assert_eq!(subs[0].evidence[0].name, "季报.txt");
    assert!(
        root.join("evidence")
            .join(&subs[0].evidence[0].stored)
            .is_file()
    );
    store
        .apply(
            &Command::AcceptSubmission {
                id,
                date: end + chrono::Days::new(1),
            },
            ACTOR,
        )
        .unwrap();
    assert!(matches!(
        store.submission(id).unwrap().unwrap().review,
        Review::Accepted { .. }
    ));
    // The check knows the evidence folder belongs to a submission.
    let check = store.check().unwrap();
    assert!(check.problems.is_empty(), "{:?}", check.problems);
    assert!(
        check.notes.iter().all(|n| !n.contains("evidence/")),
        "{:?}",
        check.notes
    );
    let backup = tmp.path().join(format!("desk.{EXTENSION}"));
    store.backup_to(&backup).unwrap();
    drop(store);
    let other = tmp.path().join("other");
    restore(&other, &backup).unwrap();
    let restored = Store::open(&other).unwrap();
    assert_eq!(restored.submissions().unwrap(), store_subs(&root));
    assert_eq!(
        files_under(&other.join("evidence")),
        files_under(&root.join("evidence"))
    );
}

fn store_subs(root: &Path) -> Vec<anwei_core::reports::Submission> {
    Store::open(root).unwrap().submissions().unwrap()
}

// ----- supervision ------------------------------------------------------------------------

#[test]
fn supervision_rows_are_kept_apart_by_kind_checked_and_survive_a_backup() {
    use anwei_core::supervise::SupAction;
    use anwei_core::supervision::{CircularKind, Level, Named, Source, SourceKind};
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("data");
    let store = demo_store(&root);
    let unit = store.resolve_unit("区应急管理局").unwrap().unwrap().id;
    let sup = |action| Command::Supervise { action };
    let item = store
        .apply(
            &sup(SupAction::AddItem {
                title: "整改危化品仓库隐患".into(),
                source: Source {
                    kind: SourceKind::Inspection,
                    reference: "省督导组反馈问题第5项".into(),
                    task: None,
                    milestone: None,
                    hazard: None,
                },
                level: Level::City,
                unit: unit.clone(),
                supervisor: "区安委办".into(),
                acceptor: "区安委办".into(),
                opened: date(2026, 3, 1),
                deadline: date(2026, 6, 30),
            }),
            ACTOR,
        )
        .unwrap();
    for d in [date(2026, 3, 31), date(2026, 6, 30)] {
        store
            .apply(
                &sup(SupAction::AddCircular {
                    date: d,
                    kind: CircularKind::Quarterly,
                    title: "季度通报".into(),
                    summary: String::new(),
                    named: vec![Named {
                        unit: unit.clone(),
                        member: true,
                        issue: "进度滞后".into(),
                    }],
                    follow_up: String::new(),
                    items: vec![],
                }),
                ACTOR,
            )
            .unwrap();
    }
    let regs = store.supervision_registers().unwrap();
    assert_eq!(regs.items.len(), 1);
    assert_eq!(regs.circulars.len(), 2);
    assert_eq!(regs.circulars[1].number, 2);
    assert_eq!(regs.circular_counts(2026).get(&unit), Some(&2));
    // The audit trail names the row; the check reads every row.
    let target = format!("supervision_item:{}", regs.items[0].id);
    let audit = store.audit(Some(&target), 10).unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "add_supervision_item");
    assert_eq!(item.touched.keys().count(), 1);
    let check = store.check().unwrap();
    assert!(check.problems.is_empty(), "{:?}", check.problems);
    assert_eq!(check.counts.get("supervision"), Some(&3));
    // Refused: an item of a unit there is not; nothing written.
    let refused = store.apply(
        &sup(SupAction::AddTalk {
            date: date(2026, 7, 1),
            unit: "u-none".into(),
            persons: "局长".into(),
            by: "区安委办主任".into(),
            issues: "通报两次".into(),
            commitments: String::new(),
            follow_up: None,
            item: None,
        }),
        ACTOR,
    );
    assert!(refused.is_err());
    let backup = tmp.path().join(format!("desk.{EXTENSION}"));
    store.backup_to(&backup).unwrap();
    drop(store);
    let other = tmp.path().join("other");
    restore(&other, &backup).unwrap();
    assert_eq!(
        Store::open(&other)
            .unwrap()
            .supervision_registers()
            .unwrap(),
        regs
    );
}
