//! Task status from deadline and progress: 未开始 / 进行中 / 已完成 / 临期 / 逾期.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::campaign::Task;
use crate::progress::{LatestProgress, ProgressSummary};

/// A task's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 逾期: past its due date and not done.
    Overdue,
    /// 临期: due within the configured number of days and not done.
    DueSoon,
    /// 进行中: progress recorded, not done.
    InProgress,
    /// 未开始: no progress recorded.
    NotStarted,
    /// 已完成
    Done,
    /// 不适用: marked by the office as not applying to its region
    /// ([`crate::Applicability`]); not in [`Status::ALL`], so it counts in no status total.
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::NotStarted,
        Status::InProgress,
        Status::Done,
        Status::DueSoon,
        Status::Overdue,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            Status::NotStarted => "未开始",
            Status::InProgress => "进行中",
            Status::Done => "已完成",
            Status::DueSoon => "临期",
            Status::Overdue => "逾期",
            Status::NotApplicable => "不适用",
        }
    }

    /// sRGB colour used wherever the status is shown.
    pub fn rgb(self) -> [u8; 3] {
        match self {
            Status::NotStarted => [120, 120, 120],
            Status::InProgress => [30, 110, 200],
            Status::Done => [30, 140, 60],
            Status::DueSoon => [210, 130, 0],
            Status::Overdue => [200, 30, 30],
            Status::NotApplicable => [160, 160, 160],
        }
    }

    pub fn from_key(key: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .chain([Status::NotApplicable])
            .find(|s| s.key() == key || s.label_zh() == key)
    }

    /// Whether a task in this status may get a 督办通知书 (逾期 or 临期): the task detail
    /// offers "打印督办通知书…" and the notice's task selector lists it by default.
    pub fn notice_due(self) -> bool {
        matches!(self, Status::Overdue | Status::DueSoon)
    }

    /// The snake_case key used in JSON and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::DueSoon => "due_soon",
            Status::Overdue => "overdue",
            Status::NotApplicable => "not_applicable",
        }
    }
}

/// Settings of the status rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusRules {
    /// A task due within this many days (inclusive) is 临期.
    pub due_soon_days: u32,
}

impl Default for StatusRules {
    fn default() -> Self {
        StatusRules { due_soon_days: 15 }
    }
}

impl StatusRules {
    /// Status of a task due on `due`, with `progress`, seen on `today`.
    ///
    /// Done wins; then a task is 逾期 from the day after its due date, 临期 from
    /// `due_soon_days` days before it up to and including the due date; otherwise it is
    /// 进行中 when any progress is recorded and 未开始 when none is.
    pub fn status(&self, due: NaiveDate, progress: &ProgressSummary, today: NaiveDate) -> Status {
        if progress.done {
            return Status::Done;
        }
        let days_left = (due - today).num_days();
        if days_left < 0 {
            Status::Overdue
        } else if days_left <= i64::from(self.due_soon_days) {
            Status::DueSoon
        } else if progress.entries > 0 {
            Status::InProgress
        } else {
            Status::NotStarted
        }
    }
}

/// A task's status with the date and milestone it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskStatus {
    pub status: Status,
    /// The date the status is computed against: the earliest interim milestone not reached,
    /// else the task's due date.
    pub due: NaiveDate,
    /// The interim milestone not reached the status is about, as written ("2020年6月底前").
    pub milestone: Option<String>,
}

