//! The built-in coal plugin end to end (through the host): seed 001 附件4 content, the mine
//! register's rules and computed targets, conversion into anwei_core campaign data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_plugin_host::{PluginHost, wit};
use common::open;

const SECTOR: &str = "coal-mining";
const FORM: &str = "mine-register";

fn seed_001() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seeds/001_a1dd519a45aa6056.txt");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn host() -> (tempfile::TempDir, std::sync::Arc<PluginHost>) {
    let dir = tempfile::tempdir().unwrap();
    let host = open(dir.path(), None, false);
    (dir, host)
}

fn v(x: &str) -> wit::Value {
    wit::Value::Text(x.into())
}

fn mine(id: &str, group: &str, capacity: f64, extra: &[(&str, wit::Value)]) -> wit::FormRecord {
    let mut fields = vec![
        ("name", v(&format!("{id}煤矿"))),
        ("town", v("越州镇")),
        ("ownership", v("private")),
        ("status", v("producing")),
        ("scale", v("medium")),
        ("capacity", wit::Value::Decimal(capacity)),
        ("gas_class", v("other")),
        ("group", v(group)),
        ("monitoring_upgraded", wit::Value::Date("2020-06-01".into())),
    ];
    for (k, val) in extra {
        fields.retain(|(n, _)| n != k);
        fields.push((k, val.clone()));
    }
    wit::FormRecord {
        id: id.into(),
        fields: fields
            .into_iter()
            .map(|(name, value)| wit::FieldValue {
                name: name.into(),
                value,
            })
            .collect(),
    }
}

/// 16 mines as in L201: 5 单独保留 + 3 整合保留 (525 万吨/年), 4 整合关闭, 4 关闭退出.
pub fn register_16() -> Vec<wit::FormRecord> {
    let mut out = Vec::new();
    let grade = |g: &str| ("standardisation", v(g));
    let yes = |f: &'static str| (f, wit::Value::Flag(true));
    for (i, cap) in [90.0, 60.0, 60.0, 45.0, 45.0].into_iter().enumerate() {
        let g = if i < 2 {
            "grade1"
        } else if i < 4 {
            "grade2"
        } else {
            "grade3"
        };
        out.push(mine(
            &format!("K{i}"),
            "keep",
            cap,
            &[grade(g), yes("mech_mining"), yes("mech_heading")],
        ));
    }
    for (i, cap) in [90.0, 75.0, 60.0].into_iter().enumerate() {
        out.push(mine(
            &format!("M{i}"),
            "merge_keep",
            cap,
            &[grade("grade2"), yes("fully_mech"), yes("mech_mining")],
        ));
    }
    for i in 0..4 {
        out.push(mine(&format!("MC{i}"), "merge_close", 15.0, &[]));
        out.push(mine(
            &format!("C{i}"),
            "close",
            9.0,
            &[("status", v("closed"))],
        ));
    }
    out
}

fn value(values: &[wit::TargetValue], id: &str) -> f64 {
    values
        .iter()
        .find(|t| t.target_id == id)
        .unwrap_or_else(|| panic!("no {id}"))
        .value
}

#[test]
fn the_plan_has_its_phases_32_tasks_and_the_coal_targets() {
    let (_d, host) = host();
    let d = host.describe(SECTOR).unwrap();
    assert_eq!(d.identity.sector_id, "coal-mining");
    assert_eq!(d.plan.code, "附件4");
    let phases: Vec<_> = d
        .plan
        .phases
        .iter()
        .map(|p| (p.name.as_str(), p.start.as_str(), p.end.as_str()))
        .collect();
    assert_eq!(
        phases,
        [
            ("动员部署", "2020-05-01", "2020-06-30"),
            ("排查整治", "2020-07-01", "2020-12-31"),
            ("集中攻坚", "2021-01-01", "2021-12-31"),
            ("巩固提升", "2022-01-01", "2022-12-31"),
        ]
    );
    assert_eq!(d.plan.tasks.len(), 32);
    let labels: Vec<_> = d.plan.tasks.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels[0], "(一)1");
    assert_eq!(labels[31], "(七)3");
    for (section, n) in [
        ("(一)", 5),
        ("(二)", 3),
        ("(三)", 4),
        ("(四)", 5),
        ("(五)", 8),
        ("(六)", 4),
        ("(七)", 3),
    ] {
        assert_eq!(
            labels.iter().filter(|l| l.starts_with(section)).count(),
            n,
            "{section}"
        );
    }
    // 区能源局 leads 27 of 32 (Appendix B / §3.4).
    let energy_leads = d
        .plan
        .tasks
        .iter()
        .filter(|t| {
            t.roles
                .iter()
                .any(|r| r.role == wit::Role::Lead && r.unit == "区能源局")
        })
        .count();
    assert_eq!(energy_leads, 27);
    let count = d.targets.iter().find(|t| t.id == "mine-count").unwrap();
    assert_eq!(count.comparator, wit::Comparator::AtMost);
    assert_eq!(count.checkpoints[0].value, 8.0);
    let deaths = d.targets.iter().find(|t| t.id == "deaths").unwrap();
    assert_eq!(deaths.baseline.as_ref().unwrap().year, 2019);
    let water = d
        .targets
        .iter()
        .find(|t| t.id == "mine-water-reuse")
        .unwrap();
    let steps: Vec<_> = water
        .checkpoints
        .iter()
        .map(|c| (c.year, c.value))
        .collect();
    assert_eq!(steps, [(2020, 80.0), (2021, 82.0), (2022, 85.0)]);
    let form = &d.forms[0];
    assert_eq!(form.title, "煤矿台账");
    assert!(form.fields.len() >= 25);
}

