//! Commands: the one path by which state changes. The UI and the CLI build commands; the
//! store applies them (in one transaction, with an audit record, flushed before it returns).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use crate::plugin::{PluginEvent, SectorPlanImport};
use crate::record::Value;
use crate::unit::UnitKind;

/// A file the user wants attached as evidence; the store copies it into the data folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceSource {
    pub path: String,
}

/// A change to the desk's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    AddProgress {
        task: String,
        date: NaiveDate,
        text: String,
        percent: Option<u8>,
        done: bool,
        #[serde(default)]
        attach: Vec<EvidenceSource>,
    },
    EditProgress {
        entry: u64,
        date: NaiveDate,
        text: String,
        percent: Option<u8>,
        done: bool,
        #[serde(default)]
        attach: Vec<EvidenceSource>,
        /// `stored` paths of evidence to detach (the files are kept in the data folder).
        #[serde(default)]
        detach: Vec<String>,
    },
    AddUnit {
        name: String,
        kind: UnitKind,
        #[serde(default)]
        aliases: Vec<String>,
    },
    /// Renames a unit everywhere; the old name stays as an alias so imports still resolve.
    RenameUnit {
        unit: String,
        name: String,
    },
    SetUnitAliases {
        unit: String,
        aliases: Vec<String>,
    },
    SetUnitKind {
        unit: String,
        kind: UnitKind,
    },
    /// Days before a due date at which a task becomes 临期.
    SetDueSoonDays {
        days: u32,
    },
    /// The name recorded as "who" in the audit trail.
    SetUserName {
        name: String,
    },
    /// How printed documents name the office (发文机关, 机关代字, 联系人, date style).
    SetPrintSettings {
        office_name: String,
        doc_prefix: String,
        contact: String,
        chinese_date: bool,
    },
    /// Records an issued 督办通知书 under the next 文号 of `year` (numbers run per year).
    RecordNotice {
        task: String,
        year: i32,
        number: u32,
        recipient: String,
        new_deadline: NaiveDate,
        /// Where the printed notice was saved, if it was.
        #[serde(default)]
        file: Option<String>,
    },
    /// Imports (or, after a plugin upgrade, replaces) a sector plugin's plan, tasks and
    /// targets. Tasks that disappear are kept when they have progress entries.
    ImportSectorPlan {
        content: Box<SectorPlanImport>,
    },
    /// Records a plugin event (install, removal, fault …) in the audit trail.
    RecordPluginEvent {
        sector: String,
        event: PluginEvent,
        #[serde(default)]
        version: String,
        message: String,
    },
    /// Accept unsigned plugin packages (shown with a warning everywhere).
    SetPluginDeveloperMode {
        on: bool,
    },
    /// Saves a new ledger record of form `SECTOR/FORM`. `draft`: saved with errors (kept,
    /// never counted toward a target).
    AddRecord {
        form: String,
        form_version: String,
        values: BTreeMap<String, Value>,
        draft: bool,
    },
    /// Replaces a record's values (the audit trail keeps the previous ones).
    EditRecord {
        id: u64,
        values: BTreeMap<String, Value>,
        draft: bool,
    },
    /// Soft-deletes a record (undone by [`Command::RestoreRecord`]); nothing is erased.
    DeleteRecord {
        id: u64,
    },
    RestoreRecord {
        id: u64,
    },
    /// A target's value entered by hand (no form feeds it), with its date and source.
    AddMeasurement {
        target: String,
        date: NaiveDate,
        value: f64,
        #[serde(default)]
        town: Option<String>,
        source: String,
    },
}

/// A command that is wrong in itself, before it meets the stored state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("进度百分比必须在 0–100 之间（填写的是 {0}）")]
    PercentOutOfRange(u8),
    #[error("进展记录需要填写内容、百分比或勾选“已完成”")]
    EmptyProgress,
    #[error("{0}不能为空")]
    Empty(&'static str),
    #[error("临期天数应在 0–365 之间（填写的是 {0}）")]
    DueSoonOutOfRange(u32),
    #[error("{0}")]
    Inconsistent(String),
}

