//! The command line. Every subcommand opens the data folder's store, does one thing and
//! prints a result (tables for people, `--json` for scripts).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anwei_core::query::RowContext;
use anwei_core::{Command, EvidenceSource, Status, TaskFilter, TaskRow};
use anwei_store::{ImportOutcome, Store};
use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use serde::Serialize;

use crate::plugins_cli::{self, PluginsCmd};
use crate::records_cli::{self, RecordsCmd};

/// 安委办专项整治工作台 — Anwei Desk. Without a subcommand, opens the desk window.
#[derive(Debug, Parser)]
#[command(name = "anwei", version, about)]
pub struct Args {
    /// Data folder (default: the platform's data directory for Anwei Desk).
    #[arg(long, global = true, env = "ANWEI_DATA", value_name = "DIR")]
    data: Option<PathBuf>,
    /// Compute statuses as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, global = true, value_name = "DATE")]
    today: Option<NaiveDate>,
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Create the data folder; with --demo, load the demo campaign (idempotent).
    Init {
        #[arg(long)]
        demo: bool,
    },
    /// Open the database and check its consistency.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Tasks of the campaign.
    Tasks {
        #[command(subcommand)]
        command: TasksCmd,
    },
    /// Progress entries of tasks.
    Progress {
        #[command(subcommand)]
        command: ProgressCmd,
    },
    /// The unit directory.
    Units {
        #[command(subcommand)]
        command: UnitsCmd,
    },
    /// Back up the whole desk (database and evidence files) to one file.
    Backup { file: PathBuf },
    /// Replace the desk's data with a backup (the current data is backed up first).
    Restore { file: PathBuf },
    /// Print documents to PDF (GB/T 9704 layout).
    Print {
        #[command(subcommand)]
        command: PrintCmd,
    },
    /// Ledger records of the plugins' forms.
    Records {
        #[command(subcommand)]
        command: RecordsCmd,
    },
    /// Targets of the sector plans with their current values and status.
    Targets {
        #[command(subcommand)]
        command: TargetsCmd,
    },
    /// Sector plugins: list, install, enable/disable; keys, signing and the trust list.
    Plugins {
        #[command(subcommand)]
        command: PluginsCmd,
    },
}

