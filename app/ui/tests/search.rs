//! 搜索 (Ctrl+K): one field over tasks, progress text, units (any spelling), targets and
//! issued notices; a hit opens its item.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_core::Command;
use anwei_ui::panels::{Hit, search};
use anwei_ui::{Action, Tab};
use chrono::NaiveDate;
use egui_kittest::kittest::{NodeT, Queryable};

#[test]
fn ctrl_k_finds_tasks_progress_units_and_targets_and_opens_a_task() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    let task = h.state().model().unwrap().rows[3].clone();
    h.state_mut()
        .apply_actions(vec![Action::apply(Command::AddProgress {
            task: task.id.clone(),
            date: NaiveDate::from_ymd_opt(2020, 8, 1).unwrap(),
            text: "已召开部署会暨培训班第三期".into(),
            percent: Some(30),
            done: false,
            attach: Vec::new(),
            milestone: None,
        })]);
    h.run();
    // The search itself, by kind.
    let model = h.state().model().unwrap();
    let hits = search(model, "培训班第三期");
    assert_eq!(hits.len(), 1);
    assert!(matches!(&hits[0], Hit::Progress { task: t, .. } if *t == task.id));
    let alias = search(model, "区住房城乡建设局");
    assert!(
        alias
            .iter()
            .any(|h| matches!(h, Hit::Unit { name, .. } if name == "区住建局"))
    );
    let target = &model.targets[0];
    assert!(
        search(model, &target.name)
            .iter()
            .any(|h| matches!(h, Hit::Target { id, .. } if *id == target.id))
    );
    assert!(search(model, "  ").is_empty());

    // In the window: Ctrl+K, type, click the hit: the task opens.
    assert!(h.query_by_label("查找").is_none(), "closed at first");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run();
    h.get_by_label("查找").type_text("培训班第三期");
    h.run();
    // The registers are searched on a worker: wait for its answer.
    h.state_mut().wait_for_plugins();
    h.run();
    assert!(h.query_by_label("找到 1 项").is_some());
    h.get_by_label_contains("已召开部署会暨培训班第三期")
        .click();
    h.run();
    assert_eq!(h.state().tab(), Some(Tab::Tasks));
    assert_eq!(h.state().open_task(), Some(task.id.as_str()));
    assert!(h.query_by_label("查找").is_none(), "the window closes");
}

/// Every register is searched on a worker, not only the ledger open: a record found opens in
/// the 台账 editor; a deleted one is not found; a submission is found by its unit or text.
#[test]
fn ctrl_k_finds_records_of_every_register_and_submissions() {
    use std::collections::BTreeMap;
    let dir = tempfile::tempdir().unwrap();
    let mut app = common::desk(dir.path());
    let record = |name: &str| {
        let values: BTreeMap<String, anwei_core::Value> = [
            ("name", anwei_core::Value::Text(name.into())),
            ("town", anwei_core::Value::Text("越州镇".into())),
            (
                "ownership",
                anwei_core::Value::Choices(vec!["private".into()]),
            ),
            (
                "status",
                anwei_core::Value::Choices(vec!["producing".into()]),
            ),
            ("scale", anwei_core::Value::Choices(vec!["medium".into()])),
            ("capacity", anwei_core::Value::Decimal(30.0)),
            (
                "gas_class",
                anwei_core::Value::Choices(vec!["other".into()]),
            ),
            ("group", anwei_core::Value::Choices(vec!["keep".into()])),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        Action::apply(Command::AddRecord {
            form: "coal-mining/mine-register".into(),
            form_version: "1.0.0".into(),
            values,
            draft: false,
        })
    };
    app.apply_actions(vec![record("青龙山煤矿"), record("白龙潭煤矿")]);
    app.wait_for_writes();
    let gone = app
        .store()
        .unwrap()
        .records("coal-mining/mine-register")
        .unwrap()[1]
        .id;
    app.apply_actions(vec![Action::apply(Command::DeleteRecord { id: gone })]);
    app.wait_for_writes();
    let mut h = common::harness(app);
    h.run();
    assert!(
        h.state().model().unwrap().ledger.is_none(),
        "no ledger open"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run();
    h.get_by_label("查找").type_text("青龙山");
    h.run();
    h.state_mut().wait_for_plugins();
    h.run();
    assert!(h.query_by_label("找到 1 项").is_some());
    let hit = h.get_by_label_contains("煤矿台账");
    let text = hit.accesskit_node().label().unwrap_or_default();
    assert!(text.contains("青龙山煤矿"), "{text}");
    hit.click();
    h.run();
    assert_eq!(h.state().tab(), Some(Tab::Ledger));
    assert!(h.state().ledger_state().unwrap().editor_open());
    // A deleted record is not found.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run();
    common::set_field(&mut h, "查找", "白龙潭");
    h.state_mut().wait_for_plugins();
    h.run();
    assert!(h.query_by_label("找到 0 项").is_some());
    // A unit's submission, by what it says.
    let unit = h.state().model().unwrap().units.units()[0].id.clone();
    h.state_mut().apply_actions(vec![
        Action::apply(Command::SetReporting {
            reporting: anwei_core::reports::Reporting {
                remind_days: 5,
                office_reports: vec![anwei_core::reports::OfficeReport {
                    id: "monthly".into(),
                    name: "月报".into(),
                    recurrence: anwei_core::Recurrence::Monthly,
                    grace_days: 5,
                    units: vec![unit.clone()],
                    campaign: None,
                }],
            },
        }),
        Action::apply(Command::SubmitReport {
            unit,
            report: "monthly".into(),
            period_start: NaiveDate::from_ymd_opt(2020, 8, 1).unwrap(),
            date: NaiveDate::from_ymd_opt(2020, 8, 31).unwrap(),
            what: "八月份隐患排查专报".into(),
            late_reason: None,
            attach: Vec::new(),
        }),
    ]);
    common::wait_for_writes(&mut h);
    let hits = search(h.state().model().unwrap(), "隐患排查专报");
    assert!(
        matches!(&hits[..], [Hit::Submission { report, .. }] if report == "monthly"),
        "{hits:?}"
    );
}
