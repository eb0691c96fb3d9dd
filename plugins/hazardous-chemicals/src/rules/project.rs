//! `construction-project` 危险化学品建设项目台账: rules R01 and R03 (the project side) and
//! R06–R08. No target reads this form.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, RecordBatch, TargetValue};

use super::common::{Finding, Rule, is, is_any, no, yes};

pub(crate) const FORM: &str = "construction-project";

pub(crate) const R01: Rule = Rule {
    id: "r01-park-grade-a",
    line: 109,
    quote: "若安全风险等级评估为A级(高安全风险),将不得批准新、改、扩建危险化学品建设项目,限期整改提升",
    note: Some("msg_park_a"),
    message: "所在化工园区安全风险等级为A级：不得批准新、改、扩建危险化学品建设项目。",
    value: "不得批准",
};
pub(crate) const R03: Rule = Rule {
    id: "r03-park-grade-b",
    line: 110,
    quote: "若安全风险等级评估为B级(较高安全风险),将限制新、改、扩建危险化学品建设项目",
    note: Some("msg_park_b"),
    message: "所在化工园区安全风险等级为B级：限制新、改、扩建危险化学品建设项目。",
    value: "限制新、改、扩建",
};
pub(crate) const R06: Rule = Rule {
    id: "r06-in-park",
    line: 111,
    quote: "凡新建化工或危险化学品生产储存建设项目必须进入化工园区",
    note: Some("msg_in_park"),
    message: "凡新建化工或危险化学品生产储存建设项目必须进入化工园区。",
    value: "必须进入化工园区",
};
pub(crate) const R07: Rule = Rule {
    id: "r07-joint-approval",
    line: 105,
    quote: "按照审批权限实行部门联合审批,从严把关",
    note: Some("msg_joint"),
    message: "涉及有毒气体或爆炸危险性化学品的建设项目，应按照审批权限实行部门联合审批，从严把关。",
    value: "应部门联合审批",
};
pub(crate) const R08: Rule = Rule {
    id: "r08-obsolete",
    line: 103,
    quote: "严禁东中部地区已淘汰落后的产能异地落户、办厂进园",
    note: Some("msg_obsolete"),
    message: "严格执行《产业结构调整指导目录》(2019年版)；严禁东中部地区已淘汰落后的产能异地落户、办厂进园。",
    value: "淘汰类或淘汰落后产能",
};

#[cfg(test)]
pub(crate) const RULES: &[&Rule] = &[&R01, &R03, &R06, &R07, &R08];

#[cfg(test)]
pub(crate) const TARGETS: &[super::common::TargetDay] = &[];

pub(crate) fn findings(r: &impl Fields, _today: Option<Date>) -> Vec<Finding> {
    let mut out = Vec::new();
    // R01 (L109): 不得批准 — an approved project in an A-grade park is a violation the record
    // states (a warning: the record stays true and counts).
    if is(r, "park_grade", "A") {
        out.push(if is(r, "status", "approved") {
            Finding::warning(&R01, "status")
        } else {
            Finding::warning(&R01, "park_grade")
        });
    }
    // R03 (L110): 限制, not 不得 — a warning.
    if is(r, "park_grade", "B") {
        out.push(Finding::warning(&R03, "park_grade"));
    }
    // R06 (L111): 新建 only, not 改建 or 扩建.
    if is(r, "nature", "new")
        && is_any(r, "category", &["chemical", "hazchem_ps"])
        && no(r, "in_park")
    {
        out.push(Finding::warning(&R06, "in_park"));
    }
    // R07 (L105).
    if yes(r, "toxic_or_explosive") && !yes(r, "joint_approval") {
        out.push(Finding::warning(&R07, "joint_approval"));
    }
    // R08 (L103).
    if is(r, "catalogue", "eliminated") {
        out.push(Finding::warning(&R08, "catalogue"));
    } else if yes(r, "relocated_obsolete") {
        out.push(Finding::warning(&R08, "relocated_obsolete"));
    }
    out
}

/// No target reads the form.
pub(crate) fn compute(_batch: &RecordBatch, _as_of: Date) -> Vec<TargetValue> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::super::common::test_support::{day, record};
    use super::*;

    fn found(fields: &[(&str, &str)]) -> Vec<(&'static str, bool)> {
        findings(&record("X", fields), Some(day("2021-01-01")))
            .iter()
            .map(|f| (f.rule.id, f.error))
            .collect()
    }

    #[test]
    fn a_grade_park_blocks_approval() {
        assert_eq!(
            found(&[
                ("in_park", "yes"),
                ("park_grade", "A"),
                ("status", "proposed")
            ]),
            [(R01.id, false)]
        );
        assert_eq!(
            found(&[
                ("in_park", "yes"),
                ("park_grade", "A"),
                ("status", "approved")
            ]),
            [(R01.id, false)]
        );
        assert_eq!(
            found(&[
                ("in_park", "yes"),
                ("park_grade", "B"),
                ("status", "approved")
            ]),
            [(R03.id, false)]
        );
        assert!(
            found(&[
                ("in_park", "yes"),
                ("park_grade", "C"),
                ("status", "approved")
            ])
            .is_empty()
        );
    }

    #[test]
    fn only_new_chemical_projects_must_enter_a_park() {
        let base = |nature: &'static str, category: &'static str, in_park: &'static str| {
            found(&[
                ("nature", nature),
                ("category", category),
                ("in_park", in_park),
            ])
        };
        assert_eq!(base("new", "chemical", "no"), [(R06.id, false)]);
        assert_eq!(base("new", "hazchem_ps", "no"), [(R06.id, false)]);
        assert!(base("new", "hazchem_other", "no").is_empty());
        assert!(base("expand", "chemical", "no").is_empty());
        assert!(base("rebuild", "chemical", "no").is_empty());
        assert!(base("new", "chemical", "yes").is_empty());
    }

    #[test]
    fn joint_approval_and_obsolete_capacity() {
        assert_eq!(found(&[("toxic_or_explosive", "yes")]), [(R07.id, false)]);
        assert_eq!(
            found(&[("toxic_or_explosive", "yes"), ("joint_approval", "no")]),
            [(R07.id, false)]
        );
        assert!(found(&[("toxic_or_explosive", "yes"), ("joint_approval", "yes")]).is_empty());
        assert!(found(&[("toxic_or_explosive", "no")]).is_empty());
        assert_eq!(found(&[("catalogue", "eliminated")]), [(R08.id, false)]);
        assert_eq!(found(&[("relocated_obsolete", "yes")]), [(R08.id, false)]);
        assert!(found(&[("catalogue", "restricted"), ("relocated_obsolete", "no")]).is_empty());
    }
}
