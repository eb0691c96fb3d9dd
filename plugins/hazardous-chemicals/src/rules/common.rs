//! What the rules of every form share (`content/rules.md` §0): the plan's dates, the as-of
//! reading of membership and completion dates, shares and minimums, the evaluation day of a
//! target, the rows of the `units` repeat group, and a rule's finding (one source for the
//! issue `validate` shows and the classification `classify` gives).

use std::collections::BTreeSet;

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::serde::{Deserialize, Serialize};
use anwei_plugin_sdk::{Classification, Fields, Issue, TargetValue, ValueRef};

/// A date in a `const`.
pub(crate) const fn ymd(year: i32, month: u32, day: u32) -> Date {
    Date { year, month, day }
}

/// 31 December of `year`: 「X年底前」, 「到X年底」, 「X年内」 and a bare year (rules.md §0).
pub(crate) const fn year_end(year: i32) -> Date {
    ymd(year, 12, 31)
}

/// L142 「自2020年6月起」, the only start date 附件3 gives: who is 新入职 (`hired_on`,
/// `on_duty_from` ≥ it) and what is 新建 / 新设立 (`licensed_on` ≥ it). rules.md §0.
pub(crate) const CAMPAIGN_START: Date = ymd(2020, 6, 1);

/// The campaign years, each of which has a checkpoint for the standing and recurring duties.
pub(crate) const FIRST_YEAR: i32 = 2020;
pub(crate) const LAST_YEAR: i32 = 2022;

/// 「2020年8月底前」 (L107, L112).
pub(crate) const END_AUG_2020: Date = ymd(2020, 8, 31);
pub(crate) const END_2020: Date = year_end(2020);
pub(crate) const END_2021: Date = year_end(2021);
/// 「2022年6月底前」 (L124).
pub(crate) const END_JUN_2022: Date = ymd(2022, 6, 30);
pub(crate) const END_2022: Date = year_end(2022);

/// `d` plus `n` calendar years (29 February gives 28 February).
pub(crate) fn add_years(d: Date, n: u32) -> Date {
    d.add_months(12 * n)
}

/// A target of `plan.json` and the day its last checkpoint falls due (its `due`, else
/// 31 December of its year). A unit test checks both against the plan.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TargetDay {
    pub id: &'static str,
    pub last_due: Date,
}

impl TargetDay {
    /// The day D the value stands for on `as_of` (rules.md §0): before the last checkpoint
    /// falls due, `as_of` itself (the current value); from the day after, the due day (the
    /// checkpoint is judged with D, so what is done later does not count).
    pub fn day(&self, as_of: Date) -> Date {
        as_of.min(self.last_due)
    }

    /// The target's value, when there is one (`None`: the desk shows 无数据).
    pub fn value(&self, v: Option<f64>) -> Option<TargetValue> {
        v.map(|v| TargetValue::district(self.id, v))
    }

    /// A per-town value.
    pub fn town_value(&self, town: &str, v: f64) -> TargetValue {
        TargetValue {
            target_id: self.id.to_owned(),
            value: v,
            town: Some(town.to_owned()),
        }
    }
}

/// The year a yearly duty's value is of on `as_of`, and the last day that counts for it.
///
/// The value of a recurring duty is that of the last whole period (WIT `target-detail.period`);
/// a year is whole on its 31 December (the due day is on time). Before the first campaign
/// year is whole, the value is 2020's so far (rules.md §0: before D, the current value with
/// D = today). After 2022 it stays 2022's, the last checkpoint.
pub(crate) fn period_year(as_of: Date) -> (i32, Date) {
    let last_whole = if as_of >= year_end(as_of.year) {
        as_of.year
    } else {
        as_of.year - 1
    };
    let year = last_whole.clamp(FIRST_YEAR, LAST_YEAR);
    (year, as_of.min(year_end(year)))
}

// ---- Reading fields ----

/// A yes/no field that says yes.
pub(crate) fn yes(r: &impl Fields, name: &str) -> bool {
    r.flag(name) == Some(true)
}

/// A yes/no field that says no (an empty one says neither).
pub(crate) fn no(r: &impl Fields, name: &str) -> bool {
    r.flag(name) == Some(false)
}

