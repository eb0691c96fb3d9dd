//! `fireworks-enterprise` 烟花爆竹生产、批发企业台账: rules R38, R39, R42 and targets B-05,
//! B-42, B-43.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, RecordBatch, TargetValue};

use super::common::{
    CAMPAIGN_START, END_2022, Finding, Ratio, Rule, TargetDay, by, count, is, is_any, open_at,
};

pub(crate) const FORM: &str = "fireworks-enterprise";

/// 新建 / 新设立: first licensed from 2020-06-01 (推定, rules.md §0), by `d`.
fn licensed_new_by(r: &impl Fields, d: Date) -> bool {
    r.date("licensed_on")
        .is_some_and(|l| l >= CAMPAIGN_START && l <= d)
}

pub(crate) const R38: Rule = Rule {
    id: "r38-new-producer",
    line: 171,
    quote: "不允许新建烟花爆竹生产企业",
    note: Some("msg_new_producer"),
    message: "不允许新建烟花爆竹生产企业。",
    value: "不允许新建",
};
pub(crate) const R39: Rule = Rule {
    id: "r39-new-wholesaler",
    line: 172,
    quote: "批发企业严格执行《云南省烟花爆竹经营许可实施细则》规定,不再新设立",
    note: Some("msg_new_wholesaler"),
    message: "烟花爆竹批发企业严格执行《云南省烟花爆竹经营许可实施细则》规定，不再新设立。",
    value: "不再新设立",
};
pub(crate) const R42: Rule = Rule {
    id: "r42-grade2",
    line: 174,
    quote: "批发企业达二级标准化等级",
    note: Some("msg_grade2"),
    message: "烟花爆竹批发企业应达到二级安全生产标准化等级。",
    value: "未达二级标准化",
};

#[cfg(test)]
pub(crate) const RULES: &[&Rule] = &[&R38, &R39, &R42];

pub(crate) fn findings(r: &impl Fields, _today: Option<Date>) -> Vec<Finding> {
    let mut out = Vec::new();
    let new = r.date("licensed_on").is_some_and(|l| l >= CAMPAIGN_START);
    if new && is(r, "kind", "producer") {
        out.push(Finding::warning(&R38, "licensed_on"));
    }
    if new && is(r, "kind", "wholesaler") {
        out.push(Finding::warning(&R39, "licensed_on"));
    }
    // R42: 一级 is above 二级 and meets the rule.
    if is(r, "kind", "wholesaler")
        && is_any(r, "standardisation", &["grade3", "none"])
        && !is(r, "status", "closed")
    {
        out.push(Finding::warning(&R42, "standardisation"));
    }
    out
}

pub(crate) const WHOLESALE_GRADE2: TargetDay = TargetDay {
    id: "fw-wholesale-grade2",
    last_due: END_2022,
};
pub(crate) const NO_NEW_PRODUCER: TargetDay = TargetDay {
    id: "fw-no-new-producer",
    last_due: END_2022,
};
pub(crate) const NO_NEW_WHOLESALER: TargetDay = TargetDay {
    id: "fw-no-new-wholesaler",
    last_due: END_2022,
};

#[cfg(test)]
pub(crate) const TARGETS: &[TargetDay] = &[WHOLESALE_GRADE2, NO_NEW_PRODUCER, NO_NEW_WHOLESALER];