#[test]
fn task_texts_and_annotations_are_verbatim_from_seed_001() {
    let (_d, host) = host();
    let seed: String = seed_001().replace('\n', "");
    let d = host.describe(SECTOR).unwrap();
    for t in &d.plan.tasks {
        let text = t.text.replace('\n', "");
        assert!(seed.contains(&text), "{} text not verbatim", t.label);
        assert!(seed.contains(&t.title), "{} title", t.label);
        if let Some(rt) = &t.roles_text {
            assert!(seed.contains(rt.as_str()), "{} roles text {rt}", t.label);
        }
        for dl in &t.deadlines {
            let core = dl.trim_start_matches('到');
            assert!(
                text.contains(core.trim_end_matches('前')),
                "{} deadline {dl}",
                t.label
            );
        }
    }
    // The seed's own count of 附件4 task items: lines (and section lines) starting "N." in
    // L199–295.
    let seed_text = seed_001();
    let lines: Vec<&str> = seed_text.lines().collect();
    let numbered = lines[198..295]
        .iter()
        .filter(|l| {
            l.split(' ').take(3).any(|seg| {
                let b = seg.as_bytes();
                b.len() > 2 && b[0].is_ascii_digit() && b[1] == b'.'
            })
        })
        .count();
    assert_eq!(numbered, 32);
}

#[test]
fn sixteen_mines_leave_eight_retained_averaging_65_625() {
    let (_d, host) = host();
    let values = host
        .compute(SECTOR, FORM, &register_16(), "2022-12-31")
        .unwrap();
    assert_eq!(value(&values, "mine-count"), 8.0);
    assert_eq!(value(&values, "capacity"), 525.0);
    assert_eq!(value(&values, "avg-capacity"), 65.625);
    // 一级 2 + 二级 5 of 8 producing retained mines.
    assert_eq!(value(&values, "standardised-share"), 87.5);
    assert_eq!(value(&values, "grade1-count"), 2.0);
    assert_eq!(value(&values, "fully-mechanised-share"), 37.5);
    assert_eq!(value(&values, "mechanised-share"), 62.5);
    assert_eq!(value(&values, "monitoring-upgrade-other"), 100.0);
}

#[test]
fn a_mine_not_assessed_for_seven_months_is_flagged_outburst() {
    let (_d, host) = host();
    let m = mine(
        "E1",
        "keep",
        90.0,
        &[
            ("gas_class", v("high")),
            ("in_enhong", wit::Value::Flag(true)),
            ("same_seam", wit::Value::Flag(true)),
            ("below_outburst_level", wit::Value::Flag(true)),
            ("outburst_assessed", wit::Value::Date("2020-03-01".into())),
        ],
    );
    let class = host.classify(SECTOR, FORM, &m, "2020-10-01").unwrap();
    let gas = class.iter().find(|c| c.rule == "gas-class").unwrap();
    assert_eq!(gas.value, "煤与瓦斯突出");
    assert!(gas.reason.contains("超过6个月未鉴定"), "{}", gas.reason);
    let issues = host.validate(SECTOR, FORM, &m, "2020-10-01").unwrap();
    assert!(
        issues
            .iter()
            .any(|i| i.field == "gas_class" && i.message.contains("突出"))
    );
    // Five months: not yet.
    let class = host.classify(SECTOR, FORM, &m, "2020-08-01").unwrap();
    assert_eq!(
        class.iter().find(|c| c.rule == "gas-class").unwrap().value,
        "高瓦斯"
    );
}

