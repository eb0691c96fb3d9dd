//! “九小场所”消防安全台账 (`small-venue`), the plugin's main ledger: one record per venue of the
//! nine kinds of L357. Its four targets are counted in one pass into a [`Tally`], which also
//! adds up over batches (`summarize`/`combine`) for a register of any size (rules.md §2).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::serde::{Deserialize, Serialize};
use anwei_plugin_sdk::summary::Summary;
use anwei_plugin_sdk::{Fields, FormRecord, Issue, RecordBatch, TargetValue, ValueRef};

use super::{CAMPAIGN_START, END_2022, Finding, Ratio, TargetDay, finding, open_at, push};

/// The nine kinds of 「“九小场所”(小学校或幼儿园、小医院、小商店、小餐饮场所、小旅馆、小歌舞娱乐
/// 场所、小网吧、小美容洗浴场所、小生产加工企业)」 (L357), as the form's choices.
pub const KINDS: [(&str, &str); 9] = [
    ("school", "小学校或幼儿园"),
    ("clinic", "小医院"),
    ("shop", "小商店"),
    ("restaurant", "小餐饮场所"),
    ("hotel", "小旅馆"),
    ("entertainment", "小歌舞娱乐场所"),
    ("internet_cafe", "小网吧"),
    ("beauty_bath", "小美容洗浴场所"),
    ("workshop", "小生产加工企业"),
];

/// The standard of L357: 「灭火器有、电线穿管、通道不堵、应急灯亮、标识齐全、分隔有效、充电规范」,
/// as the choices of `standard_met`.
pub const STANDARD: [(&str, &str); 7] = [
    ("extinguisher", "灭火器有"),
    ("conduit", "电线穿管"),
    ("passage", "通道不堵"),
    ("emergency_light", "应急灯亮"),
    ("signs", "标识齐全"),
    ("separation", "分隔有效"),
    ("charging", "充电规范"),
];

/// The two violations L357 has cleared: 违规住宿, 违规存放易燃易爆危险品.
pub const VIOLATIONS: [(&str, &str); 2] = [
    ("lodging", "违规住宿"),
    ("hazmat", "违规存放易燃易爆危险品"),
];

const fn td(id: &'static str) -> TargetDay {
    TargetDay {
        id,
        last_due: END_2022,
    }
}

pub const INSPECTED: TargetDay = td("small-venue-inspected");
pub const LISTS: TargetDay = td("small-venue-lists");
pub const STANDARD_MET: TargetDay = td("small-venue-standard");
pub const OPEN_VIOLATIONS: TargetDay = td("small-venue-violations");

/// The targets of `small-venue` (all four fall due at the end of 2022: one evaluation day).
pub const TARGETS: &[TargetDay] = &[INSPECTED, LISTS, STANDARD_MET, OPEN_VIOLATIONS];

/// The points of the standard a record says are met, as bits (bit k: [`STANDARD`]`[k]`).
fn standard_bits<R: Fields + ?Sized>(r: &R) -> u8 {
    let bit = |code: &str| {
        STANDARD
            .iter()
            .position(|(c, _)| *c == code)
            .map_or(0, |k| 1u8 << k)
    };
    match r.value("standard_met") {
        Some(ValueRef::Choices(c)) => c.iter().fold(0, |b, code| b | bit(code)),
        Some(ValueRef::Text(t)) => t.split_whitespace().fold(0, |b, code| b | bit(code)),
        _ => 0,
    }
}

const ALL_POINTS: u8 = (1 << STANDARD.len()) - 1;

/// Whether the record states a violation of L357 (违规住宿 or 违规存放易燃易爆危险品).
fn has_violation<R: Fields + ?Sized>(r: &R) -> bool {
    match r.value("violations") {
        Some(ValueRef::Choices(c)) => !c.is_empty(),
        Some(ValueRef::Text(t)) => !t.trim().is_empty(),
        _ => false,
    }
}

/// The counts of the four targets over some records (rules.md §2); batches add up.
#[derive(Debug, Default, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(crate = "anwei_plugin_sdk::serde")]
pub struct Tally {
    inspected: Ratio,
    lists: Ratio,
    standard: Ratio,
    open_violations: u64,
}

impl Summary for Tally {
    fn merge(&mut self, o: Tally) {
        self.inspected.merge(o.inspected);
        self.lists.merge(o.lists);
        self.standard.merge(o.standard);
        self.open_violations += o.open_violations;
    }
}

