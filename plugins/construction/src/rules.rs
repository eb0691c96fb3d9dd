//! The rules of 附件9 as the seed states them (`content/rules.md`; seed 001, lines 542–624),
//! one module per form.
//!
//! Every rule reads records through [`Fields`](anwei_plugin_sdk::Fields), so `validate` and
//! `classify` (a [`FormRecord`]) and `compute` (the rows of the [`RecordBatch`] the desk sends)
//! read the same values. Each form's module gives `findings` (the rules of rules.md Part A
//! that apply to one record: a [`common::Finding`] is both the issue `validate` shows and the
//! result `classify` gives), `compute` (its targets, rules.md Part B, in one pass over the
//! rows) and `TARGETS` / `RULES` (checked against plan.json and rules.md by the tests below).
//! The main ledger, 问题隐患清单, is also summarized batch by batch ([`summarize`],
//! [`combine`]).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::summary;
use anwei_plugin_sdk::{Classification, FormRecord, Issue, RecordBatch, TargetValue};

mod accident;
mod building;
mod common;
mod hazard;
mod measure;
mod spoil;
mod works;

use common::Finding;

/// The forms, in the order of `content/forms.json`.
pub const FORMS: [&str; 6] = [
    hazard::FORM,
    measure::FORM,
    building::FORM,
    works::FORM,
    accident::FORM,
    spoil::FORM,
];

/// The rules that apply to one record of `form` on `today`; `None` for an unknown form.
fn findings(form: &str, record: &FormRecord, today: Option<Date>) -> Option<Vec<Finding>> {
    Some(match form {
        hazard::FORM => hazard::findings(record, today),
        measure::FORM => measure::findings(record, today),
        building::FORM => building::findings(record, today),
        works::FORM => works::findings(record, today),
        accident::FORM => accident::findings(record, today),
        spoil::FORM => spoil::findings(record, today),
        _ => return None,
    })
}

/// The issues of one record of `form` on `today`: a warning or a hint for each rule that asks
/// something of it (the record stays valid and counted); an error only for an unknown form.
pub fn validate(form: &str, record: &FormRecord, today: Option<Date>) -> Vec<Issue> {
    match findings(form, record, today) {
        Some(found) => found.iter().filter_map(Finding::issue).collect(),
        None => vec![Issue::error("", format!("未知表单“{form}”"))],
    }
}

/// The rules' results for one record of `form` on `today` (only the rules that apply).
pub fn classify(form: &str, record: &FormRecord, today: Option<Date>) -> Vec<Classification> {
    findings(form, record, today)
        .unwrap_or_default()
        .iter()
        .map(Finding::classification)
        .collect()
}

/// The target values of `form` from its records on `as_of` (none without a date).
pub fn compute(form: &str, records: &RecordBatch, as_of: Option<Date>) -> Vec<TargetValue> {
    let Some(as_of) = as_of else {
        return Vec::new();
    };
    match form {
        hazard::FORM => hazard::compute(records, as_of),
        measure::FORM => measure::compute(records, as_of),
        building::FORM => building::compute(records, as_of),
        works::FORM => works::compute(records, as_of),
        accident::FORM => accident::compute(records, as_of),
        spoil::FORM => spoil::compute(records, as_of),
        _ => Vec::new(),
    }
}

/// The summary of one batch of `form`'s records on `as_of` (API 1.1): the 问题隐患清单 only;
/// `None` (computed whole) for the others and without a date.
pub fn summarize(form: &str, records: &RecordBatch, as_of: Option<Date>) -> Option<Vec<u8>> {
    match form {
        hazard::FORM => summary::encode(&hazard::Tally::of(records, as_of?)),
        _ => None,
    }
}

