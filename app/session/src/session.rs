//! [`Session`]: the open store, the plugin host configured from it, and who is acting. The
//! one place where the two meet, used by the CLI and the window alike.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anwei_core::form::{FieldIssue, FormDef};
use anwei_core::reference::{RefLists, reference_issues};
use anwei_core::{Command, PluginEvent, Target, Value};
use anwei_plugin_host::{Banner, HostConfig, HostEvent, PluginHost};
use anwei_store::{Applied, Store, StoreError};
use chrono::NaiveDate;

use crate::targets::{Computed, TargetRow, compute_form_cached, evaluate_targets};
use crate::writer::{WriteGate, WriteLock, Writer};
use crate::{SessionError, SyncReport};

/// The store of one data folder and, once started, its plugin host.
pub struct Session {
    /// Shared with the session's [`Writer`]s (the window writes from a job).
    store: Arc<Store>,
    /// Shared (the window's plugins runtime opens it as a job and hands it over, and its
    /// jobs call it for validate and compute).
    host: Option<Arc<PluginHost>>,
    /// Who acts when the desk has no user name set (the operating system's user).
    fallback_actor: String,
    /// Taken by every write of the session and of its writers: one writer at a time.
    lock: WriteLock,
    /// Holds the writers' writes back (tests).
    gate: Option<WriteGate>,
    /// The digest of the host's inputs when [`Session::start_plugins`] opened it.
    opened_with: Option<String>,
}

impl Session {
    /// Opens the store of data folder `dir` (plugins not started yet).
    pub fn open(dir: &Path) -> Result<Session, StoreError> {
        Ok(Session::with_store(Store::open(dir)?))
    }

    /// A session over a store already open.
    pub fn with_store(store: Store) -> Session {
        Session {
            store: Arc::new(store),
            host: None,
            fallback_actor: std::env::var("USER").unwrap_or_default(),
            lock: WriteLock::default(),
            gate: None,
            opened_with: None,
        }
    }

    /// Holds the writes of this session's [`Writer`]s at `gate` (tests: a write that takes
    /// as long as the test wants). [`Session::apply`] does not wait at it.
    pub fn set_write_gate(&mut self, gate: Option<WriteGate>) {
        self.gate = gate;
    }

    /// A handle that applies commands from another thread, one at a time with the session's
    /// own writes ([`Writer::apply`]). It keeps the store open while it lives.
    pub fn writer(&self) -> Writer {
        Writer {
            store: Arc::clone(&self.store),
            fallback_actor: self.fallback_actor.clone(),
            lock: self.lock.clone(),
            gate: self.gate.clone(),
        }
    }

