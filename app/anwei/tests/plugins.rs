//! `anwei plugins …`, run as a real process: the built-in coal plugin, keys, signing, the
//! office's trust list and root key, install checks, developer mode, enable/disable/remove.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const DEV_WARNING: &str = "开发者模式：未签名插件也会被加载";

fn anwei(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anwei"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("ANWEI_DATA")
        .env("RUST_LOG", "error")
        .output()
        .expect("run anwei")
}

/// Runs a command that must succeed; returns (stdout, stderr).
fn ok(data: &Path, args: &[&str]) -> (String, String) {
    let out = anwei(data, args);
    let stdout = String::from_utf8(out.stdout).expect("utf-8 output");
    let stderr = String::from_utf8(out.stderr).expect("utf-8 errors");
    assert!(
        out.status.success(),
        "anwei {args:?} failed: {stderr}\n{stdout}"
    );
    (stdout, stderr)
}

fn stdout(data: &Path, args: &[&str]) -> String {
    ok(data, args).0
}

/// Runs a command that must fail; returns stderr.
fn fails(data: &Path, args: &[&str]) -> String {
    let out = anwei(data, args);
    let stderr = String::from_utf8(out.stderr).expect("utf-8 errors");
    assert!(
        !out.status.success(),
        "anwei {args:?} should have failed:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    stderr
}

fn list_json(data: &Path) -> Vec<Value> {
    let text = stdout(data, &["plugins", "list", "--json"]);
    serde_json::from_str::<Value>(&text)
        .expect("valid JSON")
        .as_array()
        .expect("a JSON array")
        .clone()
}

fn plugin(data: &Path, id: &str) -> Value {
    list_json(data)
        .into_iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("plugin {id} listed"))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn coal_component() -> &'static [u8] {
    anwei_builtin_plugins::builtins()
        .find(|(name, _)| *name == "coal-mining")
        .map(|(_, bytes)| bytes)
        .expect("coal plugin built in")
}

fn fixture(name: &str) -> &'static [u8] {
    anwei_builtin_plugins::fixture(name).expect("fixture built with feature `fixtures`")
}

/// The office (root key) and one department key, made with the CLI, plus a trust list that
/// lets the department publish `sectors`; root key and trust list installed into `data`.
struct Office {
    keys: tempfile::TempDir,
    dept_secret: PathBuf,
    dept_fingerprint: String,
}

impl Office {
    fn new(data: &Path, sectors: &str) -> Office {
        let keys = tempfile::tempdir().unwrap();
        let root_stem = keys.path().join("安委办根密钥");
        let dept_stem = keys.path().join("区能源局");
        let out = stdout(data, &["plugins", "keygen", "--out", s(&root_stem)]);
        assert!(out.contains("已生成密钥对"), "{out}");
        stdout(data, &["plugins", "keygen", "--out", s(&dept_stem)]);
        let dept_pub = std::fs::read_to_string(dept_stem.with_extension("pub")).unwrap();
        let dept_pub = dept_pub.trim().to_owned();
        assert_eq!(dept_pub.len(), 64);
        let trust = keys.path().join("trust.json");
        let entry = format!("区能源局={dept_pub}:{sectors}");
        let out = stdout(
            data,
            &[
                "plugins",
                "trust-list",
                "--root-key",
                s(&root_stem.with_extension("secret")),
                "--entry",
                &entry,
                "--out",
                s(&trust),
            ],
        );
        assert!(out.contains("区能源局"), "{out}");
        let out = stdout(
            data,
            &[
                "plugins",
                "root-key",
                "set",
                s(&root_stem.with_extension("pub")),
            ],
        );
        assert!(out.contains("已设置安委办根公钥"), "{out}");
        let out = stdout(data, &["plugins", "trust", "install", s(&trust)]);
        assert!(out.contains("已安装信任列表"), "{out}");
        Office {
            dept_secret: dept_stem.with_extension("secret"),
            dept_fingerprint: dept_pub[..16].to_owned(),
            keys,
        }
    }

    /// Signs `component` with the department key; returns the package path.
    fn sign(&self, data: &Path, component: &[u8], name: &str) -> PathBuf {
        let wasm = self.keys.path().join(format!("{name}.wasm"));
        std::fs::write(&wasm, component).unwrap();
        let pkg = self.keys.path().join(format!("{name}.anwpkg"));
        let out = stdout(
            data,
            &[
                "plugins",
                "sign",
                "--key",
                s(&self.dept_secret),
                "--component",
                s(&wasm),
                "--out",
                s(&pkg),
            ],
        );
        assert!(out.contains("已签名"), "{out}");
        pkg
    }
}

