//! The imperative shell between the store and the plugin host. Neither knows the other:
//! this crate opens the host with the desk's settings, imports each enabled plugin's sector
//! plan into the store (through `Command::ImportSectorPlan`, so it is audited like every
//! change) and moves the host's events (installs, faults, refused files …) into the audit
//! trail. The window (`anwei-ui`) and the CLI (`anwei`) both use it, through [`Session`].

pub mod assessment;
pub mod records;
mod session;
pub mod targets;
mod writer;

pub use session::{Session, actor_of};
pub use writer::{WriteGate, Writer};

use std::path::{Path, PathBuf};

use anwei_core::{CampaignData, Command, PluginEvent, SectorPlanImport, Unit};
use anwei_files::DataDir;
use anwei_plugin_host::{
    CodeCache, HostConfig, HostEvent, PluginError, PluginHost, TrustList, public_key_from_hex,
};
use anwei_store::{ImportOutcome, Store, StoreError};
use chrono::Datelike;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Plugin(#[from] PluginError),
    #[error("安委办根公钥无效：{message}（可用 `anwei plugins root-key set 文件.pub` 重新设置）")]
    RootKey { message: String },
    #[error(
        "尚未设置安委办根公钥，无法校验信任列表；先运行 `anwei plugins root-key set 根公钥.pub`"
    )]
    NoRootKey,
    #[error("无法迁入旧版插件目录中的 {path}：{message}")]
    Legacy { path: PathBuf, message: String },
    #[error("没有可导入行业方案的活动（先导入或新建一个三年行动）")]
    NoCampaign,
    #[error("插件尚未启动")]
    NotStarted,
}

/// Where wave-1 desks kept the office's root public key (hex): `DATA/plugins/root.pub`.
/// Read once to move it into the store ([`host_config`]); never read again.
pub fn legacy_root_key_path(data_dir: &Path) -> PathBuf {
    DataDir::new(data_dir).legacy_root_key()
}

/// Where wave-1 desks kept the trust list: `DATA/plugins/trust.json` (moved like the root key).
pub fn legacy_trust_list_path(data_dir: &Path) -> PathBuf {
    DataDir::new(data_dir).legacy_trust_list()
}

/// The per-user key authenticating compiled plugin code: in the user's configuration
/// folder, outside every data folder (`~/.config/anwei-desk/code-cache.key` on Linux).
pub fn code_cache_key_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("cn", "anwei", "anwei-desk")
        .map(|d| d.config_dir().join("code-cache.key"))
}

/// The plugin host's configuration for the store's data folder: root key and trust list
/// from the store's settings (where changing them is audited), developer mode likewise, and
/// the compiled-code cache `DATA/plugins/cache/` authenticated by the per-user key
/// ([`code_cache_key_path`]). On a database that came up from wave 1, a root key or trust
/// list still in the wave-1 files of the plugins folder is moved into the store first, once
/// (audited; the files are renamed `*.migrated`).
pub fn host_config(store: &Store, actor: &str) -> Result<HostConfig, SessionError> {
    migrate_legacy_trust(store, actor)?;
    settings_host_config(store)
}

/// [`host_config`] as the settings say now, without the one-time move of wave-1 files.
fn settings_host_config(store: &Store) -> Result<HostConfig, SessionError> {
    let data_dir = store.root();
    let settings = store.settings()?;
    let mut config = HostConfig::new(data_dir);
    if let Some(hex) = &settings.plugin_root_key {
        config.root_key = Some(public_key_from_hex(hex).map_err(|e| SessionError::RootKey {
            message: e.to_string(),
        })?);
    }
    if let Some(text) = &settings.plugin_trust_list {
        match TrustList::from_json(text) {
            Ok(list) => config.trust_list = Some(list),
            Err(e) => config
                .warnings
                .push(format!("存储的信任列表无法读取，未使用：{e}")),
        }
    }
    config.developer_mode = settings.plugin_developer_mode;
    config.code_cache = code_cache_key_path().map(|key_file| CodeCache {
        dir: DataDir::new(data_dir).plugin_cache(),
        key_file,
    });
    Ok(config)
}

