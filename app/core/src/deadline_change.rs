//! A task's deadline moved by the office (延期, 调整完成时限), with the reason and the day of the
//! decision. Never a silent move: the deadline as written stays, each change is kept in order,
//! and on any day the change in force is the latest one made by then — a view as of an earlier
//! day sees the deadline that applied then. Kept as one settings row
//! ([`crate::Settings::DEADLINE_CHANGES`]), by task, so that a plugin's new version of its plan
//! does not drop them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One change of a task's deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineChange {
    /// The new deadline.
    pub due: NaiveDate,
    pub reason: String,
    /// The day it was decided (from then on it applies).
    pub date: NaiveDate,
}

/// Every change of the desk, by task id, in the order they were made.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeadlineChanges {
    by_task: BTreeMap<String, Vec<DeadlineChange>>,
}

impl DeadlineChanges {
    pub fn is_empty(&self) -> bool {
        self.by_task.is_empty()
    }

    /// The changes of `task`, oldest first.
    pub fn of(&self, task: &str) -> &[DeadlineChange] {
        self.by_task.get(task).map_or(&[], Vec::as_slice)
    }

    /// The change in force on `day`: the last one decided on or before it.
    pub fn in_force(&self, task: &str, day: NaiveDate) -> Option<&DeadlineChange> {
        self.of(task).iter().rev().find(|c| c.date <= day)
    }

    /// Adds a change of `task` (after its others).
    pub fn push(&mut self, task: &str, change: DeadlineChange) {
        self.by_task
            .entry(task.to_owned())
            .or_default()
            .push(change);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_change_in_force_is_the_last_made_by_the_day() {
        let mut c = DeadlineChanges::default();
        assert!(c.in_force("t", day("2021-01-01")).is_none());
        c.push(
            "t",
            DeadlineChange {
                due: day("2021-06-30"),
                reason: "疫情".into(),
                date: day("2020-12-20"),
            },
        );
        c.push(
            "t",
            DeadlineChange {
                due: day("2021-09-30"),
                reason: "再延期".into(),
                date: day("2021-06-01"),
            },
        );
        assert!(
            c.in_force("t", day("2020-12-19")).is_none(),
            "before: as written"
        );
        assert_eq!(
            c.in_force("t", day("2021-01-01")).unwrap().due,
            day("2021-06-30")
        );
        assert_eq!(
            c.in_force("t", day("2021-07-01")).unwrap().due,
            day("2021-09-30")
        );
        assert_eq!(c.of("t").len(), 2);
        assert!(c.of("other").is_empty());
    }
}