/// An unsigned package (what a developer builds before having a key on the trust list).
fn unsigned_package(component: &[u8], at: &Path) -> PathBuf {
    let rt = anwei_plugin_host::Runtime::new(None).unwrap();
    let manifest = anwei_plugin_host::manifest_for(&rt, component).unwrap();
    let bytes = anwei_plugin_host::build_package(component, manifest, None).unwrap();
    let path = at.join("unsigned.anwpkg");
    std::fs::write(&path, bytes).unwrap();
    path
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .position(|w| w == needle)
        .expect("needle in package")
}

#[test]
fn list_shows_the_built_in_coal_plugin() {
    let data = tempfile::tempdir().unwrap();
    let (text, err) = ok(data.path(), &["plugins", "list"]);
    let line = text
        .lines()
        .find(|l| l.starts_with("coal-mining"))
        .unwrap_or_else(|| panic!("coal-mining listed:\n{text}"));
    assert!(line.contains("煤矿安全专项整治"), "{line}");
    assert!(line.contains("签名：内置"), "{line}");
    assert!(line.contains("启用"), "{line}");
    assert!(text.contains("共 10 个插件"), "{text}");
    assert!(!err.contains(DEV_WARNING), "{err}");

    let all = list_json(data.path());
    assert_eq!(all.len(), 10, "{all:?}");
    assert!(
        all.iter()
            .all(|p| p["built_in"] == true && p["status"] == "enabled")
    );
    let coal = all.iter().find(|p| p["id"] == "coal-mining").unwrap();
    assert_eq!(coal["id"], "coal-mining");
    assert_eq!(coal["name"], "煤矿安全专项整治");
    assert_eq!(coal["built_in"], true);
    assert_eq!(coal["status"], "enabled");
    assert_eq!(coal["disabled_reason"], Value::Null);
    assert_eq!(coal["trust"], "built_in");
    assert_eq!(coal["signer"], "内置");
    assert_eq!(coal["path"], Value::Null);
    assert!(coal["version"].as_str().unwrap().contains('.'), "{coal}");
    assert!(coal["api"].as_str().unwrap().starts_with("1."), "{coal}");
}

#[test]
fn signed_package_installs_lists_its_signer_and_remove_brings_back_the_built_in() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let office = Office::new(d, "coal-mining");
    let pkg = office.sign(d, coal_component(), "coal");

    let out = stdout(d, &["plugins", "install", s(&pkg)]);
    assert!(out.contains("已安装插件“煤矿安全专项整治”"), "{out}");
    let coal = plugin(d, "coal-mining");
    assert_eq!(coal["built_in"], false, "{coal}");
    assert_eq!(coal["trust"], "signed", "{coal}");
    assert_eq!(coal["status"], "enabled", "{coal}");
    assert_eq!(
        coal["signer"],
        format!("区能源局（密钥 {}）", office.dept_fingerprint)
    );
    assert!(
        coal["path"]
            .as_str()
            .unwrap()
            .ends_with("plugins/coal-mining.anwpkg"),
        "{coal}"
    );
    let text = stdout(d, &["plugins", "list"]);
    assert!(
        text.contains(&format!(
            "签名：区能源局（密钥 {}）",
            office.dept_fingerprint
        )),
        "{text}"
    );
    assert!(text.contains("coal-mining.anwpkg"), "{text}");

    // Removing the installed package brings the built-in version back; the built-in one
    // itself cannot be removed.
    let out = stdout(d, &["plugins", "remove", "coal-mining"]);
    assert!(out.contains("内置版本"), "{out}");
    let coal = plugin(d, "coal-mining");
    assert_eq!(coal["built_in"], true, "{coal}");
    assert_eq!(coal["signer"], "内置", "{coal}");
    let err = fails(d, &["plugins", "remove", "coal-mining"]);
    assert!(err.contains("内置插件"), "{err}");
    let err = fails(d, &["plugins", "remove", "../../etc"]);
    assert!(err.contains("不是插件编号"), "{err}");
}

