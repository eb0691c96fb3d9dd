//! `anwei reports`: the units' submissions of the calendar's reports — record one (补报 with
//! a reason), the office's 签收 or 退回修改, where every unit stands, the on-time rate per unit
//! and period, and the office's own reports (月报, 季报…).

use std::io::Write;
use std::path::{Path, PathBuf};

use anwei_core::reports::{
    ALL_PERIODS, FilingState, OfficeReport, Reporting, Review, Submission, campaign_filings,
    default_period, on_time, rate_text,
};
use anwei_core::{CampaignScope, Command, EvidenceSource, Recurrence, UnitDirectory};
use anwei_store::Store;
use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use serde::Serialize;

use crate::cli::{check_attachments, open_synced, parse_date};

#[derive(Debug, Subcommand)]
pub enum ReportsCmd {
    /// 记录单位的一期报送（报送日期用 --date；逾期的为补报，须用 --late-reason 说明理由）
    Submit {
        /// 报送单位（名称或别名）
        #[arg(long, value_name = "单位")]
        unit: String,
        /// 报送事项：任务编号（周期性任务，例如 topic-1/3）或本办报送事项编号（`reports office list`）
        #[arg(long, value_name = "事项")]
        report: String,
        /// 报送日期（YYYY-MM-DD，默认 --today）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// 报送的是哪一期：该期中的任一天（YYYY-MM-DD）；默认为报送日期所在、尚未报送的最早一期
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        period: Option<NaiveDate>,
        /// 报送内容（默认为“某期+事项名称”）
        #[arg(long, value_name = "内容")]
        what: Option<String>,
        /// 补报理由（逾期报送时必填）
        #[arg(long, value_name = "理由")]
        late_reason: Option<String>,
        /// 佐证材料文件（可多次使用）
        #[arg(long, value_name = "文件")]
        attach: Vec<PathBuf>,
    },
    /// 签收一份待签收的报送（签收日期为 --today）
    Accept {
        /// 报送编号（`reports list` 中的 #号）
        #[arg(value_name = "编号")]
        id: u64,
    },
    /// 退回一份待签收的报送，要求修改后重报（写明理由）
    Return {
        /// 报送编号
        #[arg(value_name = "编号")]
        id: u64,
        /// 退回的理由
        #[arg(long, value_name = "理由")]
        reason: String,
    },
    /// 各单位各期的报送情况：未到期、待签收、已签收、退回修改、逾期未报
    List {
        /// 只列这个单位的（名称或别名）
        #[arg(long, value_name = "单位")]
        unit: Option<String>,
        /// 只列这种情况的：upcoming、pending、accepted、returned、missing
        #[arg(long, value_name = "情况")]
        state: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 按时报送率：每个单位每一期，以及合计（首次报送不晚于截止日期的为按时；未到期的不计）
    Ontime {
        /// 只列这个单位的（名称或别名）
        #[arg(long, value_name = "单位")]
        unit: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 本办的报送事项（月报、季报等）和提前提醒天数
    Office {
        #[command(subcommand)]
        command: OfficeCmd,
    },
}

#[derive(Debug, Subcommand)]
pub enum OfficeCmd {
    /// 列出本办的报送事项
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 新增或修改一项本办报送事项
    Set {
        /// 编号（字母、数字，不含“/”，例如 monthly）
        #[arg(long, value_name = "编号")]
        id: String,
        /// 名称，例如“专项整治月报”
        #[arg(long, value_name = "名称")]
        name: String,
        /// 周期：每月、每季度、每半年、每年
        #[arg(long, value_name = "周期")]
        every: String,
        /// 每期结束后几天内报送（默认 0：每期最后一天前）
        #[arg(long, value_name = "天数", default_value_t = 0)]
        grace_days: u32,
        /// 报送单位（名称或别名，可多次使用；不写则为有任务的全部单位）
        #[arg(long, value_name = "单位")]
        unit: Vec<String>,
    },
    /// 删除一项本办报送事项（已有的报送记录保留）
    Remove {
        #[arg(value_name = "编号")]
        id: String,
    },
    /// 截止日期前几天在今日待办中提醒
    RemindDays {
        #[arg(value_name = "天数")]
        days: u32,
    },
}

/// The reports of the campaign and where each unit stands on them.
pub(crate) struct Book {
    pub scope: CampaignScope,
    pub units: UnitDirectory,
    pub reporting: Reporting,
    pub submissions: Vec<Submission>,
    pub filings: Vec<anwei_core::reports::Filing>,
}

impl Book {
    pub(crate) fn load(store: &Store, campaign: Option<&str>, today: NaiveDate) -> Result<Book> {
        let Some(scope) = store.campaign_scope(campaign, today)? else {
            bail!("数据目录中还没有活动；先运行 `anwei init --demo` 载入示例活动");
        };
        let reporting = store.settings()?.reporting;
        let submissions = store.submissions()?;
        let units = store.unit_directory()?;
        let (_, filings) = campaign_filings(
            &scope.tasks,
            &reporting.office_reports,
            &units,
            &scope.campaign,
            &submissions,
            today,
        );
        Ok(Book {
            units,
            scope,
            reporting,
            submissions,
            filings,
        })
    }

    pub(crate) fn unit_name(&self, id: &str) -> String {
        self.units
            .get(id)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| id.to_owned())
    }

    fn unit_id(&self, given: &str) -> Result<String> {
        match self.units.resolve(given) {
            Some(u) => Ok(u.id.clone()),
            None => bail!("没有单位“{given}”；用 `anwei units list` 查看单位名称"),
        }
    }
}

#[derive(Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    filing: &'a anwei_core::reports::Filing,
    unit_name: String,
}

