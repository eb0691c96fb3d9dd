//! 报送日历: when each recurring duty falls due — the periods of the tasks' recurring
//! deadlines ("每季度…"), of the recurring targets ("每月通报…") and of the office's own
//! reports (月报, 季报… [`OfficeReport`]) within a span, each due on its period's last day (an
//! office report may allow days after it); a deadline runs to the end of its day.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::campaign::{Role, Task};
use crate::deadline::Recurrence;
use crate::reports::OfficeReport;
use crate::target::Target;

/// What the duty belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyOf {
    Task,
    Target,
    /// One of the office's own reports.
    Office,
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
    /// The period's last day (plus an office report's days of grace): due by its end.
    pub due: NaiveDate,
    /// The ids of the units that owe a submission of the period: a task's lead units, else
    /// its responsible ones; an office report's units, else every unit with a task; none
    /// for a target (its duty is the office's own).
    pub units: Vec<String>,
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

/// The units that owe a task's reports: its lead units, else its responsible ones.
pub fn reporting_units(t: &Task) -> Vec<String> {
    let lead: Vec<String> = t.units_in(Role::Lead).map(str::to_owned).collect();
    if lead.is_empty() {
        t.units_in(Role::Responsible).map(str::to_owned).collect()
    } else {
        lead
    }
}

/// Every period of every recurring duty of `tasks`, `targets` and `office` that falls due
/// within `from..=to`, by due date, then by name.
pub fn calendar(
    tasks: &[Task],
    targets: &[Target],
    office: &[OfficeReport],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<CalendarEntry> {
    let mut out = Vec::new();
    let mut add = |of: DutyOf,
                   id: &str,
                   plan: &str,
                   name: String,
                   r: Recurrence,
                   grace: u32,
                   units: &[String]| {
        let grace = chrono::Days::new(u64::from(grace));
        for (start, end) in r.periods(from - grace, to) {
            let due = end + grace;
            if due < from || due > to {
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
                due,
                units: units.to_vec(),
            });
        }
    };
    let mut every_unit: Vec<String> = Vec::new();
    for t in tasks {
        let units = reporting_units(t);
        for u in &units {
            if !every_unit.contains(u) {
                every_unit.push(u.clone());
            }
        }
        let mut seen: Vec<Recurrence> = Vec::new();
        for d in &t.deadlines {
            if let Some(r) = d.recurrence
                && !seen.contains(&r)
            {
                seen.push(r);
                let name = format!("{} {}", t.label, t.title);
                add(DutyOf::Task, &t.id, &t.plan, name, r, 0, &units);
            }
        }
    }
    for t in targets {
        if let Some(r) = t.source.period {
            add(DutyOf::Target, &t.id, &t.plan, t.name.clone(), r, 0, &[]);
        }
    }
    every_unit.sort();
    for o in office {
        let units = if o.units.is_empty() {
            &every_unit
        } else {
            &o.units
        };
        let name = o.name.clone();
        add(
            DutyOf::Office,
            &o.id,
            "",
            name,
            o.recurrence,
            o.grace_days,
            units,
        );
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
        let list = calendar(&tasks, &[], &[], day("2020-01-15"), day("2020-06-30"));
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

    #[test]
    fn office_reports_fall_due_after_their_days_of_grace_and_name_who_owes_them() {
        let mut t = task("p/1", "每季度");
        t.roles = serde_json::from_value(serde_json::json!([
            {"unit": "u2", "role": "responsible"},
            {"unit": "u1", "role": "lead"},
        ]))
        .unwrap();
        let office = [
            OfficeReport {
                id: "monthly".into(),
                name: "月报".into(),
                recurrence: Recurrence::Monthly,
                grace_days: 5,
                units: Vec::new(),
                campaign: None,
            },
            OfficeReport {
                id: "quarterly".into(),
                name: "季报".into(),
                recurrence: Recurrence::Quarterly,
                grace_days: 10,
                units: vec!["u9".into()],
                campaign: None,
            },
        ];
        let list = calendar(&[t], &[], &office, day("2020-12-01"), day("2021-01-31"));
        let got: Vec<(&str, String, NaiveDate, Vec<String>)> = list
            .iter()
            .map(|e| (e.id.as_str(), e.period.clone(), e.due, e.units.clone()))
            .collect();
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            got,
            [
                // November's 月报, due 5 December; the task's duty is owed by its lead unit.
                (
                    "monthly",
                    "2020年11月".into(),
                    day("2020-12-05"),
                    s(&["u1"])
                ),
                ("p/1", "2020年第4季度".into(), day("2020-12-31"), s(&["u1"])),
                (
                    "monthly",
                    "2020年12月".into(),
                    day("2021-01-05"),
                    s(&["u1"])
                ),
                // Across the year's end: the fourth quarter's 季报, ten days into the next.
                (
                    "quarterly",
                    "2020年第4季度".into(),
                    day("2021-01-10"),
                    s(&["u9"])
                ),
            ]
        );
    }
}
