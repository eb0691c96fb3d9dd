//! The rules of 附件6 as the seed states them (`content/rules.md`; seed 001, lines 319–414).
//!
//! Each rule (R1–R12 of rules.md) is one function over [`Fields`] returning a [`Finding`]: its
//! classification and the issues it raises; `validate` keeps the issues, `classify` the
//! classifications, so both say the same thing. The targets of each form are computed in one
//! pass over the batch the desk sends (only the targets' `inputs`), in the form's module:
//!
//! - [`town`]: 镇(街道)消防安全底数及整治进度台账 (`town-register`, the per-town targets) and
//!   占用、堵塞、封闭消防车通道违法行为查处台账 (`lane-violation`);
//! - [`venue`]: “九小场所”消防安全台账 (`small-venue`, the main ledger, also by batches);
//! - [`places`]: 高层建筑, 大型商业综合体, 石油化工企业, 文物保护单位;
//! - [`registers`]: 乡镇政府专职消防队, 消防安全重点单位, “智慧消防”联网单位场所, 工作记录.

use std::collections::BTreeSet;

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::serde::{Deserialize, Serialize};
use anwei_plugin_sdk::{Classification, Fields, FormRecord, Issue, RecordBatch, TargetValue};

pub mod places;
pub mod registers;
pub mod town;
pub mod venue;

/// 镇(街道)消防安全底数及整治进度台账.
pub const TOWN_REGISTER: &str = "town-register";
/// 占用、堵塞、封闭消防车通道违法行为查处台账.
pub const LANE_VIOLATION: &str = "lane-violation";
/// “九小场所”消防安全台账 (the main ledger).
pub const SMALL_VENUE: &str = "small-venue";
/// 高层建筑消防安全台账.
pub const HIGHRISE: &str = "highrise";
/// 大型商业综合体消防安全台账.
pub const COMPLEX: &str = "complex";
/// 石油化工企业消防安全能力建设台账.
pub const PETROCHEM: &str = "petrochem";
/// 文物保护单位消防安全台账.
pub const HERITAGE: &str = "heritage";
/// 乡镇政府专职消防队台账.
pub const TOWN_BRIGADE: &str = "town-brigade";
/// 消防安全重点单位台账.
pub const KEY_UNIT: &str = "key-unit";
/// “智慧消防”联网单位场所台账.
pub const NETWORK_SITE: &str = "network-site";
/// 消防安全专项整治工作记录.
pub const WORK_RECORD: &str = "work-record";

/// The forms of the plugin, in the order of `content/forms.json`.
pub const FORMS: [&str; 11] = [
    TOWN_REGISTER,
    LANE_VIOLATION,
    SMALL_VENUE,
    HIGHRISE,
    COMPLEX,
    PETROCHEM,
    HERITAGE,
    TOWN_BRIGADE,
    KEY_UNIT,
    NETWORK_SITE,
    WORK_RECORD,
];

// ------------------------------------------------------------------ dates

/// A date in a `const`.
pub(crate) const fn ymd(year: i32, month: u32, day: u32) -> Date {
    Date { year, month, day }
}

/// 31 December of `year`: 「X年底前」, 「X年内」, 「X年年底前」 and a bare year.
pub(crate) const fn year_end(year: i32) -> Date {
    ymd(year, 12, 31)
}

/// 「2020年8月底以前」 (L322), 「2020年8月底前」 (L324).
pub const END_AUG_2020: Date = ymd(2020, 8, 31);
pub const END_2020: Date = year_end(2020);
pub const END_2021: Date = year_end(2021);
pub const END_2022: Date = year_end(2022);

/// The first day of the campaign's first year: from it a check counts and the recurring
/// duties' periods are numbered (附件6 gives no start date; rules.md §0).
pub const CAMPAIGN_START: Date = ymd(2020, 1, 1);

/// The day after `d`.
pub(crate) fn next_day(d: Date) -> Date {
    Date::new(d.year, d.month, d.day + 1)
        .or_else(|| Date::new(d.year, d.month + 1, 1))
        .unwrap_or(ymd(d.year + 1, 1, 1))
}

