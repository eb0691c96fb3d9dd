//! Task rows as the table and the CLI show them, with filtering and sorting.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::applicability::Applicability;
use crate::campaign::{Campaign, Plan, Role, Task};
use crate::deadline::Precision;
use crate::progress::{LatestProgress, ProgressSummary};
use crate::status::{Status, StatusRules};
use crate::unit::UnitDirectory;

/// A task's final deadline as date plus precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueDate {
    pub date: NaiveDate,
    pub precision: Precision,
}

/// One row of the task table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskRow {
    pub id: String,
    /// The campaign of its plan.
    pub campaign: String,
    pub plan: String,
    pub order: u32,
    pub label: String,
    pub title: String,
    pub lead_units: Vec<String>,
    pub responsible_units: Vec<String>,
    pub cooperating_units: Vec<String>,
    /// The deadline texts as written, joined.
    pub deadline_text: String,
    /// The final written deadline; `None` when the source gives none.
    pub deadline: Option<DueDate>,
    /// The date status is computed against: the earliest interim milestone not reached when
    /// it makes the task 逾期 or 临期, else the deadline, or the plan's end.
    pub due: NaiveDate,
    /// That interim milestone as written ("2020年6月底前"), when the status is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestone: Option<String>,
    /// The deadline change in force on the day, when the office moved it (the deadline as
    /// written stays in `deadline`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjusted: Option<crate::deadline_change::DeadlineChange>,
    pub phase: Option<String>,
    pub status: Status,
    pub status_label: String,
    /// Why the task does not apply, when the office marked it 不适用.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<String>,
    pub progress_entries: usize,
    pub percent: Option<u8>,
    /// Unit ids of all roles, for filtering.
    #[serde(skip)]
    pub unit_ids: Vec<String>,
    /// Lower-cased searchable text (label, title, full text, units).
    #[serde(skip)]
    pub haystack: String,
}

/// Everything needed to turn tasks into rows.
pub struct RowContext<'a> {
    pub campaign: &'a Campaign,
    pub plans: &'a [Plan],
    pub units: &'a UnitDirectory,
    /// The latest progress per task as known on `today` ([`LatestProgress::of`]): entries
    /// dated later do not count.
    pub progress: &'a HashMap<String, LatestProgress>,
    pub rules: StatusRules,
    pub today: NaiveDate,
    /// Tasks marked 不适用: their rows say so, with the reason, whatever their deadline.
    pub applicability: &'a Applicability,
    /// Deadlines moved by the office: a row is due on the one in force on `today`.
    pub deadlines: &'a crate::deadline_change::DeadlineChanges,
}

impl RowContext<'_> {
    pub fn row(&self, task: &Task) -> TaskRow {
        let plan = self.plans.iter().find(|p| p.id == task.plan);
        let plan_end = plan.map_or(self.campaign.end, |p| self.campaign.plan_end(p));
        let phases = plan.map_or(self.campaign.phases.as_slice(), |p| {
            p.effective_phases(self.campaign)
        });
        let latest = self.progress.get(&task.id);
        let summary = latest.map(ProgressSummary::from).unwrap_or_default();
        // A deadline moved by the office, as of the day: the due date in force then.
        let adjusted = self.deadlines.in_force(&task.id, self.today).cloned();
        let due = adjusted
            .as_ref()
            .map_or_else(|| task.effective_due(plan_end), |c| c.due);
        let st = self.rules.task_status(task, due, latest, self.today);
        let not_applicable = self.applicability.task(&task.id).map(|m| m.reason.clone());
        let (status, due) = if not_applicable.is_some() {
            (Status::NotApplicable, st.due)
        } else {
            (st.status, st.due)
        };
        let names = |role: Role| -> Vec<String> {
            task.units_in(role)
                .map(|id| self.units.name_of(id).to_owned())
                .collect()
        };
        let lead_units = names(Role::Lead);
        let responsible_units = names(Role::Responsible);
        let cooperating_units = names(Role::Cooperating);
        let haystack = [
            task.label.as_str(),
            task.title.as_str(),
            task.text.as_str(),
            task.roles_text.as_deref().unwrap_or(""),
        ]
        .into_iter()
        .chain(lead_units.iter().map(String::as_str))
        .chain(responsible_units.iter().map(String::as_str))
        .chain(cooperating_units.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("\n")
        .to_lowercase();
        TaskRow {
            id: task.id.clone(),
            campaign: plan.map_or_else(|| self.campaign.id.clone(), |p| p.campaign.clone()),
            plan: task.plan.clone(),
            order: task.order,
            label: task.label.clone(),
            title: task.title.clone(),
            lead_units,
            responsible_units,
            cooperating_units,
            deadline_text: task.deadline_text(),
            deadline: task.final_deadline().and_then(|d| {
                Some(DueDate {
                    date: d.due?,
                    precision: d.precision,
                })
            }),
            due,
            milestone: st.milestone.filter(|_| not_applicable.is_none()),
            adjusted,
            phase: task.phase_in(phases, plan_end).map(str::to_owned),
            status,
            status_label: status.label_zh().to_owned(),
            not_applicable,
            progress_entries: summary.entries,
            percent: summary.percent,
            unit_ids: task.roles.iter().map(|r| r.unit.clone()).collect(),
            haystack,
        }
    }

    /// Rows of all tasks, in plan order then task order.
    pub fn rows(&self, tasks: &[Task]) -> Vec<TaskRow> {
        let plan_order: HashMap<&str, u32> = self
            .plans
            .iter()
            .map(|p| (p.id.as_str(), p.order))
            .collect();
        let mut rows: Vec<TaskRow> = tasks.iter().map(|t| self.row(t)).collect();
        rows.sort_by_key(|r| {
            (
                plan_order.get(r.plan.as_str()).copied().unwrap_or(u32::MAX),
                r.order,
            )
        });
        rows
    }
}

