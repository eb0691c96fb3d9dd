//! Sector plugin `coal-mining`: seed 001 附件4 《煤矿安全专项整治三年行动实施方案》 (种子文件001
//! 第176–295行) with its own phases, 32 tasks and 56 targets. The plan, targets and the two forms
//! (煤矿台账 `mine-register`, 煤矿年度统计台账 `mine-annual`) are data in `content/` (written from
//! the seed by `content/extract.py`, checked by `build.rs`); the plan's rules (approval
//! thresholds, outburst deeming, monitoring-upgrade and closure deadlines) and the computed
//! targets are in [`rules`] (`content/rules.md` says what each computes).

use anwei_plugin_sdk::content::Content;
use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::summary;
use anwei_plugin_sdk::{
    Classification, Description, FormRecord, HazardCategory, Issue, PlanDetails, RecordBatch,
    SectorPlugin, TargetValue, identity,
};

pub mod rules;

/// The plan and targets as data (`content/extract.py` writes it from the seed).
pub const PLAN_JSON: &str = include_str!("../content/plan.json");
/// The forms (ledgers) as data.
pub const FORMS_JSON: &str = include_str!("../content/forms.json");
pub const SECTOR_ID: &str = "coal-mining";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// 煤矿台账: one record per mine.
pub const REGISTER_FORM: &str = rules::REGISTER;
/// 煤矿年度统计台账: one record per mine per year.
pub const ANNUAL_FORM: &str = rules::ANNUAL;

pub struct CoalMining;

impl SectorPlugin for CoalMining {
    fn describe() -> Description {
        let c = Content::load(PLAN_JSON, FORMS_JSON);
        Description {
            identity: identity(SECTOR_ID, "煤矿安全专项整治", "煤矿", VERSION, "区能源局"),
            plan: c.plan,
            targets: c.targets,
            forms: c.forms,
        }
    }

    fn details() -> PlanDetails {
        Content::load(PLAN_JSON, FORMS_JSON).details
    }

    fn hazard_standards() -> Vec<HazardCategory> {
        Content::load(PLAN_JSON, FORMS_JSON).hazards
    }

    fn validate(form: &str, record: &FormRecord, today: &str) -> Vec<Issue> {
        rules::validate(form, record, Date::parse(today))
    }

    fn compute_batch(form: &str, records: &RecordBatch, as_of: &str) -> Vec<TargetValue> {
        rules::compute(form, records.rows(), Date::parse(as_of))
    }

    fn summarize(form: &str, records: &RecordBatch, as_of: &str) -> Option<Vec<u8>> {
        let as_of = Date::parse(as_of);
        match form {
            REGISTER_FORM => summary::encode(&rules::Tally::of(records.rows(), as_of)),
            ANNUAL_FORM => summary::encode(&rules::annual::AnnualTally::of(records.rows(), as_of)),
            _ => None,
        }
    }

    fn combine(form: &str, summaries: &[Vec<u8>], as_of: &str) -> Vec<TargetValue> {
        // The desk combines what this code summarized in the same computation: a summary
        // that does not read back cannot come from it.
        match form {
            REGISTER_FORM => {
                summary::combine::<rules::Tally>(summaries).map_or_else(Vec::new, |t| t.values())
            }
            ANNUAL_FORM => summary::combine::<rules::annual::AnnualTally>(summaries)
                .map_or_else(Vec::new, |t| t.values(Date::parse(as_of))),
            _ => Vec::new(),
        }
    }

    fn classify(form: &str, record: &FormRecord, today: &str) -> Vec<Classification> {
        rules::classify(form, record, Date::parse(today))
    }
}

