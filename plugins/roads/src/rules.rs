//! The rules of 附件7 as the seed states them (`content/rules.md`; seed 001, lines 415–471),
//! one module per form or group of forms.
//!
//! Every rule reads records through [`Fields`](anwei_plugin_sdk::Fields), so `validate` and
//! `classify` (a [`FormRecord`]) and `compute` (the rows of the [`RecordBatch`] the desk
//! sends: only the targets' `inputs`) apply the same code to the same values. A rule gives a
//! [`common::Finding`]: the issues `validate` shows and the classification `classify` gives.
//! Each form's targets are computed in one pass over its rows; the main ledger, the
//! `key-vehicle` register, also batch by batch ([`summarize`], [`combine`]).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::summary;
use anwei_plugin_sdk::{Classification, FormRecord, Issue, RecordBatch, TargetValue};

mod common;
mod drug;
mod duties;
mod hazard;
mod vehicle;

use common::Finding;

/// The forms of the plugin, in the order of `content/forms.json`.
pub const FORMS: [&str; 9] = [
    vehicle::FORM,
    hazard::FORM,
    duties::BULLETIN,
    duties::SPECIAL_CAMPAIGN,
    duties::ACCIDENT_STATS,
    duties::DRUG_CLEANUP,
    drug::FORM,
    duties::WARNING_EDUCATION,
    duties::PUBLICITY,
];

/// The rules that apply to one record of `form` on `today`; `None` for an unknown form.
fn findings(form: &str, r: &FormRecord, today: Option<Date>) -> Option<Vec<Finding>> {
    match form {
        vehicle::FORM => Some(vehicle::findings(r, today)),
        hazard::FORM => Some(hazard::findings(r, today)),
        drug::FORM => Some(drug::findings(r, today)),
        _ => duties::findings(form, r, today),
    }
}

/// Field-level issues of one record of `form` on `today`.
pub fn validate(form: &str, record: &FormRecord, today: Option<Date>) -> Vec<Issue> {
    match findings(form, record, today) {
        Some(found) => found.into_iter().flat_map(|f| f.issues).collect(),
        None => vec![Issue::error("", format!("未知表单“{form}”"))],
    }
}

/// The rules' results for one record of `form` on `today`.
pub fn classify(form: &str, record: &FormRecord, today: Option<Date>) -> Vec<Classification> {
    findings(form, record, today)
        .unwrap_or_default()
        .iter()
        .map(Finding::classification)
        .collect()
}

/// Target values of `form` from its records on `as_of` (none without a date).
pub fn compute(form: &str, records: &RecordBatch, as_of: Option<Date>) -> Vec<TargetValue> {
    let Some(as_of) = as_of else {
        return Vec::new();
    };
    match form {
        vehicle::FORM => vehicle::compute(records, as_of),
        hazard::FORM => hazard::compute(records, as_of),
        _ => duties::compute(form, records, as_of).unwrap_or_default(),
    }
}

/// The summary of one batch of the `key-vehicle` register on `as_of` (API 1.1); `None` —
/// computed whole — for the other forms, and without a date.
pub fn summarize(form: &str, records: &RecordBatch, as_of: Option<Date>) -> Option<Vec<u8>> {
    match form {
        vehicle::FORM => summary::encode(&vehicle::Tally::of(records.rows(), as_of?)),
        _ => None,
    }
}

/// The target values of `form` from the summaries of its batches, in order: what [`compute`]
/// gives over the whole register. None when a summary is not this code's.
pub fn combine(form: &str, summaries: &[Vec<u8>], as_of: Option<Date>) -> Vec<TargetValue> {
    if as_of.is_none() {
        return Vec::new();
    }
    match form {
        vehicle::FORM => {
            summary::combine::<vehicle::Tally>(summaries).map_or_else(Vec::new, |t| t.values())
        }
        _ => Vec::new(),
    }
}

