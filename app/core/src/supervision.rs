//! The supervision registers: 督办事项 (with their ladder steps, 接收, 完成, 审核/验收, 销号 and
//! 回头看), 通报 (numbered per year), 约谈 records and accidents (for 一票否决), with the office's
//! rules ([`SupervisionRules`]). Pure: the store keeps the rows ([`SupRow`]), the transitions
//! in [`crate::transition`] change them, and [`crate::assessment`] scores the year from them.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::accountability::{AccidentGrade, CircularRule, Ladder, Step};

/// The one of `all` whose Chinese label or serialized (English) name is `text`.
fn by_label<T: Copy + Serialize>(all: &[T], text: &str, label: fn(T) -> &'static str) -> Option<T> {
    let t = text.trim();
    all.iter().copied().find(|x| {
        label(*x) == t
            || serde_json::to_value(x)
                .ok()
                .is_some_and(|v| v.as_str() == Some(t))
    })
}

/// The level a 督办 is made at (省、市、区三级挂牌督办, seed 001 L439).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    District,
    City,
    Province,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::District, Level::City, Level::Province];

    pub fn label_zh(self) -> &'static str {
        match self {
            Level::District => "区级",
            Level::City => "市级",
            Level::Province => "省级",
        }
    }

    /// "区", "区级", "县级", "市", "市级", "省", "省级" (or the English names).
    pub fn parse(text: &str) -> Option<Level> {
        match text.trim().trim_end_matches('级') {
            "区" | "县" | "district" => Some(Level::District),
            "市" | "州" | "city" => Some(Level::City),
            "省" | "province" => Some(Level::Province),
            _ => None,
        }
    }
}

/// Where a 督办 comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// An overdue task.
    Task,
    /// An overdue milestone of a task.
    Milestone,
    /// A 重大隐患 (挂牌督办).
    Hazard,
    /// A higher inspection's feedback (督查、督导组反馈).
    Inspection,
    /// A meeting's decision.
    Meeting,
}

impl SourceKind {
    pub const ALL: [SourceKind; 5] = [
        SourceKind::Task,
        SourceKind::Milestone,
        SourceKind::Hazard,
        SourceKind::Inspection,
        SourceKind::Meeting,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            SourceKind::Task => "逾期任务",
            SourceKind::Milestone => "逾期节点",
            SourceKind::Hazard => "重大隐患",
            SourceKind::Inspection => "上级督查反馈",
            SourceKind::Meeting => "会议议定",
        }
    }

    /// By its Chinese label or its serialized (English) name.
    pub fn parse(text: &str) -> Option<SourceKind> {
        by_label(&SourceKind::ALL, text, SourceKind::label_zh)
    }
}

/// A 督办's 来源.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub kind: SourceKind,
    /// The document or meeting and its number ("区安委会2026年第3次会议", "省督导组反馈问题第5项").
    #[serde(default)]
    pub reference: String,
    /// The task (overdue task or milestone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// The milestone's due day (an overdue milestone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestone: Option<NaiveDate>,
    /// The hazard (a 重大隐患's 挂牌督办).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hazard: Option<u64>,
}

/// A ladder step taken on an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepTaken {
    pub step: Step,
    pub date: NaiveDate,
    /// What was done ("电话提醒区住建局分管领导").
    #[serde(default)]
    pub note: String,
    /// The document the step was made with: a 文号 ("麒安委办督〔2026〕3号") or a 通报's 期号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    pub actor: String,
}

/// A 验收 (审核) of an item's completion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub date: NaiveDate,
    pub passed: bool,
    /// Who checked (the 验收单位's people).
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub note: String,
}

/// A dated text: a completion's account, a written explanation, a 回头看's finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dated {
    pub date: NaiveDate,
    pub text: String,
}

/// 回头看 after 销号: the day it is due and, once done, what it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lookback {
    pub due: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<Check>,
}

/// A 督办事项.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: u64,
    /// 督办事项: what is to be done.
    pub title: String,
    pub source: Source,
    pub level: Level,
    /// 责任单位 (unit id).
    pub unit: String,
    /// 督办单位 (a name: the office, or a department).
    pub supervisor: String,
    /// 验收单位.
    pub acceptor: String,
    /// The day the 督办 was made.
    pub opened: NaiveDate,
    /// 整改时限. Never moved: a late item stays late, with its explanation.
    pub deadline: NaiveDate,
    #[serde(default)]
    pub steps: Vec<StepTaken>,
    /// 接收 (签收) by the responsible unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<NaiveDate>,
    /// 完成: the unit's account of what it did (逾期完成 when after the deadline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<Dated>,
    /// 审核/验收, in order.
    #[serde(default)]
    pub checks: Vec<Check>,
    /// Written explanations (逾期 or 验收未通过), in order.
    #[serde(default)]
    pub explanations: Vec<Dated>,
    /// 销号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookback: Option<Lookback>,
    pub author: String,
    pub created_at: String,
}

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// Not yet 接收 by its unit.
    Unreceived,
    /// 接收, being dealt with.
    Open,
    /// 完成 reported, awaiting 验收.
    AwaitingCheck,
    /// The last 验收 failed: back to work.
    Failed,
    /// 销号.
    Closed,
}

