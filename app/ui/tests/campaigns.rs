//! More than one campaign in the desk: the top bar's list switches the campaign shown (the
//! choice is kept), the overview says what a campaign is, and an archived one is read-only
//! until it is opened again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_core::Command;
use anwei_ui::{Action, DeskApp};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

fn choose_campaign(h: &mut Harness<'static, DeskApp>, name: &str) {
    h.get_by_role_and_label(Role::ComboBox, "活动").click();
    h.run();
    let id = h
        .query_all_by_label_contains(name)
        .rfind(|n| n.accesskit_node().role() != Role::Label)
        .unwrap_or_else(|| panic!("no campaign {name} in the list"))
        .accesskit_node()
        .id();
    h.get_by(|n| n.id() == id).click();
    h.run();
    common::wait_for_writes(h);
}

#[test]
fn the_top_bar_switches_the_campaign_and_the_choice_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    // 2020-09-01: both demo campaigns are under way; the newest, 麒麟区's, is shown.
    assert_eq!(h.state().model().unwrap().campaign.id, "qilin-2020");
    common::open_tab(&mut h, "任务");
    let qilin_tasks = common::shown_count(&h);
    assert!(qilin_tasks > 57);
    choose_campaign(&mut h, "商洛市推进安全生产领域改革发展重点任务分工（商洛市");
    let model = h.state().model().unwrap();
    assert_eq!(model.campaign.id, "shangluo-2018");
    assert!(model.plans.iter().all(|p| p.campaign == "shangluo-2018"));
    assert!(
        model.targets.is_empty(),
        "the other campaign's targets are not shown"
    );
    h.run();
    assert_eq!(common::shown_count(&h), 57);
    // The overview says what the campaign is, and that it has no phases.
    common::open_tab(&mut h, "总览");
    assert!(h.query_by_label_contains("不属于麒麟区").is_some());
    assert!(h.query_by_label("本活动未分阶段。").is_some());
    // The choice is kept: a desk opened again shows the same campaign.
    drop(h);
    let h = common::harness(common::desk(dir.path()));
    assert_eq!(h.state().model().unwrap().campaign.id, "shangluo-2018");
}

#[test]
fn an_archived_campaign_says_so_and_refuses_progress_until_opened_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = common::desk(dir.path());
    // 2021: 商洛市's 2018–2020 campaign has ended: the overview offers to archive it.
    app.set_today(chrono::NaiveDate::from_ymd_opt(2021, 3, 1).unwrap());
    app.apply_actions(vec![Action::apply(Command::SetCurrentCampaign {
        campaign: "shangluo-2018".into(),
    })]);
    let mut h = common::harness(app);
    common::open_tab(&mut h, "总览");
    h.get_by_label("归档本活动").click();
    h.run();
    common::wait_for_writes(&mut h);
    assert!(h.state().model().unwrap().campaign.archived);
    assert!(h.query_by_label("已归档（只读）").is_some());
    assert!(
        h.query_by_label("本活动已归档：只读，任务和指标不再接受修改")
            .is_some()
    );
    // A progress entry is refused, with the reason in the status line.
    h.state_mut()
        .apply_actions(vec![Action::apply(Command::AddProgress {
            task: "reform/1".into(),
            date: chrono::NaiveDate::from_ymd_opt(2021, 3, 1).unwrap(),
            text: "已完成".into(),
            percent: None,
            done: true,
            attach: Vec::new(),
            milestone: None,
        })]);
    h.run();
    assert!(
        h.query_by_label_contains("已归档，只读").is_some(),
        "the refusal is said"
    );
    h.get_by_label("重新打开").click();
    h.run();
    common::wait_for_writes(&mut h);
    assert!(!h.state().model().unwrap().campaign.archived);
}

