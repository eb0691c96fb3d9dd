#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Concurrent writers and readers under CPU load for a bounded time: every writer keeps
//! making progress and the store stays consistent. (sled 0.34.7 as published could hang for
//! good under such load, spacejam/sled#1412; `benches/load.rs` reproduces that at full
//! scale. Here a hang fails the test at the deadline instead of blocking the suite.)

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anwei_core::{Command, Value};
use anwei_store::Store;
use chrono::NaiveDate;

const FORM: &str = "coal-mining/mine-register";
const RUN_FOR: Duration = Duration::from_secs(8);
/// A writer that has not finished this long after `RUN_FOR` is stuck.
const DEADLINE: Duration = Duration::from_secs(90);

fn record(i: usize) -> Command {
    let mut values = BTreeMap::new();
    values.insert("name".to_owned(), Value::Text(format!("第{i}号煤矿")));
    values.insert("capacity".to_owned(), Value::Decimal(i as f64));
    values.insert(
        "group".to_owned(),
        Value::Choices(vec![["keep", "close"][i % 2].to_owned()]),
    );
    Command::AddRecord {
        form: FORM.to_owned(),
        form_version: "1.0.0".to_owned(),
        values,
        draft: false,
    }
}

#[test]
fn concurrent_writers_under_load_all_make_progress() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(tmp.path()).unwrap());
    store
        .import_campaign(&anwei_exchange::demo_campaign().unwrap(), "测试员")
        .unwrap();
    let task = store.tasks().unwrap()[0].id.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let burners: Vec<_> = (0..2)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut x = 1u64;
                while !stop.load(Ordering::Relaxed) {
                    for i in 0..10_000u64 {
                        x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
                    }
                }
            })
        })
        .collect();

    let added = Arc::new(AtomicUsize::new(0));
    let (done_tx, done_rx) = mpsc::channel::<(usize, usize)>();
    let start = Instant::now();
    // Two bulk writers of records and one of progress entries, each in its own batches.
    for w in 0..3 {
        let (store, added, done_tx, task) =
            (store.clone(), added.clone(), done_tx.clone(), task.clone());
        std::thread::spawn(move || {
            let mut batches = 0;
            let mut n = 0;
            while start.elapsed() < RUN_FOR {
                let cmds: Vec<Command> = (0..100)
                    .map(|i| {
                        if w < 2 {
                            record(n + i)
                        } else {
                            Command::AddProgress {
                                milestone: None,
                                task: task.clone(),
                                date: NaiveDate::from_ymd_opt(2021, 3, 1).unwrap(),
                                text: format!("第 {} 条进展", n + i),
                                percent: Some(50),
                                done: false,
                                attach: Vec::new(),
                            }
                        }
                    })
                    .collect();
                store.apply_many(&cmds, "测试员").unwrap();
                n += cmds.len();
                if w < 2 {
                    added.fetch_add(cmds.len(), Ordering::Relaxed);
                }
                batches += 1;
            }
            done_tx.send((w, batches)).unwrap();
        });
    }
    // A reader going through the register the whole time.
    let reader = {
        let (reader, stop) = (store.record_reader(), stop.clone());
        std::thread::spawn(move || {
            let mut scans = 0;
            while !stop.load(Ordering::Relaxed) {
                reader.for_each(FORM, None, |_| {}).unwrap();
                scans += 1;
            }
            scans
        })
    };
    drop(done_tx);

    let mut finished = Vec::new();
    while finished.len() < 3 {
        match done_rx.recv_timeout((RUN_FOR + DEADLINE).saturating_sub(start.elapsed())) {
            Ok(d) => finished.push(d),
            Err(_) => panic!(
                "writers stuck: only {finished:?} finished {:?} after they were to stop",
                start.elapsed().saturating_sub(RUN_FOR)
            ),
        }
    }
    stop.store(true, Ordering::Relaxed);
    for b in burners {
        b.join().unwrap();
    }
    let scans = reader.join().unwrap();
    for (w, batches) in &finished {
        assert!(*batches >= 2, "writer {w} made {batches} batches");
    }
    assert!(scans >= 1);
    assert_eq!(
        store.records(FORM).unwrap().len(),
        added.load(Ordering::Relaxed)
    );
    let report = store.check().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}
