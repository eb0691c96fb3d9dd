//! What the host reports for the audit trail: opening the desk is no install; a compute that
//! faulted on some records is not run again on the same records (one bad record must not stall
//! every command until the plugin is switched off).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_core::PluginEvent;
use anwei_plugin_host::{InstallOptions, PluginError, wit};
use common::{fixture, open, package};

fn record(id: &str) -> wit::FormRecord {
    wit::FormRecord {
        id: id.into(),
        fields: vec![],
    }
}

#[test]
fn opening_the_desk_again_records_no_install() {
    let dir = tempfile::tempdir().unwrap();
    {
        let host = open(dir.path(), None, true);
        host.install_bytes(
            &package(fixture("hostile"), None),
            InstallOptions::default(),
        )
        .unwrap();
        let events = host.take_events();
        assert_eq!(
            events
                .iter()
                .filter(|e| e.kind == PluginEvent::Installed)
                .count(),
            1,
            "{events:?}"
        );
    }
    for _ in 0..2 {
        let host = open(dir.path(), None, true);
        assert!(host.info("test-hostile").is_ok());
        let events = host.take_events();
        assert!(
            events.iter().all(|e| e.kind != PluginEvent::Installed),
            "a reopened host reported an install: {events:?}"
        );
    }
    // A new version put in place of the package file is news.
    std::fs::write(
        dir.path().join("plugins").join("test-hostile.anwpkg"),
        package(fixture("hostile-v2"), None),
    )
    .unwrap();
    let host = open(dir.path(), None, true);
    let events = host.take_events();
    assert!(
        events
            .iter()
            .any(|e| e.kind == PluginEvent::Installed && e.message.contains("2.0.0")),
        "{events:?}"
    );
}

#[test]
fn a_compute_that_faulted_is_not_run_again_on_the_same_records() {
    let dir = tempfile::tempdir().unwrap();
    let host = open(dir.path(), None, true);
    host.install_bytes(
        &package(fixture("hostile"), None),
        InstallOptions::default(),
    )
    .unwrap();
    let records = vec![record("a"), record("b")];
    let first = host
        .compute("test-hostile", "panic", &records, "2021-01-01")
        .unwrap_err();
    assert!(first.fault_kind().is_some(), "{first}");
    for _ in 0..4 {
        let again = host
            .compute("test-hostile", "panic", &records, "2021-01-01")
            .unwrap_err();
        assert!(
            matches!(again, PluginError::SameInputFailed { .. }),
            "{again}"
        );
        assert!(again.to_string().contains("修改或删除"), "{again}");
    }
    let info = host.info("test-hostile").unwrap();
    assert_eq!(info.recent_faults, 1);
    assert!(info.enabled, "one bad input must not switch the plugin off");
    // Remembered across a restart of the desk.
    drop(host);
    let host = open(dir.path(), None, true);
    assert!(matches!(
        host.compute("test-hostile", "panic", &records, "2021-01-01"),
        Err(PluginError::SameInputFailed { .. })
    ));
    // Other records: computed again.
    let changed = vec![record("a")];
    let err = host
        .compute("test-hostile", "panic", &changed, "2021-01-01")
        .unwrap_err();
    assert!(err.fault_kind().is_some(), "{err}");
    // The plugin keeps answering other calls.
    assert!(
        host.validate("test-hostile", "ok", &record("a"), "2021-01-01")
            .unwrap()
            .is_empty()
    );
}
