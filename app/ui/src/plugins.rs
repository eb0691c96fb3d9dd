//! The desk's side of the plugin host: opening it and installs as jobs ([`crate::jobs`]),
//! the folder watch, and after every change: plugin events into the audit trail and the
//! sector plans of enabled plugins into the store (`anwei-session`). Panels see only
//! [`PluginsView`], a snapshot refreshed after each change.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anwei_core::FormDef;
use anwei_plugin_host::{
    Banner, InstallOptions, PluginError, PluginHost, PluginInfo, PluginWatcher, Trust,
};
use anwei_session::{Session, SyncReport};

use crate::jobs::{Job, JobError, Jobs, take_answer};

/// What the plugin page shows of one plugin's contribution.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginContent {
    pub plan_title: String,
    pub tasks: usize,
    /// (name, unit, form id) of each target.
    pub targets: Vec<(String, String, Option<String>)>,
    /// (form id, title, field count).
    pub forms: Vec<(String, String, usize)>,
}

/// A form an enabled plugin contributes (the 台账 tab lists them).
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerForm {
    pub sector: String,
    /// The plugin's name ("煤矿安全专项整治").
    pub sector_name: String,
    pub form: FormDef,
}

/// A read-only snapshot of the plugins for the panels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PluginsView {
    /// The host is still starting (compiling on a cold cache).
    pub starting: bool,
    /// The host could not start (the desk works on without plugins).
    pub error: Option<String>,
    pub plugins: Vec<(PluginInfo, Option<PluginContent>)>,
    pub banners: Vec<Banner>,
    pub developer_mode: bool,
    /// The office's root key is configured (signed packages can be accepted).
    pub root_key: bool,
    pub plugins_dir: PathBuf,
    /// An install running in the background.
    pub installing: Option<PathBuf>,
    /// The user asked to cancel that install.
    pub install_cancelled: bool,
    /// The forms of the enabled plugins, in plugin order.
    pub forms: Vec<LedgerForm>,
}

impl PluginsView {
    /// The plugin of a sector, if loaded.
    pub fn plugin(&self, sector: &str) -> Option<&PluginInfo> {
        self.plugins
            .iter()
            .map(|(i, _)| i)
            .find(|i| i.sector_id == sector)
    }

    /// A form of an enabled plugin by id (`SECTOR/FORM`).
    pub fn form(&self, id: &str) -> Option<&LedgerForm> {
        self.forms.iter().find(|f| f.form.id == id)
    }
}

/// A signer for people: "内置", the department, or the developer-mode reason.
pub fn signer_text(info: &PluginInfo) -> String {
    match &info.trust {
        Trust::BuiltIn => "内置（随程序发布）".to_owned(),
        Trust::Signed { department } => format!("{department}（已签名）"),
        Trust::Developer { .. } => "未签名（开发者模式）".to_owned(),
    }
}

type Install = (PathBuf, Job<Result<PluginInfo, PluginError>>);

/// The plugin host as the desk runs it.
pub(crate) struct PluginsRuntime {
    jobs: Jobs,
    host: Option<Arc<PluginHost>>,
    opening: Option<Job<Result<Arc<PluginHost>, PluginError>>>,
    _watcher: Option<PluginWatcher>,
    /// Set by the watcher's thread when a rescan loaded something.
    dirty: Arc<AtomicBool>,
    install: Option<Install>,
    pub view: PluginsView,
}

/// What a poll found, for the desk to act on.
#[derive(Debug, Default)]
pub(crate) struct PollOutcome {
    /// Sector plans were imported: reload the model.
    pub reload: bool,
    /// Messages for the status line: errors, results of what the user did (installs), and
    /// what happened by itself (sector plans imported).
    pub errors: Vec<String>,
    pub infos: Vec<String>,
    pub imported: Vec<String>,
    /// What the user asked for and nothing was saved (a cancelled install).
    pub notes: Vec<String>,
    /// The plugins changed (loaded, enabled, disabled, upgraded): forms and computed target
    /// values may have changed.
    pub refreshed: bool,
}

