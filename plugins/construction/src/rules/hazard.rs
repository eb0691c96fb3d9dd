//! `hazard-list` 问题隐患清单 (the main ledger): rules R-H1–R-H4 and its five targets,
//! computed in one pass over the rows (and batch by batch: [`Tally`] is a summary).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::serde::{Deserialize, Serialize};
use anwei_plugin_sdk::summary::Summary;
use anwei_plugin_sdk::{Fields, FormRecord, RecordBatch, TargetValue};

use super::common::{
    ATTACK_END, END_2020, END_2022, Finding, Ratio, Rule, TargetDay, attack_update_finding, by,
    filled, updated_in_attack,
};

pub(crate) const FORM: &str = "hazard-list";

// ---- Targets (rules.md Part B) ----

pub(crate) const ESTABLISHED: TargetDay = TargetDay {
    id: "hazard-list-established",
    last_due: END_2020,
};
pub(crate) const SPECIFIED: TargetDay = TargetDay {
    id: "hazard-items-specified",
    last_due: END_2022,
};
pub(crate) const UPDATED: TargetDay = TargetDay {
    id: "hazard-list-updated-2021",
    last_due: ATTACK_END,
};
pub(crate) const RECTIFIED: TargetDay = TargetDay {
    id: "hazards-rectified",
    last_due: END_2022,
};
pub(crate) const OVERDUE: TargetDay = TargetDay {
    id: "overdue-hazards",
    last_due: END_2022,
};
#[cfg(test)]
pub(crate) const TARGETS: &[TargetDay] = &[ESTABLISHED, SPECIFIED, UPDATED, RECTIFIED, OVERDUE];

// ---- Rules (rules.md Part A) ----

pub(crate) const H1: Rule = Rule {
    id: "hazard-specified",
    line: 557,
    quote: "制定时间表路线图,明确整改责任单位和整改要求",
};
pub(crate) const H2: Rule = Rule {
    id: "order-rectification",
    line: 619,
    quote: "对发现的问题和隐患,必须责令企业及时整改",
};
pub(crate) const H3: Rule = Rule {
    id: "rectification-deadline",
    line: 557,
    quote: "制定时间表路线图",
};
pub(crate) const H4: Rule = Rule {
    id: "hazard-dynamic-update",
    line: 559,
    quote: "动态更新“两个清单”",
};
#[cfg(test)]
pub(crate) const RULES: &[&Rule] = &[&H1, &H2, &H3, &H4];

/// What 「明确整改责任单位和整改要求」 and the 时间表 ask an entry to hold (R-H1).
const SPECIFICATION: [(&str, &str); 3] = [
    ("rect_unit", "整改责任单位"),
    ("rect_requirement", "整改要求"),
    ("rect_deadline", "整改时限"),
];

/// Found by the government (督查、联合执法、举报): the regulator must order the rectification
/// (R-H2). An enterprise's own finding, or one found otherwise, is not.
const ORDERED_BY_REGULATOR: [&str; 3] = ["gov_check", "joint", "report"];

/// Whether the entry holds a rectification unit, requirement and deadline (R-H1; the
/// deadline must be a date).
fn specified(r: &impl Fields) -> bool {
    filled(r, "rect_unit") && filled(r, "rect_requirement") && r.date("rect_deadline").is_some()
}