/// A target and the day its last checkpoint falls due (its `due`, else 31 December of its
/// year). A unit test checks both against plan.json.
#[derive(Debug, Clone, Copy)]
pub struct TargetDay {
    pub id: &'static str,
    pub last_due: Date,
}

impl TargetDay {
    /// The day D the value stands for on `as_of` (rules.md §0): `as_of` itself until the last
    /// checkpoint falls due (the current value), the due day after it (what is done later does
    /// not count for the checkpoint).
    pub fn day(&self, as_of: Date) -> Date {
        as_of.min(self.last_due)
    }
}

/// The period of a recurring duty, counted in months from [`CAMPAIGN_START`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Quarter,
    HalfYear,
    Year,
}

impl Period {
    fn months(self) -> u32 {
        match self {
            Period::Quarter => 3,
            Period::HalfYear => 6,
            Period::Year => 12,
        }
    }
}

/// The days a recurring duty's value counts on `as_of` (rules.md §0): the last whole period
/// (a period is whole on its last day); before the first one is whole, the first period up to
/// `as_of`; after 2022, the last period of 2022 (the last checkpoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: Date,
    /// The last day that counts.
    pub last: Date,
}

impl Window {
    pub fn of(period: Period, as_of: Date) -> Window {
        let m = period.months();
        let count = 36 / m; // periods in 2020–2022
        let start = |k: u32| CAMPAIGN_START.add_months(k * m);
        let next_of_as_of = next_day(as_of);
        // Whole periods: those whose next period starts on or before the day after as_of.
        let whole = (0..count)
            .take_while(|&k| start(k + 1) <= next_of_as_of)
            .last();
        match whole {
            Some(k) => Window {
                start: start(k),
                last: last_day_before(start(k + 1)),
            },
            None => Window {
                start: start(0),
                last: as_of,
            },
        }
    }

    pub fn contains(&self, d: Date) -> bool {
        d >= self.start && d <= self.last
    }
}

/// The day before `d`, for a `d` that is the first of a month.
fn last_day_before(d: Date) -> Date {
    let (y, m) = if d.month == 1 {
        (d.year - 1, 12)
    } else {
        (d.year, d.month - 1)
    };
    (28..=31)
        .rev()
        .find_map(|day| Date::new(y, m, day))
        .unwrap_or(ymd(y, m, 28))
}

// ------------------------------------------------------------------ reading fields

/// A yes/no field that says yes.
pub(crate) fn yes<R: Fields + ?Sized>(r: &R, name: &str) -> bool {
    r.flag(name) == Some(true)
}

/// A date filled in and on or before `d`.
pub(crate) fn by<R: Fields + ?Sized>(r: &R, name: &str, d: Date) -> bool {
    r.date(name).is_some_and(|x| x <= d)
}

/// Still in the population on `d`: no end date, or an end date after `d`.
pub(crate) fn open_at<R: Fields + ?Sized>(r: &R, end: &str, d: Date) -> bool {
    r.date(end).is_none_or(|e| e > d)
}

/// A number, an empty one read as 0 (counts of the town register).
pub(crate) fn count_of<R: Fields + ?Sized>(r: &R, name: &str) -> f64 {
    r.number(name).filter(|v| *v >= 0.0).unwrap_or(0.0)
}

/// The rows of a repeat group (`group[i]/field`) of a record or batch: the full names of each
/// row's fields, made once per call (a read then finds its column by the name's address).
pub struct Group<const N: usize> {
    rows: Vec<[String; N]>,
}

impl<const N: usize> Group<N> {
    /// The rows named by `names` (a record's field names or a batch's column names), in
    /// order of their index, with the full names of `fields`.
    pub fn new<'n>(
        group: &str,
        fields: [&str; N],
        names: impl IntoIterator<Item = &'n str>,
    ) -> Group<N> {
        let indices: BTreeSet<usize> = names
            .into_iter()
            .filter_map(|n| {
                let rest = n.strip_prefix(group)?.strip_prefix('[')?;
                let (index, _) = rest.split_once("]/")?;
                index.parse().ok()
            })
            .collect();
        Group {
            rows: indices
                .into_iter()
                .map(|i| fields.map(|f| format!("{group}[{i}]/{f}")))
                .collect(),
        }
    }

    /// Of a record.
    pub fn of_record(group: &str, fields: [&str; N], r: &FormRecord) -> Group<N> {
        Group::new(group, fields, r.fields.iter().map(|f| f.name.as_str()))
    }

    /// Of a batch.
    pub fn of_batch(group: &str, fields: [&str; N], b: &RecordBatch) -> Group<N> {
        Group::new(group, fields, b.columns.iter().map(|c| c.name.as_str()))
    }

    pub fn rows(&self) -> &[[String; N]] {
        &self.rows
    }
}