impl PluginsRuntime {
    /// Starts opening the host of `session` as a job, configured by the store's settings
    /// ([`Session::host_config`]).
    pub fn start(session: &Session, jobs: &Jobs) -> PluginsRuntime {
        let mut view = PluginsView {
            starting: true,
            plugins_dir: anwei_files::DataDir::new(session.store().root()).plugins(),
            ..Default::default()
        };
        let opening = match session.host_config() {
            Ok(mut config) => {
                // The window opens the built-ins from their description snapshots and has
                // them compiled while the user looks at the desk.
                config.background_compile = true;
                view.developer_mode = config.developer_mode;
                view.root_key = config.root_key.is_some();
                Some(jobs.spawn("anwei-plugins-open", move |_| {
                    Ok(PluginHost::open(config).map(Arc::new))
                }))
            }
            Err(e) => {
                view.developer_mode = session
                    .store()
                    .settings()
                    .is_ok_and(|s| s.plugin_developer_mode);
                view.starting = false;
                view.error = Some(format!("插件未启动：{e}"));
                None
            }
        };
        PluginsRuntime {
            jobs: jobs.clone(),
            host: None,
            opening,
            _watcher: None,
            dirty: Arc::new(AtomicBool::new(false)),
            install: None,
            view,
        }
    }

    pub fn host(&self) -> Option<&Arc<PluginHost>> {
        self.host.as_ref()
    }

    /// Waits for the host to open and for a running install to finish (tests); the next
    /// [`PluginsRuntime::poll`] takes the results.
    pub fn wait(&mut self) {
        if let Some(job) = &mut self.opening {
            job.wait();
        }
        if let Some((_, job)) = &mut self.install {
            job.wait();
        }
    }

    fn finish_open(
        &mut self,
        result: Result<Result<Arc<PluginHost>, PluginError>, JobError>,
        repaint: Option<&egui::Context>,
    ) {
        self.view.starting = false;
        match result {
            Ok(Ok(host)) => {
                let dirty = Arc::clone(&self.dirty);
                let ctx = repaint.cloned();
                match anwei_plugin_host::watch(Arc::clone(&host), move |_| {
                    dirty.store(true, Ordering::SeqCst);
                    if let Some(c) = &ctx {
                        c.request_repaint();
                    }
                }) {
                    Ok(w) => self._watcher = Some(w),
                    Err(e) => {
                        self.view.error =
                            Some(format!("插件目录无法监视（放入的插件包需重启后生效）：{e}"));
                    }
                }
                self.host = Some(host);
                self.dirty.store(true, Ordering::SeqCst);
            }
            Ok(Err(e)) => self.view.error = Some(format!("插件未启动：{e}")),
            Err(e) => self.view.error = Some(format!("插件未启动：{e}")),
        }
    }

    /// Takes a finished install: the message for the status line, in `out`.
    fn finish_install(
        &mut self,
        path: PathBuf,
        result: Result<Result<PluginInfo, PluginError>, JobError>,
        session: &Session,
        out: &mut PollOutcome,
    ) {
        let cancelled = self.view.install_cancelled;
        self.view.installing = None;
        self.view.install_cancelled = false;
        self.dirty.store(true, Ordering::SeqCst);
        match result {
            Ok(Ok(info)) if cancelled => out.infos.push(format!(
                "取消时安装已在进行：已安装插件“{}” {}（不需要可在插件页移除）",
                info.name, info.version
            )),
            Ok(Ok(info)) => out
                .infos
                .push(format!("已安装插件“{}” {}", info.name, info.version)),
            Ok(Err(e)) => {
                if let Err(se) = session.record_refused_install(&path, &e) {
                    tracing::error!("could not record a refused install: {se}");
                }
                out.errors
                    .push(format!("插件包 {} 未安装：{e}", path.display()));
            }
            Err(JobError::Cancelled) => out
                .notes
                .push(format!("已取消安装插件包 {}", path.display())),
            Err(e) => out
                .errors
                .push(format!("插件包 {} 未安装：{e}", path.display())),
        }
    }

