//! The plugins folder is watched: a dropped package appears without restart; a half-written
//! file is not loaded early.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use common::{fixture, open, package};

fn wait_for(mut f: impl FnMut() -> bool, timeout: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    f()
}

#[test]
fn a_dropped_package_appears_without_restart() {
    let dir = tempfile::tempdir().unwrap();
    let host = open(dir.path(), None, true);
    let _w = anwei_plugin_host::watch(host.clone(), |_| {}).unwrap();
    assert!(host.info("test-hostile").is_err());
    let pkg = package(fixture("hostile"), None);
    // Written elsewhere and moved in, as a file manager or `mv` does.
    let tmp = dir.path().join("incoming.tmp");
    std::fs::write(&tmp, &pkg).unwrap();
    std::fs::rename(&tmp, host.plugins_dir().join("from-department.anwpkg")).unwrap();
    assert!(
        wait_for(
            || host.info("test-hostile").is_ok(),
            Duration::from_secs(10)
        ),
        "not loaded; refused: {:?}",
        host.refused()
    );
    // It was moved to its canonical name.
    assert!(host.plugins_dir().join("test-hostile.anwpkg").exists());
}

#[test]
fn a_half_written_file_is_not_loaded_early() {
    let dir = tempfile::tempdir().unwrap();
    let host = open(dir.path(), None, true);
    let _w = anwei_plugin_host::watch(host.clone(), |_| {}).unwrap();
    let pkg = package(fixture("hostile"), None);
    let path = host.plugins_dir().join("slow.anwpkg");
    let mut f = std::fs::File::create(&path).unwrap();
    let half = pkg.len() / 2;
    f.write_all(&pkg[..half]).unwrap();
    f.flush().unwrap();
    // Well past the debounce: still open for writing, so not loaded.
    std::thread::sleep(Duration::from_millis(800));
    assert!(host.info("test-hostile").is_err());
    f.write_all(&pkg[half..]).unwrap();
    drop(f); // close-after-write
    assert!(
        wait_for(
            || host.info("test-hostile").is_ok(),
            Duration::from_secs(10)
        ),
        "not loaded after close; refused: {:?}",
        host.refused()
    );
}

#[test]
fn a_truncated_file_that_is_closed_is_refused_not_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let host = open(dir.path(), None, true);
    let pkg = package(fixture("hostile"), None);
    std::fs::write(host.plugins_dir().join("cut.anwpkg"), &pkg[..pkg.len() / 2]).unwrap();
    host.rescan().unwrap();
    assert!(host.info("test-hostile").is_err());
    assert_eq!(host.refused().len(), 1);
}
