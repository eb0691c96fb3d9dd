//! The registers of four of the 六类场所 of (二) (rules.md §3): 高层建筑 (`highrise`, L340),
//! 大型商业综合体 (`complex`, L345), 石油化工企业 (`petrochem`, L348) and 文物保护单位
//! (`heritage`, L351–352). Each form's targets in one pass over its records.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, FormRecord, Issue, RecordBatch, TargetValue};

use super::{
    END_2020, END_2021, END_2022, Finding, Group, Minimum, Period, Ratio, TargetDay, Window, by,
    finding, push, yes,
};

const fn td(id: &'static str, last_due: Date) -> TargetDay {
    TargetDay { id, last_due }
}

// ------------------------------------------------------------------ highrise

pub const WATER_TESTED: TargetDay = td("highrise-water-tested", END_2020);
pub const WATER_FIXED: TargetDay = td("highrise-water-fixed", END_2022);
pub const HIGHRISE_MICRO: TargetDay = td("highrise-micro-station", END_2022);
pub const AGREEMENT: TargetDay = td("highrise-agreement", END_2022);
pub const HIGHRISE_TARGETS: &[TargetDay] = &[WATER_TESTED, WATER_FIXED, HIGHRISE_MICRO, AGREEMENT];

/// A 多产权高层公共建筑 (L340 五是).
fn multi_owner_public<R: Fields + ?Sized>(r: &R) -> bool {
    r.choice("kind") == Some("public") && yes(r, "multi_owner")
}

pub fn highrise(records: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let (d_tested, d_end) = (WATER_TESTED.day(as_of), WATER_FIXED.day(as_of));
    let (mut tested, mut fixed, mut micro, mut agreement) = Default::default();
    for r in records.rows() {
        Ratio::add(&mut tested, by(&r, "water_tested_date", d_tested));
        if yes(&r, "water_problem") {
            Ratio::add(&mut fixed, by(&r, "water_fixed_date", d_end));
        }
        Ratio::add(&mut micro, by(&r, "micro_station_date", d_end));
        if multi_owner_public(&r) {
            Ratio::add(&mut agreement, by(&r, "agreement_date", d_end));
        }
    }
    let mut out = Vec::new();
    push(&mut out, WATER_TESTED.id, tested.value());
    push(&mut out, WATER_FIXED.id, fixed.value());
    push(&mut out, HIGHRISE_MICRO.id, micro.value());
    push(&mut out, AGREEMENT.id, agreement.value());
    out
}

/// R7 — 「督促多产权高层公共建筑各产权单位、委托管理单位以及各经营主体、使用单位签订消防安全
/// 责任分工协议,依法明确各自应承担的消防安全责任,确定消防安全责任人、管理人」 (L340).
pub fn highrise_findings(r: &FormRecord) -> Vec<Finding> {
    if !multi_owner_public(r) {
        return Vec::new();
    }
    let rule = "highrise-agreement";
    let reason = "第340行：督促多产权高层公共建筑各产权单位、委托管理单位以及各经营主体、使用单位签订消防安全责任分工协议。";
    vec![match r.date("agreement_date") {
        Some(d) => finding(
            rule,
            "已签订责任分工协议",
            format!("{reason}于{d}签订。"),
            Vec::new(),
        ),
        None => finding(
            rule,
            "待签订责任分工协议",
            reason,
            vec![Issue::warning(
                "agreement_date",
                "多产权高层公共建筑：须督促各产权单位、委托管理单位以及各经营主体、使用单位签订消防安全责任分工协议，明确消防安全责任人、管理人。",
            )],
        ),
    }]
}

// ------------------------------------------------------------------ complex and petrochem

/// The repeat group of checks and drills of `complex` and `petrochem`.
pub const ACTS: &str = "acts";
const ACT_FIELDS: [&str; 2] = ["act_kind", "act_date"];

pub const COMPLEX_STANDARDISED: TargetDay = td("complex-standardised", END_2020);
pub const COMPLEX_LETTERS: TargetDay = td("complex-letters", END_2022);
pub const COMPLEX_QUARTERLY: TargetDay = td("complex-quarterly-assessment", END_2022);
pub const COMPLEX_DRILLS: TargetDay = td("complex-drills", END_2022);
pub const COMPLEX_TARGETS: &[TargetDay] = &[
    COMPLEX_STANDARDISED,
    COMPLEX_LETTERS,
    COMPLEX_QUARTERLY,
    COMPLEX_DRILLS,
];

