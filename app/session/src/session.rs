//! [`Session`]: the open store, the plugin host configured from it, and who is acting. The
//! one place where the two meet, used by the CLI and the window alike.

use std::collections::BTreeMap;
use std::path::Path;

use anwei_core::form::{FieldIssue, FormDef};
use anwei_core::reference::{RefLists, reference_issues};
use anwei_core::{Command, Value};
use anwei_plugin_host::{Banner, HostConfig, PluginHost};
use anwei_store::{Applied, Store, StoreError};
use chrono::NaiveDate;

use crate::{SessionError, SyncReport};

/// The store of one data folder and, once started, its plugin host.
pub struct Session {
    store: Store,
    host: Option<PluginHost>,
}

impl Session {
    /// Opens the store of data folder `dir` (plugins not started yet).
    pub fn open(dir: &Path) -> Result<Session, StoreError> {
        Ok(Session::with_store(Store::open(dir)?))
    }

    /// A session over a store already open.
    pub fn with_store(store: Store) -> Session {
        Session { store, host: None }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The store, when the session ends (the host is closed).
    pub fn into_store(self) -> Store {
        self.store
    }

    /// Who is named in the audit trail: the desk's user name setting, else the operating
    /// system's user, else "本机用户".
    pub fn actor(&self) -> String {
        actor_of(&self.store)
    }

    /// The plugin host's configuration as the store's settings say now
    /// ([`crate::host_config`]).
    pub fn host_config(&self) -> Result<HostConfig, SessionError> {
        crate::host_config(&self.store, &self.actor())
    }

    /// Starts (or, after the root of trust or developer mode changed, restarts) the plugin
    /// host: opens the built-in and installed plugins.
    pub fn start_plugins(&mut self) -> Result<&PluginHost, SessionError> {
        self.host = None;
        let host = PluginHost::open(self.host_config()?)?;
        Ok(self.host.insert(host))
    }

    /// Takes a host opened elsewhere (the window opens it off the UI thread).
    pub fn set_host(&mut self, host: PluginHost) {
        self.host = Some(host);
    }

    /// The plugin host, once started.
    pub fn host(&self) -> Option<&PluginHost> {
        self.host.as_ref()
    }

    fn host_or_err(&self) -> Result<&PluginHost, SessionError> {
        self.host.as_ref().ok_or(SessionError::NotStarted)
    }

    /// Applies `cmd` as the acting user.
    pub fn apply(&self, cmd: &Command) -> Result<Applied, StoreError> {
        self.store.apply(cmd, &self.actor())
    }

    /// After the host did something: its events into the audit trail, then the sector plans
    /// of the enabled plugins into the store ([`crate::sync_sector_plans`]). What could not
    /// be recorded or imported is in the report's errors.
    pub fn sync(&self) -> SyncReport {
        let Some(host) = &self.host else {
            return SyncReport::default();
        };
        let actor = self.actor();
        let mut errors = Vec::new();
        if let Err(e) = crate::record_host_events(&self.store, host, &actor) {
            errors.push(format!("插件事件未能记入操作记录：{e}"));
        }
        let mut report = crate::sync_sector_plans(&self.store, host, &actor);
        errors.append(&mut report.errors);
        report.errors = errors;
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
        match &self.host {
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
        let mut issues = crate::records::check_record(self.host_or_err()?, form, values, today)?;
        issues.extend(reference_issues(form, values, &self.ref_lists()?, today));
        Ok(issues)
    }
}

/// Who is named in the audit trail for changes made through `store` (see
/// [`Session::actor`]).
pub fn actor_of(store: &Store) -> String {
    store
        .settings()
        .ok()
        .map(|s| s.user_name)
        .filter(|n| !n.is_empty())
        .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
        .unwrap_or_else(|| "本机用户".to_owned())
}