/// Moves a wave-1 root key / trust list file into the store when the store has none. A
/// trust list the stored root key does not verify was never in force: it is not taken (the
/// file is renamed `*.unused`, and the log says why).
fn migrate_legacy_trust(store: &Store, actor: &str) -> Result<(), SessionError> {
    // Only a database that came up from wave 1 looks, and only once: on any other desk a
    // `root.pub` dropped into the plugins folder is never read.
    if !store.legacy_trust_pending()? {
        return Ok(());
    }
    moved_legacy_trust(store, actor)?;
    Ok(store.legacy_trust_done()?)
}

fn moved_legacy_trust(store: &Store, actor: &str) -> Result<(), SessionError> {
    let data_dir = store.root();
    let legacy_error = |path: &Path, message: String| SessionError::Legacy {
        path: path.to_path_buf(),
        message,
    };
    let set_aside = |path: &Path, suffix: &str| -> Result<(), SessionError> {
        let mut to = path.as_os_str().to_owned();
        to.push(suffix);
        std::fs::rename(path, &to).map_err(|e| legacy_error(path, e.to_string()))
    };
    let read = |path: &Path| match anwei_plugin_host::read_regular(path, 1 << 20) {
        Ok(Some(bytes)) => String::from_utf8(bytes)
            .map(|t| Some(t.trim_start_matches('\u{feff}').trim().to_owned()))
            .map_err(|_| legacy_error(path, "不是 UTF-8 文本".to_owned())),
        Ok(None) => Ok(None),
        Err(e) => Err(legacy_error(path, e.to_string())),
    };

    let key_path = legacy_root_key_path(data_dir);
    if let Some(text) = read(&key_path)? {
        if store.settings()?.plugin_root_key.is_none() {
            let hex = text.to_ascii_lowercase();
            public_key_from_hex(&hex).map_err(|e| legacy_error(&key_path, e.to_string()))?;
            store.apply(&Command::SetPluginRootKey { key: Some(hex) }, actor)?;
        }
        set_aside(&key_path, ".migrated")?;
    }
    let list_path = legacy_trust_list_path(data_dir);
    if let Some(text) = read(&list_path)? {
        let settings = store.settings()?;
        if settings.plugin_trust_list.is_some() {
            return set_aside(&list_path, ".migrated");
        }
        let root = settings
            .plugin_root_key
            .as_deref()
            .and_then(|k| public_key_from_hex(k).ok());
        let verified = root.as_ref().map(|root| {
            TrustList::from_json(&text).and_then(|list| list.verify(root).map(|()| list))
        });
        match verified {
            Some(Ok(_)) => {
                store.apply(&Command::SetPluginTrustList { list: Some(text) }, actor)?;
                set_aside(&list_path, ".migrated")?;
            }
            Some(Err(e)) => {
                record_note(
                    store,
                    actor,
                    format!(
                        "旧信任列表 {} 未迁入（{e}），已改名为 .unused",
                        list_path.display()
                    ),
                )?;
                set_aside(&list_path, ".unused")?;
            }
            None => {
                record_note(
                    store,
                    actor,
                    format!(
                        "旧信任列表 {} 未迁入：没有安委办根公钥可以校验它，已改名为 .unused",
                        list_path.display()
                    ),
                )?;
                set_aside(&list_path, ".unused")?;
            }
        }
    }
    Ok(())
}

/// A note in the audit trail about the root of trust (nothing changed, something to know).
fn record_note(store: &Store, actor: &str, message: String) -> Result<(), SessionError> {
    store.apply(
        &Command::RecordPluginEvent {
            sector: "trust".to_owned(),
            event: PluginEvent::Refused,
            version: String::new(),
            message,
        },
        actor,
    )?;
    Ok(())
}

