//! `chemical-park` 化工园区台账: rules R01–R05 (the park side), R09–R11 and targets B-11,
//! B-12, B-14, B-15, B-20.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, RecordBatch, TargetValue};

use super::common::{
    END_2021, END_2022, END_AUG_2020, Finding, Minimum, Ratio, Rule, TargetDay, add_years, after,
    by, count, is, is_any, number_or_zero, open_at,
};

pub(crate) const FORM: &str = "chemical-park";

/// Not closed at `d`.
fn open(r: &impl Fields, d: Date) -> bool {
    open_at(r, "closed", "closed_on", d)
}

/// The status now says closed (R01–R05, B-14, B-15 read it as it is now).
fn closed(r: &impl Fields) -> bool {
    is(r, "status", "closed")
}

/// 「至少每五年」 (L125): an assessment dated A covers A … A + 5 years, inclusive.
pub(crate) const ASSESSMENT_YEARS: u32 = 5;

// ---- Rules ----

pub(crate) const R01: Rule = Rule {
    id: "r01-grade-a",
    line: 109,
    quote: "若安全风险等级评估为A级(高安全风险),将不得批准新、改、扩建危险化学品建设项目,限期整改提升",
    note: Some("msg_grade_a"),
    message: "安全风险等级为A级(高安全风险)：不得批准新、改、扩建危险化学品建设项目，限期整改提升；到2021年底经整改仍为A级的，要关闭退出。",
    value: "不得批准新、改、扩建项目",
};
pub(crate) const R02: Rule = Rule {
    id: "r02-grade-a-exit",
    line: 109,
    quote: "到2021年底经整改仍为A级,则要关闭退出",
    note: Some("msg_exit_a"),
    message: "到2021年底经整改仍为A级，按方案要关闭退出。",
    value: "应关闭退出",
};
pub(crate) const R03: Rule = Rule {
    id: "r03-grade-b",
    line: 110,
    quote: "若安全风险等级评估为B级(较高安全风险),将限制新、改、扩建危险化学品建设项目",
    note: Some("msg_grade_b"),
    message: "安全风险等级为B级(较高安全风险)：限制新、改、扩建危险化学品建设项目；到2022年底经整改仍未达到C级或D级的，将关闭退出。",
    value: "限制新、改、扩建项目",
};
pub(crate) const R04: Rule = Rule {
    id: "r04-grade-b-exit",
    line: 110,
    quote: "到2022年底经整改仍未达到C级或D级将关闭退出",
    note: Some("msg_exit_b"),
    message: "到2022年底经整改仍未达到C级或D级，按方案将关闭退出。",
    value: "应关闭退出",
};
pub(crate) const R05: Rule = Rule {
    id: "r05-grade-missing",
    line: 109,
    quote: "到2021年底经整改仍为A级,则要关闭退出",
    note: Some("msg_grade_missing"),
    message: "请填写2021年12月31日(自2022年起)和2022年12月31日(自2023年起)的安全风险等级，以判断是否须关闭退出。",
    value: "年底等级未填写",
};
pub(crate) const R09: Rule = Rule {
    id: "r09-chem-head",
    line: 108,
    quote: "化工园区配备至少一名具有化工专业背景的负责人",
    note: Some("msg_head"),
    message: "化工园区应配备至少一名具有化工专业背景的负责人。",
    value: "缺化工专业背景负责人",
};
pub(crate) const R10: Rule = Rule {
    id: "r10-overall-assessment",
    line: 125,
    quote: "化工园区应至少每五年开展一次化工园区整体性安全风险评估",
    note: None,
    message: "化工园区应至少每五年开展一次化工园区整体性安全风险评估；已超过五年或未登记评估日期。",
    value: "整体性安全风险评估超期",
};
pub(crate) const R11: Rule = Rule {
    id: "r11-confirm-applied",
    line: 107,
    quote: "2020年8月底前向省工信部门申报化工园区确认申请",
    note: Some("msg_confirm"),
    message: "应于2020年8月底前向省工信部门申报化工园区确认申请；尚未登记申报日期。",
    value: "未申报园区确认",
};

#[cfg(test)]
pub(crate) const RULES: &[&Rule] = &[&R01, &R02, &R03, &R04, &R05, &R09, &R10, &R11];

