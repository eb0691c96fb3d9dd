//! Campaigns (三年行动), their phases, plans (专题 / 专项 / 工作分工方案) and tasks.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::deadline::Deadline;
use crate::role_words::RoleWord;
use crate::target::Target;
use crate::unit::Unit;

/// A phase (阶段) with its date range, both ends inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phase {
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Phase {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

/// A campaign such as the 2020–2022 安全生产专项整治三年行动. Nothing about its years is
/// hard-coded: phases are data, and a campaign may name none and work by yearly milestones.
/// A desk holds several; one is current, a finished one can be archived (read-only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub region: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    #[serde(default)]
    pub phases: Vec<Phase>,
    /// Checkpoints of a campaign that works by milestones rather than phases ("2024年底").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<CampaignMilestone>,
    /// Cross-cutting actions (行动) beside its plans, each naming the tasks it gathers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<CampaignAction>,
    /// What the campaign is, said wherever it is shown ("种子文件004：商洛市…的任务分工").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Finished and kept read-only: its tasks and targets take no more changes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub archived: bool,
}

/// A dated checkpoint of a campaign ("2024年度", 2024-12-31).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignMilestone {
    pub name: String,
    pub date: NaiveDate,
}

/// A cross-cutting action (行动) of a campaign: a second axis beside its plans, gathering tasks
/// of several plans ("重大事故隐患动态清零行动").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignAction {
    pub id: String,
    pub name: String,
    /// Ids of the tasks it gathers, of any of the campaign's plans.
    #[serde(default)]
    pub tasks: Vec<String>,
}

impl Campaign {
    /// "2020—2022年" (one year: "2018年").
    pub fn years_text(&self) -> String {
        use chrono::Datelike;
        let (a, b) = (self.start.year(), self.end.year());
        if a == b {
            format!("{a}年")
        } else {
            format!("{a}—{b}年")
        }
    }

    /// The actions that gather `task`.
    pub fn actions_of<'a>(&'a self, task: &'a str) -> impl Iterator<Item = &'a CampaignAction> {
        self.actions
            .iter()
            .filter(move |a| a.tasks.iter().any(|t| t == task))
    }
}

/// The campaign the desk shows: the one `chosen` (the user's pick, kept in the settings) when
/// it exists; else, of those not archived, the newest under way on `today`, else the newest
/// begun by then, else the newest of all.
pub fn current_campaign<'a>(
    campaigns: &'a [Campaign],
    chosen: Option<&str>,
    today: NaiveDate,
) -> Option<&'a Campaign> {
    if let Some(c) = chosen.and_then(|id| campaigns.iter().find(|c| c.id == id)) {
        return Some(c);
    }
    let open = || campaigns.iter().filter(|c| !c.archived);
    open()
        .filter(|c| c.start <= today && today <= c.end)
        .max_by_key(|c| c.start)
        .or_else(|| open().filter(|c| c.start <= today).max_by_key(|c| c.start))
        .or_else(|| campaigns.iter().max_by_key(|c| c.start))
}

/// What kind of plan a plan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// 专题 — cross-sector topic, belongs to the core.
    Topic,
    /// 专项 — a sector plan (contributed by a sector plugin).
    Sector,
    /// 工作分工方案 — a tracked workstream such as the reform task-division table.
    Workstream,
}

impl PlanKind {
    pub fn label_zh(self) -> &'static str {
        match self {
            PlanKind::Topic => "专题",
            PlanKind::Sector => "专项",
            PlanKind::Workstream => "分工方案",
        }
    }
}

/// A plan (实施方案 / 任务分工方案) inside a campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: String,
    pub campaign: String,
    /// Position among the campaign's plans.
    pub order: u32,
    /// "附件1"…
    #[serde(default)]
    pub code: String,
    pub kind: PlanKind,
    pub title: String,
    #[serde(default)]
    pub goals: String,
    /// Provenance, e.g. "种子文件001 第5–50行".
    #[serde(default)]
    pub source: String,
    /// The plan's own phase set; empty means the campaign's phases apply.
    #[serde(default)]
    pub phases: Vec<Phase>,
    /// Sector id for sector plans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// What the source says beyond tasks and targets: phase descriptions, and the places
    /// where its statements disagree.
    #[serde(default, skip_serializing_if = "PlanAnnotations::is_empty")]
    pub annotations: PlanAnnotations,
}

