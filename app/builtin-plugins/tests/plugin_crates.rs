//! The sector plugins' own tests (their rules at every boundary the seed states, their
//! fixtures' values, compute over only the declared inputs): the plugin crates are not
//! members of the desk's workspace (they build for wasm32), so their tests run here, natively,
//! with cargo, in a target folder of their own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

#[test]
fn every_sector_plugins_own_tests_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let plugins = root.join("plugins");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(&plugins)
        .args(["test", "--locked", "--workspace", "--target-dir"])
        .arg(root.join("target/plugins-native"));
    // The outer build's settings are not the plugins' (as in build.rs).
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().to_string();
        let keep = k == "CARGO_HOME" || k == "CARGO_NET_OFFLINE" || k == "CARGO_HTTP_TIMEOUT";
        if (k.starts_with("CARGO_") && !keep) || matches!(k.as_str(), "RUSTFLAGS" | "RUSTC_WRAPPER")
        {
            cmd.env_remove(&k);
        }
    }
    let out = cmd.output().expect("run cargo test in plugins/");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    // Every plugin crate ran its tests (a crate that lost its tests would pass silently).
    for krate in [
        "anwei_plugin_coal_mining",
        "anwei_plugin_hazardous_chemicals",
        "anwei_plugin_non_coal_mines",
        "anwei_plugin_hazardous_waste",
        "anwei_plugin_dust_explosion",
    ] {
        assert!(stderr.contains(krate), "{krate} did not run:\n{stderr}");
    }
    let passed: usize = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert!(passed >= 100, "only {passed} plugin tests ran:\n{stdout}");
}
