//! The built-in coal plugin end to end (through the host): seed 001 附件4 content, the mine
//! register's rules and computed targets, conversion into anwei_core campaign data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_core::{Comparator, FormRecord, Role, TargetValue, Value};
use anwei_plugin_host::PluginHost;
use common::{open, record_of};

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

fn v(x: &str) -> Option<Value> {
    Some(Value::Text(x.into()))
}

/// A record of `fields`; a field of value `None` is left out (no value).
fn record(fields: Vec<(&str, Option<Value>)>) -> FormRecord {
    record_of(0, fields.into_iter().filter_map(|(k, v)| Some((k, v?))))
}

fn mine(id: &str, group: &str, capacity: f64, extra: &[(&str, Option<Value>)]) -> FormRecord {
    let mut fields = vec![
        ("name", v(&format!("{id}煤矿"))),
        ("town", v("越州镇")),
        ("ownership", v("private")),
        ("status", v("producing")),
        ("scale", v("medium")),
        ("capacity", Some(Value::Decimal(capacity))),
        ("gas_class", v("other")),
        ("group", v(group)),
        (
            "monitoring_upgraded",
            Some(Value::Date("2020-06-01".into())),
        ),
    ];
    for (k, val) in extra {
        fields.retain(|(n, _)| n != k);
        fields.push((k, val.clone()));
    }
    record(fields)
}

/// 16 mines as in L201: 5 单独保留 + 3 整合保留 (525 万吨/年), 4 整合关闭, 4 关闭退出.
pub fn register_16() -> Vec<FormRecord> {
    let mut out = Vec::new();
    let grade = |g: &str| ("standardisation", v(g));
    let yes = |f: &'static str| (f, Some(Value::Flag(true)));
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

fn value(values: &[TargetValue], id: &str) -> f64 {
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
                .any(|r| r.role == Role::Lead && r.unit == "区能源局")
        })
        .count();
    assert_eq!(energy_leads, 27);
    let count = d.targets.iter().find(|t| t.id == "mine-count").unwrap();
    assert_eq!(count.comparator, Comparator::AtMost);
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
            ("in_enhong", Some(Value::Flag(true))),
            ("same_seam", Some(Value::Flag(true))),
            ("below_outburst_level", Some(Value::Flag(true))),
            ("outburst_assessed", Some(Value::Date("2020-03-01".into()))),
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
    let issues = |extra: &[(&str, Option<Value>)], today: &str| {
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
            ("project_capacity", Some(Value::Decimal(cap))),
            ("project_depth", Some(Value::Decimal(depth))),
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
            .any(|i| i.field == "group" && i.severity == anwei_core::form::Severity::Error)
    );
    // Monitoring deadline by class: 高瓦斯 mine not upgraded is overdue on 2020-07-01,
    // an "other" mine only after 2020-12-30.
    let none: (&str, Option<Value>) = ("monitoring_upgraded", None);
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
    // Every built-in sector's plan.
    assert_eq!(
        data.plans.len(),
        plans_before + anwei_builtin_plugins::builtins().count()
    );
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
    // "在2019年基础上下降20%": the baseline year is kept, its figure is to be entered.
    let deaths = data
        .targets
        .iter()
        .find(|t| t.id == "coal-mining/deaths")
        .unwrap();
    assert_eq!(
        deaths.baseline,
        Some(anwei_core::Baseline {
            year: 2019,
            value: None
        })
    );
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

#[test]
fn computed_targets_name_their_inputs_and_the_host_checks_them() {
    let (_d, host) = host();
    let d = host.describe(SECTOR).unwrap();
    let inputs = |id: &str| {
        d.targets
            .iter()
            .find(|t| t.id == id)
            .unwrap()
            .inputs
            .clone()
    };
    assert_eq!(inputs("mine-count"), ["group"]);
    assert_eq!(inputs("avg-capacity"), ["group", "capacity"]);
    // "死亡人数在2019年基础上下降20%" is computed from the yearly ledger (the deaths of the last
    // whole year), not from the register.
    let deaths = d.targets.iter().find(|t| t.id == "deaths").unwrap();
    assert_eq!(deaths.form.as_deref(), Some("mine-annual"));
    assert!(
        inputs("deaths").iter().any(|f| f == "deaths"),
        "{:?}",
        inputs("deaths")
    );
    // 15 of the register's 29 fields reach compute.
    let fields = anwei_plugin_host::runtime::form_inputs(&d);
    assert_eq!(fields[FORM].len(), 16);
    assert!(!fields[FORM].iter().any(|f| f == "name" || f == "remarks"));

    let mut bad = d.clone();
    let t = bad
        .targets
        .iter_mut()
        .find(|t| t.id == "mine-count")
        .unwrap();
    t.inputs.push("no_such_field".into());
    let err = anwei_plugin_host::check::description(&bad).unwrap_err();
    assert!(err.contains("no_such_field"), "{err}");
    let mut bad = d.clone();
    let t = bad.targets.iter_mut().find(|t| t.id == "deaths").unwrap();
    t.inputs.push("group".into());
    assert!(anwei_plugin_host::check::description(&bad).is_err());
}

