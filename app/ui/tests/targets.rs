//! 指标: the cross-sector target table — the coal targets without data, then 达标 after the 16
//! mines of seed 001 are registered; a value entered by hand; filtering by status.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;

use anwei_core::{Command, TargetStatus, Value};
use anwei_ui::{Action, DeskApp, Tab};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

const FORM: &str = "coal-mining/mine-register";

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn choice(s: &str) -> Value {
    Value::Choices(vec![s.to_owned()])
}

fn mine(name: &str, group: &str, capacity: f64, extra: &[(&str, Value)]) -> Command {
    let mut v: BTreeMap<String, Value> = [
        ("name", text(name)),
        ("town", text("越州镇")),
        ("ownership", choice("private")),
        ("status", choice("producing")),
        ("scale", choice("medium")),
        ("capacity", Value::Decimal(capacity)),
        ("gas_class", choice("other")),
        ("group", choice(group)),
        ("monitoring_upgraded", Value::Date("2020-06-01".into())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    for (k, val) in extra {
        v.insert((*k).to_owned(), val.clone());
    }
    Command::AddRecord {
        form: FORM.into(),
        form_version: "1.0.0".into(),
        values: v,
        draft: false,
    }
}

/// The 16 mines of seed 001 L201 (see `app/plugin-host/tests/coal.rs` `register_16`).
fn register_16() -> Vec<Command> {
    let mut out = Vec::new();
    let yes = |f: &'static str| (f, Value::Flag(true));
    for (i, cap) in [90.0, 60.0, 60.0, 45.0, 45.0].into_iter().enumerate() {
        let g = ["grade1", "grade1", "grade2", "grade2", "grade3"][i];
        out.push(mine(
            &format!("K{i}煤矿"),
            "keep",
            cap,
            &[
                ("standardisation", choice(g)),
                yes("mech_mining"),
                yes("mech_heading"),
            ],
        ));
    }
    for (i, cap) in [90.0, 75.0, 60.0].into_iter().enumerate() {
        out.push(mine(
            &format!("M{i}煤矿"),
            "merge_keep",
            cap,
            &[
                ("standardisation", choice("grade2")),
                yes("fully_mech"),
                yes("mech_mining"),
            ],
        ));
    }
    for i in 0..4 {
        out.push(mine(&format!("MC{i}煤矿"), "merge_close", 15.0, &[]));
        out.push(mine(
            &format!("C{i}煤矿"),
            "close",
            9.0,
            &[("status", choice("closed"))],
        ));
    }
    out
}

/// A coal target entered by hand (no form computes it).
const FACES: &str = "新增自动化无人(少人)采煤工作面";

fn status_of(app: &DeskApp, target: &str) -> TargetStatus {
    app.model()
        .unwrap()
        .target_rows
        .iter()
        .find(|r| r.target.id == target)
        .unwrap_or_else(|| panic!("no target {target}"))
        .status
}

/// "显示 N 项" above the table.
fn shown(h: &Harness<'static, DeskApp>) -> usize {
    let node = h.get_by_label_contains("显示 ");
    let label = node
        .value()
        .or_else(|| node.accesskit_node().label())
        .unwrap_or_default();
    label
        .trim_start_matches("显示 ")
        .trim_end_matches(" 项")
        .parse()
        .unwrap_or_else(|_| panic!("not a count: {label}"))
}

/// Picks `option` in the combo box `combo`.
fn choose_in(h: &mut Harness<'static, DeskApp>, combo: &str, option: &str) {
    h.get_by_role_and_label(Role::ComboBox, combo).click();
    h.run();
    h.query_all_by_label(option)
        .rfind(|n| n.accesskit_node().role() != Role::Label)
        .unwrap_or_else(|| panic!("no option {option}"))
        .click();
    h.run();
}

fn choose_status(h: &mut Harness<'static, DeskApp>, label: &str) {
    h.get_by_role_and_label(Role::ComboBox, "状态").click();
    h.run();
    h.query_all_by_label(label)
        .rfind(|n| n.accesskit_node().role() != Role::Label)
        .unwrap()
        .click();
    h.run();
}

#[test]
fn coal_targets_have_no_data_until_the_16_mines_are_registered_then_are_met() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    let model = h.state().model().unwrap();
    let coal: Vec<_> = model
        .target_rows
        .iter()
        .filter(|r| r.target.plan == "coal-mining")
        .collect();
    assert_eq!(
        coal.len(),
        56,
        "the coal plugin's targets, imported with its plan"
    );
    for id in ["mine-count", "avg-capacity", "capacity", "output"] {
        assert_eq!(
            status_of(h.state(), &format!("coal-mining/{id}")),
            TargetStatus::NoData,
            "{id}"
        );
    }
    // 下降≥ targets whose 2019 figure is still to be entered.
    assert_eq!(
        status_of(h.state(), "coal-mining/deaths"),
        TargetStatus::NoBaseline
    );
    common::open_tab(&mut h, "指标");
    // The 专题's targets come first: the coal sector's rows.
    choose_in(&mut h, "行业", "煤矿安全专项整治");
    assert!(h.query_by_label("全区煤矿数量").is_some());
    assert!(h.query_by_label("保留煤矿平均单井规模").is_some());
    // Each checkpoint in the source's words (the table shows the first rows).
    assert!(h.query_by_label("2022: ≤8处").is_some());
    assert!(h.query_by_label("2022: ≥60万吨/年").is_some());
    assert!(h.query_all_by_label("2019年：待录入").count() >= 3);
    let summary = h.state().model().unwrap().target_summary;
    // All but the 3 缺基数 and the 专题's 8 progress-fed duties (0 entries counted: a figure).
    let fed = h
        .state()
        .model()
        .unwrap()
        .targets
        .iter()
        .filter(|t| t.progress_of.is_some())
        .count();
    assert_eq!(fed, 8);
    assert_eq!(summary.no_data, summary.total() - 3 - fed);
    assert!(
        h.query_by_label(&format!("无数据 {}", summary.no_data))
            .is_some(),
        "counts by status at the top"
    );
    assert_eq!(
        h.state().computes_started(),
        0,
        "no records: nothing to compute"
    );

    h.state_mut()
        .apply_actions(register_16().into_iter().map(Action::apply).collect());
    h.state_mut().wait_for_plugins();
    h.run();
    let computed = &h.state().model().unwrap().computed;
    assert_eq!(computed.district.get("coal-mining/mine-count"), Some(&8.0));
    assert_eq!(
        computed.district.get("coal-mining/avg-capacity"),
        Some(&65.625)
    );
    assert_eq!(
        status_of(h.state(), "coal-mining/mine-count"),
        TargetStatus::Met
    );
    assert_eq!(
        status_of(h.state(), "coal-mining/avg-capacity"),
        TargetStatus::Met
    );
    // 16 saves in one burst: the form was computed once.
    assert_eq!(h.state().computes_started(), 1);
    assert!(h.query_by_label("8 处（由台账计算）").is_some());
    assert!(h.query_by_label("65.625 万吨/年（由台账计算）").is_some());

    // The mine count's detail: the chart and no hand entry (a form feeds it).
    h.get_by_label("全区煤矿数量").click();
    h.run();
    assert_eq!(
        h.state().targets_state().unwrap().selected.as_deref(),
        Some("coal-mining/mine-count")
    );
    assert!(h.query_by_label("指标详情").is_some());
    assert!(h.query_by_label("由“煤矿台账”台账计算").is_some());
    assert!(h.query_by_label("录入").is_none());
    assert!(h.query_by_label_contains("目标值与实际值").is_some());
}

#[test]
fn a_value_entered_by_hand_changes_the_status_and_the_status_filter_finds_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "指标");
    let total = h.state().model().unwrap().target_rows.len();
    assert_eq!(shown(&h), total);
    assert_eq!(
        status_of(h.state(), "coal-mining/new-automated-faces"),
        TargetStatus::NoData
    );
    // 新增自动化无人(少人)采煤工作面 (no form computes it): 0 in 2020, 2 by 2021, 5 by 2022.
    // The coal sector's rows, then scrolled to its row (the table is virtual).
    choose_in(&mut h, "行业", "煤矿安全专项整治");
    let over_table = h.get_by_label("全区煤矿数量").rect().center();
    for _ in 0..60 {
        if h.query_by_label(FACES).is_some() {
            break;
        }
        // The rows' tooltips keep repainting under the pointer: run a fixed number of frames.
        h.hover_at(over_table);
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -120.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        });
        h.run_steps(8);
    }
    h.get_by_label(FACES).click();
    h.run();
    choose_in(&mut h, "行业", "全部");
    h.run();
    assert!(h.query_by_label("人工填报").is_some());
    common::set_field(&mut h, "数值", "1");
    common::set_field(&mut h, "来源", "区统计局月报");
    common::click(&mut h, "录入");
    h.run();
    assert!(
        h.state().status().text().contains("录入指标值"),
        "{:?}",
        h.state().status()
    );
    // In the user's words: the target's name, not its id.
    assert!(
        !h.state().status().text().contains("coal-mining/"),
        "{:?}",
        h.state().status()
    );
    assert_eq!(
        status_of(h.state(), "coal-mining/new-automated-faces"),
        TargetStatus::OnTrack
    );
    assert!(
        h.query_all_by_label("1 个（填报 2020-09-01，区统计局月报）")
            .count()
            >= 1,
        "in the table and the detail"
    );
    let stored = h.state().store().unwrap().targets().unwrap();
    let faces = stored
        .iter()
        .find(|t| t.id == "coal-mining/new-automated-faces")
        .unwrap();
    assert_eq!(faces.measurements.len(), 1);
    assert_eq!(faces.measurements[0].value, 1.0);

    // Only the targets 按计划.
    choose_status(&mut h, "按计划");
    let on_track = h
        .state()
        .model()
        .unwrap()
        .target_rows
        .iter()
        .filter(|r| r.status == TargetStatus::OnTrack)
        .count();
    assert!(on_track >= 1);
    assert_eq!(shown(&h), on_track);
    assert!(h.query_all_by_label(FACES).count() >= 1);
    assert!(h.query_by_label("全区煤矿数量").is_none());
    choose_status(&mut h, "缺基数");
    assert_eq!(shown(&h), 3);
    choose_status(&mut h, "全部");
    assert_eq!(shown(&h), total);

    // 1 face meets 2020's 0; by 2021-03-01 the checkpoint that applies is 2021's 2: 滞后.
    h.state_mut()
        .set_today(chrono::NaiveDate::from_ymd_opt(2021, 3, 1).unwrap());
    h.run();
    common::set_field(&mut h, "数值", "1");
    common::click(&mut h, "录入");
    h.run();
    assert_eq!(
        status_of(h.state(), "coal-mining/new-automated-faces"),
        TargetStatus::Behind
    );
    // An invalid number is refused at the form.
    common::set_field(&mut h, "数值", "很多");
    common::click(&mut h, "录入");
    assert!(h.query_by_label("数值无效，请填写数字").is_some());
}