#[test]
fn unsigned_package_is_refused_and_accepted_only_in_developer_mode() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let work = tempfile::tempdir().unwrap();
    let pkg = unsigned_package(coal_component(), work.path());

    let err = fails(d, &["plugins", "install", s(&pkg)]);
    assert!(err.contains("签名检查未通过"), "{err}");
    assert!(err.contains("未签名"), "{err}");
    assert_eq!(plugin(d, "coal-mining")["built_in"], true);

    let (out, err) = ok(d, &["plugins", "developer", "on"]);
    assert!(out.contains("开启插件开发者模式"), "{out}");
    assert!(err.contains(DEV_WARNING), "{err}");
    {
        // The setting is in the store (the window reads the same), and so is the refusal.
        let store = anwei_store::Store::open(d).unwrap();
        assert!(store.settings().unwrap().plugin_developer_mode);
        let refused = store
            .audit(None, 100)
            .unwrap()
            .into_iter()
            .filter(|r| r.summary.starts_with("拒绝插件包"))
            .count();
        assert_eq!(refused, 1);
    }

    let (out, err) = ok(d, &["plugins", "install", s(&pkg)]);
    assert!(out.contains("已安装"), "{out}");
    assert!(out.contains("未签名（开发者模式）"), "{out}");
    assert!(err.contains(DEV_WARNING), "{err}");
    let (text, err) = ok(d, &["plugins", "list"]);
    assert!(err.contains(DEV_WARNING), "{err}");
    assert!(text.contains("签名：未签名（开发者模式）"), "{text}");
    let coal = plugin(d, "coal-mining");
    assert_eq!(coal["trust"], "developer", "{coal}");
    assert_eq!(coal["signer"], "未签名（开发者模式）", "{coal}");
    assert_eq!(coal["built_in"], false, "{coal}");
    {
        let store = anwei_store::Store::open(d).unwrap();
        let installs = store.audit(Some("plugin:coal-mining"), 10).unwrap();
        assert!(
            installs.iter().any(|r| r.summary.starts_with("安装插件")),
            "{installs:?}"
        );
    }
    // Issue 9, item 8: later commands open the host again; that is no install.
    let count_installs = || {
        anwei_store::Store::open(d)
            .unwrap()
            .audit(Some("plugin:coal-mining"), 1000)
            .unwrap()
            .iter()
            .filter(|r| r.summary.starts_with("安装插件"))
            .count()
    };
    let installs = count_installs();
    assert_eq!(installs, 1);
    ok(d, &["plugins", "list"]);
    ok(d, &["plugins", "list", "--json"]);
    ok(d, &["records", "forms"]);
    assert_eq!(count_installs(), installs, "a false install record");

    // Off again: the unsigned package in the folder is refused, the built-in one is used.
    let (out, _) = ok(d, &["plugins", "developer", "off"]);
    assert!(out.contains("关闭插件开发者模式"), "{out}");
    let (text, err) = ok(d, &["plugins", "list"]);
    assert!(!err.contains(DEV_WARNING), "{err}");
    assert!(text.contains("未加载的插件包"), "{text}");
    assert!(text.contains("签名检查未通过"), "{text}");
    assert_eq!(plugin(d, "coal-mining")["built_in"], true);
}

#[test]
fn key_without_the_sector_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let office = Office::new(d, "fire,roads");
    let pkg = office.sign(d, coal_component(), "coal");
    let err = fails(d, &["plugins", "install", s(&pkg)]);
    assert!(err.contains("专项授权检查未通过"), "{err}");
    assert!(err.contains("无权发布"), "{err}");
    assert_eq!(plugin(d, "coal-mining")["built_in"], true);
}

#[test]
fn signed_package_is_refused_without_root_key_and_trust_list() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let office = Office::new(d, "coal-mining");
    let pkg = office.sign(d, coal_component(), "coal");
    // A second desk that has neither the root key nor the trust list.
    let other = tempfile::tempdir().unwrap();
    let err = fails(other.path(), &["plugins", "install", s(&pkg)]);
    assert!(err.contains("签名密钥检查未通过"), "{err}");
    let trust = office.keys.path().join("trust.json");
    let err = fails(other.path(), &["plugins", "trust", "install", s(&trust)]);
    assert!(err.contains("root-key set"), "{err}");
}

