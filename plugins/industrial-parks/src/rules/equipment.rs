//! `special-equipment` 特种设备台账: rules S1–S6 (L634). The text states no figure for special
//! equipment, so the form has no target.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, Issue};

use super::common::{Finding, is, order, yes};

pub(crate) const FORM: &str = "special-equipment";

fn in_use(r: &impl Fields) -> bool {
    is(r, "status", "in_use")
}

/// S1 — 「深化大型起重机械安装监控系统和工业管道定期检验工作」 (L634): an in-use unit whose next
/// periodic inspection date has passed (the due day itself is on time). The text names the
/// periodic inspection of 工业管道: for a pipeline the overdue inspection is a warning; for the
/// other kinds the duty comes from the 特种设备安全法 (background, not the seed), so it is a
/// 提示.
fn inspection(r: &impl Fields, today: Option<Date>) -> Option<Finding> {
    if !in_use(r) {
        return None;
    }
    let rule = "s1-periodic-inspection";
    let pipeline = is(r, "kind", "industrial_pipeline");
    let reason = if pipeline {
        "第634行：深化…工业管道定期检验工作。"
    } else {
        "第634行点名工业管道的定期检验；其他在用特种设备的定期检验出自《特种设备安全法》（背景，附件10未逐类写明）。"
    };
    let Some(next) = r.date("next_inspection_date") else {
        return Some(Finding::warning(
            rule,
            "下次检验日期未登记",
            reason,
            "next_inspection_date",
            "在用特种设备请填写下次定期检验日期。",
        ));
    };
    let Some(t) = today else {
        return Some(Finding::note(rule, format!("下次检验{next}"), reason));
    };
    if t <= next {
        return Some(Finding::note(
            rule,
            "定期检验在有效期内",
            format!("{reason}下次检验日期{next}。"),
        ));
    }
    let message = format!("定期检验已逾期：下次检验日期为{next}。");
    Some(if pipeline {
        Finding::warning(
            rule,
            "定期检验逾期",
            reason,
            "next_inspection_date",
            message,
        )
    } else {
        Finding::info(
            rule,
            "定期检验逾期",
            reason,
            "next_inspection_date",
            message,
        )
    })
}

/// S2 — an in-use unit without its 使用登记 (background: 特种设备安全法; the seed does not say
/// it): 提示.
fn registration(r: &impl Fields) -> Option<Finding> {
    if !(in_use(r) && r.is_blank("registration_no") && r.is_blank("registration_date")) {
        return None;
    }
    Some(Finding::info(
        "s2-registration",
        "使用登记未登记",
        "特种设备使用登记出自《特种设备安全法》（背景，附件10未写）。",
        "registration_no",
        "在用特种设备请填写使用登记证编号或登记日期。",
    ))
}

/// S3 — 「深化大型起重机械安装监控系统」 (L634).
fn crane_monitoring(r: &impl Fields) -> Option<Finding> {
    if !(is(r, "kind", "crane") && yes(r, "large_crane")) || is(r, "status", "scrapped") {
        return None;
    }
    let rule = "s3-crane-monitoring";
    let reason = "第634行：深化大型起重机械安装监控系统和工业管道定期检验工作。";
    Some(if yes(r, "crane_monitoring") {
        Finding::note(rule, "已安装监控系统", reason)
    } else {
        Finding::warning(
            rule,
            "未安装监控系统",
            reason,
            "crane_monitoring",
            "大型起重机械应安装安全监控系统。",
        )
    })
}

/// S4 — 「推动完善园区企业压力容器的安全风险和隐患的识别、等级评定、分级监管和预警方法」 (L634).
fn vessel_grade(r: &impl Fields) -> Option<Finding> {
    if !is(r, "kind", "pressure_vessel") || is(r, "status", "scrapped") {
        return None;
    }
    let rule = "s4-vessel-grade";
    let reason =
        "第634行：推动完善园区企业压力容器的安全风险和隐患的识别、等级评定、分级监管和预警方法。";
    Some(match r.choice("vessel_risk_grade") {
        Some(g) => {
            let label = match g {
                "high" => "高",
                "higher" => "较高",
                "general" => "一般",
                "low" => "低",
                other => other,
            };
            Finding::note(rule, format!("安全风险等级{label}"), reason)
        }
        None => Finding::warning(
            rule,
            "未评定等级",
            reason,
            "vessel_risk_grade",
            "压力容器应进行安全风险等级评定，实行分级监管。",
        ),
    })
}

/// S5 — 「开展中小锅炉集中治理」 (L634).
fn boiler(r: &impl Fields) -> Option<Finding> {
    if !(is(r, "kind", "boiler") && yes(r, "small_medium_boiler")) || is(r, "status", "scrapped") {
        return None;
    }
    let rule = "s5-boiler";
    let reason =
        "第634行：开展中小锅炉集中治理、起重机械安全专项治理和危化品领域特种设备安全综合治理。";
    Some(if yes(r, "boiler_governed") {
        Finding::note(rule, "已集中治理", reason)
    } else {
        Finding::warning(
            rule,
            "待集中治理",
            reason,
            "boiler_governed",
            "中小锅炉应纳入集中治理：尚未完成。",
        )
    })
}

