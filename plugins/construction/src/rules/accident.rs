//! `construction-accident` 施工安全事故查处台账: rules R-A1–R-A4 and its target.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, FormRecord, RecordBatch, TargetValue};

use super::common::{END_2022, Finding, PLAN_START, Ratio, Rule, TargetDay, by, some_chosen, yes};

pub(crate) const FORM: &str = "construction-accident";

pub(crate) const UPPER_LIMIT: TargetDay = TargetDay {
    id: "accident-upper-limit-blacklist",
    last_due: END_2022,
};
#[cfg(test)]
pub(crate) const TARGETS: &[TargetDay] = &[UPPER_LIMIT];

pub(crate) const A1: Rule = Rule {
    id: "upper-limit-and-blacklist",
    line: 621,
    quote: "对不落实安全生产责任制导致发生安全生产事故的,一律按照有关法律法规处罚上限对企业和个人进行处罚,并纳入“黑名单”管理",
};
pub(crate) const A2: Rule = Rule {
    id: "investigation-supervision-interview",
    line: 609,
    quote: "做好事故调查分析。完善事故查处机制,严格落实事故查处督办和工作约谈制度",
};
pub(crate) const A3: Rule = Rule {
    id: "violation-penalty",
    line: 615,
    quote: "对违反规定造成工程质量安全事故的,依法给予停业整顿、降低资质、暂停执业等处罚",
};
pub(crate) const A4: Rule = Rule {
    id: "dishonesty-exposure",
    line: 615,
    quote: "对存在严重失信行为的市场主体加大曝光力度",
};
#[cfg(test)]
pub(crate) const RULES: &[&Rule] = &[&A1, &A2, &A3, &A4];

/// 「按照有关法律法规处罚上限…进行处罚」: the `penalties` choice.
const UPPER: &str = "fine_upper";

fn has_upper(r: &impl Fields) -> bool {
    r.choices("penalties").contains(&UPPER)
}

