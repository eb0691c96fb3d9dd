//! A plugin's content is checked at install as the import will use it: within documented
//! limits (so every install and import is bounded), without direction overrides, zero-width
//! or control characters, and convertible (a deadline that can never be read is refused now,
//! not at every later import). Remove-then-install-older is a downgrade.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use anwei_core::{FormRecord, Role};
use anwei_plugin_host::check::{self, MAX_UNIT_NAMES};
use anwei_plugin_host::description::{self, Description};
use anwei_plugin_host::{
    Check, FaultKind, InstallOptions, Manifest, PluginError, Runtime, build_package,
};
use common::{fixture, open, package, record_of};

const OPTS: InstallOptions = InstallOptions {
    allow_downgrade: false,
};

/// The fixture's own description (no check run on it).
fn describe(component: &[u8]) -> Description {
    let rt = Runtime::new(None).unwrap();
    let c = rt.compile(component).unwrap();
    rt.describe("测试", &c).unwrap()
}

/// A package whose manifest is filled from the component's description without the
/// host's checks (`manifest_for` would refuse the hostile content already).
fn raw_package(component: &[u8]) -> Vec<u8> {
    let d = describe(component);
    let m = Manifest {
        format: 1,
        sector_id: d.identity.sector_id,
        version: d.identity.version,
        api_version: d.identity.api_version,
        department: d.identity.department,
        component_sha256: String::new(),
        public_key: None,
    };
    build_package(component, m, None).unwrap()
}

