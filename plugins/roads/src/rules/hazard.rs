//! `road-hazard` 道路交通安全隐患路段台账: the 挂牌督办 ladder of L439–440 (rules H1–H3 of
//! rules.md) and the targets `hazard-supervision`, `hazard-stock` and `hazard-increment`.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, Issue, RecordBatch, TargetValue};

use super::common::{
    CAMPAIGN_START, Finding, by, is_any, judged_on, open_on, share, value, yes, ymd,
};

pub(crate) const FORM: &str = "road-hazard";

pub(crate) const SUPERVISION: &str = "hazard-supervision";
pub(crate) const STOCK: &str = "hazard-stock";
pub(crate) const INCREMENT: &str = "hazard-increment";

/// L440 「发生多起…的交通事故」: 多起 read as two or more accidents in the 近两年 (L439) the
/// statistics cover (the seed gives no number; rules.md H1).
pub(crate) const MULTIPLE_ACCIDENTS: f64 = 2.0;

/// A 挂牌督办 level, lowest first (a higher level than required satisfies the rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    /// 区政府挂牌督办.
    District,
    /// 省、市政府挂牌督办.
    ProvinceOrCity,
}

/// L440: 多起 accidents in the last two years.
pub(crate) fn multiple_accidents(r: &impl Fields) -> bool {
    r.number("accidents_2y")
        .is_some_and(|n| n >= MULTIPLE_ACCIDENTS)
}

/// H1 — the level the ladder of L439–440 gives, if any:
/// 「对易导致群死群伤、且整改难度大的隐患,申报省、市政府挂牌督办」 (both conditions);
/// 「对发生多起或损害后果严重的交通事故,有一定规律性的道路点段,且道路设施存在缺陷的,提请区政府挂牌督办」
/// ((多起 or 严重) and 规律性 and 设施缺陷). Both met: the higher, 省、市.
pub(crate) fn required_level(r: &impl Fields) -> Option<Level> {
    if yes(r, "mass_casualty_risk") && yes(r, "hard_to_fix") {
        Some(Level::ProvinceOrCity)
    } else if (multiple_accidents(r) || yes(r, "severe_consequence"))
        && yes(r, "regular_pattern")
        && yes(r, "facility_defect")
    {
        Some(Level::District)
    } else {
        None
    }
}

/// The level recorded on the record.
pub(crate) fn recorded_level(r: &impl Fields) -> Option<Level> {
    match r.choice("supervision_level")? {
        "province" | "city" => Some(Level::ProvinceOrCity),
        "district" => Some(Level::District),
        _ => None,
    }
}

/// A section the ladder puts under 挂牌督办: a level applies, or it is a 重大安全生产隐患
/// (L439 「对重大安全生产隐患…提请省、市、区三级挂牌督办」, level not stated).
pub(crate) fn needs_supervision(r: &impl Fields) -> bool {
    required_level(r).is_some() || yes(r, "major_hazard")
}

/// Whether the recorded 挂牌督办 meets the ladder (a 重大隐患 with no level of its own: any
/// of the three).
fn level_suffices(r: &impl Fields) -> bool {
    match (required_level(r), recorded_level(r)) {
        (Some(want), Some(have)) => have >= want,
        (None, Some(_)) => true,
        (_, None) => false,
    }
}

/// Under 挂牌督办 at the level the ladder asks on `d`.
pub(crate) fn supervised_on(r: &impl Fields, d: Date) -> bool {
    by(r, "supervision_on", d) && level_suffices(r)
}

const LINE_439_PC: &str = "第439行：对易导致群死群伤、且整改难度大的隐患，申报省、市政府挂牌督办。";
const LINE_440_D: &str = "第440行：对发生多起或损害后果严重的交通事故，有一定规律性的道路点段，且道路设施存在缺陷的，提请区政府挂牌督办。";
const LINE_439_MAJOR: &str =
    "第439行：对重大安全生产隐患，及时通报区安全生产委员会，提请省、市、区三级挂牌督办。";

