//! `fireworks-outlet` 烟花爆竹零售网点台账: rules R40, R43 and targets B-06, B-07, B-44.
//! R41 (at most 90 outlets) counts the whole register, which no single record shows: the
//! target B-44 carries it.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, RecordBatch, TargetValue};

use super::common::{
    END_2022, Finding, Ratio, Rule, TargetDay, by, count, is, is_any, no, open_at, yes,
};

pub(crate) const FORM: &str = "fireworks-outlet";

/// 「上宅下店,前店后宅」.
const SHOPHOUSE: [&str; 2] = ["upstairs_home", "backroom_home"];

/// Open at `d`: `status = open`, or closed after `d`.
fn open(r: &impl Fields, d: Date) -> bool {
    open_at(r, "closed", "closed_on", d)
}

pub(crate) const R40: Rule = Rule {
    id: "r40-shophouse",
    line: 173,
    quote: "零售企业“上宅下店,前店后宅”关闭到位",
    note: Some("msg_shophouse"),
    message: "零售企业“上宅下店,前店后宅”应100%关闭到位。",
    value: "应关闭到位",
};
pub(crate) const R43: Rule = Rule {
    id: "r43-safety-distance",
    line: 100,
    quote: "周边安全距离100%达标",
    note: Some("msg_distance"),
    message: "烟花爆竹零售网点周边安全距离应100%达标。",
    value: "周边安全距离不达标",
};

#[cfg(test)]
pub(crate) const RULES: &[&Rule] = &[&R40, &R43];

pub(crate) fn findings(r: &impl Fields, _today: Option<Date>) -> Vec<Finding> {
    let mut out = Vec::new();
    let open_now = is(r, "status", "open");
    if open_now && is_any(r, "layout", &SHOPHOUSE) {
        out.push(Finding::warning(&R40, "layout"));
    }
    if open_now && no(r, "safety_distance_ok") {
        out.push(Finding::warning(&R43, "safety_distance_ok"));
    }
    out
}

pub(crate) const SHOPHOUSE_CLOSED: TargetDay = TargetDay {
    id: "fw-retail-shophouse-closed",
    last_due: END_2022,
};
pub(crate) const SAFETY_DISTANCE: TargetDay = TargetDay {
    id: "fw-safety-distance",
    last_due: END_2022,
};
/// 「控制在90家之内」 (L173): ≤ 90.
pub(crate) const OUTLET_CAP: TargetDay = TargetDay {
    id: "fw-retail-outlet-cap",
    last_due: END_2022,
};

#[cfg(test)]
pub(crate) const TARGETS: &[TargetDay] = &[SHOPHOUSE_CLOSED, SAFETY_DISTANCE, OUTLET_CAP];

pub(crate) fn compute(batch: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    // Every target of the form falls due last on 2022-12-31.
    let d = OUTLET_CAP.day(as_of);
    let mut shophouse = Ratio::default();
    let mut distance = Ratio::default();
    let mut outlets = 0;
    for r in batch.rows() {
        // B-06 (L100, L173): every shophouse outlet, closed by D or not.
        if is_any(&r, "layout", &SHOPHOUSE) {
            shophouse.add(is(&r, "status", "closed") && by(&r, "closed_on", d));
        }
        // B-07 (L100), B-44 (L173): outlets open at D.
        if open(&r, d) {
            distance.add(yes(&r, "safety_distance_ok"));
            outlets += 1;
        }
    }
    [
        SHOPHOUSE_CLOSED.value(shophouse.value()),
        SAFETY_DISTANCE.value(distance.value()),
        OUTLET_CAP.value(count(outlets)),
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

    fn outlet(id: &str, layout: &str, closed_on: Option<&str>, distance_ok: &str) -> FormRecord {
        let mut f = vec![
            ("outlet", id),
            ("town", "越州镇"),
            ("layout", layout),
            ("safety_distance_ok", distance_ok),
        ];
        match closed_on {
            Some(c) => f.extend([("status", "closed"), ("closed_on", c)]),
            None => f.push(("status", "open")),
        }
        record(id, &f)
    }

    /// FX-FO of rules.md.
    pub fn fixture() -> Vec<FormRecord> {
        vec![
            outlet("O1", "separate", None, "yes"),
            outlet("O2", "upstairs_home", Some("2021-11-30"), "no"),
            outlet("O3", "backroom_home", None, "yes"),
            outlet("O4", "separate", None, "no"),
            outlet("O5", "upstairs_home", Some("2023-01-01"), "yes"),
            outlet("O6", "separate", Some("2020-03-01"), "yes"),
        ]
    }

    #[test]
    fn fixture_gives_the_values_of_rules_md() {
        let batch = full_batch(&fixture());
        for as_of in ["2022-12-31", "2023-06-01"] {
            assert_values(
                &compute(&batch, day(as_of)),
                &[
                    (SHOPHOUSE_CLOSED.id, Some(pct(1, 3))),
                    (SAFETY_DISTANCE.id, Some(75.0)),
                    (OUTLET_CAP.id, Some(4.0)),
                ],
                as_of,
            );
        }
        // O2 closes on 2021-11-30: open the day before.
        assert_values(
            &compute(&batch, day("2021-11-29")),
            &[
                (SHOPHOUSE_CLOSED.id, Some(0.0)),
                (SAFETY_DISTANCE.id, Some(60.0)),
                (OUTLET_CAP.id, Some(5.0)),
            ],
            "2021-11-29",
        );
    }

    #[test]
    fn ninety_outlets_are_the_cap() {
        for n in [90, 91] {
            let records: Vec<FormRecord> = (0..n)
                .map(|i| outlet(&format!("N{i}"), "separate", None, "yes"))
                .collect();
            let v = compute(&full_batch(&records), day("2022-12-31"));
            let cap = v
                .iter()
                .find(|x| x.target_id == OUTLET_CAP.id)
                .map(|x| x.value);
            assert_eq!(cap, Some(f64::from(n)));
        }
    }

    #[test]
    fn open_shophouses_and_short_distances() {
        let ids = |r: &FormRecord| -> Vec<&'static str> {
            findings(r, None).iter().map(|f| f.rule.id).collect()
        };
        let fx = fixture();
        assert!(ids(&fx[0]).is_empty());
        assert!(ids(&fx[1]).is_empty());
        assert_eq!(ids(&fx[2]), [R40.id]);
        assert_eq!(ids(&fx[3]), [R43.id]);
        assert!(ids(&fx[4]).is_empty());
    }
}
