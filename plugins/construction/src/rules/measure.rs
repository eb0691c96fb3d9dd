//! `measure-list` 制度措施清单: rules R-M1–R-M3 and its two targets.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{FormRecord, RecordBatch, TargetValue};

use super::common::{
    ATTACK_END, END_2020, Finding, Ratio, Rule, TargetDay, attack_update_finding, filled,
    updated_in_attack,
};

pub(crate) const FORM: &str = "measure-list";

pub(crate) const ESTABLISHED: TargetDay = TargetDay {
    id: "measure-list-established",
    last_due: END_2020,
};
pub(crate) const UPDATED: TargetDay = TargetDay {
    id: "measure-list-updated-2021",
    last_due: ATTACK_END,
};
#[cfg(test)]
pub(crate) const TARGETS: &[TargetDay] = &[ESTABLISHED, UPDATED];

pub(crate) const M1: Rule = Rule {
    id: "measure-specified",
    line: 557,
    quote: "制定时间表路线图",
};
pub(crate) const M2: Rule = Rule {
    id: "measure-deadline",
    line: 557,
    quote: "制定时间表路线图",
};
pub(crate) const M3: Rule = Rule {
    id: "measure-dynamic-update",
    line: 559,
    quote: "动态更新“两个清单”",
};
#[cfg(test)]
pub(crate) const RULES: &[&Rule] = &[&M1, &M2, &M3];