/// The rules that apply to a park record on `today`.
pub(crate) fn findings(r: &impl Fields, today: Option<Date>) -> Vec<Finding> {
    let mut out = Vec::new();
    let open_now = !closed(r);
    // R01 (L109), R03 (L110): while the current grade is A / B.
    if open_now && is(r, "grade", "A") {
        out.push(Finding::warning(&R01, "grade"));
    }
    if open_now && is(r, "grade", "B") {
        out.push(Finding::warning(&R03, "grade"));
    }
    // R02 (L109): from 2022-01-01.
    let from_2022 = after(today, END_2021);
    let from_2023 = after(today, END_2022);
    if open_now && from_2022 && is(r, "grade_end_2021", "A") {
        out.push(Finding::warning(&R02, "grade_end_2021"));
    }
    // R04 (L110): 未达到C级或D级 = A or B, from 2023-01-01.
    if open_now && from_2023 && is_any(r, "grade_end_2022", &["A", "B"]) {
        out.push(Finding::warning(&R04, "grade_end_2022"));
    }
    // R05: the grades R02 and R04 need.
    if open_now {
        if from_2022 && r.is_blank("grade_end_2021") {
            out.push(Finding::warning(&R05, "grade_end_2021"));
        } else if from_2023 && r.is_blank("grade_end_2022") {
            out.push(Finding::warning(&R05, "grade_end_2022"));
        }
    }
    // R09 (L108): 0; an empty count does not fire (the field is required).
    if r.number("chem_head_count").is_some_and(|n| n < 1.0) {
        out.push(Finding::warning(&R09, "chem_head_count"));
    }
    // R10 (L125): empty, or today after A + 5 years.
    if open_now {
        let overdue = match r.date("overall_assessment_on") {
            None => true,
            Some(a) => after(today, add_years(a, ASSESSMENT_YEARS)),
        };
        if overdue {
            out.push(Finding::warning(&R10, "overall_assessment_on"));
        }
    }
    // R11 (L107): a late date does not fire the message (the target does not count it).
    if r.is_blank("confirm_applied_on") && after(today, END_AUG_2020) {
        out.push(Finding::warning(&R11, "confirm_applied_on"));
    }
    out
}

// ---- Targets ----

pub(crate) const CONFIRMATION: TargetDay = TargetDay {
    id: "park-confirmation-applied",
    last_due: END_AUG_2020,
};
pub(crate) const CHEM_HEAD: TargetDay = TargetDay {
    id: "park-chem-head",
    last_due: END_2022,
};
pub(crate) const GRADE_A_EXIT: TargetDay = TargetDay {
    id: "park-grade-a-exit",
    last_due: END_2021,
};
pub(crate) const GRADE_B_EXIT: TargetDay = TargetDay {
    id: "park-grade-b-exit",
    last_due: END_2022,
};
pub(crate) const OVERALL_ASSESSMENT: TargetDay = TargetDay {
    id: "park-overall-assessment",
    last_due: END_2022,
};

#[cfg(test)]
pub(crate) const TARGETS: &[TargetDay] = &[
    CONFIRMATION,
    CHEM_HEAD,
    GRADE_A_EXIT,
    GRADE_B_EXIT,
    OVERALL_ASSESSMENT,
];

