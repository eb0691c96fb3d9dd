//! The recurring duties and their records (rules.md Part A, D1–D7; Part B): `bulletin` 通报记录,
//! `special-campaign` 重点交通违法专项整治记录, `drug-driver-cleanup` 吸毒驾驶人清理排查记录,
//! `warning-education` 警示教育记录, and the two records of dated targets: `accident-stats`
//! 网上处理月统计 and `publicity-activity` 文明交通宣传教育活动记录.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, Issue, RecordBatch, TargetValue};

use super::common::{
    CAMPAIGN_START, Every, Finding, has, is_any, judged_on, month_end, value, within,
};

pub(crate) const BULLETIN: &str = "bulletin";
pub(crate) const SPECIAL_CAMPAIGN: &str = "special-campaign";
pub(crate) const DRUG_CLEANUP: &str = "drug-driver-cleanup";
pub(crate) const WARNING_EDUCATION: &str = "warning-education";
pub(crate) const ACCIDENT_STATS: &str = "accident-stats";
pub(crate) const PUBLICITY: &str = "publicity-activity";

pub(crate) const VIOLATION_MONTHLY: &str = "violation-analysis-monthly";
pub(crate) const VIOLATION_HALF_YEARLY: &str = "violation-analysis-half-yearly";
pub(crate) const VIOLATION_YEARLY: &str = "violation-analysis-yearly";
pub(crate) const KEY_VEHICLE_MONTHLY: &str = "key-vehicle-violation-monthly";
pub(crate) const HAZARD_LIST_MONTHLY: &str = "hazard-list-monthly";
pub(crate) const SPECIAL_CAMPAIGNS: &str = "special-campaigns";
pub(crate) const CLEANUP_MONTHLY: &str = "drug-driver-cleanup-monthly";
pub(crate) const WARNING_EDUCATION_YEARLY: &str = "warning-education";
pub(crate) const ONLINE_RATE: &str = "online-handling-rate";
pub(crate) const FIVE_INTO: &str = "five-into-venues";

// ------------------------------------------------------------------ bulletin

/// The 交通违法分析研判和通报 period a bulletin counts for (L429 「每月、半年、全年」).
fn analysis_period(r: &impl Fields) -> Option<Every> {
    if !is_any(r, "bulletin_type", &["violation_analysis"]) {
        return None;
    }
    match r.choice("period_kind")? {
        "monthly" => Some(Every::Month),
        "half_yearly" => Some(Every::HalfYear),
        "yearly" => Some(Every::Year),
        _ => None,
    }
}

/// L446: a 隐患清单 bulletin counts when it went to both 交通运输 and 应急管理.
fn hazard_list_missing(r: &impl Fields) -> Vec<&'static str> {
    [("transport", "交通运输部门"), ("emergency", "应急管理部门")]
        .into_iter()
        .filter(|(c, _)| !has(r, "recipients", c))
        .map(|(_, l)| l)
        .collect()
}

/// Whether a bulletin is a 隐患清单 bulletin that counts (D1, L446).
pub(crate) fn counts_as_hazard_list(r: &impl Fields) -> bool {
    is_any(r, "bulletin_type", &["hazard_list"]) && hazard_list_missing(r).is_empty()
}

const LINE_446: &str = "第446行：每月对照问题隐患清单，将隐患车辆、驾驶人及企业清单通报交通运输、应急管理部门，联合约谈曝光一批隐患突出的企业。";

