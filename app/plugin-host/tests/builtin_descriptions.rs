//! The built-ins' description snapshots (`app/builtin-plugins/descriptions/<name>.json`):
//! each is what its plugin's code describes itself as, for the sources this build was made
//! from (`anwei_builtin_plugins::SOURCES_SHA256`), so the desk opens every built-in from its
//! snapshot and compiles it later (a cold start without the compiler). When anything under
//! `plugins/` or `plugin-sdk/` changes, write them again with
//! `ANWEI_BLESS=1 cargo test -p anwei-plugin-host --test builtin_descriptions`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use anwei_core::{FormRecord, Value};
use anwei_plugin_host::{DescriptionSnapshot, HostConfig, PluginHost, Runtime};

const BLESS: &str = "ANWEI_BLESS=1 cargo test -p anwei-plugin-host --test builtin_descriptions";

#[test]
fn each_builtins_snapshot_is_what_its_code_describes() {
    let rt = Runtime::new(None).unwrap();
    let bless = std::env::var("ANWEI_BLESS").is_ok_and(|v| v == "1");
    let mut stale = Vec::new();
    for (name, bytes) in anwei_builtin_plugins::builtins() {
        let compiled = rt.compile(bytes).unwrap();
        let snapshot = DescriptionSnapshot {
            sources_sha256: anwei_builtin_plugins::SOURCES_SHA256.to_owned(),
            description: rt.describe(name, &compiled).unwrap(),
        };
        let json = snapshot.to_json().unwrap();
        // The file reads back as the very description (every figure exactly).
        let back: DescriptionSnapshot = serde_json::from_str(&json).unwrap();
        assert_eq!(back, snapshot, "{name}");
        let path = Path::new(anwei_builtin_plugins::DESCRIPTIONS_DIR).join(format!("{name}.json"));
        if bless {
            std::fs::write(&path, &json).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(json.as_str()) {
            stale.push(name);
        } else {
            // And this build carries it (else the desk compiles the plugin as it opens).
            assert_eq!(
                anwei_builtin_plugins::description(name),
                Some(json.as_str()),
                "{name}: rebuild after {BLESS}"
            );
        }
    }
    assert!(
        stale.is_empty(),
        "内置插件的说明快照与其代码或源码摘要不符：{stale:?}（plugins/ 或 plugin-sdk/ 有改动，\
         含未提交的 .rs/.toml/.json/.wit/.lock 文件）。请运行 {BLESS}"
    );
}

/// A dust-involved enterprise of 12 people, remedied in 2021 when `done`.
fn enterprise(id: u64, done: bool) -> FormRecord {
    let mut values = std::collections::BTreeMap::new();
    values.insert("dust_workers".to_owned(), Value::Integer(12));
    values.insert(
        "dust_type".to_owned(),
        Value::Choices(vec!["metal".to_owned()]),
    );
    if done {
        values.insert(
            "remediation_done_date".to_owned(),
            Value::Date("2021-03-01".to_owned()),
        );
    }
    FormRecord::new(id, "dust-enterprise", "1", values)
}

/// The host opens every built-in from its snapshot without compiling it: its description is
/// there at once, and its first call compiles it (a second caller waits for the same code).
#[test]
fn builtins_open_from_their_snapshots_and_compile_at_first_call() {
    let dir = tempfile::tempdir().unwrap();
    let host = PluginHost::open(HostConfig::new(dir.path())).unwrap();
    let names: Vec<&str> = anwei_builtin_plugins::builtins().map(|(n, _)| n).collect();
    assert_eq!(host.list().len(), names.len());
    for name in &names {
        let l = host.plugin(name).unwrap();
        assert!(!l.is_compiled(), "{name} compiled as the host opened");
        assert!(!host.describe(name).unwrap().forms.is_empty(), "{name}");
        assert_eq!(l.hash().len(), 64);
    }
    assert!(host.banners().is_empty(), "{:?}", host.banners());

    // Eight callers at once: one compiles, the others wait for its code.
    let records = [enterprise(1, true), enterprise(2, false)];
    let values: Vec<String> = std::thread::scope(|s| {
        let calls: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    let v = host
                        .compute("dust-explosion", "dust-enterprise", &records, "2021-06-30")
                        .unwrap();
                    format!("{v:?}")
                })
            })
            .collect();
        calls.into_iter().map(|c| c.join().unwrap()).collect()
    });
    assert!(values.iter().all(|v| *v == values[0]));
    assert!(host.plugin("dust-explosion").unwrap().is_compiled());
    assert!(!host.plugin("coal-mining").unwrap().is_compiled());

    // The same values as a host that compiled the plugin as it opened.
    let rt = Runtime::new(None).unwrap();
    let (_, bytes) = anwei_builtin_plugins::builtins()
        .find(|(n, _)| *n == "dust-explosion")
        .unwrap();
    let c = rt.compile(bytes).unwrap();
    let direct = rt
        .compute_measured(
            "dust-explosion",
            &c,
            "dust-enterprise",
            &records,
            "2021-06-30",
        )
        .unwrap();
    assert_eq!(format!("{:?}", direct.values), values[0]);
}

/// The desk's host compiles the built-ins in the background as soon as it is open.
#[test]
fn the_desk_compiles_its_builtins_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = HostConfig::new(dir.path());
    config.background_compile = true;
    let host = PluginHost::open(config).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(600);
    while !anwei_builtin_plugins::builtins().all(|(n, _)| host.plugin(n).unwrap().is_compiled()) {
        assert!(
            std::time::Instant::now() < deadline,
            "not compiled in 10 minutes"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(host.banners().is_empty(), "{:?}", host.banners());
}