fn h1(r: &impl Fields) -> Finding {
    let missing: Vec<(&'static str, &str)> = SPECIFICATION
        .into_iter()
        .filter(|(f, _)| match *f {
            "rect_deadline" => r.date(f).is_none(),
            _ => !filled(r, f),
        })
        .collect();
    match missing.first() {
        None => Finding::ok(
            &H1,
            "已明确整改责任单位、要求和时限",
            "问题隐患须明确整改责任单位和整改要求，制定时间表：本条已明确。",
        ),
        Some((field, _)) => {
            let items: Vec<&str> = missing.iter().map(|(_, l)| *l).collect();
            Finding::warning(
                &H1,
                field,
                format!("未明确{}", items.join("、")),
                format!(
                    "问题隐患须明确整改责任单位和整改要求，制定时间表：尚未填写{}。",
                    items.join("、")
                ),
            )
        }
    }
}

fn h2(r: &impl Fields) -> Option<Finding> {
    let by_regulator = r
        .choice("found_by")
        .is_some_and(|f| ORDERED_BY_REGULATOR.contains(&f));
    if !by_regulator {
        return None;
    }
    Some(if let Some(d) = r.date("ordered_date") {
        Finding::ok(
            &H2,
            "已责令整改",
            format!("对发现的问题和隐患，必须责令企业及时整改：已于{d}责令整改。"),
        )
    } else if r.date("rectified_date").is_some() {
        Finding::ok(
            &H2,
            "已整改（未登记责令整改日期）",
            "对发现的问题和隐患，必须责令企业及时整改：本条已整改销号，未登记责令整改日期。",
        )
    } else {
        Finding::warning(
            &H2,
            "ordered_date",
            "未责令整改",
            "对发现的问题和隐患，必须责令企业及时整改：尚未登记责令整改日期。",
        )
    })
}

fn h3(r: &impl Fields, today: Option<Date>) -> Option<Finding> {
    let deadline = r.date("rect_deadline")?;
    Some(match r.date("rectified_date") {
        Some(done) if done <= deadline => Finding::ok(
            &H3,
            "按期整改",
            format!("按时间表整改：整改时限{deadline}，{done}已整改销号。"),
        ),
        Some(done) => Finding::ok(
            &H3,
            "逾期整改",
            format!("按时间表整改：整改时限{deadline}，{done}才整改销号。"),
        ),
        None => match today {
            Some(t) if t > deadline => Finding::warning(
                &H3,
                "rectified_date",
                "逾期未整改",
                format!("按时间表整改：已超过整改时限（{deadline}）仍未整改销号。"),
            ),
            _ => Finding::ok(
                &H3,
                "整改时限内",
                format!("按时间表整改：整改时限{deadline}，尚未到期。"),
            ),
        },
    })
}

/// The rules that apply to one entry on `today`.
pub(crate) fn findings(r: &FormRecord, today: Option<Date>) -> Vec<Finding> {
    let mut out = vec![h1(r)];
    out.extend(h2(r));
    out.extend(h3(r, today));
    out.extend(attack_update_finding(
        &H4,
        "问题隐患",
        r.date("found_date"),
        r.date("rectified_date"),
        r.date("reviewed_2021"),
        today,
    ));
    out
}

// ---- Targets ----

/// The counts of the five targets over a batch of entries on one day (a summary: two
/// batches' tallies add up).
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(crate = "anwei_plugin_sdk::serde")]
pub(crate) struct Tally {
    /// Entries listed by the end of 排查整治 (or by D before it).
    listed: u64,
    specified: Ratio,
    updated: Ratio,
    rectified: Ratio,
    overdue: u64,
}

impl Summary for Tally {
    fn merge(&mut self, o: Tally) {
        self.listed += o.listed;
        self.specified.merge(o.specified);
        self.updated.merge(o.updated);
        self.rectified.merge(o.rectified);
        self.overdue += o.overdue;
    }
}

impl Tally {
    /// The tally of `records` on `as_of`: each entry's fields read once.
    pub fn of(records: &RecordBatch, as_of: Date) -> Tally {
        let d_listed = ESTABLISHED.day(as_of);
        let d_updated = UPDATED.day(as_of);
        // SPECIFIED, RECTIFIED and OVERDUE fall due on the same day.
        let d = RECTIFIED.day(as_of);
        let mut t = Tally::default();
        for r in records.rows() {
            let Some(found) = r.date("found_date") else {
                continue;
            };
            let rectified = r.date("rectified_date");
            t.listed += u64::from(found <= d_listed);
            if let Some(u) =
                updated_in_attack(Some(found), rectified, r.date("reviewed_2021"), d_updated)
            {
                t.updated.add(u);
            }
            if found > d {
                continue;
            }
            let done = by(rectified, d);
            t.rectified.add(done);
            t.specified.add(specified(&r));
            t.overdue += u64::from(!done && r.date("rect_deadline").is_some_and(|x| x < d));
        }
        t
    }

