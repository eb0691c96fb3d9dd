//! (三)1–2 铁路: railway protection zones (`rail-line`, R8–R10) and rail-side environment
//! hazards (`rail-hazard`, R11–R12).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, Issue, TargetValue};

use super::common::{Finding, Share, add_days, by, days_between, finding, is};

// ------------------------------------------------------------------ rail-line

/// 「对新建铁路,在工程初步设计批准30日内完成划定」 (L491): the 30th day after the approval is
/// in time, the 31st is not.
pub const ZONE_DAYS: i64 = 30;

/// R8 — a new line's protection zone within 30 days of the design approval (L491).
pub fn new_line_zone<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> Option<Finding> {
    if !is(r, "line_kind", "new") {
        return None;
    }
    let approved = r.date("design_approved_date")?;
    let rule = "new-line-zone-30-days";
    let reason = "第491行：对新建铁路，在工程初步设计批准30日内完成划定。";
    let limit = add_days(approved, ZONE_DAYS);
    if let Some(z) = r.date("zone_delimited_date") {
        let days = days_between(approved, z);
        return Some(if days <= ZONE_DAYS {
            finding(
                rule,
                "30日内完成划定",
                format!("{reason}批准后第{}日划定。", days.max(0)),
                Vec::new(),
            )
        } else {
            finding(
                rule,
                "超过30日划定",
                reason,
                vec![Issue::warning(
                    "zone_delimited_date",
                    format!(
                        "新建铁路须在工程初步设计批准30日内完成安全保护区划定：批准后第{days}日才划定。"
                    ),
                )],
            )
        });
    }
    Some(match today {
        Some(t) if t > limit => finding(
            rule,
            "逾期未划定",
            reason,
            vec![Issue::warning(
                "zone_delimited_date",
                format!("已超过初步设计批准后30日（{limit}）仍未划定线路安全保护区。"),
            )],
        ),
        _ => finding(
            rule,
            "待划定",
            reason,
            vec![Issue::warning(
                "zone_delimited_date",
                format!("须于{limit}前完成线路安全保护区划定。"),
            )],
        ),
    })
}

/// R9 — 「对既有铁路,全部完成划定」 (L490).
pub fn existing_line_zone<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    if !is(r, "line_kind", "existing") {
        return None;
    }
    let reason = "第490行：全面划定铁路线路安全保护区，对既有铁路，全部完成划定。";
    Some(match r.date("zone_delimited_date") {
        Some(_) => finding("existing-line-zone", "已划定", reason, Vec::new()),
        None => finding(
            "existing-line-zone",
            "未划定",
            reason,
            vec![Issue::warning(
                "zone_delimited_date",
                "既有铁路须全部完成线路安全保护区划定。",
            )],
        ),
    })
}

/// R10 — 「所有铁路线路安全保护区均按规定设立标桩」 (L491).
pub fn zone_markers<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    r.date("zone_delimited_date")?;
    let reason = "第491行：所有铁路线路安全保护区均按规定设立标桩。";
    Some(match r.date("markers_done_date") {
        Some(_) => finding("zone-markers", "已设立标桩", reason, Vec::new()),
        None => finding(
            "zone-markers",
            "未设立标桩",
            reason,
            vec![Issue::warning(
                "markers_done_date",
                "线路安全保护区须按规定设立标桩。",
            )],
        ),
    })
}

/// existing-rail-zones, new-rail-zone-days and rail-zone-markers, in one pass.
pub fn compute_rail_line<R: Fields>(
    rows: impl IntoIterator<Item = R>,
    d: Date,
) -> Vec<TargetValue> {
    let mut existing = Share::default();
    let mut markers = Share::default();
    let mut longest: Option<i64> = None;
    for r in rows {
        let delimited = r.date("zone_delimited_date").filter(|z| *z <= d);
        match r.choice("line_kind") {
            Some("existing") => existing.add(delimited.is_some()),
            Some("new") => {
                if let Some(a) = r.date("design_approved_date").filter(|a| *a <= d) {
                    let days = days_between(a, delimited.unwrap_or(d)).max(0);
                    longest = Some(longest.map_or(days, |l| l.max(days)));
                }
            }
            _ => {}
        }
        if delimited.is_some() {
            markers.add(by(&r, "markers_done_date", d));
        }
    }
    let mut out = Vec::new();
    existing.push(&mut out, "existing-rail-zones");
    if let Some(days) = longest {
        out.push(TargetValue::district("new-rail-zone-days", days as f64));
    }
    markers.push(&mut out, "rail-zone-markers");
    out
}

// ------------------------------------------------------------------ rail-hazard

/// 「铁路两侧500米范围内」 (L490): 500 m is inside.
pub const FLOATING_RANGE_M: f64 = 500.0;

