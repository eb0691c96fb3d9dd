//! Ledger registers of 1k to 100k (and 1M) coal records: bulk import, space on disk, and
//! the coal targets computed from the store (cold: read and computed; warm: kept values),
//! and a scan of the register (each record viewed in its row), each with the peak memory
//! it needed.
//!
//! `cargo bench -p anwei-session --bench register` (release). Sizes from `REGISTER_SIZES`
//! (default `1000,10000,100000`; add `1000000` for 1M — about 10 minutes and 2 GB of disk).
//! The measurements run in a child process (the same binary, `REGISTER_MEASURE=DIR`) so
//! that peak memory (VmHWM, reset through `/proc/self/clear_refs` after the plugin host
//! started) covers only what is measured. `REGISTER_KEEP=DIR` leaves the data folders in
//! `DIR/<size>` (e.g. to profile `REGISTER_MEASURE=DIR/100000`). `REGISTER_FORM=SECTOR/FORM`
//! measures another sector's register instead (e.g. `hazardous-chemicals/hazchem-enterprise`,
//! records with a value in every field of the form).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::manual_is_multiple_of
)]

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anwei_core::{Command, RecordRow, Value, limits};
use anwei_plugin_host::PluginHost;
use anwei_session::targets::{Freshness, compute_form_cached};
use anwei_session::{host_config, sync_sector_plans};
use anwei_store::Store;
use chrono::NaiveDate;

/// The allocator the program uses (`app/anwei/src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../../plugin-host/benches/common/records.rs"]
mod records;

/// The register measured unless `REGISTER_FORM` names another.
const FORM: &str = "coal-mining/mine-register";

/// `REGISTER_FORM=SECTOR/FORM` (records made from the form's own fields, as the `sectors`
/// bench of `anwei-plugin-host` makes them), else the coal register.
fn form() -> String {
    std::env::var("REGISTER_FORM").unwrap_or_else(|_| FORM.to_owned())
}

/// Record `k` of `form`: the coal register's 27 fields, or every field of another form.
fn values_of(
    form: &str,
    described: Option<&anwei_plugin_host::description::Form>,
    k: usize,
) -> BTreeMap<String, Value> {
    match described {
        Some(f) if form != FORM => records::values(f, k),
        _ => coal_values(k),
    }
}

/// A coal-register record of 27 fields, as the plugin's form has them.
fn coal_values(i: usize) -> BTreeMap<String, Value> {
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
    if i % 6 != 5 {
        put(
            "monitoring_upgraded",
            Value::Date(["2020-06-01", "2020-09-30", "2021-02-01"][i % 3].into()),
        );
    }
    put("remarks", Value::Text("无".to_owned()));
    v
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

/// Peak resident memory of this process (KiB).
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
}

/// A date of its own per process: a child measuring again finds nothing kept for it.
fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 12, 31).unwrap()
        + chrono::Days::new(u64::from(std::process::id() % 1000))
}

fn open_desk(root: &Path) -> (Store, PluginHost) {
    let store = Store::open(root).unwrap();
    store
        .import_campaign(&anwei_exchange::demo_campaign().unwrap(), "bench")
        .unwrap();
    let host = PluginHost::open(host_config(&store, "bench").unwrap()).unwrap();
    let report = sync_sector_plans(&store, &host, "bench");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    (store, host)
}

