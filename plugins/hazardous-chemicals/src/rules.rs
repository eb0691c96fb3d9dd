//! The rules of 附件3 as the seed states them (see `content/rules.md`), one module per form.
//!
//! Every rule reads records through [`Fields`](anwei_plugin_sdk::Fields), so `validate` and
//! `classify` (a [`FormRecord`]) and `compute` (the rows of the [`RecordBatch`] the desk sends)
//! apply the same code to the same values. Each form's module gives:
//! - `findings`: the record rules of rules.md Part A that apply to one record (a
//!   [`common::Finding`] is both the issue `validate` shows and the result `classify` gives);
//! - `compute`: the value of each of its targets (rules.md Part B) on the day it stands for;
//! - `TARGETS`, `RULES`: what it covers, checked against `plan.json` and `forms.json` by the
//!   tests below.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::summary;
use anwei_plugin_sdk::{Classification, FormRecord, Issue, RecordBatch, TargetValue};

mod closure;
mod common;
mod documents;
mod enterprise;
mod fireworks_enterprise;
mod fireworks_outlet;
mod inspector;
mod park;
mod personnel;
mod project;
mod training;
mod vehicle;

use common::Finding;

/// The rules that apply to one record of `form` on `today`; `None` for an unknown form.
fn findings(form: &str, record: &FormRecord, today: Option<Date>) -> Option<Vec<Finding>> {
    Some(match form {
        enterprise::FORM => enterprise::findings(record, today),
        park::FORM => park::findings(record, today),
        project::FORM => project::findings(record, today),
        vehicle::FORM => vehicle::findings(record, today),
        personnel::FORM => personnel::findings(record, today),
        inspector::FORM => inspector::findings(record, today),
        training::FORM => training::findings(record, today),
        closure::FORM => closure::findings(record, today),
        fireworks_enterprise::FORM => fireworks_enterprise::findings(record, today),
        fireworks_outlet::FORM => fireworks_outlet::findings(record, today),
        documents::FORM => documents::findings(record, today),
        _ => return None,
    })
}

/// Field-level issues of one record of `form` on `today`: a warning for each rule that
/// applies (the record stays valid and counted), an error only where rules.md asks for one
/// (R01: approving a project in an A-grade park).
pub fn validate(form: &str, record: &FormRecord, today: Option<Date>) -> Vec<Issue> {
    match findings(form, record, today) {
        Some(found) => found.iter().map(Finding::issue).collect(),
        None => vec![Issue::error("", format!("未知表单“{form}”"))],
    }
}

/// Target values of `form` from its records on `as_of` (none without a date).
pub fn compute(form: &str, records: &RecordBatch, as_of: Option<Date>) -> Vec<TargetValue> {
    let Some(as_of) = as_of else {
        return Vec::new();
    };
    match form {
        enterprise::FORM => enterprise::compute(records, as_of),
        park::FORM => park::compute(records, as_of),
        project::FORM => project::compute(records, as_of),
        vehicle::FORM => vehicle::compute(records, as_of),
        personnel::FORM => personnel::compute(records, as_of),
        inspector::FORM => inspector::compute(records, as_of),
        training::FORM => training::compute(records, as_of),
        closure::FORM => closure::compute(records, as_of),
        fireworks_enterprise::FORM => fireworks_enterprise::compute(records, as_of),
        fireworks_outlet::FORM => fireworks_outlet::compute(records, as_of),
        documents::FORM => documents::compute(records, as_of),
        _ => Vec::new(),
    }
}

/// The summary of one batch of the records of `form` on `as_of` (API 1.1), for the forms
/// whose registers run large: the enterprise register (units rows included). `None` — the
/// form computed whole — for the others, and without a date.
pub fn summarize(form: &str, records: &RecordBatch, as_of: Option<Date>) -> Option<Vec<u8>> {
    match form {
        enterprise::FORM => summary::encode(&enterprise::tally(records, as_of?)),
        _ => None,
    }
}