    pub fn values(&self) -> Vec<TargetValue> {
        let mut out = vec![ESTABLISHED.value(self.listed as f64)];
        out.extend(SPECIFIED.share(&self.specified));
        out.extend(UPDATED.share(&self.updated));
        out.extend(RECTIFIED.share(&self.rectified));
        out.push(OVERDUE.value(self.overdue as f64));
        out
    }
}

pub(crate) fn compute(records: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    Tally::of(records, as_of).values()
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::{FormRecord, Severity};

    use super::super::common::test_support::{assert_values, day, full_batch, pct, record, table};
    use super::*;

    /// The fixture of rules.md Part B (hazard-list).
    pub fn fixture() -> Vec<FormRecord> {
        table(
            &[
                "item",
                "category",
                "town",
                "found_by",
                "found_date",
                "rect_unit",
                "rect_requirement",
                "rect_deadline",
                "status",
                "rectified_date",
                "reviewed_2021",
            ],
            &[
                // A: listed 2020, specified, rectified on its deadline in 2021.
                &[
                    "脚手架未设连墙件",
                    "major_works",
                    "越州镇",
                    "gov_check",
                    "2020-08-10",
                    "某建筑公司",
                    "按方案设置连墙件",
                    "2021-03-31",
                    "rectified",
                    "2021-03-31",
                    "",
                ],
                // B: listed 2020, no requirement; open, past its deadline; reviewed in 2021.
                &[
                    "燃气管道占压",
                    "gas",
                    "潇湘街道",
                    "joint",
                    "2020-11-02",
                    "某燃气公司",
                    "",
                    "2021-06-30",
                    "in_progress",
                    "",
                    "2021-05-20",
                ],
                // C: listed 2020, rectified in 2020, before 集中攻坚.
                &[
                    "快捷酒店擅自改变使用功能",
                    "converted_building",
                    "越州镇",
                    "self_check",
                    "2020-09-15",
                    "某酒店",
                    "恢复原使用功能",
                    "2020-12-31",
                    "rectified",
                    "2020-12-20",
                    "",
                ],
                // D: listed in 2021, specified, open, deadline 2022-12-31.
                &[
                    "渣土受纳场堆体裂缝",
                    "spoil_site",
                    "茨营镇",
                    "report",
                    "2021-04-01",
                    "某渣土场",
                    "削坡减载",
                    "2022-12-31",
                    "pending",
                    "",
                    "",
                ],
                // E: listed 2020, nothing specified, never updated, open.
                &[
                    "地下管网底数不清",
                    "underground",
                    "潇湘街道",
                    "",
                    "2020-12-31",
                    "",
                    "",
                    "",
                    "pending",
                    "",
                    "",
                ],
                // F: listed in 2023.
                &[
                    "高支模未论证",
                    "major_works",
                    "越州镇",
                    "gov_check",
                    "2023-01-05",
                    "某公司",
                    "组织专家论证",
                    "2023-01-20",
                    "pending",
                    "",
                    "",
                ],
            ],
        )
    }

    fn values(as_of: &str) -> Vec<TargetValue> {
        compute(&full_batch(&fixture()), day(as_of))
    }

    #[test]
    fn fixture_values_at_the_end_of_each_year() {
        // 2020-12-31: A B C E listed (4); specified A C (2 of 4); rectified C (1 of 4);
        // overdue none (B's and A's deadlines are in 2021, C is rectified, E has none);
        // no 2021 update to speak of yet.
        assert_values(
            &values("2020-12-31"),
            &[
                ("hazard-list-established", Some(4.0)),
                ("hazard-items-specified", Some(pct(2, 4))),
                ("hazards-rectified", Some(pct(1, 4))),
                ("overdue-hazards", Some(0.0)),
            ],
            "2020",
        );
        // 2021-12-31: listed by end 2020 stays 4; A B C D E on the list: specified A C D
        // (3 of 5), rectified A C (2 of 5), overdue B (deadline 2021-06-30); updated in 2021:
        // A (rectified in 2021), B (reviewed), D (listed in 2021) of A B D E (C closed
        // before 2021): 3 of 4.
        assert_values(
            &values("2021-12-31"),
            &[
                ("hazard-list-established", Some(4.0)),
                ("hazard-items-specified", Some(pct(3, 5))),
                ("hazard-list-updated-2021", Some(pct(3, 4))),
                ("hazards-rectified", Some(pct(2, 5))),
                ("overdue-hazards", Some(1.0)),
            ],
            "2021",
        );
        // 2023-03-01: every value stands for its last due day; F (2023) is not counted.
        assert_values(
            &values("2023-03-01"),
            &[
                ("hazard-list-established", Some(4.0)),
                ("hazard-items-specified", Some(pct(3, 5))),
                ("hazard-list-updated-2021", Some(pct(3, 4))),
                ("hazards-rectified", Some(pct(2, 5))),
                ("overdue-hazards", Some(1.0)),
            ],
            "2023",
        );
    }

    #[test]
    fn the_values_follow_the_dates_of_the_entries() {
        // 2021-03-30: A not yet rectified and within its deadline, B within its deadline.
        let v = values("2021-03-30");
        assert_values(
            &v,
            &[
                ("hazard-list-established", Some(4.0)),
                ("hazard-items-specified", Some(pct(2, 4))),
                // A B E of A B E (C closed in 2020, D not yet listed): none updated yet.
                ("hazard-list-updated-2021", Some(0.0)),
                ("hazards-rectified", Some(pct(1, 4))),
                ("overdue-hazards", Some(0.0)),
            ],
            "2021-03-30",
        );
        // 2021-07-01: B is one day past its deadline (2021-06-30 is still on time).
        let overdue = |as_of: &str| {
            values(as_of)
                .into_iter()
                .find(|v| v.target_id == "overdue-hazards")
                .unwrap()
                .value
        };
        assert_eq!(overdue("2021-06-30"), 0.0);
        assert_eq!(overdue("2021-07-01"), 1.0);
        // Before anything is listed: counts are 0, shares have no value.
        assert_values(
            &values("2020-06-30"),
            &[
                ("hazard-list-established", Some(0.0)),
                ("overdue-hazards", Some(0.0)),
            ],
            "2020-06-30",
        );
    }

    fn one(fields: &[(&str, &str)], today: &str) -> Vec<Finding> {
        findings(&record("x", fields), Some(day(today)))
    }

    fn of<'a>(found: &'a [Finding], rule: &Rule) -> Option<&'a Finding> {
        found.iter().find(|f| f.rule.id == rule.id)
    }

    #[test]
    fn an_entry_names_its_unit_requirement_and_deadline() {
        let full = [
            ("found_date", "2020-08-01"),
            ("rect_unit", "某公司"),
            ("rect_requirement", "整改"),
            ("rect_deadline", "2020-09-30"),
        ];
        let f = one(&full, "2020-08-02");
        assert!(of(&f, &H1).unwrap().issue.is_none());
        let f = one(&full[..3], "2020-08-02");
        let h = of(&f, &H1).unwrap();
        assert_eq!(h.issue, Some(("rect_deadline", Severity::Warning)));
        assert_eq!(h.value, "未明确整改时限");
        let f = one(
            &[("found_date", "2020-08-01"), ("rect_unit", " ")],
            "2020-08-02",
        );
        let h = of(&f, &H1).unwrap();
        assert_eq!(h.issue, Some(("rect_unit", Severity::Warning)));
        assert_eq!(
            h.message,
            "问题隐患须明确整改责任单位和整改要求，制定时间表：尚未填写整改责任单位、整改要求、整改时限。"
        );
    }

    #[test]
    fn a_regulators_finding_is_ordered_rectified() {
        let base = [("found_date", "2020-08-01"), ("found_by", "gov_check")];
        let f = one(&base, "2020-08-02");
        let h = of(&f, &H2).unwrap();
        assert_eq!(h.issue, Some(("ordered_date", Severity::Warning)));
        assert_eq!(h.value, "未责令整改");
        // Stored as a one-choice list, as the desk may send a select-one.
        let f = one(
            &[("found_date", "2020-08-01"), ("found_by", "=joint")],
            "2020-08-02",
        );
        assert_eq!(of(&f, &H2).unwrap().value, "未责令整改");
        let mut ordered = base.to_vec();
        ordered.push(("ordered_date", "2020-08-03"));
        assert!(
            of(&one(&ordered, "2020-08-04"), &H2)
                .unwrap()
                .issue
                .is_none()
        );
        // The enterprise's own finding is not ordered by anyone.
        let own = [("found_date", "2020-08-01"), ("found_by", "self_check")];
        assert!(of(&one(&own, "2020-08-02"), &H2).is_none());
    }

    #[test]
    fn an_entry_is_overdue_from_the_day_after_its_deadline() {
        let open = [
            ("found_date", "2020-08-01"),
            ("rect_deadline", "2020-09-30"),
        ];
        let on_time = of(&one(&open, "2020-09-30"), &H3).unwrap().clone();
        assert!(on_time.issue.is_none());
        assert_eq!(on_time.value, "整改时限内");
        let late = of(&one(&open, "2020-10-01"), &H3).unwrap().clone();
        assert_eq!(late.issue, Some(("rectified_date", Severity::Warning)));
        assert_eq!(late.value, "逾期未整改");
        let mut done = open.to_vec();
        done.push(("rectified_date", "2020-09-30"));
        assert_eq!(
            of(&one(&done, "2021-01-01"), &H3).unwrap().value,
            "按期整改"
        );
        done[2] = ("rectified_date", "2020-10-01");
        let f = one(&done, "2021-01-01");
        assert_eq!(of(&f, &H3).unwrap().value, "逾期整改");
        assert!(of(&f, &H3).unwrap().issue.is_none());
        assert!(of(&one(&open[..1], "2021-01-01"), &H3).is_none());
    }

    #[test]
    fn an_open_entry_is_updated_in_2021() {
        let open = [("found_date", "2020-08-01")];
        assert!(of(&one(&open, "2020-12-31"), &H4).is_none());
        let h = of(&one(&open, "2021-01-01"), &H4).unwrap().clone();
        assert_eq!(h.issue, Some(("reviewed_2021", Severity::Info)));
        assert_eq!(h.value, "2021年待动态更新");
        let h = of(&one(&open, "2021-12-31"), &H4).unwrap().clone();
        assert_eq!(h.issue, Some(("reviewed_2021", Severity::Info)));
        let h = of(&one(&open, "2022-01-01"), &H4).unwrap().clone();
        assert_eq!(h.issue, Some(("reviewed_2021", Severity::Warning)));
        assert_eq!(h.value, "2021年未动态更新");
        let reviewed = [
            ("found_date", "2020-08-01"),
            ("reviewed_2021", "2021-12-31"),
        ];
        let h = of(&one(&reviewed, "2022-01-01"), &H4).unwrap().clone();
        assert!(h.issue.is_none());
        assert_eq!(h.value, "2021年已动态更新");
        let closed = [
            ("found_date", "2020-08-01"),
            ("rectified_date", "2020-12-31"),
        ];
        assert!(of(&one(&closed, "2022-01-01"), &H4).is_none());
    }

    #[test]
    fn the_tally_of_any_split_is_the_tally_of_the_whole() {
        let records = fixture();
        for as_of in ["2020-12-31", "2021-06-30", "2021-12-31", "2022-12-31"] {
            let whole = Tally::of(&full_batch(&records), day(as_of));
            for k in 0..=records.len() {
                let mut a = Tally::of(&full_batch(&records[..k]), day(as_of));
                a.merge(Tally::of(&full_batch(&records[k..]), day(as_of)));
                assert_eq!(a, whole, "{as_of} at {k}");
            }
        }
    }
}