pub const PETROCHEM_SELF: TargetDay = td("petrochem-self-assessment", END_2022);
pub const PETROCHEM_DRILLS: TargetDay = td("petrochem-drills", END_2022);
pub const PETROCHEM_THREE: TargetDay = td("petrochem-three-tasks", END_2022);
pub const PETROCHEM_TARGETS: &[TargetDay] = &[PETROCHEM_SELF, PETROCHEM_DRILLS, PETROCHEM_THREE];

/// A recurring duty of each record: the target, its period and the `act_kind` it counts.
struct Duty {
    target: TargetDay,
    period: Period,
    kind: &'static str,
}

const COMPLEX_DUTIES: [Duty; 2] = [
    // 「每季度消防安全检查评估制度」 (L345).
    Duty {
        target: COMPLEX_QUARTERLY,
        period: Period::Quarter,
        kind: "assessment",
    },
    // 「每半年组织开展一次灭火和应急疏散演练活动」 (L345).
    Duty {
        target: COMPLEX_DRILLS,
        period: Period::HalfYear,
        kind: "drill",
    },
];

const PETROCHEM_DUTIES: [Duty; 2] = [
    // 「每年度应至少开展一次自查评估」 (L348).
    Duty {
        target: PETROCHEM_SELF,
        period: Period::Year,
        kind: "self_assessment",
    },
    // 「每年度应至少组织开展2次以上贴近实战的技能训练和综合演练」 (L348).
    Duty {
        target: PETROCHEM_DRILLS,
        period: Period::Year,
        kind: "drill",
    },
];

/// For each duty, the smallest number of acts of its kind a record has in the duty's window
/// (rules.md §0: the last whole period). One pass over the records.
fn duties(records: &RecordBatch, as_of: Date, duties: &[Duty; 2], out: &mut Vec<TargetValue>) {
    let group = Group::of_batch(ACTS, ACT_FIELDS, records);
    let windows = duties.each_ref().map(|d| Window::of(d.period, as_of));
    let mut least = [Minimum::default(); 2];
    for r in records.rows() {
        let mut n = [0u32; 2];
        for row in group.rows() {
            let (Some(kind), Some(date)) = (r.choice(&row[0]), r.date(&row[1])) else {
                continue;
            };
            for (k, duty) in duties.iter().enumerate() {
                n[k] += u32::from(kind == duty.kind && windows[k].contains(date));
            }
        }
        for k in 0..2 {
            least[k].add(f64::from(n[k]));
        }
    }
    for (k, duty) in duties.iter().enumerate() {
        push(out, duty.target.id, least[k].value());
    }
}

pub fn complex(records: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let d_std = COMPLEX_STANDARDISED.day(as_of);
    let d_end = COMPLEX_LETTERS.day(as_of);
    let (mut standardised, mut letters) = (Ratio::default(), Ratio::default());
    for r in records.rows() {
        standardised.add(by(&r, "standardised_date", d_std));
        letters.add(by(&r, "letters_date", d_end));
    }
    let mut out = Vec::new();
    push(&mut out, COMPLEX_STANDARDISED.id, standardised.value());
    push(&mut out, COMPLEX_LETTERS.id, letters.value());
    duties(records, as_of, &COMPLEX_DUTIES, &mut out);
    out
}

pub fn petrochem(records: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let d = PETROCHEM_THREE.day(as_of);
    let mut three = Ratio::default();
    for r in records.rows() {
        three.add(
            ["risk_control_date", "facilities_date", "brigade_date"]
                .iter()
                .all(|f| by(&r, f, d)),
        );
    }
    let mut out = Vec::new();
    duties(records, as_of, &PETROCHEM_DUTIES, &mut out);
    push(&mut out, PETROCHEM_THREE.id, three.value());
    out
}

