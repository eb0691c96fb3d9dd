//! `park-risk` 园区安全风险评估和分级台账: rules P1–P7 and five targets (L684, L692–693). Where
//! 附件10 and 附件3 differ on a B-grade park (L693 取消化工园区定位, L110 关闭退出), the rules
//! state both consequences.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, Issue, RecordBatch, TargetValue};

use super::common::{
    END_2020, END_2021, END_2022, Finding, Ratio, add_years, after, by, count, has, not_ended,
    order, target_day, value,
};

pub(crate) const FORM: &str = "park-risk";

pub(crate) const FIRST_ASSESSMENT: &str = "park-first-overall-assessment";
pub(crate) const FIVE_YEARS: &str = "park-overall-assessment-5y";
pub(crate) const GRADED: &str = "chemical-parks-graded";
pub(crate) const GRADE_A_EXIT: &str = "park-grade-a-exit";
pub(crate) const GRADE_B: &str = "park-grade-b-designation";

/// The targets of the form with the day their last checkpoint falls due (checked against
/// plan.json by a test).
#[cfg(test)]
pub(crate) const TARGETS: [(&str, Date); 5] = [
    (FIRST_ASSESSMENT, END_2020),
    (FIVE_YEARS, END_2022),
    (GRADED, END_2022),
    (GRADE_A_EXIT, END_2021),
    (GRADE_B, END_2022),
];

/// 「今后每5年至少组织开展一次」 (L684): an assessment dated A covers A … A + 5 years, inclusive.
pub(crate) const ASSESSMENT_YEARS: u32 = 5;

/// The B-grade consequence in both sources, for every reason that names it.
pub(crate) const B_BOTH: &str = "2022年底前仍未达到C级或D级的后果，两处规定不同：附件10第693行“取消化工园区定位”，附件3第110行“到2022年底经整改仍未达到C级或D级将关闭退出”；两处均列出，由安委办裁定适用哪一种。";

/// A 化工园区 (by its type; a cancelled designation is read from its date).
fn chemical(r: &impl Fields) -> bool {
    has(r, "park_kind", "chemical")
}

/// The grade the park had on `d`: the year-end grade field once `d` is that year end (when
/// filled in), else the current grade if it was assessed by `d`.
fn grade_on<'a>(r: &'a impl Fields, d: Date, year_end: Date, field: &str) -> Option<&'a str> {
    if d >= year_end
        && let Some(g) = r.choice(field)
    {
        return Some(g);
    }
    if by(r, "grade_date", d) {
        r.choice("grade")
    } else {
        None
    }
}

/// The assessment dates of the record (first, latest).
fn assessments(r: &impl Fields) -> [Option<Date>; 2] {
    [
        r.date("first_overall_assessment_date"),
        r.date("last_overall_assessment_date"),
    ]
}