impl Tally {
    /// One venue on the evaluation day `d`.
    fn add<R: Fields + ?Sized>(&mut self, r: &R, d: Date) {
        if !open_at(r, "closed_date", d) {
            return;
        }
        self.inspected.add(
            r.date("inspected_date")
                .is_some_and(|x| x >= CAMPAIGN_START && x <= d),
        );
        self.lists.add(r.date("lists_date").is_some_and(|x| x <= d));
        self.standard.add(
            r.date("standard_checked_date").is_some_and(|x| x <= d)
                && standard_bits(r) == ALL_POINTS,
        );
        if has_violation(r)
            && r.date("violation_found_date").is_some_and(|x| x <= d)
            && r.date("violation_cleared_date").is_none_or(|x| x > d)
        {
            self.open_violations += 1;
        }
    }

    pub fn values(&self) -> Vec<TargetValue> {
        let mut out = Vec::new();
        push(&mut out, INSPECTED.id, self.inspected.value());
        push(&mut out, LISTS.id, self.lists.value());
        push(&mut out, STANDARD_MET.id, self.standard.value());
        // A count: no venues give 0 (nothing left to clear).
        push(
            &mut out,
            OPEN_VIOLATIONS.id,
            Some(self.open_violations as f64),
        );
        out
    }
}

/// The tally of a batch on `as_of`: one pass over its rows.
pub fn tally(records: &RecordBatch, as_of: Date) -> Tally {
    let d = INSPECTED.day(as_of);
    let mut t = Tally::default();
    for r in records.rows() {
        t.add(&r, d);
    }
    t
}

// ------------------------------------------------------------------ rules

/// R5 — the standard of L357, point by point, once the venue has been checked against it.
pub fn seven_points<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let checked = r.date("standard_checked_date")?;
    let rule = "seven-point-standard";
    let reason = format!(
        "第357行：按照“灭火器有、电线穿管、通道不堵、应急灯亮、标识齐全、分隔有效、充电规范”的标准，逐一督促落实整治要求；{checked}核查。"
    );
    let bits = standard_bits(r);
    let missing: Vec<&str> = STANDARD
        .iter()
        .enumerate()
        .filter(|(k, _)| bits & (1 << k) == 0)
        .map(|(_, (_, label))| *label)
        .collect();
    Some(if missing.is_empty() {
        finding(rule, "七项标准全部落实", reason, Vec::new())
    } else {
        let list = missing.join("、");
        finding(
            rule,
            format!("未落实：{list}"),
            reason,
            vec![Issue::warning(
                "standard_met",
                format!("按“九小场所”整治标准，尚未落实：{list}。"),
            )],
        )
    })
}

/// R6 — 「要对违规住宿、违规存放易燃易爆危险品的情况进行清理」 (L357).
pub fn violation_cleanup<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    if !has_violation(r) {
        return None;
    }
    let rule = "violation-cleanup";
    let what: Vec<&str> = r
        .choices("violations")
        .iter()
        .filter_map(|c| VIOLATIONS.iter().find(|(k, _)| k == c).map(|(_, l)| *l))
        .collect();
    let what = what.join("、");
    let reason =
        format!("第357行：要对违规住宿、违规存放易燃易爆危险品的情况进行清理；本场所：{what}。");
    Some(match r.date("violation_cleared_date") {
        Some(d) => finding(rule, "已清理", format!("{reason}于{d}清理。"), Vec::new()),
        None => finding(
            rule,
            "须清理",
            reason,
            vec![Issue::warning(
                "violation_cleared_date",
                format!("存在{what}情况，须进行清理。"),
            )],
        ),
    })
}

