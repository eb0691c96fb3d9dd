//! `major-hazard` 重大事故隐患挂牌督办台账: rules H1–H5 (L642, L688) and one target.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, Issue, RecordBatch, TargetValue};

use super::common::{END_2022, Finding, by, count, is, not_ended, order, target_day, yes};

pub(crate) const FORM: &str = "major-hazard";

pub(crate) const OPEN: &str = "major-hazards-open";

/// The targets of the form with the day their last checkpoint falls due (checked against
/// plan.json by a test).
#[cfg(test)]
pub(crate) const TARGETS: [(&str, Date); 1] = [(OPEN, END_2022)];

/// Resolved: rectified, or the enterprise closed by law.
fn resolved(r: &impl Fields) -> bool {
    r.date("rectified_date").is_some() || r.date("closed_date").is_some()
}

const L688: &str = "第688行：开展涉爆粉尘、液氨制冷、危险化学品等专项治理，实行挂牌督办、限期整改等措施，坚决消除重大事故隐患。";

/// H1 — 「实行挂牌督办」 (L688).
fn listed(r: &impl Fields) -> Option<Finding> {
    if resolved(r) {
        return None;
    }
    let rule = "h1-listed";
    Some(if yes(r, "listed") {
        Finding::note(rule, "已挂牌督办", L688)
    } else {
        Finding::warning(
            rule,
            "未挂牌督办",
            L688,
            "listed",
            "重大事故隐患应实行挂牌督办。",
        )
    })
}

/// H2, H3 — 「限期整改」 (L688): a deadline, and overdue the day after it.
fn deadline(r: &impl Fields, today: Option<Date>) -> Option<Finding> {
    let rule = "h2-deadline";
    if let Some(d) = r.date("rectified_date") {
        return Some(Finding::note(
            rule,
            "已整改",
            format!("{L688}{d}整改完成。"),
        ));
    }
    if r.date("closed_date").is_some() {
        return None;
    }
    let Some(due) = r.date("deadline") else {
        return Some(Finding::warning(
            rule,
            "未限期整改",
            L688,
            "deadline",
            "重大事故隐患应限期整改：未登记整改期限。",
        ));
    };
    Some(match today {
        Some(t) if t > due => Finding::warning(
            "h3-overdue",
            "逾期未整改",
            format!("{L688}整改期限{due}。"),
            "rectified_date",
            format!("整改期限{due}已过，尚未整改完成。"),
        ),
        _ => Finding::note(rule, "整改期限内", format!("{L688}整改期限{due}。")),
    })
}

/// H4 — 「经停产停业整顿仍不具备安全生产条件的,由职能部门依法予以关闭,依法吊销其有关证照」
/// (L688).
fn closure(r: &impl Fields) -> Option<Finding> {
    let rule = "h4-closure";
    let reason = "第688行：入园企业安全生产条件不具备有关法律、行政法规、国家标准或者行业标准规定的，经停产停业整顿仍不具备安全生产条件的，由职能部门依法予以关闭，依法吊销其有关证照。";
    if r.date("closed_date").is_some() {
        return Some(if yes(r, "licences_revoked") {
            Finding::note(rule, "已关闭、已吊销证照", reason)
        } else {
            Finding::warning(
                rule,
                "已关闭、证照未吊销",
                reason,
                "licences_revoked",
                "依法关闭的企业，应依法吊销其有关证照。",
            )
        });
    }
    yes(r, "still_unqualified").then(|| {
        Finding::warning(
            rule,
            "应依法关闭",
            reason,
            "closed_date",
            "经停产停业整顿仍不具备安全生产条件：由职能部门依法予以关闭，依法吊销其有关证照。",
        )
    })
}

/// H5 — 人员密集场所: 「对存在重大安全隐患的予以公开曝光,严格处罚并上报业主和相关主管部门」
/// (L642).
fn crowded(r: &impl Fields) -> Option<Finding> {
    if !is(r, "field", "crowded") {
        return None;
    }
    let rule = "h5-crowded-exposure";
    let reason = "第642行：对存在重大安全隐患的予以公开曝光，严格处罚并上报业主和相关主管部门。";
    let missing: Vec<(&str, &str)> = [
        ("exposed", "公开曝光"),
        ("reported", "上报业主和相关主管部门"),
    ]
    .into_iter()
    .filter(|(f, _)| !yes(r, f))
    .collect();
    let Some((field, _)) = missing.first() else {
        return Some(Finding::note(rule, "已曝光上报", reason));
    };
    let items: Vec<&str> = missing.iter().map(|(_, l)| *l).collect();
    Some(Finding::warning(
        rule,
        "待曝光上报",
        reason,
        field,
        format!(
            "人员密集场所的重大安全隐患应予公开曝光并上报：尚未{}。",
            items.join("、")
        ),
    ))
}

pub(crate) fn findings(r: &impl Fields, today: Option<Date>) -> Vec<Finding> {
    [listed(r), deadline(r, today), closure(r), crowded(r)]
        .into_iter()
        .flatten()
        .collect()
}

pub(crate) fn date_errors(r: &impl Fields) -> Vec<Issue> {
    let mut out = Vec::new();
    let found = ("found_date", "发现日期");
    order(r, found, ("deadline", "整改期限"), &mut out);
    order(r, found, ("rectified_date", "整改完成日期"), &mut out);
    out
}

// ---- Target ----

pub(crate) fn compute(batch: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    compute_rows(batch.rows(), as_of)
}