#[test]
fn fields_compute_does_not_read_do_not_change_the_values() {
    let (_d, host) = host();
    let plain = host
        .compute(SECTOR, FORM, &register_16(), "2022-12-31")
        .unwrap();
    let noisy: Vec<_> = register_16()
        .into_iter()
        .map(|mut r| {
            for i in 0..20 {
                r.values
                    .insert(format!("noise_{i}"), Value::Text("噪声".repeat(i)));
            }
            // (A field named twice cannot occur in the desk's records, whose values are a
            // map; the adapter's batch tests cover a repeated field.)
            r
        })
        .collect();
    let values = host.compute(SECTOR, FORM, &noisy, "2022-12-31").unwrap();
    assert_eq!(format!("{values:?}"), format!("{plain:?}"));
}

/// Record `i` of a generated register of 30-field records whose figures are known:
/// blocks of 4 (k = i / 4) hold one record of each group, so half the mines are retained;
/// capacity is 45 in even blocks and 75 in odd ones (given as decimal, integer or text).
fn generated(i: usize) -> FormRecord {
    let (k, r) = (i / 4, i % 4);
    let cap = if k.is_multiple_of(2) { 45 } else { 75 };
    let capacity = match i % 3 {
        0 => Some(Value::Decimal(f64::from(cap))),
        1 => Some(Value::Integer(cap.into())),
        _ => v(&cap.to_string()),
    };
    let grade = match k % 10 {
        0 => "grade1",
        1..=5 => "grade2",
        _ => "grade3",
    };
    let mut fields = vec![
        ("intro", None),
        ("name", v(&format!("第{i}号煤矿"))),
        ("town", v(["越州镇", "东山镇", "茨营镇"][i % 3])),
        ("enterprise", v(&format!("煤业公司{}", k % 97))),
        ("ownership", v("private")),
        (
            "status",
            v(if k % 5 == 4 { "building" } else { "producing" }),
        ),
        ("scale", v("medium")),
        ("capacity", capacity),
        (
            "gas_class",
            v(if k.is_multiple_of(3) { "high" } else { "other" }),
        ),
        ("depth", Some(Value::Decimal(400.0 + (i % 800) as f64))),
        ("standardisation", v(grade)),
        (
            "group",
            v(["keep", "merge_keep", "merge_close", "close"][r]),
        ),
        ("merge_group", v("一组")),
        ("mech_mining", Some(Value::Flag(k.is_multiple_of(2)))),
        (
            "fully_mech",
            if k.is_multiple_of(4) {
                v("是")
            } else {
                Some(Value::Flag(false))
            },
        ),
        ("mech_heading", Some(Value::Flag(true))),
        ("automated_faces", Some(Value::Integer((i % 3) as i64))),
        ("project", v("none")),
        ("project_capacity", None),
        ("project_depth", None),
        ("in_enhong", Some(Value::Flag(false))),
        ("same_seam", Some(Value::Flag(false))),
        ("below_outburst_level", Some(Value::Flag(false))),
        ("needs_assessment", v("no")),
        ("outburst_assessed", None),
        (
            "monitoring_deadline",
            Some(Value::Date("2020-06-30".into())),
        ),
        ("remarks", v(&format!("备注{i}"))),
        ("source", v("2022年台账")),
    ];
    if k.is_multiple_of(8) {
        fields.push(("aux_automation", Some(Value::Flag(true))));
    }
    if k.is_multiple_of(2) {
        fields.push((
            "monitoring_upgraded",
            Some(Value::Date("2020-06-01".into())),
        ));
    }
    // Fields without a value are absent; 30 fields with values, padded with extra ones.
    let mut r = record(fields);
    let mut n = 0;
    while r.values.len() < 30 {
        r.values
            .insert(format!("extra_{n}"), Value::Text("附加".into()));
        n += 1;
    }
    r
}