impl ItemState {
    pub const ALL: [ItemState; 5] = [
        ItemState::Unreceived,
        ItemState::Open,
        ItemState::AwaitingCheck,
        ItemState::Failed,
        ItemState::Closed,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            ItemState::Unreceived => "待接收",
            ItemState::Open => "整改中",
            ItemState::AwaitingCheck => "待验收",
            ItemState::Failed => "验收未通过",
            ItemState::Closed => "已销号",
        }
    }

    /// By its Chinese label or its serialized (English) name.
    pub fn parse(text: &str) -> Option<ItemState> {
        by_label(&ItemState::ALL, text, ItemState::label_zh)
    }
}

/// Why an item needs a written explanation before it can go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExplanationDue {
    /// Past its deadline without being completed, or completed after it (since the day after
    /// the deadline).
    Overdue,
    /// Its last 验收 failed (since that day).
    Failed(NaiveDate),
}

impl ExplanationDue {
    pub fn label_zh(self) -> &'static str {
        match self {
            ExplanationDue::Overdue => "逾期",
            ExplanationDue::Failed(_) => "验收未通过",
        }
    }
}

impl Item {
    pub fn state(&self) -> ItemState {
        if self.closed.is_some() {
            return ItemState::Closed;
        }
        if self.received.is_none() {
            return ItemState::Unreceived;
        }
        let last_check = self.checks.last();
        match (&self.completed, last_check) {
            (Some(done), Some(c)) if !c.passed && c.date >= done.date => ItemState::Failed,
            (Some(_), _) => ItemState::AwaitingCheck,
            (None, Some(c)) if !c.passed => ItemState::Failed,
            (None, _) => ItemState::Open,
        }
    }

    /// Completed after its deadline (逾期完成).
    pub fn completed_late(&self) -> bool {
        self.completed
            .as_ref()
            .is_some_and(|c| c.date > self.deadline)
    }

    /// Past its deadline on `today` without a completion awaiting or passing 验收 (a failed
    /// 验收 counts as not done; a deadline runs to its day's end).
    pub fn overdue(&self, today: NaiveDate) -> bool {
        today > self.deadline
            && matches!(
                self.state(),
                ItemState::Unreceived | ItemState::Open | ItemState::Failed
            )
    }

    /// 完成 in words: 未完成, 逾期未完成, 已完成, 逾期完成.
    pub fn completion_zh(&self, today: NaiveDate) -> &'static str {
        match &self.completed {
            Some(_) if self.completed_late() => "逾期完成",
            Some(_) => "已完成",
            None if self.overdue(today) => "逾期未完成",
            None => "未完成",
        }
    }

    /// 审核 in words: 未审核, 通过, 未通过.
    pub fn check_zh(&self) -> &'static str {
        match self.checks.last() {
            None => "未审核",
            Some(c) if c.passed => "通过",
            Some(_) => "未通过",
        }
    }

    /// The explanation the item still needs on `today`, if any: after the deadline passed
    /// uncompleted (or was missed by a late completion), or after a failed 验收, a written
    /// explanation dated on or after that day.
    pub fn explanation_due(&self, today: NaiveDate) -> Option<ExplanationDue> {
        let explained_since = |day: NaiveDate| self.explanations.iter().any(|e| e.date >= day);
        if let Some(c) = self.checks.last().filter(|c| !c.passed)
            && self.closed.is_none()
            && !explained_since(c.date)
        {
            return Some(ExplanationDue::Failed(c.date));
        }
        let late = self.overdue(today) || self.completed_late();
        let after_deadline = self.deadline.succ_opt().unwrap_or(self.deadline);
        (late && !explained_since(after_deadline)).then_some(ExplanationDue::Overdue)
    }

    /// The last ladder step taken, with its day.
    pub fn last_step(&self) -> Option<(Step, NaiveDate)> {
        self.steps.last().map(|s| (s.step, s.date))
    }

    /// The next ladder step and its due day while the item is open and late: none once it is
    /// completed (awaiting 验收) or closed, or after 约谈. A failed 验收 puts it back on the
    /// ladder.
    pub fn next_step(&self, ladder: &Ladder) -> Option<(Step, NaiveDate)> {
        match self.state() {
            ItemState::Closed | ItemState::AwaitingCheck => None,
            _ => ladder.next_step(self.deadline, self.last_step()),
        }
    }

    /// The step due by `today`, if any.
    pub fn step_due(&self, ladder: &Ladder, today: NaiveDate) -> Option<(Step, NaiveDate)> {
        self.next_step(ladder).filter(|(_, due)| *due <= today)
    }

    /// The 回头看 due by `today` and not yet done.
    pub fn lookback_due(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.lookback
            .as_ref()
            .filter(|l| l.done.is_none() && l.due <= today)
            .map(|l| l.due)
    }
}

/// A unit or an enterprise a 通报 names, with what it is named for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    /// A unit's id when it is one of the directory's units; else the name as written (an
    /// enterprise, 停业整顿 at the threshold).
    pub unit: String,
    /// Whether `unit` is a unit id of the directory.
    pub member: bool,
    /// What it is named for, with the items' numbers ("第3、5项未按期完成").
    #[serde(default)]
    pub issue: String,
}

/// The kinds of 通报 (seed 002 L18).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CircularKind {
    /// 工作推进情况通报.
    Progress,
    /// 安全生产工作季度通报.
    Quarterly,
    /// 生产安全事故通报.
    Accident,
    /// 重大隐患通报曝光.
    Hazard,
}

