//! The rules of 附件12 as the seed states them (`content/rules.md`; seed 001, lines 716–740).
//!
//! Each rule (R1–R7 of rules.md) is one function reading a record through [`Fields`] and
//! returning a [`Finding`]: its classification and the issues it raises. `validate` keeps the
//! issues, `classify` the classifications, so both say the same thing. The targets are
//! computed in [`compute_rows`] with the same reads ([`is_key`], [`in_remediation_scope`]),
//! over the batch rows the desk sends (only the targets' `inputs`) or, in tests, over whole
//! records.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Classification, Fields, FormRecord, Issue, RecordBatch, TargetValue};

/// 粉尘涉爆企业台账.
pub const DUST_ENTERPRISE: &str = "dust-enterprise";
/// 垃圾处理场、建筑垃圾消纳场和渣土场台账.
pub const WASTE_SITE: &str = "waste-site";

/// The forms of the plugin, in the order of `content/forms.json`.
pub const FORMS: [&str; 2] = [DUST_ENTERPRISE, WASTE_SITE];

/// 「粉尘作业场所10人及以上企业为重点」 (L721): 10人及以上 = at least 10.
pub const KEY_ENTERPRISE_WORKERS: f64 = 10.0;

/// The campaign's first day, from which a 专项执法 counts (rules.md Conventions: 附件12 gives
/// no start date; the campaign's first calendar year is 2020).
pub const CAMPAIGN_START: Date = Date {
    year: 2020,
    month: 1,
    day: 1,
};

/// The dust types L721 names: 金属粉尘、煤粉、木粉尘和面粉、淀粉、饲料等农副产品粉尘
/// (`other`, 其他可燃性粉尘, is not among them).
pub const REMEDIATION_DUST_TYPES: [&str; 7] = [
    "metal",
    "coal",
    "wood",
    "flour",
    "starch",
    "feed",
    "agri_other",
];

// ------------------------------------------------------------------ findings

/// One rule's result for one record.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Rule id (`key-enterprise`, …).
    pub rule: &'static str,
    /// Short result (重点企业, 应予取缔, …).
    pub value: String,
    /// Why, citing the seed.
    pub reason: String,
    /// What the rule asks of the record (违规 → error, 待办 → warning, 提示 → info).
    pub issues: Vec<Issue>,
}

fn finding(rule: &'static str, value: &str, reason: String, issues: Vec<Issue>) -> Finding {
    Finding {
        rule,
        value: value.to_owned(),
        reason,
        issues,
    }
}

fn is_yes<R: Fields + ?Sized>(r: &R, name: &str) -> bool {
    r.flag(name) == Some(true)
}

fn is_no<R: Fields + ?Sized>(r: &R, name: &str) -> bool {
    r.flag(name) == Some(false)
}

// ------------------------------------------------------------------ dust-enterprise

/// Whether the enterprise is a 重点 enterprise: 10 or more people in the dust workplace
/// (R1, L721; the form's `is_key` computes the same).
pub fn is_key<R: Fields + ?Sized>(r: &R) -> bool {
    r.number("dust_workers")
        .is_some_and(|n| n >= KEY_ENTERPRISE_WORKERS)
}

/// R1 — 「重点以粉尘作业场所10人及以上企业为重点」 (L721).
pub fn key_enterprise<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let workers = r.number("dust_workers")?;
    let rule = "key-enterprise";
    let reason = format!(
        "第721行“重点以粉尘作业场所10人及以上企业为重点”：粉尘作业场所作业人数{workers}人。"
    );
    Some(if is_key(r) {
        finding(
            rule,
            "重点企业",
            reason,
            vec![Issue::info(
                "dust_workers",
                "粉尘作业场所10人及以上，列为重点企业：重点检查除尘系统防爆、防范点燃源措施、粉尘清理处置等重点环节。",
            )],
        )
    } else {
        finding(rule, "一般企业", reason, Vec::new())
    })
}

