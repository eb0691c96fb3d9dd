//! 渔业船舶 ((三)6, (四)4–7, (六)7): the register of fishing vessels (`fishing-vessel`,
//! R28–R33; the plugin's main ledger) and the log of port exits (`fishing-departure`,
//! R34–R37).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, Issue, TargetValue};

use super::common::{
    Finding, Share, by, failing, finding, minute_stamp, minutes_of, no, not_ended, year_start, yes,
};

// ------------------------------------------------------------------ fishing-vessel

/// On the register on `d`: registered by then and not deregistered.
pub fn registered_on<R: Fields + ?Sized>(r: &R, d: Date) -> bool {
    by(r, "registered_date", d) && not_ended(r, "deregistered_date", d)
}

/// Surveyed and certified on `d`: the last survey on or before `d`, the certificate valid
/// through `d` (its last day included).
pub fn survey_valid_on<R: Fields + ?Sized>(r: &R, d: Date) -> bool {
    by(r, "last_survey_date", d) && r.date("survey_valid_until").is_some_and(|u| u >= d)
}

/// 「落实职务船员最低安全配员和持证上岗制度」 (L511): at least the minimum on board, and every
/// officer on board certified.
pub fn officers_ok<R: Fields + ?Sized>(r: &R) -> bool {
    match (
        r.number("officers_required"),
        r.number("officers_onboard"),
        r.number("officers_certified"),
    ) {
        (Some(req), Some(on), Some(cert)) => on >= req && cert >= on,
        _ => false,
    }
}

/// An 安全生产责任保险 in force on `d` (渔业互助保险 and other cover do not count, L540).
pub fn liability_insured_on<R: Fields + ?Sized>(r: &R, d: Date) -> bool {
    r.choices("insurance").contains(&"liability")
        && by(r, "insured_from", d)
        && r.date("insured_until").is_none_or(|u| u >= d)
}

/// R28 — 脱检 (L513–514): a registered vessel without a valid survey certificate.
pub fn fishing_survey<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> Option<Finding> {
    let t = today?;
    if !registered_on(r, t) {
        return None;
    }
    let reason = "第513—514行：对依法登记发证的渔船，依法受理和实施渔船检验；对依法登记的渔船未经检验、未取得检验证书擅自作业和应当申报营运检验或者临时检验而不申报的依法严肃查处。";
    if survey_valid_on(r, t) {
        return Some(finding("fishing-survey", "检验有效", reason, Vec::new()));
    }
    let (field, message) = match (r.date("last_survey_date"), r.date("survey_valid_until")) {
        (None, _) => (
            "last_survey_date",
            "脱检：依法登记的渔船未经检验，须申报渔船检验。".to_owned(),
        ),
        (Some(_), Some(u)) if u < t => (
            "survey_valid_until",
            format!("脱检：渔业船舶检验证书已过期（有效期至{u}），须申报营运检验或临时检验。"),
        ),
        _ => (
            "survey_valid_until",
            "脱检：未取得有效的渔业船舶检验证书。".to_owned(),
        ),
    };
    Some(finding(
        "fishing-survey",
        "脱检",
        reason,
        vec![Issue::warning(field, message)],
    ))
}

/// R29 — 职务船员 minimum manning and certificates (L511).
pub fn officer_manning<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let req = r.number("officers_required")?;
    let on = r.number("officers_onboard")?;
    let cert = r.number("officers_certified")?;
    let reason = format!(
        "第511行：落实职务船员最低安全配员和持证上岗制度；最低安全配员{req}人，实配{on}人，持证{cert}人。"
    );
    if cert > on {
        return Some(finding(
            "officer-manning",
            "数字有误",
            reason,
            vec![Issue::error(
                "officers_certified",
                "持证职务船员人数不能多于实配职务船员人数。",
            )],
        ));
    }
    let mut issues = Vec::new();
    if on < req {
        issues.push(Issue::warning(
            "officers_onboard",
            format!("职务船员配备不满足最低安全配员：应配{req}人，实配{on}人。"),
        ));
    }
    if cert < on {
        issues.push(Issue::warning(
            "officers_certified",
            format!("职务船员未全部持证上岗：实配{on}人，持证{cert}人。"),
        ));
    }
    let value = match (on < req, cert < on) {
        (false, false) => "配员持证达标",
        (true, false) => "职务船员缺配",
        (false, true) => "职务船员持证不全",
        (true, true) => "缺配且持证不全",
    };
    Some(finding("officer-manning", value, reason, issues))
}