/// The conditions of the district rung a record meets, in words.
fn district_facts(r: &impl Fields) -> String {
    let mut facts = Vec::new();
    if let Some(n) = r.number("accidents_2y") {
        let many = if multiple_accidents(r) {
            "，属多起"
        } else {
            ""
        };
        facts.push(format!("近两年内交通事故{n}起{many}"));
    }
    for (f, l) in [
        ("severe_consequence", "损害后果严重"),
        ("regular_pattern", "有一定规律性"),
        ("facility_defect", "道路设施存在缺陷"),
    ] {
        if yes(r, f) {
            facts.push(l.to_owned());
        }
    }
    facts.join("、")
}

/// H1 — the ladder's level, and the issue when the record's 挂牌督办 falls short of it.
fn supervision_finding(r: &impl Fields) -> Finding {
    let open = r.date("treated_on").is_none();
    let recorded = r.date("supervision_on").is_some() && level_suffices(r);
    let (value, reason, message) = match required_level(r) {
        Some(Level::ProvinceOrCity) => (
            "应申报省、市政府挂牌督办",
            format!("{LINE_439_PC}本路段易导致群死群伤、且整改难度大。"),
            "易导致群死群伤、且整改难度大的隐患，应申报省、市政府挂牌督办（第439行）。",
        ),
        Some(Level::District) => (
            "应提请区政府挂牌督办",
            format!("{LINE_440_D}本路段：{}。", district_facts(r)),
            "发生多起或损害后果严重的交通事故、有一定规律性且道路设施存在缺陷的道路点段，应提请区政府挂牌督办（第440行）。",
        ),
        None if yes(r, "major_hazard") => (
            "应提请挂牌督办（省、市、区三级，级别未定）",
            format!(
                "{LINE_439_MAJOR}本路段为重大安全生产隐患，不属第439–440行所定省、市级或区级情形。"
            ),
            "重大安全生产隐患应提请省、市、区三级挂牌督办（第439行）。",
        ),
        None => {
            return Finding::new(
                "supervision-level",
                "不属挂牌督办情形",
                format!(
                    "{LINE_439_PC}{LINE_440_D}本路段不符合上述情形，也未登记为重大安全生产隐患。"
                ),
            );
        }
    };
    let f = Finding::new("supervision-level", value, reason);
    if open && !recorded {
        f.with(Issue::warning("supervision_level", message))
    } else {
        f
    }
}

/// H2 — a 重大安全生产隐患 is reported to the 区安全生产委员会 (L439 「及时通报区安全生产委员会」).
fn committee_finding(r: &impl Fields) -> Option<Finding> {
    if !yes(r, "major_hazard") {
        return None;
    }
    Some(match r.date("committee_notified_on") {
        Some(d) => Finding::new(
            "committee-notified",
            "已通报区安全生产委员会",
            format!("{LINE_439_MAJOR}已于{d}通报。"),
        ),
        None => Finding::new(
            "committee-notified",
            "应通报区安全生产委员会",
            LINE_439_MAJOR,
        )
        .with(Issue::warning(
            "committee_notified_on",
            "重大安全生产隐患应及时通报区安全生产委员会（第439行）：尚未登记通报日期。",
        )),
    })
}

/// H3 — treatment state from the dates, and dates that cannot be.
fn treatment_finding(r: &impl Fields) -> Finding {
    let reason = "第439行：按照“消除存量、不添增量、动态排查”的方针，推进治理整治公路安全隐患。";
    let mut f = match (r.date("treated_on"), r.date("treatment_started_on")) {
        (Some(d), _) => Finding::new(
            "treatment",
            "已治理（销号）",
            format!("{reason}已于{d}治理完成。"),
        ),
        (None, Some(_)) => Finding::new("treatment", "治理中", reason),
        (None, None) => Finding::new("treatment", "待治理", reason),
    };
    if let (Some(found), Some(done)) = (r.date("found_on"), r.date("treated_on"))
        && done < found
    {
        f = f.with(Issue::error("treated_on", "治理完成日期早于排查发现日期。"));
    }
    f
}

/// Entries that contradict each other: a level without its date, a date without a level.
fn supervision_entry_issues(r: &impl Fields) -> Vec<Issue> {
    let level = r.choice("supervision_level").filter(|l| *l != "none");
    match (level, r.date("supervision_on")) {
        (Some(_), None) => vec![Issue::warning(
            "supervision_on",
            "已选挂牌督办级别：请填写挂牌督办日期。",
        )],
        (None, Some(_)) => vec![Issue::warning(
            "supervision_level",
            "已填写挂牌督办日期：请选择挂牌督办级别。",
        )],
        _ => Vec::new(),
    }
}

