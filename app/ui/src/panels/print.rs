//! 打印: 任务分工方案, 督办通知书 and 进展报告, laid out by `anwei-print` as a job
//! ([`crate::jobs`]), previewed page by page with the very faces the PDF embeds, and saved as
//! PDF (atomically, as a job too; both show their progress and can be cancelled). A
//! 督办通知书 is previewed and saved as a draft without a number; saved with "签发" ticked it
//! takes the next 文号: the panel pushes `Command::RecordNotice` with the PDF, and writes
//! the file once the notice is recorded. The register below the form lists issued notices,
//! prints one again byte for byte (`Action::ReprintNotice`) and voids one with a reason.
//!
//! Per frame the panel only polls its job and paints the visible items of one page; the
//! [`Document`] is cached until the inputs it was made from change.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use anwei_core::notice::{NoticeRefusal, check_notice};
use anwei_core::{
    Campaign, Command, FormDef, FormRecord, LatestProgress, Plan, Role, Status, Task, TaskRow,
    UnitDirectory,
};
use anwei_print::printer::{MAX_COPIES, PrintRequest, PrintService, PrinterError, Printers};
use anwei_print::{
    Direction, Document, Fonts, FormSheetSpec, Item, NoticeSpec, Page, PdfOptions, PrintData,
    PrintError, ReportSpec, Rgb, TargetLine, form_sheet, form_sheet_title, progress_report,
    render_pdf, supervision_notice, task_division_table, timeline_chart, write_pdf_file,
};
use anwei_store::NoticeReader;
use chrono::{Datelike, NaiveDate};
use egui::{
    Color32, ComboBox, FontData, FontFamily, FontId, RichText, ScrollArea, Sense, Stroke, TextEdit,
    Ui, pos2, vec2,
};

use crate::action::{Action, Origin};
use crate::jobs::{Job, JobCtl, JobError, Jobs, Progress};
use crate::model::DeskModel;
use crate::outcome::{Outcome, TakesOutcome};
use crate::widgets::{error_label, labelled_field, status_text};

/// The default 督办要求 (the notice prints "请你单位{督办要求}，于…前完成").
pub const DEFAULT_REQUIREMENT: &str =
    "立即研究部署，制定整改措施，明确责任人和完成时限，加快推进任务落实";

/// Days from today to the default new deadline of a notice.
pub const NOTICE_DAYS: i64 = 15;

/// Screen points per millimetre at 100 % (one PDF point is one egui point).
const PT_PER_MM: f32 = 72.0 / 25.4;

/// Grey margin around the page in the preview, points.
const PAGE_MARGIN: f32 = 16.0;

/// The egui font family of print face `i` (registered when the fonts are loaded).
pub fn face_family_name(i: usize) -> String {
    format!("print-face-{i}")
}

/// Which document is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DocKind {
    #[default]
    Division,
    Notice,
    Report,
    /// A plugin form's 登记表 (the form open on the 台账 tab), blank or of a record.
    Form,
    /// The 时间轴 on landscape pages.
    Timeline,
    /// A 督办事项's ladder document (工作提醒函, 催办通知, 督办函, 挂牌督办通知书, 约谈通知书).
    Letter,
    /// A 通报 of the series.
    Circular,
    /// The year-end 考核 sheets (as last computed on the 督办 tab).
    Assessment,
    /// One of 两个清单.
    Lists,
}

impl DocKind {
    pub const ALL: [DocKind; 9] = [
        DocKind::Division,
        DocKind::Notice,
        DocKind::Letter,
        DocKind::Circular,
        DocKind::Report,
        DocKind::Assessment,
        DocKind::Lists,
        DocKind::Timeline,
        DocKind::Form,
    ];

    /// Saved with "签发" ticked, it takes the next 文号 and is recorded.
    pub fn can_issue(self) -> bool {
        matches!(self, DocKind::Notice | DocKind::Letter)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            DocKind::Division => "任务分工方案",
            DocKind::Notice => "督办通知书",
            DocKind::Report => "进展报告",
            DocKind::Form => "登记表",
            DocKind::Timeline => "时间轴图",
            DocKind::Letter => "督办文书",
            DocKind::Circular => "通报",
            DocKind::Assessment => "考核表",
            DocKind::Lists => "两个清单",
        }
    }
}

/// What a document is made from: equal requests (on an unchanged model) give equal documents.
#[derive(Debug, Clone, PartialEq)]
pub enum DocRequest {
    Division {
        plan: Option<String>,
        label: String,
    },
    Notice(NoticeSpec),
    Report(ReportSpec),
    /// A form's 登记表: blank, or of the record as the ledger holds it.
    Form {
        form: FormDef,
        record: Option<FormRecord>,
        chinese_date: bool,
    },
    /// The 时间轴 of one plan or of the whole campaign.
    Timeline {
        plan: Option<String>,
    },
    Letter(Box<LetterRequest>),
    Circular(Box<CircularRequest>),
    Assessment(Box<anwei_session::assessment::Assessment>),
    List {
        kind: anwei_core::supervision::ListKind,
        entries: Vec<anwei_core::supervision::ListEntry>,
        names: std::collections::BTreeMap<String, String>,
        office: String,
        chinese_date: bool,
    },
}

/// A ladder document, owned (what [`anwei_print::LetterSpec`] borrows).
#[derive(Debug, Clone, PartialEq)]
pub struct LetterRequest {
    pub item: anwei_core::supervision::Item,
    pub step: anwei_core::accountability::Step,
    pub unit_name: String,
    pub doc_number: Option<(i32, u32)>,
    pub doc_prefix: String,
    pub office: String,
    pub reply_by: NaiveDate,
    pub contact: String,
    pub date: NaiveDate,
    pub chinese_date: bool,
    pub copy_to: Vec<String>,
    pub task_text: Option<String>,
}

/// A 通报, owned, with what it says of each unit named (its count as of the 通报).
#[derive(Debug, Clone, PartialEq)]
pub struct CircularRequest {
    pub circular: anwei_core::supervision::Circular,
    pub named: Vec<(String, String, Option<String>)>,
    pub items: Vec<anwei_print::ItemLine>,
    pub office: String,
    pub recipient: String,
    pub chinese_date: bool,
}