fn a1(r: &FormRecord) -> Option<Finding> {
    if !yes(r, "responsibility_failure") {
        return None;
    }
    let mut missing: Vec<(&'static str, &str)> = Vec::new();
    if !has_upper(r) {
        missing.push(("penalties", "按处罚上限处罚"));
    }
    if r.date("blacklist_date").is_none() {
        missing.push(("blacklist_date", "纳入“黑名单”管理"));
    }
    let head = "不落实安全生产责任制导致发生事故的，一律按照有关法律法规处罚上限对企业和个人进行处罚，并纳入“黑名单”管理";
    Some(match missing.first() {
        None => Finding::ok(
            &A1,
            "已按上限处罚并纳入黑名单",
            format!("{head}：均已落实。"),
        ),
        Some((field, _)) => {
            let items: Vec<&str> = missing.iter().map(|(_, l)| *l).collect();
            Finding::warning(
                &A1,
                field,
                "应按上限处罚并纳入黑名单",
                format!("{head}：尚未{}。", items.join("、")),
            )
        }
    })
}

fn a2(r: &FormRecord) -> Finding {
    let steps = [
        ("investigated_date", "事故调查分析"),
        ("supervised_date", "事故查处督办"),
        ("interview_date", "工作约谈"),
    ];
    let missing: Vec<(&'static str, &str)> = steps
        .into_iter()
        .filter(|(f, _)| r.date(f).is_none())
        .collect();
    let head = "做好事故调查分析，严格落实事故查处督办和工作约谈制度";
    match missing.first() {
        None => Finding::ok(&A2, "已调查、督办和约谈", format!("{head}：均已登记。")),
        Some((field, _)) => {
            let items: Vec<&str> = missing.iter().map(|(_, l)| *l).collect();
            Finding::warning(
                &A2,
                field,
                format!("未{}", items.join("、")),
                format!("{head}：尚未登记{}。", items.join("、")),
            )
        }
    }
}

fn a3(r: &FormRecord) -> Option<Finding> {
    if !yes(r, "violation_caused") {
        return None;
    }
    let head = "对违反规定造成工程质量安全事故的，依法给予停业整顿、降低资质、暂停执业等处罚";
    Some(if some_chosen(r, "penalties") {
        Finding::ok(&A3, "已依法处罚", format!("{head}：已处罚。"))
    } else {
        Finding::warning(
            &A3,
            "penalties",
            "应依法处罚",
            format!("{head}：尚未处罚。"),
        )
    })
}

fn a4(r: &FormRecord) -> Option<Finding> {
    if !yes(r, "serious_dishonesty") {
        return None;
    }
    let head = "对存在严重失信行为的市场主体加大曝光力度";
    Some(match r.date("exposed_date") {
        Some(d) => Finding::ok(&A4, "已曝光", format!("{head}：已于{d}曝光。")),
        None => Finding::warning(
            &A4,
            "exposed_date",
            "应曝光",
            format!("{head}：尚未登记曝光。"),
        ),
    })
}

pub(crate) fn findings(r: &FormRecord, _today: Option<Date>) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(a1(r));
    out.push(a2(r));
    out.extend(a3(r));
    out.extend(a4(r));
    out
}

pub(crate) fn compute(records: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let d = UPPER_LIMIT.day(as_of);
    let mut share = Ratio::default();
    for r in records.rows() {
        let in_plan = r
            .date("accident_date")
            .is_some_and(|a| a >= PLAN_START && a <= d);
        if !in_plan || !yes(&r, "responsibility_failure") {
            continue;
        }
        share
            .add(has_upper(&r) && by(r.date("penalty_date"), d) && by(r.date("blacklist_date"), d));
    }
    UPPER_LIMIT.share(&share).into_iter().collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::Severity;

    use super::super::common::test_support::{assert_values, day, full_batch, pct, record, table};
    use super::*;

    /// The fixture of rules.md Part B (construction-accident).
    pub fn fixture() -> Vec<FormRecord> {
        table(
            &[
                "project",
                "enterprise",
                "town",
                "accident_date",
                "deaths",
                "responsibility_failure",
                "violation_caused",
                "penalties",
                "penalty_date",
                "blacklist_date",
            ],
            &[
                // A: before 附件9's phases (2020-05): outside the population.
                &[
                    "甲工程",
                    "甲公司",
                    "越州镇",
                    "2020-05-31",
                    "1",
                    "yes",
                    "yes",
                    "[none]",
                    "",
                    "",
                ],
                // B: upper-limit fine 2020-10, blacklisted 2021-01.
                &[
                    "乙工程",
                    "乙公司",
                    "潇湘街道",
                    "2020-06-01",
                    "1",
                    "yes",
                    "yes",
                    "[fine_upper suspension]",
                    "2020-10-01",
                    "2021-01-15",
                ],
                // C: responsibility failure, suspended only.
                &[
                    "丙工程",
                    "丙公司",
                    "茨营镇",
                    "2021-03-01",
                    "0",
                    "yes",
                    "yes",
                    "[suspension]",
                    "2021-05-01",
                    "2021-05-01",
                ],
                // D: not a responsibility failure.
                &[
                    "丁工程",
                    "丁公司",
                    "越州镇",
                    "2021-08-01",
                    "2",
                    "no",
                    "yes",
                    "[qualification_down]",
                    "2021-09-01",
                    "",
                ],
            ],
        )
    }

    #[test]
    fn fixture_values() {
        let v = |as_of: &str| compute(&full_batch(&fixture()), day(as_of));
        assert_values(&v("2020-05-31"), &[], "before the plan");
        assert_values(
            &v("2020-12-31"),
            &[("accident-upper-limit-blacklist", Some(0.0))],
            "2020",
        );
        assert_values(
            &v("2021-01-15"),
            &[("accident-upper-limit-blacklist", Some(100.0))],
            "2021-01-15",
        );
        assert_values(
            &v("2021-12-31"),
            &[("accident-upper-limit-blacklist", Some(pct(1, 2)))],
            "2021",
        );
    }

    fn rule(fields: &[(&str, &str)], r: &Rule) -> Option<Finding> {
        findings(&record("a", fields), None)
            .into_iter()
            .find(|x| x.rule.id == r.id)
    }

    #[test]
    fn a_responsibility_failure_gets_the_upper_limit_and_the_blacklist() {
        assert!(rule(&[("responsibility_failure", "no")], &A1).is_none());
        let f = rule(
            &[
                ("responsibility_failure", "yes"),
                ("penalties", "[suspension]"),
            ],
            &A1,
        )
        .unwrap();
        assert_eq!(f.issue, Some(("penalties", Severity::Warning)));
        assert!(
            f.message
                .ends_with("尚未按处罚上限处罚、纳入“黑名单”管理。")
        );
        let f = rule(
            &[
                ("responsibility_failure", "yes"),
                ("penalties", "[fine_upper]"),
            ],
            &A1,
        )
        .unwrap();
        assert_eq!(f.issue, Some(("blacklist_date", Severity::Warning)));
        let f = rule(
            &[
                ("responsibility_failure", "yes"),
                ("penalties", "[fine_upper]"),
                ("blacklist_date", "2021-01-01"),
            ],
            &A1,
        )
        .unwrap();
        assert!(f.issue.is_none());
    }

    #[test]
    fn every_accident_is_investigated_supervised_and_followed_by_an_interview() {
        let f = rule(&[("supervised_date", "2021-01-01")], &A2).unwrap();
        assert_eq!(f.issue, Some(("investigated_date", Severity::Warning)));
        assert_eq!(f.value, "未事故调查分析、工作约谈");
        let f = rule(
            &[
                ("investigated_date", "2021-01-01"),
                ("supervised_date", "2021-01-01"),
                ("interview_date", "2021-01-02"),
            ],
            &A2,
        )
        .unwrap();
        assert!(f.issue.is_none());
    }

    #[test]
    fn a_violation_is_penalised_and_dishonesty_exposed() {
        let f = rule(&[("violation_caused", "yes"), ("penalties", "[none]")], &A3).unwrap();
        assert_eq!(f.issue, Some(("penalties", Severity::Warning)));
        let f = rule(
            &[("violation_caused", "yes"), ("penalties", "[other]")],
            &A3,
        )
        .unwrap();
        assert!(f.issue.is_none());
        assert!(rule(&[("violation_caused", "no")], &A3).is_none());
        let f = rule(&[("serious_dishonesty", "yes")], &A4).unwrap();
        assert_eq!(f.issue, Some(("exposed_date", Severity::Warning)));
        let f = rule(
            &[
                ("serious_dishonesty", "yes"),
                ("exposed_date", "2021-02-01"),
            ],
            &A4,
        );
        assert!(f.unwrap().issue.is_none());
    }
}