#[derive(Serialize)]
struct RateRow<'a> {
    #[serde(flatten)]
    row: &'a anwei_core::reports::OnTime,
    unit_name: String,
    rate_text: String,
}

/// The submission `id` in the user's words.
fn submission_of(store: &Store, id: u64) -> Result<String> {
    let Some(s) = store.submission(id)? else {
        bail!("没有编号为 #{id} 的报送；用 `anwei reports list` 查看");
    };
    let units = store.unit_directory()?;
    let name = match store
        .settings()?
        .reporting
        .office_reports
        .iter()
        .find(|o| o.id == s.report)
    {
        Some(o) => o.name.clone(),
        None => store
            .task(&s.report)?
            .map_or_else(|| s.report.clone(), |t| format!("{} {}", t.label, t.title)),
    };
    Ok(anwei_core::reports::submission_words(
        units.name_of(&s.unit),
        &name,
        &s.period,
        s.date,
        s.is_late(),
    ))
}

fn recurrence_of(word: &str) -> Result<Recurrence> {
    match anwei_core::parse_deadline(word.trim(), None)
        .ok()
        .and_then(|d| d.recurrence)
    {
        Some(r) => Ok(r),
        None => bail!("无法识别的周期“{word}”（示例：每月、每季度、每半年、每年）"),
    }
}