/// B-13 (L688): found by D, not rectified by D, its enterprise not closed by D.
pub(crate) fn compute_rows<R: Fields>(
    rows: impl IntoIterator<Item = R>,
    as_of: Date,
) -> Vec<TargetValue> {
    let d = target_day(as_of, END_2022);
    let open = rows
        .into_iter()
        .filter(|r| {
            by(r, "found_date", d)
                && not_ended(r, "rectified_date", d)
                && not_ended(r, "closed_date", d)
        })
        .count();
    count(OPEN, open as u64).into_iter().collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::{FormRecord, Severity};

    use super::super::common::test_support::{assert_values, day, full_batch, record, table};
    use super::*;

    /// FX-MH of rules.md.
    pub fn fixture() -> Vec<FormRecord> {
        table(
            &[
                "enterprise",
                "field",
                "found_date",
                "deadline",
                "rectified_date",
                "closed_date",
                "listed",
            ],
            &[
                &[
                    "甲",
                    "dust",
                    "2021-03-01",
                    "2021-06-30",
                    "2021-06-15",
                    "-",
                    "yes",
                ],
                &["乙", "ammonia", "2022-05-01", "2022-08-31", "-", "-", "yes"],
                &[
                    "丙",
                    "hazchem",
                    "2022-02-01",
                    "2022-04-30",
                    "-",
                    "2022-10-01",
                    "no",
                ],
                &[
                    "丁",
                    "crowded",
                    "2022-12-31",
                    "2023-02-28",
                    "2023-01-20",
                    "-",
                    "no",
                ],
            ],
        )
    }

    #[test]
    fn fixture_gives_the_values_of_rules_md() {
        let batch = full_batch(&fixture());
        let open = |as_of: &str| {
            compute(&batch, day(as_of))
                .into_iter()
                .find(|v| v.target_id == OPEN)
                .map(|v| v.value)
        };
        assert_eq!(open("2022-12-31"), Some(2.0)); // 乙, 丁
        assert_eq!(open("2023-02-01"), Some(2.0)); // judged on 2022-12-31
        assert_eq!(open("2022-09-30"), Some(2.0)); // 乙, 丙
        assert_eq!(open("2022-10-01"), Some(1.0)); // 丙 closed that day
        assert_eq!(open("2021-06-14"), Some(1.0)); // 甲
        assert_eq!(open("2021-06-15"), Some(0.0));
        assert_values(
            &compute(&full_batch(&[]), day("2022-12-31")),
            &[(OPEN, Some(0.0))],
            "empty",
        );
    }

    fn find(r: &FormRecord, today: &str, rule: &str) -> Option<Finding> {
        findings(r, Some(day(today)))
            .into_iter()
            .find(|f| f.rule == rule)
    }

    #[test]
    fn a_hazard_is_overdue_from_the_day_after_its_deadline() {
        let r = &fixture()[1];
        assert_eq!(
            find(r, "2022-08-31", "h2-deadline").unwrap().value,
            "整改期限内"
        );
        assert!(find(r, "2022-08-31", "h3-overdue").is_none());
        let f = find(r, "2022-09-01", "h3-overdue").unwrap();
        assert_eq!(
            f.issues[0].message,
            "整改期限2022-08-31已过，尚未整改完成。"
        );
        assert_eq!(f.issues[0].severity, Severity::Warning);
        let no_deadline = record("x", &[("found_date", "2022-01-01")]);
        let f = findings(&no_deadline, Some(day("2022-01-02")));
        let ids: Vec<&str> = f.iter().map(|f| f.rule).collect();
        assert_eq!(ids, ["h1-listed", "h2-deadline"]);
        assert_eq!(f[1].issues[0].field, "deadline");
        assert_eq!(
            find(&fixture()[0], "2022-01-01", "h2-deadline")
                .unwrap()
                .value,
            "已整改"
        );
    }

    #[test]
    fn closure_licences_and_crowded_places() {
        let closed = &fixture()[2];
        let f = find(closed, "2022-11-01", "h4-closure").unwrap();
        assert_eq!(f.value, "已关闭、证照未吊销");
        // Closed: no listing or deadline rule.
        assert!(find(closed, "2022-11-01", "h1-listed").is_none());
        assert!(find(closed, "2022-11-01", "h3-overdue").is_none());
        let unfit = record(
            "x",
            &[
                ("suspended_date", "2022-01-01"),
                ("still_unqualified", "yes"),
            ],
        );
        assert_eq!(
            find(&unfit, "2022-03-01", "h4-closure").unwrap().value,
            "应依法关闭"
        );
        let c = find(&fixture()[3], "2023-01-01", "h5-crowded-exposure").unwrap();
        assert_eq!(
            c.issues[0].message,
            "人员密集场所的重大安全隐患应予公开曝光并上报：尚未公开曝光、上报业主和相关主管部门。"
        );
        let done = record(
            "x",
            &[
                ("field", "crowded"),
                ("exposed", "yes"),
                ("reported", "yes"),
            ],
        );
        assert!(
            find(&done, "2023-01-01", "h5-crowded-exposure")
                .unwrap()
                .issues
                .is_empty()
        );
    }

    #[test]
    fn a_rectification_cannot_precede_the_finding() {
        let r = record(
            "x",
            &[
                ("found_date", "2022-02-01"),
                ("rectified_date", "2022-01-31"),
            ],
        );
        let e = date_errors(&r);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].field, "rectified_date");
        assert_eq!(e[0].severity, Severity::Error);
    }
}