/// A plan's phase descriptions and the source's inconsistencies, as its plugin gives them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PlanAnnotations {
    /// Phase descriptions as written, by phase name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<PhaseText>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<SourceNote>,
    /// The words the source uses for its roles, in its order (see [`crate::role_words`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub role_words: Vec<RoleWord>,
}

impl PlanAnnotations {
    pub fn is_empty(&self) -> bool {
        self.phases.is_empty() && self.notes.is_empty() && self.role_words.is_empty()
    }

    /// The description of the phase named `name`.
    pub fn phase_text(&self, name: &str) -> Option<&PhaseText> {
        self.phases.iter().find(|p| p.name == name)
    }

    /// The notes that concern the task labelled `label`.
    pub fn notes_on_task<'a>(&'a self, label: &'a str) -> impl Iterator<Item = &'a SourceNote> {
        self.notes
            .iter()
            .filter(move |n| n.tasks.iter().any(|t| t == label))
    }

    /// The notes that concern the target `id` (the desk's id, `sector/target`).
    pub fn notes_on_target<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a SourceNote> {
        self.notes
            .iter()
            .filter(move |n| n.targets.iter().any(|t| t == id))
    }
}

/// A phase's description as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseText {
    pub name: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// Statements of the source that do not agree (附件3's 75% goal against its task's 50%): both
/// are kept as written, and this note is shown where they meet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceNote {
    /// The source lines concerned.
    pub lines: Vec<u32>,
    pub text: String,
    /// Labels of the tasks concerned.
    #[serde(default)]
    pub tasks: Vec<String>,
    /// Ids of the targets concerned (the desk's ids).
    #[serde(default)]
    pub targets: Vec<String>,
}

impl SourceNote {
    /// "第99、140行".
    pub fn lines_text(&self) -> String {
        let l: Vec<String> = self.lines.iter().map(u32::to_string).collect();
        format!("第{}行", l.join("、"))
    }
}

impl Plan {
    /// The phases that apply to this plan.
    pub fn effective_phases<'a>(&'a self, campaign: &'a Campaign) -> &'a [Phase] {
        if self.phases.is_empty() {
            &campaign.phases
        } else {
            &self.phases
        }
    }
}

/// A unit's role on a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 牵头单位 / 牵头部门
    Lead,
    /// 责任单位
    Responsible,
    /// 配合单位 / 区级责任部门
    Cooperating,
}

impl Role {
    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Lead => "牵头",
            Role::Responsible => "责任",
            Role::Cooperating => "配合",
        }
    }
}

/// One unit in one role on a task, with an optional scope note
/// ("石油化工企业建设由区应急管理局牵头").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRole {
    pub unit: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A task (任务/措施) of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// Stable id: "{plan}/{order}".
    pub id: String,
    pub plan: String,
    /// 1-based position in the plan, as printed.
    pub order: u32,
    /// The label exactly as written ("(四)6"; numbering has gaps in the sources).
    pub label: String,
    /// Section heading, e.g. "(一)集中学习宣传教育".
    #[serde(default)]
    pub section: String,
    pub title: String,
    pub text: String,
    /// The responsibility annotation as written, when the source has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles_text: Option<String>,
    pub roles: Vec<UnitRole>,
    /// Every deadline written for the task, in text order. The latest is the final deadline,
    /// the others are interim milestones.
    #[serde(default)]
    pub deadlines: Vec<Deadline>,
    /// A phase named by the source, if any; otherwise the phase is derived from the deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
}

impl Task {
    /// Unit ids in `role`, in order.
    pub fn units_in(&self, role: Role) -> impl Iterator<Item = &str> {
        self.roles
            .iter()
            .filter(move |r| r.role == role)
            .map(|r| r.unit.as_str())
    }

    /// The final deadline: the one with the latest due date (recurring ones have none).
    pub fn final_deadline(&self) -> Option<&Deadline> {
        self.deadlines
            .iter()
            .filter(|d| d.due.is_some())
            .max_by_key(|d| d.due)
    }

    /// The interim milestones (阶段节点): the dated deadlines due before the final one, earliest
    /// first ("2020年5月底前" of "2020年5月底前…6月底前").
    pub fn interim_milestones(&self) -> Vec<&Deadline> {
        let Some(last) = self.final_deadline().and_then(|d| d.due) else {
            return Vec::new();
        };
        let mut m: Vec<&Deadline> = self
            .deadlines
            .iter()
            .filter(|d| d.due.is_some_and(|due| due < last))
            .collect();
        m.sort_by_key(|d| d.due);
        m.dedup_by_key(|d| d.due);
        m
    }