// ------------------------------------------------------------------ aggregations

/// A share: 100 × part ÷ whole. The counts of two batches add up ([`Ratio::merge`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(crate = "anwei_plugin_sdk::serde")]
pub struct Ratio {
    part: u64,
    whole: u64,
}

impl Ratio {
    /// One member of the population, in the numerator when `counted`.
    pub fn add(&mut self, counted: bool) {
        self.whole += 1;
        self.part += u64::from(counted);
    }

    pub fn merge(&mut self, other: Ratio) {
        self.part += other.part;
        self.whole += other.whole;
    }

    /// The share; `None` for an empty population (the desk shows 无数据).
    pub fn value(&self) -> Option<f64> {
        share(self.part as f64, self.whole as f64)
    }
}

/// `part` as a percentage of `whole`; none when the whole is 0.
pub(crate) fn share(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| part * 100.0 / whole)
}

/// The smallest count over a population ("每个…每季度至少…"); `None` when it is empty.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Minimum(Option<f64>);

impl Minimum {
    pub fn add(&mut self, v: f64) {
        self.0 = Some(self.0.map_or(v, |m| m.min(v)));
    }

    pub fn value(&self) -> Option<f64> {
        self.0
    }
}

/// `out` gets the district value of `id` when there is one.
pub(crate) fn push(out: &mut Vec<TargetValue>, id: &str, v: Option<f64>) {
    if let Some(v) = v {
        out.push(TargetValue::district(id, v));
    }
}

// ------------------------------------------------------------------ findings

/// One rule's result for one record.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Rule id (`lane-marking-supervision`, …).
    pub rule: &'static str,
    /// Short result (应提请挂牌督办, 严重失信行为, …).
    pub value: String,
    /// Why, citing the seed.
    pub reason: String,
    /// What the rule asks of the record (warnings and notes: the record stays valid).
    pub issues: Vec<Issue>,
}

pub(crate) fn finding(
    rule: &'static str,
    value: impl Into<String>,
    reason: impl Into<String>,
    issues: Vec<Issue>,
) -> Finding {
    Finding {
        rule,
        value: value.into(),
        reason: reason.into(),
        issues,
    }
}

/// Every rule's finding for one record of `form` on `today` (`None`: not a form of this
/// plugin).
pub fn findings(form: &str, r: &FormRecord, today: Option<Date>) -> Option<Vec<Finding>> {
    Some(match form {
        TOWN_REGISTER => town::register_findings(r, today),
        LANE_VIOLATION => town::violation_findings(r, today),
        SMALL_VENUE => venue::findings(r),
        HIGHRISE => places::highrise_findings(r),
        COMPLEX => places::complex_findings(r, today),
        PETROCHEM => Vec::new(),
        HERITAGE => places::heritage_findings(r, today),
        TOWN_BRIGADE => Vec::new(),
        KEY_UNIT => registers::key_unit_findings(r, today),
        NETWORK_SITE => registers::network_site_findings(r, today),
        WORK_RECORD => Vec::new(),
        _ => return None,
    })
}

/// The issues of one record of `form`.
pub fn validate(form: &str, record: &FormRecord, today: Option<Date>) -> Vec<Issue> {
    match findings(form, record, today) {
        Some(f) => f.into_iter().flat_map(|f| f.issues).collect(),
        None => vec![Issue::error("", format!("未知表单“{form}”"))],
    }
}

/// The rules' results for one record of `form`.
pub fn classify(form: &str, record: &FormRecord, today: Option<Date>) -> Vec<Classification> {
    findings(form, record, today)
        .unwrap_or_default()
        .into_iter()
        .map(|f| Classification {
            record_id: String::new(),
            rule: f.rule.to_owned(),
            value: f.value,
            reason: f.reason,
        })
        .collect()
}

