//! Deadlines as the source documents write them ("2018年", "2020年8月底前", "12月30前",
//! "每季度"…), parsed into a due date plus its precision. The original text is always kept.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How precisely a deadline was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// "2020年8月15日前"
    Day,
    /// "2019年6月", "2020年8月底前"
    Month,
    /// "2020年第一季度"
    Quarter,
    /// "2020年上半年"
    HalfYear,
    /// "2018年", "2020年底前", "2020年内"
    Year,
    /// "每季度", "每年": a recurring duty with no single due date.
    Recurring,
}

impl Precision {
    /// The Chinese word shown to users.
    pub fn label_zh(self) -> &'static str {
        match self {
            Precision::Day => "日",
            Precision::Month => "月",
            Precision::Quarter => "季度",
            Precision::HalfYear => "半年",
            Precision::Year => "年",
            Precision::Recurring => "周期",
        }
    }
}

/// The period of a recurring duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recurrence {
    /// 每旬
    TenDays,
    /// 每月
    Monthly,
    /// 每季度
    Quarterly,
    /// 每半年
    HalfYearly,
    /// 每年
    Yearly,
    /// 每N年
    EveryYears(u8),
}

impl Recurrence {
    /// "每月", "每季度", "每5年".
    pub fn label_zh(self) -> String {
        match self {
            Recurrence::TenDays => "每旬".to_owned(),
            Recurrence::Monthly => "每月".to_owned(),
            Recurrence::Quarterly => "每季度".to_owned(),
            Recurrence::HalfYearly => "每半年".to_owned(),
            Recurrence::Yearly => "每年".to_owned(),
            Recurrence::EveryYears(n) => format!("每{n}年"),
        }
    }

    /// The period containing `day`: its first and last day. Periods of 每N年 run from the
    /// 1st of January of a year divisible by N.
    pub fn period_of(self, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        let ymd = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(day);
        let month_end = |y: i32, m: u32| {
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            ymd(ny, nm, 1).pred_opt().unwrap_or(day)
        };
        let (y, m, d) = (day.year(), day.month(), day.day());
        match self {
            Recurrence::TenDays => match d {
                1..=10 => (ymd(y, m, 1), ymd(y, m, 10)),
                11..=20 => (ymd(y, m, 11), ymd(y, m, 20)),
                _ => (ymd(y, m, 21), month_end(y, m)),
            },
            Recurrence::Monthly => (ymd(y, m, 1), month_end(y, m)),
            Recurrence::Quarterly => {
                let first = (m - 1) / 3 * 3 + 1;
                (ymd(y, first, 1), month_end(y, first + 2))
            }
            Recurrence::HalfYearly => {
                if m <= 6 {
                    (ymd(y, 1, 1), ymd(y, 6, 30))
                } else {
                    (ymd(y, 7, 1), ymd(y, 12, 31))
                }
            }
            Recurrence::Yearly => (ymd(y, 1, 1), ymd(y, 12, 31)),
            Recurrence::EveryYears(n) => {
                let n = i32::from(n.max(1));
                let first = y - y.rem_euclid(n);
                (ymd(first, 1, 1), ymd(first + n - 1, 12, 31))
            }
        }
    }

    /// The last whole period before `day`: the latest one that ended before it.
    pub fn last_whole_before(self, day: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let (start, _) = self.period_of(day);
        Some(self.period_of(start.pred_opt()?))
    }

    /// The periods from the one containing `from` to the one containing `to`, in order.
    pub fn periods(self, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
        let mut out = Vec::new();
        let mut day = from;
        while day <= to {
            let p = self.period_of(day);
            out.push(p);
            match p.1.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        out
    }
}

/// A parsed deadline. `due` is the last day the work may be done on (the end of the written
/// period); it is `None` only for recurring duties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The text exactly as written in the source.
    pub text: String,
    pub due: Option<NaiveDate>,
    pub precision: Precision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurrence: Option<Recurrence>,
}

/// Why a deadline text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    #[error("无法识别的完成时间“{0}”（示例：2020年底前、2020年8月15日前、2019年6月、每季度）")]
    Unrecognised(String),
    #[error("完成时间“{0}”不是有效日期")]
    InvalidDate(String),
    #[error("完成时间“{0}”没有写年份，且没有可参照的年份")]
    MissingYear(String),
}

impl Deadline {
    /// Parses `text`; `context_year` supplies the year for forms that omit it ("12月30前").
    pub fn parse(text: &str, context_year: Option<i32>) -> Result<Deadline, DeadlineError> {
        parse_deadline(text, context_year)
    }
}

