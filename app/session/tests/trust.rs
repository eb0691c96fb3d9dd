#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The root of trust (the office's root key and the trust list it signs) lives in the store:
//! every change is audited; nothing in the plugins folder can replace it. Wave-1 files
//! (`plugins/root.pub`, `plugins/trust.json`) are moved into the store once, audited.

use anwei_plugin_host::{KeyPair, TrustEntry, TrustList};
use anwei_session::{
    SessionError, host_config, install_trust_list, legacy_root_key_path, legacy_trust_list_path,
    set_root_key,
};
use anwei_store::Store;

fn trust_list(root: &KeyPair) -> TrustList {
    TrustList::sign(
        vec![TrustEntry {
            department: "应急管理局".into(),
            public_key: KeyPair::generate().public_hex(),
            sectors: vec!["coal-mining".into()],
        }],
        root,
    )
    .unwrap()
}

fn audit_summaries(store: &Store) -> Vec<String> {
    store
        .audit(None, 100)
        .unwrap()
        .into_iter()
        .map(|a| format!("{} {} {}", a.actor, a.target, a.summary))
        .collect()
}

#[test]
fn setting_the_root_key_and_installing_a_trust_list_are_audited_and_configure_the_host() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let root = KeyPair::generate();
    set_root_key(&store, Some(&root.public_hex()), "管理员").unwrap();
    let list = trust_list(&root);
    install_trust_list(&store, &list.to_json().unwrap(), "管理员").unwrap();

    let config = host_config(&store, "管理员").unwrap();
    assert_eq!(config.root_key, Some(root.verifying_key()));
    assert_eq!(config.trust_list, Some(list.clone()));
    let audit = audit_summaries(&store);
    assert!(
        audit.iter().any(|a| a.contains("管理员")
            && a.contains("setting:plugin_root_key")
            && a.contains(&root.public_hex()[..16])),
        "{audit:?}"
    );
    assert!(
        audit
            .iter()
            .any(|a| a.contains("setting:plugin_trust_list") && a.contains("安装插件信任列表")),
        "{audit:?}"
    );
    // Nothing about the root of trust is written into the plugins folder.
    assert!(!legacy_root_key_path(dir.path()).exists());
    assert!(!legacy_trust_list_path(dir.path()).exists());
}

#[test]
fn a_root_key_file_dropped_into_the_plugins_folder_does_not_replace_the_stored_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.mark_legacy_trust_pending().unwrap();
    let root = KeyPair::generate();
    set_root_key(&store, Some(&root.public_hex()), "管理员").unwrap();
    let attacker = KeyPair::generate();
    std::fs::create_dir_all(dir.path().join("plugins")).unwrap();
    std::fs::write(legacy_root_key_path(dir.path()), attacker.public_hex()).unwrap();
    std::fs::write(
        legacy_trust_list_path(dir.path()),
        trust_list(&attacker).to_json().unwrap(),
    )
    .unwrap();
    let config = host_config(&store, "管理员").unwrap();
    assert_eq!(config.root_key, Some(root.verifying_key()));
    assert!(
        config.trust_list.is_none(),
        "an unsigned-by-root list must not be taken"
    );
    assert_eq!(
        store.settings().unwrap().plugin_root_key,
        Some(root.public_hex())
    );
}

#[test]
fn a_trust_list_not_signed_by_the_root_key_is_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let list = trust_list(&KeyPair::generate());
    let err = install_trust_list(&store, &list.to_json().unwrap(), "管理员").unwrap_err();
    assert!(matches!(err, SessionError::NoRootKey), "{err}");
    set_root_key(&store, Some(&KeyPair::generate().public_hex()), "管理员").unwrap();
    let err = install_trust_list(&store, &list.to_json().unwrap(), "管理员").unwrap_err();
    assert!(err.to_string().contains("信任列表"), "{err}");
    assert!(store.settings().unwrap().plugin_trust_list.is_none());
    // With a UTF-8 BOM the right list installs.
    let root = KeyPair::generate();
    set_root_key(&store, Some(&root.public_hex()), "管理员").unwrap();
    let good = format!("\u{feff}{}", trust_list(&root).to_json().unwrap());
    install_trust_list(&store, &good, "管理员").unwrap();
    assert!(store.settings().unwrap().plugin_trust_list.is_some());
}

