//! 今日待办: what needs doing as of a day — tasks past or near their deadline or an interim
//! milestone (阶段节点), targets behind or past their checkpoints — each with whom it falls to
//! and when, most urgent first, grouped by unit or by plan. Built from the task rows and the
//! target evaluations of one campaign; nothing here reads a clock.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::query::TaskRow;
use crate::reports::{Filing, FilingState};
use crate::status::Status;
use crate::target::TargetStatus;

/// Why an item is on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TodoKind {
    /// A task past its deadline, not done.
    TaskOverdue,
    /// An interim milestone passed without an entry reporting it reached.
    MilestoneOverdue,
    /// A target's checkpoint passed and missed (逾期未达标).
    TargetOverdue,
    /// A task whose deadline is near (临期).
    TaskDueSoon,
    /// An interim milestone that is near.
    MilestoneDueSoon,
    /// A target behind the checkpoint that applies now (滞后).
    TargetBehind,
    /// A unit's report past its due day with nothing submitted (逾期未报), one item per
    /// unit and report however many periods it missed.
    ReportMissing,
    /// A unit's report returned for changes (退回修改), to be submitted again.
    ReportReturned,
    /// A submission awaiting the office's 签收.
    ReportToSign,
    /// A report due within the reminder days, not yet submitted.
    ReportDueSoon,
    /// A 督办事项's next ladder step has fallen due (督办待升级).
    SupervisionStep,
    /// A 督办事项 reported done, awaiting the office's 验收.
    SupervisionToCheck,
    /// A closed 督办事项's 回头看 has fallen due.
    LookbackDue,
    /// A hazard past its 整改时限, not rectified and rechecked.
    HazardOverdue,
}

impl TodoKind {
    pub fn label_zh(self) -> &'static str {
        match self {
            TodoKind::TaskOverdue => "任务逾期",
            TodoKind::MilestoneOverdue => "阶段节点逾期",
            TodoKind::TargetOverdue => "指标逾期未达标",
            TodoKind::TaskDueSoon => "任务临期",
            TodoKind::MilestoneDueSoon => "阶段节点临期",
            TodoKind::TargetBehind => "指标滞后",
            TodoKind::ReportMissing => "逾期未报",
            TodoKind::ReportReturned => "退回待重报",
            TodoKind::ReportToSign => "报送待签收",
            TodoKind::ReportDueSoon => "报送临期",
            TodoKind::SupervisionStep => "督办待升级",
            TodoKind::SupervisionToCheck => "督办待验收",
            TodoKind::LookbackDue => "回头看到期",
            TodoKind::HazardOverdue => "隐患逾期",
        }
    }

    /// About a report (报送日历) rather than a task or a target.
    pub fn is_report(self) -> bool {
        matches!(
            self,
            TodoKind::ReportMissing
                | TodoKind::ReportReturned
                | TodoKind::ReportToSign
                | TodoKind::ReportDueSoon
        )
    }

    /// Past a date (rather than near one or behind).
    pub fn is_overdue(self) -> bool {
        matches!(
            self,
            TodoKind::TaskOverdue
                | TodoKind::MilestoneOverdue
                | TodoKind::TargetOverdue
                | TodoKind::ReportMissing
                | TodoKind::SupervisionStep
                | TodoKind::HazardOverdue
        )
    }

    pub fn is_target(self) -> bool {
        matches!(self, TodoKind::TargetOverdue | TodoKind::TargetBehind)
    }

    /// About the supervision registers (a 督办事项 or a hazard: the item's `id` is
    /// "supervision_item:N" or "hazard:N").
    pub fn is_supervision(self) -> bool {
        matches!(
            self,
            TodoKind::SupervisionStep
                | TodoKind::SupervisionToCheck
                | TodoKind::LookbackDue
                | TodoKind::HazardOverdue
        )
    }
}