/// Sets (or, with `None`, removes) the office's root key, audited. A stored trust list
/// that the new key does not verify is removed with it (audited), and said so.
pub fn set_root_key(
    store: &Store,
    key_hex: Option<&str>,
    actor: &str,
) -> Result<Vec<String>, SessionError> {
    let key = match key_hex {
        Some(text) => {
            let hex = text
                .trim()
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase();
            Some((
                public_key_from_hex(&hex).map_err(|e| SessionError::RootKey {
                    message: e.to_string(),
                })?,
                hex,
            ))
        }
        None => None,
    };
    let mut done = vec![
        store
            .apply(
                &Command::SetPluginRootKey {
                    key: key.as_ref().map(|(_, h)| h.clone()),
                },
                actor,
            )?
            .summary,
    ];
    if let Some(text) = store.settings()?.plugin_trust_list {
        let still_valid = key.as_ref().is_some_and(|(k, _)| {
            TrustList::from_json(&text).is_ok_and(|list| list.verify(k).is_ok())
        });
        if !still_valid {
            store.apply(&Command::SetPluginTrustList { list: None }, actor)?;
            done.push(
                "原信任列表不是用新的根密钥签发的，已移除；请安装用新根密钥签发的信任列表"
                    .to_owned(),
            );
        }
    }
    Ok(done)
}

/// Installs a signed trust list (its JSON text): verified with the store's root key, then
/// kept in the store, audited. Returns the list.
pub fn install_trust_list(
    store: &Store,
    json: &str,
    actor: &str,
) -> Result<TrustList, SessionError> {
    let json = json.trim_start_matches('\u{feff}');
    let root = store
        .settings()?
        .plugin_root_key
        .ok_or(SessionError::NoRootKey)
        .and_then(|hex| {
            public_key_from_hex(&hex).map_err(|e| SessionError::RootKey {
                message: e.to_string(),
            })
        })?;
    let list = TrustList::from_json(json)?;
    list.verify(&root)?;
    store.apply(
        &Command::SetPluginTrustList {
            list: Some(json.to_owned()),
        },
        actor,
    )?;
    Ok(list)
}

/// What [`sync_sector_plans`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// Summaries of the sector plans imported, replaced or removed (any change to the
    /// store's plans: the window reloads its model when this is not empty).
    pub imported: Vec<String>,
    /// Sector plans that could not be imported, with the reason (shown to the user).
    pub errors: Vec<String>,
}

/// The campaign a sector plan belongs to: the one it was imported into (a plugin upgrade
/// stays there); else, of the campaigns whose dates hold the plan's first phase, the newest
/// open one; else the newest open one, else the newest.
fn sector_campaign<'a>(
    campaigns: &'a [anwei_core::Campaign],
    imported_into: Option<&str>,
    first_phase: Option<chrono::NaiveDate>,
) -> Option<&'a anwei_core::Campaign> {
    if let Some(c) = imported_into.and_then(|id| campaigns.iter().find(|c| c.id == id)) {
        return Some(c);
    }
    let newest = |it: &mut dyn Iterator<Item = &'a anwei_core::Campaign>| {
        it.max_by_key(|c| (!c.archived, c.start))
    };
    first_phase
        .and_then(|d| newest(&mut campaigns.iter().filter(|c| c.start <= d && d <= c.end)))
        .or_else(|| newest(&mut campaigns.iter()))
}

/// N of a plan code "附件N" (1–999).
fn attachment_number(code: &str) -> Option<u32> {
    code.trim()
        .strip_prefix("附件")?
        .parse()
        .ok()
        .filter(|n| (1..1000).contains(n))
}

