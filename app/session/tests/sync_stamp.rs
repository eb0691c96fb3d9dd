#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `Session::sector_plans_current`: true after a sync that had nothing to say, until
//! anything the plugin host reads, or the sector plans in the store, change.

use anwei_core::Command;
use anwei_session::Session;
use anwei_store::Store;

/// What a sync reports of the coal plugin (and the test's own plugins): the other built-in
/// sectors' plans are imported beside it.
fn of_interest(imported: &[String]) -> Vec<&String> {
    const OTHERS: [&str; 9] = [
        "插件 hazardous-chemicals ",
        "插件 non-coal-mines ",
        "插件 hazardous-waste ",
        "插件 dust-explosion ",
        "插件 fire ",
        "插件 roads ",
        "插件 waterways ",
        "插件 construction ",
        "插件 industrial-parks ",
    ];
    imported
        .iter()
        .filter(|s| !OTHERS.iter().any(|o| s.contains(o)))
        .collect()
}

fn session(dir: &std::path::Path) -> Session {
    let store = Store::open(dir).unwrap();
    store
        .import_campaign(&anwei_exchange::demo_campaign().unwrap(), "测试员")
        .unwrap();
    Session::with_store(store).with_actor("测试员")
}

fn coal_plan(s: &Session) -> bool {
    s.store()
        .plans()
        .unwrap()
        .iter()
        .any(|p| p.id == "coal-mining")
}

#[test]
fn a_clean_sync_is_remembered_until_something_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    assert!(!s.sector_plans_current(), "never synced");

    s.start_plugins().unwrap();
    let report = s.sync();
    assert!(report.errors.is_empty(), "{report:?}");
    assert_eq!(of_interest(&report.imported).len(), 1, "{report:?}");
    assert!(s.sector_plans_current());

    // The store no longer holds the plan the host brings (a restore from before the plugin
    // came): not current, and a sync brings it back.
    s.apply(&Command::RemoveSectorPlan {
        sector: "coal-mining".into(),
    })
    .unwrap();
    assert!(!coal_plan(&s));
    assert!(!s.sector_plans_current());
    assert_eq!(of_interest(&s.sync().imported).len(), 1);
    assert!(coal_plan(&s));
    assert!(s.sector_plans_current());

    // The plugin state changes: a host opened now would find the plugin disabled. The
    // running host was opened on the old state, so its sync does not vouch for the new one.
    s.host().unwrap().disable("coal-mining", "测试").unwrap();
    assert!(!s.sector_plans_current());
    assert!(s.sync().errors.is_empty());
    assert!(!s.sector_plans_current());
    s.start_plugins().unwrap();
    assert!(s.sync().errors.is_empty());
    assert!(s.sector_plans_current());

    // A package dropped into the plugins folder, here one the host refuses: a host with
    // something to say is opened every time.
    let dropped = dir.path().join("plugins").join("other.anwpkg");
    std::fs::write(&dropped, b"not a package").unwrap();
    assert!(!s.sector_plans_current());
    s.start_plugins().unwrap();
    let _ = s.sync();
    assert!(!s.host_banners().is_empty());
    assert!(!s.sector_plans_current());
    // Taken away again: the inputs of the last clean sync are back.
    std::fs::remove_file(&dropped).unwrap();
    assert!(s.sector_plans_current());

    // The configuration the host is opened with (from the store's settings).
    s.apply(&Command::SetPluginDeveloperMode { on: true })
        .unwrap();
    assert!(!s.sector_plans_current());
}

#[test]
fn a_host_handed_over_does_not_vouch_for_the_store() {
    // The window opens the host itself and hands it over: its syncs leave no mark, since
    // the session did not see which inputs it was opened on.
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    let host = anwei_plugin_host::PluginHost::open(s.host_config().unwrap()).unwrap();
    s.set_host(Some(std::sync::Arc::new(host)));
    assert_eq!(of_interest(&s.sync().imported).len(), 1);
    assert!(!s.sector_plans_current());
}

/// Listing the targets computes them and records what the plugins did meanwhile (their
/// faults), without syncing the sector plans again: starting the plugins did that (a second
/// sync said its notes twice in `targets list`).
#[test]
fn listing_the_targets_does_not_sync_the_plans_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    s.start_plugins().unwrap();
    assert!(s.sync().errors.is_empty());
    let stamp = dir.path().join("plugins").join("synced");
    let synced = || std::fs::metadata(&stamp).unwrap().modified().unwrap();
    let before = synced();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let today = chrono::NaiveDate::from_ymd_opt(2021, 6, 30).unwrap();
    let (rows, problems) = s.target_rows(None, None, today).unwrap();
    assert!(rows.len() > 100, "{}", rows.len());
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(synced(), before, "the plans were synced again");
    assert!(s.sector_plans_current());
}
