//! `drug-driver` 吸毒成瘾未戒除驾驶人驾驶证核查清理台账: rules G1–G4 of rules.md (L450). No
//! target reads it (the monthly clean-up is counted from `drug-driver-cleanup`).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, Issue};

use super::common::{Finding, is_any, yes};

pub(crate) const FORM: &str = "drug-driver";

const LINE_450: &str = "第450行：每月组织集中开展一次清理排查，并告知驾驶人办理注销业务；对在规定期限内未主动办理注销业务以及驾驶人正在执行强制隔离戒毒的，按照规定注销其驾驶证，并向社会公告驾驶证作废。";
const LINE_450_KEY: &str = "第450行：对驾驶大中型客货运车辆、校车(涉校车辆)等重点车辆的吸毒成瘾未戒除驾驶人员，在注销其驾驶证同时，分别通报至道路运输管理机构、运输企业和教育主管部门、学校等。";

/// G2 — why the licence is to be cancelled by rule on `today`, if it is: compulsory
/// isolation, or the 规定期限 over (its last day itself is still within it).
pub(crate) fn cancel_by_rule_reason(r: &impl Fields, today: Option<Date>) -> Option<&'static str> {
    if r.date("cancelled_on").is_some() {
        return None;
    }
    if yes(r, "compulsory_isolation") {
        return Some("驾驶人正在执行强制隔离戒毒");
    }
    let (deadline, today) = (r.date("deadline")?, today?);
    (today > deadline).then_some("规定期限内未主动办理注销业务")
}

fn cancellation(r: &impl Fields, today: Option<Date>) -> Finding {
    let rule = "cancellation";
    if let Some(d) = r.date("cancelled_on") {
        let how = match r.choice("cancel_way") {
            Some("voluntary") => "（驾驶人主动办理）",
            Some("by_rule") => "（按照规定注销）",
            _ => "",
        };
        return Finding::new(
            rule,
            format!("已注销{how}"),
            format!("{LINE_450}已于{d}注销。"),
        );
    }
    if let Some(why) = cancel_by_rule_reason(r, today) {
        return Finding::new(rule, "应按照规定注销", format!("{LINE_450}{why}。")).with(
            Issue::warning(
                "cancelled_on",
                format!("{why}，应按照规定注销其驾驶证，并向社会公告驾驶证作废（第450行）。"),
            ),
        );
    }
    if r.date("notified_on").is_none() {
        return Finding::new(rule, "待告知办理注销", LINE_450).with(Issue::warning(
            "notified_on",
            "应告知驾驶人办理注销业务（第450行）：尚未登记告知日期。",
        ));
    }
    Finding::new(rule, "规定期限内待驾驶人主动注销", LINE_450)
}

/// G3 — a licence cancelled by rule is announced void.
fn announcement(r: &impl Fields) -> Option<Finding> {
    if r.date("cancelled_on").is_none() || !is_any(r, "cancel_way", &["by_rule"]) {
        return None;
    }
    Some(match r.date("announced_on") {
        Some(d) => Finding::new(
            "announcement",
            "已公告驾驶证作废",
            format!("{LINE_450}已于{d}公告。"),
        ),
        None => Finding::new("announcement", "应公告驾驶证作废", LINE_450).with(Issue::warning(
            "announced_on",
            "按照规定注销的驾驶证，应向社会公告驾驶证作废（第450行）。",
        )),
    })
}

/// G4 — a cancelled key-vehicle driver is reported to whom L450 names: 大中型客货运 → 道路运输
/// 管理机构 and 运输企业; 校车(涉校车辆) → 教育主管部门 and 学校 (「分别通报」).
fn key_vehicle_notice(r: &impl Fields) -> Option<Finding> {
    r.date("cancelled_on")?;
    let rule = "key-vehicle-notice";
    let (whom, fields): (&str, [(&str, &str); 2]) = match r.choice("key_vehicle")? {
        "passenger_freight" => (
            "驾驶大中型客货运车辆",
            [
                ("transport_notified_on", "道路运输管理机构"),
                ("enterprise_notified_on", "运输企业"),
            ],
        ),
        "school_bus" => (
            "驾驶校车(涉校车辆)",
            [
                ("education_notified_on", "教育主管部门"),
                ("school_notified_on", "学校"),
            ],
        ),
        "other_key" => {
            return Some(
                Finding::new(rule, "按“等”酌情通报", LINE_450_KEY).with(Issue::info(
                    "key_vehicle",
                    "其他重点车辆驾驶人：原文以“等”概括，按车辆所属行业通报有关部门、单位。",
                )),
            );
        }
        _ => return None,
    };
    let missing: Vec<(&str, &str)> = fields
        .into_iter()
        .filter(|(f, _)| r.date(f).is_none())
        .collect();
    let Some((field, _)) = missing.first() else {
        return Some(Finding::new(rule, "已通报", LINE_450_KEY));
    };
    let names: Vec<&str> = missing.iter().map(|(_, l)| *l).collect();
    let all: Vec<&str> = fields.iter().map(|(_, l)| *l).collect();
    Some(
        Finding::new(rule, "应通报", LINE_450_KEY).with(Issue::warning(
            field,
            format!(
                "{whom}的吸毒成瘾未戒除驾驶人，在注销驾驶证同时应通报{}（第450行）：尚未通报{}。",
                all.join("、"),
                names.join("、")
            ),
        )),
    )
}