/// The import command for one loaded plugin's sector plan, against the store's current
/// campaign and unit directory.
pub fn sector_import(
    store: &Store,
    host: &PluginHost,
    sector: &str,
) -> Result<SectorPlanImport, SessionError> {
    let loaded = host.plugin(sector)?;
    let description = &loaded.description;
    let campaigns = store.campaigns()?;
    let plans = store.plans()?;
    let first = description
        .plan
        .phases
        .first()
        .and_then(|p| chrono::NaiveDate::parse_from_str(&p.start, "%Y-%m-%d").ok());
    let campaign = sector_campaign(
        &campaigns,
        plans
            .iter()
            .find(|p| p.id == sector)
            .map(|p| p.campaign.as_str()),
        first,
    )
    .ok_or(SessionError::NoCampaign)?;
    // Plans stand in the order of their attachments (附件3 before 附件4 … 附件12), whatever
    // order the plugins load in: "附件N" takes place N when no other plan of the campaign
    // holds it; else the place it had, else the next free one.
    let taken = |n: u32| {
        plans
            .iter()
            .any(|p| p.campaign == campaign.id && p.id != sector && p.order == n)
    };
    let order = attachment_number(&description.plan.code)
        .filter(|n| !taken(*n))
        .or_else(|| plans.iter().find(|p| p.id == sector).map(|p| p.order))
        .unwrap_or_else(|| {
            plans
                .iter()
                .map(|p| p.order)
                .max()
                .unwrap_or(0)
                .saturating_add(1)
        });
    let mut directory = store.unit_directory()?;
    let known: std::collections::HashSet<String> =
        directory.units().iter().map(|u| u.id.clone()).collect();
    let (plan, tasks, targets) = anwei_plugin_host::convert::plan_parts(
        description,
        &campaign.id,
        campaign.start.year(),
        order,
        &mut directory,
    )?;
    let new_units: Vec<Unit> = directory
        .into_units()
        .into_iter()
        .filter(|u| !known.contains(&u.id))
        .collect();
    Ok(SectorPlanImport {
        sector: sector.to_owned(),
        plugin_version: loaded.version().to_owned(),
        plugin_sha256: loaded.hash().to_owned(),
        plan,
        tasks,
        targets,
        new_units,
        hazards: description.hazards.clone(),
    })
}

/// Imports the sector plan of every enabled plugin whose version or code differs from the
/// one the store holds (a new plugin, an upgrade, a removal that brought the built-in back),
/// and removes ([`Command::RemoveSectorPlan`]) the plans of sectors that no loaded plugin
/// provides any more (removed, with no built-in version in their place). A disabled plugin
/// is still loaded: its plan stays. Progress on tasks is kept: task ids are stable across
/// versions, and a removed plan's tasks with progress stay.
pub fn sync_sector_plans(store: &Store, host: &PluginHost, actor: &str) -> SyncReport {
    let mut report = SyncReport::default();
    let plugins = host.list();
    remove_gone_sector_plans(store, host, &plugins, actor, &mut report);
    for info in plugins {
        if !info.enabled {
            continue;
        }
        match store.sector_record(&info.sector_id) {
            Ok(Some(r)) if r.plugin_version == info.version && r.plugin_sha256 == info.sha256 => {
                continue;
            }
            Ok(_) => {}
            Err(e) => {
                report.errors.push(format!("{}：{e}", info.name));
                continue;
            }
        }
        let result = sector_import(store, host, &info.sector_id).and_then(|content| {
            let cmd = Command::ImportSectorPlan {
                content: Box::new(content),
            };
            Ok(store.apply(&cmd, actor)?)
        });
        match result {
            Ok(applied) => report.imported.push(applied.summary),
            Err(e) => {
                tracing::error!("行业方案“{}”未能导入：{e}", info.name);
                report
                    .errors
                    .push(format!("“{}”的行业方案未能导入：{e}", info.name));
            }
        }
    }
    report
}

