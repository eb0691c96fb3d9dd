#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Hardening (issue 9): a gone plugin's plan leaves the store; oversized records are refused
//! before any plugin sees them.

use std::collections::{BTreeMap, BTreeSet};

use anwei_core::{Command, Value};
use anwei_plugin_host::PluginHost;
use anwei_session::records::{check_record, forms, has_errors, plugin_check};
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

const ACTOR: &str = "测试员";

fn desk(dir: &std::path::Path) -> (Store, PluginHost) {
    let store = Store::open(dir).unwrap();
    store
        .import_campaign(&anwei_exchange::demo_campaign().unwrap(), ACTOR)
        .unwrap();
    let config = host_config(&store, ACTOR).unwrap();
    let host = PluginHost::open(config).unwrap();
    // These tests are about the coal plugin and the "ghost" made of it: the other built-in
    // sectors stay out of their way (their plans would name some of the same units).
    for sector in [
        "hazardous-chemicals",
        "non-coal-mines",
        "hazardous-waste",
        "dust-explosion",
        "fire",
        "roads",
        "waterways",
        "construction",
        "industrial-parks",
    ] {
        host.disable(sector, "测试").unwrap();
    }
    record_host_events(&store, &host, ACTOR).unwrap();
    (store, host)
}

fn unit_ids(store: &Store) -> BTreeSet<String> {
    store.units().unwrap().into_iter().map(|u| u.id).collect()
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 3, 1).unwrap()
}

/// The coal plan as another sector ("ghost") would bring it: what the store holds of a
/// plugin that was installed, imported and then removed (no built-in "ghost" exists).
fn import_ghost(store: &Store, host: &PluginHost) -> Vec<String> {
    let mut content = sector_import(store, host, "coal-mining").unwrap();
    let rename = |id: &str| id.replacen("coal-mining", "ghost", 1);
    content.sector = "ghost".into();
    content.plugin_version = "1.0.0".into();
    content.plan.id = "ghost".into();
    content.plan.sector = Some("ghost".into());
    content.plan.title = "幽灵行业方案".into();
    for t in &mut content.tasks {
        t.id = rename(&t.id);
        t.plan = "ghost".into();
    }
    for t in &mut content.targets {
        t.id = rename(&t.id);
        t.plan = "ghost".into();
    }
    let created: Vec<String> = content.new_units.iter().map(|u| u.id.clone()).collect();
    assert!(!created.is_empty(), "the import creates units");
    store
        .apply(
            &Command::ImportSectorPlan {
                content: Box::new(content),
            },
            ACTOR,
        )
        .unwrap();
    created
}

/// The host as it opens after the user removed the ghost plugin: its state remembers the
/// plugin as installed once and removed (what `PluginHost::remove` leaves).
fn ghost_removed(dir: &std::path::Path, store: &Store, host: PluginHost) -> PluginHost {
    drop(host);
    let path = dir.join("plugins").join("state.json");
    let mut state: serde_json::Value = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_else(|| serde_json::json!({"format": 1, "plugins": {}}));
    state["plugins"]["ghost"] = serde_json::json!({
        "enabled": true,
        "installed_version": null,
        "highest_version": "1.0.0"
    });
    std::fs::write(&path, serde_json::to_vec(&state).unwrap()).unwrap();
    PluginHost::open(host_config(store, ACTOR).unwrap()).unwrap()
}

#[test]
fn a_plugin_that_only_fails_to_load_keeps_its_plan() {
    let dir = tempfile::tempdir().unwrap();
    let (store, host) = desk(dir.path());
    host.disable("coal-mining", "测试").unwrap();
    import_ghost(&store, &host);
    // "ghost" is not loaded (as a package refused after a trust-list change, or a half-synced
    // file), but nobody removed it: nothing of its plan goes.
    let report = sync_sector_plans(&store, &host, ACTOR);
    assert!(of_interest(&report.imported).is_empty(), "{report:?}");
    assert!(store.sector_record("ghost").unwrap().is_some());
    assert_eq!(
        store
            .tasks()
            .unwrap()
            .iter()
            .filter(|t| t.plan == "ghost")
            .count(),
        32
    );
}

