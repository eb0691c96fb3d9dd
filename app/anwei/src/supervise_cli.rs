//! `anwei supervise`, `circulars`, `talks`, `accidents`, `assessment`: the supervision
//! registers from the command line — 督办事项 up the ladder to 销号 and 回头看, 通报 in their
//! numbered series with the count per unit, 约谈 records, accidents for 一票否决, and the
//! year-end 考核 sheet with each deduction's cause.

use std::io::Write;
use std::path::{Path, PathBuf};

use anwei_core::accountability::{AccidentGrade, Step};
use anwei_core::supervise::SupAction;
use anwei_core::supervision::{
    Check, CircularKind, Item, ItemFilter, ItemState, Level, Named, Registers, Source, SourceKind,
    SupervisionRules,
};
use anwei_core::{Command, UnitDirectory};
use anwei_session::Session;
use anyhow::{Result, bail};
use chrono::{Datelike, NaiveDate};
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::{open_synced, parse_date, read_text, session};

#[derive(Debug, Subcommand)]
pub enum SuperviseCmd {
    /// 列出督办事项：接收、完成、审核三种状态分列，以及该走的下一步
    List {
        /// 只列这个责任单位的（名称或别名）
        #[arg(long, value_name = "单位")]
        unit: Option<String>,
        /// 只列这种状态的：待接收、整改中、待验收、验收未通过、已销号
        #[arg(long, value_name = "状态")]
        state: Option<String>,
        /// 只列这一级的：区级、市级、省级
        #[arg(long, value_name = "级别")]
        level: Option<String>,
        /// 只列逾期未完成的
        #[arg(long)]
        overdue: bool,
        /// 只列该走下一步督办的
        #[arg(long)]
        due: bool,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 一项督办事项的全部经过
    Show {
        #[arg(value_name = "编号")]
        id: u64,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 新增督办事项
    Add {
        /// 督办事项（要做什么）
        #[arg(long, value_name = "事项")]
        title: String,
        /// 责任单位（名称或别名）
        #[arg(long, value_name = "单位")]
        unit: String,
        /// 整改时限（YYYY-MM-DD）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        deadline: NaiveDate,
        /// 来源：逾期任务、逾期节点、重大隐患、上级督查反馈、会议议定（默认：有 --task 时为逾期任务，否则会议议定）
        #[arg(long, value_name = "来源")]
        source: Option<String>,
        /// 来源的文件或会议及其编号，例如“区安委会2026年第3次会议”
        #[arg(long = "ref", value_name = "文件或会议")]
        reference: Option<String>,
        /// 来源任务的编号（逾期任务、逾期节点）
        #[arg(long, value_name = "任务")]
        task: Option<String>,
        /// 逾期节点的日期（YYYY-MM-DD）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        milestone: Option<NaiveDate>,
        /// 督办级别：区级（默认）、市级、省级
        #[arg(long, value_name = "级别")]
        level: Option<String>,
        /// 督办单位（默认为本办）
        #[arg(long, value_name = "单位")]
        supervisor: Option<String>,
        /// 验收单位（默认为督办单位）
        #[arg(long, value_name = "单位")]
        acceptor: Option<String>,
        /// 督办日期（默认 --today）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
    /// 登记责任单位接收（签收）
    Receive {
        #[arg(value_name = "编号")]
        id: u64,
        /// 接收日期（默认 --today）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
    /// 逐级督办：提醒、催办、督办函、挂牌督办、通报、约谈（默认为该走的下一步）
    Step {
        #[arg(value_name = "编号")]
        id: u64,
        /// 这一步：提醒、催办、督办函、挂牌督办、通报、约谈
        #[arg(long, value_name = "步骤")]
        step: Option<String>,
        /// 督办情况
        #[arg(long, value_name = "情况", default_value = "")]
        note: String,
        /// 这一步所发文件的文号或期号
        #[arg(long, value_name = "文号")]
        document: Option<String>,
        /// 日期（默认 --today）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
    /// 责任单位报告完成（时限之后的为逾期完成）
    Complete {
        #[arg(value_name = "编号")]
        id: u64,
        /// 完成情况
        #[arg(long, value_name = "情况")]
        text: String,
        /// 完成日期（默认 --today）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
    /// 验收（审核）：--pass 通过，--fail 不通过（须写 --note 说明）
    Check(CheckArgs),
    /// 书面说明（逾期或验收未通过的事项须有）
    Explain {
        #[arg(value_name = "编号")]
        id: u64,
        /// 说明
        #[arg(long, value_name = "说明")]
        text: String,
        /// 日期（默认 --today）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
    /// 销号（验收通过之后），并定回头看日期
    Close {
        #[arg(value_name = "编号")]
        id: u64,
        /// 销号日期（默认 --today）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// 回头看日期（默认销号后按规则的天数）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        lookback: Option<NaiveDate>,
    },
    /// 回头看：--pass 未反弹，--fail 有反弹（须写 --note）
    Lookback(CheckArgs),
    /// 督办与考核规则：各级督办的宽限天数、通报扣分规则、考核项目和分值
    Rules {
        /// 用这个 JSON 文件替换规则（先用不带参数的 `supervise rules --json` 导出再修改）
        #[arg(long, value_name = "文件")]
        set: Option<PathBuf>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[arg(value_name = "编号")]
    id: u64,
    /// 通过
    #[arg(long, conflicts_with = "fail")]
    pass: bool,
    /// 不通过
    #[arg(long)]
    fail: bool,
    /// 意见
    #[arg(long, value_name = "意见", default_value = "")]
    note: String,
    /// 验收人
    #[arg(long, value_name = "人员", default_value = "")]
    by: String,
    /// 日期（默认 --today）
    #[arg(long, value_name = "日期", value_parser = parse_date)]
    date: Option<NaiveDate>,
}

#[derive(Debug, Subcommand)]
pub enum CircularsCmd {
    /// 新增一期通报（期号按年度自动编排），写明被通报的单位
    Add {
        /// 被通报的成员单位（名称或别名，可多次使用）
        #[arg(long, value_name = "单位")]
        unit: Vec<String>,
        /// 被通报的生产经营单位（企业名称，可多次使用）
        #[arg(long, value_name = "企业")]
        enterprise: Vec<String>,
        /// 成文日期（默认 --today）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// 标题
        #[arg(long, value_name = "标题")]
        title: String,
        /// 类别：工作推进情况通报（默认）、季度通报、事故通报、重大隐患通报
        #[arg(long, value_name = "类别")]
        kind: Option<String>,
        /// 通报事由（对所有被通报单位）
        #[arg(long, value_name = "事由", default_value = "")]
        issue: String,
        /// 总体情况
        #[arg(long, value_name = "文字", default_value = "")]
        summary: String,
        /// 上期问题整改情况
        #[arg(long, value_name = "文字", default_value = "")]
        follow_up: String,
        /// 附件所列的督办事项编号（可多次使用）
        #[arg(long, value_name = "编号")]
        item: Vec<u64>,
    },
    /// 列出通报，并统计各单位当年被通报次数（达到扣分次数的标出）
    List {
        /// 年度（默认 --today 所在年）
        #[arg(long, value_name = "年")]
        year: Option<i32>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 作废一期通报（期号保留，不再计次）
    Void {
        #[arg(value_name = "编号")]
        id: u64,
        #[arg(long, value_name = "理由")]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TalksCmd {
    /// 记录一次约谈
    Add {
        /// 约谈的单位（名称或别名）
        #[arg(long, value_name = "单位")]
        unit: String,
        /// 约谈日期（默认 --today）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// 被约谈人（姓名、职务）
        #[arg(long, value_name = "人员")]
        persons: String,
        /// 约谈人
        #[arg(long, value_name = "人员")]
        by: String,
        /// 约谈事由
        #[arg(long, value_name = "事由")]
        issues: String,
        /// 整改承诺
        #[arg(long, value_name = "承诺", default_value = "")]
        commitments: String,
        /// 跟踪检查日期
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        follow_up: Option<NaiveDate>,
        /// 相关的督办事项编号
        #[arg(long, value_name = "编号")]
        item: Option<u64>,
    },
    /// 列出约谈记录
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AccidentsCmd {
    /// 登记一起事故（计入年度考核的一票否决）
    Add {
        /// 事故计入的单位（名称或别名）
        #[arg(long, value_name = "单位")]
        unit: String,
        /// 事故日期（默认 --today）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// 等级：一般事故、较大事故、重大事故、特别重大事故
        #[arg(long, value_name = "等级")]
        grade: String,
        /// 事故名称
        #[arg(long, value_name = "名称")]
        title: String,
        /// 事故情况
        #[arg(long, value_name = "情况", default_value = "")]
        note: String,
    },
    /// 列出事故
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct AssessmentArgs {
    /// 年度（默认 --today 所在年）
    #[arg(long, value_name = "年")]
    year: Option<i32>,
    /// 只看这个单位的（名称或别名）
    #[arg(long, value_name = "单位")]
    unit: Option<String>,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
    #[command(subcommand)]
    command: Option<AssessmentCmd>,
}

#[derive(Debug, Subcommand)]
pub enum AssessmentCmd {
    /// 手工扣分（写明考核项目和理由）
    Deduct {
        /// 年度
        #[arg(long, value_name = "年")]
        year: i32,
        /// 单位（名称或别名）
        #[arg(long, value_name = "单位")]
        unit: String,
        /// 考核项目（`supervise rules` 中的名称）
        #[arg(long, value_name = "项目")]
        item: String,
        /// 扣分
        #[arg(long, value_name = "分")]
        points: f64,
        /// 理由
        #[arg(long, value_name = "理由")]
        reason: String,
    },
    /// 撤销一条手工扣分（保留记录，注明理由）
    Undo {
        #[arg(value_name = "编号")]
        id: u64,
        /// 撤销的理由
        #[arg(long, value_name = "理由")]
        reason: String,
    },
}

fn unit_id(units: &UnitDirectory, given: &str) -> Result<String> {
    match units.resolve(given.trim()) {
        Some(u) => Ok(u.id.clone()),
        None => bail!("没有单位“{given}”；用 `anwei units list` 查看单位名称"),
    }
}

fn level_of(text: &str) -> Result<Level> {
    Level::parse(text)
        .ok_or_else(|| anyhow::anyhow!("无法识别的级别“{text}”（可用：区级、市级、省级）"))
}

/// One of 两个清单 by its name.
pub(crate) fn list_of(text: &str) -> Result<anwei_core::supervision::ListKind> {
    anwei_core::supervision::ListKind::parse(text).ok_or_else(|| {
        anyhow::anyhow!("无法识别的清单“{text}”（可用：问题隐患清单、制度措施清单）")
    })
}

pub(crate) fn step_of(text: &str) -> Result<Step> {
    let t = text.trim();
    Step::ALL
        .into_iter()
        .find(|s| s.label_zh() == t)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "无法识别的督办步骤“{t}”（可用：提醒、催办、督办函、挂牌督办、通报、约谈）"
            )
        })
}

fn grade_of(text: &str) -> Result<AccidentGrade> {
    let t = text.trim();
    [
        AccidentGrade::Ordinary,
        AccidentGrade::Larger,
        AccidentGrade::Major,
        AccidentGrade::Extraordinary,
    ]
    .into_iter()
    .find(|g| g.label_zh() == t || g.label_zh().trim_end_matches("事故") == t)
    .ok_or_else(|| {
        anyhow::anyhow!(
            "无法识别的事故等级“{t}”（可用：一般事故、较大事故、重大事故、特别重大事故）"
        )
    })
}

fn save(session: &Session, dir: &Path, action: SupAction) -> Result<String> {
    crate::cli::save(session, dir, &Command::Supervise { action })
}

/// Saves `action` and says what it did.
fn save_and_say(
    session: &Session,
    dir: &Path,
    action: SupAction,
    out: &mut impl Write,
) -> Result<()> {
    let s = save(session, dir, action)?;
    writeln!(out, "已保存：{s}")?;
    Ok(())
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// An item in one line: its three statuses and the next step.
fn item_line(
    i: &Item,
    units: &UnitDirectory,
    rules: &SupervisionRules,
    today: NaiveDate,
) -> String {
    let received = i
        .received
        .map_or_else(|| "未接收".to_owned(), |d| format!("已接收（{}）", day(d)));
    let next = match (i.state(), i.next_step(&rules.ladder)) {
        (ItemState::Closed, _) => match &i.lookback {
            Some(l) if l.done.is_none() => format!("回头看：{}", day(l.due)),
            Some(_) => "已回头看".to_owned(),
            None => String::new(),
        },
        (_, Some((step, due))) if today > i.deadline || i.state() == ItemState::Failed => {
            let late = if due <= today { "，已到期" } else { "" };
            format!("下一步：{}（{}{late}）", step.label_zh(), day(due))
        }
        _ => String::new(),
    };
    let explain = i
        .explanation_due(today)
        .map(|w| format!("  须书面说明（{}）", w.label_zh()))
        .unwrap_or_default();
    format!(
        "#{} [{}] {}  责任单位：{}  时限：{}  {}｜{}｜审核：{}｜{}  {next}{explain}",
        i.id,
        i.level.label_zh(),
        i.title,
        units.name_of(&i.unit),
        day(i.deadline),
        received,
        i.completion_zh(today),
        i.check_zh(),
        i.state().label_zh(),
    )
}

#[derive(Serialize)]
struct ItemJson<'a> {
    #[serde(flatten)]
    item: &'a Item,
    unit_name: &'a str,
    state: ItemState,
    state_label: &'static str,
    completion: &'static str,
    check: &'static str,
    overdue: bool,
    next_step: Option<(Step, NaiveDate)>,
    explanation_due: Option<&'static str>,
}

fn item_json<'a>(
    i: &'a Item,
    units: &'a UnitDirectory,
    rules: &SupervisionRules,
    today: NaiveDate,
) -> ItemJson<'a> {
    ItemJson {
        item: i,
        unit_name: units.name_of(&i.unit),
        state: i.state(),
        state_label: i.state().label_zh(),
        completion: i.completion_zh(today),
        check: i.check_zh(),
        overdue: i.overdue(today),
        next_step: i.next_step(&rules.ladder),
        explanation_due: i.explanation_due(today).map(|w| w.label_zh()),
    }
}

fn find_item(registers: &Registers, id: u64) -> Result<&Item> {
    match registers.items.iter().find(|i| i.id == id) {
        Some(i) => Ok(i),
        None => bail!("没有督办事项 #{id}；用 `anwei supervise list` 查看"),
    }
}

pub fn run_supervise(
    dir: &Path,
    command: SuperviseCmd,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let session = session(dir)?;
    let store = session.store();
    let units = store.unit_directory()?;
    let settings = store.settings()?;
    let rules = settings.supervision.clone();
    match command {
        SuperviseCmd::List {
            unit,
            state,
            level,
            overdue,
            due,
            json,
        } => {
            let registers = store.supervision_registers()?;
            let filter = ItemFilter {
                unit: unit.map(|u| unit_id(&units, &u)).transpose()?,
                state: match state {
                    Some(s) => Some(ItemState::parse(&s).ok_or_else(|| {
                        anyhow::anyhow!(
                            "无法识别的状态“{s}”（可用：待接收、整改中、待验收、验收未通过、已销号）"
                        )
                    })?),
                    None => None,
                },
                level: level.as_deref().map(level_of).transpose()?,
                overdue,
                step_due: due,
                text: String::new(),
            };
            let items = filter.apply(&registers.items, &rules.ladder, today);
            if json {
                let list: Vec<ItemJson> = items
                    .iter()
                    .map(|i| item_json(i, &units, &rules, today))
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &list)?;
                writeln!(out)?;
            } else if items.is_empty() {
                writeln!(out, "没有符合条件的督办事项")?;
            } else {
                for i in items {
                    writeln!(out, "{}", item_line(i, &units, &rules, today))?;
                }
            }
        }
        SuperviseCmd::Show { id, json } => {
            let registers = store.supervision_registers()?;
            let i = find_item(&registers, id)?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &item_json(i, &units, &rules, today))?;
                writeln!(out)?;
            } else {
                writeln!(out, "{}", item_line(i, &units, &rules, today))?;
                let src = &i.source;
                let mut from = src.kind.label_zh().to_owned();
                if !src.reference.is_empty() {
                    from.push_str(&format!("：{}", src.reference));
                }
                if let Some(t) = &src.task {
                    from.push_str(&format!("（任务 {t}）"));
                }
                writeln!(out, "来源：{from}")?;
                writeln!(
                    out,
                    "督办单位：{}  验收单位：{}  督办日期：{}",
                    i.supervisor,
                    i.acceptor,
                    day(i.opened)
                )?;
                for s in &i.steps {
                    let doc = s
                        .document
                        .as_deref()
                        .map(|d| format!("（{d}）"))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "{}  {}{doc}  {}",
                        day(s.date),
                        s.step.label_zh(),
                        s.note
                    )?;
                }
                if let Some(c) = &i.completed {
                    writeln!(out, "{}  报告完成：{}", day(c.date), c.text)?;
                }
                for c in &i.checks {
                    let r = if c.passed {
                        "验收通过"
                    } else {
                        "验收未通过"
                    };
                    writeln!(out, "{}  {r}：{} {}", day(c.date), c.note, c.by)?;
                }
                for e in &i.explanations {
                    writeln!(out, "{}  书面说明：{}", day(e.date), e.text)?;
                }
                if let Some(d) = i.closed {
                    writeln!(out, "{}  销号", day(d))?;
                }
                if let Some(l) = &i.lookback {
                    match &l.done {
                        Some(c) => writeln!(
                            out,
                            "{}  回头看：{}{}",
                            day(c.date),
                            if c.passed { "未反弹" } else { "有反弹" },
                            if c.note.is_empty() {
                                String::new()
                            } else {
                                format!("，{}", c.note)
                            }
                        )?,
                        None => writeln!(out, "回头看日期：{}", day(l.due))?,
                    }
                }
            }
        }
        SuperviseCmd::Add {
            title,
            unit,
            deadline,
            source,
            reference,
            task,
            milestone,
            level,
            supervisor,
            acceptor,
            date,
        } => {
            let kind = match source {
                Some(s) => SourceKind::parse(&s).ok_or_else(|| {
                    anyhow::anyhow!(
                        "无法识别的来源“{s}”（可用：逾期任务、逾期节点、重大隐患、上级督查反馈、会议议定）"
                    )
                })?,
                None if milestone.is_some() => SourceKind::Milestone,
                None if task.is_some() => SourceKind::Task,
                None => SourceKind::Meeting,
            };
            let level = level
                .as_deref()
                .map(level_of)
                .transpose()?
                .unwrap_or(Level::District);
            let office = match store.campaign_scope(None, today)? {
                Some(scope) => settings.issuing_office(&scope.campaign),
                None => "安委办".to_owned(),
            };
            let supervisor = supervisor.unwrap_or(office);
            let acceptor = acceptor.unwrap_or_else(|| supervisor.clone());
            let summary = save(
                &session,
                dir,
                SupAction::AddItem {
                    title,
                    source: Source {
                        kind,
                        reference: reference.unwrap_or_default(),
                        task,
                        milestone,
                        hazard: None,
                    },
                    level,
                    unit: unit_id(&units, &unit)?,
                    supervisor,
                    acceptor,
                    opened: date.unwrap_or(today),
                    deadline,
                },
            )?;
            writeln!(out, "已保存：{summary}")?;
        }
        SuperviseCmd::Receive { id, date } => {
            save_and_say(
                &session,
                dir,
                SupAction::ReceiveItem {
                    id,
                    date: date.unwrap_or(today),
                },
                out,
            )?;
        }
        SuperviseCmd::Step {
            id,
            step,
            note,
            document,
            date,
        } => {
            let date = date.unwrap_or(today);
            let step = match step {
                Some(s) => step_of(&s)?,
                None => {
                    let registers = store.supervision_registers()?;
                    let i = find_item(&registers, id)?;
                    match i.next_step(&rules.ladder) {
                        Some((s, _)) => s,
                        None => bail!(
                            "督办事项 #{id}{}，没有下一步可走；需要时用 --step 指明",
                            i.state().label_zh()
                        ),
                    }
                }
            };
            save_and_say(
                &session,
                dir,
                SupAction::TakeStep {
                    id,
                    step,
                    date,
                    note,
                    document,
                },
                out,
            )?;
        }
        SuperviseCmd::Complete { id, text, date } => {
            save_and_say(
                &session,
                dir,
                SupAction::CompleteItem {
                    id,
                    date: date.unwrap_or(today),
                    text,
                },
                out,
            )?;
        }
        SuperviseCmd::Check(a) => {
            let (id, check) = check_of(a, today)?;
            save_and_say(&session, dir, SupAction::CheckItem { id, check }, out)?;
        }
        SuperviseCmd::Explain { id, text, date } => {
            save_and_say(
                &session,
                dir,
                SupAction::ExplainItem {
                    id,
                    date: date.unwrap_or(today),
                    text,
                },
                out,
            )?;
        }
        SuperviseCmd::Close { id, date, lookback } => {
            save_and_say(
                &session,
                dir,
                SupAction::CloseItem {
                    id,
                    date: date.unwrap_or(today),
                    lookback,
                },
                out,
            )?;
        }
        SuperviseCmd::Lookback(a) => {
            let (id, check) = check_of(a, today)?;
            save_and_say(&session, dir, SupAction::LookBack { id, check }, out)?;
        }
        SuperviseCmd::Rules { set, json } => match set {
            Some(file) => {
                let text = read_text(&file, "规则文件")?;
                let rules: SupervisionRules = serde_json::from_str(&text).map_err(|e| {
                    anyhow::anyhow!(
                        "规则文件 {} 无法读取：{}",
                        file.display(),
                        crate::cli::json_zh(&e)
                    )
                })?;
                save_and_say(&session, dir, SupAction::SetRules { rules }, out)?;
            }
            None if json => {
                serde_json::to_writer_pretty(&mut *out, &rules)?;
                writeln!(out)?;
            }
            None => {
                let grace: Vec<String> = Step::ALL
                    .iter()
                    .zip(rules.ladder.grace_days)
                    .map(|(s, d)| format!("{} {d} 天", s.label_zh()))
                    .collect();
                writeln!(
                    out,
                    "逐级督办（距上一步，首步距时限）：{}",
                    grace.join("，")
                )?;
                writeln!(
                    out,
                    "通报：一年 {} 次以上，按考核分值 {} 的 {}% 扣减",
                    rules.circular.threshold, rules.circular.base, rules.circular.percent
                )?;
                for i in &rules.items {
                    writeln!(out, "考核项目：{} {} 分", i.name, i.points)?;
                }
                writeln!(
                    out,
                    "自动扣分：每项逾期任务 {} 分，每项逾期督办事项 {} 分，每项未完成目标 {} 分",
                    rules.per_overdue_task, rules.per_overdue_item, rules.per_missed_target
                )?;
                writeln!(
                    out,
                    "等次：{} 分以上优秀，{} 分以上合格；销号后 {} 天回头看",
                    rules.excellent, rules.pass, rules.lookback_days
                )?;
            }
        },
    }
    Ok(())
}

fn check_of(a: CheckArgs, today: NaiveDate) -> Result<(u64, Check)> {
    if a.pass == a.fail {
        bail!("请用 --pass（通过）或 --fail（不通过）说明结果");
    }
    Ok((
        a.id,
        Check {
            date: a.date.unwrap_or(today),
            passed: a.pass,
            by: a.by,
            note: a.note,
        },
    ))
}

pub fn run_circulars(
    dir: &Path,
    command: CircularsCmd,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let session = session(dir)?;
    let store = session.store();
    let units = store.unit_directory()?;
    let rules = store.settings()?.supervision;
    match command {
        CircularsCmd::Add {
            unit,
            enterprise,
            date,
            title,
            kind,
            issue,
            summary,
            follow_up,
            item,
        } => {
            let kind = match kind {
                Some(k) => CircularKind::parse(&k).ok_or_else(|| {
                    anyhow::anyhow!(
                        "无法识别的通报类别“{k}”（可用：工作推进情况通报、季度通报、事故通报、重大隐患通报）"
                    )
                })?,
                None => CircularKind::Progress,
            };
            let mut named = Vec::new();
            for u in &unit {
                named.push(Named {
                    unit: unit_id(&units, u)?,
                    member: true,
                    issue: issue.clone(),
                });
            }
            named.extend(enterprise.iter().map(|e| Named {
                unit: e.trim().to_owned(),
                member: false,
                issue: issue.clone(),
            }));
            let date = date.unwrap_or(today);
            save_and_say(
                &session,
                dir,
                SupAction::AddCircular {
                    date,
                    kind,
                    title,
                    summary,
                    named: named.clone(),
                    follow_up,
                    items: item,
                },
                out,
            )?;
            // The count each named unit now has, and the rule's consequence.
            let registers = session.store().supervision_registers()?;
            let counts = registers.circular_counts(date.year());
            if let Some(c) = registers.circulars.last() {
                writeln!(out, "期号：{}", c.number_text())?;
            }
            for n in &named {
                let count = counts.get(&n.unit).copied().unwrap_or(0);
                let name = if n.member {
                    units.name_of(&n.unit)
                } else {
                    n.unit.as_str()
                };
                let flag = flag_text(&rules, count, n.member);
                writeln!(out, "{name}：{}年第 {count} 次被通报{flag}", date.year())?;
            }
        }
        CircularsCmd::List { year, json } => {
            let year = year.unwrap_or(today.year());
            let registers = store.supervision_registers()?;
            let list: Vec<&anwei_core::supervision::Circular> = registers
                .circulars
                .iter()
                .filter(|c| c.year == year)
                .collect();
            let counts = registers.circular_counts(year);
            if json {
                #[derive(Serialize)]
                struct Count<'a> {
                    unit: &'a str,
                    name: &'a str,
                    member: bool,
                    count: u32,
                    deduction: Option<f64>,
                }
                #[derive(Serialize)]
                struct Out<'a> {
                    year: i32,
                    circulars: Vec<&'a anwei_core::supervision::Circular>,
                    counts: Vec<Count<'a>>,
                }
                let counts = counts
                    .iter()
                    .map(|(u, n)| {
                        let member = units.get(u).is_some();
                        Count {
                            unit: u,
                            name: if member { units.name_of(u) } else { u },
                            member,
                            count: *n,
                            deduction: member.then(|| rules.circular.deduction(*n)).flatten(),
                        }
                    })
                    .collect();
                serde_json::to_writer_pretty(
                    &mut *out,
                    &Out {
                        year,
                        circulars: list,
                        counts,
                    },
                )?;
                writeln!(out)?;
            } else {
                if list.is_empty() {
                    writeln!(out, "{year}年没有通报")?;
                }
                for c in &list {
                    let names: Vec<&str> = c
                        .named
                        .iter()
                        .map(|n| {
                            if n.member {
                                units.name_of(&n.unit)
                            } else {
                                n.unit.as_str()
                            }
                        })
                        .collect();
                    let void = c
                        .voided
                        .as_ref()
                        .map(|v| format!("  【已作废：{}】", v.reason))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "#{} {} {} {}《{}》 通报：{}{void}",
                        c.id,
                        c.number_text(),
                        day(c.date),
                        c.kind.label_zh(),
                        c.title,
                        if names.is_empty() {
                            "—".to_owned()
                        } else {
                            names.join("、")
                        }
                    )?;
                }
                if !counts.is_empty() {
                    writeln!(out, "{year}年被通报次数：")?;
                    for (u, n) in &counts {
                        let member = units.get(u).is_some();
                        let name = if member { units.name_of(u) } else { u.as_str() };
                        writeln!(out, "  {name}：{n} 次{}", flag_text(&rules, *n, member))?;
                    }
                }
            }
        }
        CircularsCmd::Void { id, reason } => {
            save_and_say(
                &session,
                dir,
                SupAction::VoidCircular {
                    id,
                    date: today,
                    reason,
                },
                out,
            )?;
        }
    }
    Ok(())
}