/// The rules of one record (none depends on the day: the ladder reads the record's facts).
pub(crate) fn findings(r: &impl Fields, _today: Option<Date>) -> Vec<Finding> {
    let mut out = vec![supervision_finding(r)];
    out.extend(committee_finding(r));
    let mut t = treatment_finding(r);
    t.issues.extend(supervision_entry_issues(r));
    out.push(t);
    out
}

/// The three targets in one pass over the register on `as_of` (rules.md Part B).
pub(crate) fn compute_rows<R: Fields>(
    rows: impl IntoIterator<Item = R>,
    as_of: Date,
) -> Vec<TargetValue> {
    let d = judged_on(as_of);
    let year_start = ymd(d.year, 1, 1).max(CAMPAIGN_START);
    let (mut due, mut supervised, mut stock, mut increment) = (0u64, 0u64, 0u64, 0u64);
    for r in rows {
        let Some(found) = r.date("found_on") else {
            continue;
        };
        if found > d {
            continue;
        }
        let open = open_on(&r, "treated_on", d);
        if open && needs_supervision(&r) {
            due += 1;
            supervised += u64::from(supervised_on(&r, d));
        }
        if open && is_any(&r, "origin", &["stock"]) {
            stock += 1;
        }
        if found >= year_start && is_any(&r, "origin", &["increment"]) {
            increment += 1;
        }
    }
    let mut out: Vec<TargetValue> = share(supervised, due)
        .map(|v| value(SUPERVISION, v))
        .into_iter()
        .collect();
    out.push(value(STOCK, stock as f64));
    out.push(value(INCREMENT, increment as f64));
    out
}

