//! Package trust: every refusal names its check; a good signed package installs and upgrades.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_plugin_host::{Check, InstallOptions, KeyPair, Trust, read_package};
use common::{fixture, office, open, package};

const OPTS: InstallOptions = InstallOptions {
    allow_downgrade: false,
};

/// Rebuilds a tar with the same members but `edit` applied to (name, bytes).
fn retar(pkg: &[u8], edit: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut archive = tar::Archive::new(pkg);
    let mut out = tar::Builder::new(Vec::new());
    for e in archive.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e.path().unwrap().to_string_lossy().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut data).unwrap();
        let data = edit(&name, data);
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        out.append_data(&mut h, &name, data.as_slice()).unwrap();
    }
    out.into_inner().unwrap()
}

#[test]
fn good_signed_package_installs_upgrades_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let o = office(&["test-hostile"]);
    {
        let host = open(dir.path(), Some(&o), false);
        let info = host
            .install_bytes(&package(fixture("hostile"), Some(&o.dept)), OPTS)
            .unwrap();
        assert_eq!(info.version, "1.0.0");
        assert_eq!(
            info.trust,
            Trust::Signed {
                department: "测试部门".into()
            }
        );
        let info = host
            .install_bytes(&package(fixture("hostile-v2"), Some(&o.dept)), OPTS)
            .unwrap();
        assert_eq!(info.version, "2.0.0");
        // Downgrade refused…
        let err = host
            .install_bytes(&package(fixture("hostile"), Some(&o.dept)), OPTS)
            .unwrap_err();
        assert_eq!(err.check(), Some(Check::Downgrade), "{err}");
        assert!(err.to_string().contains("降级"), "{err}");
        assert_eq!(host.info("test-hostile").unwrap().version, "2.0.0");
    }
    // …state and package persist across a restart.
    let host = open(dir.path(), Some(&o), false);
    assert_eq!(host.info("test-hostile").unwrap().version, "2.0.0");
    // An explicit admin flag allows the downgrade.
    let info = host
        .install_bytes(
            &package(fixture("hostile"), Some(&o.dept)),
            InstallOptions {
                allow_downgrade: true,
            },
        )
        .unwrap();
    assert_eq!(info.version, "1.0.0");
    host.remove("test-hostile").unwrap();
    assert!(host.info("test-hostile").is_err());
}

#[test]
fn unsigned_package_is_refused_unless_developer_mode() {
    let dir = tempfile::tempdir().unwrap();
    let o = office(&["test-hostile"]);
    let host = open(dir.path(), Some(&o), false);
    let err = host
        .install_bytes(&package(fixture("hostile"), None), OPTS)
        .unwrap_err();
    assert_eq!(err.check(), Some(Check::Unsigned), "{err}");
    assert!(err.to_string().contains("签名"), "{err}");

    let dev = tempfile::tempdir().unwrap();
    let host = open(dev.path(), None, true);
    let info = host
        .install_bytes(&package(fixture("hostile"), None), OPTS)
        .unwrap();
    assert!(matches!(info.trust, Trust::Developer { .. }));
    assert!(
        host.banners()
            .iter()
            .any(|b| b.message.contains("开发者模式"))
    );
}

#[test]
fn unknown_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let o = office(&["test-hostile"]);
    let host = open(dir.path(), Some(&o), false);
    let stranger = KeyPair::generate();
    let err = host
        .install_bytes(&package(fixture("hostile"), Some(&stranger)), OPTS)
        .unwrap_err();
    assert_eq!(err.check(), Some(Check::Key), "{err}");
}

#[test]
fn wrong_sector_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let o = office(&["coal-mining"]);
    let host = open(dir.path(), Some(&o), false);
    let err = host
        .install_bytes(&package(fixture("hostile"), Some(&o.dept)), OPTS)
        .unwrap_err();
    assert_eq!(err.check(), Some(Check::Sector), "{err}");
    assert!(err.to_string().contains("无权发布"), "{err}");
}

#[test]
fn tampered_packages_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let o = office(&["test-hostile"]);
    let host = open(dir.path(), Some(&o), false);
    let good = package(fixture("hostile"), Some(&o.dept));

    // Component changed after signing → hash check.
    let bad_component = retar(&good, |name, mut data| {
        if name == "component.wasm" {
            let n = data.len();
            data[n - 1] ^= 0xff;
        }
        data
    });
    let err = host.install_bytes(&bad_component, OPTS).unwrap_err();
    assert_eq!(err.check(), Some(Check::Hash), "{err}");

    // Manifest changed after signing (version bumped) → signature check.
    let bad_manifest = retar(&good, |name, data| {
        if name == "manifest.json" {
            String::from_utf8(data)
                .unwrap()
                .replace("\"1.0.0\"", "\"9.0.0\"")
                .into_bytes()
        } else {
            data
        }
    });
    let err = host.install_bytes(&bad_manifest, OPTS).unwrap_err();
    assert_eq!(err.check(), Some(Check::Signature), "{err}");

    // Manifest that disagrees with the plugin's own identity (signed, so only this check
    // can catch it).
    let rt = anwei_plugin_host::Runtime::new(None).unwrap();
    let mut m = anwei_plugin_host::manifest_for(&rt, fixture("hostile")).unwrap();
    m.version = "3.0.0".into();
    let lying = anwei_plugin_host::build_package(fixture("hostile"), m, Some(&o.dept)).unwrap();
    let err = host.install_bytes(&lying, OPTS).unwrap_err();
    assert_eq!(err.check(), Some(Check::Identity), "{err}");

    // Oversized.
    let huge = vec![0u8; (anwei_plugin_host::package::MAX_PACKAGE_BYTES + 1) as usize];
    let err = host.install_bytes(&huge, OPTS).unwrap_err();
    assert_eq!(err.check(), Some(Check::Size), "{err}");

    assert!(read_package(&good).is_ok());
    assert!(host.info("test-hostile").is_err());
}

#[test]
fn a_tampered_trust_list_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let o = office(&["coal-mining"]);
    let host = open(dir.path(), Some(&o), false);
    let mut forged = o.trust.clone();
    forged.entries[0].sectors.push("test-hostile".into());
    assert!(host.install_trust_list(&forged).is_err());
}
