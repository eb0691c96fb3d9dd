//! `PluginHost`: loads built-in and installed plugins, installs/removes/enables/disables
//! them, runs their functions with limits, counts faults and disables a plugin after
//! [`FAULTS_TO_DISABLE`] faults in [`FAULT_WINDOW`].

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use anwei_core::campaign::CampaignData;
use anwei_core::form::FieldIssue;
use anwei_core::{Classification, FormRecord, PluginEvent, TargetValue};
use anwei_files::DataDir;
use chrono::Utc;
use ed25519_dalek::VerifyingKey;

use crate::check;
use crate::description::Description;
use crate::error::{Check, FaultKind, PluginError, Result};
use crate::package::{self, Manifest, PACKAGE_EXT, Package, Trust, TrustList};
use crate::runtime::{CodeCache, Compiled, Runtime};
use crate::state::{FaultRecord, MAX_FAULT_LOG, StateFile};
use crate::wit::API_MAJOR;

/// Faults in [`FAULT_WINDOW`] that disable a plugin.
pub const FAULTS_TO_DISABLE: usize = 3;
pub const FAULT_WINDOW: Duration = Duration::from_secs(600);

/// How the host is opened.
#[derive(Debug, Clone)]
pub struct HostConfig {
    /// The desk's data folder; plugins live in `<data_dir>/plugins/`.
    pub data_dir: PathBuf,
    /// The office's root public key, which signs the trust list. Without it no signed
    /// package can be accepted (only built-ins, and unsigned ones in developer mode).
    pub root_key: Option<VerifyingKey>,
    /// The office's trust list (kept in the desk's store; verified with `root_key` when the
    /// host opens — one that does not verify is not used).
    pub trust_list: Option<TrustList>,
    /// Where compiled code may be cached, and the per-user key authenticating it
    /// (`None`: every plugin is compiled when the host opens).
    pub code_cache: Option<CodeCache>,
    /// Accept unsigned or untrusted packages (flagged [`Trust::Developer`]).
    pub developer_mode: bool,
    /// Load the built-in plugins compiled into the desk.
    pub builtins: bool,
    /// Compile the built-ins opened from their description snapshots on a thread of their
    /// own as soon as the host is open (the desk); otherwise each is compiled at its first
    /// call.
    pub background_compile: bool,
    /// Problems found while making this configuration (an unreadable stored trust list …),
    /// shown with the host's banners.
    pub warnings: Vec<String>,
}

impl HostConfig {
    pub fn new(data_dir: impl Into<PathBuf>) -> HostConfig {
        HostConfig {
            data_dir: data_dir.into(),
            root_key: None,
            trust_list: None,
            code_cache: None,
            developer_mode: false,
            builtins: true,
            background_compile: false,
            warnings: Vec::new(),
        }
    }
}

/// Options of an install.
#[derive(Debug, Clone, Copy, Default)]
pub struct InstallOptions {
    /// Allow installing a lower version than the one in use (administrator's choice).
    pub allow_downgrade: bool,
}

/// Where a loaded plugin comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    BuiltIn,
    Installed(PathBuf),
}

/// A loaded plugin.
pub struct Loaded {
    pub description: Description,
    pub source: Source,
    pub trust: Trust,
    code: Code,
    target_ids: HashSet<String>,
    form_fields: HashMap<String, HashSet<String>>,
    /// sha256 of the package file it was loaded from.
    package_hash: Option<String>,
}

impl Loaded {
    pub fn sector_id(&self) -> &str {
        &self.description.identity.sector_id
    }
    pub fn version(&self) -> &str {
        &self.description.identity.version
    }
    pub fn hash(&self) -> &str {
        &self.code.hash
    }

    /// The plugin's compiled code: compiled now if it was opened from its description
    /// snapshot and is not yet (another caller compiling it is waited for).
    fn compiled(&self, runtime: &Runtime) -> Result<&Compiled> {
        self.code
            .compiled
            .get_or_init(|| match self.code.component {
                Some(bytes) => compile_snapshotted(runtime, &self.description, bytes),
                None => Err("程序错误：插件代码未编译".to_owned()),
            })
            .as_ref()
            .map_err(|m| PluginError::Engine(m.clone()))
    }

    /// Whether the code is compiled (or failed to): a plugin opened from its snapshot is
    /// not until its first call or the background compile.
    pub fn is_compiled(&self) -> bool {
        self.code.compiled.get().is_some()
    }
}

/// A plugin's code: compiled when loaded, or — a built-in opened from the description it
/// was built with (`anwei_builtin_plugins::description`) — compiled at its first call or
/// in the background, so that the desk opens without waiting for the compiler.
struct Code {
    /// sha256 of the component bytes (hex), known before compiling: the values kept for a
    /// register name the code they were computed with.
    hash: String,
    /// The compiled code, or why it could not be compiled.
    compiled: OnceLock<std::result::Result<Compiled, String>>,
    /// The component, for a plugin opened from its snapshot.
    component: Option<&'static [u8]>,
}

impl Code {
    fn compiled(c: Compiled) -> Code {
        Code {
            hash: c.hash.clone(),
            compiled: OnceLock::from(Ok(c)),
            component: None,
        }
    }
}

/// A built-in's description snapshot as `anwei_builtin_plugins::DESCRIPTIONS_DIR` holds it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DescriptionSnapshot {
    /// The digest of the plugins' sources the description was taken from
    /// (`anwei_builtin_plugins::SOURCES_SHA256` of the build that took it).
    pub sources_sha256: String,
    pub description: Description,
}

impl DescriptionSnapshot {
    /// The snapshot as its file holds it (pretty JSON, ending in a newline).
    pub fn to_json(&self) -> serde_json::Result<String> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        Ok(text)
    }
}

/// Compiles a built-in opened from its snapshot and checks that its code describes itself
/// as the snapshot said (the snapshot is for the very sources the code was built from, so
/// only a plugin whose `describe` changes from call to call can fail this).
fn compile_snapshotted(
    runtime: &Runtime,
    snapshot: &Description,
    bytes: &[u8],
) -> std::result::Result<Compiled, String> {
    let name = &snapshot.identity.name;
    let compiled = runtime
        .compile(bytes)
        .map_err(|e| format!("内置插件“{name}”无法编译：{e}"))?;
    let described = runtime
        .describe(name, &compiled)
        .map_err(|e| format!("内置插件“{name}”无法描述自身：{e}"))?;
    if described != *snapshot {
        return Err(format!(
            "内置插件“{name}”的代码与随程序提供的说明不符，其校验和计算已停止；请重新安装本程序"
        ));
    }
    Ok(compiled)
}

/// What the UI and CLI show for a plugin.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginInfo {
    pub sector_id: String,
    pub name: String,
    pub short_name: String,
    pub version: String,
    pub api_version: String,
    pub department: String,
    pub built_in: bool,
    pub path: Option<PathBuf>,
    pub trust: Trust,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    /// Faults in the last [`FAULT_WINDOW`].
    pub recent_faults: usize,
    pub sha256: String,
}