fn bulletin_findings(r: &impl Fields) -> Vec<Finding> {
    let rule = "bulletin-counts";
    match r.choice("bulletin_type") {
        Some("violation_analysis") => {
            let reason = "第429行：每月、半年、全年分别进行交通违法分析研判和通报。";
            vec![match r.choice("period_kind") {
                Some("monthly") => Finding::new(rule, "计入每月交通违法分析研判和通报", reason),
                Some("half_yearly") => {
                    Finding::new(rule, "计入每半年交通违法分析研判和通报", reason)
                }
                Some("yearly") => Finding::new(rule, "计入全年交通违法分析研判和通报", reason),
                _ => Finding::new(rule, "未计入：未选择分析研判周期", reason).with(Issue::warning(
                    "period_kind",
                    "请选择分析研判周期（每月、半年、全年）。",
                )),
            }]
        }
        Some("key_vehicle_violation") => vec![Finding::new(
            rule,
            "计入重点车辆交通违法每月通报",
            "第437行：完善重点车辆交通违法每月通报制度。",
        )],
        Some("hazard_list") => {
            let missing = hazard_list_missing(r);
            let mut out = Vec::new();
            if missing.is_empty() {
                out.push(Finding::new(rule, "计入每月隐患清单通报", LINE_446));
            } else {
                out.push(
                    Finding::new(rule, "未计入：未通报交通运输、应急管理部门", LINE_446).with(Issue::warning(
                        "recipients",
                        format!(
                            "隐患车辆、驾驶人及企业清单应通报交通运输、应急管理部门（第446行）：尚未选择{}。",
                            missing.join("、")
                        ),
                    )),
                );
            }
            let interviewed = r.number("enterprises_interviewed").unwrap_or(0.0);
            let exposed = r.number("enterprises_exposed").unwrap_or(0.0);
            if interviewed + exposed <= 0.0 {
                out.push(
                    Finding::new("interview-exposure", "本次未约谈曝光企业", LINE_446).with(Issue::info(
                        "enterprises_interviewed",
                        "对照隐患清单联合约谈曝光一批隐患突出的企业（第446行）：本次未登记约谈、曝光企业。",
                    )),
                );
            } else {
                out.push(Finding::new(
                    "interview-exposure",
                    format!("约谈{interviewed}家、曝光{exposed}家"),
                    LINE_446,
                ));
            }
            out
        }
        _ => Vec::new(),
    }
}

fn bulletin_compute<R: Fields>(rows: impl IntoIterator<Item = R>, as_of: Date) -> Vec<TargetValue> {
    let month = Every::Month.window(as_of);
    let half = Every::HalfYear.window(as_of);
    let year = Every::Year.window(as_of);
    let (mut vm, mut vh, mut vy, mut kv, mut hl) = (0u32, 0u32, 0u32, 0u32, 0u32);
    for r in rows {
        let issued = r.date("issued_on");
        match analysis_period(&r) {
            Some(Every::Month) => vm += u32::from(within(issued, month)),
            Some(Every::HalfYear) => vh += u32::from(within(issued, half)),
            Some(Every::Year) => vy += u32::from(within(issued, year)),
            None => {}
        }
        if is_any(&r, "bulletin_type", &["key_vehicle_violation"]) {
            kv += u32::from(within(issued, month));
        }
        if counts_as_hazard_list(&r) {
            hl += u32::from(within(issued, month));
        }
    }
    vec![
        value(VIOLATION_MONTHLY, f64::from(vm)),
        value(VIOLATION_HALF_YEARLY, f64::from(vh)),
        value(VIOLATION_YEARLY, f64::from(vy)),
        value(KEY_VEHICLE_MONTHLY, f64::from(kv)),
        value(HAZARD_LIST_MONTHLY, f64::from(hl)),
    ]
}

// ------------------------------------------------------------------ special-campaign

fn campaign_findings(r: &impl Fields) -> Vec<Finding> {
    let reason = "第429行：每年组织开展3至5个重点交通违法专项整治。";
    let Some(start) = r.date("started_on") else {
        return Vec::new();
    };
    let mut f = Finding::new("campaign-year", format!("计入{}年", start.year), reason);
    if let Some(end) = r.date("ended_on")
        && end < start
    {
        f = f.with(Issue::error("ended_on", "结束日期早于开始日期。"));
    }
    vec![f]
}

fn campaign_compute<R: Fields>(rows: impl IntoIterator<Item = R>, as_of: Date) -> Vec<TargetValue> {
    let year = Every::Year.window(as_of);
    let n = rows
        .into_iter()
        .filter(|r| within(r.date("started_on"), year))
        .count();
    vec![value(SPECIAL_CAMPAIGNS, n as f64)]
}

// ------------------------------------------------------------------ drug-driver-cleanup

