//! The command line. Every subcommand opens the data folder's store, does one thing and
//! prints a result (tables for people, `--json` for scripts). Help texts and clap's own
//! messages are in Chinese ([`command`] sets the templates, [`clap_error_zh`] translates).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anwei_core::query::RowContext;
use anwei_core::{Command, EvidenceSource, Status, TaskFilter, TaskRow};
use anwei_session::Session;
use anwei_store::{Store, StoreError};
use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDate;
use clap::{ArgAction, CommandFactory, Parser, Subcommand};
use serde::Serialize;

use crate::campaigns_cli::{self, CampaignsCmd};
use crate::export_cli::{self, ExportCmd};
use crate::notices_cli::{self, NoticesCmd};
use crate::plugins_cli::{self, PluginsCmd};
use crate::records_cli::{self, RecordsCmd};
use crate::reports_cli::{self, ReportsCmd};
use crate::supervise_cli::{
    self, AccidentsCmd, AssessmentArgs, CircularsCmd, HazardsCmd, ListsCmd, RewardsCmd,
    SuperviseCmd, TalksCmd,
};

/// 安委办专项整治工作台。不带命令时打开工作台窗口；带命令时在命令行完成一件事（供脚本使用）。
#[derive(Debug, Parser)]
#[command(name = "anwei", version, long_about = None)]
pub struct Args {
    /// 数据目录（默认为本机的 Anwei Desk 数据目录；也可用环境变量 ANWEI_DATA 指定）
    #[arg(long, global = true, env = "ANWEI_DATA", value_name = "文件夹")]
    data: Option<PathBuf>,
    /// 按这一天计算状态（写作 YYYY-MM-DD，例如 2026-03-15），默认为今天
    #[arg(long, global = true, value_name = "日期", value_parser = parse_date)]
    today: Option<NaiveDate>,
    /// 活动编号：任务、指标、单位和打印都按这个活动（默认为当前活动；`anwei campaigns list` 列出全部）
    #[arg(long, global = true, value_name = "活动")]
    campaign: Option<String>,
    #[command(subcommand)]
    command: Option<Cmd>,
}

