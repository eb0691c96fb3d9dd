//! `anwei plugins …`: sector plugins (list, install, remove, enable, disable), the keys and
//! signatures of departments and of the office (keygen, sign, trust-list), the office's root
//! public key and trust list on this desk, and developer mode.
//!
//! The office's root public key, its trust list and developer mode are settings in the store:
//! every change of the root of trust is audited. All are read by `anwei_session::host_config`,
//! as the window reads them. Every change (install, removal, enable/disable) is recorded in the
//! audit trail and the sector plans of enabled plugins are brought into the store.

use std::io::Write;
use std::path::{Path, PathBuf};

use anwei_core::Command;
use anwei_files::AtomicWrite;
use anwei_plugin_host::{
    InstallOptions, KeyPair, PluginError, PluginHost, PluginInfo, Runtime, Trust, TrustEntry,
    TrustList, build_package, check, manifest_for, public_key_from_hex, read_package,
};
use anwei_session::Session;
use anyhow::{Context, Result, anyhow, bail};
use clap::{Subcommand, ValueEnum};
use serde::Serialize;

/// The line printed on every `plugins` command while developer mode is on.
pub const DEVELOPER_WARNING: &str = "开发者模式：未签名插件也会被加载";

#[derive(Debug, Subcommand)]
pub enum PluginsCmd {
    /// 把行业插件的方案（连同其任务、进展和指标）归入另一个活动；以后的新版本留在该活动
    Attach {
        /// 插件编号，例如 coal-mining
        #[arg(value_name = "插件")]
        id: String,
        /// 活动编号（`anwei campaigns list` 列出）
        #[arg(long, value_name = "活动")]
        to: String,
    },
    /// 列出已加载的插件（内置的和安装的）以及未加载的插件包
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 安装插件包（.anwpkg），先做全部检查（签名、信任列表、行业、校验值、版本……）
    Install {
        /// 插件包文件
        #[arg(value_name = "文件.anwpkg")]
        file: PathBuf,
        /// 允许安装比已安装版本低的版本
        #[arg(long)]
        allow_downgrade: bool,
    },
    /// 删除安装的插件（该行业若有内置版本，内置版本重新生效）
    Remove {
        /// 插件编号，例如 coal-mining
        #[arg(value_name = "插件")]
        id: String,
    },
    /// 启用插件（同时清除其近期的出错记录）
    Enable {
        /// 插件编号，例如 coal-mining
        #[arg(value_name = "插件")]
        id: String,
    },
    /// 停用插件
    Disable {
        /// 插件编号，例如 coal-mining
        #[arg(value_name = "插件")]
        id: String,
        /// 停用原因（显示在工作台的提示条中）
        #[arg(long, value_name = "原因")]
        reason: Option<String>,
    },
    /// 生成密钥对：前缀.secret（私钥，请离线保管）和 前缀.pub（公钥）
    Keygen {
        /// 密钥文件的路径前缀
        #[arg(long, short = 'o', value_name = "前缀")]
        out: PathBuf,
    },
    /// 用部门私钥把插件组件（.wasm）签名打包为插件包（.anwpkg）
    Sign {
        /// 部门的私钥文件（由 `plugins keygen` 生成）
        #[arg(long, value_name = "前缀.secret")]
        key: PathBuf,
        /// 插件组件文件
        #[arg(long, value_name = "文件.wasm")]
        component: PathBuf,
        /// 输出的插件包
        #[arg(long, short = 'o', value_name = "文件.anwpkg")]
        out: PathBuf,
    },
    /// 安委办用：签署信任列表（各部门的公钥及其可发布的行业）
    TrustList {
        /// 安委办的根私钥文件
        #[arg(long, value_name = "根密钥.secret")]
        root_key: PathBuf,
        /// 一个部门，写作“部门名称=公钥十六进制:行业1,行业2”（可重复）
        #[arg(long = "entry", value_name = "部门=公钥:行业", required = true)]
        entries: Vec<String>,
        /// 输出的信任列表文件
        #[arg(long, short = 'o', value_name = "trust.json")]
        out: PathBuf,
    },
    /// 本工作台使用的信任列表
    Trust {
        #[command(subcommand)]
        command: TrustCmd,
    },
    /// 本工作台使用的安委办根公钥
    RootKey {
        #[command(subcommand)]
        command: RootKeyCmd,
    },
    /// 开发者模式：也加载未签名或未经认证的插件包（处处显示警告）；on 开启，off 关闭
    Developer {
        /// on（开启）或 off（关闭）
        #[arg(value_enum, value_name = "on|off")]
        mode: Switch,
    },
}