impl Command {
    /// Checks what can be checked without the stored state.
    pub fn validate(&self) -> Result<(), CommandError> {
        match self {
            Command::AddProgress {
                text,
                percent,
                done,
                attach,
                ..
            }
            | Command::EditProgress {
                text,
                percent,
                done,
                attach,
                ..
            } => {
                if let Some(p) = percent
                    && *p > 100
                {
                    return Err(CommandError::PercentOutOfRange(*p));
                }
                if text.trim().is_empty() && percent.is_none() && !done && attach.is_empty() {
                    return Err(CommandError::EmptyProgress);
                }
                if attach.iter().any(|a| a.path.trim().is_empty()) {
                    return Err(CommandError::Empty("附件路径"));
                }
                Ok(())
            }
            Command::AddUnit { name, .. } | Command::RenameUnit { name, .. } => {
                if name.trim().is_empty() {
                    Err(CommandError::Empty("单位名称"))
                } else {
                    Ok(())
                }
            }
            Command::SetUnitAliases { aliases, .. } => {
                if aliases.iter().any(|a| a.trim().is_empty()) {
                    Err(CommandError::Empty("别名"))
                } else {
                    Ok(())
                }
            }
            Command::SetUnitKind { .. } => Ok(()),
            Command::SetDueSoonDays { days } => {
                if *days > 365 {
                    Err(CommandError::DueSoonOutOfRange(*days))
                } else {
                    Ok(())
                }
            }
            Command::SetUserName { name } => {
                if name.trim().is_empty() {
                    Err(CommandError::Empty("用户名"))
                } else {
                    Ok(())
                }
            }
            Command::SetPrintSettings { office_name, .. } => {
                if office_name.trim().is_empty() {
                    Err(CommandError::Empty("发文机关名称"))
                } else {
                    Ok(())
                }
            }
            Command::ImportSectorPlan { content } => {
                let c = content.as_ref();
                if c.sector.trim().is_empty() {
                    return Err(CommandError::Empty("行业编号"));
                }
                if c.tasks.iter().any(|t| t.plan != c.plan.id)
                    || c.targets.iter().any(|t| t.plan != c.plan.id)
                {
                    return Err(CommandError::Inconsistent(
                        "任务或指标不属于所导入的方案".to_owned(),
                    ));
                }
                Ok(())
            }
            Command::RecordPluginEvent {
                sector, message, ..
            } => {
                if sector.trim().is_empty() {
                    Err(CommandError::Empty("行业编号"))
                } else if message.trim().is_empty() {
                    Err(CommandError::Empty("事件说明"))
                } else {
                    Ok(())
                }
            }
            Command::SetPluginDeveloperMode { .. } => Ok(()),
            Command::AddRecord { form, .. } => {
                if form
                    .split_once('/')
                    .is_none_or(|(s, f)| s.is_empty() || f.is_empty())
                {
                    Err(CommandError::Inconsistent(format!(
                        "表单编号“{form}”应为“行业/表单”"
                    )))
                } else {
                    Ok(())
                }
            }
            Command::EditRecord { .. }
            | Command::DeleteRecord { .. }
            | Command::RestoreRecord { .. } => Ok(()),
            Command::AddMeasurement {
                target,
                value,
                source,
                ..
            } => {
                if target.trim().is_empty() {
                    Err(CommandError::Empty("指标"))
                } else if !value.is_finite() {
                    Err(CommandError::Inconsistent(format!(
                        "指标值“{value}”不是有效数字"
                    )))
                } else if source.trim().is_empty() {
                    Err(CommandError::Empty("数据来源"))
                } else {
                    Ok(())
                }
            }
            Command::RecordNotice {
                recipient, number, ..
            } => {
                if recipient.trim().is_empty() {
                    Err(CommandError::Empty("主送单位"))
                } else if *number == 0 {
                    Err(CommandError::Empty("文号"))
                } else {
                    Ok(())
                }
            }
        }
    }

