//! The sector plugins of step 5 in the window: each plan in the task table, each form in
//! 台账, each plan's targets in 指标, and a rule's result at the record and in the ledger.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;

use anwei_core::{Command, Value};
use anwei_ui::{Action, DeskApp, Tab};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

/// Sector id, plan title, task count, target count, the forms' titles.
const SECTORS: [(&str, &str, usize, usize, &[&str]); 9] = [
    (
        "hazardous-chemicals",
        "危险化学品烟花爆竹安全生产专项整治三年行动实施方案",
        21,
        44,
        &["危险化学品企业台账", "化工园区台账", "烟花爆竹零售网点台账"],
    ),
    (
        "non-coal-mines",
        "非煤矿山安全专项整治三年行动实施方案",
        14,
        16,
        &["非煤矿山台账", "尾矿库台账", "非煤矿山外包工程台账"],
    ),
    (
        "hazardous-waste",
        "危险废物安全专项整治三年行动实施方案",
        4,
        8,
        &[
            "涉危险废物企业台账",
            "危险废物贮存台账",
            "危险废物转移联单台账",
        ],
    ),
    (
        "dust-explosion",
        "粉尘涉爆等安全专项整治三年行动实施方案",
        8,
        4,
        &["粉尘涉爆企业台账", "垃圾处理场、建筑垃圾消纳场和渣土场台账"],
    ),
    (
        "fire",
        "消防安全专项整治三年行动实施方案",
        24,
        42,
        &[
            "镇(街道)消防安全底数及整治进度台账",
            "占用、堵塞、封闭消防车通道违法行为查处台账",
            "“九小场所”消防安全台账",
        ],
    ),
    (
        "roads",
        "强化道路交通安全管理专项整治三年行动方案",
        16,
        16,
        &[
            "重点车辆检验报废及缉查布控台账",
            "道路交通安全隐患路段台账（公路安全隐患基础数据库）",
            "通报记录（交通违法分析研判、重点车辆违法、隐患清单）",
        ],
    ),
    (
        "waterways",
        "交通运输(铁路、邮政、水上)和渔业船舶安全专项整治三年行动实施方案",
        32,
        21,
        &[
            "重大风险清单（基础信息、防控责任、监测监控、防范措施、应急处置5个清单）",
            "重大事故隐患台账",
            "典型生产安全事故台账",
        ],
    ),
    (
        "construction",
        "城市建设安全生产专项整治三年行动实施方案",
        23,
        17,
        &["问题隐患清单", "制度措施清单", "改建改用建筑台账"],
    ),
    (
        "industrial-parks",
        "工业园区安全生产专项整治三年行动实施方案",
        24,
        16,
        &["园区企业台账", "特种设备台账", "小散乱企业整治台账"],
    ),
];

fn choose(h: &mut Harness<'static, DeskApp>, combo: &str, option: &str) {
    h.get_by_role_and_label(Role::ComboBox, combo).click();
    h.run();
    // The list of ten sectors scrolls: bring the option into view first.
    let option_node = |h: &Harness<'static, DeskApp>| {
        h.query_all_by_label_contains(option)
            .rfind(|n| n.accesskit_node().role() != Role::Label)
            .unwrap_or_else(|| panic!("no option {option} in {combo}"))
            .accesskit_node()
            .id()
    };
    let id = option_node(h);
    h.get_by(|n| n.id() == id).scroll_to_me();
    h.run();
    let id = option_node(h);
    h.get_by(|n| n.id() == id).click();
    h.run();
}

#[test]
fn each_sector_plan_is_in_the_task_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "任务");
    for (sector, title, tasks, ..) in SECTORS {
        choose(&mut h, "方案", title);
        assert_eq!(common::shown_count(&h), tasks, "{sector}");
        // The plan's first task is the table's first row, its label as written.
        let model = h.state().model().unwrap();
        let first = model
            .tasks
            .iter()
            .filter(|t| t.plan == sector)
            .min_by_key(|t| t.order)
            .unwrap()
            .clone();
        assert!(
            h.query_by_label(&first.title).is_some(),
            "{sector}: {} shown",
            first.title
        );
    }
}

