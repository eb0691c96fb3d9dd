//! `anwei notices`: the register of issued 督办通知书 — list them, print one again exactly as
//! it was issued, void one (its number stays used, the reason is kept).

use std::io::Write;
use std::path::{Path, PathBuf};

use anwei_core::notice::parse_notice_number;
use anwei_core::{Command, NoticeRecord};
use anyhow::{Context, Result};
use clap::Subcommand;
use serde::Serialize;

use crate::cli::session;

#[derive(Debug, Subcommand)]
pub enum NoticesCmd {
    /// 列出已签发的督办通知书（文号、任务、主送单位、新的完成时限、是否作废）
    List {
        /// 只列这项任务的，例如 reform/36
        #[arg(long, value_name = "任务")]
        task: Option<String>,
        /// 只列这一年的，例如 2026
        #[arg(long, value_name = "年度")]
        year: Option<i32>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 按签发时的原样重印一份督办通知书（与签发时的 PDF 逐字节相同）
    Reprint {
        /// 文号，写作 2026-3 或 〔2026〕3号
        #[arg(value_name = "文号")]
        number: String,
        /// 输出的 PDF 文件
        #[arg(long, value_name = "文件.pdf")]
        out: PathBuf,
    },
    /// 作废一份已签发的督办通知书：文号不再使用，理由记入审计日志
    Void {
        /// 文号，写作 2026-3 或 〔2026〕3号
        #[arg(value_name = "文号")]
        number: String,
        /// 作废的理由
        #[arg(long, value_name = "理由")]
        reason: String,
    },
}

/// A notice as `notices list --json` prints it.
#[derive(Serialize)]
struct Listed<'a> {
    /// "安委办督〔2026〕3号".
    doc_number: String,
    #[serde(flatten)]
    notice: &'a NoticeRecord,
}

fn number_of(text: &str) -> Result<(i32, u32)> {
    parse_notice_number(text).with_context(|| {
        format!("文号“{text}”无法识别，应写作 2026-3 或 〔2026〕3号（年度和当年的编号）")
    })
}

pub fn run(dir: &Path, command: NoticesCmd, out: &mut impl Write) -> Result<()> {
    let session = session(dir)?;
    let store = session.store();
    let prefix = store.settings()?.doc_prefix;
    match command {
        NoticesCmd::List { task, year, json } => {
            // A task that does not exist is said, not listed as having no notices.
            if let Some(t) = &task {
                crate::cli::require_task(store, t)?;
            }
            let list: Vec<NoticeRecord> = store
                .notices(year)?
                .into_iter()
                .filter(|n| task.as_ref().is_none_or(|t| &n.task == t))
                .collect();
            if json {
                let listed: Vec<Listed> = list
                    .iter()
                    .map(|n| Listed {
                        doc_number: n.doc_number(&prefix),
                        notice: n,
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &listed)?;
                writeln!(out)?;
                return Ok(());
            }
            for n in &list {
                let state = match &n.voided {
                    Some(v) => format!("已作废（{}）", v.reason),
                    None => "有效".to_owned(),
                };
                let date = n
                    .date
                    .map_or_else(|| n.issued_at.chars().take(10).collect(), |d| d.to_string());
                let (title, about) = match n.item {
                    Some(i) => (n.title.as_str(), format!("督办事项 #{i}")),
                    None => ("督办通知书", format!("任务 {}", n.task)),
                };
                writeln!(
                    out,
                    "{}  {title}  {date}  {about}  主送 {}  限 {} 前  {state}",
                    n.doc_number(&prefix),
                    n.recipient,
                    n.new_deadline
                )?;
            }
            writeln!(out, "共 {} 份", list.len())?;
        }
        NoticesCmd::Reprint { number, out: file } => {
            let (year, n) = number_of(&number)?;
            let (notice, pdf) = store.issued_notice(year, n)?;
            anwei_print::write_pdf_file(&file, &pdf)?;
            let voided = if notice.voided.is_some() {
                "（此件已作废）"
            } else {
                ""
            };
            writeln!(
                out,
                "已重印 {}{voided}：{}（{} 字节，与签发时相同）",
                notice.doc_number(&prefix),
                file.display(),
                pdf.len()
            )?;
        }
        NoticesCmd::Void { number, reason } => {
            let (year, n) = number_of(&number)?;
            let applied = session.apply(&Command::VoidNotice {
                year,
                number: n,
                reason,
            })?;
            let named = store
                .notice(year, n)?
                .map_or_else(|| format!("〔{year}〕{n}号"), |r| r.doc_number(&prefix));
            writeln!(out, "已作废：{named}（操作记录 #{}）", applied.audit_id)?;
        }
    }
    Ok(())
}