/// What the count means under the rule: the deduction (a member unit) or 停业整顿 (an
/// enterprise) at the threshold.
fn flag_text(rules: &SupervisionRules, count: u32, member: bool) -> String {
    if count < rules.circular.threshold {
        return String::new();
    }
    if member {
        match rules.circular.deduction(count) {
            Some(points) => format!(
                "（达到 {} 次，年度考核扣 {points} 分，即考核分值的 {}%）",
                rules.circular.threshold, rules.circular.percent
            ),
            None => String::new(),
        }
    } else {
        format!(
            "（达到 {} 次，由行业监督管理部门责令停业（停产）整顿）",
            rules.circular.threshold
        )
    }
}

pub fn run_talks(
    dir: &Path,
    command: TalksCmd,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let session = session(dir)?;
    let store = session.store();
    let units = store.unit_directory()?;
    match command {
        TalksCmd::Add {
            unit,
            date,
            persons,
            by,
            issues,
            commitments,
            follow_up,
            item,
        } => {
            save_and_say(
                &session,
                dir,
                SupAction::AddTalk {
                    date: date.unwrap_or(today),
                    unit: unit_id(&units, &unit)?,
                    persons,
                    by,
                    issues,
                    commitments,
                    follow_up,
                    item,
                },
                out,
            )?;
        }
        TalksCmd::List { json } => {
            let talks = store.supervision_registers()?.talks;
            if json {
                serde_json::to_writer_pretty(&mut *out, &talks)?;
                writeln!(out)?;
            } else if talks.is_empty() {
                writeln!(out, "没有约谈记录")?;
            } else {
                for t in &talks {
                    let follow = t
                        .follow_up
                        .map(|d| format!("  跟踪检查：{}", day(d)))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "#{} {} 约谈{}（{}），约谈人：{}。事由：{}。承诺：{}{follow}",
                        t.id,
                        day(t.date),
                        units.name_of(&t.unit),
                        t.persons,
                        t.by,
                        t.issues,
                        if t.commitments.is_empty() {
                            "—"
                        } else {
                            &t.commitments
                        }
                    )?;
                }
            }
        }
    }
    Ok(())
}

