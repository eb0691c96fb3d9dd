//! `small-scattered` 小散乱企业整治台账: rules X1–X6 and three targets (L644).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, Issue, RecordBatch, TargetValue};

use super::common::{
    END_2022, Finding, Ratio, by, count, has, is_any, not_ended, order, target_day, value, yes,
};

pub(crate) const FORM: &str = "small-scattered";

pub(crate) const UNLICENSED: &str = "unlicensed-small-scattered";
pub(crate) const RECHECKED: &str = "closed-rechecked";
pub(crate) const REBOUNDS: &str = "small-scattered-rebounds";

/// The targets of the form with the day their last checkpoint falls due (checked against
/// plan.json by a test).
#[cfg(test)]
pub(crate) const TARGETS: [(&str, Date); 3] = [
    (UNLICENSED, END_2022),
    (RECHECKED, END_2022),
    (REBOUNDS, END_2022),
];

/// 「多次反复」 (L644): rebounded two times or more.
pub(crate) const REPEATED: f64 = 2.0;

/// The measures of a thorough ban (L644 「断水断电、拆除设备、清除原材料」), as the form labels them.
const MEASURES: [(&str, &str); 4] = [
    ("cut_water", "断水"),
    ("cut_power", "断电"),
    ("remove_equipment", "拆除设备"),
    ("clear_materials", "清除原材料"),
];

/// The latest recheck found the enterprise reopened, or signs of it (or a rebound date is
/// entered without a result).
fn rebound(r: &impl Fields) -> Option<&'static str> {
    match r.choice("recheck_result") {
        Some("rebounded") => Some("已反弹"),
        Some("signs") => Some("存在反弹迹象"),
        _ if r.date("rebound_found_date").is_some() => Some("已反弹"),
        _ => None,
    }
}

/// X1 — 「全面清理取缔无证无照各类小散乱企业」 (L644).
fn unlicensed(r: &impl Fields) -> Option<Finding> {
    if !yes(r, "unlicensed") {
        return None;
    }
    let rule = "x1-unlicensed";
    let reason = "第644行：全面清理取缔无证无照各类小散乱企业。";
    Some(match r.date("closed_date") {
        Some(d) => Finding::note(rule, "已取缔", format!("{reason}{d}取缔。")),
        None => Finding::warning(
            rule,
            "待取缔",
            reason,
            "closed_date",
            "无证无照小散乱企业应予清理取缔：尚未取缔。",
        ),
    })
}

/// X2 — 「对近年来已经关停取缔的小散乱企业进行全面复查,坚决防止反弹」 (L644).
fn recheck(r: &impl Fields) -> Option<Finding> {
    r.date("closed_date")?;
    let rule = "x2-recheck";
    let reason = "第644行：对近年来已经关停取缔的小散乱企业进行全面复查，坚决防止反弹。";
    Some(
        match r.date("last_recheck_date").or(r.date("first_recheck_date")) {
            Some(d) => Finding::note(rule, "已复查", format!("{reason}最近一次复查{d}。")),
            None => Finding::warning(
                rule,
                "待复查",
                reason,
                "first_recheck_date",
                "已关停取缔的小散乱企业应全面复查：尚未复查。",
            ),
        },
    )
}

/// X3 — a closed enterprise found reopened, or with signs of it: 「对…存在反弹迹象或已反弹的小散乱
/// 企业,采取断水断电、拆除设备、清除原材料措施,予以彻底取缔」 (L644).
fn rebounded(r: &impl Fields) -> Option<Finding> {
    let what = rebound(r)?;
    let rule = "x3-rebound";
    let reason = "第644行：对不完善安全手续、取缔不彻底、存在反弹迹象或已反弹的小散乱企业，采取断水断电、拆除设备、清除原材料措施，予以彻底取缔。";
    Some(match r.date("reclosed_date") {
        Some(d) => Finding::note(
            rule,
            format!("{what}，已彻底取缔"),
            format!("{reason}{d}彻底取缔。"),
        ),
        None => Finding::warning(
            rule,
            what,
            reason,
            "reclosed_date",
            format!("{what}：应采取断水断电、拆除设备、清除原材料措施，予以彻底取缔。"),
        ),
    })
}