anwei_plugin_sdk::register!(CoalMining);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::rules::testing::{inputs_of, targets_of};
    use anwei_plugin_sdk::record::RecordBuilder;

    #[test]
    fn content_loads_whole_with_the_identity() {
        let c = Content::from_json(PLAN_JSON, FORMS_JSON).unwrap();
        assert_eq!(c.plan.tasks.len(), 32);
        assert_eq!(c.targets.len(), 56);
        assert_eq!(
            c.forms.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            [REGISTER_FORM, ANNUAL_FORM]
        );
        let d = CoalMining::describe();
        assert_eq!(d.identity.sector_id, "coal-mining");
        assert_eq!(d.identity.name, "煤矿安全专项整治");
        assert_eq!(d.identity.short_name, "煤矿");
        assert_eq!(d.identity.department, "区能源局");
        assert_eq!(d.identity.version, "1.2.0");
        assert_eq!(d.plan.tasks.len(), 32);
        assert_eq!(d.forms[0].title, "煤矿台账");
        assert_eq!(d.forms[0].fields.len(), 29);
        assert!(!CoalMining::details().targets.is_empty());
    }

    /// The desk stores measurements by target id: the 23 targets of 1.1 keep theirs.
    #[test]
    fn the_targets_of_1_1_keep_their_ids() {
        let d = CoalMining::describe();
        for id in [
            "mine-count",
            "avg-capacity",
            "standardised-share",
            "grade1-count",
            "mechanised-share",
            "fully-mechanised-share",
            "aux-automation-share",
            "accidents",
            "deaths",
            "death-rate",
            "capacity",
            "output",
            "new-mech-mines",
            "new-fully-mech-mines",
            "new-mech-heading-mines",
            "new-aux-automation-mines",
            "new-automated-faces",
            "mine-water-reuse",
            "gangue-use",
            "monitoring-upgrade-major",
            "monitoring-upgrade-other",
            "city-sampling",
            "district-sampling",
        ] {
            assert!(d.targets.iter().any(|t| t.id == id), "{id}");
        }
    }

    #[test]
    fn every_computed_target_names_its_inputs() {
        let d = CoalMining::describe();
        for t in &d.targets {
            match t.form.as_deref() {
                None => assert!(t.inputs.is_empty(), "{}", t.id),
                Some(form) => {
                    let f = d.forms.iter().find(|f| f.id == form).unwrap();
                    assert!(!t.inputs.is_empty(), "{}", t.id);
                    for i in &t.inputs {
                        assert!(f.fields.iter().any(|fd| &fd.name == i), "{}: {i}", t.id);
                    }
                }
            }
        }
        assert_eq!(targets_of(REGISTER_FORM).len(), 17);
        assert_eq!(targets_of(ANNUAL_FORM).len(), 16);
    }

    /// A register where every rule's branches occur, with fields compute does not read.
    fn register(n: usize) -> Vec<FormRecord> {
        (0..n)
            .map(|i| {
                let mut b = RecordBuilder::new(&format!("m{i}"))
                    .text("name", &format!("第{i}号煤矿"))
                    .text("town", "越州镇")
                    .text("ownership", ["state", "provincial", "private"][(i / 5) % 3])
                    .text(
                        "status",
                        ["producing", "building", "suspended", "closed"][i % 4],
                    )
                    .text("scale", ["large", "medium", "small"][i % 3])
                    .text("gas_class", ["outburst", "high", "other"][(i / 3) % 3])
                    .text(
                        "standardisation",
                        ["grade1", "grade2", "grade3", "none"][i % 4],
                    )
                    .text(
                        "group",
                        ["keep", "merge_keep", "merge_close", "close"][(i / 7) % 4],
                    )
                    .text("merge_group", "一组")
                    .flag("mech_mining", i.is_multiple_of(2))
                    .flag("fully_mech", i.is_multiple_of(5))
                    .flag("mech_heading", i % 3 != 0)
                    .flag("aux_automation", i.is_multiple_of(7))
                    .integer("automated_faces", (i % 3) as i64)
                    .flag("in_enhong", i % 2 == 1)
                    .flag("same_seam", i % 3 != 1)
                    .flag("below_outburst_level", i % 5 != 2)
                    .text("remarks", "无");
                b = match i % 3 {
                    0 => b.decimal("capacity", 15.0 + (i % 90) as f64),
                    1 => b.integer("capacity", 45),
                    _ => b.text("capacity", "60"),
                };
                if i % 11 != 3 {
                    b = b.date(
                        "outburst_assessed",
                        ["2020-01-15", "2020-05-01", "2019-12-31", "2020-10-10"][(i / 5) % 4],
                    );
                }
                if i % 6 != 5 {
                    b = b.date(
                        "monitoring_upgraded",
                        ["2020-06-01", "2020-09-30", "2021-02-01"][i % 3],
                    );
                }
                b.build()
            })
            .collect()
    }

    /// A yearly ledger over 2019–2023 (and some records without a year), every rule's branches
    /// occurring, numbers of every kind.
    fn ledger(n: usize) -> Vec<FormRecord> {
        (0..n)
            .map(|i| {
                let year = 2019 + (i % 5) as i64;
                let mut b = RecordBuilder::new(&format!("y{i}"))
                    .text("name", &format!("第{}号煤矿", i % 37))
                    .text("town", "越州镇")
                    .text(
                        "status",
                        ["producing", "building", "suspended", "closed"][(i / 5) % 4],
                    )
                    .text("gas_class", ["outburst", "high", "other"][(i / 3) % 3])
                    .integer("accidents", (i % 3) as i64)
                    .integer("deaths", i64::from(i.is_multiple_of(7)))
                    .integer("dispatch_workers", if i.is_multiple_of(5) { 3 } else { 0 })
                    .integer("it_staff", (i % 3) as i64)
                    .flag("enclosed_storage", i % 2 == 0)
                    .flag("monitoring_check_district", i % 3 != 0)
                    .flag("monitoring_check_city", i.is_multiple_of(4))
                    .text("remarks", "无");
                b = match i % 23 {
                    0 => b,
                    1 => b.text("year", &year.to_string()),
                    2 => b.decimal("year", year as f64),
                    _ => b.integer("year", year),
                };
                b = match i % 3 {
                    0 => b.decimal("output", 10.0 + (i % 50) as f64 * 1.5),
                    1 => b.integer("output", 40),
                    _ => b.text("output", "33.3"),
                };
                if i % 6 != 0 {
                    b = b
                        .decimal("mine_water", 50.0 + (i % 13) as f64)
                        .decimal("mine_water_reused", 30.0 + (i % 11) as f64);
                }
                if i % 4 != 1 {
                    b = b.decimal("gangue", 20.0 + (i % 7) as f64);
                    if i % 8 != 2 {
                        b = b.decimal("gangue_used", 10.0 + (i % 5) as f64);
                    }
                }
                for (k, (total, ok)) in [
                    ("general_staff", "general_staff_ok"),
                    ("special_staff", "special_staff_ok"),
                    ("managers", "managers_ok"),
                ]
                .into_iter()
                .enumerate()
                {
                    if (i + k) % 11 != 0 {
                        let t = 20 + ((i + k) % 40) as i64;
                        b = b.integer(total, t).integer(ok, t - ((i + k) % 3) as i64);
                    }
                }
                if i % 7 != 3 {
                    b = b.date(
                        "emergency_plan_revised",
                        ["2020-06-01", "2020-12-31", "2021-01-15"][i % 3],
                    );
                }
                if i % 9 != 0 {
                    b = b.integer("drills", 1 + (i % 3) as i64);
                }
                b.build()
            })
            .collect()
    }

    const DATES: [&str; 8] = [
        "2018-06-30",
        "2019-12-31",
        "2020-06-30",
        "2020-12-31",
        "2021-06-30",
        "2021-12-31",
        "2022-12-31",
        "2023-12-31",
    ];

    fn records_of(form: &str) -> Vec<FormRecord> {
        match form {
            REGISTER_FORM => register(240),
            _ => ledger(240),
        }
    }

    #[test]
    fn each_form_computes_its_targets_and_no_other() {
        for form in [REGISTER_FORM, ANNUAL_FORM] {
            let records = records_of(form);
            let mut seen: Vec<String> = Vec::new();
            for as_of in DATES {
                for v in rules::compute(form, records.iter(), Date::parse(as_of)) {
                    if !seen.contains(&v.target_id) {
                        seen.push(v.target_id);
                    }
                }
            }
            let mut plan: Vec<String> = targets_of(form).into_iter().map(|t| t.id).collect();
            seen.sort();
            plan.sort();
            assert_eq!(seen, plan, "{form}");
        }
    }

    /// The value of target `id` in `values`, as bits (a sum over the same records in the
    /// same order is the same number).
    fn bits(values: &[TargetValue], id: &str) -> Option<u64> {
        values
            .iter()
            .find(|v| v.target_id == id)
            .map(|v| v.value.to_bits())
    }

    #[test]
    fn compute_over_the_projected_batch_equals_compute_over_full_records() {
        for form in [REGISTER_FORM, ANNUAL_FORM] {
            let records = records_of(form);
            let inputs = inputs_of(form);
            let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
            let batch = RecordBatch::from_records(&records, &inputs);
            for as_of in DATES {
                let full = rules::compute(form, records.iter(), Date::parse(as_of));
                let projected = CoalMining::compute_batch(form, &batch, as_of);
                assert_eq!(full.len(), projected.len(), "{form} {as_of}");
                for (a, b) in full.iter().zip(&projected) {
                    assert_eq!(a.target_id, b.target_id);
                    assert_eq!(
                        a.value.to_bits(),
                        b.value.to_bits(),
                        "{} {as_of}",
                        a.target_id
                    );
                }
                // Each target on its own inputs alone: what a target reads is in its inputs.
                for t in targets_of(form) {
                    let own: Vec<&str> = t.inputs.iter().map(String::as_str).collect();
                    let batch = RecordBatch::from_records(&records, &own);
                    let alone = CoalMining::compute_batch(form, &batch, as_of);
                    assert_eq!(
                        bits(&alone, &t.id),
                        bits(&full, &t.id),
                        "{} {as_of} on its inputs {own:?}",
                        t.id
                    );
                }
            }
        }
    }

    #[test]
    fn combining_the_summaries_of_batches_equals_compute_over_the_whole_register() {
        for form in [REGISTER_FORM, ANNUAL_FORM] {
            let records = records_of(form);
            let inputs = inputs_of(form);
            let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
            for as_of in DATES {
                let whole = rules::compute(form, records.iter(), Date::parse(as_of));
                for batch in [1, 7, 100, 240] {
                    let summaries: Vec<Vec<u8>> = records
                        .chunks(batch)
                        .map(|c| {
                            let b = RecordBatch::from_records(c, &inputs);
                            CoalMining::summarize(form, &b, as_of).unwrap()
                        })
                        .collect();
                    let combined = CoalMining::combine(form, &summaries, as_of);
                    assert_eq!(whole.len(), combined.len(), "{form} {as_of} {batch}");
                    for (a, b) in whole.iter().zip(&combined) {
                        assert_eq!(a.target_id, b.target_id);
                        // Sums of decimals may differ in the last bits with the grouping.
                        let tolerance = 1e-9 * a.value.abs().max(1.0);
                        assert!(
                            (a.value - b.value).abs() <= tolerance,
                            "{} {as_of} batch {batch}: {} vs {}",
                            a.target_id,
                            a.value,
                            b.value
                        );
                    }
                }
            }
        }
        let records = register(1);
        let batch = RecordBatch::from_records(&records, &["group"]);
        assert!(CoalMining::summarize("other", &batch, "2020-06-30").is_none());
        assert!(
            CoalMining::combine(REGISTER_FORM, &[b"not json".to_vec()], "2020-06-30").is_empty()
        );
        assert!(CoalMining::compute_batch("other", &batch, "2020-06-30").is_empty());
    }

    #[test]
    fn validate_and_classify_dispatch_by_form() {
        let r = RecordBuilder::new("r").text("year", "2021").build();
        let annual = CoalMining::validate(ANNUAL_FORM, &r, "2021-06-30");
        assert!(annual.iter().any(|i| i.field == "output"));
        let register = CoalMining::validate(REGISTER_FORM, &r, "2021-06-30");
        assert!(register.iter().any(|i| i.field == "capacity"));
        assert!(register.iter().all(|i| i.field != "output"));
        let unknown = CoalMining::validate("x", &r, "2021-06-30");
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].message, "未知表单“x”");
        assert!(CoalMining::classify(ANNUAL_FORM, &r, "2021-06-30").is_empty());
        assert_eq!(
            CoalMining::classify(REGISTER_FORM, &r, "2021-06-30").len(),
            3
        );
    }
}