/// Removes the sector plans the store holds for sectors none of `plugins` provides.
/// Only a sector whose plugin the user removed (the host's state says it was removed and no
/// built-in replaces it) loses its plan; a plugin that merely fails to load (a package
/// refused after a trust-list change, developer mode switched off, a half-synced file) keeps
/// its plan until it loads again.
fn remove_gone_sector_plans(
    store: &Store,
    host: &PluginHost,
    plugins: &[anwei_plugin_host::PluginInfo],
    actor: &str,
    report: &mut SyncReport,
) {
    let records = match store.sector_records() {
        Ok(r) => r,
        Err(e) => {
            report.errors.push(format!("无法读取已导入的行业方案：{e}"));
            return;
        }
    };
    for record in records {
        if plugins.iter().any(|p| p.sector_id == record.sector) || !host.was_removed(&record.sector)
        {
            continue;
        }
        let cmd = Command::RemoveSectorPlan {
            sector: record.sector.clone(),
        };
        match store.apply(&cmd, actor) {
            Ok(applied) => report.imported.push(applied.summary),
            Err(e) => {
                tracing::error!("行业方案“{}”未能移除：{e}", record.sector);
                report.errors.push(format!(
                    "插件 {} 已不存在，但它的行业方案未能移除：{e}",
                    record.sector
                ));
            }
        }
    }
}

/// Moves the host's events (installs, removals, enable/disable, faults, refused files) into
/// the audit trail. Returns how many were recorded.
pub fn record_host_events(
    store: &Store,
    host: &PluginHost,
    actor: &str,
) -> Result<usize, StoreError> {
    record_events(store, host.take_events(), actor)
}

/// Records events already taken from the host (see [`record_host_events`]).
pub fn record_events(
    store: &Store,
    events: Vec<HostEvent>,
    actor: &str,
) -> Result<usize, StoreError> {
    let cmds: Vec<Command> = events
        .into_iter()
        .map(|e| Command::RecordPluginEvent {
            sector: e.sector_id.chars().take(200).collect(),
            event: e.kind,
            version: e.version.chars().take(100).collect(),
            // Bounded: a message may quote what a plugin returned.
            message: e.message.chars().take(2_000).collect(),
        })
        .collect();
    let n = cmds.len();
    if n > 0 {
        store.apply_many(&cmds, actor)?;
    }
    Ok(n)
}

/// Records that installing a package file was refused (the host does not keep a refused
/// install, only refused files in its folder).
pub fn record_refused_install(
    store: &Store,
    file: &Path,
    error: &PluginError,
    actor: &str,
) -> Result<(), StoreError> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string());
    store.apply(
        &Command::RecordPluginEvent {
            sector: name,
            event: PluginEvent::Refused,
            version: String::new(),
            message: error.to_string(),
        },
        actor,
    )?;
    Ok(())
}

/// What a sync leaves the store holding, as one digest: the digest of the host's inputs
/// ([`anwei_plugin_host::inputs_digest`]) and the sector plans the store holds (sector,
/// plugin version and code hash: all [`sync_sector_plans`] compares). `None` while wave-1
/// root-of-trust files are still to be moved (starting the host moves them) or when
/// something cannot be read.
fn sync_stamp(store: &Store, host_inputs: &str) -> Option<String> {
    if store.legacy_trust_pending().ok()? {
        return None;
    }
    let mut records = store.sector_records().ok()?;
    records.sort_by(|a, b| a.sector.cmp(&b.sector));
    let mut bytes = Vec::new();
    let mut field = |b: &[u8]| {
        bytes.extend_from_slice(&(b.len() as u64).to_le_bytes());
        bytes.extend_from_slice(b);
    };
    field(b"anwei-sector-sync/1");
    field(host_inputs.as_bytes());
    for r in &records {
        field(r.sector.as_bytes());
        field(r.plugin_version.as_bytes());
        field(r.plugin_sha256.as_bytes());
    }
    Some(anwei_plugin_host::runtime::sha256_hex(&bytes))
}

/// The digest of the host's inputs as the store's settings say now (`None` when they
/// cannot be read, or the configuration has warnings).
fn host_inputs_now(store: &Store) -> Option<String> {
    anwei_plugin_host::inputs_digest(&settings_host_config(store).ok()?).ok()
}