/// Parses a deadline text into a [`Deadline`].
pub fn parse_deadline(text: &str, context_year: Option<i32>) -> Result<Deadline, DeadlineError> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            // full-width digits
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    let unrecognised = || DeadlineError::Unrecognised(text.trim().to_owned());
    let mut s = compact.as_str();
    for prefix in ["截至", "截止", "到", "于", "在"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest;
        }
    }
    for suffix in ["以前", "之前", "前", "完成", "止"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest;
        }
    }
    if s.is_empty() {
        return Err(unrecognised());
    }
    if let Some(rec) = parse_recurrence(s) {
        return Ok(Deadline {
            text: text.to_owned(),
            due: None,
            precision: Precision::Recurring,
            recurrence: Some(rec),
        });
    }

    let mut cur = Cursor::new(s);
    let year = match cur.number() {
        Some(n) if cur.eat("年") => Some(n),
        Some(n) if cur.eat("月") => {
            // "12月30前": month first, year from context.
            let year =
                context_year.ok_or_else(|| DeadlineError::MissingYear(text.trim().to_owned()))?;
            return finish_month(text, &mut cur, year, n);
        }
        _ => None,
    };
    let Some(year) = year else {
        return Err(unrecognised());
    };
    let year = i32::try_from(year).map_err(|_| unrecognised())?;
    if !(1900..=2200).contains(&year) {
        return Err(DeadlineError::InvalidDate(text.trim().to_owned()));
    }
    let _ = cur.eat("度");
    if cur.is_empty() || cur.eat_all(&["内", "全年", "年内", "度内"]) {
        return year_end(text, year, Precision::Year);
    }
    if cur.eat_all(&["底", "末", "年底", "年末", "底止"]) {
        return year_end(text, year, Precision::Year);
    }
    if cur.eat_all(&["上半年"]) {
        return day(text, year, 6, 30, Precision::HalfYear);
    }
    if cur.eat_all(&["下半年"]) {
        return year_end(text, year, Precision::HalfYear);
    }
    if let Some(q) = quarter(cur.rest()) {
        return month_end(text, year, q * 3, Precision::Quarter);
    }
    match cur.number() {
        Some(month) if cur.eat("月") => finish_month(text, &mut cur, year, month),
        _ => Err(unrecognised()),
    }
}

fn finish_month(
    text: &str,
    cur: &mut Cursor<'_>,
    year: i32,
    month: u32,
) -> Result<Deadline, DeadlineError> {
    if !(1..=12).contains(&month) {
        return Err(DeadlineError::InvalidDate(text.trim().to_owned()));
    }
    if cur.is_empty() || cur.eat_all(&["底", "末", "份", "内", "中旬", "下旬", "份内"]) {
        return month_end(text, year, month, Precision::Month);
    }
    if cur.eat_all(&["上旬"]) {
        return day(text, year, month, 10, Precision::Day);
    }
    match cur.number() {
        Some(d) if cur.is_empty() || cur.eat_all(&["日", "号"]) => {
            day(text, year, month, d, Precision::Day)
        }
        _ => Err(DeadlineError::Unrecognised(text.trim().to_owned())),
    }
}

fn day(
    text: &str,
    y: i32,
    m: u32,
    d: u32,
    precision: Precision,
) -> Result<Deadline, DeadlineError> {
    let due = NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| DeadlineError::InvalidDate(text.trim().to_owned()))?;
    Ok(Deadline {
        text: text.to_owned(),
        due: Some(due),
        precision,
        recurrence: None,
    })
}

fn month_end(text: &str, y: i32, m: u32, precision: Precision) -> Result<Deadline, DeadlineError> {
    let first_next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    let due = first_next
        .and_then(|d| d.pred_opt())
        .ok_or_else(|| DeadlineError::InvalidDate(text.trim().to_owned()))?;
    Ok(Deadline {
        text: text.to_owned(),
        due: Some(due),
        precision,
        recurrence: None,
    })
}

fn year_end(text: &str, y: i32, precision: Precision) -> Result<Deadline, DeadlineError> {
    day(text, y, 12, 31, precision)
}

