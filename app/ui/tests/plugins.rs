//! The plugin page: built-in plugins and their sector plans, enable/disable, installing by
//! typed path and by dropping a package on the window, developer mode, faults.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anwei_plugin_host::{Runtime, build_package, manifest_for};
use anwei_ui::DeskApp;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// An unsigned package of the hostile test plugin (sector "test-hostile").
fn unsigned_package(dir: &Path) -> PathBuf {
    let component = anwei_builtin_plugins::fixture("hostile").unwrap();
    let runtime = Runtime::new(None).unwrap();
    let manifest = manifest_for(&runtime, component).unwrap();
    let bytes = build_package(component, manifest, None).unwrap();
    let path = dir.join("test-hostile.anwpkg");
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Clicks a button that starts background work (the spinner keeps repainting, so one step
/// instead of running until the UI settles), then waits for the work.
fn click_and_settle(h: &mut Harness<'static, DeskApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.step();
    h.get_by_label(label).click();
    h.step();
    settle(h);
}

/// A data folder with developer mode on (set before the desk opens), and a folder for files.
fn developer_desk_folders() -> (tempfile::TempDir, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = anwei_store::Store::open(dir.path()).unwrap();
    store
        .apply(
            &anwei_core::Command::SetPluginDeveloperMode { on: true },
            "管理员",
        )
        .unwrap();
    (dir, tempfile::tempdir().unwrap())
}

fn settle(h: &mut Harness<'static, DeskApp>) {
    h.state_mut().wait_for_plugins();
    h.run();
}

#[test]
fn builtin_coal_plugin_contributes_its_plan_to_the_desk() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    let model = h.state().model().unwrap();
    assert_eq!(
        model
            .rows
            .iter()
            .filter(|r| r.plan == "coal-mining")
            .count(),
        32
    );
    common::open_tab(&mut h, "插件");
    let row = h
        .query_all_by_label_contains("（coal-mining）")
        .next()
        .expect("coal plugin listed");
    row.click();
    h.run();
    assert!(h.query_all_by_label_contains("行业方案：").count() > 0);
    assert!(h.query_all_by_label_contains("（32 项任务）").count() > 0);
    assert!(h.query_all_by_label_contains("内置（随程序发布）").count() > 0);
    assert!(h.query_by_label_contains("表单（2 个）").is_some());
    common::click(&mut h, "在任务表中查看");
    assert_eq!(
        h.state().tasks_state().unwrap().plan.as_deref(),
        Some("coal-mining")
    );
    assert_eq!(common::shown_count(&h), 32);
}

#[test]
fn disable_shows_a_banner_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "插件");
    // The plugins are listed by sector id: coal-mining first.
    h.query_all_by_label("停用").next().unwrap().click();
    h.run();
    h.run();
    assert!(
        h.query_by_label_contains("已停用：已手动停用").is_some(),
        "banner"
    );
    let info = h
        .state()
        .plugins_view()
        .unwrap()
        .plugin("coal-mining")
        .cloned();
    assert!(!info.unwrap().enabled);
    let audit = h
        .state()
        .store()
        .unwrap()
        .audit(Some("plugin:coal-mining"), 10)
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert!(
        audit[0].summary.contains("停用插件"),
        "{}",
        audit[0].summary
    );
    // The plan and its tasks stay (nothing recorded on them is lost).
    assert_eq!(
        h.state()
            .model()
            .unwrap()
            .rows
            .iter()
            .filter(|r| r.plan == "coal-mining")
            .count(),
        32
    );
    h.get_by_role_and_label(Role::Button, "启用").click();
    h.run();
    h.run();
    assert!(h.query_by_label_contains("已停用").is_none());
}