/// R8 — 「2020年底,大型商业综合体要全部完成消防安全标准化管理达标创建工作」 (L345).
pub fn complex_findings(r: &FormRecord, today: Option<Date>) -> Vec<Finding> {
    if r.is_blank("name") {
        return Vec::new();
    }
    let rule = "complex-standardisation-due";
    let reason = "第345行：2020年底，大型商业综合体要全部完成消防安全标准化管理达标创建工作。";
    vec![match r.date("standardised_date") {
        Some(d) if d <= END_2020 => finding(rule, "按期完成达标创建", reason, Vec::new()),
        Some(d) => finding(
            rule,
            "逾期完成达标创建",
            format!("{reason}于{d}完成。"),
            Vec::new(),
        ),
        None if today.is_some_and(|t| t > END_2020) => finding(
            rule,
            "逾期未完成达标创建",
            reason,
            vec![Issue::warning(
                "standardised_date",
                "大型商业综合体应于2020年底完成消防安全标准化管理达标创建工作，尚未完成。",
            )],
        ),
        None => finding(rule, "待完成达标创建（2020年底）", reason, Vec::new()),
    }]
}

// ------------------------------------------------------------------ heritage

pub const HERITAGE_NP: TargetDay = td("heritage-national-provincial", END_2021);
pub const HERITAGE_MUNICIPAL: TargetDay = td("heritage-municipal", END_2022);
pub const HERITAGE_MICRO: TargetDay = td("heritage-key-micro-station", END_2022);
pub const HERITAGE_TARGETS: &[TargetDay] = &[HERITAGE_NP, HERITAGE_MUNICIPAL, HERITAGE_MICRO];

/// The day a 文物保护单位 of `level` is to meet the 「一项一策」 standard: 国家级和省级 2021 (L351),
/// 市级 2022 (L352); other levels have none.
pub fn one_policy_due(level: &str) -> Option<Date> {
    match level {
        "national" | "provincial" => Some(END_2021),
        "municipal" => Some(END_2022),
        _ => None,
    }
}

pub fn heritage(records: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let (d_np, d_end) = (HERITAGE_NP.day(as_of), HERITAGE_MUNICIPAL.day(as_of));
    let (mut np, mut municipal, mut micro) = (Ratio::default(), Ratio::default(), Ratio::default());
    for r in records.rows() {
        match r.choice("level") {
            Some("national" | "provincial") => np.add(by(&r, "one_policy_date", d_np)),
            Some("municipal") => municipal.add(by(&r, "one_policy_date", d_end)),
            _ => {}
        }
        if yes(&r, "key_unit") {
            micro.add(by(&r, "micro_station_date", d_end));
        }
    }
    let mut out = Vec::new();
    push(&mut out, HERITAGE_NP.id, np.value());
    push(&mut out, HERITAGE_MUNICIPAL.id, municipal.value());
    push(&mut out, HERITAGE_MICRO.id, micro.value());
    out
}