fn cleanup_findings(r: &impl Fields) -> Vec<Finding> {
    let listed = r.number("listed_count").unwrap_or(0.0);
    let cancelled = r.number("voluntary_cancelled").unwrap_or(0.0)
        + r.number("cancelled_by_rule").unwrap_or(0.0);
    let mut out = Vec::new();
    for (field, n, what) in [
        (
            "notified_count",
            r.number("notified_count").unwrap_or(0.0),
            "已告知人数",
        ),
        ("voluntary_cancelled", cancelled, "注销人数"),
        (
            "key_vehicle_drivers",
            r.number("key_vehicle_drivers").unwrap_or(0.0),
            "驾驶重点车辆人数",
        ),
    ] {
        if n > listed {
            out.push(
                Finding::new("cleanup-counts", "人数待核对", "第450行：按照支队每月通报的未注销驾驶证的吸毒成瘾未戒除驾驶人员情况，每月组织集中开展一次清理排查。")
                    .with(Issue::warning(field, format!("{what}多于支队通报的人数，请核对。"))),
            );
        }
    }
    out
}

fn cleanup_compute<R: Fields>(rows: impl IntoIterator<Item = R>, as_of: Date) -> Vec<TargetValue> {
    let month = Every::Month.window(as_of);
    let n = rows
        .into_iter()
        .filter(|r| within(r.date("held_on"), month))
        .count();
    vec![value(CLEANUP_MONTHLY, n as f64)]
}

// ------------------------------------------------------------------ warning-education

/// The audience L452 names: 企业负责人、安全管理员和所属违法驾驶人.
const L452_AUDIENCE: [&str; 3] = ["principal", "safety_manager", "violating_driver"];

/// D5 — a session counts for L452 when it is for 两客一危一货 enterprises and its audience
/// includes their 负责人, 安全管理员 or 违法驾驶人.
pub(crate) fn counts_for_l452(r: &impl Fields) -> bool {
    !r.choices("enterprise_kinds").is_empty() && L452_AUDIENCE.iter().any(|a| has(r, "audience", a))
}

fn education_findings(r: &impl Fields) -> Vec<Finding> {
    let reason = "第452行：会同交通运输、应急管理部门，每年组织“两客一危一货”道路运输企业负责人、安全管理员和所属违法驾驶人进行交通安全警示教育不少于6次。";
    if !counts_for_l452(r) {
        return vec![Finding::new(
            "warning-education-counts",
            "不计入“两客一危一货”警示教育次数",
            format!("{reason}本次对象不含“两客一危一货”企业的负责人、安全管理员或所属违法驾驶人。"),
        )];
    }
    let missing: Vec<&str> = [("transport", "交通运输部门"), ("emergency", "应急管理部门")]
        .into_iter()
        .filter(|(c, _)| !has(r, "joint_with", c))
        .map(|(_, l)| l)
        .collect();
    let f = Finding::new(
        "warning-education-counts",
        "计入“两客一危一货”警示教育次数",
        reason,
    );
    if missing.is_empty() {
        vec![f]
    } else {
        vec![f.with(Issue::warning(
            "joint_with",
            format!(
                "应会同交通运输、应急管理部门组织（第452行）：未选择{}。",
                missing.join("、")
            ),
        ))]
    }
}

fn education_compute<R: Fields>(
    rows: impl IntoIterator<Item = R>,
    as_of: Date,
) -> Vec<TargetValue> {
    let year = Every::Year.window(as_of);
    let n = rows
        .into_iter()
        .filter(|r| within(r.date("held_on"), year) && counts_for_l452(r))
        .count();
    vec![value(WARNING_EDUCATION_YEARLY, n as f64)]
}

// ------------------------------------------------------------------ accident-stats

/// The years the online-handling ratio reads: 2022 and the year before each campaign year.
const FIRST_STAT_YEAR: i32 = 2019;
const STAT_YEARS: usize = 4;

/// Month `(year, month)` of a record, when it is one of the statistics' cells.
fn stat_cell(r: &impl Fields) -> Option<usize> {
    let y = r.number("stat_year")?;
    let m = r.number("stat_month")?;
    if y.fract() != 0.0 || m.fract() != 0.0 || !(1.0..=12.0).contains(&m) {
        return None;
    }
    let year = y as i64 - i64::from(FIRST_STAT_YEAR);
    if !(0..STAT_YEARS as i64).contains(&year) {
        return None;
    }
    Some(year as usize * 12 + m as usize - 1)
}