impl DocRequest {
    /// The suggested file name, e.g. "任务分工方案-reform.pdf".
    pub fn file_name(&self) -> String {
        let name = match self {
            DocRequest::Division { plan, .. } => {
                format!("任务分工方案-{}", plan.as_deref().unwrap_or("全部"))
            }
            DocRequest::Notice(spec) => match spec.doc_number {
                Some((year, n)) => format!("督办通知书-{}〔{year}〕{n}号", spec.doc_prefix),
                None => format!("督办通知书-草稿-{}", spec.task_id),
            },
            DocRequest::Report(spec) => {
                format!("进展报告-{}", spec.plan.as_deref().unwrap_or("全部"))
            }
            DocRequest::Timeline { plan } => {
                format!("时间轴-{}", plan.as_deref().unwrap_or("全部"))
            }
            DocRequest::Letter(r) => {
                let title = r.step.document_zh().unwrap_or("督办文书");
                match r.doc_number {
                    Some((year, n)) => format!("{title}-{}〔{year}〕{n}号", r.doc_prefix),
                    None => format!("{title}-草稿-督办事项{}", r.item.id),
                }
            }
            DocRequest::Circular(r) => format!("安全生产工作通报-{}", r.circular.number_text()),
            DocRequest::Assessment(a) => format!("{}年度考核结果", a.year),
            DocRequest::List { kind, .. } => kind.label_zh().to_owned(),
            DocRequest::Form { form, record, .. } => {
                let title = form_sheet_title(form);
                match record {
                    Some(r) => format!("{title}-记录{}", r.id),
                    None => format!("{title}-空白"),
                }
            }
        };
        let safe: String = name
            .chars()
            .map(|c| {
                if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        format!("{safe}.pdf")
    }
}

/// The model data a document is laid out from, owned so that it can go to a worker thread.
#[derive(Debug, Clone)]
struct Snapshot {
    campaign: Campaign,
    plans: Vec<Plan>,
    tasks: Vec<Task>,
    units: UnitDirectory,
    rows: Vec<TaskRow>,
    latest: HashMap<String, LatestProgress>,
    targets: Vec<TargetLine>,
    today: NaiveDate,
    /// The day each task was reported done, as known on `today` (the 时间轴's ✔).
    done: HashMap<String, NaiveDate>,
    /// The 发文机关 and the date style (the 考核表's 署名).
    campaign_office: String,
    chinese_date: bool,
}

impl Snapshot {
    fn of(model: &DeskModel) -> Self {
        Snapshot {
            campaign: model.campaign.clone(),
            plans: model.plans.clone(),
            tasks: model.tasks.clone(),
            units: model.units.clone(),
            rows: model.rows.clone(),
            latest: model.progress.clone(),
            targets: model
                .target_rows
                .iter()
                .map(|r| {
                    TargetLine::new(r.target.clone(), r.evaluation.clone(), r.status, &r.towns)
                        .with_not_applicable(r.not_applicable.clone())
                })
                .collect(),
            today: model.today,
            campaign_office: model.office_name(),
            chinese_date: model.settings.chinese_date,
            done: model
                .entries
                .iter()
                .filter_map(|(task, list)| {
                    list.iter()
                        .filter(|e| e.done && e.date <= model.today)
                        .map(|e| e.date)
                        .min()
                        .map(|d| (task.clone(), d))
                })
                .collect(),
        }
    }

    fn layout(&self, fonts: &Fonts, request: &DocRequest) -> Result<Document, PrintError> {
        let data = PrintData {
            campaign: &self.campaign,
            plans: &self.plans,
            tasks: &self.tasks,
            units: &self.units,
            rows: &self.rows,
            latest: &self.latest,
            targets: &self.targets,
            today: self.today,
        };
        match request {
            DocRequest::Division { plan, label } => {
                task_division_table(&data, fonts, plan.as_deref(), Some(label.trim()))
            }
            DocRequest::Notice(spec) => supervision_notice(&data, fonts, spec),
            DocRequest::Report(spec) => progress_report(&data, fonts, spec),
            DocRequest::Timeline { plan } => timeline_chart(&data, fonts, plan.as_deref(), &|t| {
                self.done.get(t).copied()
            }),
            DocRequest::Letter(r) => anwei_print::supervision_letter(
                fonts,
                &anwei_print::LetterSpec {
                    item: &r.item,
                    step: r.step,
                    unit_name: r.unit_name.clone(),
                    doc_number: r.doc_number,
                    doc_prefix: r.doc_prefix.clone(),
                    issuing_office: r.office.clone(),
                    reply_by: r.reply_by,
                    contact: r.contact.clone(),
                    date: r.date,
                    chinese_date: r.chinese_date,
                    copy_to: r.copy_to.clone(),
                    task_text: r.task_text.clone(),
                },
            ),
            DocRequest::Circular(r) => anwei_print::circular_document(
                fonts,
                &anwei_print::CircularSpec {
                    circular: &r.circular,
                    named: r.named.clone(),
                    items: r.items.clone(),
                    issuing_office: r.office.clone(),
                    recipient: r.recipient.clone(),
                    chinese_date: r.chinese_date,
                },
            ),
            DocRequest::Assessment(a) => anwei_print::assessment_document(
                fonts,
                &a.sheets,
                &a.names,
                &a.problems,
                &self.campaign_office,
                self.today,
                self.chinese_date,
            ),
            DocRequest::List {
                kind,
                entries,
                names,
                office,
                chinese_date,
            } => {
                let refs: Vec<&anwei_core::supervision::ListEntry> = entries.iter().collect();
                anwei_print::list_document(
                    fonts,
                    *kind,
                    &refs,
                    names,
                    office,
                    self.today,
                    *chinese_date,
                )
            }
            DocRequest::Form {
                form,
                record,
                chinese_date,
            } => form_sheet(
                fonts,
                &FormSheetSpec {
                    form,
                    record: record.as_ref(),
                    units: &self.units,
                    today: self.today,
                    chinese_date: *chinese_date,
                },
            ),
        }
    }
}

/// A request on a given model generation: the cache key of a laid-out document.
#[derive(Debug, Clone, PartialEq)]
struct DocKey {
    request: DocRequest,
    generation: u64,
}

/// A laid-out document and what it was made from.
#[derive(Debug, Clone)]
pub struct Preview {
    key: DocKey,
    pub doc: Arc<Document>,
}

impl Preview {
    pub fn request(&self) -> &DocRequest {
        &self.key.request
    }
}

/// A notice being issued: recorded with its PDF, then the file written.
#[derive(Debug, Clone)]
struct PendingNotice {
    /// A 督办事项's ladder document: the item, the step, the reply-by day (else a task's
    /// 督办通知书).
    letter: Option<(u64, anwei_core::accountability::Step, NaiveDate)>,
    task: String,
    year: i32,
    number: u32,
    recipient: String,
    new_deadline: NaiveDate,
    date: NaiveDate,
    doc_prefix: String,
}

/// What a print job answers.
enum Finished {
    Laid {
        key: DocKey,
        fonts: Result<Arc<Fonts>, String>,
        doc: Result<Document, String>,
    },
    Saved {
        path: PathBuf,
        fonts: Result<Arc<Fonts>, String>,
        /// The document saved (kept as the preview when it was laid out for the save).
        doc: Option<(DocKey, Arc<Document>)>,
        /// Written; for a notice being issued, the PDF to record (the file is written once
        /// it is recorded).
        result: Result<Option<Vec<u8>>, String>,
        notice: Option<PendingNotice>,
        /// Printed (the file was temporary): the print service's job, or why not.
        sent: Option<Result<String, String>>,
    },
    /// A PDF as it was (an issued notice, `label`) handed to the print service.
    Spooled {
        label: String,
        sent: Result<String, String>,
    },
    /// An issued notice's PDF written to a file (after issuing, or reprinted from the
    /// register): what to say, as done or as the error.
    Written { said: Result<String, String> },
    /// Stopped at the user's request (the fonts, once loaded, are kept).
    Cancelled {
        fonts: Option<Result<Arc<Fonts>, String>>,
    },
}

/// What the print job is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    Layout,
    Save,
    /// Saving to a temporary file and handing it to the print service.
    Print,
}

impl JobKind {
    pub fn progress_zh(self) -> &'static str {
        match self {
            JobKind::Layout => "正在排版…",
            JobKind::Save => "正在生成 PDF…",
            JobKind::Print => "正在打印…",
        }
    }

    fn cancelled_zh(self) -> &'static str {
        match self {
            JobKind::Layout => "已取消排版",
            JobKind::Save => "已取消，PDF 未保存",
            JobKind::Print => "已取消，未打印",
        }
    }

    fn failed_zh(self, e: &JobError) -> String {
        match self {
            JobKind::Layout => format!("排版失败：{e}"),
            JobKind::Save => format!("生成 PDF 失败：{e}，文件未保存"),
            JobKind::Print => format!("打印失败：{e}"),
        }
    }
}

struct PrintJob {
    kind: JobKind,
    job: Job<Finished>,
}

/// The bytes of one print face, shared with egui without copying.
struct FaceBytes {
    fonts: Arc<Fonts>,
    face: usize,
}

impl AsRef<[u8]> for FaceBytes {
    fn as_ref(&self) -> &[u8] {
        self.fonts
            .faces()
            .get(self.face)
            .map_or(&[], |f| f.data().0)
    }
}

/// UI state of the print panel.
pub struct PrintState {
    pub kind: DocKind,
    /// Plan of the 任务分工方案 and the report; `None` = 全部.
    pub plan: Option<String>,
    /// "附件N" printed above the table ("" = none).
    pub attachment_label: String,
    /// The plan the label was defaulted for.
    label_for: Option<Option<String>>,
    /// The task of the notice.
    pub notice_task: Option<String>,
    /// List every task in the notice's task selector, not only the 逾期 / 临期 ones.
    pub all_tasks: bool,
    pub recipient: String,
    /// The task the recipient was defaulted for.
    recipient_for: Option<String>,
    /// "YYYY-MM-DD".
    pub deadline: String,
    pub deadline_error: Option<String>,
    pub requirement: String,
    pub contact: String,
    /// 抄送: units separated by "、" (printed in the 版记).
    pub copy_to: String,
    /// 主送机关 of a progress report (empty: the committee the office serves).
    pub report_to: String,
    /// 登记表: print a record (else the blank form), and the record's number as typed.
    pub form_filled: bool,
    pub form_record: String,
    /// The notice fields were filled from the settings once.
    notice_filled: bool,
    /// The day the deadline field's default was computed for.
    deadline_for: Option<NaiveDate>,
    /// Saving a notice issues it (takes the next 文号, records it with its PDF); off, a
    /// draft without a number is saved. Cleared after each issue.
    pub issue_on_save: bool,
    /// Set while the key of a notice being issued is made.
    issuing: bool,
    /// The issued notice being voided, (year, number), and the reason typed.
    pub void: Option<((i32, u32), String)>,
    /// What the register's buttons asked for, handed over at the next `poll`.
    queued: Vec<Action>,
    /// The print service (tests point it at stand-ins).
    pub service: PrintService,
    /// The printers, once looked for (or why there are none).
    pub printers: Option<Result<Printers, PrinterError>>,
    /// The printer chosen, copies, both sides.
    pub printer: Option<String>,
    pub copies: u32,
    pub duplex: bool,
    /// Looking for the printers (the print service is asked off the UI thread).
    printers_job: Option<Job<Result<Printers, PrinterError>>>,
    /// Preview zoom, 0.5–2.0.
    pub zoom: f32,
    pub fit_width: bool,
    /// Page shown, 0-based.
    pub page: usize,
    pub save_path: String,
    /// The last error (layout, save); shown in the panel.
    pub error: Option<String>,
    /// The last success message of a save.
    pub message: Option<String>,
    fonts: Option<Arc<Fonts>>,
    /// egui families of the print faces, once registered with the context.
    families: Vec<FontFamily>,
    fonts_registered: bool,
    fonts_live: bool,
    jobs: Jobs,
    job: Option<PrintJob>,
    preview: Option<Preview>,
    /// Lay out the preview when the panel is next drawn (opened from a task's detail).
    auto_preview: bool,
    /// The 督办事项 of a ladder document, and its step (`None`: the next one due).
    pub letter_item: Option<u64>,
    pub letter_step: Option<anwei_core::accountability::Step>,
    /// The 通报 printed, and its 主送.
    pub circular: Option<u64>,
    pub circular_to: String,
    pub list_kind: anwei_core::supervision::ListKind,
}

impl Default for PrintState {
    fn default() -> Self {
        PrintState {
            kind: DocKind::Division,
            plan: None,
            attachment_label: String::new(),
            label_for: None,
            notice_task: None,
            all_tasks: false,
            recipient: String::new(),
            recipient_for: None,
            deadline: String::new(),
            deadline_error: None,
            requirement: DEFAULT_REQUIREMENT.to_owned(),
            contact: String::new(),
            copy_to: String::new(),
            report_to: String::new(),
            form_filled: false,
            form_record: String::new(),
            notice_filled: false,
            deadline_for: None,
            issue_on_save: false,
            issuing: false,
            void: None,
            queued: Vec::new(),
            service: PrintService::default(),
            printers: None,
            printer: None,
            copies: 1,
            duplex: false,
            printers_job: None,
            zoom: 1.0,
            fit_width: true,
            page: 0,
            save_path: String::new(),
            error: None,
            message: None,
            fonts: None,
            families: Vec::new(),
            fonts_registered: false,
            fonts_live: false,
            jobs: Jobs::default(),
            job: None,
            preview: None,
            auto_preview: false,
            letter_item: None,
            letter_step: None,
            circular: None,
            circular_to: String::new(),
            list_kind: anwei_core::supervision::ListKind::Problems,
        }
    }
}