    /// A short Chinese description for the audit trail and the status line.
    pub fn describe(&self) -> String {
        match self {
            Command::AddProgress { task, .. } => format!("新增进展（任务 {task}）"),
            Command::EditProgress { entry, .. } => format!("修改进展 #{entry}"),
            Command::AddUnit { name, .. } => format!("新增单位“{name}”"),
            Command::RenameUnit { name, .. } => format!("单位改名为“{name}”"),
            Command::SetUnitAliases { .. } => "修改单位别名".to_owned(),
            Command::SetUnitKind { kind, .. } => format!("单位类别改为{}", kind.label_zh()),
            Command::SetDueSoonDays { days } => format!("临期天数设为 {days} 天"),
            Command::SetUserName { name } => format!("用户名设为“{name}”"),
            Command::SetPrintSettings { office_name, .. } => {
                format!("发文机关设为“{office_name}”")
            }
            Command::ImportSectorPlan { content } => format!(
                "导入行业方案“{}”（插件 {} {}）：{} 项任务、{} 项指标",
                content.plan.title,
                content.sector,
                content.plugin_version,
                content.tasks.len(),
                content.targets.len()
            ),
            Command::RecordPluginEvent {
                sector,
                event,
                version,
                message,
            } => {
                if version.is_empty() {
                    format!("{}（{sector}）：{message}", event.label_zh())
                } else {
                    format!("{}（{sector} {version}）：{message}", event.label_zh())
                }
            }
            Command::AddRecord { form, draft, .. } => {
                if *draft {
                    format!("新增台账记录（{form}，草稿）")
                } else {
                    format!("新增台账记录（{form}）")
                }
            }
            Command::EditRecord { id, draft, .. } => {
                if *draft {
                    format!("修改台账记录 #{id}（草稿）")
                } else {
                    format!("修改台账记录 #{id}")
                }
            }
            Command::DeleteRecord { id } => format!("删除台账记录 #{id}（可撤销）"),
            Command::RestoreRecord { id } => format!("恢复台账记录 #{id}"),
            Command::AddMeasurement {
                target,
                date,
                value,
                town,
                ..
            } => match town {
                Some(t) => format!("录入指标值 {target}（{t}）：{value}（{date}）"),
                None => format!("录入指标值 {target}：{value}（{date}）"),
            },
            Command::SetPluginDeveloperMode { on } => {
                if *on {
                    "开启插件开发者模式（接受未签名插件）".to_owned()
                } else {
                    "关闭插件开发者模式".to_owned()
                }
            }
            Command::RecordNotice {
                task,
                year,
                number,
                recipient,
                ..
            } => {
                format!("印发督办通知书〔{year}〕{number}号（任务 {task}，主送 {recipient}）")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(text: &str, percent: Option<u8>, done: bool) -> Command {
        Command::AddProgress {
            task: "t".into(),
            date: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            text: text.into(),
            percent,
            done,
            attach: vec![],
        }
    }

    #[test]
    fn validation() {
        assert_eq!(
            add("", Some(101), false).validate(),
            Err(CommandError::PercentOutOfRange(101))
        );
        assert_eq!(
            add("  ", None, false).validate(),
            Err(CommandError::EmptyProgress)
        );
        assert!(add("", Some(40), false).validate().is_ok());
        assert!(add("", None, true).validate().is_ok());
        assert!(add("已召开部署会", None, false).validate().is_ok());
        assert!(
            Command::RenameUnit {
                unit: "u1".into(),
                name: " ".into()
            }
            .validate()
            .is_err()
        );
        assert!(Command::SetDueSoonDays { days: 400 }.validate().is_err());
    }

    #[test]
    fn commands_serialize_with_a_tag() {
        let json = serde_json::to_string(&add("x", None, false)).unwrap();
        assert!(json.starts_with("{\"command\":\"add_progress\""), "{json}");
    }
}