/// Filters of the task table and `tasks list`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskFilter {
    pub plan: Option<String>,
    /// A unit by name or alias (any role).
    pub unit: Option<String>,
    pub phase: Option<String>,
    pub status: Option<Status>,
    /// Free text, matched against label, title, full text and unit names.
    pub text: String,
}

impl TaskFilter {
    /// Rows matching the filter, in their current order.
    pub fn apply<'r>(&self, rows: &'r [TaskRow], units: &UnitDirectory) -> Vec<&'r TaskRow> {
        let unit_id = self
            .unit
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .map(|u| {
                units
                    .resolve(u)
                    .map(|unit| unit.id.clone())
                    .ok_or(u.trim().to_lowercase())
            });
        let needle = self.text.trim().to_lowercase();
        rows.iter()
            .filter(|r| self.plan.as_ref().is_none_or(|p| &r.plan == p))
            .filter(|r| self.status.is_none_or(|s| r.status == s))
            .filter(|r| {
                self.phase
                    .as_ref()
                    .is_none_or(|p| r.phase.as_ref() == Some(p))
            })
            .filter(|r| match &unit_id {
                None => true,
                Some(Ok(id)) => r.unit_ids.contains(id),
                // Not a known name: match it as part of a unit name.
                Some(Err(part)) => r
                    .lead_units
                    .iter()
                    .chain(&r.responsible_units)
                    .chain(&r.cooperating_units)
                    .any(|n| n.to_lowercase().contains(part.as_str())),
            })
            .filter(|r| needle.is_empty() || r.haystack.contains(&needle))
            .collect()
    }
}

/// Columns the task table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// Plan order, then the task's order (the document's order).
    Document,
    Label,
    Title,
    Lead,
    Responsible,
    Due,
    Status,
}