fn m1(r: &FormRecord) -> Finding {
    let mut missing: Vec<(&'static str, &str)> = Vec::new();
    if !filled(r, "lead_unit") {
        missing.push(("lead_unit", "责任单位"));
    }
    if r.date("due_date").is_none() {
        missing.push(("due_date", "完成时限"));
    }
    match missing.first() {
        None => Finding::ok(
            &M1,
            "已明确责任单位和时限",
            "制度措施须明确责任单位，制定时间表：本条已明确。",
        ),
        Some((field, _)) => {
            let items: Vec<&str> = missing.iter().map(|(_, l)| *l).collect();
            Finding::warning(
                &M1,
                field,
                format!("未明确{}", items.join("、")),
                format!(
                    "制度措施须明确责任单位，制定时间表：尚未填写{}。",
                    items.join("、")
                ),
            )
        }
    }
}

fn m2(r: &FormRecord, today: Option<Date>) -> Option<Finding> {
    let due = r.date("due_date")?;
    Some(match r.date("done_date") {
        Some(done) if done <= due => Finding::ok(
            &M2,
            "按期完成",
            format!("按时间表完成：完成时限{due}，{done}已完成。"),
        ),
        Some(done) => Finding::ok(
            &M2,
            "逾期完成",
            format!("按时间表完成：完成时限{due}，{done}才完成。"),
        ),
        None => match today {
            Some(t) if t > due => Finding::warning(
                &M2,
                "done_date",
                "逾期未完成",
                format!("按时间表完成：已超过完成时限（{due}）仍未完成。"),
            ),
            _ => Finding::ok(
                &M2,
                "完成时限内",
                format!("按时间表完成：完成时限{due}，尚未到期。"),
            ),
        },
    })
}

pub(crate) fn findings(r: &FormRecord, today: Option<Date>) -> Vec<Finding> {
    let mut out = vec![m1(r)];
    out.extend(m2(r, today));
    out.extend(attack_update_finding(
        &M3,
        "制度措施",
        r.date("listed_date"),
        r.date("done_date"),
        r.date("reviewed_2021"),
        today,
    ));
    out
}

pub(crate) fn compute(records: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let d_listed = ESTABLISHED.day(as_of);
    let d_updated = UPDATED.day(as_of);
    let mut listed = 0u64;
    let mut updated = Ratio::default();
    for r in records.rows() {
        let Some(at) = r.date("listed_date") else {
            continue;
        };
        listed += u64::from(at <= d_listed);
        if let Some(u) = updated_in_attack(
            Some(at),
            r.date("done_date"),
            r.date("reviewed_2021"),
            d_updated,
        ) {
            updated.add(u);
        }
    }
    let mut out = vec![ESTABLISHED.value(listed as f64)];
    out.extend(UPDATED.share(&updated));
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::Severity;

    use super::super::common::test_support::{assert_values, day, full_batch, record, table};
    use super::*;

    /// The fixture of rules.md Part B (measure-list).
    pub fn fixture() -> Vec<FormRecord> {
        table(
            &[
                "measure",
                "kind",
                "lead_unit",
                "listed_date",
                "due_date",
                "status",
                "done_date",
                "reviewed_2021",
            ],
            &[
                // A: listed 2020, done in 2020: nothing to update in 2021.
                &[
                    "建筑起重机械安全管理办法",
                    "rule",
                    "区住建局",
                    "2020-09-01",
                    "2020-12-31",
                    "done",
                    "2020-11-30",
                    "",
                ],
                // B: listed 2020, open, reviewed in 2021.
                &[
                    "城市地下基础设施安全管理指导意见",
                    "rule",
                    "区住建局",
                    "2020-10-15",
                    "2021-06-30",
                    "in_progress",
                    "",
                    "2021-03-01",
                ],
                // C: listed 2020, open, not reviewed.
                &[
                    "渣土受纳场常态监测机制",
                    "mechanism",
                    "",
                    "2020-12-31",
                    "",
                    "planned",
                    "",
                    "",
                ],
                // D: listed 2021.
                &[
                    "燃气行业事故防范长效机制",
                    "mechanism",
                    "区住建局",
                    "2021-02-01",
                    "2022-06-30",
                    "planned",
                    "",
                    "",
                ],
            ],
        )
    }

    #[test]
    fn fixture_values() {
        let v = |as_of: &str| compute(&full_batch(&fixture()), day(as_of));
        assert_values(
            &v("2020-12-30"),
            &[("measure-list-established", Some(2.0))],
            "2020-12-30",
        );
        assert_values(
            &v("2020-12-31"),
            &[("measure-list-established", Some(3.0))],
            "2020",
        );
        // 2021: B (reviewed) and D (listed in 2021) of B C D (A was done in 2020).
        for as_of in ["2021-12-31", "2022-12-31"] {
            assert_values(
                &v(as_of),
                &[
                    ("measure-list-established", Some(3.0)),
                    ("measure-list-updated-2021", Some(200.0 / 3.0)),
                ],
                as_of,
            );
        }
        // 2021-02-28: B not yet reviewed; D listed: 1 of 3.
        assert_values(
            &v("2021-02-28"),
            &[
                ("measure-list-established", Some(3.0)),
                ("measure-list-updated-2021", Some(100.0 / 3.0)),
            ],
            "2021-02-28",
        );
    }

    #[test]
    fn a_measure_has_a_unit_and_a_deadline_and_keeps_it() {
        let f = findings(&record("m", &[("listed_date", "2020-09-01")]), None);
        assert_eq!(f[0].issue, Some(("lead_unit", Severity::Warning)));
        assert_eq!(f[0].value, "未明确责任单位、完成时限");
        let r = record(
            "m",
            &[
                ("listed_date", "2020-09-01"),
                ("lead_unit", "区住建局"),
                ("due_date", "2020-12-31"),
            ],
        );
        let at = |today: &str| findings(&r, Some(day(today)));
        assert!(at("2020-12-31").iter().all(|f| f.issue.is_none()));
        let late = at("2021-01-01");
        let m2 = late.iter().find(|f| f.rule.id == M2.id).unwrap();
        assert_eq!(m2.issue, Some(("done_date", Severity::Warning)));
        assert_eq!(m2.value, "逾期未完成");
        // From 2021 the measure is also to be updated (R-M3).
        assert!(late.iter().any(|f| f.rule.id == M3.id));
    }
}