/// R30 — 「切实提高普通船员持证上岗率」 (L511): a hint, there is no figure.
pub fn ordinary_crew<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let n = r.number("ordinary_crew")?;
    let c = r.number("ordinary_certified")?;
    let reason = "第511行：切实提高普通船员持证上岗率（原文未给目标值）。";
    if c > n {
        return Some(finding(
            "ordinary-crew",
            "数字有误",
            reason,
            vec![Issue::error(
                "ordinary_certified",
                "持证普通船员人数不能多于普通船员人数。",
            )],
        ));
    }
    if n <= 0.0 {
        return None;
    }
    let rate = c * 100.0 / n;
    let value = format!("普通船员持证率{rate:.1}%");
    let issues = if c < n {
        vec![Issue::info(
            "ordinary_certified",
            format!("普通船员{n}人中{c}人持证，须切实提高普通船员持证上岗率。"),
        )]
    } else {
        Vec::new()
    };
    Some(finding("ordinary-crew", value, reason, issues))
}

/// The radio problems of L509.
pub const RADIO: [(&str, &str); 3] = [
    ("radio_fitted", "未按标准规范配备渔业无线电设备"),
    ("radio_registered", "设备信息或电台识别码未登记备案"),
    ("code_match", "船码不符（一船多码、一码多船）"),
];

/// R31 — 渔业无线电 (L509).
pub fn fishing_radio<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let (field, bad) = failing(r, &RADIO, |r, f| no(r, f));
    let reason = "第509行：针对不按标准规范配备渔业无线电设备，设备信息未登记备案，以及“船码不符、一船多码、一码多船”等突出问题进行专项集中整治。";
    match field {
        Some(field) => Some(finding(
            "fishing-radio",
            "无线电管理问题",
            reason,
            vec![Issue::warning(
                field,
                format!("渔业无线电：{}。", bad.join("；")),
            )],
        )),
        None => RADIO
            .iter()
            .all(|(f, _)| yes(r, f))
            .then(|| finding("fishing-radio", "无线电管理规范", reason, Vec::new())),
    }
}

/// R32 — 「渔船脱管」 (L501).
pub fn out_of_control<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    yes(r, "out_of_control").then(|| {
        finding(
            "out-of-control",
            "脱管",
            "第501行：重点对渔船脱管和船舶不适航、船员不适任等违法违规行为进行专项执法检查。",
            vec![Issue::warning(
                "out_of_control",
                "渔船脱管，须列入专项执法检查重点整治。",
            )],
        )
    })
}

/// R33 — 安全记分 (L507): shown, never judged — 附件8 sets no score threshold.
pub fn safety_points<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let p = r.number("safety_points")?;
    let reason = "第507行：对未报告或检查发现问题的渔船，视情节轻重纳入安全记分管理或停航整改；附件8未规定记分分值和处理门槛（第528行要求制定《渔业船员违法违规记分办法》）。";
    Some(if p > 0.0 {
        finding("safety-points", format!("已记{p}分"), reason, Vec::new())
    } else {
        finding("safety-points", "未记分", reason, Vec::new())
    })
}

/// fishing-officers-manned, fishing-vessels-surveyed and fishery-liability-insurance: one
/// pass over the vessels on the register on `d`.
pub fn compute_fishing_vessel<R: Fields>(
    rows: impl IntoIterator<Item = R>,
    d: Date,
) -> Vec<TargetValue> {
    let mut officers = Share::default();
    let mut surveyed = Share::default();
    let mut insured = Share::default();
    for r in rows {
        if !registered_on(&r, d) {
            continue;
        }
        officers.add(officers_ok(&r));
        surveyed.add(survey_valid_on(&r, d));
        insured.add(liability_insured_on(&r, d));
    }
    let mut out = Vec::new();
    officers.push(&mut out, "fishing-officers-manned");
    surveyed.push(&mut out, "fishing-vessels-surveyed");
    insured.push(&mut out, "fishery-liability-insurance");
    out
}

// ------------------------------------------------------------------ fishing-departure

/// 「明确渔船出港前24小时之内要及时报告」 (L507), in minutes.
pub const REPORT_WINDOW_MINUTES: i64 = 24 * 60;

