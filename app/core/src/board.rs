//! 看板: the campaign's units against the statuses of the tasks that fall to them (a traffic
//! light each), and the status counts month by month over the campaign, from the progress
//! history. Pure: the rows, tasks and entries come in, the day is given.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::applicability::Applicability;
use crate::campaign::Task;
use crate::progress::{LatestProgress, ProgressEntry};
use crate::query::TaskRow;
use crate::status::{Status, StatusRules};

/// A unit's traffic light.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    /// Some task overdue.
    Red,
    /// None overdue, some due soon.
    Amber,
    /// Every task done.
    Green,
    /// Under way, nothing late or near.
    Grey,
}

impl Light {
    pub fn label_zh(self) -> &'static str {
        match self {
            Light::Red => "有逾期",
            Light::Amber => "有临期",
            Light::Green => "全部完成",
            Light::Grey => "正常推进",
        }
    }
}

/// One unit's row of the board.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitStatus {
    pub unit: String,
    /// Per status, in [`Status::ALL`] order.
    pub counts: [usize; 5],
    pub total: usize,
}

impl UnitStatus {
    pub fn count(&self, status: Status) -> usize {
        Status::ALL
            .iter()
            .position(|s| *s == status)
            .map_or(0, |i| self.counts[i])
    }

    pub fn light(&self) -> Light {
        if self.count(Status::Overdue) > 0 {
            Light::Red
        } else if self.count(Status::DueSoon) > 0 {
            Light::Amber
        } else if self.total > 0 && self.count(Status::Done) == self.total {
            Light::Green
        } else {
            Light::Grey
        }
    }
}

/// How the board is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BoardSort {
    /// Most overdue first, then most due soon, then by name (the default).
    #[default]
    Urgency,
    Unit,
    Total,
    /// Most of this status first.
    Status(Status),
}

/// Every unit the tasks fall to (the lead units; the responsible ones when a task names no
/// lead — as 今日待办 assigns them) with its tasks' counts per status; tasks marked 不适用
/// are in no count. Sorted by `sort`.
pub fn unit_board(rows: &[TaskRow], sort: BoardSort) -> Vec<UnitStatus> {
    let mut by_unit: BTreeMap<&str, [usize; 5]> = BTreeMap::new();
    for r in rows {
        let Some(i) = Status::ALL.iter().position(|s| *s == r.status) else {
            continue;
        };
        let units = if r.lead_units.is_empty() {
            &r.responsible_units
        } else {
            &r.lead_units
        };
        for u in units {
            by_unit.entry(u.as_str()).or_default()[i] += 1;
        }
    }
    let mut out: Vec<UnitStatus> = by_unit
        .into_iter()
        .map(|(unit, counts)| UnitStatus {
            unit: unit.to_owned(),
            counts,
            total: counts.iter().sum(),
        })
        .collect();
    sort_board(&mut out, sort);
    out
}

pub fn sort_board(board: &mut [UnitStatus], sort: BoardSort) {
    match sort {
        BoardSort::Urgency => board.sort_by(|a, b| {
            b.count(Status::Overdue)
                .cmp(&a.count(Status::Overdue))
                .then(b.count(Status::DueSoon).cmp(&a.count(Status::DueSoon)))
                .then(a.unit.cmp(&b.unit))
        }),
        BoardSort::Unit => board.sort_by(|a, b| a.unit.cmp(&b.unit)),
        BoardSort::Total => board.sort_by(|a, b| b.total.cmp(&a.total).then(a.unit.cmp(&b.unit))),
        BoardSort::Status(s) => {
            board.sort_by(|a, b| b.count(s).cmp(&a.count(s)).then(a.unit.cmp(&b.unit)));
        }
    }
}

/// The last day of each month from `start`'s month to `end`'s.
pub fn month_ends(start: NaiveDate, end: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let (mut y, mut m) = (start.year(), start.month());
    while (y, m) <= (end.year(), end.month()) {
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        if let Some(last) = NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt()) {
            out.push(last);
        }
        (y, m) = (ny, nm);
    }
    out
}