/// A banner the UI shows (disabled plugin, developer-mode plugin, refused file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Banner {
    pub sector_id: Option<String>,
    pub message: String,
}

/// Something that happened to a plugin, for the desk's audit trail ([`PluginHost::take_events`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostEvent {
    pub sector_id: String,
    pub version: String,
    pub kind: PluginEvent,
    pub message: String,
}

struct Inner {
    events: Vec<HostEvent>,
    plugins: BTreeMap<String, Arc<Loaded>>,
    builtins: BTreeMap<String, Arc<Loaded>>,
    state: StateFile,
    /// Package files that were refused, with the reason.
    refused: BTreeMap<PathBuf, String>,
    trust: Option<TrustList>,
    /// Problems of the configuration and of the built-ins, for the banners.
    problems: Vec<String>,
}

/// The plugin host. Share it as `Arc<PluginHost>`; every method takes `&self`.
pub struct PluginHost {
    runtime: Runtime,
    config: HostConfig,
    dir: PathBuf,
    inner: Mutex<Inner>,
}

impl Inner {
    fn event(&mut self, sector: &str, kind: PluginEvent, message: String) {
        let version = self
            .plugins
            .get(sector)
            .map(|l| l.version().to_owned())
            .unwrap_or_default();
        self.events.push(HostEvent {
            sector_id: sector.to_owned(),
            version,
            kind,
            message,
        });
    }
}

fn version(v: &str) -> semver::Version {
    crate::state::parse_version(v)
}