/// Whether the store holds the sector plans that starting the plugins would bring: the
/// last sync that ended without a problem saw the host's inputs as they are now
/// (built-ins, package files, plugin state, root of trust, developer mode, this program)
/// and left the store holding the sector plans it holds now. Then opening the host and
/// syncing would write nothing, and a command that only reads the plans (printing) can
/// skip it. Anything unreadable, changed or never synced: `false`.
pub fn sector_plans_current(store: &Store) -> bool {
    let stamp_file = DataDir::new(store.root()).plugin_sync_stamp();
    let Ok(Some(kept)) = anwei_plugin_host::read_regular(&stamp_file, 1024) else {
        return false;
    };
    host_inputs_now(store)
        .and_then(|inputs| sync_stamp(store, &inputs))
        .is_some_and(|now| now.as_bytes() == kept.as_slice())
}

/// After a sync without problems by a host opened on inputs with digest `opened_with`:
/// records [`sync_stamp`] for [`sector_plans_current`] when the inputs are still those
/// (a package dropped in meanwhile is not what the host loaded). Returns why not, when it
/// could not be written.
fn note_synced(store: &Store, opened_with: &str) -> Result<(), String> {
    if host_inputs_now(store).as_deref() != Some(opened_with) {
        return Ok(());
    }
    let Some(stamp) = sync_stamp(store, opened_with) else {
        return Ok(());
    };
    anwei_files::write_atomic(
        &DataDir::new(store.root()).plugin_sync_stamp(),
        stamp.as_bytes(),
    )
    .map_err(|e| e.to_string())
}

/// Adds the 演示数据 of the demo campaigns present (progress entries, the quarterly 季报 and
/// its submissions, each marked), saying what was added; refused while demo rows are there.
pub fn load_demo_activity(store: &Store, actor: &str) -> Result<String, SessionError> {
    let marks = store.settings()?.demo_data;
    if !marks.is_empty() {
        return Err(StoreError::Invalid(format!(
            "已有演示数据（{}），先移除再载入",
            marks.summary()
        ))
        .into());
    }
    let scopes = demo_scopes(store)?;
    if scopes.is_empty() {
        return Err(StoreError::Invalid(
            "数据目录中没有示例活动，无法载入演示数据（先运行 `anwei init --demo`）".to_owned(),
        )
        .into());
    }
    let data = anwei_exchange::demo_activity(&scopes, &store.unit_directory()?);
    let applied = store.apply(
        &Command::AddDemoData {
            data: Box::new(data),
        },
        actor,
    )?;
    Ok(format!(
        "已{}（标有“{}”，可一键移除）",
        applied.summary,
        anwei_core::demo::DEMO_MARK
    ))
}

/// The demo campaigns in the store, with their plans and tasks.
fn demo_scopes(store: &Store) -> Result<Vec<anwei_core::CampaignScope>, SessionError> {
    let mut demo_ids = vec![anwei_exchange::REFORM_CAMPAIGN_ID.to_owned()];
    if let Ok(c) = anwei_exchange::demo_campaign() {
        demo_ids.push(c.campaign.id);
    }
    let plans = store.plans()?;
    let tasks = store.tasks()?;
    Ok(store
        .campaigns()?
        .into_iter()
        .filter(|c| demo_ids.contains(&c.id))
        .map(|c| anwei_core::CampaignScope::new(c, plans.clone(), tasks.clone()))
        .collect())
}