#[derive(Debug, Subcommand)]
enum PrintCmd {
    /// 任务分工方案: one plan's (or the whole campaign's) task-division table.
    TaskTable {
        /// Plan id; all plans when omitted.
        #[arg(long)]
        plan: Option<String>,
        /// The attachment label printed at top left (default: the plan's code, e.g. 附件1).
        #[arg(long)]
        attachment: Option<String>,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// 督办通知书 for a task; records the notice under the year's next 文号.
    Supervision {
        #[arg(long)]
        task: String,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// 主送单位 (default: the task's first lead unit).
        #[arg(long)]
        recipient: Option<String>,
        /// New deadline (default: 15 days from today).
        #[arg(long)]
        new_deadline: Option<NaiveDate>,
        /// What the unit must do.
        #[arg(long)]
        action: Option<String>,
        /// 联系人 and phone (default: the print settings').
        #[arg(long)]
        contact: Option<String>,
    },
    /// Progress report for one plan or all.
    Progress {
        #[arg(long)]
        plan: Option<String>,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum TasksCmd {
    /// List tasks, optionally filtered.
    List {
        /// Plan id (see `tasks list --json`: topic-1, topic-2, reform, …).
        #[arg(long)]
        plan: Option<String>,
        /// Unit name or alias, in any role.
        #[arg(long)]
        unit: Option<String>,
        /// Only overdue tasks.
        #[arg(long)]
        overdue: bool,
        /// Only tasks with this status (not_started, in_progress, done, due_soon, overdue or the Chinese label).
        #[arg(long)]
        status: Option<String>,
        /// Free-text search.
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show one task with its full text and progress.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum ProgressCmd {
    /// Add a progress entry to a task.
    Add {
        #[arg(long)]
        task: String,
        /// Date the progress refers to (default: today).
        #[arg(long)]
        date: Option<NaiveDate>,
        #[arg(long, default_value = "")]
        text: String,
        #[arg(long)]
        percent: Option<u8>,
        #[arg(long)]
        done: bool,
        /// Evidence file to copy into the data folder (repeatable).
        #[arg(long, value_name = "FILE")]
        attach: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum TargetsCmd {
    /// Name, unit, comparator, checkpoints, baseline, current value, status, per-town values.
    List {
        #[arg(long)]
        sector: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum UnitsCmd {
    /// List units with their aliases.
    List {
        #[arg(long)]
        json: bool,
    },
}

/// The data folder: `--data`, else the platform data directory.
fn data_dir(arg: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(dir) = arg {
        return Ok(dir);
    }
    let dirs = directories::ProjectDirs::from("cn", "anwei", "anwei-desk")
        .context("无法确定本机的数据目录，请用 --data 指定")?;
    Ok(dirs.data_dir().to_path_buf())
}

/// Who is recorded in the audit trail: the desk's user name setting, else the OS user.
pub(crate) fn actor(store: &Store) -> String {
    store
        .settings()
        .ok()
        .map(|s| s.user_name)
        .filter(|n| !n.is_empty())
        .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
        .unwrap_or_else(|| "本机用户".to_owned())
}

pub(crate) fn open(dir: &Path) -> Result<Store> {
    Store::open(dir).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Opens the store and brings in the sector plans of the enabled plugins (built-in and
/// installed), as the window does at start-up. A plugin problem is reported on stderr and
/// does not stop the command.
fn open_synced(dir: &Path) -> Result<Store> {
    let store = open(dir)?;
    let _imported = sync_plugins(&store);
    Ok(store)
}

/// The plugin host of the data folder, configured from the store's settings.
pub(crate) fn open_host(store: &Store) -> Result<anwei_plugin_host::PluginHost, String> {
    store
        .settings()
        .map_err(|e| e.to_string())
        .and_then(|s| anwei_session::host_config(store.root(), &s).map_err(|e| e.to_string()))
        .and_then(|c| anwei_plugin_host::PluginHost::open(c).map_err(|e| e.to_string()))
}

/// Records the host's events and imports the sector plans of its enabled plugins; returns
/// the summaries of the plans imported. Problems go to stderr.
pub(crate) fn sync_host(store: &Store, host: &anwei_plugin_host::PluginHost) -> Vec<String> {
    let actor = actor(store);
    if let Err(e) = anwei_session::record_host_events(store, host, &actor) {
        eprintln!("注意：插件事件未能记入操作记录：{e}");
    }
    let report = anwei_session::sync_sector_plans(store, host, &actor);
    for e in report.errors {
        eprintln!("注意：{e}");
    }
    report.imported
}

/// Returns the summaries of the sector plans imported.
fn sync_plugins(store: &Store) -> Vec<String> {
    match open_host(store) {
        Ok(host) => sync_host(store, &host),
        Err(e) => {
            eprintln!("注意：插件未启动，行业方案未更新：{e}");
            Vec::new()
        }
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    let dir = data_dir(args.data)?;
    let today = args.today.unwrap_or_else(Store::today);
    let Some(command) = args.command else {
        return crate::window::run(dir);
    };
    let mut out = std::io::stdout().lock();
    match command {
        Cmd::Init { demo } => {
            let store = open(&dir)?;
            if demo {
                let data = anwei_exchange::demo_campaign()?;
                match store.import_campaign(&data, &actor(&store))? {
                    ImportOutcome::Imported {
                        plans,
                        tasks,
                        units,
                    } => writeln!(
                        out,
                        "已载入示例活动“{}”：{plans} 个方案、{tasks} 项任务、{units} 个单位",
                        data.campaign.name
                    )?,
                    ImportOutcome::AlreadyPresent => {
                        writeln!(out, "示例活动“{}”已存在，未做改动", data.campaign.name)?
                    }
                }
            }
            for line in sync_plugins(&store) {
                writeln!(out, "{line}")?;
            }
            writeln!(out, "数据目录：{}", dir.display())?;
        }
        Cmd::Check { json } => {
            let store = open(&dir)?;
            let report = store.check()?;
            if json {
                serde_json::to_writer_pretty(&mut out, &report)?;
                writeln!(out)?;
            } else {
                writeln!(out, "数据库版本：{}", report.schema_version)?;
                for (tree, n) in &report.counts {
                    writeln!(out, "  {tree}: {n}")?;
                }
                if report.problems.is_empty() {
                    writeln!(out, "检查通过")?;
                } else {
                    for p in &report.problems {
                        writeln!(out, "问题：{p}")?;
                    }
                }
            }
            if !report.problems.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        Cmd::Tasks { command } => {
            let store = open_synced(&dir)?;
            match command {
                TasksCmd::List {
                    plan,
                    unit,
                    overdue,
                    status,
                    search,
                    json,
                } => {
                    let status = match (overdue, status) {
                        (true, _) => Some(Status::Overdue),
                        (false, Some(s)) => {
                            Some(Status::from_key(&s).with_context(|| format!("未知的状态“{s}”"))?)
                        }
                        (false, None) => None,
                    };
                    let rows = task_rows(&store, today)?;
                    let units = store.unit_directory()?;
                    if let Some(p) = &plan
                        && !rows.iter().any(|r| &r.plan == p)
                    {
                        let plans: Vec<String> = store.plans()?.into_iter().map(|p| p.id).collect();
                        bail!("没有方案“{p}”（现有：{}）", plans.join("、"));
                    }
                    let filter = TaskFilter {
                        plan,
                        unit,
                        phase: None,
                        status,
                        text: search.unwrap_or_default(),
                    };
                    let shown = filter.apply(&rows, &units);
                    if json {
                        serde_json::to_writer_pretty(&mut out, &shown)?;
                        writeln!(out)?;
                    } else {
                        for r in &shown {
                            writeln!(
                                out,
                                "{:<12} {:<8} {:<6} {:<14} {}  [{}]",
                                r.id,
                                r.label,
                                r.status_label,
                                if r.deadline_text.is_empty() {
                                    "—"
                                } else {
                                    &r.deadline_text
                                },
                                r.title,
                                r.lead_units.join("、")
                            )?;
                        }
                        writeln!(out, "共 {} 项", shown.len())?;
                    }
                }
                TasksCmd::Show { id, json } => {
                    let task = store
                        .task(&id)?
                        .with_context(|| format!("找不到任务“{id}”"))?;
                    let rows = task_rows(&store, today)?;
                    let row = rows.iter().find(|r| r.id == id);
                    let progress = store.progress_of(&id)?;
                    if json {
                        #[derive(Serialize)]
                        struct Shown<'a> {
                            task: &'a anwei_core::Task,
                            row: Option<&'a TaskRow>,
                            progress: &'a [anwei_core::ProgressEntry],
                        }
                        serde_json::to_writer_pretty(
                            &mut out,
                            &Shown {
                                task: &task,
                                row,
                                progress: &progress,
                            },
                        )?;
                        writeln!(out)?;
                    } else {
                        writeln!(out, "{} {}", task.label, task.title)?;
                        if let Some(r) = row {
                            writeln!(
                                out,
                                "状态：{}    完成时间：{}",
                                r.status_label, r.deadline_text
                            )?;
                            writeln!(out, "牵头：{}", r.lead_units.join("、"))?;
                            writeln!(out, "责任：{}", r.responsible_units.join("、"))?;
                            writeln!(out, "配合：{}", r.cooperating_units.join("、"))?;
                        }
                        writeln!(out, "\n{}", task.text)?;
                        if let Some(rt) = &task.roles_text {
                            writeln!(out, "（{rt}）")?;
                        }
                        for e in &progress {
                            writeln!(
                                out,
                                "- {} {} {}{} {}",
                                e.date,
                                e.author,
                                e.percent.map(|p| format!("{p}% ")).unwrap_or_default(),
                                if e.done { "已完成" } else { "" },
                                e.text
                            )?;
                        }
                    }
                }
            }
        }
        Cmd::Progress { command } => {
            let store = open_synced(&dir)?;
            match command {
                ProgressCmd::Add {
                    task,
                    date,
                    text,
                    percent,
                    done,
                    attach,
                } => {
                    let cmd = Command::AddProgress {
                        task,
                        date: date.unwrap_or(today),
                        text,
                        percent,
                        done,
                        attach: attach
                            .iter()
                            .map(|p| EvidenceSource {
                                path: p.display().to_string(),
                            })
                            .collect(),
                    };
                    let applied = store.apply(&cmd, &actor(&store))?;
                    let id = applied.entry.map(|e| e.id).unwrap_or_default();
                    writeln!(out, "已保存：{}（记录 #{id}）", applied.summary)?;
                }
            }
        }
        Cmd::Units { command } => {
            let store = open_synced(&dir)?;
            match command {
                UnitsCmd::List { json } => {
                    let tasks = store.tasks()?;
                    let mut counts: HashMap<&str, usize> = HashMap::new();
                    for t in &tasks {
                        let mut seen: Vec<&str> = t.roles.iter().map(|r| r.unit.as_str()).collect();
                        seen.sort_unstable();
                        seen.dedup();
                        for u in seen {
                            *counts.entry(u).or_default() += 1;
                        }
                    }
                    #[derive(Serialize)]
                    struct UnitOut<'a> {
                        id: &'a str,
                        name: &'a str,
                        aliases: &'a [String],
                        kind: anwei_core::UnitKind,
                        kind_label: &'a str,
                        tasks: usize,
                    }
                    let units = store.units()?;
                    let list: Vec<UnitOut> = units
                        .iter()
                        .map(|u| UnitOut {
                            id: &u.id,
                            name: &u.name,
                            aliases: &u.aliases,
                            kind: u.kind,
                            kind_label: u.kind.label_zh(),
                            tasks: counts.get(u.id.as_str()).copied().unwrap_or(0),
                        })
                        .collect();
                    if json {
                        serde_json::to_writer_pretty(&mut out, &list)?;
                        writeln!(out)?;
                    } else {
                        for u in &list {
                            let aliases = if u.aliases.is_empty() {
                                String::new()
                            } else {
                                format!("（又作 {}）", u.aliases.join("、"))
                            };
                            writeln!(
                                out,
                                "{:<6} {} {} — {} 项任务{aliases}",
                                u.id, u.name, u.kind_label, u.tasks
                            )?;
                        }
                        writeln!(out, "共 {} 个单位", list.len())?;
                    }
                }
            }
        }
        Cmd::Backup { file } => {
            let store = open(&dir)?;
            let info = store.backup_to(&file)?;
            writeln!(
                out,
                "已备份到 {}（{} 字节，数据库版本 {}）",
                info.path.display(),
                info.size,
                info.manifest.schema_version
            )?;
        }
        Cmd::Restore { file } => {
            let report = anwei_store::restore(&dir, &file).map_err(|e| anyhow::anyhow!("{e}"))?;
            writeln!(
                out,
                "已从 {} 恢复（备份时间 {}）",
                file.display(),
                report.manifest.created_at
            )?;
            if let Some(p) = report.previous_backup {
                writeln!(out, "恢复前的数据已备份到 {}", p.display())?;
            }
            if let Some(p) = report.damaged_kept_at {
                writeln!(out, "无法打开的旧数据库已保留在 {}", p.display())?;
            }
            // Prove the restored data opens.
            open(&dir)?;
        }
        Cmd::Print { command } => {
            let store = open_synced(&dir)?;
            print(&store, command, today, args.today.is_some(), &mut out)?;
        }
        Cmd::Plugins { command } => plugins_cli::run(&dir, command, &mut out)?,
        Cmd::Records { command } => {
            let code = records_cli::run_records(&dir, command, today, &mut out)?;
            if code != 0 {
                return Ok(ExitCode::from(code));
            }
        }
        Cmd::Targets {
            command: TargetsCmd::List { sector, json },
        } => {
            records_cli::run_targets(&dir, sector, json, today, &mut out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn task_rows(store: &Store, today: NaiveDate) -> Result<Vec<TaskRow>> {
    let campaigns = store.campaigns()?;
    let Some(campaign) = campaigns.first() else {
        bail!("数据目录中还没有活动；先运行 `anwei init --demo` 载入示例活动");
    };
    let plans = store.plans()?;
    let units = store.unit_directory()?;
    let progress = store.progress_summaries()?;
    let ctx = RowContext {
        campaign,
        plans: &plans,
        units: &units,
        progress: &progress,
        rules: store.settings()?.rules(),
        today,
    };
    Ok(ctx.rows(&store.tasks()?))
}

/// Owned data the print documents borrow from.
struct PrintInput {
    campaign: anwei_core::Campaign,
    plans: Vec<anwei_core::Plan>,
    tasks: Vec<anwei_core::Task>,
    units: anwei_core::UnitDirectory,
    rows: Vec<TaskRow>,
}

impl PrintInput {
    fn load(store: &Store, today: NaiveDate) -> Result<PrintInput> {
        let rows = task_rows(store, today)?;
        let campaign = store
            .campaigns()?
            .into_iter()
            .next()
            .context("数据目录中还没有活动")?;
        Ok(PrintInput {
            campaign,
            plans: store.plans()?,
            tasks: store.tasks()?,
            units: store.unit_directory()?,
            rows,
        })
    }

    fn data(&self, today: NaiveDate) -> anwei_print::PrintData<'_> {
        anwei_print::PrintData {
            campaign: &self.campaign,
            plans: &self.plans,
            tasks: &self.tasks,
            units: &self.units,
            rows: &self.rows,
            today,
        }
    }
}

fn print(
    store: &Store,
    command: PrintCmd,
    today: NaiveDate,
    fixed_date: bool,
    out: &mut impl Write,
) -> Result<()> {
    use anwei_print::{Fonts, NoticeSpec, PdfOptions, render_pdf, write_pdf_file};
    let input = PrintInput::load(store, today)?;
    let data = input.data(today);
    let settings = store.settings()?;
    let office = settings.issuing_office(&input.campaign);
    let fonts = Fonts::load()?;
    // Reproducible output: with --today (or SOURCE_DATE_EPOCH) the PDF's dates are fixed.
    let creation_date = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|d| d.naive_utc())
        .or_else(|| fixed_date.then(|| today.and_time(chrono::NaiveTime::MIN)));
    let options = PdfOptions {
        creation_date,
        author: office.clone(),
    };
    let save = |doc: &anwei_print::Document, file: &Path, out: &mut dyn Write| -> Result<()> {
        let bytes = render_pdf(doc, &fonts, &options)?;
        write_pdf_file(file, &bytes)?;
        writeln!(
            out,
            "已生成 {}（{} 页，{} 字节）",
            file.display(),
            doc.pages.len(),
            bytes.len()
        )?;
        Ok(())
    };
    let check_plan = |plan: &Option<String>| -> Result<()> {
        if let Some(p) = plan
            && !input.plans.iter().any(|x| &x.id == p)
        {
            let ids: Vec<&str> = input.plans.iter().map(|p| p.id.as_str()).collect();
            bail!("没有方案“{p}”（现有：{}）", ids.join("、"));
        }
        Ok(())
    };
    match command {
        PrintCmd::TaskTable {
            plan,
            attachment,
            out: file,
        } => {
            check_plan(&plan)?;
            let doc = anwei_print::task_division_table(
                &data,
                &fonts,
                plan.as_deref(),
                attachment.as_deref(),
            )?;
            save(&doc, &file, out)?;
        }
        PrintCmd::Progress { plan, out: file } => {
            check_plan(&plan)?;
            let doc = anwei_print::progress_report(&data, &fonts, plan.as_deref())?;
            save(&doc, &file, out)?;
        }
        PrintCmd::Supervision {
            task,
            out: file,
            recipient,
            new_deadline,
            action,
            contact,
        } => {
            let row = input
                .rows
                .iter()
                .find(|r| r.id == task)
                .with_context(|| format!("找不到任务“{task}”"))?;
            let recipient = match recipient {
                Some(r) => r,
                None => row
                    .lead_units
                    .first()
                    .or(row.responsible_units.first())
                    .cloned()
                    .context("该任务没有牵头或责任单位，请用 --recipient 指定主送单位")?,
            };
            let year = chrono::Datelike::year(&today);
            let number = store.next_notice_number(year)?;
            let new_deadline = new_deadline.unwrap_or(today + chrono::Days::new(15));
            let spec = NoticeSpec {
                task_id: task.clone(),
                doc_number: (year, number),
                doc_prefix: settings.doc_prefix.clone(),
                issuing_office: office.clone(),
                recipient_unit: Some(recipient.clone()),
                new_deadline,
                required_action: action.unwrap_or_else(|| {
                    "立即研究部署，制定整改措施，明确责任人和完成时限".to_owned()
                }),
                contact: contact.unwrap_or_else(|| settings.contact.clone()),
                date: today,
                chinese_date: settings.chinese_date,
            };
            let doc = anwei_print::supervision_notice(&data, &fonts, &spec)?;
            save(&doc, &file, out)?;
            let applied = store.apply(
                &Command::RecordNotice {
                    task,
                    year,
                    number,
                    recipient,
                    new_deadline,
                    file: Some(file.display().to_string()),
                },
                &actor(store),
            )?;
            writeln!(
                out,
                "已印发登记：{}〔{year}〕{number}号（{}）",
                settings.doc_prefix, applied.summary
            )?;
        }
    }
    Ok(())
}