/// Target values of `form` from its records on `as_of` (the batch the desk sends).
pub fn compute(form: &str, records: &RecordBatch, as_of: Option<Date>) -> Vec<TargetValue> {
    let Some(as_of) = as_of else {
        return Vec::new();
    };
    match form {
        TOWN_REGISTER => town::compute(records, as_of),
        SMALL_VENUE => venue::tally(records, as_of).values(),
        HIGHRISE => places::highrise(records, as_of),
        COMPLEX => places::complex(records, as_of),
        PETROCHEM => places::petrochem(records, as_of),
        HERITAGE => places::heritage(records, as_of),
        TOWN_BRIGADE => registers::town_brigade(records, as_of),
        KEY_UNIT => registers::key_unit(records, as_of),
        NETWORK_SITE => registers::network_site(records, as_of),
        WORK_RECORD => registers::work_record(records, as_of),
        _ => Vec::new(),
    }
}

/// The main ledger's partial results over one batch (`small-venue`; other forms are computed
/// whole).
pub fn summarize(form: &str, records: &RecordBatch, as_of: Option<Date>) -> Option<Vec<u8>> {
    match (form, as_of) {
        (SMALL_VENUE, Some(d)) => anwei_plugin_sdk::summary::encode(&venue::tally(records, d)),
        _ => None,
    }
}

