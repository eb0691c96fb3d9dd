//! 镇(街道)消防安全底数及整治进度台账 (`town-register`): one record per 镇(街道) with the
//! baseline counts the 摸排 gave (公共建筑、城中村、新建住宅小区 and 老旧小区 by 2020-08-31,
//! L322/L324; the other populations of the per-town targets) and a repeat group `progress`, one
//! row per report: the counts done as of its 统计截至日期 `p_date`. The per-town targets read the
//! latest row dated on or before the evaluation day (rules.md §1).
//!
//! 占用、堵塞、封闭消防车通道违法行为查处台账 (`lane-violation`): rule R4 (严重失信, L335).

use std::collections::BTreeMap;

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, FormRecord, Issue, RecordBatch, TargetValue};

use super::{
    END_2020, END_2021, END_2022, END_AUG_2020, Finding, Group, TargetDay, by, count_of, finding,
    share, yes,
};

/// The repeat group of progress reports.
pub const PROGRESS: &str = "progress";

/// The fields of a progress row, in this order ([`P_DATE`] … [`P_TRAINED`] index them).
pub const P_FIELDS: [&str; 12] = [
    "p_date",
    "p_marked_public",
    "p_marked_villages",
    "p_marked_estates",
    "p_old_planned",
    "p_old_done",
    "p_ebike_property",
    "p_ebike_old",
    "p_ebike_all",
    "p_rental_signed",
    "p_hydrants_built",
    "p_trained",
];
const P_DATE: usize = 0;
const P_MARKED_PUBLIC: usize = 1;
const P_MARKED_VILLAGES: usize = 2;
const P_MARKED_ESTATES: usize = 3;
const P_OLD_PLANNED: usize = 4;
const P_OLD_DONE: usize = 5;
const P_EBIKE_PROPERTY: usize = 6;
const P_EBIKE_OLD: usize = 7;
const P_EBIKE_ALL: usize = 8;
const P_RENTAL_SIGNED: usize = 9;
const P_HYDRANTS_BUILT: usize = 10;
const P_TRAINED: usize = 11;

/// The baseline each progress count is a part of (R3).
const BASELINE_OF: [(usize, &str, &str); 11] = [
    (P_MARKED_PUBLIC, "public_buildings", "公共建筑底数"),
    (P_MARKED_VILLAGES, "urban_villages", "城中村底数"),
    (P_MARKED_ESTATES, "new_estates", "新建住宅小区底数"),
    (P_OLD_PLANNED, "old_estates", "老旧小区底数"),
    (P_OLD_DONE, "old_estates", "老旧小区底数"),
    (
        P_EBIKE_PROPERTY,
        "property_estates",
        "设有物业管理服务企业的小区数",
    ),
    (P_EBIKE_OLD, "old_estates", "老旧小区底数"),
    (P_EBIKE_ALL, "residential_estates", "居民住宅区（小区）总数"),
    (P_RENTAL_SIGNED, "rental_households", "城中村出租屋户数"),
    (
        P_HYDRANTS_BUILT,
        "hydrant_gaps",
        "应新建、补建的市政消火栓数",
    ),
    (P_TRAINED, "key_people", "辖区重点人群人数"),
];

/// The three populations of 标识化 (L322).
const LANE_BASE: [&str; 3] = ["public_buildings", "urban_villages", "new_estates"];
const LANE_DONE: [usize; 3] = [P_MARKED_PUBLIC, P_MARKED_VILLAGES, P_MARKED_ESTATES];

const fn td(id: &'static str, last_due: Date) -> TargetDay {
    TargetDay { id, last_due }
}

/// A per-town share: done counts of the latest progress row ÷ baseline counts.
struct TownShare {
    target: TargetDay,
    base: &'static [&'static str],
    done: &'static [usize],
}

