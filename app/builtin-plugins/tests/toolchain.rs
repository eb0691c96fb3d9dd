//! The build script adds the wasm target when the toolchain lacks it (a fresh machine where
//! rustup installed the pinned toolchain without its targets), so `cargo run --release` works
//! as the README writes it. Fake `rustc`/`rustup` scripts stand in for the toolchain.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../toolchain.rs"]
mod toolchain;

use std::path::{Path, PathBuf};

use toolchain::{Ensured, WASM_TARGET, ensure_wasm_target};

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    write_script(&path, &format!("#!/bin/sh\n{body}\n"));
    path
}

struct Fake {
    _dir: tempfile::TempDir,
    sysroot: PathBuf,
    rustc: PathBuf,
    rustup: PathBuf,
    log: PathBuf,
}

/// One test at a time writes and runs its scripts: a script still open for writing in this
/// process when another test's child is forked stays open in that child until it execs, and
/// running the script meanwhile fails with "Text file busy" (ETXTBSY).
static SCRIPTS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A toolchain whose sysroot lacks the wasm target, and a rustup that records its arguments
/// and (when `works`) adds the target's library folder.
fn fake(works: bool) -> Fake {
    let dir = tempfile::tempdir().unwrap();
    let sysroot = dir.path().join("sysroot");
    std::fs::create_dir_all(sysroot.join("lib/rustlib/x86_64-unknown-linux-gnu/lib")).unwrap();
    let rustc = script(
        dir.path(),
        "rustc",
        &format!("echo '{}'", sysroot.display()),
    );
    let log = dir.path().join("rustup.log");
    let add = if works {
        format!(
            "mkdir -p '{}/lib/rustlib/{WASM_TARGET}/lib'",
            sysroot.display()
        )
    } else {
        "exit 1".to_owned()
    };
    let rustup = script(
        dir.path(),
        "rustup",
        &format!("echo \"$@\" >> '{}'\n{add}", log.display()),
    );
    Fake {
        _dir: dir,
        sysroot,
        rustc,
        rustup,
        log,
    }
}

#[test]
fn a_missing_wasm_target_is_added_for_the_toolchain_cargo_runs_under() {
    let _one = SCRIPTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let f = fake(true);
    let got = ensure_wasm_target(&f.rustc, &f.rustup, Some("1.95.0-x86_64-unknown-linux-gnu"));
    assert_eq!(got, Ok(Ensured::Added));
    let log = std::fs::read_to_string(&f.log).unwrap();
    assert_eq!(
        log.trim(),
        format!("target add {WASM_TARGET} --toolchain 1.95.0-x86_64-unknown-linux-gnu")
    );
    assert!(
        f.sysroot
            .join(format!("lib/rustlib/{WASM_TARGET}/lib"))
            .is_dir()
    );
    // Once there, rustup is not run again.
    assert_eq!(
        ensure_wasm_target(&f.rustc, &f.rustup, None),
        Ok(Ensured::AlreadyThere)
    );
    assert_eq!(std::fs::read_to_string(&f.log).unwrap().lines().count(), 1);
}

#[test]
fn a_failing_rustup_gives_a_chinese_message_with_the_command_to_run() {
    let _one = SCRIPTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let f = fake(false);
    let err = ensure_wasm_target(&f.rustc, &f.rustup, None).unwrap_err();
    assert!(
        err.contains("rustup target add wasm32-unknown-unknown"),
        "{err}"
    );
    assert!(err.contains("失败"), "{err}");
    let missing = ensure_wasm_target(&f.rustc, Path::new("/nonexistent/rustup"), None).unwrap_err();
    assert!(missing.contains("无法运行 rustup"), "{missing}");
}

/// Writes an executable script through a `sh` child. Were this process to hold the file open
/// for writing, a command another test thread forks at that moment would inherit the handle,
/// and running the script would fail with "Text file busy" (ETXTBSY) — a flake seen here.
fn write_script(path: &std::path::Path, body: &str) {
    use std::io::Write;
    let mut child = std::process::Command::new("sh")
        .args(["-c", "cat > \"$1\" && chmod 755 \"$1\"", "sh"])
        .arg(path)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success(), "{}", path.display());
}