impl Args {
    /// No subcommand: the desk window opens.
    pub fn is_window(&self) -> bool {
        self.command.is_none()
    }
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// 创建数据目录；加 --demo 载入示例活动（重复运行不会重复载入）
    Init {
        /// 载入示例活动
        #[arg(long)]
        demo: bool,
    },
    /// 演示数据：载入（示例活动的进展和报送，文字标有“【演示数据】”）或一键移除
    Demo {
        #[command(subcommand)]
        command: DemoCmd,
    },
    /// 打开数据库并检查数据是否一致
    Check {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
        /// 核对数据齐全后，确认接受“数据库完整性无法确认”的提示（记入审计日志）
        #[arg(long)]
        accept: bool,
    },
    /// 专项整治活动：列出、从文件新建、切换当前活动、归档（只读）
    Campaigns {
        #[command(subcommand)]
        command: CampaignsCmd,
    },
    /// 今日待办：逾期、临期的任务和阶段节点，逾期未达标、滞后的指标，按单位分组（最急的在前）
    Today {
        /// 只列这个单位的（名称或别名）
        #[arg(long, value_name = "单位")]
        unit: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 报送日历：周期性工作（每月、每季度、每年……）和本办报送事项各期的截止日期
    Calendar {
        #[command(subcommand)]
        command: CalendarCmd,
    },
    /// 报送：记录单位的报送（补报须说明理由）、签收或退回修改、各单位报送情况和按时报送率、本办报送事项
    Reports {
        #[command(subcommand)]
        command: ReportsCmd,
    },
    /// 督办事项：新增、接收、逐级督办（提醒→催办→督办函→挂牌督办→通报→约谈）、完成、验收、书面说明、销号、回头看
    Supervise {
        #[command(subcommand)]
        command: SuperviseCmd,
    },
    /// 通报：按年度编期号，统计各单位当年被通报次数（2次以上扣考核分）
    Circulars {
        #[command(subcommand)]
        command: CircularsCmd,
    },
    /// 隐患闭环：排查登记、五到位整改、复查、销号；重大隐患挂牌督办
    Hazards {
        #[command(subcommand)]
        command: HazardsCmd,
    },
    /// 举报奖励：按档次登记金额、发放
    Rewards {
        #[command(subcommand)]
        command: RewardsCmd,
    },
    /// 两个清单：问题隐患清单、制度措施清单
    Lists {
        #[command(subcommand)]
        command: ListsCmd,
    },
    /// 约谈记录
    Talks {
        #[command(subcommand)]
        command: TalksCmd,
    },
    /// 事故登记（年度考核一票否决）
    Accidents {
        #[command(subcommand)]
        command: AccidentsCmd,
    },
    /// 年度考核表：各成员单位的考核项目、每项扣分及其原因、一票否决、等次；`assessment deduct` 手工扣分
    Assessment(AssessmentArgs),
    /// 活动的任务
    Tasks {
        #[command(subcommand)]
        command: TasksCmd,
    },
    /// 导出为 Excel（.xlsx）：任务、指标、单位、督办事项、通报、隐患、两个清单、年度考核，标题、表头、A4 横向、每页重复表头，可直接用 WPS 打印
    Export {
        #[command(subcommand)]
        command: ExportCmd,
    },
    /// 任务的进展记录
    Progress {
        #[command(subcommand)]
        command: ProgressCmd,
    },
    /// 单位名录
    Units {
        #[command(subcommand)]
        command: UnitsCmd,
    },
    /// 把整个工作台（数据库和佐证材料）备份到一个文件
    Backup {
        /// 备份文件
        #[arg(value_name = "文件")]
        file: PathBuf,
    },
    /// 用备份文件替换工作台的数据（替换前先备份现有数据）
    Restore {
        /// 备份文件（`anwei backup` 生成的，或数据目录 backups 文件夹中的）
        #[arg(value_name = "文件")]
        file: PathBuf,
    },
    /// 打印公文为 PDF（GB/T 9704 版式）
    Print {
        #[command(subcommand)]
        command: PrintCmd,
    },
    /// 本机的打印机（默认的一台、能否双面）
    Printers {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 已签发的督办通知书：列出、按原样重印、作废
    Notices {
        #[command(subcommand)]
        command: NoticesCmd,
    },
    /// 行业插件表单的台账记录
    Records {
        #[command(subcommand)]
        command: RecordsCmd,
    },
    /// 行业方案的指标及其当前值和状态
    Targets {
        #[command(subcommand)]
        command: TargetsCmd,
    },
    /// 行业插件：列出、安装、启用/停用；密钥、签名和信任列表
    Plugins {
        #[command(subcommand)]
        command: PluginsCmd,
    },
    /// 显示本程序或某个命令的帮助（例如 `anwei help tasks list`）
    #[command(alias = "帮助")]
    Help {
        /// 要查看帮助的命令，例如 tasks list
        #[arg(value_name = "命令")]
        command: Vec<String>,
    },
}

/// Where a printed document goes besides (or instead of) a PDF file.
#[derive(Debug, clap::Args)]
struct ToPrinter {
    /// 送到这台打印机打印（`anwei printers` 列出本机的打印机；写“默认”用默认打印机）
    #[arg(long, value_name = "打印机")]
    printer: Option<String>,
    /// 打印份数（1–99，默认 1）
    #[arg(long, value_name = "份数", default_value_t = 1)]
    copies: u32,
    /// 双面打印（打印机支持时；不支持时单面打印）
    #[arg(long)]
    duplex: bool,
}

#[derive(Debug, Subcommand)]
enum PrintCmd {
    /// 督办事项的督办文书（工作提醒函、催办通知、督办函、挂牌督办通知书、约谈通知书）：不加 --issue 为草稿；加 --issue 签发，取当年下一个文号、登记并记下这一步
    Item {
        /// 督办事项编号（`anwei supervise list`）
        #[arg(long, value_name = "编号")]
        id: u64,
        /// 这一步：提醒、催办、督办函、挂牌督办、约谈（默认为该走的下一步）
        #[arg(long, value_name = "步骤")]
        step: Option<String>,
        /// 办理时限（约谈为约谈日期；默认为今天起 15 天）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        reply_by: Option<NaiveDate>,
        /// 输出的 PDF 文件
        #[arg(long, value_name = "文件.pdf")]
        out: Option<PathBuf>,
        #[command(flatten)]
        to: ToPrinter,
        /// 联系人及电话（默认取打印设置中的）
        #[arg(long, value_name = "联系人")]
        contact: Option<String>,
        /// 签发
        #[arg(long)]
        issue: bool,
        /// 抄送单位（可重复）
        #[arg(long, value_name = "单位")]
        copy_to: Vec<String>,
    },
    /// 一期通报（安全生产工作通报，按期号）
    Circular {
        /// 通报编号（`anwei circulars list` 中的 #号）
        #[arg(long, value_name = "编号")]
        id: u64,
        /// 主送（默认“各镇（街道），区安委会各成员单位”）
        #[arg(long = "to", value_name = "主送")]
        recipient: Option<String>,
        /// 输出的 PDF 文件
        #[arg(long, value_name = "文件.pdf")]
        out: Option<PathBuf>,
        #[command(flatten)]
        to: ToPrinter,
    },
    /// 年度考核结果汇总表和扣分明细（横向页面）
    Assessment {
        /// 年度（默认 --today 所在年）
        #[arg(long, value_name = "年")]
        year: Option<i32>,
        /// 输出的 PDF 文件
        #[arg(long, value_name = "文件.pdf")]
        out: Option<PathBuf>,
        #[command(flatten)]
        to: ToPrinter,
    },
    /// 两个清单之一：问题隐患清单或制度措施清单（横向页面）
    List {
        /// 问题隐患清单、制度措施清单
        #[arg(long, value_name = "清单")]
        list: String,
        /// 输出的 PDF 文件
        #[arg(long, value_name = "文件.pdf")]
        out: Option<PathBuf>,
        #[command(flatten)]
        to: ToPrinter,
    },
    /// 时间轴：各方案的阶段、活动节点和每项任务到完成时间的进度线（横向页面）
    Timeline {
        /// 方案编号；不填则为整个活动
        #[arg(long, value_name = "方案")]
        plan: Option<String>,
        /// 输出的 PDF 文件
        #[arg(long, value_name = "文件.pdf")]
        out: Option<PathBuf>,
        #[command(flatten)]
        to: ToPrinter,
    },
    /// 任务分工方案：一个方案（或整个活动）的任务分工表
    TaskTable {
        /// 方案编号；不填则打印所有方案
        #[arg(long, value_name = "方案")]
        plan: Option<String>,
        /// 左上角的附件标注（默认为方案代号，例如 附件1）
        #[arg(long, value_name = "附件标注")]
        attachment: Option<String>,
        /// 输出的 PDF 文件
        #[arg(long, value_name = "文件.pdf")]
        out: Option<PathBuf>,
        #[command(flatten)]
        to: ToPrinter,
    },
    /// 某项任务的督办通知书：不加 --issue 时生成不编号的草稿；加 --issue 签发，取当年下一个文号并登记
    Supervision {
        /// 任务编号，例如 reform/36
        #[arg(long, value_name = "任务")]
        task: String,
        /// 输出的 PDF 文件
        #[arg(long, value_name = "文件.pdf")]
        out: Option<PathBuf>,
        #[command(flatten)]
        to: ToPrinter,
        /// 主送单位（默认为该任务的第一个牵头单位）
        #[arg(long, value_name = "单位")]
        recipient: Option<String>,
        /// 新的完成时限（写作 YYYY-MM-DD；默认为今天起 15 天）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        new_deadline: Option<NaiveDate>,
        /// 要求单位做什么
        #[arg(long, value_name = "要求")]
        action: Option<String>,
        /// 联系人及电话（默认取打印设置中的）
        #[arg(long, value_name = "联系人")]
        contact: Option<String>,
        /// 签发：取当年下一个文号，登记并保存原件（之后可用 `anwei notices reprint` 原样重印）
        #[arg(long)]
        issue: bool,
        /// 抄送单位（印在版记中；可重复）
        #[arg(long, value_name = "单位")]
        copy_to: Vec<String>,
    },
    /// 行业插件表单的登记表：不加 --record 打印空白表（手工填写用），加 --record 打印该条记录
    Form {
        /// 表单，写作“行业/表单”（`anwei records forms` 列出）
        #[arg(long, value_name = "行业/表单")]
        form: String,
        /// 记录编号（见 `anwei records list`）；不填则打印空白表
        #[arg(long, value_name = "编号")]
        record: Option<u64>,
        /// 输出的 PDF 文件
        #[arg(long, value_name = "文件.pdf")]
        out: Option<PathBuf>,
        #[command(flatten)]
        to: ToPrinter,
    },
    /// 一个方案或全部方案的进展报告：任务按状态列出最新进展，指标对照阶段目标，逾期和临期任务
    Progress {
        /// 方案编号；不填则包括所有方案
        #[arg(long, value_name = "方案")]
        plan: Option<String>,
        /// 主送机关（默认为本办所属的安全生产委员会，例如 麒麟区安全生产委员会）
        #[arg(long = "to", value_name = "主送机关")]
        recipient: Option<String>,
        /// 输出的 PDF 文件
        #[arg(long, value_name = "文件.pdf")]
        out: Option<PathBuf>,
        #[command(flatten)]
        to: ToPrinter,
    },
}

#[derive(Debug, Subcommand)]
enum DemoCmd {
    /// 为示例活动载入演示数据：部分任务的进展（多数已完成）、本办季报及各单位的报送
    Load,
    /// 移除全部演示数据（其他记录不受影响）
    Remove,
}

#[derive(Debug, Subcommand)]
enum CalendarCmd {
    /// 列出某段时间内到期的各期报送：任务的周期性时限、周期性指标和本办报送事项，按截止日期排列（默认从今天起 92 天）
    List {
        /// 起始日期（YYYY-MM-DD，默认今天）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        from: Option<NaiveDate>,
        /// 截止日期（YYYY-MM-DD，默认起始日期后 92 天）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        to: Option<NaiveDate>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum TasksCmd {
    /// 列出任务，可按条件筛选
    List {
        /// 方案编号（topic-1、topic-2、reform 等，见 `tasks list --json`）
        #[arg(long, value_name = "方案")]
        plan: Option<String>,
        /// 单位名称或别名（任一角色）
        #[arg(long, value_name = "单位")]
        unit: Option<String>,
        /// 只列逾期任务
        #[arg(long)]
        overdue: bool,
        /// 只列该状态的任务：not_started（未开始）、in_progress（进行中）、done（已完成）、due_soon（临期）、overdue（逾期），也可写中文
        #[arg(long, value_name = "状态")]
        status: Option<String>,
        /// 全文搜索
        #[arg(long, value_name = "文字")]
        search: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 显示一项任务的全文和进展
    Show {
        /// 任务编号，例如 reform/36
        #[arg(value_name = "任务")]
        id: String,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 调整任务的完成时间（延期）：原文的完成时间照旧保留，调整连同理由和决定之日（--today，默认今天）记入历史，自该日起按新的完成时间计算状态
    AdjustDeadline {
        /// 任务编号，例如 topic-1/3
        #[arg(value_name = "任务")]
        id: String,
        /// 新的完成时间（YYYY-MM-DD，不早于决定之日）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        due: NaiveDate,
        /// 调整的理由（必填）
        #[arg(long, value_name = "理由")]
        reason: String,
    },
    /// 把任务标为“不适用”本地区（写明理由）：任务照原文保留，显示为不适用，不计入任何状态统计；加 --undo 恢复
    NotApplicable {
        /// 任务编号，例如 waterways/5
        #[arg(value_name = "任务")]
        id: String,
        /// 不适用的理由（例如“本区无海域”）；标为不适用时必填
        #[arg(long, value_name = "理由", required_unless_present = "undo")]
        reason: Option<String>,
        /// 撤销“不适用”，恢复为适用
        #[arg(long, conflicts_with = "reason")]
        undo: bool,
    },
}

#[derive(Debug, Subcommand)]
enum ProgressCmd {
    /// 给任务添加一条进展
    Add {
        /// 任务编号，例如 reform/36
        #[arg(long, value_name = "任务")]
        task: String,
        /// 进展所指的日期（写作 YYYY-MM-DD；默认为今天，不能晚于今天）
        #[arg(long, value_name = "日期", value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// 进展情况
        #[arg(long, default_value = "", value_name = "文字")]
        text: String,
        /// 完成百分比（0–100）
        #[arg(long, value_name = "百分比", value_parser = parse_percent)]
        percent: Option<u8>,
        /// 任务已完成（进度即 100%）
        #[arg(long)]
        done: bool,
        /// 作为佐证材料复制到数据目录的文件（可重复）
        #[arg(long, value_name = "文件")]
        attach: Vec<PathBuf>,
        /// 本条进展报告完成的阶段节点：写原文时限（如“2020年5月底前”）或其日期（YYYY-MM-DD）
        #[arg(long, value_name = "阶段节点")]
        milestone: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum TargetsCmd {
    /// 列出指标：名称、单位、比较方式、各年目标、基数、当前值、状态、各镇（街道）的值
    List {
        /// 只列该行业（插件编号，例如 coal-mining）或该专题（方案编号 topic-1、topic-2）的指标
        #[arg(long, value_name = "行业")]
        sector: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 周期性工作（每月、每季度、每年……）各期的截止日期和完成情况：按时完成、补报完成、逾期未完成、进行中
    Periods {
        /// 指标编号，例如 topic-1/t1-quarterly-analysis（见 `targets list --json`）
        #[arg(value_name = "指标")]
        id: String,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 把指标标为“不适用”本地区（写明理由）：指标照原文保留，显示为不适用，不计入任何状态统计；加 --undo 恢复
    NotApplicable {
        /// 指标编号，例如 waterways/fishing-vessel-rate（见 `targets list --json`）
        #[arg(value_name = "指标")]
        id: String,
        /// 不适用的理由（例如“本区无海域”）；标为不适用时必填
        #[arg(long, value_name = "理由", required_unless_present = "undo")]
        reason: Option<String>,
        /// 撤销“不适用”，恢复为适用
        #[arg(long, conflicts_with = "reason")]
        undo: bool,
    },
}

#[derive(Debug, Subcommand)]
enum UnitsCmd {
    /// 列出单位及其别名
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

/// A date argument: YYYY-MM-DD, refused in Chinese with the format and an example.
pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| {
        format!("“{t}”不是有效的日期：日期应写作 YYYY-MM-DD（年-月-日），例如 2026-03-15")
    })
}

/// A percentage argument: a whole number 0–100.
fn parse_percent(text: &str) -> Result<u8, String> {
    let t = text.trim().trim_end_matches(['%', '％']);
    match t.parse::<u8>() {
        Ok(p) if p <= 100 => Ok(p),
        _ => Err(format!(
            "“{text}”不是有效的百分比：应为 0–100 之间的整数，例如 60"
        )),
    }
}

// ----- the Chinese command line --------------------------------------------------------

/// Help layout: about, usage, then the sections (headings set per argument in [`localize`]).
const HELP_TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The whole command tree with Chinese help: own `-h/--help` and `-V/--version`, Chinese
/// section headings and usage lines, no English notes of clap's (`[default: …]`, `[env: …]`,
/// `[possible values: …]`).
pub fn command() -> clap::Command {
    let root = Args::command()
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .hide_possible_values(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .global(true)
                .help("显示帮助"),
        )
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本号"),
        );
    localize(root, "anwei")
}

fn localize(cmd: clap::Command, path: &str) -> clap::Command {
    let cmd = cmd
        .mut_args(|a| {
            let heading = if a.is_positional() {
                "参数"
            } else {
                "选项"
            };
            let takes_values = a.get_action().takes_values();
            let a = a.help_heading(heading);
            if takes_values {
                a.hide_default_value(true)
                    .hide_env(true)
                    .hide_possible_values(true)
            } else {
                a
            }
        })
        .help_template(HELP_TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令");
    let usage = usage_of(&cmd, path);
    let mut cmd = cmd.override_usage(usage);
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        let sub_path = format!("{path} {name}");
        cmd = cmd.mut_subcommand(&name, |s| localize(s, &sub_path));
    }
    cmd
}

/// "anwei tasks show <任务> [选项]": required arguments spelled out, the rest as 选项.
fn usage_of(cmd: &clap::Command, path: &str) -> String {
    let mut parts = vec![path.to_owned()];
    let value = |a: &clap::Arg| {
        a.get_value_names()
            .and_then(|v| v.first())
            .map_or_else(|| a.get_id().as_str().to_uppercase(), |v| v.to_string())
    };
    let mut optional = false;
    for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        if a.is_positional() {
            let many = matches!(a.get_action(), ArgAction::Append);
            let dots = if many { "..." } else { "" };
            if a.is_required_set() {
                parts.push(format!("<{}>{dots}", value(a)));
            } else {
                parts.push(format!("[{}]{dots}", value(a)));
            }
        } else if a.is_required_set() {
            if let Some(long) = a.get_long() {
                parts.push(format!("--{long} <{}>", value(a)));
            }
        } else if a.get_id() != "help" && a.get_id() != "version" {
            optional = true;
        }
    }
    if optional {
        parts.insert(1, "[选项]".to_owned());
    }
    if cmd.has_subcommands() {
        if cmd.is_subcommand_required_set() {
            parts.push("<命令>".to_owned());
        } else {
            parts.push("[命令]".to_owned());
        }
    }
    parts.join(" ")
}

/// Parses the command line; help, version and errors are printed here (in Chinese), and
/// the exit code to end with is returned instead of the arguments.
pub fn parse() -> Result<Args, ExitCode> {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut cmd = command();
    let parsed = cmd
        .try_get_matches_from_mut(&argv)
        .and_then(|m| <Args as clap::FromArgMatches>::from_arg_matches(&m));
    match parsed {
        Ok(args) => Ok(args),
        Err(e) => Err(report_clap_error(&e, &cmd, &argv)),
    }
}

fn report_clap_error(
    e: &clap::Error,
    cmd: &clap::Command,
    argv: &[std::ffi::OsString],
) -> ExitCode {
    use clap::error::ErrorKind;
    let code = u8::try_from(e.exit_code()).unwrap_or(2);
    // A closed stdout or stderr (`anwei --help | head`) leaves nowhere to report to: the
    // exit code still tells.
    let written = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let mut out = std::io::stdout().lock();
            write!(out, "{}", e.render()).and_then(|()| out.flush())
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let path = command_path(cmd, argv);
            write!(
                std::io::stderr().lock(),
                "错误：“{path}”后面还需要一个命令。\n\n{}",
                e.render()
            )
        }
        _ => writeln!(
            std::io::stderr().lock(),
            "错误：{}",
            clap_error_zh(e, cmd, argv)
        ),
    };
    if written.is_err() && code == 0 {
        return ExitCode::FAILURE;
    }
    ExitCode::from(code)
}

/// The subcommands named on the command line ("anwei tasks list"), as far as they are valid.
fn command_path(root: &clap::Command, argv: &[std::ffi::OsString]) -> String {
    walk(root, argv).0.join(" ")
}

/// The valid subcommand names in `argv` and the innermost command they lead to.
fn walk<'a>(
    root: &'a clap::Command,
    argv: &[std::ffi::OsString],
) -> (Vec<String>, &'a clap::Command) {
    let mut path = vec!["anwei".to_owned()];
    let mut current = root;
    let mut takes_value = false;
    for token in argv.iter().skip(1) {
        let t = token.to_string_lossy();
        if takes_value {
            takes_value = false;
            continue;
        }
        if t == "--" {
            break;
        }
        if let Some(long) = t.strip_prefix("--") {
            if !long.contains('=') {
                takes_value = [current, root]
                    .iter()
                    .flat_map(|c| c.get_arguments())
                    .any(|a| a.get_long() == Some(long) && a.get_action().takes_values());
            }
            continue;
        }
        if t.starts_with('-') {
            continue;
        }
        match current.find_subcommand(t.as_ref()) {
            Some(sub) => {
                path.push(sub.get_name().to_owned());
                current = sub;
            }
            None => break,
        }
    }
    (path, current)
}

/// One Chinese sentence (or a few) for a clap parse error, ending with where to find help.
pub fn clap_error_zh(e: &clap::Error, root: &clap::Command, argv: &[std::ffi::OsString]) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let ctx = |kind: ContextKind| -> Option<String> {
        e.get(kind).map(|v| match v {
            ContextValue::String(s) => s.clone(),
            ContextValue::Strings(v) => v.join("、"),
            ContextValue::StyledStr(s) => s.to_string(),
            ContextValue::StyledStrs(v) => v
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、"),
            ContextValue::Number(n) => n.to_string(),
            ContextValue::Bool(b) => b.to_string(),
            ContextValue::None => String::new(),
            _ => String::new(),
        })
    };
    let arg = ctx(ContextKind::InvalidArg).unwrap_or_default();
    let value = ctx(ContextKind::InvalidValue).unwrap_or_default();
    let (path, current) = walk(root, argv);
    let path = path.join(" ");
    let subcommands: Vec<&str> = current
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name())
        .collect();
    let mut msg = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            let name = ctx(ContextKind::InvalidSubcommand).unwrap_or_default();
            let mut m = format!("没有“{name}”这个命令。");
            if let Some(s) = ctx(ContextKind::SuggestedSubcommand) {
                m.push_str(&format!("是不是想用“{s}”？"));
            }
            if !subcommands.is_empty() {
                m.push_str(&format!("“{path}”可用的命令：{}。", subcommands.join("、")));
            }
            m
        }
        ErrorKind::UnknownArgument => {
            let mut m = if arg.starts_with('-') {
                format!("无法识别的选项“{arg}”。")
            } else {
                format!("多余的参数“{arg}”。")
            };
            if let Some(s) = ctx(ContextKind::SuggestedArg) {
                m.push_str(&format!("是不是想用“{s}”？"));
            }
            if let Some(s) = ctx(ContextKind::SuggestedSubcommand) {
                m.push_str(&format!("是不是想用命令“{s}”？"));
            }
            m
        }
        ErrorKind::InvalidValue => {
            let valid = ctx(ContextKind::ValidValue).unwrap_or_default();
            let mut m = if value.is_empty() {
                format!("{arg} 需要一个值。")
            } else {
                format!("{arg} 的值“{value}”无效。")
            };
            if !valid.is_empty() {
                m.push_str(&format!("可用的值：{valid}。"));
            }
            if let Some(s) = ctx(ContextKind::SuggestedValue) {
                m.push_str(&format!("是不是想用“{s}”？"));
            }
            m
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(ToString::to_string)
                .unwrap_or_else(|| format!("“{value}”无效"));
            format!("{arg} 的值有误：{why}")
        }
        ErrorKind::MissingRequiredArgument => {
            format!("缺少必须填写的参数：{arg}。")
        }
        ErrorKind::MissingSubcommand => {
            format!("“{path}”后面还需要一个命令：{}。", subcommands.join("、"))
        }
        ErrorKind::ArgumentConflict => {
            let prior = ctx(ContextKind::PriorArg).unwrap_or_default();
            if prior.is_empty() || prior == arg {
                format!("{arg} 不能重复填写，也不能与其他选项同时使用。")
            } else {
                format!("{arg} 不能与 {prior} 同时使用。")
            }
        }
        ErrorKind::NoEquals => format!("{arg} 的值须用“=”连接，例如 {arg}=值。"),
        ErrorKind::TooManyValues => format!("{arg} 给了太多的值（多余的是“{value}”）。"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 的值的个数不对。")
        }
        ErrorKind::InvalidUtf8 => "参数中含有无法识别的字符（不是有效的 UTF-8 文字）。".to_owned(),
        ErrorKind::Io | ErrorKind::Format => "无法输出信息。".to_owned(),
        _ => "命令行参数有误。".to_owned(),
    };
    msg.push_str(&format!("\n用法见 `{path} --help`。"));
    msg
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
pub(crate) use anwei_session::actor_of as actor;