impl PluginHost {
    /// Opens the host: creates `plugins/`, reads state, checks the trust list, loads built-ins
    /// (compiled code comes from the authenticated cache when warm) and installed packages.
    /// Compiling is slow on a cold cache: call this off the UI thread (the window opens it
    /// as one of its jobs).
    pub fn open(config: HostConfig) -> Result<PluginHost> {
        let data = DataDir::new(&config.data_dir);
        let dir = data.plugins();
        std::fs::create_dir_all(&dir).map_err(|e| PluginError::io(&dir, e))?;
        let runtime = Runtime::new(config.code_cache.clone())?;
        let state = StateFile::load(&data.plugin_state())?;
        let host = PluginHost {
            runtime,
            dir,
            inner: Mutex::new(Inner {
                events: Vec::new(),
                plugins: BTreeMap::new(),
                builtins: BTreeMap::new(),
                state,
                refused: BTreeMap::new(),
                trust: None,
                problems: config.warnings.clone(),
            }),
            config,
        };
        host.reload_trust();
        if host.config.builtins {
            let mut later = Vec::new();
            for (name, bytes) in anwei_builtin_plugins::builtins() {
                if let Some(loaded) = host.load_snapshotted(name, bytes) {
                    let loaded = Arc::new(loaded);
                    later.push(loaded.clone());
                    let mut inner = host.lock();
                    inner
                        .builtins
                        .insert(loaded.sector_id().to_owned(), loaded.clone());
                    inner.plugins.insert(loaded.sector_id().to_owned(), loaded);
                    continue;
                }
                match host.load_component(name, bytes).and_then(|(c, d)| {
                    // A built-in describes itself under its own name; anything else is not
                    // the code the desk was built with.
                    if d.identity.sector_id == *name {
                        Ok((c, d))
                    } else {
                        Err(PluginError::refused(
                            Check::Identity,
                            format!(
                                "内置插件 {name} 的代码自称“{}”，与内置名称不符",
                                d.identity.sector_id
                            ),
                        ))
                    }
                }) {
                    Ok((compiled, description)) => {
                        let loaded = Arc::new(make_loaded(
                            description,
                            Source::BuiltIn,
                            Trust::BuiltIn,
                            Code::compiled(compiled),
                        ));
                        let mut inner = host.lock();
                        inner
                            .builtins
                            .insert(loaded.sector_id().to_owned(), loaded.clone());
                        inner.plugins.insert(loaded.sector_id().to_owned(), loaded);
                    }
                    Err(e) => {
                        tracing::error!("内置插件 {name} 无法加载：{e}");
                        host.lock()
                            .problems
                            .push(format!("内置插件 {name} 无法加载：{e}"));
                    }
                }
            }
            if host.config.background_compile && !later.is_empty() {
                let runtime = host.runtime.clone();
                let spawned = std::thread::Builder::new()
                    .name("anwei-plugin-compile".to_owned())
                    .spawn(move || {
                        for l in later {
                            if let Err(e) = l.compiled(&runtime) {
                                tracing::error!("{e}");
                            }
                        }
                    });
                if let Err(e) = spawned {
                    // Each built-in is then compiled at its first call.
                    tracing::warn!("无法在后台编译内置插件：{e}");
                }
            }
        }
        host.rescan()?;
        Ok(host)
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The plugins folder.
    pub fn plugins_dir(&self) -> &Path {
        &self.dir
    }

    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// Events since the last call (installs, removals, faults, refused files …), oldest
    /// first. The desk records them in its audit trail.
    pub fn take_events(&self) -> Vec<HostEvent> {
        std::mem::take(&mut self.lock().events)
    }

    fn state_path(&self) -> PathBuf {
        DataDir::new(&self.config.data_dir).plugin_state()
    }

    fn save_state(&self, inner: &Inner) {
        if let Err(e) = inner.state.save(&self.state_path()) {
            tracing::error!("无法保存插件状态：{e}");
        }
    }

    /// Takes the configured trust list when it verifies with the root key.
    fn reload_trust(&self) {
        let trust = match (&self.config.root_key, &self.config.trust_list) {
            (Some(root), Some(list)) => match list.verify(root) {
                Ok(()) => Some(list.clone()),
                Err(e) => {
                    tracing::error!("信任列表无效：{e}");
                    self.lock().problems.push(format!(
                        "信任列表未通过安委办根公钥校验，未使用（{e}）：签名插件包不会被接受，请重新安装信任列表"
                    ));
                    None
                }
            },
            _ => None,
        };
        self.lock().trust = trust;
    }

    /// Uses a signed trust list from now on (verified with the root key first). Keeping it is
    /// the caller's business (`anwei_session` stores it, audited).
    pub fn install_trust_list(&self, list: &TrustList) -> Result<()> {
        let root = self
            .config
            .root_key
            .as_ref()
            .ok_or_else(|| PluginError::Trust("没有配置安委办根公钥".into()))?;
        list.verify(root)?;
        self.lock().trust = Some(list.clone());
        Ok(())
    }

    /// Built-in `name` opened from the description snapshot it was built with, its code
    /// left to compile later; `None` (compile it now) without a snapshot for the sources
    /// this build was made from.
    fn load_snapshotted(&self, name: &str, bytes: &'static [u8]) -> Option<Loaded> {
        let text = anwei_builtin_plugins::description(name)?;
        let snapshot = match serde_json::from_str::<DescriptionSnapshot>(text) {
            Ok(s) if s.sources_sha256 == anwei_builtin_plugins::SOURCES_SHA256 => s,
            Ok(_) => {
                tracing::info!("内置插件 {name} 的说明快照不是为本次构建的源码所写，启动时编译");
                return None;
            }
            Err(e) => {
                tracing::warn!("内置插件 {name} 的说明快照无法读取（{e}），启动时编译");
                return None;
            }
        };
        let d = snapshot.description;
        if d.identity.sector_id != name || self.accept_description(&d).is_err() {
            tracing::warn!("内置插件 {name} 的说明快照未通过检查，启动时编译");
            return None;
        }
        let code = Code {
            hash: crate::runtime::sha256_hex(bytes),
            compiled: OnceLock::new(),
            component: Some(bytes),
        };
        Some(make_loaded(d, Source::BuiltIn, Trust::BuiltIn, code))
    }

    /// Checks a description's API version and content.
    fn accept_description(&self, description: &Description) -> Result<()> {
        let api = semver::Version::parse(&description.identity.api_version).map_err(|_| {
            PluginError::refused(
                Check::ApiVersion,
                format!("接口版本“{}”不合规", description.identity.api_version),
            )
        })?;
        if api.major != API_MAJOR {
            return Err(PluginError::refused(
                Check::ApiVersion,
                format!(
                    "插件使用接口版本 {api}，本程序支持 {API_MAJOR}.x（见 plugin-sdk/README.md 兼容表）"
                ),
            ));
        }
        check::description(description).map_err(|m| PluginError::refused(Check::Identity, m))
    }

    /// Compiles a component, describes it and checks the description.
    fn load_component(&self, name: &str, bytes: &[u8]) -> Result<(Compiled, Description)> {
        let compiled = self
            .runtime
            .compile(bytes)
            .map_err(|e| PluginError::refused(Check::Component, e.to_string()))?;
        let description = self
            .runtime
            .describe(name, &compiled)
            .map_err(|e| PluginError::refused(Check::Component, e.to_string()))?;
        self.accept_description(&description)?;
        Ok((compiled, description))
    }

    /// Verifies a package completely (except the version rule) and loads its component.
    fn prepare(&self, bytes: &[u8]) -> Result<(Package, Trust, Compiled, Description)> {
        let pkg = package::read_package(bytes)?;
        let trust = {
            let inner = self.lock();
            package::verify_package(&pkg, inner.trust.as_ref(), self.config.developer_mode)?
        };
        let (compiled, description) =
            self.load_component(&pkg.manifest.sector_id, &pkg.component)?;
        let id = &description.identity;
        let m = &pkg.manifest;
        if id.sector_id != m.sector_id || id.version != m.version || id.api_version != m.api_version
        {
            return Err(PluginError::refused(
                Check::Identity,
                format!(
                    "清单（{} {}，接口 {}）与插件自述（{} {}，接口 {}）不符",
                    m.sector_id, m.version, m.api_version, id.sector_id, id.version, id.api_version
                ),
            ));
        }
        // The import's own conversion, against a scratch unit directory: content that could
        // never be imported is refused now, not at every later import.
        crate::convert::check_importable(&description).map_err(content_refusal)?;
        Ok((pkg, trust, compiled, description))
    }

    fn package_path(&self, sector: &str) -> PathBuf {
        self.dir.join(format!("{sector}.{PACKAGE_EXT}"))
    }

    /// Installs a package file's bytes: every check, then the file is written atomically to
    /// `plugins/<sector>.anwpkg` and loaded.
    pub fn install_bytes(&self, bytes: &[u8], opts: InstallOptions) -> Result<PluginInfo> {
        let (_pkg, trust, compiled, description) = self.prepare(bytes)?;
        let sector = description.identity.sector_id.clone();
        self.check_version(&sector, &description.identity.version, opts)?;
        let path = self.package_path(&sector);
        anwei_files::AtomicWrite::new(&path)
            .create_folder()
            .write(bytes)?;
        let mut loaded = make_loaded(
            description,
            Source::Installed(path.clone()),
            trust,
            Code::compiled(compiled),
        );
        loaded.package_hash = Some(crate::runtime::sha256_hex(bytes));
        self.activate(loaded, Some(&path), true);
        self.info(&sector)
    }

    /// Installs a package from a file.
    pub fn install_file(&self, path: &Path, opts: InstallOptions) -> Result<PluginInfo> {
        let meta = std::fs::metadata(path).map_err(|e| PluginError::io(path, e))?;
        if meta.len() > package::MAX_PACKAGE_BYTES {
            return Err(PluginError::refused(
                Check::Size,
                format!("插件包 {} 字节，超过上限", meta.len()),
            ));
        }
        let bytes = package::read_bounded(path).map_err(|e| PluginError::io(path, e))?;
        self.install_bytes(&bytes, opts)
    }

    /// Refuses a version lower than the one installed, or than the highest ever installed
    /// for the sector (kept across removals: remove-then-install-older is a downgrade too),
    /// unless the administrator allows downgrades.
    fn check_version(&self, sector: &str, new: &str, opts: InstallOptions) -> Result<()> {
        if opts.allow_downgrade {
            return Ok(());
        }
        let inner = self.lock();
        let current = inner
            .plugins
            .get(sector)
            .filter(|l| l.source != Source::BuiltIn)
            .map(|l| l.version().to_owned())
            .or_else(|| {
                inner
                    .state
                    .plugins
                    .get(sector)
                    .and_then(|s| s.installed_version.clone())
            });
        if let Some(cur) = current
            && version(new) < version(&cur)
        {
            return Err(PluginError::refused(
                Check::Downgrade,
                format!("已安装 {sector} {cur}，不能降级到 {new}（需管理员明确允许降级）"),
            ));
        }
        if let Some(highest) = inner.state.plugins.get(sector).and_then(|s| s.highest())
            && version(new) < version(highest)
        {
            return Err(PluginError::refused(
                Check::Downgrade,
                format!(
                    "本机曾安装 {sector} {highest}，不能降级到 {new}（移除后再安装旧版本也是降级，需管理员明确允许降级）"
                ),
            ));
        }
        Ok(())
    }

    /// Puts a loaded plugin into use. `explicit`: an install the user asked for (always
    /// recorded); otherwise an event is recorded only when the version differs from the one
    /// the state file remembers (so opening the desk records nothing).
    fn activate(&self, loaded: Loaded, path: Option<&Path>, explicit: bool) {
        let mut inner = self.lock();
        let sector = loaded.sector_id().to_owned();
        let version_text = loaded.version().to_owned();
        if let Some(p) = path {
            inner.refused.remove(p);
        }
        // An installed plugin takes precedence over the built-in one only when newer.
        let builtin_newer = inner
            .builtins
            .get(&sector)
            .is_some_and(|b| version(b.version()) > version(&version_text));
        if !builtin_newer || loaded.source == Source::BuiltIn {
            inner.plugins.insert(sector.clone(), Arc::new(loaded));
        }
        let from = inner.state.entry(&sector).note_installed(&version_text);
        if !explicit && from.as_deref() == Some(version_text.as_str()) {
            return;
        }
        let message = match (&from, path) {
            (Some(old), Some(p)) if *old != version_text => {
                format!("由 {old} 升级到 {version_text}（{}）", p.display())
            }
            (_, Some(p)) => format!("已安装 {version_text}（{}）", p.display()),
            (_, None) => format!("已安装 {version_text}"),
        };
        inner.event(&sector, PluginEvent::Installed, message);
        self.save_state(&inner);
    }

    /// Removes an installed package (the built-in version, if any, comes back).
    pub fn remove(&self, sector: &str) -> Result<()> {
        let path = self.package_path(sector);
        let had_file = path.exists();
        if had_file {
            std::fs::remove_file(&path).map_err(|e| PluginError::io(&path, e))?;
        }
        let mut inner = self.lock();
        let was_installed = inner
            .plugins
            .get(sector)
            .is_some_and(|l| l.source != Source::BuiltIn);
        if !had_file && !was_installed {
            return Err(PluginError::NotFound(sector.to_owned()));
        }
        match inner.builtins.get(sector).cloned() {
            Some(b) => {
                inner.plugins.insert(sector.to_owned(), b);
            }
            None => {
                inner.plugins.remove(sector);
            }
        }
        inner.state.entry(sector).installed_version = None;
        let back = match inner.plugins.get(sector) {
            Some(b) => format!("已移除安装的插件包，恢复内置版本 {}", b.version()),
            None => "已移除插件包".to_owned(),
        };
        inner.event(sector, PluginEvent::Removed, back);
        self.save_state(&inner);
        Ok(())
    }

    /// Whether the user removed this sector's plugin: the state remembers it as installed
    /// once, nothing is installed now, no package file is in its place and no built-in
    /// stands in. A plugin that only failed to load is not removed.
    pub fn was_removed(&self, sector: &str) -> bool {
        let inner = self.lock();
        let forgotten = inner
            .state
            .plugins
            .get(sector)
            .is_some_and(|st| st.installed_version.is_none() && st.highest().is_some());
        forgotten
            && !inner.plugins.contains_key(sector)
            && !inner.builtins.contains_key(sector)
            && !self.package_path(sector).exists()
    }

    /// Enables a plugin (clears the fault window).
    pub fn enable(&self, sector: &str) -> Result<()> {
        let mut inner = self.lock();
        if !inner.plugins.contains_key(sector) {
            return Err(PluginError::NotFound(sector.to_owned()));
        }
        let st = inner.state.entry(sector);
        st.enabled = true;
        st.disabled_reason = None;
        st.faults.clear();
        // Enabled again on purpose: inputs that failed before are tried again.
        st.bad_inputs.clear();
        inner.event(sector, PluginEvent::Enabled, "已启用".to_owned());
        self.save_state(&inner);
        Ok(())
    }

    /// Disables a plugin.
    pub fn disable(&self, sector: &str, reason: &str) -> Result<()> {
        let mut inner = self.lock();
        if !inner.plugins.contains_key(sector) {
            return Err(PluginError::NotFound(sector.to_owned()));
        }
        let st = inner.state.entry(sector);
        st.enabled = false;
        st.disabled_reason = Some(reason.to_owned());
        inner.event(sector, PluginEvent::Disabled, format!("已停用：{reason}"));
        self.save_state(&inner);
        Ok(())
    }

    /// Loads every `*.anwpkg` in the folder that verifies and is not loaded yet. A file that
    /// does not verify (also a half-written one) is not loaded and is listed in
    /// [`PluginHost::refused`]. Returns the sectors (re)loaded.
    pub fn rescan(&self) -> Result<Vec<String>> {
        let mut loaded_now = Vec::new();
        let mut files = package_files(&self.dir)?;
        // Canonical files (`<sector>.anwpkg`) first, then dropped-in ones.
        let canonical = |p: &PathBuf| {
            p.file_stem()
                .is_some_and(|s| check::is_id(&s.to_string_lossy()))
        };
        files.sort_by_key(|p| !canonical(p));
        {
            let mut inner = self.lock();
            inner.refused.retain(|p, _| p.exists());
        }
        for path in files {
            // Bounded: a huge file reads as a prefix that is refused for its size.
            let bytes = match package::read_bounded(&path) {
                Ok(b) => b,
                Err(e) => {
                    let shown = self
                        .lock()
                        .refused
                        .get(&path)
                        .is_some_and(|m| m.starts_with("- "));
                    if !shown {
                        self.refuse(&path, "-", format!("无法读取：{e}"));
                    }
                    continue;
                }
            };
            let hash = crate::runtime::sha256_hex(&bytes);
            let already = {
                let inner = self.lock();
                inner.refused.contains_key(&path)
                    && inner
                        .refused
                        .get(&path)
                        .is_some_and(|m| m.starts_with(&hash))
                    || inner.plugins.values().any(|l| {
                        l.source == Source::Installed(path.clone())
                            && std::fs::metadata(&path).is_ok()
                            && l.loaded_package_hash() == Some(hash.as_str())
                    })
            };
            if already {
                continue;
            }
            match self.prepare(&bytes) {
                Ok((_pkg, trust, compiled, description)) => {
                    let sector = description.identity.sector_id.clone();
                    let target = self.package_path(&sector);
                    let dropped = target != path;
                    // A dropped-in file, or the desk's own file replaced by another version
                    // behind its back: the version rule applies as to any install.
                    let known_version = self
                        .lock()
                        .state
                        .plugins
                        .get(&sector)
                        .and_then(|st| st.installed_version.as_deref())
                        == Some(description.identity.version.as_str());
                    if (dropped || !known_version)
                        && let Err(e) = self.check_version(
                            &sector,
                            &description.identity.version,
                            InstallOptions::default(),
                        )
                    {
                        self.refuse(&path, &hash, e.to_string());
                        continue;
                    }
                    if dropped && let Err(e) = std::fs::rename(&path, &target) {
                        self.refuse(&path, &hash, PluginError::io(&path, e).to_string());
                        continue;
                    }
                    let mut loaded = make_loaded(
                        description,
                        Source::Installed(target.clone()),
                        trust,
                        Code::compiled(compiled),
                    );
                    loaded.package_hash = Some(hash);
                    // A package found where the desk keeps it, at the version it recorded,
                    // is no news; a dropped-in file or another version is an install.
                    self.activate(loaded, Some(&path), dropped);
                    loaded_now.push(sector);
                }
                Err(e) => {
                    tracing::warn!("插件包 {} 未加载：{e}", path.display());
                    self.refuse(&path, &hash, e.to_string());
                }
            }
        }
        Ok(loaded_now)
    }

    fn refuse(&self, path: &Path, hash: &str, message: String) {
        let mut inner = self.lock();
        inner
            .refused
            .insert(path.to_path_buf(), format!("{hash} {message}"));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        inner.events.push(HostEvent {
            sector_id: name.clone(),
            version: String::new(),
            kind: PluginEvent::Refused,
            message: format!("插件包 {name} 未加载：{message}"),
        });
    }

    /// Package files that were refused, with the reason.
    pub fn refused(&self) -> Vec<(PathBuf, String)> {
        self.lock()
            .refused
            .iter()
            .map(|(p, m)| {
                let msg = m.split_once(' ').map(|(_, m)| m).unwrap_or(m);
                (p.clone(), msg.to_owned())
            })
            .collect()
    }

    fn info_of(inner: &Inner, l: &Loaded) -> PluginInfo {
        let st = inner.state.plugins.get(l.sector_id());
        let cutoff = Utc::now() - chrono::Duration::from_std(FAULT_WINDOW).unwrap_or_default();
        let id = &l.description.identity;
        PluginInfo {
            sector_id: id.sector_id.clone(),
            name: id.name.clone(),
            short_name: id.short_name.clone(),
            version: id.version.clone(),
            api_version: id.api_version.clone(),
            department: id.department.clone(),
            built_in: l.source == Source::BuiltIn,
            path: match &l.source {
                Source::Installed(p) => Some(p.clone()),
                Source::BuiltIn => None,
            },
            trust: l.trust.clone(),
            enabled: st.is_none_or(|s| s.enabled),
            disabled_reason: st.and_then(|s| s.disabled_reason.clone()),
            recent_faults: st.map_or(0, |s| s.faults.iter().filter(|f| f.at > cutoff).count()),
            sha256: l.hash().to_owned(),
        }
    }

    /// Every loaded plugin.
    pub fn list(&self) -> Vec<PluginInfo> {
        let inner = self.lock();
        inner
            .plugins
            .values()
            .map(|l| Self::info_of(&inner, l))
            .collect()
    }

    pub fn info(&self, sector: &str) -> Result<PluginInfo> {
        let inner = self.lock();
        let l = inner
            .plugins
            .get(sector)
            .ok_or_else(|| PluginError::NotFound(sector.to_owned()))?;
        Ok(Self::info_of(&inner, l))
    }

    /// Banners for the UI: disabled plugins, developer-mode plugins, refused files.
    pub fn banners(&self) -> Vec<Banner> {
        let mut out = Vec::new();
        for info in self.list() {
            if !info.enabled {
                out.push(Banner {
                    sector_id: Some(info.sector_id.clone()),
                    message: format!(
                        "插件“{}”已停用：{}",
                        info.name,
                        info.disabled_reason.as_deref().unwrap_or("已手动停用")
                    ),
                });
            }
            if let Trust::Developer { reason } = &info.trust {
                out.push(Banner {
                    sector_id: Some(info.sector_id.clone()),
                    message: format!(
                        "插件“{}”未经安委办签名认证（开发者模式）：{reason}",
                        info.name
                    ),
                });
            }
        }
        let failed: Vec<String> = self
            .lock()
            .builtins
            .values()
            .filter_map(|l| l.code.compiled.get()?.as_ref().err().cloned())
            .collect();
        for problem in self.lock().problems.clone().into_iter().chain(failed) {
            out.push(Banner {
                sector_id: None,
                message: problem,
            });
        }
        for (path, msg) in self.refused() {
            out.push(Banner {
                sector_id: None,
                message: format!("插件包 {} 未加载：{msg}", path.display()),
            });
        }
        out
    }

    /// The loaded plugin (enabled or not).
    pub fn plugin(&self, sector: &str) -> Result<Arc<Loaded>> {
        self.lock()
            .plugins
            .get(sector)
            .cloned()
            .ok_or_else(|| PluginError::NotFound(sector.to_owned()))
    }

    fn enabled_plugin(&self, sector: &str) -> Result<Arc<Loaded>> {
        let inner = self.lock();
        let l = inner
            .plugins
            .get(sector)
            .cloned()
            .ok_or_else(|| PluginError::NotFound(sector.to_owned()))?;
        if let Some(st) = inner.state.plugins.get(sector)
            && !st.enabled
        {
            return Err(PluginError::Disabled {
                plugin: l.description.identity.name.clone(),
                reason: st
                    .disabled_reason
                    .clone()
                    .unwrap_or_else(|| "已手动停用".into()),
            });
        }
        Ok(l)
    }

    /// The plugin's description (as loaded; no call into the plugin).
    pub fn describe(&self, sector: &str) -> Result<Description> {
        Ok(self.plugin(sector)?.description.clone())
    }

    fn fault(&self, sector: &str, e: PluginError) -> PluginError {
        let kind = match &e {
            // A plugin has no way to take wall-clock time without CPU time (no imports, no
            // sleep): a busy machine is not the plugin's fault and does not count.
            PluginError::Fault {
                kind: FaultKind::Overloaded,
                ..
            } => return e,
            PluginError::Fault { kind, .. } => *kind,
            _ => return e,
        };
        let mut inner = self.lock();
        let now = Utc::now();
        let cutoff = now - chrono::Duration::from_std(FAULT_WINDOW).unwrap_or_default();
        let st = inner.state.entry(sector);
        st.faults.push(FaultRecord {
            at: now,
            kind,
            message: e.to_string(),
        });
        if st.faults.len() > MAX_FAULT_LOG {
            let excess = st.faults.len() - MAX_FAULT_LOG;
            st.faults.drain(..excess);
        }
        let recent = st.faults.iter().filter(|f| f.at > cutoff).count();
        let mut disabled = None;
        if recent >= FAULTS_TO_DISABLE && st.enabled {
            st.enabled = false;
            let reason = format!(
                "{} 分钟内出错 {recent} 次，已自动停用（最近一次：{e}）",
                FAULT_WINDOW.as_secs() / 60
            );
            st.disabled_reason = Some(reason.clone());
            disabled = Some(reason);
            tracing::error!("插件 {sector} 已自动停用");
        }
        inner.event(sector, PluginEvent::Fault, e.to_string());
        if let Some(reason) = disabled {
            inner.event(sector, PluginEvent::Disabled, reason);
        }
        self.save_state(&inner);
        e
    }

    fn malformed(&self, l: &Loaded, message: String) -> PluginError {
        self.fault(
            l.sector_id(),
            PluginError::Fault {
                plugin: l.description.identity.name.clone(),
                kind: FaultKind::Malformed,
                message,
            },
        )
    }

    /// Field-level issues of one record (≤ 200 ms). A record not stored yet has id 0.
    pub fn validate(
        &self,
        sector: &str,
        form: &str,
        record: &FormRecord,
        today: &str,
    ) -> Result<Vec<FieldIssue>> {
        let l = self.enabled_plugin(sector)?;
        let name = l.description.identity.name.clone();
        let issues = self
            .runtime
            .validate(&name, l.compiled(&self.runtime)?, form, record, today)
            .map_err(|e| self.fault(sector, e))?;
        check::issues(&issues, l.form_fields.get(form)).map_err(|m| self.malformed(&l, m))?;
        Ok(issues)
    }

    /// Target values from a batch of records (≤ 10 s); the caller chooses which records
    /// count. Blocking: call it off the UI thread (the window runs it as a job).
    pub fn compute<R: Borrow<FormRecord>>(
        &self,
        sector: &str,
        form: &str,
        records: &[R],
        as_of: &str,
    ) -> Result<Vec<TargetValue>> {
        let l = self.enabled_plugin(sector)?;
        let name = l.description.identity.name.clone();
        let batch = self
            .runtime
            .batch(&name, l.compiled(&self.runtime)?, form, records)?;
        self.compute_prepared(&l, sector, form, batch, as_of)
    }

    /// An empty [`RecordFeed`] for `form` of `sector`: push the records that count, one at
    /// a time, then [`PluginHost::compute_feed`]. Only the fields the form's targets read
    /// are kept (a few bytes per record and field), so the records themselves need never be
    /// in memory together.
    pub fn record_feed(&self, sector: &str, form: &str) -> Result<RecordFeed> {
        let l = self.enabled_plugin(sector)?;
        let name = l.description.identity.name.clone();
        let feed = self.runtime.feed(&name, l.compiled(&self.runtime)?, form)?;
        Ok(RecordFeed {
            sector: sector.to_owned(),
            form: form.to_owned(),
            code: l.hash().to_owned(),
            feed,
            summaries: Vec::new(),
            summarized: 0,
            mode: FeedMode::Undecided,
        })
    }

    /// The enabled plugin `feed` was made for; an error if it was replaced since.
    fn feed_plugin(&self, feed: &RecordFeed) -> Result<Arc<Loaded>> {
        let l = self.enabled_plugin(&feed.sector)?;
        if l.hash() != feed.code {
            return Err(PluginError::Engine(
                "插件在汇总记录期间已更换，请重新计算".to_owned(),
            ));
        }
        Ok(l)
    }

    /// Target values from the records pushed into `feed` (≤ 10 s per call); as
    /// [`PluginHost::compute`]. A register summarized batch by batch
    /// ([`PluginHost::summarize_feed`]) has its last batch summarized and the summaries
    /// combined by the plugin. Fails if the plugin was replaced since the feed was made.
    pub fn compute_feed(&self, mut feed: RecordFeed, as_of: &str) -> Result<Vec<TargetValue>> {
        let l = self.feed_plugin(&feed)?;
        if feed.mode == FeedMode::Summaries {
            self.flush_feed(&mut feed, as_of)?;
            return self.combine(&l, &feed, as_of);
        }
        let batch = feed.feed.finish()?;
        self.compute_prepared(&l, &feed.sector, &feed.form, batch, as_of)
    }

    /// Whether the plugin computes `feed`'s form batch by batch (API 1.1 `summarize`; asked
    /// once per feed, with no records). From then on the feed is summarized batch by batch
    /// (or kept whole).
    pub fn feed_summarizes(&self, feed: &mut RecordFeed, as_of: &str) -> Result<bool> {
        if feed.mode == FeedMode::Undecided {
            let l = self.feed_plugin(feed)?;
            let name = l.description.identity.name.clone();
            let compiled = l.compiled(&self.runtime)?;
            let summarizes = self.runtime.summarizes(compiled)
                && self
                    .summarize_batch(
                        &l,
                        &feed.form,
                        self.runtime.feed(&name, compiled, &feed.form)?.finish()?,
                        as_of,
                    )?
                    .is_some();
            feed.mode = if summarizes {
                FeedMode::Summaries
            } else {
                FeedMode::Whole
            };
        }
        Ok(feed.mode == FeedMode::Summaries)
    }

    /// Hands the records pushed into `feed` so far to the plugin's `summarize` (API 1.1) and
    /// empties the feed, so that a register is never in memory whole, neither here nor in
    /// the plugin: call it whenever [`RecordFeed::wants_summary`]. A plugin that does not
    /// summarize the form ([`PluginHost::feed_summarizes`]) leaves the feed as it is, and
    /// its `compute` gets the whole register.
    pub fn summarize_feed(&self, feed: &mut RecordFeed, as_of: &str) -> Result<()> {
        if self.feed_summarizes(feed, as_of)? {
            self.flush_feed(feed, as_of)?;
        }
        Ok(())
    }

    /// Summarizes the records pushed since the last batch, if any (a feed summarized batch
    /// by batch; [`RecordFeed::append`] wants its feeds flushed).
    pub fn flush_feed(&self, feed: &mut RecordFeed, as_of: &str) -> Result<()> {
        if feed.mode != FeedMode::Summaries || feed.feed.len() == 0 {
            return Ok(());
        }
        let l = self.feed_plugin(feed)?;
        let batch = feed.feed.take()?;
        let records = batch.len();
        match self.summarize_batch(&l, &feed.form, batch, as_of)? {
            Some(summary) => {
                feed.summaries.push(summary);
                feed.summarized += records;
                Ok(())
            }
            None => Err(self.malformed(
                &l,
                "分批计算中途不再返回汇总（同一表单此前已返回）".to_owned(),
            )),
        }
    }

    /// One `summarize` call, checked: the summary's size; an input that made the plugin
    /// fault before is not tried again.
    fn summarize_batch(
        &self,
        l: &Loaded,
        form: &str,
        batch: crate::wit::Batch,
        as_of: &str,
    ) -> Result<Option<Vec<u8>>> {
        let name = l.description.identity.name.clone();
        let sector = l.sector_id();
        let fingerprint = batch.fingerprint(&format!("{}/{form}/summarize", l.hash()), as_of);
        self.not_failed_before(sector, form, &fingerprint, &name)?;
        let (summary, _peak) = self
            .runtime
            .summarize(&name, l.compiled(&self.runtime)?, form, batch, as_of)
            .map_err(|e| self.computing_fault(sector, form, fingerprint, e))?;
        if let Some(s) = &summary
            && s.len() > MAX_SUMMARY_BYTES
        {
            return Err(self.malformed(
                l,
                format!(
                    "分批汇总过大（{} 字节，上限 {MAX_SUMMARY_BYTES} 字节）",
                    s.len()
                ),
            ));
        }
        Ok(summary)
    }

    /// `combine` over the summaries of `feed`, checked like `compute`'s values.
    fn combine(&self, l: &Loaded, feed: &RecordFeed, as_of: &str) -> Result<Vec<TargetValue>> {
        use sha2::{Digest, Sha256};
        let name = l.description.identity.name.clone();
        let sector = l.sector_id();
        let form = feed.form.as_str();
        let mut h = Sha256::new();
        for part in [
            l.hash().as_bytes(),
            form.as_bytes(),
            b"combine",
            as_of.as_bytes(),
        ]
        .into_iter()
        .chain(feed.summaries.iter().map(Vec::as_slice))
        {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
        let fingerprint = crate::runtime::sha256_hex(&h.finalize());
        self.not_failed_before(sector, form, &fingerprint, &name)?;
        let values = self
            .runtime
            .combine(
                &name,
                l.compiled(&self.runtime)?,
                form,
                &feed.summaries,
                as_of,
            )
            .map_err(|e| self.computing_fault(sector, form, fingerprint, e))?;
        check::target_values(&values, &l.target_ids).map_err(|m| self.malformed(l, m))?;
        Ok(values)
    }

    /// A fault of a computing call: remembered with its input (unless the machine was
    /// busy: a wall-clock stop says nothing about the records) and counted.
    fn computing_fault(
        &self,
        sector: &str,
        form: &str,
        fingerprint: String,
        e: PluginError,
    ) -> PluginError {
        if e.fault_kind().is_some_and(|k| k != FaultKind::Overloaded) {
            self.remember_bad_input(sector, form, fingerprint, &e);
        }
        self.fault(sector, e)
    }

    /// What identifies the code that computes `sector`'s values (the component's sha256):
    /// a value computed by other code is another value.
    pub fn compute_identity(&self, sector: &str) -> Result<String> {
        Ok(self.enabled_plugin(sector)?.hash().to_owned())
    }

    fn compute_prepared(
        &self,
        l: &Loaded,
        sector: &str,
        form: &str,
        batch: crate::wit::Batch,
        as_of: &str,
    ) -> Result<Vec<TargetValue>> {
        let name = l.description.identity.name.clone();
        // The plugin's code is part of the input: an upgrade tries the records again.
        let fingerprint = batch.fingerprint(&format!("{}/{form}", l.hash()), as_of);
        self.not_failed_before(sector, form, &fingerprint, &name)?;
        let (values, _peak) = self
            .runtime
            .compute_batch(&name, l.compiled(&self.runtime)?, form, &batch, as_of)
            .map_err(|e| self.computing_fault(sector, form, fingerprint, e))?;
        check::target_values(&values, &l.target_ids).map_err(|m| self.malformed(l, m))?;
        Ok(values)
    }

    /// An error when a computing call faulted before on the same input (`fingerprint`): it
    /// is not tried again.
    fn not_failed_before(
        &self,
        sector: &str,
        form: &str,
        fingerprint: &str,
        plugin: &str,
    ) -> Result<()> {
        match self.bad_input(sector, form, fingerprint) {
            Some(message) => Err(PluginError::SameInputFailed {
                plugin: plugin.to_owned(),
                message,
            }),
            None => Ok(()),
        }
    }

    /// The message of an earlier fault of `compute` on the same input, if any.
    fn bad_input(&self, sector: &str, form: &str, fingerprint: &str) -> Option<String> {
        let inner = self.lock();
        inner
            .state
            .plugins
            .get(sector)?
            .bad_inputs
            .iter()
            .rev()
            .find(|b| b.form == form && b.fingerprint == fingerprint)
            .map(|b| b.message.clone())
    }

    fn remember_bad_input(&self, sector: &str, form: &str, fingerprint: String, e: &PluginError) {
        let mut inner = self.lock();
        let list = &mut inner.state.entry(sector).bad_inputs;
        list.retain(|b| !(b.form == form && b.fingerprint == fingerprint));
        list.push(crate::state::BadInput {
            form: form.to_owned(),
            fingerprint,
            message: e.to_string(),
            at: Utc::now(),
        });
        if list.len() > crate::state::MAX_BAD_INPUTS {
            let excess = list.len() - crate::state::MAX_BAD_INPUTS;
            list.drain(..excess);
        }
        // Saved with the fault that follows.
    }

    /// Sector classifications of one record (≤ 200 ms).
    pub fn classify(
        &self,
        sector: &str,
        form: &str,
        record: &FormRecord,
        today: &str,
    ) -> Result<Vec<Classification>> {
        let l = self.enabled_plugin(sector)?;
        let name = l.description.identity.name.clone();
        let out = self
            .runtime
            .classify(&name, l.compiled(&self.runtime)?, form, record, today)
            .map_err(|e| self.fault(sector, e))?;
        check::classifications(&out).map_err(|m| self.malformed(&l, m))?;
        Ok(out)
    }

    /// Adds every enabled plugin's sector plan (plan, tasks, targets) to `data`.
    pub fn merge_into(&self, data: &mut CampaignData) -> Result<()> {
        let plugins: Vec<Arc<Loaded>> = {
            let inner = self.lock();
            inner
                .plugins
                .values()
                .filter(|l| {
                    inner
                        .state
                        .plugins
                        .get(l.sector_id())
                        .is_none_or(|s| s.enabled)
                })
                .cloned()
                .collect()
        };
        for l in plugins {
            crate::convert::merge_into(data, &l.description)?;
        }
        Ok(())
    }
}

impl Loaded {
    fn loaded_package_hash(&self) -> Option<&str> {
        self.package_hash.as_deref()
    }
}

/// The package files [`PluginHost::rescan`] reads: `*.anwpkg` in the plugins folder whose
/// name does not start with a dot, sorted.
fn package_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| PluginError::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == PACKAGE_EXT)
                && p.file_name()
                    .is_some_and(|n| !n.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// A digest of everything [`PluginHost::open`] reads to decide which plugins it loads, at
/// which version and whether each is enabled: this program's file (its size and time: the
/// host's own rules), the built-ins compiled into it, the configuration (root key, trust
/// list, developer mode, built-ins on), `plugins/state.json` and the content of every
/// package file of the plugins folder. Compiles and runs nothing (a few milliseconds).
///
/// Equal digests: a host opened at either time loads the same plugins, at the same
/// versions, enabled alike. A configuration with warnings has no digest (the host would
/// have something to say).
pub fn inputs_digest(config: &HostConfig) -> Result<String> {
    use sha2::{Digest, Sha256};
    if !config.warnings.is_empty() {
        return Err(PluginError::State(config.warnings.join("；")));
    }
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(b"anwei-plugin-host-inputs/1");
    field(env!("CARGO_PKG_VERSION").as_bytes());
    field(&API_MAJOR.to_le_bytes());
    let exe = std::env::current_exe().map_err(|e| PluginError::io(Path::new("当前程序"), e))?;
    let meta = std::fs::metadata(&exe).map_err(|e| PluginError::io(&exe, e))?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    field(exe.as_os_str().as_encoded_bytes());
    field(&meta.len().to_le_bytes());
    field(&modified.to_le_bytes());
    field(&[u8::from(config.builtins), u8::from(config.developer_mode)]);
    if config.builtins {
        for (name, bytes) in anwei_builtin_plugins::builtins() {
            field(name.as_bytes());
            field(crate::runtime::sha256_hex(bytes).as_bytes());
        }
    }
    field(
        &config
            .root_key
            .map_or_else(Vec::new, |k| k.to_bytes().to_vec()),
    );
    match &config.trust_list {
        Some(list) => field(list.to_json()?.as_bytes()),
        None => field(b"-"),
    }
    let data = DataDir::new(&config.data_dir);
    let state = crate::fsutil::read_regular(&data.plugin_state(), crate::state::MAX_STATE_BYTES)
        .map_err(|e| PluginError::io(&data.plugin_state(), e))?;
    field(state.as_deref().unwrap_or(b"-"));
    let dir = data.plugins();
    let files = match package_files(&dir) {
        Ok(files) => files,
        // No plugins folder yet: the host would make an empty one.
        Err(_) if !dir.exists() => Vec::new(),
        Err(e) => return Err(e),
    };
    for path in files {
        let bytes = package::read_bounded(&path).map_err(|e| PluginError::io(&path, e))?;
        field(path.as_os_str().as_encoded_bytes());
        field(crate::runtime::sha256_hex(&bytes).as_bytes());
    }
    Ok(crate::runtime::sha256_hex(&h.finalize()))
}

fn make_loaded(description: Description, source: Source, trust: Trust, code: Code) -> Loaded {
    let target_ids = description.targets.iter().map(|t| t.id.clone()).collect();
    let form_fields = description
        .forms
        .iter()
        .map(|f| {
            (
                f.id.clone(),
                f.fields.iter().map(|x| x.name.clone()).collect(),
            )
        })
        .collect();
    Loaded {
        description,
        source,
        trust,
        code,
        target_ids,
        form_fields,
        package_hash: None,
    }
}

/// A conversion error as an install refusal (check [`Check::Content`]).
fn content_refusal(e: PluginError) -> PluginError {
    let message = match e {
        PluginError::Convert(m) => m,
        other => other.to_string(),
    };
    PluginError::refused(
        Check::Content,
        format!("{message}。插件的内容无法导入，请联系发布部门修正后重新发布"),
    )
}

/// Manifest for a component: describes it (in a sandbox, with limits) and fills sector id,
/// version, API version and department. For the CLI's `plugins sign`.
pub fn manifest_for(runtime: &Runtime, component: &[u8]) -> Result<Manifest> {
    let compiled = runtime.compile(component)?;
    let d = runtime.describe("plugin", &compiled)?;
    check::description(&d).map_err(|m| PluginError::refused(Check::Identity, m))?;
    crate::convert::check_importable(&d).map_err(content_refusal)?;
    Ok(Manifest {
        format: 1,
        sector_id: d.identity.sector_id,
        version: d.identity.version,
        api_version: d.identity.api_version,
        department: d.identity.department,
        component_sha256: crate::runtime::sha256_hex(component),
        public_key: None,
    })
}

/// Records per batch of a register computed batch by batch (API 1.1 `summarize`): about
/// 10 bytes per record and input field in the plugin's memory.
pub const SUMMARY_BATCH: usize = 65_536;
/// Largest summary a plugin may return for one batch.
pub const MAX_SUMMARY_BYTES: usize = 256 * 1024;

/// A form's records gathered one at a time for `compute` ([`PluginHost::record_feed`]).
pub struct RecordFeed {
    sector: String,
    form: String,
    /// The plugin code it was made for.
    code: String,
    feed: crate::wit::Feed,
    /// The plugin's summaries of the batches handed over so far.
    summaries: Vec<Vec<u8>>,
    /// Records in those batches.
    summarized: usize,
    mode: FeedMode,
}

/// How a feed's records reach the plugin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FeedMode {
    /// Not asked yet: a register of up to one batch is computed in one call.
    Undecided,
    /// Batch by batch through `summarize`, then `combine`.
    Summaries,
    /// The plugin computes the form only over the whole register.
    Whole,
}

impl RecordFeed {
    /// Whether the records pushed since the last batch make a batch to hand to
    /// [`PluginHost::summarize_feed`] (false once the plugin said it computes the form
    /// only whole).
    pub fn wants_summary(&self) -> bool {
        self.mode != FeedMode::Whole && self.feed.len() >= SUMMARY_BATCH
    }

