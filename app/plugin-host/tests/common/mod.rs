#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use anwei_core::{FormRecord, Value};
use anwei_plugin_host::{
    HostConfig, KeyPair, PluginHost, Runtime, TrustEntry, TrustList, build_package, manifest_for,
};

pub fn fixture(name: &str) -> &'static [u8] {
    anwei_builtin_plugins::fixture(name).expect("fixture built by anwei-builtin-plugins")
}

pub struct Office {
    pub root: KeyPair,
    pub dept: KeyPair,
    pub trust: TrustList,
}

/// Root key + one department key allowed to publish `sectors`.
pub fn office(sectors: &[&str]) -> Office {
    let root = KeyPair::generate();
    let dept = KeyPair::generate();
    let trust = TrustList::sign(
        vec![TrustEntry {
            department: "测试部门".into(),
            public_key: dept.public_hex(),
            sectors: sectors.iter().map(|s| s.to_string()).collect(),
        }],
        &root,
    )
    .unwrap();
    Office { root, dept, trust }
}

pub fn open(dir: &std::path::Path, office: Option<&Office>, developer: bool) -> Arc<PluginHost> {
    let mut cfg = HostConfig::new(dir);
    cfg.root_key = office.map(|o| o.root.verifying_key());
    cfg.trust_list = office.map(|o| o.trust.clone());
    cfg.developer_mode = developer;
    let host = PluginHost::open(cfg).unwrap();
    if let Some(o) = office {
        host.install_trust_list(&o.trust).unwrap();
    }
    Arc::new(host)
}

/// A package of `component`, signed with `key` when given.
pub fn package(component: &[u8], key: Option<&KeyPair>) -> Vec<u8> {
    let rt = Runtime::new(None).unwrap();
    let manifest = manifest_for(&rt, component).unwrap();
    build_package(component, manifest, key).unwrap()
}

/// A host in developer mode with the hostile fixture plugin installed (unsigned).
pub fn hostile_host() -> (tempfile::TempDir, Arc<PluginHost>) {
    let dir = tempfile::tempdir().unwrap();
    let host = open(dir.path(), None, true);
    install(&host, "hostile");
    (dir, host)
}

/// Installs fixture `name`, unsigned (the host must be in developer mode).
pub fn install(host: &PluginHost, name: &str) {
    host.install_bytes(
        &package(fixture(name), None),
        anwei_plugin_host::InstallOptions::default(),
    )
    .unwrap();
}

/// A record as the desk passes it to the host: `values` (an absent field has no value), id
/// `id` (0: not stored yet).
pub fn record_of<'a>(id: u64, values: impl IntoIterator<Item = (&'a str, Value)>) -> FormRecord {
    FormRecord {
        id,
        form: String::new(),
        form_version: String::new(),
        values: values
            .into_iter()
            .map(|(name, v)| (name.to_owned(), v))
            .collect(),
        draft: false,
        deleted: false,
        author: String::new(),
        created_at: String::new(),
        updated_at: String::new(),
        revision: 0,
    }
}