pub(crate) fn compute(batch: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    // Every target of the form falls due last on 2022-12-31.
    let d = WHOLESALE_GRADE2.day(as_of);
    let mut grade2 = Ratio::default();
    let mut producers = 0;
    let mut wholesalers = 0;
    for r in batch.rows() {
        // B-05 (L100, L174): wholesalers not closed at D (closed on D is closed).
        if is(&r, "kind", "wholesaler") && open_at(&r, "closed", "closed_on", d) {
            grade2.add(
                is_any(&r, "standardisation", &["grade1", "grade2"])
                    && by(&r, "standardised_on", d),
            );
        }
        // B-42 (L171), B-43 (L172): whatever the status.
        if licensed_new_by(&r, d) {
            if is(&r, "kind", "producer") {
                producers += 1;
            } else if is(&r, "kind", "wholesaler") {
                wholesalers += 1;
            }
        }
    }
    [
        WHOLESALE_GRADE2.value(grade2.value()),
        NO_NEW_PRODUCER.value(count(producers)),
        NO_NEW_WHOLESALER.value(count(wholesalers)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::FormRecord;

    use super::super::common::test_support::{assert_values, day, full_batch, pct, record};
    use super::*;

    /// FX-FE of rules.md.
    pub fn fixture() -> Vec<FormRecord> {
        vec![
            record(
                "F1",
                &[
                    ("enterprise", "F1烟花公司"),
                    ("kind", "wholesaler"),
                    ("licensed_on", "2012-05-01"),
                    ("standardisation", "grade2"),
                    ("standardised_on", "2021-09-01"),
                    ("status", "operating"),
                ],
            ),
            record(
                "F2",
                &[
                    ("enterprise", "F2烟花公司"),
                    ("kind", "wholesaler"),
                    ("licensed_on", "2015-03-01"),
                    ("standardisation", "grade3"),
                    ("status", "operating"),
                ],
            ),
            record(
                "F3",
                &[
                    ("enterprise", "F3烟花公司"),
                    ("kind", "wholesaler"),
                    ("licensed_on", "2020-08-01"),
                    ("standardisation", "grade1"),
                    ("standardised_on", "2021-01-10"),
                    ("status", "operating"),
                ],
            ),
            record(
                "F4",
                &[
                    ("enterprise", "F4烟花公司"),
                    ("kind", "producer"),
                    ("licensed_on", "2008-01-01"),
                    ("status", "closed"),
                    ("closed_on", "2020-05-01"),
                ],
            ),
            record(
                "F5",
                &[
                    ("enterprise", "F5烟花公司"),
                    ("kind", "wholesaler"),
                    ("licensed_on", "2010-01-01"),
                    ("standardisation", "none"),
                    ("status", "closed"),
                    ("closed_on", "2022-12-31"),
                ],
            ),
        ]
    }

    #[test]
    fn fixture_gives_the_values_of_rules_md() {
        let batch = full_batch(&fixture());
        let expect = |as_of: &str, grade2: f64, wholesalers: f64| {
            assert_values(
                &compute(&batch, day(as_of)),
                &[
                    (WHOLESALE_GRADE2.id, Some(grade2)),
                    (NO_NEW_PRODUCER.id, Some(0.0)),
                    (NO_NEW_WHOLESALER.id, Some(wholesalers)),
                ],
                as_of,
            );
        };
        expect("2022-12-31", pct(2, 3), 1.0);
        expect("2023-02-01", pct(2, 3), 1.0);
        // F5 is in until the day before its closure; F3 counts from its licence.
        expect("2022-12-30", 50.0, 1.0);
        expect("2020-12-31", 0.0, 1.0);
        expect("2020-07-31", 0.0, 0.0);
    }

    fn ids(r: &FormRecord) -> Vec<&'static str> {
        findings(r, None).iter().map(|f| f.rule.id).collect()
    }

    #[test]
    fn new_licences_from_june_2020() {
        let fx = fixture();
        assert_eq!(ids(&fx[2]), [R39.id]);
        assert!(ids(&fx[0]).is_empty());
        assert_eq!(ids(&fx[1]), [R42.id]);
        // F5 is closed: no R42.
        assert!(ids(&fx[4]).is_empty());
        let producer =
            |licensed: &str| record("P", &[("kind", "producer"), ("licensed_on", licensed)]);
        assert_eq!(ids(&producer("2020-06-01")), [R38.id]);
        assert!(ids(&producer("2020-05-31")).is_empty());
    }
}