    /// The date the task is due: its final deadline, or else the end of its plan's period
    /// (the last phase's end, or the campaign's end) — an undated task runs for the campaign.
    pub fn effective_due(&self, plan_end: NaiveDate) -> NaiveDate {
        self.final_deadline()
            .and_then(|d| d.due)
            .unwrap_or(plan_end)
    }

    /// The deadline texts joined as the source would print them.
    pub fn deadline_text(&self) -> String {
        self.deadlines
            .iter()
            .map(|d| d.text.as_str())
            .collect::<Vec<_>>()
            .join("，")
    }

    /// The phase the task belongs to: the named one, or the phase containing its due date.
    pub fn phase_in<'a>(&'a self, phases: &'a [Phase], plan_end: NaiveDate) -> Option<&'a str> {
        if let Some(p) = &self.phase {
            return Some(p);
        }
        let due = self.effective_due(plan_end);
        phases
            .iter()
            .find(|p| p.contains(due))
            .or_else(|| {
                // Before the first phase counts as the first, after the last as the last.
                let first = phases.first()?;
                let last = phases.last()?;
                if due < first.start {
                    Some(first)
                } else if due > last.end {
                    Some(last)
                } else {
                    None
                }
            })
            .map(|p| p.name.as_str())
    }
}

/// One campaign with its plans and tasks: what the desk and the commands show of it.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignScope {
    pub campaign: Campaign,
    pub plans: Vec<Plan>,
    pub tasks: Vec<Task>,
}

impl CampaignScope {
    /// `campaign` with those of `plans` that belong to it and their tasks.
    pub fn new(campaign: Campaign, plans: Vec<Plan>, tasks: Vec<Task>) -> Self {
        let plans: Vec<Plan> = plans
            .into_iter()
            .filter(|p| p.campaign == campaign.id)
            .collect();
        let ids: std::collections::HashSet<&str> = plans.iter().map(|p| p.id.as_str()).collect();
        let tasks = tasks
            .into_iter()
            .filter(|t| ids.contains(t.plan.as_str()))
            .collect();
        CampaignScope {
            campaign,
            plans,
            tasks,
        }
    }

    pub fn holds_plan(&self, plan: &str) -> bool {
        self.plans.iter().any(|p| p.id == plan)
    }
}

/// A whole campaign's content, as imported (demo campaign, later plugins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignData {
    pub campaign: Campaign,
    pub units: Vec<Unit>,
    pub plans: Vec<Plan>,
    pub tasks: Vec<Task>,
    #[serde(default)]
    pub targets: Vec<Target>,
}

