//! `anwei campaigns`: the desk's campaigns — list them, create one from a campaign file,
//! switch the current one, archive a finished one (read-only) or open it again.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anwei_core::{Campaign, Command, current_campaign};
use anwei_store::ImportOutcome;
use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use serde::Serialize;

use crate::cli::{session, store_error};

/// Largest campaign file read (a campaign of a few thousand tasks is well under 1 MiB).
const MAX_CAMPAIGN_FILE_BYTES: u64 = 16 << 20;

#[derive(Debug, Subcommand)]
pub enum CampaignsCmd {
    /// 列出全部活动（当前活动标“当前”，归档的标“已归档”）
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 从活动文件（JSON，格式同示例活动）新建一个活动：名称、地区、起止年份、阶段（可不设）、年度节点、行动和方案
    Create {
        /// 活动文件
        #[arg(long, value_name = "文件.json")]
        file: PathBuf,
    },
    /// 把这个活动设为当前活动（窗口和命令默认显示它）
    Switch {
        /// 活动编号
        #[arg(value_name = "活动")]
        id: String,
    },
    /// 归档一个已结束的活动：只读，其任务和指标不再接受修改；加 --undo 重新打开
    Archive {
        /// 活动编号
        #[arg(value_name = "活动")]
        id: String,
        /// 重新打开已归档的活动
        #[arg(long)]
        undo: bool,
    },
}

/// One campaign as `campaigns list --json` prints it.
#[derive(Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    campaign: &'a Campaign,
    current: bool,
    plans: usize,
    tasks: usize,
}

pub fn run(
    dir: &Path,
    command: CampaignsCmd,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<()> {
    let session = session(dir)?;
    let store = session.store();
    let apply = |cmd: Command| crate::cli::save(&session, dir, &cmd);
    match command {
        CampaignsCmd::List { json } => {
            let mut campaigns = store.campaigns()?;
            campaigns.sort_by_key(|c| std::cmp::Reverse(c.start));
            let chosen = store.settings()?.current_campaign;
            let current =
                current_campaign(&campaigns, chosen.as_deref(), today).map(|c| c.id.clone());
            let plans = store.plans()?;
            let tasks = store.tasks()?;
            let listed: Vec<Listed> = campaigns
                .iter()
                .map(|c| {
                    let ids: Vec<&str> = plans
                        .iter()
                        .filter(|p| p.campaign == c.id)
                        .map(|p| p.id.as_str())
                        .collect();
                    Listed {
                        campaign: c,
                        current: current.as_deref() == Some(c.id.as_str()),
                        plans: ids.len(),
                        tasks: tasks
                            .iter()
                            .filter(|t| ids.contains(&t.plan.as_str()))
                            .count(),
                    }
                })
                .collect();
            if json {
                serde_json::to_writer_pretty(&mut *out, &listed)?;
                writeln!(out)?;
                return Ok(());
            }
            if listed.is_empty() {
                writeln!(
                    out,
                    "还没有活动；运行 `anwei init --demo` 载入示例活动，或用 `anwei campaigns create --file 活动.json` 新建"
                )?;
                return Ok(());
            }
            for l in &listed {
                let c = l.campaign;
                let mut marks = Vec::new();
                if l.current {
                    marks.push("当前");
                }
                if c.archived {
                    marks.push("已归档");
                }
                let marks = if marks.is_empty() {
                    String::new()
                } else {
                    format!("【{}】", marks.join("，"))
                };
                writeln!(
                    out,
                    "{:<16} {}{marks}  {}  {}  {} 个方案、{} 项任务",
                    c.id,
                    c.name,
                    if c.region.is_empty() {
                        "—"
                    } else {
                        &c.region
                    },
                    c.years_text(),
                    l.plans,
                    l.tasks
                )?;
                if !c.note.is_empty() {
                    writeln!(out, "{:<16} {}", "", c.note)?;
                }
            }
            writeln!(out, "共 {} 个活动", listed.len())?;
        }
        CampaignsCmd::Create { file } => {
            let json = read_bounded(&file)?;
            let data = anwei_exchange::load_campaign_json(&json)
                .with_context(|| format!("活动文件 {} 无法载入", file.display()))?;
            let actor = crate::cli::actor(store);
            match store
                .import_campaign(&data, &actor)
                .map_err(|e| anyhow!("未保存：{}", store_error(dir, e)))?
            {
                ImportOutcome::Imported {
                    plans,
                    tasks,
                    units,
                } => writeln!(
                    out,
                    "已新建活动“{}”（{}）：{plans} 个方案、{tasks} 项任务、{units} 个新单位；用 `anwei campaigns switch {}` 设为当前活动",
                    data.campaign.name, data.campaign.id, data.campaign.id
                )?,
                ImportOutcome::AlreadyPresent => bail!(
                    "已有编号为“{}”的活动，未做改动（`anwei campaigns list` 列出全部）",
                    data.campaign.id
                ),
            }
        }
        CampaignsCmd::Switch { id } => {
            known(store, &id)?;
            let summary = apply(Command::SetCurrentCampaign { campaign: id })?;
            writeln!(out, "已保存：{summary}")?;
        }
        CampaignsCmd::Archive { id, undo } => {
            known(store, &id)?;
            let summary = apply(Command::ArchiveCampaign {
                campaign: id,
                archived: !undo,
            })?;
            writeln!(out, "已保存：{summary}")?;
        }
    }
    Ok(())
}

/// Says which campaigns there are when `id` names none.
fn known(store: &anwei_store::Store, id: &str) -> Result<()> {
    let campaigns = store.campaigns()?;
    if campaigns.iter().any(|c| c.id == id) {
        return Ok(());
    }
    let list: Vec<String> = campaigns
        .iter()
        .map(|c| format!("{}（{}）", c.id, c.name))
        .collect();
    bail!(
        "没有编号为“{id}”的活动；现有：{}",
        if list.is_empty() {
            "无".to_owned()
        } else {
            list.join("、")
        }
    )
}

/// The file's text, refused when larger than [`MAX_CAMPAIGN_FILE_BYTES`] (read no further).
fn read_bounded(file: &Path) -> Result<String> {
    let f = std::fs::File::open(file)
        .with_context(|| format!("活动文件 {} 无法打开", file.display()))?;
    let mut bytes = Vec::new();
    f.take(MAX_CAMPAIGN_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("活动文件 {} 无法读取", file.display()))?;
    if bytes.len() as u64 > MAX_CAMPAIGN_FILE_BYTES {
        bail!(
            "活动文件 {} 超过 {} MiB，不予载入",
            file.display(),
            MAX_CAMPAIGN_FILE_BYTES >> 20
        );
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow!("活动文件 {} 不是 UTF-8 文本", file.display()))?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text))
}
