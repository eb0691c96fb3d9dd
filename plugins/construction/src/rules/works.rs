//! `major-works` 危险性较大的分部分项工程台账: rules R-W1–R-W4 and its target.
//!
//! L611 asks the regulation 《危险性较大的分部分项工程安全管理规定》 to be 严格执行; what it asks
//! (专项施工方案 before the work, 专家论证 for works beyond a certain scale, acceptance before
//! the next step) is the regulation's (住房和城乡建设部令第37号), not the seed's: rules.md says
//! which article each rule follows.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, FormRecord, RecordBatch, TargetValue};

use super::common::{END_2022, Finding, Rule, TargetDay, by, yes};

pub(crate) const FORM: &str = "major-works";

pub(crate) const HAZARDS: TargetDay = TargetDay {
    id: "major-works-hazards",
    last_due: END_2022,
};
#[cfg(test)]
pub(crate) const TARGETS: &[TargetDay] = &[HAZARDS];

const REGULATION: &str = "严格执行《危险性较大的分部分项工程安全管理规定》";

pub(crate) const W1: Rule = Rule {
    id: "special-plan-before-work",
    line: 611,
    quote: REGULATION,
};
pub(crate) const W2: Rule = Rule {
    id: "expert-review-before-work",
    line: 611,
    quote: REGULATION,
};
pub(crate) const W3: Rule = Rule {
    id: "acceptance-before-next-step",
    line: 611,
    quote: REGULATION,
};
pub(crate) const W4: Rule = Rule {
    id: "special-rectification",
    line: 611,
    quote: "开展房屋建筑和市政基础设施工程起重机械、高支模、深基坑工程专项治理",
};
#[cfg(test)]
pub(crate) const RULES: &[&Rule] = &[&W1, &W2, &W3, &W4];

/// The kinds L607 and L611 name for 专项治理.
const SPECIAL_KINDS: [(&str, &str); 3] = [
    ("crane", "起重机械"),
    ("formwork", "高支模"),
    ("excavation", "深基坑工程"),
];

/// R-W1: a 专项施工方案, reviewed and signed, on or before the first day of work.
fn w1(r: &FormRecord) -> Option<Finding> {
    let start = r.date("start_date")?;
    Some(match r.date("plan_date") {
        None => Finding::warning(
            &W1,
            "plan_date",
            "无专项施工方案施工",
            format!(
                "危大工程须在施工前编制专项施工方案，经审核、审查签字后方可实施（《规定》第十条、第十一条）：{start}已开始施工，未登记专项施工方案。"
            ),
        ),
        Some(p) if p > start => Finding::warning(
            &W1,
            "plan_date",
            "先施工后审核专项施工方案",
            format!(
                "危大工程须在施工前编制专项施工方案，经审核、审查签字后方可实施（《规定》第十条、第十一条）：{start}开始施工，{p}才审核签字。"
            ),
        ),
        Some(p) => Finding::ok(
            &W1,
            "施工前已审核专项施工方案",
            format!("专项施工方案于{p}审核签字，{start}开始施工。"),
        ),
    })
}

/// R-W2: a work beyond a certain scale has its plan reviewed by experts before the work.
fn w2(r: &FormRecord) -> Option<Finding> {
    if !yes(r, "beyond_scale") {
        return None;
    }
    let start = r.date("start_date")?;
    Some(match r.date("review_date") {
        Some(x) if x <= start => Finding::ok(
            &W2,
            "施工前已专家论证",
            format!("专项施工方案于{x}经专家论证，{start}开始施工。"),
        ),
        review => Finding::warning(
            &W2,
            "review_date",
            "超规模危大工程未经专家论证施工",
            match review {
                Some(x) => format!(
                    "超过一定规模的危大工程，须在施工前组织专家论证（《规定》第十二条）：{start}开始施工，{x}才论证。"
                ),
                None => format!(
                    "超过一定规模的危大工程，须在施工前组织专家论证（《规定》第十二条）：{start}已开始施工，未登记专家论证。"
                ),
            },
        ),
    })
}