impl std::fmt::Debug for PrintState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrintState")
            .field("kind", &self.kind)
            .field("plan", &self.plan)
            .field("notice_task", &self.notice_task)
            .field("page", &self.page)
            .field("busy", &self.busy())
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

/// The default new deadline of a notice: [`NOTICE_DAYS`] after `today`, or why there is
/// none (past the last date the calendar can represent).
fn default_deadline(today: NaiveDate) -> Result<NaiveDate, String> {
    today
        .checked_add_signed(chrono::Duration::days(NOTICE_DAYS))
        .ok_or_else(|| {
            format!(
                "{} 加 {NOTICE_DAYS} 天超出了可表示的日期范围，请自己填写新的完成时限（YYYY-MM-DD）",
                today.format("%Y-%m-%d")
            )
        })
}

/// 发文机关: the setting, else "{region}安全生产委员会办公室".
pub fn office_name(model: &DeskModel) -> String {
    model.settings.issuing_office(&model.campaign)
}

/// The 文号 the next notice of today's year gets: "{prefix}〔{year}〕{n}号".
pub fn next_doc_number(model: &DeskModel) -> String {
    format!(
        "{}〔{}〕{}号",
        model.settings.doc_prefix,
        model.today.year(),
        model.next_notice_number()
    )
}

impl PrintState {
    /// The panel, running its layouts and saves with `jobs`.
    pub fn new(jobs: Jobs) -> Self {
        PrintState {
            jobs,
            ..PrintState::default()
        }
    }

    /// Presets the panel to a 督办通知书 for `task` (the detail's "打印督办通知书…").
    pub fn preset_notice(&mut self, task: &str) {
        self.kind = DocKind::Notice;
        self.notice_task = Some(task.to_owned());
        self.error = None;
        self.message = None;
        self.auto_preview = true;
    }