impl CircularKind {
    pub const ALL: [CircularKind; 4] = [
        CircularKind::Progress,
        CircularKind::Quarterly,
        CircularKind::Accident,
        CircularKind::Hazard,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            CircularKind::Progress => "工作推进情况通报",
            CircularKind::Quarterly => "季度通报",
            CircularKind::Accident => "事故通报",
            CircularKind::Hazard => "重大隐患通报",
        }
    }

    /// By its Chinese label or its serialized (English) name.
    pub fn parse(text: &str) -> Option<CircularKind> {
        by_label(&CircularKind::ALL, text, CircularKind::label_zh)
    }
}

/// Why and when a record was voided (its number stays used).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voided {
    pub date: NaiveDate,
    pub reason: String,
    pub actor: String,
}

/// A 通报, numbered in its own series per year (2026年第3期).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Circular {
    pub id: u64,
    pub year: i32,
    pub number: u32,
    pub date: NaiveDate,
    pub kind: CircularKind,
    pub title: String,
    /// 总体情况.
    #[serde(default)]
    pub summary: String,
    /// The units (and enterprises) named, in order.
    pub named: Vec<Named>,
    /// 上期问题整改情况.
    #[serde(default)]
    pub follow_up: String,
    /// The 督办事项 it reports on (its 附件 table).
    #[serde(default)]
    pub items: Vec<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voided: Option<Voided>,
    pub author: String,
    pub created_at: String,
}

impl Circular {
    /// "2026年第3期".
    pub fn number_text(&self) -> String {
        format!("{}年第{}期", self.year, self.number)
    }
}

/// A 约谈 record (分级分类约谈,并认真记录在案, seed 001 L35).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Talk {
    pub id: u64,
    pub date: NaiveDate,
    /// The unit talked to (unit id).
    pub unit: String,
    /// Who was summoned (被约谈人 and their posts).
    pub persons: String,
    /// Who held it (约谈人).
    pub by: String,
    /// 约谈事由: the issues.
    pub issues: String,
    /// 整改承诺.
    #[serde(default)]
    pub commitments: String,
    /// The day to check the commitments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<NaiveDate>,
    /// The 督办事项 it is a step of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<u64>,
    pub author: String,
    pub created_at: String,
}

/// An accident charged to a unit (一票否决 in the year's assessment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accident {
    pub id: u64,
    pub date: NaiveDate,
    /// The unit it is charged to (its region or its sector department).
    pub unit: String,
    pub grade: AccidentGrade,
    pub title: String,
    #[serde(default)]
    pub note: String,
    pub author: String,
    pub created_at: String,
}

/// A deduction the office makes by hand on the 考核 sheet, with its reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManualDeduction {
    pub id: u64,
    pub year: i32,
    pub unit: String,
    /// The assessment item ([`AssessmentItem::name`]).
    pub item: String,
    pub points: f64,
    pub reason: String,
    /// Taken back (it counts no more; kept, as every record is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<Voided>,
    pub author: String,
    pub created_at: String,
}

/// An item of the year-end 考核 (004 #3: 党政领导重视、责任落实…) and its points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentItem {
    pub name: String,
    pub points: f64,
}

/// The office's rules of supervision and assessment (settings key `supervision`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SupervisionRules {
    pub ladder: Ladder,
    pub circular: CircularRule,
    /// The 考核 items and their points (their sum is the full score).
    pub items: Vec<AssessmentItem>,
    /// Points off per task the unit leads (else is responsible for) that is overdue at the
    /// year's end (or on the day the sheet is made, earlier).
    pub per_overdue_task: f64,
    /// Points off per 督办事项 of the unit that missed its deadline in the year.
    pub per_overdue_item: f64,
    /// Points off per target of the unit's plans missed at the year's checkpoint.
    pub per_missed_target: f64,
    /// From this score: 优秀.
    pub excellent: f64,
    /// From this score: 合格 (below: 不合格).
    pub pass: f64,
    /// Days after 销号 a 回头看 is due, by default.
    pub lookback_days: u32,
    /// The level a 重大隐患 is hung up at (挂牌督办) unless its registration names another.
    pub major_hazard_level: Level,
}

impl Default for SupervisionRules {
    fn default() -> Self {
        // 004 #3's content list, weighted by the office (these are a starting point).
        let items = [
            ("党政领导重视", 10.0),
            ("责任落实", 15.0),
            ("机构和制度建设", 10.0),
            ("安全投入", 10.0),
            ("应急救援能力建设", 10.0),
            ("隐患整改", 15.0),
            ("事故情况", 10.0),
            ("重点工作推进", 20.0),
        ]
        .into_iter()
        .map(|(name, points)| AssessmentItem {
            name: name.to_owned(),
            points,
        })
        .collect();
        SupervisionRules {
            ladder: Ladder::default(),
            circular: CircularRule::default(),
            items,
            per_overdue_task: 1.0,
            per_overdue_item: 2.0,
            per_missed_target: 2.0,
            excellent: 90.0,
            pass: 60.0,
            lookback_days: 30,
            major_hazard_level: Level::District,
        }
    }
}

impl SupervisionRules {
    /// The full score: the items' points.
    pub fn full_score(&self) -> f64 {
        self.items.iter().map(|i| i.points).sum()
    }

