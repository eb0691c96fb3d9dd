//! Plugin host figures (run in release: `cargo bench -p anwei-plugin-host --bench plugins`).
//! Prints: cold compile per plugin, cache-hit load, new store + instantiate, validate and
//! classify of a 30-field record on a fresh store (p50/p99), compute over 10k and 100k
//! records of the mine register (30 fields each; the plugin receives its 15 input fields),
//! host start with all built-ins (cold and warm cache).
//!
//! Packages: refusal of a 20 MB sparse-tar bomb (read, and a start with it in the plugins
//! folder), install of a plan at every limit (2,000 tasks × 100 roles, 1,000 new units; the
//! import into a store is measured by `app/session/tests/big_plan.rs`).
//!
//! `ANWEI_BENCH_PROFILE_CALLS=1` runs only a loop of validate calls, for `perf record`;
//! `ANWEI_BENCH_PACKAGES_ONLY=1` only the package figures.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use anwei_core::{FormRecord, Value};
use anwei_plugin_host::{HostConfig, PluginHost, Runtime};

fn pct(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p) as usize]
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

/// A mine-register record with 30 fields.
fn record(i: usize) -> FormRecord {
    let fields: Vec<(&str, Value)> = vec![
        // A note row: no value of its own, an empty text here to keep 30 fields.
        ("intro", text("")),
        ("name", text(&format!("第{i}号煤矿"))),
        ("town", text("越州镇")),
        ("enterprise", text("某煤业公司")),
        ("ownership", text("private")),
        ("status", text("producing")),
        (
            "scale",
            text(if i.is_multiple_of(3) {
                "large"
            } else {
                "medium"
            }),
        ),
        ("capacity", Value::Decimal(30.0 + (i % 90) as f64)),
        ("gas_class", text(["outburst", "high", "other"][i % 3])),
        ("depth", Value::Decimal(400.0 + (i % 800) as f64)),
        (
            "standardisation",
            text(["grade1", "grade2", "grade3"][i % 3]),
        ),
        (
            "group",
            text(["keep", "merge_keep", "merge_close", "close"][i % 4]),
        ),
        ("merge_group", text("一组")),
        ("mech_mining", Value::Flag(i.is_multiple_of(2))),
        ("fully_mech", Value::Flag(i.is_multiple_of(5))),
        ("mech_heading", Value::Flag(true)),
        ("aux_automation", Value::Flag(i.is_multiple_of(7))),
        ("automated_faces", Value::Integer((i % 3) as i64)),
        ("project", text("expand")),
        ("project_capacity", Value::Decimal(120.0)),
        ("project_depth", Value::Decimal(900.0)),
        ("in_enhong", Value::Flag(true)),
        ("same_seam", Value::Flag(true)),
        ("below_outburst_level", Value::Flag(true)),
        ("needs_assessment", text("yes")),
        ("outburst_assessed", Value::Date("2020-03-01".into())),
        ("monitoring_upgraded", Value::Date("2020-06-01".into())),
        ("monitoring_deadline", Value::Date("2020-06-30".into())),
        ("remarks", text("无")),
        ("extra_note", text("附加")),
    ];
    FormRecord {
        id: i as u64 + 1,
        form: "coal-mining/mine-register".into(),
        form_version: String::new(),
        values: fields
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect(),
        draft: false,
        deleted: false,
        author: String::new(),
        created_at: String::new(),
        updated_at: String::new(),
        revision: 1,
    }
}

fn times(n: usize, mut f: impl FnMut()) -> Vec<Duration> {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect()
}