/// Light floating objects and dangerous trees (L490 一是).
pub fn is_floating_or_tree<R: Fields + ?Sized>(r: &R) -> bool {
    matches!(r.choice("kind"), Some("floating" | "tree"))
}

/// In the 重点整治 scope of L490: a floating object or tree within 500 m (an unknown distance
/// counts as within).
pub fn in_floating_scope<R: Fields + ?Sized>(r: &R) -> bool {
    is_floating_or_tree(r) && r.number("distance_m").is_none_or(|m| m <= FLOATING_RANGE_M)
}

/// R11 — 「重点整治铁路两侧500米范围内的…轻体飘浮物和倾倒后影响铁路设施设备的高大树木」 (L490).
pub fn floating_range<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    if !is_floating_or_tree(r) {
        return None;
    }
    let m = r.number("distance_m")?;
    let reason = format!(
        "第490行：重点整治铁路两侧500米范围内的轻体飘浮物和倾倒后影响铁路设施设备的高大树木；距铁路{m}米。"
    );
    Some(if m <= FLOATING_RANGE_M {
        finding("rail-500m", "500米范围内（重点整治）", reason, Vec::new())
    } else {
        finding(
            "rail-500m",
            "500米范围外",
            reason,
            vec![Issue::info(
                "distance_m",
                "位于铁路两侧500米范围外，不属于第490行的重点整治范围。",
            )],
        )
    })
}

/// R12 — the hazards of (三)1 and (三)2 are remediated: 「及时消除事故隐患」 (L490).
pub fn hazard_rectification<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    r.date("found_date")?;
    let reason =
        "第490、493行：铁路沿线环境安全和公铁水并行交汇地段隐患专项治理，及时消除事故隐患。";
    Some(match r.date("rectified_date") {
        Some(x) => finding(
            "rail-hazard-rectification",
            "已整治",
            format!("{reason}已于{x}整治完成。"),
            Vec::new(),
        ),
        None => finding(
            "rail-hazard-rectification",
            "待整治",
            reason,
            vec![Issue::warning(
                "rectified_date",
                "铁路沿线环境安全隐患尚未整治完成。",
            )],
        ),
    })
}

/// rail-floating-hazards: of the floating objects and trees within 500 m found by `d`, those
/// remediated by `d`.
pub fn compute_rail_hazard<R: Fields>(
    rows: impl IntoIterator<Item = R>,
    d: Date,
) -> Vec<TargetValue> {
    let mut share = Share::default();
    for r in rows {
        if in_floating_scope(&r) && by(&r, "found_date", d) {
            share.add(by(&r, "rectified_date", d));
        }
    }
    let mut out = Vec::new();
    share.push(&mut out, "rail-floating-hazards");
    out
}

#[cfg(test)]
mod tests {
    use anwei_plugin_sdk::Severity;
    use anwei_plugin_sdk::record::RecordBuilder;

    use super::super::testkit::*;
    use super::super::{RAIL_HAZARD, RAIL_LINE};
    use super::*;

    fn line(kind: &str) -> RecordBuilder {
        RecordBuilder::new("l")
            .text("line_name", "贵昆铁路")
            .text("line_kind", kind)
    }

    #[test]
    fn a_new_line_has_thirty_days_after_its_design_approval() {
        let approved = |z: &str| {
            line("new")
                .date("design_approved_date", "2021-03-01")
                .date("zone_delimited_date", z)
                .date("markers_done_date", z)
                .build()
        };
        // 2021-03-31 is day 30, 2021-04-01 day 31.
        let on_time = approved("2021-03-31");
        assert!(issues(RAIL_LINE, &on_time).is_empty());
        assert_eq!(
            class(RAIL_LINE, &on_time, "new-line-zone-30-days").as_deref(),
            Some("30日内完成划定")
        );
        let late = approved("2021-04-01");
        let i = issues(RAIL_LINE, &late);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(i[0].field, "zone_delimited_date");
        assert_eq!(
            i[0].message,
            "新建铁路须在工程初步设计批准30日内完成安全保护区划定：批准后第31日才划定。"
        );
        let pending = line("new")
            .date("design_approved_date", "2021-03-01")
            .build();
        let at = |t: &str| validate(RAIL_LINE, &pending, Date::parse(t));
        assert_eq!(
            at("2021-03-31")[0].message,
            "须于2021-03-31前完成线路安全保护区划定。"
        );
        assert_eq!(
            at("2021-04-01")[0].message,
            "已超过初步设计批准后30日（2021-03-31）仍未划定线路安全保护区。"
        );
    }