/// X4 — the measures of a thorough ban (L644): required when the enterprise lacks safety
/// procedures (不完善安全手续) or rebounded, once it is (re)closed; for an ordinary closure, a
/// 提示 that a closure without them is 取缔不彻底.
fn measures(r: &impl Fields) -> Option<Finding> {
    let closed = r.date("closed_date").is_some() || r.date("reclosed_date").is_some();
    let lacking = r.flag("safety_procedures_complete") == Some(false);
    let rule = "x4-thorough-ban";
    let reason = "第644行：对不完善安全手续、取缔不彻底、存在反弹迹象或已反弹的小散乱企业，采取断水断电、拆除设备、清除原材料措施，予以彻底取缔。";
    if lacking && !closed {
        return Some(Finding::warning(
            rule,
            "安全手续不完善",
            reason,
            "safety_procedures_complete",
            "不完善安全手续的小散乱企业，应采取断水断电、拆除设备、清除原材料措施，予以彻底取缔。",
        ));
    }
    if !closed {
        return None;
    }
    let missing: Vec<&str> = MEASURES
        .iter()
        .filter(|(k, _)| !has(r, "closure_measures", k))
        .map(|(_, l)| *l)
        .collect();
    if missing.is_empty() {
        return Some(Finding::note(rule, "已彻底取缔", reason));
    }
    let message = format!("取缔措施尚缺：{}。", missing.join("、"));
    Some(if lacking || rebound(r).is_some() {
        Finding::warning(rule, "取缔不彻底", reason, "closure_measures", message)
    } else {
        Finding::info(
            rule,
            "取缔措施不全",
            reason,
            "closure_measures",
            format!("{message}取缔不彻底的，应采取断水断电、拆除设备、清除原材料措施。"),
        )
    })
}

/// X5 — 「对多次反复、顶风而上的小散乱企业,要依法追究法律责任」 (L644): 2 rebounds or more.
fn repeated(r: &impl Fields) -> Option<Finding> {
    let n = r.number("rebound_count")?;
    if n < REPEATED {
        return None;
    }
    let rule = "x5-repeated";
    let reason =
        format!("第644行：对多次反复、顶风而上的小散乱企业，要依法追究法律责任。已反弹{n}次。");
    Some(if yes(r, "legal_action") {
        Finding::note(rule, "已依法追究法律责任", reason)
    } else {
        Finding::warning(
            rule,
            "多次反复",
            reason,
            "legal_action",
            "多次反复、顶风而上的小散乱企业，要依法追究法律责任。",
        )
    })
}

/// X6 — 「重点对园区域内的闲置厂房、仓库、住宅等进行规范整治」 (L644): a classification.
fn premises(r: &impl Fields) -> Option<Finding> {
    is_any(r, "premises", &["idle_factory", "warehouse", "residence"]).then(|| {
        Finding::note(
            "x6-premises",
            "重点整治场所",
            "第644行：重点对园区域内的闲置厂房、仓库、住宅等进行规范整治。",
        )
    })
}

pub(crate) fn findings(r: &impl Fields, _today: Option<Date>) -> Vec<Finding> {
    [
        unlicensed(r),
        recheck(r),
        rebounded(r),
        measures(r),
        repeated(r),
        premises(r),
    ]
    .into_iter()
    .flatten()
    .collect()
}

pub(crate) fn date_errors(r: &impl Fields) -> Vec<Issue> {
    let mut out = Vec::new();
    let found = ("found_date", "发现日期");
    let closed = ("closed_date", "取缔日期");
    let first = ("first_recheck_date", "首次复查日期");
    let rebound = ("rebound_found_date", "发现反弹日期");
    order(r, found, closed, &mut out);
    order(r, closed, first, &mut out);
    order(
        r,
        first,
        ("last_recheck_date", "最近一次复查日期"),
        &mut out,
    );
    order(r, closed, rebound, &mut out);
    order(r, rebound, ("reclosed_date", "彻底取缔日期"), &mut out);
    if r.date("closed_date").is_none() {
        for (f, l) in [first, rebound] {
            if r.date(f).is_some() {
                out.push(Issue::error(
                    f,
                    format!("未取缔的企业不能有{l}：请先填写取缔日期"),
                ));
            }
        }
    }
    out
}

// ---- Targets ----

/// The three targets of the form on `as_of` (rules.md B-5 … B-7), in one pass.
pub(crate) fn compute(batch: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    compute_rows(batch.rows(), as_of)
}