/// A select-one field holding `value`.
pub(crate) fn is(r: &impl Fields, name: &str, value: &str) -> bool {
    r.choice(name) == Some(value)
}

/// A select-one field holding one of `values`.
pub(crate) fn is_any(r: &impl Fields, name: &str, values: &[&str]) -> bool {
    r.choice(name).is_some_and(|v| values.contains(&v))
}

/// A select-many field holding at least one of `values`.
pub(crate) fn has_any(r: &impl Fields, name: &str, values: &[&str]) -> bool {
    r.choices(name).iter().any(|v| values.contains(v))
}

/// A completion (or start) date filled in and on or before `d`.
pub(crate) fn by(r: &impl Fields, name: &str, d: Date) -> bool {
    r.date(name).is_some_and(|x| x <= d)
}

/// Still in the population on `d` by its status and end date: the status is not `ended`
/// (read as it is now), or the end date is after `d` (an end on `d` is out). rules.md §0.
pub(crate) fn open_at(r: &impl Fields, ended: &str, end_field: &str, d: Date) -> bool {
    !is(r, "status", ended) || r.date(end_field).is_some_and(|e| e > d)
}

/// In service on `d`: started on or before `d`, and not left, or left after `d`.
pub(crate) fn in_service(r: &impl Fields, start: &str, end: &str, d: Date) -> bool {
    by(r, start, d) && r.date(end).is_none_or(|e| e > d)
}

/// A number, an empty one counting as 0 (per-record minimums, rules.md §0).
pub(crate) fn number_or_zero(r: &impl Fields, name: &str) -> f64 {
    r.number(name).unwrap_or(0.0)
}

// ---- Aggregations ----

/// A share: 100 × part ÷ whole, unrounded. The counts of two batches of records add up
/// ([`Ratio::merge`]), so a share is also a summary (API 1.1).
#[derive(Debug, Default, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(crate = "anwei_plugin_sdk::serde")]
pub(crate) struct Ratio {
    part: u64,
    whole: u64,
}

impl Ratio {
    /// One member of the population, counted in the numerator when `counted`.
    pub fn add(&mut self, counted: bool) {
        self.whole += 1;
        self.part += u64::from(counted);
    }

    /// Adds the members counted in another batch of records.
    pub fn merge(&mut self, other: Ratio) {
        self.part += other.part;
        self.whole += other.whole;
    }

    /// The share; `None` for an empty population (the desk shows 无数据). rules.md §0 would
    /// give a `full_coverage` target 100 (『无适用对象』) here, but the shared brief of the
    /// sector plugins asks for no value rather than 0 or 100, and the desk has no way to show
    /// the label; see the report.
    pub fn value(&self) -> Option<f64> {
        (self.whole > 0).then(|| self.part as f64 * 100.0 / self.whole as f64)
    }
}

/// The smallest value over a population ("每个…不少于"); `None` when it is empty. The
/// smallest of two batches is the smaller of theirs ([`Minimum::merge`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(crate = "anwei_plugin_sdk::serde")]
pub(crate) struct Minimum(Option<f64>);

impl Minimum {
    pub fn add(&mut self, v: f64) {
        self.0 = Some(self.0.map_or(v, |m| m.min(v)));
    }

    /// Adds the population of another batch of records.
    pub fn merge(&mut self, other: Minimum) {
        if let Some(v) = other.0 {
            self.add(v);
        }
    }

    pub fn value(&self) -> Option<f64> {
        self.0
    }
}

/// A count as a value (counts are never empty: no records give 0).
pub(crate) fn count(n: u64) -> Option<f64> {
    Some(n as f64)
}

// ---- The `units` repeat group of `hazchem-enterprise` ----

/// The repeat group of 生产装置和储存设施: a row's fields are named `units[i]/field`.
pub(crate) const UNITS: &str = "units";