    /// Starts installing a package file as a job.
    pub fn install(&mut self, path: PathBuf, allow_downgrade: bool) -> Result<(), String> {
        let Some(host) = self.host.clone() else {
            return Err("插件尚未启动完成，请稍候再安装".to_owned());
        };
        if self.install.is_some() {
            return Err("正在安装另一个插件包，请稍候".to_owned());
        }
        let p = path.clone();
        let job = self.jobs.spawn("anwei-plugin-install", move |ctl| {
            // The host installs in one step that cannot be interrupted: a cancel counts
            // until it starts.
            ctl.checkpoint()?;
            ctl.report(None, "检查并编译插件");
            Ok(host.install_file(&p, InstallOptions { allow_downgrade }))
        });
        self.view.installing = Some(path.clone());
        self.view.install_cancelled = false;
        self.install = Some((path, job));
        Ok(())
    }

    /// Asks the running install to stop (it stops unless the host has begun installing).
    pub fn cancel_install(&mut self) {
        if let Some((_, job)) = &self.install {
            job.cancel();
            self.view.install_cancelled = true;
        }
    }

    /// Called every frame: takes finished background work and host events; after a change
    /// records the events, imports sector plans (through the session) and refreshes the view.
    pub fn poll(&mut self, session: &mut Session, ctx: Option<&egui::Context>) -> PollOutcome {
        let mut out = PollOutcome::default();
        if let Some(answer) = take_answer(&mut self.opening) {
            self.finish_open(answer, ctx);
            session.set_host(self.host.clone());
        }
        if self
            .install
            .as_mut()
            .is_some_and(|(_, job)| job.is_finished())
            && let Some((path, mut job)) = self.install.take()
            && let Some(answer) = job.poll()
        {
            self.finish_install(path, answer, session, &mut out);
        }
        let Some(host) = self.host.clone() else {
            return out;
        };
        let events = host.take_events();
        let dirty = self.dirty.swap(false, Ordering::SeqCst) || !events.is_empty();
        if !dirty {
            return out;
        }
        for e in &events {
            if e.kind == anwei_core::PluginEvent::Fault {
                let name = host
                    .info(&e.sector_id)
                    .map(|i| i.name)
                    .unwrap_or_else(|_| e.sector_id.clone());
                out.errors.push(format!("插件“{name}”出错：{}", e.message));
            }
        }
        let SyncReport { imported, errors } = session.sync_events(events);
        out.reload = !imported.is_empty();
        out.imported = imported;
        out.errors.extend(errors);
        out.errors.extend(self.refresh_view(&host));
        out.refreshed = true;
        out
    }

    /// Returns the forms that could not be read (messages for the status line).
    fn refresh_view(&mut self, host: &PluginHost) -> Vec<String> {
        // The forms as the session (and the CLI) sees them.
        let (forms, errors) = anwei_session::records::plugin_forms(host);
        self.view.forms = forms
            .into_iter()
            .map(|f| LedgerForm {
                sector: f.sector,
                sector_name: f.sector_name,
                form: f.form,
            })
            .collect();
        self.view.plugins = host
            .list()
            .into_iter()
            .map(|info| {
                let content = host.describe(&info.sector_id).ok().map(|d| PluginContent {
                    plan_title: d.plan.title.clone(),
                    tasks: d.plan.tasks.len(),
                    targets: d
                        .targets
                        .iter()
                        .map(|t| (t.name.clone(), t.unit.clone(), t.form.clone()))
                        .collect(),
                    forms: d
                        .forms
                        .iter()
                        .map(|f| (f.id.clone(), f.title.clone(), f.fields.len()))
                        .collect(),
                });
                (info, content)
            })
            .collect();
        self.view.banners = host.banners();
        errors
    }

    pub fn set_enabled(&mut self, sector: &str, on: bool) -> Result<(), String> {
        let host = self.host.clone().ok_or("插件尚未启动完成")?;
        let r = if on {
            host.enable(sector)
        } else {
            host.disable(sector, "已手动停用")
        };
        self.dirty.store(true, Ordering::SeqCst);
        r.map_err(|e| e.to_string())
    }

    pub fn remove(&mut self, sector: &str) -> Result<(), String> {
        let host = self.host.clone().ok_or("插件尚未启动完成")?;
        self.dirty.store(true, Ordering::SeqCst);
        host.remove(sector).map_err(|e| e.to_string())
    }
}