pub fn run(
    dir: &Path,
    command: ReportsCmd,
    campaign: Option<&str>,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let session = open_synced(dir)?;
    let store = session.store();
    let apply = |cmd: Command| crate::cli::save(&session, dir, &cmd);
    match command {
        ReportsCmd::Submit {
            unit,
            report,
            date,
            period,
            what,
            late_reason,
            attach,
        } => {
            let book = Book::load(store, campaign, today)?;
            let unit = book.unit_id(&unit)?;
            let date = date.unwrap_or(today);
            // The report's periods and days of grace.
            let (recurrence, grace, name) = match book
                .reporting
                .office_reports
                .iter()
                .find(|o| o.id == report)
            {
                Some(o) => (o.recurrence, o.grace_days, o.name.clone()),
                None => {
                    let task = crate::cli::require_task(store, &report)?;
                    let Some(r) = task.deadlines.iter().find_map(|d| d.recurrence) else {
                        bail!(
                            "任务 {report} 没有按期报送的要求（其完成时间不是每月、每季度这类周期）"
                        );
                    };
                    (r, 0, format!("{} {}", task.label, task.title))
                }
            };
            let (start, end) = match period {
                Some(day) => recurrence.period_of(day),
                None => {
                    let submitted: Vec<NaiveDate> = book
                        .submissions
                        .iter()
                        .filter(|s| s.report == report && s.unit == unit)
                        .filter(|s| !matches!(s.review, Review::Returned { .. }))
                        .map(|s| s.period_start)
                        .collect();
                    match default_period(recurrence, grace, date, &submitted) {
                        Some(p) => p,
                        None => bail!(
                            "{date} 没有尚未报送、又未过截止日期的一期；补报以前的一期请用 --period 指明（该期中的任一天）并用 --late-reason 说明理由"
                        ),
                    }
                }
            };
            let period_text = anwei_core::calendar::period_label(recurrence, start, end);
            check_attachments(&attach)?;
            let words = anwei_core::reports::submission_words(
                &book.unit_name(&unit),
                &name,
                &period_text,
                date,
                late_reason.is_some(),
            );
            apply(Command::SubmitReport {
                unit,
                report,
                period_start: start,
                date,
                what: what.unwrap_or_else(|| format!("{period_text}{name}")),
                late_reason,
                attach: attach
                    .iter()
                    .map(|p| EvidenceSource {
                        path: p.to_string_lossy().into_owned(),
                    })
                    .collect(),
            })?;
            writeln!(out, "已保存：{words}")?;
        }
        ReportsCmd::Accept { id } => {
            let words = submission_of(store, id)?;
            apply(Command::AcceptSubmission { id, date: today })?;
            writeln!(out, "已签收：{words}")?;
        }
        ReportsCmd::Return { id, reason } => {
            let words = submission_of(store, id)?;
            apply(Command::ReturnSubmission {
                id,
                date: today,
                reason: reason.clone(),
            })?;
            writeln!(out, "已退回修改：{words}，理由：{}", reason.trim())?;
        }
        ReportsCmd::List { unit, state, json } => {
            let book = Book::load(store, campaign, today)?;
            let unit = unit.map(|u| book.unit_id(&u)).transpose()?;
            let state = match state.as_deref().map(str::trim) {
                None => None,
                Some(s) => Some(
                    [
                        FilingState::Upcoming,
                        FilingState::Pending,
                        FilingState::Accepted,
                        FilingState::Returned,
                        FilingState::Missing,
                    ]
                    .into_iter()
                    .find(|f| f.key() == s || f.label_zh() == s)
                    .ok_or_else(|| {
                        anyhow!(
                            "无法识别的情况“{s}”；可用 upcoming（未到期）、pending（待签收）、accepted（已签收）、returned（退回修改）、missing（逾期未报）"
                        )
                    })?,
                ),
            };
            let listed: Vec<Listed> = book
                .filings
                .iter()
                .filter(|f| unit.as_deref().is_none_or(|u| f.unit == u))
                .filter(|f| state.is_none_or(|s| f.state == s))
                .map(|f| Listed {
                    filing: f,
                    unit_name: book.unit_name(&f.unit),
                })
                .collect();
            if json {
                serde_json::to_writer_pretty(&mut *out, &listed)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "报送情况（{}，截至 {today}）：共 {} 项",
                    book.scope.campaign.name,
                    listed.len()
                )?;
                for l in &listed {
                    let f = l.filing;
                    let ids: Vec<String> = f.submissions.iter().map(|i| format!("#{i}")).collect();
                    writeln!(
                        out,
                        "{}  {:<12} {:<8} {:<14} {}  {}{}",
                        f.due,
                        f.period,
                        f.state_label,
                        l.unit_name,
                        f.name,
                        match (f.first, f.on_time) {
                            (Some(d), Some(false)) => format!("补报 {d}"),
                            (Some(d), _) => format!("报送 {d}"),
                            _ => String::new(),
                        },
                        if ids.is_empty() {
                            String::new()
                        } else {
                            format!(" {}", ids.join(" "))
                        }
                    )?;
                }
            }
        }
        ReportsCmd::Ontime { unit, json } => {
            let book = Book::load(store, campaign, today)?;
            let unit = unit.map(|u| book.unit_id(&u)).transpose()?;
            let rows = on_time(&book.filings);
            let rows: Vec<RateRow> = rows
                .iter()
                .filter(|r| unit.as_deref().is_none_or(|u| r.unit == u))
                .map(|r| RateRow {
                    row: r,
                    unit_name: book.unit_name(&r.unit),
                    rate_text: rate_text(r.rate),
                })
                .collect();
            if json {
                serde_json::to_writer_pretty(&mut *out, &rows)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "按时报送率（{}，截至 {today}；首次报送不晚于截止日期的为按时，未到期的不计）",
                    book.scope.campaign.name
                )?;
                if rows.is_empty() {
                    writeln!(out, "还没有到期的报送")?;
                }
                for r in &rows {
                    let line = format!(
                        "{:<14} 应报 {:>3}  按时 {:>3}  补报 {:>3}  未报 {:>3}  按时率 {}",
                        r.row.period,
                        r.row.due,
                        r.row.on_time,
                        r.row.late,
                        r.row.missing,
                        r.rate_text
                    );
                    if r.row.period == ALL_PERIODS {
                        writeln!(out, "{}  {line}\n", r.unit_name)?;
                    } else {
                        writeln!(out, "{}  {line}", r.unit_name)?;
                    }
                }
            }
        }
        ReportsCmd::Office { command } => {
            let mut reporting = store.settings()?.reporting;
            match command {
                OfficeCmd::List { json } => {
                    if json {
                        serde_json::to_writer_pretty(&mut *out, &reporting)?;
                        writeln!(out)?;
                    } else {
                        let units = store.unit_directory()?;
                        writeln!(
                            out,
                            "本办报送事项：{} 项（截止日期前 {} 天在今日待办中提醒）",
                            reporting.office_reports.len(),
                            reporting.remind_days
                        )?;
                        for o in &reporting.office_reports {
                            let who = if o.units.is_empty() {
                                "有任务的全部单位".to_owned()
                            } else {
                                o.units
                                    .iter()
                                    .map(|u| units.get(u).map_or(u.as_str(), |x| &x.name))
                                    .collect::<Vec<_>>()
                                    .join("、")
                            };
                            let when = if o.grace_days == 0 {
                                "每期最后一天前".to_owned()
                            } else {
                                format!("每期结束后 {} 天内", o.grace_days)
                            };
                            writeln!(
                                out,
                                "{:<12} {}  {}，{when}报送；报送单位：{who}",
                                o.id,
                                o.name,
                                o.recurrence.label_zh()
                            )?;
                        }
                    }
                    return Ok(());
                }
                OfficeCmd::Set {
                    id,
                    name,
                    every,
                    grace_days,
                    unit,
                } => {
                    let units = store.unit_directory()?;
                    let unit_ids = unit
                        .iter()
                        .map(|u| match units.resolve(u) {
                            Some(x) => Ok(x.id.clone()),
                            None => {
                                Err(anyhow!("没有单位“{u}”；用 `anwei units list` 查看单位名称"))
                            }
                        })
                        .collect::<Result<Vec<_>>>()?;
                    let report = OfficeReport {
                        id: id.trim().to_owned(),
                        name: name.trim().to_owned(),
                        recurrence: recurrence_of(&every)?,
                        grace_days,
                        units: unit_ids,
                        campaign: None,
                    };
                    match reporting
                        .office_reports
                        .iter_mut()
                        .find(|o| o.id == report.id)
                    {
                        Some(o) => *o = report,
                        None => reporting.office_reports.push(report),
                    }
                }
                OfficeCmd::Remove { id } => {
                    let before = reporting.office_reports.len();
                    reporting.office_reports.retain(|o| o.id != id);
                    if reporting.office_reports.len() == before {
                        bail!("没有报送事项“{id}”；用 `anwei reports office list` 查看");
                    }
                }
                OfficeCmd::RemindDays { days } => reporting.remind_days = days,
            }
            let summary = apply(Command::SetReporting { reporting })?;
            writeln!(out, "已保存：{summary}")?;
        }
    }
    Ok(())
}
