//! `converted-building` 改建改用建筑台账 (逐一建档造册): rules R-B1–R-B5 and its three
//! targets.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, FormRecord, RecordBatch, TargetValue};

use super::common::{END_2022, Finding, Ratio, Rule, TargetDay, by, some_chosen, yes};

pub(crate) const FORM: &str = "converted-building";

pub(crate) const SURVEYED: TargetDay = TargetDay {
    id: "converted-building-surveyed",
    last_due: END_2022,
};
pub(crate) const ON_PLATFORM: TargetDay = TargetDay {
    id: "converted-building-on-platform",
    last_due: END_2022,
};
pub(crate) const UNHANDLED: TargetDay = TargetDay {
    id: "illegal-buildings-unhandled",
    last_due: END_2022,
};
#[cfg(test)]
pub(crate) const TARGETS: &[TargetDay] = &[SURVEYED, ON_PLATFORM, UNHANDLED];

pub(crate) const B1: Rule = Rule {
    id: "survey-and-platform",
    line: 577,
    quote: "逐一建档造册、逐一将排查结果纳入房屋结构安全信息化管理平台,实行台账管理",
};
pub(crate) const B2: Rule = Rule {
    id: "illegal-building-handled",
    line: 579,
    quote: "依法严肃查处",
};
pub(crate) const B3: Rule = Rule {
    id: "owner-duty",
    line: 587,
    quote: "房屋所有权人和使用人应按设计用途使用房屋,严禁擅自变动房屋建筑主体和承重结构",
};
pub(crate) const B4: Rule = Rule {
    id: "building-fire-requirements",
    line: 581,
    quote: "应当符合建筑、消防等方面的要求",
};
pub(crate) const B5: Rule = Rule {
    id: "hazard-on-list",
    line: 583,
    quote: "整改整治实施清单化管理",
};
#[cfg(test)]
pub(crate) const RULES: &[&Rule] = &[&B1, &B2, &B3, &B4, &B5];

/// The choices of `violations` (L579), with their labels.
const VIOLATIONS: [(&str, &str); 8] = [
    ("no_approval", "无正式审批"),
    ("no_design_qualification", "无资质设计"),
    ("no_construction_qualification", "无资质施工"),
    ("no_completion_acceptance", "无竣工验收"),
    ("use_change", "擅自改变使用功能"),
    ("structure_change", "擅自改变房屋结构和布局"),
    ("illegal_extension", "违法改扩建"),
    ("underground_excavation", "擅自对地下空间进行开挖"),
];

/// A building converted into a crowded place (酒店、饭店、学校、体育馆等): the population of
/// L577; rental housing and added lifts (L581) are registered too but not surveyed under it.
fn crowded(r: &impl Fields) -> bool {
    r.choice("conversion") == Some("crowded")
}

fn b1(r: &FormRecord) -> Option<Finding> {
    if !crowded(r) {
        return None;
    }
    Some(match (r.date("surveyed_date"), r.date("platform_date")) {
        (None, _) => Finding::warning(
            &B1,
            "surveyed_date",
            "未排查",
            "改建改用为人员聚集场所的建筑须全面排查安全隐患：尚未排查。",
        ),
        (Some(_), None) => Finding::warning(
            &B1,
            "platform_date",
            "排查结果未纳入平台",
            "排查结果须逐一纳入房屋结构安全信息化管理平台：尚未纳入。",
        ),
        (Some(s), Some(p)) => Finding::ok(
            &B1,
            "已排查并纳入平台",
            format!("已于{s}排查，{p}纳入房屋结构安全信息化管理平台。"),
        ),
    })
}

fn b2(r: &FormRecord) -> Option<Finding> {
    let chosen = r.choices("violations");
    let named: Vec<&str> = VIOLATIONS
        .iter()
        .filter(|(k, _)| chosen.contains(k))
        .map(|(_, l)| *l)
        .collect();
    if !some_chosen(r, "violations") {
        return None;
    }
    let what = if named.is_empty() {
        "违法违规情形".to_owned()
    } else {
        named.join("、")
    };
    Some(match r.date("handled_date") {
        Some(d) => Finding::ok(&B2, "已依法查处", format!("{what}：已于{d}依法查处。")),
        None => Finding::warning(
            &B2,
            "handled_date",
            "应依法查处",
            format!("{what}：应依法严肃查处，尚未登记查处日期。"),
        ),
    })
}

