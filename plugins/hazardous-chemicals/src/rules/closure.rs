//! `closure-checklist` 关闭退出和整治提升企业清单: rule R37 and targets B-04, B-41.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, RecordBatch, TargetValue};

use super::common::{END_2022, Finding, Ratio, Rule, TargetDay, by, has_any, is_any, no, yes};

pub(crate) const FORM: &str = "closure-checklist";

pub(crate) const R37: Rule = Rule {
    id: "r37-done-conditions",
    line: 169,
    quote: "对已关闭退出的企业(装置)要停止供电,生产设施设备去功能化,区人民政府出具关闭退出的文件",
    note: Some("msg_done"),
    message: "任务完成条件尚未齐备(关闭退出：停止供电、生产设施设备去功能化、区人民政府出具关闭退出文件、依法注销或吊销相关证照；整治提升、就地改造：逐条验收、“一企一验收报告”及整改复查意见书)，不计为完成。",
    value: "完成条件未齐备",
};

#[cfg(test)]
pub(crate) const RULES: &[&Rule] = &[&R37];

pub(crate) fn findings(r: &impl Fields, _today: Option<Date>) -> Vec<Finding> {
    // R37 (L169–170): a completion date without the conditions (the form's `done`).
    if !r.is_blank("done_on") && no(r, "done") {
        vec![Finding::warning(&R37, "done_on")]
    } else {
        Vec::new()
    }
}

/// B-04 (L99).
pub(crate) const CLOSURE_UPGRADE: TargetDay = TargetDay {
    id: "closure-upgrade-done",
    last_due: END_2022,
};
/// B-41 (L170).
pub(crate) const ACCEPTANCE: TargetDay = TargetDay {
    id: "upgrade-acceptance-report",
    last_due: END_2022,
};

#[cfg(test)]
pub(crate) const TARGETS: &[TargetDay] = &[CLOSURE_UPGRADE, ACCEPTANCE];

pub(crate) fn compute(batch: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let d_done = CLOSURE_UPGRADE.day(as_of);
    let d_acc = ACCEPTANCE.day(as_of);
    let mut done = Ratio::default();
    let mut acceptance = Ratio::default();
    for r in batch.rows() {
        if has_any(&r, "basis", &["dense_area", "production_upgrade"]) {
            done.add(yes(&r, "done") && by(&r, "done_on", d_done));
        }
        if is_any(&r, "action", &["upgrade", "in_situ"]) {
            // 逐条验收: every item accepted; both documents by D.
            let all_items = matches!(
                (r.number("items"), r.number("items_accepted")),
                (Some(n), Some(a)) if a == n
            );
            acceptance.add(
                all_items
                    && by(&r, "acceptance_report_on", d_acc)
                    && by(&r, "recheck_opinion_on", d_acc),
            );
        }
    }
    [
        CLOSURE_UPGRADE.value(done.value()),
        ACCEPTANCE.value(acceptance.value()),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::FormRecord;

    use super::super::common::test_support::{assert_values, day, full_batch, pct, record};
    use super::*;

    /// FX-CC of rules.md, `done` as the form calculates it.
    pub fn fixture() -> Vec<FormRecord> {
        vec![
            record(
                "C1",
                &[
                    ("basis", "[dense_area]"),
                    ("action", "close"),
                    ("power_cut_on", "2021-03-01"),
                    ("defunctionalised", "yes"),
                    ("gov_document", "麒政发〔2021〕1号"),
                    ("licences_done", "yes"),
                    ("done", "yes"),
                    ("done_on", "2021-06-30"),
                ],
            ),
            record(
                "C2",
                &[
                    ("basis", "[production_upgrade]"),
                    ("action", "upgrade"),
                    ("items", "12"),
                    ("items_accepted", "12"),
                    ("acceptance_report_on", "2022-10-01"),
                    ("recheck_opinion_on", "2022-10-20"),
                    ("done", "yes"),
                    ("done_on", "2022-10-20"),
                ],
            ),
            record(
                "C3",
                &[
                    ("basis", "[production_upgrade engineering_plan]"),
                    ("action", "in_situ"),
                    ("items", "8"),
                    ("items_accepted", "6"),
                    ("done", "no"),
                ],
            ),
            record(
                "C4",
                &[
                    ("basis", "[dense_area]"),
                    ("action", "close"),
                    ("power_cut_on", "2022-12-01"),
                    ("defunctionalised", "yes"),
                    ("licences_done", "no"),
                    ("done", "no"),
                ],
            ),
            record(
                "C5",
                &[
                    ("basis", "[engineering_plan]"),
                    ("action", "upgrade"),
                    ("items", "5"),
                    ("items_accepted", "5"),
                    ("acceptance_report_on", "2021-05-01"),
                    ("recheck_opinion_on", "2021-05-10"),
                    ("done", "yes"),
                    ("done_on", "2021-05-10"),
                ],
            ),
        ]
    }

    #[test]
    fn fixture_gives_the_values_of_rules_md() {
        let batch = full_batch(&fixture());
        for as_of in ["2022-12-31", "2023-04-01"] {
            assert_values(
                &compute(&batch, day(as_of)),
                &[
                    (CLOSURE_UPGRADE.id, Some(50.0)),
                    (ACCEPTANCE.id, Some(pct(2, 3))),
                ],
                as_of,
            );
        }
        // Before C2's documents: C5 only; C2's completion counts on its day.
        assert_values(
            &compute(&batch, day("2022-10-19")),
            &[
                (CLOSURE_UPGRADE.id, Some(25.0)),
                (ACCEPTANCE.id, Some(pct(1, 3))),
            ],
            "2022-10-19",
        );
    }

    #[test]
    fn a_completion_date_without_the_conditions() {
        let fx = fixture();
        assert!(fx.iter().all(|r| findings(r, None).is_empty()));
        let premature = record(
            "X",
            &[
                ("action", "close"),
                ("done", "no"),
                ("done_on", "2022-01-01"),
            ],
        );
        assert_eq!(findings(&premature, None).len(), 1);
    }
}
