//! `training-session` 主要负责人集中安全培训和警示教育记录: target B-24. No record rule.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, RecordBatch, TargetValue};

use super::common::{END_2022, Finding, TargetDay, count, has_any, period_year, yes};

pub(crate) const FORM: &str = "training-session";

#[cfg(test)]
pub(crate) const RULES: &[&super::common::Rule] = &[];

pub(crate) fn findings(_r: &impl Fields, _today: Option<Date>) -> Vec<Finding> {
    Vec::new()
}

/// B-24 (L138 「每年不低于4次」), a yearly duty.
pub(crate) const PRINCIPAL_TRAINING: TargetDay = TargetDay {
    id: "principal-training",
    last_due: END_2022,
};

#[cfg(test)]
pub(crate) const TARGETS: &[TargetDay] = &[PRINCIPAL_TRAINING];

pub(crate) fn compute(batch: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let (year, last_day) = period_year(as_of);
    let sessions = batch
        .rows()
        .filter(|r| {
            r.date("held_on")
                .is_some_and(|d| d.year == year && d <= last_day)
                && yes(r, "centralised")
                && has_any(r, "audience", &["chem_principal", "hazchem_principal"])
        })
        .count();
    PRINCIPAL_TRAINING
        .value(count(sessions as u64))
        .into_iter()
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::FormRecord;

    use super::super::common::test_support::{assert_values, day, full_batch, record};
    use super::*;

    /// FX-TS of rules.md.
    pub fn fixture() -> Vec<FormRecord> {
        let s = |id: &str, held: &str, centralised: &str, audience: &str| {
            record(
                id,
                &[
                    ("held_on", held),
                    ("topic", id),
                    ("form", "[training]"),
                    ("centralised", centralised),
                    ("audience", audience),
                ],
            )
        };
        vec![
            s("S1", "2020-07-10", "yes", "[chem_principal]"),
            s("S2", "2020-09-15", "yes", "[hazchem_principal other]"),
            s("S3", "2020-11-20", "no", "[chem_principal]"),
            s("S4", "2020-12-31", "yes", "[other]"),
            s("S5", "2021-01-01", "yes", "[hazchem_principal]"),
        ]
    }

    #[test]
    fn fixture_gives_the_values_of_rules_md() {
        let batch = full_batch(&fixture());
        for (as_of, v) in [
            ("2020-12-31", 2.0),
            ("2021-12-31", 1.0),
            ("2022-12-31", 0.0),
            // The last whole year: 2020's until 2021 is whole.
            ("2021-12-30", 2.0),
            // Before 2020 is whole: 2020 so far.
            ("2020-09-14", 1.0),
            ("2020-09-15", 2.0),
            ("2023-07-01", 0.0),
        ] {
            assert_values(
                &compute(&batch, day(as_of)),
                &[(PRINCIPAL_TRAINING.id, Some(v))],
                as_of,
            );
        }
    }
}
