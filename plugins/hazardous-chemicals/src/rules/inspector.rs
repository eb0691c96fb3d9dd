//! `hazchem-inspector` 危险化学品安全监管执法人员花名册: rules R34, R35 and targets B-08,
//! B-13, B-32–B-38. R36 (the staffing floors) compares counts over the whole roster, which
//! no single record shows: the targets B-32–B-35 carry it.

use std::collections::BTreeMap;

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, RecordBatch, TargetValue};

use super::common::{
    CAMPAIGN_START, END_2022, FIRST_YEAR, Finding, LAST_YEAR, Minimum, Ratio, Rule, TargetDay,
    count, in_service, is, number_or_zero, period_year, year_end, yes, ymd,
};

pub(crate) const FORM: &str = "hazchem-inspector";

/// The town with its own floor of 4 (L157); the other towns have 2.
pub(crate) const YUEZHOU: &str = "越州镇";

/// 「新入职人员培训时间不少于3个月」 (L158).
pub(crate) const INDUCTION_MONTHS: u32 = 3;
/// 「在职人员每年复训时间不少于2周」 (L158).
pub(crate) const REFRESHER_WEEKS: f64 = 2.0;

fn in_service_at(r: &impl Fields, d: Date) -> bool {
    in_service(r, "on_duty_from", "left_on", d)
}

/// In service the whole of `year` (R35, B-38): on duty by 1 January, not left before
/// 31 December.
fn whole_year(r: &impl Fields, year: i32) -> bool {
    r.date("on_duty_from").is_some_and(|s| s <= ymd(year, 1, 1))
        && r.date("left_on").is_none_or(|l| l >= year_end(year))
}

fn refresher_field(year: i32) -> String {
    format!("refresher_{year}")
}

// ---- Rules ----

pub(crate) const R34: Rule = Rule {
    id: "r34-induction",
    line: 158,
    quote: "新入职人员培训时间不少于3个月",
    note: Some("msg_induction"),
    message: "新入职人员培训时间不少于3个月。",
    value: "新入职培训不足3个月",
};
pub(crate) const R35: Rule = Rule {
    id: "r35-refresher",
    line: 158,
    quote: "在职人员每年复训时间不少于2周",
    note: None,
    message: "{Y}年复训时间不足2周(在职人员每年复训时间不少于2周)。",
    value: "复训不足2周",
};

#[cfg(test)]
pub(crate) const RULES: &[&Rule] = &[&R34, &R35];

pub(crate) fn findings(r: &impl Fields, today: Option<Date>) -> Vec<Finding> {
    let mut out = Vec::new();
    // R34 (L158): exactly 3 meets; an empty value does not fire the note.
    if yes(r, "new_entrant")
        && r.number("induction_months")
            .is_some_and(|m| m < f64::from(INDUCTION_MONTHS))
    {
        out.push(Finding::warning(&R34, "induction_months"));
    }
    // R35 (L158): from the next 1 January, for each campaign year served whole.
    if let Some(t) = today {
        for year in FIRST_YEAR..=LAST_YEAR {
            let field = refresher_field(year);
            if t > year_end(year)
                && whole_year(r, year)
                && number_or_zero(r, &field) < REFRESHER_WEEKS
            {
                out.push(Finding::warning(&R35, field).with_message(format!(
                    "{year}年复训时间不足2周(在职人员每年复训时间不少于2周)。"
                )));
            }
        }
    }
    out
}

// ---- Targets ----