/// R9 — 「2021年,全区国家级和省级文物保护单位全部达到“一项一策”消防安全整治标准;2022年,全区
/// 市级文物保护单位全部达到…」 (L351–352); R10 — 「属于消防安全重点单位的,全部按照微型消防站
/// 建设标准配备相应人员、器材」 (L351).
pub fn heritage_findings(r: &FormRecord, today: Option<Date>) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(level) = r.choice("level")
        && let Some(due) = one_policy_due(level)
    {
        let rule = "one-policy-due";
        let label = if level == "municipal" {
            "市级"
        } else {
            "国家级和省级"
        };
        let reason = format!(
            "第351–352行：{}年，全区{label}文物保护单位全部达到“一项一策”消防安全整治标准。",
            due.year
        );
        out.push(match r.date("one_policy_date") {
            Some(d) if d <= due => finding(rule, "按期达标", reason, Vec::new()),
            Some(d) => finding(rule, "逾期达标", format!("{reason}于{d}达标。"), Vec::new()),
            None if today.is_some_and(|t| t > due) => finding(
                rule,
                "逾期未达标",
                reason,
                vec![Issue::warning(
                    "one_policy_date",
                    format!(
                        "{label}文物保护单位应于{}年底前达到“一项一策”消防安全整治标准，尚未达标。",
                        due.year
                    ),
                )],
            ),
            None => finding(
                rule,
                format!("待达标（{}年底）", due.year),
                reason,
                Vec::new(),
            ),
        });
    }
    if yes(r, "key_unit") {
        let rule = "heritage-micro-station";
        let reason =
            "第351行：属于消防安全重点单位的，全部按照微型消防站建设标准配备相应人员、器材。";
        out.push(match r.date("micro_station_date") {
            Some(d) => finding(
                rule,
                "已按标准配备",
                format!("{reason}于{d}配备。"),
                Vec::new(),
            ),
            None => finding(
                rule,
                "待按微型消防站标准配备",
                reason,
                vec![Issue::warning(
                    "micro_station_date",
                    "属于消防安全重点单位的文物建筑，须按照微型消防站建设标准配备相应人员、器材。",
                )],
            ),
        });
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::test_support::*;
    use super::super::{COMPLEX, HERITAGE, HIGHRISE, PETROCHEM};
    use super::*;
    use anwei_plugin_sdk::record::RecordBuilder;

    /// A record with the rows of its `acts` group: `(kind, date)`.
    fn with_acts(fields: &[(&str, &str)], acts: &[(&str, &str)]) -> FormRecord {
        let mut b = RecordBuilder::new("p").text("remarks", "无");
        for (k, v) in fields {
            b = set(b, k, v);
        }
        for (i, (kind, date)) in acts.iter().enumerate() {
            b = b
                .text(&format!("{ACTS}[{i}]/act_kind"), kind)
                .date(&format!("{ACTS}[{i}]/act_date"), date);
        }
        b.build()
    }

    pub fn highrise_fixture() -> Vec<FormRecord> {
        vec![
            record(&[
                ("name", "A座"),
                ("kind", "public"),
                ("multi_owner", "yes"),
                ("agreement_date", "2021-05-01"),
                ("water_tested_date", "2020-06-01"),
                ("water_problem", "yes"),
                ("water_fixed_date", "2021-01-10"),
                ("micro_station_date", "2020-10-01"),
                ("remarks", "无"),
            ]),
            record(&[
                ("name", "B座"),
                ("kind", "public"),
                ("multi_owner", "yes"),
                ("water_tested_date", "2021-01-01"),
                ("water_problem", "yes"),
            ]),
            record(&[
                ("name", "C小区"),
                ("kind", "residential"),
                ("buildings", "6"),
                ("multi_owner", "yes"), // not a public building: not in the agreement target
                ("water_tested_date", "2020-12-31"),
                ("water_problem", "no"),
                ("micro_station_date", "2022-12-31"),
            ]),
        ]
    }

    #[test]
    fn fixture_highrise() {
        let f = highrise_fixture();
        assert_values(
            &desk(HIGHRISE, &f, "2020-12-31"),
            &[
                ("highrise-water-tested", 200.0 / 3.0),
                ("highrise-water-fixed", 0.0),
                ("highrise-micro-station", 100.0 / 3.0),
                ("highrise-agreement", 0.0),
            ],
            "2020",
        );
        // B's test on 2021-01-01 is late for the 2020 checkpoint, and stays so.
        assert_values(
            &desk(HIGHRISE, &f, "2022-12-31"),
            &[
                ("highrise-water-tested", 200.0 / 3.0),
                ("highrise-water-fixed", 50.0),
                ("highrise-micro-station", 200.0 / 3.0),
                ("highrise-agreement", 50.0),
            ],
            "2022",
        );
    }

    #[test]
    fn a_multi_owner_public_highrise_signs_its_agreement() {
        let f = highrise_fixture();
        assert_eq!(
            class(HIGHRISE, &f[1], "2021-01-01", "highrise-agreement").as_deref(),
            Some("待签订责任分工协议")
        );
        let w = warnings(HIGHRISE, &f[1], "2021-01-01");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].field, "agreement_date");
        assert_eq!(
            class(HIGHRISE, &f[0], "2021-01-01", "highrise-agreement").as_deref(),
            Some("已签订责任分工协议")
        );
        assert_eq!(
            class(HIGHRISE, &f[2], "2021-01-01", "highrise-agreement"),
            None
        );
    }

    pub fn complex_fixture() -> Vec<FormRecord> {
        vec![
            with_acts(
                &[
                    ("name", "甲综合体"),
                    ("standardised_date", "2020-12-31"),
                    ("letters_date", "2021-03-01"),
                ],
                &[
                    ("assessment", "2020-10-15"),
                    ("assessment", "2020-12-01"),
                    ("drill", "2020-08-01"),
                    ("assessment", "2021-02-01"),
                    ("drill", "2021-05-01"),
                ],
            ),
            with_acts(
                &[("name", "乙综合体"), ("standardised_date", "2021-01-01")],
                &[("assessment", "2020-11-30"), ("drill", "2020-12-31")],
            ),
        ]
    }

    #[test]
    fn fixture_complex() {
        let f = complex_fixture();
        // On 2020-12-31 the fourth quarter and the second half of 2020 are whole.
        assert_values(
            &desk(COMPLEX, &f, "2020-12-31"),
            &[
                ("complex-standardised", 50.0),
                ("complex-letters", 0.0),
                ("complex-quarterly-assessment", 1.0), // 甲 2, 乙 1
                ("complex-drills", 1.0),
            ],
            "2020-12-31",
        );
        // On 2021-03-30 the last whole quarter is still 2020's fourth.
        let got = desk(COMPLEX, &f, "2021-03-30");
        assert_eq!(got["complex-quarterly-assessment"], 1.0);
        // On 2021-03-31 it is 2021's first: 乙 has none.
        let got = desk(COMPLEX, &f, "2021-03-31");
        assert_eq!(got["complex-quarterly-assessment"], 0.0);
        assert_eq!(got["complex-standardised"], 50.0); // 乙 a day late
        // First half of 2021: 甲 one drill, 乙 none.
        let got = desk(COMPLEX, &f, "2021-06-30");
        assert_eq!(got["complex-drills"], 0.0);
        assert_eq!(got["complex-letters"], 50.0);
    }

    #[test]
    fn a_complex_not_standardised_by_the_end_of_2020_is_overdue() {
        let none = record(&[("name", "丙综合体")]);
        assert_eq!(
            class(COMPLEX, &none, "2020-12-31", "complex-standardisation-due").as_deref(),
            Some("待完成达标创建（2020年底）")
        );
        assert!(issues(COMPLEX, &none, "2020-12-31").is_empty());
        assert_eq!(
            class(COMPLEX, &none, "2021-01-01", "complex-standardisation-due").as_deref(),
            Some("逾期未完成达标创建")
        );
        let w = warnings(COMPLEX, &none, "2021-01-01");
        assert_eq!(w[0].field, "standardised_date");
        assert_eq!(
            w[0].message,
            "大型商业综合体应于2020年底完成消防安全标准化管理达标创建工作，尚未完成。"
        );
        let f = complex_fixture();
        assert_eq!(
            class(COMPLEX, &f[0], "2021-01-01", "complex-standardisation-due").as_deref(),
            Some("按期完成达标创建")
        );
        assert_eq!(
            class(COMPLEX, &f[1], "2021-01-01", "complex-standardisation-due").as_deref(),
            Some("逾期完成达标创建")
        );
    }

    pub fn petrochem_fixture() -> Vec<FormRecord> {
        vec![
            with_acts(
                &[
                    ("enterprise", "某油库"),
                    ("risk_control_date", "2021-06-01"),
                    ("facilities_date", "2022-06-01"),
                    ("brigade_date", "2022-12-31"),
                ],
                &[
                    ("self_assessment", "2020-04-01"),
                    ("drill", "2020-05-01"),
                    ("drill", "2020-11-01"),
                    ("self_assessment", "2021-12-31"),
                    ("drill", "2021-03-01"),
                    ("drill", "2021-09-01"),
                    ("drill", "2021-10-01"),
                ],
            ),
            with_acts(
                &[
                    ("enterprise", "某加油站"),
                    ("risk_control_date", "2021-01-01"),
                    ("facilities_date", "2021-01-01"),
                ],
                &[
                    ("self_assessment", "2020-06-01"),
                    ("drill", "2020-07-01"),
                    ("drill", "2020-12-31"),
                    ("drill", "2021-07-01"),
                ],
            ),
        ]
    }

    #[test]
    fn fixture_petrochem() {
        let f = petrochem_fixture();
        assert_values(
            &desk(PETROCHEM, &f, "2020-12-31"),
            &[
                ("petrochem-self-assessment", 1.0),
                ("petrochem-drills", 2.0),
                ("petrochem-three-tasks", 0.0),
            ],
            "2020",
        );
        // 2021: the 加油站 made no self-assessment and one drill.
        assert_values(
            &desk(PETROCHEM, &f, "2021-12-31"),
            &[
                ("petrochem-self-assessment", 0.0),
                ("petrochem-drills", 1.0),
                ("petrochem-three-tasks", 0.0),
            ],
            "2021",
        );
        // Until 2021-12-31 the last whole year is 2020.
        assert_eq!(desk(PETROCHEM, &f, "2021-12-30")["petrochem-drills"], 2.0);
        assert_eq!(
            desk(PETROCHEM, &f, "2022-12-31")["petrochem-three-tasks"],
            50.0
        );
        assert_eq!(
            desk(PETROCHEM, &f, "2022-12-30")["petrochem-three-tasks"],
            0.0
        );
    }

    pub fn heritage_fixture() -> Vec<FormRecord> {
        vec![
            record(&[
                ("name", "某寺"),
                ("level", "provincial"),
                ("key_unit", "yes"),
                ("one_policy_date", "2021-12-31"),
                ("micro_station_date", "2021-06-01"),
            ]),
            record(&[("name", "某塔"), ("level", "national"), ("key_unit", "no")]),
            record(&[
                ("name", "某祠"),
                ("level", "municipal"),
                ("key_unit", "yes"),
                ("one_policy_date", "2022-03-01"),
            ]),
            record(&[
                ("name", "某民居"),
                ("level", "county"),
                ("key_unit", "no"),
                ("one_policy_date", "2020-03-01"),
            ]),
        ]
    }

    #[test]
    fn fixture_heritage() {
        let f = heritage_fixture();
        assert_values(
            &desk(HERITAGE, &f, "2021-12-31"),
            &[
                ("heritage-national-provincial", 50.0),
                ("heritage-municipal", 0.0),
                ("heritage-key-micro-station", 50.0),
            ],
            "2021",
        );
        assert_values(
            &desk(HERITAGE, &f, "2022-12-31"),
            &[
                ("heritage-national-provincial", 50.0),
                ("heritage-municipal", 100.0),
                ("heritage-key-micro-station", 50.0),
            ],
            "2022",
        );
    }

    #[test]
    fn each_level_meets_the_one_item_one_policy_standard_by_its_year() {
        let none = |level: &str| record(&[("name", "某处"), ("level", level), ("key_unit", "no")]);
        assert_eq!(
            class(HERITAGE, &none("national"), "2021-12-31", "one-policy-due").as_deref(),
            Some("待达标（2021年底）")
        );
        assert!(issues(HERITAGE, &none("national"), "2021-12-31").is_empty());
        assert_eq!(
            class(
                HERITAGE,
                &none("provincial"),
                "2022-01-01",
                "one-policy-due"
            )
            .as_deref(),
            Some("逾期未达标")
        );
        assert_eq!(
            warnings(HERITAGE, &none("provincial"), "2022-01-01")[0].message,
            "国家级和省级文物保护单位应于2021年底前达到“一项一策”消防安全整治标准，尚未达标。"
        );
        assert_eq!(
            class(HERITAGE, &none("municipal"), "2022-01-01", "one-policy-due").as_deref(),
            Some("待达标（2022年底）")
        );
        assert_eq!(
            class(HERITAGE, &none("municipal"), "2023-01-01", "one-policy-due").as_deref(),
            Some("逾期未达标")
        );
        assert_eq!(
            class(HERITAGE, &none("county"), "2023-01-01", "one-policy-due"),
            None
        );
        let f = heritage_fixture();
        assert_eq!(
            class(HERITAGE, &f[0], "2023-01-01", "one-policy-due").as_deref(),
            Some("按期达标")
        );
        assert_eq!(
            class(HERITAGE, &f[2], "2023-01-01", "one-policy-due").as_deref(),
            Some("按期达标")
        );
        // R10: a key unit without its micro station.
        assert_eq!(
            class(HERITAGE, &f[2], "2023-01-01", "heritage-micro-station").as_deref(),
            Some("待按微型消防站标准配备")
        );
        assert_eq!(
            warnings(HERITAGE, &f[2], "2023-01-01")[0].field,
            "micro_station_date"
        );
        assert_eq!(
            class(HERITAGE, &f[1], "2023-01-01", "heritage-micro-station"),
            None
        );
    }
}