#[test]
fn unsigned_package_is_refused_until_developer_mode_is_on() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let pkg = unsigned_package(files.path());
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "插件");
    common::set_field(&mut h, "插件包路径", &pkg.display().to_string());
    click_and_settle(&mut h, "安装此文件");
    let status = h.state().status().text();
    assert!(h.state().status().is_error(), "{status}");
    assert!(status.contains("未安装"), "{status}");
    assert!(status.contains("签名"), "names the failed check: {status}");
    assert!(
        h.state()
            .plugins_view()
            .unwrap()
            .plugin("test-hostile")
            .is_none()
    );
    // The refusal is in the audit trail.
    let refused = h
        .state()
        .store()
        .unwrap()
        .audit(Some("plugin:test-hostile.anwpkg"), 10)
        .unwrap();
    assert_eq!(refused.len(), 1);

    // The host starts again with the new setting (a spinner shows meanwhile).
    click_and_settle(
        &mut h,
        "接受未签名插件（供部门开发人员调试；所有页面都会显示警告）",
    );
    assert!(h.state().model().unwrap().settings.plugin_developer_mode);
    assert!(h.query_by_label_contains("插件开发者模式已开启").is_some());
    click_and_settle(&mut h, "安装此文件");
    let status = h.state().status().text();
    assert!(!h.state().status().is_error(), "{status}");
    assert!(status.contains("已安装插件“测试插件”"), "{status}");
    assert!(
        h.query_by_label_contains("未经安委办签名认证（开发者模式）")
            .is_some()
    );
    assert!(h.query_by_label_contains("未签名（开发者模式）").is_some());
    // Its (empty) plan is in the desk now; the audit has the install.
    assert!(
        h.state()
            .model()
            .unwrap()
            .plans
            .iter()
            .any(|p| p.id == "test-hostile")
    );
    let installed = h
        .state()
        .store()
        .unwrap()
        .audit(Some("plugin:test-hostile"), 10)
        .unwrap();
    assert!(installed.iter().any(|r| r.summary.contains("安装插件")));
}

#[test]
fn a_package_dropped_on_the_window_is_installed() {
    let (dir, files) = developer_desk_folders();
    let pkg = unsigned_package(files.path());
    let mut h = common::harness(common::desk(dir.path()));
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(common::Dropped(pkg.clone())));
    h.step();
    assert_eq!(h.state().tab(), Some(anwei_ui::Tab::Plugins));
    settle(&mut h);
    assert!(
        h.state()
            .plugins_view()
            .unwrap()
            .plugin("test-hostile")
            .is_some(),
        "{}",
        h.state().status().text()
    );
    assert!(h.query_by_label_contains("（test-hostile）").is_some());
}

#[test]
fn a_package_put_into_the_plugins_folder_appears_without_restart() {
    let (dir, files) = developer_desk_folders();
    let pkg = unsigned_package(files.path());
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "插件");
    // Written elsewhere and renamed in, as a copy tool does.
    let tmp = dir.path().join("plugins").join(".incoming.part");
    std::fs::copy(&pkg, &tmp).unwrap();
    std::fs::rename(&tmp, dir.path().join("plugins").join("dropped.anwpkg")).unwrap();
    let start = Instant::now();
    while h.query_by_label_contains("（test-hostile）").is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "not loaded: {}",
            h.state().status().text()
        );
        std::thread::sleep(Duration::from_millis(50));
        h.run();
    }
    assert!(
        h.state()
            .model()
            .unwrap()
            .plans
            .iter()
            .any(|p| p.id == "test-hostile")
    );
}

#[test]
fn faults_are_shown_with_the_plugin_name_audited_and_disable_it_after_three() {
    let (dir, files) = developer_desk_folders();
    let pkg = unsigned_package(files.path());
    let mut h = common::harness(common::desk(dir.path()));
    h.state_mut()
        .apply_actions(vec![anwei_ui::Action::InstallPlugin {
            path: pkg,
            allow_downgrade: false,
        }]);
    settle(&mut h);
    let host = h.state().plugin_host().unwrap();
    let record = anwei_core::FormRecord {
        id: 1,
        form: "test-hostile/panic".into(),
        form_version: "1.0.0".into(),
        values: Default::default(),
        draft: false,
        deleted: false,
        author: String::new(),
        created_at: String::new(),
        updated_at: String::new(),
        revision: 1,
    };
    let err = host
        .validate("test-hostile", "panic", &record, "2020-09-01")
        .unwrap_err();
    assert!(err.to_string().contains("测试插件"), "{err}");
    h.run();
    let status = h.state().status().text();
    assert!(h.state().status().is_error());
    assert!(status.contains("插件“测试插件”出错"), "{status}");
    for _ in 0..2 {
        let _ = host.validate("test-hostile", "panic", &record, "2020-09-01");
    }
    h.run();
    h.run();
    assert!(
        h.query_by_label_contains("已自动停用").is_some(),
        "banner after three faults"
    );
    let audit = h
        .state()
        .store()
        .unwrap()
        .audit(Some("plugin:test-hostile"), 20)
        .unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|r| r.summary.starts_with("插件出错"))
            .count(),
        3
    );
    assert!(audit.iter().any(|r| r.summary.starts_with("停用插件")));
    // The desk and the other plugin keep working.
    assert!(
        h.state()
            .plugins_view()
            .unwrap()
            .plugin("coal-mining")
            .unwrap()
            .enabled
    );
    common::open_tab(&mut h, "任务");
    assert!(common::shown_count(&h) >= 124);
}