#[derive(Debug, Subcommand)]
pub enum TrustCmd {
    /// 用根公钥校验已签署的信任列表，并安装到本工作台
    Install {
        /// 信任列表文件
        #[arg(value_name = "trust.json")]
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum RootKeyCmd {
    /// 设置安委办根公钥（由 `plugins keygen` 生成的 .pub 文件）
    Set {
        /// 根公钥文件
        #[arg(value_name = "文件.pub")]
        file: PathBuf,
    },
    /// 显示根公钥及其指纹
    Show,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    /// 开启
    On,
    /// 关闭
    Off,
}

/// Starts the plugin host of `session` as the store's settings say now (the root key or
/// trust list may have just changed).
fn host(session: &mut Session) -> Result<&PluginHost> {
    session
        .start_plugins()
        .map_err(|e| anyhow!("无法打开插件：{e}"))
}

/// After a change: the host's events into the audit trail, sector plans into the store.
fn settle(session: &Session, out: &mut impl Write) -> Result<()> {
    for line in crate::cli::settle(session) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Runs one `plugins` subcommand. Results go to `out`; warnings to stderr.
pub fn run(data_dir: &Path, command: PluginsCmd, out: &mut impl Write) -> Result<()> {
    match command {
        PluginsCmd::Keygen { out: stem } => return keygen(&stem, out),
        PluginsCmd::Sign {
            key,
            component,
            out: file,
        } => return sign(&key, &component, &file, out),
        PluginsCmd::TrustList {
            root_key,
            entries,
            out: file,
        } => return trust_list(&root_key, &entries, &file, out),
        PluginsCmd::Attach { id, to } => {
            let store = crate::cli::open(data_dir)?;
            let campaign = store.campaigns()?.into_iter().find(|c| c.id == to);
            let (Some(plan), Some(campaign)) = (store.plan(&id)?, campaign) else {
                bail!(
                    "没有行业方案“{id}”或活动“{to}”；用 `anwei plugins list` 和 `anwei campaigns list` 查看"
                );
            };
            let actor = anwei_session::actor_of(&store);
            store
                .apply(
                    &anwei_core::Command::MoveSectorPlan {
                        sector: id,
                        campaign: to,
                    },
                    &actor,
                )
                .map_err(|e| anyhow!("未保存：{}", crate::cli::store_error(data_dir, e)))?;
            writeln!(
                out,
                "已保存：行业方案“{}”归入活动“{}”",
                plan.title, campaign.name
            )?;
            return Ok(());
        }
        _ => {}
    }
    // A broken root key file must not block the commands that do not need it (root-key set
    // repairs it); the others report the error when they open the host.
    let mut session = crate::cli::session(data_dir)?;
    let config = session.host_config().map_err(|e| anyhow!("{e}"));
    let developer_on = config.as_ref().is_ok_and(|c| c.developer_mode);
    if developer_on && !matches!(command, PluginsCmd::Developer { .. }) {
        warn_developer();
    }
    match command {
        PluginsCmd::List { json } => {
            host(&mut session)?;
            settle(&session, &mut std::io::sink())?;
            list(host_of(&session)?, json, out)
        }
        PluginsCmd::Install {
            file,
            allow_downgrade,
        } => {
            let result = install(host(&mut session)?, &file, allow_downgrade, out);
            if let Err(e) = &result
                && let Some(pe) = e.downcast_ref::<PluginError>()
            {
                anwei_session::record_refused_install(session.store(), &file, pe, &session.actor())
                    .map_err(|e| anyhow!("{e}"))?;
            }
            settle(&session, out)?;
            result.map_err(|e| anyhow!("无法安装 {}：{e}", file.display()))
        }
        PluginsCmd::Remove { id } => {
            remove(host(&mut session)?, &id, out)?;
            settle(&session, out)
        }
        PluginsCmd::Enable { id } => {
            let host = host(&mut session)?;
            host.enable(&id).map_err(plugin_error)?;
            let info = host.info(&id).map_err(plugin_error)?;
            writeln!(out, "已启用插件“{}”（{id}）", info.name)?;
            settle(&session, out)
        }
        PluginsCmd::Disable { id, reason } => {
            let host = host(&mut session)?;
            let reason = reason
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| "已手动停用".to_owned());
            host.disable(&id, &reason).map_err(plugin_error)?;
            let info = host.info(&id).map_err(plugin_error)?;
            writeln!(out, "已停用插件“{}”（{id}）：{reason}", info.name)?;
            settle(&session, out)
        }
        PluginsCmd::Trust {
            command: TrustCmd::Install { file },
        } => {
            trust_install(&mut session, &file, out)?;
            settle(&session, out)
        }
        PluginsCmd::RootKey {
            command: RootKeyCmd::Show,
        } => {
            let config = config?;
            match config.root_key {
                Some(k) => writeln!(
                    out,
                    "安委办根公钥：{}（指纹 {}）",
                    hex::encode(k.to_bytes()),
                    fingerprint(&hex::encode(k.to_bytes()))
                )?,
                None => writeln!(
                    out,
                    "尚未设置安委办根公钥（用 `anwei plugins root-key set 文件.pub` 设置）"
                )?,
            }
            Ok(())
        }
        PluginsCmd::RootKey {
            command: RootKeyCmd::Set { file },
        } => root_key_set(&session, &file, out),
        PluginsCmd::Developer { mode } => developer(&session, mode, developer_on, out),
        PluginsCmd::Keygen { .. }
        | PluginsCmd::Sign { .. }
        | PluginsCmd::TrustList { .. }
        | PluginsCmd::Attach { .. } => Ok(()),
    }
}

/// The plugin host of `session`, once started.
fn host_of(session: &Session) -> Result<&PluginHost> {
    session
        .host()
        .map(|h| &**h)
        .ok_or_else(|| anyhow!("插件未启动"))
}

fn warn_developer() {
    eprintln!("{DEVELOPER_WARNING}");
}

/// Plugin errors carry user-facing Chinese messages; keep just the message (the `source` of
/// an I/O error is already part of it).
fn plugin_error(e: PluginError) -> anyhow::Error {
    anyhow!("{e}")
}

/// A key's fingerprint as shown to people: the first 16 hex digits of the public key (so it
/// can be compared with the `.pub` file by eye).
fn fingerprint(public_hex: &str) -> String {
    public_hex
        .trim()
        .to_ascii_lowercase()
        .chars()
        .take(16)
        .collect()
}

/// The public key (hex) in the manifest of an installed plugin's package.
fn package_key(info: &PluginInfo) -> Option<String> {
    let path = info.path.as_ref()?;
    let bytes = std::fs::read(path).ok()?;
    read_package(&bytes).ok()?.manifest.public_key
}

/// Who vouches for a plugin: "内置", the department and its key, or developer mode.
fn signer(info: &PluginInfo, key: Option<&str>) -> String {
    let fp = key.map(fingerprint);
    match (&info.trust, fp) {
        (Trust::BuiltIn, _) => "内置".to_owned(),
        (Trust::Signed { department }, Some(fp)) => format!("{department}（密钥 {fp}）"),
        (Trust::Signed { department }, None) => department.clone(),
        (Trust::Developer { .. }, None) => "未签名（开发者模式）".to_owned(),
        (Trust::Developer { reason }, Some(fp)) => {
            format!("未经认证（开发者模式，密钥 {fp}）：{reason}")
        }
    }
}

fn trust_kind(trust: &Trust) -> &'static str {
    match trust {
        Trust::BuiltIn => "built_in",
        Trust::Signed { .. } => "signed",
        Trust::Developer { .. } => "developer",
    }
}

/// One plugin as `plugins list --json` shows it.
#[derive(Debug, Serialize)]
struct PluginOut {
    id: String,
    name: String,
    version: String,
    api: String,
    signer: String,
    built_in: bool,
    /// "enabled" or "disabled".
    status: &'static str,
    disabled_reason: Option<String>,
    /// "built_in", "signed" or "developer".
    trust: &'static str,
    path: Option<String>,
    /// The plugin's own department (from its description).
    department: String,
    /// Fingerprint of the key that signed the installed package.
    key_fingerprint: Option<String>,
    /// Faults in the last 10 minutes.
    recent_faults: usize,
}

impl PluginOut {
    fn new(info: &PluginInfo) -> PluginOut {
        let key = package_key(info);
        PluginOut {
            id: info.sector_id.clone(),
            name: info.name.clone(),
            version: info.version.clone(),
            api: info.api_version.clone(),
            signer: signer(info, key.as_deref()),
            built_in: info.built_in,
            status: if info.enabled { "enabled" } else { "disabled" },
            disabled_reason: if info.enabled {
                None
            } else {
                Some(
                    info.disabled_reason
                        .clone()
                        .unwrap_or_else(|| "已手动停用".to_owned()),
                )
            },
            trust: trust_kind(&info.trust),
            path: info.path.as_ref().map(|p| p.display().to_string()),
            department: info.department.clone(),
            key_fingerprint: key.as_deref().map(fingerprint),
            recent_faults: info.recent_faults,
        }
    }

