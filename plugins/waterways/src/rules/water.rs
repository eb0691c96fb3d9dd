//! 水上交通 ((三)4–5, (四)8–10, (五)1, (六)4): the register of vessels (`vessel`, R18–R24)
//! and of wharves and ferries (`port-ferry`, R25–R27).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, Issue, TargetValue};

use super::common::{
    Finding, Share, by, failing, finding, is, no, not_ended, period_year, year_end, yes,
};

// ------------------------------------------------------------------ vessel

/// In service on `d`: put into service by then and not retired.
pub fn vessel_in_service<R: Fields + ?Sized>(r: &R, d: Date) -> bool {
    by(r, "in_service_from", d) && not_ended(r, "retired_date", d)
}

/// R18 — 「重点整治船舶配员不满足最低配员要求」 (L517): as many as the minimum is enough.
pub fn minimum_manning<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let required = r.number("crew_required")?;
    let onboard = r.number("crew_onboard")?;
    let reason = format!(
        "第517行：重点整治船舶配员不满足最低配员要求；最低安全配员{required}人，实际配员{onboard}人。"
    );
    Some(if onboard >= required {
        finding("minimum-manning", "配员满足最低要求", reason, Vec::new())
    } else {
        finding(
            "minimum-manning",
            "配员不足",
            reason,
            vec![Issue::warning(
                "crew_onboard",
                format!(
                    "船舶配员不满足最低配员要求：最低安全配员{required}人，实际配员{onboard}人。"
                ),
            )],
        )
    })
}

/// R19 — 「船员证书职务、等级、类别和航线不符合要求…核查船员是否人证相符」 and the
/// 《船员服务簿》 records (L517).
pub fn crew_certificates<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let items = [
        (
            "crew_certs_ok",
            "船员证书职务、等级、类别和航线不符合要求或人证不符",
        ),
        ("service_book_ok", "《船员服务簿》记载不真实"),
    ];
    let (field, bad) = failing(r, &items, |r, f| no(r, f));
    let reason = "第517行：开展船舶安全配员检查和《船员服务薄》记载情况专项核查，核查船员是否人证相符、证书是否伪造。";
    match field {
        Some(field) => Some(finding(
            "crew-certificates",
            "船员证书或服务簿不符",
            reason,
            vec![Issue::warning(field, format!("{}。", bad.join("；")))],
        )),
        None => items
            .iter()
            .all(|(f, _)| yes(r, f))
            .then(|| finding("crew-certificates", "船员证书相符", reason, Vec::new())),
    }
}

/// The three checks of L519 on life-saving equipment.
pub const LIFESAVING: [(&str, &str); 3] = [
    ("lifesaving_equipped", "未按规定配备"),
    ("lifesaving_certified", "未配备持证救生设备"),
    ("lifesaving_condition_ok", "技术状况差"),
];

/// R20 — 「重点整治船舶用救生设备产品不符合技术要求、国内船舶未配备持证救生设备、救生设备技术状况差等问题」 (L519).
pub fn lifesaving<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let (field, bad) = failing(r, &LIFESAVING, |r, f| no(r, f));
    let reason = "第519行：重点整治船舶用救生设备产品不符合技术要求、国内船舶未配备持证救生设备、救生设备技术状况差等问题。";
    match field {
        Some(field) => Some(finding(
            "lifesaving",
            "救生设备不符合要求",
            reason,
            vec![Issue::warning(
                field,
                format!("救生设备：{}。", bad.join("、")),
            )],
        )),
        None => LIFESAVING
            .iter()
            .all(|(f, _)| yes(r, f))
            .then(|| finding("lifesaving", "救生设备符合要求", reason, Vec::new())),
    }
}

/// R21 — the vessel's survey certificate is valid (「审批、换发时严格审查船舶相关登记、检验…证书」,
/// L524): valid through its last day.
pub fn vessel_survey<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> Option<Finding> {
    let t = today?;
    if !vessel_in_service(r, t) {
        return None;
    }
    let until = r.date("survey_valid_until")?;
    let reason =
        format!("第524行：严格审查船舶相关登记、检验等证书的有效性；检验证书有效期至{until}。");
    Some(if until >= t {
        finding("vessel-survey", "检验证书有效", reason, Vec::new())
    } else {
        finding(
            "vessel-survey",
            "检验证书过期",
            reason,
            vec![Issue::warning(
                "survey_valid_until",
                format!("船舶检验证书已过期（有效期至{until}）。"),
            )],
        )
    })
}