pub(crate) fn compute(records: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    compute_rows(records.rows(), as_of)
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::record::RecordBuilder;
    use anwei_plugin_sdk::{FormRecord, Severity};

    use super::super::test_support::{class, desk_compute, issues, value_of};
    use super::*;

    fn section() -> RecordBuilder {
        RecordBuilder::new("h")
            .text("road_name", "G320")
            .text("section", "K2000+100—K2000+600")
            .date("found_on", "2020-07-01")
            .text("origin", "stock")
    }

    /// A section with the facts of the district rung: `n` accidents, regular, defective.
    fn district(n: i64) -> RecordBuilder {
        section()
            .integer("accidents_2y", n)
            .flag("regular_pattern", true)
            .flag("facility_defect", true)
    }

    #[test]
    fn two_accidents_are_many_one_is_not() {
        assert_eq!(required_level(&district(2).build()), Some(Level::District));
        assert_eq!(required_level(&district(1).build()), None);
        // One accident with severe consequences is enough.
        let severe = district(1).flag("severe_consequence", true).build();
        assert_eq!(required_level(&severe), Some(Level::District));
        // Without a regular pattern, or without a defect, no district rung.
        let no_pattern = section()
            .integer("accidents_2y", 5)
            .flag("regular_pattern", false)
            .flag("facility_defect", true)
            .build();
        assert_eq!(required_level(&no_pattern), None);
        let rec = section()
            .integer("accidents_2y", 5)
            .flag("regular_pattern", true)
            .build();
        assert_eq!(required_level(&rec), None);
    }

    #[test]
    fn mass_casualty_risk_and_hard_to_fix_go_to_province_or_city() {
        let both = section()
            .integer("accidents_2y", 0)
            .flag("mass_casualty_risk", true)
            .flag("hard_to_fix", true)
            .build();
        assert_eq!(required_level(&both), Some(Level::ProvinceOrCity));
        let one = section()
            .integer("accidents_2y", 0)
            .flag("mass_casualty_risk", true)
            .flag("hard_to_fix", false)
            .build();
        assert_eq!(required_level(&one), None);
        // Both rungs: the higher.
        let all = district(3)
            .flag("mass_casualty_risk", true)
            .flag("hard_to_fix", true)
            .build();
        assert_eq!(required_level(&all), Some(Level::ProvinceOrCity));
        assert_eq!(
            class(FORM, &all, "supervision-level", "2021-01-01").as_deref(),
            Some("应申报省、市政府挂牌督办")
        );
        // A district 挂牌 does not meet the higher rung; a city one does.
        let low = district(3)
            .flag("mass_casualty_risk", true)
            .flag("hard_to_fix", true)
            .text("supervision_level", "district")
            .date("supervision_on", "2020-08-01")
            .build();
        let i = issues(FORM, &low, "2021-01-01");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "supervision_level");
        assert_eq!(
            i[0].message,
            "易导致群死群伤、且整改难度大的隐患，应申报省、市政府挂牌督办（第439行）。"
        );
        let city = district(3)
            .flag("mass_casualty_risk", true)
            .flag("hard_to_fix", true)
            .text("supervision_level", "city")
            .date("supervision_on", "2020-08-01")
            .build();
        assert!(issues(FORM, &city, "2021-01-01").is_empty());
    }

    #[test]
    fn the_district_rung_asks_for_a_district_listing() {
        let rec = district(2).build();
        let i = issues(FORM, &rec, "2021-01-01");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(
            i[0].message,
            "发生多起或损害后果严重的交通事故、有一定规律性且道路设施存在缺陷的道路点段，应提请区政府挂牌督办（第440行）。"
        );
        let f = super::findings(&rec, None);
        assert_eq!(f[0].value, "应提请区政府挂牌督办");
        assert!(
            f[0].reason
                .ends_with("本路段：近两年内交通事故2起，属多起、有一定规律性、道路设施存在缺陷。")
        );
        // A province listing is higher: fine. A treated section asks nothing.
        let higher = district(2)
            .text("supervision_level", "province")
            .date("supervision_on", "2020-09-01")
            .build();
        assert!(issues(FORM, &higher, "2021-01-01").is_empty());
        let treated = district(2).date("treated_on", "2020-12-01").build();
        assert!(issues(FORM, &treated, "2021-01-01").is_empty());
        assert_eq!(
            class(FORM, &treated, "treatment", "2021-01-01").as_deref(),
            Some("已治理（销号）")
        );
        // One accident without severe consequences: not a 挂牌 case.
        let one = district(1).build();
        assert!(issues(FORM, &one, "2021-01-01").is_empty());
        assert_eq!(
            class(FORM, &one, "supervision-level", "2021-01-01").as_deref(),
            Some("不属挂牌督办情形")
        );
    }

    #[test]
    fn a_major_hazard_is_reported_and_listed() {
        let major = section()
            .integer("accidents_2y", 0)
            .flag("major_hazard", true)
            .build();
        let i = issues(FORM, &major, "2021-01-01");
        assert_eq!(
            i.iter().map(|i| i.field.as_str()).collect::<Vec<_>>(),
            ["supervision_level", "committee_notified_on"]
        );
        assert_eq!(
            i[0].message,
            "重大安全生产隐患应提请省、市、区三级挂牌督办（第439行）。"
        );
        assert_eq!(
            class(FORM, &major, "supervision-level", "2021-01-01").as_deref(),
            Some("应提请挂牌督办（省、市、区三级，级别未定）")
        );
        let done = section()
            .integer("accidents_2y", 0)
            .flag("major_hazard", true)
            .date("committee_notified_on", "2020-07-02")
            .text("supervision_level", "district")
            .date("supervision_on", "2020-07-10")
            .build();
        assert!(issues(FORM, &done, "2021-01-01").is_empty());
        assert_eq!(
            class(FORM, &done, "committee-notified", "2021-01-01").as_deref(),
            Some("已通报区安全生产委员会")
        );
    }

    #[test]
    fn contradictory_entries_are_flagged() {
        let early = section()
            .integer("accidents_2y", 0)
            .date("treated_on", "2020-06-30")
            .build();
        let i = issues(FORM, &early, "2021-01-01");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Error);
        assert_eq!(i[0].message, "治理完成日期早于排查发现日期。");
        let same_day = section()
            .integer("accidents_2y", 0)
            .date("treated_on", "2020-07-01")
            .build();
        assert!(issues(FORM, &same_day, "2021-01-01").is_empty());
        let no_date = section()
            .integer("accidents_2y", 0)
            .text("supervision_level", "city")
            .build();
        assert_eq!(
            issues(FORM, &no_date, "2021-01-01")[0].field,
            "supervision_on"
        );
        let no_level = section()
            .integer("accidents_2y", 0)
            .text("supervision_level", "none")
            .date("supervision_on", "2020-08-01")
            .build();
        assert_eq!(
            issues(FORM, &no_level, "2021-01-01")[0].field,
            "supervision_level"
        );
    }

    /// The fixture of rules.md (targets `hazard-supervision`, `hazard-stock`,
    /// `hazard-increment`).
    pub(crate) fn fixture() -> Vec<FormRecord> {
        let rec = |origin: &str, found: &str| {
            RecordBuilder::new("h")
                .text("road_name", "某路")
                .text("section", "某段")
                .text("origin", origin)
                .date("found_on", found)
        };
        vec![
            // A: district rung, listed by the district 2020-09-01, treated 2021-06-30.
            rec("stock", "2020-07-01")
                .integer("accidents_2y", 3)
                .flag("regular_pattern", true)
                .flag("facility_defect", true)
                .text("supervision_level", "district")
                .date("supervision_on", "2020-09-01")
                .date("treated_on", "2021-06-30")
                .build(),
            // B: province/city rung, listed only by the district.
            rec("stock", "2020-08-01")
                .integer("accidents_2y", 0)
                .flag("mass_casualty_risk", true)
                .flag("hard_to_fix", true)
                .text("supervision_level", "district")
                .date("supervision_on", "2020-09-01")
                .build(),
            // C: major hazard, no rung, listed by the city 2021-03-01.
            rec("increment", "2021-02-01")
                .integer("accidents_2y", 1)
                .flag("major_hazard", true)
                .text("supervision_level", "city")
                .date("supervision_on", "2021-03-01")
                .build(),
            // D: no 挂牌 case, stock, treated 2022-12-31.
            rec("stock", "2020-05-01")
                .integer("accidents_2y", 1)
                .date("treated_on", "2022-12-31")
                .build(),
            // E: increment found 2022-03-01, district rung (severe), not listed.
            rec("increment", "2022-03-01")
                .integer("accidents_2y", 1)
                .flag("severe_consequence", true)
                .flag("regular_pattern", true)
                .flag("facility_defect", true)
                .build(),
        ]
    }

    #[test]
    fn fixture_hazard_targets() {
        let records = fixture();
        let at = |as_of: &str| desk_compute(FORM, &records, as_of);
        let v = at("2020-12-31");
        // A (listed), B (listed too low) → 1/2; stock open: A, B, D; increment 2020: none.
        assert_eq!(value_of(&v, SUPERVISION), Some(50.0));
        assert_eq!(value_of(&v, STOCK), Some(3.0));
        assert_eq!(value_of(&v, INCREMENT), Some(0.0));
        let v = at("2021-12-31");
        // A treated; B (no), C (yes) → 1/2; stock: B, D; increment 2021: C.
        assert_eq!(value_of(&v, SUPERVISION), Some(50.0));
        assert_eq!(value_of(&v, STOCK), Some(2.0));
        assert_eq!(value_of(&v, INCREMENT), Some(1.0));
        let v = at("2022-12-31");
        // B (no), C (yes), E (no) → 1/3; stock: B (D treated that day); increment 2022: E.
        assert_eq!(value_of(&v, SUPERVISION), Some(100.0 / 3.0));
        assert_eq!(value_of(&v, STOCK), Some(1.0));
        assert_eq!(value_of(&v, INCREMENT), Some(1.0));
        let v = at("2022-12-30");
        assert_eq!(value_of(&v, STOCK), Some(2.0));
        // 2021-02-15: C found but not yet listed; A listed; B too low → 1/3.
        let v = at("2021-02-15");
        assert_eq!(value_of(&v, SUPERVISION), Some(100.0 / 3.0));
        // Before any section was found: no share, counts 0.
        let v = at("2020-03-01");
        assert_eq!(value_of(&v, SUPERVISION), None);
        assert_eq!(value_of(&v, STOCK), Some(0.0));
        assert_eq!(value_of(&v, INCREMENT), Some(0.0));
    }
}
