//! Plugin host figures (run in release: `cargo bench -p anwei-plugin-host --bench plugins`).
//! Prints: cold compile per plugin, cache-hit load, instantiate, validate of a 30-field record
//! (p50/p99), compute over 10k and 100k records, host start with all built-ins (warm cache).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use anwei_plugin_host::{HostConfig, PluginHost, Runtime, wit};

fn pct(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p) as usize]
}

fn text(s: &str) -> wit::Value {
    wit::Value::Text(s.into())
}

fn record(i: usize) -> wit::FormRecord {
    let mut fields: Vec<(String, wit::Value)> = vec![
        ("name".into(), text(&format!("第{i}号煤矿"))),
        ("town".into(), text("越州镇")),
        ("enterprise".into(), text("某煤业公司")),
        ("ownership".into(), text("private")),
        ("status".into(), text("producing")),
        (
            "scale".into(),
            text(if i.is_multiple_of(3) {
                "large"
            } else {
                "medium"
            }),
        ),
        (
            "capacity".into(),
            wit::Value::Decimal(30.0 + (i % 90) as f64),
        ),
        (
            "gas_class".into(),
            text(["outburst", "high", "other"][i % 3]),
        ),
        (
            "depth".into(),
            wit::Value::Decimal(400.0 + (i % 800) as f64),
        ),
        (
            "standardisation".into(),
            text(["grade1", "grade2", "grade3"][i % 3]),
        ),
        (
            "group".into(),
            text(["keep", "merge_keep", "merge_close", "close"][i % 4]),
        ),
        ("merge_group".into(), text("一组")),
        ("mech_mining".into(), wit::Value::Flag(i.is_multiple_of(2))),
        ("fully_mech".into(), wit::Value::Flag(i.is_multiple_of(5))),
        ("mech_heading".into(), wit::Value::Flag(true)),
        (
            "aux_automation".into(),
            wit::Value::Flag(i.is_multiple_of(7)),
        ),
        (
            "automated_faces".into(),
            wit::Value::Integer((i % 3) as i64),
        ),
        ("project".into(), text("expand")),
        ("project_capacity".into(), wit::Value::Decimal(120.0)),
        ("project_depth".into(), wit::Value::Decimal(900.0)),
        ("in_enhong".into(), wit::Value::Flag(true)),
        ("same_seam".into(), wit::Value::Flag(true)),
        ("below_outburst_level".into(), wit::Value::Flag(true)),
        ("needs_assessment".into(), wit::Value::Flag(true)),
        (
            "outburst_assessed".into(),
            wit::Value::Date("2020-03-01".into()),
        ),
        (
            "monitoring_upgraded".into(),
            wit::Value::Date("2020-06-01".into()),
        ),
        (
            "monitoring_deadline".into(),
            wit::Value::Date("2020-06-30".into()),
        ),
        ("remarks".into(), text("无")),
        ("intro".into(), wit::Value::None),
    ];
    fields.push(("extra_note".into(), text("附加")));
    wit::FormRecord {
        id: format!("m{i}"),
        fields: fields
            .into_iter()
            .map(|(name, value)| wit::FieldValue { name, value })
            .collect(),
    }
}

