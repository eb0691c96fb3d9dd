//! The rules of 附件10 as the seed states them (`content/rules.md`; seed 001, lines 626–699),
//! one module per form.
//!
//! Every rule reads a record through [`Fields`](anwei_plugin_sdk::Fields), so `validate` and
//! `classify` (a [`FormRecord`]) and `compute` (the rows of the [`RecordBatch`] the desk sends)
//! apply the same code to the same values. Each form's module gives `findings` (the rules
//! that apply to one record: a [`common::Finding`] is both the issues `validate` shows and the
//! result `classify` gives), `date_errors` (dates that cannot be), its `TARGETS` and their
//! computation, in one pass over the rows. The main ledger, 园区企业台账, is also summarised
//! batch by batch (API 1.1: [`summarize`], [`combine`]).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::summary;
use anwei_plugin_sdk::{Classification, FormRecord, Issue, RecordBatch, TargetValue};

mod common;
mod enterprise;
mod equipment;
mod hazard;
mod park;
mod small;

use common::Finding;

/// The forms, in the order of `content/forms.json`.
pub const FORMS: [&str; 5] = [
    enterprise::FORM,
    equipment::FORM,
    small::FORM,
    park::FORM,
    hazard::FORM,
];

/// The rules that apply to one record of `form` on `today`, and the record's impossible
/// dates; `None` for an unknown form.
fn findings(form: &str, r: &FormRecord, today: Option<Date>) -> Option<(Vec<Finding>, Vec<Issue>)> {
    Some(match form {
        enterprise::FORM => (enterprise::findings(r, today), enterprise::date_errors(r)),
        equipment::FORM => (equipment::findings(r, today), equipment::date_errors(r)),
        small::FORM => (small::findings(r, today), small::date_errors(r)),
        park::FORM => (park::findings(r, today), park::date_errors(r)),
        hazard::FORM => (hazard::findings(r, today), hazard::date_errors(r)),
        _ => return None,
    })
}

/// Field-level issues of one record of `form` on `today`: an error for a date that cannot be
/// (the record stays a draft), then each rule's warnings (违规, 待办) and 提示.
pub fn validate(form: &str, record: &FormRecord, today: Option<Date>) -> Vec<Issue> {
    match findings(form, record, today) {
        Some((found, mut errors)) => {
            errors.extend(found.into_iter().flat_map(|f| f.issues));
            errors
        }
        None => vec![Issue::error("", format!("未知表单“{form}”"))],
    }
}

/// The rules' results for one record of `form` on `today`.
pub fn classify(form: &str, record: &FormRecord, today: Option<Date>) -> Vec<Classification> {
    findings(form, record, today)
        .map(|(found, _)| found.iter().map(Finding::classification).collect())
        .unwrap_or_default()
}

/// Target values of `form` from its records on `as_of` (none without a date). Each form is
/// one pass over its rows.
pub fn compute(form: &str, records: &RecordBatch, as_of: Option<Date>) -> Vec<TargetValue> {
    let Some(as_of) = as_of else {
        return Vec::new();
    };
    match form {
        enterprise::FORM => enterprise::Tally::of(records, as_of).values(),
        small::FORM => small::compute(records, as_of),
        park::FORM => park::compute(records, as_of),
        hazard::FORM => hazard::compute(records, as_of),
        _ => Vec::new(),
    }
}

/// The summary of one batch of the main ledger (园区企业台账) on `as_of` (API 1.1); `None` —
/// computed whole — for the other forms, and without a date.
pub fn summarize(form: &str, records: &RecordBatch, as_of: Option<Date>) -> Option<Vec<u8>> {
    match form {
        enterprise::FORM => summary::encode(&enterprise::Tally::of(records, as_of?)),
        _ => None,
    }
}