fn stats_findings(r: &impl Fields, today: Option<Date>) -> Vec<Finding> {
    let (Some(y), Some(m), Some(today)) = (r.number("stat_year"), r.number("stat_month"), today)
    else {
        return Vec::new();
    };
    if !(1.0..=12.0).contains(&m) || y.fract() != 0.0 || m.fract() != 0.0 {
        return Vec::new();
    }
    if month_end(y as i32, m as u32) > today {
        vec![
            Finding::new(
                "month-ended",
                "统计月份尚未结束",
                "该月结束后方计入网上处理比例。",
            )
            .with(Issue::warning(
                "stat_month",
                "统计月份尚未结束：该月结束后方计入网上处理比例。",
            )),
        ]
    } else {
        Vec::new()
    }
}

/// `online-handling-rate` (rules.md Part B) — online cases of the ended months of D's year over the property-loss accidents of the
/// same months a year earlier (months with a record in both years).
fn stats_compute<R: Fields>(rows: impl IntoIterator<Item = R>, as_of: Date) -> Vec<TargetValue> {
    let mut online = [0.0f64; STAT_YEARS * 12];
    let mut loss = [0.0f64; STAT_YEARS * 12];
    let mut present = [false; STAT_YEARS * 12];
    for r in rows {
        if let Some(i) = stat_cell(&r) {
            online[i] += r.number("online_cases").unwrap_or(0.0);
            loss[i] += r.number("property_loss_accidents").unwrap_or(0.0);
            present[i] = true;
        }
    }
    let d = judged_on(as_of);
    let months = if d == month_end(d.year, d.month) {
        d.month
    } else {
        d.month - 1
    };
    let year = d.year - FIRST_STAT_YEAR;
    if !(1..STAT_YEARS as i32).contains(&year) {
        return Vec::new();
    }
    let (this, last) = (year as usize * 12, (year as usize - 1) * 12);
    let (mut num, mut den) = (0.0, 0.0);
    for m in 0..months as usize {
        if present[this + m] && present[last + m] {
            num += online[this + m];
            den += loss[last + m];
        }
    }
    if den > 0.0 {
        vec![value(ONLINE_RATE, num * 100.0 / den)]
    } else {
        Vec::new()
    }
}

// ------------------------------------------------------------------ publicity-activity

/// The five venues of 「“五进”活动(进农村、进社区、进企业、进学校、进家庭)」 (L454).
const VENUES: [&str; 5] = ["rural", "community", "enterprise", "school", "family"];

/// The five items of the 驾校“五个一”活动 (L454).
const FIVE_ONES: [(&str, &str); 5] = [
    ("base", "一个交通安全宣传教育阵地或基地"),
    ("lecture", "一堂文明交通法治课"),
    ("film", "一部交通安全警示教育片"),
    ("volunteer", "一次文明交通志愿服务"),
    ("oath", "一场文明守法驾驶宣誓仪式"),
];

fn publicity_findings(r: &impl Fields) -> Vec<Finding> {
    let reason = "第454行：广泛开展文明交通安全宣传“五进”活动(进农村、进社区、进企业、进学校、进家庭)；深入开展文明交通进驾校“五个一”活动。";
    match r.choice("kind") {
        Some("five_into") if r.choice("venue").is_none() => vec![
            Finding::new("five-into", "未选择场所", reason).with(Issue::warning(
                "venue",
                "请选择“五进”场所（农村、社区、企业、学校、家庭）。",
            )),
        ],
        Some("driving_school") => {
            let missing: Vec<&str> = FIVE_ONES
                .iter()
                .filter(|(c, _)| !has(r, "five_ones", c))
                .map(|(_, l)| *l)
                .collect();
            let mut f = if missing.is_empty() {
                Finding::new("five-ones", "“五个一”已全部开展", reason)
            } else {
                Finding::new(
                    "five-ones",
                    format!("“五个一”尚缺：{}", missing.join("、")),
                    reason,
                )
            };
            if r.is_blank("driving_school") {
                f = f.with(Issue::warning("driving_school", "请填写驾校名称。"));
            }
            vec![f]
        }
        _ => Vec::new(),
    }
}

