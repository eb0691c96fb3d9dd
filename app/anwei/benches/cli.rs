//! `cargo bench -p anwei --bench cli`: the command line as a user runs it, whole processes of
//! the release binary on registers of coal records — `records import` of a JSON Lines file,
//! `records list --json`, `targets list` (computed from the register, then kept), and
//! `backup` — each with its wall time and peak memory (`/usr/bin/time`).
//!
//! The binary is `$ANWEI_BIN`, else `target/release/anwei` of the workspace: build it first
//! with `cargo build --release -p anwei`. Sizes from `CLI_SIZES` (default
//! `1000,10000,100000`; `1000000` too for the whole range). An import holds at most
//! [`PART`] records, so a larger register is imported in parts: the import column is then
//! the parts' total time and the largest part's peak.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};

/// The most records one import holds.
const PART: usize = anwei_core::limits::MAX_IMPORT_RECORDS;

/// A coal-register record of 27 fields, as the plugin's form has them.
fn coal(i: usize) -> Value {
    const TOWNS: [&str; 6] = [
        "越州镇",
        "东山镇",
        "茨营镇",
        "潇湘街道",
        "三宝街道",
        "沿江街道",
    ];
    let mut m = json!({
        "name": format!("第{i}号煤矿"),
        "town": TOWNS[i % TOWNS.len()],
        "enterprise": format!("第{}煤业有限公司", i % 900),
        "ownership": (["state", "provincial", "private"][i % 3]),
        "status": (["producing", "building", "suspended", "closed"][i % 4]),
        "scale": (["large", "medium", "small"][i % 3]),
        "capacity": 30.0 + (i % 90) as f64,
        "gas_class": (["outburst", "high", "other"][(i / 3) % 3]),
        "depth": 200.0 + (i % 700) as f64,
        "standardisation": (["grade1", "grade2", "grade3", "none"][i % 4]),
        "group": (["keep", "merge_keep", "merge_close", "close"][(i / 2) % 4]),
        "mech_mining": i.is_multiple_of(2),
        "fully_mech": i.is_multiple_of(5),
        "mech_heading": !i.is_multiple_of(3),
        "aux_automation": i.is_multiple_of(7),
        "in_enhong": i % 2 == 1,
        "same_seam": i % 3 != 1,
        "below_outburst_level": i % 5 != 2,
        "automated_faces": i % 4,
        "project": "none",
        "remarks": "无",
    });
    if i % 4 != 3 {
        m["outburst_assessed"] = json!((["2020-01-15", "2020-05-01", "2019-12-31"][i % 3]));
    }
    // Every record valid as of today: the monitoring upgrade done within its deadline.
    m["monitoring_upgraded"] = json!((["2020-03-01", "2020-05-01", "2020-06-01"][i % 3]));
    m
}

fn anwei_bin() -> Option<PathBuf> {
    [
        std::env::var_os("ANWEI_BIN").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/release/anwei")),
    ]
    .into_iter()
    .flatten()
    .find(|p| p.is_file())
}

/// Runs `anwei --data DATA ARGS` (its output read and dropped); returns (seconds, peak MiB).
fn run(anwei: &Path, data: &Path, args: &[&str]) -> (f64, f64) {
    let timed = Path::new("/usr/bin/time").is_file();
    let mut cmd = if timed {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "%M"]).arg(anwei);
        c
    } else {
        Command::new(anwei)
    };
    cmd.arg("--data").arg(data).args(args);
    let t = Instant::now();
    let out = cmd.output().unwrap();
    let secs = t.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let head: String = stdout.chars().take(2000).collect();
    assert!(out.status.success(), "{args:?}: {stderr}\n{head}");
    let peak_kib: f64 = stderr
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(0.0);
    (secs, peak_kib / 1024.0)
}

/// The bytes of the files under `dir`.
fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            if meta.is_dir() {
                folder_bytes(&e.path())
            } else {
                meta.len()
            }
        })
        .sum()
}

fn main() {
    let Some(anwei) = anwei_bin() else {
        println!(
            "skipped: no release `anwei`; run `cargo build --release -p anwei` (or set ANWEI_BIN)"
        );
        return;
    };
    let sizes: Vec<usize> = std::env::var("CLI_SIZES")
        .unwrap_or_else(|_| "1000,10000,100000".to_owned())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    println!("anwei: {}", anwei.display());
    println!(
        "| records | import (s) | peak (MiB) | list --json (s) | peak (MiB) | targets, computed (s) | peak (MiB) | targets, kept (s) | backup (s) | peak (MiB) | disk (B/record) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for n in sizes {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        run(&anwei, &data, &["init", "--demo"]);
        let form = "coal-mining/mine-register";
        let mut import = (0.0, 0.0f64);
        for start in (0..n).step_by(PART) {
            let file = dir.path().join("coal.jsonl");
            let mut w = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
            for i in start..n.min(start + PART) {
                serde_json::to_writer(&mut w, &coal(i)).unwrap();
                w.write_all(b"\n").unwrap();
            }
            w.flush().unwrap();
            drop(w);
            let file_s = file.to_str().unwrap();
            let part = run(
                &anwei,
                &data,
                &["records", "import", "--form", form, file_s],
            );
            import = (import.0 + part.0, import.1.max(part.1));
        }
        let list = run(
            &anwei,
            &data,
            &["records", "list", "--form", form, "--json"],
        );
        let targets = run(&anwei, &data, &["targets", "list"]);
        let kept = run(&anwei, &data, &["targets", "list"]);
        let backup_file = dir.path().join("b.anwei-backup");
        let backup = run(&anwei, &data, &["backup", backup_file.to_str().unwrap()]);
        let disk = folder_bytes(&data.join("db")) as f64 / n as f64;
        println!(
            "| {n} | {:.2} | {:.0} | {:.2} | {:.0} | {:.2} | {:.0} | {:.2} | {:.2} | {:.0} | {disk:.0} |",
            import.0, import.1, list.0, list.1, targets.0, targets.1, kept.0, backup.0, backup.1
        );
    }
}
