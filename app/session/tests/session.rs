#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Sector plans of the built-in plugins in the store; plugin events in the audit trail.

use anwei_core::{Command, PluginEvent, Role};
use anwei_plugin_host::PluginHost;
use anwei_session::{host_config, record_host_events, sector_import, sync_sector_plans};
use anwei_store::Store;
use chrono::NaiveDate;

/// What a sync reports of the coal plugin (and the test's own plugins): the other built-in
/// sectors' plans are imported beside it.
fn of_interest(imported: &[String]) -> Vec<&String> {
    const OTHERS: [&str; 9] = [
        "插件 hazardous-chemicals ",
        "插件 non-coal-mines ",
        "插件 hazardous-waste ",
        "插件 dust-explosion ",
        "插件 fire ",
        "插件 roads ",
        "插件 waterways ",
        "插件 construction ",
        "插件 industrial-parks ",
    ];
    imported
        .iter()
        .filter(|s| !OTHERS.iter().any(|o| s.contains(o)))
        .collect()
}

fn desk(dir: &std::path::Path) -> (Store, PluginHost) {
    let store = Store::open(dir).unwrap();
    store
        .import_campaign(&anwei_exchange::demo_campaign().unwrap(), "测试员")
        .unwrap();
    let config = host_config(&store, "测试员").unwrap();
    let host = PluginHost::open(config).unwrap();
    (store, host)
}

#[test]
fn builtin_coal_plan_is_imported_once_with_tasks_targets_and_units() {
    let dir = tempfile::tempdir().unwrap();
    let (store, host) = desk(dir.path());
    let units_before = store.units().unwrap().len();
    let report = sync_sector_plans(&store, &host, "测试员");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(of_interest(&report.imported).len(), 1, "{report:?}");

    let plan = store
        .plans()
        .unwrap()
        .into_iter()
        .find(|p| p.id == "coal-mining")
        .expect("coal plan in the store");
    assert_eq!(plan.sector.as_deref(), Some("coal-mining"));
    assert_eq!(plan.campaign, store.campaigns().unwrap()[0].id);
    let tasks: Vec<_> = store
        .tasks()
        .unwrap()
        .into_iter()
        .filter(|t| t.plan == "coal-mining")
        .collect();
    assert_eq!(tasks.len(), 32);
    assert!(tasks.iter().all(|t| !t.roles.is_empty()));
    assert!(
        tasks
            .iter()
            .any(|t| t.roles.iter().any(|r| r.role == Role::Lead))
    );
    let targets: Vec<_> = store
        .targets()
        .unwrap()
        .into_iter()
        .filter(|t| t.plan == "coal-mining")
        .collect();
    assert_eq!(targets.len(), 56);
    // Every unit a task names is in the directory (new ones were added, none twice).
    let dir_units = store.unit_directory().unwrap();
    for t in &tasks {
        for r in &t.roles {
            assert!(
                dir_units.get(&r.unit).is_some(),
                "{} names {}",
                t.id,
                r.unit
            );
        }
    }
    assert!(store.units().unwrap().len() >= units_before);
    assert!(store.check().unwrap().problems.is_empty());

    // The second start finds it up to date and writes nothing.
    let audit_before = store.audit(None, 1000).unwrap().len();
    let again = sync_sector_plans(&store, &host, "测试员");
    assert!(again.imported.is_empty() && again.errors.is_empty());
    assert_eq!(store.audit(None, 1000).unwrap().len(), audit_before);
}

