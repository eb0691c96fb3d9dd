//! Bulk loads of ledger records under CPU load: the reproduction of the sled 0.34.7 hang
//! (spacejam/sled#1412) and the proof that it is gone.
//!
//! `cargo bench -p anwei-store --bench load` runs `RUNS` (default 10) rounds; each round
//! opens a fresh data folder per loader, starts `BURNERS` (default 4) threads that only spin,
//! and `LOADERS` (default 2) threads that each add `RECORDS` (default 100 000) coal-register
//! records through `Store::apply_many`, 1 000 commands per call. A watchdog prints `HANG`
//! and exits with status 2 when no loader has made progress for `STALL_SECS` (default 60) —
//! attach `gdb -p` or `eu-stack -p` then to see where the threads wait.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::manual_is_multiple_of
)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anwei_core::{Command, Value};
use anwei_store::Store;

const FORM: &str = "coal-mining/mine-register";
const BATCH: usize = 1_000;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A coal-register record of 27 fields, as the plugin's form has them.
pub fn coal_values(i: usize) -> BTreeMap<String, Value> {
    const TOWNS: [&str; 6] = [
        "越州镇",
        "东山镇",
        "茨营镇",
        "潇湘街道",
        "三宝街道",
        "沿江街道",
    ];
    let choice = |s: &str| Value::Choices(vec![s.to_owned()]);
    let mut v = BTreeMap::new();
    let mut put = |k: &str, val: Value| {
        v.insert(k.to_owned(), val);
    };
    put("name", Value::Text(format!("第{i}号煤矿")));
    put("town", Value::Text(TOWNS[i % TOWNS.len()].to_owned()));
    put(
        "enterprise",
        Value::Text(format!("第{}煤业有限公司", i % 900)),
    );
    put(
        "ownership",
        choice(["state", "provincial", "private"][i % 3]),
    );
    put(
        "status",
        choice(["producing", "building", "suspended", "closed"][i % 4]),
    );
    put("scale", choice(["large", "medium", "small"][i % 3]));
    put("capacity", Value::Decimal(30.0 + (i % 90) as f64));
    put(
        "gas_class",
        choice(["outburst", "high", "other"][(i / 3) % 3]),
    );
    put("depth", Value::Decimal(200.0 + (i % 700) as f64));
    put(
        "standardisation",
        choice(["grade1", "grade2", "grade3", "none"][i % 4]),
    );
    put(
        "group",
        choice(["keep", "merge_keep", "merge_close", "close"][(i / 2) % 4]),
    );
    for (k, on) in [
        ("mech_mining", i % 2 == 0),
        ("fully_mech", i % 5 == 0),
        ("mech_heading", i % 3 != 0),
        ("aux_automation", i % 7 == 0),
        ("in_enhong", i % 2 == 1),
        ("same_seam", i % 3 != 1),
        ("below_outburst_level", i % 5 != 2),
    ] {
        put(k, Value::Flag(on));
    }
    put("automated_faces", Value::Integer((i % 4) as i64));
    put("project", choice("none"));
    if i % 4 != 3 {
        put(
            "outburst_assessed",
            Value::Date(["2020-01-15", "2020-05-01", "2019-12-31"][i % 3].into()),
        );
    }
    put("remarks", Value::Text("无".to_owned()));
    v
}

fn add(i: usize) -> Command {
    Command::AddRecord {
        form: FORM.to_owned(),
        form_version: "1.0.0".to_owned(),
        values: coal_values(i),
        draft: false,
    }
}

fn main() {
    let runs = env("RUNS", 10);
    let loaders = env("LOADERS", 2);
    let burners = env("BURNERS", 4);
    let records = env("RECORDS", 100_000);
    let stall = Duration::from_secs(env("STALL_SECS", 60) as u64);
    eprintln!(
        "load: {runs} runs, {loaders} loaders × {records} records, {burners} burner threads, \
         hang = no progress for {stall:?}"
    );
    for run in 1..=runs {
        let tmp = tempfile::tempdir().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let burn: Vec<_> = (0..burners)
            .map(|_| {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    let mut x = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        for i in 0..10_000u64 {
                            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
                        }
                    }
                })
            })
            .collect();
        let done = Arc::new(AtomicUsize::new(0));
        let start = Instant::now();
        let handles: Vec<_> = (0..loaders)
            .map(|l| {
                let root = tmp.path().join(format!("data{l}"));
                let done = done.clone();
                std::thread::spawn(move || {
                    let store = Store::open(&root).unwrap();
                    let mut i = 0;
                    while i < records {
                        let n = BATCH.min(records - i);
                        let cmds: Vec<Command> = (i..i + n).map(add).collect();
                        store.apply_many(&cmds, "load").unwrap();
                        i += n;
                        done.fetch_add(n, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        let total = loaders * records;
        let mut last = (0, Instant::now());
        while done.load(Ordering::Relaxed) < total {
            std::thread::sleep(Duration::from_millis(200));
            let now = done.load(Ordering::Relaxed);
            if now != last.0 {
                last = (now, Instant::now());
            } else if last.1.elapsed() > stall {
                eprintln!(
                    "run {run}: HANG after {:.1?} at {now} of {total} records (pid {})",
                    start.elapsed(),
                    std::process::id()
                );
                if std::env::var_os("WAIT_ON_HANG").is_some() {
                    std::thread::sleep(Duration::from_secs(3600));
                }
                std::process::exit(2);
            }
        }
        for h in handles {
            h.join().unwrap();
        }
        let elapsed = start.elapsed();
        stop.store(true, Ordering::Relaxed);
        for b in burn {
            b.join().unwrap();
        }
        eprintln!(
            "run {run}: {total} records in {elapsed:.1?} ({:.1} µs per record)",
            elapsed.as_secs_f64() * 1e6 / total as f64
        );
    }
    eprintln!("load: no hang in {runs} runs");
}
