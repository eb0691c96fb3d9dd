//! The commands of the supervision registers ([`crate::Command::Supervise`]): what each
//! says, its checks before it meets the stored state, its words in the audit trail. The
//! change each makes is computed in `transition::supervise`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::accountability::{AccidentGrade, Step};
use crate::limits::{
    MAX_NAME_CHARS, MAX_PROGRESS_TEXT_CHARS, MAX_SHORT_TEXT_CHARS, TooLarge, check_chars,
    check_count,
};
use crate::supervision::{
    Check, CircularKind, ClauseRef, FiveInPlace, HazardGrade, Level, ListKind, Named, Source,
    SupervisionRules,
};

/// Most units (and enterprises) one 通报 names; most 督办事项 its 附件 lists.
pub const MAX_NAMED: usize = 500;

/// A change to the supervision registers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum SupAction {
    /// A new 督办事项 (awaiting its unit's 接收).
    AddItem {
        title: String,
        source: Source,
        level: Level,
        unit: String,
        supervisor: String,
        acceptor: String,
        opened: NaiveDate,
        deadline: NaiveDate,
    },
    /// The responsible unit's 接收 (签收).
    ReceiveItem { id: u64, date: NaiveDate },
    /// A ladder step taken (a later one than the last, or the same again), with the
    /// document it was made with.
    TakeStep {
        id: u64,
        step: Step,
        date: NaiveDate,
        #[serde(default)]
        note: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        document: Option<String>,
    },
    /// The unit reports it done (完成; 逾期完成 after the deadline).
    CompleteItem {
        id: u64,
        date: NaiveDate,
        text: String,
    },
    /// 验收 (审核) of a completion.
    CheckItem { id: u64, check: Check },
    /// A written explanation (逾期 or 验收未通过).
    ExplainItem {
        id: u64,
        date: NaiveDate,
        text: String,
    },
    /// 销号, after a passed 验收, with the 回头看 day (`None`: the rules' default).
    CloseItem {
        id: u64,
        date: NaiveDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lookback: Option<NaiveDate>,
    },
    /// The 回头看 done.
    LookBack { id: u64, check: Check },
    /// A 通报, under the next 期号 of its year.
    AddCircular {
        date: NaiveDate,
        kind: CircularKind,
        title: String,
        #[serde(default)]
        summary: String,
        named: Vec<Named>,
        #[serde(default)]
        follow_up: String,
        #[serde(default)]
        items: Vec<u64>,
    },
    /// Voids a 通报 (its 期号 stays used; it counts no more).
    VoidCircular {
        id: u64,
        date: NaiveDate,
        reason: String,
    },
    /// A 约谈 record.
    AddTalk {
        date: NaiveDate,
        unit: String,
        persons: String,
        by: String,
        issues: String,
        #[serde(default)]
        commitments: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        follow_up: Option<NaiveDate>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        item: Option<u64>,
    },
    /// An accident charged to a unit.
    AddAccident {
        date: NaiveDate,
        unit: String,
        grade: AccidentGrade,
        title: String,
        #[serde(default)]
        note: String,
    },
    /// A hand-made deduction on a unit's 考核 sheet.
    AddDeduction {
        year: i32,
        unit: String,
        item: String,
        points: f64,
        reason: String,
    },
    /// Takes back a hand-made deduction (kept, marked withdrawn, with the reason).
    RemoveDeduction {
        id: u64,
        date: NaiveDate,
        reason: String,
    },
    /// The office's rules (ladder, 通报 rule, 考核 items and deductions).
    SetRules { rules: SupervisionRules },
    /// A hazard found (排查) and registered (登记). A 重大隐患 is also hung up for 挂牌督办 at
    /// `level` (the rules' level when `None`) by `supervisor`: a 督办事项 of its own.
    AddHazard {
        found: NaiveDate,
        #[serde(default)]
        found_by: String,
        place: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sector: Option<String>,
        #[serde(default)]
        category: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        standard: Option<String>,
        /// The item of the sector's checklist it is found under (`sector` names the sector):
        /// the category and standard come from it, and an item the source calls a 重大事故
        /// 隐患 makes the grade 重大.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        clause: Option<Box<ClauseRef>>,
        description: String,
        grade: HazardGrade,
        unit: String,
        registered: NaiveDate,
        deadline: NaiveDate,
        #[serde(default)]
        tasks: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        level: Option<Level>,
        supervisor: String,
    },
    /// The 五到位 rectification plan (治理); set again, it replaces the one before.
    RectifyHazard { id: u64, plan: FiveInPlace },
    /// 复查 of a rectification (a 重大隐患's 挂牌 item gets its completion and 验收 with it).
    RecheckHazard { id: u64, check: Check },
    /// 销号 after a passed 复查 (a 重大隐患's 挂牌 item is closed — 摘牌 — with it).
    CloseHazard { id: u64, date: NaiveDate },
    /// A report of a hazard or violation and its reward (tier chosen, amount checked).
    AddReward {
        date: NaiveDate,
        reporter: String,
        content: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        hazard: Option<u64>,
        tier: crate::accountability::RewardTier,
        amount: u32,
    },
    /// The reward paid (发放).
    PayReward {
        id: u64,
        date: NaiveDate,
        #[serde(default)]
        text: String,
    },
    /// An entry of 两个清单.
    AddListEntry {
        list: ListKind,
        unit: String,
        text: String,
        #[serde(default)]
        measures: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deadline: Option<NaiveDate>,
        #[serde(default)]
        tasks: Vec<String>,
        #[serde(default)]
        hazards: Vec<u64>,
        date: NaiveDate,
    },
    /// An entry done: a problem 已整改, a measure 已建立.
    CompleteListEntry {
        id: u64,
        date: NaiveDate,
        text: String,
    },
    /// Issues (签发) a ladder step's document for an item under the next 文号 of `year`
    /// (the 督 series the 督办通知书 use), with its PDF kept for reprinting; the step is
    /// taken with it, naming the 文号.
    IssueLetter {
        item: u64,
        step: Step,
        year: i32,
        number: u32,
        /// 成文日期 (the step's day).
        date: NaiveDate,
        /// By when the unit is to act (a 约谈: its day).
        reply_by: NaiveDate,
        /// 主送: the responsible unit's name.
        recipient: String,
        #[serde(default)]
        file: Option<String>,
        #[serde(default)]
        doc_prefix: String,
        /// The issued PDF (never serialised: the audit trail names its SHA-256).
        #[serde(skip)]
        pdf: Vec<u8>,
    },
}

