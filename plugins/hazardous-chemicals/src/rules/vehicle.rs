//! `dg-vehicle` 危险货物运输车辆台账: rule R44 and target B-18.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, RecordBatch, TargetValue};

use super::common::{END_2022, Finding, Ratio, Rule, TargetDay, by, open_at};

pub(crate) const FORM: &str = "dg-vehicle";

pub(crate) const R44: Rule = Rule {
    id: "r44-permit",
    line: 115,
    quote: "严禁未经许可擅自从事经营性运输",
    note: Some("msg_permit"),
    message: "严禁未经许可擅自从事经营性运输；该车未登记道路运输证号。",
    value: "未登记道路运输证",
};

#[cfg(test)]
pub(crate) const RULES: &[&Rule] = &[&R44];

pub(crate) fn findings(r: &impl Fields, _today: Option<Date>) -> Vec<Finding> {
    if r.is_blank("permit_no") {
        vec![Finding::warning(&R44, "permit_no")]
    } else {
        Vec::new()
    }
}

/// B-18 (L116 「2020年完成30%,2021年完成80%,2022年完成100%」).
pub(crate) const DEVICES: TargetDay = TargetDay {
    id: "dg-vehicle-devices",
    last_due: END_2022,
};

#[cfg(test)]
pub(crate) const TARGETS: &[TargetDay] = &[DEVICES];

pub(crate) fn compute(batch: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let d = DEVICES.day(as_of);
    let mut devices = Ratio::default();
    for r in batch.rows() {
        // On the register at D: registered by D and not deregistered by D.
        if by(&r, "registered_on", d) && open_at(&r, "deregistered", "deregistered_on", d) {
            // Both systems fitted by D (推定).
            devices.add(by(&r, "anti_collision_on", d) && by(&r, "remote_monitor_on", d));
        }
    }
    DEVICES.value(devices.value()).into_iter().collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::FormRecord;

    use super::super::common::test_support::{assert_values, day, full_batch, pct, record};
    use super::*;

    fn vehicle(id: &str, fields: &[(&str, &str)]) -> FormRecord {
        let mut all = vec![("plate", id), ("permit_no", "云0001")];
        all.extend_from_slice(fields);
        record(id, &all)
    }

    /// FX-DV of rules.md.
    pub fn fixture() -> Vec<FormRecord> {
        vec![
            vehicle(
                "V1",
                &[
                    ("registered_on", "2019-05-01"),
                    ("status", "active"),
                    ("anti_collision_on", "2020-10-01"),
                    ("remote_monitor_on", "2020-11-01"),
                ],
            ),
            vehicle(
                "V2",
                &[
                    ("registered_on", "2019-08-01"),
                    ("status", "active"),
                    ("anti_collision_on", "2021-03-01"),
                    ("remote_monitor_on", "2021-03-01"),
                ],
            ),
            vehicle(
                "V3",
                &[
                    ("registered_on", "2018-01-01"),
                    ("status", "active"),
                    ("anti_collision_on", "2020-12-01"),
                ],
            ),
            vehicle(
                "V4",
                &[
                    ("registered_on", "2017-06-01"),
                    ("status", "deregistered"),
                    ("deregistered_on", "2021-06-30"),
                ],
            ),
            vehicle(
                "V5",
                &[
                    ("registered_on", "2022-03-01"),
                    ("status", "active"),
                    ("anti_collision_on", "2022-12-31"),
                    ("remote_monitor_on", "2022-12-31"),
                ],
            ),
        ]
    }

    #[test]
    fn fixture_gives_the_values_of_rules_md() {
        let batch = full_batch(&fixture());
        for (as_of, v) in [
            ("2020-12-31", pct(1, 4)),
            ("2021-12-31", pct(2, 3)),
            ("2022-12-31", 75.0),
            ("2023-03-01", 75.0),
            // V4 is still on the register on the eve of its deregistration.
            ("2021-06-29", 50.0),
            ("2021-06-30", pct(2, 3)),
            // V5's devices on their day, not the day before.
            ("2022-12-30", 50.0),
        ] {
            assert_values(
                &compute(&batch, day(as_of)),
                &[(DEVICES.id, Some(v))],
                as_of,
            );
        }
        assert_values(
            &compute(&batch, day("2016-01-01")),
            &[(DEVICES.id, None)],
            "2016",
        );
    }

    #[test]
    fn a_vehicle_without_permit() {
        let mut no_permit = fixture().remove(0);
        no_permit.fields.retain(|f| f.name != "permit_no");
        assert_eq!(findings(&no_permit, None).len(), 1);
        assert!(findings(&fixture()[0], None).is_empty());
    }
}