/// The row indices named by `names` (field names of a record, or column names of a batch),
/// in order, each once.
pub(crate) fn unit_indices<'n>(names: impl IntoIterator<Item = &'n str>) -> Vec<usize> {
    let set: BTreeSet<usize> = names
        .into_iter()
        .filter_map(|n| {
            let rest = n.strip_prefix(UNITS)?.strip_prefix('[')?;
            let (index, _) = rest.split_once("]/")?;
            index.parse().ok()
        })
        .collect();
    set.into_iter().collect()
}

/// The names of the fields of row `i` of the `units` group ("units[i]/field"), each made
/// once, at its first read, and kept: reading a row's field then builds no string, and the
/// batch finds the name by its address (`RecordBatch::column`). Keep one per row index
/// across the records.
pub(crate) struct UnitNames {
    prefix: String,
    /// (address and length of the field name read, the row's name for it).
    names: std::cell::RefCell<Vec<(usize, usize, Box<str>)>>,
}

impl UnitNames {
    pub fn new(index: usize) -> UnitNames {
        UnitNames {
            prefix: format!("{UNITS}[{index}]/"),
            names: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// The record's name of the row's field `name` (for an issue).
    pub fn path(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// `f` applied to the row's name of field `name`.
    fn with<T>(&self, name: &str, f: impl FnOnce(&str) -> T) -> T {
        let key = (name.as_ptr() as usize, name.len());
        let mut names = self.names.borrow_mut();
        let at = names
            .iter()
            .position(|(a, l, full)| (*a, *l) == key && full[self.prefix.len()..] == *name);
        let at = at.unwrap_or_else(|| {
            names.push((key.0, key.1, self.path(name).into_boxed_str()));
            names.len() - 1
        });
        f(&names[at].2)
    }
}

/// One row of the `units` group of a record: its fields read by their names in the group.
pub(crate) struct UnitRow<'a, R: ?Sized> {
    record: &'a R,
    names: &'a UnitNames,
}

impl<'a, R: Fields + ?Sized> UnitRow<'a, R> {
    pub fn new(record: &'a R, names: &'a UnitNames) -> Self {
        UnitRow { record, names }
    }

    /// The record's name of the row's field `name` (for an issue).
    pub fn path(&self, name: &str) -> String {
        self.names.path(name)
    }
}

impl<R: Fields + ?Sized> Fields for UnitRow<'_, R> {
    fn value(&self, name: &str) -> Option<ValueRef<'_>> {
        self.names.with(name, |full| self.record.value(full))
    }
}

// ---- Record rules ----

/// A record rule of rules.md Part A: the seed line and words it rests on, the message the
/// user sees (a note field's label word for word when `note` names one) and the short result
/// `classify` gives.
#[derive(Debug)]
pub(crate) struct Rule {
    pub id: &'static str,
    pub line: u32,
    pub quote: &'static str,
    /// The note field of the form that carries the same message (checked by a test).
    #[cfg_attr(not(test), allow(dead_code))]
    pub note: Option<&'static str>,
    pub message: &'static str,
    pub value: &'static str,
}

/// A rule that applies to a record.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub rule: &'static Rule,
    pub field: String,
    pub error: bool,
    pub message: String,
    pub value: String,
}

impl Finding {
    /// The rule's message on `field`, as a warning: the record stays valid (an error would
    /// make it a draft, which no target counts).
    pub fn warning(rule: &'static Rule, field: impl Into<String>) -> Finding {
        Finding {
            rule,
            field: field.into(),
            error: false,
            message: rule.message.to_owned(),
            value: rule.value.to_owned(),
        }
    }

    pub fn with_message(mut self, message: String) -> Finding {
        self.message = message;
        self
    }

    pub fn with_value(mut self, value: impl Into<String>) -> Finding {
        self.value = value.into();
        self
    }

    pub fn issue(&self) -> Issue {
        if self.error {
            Issue::error(&self.field, self.message.clone())
        } else {
            Issue::warning(&self.field, self.message.clone())
        }
    }

    pub fn classification(&self) -> Classification {
        Classification {
            record_id: String::new(),
            rule: self.rule.id.to_owned(),
            value: self.value.clone(),
            reason: format!(
                "{}（方案原文第{}行：「{}」）",
                self.message, self.rule.line, self.rule.quote
            ),
        }
    }
}