#[test]
fn compute_over_100k_records_stays_within_the_memory_limit_with_the_known_values() {
    let (_d, host) = host();
    let records: Vec<_> = (0..100_000).map(generated).collect();
    assert!(records.iter().all(|r| r.values.len() == 30));
    let start = std::time::Instant::now();
    let values = host.compute(SECTOR, FORM, &records, "2022-12-31").unwrap();
    eprintln!("compute over 100k records took {:?}", start.elapsed());
    assert_eq!(value(&values, "mine-count"), 50_000.0);
    assert_eq!(value(&values, "capacity"), 3_000_000.0);
    assert_eq!(value(&values, "avg-capacity"), 60.0);
    assert_eq!(value(&values, "grade1-count"), 5_000.0);
    // Producing (k % 5 != 4): 40 000; of them grade 1/2 (k % 10 ∈ {0,1,2,3,5}): 25 000.
    assert_eq!(value(&values, "standardised-share"), 62.5);
    assert_eq!(value(&values, "mechanised-share"), 50.0);
    // "是" as text counts as yes.
    assert_eq!(value(&values, "fully-mechanised-share"), 25.0);
    // Absent reads as no.
    assert_eq!(value(&values, "aux-automation-share"), 12.5);
    // 高瓦斯 (k.is_multiple_of(3)) is due 2020-06-30, the others 2020-12-30; upgraded in even blocks.
    assert_eq!(value(&values, "monitoring-upgrade-major"), 50.0);
    assert_eq!(value(&values, "monitoring-upgrade-other"), 50.0);

    // The plugin's memory: the batch of 15 input fields, well inside the 64 MiB limit.
    let rt = anwei_plugin_host::Runtime::new(None).unwrap();
    let (_, coal) = anwei_builtin_plugins::builtins()
        .find(|(n, _)| *n == SECTOR)
        .unwrap();
    let c = rt.compile(coal).unwrap();
    let measured = rt
        .compute_measured(SECTOR, &c, FORM, &records, "2022-12-31")
        .unwrap();
    let (direct, peak) = (measured.values, measured.peak_memory);
    eprintln!("plugin memory peak {} MiB", peak >> 20);
    assert_eq!(format!("{direct:?}"), format!("{values:?}"));
    assert!(peak < 32 << 20, "peak {peak}");
}

/// A register larger than one batch goes to the plugin batch by batch as it is pushed
/// (`summarize`, API 1.1) and the summaries are combined: the values are those of one
/// `compute` over the whole register.
#[test]
fn a_register_fed_batch_by_batch_gives_the_values_of_one_compute() {
    let (_d, host) = host();
    let n = 2 * anwei_plugin_host::SUMMARY_BATCH + 8_928;
    let records: Vec<_> = (0..n).map(generated).collect();
    for as_of in ["2020-06-30", "2022-12-31"] {
        let whole = host.compute(SECTOR, FORM, &records, as_of).unwrap();
        let mut feed = host.record_feed(SECTOR, FORM).unwrap();
        for r in &records {
            feed.push(r);
            if feed.wants_summary() {
                host.summarize_feed(&mut feed, as_of).unwrap();
            }
        }
        assert_eq!(feed.batches(), 2);
        assert_eq!(feed.len(), n);
        let batched = host.compute_feed(feed, as_of).unwrap();
        assert_eq!(format!("{batched:?}"), format!("{whole:?}"), "{as_of}");
        assert_eq!(value(&batched, "mine-count"), (n / 2) as f64);
    }
}

#[test]
fn validate_from_many_threads_at_once() {
    let (_d, host) = host();
    let m = mine("T", "keep", 60.0, &[]);
    let expected = format!(
        "{:?}",
        host.validate(SECTOR, FORM, &m, "2020-10-01").unwrap()
    );
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for _ in 0..200 {
                    let issues = host.validate(SECTOR, FORM, &m, "2020-10-01").unwrap();
                    assert_eq!(format!("{issues:?}"), expected);
                }
            });
        }
    });
}