/// R2 — 「除尘系统防爆、防范点燃源措施、粉尘清理处置等重点环节」 (L721): 待办 for every
/// enterprise, 违规 for a 重点 enterprise.
pub fn key_links<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    const LINKS: [(&str, &str); 3] = [
        ("explosion_proof_ok", "除尘系统防爆"),
        ("ignition_control_ok", "防范点燃源措施"),
        ("dust_cleaning_ok", "粉尘清理处置"),
    ];
    let rule = "key-links";
    let reason = "第721行：聚集除尘系统防爆、防范点燃源措施、粉尘清理处置等重点环节。".to_owned();
    let failing: Vec<(&str, &str)> = LINKS.into_iter().filter(|(f, _)| is_no(r, f)).collect();
    if let Some((field, _)) = failing.first() {
        let items: Vec<&str> = failing.iter().map(|(_, l)| *l).collect();
        // A violation the record states is a warning (the record stays true and counts); for
        // a 重点企业 the message says so.
        let prefix = if is_key(r) { "重点企业的" } else { "" };
        let message = format!("{prefix}重点环节不符合要求：{}。", items.join("、"));
        let issue = Issue::warning(field, message);
        return Some(finding(rule, "重点环节不符合要求", reason, vec![issue]));
    }
    LINKS
        .iter()
        .all(|(f, _)| is_yes(r, f))
        .then(|| finding(rule, "重点环节符合要求", reason, Vec::new()))
}

/// Whether the enterprise's dust is one L721 has remediated (R3).
pub fn in_remediation_scope<R: Fields + ?Sized>(r: &R) -> bool {
    r.choices("dust_type")
        .iter()
        .any(|t| REMEDIATION_DUST_TYPES.contains(t))
}

/// R3 — 「对所有金属粉尘、煤粉、木粉尘和面粉、淀粉、饲料等农副产品粉尘企业全部进行整治」
/// (L721).
pub fn dust_remediation<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    if !in_remediation_scope(r) {
        return None;
    }
    let rule = "dust-remediation";
    let reason =
        "第721行：对所有金属粉尘、煤粉、木粉尘和面粉、淀粉、饲料等农副产品粉尘企业全部进行整治。"
            .to_owned();
    Some(match r.date("remediation_done_date") {
        Some(d) => finding(
            rule,
            "已整治",
            format!("{reason}整治于{d}完成。"),
            Vec::new(),
        ),
        None => finding(
            rule,
            "待整治",
            reason,
            vec![Issue::warning(
                "remediation_done_date",
                "所有金属粉尘、煤粉、木粉尘和面粉、淀粉、饲料等农副产品粉尘企业须全部进行整治：尚未整治完成。",
            )],
        ),
    })
}

/// R4 — 「对新建、改建、扩建建设和技术改造、技术引进的粉尘涉爆企业严格安全评估和审核验收」
/// (L723).
pub fn project_assessment<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    match r.choice("project_type") {
        None | Some("none") | Some("") => return None,
        Some(_) => {}
    }
    let rule = "project-assessment";
    let reason =
        "第723行：对新建、改建、扩建建设和技术改造、技术引进的粉尘涉爆企业严格安全评估和审核验收。"
            .to_owned();
    let missing: Vec<(&str, &str)> = [
        ("project_assessed_date", "安全评估"),
        ("project_accepted_date", "审核验收"),
    ]
    .into_iter()
    .filter(|(f, _)| r.date(f).is_none())
    .collect();
    let Some((field, _)) = missing.first() else {
        return Some(finding(rule, "已评估验收", reason, Vec::new()));
    };
    let items: Vec<&str> = missing.iter().map(|(_, l)| *l).collect();
    let message = format!(
        "新建、改建、扩建建设和技术改造、技术引进的粉尘涉爆企业须严格安全评估和审核验收：{}。",
        items.join("、")
    );
    Some(finding(
        rule,
        "待评估验收",
        reason,
        vec![Issue::warning(field, message)],
    ))
}

// ------------------------------------------------------------------ waste-site

/// The form's label of a site type.
fn site_type_label(t: &str) -> &str {
    match t {
        "domestic_landfill" => "城市生活垃圾处理场",
        "construction_waste" => "建筑垃圾消纳场",
        "slag" => "渣土场",
        other => other,
    }
}

/// A legal site of one of `types` (R6, R7 concern the lawful sites).
fn legal_site_of<R: Fields + ?Sized>(r: &R, types: &[&str]) -> Option<String> {
    let t = r.choice("site_type")?;
    (types.contains(&t) && is_no(r, "is_illegal")).then(|| t.to_owned())
}

