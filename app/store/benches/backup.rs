//! Backup and restore of databases of 1k, 10k and 100k ledger records (and 1M with
//! `BACKUP_1M=1`; other sizes with `BACKUP_SIZES=1000,50000`): time, peak memory, file size.
//!
//! `cargo bench -p anwei-store --bench backup` (release). Each size is built once (the demo
//! campaign and coal-mine records added with `Store::apply_many`, 1,000 per flush), then
//! backed up and restored `BACKUP_RUNS` times (default 3; medians printed, backups and
//! restores interleaved).
//!
//! Memory is measured in a child process (this binary run again with `--child`), so that the
//! parent's own data never counts. The child opens the store (or, for a restore, nothing),
//! reads its resident size (`VmRSS`), resets its peak (`echo 5 > /proc/self/clear_refs`), does
//! the one backup or restore, and reads the peak (`VmHWM` of `/proc/self/status`). Printed:
//! the peak of the whole process during the work ("peak": a backup in a process that has read
//! nothing yet, so sled loading every page of the database counts), and for a backup also
//! "Δ warm": the peak minus the resident size before it in a child that first read every
//! tree once (`Store::check` counts the rows of each), as the desk has — what the backup
//! itself holds.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command as Process;
use std::time::Instant;

use anwei_core::{Command, Value};
use anwei_store::Store;

const FORM: &str = "coal-mining/mine-register";
const BATCH: usize = 1_000;

/// A coal mine as the 煤矿台账 holds it (about twenty fields).
fn mine(i: usize) -> BTreeMap<String, Value> {
    let text = |s: String| Value::Text(s);
    let choice = |s: &str| Value::Choices(vec![s.to_owned()]);
    let mut v = BTreeMap::new();
    v.insert("name".into(), text(format!("第{i}号煤矿")));
    v.insert(
        "town".into(),
        text(["越州镇", "茨营镇", "东山镇"][i % 3].into()),
    );
    v.insert(
        "enterprise".into(),
        text(format!("曲靖市第{}煤业有限公司", i / 7)),
    );
    v.insert(
        "ownership".into(),
        choice(["state", "provincial", "private"][i % 3]),
    );
    v.insert(
        "status".into(),
        choice(["producing", "building", "suspended", "closed"][i % 4]),
    );
    v.insert("scale".into(), choice(["large", "medium", "small"][i % 3]));
    v.insert("capacity".into(), Value::Decimal(30.0 + (i % 90) as f64));
    v.insert(
        "gas_class".into(),
        choice(["outburst", "high", "other"][(i / 3) % 3]),
    );
    v.insert("depth".into(), Value::Decimal(200.0 + (i % 600) as f64));
    v.insert(
        "standardisation".into(),
        choice(["grade1", "grade2", "grade3", "none"][i % 4]),
    );
    v.insert(
        "group".into(),
        choice(["keep", "merge_keep", "merge_close", "close"][(i / 2) % 4]),
    );
    for (k, name) in [
        "mech_mining",
        "fully_mech",
        "mech_heading",
        "aux_automation",
    ]
    .iter()
    .enumerate()
    {
        v.insert((*name).into(), Value::Flag((i + k).is_multiple_of(2)));
    }
    v.insert("automated_faces".into(), Value::Integer((i % 4) as i64));
    v.insert("project".into(), choice(["none", "new", "expand"][i % 3]));
    v.insert("in_enhong".into(), Value::Flag(i.is_multiple_of(5)));
    v.insert(
        "outburst_assessed".into(),
        Value::Date(format!("2020-{:02}-15", i % 12 + 1)),
    );
    v.insert(
        "monitoring_upgraded".into(),
        Value::Date(format!("2021-{:02}-01", i % 12 + 1)),
    );
    v.insert(
        "remarks".into(),
        text(format!("第{i}号煤矿已完成隐患排查，整改措施落实到位。")),
    );
    v
}