/// The text of a fixture record's field.
fn text_field<'a>(r: &'a FormRecord, name: &str) -> &'a str {
    match &r.values[name] {
        Value::Text(t) => t,
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn the_register_reproduces_the_seed_figures_and_the_core_rates_them_met() {
    use anwei_core::{CurrentValue, TargetStatus, evaluate};
    use chrono::NaiveDate;
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();

    // The seed's figures (001 附件4 L195, L201).
    let seed = seed_001();
    let lines: Vec<&str> = seed.lines().collect();
    assert!(
        lines[194].contains(
            "全区煤矿数量控制在8处以内(含国有煤矿2处),保留煤矿平均单井规模不低于60万吨/年"
        )
    );
    assert!(lines[200].contains(
        "全区煤矿数量由16处减少到8处,关闭退出8处。其中,单独保留煤矿5处,整合保留煤矿3处,\
         保留煤矿规划产能525万吨,平均单井规模65.625万吨/年"
    ));
    assert!(lines[200].contains("直接关闭退出的4处煤矿"));
    assert!(lines[200].contains("整合重组3处7家煤矿"));

    // The fixture register agrees with them: 16 mines; 5 单独保留 + 3 整合保留; 4 直接关闭 +
    // (7 − 3) closed by integration; the retained mines' capacities add up to 525.
    let records = register_16();
    assert_eq!(records.len(), 16);
    let in_group = |g: &str| {
        records
            .iter()
            .filter(|r| text_field(r, "group") == g)
            .count()
    };
    assert_eq!(in_group("keep"), 5);
    assert_eq!(in_group("merge_keep"), 3);
    assert_eq!(in_group("merge_keep") + in_group("merge_close"), 7);
    assert_eq!(in_group("close"), 4);
    let retained_capacity: f64 = records
        .iter()
        .filter(|r| matches!(text_field(r, "group"), "keep" | "merge_keep"))
        .map(|r| match r.values["capacity"] {
            Value::Decimal(c) => c,
            ref other => panic!("capacity {other:?}"),
        })
        .sum();
    assert_eq!(retained_capacity, 525.0);

    // The plugin computes the seed's numbers from the register …
    let (_d, host) = host();
    let as_of = day(2022, 12, 31);
    let values = host.compute(SECTOR, FORM, &records, "2022-12-31").unwrap();
    assert_eq!(value(&values, "mine-count"), 8.0);
    assert_eq!(value(&values, "capacity"), 525.0);
    assert_eq!(value(&values, "avg-capacity"), 65.625);

    // … and the core rates them against the plugin's targets as converted for the desk.
    let mut data = anwei_exchange::demo::demo_campaign().unwrap();
    host.merge_into(&mut data).unwrap();
    let target = |id: &str| {
        data.targets
            .iter()
            .find(|t| t.id == format!("coal-mining/{id}"))
            .unwrap_or_else(|| panic!("no target {id}"))
    };
    let rate =
        |id: &str, v: f64, on: NaiveDate| evaluate(target(id), Some(CurrentValue::new(v, on)), on);
    let count = rate("mine-count", value(&values, "mine-count"), as_of);
    assert_eq!(count.status, TargetStatus::Met);
    assert_eq!(count.status.label_zh(), "达标");
    assert_eq!((count.required, count.gap), (Some(8.0), Some(0.0)));
    let avg = rate("avg-capacity", value(&values, "avg-capacity"), as_of);
    assert_eq!(avg.status, TargetStatus::Met);
    assert_eq!((avg.required, avg.gap), (Some(60.0), Some(-5.625)));

    // Before the closures every mine still counts: 16 mines averaging 621/16 万吨/年 are
    // 滞后 while 2022 runs, 逾期未达标 once it is over.
    let before: Vec<_> = register_16()
        .into_iter()
        .map(|mut r| {
            if let Some(group) = r.values.get_mut("group") {
                *group = Value::Text("keep".into());
            }
            r
        })
        .collect();
    let values = host.compute(SECTOR, FORM, &before, "2020-05-31").unwrap();
    assert_eq!(value(&values, "mine-count"), 16.0);
    assert_eq!(value(&values, "avg-capacity"), 621.0 / 16.0);
    let measured = day(2020, 5, 31);
    for id in ["mine-count", "avg-capacity"] {
        let now = CurrentValue::new(value(&values, id), measured);
        let t = target(id);
        assert_eq!(
            evaluate(t, Some(now), day(2021, 6, 30)).status,
            TargetStatus::Behind,
            "{id}"
        );
        assert_eq!(
            evaluate(t, Some(now), day(2023, 1, 1)).status,
            TargetStatus::OverdueUnmet,
            "{id}"
        );
    }
}

#[test]
fn the_mine_register_converts_to_a_form_def_that_validates_typed_records() {
    use anwei_core::form::{self, Severity};
    use std::collections::BTreeMap;
    let today = chrono::NaiveDate::from_ymd_opt(2020, 8, 1).unwrap();
    let (_d, host) = host();
    let d = host.describe(SECTOR).unwrap();
    let plugin_form = d.forms.iter().find(|f| f.id == FORM).unwrap();
    let def =
        anwei_plugin_host::convert::form_def(SECTOR, &d.identity.version, plugin_form).unwrap();
    assert_eq!(def.id, "coal-mining/mine-register");
    assert_eq!(def.title, "煤矿台账");
    assert_eq!(def.version, d.identity.version);
    assert_eq!(def.fields.len(), plugin_form.fields.len()); // no repeat groups in this form
    assert!(def.problems().is_empty(), "{:?}", def.problems());
    // The store keeps FormDefs as JSON.
    let json = serde_json::to_string(&def).unwrap();
    assert_eq!(serde_json::from_str::<form::FormDef>(&json).unwrap(), def);

    // A good record, typed as a user types it (labels, Chinese dates).
    let typed = |values: &mut BTreeMap<String, Value>, entries: &[(&str, &str)]| {
        for (name, text) in entries {
            let field = def.field(name).unwrap_or_else(|| panic!("no field {name}"));
            match form::parse_input(field, text).unwrap() {
                Some(v) => values.insert((*name).to_owned(), v),
                None => values.remove(*name),
            };
        }
    };
    let mut good = form::defaults(&def);
    assert_eq!(
        good.get("project"),
        Some(&Value::Choices(vec!["none".into()]))
    );
    assert_eq!(good.get("in_enhong"), Some(&Value::Flag(false)));
    typed(
        &mut good,
        &[
            ("name", "越州煤矿"),
            ("town", "越州镇"),
            ("ownership", "民营"),
            ("status", "正常生产"),
            ("scale", "中型"),
            ("capacity", "４５"),
            ("gas_class", "其他"),
            ("group", "单独保留"),
            ("monitoring_upgraded", "2020年6月1日"),
        ],
    );
    assert_eq!(good["capacity"], Value::Decimal(45.0));
    assert_eq!(
        good["monitoring_upgraded"],
        Value::Date("2020-06-01".into())
    );
    let issues = form::validate(&def, &good, today);
    assert!(issues.is_empty(), "{issues:?}");
    let calc = form::calculate(&def, &good, today);
    assert_eq!(calc["needs_assessment"], Value::Flag(false));
    assert_eq!(
        calc["monitoring_deadline"],
        Value::Date("2020-12-30".into())
    );
    assert!(!form::is_relevant(&def, &good, "merge_group", today));
    assert!(!form::is_relevant(&def, &good, "project_capacity", today));
    // The plugin's own rules accept the same record.
    let record = record_of(
        0,
        good.iter()
            .chain(calc.iter())
            .map(|(name, v)| (name.as_str(), v.clone())),
    );
    let plugin_issues = host.validate(SECTOR, FORM, &record, "2020-08-01").unwrap();
    assert!(
        plugin_issues.iter().all(|i| i.severity != Severity::Error),
        "{plugin_issues:?}"
    );

    // The form's own expressions: a large or high-gas mine has the June deadline.
    let mut major = good.clone();
    typed(&mut major, &[("gas_class", "高瓦斯")]);
    assert_eq!(
        form::calculate(&def, &major, today)["monitoring_deadline"],
        Value::Date("2020-06-30".into())
    );
    typed(
        &mut major,
        &[
            ("in_enhong", "是"),
            ("same_seam", "是"),
            ("below_outburst_level", "是"),
        ],
    );
    assert_eq!(
        form::calculate(&def, &major, today)["needs_assessment"],
        Value::Flag(true)
    );

    // A bad record: capacity and depth out of range, ownership blank, a choice that is not
    // in the list.
    let mut bad = good.clone();
    typed(
        &mut bad,
        &[
            ("capacity", "6000"),
            ("group", "整合保留"),
            ("ownership", ""),
            ("depth", "-5"),
        ],
    );
    bad.insert(
        "standardisation".into(),
        Value::Choices(vec!["grade9".into()]),
    );
    let issues = form::validate(&def, &bad, today);
    let got: Vec<(&str, Severity, &str)> = issues
        .iter()
        .map(|i| (i.field.as_str(), i.severity, i.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("ownership", Severity::Error, "请填写“所有制”"),
            ("capacity", Severity::Error, "产能应在0至5000万吨/年之间"),
            ("depth", Severity::Error, "开采深度应在0至3000米之间"),
            (
                "standardisation",
                Severity::Error,
                "“安全生产标准化等级”没有选项“grade9”，可选：一级、二级、三级、未达标"
            ),
        ]
    );
    // 整合保留 makes 整合重组组别 relevant (it is optional in this form).
    assert!(form::is_relevant(&def, &bad, "merge_group", today));
    // What a user cannot type is refused with the field's label.
    assert_eq!(
        form::parse_input(def.field("capacity").unwrap(), "abc").unwrap_err(),
        "“核定(设计)产能”应为数字，填写的是“abc”"
    );
    assert!(
        form::parse_input(def.field("gas_class").unwrap(), "低瓦斯")
            .unwrap_err()
            .starts_with("“瓦斯等级”没有选项“低瓦斯”")
    );
}