/// The main ledger's values from the partial results of every batch.
pub fn combine(form: &str, summaries: &[Vec<u8>], _as_of: Option<Date>) -> Vec<TargetValue> {
    match form {
        SMALL_VENUE => anwei_plugin_sdk::summary::combine::<venue::Tally>(summaries)
            .map(|t| t.values())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Fixtures and assertions shared by the forms' tests.

    use std::collections::BTreeMap;

    use anwei_plugin_sdk::content::PlanContent;
    use anwei_plugin_sdk::date::Date;
    use anwei_plugin_sdk::record::RecordBuilder;
    use anwei_plugin_sdk::{Classification, FormRecord, Issue, RecordBatch, Severity, TargetValue};

    pub fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// `b` with field `name` set from `v`: "yes"/"no" as flags, dates as dates, whole numbers
    /// as integers, "[a b]" as a select-many list, anything else as text.
    pub fn set(b: RecordBuilder, name: &str, v: &str) -> RecordBuilder {
        if let Some(list) = v.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let items: Vec<&str> = list.split_whitespace().collect();
            return b.choices(name, &items);
        }
        match v {
            "yes" => b.flag(name, true),
            "no" => b.flag(name, false),
            _ if Date::parse(v).is_some() => b.date(name, v),
            _ => match v.parse::<i64>() {
                Ok(i) => b.integer(name, i),
                Err(_) => b.text(name, v),
            },
        }
    }

    /// A record from `(field, value)` pairs ([`set`]).
    pub fn record(fields: &[(&str, &str)]) -> FormRecord {
        fields
            .iter()
            .fold(RecordBuilder::new("r"), |b, (k, v)| set(b, k, v))
            .build()
    }

    /// Every field name the records hold.
    pub fn all_names(records: &[FormRecord]) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for r in records {
            for f in &r.fields {
                if !names.contains(&f.name) {
                    names.push(f.name.clone());
                }
            }
        }
        names
    }

    /// The whole records as a batch.
    pub fn full_batch(records: &[FormRecord]) -> RecordBatch {
        let names = all_names(records);
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        RecordBatch::from_records(records, &refs)
    }

    /// plan.json, read once.
    pub fn plan() -> &'static PlanContent {
        static PLAN: std::sync::OnceLock<PlanContent> = std::sync::OnceLock::new();
        PLAN.get_or_init(|| PlanContent::from_json(crate::PLAN_JSON).unwrap())
    }

    /// What the desk passes for `form`: the inputs of its targets; a field of a repeat group
    /// passed for every row (`group[i]/field`).
    pub fn input_batch(form: &str, records: &[FormRecord]) -> RecordBatch {
        let names = all_names(records);
        let mut fields: Vec<String> = Vec::new();
        for input in plan().inputs_of(form) {
            let suffix = format!("]/{input}");
            let rows: Vec<String> = names
                .iter()
                .filter(|n| n.contains('[') && n.ends_with(&suffix))
                .cloned()
                .collect();
            if rows.is_empty() {
                fields.push(input);
            } else {
                fields.extend(rows);
            }
        }
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        RecordBatch::from_records(records, &refs)
    }

    fn key(v: &TargetValue) -> String {
        match &v.town {
            Some(t) => format!("{}@{t}", v.target_id),
            None => v.target_id.clone(),
        }
    }

    /// The values keyed `id` (or `id@town`), each once.
    pub fn keyed(values: &[TargetValue]) -> BTreeMap<String, f64> {
        let mut out = BTreeMap::new();
        for v in values {
            assert!(
                out.insert(key(v), v.value).is_none(),
                "{} given twice",
                key(v)
            );
        }
        out
    }

    /// Compute as the desk does (the inputs only), keyed.
    pub fn desk(form: &str, records: &[FormRecord], as_of: &str) -> BTreeMap<String, f64> {
        keyed(&super::compute(
            form,
            &input_batch(form, records),
            Some(day(as_of)),
        ))
    }

    /// `values` are exactly `expected` (`id` or `id@town`), and no other.
    pub fn assert_values(got: &BTreeMap<String, f64>, expected: &[(&str, f64)], what: &str) {
        for (id, want) in expected {
            match got.get(*id) {
                Some(g) => assert!(
                    (want - g).abs() < 1e-9,
                    "{what}: {id} = {g}, expected {want}"
                ),
                None => panic!("{what}: {id} missing (无数据), expected {want}; got {got:?}"),
            }
        }
        for id in got.keys() {
            assert!(
                expected.iter().any(|(e, _)| e == id),
                "{what}: unexpected value of {id} = {}",
                got[id]
            );
        }
    }

    pub fn issues(form: &str, r: &FormRecord, today: &str) -> Vec<Issue> {
        super::validate(form, r, Some(day(today)))
    }

    pub fn warnings(form: &str, r: &FormRecord, today: &str) -> Vec<Issue> {
        issues(form, r, today)
            .into_iter()
            .filter(|i| i.severity == Severity::Warning)
            .collect()
    }

    /// The value `rule` gives the record on `today`, if it applies.
    pub fn class(form: &str, r: &FormRecord, today: &str, rule: &str) -> Option<String> {
        let all: Vec<Classification> = super::classify(form, r, Some(day(today)));
        all.into_iter().find(|c| c.rule == rule).map(|c| c.value)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::test_support::*;
    use super::*;
    use anwei_plugin_sdk::Severity;
    use anwei_plugin_sdk::record::RecordBuilder;

    /// Every computed target with the day its last checkpoint falls due, per form.
    fn target_days() -> Vec<(&'static str, &'static [TargetDay])> {
        vec![
            (TOWN_REGISTER, town::TARGETS),
            (SMALL_VENUE, venue::TARGETS),
            (HIGHRISE, places::HIGHRISE_TARGETS),
            (COMPLEX, places::COMPLEX_TARGETS),
            (PETROCHEM, places::PETROCHEM_TARGETS),
            (HERITAGE, places::HERITAGE_TARGETS),
            (TOWN_BRIGADE, registers::TOWN_BRIGADE_TARGETS),
            (KEY_UNIT, registers::KEY_UNIT_TARGETS),
            (NETWORK_SITE, registers::NETWORK_SITE_TARGETS),
            (WORK_RECORD, registers::WORK_RECORD_TARGETS),
        ]
    }

    #[test]
    fn the_targets_of_the_code_are_those_of_plan_json_with_their_due_days() {
        let plan = plan();
        let mut in_code = BTreeSet::new();
        for (form, days) in target_days() {
            for t in days {
                let p = plan
                    .targets
                    .iter()
                    .find(|x| x.id == t.id)
                    .unwrap_or_else(|| panic!("{} not in plan.json", t.id));
                assert_eq!(p.form.as_deref(), Some(form), "{}", t.id);
                let last = p.checkpoints.last().unwrap();
                let due = last.due.as_deref().map(day).unwrap_or(year_end(last.year));
                assert_eq!(t.last_due, due, "{}", t.id);
                assert!(in_code.insert(t.id), "{} twice", t.id);
            }
        }
        let computed: BTreeSet<&str> = plan
            .targets
            .iter()
            .filter(|t| t.form.is_some())
            .map(|t| t.id.as_str())
            .collect();
        assert_eq!(in_code, computed);
        // Every target of plan.json is computed from a form.
        assert_eq!(computed.len(), plan.targets.len());
    }

    #[test]
    fn per_town_targets_give_town_values_and_the_others_district_values() {
        let plan = plan();
        for (form, fixture) in fixtures() {
            for as_of in ["2020-08-31", "2020-12-31", "2021-12-31", "2022-12-31"] {
                for v in compute(form, &full_batch(&fixture), Some(day(as_of))) {
                    let t = plan.targets.iter().find(|t| t.id == v.target_id).unwrap();
                    let per_town = t.scope.as_deref() == Some("per_town");
                    assert_eq!(v.town.is_some(), per_town, "{}", v.target_id);
                    assert!(v.value.is_finite(), "{}", v.target_id);
                }
            }
        }
    }

    /// One fixture per form, in which every target of the form has a value on some day.
    fn fixtures() -> Vec<(&'static str, Vec<FormRecord>)> {
        vec![
            (TOWN_REGISTER, town::tests::fixture()),
            (SMALL_VENUE, venue::tests::fixture()),
            (HIGHRISE, places::tests::highrise_fixture()),
            (COMPLEX, places::tests::complex_fixture()),
            (PETROCHEM, places::tests::petrochem_fixture()),
            (HERITAGE, places::tests::heritage_fixture()),
            (TOWN_BRIGADE, registers::tests::brigade_fixture()),
            (KEY_UNIT, registers::tests::key_unit_fixture()),
            (NETWORK_SITE, registers::tests::network_fixture()),
            (WORK_RECORD, registers::tests::work_fixture()),
        ]
    }

    #[test]
    fn every_target_gets_a_value_from_its_fixture() {
        let mut given = BTreeSet::new();
        for (form, fixture) in fixtures() {
            for as_of in ["2020-12-31", "2021-12-31", "2022-12-31"] {
                for v in compute(form, &full_batch(&fixture), Some(day(as_of))) {
                    given.insert(v.target_id);
                }
            }
        }
        let all: BTreeSet<String> = plan().targets.iter().map(|t| t.id.clone()).collect();
        assert_eq!(given, all);
    }

    #[test]
    fn compute_over_the_inputs_equals_compute_over_whole_records() {
        let dates = [
            "2020-03-31",
            "2020-08-31",
            "2020-09-01",
            "2020-12-31",
            "2021-06-30",
            "2021-12-31",
            "2022-06-30",
            "2022-12-31",
            "2023-03-01",
        ];
        for (form, fixture) in fixtures() {
            let names = all_names(&fixture);
            let inputs = input_batch(form, &fixture);
            // The fixture holds fields the inputs leave out: the comparison can tell.
            assert!(
                inputs.columns.len() < names.len(),
                "{form}: the fixture has no field beyond the inputs"
            );
            for as_of in dates {
                let whole = keyed(&compute(form, &full_batch(&fixture), Some(day(as_of))));
                let desk = keyed(&compute(form, &inputs, Some(day(as_of))));
                assert_eq!(whole.len(), desk.len(), "{form} {as_of}");
                for (k, v) in &whole {
                    assert_eq!(v.to_bits(), desk[k].to_bits(), "{form} {k} {as_of}");
                }
            }
        }
    }

    #[test]
    fn an_unknown_form_is_an_error() {
        let r = RecordBuilder::new("x").build();
        let i = validate("mine-register", &r, Date::parse("2022-01-01"));
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "");
        assert_eq!(i[0].severity, Severity::Error);
        assert_eq!(i[0].message, "未知表单“mine-register”");
        assert!(classify("mine-register", &r, None).is_empty());
        let batch = RecordBatch::from_records(&[r], &[]);
        assert!(compute("mine-register", &batch, Date::parse("2022-12-31")).is_empty());
        assert!(summarize("mine-register", &batch, Date::parse("2022-12-31")).is_none());
        assert!(summarize(HIGHRISE, &batch, Date::parse("2022-12-31")).is_none());
        // An empty record of any form raises nothing and no value is made up.
        for form in FORMS {
            let empty = RecordBuilder::new("x").build();
            assert!(
                validate(form, &empty, Date::parse("2022-01-01")).is_empty(),
                "{form}"
            );
        }
        // No date: no value.
        assert!(
            compute(
                KEY_UNIT,
                &full_batch(&registers::tests::key_unit_fixture()),
                None
            )
            .is_empty()
        );
    }

    #[test]
    fn the_last_whole_period_is_counted() {
        let w = |p, s: &str| {
            let w = Window::of(p, day(s));
            (w.start.to_string(), w.last.to_string())
        };
        let s = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        // Before the first period is whole: the first period so far.
        assert_eq!(
            w(Period::Quarter, "2020-03-30"),
            s("2020-01-01", "2020-03-30")
        );
        assert_eq!(
            w(Period::Quarter, "2020-03-31"),
            s("2020-01-01", "2020-03-31")
        );
        assert_eq!(
            w(Period::Quarter, "2020-04-01"),
            s("2020-01-01", "2020-03-31")
        );
        assert_eq!(
            w(Period::Quarter, "2020-06-29"),
            s("2020-01-01", "2020-03-31")
        );
        assert_eq!(
            w(Period::Quarter, "2020-06-30"),
            s("2020-04-01", "2020-06-30")
        );
        assert_eq!(
            w(Period::Quarter, "2021-02-28"),
            s("2020-10-01", "2020-12-31")
        );
        assert_eq!(
            w(Period::HalfYear, "2021-06-30"),
            s("2021-01-01", "2021-06-30")
        );
        assert_eq!(
            w(Period::HalfYear, "2021-06-29"),
            s("2020-07-01", "2020-12-31")
        );
        assert_eq!(w(Period::Year, "2021-12-30"), s("2020-01-01", "2020-12-31"));
        assert_eq!(w(Period::Year, "2021-12-31"), s("2021-01-01", "2021-12-31"));
        // After the campaign: its last period.
        assert_eq!(
            w(Period::Quarter, "2025-05-01"),
            s("2022-10-01", "2022-12-31")
        );
        assert_eq!(w(Period::Year, "2023-12-31"), s("2022-01-01", "2022-12-31"));
        assert_eq!(next_day(day("2020-02-28")), day("2020-02-29"));
        assert_eq!(next_day(day("2021-02-28")), day("2021-03-01"));
        assert_eq!(next_day(day("2021-12-31")), day("2022-01-01"));
    }

    #[test]
    fn the_evaluation_day_is_today_until_the_due_day_and_the_due_day_after() {
        let t = TargetDay {
            id: "x",
            last_due: END_AUG_2020,
        };
        assert_eq!(t.day(day("2020-08-30")), day("2020-08-30"));
        assert_eq!(t.day(day("2020-08-31")), day("2020-08-31"));
        assert_eq!(t.day(day("2020-09-01")), day("2020-08-31"));
    }

    #[test]
    fn repeat_rows_are_found_by_their_names() {
        let g = Group::new(
            "acts",
            ["act_kind", "act_date"],
            [
                "name",
                "acts[2]/act_date",
                "acts[0]/act_kind",
                "acts[x]/act_kind",
                "actsx[3]/a",
                "acts[10]/act_kind",
            ],
        );
        let rows: Vec<&str> = g.rows().iter().map(|r| r[1].as_str()).collect();
        assert_eq!(
            rows,
            ["acts[0]/act_date", "acts[2]/act_date", "acts[10]/act_date"]
        );
    }

    #[test]
    fn shares_of_nothing_have_no_value() {
        let mut r = Ratio::default();
        assert_eq!(r.value(), None);
        r.add(true);
        r.add(false);
        r.add(false);
        assert!((r.value().unwrap() - 100.0 / 3.0).abs() < 1e-12);
        let mut m = Minimum::default();
        assert_eq!(m.value(), None);
        m.add(3.0);
        m.add(0.0);
        assert_eq!(m.value(), Some(0.0));
    }
}