    /// The ladder document the form describes; what it would say must be so.
    fn letter_request(&mut self, model: &DeskModel) -> Result<LetterRequest, String> {
        let Some(id) = self.letter_item else {
            return Err("请先选择督办事项".to_owned());
        };
        let Some(item) = model.registers.items.iter().find(|i| i.id == id) else {
            return Err(format!("没有督办事项 #{id}"));
        };
        let step = match self.letter_step {
            Some(s) => s,
            None => match item.next_step(&model.settings.supervision.ladder) {
                Some((anwei_core::accountability::Step::Circular, _)) => {
                    return Err(
                        "该事项的下一步是通报：请在“督办→通报”中编发，或在这里选择其他文书"
                            .to_owned(),
                    );
                }
                Some((s, _)) => s,
                None => {
                    return Err(format!(
                        "督办事项 #{id}{}，没有下一步可走",
                        item.state().label_zh()
                    ));
                }
            },
        };
        let reply_by = match NaiveDate::parse_from_str(self.deadline.trim(), "%Y-%m-%d") {
            Ok(d) => {
                self.deadline_error = None;
                d
            }
            Err(_) => {
                let msg = format!(
                    "办理时限“{}”无效，应写作 YYYY-MM-DD，例如 2020-09-30",
                    self.deadline.trim()
                );
                self.deadline_error = Some(msg.clone());
                return Err(msg);
            }
        };
        let year = model.today.year();
        anwei_print::check_letter(item, step, model.today, Some(year), reply_by)?;
        let task_text = item.source.task.as_deref().and_then(|t| {
            let task = model.task(t)?;
            let plan = model.plan(&task.plan).map(|p| format!("《{}》", p.title));
            Some(format!(
                "{}第{}项任务",
                plan.unwrap_or_default(),
                task.label
            ))
        });
        Ok(LetterRequest {
            item: item.clone(),
            step,
            unit_name: model.units.name_of(&item.unit).to_owned(),
            doc_number: self.issuing.then(|| (year, model.next_notice_number())),
            doc_prefix: model.settings.doc_prefix.clone(),
            office: office_name(model),
            reply_by,
            contact: self.contact.trim().to_owned(),
            date: model.today,
            chinese_date: model.settings.chinese_date,
            copy_to: self
                .copy_to
                .split(['、', '，', ',', '；', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            task_text,
        })
    }

    /// Presets the panel to a 督办事项's next ladder document (from the 督办 tab).
    pub fn preset_letter(&mut self, item: u64) {
        self.kind = DocKind::Letter;
        self.letter_item = Some(item);
        self.letter_step = None;
        self.error = None;
        self.message = None;
        self.auto_preview = true;
    }

    /// Presets the panel to the 登记表 of the open ledger's form: blank, or of `record`
    /// (the ledger's "打印空白表" / "打印登记表").
    pub fn preset_form(&mut self, record: Option<u64>) {
        self.kind = DocKind::Form;
        self.form_filled = record.is_some();
        self.form_record = record.map(|id| id.to_string()).unwrap_or_default();
        self.error = None;
        self.message = None;
        self.auto_preview = true;
    }

    /// A job is running.
    pub fn busy(&self) -> Option<JobKind> {
        self.job.as_ref().map(|j| j.kind)
    }

    /// How far the running job is.
    pub fn progress(&self) -> Option<Progress> {
        self.job.as_ref().map(|j| j.job.progress())
    }

    /// Asks the running job to stop (a save stops before the file is written).
    pub fn cancel(&self) {
        if let Some(j) = &self.job {
            j.job.cancel();
        }
    }

    fn cancel_requested(&self) -> bool {
        self.job.as_ref().is_some_and(|j| j.job.cancel_requested())
    }

    /// The document shown, if any.
    pub fn preview(&self) -> Option<&Preview> {
        self.preview.as_ref()
    }

    pub fn document(&self) -> Option<&Document> {
        self.preview.as_ref().map(|p| p.doc.as_ref())
    }

    pub fn page_count(&self) -> usize {
        self.document().map_or(0, |d| d.pages.len())
    }

    /// The print faces are registered with egui and in use by the preview.
    pub fn fonts_live(&self) -> bool {
        self.fonts_live
    }

    /// Fills the notice fields that depend on the model (once, and on a change of task).
    fn fill_notice_defaults(&mut self, model: &DeskModel) {
        if !self.notice_filled {
            self.notice_filled = true;
            self.contact.clone_from(&model.settings.contact);
        }
        // The default deadline follows the day the notice is dated (状态截至) until the user
        // writes one of their own.
        if self.deadline_for != Some(model.today) {
            let own = self.deadline_for.is_some_and(|before| {
                let was = default_deadline(before)
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default();
                self.deadline.trim() != was
            });
            self.deadline_for = Some(model.today);
            if !own {
                self.deadline_error = None;
                match default_deadline(model.today) {
                    Ok(d) => self.deadline = d.format("%Y-%m-%d").to_string(),
                    Err(msg) => {
                        self.deadline.clear();
                        self.deadline_error = Some(msg);
                    }
                }
            }
        }
        if self.notice_task.is_none() {
            self.notice_task = model
                .rows
                .iter()
                .find(|r| r.status == Status::Overdue)
                .or_else(|| model.rows.iter().find(|r| r.status == Status::DueSoon))
                .map(|r| r.id.clone());
        }
        if self.recipient_for != self.notice_task {
            self.recipient_for.clone_from(&self.notice_task);
            self.recipient = self
                .notice_task
                .as_deref()
                .and_then(|t| model.task(t))
                .and_then(|t| {
                    t.units_in(Role::Lead)
                        .next()
                        .or_else(|| t.roles.first().map(|r| r.unit.as_str()))
                })
                .map(|u| model.units.name_of(u).to_owned())
                .unwrap_or_default();
        }
    }

    fn fill_label_default(&mut self, model: &DeskModel) {
        if self.label_for.as_ref() != Some(&self.plan) {
            self.label_for = Some(self.plan.clone());
            self.attachment_label = self
                .plan
                .as_deref()
                .and_then(|p| model.plan(p))
                .map(|p| p.code.clone())
                .unwrap_or_default();
        }
    }

    /// The request the inputs describe, or the message to show (at the field it concerns).
    fn request(&mut self, model: &DeskModel) -> Result<DocRequest, String> {
        match self.kind {
            DocKind::Division => Ok(DocRequest::Division {
                plan: self.plan.clone(),
                label: self.attachment_label.trim().to_owned(),
            }),
            DocKind::Timeline => Ok(DocRequest::Timeline {
                plan: self.plan.clone(),
            }),
            DocKind::Report => Ok(DocRequest::Report(ReportSpec {
                plan: self.plan.clone(),
                recipient: match self.report_to.trim() {
                    "" => model.settings.report_recipient(&model.campaign),
                    to => to.to_owned(),
                },
                issuing_office: office_name(model),
                chinese_date: model.settings.chinese_date,
                target_problems: model
                    .targets_pending
                    .iter()
                    .map(|form| {
                        format!(
                            "“{form}”的指标数值尚未算完，相关指标暂按已有数值列出，稍候可重新生成"
                        )
                    })
                    .collect(),
            })),
            DocKind::Form => {
                let Some(ledger) = &model.ledger else {
                    return Err("请先在“台账”页打开要打印的表单".to_owned());
                };
                let record = if self.form_filled {
                    let typed = self.form_record.trim();
                    let id: u64 = typed.trim_start_matches('#').parse().map_err(|_| {
                        format!("请填写记录编号（数字，在台账中打开记录可见“记录 #编号”），而不是“{typed}”")
                    })?;
                    let record = ledger.record(id).ok_or_else(|| {
                        format!("“{}”中没有编号为 {id} 的记录", ledger.form().title)
                    })?;
                    if record.deleted {
                        return Err(PrintError::DeletedRecord(id).to_string());
                    }
                    Some(record.clone())
                } else {
                    None
                };
                Ok(DocRequest::Form {
                    form: ledger.form().clone(),
                    record,
                    chinese_date: model.settings.chinese_date,
                })
            }
            DocKind::Letter => self
                .letter_request(model)
                .map(|r| DocRequest::Letter(Box::new(r))),
            DocKind::Circular => {
                let Some(id) = self.circular else {
                    return Err("请先选择要打印的通报".to_owned());
                };
                let regs = &model.registers;
                let Some(c) = regs.circulars.iter().find(|c| c.id == id) else {
                    return Err(format!("没有通报 #{id}"));
                };
                let named = regs
                    .counts_as_of(c)
                    .into_iter()
                    .map(|(n, count)| {
                        let name = if n.member {
                            model.units.name_of(&n.unit).to_owned()
                        } else {
                            n.unit.clone()
                        };
                        let cost = anwei_print::circular_cost_text(
                            &model.settings.supervision.circular,
                            count,
                            n.member,
                            c.voided.is_some(),
                        );
                        (name, n.issue.clone(), cost)
                    })
                    .collect();
                let items = c
                    .items
                    .iter()
                    .filter_map(|i| regs.items.iter().find(|x| x.id == *i))
                    .map(|i| anwei_print::ItemLine::of(i, model.units.name_of(&i.unit), c.date))
                    .collect();
                let to = self.circular_to.trim();
                Ok(DocRequest::Circular(Box::new(CircularRequest {
                    circular: c.clone(),
                    named,
                    items,
                    office: office_name(model),
                    recipient: if to.is_empty() {
                        DEFAULT_CIRCULAR_TO.to_owned()
                    } else {
                        to.to_owned()
                    },
                    chinese_date: model.settings.chinese_date,
                })))
            }
            DocKind::Assessment => match &model.assessment {
                Some(a) => Ok(DocRequest::Assessment(Box::new(a.clone()))),
                None => Err("考核表尚未计算：请先到“督办→年度考核”计算".to_owned()),
            },
            DocKind::Lists => {
                let entries: Vec<anwei_core::supervision::ListEntry> = model
                    .registers
                    .lists
                    .iter()
                    .filter(|e| e.list == self.list_kind)
                    .cloned()
                    .collect();
                let names = entries
                    .iter()
                    .map(|e| (e.unit.clone(), model.units.name_of(&e.unit).to_owned()))
                    .collect();
                Ok(DocRequest::List {
                    kind: self.list_kind,
                    entries,
                    names,
                    office: office_name(model),
                    chinese_date: model.settings.chinese_date,
                })
            }
            DocKind::Notice => {
                let Some(task) = self.notice_task.clone() else {
                    return Err("请先选择要督办的任务".to_owned());
                };
                let deadline = match NaiveDate::parse_from_str(self.deadline.trim(), "%Y-%m-%d") {
                    Ok(d) => {
                        self.deadline_error = None;
                        d
                    }
                    Err(_) => {
                        let msg = match default_deadline(model.today) {
                            // Left empty because today + 15 days is past the last date.
                            Err(msg) if self.deadline.trim().is_empty() => msg,
                            _ => format!(
                                "完成时限“{}”无效，应写作 YYYY-MM-DD，例如 2020-09-30",
                                self.deadline.trim()
                            ),
                        };
                        self.deadline_error = Some(msg.clone());
                        return Err(msg);
                    }
                };
                // What the notice would say must be so (its date is the desk's day).
                if let Some(row) = model.row(&task) {
                    let checked = check_notice(
                        &task,
                        row.status,
                        model.today,
                        Some(model.today.year()),
                        deadline,
                    );
                    if let Err(refusal) = checked {
                        let msg = refusal.to_string();
                        if matches!(refusal, NoticeRefusal::DeadlineNotAfter { .. }) {
                            self.deadline_error = Some(msg.clone());
                        }
                        return Err(msg);
                    }
                }
                let recipient = self.recipient.trim();
                if recipient.is_empty() {
                    return Err("请填写主送单位".to_owned());
                }
                let requirement = self.requirement.trim();
                Ok(DocRequest::Notice(NoticeSpec {
                    task_id: task,
                    doc_number: self
                        .issuing
                        .then(|| (model.today.year(), model.next_notice_number())),
                    doc_prefix: model.settings.doc_prefix.clone(),
                    issuing_office: office_name(model),
                    recipient_unit: Some(recipient.to_owned()),
                    new_deadline: deadline,
                    required_action: if requirement.is_empty() {
                        DEFAULT_REQUIREMENT.to_owned()
                    } else {
                        requirement.to_owned()
                    },
                    contact: self.contact.trim().to_owned(),
                    date: model.today,
                    chinese_date: model.settings.chinese_date,
                    copy_to: self
                        .copy_to
                        .split(['、', '，', ',', '；', ';'])
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect(),
                }))
            }
        }
    }

    fn key(&mut self, model: &DeskModel) -> Result<DocKey, String> {
        Ok(DocKey {
            request: self.request(model)?,
            generation: model.generation(),
        })
    }

    /// The key of the inputs, or `None` with the message shown at its field (the date) or
    /// under the buttons.
    fn checked_key(&mut self, model: &DeskModel) -> Option<DocKey> {
        match self.key(model) {
            Ok(k) => Some(k),
            Err(msg) => {
                self.message = None;
                self.error = (self.deadline_error.as_ref() != Some(&msg)).then_some(msg);
                None
            }
        }
    }

    /// Starts laying out the document the inputs describe (as a job).
    pub fn start_preview(&mut self, model: &DeskModel) {
        if self.job.is_some() {
            return;
        }
        let Some(key) = self.checked_key(model) else {
            return;
        };
        self.error = None;
        let snapshot = Snapshot::of(model);
        let fonts = self.fonts.clone();
        self.spawn(JobKind::Layout, move |ctl| {
            ctl.report(Some(0.0), "载入字体");
            let fonts = load_fonts(fonts);
            if ctl.cancelled() {
                return Ok(Finished::Cancelled { fonts: Some(fonts) });
            }
            ctl.report(Some(0.3), "排版");
            let doc = match &fonts {
                Ok(f) => snapshot
                    .layout(f, &key.request)
                    .map_err(|e| format!("排版失败：{e}")),
                Err(e) => Err(e.clone()),
            };
            Ok(Finished::Laid { key, fonts, doc })
        });
    }

    /// The print request the panel's choices make.
    fn print_request(&self) -> PrintRequest {
        PrintRequest {
            printer: self.printer.clone(),
            copies: self.copies,
            duplex: self.duplex,
        }
    }

    /// Sends the document the inputs describe to the chosen printer, as a job: saved to a
    /// temporary file (a notice as a draft: printing never issues one), handed to the print
    /// service, the file removed.
    pub fn start_print(&mut self, model: &DeskModel) {
        self.save_to(model, PathBuf::new(), Some(self.print_request()));
    }

    /// Reprints issued notice (`year`, `number`) as it was issued, as a job: read from the
    /// register (checked against its SHA-256), then written to `to` or, without a path,
    /// sent to the chosen printer. `prefix`: today's 机关代字, for a notice issued before
    /// its own was kept.
    pub fn start_issued(
        &mut self,
        notices: NoticeReader,
        (year, number): (i32, u32),
        prefix: String,
        to: Option<PathBuf>,
    ) {
        if self.job.is_some() {
            self.error = Some("正在排版或保存，请稍后再重印或打印".to_owned());
            return;
        }
        let (service, request) = (self.service.clone(), self.print_request());
        self.error = None;
        self.message = None;
        let kind = if to.is_some() {
            JobKind::Save
        } else {
            JobKind::Print
        };
        self.spawn(kind, move |_| {
            let issued = notices.issued_notice(year, number);
            let label = issued.as_ref().map_or_else(
                |_| format!("督办通知书〔{year}〕{number}号"),
                |(n, _)| format!("督办通知书{}", n.doc_number(&prefix)),
            );
            let (_, pdf) = match issued {
                Ok(found) => found,
                Err(e) => {
                    return Ok(match to {
                        Some(_) => Finished::Written {
                            said: Err(e.to_string()),
                        },
                        None => Finished::Spooled {
                            label,
                            sent: Err(e.to_string()),
                        },
                    });
                }
            };
            Ok(match to {
                Some(path) => Finished::Written {
                    said: write_pdf_file(&path, &pdf)
                        .map(|()| format!("已重印{label}到 {}（与签发时相同）", path.display()))
                        .map_err(|e| format!("{label}未能重印到 {}：{e}", path.display())),
                },
                None => Finished::Spooled {
                    sent: service
                        .print_pdf(&pdf, &label, &request)
                        .map(|job| request.sent_text(&job))
                        .map_err(|e| e.to_string()),
                    label,
                },
            })
        });
    }

    /// Writes an issued notice's PDF to the file chosen when it was issued, as a job; `said`:
    /// what the status line says of the issue, the file's fate added.
    fn start_write_issued(&mut self, said: String, path: PathBuf, pdf: Vec<u8>) {
        self.spawn(JobKind::Save, move |_| {
            Ok(Finished::Written {
                said: match write_pdf_file(&path, &pdf) {
                    Ok(()) => Ok(format!("{said}，PDF 已保存到 {}", path.display())),
                    Err(e) => Err(format!(
                        "{said}，但 PDF 没有保存到 {}（{e}）；原件在登记簿中，可点“重印…”另存",
                        path.display()
                    )),
                },
            })
        });
    }

    /// Looks for the printers, as a job (once; again when `again`).
    pub fn find_printers(&mut self, again: bool) {
        if (self.printers.is_none() || again) && self.printers_job.is_none() {
            let service = self.service.clone();
            self.printers_job = Some(
                self.jobs
                    .spawn("anwei-printers", move |_| Ok(service.printers())),
            );
        }
    }

    /// Whether the printers are being looked for.
    pub fn printers_busy(&self) -> bool {
        self.printers_job.is_some()
    }

    pub fn start_save(&mut self, model: &DeskModel, path: PathBuf) {
        self.save_to(model, path, None);
    }

    /// Saves to `path`, or, with `to_printer`, to that temporary path and then prints.
    fn save_to(&mut self, model: &DeskModel, path: PathBuf, to_printer: Option<PrintRequest>) {
        if self.job.is_some() {
            return;
        }
        let may_issue = to_printer.is_none();
        self.issuing = may_issue && self.kind.can_issue() && self.issue_on_save;
        let key = self.checked_key(model);
        self.issuing = false;
        let Some(key) = key else {
            return;
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
            && !parent.is_dir()
        {
            self.error = Some(format!(
                "无法保存：文件夹“{}”不存在，请先创建它或换一个位置",
                parent.display()
            ));
            return;
        }
        self.error = None;
        self.message = None;
        let notice = match &key.request {
            DocRequest::Letter(r) => r.doc_number.map(|(year, number)| PendingNotice {
                letter: Some((r.item.id, r.step, r.reply_by)),
                task: String::new(),
                year,
                number,
                recipient: r.unit_name.clone(),
                new_deadline: r.reply_by,
                date: r.date,
                doc_prefix: r.doc_prefix.clone(),
            }),
            DocRequest::Notice(spec) => spec.doc_number.map(|(year, number)| PendingNotice {
                letter: None,
                task: spec.task_id.clone(),
                year,
                number,
                recipient: spec.recipient_unit.clone().unwrap_or_default(),
                new_deadline: spec.new_deadline,
                date: spec.date,
                doc_prefix: spec.doc_prefix.clone(),
            }),
            _ => None,
        };
        let cached = self
            .preview
            .as_ref()
            .filter(|p| p.key == key)
            .map(|p| p.doc.clone());
        let snapshot = cached.is_none().then(|| Snapshot::of(model));
        let fonts = self.fonts.clone();
        let author = office_name(model);
        let kind = match to_printer {
            Some(_) => JobKind::Print,
            None => JobKind::Save,
        };
        let to_printer = to_printer.map(|r| (self.service.clone(), r));
        self.spawn(kind, move |ctl| {
            Ok(save(
                ctl, path, key, cached, snapshot, fonts, author, notice, to_printer,
            ))
        });
    }

    fn spawn(
        &mut self,
        kind: JobKind,
        work: impl FnOnce(&JobCtl) -> Result<Finished, JobError> + Send + 'static,
    ) {
        let job = self.jobs.spawn("anwei-print", work);
        self.job = Some(PrintJob { kind, job });
    }

    /// Takes a finished job's answer (call every frame, whatever tab is shown).
    pub fn poll(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        actions.append(&mut self.queued);
        if let Some(answer) = self.printers_job.as_mut().and_then(Job::poll) {
            self.printers_job = None;
            let found = answer.unwrap_or_else(|e| Err(PrinterError::Failed(e.to_string())));
            if let Ok(p) = &found
                && self.printer.as_ref().is_none_or(|n| !p.names.contains(n))
            {
                self.printer = p.default.clone().or_else(|| p.names.first().cloned());
            }
            self.printers = Some(found);
        }
        if self.fonts_registered && !self.fonts_live {
            let probe = self.families.first().cloned();
            self.fonts_live = probe.is_some_and(|family| {
                ctx.fonts(|f| f.definitions().families.contains_key(&family))
            });
            if !self.fonts_live {
                ctx.request_repaint();
            }
        }
        let Some(running) = &mut self.job else {
            return;
        };
        let Some(answer) = running.job.poll() else {
            return;
        };
        let kind = running.kind;
        self.job = None;
        let finished = match answer {
            Ok(f) => f,
            Err(JobError::Cancelled) => Finished::Cancelled { fonts: None },
            Err(e) => {
                self.error = Some(kind.failed_zh(&e));
                return;
            }
        };
        match finished {
            Finished::Cancelled { fonts } => {
                if let Some(fonts) = fonts {
                    self.take_fonts(ctx, fonts);
                }
                self.error = None;
                self.message = Some(kind.cancelled_zh().to_owned());
            }
            Finished::Laid { key, fonts, doc } => {
                self.take_fonts(ctx, fonts);
                match doc {
                    Ok(doc) => {
                        let same = self.preview.as_ref().is_some_and(|p| {
                            std::mem::discriminant(&p.key.request)
                                == std::mem::discriminant(&key.request)
                        });
                        if !same || self.page >= doc.pages.len() {
                            self.page = 0;
                        }
                        self.preview = Some(Preview {
                            key,
                            doc: Arc::new(doc),
                        });
                        self.error = None;
                    }
                    Err(e) => self.error = Some(e),
                }
            }
            Finished::Spooled { label, sent } => self.said_sent(&label, sent, actions),
            Finished::Written { said } => match said {
                Ok(text) => {
                    self.error = None;
                    self.message = Some(text.clone());
                    actions.push(Action::Info(text));
                }
                Err(msg) => {
                    self.message = None;
                    self.error = Some(msg.clone());
                    actions.push(Action::Error(msg));
                }
            },
            Finished::Saved {
                path,
                fonts,
                doc,
                result,
                notice,
                sent,
            } => {
                self.take_fonts(ctx, fonts);
                if let Some((key, doc)) = doc
                    && self.preview.as_ref().is_none_or(|p| p.key != key)
                {
                    if self.page >= doc.pages.len() {
                        self.page = 0;
                    }
                    self.preview = Some(Preview { key, doc });
                }
                match result {
                    Ok(pdf) => {
                        let shown = path.display().to_string();
                        match (notice, pdf) {
                            (Some(n), Some(pdf)) => {
                                // Issued: recorded with its PDF first; the file is written
                                // once the record is in (`on_outcome`).
                                self.issue_on_save = false;
                                self.message =
                                    Some(format!("正在签发登记〔{}〕{}号…", n.year, n.number));
                                let command = match n.letter {
                                    Some((item, step, reply_by)) => Command::Supervise {
                                        action: anwei_core::supervise::SupAction::IssueLetter {
                                            item,
                                            step,
                                            year: n.year,
                                            number: n.number,
                                            date: n.date,
                                            reply_by,
                                            recipient: n.recipient,
                                            file: Some(shown),
                                            doc_prefix: n.doc_prefix,
                                            pdf,
                                        },
                                    },
                                    None => Command::RecordNotice {
                                        task: n.task,
                                        year: n.year,
                                        number: n.number,
                                        recipient: n.recipient,
                                        new_deadline: n.new_deadline,
                                        file: Some(shown),
                                        date: n.date,
                                        pdf,
                                        doc_prefix: n.doc_prefix,
                                    },
                                };
                                actions.push(Action::Apply {
                                    from: Origin::Print,
                                    command,
                                })
                            }
                            _ => match sent {
                                Some(sent) => self.said_sent("", sent, actions),
                                None => {
                                    self.message = Some(format!("已保存到 {shown}"));
                                    actions.push(Action::Info(format!("PDF 已保存到 {shown}")));
                                }
                            },
                        }
                    }
                    Err(e) => {
                        let msg = match kind {
                            JobKind::Print => format!("未打印：{e}"),
                            _ => format!("PDF 未保存：{e}"),
                        };
                        self.error = Some(msg.clone());
                        actions.push(Action::Error(msg));
                    }
                }
            }
        }
    }

    /// Says what the print service did with a job (of issued notice `label`, when one).
    fn said_sent(&mut self, label: &str, sent: Result<String, String>, actions: &mut Vec<Action>) {
        match sent {
            Ok(text) => {
                let text = format!("{label}{text}");
                self.message = Some(text.clone());
                actions.push(Action::Info(text));
            }
            Err(e) => {
                let msg = format!("{label}未打印：{e}。可在“PDF 路径”输入保存位置，保存为 PDF");
                self.error = Some(msg.clone());
                actions.push(Action::Error(msg));
            }
        }
    }

    fn take_fonts(&mut self, ctx: &egui::Context, fonts: Result<Arc<Fonts>, String>) {
        match fonts {
            Ok(f) => {
                if self.fonts.is_none() {
                    register_fonts(ctx, &f);
                    self.families = (0..f.faces().len())
                        .map(|i| FontFamily::Name(face_family_name(i).into()))
                        .collect();
                    self.fonts_registered = true;
                    self.fonts = Some(f);
                    ctx.request_repaint();
                }
            }
            Err(e) => self.error = Some(e),
        }
    }
}

/// The work of a PDF save: fonts, layout (unless the preview is the document), PDF, file;
/// the cancel flag is checked before each step.
#[allow(clippy::too_many_arguments)]
fn save(
    ctl: &JobCtl,
    path: PathBuf,
    key: DocKey,
    cached: Option<Arc<Document>>,
    snapshot: Option<Snapshot>,
    fonts: Option<Arc<Fonts>>,
    author: String,
    notice: Option<PendingNotice>,
    to_printer: Option<(PrintService, PrintRequest)>,
) -> Finished {
    ctl.report(Some(0.0), "载入字体");
    let fonts = load_fonts(fonts);
    let f = match &fonts {
        Ok(f) => f.clone(),
        Err(e) => {
            let result = Err(e.clone());
            return Finished::Saved {
                path,
                fonts,
                doc: None,
                result,
                notice,
                sent: None,
            };
        }
    };
    if ctl.cancelled() {
        return Finished::Cancelled { fonts: Some(fonts) };
    }
    let doc = match (cached, snapshot) {
        (Some(doc), _) => Ok(doc),
        (None, Some(s)) => {
            ctl.report(Some(0.2), "排版");
            s.layout(&f, &key.request)
                .map(Arc::new)
                .map_err(|e| format!("排版失败：{e}"))
        }
        (None, None) => Err("没有可保存的文档".to_owned()),
    };
    let doc = match doc {
        Ok(doc) => doc,
        Err(e) => {
            return Finished::Saved {
                path,
                fonts,
                doc: None,
                result: Err(e),
                notice,
                sent: None,
            };
        }
    };
    if ctl.cancelled() {
        return Finished::Cancelled { fonts: Some(fonts) };
    }
    ctl.report(Some(0.6), "生成 PDF");
    let opts = PdfOptions {
        creation_date: None,
        author,
    };
    let bytes = render_pdf(&doc, &f, &opts);
    // The last moment a cancel leaves no file behind.
    if ctl.cancelled() {
        return Finished::Cancelled { fonts: Some(fonts) };
    }
    let (result, sent) = match (&notice, bytes, to_printer) {
        // Issued: the PDF goes to the register first.
        (Some(_), Ok(bytes), _) => (Ok(Some(bytes)), None),
        // Printing: to the print service (through a temporary file), no file kept.
        (_, Ok(bytes), Some((service, request))) => {
            ctl.report(Some(0.9), "送往打印机");
            let sent = service
                .print_pdf(&bytes, &format!("doc-{}", key.generation), &request)
                .map(|job| request.sent_text(&job))
                .map_err(|e| e.to_string());
            (Ok(None), Some(sent))
        }
        (_, bytes, _) => {
            ctl.report(Some(0.9), "写入文件");
            let written = bytes
                .and_then(|bytes| write_pdf_file(&path, &bytes))
                .map(|()| None)
                .map_err(|e| e.to_string());
            (written, None)
        }
    };
    Finished::Saved {
        path,
        fonts,
        doc: Some((key, doc)),
        result,
        notice,
        sent,
    }
}

/// A temporary file for the print service, named by `what`.
impl TakesOutcome for PrintState {
    /// A notice issued: its PDF (in the register now) is written to the chosen file, and the
    /// panel and the status line say under which 文号; refused: nothing was issued or
    /// written. A notice voided: said likewise.
    fn on_outcome(&mut self, outcome: &Outcome, model: &DeskModel) -> Option<String> {
        match &outcome.command {
            Command::RecordNotice {
                year,
                number,
                file,
                pdf,
                doc_prefix: prefix,
                ..
            } => match outcome.refused() {
                None => {
                    let text = format!("督办通知书 {prefix}〔{year}〕{number}号已签发登记");
                    self.error = None;
                    self.message = Some(text.clone());
                    // The file is written off the UI thread; the status line then says so.
                    if let Some(f) = file {
                        self.start_write_issued(text.clone(), PathBuf::from(f), pdf.clone());
                    }
                    Some(text)
                }
                Some(msg) => {
                    self.message = None;
                    self.error = Some(format!("未签发（{msg}），文号未取用，PDF 未保存"));
                    None
                }
            },
            Command::Supervise {
                action:
                    anwei_core::supervise::SupAction::IssueLetter {
                        year,
                        number,
                        file,
                        pdf,
                        doc_prefix: prefix,
                        step,
                        ..
                    },
            } => match outcome.refused() {
                None => {
                    let text = format!(
                        "{} {prefix}〔{year}〕{number}号已签发登记",
                        step.document_zh().unwrap_or("督办文书")
                    );
                    self.error = None;
                    self.message = Some(text.clone());
                    if let Some(f) = file {
                        self.start_write_issued(text.clone(), PathBuf::from(f), pdf.clone());
                    }
                    Some(text)
                }
                Some(msg) => {
                    self.message = None;
                    self.error = Some(format!("未签发（{msg}），文号未取用，PDF 未保存"));
                    None
                }
            },
            Command::VoidNotice { year, number, .. } => match outcome.refused() {
                None => {
                    let named = model
                        .notices
                        .iter()
                        .find(|n| n.year == *year && n.number == *number)
                        .map_or_else(
                            || format!("〔{year}〕{number}号"),
                            |n| n.doc_number(&model.settings.doc_prefix),
                        );
                    let text = format!("督办通知书 {named}已作废");
                    self.void = None;
                    self.error = None;
                    self.message = Some(text.clone());
                    Some(text)
                }
                Some(msg) => {
                    self.error = Some(format!("未作废：{msg}"));
                    None
                }
            },
            _ => None,
        }
    }
}

fn load_fonts(fonts: Option<Arc<Fonts>>) -> Result<Arc<Fonts>, String> {
    match fonts {
        Some(f) => Ok(f),
        None => Fonts::load()
            .map(Arc::new)
            .map_err(|e| format!("打印字体加载失败：{e}")),
    }
}

/// Registers every print face with egui as family "print-face-N" (that face first, the
/// desk's own fonts behind it for anything it lacks).
fn register_fonts(ctx: &egui::Context, fonts: &Arc<Fonts>) {
    let mut defs = ctx.fonts(|f| f.definitions().clone());
    let fallback = defs
        .families
        .get(&FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    for (i, face) in fonts.faces().iter().enumerate() {
        let name = face_family_name(i);
        let (_, index) = face.data();
        let blob = Arc::new(FaceBytes {
            fonts: fonts.clone(),
            face: i,
        });
        defs.font_data
            .insert(name.clone(), Arc::new(FontData::from_blob(blob, index)));
        let mut chain = vec![name.clone()];
        chain.extend(fallback.iter().filter(|n| **n != name).cloned());
        defs.families.insert(FontFamily::Name(name.into()), chain);
    }
    ctx.set_fonts(defs);
}

fn color(c: Rgb) -> Color32 {
    Color32::from_rgb(c.0, c.1, c.2)
}

/// Draws the panel.
pub fn print_panel(ui: &mut Ui, model: &DeskModel, state: &mut PrintState) {
    state.fill_label_default(model);
    if state.kind.can_issue() {
        state.fill_notice_defaults(model);
    }
    if state.auto_preview && state.job.is_none() {
        state.auto_preview = false;
        state.start_preview(model);
    }
    egui::Panel::left("print-form")
        .resizable(true)
        .default_size(380.0)
        .size_range(300.0..=560.0)
        .show(ui, |ui| {
            ScrollArea::vertical()
                .id_salt("print-form-scroll")
                .auto_shrink([false, false])
                .show(ui, |ui| form(ui, model, state));
        });
    preview(ui, model, state);
}

fn plan_selector(ui: &mut Ui, model: &DeskModel, plan: &mut Option<String>) {
    let selected = plan
        .as_deref()
        .and_then(|p| model.plan(p))
        .map_or_else(|| "全部".to_owned(), DeskModel::plan_caption);
    ui.horizontal(|ui| {
        crate::widgets::plan_picker(ui, model, "print-plan", plan, selected, Some(280.0));
    });
}

fn task_caption(model: &DeskModel, id: &str) -> String {
    match model.row(id) {
        Some(r) => {
            let title: String = r.title.chars().take(24).collect();
            let more = if r.title.chars().count() > 24 {
                "…"
            } else {
                ""
            };
            format!("{} {title}{more}（{}）", r.label, r.status.label_zh())
        }
        None => id.to_owned(),
    }
}

fn form(ui: &mut Ui, model: &DeskModel, state: &mut PrintState) {
    ui.heading("打印");
    ui.horizontal_wrapped(|ui| {
        for kind in DocKind::ALL {
            if ui
                .selectable_label(state.kind == kind, kind.label_zh())
                .clicked()
            {
                state.kind = kind;
                state.error = None;
            }
        }
    });
    ui.separator();
    match state.kind {
        DocKind::Division => {
            plan_selector(ui, model, &mut state.plan);
            state.fill_label_default(model);
            ui.horizontal(|ui| {
                labelled_field(
                    ui,
                    "附件标注",
                    &mut state.attachment_label,
                    "如“附件3”，留空则不印",
                    160.0,
                );
            });
        }
        DocKind::Report => {
            plan_selector(ui, model, &mut state.plan);
            ui.horizontal(|ui| {
                let default = model.settings.report_recipient(&model.campaign);
                labelled_field(ui, "主送机关", &mut state.report_to, &default, 260.0);
            });
        }
        DocKind::Notice => {
            state.fill_notice_defaults(model);
            notice_form(ui, model, state);
        }
        DocKind::Form => form_sheet_form(ui, model, state),
        DocKind::Timeline => {
            plan_selector(ui, model, &mut state.plan);
            ui.weak("横向页：各方案阶段、活动节点、每项任务的完成时间（调整前后）和报告完成之日，红线为截至之日。");
        }
        DocKind::Letter => {
            state.fill_notice_defaults(model);
            letter_form(ui, model, state);
        }
        DocKind::Circular => circular_form(ui, model, state),
        DocKind::Assessment => match &model.assessment {
            Some(a) => {
                ui.label(format!(
                    "{}年度考核（数据截至 {}，{} 个单位）；要换年度请到“督办→年度考核”重新计算。",
                    a.year,
                    a.as_of,
                    a.sheets.len()
                ));
            }
            None => {
                ui.label("考核表尚未计算：请先到“督办→年度考核”计算。");
            }
        },
        DocKind::Lists => {
            use anwei_core::supervision::ListKind;
            ui.horizontal(|ui| {
                for k in [ListKind::Problems, ListKind::Measures] {
                    ui.radio_value(&mut state.list_kind, k, k.label_zh());
                }
            });
        }
    }
    ui.add_space(6.0);
    let busy = state.busy();
    ui.horizontal(|ui| {
        if ui
            .add_enabled(busy.is_none(), egui::Button::new("生成预览"))
            .clicked()
        {
            state.start_preview(model);
        }
        if let Some(kind) = busy {
            ui.spinner();
            ui.label(kind.progress_zh());
            if let Some(p) = state.progress().filter(|p| !p.note.is_empty()) {
                ui.weak(p.note);
            }
            if state.cancel_requested() {
                ui.weak("正在取消…");
            } else if ui
                .button("取消")
                .on_hover_text("停止这次排版或保存（PDF 在写入文件之前可取消）")
                .clicked()
            {
                state.cancel();
            }
        }
    });
    ui.add_space(6.0);
    ui.separator();
    ui.label(RichText::new("保存为 PDF").strong());
    if state.kind.can_issue() {
        ui.checkbox(
            &mut state.issue_on_save,
            format!(
                "签发：取用文号 {} 并登记，原件存入登记簿",
                next_doc_number(model)
            ),
        );
        ui.weak(if state.issue_on_save {
            "保存即签发（文号一经取用不再重复使用）。"
        } else {
            "不勾选“签发”时保存的是不编号的草稿，不登记。"
        });
    }
    let suggested = state.request(model).ok().map(|r| r.file_name());
    ui.horizontal(|ui| {
        if ui
            .add_enabled(busy.is_none(), egui::Button::new("保存为 PDF…"))
            .clicked()
        {
            let mut dialog = rfd::FileDialog::new()
                .set_title("保存为 PDF")
                .add_filter("PDF", &["pdf"]);
            if let Some(name) = &suggested {
                dialog = dialog.set_file_name(name);
            }
            // None: cancelled (or no dialog service; the typed path still works).
            if let Some(path) = dialog.save_file() {
                state.start_save(model, path);
            }
        }
    });
    ui.horizontal(|ui| {
        labelled_field(
            ui,
            "PDF 路径",
            &mut state.save_path,
            "文件或文件夹路径",
            220.0,
        );
        if ui
            .add_enabled(busy.is_none(), egui::Button::new("保存"))
            .clicked()
        {
            let typed = state.save_path.trim();
            if typed.is_empty() {
                state.error = Some("请先填写 PDF 文件的保存路径".to_owned());
            } else {
                let name = suggested.clone().unwrap_or_else(|| "文档.pdf".to_owned());
                let path = resolve_typed_path(typed, &name);
                state.start_save(model, path);
            }
        }
    });
    printer_section(ui, model, state, busy.is_none());
    if let Some(msg) = &state.error {
        error_label(ui, msg);
    }
    if let Some(msg) = &state.message {
        ui.label(RichText::new(msg).color(Color32::from_rgb(30, 140, 60)));
    }
    if state.kind == DocKind::Notice {
        notice_register(ui, model, state);
    }
    if let Some(doc) = state.document() {
        ui.add_space(6.0);
        ui.add(
            egui::Label::new(RichText::new(format!("字体：{}", doc.faces_summary())).weak()).wrap(),
        );
    }
}

/// The 登记表's inputs: the form open on the 台账 tab, blank or one of its records.
fn form_sheet_form(ui: &mut Ui, model: &DeskModel, state: &mut PrintState) {
    let Some(ledger) = &model.ledger else {
        ui.weak("登记表打印的是“台账”页打开的表单：请先在“台账”页选择一个表单。");
        return;
    };
    ui.label(format!(
        "表单：{}（{}）",
        ledger.form().title,
        ledger.form().id
    ));
    ui.horizontal(|ui| {
        ui.radio_value(&mut state.form_filled, false, "空白表（手工填写）");
        ui.radio_value(&mut state.form_filled, true, "一条记录");
        if state.form_filled {
            labelled_field(ui, "记录编号", &mut state.form_record, "如 12", 80.0);
        }
    });
    ui.weak(if state.form_filled {
        "按记录的保存内容打印；在台账中选中记录后点“打印登记表”也可来到这里。"
    } else {
        "列出每个字段、每个选项（□），留出填写位置；系统计算的字段不列。"
    });
}

/// 打印到打印机: the printers the print service offers (looked for when the section first
/// shows), copies, both sides, and the button; without a print service or a printer, why.
fn printer_section(ui: &mut Ui, model: &DeskModel, state: &mut PrintState, idle: bool) {
    ui.add_space(6.0);
    ui.label(RichText::new("打印到打印机").strong());
    state.find_printers(false);
    let mut again = false;
    match &state.printers {
        Some(Ok(p)) if !p.names.is_empty() => {
            let names = p.names.clone();
            let default = p.default.clone();
            let shown = |n: &str| {
                if default.as_deref() == Some(n) {
                    format!("{n}（默认）")
                } else {
                    n.to_owned()
                }
            };
            ComboBox::from_label("打印机")
                .selected_text(state.printer.as_deref().map(shown).unwrap_or_default())
                .show_ui(ui, |ui| {
                    for n in &names {
                        ui.selectable_value(&mut state.printer, Some(n.clone()), shown(n));
                    }
                });
            ui.horizontal(|ui| {
                let label = ui.label("份数");
                ui.add(egui::DragValue::new(&mut state.copies).range(1..=MAX_COPIES))
                    .labelled_by(label.id);
                ui.checkbox(&mut state.duplex, "双面（打印机支持时）");
            });
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(idle, egui::Button::new("送去打印"))
                    .on_hover_text(if state.kind == DocKind::Notice {
                        "打印当前的督办通知书草稿；已签发的请在下方登记簿中打印"
                    } else {
                        "把当前文档送到所选打印机"
                    })
                    .clicked()
                {
                    state.start_print(model);
                }
                again = ui.button("重新查找打印机").clicked();
            });
        }
        Some(Ok(_)) => {
            error_label(ui, &PrinterError::NoPrinters.to_string());
            again = ui.button("重新查找打印机").clicked();
        }
        Some(Err(e)) => {
            error_label(ui, &e.to_string());
            again = ui.button("重新查找打印机").clicked();
        }
        None => {
            ui.weak("正在查找打印机…");
        }
    }
    if again {
        state.find_printers(true);
    }
}

/// The default 主送 of a 通报.
pub const DEFAULT_CIRCULAR_TO: &str = "各镇（街道），区安委会各成员单位";

fn letter_form(ui: &mut Ui, model: &DeskModel, state: &mut PrintState) {
    use anwei_core::accountability::Step;
    let caption = |i: &anwei_core::supervision::Item| {
        format!("#{} {}（{}）", i.id, i.title, model.units.name_of(&i.unit))
    };
    let selected = state
        .letter_item
        .and_then(|id| model.registers.items.iter().find(|i| i.id == id))
        .map_or_else(|| "（请选择）".to_owned(), caption);
    ComboBox::from_label("督办事项")
        .selected_text(selected)
        .width(360.0)
        .show_ui(ui, |ui| {
            for i in model.registers.items.iter().filter(|i| i.closed.is_none()) {
                ui.selectable_value(&mut state.letter_item, Some(i.id), caption(i));
            }
        });
    let shown = state
        .letter_step
        .and_then(Step::document_zh)
        .unwrap_or("该走的下一步");
    ComboBox::from_label("文书")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut state.letter_step, None, "该走的下一步");
            for s in Step::ALL {
                if let Some(title) = s.document_zh() {
                    ui.selectable_value(&mut state.letter_step, Some(s), title);
                }
            }
        });
    ui.horizontal(|ui| {
        labelled_field(ui, "办理时限", &mut state.deadline, "YYYY-MM-DD", 110.0);
    });
    if let Some(msg) = &state.deadline_error {
        error_label(ui, msg);
    }
    ui.horizontal(|ui| {
        labelled_field(ui, "联系人", &mut state.contact, "姓名，电话", 260.0);
        labelled_field(ui, "抄送", &mut state.copy_to, "用“、”分隔", 220.0);
    });
    ui.weak("文书按成文日期（状态截至之日）如实写明事项的签收、完成、验收和此前的督办经过。");
}

