//! Persistent plugin state: enabled/disabled, installed version, fault log.
//!
//! Kept as `plugins/state.json` in the data folder, written atomically (`anwei_files`) by
//! the host. It is not in sled: the store stays the only sled user, and plugin
//! state must be readable before (and without) opening the database.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{FaultKind, PluginError, Result};

/// Largest state file read.
pub(crate) const MAX_STATE_BYTES: u64 = 16 << 20;

/// Faults kept per plugin.
pub const MAX_FAULT_LOG: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRecord {
    pub at: DateTime<Utc>,
    pub kind: FaultKind,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PluginState {
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub disabled_reason: Option<String>,
    #[serde(default)]
    pub installed_version: Option<String>,
    /// The highest version ever installed for the sector. Kept when the package is removed,
    /// so that removing a plugin and installing an older one is still a downgrade (refused
    /// without the administrator's explicit permission).
    #[serde(default)]
    pub highest_version: Option<String>,
    #[serde(default)]
    pub faults: Vec<FaultRecord>,
    /// Inputs on which `compute` faulted (newest last, at most [`MAX_BAD_INPUTS`]): the same
    /// input is not run again, so one bad record does not stall every command.
    #[serde(default)]
    pub bad_inputs: Vec<BadInput>,
}

/// Bad inputs remembered per plugin.
pub const MAX_BAD_INPUTS: usize = 8;

/// An input `compute` faulted on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadInput {
    pub form: String,
    /// sha256 of the form, the date and the record batch.
    pub fingerprint: String,
    pub message: String,
    pub at: DateTime<Utc>,
}

impl PluginState {
    /// Records that `version` is now installed (raising [`PluginState::highest_version`]);
    /// returns the version installed before.
    pub fn note_installed(&mut self, version: &str) -> Option<String> {
        let higher = self
            .highest_version
            .as_deref()
            .is_none_or(|h| parse_version(version) > parse_version(h));
        if higher {
            self.highest_version = Some(version.to_owned());
        }
        self.installed_version.replace(version.to_owned())
    }

    /// The highest version ever installed: [`PluginState::highest_version`], or the installed
    /// version for a state written before the highest was kept.
    pub fn highest(&self) -> Option<&str> {
        match (
            self.highest_version.as_deref(),
            self.installed_version.as_deref(),
        ) {
            (Some(h), Some(i)) if parse_version(i) > parse_version(h) => Some(i),
            (Some(h), _) => Some(h),
            (None, i) => i,
        }
    }
}

/// A plugin version (semver; an unreadable one counts as 0.0.0).
pub fn parse_version(v: &str) -> semver::Version {
    semver::Version::parse(v).unwrap_or(semver::Version::new(0, 0, 0))
}

fn yes() -> bool {
    true
}

impl Default for PluginState {
    fn default() -> Self {
        PluginState {
            enabled: true,
            disabled_reason: None,
            installed_version: None,
            highest_version: None,
            faults: Vec::new(),
            bad_inputs: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateFile {
    pub format: u32,
    #[serde(default)]
    pub plugins: BTreeMap<String, PluginState>,
}

impl Default for StateFile {
    fn default() -> Self {
        StateFile {
            format: 1,
            plugins: BTreeMap::new(),
        }
    }
}

impl StateFile {
    /// Reads the state; a missing file is an empty state.
    pub fn load(path: &Path) -> Result<StateFile> {
        match crate::fsutil::read_regular(path, MAX_STATE_BYTES) {
            Ok(Some(bytes)) => serde_json::from_slice(&bytes).map_err(|e| {
                PluginError::State(format!(
                    "{} 无法读取（{e}）；插件未启动。请从备份恢复该文件，或将其移走后重新启用/停用插件",
                    path.display()
                ))
            }),
            Ok(None) => Ok(StateFile::default()),
            Err(e) => Err(PluginError::io(path, e)),
        }
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let bytes =
            serde_json::to_vec_pretty(self).map_err(|e| PluginError::State(e.to_string()))?;
        anwei_files::AtomicWrite::new(path)
            .create_folder()
            .write(&bytes)?;
        Ok(())
    }

    pub fn entry(&mut self, sector: &str) -> &mut PluginState {
        self.plugins.entry(sector.to_owned()).or_default()
    }
}

#[cfg(test)]
mod highest_tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_highest_version_survives_a_removal_and_a_downgrade() {
        let mut st = PluginState::default();
        assert_eq!(st.note_installed("1.0.0"), None);
        assert_eq!(st.note_installed("2.0.0").as_deref(), Some("1.0.0"));
        st.installed_version = None; // removed
        assert_eq!(st.highest(), Some("2.0.0"));
        st.note_installed("1.5.0");
        assert_eq!(st.highest(), Some("2.0.0"));
        // A state file written before the highest version was kept.
        let old: PluginState =
            serde_json::from_str(r#"{"enabled":true,"installed_version":"3.1.0"}"#).unwrap();
        assert_eq!(old.highest(), Some("3.1.0"));
    }
}