/// Closed and exited by `today` (no date: not exited).
fn exited(r: &impl Fields, today: Option<Date>) -> bool {
    match (r.date("exit_date"), today) {
        (Some(e), Some(t)) => e <= t,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// Designation cancelled by `today`.
fn cancelled(r: &impl Fields, today: Option<Date>) -> bool {
    match (r.date("designation_cancelled_date"), today) {
        (Some(c), Some(t)) => c <= t,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

fn grade_label(g: &str) -> &str {
    match g {
        "A" => "A级(高安全风险)",
        "B" => "B级(较高安全风险)",
        "C" => "C级(一般安全风险)",
        "D" => "D级(较低安全风险)",
        other => other,
    }
}

// ---- Rules ----

/// P1 — 「2020年底前,园区将完成整体性安全风险评估工作」 (L684).
fn first_assessment(r: &impl Fields, today: Option<Date>) -> Option<Finding> {
    if exited(r, today) {
        return None;
    }
    let rule = "p1-first-assessment";
    let reason = "第684行：2020年底前，园区将完成整体性安全风险评估工作。";
    let earliest = assessments(r).into_iter().flatten().min();
    match earliest {
        Some(a) if a <= END_2020 => Some(Finding::note(
            rule,
            "已按期完成",
            format!("{reason}{a}完成。"),
        )),
        Some(a) => Some(Finding::info(
            rule,
            "晚于2020年底完成",
            format!("{reason}{a}完成。"),
            "first_overall_assessment_date",
            format!("整体性安全风险评估于{a}完成，晚于2020年底。"),
        )),
        None if after(today, END_2020) => Some(Finding::warning(
            rule,
            "整体性评估未完成",
            reason,
            "first_overall_assessment_date",
            "2020年底前应完成园区整体性安全风险评估：未登记评估日期。",
        )),
        None => None,
    }
}

/// P2 — 「今后每5年至少组织开展一次园区整体性安全风险评估」 (L684): overdue the day after
/// A + 5 years.
fn five_years(r: &impl Fields, today: Option<Date>) -> Option<Finding> {
    let latest = assessments(r).into_iter().flatten().max()?;
    let t = today?;
    if exited(r, today) {
        return None;
    }
    let rule = "p2-five-years";
    let until = add_years(latest, ASSESSMENT_YEARS);
    let reason = format!(
        "第684行：今后每5年至少组织开展一次园区整体性安全风险评估。最近一次评估{latest}，有效至{until}。"
    );
    Some(if t > until {
        Finding::warning(
            rule,
            "整体性评估超过5年",
            reason,
            "last_overall_assessment_date",
            format!("距最近一次整体性安全风险评估（{latest}）已超过5年，应重新评估。"),
        )
    } else {
        Finding::note(rule, "整体性评估在5年内", reason)
    })
}

/// P3 — the current grade of a 化工园区 (L692–693); P8 when it is not graded yet.
fn current_grade(r: &impl Fields, today: Option<Date>) -> Option<Finding> {
    if !chemical(r) || exited(r, today) || cancelled(r, today) {
        return None;
    }
    let rule = "p3-current-grade";
    let Some(g) = r.choice("grade") else {
        return Some(Finding::warning(
            "p8-grading",
            "未评估分级",
            "第692行：按照《化工园区安全风险排查治理导则(试行)》要求，全面完成化工园区安全风险评估分级。",
            "grade",
            "化工园区应完成安全风险评估分级：尚未分级。",
        ));
    };
    let label = grade_label(g);
    Some(match g {
        "A" => {
            let f = Finding::warning(
                rule,
                label,
                "第692行：评估为A级(高安全风险)的，原则上不得批准新、改、扩建危险化学品建设项目(安全、环保水平技改提升类项目除外)，限期整改提升，2021年底前仍为A级的要关闭退出（附件3第109行同样要求关闭退出）。",
                "grade",
                "A级(高安全风险)：原则上不得批准新、改、扩建危险化学品建设项目(安全、环保水平技改提升类项目除外)，限期整改提升；2021年底前仍为A级的要关闭退出。",
            );
            if r.date("rectify_deadline").is_none() {
                f.with(Issue::warning(
                    "rectify_deadline",
                    "A级化工园区应限期整改提升：请填写整改期限。",
                ))
            } else {
                f
            }
        }
        "B" => Finding::warning(
            rule,
            label,
            format!(
                "第693行：评估为B级(较高安全风险)的，原则上要限制新、改、扩建危险化学品建设项目。{B_BOTH}"
            ),
            "grade",
            "B级(较高安全风险)：原则上要限制新、改、扩建危险化学品建设项目；2022年底前仍未达到C级或D级的，附件10要求取消化工园区定位，附件3要求关闭退出。",
        ),
        _ => Finding::note(rule, label, "第692–693行：A级、B级之外的等级不受项目限制。"),
    })
}

/// P5 — 「2021 年底前仍为 A 级的要关闭退出」 (L692; 附件3 L109 the same), from 2022-01-01.
fn grade_a_exit(r: &impl Fields, today: Option<Date>) -> Option<Finding> {
    if !(chemical(r) && after(today, END_2021) && r.choice("grade_end_2021") == Some("A")) {
        return None;
    }
    let rule = "p5-grade-a-exit";
    let reason = "第692行：2021年底前仍为A级的要关闭退出（附件3第109行：到2021年底经整改仍为A级，则要关闭退出）。2021年12月31日的等级：A级。";
    Some(if exited(r, today) {
        Finding::note(rule, "已关闭退出", reason)
    } else {
        Finding::warning(
            rule,
            "应关闭退出",
            reason,
            "exit_date",
            "2021年底前仍为A级(高安全风险)：要关闭退出。",
        )
    })
}

/// P6 — a park not at C or D on 2022-12-31, from 2023-01-01: 附件10 L693 取消化工园区定位,
/// 附件3 L110 关闭退出. Both consequences are stated, the sources' difference with them.
fn grade_b_consequence(r: &impl Fields, today: Option<Date>) -> Option<Finding> {
    if !(chemical(r) && after(today, END_2022)) {
        return None;
    }
    let g = r
        .choice("grade_end_2022")
        .filter(|g| matches!(*g, "A" | "B"))?;
    let rule = "p6-grade-b-consequence";
    let reason = format!("{B_BOTH}2022年12月31日的等级：{}。", grade_label(g));
    Some(if exited(r, today) {
        Finding::note(rule, "已关闭退出", reason)
    } else if cancelled(r, today) {
        Finding::info(
            rule,
            "已取消化工园区定位，未关闭退出",
            reason,
            "exit_date",
            "已按附件10第693行取消化工园区定位；附件3第110行对此写“关闭退出”，尚未关闭退出。",
        )
    } else {
        Finding::warning(
            rule,
            "应取消化工园区定位（附件10）或关闭退出（附件3）",
            reason,
            "designation_cancelled_date",
            "2022年底前仍未达到C级或D级：附件10第693行要求取消化工园区定位，附件3第110行要求关闭退出（两处不同，待安委办裁定）。",
        )
    })
}

/// P7 — the year-end grades P5, P6 and the targets need: from the day after each year end.
fn year_end_grades(r: &impl Fields, today: Option<Date>) -> Option<Finding> {
    if !chemical(r) || exited(r, today) || cancelled(r, today) {
        return None;
    }
    let mut issues = Vec::new();
    if after(today, END_2021) && r.is_blank("grade_end_2021") {
        issues.push(Issue::warning(
            "grade_end_2021",
            "请填写2021年12月31日的安全风险等级，以判断是否须关闭退出（第692行）。",
        ));
    }
    if after(today, END_2022) && r.is_blank("grade_end_2022") {
        issues.push(Issue::warning(
            "grade_end_2022",
            "请填写2022年12月31日的安全风险等级，以判断是否须取消化工园区定位或关闭退出（第693行）。",
        ));
    }
    (!issues.is_empty()).then(|| Finding {
        rule: "p7-year-end-grades",
        value: "年底等级未填写".to_owned(),
        reason: "第692–693行：以2021年底、2022年底的等级判断后果。".to_owned(),
        issues,
    })
}

pub(crate) fn findings(r: &impl Fields, today: Option<Date>) -> Vec<Finding> {
    [
        first_assessment(r, today),
        five_years(r, today),
        current_grade(r, today),
        grade_a_exit(r, today),
        grade_b_consequence(r, today),
        year_end_grades(r, today),
    ]
    .into_iter()
    .flatten()
    .collect()
}

pub(crate) fn date_errors(r: &impl Fields) -> Vec<Issue> {
    let mut out = Vec::new();
    order(
        r,
        (
            "first_overall_assessment_date",
            "首次整体性安全风险评估完成日期",
        ),
        (
            "last_overall_assessment_date",
            "最近一次整体性安全风险评估完成日期",
        ),
        &mut out,
    );
    out
}

// ---- Targets ----

pub(crate) fn compute(batch: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    compute_rows(batch.rows(), as_of)
}

/// The five targets on `as_of` (rules.md B-8 … B-12), in one pass.
pub(crate) fn compute_rows<R: Fields>(
    rows: impl IntoIterator<Item = R>,
    as_of: Date,
) -> Vec<TargetValue> {
    let d_first = target_day(as_of, END_2020);
    let d_a = target_day(as_of, END_2021);
    let d = target_day(as_of, END_2022);
    let mut first = Ratio::default();
    let mut five = Ratio::default();
    let mut graded = Ratio::default();
    let mut grade_a = 0;
    let mut grade_b = 0;
    for r in rows {
        let dates = assessments(&r);
        // B-8 (L684): parks open on D, assessed by D.
        if not_ended(&r, "exit_date", d_first) {
            first.add(dates.iter().flatten().any(|a| *a <= d_first));
        }
        // B-9 (L684): parks open on D, an assessment in [D − 5 years, D].
        if not_ended(&r, "exit_date", d) {
            five.add(
                dates
                    .iter()
                    .flatten()
                    .any(|a| *a <= d && d <= add_years(*a, ASSESSMENT_YEARS)),
            );
        }
        if !chemical(&r) {
            continue;
        }
        // B-10 (L692): chemical parks (designation not cancelled, not exited on D), graded by D.
        if not_ended(&r, "designation_cancelled_date", d) && not_ended(&r, "exit_date", d) {
            let by_grade = by(&r, "grade_date", d) && !r.is_blank("grade");
            let by_2021 = d >= END_2021 && !r.is_blank("grade_end_2021");
            let by_2022 = d >= END_2022 && !r.is_blank("grade_end_2022");
            graded.add(by_grade || by_2021 || by_2022);
        }
        // B-11 (L692): A on D (≤ 2021-12-31), not exited on as_of.
        if grade_on(&r, d_a, END_2021, "grade_end_2021") == Some("A")
            && not_ended(&r, "exit_date", as_of)
        {
            grade_a += 1;
        }
        // B-12 (L693): A or B on D (≤ 2022-12-31), designation not cancelled and not exited on
        // as_of.
        if is_grade_ab(grade_on(&r, d, END_2022, "grade_end_2022"))
            && not_ended(&r, "designation_cancelled_date", as_of)
            && not_ended(&r, "exit_date", as_of)
        {
            grade_b += 1;
        }
    }
    [
        value(FIRST_ASSESSMENT, first.value()),
        value(FIVE_YEARS, five.value()),
        value(GRADED, graded.value()),
        count(GRADE_A_EXIT, grade_a),
        count(GRADE_B, grade_b),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn is_grade_ab(g: Option<&str>) -> bool {
    g.is_some_and(|g| matches!(g, "A" | "B"))
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::{FormRecord, Severity};

    use super::super::common::test_support::{assert_values, day, full_batch, pct, record, table};
    use super::*;

    const NAMES: [&str; 11] = [
        "park_name",
        "park_kind",
        "first_overall_assessment_date",
        "last_overall_assessment_date",
        "grade",
        "grade_date",
        "grade_end_2021",
        "grade_end_2022",
        "designation_cancelled_date",
        "exit_date",
        "remarks",
    ];

    /// FX-PR of rules.md.
    pub fn fixture() -> Vec<FormRecord> {
        table(
            &NAMES,
            &[
                // P1: the park, assessed 2020-11-30 and 2025-01-10; not chemical.
                &[
                    "麒麟工业园区",
                    "[industrial]",
                    "2020-11-30",
                    "2025-01-10",
                    "-",
                    "-",
                    "-",
                    "-",
                    "-",
                    "-",
                    "-",
                ],
                // P2: chemical area, assessed 2021-02-01; B since 2021-06-01, B at both year
                // ends; designation cancelled 2023-03-01.
                &[
                    "化工片区",
                    "[industrial chemical]",
                    "2021-02-01",
                    "-",
                    "B",
                    "2021-06-01",
                    "B",
                    "B",
                    "2023-03-01",
                    "-",
                    "-",
                ],
                // P3: chemical, A since 2020-10-01, A at end 2021, exited 2022-03-01.
                &[
                    "甲片区",
                    "[chemical]",
                    "2017-06-01",
                    "-",
                    "A",
                    "2020-10-01",
                    "A",
                    "-",
                    "-",
                    "2022-03-01",
                    "-",
                ],
                // P4: chemical, re-graded C on 2022-09-01 (B at end 2021), C at end 2022.
                &[
                    "乙片区",
                    "[chemical]",
                    "2020-12-31",
                    "-",
                    "C",
                    "2022-09-01",
                    "B",
                    "C",
                    "-",
                    "-",
                    "-",
                ],
            ],
        )
    }

    #[test]
    fn fixture_gives_the_values_of_rules_md() {
        let batch = full_batch(&fixture());
        let at = |as_of: &str| compute(&batch, day(as_of));
        // 2020-12-31: first: P1, P3 (2017), P4 of the 4 open → 3/4.
        // 5y: P1 (2020-11-30), P3 (2017-06-01 ≤ 2022-06-01 ok), P4 → 3/4 (P2 not yet).
        // graded by 2020-12-31: P3 only of P2, P3, P4 → 1/3. A now: P3 → 1. A/B now: P3.
        assert_values(
            &at("2020-12-31"),
            &[
                (FIRST_ASSESSMENT, Some(75.0)),
                (FIVE_YEARS, Some(75.0)),
                (GRADED, Some(pct(1, 3))),
                (GRADE_A_EXIT, Some(1.0)),
                (GRADE_B, Some(1.0)),
            ],
            "2020-12-31",
        );
        // 2022-12-31: first stays 2020's; 5y: P1, P2, P4 of P1, P2, P4 (P3 exited) → 100;
        // graded: P2, P4 → 100; A at end 2021: P3, exited 2022-03-01 → 0; not C/D at end 2022:
        // P2, not cancelled yet → 1.
        assert_values(
            &at("2022-12-31"),
            &[
                (FIRST_ASSESSMENT, Some(75.0)),
                (FIVE_YEARS, Some(100.0)),
                (GRADED, Some(100.0)),
                (GRADE_A_EXIT, Some(0.0)),
                (GRADE_B, Some(1.0)),
            ],
            "2022-12-31",
        );
        // 2022-02-28: P3 still in: A at end 2021, not exited → 1.
        let v = at("2022-02-28");
        assert!(
            v.iter()
                .any(|x| x.target_id == GRADE_A_EXIT && x.value == 1.0)
        );
        // 2023-03-01: P2's designation cancelled that day → 0 (the checkpoint counts the
        // consequence carried out).
        let v = at("2023-03-01");
        assert!(v.iter().any(|x| x.target_id == GRADE_B && x.value == 0.0));
        let v = at("2023-02-28");
        assert!(v.iter().any(|x| x.target_id == GRADE_B && x.value == 1.0));
    }

    #[test]
    fn five_years_are_inclusive() {
        let one = |assessed: &str, as_of: &str| {
            let r = vec![record(
                "p",
                &[
                    ("park_kind", "[industrial]"),
                    ("last_overall_assessment_date", assessed),
                ],
            )];
            compute(&full_batch(&r), day(as_of))
                .into_iter()
                .find(|v| v.target_id == FIVE_YEARS)
                .map(|v| v.value)
        };
        assert_eq!(one("2017-03-01", "2022-03-01"), Some(100.0));
        assert_eq!(one("2017-03-01", "2022-03-02"), Some(0.0));
        assert_eq!(one("2021-04-01", "2021-03-31"), Some(0.0));
        let rule = |assessed: &str, today: &str| {
            let r = record(
                "p",
                &[
                    ("park_kind", "[industrial]"),
                    ("last_overall_assessment_date", assessed),
                ],
            );
            findings(&r, Some(day(today)))
                .into_iter()
                .find(|f| f.rule == "p2-five-years")
                .map(|f| f.value)
        };
        assert_eq!(
            rule("2020-11-30", "2025-11-30").as_deref(),
            Some("整体性评估在5年内")
        );
        assert_eq!(
            rule("2020-11-30", "2025-12-01").as_deref(),
            Some("整体性评估超过5年")
        );
        assert_eq!(
            rule("2016-02-29", "2021-02-28").as_deref(),
            Some("整体性评估在5年内")
        );
        assert_eq!(
            rule("2016-02-29", "2021-03-01").as_deref(),
            Some("整体性评估超过5年")
        );
    }

    fn find(r: &FormRecord, today: &str, rule: &str) -> Option<Finding> {
        findings(r, Some(day(today)))
            .into_iter()
            .find(|f| f.rule == rule)
    }

    #[test]
    fn the_first_assessment_is_due_at_the_end_of_2020() {
        let none = record("p", &[("park_kind", "[industrial]")]);
        assert!(find(&none, "2020-12-31", "p1-first-assessment").is_none());
        let f = find(&none, "2021-01-01", "p1-first-assessment").unwrap();
        assert_eq!(f.issues[0].severity, Severity::Warning);
        let late = record(
            "p",
            &[
                ("park_kind", "[industrial]"),
                ("first_overall_assessment_date", "2021-01-01"),
            ],
        );
        let f = find(&late, "2021-06-01", "p1-first-assessment").unwrap();
        assert_eq!(f.value, "晚于2020年底完成");
        assert_eq!(f.issues[0].severity, Severity::Info);
        let on_time = record(
            "p",
            &[
                ("park_kind", "[industrial]"),
                ("first_overall_assessment_date", "2020-12-31"),
            ],
        );
        assert!(
            find(&on_time, "2021-06-01", "p1-first-assessment")
                .unwrap()
                .issues
                .is_empty()
        );
    }

    #[test]
    fn a_b_grade_park_is_told_both_consequences() {
        let fx = fixture();
        // Before 2023: the current-grade rule, its reason naming both sources.
        let b = find(&fx[1], "2022-06-01", "p3-current-grade").unwrap();
        assert_eq!(b.value, "B级(较高安全风险)");
        assert!(b.reason.contains("附件10第693行“取消化工园区定位”"));
        assert!(
            b.reason
                .contains("附件3第110行“到2022年底经整改仍未达到C级或D级将关闭退出”")
        );
        assert!(b.reason.contains("两处规定不同"));
        assert!(find(&fx[1], "2022-12-31", "p6-grade-b-consequence").is_none());
        // From 2023-01-01: both consequences.
        let c = find(&fx[1], "2023-01-01", "p6-grade-b-consequence").unwrap();
        assert_eq!(c.value, "应取消化工园区定位（附件10）或关闭退出（附件3）");
        assert_eq!(c.issues[0].severity, Severity::Warning);
        assert!(c.reason.contains("取消化工园区定位") && c.reason.contains("关闭退出"));
        assert!(
            c.reason
                .ends_with("2022年12月31日的等级：B级(较高安全风险)。")
        );
        // Designation cancelled (附件10 done), not closed (附件3 not): a 提示 that says so.
        let c = find(&fx[1], "2023-03-01", "p6-grade-b-consequence").unwrap();
        assert_eq!(c.value, "已取消化工园区定位，未关闭退出");
        assert_eq!(c.issues[0].severity, Severity::Info);
        // A park at C at end 2022: nothing.
        assert!(find(&fx[3], "2023-01-01", "p6-grade-b-consequence").is_none());
        // An A at end 2022 is also “not C or D”.
        let a = record("x", &[("park_kind", "[chemical]"), ("grade_end_2022", "A")]);
        assert!(find(&a, "2023-01-01", "p6-grade-b-consequence").is_some());
    }

    #[test]
    fn an_a_grade_park_exits_after_2021() {
        let fx = fixture();
        assert!(find(&fx[2], "2021-12-31", "p5-grade-a-exit").is_none());
        // 2022-01-01: P3 not exited yet.
        let f = find(&fx[2], "2022-01-01", "p5-grade-a-exit").unwrap();
        assert_eq!(f.value, "应关闭退出");
        assert_eq!(f.issues[0].field, "exit_date");
        let f = find(&fx[2], "2022-03-01", "p5-grade-a-exit").unwrap();
        assert_eq!(f.value, "已关闭退出");
        // The current A grade: its rule and the missing deadline.
        let a = record(
            "x",
            &[
                ("park_kind", "[chemical]"),
                ("grade", "A"),
                ("grade_date", "2020-10-01"),
            ],
        );
        let f = find(&a, "2021-01-01", "p3-current-grade").unwrap();
        assert_eq!(f.issues.len(), 2);
        assert_eq!(f.issues[1].field, "rectify_deadline");
    }

    #[test]
    fn ungraded_parks_and_missing_year_end_grades() {
        let p = record("x", &[("park_kind", "[chemical]")]);
        assert_eq!(
            find(&p, "2021-01-01", "p8-grading").unwrap().value,
            "未评估分级"
        );
        assert!(find(&p, "2021-12-31", "p7-year-end-grades").is_none());
        assert_eq!(
            find(&p, "2022-01-01", "p7-year-end-grades")
                .unwrap()
                .issues
                .len(),
            1
        );
        assert_eq!(
            find(&p, "2023-01-01", "p7-year-end-grades")
                .unwrap()
                .issues
                .len(),
            2
        );
        // Not a chemical park: no grade rule.
        let q = record(
            "y",
            &[
                ("park_kind", "[industrial]"),
                ("first_overall_assessment_date", "2020-06-01"),
            ],
        );
        let rules: Vec<&str> = findings(&q, Some(day("2023-01-01")))
            .iter()
            .map(|f| f.rule)
            .collect();
        assert_eq!(rules, ["p1-first-assessment", "p2-five-years"]);
    }

    #[test]
    fn the_latest_assessment_cannot_precede_the_first() {
        let r = record(
            "x",
            &[
                ("first_overall_assessment_date", "2020-06-01"),
                ("last_overall_assessment_date", "2020-05-01"),
            ],
        );
        let e = date_errors(&r);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].severity, Severity::Error);
    }
}
