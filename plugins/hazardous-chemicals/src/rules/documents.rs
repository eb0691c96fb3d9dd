//! `work-document` 工作文件台账: targets B-09, B-10, B-30, B-40. No record rule.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, RecordBatch, TargetValue};

use super::common::{END_2020, END_2022, Finding, TargetDay, by, count, is, period_year};

pub(crate) const FORM: &str = "work-document";

#[cfg(test)]
pub(crate) const RULES: &[&super::common::Rule] = &[];

pub(crate) fn findings(_r: &impl Fields, _today: Option<Date>) -> Vec<Finding> {
    Vec::new()
}

/// B-09 (L103 「2020年制定出台」).
pub(crate) const ENTRY_CONDITIONS: TargetDay = TargetDay {
    id: "entry-conditions",
    last_due: END_2020,
};
/// B-10 (L104 「2022年底前」).
pub(crate) const RESTRICTED_CATALOGUE: TargetDay = TargetDay {
    id: "restricted-catalogue",
    last_due: END_2022,
};
/// B-30 (L146), yearly.
pub(crate) const ENFORCEMENT_PLAN: TargetDay = TargetDay {
    id: "enforcement-annual-plan",
    last_due: END_2022,
};
/// B-40 (L166), yearly.
pub(crate) const EMERGENCY_BUDGET: TargetDay = TargetDay {
    id: "emergency-budget",
    last_due: END_2022,
};

#[cfg(test)]
pub(crate) const TARGETS: &[TargetDay] = &[
    ENTRY_CONDITIONS,
    RESTRICTED_CATALOGUE,
    ENFORCEMENT_PLAN,
    EMERGENCY_BUDGET,
];

pub(crate) fn compute(batch: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let d_entry = ENTRY_CONDITIONS.day(as_of);
    let d_restricted = RESTRICTED_CATALOGUE.day(as_of);
    let (year, _) = period_year(as_of);
    let year = f64::from(year);
    let mut entry = 0;
    let mut restricted = 0;
    let mut plans = 0;
    let mut budgets = 0;
    for r in batch.rows() {
        if is(&r, "kind", "entry_conditions") && by(&r, "issued_on", d_entry) {
            entry += 1;
        }
        if is(&r, "kind", "restricted_list") && by(&r, "issued_on", d_restricted) {
            restricted += 1;
        }
        // B-30, B-40: the documents for the year (适用年度).
        let for_year = r.number("plan_year") == Some(year);
        if for_year && is(&r, "kind", "enforcement_plan") {
            plans += 1;
        }
        if for_year && is(&r, "kind", "emergency_budget") {
            budgets += 1;
        }
    }
    [
        ENTRY_CONDITIONS.value(count(entry)),
        RESTRICTED_CATALOGUE.value(count(restricted)),
        ENFORCEMENT_PLAN.value(count(plans)),
        EMERGENCY_BUDGET.value(count(budgets)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::FormRecord;

    use super::super::common::test_support::{assert_values, day, full_batch, record};
    use super::*;

    /// FX-WD of rules.md.
    pub fn fixture() -> Vec<FormRecord> {
        let doc = |id: &str, kind: &str, issued: &str, year: Option<&str>| {
            let mut f = vec![("kind", kind), ("title", id), ("issued_on", issued)];
            if let Some(y) = year {
                f.push(("plan_year", y));
            }
            record(id, &f)
        };
        vec![
            doc("W1", "entry_conditions", "2020-11-20", None),
            doc("W2", "restricted_list", "2023-01-05", None),
            doc("W3", "enforcement_plan", "2020-07-01", Some("2020")),
            doc("W4", "enforcement_plan", "2022-02-10", Some("2022")),
            doc("W5", "emergency_budget", "2021-01-15", Some("2021")),
        ]
    }

    #[test]
    fn fixture_gives_the_values_of_rules_md() {
        let batch = full_batch(&fixture());
        let expect = |as_of: &str, v: [f64; 4]| {
            assert_values(
                &compute(&batch, day(as_of)),
                &[
                    (ENTRY_CONDITIONS.id, Some(v[0])),
                    (RESTRICTED_CATALOGUE.id, Some(v[1])),
                    (ENFORCEMENT_PLAN.id, Some(v[2])),
                    (EMERGENCY_BUDGET.id, Some(v[3])),
                ],
                as_of,
            );
        };
        expect("2020-12-31", [1.0, 0.0, 1.0, 0.0]);
        expect("2021-12-31", [1.0, 0.0, 0.0, 1.0]);
        expect("2022-12-31", [1.0, 0.0, 1.0, 0.0]);
        // W2 came after its day: it never counts.
        expect("2023-02-01", [1.0, 0.0, 1.0, 0.0]);
        // W1 on its day, not before.
        expect("2020-11-19", [0.0, 0.0, 1.0, 0.0]);
        expect("2020-11-20", [1.0, 0.0, 1.0, 0.0]);
    }
}
