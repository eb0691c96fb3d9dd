//! 邮政寄递 ((三)3, (四)2, (六)2 一是): the register of delivery enterprises
//! (`delivery-enterprise`, R13–R15) and the log of inspections (`delivery-inspection`,
//! R16–R17).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, Issue, TargetValue};

use super::common::{Finding, Share, failing, finding, no, not_ended, year_start, yes};

// ------------------------------------------------------------------ delivery-enterprise

/// 「收寄验视、实名收寄、过机安检“三位一体”」 (L504), in the source's order.
pub const THREE_IN_ONE: [(&str, &str); 3] = [
    ("open_inspection", "收寄验视"),
    ("real_name", "实名收寄"),
    ("xray", "过机安检"),
];

/// Whether all three are in place.
pub fn three_in_one_ok<R: Fields + ?Sized>(r: &R) -> bool {
    THREE_IN_ONE.iter().all(|(f, _)| yes(r, f))
}

/// Still operating on `d` (not closed by then).
pub fn operating<R: Fields + ?Sized>(r: &R, d: Date) -> bool {
    not_ended(r, "closed_date", d)
}

/// R13 — 「升级收寄验视、实名收寄、过机安检“三位一体”防控模式」 (L504).
pub fn three_in_one<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> Option<Finding> {
    if today.is_some_and(|t| !operating(r, t)) {
        return None;
    }
    let (field, missing) = failing(r, &THREE_IN_ONE, |r, f| no(r, f));
    let reason = "第504行：升级收寄验视、实名收寄、过机安检“三位一体”防控模式。";
    match field {
        Some(field) => Some(finding(
            "three-in-one",
            "三位一体未落实",
            reason,
            vec![Issue::warning(
                field,
                format!("“三位一体”防控未落实：{}。", missing.join("、")),
            )],
        )),
        None => three_in_one_ok(r)
            .then(|| finding("three-in-one", "三位一体已落实", reason, Vec::new())),
    }
}

/// R14 — 「对国际和港澳台邮件快件进行全面防控安检」 (L504).
pub fn international_screening<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> Option<Finding> {
    if !yes(r, "international") || today.is_some_and(|t| !operating(r, t)) {
        return None;
    }
    let reason = "第504行：对国际和港澳台邮件快件进行全面防控安检。";
    match r.flag("international_screened")? {
        true => Some(finding(
            "international-screening",
            "国际和港澳台邮件快件全面安检",
            reason,
            Vec::new(),
        )),
        false => Some(finding(
            "international-screening",
            "国际和港澳台邮件快件未全面安检",
            reason,
            vec![Issue::warning(
                "international_screened",
                "国际和港澳台邮件快件须全面防控安检。",
            )],
        )),
    }
}

/// R15 — 「依法设置安全生产管理机构,配备安全生产管理人员」 (L531).
pub fn safety_management<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let staff = r.number("safety_staff")?;
    let reason = "第531行：督促邮政企业依法设置安全生产管理机构，配备安全生产管理人员。";
    let mut issues = Vec::new();
    if staff < 1.0 {
        issues.push(Issue::warning(
            "safety_staff",
            "寄递企业须依法配备安全生产管理人员。",
        ));
    }
    if no(r, "safety_office") {
        issues.push(Issue::info(
            "safety_office",
            "督促依法设置安全生产管理机构。",
        ));
    }
    Some(finding(
        "safety-management",
        format!("安全生产管理人员{staff}人"),
        reason,
        issues,
    ))
}

/// postal-three-in-one and international-mail-screened, in one pass over the enterprises
/// operating on `d`.
pub fn compute_delivery_enterprise<R: Fields>(
    rows: impl IntoIterator<Item = R>,
    d: Date,
) -> Vec<TargetValue> {
    let mut three = Share::default();
    let mut international = Share::default();
    for r in rows {
        if !operating(&r, d) {
            continue;
        }
        three.add(three_in_one_ok(&r));
        if yes(&r, "international") {
            international.add(yes(&r, "international_screened"));
        }
    }
    let mut out = Vec::new();
    three.push(&mut out, "postal-three-in-one");
    international.push(&mut out, "international-mail-screened");
    out
}

// ------------------------------------------------------------------ delivery-inspection