    fn status_zh(&self) -> String {
        let mut s = match &self.disabled_reason {
            None => "启用".to_owned(),
            Some(reason) => format!("停用（{reason}）"),
        };
        if self.recent_faults > 0 {
            s.push_str(&format!(
                "，近 {} 分钟出错 {} 次",
                anwei_plugin_host::FAULT_WINDOW.as_secs() / 60,
                self.recent_faults
            ));
        }
        s
    }
}

fn list(host: &PluginHost, json: bool, out: &mut impl Write) -> Result<()> {
    let plugins: Vec<PluginOut> = host.list().iter().map(PluginOut::new).collect();
    let refused = host.refused();
    if json {
        serde_json::to_writer_pretty(&mut *out, &plugins)?;
        writeln!(out)?;
        // stdout stays one JSON array; refused files are reported beside it.
        for (path, reason) in &refused {
            eprintln!("未加载的插件包 {}：{reason}", path.display());
        }
        return Ok(());
    }
    for p in &plugins {
        writeln!(
            out,
            "{}  {}  {}  接口 {}  签名：{}  {}",
            p.id,
            p.name,
            p.version,
            p.api,
            p.signer,
            p.status_zh()
        )?;
        if let Some(path) = &p.path {
            writeln!(out, "    文件：{path}")?;
        }
    }
    writeln!(out, "共 {} 个插件", plugins.len())?;
    if !refused.is_empty() {
        writeln!(out, "未加载的插件包（{} 个）：", refused.len())?;
        for (path, reason) in &refused {
            writeln!(out, "  {}：{reason}", path.display())?;
        }
    }
    Ok(())
}

fn install(
    host: &PluginHost,
    file: &Path,
    allow_downgrade: bool,
    out: &mut impl Write,
) -> Result<()> {
    // Kept as a `PluginError` (the caller records a refusal in the audit trail).
    let info = host
        .install_file(file, InstallOptions { allow_downgrade })
        .map_err(anyhow::Error::from)?;
    let shown = PluginOut::new(&info);
    if info.built_in {
        writeln!(
            out,
            "插件包已保存，但内置的“{}”{} 版本更新，继续使用内置版本",
            shown.name, shown.version
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "已安装插件“{}”（{}）{}，接口 {}，签名：{}",
        shown.name, shown.id, shown.version, shown.api, shown.signer
    )?;
    if let Trust::Developer { reason } = &info.trust {
        eprintln!("注意：该插件未经安委办签名认证，仅因开发者模式而加载（{reason}）");
    }
    if !info.enabled {
        writeln!(
            out,
            "该插件目前处于停用状态（{}），可用 `anwei plugins enable {}` 启用",
            shown.disabled_reason.as_deref().unwrap_or("已手动停用"),
            shown.id
        )?;
    }
    Ok(())
}

fn remove(host: &PluginHost, id: &str, out: &mut impl Write) -> Result<()> {
    if !check::is_id(id) {
        bail!("“{id}”不是插件编号（只含小写字母、数字和连字符，例如 coal-mining）");
    }
    let package = host.plugins_dir().join(format!("{id}.anwpkg"));
    let before = host.info(id).ok();
    if before.as_ref().is_some_and(|i| i.built_in) && !package.exists() {
        bail!("“{id}”是内置插件，不能删除；如需停用，请用 `anwei plugins disable {id}`");
    }
    host.remove(id).map_err(plugin_error)?;
    match host.info(id) {
        Ok(info) => writeln!(
            out,
            "已删除安装的插件“{id}”；内置版本 {} 重新生效",
            info.version
        )?,
        Err(_) => writeln!(out, "已删除插件“{id}”")?,
    }
    Ok(())
}

/// A `.pub` file given where a secret key is expected (both are 64 hex digits).
fn refuse_public_as_secret(path: &Path) -> Result<()> {
    if path.extension().is_some_and(|x| x == "pub") {
        bail!(
            "{} 是公钥文件；签名需要私钥文件（plugins keygen 写出的 .secret）",
            path.display()
        );
    }
    Ok(())
}

fn load_secret(path: &Path) -> Result<KeyPair> {
    refuse_public_as_secret(path)?;
    KeyPair::load(path).map_err(|e| anyhow!("无法读取私钥 {}：{e}", path.display()))
}

fn keygen(stem: &Path, out: &mut impl Write) -> Result<()> {
    let pair = KeyPair::generate();
    let (secret, public) = pair.save(stem).map_err(plugin_error)?;
    // The public key is meant to be handed on (to the office, into trust lists).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&public, std::fs::Permissions::from_mode(0o644))
            .with_context(|| format!("无法设置 {} 的权限", public.display()))?;
    }
    writeln!(
        out,
        "已生成密钥对（指纹 {}）",
        fingerprint(&pair.public_hex())
    )?;
    writeln!(
        out,
        "  私钥：{}（请离线妥善保管，切勿外传）",
        secret.display()
    )?;
    writeln!(out, "  公钥：{}", public.display())?;
    Ok(())
}

fn sign(key: &Path, component: &Path, file: &Path, out: &mut impl Write) -> Result<()> {
    let pair = load_secret(key)?;
    let bytes = std::fs::read(component)
        .with_context(|| format!("无法读取插件组件 {}", component.display()))?;
    let runtime = Runtime::new(None).map_err(plugin_error)?;
    let manifest = manifest_for(&runtime, &bytes)
        .map_err(|e| anyhow!("{} 不是可用的插件组件：{e}", component.display()))?;
    let package = build_package(&bytes, manifest.clone(), Some(&pair)).map_err(plugin_error)?;
    AtomicWrite::new(file).create_folder().write(&package)?;
    writeln!(
        out,
        "已签名：{} {}（接口 {}，{}），密钥指纹 {} → {}",
        manifest.sector_id,
        manifest.version,
        manifest.api_version,
        manifest.department,
        fingerprint(&pair.public_hex()),
        file.display()
    )?;
    Ok(())
}

/// "DEPARTMENT=PUBLIC_KEY_HEX:sector1,sector2".
fn parse_entry(text: &str) -> Result<TrustEntry> {
    let format = "格式应为“部门名称=公钥十六进制:专项1,专项2”";
    let (department, rest) = text
        .split_once('=')
        .with_context(|| format!("信任条目“{text}”缺少“=”：{format}"))?;
    let (key, sectors) = rest
        .split_once(':')
        .or_else(|| rest.split_once('：'))
        .with_context(|| format!("信任条目“{text}”缺少“:”：{format}"))?;
    let department = department.trim();
    if department.is_empty() {
        bail!("信任条目“{text}”没有部门名称：{format}");
    }
    let key =
        public_key_from_hex(key).map_err(|e| anyhow!("信任条目“{department}”的公钥无效：{e}"))?;
    let sectors: Vec<String> = sectors
        .split([',', '，', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if sectors.is_empty() {
        bail!("信任条目“{department}”没有授权任何专项：{format}");
    }
    if let Some(bad) = sectors.iter().find(|s| !check::is_id(s)) {
        bail!(
            "信任条目“{department}”的专项编号“{bad}”不合规（只含小写字母、数字和连字符，例如 coal-mining）"
        );
    }
    Ok(TrustEntry {
        department: department.to_owned(),
        public_key: hex::encode(key.to_bytes()),
        sectors,
    })
}

fn trust_list(
    root_key: &Path,
    entries: &[String],
    file: &Path,
    out: &mut impl Write,
) -> Result<()> {
    let root = load_secret(root_key)?;
    let mut parsed: Vec<TrustEntry> = Vec::new();
    for text in entries {
        let entry = parse_entry(text)?;
        if let Some(other) = parsed.iter().find(|e| e.public_key == entry.public_key) {
            bail!(
                "同一把公钥出现在两个信任条目中（{}、{}）",
                other.department,
                entry.department
            );
        }
        parsed.push(entry);
    }
    let list = TrustList::sign(parsed, &root).map_err(plugin_error)?;
    let json = list.to_json().map_err(plugin_error)?;
    AtomicWrite::new(file)
        .create_folder()
        .write(json.as_bytes())?;
    writeln!(
        out,
        "已用根密钥（指纹 {}）签署信任列表 → {}",
        fingerprint(&root.public_hex()),
        file.display()
    )?;
    write_entries(&list, out)
}

fn write_entries(list: &TrustList, out: &mut impl Write) -> Result<()> {
    for e in &list.entries {
        writeln!(
            out,
            "  {}（密钥 {}）：{}",
            e.department,
            fingerprint(&e.public_key),
            e.sectors.join("、")
        )?;
    }
    Ok(())
}

fn trust_install(session: &mut Session, file: &Path, out: &mut impl Write) -> Result<()> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| anyhow!("无法读取信任列表 {}（{e}）", file.display()))?;
    let list = anwei_session::install_trust_list(session.store(), &text, &session.actor())
        .map_err(|e| anyhow!("未安装信任列表 {}：{e}", file.display()))?;
    writeln!(out, "已安装信任列表（{} 个部门）：", list.entries.len())?;
    write_entries(&list, out)?;
    // Packages already in the folder that the new list vouches for load with the new host.
    let host = host(session)?;
    let loaded: Vec<String> = host
        .list()
        .into_iter()
        .filter(|p| !p.built_in)
        .map(|p| p.sector_id)
        .collect();
    if !loaded.is_empty() {
        writeln!(out, "已加载的安装插件：{}", loaded.join("、"))?;
    }
    Ok(())
}

fn root_key_set(session: &Session, file: &Path, out: &mut impl Write) -> Result<()> {
    if file.extension().is_some_and(|x| x == "secret") {
        bail!(
            "{} 是私钥文件；这里需要安委办根密钥的公钥文件（.pub），私钥不要拷到工作台上",
            file.display()
        );
    }
    let text = std::fs::read_to_string(file)
        .map_err(|e| anyhow!("无法读取公钥文件 {}（{e}）", file.display()))?;
    let key = public_key_from_hex(text.trim_start_matches('\u{feff}'))
        .map_err(|e| anyhow!("{} 不是公钥文件：{e}", file.display()))?;
    let key_hex = hex::encode(key.to_bytes());
    let done = anwei_session::set_root_key(session.store(), Some(&key_hex), &session.actor())
        .map_err(|e| anyhow!("{e}"))?;
    writeln!(
        out,
        "已设置安委办根公钥（指纹 {}），已记入审计日志",
        fingerprint(&key_hex)
    )?;
    for line in done.iter().skip(1) {
        eprintln!("注意：{line}");
    }
    Ok(())
}

fn developer(session: &Session, mode: Switch, was_on: bool, out: &mut impl Write) -> Result<()> {
    let on = mode == Switch::On;
    if on == was_on {
        writeln!(
            out,
            "{}",
            if on {
                "开发者模式本来就已开启"
            } else {
                "开发者模式本来就是关闭的"
            }
        )?;
    } else {
        let applied = session
            .apply(&Command::SetPluginDeveloperMode { on })
            .map_err(|e| anyhow!("{e}"))?;
        writeln!(out, "{}", applied.summary)?;
        if !on {
            writeln!(
                out,
                "未签名的插件包不再加载（已安装的会在下次打开时被拒绝）"
            )?;
        }
    }
    if on {
        warn_developer();
    }
    Ok(())
}
