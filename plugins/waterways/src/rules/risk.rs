//! (二) 强化风险隐患预防控制: the five lists of major risks (`major-risk`, R1–R2), major
//! accident hazards (`major-hazard`, R3–R5) and typical accidents (`accident`, R6–R7).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, Issue, TargetValue};

use super::common::{Finding, Share, by, failing, finding, is, no, not_ended, years_before, yes};

// ------------------------------------------------------------------ major-risk

/// The five lists of L484 and the fields that make a risk's entry in each.
pub const FIVE_LISTS: [(&str, &[&str]); 5] = [
    ("基础信息", &["basic_info"]),
    ("防控责任", &["resp_unit", "resp_person"]),
    ("监测监控", &["monitoring"]),
    ("防范措施", &["measures"]),
    ("应急处置", &["emergency"]),
];

/// Whether the risk has its entry in list `k` of [`FIVE_LISTS`].
pub fn in_list<R: Fields + ?Sized>(r: &R, k: usize) -> bool {
    FIVE_LISTS
        .get(k)
        .is_some_and(|(_, fields)| fields.iter().all(|f| !r.is_blank(f)))
}

/// R1 — 「建立重大风险基础信息、防控责任、监测监控、防范措施、应急处置5个清单」 (L484).
pub fn five_lists<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    r.date("identified_date")?;
    let missing: Vec<usize> = (0..FIVE_LISTS.len()).filter(|&k| !in_list(r, k)).collect();
    let reason = "第484行：建立重大风险基础信息、防控责任、监测监控、防范措施、应急处置5个清单。";
    let Some(&first) = missing.first() else {
        return Some(finding("five-lists", "5个清单齐全", reason, Vec::new()));
    };
    let field = FIVE_LISTS[first]
        .1
        .iter()
        .find(|f| r.is_blank(f))
        .copied()
        .unwrap_or("");
    let names: Vec<&str> = missing.iter().map(|&k| FIVE_LISTS[k].0).collect();
    Some(finding(
        "five-lists",
        format!("缺{}个清单", missing.len()),
        reason,
        vec![Issue::warning(
            field,
            format!("重大风险5个清单缺项：{}清单。", names.join("、")),
        )],
    ))
}

/// R2 — 「积极推进将行业安全生产重大风险纳入同级人民政府重大风险防范化解工作内容」 (L484).
pub fn government_list<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let reason =
        "第484行：积极推进将行业安全生产重大风险纳入同级人民政府重大风险防范化解工作内容。";
    match r.flag("in_gov_list")? {
        true => Some(finding(
            "government-list",
            "已纳入政府重大风险防范化解工作",
            reason,
            Vec::new(),
        )),
        false => Some(finding(
            "government-list",
            "未纳入政府重大风险防范化解工作",
            reason,
            vec![Issue::info(
                "in_gov_list",
                "积极推进将该重大风险纳入同级人民政府重大风险防范化解工作内容。",
            )],
        )),
    }
}

/// major-risk-five-lists: how many of the five lists every risk identified by `d` has its
/// entry in (none while no risk is identified).
pub fn compute_major_risk<R: Fields>(
    rows: impl IntoIterator<Item = R>,
    d: Date,
) -> Vec<TargetValue> {
    let mut risks = 0u64;
    let mut complete = [true; 5];
    for r in rows {
        if !by(&r, "identified_date", d) {
            continue;
        }
        risks += 1;
        for (k, c) in complete.iter_mut().enumerate() {
            *c = *c && in_list(&r, k);
        }
    }
    if risks == 0 {
        return Vec::new();
    }
    let lists = complete.iter().filter(|c| **c).count();
    vec![TargetValue::district("major-risk-five-lists", lists as f64)]
}

// ------------------------------------------------------------------ major-hazard

/// The 「五到位」 of L486: 整改责任、措施、资金、时限、预案 (时限 is the deadline date).
pub const FIVE_IN_PLACE: [(&str, &str); 5] = [
    ("resp_ok", "整改责任"),
    ("measures_ok", "整改措施"),
    ("funds_ok", "整改资金"),
    ("deadline_date", "整改时限"),
    ("plan_ok", "应急预案"),
];

fn in_place<R: Fields + ?Sized>(r: &R, field: &str) -> bool {
    if field == "deadline_date" {
        r.date(field).is_some()
    } else {
        yes(r, field)
    }
}