/// When the desk holds 演示数据: demo progress for the demo campaigns' tasks that have none
/// yet (the sector plans, which the plugins import after the demo was added). Says what was
/// added; `None` when there is no demo or nothing to add.
pub fn extend_demo_activity(store: &Store, actor: &str) -> Result<Option<String>, SessionError> {
    let marks = store.settings()?.demo_data;
    if marks.is_empty() {
        return Ok(None);
    }
    let scopes = demo_scopes(store)?;
    let mut data = anwei_exchange::demo_activity(&scopes, &store.unit_directory()?);
    data.entries
        .retain(|e| !marks.progress.iter().any(|r| r.task == e.task));
    if data.entries.is_empty() {
        return Ok(None);
    }
    let entries = data.entries.len();
    let more = anwei_core::demo::DemoData {
        entries: data.entries,
        ..Default::default()
    };
    store.apply(
        &Command::AddDemoData {
            data: Box::new(more),
        },
        actor,
    )?;
    Ok(Some(format!(
        "行业方案已导入：演示数据增加 {entries} 条进展（标有“{}”）",
        anwei_core::demo::DEMO_MARK
    )))
}

/// Imports those of `campaigns` that are not there yet (the demo's: 麒麟区 2020–2022, and
/// 商洛市's reform task division of seed 004), saying for each what was done.
pub fn import_campaigns(
    store: &Store,
    campaigns: Vec<CampaignData>,
    actor: &str,
) -> Result<Vec<String>, SessionError> {
    let mut lines = Vec::new();
    for data in campaigns {
        // A data folder made by an earlier version holds seed 004's table inside the 麒麟区
        // campaign: it is left as it is, and said.
        if let Some(p) = data
            .plans
            .iter()
            .find_map(|p| store.plan(&p.id).transpose())
            .transpose()?
            && p.campaign != data.campaign.id
        {
            lines.push(format!(
                "活动“{}”未载入：方案“{}”已在活动 {} 中（旧版示例的数据目录）",
                data.campaign.name, p.title, p.campaign
            ));
            continue;
        }
        let line = match store.import_campaign(&data, actor)? {
            ImportOutcome::Imported {
                plans,
                tasks,
                units,
            } => {
                let targets = if data.targets.is_empty() {
                    String::new()
                } else {
                    format!("{} 项专题指标、", data.targets.len())
                };
                format!(
                    "已载入示例活动“{}”（{}，{}）：{plans} 个方案、{tasks} 项任务、{targets}{units} 个单位",
                    data.campaign.name,
                    data.campaign.region,
                    data.campaign.years_text()
                )
            }
            ImportOutcome::AlreadyPresent => {
                format!("示例活动“{}”已存在，未做改动", data.campaign.name)
            }
        };
        lines.push(line);
    }
    Ok(lines)
}

#[cfg(test)]
mod sector_campaign_tests {
    #![allow(clippy::unwrap_used)]
    use super::sector_campaign;
    use anwei_core::Campaign;

    fn c(id: &str, start: &str, end: &str, archived: bool) -> Campaign {
        serde_json::from_value(serde_json::json!({
            "id": id, "name": id, "start": start, "end": end, "archived": archived,
        }))
        .unwrap()
    }

    /// 商洛市's 2018–2020 campaign also holds 2020-05-01: a 2020 sector plan goes to the newest
    /// campaign whose dates hold it, and stays where it was imported.
    #[test]
    fn a_sector_plan_goes_to_the_newest_campaign_that_holds_its_start_and_stays_there() {
        let all = [
            c("qilin-2020", "2020-04-01", "2022-12-31", false),
            c("shangluo-2018", "2018-01-01", "2020-12-31", false),
            c("qilin-2024", "2024-01-01", "2026-12-31", false),
        ];
        let day = |s: &str| Some(s.parse().unwrap());
        let id = |x: Option<&Campaign>| x.map(|c| c.id.clone());
        assert_eq!(
            id(sector_campaign(&all, None, day("2020-05-01"))),
            Some("qilin-2020".into())
        );
        assert_eq!(
            id(sector_campaign(
                &all,
                Some("shangluo-2018"),
                day("2020-05-01")
            )),
            Some("shangluo-2018".into())
        );
        assert_eq!(
            id(sector_campaign(&all, None, day("2019-05-01"))),
            Some("shangluo-2018".into())
        );
        assert_eq!(
            id(sector_campaign(&all, None, None)),
            Some("qilin-2024".into())
        );
    }
}
