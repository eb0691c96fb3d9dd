//! Hostile plugins are stopped, refused or disabled; the host and other plugins keep working.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use anwei_core::FormRecord;
use anwei_plugin_host::{Check, FaultKind, InstallOptions, PluginError};
use common::{fixture, hostile_host, open, package, record_of};

fn record() -> FormRecord {
    record_of(1, [])
}

fn fault_of(r: anwei_plugin_host::Result<impl std::fmt::Debug>) -> (FaultKind, String) {
    match r {
        Err(e @ PluginError::Fault { .. }) => (e.fault_kind().unwrap(), e.to_string()),
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[test]
fn memory_bomb_is_capped() {
    let (_d, host) = hostile_host();
    let start = Instant::now();
    let (kind, msg) = fault_of(host.validate("test-hostile", "memory", &record(), "2021-01-01"));
    assert_eq!(kind, FaultKind::Memory, "{msg}");
    assert!(msg.contains("64 MiB"), "{msg}");
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[test]
fn stack_bomb_and_panic_are_faults_with_messages() {
    let (_d, host) = hostile_host();
    let (kind, msg) = fault_of(host.validate("test-hostile", "stack", &record(), "2021-01-01"));
    assert_eq!(kind, FaultKind::Stack, "{msg}");
    assert!(msg.contains("调用栈"), "{msg}");
    let (kind, msg) = fault_of(host.validate("test-hostile", "panic", &record(), "2021-01-01"));
    assert_eq!(kind, FaultKind::Trap, "{msg}");
    assert!(msg.contains("崩溃"), "{msg}");
    // A trapped instance is poisoned; every call gets a fresh one, so the next works.
    assert!(
        host.validate("test-hostile", "ok", &record(), "2021-01-01")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn after_a_memory_bomb_the_reused_memory_slot_works() {
    let (_d, host) = hostile_host();
    for _ in 0..2 {
        let (kind, msg) =
            fault_of(host.validate("test-hostile", "memory", &record(), "2021-01-01"));
        assert_eq!(kind, FaultKind::Memory, "{msg}");
        host.enable("test-hostile").unwrap();
        for _ in 0..100 {
            assert!(
                host.validate("test-hostile", "ok", &record(), "2021-01-01")
                    .unwrap()
                    .is_empty()
            );
        }
    }
}

#[test]
fn a_plugin_computing_over_form_records_gets_one_per_record() {
    // The hostile plugin implements the SDK's `compute` over `FormRecord`s (not
    // `compute_batch`); it has no targets, so the batch has no columns, only the count.
    let rt = anwei_plugin_host::Runtime::new(None).unwrap();
    let c = rt.compile(fixture("hostile")).unwrap();
    let values = rt
        .compute(
            "h",
            &c,
            "count",
            &[record(), record(), record()],
            "2021-01-01",
        )
        .unwrap();
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].value, 3.0);
}

#[test]
fn absurd_values_are_rejected() {
    let (_d, host) = hostile_host();
    for form in ["huge", "long-message"] {
        let (kind, msg) = fault_of(host.validate("test-hostile", form, &record(), "2021-01-01"));
        assert_eq!(kind, FaultKind::Malformed, "{form}: {msg}");
        host.enable("test-hostile").unwrap();
    }
    for form in ["bad-id", "nan"] {
        let (kind, msg) = fault_of(host.compute("test-hostile", form, &[record()], "2021-01-01"));
        assert_eq!(kind, FaultKind::Malformed, "{form}: {msg}");
        host.enable("test-hostile").unwrap();
    }
}

#[test]
fn three_faults_disable_the_plugin_and_others_keep_working() {
    let dir = tempfile::tempdir().unwrap();
    {
        let host = open(dir.path(), None, true);
        host.install_bytes(
            &package(fixture("hostile"), None),
            InstallOptions::default(),
        )
        .unwrap();
        for _ in 0..3 {
            let _ = fault_of(host.validate("test-hostile", "panic", &record(), "2021-01-01"));
        }
        let err = host
            .validate("test-hostile", "ok", &record(), "2021-01-01")
            .unwrap_err();
        assert!(matches!(err, PluginError::Disabled { .. }), "{err}");
        let info = host.info("test-hostile").unwrap();
        assert!(!info.enabled);
        assert_eq!(info.recent_faults, 3);
        assert!(host.banners().iter().any(|b| b.message.contains("已停用")));
        assert!(
            host.validate("coal-mining", "mine-register", &record(), "2021-01-01")
                .is_ok()
        );
    }
    // The disabled state is persisted.
    let host = open(dir.path(), None, true);
    assert!(!host.info("test-hostile").unwrap().enabled);
    host.enable("test-hostile").unwrap();
    assert!(
        host.validate("test-hostile", "ok", &record(), "2021-01-01")
            .is_ok()
    );
}

#[test]
fn malformed_bytes_wrong_world_and_wrong_api_version_are_refused_at_install() {
    let dir = tempfile::tempdir().unwrap();
    let host = open(dir.path(), None, true);
    let opts = InstallOptions::default();

    // Not a package at all.
    let err = host.install_bytes(b"not a package", opts).unwrap_err();
    assert_eq!(err.check(), Some(Check::Format), "{err}");

    // A package whose component is garbage.
    let manifest = anwei_plugin_host::Manifest {
        format: 1,
        sector_id: "test-hostile".into(),
        version: "1.0.0".into(),
        api_version: "1.0.0".into(),
        department: "测试部门".into(),
        component_sha256: String::new(),
        public_key: None,
    };
    let garbage =
        anwei_plugin_host::build_package(b"\0asm garbage", manifest.clone(), None).unwrap();
    let err = host.install_bytes(&garbage, opts).unwrap_err();
    assert_eq!(err.check(), Some(Check::Component), "{err}");

    // A valid component of another world (exports nothing).
    let other_world = wat::parse_str("(component)").unwrap();
    let pkg = anwei_plugin_host::build_package(&other_world, manifest.clone(), None).unwrap();
    let err = host.install_bytes(&pkg, opts).unwrap_err();
    assert_eq!(err.check(), Some(Check::Component), "{err}");

    // A core module, not a component.
    let core = wat::parse_str("(module)").unwrap();
    let pkg = anwei_plugin_host::build_package(&core, manifest, None).unwrap();
    let err = host.install_bytes(&pkg, opts).unwrap_err();
    assert_eq!(err.check(), Some(Check::Component), "{err}");

    // API version 2.
    let api2 = fixture("hostile-api2");
    let rt = anwei_plugin_host::Runtime::new(None).unwrap();
    let err = anwei_plugin_host::manifest_for(&rt, api2)
        .map(|m| anwei_plugin_host::build_package(api2, m, None).unwrap());
    let pkg = err.unwrap();
    let err = host.install_bytes(&pkg, opts).unwrap_err();
    assert_eq!(err.check(), Some(Check::ApiVersion), "{err}");

    // describe() returning a bad sector id.
    let bad = fixture("hostile-bad-describe");
    let m = anwei_plugin_host::Manifest {
        format: 1,
        sector_id: "x".into(),
        version: "1.0.0".into(),
        api_version: "1.0.0".into(),
        department: "d".into(),
        component_sha256: String::new(),
        public_key: None,
    };
    let pkg = anwei_plugin_host::build_package(bad, m, None).unwrap();
    let err = host.install_bytes(&pkg, opts).unwrap_err();
    assert_eq!(err.check(), Some(Check::Identity), "{err}");
    assert!(err.to_string().contains("专项标识"), "{err}");

    // Nothing of that was loaded; the built-ins still work.
    assert_eq!(host.list().len(), anwei_builtin_plugins::builtins().count());
}

#[test]
fn a_component_with_imports_is_refused() {
    let rt = anwei_plugin_host::Runtime::new(None).unwrap();
    let with_import =
        wat::parse_str(r#"(component (import "wasi:cli/environment@0.2.0" (instance)))"#).unwrap();
    let err = rt.compile(&with_import).err().expect("refused");
    assert!(err.to_string().contains("导入"), "{err}");
}

#[test]
fn more_calls_at_once_than_the_pool_holds_are_refused_without_a_fault() {
    use anwei_plugin_host::runtime::POOL_INSTANCES;
    let rt = anwei_plugin_host::Runtime::new(None).unwrap();
    let c = rt.compile(fixture("hostile")).unwrap();
    let n = POOL_INSTANCES as usize;
    let inside = std::sync::Barrier::new(n + 1);
    let release = std::sync::Barrier::new(n + 1);
    std::thread::scope(|s| {
        for _ in 0..n {
            s.spawn(|| {
                rt.call("h", &c, Duration::from_secs(10), |_| {
                    inside.wait();
                    release.wait();
                    Ok(())
                })
                .unwrap();
            });
        }
        inside.wait();
        // Every instance slot is taken: the next call is refused, not counted against the
        // plugin.
        let err = rt
            .validate("h", &c, "ok", &record(), "2021-01-01")
            .unwrap_err();
        assert!(matches!(err, PluginError::Engine(_)), "{err}");
        assert!(err.fault_kind().is_none());
        release.wait();
    });
    // Slots come back when calls end.
    assert!(
        rt.validate("h", &c, "ok", &record(), "2021-01-01")
            .unwrap()
            .is_empty()
    );
}

/// A feed of `form` holding one full batch of (empty) records.
fn full_feed(host: &anwei_plugin_host::PluginHost, form: &str) -> anwei_plugin_host::RecordFeed {
    let mut feed = host.record_feed("test-hostile", form).unwrap();
    let empty = record();
    for _ in 0..anwei_plugin_host::SUMMARY_BATCH {
        feed.push(&empty);
    }
    assert!(feed.wants_summary());
    feed
}

#[test]
fn summaries_that_break_the_rules_are_faults() {
    let (_d, host) = hostile_host();
    // Larger than the 256 KiB a summary may be.
    let mut feed = full_feed(&host, "summary-huge");
    let (kind, msg) = fault_of(host.summarize_feed(&mut feed, "2021-01-01"));
    assert_eq!(kind, FaultKind::Malformed, "{msg}");
    assert!(msg.contains("分批汇总过大"), "{msg}");

    // Says it summarizes the form, then returns nothing for the records.
    let mut feed = full_feed(&host, "summary-stops");
    let (kind, msg) = fault_of(host.summarize_feed(&mut feed, "2021-01-01"));
    assert_eq!(kind, FaultKind::Malformed, "{msg}");
    assert!(msg.contains("不再返回汇总"), "{msg}");
}

#[test]
fn a_batch_that_made_summarize_fail_is_not_tried_again() {
    let (_d, host) = hostile_host();
    let mut feed = full_feed(&host, "summary-panic");
    let (kind, msg) = fault_of(host.summarize_feed(&mut feed, "2021-01-01"));
    assert_eq!(kind, FaultKind::Trap, "{msg}");
    let mut again = full_feed(&host, "summary-panic");
    match host.summarize_feed(&mut again, "2021-01-01") {
        Err(PluginError::SameInputFailed { message, .. }) => {
            assert!(message.contains("崩溃"), "{message}")
        }
        other => panic!("expected the remembered failure, got {other:?}"),
    }
}

#[test]
fn a_form_the_plugin_does_not_summarize_is_computed_whole() {
    let (_d, host) = hostile_host();
    let mut feed = full_feed(&host, "whole");
    host.summarize_feed(&mut feed, "2021-01-01").unwrap();
    // Asked once: no batch was taken, and none is asked for again.
    assert_eq!(feed.batches(), 0);
    assert_eq!(feed.len(), anwei_plugin_host::SUMMARY_BATCH);
    assert!(!feed.wants_summary());
    feed.push(&record());
    assert_eq!(feed.len(), anwei_plugin_host::SUMMARY_BATCH + 1);
    // `compute` gets the whole register (this form computes no values).
    assert_eq!(host.compute_feed(feed, "2021-01-01").unwrap(), vec![]);
}