/// The target values of `form` from the summaries of its batches, in order: what
/// [`compute`] gives over the whole register. None when a summary is not this code's.
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

/// The rules' results for one record of `form` on `today` (only the rules that apply).
pub fn classify(form: &str, record: &FormRecord, today: Option<Date>) -> Vec<Classification> {
    findings(form, record, today)
        .unwrap_or_default()
        .iter()
        .map(Finding::classification)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use anwei_plugin_sdk::Severity;
    use anwei_plugin_sdk::content::{FormsContent, PlanContent};

    use super::common::test_support::{all_names, day, full_batch, keyed, record};
    use super::common::{Rule, TargetDay, UNITS, year_end};
    use super::*;
    use crate::{FORMS_JSON, PLAN_JSON};

    /// A form's module: its form id, targets, rules and fixtures.
    type Module = (
        &'static str,
        &'static [TargetDay],
        &'static [&'static Rule],
        Vec<Vec<FormRecord>>,
    );

    /// Each form with its targets, its rules and its fixtures.
    fn modules() -> Vec<Module> {
        vec![
            (
                enterprise::FORM,
                enterprise::TARGETS,
                enterprise::RULES,
                vec![enterprise::tests::fixture()],
            ),
            (
                park::FORM,
                park::TARGETS,
                park::RULES,
                vec![park::tests::fixture()],
            ),
            (project::FORM, project::TARGETS, project::RULES, vec![]),
            (
                vehicle::FORM,
                vehicle::TARGETS,
                vehicle::RULES,
                vec![vehicle::tests::fixture()],
            ),
            (
                personnel::FORM,
                personnel::TARGETS,
                personnel::RULES,
                vec![personnel::tests::fixture_a(), personnel::tests::fixture_b()],
            ),
            (
                inspector::FORM,
                inspector::TARGETS,
                inspector::RULES,
                vec![inspector::tests::fixture()],
            ),
            (
                training::FORM,
                training::TARGETS,
                training::RULES,
                vec![training::tests::fixture()],
            ),
            (
                closure::FORM,
                closure::TARGETS,
                closure::RULES,
                vec![closure::tests::fixture()],
            ),
            (
                fireworks_enterprise::FORM,
                fireworks_enterprise::TARGETS,
                fireworks_enterprise::RULES,
                vec![fireworks_enterprise::tests::fixture()],
            ),
            (
                fireworks_outlet::FORM,
                fireworks_outlet::TARGETS,
                fireworks_outlet::RULES,
                vec![fireworks_outlet::tests::fixture()],
            ),
            (
                documents::FORM,
                documents::TARGETS,
                documents::RULES,
                vec![documents::tests::fixture()],
            ),
        ]
    }

    fn plan() -> PlanContent {
        PlanContent::from_json(PLAN_JSON).unwrap()
    }

    fn forms() -> FormsContent {
        FormsContent::from_json(FORMS_JSON).unwrap()
    }

    /// The fields of `form` inside its repeat group.
    fn repeat_fields(form: &str) -> BTreeSet<String> {
        let forms = forms();
        let f = forms.forms.iter().find(|f| f.id == form).unwrap();
        let mut inside = false;
        let mut out = BTreeSet::new();
        for field in &f.fields {
            match field.kind.as_str() {
                "begin_repeat" => {
                    assert_eq!(field.name, UNITS);
                    inside = true;
                }
                "end_repeat" => inside = false,
                _ if inside => {
                    out.insert(field.name.clone());
                }
                _ => {}
            }
        }
        out
    }

    /// The `inputs` of `form`'s targets in plan.json, in order, each once.
    fn inputs_of(form: &str) -> Vec<String> {
        plan().inputs_of(form)
    }

    #[test]
    fn every_form_has_a_module_and_every_module_a_form() {
        let ids: Vec<String> = forms().forms.iter().map(|f| f.id.clone()).collect();
        let modules: Vec<String> = modules().iter().map(|m| m.0.to_owned()).collect();
        assert_eq!(ids, modules);
    }

    #[test]
    fn the_targets_and_their_last_due_days_are_those_of_the_plan() {
        let plan = plan();
        let mut with_form = 0;
        for (form, targets, _, _) in modules() {
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
                .map(|t| (t.id.to_owned(), t.last_due))
                .collect();
            assert_eq!(ours, planned, "{form}");
        }
        assert_eq!(with_form, 44);
        assert_eq!(plan.targets.iter().filter(|t| t.form.is_some()).count(), 44);
    }

    #[test]
    fn every_target_gets_a_value_from_its_fixtures() {
        for (form, targets, _, fixtures) in modules() {
            let mut given = BTreeSet::new();
            for records in &fixtures {
                for as_of in ["2020-12-31", "2021-12-31", "2022-12-31"] {
                    let batch = full_batch(records);
                    for v in compute(form, &batch, Some(day(as_of))) {
                        given.insert(v.target_id);
                    }
                }
            }
            let all: BTreeSet<String> = targets.iter().map(|t| t.id.to_owned()).collect();
            assert_eq!(given, all, "{form}");
        }
    }

    /// What the desk passes: the inputs of the form's targets; a field of the `units` group is
    /// passed for every row (`units[i]/field`), which is how its rows reach `compute`.
    fn input_batch(form: &str, records: &[FormRecord]) -> RecordBatch {
        let repeat = repeat_fields(form);
        let names = all_names(records);
        let mut fields: Vec<String> = Vec::new();
        for input in inputs_of(form) {
            if repeat.contains(&input) {
                let suffix = format!("]/{input}");
                fields.extend(
                    names
                        .iter()
                        .filter(|n| n.starts_with(&format!("{UNITS}[")) && n.ends_with(&suffix))
                        .cloned(),
                );
            } else {
                fields.push(input);
            }
        }
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        RecordBatch::from_records(records, &refs)
    }

    #[test]
    fn compute_reads_only_the_inputs_of_plan_json() {
        let dates = [
            "2020-06-01",
            "2020-08-31",
            "2020-12-31",
            "2021-06-30",
            "2021-12-31",
            "2022-06-30",
            "2022-12-31",
            "2023-03-01",
        ];
        for (form, _, _, fixtures) in modules() {
            for records in &fixtures {
                let inputs = input_batch(form, records);
                let full = full_batch(records);
                // The records hold fields the inputs leave out: the comparison can tell.
                assert!(
                    all_names(records)
                        .iter()
                        .any(|n| inputs.column(n).is_none()),
                    "{form}"
                );
                for as_of in dates {
                    let a = keyed(&compute(form, &inputs, Some(day(as_of))));
                    let b = keyed(&compute(form, &full, Some(day(as_of))));
                    assert_eq!(a, b, "{form} on {as_of}");
                    assert!(!b.is_empty(), "{form} on {as_of}");
                }
            }
        }
    }

    #[test]
    fn the_enterprise_registers_batches_add_up_to_the_whole_register() {
        let records = enterprise::tests::fixture();
        assert!(records.len() >= 4);
        // Every cut into two batches, and batches of one: a batch holds the unit rows its
        // own records have (the first batch may have fewer than the second).
        let mut splits: Vec<Vec<&[FormRecord]>> = (1..records.len())
            .map(|k| vec![&records[..k], &records[k..]])
            .collect();
        splits.push(records.chunks(1).collect());
        splits.push(records.chunks(3).collect());
        for as_of in [
            "2020-06-01",
            "2020-08-31",
            "2020-09-01",
            "2020-12-31",
            "2021-01-15",
            "2021-06-30",
            "2021-07-20",
            "2021-12-31",
            "2022-06-30",
            "2022-12-31",
            "2023-03-01",
        ] {
            let as_of = Some(day(as_of));
            let whole = keyed(&compute(
                enterprise::FORM,
                &input_batch(enterprise::FORM, &records),
                as_of,
            ));
            assert!(!whole.is_empty(), "{as_of:?}");
            for split in &splits {
                let summaries: Vec<Vec<u8>> = split
                    .iter()
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
                assert_eq!(combined, whole, "{as_of:?}, {} batches", split.len());
            }
        }
        // The other forms are computed whole; a summary of other code combines to nothing.
        let parks = input_batch(park::FORM, &park::tests::fixture());
        assert!(summarize(park::FORM, &parks, Some(day("2021-06-30"))).is_none());
        let batch = input_batch(enterprise::FORM, &records);
        assert!(summarize(enterprise::FORM, &batch, None).is_none());
        assert!(combine(enterprise::FORM, &[b"{}".to_vec()], Some(day("2021-06-30"))).is_empty());
    }

    #[test]
    fn note_messages_are_the_labels_of_the_form_word_for_word() {
        let forms = forms();
        let mut notes = 0;
        for (form, _, rules, _) in modules() {
            let f = forms.forms.iter().find(|f| f.id == form).unwrap();
            for rule in rules {
                if let Some(note) = rule.note {
                    let field = f.fields.iter().find(|x| x.name == note);
                    let field = field.unwrap_or_else(|| panic!("{form}: no note {note}"));
                    assert_eq!(field.kind, "note");
                    assert_eq!(field.label, rule.message, "{form} {note}");
                    notes += 1;
                }
            }
            // Every message note of the form is some rule's.
            for field in f.fields.iter().filter(|x| x.name.starts_with("msg_")) {
                assert!(
                    rules.iter().any(|r| r.note == Some(field.name.as_str())),
                    "{form}: note {} has no rule",
                    field.name
                );
            }
        }
        assert_eq!(notes, 42);
        let ids: Vec<&str> = modules()
            .iter()
            .flat_map(|m| m.2.iter().map(|r| r.id))
            .collect();
        let unique: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(ids.len(), unique.len());
    }

    #[test]
    fn an_unknown_form_is_an_error_and_has_no_values() {
        let r = record("X", &[("status", "open")]);
        let issues = validate("no-such-form", &r, Some(day("2021-01-01")));
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].severity, Severity::Error);
        assert_eq!(issues[0].message, "未知表单“no-such-form”");
        assert!(classify("no-such-form", &r, None).is_empty());
        let batch = full_batch(&[r]);
        assert!(compute("no-such-form", &batch, Some(day("2021-01-01"))).is_empty());
        assert!(compute(park::FORM, &full_batch(&park::tests::fixture()), None).is_empty());
    }

    #[test]
    fn validate_and_classify_say_the_same() {
        // P4 on 2022-01-01: still A at end 2021 (R02), not assessed (R10).
        let p4 = &park::tests::fixture()[3];
        let today = Some(day("2022-01-01"));
        let issues = validate(park::FORM, p4, today);
        let results = classify(park::FORM, p4, today);
        assert_eq!(issues.len(), results.len());
        let exit = results.iter().find(|c| c.rule == park::R02.id).unwrap();
        assert_eq!(exit.value, "应关闭退出");
        assert!(exit.reason.contains("第109行"));
        assert!(exit.reason.contains("到2021年底经整改仍为A级,则要关闭退出"));
        assert!(exit.record_id.is_empty());
        let issue = issues.iter().find(|i| i.field == "grade_end_2021").unwrap();
        assert_eq!(issue.severity, Severity::Warning);
        assert_eq!(issue.message, park::R02.message);
        assert!(results.iter().any(|c| c.rule == park::R10.id));
        // The enterprise fixture's unit issues name their row.
        let e2 = &enterprise::tests::fixture()[1];
        let issues = validate(enterprise::FORM, e2, Some(day("2023-01-02")));
        assert!(issues.iter().any(|i| i.field == "units[0]/u_status"));
        // An approved project in an A-grade park is the one error.
        let project = record(
            "J",
            &[
                ("in_park", "yes"),
                ("park_grade", "A"),
                ("status", "approved"),
            ],
        );
        let issues = validate(project::FORM, &project, today);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].severity, Severity::Warning);
        assert_eq!(issues[0].field, "status");
    }
}