#[test]
fn the_as_of_date_is_the_desks_today() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = common::desk(dir.path());
    app.apply_actions(register_16().into_iter().map(Action::apply).collect());
    // Values are computed when the 指标 tab shows them.
    app.set_tab(Tab::Targets);
    app.wait_for_plugins();
    assert_eq!(status_of(&app, "coal-mining/mine-count"), TargetStatus::Met);
    // 监控系统升级 of the other mines: 100% due 2020-12-30; every mine upgraded by 2020-06-01.
    assert_eq!(
        status_of(&app, "coal-mining/monitoring-upgrade-other"),
        TargetStatus::Met
    );
    let before = app.computes_started();
    app.set_today(chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap());
    app.wait_for_plugins();
    assert_eq!(
        app.computes_started(),
        before + 1,
        "recomputed as of the new day"
    );
    assert_eq!(
        app.model().unwrap().computed.as_of,
        chrono::NaiveDate::from_ymd_opt(2023, 1, 1)
    );
    // Still 8 mines in 2023: met; 原煤产量 never entered: 无数据.
    assert_eq!(status_of(&app, "coal-mining/mine-count"), TargetStatus::Met);
    assert_eq!(status_of(&app, "coal-mining/output"), TargetStatus::NoData);
}

/// A 进展报告 asks for the target values as the 指标 tab does: made while a form's values
/// are not computed, it says so; once computed, it states them.
#[test]
fn the_progress_report_computes_the_targets_it_states() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    h.state_mut()
        .apply_actions(register_16().into_iter().map(Action::apply).collect());
    h.state_mut().wait_for_plugins();
    h.run();
    // Not shown anywhere yet: not computed, and known to be pending.
    assert_eq!(h.state().computes_started(), 0);
    assert_eq!(
        h.state().model().unwrap().targets_pending,
        vec!["煤矿台账".to_owned()]
    );
    common::open_tab(&mut h, "打印");
    h.get_by_label("进展报告").click();
    h.run();
    h.state_mut().wait_for_plugins();
    h.run();
    assert_eq!(h.state().computes_started(), 1);
    assert!(h.state().model().unwrap().targets_pending.is_empty());
    h.get_by_label("生成预览").click();
    let start = std::time::Instant::now();
    while h.state().print_state().unwrap().document().is_none() {
        assert!(start.elapsed() < std::time::Duration::from_secs(120));
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.run();
    let text = h
        .state()
        .print_state()
        .unwrap()
        .document()
        .unwrap()
        .plain_text()
        .replace('\n', "");
    assert!(text.contains("全区煤矿数量"), "{text}");
    assert!(text.contains("8处"), "{text}");
    assert!(!text.contains("尚未算完"), "{text}");
}