/// A closed data folder in `root` with the demo campaign and `n` coal-mine records.
fn build(root: &Path, n: usize) {
    let store = Store::open(root).unwrap();
    store
        .import_campaign(&anwei_exchange::demo_campaign().unwrap(), "bench")
        .unwrap();
    let mut i = 0;
    while i < n {
        let cmds: Vec<Command> = (i..(i + BATCH).min(n))
            .map(|i| Command::AddRecord {
                form: FORM.into(),
                form_version: "1.0.0".into(),
                values: mine(i),
                draft: false,
            })
            .collect();
        store.apply_many(&cmds, "bench").unwrap();
        i += BATCH;
    }
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|read| {
            read.map(|e| {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dir_size(&p)
                } else {
                    std::fs::metadata(&p).map_or(0, |m| m.len())
                }
            })
            .sum()
        })
        .unwrap_or(0)
}

/// A field of `/proc/self/status` in KiB.
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// The child: `--child backup ROOT DEST` or `--child restore ROOT BACKUP`. Prints
/// `secs base_kib peak_kib`.
fn child(args: &[String]) {
    let (what, root, file) = (&args[0], Path::new(&args[1]), Path::new(&args[2]));
    let store = what
        .starts_with("backup")
        .then(|| Store::open(root).unwrap());
    if what == "backup-warm" {
        store.as_ref().unwrap().check().unwrap();
    }
    let base = status_kib("VmRSS:");
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let start = Instant::now();
    match &store {
        Some(store) => {
            store.backup_to(file).unwrap();
        }
        None => {
            anwei_store::restore(root, file).unwrap();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:");
    println!("{secs} {base} {peak}");
}

/// Runs the child and returns (seconds, base MiB, peak MiB).
fn measure(what: &str, root: &Path, file: &Path) -> (f64, f64, f64) {
    let out = Process::new(std::env::current_exe().unwrap())
        .args(["--child", what])
        .arg(root)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let f: Vec<f64> = text
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    (f[0], f[1] / 1024.0, f[2] / 1024.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(&args[i + 1..]);
        return;
    }
    let mut sizes: Vec<usize> = match std::env::var("BACKUP_SIZES") {
        Ok(list) => list.split(',').map(|s| s.trim().parse().unwrap()).collect(),
        Err(_) => vec![1_000, 10_000, 100_000],
    };
    if std::env::var("BACKUP_1M").is_ok_and(|v| v == "1") {
        sizes.push(1_000_000);
    }
    let runs: usize = std::env::var("BACKUP_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    println!(
        "| records | build | db/ | backup | peak | Δ warm | file | restore | peak |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for n in sizes {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("data");
        let t = Instant::now();
        build(&root, n);
        let built = t.elapsed().as_secs_f64();
        let db_mib = dir_size(&root.join("db")) as f64 / 1048576.0;
        let file = tmp.path().join("bench.anwei-backup");
        let (mut bt, mut bp, mut bw, mut rt, mut rp) = (vec![], vec![], vec![], vec![], vec![]);
        let mut size = 0;
        for run in 0..runs {
            let (secs, _, peak) = measure("backup", &root, &file);
            bt.push(secs);
            bp.push(peak);
            let (_, base, peak) = measure("backup-warm", &root, &file);
            bw.push(peak - base);
            size = std::fs::metadata(&file).unwrap().len();
            let target = tmp.path().join(format!("restored-{run}"));
            let (secs, _, peak) = measure("restore", &target, &file);
            rt.push(secs);
            rp.push(peak);
            std::fs::remove_dir_all(&target).unwrap();
        }
        println!(
            "| {n} | {built:.1} s | {db_mib:.0} MiB | {:.2} s | {:.0} MiB | {:.0} MiB | {:.1} MiB | {:.2} s | {:.0} MiB |",
            median(bt),
            median(bp),
            median(bw),
            size as f64 / 1048576.0,
            median(rt),
            median(rp),
        );
    }
}
