//! Reading a package is bounded whatever its bytes: sparse members (512 bytes on disk that
//! read back as 20 MiB of zeros), links, devices, folders and repeated members are refused
//! before anything is read from them, each member is read through its own size limit, and a
//! huge file dropped into the plugins folder costs one bounded read.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use anwei_plugin_host::{Check, InstallOptions, PluginError, read_package};
use common::{fixture, open, package};

const OPTS: InstallOptions = InstallOptions {
    allow_downgrade: false,
};

/// A tar header field as octal digits and a NUL, `width` bytes in all.
fn octal(field: &mut [u8], value: u64) {
    let digits = format!("{value:0w$o}", w = field.len() - 1);
    field[..digits.len()].copy_from_slice(digits.as_bytes());
    field[digits.len()] = 0;
}

/// One GNU sparse member named `name`: 512 bytes of data stored, declared as `real` bytes
/// (the rest a hole that reads back as zeros).
fn sparse_member(name: &str, real: u64) -> Vec<u8> {
    let mut header = tar::Header::new_gnu();
    header.set_path(name).unwrap();
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_entry_type(tar::EntryType::GNUSparse);
    header.set_size(512);
    {
        let gnu = header.as_gnu_mut().unwrap();
        // One stored block at the very end; everything before it is a hole.
        octal(&mut gnu.sparse[0].offset, real - 512);
        octal(&mut gnu.sparse[0].numbytes, 512);
        octal(&mut gnu.realsize, real);
        gnu.isextended[0] = 0;
    }
    header.set_cksum();
    let mut out = header.as_bytes().to_vec();
    out.extend_from_slice(&[b'x'; 512]);
    out
}