/// A target marked 不适用 in its detail: its status says so with the reason, the counts
/// name it apart from every status total, the status filter finds it, and "恢复为适用"
/// brings it back.
#[test]
fn a_target_is_marked_not_applicable_in_its_detail_and_back() {
    const COUNT: &str = "全区煤矿数量";
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "指标");
    let id = h
        .state()
        .model()
        .unwrap()
        .target_rows
        .iter()
        .find(|r| r.target.name == COUNT)
        .unwrap()
        .target
        .id
        .clone();
    let before = status_of(h.state(), &id);
    let total = h.state().model().unwrap().target_summary.total();
    choose_in(&mut h, "行业", "煤矿安全专项整治");
    h.get_by_label(COUNT).click();
    h.run();
    common::click(&mut h, "标为不适用…");
    common::set_field(&mut h, "理由：", "本区已无煤矿");
    // The detail's grid grows by a row: a few frames to settle.
    h.get_by_label("标为不适用").click();
    h.run_steps(8);
    assert_eq!(status_of(h.state(), &id), TargetStatus::NotApplicable);
    let summary = h.state().model().unwrap().target_summary;
    assert_eq!((summary.total(), summary.not_applicable), (total - 1, 1));
    assert!(h.query_by_label("不适用理由").is_some());
    assert!(h.query_by_label_contains("另有不适用 1 项").is_some());
    choose_in(&mut h, "行业", "全部");
    choose_status(&mut h, "不适用");
    assert_eq!(shown(&h), 1);
    choose_status(&mut h, "全部");
    h.get_by_label("恢复为适用").click();
    h.run_steps(8);
    assert_eq!(status_of(h.state(), &id), before);
    assert_eq!(h.state().model().unwrap().target_summary.not_applicable, 0);
}

/// A recurring duty's detail shows its periods over the campaign with their due dates and
/// how each stands: the 11 quarters of the campaign (2020-04-01 to 2022-12-31), none
/// reported, all 逾期未完成.
#[test]
fn a_recurring_duty_shows_each_period_with_its_due_date() {
    const DUTY: &str = "理论学习中心组研究分析常态化学习宣传贯彻推进落实情况";
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    h.state_mut()
        .set_today(chrono::NaiveDate::from_ymd_opt(2023, 3, 1).unwrap());
    common::open_tab(&mut h, "指标");
    h.get_by_label(DUTY).click();
    h.run();
    common::click(&mut h, "各期完成情况（11 期，逾期未完成 11 期）");
    assert!(h.query_by_label("2020-04-01 至 2020-06-30").is_some());
    assert!(h.query_by_label("2022-10-01 至 2022-12-31").is_some());
    assert_eq!(h.query_all_by_label("逾期未完成").count(), 11);
}
