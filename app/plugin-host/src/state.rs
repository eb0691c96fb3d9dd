//! Persistent plugin state: enabled/disabled, installed version, fault log.
//!
//! Kept as `plugins/state.json` in the data folder, written atomically (temporary file +
//! rename) by the host. It is not in sled: the store stays the only sled user, and plugin
//! state must be readable before (and without) opening the database.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{FaultKind, PluginError, Result};

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
    #[serde(default)]
    pub faults: Vec<FaultRecord>,
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
            faults: Vec::new(),
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
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| PluginError::State(format!("{}：{e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(StateFile::default()),
            Err(e) => Err(PluginError::io(path, e)),
        }
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let bytes =
            serde_json::to_vec_pretty(self).map_err(|e| PluginError::State(e.to_string()))?;
        crate::fsutil::write_atomic(path, &bytes)
    }

    pub fn entry(&mut self, sector: &str) -> &mut PluginState {
        self.plugins.entry(sector.to_owned()).or_default()
    }
}