fn circular_form(ui: &mut Ui, model: &DeskModel, state: &mut PrintState) {
    let caption =
        |c: &anwei_core::supervision::Circular| format!("{} {}", c.number_text(), c.title);
    let selected = state
        .circular
        .and_then(|id| model.registers.circulars.iter().find(|c| c.id == id))
        .map_or_else(|| "（请选择）".to_owned(), caption);
    ComboBox::from_label("通报")
        .selected_text(selected)
        .width(360.0)
        .show_ui(ui, |ui| {
            for c in model.registers.circulars.iter().rev() {
                ui.selectable_value(&mut state.circular, Some(c.id), caption(c));
            }
        });
    ui.horizontal(|ui| {
        labelled_field(
            ui,
            "主送",
            &mut state.circular_to,
            DEFAULT_CIRCULAR_TO,
            320.0,
        );
    });
}

fn notice_form(ui: &mut Ui, model: &DeskModel, state: &mut PrintState) {
    let selected = state
        .notice_task
        .as_deref()
        .map_or_else(|| "（请选择）".to_owned(), |t| task_caption(model, t));
    ComboBox::from_label("督办任务")
        .selected_text(selected)
        .width(300.0)
        .show_ui(ui, |ui| {
            for r in &model.rows {
                let listed = state.all_tasks
                    || r.status.notice_due()
                    || state.notice_task.as_deref() == Some(r.id.as_str());
                if listed {
                    ui.selectable_value(
                        &mut state.notice_task,
                        Some(r.id.clone()),
                        task_caption(model, &r.id),
                    );
                }
            }
        });
    ui.checkbox(&mut state.all_tasks, "列出全部任务（默认只列逾期和临期）");
    if let Some(row) = state.notice_task.as_deref().and_then(|t| model.row(t)) {
        ui.horizontal(|ui| {
            ui.label("状态：");
            ui.label(status_text(row.status));
            ui.label(format!("原完成时限 {}", row.due));
        });
    }
    state.fill_notice_defaults(model);
    ui.horizontal(|ui| {
        labelled_field(
            ui,
            "主送单位",
            &mut state.recipient,
            "默认为牵头单位",
            220.0,
        );
    });
    ui.horizontal(|ui| {
        labelled_field(ui, "新的完成时限", &mut state.deadline, "YYYY-MM-DD", 110.0);
    });
    if let Some(msg) = &state.deadline_error {
        error_label(ui, msg);
    }
    let label = ui.label("督办要求");
    ui.add(
        TextEdit::multiline(&mut state.requirement)
            .desired_rows(3)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    ui.horizontal(|ui| {
        labelled_field(ui, "联系人", &mut state.contact, "姓名，电话", 220.0);
    });
    ui.horizontal(|ui| {
        labelled_field(
            ui,
            "抄送",
            &mut state.copy_to,
            "单位，以“、”分隔；印在版记中",
            300.0,
        );
    });
    ui.label(format!("签发时文号：{}", next_doc_number(model)));
    ui.label(format!("发文机关：{}", office_name(model)));
}

/// The register of issued notices: each with its state, printed again as issued, voided
/// with a reason.
fn notice_register(ui: &mut Ui, model: &DeskModel, state: &mut PrintState) {
    ui.add_space(6.0);
    ui.separator();
    let prefix = &model.settings.doc_prefix;
    ui.label(RichText::new(format!("已签发的督办通知书（{} 份）", model.notices.len())).strong());
    if model.notices.is_empty() {
        ui.weak("还没有签发过督办通知书。");
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("notice-register")
        .max_height(180.0)
        .show(ui, |ui| {
            for n in model.notices.iter().rev() {
                let key = (n.year, n.number);
                let number = n.doc_number(prefix);
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&number).strong());
                    let date = n
                        .date
                        .map_or_else(|| n.issued_at.chars().take(10).collect(), |d| d.to_string());
                    ui.label(format!(
                        "{date} 任务 {} 主送 {}",
                        task_caption(model, &n.task),
                        n.recipient
                    ));
                    match &n.voided {
                        Some(v) => {
                            ui.colored_label(Color32::GRAY, format!("已作废：{}", v.reason));
                        }
                        None => {
                            if ui.small_button(format!("作废 {number}…")).clicked() {
                                state.void = Some((key, String::new()));
                            }
                        }
                    }
                    let can_print = matches!(&state.printers, Some(Ok(p)) if !p.names.is_empty());
                    if n.sha256.is_some()
                        && can_print
                        && ui
                            .small_button(format!("打印 {number}"))
                            .on_hover_text("按签发时的原样送到上方所选的打印机")
                            .clicked()
                    {
                        state.queued.push(Action::PrintIssuedNotice {
                            year: n.year,
                            number: n.number,
                        });
                    }
                    if n.sha256.is_some()
                        && ui
                            .small_button(format!("重印 {number}"))
                            .on_hover_text("按签发时的原样保存到“PDF 路径”")
                            .clicked()
                    {
                        let typed = state.save_path.trim();
                        if typed.is_empty() {
                            state.error = Some("请先在“PDF 路径”填写重印文件的保存位置".to_owned());
                        } else {
                            let path = resolve_typed_path(
                                typed,
                                &format!("督办通知书-{number}.pdf").replace('/', "_"),
                            );
                            state.queued.push(Action::ReprintNotice {
                                year: n.year,
                                number: n.number,
                                path,
                            });
                        }
                    }
                });
                if let Some((voiding, reason)) = &mut state.void
                    && *voiding == key
                {
                    let mut confirm = false;
                    let mut cancel = false;
                    ui.horizontal(|ui| {
                        labelled_field(ui, "作废理由", reason, "必填", 220.0);
                        confirm = ui
                            .add_enabled(!reason.trim().is_empty(), egui::Button::new("确认作废"))
                            .clicked();
                        cancel = ui.button("不作废").clicked();
                    });
                    if confirm {
                        state.queued.push(Action::Apply {
                            from: Origin::Print,
                            command: Command::VoidNotice {
                                year: key.0,
                                number: key.1,
                                reason: reason.trim().to_owned(),
                            },
                        });
                    }
                    if cancel {
                        state.void = None;
                    }
                }
            }
        });
}