/// R-W3: acceptance on or before the day the next step (or use) begins.
fn w3(r: &FormRecord) -> Option<Finding> {
    let next = r.date("next_stage_date")?;
    Some(match r.date("accepted_date") {
        Some(a) if a <= next => Finding::ok(
            &W3,
            "验收合格后进入下一道工序",
            format!("{a}验收合格，{next}进入下一道工序。"),
        ),
        accepted => Finding::warning(
            &W3,
            "accepted_date",
            "未经验收进入下一道工序",
            match accepted {
                Some(a) => format!(
                    "危大工程须验收合格后方可进入下一道工序（《规定》第二十一条）：{next}进入下一道工序，{a}才验收合格。"
                ),
                None => format!(
                    "危大工程须验收合格后方可进入下一道工序（《规定》第二十一条）：{next}已进入下一道工序，未登记验收合格。"
                ),
            },
        ),
    })
}

/// R-W4: the three kinds of L611's 专项治理 are checked under it (a hint).
fn w4(r: &FormRecord) -> Option<Finding> {
    let kind = r.choice("kind")?;
    let (_, label) = SPECIAL_KINDS.iter().find(|(k, _)| *k == kind)?;
    Some(match r.date("special_check_date") {
        Some(d) => Finding::ok(
            &W4,
            "专项治理已检查",
            format!("{label}属专项治理范围：已于{d}检查。"),
        ),
        None => Finding::info(
            &W4,
            "special_check_date",
            "专项治理待检查",
            format!("{label}属起重机械、高支模、深基坑工程专项治理范围：尚未登记专项治理检查。"),
        ),
    })
}

pub(crate) fn findings(r: &FormRecord, _today: Option<Date>) -> Vec<Finding> {
    [w1(r), w2(r), w3(r), w4(r)].into_iter().flatten().collect()
}

/// Whether a work is under way on `d` (started, not finished) with a 重大事故隐患 of
/// R-W1–R-W3 standing on `d`: no signed plan by `d`, a work beyond scale not reviewed by
/// `d`, or moved on to the next step by `d` without acceptance by `d`.
fn hazard_at(r: &impl Fields, d: Date) -> bool {
    if !by(r.date("start_date"), d) || by(r.date("finished_date"), d) {
        return false;
    }
    !by(r.date("plan_date"), d)
        || (yes(r, "beyond_scale") && !by(r.date("review_date"), d))
        || (by(r.date("next_stage_date"), d) && !by(r.date("accepted_date"), d))
}