const SHARES: [TownShare; 10] = [
    TownShare {
        target: td("lane-marking", END_2020),
        base: &LANE_BASE,
        done: &LANE_DONE,
    },
    TownShare {
        target: td("old-estate-plans", END_2020),
        base: &["old_estates"],
        done: &[P_OLD_PLANNED],
    },
    TownShare {
        target: td("old-estate-treated", END_2022),
        base: &["old_estates"],
        done: &[P_OLD_DONE],
    },
    TownShare {
        target: td("rental-letters", END_2022),
        base: &["rental_households"],
        done: &[P_RENTAL_SIGNED],
    },
    TownShare {
        target: td("ebike-property-estates", END_2020),
        base: &["property_estates"],
        done: &[P_EBIKE_PROPERTY],
    },
    TownShare {
        target: td("ebike-old-estates", END_2021),
        base: &["old_estates"],
        done: &[P_EBIKE_OLD],
    },
    TownShare {
        target: td("ebike-residential", END_2022),
        base: &["residential_estates"],
        done: &[P_EBIKE_ALL],
    },
    TownShare {
        target: td("hydrants", END_2022),
        base: &["hydrant_gaps"],
        done: &[P_HYDRANTS_BUILT],
    },
    TownShare {
        target: td("key-people-trained", END_2021),
        base: &["key_people"],
        done: &[P_TRAINED],
    },
    TownShare {
        target: td("key-people-trained-all", END_2022),
        base: &["key_people"],
        done: &[P_TRAINED],
    },
];

/// A per-town milestone: the date field on or before the evaluation day → 100, else 0.
const MILESTONES: [(TargetDay, &str); 3] = [
    (td("lane-survey", END_AUG_2020), "lane_survey_date"),
    (td("old-estate-survey", END_AUG_2020), "old_survey_date"),
    (td("grid-platform", END_2020), "grid_module_date"),
];

/// The targets of `town-register`.
pub const TARGETS: &[TargetDay] = &[
    MILESTONES[0].0,
    MILESTONES[1].0,
    MILESTONES[2].0,
    SHARES[0].target,
    SHARES[1].target,
    SHARES[2].target,
    SHARES[3].target,
    SHARES[4].target,
    SHARES[5].target,
    SHARES[6].target,
    SHARES[7].target,
    SHARES[8].target,
    SHARES[9].target,
];

/// The town of a record (trimmed; `None` when blank).
fn town<R: Fields + ?Sized>(r: &R) -> Option<&str> {
    r.text("town").map(str::trim).filter(|t| !t.is_empty())
}

/// The progress rows of a record that have a date: (date, row).
fn dated_rows<'g, R: Fields + ?Sized>(
    r: &R,
    group: &'g Group<12>,
) -> Vec<(Date, &'g [String; 12])> {
    group
        .rows()
        .iter()
        .filter_map(|row| r.date(&row[P_DATE]).map(|d| (d, row)))
        .collect()
}

/// The latest row dated on or before `d` (of two on the same day, the later row).
fn latest<'g>(rows: &[(Date, &'g [String; 12])], d: Date) -> Option<&'g [String; 12]> {
    rows.iter()
        .filter(|(x, _)| *x <= d)
        .max_by_key(|(x, _)| *x)
        .map(|(_, row)| *row)
}

/// The sum of the baseline fields (empty ones read as 0).
fn baseline<R: Fields + ?Sized>(r: &R, fields: &[&str]) -> f64 {
    fields.iter().map(|f| count_of(r, f)).sum()
}

/// The sum of a row's done counts.
fn done<R: Fields + ?Sized>(r: &R, row: &[String; 12], fields: &[usize]) -> f64 {
    fields.iter().map(|&k| count_of(r, &row[k])).sum()
}

/// The per-town target values on `as_of` (rules.md §1). A town with two records: the later
/// record's values.
pub fn compute(records: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let group = Group::of_batch(PROGRESS, P_FIELDS, records);
    let mut values: BTreeMap<(&str, String), f64> = BTreeMap::new();
    for r in records.rows() {
        let Some(town) = town(&r) else { continue };
        for (t, field) in MILESTONES {
            let v = if by(&r, field, t.day(as_of)) {
                100.0
            } else {
                0.0
            };
            values.insert((t.id, town.to_owned()), v);
        }
        let rows = dated_rows(&r, &group);
        for s in &SHARES {
            let Some(row) = latest(&rows, s.target.day(as_of)) else {
                values.remove(&(s.target.id, town.to_owned()));
                continue;
            };
            match share(done(&r, row, s.done), baseline(&r, s.base)) {
                Some(v) => values.insert((s.target.id, town.to_owned()), v),
                None => values.remove(&(s.target.id, town.to_owned())),
            };
        }
    }
    values
        .into_iter()
        .map(|((id, town), value)| TargetValue {
            target_id: id.to_owned(),
            value,
            town: Some(town),
        })
        .collect()
}

// ------------------------------------------------------------------ rules of town-register