pub fn findings(r: &FormRecord) -> Vec<Finding> {
    seven_points(r)
        .into_iter()
        .chain(violation_cleanup(r))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::SMALL_VENUE as SV;
    use super::super::test_support::*;
    use super::*;
    use anwei_plugin_sdk::Severity;
    use anwei_plugin_sdk::summary;

    fn venue(fields: &[(&str, &str)]) -> FormRecord {
        let mut all = vec![
            ("venue", "某小旅馆"),
            ("town", "越州镇"),
            ("kind", "hotel"),
            ("remarks", "无"),
        ];
        all.extend_from_slice(fields);
        record(&all)
    }

    const ALL7: &str = "[extinguisher conduit passage emergency_light signs separation charging]";
    const SIX: &str = "[extinguisher conduit passage emergency_light signs separation]";

    /// rules.md §2 fixture.
    pub fn fixture() -> Vec<FormRecord> {
        vec![
            // A: inspected, lists, all seven, a violation cleared in 2021.
            venue(&[
                ("inspected_date", "2020-05-01"),
                ("lists_date", "2020-05-10"),
                ("standard_checked_date", "2021-03-01"),
                ("standard_met", ALL7),
                ("violations", "[lodging]"),
                ("violation_found_date", "2020-05-01"),
                ("violation_cleared_date", "2021-02-01"),
            ]),
            // B: inspected before the campaign, six points, a violation open.
            venue(&[
                ("inspected_date", "2019-12-31"),
                ("standard_checked_date", "2020-06-01"),
                ("standard_met", SIX),
                ("violations", "[hazmat lodging]"),
                ("violation_found_date", "2020-06-01"),
            ]),
            // C: closed on 2021-06-30.
            venue(&[
                ("inspected_date", "2020-07-01"),
                ("violations", "[hazmat]"),
                ("violation_found_date", "2020-07-01"),
                ("closed_date", "2021-06-30"),
            ]),
            // D: all seven ticked but checked only in 2023.
            venue(&[
                ("inspected_date", "2022-12-31"),
                ("lists_date", "2022-12-31"),
                ("standard_checked_date", "2023-01-05"),
                ("standard_met", ALL7),
            ]),
        ]
    }

    #[test]
    fn fixture_small_venue() {
        let f = fixture();
        assert_values(
            &desk(SV, &f, "2020-12-31"),
            &[
                ("small-venue-inspected", 50.0), // A, C of 4 (B before the campaign, D later)
                ("small-venue-lists", 25.0),
                ("small-venue-standard", 0.0), // A checked in 2021, B six points
                ("small-venue-violations", 3.0),
            ],
            "2020-12-31",
        );
        // C closed on 2021-06-30: out of every population from that day.
        assert_values(
            &desk(SV, &f, "2021-06-30"),
            &[
                ("small-venue-inspected", 100.0 / 3.0),
                ("small-venue-lists", 100.0 / 3.0),
                ("small-venue-standard", 100.0 / 3.0),
                ("small-venue-violations", 1.0),
            ],
            "2021-06-30",
        );
        for as_of in ["2022-12-31", "2023-06-01"] {
            assert_values(
                &desk(SV, &f, as_of),
                &[
                    ("small-venue-inspected", 200.0 / 3.0),
                    ("small-venue-lists", 200.0 / 3.0),
                    ("small-venue-standard", 100.0 / 3.0), // D's check is after 2022
                    ("small-venue-violations", 1.0),
                ],
                as_of,
            );
        }
        // No venue: no share, and nothing to clear.
        assert_values(
            &desk(SV, &[], "2022-12-31"),
            &[("small-venue-violations", 0.0)],
            "empty",
        );
    }

    #[test]
    fn the_register_in_batches_adds_up_to_the_whole_register() {
        let mut records = Vec::new();
        for k in 0..5 {
            records.extend(fixture().into_iter().map(|mut r| {
                r.id = format!("{k}-{}", r.id);
                r
            }));
        }
        for as_of in ["2020-12-31", "2021-06-30", "2022-12-31"] {
            let whole = keyed(&super::super::compute(
                SV,
                &input_batch(SV, &records),
                Some(day(as_of)),
            ));
            for cut in 0..=records.len() {
                for size in [1usize, 3, 7] {
                    let mut summaries = Vec::new();
                    let (a, b) = records.split_at(cut);
                    for part in [a, b] {
                        for chunk in part.chunks(size) {
                            let batch = input_batch(SV, chunk);
                            summaries.push(
                                super::super::summarize(SV, &batch, Some(day(as_of))).unwrap(),
                            );
                        }
                    }
                    let combined = keyed(&super::super::combine(SV, &summaries, Some(day(as_of))));
                    assert_eq!(combined, whole, "{as_of} cut {cut} size {size}");
                }
            }
        }
        // A merge that drops a count is caught.
        let mut t: Tally = summary::combine(&[summary::encode(&tally(
            &full_batch(&fixture()),
            day("2020-12-31"),
        ))
        .unwrap()])
        .unwrap();
        let before = t;
        t.merge(before);
        assert_eq!(t.open_violations, 6);
    }

    /// The main ledger's budget (≤ 1 s for 100 000 records inside WASM): one pass, natively
    /// timed here (`cargo test --release -p anwei-plugin-fire -- --ignored --nocapture`); the
    /// desk's own benchmark times it in WASM.
    #[test]
    #[ignore]
    fn a_hundred_thousand_venues_in_one_pass() {
        let base = fixture();
        let records: Vec<FormRecord> = (0..100_000).map(|i| base[i % base.len()].clone()).collect();
        let batch = input_batch(SV, &records);
        let start = std::time::Instant::now();
        let v = super::super::compute(SV, &batch, Some(day("2021-06-30")));
        let took = start.elapsed();
        println!("small-venue: 100 000 records in {took:?}");
        assert_eq!(v.len(), 4);
        assert!(took.as_millis() < 1000, "{took:?}");
    }

    #[test]
    fn the_seven_points_of_the_standard_are_checked_one_by_one() {
        let six = venue(&[
            ("standard_checked_date", "2021-01-01"),
            ("standard_met", SIX),
        ]);
        assert_eq!(
            class(SV, &six, "2021-01-02", "seven-point-standard").as_deref(),
            Some("未落实：充电规范")
        );
        let i = issues(SV, &six, "2021-01-02");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "standard_met");
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(i[0].message, "按“九小场所”整治标准，尚未落实：充电规范。");
        let seven = venue(&[
            ("standard_checked_date", "2021-01-01"),
            ("standard_met", ALL7),
        ]);
        assert_eq!(
            class(SV, &seven, "2021-01-02", "seven-point-standard").as_deref(),
            Some("七项标准全部落实")
        );
        assert!(issues(SV, &seven, "2021-01-02").is_empty());
        let none = venue(&[("standard_checked_date", "2021-01-01")]);
        assert_eq!(
            issues(SV, &none, "2021-01-02")[0].message,
            "按“九小场所”整治标准，尚未落实：灭火器有、电线穿管、通道不堵、应急灯亮、标识齐全、分隔有效、充电规范。"
        );
        // Not checked yet: the rule says nothing.
        assert_eq!(
            class(SV, &venue(&[]), "2021-01-02", "seven-point-standard"),
            None
        );
        // The form's choices are the seven points and the nine kinds, in the seed's order.
        let forms = anwei_plugin_sdk::content::FormsContent::from_json(crate::FORMS_JSON).unwrap();
        let form = forms.forms.iter().find(|f| f.id == SV).unwrap();
        let choices = |name: &str| -> Vec<(String, String)> {
            let f = form.fields.iter().find(|f| f.name == name).unwrap();
            f.choices
                .iter()
                .map(|c| (c[0].clone(), c[1].clone()))
                .collect()
        };
        let own = |l: &[(&str, &str)]| -> Vec<(String, String)> {
            l.iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect()
        };
        assert_eq!(choices("standard_met"), own(&STANDARD));
        assert_eq!(choices("kind"), own(&KINDS));
        assert_eq!(choices("violations"), own(&VIOLATIONS));
        let seed_words: Vec<&str> = STANDARD.iter().map(|(_, l)| *l).collect();
        assert!(
            crate::PLAN_JSON.contains(&format!("“{}”的标准", seed_words.join("、"))),
            "the standard as the seed words it"
        );
    }

    #[test]
    fn violations_are_to_be_cleared() {
        let open = venue(&[
            ("violations", "[lodging hazmat]"),
            ("violation_found_date", "2021-01-01"),
        ]);
        assert_eq!(
            class(SV, &open, "2021-01-02", "violation-cleanup").as_deref(),
            Some("须清理")
        );
        let i = issues(SV, &open, "2021-01-02");
        assert_eq!(i[0].field, "violation_cleared_date");
        assert_eq!(
            i[0].message,
            "存在违规住宿、违规存放易燃易爆危险品情况，须进行清理。"
        );
        let cleared = venue(&[
            ("violations", "[hazmat]"),
            ("violation_found_date", "2021-01-01"),
            ("violation_cleared_date", "2021-01-05"),
        ]);
        assert_eq!(
            class(SV, &cleared, "2021-02-01", "violation-cleanup").as_deref(),
            Some("已清理")
        );
        assert!(issues(SV, &cleared, "2021-02-01").is_empty());
        assert_eq!(
            class(SV, &venue(&[]), "2021-02-01", "violation-cleanup"),
            None
        );
    }
}
