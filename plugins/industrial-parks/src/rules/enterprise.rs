//! `park-enterprise` 园区企业台账 (the main ledger): rules E1–E10 and its four targets,
//! computed in one pass over the rows ([`Tally`], which is also the batch summary of API 1.1).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::serde::{Deserialize, Serialize};
use anwei_plugin_sdk::summary::Summary;
use anwei_plugin_sdk::{Fields, Issue, RecordBatch, TargetValue};

use super::common::{
    CAMPAIGN_START, END_2022, END_MAY_2020, Finding, Ratio, after, by, has, is, is_any, not_ended,
    order, target_day, value, yes,
};

pub(crate) const FORM: &str = "park-enterprise";

pub(crate) const WORK_PLANS: &str = "enterprise-work-plans";
pub(crate) const RELOCATION: &str = "hazchem-relocation";
pub(crate) const DISTANCE_PLANS: &str = "distance-rectification-plans";
pub(crate) const DISTANCE_DONE: &str = "distance-measures-done";

/// The targets of the form with the day their last checkpoint falls due (checked against
/// plan.json by a test).
#[cfg(test)]
pub(crate) const TARGETS: [(&str, Date); 4] = [
    (WORK_PLANS, END_MAY_2020),
    (RELOCATION, END_2022),
    (DISTANCE_PLANS, END_2022),
    (DISTANCE_DONE, END_2022),
];

/// In the park on `d`: entered on or before `d`, not exited by `d`.
pub(crate) fn in_park(r: &impl Fields, d: Date) -> bool {
    by(r, "entered_date", d) && not_ended(r, "exit_date", d)
}

/// Exited the park (status now, or an exit date).
fn exited(r: &impl Fields) -> bool {
    is(r, "status", "exited") || !r.is_blank("exit_date")
}

/// 涉及危险化学品.
fn hazchem(r: &impl Fields) -> bool {
    yes(r, "hazchem")
}

/// L632: a 危险化学品生产企业 in a 人口密集区 or a 限制、退出规划区域.
pub(crate) fn to_relocate(r: &impl Fields) -> bool {
    hazchem(r)
        && has(r, "hazchem_activity", "production")
        && is_any(r, "relocation_zone", &["populated", "restricted"])
}

/// L680: a 危险化学品 enterprise whose external safety distance does not meet the standard.
pub(crate) fn distance_failing(r: &impl Fields) -> bool {
    hazchem(r) && is(r, "distance_ok", "non_compliant")
}

// ---- Rules ----

/// The features for which L678 forbids a project to enter the park, as the form labels them.
const PROHIBITED: [(&str, &str); 4] = [
    (
        "low_automation",
        "自动化程度低、工艺装备落后等本质安全水平低",
    ),
    ("patchwork_facilities", "拼凑式设置安全设施"),
    ("poor_process_control", "生产工艺安全防控系统差"),
    ("obsolete_capacity", "承接其他地区关闭退出的落后产能"),
];

/// E1 — 「禁止自动化程度低、工艺装备落后等本质安全水平低,禁止拼凑式设置安全设施以及生产工艺
/// 安全防控系统差的项目进驻入园…严禁承接其他地区关闭退出的落后产能」 (L678). An enterprise
/// that entered from 2020-05-01 (L646) is a new entrant; an earlier one is not judged by entry
/// rules, only told (提示).
fn admission(r: &impl Fields) -> Option<Finding> {
    let rule = "e1-admission";
    let entered = r.date("entered_date")?;
    let mut found: Vec<&str> = PROHIBITED
        .iter()
        .filter(|(f, _)| yes(r, f))
        .map(|(_, l)| *l)
        .collect();
    if is(r, "catalogue", "prohibited") {
        found.push("列入“禁限控”目录禁止类");
    }
    let field = PROHIBITED
        .iter()
        .find(|(f, _)| yes(r, f))
        .map_or("catalogue", |(f, _)| *f);
    let reason = "第678行：严格落实园区项目准入条件，制定“禁限控”目录，禁止本质安全水平低、拼凑式设置安全设施以及生产工艺安全防控系统差的项目进驻入园，严禁承接其他地区关闭退出的落后产能。";
    if !found.is_empty() {
        let items = found.join("、");
        return Some(if entered >= CAMPAIGN_START {
            Finding::warning(
                rule,
                "不符合准入条件",
                format!("{reason}{entered}入园（本方案2020年5月起实施）。"),
                field,
                format!("{items}：按第678行不得进驻入园。"),
            )
        } else {
            Finding::info(
                rule,
                "入园早于本方案",
                format!("{reason}{entered}入园，早于本方案（2020年5月起），准入条件不溯及。"),
                field,
                format!(
                    "{items}；入园早于本方案，不符合安全生产要求的应及时淘汰退出园区（第678行）。"
                ),
            )
        });
    }
    if is_any(r, "catalogue", &["restricted", "controlled"]) {
        let class = if is(r, "catalogue", "restricted") {
            "限制类"
        } else {
            "控制类"
        };
        return Some(Finding::info(
            rule,
            format!("“禁限控”目录{class}"),
            reason,
            "catalogue",
            format!("列入“禁限控”目录{class}，按目录管控。"),
        ));
    }
    if entered >= CAMPAIGN_START && !yes(r, "admission_checked") {
        return Some(Finding::warning(
            rule,
            "准入审查未登记",
            reason,
            "admission_checked",
            "2020年5月以后入园的企业应按园区项目准入条件审查（第678行）。",
        ));
    }
    yes(r, "admission_checked").then(|| Finding::note(rule, "已按准入条件审查", reason))
}

