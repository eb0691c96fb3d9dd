//! What the desk keeps of sector plugins: the sector plan a plugin contributed (imported
//! into the store like any campaign content), plugin events for the audit trail, and what a
//! plugin's `compute` and `classify` return (whatever API version the plugin speaks).

use serde::{Deserialize, Serialize};

use crate::campaign::{Plan, Task};
use crate::target::Target;
use crate::unit::Unit;

/// A sector plugin's plan, tasks and targets, ready to be imported (or re-imported after an
/// upgrade). Task ids are stable ("coal-mining/7"), so progress entries survive upgrades.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectorPlanImport {
    pub sector: String,
    /// The plugin's version and the sha256 of its component: the desk re-imports when
    /// either changes.
    pub plugin_version: String,
    pub plugin_sha256: String,
    pub plan: Plan,
    pub tasks: Vec<Task>,
    pub targets: Vec<Target>,
    /// Units the tasks name that are not in the directory yet (ids already assigned).
    pub new_units: Vec<Unit>,
}

/// One value a plugin computed for one of its targets from a form's records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetValue {
    /// The target's id inside the plugin ("mine-count"; the desk's id is `SECTOR/ID`).
    pub target_id: String,
    pub value: f64,
    /// The town (unit id as recorded) for per-town targets; `None` for the district figure.
    pub town: Option<String>,
}

/// A sector rule's result for one record ("gas-class" → "煤与瓦斯突出").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    /// The record's id as the plugin received it ("" for a record not stored yet).
    pub record_id: String,
    /// The rule's id ("gas-class").
    pub rule: String,
    pub value: String,
    /// Why, in the plugin's words.
    pub reason: String,
}

/// Which version of a sector plan the desk holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectorRecord {
    pub sector: String,
    pub plan: String,
    pub plugin_version: String,
    pub plugin_sha256: String,
    pub imported_at: String,
    /// Ids of the units the sector's imports added to the directory (taken out again with
    /// the plan when nothing else uses them). Empty for plans imported before it was kept.
    #[serde(default)]
    pub created_units: Vec<String>,
}

/// Something that happened to a plugin, kept in the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PluginEvent {
    Installed,
    Removed,
    Enabled,
    Disabled,
    /// A trap, timeout, memory cap or malformed result.
    Fault,
    /// A package file that was refused (signature, sector, version …).
    Refused,
}

impl PluginEvent {
    pub fn label_zh(self) -> &'static str {
        match self {
            PluginEvent::Installed => "安装插件",
            PluginEvent::Removed => "移除插件",
            PluginEvent::Enabled => "启用插件",
            PluginEvent::Disabled => "停用插件",
            PluginEvent::Fault => "插件出错",
            PluginEvent::Refused => "拒绝插件包",
        }
    }
}