/// Sorts rows by `key`; ties keep the document order.
pub fn sort_rows(rows: &mut [&TaskRow], key: SortKey, ascending: bool) {
    let cmp = |a: &&TaskRow, b: &&TaskRow| -> std::cmp::Ordering {
        let primary = match key {
            SortKey::Document => std::cmp::Ordering::Equal,
            SortKey::Label => a.label.cmp(&b.label),
            SortKey::Title => a.title.cmp(&b.title),
            SortKey::Lead => a.lead_units.first().cmp(&b.lead_units.first()),
            SortKey::Responsible => a
                .responsible_units
                .first()
                .cmp(&b.responsible_units.first()),
            SortKey::Due => a.due.cmp(&b.due),
            SortKey::Status => a.status.cmp(&b.status),
        };
        if ascending {
            primary
        } else {
            primary.reverse()
        }
    };
    // Rows arrive in document order; a stable sort keeps it for ties.
    rows.sort_by(cmp);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::{Phase, PlanKind, UnitRole};
    use crate::deadline::parse_deadline;
    use crate::unit::{Unit, UnitKind};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn fixture() -> (Campaign, Vec<Plan>, UnitDirectory, Vec<Task>) {
        let campaign = Campaign {
            id: "c".into(),
            name: "c".into(),
            region: String::new(),
            start: d(2020, 4, 1),
            end: d(2022, 12, 31),
            phases: vec![
                Phase {
                    name: "排查整治".into(),
                    start: d(2020, 4, 1),
                    end: d(2020, 12, 31),
                },
                Phase {
                    name: "集中攻坚".into(),
                    start: d(2021, 1, 1),
                    end: d(2022, 12, 31),
                },
            ],
            milestones: Vec::new(),
            actions: Vec::new(),
            note: String::new(),
            archived: false,
        };
        let plan = |id: &str, order| Plan {
            annotations: Default::default(),
            id: id.into(),
            campaign: "c".into(),
            order,
            code: String::new(),
            kind: PlanKind::Topic,
            title: id.into(),
            goals: String::new(),
            source: String::new(),
            phases: vec![],
            sector: None,
        };
        let units = UnitDirectory::new(vec![
            Unit {
                alias_sources: Vec::new(),
                id: "u1".into(),
                name: "区住建局".into(),
                aliases: vec!["住建局".into()],
                kind: UnitKind::Department,
            },
            Unit {
                alias_sources: Vec::new(),
                id: "u2".into(),
                name: "区应急管理局".into(),
                aliases: vec![],
                kind: UnitKind::Department,
            },
        ])
        .unwrap();
        let task = |plan: &str, order: u32, title: &str, unit: &str, dl: &str| Task {
            id: format!("{plan}/{order}"),
            plan: plan.into(),
            order,
            label: format!("({order})"),
            section: String::new(),
            title: title.into(),
            text: format!("{title}的全文"),
            roles_text: None,
            roles: vec![UnitRole {
                unit: unit.into(),
                role: Role::Lead,
                note: None,
            }],
            deadlines: vec![parse_deadline(dl, None).unwrap()],
            phase: None,
        };
        let tasks = vec![
            task("b", 1, "燃气管道排查", "u1", "2021年底前"),
            task("a", 2, "执法检查", "u2", "2020年8月15日前"),
            task("a", 1, "集中学习", "u2", "2020年底前"),
        ];
        (campaign, vec![plan("a", 1), plan("b", 2)], units, tasks)
    }

    #[test]
    fn rows_filter_and_sort() {
        let (campaign, plans, units, tasks) = fixture();
        let mut progress = HashMap::new();
        progress.insert(
            "a/1".to_owned(),
            LatestProgress {
                milestones: Vec::new(),
                dates: Vec::new(),
                recorded: Vec::new(),
                date: d(2020, 8, 1),
                text: String::new(),
                percent: Some(100),
                done: true,
                entries: 1,
                evidence: 0,
            },
        );
        let ctx = RowContext {
            campaign: &campaign,
            plans: &plans,
            units: &units,
            progress: &progress,
            rules: StatusRules::default(),
            today: d(2020, 9, 1),
            applicability: &Applicability::default(),

            deadlines: &Default::default(),
        };
        let rows = ctx.rows(&tasks);
        assert_eq!(
            rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["a/1", "a/2", "b/1"]
        );
        assert_eq!(rows[0].status, Status::Done);
        assert_eq!(rows[1].status, Status::Overdue);
        assert_eq!(rows[2].status, Status::NotStarted);
        assert_eq!(rows[2].phase.as_deref(), Some("集中攻坚"));
        assert_eq!(rows[1].lead_units, ["区应急管理局"]);

        let by_alias = TaskFilter {
            unit: Some("住建局".into()),
            ..Default::default()
        };
        assert_eq!(by_alias.apply(&rows, &units).len(), 1);
        let by_part = TaskFilter {
            unit: Some("应急".into()),
            ..Default::default()
        };
        assert_eq!(by_part.apply(&rows, &units).len(), 2);
        let overdue = TaskFilter {
            status: Some(Status::Overdue),
            ..Default::default()
        };
        assert_eq!(overdue.apply(&rows, &units)[0].id, "a/2");
        let text = TaskFilter {
            text: "全文".into(),
            plan: Some("a".into()),
            ..Default::default()
        };
        assert_eq!(text.apply(&rows, &units).len(), 2);
        let phase = TaskFilter {
            phase: Some("排查整治".into()),
            ..Default::default()
        };
        assert_eq!(phase.apply(&rows, &units).len(), 2);

        let mut all: Vec<&TaskRow> = rows.iter().collect();
        sort_rows(&mut all, SortKey::Due, true);
        assert_eq!(all[0].id, "a/2");
        sort_rows(&mut all, SortKey::Due, false);
        assert_eq!(all[0].id, "b/1");
    }

    /// A task marked 不适用 shows so with its reason, whatever its deadline says, and no
    /// status filter of [`Status::ALL`] finds it.
    #[test]
    fn a_task_marked_not_applicable_is_in_no_status() {
        use crate::applicability::{Item, NotApplicable};
        let (campaign, plans, units, tasks) = fixture();
        let mut marks = Applicability::default();
        marks.set(
            &Item::Task("a/2".into()),
            Some(NotApplicable {
                reason: "本区无海域".into(),
                date: d(2020, 6, 1),
            }),
        );
        let progress = HashMap::new();
        let ctx = RowContext {
            campaign: &campaign,
            plans: &plans,
            units: &units,
            progress: &progress,
            rules: StatusRules::default(),
            today: d(2020, 9, 1),
            applicability: &marks,
            deadlines: &Default::default(),
        };
        let rows = ctx.rows(&tasks);
        let row = rows.iter().find(|r| r.id == "a/2").unwrap();
        assert_eq!(row.status, Status::NotApplicable);
        assert_eq!(row.status_label, "不适用");
        assert_eq!(row.not_applicable.as_deref(), Some("本区无海域"));
        assert_eq!(row.milestone, None);
        for s in Status::ALL {
            let f = TaskFilter {
                status: Some(s),
                ..Default::default()
            };
            assert!(
                f.apply(&rows, &units).iter().all(|r| r.id != "a/2"),
                "{s:?}"
            );
        }
        let f = TaskFilter {
            status: Status::from_key("不适用"),
            ..Default::default()
        };
        assert_eq!(f.apply(&rows, &units).len(), 1);
        // Unmarked, the same task is 逾期 again.
        let unmarked = Applicability::default();
        let ctx = RowContext {
            applicability: &unmarked,
            deadlines: &Default::default(),
            ..ctx
        };
        assert_eq!(ctx.row(&tasks[1]).status, Status::Overdue);
    }
}