/// E2 — 「严格建设项目安全条件审查」 (L678): new entrants.
fn safety_review(r: &impl Fields) -> Option<Finding> {
    let entered = r.date("entered_date")?;
    if entered < CAMPAIGN_START {
        return None;
    }
    let rule = "e2-safety-review";
    let reason = "第678行：严格建设项目安全条件审查，严防高风险项目转移。";
    Some(match r.date("safety_review_date") {
        Some(d) => Finding::note(rule, "已审查", format!("{reason}审查日期{d}。")),
        None => Finding::warning(
            rule,
            "安全条件审查未登记",
            reason,
            "safety_review_date",
            "2020年5月以后入园的建设项目应严格安全条件审查：未登记审查日期。",
        ),
    })
}

/// E3 — 「对不符合安全生产要求的企业,及时淘汰退出园区」 (L678).
fn unsafe_exit(r: &impl Fields) -> Option<Finding> {
    if !yes(r, "unsafe") {
        return None;
    }
    let rule = "e3-unsafe-exit";
    let reason =
        "第678行：建立并完善园区内企业退出机制，对不符合安全生产要求的企业，及时淘汰退出园区。";
    Some(if exited(r) {
        Finding::note(rule, "已淘汰退出", reason)
    } else {
        Finding::warning(
            rule,
            "应淘汰退出",
            reason,
            "unsafe",
            "不符合安全生产要求的企业，应及时淘汰退出园区。",
        )
    })
}

/// E4 — 「禁止在危险化学品企业外部安全防护距离内布局劳动密集型企业、人员密集场所」 (L680).
fn layout(r: &impl Fields) -> Option<Finding> {
    if !(yes(r, "labour_intensive") && yes(r, "within_hazchem_distance")) || exited(r) {
        return None;
    }
    Some(Finding::warning(
        "e4-layout",
        "布局不符合要求",
        "第680行：禁止在危险化学品企业外部安全防护距离内布局劳动密集型企业、人员密集场所。",
        "within_hazchem_distance",
        "劳动密集型企业、人员密集场所不得布局在危险化学品企业外部安全防护距离内。",
    ))
}

/// E5 — 「对园区内外部安全防护距离不符合要求的企业,制定整改方案,实施改造、搬迁、退出等措施」
/// (L680).
fn distance(r: &impl Fields) -> Option<Finding> {
    if !hazchem(r) {
        return None;
    }
    let rule = "e5-distance";
    let reason = "第680行：对园区内外部安全防护距离不符合要求的企业，制定整改方案，实施改造、搬迁、退出等措施。";
    if is(r, "distance_ok", "unknown") {
        return Some(Finding::info(
            rule,
            "外部安全防护距离未确定",
            reason,
            "distance_ok",
            "请确定外部安全防护距离是否符合要求。",
        ));
    }
    if !distance_failing(r) {
        return None;
    }
    let missing: Vec<(&str, &str)> = [
        ("distance_plan_date", "制定整改方案"),
        ("distance_done_date", "完成改造、搬迁、退出等措施"),
    ]
    .into_iter()
    .filter(|(f, _)| r.date(f).is_none())
    .collect();
    let Some((field, _)) = missing.first() else {
        return Some(Finding::note(rule, "已整改", reason));
    };
    let items: Vec<&str> = missing.iter().map(|(_, l)| *l).collect();
    Some(Finding::warning(
        rule,
        "外部安全防护距离不符合要求",
        reason,
        field,
        format!("外部安全防护距离不符合要求：尚未{}。", items.join("、")),
    ))
}