#[test]
fn tampered_packages_are_refused() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let office = Office::new(d, "coal-mining");
    let pkg = office.sign(d, coal_component(), "coal");
    let good = std::fs::read(&pkg).unwrap();

    // component.wasm changed after signing → hash check.
    let mut bad = good.clone();
    let at = find(&bad, b"\0asm") + coal_component().len() / 2;
    bad[at] ^= 0xff;
    let bad_component = office.keys.path().join("bad-component.anwpkg");
    std::fs::write(&bad_component, &bad).unwrap();
    let err = fails(d, &["plugins", "install", s(&bad_component)]);
    assert!(err.contains("哈希检查未通过"), "{err}");

    // manifest.json changed after signing (version raised) → signature check.
    let mut bad = good.clone();
    let at = find(&bad, b"\"version\": \"") + b"\"version\": \"".len();
    bad[at] = b'9';
    let bad_manifest = office.keys.path().join("bad-manifest.anwpkg");
    std::fs::write(&bad_manifest, &bad).unwrap();
    let err = fails(d, &["plugins", "install", s(&bad_manifest)]);
    assert!(err.contains("签名校验检查未通过"), "{err}");

    assert_eq!(plugin(d, "coal-mining")["built_in"], true);
    stdout(d, &["plugins", "install", s(&pkg)]);
    assert_eq!(plugin(d, "coal-mining")["built_in"], false);
}

#[test]
fn downgrade_is_refused_unless_allowed() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let office = Office::new(d, "coal-mining,test-hostile");
    let v2 = office.sign(d, fixture("hostile-v2"), "hostile-v2");
    let v1 = office.sign(d, fixture("hostile"), "hostile-v1");

    stdout(d, &["plugins", "install", s(&v2)]);
    assert_eq!(plugin(d, "test-hostile")["version"], "2.0.0");
    let err = fails(d, &["plugins", "install", s(&v1)]);
    assert!(err.contains("版本检查未通过"), "{err}");
    assert!(err.contains("降级"), "{err}");
    assert_eq!(plugin(d, "test-hostile")["version"], "2.0.0");

    let out = stdout(d, &["plugins", "install", s(&v1), "--allow-downgrade"]);
    assert!(out.contains("1.0.0"), "{out}");
    let hostile = plugin(d, "test-hostile");
    assert_eq!(hostile["version"], "1.0.0");
    assert_eq!(hostile["trust"], "signed");

    let out = stdout(d, &["plugins", "remove", "test-hostile"]);
    assert!(out.contains("已删除插件“test-hostile”"), "{out}");
    assert!(
        list_json(d).iter().all(|p| p["id"] != "test-hostile"),
        "removed"
    );
}

#[test]
fn disable_and_enable() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let out = stdout(
        d,
        &[
            "plugins",
            "disable",
            "coal-mining",
            "--reason",
            "数据核对中",
        ],
    );
    assert!(out.contains("已停用"), "{out}");
    let coal = plugin(d, "coal-mining");
    assert_eq!(coal["status"], "disabled");
    assert_eq!(coal["disabled_reason"], "数据核对中");
    let text = stdout(d, &["plugins", "list"]);
    assert!(text.contains("停用（数据核对中）"), "{text}");

    let out = stdout(d, &["plugins", "enable", "coal-mining"]);
    assert!(out.contains("已启用"), "{out}");
    let coal = plugin(d, "coal-mining");
    assert_eq!(coal["status"], "enabled");
    assert_eq!(coal["disabled_reason"], Value::Null);

    stdout(d, &["plugins", "disable", "coal-mining"]);
    assert_eq!(plugin(d, "coal-mining")["disabled_reason"], "已手动停用");

    let err = fails(d, &["plugins", "enable", "no-such-sector"]);
    assert!(err.contains("没有插件“no-such-sector”"), "{err}");
}