    /// Adds the records of `next` (the records after this feed's, read elsewhere) to this
    /// feed, as summaries: both feeds summarized batch by batch and flushed
    /// ([`PluginHost::flush_feed`]), for the same form and plugin code.
    pub fn append(&mut self, next: RecordFeed) -> Result<()> {
        if self.mode != FeedMode::Summaries
            || next.mode != FeedMode::Summaries
            || self.feed.len() > 0
            || next.feed.len() > 0
            || self.sector != next.sector
            || self.form != next.form
            || self.code != next.code
        {
            return Err(PluginError::Engine(
                "分批汇总无法合并（程序错误：汇总未完成或来自不同插件）".to_owned(),
            ));
        }
        self.summaries.extend(next.summaries);
        self.summarized += next.summarized;
        Ok(())
    }

    /// Batches summarized so far.
    pub fn batches(&self) -> usize {
        self.summaries.len()
    }

    /// The fields kept: the records need only these decoded.
    pub fn fields(&self) -> &[String] {
        self.feed.fields()
    }

    /// Adds one record (the caller decides that it counts).
    pub fn push(&mut self, record: &FormRecord) {
        self.feed.push(record);
    }

    /// Adds one record given as its values, borrowed (no record is built): fields that are
    /// not [`RecordFeed::fields`] are ignored.
    pub fn push_values<'v>(
        &mut self,
        values: impl Iterator<Item = (&'v str, anwei_core::ValueRef<'v>)>,
    ) {
        self.feed.push_values(values);
    }

