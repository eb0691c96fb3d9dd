//! Dated progress entries (进展) with evidence files.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An evidence file attached to a progress entry. The file itself lives in the data folder
/// under `evidence/`; this is its record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// File name as the user chose it.
    pub name: String,
    /// Path relative to the data folder's `evidence/` directory.
    pub stored: String,
    pub size: u64,
}

/// A progress entry on a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressEntry {
    pub id: u64,
    pub task: String,
    /// The date the progress refers to (entered by the user).
    pub date: NaiveDate,
    pub text: String,
    /// Percent complete, if the user gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<u8>,
    /// The task is finished as of this entry.
    #[serde(default)]
    pub done: bool,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    pub author: String,
    /// RFC 3339 timestamps of creation and last edit.
    pub created_at: String,
    pub updated_at: String,
    /// 1 for a new entry, +1 for each edit.
    #[serde(default = "one")]
    pub revision: u32,
    /// The interim milestone (阶段节点) of the task this entry reports reached: the
    /// milestone's due date ([`crate::Task::interim_milestones`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestone: Option<NaiveDate>,
}

impl ProgressEntry {
    /// The day the entry was recorded: its `created_at` (RFC 3339) read as a date, else its
    /// own date (entries written before the time was kept).
    pub fn recorded_on(&self) -> NaiveDate {
        self.created_at
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .unwrap_or(self.date)
    }
}

fn one() -> u32 {
    1
}

/// Why a progress entry cannot be saved as entered: the rules that need "today" (passed in),
/// shared by the window's progress form and `anwei progress add`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgressInputError {
    #[error(
        "进展日期 {date} 晚于今天（{today}）：进展只能记录已经发生的情况，请填写今天或以前的日期"
    )]
    FutureDate { date: NaiveDate, today: NaiveDate },
    #[error(
        "标为“已完成”的进展，进度应为 100%（填写的是 {0}%）：任务还没完成就不要标为已完成；已完成请把进度填为 100 或不填"
    )]
    DoneBelowFull(u8),
}

/// Checks a progress entry's date against `today` (no entry in the future) and that an entry
/// marking the task done does not give a percentage below 100.
pub fn check_progress_input(
    date: NaiveDate,
    today: NaiveDate,
    percent: Option<u8>,
    done: bool,
) -> Result<(), ProgressInputError> {
    if date > today {
        return Err(ProgressInputError::FutureDate { date, today });
    }
    if done
        && let Some(p) = percent
        && p < 100
    {
        return Err(ProgressInputError::DoneBelowFull(p));
    }
    Ok(())
}

/// What the progress log says about a task, for status computation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProgressSummary {
    pub entries: usize,
    /// The latest entry (by date, then creation) marks the task done.
    pub done: bool,
    /// Percent of the latest entry that gave one.
    pub percent: Option<u8>,
    pub last_date: Option<NaiveDate>,
}

impl ProgressSummary {
    /// Summarises all entries of one task (any order), whatever their dates.
    pub fn of<'a>(entries: impl IntoIterator<Item = &'a ProgressEntry>) -> Self {
        LatestProgress::of(entries, NaiveDate::MAX)
            .as_ref()
            .map(ProgressSummary::from)
            .unwrap_or_default()
    }
}

/// The latest progress a task's log shows on a given day, as a report prints it: the
/// latest entry dated on or before that day (by date, then creation), the latest percent
/// given by then, and the evidence files attached to the entries up to it. Entries dated
/// after the day are not known on it and do not count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LatestProgress {
    pub date: NaiveDate,
    pub text: String,
    pub percent: Option<u8>,
    pub done: bool,
    /// Entries up to the day.
    pub entries: usize,
    /// Evidence files attached to those entries.
    pub evidence: usize,
    /// The interim milestones those entries report reached (their due dates).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<NaiveDate>,
    /// The dates of those entries, earliest first (a target fed by the task's progress
    /// counts them: [`crate::Target::progress_value`]).
    #[serde(skip)]
    pub dates: Vec<NaiveDate>,
    /// The day each of those entries was recorded (its `created_at`), in the order of
    /// `dates`: a duty's period is done on time only by entries recorded by its due date.
    #[serde(skip)]
    pub recorded: Vec<NaiveDate>,
}

/// What the status rules need of a task's progress on a day: the summary of the entries
/// known on it.
impl From<&LatestProgress> for ProgressSummary {
    fn from(latest: &LatestProgress) -> ProgressSummary {
        ProgressSummary {
            entries: latest.entries,
            done: latest.done,
            percent: latest.percent,
            last_date: Some(latest.date),
        }
    }
}