/// R1 — 「2020年8月底以前要以镇、街道为单位,全面摸排统计…底数和消防车通道管理情况」 (L322) and
/// 「2020年8月底前要以镇、街道为单位,全面摸排统计辖区老旧小区底数…」 (L324).
fn survey_due<R: Fields + ?Sized>(
    r: &R,
    today: Option<Date>,
    rule: &'static str,
    field: &str,
    what: &str,
    line: u32,
) -> Finding {
    let reason = format!(
        "第{line}行：2020年8月底前以镇、街道为单位全面摸排统计{what}底数和消防车通道管理情况。"
    );
    match r.date(field) {
        Some(d) if d <= END_AUG_2020 => finding(rule, "按期完成摸排", reason, Vec::new()),
        Some(d) => finding(
            rule,
            "逾期完成摸排",
            format!("{reason}于{d}完成。"),
            vec![Issue::info(
                field,
                format!("{what}底数摸排统计晚于2020年8月底完成（{d}）。"),
            )],
        ),
        None if today.is_some_and(|t| t > END_AUG_2020) => finding(
            rule,
            "逾期未完成摸排",
            reason,
            vec![Issue::warning(
                field,
                format!(
                    "{what}底数和消防车通道管理情况应于2020年8月底以前摸排统计完成，尚未填写完成日期。"
                ),
            )],
        ),
        None => finding(rule, "待摸排（2020年8月底以前）", reason, Vec::new()),
    }
}

/// R2 — 「2020年底前,全区公共建筑、城中村、新建住宅小区要全部完成标识化设置及规范化管理。
/// 未完成的,由牵头负责单位提请区级以上政府挂牌督办整改」 (L322).
pub fn lane_marking_supervision(
    r: &FormRecord,
    group: &Group<12>,
    today: Option<Date>,
) -> Option<Finding> {
    let base = baseline(r, &LANE_BASE);
    if base <= 0.0 {
        return None;
    }
    let rule = "lane-marking-supervision";
    let reason = "第322行：2020年底前全部完成标识化设置及规范化管理；未完成的，由牵头负责单位提请区级以上政府挂牌督办整改（属于消防安全重点单位的由消防救援机构牵头，其他由各镇(街道)牵头）。";
    let rows = dated_rows(r, group);
    let done_on = |d: Date| latest(&rows, d).map_or(0.0, |row| done(r, row, &LANE_DONE));
    let now = today.map_or(0.0, done_on);
    let field = "progress";
    if today.is_none_or(|t| t <= END_2020) {
        return Some(if now >= base {
            finding(rule, "已全部完成标识化", reason, Vec::new())
        } else {
            finding(
                rule,
                "须于2020年底前全部完成",
                reason,
                vec![Issue::warning(
                    field,
                    format!(
                        "底数{base}处，已完成{now}处：2020年底前须全部完成标识化设置及规范化管理，未完成的将提请挂牌督办。"
                    ),
                )],
            )
        });
    }
    let by_deadline = done_on(END_2020);
    Some(if by_deadline >= base {
        finding(rule, "2020年底前已全部完成", reason, Vec::new())
    } else if now >= base {
        finding(
            rule,
            "逾期完成（已挂牌督办整改）",
            format!("{reason}2020年底前完成{by_deadline}处（底数{base}处）。"),
            vec![Issue::info(
                field,
                format!(
                    "2020年底前未全部完成标识化设置（完成{by_deadline}处，底数{base}处），此后已全部完成。"
                ),
            )],
        )
    } else {
        finding(
            rule,
            "应提请挂牌督办",
            reason,
            vec![Issue::warning(
                field,
                format!(
                    "2020年底前未全部完成公共建筑、城中村、新建住宅小区标识化设置及规范化管理（底数{base}处，2020年底完成{by_deadline}处，现完成{now}处）：由牵头负责单位提请区级以上政府挂牌督办整改。"
                ),
            )],
        )
    })
}

/// R3 — a count done is a part of its baseline (the shares of L322–L412 are done ÷ 底数).
fn progress_within_baseline(r: &FormRecord, group: &Group<12>) -> Option<Finding> {
    let mut issues = Vec::new();
    for row in group.rows() {
        for (k, base_field, base_label) in BASELINE_OF {
            let (Some(n), Some(base)) = (r.number(&row[k]), r.number(base_field)) else {
                continue;
            };
            if n > base {
                issues.push(Issue::warning(
                    &row[k],
                    format!("已完成数{n}超过{base_label}{base}：请核对底数或进度。"),
                ));
            }
        }
    }
    (!issues.is_empty()).then(|| {
        finding(
            "progress-within-baseline",
            "进度数超过底数",
            "完成比例以摸排统计的底数为分母（第322、324、354、372、388、410行）。",
            issues,
        )
    })
}