pub(crate) fn findings(r: &impl Fields, today: Option<Date>) -> Vec<Finding> {
    let mut out = vec![cancellation(r, today)];
    out.extend(announcement(r));
    out.extend(key_vehicle_notice(r));
    out
}

#[cfg(test)]
mod tests {
    use anwei_plugin_sdk::record::RecordBuilder;

    use super::super::test_support::{class, issues};
    use super::*;

    fn driver_of(key_vehicle: &str) -> RecordBuilder {
        RecordBuilder::new("g")
            .text("name", "某某")
            .text("licence_no", "530302000000000000")
            .date("listed_on", "2021-03-01")
            .text("key_vehicle", key_vehicle)
    }

    fn driver() -> RecordBuilder {
        driver_of("none")
    }

    #[test]
    fn the_deadline_day_is_still_within_the_deadline() {
        let r = driver()
            .date("notified_on", "2021-03-05")
            .date("deadline", "2021-04-04")
            .build();
        assert!(issues(FORM, &r, "2021-04-04").is_empty());
        assert_eq!(
            class(FORM, &r, "cancellation", "2021-04-04").as_deref(),
            Some("规定期限内待驾驶人主动注销")
        );
        let i = issues(FORM, &r, "2021-04-05");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "cancelled_on");
        assert_eq!(
            i[0].message,
            "规定期限内未主动办理注销业务，应按照规定注销其驾驶证，并向社会公告驾驶证作废（第450行）。"
        );
    }

    #[test]
    fn compulsory_isolation_means_cancellation_at_once() {
        let r = driver().flag("compulsory_isolation", true).build();
        assert_eq!(
            cancel_by_rule_reason(&r, None),
            Some("驾驶人正在执行强制隔离戒毒")
        );
        assert_eq!(
            class(FORM, &r, "cancellation", "2021-03-02").as_deref(),
            Some("应按照规定注销")
        );
        let cancelled = driver()
            .flag("compulsory_isolation", true)
            .date("cancelled_on", "2021-03-10")
            .text("cancel_way", "by_rule")
            .build();
        let i = issues(FORM, &cancelled, "2021-03-11");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "announced_on");
        assert_eq!(
            class(FORM, &cancelled, "cancellation", "2021-03-11").as_deref(),
            Some("已注销（按照规定注销）")
        );
    }

    #[test]
    fn a_listed_driver_is_told_to_cancel() {
        let r = driver().build();
        let i = issues(FORM, &r, "2021-03-02");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "notified_on");
        let voluntary = driver()
            .date("cancelled_on", "2021-03-20")
            .text("cancel_way", "voluntary")
            .build();
        assert!(issues(FORM, &voluntary, "2021-04-01").is_empty());
    }

    #[test]
    fn a_cancelled_key_vehicle_driver_is_reported() {
        let coach = driver_of("passenger_freight")
            .date("cancelled_on", "2021-03-20")
            .text("cancel_way", "voluntary")
            .date("transport_notified_on", "2021-03-20")
            .build();
        let i = issues(FORM, &coach, "2021-04-01");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "enterprise_notified_on");
        assert_eq!(
            i[0].message,
            "驾驶大中型客货运车辆的吸毒成瘾未戒除驾驶人，在注销驾驶证同时应通报道路运输管理机构、运输企业（第450行）：尚未通报运输企业。"
        );
        let bus = driver_of("school_bus")
            .date("cancelled_on", "2021-03-20")
            .text("cancel_way", "voluntary")
            .date("education_notified_on", "2021-03-20")
            .date("school_notified_on", "2021-03-21")
            .build();
        assert!(issues(FORM, &bus, "2021-04-01").is_empty());
        assert_eq!(
            class(FORM, &bus, "key-vehicle-notice", "2021-04-01").as_deref(),
            Some("已通报")
        );
        // Not cancelled yet: nothing to report.
        let pending = driver_of("school_bus")
            .date("notified_on", "2021-03-02")
            .build();
        assert_eq!(
            class(FORM, &pending, "key-vehicle-notice", "2021-03-03"),
            None
        );
    }
}