/// S6 — 「危化品领域特种设备安全综合治理」 (L634): a classification.
fn hazchem_field(r: &impl Fields) -> Option<Finding> {
    yes(r, "hazchem_field").then(|| {
        Finding::note(
            "s6-hazchem-field",
            "危化品领域特种设备",
            "第634行：开展…危化品领域特种设备安全综合治理。",
        )
    })
}

pub(crate) fn findings(r: &impl Fields, today: Option<Date>) -> Vec<Finding> {
    [
        inspection(r, today),
        registration(r),
        crane_monitoring(r),
        vessel_grade(r),
        boiler(r),
        hazchem_field(r),
    ]
    .into_iter()
    .flatten()
    .collect()
}

pub(crate) fn date_errors(r: &impl Fields) -> Vec<Issue> {
    let mut out = Vec::new();
    order(
        r,
        ("last_inspection_date", "最近一次定期检验日期"),
        ("next_inspection_date", "下次定期检验日期"),
        &mut out,
    );
    out
}

#[cfg(test)]
mod tests {
    use anwei_plugin_sdk::{FormRecord, Severity};

    use super::super::common::test_support::{day, record};
    use super::*;

    fn unit(kind: &str, next: &str) -> FormRecord {
        record(
            "x",
            &[
                ("kind", kind),
                ("status", "in_use"),
                ("registration_no", "容1"),
                ("last_inspection_date", "2020-03-01"),
                ("next_inspection_date", next),
            ],
        )
    }

    fn s1(r: &FormRecord, today: &str) -> Finding {
        findings(r, Some(day(today)))
            .into_iter()
            .find(|f| f.rule == "s1-periodic-inspection")
            .unwrap()
    }

    #[test]
    fn an_inspection_is_overdue_from_the_day_after_its_due_day() {
        let pipe = unit("industrial_pipeline", "2021-03-01");
        let on_time = s1(&pipe, "2021-03-01");
        assert_eq!(on_time.value, "定期检验在有效期内");
        assert!(on_time.issues.is_empty());
        let late = s1(&pipe, "2021-03-02");
        assert_eq!(late.value, "定期检验逾期");
        assert_eq!(late.issues[0].severity, Severity::Warning);
        assert_eq!(
            late.issues[0].message,
            "定期检验已逾期：下次检验日期为2021-03-01。"
        );
        // Other kinds: the seed names only pipelines, so a 提示.
        let vessel = s1(&unit("pressure_vessel", "2021-03-01"), "2021-03-02");
        assert_eq!(vessel.issues[0].severity, Severity::Info);
        // Not in use: nothing.
        let idle = record(
            "y",
            &[
                ("kind", "industrial_pipeline"),
                ("status", "idle"),
                ("next_inspection_date", "2020-01-01"),
            ],
        );
        assert!(
            !findings(&idle, Some(day("2021-01-01")))
                .iter()
                .any(|f| f.rule == "s1-periodic-inspection")
        );
        // In use without a next date.
        let blank = record("z", &[("kind", "elevator"), ("status", "in_use")]);
        let f = findings(&blank, Some(day("2021-01-01")));
        let s = f
            .iter()
            .find(|f| f.rule == "s1-periodic-inspection")
            .unwrap();
        assert_eq!(s.issues[0].field, "next_inspection_date");
        assert!(f.iter().any(|f| f.rule == "s2-registration"));
    }

    #[test]
    fn cranes_vessels_boilers_and_hazchem_equipment() {
        let crane = record(
            "c",
            &[
                ("kind", "crane"),
                ("large_crane", "yes"),
                ("status", "idle"),
            ],
        );
        let f = findings(&crane, None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule, "s3-crane-monitoring");
        assert_eq!(f[0].issues[0].field, "crane_monitoring");
        let small_crane = record(
            "c",
            &[("kind", "crane"), ("large_crane", "no"), ("status", "idle")],
        );
        assert!(findings(&small_crane, None).is_empty());
        let vessel = record(
            "v",
            &[
                ("kind", "pressure_vessel"),
                ("status", "idle"),
                ("hazchem_field", "yes"),
            ],
        );
        let f = findings(&vessel, None);
        assert_eq!(f[0].rule, "s4-vessel-grade");
        assert_eq!(f[0].issues.len(), 1);
        assert_eq!(f[1].rule, "s6-hazchem-field");
        assert!(f[1].issues.is_empty());
        let graded = record(
            "v",
            &[
                ("kind", "pressure_vessel"),
                ("status", "idle"),
                ("vessel_risk_grade", "higher"),
            ],
        );
        assert_eq!(findings(&graded, None)[0].value, "安全风险等级较高");
        let boiler = record(
            "b",
            &[
                ("kind", "boiler"),
                ("small_medium_boiler", "yes"),
                ("status", "idle"),
            ],
        );
        assert_eq!(findings(&boiler, None)[0].value, "待集中治理");
        let scrapped = record(
            "b",
            &[
                ("kind", "boiler"),
                ("small_medium_boiler", "yes"),
                ("status", "scrapped"),
            ],
        );
        assert!(findings(&scrapped, None).is_empty());
    }

    #[test]
    fn the_next_inspection_cannot_precede_the_last() {
        let r = unit("crane", "2020-02-01");
        let e = date_errors(&r);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].severity, Severity::Error);
        assert_eq!(e[0].field, "next_inspection_date");
        assert!(date_errors(&unit("crane", "2020-03-01")).is_empty());
    }
}