fn preview(ui: &mut Ui, model: &DeskModel, state: &mut PrintState) {
    let Some(p) = state.preview.clone() else {
        ui.centered_and_justified(|ui| {
            ui.weak("选择文档后点“生成预览”");
        });
        return;
    };
    let doc = p.doc;
    let pages = doc.pages.len();
    if pages == 0 {
        ui.weak("文档没有页面");
        return;
    }
    state.page = state.page.min(pages - 1);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(state.page > 0, egui::Button::new("上一页"))
            .clicked()
        {
            state.page -= 1;
        }
        ui.label(format!("第 {} / {} 页", state.page + 1, pages));
        if ui
            .add_enabled(state.page + 1 < pages, egui::Button::new("下一页"))
            .clicked()
        {
            state.page += 1;
        }
        ui.separator();
        let label = ui.label("缩放");
        let mut pct = (state.zoom * 100.0).round();
        let changed = ui
            .add(
                egui::DragValue::new(&mut pct)
                    .range(50.0..=200.0)
                    .speed(1.0)
                    .suffix(" %"),
            )
            .labelled_by(label.id)
            .changed();
        if changed {
            state.zoom = pct / 100.0;
            state.fit_width = false;
        }
        ui.toggle_value(&mut state.fit_width, "适合宽度");
        let current = state.request(model).ok();
        let stale =
            current.is_none_or(|r| r != p.key.request) || p.key.generation != model.generation();
        if stale {
            ui.weak("（输入已更改，点“生成预览”更新）");
        }
    });
    let Some(page) = doc.pages.get(state.page) else {
        return;
    };
    let bg = ui.available_rect_before_wrap();
    ui.painter().rect_filled(bg, 0.0, Color32::from_gray(120));
    if state.fit_width {
        let width = (bg.width() - 2.0 * PAGE_MARGIN - 16.0).max(50.0);
        state.zoom = (width / (page.width * PT_PER_MM)).clamp(0.5, 2.0);
    }
    let zoom = state.zoom;
    let families = if state.fonts_live {
        state.families.as_slice()
    } else {
        &[]
    };
    ScrollArea::both()
        // One scroll position per page: a new page starts at its top.
        .id_salt(("print-preview-scroll", state.page))
        .auto_shrink([false, false])
        .show(ui, |ui| draw_page(ui, page, zoom, families));
}