/// The target values of `form` from the summaries of its batches, in order: what [`compute`]
/// gives over the whole register. Nothing when a summary is not this code's.
pub fn combine(form: &str, summaries: &[Vec<u8>], as_of: Option<Date>) -> Vec<TargetValue> {
    if as_of.is_none() {
        return Vec::new();
    }
    match form {
        enterprise::FORM => {
            summary::combine::<enterprise::Tally>(summaries).map_or_else(Vec::new, |t| t.values())
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use anwei_plugin_sdk::Severity;
    use anwei_plugin_sdk::content::{FormsContent, PlanContent};
    use anwei_plugin_sdk::record::RecordBuilder;

    use super::common::test_support::{all_names, day, full_batch, keyed};
    use super::common::year_end;
    use super::*;
    use crate::{FORMS_JSON, PLAN_JSON};

    fn plan() -> PlanContent {
        PlanContent::from_json(PLAN_JSON).unwrap()
    }

    /// A form, its targets (id, last due day) and its fixture.
    type Module = (&'static str, Vec<(&'static str, Date)>, Vec<FormRecord>);

    /// Each form with its targets and its fixture.
    fn modules() -> Vec<Module> {
        vec![
            (
                enterprise::FORM,
                enterprise::TARGETS.to_vec(),
                enterprise::tests::fixture(),
            ),
            (equipment::FORM, Vec::new(), Vec::new()),
            (
                small::FORM,
                small::TARGETS.to_vec(),
                small::tests::fixture(),
            ),
            (park::FORM, park::TARGETS.to_vec(), park::tests::fixture()),
            (
                hazard::FORM,
                hazard::TARGETS.to_vec(),
                hazard::tests::fixture(),
            ),
        ]
    }

    #[test]
    fn the_forms_are_those_of_forms_json() {
        let forms = FormsContent::from_json(FORMS_JSON).unwrap();
        let ids: Vec<&str> = forms.forms.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, FORMS);
        let modules: Vec<&str> = modules().iter().map(|m| m.0).collect();
        assert_eq!(modules, FORMS);
    }

    #[test]
    fn the_targets_and_their_last_due_days_are_those_of_the_plan() {
        let plan = plan();
        let mut with_form = 0;
        for (form, targets, _) in modules() {
            let planned: BTreeMap<String, Date> = plan
                .targets
                .iter()
                .filter(|t| t.form.as_deref() == Some(form))
                .map(|t| {
                    let last = t
                        .checkpoints
                        .iter()
                        .map(|c| c.due.as_deref().map_or(year_end(c.year), day))
                        .max()
                        .unwrap();
                    (t.id.clone(), last)
                })
                .collect();
            with_form += planned.len();
            let ours: BTreeMap<String, Date> = targets
                .iter()
                .map(|(id, d)| ((*id).to_owned(), *d))
                .collect();
            assert_eq!(ours, planned, "{form}");
        }
        assert_eq!(with_form, 13);
        assert_eq!(plan.targets.iter().filter(|t| t.form.is_some()).count(), 13);
    }

    #[test]
    fn every_computed_target_gets_a_value_from_its_fixture() {
        for (form, targets, records) in modules() {
            let mut given = BTreeSet::new();
            for as_of in ["2020-12-31", "2021-12-31", "2022-12-31"] {
                for v in compute(form, &full_batch(&records), Some(day(as_of))) {
                    given.insert(v.target_id);
                }
            }
            let all: BTreeSet<String> = targets.iter().map(|(id, _)| (*id).to_owned()).collect();
            assert_eq!(given, all, "{form}");
        }
    }

    /// What the desk sends: the records with only the inputs of the form's targets.
    fn input_batch(form: &str, records: &[FormRecord]) -> RecordBatch {
        let inputs = plan().inputs_of(form);
        let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        RecordBatch::from_records(records, &refs)
    }

    const DAYS: [&str; 12] = [
        "2019-06-01",
        "2020-05-30",
        "2020-05-31",
        "2020-06-01",
        "2020-12-31",
        "2021-06-30",
        "2021-12-31",
        "2022-02-28",
        "2022-06-30",
        "2022-12-31",
        "2023-03-01",
        "2026-01-01",
    ];

    #[test]
    fn compute_reads_only_the_inputs_of_plan_json() {
        for (form, targets, records) in modules() {
            if targets.is_empty() {
                continue;
            }
            let inputs = input_batch(form, &records);
            // The fixtures hold a field the inputs leave out: the comparison can tell.
            assert!(
                all_names(&records)
                    .iter()
                    .any(|n| inputs.column(n).is_none()),
                "{form}"
            );
            for as_of in DAYS {
                let a = keyed(&compute(form, &inputs, Some(day(as_of))));
                let b = keyed(&compute(form, &full_batch(&records), Some(day(as_of))));
                assert_eq!(a, b, "{form} on {as_of}");
            }
        }
        // A register where every branch occurs gives the same values with only the inputs.
        for as_of in DAYS {
            let records = register(300);
            let a = keyed(&compute(
                enterprise::FORM,
                &input_batch(enterprise::FORM, &records),
                Some(day(as_of)),
            ));
            let b = keyed(&compute(
                enterprise::FORM,
                &full_batch(&records),
                Some(day(as_of)),
            ));
            assert_eq!(a, b, "register on {as_of}");
        }
    }

    /// A generated main ledger: `n` enterprises with every branch of the computations, and
    /// fields the targets do not read.
    fn register(n: usize) -> Vec<FormRecord> {
        let dates = [
            "2016-03-01",
            "2020-05-01",
            "2020-05-31",
            "2020-06-01",
            "2021-12-31",
            "2022-06-30",
            "2022-12-31",
            "2023-01-02",
        ];
        let d = |i: usize, k: usize| dates[(i * k + k) % dates.len()];
        let zones = ["none", "populated", "restricted"];
        let activities = [
            &["production"][..],
            &["storage", "use"],
            &["production", "operation"],
        ];
        let distance = ["compliant", "non_compliant", "unknown", "non_compliant"];
        (0..n)
            .map(|i| {
                let mut b = RecordBuilder::new(&format!("e{i}"))
                    .text("enterprise", &format!("第{i}号企业"))
                    .text("industry", "chemical")
                    .text("remarks", "无")
                    .flag("hazchem", i % 5 != 0)
                    .choices("hazchem_activity", activities[i % activities.len()])
                    .text("relocation_zone", zones[i % zones.len()])
                    .text("distance_ok", distance[i % distance.len()])
                    .date("entered_date", d(i, 1))
                    .flag("labour_intensive", i % 7 == 0);
                if i % 4 != 1 {
                    b = b
                        .date("work_plan_date", d(i, 2))
                        .date("relocation_done_date", d(i, 3))
                        .date("distance_plan_date", d(i, 5));
                }
                if i % 3 == 0 {
                    b = b
                        .date("distance_done_date", d(i, 6))
                        .text("status", "exited")
                        .date("exit_date", d(i, 7));
                }
                b.build()
            })
            .collect()
    }

    #[test]
    fn the_main_ledgers_batches_add_up_to_the_whole_register() {
        let records = register(97);
        for as_of in DAYS {
            let as_of = Some(day(as_of));
            let whole = keyed(&compute(
                enterprise::FORM,
                &input_batch(enterprise::FORM, &records),
                as_of,
            ));
            assert!(!whole.is_empty());
            for size in [1, 2, 10, 40, 96, 97] {
                let summaries: Vec<Vec<u8>> = records
                    .chunks(size)
                    .map(|part| {
                        summarize(
                            enterprise::FORM,
                            &input_batch(enterprise::FORM, part),
                            as_of,
                        )
                        .unwrap()
                    })
                    .collect();
                let combined = keyed(&combine(enterprise::FORM, &summaries, as_of));
                assert_eq!(combined, whole, "{as_of:?}, batches of {size}");
            }
        }
        // The other forms are computed whole; a foreign summary gives nothing.
        let batch = full_batch(&small::tests::fixture());
        assert!(summarize(small::FORM, &batch, Some(day("2022-12-31"))).is_none());
        assert!(summarize(enterprise::FORM, &batch, None).is_none());
        assert!(combine(enterprise::FORM, &[b"x".to_vec()], Some(day("2022-12-31"))).is_empty());
        assert!(combine(enterprise::FORM, &[], None).is_empty());
    }

    #[test]
    fn the_register_exercises_every_target_of_the_main_ledger() {
        let v = keyed(&compute(
            enterprise::FORM,
            &full_batch(&register(300)),
            Some(day("2022-06-30")),
        ));
        for (id, _) in enterprise::TARGETS {
            let x = v[id];
            assert!(x > 0.0 && x < 100.0, "{id} = {x}");
        }
    }

    /// 100 000 records of the main ledger in one pass: well inside the desk's budget (≤ 1 s in
    /// WASM; natively in a debug build this takes a fraction of that).
    #[test]
    fn one_hundred_thousand_enterprises_compute_in_one_pass() {
        let records = register(100_000);
        let batch = input_batch(enterprise::FORM, &records);
        let start = std::time::Instant::now();
        let v = compute(enterprise::FORM, &batch, Some(day("2022-12-31")));
        let took = start.elapsed();
        eprintln!("100 000 records of the main ledger: {took:?}");
        assert_eq!(v.len(), 4);
        assert!(took.as_secs_f64() < 5.0, "{took:?}");
    }

    #[test]
    fn validate_and_classify_say_the_same_thing() {
        let r = RecordBuilder::new("x")
            .date("entered_date", "2021-01-02")
            .date("exit_date", "2021-01-01")
            .text("status", "exited")
            .flag("unsafe", true)
            .build();
        let issues = validate(enterprise::FORM, &r, Some(day("2021-06-01")));
        assert_eq!(issues[0].severity, Severity::Error);
        assert_eq!(issues[0].field, "exit_date");
        let classes = classify(enterprise::FORM, &r, Some(day("2021-06-01")));
        assert!(
            classes
                .iter()
                .any(|c| c.rule == "e3-unsafe-exit" && c.value == "已淘汰退出")
        );
        // Every warning and info of validate comes from a classified rule.
        let fx = park::tests::fixture();
        for today in ["2021-01-01", "2022-01-01", "2023-01-01", "2023-03-01"] {
            for rec in &fx {
                let t = Some(day(today));
                let n: usize = validate(park::FORM, rec, t)
                    .iter()
                    .filter(|i| i.severity != Severity::Error)
                    .count();
                let (found, _) = findings(park::FORM, rec, t).unwrap();
                assert_eq!(n, found.iter().map(|f| f.issues.len()).sum::<usize>());
                assert_eq!(classify(park::FORM, rec, t).len(), found.len());
            }
        }
    }

    #[test]
    fn an_unknown_form_is_an_error() {
        let r = RecordBuilder::new("x").build();
        let i = validate("mine-register", &r, Some(day("2022-01-01")));
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Error);
        assert_eq!(i[0].message, "未知表单“mine-register”");
        assert!(classify("mine-register", &r, None).is_empty());
        let batch = RecordBatch::from_records(&[r], &[]);
        assert!(compute("mine-register", &batch, Some(day("2022-12-31"))).is_empty());
        assert!(compute(enterprise::FORM, &batch, None).is_empty());
        // An empty record of each form raises no error.
        for form in FORMS {
            let i = validate(form, &RecordBuilder::new("x").build(), None);
            assert!(i.iter().all(|i| i.severity != Severity::Error), "{form}");
        }
    }

    #[test]
    fn every_rule_reason_cites_the_seed_in_chinese() {
        let mut seen = BTreeSet::new();
        let fixtures: Vec<(&str, Vec<FormRecord>)> = vec![
            (enterprise::FORM, enterprise::tests::fixture()),
            (small::FORM, small::tests::fixture()),
            (park::FORM, park::tests::fixture()),
            (hazard::FORM, hazard::tests::fixture()),
        ];
        for (form, records) in fixtures {
            for r in &records {
                for today in ["2020-06-01", "2022-01-01", "2023-01-01"] {
                    for c in classify(form, r, Some(day(today))) {
                        assert!(
                            c.reason.contains('第') && c.reason.contains('行'),
                            "{}",
                            c.rule
                        );
                        assert!(!c.value.is_ascii(), "{}", c.rule);
                        seen.insert(c.rule);
                    }
                }
            }
        }
        assert!(seen.len() >= 15, "{seen:?}");
    }
}