/// A target as the list needs it: its evaluation on the day.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetState<'a> {
    pub id: &'a str,
    pub plan: &'a str,
    pub name: &'a str,
    pub status: TargetStatus,
    /// The due date of the checkpoint the status is about.
    pub due: Option<NaiveDate>,
    /// The checkpoint in words ("2021年底前达到60%").
    pub checkpoint: String,
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Todo {
    pub kind: TodoKind,
    pub kind_label: &'static str,
    /// The task's or the target's id.
    pub id: String,
    pub plan: String,
    /// The task's label as written ("(四)6"); empty for a target.
    pub label: String,
    pub title: String,
    /// Whom it falls to: the lead units, else the responsible ones (names); empty for a
    /// target, and for a task whose source names no unit.
    pub units: Vec<String>,
    pub due: Option<NaiveDate>,
    /// Days from the day to `due`: negative when past (逾期 that many days).
    pub days: Option<i64>,
    /// The milestone as written, or the checkpoint in words.
    pub note: String,
}

impl Todo {
    /// "逾期 12 天" / "还有 5 天" / "今天到期".
    pub fn days_text(&self) -> String {
        match self.days {
            Some(d) if d < 0 => format!("逾期 {} 天", -d),
            Some(0) => "今天到期".to_owned(),
            Some(d) => format!("还有 {d} 天"),
            None => String::new(),
        }
    }
}