/// R22 — 《船舶营业运输证》 and the scope of business (L497, L523).
pub fn transport_licence<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    if !yes(r, "commercial") {
        return None;
    }
    let reason = "第497、523行：强化水上涉客运输企业及船舶超经营范围经营整治，规范《船舶营业运输证》配发时经营范围、船舶属性的核实。";
    let mut issues = Vec::new();
    if no(r, "transport_cert") {
        issues.push(Issue::warning(
            "transport_cert",
            "营运船舶须持有《船舶营业运输证》。",
        ));
    }
    if no(r, "scope_ok") {
        issues.push(Issue::warning(
            "scope_ok",
            "船舶超经营范围经营或船舶属性与证书不符。",
        ));
    }
    if !issues.is_empty() {
        return Some(finding("transport-licence", "营运证照不符", reason, issues));
    }
    yes(r, "transport_cert")
        .then(|| finding("transport-licence", "营运证照相符", reason, Vec::new()))
}

/// R23 — 「加强对乡镇自用船舶的监督管理,严格按照用途使用」 (L497).
pub fn township_vessel_use<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    if !is(r, "vessel_type", "township") {
        return None;
    }
    let reason = "第497行：加强对乡镇自用船舶的监督管理，严格按照用途使用。";
    match r.flag("used_as_intended")? {
        true => Some(finding(
            "township-vessel-use",
            "按用途使用",
            reason,
            Vec::new(),
        )),
        false => Some(finding(
            "township-vessel-use",
            "未按用途使用",
            reason,
            vec![Issue::warning(
                "used_as_intended",
                "乡镇自用船舶须严格按照用途使用，不得从事载客经营。",
            )],
        )),
    }
}

/// The field holding the 年度核查 of `year` (2020–2022).
pub fn annual_check_field(year: i32) -> &'static str {
    match year {
        2020 => "annual_check_2020",
        2021 => "annual_check_2021",
        _ => "annual_check_2022",
    }
}

/// R24 — 「深入开展国内水路运输年度核查」 (L524): each operating vessel, the last whole year.
pub fn annual_check<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> Option<Finding> {
    let t = today?;
    if !yes(r, "commercial") {
        return None;
    }
    let (year, end) = period_year(t);
    if !vessel_in_service(r, end) {
        return None;
    }
    let field = annual_check_field(year);
    let reason = "第524行：深入开展国内水路运输年度核查。";
    Some(if by(r, field, t) {
        finding(
            "annual-check",
            format!("{year}年度已核查"),
            reason,
            Vec::new(),
        )
    } else {
        finding(
            "annual-check",
            format!("{year}年度未核查"),
            reason,
            vec![Issue::warning(
                field,
                format!("{year}年度国内水路运输年度核查尚未登记。"),
            )],
        )
    })
}

/// water-annual-check: the fewest 年度核查 of the last whole year (0 or 1) among the
/// operating vessels in service at its end.
pub fn compute_vessel<R: Fields>(rows: impl IntoIterator<Item = R>, d: Date) -> Vec<TargetValue> {
    let (year, end) = period_year(d);
    let field = annual_check_field(year);
    let mut fewest: Option<f64> = None;
    for r in rows {
        if !(yes(&r, "commercial") && vessel_in_service(&r, end)) {
            continue;
        }
        let n = if by(&r, field, d) { 1.0 } else { 0.0 };
        fewest = Some(fewest.map_or(n, |f: f64| f.min(n)));
    }
    fewest
        .map(|v| TargetValue::district("water-annual-check", v))
        .into_iter()
        .collect()
}

// ------------------------------------------------------------------ port-ferry

/// 「港口客运企业按规定配备视频监控系统、安检设备(包括车辆安检设备)、身份证识读设备等」 (L534).
pub const PORT_EQUIPMENT: [(&str, &str); 3] = [
    ("cctv", "视频监控系统"),
    ("screening", "安检设备（包括车辆安检设备）"),
    ("id_reader", "身份证识读设备"),
];