fn main() {
    if std::env::var_os("ANWEI_BENCH_PROFILE_CALLS").is_some() {
        // A loop of short calls only, for `perf record`.
        let rt = Runtime::new(None).unwrap();
        let (_, coal) = anwei_builtin_plugins::builtins().next().unwrap();
        let c = rt.compile(coal).unwrap();
        let r = record(1);
        for _ in 0..200_000 {
            let _ = rt.classify("coal", &c, "none", &r, "2021-01-01").unwrap();
        }
        return;
    }
    let builtins: Vec<_> = anwei_builtin_plugins::builtins().collect();
    println!(
        "plugin host figures (wasmtime 48, {} built-in plugin(s))",
        builtins.len()
    );
    for (name, bytes) in &builtins {
        println!("  {name}: component {} KB", bytes.len() / 1024);
        let rt = Runtime::new(None).unwrap();
        let t = Instant::now();
        let _ = rt.compile(bytes).unwrap();
        println!(
            "  cold compile {name}: {:.1} ms",
            t.elapsed().as_secs_f64() * 1e3
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let (_, coal) = builtins
        .iter()
        .find(|(n, _)| *n == "coal-mining")
        .copied()
        .unwrap();
    Runtime::new(Some(cache.clone()))
        .unwrap()
        .compile(coal)
        .unwrap();
    let rt = Runtime::new(Some(cache.clone())).unwrap();
    let mut loads = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        let _ = rt.compile(coal).unwrap();
        loads.push(t.elapsed());
    }
    println!(
        "  cache-hit load (p50): {:.2} ms",
        pct(loads, 0.5).as_secs_f64() * 1e3
    );
    let compiled = rt.compile(coal).unwrap();

    let mut inst = Vec::new();
    for _ in 0..1000 {
        let t = Instant::now();
        rt.call("coal", &compiled, Duration::from_secs(1), |_, _| Ok(()))
            .unwrap();
        inst.push(t.elapsed());
    }
    println!(
        "  new store + instantiate (p50): {:.1} µs",
        pct(inst, 0.5).as_secs_f64() * 1e6
    );

    let r = record(1);
    assert_eq!(r.fields.len(), 30);
    let mut val = Vec::new();
    for _ in 0..5000 {
        let t = Instant::now();
        let _ = rt
            .validate("coal", &compiled, "mine-register", &r, "2021-01-01")
            .unwrap();
        val.push(t.elapsed());
    }
    println!(
        "  validate 30-field record, warm instance (p50 / p99): {:.1} / {:.1} µs",
        pct(val.clone(), 0.5).as_secs_f64() * 1e6,
        pct(val, 0.99).as_secs_f64() * 1e6
    );

    let mut fresh = Vec::new();
    for _ in 0..2000 {
        let t = Instant::now();
        rt.call("coal", &compiled, Duration::from_millis(200), |p, s| {
            p.anwei_plugin_plugin()
                .call_validate(s, "mine-register", &r, "2021-01-01")
        })
        .unwrap();
        fresh.push(t.elapsed());
    }
    println!(
        "  validate 30-field record, fresh store + instance (p50 / p99): {:.1} / {:.1} µs",
        pct(fresh.clone(), 0.5).as_secs_f64() * 1e6,
        pct(fresh, 0.99).as_secs_f64() * 1e6
    );

    let mut nop = Vec::new();
    for _ in 0..5000 {
        let t = Instant::now();
        rt.call_warm("coal", &compiled, Duration::from_millis(200), |_, _| Ok(()))
            .unwrap();
        nop.push(t.elapsed());
    }
    println!(
        "  warm wrapper, no call (p50): {:.2} µs",
        pct(nop, 0.5).as_secs_f64() * 1e6
    );
    let mut cls = Vec::new();
    for _ in 0..5000 {
        let t = Instant::now();
        let _ = rt
            .classify("coal", &compiled, "no-such-form", &r, "2021-01-01")
            .unwrap();
        cls.push(t.elapsed());
    }
    println!(
        "  classify unknown form (returns empty list, p50): {:.1} µs",
        pct(cls, 0.5).as_secs_f64() * 1e6
    );
    if let Some(h) = anwei_builtin_plugins::fixture("hostile") {
        let hc = rt.compile(h).unwrap();
        let mut hv = Vec::new();
        for _ in 0..5000 {
            let t = Instant::now();
            let _ = rt.validate("h", &hc, "ok", &r, "2021-01-01").unwrap();
            hv.push(t.elapsed());
        }
        println!(
            "  tiny test plugin, validate 30-field record (p50): {:.1} µs",
            pct(hv, 0.5).as_secs_f64() * 1e6
        );
    }
    // Cost of passing the record alone: an unknown form returns at once.
    let mut pass = Vec::new();
    for _ in 0..5000 {
        let t = Instant::now();
        let _ = rt
            .validate("coal", &compiled, "no-such-form", &r, "2021-01-01")
            .unwrap();
        pass.push(t.elapsed());
    }
    println!(
        "  validate call that returns at once (record passing only, p50): {:.1} µs",
        pct(pass, 0.5).as_secs_f64() * 1e6
    );
    let empty = wit::FormRecord {
        id: "e".into(),
        fields: vec![],
    };
    let mut e = Vec::new();
    for _ in 0..5000 {
        let t = Instant::now();
        let _ = rt
            .validate("coal", &compiled, "mine-register", &empty, "2021-01-01")
            .unwrap();
        e.push(t.elapsed());
    }
    println!(
        "  validate of an empty record (p50): {:.1} µs",
        pct(e, 0.5).as_secs_f64() * 1e6
    );

    // Full 30-field records, and records holding only the 10 fields compute reads.
    const COMPUTE_FIELDS: [&str; 10] = [
        "group",
        "capacity",
        "status",
        "standardisation",
        "mech_mining",
        "mech_heading",
        "fully_mech",
        "aux_automation",
        "gas_class",
        "monitoring_upgraded",
    ];
    for (label, slim) in [("30-field", false), ("10-field", true)] {
        for n in [10_000usize, 100_000] {
            let records: Vec<_> = (0..n)
                .map(|i| {
                    let mut r = record(i);
                    if slim {
                        r.fields
                            .retain(|f| COMPUTE_FIELDS.contains(&f.name.as_str()));
                    }
                    r
                })
                .collect();
            let t = Instant::now();
            let out = rt.compute("coal", &compiled, "mine-register", &records, "2022-12-31");
            match out {
                Ok(v) => println!(
                    "  compute over {n} {label} records: {:.1} ms ({} values)",
                    t.elapsed().as_secs_f64() * 1e3,
                    v.len()
                ),
                Err(e) => println!(
                    "  compute over {n} {label} records: refused after {:.1} ms: {e}",
                    t.elapsed().as_secs_f64() * 1e3
                ),
            }
        }
    }

    // Host start with all built-ins: warm the cache once, then time a fresh open.
    let data = tempfile::tempdir().unwrap();
    drop(PluginHost::open(HostConfig::new(data.path())).unwrap());
    let mut starts = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let host = PluginHost::open(HostConfig::new(data.path())).unwrap();
        starts.push(t.elapsed());
        assert!(!host.list().is_empty());
    }
    println!(
        "  host start, all built-ins, warm cache (p50): {:.1} ms",
        pct(starts, 0.5).as_secs_f64() * 1e3
    );
}