/// A campaign that has ended is shown as it stood on its last day, said in the top bar; the
/// user can look at it as of today; a campaign chosen afterwards is fitted again.
#[test]
fn an_ended_campaign_is_shown_as_of_its_last_day_until_the_user_picks_today() {
    let dir = tempfile::tempdir().unwrap();
    // No as-of date given: the desk fits it (the demo's campaigns ended in 2022 and 2020).
    let mut app = DeskApp::open(dir.path(), "测试员");
    app.wait_for_plugins();
    let mut h = common::harness(app);
    h.run();
    let model = h.state().model().unwrap();
    assert_eq!(model.campaign.id, "qilin-2020");
    assert_eq!(model.today.to_string(), "2022-12-31");
    assert!(h.state().as_of_is_campaign_end());
    assert!(
        h.query_by_label("活动已于 2022-12-31 结束：状态按结束之日显示")
            .is_some()
    );
    // Switched to 商洛市's: as of its own last day.
    choose_campaign(&mut h, "商洛市推进安全生产领域改革发展重点任务分工（商洛市");
    h.run();
    assert_eq!(h.state().model().unwrap().today.to_string(), "2020-12-31");
    // 按今天查看: the user's choice, kept across a switch.
    h.get_by_label("按今天查看").click();
    h.run();
    let real = chrono::Local::now().date_naive();
    assert_eq!(h.state().model().unwrap().today, real);
    assert!(!h.state().as_of_is_campaign_end());
    choose_campaign(&mut h, "麒麟区安全生产专项整治三年行动（");
    h.run();
    assert_eq!(h.state().model().unwrap().today, real);
}

/// A campaign from a file that names no phases and works by yearly checkpoints and actions:
/// the overview lists its checkpoints and actions, a task's detail its actions and that the
/// campaign has no phases, the 时间轴 its tasks — nothing assumes 2020–2022.
#[test]
fn a_campaign_without_phases_shows_its_checkpoints_and_actions() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = common::desk(dir.path());
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/examples/campaign-2024.json");
    let data = anwei_exchange::load_campaign_json(&std::fs::read_to_string(file).unwrap()).unwrap();
    app.set_today(chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap());
    app.apply_actions(vec![
        Action::apply(Command::ImportCampaign {
            data: Box::new(data),
        }),
        Action::apply(Command::SetCurrentCampaign {
            campaign: "qilin-2024".into(),
        }),
    ]);
    app.wait_for_writes();
    let mut h = common::harness(app);
    common::open_tab(&mut h, "总览");
    assert!(h.query_by_label("本活动未分阶段。").is_some());
    assert!(h.query_by_label("2025年度节点（2025-12-31）").is_some());
    assert!(
        h.query_by_label("示例行动一：重大事故隐患动态清零（3 项任务）")
            .is_some()
    );
    h.state_mut()
        .apply_actions(vec![Action::OpenTask("zhiben-2024/1".into())]);
    h.run();
    assert!(h.query_by_label("阶段：本活动未分阶段").is_some());
    assert!(
        h.query_by_label("行动：示例行动一：重大事故隐患动态清零")
            .is_some()
    );
    let model = h.state().model().unwrap();
    assert_eq!(model.rows.len(), 5);
    let shown = anwei_ui::panels::TimelineState::default().tasks(model);
    assert_eq!(shown.len(), 5);
}

/// A sector plugin's plan goes to the campaign the user picks on the 插件 tab: it leaves the
/// campaign shown and is in the other one, with its tasks.
#[test]
fn the_plugins_tab_attaches_a_sector_plan_to_another_campaign() {
    use egui::accesskit::Role;
    let dir = tempfile::tempdir().unwrap();
    let mut app = common::desk(dir.path());
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/examples/campaign-2024.json");
    let data = anwei_exchange::load_campaign_json(&std::fs::read_to_string(file).unwrap()).unwrap();
    app.apply_actions(vec![Action::apply(Command::ImportCampaign {
        data: Box::new(data),
    })]);
    app.wait_for_writes();
    assert!(app.model().unwrap().plan("coal-mining").is_some());
    let mut h = common::harness(app);
    common::open_tab(&mut h, "插件");
    h.get_by_label_contains("（coal-mining）").click();
    h.run();
    assert!(h.query_by_label_contains("所属活动：").is_some());
    h.get_by_role_and_label(Role::ComboBox, "移到活动").click();
    h.run();
    // The list's entry (the popup is drawn last).
    h.get_all_by_label_contains("治本攻坚")
        .last()
        .unwrap()
        .click();
    h.run();
    common::wait_for_writes(&mut h);
    let model = h.state().model().unwrap();
    assert!(
        model.plan("coal-mining").is_none(),
        "gone from the campaign shown"
    );
    assert!(model.rows.iter().all(|r| r.plan != "coal-mining"));
    assert!(
        h.state()
            .status()
            .text()
            .contains("归入活动“示例：安全生产治本攻坚三年行动"),
        "{}",
        h.state().status().text()
    );
    let store = h.state().store().unwrap();
    assert_eq!(
        store.plan("coal-mining").unwrap().unwrap().campaign,
        "qilin-2024"
    );
}