/// 「2022年底前建立实施港口客运、危险货物作业安全生产责任保险制度」 (L534).
pub const INSURANCE_DUE: Date = year_end(2022);

/// Not closed by `d`.
pub fn port_open<R: Fields + ?Sized>(r: &R, d: Date) -> bool {
    not_ended(r, "closed_date", d)
}

/// A 港口客运 or 危险货物作业 wharf (the population of the insurance of L534).
pub fn insurance_kind<R: Fields + ?Sized>(r: &R) -> bool {
    matches!(
        r.choice("kind"),
        Some("passenger_terminal" | "dangerous_goods")
    )
}

/// Insured on `d`: in force from its start to its end day.
pub fn insured_on<R: Fields + ?Sized>(r: &R, d: Date) -> bool {
    by(r, "insured_from", d) && r.date("insured_until").is_none_or(|u| u >= d)
}

/// R25 — the equipment of a 港口客运 terminal (L534).
pub fn port_equipment<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> Option<Finding> {
    if !is(r, "kind", "passenger_terminal") || today.is_some_and(|t| !port_open(r, t)) {
        return None;
    }
    let (field, missing) = failing(r, &PORT_EQUIPMENT, |r, f| !yes(r, f));
    let reason = "第534行：港口客运企业按规定配备视频监控系统、安检设备（包括车辆安检设备）、身份证识读设备等，加强安检查危工作。";
    Some(match field {
        Some(field) => finding(
            "port-equipment",
            "设备配备不全",
            reason,
            vec![Issue::warning(
                field,
                format!("港口客运企业须按规定配备：{}。", missing.join("、")),
            )],
        ),
        None => finding("port-equipment", "设备配备齐全", reason, Vec::new()),
    })
}

/// R26 — the 安全生产责任保险 of L534, due by 2022-12-31: overdue from 2023-01-01.
pub fn port_insurance<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> Option<Finding> {
    if !insurance_kind(r) {
        return None;
    }
    let t = today?;
    if !port_open(r, t) {
        return None;
    }
    let reason = "第534行：2022年底前建立实施港口客运、危险货物作业安全生产责任保险制度。";
    Some(if insured_on(r, t) {
        finding(
            "port-insurance",
            "已投保安全生产责任保险",
            reason,
            Vec::new(),
        )
    } else if t > INSURANCE_DUE {
        finding(
            "port-insurance",
            "逾期未投保",
            reason,
            vec![Issue::warning(
                "insured_from",
                "2022年底前应建立实施安全生产责任保险：逾期未投保（或保险已到期）。",
            )],
        )
    } else {
        finding(
            "port-insurance",
            "待投保",
            reason,
            vec![Issue::warning(
                "insured_from",
                "须于2022年底前投保安全生产责任保险。",
            )],
        )
    })
}

/// R27 — 「重点水域严格执行国内水路旅客运输实名制管理规定」 (L524).
pub fn real_name_ticketing<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    if !matches!(r.choice("kind"), Some("passenger_terminal" | "ferry")) || !yes(r, "key_waters") {
        return None;
    }
    let reason = "第524行：重点水域严格执行国内水路旅客运输实名制管理规定。";
    Some(if yes(r, "real_name_ticketing") {
        finding("real-name-ticketing", "执行实名制", reason, Vec::new())
    } else {
        finding(
            "real-name-ticketing",
            "未执行实名制",
            reason,
            vec![Issue::warning(
                "real_name_ticketing",
                "重点水域须严格执行国内水路旅客运输实名制管理规定。",
            )],
        )
    })
}

/// port-passenger-equipment and port-liability-insurance, in one pass over the wharves
/// open on `d`.
pub fn compute_port_ferry<R: Fields>(
    rows: impl IntoIterator<Item = R>,
    d: Date,
) -> Vec<TargetValue> {
    let mut equipment = Share::default();
    let mut insured = Share::default();
    for r in rows {
        if !port_open(&r, d) {
            continue;
        }
        if is(&r, "kind", "passenger_terminal") {
            equipment.add(PORT_EQUIPMENT.iter().all(|(f, _)| yes(&r, f)));
        }
        if insurance_kind(&r) {
            insured.add(insured_on(&r, d));
        }
    }
    let mut out = Vec::new();
    equipment.push(&mut out, "port-passenger-equipment");
    insured.push(&mut out, "port-liability-insurance");
    out
}