fn quarter(rest: &str) -> Option<u32> {
    let rest = rest.strip_prefix('第').unwrap_or(rest);
    let (q, tail) = match rest.chars().next()? {
        '一' | '1' => (1, &rest[rest.char_indices().nth(1)?.0..]),
        '二' | '2' => (2, &rest[rest.char_indices().nth(1)?.0..]),
        '三' | '3' => (3, &rest[rest.char_indices().nth(1)?.0..]),
        '四' | '4' => (4, &rest[rest.char_indices().nth(1)?.0..]),
        _ => return None,
    };
    matches!(tail, "季度" | "季度末" | "季度底").then_some(q)
}

fn parse_recurrence(s: &str) -> Option<Recurrence> {
    let rest = s.strip_prefix('每')?;
    // "每年12月底前": a yearly duty with a fixed day in the year.
    if let Some(in_year) = rest.strip_prefix('年')
        && !in_year.is_empty()
        && parse_deadline(in_year, Some(2000)).is_ok_and(|d| d.precision != Precision::Recurring)
    {
        return Some(Recurrence::Yearly);
    }
    let rest = rest.trim_end_matches(['至', '少', '一', '次', '1']);
    Some(match rest {
        "旬" => Recurrence::TenDays,
        "月" | "个月" => Recurrence::Monthly,
        "季" | "季度" | "个季度" => Recurrence::Quarterly,
        "半年" => Recurrence::HalfYearly,
        "年" | "年度" => Recurrence::Yearly,
        other => {
            let n: u8 = other.strip_suffix('年')?.parse().ok()?;
            Recurrence::EveryYears(n)
        }
    })
}

struct Cursor<'a> {
    s: &'a str,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Cursor { s }
    }
    fn rest(&self) -> &'a str {
        self.s
    }
    fn is_empty(&self) -> bool {
        self.s.is_empty()
    }
    fn number(&mut self) -> Option<u32> {
        let end = self
            .s
            .char_indices()
            .find(|(_, c)| !c.is_ascii_digit())
            .map_or(self.s.len(), |(i, _)| i);
        if end == 0 || end > 4 {
            return None;
        }
        let n = self.s[..end].parse().ok()?;
        self.s = &self.s[end..];
        Some(n)
    }
    fn eat(&mut self, word: &str) -> bool {
        match self.s.strip_prefix(word) {
            Some(rest) => {
                self.s = rest;
                true
            }
            None => false,
        }
    }
    /// Consumes the rest if it is exactly one of `words`.
    fn eat_all(&mut self, words: &[&str]) -> bool {
        if words.contains(&self.s) {
            self.s = "";
            true
        } else {
            false
        }
    }
}

/// The year a date falls in, as used for context-year parsing.
pub fn year_of(date: NaiveDate) -> i32 {
    date.year()
}

#[cfg(test)]
mod tests {

