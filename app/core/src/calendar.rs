//! 报送日历: when each recurring duty falls due — the periods of the tasks' recurring
//! deadlines ("每季度…") and of the recurring targets ("每月通报…") within a span, each due on
//! its period's last day (a deadline runs to the end of its day).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::campaign::Task;
use crate::deadline::Recurrence;
use crate::target::Target;

/// What the duty belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyOf {
    Task,
    Target,
}

/// One period of one recurring duty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalendarEntry {
    pub of: DutyOf,
    /// The task's or the target's id.
    pub id: String,
    pub plan: String,
    /// The task's label and title, or the target's name.
    pub name: String,
    pub recurrence: Recurrence,
    /// "每季度".
    pub recurrence_label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// "2021年第1季度".
    pub period: String,
    /// The period's last day: the report is due by its end.
    pub due: NaiveDate,
}

/// The period `start..=end` of `r` in words: "2021年3月上旬", "2021年3月", "2021年第1季度",
/// "2021年上半年", "2021年".
pub fn period_label(r: Recurrence, start: NaiveDate, end: NaiveDate) -> String {
    let (y, m) = (start.year(), start.month());
    match r {
        Recurrence::TenDays => {
            let part = match start.day() {
                1..=10 => "上旬",
                11..=20 => "中旬",
                _ => "下旬",
            };
            format!("{y}年{m}月{part}")
        }
        Recurrence::Monthly => format!("{y}年{m}月"),
        Recurrence::Quarterly => format!("{y}年第{}季度", (m - 1) / 3 + 1),
        Recurrence::HalfYearly => format!("{y}年{}", if m <= 6 { "上半年" } else { "下半年" }),
        Recurrence::Yearly => format!("{y}年"),
        Recurrence::EveryYears(_) => format!("{y}—{}年", end.year()),
    }
}

/// Every period of every recurring duty of `tasks` and `targets` that falls due within
/// `from..=to`, by due date, then by name.
pub fn calendar(
    tasks: &[Task],
    targets: &[Target],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<CalendarEntry> {
    let mut out = Vec::new();
    let mut add = |of: DutyOf, id: &str, plan: &str, name: String, r: Recurrence| {
        for (start, end) in r.periods(from, to) {
            if end < from || end > to {
                continue;
            }
            out.push(CalendarEntry {
                of,
                id: id.to_owned(),
                plan: plan.to_owned(),
                name: name.clone(),
                recurrence: r,
                recurrence_label: r.label_zh(),
                start,
                end,
                period: period_label(r, start, end),
                due: end,
            });
        }
    };
    for t in tasks {
        let mut seen: Vec<Recurrence> = Vec::new();
        for d in &t.deadlines {
            if let Some(r) = d.recurrence
                && !seen.contains(&r)
            {
                seen.push(r);
                add(
                    DutyOf::Task,
                    &t.id,
                    &t.plan,
                    format!("{} {}", t.label, t.title),
                    r,
                );
            }
        }
    }
    for t in targets {
        if let Some(r) = t.source.period {
            add(DutyOf::Target, &t.id, &t.plan, t.name.clone(), r);
        }
    }
    out.sort_by(|a, b| a.due.cmp(&b.due).then(a.name.cmp(&b.name)));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn task(id: &str, deadline: &str) -> Task {
        let mut t: Task = serde_json::from_value(serde_json::json!({
            "id": id, "plan": "p", "order": 1, "label": "1", "title": "分析研判", "text": "",
            "roles": [],
        }))
        .unwrap();
        t.deadlines = vec![crate::deadline::parse_deadline(deadline, Some(2020)).unwrap()];
        t
    }

    #[test]
    fn each_period_is_due_on_its_last_day_across_month_quarter_and_leap_ends() {
        let tasks = [task("p/1", "每季度"), task("p/2", "每月")];
        let list = calendar(&tasks, &[], day("2020-01-15"), day("2020-06-30"));
        let quarterly: Vec<(String, NaiveDate)> = list
            .iter()
            .filter(|e| e.id == "p/1")
            .map(|e| (e.period.clone(), e.due))
            .collect();
        assert_eq!(
            quarterly,
            [
                ("2020年第1季度".to_owned(), day("2020-03-31")),
                ("2020年第2季度".to_owned(), day("2020-06-30")),
            ]
        );
        let monthly: Vec<NaiveDate> = list
            .iter()
            .filter(|e| e.id == "p/2")
            .map(|e| e.due)
            .collect();
        assert_eq!(
            monthly,
            [
                day("2020-01-31"),
                day("2020-02-29"),
                day("2020-03-31"),
                day("2020-04-30"),
                day("2020-05-31"),
                day("2020-06-30"),
            ],
            "2020 is a leap year"
        );
        assert!(list.windows(2).all(|w| w[0].due <= w[1].due), "by due date");
        assert_eq!(
            period_label(Recurrence::HalfYearly, day("2021-07-01"), day("2021-12-31")),
            "2021年下半年"
        );
        assert_eq!(
            period_label(Recurrence::TenDays, day("2021-03-11"), day("2021-03-20")),
            "2021年3月中旬"
        );
    }
}