/// The same computations over whole records (tests: compute over the desk's batch of inputs
/// equals compute over everything).
#[cfg(test)]
fn compute_records(form: &str, records: &[FormRecord], as_of: Date) -> Vec<TargetValue> {
    match form {
        vehicle::FORM => vehicle::Tally::of(records.iter(), as_of).values(),
        hazard::FORM => hazard::compute_rows(records.iter(), as_of),
        _ => duties::compute_rows(form, records.iter(), as_of).unwrap_or_default(),
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use anwei_plugin_sdk::content::PlanContent;
    use anwei_plugin_sdk::date::Date;
    use anwei_plugin_sdk::{FormRecord, Issue, RecordBatch};

    pub(crate) fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// The plan's target ids of `form` and the fields they read (in the order the desk uses).
    pub(crate) fn plan_inputs(form: &str) -> (Vec<String>, Vec<String>) {
        let plan = PlanContent::from_json(crate::PLAN_JSON).unwrap();
        let ids = plan
            .targets
            .iter()
            .filter(|t| t.form.as_deref() == Some(form))
            .map(|t| t.id.clone())
            .collect();
        (ids, plan.inputs_of(form))
    }

    /// Compute as the desk does: a batch holding only the form's inputs.
    pub(crate) fn desk_compute(
        form: &str,
        records: &[FormRecord],
        as_of: &str,
    ) -> Vec<(String, f64)> {
        let (_, inputs) = plan_inputs(form);
        let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        let batch = RecordBatch::from_records(records, &inputs);
        super::compute(form, &batch, Date::parse(as_of))
            .into_iter()
            .map(|v| {
                assert_eq!(v.town, None);
                (v.target_id, v.value)
            })
            .collect()
    }

    pub(crate) fn value_of(values: &[(String, f64)], id: &str) -> Option<f64> {
        values.iter().find(|(t, _)| t == id).map(|(_, v)| *v)
    }

    pub(crate) fn issues(form: &str, r: &FormRecord, today: &str) -> Vec<Issue> {
        super::validate(form, r, Date::parse(today))
    }

    pub(crate) fn class(form: &str, r: &FormRecord, rule: &str, today: &str) -> Option<String> {
        super::classify(form, r, Date::parse(today))
            .into_iter()
            .find(|c| c.rule == rule)
            .map(|c| c.value)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use anwei_plugin_sdk::content::{FormsContent, PlanContent};
    use anwei_plugin_sdk::record::RecordBuilder;
    use anwei_plugin_sdk::{FormRecord, RecordBatch, Severity};

    use super::test_support::{day, desk_compute, plan_inputs};
    use super::*;

    #[test]
    fn the_forms_are_those_of_forms_json() {
        let forms = FormsContent::from_json(crate::FORMS_JSON).unwrap();
        let ids: Vec<&str> = forms.forms.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, FORMS);
    }

    #[test]
    fn an_unknown_form_is_an_error() {
        let r = RecordBuilder::new("x").build();
        let i = validate("mine-register", &r, Date::parse("2022-01-01"));
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "");
        assert_eq!(i[0].severity, Severity::Error);
        assert_eq!(i[0].message, "未知表单“mine-register”");
        assert!(classify("mine-register", &r, None).is_empty());
        let batch = RecordBatch::from_records(&[r], &[]);
        assert!(compute("mine-register", &batch, Date::parse("2022-12-31")).is_empty());
        assert!(summarize("mine-register", &batch, Date::parse("2022-12-31")).is_none());
        assert!(compute(vehicle::FORM, &batch, None).is_empty());
    }

    /// The fixture of each form with targets.
    fn fixture(form: &str) -> Vec<FormRecord> {
        match form {
            vehicle::FORM => vehicle::tests::fixture(),
            hazard::FORM => hazard::tests::fixture(),
            duties::BULLETIN => duties::tests::bulletin_fixture(),
            duties::SPECIAL_CAMPAIGN => duties::tests::campaign_fixture(),
            duties::ACCIDENT_STATS => duties::tests::stats_fixture(),
            duties::DRUG_CLEANUP => duties::tests::cleanup_fixture(),
            duties::WARNING_EDUCATION => duties::tests::education_fixture(),
            duties::PUBLICITY => duties::tests::publicity_fixture(),
            _ => Vec::new(),
        }
    }

    /// Every computed target of plan.json gets a value from its form's fixture on some day,
    /// and no form computes a target that is not its own.
    #[test]
    fn every_computed_target_is_computed_by_its_form() {
        let plan = PlanContent::from_json(crate::PLAN_JSON).unwrap();
        let mut computed = BTreeSet::new();
        for form in FORMS {
            let (ids, _) = plan_inputs(form);
            for as_of in [
                "2020-12-31",
                "2021-05-15",
                "2021-12-31",
                "2022-03-31",
                "2022-12-31",
            ] {
                for (id, v) in desk_compute(form, &fixture(form), as_of) {
                    assert!(
                        ids.contains(&id),
                        "{form}: {id} is not a target of the form"
                    );
                    assert!(v.is_finite(), "{id}");
                    computed.insert(id);
                }
            }
        }
        let want: BTreeSet<String> = plan
            .targets
            .iter()
            .filter(|t| t.form.is_some())
            .map(|t| t.id.clone())
            .collect();
        assert_eq!(computed, want);
        // The two hand-entered targets have no form.
        let by_hand: Vec<&str> = plan
            .targets
            .iter()
            .filter(|t| t.form.is_none())
            .map(|t| t.id.as_str())
            .collect();
        assert_eq!(
            by_hand,
            ["rural-governance-system", "driving-school-five-ones"]
        );
    }

    /// A register of `form` where the branches of its computations occur, with fields the
    /// targets do not read.
    fn register(form: &str, n: usize) -> Vec<FormRecord> {
        let dates = [
            "2019-11-01",
            "2020-01-01",
            "2020-12-31",
            "2021-03-31",
            "2021-04-01",
            "2021-12-31",
            "2022-03-01",
            "2022-12-31",
            "2023-01-02",
        ];
        let d = |i: usize, k: usize| dates[(i * k + k) % dates.len()];
        let pick = |i: usize, xs: &[&'static str]| xs[i % xs.len()];
        (0..n)
            .map(|i| {
                let mut b = RecordBuilder::new(&format!("r{i}"))
                    .text("remarks", "无")
                    .text("town", "越州镇");
                b = match form {
                    vehicle::FORM => b
                        .text("plate", &format!("云D{i:05}"))
                        .text(
                            "vehicle_type",
                            pick(
                                i,
                                &[
                                    "coach",
                                    "tourist_coach",
                                    "hazmat",
                                    "school_bus",
                                    "heavy_truck",
                                    "other",
                                    "converted_coach",
                                ],
                            ),
                        )
                        .date("inspection_due", d(i, 1)),
                    hazard::FORM => b
                        .text("road_name", "某路")
                        .text("section", &format!("K{i}"))
                        .date("found_on", d(i, 1))
                        .text("origin", pick(i, &["stock", "increment", "stock"]))
                        .integer("accidents_2y", (i % 4) as i64)
                        .flag("regular_pattern", i % 3 != 0)
                        .flag("facility_defect", i % 5 != 0)
                        .flag("severe_consequence", i % 7 == 0)
                        .flag("mass_casualty_risk", i % 4 == 0)
                        .flag("hard_to_fix", i % 6 == 0)
                        .flag("major_hazard", i % 9 == 0)
                        .text(
                            "supervision_level",
                            pick(i, &["none", "district", "city", "province"]),
                        ),
                    duties::BULLETIN => b
                        .text(
                            "bulletin_type",
                            pick(
                                i,
                                &[
                                    "violation_analysis",
                                    "key_vehicle_violation",
                                    "hazard_list",
                                    "other",
                                ],
                            ),
                        )
                        .text(
                            "period_kind",
                            pick(
                                i,
                                &["monthly", "half_yearly", "yearly", "monthly", "monthly"],
                            ),
                        )
                        .date("issued_on", d(i, 1))
                        .choices(
                            "recipients",
                            [
                                &["transport", "emergency"][..],
                                &["transport"],
                                &["emergency", "public", "transport"],
                            ][i % 3],
                        )
                        .integer("vehicles_listed", i as i64),
                    duties::SPECIAL_CAMPAIGN => b.text("name", "整治").date("started_on", d(i, 1)),
                    duties::ACCIDENT_STATS => b
                        .integer("stat_year", 2019 + (i % 5) as i64)
                        .integer("stat_month", 1 + (i % 12) as i64)
                        .integer("property_loss_accidents", (i % 50) as i64)
                        .integer("online_cases", (i % 37) as i64),
                    duties::DRUG_CLEANUP => b.date("held_on", d(i, 1)).integer("listed_count", 3),
                    duties::WARNING_EDUCATION => b
                        .date("held_on", d(i, 1))
                        .text("topic", "警示")
                        .choices(
                            "enterprise_kinds",
                            [&["passenger"][..], &[], &["hazmat", "freight"]][i % 3],
                        )
                        .choices(
                            "audience",
                            [
                                &["principal"][..],
                                &["key_driver"],
                                &["violating_driver", "other"],
                            ][i % 3],
                        ),
                    duties::PUBLICITY => b
                        .date("held_on", d(i, 1))
                        .text(
                            "kind",
                            pick(i, &["five_into", "five_into", "driving_school", "exposure"]),
                        )
                        .text(
                            "venue",
                            pick(
                                i,
                                &[
                                    "rural",
                                    "community",
                                    "enterprise",
                                    "school",
                                    "family",
                                    "rural",
                                ],
                            ),
                        ),
                    _ => b,
                };
                if i % 4 != 1 {
                    b = match form {
                        vehicle::FORM => b
                            .date("inspected_on", d(i, 2))
                            .date("scrap_due", d(i, 3))
                            .date("bukong_on", d(i, 4)),
                        hazard::FORM => b
                            .date("supervision_on", d(i, 2))
                            .date("treated_on", d(i, 5)),
                        _ => b,
                    };
                }
                if i % 5 == 2 && form == vehicle::FORM {
                    b = b.date("scrapped_on", d(i, 5));
                }
                b.build()
            })
            .collect()
    }

    const DAYS: [&str; 7] = [
        "2020-06-30",
        "2020-12-31",
        "2021-03-31",
        "2021-12-30",
        "2022-03-01",
        "2022-12-31",
        "2023-06-30",
    ];

    #[test]
    fn compute_over_the_inputs_equals_compute_over_whole_records() {
        for form in FORMS {
            let records = register(form, 180);
            for as_of in DAYS {
                let whole: Vec<(String, u64)> = compute_records(form, &records, day(as_of))
                    .into_iter()
                    .map(|v| (v.target_id, v.value.to_bits()))
                    .collect();
                let desk: Vec<(String, u64)> = desk_compute(form, &records, as_of)
                    .into_iter()
                    .map(|(id, v)| (id, v.to_bits()))
                    .collect();
                assert_eq!(whole, desk, "{form} {as_of}");
            }
        }
        // The registers do exercise the computations.
        let v = desk_compute(vehicle::FORM, &register(vehicle::FORM, 180), "2022-03-01");
        let share = super::test_support::value_of(&v, vehicle::IN_BUKONG).unwrap();
        assert!(share > 0.0 && share < 100.0, "{share}");
        let v = desk_compute(hazard::FORM, &register(hazard::FORM, 180), "2022-03-01");
        let share = super::test_support::value_of(&v, hazard::SUPERVISION).unwrap();
        assert!(share > 0.0 && share < 100.0, "{share}");
    }

    #[test]
    fn the_key_vehicle_register_in_batches_gives_the_values_of_one_compute() {
        let records = register(vehicle::FORM, 500);
        let (_, inputs) = plan_inputs(vehicle::FORM);
        let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        for as_of in DAYS {
            let d = Date::parse(as_of);
            let whole = compute(
                vehicle::FORM,
                &RecordBatch::from_records(&records, &inputs),
                d,
            );
            assert_eq!(whole.len(), 1, "{as_of}");
            for every in [1, 7, 100, 499, 500] {
                let summaries: Vec<Vec<u8>> = records
                    .chunks(every)
                    .map(|c| {
                        summarize(vehicle::FORM, &RecordBatch::from_records(c, &inputs), d).unwrap()
                    })
                    .collect();
                let batched = combine(vehicle::FORM, &summaries, d);
                assert_eq!(
                    format!("{batched:?}"),
                    format!("{whole:?}"),
                    "{as_of} {every}"
                );
            }
        }
        assert!(combine(vehicle::FORM, &[b"x".to_vec()], Date::parse("2021-01-01")).is_empty());
        assert!(combine(vehicle::FORM, &[], None).is_empty());
        assert!(
            summarize(
                hazard::FORM,
                &RecordBatch::from_records(&records, &[]),
                Date::parse("2021-01-01")
            )
            .is_none()
        );
    }

    /// The main ledger's budget: 100 000 records computed in one pass. Natively this is far
    /// below the desk's 1 s in WASM; the test guards against a computation per target or per
    /// record pair.
    #[test]
    fn a_hundred_thousand_key_vehicles_compute_quickly() {
        let records = register(vehicle::FORM, 100_000);
        let (_, inputs) = plan_inputs(vehicle::FORM);
        let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        let batch = RecordBatch::from_records(&records, &inputs);
        let t = std::time::Instant::now();
        let v = compute(vehicle::FORM, &batch, Date::parse("2021-12-31"));
        let took = t.elapsed();
        assert_eq!(v.len(), 1);
        assert!(took.as_millis() < 1_000, "{took:?}");
    }
}