#[test]
fn a_removed_plugins_plan_leaves_the_store_but_nothing_users_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let (store, host) = desk(dir.path());
    // Coal disabled: its plan is not imported, so only the ghost sector's units are new.
    host.disable("coal-mining", "测试").unwrap();
    let units_before = unit_ids(&store);
    let created = import_ghost(&store, &host);
    let ghost_tasks: Vec<_> = store
        .tasks()
        .unwrap()
        .into_iter()
        .filter(|t| t.plan == "ghost")
        .collect();
    assert_eq!(ghost_tasks.len(), 32);
    // What users did with it: progress on one task, a renamed unit, a hand-entered value,
    // a ledger record.
    let kept_task = ghost_tasks[0].clone();
    store
        .apply(
            &Command::AddProgress {
                milestone: None,
                task: kept_task.id.clone(),
                date: day(),
                text: "已排查".into(),
                percent: Some(50),
                done: false,
                attach: vec![],
            },
            ACTOR,
        )
        .unwrap();
    let kept_task_units: BTreeSet<String> =
        kept_task.roles.iter().map(|r| r.unit.clone()).collect();
    let renamed = created
        .iter()
        .find(|u| !kept_task_units.contains(*u))
        .unwrap()
        .clone();
    store
        .apply(
            &Command::RenameUnit {
                unit: renamed.clone(),
                name: "用户改过名的单位".into(),
            },
            ACTOR,
        )
        .unwrap();
    let target = store
        .targets()
        .unwrap()
        .into_iter()
        .find(|t| t.plan == "ghost")
        .unwrap();
    store
        .apply(
            &Command::AddMeasurement {
                target: target.id.clone(),
                date: day(),
                value: 3.0,
                town: None,
                source: "年报".into(),
            },
            ACTOR,
        )
        .unwrap();
    let mut values = BTreeMap::new();
    values.insert("name".to_owned(), Value::Text("一号煤矿".into()));
    store
        .apply(
            &Command::AddRecord {
                form: "ghost/mine-register".into(),
                form_version: "1.0.0".into(),
                values,
                draft: false,
            },
            ACTOR,
        )
        .unwrap();

    let host = ghost_removed(dir.path(), &store, host);
    let report = sync_sector_plans(&store, &host, ACTOR);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(of_interest(&report.imported).len(), 1, "{report:?}");
    let summary = of_interest(&report.imported)[0];
    assert!(summary.contains("移除行业方案“幽灵行业方案”"), "{summary}");
    assert!(summary.contains("保留有进展记录的任务 1 项"), "{summary}");
    assert!(summary.contains("台账记录 1 条保留"), "{summary}");

    // The plan's tasks without progress, its targets and its sector record are gone.
    let left: Vec<String> = store
        .tasks()
        .unwrap()
        .into_iter()
        .filter(|t| t.plan == "ghost")
        .map(|t| t.id)
        .collect();
    assert_eq!(left, vec![kept_task.id.clone()]);
    assert_eq!(store.progress_of(&kept_task.id).unwrap().len(), 1);
    assert!(store.plans().unwrap().iter().any(|p| p.id == "ghost"));
    // Only the target with a hand-entered value stays, and its value with it.
    let left_targets: Vec<String> = store
        .targets()
        .unwrap()
        .into_iter()
        .filter(|t| t.plan == "ghost")
        .map(|t| t.id)
        .collect();
    assert_eq!(left_targets, vec![target.id.clone()]);
    assert!(summary.contains("保留有手工录入值的指标 1 项"), "{summary}");
    assert_eq!(store.all_measurements().unwrap()[&target.id].len(), 1);
    assert!(store.sector_record("ghost").unwrap().is_none());
    assert_eq!(store.records("ghost/mine-register").unwrap().len(), 1);
    // Units: those it created go, except the ones a remaining task names or a user changed;
    // every unit that was there before stays.
    let units = unit_ids(&store);
    assert!(units.is_superset(&units_before));
    assert!(units.contains(&renamed));
    for u in &created {
        let expected = kept_task_units.contains(u) || *u == renamed;
        assert_eq!(units.contains(u), expected, "unit {u}");
    }
    assert!(units.len() < units_before.len() + created.len());
    assert!(
        store.check().unwrap().problems.is_empty(),
        "{:?}",
        store.check().unwrap().problems
    );
    let audit = store.audit(Some("plan:ghost"), 1).unwrap();
    assert_eq!(audit[0].action, "remove_sector_plan");
    assert!(
        audit[0].before.is_some(),
        "what was removed is in the audit record"
    );

    // Done once.
    let again = sync_sector_plans(&store, &host, ACTOR);
    assert!(
        again.imported.is_empty() && again.errors.is_empty(),
        "{again:?}"
    );
}

