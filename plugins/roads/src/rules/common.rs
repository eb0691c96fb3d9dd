//! What the rules of every form share (`content/rules.md` §0): the campaign's dates, the
//! window of a recurring duty, the day a standing target is judged on, reads of yes/no and
//! date fields, shares, and a rule's finding (one source for the issues `validate` shows and
//! the classification `classify` gives).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Classification, Fields, Issue, TargetValue};

/// A date in a `const`.
pub(crate) const fn ymd(year: i32, month: u32, day: u32) -> Date {
    Date { year, month, day }
}

/// The campaign's first day: 附件7 gives no start date, so the first day of the campaign's
/// first year (rules.md §0).
pub(crate) const CAMPAIGN_START: Date = ymd(2020, 1, 1);
/// The day of the last checkpoints (2022): after it a value stays the one of that day.
pub(crate) const CAMPAIGN_END: Date = ymd(2022, 12, 31);

/// The day a standing target's value stands for on `as_of`: `as_of` itself, up to the last
/// checkpoint's day (rules.md §0).
pub(crate) fn judged_on(as_of: Date) -> Date {
    as_of.min(CAMPAIGN_END)
}

/// The last day of a month.
pub(crate) fn month_end(year: i32, month: u32) -> Date {
    (28..=31)
        .rev()
        .find_map(|d| Date::new(year, month, d))
        .unwrap_or(ymd(year, month, 28))
}

/// The day before the first day of a month.
fn day_before_month(d: Date) -> Date {
    if d.month == 1 {
        ymd(d.year - 1, 12, 31)
    } else {
        month_end(d.year, d.month - 1)
    }
}

/// The period of a recurring duty (the `period` of its target).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Every {
    Month,
    HalfYear,
    Year,
}

impl Every {
    /// The period holding `d`: its first and last day.
    pub(crate) fn containing(self, d: Date) -> (Date, Date) {
        match self {
            Every::Month => (ymd(d.year, d.month, 1), month_end(d.year, d.month)),
            Every::HalfYear if d.month <= 6 => (ymd(d.year, 1, 1), ymd(d.year, 6, 30)),
            Every::HalfYear => (ymd(d.year, 7, 1), ymd(d.year, 12, 31)),
            Every::Year => (ymd(d.year, 1, 1), ymd(d.year, 12, 31)),
        }
    }

    /// The days a recurring duty's value counts on `as_of` (rules.md §0): the last whole
    /// period (a period is whole on its last day); before the campaign's first period is
    /// whole, that period so far; after 2022, the last period of 2022.
    pub(crate) fn window(self, as_of: Date) -> (Date, Date) {
        let d = judged_on(as_of);
        let (start, end) = self.containing(d);
        let (start, end) = if d == end {
            (start, end)
        } else {
            self.containing(day_before_month(start))
        };
        let (start, end) = if start < CAMPAIGN_START {
            self.containing(CAMPAIGN_START)
        } else {
            (start, end)
        };
        (start, end.min(as_of))
    }
}

/// Whether `d` lies in the window `(start, end)`, both days included.
pub(crate) fn within(d: Option<Date>, (start, end): (Date, Date)) -> bool {
    d.is_some_and(|d| d >= start && d <= end)
}

/// A yes/no field that says yes.
pub(crate) fn yes(r: &impl Fields, name: &str) -> bool {
    r.flag(name) == Some(true)
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

/// Still open on `d`: the end date is empty or after `d` (an end on `d` is closed).
pub(crate) fn open_on(r: &impl Fields, end: &str, d: Date) -> bool {
    r.date(end).is_none_or(|x| x > d)
}

/// `part` of `whole` in percent; nothing when the population is empty (the desk shows
/// 无数据, rules.md §0).
pub(crate) fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// A district value.
pub(crate) fn value(id: &str, v: f64) -> TargetValue {
    TargetValue::district(id, v)
}

/// One rule's result for one record: its classification and the issues it raises.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    /// Rule id (`supervision-level`, …).
    pub rule: &'static str,
    /// Short result (应提请区政府挂牌督办, 逾期未检验, …).
    pub value: String,
    /// Why, citing the seed line.
    pub reason: String,
    /// What the rule asks of the record.
    pub issues: Vec<Issue>,
}

impl Finding {
    pub(crate) fn new(
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

    pub(crate) fn with(mut self, issue: Issue) -> Finding {
        self.issues.push(issue);
        self
    }

    pub(crate) fn classification(&self) -> Classification {
        Classification {
            record_id: String::new(),
            rule: self.rule.to_owned(),
            value: self.value.clone(),
            reason: self.reason.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn w(every: Every, as_of: &str) -> (String, String) {
        let (s, e) = every.window(day(as_of));
        (s.to_string(), e.to_string())
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_owned(), b.to_owned())
    }

    #[test]
    fn a_period_counts_once_it_is_whole() {
        // Monthly: the month is whole on its last day; the day before, last month counts.
        assert_eq!(
            w(Every::Month, "2021-03-31"),
            pair("2021-03-01", "2021-03-31")
        );
        assert_eq!(
            w(Every::Month, "2021-03-30"),
            pair("2021-02-01", "2021-02-28")
        );
        assert_eq!(
            w(Every::Month, "2021-03-01"),
            pair("2021-02-01", "2021-02-28")
        );
        assert_eq!(
            w(Every::Month, "2020-02-29"),
            pair("2020-02-01", "2020-02-29")
        );
        assert_eq!(
            w(Every::Month, "2021-01-15"),
            pair("2020-12-01", "2020-12-31")
        );
        // Before January 2020 is whole: January 2020 so far.
        assert_eq!(
            w(Every::Month, "2020-01-15"),
            pair("2020-01-01", "2020-01-15")
        );
        // After 2022: December 2022.
        assert_eq!(
            w(Every::Month, "2023-05-10"),
            pair("2022-12-01", "2022-12-31")
        );
        // Half-yearly and yearly.
        assert_eq!(
            w(Every::HalfYear, "2021-06-30"),
            pair("2021-01-01", "2021-06-30")
        );
        assert_eq!(
            w(Every::HalfYear, "2021-06-29"),
            pair("2020-07-01", "2020-12-31")
        );
        assert_eq!(
            w(Every::HalfYear, "2021-12-31"),
            pair("2021-07-01", "2021-12-31")
        );
        assert_eq!(
            w(Every::HalfYear, "2020-03-01"),
            pair("2020-01-01", "2020-03-01")
        );
        assert_eq!(
            w(Every::Year, "2021-12-31"),
            pair("2021-01-01", "2021-12-31")
        );
        assert_eq!(
            w(Every::Year, "2021-12-30"),
            pair("2020-01-01", "2020-12-31")
        );
        assert_eq!(
            w(Every::Year, "2020-07-01"),
            pair("2020-01-01", "2020-07-01")
        );
        assert_eq!(
            w(Every::Year, "2024-01-01"),
            pair("2022-01-01", "2022-12-31")
        );
        // Before the campaign: an empty window (its end before its start).
        let (s, e) = Every::Month.window(day("2019-12-31"));
        assert!(e < s);
    }

    #[test]
    fn month_ends() {
        assert_eq!(month_end(2020, 2), ymd(2020, 2, 29));
        assert_eq!(month_end(2021, 2), ymd(2021, 2, 28));
        assert_eq!(month_end(2021, 4), ymd(2021, 4, 30));
        assert_eq!(month_end(2021, 12), ymd(2021, 12, 31));
    }
}
