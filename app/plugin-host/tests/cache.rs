//! The compiled-code cache is authenticated: code in `plugins/cache/` is loaded only with a
//! tag made under the per-user key, bound to the component it was compiled from. Someone who
//! can write the data folder cannot make the desk run other code (issue: copying another
//! plugin's compiled code over the built-in coal entry and rewriting its checksum made the
//! desk list an unsigned "coal-mining 9.0.0" as built-in).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use anwei_plugin_host::{CodeCache, HostConfig, InstallOptions, PluginHost, runtime::sha256_hex};
use common::{fixture, package};

fn config(data: &Path, key_dir: &Path) -> HostConfig {
    let mut c = HostConfig::new(data);
    c.developer_mode = true;
    c.code_cache = Some(CodeCache {
        dir: data.join("plugins").join("cache"),
        key_file: key_dir.join("code-cache.key"),
    });
    c
}

/// The host, with the built-in coal plugin compiled: a host opens its built-ins from their
/// description snapshots, and compiles (and caches) a plugin's code at its first call.
fn open_compiled(data: &Path, key_dir: &Path) -> PluginHost {
    let host = PluginHost::open(config(data, key_dir)).unwrap();
    host.record_feed("coal-mining", "mine-register").unwrap();
    host
}

/// The cache entry (code, tag) compiled from `component`.
fn entry(data: &Path, component: &[u8]) -> (PathBuf, PathBuf) {
    let hash = sha256_hex(component);
    let dir = data.join("plugins").join("cache");
    let mut code = None;
    let mut tag = None;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with(&hash) && name.ends_with(".cwasm") {
            code = Some(p);
        } else if name.starts_with(&hash) && name.ends_with(".tag") {
            tag = Some(p);
        }
    }
    (code.expect("cached code"), tag.expect("tag"))
}

fn coal() -> &'static [u8] {
    anwei_builtin_plugins::builtins()
        .find(|(n, _)| *n == "coal-mining")
        .unwrap()
        .1
}

#[test]
fn another_plugins_code_copied_over_the_builtin_entry_is_not_loaded() {
    let data = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    {
        // Warm the cache with the coal plugin and the hostile one.
        let host = open_compiled(data.path(), keys.path());
        host.install_bytes(
            &package(fixture("hostile-v2"), None),
            InstallOptions::default(),
        )
        .unwrap();
    }
    let (coal_code, coal_tag) = entry(data.path(), coal());
    let (bad_code, bad_tag) = entry(data.path(), fixture("hostile-v2"));
    // The attack: the other plugin's code, with its own valid tag, and with a checksum file
    // as the wave-1 cache wanted it.
    std::fs::copy(&bad_code, &coal_code).unwrap();
    std::fs::copy(&bad_tag, &coal_tag).unwrap();
    let forged = std::fs::read(&coal_code).unwrap();
    std::fs::write(coal_code.with_extension("sha256"), sha256_hex(&forged)).unwrap();

    let host = open_compiled(data.path(), keys.path());
    let coal_info = host.info("coal-mining").unwrap();
    assert!(coal_info.built_in);
    assert_ne!(coal_info.version, "2.0.0");
    let d = host.describe("coal-mining").unwrap();
    assert_eq!(d.identity.sector_id, "coal-mining");
    assert_eq!(d.plan.tasks.len(), 32, "the coal plan as built");
    // The forged entry was thrown away and the real code cached again.
    assert_ne!(std::fs::read(&coal_code).unwrap(), forged);
}

#[test]
fn code_tagged_under_another_key_is_not_loaded() {
    let data = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let other_keys = tempfile::tempdir().unwrap();
    drop(open_compiled(data.path(), other_keys.path()));
    let (code, tag) = entry(data.path(), coal());
    let before_tag = std::fs::read(&tag).unwrap();
    // Another user's (or an attacker's) key: the entry does not verify, it is replaced.
    let host = open_compiled(data.path(), keys.path());
    assert_eq!(host.describe("coal-mining").unwrap().plan.tasks.len(), 32);
    assert!(code.exists());
    assert_ne!(std::fs::read(&tag).unwrap(), before_tag);
    // The key lives where it was configured, not in the data folder.
    assert!(keys.path().join("code-cache.key").is_file());
    assert!(
        walk(data.path())
            .iter()
            .all(|p| !p.to_string_lossy().ends_with(".key"))
    );
}

#[test]
fn a_warm_cache_is_used_and_a_damaged_entry_is_compiled_again() {
    let data = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    drop(open_compiled(data.path(), keys.path()));
    let (code, tag) = entry(data.path(), coal());
    let tag_text = std::fs::read(&tag).unwrap();
    let modified = std::fs::metadata(&code).unwrap().modified().unwrap();
    // Warm: the entry verifies and is not rewritten.
    drop(open_compiled(data.path(), keys.path()));
    assert_eq!(
        std::fs::metadata(&code).unwrap().modified().unwrap(),
        modified
    );
    assert_eq!(std::fs::read(&tag).unwrap(), tag_text);
    // One flipped byte: refused, compiled again, works.
    let mut bytes = std::fs::read(&code).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&code, &bytes).unwrap();
    let host = open_compiled(data.path(), keys.path());
    assert_eq!(host.describe("coal-mining").unwrap().plan.tasks.len(), 32);
    assert_ne!(std::fs::read(&code).unwrap(), bytes);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Files in the data folder are read only when they are regular files, bounded: a cache
/// entry linked to `/dev/zero` and a FIFO named like a package neither hang nor exhaust the
/// desk.
#[cfg(unix)]
#[test]
fn links_and_pipes_in_the_data_folder_are_not_read() {
    let data = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    drop(open_compiled(data.path(), keys.path()));
    let (code, _tag) = entry(data.path(), coal());
    std::fs::remove_file(&code).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &code).unwrap();
    let fifo = data.path().join("plugins").join("pipe.anwpkg");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let (tx, rx) = std::sync::mpsc::channel();
    let (data_dir, key_dir) = (data.path().to_owned(), keys.path().to_owned());
    std::thread::spawn(move || {
        let host = open_compiled(&data_dir, &key_dir);
        let tasks = host.describe("coal-mining").unwrap().plan.tasks.len();
        let refused = host.refused();
        tx.send((tasks, refused)).unwrap();
    });
    let (tasks, refused) = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the host opened without hanging");
    assert_eq!(tasks, 32);
    assert!(
        std::fs::symlink_metadata(&code).unwrap().is_file(),
        "replaced by real code"
    );
    // The pipe is not a package: never opened (it would block), refused with the reason.
    assert!(
        refused
            .iter()
            .any(|(p, m)| p == &fifo && m.contains("不是普通文件")),
        "{refused:?}"
    );
}