pub(crate) fn compute(records: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let d = HAZARDS.day(as_of);
    let n = records.rows().filter(|r| hazard_at(r, d)).count();
    vec![HAZARDS.value(n as f64)]
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::Severity;

    use super::super::common::test_support::{assert_values, day, full_batch, record, table};
    use super::*;

    /// The fixture of rules.md Part B (major-works).
    pub fn fixture() -> Vec<FormRecord> {
        table(
            &[
                "project",
                "town",
                "contractor",
                "kind",
                "beyond_scale",
                "plan_date",
                "review_date",
                "start_date",
                "accepted_date",
                "next_stage_date",
                "finished_date",
            ],
            &[
                // A: deep excavation beyond scale, all in order.
                &[
                    "某商住楼",
                    "越州镇",
                    "甲公司",
                    "excavation",
                    "yes",
                    "2021-02-20",
                    "2021-02-15",
                    "2021-03-01",
                    "2021-05-01",
                    "2021-05-02",
                    "2021-06-30",
                ],
                // B: formwork, plan signed after the start; under way.
                &[
                    "某学校",
                    "潇湘街道",
                    "乙公司",
                    "formwork",
                    "no",
                    "2021-04-10",
                    "",
                    "2021-04-01",
                    "",
                    "",
                    "",
                ],
                // C: crane beyond scale, never reviewed; finished in 2022.
                &[
                    "某医院",
                    "茨营镇",
                    "丙公司",
                    "crane",
                    "yes",
                    "2021-09-01",
                    "",
                    "2021-09-01",
                    "",
                    "",
                    "2022-03-01",
                ],
                // D: other work, moved on before acceptance; accepted later.
                &[
                    "某道路",
                    "越州镇",
                    "丁公司",
                    "other",
                    "no",
                    "2022-01-05",
                    "",
                    "2022-01-10",
                    "2022-06-01",
                    "2022-05-01",
                    "",
                ],
            ],
        )
    }

    #[test]
    fn fixture_values() {
        let v = |as_of: &str| compute(&full_batch(&fixture()), day(as_of));
        let n = |as_of: &str, want: f64| {
            assert_values(&v(as_of), &[("major-works-hazards", Some(want))], as_of)
        };
        n("2020-12-31", 0.0);
        // B without a plan until 2021-04-10.
        n("2021-04-09", 1.0);
        n("2021-04-10", 0.0);
        // C under way without its review from 2021-09-01.
        n("2021-12-31", 1.0);
        // 2022-05-01: D moved on unaccepted (C finished on 2022-03-01).
        n("2022-05-01", 1.0);
        n("2022-06-01", 0.0);
        n("2022-12-31", 0.0);
    }

    fn rule(fields: &[(&str, &str)], r: &Rule) -> Option<Finding> {
        findings(&record("w", fields), None)
            .into_iter()
            .find(|x| x.rule.id == r.id)
    }

    #[test]
    fn the_plan_is_signed_by_the_first_day_of_work() {
        assert!(rule(&[("plan_date", "2021-03-01")], &W1).is_none());
        let on_the_day = rule(
            &[("plan_date", "2021-03-01"), ("start_date", "2021-03-01")],
            &W1,
        );
        assert!(on_the_day.unwrap().issue.is_none());
        let day_after = rule(
            &[("plan_date", "2021-03-02"), ("start_date", "2021-03-01")],
            &W1,
        )
        .unwrap();
        assert_eq!(day_after.issue, Some(("plan_date", Severity::Warning)));
        assert_eq!(day_after.value, "先施工后审核专项施工方案");
        let none = rule(&[("start_date", "2021-03-01")], &W1).unwrap();
        assert_eq!(none.value, "无专项施工方案施工");
    }

    #[test]
    fn a_work_beyond_scale_is_reviewed_by_experts_first() {
        let base = [("beyond_scale", "yes"), ("start_date", "2021-03-01")];
        let f = rule(&base, &W2).unwrap();
        assert_eq!(f.issue, Some(("review_date", Severity::Warning)));
        let mut on_the_day = base.to_vec();
        on_the_day.push(("review_date", "2021-03-01"));
        assert!(rule(&on_the_day, &W2).unwrap().issue.is_none());
        on_the_day[2] = ("review_date", "2021-03-02");
        assert!(rule(&on_the_day, &W2).unwrap().issue.is_some());
        assert!(rule(&[("beyond_scale", "no"), ("start_date", "2021-03-01")], &W2).is_none());
    }

    #[test]
    fn the_next_step_waits_for_acceptance() {
        let f = rule(&[("next_stage_date", "2021-05-01")], &W3).unwrap();
        assert_eq!(f.issue, Some(("accepted_date", Severity::Warning)));
        let ok = rule(
            &[
                ("next_stage_date", "2021-05-01"),
                ("accepted_date", "2021-05-01"),
            ],
            &W3,
        );
        assert!(ok.unwrap().issue.is_none());
        let late = rule(
            &[
                ("next_stage_date", "2021-05-01"),
                ("accepted_date", "2021-05-02"),
            ],
            &W3,
        );
        assert_eq!(late.unwrap().value, "未经验收进入下一道工序");
    }

    #[test]
    fn cranes_formwork_and_excavations_are_under_special_rectification() {
        let f = rule(&[("kind", "crane")], &W4).unwrap();
        assert_eq!(f.issue, Some(("special_check_date", Severity::Info)));
        let f = rule(
            &[("kind", "excavation"), ("special_check_date", "2021-01-01")],
            &W4,
        );
        assert!(f.unwrap().issue.is_none());
        assert!(rule(&[("kind", "other")], &W4).is_none());
    }
}