    /// What is wrong with the rules, for the user.
    pub fn check(&self) -> Result<(), String> {
        if self.items.is_empty() {
            return Err("考核项目不能为空".into());
        }
        let mut names: Vec<&str> = Vec::new();
        for i in &self.items {
            let name = i.name.trim();
            if name.is_empty() {
                return Err("考核项目名称不能为空".into());
            }
            if names.contains(&name) {
                return Err(format!("考核项目“{name}”重复"));
            }
            names.push(name);
            if !(i.points.is_finite() && i.points > 0.0 && i.points <= 1000.0) {
                return Err(format!("考核项目“{name}”的分值应在 0—1000 之间"));
            }
        }
        let numbers = [
            ("每项逾期任务扣分", self.per_overdue_task),
            ("每项逾期督办事项扣分", self.per_overdue_item),
            ("每项未完成目标扣分", self.per_missed_target),
            ("通报扣减比例", self.circular.percent),
            ("通报扣减基数", self.circular.base),
            ("优秀分数线", self.excellent),
            ("合格分数线", self.pass),
        ];
        for (what, n) in numbers {
            if !(n.is_finite() && (0.0..=1000.0).contains(&n)) {
                return Err(format!("{what}应在 0—1000 之间"));
            }
        }
        if self.circular.percent > 100.0 {
            return Err("通报扣减比例不能超过 100%".into());
        }
        if self.circular.threshold == 0 {
            return Err("通报扣减的次数至少为 1".into());
        }
        if self.pass > self.excellent {
            return Err("合格分数线不能高于优秀分数线".into());
        }
        if self.ladder.grace_days.iter().any(|d| *d > 366) {
            return Err("督办各级的宽限天数不能超过 366 天".into());
        }
        if self.lookback_days > 366 {
            return Err("回头看天数不能超过 366 天".into());
        }
        Ok(())
    }
}

/// The grade of a hazard (事故隐患分级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HazardGrade {
    /// 一般事故隐患.
    General,
    /// 重大事故隐患: 挂牌督办, routed by level.
    Major,
}

impl HazardGrade {
    pub fn label_zh(self) -> &'static str {
        match self {
            HazardGrade::General => "一般隐患",
            HazardGrade::Major => "重大隐患",
        }
    }

    pub fn parse(text: &str) -> Option<HazardGrade> {
        match text.trim() {
            "一般" | "一般隐患" | "一般事故隐患" | "general" => {
                Some(HazardGrade::General)
            }
            "重大" | "重大隐患" | "重大事故隐患" | "major" => Some(HazardGrade::Major),
            _ => None,
        }
    }
}

/// 五到位: 责任, 措施, 资金, 时限, 预案 (seed 001 L86, L486) — the rectification plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiveInPlace {
    /// 责任: who answers for it (person and post).
    pub responsible: String,
    /// 措施.
    pub measures: String,
    /// 资金 (as written: "12万元", "企业自筹5万元").
    pub funds: String,
    /// 时限.
    pub deadline: NaiveDate,
    /// 预案: the emergency plan while it is being fixed.
    pub contingency: String,
    /// The day the plan was set.
    pub date: NaiveDate,
}

impl FiveInPlace {
    /// The first of the five that is empty, in words.
    pub fn missing(&self) -> Option<&'static str> {
        [
            ("责任", &self.responsible),
            ("措施", &self.measures),
            ("资金", &self.funds),
            ("预案", &self.contingency),
        ]
        .into_iter()
        .find(|(_, v)| v.trim().is_empty())
        .map(|(k, _)| k)
    }
}

/// A hazard found (排查) and registered (登记) in the 问题隐患清单, rectified (治理, 五到位),
/// rechecked (复查) and closed (销号).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hazard {
    pub id: u64,
    /// 排查日期.
    pub found: NaiveDate,
    /// 排查单位或人员 (检查组, 企业自查…).
    #[serde(default)]
    pub found_by: String,
    /// 隐患所在单位或场所 (an enterprise, a road section…).
    pub place: String,
    /// The sector (a plugin's id), when it is one's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// 隐患类别.
    #[serde(default)]
    pub category: String,
    /// The 判定标准 item it cites ("《煤矿重大事故隐患判定标准》第十条").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<String>,
    /// The item of its sector's checklist it was found under, as the checklist said it then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<CitedClause>,
    /// 隐患描述.
    pub description: String,
    pub grade: HazardGrade,
    /// 负有监管责任的单位 (unit id).
    pub unit: String,
    /// 登记日期.
    pub registered: NaiveDate,
    /// 整改时限 set when registered (the 五到位 plan's 时限 may not be later).
    pub deadline: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<FiveInPlace>,
    /// 复查, in order.
    #[serde(default)]
    pub rechecks: Vec<Check>,
    /// 销号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<NaiveDate>,
    /// The 挂牌督办 item of a 重大隐患.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<u64>,
    /// Tasks it bears on (两个清单 link them).
    #[serde(default)]
    pub tasks: Vec<String>,
    pub author: String,
    pub created_at: String,
}

/// Which item of a sector's hazard checklist ([`crate::HazardCategory`]) a hazard cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClauseRef {
    /// The category's id ("illegal-mining").
    pub category: String,
    /// The item's id within it ("11").
    pub clause: String,
}

/// A checklist item as a hazard cites it: its place in the checklist and its words and
/// grade as they were when the hazard was recorded (a later plugin version may word them
/// otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedClause {
    pub category: String,
    pub clause: String,
    pub text: String,
    /// The item is a 重大事故隐患.
    #[serde(default)]
    pub major: bool,
}