/// E6 — 「全面实施涉及人口密集区和列入限制、退出规划区域的危险化学品生产企业搬迁工作」 (L632).
fn relocation(r: &impl Fields) -> Option<Finding> {
    if !to_relocate(r) {
        return None;
    }
    let rule = "e6-relocation";
    let reason =
        "第632行：全面实施涉及人口密集区和列入限制、退出规划区域的危险化学品生产企业搬迁工作。";
    Some(match r.date("relocation_done_date") {
        Some(d) => Finding::note(rule, "已搬迁", format!("{reason}{d}搬迁完成。")),
        None => Finding::warning(
            rule,
            "待搬迁",
            reason,
            "relocation_done_date",
            "涉及人口密集区或列入限制、退出规划区域的危险化学品生产企业应实施搬迁：尚未完成。",
        ),
    })
}

/// E7 — 「评估为 A 级(高安全风险)的,原则上不得批准新、改、扩建危险化学品建设项目(安全、环保水平
/// 技改提升类项目除外)」 (L692), 「评估为 B 级(较高安全风险)的,原则上要限制新、改、扩建危险化学品
/// 建设项目」 (L693).
fn project(r: &impl Fields) -> Option<Finding> {
    let kind = r.choice("project_kind")?;
    let grade = r.choice("park_grade_at_approval")?;
    let rule = "e7-project-in-graded-park";
    match (kind, grade) {
        ("upgrade", "A" | "B") => Some(Finding::note(
            rule,
            "技改提升类项目",
            "第692行：安全、环保水平技改提升类项目除外。",
        )),
        ("new" | "rebuild" | "expand", "A") => Some(Finding::warning(
            rule,
            "A级园区的新、改、扩建项目",
            "第692行：评估为A级(高安全风险)的，原则上不得批准新、改、扩建危险化学品建设项目(安全、环保水平技改提升类项目除外)。附件3第109行写“将不得批准”，没有“原则上”。",
            "project_kind",
            "所在化工园区为A级(高安全风险)：原则上不得批准新、改、扩建危险化学品建设项目。",
        )),
        ("new" | "rebuild" | "expand", "B") => Some(Finding::info(
            rule,
            "B级园区的新、改、扩建项目",
            "第693行：评估为B级(较高安全风险)的，原则上要限制新、改、扩建危险化学品建设项目。",
            "project_kind",
            "所在化工园区为B级(较高安全风险)：原则上要限制新、改、扩建危险化学品建设项目。",
        )),
        _ => None,
    }
}

/// E8 — 组织动员阶段(2020年5月): 「制定园区内各企业领域安全生产综合治理三年行动…工作方案」
/// (L648), from 2020-06-01 for an enterprise in the park.
fn work_plan(r: &impl Fields, today: Option<Date>) -> Option<Finding> {
    let rule = "e8-work-plan";
    let reason = "第648行：组织动员阶段(2020年5月)，制定园区内各企业领域安全生产综合治理三年行动(含遏制重特大事故)工作方案。";
    if let Some(d) = r.date("work_plan_date") {
        return Some(Finding::note(
            rule,
            "已制定工作方案",
            format!("{reason}{d}制定。"),
        ));
    }
    if !after(today, END_MAY_2020) || exited(r) {
        return None;
    }
    Some(Finding::warning(
        rule,
        "工作方案未登记",
        reason,
        "work_plan_date",
        "应于组织动员阶段(2020年5月)制定安全生产综合治理三年行动工作方案：未登记制定日期。",
    ))
}

/// E9 — 「依法建立专职消防队」 (L674).
fn fire_brigade(r: &impl Fields) -> Option<Finding> {
    if !yes(r, "fire_brigade_required") || exited(r) {
        return None;
    }
    let rule = "e9-fire-brigade";
    let reason = "第674行：依法建立专职消防队，根据需要建立安全事故工艺处置队，两支队伍加强技能训练和综合演练。";
    Some(if yes(r, "fire_brigade_built") {
        Finding::note(rule, "已建立专职消防队", reason)
    } else {
        Finding::warning(
            rule,
            "应建立专职消防队",
            reason,
            "fire_brigade_built",
            "依法应建立专职消防队：尚未建立。",
        )
    })
}