pub(crate) fn compute(batch: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let d_confirm = CONFIRMATION.day(as_of);
    let d_head = CHEM_HEAD.day(as_of);
    let d_assess = OVERALL_ASSESSMENT.day(as_of);
    let mut confirmation = Ratio::default();
    let mut head = Minimum::default();
    let mut assessment = Ratio::default();
    let mut grade_a = 0;
    let mut grade_b = 0;
    for r in batch.rows() {
        // B-11 (L107).
        if open(&r, d_confirm) {
            confirmation.add(by(&r, "confirm_applied_on", d_confirm));
        }
        // B-12 (L108): the smallest count among open parks, empty = 0.
        if open(&r, d_head) {
            head.add(number_or_zero(&r, "chem_head_count"));
        }
        // B-14 (L109), B-15 (L110): the status as it is now.
        if !closed(&r) && is(&r, "grade_end_2021", "A") {
            grade_a += 1;
        }
        if !closed(&r) && is_any(&r, "grade_end_2022", &["A", "B"]) {
            grade_b += 1;
        }
        // B-20 (L125): A ≤ D ≤ A + 5 years.
        if open(&r, d_assess) {
            let covered = r
                .date("overall_assessment_on")
                .is_some_and(|a| a <= d_assess && d_assess <= add_years(a, ASSESSMENT_YEARS));
            assessment.add(covered);
        }
    }
    [
        CONFIRMATION.value(confirmation.value()),
        CHEM_HEAD.value(head.value()),
        GRADE_A_EXIT.value(count(grade_a)),
        GRADE_B_EXIT.value(count(grade_b)),
        OVERALL_ASSESSMENT.value(assessment.value()),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::FormRecord;
    use anwei_plugin_sdk::record::RecordBuilder;

    use super::super::common::test_support::{assert_values, day, full_batch, pct, record};
    use super::*;

    #[allow(clippy::too_many_arguments)]
    fn park(
        id: &str,
        status: &str,
        closed_on: &str,
        confirm: &str,
        head: &str,
        g21: &str,
        g22: &str,
        assessed: &str,
    ) -> FormRecord {
        let pairs = [
            ("name", id),
            ("status", status),
            ("closed_on", closed_on),
            ("confirm_applied_on", confirm),
            ("chem_head_count", head),
            ("grade_end_2021", g21),
            ("grade_end_2022", g22),
            ("overall_assessment_on", assessed),
        ];
        let filled: Vec<(&str, &str)> = pairs.into_iter().filter(|(_, v)| *v != "-").collect();
        record(id, &filled)
    }

    /// FX-CP of rules.md.
    pub fn fixture() -> Vec<FormRecord> {
        vec![
            park(
                "P1",
                "operating",
                "-",
                "2020-08-25",
                "1",
                "B",
                "C",
                "2018-09-01",
            ),
            park(
                "P2",
                "closed",
                "2022-03-01",
                "2020-09-10",
                "0",
                "A",
                "A",
                "2016-05-01",
            ),
            park("P3", "rectifying", "-", "-", "2", "B", "B", "2021-04-01"),
            park("P4", "operating", "-", "2020-08-31", "3", "A", "C", "-"),
        ]
    }

    #[test]
    fn fixture_gives_the_values_of_rules_md() {
        let records = fixture();
        let batch = full_batch(&records);
        let expect = |as_of: &str, head: f64, assessment: f64| {
            assert_values(
                &compute(&batch, day(as_of)),
                &[
                    ("park-confirmation-applied", Some(50.0)),
                    ("park-chem-head", Some(head)),
                    ("park-grade-a-exit", Some(1.0)),
                    ("park-grade-b-exit", Some(1.0)),
                    ("park-overall-assessment", Some(assessment)),
                ],
                as_of,
            );
        };
        expect("2020-12-31", 0.0, 50.0);
        expect("2021-12-31", 0.0, 50.0);
        expect("2022-12-31", 1.0, pct(2, 3));
        expect("2024-01-01", 1.0, pct(2, 3));
        // B-11 before its day: P1 only.
        let v = compute(&batch, day("2020-08-30"));
        assert!(
            v.iter()
                .any(|x| x.target_id == CONFIRMATION.id && (x.value - 25.0).abs() < 1e-9)
        );
    }

    #[test]
    fn five_years_are_inclusive() {
        let one = |assessed: &str, as_of: &str| {
            let r = vec![park("P", "operating", "-", "-", "1", "C", "C", assessed)];
            compute(&full_batch(&r), day(as_of))
                .into_iter()
                .find(|v| v.target_id == OVERALL_ASSESSMENT.id)
                .map(|v| v.value)
        };
        assert_eq!(one("2017-03-01", "2022-03-01"), Some(100.0));
        assert_eq!(one("2017-03-01", "2022-03-02"), Some(0.0));
        // Dated after D: not yet assessed on D.
        assert_eq!(one("2021-04-01", "2021-03-31"), Some(0.0));
        let overdue = |assessed: &str, today: &str| {
            let r = park("P", "operating", "-", "-", "1", "C", "C", assessed);
            findings(&r, Some(day(today)))
                .iter()
                .any(|f| f.rule.id == R10.id)
        };
        assert!(!overdue("2017-03-01", "2022-03-01"));
        assert!(overdue("2017-03-01", "2022-03-02"));
        assert!(!overdue("2016-02-29", "2021-02-28"));
        assert!(overdue("2016-02-29", "2021-03-01"));
    }

    fn ids(r: &FormRecord, today: &str) -> Vec<&'static str> {
        findings(r, Some(day(today)))
            .iter()
            .map(|f| f.rule.id)
            .collect()
    }

    #[test]
    fn exit_rules_fire_from_the_new_year() {
        let p4 = &fixture()[3];
        assert!(!ids(p4, "2021-12-31").contains(&R02.id));
        assert!(ids(p4, "2022-01-01").contains(&R02.id));
        let p3 = &fixture()[2];
        assert!(!ids(p3, "2022-12-31").contains(&R04.id));
        assert!(ids(p3, "2023-01-01").contains(&R04.id));
        // A park that was A in 2021 and is B at end 2022 falls under R04 too.
        let ab = park("X", "operating", "-", "-", "1", "A", "B", "2020-01-01");
        assert!(ids(&ab, "2023-01-01").contains(&R04.id));
        // A closed park: no exit rule, no grade rule.
        let p2 = &fixture()[1];
        let closed = ids(p2, "2023-01-01");
        for id in [R01.id, R02.id, R03.id, R04.id, R05.id, R10.id] {
            assert!(!closed.contains(&id), "{id}");
        }
        // R09 on 0, not on 1; R11 after 2020-08-31 only.
        assert!(closed.contains(&R09.id));
        assert!(!ids(&fixture()[0], "2023-01-01").contains(&R09.id));
        let p3_ids = ids(p3, "2020-08-31");
        assert!(!p3_ids.contains(&R11.id));
        assert!(ids(p3, "2020-09-01").contains(&R11.id));
    }

    #[test]
    fn current_grade_and_missing_year_end_grades() {
        let a = RecordBuilder::new("A")
            .text("status", "operating")
            .text("grade", "A")
            .build();
        let got = ids(&a, "2022-01-01");
        assert!(got.contains(&R01.id));
        assert!(!got.contains(&R03.id));
        assert!(got.contains(&R05.id));
        assert!(!ids(&a, "2021-12-31").contains(&R05.id));
        let b = RecordBuilder::new("B")
            .text("status", "operating")
            .text("grade", "B")
            .text("grade_end_2021", "B")
            .build();
        let got = ids(&b, "2022-06-01");
        assert!(got.contains(&R03.id));
        assert!(!got.contains(&R05.id));
        assert!(ids(&b, "2023-01-01").contains(&R05.id));
    }
}