/// When a port exit was reported, against the 24 hours before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    /// Not reported.
    NotReported,
    /// Reported at or after the exit (minutes after): not a report 「出港前」.
    AfterDeparture(i64),
    /// Reported within the 24 hours before the exit (minutes ahead, 1 to 1440).
    InWindow(i64),
    /// Reported earlier than 24 hours before the exit (minutes ahead, over 1440).
    TooEarly(i64),
}

impl Timing {
    /// 未报: what 「未报必查」 applies to.
    pub fn unreported(self) -> bool {
        matches!(self, Timing::NotReported | Timing::AfterDeparture(_))
    }
}

/// The timing of the report of a port exit (`None`: no exit date, or a reported exit whose
/// date or time is missing or not a time of day; an exit not reported needs no time). A
/// report on the minute of the exit is not before it; one exactly 24 hours before is within
/// the 24 hours.
pub fn timing<R: Fields + ?Sized>(r: &R) -> Option<Timing> {
    let exit_day = r.date("departure_date")?;
    if !yes(r, "reported") {
        return Some(Timing::NotReported);
    }
    let exit = minute_stamp(exit_day, minutes_of(r.text("departure_time")?)?);
    let report = minute_stamp(r.date("report_date")?, minutes_of(r.text("report_time")?)?);
    let ahead = exit - report;
    Some(if ahead <= 0 {
        Timing::AfterDeparture(-ahead)
    } else if ahead <= REPORT_WINDOW_MINUTES {
        Timing::InWindow(ahead)
    } else {
        Timing::TooEarly(ahead)
    })
}

fn hours_minutes(m: i64) -> String {
    format!("{}小时{}分", m / 60, m % 60)
}

const TIME_FORMAT: &str = "时间写作“时:分”（24小时制），如 06:30。";

/// Errors of the times of day (the forms have no time kind: "HH:MM" texts).
pub fn time_errors<R: Fields + ?Sized>(r: &R) -> Vec<Issue> {
    let mut out = Vec::new();
    let mut check = |field: &str| {
        if let Some(t) = r.text(field)
            && !t.trim().is_empty()
            && minutes_of(t).is_none()
        {
            out.push(Issue::error(field, TIME_FORMAT));
        }
    };
    check("departure_time");
    if yes(r, "reported") {
        check("report_time");
    }
    out
}

/// R34 — 「明确渔船出港前24小时之内要及时报告」 (L507).
pub fn departure_report<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let rule = "departure-report-24h";
    let reason = "第507行：以渔船进出港报告为抓手，明确渔船出港前24小时之内要及时报告。";
    Some(match timing(r)? {
        Timing::InWindow(m) => finding(
            rule,
            "出港前24小时之内报告",
            format!("{reason}出港前{}报告。", hours_minutes(m)),
            Vec::new(),
        ),
        Timing::TooEarly(m) => finding(
            rule,
            "早于出港前24小时报告",
            format!("{reason}出港前{}报告。", hours_minutes(m)),
            vec![Issue::warning(
                "report_time",
                format!(
                    "报告时间早于出港前24小时（提前{}）：原文要求出港前24小时之内报告。",
                    hours_minutes(m)
                ),
            )],
        ),
        Timing::AfterDeparture(m) => finding(
            rule,
            "出港后报告",
            reason,
            vec![Issue::warning(
                "report_time",
                format!(
                    "报告时间不在出港之前（出港后{}），按未报告处理。",
                    hours_minutes(m)
                ),
            )],
        ),
        Timing::NotReported => finding(
            rule,
            "未报告",
            reason,
            vec![Issue::warning("reported", "出港前未报告。")],
        ),
    })
}

/// R35 — 「做到已报抽查、未报必查」 (L507).
pub fn must_check<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    if !timing(r)?.unreported() {
        return None;
    }
    let reason = "第507行：做到已报抽查、未报必查。";
    Some(match r.date("check_date") {
        Some(c) => finding(
            "unreported-must-check",
            "未报已查",
            format!("{reason}已于{c}检查。"),
            Vec::new(),
        ),
        None => finding(
            "unreported-must-check",
            "未报待查",
            reason,
            vec![Issue::warning(
                "check_date",
                "未报必查：未报告出港的渔船必须检查。",
            )],
        ),
    })
}

