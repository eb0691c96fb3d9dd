//! What the forms' rules share (`content/rules.md` §0): the plan's dates, reading fields,
//! the evaluation day of a target, shares that add up over batches, and a rule's finding
//! (one source for the issues `validate` shows and the classification `classify` gives).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::serde::{Deserialize, Serialize};
use anwei_plugin_sdk::{Classification, Fields, Issue, TargetValue};

/// A date in a `const`.
pub(crate) const fn ymd(year: i32, month: u32, day: u32) -> Date {
    Date { year, month, day }
}

/// 31 December of `year` (「X年底前」, a bare year).
pub(crate) const fn year_end(year: i32) -> Date {
    ymd(year, 12, 31)
}

/// L646 「从2020年5月至2022年12月」: the campaign's first day. An enterprise that entered the
/// park from this day is a new entrant for the 准入 rules of L678.
pub(crate) const CAMPAIGN_START: Date = ymd(2020, 5, 1);
/// L648 「组织动员阶段(2020年5月)」: the phase's last day.
pub(crate) const END_MAY_2020: Date = ymd(2020, 5, 31);
/// L684 「2020年底前」.
pub(crate) const END_2020: Date = year_end(2020);
/// L692 「2021 年底前」.
pub(crate) const END_2021: Date = year_end(2021);
/// L693 「2022年底前」; the campaign's last day (L646) and the checkpoint of undated targets.
pub(crate) const END_2022: Date = year_end(2022);

/// `d` plus `n` calendar years (29 February gives 28 February).
pub(crate) fn add_years(d: Date, n: u32) -> Date {
    d.add_months(12 * n)
}

/// The day a target's value stands for on `as_of` (rules.md §0): `as_of` itself until the
/// target's last checkpoint falls due (the current value), the due day after it (what is done
/// later does not count for the checkpoint).
pub(crate) fn target_day(as_of: Date, last_due: Date) -> Date {
    as_of.min(last_due)
}

/// `today` is after `due` (a consequence shown from the day after a deadline).
pub(crate) fn after(today: Option<Date>, due: Date) -> bool {
    today.is_some_and(|t| t > due)
}

// ---- Reading fields ----

/// A yes/no field that says yes.
pub(crate) fn yes(r: &impl Fields, name: &str) -> bool {
    r.flag(name) == Some(true)
}

/// A select-one field holding `value`.
pub(crate) fn is(r: &impl Fields, name: &str, value: &str) -> bool {
    r.choice(name) == Some(value)
}

/// A select-one field holding one of `values`.
pub(crate) fn is_any(r: &impl Fields, name: &str, values: &[&str]) -> bool {
    r.choice(name).is_some_and(|v| values.contains(&v))
}

/// A select-many field holding `value`.
pub(crate) fn has(r: &impl Fields, name: &str, value: &str) -> bool {
    r.choices(name).contains(&value)
}

/// A date filled in and on or before `d`.
pub(crate) fn by(r: &impl Fields, name: &str, d: Date) -> bool {
    r.date(name).is_some_and(|x| x <= d)
}

/// An end date that has not come on `d`: empty, or after `d` (an end on `d` is out).
pub(crate) fn not_ended(r: &impl Fields, name: &str, d: Date) -> bool {
    r.date(name).is_none_or(|x| x > d)
}

// ---- Aggregations ----

/// A share: 100 × part ÷ whole, unrounded. The counts of two batches add up
/// ([`Ratio::merge`]), so a share is also a summary (API 1.1).
#[derive(Debug, Default, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(crate = "anwei_plugin_sdk::serde")]
pub(crate) struct Ratio {
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
        (self.whole > 0).then(|| self.part as f64 * 100.0 / self.whole as f64)
    }
}

/// `id`'s value when there is one.
pub(crate) fn value(id: &str, v: Option<f64>) -> Option<TargetValue> {
    v.map(|v| TargetValue::district(id, v))
}

/// A count as a value (a count of nothing is 0, not 无数据).
pub(crate) fn count(id: &str, n: u64) -> Option<TargetValue> {
    Some(TargetValue::district(id, n as f64))
}

// ---- Findings ----

/// One rule's result for one record: its classification and the issues it raises.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    /// Rule id (rules.md).
    pub rule: &'static str,
    /// Short result (应关闭退出, 待复查…).
    pub value: String,
    /// Why, citing the seed.
    pub reason: String,
    /// What the rule asks of the record (违规 and 待办 → warning, 提示 → info; an error only
    /// for dates that cannot be, which keeps the record a draft).
    pub issues: Vec<Issue>,
}