    #[test]
    fn periods_of_each_recurrence_and_the_last_whole_one() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            Recurrence::TenDays.period_of(d(2021, 2, 21)),
            (d(2021, 2, 21), d(2021, 2, 28))
        );
        assert_eq!(
            Recurrence::TenDays.period_of(d(2020, 2, 10)),
            (d(2020, 2, 1), d(2020, 2, 10))
        );
        assert_eq!(
            Recurrence::Monthly.period_of(d(2020, 2, 29)),
            (d(2020, 2, 1), d(2020, 2, 29))
        );
        assert_eq!(
            Recurrence::Quarterly.period_of(d(2020, 12, 31)),
            (d(2020, 10, 1), d(2020, 12, 31))
        );
        assert_eq!(
            Recurrence::HalfYearly.period_of(d(2020, 7, 1)),
            (d(2020, 7, 1), d(2020, 12, 31))
        );
        assert_eq!(
            Recurrence::EveryYears(5).period_of(d(2022, 3, 1)),
            (d(2020, 1, 1), d(2024, 12, 31))
        );
        // The last whole quarter seen on its last day is the one before; the day after, it.
        assert_eq!(
            Recurrence::Quarterly.last_whole_before(d(2020, 6, 30)),
            Some((d(2020, 1, 1), d(2020, 3, 31)))
        );
        assert_eq!(
            Recurrence::Quarterly.last_whole_before(d(2020, 7, 1)),
            Some((d(2020, 4, 1), d(2020, 6, 30)))
        );
        let months = Recurrence::Monthly.periods(d(2020, 4, 15), d(2020, 6, 1));
        assert_eq!(
            months,
            [
                (d(2020, 4, 1), d(2020, 4, 30)),
                (d(2020, 5, 1), d(2020, 5, 31)),
                (d(2020, 6, 1), d(2020, 6, 30))
            ]
        );
        assert_eq!(
            Recurrence::Yearly
                .periods(d(2020, 4, 1), d(2022, 12, 31))
                .len(),
            3
        );
    }

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn check(text: &str, due: NaiveDate, precision: Precision) {
        let got = parse_deadline(text, Some(2020)).unwrap();
        assert_eq!(got.due, Some(due), "{text}");
        assert_eq!(got.precision, precision, "{text}");
        assert_eq!(got.text, text, "original text must be kept");
    }

    #[test]
    fn seed_004_forms() {
        check("2018年", d(2018, 12, 31), Precision::Year);
        check("2019年", d(2019, 12, 31), Precision::Year);
        check("2019年6月", d(2019, 6, 30), Precision::Month);
        check("2020年", d(2020, 12, 31), Precision::Year);
    }

    #[test]
    fn seed_001_forms() {
        check("2020年8月15日前", d(2020, 8, 15), Precision::Day);
        check("2020年9月20日前", d(2020, 9, 20), Precision::Day);
        check("2020年6月30日", d(2020, 6, 30), Precision::Day);
        check("2020年12月31日", d(2020, 12, 31), Precision::Day);
        check("2020年8月底前", d(2020, 8, 31), Precision::Month);
        check("2020年5月底前", d(2020, 5, 31), Precision::Month);
        check("2020年2月底前", d(2020, 2, 29), Precision::Month);
        check("2020年底前", d(2020, 12, 31), Precision::Year);
        check("2020年底", d(2020, 12, 31), Precision::Year);
        check("2020年内", d(2020, 12, 31), Precision::Year);
        check("2022年6月底前", d(2022, 6, 30), Precision::Month);
        check("2021 年底", d(2021, 12, 31), Precision::Year);
        check("2022 年底前", d(2022, 12, 31), Precision::Year);
        check("到2022年底前", d(2022, 12, 31), Precision::Year);
        check("到2022年", d(2022, 12, 31), Precision::Year);
        check("2020年10月", d(2020, 10, 31), Precision::Month);
        check("2020年7月底", d(2020, 7, 31), Precision::Month);
        check("2021年6月", d(2021, 6, 30), Precision::Month);
        check("2020年12月", d(2020, 12, 31), Precision::Month);
        check("2020年上半年", d(2020, 6, 30), Precision::HalfYear);
        check("2020年第三季度", d(2020, 9, 30), Precision::Quarter);
    }

    #[test]
    fn month_day_without_year_uses_context() {
        // 附件4 L260: "12月30前" (no 日) inside a 2020 sentence.
        check("12月30前", d(2020, 12, 30), Precision::Day);
        assert_eq!(
            parse_deadline("12月30前", None),
            Err(DeadlineError::MissingYear("12月30前".into()))
        );
    }

    #[test]
    fn recurring_forms() {
        for (text, rec) in [
            ("每季度", Recurrence::Quarterly),
            ("每月", Recurrence::Monthly),
            ("每旬", Recurrence::TenDays),
            ("每半年", Recurrence::HalfYearly),
            ("每年", Recurrence::Yearly),
            ("每3年", Recurrence::EveryYears(3)),
            ("每季度至少1次", Recurrence::Quarterly),
            ("每年12月底前", Recurrence::Yearly),
        ] {
            let got = parse_deadline(text, None).unwrap();
            assert_eq!(got.precision, Precision::Recurring, "{text}");
            assert_eq!(got.recurrence, Some(rec), "{text}");
            assert_eq!(got.due, None);
        }
    }

    #[test]
    fn bad_input_is_an_error_not_a_guess() {
        assert!(matches!(
            parse_deadline("尽快", None),
            Err(DeadlineError::Unrecognised(_))
        ));
        assert!(matches!(
            parse_deadline("", None),
            Err(DeadlineError::Unrecognised(_))
        ));
        assert!(matches!(
            parse_deadline("2020年13月", None),
            Err(DeadlineError::InvalidDate(_))
        ));
        assert!(matches!(
            parse_deadline("2021年2月30日", None),
            Err(DeadlineError::InvalidDate(_))
        ));
        assert!(parse_deadline("2020年8月15日前后", None).is_err());
    }

    #[test]
    fn deadline_round_trips_through_json() {
        let dl = parse_deadline("2019年6月", None).unwrap();
        let json = serde_json::to_string(&dl).unwrap();
        assert!(json.contains("\"precision\":\"month\""), "{json}");
        let back: Deadline = serde_json::from_str(&json).unwrap();
        assert_eq!(back, dl);
    }
}
