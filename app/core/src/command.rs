//! Commands: the one path by which state changes. The UI and the CLI build commands; the
//! store applies them (in one transaction, with an audit record, flushed before it returns).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use crate::applicability::Item;
use crate::campaign::CampaignData;
use crate::limits::{
    self, MAX_ALIASES, MAX_EVIDENCE_FILES, MAX_NAME_CHARS, MAX_PATH_CHARS, MAX_PROGRESS_TEXT_CHARS,
    MAX_SHORT_TEXT_CHARS, TooLarge, check_chars, check_count,
};
use crate::plugin::{PluginEvent, SectorPlanImport};
use crate::record::Value;
use crate::unit::UnitKind;

/// A file the user wants attached as evidence; the store copies it into the data folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceSource {
    pub path: String,
}

/// One record of [`Command::ImportRecords`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordRow {
    pub values: BTreeMap<String, Value>,
    /// Saved with errors (kept, never counted toward a target).
    #[serde(default)]
    pub draft: bool,
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
        /// The interim milestone the entry reports reached (its due date).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        milestone: Option<NaiveDate>,
    },
    EditProgress {
        entry: u64,
        date: NaiveDate,
        text: String,
        percent: Option<u8>,
        done: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        milestone: Option<NaiveDate>,
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
    /// Records an issued (签发) 督办通知书 under the next 文号 of `year` (numbers run per
    /// year), with its PDF, kept so that it can be printed again identically.
    RecordNotice {
        task: String,
        year: i32,
        number: u32,
        recipient: String,
        new_deadline: NaiveDate,
        /// Where the printed notice was saved, if it was.
        #[serde(default)]
        file: Option<String>,
        /// 成文日期.
        date: NaiveDate,
        /// The issued PDF (never serialised: the audit trail names its SHA-256).
        #[serde(skip)]
        pdf: Vec<u8>,
        /// The 机关代字 of its 文号, kept with the record.
        #[serde(default)]
        doc_prefix: String,
    },
    /// Voids an issued 督办通知书: its number stays used, the reason is kept.
    VoidNotice {
        year: i32,
        number: u32,
        reason: String,
    },
    /// Imports campaign content (the campaign, its plans, tasks and units). Units already in
    /// the directory (by name or alias) keep their ids. Refused when the campaign is present.
    ImportCampaign {
        data: Box<CampaignData>,
    },
    /// Imports (or, after a plugin upgrade, replaces) a sector plugin's plan, tasks and
    /// targets. Tasks that disappear are kept when they have progress entries.
    ImportSectorPlan {
        content: Box<SectorPlanImport>,
    },
    /// Takes out the sector plan of a plugin that is gone (removed, and no built-in version
    /// replaces it): the plan, its tasks that have no progress entries, its targets, the
    /// sector record, and the units its imports created that nothing else uses. Tasks with
    /// progress entries (with their plan) are kept, like ledger records and hand-entered
    /// target values: nothing the users recorded is lost.
    RemoveSectorPlan {
        sector: String,
    },
    /// The user accepts a database that opened without proof that it is complete (its state
    /// record was missing; see `Store::unverified`), after having been told so.
    AcknowledgeUnverified,
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
    /// The office's root public key (64 hex digits; `None` removes it). It signs the trust
    /// list: changing it is a change of the root of trust, kept in the store and audited.
    SetPluginRootKey {
        key: Option<String>,
    },
    /// The office's signed trust list (its JSON text, verified with the root key by the
    /// session before the command is made; `None` removes it).
    SetPluginTrustList {
        list: Option<String>,
    },
    /// Saves a new ledger record of form `SECTOR/FORM`. `draft`: saved with errors (kept,
    /// never counted toward a target).
    AddRecord {
        form: String,
        form_version: String,
        values: BTreeMap<String, Value>,
        draft: bool,
    },
    /// Adds many ledger records of form `SECTOR/FORM` at once (a file imported, at most
    /// [`limits::MAX_IMPORT_RECORDS`]): one change, one audit record that names the new ids
    /// and `source` (not the records' contents, which are the records themselves).
    ImportRecords {
        form: String,
        form_version: String,
        rows: Vec<RecordRow>,
        source: String,
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
    /// Marks a task or a target 不适用 in this region with the reason (`reason: Some`), or has
    /// it apply again (`None`). `date` is the day of the mark.
    SetNotApplicable {
        item: Item,
        reason: Option<String>,
        date: NaiveDate,
    },
    /// Moves a task's deadline (延期): the deadline as written stays, the change is kept with
    /// its reason and the day of the decision (`date`), from which it applies.
    AdjustDeadline {
        task: String,
        due: NaiveDate,
        reason: String,
        date: NaiveDate,
    },
    /// The campaign the desk shows and the commands act on by default.
    SetCurrentCampaign {
        campaign: String,
    },
    /// Archives a finished campaign (`archived: true`: read-only, its tasks and targets take
    /// no more changes) or opens it again.
    ArchiveCampaign {
        campaign: String,
        archived: bool,
    },
    /// The office's reporting settings: its own reports (月报, 季报…) and how many days
    /// ahead 今日待办 reminds of a report due.
    SetReporting {
        reporting: crate::reports::Reporting,
    },
    /// Records a unit's submission of one period of a report (a task's recurring duty or an
    /// office report): the period starting `period_start`, submitted on `date`; a late one
    /// (补报) carries its reason. Refused while an earlier submission of the period awaits
    /// 签收 or was accepted.
    SubmitReport {
        unit: String,
        report: String,
        period_start: NaiveDate,
        date: NaiveDate,
        what: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        late_reason: Option<String>,
        #[serde(default)]
        attach: Vec<EvidenceSource>,
    },
    /// The office's 签收 of a submission awaiting it.
    AcceptSubmission {
        id: u64,
        date: NaiveDate,
    },
    /// The office returns a submission awaiting 签收 for changes (退回修改), with the reason.
    ReturnSubmission {
        id: u64,
        date: NaiveDate,
        reason: String,
    },
    /// Adds 演示数据: progress entries and submissions marked as demo rows (listed in the
    /// settings), with the office reports they are of. Refused while demo rows are there.
    AddDemoData {
        data: Box<crate::demo::DemoData>,
    },
    /// Takes out every demo row (and the demo's office reports, unless a real submission is
    /// of one).
    RemoveDemoData,
    /// Attaches a sector plugin's plan (with its tasks, their progress and its targets) to
    /// another campaign, the user's choice; its later versions stay there.
    MoveSectorPlan {
        sector: String,
        campaign: String,
    },
    /// A change to the supervision registers (督办事项, 通报, 约谈, accidents, 考核).
    Supervise {
        action: crate::supervise::SupAction,
    },
}

/// Most demo rows of one kind a demo may add.
pub const MAX_DEMO_ROWS: usize = 100_000;

/// Most office reports (月报, 季报…) the office may set.
pub const MAX_OFFICE_REPORTS: usize = 50;

/// Largest trust list kept (its JSON text).
pub const MAX_TRUST_LIST_BYTES: usize = 256 << 10;

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
    /// Over one of the size limits of [`crate::limits`].
    #[error(transparent)]
    TooLarge(#[from] TooLarge),
}

impl Command {
    /// Checks what can be checked without the stored state, the size limits of
    /// [`crate::limits`] first.
    pub fn validate(&self) -> Result<(), CommandError> {
        self.check_limits()?;
        self.check_single_line_names()?;
        self.validate_content()
    }

    /// The command with every text cleaned of invisible and control characters
    /// ([`crate::text::clean`]: bidirectional overrides, zero-width characters, C0/C1
    /// controls; carriage returns become line feeds). The store applies this, so whatever a
    /// user typed or pasted reaches neither the database nor a printed page with characters
    /// that make a name show as something it is not. A sector plan is a plugin's content,
    /// refused at install when it holds such characters: it is taken as it is.
    pub fn cleaned(&self) -> std::borrow::Cow<'_, Command> {
        use std::borrow::Cow;
        /// Fields that are not text people read: file paths and stored names (cleaning would
        /// name another file), the signed trust list (cleaning would break its signature),
        /// the root key.
        const NOT_TEXT: &[&str] = &["path", "file", "detach", "list", "key"];
        fn walk(v: &mut serde_json::Value, top: bool) {
            match v {
                serde_json::Value::String(s) => {
                    if let std::borrow::Cow::Owned(c) = crate::text::clean(s) {
                        *s = c;
                    }
                }
                serde_json::Value::Array(items) => items.iter_mut().for_each(|i| walk(i, top)),
                serde_json::Value::Object(map) => {
                    // Keys below the top are field names of records: cleaned like values.
                    let entries = std::mem::take(map);
                    for (k, mut item) in entries {
                        if top && NOT_TEXT.contains(&k.as_str()) {
                            map.insert(k, item);
                            continue;
                        }
                        // The evidence sources of `attach` keep their paths.
                        walk(&mut item, top && k == "attach");
                        map.insert(crate::text::clean(&k).into_owned(), item);
                    }
                }
                _ => {}
            }
        }
        if matches!(
            self,
            Command::ImportSectorPlan { .. } | Command::ImportCampaign { .. }
        ) {
            return Cow::Borrowed(self);
        }
        // An import is large: its records are cleaned field by field, not through JSON.
        if let Command::ImportRecords {
            form,
            form_version,
            rows,
            source,
        } = self
        {
            let dirty = |t: &str| matches!(crate::text::clean(t), Cow::Owned(_));
            let value_dirty = |v: &Value| match v {
                Value::Text(t) | Value::Date(t) => dirty(t),
                Value::Choices(c) => c.iter().any(|t| dirty(t)),
                Value::Integer(_) | Value::Decimal(_) | Value::Flag(_) => false,
            };
            let row_dirty =
                |r: &RecordRow| r.values.iter().any(|(k, v)| dirty(k) || value_dirty(v));
            if ![form, form_version, source].iter().any(|t| dirty(t)) && !rows.iter().any(row_dirty)
            {
                return Cow::Borrowed(self);
            }
            let text = |t: &str| crate::text::clean(t).into_owned();
            let value = |v: &Value| match v {
                Value::Text(t) => Value::Text(text(t)),
                Value::Date(t) => Value::Date(text(t)),
                Value::Choices(c) => Value::Choices(c.iter().map(|t| text(t)).collect()),
                other => other.clone(),
            };
            return Cow::Owned(Command::ImportRecords {
                form: text(form),
                form_version: text(form_version),
                source: text(source),
                rows: rows
                    .iter()
                    .map(|r| RecordRow {
                        values: r.values.iter().map(|(k, v)| (text(k), value(v))).collect(),
                        draft: r.draft,
                    })
                    .collect(),
            });
        }
        let Ok(mut value) = serde_json::to_value(self) else {
            return Cow::Borrowed(self);
        };
        walk(&mut value, true);
        match serde_json::from_value::<Command>(value) {
            Ok(mut c) => {
                // A notice's PDF is never serialised: it comes across as it is.
                if let (
                    Command::RecordNotice { pdf, .. },
                    Command::RecordNotice { pdf: kept, .. },
                ) = (self, &mut c)
                {
                    kept.clone_from(pdf);
                }
                if let (
                    Command::Supervise {
                        action: crate::supervise::SupAction::IssueLetter { pdf, .. },
                    },
                    Command::Supervise {
                        action: crate::supervise::SupAction::IssueLetter { pdf: kept, .. },
                    },
                ) = (self, &mut c)
                {
                    kept.clone_from(pdf);
                }
                if c != *self {
                    Cow::Owned(c)
                } else {
                    Cow::Borrowed(self)
                }
            }
            Err(_) => Cow::Borrowed(self),
        }
    }

    /// Names, titles and settings are one line: no line feed or tab (what
    /// [`Command::cleaned`] keeps for multi-line texts).
    fn check_single_line_names(&self) -> Result<(), CommandError> {
        use crate::text::{Lines, check_text};
        let one = |what: &str, s: &str| match check_text(what, s, Lines::Single) {
            Some(m) => Err(CommandError::Inconsistent(m)),
            None => Ok(()),
        };
        match self {
            Command::AddUnit { name, aliases, .. } => {
                one("单位名称", name)?;
                aliases.iter().try_for_each(|a| one("单位别名", a))
            }
            Command::RenameUnit { name, .. } => one("单位名称", name),
            Command::SetUnitAliases { aliases, .. } => {
                aliases.iter().try_for_each(|a| one("单位别名", a))
            }
            Command::SetUserName { name } => one("用户名", name),
            Command::SetPrintSettings {
                office_name,
                doc_prefix,
                contact,
                ..
            } => {
                one("发文机关名称", office_name)?;
                one("机关代字", doc_prefix)?;
                one("联系人", contact)
            }
            Command::RecordNotice { recipient, .. } => one("主送单位", recipient),
            Command::VoidNotice { reason, .. } => one("作废理由", reason),
            Command::SetNotApplicable {
                reason: Some(reason),
                ..
            } => one("不适用的理由", reason),
            Command::SetReporting { reporting } => {
                reporting.office_reports.iter().try_for_each(|r| {
                    one("报送事项编号", &r.id)?;
                    one("报送事项名称", &r.name)
                })
            }
            Command::Supervise { action } => action
                .single_line_texts()
                .into_iter()
                .try_for_each(|(what, s)| one(what, s)),
            _ => Ok(()),
        }
    }

    /// Every text, list and record of the command within the limits of [`crate::limits`].
    fn check_limits(&self) -> Result<(), TooLarge> {
        let short = |what: &str, s: &str| check_chars(what, s, MAX_SHORT_TEXT_CHARS);
        let name = |what: &str, s: &str| check_chars(what, s, MAX_NAME_CHARS);
        let paths = |what: &str, list: &mut dyn Iterator<Item = &str>| {
            for p in list {
                check_chars(what, p, MAX_PATH_CHARS)?;
            }
            Ok(())
        };
        let aliases = |list: &[String]| {
            check_count("别名", list.len(), MAX_ALIASES)?;
            list.iter().try_for_each(|a| name("别名", a))
        };
        match self {
            Command::AddProgress {
                task, text, attach, ..
            } => {
                short("任务编号", task)?;
                check_chars("进展内容", text, MAX_PROGRESS_TEXT_CHARS)?;
                check_count("一次添加的附件", attach.len(), MAX_EVIDENCE_FILES)?;
                paths("附件路径", &mut attach.iter().map(|a| a.path.as_str()))
            }
            Command::EditProgress {
                text,
                attach,
                detach,
                ..
            } => {
                check_chars("进展内容", text, MAX_PROGRESS_TEXT_CHARS)?;
                check_count("一次添加的附件", attach.len(), MAX_EVIDENCE_FILES)?;
                paths("附件路径", &mut attach.iter().map(|a| a.path.as_str()))?;
                check_count("一次移除的附件", detach.len(), MAX_EVIDENCE_FILES)?;
                paths("附件路径", &mut detach.iter().map(String::as_str))
            }
            Command::AddUnit {
                name: n,
                aliases: a,
                ..
            } => {
                name("单位名称", n)?;
                aliases(a)
            }
            Command::RenameUnit { unit, name: n } => {
                short("单位编号", unit)?;
                name("单位名称", n)
            }
            Command::SetUnitAliases { unit, aliases: a } => {
                short("单位编号", unit)?;
                aliases(a)
            }
            Command::SetUnitKind { unit, .. } => short("单位编号", unit),
            Command::SetUserName { name: n } => name("用户名", n),
            Command::SetPrintSettings {
                office_name,
                doc_prefix,
                contact,
                ..
            } => {
                short("发文机关名称", office_name)?;
                short("机关代字", doc_prefix)?;
                short("联系人", contact)
            }
            Command::RecordNotice {
                task,
                recipient,
                file,
                ..
            } => {
                short("任务编号", task)?;
                short("主送单位", recipient)?;
                paths("通知书文件路径", &mut file.iter().map(String::as_str))
            }
            Command::VoidNotice { reason, .. } => short("作废理由", reason),
            Command::SetNotApplicable { item, reason, .. } => {
                short("编号", item.id())?;
                reason
                    .as_deref()
                    .map_or(Ok(()), |r| short("不适用的理由", r))
            }
            Command::ImportSectorPlan { content } => short("行业编号", &content.sector),
            Command::ImportCampaign { data } => short("活动编号", &data.campaign.id),
            Command::SetCurrentCampaign { campaign }
            | Command::ArchiveCampaign { campaign, .. } => short("活动编号", campaign),
            Command::AdjustDeadline { task, reason, .. } => {
                short("任务编号", task)?;
                short("调整理由", reason)
            }
            Command::RemoveSectorPlan { sector } => short("行业编号", sector),
            Command::SetReporting { reporting } => {
                check_count(
                    "报送事项",
                    reporting.office_reports.len(),
                    MAX_OFFICE_REPORTS,
                )?;
                for r in &reporting.office_reports {
                    name("报送事项编号", &r.id)?;
                    short("报送事项名称", &r.name)?;
                    check_count("报送单位", r.units.len(), MAX_OFFICE_REPORTS * 10)?;
                    r.units.iter().try_for_each(|u| short("单位编号", u))?;
                }
                Ok(())
            }
            Command::SubmitReport {
                unit,
                report,
                what,
                late_reason,
                attach,
                ..
            } => {
                short("单位", unit)?;
                short("报送事项", report)?;
                check_chars("报送内容", what, MAX_PROGRESS_TEXT_CHARS)?;
                late_reason
                    .as_deref()
                    .map_or(Ok(()), |r| short("补报理由", r))?;
                check_count("附件", attach.len(), MAX_EVIDENCE_FILES)?;
                paths("附件路径", &mut attach.iter().map(|a| a.path.as_str()))
            }
            Command::AcceptSubmission { .. } => Ok(()),
            Command::ReturnSubmission { reason, .. } => short("退回理由", reason),
            Command::AddDemoData { data } => {
                check_count("演示进展", data.entries.len(), MAX_DEMO_ROWS)?;
                check_count("演示报送", data.submissions.len(), MAX_DEMO_ROWS)?;
                check_count("演示台账记录", data.records.len(), MAX_DEMO_ROWS)?;
                check_count("报送事项", data.office_reports.len(), MAX_OFFICE_REPORTS)?;
                check_count("演示督办记录", data.supervision.len(), MAX_DEMO_ROWS)?;
                Ok(())
            }
            Command::RemoveDemoData => Ok(()),
            Command::MoveSectorPlan { sector, campaign } => {
                short("行业编号", sector)?;
                short("活动编号", campaign)
            }
            Command::Supervise { action } => action.check_limits(),
            Command::AddRecord {
                form,
                form_version,
                values,
                ..
            } => {
                short("表单编号", form)?;
                short("表单版本", form_version)?;
                limits::check_record_values(values)
            }
            Command::ImportRecords {
                form,
                form_version,
                rows,
                source,
            } => {
                short("表单编号", form)?;
                short("表单版本", form_version)?;
                short("来源", source)?;
                check_count("导入的记录", rows.len(), limits::MAX_IMPORT_RECORDS)?;
                rows.iter().enumerate().try_for_each(|(i, r)| {
                    limits::check_record_values(&r.values).map_err(|mut e| {
                        e.what = format!("第 {} 条记录的{}", i + 1, e.what);
                        e
                    })
                })
            }
            Command::EditRecord { values, .. } => limits::check_record_values(values),
            Command::AddMeasurement {
                target,
                town,
                source,
                ..
            } => {
                short("指标编号", target)?;
                short("乡镇编号", town.as_deref().unwrap_or_default())?;
                short("数据来源", source)
            }
            Command::SetDueSoonDays { .. }
            | Command::RecordPluginEvent { .. }
            | Command::SetPluginDeveloperMode { .. }
            | Command::SetPluginRootKey { .. }
            | Command::SetPluginTrustList { .. }
            | Command::AcknowledgeUnverified
            | Command::DeleteRecord { .. }
            | Command::RestoreRecord { .. } => Ok(()),
        }
    }

    fn validate_content(&self) -> Result<(), CommandError> {
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
                crate::plugin::check_hazards(&c.hazards).map_err(CommandError::Inconsistent)
            }
            Command::ImportCampaign { data } => {
                if data.campaign.id.trim().is_empty() {
                    Err(CommandError::Empty("活动编号"))
                } else {
                    Ok(())
                }
            }
            Command::RemoveSectorPlan { sector } => {
                if sector.trim().is_empty() {
                    Err(CommandError::Empty("行业编号"))
                } else {
                    Ok(())
                }
            }
            Command::AcknowledgeUnverified => Ok(()),
            Command::SetReporting { reporting } => {
                reporting.check().map_err(CommandError::Inconsistent)
            }
            Command::SubmitReport {
                unit,
                report,
                what,
                late_reason,
                ..
            } => {
                if unit.trim().is_empty() {
                    Err(CommandError::Empty("报送单位"))
                } else if report.trim().is_empty() {
                    Err(CommandError::Empty("报送事项"))
                } else if what.trim().is_empty() {
                    Err(CommandError::Empty("报送内容"))
                } else if late_reason.as_deref().is_some_and(|r| r.trim().is_empty()) {
                    Err(CommandError::Empty("补报理由"))
                } else {
                    Ok(())
                }
            }
            Command::AcceptSubmission { .. }
            | Command::AddDemoData { .. }
            | Command::RemoveDemoData => Ok(()),
            Command::MoveSectorPlan { sector, campaign } => {
                if sector.trim().is_empty() {
                    Err(CommandError::Empty("行业编号"))
                } else if campaign.trim().is_empty() {
                    Err(CommandError::Empty("活动编号"))
                } else {
                    Ok(())
                }
            }
            Command::ReturnSubmission { reason, .. } => {
                if reason.trim().is_empty() {
                    Err(CommandError::Empty("退回理由"))
                } else {
                    Ok(())
                }
            }
            Command::Supervise { action } => action.validate().map_err(CommandError::Inconsistent),
            Command::AdjustDeadline { reason, .. } => {
                if reason.trim().is_empty() {
                    Err(CommandError::Empty("调整完成时间的理由"))
                } else {
                    Ok(())
                }
            }
            Command::SetCurrentCampaign { campaign }
            | Command::ArchiveCampaign { campaign, .. } => {
                if campaign.trim().is_empty() {
                    Err(CommandError::Empty("活动编号"))
                } else {
                    Ok(())
                }
            }
            Command::SetNotApplicable { item, reason, .. } => {
                if item.id().trim().is_empty() {
                    Err(CommandError::Empty("编号"))
                } else if reason.as_deref().is_some_and(|r| r.trim().is_empty()) {
                    Err(CommandError::Empty("不适用的理由"))
                } else {
                    Ok(())
                }
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
            Command::SetPluginRootKey { key } => match key {
                Some(k) if k.len() != 64 || !k.bytes().all(|b| b.is_ascii_hexdigit()) => Err(
                    CommandError::Inconsistent("安委办根公钥应为 64 位十六进制数字".to_owned()),
                ),
                _ => Ok(()),
            },
            Command::SetPluginTrustList { list } => match list {
                Some(l) if l.len() > MAX_TRUST_LIST_BYTES => Err(CommandError::Inconsistent(
                    format!("信任列表超过 {} KiB", MAX_TRUST_LIST_BYTES >> 10),
                )),
                Some(l) if l.trim().is_empty() => Err(CommandError::Empty("信任列表")),
                _ => Ok(()),
            },
            Command::AddRecord { form, .. } | Command::ImportRecords { form, .. } => {
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
            Command::VoidNotice { reason, .. } => {
                if reason.trim().is_empty() {
                    Err(CommandError::Empty("作废理由"))
                } else {
                    Ok(())
                }
            }
        }
    }

    /// The command's tag, as it is serialized and named in the audit trail ("add_progress").
    pub fn tag(&self) -> &'static str {
        match self {
            Command::AddProgress { .. } => "add_progress",
            Command::EditProgress { .. } => "edit_progress",
            Command::AddUnit { .. } => "add_unit",
            Command::RenameUnit { .. } => "rename_unit",
            Command::SetUnitAliases { .. } => "set_unit_aliases",
            Command::SetUnitKind { .. } => "set_unit_kind",
            Command::SetDueSoonDays { .. } => "set_due_soon_days",
            Command::SetUserName { .. } => "set_user_name",
            Command::SetPrintSettings { .. } => "set_print_settings",
            Command::RecordNotice { .. } => "record_notice",
            Command::VoidNotice { .. } => "void_notice",
            Command::ImportCampaign { .. } => "import_campaign",
            Command::ImportSectorPlan { .. } => "import_sector_plan",
            Command::RemoveSectorPlan { .. } => "remove_sector_plan",
            Command::AcknowledgeUnverified => "acknowledge_unverified",
            Command::RecordPluginEvent { .. } => "record_plugin_event",
            Command::SetPluginDeveloperMode { .. } => "set_plugin_developer_mode",
            Command::SetPluginRootKey { .. } => "set_plugin_root_key",
            Command::SetPluginTrustList { .. } => "set_plugin_trust_list",
            Command::AddRecord { .. } => "add_record",
            Command::ImportRecords { .. } => "import_records",
            Command::EditRecord { .. } => "edit_record",
            Command::DeleteRecord { .. } => "delete_record",
            Command::RestoreRecord { .. } => "restore_record",
            Command::AddMeasurement { .. } => "add_measurement",
            Command::SetNotApplicable { .. } => "set_not_applicable",
            Command::SetCurrentCampaign { .. } => "set_current_campaign",
            Command::AdjustDeadline { .. } => "adjust_deadline",
            Command::ArchiveCampaign { .. } => "archive_campaign",
            Command::SetReporting { .. } => "set_reporting",
            Command::SubmitReport { .. } => "submit_report",
            Command::AcceptSubmission { .. } => "accept_submission",
            Command::ReturnSubmission { .. } => "return_submission",
            Command::AddDemoData { .. } => "add_demo_data",
            Command::RemoveDemoData => "remove_demo_data",
            Command::MoveSectorPlan { .. } => "move_sector_plan",
            Command::Supervise { action } => action.tag(),
        }
    }

    /// Whether the command creates a row under a new id (a progress entry, a ledger record,
    /// a hand-entered value): the store allocates it before the change is computed.
    /// How many ids of new records the command needs besides [`Command::needs_new_id`]'s
    /// one (the rows of an import).
    pub fn new_ids_needed(&self) -> usize {
        match self {
            Command::ImportRecords { rows, .. } => rows.len(),
            Command::AddDemoData { data } => {
                data.entries.len() + data.submissions.len() + data.records.len()
            }
            _ => 0,
        }
    }

    pub fn needs_new_id(&self) -> bool {
        matches!(
            self,
            Command::AddProgress { .. }
                | Command::AddRecord { .. }
                | Command::AddMeasurement { .. }
                | Command::SubmitReport { .. }
        )
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
            Command::RemoveSectorPlan { sector } => {
                format!("移除行业方案（插件 {sector} 已不存在）")
            }
            Command::ImportCampaign { data } => format!("导入活动“{}”", data.campaign.name),
            Command::AcknowledgeUnverified => {
                "确认接受未经核验的数据库（状态记录缺失时打开）".to_owned()
            }
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
            Command::ImportRecords {
                form, rows, source, ..
            } => format!("导入台账记录 {} 条（{form}，来自 {source}）", rows.len()),
            Command::EditRecord { id, draft, .. } => {
                if *draft {
                    format!("修改台账记录 #{id}（草稿）")
                } else {
                    format!("修改台账记录 #{id}")
                }
            }
            Command::SetNotApplicable { item, reason, .. } => match reason {
                Some(r) => format!("{} {} 标为不适用：{}", item.kind_zh(), item.id(), r.trim()),
                None => format!("{} {} 恢复为适用", item.kind_zh(), item.id()),
            },
            Command::SetCurrentCampaign { campaign } => format!("切换到活动 {campaign}"),
            Command::AdjustDeadline {
                task, due, reason, ..
            } => format!("任务 {task} 的完成时间调整为 {due}：{}", reason.trim()),
            Command::ArchiveCampaign { campaign, archived } => {
                if *archived {
                    format!("归档活动 {campaign}（只读）")
                } else {
                    format!("重新打开已归档的活动 {campaign}")
                }
            }
            Command::SetReporting { reporting } => format!(
                "报送设置：本办报送事项 {} 项，提前 {} 天提醒",
                reporting.office_reports.len(),
                reporting.remind_days
            ),
            Command::SubmitReport {
                unit,
                report,
                period_start,
                date,
                late_reason,
                ..
            } => {
                let late = if late_reason.is_some() {
                    "补报"
                } else {
                    "报送"
                };
                format!("{late}（单位 {unit}，事项 {report}，{period_start} 起的一期，{date}）")
            }
            Command::AcceptSubmission { id, .. } => format!("签收报送 #{id}"),
            Command::AddDemoData { data } => format!(
                "载入演示数据：{} 条进展、{} 份报送、{} 条台账记录",
                data.entries.len(),
                data.submissions.len(),
                data.records.len()
            ),
            Command::RemoveDemoData => "移除演示数据".to_owned(),
            Command::MoveSectorPlan { sector, campaign } => {
                format!("行业方案 {sector} 移到活动 {campaign}")
            }
            Command::ReturnSubmission { id, reason, .. } => {
                format!("退回报送 #{id}：{}", reason.trim())
            }
            Command::Supervise { action } => action.describe(),
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
            Command::SetPluginRootKey { key } => match key {
                Some(k) => format!(
                    "设置安委办根公钥（指纹 {}）",
                    k.get(..16).unwrap_or(k).to_ascii_lowercase()
                ),
                None => "移除安委办根公钥".to_owned(),
            },
            Command::SetPluginTrustList { list } => match list {
                Some(_) => "安装插件信任列表".to_owned(),
                None => "移除插件信任列表".to_owned(),
            },
            Command::RecordNotice {
                task,
                year,
                number,
                recipient,
                ..
            } => {
                format!("签发督办通知书〔{year}〕{number}号（任务 {task}，主送 {recipient}）")
            }
            Command::VoidNotice { year, number, .. } => {
                format!("作废督办通知书〔{year}〕{number}号")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(text: &str, percent: Option<u8>, done: bool) -> Command {
        Command::AddProgress {
            milestone: None,
            task: "t".into(),
            date: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            text: text.into(),
            percent,
            done,
            attach: vec![],
        }
    }

    #[test]
    fn a_notice_keeps_its_pdf_when_its_texts_are_cleaned() {
        let notice = |recipient: &str| Command::RecordNotice {
            task: "t".into(),
            year: 2026,
            number: 1,
            recipient: recipient.into(),
            new_deadline: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
            file: None,
            date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            pdf: b"%PDF-1.7".to_vec(),
            doc_prefix: String::new(),
        };
        let cleaned = notice("区\u{202e}住建局").cleaned().into_owned();
        assert_eq!(cleaned, notice("区住建局"));
        let Command::RecordNotice { pdf, .. } = cleaned else {
            panic!()
        };
        assert_eq!(pdf, b"%PDF-1.7");
    }

    #[test]
    fn texts_are_cleaned_of_invisible_and_control_characters_and_nothing_else_changes() {
        let dirty = add("已整改\u{200B}完毕\r\n见纪要\u{202E}", Some(40), false);
        assert_eq!(
            dirty.cleaned().into_owned(),
            add("已整改完毕\n见纪要", Some(40), false)
        );
        let unit = Command::AddUnit {
            name: "区\u{202E}局安应".into(),
            kind: UnitKind::Department,
            aliases: vec!["\u{FEFF}安监局".into()],
        };
        match unit.cleaned().into_owned() {
            Command::AddUnit { name, aliases, .. } => {
                assert_eq!(name, "区局安应");
                assert_eq!(aliases, ["安监局"]);
            }
            other => panic!("{other:?}"),
        }
        // Every kind of record value survives the round trip; a clean command is borrowed.
        let values: BTreeMap<String, Value> = [
            ("a", Value::Text("矿\u{200D}井".into())),
            ("b", Value::Integer(-3)),
            ("c", Value::Decimal(3.0)),
            ("d", Value::Decimal(0.1)),
            ("e", Value::Date("2020-06-30".into())),
            ("f", Value::Choices(vec!["x".into(), "y\u{7}".into()])),
            ("g", Value::Flag(true)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let rec = Command::AddRecord {
            form: "coal-mining/mine-register".into(),
            form_version: "1.0.0".into(),
            values,
            draft: false,
        };
        let Command::AddRecord { values, .. } = rec.cleaned().into_owned() else {
            panic!()
        };
        assert_eq!(values["a"], Value::Text("矿井".into()));
        assert_eq!(values["b"], Value::Integer(-3));
        assert_eq!(values["c"], Value::Decimal(3.0));
        assert_eq!(values["d"], Value::Decimal(0.1));
        assert_eq!(values["f"], Value::Choices(vec!["x".into(), "y".into()]));
        assert_eq!(values["g"], Value::Flag(true));
        let clean = add("已整改", None, true);
        assert!(matches!(clean.cleaned(), std::borrow::Cow::Borrowed(_)));
        // Paths, stored names and the signed trust list are not text: left as they are.
        let attach = Command::AddProgress {
            milestone: None,
            task: "t".into(),
            date: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            text: "见\u{200B}附件".into(),
            percent: None,
            done: false,
            attach: vec![crate::EvidenceSource {
                path: "/tmp/报告\u{200B}.pdf".into(),
            }],
        };
        let Command::AddProgress { text, attach, .. } = attach.cleaned().into_owned() else {
            panic!()
        };
        assert_eq!(text, "见附件");
        assert_eq!(attach[0].path, "/tmp/报告\u{200B}.pdf");
        let list = Command::SetPluginTrustList {
            list: Some("{\"部门\u{200B}\": 1}".into()),
        };
        assert!(matches!(list.cleaned(), std::borrow::Cow::Borrowed(_)));
        // A name keeps no line break.
        let two_lines = Command::RenameUnit {
            unit: "u0001".into(),
            name: "区应急\n管理局".into(),
        };
        let err = two_lines.cleaned().validate().unwrap_err();
        assert!(err.to_string().contains("U+000A"), "{err}");
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
    fn oversized_inputs_are_refused_naming_the_field_and_limit() {
        let long = "字".repeat(crate::limits::MAX_PROGRESS_TEXT_CHARS + 1);
        let msg = add(&long, None, false).validate().unwrap_err().to_string();
        assert!(msg.contains("进展内容太长"), "{msg}");
        assert!(msg.contains("上限 20000 个字"), "{msg}");
        let msg = Command::AddUnit {
            name: "单".repeat(101),
            kind: UnitKind::Department,
            aliases: vec![],
        }
        .validate()
        .unwrap_err()
        .to_string();
        assert!(msg.contains("单位名称太长"), "{msg}");
        let attach = (0..51)
            .map(|i| EvidenceSource {
                path: format!("/tmp/{i}.jpg"),
            })
            .collect();
        let cmd = Command::AddProgress {
            milestone: None,
            task: "t".into(),
            date: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            text: "x".into(),
            percent: None,
            done: false,
            attach,
        };
        let msg = cmd.validate().unwrap_err().to_string();
        assert!(msg.contains("附件太多"), "{msg}");
        let mut values = BTreeMap::new();
        values.insert(
            "remark".to_owned(),
            Value::Text("x".repeat(50 * 1024 * 1024)),
        );
        let msg = Command::AddRecord {
            form: "coal-mining/mine-register".into(),
            form_version: "1.0.0".into(),
            values,
            draft: false,
        }
        .validate()
        .unwrap_err()
        .to_string();
        assert!(msg.contains("字段“remark”的内容太长"), "{msg}");
        assert!(msg.contains("上限 10000 个字"), "{msg}");
    }

    #[test]
    fn commands_serialize_with_a_tag() {
        let json = serde_json::to_string(&add("x", None, false)).unwrap();
        assert!(json.starts_with("{\"command\":\"add_progress\""), "{json}");
    }
}