/// The findings of one `town-register` record.
pub fn register_findings(r: &FormRecord, today: Option<Date>) -> Vec<Finding> {
    if town(r).is_none() && r.fields.is_empty() {
        return Vec::new();
    }
    let group = Group::of_record(PROGRESS, P_FIELDS, r);
    let mut out = vec![
        survey_due(
            r,
            today,
            "lane-survey-due",
            "lane_survey_date",
            "公共建筑、城中村、新建住宅小区",
            322,
        ),
        survey_due(
            r,
            today,
            "old-estate-survey-due",
            "old_survey_date",
            "老旧小区",
            324,
        ),
    ];
    out.extend(lane_marking_supervision(r, &group, today));
    out.extend(progress_within_baseline(r, &group));
    out
}

// ------------------------------------------------------------------ lane-violation

/// 「多次违法停车」 (L335): read as two or more (rules.md R4; the text gives no number).
pub const REPEATED_PARKING: f64 = 2.0;

/// R4 — 「对占用、堵塞、封闭消防车通道拒不改正的或者多次违法停车造成严重影响的单位和个人,要纳入
/// 消防安全严重失信行为,推动记入企业信用档案和个人诚信记录,推送至当地信用信息平台」 (L335).
pub fn serious_dishonesty<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> Option<Finding> {
    r.date("found_date")?;
    let rule = "serious-dishonesty";
    let reason = "第335行：对占用、堵塞、封闭消防车通道拒不改正的或者多次违法停车造成严重影响的单位和个人，要纳入消防安全严重失信行为。";
    let correct_by = r.date("correct_by");
    let corrected = r.date("corrected_date");
    let mut grounds = Vec::new();
    if yes(r, "refused") {
        grounds.push("拒不改正".to_owned());
    } else if let (Some(c), Some(t)) = (correct_by, today)
        && t > c
        && corrected.is_none_or(|x| x > c)
    {
        grounds.push(format!("逾期未改正（改正期限{c}），按拒不改正"));
    }
    if let Some(n) = r.number("parking_offences")
        && n >= REPEATED_PARKING
        && yes(r, "serious_impact")
    {
        grounds.push(format!("多次违法停车（{n}次）造成严重影响"));
    }
    if !grounds.is_empty() {
        let grounds = grounds.join("；");
        return Some(match r.date("credit_date") {
            Some(d) => finding(
                rule,
                "严重失信行为（已纳入）",
                format!("{reason}{grounds}；已于{d}纳入并推送。"),
                Vec::new(),
            ),
            None => finding(
                rule,
                "严重失信行为",
                format!("{reason}{grounds}。"),
                vec![Issue::warning(
                    "credit_date",
                    format!(
                        "{grounds}：要纳入消防安全严重失信行为，推动记入企业信用档案和个人诚信记录，推送至当地信用信息平台，按照本地规定实施联合惩戒措施。"
                    ),
                )],
            ),
        });
    }
    Some(match (corrected, correct_by) {
        (Some(d), _) => finding(rule, "已改正", format!("{reason}于{d}改正。"), Vec::new()),
        (None, Some(c)) => finding(
            rule,
            "责令改正中",
            format!("{reason}改正期限{c}。"),
            Vec::new(),
        ),
        (None, None) => finding(
            rule,
            "待责令改正",
            reason,
            vec![Issue::info(
                "correct_by",
                "占用、堵塞、封闭消防车通道：请依法查处，责令限期改正并填写改正期限。",
            )],
        ),
    })
}