#[test]
fn approval_thresholds_and_monitoring_deadlines_follow_the_seed() {
    let (_d, host) = host();
    let issues = |extra: &[(&str, wit::Value)], today: &str| {
        host.validate(SECTOR, FORM, &mine("P", "keep", 60.0, extra), today)
            .unwrap()
            .into_iter()
            .map(|i| i.message)
            .collect::<Vec<_>>()
    };
    let has = |msgs: &[String], s: &str| msgs.iter().any(|m| m.contains(s));
    let expand = |cap: f64, depth: f64| {
        vec![
            ("project", v("expand")),
            ("project_capacity", wit::Value::Decimal(cap)),
            ("project_depth", wit::Value::Decimal(depth)),
        ]
    };
    assert!(has(
        &issues(&expand(25.0, 100.0), "2020-01-01"),
        "低于30万吨/年"
    ));
    assert!(!has(
        &issues(&expand(30.0, 100.0), "2020-01-01"),
        "低于30万吨/年"
    ));
    let mut outburst = expand(85.0, 100.0);
    outburst.push(("gas_class", v("outburst")));
    assert!(has(&issues(&outburst, "2020-01-01"), "低于90万吨/年"));
    let mut big = expand(520.0, 100.0);
    big.push(("gas_class", v("outburst")));
    assert!(has(&issues(&big, "2020-01-01"), "高于500万吨/年"));
    let mut high = expand(820.0, 100.0);
    high.push(("gas_class", v("high")));
    assert!(has(&issues(&high, "2020-01-01"), "高于800万吨/年"));
    assert!(has(
        &issues(&expand(60.0, 1250.0), "2020-01-01"),
        "超1200米"
    ));
    assert!(!has(
        &issues(&expand(60.0, 1150.0), "2020-01-01"),
        "超1200米"
    ));
    let mut small = expand(60.0, 650.0);
    small.push(("scale", v("small")));
    assert!(has(&issues(&small, "2020-01-01"), "超600米"));
    // A kept mine under 30 万吨/年 is an error.
    let msgs: Vec<_> = host
        .validate(SECTOR, FORM, &mine("S", "keep", 20.0, &[]), "2020-01-01")
        .unwrap();
    assert!(
        msgs.iter()
            .any(|i| i.field == "group" && i.severity == wit::Severity::Error)
    );
    // Monitoring deadline by class: 高瓦斯 mine not upgraded is overdue on 2020-07-01,
    // an "other" mine only after 2020-12-30.
    let none = ("monitoring_upgraded", wit::Value::None);
    let high_gas = [none.clone(), ("gas_class", v("high"))];
    assert!(has(&issues(&high_gas, "2020-07-01"), "2020-06-30"));
    assert!(!has(
        &issues(std::slice::from_ref(&none), "2020-07-01"),
        "逾期"
    ));
    assert!(has(&issues(&[none], "2020-12-31"), "2020-12-30"));
}

#[test]
fn the_plugin_converts_into_campaign_data_with_parsed_deadlines() {
    let (_d, host) = host();
    let mut data = anwei_exchange::demo::demo_campaign().unwrap();
    let plans_before = data.plans.len();
    host.merge_into(&mut data).unwrap();
    assert_eq!(data.plans.len(), plans_before + 1);
    let plan = data.plans.iter().find(|p| p.id == "coal-mining").unwrap();
    assert_eq!(plan.kind, anwei_core::PlanKind::Sector);
    assert_eq!(plan.sector.as_deref(), Some("coal-mining"));
    assert_eq!(plan.phases.len(), 4);
    let tasks: Vec<_> = data
        .tasks
        .iter()
        .filter(|t| t.plan == "coal-mining")
        .collect();
    assert_eq!(tasks.len(), 32);
    // (一)1 "2020年5月底前", "6月底前" → 2020-06-30 (year from the previous deadline).
    let t = tasks.iter().find(|t| t.label == "(一)1").unwrap();
    assert_eq!(
        t.final_deadline().unwrap().due,
        chrono::NaiveDate::from_ymd_opt(2020, 6, 30)
    );
    // Units are resolved through the directory (ids, not names).
    assert!(t.roles.iter().all(|r| r.unit.starts_with('u')));
    let energy = data.units.iter().find(|u| u.name == "区能源局").unwrap();
    assert!(t.roles.iter().any(|r| r.unit == energy.id));
    let count = data
        .targets
        .iter()
        .find(|t| t.id == "coal-mining/mine-count")
        .unwrap();
    assert_eq!(
        count.computed_from.as_deref(),
        Some("coal-mining/mine-register")
    );
    // Merging again replaces, not duplicates.
    host.merge_into(&mut data).unwrap();
    assert_eq!(
        data.tasks
            .iter()
            .filter(|t| t.plan == "coal-mining")
            .count(),
        32
    );
    // The result round-trips as campaign JSON (what the store imports).
    let json = serde_json::to_string(&data).unwrap();
    let back: anwei_core::CampaignData = serde_json::from_str(&json).unwrap();
    assert_eq!(back, data);
}
