//! Desk start with all built-in plugins: open the data folder (store, model), start the
//! plugin host, import/check the sector plans, compute the targets — everything
//! `DeskApp::open` + the first frames do — on a warm compiled-code cache.
//!
//! `cargo bench -p anwei-ui --bench start` (release). Prints the cold first start (demo
//! import, empty code cache: the built-ins open from their snapshots) and p50 / max of warm starts in ms (target ≤ 300 ms warm); then
//! the start of a desk whose coal register holds `START_RECORDS` records (default 100 000):
//! time to the first frame and resident memory after it (target ≤ 0.5 s, ≤ 300 MB), measured
//! in a child process (the same binary with `START_MEASURE=DIR`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anwei_core::{Command, RecordRow, Value};
use anwei_ui::DeskApp;

/// The allocator the program uses (`app/anwei/src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 20;

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// The child: open the desk with a large register, run the first frame.
fn measure(root: &Path) {
    let t = Instant::now();
    let mut app = DeskApp::open(root, "bench");
    let ctx = egui::Context::default();
    let _ = ctx.run_ui(egui::RawInput::default(), |ui| app.ui(ui));
    let first_frame = t.elapsed();
    assert!(app.is_open(), "{}", app.status().text());
    app.wait_for_plugins();
    let _ = ctx.run_ui(egui::RawInput::default(), |ui| app.ui(ui));
    let settled = t.elapsed();
    println!(
        "{} {} {} {}",
        first_frame.as_secs_f64() * 1e3,
        settled.as_secs_f64() * 1e3,
        status_kib("VmRSS:"),
        status_kib("VmHWM:")
    );
}

fn coal(i: usize) -> BTreeMap<String, Value> {
    let choice = |s: &str| Value::Choices(vec![s.to_owned()]);
    BTreeMap::from([
        ("name".to_owned(), Value::Text(format!("第{i}号煤矿"))),
        ("town".to_owned(), Value::Text("越州镇".to_owned())),
        (
            "enterprise".to_owned(),
            Value::Text(format!("第{}煤业有限公司", i % 900)),
        ),
        ("ownership".to_owned(), choice("private")),
        ("status".to_owned(), choice(["producing", "closed"][i % 2])),
        ("scale".to_owned(), choice("medium")),
        (
            "capacity".to_owned(),
            Value::Decimal(30.0 + (i % 90) as f64),
        ),
        ("gas_class".to_owned(), choice("other")),
        ("depth".to_owned(), Value::Decimal(200.0 + (i % 700) as f64)),
        ("group".to_owned(), choice(["keep", "close"][i % 2])),
        ("mech_mining".to_owned(), Value::Flag(i.is_multiple_of(3))),
        ("automated_faces".to_owned(), Value::Integer((i % 4) as i64)),
        (
            "monitoring_upgraded".to_owned(),
            Value::Date("2020-06-01".to_owned()),
        ),
        ("remarks".to_owned(), Value::Text("无".to_owned())),
    ])
}

fn large_register() {
    let n: usize = std::env::var("START_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    {
        let mut app = DeskApp::open(dir.path(), "bench");
        app.wait_for_plugins();
        let store = app.store().unwrap();
        let mut i = 0;
        while i < n {
            let m = (n - i).min(100_000);
            store
                .apply(
                    &Command::ImportRecords {
                        form: "coal-mining/mine-register".to_owned(),
                        form_version: "1.0.0".to_owned(),
                        rows: (i..i + m)
                            .map(|k| RecordRow {
                                values: coal(k),
                                draft: false,
                            })
                            .collect(),
                        source: "bench.jsonl".to_owned(),
                    },
                    "bench",
                )
                .unwrap();
            i += m;
        }
    }
    let mut runs = Vec::new();
    for _ in 0..5 {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .env("START_MEASURE", dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let f: Vec<f64> = String::from_utf8(out.stdout)
            .unwrap()
            .split_whitespace()
            .map(|x| x.parse().unwrap())
            .collect();
        runs.push(f);
    }
    runs.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let m = &runs[runs.len() / 2];
    println!(
        "start with {n} coal records (median of 5): first frame {:.0} ms, plugins settled {:.0} ms, resident {:.0} MiB (peak {:.0} MiB) (target ≤ 500 ms, ≤ 300 MB)",
        m[0],
        m[1],
        m[2] / 1024.0,
        m[3] / 1024.0
    );
}

fn main() {
    if let Some(dir) = std::env::var_os("START_MEASURE") {
        measure(Path::new(&dir));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let mut app = DeskApp::open(dir.path(), "bench");
    app.wait_for_plugins();
    assert!(app.is_open(), "{}", app.status().text());
    let rows = app.model().unwrap().rows.len();
    drop(app);
    println!(
        "first start, empty code cache (demo import, built-ins opened from their description \
         snapshots and compiled in the background, sector plans imported): {:.1} ms, {rows} tasks",
        t.elapsed().as_secs_f64() * 1e3
    );
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        let mut app = DeskApp::open(dir.path(), "bench");
        app.wait_for_plugins();
        times.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(app.plugins_view().unwrap().plugin("coal-mining").is_some());
        drop(app);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "warm start with all built-in plugins ({RUNS} runs): p50 {:.1} ms, max {:.1} ms (target ≤ 300 ms)",
        times[RUNS / 2],
        times[RUNS - 1]
    );
    switch_campaign(dir.path());
    large_register();
}

/// Switching the campaign shown (the choice written, the model read again): the demo's two
/// campaigns, back and forth (target ≤ 100 ms).
fn switch_campaign(root: &Path) {
    let mut app = DeskApp::open(root, "bench");
    app.wait_for_plugins();
    let mut times = Vec::with_capacity(RUNS);
    for i in 0..RUNS {
        let to = if i % 2 == 0 {
            "shangluo-2018"
        } else {
            "qilin-2020"
        };
        let t = Instant::now();
        app.apply_actions(vec![anwei_ui::Action::apply(Command::SetCurrentCampaign {
            campaign: to.to_owned(),
        })]);
        app.wait_for_writes();
        times.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(app.model().unwrap().campaign.id, to);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "switching campaign (written, model read again; {RUNS} runs): p50 {:.1} ms, max {:.1} ms (target ≤ 100 ms)",
        times[RUNS / 2],
        times[RUNS - 1]
    );
}
