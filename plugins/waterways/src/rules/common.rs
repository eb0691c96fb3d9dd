//! What the rules of every form share (`content/rules.md` §0): the campaign years, calendar
//! arithmetic (days between dates, "three years before", times of day written "HH:MM"), the
//! reads of yes/no and date fields on a day, shares, and a rule's finding (one source for the
//! issue `validate` shows and the classification `classify` gives).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, Issue, TargetValue};

/// The campaign years: a standing duty has a checkpoint in each (rules.md §0).
pub(crate) const FIRST_YEAR: i32 = 2020;
pub(crate) const LAST_YEAR: i32 = 2022;

/// A date in a `const`.
pub(crate) const fn ymd(year: i32, month: u32, day: u32) -> Date {
    Date { year, month, day }
}

/// 31 December of `year` (「X年底前」).
pub(crate) const fn year_end(year: i32) -> Date {
    ymd(year, 12, 31)
}

/// 1 January of `year`.
pub(crate) const fn year_start(year: i32) -> Date {
    ymd(year, 1, 1)
}

// ---- Calendar arithmetic ----

/// Days since 1970-01-01 (proleptic Gregorian calendar).
pub(crate) fn day_number(d: Date) -> i64 {
    let y = i64::from(d.year) - i64::from(d.month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(d.month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of day number `n` (the inverse of [`day_number`]).
pub(crate) fn from_day_number(n: i64) -> Date {
    let z = n + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    ymd(year, month, day)
}

/// Days from `from` to `to` (negative when `to` is earlier).
pub(crate) fn days_between(from: Date, to: Date) -> i64 {
    day_number(to) - day_number(from)
}

/// `d` plus `n` days.
pub(crate) fn add_days(d: Date, n: i64) -> Date {
    from_day_number(day_number(d) + n)
}

/// The same day `n` years earlier (29 February gives 28 February).
pub(crate) fn years_before(d: Date, n: i32) -> Date {
    let year = d.year - n;
    Date::new(year, d.month, d.day).unwrap_or(ymd(year, d.month, 28))
}

/// A time of day written "HH:MM" or "H:MM" (24-hour clock; the forms have no time kind), as
/// minutes after midnight. "24:00", "7:5" and "07.30" are not times.
pub(crate) fn minutes_of(text: &str) -> Option<i64> {
    let (h, m) = text.trim().split_once(':')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(h) && digits(m) && h.len() <= 2 && m.len() == 2) {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// The minute of a date and a time of day, counted from 1970-01-01 00:00.
pub(crate) fn minute_stamp(d: Date, minutes: i64) -> i64 {
    day_number(d) * 1440 + minutes
}

/// The year a yearly duty's value is of on `as_of`, and the last day that counts for it:
/// the last whole year (a year is whole on its 31 December), clamped to the campaign years;
/// before 2020 is whole, 2020 so far (rules.md §0).
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
pub(crate) fn yes<R: Fields + ?Sized>(r: &R, name: &str) -> bool {
    r.flag(name) == Some(true)
}

/// A yes/no field that says no (an empty one says neither).
pub(crate) fn no<R: Fields + ?Sized>(r: &R, name: &str) -> bool {
    r.flag(name) == Some(false)
}

/// A select-one field holding `value`.
pub(crate) fn is<R: Fields + ?Sized>(r: &R, name: &str, value: &str) -> bool {
    r.choice(name) == Some(value)
}

/// A date filled in and on or before `d`.
pub(crate) fn by<R: Fields + ?Sized>(r: &R, name: &str, d: Date) -> bool {
    r.date(name).is_some_and(|x| x <= d)
}

/// An end date that has not come by `d`: empty, or after `d` (an end on `d` is over).
pub(crate) fn not_ended<R: Fields + ?Sized>(r: &R, name: &str, d: Date) -> bool {
    r.date(name).is_none_or(|x| x > d)
}

/// The labels of the `items` (field, label) for which `bad` holds, and the first such field.
pub(crate) fn failing<'a, R: Fields + ?Sized>(
    r: &R,
    items: &[(&'a str, &'a str)],
    bad: impl Fn(&R, &str) -> bool,
) -> (Option<&'a str>, Vec<&'a str>) {
    let hits: Vec<(&str, &str)> = items.iter().copied().filter(|(f, _)| bad(r, f)).collect();
    (
        hits.first().map(|(f, _)| *f),
        hits.iter().map(|(_, l)| *l).collect(),
    )
}

// ---- Findings ----

/// One rule's result for one record.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Rule id (rules.md).
    pub rule: &'static str,
    /// Short result (已整治, 脱检, …), shown in the ledger's 规则判定 column.
    pub value: String,
    /// Why, citing the seed.
    pub reason: String,
    /// What the rule asks of the record (违规 and 待办 → warning, 提示 → info; errors are
    /// entries that cannot be read).
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

// ---- Aggregations ----

/// A share: 100 × part ÷ whole, unrounded; nothing for an empty population (the desk shows
/// 无数据, never a made-up 0 or 100).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub(crate) struct Share {
    part: u64,
    whole: u64,
}

impl Share {
    /// One member of the population, in the numerator when `counted`.
    pub fn add(&mut self, counted: bool) {
        self.whole += 1;
        self.part += u64::from(counted);
    }

    pub fn value(&self) -> Option<f64> {
        (self.whole > 0).then(|| self.part as f64 * 100.0 / self.whole as f64)
    }

    /// Pushes the share as target `id`'s value, when there is one.
    pub fn push(&self, out: &mut Vec<TargetValue>, id: &str) {
        if let Some(v) = self.value() {
            out.push(TargetValue::district(id, v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn day_numbers_round_trip_and_count_days() {
        assert_eq!(day_number(d("1970-01-01")), 0);
        assert_eq!(days_between(d("2020-02-28"), d("2020-03-01")), 2);
        assert_eq!(days_between(d("2021-02-28"), d("2021-03-01")), 1);
        assert_eq!(days_between(d("2022-12-31"), d("2020-01-01")), -1095);
        for s in [
            "1969-12-31",
            "2000-02-29",
            "2020-12-31",
            "2100-03-01",
            "2024-02-29",
        ] {
            assert_eq!(from_day_number(day_number(d(s))), d(s), "{s}");
        }
        assert_eq!(add_days(d("2021-01-31"), 30), d("2021-03-02"));
        assert_eq!(years_before(d("2024-02-29"), 3), d("2021-02-28"));
        assert_eq!(years_before(d("2022-12-31"), 3), d("2019-12-31"));
    }

    #[test]
    fn times_of_day_are_hours_and_minutes() {
        assert_eq!(minutes_of("06:30"), Some(390));
        assert_eq!(minutes_of("6:30"), Some(390));
        assert_eq!(minutes_of(" 23:59 "), Some(1439));
        assert_eq!(minutes_of("00:00"), Some(0));
        for bad in [
            "24:00", "12:60", "7:5", "07.30", "0730", "", ":30", "12:3x", "123:00",
        ] {
            assert_eq!(minutes_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_period_year_is_the_last_whole_year_of_the_campaign() {
        assert_eq!(period_year(d("2020-06-30")), (2020, d("2020-06-30")));
        assert_eq!(period_year(d("2021-12-30")), (2020, d("2020-12-31")));
        assert_eq!(period_year(d("2021-12-31")), (2021, d("2021-12-31")));
        assert_eq!(period_year(d("2024-05-01")), (2022, d("2022-12-31")));
    }

    #[test]
    fn an_empty_share_has_no_value() {
        let mut s = Share::default();
        assert_eq!(s.value(), None);
        s.add(true);
        s.add(false);
        assert_eq!(s.value(), Some(50.0));
    }
}
