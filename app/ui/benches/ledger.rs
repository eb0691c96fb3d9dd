//! The 台账 tab with 100 000 records of the coal plugin's 煤矿台账, and target values computed
//! from them.
//!
//! `cargo bench -p anwei-ui --bench ledger` (release) or `cargo run -p anwei-ui --bench ledger`
//! (debug). Prints: building the in-memory ledger; CPU time per frame while scrolling
//! (p50 / p95 / max over 300 frames, target ≤ 8 ms); filtering (target ≤ 50 ms) and sorting;
//! recomputing the form's target values after one record changed, and over all 100 000
//! records (target ≤ 1 s). Checks that scrolling does not recompute the row list.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anwei_core::{FormDef, FormRecord, UnitDirectory, Value};
use anwei_plugin_host::{HostConfig, PluginHost};
use anwei_session::targets::compute_form;
use anwei_store::Settings;
use anwei_ui::panels::{LedgerState, ledger_panel};
use anwei_ui::records::{LedgerFilter, LedgerRows, LedgerSort, RecordStatus, StatusFilter};
use anwei_ui::{DeskModel, LedgerForm, PluginsView};
use chrono::NaiveDate;

const RECORDS: usize = 100_000;
const FRAMES: usize = 300;
const FORM: &str = "coal-mining/mine-register";
const TOWNS: [&str; 6] = [
    "越州镇",
    "东山镇",
    "茨营镇",
    "潇湘街道",
    "三宝街道",
    "沿江街道",
];

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn choice(s: &str) -> Value {
    Value::Choices(vec![s.to_owned()])
}

/// A register where every rule's branches occur (as the plugin's own tests build one).
fn register(n: usize) -> Vec<FormRecord> {
    (0..n)
        .map(|i| {
            let mut v: BTreeMap<String, Value> = BTreeMap::new();
            let mut put = |k: &str, val: Value| {
                v.insert(k.to_owned(), val);
            };
            put("name", text(&format!("第{i}号煤矿")));
            put("town", text(TOWNS[i % TOWNS.len()]));
            put("enterprise", text(&format!("第{}煤业有限公司", i % 900)));
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
            put("remarks", text("无"));
            FormRecord {
                id: i as u64 + 1,
                form: FORM.into(),
                form_version: "1.0.0".into(),
                values: v,
                draft: i % 50 == 0,
                deleted: i % 97 == 0,
                author: "测试员".into(),
                created_at: "2020-09-01T10:00:00+08:00".into(),
                updated_at: format!(
                    "2020-09-{:02}T{:02}:{:02}:00+08:00",
                    1 + i % 28,
                    i % 24,
                    i % 60
                ),
                revision: 1,
            }
        })
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn time<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let out = f();
    (out, ms(t.elapsed()))
}

fn coal_form(host: &PluginHost) -> FormDef {
    let d = host.describe("coal-mining").unwrap();
    anwei_plugin_host::convert::form_def("coal-mining", &d.identity.version, &d.forms[0]).unwrap()
}