#[test]
fn a_new_root_key_drops_the_trust_list_it_did_not_sign_audited() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let root = KeyPair::generate();
    set_root_key(&store, Some(&root.public_hex()), "管理员").unwrap();
    install_trust_list(&store, &trust_list(&root).to_json().unwrap(), "管理员").unwrap();
    let done = set_root_key(&store, Some(&KeyPair::generate().public_hex()), "管理员").unwrap();
    assert_eq!(done.len(), 2, "{done:?}");
    assert!(done[1].contains("已移除"), "{done:?}");
    assert!(store.settings().unwrap().plugin_trust_list.is_none());
    assert!(
        audit_summaries(&store)
            .iter()
            .any(|a| a.contains("移除插件信任列表"))
    );
    let err = set_root_key(&store, Some("not a key"), "管理员").unwrap_err();
    assert!(matches!(err, SessionError::RootKey { .. }), "{err}");
}

#[test]
fn root_of_trust_files_dropped_into_a_new_desk_are_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let attacker = KeyPair::generate();
    std::fs::create_dir_all(dir.path().join("plugins")).unwrap();
    std::fs::write(legacy_root_key_path(dir.path()), attacker.public_hex()).unwrap();
    std::fs::write(
        legacy_trust_list_path(dir.path()),
        trust_list(&attacker).to_json().unwrap(),
    )
    .unwrap();
    for _ in 0..2 {
        let config = host_config(&store, "管理员").unwrap();
        assert!(config.root_key.is_none());
        assert!(config.trust_list.is_none());
    }
    let settings = store.settings().unwrap();
    assert!(settings.plugin_root_key.is_none());
    assert!(settings.plugin_trust_list.is_none());
    assert!(legacy_root_key_path(dir.path()).exists(), "left alone");
}

#[test]
fn wave_one_files_are_moved_into_the_store_once_audited() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    // As the v3 → v4 migration of a wave-1 database leaves it.
    store.mark_legacy_trust_pending().unwrap();
    let root = KeyPair::generate();
    let list = trust_list(&root);
    std::fs::create_dir_all(dir.path().join("plugins")).unwrap();
    std::fs::write(
        legacy_root_key_path(dir.path()),
        format!("{}\n", root.public_hex()),
    )
    .unwrap();
    std::fs::write(legacy_trust_list_path(dir.path()), list.to_json().unwrap()).unwrap();
    let config = host_config(&store, "管理员").unwrap();
    assert_eq!(config.root_key, Some(root.verifying_key()));
    assert_eq!(config.trust_list, Some(list));
    assert!(!legacy_root_key_path(dir.path()).exists());
    assert!(dir.path().join("plugins/root.pub.migrated").exists());
    assert!(dir.path().join("plugins/trust.json.migrated").exists());
    let audit = audit_summaries(&store);
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.contains("setting:plugin_"))
            .count(),
        2,
        "{audit:?}"
    );
    // Once: opening again changes nothing, and a file put there later is never read.
    host_config(&store, "管理员").unwrap();
    assert_eq!(audit_summaries(&store).len(), audit.len());
    assert!(!store.legacy_trust_pending().unwrap());
    std::fs::write(
        legacy_root_key_path(dir.path()),
        KeyPair::generate().public_hex(),
    )
    .unwrap();
    store
        .apply(
            &anwei_core::Command::SetPluginRootKey { key: None },
            "管理员",
        )
        .unwrap();
    assert!(host_config(&store, "管理员").unwrap().root_key.is_none());
}

#[test]
fn a_broken_wave_one_root_key_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.mark_legacy_trust_pending().unwrap();
    std::fs::create_dir_all(dir.path().join("plugins")).unwrap();
    std::fs::write(legacy_root_key_path(dir.path()), "not a key").unwrap();
    let err = host_config(&store, "管理员").unwrap_err();
    assert!(matches!(err, SessionError::Legacy { .. }), "{err}");
    assert!(err.to_string().contains("root.pub"), "{err}");
    assert!(store.settings().unwrap().plugin_root_key.is_none());
}

#[test]
fn a_stored_trust_list_that_does_not_verify_is_said_not_just_logged() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    set_root_key(&store, Some(&KeyPair::generate().public_hex()), "管理员").unwrap();
    // Put there without the session's check (as an old or tampered setting would be).
    store
        .apply(
            &anwei_core::Command::SetPluginTrustList {
                list: Some(trust_list(&KeyPair::generate()).to_json().unwrap()),
            },
            "管理员",
        )
        .unwrap();
    let host = anwei_plugin_host::PluginHost::open(host_config(&store, "管理员").unwrap()).unwrap();
    let banners: Vec<String> = host.banners().into_iter().map(|b| b.message).collect();
    assert!(
        banners.iter().any(|b| b.contains("信任列表未通过")),
        "{banners:?}"
    );
}