#[cfg(test)]
mod tests {
    use anwei_plugin_sdk::Severity;
    use anwei_plugin_sdk::record::RecordBuilder;

    use super::super::testkit::*;
    use super::super::{PORT_FERRY, VESSEL};
    use super::*;

    fn vessel(kind: &str, commercial: bool) -> RecordBuilder {
        RecordBuilder::new("v")
            .text("vessel_name", "麒麟客1")
            .text("vessel_type", kind)
            .text("town", "潇湘街道")
            .flag("commercial", commercial)
            .date("in_service_from", "2019-05-01")
    }

    #[test]
    fn manning_at_the_minimum_is_enough_and_one_less_is_not() {
        let at = vessel("passenger", false)
            .integer("crew_required", 3)
            .integer("crew_onboard", 3)
            .build();
        assert!(issues(VESSEL, &at).is_empty());
        assert_eq!(
            class(VESSEL, &at, "minimum-manning").as_deref(),
            Some("配员满足最低要求")
        );
        let short = vessel("passenger", false)
            .integer("crew_required", 3)
            .integer("crew_onboard", 2)
            .build();
        let i = issues(VESSEL, &short);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "crew_onboard");
        assert_eq!(
            i[0].message,
            "船舶配员不满足最低配员要求：最低安全配员3人，实际配员2人。"
        );
    }

    #[test]
    fn certificates_lifesaving_licence_and_use() {
        let r = vessel("township", true)
            .flag("crew_certs_ok", false)
            .flag("service_book_ok", true)
            .flag("lifesaving_equipped", true)
            .flag("lifesaving_certified", false)
            .flag("lifesaving_condition_ok", false)
            .flag("transport_cert", false)
            .flag("scope_ok", false)
            .flag("used_as_intended", false)
            .date("annual_check_2021", "2021-09-01")
            .build();
        let msgs: Vec<String> = issues(VESSEL, &r).into_iter().map(|i| i.message).collect();
        assert_eq!(
            msgs,
            [
                "船员证书职务、等级、类别和航线不符合要求或人证不符。",
                "救生设备：未配备持证救生设备、技术状况差。",
                "营运船舶须持有《船舶营业运输证》。",
                "船舶超经营范围经营或船舶属性与证书不符。",
                "乡镇自用船舶须严格按照用途使用，不得从事载客经营。",
            ]
        );
    }

    #[test]
    fn a_survey_certificate_is_valid_through_its_last_day() {
        let r = vessel("passenger", false)
            .date("survey_valid_until", "2022-06-30")
            .build();
        assert!(validate(VESSEL, &r, Date::parse("2022-06-30")).is_empty());
        let i = validate(VESSEL, &r, Date::parse("2022-07-01"));
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].message, "船舶检验证书已过期（有效期至2022-06-30）。");
    }

    #[test]
    fn the_annual_check_is_of_the_last_whole_year() {
        let r = vessel("passenger", true)
            .flag("transport_cert", true)
            .date("annual_check_2021", "2022-02-15")
            .build();
        // On 2022-02-14 the 2021 check is not yet registered.
        let i = validate(VESSEL, &r, Date::parse("2022-02-14"));
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "annual_check_2021");
        assert_eq!(i[0].message, "2021年度国内水路运输年度核查尚未登记。");
        assert!(validate(VESSEL, &r, Date::parse("2022-02-15")).is_empty());
        // From 2022-12-31 it is 2022's turn.
        let i = validate(VESSEL, &r, Date::parse("2022-12-31"));
        assert_eq!(i[0].field, "annual_check_2022");
    }

    #[test]
    fn fixture_water_annual_check() {
        let records = vec![
            vessel("passenger", true)
                .date("annual_check_2020", "2020-11-01")
                .date("annual_check_2021", "2021-10-01")
                .build(),
            vessel("ferry", true)
                .date("annual_check_2020", "2020-12-01")
                .date("annual_check_2022", "2022-12-31")
                .build(),
            // Not commercial: no annual check.
            vessel("township", false).build(),
            // Retired on 2021-06-30: not in service at the end of 2021.
            vessel("passenger", true)
                .date("annual_check_2020", "2020-10-01")
                .date("retired_date", "2021-06-30")
                .build(),
        ];
        let v = |as_of: &str| value(&desk_compute(VESSEL, &records, as_of), "water-annual-check");
        assert_eq!(v("2020-12-31"), Some(1.0));
        assert_eq!(v("2020-11-15"), Some(0.0));
        assert_eq!(v("2021-12-31"), Some(0.0));
        assert_eq!(v("2022-12-30"), Some(0.0));
        // 2022: A has no 2022 check.
        assert_eq!(v("2022-12-31"), Some(0.0));
        let only_b = vec![records[1].clone(), records[2].clone()];
        let v = |as_of: &str| value(&desk_compute(VESSEL, &only_b, as_of), "water-annual-check");
        assert_eq!(v("2022-12-31"), Some(1.0));
        assert_eq!(v("2022-06-30"), Some(0.0));
        assert_eq!(
            value(
                &desk_compute(VESSEL, &records[2..3], "2022-12-31"),
                "water-annual-check"
            ),
            None
        );
        assert_every_target(VESSEL, &records, "2022-12-31");
    }

    fn port(kind: &str) -> RecordBuilder {
        RecordBuilder::new("p")
            .text("name", "某码头")
            .text("kind", kind)
            .text("town", "潇湘街道")
    }

    #[test]
    fn port_insurance_is_due_by_the_end_of_2022() {
        let r = port("dangerous_goods").build();
        let i = validate(PORT_FERRY, &r, Date::parse("2022-12-31"));
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].message, "须于2022年底前投保安全生产责任保险。");
        let c = classify(PORT_FERRY, &r, Date::parse("2023-01-01"));
        assert!(
            c.iter()
                .any(|c| c.rule == "port-insurance" && c.value == "逾期未投保")
        );
        let insured = port("dangerous_goods")
            .date("insured_from", "2022-01-01")
            .date("insured_until", "2022-12-31")
            .build();
        assert!(validate(PORT_FERRY, &insured, Date::parse("2022-12-31")).is_empty());
        assert_eq!(
            validate(PORT_FERRY, &insured, Date::parse("2023-01-01")).len(),
            1
        );
        assert!(
            validate(
                PORT_FERRY,
                &port("other").build(),
                Date::parse("2023-01-01")
            )
            .is_empty()
        );
    }

    #[test]
    fn passenger_terminals_are_equipped_and_real_name() {
        let r = port("passenger_terminal")
            .flag("cctv", true)
            .flag("screening", false)
            .flag("key_waters", true)
            .flag("real_name_ticketing", false)
            .date("insured_from", "2021-01-01")
            .build();
        let i = issues(PORT_FERRY, &r);
        assert_eq!(i.len(), 2);
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(
            i[0].message,
            "港口客运企业须按规定配备：安检设备（包括车辆安检设备）、身份证识读设备。"
        );
        assert_eq!(
            i[1].message,
            "重点水域须严格执行国内水路旅客运输实名制管理规定。"
        );
    }

    #[test]
    fn fixture_ports() {
        let full = |b: RecordBuilder| {
            b.flag("cctv", true)
                .flag("screening", true)
                .flag("id_reader", true)
        };
        let records = vec![
            full(port("passenger_terminal"))
                .date("insured_from", "2022-03-01")
                .build(),
            port("passenger_terminal").flag("cctv", true).build(),
            port("dangerous_goods")
                .date("insured_from", "2021-01-01")
                .date("insured_until", "2022-06-30")
                .build(),
            full(port("passenger_terminal"))
                .date("closed_date", "2022-01-01")
                .build(),
            port("ferry").build(),
        ];
        let at = desk_compute(PORT_FERRY, &records, "2022-12-31");
        assert_close(
            value(&at, "port-passenger-equipment"),
            50.0,
            "2022 equipment",
        );
        assert_close(
            value(&at, "port-liability-insurance"),
            100.0 / 3.0,
            "2022 insurance",
        );
        let at = desk_compute(PORT_FERRY, &records, "2021-12-31");
        assert_close(
            value(&at, "port-passenger-equipment"),
            200.0 / 3.0,
            "2021 equipment",
        );
        assert_close(
            value(&at, "port-liability-insurance"),
            25.0,
            "2021 insurance",
        );
        assert_every_target(PORT_FERRY, &records, "2022-12-31");
    }
}