/// R36 — 「对未报告或检查发现问题的渔船,视情节轻重纳入安全记分管理或停航整改」 (L507).
pub fn points_or_suspension<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let unreported = timing(r).is_some_and(Timing::unreported);
    if !(unreported || yes(r, "problems_found")) {
        return None;
    }
    let reason = "第507行：对未报告或检查发现问题的渔船，视情节轻重纳入安全记分管理或停航整改。";
    Some(match r.choice("action") {
        Some("points") => finding(
            "points-or-suspension",
            "已纳入安全记分管理",
            reason,
            Vec::new(),
        ),
        Some("suspend") => finding("points-or-suspension", "已停航整改", reason, Vec::new()),
        _ => finding(
            "points-or-suspension",
            "待处理",
            reason,
            vec![Issue::warning(
                "action",
                "对未报告或检查发现问题的渔船，须视情节轻重纳入安全记分管理或停航整改。",
            )],
        ),
    })
}

/// R37 — 「严厉打击渔船超员超载超风级超航区航行」 (L501): at the capacity or rated wind force
/// is allowed, one more is not.
pub fn overload<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let mut found: Vec<(&str, String)> = Vec::new();
    let mut known = false;
    if let (Some(n), Some(cap)) = (r.number("crew_count"), r.number("crew_capacity")) {
        known = true;
        if n > cap {
            found.push(("crew_count", format!("超员（在船{n}人，核定{cap}人）")));
        }
    }
    if let Some(o) = r.flag("overloaded") {
        known = true;
        if o {
            found.push(("overloaded", "超载".to_owned()));
        }
    }
    if let (Some(w), Some(rated)) = (r.number("wind_force"), r.number("rated_wind")) {
        known = true;
        if w > rated {
            found.push((
                "wind_force",
                format!("超风级（风力{w}级，抗风等级{rated}级）"),
            ));
        }
    }
    if let Some(b) = r.flag("beyond_area") {
        known = true;
        if b {
            found.push(("beyond_area", "超航区".to_owned()));
        }
    }
    let reason = "第501行：严厉打击渔船超员超载超风级超航区航行。";
    let Some((field, _)) = found.first() else {
        return known.then(|| finding("overload", "未见超员超载超风级超航区", reason, Vec::new()));
    };
    let items: Vec<&str> = found.iter().map(|(_, s)| s.as_str()).collect();
    let short: Vec<&str> = found
        .iter()
        .map(|(_, s)| s.split('（').next().unwrap_or(s))
        .collect();
    Some(finding(
        "overload",
        short.join("、"),
        reason,
        vec![Issue::warning(field, format!("{}。", items.join("、")))],
    ))
}

/// departure-reported-in-time and unreported-departures-checked: one pass over the port
/// exits from 1 January of `d`'s year to `d`.
pub fn compute_fishing_departure<R: Fields>(
    rows: impl IntoIterator<Item = R>,
    d: Date,
) -> Vec<TargetValue> {
    let from = year_start(d.year);
    let mut in_time = Share::default();
    let mut checked = Share::default();
    for r in rows {
        if !r
            .date("departure_date")
            .is_some_and(|x| x >= from && x <= d)
        {
            continue;
        }
        let t = timing(&r);
        in_time.add(matches!(t, Some(Timing::InWindow(_))));
        if t.is_some_and(Timing::unreported) {
            checked.add(by(&r, "check_date", d));
        }
    }
    let mut out = Vec::new();
    in_time.push(&mut out, "departure-reported-in-time");
    checked.push(&mut out, "unreported-departures-checked");
    out
}

#[cfg(test)]
mod tests {
    use anwei_plugin_sdk::Severity;
    use anwei_plugin_sdk::record::RecordBuilder;

    use super::super::testkit::*;
    use super::super::{FISHING_DEPARTURE, FISHING_VESSEL};
    use super::*;

    fn vessel(registered: &str) -> RecordBuilder {
        RecordBuilder::new("f")
            .text("vessel_name", "滇麒渔001")
            .text("owner", "李四")
            .text("town", "越州镇")
            .text("vessel_kind", "inland")
            .date("registered_date", registered)
    }

    fn officers(b: RecordBuilder, req: i64, on: i64, cert: i64) -> RecordBuilder {
        b.integer("officers_required", req)
            .integer("officers_onboard", on)
            .integer("officers_certified", cert)
    }