    /// Records pushed, summarized or not.
    pub fn len(&self) -> usize {
        self.summarized + self.feed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn record() -> FormRecord {
        FormRecord::new(1, "dust-enterprise", "1", BTreeMap::new())
    }

    /// A built-in whose code does not describe itself as its snapshot says is not run: its
    /// calls fail with the reason, and the banners show it.
    #[test]
    fn a_snapshot_its_code_contradicts_stops_the_plugin_with_a_banner() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = HostConfig::new(dir.path());
        config.builtins = false;
        let host = PluginHost::open(config).unwrap();
        let (name, bytes) = anwei_builtin_plugins::builtins()
            .find(|(n, _)| *n == "dust-explosion")
            .unwrap();
        let mut loaded = host.load_snapshotted(name, bytes).unwrap();
        assert!(!loaded.is_compiled());
        loaded.description.plan.title.push_str("（已改动）");
        let loaded = Arc::new(loaded);
        {
            let mut inner = host.lock();
            inner.builtins.insert(name.to_owned(), loaded.clone());
            inner.plugins.insert(name.to_owned(), loaded.clone());
        }
        assert!(host.banners().is_empty());
        let e = host
            .validate(name, "dust-enterprise", &record(), "2021-06-30")
            .unwrap_err();
        assert!(e.to_string().contains("与随程序提供的说明不符"), "{e}");
        assert!(loaded.is_compiled());
        let banners = host.banners();
        assert_eq!(banners.len(), 1, "{banners:?}");
        assert!(banners[0].message.contains("粉尘"), "{banners:?}");
        // Unchanged, the same snapshot compiles and runs.
        let fresh = host.load_snapshotted(name, bytes).unwrap();
        assert!(fresh.compiled(host.runtime()).is_ok());
    }
}
