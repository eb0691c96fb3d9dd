//! The imperative shell between the store and the plugin host. Neither knows the other:
//! this crate opens the host with the desk's settings, imports each enabled plugin's sector
//! plan into the store (through `Command::ImportSectorPlan`, so it is audited like every
//! change) and moves the host's events (installs, faults, refused files …) into the audit
//! trail. The window (`anwei-ui`) and the CLI (`anwei`) both use it.

pub mod records;
pub mod targets;

use std::path::{Path, PathBuf};

use anwei_core::{Command, PluginEvent, SectorPlanImport, Unit};
use anwei_plugin_host::{HostConfig, HostEvent, PluginError, PluginHost, public_key_from_hex};
use anwei_store::{Settings, Store, StoreError};
use chrono::Datelike;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Plugin(#[from] PluginError),
    #[error("安委办根公钥文件 {path} 无效：{message}")]
    RootKey { path: PathBuf, message: String },
    #[error("没有可导入行业方案的活动（先导入或新建一个三年行动）")]
    NoCampaign,
}

/// Where the office's root public key (hex) lives: `DATA/plugins/root.pub`.
pub fn root_key_path(data_dir: &Path) -> PathBuf {
    data_dir.join("plugins").join("root.pub")
}

/// The plugin host's configuration for a data folder: the root key from
/// [`root_key_path`] when present, developer mode from the store's settings.
pub fn host_config(data_dir: &Path, settings: &Settings) -> Result<HostConfig, SessionError> {
    let mut config = HostConfig::new(data_dir);
    let path = root_key_path(data_dir);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            config.root_key =
                Some(
                    public_key_from_hex(&text).map_err(|e| SessionError::RootKey {
                        path: path.clone(),
                        message: e.to_string(),
                    })?,
                );
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(SessionError::RootKey {
                path,
                message: e.to_string(),
            });
        }
    }
    config.developer_mode = settings.plugin_developer_mode;
    Ok(config)
}

/// What [`sync_sector_plans`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// Summaries of the sector plans imported or replaced.
    pub imported: Vec<String>,
    /// Sector plans that could not be imported, with the reason (shown to the user).
    pub errors: Vec<String>,
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
    // The campaign whose years hold the plan's first phase; else the newest one.
    let first = description
        .plan
        .phases
        .first()
        .and_then(|p| chrono::NaiveDate::parse_from_str(&p.start, "%Y-%m-%d").ok());
    let campaign = first
        .and_then(|d| {
            campaigns
                .iter()
                .find(|c| c.start.year() <= d.year() && d.year() <= c.end.year())
        })
        .or_else(|| campaigns.iter().max_by_key(|c| c.start))
        .ok_or(SessionError::NoCampaign)?;
    let plans = store.plans()?;
    let order = plans
        .iter()
        .find(|p| p.id == sector)
        .map(|p| p.order)
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
    })
}

/// Imports the sector plan of every enabled plugin whose version or code differs from the
/// one the store holds (a new plugin, an upgrade, a removal that brought the built-in back).
/// Progress on tasks is kept: task ids are stable across versions.
pub fn sync_sector_plans(store: &Store, host: &PluginHost, actor: &str) -> SyncReport {
    let mut report = SyncReport::default();
    for info in host.list() {
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
            sector: e.sector_id,
            event: e.kind,
            version: e.version,
            message: e.message,
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