impl LatestProgress {
    /// The latest progress of one task's `entries` (any order) on `as_of`; `None` when no
    /// entry is dated on or before it.
    pub fn of<'a>(
        entries: impl IntoIterator<Item = &'a ProgressEntry>,
        as_of: NaiveDate,
    ) -> Option<LatestProgress> {
        let mut known: Vec<&ProgressEntry> =
            entries.into_iter().filter(|e| e.date <= as_of).collect();
        known.sort_by_key(|e| (e.date, e.id));
        let last = known.last()?;
        Some(LatestProgress {
            date: last.date,
            text: last.text.clone(),
            percent: known.iter().rev().find_map(|e| e.percent),
            done: last.done,
            entries: known.len(),
            evidence: known.iter().map(|e| e.evidence.len()).sum(),
            milestones: known.iter().filter_map(|e| e.milestone).collect(),
            dates: known.iter().map(|e| e.date).collect(),
            recorded: known.iter().map(|e| e.recorded_on()).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: u64, date: (i32, u32, u32), done: bool, percent: Option<u8>) -> ProgressEntry {
        ProgressEntry {
            milestone: None,
            id,
            task: "t".into(),
            date: NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap(),
            text: "x".into(),
            percent,
            done,
            evidence: vec![],
            author: "a".into(),
            created_at: String::new(),
            updated_at: String::new(),
            revision: 1,
        }
    }

    #[test]
    fn progress_input_refuses_the_future_and_done_below_100() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let today = d(2026, 3, 15);
        assert_eq!(check_progress_input(today, today, Some(30), false), Ok(()));
        assert_eq!(
            check_progress_input(d(2020, 1, 1), today, None, true),
            Ok(())
        );
        assert_eq!(check_progress_input(today, today, Some(100), true), Ok(()));
        let future = check_progress_input(d(2026, 3, 16), today, None, false).unwrap_err();
        assert!(future.to_string().contains("晚于今天"), "{future}");
        assert!(matches!(
            check_progress_input(d(2030, 1, 1), today, None, false),
            Err(ProgressInputError::FutureDate { .. })
        ));
        assert_eq!(
            check_progress_input(today, today, Some(30), true),
            Err(ProgressInputError::DoneBelowFull(30))
        );
        assert_eq!(
            check_progress_input(today, today, Some(0), true),
            Err(ProgressInputError::DoneBelowFull(0))
        );
    }

    #[test]
    fn the_latest_entry_decides_done() {
        let a = entry(1, (2020, 5, 1), true, Some(100));
        let b = entry(2, (2020, 6, 1), false, None);
        let s = ProgressSummary::of([&b, &a]);
        assert_eq!(s.entries, 2);
        assert!(!s.done, "reopened by a later entry");
        assert_eq!(s.percent, Some(100));
        assert!(ProgressSummary::of([&a]).done);
        assert_eq!(ProgressSummary::of([]).entries, 0);
    }

    #[test]
    fn latest_progress_is_what_was_known_on_the_day() {
        let mut a = entry(1, (2021, 3, 1), false, Some(40));
        a.text = "完成摸底".into();
        a.evidence = vec![Evidence {
            name: "a.pdf".into(),
            stored: "x/a.pdf".into(),
            size: 1,
        }];
        let mut b = entry(2, (2021, 6, 1), false, None);
        b.text = "开展整治".into();
        let mut c = entry(3, (2021, 9, 1), true, Some(100));
        c.text = "全部完成".into();
        let all = [c.clone(), a.clone(), b.clone()];
        let day = |m, d| NaiveDate::from_ymd_opt(2021, m, d).unwrap();
        assert_eq!(LatestProgress::of(&all, day(2, 1)), None);
        let june = LatestProgress::of(&all, day(6, 30)).unwrap();
        assert_eq!(june.text, "开展整治");
        assert_eq!(june.date, day(6, 1));
        // The latest percent given by then, from the earlier entry.
        assert_eq!(june.percent, Some(40));
        assert!(!june.done);
        assert_eq!((june.entries, june.evidence), (2, 1));
        let later = LatestProgress::of(&all, day(12, 31)).unwrap();
        assert_eq!(later.text, "全部完成");
        assert!(later.done);
        assert_eq!(later.percent, Some(100));
    }
}