fn main() {
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!("ledger bench ({profile}), {RECORDS} records");
    let dir = tempfile::tempdir().unwrap();
    let host = Arc::new(PluginHost::open(HostConfig::new(dir.path())).unwrap());
    let form = coal_form(&host);
    let records = register(RECORDS);

    // ----- the in-memory ledger ----------------------------------------------------------
    let copy = records.clone();
    let (ledger, build) = time(|| LedgerRows::new(form.clone(), copy, &UnitDirectory::default()));
    println!(
        "build ledger (cell texts of {} columns): {build:.1} ms",
        ledger.columns().len()
    );

    // ----- filter and sort ---------------------------------------------------------------
    let col = |title: &str| {
        ledger
            .columns()
            .iter()
            .position(|c| c.title == title)
            .unwrap()
    };
    let filters = [
        ("no filter (有效和草稿)", LedgerFilter::default()),
        (
            "text “整合”",
            LedgerFilter {
                text: "整合".into(),
                ..Default::default()
            },
        ),
        (
            "text “第4242号” (1 row)",
            LedgerFilter {
                text: "第4242号".into(),
                ..Default::default()
            },
        ),
        (
            "town + status 草稿",
            LedgerFilter {
                town: Some("越州镇".into()),
                status: StatusFilter::Only(RecordStatus::Draft),
                ..Default::default()
            },
        ),
        (
            "date range",
            LedgerFilter {
                from: NaiveDate::from_ymd_opt(2020, 1, 1),
                to: NaiveDate::from_ymd_opt(2020, 3, 31),
                ..Default::default()
            },
        ),
    ];
    for (name, f) in &filters {
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..5 {
            let (rows, t) = time(|| ledger.filter_sort(f, LedgerSort::default()));
            n = rows.len();
            times.push(t);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "filter {name}: {n} rows, median {:.1} ms, max {:.1} ms",
            times[2], times[4]
        );
    }
    let all = LedgerFilter {
        status: StatusFilter::All,
        ..Default::default()
    };
    for (title, descending) in [
        ("核定(设计)产能", false),
        ("核定(设计)产能", true),
        ("煤矿名称", false),
        ("所在镇(街道)", true),
        ("修改时间", false),
    ] {
        let sort = LedgerSort {
            column: Some(col(title)),
            descending,
        };
        let mut times = Vec::new();
        for _ in 0..5 {
            times.push(time(|| ledger.filter_sort(&all, sort)).1);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "sort by {title}{} ({RECORDS} rows): median {:.1} ms, max {:.1} ms",
            if descending { " desc" } else { "" },
            times[2],
            times[4]
        );
    }
    let (_, combined) = time(|| {
        ledger.filter_sort(
            &filters[1].1,
            LedgerSort {
                column: Some(col("煤矿名称")),
                descending: true,
            },
        )
    });
    println!("filter “整合” + sort by 煤矿名称 desc: {combined:.1} ms");

    // ----- frames while scrolling --------------------------------------------------------
    let mut model = DeskModel::from_parts(
        None,
        Vec::new(),
        Vec::new(),
        UnitDirectory::default(),
        HashMap::new(),
        Settings::default(),
        NaiveDate::from_ymd_opt(2020, 9, 1).unwrap(),
    );
    model.set_ledger(Some(ledger.clone()));
    let view = PluginsView {
        forms: vec![LedgerForm {
            sector: "coal-mining".into(),
            sector_name: "煤矿安全专项整治".into(),
            form: form.clone(),
        }],
        ..Default::default()
    };
    let ctx = egui::Context::default();
    anwei_ui::install_fonts(&ctx);
    let mut state = LedgerState::default();
    let mut actions = Vec::new();
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1400.0, 900.0));
    let over_table = egui::pos2(500.0, 500.0);
    let mut frame = |events: Vec<egui::Event>, state: &mut LedgerState| {
        let input = egui::RawInput {
            screen_rect: Some(screen),
            events,
            ..Default::default()
        };
        let start = Instant::now();
        let mut output = ctx.run_ui(input, |ui| {
            egui::CentralPanel::default().show(ui, |ui| {
                ledger_panel(ui, &model, &view, state, &mut actions);
            });
        });
        let shapes = std::mem::take(&mut output.shapes);
        let primitives = ctx.tessellate(shapes, output.pixels_per_point);
        let elapsed = start.elapsed();
        drop(primitives);
        output.drop_without_applying_deltas();
        elapsed
    };
    for _ in 0..5 {
        frame(vec![egui::Event::PointerMoved(over_table)], &mut state);
    }
    let recomputed_before = state.recompute_count();
    let mut times = Vec::with_capacity(FRAMES);
    for i in 0..FRAMES {
        let dy = if i < FRAMES * 4 / 5 { -240.0 } else { 480.0 };
        let events = vec![
            egui::Event::PointerMoved(over_table),
            egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, dy),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
                modifiers: egui::Modifiers::NONE,
            },
        ];
        times.push(ms(frame(events, &mut state)));
    }
    assert_eq!(
        state.recompute_count(),
        recomputed_before,
        "scrolling must not recompute the row list"
    );
    assert_eq!(
        state.visible().len(),
        records.iter().filter(|r| !r.deleted).count()
    );
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "ledger table, {RECORDS} records, {} columns, {FRAMES} scrolling frames: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        ledger.columns().len(),
        pct(0.5),
        pct(0.95),
        times[times.len() - 1]
    );
    // A frame right after the filter text changed (the row list is recomputed in it).
    state.filter.text = "整合".into();
    let t = frame(vec![egui::Event::PointerMoved(over_table)], &mut state);
    println!(
        "frame after typing in 搜索 (recomputes the list): {:.1} ms",
        ms(t)
    );

    // ----- target values ------------------------------------------------------------------
    let as_of = NaiveDate::from_ymd_opt(2022, 12, 31).unwrap();
    // Warm the plugin instance.
    compute_form(&host, FORM, &ledger.records()[..100], as_of).unwrap();
    let mut full = Vec::new();
    let mut values = Vec::new();
    for _ in 0..3 {
        let (v, t) = time(|| compute_form(&host, FORM, ledger.records(), as_of).unwrap());
        full.push(t);
        values = v;
    }
    full.sort_by(f64::total_cmp);
    println!(
        "full recompute over {RECORDS} records ({} values): median {:.1} ms, max {:.1} ms",
        values.len(),
        full[1],
        full[2]
    );
    let (_, session) =
        time(|| anwei_session::targets::compute_form(&host, FORM, &records, as_of).unwrap());
    println!("  (anwei_session::targets::compute_form over the same records: {session:.1} ms)");
    // One record changes: the ledger takes it, the form's values are computed again from the
    // shared records (what the desk's worker does after the debounce).
    let mut ledger = ledger;
    let mut changed = records[1234].clone();
    changed
        .values
        .insert("capacity".into(), Value::Decimal(120.0));
    changed.revision = 2;
    let (_, upsert) = time(|| ledger.upsert(changed));
    let (_, incremental) = time(|| {
        let snapshot: Vec<Arc<FormRecord>> = ledger.records().to_vec();
        compute_form(&host, FORM, &snapshot, as_of).unwrap()
    });
    println!(
        "one record changed: ledger update {upsert:.2} ms (UI thread), recompute of its form {incremental:.1} ms (worker)"
    );
    // A typical register: one change in a form of 200 records.
    let small = LedgerRows::new(form, records[..200].to_vec(), &UnitDirectory::default());
    let (_, t) = time(|| compute_form(&host, FORM, small.records(), as_of).unwrap());
    println!("recompute of a 200-record form: {t:.2} ms");
}