impl StatusRules {
    /// Status of `task` on `today`, its interim milestones included: an earlier milestone
    /// (阶段节点) passed without a progress entry reporting it reached makes the task 逾期
    /// (临期 as it comes near) even though its final date is later. A milestone counts as
    /// reached when an entry known on `today` reports it ([`LatestProgress::milestones`]);
    /// a task done is done, whatever its milestones. `due` is the task's final due date
    /// ([`Task::effective_due`]).
    pub fn task_status(
        &self,
        task: &Task,
        due: NaiveDate,
        latest: Option<&LatestProgress>,
        today: NaiveDate,
    ) -> TaskStatus {
        let summary = latest.map(ProgressSummary::from).unwrap_or_default();
        let reached = |d: NaiveDate| latest.is_some_and(|l| l.milestones.contains(&d));
        let pending = task
            .interim_milestones()
            .into_iter()
            .find_map(|m| m.due.filter(|d| !reached(*d)).map(|d| (d, m.text.clone())));
        if !summary.done
            && let Some((m_due, text)) = pending
        {
            let status = self.status(m_due, &summary, today);
            if matches!(status, Status::Overdue | Status::DueSoon) {
                return TaskStatus {
                    status,
                    due: m_due,
                    milestone: Some(text),
                };
            }
        }
        TaskStatus {
            status: self.status(due, &summary, today),
            due,
            milestone: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn boundary_days() {
        let rules = StatusRules { due_soon_days: 10 };
        let due = d(2020, 8, 15);
        let none = ProgressSummary::default();
        let some = ProgressSummary {
            entries: 1,
            ..Default::default()
        };
        let done = ProgressSummary {
            entries: 1,
            done: true,
            ..Default::default()
        };
        assert_eq!(
            rules.status(due, &none, d(2020, 8, 4)),
            Status::NotStarted,
            "11 days left"
        );
        assert_eq!(rules.status(due, &some, d(2020, 8, 4)), Status::InProgress);
        assert_eq!(
            rules.status(due, &none, d(2020, 8, 5)),
            Status::DueSoon,
            "10 days left"
        );
        assert_eq!(
            rules.status(due, &some, d(2020, 8, 15)),
            Status::DueSoon,
            "due today"
        );
        assert_eq!(
            rules.status(due, &some, d(2020, 8, 16)),
            Status::Overdue,
            "one day late"
        );
        assert_eq!(rules.status(due, &done, d(2030, 1, 1)), Status::Done);
        let zero = StatusRules { due_soon_days: 0 };
        assert_eq!(zero.status(due, &none, d(2020, 8, 14)), Status::NotStarted);
        assert_eq!(zero.status(due, &none, d(2020, 8, 15)), Status::DueSoon);
    }

    #[test]
    fn a_notice_is_due_for_overdue_and_due_soon_tasks_only() {
        let due: Vec<Status> = Status::ALL.into_iter().filter(|s| s.notice_due()).collect();
        assert_eq!(due, vec![Status::DueSoon, Status::Overdue]);
        // From the rules: a task one day late gets a notice; a done one never does.
        let rules = StatusRules { due_soon_days: 10 };
        let none = ProgressSummary::default();
        let late = rules.status(d(2020, 8, 15), &none, d(2020, 8, 16));
        assert!(late.notice_due());
        let far = rules.status(d(2020, 8, 15), &none, d(2020, 7, 1));
        assert!(!far.notice_due());
        let done = ProgressSummary {
            entries: 1,
            done: true,
            ..Default::default()
        };
        assert!(
            !rules
                .status(d(2020, 8, 15), &done, d(2020, 9, 1))
                .notice_due()
        );
    }

    #[test]
    fn keys_and_labels_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::from_key(s.key()), Some(s));
            assert_eq!(Status::from_key(s.label_zh()), Some(s));
        }
    }

    #[test]
    fn an_interim_milestone_passed_unreached_makes_the_task_overdue_before_its_final_date() {
        use crate::deadline::parse_deadline;
        // "2020年5月底前…6月底前": interim 2020-05-31, final 2020-06-30… and a later final.
        let task = Task {
            id: "p/1".into(),
            plan: "p".into(),
            order: 1,
            label: "(一)1".into(),
            section: String::new(),
            title: "t".into(),
            text: "t".into(),
            roles_text: None,
            roles: vec![],
            deadlines: vec![
                parse_deadline("2020年5月底前", None).unwrap(),
                parse_deadline("2021年底前", None).unwrap(),
            ],
            phase: None,
        };
        let rules = StatusRules { due_soon_days: 10 };
        let final_due = task.effective_due(d(2022, 12, 31));
        assert_eq!(final_due, d(2021, 12, 31));
        let at = |today: NaiveDate, latest: Option<&LatestProgress>| {
            rules.task_status(&task, final_due, latest, today)
        };
        // Far from the milestone: the final date decides.
        assert_eq!(at(d(2020, 4, 1), None).status, Status::NotStarted);
        // Ten days before the milestone: 临期 about the milestone.
        let soon = at(d(2020, 5, 21), None);
        assert_eq!(
            (soon.status, soon.due, soon.milestone.as_deref()),
            (Status::DueSoon, d(2020, 5, 31), Some("2020年5月底前"))
        );
        // On the milestone's day still 临期; the day after 逾期, the final date months away.
        assert_eq!(at(d(2020, 5, 31), None).status, Status::DueSoon);
        let late = at(d(2020, 6, 1), None);
        assert_eq!((late.status, late.due), (Status::Overdue, d(2020, 5, 31)));
        // Progress without reporting the milestone does not lift it.
        let some = LatestProgress {
            date: d(2020, 5, 20),
            text: "推进中".into(),
            percent: Some(40),
            done: false,
            entries: 1,
            evidence: 0,
            milestones: vec![],
            dates: vec![],
            recorded: vec![],
        };
        assert_eq!(at(d(2020, 6, 1), Some(&some)).status, Status::Overdue);
        // An entry reporting it reached: back to the final date.
        let reached = LatestProgress {
            milestones: vec![d(2020, 5, 31)],
            ..some.clone()
        };
        let after = at(d(2020, 6, 1), Some(&reached));
        assert_eq!(
            (after.status, after.due, after.milestone),
            (Status::InProgress, d(2021, 12, 31), None)
        );
        // Done is done.
        let done = LatestProgress { done: true, ..some };
        assert_eq!(at(d(2020, 6, 1), Some(&done)).status, Status::Done);
    }
}