/// Whether all five are in place.
pub fn five_in_place_ok<R: Fields + ?Sized>(r: &R) -> bool {
    FIVE_IN_PLACE.iter().all(|(f, _)| in_place(r, f))
}

/// R3 — 「严格按照隐患整改责任、措施、资金、时限、预案“五到位”要求」 (L486). The issue is
/// raised while the hazard is not closed.
pub fn five_in_place<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    r.date("found_date")?;
    let (field, missing) = failing(r, &FIVE_IN_PLACE, |r, f| !in_place(r, f));
    let reason = "第486行：严格按照隐患整改责任、措施、资金、时限、预案“五到位”要求。";
    let Some(field) = field else {
        return Some(finding("five-in-place", "五到位", reason, Vec::new()));
    };
    let issues = if r.date("closed_date").is_none() {
        vec![Issue::warning(
            field,
            format!("重大事故隐患整改“五到位”未落实：{}。", missing.join("、")),
        )]
    } else {
        Vec::new()
    };
    Some(finding("five-in-place", "未五到位", reason, issues))
}

/// R4 — 「严格实施重大事故隐患挂牌督办」 (L486).
pub fn supervised_listing<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let reason = "第486行：严格实施重大事故隐患挂牌督办、整改销号。";
    if yes(r, "listed") {
        let level = match r.choice("listed_level") {
            Some("province") => "（省级）",
            Some("city") => "（市级）",
            Some("district") => "（区级）",
            _ => "",
        };
        return Some(finding(
            "supervised-listing",
            format!("已挂牌督办{level}"),
            reason,
            Vec::new(),
        ));
    }
    no(r, "listed").then(|| {
        finding(
            "supervised-listing",
            "未挂牌督办",
            reason,
            vec![Issue::warning("listed", "重大事故隐患须挂牌督办。")],
        )
    })
}

/// R5 — 「整改销号」 within the deadline (L486): after the deadline day an open hazard is
/// overdue; on the deadline day it is not.
pub fn rectification<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> Option<Finding> {
    r.date("found_date")?;
    let reason = "第486行：隐患整改时限到位，严格实施整改销号，强力开展重大事故隐患清零行动。";
    if let Some(c) = r.date("closed_date") {
        return Some(finding(
            "rectification",
            "已整改销号",
            format!("{reason}已于{c}销号。"),
            Vec::new(),
        ));
    }
    match (r.date("deadline_date"), today) {
        (Some(limit), Some(t)) if t > limit => Some(finding(
            "rectification",
            "逾期未销号",
            reason,
            vec![Issue::warning(
                "closed_date",
                format!("已超过整改时限（{limit}）仍未整改销号。"),
            )],
        )),
        _ => Some(finding("rectification", "整改中", reason, Vec::new())),
    }
}

/// major-hazard-five-in-place and major-hazards-open, in one pass.
pub fn compute_major_hazard<R: Fields>(
    rows: impl IntoIterator<Item = R>,
    d: Date,
) -> Vec<TargetValue> {
    let mut five = Share::default();
    let mut open = 0u64;
    for r in rows {
        if !by(&r, "found_date", d) {
            continue;
        }
        five.add(five_in_place_ok(&r));
        open += u64::from(not_ended(&r, "closed_date", d));
    }
    let mut out = Vec::new();
    five.push(&mut out, "major-hazard-five-in-place");
    out.push(TargetValue::district("major-hazards-open", open as f64));
    out
}

// ------------------------------------------------------------------ accident

/// 「近三年来」 (L488) on day `d`: after the same day three years earlier, up to `d`.
pub fn within_three_years(occurred: Date, d: Date) -> bool {
    occurred > years_before(d, 3) && occurred <= d
}