pub fn run_accidents(
    dir: &Path,
    command: AccidentsCmd,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let session = session(dir)?;
    let store = session.store();
    let units = store.unit_directory()?;
    match command {
        AccidentsCmd::Add {
            unit,
            date,
            grade,
            title,
            note,
        } => {
            save_and_say(
                &session,
                dir,
                SupAction::AddAccident {
                    date: date.unwrap_or(today),
                    unit: unit_id(&units, &unit)?,
                    grade: grade_of(&grade)?,
                    title,
                    note,
                },
                out,
            )?;
        }
        AccidentsCmd::List { json } => {
            let list = store.supervision_registers()?.accidents;
            if json {
                serde_json::to_writer_pretty(&mut *out, &list)?;
                writeln!(out)?;
            } else if list.is_empty() {
                writeln!(out, "没有登记事故")?;
            } else {
                for a in &list {
                    writeln!(
                        out,
                        "#{} {} {} {}：{}",
                        a.id,
                        day(a.date),
                        a.grade.label_zh(),
                        units.name_of(&a.unit),
                        a.title
                    )?;
                }
            }
        }
    }
    Ok(())
}

pub fn run_assessment(
    dir: &Path,
    args: AssessmentArgs,
    campaign: Option<&str>,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    if let Some(command) = args.command {
        let session = session(dir)?;
        let units = session.store().unit_directory()?;
        let action = match command {
            AssessmentCmd::Deduct {
                year,
                unit,
                item,
                points,
                reason,
            } => SupAction::AddDeduction {
                year,
                unit: unit_id(&units, &unit)?,
                item,
                points,
                reason,
            },
            AssessmentCmd::Undo { id, reason } => SupAction::RemoveDeduction {
                id,
                date: today,
                reason,
            },
        };
        save_and_say(&session, dir, action, out)?;
        return Ok(());
    }
    let session = open_synced(dir)?;
    let units = session.store().unit_directory()?;
    let year = args.year.unwrap_or(today.year());
    let unit = args.unit.map(|u| unit_id(&units, &u)).transpose()?;
    let a = session.assessment(year, campaign, unit.as_deref(), today)?;
    if args.json {
        #[derive(Serialize)]
        struct SheetJson<'a> {
            #[serde(flatten)]
            sheet: &'a anwei_core::assessment::Sheet,
            unit_name: &'a str,
            grade_label: &'static str,
        }
        #[derive(Serialize)]
        struct Out<'a> {
            year: i32,
            as_of: NaiveDate,
            campaign: &'a str,
            sheets: Vec<SheetJson<'a>>,
            problems: &'a [String],
        }
        let sheets = a
            .sheets
            .iter()
            .map(|s| SheetJson {
                sheet: s,
                unit_name: a.name_of(&s.unit),
                grade_label: s.grade.label_zh(),
            })
            .collect();
        serde_json::to_writer_pretty(
            &mut *out,
            &Out {
                year,
                as_of: a.as_of,
                campaign: &a.campaign,
                sheets,
                problems: &a.problems,
            },
        )?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "{year}年度安全生产目标责任考核（数据截至 {}）",
        day(a.as_of)
    )?;
    for p in &a.problems {
        writeln!(out, "注意：{p}")?;
    }
    for s in &a.sheets {
        writeln!(out)?;
        writeln!(
            out,
            "{}：{} 分（满分 {}），{}{}",
            a.name_of(&s.unit),
            s.total,
            s.full,
            s.grade.label_zh(),
            if s.remark.is_empty() {
                String::new()
            } else {
                format!("——{}", s.remark)
            }
        )?;
        for l in &s.lines {
            writeln!(out, "  {} {}/{} 分", l.name, l.score, l.points)?;
            for d in &l.deductions {
                writeln!(out, "    −{}：{}", d.points, d.cause)?;
            }
        }
        for d in &s.automatic {
            writeln!(out, "  −{}：{}", d.points, d.cause)?;
        }
    }
    if a.sheets.is_empty() {
        writeln!(out, "没有可考核的单位")?;
    }
    Ok(())
}