/// Where a hazard stands in its closed loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HazardState {
    /// 已登记, no 五到位 plan yet.
    Registered,
    /// 治理中.
    Rectifying,
    /// The last 复查 failed: back to 治理.
    RecheckFailed,
    /// 复查合格, awaiting 销号.
    Rechecked,
    /// 已销号.
    Closed,
}

impl HazardState {
    pub const ALL: [HazardState; 5] = [
        HazardState::Registered,
        HazardState::Rectifying,
        HazardState::RecheckFailed,
        HazardState::Rechecked,
        HazardState::Closed,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            HazardState::Registered => "已登记",
            HazardState::Rectifying => "治理中",
            HazardState::RecheckFailed => "复查未通过",
            HazardState::Rechecked => "复查合格",
            HazardState::Closed => "已销号",
        }
    }

    /// By its Chinese label or its serialized (English) name.
    pub fn parse(text: &str) -> Option<HazardState> {
        by_label(&HazardState::ALL, text, HazardState::label_zh)
    }
}

impl Hazard {
    pub fn state(&self) -> HazardState {
        if self.closed.is_some() {
            return HazardState::Closed;
        }
        match (self.rechecks.last(), &self.plan) {
            (Some(c), _) if c.passed => HazardState::Rechecked,
            (Some(_), _) => HazardState::RecheckFailed,
            (None, Some(_)) => HazardState::Rectifying,
            (None, None) => HazardState::Registered,
        }
    }

    /// Not closed past its 整改时限 (the plan's, else the registered one) on `today`.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        let deadline = self.plan.as_ref().map_or(self.deadline, |p| p.deadline);
        self.closed.is_none() && self.state() != HazardState::Rechecked && today > deadline
    }
}

/// A report of a hazard or violation and its reward (seed 002 L16).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reward {
    pub id: u64,
    /// 举报日期.
    pub date: NaiveDate,
    /// 举报人 (a name, or a code where the reporter asked not to be named).
    pub reporter: String,
    /// 举报内容.
    pub content: String,
    /// The hazard it led to, if registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hazard: Option<u64>,
    pub tier: crate::accountability::RewardTier,
    /// 元, within the tier's range.
    pub amount: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid: Option<Dated>,
    pub author: String,
    pub created_at: String,
}

/// The two lists of 两个清单 (seed 001 L557, L559).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// 问题隐患清单.
    Problems,
    /// 制度措施清单.
    Measures,
}

impl ListKind {
    pub fn label_zh(self) -> &'static str {
        match self {
            ListKind::Problems => "问题隐患清单",
            ListKind::Measures => "制度措施清单",
        }
    }

    pub fn parse(text: &str) -> Option<ListKind> {
        match text.trim() {
            "问题隐患清单" | "问题隐患" | "问题" | "problems" => {
                Some(ListKind::Problems)
            }
            "制度措施清单" | "制度措施" | "措施" | "measures" => {
                Some(ListKind::Measures)
            }
            _ => None,
        }
    }
}

/// An entry of one of 两个清单, linked to tasks and hazards, kept up to date (动态更新).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    pub id: u64,
    pub list: ListKind,
    /// 责任单位 (unit id).
    pub unit: String,
    /// The problem, or the 制度/措施.
    pub text: String,
    /// 整改措施 of a problem; how a measure is carried out.
    #[serde(default)]
    pub measures: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
    #[serde(default)]
    pub tasks: Vec<String>,
    #[serde(default)]
    pub hazards: Vec<u64>,
    /// 已整改 (a problem) or 已建立 (a measure), with what was done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<Dated>,
    pub date: NaiveDate,
    pub author: String,
    pub created_at: String,
}

impl ListEntry {
    pub fn status_zh(&self, today: NaiveDate) -> &'static str {
        match (&self.done, self.list) {
            (Some(_), ListKind::Problems) => "已整改",
            (Some(_), ListKind::Measures) => "已建立",
            (None, _) if self.deadline.is_some_and(|d| today > d) => "逾期",
            (None, ListKind::Problems) => "整改中",
            (None, ListKind::Measures) => "建立中",
        }
    }
}

/// The kinds of supervision rows the store keeps (one tree, keyed by kind and id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupKind {
    Item,
    Circular,
    Talk,
    Accident,
    Deduction,
    Hazard,
    Reward,
    ListEntry,
}

impl SupKind {
    pub const ALL: [SupKind; 8] = [
        SupKind::Item,
        SupKind::Circular,
        SupKind::Talk,
        SupKind::Accident,
        SupKind::Deduction,
        SupKind::Hazard,
        SupKind::Reward,
        SupKind::ListEntry,
    ];

    /// The key prefix byte of the kind (never changed: it is in stored keys).
    pub fn tag(self) -> u8 {
        match self {
            SupKind::Item => 1,
            SupKind::Circular => 2,
            SupKind::Talk => 3,
            SupKind::Accident => 4,
            SupKind::Deduction => 5,
            SupKind::Hazard => 6,
            SupKind::Reward => 7,
            SupKind::ListEntry => 8,
        }
    }

    pub fn of_tag(tag: u8) -> Option<SupKind> {
        SupKind::ALL.into_iter().find(|k| k.tag() == tag)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            SupKind::Item => "督办事项",
            SupKind::Circular => "通报",
            SupKind::Talk => "约谈记录",
            SupKind::Accident => "事故",
            SupKind::Deduction => "考核扣分",
            SupKind::Hazard => "隐患",
            SupKind::Reward => "举报奖励",
            SupKind::ListEntry => "清单条目",
        }
    }
}