    fn surveyed(b: RecordBuilder, on: &str, until: &str) -> RecordBuilder {
        b.date("last_survey_date", on)
            .date("survey_valid_until", until)
    }

    #[test]
    fn a_certificate_valid_until_today_is_valid_and_tomorrow_it_is_not() {
        let r = surveyed(vessel("2019-01-01"), "2021-07-01", "2022-06-30").build();
        assert!(validate(FISHING_VESSEL, &r, Date::parse("2022-06-30")).is_empty());
        let i = validate(FISHING_VESSEL, &r, Date::parse("2022-07-01"));
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(i[0].field, "survey_valid_until");
        assert_eq!(
            i[0].message,
            "脱检：渔业船舶检验证书已过期（有效期至2022-06-30），须申报营运检验或临时检验。"
        );
        let never = vessel("2019-01-01").build();
        let i = issues(FISHING_VESSEL, &never);
        assert_eq!(i[0].field, "last_survey_date");
        assert_eq!(
            i[0].message,
            "脱检：依法登记的渔船未经检验，须申报渔船检验。"
        );
        // Deregistered: no longer asked.
        let gone = vessel("2019-01-01")
            .date("deregistered_date", "2021-01-01")
            .build();
        assert!(issues(FISHING_VESSEL, &gone).is_empty());
    }