pub(crate) fn open(dir: &Path) -> Result<Store> {
    Store::open(dir).map_err(|e| store_error(dir, e))
}

/// A store error as the command line tells it. The damaged-database message names the
/// backups in `DATA/backups` and the `anwei restore` command (the command line makes no
/// automatic backups of its own); file errors are said in Chinese.
pub(crate) fn store_error(dir: &Path, e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Damaged { detail } => anyhow!(damaged_message(dir, &detail)),
        StoreError::Io { path, source } => {
            anyhow!("文件操作失败（{}）：{}", path.display(), io_zh(&source))
        }
        other => anyhow!("{other}"),
    }
}

/// Backup files in `DATA/backups`, newest first.
fn backups_in(dir: &Path) -> Vec<(PathBuf, Option<std::time::SystemTime>)> {
    let Ok(read) = std::fs::read_dir(anwei_files::DataDir::new(dir).backups()) else {
        return Vec::new();
    };
    let mut files: Vec<(PathBuf, Option<std::time::SystemTime>)> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == anwei_store::EXTENSION))
        .map(|p| {
            let modified = std::fs::metadata(&p).and_then(|m| m.modified()).ok();
            (p, modified)
        })
        .collect();
    files.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    files
}

fn damaged_message(dir: &Path, detail: &str) -> String {
    let mut m = format!("数据库无法打开，文件可能已损坏（{detail}）。数据没有被删除。\n");
    let backups = backups_in(dir);
    match backups.first() {
        Some((newest, _)) => {
            m.push_str("数据目录的 backups 文件夹中有这些备份（最新的在前）：\n");
            for (p, modified) in &backups {
                let time = modified.map(|t| {
                    chrono::DateTime::<chrono::Local>::from(t)
                        .format("%Y-%m-%d %H:%M")
                        .to_string()
                });
                match time {
                    Some(t) => m.push_str(&format!("  {}（{t}）\n", p.display())),
                    None => m.push_str(&format!("  {}\n", p.display())),
                }
            }
            m.push_str(&format!(
                "可以从最新的备份恢复：\n  anwei --data {} restore {}\n",
                dir.display(),
                newest.display()
            ));
        }
        None => {
            m.push_str(&format!(
                "数据目录的 backups 文件夹中没有备份（命令行不会自动备份；工作台窗口打开时才会自动备份）。\n\
                 如果以前用 `anwei backup 文件` 做过备份，可以这样恢复：\n  anwei --data {} restore 备份文件\n",
                dir.display()
            ));
        }
    }
    m.push_str("恢复时，无法打开的数据库会被移到一旁保留，不会删除。");
    m
}

