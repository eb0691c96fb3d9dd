//! Ledger records (台账记录): one filled form. The form definitions come from sector plugins
//! (see [`crate::form`]); a record names its form (`SECTOR/FORM`) and the plugin version whose
//! form it was filled against, so an upgrade never reinterprets old records silently.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A field's value. Mirrors the plugin API's `value` variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    Text(String),
    Integer(i64),
    Decimal(f64),
    /// ISO `YYYY-MM-DD`.
    Date(String),
    /// Choice names (one for select-one).
    Choices(Vec<String>),
    Flag(bool),
}

/// A filled form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormRecord {
    /// Stable id (assigned by the store).
    pub id: u64,
    /// `SECTOR/FORM`, e.g. `coal-mining/mine-register`.
    pub form: String,
    /// The plugin version whose form definition the record was filled against.
    pub form_version: String,
    /// Field name → value; inside a repeat group the name is `group[index]/field`
    /// (index from 0). Absent = no value.
    pub values: BTreeMap<String, Value>,
    /// Saved with errors: kept, shown, never counted toward a target.
    #[serde(default)]
    pub draft: bool,
    /// Soft-deleted (can be undone); never counted.
    #[serde(default)]
    pub deleted: bool,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub created_at: String,
    #[serde(default)]
    pub updated_at: String,
    #[serde(default)]
    pub revision: u32,
}

impl FormRecord {
    /// Whether the record counts toward targets.
    pub fn counts(&self) -> bool {
        !self.draft && !self.deleted
    }

    /// The sector id part of [`FormRecord::form`].
    pub fn sector(&self) -> &str {
        self.form.split_once('/').map_or(&self.form, |(s, _)| s)
    }
}