pub(crate) fn compute_rows<R: Fields>(
    rows: impl IntoIterator<Item = R>,
    as_of: Date,
) -> Vec<TargetValue> {
    let d = target_day(as_of, END_2022);
    let year_start = Date {
        year: d.year,
        month: 1,
        day: 1,
    };
    let mut open = 0;
    let mut rechecked = Ratio::default();
    let mut rebounds = 0;
    for r in rows {
        // B-5: unlicensed and operating on D: not closed by D, or rebounded by D and not
        // thoroughly closed again by D.
        if yes(&r, "unlicensed") && by(&r, "found_date", d) {
            let first = not_ended(&r, "closed_date", d);
            let again = by(&r, "rebound_found_date", d) && not_ended(&r, "reclosed_date", d);
            open += u64::from(first || again);
        }
        // B-6: closed by D; rechecked after the closure and by D.
        if let Some(c) = r.date("closed_date").filter(|c| *c <= d) {
            rechecked.add(
                r.date("first_recheck_date")
                    .is_some_and(|x| x >= c && x <= d),
            );
        }
        // B-7: rebounds found from 1 January of D's year to D.
        rebounds += u64::from(
            r.date("rebound_found_date")
                .is_some_and(|x| x >= year_start && x <= d),
        );
    }
    [
        count(UNLICENSED, open),
        value(RECHECKED, rechecked.value()),
        count(REBOUNDS, rebounds),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::{FormRecord, Severity};

    use super::super::common::test_support::{assert_values, day, full_batch, record, table};
    use super::*;

    const NAMES: [&str; 9] = [
        "name",
        "unlicensed",
        "found_date",
        "closed_date",
        "first_recheck_date",
        "recheck_result",
        "rebound_found_date",
        "reclosed_date",
        "remarks",
    ];

    /// FX-SS of rules.md.
    pub fn fixture() -> Vec<FormRecord> {
        table(
            &NAMES,
            &[
                // A: unlicensed, closed 2020-09-01, rechecked 2021-03-01, no rebound.
                &[
                    "A",
                    "yes",
                    "2020-07-01",
                    "2020-09-01",
                    "2021-03-01",
                    "no_rebound",
                    "-",
                    "-",
                    "-",
                ],
                // B: unlicensed, found 2021-05-01, not closed.
                &["B", "yes", "2021-05-01", "-", "-", "-", "-", "-", "-"],
                // C: unlicensed, closed 2019-06-01; rebound found 2022-04-01, reclosed 2022-08-01.
                &[
                    "C",
                    "yes",
                    "2019-01-01",
                    "2019-06-01",
                    "2021-10-01",
                    "rebounded",
                    "2022-04-01",
                    "2022-08-01",
                    "-",
                ],
                // D: licensed (safety procedures), closed 2022-11-01, not rechecked.
                &[
                    "D",
                    "no",
                    "2022-01-01",
                    "2022-11-01",
                    "-",
                    "-",
                    "-",
                    "-",
                    "-",
                ],
                // E: unlicensed, closed 2021-02-01, rebound signs 2021-12-01, not reclosed.
                &[
                    "E",
                    "yes",
                    "2020-12-01",
                    "2021-02-01",
                    "2021-12-01",
                    "signs",
                    "2021-12-01",
                    "-",
                    "备注",
                ],
            ],
        )
    }

    #[test]
    fn fixture_gives_the_values_of_rules_md() {
        let batch = full_batch(&fixture());
        let at = |as_of: &str| compute(&batch, day(as_of));
        // 2022-12-31: open B, E (C reclosed); rechecked A, C, E of A, C, D, E; rebounds in
        // 2022: C.
        assert_values(
            &at("2022-12-31"),
            &[
                (UNLICENSED, Some(2.0)),
                (RECHECKED, Some(75.0)),
                (REBOUNDS, Some(1.0)),
            ],
            "2022-12-31",
        );
        // 2022-06-30: C's rebound open; D not closed yet: rechecked 3/3.
        assert_values(
            &at("2022-06-30"),
            &[
                (UNLICENSED, Some(3.0)),
                (RECHECKED, Some(100.0)),
                (REBOUNDS, Some(1.0)),
            ],
            "2022-06-30",
        );
        // 2021-12-31: open B, E; rechecked A, C, E of A, C, E; rebounds in 2021: E.
        assert_values(
            &at("2021-12-31"),
            &[
                (UNLICENSED, Some(2.0)),
                (RECHECKED, Some(100.0)),
                (REBOUNDS, Some(1.0)),
            ],
            "2021-12-31",
        );
        // 2020-12-31: open E only (A and C closed, B not found yet, E found 12-01 and closed
        // 2021-02-01); rechecked: A and C not yet (2021): 0 of 2.
        assert_values(
            &at("2020-12-31"),
            &[
                (UNLICENSED, Some(1.0)),
                (RECHECKED, Some(0.0)),
                (REBOUNDS, Some(0.0)),
            ],
            "2020-12-31",
        );
        // After 2022 the checkpoint stays on 2022-12-31.
        assert_values(
            &at("2023-05-01"),
            &[
                (UNLICENSED, Some(2.0)),
                (RECHECKED, Some(75.0)),
                (REBOUNDS, Some(1.0)),
            ],
            "2023-05-01",
        );
        // No closure by D: no recheck share (无数据), counts 0.
        assert_values(
            &at("2019-01-01"),
            &[(UNLICENSED, Some(1.0)), (REBOUNDS, Some(0.0))],
            "2019-01-01",
        );
    }

    fn find(r: &FormRecord, rule: &str) -> Option<Finding> {
        findings(r, None).into_iter().find(|f| f.rule == rule)
    }

    #[test]
    fn a_closed_one_found_reopened_is_to_be_closed_thoroughly() {
        let fx = fixture();
        let e = find(&fx[4], "x3-rebound").unwrap();
        assert_eq!(e.value, "存在反弹迹象");
        assert_eq!(e.issues[0].field, "reclosed_date");
        assert_eq!(
            e.issues[0].message,
            "存在反弹迹象：应采取断水断电、拆除设备、清除原材料措施，予以彻底取缔。"
        );
        // E rebounded: its closure without the four measures is 取缔不彻底 (warning).
        let m = find(&fx[4], "x4-thorough-ban").unwrap();
        assert_eq!(m.issues[0].severity, Severity::Warning);
        assert_eq!(
            m.issues[0].message,
            "取缔措施尚缺：断水、断电、拆除设备、清除原材料。"
        );
        let c = find(&fx[2], "x3-rebound").unwrap();
        assert_eq!(c.value, "已反弹，已彻底取缔");
        assert!(c.issues.is_empty());
        // A rebound date without a result still counts as rebounded.
        let r = record(
            "x",
            &[
                ("closed_date", "2021-01-01"),
                ("rebound_found_date", "2021-06-01"),
            ],
        );
        assert_eq!(find(&r, "x3-rebound").unwrap().value, "已反弹");
        // An ordinary closure with partial measures: 提示 only; with all four: done.
        let partial = record(
            "y",
            &[
                ("closed_date", "2021-01-01"),
                ("closure_measures", "[cut_water cut_power]"),
            ],
        );
        let m = find(&partial, "x4-thorough-ban").unwrap();
        assert_eq!(m.issues[0].severity, Severity::Info);
        let all = record(
            "y",
            &[
                ("closed_date", "2021-01-01"),
                (
                    "closure_measures",
                    "[cut_water cut_power remove_equipment clear_materials]",
                ),
            ],
        );
        assert_eq!(find(&all, "x4-thorough-ban").unwrap().value, "已彻底取缔");
        let lacking = record("z", &[("safety_procedures_complete", "no")]);
        assert_eq!(
            find(&lacking, "x4-thorough-ban").unwrap().value,
            "安全手续不完善"
        );
    }

    #[test]
    fn unlicensed_recheck_repeated_and_premises() {
        let fx = fixture();
        assert_eq!(find(&fx[1], "x1-unlicensed").unwrap().value, "待取缔");
        assert_eq!(find(&fx[0], "x1-unlicensed").unwrap().value, "已取缔");
        assert_eq!(find(&fx[3], "x1-unlicensed").map(|f| f.value), None);
        assert_eq!(find(&fx[3], "x2-recheck").unwrap().value, "待复查");
        assert_eq!(find(&fx[0], "x2-recheck").unwrap().value, "已复查");
        // 多次反复: 1 is not, 2 is.
        let n = |k: &str| record("x", &[("rebound_count", k)]);
        assert!(find(&n("1"), "x5-repeated").is_none());
        let two = find(&n("2"), "x5-repeated").unwrap();
        assert_eq!(two.issues[0].field, "legal_action");
        let done = record("x", &[("rebound_count", "3"), ("legal_action", "yes")]);
        assert!(find(&done, "x5-repeated").unwrap().issues.is_empty());
        let p = record("x", &[("premises", "residence")]);
        assert_eq!(find(&p, "x6-premises").unwrap().value, "重点整治场所");
        assert!(find(&record("x", &[("premises", "other")]), "x6-premises").is_none());
    }

    #[test]
    fn impossible_dates_are_errors() {
        let r = record(
            "x",
            &[
                ("found_date", "2021-01-01"),
                ("closed_date", "2021-02-01"),
                ("first_recheck_date", "2021-01-15"),
                ("rebound_found_date", "2021-03-01"),
                ("reclosed_date", "2021-02-15"),
            ],
        );
        let fields: Vec<String> = date_errors(&r).into_iter().map(|i| i.field).collect();
        assert_eq!(fields, ["first_recheck_date", "reclosed_date"]);
        let unclosed = record("x", &[("first_recheck_date", "2021-01-15")]);
        let e = date_errors(&unclosed);
        assert_eq!(e.len(), 1);
        assert_eq!(
            e[0].message,
            "未取缔的企业不能有首次复查日期：请先填写取缔日期"
        );
        let same = record(
            "x",
            &[
                ("closed_date", "2021-02-01"),
                ("first_recheck_date", "2021-02-01"),
            ],
        );
        assert!(date_errors(&same).is_empty());
    }
}