#[derive(Debug, Subcommand)]
pub enum HazardsCmd {
    /// 列出隐患（问题隐患清单）：已登记、治理中、复查未通过、复查合格、已销号
    List {
        /// 只列这个监管单位的（名称或别名）
        #[arg(long, value_name = "单位")]
        unit: Option<String>,
        /// 只列这种状态的
        #[arg(long, value_name = "状态")]
        state: Option<String>,
        /// 只列这一级的：一般、重大
        #[arg(long, value_name = "等级")]
        grade: Option<String>,
        /// 只列逾期未整改的
        #[arg(long)]
        overdue: bool,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 登记一项排查出的隐患（重大隐患同时挂牌督办）
    Add {
        /// 隐患所在单位或场所
        #[arg(long, value_name = "单位或场所")]
        place: String,
        /// 隐患描述
        #[arg(long, value_name = "描述")]
        description: String,
        /// 负有监管责任的单位（名称或别名）
        #[arg(long, value_name = "单位")]
        unit: String,
        /// 整改时限（YYYY-MM-DD）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        deadline: NaiveDate,
        /// 等级：一般（默认）、重大
        #[arg(long, value_name = "等级")]
        grade: Option<String>,
        /// 排查日期（默认 --today）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        found: Option<NaiveDate>,
        /// 排查单位或人员
        #[arg(long, value_name = "单位", default_value = "")]
        found_by: String,
        /// 行业（插件编号，例如 coal-mining）
        #[arg(long, value_name = "行业")]
        sector: Option<String>,
        /// 隐患类别：引用判定条目时为行业的隐患类别（编号或名称，见 hazards standards），否则自填
        #[arg(long, value_name = "类别", default_value = "")]
        category: String,
        /// 所引行业判定条目的编号（需同时给出 --sector 和 --category；属重大事故隐患的条目使等级为重大）
        #[arg(long, value_name = "条目")]
        clause: Option<String>,
        /// 依据的判定标准条款（引用判定条目时默认为该类别的判定标准）
        #[arg(long, value_name = "条款")]
        standard: Option<String>,
        /// 关联的任务编号（可多次使用）
        #[arg(long, value_name = "任务")]
        task: Vec<String>,
        /// 重大隐患的挂牌督办级别：区级、市级、省级（默认按规则）
        #[arg(long, value_name = "级别")]
        level: Option<String>,
    },
    /// 列出各行业插件提供的隐患类别和判定条目（登记隐患时以 --sector --category --clause 引用）
    Standards {
        /// 只列这个行业的（插件编号，例如 non-coal-mines）
        #[arg(long, value_name = "行业")]
        sector: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 落实五到位整改（责任、措施、资金、时限、预案）
    Rectify {
        #[arg(value_name = "编号")]
        id: u64,
        /// 责任人
        #[arg(long, value_name = "责任人")]
        responsible: String,
        /// 整改措施
        #[arg(long, value_name = "措施")]
        measures: String,
        /// 资金，例如“8万元”
        #[arg(long, value_name = "资金")]
        funds: String,
        /// 应急预案
        #[arg(long, value_name = "预案")]
        contingency: String,
        /// 时限（默认为登记时的整改时限，不能晚于它）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        deadline: Option<NaiveDate>,
        /// 日期（默认 --today）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
    /// 复查：--pass 合格，--fail 不合格（须写 --note）
    Recheck(CheckArgs),
    /// 销号（复查合格之后；重大隐患同时摘牌）
    Close {
        #[arg(value_name = "编号")]
        id: u64,
        /// 销号日期（默认 --today）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RewardsCmd {
    /// 登记一件举报及其奖励（选定档次，金额须在该档范围内）
    Add {
        /// 举报人（或匿名编号）
        #[arg(long, value_name = "举报人")]
        reporter: String,
        /// 举报内容
        #[arg(long, value_name = "内容")]
        content: String,
        /// 档次：一般（50—300元）、较大（300—1000元）、重大（1000—2000元）、特别重大（2000—10000元）、职业病（500元）
        #[arg(long, value_name = "档次")]
        tier: String,
        /// 奖励金额（元）
        #[arg(long, value_name = "元")]
        amount: u32,
        /// 查实后登记的隐患编号
        #[arg(long, value_name = "编号")]
        hazard: Option<u64>,
        /// 举报日期（默认 --today）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
    /// 登记奖励已发放
    Pay {
        #[arg(value_name = "编号")]
        id: u64,
        /// 发放日期（默认 --today）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// 发放说明
        #[arg(long, value_name = "说明", default_value = "")]
        text: String,
    },
    /// 举报奖励登记簿
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ListsCmd {
    /// 两个清单：问题隐患清单、制度措施清单
    List {
        /// 只列这一个清单：问题隐患清单、制度措施清单
        #[arg(long, value_name = "清单")]
        list: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 新增一条
    Add {
        /// 清单：问题隐患清单、制度措施清单
        #[arg(long, value_name = "清单")]
        list: String,
        /// 责任单位（名称或别名）
        #[arg(long, value_name = "单位")]
        unit: String,
        /// 问题，或制度、措施
        #[arg(long, value_name = "内容")]
        text: String,
        /// 整改措施或落实方式
        #[arg(long, value_name = "措施", default_value = "")]
        measures: String,
        /// 时限
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        deadline: Option<NaiveDate>,
        /// 关联的任务编号（可多次使用）
        #[arg(long, value_name = "任务")]
        task: Vec<String>,
        /// 关联的隐患编号（可多次使用）
        #[arg(long, value_name = "编号")]
        hazard: Vec<u64>,
        /// 列入日期（默认 --today）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
    /// 登记一条已完成（问题已整改，制度措施已建立）
    Done {
        #[arg(value_name = "编号")]
        id: u64,
        /// 完成情况
        #[arg(long, value_name = "情况")]
        text: String,
        /// 日期（默认 --today）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
}

fn hazard_line(
    h: &anwei_core::supervision::Hazard,
    units: &UnitDirectory,
    today: NaiveDate,
) -> String {
    let deadline = h.plan.as_ref().map_or(h.deadline, |p| p.deadline);
    let late = if h.overdue(today) { "  逾期" } else { "" };
    let hung = h
        .item
        .map(|i| format!("  挂牌督办：督办事项 #{i}"))
        .unwrap_or_default();
    let standard = h
        .standard
        .as_deref()
        .map(|s| format!("  依据：{s}"))
        .unwrap_or_default();
    let clause = h
        .clause
        .as_ref()
        .map(|k| format!("  判定条目：{} 第{}条 {}", h.category, k.clause, k.text))
        .unwrap_or_default();
    format!(
        "#{} [{}] {}：{}  监管单位：{}  排查：{}  时限：{}  {}{late}{hung}{standard}{clause}",
        h.id,
        h.grade.label_zh(),
        h.place,
        h.description,
        units.name_of(&h.unit),
        day(h.found),
        day(deadline),
        h.state().label_zh(),
    )
}

/// The checklist item `clause` of `category` (id or name) of `sector`'s plugin, and whether
/// it is a 重大事故隐患; what is unknown is said with what there is.
fn cited_clause(
    store: &anwei_store::Store,
    sector: Option<&str>,
    category: &str,
    clause: &str,
) -> Result<(anwei_core::supervision::ClauseRef, bool)> {
    let Some(sector) = sector else {
        anyhow::bail!("引用判定条目（--clause）时须以 --sector 指明行业");
    };
    let record = store.sector_record(sector)?;
    let hazards = record.map(|r| r.hazards).unwrap_or_default();
    if hazards.is_empty() {
        let with: Vec<String> = store
            .sector_records()?
            .into_iter()
            .filter(|r| !r.hazards.is_empty())
            .map(|r| r.sector)
            .collect();
        anyhow::bail!(
            "行业“{sector}”没有插件提供的判定条目（有判定条目的行业：{}）",
            if with.is_empty() {
                "无".to_owned()
            } else {
                with.join("、")
            }
        );
    }
    let Some(c) = hazards
        .iter()
        .find(|c| c.id == category.trim() || c.name == category.trim())
    else {
        let names: Vec<String> = hazards
            .iter()
            .map(|c| format!("{}（{}）", c.id, c.name))
            .collect();
        anyhow::bail!(
            "行业“{sector}”没有隐患类别“{category}”（可用：{}）",
            names.join("、")
        );
    };
    let Some(k) = c.clause(clause.trim()) else {
        let ids: Vec<&str> = c.clauses.iter().map(|k| k.id.as_str()).collect();
        anyhow::bail!(
            "隐患类别“{}”没有判定条目“{clause}”（可用：{}；见 hazards standards --sector {sector}）",
            c.name,
            ids.join("、")
        );
    };
    Ok((
        anwei_core::supervision::ClauseRef {
            category: c.id.clone(),
            clause: k.id.clone(),
        },
        k.major,
    ))
}

/// `hazards standards`: each sector's categories and items, as its plugin states them.
fn print_standards(
    store: &anwei_store::Store,
    sector: Option<&str>,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let records: Vec<anwei_core::SectorRecord> = store
        .sector_records()?
        .into_iter()
        .filter(|r| sector.is_none_or(|s| r.sector == s) && !r.hazards.is_empty())
        .collect();
    if let Some(s) = sector
        && records.is_empty()
    {
        anyhow::bail!("行业“{s}”没有插件提供的判定条目");
    }
    if json {
        #[derive(Serialize)]
        struct S<'a> {
            sector: &'a str,
            plugin_version: &'a str,
            categories: &'a [anwei_core::HazardCategory],
        }
        let rows: Vec<S> = records
            .iter()
            .map(|r| S {
                sector: &r.sector,
                plugin_version: &r.plugin_version,
                categories: &r.hazards,
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)?;
        return Ok(());
    }
    if records.is_empty() {
        writeln!(out, "没有插件提供判定条目")?;
    }
    for r in &records {
        writeln!(out, "{}（插件 {}）", r.sector, r.plugin_version)?;
        for c in &r.hazards {
            match &c.standard {
                Some(s) => writeln!(out, "  {} {}　判定标准：{s}", c.id, c.name)?,
                None => writeln!(out, "  {} {}", c.id, c.name)?,
            }
            for k in &c.clauses {
                let major = if k.major { "【重大】" } else { "" };
                writeln!(out, "    {}. {major}{}", k.id, k.text)?;
            }
        }
    }
    Ok(())
}

pub fn run_hazards(
    dir: &Path,
    command: HazardsCmd,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    use anwei_core::supervision::{FiveInPlace, HazardFilter, HazardGrade, HazardState};
    let session = session(dir)?;
    let store = session.store();
    let units = store.unit_directory()?;
    let grade_of = |g: &str| {
        HazardGrade::parse(g)
            .ok_or_else(|| anyhow::anyhow!("无法识别的隐患等级“{g}”（可用：一般、重大）"))
    };
    match command {
        HazardsCmd::List {
            unit,
            state,
            grade,
            overdue,
            json,
        } => {
            let registers = store.supervision_registers()?;
            let filter = HazardFilter {
                unit: unit.map(|u| unit_id(&units, &u)).transpose()?,
                state: match state {
                    Some(s) => Some(HazardState::parse(&s).ok_or_else(|| {
                        anyhow::anyhow!(
                            "无法识别的状态“{s}”（可用：已登记、治理中、复查未通过、复查合格、已销号）"
                        )
                    })?),
                    None => None,
                },
                grade: grade.as_deref().map(grade_of).transpose()?,
                sector: None,
                overdue,
                text: String::new(),
            };
            let list = filter.apply(&registers.hazards, today);
            if json {
                #[derive(Serialize)]
                struct H<'a> {
                    #[serde(flatten)]
                    hazard: &'a anwei_core::supervision::Hazard,
                    unit_name: &'a str,
                    state: HazardState,
                    state_label: &'static str,
                    overdue: bool,
                }
                let rows: Vec<H> = list
                    .iter()
                    .map(|h| H {
                        hazard: h,
                        unit_name: units.name_of(&h.unit),
                        state: h.state(),
                        state_label: h.state().label_zh(),
                        overdue: h.overdue(today),
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &rows)?;
                writeln!(out)?;
            } else if list.is_empty() {
                writeln!(out, "没有符合条件的隐患")?;
            } else {
                for h in list {
                    writeln!(out, "{}", hazard_line(h, &units, today))?;
                }
            }
        }
        HazardsCmd::Add {
            place,
            description,
            unit,
            deadline,
            grade,
            found,
            found_by,
            sector,
            category,
            clause,
            standard,
            task,
            level,
        } => {
            let cited = match &clause {
                None => None,
                Some(k) => Some(cited_clause(store, sector.as_deref(), &category, k)?),
            };
            // A 重大事故隐患 item grades the hazard 重大 unless a grade is given (a lower one
            // is refused by the store, with why).
            let grade = grade.as_deref().map(grade_of).transpose()?.unwrap_or(
                if cited.as_ref().is_some_and(|(_, major)| *major) {
                    HazardGrade::Major
                } else {
                    HazardGrade::General
                },
            );
            let level = level.as_deref().map(level_of).transpose()?;
            let found = found.unwrap_or(today);
            let supervisor = match store.campaign_scope(None, today)? {
                Some(scope) => store.settings()?.issuing_office(&scope.campaign),
                None => "安委办".to_owned(),
            };
            save_and_say(
                &session,
                dir,
                SupAction::AddHazard {
                    found,
                    found_by,
                    place,
                    sector,
                    category,
                    standard,
                    clause: cited.map(|(r, _)| Box::new(r)),
                    description,
                    grade,
                    unit: unit_id(&units, &unit)?,
                    registered: today.max(found),
                    deadline,
                    tasks: task,
                    level,
                    supervisor,
                },
                out,
            )?;
        }
        HazardsCmd::Standards { sector, json } => {
            print_standards(store, sector.as_deref(), json, out)?;
        }
        HazardsCmd::Rectify {
            id,
            responsible,
            measures,
            funds,
            contingency,
            deadline,
            date,
        } => {
            let registers = store.supervision_registers()?;
            let Some(h) = registers.hazards.iter().find(|h| h.id == id) else {
                bail!("没有隐患 #{id}；用 `anwei hazards list` 查看");
            };
            save_and_say(
                &session,
                dir,
                SupAction::RectifyHazard {
                    id,
                    plan: FiveInPlace {
                        responsible,
                        measures,
                        funds,
                        deadline: deadline.unwrap_or(h.deadline),
                        contingency,
                        date: date.unwrap_or(today),
                    },
                },
                out,
            )?;
        }
        HazardsCmd::Recheck(a) => {
            let (id, check) = check_of(a, today)?;
            save_and_say(&session, dir, SupAction::RecheckHazard { id, check }, out)?;
        }
        HazardsCmd::Close { id, date } => {
            save_and_say(
                &session,
                dir,
                SupAction::CloseHazard {
                    id,
                    date: date.unwrap_or(today),
                },
                out,
            )?;
        }
    }
    Ok(())
}

fn tier_of(text: &str) -> Result<anwei_core::accountability::RewardTier> {
    use anwei_core::accountability::RewardTier;
    let t = text.trim();
    let tier = match t {
        "一般" | "违法行为" | "一般事故隐患" => Some(RewardTier::Ordinary),
        "较大" | "较大事故隐患" => Some(RewardTier::Larger),
        "重大" | "重大事故隐患" | "严重违法行为" => Some(RewardTier::Major),
        "特别重大" | "特别重大事故隐患" | "特别严重违法行为" => {
            Some(RewardTier::Extraordinary)
        }
        "职业病" | "职业病危害" => Some(RewardTier::OccupationalHealth),
        _ => [
            RewardTier::Ordinary,
            RewardTier::Larger,
            RewardTier::Major,
            RewardTier::Extraordinary,
            RewardTier::OccupationalHealth,
        ]
        .into_iter()
        .find(|r| r.label_zh() == t),
    };
    tier.ok_or_else(|| {
        anyhow::anyhow!("无法识别的奖励档次“{t}”（可用：一般、较大、重大、特别重大、职业病）")
    })
}

pub fn run_rewards(
    dir: &Path,
    command: RewardsCmd,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let session = session(dir)?;
    let store = session.store();
    match command {
        RewardsCmd::Add {
            reporter,
            content,
            tier,
            amount,
            hazard,
            date,
        } => {
            save_and_say(
                &session,
                dir,
                SupAction::AddReward {
                    date: date.unwrap_or(today),
                    reporter,
                    content,
                    hazard,
                    tier: tier_of(&tier)?,
                    amount,
                },
                out,
            )?;
        }
        RewardsCmd::Pay { id, date, text } => {
            save_and_say(
                &session,
                dir,
                SupAction::PayReward {
                    id,
                    date: date.unwrap_or(today),
                    text,
                },
                out,
            )?;
        }
        RewardsCmd::List { json } => {
            let list = store.supervision_registers()?.rewards;
            if json {
                serde_json::to_writer_pretty(&mut *out, &list)?;
                writeln!(out)?;
            } else if list.is_empty() {
                writeln!(out, "没有举报奖励登记")?;
            } else {
                let mut owed = 0u64;
                let mut paid = 0u64;
                for r in &list {
                    let state = match &r.paid {
                        Some(p) => {
                            paid += u64::from(r.amount);
                            format!("已发放（{}）", day(p.date))
                        }
                        None => {
                            owed += u64::from(r.amount);
                            "待发放".to_owned()
                        }
                    };
                    let hazard = r.hazard.map(|h| format!("  隐患 #{h}")).unwrap_or_default();
                    writeln!(
                        out,
                        "#{} {} {}：{}  {}  {} 元  {state}{hazard}",
                        r.id,
                        day(r.date),
                        r.reporter,
                        r.content,
                        r.tier.label_zh(),
                        r.amount
                    )?;
                }
                writeln!(out, "合计：已发放 {paid} 元，待发放 {owed} 元")?;
            }
        }
    }
    Ok(())
}

pub fn run_lists(
    dir: &Path,
    command: ListsCmd,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    use anwei_core::supervision::ListKind;
    let session = session(dir)?;
    let store = session.store();
    let units = store.unit_directory()?;

    match command {
        ListsCmd::List { list, json } => {
            let only = list.as_deref().map(list_of).transpose()?;
            let entries: Vec<anwei_core::supervision::ListEntry> = store
                .supervision_registers()?
                .lists
                .into_iter()
                .filter(|e| only.is_none_or(|l| e.list == l))
                .collect();
            if json {
                serde_json::to_writer_pretty(&mut *out, &entries)?;
                writeln!(out)?;
            } else {
                for kind in [ListKind::Problems, ListKind::Measures] {
                    if only.is_some_and(|l| l != kind) {
                        continue;
                    }
                    writeln!(out, "{}", kind.label_zh())?;
                    let mine: Vec<&anwei_core::supervision::ListEntry> =
                        entries.iter().filter(|e| e.list == kind).collect();
                    if mine.is_empty() {
                        writeln!(out, "  （空）")?;
                    }
                    for e in mine {
                        let deadline = e
                            .deadline
                            .map(|d| format!("  时限：{}", day(d)))
                            .unwrap_or_default();
                        let links: Vec<String> = e
                            .tasks
                            .iter()
                            .map(|t| format!("任务 {t}"))
                            .chain(e.hazards.iter().map(|h| format!("隐患 #{h}")))
                            .collect();
                        let links = if links.is_empty() {
                            String::new()
                        } else {
                            format!("  关联：{}", links.join("、"))
                        };
                        writeln!(
                            out,
                            "  #{} {}  责任单位：{}{deadline}  {}{links}",
                            e.id,
                            e.text,
                            units.name_of(&e.unit),
                            e.status_zh(today)
                        )?;
                    }
                }
            }
        }
        ListsCmd::Add {
            list,
            unit,
            text,
            measures,
            deadline,
            task,
            hazard,
            date,
        } => {
            save_and_say(
                &session,
                dir,
                SupAction::AddListEntry {
                    list: list_of(&list)?,
                    unit: unit_id(&units, &unit)?,
                    text,
                    measures,
                    deadline,
                    tasks: task,
                    hazards: hazard,
                    date: date.unwrap_or(today),
                },
                out,
            )?;
        }
        ListsCmd::Done { id, text, date } => {
            save_and_say(
                &session,
                dir,
                SupAction::CompleteListEntry {
                    id,
                    date: date.unwrap_or(today),
                    text,
                },
                out,
            )?;
        }
    }
    Ok(())
}