#[test]
fn a_plan_without_progress_goes_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (store, host) = desk(dir.path());
    host.disable("coal-mining", "测试").unwrap();
    let units_before = unit_ids(&store);
    import_ghost(&store, &host);
    let host = ghost_removed(dir.path(), &store, host);
    let report = sync_sector_plans(&store, &host, ACTOR);
    assert_eq!(of_interest(&report.imported).len(), 1, "{report:?}");
    assert!(store.plans().unwrap().iter().all(|p| p.id != "ghost"));
    assert!(store.tasks().unwrap().iter().all(|t| t.plan != "ghost"));
    assert_eq!(unit_ids(&store), units_before);
    assert!(store.check().unwrap().problems.is_empty());
}

#[test]
fn a_disabled_plugins_plan_stays() {
    let dir = tempfile::tempdir().unwrap();
    let (store, host) = desk(dir.path());
    let report = sync_sector_plans(&store, &host, ACTOR);
    assert_eq!(of_interest(&report.imported).len(), 1, "{report:?}");
    host.disable("coal-mining", "暂不使用").unwrap();
    let report = sync_sector_plans(&store, &host, ACTOR);
    assert!(of_interest(&report.imported).is_empty(), "{report:?}");
    assert_eq!(
        store
            .tasks()
            .unwrap()
            .iter()
            .filter(|t| t.plan == "coal-mining")
            .count(),
        32
    );
    assert!(store.sector_record("coal-mining").unwrap().is_some());
}

#[test]
fn an_oversized_record_is_refused_before_the_plugin_sees_it() {
    let dir = tempfile::tempdir().unwrap();
    let (store, host) = desk(dir.path());
    let (defs, _) = forms(&host);
    let def = defs
        .iter()
        .find(|d| d.id == "coal-mining/mine-register")
        .unwrap();
    let mut values = BTreeMap::new();
    // 70 MB: what overflowed the coal plugin's memory.
    values.insert(
        "name".to_owned(),
        Value::Text("煤".repeat(70 * 1024 * 1024 / 3)),
    );
    for _ in 0..3 {
        let issues = check_record(&host, def, &values, day()).unwrap();
        assert!(has_errors(&issues));
        let issue = issues
            .iter()
            .find(|i| i.field == "name" && i.message.contains("太长"))
            .unwrap_or_else(|| panic!("{issues:?}"));
        assert!(issue.message.contains("煤矿名称"), "{}", issue.message);
        assert!(
            issue.message.contains("上限 10000 个字"),
            "{}",
            issue.message
        );
        let issues = plugin_check(&host, &def.id, &values, day()).unwrap();
        assert!(has_errors(&issues), "{issues:?}");
    }
    // The plugin was never called: no fault, still enabled, nothing to record.
    let info = host.info("coal-mining").unwrap();
    assert_eq!(info.recent_faults, 0);
    assert!(info.enabled);
    assert_eq!(record_host_events(&store, &host, ACTOR).unwrap(), 0);
    // And the store refuses it too, even as a draft.
    let err = store
        .apply(
            &Command::AddRecord {
                form: def.id.clone(),
                form_version: def.version.clone(),
                values,
                draft: true,
            },
            ACTOR,
        )
        .unwrap_err();
    assert!(err.to_string().contains("字段“name”的内容太长"), "{err}");
    assert!(store.records(&def.id).unwrap().is_empty());
}

#[test]
fn a_task_with_an_issued_notice_stays_when_its_plugin_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let (store, host) = desk(dir.path());
    host.disable("coal-mining", "测试").unwrap();
    import_ghost(&store, &host);
    let task = store
        .tasks()
        .unwrap()
        .into_iter()
        .find(|t| t.plan == "ghost")
        .unwrap();
    store
        .apply(
            &Command::RecordNotice {
                task: task.id.clone(),
                year: 2021,
                number: 1,
                recipient: "区应急管理局".into(),
                new_deadline: day(),
                file: None,
                date: NaiveDate::from_ymd_opt(2021, 1, 4).unwrap(),
                pdf: b"%PDF-1.7".to_vec(),
                doc_prefix: String::new(),
            },
            ACTOR,
        )
        .unwrap();
    let host = ghost_removed(dir.path(), &store, host);
    let report = sync_sector_plans(&store, &host, ACTOR);
    assert_eq!(of_interest(&report.imported).len(), 1, "{report:?}");
    assert!(store.task(&task.id).unwrap().is_some(), "{report:?}");
    assert!(store.check().unwrap().problems.is_empty());
}
