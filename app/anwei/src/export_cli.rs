//! `anwei export …`: the desk's tables as Excel workbooks (.xlsx) in the office's print
//! layout — the same rows `tasks list`, `targets list`, `supervise list`… show, with the same
//! filters. The file is written whole or not at all.

use std::io::Write;
use std::path::{Path, PathBuf};

use anwei_core::supervision::ListKind;
use anwei_exchange::tables::{self, TargetLine};
use anwei_exchange::xlsx::{self, Table};
use anyhow::{Result, anyhow, bail};
use chrono::{Datelike, NaiveDate};
use clap::{Args, Subcommand};

use crate::cli::{TaskQuery, open_synced, settle};

/// Where the workbook goes.
#[derive(Debug, Args)]
pub struct Out {
    /// 输出的 Excel 文件（.xlsx）
    #[arg(long, value_name = "文件.xlsx")]
    out: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum ExportCmd {
    /// 任务清单（筛选同 tasks list）
    Tasks {
        /// 方案编号
        #[arg(long, value_name = "方案")]
        plan: Option<String>,
        /// 单位名称或别名（任一角色）
        #[arg(long, value_name = "单位")]
        unit: Option<String>,
        /// 只导出逾期任务
        #[arg(long)]
        overdue: bool,
        /// 只导出该状态的任务（同 tasks list --status）
        #[arg(long, value_name = "状态")]
        status: Option<String>,
        /// 全文搜索
        #[arg(long, value_name = "文字")]
        search: Option<String>,
        #[command(flatten)]
        out: Out,
    },
    /// 指标清单：要求、当前值和状态（启动插件计算）
    Targets {
        /// 只导出这个行业的（插件编号）
        #[arg(long, value_name = "行业")]
        sector: Option<String>,
        #[command(flatten)]
        out: Out,
    },
    /// 一个表单的台账：每条记录一行（已删除的不导出），每个字段一列（选项按名称、单位按名称、重复组每组一行）
    Records {
        /// 表单，写作“行业/表单”（见 records forms）
        #[arg(long, value_name = "行业/表单")]
        form: String,
        #[command(flatten)]
        out: Out,
    },
    /// 单位名录
    Units {
        #[command(flatten)]
        out: Out,
    },
    /// 督办事项台账
    Items {
        #[command(flatten)]
        out: Out,
    },
    /// 通报登记（默认今年）
    Circulars {
        /// 年度
        #[arg(long, value_name = "年")]
        year: Option<i32>,
        #[command(flatten)]
        out: Out,
    },
    /// 隐患排查治理台账
    Hazards {
        #[command(flatten)]
        out: Out,
    },
    /// 两个清单：问题隐患清单和制度措施清单（两张工作表）
    Lists {
        #[command(flatten)]
        out: Out,
    },
    /// 年度考核表：汇总和扣分明细（两张工作表，默认今年）
    Assessment {
        /// 年度
        #[arg(long, value_name = "年")]
        year: Option<i32>,
        #[command(flatten)]
        out: Out,
    },
}

fn write(out_path: &Path, tables: &[Table], out: &mut impl Write) -> Result<()> {
    if out_path.extension().and_then(|e| e.to_str()) != Some("xlsx") {
        bail!("输出文件应以 .xlsx 结尾：{}", out_path.display());
    }
    xlsx::save(out_path, tables)?;
    let rows: usize = tables.iter().map(|t| t.rows.len()).sum();
    writeln!(out, "已导出 {rows} 行到 {}", out_path.display())?;
    Ok(())
}

pub fn run_export(
    dir: &Path,
    command: ExportCmd,
    today: NaiveDate,
    campaign: Option<&str>,
    out: &mut impl Write,
) -> Result<()> {
    let session = open_synced(dir)?;
    let store = session.store();
    let units = store.unit_directory()?;
    // The issuing office's name heads the registers' titles.
    let office = match store.campaign_scope(campaign, today)? {
        Some(scope) => store.settings()?.issuing_office(&scope.campaign),
        None => "安委办".to_owned(),
    };
    match command {
        ExportCmd::Tasks {
            plan,
            unit,
            overdue,
            status,
            search,
            out: path,
        } => {
            let filter: Vec<String> = [
                plan.as_ref().map(|p| format!("方案 {p}")),
                unit.as_ref().map(|u| format!("单位 {u}")),
                overdue.then(|| "逾期".to_owned()),
                status.as_ref().map(|s| format!("状态 {s}")),
                search.as_ref().map(|s| format!("含“{s}”")),
            ]
            .into_iter()
            .flatten()
            .collect();
            let query = TaskQuery {
                plan,
                unit,
                overdue,
                status,
                search,
            };
            let (input, rows) = query.rows(store, today, campaign)?;
            let shown: Vec<_> = rows.iter().collect();
            let plan_name = |id: &str| {
                input
                    .plans
                    .iter()
                    .find(|p| p.id == id)
                    .map_or_else(|| id.to_owned(), |p| p.title.clone())
            };
            let t = tables::tasks(
                &format!("{}任务清单", input.campaign.name),
                &filter.join("，"),
                &shown,
                plan_name,
                today,
            );
            write(&path.out, &[t], out)?;
        }
        ExportCmd::Targets { sector, out: path } => {
            let mut session = session;
            session
                .start_plugins()
                .map_err(|e| anyhow!("插件未启动：{e}"))?;
            settle(&session);
            let Some(scope) = session.store().campaign_scope(campaign, today)? else {
                bail!("数据目录中还没有活动；先运行 `anwei init --demo` 载入示例活动");
            };
            let (rows, problems) = session
                .target_rows(Some(&scope.campaign.id), sector.as_deref(), today)
                .map_err(|e| anyhow!("{e}"))?;
            for p in problems {
                eprintln!("注意：{p}");
            }
            let sector_of = |plan: &str| {
                scope
                    .plans
                    .iter()
                    .find(|p| p.id == plan)
                    .and_then(|p| p.sector.clone())
                    .unwrap_or_else(|| plan.to_owned())
            };
            let lines: Vec<TargetLine> = rows
                .iter()
                .map(|r| TargetLine {
                    sector: sector_of(&r.target.plan),
                    target: &r.target,
                    current: r.evaluation.current.as_ref().map(|c| c.value),
                    status: match &r.not_applicable {
                        Some(why) => format!("{}（{why}）", r.status.label_zh()),
                        None => r.status.label_zh().to_owned(),
                    },
                })
                .collect();
            let t = tables::targets(&format!("{}指标清单", scope.campaign.name), &lines, today);
            write(&path.out, &[t], out)?;
        }
        ExportCmd::Records { form, out: path } => {
            let mut session = session;
            session
                .start_plugins()
                .map_err(|e| anyhow!("插件未启动：{e}"))?;
            settle(&session);
            let (defs, problems) = session.forms();
            for p in problems {
                eprintln!("注意：{p}");
            }
            let def = crate::records_cli::form_of(&defs, &form)?;
            let columns = tables::RecordColumns::of(&def);
            let mut rows = Vec::new();
            // One record at a time from the store; deleted ones are not in the 台账.
            session.store().record_reader().for_each(&form, None, |r| {
                if !r.deleted {
                    rows.push(columns.row(&r, &units));
                }
            })?;
            let t = columns.table(&format!("{}{}", office, def.title), rows, today);
            write(&path.out, &[t], out)?;
        }
        ExportCmd::Units { out: path } => {
            let list = crate::cli::campaign_units(store, today, campaign)?;
            let t = tables::units(&format!("{}单位名录", office), &list, today);
            write(&path.out, &[t], out)?;
        }
        ExportCmd::Items { out: path } => {
            let regs = store.supervision_registers()?;
            let items: Vec<_> = regs.items.iter().collect();
            let t = tables::items(&format!("{}督办事项台账", office), &items, &units, today);
            write(&path.out, &[t], out)?;
        }
        ExportCmd::Circulars { year, out: path } => {
            let year = year.unwrap_or(today.year());
            let regs = store.supervision_registers()?;
            let list: Vec<_> = regs.circulars.iter().filter(|c| c.year == year).collect();
            let t = tables::circulars(
                &format!("{}{year}年安全生产工作通报登记", office),
                &list,
                &units,
                today,
            );
            write(&path.out, &[t], out)?;
        }
        ExportCmd::Hazards { out: path } => {
            let regs = store.supervision_registers()?;
            let list: Vec<_> = regs.hazards.iter().collect();
            let t = tables::hazards(&format!("{}隐患排查治理台账", office), &list, &units, today);
            write(&path.out, &[t], out)?;
        }
        ExportCmd::Lists { out: path } => {
            let regs = store.supervision_registers()?;
            let sheets: Vec<Table> = [ListKind::Problems, ListKind::Measures]
                .into_iter()
                .map(|kind| {
                    let entries: Vec<_> = regs.lists.iter().filter(|e| e.list == kind).collect();
                    tables::list(
                        &format!("{office}{}", kind.label_zh()),
                        kind,
                        &entries,
                        &units,
                        today,
                    )
                })
                .collect();
            write(&path.out, &sheets, out)?;
        }
        ExportCmd::Assessment { year, out: path } => {
            let year = year.unwrap_or(today.year());
            let a = session.assessment(year, campaign, None, today)?;
            for p in &a.problems {
                eprintln!("注意：{p}");
            }
            let sheets = tables::assessment(
                &format!("{}{year}年度安全生产工作考核表", office),
                &a.sheets,
                &units,
            );
            write(&path.out, &sheets, out)?;
        }
    }
    Ok(())
}