/// Paints one page at `zoom` (1.0: one PDF point per egui point).
fn draw_page(ui: &mut Ui, page: &Page, zoom: f32, families: &[FontFamily]) {
    let s = zoom * PT_PER_MM;
    let size = vec2(page.width * s, page.height * s);
    let (rect, _) = ui.allocate_exact_size(
        size + vec2(2.0 * PAGE_MARGIN, 2.0 * PAGE_MARGIN),
        Sense::hover(),
    );
    let painter = ui.painter_at(rect);
    let page_rect = egui::Rect::from_min_size(rect.min + vec2(PAGE_MARGIN, PAGE_MARGIN), size);
    let shadow = egui::Shadow {
        offset: [3, 4],
        blur: 12,
        spread: 1,
        color: Color32::from_black_alpha(110),
    };
    painter.add(shadow.as_shape(page_rect, 0.0));
    painter.rect_filled(page_rect, 0.0, Color32::WHITE);
    let origin = page_rect.min;
    let visible = ui.clip_rect().expand(40.0);
    let at = |x: f32, y: f32| pos2(origin.x + x * s, origin.y + y * s);
    for item in &page.items {
        match item {
            Item::Text(t) => {
                let base = at(t.x, t.y);
                let height = t.size_pt * zoom * 1.5;
                let below = match t.direction {
                    Direction::Upright => height,
                    Direction::Clockwise => t.width * s,
                };
                if base.y + below < visible.top() || base.y - height > visible.bottom() {
                    continue;
                }
                let family = families
                    .get(t.face)
                    .cloned()
                    .unwrap_or(FontFamily::Proportional);
                let font = FontId::new((t.size_pt * zoom).max(1.0), family);
                let galley = painter.layout_no_wrap(t.text.clone(), font, color(t.color));
                let baseline = galley.rows.first().map_or(0.0, |r| {
                    r.pos.y + r.row.glyphs.first().map_or(r.row.size.y * 0.8, |g| g.pos.y)
                });
                match t.direction {
                    Direction::Upright => {
                        painter.galley(pos2(base.x, base.y - baseline), galley, color(t.color));
                    }
                    Direction::Clockwise => {
                        // Turned a quarter clockwise about the galley's corner, which must then
                        // lie `baseline` to the right of the run's start.
                        painter.add(
                            egui::epaint::TextShape::new(
                                pos2(base.x + baseline, base.y),
                                galley,
                                color(t.color),
                            )
                            .with_angle(std::f32::consts::FRAC_PI_2),
                        );
                    }
                }
            }
            Item::Line(l) => {
                painter.line_segment(
                    [at(l.x1, l.y1), at(l.x2, l.y2)],
                    Stroke::new((l.width_pt * zoom).max(0.5), color(l.color)),
                );
            }
            Item::Rect(b) => {
                let r = egui::Rect::from_min_max(at(b.x, b.y), at(b.x + b.w, b.y + b.h));
                if let Some(fill) = b.fill {
                    painter.rect_filled(r, 0.0, color(fill));
                }
                if let Some(w) = b.stroke_pt {
                    painter.rect_stroke(
                        r,
                        0.0,
                        Stroke::new((w * zoom).max(0.5), color(b.color)),
                        egui::StrokeKind::Middle,
                    );
                }
            }
        }
    }
}