/// A row of the supervision registers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "register", rename_all = "snake_case")]
pub enum SupRow {
    Item(Item),
    Circular(Circular),
    Talk(Talk),
    Accident(Accident),
    Deduction(ManualDeduction),
    Hazard(Hazard),
    Reward(Reward),
    ListEntry(ListEntry),
}

impl SupRow {
    pub fn kind(&self) -> SupKind {
        match self {
            SupRow::Item(_) => SupKind::Item,
            SupRow::Circular(_) => SupKind::Circular,
            SupRow::Talk(_) => SupKind::Talk,
            SupRow::Accident(_) => SupKind::Accident,
            SupRow::Deduction(_) => SupKind::Deduction,
            SupRow::Hazard(_) => SupKind::Hazard,
            SupRow::Reward(_) => SupKind::Reward,
            SupRow::ListEntry(_) => SupKind::ListEntry,
        }
    }

    pub fn id(&self) -> u64 {
        match self {
            SupRow::Item(r) => r.id,
            SupRow::Circular(r) => r.id,
            SupRow::Talk(r) => r.id,
            SupRow::Accident(r) => r.id,
            SupRow::Deduction(r) => r.id,
            SupRow::Hazard(r) => r.id,
            SupRow::Reward(r) => r.id,
            SupRow::ListEntry(r) => r.id,
        }
    }
}

/// Every supervision row, by kind (what the desk and the CLI read).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Registers {
    pub items: Vec<Item>,
    pub circulars: Vec<Circular>,
    pub talks: Vec<Talk>,
    pub accidents: Vec<Accident>,
    pub deductions: Vec<ManualDeduction>,
    pub hazards: Vec<Hazard>,
    pub rewards: Vec<Reward>,
    pub lists: Vec<ListEntry>,
}

impl Registers {
    pub fn from_rows(rows: impl IntoIterator<Item = SupRow>) -> Registers {
        let mut r = Registers::default();
        for row in rows {
            match row {
                SupRow::Item(x) => r.items.push(x),
                SupRow::Circular(x) => r.circulars.push(x),
                SupRow::Talk(x) => r.talks.push(x),
                SupRow::Accident(x) => r.accidents.push(x),
                SupRow::Deduction(x) => r.deductions.push(x),
                SupRow::Hazard(x) => r.hazards.push(x),
                SupRow::Reward(x) => r.rewards.push(x),
                SupRow::ListEntry(x) => r.lists.push(x),
            }
        }
        r
    }

    /// The 通报 of `year` that count (not voided), as (date, the units they name).
    pub fn circular_counts(&self, year: i32) -> std::collections::BTreeMap<String, u32> {
        let named: Vec<(NaiveDate, Vec<String>)> = self
            .circulars
            .iter()
            .filter(|c| c.voided.is_none())
            .map(|c| (c.date, c.named.iter().map(|n| n.unit.clone()).collect()))
            .collect();
        crate::accountability::circulars_per_unit(
            named.iter().map(|(d, u)| (*d, u.as_slice())),
            year,
        )
    }

    /// Takes in a row as written (new, or the new state of one there), in id order.
    pub fn upsert(&mut self, row: SupRow) {
        fn put<T>(list: &mut Vec<T>, x: T, id: fn(&T) -> u64) {
            match list.binary_search_by_key(&id(&x), id) {
                Ok(i) => list[i] = x,
                Err(i) => list.insert(i, x),
            }
        }
        match row {
            SupRow::Item(x) => put(&mut self.items, x, |r| r.id),
            SupRow::Circular(x) => put(&mut self.circulars, x, |r| r.id),
            SupRow::Talk(x) => put(&mut self.talks, x, |r| r.id),
            SupRow::Accident(x) => put(&mut self.accidents, x, |r| r.id),
            SupRow::Deduction(x) => put(&mut self.deductions, x, |r| r.id),
            SupRow::Hazard(x) => put(&mut self.hazards, x, |r| r.id),
            SupRow::Reward(x) => put(&mut self.rewards, x, |r| r.id),
            SupRow::ListEntry(x) => put(&mut self.lists, x, |r| r.id),
        }
    }

    /// Takes out the row of `kind` numbered `id`, if there.
    pub fn remove(&mut self, kind: SupKind, id: u64) {
        match kind {
            SupKind::Item => self.items.retain(|r| r.id != id),
            SupKind::Circular => self.circulars.retain(|r| r.id != id),
            SupKind::Talk => self.talks.retain(|r| r.id != id),
            SupKind::Accident => self.accidents.retain(|r| r.id != id),
            SupKind::Deduction => self.deductions.retain(|r| r.id != id),
            SupKind::Hazard => self.hazards.retain(|r| r.id != id),
            SupKind::Reward => self.rewards.retain(|r| r.id != id),
            SupKind::ListEntry => self.lists.retain(|r| r.id != id),
        }
    }

    /// Each unit or enterprise `c` names with its count of 通报 in `c`'s year up to and
    /// including `c` (what the 通报 can truthfully say of it on its day).
    pub fn counts_as_of<'c>(&self, c: &'c Circular) -> Vec<(&'c Named, u32)> {
        let before = Registers {
            circulars: self
                .circulars
                .iter()
                .filter(|x| (x.date, x.number) <= (c.date, c.number))
                .cloned()
                .collect(),
            ..Registers::default()
        };
        let counts = before.circular_counts(c.year);
        c.named
            .iter()
            .map(|n| (n, counts.get(&n.unit).copied().unwrap_or(0)))
            .collect()
    }

    /// The next 期号 of `year` (voided ones keep theirs).
    pub fn next_circular_number(&self, year: i32) -> u32 {
        self.circulars
            .iter()
            .filter(|c| c.year == year)
            .map(|c| c.number)
            .max()
            .unwrap_or(0)
            + 1
    }
}