pub(crate) const QUALIFIED_75: TargetDay = TargetDay {
    id: "inspector-qualified-75",
    last_due: END_2022,
};
pub(crate) const PARK_STAFF: TargetDay = TargetDay {
    id: "park-staff-qualified",
    last_due: END_2022,
};
pub(crate) const DISTRICT: TargetDay = TargetDay {
    id: "inspectors-district",
    last_due: END_2022,
};
pub(crate) const PARK: TargetDay = TargetDay {
    id: "inspectors-park",
    last_due: END_2022,
};
pub(crate) const YUEZHOU_STAFF: TargetDay = TargetDay {
    id: "inspectors-yuezhou",
    last_due: END_2022,
};
pub(crate) const OTHER_TOWNS: TargetDay = TargetDay {
    id: "inspectors-other-towns",
    last_due: END_2022,
};
pub(crate) const QUALIFIED_50: TargetDay = TargetDay {
    id: "inspector-qualified-50",
    last_due: END_2022,
};
pub(crate) const INDUCTION: TargetDay = TargetDay {
    id: "inspector-induction",
    last_due: END_2022,
};
pub(crate) const REFRESHER: TargetDay = TargetDay {
    id: "inspector-refresher",
    last_due: END_2022,
};

#[cfg(test)]
pub(crate) const TARGETS: &[TargetDay] = &[
    QUALIFIED_75,
    PARK_STAFF,
    DISTRICT,
    PARK,
    YUEZHOU_STAFF,
    OTHER_TOWNS,
    QUALIFIED_50,
    INDUCTION,
    REFRESHER,
];

/// The town of a town employee, trimmed (`None` when not filled in).
fn town(r: &impl Fields) -> Option<&str> {
    r.text("town").map(str::trim).filter(|t| !t.is_empty())
}