impl Campaign {
    /// End of a plan's period: its own last phase, else the campaign's end.
    pub fn plan_end(&self, plan: &Plan) -> NaiveDate {
        plan.phases.iter().map(|p| p.end).max().unwrap_or(self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::parse_deadline;

    fn campaign(id: &str, start: &str, end: &str, archived: bool) -> Campaign {
        Campaign {
            id: id.into(),
            name: id.into(),
            region: String::new(),
            start: start.parse().unwrap(),
            end: end.parse().unwrap(),
            phases: Vec::new(),
            milestones: Vec::new(),
            actions: Vec::new(),
            note: String::new(),
            archived,
        }
    }

    #[test]
    fn the_current_campaign_is_the_chosen_one_else_the_newest_open_one_by_today() {
        let all = [
            campaign("shangluo-2018", "2018-01-01", "2020-12-31", false),
            campaign("qilin-2020", "2020-04-01", "2022-12-31", false),
            campaign("qilin-2024", "2024-01-01", "2026-12-31", false),
            campaign("next", "2027-01-01", "2029-12-31", false),
        ];
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let id = |c: Option<&Campaign>| c.map(|c| c.id.clone());
        assert_eq!(
            id(current_campaign(&all, None, day("2025-06-01"))),
            Some("qilin-2024".into())
        );
        assert_eq!(
            id(current_campaign(&all, None, day("2023-06-01"))),
            Some("qilin-2020".into()),
            "between campaigns: the last begun"
        );
        assert_eq!(
            id(current_campaign(
                &all,
                Some("shangluo-2018"),
                day("2025-06-01")
            )),
            Some("shangluo-2018".into())
        );
        assert_eq!(
            id(current_campaign(&all, Some("gone"), day("2025-06-01"))),
            Some("qilin-2024".into()),
            "a choice that no longer exists is passed over"
        );
        let mut archived = all.clone();
        archived[2].archived = true;
        assert_eq!(
            id(current_campaign(&archived, None, day("2025-06-01"))),
            Some("qilin-2020".into())
        );
        assert_eq!(
            id(current_campaign(&all, None, day("2010-01-01"))),
            Some("next".into()),
            "before every campaign: the newest"
        );
        assert_eq!(current_campaign(&[], None, day("2025-06-01")), None);
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn national() -> Vec<Phase> {
        vec![
            Phase {
                name: "动员部署".into(),
                start: d(2020, 4, 1),
                end: d(2020, 4, 30),
            },
            Phase {
                name: "排查整治".into(),
                start: d(2020, 5, 1),
                end: d(2020, 12, 31),
            },
            Phase {
                name: "集中攻坚".into(),
                start: d(2021, 1, 1),
                end: d(2021, 12, 31),
            },
            Phase {
                name: "巩固提升".into(),
                start: d(2022, 1, 1),
                end: d(2022, 12, 31),
            },
        ]
    }

    fn task(deadlines: &[&str]) -> Task {
        Task {
            id: "p/1".into(),
            plan: "p".into(),
            order: 1,
            label: "(一)1".into(),
            section: String::new(),
            title: "t".into(),
            text: "t".into(),
            roles_text: None,
            roles: vec![],
            deadlines: deadlines
                .iter()
                .map(|t| parse_deadline(t, Some(2020)).unwrap())
                .collect(),
            phase: None,
        }
    }

    #[test]
    fn final_deadline_is_the_latest() {
        let t = task(&["2021年底前", "2020年底前"]);
        assert_eq!(t.final_deadline().unwrap().text, "2021年底前");
        assert_eq!(t.effective_due(d(2022, 12, 31)), d(2021, 12, 31));
        assert_eq!(t.deadline_text(), "2021年底前，2020年底前");
    }

    #[test]
    fn undated_task_is_due_at_plan_end_and_phase_follows_the_due_date() {
        let phases = national();
        let undated = task(&[]);
        assert_eq!(undated.effective_due(d(2022, 12, 31)), d(2022, 12, 31));
        assert_eq!(undated.phase_in(&phases, d(2022, 12, 31)), Some("巩固提升"));
        assert_eq!(
            task(&["2020年8月15日前"]).phase_in(&phases, d(2022, 12, 31)),
            Some("排查整治")
        );
        assert_eq!(
            task(&["2018年"]).phase_in(&phases, d(2022, 12, 31)),
            Some("动员部署")
        );
        let mut named = task(&["2018年"]);
        named.phase = Some("集中攻坚".into());
        assert_eq!(named.phase_in(&phases, d(2022, 12, 31)), Some("集中攻坚"));
    }

    #[test]
    fn a_plan_may_carry_its_own_phases() {
        let campaign = Campaign {
            id: "c".into(),
            name: "c".into(),
            region: String::new(),
            start: d(2020, 4, 1),
            end: d(2022, 12, 31),
            phases: national(),
            milestones: Vec::new(),
            actions: Vec::new(),
            note: String::new(),
            archived: false,
        };
        let mut plan = Plan {
            annotations: Default::default(),
            id: "park".into(),
            campaign: "c".into(),
            order: 10,
            code: "附件10".into(),
            kind: PlanKind::Sector,
            title: "工业园区".into(),
            goals: String::new(),
            source: String::new(),
            phases: vec![],
            sector: Some("industrial-parks".into()),
        };
        assert_eq!(plan.effective_phases(&campaign)[0].name, "动员部署");
        plan.phases = vec![
            Phase {
                name: "组织动员".into(),
                start: d(2020, 5, 1),
                end: d(2020, 5, 31),
            },
            Phase {
                name: "评估提高".into(),
                start: d(2022, 7, 1),
                end: d(2022, 11, 30),
            },
        ];
        assert_eq!(plan.effective_phases(&campaign)[0].name, "组织动员");
        assert_eq!(campaign.plan_end(&plan), d(2022, 11, 30));
    }
}