#[test]
fn each_sectors_forms_are_in_the_ledger_and_its_targets_in_the_target_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "台账");
    h.state_mut().wait_for_plugins();
    h.run();
    // The forms are grouped by sector: a sector chosen on the 行业 row shows its forms (and
    // opens the first), and no other sector's.
    for (sector, _, _, _, forms) in SECTORS {
        let short = h
            .state()
            .plugins_view()
            .unwrap()
            .plugin(sector)
            .unwrap()
            .short_name
            .clone();
        h.get_by_label_contains(&format!("{short}（")).click();
        h.run();
        let open = h
            .state()
            .model()
            .unwrap()
            .ledger
            .as_ref()
            .unwrap()
            .form()
            .id
            .clone();
        assert!(
            open.starts_with(&format!("{sector}/")),
            "{sector}: opened {open}"
        );
        for title in forms {
            assert!(
                h.query_by_label_contains(&format!("{title}（")).is_some(),
                "{sector}: form {title} in 台账"
            );
        }
        for (other, _, _, _, other_forms) in SECTORS {
            if other != sector {
                assert!(
                    h.query_by_label_contains(&format!("{}（", other_forms[0]))
                        .is_none(),
                    "{sector}: {other}'s forms not shown"
                );
            }
        }
    }
    common::open_tab(&mut h, "指标");
    h.state_mut().wait_for_plugins();
    h.run();
    let model = h.state().model().unwrap();
    for (sector, _, _, targets, _) in SECTORS {
        let rows: Vec<_> = model
            .target_rows
            .iter()
            .filter(|r| r.target.plan == sector)
            .collect();
        assert_eq!(rows.len(), targets, "{sector}");
    }
    // Chosen by 行业, the table shows each sector's targets, its first one drawn.
    let firsts: Vec<(usize, String, String)> = SECTORS
        .iter()
        .map(|(sector, _, _, targets, _)| {
            let first = model
                .target_rows
                .iter()
                .find(|r| r.target.plan == *sector)
                .unwrap()
                .target
                .name
                .clone();
            let plugin = h.state().plugins_view().unwrap().plugin(sector).unwrap();
            (*targets, plugin.name.clone(), first)
        })
        .collect();
    for (targets, sector_name, first) in firsts {
        choose(&mut h, "行业", &sector_name);
        let shown = h.get_by_label_contains("显示 ");
        let label = shown
            .value()
            .or_else(|| shown.accesskit_node().label())
            .unwrap_or_default();
        assert_eq!(label, format!("显示 {targets} 项"), "{sector_name}");
        assert!(
            h.query_all_by_label(&first).next().is_some(),
            "{first} in 指标"
        );
    }
}

fn dust_enterprise(name: &str, workers: i64) -> Command {
    let values: BTreeMap<String, Value> = [
        ("enterprise", Value::Text(name.into())),
        ("town", Value::Text("越州镇".into())),
        ("in_industrial_park", Value::Flag(false)),
        ("industry", Value::Choices(vec!["machinery".into()])),
        ("dust_type", Value::Choices(vec!["metal".into()])),
        ("dust_workers", Value::Integer(workers)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    Command::AddRecord {
        form: "dust-explosion/dust-enterprise".into(),
        form_version: "1.0.0".into(),
        values,
        draft: false,
    }
}

/// 附件12: 10 people or more in the dust workplace make a 重点企业 — shown in the ledger's
/// 规则判定 column for each row, and under the record when it is opened.
#[test]
fn a_rules_result_shows_in_the_ledger_and_at_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    h.state_mut().wait_for_plugins();
    for c in [
        dust_enterprise("甲机械厂", 10),
        dust_enterprise("乙机械厂", 9),
    ] {
        h.state_mut().queue_actions(vec![Action::apply(c)]);
        h.run();
    }
    common::wait_for_writes(&mut h);
    common::open_tab(&mut h, "台账");
    h.state_mut().queue_actions(vec![Action::OpenLedger(
        "dust-explosion/dust-enterprise".into(),
    )]);
    h.run();
    assert_eq!(h.state().tab(), Some(Tab::Ledger));
    // The rows ask the plugin; the answers come on a later frame.
    for _ in 0..3 {
        h.state_mut().wait_for_plugins();
        h.run();
    }
    h.get_by_label("规则判定");
    let cell = |h: &Harness<'static, DeskApp>, value: &str| {
        h.query_all_by_label_contains(value).next().is_some()
    };
    assert!(cell(&h, "重点企业"), "10 people: 重点企业");
    assert!(cell(&h, "一般企业"), "9 people: 一般企业");
    // Opened, the record shows the rule with its reason.
    h.get_by_label("甲机械厂").click();
    h.run();
    for _ in 0..3 {
        h.state_mut().wait_for_plugins();
        h.run();
    }
    assert!(
        h.query_all_by_label_contains("粉尘作业场所10人及以上，列为重点企业")
            .next()
            .is_some(),
        "the reason under the record"
    );
}