impl SupAction {
    pub fn tag(&self) -> &'static str {
        match self {
            SupAction::AddItem { .. } => "add_supervision_item",
            SupAction::ReceiveItem { .. } => "receive_supervision_item",
            SupAction::TakeStep { .. } => "take_supervision_step",
            SupAction::CompleteItem { .. } => "complete_supervision_item",
            SupAction::CheckItem { .. } => "check_supervision_item",
            SupAction::ExplainItem { .. } => "explain_supervision_item",
            SupAction::CloseItem { .. } => "close_supervision_item",
            SupAction::LookBack { .. } => "look_back_supervision_item",
            SupAction::AddCircular { .. } => "add_circular",
            SupAction::VoidCircular { .. } => "void_circular",
            SupAction::AddTalk { .. } => "add_talk",
            SupAction::AddAccident { .. } => "add_accident",
            SupAction::AddDeduction { .. } => "add_assessment_deduction",
            SupAction::RemoveDeduction { .. } => "remove_assessment_deduction",
            SupAction::SetRules { .. } => "set_supervision_rules",
            SupAction::AddHazard { .. } => "add_hazard",
            SupAction::RectifyHazard { .. } => "rectify_hazard",
            SupAction::RecheckHazard { .. } => "recheck_hazard",
            SupAction::CloseHazard { .. } => "close_hazard",
            SupAction::AddReward { .. } => "add_reward",
            SupAction::PayReward { .. } => "pay_reward",
            SupAction::AddListEntry { .. } => "add_list_entry",
            SupAction::CompleteListEntry { .. } => "complete_list_entry",
            SupAction::IssueLetter { .. } => "issue_supervision_letter",
        }
    }

    /// Whether it makes a new row. Supervision rows are numbered per kind (督办事项 #1, #2…),
    /// one after the last, by the transition: they take no id from the store.
    pub fn makes_row(&self) -> bool {
        matches!(
            self,
            SupAction::AddItem { .. }
                | SupAction::AddCircular { .. }
                | SupAction::AddTalk { .. }
                | SupAction::AddAccident { .. }
                | SupAction::AddDeduction { .. }
                | SupAction::AddHazard { .. }
                | SupAction::AddReward { .. }
                | SupAction::AddListEntry { .. }
        )
    }

    pub fn describe(&self) -> String {
        match self {
            SupAction::AddItem { title, .. } => format!("新增督办事项“{title}”"),
            SupAction::ReceiveItem { id, .. } => format!("督办事项 #{id} 已接收"),
            SupAction::TakeStep { id, step, .. } => {
                format!("督办事项 #{id}：{}", step.label_zh())
            }
            SupAction::CompleteItem { id, .. } => format!("督办事项 #{id} 报告完成"),
            SupAction::CheckItem { id, check } => format!(
                "督办事项 #{id} 验收{}",
                if check.passed { "通过" } else { "未通过" }
            ),
            SupAction::ExplainItem { id, .. } => format!("督办事项 #{id} 书面说明"),
            SupAction::CloseItem { id, .. } => format!("督办事项 #{id} 销号"),
            SupAction::LookBack { id, .. } => format!("督办事项 #{id} 回头看"),
            SupAction::AddCircular { title, .. } => format!("新增通报“{title}”"),
            SupAction::VoidCircular { id, .. } => format!("作废通报 #{id}"),
            SupAction::AddTalk { .. } => "新增约谈记录".to_owned(),
            SupAction::AddAccident { title, grade, .. } => {
                format!("登记{}“{title}”", grade.label_zh())
            }
            SupAction::AddDeduction {
                year, item, points, ..
            } => {
                format!("{year}年考核“{item}”扣 {points} 分")
            }
            SupAction::RemoveDeduction { id, .. } => format!("撤销考核扣分 #{id}"),
            SupAction::SetRules { .. } => "修改督办与考核规则".to_owned(),
            SupAction::AddHazard {
                grade, description, ..
            } => format!("登记{}“{description}”", grade.label_zh()),
            SupAction::RectifyHazard { id, .. } => format!("隐患 #{id} 落实五到位整改"),
            SupAction::RecheckHazard { id, check } => format!(
                "隐患 #{id} 复查{}",
                if check.passed { "合格" } else { "不合格" }
            ),
            SupAction::CloseHazard { id, .. } => format!("隐患 #{id} 销号"),
            SupAction::AddReward { amount, .. } => format!("登记举报奖励 {amount} 元"),
            SupAction::PayReward { id, .. } => format!("举报奖励 #{id} 已发放"),
            SupAction::AddListEntry { list, text, .. } => {
                format!("{}新增“{text}”", list.label_zh())
            }
            SupAction::CompleteListEntry { id, .. } => format!("清单条目 #{id} 已完成"),
            SupAction::IssueLetter {
                item,
                step,
                year,
                number,
                doc_prefix,
                ..
            } => format!(
                "签发{}{doc_prefix}〔{year}〕{number}号（督办事项 #{item}）",
                step.document_zh().unwrap_or("督办文书")
            ),
        }
    }

    /// Sizes within the limits.
    pub fn check_limits(&self) -> Result<(), TooLarge> {
        let short = |what: &str, s: &str| check_chars(what, s, MAX_SHORT_TEXT_CHARS);
        let long = |what: &str, s: &str| check_chars(what, s, MAX_PROGRESS_TEXT_CHARS);
        let check = |c: &Check| {
            short("验收人", &c.by)?;
            long("验收意见", &c.note)
        };
        match self {
            SupAction::AddItem {
                title,
                source,
                unit,
                supervisor,
                acceptor,
                ..
            } => {
                long("督办事项", title)?;
                short("来源", &source.reference)?;
                short("任务编号", source.task.as_deref().unwrap_or_default())?;
                short("责任单位", unit)?;
                short("督办单位", supervisor)?;
                short("验收单位", acceptor)
            }
            SupAction::TakeStep { note, document, .. } => {
                long("督办情况", note)?;
                short("文号", document.as_deref().unwrap_or_default())
            }
            SupAction::CompleteItem { text, .. } => long("完成情况", text),
            SupAction::ExplainItem { text, .. } => long("书面说明", text),
            SupAction::CheckItem { check: c, .. } | SupAction::LookBack { check: c, .. } => {
                check(c)
            }
            SupAction::AddCircular {
                title,
                summary,
                named,
                follow_up,
                items,
                ..
            } => {
                short("通报标题", title)?;
                long("总体情况", summary)?;
                long("上期问题整改情况", follow_up)?;
                check_count("通报的单位", named.len(), MAX_NAMED)?;
                check_count("通报的督办事项", items.len(), MAX_NAMED)?;
                named.iter().try_for_each(|n| {
                    short("被通报单位", &n.unit)?;
                    long("通报事由", &n.issue)
                })
            }
            SupAction::VoidCircular { reason, .. } => short("作废理由", reason),
            SupAction::AddTalk {
                unit,
                persons,
                by,
                issues,
                commitments,
                ..
            } => {
                short("约谈单位", unit)?;
                short("被约谈人", persons)?;
                short("约谈人", by)?;
                long("约谈事由", issues)?;
                long("整改承诺", commitments)
            }
            SupAction::AddAccident {
                unit, title, note, ..
            } => {
                short("事故单位", unit)?;
                short("事故名称", title)?;
                long("事故情况", note)
            }
            SupAction::AddDeduction {
                unit, item, reason, ..
            } => {
                short("单位", unit)?;
                check_chars("考核项目", item, MAX_NAME_CHARS)?;
                short("扣分理由", reason)
            }
            SupAction::SetRules { rules } => {
                check_count("考核项目", rules.items.len(), 100)?;
                rules
                    .items
                    .iter()
                    .try_for_each(|i| check_chars("考核项目", &i.name, MAX_NAME_CHARS))
            }
            SupAction::RemoveDeduction { reason, .. } => short("撤销理由", reason),
            SupAction::AddHazard {
                found_by,
                place,
                sector,
                category,
                standard,
                clause,
                description,
                unit,
                tasks,
                supervisor,
                ..
            } => {
                short("排查单位", found_by)?;
                short("隐患所在单位或场所", place)?;
                short("行业", sector.as_deref().unwrap_or_default())?;
                short("隐患类别", category)?;
                short("判定标准", standard.as_deref().unwrap_or_default())?;
                if let Some(c) = clause {
                    short("隐患类别编号", &c.category)?;
                    short("判定条目编号", &c.clause)?;
                }
                long("隐患描述", description)?;
                short("监管单位", unit)?;
                short("督办单位", supervisor)?;
                check_count("关联任务", tasks.len(), MAX_NAMED)?;
                tasks.iter().try_for_each(|t| short("任务编号", t))
            }
            SupAction::RectifyHazard { plan, .. } => {
                short("责任", &plan.responsible)?;
                long("措施", &plan.measures)?;
                short("资金", &plan.funds)?;
                long("预案", &plan.contingency)
            }
            SupAction::RecheckHazard { check: c, .. } => check(c),
            SupAction::AddReward {
                reporter, content, ..
            } => {
                short("举报人", reporter)?;
                long("举报内容", content)
            }
            SupAction::PayReward { text, .. } => long("发放说明", text),
            SupAction::AddListEntry {
                unit,
                text,
                measures,
                tasks,
                hazards,
                ..
            } => {
                short("责任单位", unit)?;
                long("清单内容", text)?;
                long("措施", measures)?;
                check_count("关联任务", tasks.len(), MAX_NAMED)?;
                check_count("关联隐患", hazards.len(), MAX_NAMED)?;
                tasks.iter().try_for_each(|t| short("任务编号", t))
            }
            SupAction::CompleteListEntry { text, .. } => long("完成情况", text),
            SupAction::IssueLetter {
                recipient,
                file,
                doc_prefix,
                pdf,
                ..
            } => {
                short("主送单位", recipient)?;
                short("机关代字", doc_prefix)?;
                check_chars(
                    "文件路径",
                    file.as_deref().unwrap_or_default(),
                    crate::limits::MAX_PATH_CHARS,
                )?;
                check_count(
                    "文书 PDF 的字节数",
                    pdf.len(),
                    crate::limits::MAX_NOTICE_PDF_BYTES,
                )
            }
            SupAction::ReceiveItem { .. }
            | SupAction::CloseItem { .. }
            | SupAction::CloseHazard { .. } => Ok(()),
        }
    }

    /// Names and titles on one line: (what, text) pairs to check.
    pub fn single_line_texts(&self) -> Vec<(&'static str, &str)> {
        match self {
            SupAction::AddItem {
                source,
                unit,
                supervisor,
                acceptor,
                ..
            } => vec![
                ("来源", source.reference.as_str()),
                ("责任单位", unit),
                ("督办单位", supervisor),
                ("验收单位", acceptor),
            ],
            SupAction::TakeStep { document, .. } => {
                vec![("文号", document.as_deref().unwrap_or_default())]
            }
            SupAction::AddCircular { title, named, .. } => {
                let mut v = vec![("通报标题", title.as_str())];
                v.extend(named.iter().map(|n| ("被通报单位", n.unit.as_str())));
                v
            }
            SupAction::VoidCircular { reason, .. } => vec![("作废理由", reason)],
            SupAction::AddTalk {
                unit, persons, by, ..
            } => vec![("约谈单位", unit), ("被约谈人", persons), ("约谈人", by)],
            SupAction::AddAccident { unit, title, .. } => {
                vec![("事故单位", unit), ("事故名称", title)]
            }
            SupAction::AddDeduction {
                unit, item, reason, ..
            } => vec![("单位", unit), ("考核项目", item), ("扣分理由", reason)],
            SupAction::SetRules { rules } => rules
                .items
                .iter()
                .map(|i| ("考核项目", i.name.as_str()))
                .collect(),
            SupAction::AddHazard {
                found_by,
                place,
                category,
                unit,
                supervisor,
                ..
            } => vec![
                ("排查单位", found_by.as_str()),
                ("隐患所在单位或场所", place),
                ("隐患类别", category),
                ("监管单位", unit),
                ("督办单位", supervisor),
            ],
            SupAction::RectifyHazard { plan, .. } => {
                vec![("责任", plan.responsible.as_str()), ("资金", &plan.funds)]
            }
            SupAction::AddReward { reporter, .. } => vec![("举报人", reporter.as_str())],
            SupAction::AddListEntry { unit, .. } => vec![("责任单位", unit.as_str())],
            SupAction::IssueLetter {
                recipient,
                doc_prefix,
                ..
            } => vec![("主送单位", recipient.as_str()), ("机关代字", doc_prefix)],
            _ => Vec::new(),
        }
    }

    /// What is wrong in itself, before the stored state: empty texts, dates out of order,
    /// rules out of range.
    pub fn validate(&self) -> Result<(), String> {
        let need = |what: &str, s: &str| {
            if s.trim().is_empty() {
                Err(format!("{what}不能为空"))
            } else {
                Ok(())
            }
        };
        match self {
            SupAction::AddItem {
                title,
                unit,
                supervisor,
                acceptor,
                opened,
                deadline,
                source,
                ..
            } => {
                need("督办事项", title)?;
                need("责任单位", unit)?;
                need("督办单位", supervisor)?;
                need("验收单位", acceptor)?;
                if deadline < opened {
                    return Err(format!("整改时限 {deadline} 早于督办日期 {opened}"));
                }
                use crate::supervision::SourceKind;
                match source.kind {
                    SourceKind::Task | SourceKind::Milestone if source.task.is_none() => {
                        Err("来源为逾期任务或节点时，须指明任务".to_owned())
                    }
                    SourceKind::Milestone if source.milestone.is_none() => {
                        Err("来源为逾期节点时，须指明节点日期".to_owned())
                    }
                    SourceKind::Inspection | SourceKind::Meeting
                        if source.reference.trim().is_empty() =>
                    {
                        Err("请写明来源的文件或会议及其编号".to_owned())
                    }
                    _ => Ok(()),
                }
            }
            SupAction::CompleteItem { text, .. } => need("完成情况", text),
            SupAction::ExplainItem { text, .. } => need("书面说明", text),
            SupAction::CheckItem { check, .. } | SupAction::LookBack { check, .. } => {
                if check.passed {
                    Ok(())
                } else {
                    need("未通过的理由（验收意见）", &check.note)
                }
            }
            SupAction::AddCircular { title, .. } => need("通报标题", title),
            SupAction::VoidCircular { reason, .. } => need("作废理由", reason),
            SupAction::AddTalk {
                unit,
                persons,
                by,
                issues,
                follow_up,
                date,
                ..
            } => {
                need("约谈单位", unit)?;
                need("被约谈人", persons)?;
                need("约谈人", by)?;
                need("约谈事由", issues)?;
                match follow_up {
                    Some(f) if f <= date => Err(format!("跟踪检查日期 {f} 应在约谈日期之后")),
                    _ => Ok(()),
                }
            }
            SupAction::AddAccident { unit, title, .. } => {
                need("事故单位", unit)?;
                need("事故名称", title)
            }
            SupAction::AddDeduction {
                unit,
                item,
                points,
                reason,
                ..
            } => {
                need("单位", unit)?;
                need("考核项目", item)?;
                need("扣分理由", reason)?;
                if points.is_finite() && *points > 0.0 {
                    Ok(())
                } else {
                    Err("扣分应大于 0".to_owned())
                }
            }
            SupAction::SetRules { rules } => rules.check(),
            SupAction::RemoveDeduction { reason, .. } => need("撤销理由", reason),
            SupAction::AddHazard {
                found,
                place,
                sector,
                clause,
                description,
                unit,
                registered,
                deadline,
                supervisor,
                ..
            } => {
                if clause.is_some() && sector.as_deref().is_none_or(|s| s.trim().is_empty()) {
                    return Err("引用判定条目时须指明行业".to_owned());
                }
                need("隐患所在单位或场所", place)?;
                need("隐患描述", description)?;
                need("监管单位", unit)?;
                need("督办单位", supervisor)?;
                if registered < found {
                    return Err(format!("登记日期 {registered} 早于排查日期 {found}"));
                }
                if deadline < registered {
                    return Err(format!("整改时限 {deadline} 早于登记日期 {registered}"));
                }
                Ok(())
            }
            SupAction::RectifyHazard { plan, .. } => match plan.missing() {
                Some(what) => Err(format!(
                    "五到位缺“{what}”：责任、措施、资金、时限、预案都须落实"
                )),
                None => Ok(()),
            },
            SupAction::RecheckHazard { check, .. } => {
                if check.passed {
                    Ok(())
                } else {
                    need("不合格的理由（复查意见）", &check.note)
                }
            }
            SupAction::AddReward {
                reporter,
                content,
                tier,
                amount,
                ..
            } => {
                need("举报人", reporter)?;
                need("举报内容", content)?;
                tier.check(*amount)
            }
            SupAction::AddListEntry { unit, text, .. } => {
                need("责任单位", unit)?;
                need("清单内容", text)
            }
            SupAction::CompleteListEntry { text, .. } => need("完成情况", text),
            SupAction::PayReward { .. } | SupAction::CloseHazard { .. } => Ok(()),
            SupAction::IssueLetter { step, pdf, .. } => {
                if step.document_zh().is_none() {
                    Err("通报请用通报功能编发（有自己的期号）".to_owned())
                } else if !pdf.starts_with(b"%PDF-") {
                    Err("签发的督办文书没有 PDF 文件".to_owned())
                } else {
                    Ok(())
                }
            }
            SupAction::ReceiveItem { .. }
            | SupAction::TakeStep { .. }
            | SupAction::CloseItem { .. } => Ok(()),
        }
    }
}