    #[test]
    fn officers_at_the_minimum_and_all_certified_are_enough() {
        let base = || surveyed(vessel("2019-01-01"), "2022-01-01", "2023-01-01");
        let ok = officers(base(), 2, 2, 2).build();
        assert!(issues(FISHING_VESSEL, &ok).is_empty());
        assert!(officers_ok(&ok));
        assert_eq!(
            class(FISHING_VESSEL, &ok, "officer-manning").as_deref(),
            Some("配员持证达标")
        );
        let short = officers(base(), 2, 1, 1).build();
        let i = issues(FISHING_VESSEL, &short);
        assert_eq!(i.len(), 1);
        assert_eq!(
            i[0].message,
            "职务船员配备不满足最低安全配员：应配2人，实配1人。"
        );
        let uncertified = officers(base(), 2, 3, 2).build();
        let i = issues(FISHING_VESSEL, &uncertified);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "officers_certified");
        assert_eq!(i[0].message, "职务船员未全部持证上岗：实配3人，持证2人。");
        assert!(!officers_ok(&uncertified));
        let wrong = officers(base(), 2, 2, 3).build();
        let i = issues(FISHING_VESSEL, &wrong);
        assert_eq!(i[0].severity, Severity::Error);
    }

    #[test]
    fn radio_crew_points_and_out_of_control() {
        let r = officers(
            surveyed(vessel("2019-01-01"), "2022-01-01", "2023-01-01"),
            1,
            1,
            1,
        )
        .flag("radio_fitted", true)
        .flag("radio_registered", false)
        .flag("code_match", false)
        .integer("ordinary_crew", 4)
        .integer("ordinary_certified", 3)
        .integer("safety_points", 6)
        .flag("out_of_control", true)
        .build();
        let i = issues(FISHING_VESSEL, &r);
        let msgs: Vec<&str> = i.iter().map(|i| i.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "普通船员4人中3人持证，须切实提高普通船员持证上岗率。",
                "渔业无线电：设备信息或电台识别码未登记备案；船码不符（一船多码、一码多船）。",
                "渔船脱管，须列入专项执法检查重点整治。",
            ]
        );
        assert_eq!(i[0].severity, Severity::Info);
        assert_eq!(
            class(FISHING_VESSEL, &r, "safety-points").as_deref(),
            Some("已记6分")
        );
        assert_eq!(
            class(FISHING_VESSEL, &r, "ordinary-crew").as_deref(),
            Some("普通船员持证率75.0%")
        );
    }

    #[test]
    fn fixture_fishing_vessels() {
        let liability = |b: RecordBuilder, from: &str, until: &str| {
            b.choices("insurance", &["liability", "mutual"])
                .date("insured_from", from)
                .date("insured_until", until)
        };
        let records = vec![
            // A: manned, surveyed through 2022, insured for 2022.
            liability(
                officers(
                    surveyed(vessel("2018-03-01"), "2020-05-01", "2022-12-31"),
                    2,
                    2,
                    2,
                ),
                "2022-01-01",
                "2022-12-31",
            )
            .build(),
            // B: one officer short; survey lapsed mid-2022; only mutual insurance.
            officers(
                surveyed(vessel("2019-06-01"), "2019-06-01", "2022-06-30"),
                2,
                1,
                1,
            )
            .choices("insurance", &["mutual"])
            .date("insured_from", "2020-01-01")
            .build(),
            // C: registered in 2022, never surveyed, officers uncertified.
            officers(vessel("2022-03-01"), 1, 1, 0).build(),
            // D: deregistered at the start of 2022.
            officers(
                surveyed(vessel("2015-01-01"), "2020-01-01", "2025-01-01"),
                1,
                1,
                1,
            )
            .date("deregistered_date", "2022-01-01")
            .build(),
        ];
        let at = desk_compute(FISHING_VESSEL, &records, "2022-12-31");
        assert_close(
            value(&at, "fishing-officers-manned"),
            100.0 / 3.0,
            "officers",
        );
        assert_close(
            value(&at, "fishing-vessels-surveyed"),
            100.0 / 3.0,
            "survey",
        );
        assert_close(
            value(&at, "fishery-liability-insurance"),
            100.0 / 3.0,
            "insurance",
        );
        let at = desk_compute(FISHING_VESSEL, &records, "2021-12-31");
        // A, B, D registered: A and D manned; A, B, D surveyed; nobody insured yet.
        assert_close(
            value(&at, "fishing-officers-manned"),
            200.0 / 3.0,
            "2021 officers",
        );
        assert_eq!(value(&at, "fishing-vessels-surveyed"), Some(100.0));
        assert_eq!(value(&at, "fishery-liability-insurance"), Some(0.0));
        let at = desk_compute(FISHING_VESSEL, &records, "2023-01-01");
        assert_eq!(value(&at, "fishing-vessels-surveyed"), Some(0.0));
        assert_eq!(value(&at, "fishery-liability-insurance"), Some(0.0));
        let at = desk_compute(FISHING_VESSEL, &records, "2014-12-31");
        assert!(at.is_empty(), "{at:?}");
        assert_every_target(FISHING_VESSEL, &records, "2022-12-31");
    }

    fn exit(date: &str, time: &str) -> RecordBuilder {
        RecordBuilder::new("x")
            .text("vessel_name", "滇麒渔001")
            .date("departure_date", date)
            .text("departure_time", time)
    }

    fn reported(b: RecordBuilder, date: &str, time: &str) -> RecordBuilder {
        b.flag("reported", true)
            .date("report_date", date)
            .text("report_time", time)
            .text("reporter", "captain")
    }

    #[test]
    fn a_report_exactly_24_hours_ahead_is_within_and_a_minute_earlier_is_not() {
        let at = |date: &str, time: &str| {
            let r = reported(exit("2022-05-02", "06:30"), date, time).build();
            (timing(&r), issues(FISHING_DEPARTURE, &r))
        };
        let (t, i) = at("2022-05-01", "06:30");
        assert_eq!(t, Some(Timing::InWindow(1440)));
        assert!(i.is_empty(), "{i:?}");
        let (t, i) = at("2022-05-01", "06:29");
        assert_eq!(t, Some(Timing::TooEarly(1441)));
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(i[0].field, "report_time");
        assert_eq!(
            i[0].message,
            "报告时间早于出港前24小时（提前24小时1分）：原文要求出港前24小时之内报告。"
        );
        let (t, _) = at("2022-05-02", "06:29");
        assert_eq!(t, Some(Timing::InWindow(1)));
        // At the minute of the exit: not before it, so 未报 — and 必查.
        let (t, i) = at("2022-05-02", "06:30");
        assert_eq!(t, Some(Timing::AfterDeparture(0)));
        let fields: Vec<&str> = i.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["report_time", "check_date", "action"]);
        assert_eq!(
            i[0].message,
            "报告时间不在出港之前（出港后0小时0分），按未报告处理。"
        );
        assert_eq!(i[1].message, "未报必查：未报告出港的渔船必须检查。");
    }

    #[test]
    fn an_unreported_exit_must_be_checked_and_dealt_with() {
        let r = exit("2022-05-02", "06:30").flag("reported", false).build();
        let i = issues(FISHING_DEPARTURE, &r);
        let fields: Vec<&str> = i.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["reported", "check_date", "action"]);
        let done = exit("2022-05-02", "06:30")
            .flag("reported", false)
            .date("check_date", "2022-05-03")
            .text("action", "points")
            .build();
        // The exit stays unreported: the warning stands, the check and the action are done.
        let i = issues(FISHING_DEPARTURE, &done);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "reported");
        assert_eq!(i[0].message, "出港前未报告。");
        assert_eq!(
            class(FISHING_DEPARTURE, &done, "points-or-suspension").as_deref(),
            Some("已纳入安全记分管理")
        );
        // A reported exit whose check found problems is dealt with too.
        let found = reported(exit("2022-05-02", "06:30"), "2022-05-02", "05:00")
            .date("check_date", "2022-05-02")
            .flag("problems_found", true)
            .build();
        let i = issues(FISHING_DEPARTURE, &found);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "action");
    }

    #[test]
    fn a_time_of_day_that_is_not_one_is_an_error() {
        let r = reported(exit("2022-05-02", "6.30"), "2022-05-01", "25:00").build();
        let i = issues(FISHING_DEPARTURE, &r);
        let errors: Vec<&str> = i
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .map(|i| i.field.as_str())
            .collect();
        assert_eq!(errors, ["departure_time", "report_time"]);
        assert_eq!(i[0].message, "时间写作“时:分”（24小时制），如 06:30。");
        assert_eq!(timing(&r), None);
    }

    #[test]
    fn at_capacity_and_rated_wind_is_allowed_and_one_more_is_not() {
        let b = || {
            reported(exit("2022-05-02", "06:30"), "2022-05-02", "05:00")
                .integer("crew_capacity", 10)
                .integer("rated_wind", 6)
                .flag("overloaded", false)
                .flag("beyond_area", false)
        };
        let ok = b()
            .integer("crew_count", 10)
            .integer("wind_force", 6)
            .build();
        assert!(issues(FISHING_DEPARTURE, &ok).is_empty());
        assert_eq!(
            class(FISHING_DEPARTURE, &ok, "overload").as_deref(),
            Some("未见超员超载超风级超航区")
        );
        let over = b()
            .integer("crew_count", 11)
            .integer("wind_force", 7)
            .build();
        let i = issues(FISHING_DEPARTURE, &over);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "crew_count");
        assert_eq!(
            i[0].message,
            "超员（在船11人，核定10人）、超风级（风力7级，抗风等级6级）。"
        );
        assert_eq!(
            class(FISHING_DEPARTURE, &over, "overload").as_deref(),
            Some("超员、超风级")
        );
    }

    #[test]
    fn fixture_fishing_departures() {
        let records = vec![
            // A: reported 2 h ahead.
            reported(exit("2022-03-01", "08:00"), "2022-03-01", "06:00").build(),
            // B: reported 30 h ahead (too early): reported, not in the window.
            reported(exit("2022-04-02", "12:00"), "2022-04-01", "06:00").build(),
            // C: not reported, checked the next day.
            exit("2022-05-01", "07:00")
                .flag("reported", false)
                .date("check_date", "2022-05-02")
                .build(),
            // D: reported after the exit, not checked.
            reported(exit("2022-06-01", "07:00"), "2022-06-01", "09:00").build(),
            // E: exactly 24 h ahead, in the previous year.
            reported(exit("2021-12-31", "07:00"), "2021-12-30", "07:00").build(),
        ];
        let v = |as_of: &str| desk_compute(FISHING_DEPARTURE, &records, as_of);
        let at = v("2022-12-31");
        assert_close(
            value(&at, "departure-reported-in-time"),
            25.0,
            "2022 in time",
        );
        assert_close(
            value(&at, "unreported-departures-checked"),
            50.0,
            "2022 checked",
        );
        let at = v("2022-05-01");
        // A, B, C so far; C not yet checked on the day of its exit.
        assert_close(
            value(&at, "departure-reported-in-time"),
            100.0 / 3.0,
            "05-01",
        );
        assert_eq!(value(&at, "unreported-departures-checked"), Some(0.0));
        let at = v("2021-12-31");
        assert_eq!(value(&at, "departure-reported-in-time"), Some(100.0));
        assert_eq!(value(&at, "unreported-departures-checked"), None);
        assert!(v("2022-01-01").is_empty());
        assert_every_target(FISHING_DEPARTURE, &records, "2022-12-31");
    }
}