/// The tasks' status counts (in [`Status::ALL`] order) on each of `days`, as the progress
/// entered by then makes them: an entry counts from its date. `due_of` gives a task's due
/// date on a day (its deadline — or the change in force that day —, else its plan's end);
/// tasks marked 不适用 are in no count.
pub fn status_trend(
    tasks: &[Task],
    due_of: impl Fn(&Task, NaiveDate) -> NaiveDate,
    entries: &HashMap<String, Vec<ProgressEntry>>,
    rules: StatusRules,
    applicability: &Applicability,
    days: &[NaiveDate],
) -> Vec<[usize; 5]> {
    let counted: Vec<(&Task, &[ProgressEntry])> = tasks
        .iter()
        .filter(|t| applicability.task(&t.id).is_none())
        .map(|t| (t, entries.get(&t.id).map_or(&[][..], Vec::as_slice)))
        .collect();
    days.iter()
        .map(|day| {
            let mut counts = [0usize; 5];
            for (task, e) in &counted {
                let latest = LatestProgress::of(e.iter(), *day);
                let due = due_of(task, *day);
                let status = rules.task_status(task, due, latest.as_ref(), *day).status;
                if let Some(i) = Status::ALL.iter().position(|s| *s == status) {
                    counts[i] += 1;
                }
            }
            counts
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn row(status: Status, lead: &[&str], responsible: &[&str]) -> TaskRow {
        serde_json::from_value(serde_json::json!({
            "id": "p/1", "campaign": "c", "plan": "p", "order": 1, "label": "1", "title": "t",
            "lead_units": lead, "responsible_units": responsible, "cooperating_units": [],
            "deadline_text": "", "deadline": null, "due": "2021-01-01", "phase": null,
            "status": status, "status_label": "", "progress_entries": 0, "percent": null,
        }))
        .unwrap()
    }

    #[test]
    fn the_board_counts_each_units_tasks_and_lights_it() {
        let rows = [
            row(Status::Overdue, &["甲"], &[]),
            row(Status::Done, &["甲"], &[]),
            row(Status::DueSoon, &["乙"], &[]),
            row(Status::Done, &["丙"], &[]),
            row(Status::InProgress, &[], &["丁"]),
            row(Status::NotApplicable, &["丁"], &[]),
        ];
        let board = unit_board(&rows, BoardSort::Urgency);
        let names: Vec<&str> = board.iter().map(|u| u.unit.as_str()).collect();
        // Most overdue, then most due soon, then by name (丁 before 丙 in code order).
        assert_eq!(names, ["甲", "乙", "丁", "丙"]);
        let lights: Vec<Light> = board.iter().map(UnitStatus::light).collect();
        assert_eq!(
            lights,
            [Light::Red, Light::Amber, Light::Grey, Light::Green]
        );
        assert_eq!(board[0].total, 2);
        assert_eq!(board[2].total, 1, "不适用 counts nowhere");
        let by_done = {
            let mut b = board.clone();
            sort_board(&mut b, BoardSort::Status(Status::Done));
            b.iter().map(|u| u.unit.clone()).collect::<Vec<_>>()
        };
        assert_eq!(by_done[..2], ["丙".to_owned(), "甲".to_owned()]);
    }

    #[test]
    fn month_ends_span_the_campaign() {
        let ends = month_ends(day("2020-04-01"), day("2022-12-31"));
        assert_eq!(ends.len(), 33);
        assert_eq!(ends[0], day("2020-04-30"));
        assert_eq!(ends[10], day("2021-02-28"));
        assert_eq!(ends.last(), Some(&day("2022-12-31")));
    }

    #[test]
    fn the_trend_counts_each_day_with_the_progress_known_then() {
        let task: Task = serde_json::from_value(serde_json::json!({
            "id": "p/1", "plan": "p", "order": 1, "label": "1", "title": "t", "text": "",
            "roles": [],
        }))
        .unwrap();
        let entry = |id: u64, date: &str, done: bool| ProgressEntry {
            milestone: None,
            id,
            task: "p/1".into(),
            date: day(date),
            text: String::new(),
            percent: Some(50),
            done,
            evidence: Vec::new(),
            author: String::new(),
            created_at: String::new(),
            updated_at: String::new(),
            revision: 1,
        };
        let entries = HashMap::from([(
            "p/1".to_owned(),
            vec![entry(1, "2020-05-10", false), entry(2, "2020-07-10", true)],
        )]);
        let days = [
            day("2020-04-30"),
            day("2020-05-31"),
            day("2020-07-31"),
            day("2021-01-31"),
        ];
        let trend = status_trend(
            &[task],
            |_, _| day("2020-12-31"),
            &entries,
            StatusRules::default(),
            &Applicability::default(),
            &days,
        );
        let at = |i: usize, s: Status| trend[i][Status::ALL.iter().position(|x| *x == s).unwrap()];
        assert_eq!(at(0, Status::NotStarted), 1);
        assert_eq!(at(1, Status::InProgress), 1);
        assert_eq!(at(2, Status::Done), 1);
        assert_eq!(at(3, Status::Done), 1, "done stays done after its date");
    }
}