/// R16 — 「对危险化学品寄递实施“零容忍”…不得收寄危险化学品」 (L504).
pub fn hazchem_zero_tolerance<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let found = r.flag("hazchem_found")?;
    let reason = "第504行：对危险化学品寄递实施“零容忍”，督促寄递企业严格执行《禁止寄递物品管理规定》，不得收寄危险化学品。";
    if !found {
        return Some(finding(
            "hazchem-zero-tolerance",
            "未发现收寄危险化学品",
            reason,
            Vec::new(),
        ));
    }
    let mut issues = vec![Issue::warning(
        "hazchem_found",
        "查实收寄危险化学品：对危险化学品寄递实施“零容忍”，须依法严厉打击。",
    )];
    if matches!(r.choice("action"), None | Some("none")) {
        issues.push(Issue::warning(
            "action",
            "查实违法寄递危险化学品，尚未处理。",
        ));
    }
    Some(finding(
        "hazchem-zero-tolerance",
        "查实收寄危险化学品",
        reason,
        issues,
    ))
}

/// The three checks of an inspection, in the source's order.
pub const INSPECTED_THREE: [(&str, &str); 3] = [
    ("open_inspection_ok", "收寄验视"),
    ("real_name_ok", "实名收寄"),
    ("xray_ok", "过机安检"),
];

/// R17 — the inspection found the 「三位一体」 of L504 out of order.
pub fn inspection_three_in_one<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let (field, missing) = failing(r, &INSPECTED_THREE, |r, f| no(r, f));
    let reason = "第504行：升级收寄验视、实名收寄、过机安检“三位一体”防控模式。";
    match field {
        Some(field) => Some(finding(
            "inspection-three-in-one",
            "检查发现三位一体未落实",
            reason,
            vec![Issue::warning(
                field,
                format!("检查发现“三位一体”未落实：{}。", missing.join("、")),
            )],
        )),
        None => INSPECTED_THREE.iter().all(|(f, _)| yes(r, f)).then(|| {
            finding(
                "inspection-three-in-one",
                "三位一体已落实",
                reason,
                Vec::new(),
            )
        }),
    }
}

/// hazchem-mail-accepted: inspections from 1 January of `d`'s year to `d` that found
/// dangerous chemicals accepted.
pub fn compute_delivery_inspection<R: Fields>(
    rows: impl IntoIterator<Item = R>,
    d: Date,
) -> Vec<TargetValue> {
    let from = year_start(d.year);
    let n = rows
        .into_iter()
        .filter(|r| {
            yes(r, "hazchem_found") && r.date("inspected_on").is_some_and(|x| x >= from && x <= d)
        })
        .count();
    vec![TargetValue::district("hazchem-mail-accepted", n as f64)]
}

#[cfg(test)]
mod tests {
    use anwei_plugin_sdk::Severity;
    use anwei_plugin_sdk::record::RecordBuilder;

    use super::super::testkit::*;
    use super::super::{DELIVERY_ENTERPRISE, DELIVERY_INSPECTION};

    fn enterprise(open: bool, real: bool, xray: bool) -> RecordBuilder {
        RecordBuilder::new("e")
            .text("enterprise", "某快递网点")
            .text("town", "南宁街道")
            .text("kind", "express")
            .flag("open_inspection", open)
            .flag("real_name", real)
            .flag("xray", xray)
    }

    #[test]
    fn the_three_in_one_names_what_is_missing() {
        let r = enterprise(true, false, false).build();
        let i = issues(DELIVERY_ENTERPRISE, &r);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(i[0].field, "real_name");
        assert_eq!(i[0].message, "“三位一体”防控未落实：实名收寄、过机安检。");
        let ok = enterprise(true, true, true).build();
        assert!(issues(DELIVERY_ENTERPRISE, &ok).is_empty());
        assert_eq!(
            class(DELIVERY_ENTERPRISE, &ok, "three-in-one").as_deref(),
            Some("三位一体已落实")
        );
        // A closed enterprise is not asked.
        let closed = enterprise(false, true, true)
            .date("closed_date", "2022-01-01")
            .build();
        assert!(issues(DELIVERY_ENTERPRISE, &closed).is_empty());
    }

