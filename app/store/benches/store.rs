//! Store benchmarks on a 100k-entry database: bulk insert (apply_many, 1,000 commands per
//! flush; median of `INSERT_RUNS` runs, default 3, printed), full scans, open time, and the
//! latency of one acknowledged save (transaction + flush). Run with
//! `cargo bench -p anwei-store --bench store` (a few minutes).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use anwei_core::Command;
use anwei_store::Store;
use chrono::NaiveDate;
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};

const ENTRIES: usize = 100_000;
const BATCH: usize = 1_000;

fn commands(tasks: &[String], n: usize) -> Vec<Command> {
    let start = NaiveDate::from_ymd_opt(2020, 5, 1).unwrap();
    (0..n)
        .map(|i| Command::AddProgress {
            milestone: None,
            task: tasks[i % tasks.len()].clone(),
            date: start + chrono::Days::new((i % 900) as u64),
            text: format!(
                "第 {i} 条进展：已组织排查，发现隐患 {} 处，已整改。",
                i % 17
            ),
            percent: Some((i % 101) as u8),
            done: i % 50 == 49,
            attach: Vec::new(),
        })
        .collect()
}

/// A fresh store in `root` with the demo campaign; returns it and its task ids.
fn demo_store(root: &Path) -> (Store, Vec<String>) {
    let store = Store::open(root).unwrap();
    store
        .import_campaign(&anwei_exchange::demo_campaign().unwrap(), "bench")
        .unwrap();
    let tasks = store.tasks().unwrap().into_iter().map(|t| t.id).collect();
    (store, tasks)
}

fn insert_all(store: &Store, cmds: &[Command]) {
    for chunk in cmds.chunks(BATCH) {
        store.apply_many(chunk, "bench").unwrap();
    }
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            if p.is_dir() {
                dir_size(&p)
            } else {
                std::fs::metadata(&p).unwrap().len()
            }
        })
        .sum()
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("store");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500));

    // Insert 100k entries, 1,000 commands per flush, into a fresh store (creation outside the
    // timing). At ~20 s a run this is measured a few times by hand rather than by criterion
    // (which needs at least 10 samples); the last database is kept for the other benches.
    let insert_runs: usize = std::env::var("INSERT_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let mut times = Vec::new();
    let mut kept = None;
    for _ in 0..insert_runs.max(1) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("data");
        let (store, tasks) = demo_store(&root);
        let cmds = commands(&tasks, ENTRIES);
        let start = Instant::now();
        insert_all(&store, &cmds);
        times.push(start.elapsed());
        kept = Some((store, tasks, root, tmp));
    }
    times.sort();
    eprintln!(
        "store/insert_100k_apply_many_1000: median {:.2?} ({:.1} µs per entry), runs {times:.2?}",
        times[times.len() / 2],
        times[times.len() / 2].as_secs_f64() * 1e6 / ENTRIES as f64
    );
    let (store, tasks, root, _tmp) = kept.unwrap();
    assert_eq!(store.all_progress().unwrap().len(), ENTRIES);
    eprintln!(
        "100k-entry data folder: {:.1} MiB on disk (db/)",
        dir_size(&root.join("db")) as f64 / (1024.0 * 1024.0)
    );

    group.measurement_time(Duration::from_secs(5));
    group.bench_function("scan_all_progress_100k", |b| {
        b.iter(|| {
            let all = store.all_progress().unwrap();
            assert_eq!(all.len(), ENTRIES);
            all
        })
    });
    group.bench_function("progress_summaries_100k", |b| {
        b.iter(|| {
            let s = store.progress_summaries().unwrap();
            assert_eq!(s.len(), tasks.len());
            s
        })
    });

    // Open (including migration check and readability check) of the 100k database.
    drop(store);
    group.bench_function("open_100k", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let store = Store::open(&root).unwrap();
                total += start.elapsed();
                drop(store);
            }
            total
        })
    });

    // One acknowledged save (transaction + flush) into the 100k database.
    let store = Store::open(&root).unwrap();
    let mut n = 0usize;
    group.bench_function("apply_one_acknowledged_save", |b| {
        b.iter(|| {
            n += 1;
            store
                .apply(&commands(&tasks[n % tasks.len()..], 1)[0], "bench")
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(store_benches, benches);
criterion_main!(store_benches);