impl Finding {
    /// A result without an issue.
    pub fn note(
        rule: &'static str,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Finding {
        Finding {
            rule,
            value: value.into(),
            reason: reason.into(),
            issues: Vec::new(),
        }
    }

    /// A result with a warning on `field`.
    pub fn warning(
        rule: &'static str,
        value: impl Into<String>,
        reason: impl Into<String>,
        field: &str,
        message: impl Into<String>,
    ) -> Finding {
        Finding::note(rule, value, reason).with(Issue::warning(field, message))
    }

    /// A result with an info on `field`.
    pub fn info(
        rule: &'static str,
        value: impl Into<String>,
        reason: impl Into<String>,
        field: &str,
        message: impl Into<String>,
    ) -> Finding {
        Finding::note(rule, value, reason).with(Issue::info(field, message))
    }

    pub fn with(mut self, issue: Issue) -> Finding {
        self.issues.push(issue);
        self
    }

    pub fn classification(&self) -> Classification {
        Classification {
            record_id: String::new(),
            rule: self.rule.to_owned(),
            value: self.value.clone(),
            reason: self.reason.clone(),
        }
    }
}

/// A date that cannot be before another: an error on `later` (the record stays a draft).
pub(crate) fn order(
    r: &impl Fields,
    earlier: (&str, &str),
    later: (&str, &str),
    out: &mut Vec<Issue>,
) {
    if let (Some(a), Some(b)) = (r.date(earlier.0), r.date(later.0))
        && b < a
    {
        out.push(Issue::error(
            later.0,
            format!("{}（{b}）不能早于{}（{a}）", later.1, earlier.1),
        ));
    }
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

    /// `b` with field `name` set from `v`: "yes"/"no" as flags, dates as dates, whole numbers
    /// as integers, "[a b]" as a select-many list, anything else as text (a select-one value
    /// is text, as the desk stores it); "-" leaves the field out.
    pub fn set(b: RecordBuilder, name: &str, v: &str) -> RecordBuilder {
        if v == "-" {
            return b;
        }
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

    /// Records from a header of field names and rows of values ([`set`]).
    pub fn table(names: &[&str], rows: &[&[&str]]) -> Vec<FormRecord> {
        rows.iter()
            .enumerate()
            .map(|(i, row)| {
                assert_eq!(row.len(), names.len(), "row {i}");
                let pairs: Vec<(&str, &str)> =
                    names.iter().copied().zip(row.iter().copied()).collect();
                record(&format!("r{i}"), &pairs)
            })
            .collect()
    }

    /// 100·a/b, the exact share the plugin must give.
    pub fn pct(a: u32, b: u32) -> f64 {
        f64::from(a) * 100.0 / f64::from(b)
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

    /// The batch of whole records (every field they hold).
    pub fn full_batch(records: &[FormRecord]) -> RecordBatch {
        let names = all_names(records);
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        RecordBatch::from_records(records, &refs)
    }

    /// The values keyed by target id, each once.
    pub fn keyed(values: &[TargetValue]) -> BTreeMap<String, f64> {
        let mut out = BTreeMap::new();
        for v in values {
            assert_eq!(v.town, None, "{}", v.target_id);
            assert!(
                out.insert(v.target_id.clone(), v.value).is_none(),
                "{} given twice",
                v.target_id
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
    fn the_target_day_is_today_until_the_due_day_and_the_due_day_after() {
        assert_eq!(
            target_day(day("2020-05-30"), END_MAY_2020),
            day("2020-05-30")
        );
        assert_eq!(target_day(day("2020-05-31"), END_MAY_2020), END_MAY_2020);
        assert_eq!(target_day(day("2020-06-01"), END_MAY_2020), END_MAY_2020);
        assert!(!after(Some(day("2021-12-31")), END_2021));
        assert!(after(Some(day("2022-01-01")), END_2021));
        assert!(!after(None, END_2021));
    }

    #[test]
    fn shares_of_nothing_have_no_value() {
        let mut r = Ratio::default();
        assert_eq!(r.value(), None);
        r.add(true);
        r.add(false);
        r.add(false);
        assert!((r.value().unwrap() - 100.0 / 3.0).abs() < 1e-12);
        let mut s = Ratio::default();
        s.add(true);
        r.merge(s);
        assert_eq!(r.value(), Some(50.0));
    }
}