/// `five-into-venues` (rules.md Part B) — the venues of the 五进 reached since the campaign began, up to D.
fn publicity_compute<R: Fields>(
    rows: impl IntoIterator<Item = R>,
    as_of: Date,
) -> Vec<TargetValue> {
    let span = (CAMPAIGN_START, judged_on(as_of));
    let mut reached = [false; VENUES.len()];
    for r in rows {
        if is_any(&r, "kind", &["five_into"])
            && within(r.date("held_on"), span)
            && let Some(i) = r
                .choice("venue")
                .and_then(|v| VENUES.iter().position(|x| *x == v))
        {
            reached[i] = true;
        }
    }
    let n = reached.iter().filter(|x| **x).count();
    vec![value(FIVE_INTO, n as f64)]
}

// ------------------------------------------------------------------ dispatch

/// The rules of one record of `form` (`None`: not a form of this module).
pub(crate) fn findings(form: &str, r: &impl Fields, today: Option<Date>) -> Option<Vec<Finding>> {
    Some(match form {
        BULLETIN => bulletin_findings(r),
        SPECIAL_CAMPAIGN => campaign_findings(r),
        DRUG_CLEANUP => cleanup_findings(r),
        WARNING_EDUCATION => education_findings(r),
        ACCIDENT_STATS => stats_findings(r, today),
        PUBLICITY => publicity_findings(r),
        _ => return None,
    })
}

/// The targets of `form` over `rows` on `as_of`, in one pass (`None`: not a form of this
/// module).
pub(crate) fn compute_rows<R: Fields>(
    form: &str,
    rows: impl IntoIterator<Item = R>,
    as_of: Date,
) -> Option<Vec<TargetValue>> {
    Some(match form {
        BULLETIN => bulletin_compute(rows, as_of),
        SPECIAL_CAMPAIGN => campaign_compute(rows, as_of),
        DRUG_CLEANUP => cleanup_compute(rows, as_of),
        WARNING_EDUCATION => education_compute(rows, as_of),
        ACCIDENT_STATS => stats_compute(rows, as_of),
        PUBLICITY => publicity_compute(rows, as_of),
        _ => return None,
    })
}