/// The typed path as a file path: a folder gets the suggested name, no extension gets ".pdf".
pub fn resolve_typed_path(typed: &str, suggested: &str) -> PathBuf {
    let mut path = PathBuf::from(typed.trim());
    if path.is_dir() {
        path.push(suggested);
    } else if path.extension().is_none() {
        path.set_extension("pdf");
    }
    path
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::collections::HashMap;

    use anwei_core::UnitDirectory;
    use anwei_store::Settings;

    use super::*;

    fn model() -> DeskModel {
        DeskModel::from_parts(
            None,
            Vec::new(),
            Vec::new(),
            UnitDirectory::new(Vec::new()).unwrap(),
            HashMap::new(),
            Settings::default(),
            NaiveDate::from_ymd_opt(2020, 9, 1).unwrap(),
        )
    }

    #[test]
    fn a_save_cancelled_before_the_file_is_written_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("任务分工方案.pdf");
        let jobs = Jobs::new();
        let mut state = PrintState::new(jobs.clone());
        state.start_save(&model(), path.clone());
        assert_eq!(state.busy(), Some(JobKind::Save));
        // Checked after the fonts are loaded, before the layout and before writing.
        state.cancel();
        assert!(state.cancel_requested());
        state.job.as_mut().unwrap().job.wait();
        let ctx = egui::Context::default();
        let mut actions = Vec::new();
        let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
            state.poll(ui.ctx(), &mut actions);
        });
        out.textures_delta.clear();
        assert_eq!(state.busy(), None);
        assert_eq!(state.message.as_deref(), Some("已取消，PDF 未保存"));
        assert_eq!(state.error, None);
        assert!(actions.is_empty(), "no notice recorded, nothing said saved");
        assert!(!path.exists());
        assert_eq!(jobs.running(), 0);
    }
}