/// R5 — 「取缔非法渣土场」 (L732).
pub fn illegal_site<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    if !is_yes(r, "is_illegal") {
        return None;
    }
    let t = r.choice("site_type")?;
    let rule = "illegal-slag-site";
    let reason = "第732行：取缔非法渣土场。".to_owned();
    if t != "slag" {
        let message = format!("非法设置的{}，请依法处理。", site_type_label(t));
        return Some(finding(
            rule,
            "非法设置",
            format!("{reason}原文只点名渣土场。"),
            vec![Issue::info("is_illegal", message)],
        ));
    }
    Some(match r.date("banned_date") {
        Some(d) => finding(rule, "已取缔", format!("{reason}已于{d}取缔。"), Vec::new()),
        None => finding(
            rule,
            "应予取缔",
            reason,
            vec![Issue::warning("banned_date", "非法渣土场，应予取缔。")],
        ),
    })
}

/// R6 — 「建立城市建筑垃圾消纳场常态化监测机制」 (L732).
pub fn construction_waste_monitoring<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    legal_site_of(r, &["construction_waste"])?;
    let rule = "construction-waste-monitoring";
    let reason = "第732行：建立城市建筑垃圾消纳场常态化监测机制。".to_owned();
    Some(if is_yes(r, "monitoring_in_place") {
        finding(rule, "已建立常态化监测", reason, Vec::new())
    } else {
        finding(
            rule,
            "常态化监测待建立",
            reason,
            vec![Issue::warning(
                "monitoring_in_place",
                "建筑垃圾消纳场须建立常态化监测机制。",
            )],
        )
    })
}

/// R7 — 「对垃圾堆体稳定性、可能存在的风险和应急预案可靠性进行评估」 (L732).
pub fn pile_assessment<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    legal_site_of(r, &["domestic_landfill", "construction_waste"])?;
    let rule = "pile-assessment";
    let reason = "第732行：对垃圾堆体稳定性、可能存在的风险和应急预案可靠性进行评估。".to_owned();
    let missing: Vec<(&str, &str)> = [
        ("stability_assessed_date", "垃圾堆体稳定性"),
        ("risk_assessed_date", "可能存在的风险"),
        ("plan_assessed_date", "应急预案可靠性"),
    ]
    .into_iter()
    .filter(|(f, _)| r.date(f).is_none())
    .collect();
    let Some((field, _)) = missing.first() else {
        return Some(finding(rule, "已评估", reason, Vec::new()));
    };
    let items: Vec<&str> = missing.iter().map(|(_, l)| *l).collect();
    let message = format!(
        "须对垃圾堆体稳定性、可能存在的风险和应急预案可靠性进行评估：{}。",
        items.join("、")
    );
    Some(finding(
        rule,
        "待评估",
        reason,
        vec![Issue::warning(field, message)],
    ))
}

// ------------------------------------------------------------------ validate / classify

/// Every rule's finding for one record of `form` (`None`: not a form of this plugin).
pub fn findings(form: &str, r: &FormRecord) -> Option<Vec<Finding>> {
    let all = match form {
        DUST_ENTERPRISE => vec![
            key_enterprise(r),
            key_links(r),
            dust_remediation(r),
            project_assessment(r),
        ],
        WASTE_SITE => vec![
            illegal_site(r),
            construction_waste_monitoring(r),
            pile_assessment(r),
        ],
        _ => return None,
    };
    Some(all.into_iter().flatten().collect())
}

/// Field-level issues of one record of `form` (no rule of 附件12 depends on the day).
pub fn validate(form: &str, record: &FormRecord, _today: Option<Date>) -> Vec<Issue> {
    match findings(form, record) {
        Some(f) => f.into_iter().flat_map(|f| f.issues).collect(),
        None => vec![Issue::error("", format!("未知表单“{form}”"))],
    }
}

/// The rules' results for one record of `form`.
pub fn classify(form: &str, record: &FormRecord, _today: Option<Date>) -> Vec<Classification> {
    findings(form, record)
        .unwrap_or_default()
        .into_iter()
        .map(|f| Classification {
            record_id: String::new(),
            rule: f.rule.to_owned(),
            value: f.value,
            reason: f.reason,
        })
        .collect()
}

// ------------------------------------------------------------------ targets

/// `part` of `whole` in percent; nothing when the population is empty (the desk shows 无数据).
fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

