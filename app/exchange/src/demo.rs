//! The demo campaigns bundled with the desk: seed 001's 2020–2022 campaign of 麒麟区 with its
//! two core 专题 (附件1, 附件2), and seed 004's reform task division — 商洛市's, of 2018–2020,
//! with its own units — as a campaign of its own, said to be what it is.

use anwei_core::campaign::{Campaign, CampaignData, Phase, Plan, PlanKind, Role, Task, UnitRole};
use anwei_core::deadline::{Deadline, Recurrence, parse_deadline};
use anwei_core::target::{
    Baseline, Checkpoint, Comparator, SourceRef, Target, TargetScope, TargetSource,
};
use anwei_core::unit::{Unit, UnitDirectory, UnitKind};
use chrono::Datelike;
use serde::Deserialize;

use crate::celltable::{CellTableError, parse_cell_table};

/// `assets/demo/campaign.json`.
pub const DEMO_CAMPAIGN_JSON: &str = include_str!("../../../assets/demo/campaign.json");
/// `assets/demo/reform-004.txt`.
pub const DEMO_REFORM_TABLE: &str = include_str!("../../../assets/demo/reform-004.txt");
/// `assets/demo/reform-004-units.json`: the 39 bodies seed 004's table names, with their kinds
/// and other spellings (商洛市's, apart from 麒麟区's directory).
pub const DEMO_REFORM_UNITS_JSON: &str = include_str!("../../../assets/demo/reform-004-units.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitsFile {
    format: u32,
    #[serde(default, rename = "source")]
    _source: String,
    units: Vec<FileUnit>,
}

/// `assets/demo/topic-targets.json`: the targets of the two 专题 (written from seed 001 by
/// `assets/demo/topic_targets.py`).
pub const DEMO_TOPIC_TARGETS_JSON: &str = include_str!("../../../assets/demo/topic-targets.json");

/// Plan id of the reform workstream.
pub const REFORM_PLAN_ID: &str = "reform";