/// `today` is after `due` (a consequence shown from the day after a deadline).
pub(crate) fn after(today: Option<Date>, due: Date) -> bool {
    today.is_some_and(|t| t > due)
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Fixtures and assertions shared by the forms' tests.

    use std::collections::BTreeMap;

    use anwei_plugin_sdk::date::Date;
    use anwei_plugin_sdk::record::RecordBuilder;
    use anwei_plugin_sdk::{FormRecord, RecordBatch, TargetValue};

    pub fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// `b` with field `name` set from `v`: "yes"/"no" as flags, dates as dates, whole and
    /// decimal numbers as numbers, "[a b]" as a select-many list, anything else as text (a
    /// select-one value is text, as the desk stores it).
    pub fn set(b: RecordBuilder, name: &str, v: &str) -> RecordBuilder {
        if let Some(list) = v.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let items: Vec<&str> = list.split_whitespace().collect();
            return b.choices(name, &items);
        }
        match v {
            "yes" => b.flag(name, true),
            "no" => b.flag(name, false),
            _ if Date::parse(v).is_some() => b.date(name, v),
            _ => match (v.parse::<i64>(), v.parse::<f64>()) {
                (Ok(i), _) => b.integer(name, i),
                (_, Ok(x)) => b.decimal(name, x),
                _ => b.text(name, v),
            },
        }
    }

    /// A record from `(field, value)` pairs ([`set`]).
    pub fn record(id: &str, fields: &[(&str, &str)]) -> FormRecord {
        fields
            .iter()
            .fold(RecordBuilder::new(id), |b, (k, v)| set(b, k, v))
            .build()
    }

    /// 100·a/b, the exact share the plugin must give.
    pub fn pct(a: u32, b: u32) -> f64 {
        f64::from(a) * 100.0 / f64::from(b)
    }

    /// Every field name the records hold: the "full records" batch.
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

    pub fn full_batch(records: &[FormRecord]) -> RecordBatch {
        let names = all_names(records);
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
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

    /// `values` are exactly `expected`: `Some(v)` given as v, `None` not given, and no other.
    pub fn assert_values(values: &[TargetValue], expected: &[(&str, Option<f64>)], what: &str) {
        let got = keyed(values);
        for (id, want) in expected {
            match (want, got.get(*id)) {
                (Some(w), Some(g)) => {
                    assert!((w - g).abs() < 1e-9, "{what}: {id} = {g}, expected {w}")
                }
                (None, None) => {}
                (w, g) => panic!("{what}: {id} = {g:?}, expected {w:?}"),
            }
        }
        for id in got.keys() {
            assert!(
                expected.iter().any(|(e, _)| e == id),
                "{what}: unexpected value of {id}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::day;
    use super::*;

    #[test]
    fn five_years_end_on_the_same_day_or_28_february() {
        assert_eq!(add_years(day("2017-03-01"), 5), day("2022-03-01"));
        assert_eq!(add_years(day("2016-02-29"), 5), day("2021-02-28"));
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
    fn a_yearly_duty_counts_the_last_whole_year() {
        assert_eq!(period_year(day("2020-03-01")), (2020, day("2020-03-01")));
        assert_eq!(period_year(day("2020-12-30")), (2020, day("2020-12-30")));
        assert_eq!(period_year(day("2020-12-31")), (2020, day("2020-12-31")));
        assert_eq!(period_year(day("2021-12-30")), (2020, day("2020-12-31")));
        assert_eq!(period_year(day("2021-12-31")), (2021, day("2021-12-31")));
        assert_eq!(period_year(day("2025-06-01")), (2022, day("2022-12-31")));
    }

    #[test]
    fn unit_rows_are_found_by_their_names() {
        let names = [
            "status",
            "units[2]/u_status",
            "units[0]/u_name",
            "units[2]/u_kind",
            "units[x]/u_kind",
            "unitsx[3]/u",
            "units[10]/u_name",
        ];
        assert_eq!(unit_indices(names), [0, 2, 10]);
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
        m.add(2.5);
        m.add(4.0);
        assert_eq!(m.value(), Some(2.5));
    }
}