fn push_share(out: &mut Vec<TargetValue>, id: &str, part: u64, whole: u64) {
    if let Some(v) = share(part, whole) {
        out.push(TargetValue::district(id, v));
    }
}

/// Target values of `form` from its records on `as_of` (the batch the desk sends).
pub fn compute(form: &str, records: &RecordBatch, as_of: Option<Date>) -> Vec<TargetValue> {
    match as_of {
        Some(d) => compute_rows(form, records.rows(), d),
        None => Vec::new(),
    }
}

/// Target values of `form` from `records` on D = `as_of` (rules.md "Target computations").
pub fn compute_rows<R: Fields>(
    form: &str,
    records: impl IntoIterator<Item = R>,
    d: Date,
) -> Vec<TargetValue> {
    let mut out = Vec::new();
    match form {
        DUST_ENTERPRISE => {
            let (mut scope, mut remediated) = (0, 0);
            let (mut key, mut enforced) = (0, 0);
            for r in records {
                // dust-remediation-all: the listed dust types, remediated by D.
                if in_remediation_scope(&r) {
                    scope += 1;
                    remediated +=
                        u64::from(r.date("remediation_done_date").is_some_and(|x| x <= d));
                }
                // key-enterprise-enforcement: 重点 enterprises checked in [2020-01-01, D].
                if is_key(&r) {
                    key += 1;
                    enforced += u64::from(
                        r.date("enforcement_date")
                            .is_some_and(|x| x >= CAMPAIGN_START && x <= d),
                    );
                }
            }
            push_share(&mut out, "dust-remediation-all", remediated, scope);
            push_share(&mut out, "key-enterprise-enforcement", enforced, key);
        }
        WASTE_SITE => {
            // illegal-slag-sites: illegal slag sites found by D and not banned by D.
            let open = records
                .into_iter()
                .filter(|r| {
                    r.choice("site_type") == Some("slag")
                        && is_yes(r, "is_illegal")
                        && r.date("found_date").is_some_and(|x| x <= d)
                        && r.date("banned_date").is_none_or(|x| x > d)
                })
                .count();
            out.push(TargetValue::district("illegal-slag-sites", open as f64));
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use anwei_plugin_sdk::Severity;
    use anwei_plugin_sdk::content::PlanContent;
    use anwei_plugin_sdk::record::RecordBuilder;

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// The plan's targets of `form` and the fields they read (in the order the desk uses).
    fn plan_inputs(form: &str) -> (Vec<String>, Vec<String>) {
        let plan = PlanContent::from_json(crate::PLAN_JSON).unwrap();
        let ids = plan
            .targets
            .iter()
            .filter(|t| t.form.as_deref() == Some(form))
            .map(|t| t.id.clone())
            .collect();
        (ids, plan.inputs_of(form))
    }

    /// Compute as the desk does: a batch holding only the form's inputs.
    fn desk_compute(form: &str, records: &[FormRecord], as_of: &str) -> Vec<(String, f64)> {
        let (_, inputs) = plan_inputs(form);
        let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        let batch = RecordBatch::from_records(records, &inputs);
        compute(form, &batch, Date::parse(as_of))
            .into_iter()
            .map(|v| {
                assert_eq!(v.town, None);
                (v.target_id, v.value)
            })
            .collect()
    }

    fn value(values: &[(String, f64)], id: &str) -> Option<f64> {
        values.iter().find(|(t, _)| t == id).map(|(_, v)| *v)
    }

    fn assert_close(got: Option<f64>, want: f64, what: &str) {
        let got = got.unwrap_or_else(|| panic!("{what}: no value"));
        assert!((got - want).abs() < 1e-9, "{what}: {got} ≠ {want}");
    }

    /// Every target of `form` in the plan gets a value from `records`, and no other.
    fn assert_every_target(form: &str, records: &[FormRecord], as_of: &str) {
        let (mut want, _) = plan_inputs(form);
        assert!(!want.is_empty(), "{form}");
        let mut got: Vec<String> = desk_compute(form, records, as_of)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{form}");
    }

    fn issues(form: &str, r: &FormRecord) -> Vec<Issue> {
        validate(form, r, Date::parse("2022-06-30"))
    }

    fn class(form: &str, r: &FormRecord, rule: &str) -> Option<String> {
        classify(form, r, Date::parse("2022-06-30"))
            .into_iter()
            .find(|c| c.rule == rule)
            .map(|c| c.value)
    }

    /// A dust enterprise of `workers` people in the dust workplace and `dust` types; a test
    /// adds the fields of its case (each once: a field given twice reads as its first value).
    fn enterprise(workers: i64, dust: &[&str]) -> RecordBuilder {
        RecordBuilder::new("e")
            .text("enterprise", "甲公司")
            .text("town", "越州镇")
            .integer("dust_workers", workers)
            .choices("dust_type", dust)
    }

    fn links(b: RecordBuilder, proof: bool, ignition: bool, cleaning: bool) -> RecordBuilder {
        b.flag("explosion_proof_ok", proof)
            .flag("ignition_control_ok", ignition)
            .flag("dust_cleaning_ok", cleaning)
    }

    // -------------------------------------------------------------- R1–R4

    #[test]
    fn ten_people_make_a_key_enterprise_and_nine_do_not() {
        let ten = enterprise(10, &["other"]).build();
        assert!(is_key(&ten));
        assert_eq!(
            class(DUST_ENTERPRISE, &ten, "key-enterprise").as_deref(),
            Some("重点企业")
        );
        let i = issues(DUST_ENTERPRISE, &ten);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Info);
        assert_eq!(i[0].field, "dust_workers");
        assert_eq!(
            i[0].message,
            "粉尘作业场所10人及以上，列为重点企业：重点检查除尘系统防爆、防范点燃源措施、粉尘清理处置等重点环节。"
        );
        let nine = enterprise(9, &["other"]).build();
        assert!(!is_key(&nine));
        assert_eq!(
            class(DUST_ENTERPRISE, &nine, "key-enterprise").as_deref(),
            Some("一般企业")
        );
        assert!(issues(DUST_ENTERPRISE, &nine).is_empty());
        // Without a head count the rule says nothing.
        let unknown = RecordBuilder::new("e")
            .choices("dust_type", &["other"])
            .build();
        assert_eq!(class(DUST_ENTERPRISE, &unknown, "key-enterprise"), None);
    }

    #[test]
    fn key_links_out_of_order_are_a_violation_for_key_enterprises() {
        let small = links(enterprise(9, &["other"]), false, true, false).build();
        let i = issues(DUST_ENTERPRISE, &small);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(i[0].field, "explosion_proof_ok");
        assert_eq!(
            i[0].message,
            "重点环节不符合要求：除尘系统防爆、粉尘清理处置。"
        );
        let key = links(enterprise(10, &["other"]), true, false, true).build();
        let i: Vec<Issue> = issues(DUST_ENTERPRISE, &key)
            .into_iter()
            .filter(|i| i.severity != Severity::Info)
            .collect();
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(i[0].field, "ignition_control_ok");
        assert_eq!(
            i[0].message,
            "重点企业的重点环节不符合要求：防范点燃源措施。"
        );
        let fine = links(enterprise(9, &["other"]), true, true, true).build();
        assert!(issues(DUST_ENTERPRISE, &fine).is_empty());
        assert_eq!(
            class(DUST_ENTERPRISE, &fine, "key-links").as_deref(),
            Some("重点环节符合要求")
        );
    }

    #[test]
    fn listed_dust_types_are_remediated() {
        let wood = enterprise(3, &["wood", "other"]).build();
        let i = issues(DUST_ENTERPRISE, &wood);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(i[0].field, "remediation_done_date");
        assert_eq!(
            i[0].message,
            "所有金属粉尘、煤粉、木粉尘和面粉、淀粉、饲料等农副产品粉尘企业须全部进行整治：尚未整治完成。"
        );
        assert_eq!(
            class(DUST_ENTERPRISE, &wood, "dust-remediation").as_deref(),
            Some("待整治")
        );
        for t in REMEDIATION_DUST_TYPES {
            assert!(in_remediation_scope(&enterprise(1, &[t]).build()), "{t}");
        }
        let other = enterprise(3, &["other"]).build();
        assert!(!in_remediation_scope(&other));
        assert!(issues(DUST_ENTERPRISE, &other).is_empty());
        assert_eq!(class(DUST_ENTERPRISE, &other, "dust-remediation"), None);
        let done = enterprise(3, &["starch"])
            .date("remediation_done_date", "2021-05-01")
            .build();
        assert!(issues(DUST_ENTERPRISE, &done).is_empty());
        assert_eq!(
            class(DUST_ENTERPRISE, &done, "dust-remediation").as_deref(),
            Some("已整治")
        );
    }

    #[test]
    fn projects_are_assessed_and_accepted() {
        let new = enterprise(3, &["other"])
            .text("project_type", "expand")
            .build();
        let i = issues(DUST_ENTERPRISE, &new);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(i[0].field, "project_assessed_date");
        assert_eq!(
            i[0].message,
            "新建、改建、扩建建设和技术改造、技术引进的粉尘涉爆企业须严格安全评估和审核验收：安全评估、审核验收。"
        );
        let assessed = enterprise(3, &["other"])
            .text("project_type", "tech_import")
            .date("project_assessed_date", "2021-01-01")
            .build();
        let i = issues(DUST_ENTERPRISE, &assessed);
        assert_eq!(i[0].field, "project_accepted_date");
        assert!(i[0].message.ends_with("：审核验收。"));
        let accepted = enterprise(3, &["other"])
            .text("project_type", "new")
            .date("project_assessed_date", "2021-01-01")
            .date("project_accepted_date", "2021-03-01")
            .build();
        assert!(issues(DUST_ENTERPRISE, &accepted).is_empty());
        let none = enterprise(3, &["other"])
            .text("project_type", "none")
            .build();
        assert_eq!(class(DUST_ENTERPRISE, &none, "project-assessment"), None);
    }

    // -------------------------------------------------------------- R5–R7

    fn site(t: &str, illegal: bool) -> RecordBuilder {
        RecordBuilder::new("w")
            .text("site_name", "某场")
            .text("town", "越州镇")
            .text("site_type", t)
            .flag("is_illegal", illegal)
            .date("found_date", "2021-01-01")
    }

    #[test]
    fn an_illegal_slag_site_is_to_be_banned() {
        let open = site("slag", true).build();
        let i = issues(WASTE_SITE, &open);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(i[0].field, "banned_date");
        assert_eq!(i[0].message, "非法渣土场，应予取缔。");
        assert_eq!(
            class(WASTE_SITE, &open, "illegal-slag-site").as_deref(),
            Some("应予取缔")
        );
        let banned = site("slag", true).date("banned_date", "2021-05-01").build();
        assert!(issues(WASTE_SITE, &banned).is_empty());
        assert_eq!(
            class(WASTE_SITE, &banned, "illegal-slag-site").as_deref(),
            Some("已取缔")
        );
        let legal = site("slag", false).build();
        assert!(issues(WASTE_SITE, &legal).is_empty());
        assert!(classify(WASTE_SITE, &legal, None).is_empty());
        let dump = site("construction_waste", true).build();
        let i = issues(WASTE_SITE, &dump);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Info);
        assert_eq!(i[0].message, "非法设置的建筑垃圾消纳场，请依法处理。");
    }

    #[test]
    fn legal_construction_waste_sites_are_monitored_and_assessed() {
        let bare = site("construction_waste", false).build();
        let i = issues(WASTE_SITE, &bare);
        assert_eq!(i.len(), 2);
        assert_eq!(i[0].field, "monitoring_in_place");
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(i[0].message, "建筑垃圾消纳场须建立常态化监测机制。");
        assert_eq!(i[1].field, "stability_assessed_date");
        assert_eq!(
            i[1].message,
            "须对垃圾堆体稳定性、可能存在的风险和应急预案可靠性进行评估：垃圾堆体稳定性、可能存在的风险、应急预案可靠性。"
        );
        let partly = site("domestic_landfill", false)
            .date("stability_assessed_date", "2021-02-01")
            .date("plan_assessed_date", "2021-02-01")
            .build();
        let i = issues(WASTE_SITE, &partly);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "risk_assessed_date");
        assert!(i[0].message.ends_with("进行评估：可能存在的风险。"));
        let done = site("construction_waste", false)
            .flag("monitoring_in_place", true)
            .date("stability_assessed_date", "2021-02-01")
            .date("risk_assessed_date", "2021-02-01")
            .date("plan_assessed_date", "2021-02-01")
            .build();
        assert!(issues(WASTE_SITE, &done).is_empty());
        assert_eq!(
            class(WASTE_SITE, &done, "pile-assessment").as_deref(),
            Some("已评估")
        );
        assert_eq!(
            class(WASTE_SITE, &done, "construction-waste-monitoring").as_deref(),
            Some("已建立常态化监测")
        );
        // An illegal site is not monitored or assessed: it is dealt with (R5).
        let illegal = site("domestic_landfill", true).build();
        assert_eq!(class(WASTE_SITE, &illegal, "pile-assessment"), None);
    }

    #[test]
    fn an_unknown_form_is_an_error() {
        let r = RecordBuilder::new("x").build();
        let i = validate("mine-register", &r, Date::parse("2022-01-01"));
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "");
        assert_eq!(i[0].severity, Severity::Error);
        assert_eq!(i[0].message, "未知表单“mine-register”");
        assert!(classify("mine-register", &r, None).is_empty());
        assert!(
            compute(
                "mine-register",
                &RecordBatch::from_records(&[r], &[]),
                Date::parse("2022-12-31")
            )
            .is_empty()
        );
        for form in FORMS {
            assert!(validate(form, &RecordBuilder::new("x").build(), None).is_empty());
        }
    }

    // -------------------------------------------------------------- fixtures of rules.md

    #[test]
    fn fixture_dust_remediation_all() {
        let rec = |dust: &[&str], done: Option<&str>| {
            let b = enterprise(5, dust);
            match done {
                Some(d) => b.date("remediation_done_date", d).build(),
                None => b.build(),
            }
        };
        let records = vec![
            rec(&["metal"], Some("2021-05-01")),
            rec(&["wood", "other"], None),
            rec(&["other"], None),
            rec(&["flour"], Some("2022-12-31")),
            rec(&["coal"], Some("2023-01-02")),
        ];
        let v = desk_compute(DUST_ENTERPRISE, &records, "2022-12-31");
        assert_close(value(&v, "dust-remediation-all"), 50.0, "2022");
        let v = desk_compute(DUST_ENTERPRISE, &records, "2022-12-30");
        assert_close(value(&v, "dust-remediation-all"), 25.0, "2022-12-30");
        let v = desk_compute(DUST_ENTERPRISE, &records, "2023-01-02");
        assert_close(value(&v, "dust-remediation-all"), 75.0, "2023-01-02");
        // Nobody has 10 people: no key enterprise, no enforcement share.
        assert_eq!(value(&v, "key-enterprise-enforcement"), None);
    }

    #[test]
    fn fixture_key_enterprise_enforcement() {
        let rec = |workers: i64, enforced: Option<&str>| {
            let b = enterprise(workers, &["metal"]);
            match enforced {
                Some(d) => b.date("enforcement_date", d).build(),
                None => b.build(),
            }
        };
        let records = vec![
            rec(10, Some("2021-04-01")),
            rec(9, Some("2021-05-01")),
            rec(25, None),
            rec(10, Some("2019-11-01")),
        ];
        let v = desk_compute(DUST_ENTERPRISE, &records, "2022-12-31");
        assert_close(value(&v, "key-enterprise-enforcement"), 100.0 / 3.0, "2022");
        // A within the campaign from 2021-04-01 only.
        let v = desk_compute(DUST_ENTERPRISE, &records, "2021-03-31");
        assert_close(value(&v, "key-enterprise-enforcement"), 0.0, "2021-03-31");
        // B at 10 people would be a key enterprise checked in time: 2 of 4.
        let mut ten = records.clone();
        ten[1] = rec(10, Some("2021-05-01"));
        let v = desk_compute(DUST_ENTERPRISE, &ten, "2022-12-31");
        assert_close(value(&v, "key-enterprise-enforcement"), 50.0, "B at 10");
        assert_every_target(DUST_ENTERPRISE, &records, "2022-12-31");
    }

    #[test]
    fn fixture_illegal_slag_sites() {
        let rec = |t: &str, illegal: bool, found: &str, banned: Option<&str>| {
            let b = RecordBuilder::new("w")
                .text("site_name", "某场")
                .text("site_type", t)
                .flag("is_illegal", illegal)
                .date("found_date", found);
            match banned {
                Some(d) => b.date("banned_date", d).build(),
                None => b.build(),
            }
        };
        let records = vec![
            rec("slag", true, "2021-02-01", Some("2021-05-01")),
            rec("slag", true, "2022-03-01", None),
            rec("slag", false, "2020-06-01", None),
            rec("construction_waste", true, "2022-01-01", None),
            rec("slag", true, "2022-12-01", Some("2023-01-10")),
        ];
        let open = |as_of: &str| {
            value(
                &desk_compute(WASTE_SITE, &records, as_of),
                "illegal-slag-sites",
            )
        };
        assert_eq!(open("2022-12-31"), Some(2.0)); // B, E
        assert_eq!(open("2021-03-01"), Some(1.0)); // A before its ban
        assert_eq!(open("2021-05-01"), Some(0.0)); // A banned that day
        assert_eq!(open("2022-11-30"), Some(1.0)); // E not found yet
        assert_eq!(open("2023-01-10"), Some(1.0)); // B
        assert_every_target(WASTE_SITE, &records, "2022-12-31");
    }

    // -------------------------------------------------------------- inputs are complete

    /// A register of `form` where every branch of its computations occurs, with fields the
    /// targets do not read.
    fn register(form: &str, n: usize) -> Vec<FormRecord> {
        let dates = [
            "2019-11-01",
            "2020-01-01",
            "2021-04-01",
            "2021-12-31",
            "2022-03-01",
            "2022-12-31",
            "2023-01-02",
        ];
        let d = |i: usize, k: usize| dates[(i * k + k) % dates.len()];
        let dust = [
            &["metal"][..],
            &["other"],
            &["wood", "other"],
            &["feed"],
            &["agri_other", "coal"],
        ];
        let types = ["domestic_landfill", "construction_waste", "slag", "slag"];
        (0..n)
            .map(|i| {
                let mut b = RecordBuilder::new(&format!("r{i}"))
                    .text("town", "越州镇")
                    .text("remarks", "无");
                b = match form {
                    DUST_ENTERPRISE => b
                        .text("enterprise", &format!("第{i}号企业"))
                        .text("industry", "light")
                        .choices("dust_type", dust[i % dust.len()])
                        .integer("dust_workers", (i % 15) as i64)
                        .flag("explosion_proof_ok", i % 2 == 0),
                    WASTE_SITE => b
                        .text("site_name", &format!("第{i}号场"))
                        .text("site_type", types[i % types.len()])
                        .flag("is_illegal", i % 3 != 0)
                        .date("found_date", d(i, 1)),
                    _ => b,
                };
                if i % 4 != 1 {
                    b = match form {
                        DUST_ENTERPRISE => b
                            .date("remediation_done_date", d(i, 2))
                            .date("enforcement_date", d(i, 3)),
                        WASTE_SITE => b.date("banned_date", d(i, 2)),
                        _ => b,
                    };
                }
                b.build()
            })
            .collect()
    }

    #[test]
    fn compute_over_the_inputs_equals_compute_over_whole_records() {
        for form in FORMS {
            let (ids, _) = plan_inputs(form);
            let records = register(form, 120);
            for as_of in [
                "2020-06-30",
                "2021-12-31",
                "2022-03-01",
                "2022-12-31",
                "2023-06-30",
            ] {
                let whole: Vec<(String, f64)> = compute_rows(form, records.iter(), date(as_of))
                    .into_iter()
                    .map(|v| (v.target_id, v.value))
                    .collect();
                let desk = desk_compute(form, &records, as_of);
                assert_eq!(whole.len(), desk.len(), "{form} {as_of}");
                for ((a, x), (b, y)) in whole.iter().zip(&desk) {
                    assert_eq!(a, b);
                    assert_eq!(x.to_bits(), y.to_bits(), "{form} {a} {as_of}");
                }
                for (id, _) in &whole {
                    assert!(ids.contains(id), "{form}: {id} is not a target of the form");
                }
            }
        }
        // The registers do exercise the computations.
        let v = desk_compute(WASTE_SITE, &register(WASTE_SITE, 120), "2022-03-01");
        assert!(value(&v, "illegal-slag-sites").unwrap() > 0.0);
        let v = desk_compute(
            DUST_ENTERPRISE,
            &register(DUST_ENTERPRISE, 120),
            "2022-03-01",
        );
        let share = value(&v, "key-enterprise-enforcement").unwrap();
        assert!(share > 0.0 && share < 100.0, "{share}");
    }
}