/// An I/O error in Chinese, with the system's error code (the same words as the errors of
/// [`anwei_files`]).
pub(crate) fn io_zh(e: &std::io::Error) -> String {
    anwei_files::io_error_zh(e)
}

/// A JSON error in Chinese: where, and what kind.
pub(crate) fn json_zh(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Io => "读取失败",
        Category::Syntax => "不是有效的 JSON（语法错误）",
        Category::Data => "内容与要求的格式不符",
        Category::Eof => "内容不完整（提前结束）",
    };
    if e.line() == 0 {
        what.to_owned()
    } else {
        format!("第 {} 行第 {} 列{what}", e.line(), e.column())
    }
}

/// Reads a text file the user named (`what`: "JSON 文件", "信任列表"…): Chinese messages for a
/// missing or unreadable file, and a UTF-8 byte order mark (as Windows editors write) removed.
pub(crate) fn read_text(path: &Path, what: &str) -> Result<String> {
    /// Largest text file read whole (a rules or records file; larger ones are not what
    /// these commands take).
    const MAX_TEXT_FILE: u64 = 64 << 20;
    let size = std::fs::metadata(path)
        .map_err(|e| anyhow!("无法读取{what}“{}”：{}", path.display(), io_zh(&e)))?
        .len();
    if size > MAX_TEXT_FILE {
        bail!(
            "{what}“{}”有 {} MB，超过上限 {} MB，未读取",
            path.display(),
            size >> 20,
            MAX_TEXT_FILE >> 20
        );
    }
    let bytes = std::fs::read(path)
        .map_err(|e| anyhow!("无法读取{what}“{}”：{}", path.display(), io_zh(&e)))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        anyhow!(
            "{what}“{}”不是 UTF-8 编码的文字文件，请用 UTF-8 编码另存后重试",
            path.display()
        )
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// The whole error in one Chinese text: the message, then causes not already in it (I/O and
/// JSON errors translated), each in parentheses.
pub fn error_text(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let raw = cause.to_string();
        let part = if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            io_zh(io)
        } else if let Some(j) = cause.downcast_ref::<serde_json::Error>() {
            json_zh(j)
        } else if let Some(StoreError::Io { path, source }) = cause.downcast_ref::<StoreError>() {
            format!("文件操作失败（{}）：{}", path.display(), io_zh(source))
        } else {
            raw.clone()
        };
        if text.is_empty() {
            text = part;
        } else if !text.contains(&raw) && !text.contains(&part) {
            text.push_str(&format!("（{part}）"));
        }
    }
    translate_os_errors(&text)
}

/// Replaces the system's English error texts ("No such file or directory (os error 2)")
/// that other crates put into their messages with the Chinese ones of [`io_zh`].
fn translate_os_errors(text: &str) -> String {
    if !text.contains("(os error ") {
        return text.replace(" at path ", "，路径 ");
    }
    let mut out = text.to_owned();
    for code in 1..=140 {
        let e = std::io::Error::from_raw_os_error(code);
        let english = e.to_string();
        if out.contains(&english) {
            out = out.replace(&english, &io_zh(&e));
        }
    }
    out.replace(" at path ", "，路径 ")
}

/// "找不到任务…", with the form of a task id and the tasks whose id ends like the one given
/// (`36` → `reform/36`).
fn unknown_task(store: &Store, id: &str) -> anyhow::Error {
    let number = id.rsplit('/').next().unwrap_or(id).trim();
    let tail = format!("/{number}");
    let similar: Vec<String> = if number.is_empty() {
        Vec::new()
    } else {
        store
            .tasks()
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.id)
            .filter(|t| t.ends_with(&tail) && t != id)
            .collect()
    };
    let mut m = format!("找不到任务“{id}”。任务编号由方案编号和序号组成，形如 reform/36。");
    if similar.is_empty() {
        m.push_str("可用 `anwei tasks list` 查看全部任务编号。");
    } else {
        m.push_str(&format!(
            "编号以“{tail}”结尾的任务有：{}。",
            similar.join("、")
        ));
    }
    anyhow!(m)
}

/// The task `id`, or [`unknown_task`].
pub(crate) fn require_task(store: &Store, id: &str) -> Result<anwei_core::Task> {
    match store.task(id).map_err(|e| store_error(store.root(), e))? {
        Some(t) => Ok(t),
        None => Err(unknown_task(store, id)),
    }
}

/// The interim milestone of `task` named by its text as written or its due date.
fn milestone_of(task: &anwei_core::Task, given: &str) -> Result<NaiveDate> {
    let given = given.trim();
    let milestones = task.interim_milestones();
    milestones
        .iter()
        .find(|d| d.text == given || d.due.is_some_and(|due| due.to_string() == given))
        .and_then(|d| d.due)
        .ok_or_else(|| {
            let list: Vec<String> = milestones
                .iter()
                .filter_map(|d| Some(format!("{}（{}）", d.text, d.due?)))
                .collect();
            if list.is_empty() {
                anyhow!(
                    "任务{}没有阶段节点（最终期限之前写明的时限）；未保存任何内容",
                    task.label
                )
            } else {
                anyhow!(
                    "任务{}没有阶段节点“{given}”。它的阶段节点：{}；未保存任何内容",
                    task.label,
                    list.join("、")
                )
            }
        })
}

/// "未知的状态…", listing the valid ones with their Chinese labels.
fn unknown_status(s: &str) -> anyhow::Error {
    let valid: Vec<String> = Status::ALL
        .iter()
        .map(|st| format!("{}（{}）", st.key(), st.label_zh()))
        .collect();
    anyhow!(
        "未知的状态“{s}”。可用的状态：{}；中文名称也可以。",
        valid.join("、")
    )
}

/// Every `--attach` file must be a readable file; nothing is saved otherwise.
pub(crate) fn check_attachments(files: &[PathBuf]) -> Result<()> {
    for f in files {
        match std::fs::metadata(f) {
            Ok(m) if m.is_file() => {}
            Ok(_) => bail!(
                "附件“{}”是文件夹，不是文件；未保存任何内容。请用 --attach 指定文件",
                f.display()
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
                "找不到附件文件“{}”；未保存任何内容。请检查路径后重试",
                f.display()
            ),
            Err(e) => bail!(
                "无法读取附件文件“{}”：{}；未保存任何内容",
                f.display(),
                io_zh(&e)
            ),
        }
    }
    Ok(())
}

/// Saves `cmd` through `session` (data folder `dir`): what it did, or "未保存：…" with why.
pub(crate) fn save(session: &Session, dir: &Path, cmd: &Command) -> Result<String> {
    session
        .apply(cmd)
        .map(|a| a.summary)
        .map_err(|e| anyhow!("未保存：{}", store_error(dir, e)))
}

/// Opens the session of data folder `dir`: the store, plugins not started.
pub(crate) fn session(dir: &Path) -> Result<Session> {
    Ok(Session::with_store(open(dir)?))
}

/// Opens the store and brings in the sector plans of the enabled plugins (built-in and
/// installed), as the window does at start-up. A plugin problem is reported on stderr and
/// does not stop the command.
pub(crate) fn open_synced(dir: &Path) -> Result<Session> {
    let mut session = session(dir)?;
    let _imported = start_plugins(&mut session);
    Ok(session)
}

/// Opens the store for a command that reads the sector plans but calls no plugin
/// (printing): the plugins are started, and bring their plans in, only when the store may
/// not hold what they would bring ([`Session::sector_plans_current`]): never synced, or a
/// built-in, package, plugin state, root of trust or this program changed since.
fn open_current(dir: &Path) -> Result<Session> {
    let mut session = session(dir)?;
    if !session.sector_plans_current() {
        let _imported = start_plugins(&mut session);
    }
    Ok(session)
}