    #[test]
    fn international_mail_and_safety_staff() {
        let r = enterprise(true, true, true)
            .flag("international", true)
            .flag("international_screened", false)
            .integer("safety_staff", 0)
            .flag("safety_office", false)
            .build();
        let i = issues(DELIVERY_ENTERPRISE, &r);
        assert_eq!(i.len(), 3);
        assert_eq!(i[0].message, "国际和港澳台邮件快件须全面防控安检。");
        assert_eq!(i[1].field, "safety_staff");
        assert_eq!(i[1].message, "寄递企业须依法配备安全生产管理人员。");
        assert_eq!(i[2].severity, Severity::Info);
        let one = enterprise(true, true, true)
            .integer("safety_staff", 1)
            .build();
        assert!(issues(DELIVERY_ENTERPRISE, &one).is_empty());
        assert_eq!(
            class(DELIVERY_ENTERPRISE, &one, "safety-management").as_deref(),
            Some("安全生产管理人员1人")
        );
    }

    #[test]
    fn fixture_delivery_enterprises() {
        let records = vec![
            enterprise(true, true, true)
                .flag("international", true)
                .flag("international_screened", true)
                .build(),
            enterprise(true, false, true).build(),
            enterprise(true, true, true)
                .flag("international", true)
                .flag("international_screened", false)
                .date("closed_date", "2022-06-30")
                .build(),
            enterprise(true, true, true).build(),
        ];
        let at = desk_compute(DELIVERY_ENTERPRISE, &records, "2022-12-31");
        assert_close(value(&at, "postal-three-in-one"), 200.0 / 3.0, "2022");
        assert_eq!(value(&at, "international-mail-screened"), Some(100.0));
        let at = desk_compute(DELIVERY_ENTERPRISE, &records, "2022-06-29");
        assert_close(value(&at, "postal-three-in-one"), 75.0, "2022-06-29");
        assert_eq!(value(&at, "international-mail-screened"), Some(50.0));
        let none = desk_compute(DELIVERY_ENTERPRISE, &records[1..2], "2022-12-31");
        assert_eq!(value(&none, "international-mail-screened"), None);
        assert_every_target(DELIVERY_ENTERPRISE, &records, "2022-06-29");
    }

    fn inspection(on: &str, hazchem: bool, xray: bool) -> RecordBuilder {
        RecordBuilder::new("i")
            .text("enterprise", "某快递网点")
            .date("inspected_on", on)
            .flag("open_inspection_ok", true)
            .flag("real_name_ok", true)
            .flag("xray_ok", xray)
            .flag("hazchem_found", hazchem)
    }

    #[test]
    fn hazchem_found_is_a_violation_until_dealt_with() {
        let r = inspection("2021-05-01", true, true).build();
        let i = issues(DELIVERY_INSPECTION, &r);
        assert_eq!(i.len(), 2);
        assert_eq!(i[0].field, "hazchem_found");
        assert_eq!(i[1].field, "action");
        let dealt = inspection("2021-05-01", true, true)
            .text("action", "penalty")
            .build();
        assert_eq!(issues(DELIVERY_INSPECTION, &dealt).len(), 1);
        let clean = inspection("2021-05-01", false, true).build();
        assert!(issues(DELIVERY_INSPECTION, &clean).is_empty());
        let lax = inspection("2021-05-01", false, false).build();
        let i = issues(DELIVERY_INSPECTION, &lax);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].message, "检查发现“三位一体”未落实：过机安检。");
    }

    #[test]
    fn fixture_hazchem_mail_accepted() {
        let records = vec![
            inspection("2021-12-31", true, true).build(),
            inspection("2022-01-01", true, true).build(),
            inspection("2022-07-01", false, true).build(),
            inspection("2022-11-30", true, true).build(),
        ];
        let v = |as_of: &str| {
            value(
                &desk_compute(DELIVERY_INSPECTION, &records, as_of),
                "hazchem-mail-accepted",
            )
        };
        assert_eq!(v("2021-12-31"), Some(1.0));
        assert_eq!(v("2022-12-31"), Some(2.0));
        assert_eq!(v("2022-11-29"), Some(1.0));
        assert_eq!(v("2020-12-31"), Some(0.0));
        assert_every_target(DELIVERY_INSPECTION, &records, "2022-12-31");
    }
}