/// The target values of `form` from the summaries of its batches: what [`compute`] gives over
/// the whole register. Nothing when a summary is not this code's.
pub fn combine(form: &str, summaries: &[Vec<u8>], as_of: Option<Date>) -> Vec<TargetValue> {
    if as_of.is_none() {
        return Vec::new();
    }
    match form {
        hazard::FORM => {
            summary::combine::<hazard::Tally>(summaries).map_or_else(Vec::new, |t| t.values())
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use anwei_plugin_sdk::Severity;
    use anwei_plugin_sdk::content::{FormsContent, PlanContent};

    use super::common::test_support::{all_names, day, full_batch, keyed, record};
    use super::common::{Rule, TargetDay, ymd};
    use super::*;
    use crate::{FORMS_JSON, PLAN_JSON};

    const RULES_MD: &str = include_str!("../content/rules.md");

    /// A form's module: its id, targets, rules and fixture.
    type Module = (
        &'static str,
        &'static [TargetDay],
        &'static [&'static Rule],
        Vec<FormRecord>,
    );

    fn modules() -> Vec<Module> {
        vec![
            (
                hazard::FORM,
                hazard::TARGETS,
                hazard::RULES,
                hazard::tests::fixture(),
            ),
            (
                measure::FORM,
                measure::TARGETS,
                measure::RULES,
                measure::tests::fixture(),
            ),
            (
                building::FORM,
                building::TARGETS,
                building::RULES,
                building::tests::fixture(),
            ),
            (
                works::FORM,
                works::TARGETS,
                works::RULES,
                works::tests::fixture(),
            ),
            (
                accident::FORM,
                accident::TARGETS,
                accident::RULES,
                accident::tests::fixture(),
            ),
            (
                spoil::FORM,
                spoil::TARGETS,
                spoil::RULES,
                spoil::tests::fixture(),
            ),
        ]
    }

    fn plan() -> PlanContent {
        PlanContent::from_json(PLAN_JSON).unwrap()
    }

    /// What the desk sends `compute`: the declared inputs of the form's targets.
    fn input_batch(form: &str, records: &[FormRecord]) -> RecordBatch {
        let inputs = plan().inputs_of(form);
        let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        RecordBatch::from_records(records, &refs)
    }

    const DAYS: [&str; 10] = [
        "2020-06-30",
        "2020-12-31",
        "2021-01-01",
        "2021-03-30",
        "2021-06-30",
        "2021-12-31",
        "2022-03-01",
        "2022-06-01",
        "2022-12-31",
        "2023-03-01",
    ];

    #[test]
    fn every_form_has_a_module_and_every_module_a_form() {
        let forms = FormsContent::from_json(FORMS_JSON).unwrap();
        let ids: Vec<&str> = forms.forms.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, FORMS);
        let modules: Vec<&str> = modules().iter().map(|m| m.0).collect();
        assert_eq!(modules, FORMS);
    }

    #[test]
    fn the_targets_and_their_last_due_days_are_those_of_the_plan() {
        let plan = plan();
        let mut computed = 0;
        for (form, targets, _, _) in modules() {
            let planned: BTreeMap<String, Date> = plan
                .targets
                .iter()
                .filter(|t| t.form.as_deref() == Some(form))
                .map(|t| {
                    let last = t
                        .checkpoints
                        .iter()
                        .map(|c| c.due.as_deref().map_or(ymd(c.year, 12, 31), day))
                        .max()
                        .unwrap();
                    (t.id.clone(), last)
                })
                .collect();
            computed += planned.len();
            let ours: BTreeMap<String, Date> = targets
                .iter()
                .map(|t| (t.id.to_owned(), t.last_due))
                .collect();
            assert_eq!(ours, planned, "{form}");
        }
        assert_eq!(computed, 13);
        assert_eq!(plan.targets.iter().filter(|t| t.form.is_some()).count(), 13);
    }

    #[test]
    fn every_target_gets_a_value_from_its_fixture_and_no_other_value_is_given() {
        for (form, targets, _, records) in modules() {
            let mut given = BTreeSet::new();
            for as_of in DAYS {
                for v in compute(form, &full_batch(&records), Some(day(as_of))) {
                    assert!(
                        targets.iter().any(|t| t.id == v.target_id),
                        "{form}: {}",
                        v.target_id
                    );
                    given.insert(v.target_id);
                }
            }
            let all: BTreeSet<String> = targets.iter().map(|t| t.id.to_owned()).collect();
            assert_eq!(given, all, "{form}");
        }
    }

    #[test]
    fn compute_over_the_declared_inputs_equals_compute_over_whole_records() {
        for (form, _, _, records) in modules() {
            let inputs = input_batch(form, &records);
            let full = full_batch(&records);
            // The records hold fields the inputs leave out: the comparison can tell.
            assert!(
                all_names(&records)
                    .iter()
                    .any(|n| inputs.column(n).is_none()),
                "{form}"
            );
            for as_of in DAYS {
                let a = keyed(&compute(form, &inputs, Some(day(as_of))));
                let b = keyed(&compute(form, &full, Some(day(as_of))));
                assert_eq!(a, b, "{form} on {as_of}");
            }
        }
    }

    #[test]
    fn the_hazard_lists_batches_add_up_to_the_whole_list() {
        let records = hazard::tests::fixture();
        let mut splits: Vec<Vec<&[FormRecord]>> = (1..records.len())
            .map(|k| vec![&records[..k], &records[k..]])
            .collect();
        splits.push(records.chunks(1).collect());
        for as_of in DAYS {
            let as_of = Some(day(as_of));
            let whole = keyed(&compute(
                hazard::FORM,
                &input_batch(hazard::FORM, &records),
                as_of,
            ));
            assert!(!whole.is_empty());
            for split in &splits {
                let summaries: Vec<Vec<u8>> = split
                    .iter()
                    .map(|part| {
                        summarize(hazard::FORM, &input_batch(hazard::FORM, part), as_of).unwrap()
                    })
                    .collect();
                let combined = keyed(&combine(hazard::FORM, &summaries, as_of));
                assert_eq!(combined, whole, "{as_of:?}, {} batches", split.len());
            }
        }
        // The other forms are computed whole; a summary of other code combines to nothing.
        let sites = full_batch(&spoil::tests::fixture());
        assert!(summarize(spoil::FORM, &sites, Some(day("2021-06-30"))).is_none());
        let batch = input_batch(hazard::FORM, &records);
        assert!(summarize(hazard::FORM, &batch, None).is_none());
        assert!(combine(hazard::FORM, &[b"[]".to_vec()], Some(day("2021-06-30"))).is_empty());
        assert!(combine(spoil::FORM, &[], Some(day("2021-06-30"))).is_empty());
    }

    #[test]
    fn every_rule_and_target_is_documented_with_its_seed_words() {
        let plan = plan();
        let mut ids = BTreeSet::new();
        for (form, targets, rules, _) in modules() {
            for r in rules {
                assert!(ids.insert(r.id), "rule {} twice", r.id);
                let heading = format!("`{}`", r.id);
                let at = RULES_MD
                    .find(&heading)
                    .unwrap_or_else(|| panic!("rules.md: no rule {heading} ({form})"));
                let section = &RULES_MD[at..];
                let end = section[1..].find("\n### ").map_or(section.len(), |e| e + 1);
                let section = &section[..end];
                assert!(
                    section.contains(&format!("L{} 「{}」", r.line, r.quote)),
                    "rules.md {heading}: L{} 「{}」",
                    r.line,
                    r.quote
                );
            }
            for t in targets {
                assert!(RULES_MD.contains(&format!("### {}", t.id)), "{}", t.id);
            }
        }
        for t in &plan.targets {
            assert!(RULES_MD.contains(t.id.as_str()), "rules.md: {}", t.id);
        }
    }

    #[test]
    fn validate_and_classify_say_the_same() {
        for (form, _, _, records) in modules() {
            for r in &records {
                for today in ["2020-12-31", "2021-06-30", "2022-01-01"] {
                    let today = Some(day(today));
                    let issues = validate(form, r, today);
                    let results = classify(form, r, today);
                    assert!(results.len() >= issues.len(), "{form}");
                    for i in &issues {
                        assert!(
                            results.iter().any(|c| c.reason.starts_with(&i.message)),
                            "{form}: {}",
                            i.message
                        );
                        assert_ne!(i.severity, Severity::Error);
                    }
                    for c in &results {
                        assert!(c.reason.contains("（方案原文第"), "{}", c.reason);
                        assert!(c.record_id.is_empty());
                    }
                }
            }
        }
    }

    #[test]
    fn an_unknown_form_is_an_error_and_has_no_values() {
        let r = record("X", &[("status", "pending")]);
        let issues = validate("mine-register", &r, Some(day("2021-01-01")));
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].severity, Severity::Error);
        assert_eq!(issues[0].field, "");
        assert_eq!(issues[0].message, "未知表单“mine-register”");
        assert!(classify("mine-register", &r, None).is_empty());
        let batch = full_batch(&[r]);
        assert!(compute("mine-register", &batch, Some(day("2021-01-01"))).is_empty());
        assert!(compute(hazard::FORM, &batch, None).is_empty());
    }

    /// 100 000 entries of the 问题隐患清单 in one compute (run with `--release --ignored`
    /// to see the time natively; the desk's budget inside WASM is 1 s).
    #[test]
    #[ignore]
    fn a_hundred_thousand_hazards_in_one_pass() {
        let dates = ["2020-08-01", "2020-12-31", "2021-05-01", "2022-02-01", ""];
        let records: Vec<FormRecord> = (0..100_000)
            .map(|i| {
                record(
                    &format!("h{i}"),
                    &[
                        ("item", "问题隐患"),
                        ("found_date", dates[i % 4]),
                        ("rect_unit", if i % 3 == 0 { "" } else { "某公司" }),
                        ("rect_requirement", "整改"),
                        ("rect_deadline", dates[(i + 1) % 4]),
                        ("rectified_date", dates[(i + 2) % 5]),
                        ("reviewed_2021", if i % 7 == 0 { "2021-06-01" } else { "" }),
                    ],
                )
            })
            .collect();
        let batch = input_batch(hazard::FORM, &records);
        let t = std::time::Instant::now();
        let v = compute(hazard::FORM, &batch, Some(day("2021-12-31")));
        eprintln!("100 000 hazards: {:?} for {} values", t.elapsed(), v.len());
        assert_eq!(v.len(), 5);
    }
}