/// Starts the plugins and brings in their sector plans; returns the summaries of the plans
/// imported. Problems go to stderr; without plugins the command goes on.
pub(crate) fn start_plugins(session: &mut Session) -> Vec<String> {
    match session.start_plugins() {
        Ok(_) => settle(session),
        Err(e) => {
            eprintln!("注意：插件未启动，行业方案未更新：{e}");
            Vec::new()
        }
    }
}

/// After the host did something: its events into the audit trail, the sector plans of its
/// enabled plugins into the store; returns the summaries of the plans imported. Problems
/// go to stderr, with the problems of the whole host (trust list, built-ins, refused files).
pub(crate) fn settle(session: &Session) -> Vec<String> {
    let report = session.sync();
    for e in report.errors {
        eprintln!("注意：{e}");
    }
    for b in session.host_banners() {
        eprintln!("注意：{}", b.message);
    }
    report.imported
}

/// What a tree of the database holds, in Chinese (for `check`).
fn tree_label(tree: &str) -> &'static str {
    match tree {
        "meta" => "数据库信息",
        "campaigns" => "专项整治活动",
        "plans" => "方案",
        "tasks" => "任务",
        "units" => "单位",
        "progress" => "进展记录",
        "progress_index" => "进展索引",
        "audit" => "审计记录",
        "settings" => "设置",
        "notices" => "督办通知书",
        "notice_files" => "督办通知书原件",
        "targets" => "指标",
        "sectors" => "行业方案",
        "records" => "台账记录",
        "record_index" => "台账索引",
        "measurements" => "手工录入的指标值",
        _ => "其他",
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    if let Some(Cmd::Help { command: path }) = &args.command {
        return Ok(help_for(path));
    }
    let dir = data_dir(args.data)?;
    let today = args.today.unwrap_or_else(Store::today);
    let campaign_arg = args.campaign.clone();
    let campaign = campaign_arg.as_deref();
    let Some(command) = args.command else {
        return crate::window::run(dir);
    };
    let mut out = std::io::stdout().lock();
    match command {
        Cmd::Init { demo } => {
            let mut session = session(&dir)?;
            let store = session.store();
            if demo {
                let campaigns = anwei_exchange::demo_campaigns()?;
                for line in anwei_session::import_campaigns(store, campaigns, &actor(store))? {
                    writeln!(out, "{line}")?;
                }
            }
            for line in start_plugins(&mut session) {
                writeln!(out, "{line}")?;
            }
            writeln!(out, "数据目录：{}", dir.display())?;
        }
        Cmd::Demo { command } => {
            let store = open(&dir)?;
            match command {
                DemoCmd::Load => {
                    let line = anwei_session::load_demo_activity(&store, &actor(&store))
                        .map_err(|e| anyhow!("未载入：{e}"))?;
                    writeln!(out, "{line}")?;
                }
                DemoCmd::Remove => {
                    let applied = store
                        .apply(&Command::RemoveDemoData, &actor(&store))
                        .map_err(|e| anyhow!("未移除：{}", store_error(&dir, e)))?;
                    writeln!(out, "已{}", applied.summary)?;
                }
            }
        }
        Cmd::Check { json, accept } => {
            let store = open(&dir)?;
            if accept {
                if store.unverified()?.is_some() {
                    let applied = store.acknowledge_unverified(&actor(&store))?;
                    eprintln!("{}", applied.summary);
                } else {
                    eprintln!("没有需要确认的完整性提示");
                }
            }
            let report = store.check()?;
            if json {
                serde_json::to_writer_pretty(&mut out, &report)?;
                writeln!(out)?;
            } else {
                writeln!(out, "数据库版本：{}", report.schema_version)?;
                for (tree, n) in &report.counts {
                    writeln!(out, "  {}（{tree}）：{n}", tree_label(tree))?;
                }
                for n in &report.notes {
                    writeln!(out, "说明：{n}")?;
                }
                if report.problems.is_empty() {
                    writeln!(out, "检查通过")?;
                } else {
                    for p in &report.problems {
                        writeln!(out, "问题：{p}")?;
                    }
                    if store.unverified()?.is_some() {
                        writeln!(
                            out,
                            "核对无误后，用 `anwei check --accept` 确认接受完整性提示"
                        )?;
                    }
                }
            }
            if !report.problems.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        Cmd::Today { unit, json } => {
            let session = open_synced(&dir)?;
            let store = session.store();
            let input = PrintInput::load(store, today, campaign)?;
            // The targets' values come from the plugins' counts of the records.
            let (target_rows, problems) =
                match session.target_rows(Some(&input.campaign.id), None, today) {
                    Ok(r) => r,
                    Err(e) => (Vec::new(), vec![format!("指标未能计算，未列指标：{e}")]),
                };
            for p in problems {
                eprintln!("注意：{p}");
            }
            let mut todos = anwei_core::today::todo_list(
                &input.rows,
                &anwei_session::targets::todo_targets(&target_rows),
                today,
            );
            // The reports to see to: missed, returned, awaiting 签收, due within the days set.
            let book = reports_cli::Book::load(store, Some(&input.campaign.id), today)?;
            todos.extend(anwei_core::today::report_todos(
                &book.filings,
                today,
                book.reporting.remind_days,
                &|u| book.unit_name(u),
            ));
            // The supervision work: steps due, 验收 awaited, 回头看 due, hazards overdue.
            let registers = store.supervision_registers()?;
            let ladder = store.settings()?.supervision.ladder;
            todos.extend(anwei_core::today::supervision_todos(
                &registers,
                &ladder,
                today,
                &|u| input.units.name_of(u).to_owned(),
            ));
            anwei_core::today::sort_todos(&mut todos);
            if let Some(u) = &unit {
                let Some(found) = input.units.resolve(u) else {
                    bail!("没有单位“{u}”；用 `anwei units list` 查看单位名称");
                };
                todos.retain(|t| t.units.contains(&found.name));
            }
            if json {
                serde_json::to_writer_pretty(&mut out, &todos)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "今日待办（{}，截至 {today}）：共 {} 项",
                    input.campaign.name,
                    todos.len()
                )?;
                for (name, items) in anwei_core::today::by_unit(&todos) {
                    writeln!(out, "\n{name}（{} 项）", items.len())?;
                    for t in items {
                        writeln!(
                            out,
                            "  {:<8} {:<10} {:<14} {}{}  {}",
                            t.kind_label,
                            t.days_text(),
                            t.id,
                            if t.label.is_empty() {
                                String::new()
                            } else {
                                format!("{} ", t.label)
                            },
                            t.title,
                            t.note
                        )?;
                    }
                }
            }
        }
        Cmd::Calendar {
            command: CalendarCmd::List { from, to, json },
        } => {
            let store = open(&dir)?;
            let Some(scope) = store.campaign_scope(campaign, today)? else {
                bail!("数据目录中还没有活动；先运行 `anwei init --demo` 载入示例活动");
            };
            let from = from.unwrap_or(today);
            let to = to.unwrap_or(from + chrono::Days::new(92));
            if to < from {
                bail!("截止日期 {to} 早于起始日期 {from}");
            }
            let targets: Vec<anwei_core::Target> = store
                .targets()?
                .into_iter()
                .filter(|t| scope.holds_plan(&t.plan))
                .collect();
            let settings = store.settings()?;
            let units = store.unit_directory()?;
            let office = anwei_core::reports::owed_by(
                &settings.reporting.office_reports,
                &scope.campaign.id,
                &scope.tasks,
                &units,
            );
            let list = anwei_core::calendar::calendar(&scope.tasks, &targets, &office, from, to);
            if json {
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "报送日历（{}，{from} 至 {to}）：共 {} 期",
                    scope.campaign.name,
                    list.len()
                )?;
                for e in &list {
                    let who = match e.units.len() {
                        0 => "本办".to_owned(),
                        1..=3 => e
                            .units
                            .iter()
                            .map(|u| units.name_of(u))
                            .collect::<Vec<_>>()
                            .join("、"),
                        n => format!("{} 等 {n} 个单位", units.name_of(&e.units[0])),
                    };
                    writeln!(
                        out,
                        "{}  {:<12} {:<6} {}  [{}]  报送：{who}",
                        e.due, e.period, e.recurrence_label, e.name, e.id
                    )?;
                }
            }
        }
        Cmd::Campaigns { command } => {
            campaigns_cli::run(&dir, command, today, &mut out)?;
        }
        Cmd::Reports { command } => {
            reports_cli::run(&dir, command, campaign, today, &mut out)?;
        }
        Cmd::Supervise { command } => supervise_cli::run_supervise(&dir, command, today, &mut out)?,
        Cmd::Circulars { command } => supervise_cli::run_circulars(&dir, command, today, &mut out)?,
        Cmd::Hazards { command } => supervise_cli::run_hazards(&dir, command, today, &mut out)?,
        Cmd::Rewards { command } => supervise_cli::run_rewards(&dir, command, today, &mut out)?,
        Cmd::Lists { command } => supervise_cli::run_lists(&dir, command, today, &mut out)?,
        Cmd::Talks { command } => supervise_cli::run_talks(&dir, command, today, &mut out)?,
        Cmd::Accidents { command } => supervise_cli::run_accidents(&dir, command, today, &mut out)?,
        Cmd::Assessment(args) => {
            supervise_cli::run_assessment(&dir, args, campaign, today, &mut out)?;
        }
        Cmd::Export { command } => {
            export_cli::run_export(&dir, command, today, campaign, &mut out)?;
        }
        Cmd::Tasks { command } => {
            let session = open_synced(&dir)?;
            let store = session.store();
            match command {
                TasksCmd::List {
                    plan,
                    unit,
                    overdue,
                    status,
                    search,
                    json,
                } => {
                    let query = TaskQuery {
                        plan,
                        unit,
                        overdue,
                        status,
                        search,
                    };
                    let (_, rows) = query.rows(store, today, campaign)?;
                    let shown: Vec<&TaskRow> = rows.iter().collect();
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
                                if r.unit_ids.is_empty() {
                                    "原文未列".to_owned()
                                } else {
                                    r.lead_units.join("、")
                                }
                            )?;
                        }
                        writeln!(out, "共 {} 项", shown.len())?;
                    }
                }
                TasksCmd::Show { id, json } => {
                    let task = require_task(store, &id)?;
                    // The row of the task's own campaign, whichever is current.
                    let plan_campaign = store.plan(&task.plan)?.map(|p| p.campaign);
                    let rows = task_rows(store, today, plan_campaign.as_deref())?;
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
                            if let Some(reason) = &r.not_applicable {
                                writeln!(out, "不适用的理由：{reason}")?;
                            }
                            // Every change of the deadline, as decided (the written one stays).
                            let settings = store.settings()?;
                            for c in settings.deadline_changes.of(&id) {
                                writeln!(
                                    out,
                                    "完成时间调整：{} 起改为 {}（{}）",
                                    c.date, c.due, c.reason
                                )?;
                            }
                            if r.unit_ids.is_empty() {
                                writeln!(out, "牵头、责任单位：原文未列")?;
                            } else {
                                writeln!(out, "牵头：{}", r.lead_units.join("、"))?;
                                writeln!(out, "责任：{}", r.responsible_units.join("、"))?;
                                writeln!(out, "配合：{}", r.cooperating_units.join("、"))?;
                            }
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
                TasksCmd::AdjustDeadline { id, due, reason } => {
                    require_task(store, &id)?;
                    let applied = session
                        .apply(&Command::AdjustDeadline {
                            task: id,
                            due,
                            reason,
                            date: today,
                        })
                        .map_err(|e| anyhow!("未保存：{}", store_error(&dir, e)))?;
                    writeln!(out, "已保存：{}", applied.summary)?;
                }
                TasksCmd::NotApplicable { id, reason, undo } => {
                    require_task(store, &id)?;
                    let item = anwei_core::Item::Task(id);
                    mark_not_applicable(&session, &dir, &mut out, item, reason, undo, today)?;
                }
            }
        }
        Cmd::Progress { command } => {
            let session = open_synced(&dir)?;
            let store = session.store();
            match command {
                ProgressCmd::Add {
                    task,
                    date,
                    text,
                    percent,
                    done,
                    attach,
                    milestone,
                } => {
                    let t = require_task(store, &task)?;
                    let milestone = milestone.map(|m| milestone_of(&t, &m)).transpose()?;
                    let date = date.unwrap_or(today);
                    anwei_core::progress::check_progress_input(date, today, percent, done)
                        .map_err(|e| anyhow!("{e}；未保存任何内容"))?;
                    check_attachments(&attach)?;
                    let cmd = Command::AddProgress {
                        milestone,
                        task,
                        date,
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
                    let applied = session
                        .apply(&cmd)
                        .map_err(|e| anyhow!("未保存：{}", store_error(&dir, e)))?;
                    let id = applied.entry.map(|e| e.id).unwrap_or_default();
                    writeln!(out, "已保存：{}（记录 #{id}）", applied.summary)?;
                }
            }
        }
        Cmd::Units { command } => {
            let session = open_synced(&dir)?;
            let store = session.store();
            match command {
                UnitsCmd::List { json } => {
                    #[derive(Serialize)]
                    struct UnitOut<'a> {
                        id: &'a str,
                        name: &'a str,
                        aliases: &'a [String],
                        kind: anwei_core::UnitKind,
                        kind_label: &'a str,
                        tasks: usize,
                    }
                    let units = campaign_units(store, today, campaign)?;
                    let list: Vec<UnitOut> = units
                        .iter()
                        .map(|(u, tasks)| UnitOut {
                            id: &u.id,
                            name: &u.name,
                            aliases: &u.aliases,
                            kind: u.kind,
                            kind_label: u.kind.label_zh(),
                            tasks: *tasks,
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
            let report = anwei_store::restore(&dir, &file).map_err(|e| store_error(&dir, e))?;
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
            // A progress report states the targets' values, which the plugins compute; a
            // form comes from its plugin.
            let session = if matches!(command, PrintCmd::Progress { .. } | PrintCmd::Form { .. }) {
                open_synced(&dir)?
            } else {
                open_current(&dir)?
            };
            print(
                &session,
                command,
                today,
                args.today.is_some(),
                campaign,
                &mut out,
            )?;
        }
        Cmd::Plugins { command } => plugins_cli::run(&dir, command, &mut out)?,
        Cmd::Notices { command } => notices_cli::run(&dir, command, &mut out)?,
        Cmd::Printers { json } => {
            let service = anwei_print::printer::PrintService::default();
            let printers = service.printers()?;
            if json {
                let list: Vec<serde_json::Value> = printers
                    .names
                    .iter()
                    .map(|n| {
                        serde_json::json!({
                            "name": n,
                            "default": printers.default.as_ref() == Some(n),
                            "duplex": service.duplex(n),
                        })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else if printers.names.is_empty() {
                writeln!(out, "{}", anwei_print::printer::PrinterError::NoPrinters)?;
            } else {
                for n in &printers.names {
                    let mut notes = Vec::new();
                    if printers.default.as_ref() == Some(n) {
                        notes.push("默认");
                    }
                    if service.duplex(n) {
                        notes.push("可双面");
                    }
                    if notes.is_empty() {
                        writeln!(out, "{n}")?;
                    } else {
                        writeln!(out, "{n}（{}）", notes.join("，"))?;
                    }
                }
            }
        }
        Cmd::Records { command } => {
            let code = records_cli::run_records(&dir, command, today, &mut out)?;
            if code != 0 {
                return Ok(ExitCode::from(code));
            }
        }
        Cmd::Targets {
            command: TargetsCmd::List { sector, json },
        } => {
            records_cli::run_targets(&dir, sector, json, today, campaign, &mut out)?;
        }
        Cmd::Targets {
            command: TargetsCmd::Periods { id, json },
        } => {
            records_cli::run_duty_periods(&dir, &id, json, today, &mut out)?;
        }
        Cmd::Targets {
            command: TargetsCmd::NotApplicable { id, reason, undo },
        } => {
            let session = open_synced(&dir)?;
            if !session.store().targets()?.iter().any(|t| t.id == id) {
                bail!("没有指标“{id}”；用 `anwei targets list --json` 查看指标编号");
            }
            let item = anwei_core::Item::Target(id);
            mark_not_applicable(&session, &dir, &mut out, item, reason, undo, today)?;
        }
        Cmd::Help { command: path } => return Ok(help_for(&path)),
    }
    Ok(ExitCode::SUCCESS)
}

/// Days from today to the default new deadline of a 督办通知书.
const NOTICE_DAYS: u64 = 15;

/// `anwei help [命令…]`: the help of that command, as `命令 --help` shows it.
fn help_for(path: &[String]) -> ExitCode {
    let mut argv: Vec<std::ffi::OsString> = vec!["anwei".into()];
    argv.extend(path.iter().map(Into::into));
    argv.push("--help".into());
    let mut cmd = command();
    match cmd.try_get_matches_from_mut(&argv) {
        Err(e) => report_clap_error(&e, &cmd, &argv),
        Ok(_) => ExitCode::SUCCESS,
    }
}

/// `tasks not-applicable` / `targets not-applicable`: marks the item 不适用 with the reason,
/// or (`undo`) has it apply again.
fn mark_not_applicable(
    session: &Session,
    dir: &Path,
    out: &mut impl Write,
    item: anwei_core::Item,
    reason: Option<String>,
    undo: bool,
    today: NaiveDate,
) -> Result<()> {
    let reason = if undo { None } else { reason };
    let cmd = Command::SetNotApplicable {
        item,
        reason,
        date: today,
    };
    let applied = session
        .apply(&cmd)
        .map_err(|e| anyhow!("未保存：{}", store_error(dir, e)))?;
    writeln!(out, "已保存：{}", applied.summary)?;
    Ok(())
}

fn task_rows(store: &Store, today: NaiveDate, campaign: Option<&str>) -> Result<Vec<TaskRow>> {
    Ok(PrintInput::load(store, today, campaign)?.rows)
}

/// The targets a progress report states, evaluated on `today`, and what kept their values
/// from being computed (said in the report).
fn report_targets(
    session: &Session,
    today: NaiveDate,
    campaign: &str,
) -> (Vec<anwei_print::TargetLine>, Vec<String>) {
    if session.host().is_none() {
        return (
            Vec::new(),
            vec!["行业插件未能启动，指标数值未能计算，本报告未列指标".to_owned()],
        );
    }
    match session.target_rows(Some(campaign), None, today) {
        Ok((rows, problems)) => (
            rows.into_iter()
                .map(|r| {
                    anwei_print::TargetLine::new(r.target, r.evaluation, r.status, &r.towns)
                        .with_not_applicable(r.not_applicable)
                })
                .collect(),
            problems
                .into_iter()
                .map(|p| format!("{p}，相关指标按无数据列出"))
                .collect(),
        ),
        Err(e) => (
            Vec::new(),
            vec![format!("指标数值未能计算（{e}），本报告未列指标")],
        ),
    }
}

/// Owned data the print documents borrow from.
pub(crate) struct PrintInput {
    pub(crate) campaign: anwei_core::Campaign,
    pub(crate) plans: Vec<anwei_core::Plan>,
    tasks: Vec<anwei_core::Task>,
    pub(crate) units: anwei_core::UnitDirectory,
    rows: Vec<TaskRow>,
    latest: std::collections::HashMap<String, anwei_core::LatestProgress>,
}

/// The campaign's units with the number of its tasks naming each: those its tasks name, and
/// those no campaign's task names (declared ones, towns); another campaign's own are not.
/// What `units list` and `export units` show.
pub(crate) fn campaign_units(
    store: &Store,
    today: NaiveDate,
    campaign: Option<&str>,
) -> Result<Vec<(anwei_core::Unit, usize)>> {
    let tasks = store.tasks()?;
    let scope = store.campaign_scope(campaign, today)?;
    let in_scope = |plan: &str| scope.as_ref().is_some_and(|s| s.holds_plan(plan));
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut elsewhere: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for t in &tasks {
        let mut seen: Vec<&str> = t.roles.iter().map(|r| r.unit.as_str()).collect();
        seen.sort_unstable();
        seen.dedup();
        for u in seen {
            if in_scope(&t.plan) {
                *counts.entry(u).or_default() += 1;
            } else {
                elsewhere.insert(u);
            }
        }
    }
    Ok(store
        .units()?
        .into_iter()
        .filter(|u| counts.contains_key(u.id.as_str()) || !elsewhere.contains(u.id.as_str()))
        .map(|u| {
            let n = counts.get(u.id.as_str()).copied().unwrap_or(0);
            (u, n)
        })
        .collect())
}

/// The task rows `tasks list` and `export tasks` show: the campaign's, as of the day, with
/// the filters given.
pub(crate) struct TaskQuery {
    pub plan: Option<String>,
    pub unit: Option<String>,
    pub overdue: bool,
    pub status: Option<String>,
    pub search: Option<String>,
}

impl TaskQuery {
    /// The campaign (its name, plans and units) and the rows shown, in order.
    pub(crate) fn rows(
        self,
        store: &Store,
        today: NaiveDate,
        campaign: Option<&str>,
    ) -> Result<(PrintInput, Vec<TaskRow>)> {
        let status = match (self.overdue, self.status) {
            (true, _) => Some(Status::Overdue),
            (false, Some(s)) => Some(Status::from_key(s.trim()).ok_or_else(|| unknown_status(&s))?),
            (false, None) => None,
        };
        let mut input = PrintInput::load(store, today, campaign)?;
        if let Some(p) = &self.plan
            && !input.rows.iter().any(|r| &r.plan == p)
        {
            let plans: Vec<&str> = input.plans.iter().map(|p| p.id.as_str()).collect();
            match store.plans()?.into_iter().find(|x| &x.id == p) {
                Some(other) => bail!(
                    "方案“{p}”属于活动 {}，不在活动“{}”中（加 --campaign {} 查看）",
                    other.campaign,
                    input.campaign.name,
                    other.campaign
                ),
                None => bail!("没有方案“{p}”（现有：{}）", plans.join("、")),
            }
        }
        let filter = TaskFilter {
            plan: self.plan,
            unit: self.unit,
            phase: None,
            status,
            text: self.search.unwrap_or_default(),
        };
        let rows = std::mem::take(&mut input.rows);
        let shown = filter
            .apply(&rows, &input.units)
            .into_iter()
            .cloned()
            .collect();
        input.rows = rows;
        Ok((input, shown))
    }
}

impl PrintInput {
    /// Reads the campaign (`campaign`, else the current one) and computes its task rows as
    /// of `today`, each part read once.
    fn load(store: &Store, today: NaiveDate, campaign: Option<&str>) -> Result<PrintInput> {
        let Some(scope) = store.campaign_scope(campaign, today)? else {
            bail!("数据目录中还没有活动；先运行 `anwei init --demo` 载入示例活动");
        };
        let anwei_core::CampaignScope {
            campaign,
            plans,
            tasks,
        } = scope;
        let units = store.unit_directory()?;
        let latest = store.latest_progress(today)?;
        let settings = store.settings()?;
        let rows = RowContext {
            campaign: &campaign,
            plans: &plans,
            units: &units,
            progress: &latest,
            rules: settings.rules(),
            today,
            applicability: &settings.not_applicable,

            deadlines: &settings.deadline_changes,
        }
        .rows(&tasks);
        Ok(PrintInput {
            campaign,
            plans,
            tasks,
            units,
            rows,
            latest,
        })
    }

    fn data(&self, today: NaiveDate) -> anwei_print::PrintData<'_> {
        anwei_print::PrintData {
            campaign: &self.campaign,
            plans: &self.plans,
            tasks: &self.tasks,
            units: &self.units,
            rows: &self.rows,
            latest: &self.latest,
            targets: &[],
            today,
        }
    }
}

/// A print command needs somewhere to go: a file, a printer, or both.
fn needs_target(file: Option<&Path>, to: &ToPrinter) -> Result<()> {
    if file.is_none() && to.printer.is_none() {
        bail!(
            "请用 --out 指定输出的 PDF 文件，或用 --printer 送到打印机（`anwei printers` 列出本机的打印机）"
        );
    }
    Ok(())
}

/// Writes the PDF `bytes` to `file` (when given) and sends them to the printer (when asked).
fn deliver(
    bytes: &[u8],
    pages: usize,
    file: Option<&Path>,
    to: &ToPrinter,
    out: &mut dyn Write,
) -> Result<()> {
    use anwei_print::printer::{PrintRequest, PrintService};
    if let Some(file) = file {
        anwei_print::write_pdf_file(file, bytes)?;
        writeln!(
            out,
            "已生成 {}（{pages} 页，{} 字节）",
            file.display(),
            bytes.len()
        )?;
    }
    if let Some(name) = &to.printer {
        let printer = (name.trim() != "默认").then(|| name.trim().to_owned());
        let request = PrintRequest {
            printer,
            copies: to.copies,
            duplex: to.duplex,
        };
        let job = PrintService::default()
            .print_pdf(bytes, "cli", &request)
            .map_err(|e| {
                if file.is_none() {
                    anyhow!("{e}（可改用 --out 文件.pdf 保存）")
                } else {
                    anyhow!("{e}（PDF 已保存）")
                }
            })?;
        writeln!(out, "{}", request.sent_text(&job))?;
    }
    Ok(())
}

fn print(
    session: &Session,
    command: PrintCmd,
    today: NaiveDate,
    fixed_date: bool,
    campaign: Option<&str>,
    out: &mut impl Write,
) -> Result<()> {
    use anwei_print::{Fonts, NoticeSpec, PdfOptions, render_pdf};
    let year = chrono::Datelike::year(&today);
    if !(1000..=9999).contains(&year) {
        bail!(
            "日期 {today} 的年份超出了公文可用的范围（1000–9999 年），无法打印；请检查 --today（写作 YYYY-MM-DD，例如 2026-03-15）"
        );
    }
    let store = session.store();
    // A task's notice is of the task's own campaign, whichever is current.
    let own = match (&command, campaign) {
        (PrintCmd::Supervision { task, .. }, None) => match store.task(task)? {
            Some(t) => store.plan(&t.plan)?.map(|p| p.campaign),
            None => None,
        },
        _ => None,
    };
    let input = PrintInput::load(store, today, campaign.or(own.as_deref()))?;
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
    let save = |doc: &anwei_print::Document,
                file: Option<&Path>,
                to: &ToPrinter,
                out: &mut dyn Write|
     -> Result<()> {
        let bytes = render_pdf(doc, &fonts, &options)?;
        deliver(&bytes, doc.pages.len(), file, to, out)
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
        PrintCmd::Item {
            id,
            step,
            reply_by,
            out: file,
            to,
            contact,
            issue,
            copy_to,
        } => {
            needs_target(file.as_deref(), &to)?;
            let registers = store.supervision_registers()?;
            let Some(item) = registers.items.iter().find(|i| i.id == id) else {
                bail!("没有督办事项 #{id}；用 `anwei supervise list` 查看");
            };
            let step = match step {
                Some(s) => crate::supervise_cli::step_of(&s)?,
                None => match item.next_step(&settings.supervision.ladder) {
                    Some((anwei_core::accountability::Step::Circular, _)) => bail!(
                        "督办事项 #{id} 的下一步是通报：请用 `anwei circulars add` 编发通报；需要其他文书时用 --step 指明"
                    ),
                    Some((s, _)) => s,
                    None => bail!("督办事项 #{id}{}，没有下一步可走", item.state().label_zh()),
                },
            };
            let reply_by = match reply_by {
                Some(d) => d,
                None => today
                    .checked_add_days(chrono::Days::new(NOTICE_DAYS))
                    .context("办理时限超出了可表示的日期范围；请用 --reply-by 指定")?,
            };
            let unit_name = input.units.name_of(&item.unit).to_owned();
            let task_text = match &item.source.task {
                Some(t) => store.task(t)?.map(|task| {
                    let plan = input
                        .plans
                        .iter()
                        .find(|p| p.id == task.plan)
                        .map(|p| format!("《{}》", p.title))
                        .unwrap_or_default();
                    format!("{plan}第{}项任务", task.label)
                }),
                None => None,
            };
            let number = if issue {
                Some(store.next_notice_number(year)?)
            } else {
                None
            };
            let spec = anwei_print::LetterSpec {
                item,
                step,
                unit_name: unit_name.clone(),
                doc_number: number.map(|n| (year, n)),
                doc_prefix: settings.doc_prefix.clone(),
                issuing_office: office.clone(),
                reply_by,
                contact: contact.unwrap_or_else(|| settings.contact.clone()),
                date: today,
                chinese_date: settings.chinese_date,
                copy_to,
                task_text,
            };
            let doc = anwei_print::supervision_letter(&fonts, &spec)?;
            let bytes = render_pdf(&doc, &fonts, &options)?;
            let Some(number) = number else {
                deliver(&bytes, doc.pages.len(), file.as_deref(), &to, out)?;
                writeln!(out, "以上为草稿（未编号、未登记）；签发请加 --issue")?;
                return Ok(());
            };
            let applied = session.apply(&Command::Supervise {
                action: anwei_core::supervise::SupAction::IssueLetter {
                    item: id,
                    step,
                    year,
                    number,
                    date: today,
                    reply_by,
                    recipient: unit_name,
                    file: file.as_ref().map(|f| f.display().to_string()),
                    doc_prefix: settings.doc_prefix.clone(),
                    pdf: bytes.clone(),
                },
            })?;
            let prefix = &settings.doc_prefix;
            writeln!(
                out,
                "已签发登记：{}{prefix}〔{year}〕{number}号，督办事项 #{id} 记下“{}”（操作记录 #{}）",
                step.document_zh().unwrap_or_default(),
                step.label_zh(),
                applied.audit_id
            )?;
            deliver(&bytes, doc.pages.len(), file.as_deref(), &to, out).with_context(|| {
                format!(
                    "{prefix}〔{year}〕{number}号已签发登记；可用 `anwei notices reprint {year}-{number} --out 文件.pdf` 按原样重印"
                )
            })?;
        }
        PrintCmd::Circular {
            id,
            recipient,
            out: file,
            to,
        } => {
            needs_target(file.as_deref(), &to)?;
            let registers = store.supervision_registers()?;
            let Some(circ) = registers.circulars.iter().find(|c| c.id == id) else {
                bail!("没有通报 #{id}；用 `anwei circulars list` 查看");
            };
            // Each named unit's count in the year up to this 通报 (its 期号 included).
            let named = registers
                .counts_as_of(circ)
                .into_iter()
                .map(|(n, count)| {
                    let name = if n.member {
                        input.units.name_of(&n.unit).to_owned()
                    } else {
                        n.unit.clone()
                    };
                    let cost = anwei_print::circular_cost_text(
                        &settings.supervision.circular,
                        count,
                        n.member,
                        circ.voided.is_some(),
                    );
                    (name, n.issue.clone(), cost)
                })
                .collect();
            let items = circ
                .items
                .iter()
                .filter_map(|i| registers.items.iter().find(|x| x.id == *i))
                .map(|i| anwei_print::ItemLine::of(i, input.units.name_of(&i.unit), circ.date))
                .collect();
            let spec = anwei_print::CircularSpec {
                circular: circ,
                named,
                items,
                issuing_office: office.clone(),
                recipient: recipient
                    .unwrap_or_else(|| "各镇（街道），区安委会各成员单位".to_owned()),
                chinese_date: settings.chinese_date,
            };
            let doc = anwei_print::circular_document(&fonts, &spec)?;
            save(&doc, file.as_deref(), &to, out)?;
        }
        PrintCmd::Assessment {
            year: of,
            out: file,
            to,
        } => {
            needs_target(file.as_deref(), &to)?;
            let of = of.unwrap_or(year);
            let a = session.assessment(of, Some(&input.campaign.id), None, today)?;
            let doc = anwei_print::assessment_document(
                &fonts,
                &a.sheets,
                &a.names,
                &a.problems,
                &office,
                today,
                settings.chinese_date,
            )?;
            save(&doc, file.as_deref(), &to, out)?;
        }
        PrintCmd::List {
            list,
            out: file,
            to,
        } => {
            needs_target(file.as_deref(), &to)?;
            let kind = crate::supervise_cli::list_of(&list)?;
            let registers = store.supervision_registers()?;
            let entries: Vec<&anwei_core::supervision::ListEntry> =
                registers.lists.iter().filter(|e| e.list == kind).collect();
            let names = entries
                .iter()
                .map(|e| (e.unit.clone(), input.units.name_of(&e.unit).to_owned()))
                .collect();
            let doc = anwei_print::list_document(
                &fonts,
                kind,
                &entries,
                &names,
                &office,
                today,
                settings.chinese_date,
            )?;
            save(&doc, file.as_deref(), &to, out)?;
        }
        PrintCmd::TaskTable {
            plan,
            attachment,
            out: file,
            to,
        } => {
            needs_target(file.as_deref(), &to)?;
            check_plan(&plan)?;
            let doc = anwei_print::task_division_table(
                &data,
                &fonts,
                plan.as_deref(),
                attachment.as_deref(),
            )?;
            save(&doc, file.as_deref(), &to, out)?;
        }
        PrintCmd::Timeline {
            plan,
            out: file,
            to,
        } => {
            needs_target(file.as_deref(), &to)?;
            check_plan(&plan)?;
            // The day each task was reported done, as known on the day.
            let mut done: HashMap<String, NaiveDate> = HashMap::new();
            for e in store.all_progress()? {
                if e.done && e.date <= today {
                    let d = done.entry(e.task.clone()).or_insert(e.date);
                    *d = (*d).min(e.date);
                }
            }
            let doc = anwei_print::timeline_chart(&data, &fonts, plan.as_deref(), &|t| {
                done.get(t).copied()
            })?;
            save(&doc, file.as_deref(), &to, out)?;
        }
        PrintCmd::Form {
            form,
            record,
            out: file,
            to,
        } => {
            needs_target(file.as_deref(), &to)?;
            let (defs, problems) = session.forms();
            for p in problems {
                eprintln!("注意：{p}");
            }
            let def = crate::records_cli::form_of(&defs, &form)?;
            let record = match record {
                None => None,
                Some(id) => Some(crate::records_cli::record_of(store.record(id)?, &form, id)?),
            };
            let doc = anwei_print::form_sheet(
                &fonts,
                &anwei_print::FormSheetSpec {
                    form: &def,
                    record: record.as_ref(),
                    units: &input.units,
                    today,
                    chinese_date: settings.chinese_date,
                },
            )?;
            save(&doc, file.as_deref(), &to, out)?;
        }
        PrintCmd::Progress {
            plan,
            recipient,
            out: file,
            to,
        } => {
            needs_target(file.as_deref(), &to)?;
            check_plan(&plan)?;
            let (targets, target_problems) = report_targets(session, today, &input.campaign.id);
            let data = anwei_print::PrintData {
                targets: &targets,
                ..data
            };
            let spec = anwei_print::ReportSpec {
                plan,
                recipient: recipient.unwrap_or_else(|| settings.report_recipient(&input.campaign)),
                issuing_office: office.clone(),
                chinese_date: settings.chinese_date,
                target_problems,
            };
            let doc = anwei_print::progress_report(&data, &fonts, &spec)?;
            save(&doc, file.as_deref(), &to, out)?;
        }
        PrintCmd::Supervision {
            task,
            out: file,
            recipient,
            new_deadline,
            action,
            contact,
            issue,
            copy_to,
            to,
        } => {
            needs_target(file.as_deref(), &to)?;
            let row = input
                .rows
                .iter()
                .find(|r| r.id == task)
                .ok_or_else(|| unknown_task(store, &task))?;
            let recipient = match recipient {
                Some(r) => r,
                None => row
                    .lead_units
                    .first()
                    .or(row.responsible_units.first())
                    .cloned()
                    .context("该任务没有牵头或责任单位，请用 --recipient 指定主送单位")?,
            };
            let number = if issue {
                Some(store.next_notice_number(year)?)
            } else {
                None
            };
            let new_deadline = match new_deadline {
                Some(d) => d,
                None => today
                    .checked_add_days(chrono::Days::new(NOTICE_DAYS))
                    .with_context(|| {
                        format!(
                            "日期 {today} 加 {NOTICE_DAYS} 天超出了可表示的日期范围；请用 --new-deadline 指定新的完成时限（YYYY-MM-DD），或检查 --today"
                        )
                    })?,
            };
            let spec = NoticeSpec {
                task_id: task.clone(),
                doc_number: number.map(|n| (year, n)),
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
                copy_to,
            };
            let doc = anwei_print::supervision_notice(&data, &fonts, &spec)?;
            let bytes = render_pdf(&doc, &fonts, &options)?;
            let Some(number) = number else {
                deliver(&bytes, doc.pages.len(), file.as_deref(), &to, out)?;
                writeln!(out, "以上为草稿（未编号、未登记）；签发请加 --issue")?;
                return Ok(());
            };
            // Recorded with its PDF first: a file that cannot be written is printed again
            // from the register, and the number is never lost or taken twice.
            let applied = session.apply(&Command::RecordNotice {
                task,
                year,
                number,
                recipient,
                new_deadline,
                file: file.as_ref().map(|f| f.display().to_string()),
                date: today,
                pdf: bytes.clone(),
                doc_prefix: settings.doc_prefix.clone(),
            })?;
            let prefix = &settings.doc_prefix;
            writeln!(
                out,
                "已签发登记：{prefix}〔{year}〕{number}号（操作记录 #{}）",
                applied.audit_id
            )?;
            deliver(&bytes, doc.pages.len(), file.as_deref(), &to, out).with_context(|| {
                format!(
                    "督办通知书 {prefix}〔{year}〕{number}号已签发登记；可用 `anwei notices reprint {year}-{number} --out 文件.pdf` 按原样重印"
                )
            })?;
        }
    }
    Ok(())
}