fn refusal(r: anwei_plugin_host::Result<impl std::fmt::Debug>) -> (Check, String) {
    match r {
        Err(e @ PluginError::Refused { .. }) => (e.check().unwrap(), e.to_string()),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn record() -> FormRecord {
    record_of(1, [])
}

#[test]
fn content_that_can_never_import_is_refused_at_install() {
    let dir = tempfile::tempdir().unwrap();
    let host = open(dir.path(), None, true);
    let (check, msg) =
        refusal(host.install_bytes(&raw_package(fixture("hostile-bad-deadline")), OPTS));
    assert_eq!(check, Check::Content, "{msg}");
    // The conversion's own message: which task, which deadline.
    assert!(msg.contains("任务2的完成时间有误"), "{msg}");
    assert!(msg.contains("插件内容"), "{msg}");
    assert!(host.info("test-hostile").is_err());
    assert!(!dir.path().join("plugins/test-hostile.anwpkg").exists());
    // Signing it (`plugins sign`) already says so.
    let rt = Runtime::new(None).unwrap();
    let err = anwei_plugin_host::manifest_for(&rt, fixture("hostile-bad-deadline")).unwrap_err();
    assert_eq!(err.check(), Some(Check::Content), "{err}");

    // Dropped into the folder it is refused the same way, with the same reason.
    std::fs::write(
        dir.path().join("plugins/dropped.anwpkg"),
        raw_package(fixture("hostile-bad-deadline")),
    )
    .unwrap();
    host.rescan().unwrap();
    let refused = host.refused();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(refused[0].1.contains("完成时间有误"), "{}", refused[0].1);
}

#[test]
fn a_unit_name_with_a_right_to_left_override_is_refused_at_install() {
    let dir = tempfile::tempdir().unwrap();
    let host = open(dir.path(), None, true);
    let (check, msg) = refusal(host.install_bytes(&raw_package(fixture("hostile-rtl-name")), OPTS));
    assert_eq!(check, Check::Identity, "{msg}");
    assert!(msg.contains("单位名称"), "{msg}");
    assert!(msg.contains("U+202E"), "{msg}");
    assert!(msg.contains("第 1 项任务"), "{msg}");
    assert!(host.info("test-hostile").is_err());
}

#[test]
fn invisible_characters_in_messages_at_call_time_are_malformed_results() {
    let dir = tempfile::tempdir().unwrap();
    let host = open(dir.path(), None, true);
    host.install_bytes(&package(fixture("hostile"), None), OPTS)
        .unwrap();
    for (form, code) in [("rtl-message", "U+202E"), ("zero-width-message", "U+200B")] {
        let err = host
            .validate("test-hostile", form, &record(), "2021-01-01")
            .unwrap_err();
        assert_eq!(
            err.fault_kind(),
            Some(FaultKind::Malformed),
            "{form}: {err}"
        );
        assert!(err.to_string().contains(code), "{form}: {err}");
        host.enable("test-hostile").unwrap();
    }
}

/// The hostile fixture's description with `tasks` tasks of `roles` roles each; role `j` of
/// task `i` is named by `name(i, j)`.
fn with_tasks(tasks: usize, roles: usize, name: impl Fn(usize, usize) -> String) -> Description {
    let mut d = describe(fixture("hostile"));
    d.plan.tasks = (0..tasks)
        .map(|i| description::Task {
            label: format!("{}", i + 1),
            section: String::new(),
            title: format!("任务{}", i + 1),
            text: "内容".into(),
            roles_text: None,
            roles: (0..roles)
                .map(|j| description::UnitRole {
                    unit: name(i, j),
                    role: Role::Responsible,
                    note: None,
                })
                .collect(),
            deadlines: vec!["2021年底前".into()],
            phase: None,
        })
        .collect();
    d
}

#[test]
fn description_limits_are_enforced_with_messages_naming_them() {
    // 2,000 tasks × 100 new unit names each (200,000 units): passed every check before and
    // hung the import; now refused quickly, naming the limit.
    let d = with_tasks(2000, 100, |i, j| format!("新单位{i}-{j}"));
    let start = Instant::now();
    let e = check::description(&d).unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(e.contains("单位总数上限"), "{e}");
    assert!(e.contains(&MAX_UNIT_NAMES.to_string()), "{e}");
    // At the limit it passes: 2,000 tasks × 100 roles over 1,000 names.
    let d = with_tasks(2000, 100, |i, j| {
        format!("新单位{}", (i * 100 + j) % MAX_UNIT_NAMES)
    });
    check::description(&d).unwrap();
    // Names differing only in spacing or bracket width are one unit.
    let d = with_tasks(1, 2, |_, j| {
        ["各县（区）政府", "各县(区) 政府"][j].to_owned()
    });
    check::description(&d).unwrap();

    let e = check::description(&with_tasks(1, 101, |_, j| format!("单位{j}"))).unwrap_err();
    assert!(e.contains("单位角色有 101 项，超过上限 100"), "{e}");

    let mut d = with_tasks(1, 1, |_, _| "区应急管理局".into());
    d.plan.tasks[0].deadlines = vec!["2021年底前".into(); 21];
    let e = check::description(&d).unwrap_err();
    assert!(e.contains("完成时间有 21 项"), "{e}");

    // All texts together: 300 tasks of 60 KB each (18 MB).
    let mut d = with_tasks(300, 1, |_, _| "区应急管理局".into());
    for t in &mut d.plan.tasks {
        t.text = "长".repeat(20_000);
    }
    let e = check::description(&d).unwrap_err();
    assert!(e.contains("描述总量上限"), "{e}");

    // Fields of all forms together.
    let mut d = describe(fixture("hostile"));
    let field = |i: usize| description::Field {
        name: format!("f{i}"),
        kind: description::FieldKind::Text,
        label: "字段".into(),
        hint: None,
        required: false,
        constraint: None,
        constraint_message: None,
        relevant: None,
        default: None,
        read_only: false,
        calculation: None,
        choices: Vec::new(),
        choice_filter: None,
        unit: None,
    };
    d.forms = (0..6)
        .map(|k| description::Form {
            id: format!("form-{k}"),
            title: "表单".into(),
            fields: (0..1000).map(field).collect(),
        })
        .collect();
    let e = check::description(&d).unwrap_err();
    assert!(e.contains("字段总数上限"), "{e}");
}

#[test]
fn every_text_of_a_description_is_checked_for_invisible_characters() {
    let base = || with_tasks(1, 1, |_, _| "区应急管理局".into());
    type Edit = fn(&mut Description);
    let cases: [(&str, Edit); 8] = [
        ("名称", |d| d.identity.name = "煤矿\u{202D}专项".into()),
        ("方案标题", |d| d.plan.title = "方案\u{2066}".into()),
        ("任务标题", |d| {
            d.plan.tasks[0].title = "任务\u{FEFF}".into()
        }),
        ("任务内容", |d| {
            d.plan.tasks[0].text = "内容\u{1B}[31m".into()
        }),
        ("单位名称", |d| {
            d.plan.tasks[0].roles[0].unit = "区\u{200D}应急管理局".into()
        }),
        ("完成时间", |d| {
            d.plan.tasks[0].deadlines[0] = "2021年\u{200F}底前".into()
        }),
        ("单位名称", |d| {
            d.plan.tasks[0].roles[0].unit = "区应急\n管理局".into()
        }),
        ("单位备注", |d| {
            d.plan.tasks[0].roles[0].note = Some("备注\u{85}".into())
        }),
    ];
    for (what, edit) in cases {
        let mut d = base();
        edit(&mut d);
        let e = check::description(&d).unwrap_err();
        assert!(e.contains(what), "{what}: {e}");
        assert!(e.contains("U+"), "{what}: {e}");
    }
    // Line feeds and tabs are fine in a task's text, and so is ordinary punctuation.
    let mut d = base();
    d.plan.tasks[0].text = "第一段；\n\t第二段（“四化”）。".into();
    check::description(&d).unwrap();
}

#[test]
fn remove_then_install_an_older_version_is_a_downgrade() {
    let dir = tempfile::tempdir().unwrap();
    {
        let host = open(dir.path(), None, true);
        host.install_bytes(&package(fixture("hostile-v2"), None), OPTS)
            .unwrap();
        host.remove("test-hostile").unwrap();
        let (check, msg) = refusal(host.install_bytes(&package(fixture("hostile"), None), OPTS));
        assert_eq!(check, Check::Downgrade, "{msg}");
        assert!(msg.contains("2.0.0") && msg.contains("降级"), "{msg}");
    }
    // Also after a restart (the highest version is in state.json).
    let host = open(dir.path(), None, true);
    let (check, _) = refusal(host.install_bytes(&package(fixture("hostile"), None), OPTS));
    assert_eq!(check, Check::Downgrade);
    // Dropped into the folder under another name: refused the same way.
    std::fs::write(
        dir.path().join("plugins/old.anwpkg"),
        package(fixture("hostile"), None),
    )
    .unwrap();
    host.rescan().unwrap();
    assert!(host.info("test-hostile").is_err());
    assert!(host.refused().iter().any(|(_, m)| m.contains("降级")));
    // With the administrator's permission it installs; the same version again is fine.
    let info = host
        .install_bytes(
            &package(fixture("hostile"), None),
            InstallOptions {
                allow_downgrade: true,
            },
        )
        .unwrap();
    assert_eq!(info.version, "1.0.0");
    host.install_bytes(&package(fixture("hostile-v2"), None), OPTS)
        .unwrap();
}

#[test]
fn a_plan_at_every_limit_installs_in_bounded_time() {
    // 2,000 tasks × 100 roles over 1,000 new unit names: describe, check and the import's
    // conversion (against a scratch directory) at install. Release figures in
    // `cargo bench -p anwei-plugin-host --bench plugins`; this bound is for debug builds.
    let dir = tempfile::tempdir().unwrap();
    let host = open(dir.path(), None, true);
    let pkg = package(fixture("hostile-big-plan"), None);
    let start = Instant::now();
    let info = host.install_bytes(&pkg, OPTS).unwrap();
    let took = start.elapsed();
    assert_eq!(info.sector_id, "test-hostile");
    assert!(took < Duration::from_secs(60), "{took:?}");
    let d = host.describe("test-hostile").unwrap();
    assert_eq!(d.plan.tasks.len(), 2000);
    assert!(d.plan.tasks.iter().all(|t| t.roles.len() == 100));
}

/// A plugin's hazard checklist (API 1.3) is checked like the rest of its content: within the
/// limits, ids well formed and unique, texts on one line without hidden characters.
#[test]
fn hazard_checklists_are_checked_at_install() {
    use anwei_core::{HazardCategory, HazardClause};
    let clause = |id: &str, text: &str| HazardClause {
        id: id.into(),
        text: text.into(),
        line: Some(1),
        major: false,
    };
    let category = |id: &str, clauses: Vec<HazardClause>| HazardCategory {
        id: id.into(),
        name: "类别".into(),
        standard: Some("《判定标准》".into()),
        line: None,
        clauses,
    };
    let with = |hazards: Vec<HazardCategory>| {
        let mut d = describe(fixture("hostile"));
        d.hazards = hazards;
        check::description(&d)
    };
    assert_eq!(with(vec![category("a", vec![clause("1", "甲")])]), Ok(()));
    let refused = |hazards: Vec<HazardCategory>, needle: &str| {
        let e = with(hazards).unwrap_err();
        assert!(e.contains(needle), "{needle} in {e}");
    };
    refused(
        (0..41)
            .map(|i| category(&format!("c{i}"), vec![clause("1", "甲")]))
            .collect(),
        "隐患类别有 41 项，超过上限 40",
    );
    refused(
        vec![category(
            "a",
            (0..61).map(|i| clause(&i.to_string(), "甲")).collect(),
        )],
        "判定条目有 61 项",
    );
    refused(
        vec![category("Not An Id", vec![clause("1", "甲")])],
        "隐患类别编号“Not An Id”无效",
    );
    refused(
        vec![
            category("a", vec![clause("1", "甲")]),
            category("a", vec![clause("1", "乙")]),
        ],
        "重复",
    );
    refused(vec![category("a", vec![])], "判定条目");
    refused(
        vec![category("a", vec![clause("1", "甲\u{202e}乙")])],
        "判定条目",
    );
    refused(vec![category("a", vec![clause("1", "甲\n乙")])], "判定条目");
    refused(
        vec![category("a", vec![clause("1", &"长".repeat(201))])],
        "为空或过长",
    );
}