    #[test]
    fn existing_lines_are_delimited_and_zones_marked() {
        let bare = line("existing").build();
        let i = issues(RAIL_LINE, &bare);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].message, "既有铁路须全部完成线路安全保护区划定。");
        let unmarked = line("existing")
            .date("zone_delimited_date", "2020-10-01")
            .build();
        let i = issues(RAIL_LINE, &unmarked);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "markers_done_date");
        assert_eq!(i[0].message, "线路安全保护区须按规定设立标桩。");
    }

    #[test]
    fn fixture_rail_lines() {
        let records = vec![
            line("existing")
                .date("zone_delimited_date", "2020-09-01")
                .date("markers_done_date", "2021-02-01")
                .build(),
            line("existing")
                .date("zone_delimited_date", "2022-12-31")
                .build(),
            line("existing").build(),
            line("new")
                .date("design_approved_date", "2021-03-01")
                .date("zone_delimited_date", "2021-03-31")
                .date("markers_done_date", "2021-05-01")
                .build(),
            line("new")
                .date("design_approved_date", "2022-11-15")
                .build(),
        ];
        let v = |as_of: &str| desk_compute(RAIL_LINE, &records, as_of);
        let at = v("2022-12-31");
        assert_close(
            value(&at, "existing-rail-zones"),
            200.0 / 3.0,
            "2022 existing",
        );
        // The second new line, approved 2022-11-15 and not delimited: 46 days on 2022-12-31.
        assert_eq!(value(&at, "new-rail-zone-days"), Some(46.0));
        // Delimited: A (marked), B (not), D (marked): 2 of 3.
        assert_close(value(&at, "rail-zone-markers"), 200.0 / 3.0, "2022 markers");
        let at = v("2022-12-30");
        assert_close(value(&at, "existing-rail-zones"), 100.0 / 3.0, "2022-12-30");
        assert_eq!(value(&at, "rail-zone-markers"), Some(100.0));
        let at = v("2021-06-30");
        assert_eq!(value(&at, "new-rail-zone-days"), Some(30.0));
        let at = v("2021-02-28");
        assert_eq!(value(&at, "new-rail-zone-days"), None);
        assert_eq!(value(&at, "rail-zone-markers"), Some(100.0));
        // A's markers came on 2021-02-01.
        let at = v("2021-01-31");
        assert_eq!(value(&at, "rail-zone-markers"), Some(0.0));
        assert_every_target(RAIL_LINE, &records, "2022-12-31");
    }

    fn hazard(kind: &str, m: Option<f64>) -> RecordBuilder {
        let b = RecordBuilder::new("h")
            .text("town", "沿江街道")
            .text("line_name", "贵昆铁路")
            .text("location", "K100+200")
            .text("kind", kind)
            .date("found_date", "2021-04-01");
        match m {
            Some(m) => b.decimal("distance_m", m),
            None => b,
        }
    }

    #[test]
    fn five_hundred_metres_is_inside_and_a_metre_more_is_not() {
        let at500 = hazard("floating", Some(500.0)).build();
        assert_eq!(
            class(RAIL_HAZARD, &at500, "rail-500m").as_deref(),
            Some("500米范围内（重点整治）")
        );
        assert!(in_floating_scope(&at500));
        let beyond = hazard("tree", Some(500.5)).build();
        assert!(!in_floating_scope(&beyond));
        let i = issues(RAIL_HAZARD, &beyond);
        assert_eq!(i.len(), 2);
        assert_eq!(i[0].severity, Severity::Info);
        assert_eq!(
            i[0].message,
            "位于铁路两侧500米范围外，不属于第490行的重点整治范围。"
        );
        assert_eq!(i[1].field, "rectified_date");
        assert_eq!(i[1].message, "铁路沿线环境安全隐患尚未整治完成。");
        let slope = hazard("slope", None)
            .date("rectified_date", "2021-05-01")
            .build();
        assert!(issues(RAIL_HAZARD, &slope).is_empty());
        assert_eq!(
            class(RAIL_HAZARD, &slope, "rail-hazard-rectification").as_deref(),
            Some("已整治")
        );
    }

    #[test]
    fn fixture_rail_floating_hazards() {
        let records = vec![
            hazard("floating", Some(120.0))
                .date("rectified_date", "2021-05-01")
                .build(),
            hazard("tree", Some(500.0)).build(),
            hazard("floating", Some(600.0)).build(),
            hazard("floating", None)
                .date("rectified_date", "2022-12-31")
                .build(),
            hazard("zone_building", Some(10.0)).build(),
        ];
        let v = |as_of: &str| {
            value(
                &desk_compute(RAIL_HAZARD, &records, as_of),
                "rail-floating-hazards",
            )
        };
        assert_close(v("2022-12-31"), 200.0 / 3.0, "2022");
        assert_close(v("2022-12-30"), 100.0 / 3.0, "2022-12-30");
        assert_eq!(v("2021-03-31"), None);
        assert_every_target(RAIL_HAZARD, &records, "2022-12-31");
    }
}
