//! What the host reports for the audit trail: opening the desk is no install; a compute that
//! faulted on some records is not run again on the same records (one bad record must not stall
//! every command until the plugin is switched off).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_core::{FormRecord, PluginEvent};
use anwei_plugin_host::PluginError;
use common::{fixture, hostile_host, install, open, package, record_of};

fn record(id: u64) -> FormRecord {
    record_of(id, [])
}

#[test]
fn opening_the_desk_again_records_no_install() {
    let dir = tempfile::tempdir().unwrap();
    {
        let host = open(dir.path(), None, true);
        install(&host, "hostile");
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
    let (dir, host) = hostile_host();
    let records = vec![record(1), record(2)];
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
    let changed = vec![record(1)];
    let err = host
        .compute("test-hostile", "panic", &changed, "2021-01-01")
        .unwrap_err();
    assert!(err.fault_kind().is_some(), "{err}");
    // The plugin keeps answering other calls.
    assert!(
        host.validate("test-hostile", "ok", &record(1), "2021-01-01")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn an_older_version_put_over_the_desks_own_package_file_is_a_refused_downgrade() {
    let dir = tempfile::tempdir().unwrap();
    {
        let host = open(dir.path(), None, true);
        install(&host, "hostile-v2");
    }
    std::fs::write(
        dir.path().join("plugins").join("test-hostile.anwpkg"),
        package(fixture("hostile"), None),
    )
    .unwrap();
    let host = open(dir.path(), None, true);
    assert!(
        host.info("test-hostile").is_err(),
        "the older version was loaded"
    );
    let refused = host.refused();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(refused[0].1.contains("降级"), "{refused:?}");
    assert!(!host.was_removed("test-hostile"));
}

#[test]
fn an_upgrade_tries_records_again_that_the_old_version_failed_on() {
    let (_dir, host) = hostile_host();
    let records = vec![record(1)];
    assert!(
        host.compute("test-hostile", "panic", &records, "2021-01-01")
            .unwrap_err()
            .fault_kind()
            .is_some()
    );
    install(&host, "hostile-v2");
    let err = host
        .compute("test-hostile", "panic", &records, "2021-01-01")
        .unwrap_err();
    assert!(
        err.fault_kind().is_some(),
        "not run again after the upgrade: {err}"
    );
}

#[test]
fn only_a_removal_by_the_user_counts_as_removed() {
    let dir = tempfile::tempdir().unwrap();
    let host = open(dir.path(), None, true);
    assert!(!host.was_removed("test-hostile"), "never installed");
    install(&host, "hostile");
    assert!(!host.was_removed("test-hostile"));
    drop(host);
    // Refused at the next start (developer mode off): not removed.
    let host = open(dir.path(), None, false);
    assert!(host.info("test-hostile").is_err());
    assert!(!host.was_removed("test-hostile"));
    drop(host);
    let host = open(dir.path(), None, true);
    host.remove("test-hostile").unwrap();
    assert!(host.was_removed("test-hostile"));
    // A built-in is never removed.
    assert!(!host.was_removed("coal-mining"));
}