/// R6 — 「分析查找各领域近三年来发生的典型生产安全事故原因及暴露出的问题…制定切实有效整改措施…
/// 及时组织开展典型事故整改措施实施情况评估」 (L488).
pub fn typical_analysis<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> Option<Finding> {
    if !yes(r, "is_typical") {
        return None;
    }
    let occurred = r.date("occurred_date")?;
    if let Some(t) = today
        && !within_three_years(occurred, t)
    {
        return None;
    }
    let reason = "第488行：分析查找各领域近三年来发生的典型生产安全事故原因及暴露出的问题，制定切实有效整改措施，及时组织开展典型事故整改措施实施情况评估。";
    let analysed = r.date("analysed_date").is_some();
    let measures = yes(r, "measures_made");
    if !(analysed && measures) {
        let mut missing = Vec::new();
        if !analysed {
            missing.push("尚未分析原因及暴露出的问题");
        }
        if !measures {
            missing.push("尚未制定整改措施");
        }
        let field = if analysed {
            "measures_made"
        } else {
            "analysed_date"
        };
        return Some(finding(
            "typical-analysis",
            "待分析整改",
            reason,
            vec![Issue::warning(
                field,
                format!("近三年典型事故：{}。", missing.join("，")),
            )],
        ));
    }
    Some(match r.date("evaluated_date") {
        Some(e) => finding(
            "typical-analysis",
            "已评估",
            format!("{reason}整改措施实施情况已于{e}评估。"),
            Vec::new(),
        ),
        None => finding(
            "typical-analysis",
            "已分析并制定整改措施",
            reason,
            vec![Issue::info(
                "evaluated_date",
                "及时组织开展典型事故整改措施实施情况评估。",
            )],
        ),
    })
}

/// R7 — 「聚焦渔船“碰撞、自沉、风灾、火灾”四类事故高发情形」 (L501).
pub fn fishing_four_types<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    if !is(r, "domain", "fishing") {
        return None;
    }
    let label = match r.choice("fishing_type")? {
        "collision" => "碰撞",
        "sinking" => "自沉",
        "wind" => "风灾",
        "fire" => "火灾",
        _ => {
            return Some(finding(
                "fishing-four-types",
                "四类以外的渔船事故",
                "第501行：聚焦渔船“碰撞、自沉、风灾、火灾”四类事故高发情形。",
                Vec::new(),
            ));
        }
    };
    Some(finding(
        "fishing-four-types",
        format!("四类事故：{label}"),
        "第501行：聚焦渔船“碰撞、自沉、风灾、火灾”四类事故高发情形。",
        Vec::new(),
    ))
}

/// typical-accidents-analysed: of the typical accidents of the three years up to `d`, those
/// analysed by `d` with measures made.
pub fn compute_accident<R: Fields>(rows: impl IntoIterator<Item = R>, d: Date) -> Vec<TargetValue> {
    let mut share = Share::default();
    for r in rows {
        if !yes(&r, "is_typical") {
            continue;
        }
        if !r
            .date("occurred_date")
            .is_some_and(|o| within_three_years(o, d))
        {
            continue;
        }
        share.add(by(&r, "analysed_date", d) && yes(&r, "measures_made"));
    }
    let mut out = Vec::new();
    share.push(&mut out, "typical-accidents-analysed");
    out
}

#[cfg(test)]
mod tests {
    use anwei_plugin_sdk::Severity;
    use anwei_plugin_sdk::record::RecordBuilder;

    use super::super::testkit::*;
    use super::super::{ACCIDENT, MAJOR_HAZARD, MAJOR_RISK};
    use super::*;

    fn risk(identified: &str) -> RecordBuilder {
        RecordBuilder::new("r")
            .text("risk_name", "某线路段风险")
            .text("domain", "rail")
            .date("identified_date", identified)
    }

    fn all_lists(b: RecordBuilder) -> RecordBuilder {
        b.text("basic_info", "基本情况")
            .text("resp_unit", "区交通运输局")
            .text("resp_person", "张三")
            .text("monitoring", "视频监控")
            .text("measures", "巡查")
            .text("emergency", "预案")
    }