    /// Names `who` as the acting user when the desk has no user name set.
    pub fn with_actor(mut self, who: impl Into<String>) -> Session {
        self.fallback_actor = who.into();
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Who is named in the audit trail: the desk's user name setting, else the operating
    /// system's user (or the one given by [`Session::with_actor`]), else "本机用户".
    pub fn actor(&self) -> String {
        actor_or(&self.store, &self.fallback_actor)
    }

    /// The plugin host's configuration as the store's settings say now
    /// ([`crate::host_config`]).
    pub fn host_config(&self) -> Result<HostConfig, SessionError> {
        // It may move wave-1 files into the settings (a write).
        let _one_writer = self.lock.hold();
        crate::host_config(&self.store, &self.actor())
    }

    /// Starts (or, after the root of trust or developer mode changed, restarts) the plugin
    /// host: opens the built-in and installed plugins.
    pub fn start_plugins(&mut self) -> Result<&PluginHost, SessionError> {
        self.host = None;
        self.opened_with = None;
        let config = self.host_config()?;
        let inputs = anwei_plugin_host::inputs_digest(&config).ok();
        let host = PluginHost::open(config)?;
        self.opened_with = inputs;
        Ok(self.host.insert(Arc::new(host)))
    }

    /// Takes a host opened elsewhere (the window opens it off the UI thread); `None` while
    /// a new one is being opened.
    pub fn set_host(&mut self, host: Option<Arc<PluginHost>>) {
        self.host = host;
        self.opened_with = None;
    }

    /// Whether the store already holds the sector plans that starting the plugins would
    /// bring ([`crate::sector_plans_current`]): a command that only reads the plans need
    /// not start them.
    pub fn sector_plans_current(&self) -> bool {
        crate::sector_plans_current(&self.store)
    }

    /// The plugin host, once started.
    pub fn host(&self) -> Option<&Arc<PluginHost>> {
        self.host.as_ref()
    }

    fn host_or_err(&self) -> Result<&PluginHost, SessionError> {
        self.host.as_deref().ok_or(SessionError::NotStarted)
    }

    /// Applies `cmd` as the acting user; when this returns `Ok`, the change is on disk.
    /// Waits for a write of a [`Writer`] under way.
    pub fn apply(&self, cmd: &Command) -> Result<Applied, StoreError> {
        let _one_writer = self.lock.hold();
        self.store.apply(cmd, &self.actor())
    }

    /// [`Session::apply`] for a command given away ([`Store::apply_owned`]: an import's
    /// records are not copied).
    pub fn apply_owned(&self, cmd: Command) -> Result<Applied, StoreError> {
        let _one_writer = self.lock.hold();
        self.store.apply_owned(cmd, &self.actor())
    }

    /// Records a package the host refused to install in the audit trail
    /// ([`crate::record_refused_install`]).
    pub fn record_refused_install(
        &self,
        file: &Path,
        error: &anwei_plugin_host::PluginError,
    ) -> Result<(), StoreError> {
        let _one_writer = self.lock.hold();
        crate::record_refused_install(&self.store, file, error, &self.actor())
    }

    /// After the host did something: its events into the audit trail, then the sector plans
    /// of the enabled plugins into the store ([`crate::sync_sector_plans`]). What could not
    /// be recorded or imported is in the report's errors.
    pub fn sync(&self) -> SyncReport {
        match &self.host {
            Some(host) => self.sync_events(host.take_events()),
            None => SyncReport::default(),
        }
    }

    /// [`Session::sync`] with events already taken from the host (the window looks at them
    /// first: a fault is also said in the status line).
    pub fn sync_events(&self, events: Vec<HostEvent>) -> SyncReport {
        let Some(host) = &self.host else {
            return SyncReport::default();
        };
        let actor = self.actor();
        let _one_writer = self.lock.hold();
        let mut errors = Vec::new();
        if let Err(e) = crate::record_events(&self.store, events, &actor) {
            errors.push(format!("插件事件未能记入操作记录：{e}"));
        }
        let mut report = crate::sync_sector_plans(&self.store, host, &actor);
        errors.append(&mut report.errors);
        report.errors = errors;
        // A sync that went through without anything to say: remembered, so that printing
        // need not start the host while nothing changes.
        if let Some(opened_with) = &self.opened_with
            && report.errors.is_empty()
            && self.host_banners().is_empty()
            && let Err(e) = crate::note_synced(&self.store, opened_with)
        {
            report.errors.push(format!(
                "无法记下行业方案已是最新（不影响数据，下次打印时会再启动插件核对）：{e}"
            ));
        }
        report
    }

    /// Problems of the whole host (trust list, built-ins, refused files), for the user.
    pub fn host_banners(&self) -> Vec<Banner> {
        self.host
            .as_ref()
            .map(|h| {
                h.banners()
                    .into_iter()
                    .filter(|b| b.sector_id.is_none())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The forms of the enabled plugins, and the forms that could not be used (with why).
    pub fn forms(&self) -> (Vec<FormDef>, Vec<String>) {
        match self.host.as_deref() {
            Some(host) => crate::records::forms(host),
            None => (Vec::new(), Vec::new()),
        }
    }

    /// The lists reference fields are checked against, from the unit directory.
    pub fn ref_lists(&self) -> Result<RefLists, StoreError> {
        Ok(RefLists::of(&self.store.unit_directory()?))
    }

    /// Every issue of a record, as the window finds them: the core's rules (required,
    /// types, choices, constraints, size limits), the names of reference fields missing
    /// from the directory's lists, and the plugin's own rules. A plugin fault is the error
    /// (the record is not judged valid). Over the size limits, the plugin is not called.
    pub fn check_record(
        &self,
        form: &FormDef,
        values: &BTreeMap<String, Value>,
        today: NaiveDate,
    ) -> Result<Vec<FieldIssue>, SessionError> {
        self.check_record_with(form, values, today, &self.ref_lists()?)
    }

    /// [`Session::check_record`] against directory lists read once by the caller (an import
    /// checks many records against the same lists).
    pub fn check_record_with(
        &self,
        form: &FormDef,
        values: &BTreeMap<String, Value>,
        today: NaiveDate,
        refs: &RefLists,
    ) -> Result<Vec<FieldIssue>, SessionError> {
        let mut issues = crate::records::check_record(self.host_or_err()?, form, values, today)?;
        issues.extend(reference_issues(form, values, refs, today));
        Ok(issues)
    }
}

impl Session {
    /// The targets (of `campaign`'s plans and of `sector`, when given) with their values and
    /// status as of `today`:
    /// values the plugins compute from the ledger records that count, and hand-entered
    /// ones. A form whose values could not be computed is named in the second list (its
    /// targets show 无数据), and the host's events are recorded after the calls.
    pub fn target_rows(
        &self,
        campaign: Option<&str>,
        sector: Option<&str>,
        today: NaiveDate,
    ) -> Result<(Vec<TargetRow>, Vec<String>), SessionError> {
        let host = self.host_or_err()?;
        let mut plans = self.store.plans()?;
        // The targets of one campaign's plans (`None`: every campaign's).
        if let Some(c) = campaign {
            plans.retain(|p| p.campaign == c);
        }
        let sector_of = |plan: &str| {
            plans
                .iter()
                .find(|p| p.id == plan)
                .and_then(|p| p.sector.clone())
                .unwrap_or_default()
        };
        let targets: Vec<Target> = self
            .store
            .targets()?
            .into_iter()
            .filter(|t| plans.iter().any(|p| p.id == t.plan))
            .filter(|t| sector.is_none_or(|s| sector_of(&t.plan) == s || t.plan == s))
            .collect();
        let mut forms: Vec<&str> = targets
            .iter()
            .filter_map(|t| t.computed_from.as_deref())
            .collect();
        forms.sort_unstable();
        forms.dedup();
        let mut computed = Computed::default();
        let mut problems = Vec::new();
        let reader = self.store.record_reader();
        for form in forms {
            match compute_form_cached(host, &reader, form, today) {
                Ok((values, _)) => {
                    let s = form.split_once('/').map_or(form, |(s, _)| s);
                    computed.absorb(s, values, today);
                }
                Err(e) => problems.push(format!("表单 {form} 的指标未能计算：{e}")),
            }
        }
        // Faults met while computing go into the audit trail. The plans were synced when
        // the plugins started: syncing them again here said their import notes twice.
        let events = host.take_events();
        if events.iter().all(|e| e.kind == PluginEvent::Fault) {
            let _one_writer = self.lock.hold();
            if let Err(e) = crate::record_events(&self.store, events, &self.actor()) {
                problems.push(format!("插件事件未能记入操作记录：{e}"));
            }
        } else {
            problems.extend(self.sync_events(events).errors);
        }
        let directory = self.store.unit_directory()?;
        Ok((
            evaluate_targets(
                &targets,
                &computed,
                &directory,
                &self.store.settings()?.not_applicable,
                &self.store.latest_progress(today)?,
                today,
            ),
            problems,
        ))
    }
}

/// Who is named in the audit trail for changes made through `store` (see
/// [`Session::actor`]).
pub fn actor_of(store: &Store) -> String {
    actor_or(store, &std::env::var("USER").unwrap_or_default())
}

pub(crate) fn actor_or(store: &Store, fallback: &str) -> String {
    store
        .settings()
        .ok()
        .map(|s| s.user_name.trim().to_owned())
        .filter(|n| !n.is_empty())
        .or_else(|| Some(fallback.trim().to_owned()).filter(|u| !u.is_empty()))
        .unwrap_or_else(|| "本机用户".to_owned())
}
