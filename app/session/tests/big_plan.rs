#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A plan at every limit of a plugin's description (2,000 tasks × 100 unit roles over 1,000
//! new unit names) installs and imports into the store in bounded time. Before, unit ids were
//! numbered by scanning every unit per new name, and the import was still running after
//! 240 s while holding the data folder's lock.
//!
//! The figure in release: `cargo test --release -p anwei-session --test big_plan -- --nocapture`
//! (≤ 2 s end to end).

use std::time::{Duration, Instant};

use anwei_plugin_host::{
    HostConfig, InstallOptions, PluginHost, Runtime, build_package, manifest_for,
};
use anwei_session::sync_sector_plans;
use anwei_store::Store;

#[test]
fn a_plan_at_every_limit_installs_and_imports_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .import_campaign(&anwei_exchange::demo_campaign().unwrap(), "测试员")
        .unwrap();
    let mut config = HostConfig::new(dir.path());
    config.developer_mode = true;
    let host = PluginHost::open(config).unwrap();
    let first = sync_sector_plans(&store, &host, "测试员");
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    let units_before = store.units().unwrap().len();

    let component = anwei_builtin_plugins::fixture("hostile-big-plan").unwrap();
    let rt = Runtime::new(None).unwrap();
    let pkg = build_package(component, manifest_for(&rt, component).unwrap(), None).unwrap();

    let start = Instant::now();
    host.install_bytes(&pkg, InstallOptions::default()).unwrap();
    let installed = start.elapsed();
    let report = sync_sector_plans(&store, &host, "测试员");
    let total = start.elapsed();
    eprintln!(
        "2,000 tasks × 100 roles, 1,000 new units: install {:.0} ms, install + import {:.0} ms",
        installed.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3
    );
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.imported.len(), 1, "{report:?}");

    let tasks: Vec<_> = store
        .tasks()
        .unwrap()
        .into_iter()
        .filter(|t| t.plan == "test-hostile")
        .collect();
    assert_eq!(tasks.len(), 2000);
    assert!(tasks.iter().all(|t| t.roles.len() == 100));
    assert_eq!(store.units().unwrap().len(), units_before + 1000);
    // Generous for a debug build; the release figure is printed above.
    let bound = if cfg!(debug_assertions) {
        Duration::from_secs(90)
    } else {
        Duration::from_secs(2)
    };
    assert!(total < bound, "{total:?}");
}
