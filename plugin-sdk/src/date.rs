//! A tiny calendar date for plugins (no clock: the host passes "today" in).

use std::fmt;

/// A calendar date parsed from `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (also with blanks around it, or with one-digit months and days).
    pub fn parse(s: &str) -> Option<Date> {
        // The form the desk stores dates in, read without splitting (rules read dates row
        // by row over whole registers).
        if let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = s.as_bytes() {
            let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
            if digits.iter().all(u8::is_ascii_digit) {
                let n = |d: &[u8]| d.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
                return Date::new(n(&digits[..4]) as i32, n(&digits[4..6]), n(&digits[6..]));
            }
        }
        let mut it = s.trim().splitn(3, '-');
        let y = it.next()?.parse().ok()?;
        let m = it.next()?.parse().ok()?;
        let d = it.next()?.parse().ok()?;
        Date::new(y, m, d)
    }

    /// The same day `n` months later (clamped to the month's last day).
    pub fn add_months(self, n: u32) -> Date {
        let total = self.year * 12 + (self.month as i32 - 1) + n as i32;
        let year = total.div_euclid(12);
        let month = total.rem_euclid(12) as u32 + 1;
        let day = self.day.min(days_in_month(year, month));
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_adds_months() {
        let d = Date::parse("2020-08-31").unwrap();
        assert_eq!(d.add_months(6).to_string(), "2021-02-28");
        assert_eq!(Date::parse("2020-02-30"), None);
        assert_eq!(Date::parse("x"), None);
        assert_eq!(Date::parse(" 2020-8-31 "), Some(d));
        assert_eq!(Date::parse("2020-08-3a"), None);
        assert_eq!(Date::parse("2020-13-01"), None);
        assert_eq!(
            Date::parse("0000-02-29"),
            Some(Date::new(0, 2, 29).unwrap())
        );
        assert!(Date::parse("2020-01-01").unwrap() < d);
    }
}