/// The special fields of L688, L695 and L698, as the form labels them.
const SPECIAL_AREAS: [(&str, &str); 7] = [
    ("dust", "涉爆粉尘"),
    ("ammonia", "液氨制冷"),
    ("hazchem", "危险化学品"),
    ("molten_metal", "高温熔融金属"),
    ("metallurgical_gas", "冶金煤气"),
    ("deep_well_casting", "深井铸造"),
    ("hazardous_storage", "危险化学品、涉氨制冷剂等仓储物流"),
];

/// E10 — the enterprise is an object of the special rectification (L688 涉爆粉尘、液氨制冷、危险化学品
/// 等专项治理), of the enforcement checks of L695 (高温熔融金属、冶金煤气、深井铸造) or of L698
/// (仓储物流); or a 重大危险源 (L631) or a 重大/较大 risk (L686). A classification, no issue.
fn key_supervision(r: &impl Fields) -> Option<Finding> {
    let mut what: Vec<&str> = SPECIAL_AREAS
        .iter()
        .filter(|(k, _)| has(r, "special_areas", k))
        .map(|(_, l)| *l)
        .collect();
    if yes(r, "major_hazard_source") {
        what.push("重大危险源");
    }
    match r.choice("risk_level") {
        Some("major") => what.push("重大风险"),
        Some("high") => what.push("较大风险"),
        _ => {}
    }
    (!what.is_empty()).then(|| {
        Finding::note(
            "e10-key-supervision",
            "重点监管企业",
            format!(
                "第688行：开展涉爆粉尘、液氨制冷、危险化学品等专项治理；第695行：重点强化涉及高温熔融金属、冶金煤气、深井铸造等重点领域执法检查；第698行：强化危险化学品、涉氨制冷剂等仓储物流管控；第631行：重大危险源监控。本企业：{}。",
                what.join("、")
            ),
        )
    })
}

