//! `spoil-site` 渣土受纳场台账: rules R-S1–R-S2 and its target.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{FormRecord, RecordBatch, TargetValue};

use super::common::{END_2022, Finding, Rule, TargetDay, by, yes};

pub(crate) const FORM: &str = "spoil-site";

pub(crate) const PILE_HAZARDS: TargetDay = TargetDay {
    id: "spoil-pile-hazards",
    last_due: END_2022,
};
#[cfg(test)]
pub(crate) const TARGETS: &[TargetDay] = &[PILE_HAZARDS];

pub(crate) const S1: Rule = Rule {
    id: "spoil-monitoring",
    line: 603,
    quote: "建立健全渣土受纳场常态监测机制",
};
pub(crate) const S2: Rule = Rule {
    id: "pile-hazard-cleared",
    line: 603,
    quote: "消除堆体安全隐患",
};
#[cfg(test)]
pub(crate) const RULES: &[&Rule] = &[&S1, &S2];

fn s1(r: &FormRecord) -> Finding {
    if yes(r, "monitoring_in_place") {
        Finding::ok(
            &S1,
            "已建立常态监测",
            "渣土受纳场须建立健全常态监测机制：已建立。",
        )
    } else {
        Finding::warning(
            &S1,
            "monitoring_in_place",
            "未建立常态监测",
            "渣土受纳场须建立健全常态监测机制：尚未建立。",
        )
    }
}

fn s2(r: &FormRecord) -> Option<Finding> {
    if !yes(r, "pile_hazard") {
        return None;
    }
    Some(match r.date("hazard_cleared_date") {
        Some(d) => Finding::ok(
            &S2,
            "堆体安全隐患已消除",
            format!("须消除堆体安全隐患：已于{d}消除。"),
        ),
        None => Finding::warning(
            &S2,
            "hazard_cleared_date",
            "堆体安全隐患未消除",
            "须消除堆体安全隐患：尚未消除。",
        ),
    })
}

pub(crate) fn findings(r: &FormRecord, _today: Option<Date>) -> Vec<Finding> {
    let mut out = vec![s1(r)];
    out.extend(s2(r));
    out
}

pub(crate) fn compute(records: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let d = PILE_HAZARDS.day(as_of);
    let n = records
        .rows()
        .filter(|r| {
            yes(r, "pile_hazard")
                && by(r.date("hazard_found_date"), d)
                && !by(r.date("hazard_cleared_date"), d)
        })
        .count();
    vec![PILE_HAZARDS.value(n as f64)]
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::Severity;

    use super::super::common::test_support::{assert_values, day, full_batch, record, table};
    use super::*;

    /// The fixture of rules.md Part B (spoil-site).
    pub fn fixture() -> Vec<FormRecord> {
        table(
            &[
                "site",
                "town",
                "registered_date",
                "monitoring_in_place",
                "pile_hazard",
                "hazard_found_date",
                "hazard_cleared_date",
            ],
            &[
                &[
                    "东山渣土受纳场",
                    "越州镇",
                    "2020-07-01",
                    "yes",
                    "yes",
                    "2020-09-01",
                    "2021-03-01",
                ],
                &[
                    "西河渣土受纳场",
                    "茨营镇",
                    "2020-07-01",
                    "no",
                    "yes",
                    "2021-06-01",
                    "",
                ],
                &[
                    "南坡渣土受纳场",
                    "潇湘街道",
                    "2020-07-01",
                    "yes",
                    "no",
                    "",
                    "",
                ],
            ],
        )
    }

    #[test]
    fn fixture_values() {
        let v = |as_of: &str, n: f64| {
            assert_values(
                &compute(&full_batch(&fixture()), day(as_of)),
                &[("spoil-pile-hazards", Some(n))],
                as_of,
            )
        };
        v("2020-08-31", 0.0);
        v("2020-12-31", 1.0);
        v("2021-03-01", 0.0);
        v("2021-06-01", 1.0);
        v("2023-01-01", 1.0);
    }

    #[test]
    fn a_site_is_monitored_and_its_pile_made_safe() {
        let f = findings(&record("s", &[("monitoring_in_place", "no")]), None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].issue, Some(("monitoring_in_place", Severity::Warning)));
        let f = findings(
            &record(
                "s",
                &[("monitoring_in_place", "yes"), ("pile_hazard", "yes")],
            ),
            None,
        );
        assert!(f[0].issue.is_none());
        assert_eq!(f[1].issue, Some(("hazard_cleared_date", Severity::Warning)));
        let f = findings(
            &record(
                "s",
                &[
                    ("monitoring_in_place", "yes"),
                    ("pile_hazard", "yes"),
                    ("hazard_cleared_date", "2021-01-01"),
                ],
            ),
            None,
        );
        assert!(f.iter().all(|x| x.issue.is_none()));
    }
}