/// Where the source disagrees with itself the task shows the note (附件12 spells 区发改局 two
/// ways); the unit directory shows where each other spelling of a unit was read (附件4's
/// "麒麟区区人民政府", a typo on line 230, is the same body as 区人民政府).
#[test]
fn a_source_note_shows_at_its_task_and_the_directory_where_an_alias_was_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "任务");
    let task = h
        .state()
        .model()
        .unwrap()
        .tasks
        .iter()
        .find(|t| t.plan == "dust-explosion" && t.label == "(四)1")
        .unwrap()
        .id
        .clone();
    h.state_mut().queue_actions(vec![Action::OpenTask(task)]);
    h.run();
    h.run();
    assert!(
        h.query_all_by_label_contains("原文前后不一致")
            .next()
            .is_some(),
        "the note's heading at the task"
    );
    assert!(
        h.query_all_by_label_contains("同一部门两种写法")
            .next()
            .is_some(),
        "the note at the task"
    );

    common::open_tab(&mut h, "单位");
    common::set_field(&mut h, "查找单位", "麒麟区区人民政府");
    let unit = h
        .state()
        .model()
        .unwrap()
        .units
        .resolve("麒麟区区人民政府")
        .unwrap()
        .clone();
    assert_eq!(unit.kind, anwei_core::UnitKind::Local);
    h.get_by_label(&unit.name).click();
    h.run();
    h.get_by_label("别名出处");
    assert!(
        h.query_all_by_label_contains(
            "“麒麟区区人民政府”：煤矿安全专项整治三年行动实施方案 第230行"
        )
        .next()
        .is_some(),
        "where the typo was read"
    );
}

/// 总览: a plan's phases show what each is to achieve as the plan words it (folded under
/// each plan; coal's 附件4 words its four phases).
#[test]
fn a_plans_phase_texts_are_in_the_overview() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    h.state_mut().wait_for_plugins();
    h.run();
    common::open_tab(&mut h, "总览");
    let texts = h
        .state()
        .model()
        .unwrap()
        .plans
        .iter()
        .find(|p| p.id == "coal-mining")
        .unwrap()
        .annotations
        .phases
        .clone();
    assert_eq!(texts.len(), 4);
    assert!(h.query_by_label(&texts[0].text).is_none(), "folded");
    // Other plans have four phase texts too: unfold them all.
    let folds = h
        .query_all_by_label_contains("各阶段工作安排（方案原文，4 段）")
        .count();
    assert!(folds >= 1);
    for i in 0..folds {
        h.query_all_by_label_contains("各阶段工作安排（方案原文，4 段）")
            .nth(i)
            .unwrap()
            .click();
        h.run();
    }
    for p in &texts {
        assert!(h.query_by_label(&p.text).is_some(), "{}: its text", p.name);
    }
    assert!(
        h.query_by_label(&format!("方案原文第{}行", texts[0].line.unwrap()))
            .is_some()
    );
}

/// 附件7 is one agency's own plan: its tasks name no unit, and the task table says
/// "原文未列" in their 牵头 column rather than leaving a blank to fill; the detail says so.
#[test]
fn a_plan_without_units_says_so_in_the_table_and_the_detail() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "任务");
    h.state_mut()
        .apply_actions(vec![Action::FilterPlan("roads".into())]);
    h.run();
    assert_eq!(common::shown_count(&h), 16);
    let first = h
        .state()
        .model()
        .unwrap()
        .rows
        .iter()
        .find(|r| r.plan == "roads")
        .unwrap()
        .title
        .clone();
    assert!(
        h.query_all_by_label("原文未列").count() >= 10,
        "the visible rows"
    );
    h.get_by_label(&first).click();
    h.run();
    assert!(h.query_by_label("牵头、责任单位：原文未列").is_some());
}

/// 附件10 runs on its own phases: the overview lists 组织动员 / 部署实施 / 深化推进 / 评估提高
/// with their dates under its plan (today's marked), the task table filters by them and a
/// task's detail names its phase.
#[test]
fn the_parks_plan_shows_its_own_phases_in_the_overview_the_table_and_the_detail() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "总览");
    for p in [
        "组织动员（2020-05-01 至 2020-05-31）",
        "部署实施（2020-06-01 至 2021-12-31）　当前阶段",
        "深化推进（2022-01-01 至 2022-06-30）",
        "评估提高（2022-07-01 至 2022-12-31）",
    ] {
        assert!(h.query_by_label(p).is_some(), "{p}");
    }
    common::open_tab(&mut h, "任务");
    h.state_mut()
        .apply_actions(vec![Action::FilterPlan("industrial-parks".into())]);
    h.run();
    let in_phase = |h: &Harness<'static, DeskApp>, phase: &str| -> Vec<String> {
        h.state()
            .model()
            .unwrap()
            .rows
            .iter()
            .filter(|r| r.plan == "industrial-parks" && r.phase.as_deref() == Some(phase))
            .map(|r| r.title.clone())
            .collect()
    };
    // The task the source puts in 组织动员 ("周密组织,细化方案"), and the undated ones that
    // run to the plan's end, in its last phase.
    let first = in_phase(&h, "组织动员");
    assert_eq!(first, ["周密组织,细化方案"]);
    choose(&mut h, "阶段", "组织动员");
    assert_eq!(common::shown_count(&h), 1);
    h.get_by_label(&first[0]).click();
    h.run();
    assert!(h.query_by_label("阶段：组织动员").is_some());
    let last = in_phase(&h, "评估提高");
    assert!(last.len() > 10, "{last:?}");
    choose(&mut h, "阶段", "评估提高");
    assert_eq!(common::shown_count(&h), last.len());
}