/// The rules that apply to a record on `today`.
pub(crate) fn findings(r: &impl Fields, today: Option<Date>) -> Vec<Finding> {
    [
        admission(r),
        safety_review(r),
        unsafe_exit(r),
        layout(r),
        distance(r),
        relocation(r),
        project(r),
        work_plan(r, today),
        fire_brigade(r),
        key_supervision(r),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Dates that cannot be.
pub(crate) fn date_errors(r: &impl Fields) -> Vec<Issue> {
    let mut out = Vec::new();
    order(
        r,
        ("entered_date", "入园日期"),
        ("exit_date", "退出园区日期"),
        &mut out,
    );
    order(
        r,
        ("distance_plan_date", "整改方案制定日期"),
        ("distance_done_date", "措施完成日期"),
        &mut out,
    );
    out
}

// ---- Targets ----

/// The four shares of the form over one batch (rules.md B-1 … B-4). Counts add up, so the
/// tally of a register is the merge of its batches' tallies.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(crate = "anwei_plugin_sdk::serde")]
pub(crate) struct Tally {
    work_plans: Ratio,
    relocation: Ratio,
    distance_plans: Ratio,
    distance_done: Ratio,
}

impl Summary for Tally {
    fn merge(&mut self, o: Tally) {
        self.work_plans.merge(o.work_plans);
        self.relocation.merge(o.relocation);
        self.distance_plans.merge(o.distance_plans);
        self.distance_done.merge(o.distance_done);
    }
}

impl Tally {
    /// One pass over the rows.
    pub fn of(batch: &RecordBatch, as_of: Date) -> Tally {
        Tally::of_rows(batch.rows(), as_of)
    }

    pub fn of_rows<R: Fields>(rows: impl IntoIterator<Item = R>, as_of: Date) -> Tally {
        let d_plan = target_day(as_of, END_MAY_2020);
        let d = target_day(as_of, END_2022);
        let mut t = Tally::default();
        for r in rows {
            // B-1 (L648): enterprises in the park on D, with a plan by D.
            if in_park(&r, d_plan) {
                t.work_plans.add(by(&r, "work_plan_date", d_plan));
            }
            let entered = by(&r, "entered_date", d);
            // B-2 (L632): producers in the zones, entered by D; relocated by D.
            if entered && to_relocate(&r) {
                t.relocation.add(by(&r, "relocation_done_date", d));
            }
            // B-3, B-4 (L680): failing distance, entered by D; plan / measures by D.
            if entered && distance_failing(&r) {
                t.distance_plans.add(by(&r, "distance_plan_date", d));
                t.distance_done.add(by(&r, "distance_done_date", d));
            }
        }
        t
    }

    pub fn values(&self) -> Vec<TargetValue> {
        [
            value(WORK_PLANS, self.work_plans.value()),
            value(RELOCATION, self.relocation.value()),
            value(DISTANCE_PLANS, self.distance_plans.value()),
            value(DISTANCE_DONE, self.distance_done.value()),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::FormRecord;

    use super::super::common::test_support::{assert_values, day, full_batch, pct, record, table};
    use super::*;

    const NAMES: [&str; 13] = [
        "enterprise",
        "entered_date",
        "status",
        "exit_date",
        "work_plan_date",
        "hazchem",
        "hazchem_activity",
        "relocation_zone",
        "relocation_done_date",
        "distance_ok",
        "distance_plan_date",
        "distance_done_date",
        "remarks",
    ];

    /// FX-PE of rules.md.
    pub fn fixture() -> Vec<FormRecord> {
        table(
            &NAMES,
            &[
                // A: in the park since 2018, plan in May 2020; producer in a populated area,
                // relocated 2022-06-30 (and left the park that day).
                &[
                    "甲化工",
                    "2018-03-01",
                    "exited",
                    "2022-06-30",
                    "2020-05-20",
                    "yes",
                    "[production storage]",
                    "populated",
                    "2022-06-30",
                    "non_compliant",
                    "2021-03-01",
                    "2022-06-30",
                    "搬迁",
                ],
                // B: plan after the phase; distance failing, plan only.
                &[
                    "乙化工",
                    "2019-07-01",
                    "operating",
                    "-",
                    "2020-06-02",
                    "yes",
                    "[use]",
                    "-",
                    "-",
                    "non_compliant",
                    "2022-12-31",
                    "-",
                    "-",
                ],
                // C: entered after May 2020 (not in the 2020-05-31 population); producer in a
                // restricted area, not relocated; distance fine.
                &[
                    "丙化工",
                    "2020-09-01",
                    "operating",
                    "-",
                    "-",
                    "yes",
                    "[production]",
                    "restricted",
                    "-",
                    "compliant",
                    "-",
                    "-",
                    "-",
                ],
                // D: no hazchem; exited 2020-05-31 (out of the 2020-05-31 population).
                &[
                    "丁机械",
                    "2016-01-01",
                    "exited",
                    "2020-05-31",
                    "-",
                    "no",
                    "-",
                    "-",
                    "-",
                    "-",
                    "-",
                    "-",
                    "-",
                ],
                // E: in the park, plan on 2020-05-31; distance failing, plan and done in 2023.
                &[
                    "戊仓储",
                    "2017-05-01",
                    "operating",
                    "-",
                    "2020-05-31",
                    "yes",
                    "[storage]",
                    "-",
                    "-",
                    "non_compliant",
                    "2023-01-05",
                    "2023-02-01",
                    "-",
                ],
            ],
        )
    }

    #[test]
    fn fixture_gives_the_values_of_rules_md() {
        let records = fixture();
        let batch = full_batch(&records);
        let at = |as_of: &str| Tally::of(&batch, day(as_of)).values();
        // 2022-12-31: plans 2/3 (A, E of A, B, E on 2020-05-31); relocation 1/2 (A; C not);
        // distance plans 2/3 (A, B; E in 2023); done 1/3 (A).
        assert_values(
            &at("2022-12-31"),
            &[
                (WORK_PLANS, Some(pct(2, 3))),
                (RELOCATION, Some(50.0)),
                (DISTANCE_PLANS, Some(pct(2, 3))),
                (DISTANCE_DONE, Some(pct(1, 3))),
            ],
            "2022-12-31",
        );
        // 2023-03-01: the checkpoint is judged on 2022-12-31.
        assert_values(
            &at("2023-03-01"),
            &[
                (WORK_PLANS, Some(pct(2, 3))),
                (RELOCATION, Some(50.0)),
                (DISTANCE_PLANS, Some(pct(2, 3))),
                (DISTANCE_DONE, Some(pct(1, 3))),
            ],
            "2023-03-01",
        );
        // 2020-05-30: D is in the park (exit on 05-31); plans: A only of A, B, D, E.
        // Relocation: A only (C not yet entered); distance: A, B, E, none done.
        assert_values(
            &at("2020-05-30"),
            &[
                (WORK_PLANS, Some(25.0)),
                (RELOCATION, Some(0.0)),
                (DISTANCE_PLANS, Some(0.0)),
                (DISTANCE_DONE, Some(0.0)),
            ],
            "2020-05-30",
        );
        // 2022-06-29 / 2022-06-30: A's relocation counts from its day.
        let rel = |as_of: &str| {
            at(as_of)
                .into_iter()
                .find(|v| v.target_id == RELOCATION)
                .map(|v| v.value)
        };
        assert_eq!(rel("2022-06-29"), Some(0.0));
        assert_eq!(rel("2022-06-30"), Some(50.0));
        // Nothing in the zones: no value (无数据), not 0 or 100.
        let none = Tally::of(&full_batch(&records[3..4]), day("2022-12-31")).values();
        assert_values(&none, &[(WORK_PLANS, None)], "D only");
    }

    fn ids(r: &FormRecord, today: &str) -> Vec<&'static str> {
        findings(r, Some(day(today)))
            .iter()
            .filter(|f| !f.issues.is_empty())
            .map(|f| f.rule)
            .collect()
    }

    fn values(r: &FormRecord, today: &str) -> Vec<(&'static str, String)> {
        findings(r, Some(day(today)))
            .into_iter()
            .map(|f| (f.rule, f.value))
            .collect()
    }

    #[test]
    fn admission_binds_entrants_from_1_may_2020() {
        let rec = |entered: &str| {
            record(
                "x",
                &[
                    ("entered_date", entered),
                    ("low_automation", "yes"),
                    ("obsolete_capacity", "yes"),
                    ("admission_checked", "yes"),
                ],
            )
        };
        let new = findings(&rec("2020-05-01"), Some(day("2021-01-01")));
        let e1 = new.iter().find(|f| f.rule == "e1-admission").unwrap();
        assert_eq!(e1.value, "不符合准入条件");
        assert_eq!(e1.issues[0].field, "low_automation");
        assert_eq!(
            e1.issues[0].message,
            "自动化程度低、工艺装备落后等本质安全水平低、承接其他地区关闭退出的落后产能：按第678行不得进驻入园。"
        );
        assert_eq!(e1.issues[0].severity, anwei_plugin_sdk::Severity::Warning);
        let old = findings(&rec("2020-04-30"), Some(day("2021-01-01")));
        let e1 = old.iter().find(|f| f.rule == "e1-admission").unwrap();
        assert_eq!(e1.value, "入园早于本方案");
        assert_eq!(e1.issues[0].severity, anwei_plugin_sdk::Severity::Info);
        // E2 only for the new entrant.
        assert!(new.iter().any(|f| f.rule == "e2-safety-review"));
        assert!(!old.iter().any(|f| f.rule == "e2-safety-review"));
        // Clean and checked.
        let ok = record(
            "y",
            &[
                ("entered_date", "2021-01-01"),
                ("admission_checked", "yes"),
                ("safety_review_date", "2020-12-01"),
                ("work_plan_date", "2021-01-01"),
            ],
        );
        assert!(ids(&ok, "2021-01-02").is_empty());
        assert!(values(&ok, "2021-01-02").contains(&("e1-admission", "已按准入条件审查".into())));
        let unchecked = record("z", &[("entered_date", "2021-01-01")]);
        assert!(ids(&unchecked, "2021-01-02").contains(&"e1-admission"));
    }

    #[test]
    fn the_work_plan_is_due_at_the_end_of_may_2020() {
        let r = record("x", &[("entered_date", "2019-01-01")]);
        assert!(!ids(&r, "2020-05-31").contains(&"e8-work-plan"));
        assert!(ids(&r, "2020-06-01").contains(&"e8-work-plan"));
        let gone = record(
            "x",
            &[
                ("entered_date", "2019-01-01"),
                ("status", "exited"),
                ("exit_date", "2020-03-01"),
            ],
        );
        assert!(!ids(&gone, "2020-06-01").contains(&"e8-work-plan"));
    }

    #[test]
    fn projects_in_a_and_b_grade_parks() {
        let p = |kind: &str, grade: &str| {
            record(
                "p",
                &[("project_kind", kind), ("park_grade_at_approval", grade)],
            )
        };
        let a = findings(&p("expand", "A"), None);
        let e7 = a
            .iter()
            .find(|f| f.rule == "e7-project-in-graded-park")
            .unwrap();
        assert_eq!(e7.issues[0].severity, anwei_plugin_sdk::Severity::Warning);
        let b = findings(&p("new", "B"), None);
        let e7 = b
            .iter()
            .find(|f| f.rule == "e7-project-in-graded-park")
            .unwrap();
        assert_eq!(e7.issues[0].severity, anwei_plugin_sdk::Severity::Info);
        let up = findings(&p("upgrade", "A"), None);
        let e7 = up
            .iter()
            .find(|f| f.rule == "e7-project-in-graded-park")
            .unwrap();
        assert!(e7.issues.is_empty());
        assert_eq!(e7.value, "技改提升类项目");
        assert!(findings(&p("new", "C"), None).is_empty());
    }

    #[test]
    fn layout_distance_relocation_exit_and_fire_brigade() {
        let r = record(
            "x",
            &[
                ("labour_intensive", "yes"),
                ("within_hazchem_distance", "yes"),
                ("hazchem", "yes"),
                ("hazchem_activity", "[production]"),
                ("relocation_zone", "populated"),
                ("distance_ok", "non_compliant"),
                ("distance_plan_date", "2021-01-01"),
                ("unsafe", "yes"),
                ("fire_brigade_required", "yes"),
            ],
        );
        let got = ids(&r, "2020-01-01");
        for id in [
            "e3-unsafe-exit",
            "e4-layout",
            "e5-distance",
            "e6-relocation",
            "e9-fire-brigade",
        ] {
            assert!(got.contains(&id), "{id} in {got:?}");
        }
        let f = findings(&r, None);
        let e5 = f.iter().find(|f| f.rule == "e5-distance").unwrap();
        assert_eq!(e5.issues[0].field, "distance_done_date");
        assert_eq!(
            e5.issues[0].message,
            "外部安全防护距离不符合要求：尚未完成改造、搬迁、退出等措施。"
        );
        // Not a hazchem enterprise: no distance or relocation rule, whatever the fields say.
        let plain = record(
            "y",
            &[
                ("hazchem", "no"),
                ("hazchem_activity", "[production]"),
                ("relocation_zone", "populated"),
                ("distance_ok", "non_compliant"),
            ],
        );
        assert!(ids(&plain, "2020-01-01").is_empty());
        // Exited: no exit or layout rule.
        let gone = record(
            "z",
            &[
                ("unsafe", "yes"),
                ("labour_intensive", "yes"),
                ("within_hazchem_distance", "yes"),
                ("status", "exited"),
                ("exit_date", "2021-01-01"),
            ],
        );
        assert!(ids(&gone, "2022-01-01").is_empty());
        assert!(values(&gone, "2022-01-01").contains(&("e3-unsafe-exit", "已淘汰退出".into())));
    }

    #[test]
    fn key_supervision_is_a_classification_only() {
        let r = record(
            "x",
            &[
                ("special_areas", "[dust molten_metal]"),
                ("risk_level", "high"),
            ],
        );
        let f = findings(&r, None);
        let k = f.iter().find(|f| f.rule == "e10-key-supervision").unwrap();
        assert!(k.issues.is_empty());
        assert!(
            k.reason
                .ends_with("本企业：涉爆粉尘、高温熔融金属、较大风险。")
        );
        assert!(findings(&record("y", &[("risk_level", "general")]), None).is_empty());
    }

    #[test]
    fn impossible_dates_are_errors() {
        let r = record(
            "x",
            &[("entered_date", "2021-01-02"), ("exit_date", "2021-01-01")],
        );
        let e = date_errors(&r);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].field, "exit_date");
        assert_eq!(e[0].severity, anwei_plugin_sdk::Severity::Error);
        assert_eq!(
            e[0].message,
            "退出园区日期（2021-01-01）不能早于入园日期（2021-01-02）"
        );
        let same = record(
            "x",
            &[("entered_date", "2021-01-01"), ("exit_date", "2021-01-01")],
        );
        assert!(date_errors(&same).is_empty());
    }
}