#[test]
fn root_key_and_trust_list_are_checked() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let keys = tempfile::tempdir().unwrap();
    let root = keys.path().join("root");
    let stranger = keys.path().join("stranger");
    stdout(d, &["plugins", "keygen", "--out", s(&root)]);
    stdout(d, &["plugins", "keygen", "--out", s(&stranger)]);

    // Keys: owner-only secret, never overwritten.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(root.with_extension("secret"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let err = fails(d, &["plugins", "keygen", "--out", s(&root)]);
    assert!(err.contains("已存在"), "{err}");

    // A malformed key is refused; so is a secret key given as the root key.
    let junk = keys.path().join("junk.pub");
    std::fs::write(&junk, "not a key").unwrap();
    let err = fails(d, &["plugins", "root-key", "set", s(&junk)]);
    assert!(err.contains("不是公钥文件"), "{err}");
    let err = fails(
        d,
        &[
            "plugins",
            "root-key",
            "set",
            s(&root.with_extension("secret")),
        ],
    );
    assert!(err.contains("私钥"), "{err}");

    stdout(
        d,
        &["plugins", "root-key", "set", s(&root.with_extension("pub"))],
    );
    let public = std::fs::read_to_string(root.with_extension("pub")).unwrap();
    {
        // The root of trust is in the store, and setting it is audited.
        let store = anwei_store::Store::open(d).unwrap();
        assert_eq!(
            store.settings().unwrap().plugin_root_key.as_deref(),
            Some(public.trim())
        );
        let audit = store.audit(Some("setting:plugin_root_key"), 10).unwrap();
        assert_eq!(audit.len(), 1);
        assert!(audit[0].summary.contains(&public.trim()[..16]), "{audit:?}");
    }
    assert!(!d.join("plugins/root.pub").exists());

    // A trust list signed by another key is refused.
    let dept = std::fs::read_to_string(stranger.with_extension("pub")).unwrap();
    let forged = keys.path().join("forged.json");
    stdout(
        d,
        &[
            "plugins",
            "trust-list",
            "--root-key",
            s(&stranger.with_extension("secret")),
            "--entry",
            &format!("某部门={}:coal-mining", dept.trim()),
            "--out",
            s(&forged),
        ],
    );
    let err = fails(d, &["plugins", "trust", "install", s(&forged)]);
    assert!(err.contains("根密钥签名校验失败"), "{err}");
    assert!(
        anwei_store::Store::open(d)
            .unwrap()
            .settings()
            .unwrap()
            .plugin_trust_list
            .is_none()
    );

    // Malformed entries are refused before anything is signed.
    let err = fails(
        d,
        &[
            "plugins",
            "trust-list",
            "--root-key",
            s(&root.with_extension("secret")),
            "--entry",
            "某部门:coal-mining",
            "--out",
            s(&forged),
        ],
    );
    assert!(err.contains("缺少“=”"), "{err}");

    // A key file dropped into the plugins folder does not replace the configured root key.
    let stranger_pub = std::fs::read_to_string(stranger.with_extension("pub")).unwrap();
    std::fs::create_dir_all(d.join("plugins")).unwrap();
    std::fs::write(d.join("plugins/root.pub"), &stranger_pub).unwrap();
    stdout(d, &["plugins", "list"]);
    let shown = stdout(d, &["plugins", "root-key", "show"]);
    assert!(shown.contains(public.trim()), "{shown}");
    assert!(!shown.contains(stranger_pub.trim()), "{shown}");
}

/// A plugin that faults while `records add` checks a record: the fault is in the audit trail
/// (issue 9, item 8) and nothing is saved.
#[test]
fn a_plugin_fault_during_records_add_is_audited() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let work = tempfile::tempdir().unwrap();
    let pkg = unsigned_package(fixture("hostile-panic-form"), work.path());
    ok(d, &["plugins", "developer", "on"]);
    let (out, _) = ok(d, &["plugins", "install", s(&pkg)]);
    assert!(out.contains("已安装"), "{out}");
    let (forms, _) = ok(d, &["records", "forms", "--sector", "test-hostile"]);
    assert_eq!(forms.trim(), "test-hostile/panic");
    let record = work.path().join("record.json");
    std::fs::write(&record, r#"{"name": "任意"}"#).unwrap();
    let faults = || {
        anwei_store::Store::open(d)
            .unwrap()
            .audit(None, 200)
            .unwrap()
            .into_iter()
            .filter(|r| r.summary.starts_with("插件出错（test-hostile"))
            .count()
    };
    assert_eq!(faults(), 0);
    let err = fails(
        d,
        &[
            "records",
            "add",
            "--form",
            "test-hostile/panic",
            "--json",
            s(&record),
        ],
    );
    assert!(err.contains("插件检查失败"), "{err}");
    assert!(err.contains("未保存"), "{err}");
    assert_eq!(faults(), 1, "the fault is recorded once");
    let store = anwei_store::Store::open(d).unwrap();
    assert!(store.records("test-hostile/panic").unwrap().is_empty());
}