/// The list as of `today`: every task row 逾期 or 临期 (about its deadline or an interim
/// milestone), every target 逾期未达标 or 滞后; 不适用 and done ones never. Most urgent first:
/// what is past its date before what is near, the longest overdue first, then by date.
pub fn todo_list(rows: &[TaskRow], targets: &[TargetState<'_>], today: NaiveDate) -> Vec<Todo> {
    let mut out = Vec::new();
    for r in rows {
        let kind = match (r.status, r.milestone.is_some()) {
            (Status::Overdue, false) => TodoKind::TaskOverdue,
            (Status::Overdue, true) => TodoKind::MilestoneOverdue,
            (Status::DueSoon, false) => TodoKind::TaskDueSoon,
            (Status::DueSoon, true) => TodoKind::MilestoneDueSoon,
            _ => continue,
        };
        let units = if r.lead_units.is_empty() {
            r.responsible_units.clone()
        } else {
            r.lead_units.clone()
        };
        out.push(Todo {
            kind,
            kind_label: kind.label_zh(),
            id: r.id.clone(),
            plan: r.plan.clone(),
            label: r.label.clone(),
            title: r.title.clone(),
            units,
            due: Some(r.due),
            days: Some((r.due - today).num_days()),
            note: r
                .milestone
                .clone()
                .unwrap_or_else(|| r.deadline_text.clone()),
        });
    }
    for t in targets {
        let kind = match t.status {
            TargetStatus::OverdueUnmet => TodoKind::TargetOverdue,
            TargetStatus::Behind => TodoKind::TargetBehind,
            _ => continue,
        };
        out.push(Todo {
            kind,
            kind_label: kind.label_zh(),
            id: t.id.to_owned(),
            plan: t.plan.to_owned(),
            label: String::new(),
            title: t.name.to_owned(),
            units: Vec::new(),
            due: t.due,
            days: t.due.map(|d| (d - today).num_days()),
            note: t.checkpoint.clone(),
        });
    }
    sort_todos(&mut out);
    out
}

/// Most urgent first: what is past its date before what is near, the longest overdue
/// first, then by date.
pub fn sort_todos(list: &mut [Todo]) {
    list.sort_by(|a, b| {
        (!a.kind.is_overdue())
            .cmp(&!b.kind.is_overdue())
            .then(a.days.unwrap_or(i64::MAX).cmp(&b.days.unwrap_or(i64::MAX)))
            .then(a.kind.cmp(&b.kind))
            .then(a.id.cmp(&b.id))
            .then(a.units.cmp(&b.units))
    });
}

/// The reports to see to as of `today` (unsorted; [`sort_todos`] after merging): each unit's
/// missed periods of a report as one item (the oldest one's due date, the count in the
/// note), every submission returned and not yet submitted again, every one awaiting 签收,
/// and every period due within `remind_days` not yet submitted. `unit_name` names a unit id.
pub fn report_todos(
    filings: &[Filing],
    today: NaiveDate,
    remind_days: u32,
    unit_name: &dyn Fn(&str) -> String,
) -> Vec<Todo> {
    let mut missed: BTreeMap<(&str, &str), Vec<&Filing>> = BTreeMap::new();
    let mut out = Vec::new();
    let item = |kind: TodoKind, f: &Filing, due: NaiveDate, note: String| Todo {
        kind,
        kind_label: kind.label_zh(),
        id: f.report.clone(),
        plan: f.plan.clone(),
        label: String::new(),
        title: f.name.clone(),
        units: vec![unit_name(&f.unit)],
        due: Some(due),
        days: Some((due - today).num_days()),
        note,
    };
    for f in filings {
        match f.state {
            FilingState::Missing => missed.entry((&f.report, &f.unit)).or_default().push(f),
            FilingState::Returned => {
                out.push(item(TodoKind::ReportReturned, f, f.due, f.period.clone()))
            }
            FilingState::Pending => {
                out.push(item(TodoKind::ReportToSign, f, f.due, f.period.clone()))
            }
            FilingState::Upcoming if (f.due - today).num_days() <= i64::from(remind_days) => {
                out.push(item(TodoKind::ReportDueSoon, f, f.due, f.period.clone()))
            }
            FilingState::Upcoming | FilingState::Accepted => {}
        }
    }
    for list in missed.values() {
        let Some(oldest) = list.iter().min_by_key(|f| f.due) else {
            continue;
        };
        let note = if list.len() == 1 {
            oldest.period.clone()
        } else {
            format!("未报 {} 期，最早 {}", list.len(), oldest.period)
        };
        out.push(item(TodoKind::ReportMissing, oldest, oldest.due, note));
    }
    out
}

/// The supervision work to see to as of `today` (unsorted; [`sort_todos`] after merging):
/// each 督办事项 whose next ladder step has fallen due (on `ladder`), each one awaiting
/// 验收, each 回头看 due, each hazard past its 整改时限. `unit_name` names a unit id.
pub fn supervision_todos(
    registers: &crate::supervision::Registers,
    ladder: &crate::accountability::Ladder,
    today: NaiveDate,
    unit_name: &dyn Fn(&str) -> String,
) -> Vec<Todo> {
    use crate::supervision::ItemState;
    let mut out = Vec::new();
    let todo =
        |kind: TodoKind, id: String, title: &str, unit: &str, due: NaiveDate, note: String| Todo {
            kind,
            kind_label: kind.label_zh(),
            id,
            plan: String::new(),
            label: String::new(),
            title: title.to_owned(),
            units: vec![unit_name(unit)],
            due: Some(due),
            days: Some((due - today).num_days()),
            note,
        };
    for i in &registers.items {
        let id = format!("supervision_item:{}", i.id);
        if let Some((step, due)) = i.step_due(ladder, today) {
            out.push(todo(
                TodoKind::SupervisionStep,
                id.clone(),
                &i.title,
                &i.unit,
                due,
                format!(
                    "#{} 下一步：{}（时限 {}）",
                    i.id,
                    step.label_zh(),
                    i.deadline
                ),
            ));
        }
        if i.state() == ItemState::AwaitingCheck
            && let Some(done) = &i.completed
        {
            out.push(todo(
                TodoKind::SupervisionToCheck,
                id.clone(),
                &i.title,
                &i.unit,
                done.date,
                format!("#{} {}报告完成", i.id, done.date),
            ));
        }
        if let Some(due) = i.lookback_due(today) {
            out.push(todo(
                TodoKind::LookbackDue,
                id,
                &i.title,
                &i.unit,
                due,
                format!("#{} 已于 {} 销号", i.id, i.closed.unwrap_or(due)),
            ));
        }
    }
    // Hazards past their 整改时限: one item per unit (an office may hold thousands), the
    // oldest one's date, a 重大隐患 named.
    let mut late: BTreeMap<&str, Vec<&crate::supervision::Hazard>> = BTreeMap::new();
    for h in registers.hazards.iter().filter(|h| h.overdue(today)) {
        late.entry(h.unit.as_str()).or_default().push(h);
    }
    for (unit, list) in late {
        let due_of =
            |h: &crate::supervision::Hazard| h.plan.as_ref().map_or(h.deadline, |p| p.deadline);
        let Some(oldest) = list.iter().min_by_key(|h| (due_of(h), h.id)) else {
            continue;
        };
        let major = list
            .iter()
            .filter(|h| h.grade == crate::supervision::HazardGrade::Major)
            .count();
        let (id, title) = if list.len() == 1 {
            (
                format!("hazard:{}", oldest.id),
                format!("{}：{}", oldest.place, oldest.description),
            )
        } else {
            (
                format!("hazards_of:{unit}"),
                format!("逾期未整改的隐患 {} 项", list.len()),
            )
        };
        let mut note = format!("最早 #{} {}", oldest.id, oldest.place);
        if major > 0 {
            note.push_str(&format!("；其中重大隐患 {major} 项"));
        }
        out.push(todo(
            TodoKind::HazardOverdue,
            id,
            &title,
            unit,
            due_of(oldest),
            note,
        ));
    }
    out
}

/// What does not name a unit is listed under this.
pub const NO_UNIT: &str = "（未列单位）";

/// The list grouped by unit: a unit's group holds the items it leads (or is responsible for,
/// when an item has no lead), in the list's order; units with the most overdue items first,
/// then by name. An item naming two units is in both groups; one naming none (a target, or a
/// task whose source names no unit) under [`NO_UNIT`], last.
pub fn by_unit(todos: &[Todo]) -> Vec<(String, Vec<&Todo>)> {
    let mut groups: BTreeMap<&str, Vec<&Todo>> = BTreeMap::new();
    for t in todos {
        if t.units.is_empty() {
            groups.entry(NO_UNIT).or_default().push(t);
        }
        for u in &t.units {
            groups.entry(u.as_str()).or_default().push(t);
        }
    }
    let mut out: Vec<(String, Vec<&Todo>)> = groups
        .into_iter()
        .map(|(u, items)| (u.to_owned(), items))
        .collect();
    let overdue = |items: &[&Todo]| items.iter().filter(|t| t.kind.is_overdue()).count();
    out.sort_by(|(ua, a), (ub, b)| {
        (ua == NO_UNIT)
            .cmp(&(ub == NO_UNIT))
            .then(overdue(b).cmp(&overdue(a)))
            .then(b.len().cmp(&a.len()))
            .then(ua.cmp(ub))
    });
    out
}

/// The list grouped by plan, in the order of `plans` (ids); items of a plan not among them
/// come last.
pub fn by_plan<'a>(todos: &'a [Todo], plans: &[&str]) -> Vec<(String, Vec<&'a Todo>)> {
    let mut out: Vec<(String, Vec<&Todo>)> = plans
        .iter()
        .map(|p| {
            (
                (*p).to_owned(),
                todos.iter().filter(|t| t.plan == *p).collect::<Vec<_>>(),
            )
        })
        .filter(|(_, items)| !items.is_empty())
        .collect();
    let rest: Vec<&Todo> = todos
        .iter()
        .filter(|t| !plans.contains(&t.plan.as_str()))
        .collect();
    if !rest.is_empty() {
        out.push((String::new(), rest));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn row(id: &str, status: Status, due: &str, milestone: Option<&str>, lead: &[&str]) -> TaskRow {
        serde_json::from_value(serde_json::json!({
            "id": id, "campaign": "c", "plan": id.split('/').next().unwrap(), "order": 1,
            "label": "1", "title": format!("任务{id}"),
            "lead_units": lead, "responsible_units": ["各镇、街道"], "cooperating_units": [],
            "deadline_text": "2020年底前", "deadline": null, "due": due,
            "milestone": milestone, "phase": null, "status": status,
            "status_label": status.label_zh(), "progress_entries": 0, "percent": null,
        }))
        .unwrap()
    }

    #[test]
    fn the_list_holds_what_is_past_or_near_most_urgent_first() {
        let today = day("2021-03-01");
        let rows = [
            row(
                "a/1",
                Status::DueSoon,
                "2021-03-05",
                None,
                &["区应急管理局"],
            ),
            row(
                "a/2",
                Status::Overdue,
                "2021-01-31",
                None,
                &["区应急管理局"],
            ),
            row(
                "a/3",
                Status::Overdue,
                "2020-12-31",
                Some("2020年底前"),
                &["区住建局"],
            ),
            row("a/4", Status::Done, "2020-12-31", None, &["区住建局"]),
            row(
                "a/5",
                Status::NotApplicable,
                "2020-12-31",
                None,
                &["区住建局"],
            ),
            row("b/1", Status::InProgress, "2022-12-31", None, &[]),
            row("b/2", Status::Overdue, "2021-02-28", None, &[]),
        ];
        let targets = [
            TargetState {
                id: "a/t1",
                plan: "a",
                name: "达标率",
                status: TargetStatus::Behind,
                due: Some(day("2021-12-31")),
                checkpoint: "2021年底前达到60%".into(),
            },
            TargetState {
                id: "a/t2",
                plan: "a",
                name: "覆盖率",
                status: TargetStatus::Met,
                due: None,
                checkpoint: String::new(),
            },
        ];
        let list = todo_list(&rows, &targets, today);
        let ids: Vec<&str> = list.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["a/3", "a/2", "b/2", "a/1", "a/t1"]);
        assert_eq!(list[0].kind, TodoKind::MilestoneOverdue);
        assert_eq!(list[0].note, "2020年底前");
        assert_eq!(list[0].days_text(), "逾期 60 天");
        assert_eq!(list[3].days_text(), "还有 4 天");
        // No lead: the responsible units.
        assert_eq!(list[2].units, ["各镇、街道"]);
        // By unit: most overdue first, then most items; the target under 未列单位, last.
        let groups = by_unit(&list);
        let names: Vec<&str> = groups.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(names, ["区应急管理局", "区住建局", "各镇、街道", NO_UNIT]);
        assert_eq!(groups[0].1.len(), 2);
        // By plan, in the plans' order.
        let plans = by_plan(&list, &["b", "a"]);
        assert_eq!(plans[0].0, "b");
        assert_eq!(plans[1].1.len(), 4);
    }

    #[test]
    fn reports_to_see_to_join_the_list_one_item_per_unit_for_missed_periods() {
        use crate::calendar::{CalendarEntry, DutyOf};
        use crate::deadline::Recurrence;
        use crate::reports::{Review, Submission, filings};
        let entry = |start: &str, end: &str, period: &str| CalendarEntry {
            of: DutyOf::Office,
            id: "monthly".into(),
            plan: String::new(),
            name: "月报".into(),
            recurrence: Recurrence::Monthly,
            recurrence_label: "每月".into(),
            start: day(start),
            end: day(end),
            period: period.into(),
            due: day(end),
            units: vec!["u1".into(), "u2".into()],
        };
        let entries = [
            entry("2021-01-01", "2021-01-31", "2021年1月"),
            entry("2021-02-01", "2021-02-28", "2021年2月"),
            entry("2021-03-01", "2021-03-31", "2021年3月"),
            entry("2021-04-01", "2021-04-30", "2021年4月"),
        ];
        let sub = |id, start: &str, review| Submission {
            id,
            unit: "u2".into(),
            report: "monthly".into(),
            period_start: day(start),
            period: String::new(),
            due: day("2021-01-31"),
            date: day("2021-01-31"),
            what: "月报".into(),
            late_reason: None,
            evidence: Vec::new(),
            review,
            author: String::new(),
            created_at: String::new(),
        };
        let subs = [
            sub(1, "2021-01-01", Review::Pending),
            sub(
                2,
                "2021-02-01",
                Review::Returned {
                    date: day("2021-03-01"),
                    by: String::new(),
                    reason: "重报".into(),
                },
            ),
            sub(
                3,
                "2021-03-01",
                Review::Accepted {
                    date: day("2021-03-31"),
                    by: String::new(),
                },
            ),
        ];
        let today = day("2021-04-27");
        let list = filings(&entries, &subs, today);
        let name = |u: &str| format!("单位{u}");
        let mut todos = report_todos(&list, today, 5, &name);
        sort_todos(&mut todos);
        let got: Vec<(TodoKind, &str, &str)> = todos
            .iter()
            .map(|t| (t.kind, t.units[0].as_str(), t.note.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                // u1 missed January to March: one item, dated by the oldest.
                (
                    TodoKind::ReportMissing,
                    "单位u1",
                    "未报 3 期，最早 2021年1月"
                ),
                (TodoKind::ReportToSign, "单位u2", "2021年1月"),
                (TodoKind::ReportReturned, "单位u2", "2021年2月"),
                // April is due in 3 days (within 5) for both.
                (TodoKind::ReportDueSoon, "单位u1", "2021年4月"),
                (TodoKind::ReportDueSoon, "单位u2", "2021年4月"),
            ]
        );
        assert_eq!(todos[0].days_text(), "逾期 86 天");
        assert!(todos.iter().all(|t| t.kind.is_report()));
        // Two days earlier, April is not within 2 days.
        let early = report_todos(&list, day("2021-04-27"), 2, &name);
        assert!(early.iter().all(|t| t.kind != TodoKind::ReportDueSoon));
    }

    #[test]
    fn supervision_work_is_listed_and_a_units_overdue_hazards_are_one_item() {
        use crate::supervision::{
            Dated, Hazard, HazardGrade, Item, Level, Registers, Source, SourceKind,
        };
        let item = |id: u64, deadline: &str, completed: Option<&str>| Item {
            id,
            title: format!("事项{id}"),
            source: Source {
                kind: SourceKind::Meeting,
                reference: "会议".into(),
                task: None,
                milestone: None,
                hazard: None,
            },
            level: Level::District,
            unit: "u1".into(),
            supervisor: "办".into(),
            acceptor: "办".into(),
            opened: day("2026-01-01"),
            deadline: day(deadline),
            steps: vec![],
            received: Some(day("2026-01-02")),
            completed: completed.map(|d| Dated {
                date: day(d),
                text: "完成".into(),
            }),
            checks: vec![],
            explanations: vec![],
            closed: None,
            lookback: None,
            author: "t".into(),
            created_at: String::new(),
        };
        let hazard = |id: u64, unit: &str, deadline: &str, grade| Hazard {
            id,
            found: day("2026-01-01"),
            found_by: String::new(),
            place: format!("企业{id}"),
            sector: None,
            category: String::new(),
            standard: None,
            clause: None,
            description: "隐患".into(),
            grade,
            unit: unit.into(),
            registered: day("2026-01-01"),
            deadline: day(deadline),
            plan: None,
            rechecks: vec![],
            closed: None,
            item: None,
            tasks: vec![],
            author: "t".into(),
            created_at: String::new(),
        };
        let regs = Registers {
            items: vec![
                item(1, "2026-02-01", None),
                item(2, "2026-12-01", None),
                item(3, "2026-02-01", Some("2026-02-20")),
            ],
            hazards: vec![
                hazard(1, "u1", "2026-02-10", HazardGrade::General),
                hazard(2, "u1", "2026-02-05", HazardGrade::Major),
                hazard(3, "u2", "2026-02-15", HazardGrade::General),
                hazard(4, "u2", "2026-12-15", HazardGrade::General),
            ],
            ..Registers::default()
        };
        let name = |u: &str| format!("单位{u}");
        let list = supervision_todos(&regs, &Default::default(), day("2026-03-01"), &name);
        let find = |k: TodoKind| list.iter().filter(|t| t.kind == k).collect::<Vec<_>>();
        let steps = find(TodoKind::SupervisionStep);
        assert_eq!(steps.len(), 1, "only the late, uncompleted one: {list:?}");
        assert_eq!(steps[0].id, "supervision_item:1");
        assert_eq!(
            find(TodoKind::SupervisionToCheck)[0].id,
            "supervision_item:3"
        );
        let hazards = find(TodoKind::HazardOverdue);
        assert_eq!(hazards.len(), 2, "one per unit");
        assert_eq!(hazards[0].id, "hazards_of:u1");
        assert_eq!(hazards[0].title, "逾期未整改的隐患 2 项");
        assert!(hazards[0].note.contains("最早 #2") && hazards[0].note.contains("重大隐患 1 项"));
        assert_eq!(hazards[0].due, Some(day("2026-02-05")));
        assert_eq!(hazards[1].id, "hazard:3", "a unit's only one is itself");
        assert!(
            hazards
                .iter()
                .all(|t| t.kind.is_overdue() && t.kind.is_supervision())
        );
    }
}