/// Which items to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFilter {
    pub unit: Option<String>,
    pub state: Option<ItemState>,
    pub level: Option<Level>,
    /// Only items past their deadline uncompleted, on the day of the filter.
    pub overdue: bool,
    /// Only items whose ladder step is due.
    pub step_due: bool,
    /// Words in the title, the 来源 or the unit's id.
    pub text: String,
}

impl ItemFilter {
    /// The items that pass, in the order given.
    pub fn apply<'a>(&self, items: &'a [Item], ladder: &Ladder, today: NaiveDate) -> Vec<&'a Item> {
        let text = self.text.trim();
        items
            .iter()
            .filter(|i| self.unit.as_deref().is_none_or(|u| i.unit == u))
            .filter(|i| self.state.is_none_or(|s| i.state() == s))
            .filter(|i| self.level.is_none_or(|l| i.level == l))
            .filter(|i| !self.overdue || i.overdue(today))
            .filter(|i| !self.step_due || i.step_due(ladder, today).is_some())
            .filter(|i| {
                text.is_empty()
                    || i.title.contains(text)
                    || i.source.reference.contains(text)
                    || i.unit.contains(text)
            })
            .collect()
    }
}

/// Which hazards to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HazardFilter {
    pub unit: Option<String>,
    pub state: Option<HazardState>,
    pub grade: Option<HazardGrade>,
    pub sector: Option<String>,
    /// Only those past their 整改时限 unclosed on the day.
    pub overdue: bool,
    /// Words in the place, the description or the category.
    pub text: String,
}

impl HazardFilter {
    /// The hazards that pass, in the order given.
    pub fn apply<'a>(&self, hazards: &'a [Hazard], today: NaiveDate) -> Vec<&'a Hazard> {
        let text = self.text.trim();
        hazards
            .iter()
            .filter(|h| self.unit.as_deref().is_none_or(|u| h.unit == u))
            .filter(|h| self.state.is_none_or(|s| h.state() == s))
            .filter(|h| self.grade.is_none_or(|g| h.grade == g))
            .filter(|h| {
                self.sector
                    .as_deref()
                    .is_none_or(|s| h.sector.as_deref() == Some(s))
            })
            .filter(|h| !self.overdue || h.overdue(today))
            .filter(|h| {
                text.is_empty()
                    || h.place.contains(text)
                    || h.description.contains(text)
                    || h.category.contains(text)
            })
            .collect()
    }
}