/// The child: cold compute, warm compute, full scan; one line of figures.
fn measure(root: &Path) {
    let (store, host) = open_desk(root);
    let reader = store.record_reader();
    let form = form();
    let form = form.as_str();
    reset_peak();
    let base = peak_kib();
    let t = Instant::now();
    let (values, how) = compute_form_cached(&host, &reader, form, day()).unwrap();
    let cold = t.elapsed();
    let cold_peak = peak_kib().saturating_sub(base);
    assert!(matches!(how, Freshness::Computed { .. }), "{how:?}");
    assert!(!values.is_empty());
    let t = Instant::now();
    let (_, how) = compute_form_cached(&host, &reader, form, day()).unwrap();
    let warm = t.elapsed();
    assert_eq!(how, Freshness::Cached);
    reset_peak();
    let base = peak_kib();
    let t = Instant::now();
    let mut n = 0usize;
    reader
        .for_each_view(form, |r| n += r.values().count().min(1))
        .unwrap();
    let scan = t.elapsed();
    let scan_peak = peak_kib().saturating_sub(base);
    println!(
        "{} {} {} {} {} {}",
        cold.as_secs_f64() * 1e3,
        cold_peak,
        warm.as_secs_f64() * 1e3,
        scan.as_secs_f64() * 1e3,
        scan_peak,
        n
    );
}

fn main() {
    if let Some(dir) = std::env::var_os("REGISTER_MEASURE") {
        measure(Path::new(&dir));
        return;
    }
    let sizes: Vec<usize> = std::env::var("REGISTER_SIZES")
        .unwrap_or_else(|_| "1000,10000,100000".to_owned())
        .split(',')
        .map(|s| s.trim().parse().unwrap())
        .collect();
    println!(
        "| records | import (s) | µs/record | db on disk | bytes/record | targets cold (ms) | peak (MiB) | targets kept (ms) | scan, views (ms) | peak (MiB) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let form = form();
    println!("register {form}");
    for n in sizes {
        let tmp = tempfile::tempdir().unwrap();
        // `REGISTER_KEEP=DIR`: the data folders are built (and left) in DIR/N, for profiling.
        let root = match std::env::var_os("REGISTER_KEEP") {
            Some(keep) => Path::new(&keep).join(n.to_string()),
            None => tmp.path().join("data"),
        };
        {
            let (store, host) = open_desk(&root);
            let (sector, form_id) = form.split_once('/').unwrap();
            let described = host.describe(sector).ok().and_then(|d| {
                let version = d.identity.version.clone();
                d.forms
                    .into_iter()
                    .find(|f| f.id == form_id)
                    .map(|f| (f, version))
            });
            assert!(described.is_some() || form == FORM, "no form {form}");
            drop(host);
            let empty = dir_size(&root.join("db"));
            let t = Instant::now();
            let mut i = 0;
            while i < n {
                let m = (n - i).min(limits::MAX_IMPORT_RECORDS / 2);
                let rows: Vec<RecordRow> = (i..i + m)
                    .map(|k| RecordRow {
                        values: values_of(&form, described.as_ref().map(|d| &d.0), k),
                        draft: k % 50 == 0,
                    })
                    .collect();
                store
                    .apply(
                        &Command::ImportRecords {
                            form: form.clone(),
                            form_version: described
                                .as_ref()
                                .map_or_else(|| "1.0.0".to_owned(), |d| d.1.clone()),
                            rows,
                            source: "bench.jsonl".to_owned(),
                        },
                        "bench",
                    )
                    .unwrap();
                i += m;
            }
            let import = t.elapsed();
            drop(store);
            let db = dir_size(&root.join("db"));
            let added = db.saturating_sub(empty);
            let out = std::process::Command::new(std::env::current_exe().unwrap())
                .env("REGISTER_MEASURE", &root)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let line = String::from_utf8(out.stdout).unwrap();
            let f: Vec<f64> = line
                .split_whitespace()
                .map(|x| x.parse().unwrap())
                .collect();
            assert_eq!(f[5] as usize, n);
            println!(
                "| {n} | {:.2} | {:.1} | {:.1} MiB | {:.0} | {:.0} | {:.1} | {:.2} | {:.0} | {:.1} |",
                import.as_secs_f64(),
                import.as_secs_f64() * 1e6 / n as f64,
                db as f64 / (1 << 20) as f64,
                added as f64 / n as f64,
                f[0],
                f[1] / 1024.0,
                f[2],
                f[3],
                f[4] / 1024.0,
            );
        }
    }
}