/// The findings of one `lane-violation` record.
pub fn violation_findings(r: &FormRecord, today: Option<Date>) -> Vec<Finding> {
    serious_dishonesty(r, today).into_iter().collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::TOWN_REGISTER as TR;
    use super::super::test_support::*;
    use super::*;
    use anwei_plugin_sdk::Severity;
    use anwei_plugin_sdk::record::RecordBuilder;

    /// A town record: baseline `(field, value)` pairs and progress rows of `(field, value)`.
    pub fn town_record(base: &[(&str, &str)], rows: &[&[(&str, &str)]]) -> FormRecord {
        let mut b = RecordBuilder::new("t").text("remarks", "无");
        for (k, v) in base {
            b = set(b, k, v);
        }
        for (i, row) in rows.iter().enumerate() {
            for (k, v) in *row {
                b = set(b, &format!("{PROGRESS}[{i}]/{k}"), v);
            }
        }
        b.build()
    }

    /// rules.md §1 fixture: 越州镇 and 南宁街道 (and a record without a town).
    pub fn fixture() -> Vec<FormRecord> {
        vec![
            town_record(
                &[
                    ("town", "越州镇"),
                    ("lane_survey_date", "2020-08-31"),
                    ("public_buildings", "30"),
                    ("urban_villages", "6"),
                    ("new_estates", "4"),
                    ("old_survey_date", "2020-09-01"),
                    ("old_estates", "10"),
                    ("property_estates", "8"),
                    ("residential_estates", "20"),
                    ("rental_households", "400"),
                    ("hydrant_gaps", "0"),
                    ("key_people", "500"),
                    ("grid_module_date", "2020-12-31"),
                ],
                &[
                    &[
                        ("p_date", "2020-12-31"),
                        ("p_marked_public", "30"),
                        ("p_marked_villages", "5"),
                        ("p_marked_estates", "4"),
                        ("p_old_planned", "10"),
                        ("p_old_done", "3"),
                        ("p_ebike_property", "8"),
                        ("p_ebike_old", "2"),
                        ("p_ebike_all", "9"),
                        ("p_rental_signed", "100"),
                        ("p_trained", "200"),
                    ],
                    &[
                        ("p_date", "2021-12-31"),
                        ("p_marked_public", "30"),
                        ("p_marked_villages", "6"),
                        ("p_marked_estates", "4"),
                        ("p_old_planned", "10"),
                        ("p_old_done", "6"),
                        ("p_ebike_property", "8"),
                        ("p_ebike_old", "10"),
                        ("p_ebike_all", "15"),
                        ("p_rental_signed", "300"),
                        ("p_trained", "340"),
                    ],
                    // Entered after the 2021 row, dated before it: it is not the latest.
                    &[
                        ("p_date", "2021-06-30"),
                        ("p_old_done", "5"),
                        ("p_trained", "300"),
                    ],
                ],
            ),
            town_record(
                &[
                    ("town", "南宁街道"),
                    ("lane_survey_date", "2020-07-15"),
                    ("public_buildings", "50"),
                    ("old_survey_date", "2020-08-20"),
                    ("old_estates", "4"),
                    ("hydrant_gaps", "12"),
                    ("key_people", "0"),
                ],
                &[
                    &[
                        ("p_date", "2020-11-30"),
                        ("p_marked_public", "20"),
                        ("p_old_planned", "4"),
                        ("p_old_done", "1"),
                        ("p_hydrants_built", "3"),
                    ],
                    &[
                        ("p_date", "2021-03-31"),
                        ("p_marked_public", "50"),
                        ("p_old_planned", "4"),
                        ("p_old_done", "2"),
                        ("p_hydrants_built", "6"),
                    ],
                    &[
                        ("p_date", "2022-12-31"),
                        ("p_marked_public", "50"),
                        ("p_old_planned", "4"),
                        ("p_old_done", "4"),
                        ("p_hydrants_built", "12"),
                    ],
                ],
            ),
            town_record(&[("public_buildings", "9")], &[&[("p_date", "2020-12-31")]]),
        ]
    }

    #[test]
    fn fixture_per_town_values_at_the_checkpoints() {
        let f = fixture();
        let y = "越州镇";
        let n = "南宁街道";
        let k = |id: &str, t: &str| format!("{id}@{t}");
        // 2020-12-31.
        let got = desk(TR, &f, "2020-12-31");
        assert_values(
            &got,
            &[
                (&k("lane-survey", y), 100.0),
                (&k("lane-survey", n), 100.0),
                (&k("old-estate-survey", y), 0.0), // 2020-09-01 is a day late
                (&k("old-estate-survey", n), 100.0),
                (&k("grid-platform", y), 100.0),
                (&k("grid-platform", n), 0.0),
                (&k("lane-marking", y), 97.5), // 39 of 40
                (&k("lane-marking", n), 40.0), // 20 of 50 on 11-30
                (&k("old-estate-plans", y), 100.0),
                (&k("old-estate-plans", n), 100.0),
                (&k("old-estate-treated", y), 30.0),
                (&k("old-estate-treated", n), 25.0),
                (&k("rental-letters", y), 25.0),
                (&k("ebike-property-estates", y), 100.0),
                (&k("ebike-old-estates", y), 20.0),
                (&k("ebike-old-estates", n), 0.0),
                (&k("ebike-residential", y), 45.0),
                (&k("hydrants", n), 25.0), // 越州镇 has no gap: no value
                (&k("key-people-trained", y), 40.0),
                (&k("key-people-trained-all", y), 40.0),
            ],
            "2020-12-31",
        );
        // 2021-12-31: the 2021-12-31 row, not the later-entered 2021-06-30 one.
        let got = desk(TR, &f, "2021-12-31");
        assert_eq!(got[&k("old-estate-treated", y)], 60.0);
        assert_eq!(got[&k("old-estate-treated", n)], 50.0);
        assert_eq!(got[&k("key-people-trained", y)], 68.0);
        assert_eq!(got[&k("ebike-old-estates", y)], 100.0);
        // Frozen at their due days.
        assert_eq!(got[&k("lane-marking", y)], 97.5);
        assert_eq!(got[&k("lane-marking", n)], 40.0);
        assert_eq!(got[&k("old-estate-survey", y)], 0.0);
        // Mid-2021: the 2021-06-30 row.
        let got = desk(TR, &f, "2021-07-01");
        assert_eq!(got[&k("old-estate-treated", y)], 50.0);
        assert_eq!(got[&k("key-people-trained", y)], 60.0);
        // 2022-12-31 and after.
        for as_of in ["2022-12-31", "2023-05-01"] {
            let got = desk(TR, &f, as_of);
            assert_eq!(got[&k("old-estate-treated", n)], 100.0, "{as_of}");
            assert_eq!(got[&k("hydrants", n)], 100.0, "{as_of}");
            assert_eq!(got[&k("old-estate-treated", y)], 60.0, "{as_of}");
            assert_eq!(got[&k("key-people-trained", y)], 68.0, "{as_of}");
        }
        // Before any report: the milestones only (0 or 100), no share.
        let got = desk(TR, &f, "2020-08-31");
        assert_values(
            &got,
            &[
                (&k("lane-survey", y), 100.0),
                (&k("lane-survey", n), 100.0),
                (&k("old-estate-survey", y), 0.0),
                (&k("old-estate-survey", n), 100.0),
                (&k("grid-platform", y), 0.0),
                (&k("grid-platform", n), 0.0),
            ],
            "2020-08-31",
        );
    }

    #[test]
    fn a_town_with_two_records_takes_the_later_one() {
        let a = town_record(
            &[("town", "越州镇"), ("old_estates", "10")],
            &[&[("p_date", "2020-12-31"), ("p_old_done", "3")]],
        );
        let b = town_record(
            &[("town", "越州镇"), ("old_estates", "10")],
            &[&[("p_date", "2020-12-31"), ("p_old_done", "5")]],
        );
        let got = desk(TR, &[a.clone(), b.clone()], "2020-12-31");
        assert_eq!(got["old-estate-treated@越州镇"], 50.0);
        let got = desk(TR, &[b, a], "2020-12-31");
        assert_eq!(got["old-estate-treated@越州镇"], 30.0);
    }

    // -------------------------------------------------------------- R1

    #[test]
    fn the_survey_is_due_at_the_end_of_august_2020() {
        let none = town_record(&[("town", "越州镇")], &[]);
        assert_eq!(
            class(TR, &none, "2020-08-31", "lane-survey-due").as_deref(),
            Some("待摸排（2020年8月底以前）")
        );
        assert!(warnings(TR, &none, "2020-08-31").is_empty());
        assert_eq!(
            class(TR, &none, "2020-09-01", "lane-survey-due").as_deref(),
            Some("逾期未完成摸排")
        );
        let w = warnings(TR, &none, "2020-09-01");
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].field, "lane_survey_date");
        assert_eq!(
            w[0].message,
            "公共建筑、城中村、新建住宅小区底数和消防车通道管理情况应于2020年8月底以前摸排统计完成，尚未填写完成日期。"
        );
        assert_eq!(w[1].field, "old_survey_date");
        let on_time = town_record(
            &[("town", "越州镇"), ("old_survey_date", "2020-08-31")],
            &[],
        );
        assert_eq!(
            class(TR, &on_time, "2021-01-01", "old-estate-survey-due").as_deref(),
            Some("按期完成摸排")
        );
        let late = town_record(
            &[("town", "越州镇"), ("old_survey_date", "2020-09-01")],
            &[],
        );
        assert_eq!(
            class(TR, &late, "2021-01-01", "old-estate-survey-due").as_deref(),
            Some("逾期完成摸排")
        );
        let i = issues(TR, &late, "2021-01-01");
        assert!(i.iter().any(|i| i.field == "old_survey_date"
            && i.severity == Severity::Info
            && i.message == "老旧小区底数摸排统计晚于2020年8月底完成（2020-09-01）。"));
    }

    // -------------------------------------------------------------- R2

    fn lanes(rows: &[&[(&str, &str)]]) -> FormRecord {
        town_record(
            &[
                ("town", "越州镇"),
                ("lane_survey_date", "2020-08-01"),
                ("old_survey_date", "2020-08-01"),
                ("public_buildings", "10"),
                ("urban_villages", "2"),
            ],
            rows,
        )
    }

    #[test]
    fn lanes_not_marked_by_the_end_of_2020_go_to_listed_supervision() {
        let r = lanes(&[&[
            ("p_date", "2020-12-31"),
            ("p_marked_public", "10"),
            ("p_marked_villages", "1"),
        ]]);
        // On the deadline: still to be done, not yet 挂牌督办.
        assert_eq!(
            class(TR, &r, "2020-12-31", "lane-marking-supervision").as_deref(),
            Some("须于2020年底前全部完成")
        );
        let w = warnings(TR, &r, "2020-12-31");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].field, "progress");
        assert_eq!(
            w[0].message,
            "底数12处，已完成11处：2020年底前须全部完成标识化设置及规范化管理，未完成的将提请挂牌督办。"
        );
        // The day after: 挂牌督办.
        assert_eq!(
            class(TR, &r, "2021-01-01", "lane-marking-supervision").as_deref(),
            Some("应提请挂牌督办")
        );
        let w = warnings(TR, &r, "2021-01-01");
        assert_eq!(w.len(), 1);
        assert_eq!(
            w[0].message,
            "2020年底前未全部完成公共建筑、城中村、新建住宅小区标识化设置及规范化管理（底数12处，2020年底完成11处，现完成11处）：由牵头负责单位提请区级以上政府挂牌督办整改。"
        );
        // All done on 2020-12-31: on time, then and later.
        let done = lanes(&[&[
            ("p_date", "2020-12-31"),
            ("p_marked_public", "10"),
            ("p_marked_villages", "2"),
        ]]);
        assert_eq!(
            class(TR, &done, "2020-12-31", "lane-marking-supervision").as_deref(),
            Some("已全部完成标识化")
        );
        assert_eq!(
            class(TR, &done, "2021-01-01", "lane-marking-supervision").as_deref(),
            Some("2020年底前已全部完成")
        );
        assert!(warnings(TR, &done, "2021-01-01").is_empty());
        // Done on 2021-01-01 only: late, shown as such, no warning.
        let late = lanes(&[
            &[("p_date", "2020-12-31"), ("p_marked_public", "10")],
            &[
                ("p_date", "2021-01-01"),
                ("p_marked_public", "10"),
                ("p_marked_villages", "2"),
            ],
        ]);
        assert_eq!(
            class(TR, &late, "2021-01-01", "lane-marking-supervision").as_deref(),
            Some("逾期完成（已挂牌督办整改）")
        );
        assert!(warnings(TR, &late, "2021-01-01").is_empty());
        // A report dated after today does not count yet.
        assert_eq!(
            class(TR, &late, "2020-12-31", "lane-marking-supervision").as_deref(),
            Some("须于2020年底前全部完成")
        );
        // No baseline: the rule does not apply.
        let none = town_record(&[("town", "越州镇")], &[]);
        assert_eq!(
            class(TR, &none, "2021-01-01", "lane-marking-supervision"),
            None
        );
    }

    // -------------------------------------------------------------- R3

    #[test]
    fn a_count_done_beyond_its_baseline_is_questioned() {
        let r = town_record(
            &[
                ("town", "越州镇"),
                ("old_estates", "4"),
                ("key_people", "100"),
            ],
            &[&[
                ("p_date", "2021-01-01"),
                ("p_old_done", "5"),
                ("p_old_planned", "4"),
                ("p_trained", "100"),
                ("p_ebike_all", "3"),
            ]],
        );
        let i: Vec<Issue> = issues(TR, &r, "2020-06-01");
        assert_eq!(i.len(), 1, "{i:?}");
        assert_eq!(i[0].field, "progress[0]/p_old_done");
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(
            i[0].message,
            "已完成数5超过老旧小区底数4：请核对底数或进度。"
        );
        assert_eq!(
            class(TR, &r, "2020-06-01", "progress-within-baseline").as_deref(),
            Some("进度数超过底数")
        );
    }

    // -------------------------------------------------------------- R4

    fn case(fields: &[(&str, &str)]) -> FormRecord {
        let mut all = vec![
            ("party", "某物业公司"),
            ("party_kind", "unit"),
            ("town", "越州镇"),
            ("acts", "[occupy block]"),
            ("found_date", "2021-03-01"),
        ];
        all.extend_from_slice(fields);
        record(&all)
    }

    const LV: &str = super::super::LANE_VIOLATION;

    #[test]
    fn a_lane_not_cleared_by_its_deadline_is_a_serious_breach_of_trust() {
        let r = case(&[("order_date", "2021-03-01"), ("correct_by", "2021-03-10")]);
        // On the last day to correct: not yet.
        assert_eq!(
            class(LV, &r, "2021-03-10", "serious-dishonesty").as_deref(),
            Some("责令改正中")
        );
        assert!(issues(LV, &r, "2021-03-10").is_empty());
        // The day after, not corrected: 严重失信.
        assert_eq!(
            class(LV, &r, "2021-03-11", "serious-dishonesty").as_deref(),
            Some("严重失信行为")
        );
        let w = warnings(LV, &r, "2021-03-11");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].field, "credit_date");
        assert_eq!(
            w[0].message,
            "逾期未改正（改正期限2021-03-10），按拒不改正：要纳入消防安全严重失信行为，推动记入企业信用档案和个人诚信记录，推送至当地信用信息平台，按照本地规定实施联合惩戒措施。"
        );
        // Corrected on the last day: 已改正, also later.
        let ok = case(&[
            ("correct_by", "2021-03-10"),
            ("corrected_date", "2021-03-10"),
        ]);
        assert_eq!(
            class(LV, &ok, "2021-06-01", "serious-dishonesty").as_deref(),
            Some("已改正")
        );
        // Corrected a day late: it was not cleared by its deadline.
        let late = case(&[
            ("correct_by", "2021-03-10"),
            ("corrected_date", "2021-03-11"),
        ]);
        assert_eq!(
            class(LV, &late, "2021-06-01", "serious-dishonesty").as_deref(),
            Some("严重失信行为")
        );
        // Already recorded as such: no warning.
        let recorded = case(&[("correct_by", "2021-03-10"), ("credit_date", "2021-03-20")]);
        assert_eq!(
            class(LV, &recorded, "2021-06-01", "serious-dishonesty").as_deref(),
            Some("严重失信行为（已纳入）")
        );
        assert!(warnings(LV, &recorded, "2021-06-01").is_empty());
        // An outright refusal counts at once.
        let refused = case(&[("correct_by", "2021-03-10"), ("refused", "yes")]);
        assert_eq!(
            class(LV, &refused, "2021-03-02", "serious-dishonesty").as_deref(),
            Some("严重失信行为")
        );
        // No order yet.
        let open = case(&[]);
        assert_eq!(
            class(LV, &open, "2021-03-02", "serious-dishonesty").as_deref(),
            Some("待责令改正")
        );
        assert_eq!(issues(LV, &open, "2021-03-02")[0].severity, Severity::Info);
    }

    #[test]
    fn repeated_illegal_parking_with_serious_impact_is_a_serious_breach_of_trust() {
        let with = |n: &str, impact: &str| {
            case(&[
                ("parking_offences", n),
                ("serious_impact", impact),
                ("corrected_date", "2021-03-02"),
            ])
        };
        assert_eq!(
            class(LV, &with("1", "yes"), "2021-04-01", "serious-dishonesty").as_deref(),
            Some("已改正")
        );
        assert_eq!(
            class(LV, &with("2", "yes"), "2021-04-01", "serious-dishonesty").as_deref(),
            Some("严重失信行为")
        );
        assert_eq!(
            class(LV, &with("2", "no"), "2021-04-01", "serious-dishonesty").as_deref(),
            Some("已改正")
        );
        let w = warnings(LV, &with("3", "yes"), "2021-04-01");
        assert!(
            w[0].message
                .starts_with("多次违法停车（3次）造成严重影响：")
        );
    }
}