/// The year an item counts in for the assessment: the year of its deadline.
pub fn item_year(item: &Item) -> i32 {
    item.deadline.year()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn item() -> Item {
        Item {
            id: 1,
            title: "整改某路段隐患".into(),
            source: Source {
                kind: SourceKind::Meeting,
                reference: "区安委会2026年第3次会议".into(),
                task: None,
                milestone: None,
                hazard: None,
            },
            level: Level::District,
            unit: "u1".into(),
            supervisor: "区安委办".into(),
            acceptor: "区安委办".into(),
            opened: d("2026-03-01"),
            deadline: d("2026-06-30"),
            steps: vec![],
            received: None,
            completed: None,
            checks: vec![],
            explanations: vec![],
            closed: None,
            lookback: None,
            author: "t".into(),
            created_at: String::new(),
        }
    }

    #[test]
    fn receipt_completion_and_check_are_three_statuses() {
        let mut i = item();
        assert_eq!(i.state(), ItemState::Unreceived);
        i.received = Some(d("2026-03-02"));
        assert_eq!(i.state(), ItemState::Open);
        assert_eq!(i.completion_zh(d("2026-06-30")), "未完成");
        assert_eq!(i.completion_zh(d("2026-07-01")), "逾期未完成");
        i.completed = Some(Dated {
            date: d("2026-07-03"),
            text: "已整改".into(),
        });
        assert_eq!(i.state(), ItemState::AwaitingCheck);
        assert_eq!(i.completion_zh(d("2026-07-04")), "逾期完成");
        assert_eq!(i.check_zh(), "未审核");
        i.checks.push(Check {
            date: d("2026-07-05"),
            passed: false,
            by: "检查组".into(),
            note: "护栏未装".into(),
        });
        assert_eq!(i.state(), ItemState::Failed);
        assert_eq!(i.check_zh(), "未通过");
        // Failed: not done, so late past the deadline (it was reported after it, too).
        assert!(i.overdue(d("2026-07-06")));
        // A new completion after the failed check awaits the next one.
        i.completed = Some(Dated {
            date: d("2026-07-10"),
            text: "护栏已装".into(),
        });
        assert_eq!(i.state(), ItemState::AwaitingCheck);
    }

    #[test]
    fn overdue_and_failed_items_need_an_explanation_dated_after_the_event() {
        let mut i = item();
        i.received = Some(d("2026-03-02"));
        assert_eq!(i.explanation_due(d("2026-06-30")), None);
        assert_eq!(
            i.explanation_due(d("2026-07-01")),
            Some(ExplanationDue::Overdue)
        );
        // An explanation written before the deadline passed does not count.
        i.explanations.push(Dated {
            date: d("2026-06-20"),
            text: "可能延误".into(),
        });
        assert_eq!(
            i.explanation_due(d("2026-07-01")),
            Some(ExplanationDue::Overdue)
        );
        i.explanations.push(Dated {
            date: d("2026-07-02"),
            text: "资金未到位".into(),
        });
        assert_eq!(i.explanation_due(d("2026-07-05")), None);
        i.completed = Some(Dated {
            date: d("2026-07-06"),
            text: "完成".into(),
        });
        i.checks.push(Check {
            date: d("2026-07-08"),
            passed: false,
            by: String::new(),
            note: String::new(),
        });
        assert_eq!(
            i.explanation_due(d("2026-07-08")),
            Some(ExplanationDue::Failed(d("2026-07-08")))
        );
        i.explanations.push(Dated {
            date: d("2026-07-08"),
            text: "重新整改".into(),
        });
        assert_eq!(i.explanation_due(d("2026-07-09")), None);
    }

    #[test]
    fn the_ladder_runs_while_an_item_is_late_and_stops_when_it_is_completed() {
        let ladder = Ladder::default();
        let mut i = item();
        i.received = Some(d("2026-03-02"));
        assert_eq!(i.next_step(&ladder), Some((Step::Remind, d("2026-07-01"))));
        assert_eq!(i.step_due(&ladder, d("2026-06-30")), None);
        assert_eq!(
            i.step_due(&ladder, d("2026-07-01")),
            Some((Step::Remind, d("2026-07-01")))
        );
        i.steps.push(StepTaken {
            step: Step::Remind,
            date: d("2026-07-02"),
            note: String::new(),
            document: None,
            actor: "t".into(),
        });
        assert_eq!(i.next_step(&ladder), Some((Step::Press, d("2026-07-09"))));
        i.completed = Some(Dated {
            date: d("2026-07-03"),
            text: "完成".into(),
        });
        assert_eq!(i.next_step(&ladder), None);
    }

    #[test]
    fn circulars_are_counted_per_unit_and_numbered_per_year_voided_ones_not_counted() {
        let c = |id, date: &str, number, units: &[&str], voided: bool| Circular {
            id,
            year: d(date).year(),
            number,
            date: d(date),
            kind: CircularKind::Progress,
            title: "通报".into(),
            summary: String::new(),
            named: units
                .iter()
                .map(|u| Named {
                    unit: (*u).into(),
                    member: true,
                    issue: String::new(),
                })
                .collect(),
            follow_up: String::new(),
            items: vec![],
            voided: voided.then(|| Voided {
                date: d(date),
                reason: "错发".into(),
                actor: "t".into(),
            }),
            author: "t".into(),
            created_at: String::new(),
        };
        let r = Registers {
            circulars: vec![
                c(1, "2026-03-01", 1, &["u1", "u2"], false),
                c(2, "2026-06-01", 2, &["u1"], false),
                c(3, "2026-07-01", 3, &["u2"], true),
                c(4, "2025-12-31", 9, &["u2"], false),
            ],
            ..Registers::default()
        };
        let counts = r.circular_counts(2026);
        assert_eq!(counts.get("u1"), Some(&2));
        assert_eq!(counts.get("u2"), Some(&1));
        assert_eq!(r.next_circular_number(2026), 4);
        assert_eq!(r.next_circular_number(2027), 1);
    }

    #[test]
    fn rows_written_are_taken_in_by_number_and_replace_their_old_state() {
        let mut r = Registers::default();
        for id in [3, 1, 2] {
            let mut i = item();
            i.id = id;
            r.upsert(SupRow::Item(i));
        }
        let mut changed = item();
        changed.id = 2;
        changed.received = Some(d("2026-03-02"));
        r.upsert(SupRow::Item(changed));
        let ids: Vec<u64> = r.items.iter().map(|i| i.id).collect();
        assert_eq!(ids, vec![1, 2, 3]);
        assert_eq!(r.items[1].state(), ItemState::Open);
        r.remove(SupKind::Item, 1);
        assert_eq!(r.items.len(), 2);
    }

    #[test]
    fn the_default_rules_are_valid_and_bad_ones_are_refused() {
        let rules = SupervisionRules::default();
        assert_eq!(rules.check(), Ok(()));
        assert!((rules.full_score() - 100.0).abs() < 1e-9);
        let mut bad = rules.clone();
        bad.items[1].name = bad.items[0].name.clone();
        assert!(bad.check().unwrap_err().contains("重复"));
        let mut bad = rules.clone();
        bad.pass = 95.0;
        assert!(bad.check().is_err());
        let mut bad = rules;
        bad.per_overdue_task = f64::NAN;
        assert!(bad.check().is_err());
    }

    #[test]
    fn levels_and_kinds_are_read_in_chinese_and_english() {
        assert_eq!(Level::parse("市级"), Some(Level::City));
        assert_eq!(Level::parse("省"), Some(Level::Province));
        assert_eq!(Level::parse("乡"), None);
        assert_eq!(SourceKind::parse("会议议定"), Some(SourceKind::Meeting));
        assert_eq!(
            SourceKind::parse("inspection"),
            Some(SourceKind::Inspection)
        );
        assert_eq!(ItemState::parse("待验收"), Some(ItemState::AwaitingCheck));
        assert_eq!(SupKind::of_tag(SupKind::Talk.tag()), Some(SupKind::Talk));
    }
}
