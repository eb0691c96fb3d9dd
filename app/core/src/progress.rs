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
}

fn one() -> u32 {
    1
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
    /// Summarises entries of one task (any order).
    pub fn of<'a>(entries: impl IntoIterator<Item = &'a ProgressEntry>) -> Self {
        let mut sorted: Vec<&ProgressEntry> = entries.into_iter().collect();
        sorted.sort_by_key(|e| (e.date, e.id));
        let last = sorted.last();
        ProgressSummary {
            entries: sorted.len(),
            done: last.is_some_and(|e| e.done),
            percent: sorted.iter().rev().find_map(|e| e.percent),
            last_date: last.map(|e| e.date),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: u64, date: (i32, u32, u32), done: bool, percent: Option<u8>) -> ProgressEntry {
        ProgressEntry {
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
}