fn main() {
    let (_, coal) = anwei_builtin_plugins::builtins()
        .find(|(n, _)| *n == "coal-mining")
        .unwrap();
    if std::env::var_os("ANWEI_BENCH_PROFILE_CALLS").is_some() {
        let rt = Runtime::new(None).unwrap();
        let c = rt.compile(coal).unwrap();
        let r = record(1);
        for _ in 0..200_000 {
            rt.validate("coal", &c, "mine-register", &r, "2021-01-01")
                .unwrap();
        }
        return;
    }
    package_figures();
    if std::env::var_os("ANWEI_BENCH_PACKAGES_ONLY").is_some() {
        return;
    }
    let builtins: Vec<_> = anwei_builtin_plugins::builtins().collect();
    println!(
        "plugin host figures (wasmtime 48, pooling allocator, {} built-in plugin(s))",
        builtins.len()
    );
    for (name, bytes) in &builtins {
        // A new engine each time (no cache); the first also pays one-time start-up costs.
        let cold = times(3, || {
            Runtime::new(None).unwrap().compile(bytes).unwrap();
        });
        println!(
            "  cold compile {name} ({} KB component, median of 3): {:.1} ms",
            bytes.len() / 1024,
            ms(pct(cold, 0.5))
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let cache = anwei_plugin_host::CodeCache {
        dir: dir.path().join("cache"),
        key_file: dir.path().join("key").join("code-cache.key"),
    };
    Runtime::new(Some(cache.clone()))
        .unwrap()
        .compile(coal)
        .unwrap();
    let rt = Runtime::new(Some(cache)).unwrap();
    let loads = times(50, || {
        rt.compile(coal).unwrap();
    });
    println!("  cache-hit load (p50): {:.2} ms", ms(pct(loads, 0.5)));
    let compiled = rt.compile(coal).unwrap();
    rt.describe("coal", &compiled).unwrap();

    let inst = times(5000, || {
        rt.call("coal", &compiled, Duration::from_secs(1), |_| Ok(()))
            .unwrap();
    });
    println!(
        "  new store + instantiate (p50 / p99): {:.1} / {:.1} µs",
        us(pct(inst.clone(), 0.5)),
        us(pct(inst, 0.99))
    );

    let r = record(1);
    assert_eq!(r.values.len(), 30);
    let val = times(5000, || {
        rt.validate("coal", &compiled, "mine-register", &r, "2021-01-01")
            .unwrap();
    });
    println!(
        "  validate 30-field record, fresh store per call (p50 / p99): {:.1} / {:.1} µs",
        us(pct(val.clone(), 0.5)),
        us(pct(val, 0.99))
    );
    let cls = times(5000, || {
        rt.classify("coal", &compiled, "mine-register", &r, "2021-01-01")
            .unwrap();
    });
    println!(
        "  classify 30-field record, fresh store per call (p50 / p99): {:.1} / {:.1} µs",
        us(pct(cls.clone(), 0.5)),
        us(pct(cls, 0.99))
    );
    // The same call on one instance, for comparison (what a warm instance would cost).
    let warm = rt
        .validate_warm("coal", &compiled, "mine-register", &r, "2021-01-01", 5000)
        .unwrap();
    println!(
        "  (same validate, 5000 calls on one instance (p50): {:.1} µs)",
        us(pct(warm, 0.5))
    );

    // Compute: the host sends the 15 input fields of the register's targets, column-wise.
    let inputs = rt.inputs("coal", &compiled).unwrap()["mine-register"].clone();
    for n in [10_000usize, 100_000] {
        let records: Vec<_> = (0..n).map(record).collect();
        let t = Instant::now();
        let values = rt
            .compute("coal", &compiled, "mine-register", &records, "2022-12-31")
            .unwrap();
        let total = t.elapsed();
        let m = rt
            .compute_measured("coal", &compiled, "mine-register", &records, "2022-12-31")
            .unwrap();
        let (encode, call, peak) = (m.batch, m.call, m.peak_memory);
        println!(
            "  compute over {n} records ({} fields → {} input fields): {:.1} ms \
             (batch {:.1} ms + call {:.1} ms), plugin memory peak {:.1} MiB, {} values",
            records[0].values.len(),
            inputs.len(),
            ms(total),
            ms(encode),
            ms(call),
            peak as f64 / (1 << 20) as f64,
            values.len()
        );
    }

    // Host start with all built-ins: without a disk cache (every start compiles), and with the
    // authenticated cache (per-user key), first cold, then warm.
    let data = tempfile::tempdir().unwrap();
    let no_cache = times(5, || {
        drop(PluginHost::open(HostConfig::new(data.path())).unwrap());
    });
    println!(
        "  host start, all built-ins, no disk cache (compiled every start, p50 / max of 5): {:.1} / {:.1} ms",
        ms(pct(no_cache.clone(), 0.5)),
        ms(pct(no_cache, 1.0))
    );
    let cached = |d: &std::path::Path| {
        let mut c = HostConfig::new(d);
        c.code_cache = Some(anwei_plugin_host::CodeCache {
            dir: d.join("plugins").join("cache"),
            key_file: d.join("key").join("code-cache.key"),
        });
        c
    };
    let data = tempfile::tempdir().unwrap();
    let t = Instant::now();
    drop(PluginHost::open(cached(data.path())).unwrap());
    println!(
        "  host start, all built-ins, authenticated cache, cold: {:.1} ms",
        ms(t.elapsed())
    );
    let starts = times(10, || {
        let host = PluginHost::open(cached(data.path())).unwrap();
        assert!(!host.list().is_empty());
    });
    println!(
        "  host start, all built-ins, authenticated cache, warm (p50 / max): {:.1} / {:.1} ms",
        ms(pct(starts.clone(), 0.5)),
        ms(pct(starts, 1.0))
    );
}

/// A tar header field as octal digits and a NUL.
fn octal(field: &mut [u8], value: u64) {
    let digits = format!("{value:0w$o}", w = field.len() - 1);
    field[..digits.len()].copy_from_slice(digits.as_bytes());
    field[digits.len()] = 0;
}

/// A package of GNU sparse members named `manifest.json`, each 1 KiB in the file and 20 MiB
/// when read back, `bytes` long in all.
fn sparse_bomb(bytes: usize) -> Vec<u8> {
    let real: u64 = 20 << 20;
    let mut header = tar::Header::new_gnu();
    header.set_path("manifest.json").unwrap();
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::GNUSparse);
    header.set_size(512);
    {
        let gnu = header.as_gnu_mut().unwrap();
        octal(&mut gnu.sparse[0].offset, real - 512);
        octal(&mut gnu.sparse[0].numbytes, 512);
        octal(&mut gnu.realsize, real);
    }
    header.set_cksum();
    let mut one = header.as_bytes().to_vec();
    one.extend_from_slice(&[b'x'; 512]);
    let mut out = Vec::with_capacity(bytes);
    while out.len() + one.len() + 1024 <= bytes {
        out.extend_from_slice(&one);
    }
    out.resize(bytes, 0);
    out
}

fn package_figures() {
    use anwei_plugin_host::{InstallOptions, build_package, manifest_for, read_package};
    let bomb = sparse_bomb(20_000_000);
    let refusals = times(5, || {
        assert!(read_package(&bomb).is_err());
    });
    println!(
        "  refusal of a 20 MB sparse-tar package (read_package, max of 5): {:.2} ms",
        ms(pct(refusals, 1.0))
    );
    let data = tempfile::tempdir().unwrap();
    drop(PluginHost::open(HostConfig::new(data.path())).unwrap());
    let clean = times(5, || {
        drop(PluginHost::open(HostConfig::new(data.path())).unwrap());
    });
    std::fs::write(data.path().join("plugins/bomb.anwpkg"), &bomb).unwrap();
    let with_bomb = times(5, || {
        let host = PluginHost::open(HostConfig::new(data.path())).unwrap();
        assert_eq!(host.refused().len(), 1);
    });
    println!(
        "  host start (built-ins, default config) without / with the 20 MB bomb in plugins/ \
         (p50): {:.1} / {:.1} ms",
        ms(pct(clean, 0.5)),
        ms(pct(with_bomb, 0.5))
    );

    let Some(big) = anwei_builtin_plugins::fixture("hostile-big-plan") else {
        println!(
            "  (install of the 2,000-task plan: fixtures not built; run `cargo bench -p anwei-plugin-host` alone)"
        );
        return;
    };
    let rt = Runtime::new(None).unwrap();
    let pkg = build_package(big, manifest_for(&rt, big).unwrap(), None).unwrap();
    let installs = times(3, || {
        let dir = tempfile::tempdir().unwrap();
        let mut config = HostConfig::new(dir.path());
        config.developer_mode = true;
        config.builtins = false;
        let host = PluginHost::open(config).unwrap();
        host.install_bytes(&pkg, InstallOptions::default()).unwrap();
    });
    println!(
        "  install of a 2,000-task × 100-role plan (1,000 new units), cold compile included \
         (median of 3): {:.0} ms",
        ms(pct(installs, 0.5))
    );
}