/// Why campaign content could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("活动文件格式错误：{0}")]
    Json(#[from] serde_json::Error),
    #[error("活动文件格式版本 {0} 不受支持（支持 1）")]
    Format(u32),
    #[error("单位目录有误：{0}")]
    Units(#[from] anwei_core::unit::AliasConflict),
    #[error("任务 {task} 的完成时间有误：{source}")]
    Deadline {
        task: String,
        source: anwei_core::deadline::DeadlineError,
    },
    #[error("分工方案表格有误：{0}")]
    Table(#[from] CellTableError),
    #[error("专题指标有误：{0}")]
    Targets(String),
    #[error("活动文件内容有误：{0}")]
    Content(String),
}

#[derive(Deserialize)]
struct File {
    format: u32,
    campaign: Campaign,
    units: Vec<FileUnit>,
    plans: Vec<FilePlan>,
}

#[derive(Deserialize)]
struct FileUnit {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    kind: UnitKind,
}

#[derive(Deserialize)]
struct FilePlan {
    id: String,
    #[serde(default)]
    code: String,
    kind: PlanKind,
    title: String,
    #[serde(default)]
    goals: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    phases: Vec<Phase>,
    tasks: Vec<FileTask>,
}

#[derive(Deserialize)]
struct FileTask {
    label: String,
    #[serde(default)]
    section: String,
    title: String,
    text: String,
    #[serde(default)]
    roles_text: Option<String>,
    #[serde(default)]
    roles: Vec<FileRole>,
    #[serde(default)]
    deadlines: Vec<String>,
    #[serde(default)]
    phase: Option<String>,
}

#[derive(Deserialize)]
struct FileRole {
    role: Role,
    unit: String,
    #[serde(default)]
    note: Option<String>,
}

/// The bundled demo campaign of 麒麟区 (seed 001), with the targets of its 专题.
pub fn demo_campaign() -> Result<CampaignData, DemoError> {
    let mut data = load_campaign_json(DEMO_CAMPAIGN_JSON)?;
    data.targets = load_topic_targets(DEMO_TOPIC_TARGETS_JSON, &data)?;
    Ok(data)
}

/// Id of the campaign of seed 004's reform task division.
pub const REFORM_CAMPAIGN_ID: &str = "shangluo-2018";

/// Seed 004's reform task division as a campaign of its own: 商洛市's (the seed names 商洛市
/// bodies and places, and is not 麒麟区's), 2018–2020 as its deadlines run, no phases, its units
/// read from its table.
pub fn demo_reform_campaign() -> Result<CampaignData, DemoError> {
    let campaign = Campaign {
        id: REFORM_CAMPAIGN_ID.to_owned(),
        name: "商洛市推进安全生产领域改革发展重点任务分工".to_owned(),
        region: "商洛市".to_owned(),
        start: date(2018, 1, 1)?,
        end: date(2020, 12, 31)?,
        phases: Vec::new(),
        milestones: Vec::new(),
        actions: Vec::new(),
        note: "示例：种子文件004，商洛市2018年的任务分工方案（不属于麒麟区），供对照其表格格式"
            .to_owned(),
        archived: false,
    };
    let file: UnitsFile = serde_json::from_str(DEMO_REFORM_UNITS_JSON)?;
    if file.format != 1 {
        return Err(DemoError::Format(file.format));
    }
    let mut directory = UnitDirectory::new(units_of(file.units))?;
    let (plan, tasks) = reform_plan(&campaign, 1, DEMO_REFORM_TABLE, &mut directory)?;
    Ok(CampaignData {
        campaign,
        units: directory.into_units(),
        plans: vec![plan],
        tasks,
        targets: Vec::new(),
    })
}

/// The demo as versions before the desk held several campaigns imported it, and as their
/// data folders still hold it: 麒麟区's campaign with seed 004's reform table as one more plan
/// of it (its units merged into the directory by name). Tests of old data folders, and of
/// documents that want 专题 plans and a lead-only table side by side, use it.
pub fn wave1_demo() -> Result<CampaignData, DemoError> {
    let mut data = demo_campaign()?;
    let reform = demo_reform_campaign()?;
    let mut directory = UnitDirectory::new(data.units.clone())?;
    let ids: std::collections::HashMap<String, String> = reform
        .units
        .iter()
        .map(|u| (u.id.clone(), directory.resolve_or_add(&u.name, u.kind)))
        .collect();
    data.units = directory.into_units();
    for mut plan in reform.plans {
        plan.campaign.clone_from(&data.campaign.id);
        plan.order = u32::try_from(data.plans.len() + 1).unwrap_or(u32::MAX);
        data.plans.push(plan);
    }
    for mut task in reform.tasks {
        for r in &mut task.roles {
            if let Some(id) = ids.get(&r.unit) {
                r.unit.clone_from(id);
            }
        }
        data.tasks.push(task);
    }
    Ok(data)
}

/// Both demo campaigns, 麒麟区's first.
pub fn demo_campaigns() -> Result<Vec<CampaignData>, DemoError> {
    Ok(vec![demo_campaign()?, demo_reform_campaign()?])
}

fn date(y: i32, m: u32, d: u32) -> Result<chrono::NaiveDate, DemoError> {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| DemoError::Content(format!("日期 {y}-{m}-{d} 不存在")))
}

/// What a campaign file must hold together: its dates in order, its phases and milestones
/// inside its years, plan ids present and distinct, actions named and gathering tasks of the
/// file or of sector plans (`sector/N`).
fn check_campaign(data: &CampaignData) -> Result<(), DemoError> {
    let c = &data.campaign;
    let bad = |m: String| Err(DemoError::Content(m));
    if c.id.trim().is_empty() || c.name.trim().is_empty() {
        return bad("活动需要编号和名称".to_owned());
    }
    if c.start > c.end {
        return bad(format!("活动的开始日期 {} 晚于结束日期 {}", c.start, c.end));
    }
    for p in &c.phases {
        if p.start > p.end || p.start < c.start || p.end > c.end {
            return bad(format!(
                "阶段“{}”（{} 至 {}）不在活动的起止日期之内或首尾颠倒",
                p.name, p.start, p.end
            ));
        }
    }
    for m in &c.milestones {
        if m.date < c.start || m.date > c.end {
            return bad(format!(
                "节点“{}”（{}）不在活动的起止日期之内",
                m.name, m.date
            ));
        }
    }
    let mut ids = std::collections::HashSet::new();
    for p in &data.plans {
        if p.id.trim().is_empty() || p.id.contains('/') {
            return bad(format!("方案“{}”的编号为空或含“/”", p.title));
        }
        if !ids.insert(p.id.as_str()) {
            return bad(format!("方案编号“{}”重复", p.id));
        }
    }
    let tasks: std::collections::HashSet<&str> = data.tasks.iter().map(|t| t.id.as_str()).collect();
    for a in &c.actions {
        if a.name.trim().is_empty() {
            return bad(format!("行动“{}”没有名称", a.id));
        }
        if let Some(t) = a
            .tasks
            .iter()
            .find(|t| !tasks.contains(t.as_str()) && !t.contains('/'))
        {
            return bad(format!("行动“{}”列出的任务“{t}”不存在", a.name));
        }
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicTargetsFile {
    format: u32,
    /// The document the targets are read from ("种子文件001"); each target names its lines.
    #[serde(default, rename = "source")]
    _source: String,
    plans: std::collections::BTreeMap<String, Vec<TopicTarget>>,
}

/// A 专题 target in the content format of the plugins' targets (`plugin-sdk` `TargetContent`,
/// without form and inputs) with its `feed`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicTarget {
    id: String,
    name: String,
    unit: String,
    comparator: Comparator,
    checkpoints: Vec<TopicCheckpoint>,
    #[serde(default)]
    baseline: Option<Baseline>,
    #[serde(default)]
    scope: Option<TargetScope>,
    #[serde(default)]
    tolerance: Option<f64>,
    #[serde(default)]
    period: Option<Recurrence>,
    #[serde(default)]
    task: Option<String>,
    #[serde(default)]
    line: Option<u32>,
    #[serde(default)]
    quote: Option<String>,
    #[serde(default)]
    also: Vec<SourceRef>,
    #[serde(default)]
    note: Option<String>,
    /// "hand" (entered on the desk) or "progress" (the progress entries of `task`).
    feed: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicCheckpoint {
    year: i32,
    value: f64,
    #[serde(default)]
    due: Option<chrono::NaiveDate>,
    #[serde(default)]
    upper: Option<f64>,
}

/// The 专题 targets of `json` for the plans of `data`: each names its plan's task by label
/// (a progress-fed target counts that task's entries); an unknown plan, task or feed, or a
/// figure that is not finite, is refused.
pub fn load_topic_targets(json: &str, data: &CampaignData) -> Result<Vec<Target>, DemoError> {
    let file: TopicTargetsFile = serde_json::from_str(json)?;
    if file.format != 1 {
        return Err(DemoError::Format(file.format));
    }
    let mut out = Vec::new();
    for (plan, list) in file.plans {
        if !data.plans.iter().any(|p| p.id == plan) {
            return Err(DemoError::Targets(format!("没有方案“{plan}”")));
        }
        for t in list {
            let task_id = match &t.task {
                Some(label) => Some(
                    data.tasks
                        .iter()
                        .find(|x| x.plan == plan && &x.label == label)
                        .map(|x| x.id.clone())
                        .ok_or_else(|| {
                            DemoError::Targets(format!(
                                "指标“{}”：方案“{plan}”没有任务“{label}”",
                                t.id
                            ))
                        })?,
                ),
                None => None,
            };
            let progress_of = match t.feed.as_str() {
                "hand" => None,
                "progress" => Some(task_id.clone().ok_or_else(|| {
                    DemoError::Targets(format!("指标“{}”由进展计数，须写明任务", t.id))
                })?),
                other => {
                    return Err(DemoError::Targets(format!(
                        "指标“{}”的数据来源“{other}”无法识别（hand 或 progress）",
                        t.id
                    )));
                }
            };
            let finite = t
                .checkpoints
                .iter()
                .all(|c| c.value.is_finite() && c.upper.is_none_or(f64::is_finite))
                && t.tolerance.is_none_or(f64::is_finite);
            if !finite || t.checkpoints.is_empty() {
                return Err(DemoError::Targets(format!("指标“{}”的目标值有误", t.id)));
            }
            let refs = t
                .line
                .zip(t.quote)
                .map(|(line, quote)| SourceRef { line, quote })
                .into_iter()
                .chain(t.also)
                .collect();
            out.push(Target {
                id: format!("{plan}/{}", t.id),
                plan: plan.clone(),
                name: t.name,
                unit: t.unit,
                comparator: t.comparator,
                checkpoints: t
                    .checkpoints
                    .into_iter()
                    .map(|c| Checkpoint {
                        year: c.year,
                        value: c.value,
                        due: c.due,
                        upper: c.upper,
                    })
                    .collect(),
                baseline: t.baseline,
                scope: t.scope.unwrap_or_default(),
                computed_from: None,
                progress_of,
                measurements: Vec::new(),
                tolerance: t.tolerance,
                source: TargetSource {
                    refs,
                    task: t.task,
                    note: t.note,
                    period: t.period,
                },
            });
        }
    }
    Ok(out)
}

/// Loads campaign content in the campaign file format (format 1: the campaign — phases,
/// milestones and actions optional —, its units, its plans with their tasks). Unit names in
/// roles are resolved through the directory's aliases; tasks then refer to units by id.
pub fn load_campaign_json(json: &str) -> Result<CampaignData, DemoError> {
    let file: File = serde_json::from_str(json)?;
    if file.format != 1 {
        return Err(DemoError::Format(file.format));
    }
    let mut directory = UnitDirectory::new(units_of(file.units))?;
    let campaign = file.campaign;
    let context_year = campaign.start.year();
    let mut plans = Vec::new();
    let mut tasks = Vec::new();
    for (plan_index, fp) in file.plans.into_iter().enumerate() {
        let order = u32::try_from(plan_index + 1).unwrap_or(u32::MAX);
        for (task_index, ft) in fp.tasks.into_iter().enumerate() {
            let task_order = u32::try_from(task_index + 1).unwrap_or(u32::MAX);
            let id = format!("{}/{}", fp.id, task_order);
            let deadlines = parse_all(&id, &ft.deadlines, context_year)?;
            let roles = ft
                .roles
                .into_iter()
                .map(|r| UnitRole {
                    unit: directory.resolve_or_add(&r.unit, UnitKind::Department),
                    role: r.role,
                    note: r.note,
                })
                .collect();
            tasks.push(Task {
                id,
                plan: fp.id.clone(),
                order: task_order,
                label: ft.label,
                section: ft.section,
                title: ft.title,
                text: ft.text,
                roles_text: ft.roles_text,
                roles,
                deadlines,
                phase: ft.phase,
            });
        }
        plans.push(Plan {
            annotations: Default::default(),
            id: fp.id,
            campaign: campaign.id.clone(),
            order,
            code: fp.code,
            kind: fp.kind,
            title: fp.title,
            goals: fp.goals,
            source: fp.source,
            phases: fp.phases,
            sector: None,
        });
    }
    let data = CampaignData {
        campaign,
        units: directory.into_units(),
        plans,
        tasks,
        targets: Vec::new(),
    };
    check_campaign(&data)?;
    Ok(data)
}

/// A file's units with the file's own ids ("u0001"…; an import gives them the desk's).
fn units_of(units: Vec<FileUnit>) -> Vec<Unit> {
    units
        .into_iter()
        .enumerate()
        .map(|(i, u)| Unit {
            alias_sources: Vec::new(),
            id: format!("u{:04}", i + 1),
            name: u.name,
            aliases: u.aliases,
            kind: u.kind,
        })
        .collect()
}

fn parse_all(task: &str, texts: &[String], context_year: i32) -> Result<Vec<Deadline>, DemoError> {
    texts
        .iter()
        .map(|t| {
            parse_deadline(t, Some(context_year)).map_err(|source| DemoError::Deadline {
                task: task.to_owned(),
                source,
            })
        })
        .collect()
}

/// Builds the reform workstream from its cell-per-line table; every unit of the 牵头单位 cell
/// is a lead unit.
fn reform_plan(
    campaign: &Campaign,
    order: u32,
    table_text: &str,
    directory: &mut UnitDirectory,
) -> Result<(Plan, Vec<Task>), DemoError> {
    let table = parse_cell_table(table_text)?;
    let context_year = campaign.start.year();
    let mut tasks = Vec::with_capacity(table.rows.len());
    for row in table.rows {
        let id = format!("{REFORM_PLAN_ID}/{}", row.number);
        let deadlines = parse_all(&id, std::slice::from_ref(&row.deadline), context_year)?;
        let title = row
            .task
            .split_once('。')
            .map_or(row.task.as_str(), |(head, _)| head)
            .to_owned();
        tasks.push(Task {
            id,
            plan: REFORM_PLAN_ID.to_owned(),
            order: row.number,
            label: row.number.to_string(),
            section: String::new(),
            title,
            text: row.task,
            roles_text: None,
            roles: row
                .units
                .iter()
                .map(|name| UnitRole {
                    unit: directory.resolve_or_add(name, UnitKind::Department),
                    role: Role::Lead,
                    note: None,
                })
                .collect(),
            deadlines,
            phase: None,
        });
    }
    let plan = Plan {
        annotations: Default::default(),
        id: REFORM_PLAN_ID.to_owned(),
        campaign: campaign.id.clone(),
        order,
        code: table.attachment.unwrap_or_default(),
        kind: PlanKind::Workstream,
        title: table
            .title
            .unwrap_or_else(|| "推进安全生产领域改革发展重点任务分工方案".to_owned()),
        goals: String::new(),
        source: "种子文件004（任务分工方案表格）".to_owned(),
        phases: Vec::new(),
        sector: None,
    };
    Ok((plan, tasks))
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;

    #[test]
    fn demo_has_the_two_topics_and_the_reform_workstream() {
        let data = demo_campaign().unwrap();
        assert_eq!(data.campaign.phases.len(), 4);
        let names: Vec<&str> = data
            .campaign
            .phases
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["动员部署", "排查整治", "集中攻坚", "巩固提升"]);
        let count = |plan: &str| data.tasks.iter().filter(|t| t.plan == plan).count();
        assert_eq!(count("topic-1"), 21);
        assert_eq!(count("topic-2"), 14);
        let plan_ids: Vec<&str> = data.plans.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(plan_ids, ["topic-1", "topic-2"]);
        // Seed 004 is 商洛市's 2018 task division: a campaign of its own, said so.
        let reform = demo_reform_campaign().unwrap();
        assert_eq!(reform.campaign.region, "商洛市");
        assert_eq!(reform.campaign.start.year(), 2018);
        assert_eq!(reform.campaign.end.year(), 2020);
        assert!(reform.campaign.phases.is_empty());
        assert!(reform.campaign.note.contains("不属于麒麟区"));
        assert_eq!(reform.tasks.len(), 57);
        // 商洛市's 39 bodies are its own directory's, none of them 麒麟区's.
        assert_eq!(reform.units.len(), 39);
        assert!(!data.units.iter().any(|u| u.name.starts_with('市')));
        assert!(
            reform
                .plans
                .iter()
                .all(|p| p.campaign == REFORM_CAMPAIGN_ID)
        );
        // Its 2018 deadlines are 2018's, not mapped into another campaign's phases.
        // (seed 004: 47 × "2018年", 3 × "2019年", 1 × "2019年6月", 6 × "2020年").
        let in_year = |y: i32| {
            reform
                .tasks
                .iter()
                .filter(|t| {
                    t.deadlines
                        .iter()
                        .any(|d| d.due.map(|d| d.year()) == Some(y))
                })
                .count()
        };
        assert_eq!((in_year(2018), in_year(2019), in_year(2020)), (47, 4, 6));
        assert_eq!(demo_campaigns().unwrap().len(), 2);
    }

    #[test]
    fn topic_1_labels_are_kept_as_written() {
        let data = demo_campaign().unwrap();
        let labels: Vec<&str> = data
            .tasks
            .iter()
            .filter(|t| t.plan == "topic-1")
            .map(|t| t.label.as_str())
            .collect();
        assert!(labels.contains(&"(四)6"));
        assert!(!labels.contains(&"(四)5"), "附件1 has no item (四)5");
        assert_eq!(labels.iter().filter(|l| l.starts_with("(四)")).count(), 5);
        let t = data
            .tasks
            .iter()
            .find(|t| t.label == "(二)1" && t.plan == "topic-1")
            .unwrap();
        assert_eq!(t.deadlines[0].text, "2020年8月15日前");
    }

    #[test]
    fn reform_units_split_and_resolve() {
        let data = demo_reform_campaign().unwrap();
        let reform: Vec<&Task> = data
            .tasks
            .iter()
            .filter(|t| t.plan == REFORM_PLAN_ID)
            .collect();
        let mentions: usize = reform.iter().map(|t| t.roles.len()).sum();
        assert_eq!(mentions, 181);
        let distinct: HashSet<&str> = reform
            .iter()
            .flat_map(|t| t.roles.iter().map(|r| r.unit.as_str()))
            .collect();
        assert_eq!(distinct.len(), 39);
        let by_name: HashMap<&str, &str> = data
            .units
            .iter()
            .map(|u| (u.id.as_str(), u.name.as_str()))
            .collect();
        let anjian = reform
            .iter()
            .filter(|t| {
                t.roles
                    .iter()
                    .any(|r| by_name[r.unit.as_str()] == "市安监局")
            })
            .count();
        assert_eq!(anjian, 52);
        // Every role refers to a unit of the directory by id.
        for t in &data.tasks {
            for r in &t.roles {
                assert!(
                    by_name.contains_key(r.unit.as_str()),
                    "{} → {}",
                    t.id,
                    r.unit
                );
            }
        }
    }

    #[test]
    fn bad_content_is_reported() {
        assert!(matches!(load_campaign_json("{"), Err(DemoError::Json(_))));
        let bad_format = DEMO_CAMPAIGN_JSON.replacen("\"format\": 1", "\"format\": 9", 1);
        assert!(matches!(
            load_campaign_json(&bad_format),
            Err(DemoError::Format(9))
        ));
        // Dates out of order, a phase outside the years, a repeated plan id, an action of
        // tasks the file does not have: each said.
        let cases = [
            (
                "\"start\": \"2020-04-01\"",
                "\"start\": \"2023-04-01\"",
                "晚于",
            ),
            ("\"end\": \"2020-04-30\"", "\"end\": \"2024-04-30\"", "阶段"),
            ("\"id\": \"topic-2\"", "\"id\": \"topic-1\"", "重复"),
        ];
        for (from, to, says) in cases {
            let json = DEMO_CAMPAIGN_JSON.replacen(from, to, 1);
            assert_ne!(json, DEMO_CAMPAIGN_JSON, "{from}");
            let err = load_campaign_json(&json).unwrap_err().to_string();
            assert!(err.contains(says), "{from}: {err}");
        }
    }
}