    #[test]
    fn a_risk_lacking_lists_is_told_which() {
        let r = risk("2021-01-01")
            .text("basic_info", "基本情况")
            .text("resp_unit", "区交通运输局")
            .text("monitoring", "视频监控")
            .build();
        let i = issues(MAJOR_RISK, &r);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(i[0].field, "resp_person");
        assert_eq!(
            i[0].message,
            "重大风险5个清单缺项：防控责任、防范措施、应急处置清单。"
        );
        assert_eq!(
            class(MAJOR_RISK, &r, "five-lists").as_deref(),
            Some("缺3个清单")
        );
        let whole = all_lists(risk("2021-01-01"))
            .flag("in_gov_list", true)
            .build();
        assert!(issues(MAJOR_RISK, &whole).is_empty());
        assert_eq!(
            class(MAJOR_RISK, &whole, "five-lists").as_deref(),
            Some("5个清单齐全")
        );
        let outside = all_lists(risk("2021-01-01"))
            .flag("in_gov_list", false)
            .build();
        let i = issues(MAJOR_RISK, &outside);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Info);
        assert_eq!(i[0].field, "in_gov_list");
    }

    #[test]
    fn fixture_major_risk_five_lists() {
        let records = vec![
            all_lists(risk("2020-06-01")).build(),
            // B lacks 应急处置 and the 责任人 of 防控责任.
            risk("2021-03-01")
                .text("basic_info", "x")
                .text("resp_unit", "区农业农村局")
                .text("monitoring", "x")
                .text("measures", "x")
                .build(),
            // C identified later lacks 基础信息.
            risk("2022-05-01")
                .text("resp_unit", "区邮政局")
                .text("resp_person", "王五")
                .text("monitoring", "x")
                .text("measures", "x")
                .text("emergency", "x")
                .build(),
        ];
        let v = |as_of: &str| {
            value(
                &desk_compute(MAJOR_RISK, &records, as_of),
                "major-risk-five-lists",
            )
        };
        assert_eq!(v("2020-12-31"), Some(5.0));
        assert_eq!(v("2021-12-31"), Some(3.0));
        assert_eq!(v("2022-12-31"), Some(2.0));
        assert_eq!(v("2020-05-31"), None);
        assert_every_target(MAJOR_RISK, &records, "2022-12-31");
    }

    fn hazard(found: &str) -> RecordBuilder {
        RecordBuilder::new("h")
            .text("hazard", "某隐患")
            .text("domain", "water")
            .date("found_date", found)
    }

    fn five(b: RecordBuilder, deadline: &str) -> RecordBuilder {
        five_funds(b, deadline, true)
    }

    fn five_funds(b: RecordBuilder, deadline: &str, funds: bool) -> RecordBuilder {
        b.flag("resp_ok", true)
            .flag("measures_ok", true)
            .flag("funds_ok", funds)
            .date("deadline_date", deadline)
            .flag("plan_ok", true)
    }

    #[test]
    fn a_hazard_is_overdue_the_day_after_its_deadline() {
        let open = five(hazard("2021-01-01"), "2021-06-30")
            .flag("listed", true)
            .build();
        let on_deadline = validate(MAJOR_HAZARD, &open, Date::parse("2021-06-30"));
        assert!(on_deadline.is_empty(), "{on_deadline:?}");
        let after = validate(MAJOR_HAZARD, &open, Date::parse("2021-07-01"));
        assert_eq!(after.len(), 1);
        assert_eq!(after[0].field, "closed_date");
        assert_eq!(
            after[0].message,
            "已超过整改时限（2021-06-30）仍未整改销号。"
        );
        let c = classify(MAJOR_HAZARD, &open, Date::parse("2021-07-01"));
        assert!(
            c.iter()
                .any(|c| c.rule == "rectification" && c.value == "逾期未销号")
        );
        let closed = five(hazard("2021-01-01"), "2021-06-30")
            .flag("listed", true)
            .date("closed_date", "2021-08-01")
            .build();
        assert!(validate(MAJOR_HAZARD, &closed, Date::parse("2022-01-01")).is_empty());
    }

    #[test]
    fn five_in_place_and_listing_are_asked_of_open_hazards() {
        let bare = hazard("2021-01-01")
            .flag("resp_ok", true)
            .flag("measures_ok", false)
            .flag("funds_ok", false)
            .flag("plan_ok", true)
            .flag("listed", false)
            .build();
        let i = issues(MAJOR_HAZARD, &bare);
        assert_eq!(i.len(), 2);
        assert_eq!(i[0].field, "measures_ok");
        assert_eq!(
            i[0].message,
            "重大事故隐患整改“五到位”未落实：整改措施、整改资金、整改时限。"
        );
        assert_eq!(i[1].field, "listed");
        assert_eq!(i[1].message, "重大事故隐患须挂牌督办。");
        assert_eq!(
            class(MAJOR_HAZARD, &bare, "five-in-place").as_deref(),
            Some("未五到位")
        );
        let listed = five(hazard("2021-01-01"), "2022-12-31")
            .flag("listed", true)
            .text("listed_level", "city")
            .build();
        assert_eq!(
            class(MAJOR_HAZARD, &listed, "supervised-listing").as_deref(),
            Some("已挂牌督办（市级）")
        );
    }

    #[test]
    fn fixture_major_hazards() {
        let records = vec![
            five(hazard("2020-05-01"), "2020-12-31")
                .date("closed_date", "2020-11-01")
                .build(),
            five_funds(hazard("2021-02-01"), "2021-12-31", false).build(),
            hazard("2022-03-01")
                .date("closed_date", "2022-12-31")
                .build(),
            five(hazard("2023-01-05"), "2023-06-30").build(),
        ];
        let v = |as_of: &str| desk_compute(MAJOR_HAZARD, &records, as_of);
        let at = v("2022-12-30");
        assert_close(
            value(&at, "major-hazard-five-in-place"),
            100.0 / 3.0,
            "2022-12-30",
        );
        assert_eq!(value(&at, "major-hazards-open"), Some(2.0));
        let at = v("2022-12-31");
        assert_eq!(value(&at, "major-hazards-open"), Some(1.0));
        let at = v("2020-06-01");
        assert_eq!(value(&at, "major-hazard-five-in-place"), Some(100.0));
        assert_eq!(value(&at, "major-hazards-open"), Some(1.0));
        let at = v("2020-04-30");
        assert_eq!(value(&at, "major-hazard-five-in-place"), None);
        assert_eq!(value(&at, "major-hazards-open"), Some(0.0));
        assert_every_target(MAJOR_HAZARD, &records, "2022-12-31");
    }

    fn accident(occurred: &str, typical: bool) -> RecordBuilder {
        RecordBuilder::new("a")
            .text("title", "某事故")
            .text("domain", "fishing")
            .text("fishing_type", "collision")
            .date("occurred_date", occurred)
            .integer("deaths", 1)
            .flag("is_typical", typical)
    }

    #[test]
    fn typical_accidents_of_the_last_three_years_are_analysed() {
        let a = accident("2019-12-31", true).build();
        // Three years to the day before: no longer 近三年.
        assert!(validate(ACCIDENT, &a, Date::parse("2022-12-31")).is_empty());
        let i = validate(ACCIDENT, &a, Date::parse("2022-12-30"));
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "analysed_date");
        assert_eq!(
            i[0].message,
            "近三年典型事故：尚未分析原因及暴露出的问题，尚未制定整改措施。"
        );
        let analysed = accident("2021-05-01", true)
            .date("analysed_date", "2021-06-01")
            .flag("measures_made", true)
            .build();
        let i = issues(ACCIDENT, &analysed);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Info);
        assert_eq!(i[0].field, "evaluated_date");
        assert_eq!(
            class(ACCIDENT, &analysed, "fishing-four-types").as_deref(),
            Some("四类事故：碰撞")
        );
        assert!(issues(ACCIDENT, &accident("2021-05-01", false).build()).is_empty());
    }

    #[test]
    fn fixture_typical_accidents_analysed() {
        let done =
            |b: RecordBuilder, on: &str| b.date("analysed_date", on).flag("measures_made", true);
        let records = vec![
            done(accident("2019-12-31", true), "2020-02-01").build(),
            done(accident("2020-01-01", true), "2020-03-01").build(),
            accident("2021-06-01", true).build(),
            done(accident("2022-02-01", true), "2023-01-10").build(),
            done(accident("2022-03-01", false), "2022-04-01").build(),
            accident("2022-04-01", true)
                .date("analysed_date", "2022-05-01")
                .flag("measures_made", false)
                .build(),
        ];
        let v = |as_of: &str| {
            value(
                &desk_compute(ACCIDENT, &records, as_of),
                "typical-accidents-analysed",
            )
        };
        // 2022-12-31: 2020-01-01 … 2022-12-31 → B done, C not, D after, F no measures: 1 of 4.
        assert_close(v("2022-12-31"), 25.0, "2022");
        // 2022-12-30: A (2019-12-31) is within too: 2 of 5.
        assert_close(v("2022-12-30"), 40.0, "2022-12-30");
        // 2023-01-10: A and B have left the window, D counts: 1 of 3.
        assert_close(v("2023-01-10"), 100.0 / 3.0, "2023-01-10");
        assert_eq!(v("2019-12-30"), None);
        assert_every_target(ACCIDENT, &records, "2022-12-31");
    }
}