pub(crate) fn compute(form: &str, records: &RecordBatch, as_of: Date) -> Option<Vec<TargetValue>> {
    compute_rows(form, records.rows(), as_of)
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::record::RecordBuilder;
    use anwei_plugin_sdk::{FormRecord, Severity};

    use super::super::test_support::{class, desk_compute, issues, value_of};
    use super::*;

    // -------------------------------------------------------------- bulletin

    fn bulletin(t: &str, issued: &str) -> RecordBuilder {
        RecordBuilder::new("b")
            .text("bulletin_type", t)
            .date("issued_on", issued)
    }

    pub(crate) fn bulletin_fixture() -> Vec<FormRecord> {
        vec![
            // Monthly analyses of February and March 2021, a half-year one, a yearly one.
            bulletin("violation_analysis", "2021-02-26")
                .text("period_kind", "monthly")
                .build(),
            bulletin("violation_analysis", "2021-03-31")
                .text("period_kind", "monthly")
                .build(),
            bulletin("violation_analysis", "2021-03-05")
                .text("period_kind", "monthly")
                .build(),
            bulletin("violation_analysis", "2021-01-10")
                .text("period_kind", "half_yearly")
                .build(),
            bulletin("violation_analysis", "2021-01-20")
                .text("period_kind", "yearly")
                .build(),
            // No period: counts nowhere.
            bulletin("violation_analysis", "2021-03-10").build(),
            // Key-vehicle violations, March.
            bulletin("key_vehicle_violation", "2021-03-15").build(),
            // Hazard lists: March to both, March to transport only, February to both.
            bulletin("hazard_list", "2021-03-20")
                .choices("recipients", &["transport", "emergency"])
                .integer("enterprises_interviewed", 2)
                .build(),
            bulletin("hazard_list", "2021-03-25")
                .choices("recipients", &["transport"])
                .build(),
            bulletin("hazard_list", "2021-02-20")
                .choices("recipients", &["emergency", "transport", "public"])
                .build(),
        ]
    }

    #[test]
    fn fixture_bulletins() {
        let records = bulletin_fixture();
        let v = desk_compute(BULLETIN, &records, "2021-03-31");
        // March 2021 is whole: two monthly analyses, one key-vehicle bulletin, one list.
        assert_eq!(value_of(&v, VIOLATION_MONTHLY), Some(2.0));
        assert_eq!(value_of(&v, KEY_VEHICLE_MONTHLY), Some(1.0));
        assert_eq!(value_of(&v, HAZARD_LIST_MONTHLY), Some(1.0));
        // The last whole half-year and year: 2020's second half, 2020.
        assert_eq!(value_of(&v, VIOLATION_HALF_YEARLY), Some(0.0));
        assert_eq!(value_of(&v, VIOLATION_YEARLY), Some(0.0));
        // The day before, February counts.
        let v = desk_compute(BULLETIN, &records, "2021-03-30");
        assert_eq!(value_of(&v, VIOLATION_MONTHLY), Some(1.0));
        assert_eq!(value_of(&v, KEY_VEHICLE_MONTHLY), Some(0.0));
        assert_eq!(value_of(&v, HAZARD_LIST_MONTHLY), Some(1.0));
        // 2021's first half and the year 2021.
        let v = desk_compute(BULLETIN, &records, "2021-06-30");
        assert_eq!(value_of(&v, VIOLATION_HALF_YEARLY), Some(1.0));
        let v = desk_compute(BULLETIN, &records, "2021-12-31");
        assert_eq!(value_of(&v, VIOLATION_YEARLY), Some(1.0));
        assert_eq!(value_of(&v, VIOLATION_MONTHLY), Some(0.0));
    }

    #[test]
    fn a_hazard_list_goes_to_transport_and_emergency() {
        let r = bulletin("hazard_list", "2021-03-25")
            .choices("recipients", &["transport"])
            .build();
        let i = issues(BULLETIN, &r, "2021-04-01");
        assert_eq!(i.len(), 2);
        assert_eq!(i[0].field, "recipients");
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(
            i[0].message,
            "隐患车辆、驾驶人及企业清单应通报交通运输、应急管理部门（第446行）：尚未选择应急管理部门。"
        );
        assert_eq!(i[1].severity, Severity::Info);
        assert_eq!(
            class(BULLETIN, &r, "bulletin-counts", "2021-04-01").as_deref(),
            Some("未计入：未通报交通运输、应急管理部门")
        );
        let ok = bulletin("hazard_list", "2021-03-25")
            .choices("recipients", &["emergency", "transport"])
            .integer("enterprises_exposed", 1)
            .build();
        assert!(issues(BULLETIN, &ok, "2021-04-01").is_empty());
        assert_eq!(
            class(BULLETIN, &ok, "interview-exposure", "2021-04-01").as_deref(),
            Some("约谈0家、曝光1家")
        );
        let no_period = bulletin("violation_analysis", "2021-03-10").build();
        assert_eq!(
            issues(BULLETIN, &no_period, "2021-04-01")[0].field,
            "period_kind"
        );
        assert!(
            issues(
                BULLETIN,
                &bulletin("other", "2021-03-10").build(),
                "2021-04-01"
            )
            .is_empty()
        );
    }

    // -------------------------------------------------------------- special campaigns

    pub(crate) fn campaign_fixture() -> Vec<FormRecord> {
        let c = |start: &str| {
            RecordBuilder::new("c")
                .text("name", "专项整治")
                .date("started_on", start)
                .choices("violation_types", &["drunk", "night_coach"])
                .build()
        };
        vec![
            c("2020-03-01"),
            c("2020-06-01"),
            c("2020-09-01"),
            c("2020-12-31"),
            c("2021-01-01"),
            c("2021-05-01"),
        ]
    }

    #[test]
    fn fixture_special_campaigns() {
        let records = campaign_fixture();
        let v = |as_of: &str| {
            value_of(
                &desk_compute(SPECIAL_CAMPAIGN, &records, as_of),
                SPECIAL_CAMPAIGNS,
            )
        };
        assert_eq!(v("2020-12-31"), Some(4.0));
        assert_eq!(v("2020-12-30"), Some(3.0));
        assert_eq!(v("2021-12-30"), Some(4.0));
        assert_eq!(v("2021-12-31"), Some(2.0));
        assert_eq!(v("2022-12-31"), Some(0.0));
        let r = RecordBuilder::new("c")
            .date("started_on", "2021-05-01")
            .date("ended_on", "2021-04-30")
            .build();
        let i = issues(SPECIAL_CAMPAIGN, &r, "2021-06-01");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Error);
        assert_eq!(
            class(SPECIAL_CAMPAIGN, &r, "campaign-year", "2021-06-01").as_deref(),
            Some("计入2021年")
        );
        let same_day = RecordBuilder::new("c")
            .date("started_on", "2021-05-01")
            .date("ended_on", "2021-05-01")
            .build();
        assert!(issues(SPECIAL_CAMPAIGN, &same_day, "2021-06-01").is_empty());
    }

    // -------------------------------------------------------------- drug-driver clean-ups

    pub(crate) fn cleanup_fixture() -> Vec<FormRecord> {
        let c = |held: &str| {
            RecordBuilder::new("d")
                .date("held_on", held)
                .integer("listed_count", 3)
                .build()
        };
        vec![
            c("2020-01-10"),
            c("2020-11-30"),
            c("2020-12-01"),
            c("2020-12-31"),
        ]
    }

    #[test]
    fn fixture_drug_driver_cleanup() {
        let records = cleanup_fixture();
        let v = |as_of: &str| {
            value_of(
                &desk_compute(DRUG_CLEANUP, &records, as_of),
                CLEANUP_MONTHLY,
            )
        };
        assert_eq!(v("2020-12-31"), Some(2.0));
        assert_eq!(v("2020-12-30"), Some(1.0));
        assert_eq!(v("2021-01-31"), Some(0.0));
        assert_eq!(v("2020-01-20"), Some(1.0));
        assert_eq!(v("2020-01-09"), Some(0.0));
        let r = RecordBuilder::new("d")
            .date("held_on", "2021-01-10")
            .integer("listed_count", 3)
            .integer("voluntary_cancelled", 2)
            .integer("cancelled_by_rule", 2)
            .build();
        let i = issues(DRUG_CLEANUP, &r, "2021-02-01");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].message, "注销人数多于支队通报的人数，请核对。");
        let three = RecordBuilder::new("d")
            .date("held_on", "2021-01-10")
            .integer("listed_count", 3)
            .integer("voluntary_cancelled", 1)
            .integer("cancelled_by_rule", 2)
            .build();
        assert!(issues(DRUG_CLEANUP, &three, "2021-02-01").is_empty());
    }

    // -------------------------------------------------------------- warning education

    pub(crate) fn education_fixture() -> Vec<FormRecord> {
        let s = |held: &str, kinds: &[&str], audience: &[&str]| {
            RecordBuilder::new("e")
                .date("held_on", held)
                .text("topic", "警示教育")
                .choices("enterprise_kinds", kinds)
                .choices("audience", audience)
                .choices("joint_with", &["transport", "emergency"])
                .build()
        };
        let mut out: Vec<FormRecord> = (1..=6)
            .map(|m| {
                s(
                    &format!("2021-{:02}-15", m * 2),
                    &["passenger"],
                    &["principal"],
                )
            })
            .collect();
        out.push(s("2021-03-01", &[], &["principal"]));
        out.push(s("2021-04-01", &["hazmat", "freight"], &["key_driver"]));
        out.push(s(
            "2022-01-01",
            &["freight"],
            &["violating_driver", "other"],
        ));
        out
    }

    #[test]
    fn fixture_warning_education() {
        let records = education_fixture();
        let v = |as_of: &str| {
            value_of(
                &desk_compute(WARNING_EDUCATION, &records, as_of),
                WARNING_EDUCATION_YEARLY,
            )
        };
        // 2021: six sessions of passenger enterprises' principals (not the one without an
        // enterprise kind, not the one for key drivers only).
        assert_eq!(v("2021-12-31"), Some(6.0));
        assert_eq!(v("2021-12-30"), Some(0.0));
        assert_eq!(v("2022-12-31"), Some(1.0));
        // A session without a 两客一危一货 enterprise does not count.
        let r = &records[6];
        assert_eq!(
            class(
                WARNING_EDUCATION,
                r,
                "warning-education-counts",
                "2021-04-01"
            )
            .as_deref(),
            Some("不计入“两客一危一货”警示教育次数")
        );
        let alone = RecordBuilder::new("e")
            .date("held_on", "2021-05-01")
            .choices("enterprise_kinds", &["hazmat"])
            .choices("audience", &["safety_manager"])
            .choices("joint_with", &["transport"])
            .build();
        let i = issues(WARNING_EDUCATION, &alone, "2021-06-01");
        assert_eq!(i.len(), 1);
        assert_eq!(
            i[0].message,
            "应会同交通运输、应急管理部门组织（第452行）：未选择应急管理部门。"
        );
    }

    // -------------------------------------------------------------- accident statistics

    pub(crate) fn stats_fixture() -> Vec<FormRecord> {
        let m = |y: i64, m: i64, loss: i64, online: i64| {
            RecordBuilder::new("s")
                .integer("stat_year", y)
                .integer("stat_month", m)
                .integer("property_loss_accidents", loss)
                .integer("online_cases", online)
                .build()
        };
        vec![
            m(2021, 1, 100, 40),
            m(2021, 2, 100, 50),
            m(2021, 3, 200, 60),
            m(2022, 1, 90, 80),
            m(2022, 2, 80, 60),
            // Two records for March 2022 (two squads): they add up.
            m(2022, 3, 50, 70),
            m(2022, 3, 40, 70),
            // April 2022 has no 2021 counterpart: left out.
            m(2022, 4, 100, 500),
        ]
    }

    #[test]
    fn fixture_online_handling_rate() {
        let records = stats_fixture();
        let v = |as_of: &str| value_of(&desk_compute(ACCIDENT_STATS, &records, as_of), ONLINE_RATE);
        // 2022-03-31: (80 + 60 + 140) ÷ (100 + 100 + 200) = 70 %.
        assert_eq!(v("2022-03-31"), Some(70.0));
        // 2022-03-30: March not ended: (80 + 60) ÷ 200 = 70 %… and 2022-02-27: January only.
        assert_eq!(v("2022-03-30"), Some(70.0));
        assert_eq!(v("2022-02-27"), Some(80.0));
        // After 2022: judged on 2022-12-31, April without a 2021 month left out.
        assert_eq!(v("2023-06-30"), Some(70.0));
        // 2022-01-30: no ended month: no value. 2021: no 2020 months: no value.
        assert_eq!(v("2022-01-30"), None);
        assert_eq!(v("2021-12-31"), None);
        let r = RecordBuilder::new("s")
            .integer("stat_year", 2022)
            .integer("stat_month", 3)
            .build();
        assert!(issues(ACCIDENT_STATS, &r, "2022-03-31").is_empty());
        let i = issues(ACCIDENT_STATS, &r, "2022-03-30");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "stat_month");
    }

    // -------------------------------------------------------------- publicity

    pub(crate) fn publicity_fixture() -> Vec<FormRecord> {
        let a = |held: &str, venue: &str| {
            RecordBuilder::new("p")
                .date("held_on", held)
                .text("kind", "five_into")
                .text("venue", venue)
                .build()
        };
        vec![
            a("2019-12-01", "family"),
            a("2020-05-01", "rural"),
            a("2020-06-01", "rural"),
            a("2020-09-01", "school"),
            a("2021-03-01", "community"),
            a("2021-11-01", "enterprise"),
            a("2022-04-01", "family"),
            RecordBuilder::new("p")
                .date("held_on", "2020-04-01")
                .text("kind", "driving_school")
                .text("driving_school", "某驾校")
                .choices("five_ones", &["base", "lecture", "film"])
                .build(),
        ]
    }

    #[test]
    fn fixture_five_into_venues() {
        let records = publicity_fixture();
        let v = |as_of: &str| value_of(&desk_compute(PUBLICITY, &records, as_of), FIVE_INTO);
        // The 2019 activity is before the campaign.
        assert_eq!(v("2020-12-31"), Some(2.0));
        assert_eq!(v("2021-12-31"), Some(4.0));
        assert_eq!(v("2022-03-31"), Some(4.0));
        assert_eq!(v("2022-04-01"), Some(5.0));
        assert_eq!(v("2019-12-31"), Some(0.0));
        assert_eq!(
            class(PUBLICITY, &records[7], "five-ones", "2021-01-01").as_deref(),
            Some("“五个一”尚缺：一次文明交通志愿服务、一场文明守法驾驶宣誓仪式")
        );
        let no_venue = RecordBuilder::new("p")
            .date("held_on", "2021-01-01")
            .text("kind", "five_into")
            .build();
        assert_eq!(issues(PUBLICITY, &no_venue, "2021-01-02")[0].field, "venue");
    }
}