/// A package of `count` sparse members named `manifest.json`, each reading back as 20 MiB.
fn sparse_bomb(count: usize) -> Vec<u8> {
    let one = sparse_member("manifest.json", 20 << 20);
    let mut out = Vec::with_capacity(one.len() * count + 1024);
    for _ in 0..count {
        out.extend_from_slice(&one);
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

/// A tar of one member of type `kind` named `name` (with `data` when it is a file).
fn one_member(kind: tar::EntryType, name: &str, data: &[u8]) -> Vec<u8> {
    let mut out = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(0o644);
    h.set_size(data.len() as u64);
    if matches!(kind, tar::EntryType::Symlink | tar::EntryType::Link) {
        h.set_link_name("/etc/passwd").unwrap();
    }
    h.set_cksum();
    out.append_data(&mut h, name, data).unwrap();
    out.into_inner().unwrap()
}

fn refusal(r: anwei_plugin_host::Result<impl std::fmt::Debug>) -> (Check, String) {
    match r {
        Err(e @ PluginError::Refused { .. }) => (e.check().unwrap(), e.to_string()),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_sparse_tar_bomb_is_refused_at_once() {
    // 2,000 members of 1 KiB each (2 MB): before, every member was read back as 20 MiB of
    // zeros (40 GB in all, about a minute); now the first one is refused unread.
    // Each member is a real bomb: read as the tar format says, it is 20 MiB.
    let one = sparse_member("manifest.json", 20 << 20);
    let mut archive = tar::Archive::new(one.as_slice());
    let mut entry = archive.entries().unwrap().next().unwrap().unwrap();
    let read_back = std::io::copy(&mut entry, &mut std::io::sink()).unwrap();
    assert_eq!(read_back, 20 << 20);

    let bomb = sparse_bomb(2000);
    assert!(bomb.len() < 2_100_000);
    let start = Instant::now();
    let (check, msg) = refusal(read_package(&bomb));
    let took = start.elapsed();
    assert_eq!(check, Check::Format, "{msg}");
    assert!(msg.contains("稀疏文件"), "{msg}");
    assert!(msg.contains("成员类型检查"), "{msg}");
    assert!(took < Duration::from_millis(500), "{took:?}");

    // The same through an install.
    let dir = tempfile::tempdir().unwrap();
    let host = open(dir.path(), None, true);
    let start = Instant::now();
    let (check, msg) = refusal(host.install_bytes(&bomb, OPTS));
    assert_eq!(check, Check::Format, "{msg}");
    assert!(start.elapsed() < Duration::from_secs(1));
}

#[test]
fn a_sparse_component_after_a_good_manifest_is_refused_too() {
    // A real manifest first, then a sparse component: the component is never read.
    let good = package(fixture("hostile"), None);
    let mut archive = tar::Archive::new(good.as_slice());
    let mut manifest = Vec::new();
    for e in archive.entries().unwrap() {
        let mut e = e.unwrap();
        if e.path().unwrap().to_string_lossy() == "manifest.json" {
            std::io::Read::read_to_end(&mut e, &mut manifest).unwrap();
        }
    }
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(manifest.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    b.append_data(&mut h, "manifest.json", manifest.as_slice())
        .unwrap();
    let mut bytes = b.into_inner().unwrap();
    // Drop the end-of-archive blocks, then append the sparse member and end the archive.
    bytes.truncate(bytes.len() - 1024);
    bytes.extend(sparse_member("component.wasm", 20 << 20));
    bytes.extend_from_slice(&[0u8; 1024]);
    let (check, msg) = refusal(read_package(&bytes));
    assert_eq!(check, Check::Format, "{msg}");
    assert!(
        msg.contains("component.wasm") && msg.contains("稀疏文件"),
        "{msg}"
    );
}

#[test]
fn links_devices_folders_and_other_entry_types_are_refused_by_name() {
    for (kind, what) in [
        (tar::EntryType::Symlink, "符号链接"),
        (tar::EntryType::Link, "硬链接"),
        (tar::EntryType::Char, "字符设备"),
        (tar::EntryType::Block, "块设备"),
        (tar::EntryType::Directory, "文件夹"),
        (tar::EntryType::Fifo, "管道"),
        (tar::EntryType::Continuous, "连续文件"),
        (tar::EntryType::XGlobalHeader, "代码"),
    ] {
        let bytes = one_member(kind, "component.wasm", b"");
        let (check, msg) = refusal(read_package(&bytes));
        assert_eq!(check, Check::Format, "{kind:?}: {msg}");
        assert!(msg.contains(what), "{kind:?}: {msg}");
        assert!(msg.contains("不是普通文件"), "{kind:?}: {msg}");
    }
}

#[test]
fn a_member_is_read_once_and_within_its_size() {
    // A second manifest.json (which would replace the first after the signature's bytes
    // were chosen) is refused.
    let good = package(fixture("hostile"), None);
    let mut twice = good[..good.len() - 1024].to_vec();
    twice.extend(one_member(tar::EntryType::Regular, "manifest.json", b"{}"));
    let (check, msg) = refusal(read_package(&twice));
    assert_eq!(check, Check::Format, "{msg}");
    assert!(msg.contains("不止一次"), "{msg}");

    // A manifest larger than its own limit is refused for its size, before it is read.
    let big = one_member(tar::EntryType::Regular, "manifest.json", &[b' '; 100 << 10]);
    let (check, msg) = refusal(read_package(&big));
    assert_eq!(check, Check::Size, "{msg}");
    assert!(msg.contains("manifest.json"), "{msg}");
    let sig = one_member(tar::EntryType::Regular, "signature", &[b'0'; 4096]);
    let (check, msg) = refusal(read_package(&sig));
    assert_eq!(check, Check::Size, "{msg}");

    // An unknown member is still refused; a good package still reads.
    let other = one_member(tar::EntryType::Regular, "payload.sh", b"rm -rf /");
    let (check, msg) = refusal(read_package(&other));
    assert_eq!(check, Check::Format, "{msg}");
    assert!(msg.contains("payload.sh"), "{msg}");
    let pkg = read_package(&good).unwrap();
    assert_eq!(pkg.manifest.sector_id, "test-hostile");
}

#[test]
fn a_bomb_or_a_huge_file_in_the_plugins_folder_does_not_slow_every_start() {
    let dir = tempfile::tempdir().unwrap();
    // First start: compiles the built-ins (cached), nothing refused.
    drop(open(dir.path(), None, false));
    let plugins = dir.path().join("plugins");
    std::fs::write(plugins.join("bomb.anwpkg"), sparse_bomb(2000)).unwrap();
    // A 30 MB file: larger than any package may be.
    let huge = std::fs::File::create(plugins.join("huge.anwpkg")).unwrap();
    huge.set_len(30 << 20).unwrap();
    drop(huge);
    // Every command opens the host, which rescans the folder: each start stays quick.
    for _ in 0..3 {
        let start = Instant::now();
        let host = open(dir.path(), None, false);
        let took = start.elapsed();
        let refused = host.refused();
        assert_eq!(refused.len(), 2, "{refused:?}");
        let bomb = refused
            .iter()
            .find(|(p, _)| p.ends_with("bomb.anwpkg"))
            .unwrap();
        assert!(bomb.1.contains("稀疏文件"), "{}", bomb.1);
        let huge = refused
            .iter()
            .find(|(p, _)| p.ends_with("huge.anwpkg"))
            .unwrap();
        assert!(huge.1.contains("超过上限"), "{}", huge.1);
        assert!(took < Duration::from_secs(10), "{took:?}");
        // The built-in still works.
        assert!(host.info("coal-mining").unwrap().enabled);
    }
}