fn b3(r: &FormRecord) -> Option<Finding> {
    let chosen = r.choices("violations");
    let mut what = Vec::new();
    if chosen.contains(&"use_change") {
        what.push("擅自改变使用功能");
    }
    if chosen.contains(&"structure_change") {
        what.push("擅自改变房屋结构和布局");
    }
    (!what.is_empty()).then(|| {
        Finding::info(
            &B3,
            "owner",
            "所有权人和使用人未履行房屋使用安全责任",
            format!(
                "房屋所有权人和使用人应按设计用途使用房屋，严禁擅自变动房屋建筑主体和承重结构：本建筑{}，请督促所有权人履行房屋使用安全主体责任。",
                what.join("、")
            ),
        )
    })
}

fn b4(r: &FormRecord) -> Option<Finding> {
    let what = match r.choice("conversion")? {
        "rental" => "非住宅改造为租赁住房",
        "elevator" => "既有建筑物加装电梯的井道、地基等结构",
        _ => return None,
    };
    let checks = [("building_ok", "建筑"), ("fire_ok", "消防")];
    let failing: Vec<(&'static str, &str)> = checks
        .into_iter()
        .filter(|(f, _)| r.flag(f) == Some(false))
        .collect();
    let open: Vec<(&'static str, &str)> = checks
        .into_iter()
        .filter(|(f, _)| r.flag(f).is_none())
        .collect();
    let label = |v: &[(&str, &str)]| v.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("、");
    Some(if let Some((field, _)) = failing.first() {
        Finding::warning(
            &B4,
            field,
            "不符合建筑、消防等方面的要求",
            format!(
                "{what}应当符合建筑、消防等方面的要求：不符合{}方面的要求。",
                label(&failing)
            ),
        )
    } else if let Some((field, _)) = open.first() {
        Finding::warning(
            &B4,
            field,
            "待确认符合建筑、消防要求",
            format!(
                "{what}应当符合建筑、消防等方面的要求：尚未确认{}方面。",
                label(&open)
            ),
        )
    } else {
        Finding::ok(
            &B4,
            "符合建筑、消防要求",
            format!("{what}应当符合建筑、消防等方面的要求：均已确认符合。"),
        )
    })
}

fn b5(r: &FormRecord) -> Option<Finding> {
    if !yes(r, "hazard_found") {
        return None;
    }
    Some(if yes(r, "hazard_listed") {
        Finding::ok(
            &B5,
            "隐患已列入问题隐患清单",
            "排查发现的安全隐患已列入问题隐患清单，实行清单化管理。",
        )
    } else {
        Finding::warning(
            &B5,
            "hazard_listed",
            "隐患未列入问题隐患清单",
            "排查发现的安全隐患须列入问题隐患清单，实行清单化管理、闭环管理。",
        )
    })
}

pub(crate) fn findings(r: &FormRecord, _today: Option<Date>) -> Vec<Finding> {
    [b1(r), b2(r), b3(r), b4(r), b5(r)]
        .into_iter()
        .flatten()
        .collect()
}

pub(crate) fn compute(records: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    // The three targets fall due on the same day.
    let d = SURVEYED.day(as_of);
    let mut surveyed = Ratio::default();
    let mut on_platform = Ratio::default();
    let mut unhandled = 0u64;
    for r in records.rows() {
        if !by(r.date("registered_date"), d) {
            continue;
        }
        if some_chosen(&r, "violations") && !by(r.date("handled_date"), d) {
            unhandled += 1;
        }
        if !crowded(&r) {
            continue;
        }
        let s = by(r.date("surveyed_date"), d);
        surveyed.add(s);
        if s {
            on_platform.add(by(r.date("platform_date"), d));
        }
    }
    let mut out = Vec::new();
    out.extend(SURVEYED.share(&surveyed));
    out.extend(ON_PLATFORM.share(&on_platform));
    out.push(UNHANDLED.value(unhandled as f64));
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::Severity;

    use super::super::common::test_support::{assert_values, day, full_batch, pct, record, table};
    use super::*;

    /// The fixture of rules.md Part B (converted-building).
    pub fn fixture() -> Vec<FormRecord> {
        table(
            &[
                "building",
                "town",
                "owner",
                "conversion",
                "new_use",
                "registered_date",
                "surveyed_date",
                "platform_date",
                "violations",
                "handled_date",
            ],
            &[
                // A: hotel, surveyed and on the platform in 2020, no violation.
                &[
                    "某快捷酒店",
                    "越州镇",
                    "张某",
                    "crowded",
                    "hotel",
                    "2020-07-10",
                    "2020-08-01",
                    "2020-08-15",
                    "[none]",
                    "",
                ],
                // B: restaurant, surveyed 2020, on the platform 2021; 四无, handled 2021.
                &[
                    "某饭店",
                    "潇湘街道",
                    "李某",
                    "crowded",
                    "restaurant",
                    "2020-07-20",
                    "2020-09-01",
                    "2021-02-01",
                    "[no_approval no_completion_acceptance]",
                    "2021-05-01",
                ],
                // C: school, not surveyed; structure changed, not handled.
                &[
                    "某培训学校",
                    "越州镇",
                    "王某",
                    "crowded",
                    "school",
                    "2020-12-31",
                    "",
                    "",
                    "[structure_change]",
                    "",
                ],
                // D: gym registered in 2021, surveyed 2021.
                &[
                    "某体育馆",
                    "茨营镇",
                    "赵某",
                    "crowded",
                    "gym",
                    "2021-03-01",
                    "2021-03-20",
                    "",
                    "[none]",
                    "",
                ],
                // E: rental housing (not in L577's population); use changed, handled 2022.
                &[
                    "某厂房改租赁住房",
                    "潇湘街道",
                    "某公司",
                    "rental",
                    "",
                    "2020-10-01",
                    "",
                    "",
                    "[use_change]",
                    "2022-06-01",
                ],
            ],
        )
    }

    #[test]
    fn fixture_values() {
        let v = |as_of: &str| compute(&full_batch(&fixture()), day(as_of));
        // 2020: A B C registered crowded; surveyed A B (2 of 3); on the platform A of A B;
        // unhandled B C E.
        assert_values(
            &v("2020-12-31"),
            &[
                ("converted-building-surveyed", Some(pct(2, 3))),
                ("converted-building-on-platform", Some(50.0)),
                ("illegal-buildings-unhandled", Some(3.0)),
            ],
            "2020",
        );
        // 2021: A B C D; surveyed A B D (3 of 4); on the platform A B of A B D; unhandled C E.
        assert_values(
            &v("2021-12-31"),
            &[
                ("converted-building-surveyed", Some(75.0)),
                ("converted-building-on-platform", Some(pct(2, 3))),
                ("illegal-buildings-unhandled", Some(2.0)),
            ],
            "2021",
        );
        // After 2022 the values stand for 2022-12-31: E handled, C not.
        assert_values(
            &v("2023-05-01"),
            &[
                ("converted-building-surveyed", Some(75.0)),
                ("converted-building-on-platform", Some(pct(2, 3))),
                ("illegal-buildings-unhandled", Some(1.0)),
            ],
            "2023",
        );
        // Before any building is registered: shares have no value.
        assert_values(
            &v("2020-07-01"),
            &[("illegal-buildings-unhandled", Some(0.0))],
            "2020-07-01",
        );
    }

    fn rule<'a>(f: &'a [Finding], r: &Rule) -> Option<&'a Finding> {
        f.iter().find(|x| x.rule.id == r.id)
    }

    #[test]
    fn a_crowded_place_is_surveyed_then_put_on_the_platform() {
        let base = [("conversion", "crowded"), ("registered_date", "2020-07-01")];
        let f = findings(&record("b", &base), None);
        assert_eq!(
            rule(&f, &B1).unwrap().issue,
            Some(("surveyed_date", Severity::Warning))
        );
        let mut s = base.to_vec();
        s.push(("surveyed_date", "2020-07-02"));
        let f = findings(&record("b", &s), None);
        assert_eq!(
            rule(&f, &B1).unwrap().issue,
            Some(("platform_date", Severity::Warning))
        );
        s.push(("platform_date", "2020-07-03"));
        let f = findings(&record("b", &s), None);
        assert_eq!(rule(&f, &B1).unwrap().value, "已排查并纳入平台");
        assert!(rule(&f, &B1).unwrap().issue.is_none());
        // Rental housing is not surveyed under L577.
        let f = findings(&record("b", &[("conversion", "rental")]), None);
        assert!(rule(&f, &B1).is_none());
    }

    #[test]
    fn violations_are_handled_and_owners_reminded() {
        let f = findings(&record("b", &[("violations", "[none]")]), None);
        assert!(rule(&f, &B2).is_none() && rule(&f, &B3).is_none());
        let f = findings(
            &record("b", &[("violations", "[no_approval structure_change]")]),
            None,
        );
        let b2 = rule(&f, &B2).unwrap();
        assert_eq!(b2.issue, Some(("handled_date", Severity::Warning)));
        assert_eq!(
            b2.message,
            "无正式审批、擅自改变房屋结构和布局：应依法严肃查处，尚未登记查处日期。"
        );
        let b3 = rule(&f, &B3).unwrap();
        assert_eq!(b3.issue, Some(("owner", Severity::Info)));
        // 四无 alone is not the owner's use of the building.
        let f = findings(&record("b", &[("violations", "[no_approval]")]), None);
        assert!(rule(&f, &B3).is_none());
        let f = findings(
            &record(
                "b",
                &[
                    ("violations", "[illegal_extension]"),
                    ("handled_date", "2021-01-01"),
                ],
            ),
            None,
        );
        assert_eq!(rule(&f, &B2).unwrap().value, "已依法查处");
        assert!(rule(&f, &B2).unwrap().issue.is_none());
    }

    #[test]
    fn rental_housing_and_lifts_meet_building_and_fire_requirements() {
        let at = |fields: &[(&str, &str)]| {
            findings(&record("b", fields), None)
                .into_iter()
                .find(|x| x.rule.id == B4.id)
        };
        assert!(at(&[("conversion", "crowded")]).is_none());
        let f = at(&[("conversion", "elevator"), ("building_ok", "yes")]).unwrap();
        assert_eq!(f.issue, Some(("fire_ok", Severity::Warning)));
        assert_eq!(f.value, "待确认符合建筑、消防要求");
        let f = at(&[
            ("conversion", "rental"),
            ("building_ok", "yes"),
            ("fire_ok", "no"),
        ])
        .unwrap();
        assert_eq!(f.issue, Some(("fire_ok", Severity::Warning)));
        assert_eq!(
            f.message,
            "非住宅改造为租赁住房应当符合建筑、消防等方面的要求：不符合消防方面的要求。"
        );
        let f = at(&[
            ("conversion", "rental"),
            ("building_ok", "yes"),
            ("fire_ok", "yes"),
        ])
        .unwrap();
        assert!(f.issue.is_none());
    }

    #[test]
    fn a_hazard_found_goes_on_the_list() {
        let at = |fields: &[(&str, &str)]| {
            findings(&record("b", fields), None)
                .into_iter()
                .find(|x| x.rule.id == B5.id)
        };
        assert!(at(&[("hazard_found", "no")]).is_none());
        let f = at(&[("hazard_found", "yes")]).unwrap();
        assert_eq!(f.issue, Some(("hazard_listed", Severity::Warning)));
        let f = at(&[("hazard_found", "yes"), ("hazard_listed", "yes")]).unwrap();
        assert!(f.issue.is_none());
    }
}