pub(crate) fn compute(batch: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    // Every target of the form falls due last on 2022-12-31.
    let d = QUALIFIED_75.day(as_of);
    let (refresher_year, _) = period_year(as_of);
    let refresher_name = refresher_field(refresher_year);
    let mut qualified = Ratio::default();
    let mut park_staff = Ratio::default();
    let mut district = 0;
    let mut park = 0;
    let mut yuezhou = 0;
    let mut other_towns: BTreeMap<String, u64> = BTreeMap::new();
    let mut induction = Minimum::default();
    let mut refresher = Minimum::default();
    for r in batch.rows() {
        let serving = in_service_at(&r, d);
        // B-08, B-36 (L101, L157): all employers; 学历和实践经验 both.
        if serving {
            qualified.add(yes(&r, "qualified_both"));
        }
        // B-13 (L108): park staff; any of the three.
        if serving && is(&r, "employer", "park") {
            park_staff.add(yes(&r, "qualified_any"));
        }
        // B-32–B-35 (L157): head counts in service at D.
        if is(&r, "employer", "district") && serving {
            district += 1;
        }
        if is(&r, "employer", "park") && serving {
            park += 1;
        }
        if is(&r, "employer", "town") {
            match town(&r) {
                Some(YUEZHOU) => yuezhou += u64::from(serving),
                Some(t) => *other_towns.entry(t.to_owned()).or_insert(0) += u64::from(serving),
                None => {}
            }
        }
        // B-37 (L158): new since June 2020 and three months on duty by D.
        if yes(&r, "new_entrant")
            && r.date("on_duty_from")
                .is_some_and(|s| s >= CAMPAIGN_START && s.add_months(INDUCTION_MONTHS) <= d)
        {
            induction.add(number_or_zero(&r, "induction_months"));
        }
        // B-38 (L158): in service the whole year.
        if whole_year(&r, refresher_year) {
            refresher.add(number_or_zero(&r, &refresher_name));
        }
    }
    let mut out: Vec<TargetValue> = [
        QUALIFIED_75.value(qualified.value()),
        PARK_STAFF.value(park_staff.value()),
        DISTRICT.value(count(district)),
        PARK.value(count(park)),
        YUEZHOU_STAFF.value(count(yuezhou)),
        QUALIFIED_50.value(qualified.value()),
        INDUCTION.value(induction.value()),
        REFRESHER.value(refresher.value()),
    ]
    .into_iter()
    .flatten()
    .collect();
    // B-35: one value per town the roster names (a town of the directory without any record
    // is not known to the plugin: the desk shows it 无数据).
    out.extend(
        other_towns
            .into_iter()
            .map(|(t, n)| OTHER_TOWNS.town_value(&t, n as f64)),
    );
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::FormRecord;

    use super::super::common::test_support::{assert_values, day, full_batch, pct, record};
    use super::*;

    /// A roster entry with the form's calculations.
    fn inspector(id: &str, fields: &[(&'static str, &'static str)]) -> FormRecord {
        let get = |k: &str| fields.iter().find(|(f, _)| *f == k).map_or("", |(_, v)| *v);
        let yn = |b: bool| if b { "yes" } else { "no" };
        let degree = get("chem_degree") == "yes";
        let experience = get("chem_experience") == "yes";
        let engineer = get("reg_safety_engineer") == "yes";
        let mut all = fields.to_vec();
        all.push(("qualified_both", yn(degree && experience)));
        all.push(("qualified_any", yn(degree || experience || engineer)));
        record(id, &all)
    }

    /// FX-HI of rules.md (no one is a 注册安全工程师).
    pub fn fixture() -> Vec<FormRecord> {
        vec![
            inspector(
                "I1",
                &[
                    ("employer", "district"),
                    ("on_duty_from", "2015-01-01"),
                    ("new_entrant", "no"),
                    ("chem_degree", "yes"),
                    ("chem_experience", "yes"),
                    ("refresher_2020", "2"),
                    ("refresher_2021", "2.5"),
                    ("refresher_2022", "2"),
                ],
            ),
            inspector(
                "I2",
                &[
                    ("employer", "district"),
                    ("on_duty_from", "2020-09-01"),
                    ("new_entrant", "yes"),
                    ("induction_months", "3"),
                    ("chem_degree", "yes"),
                    ("chem_experience", "no"),
                    ("refresher_2021", "2"),
                    ("refresher_2022", "1.5"),
                ],
            ),
            inspector(
                "I3",
                &[
                    ("employer", "park"),
                    ("on_duty_from", "2018-03-01"),
                    ("new_entrant", "no"),
                    ("chem_degree", "no"),
                    ("chem_experience", "yes"),
                    ("refresher_2020", "2"),
                    ("refresher_2021", "2"),
                    ("refresher_2022", "2"),
                ],
            ),
            inspector(
                "I4",
                &[
                    ("employer", "park"),
                    ("on_duty_from", "2019-06-01"),
                    ("left_on", "2022-03-31"),
                    ("new_entrant", "no"),
                    ("chem_degree", "no"),
                    ("chem_experience", "no"),
                    ("refresher_2020", "2"),
                    ("refresher_2021", "3"),
                ],
            ),
            inspector(
                "I5",
                &[
                    ("employer", "town"),
                    ("town", "越州镇"),
                    ("on_duty_from", "2021-04-01"),
                    ("new_entrant", "yes"),
                    ("induction_months", "2.5"),
                    ("chem_degree", "yes"),
                    ("chem_experience", "yes"),
                    ("refresher_2022", "2"),
                ],
            ),
            inspector(
                "I6",
                &[
                    ("employer", "town"),
                    ("town", "东山镇"),
                    ("on_duty_from", "2016-01-01"),
                    ("new_entrant", "no"),
                    ("chem_degree", "no"),
                    ("chem_experience", "no"),
                    ("refresher_2020", "1"),
                    ("refresher_2021", "2"),
                    ("refresher_2022", "2"),
                ],
            ),
        ]
    }

    #[test]
    fn fixture_gives_the_values_of_rules_md() {
        let batch = full_batch(&fixture());
        let expect = |as_of: &str, v: [f64; 8]| {
            assert_values(
                &compute(&batch, day(as_of)),
                &[
                    (QUALIFIED_75.id, Some(v[0])),
                    (QUALIFIED_50.id, Some(v[0])),
                    (PARK_STAFF.id, Some(v[1])),
                    (DISTRICT.id, Some(v[2])),
                    (PARK.id, Some(v[3])),
                    (YUEZHOU_STAFF.id, Some(v[4])),
                    ("inspectors-other-towns@东山镇", Some(v[5])),
                    (INDUCTION.id, Some(v[6])),
                    (REFRESHER.id, Some(v[7])),
                ],
                as_of,
            );
        };
        //      qualified  park   dist park yz  东山 induct refresh
        expect("2020-12-31", [20.0, 50.0, 2.0, 2.0, 0.0, 1.0, 3.0, 1.0]);
        expect(
            "2021-12-31",
            [pct(2, 6), 50.0, 2.0, 2.0, 1.0, 1.0, 2.5, 2.0],
        );
        expect("2022-12-31", [40.0, 100.0, 2.0, 1.0, 1.0, 1.0, 2.5, 1.5]);
        expect("2024-02-01", [40.0, 100.0, 2.0, 1.0, 1.0, 1.0, 2.5, 1.5]);
    }

    #[test]
    fn induction_counts_three_months_after_the_start() {
        let batch = full_batch(&fixture());
        let induction = |as_of: &str| {
            compute(&batch, day(as_of))
                .into_iter()
                .find(|v| v.target_id == INDUCTION.id)
                .map(|v| v.value)
        };
        // I2 started 2020-09-01: in the population from 2020-12-01.
        assert_eq!(induction("2020-11-30"), None);
        assert_eq!(induction("2020-12-01"), Some(3.0));
        // I5 started 2021-04-01: from 2021-07-01.
        assert_eq!(induction("2021-06-30"), Some(3.0));
        assert_eq!(induction("2021-07-01"), Some(2.5));
    }

    #[test]
    fn staff_leave_on_their_day() {
        let batch = full_batch(&fixture());
        let park = |as_of: &str| {
            compute(&batch, day(as_of))
                .into_iter()
                .find(|v| v.target_id == PARK.id)
                .map(|v| v.value)
        };
        assert_eq!(park("2022-03-30"), Some(2.0));
        assert_eq!(park("2022-03-31"), Some(1.0));
    }

    fn ids(r: &FormRecord, today: &str) -> Vec<String> {
        findings(r, Some(day(today)))
            .iter()
            .map(|f| format!("{}:{}", f.rule.id, f.field))
            .collect()
    }

    #[test]
    fn induction_and_refresher_rules() {
        let fx = fixture();
        // I2 has exactly 3 months; I5 has 2.5.
        assert!(
            !ids(&fx[1], "2021-01-01")
                .iter()
                .any(|x| x.starts_with("r34"))
        );
        assert!(ids(&fx[4], "2021-01-01").contains(&"r34-induction:induction_months".to_owned()));
        // An empty value does not fire R34.
        let empty = inspector("X", &[("new_entrant", "yes")]);
        assert!(ids(&empty, "2021-01-01").is_empty());
        // I6 had 1 week in 2020: from 2021-01-01. Exactly 2 weeks meets the rule.
        assert!(ids(&fx[5], "2020-12-31").is_empty());
        assert_eq!(ids(&fx[5], "2021-01-01"), ["r35-refresher:refresher_2020"]);
        assert!(ids(&fx[0], "2023-01-01").is_empty());
        // I2 (from 2020-09-01) is not asked for 2020; 1.5 weeks in 2022.
        assert_eq!(ids(&fx[1], "2023-01-01"), ["r35-refresher:refresher_2022"]);
        // I4 left in 2022: not asked for 2022. An empty year counts as 0.
        assert!(ids(&fx[3], "2023-01-01").is_empty());
        let none = inspector("Y", &[("on_duty_from", "2019-01-01")]);
        assert_eq!(ids(&none, "2022-01-01").len(), 2);
        let f = findings(&fx[5], Some(day("2021-01-01")));
        assert_eq!(
            f[0].message,
            "2020年复训时间不足2周(在职人员每年复训时间不少于2周)。"
        );
    }
}