#[test]
fn reimport_keeps_progress_and_tasks_with_progress() {
    let dir = tempfile::tempdir().unwrap();
    let (store, host) = desk(dir.path());
    sync_sector_plans(&store, &host, "测试员");
    let day = NaiveDate::from_ymd_opt(2021, 3, 1).unwrap();
    for task in ["coal-mining/1", "coal-mining/32"] {
        store
            .apply(
                &Command::AddProgress {
                    milestone: None,
                    task: task.into(),
                    date: day,
                    text: "已排查".into(),
                    percent: Some(50),
                    done: false,
                    attach: vec![],
                },
                "测试员",
            )
            .unwrap();
    }
    // A "new version" that drops its last two tasks.
    let mut content = sector_import(&store, &host, "coal-mining").unwrap();
    content.plugin_version = "9.9.9".into();
    content.tasks.truncate(30);
    assert!(content.new_units.is_empty(), "units already imported");
    store
        .apply(
            &Command::ImportSectorPlan {
                content: Box::new(content),
            },
            "测试员",
        )
        .unwrap();
    let ids: Vec<String> = store
        .tasks()
        .unwrap()
        .into_iter()
        .filter(|t| t.plan == "coal-mining")
        .map(|t| t.id)
        .collect();
    // Task 31 had no progress and is gone; 32 had progress and stays.
    assert_eq!(ids.len(), 31);
    assert!(ids.contains(&"coal-mining/32".to_owned()));
    assert!(!ids.contains(&"coal-mining/31".to_owned()));
    assert_eq!(store.progress_of("coal-mining/1").unwrap().len(), 1);
    assert_eq!(store.progress_of("coal-mining/32").unwrap().len(), 1);
    assert_eq!(
        store
            .sector_record("coal-mining")
            .unwrap()
            .unwrap()
            .plugin_version,
        "9.9.9"
    );
    // Content naming a unit the directory does not have is refused whole.
    let mut bad = sector_import(&store, &host, "coal-mining").unwrap();
    bad.tasks[0].roles[0].unit = "u9999".into();
    let audit_before = store.audit(None, 10_000).unwrap().len();
    let err = store
        .apply(
            &Command::ImportSectorPlan {
                content: Box::new(bad),
            },
            "测试员",
        )
        .unwrap_err();
    assert!(err.to_string().contains("u9999"), "{err}");
    assert_eq!(store.audit(None, 10_000).unwrap().len(), audit_before);
    assert_eq!(
        store
            .sector_record("coal-mining")
            .unwrap()
            .unwrap()
            .plugin_version,
        "9.9.9"
    );
    // The desk notices the store holds another version and imports the plugin's again.
    let report = sync_sector_plans(&store, &host, "测试员");
    assert_eq!(of_interest(&report.imported).len(), 1);
}

#[test]
fn plugin_events_reach_the_audit_trail() {
    let dir = tempfile::tempdir().unwrap();
    let (store, host) = desk(dir.path());
    host.disable("coal-mining", "测试停用").unwrap();
    host.enable("coal-mining").unwrap();
    assert_eq!(record_host_events(&store, &host, "测试员").unwrap(), 2);
    let audit = store.audit(Some("plugin:coal-mining"), 10).unwrap();
    assert_eq!(audit.len(), 2);
    assert!(
        audit[1].summary.contains("停用插件"),
        "{}",
        audit[1].summary
    );
    assert!(audit[1].summary.contains("测试停用"));
    assert!(audit[0].summary.contains("启用插件"));
    assert_eq!(audit[0].action, "record_plugin_event");
    // Nothing twice.
    assert_eq!(record_host_events(&store, &host, "测试员").unwrap(), 0);
    let _ = PluginEvent::Fault;
}

#[test]
fn disabled_plugin_plan_is_not_imported() {
    let dir = tempfile::tempdir().unwrap();
    let (store, host) = desk(dir.path());
    host.disable("coal-mining", "暂不使用").unwrap();
    let report = sync_sector_plans(&store, &host, "测试员");
    assert!(of_interest(&report.imported).is_empty());
    assert!(store.plans().unwrap().iter().all(|p| p.id != "coal-mining"));
}

#[test]
fn developer_mode_comes_from_settings() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert!(!host_config(&store, "测试员").unwrap().developer_mode);
    store
        .apply(&Command::SetPluginDeveloperMode { on: true }, "管理员")
        .unwrap();
    let config = host_config(&store, "测试员").unwrap();
    assert!(config.developer_mode);
    assert!(config.root_key.is_none());
}

#[test]
fn no_campaign_no_import() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let host = PluginHost::open(host_config(&store, "测试员").unwrap()).unwrap();
    let report = sync_sector_plans(&store, &host, "测试员");
    assert!(of_interest(&report.imported).is_empty());
    assert!(!report.errors.is_empty());
    assert!(
        report
            .errors
            .iter()
            .all(|e| e.contains("没有可导入行业方案的活动")),
        "{:?}",
        report.errors
    );
}
