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
    /// The sector's hazard categories and 判定标准 checklist (plugin API 1.3; none from an
    /// older plugin).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hazards: Vec<HazardCategory>,
}

/// A kind of hazard (隐患) of a sector and its checklist, as the sector's plugin states it
/// (plugin API 1.3 `hazard-category`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardCategory {
    /// Unique within the sector ("illegal-mining").
    pub id: String,
    /// "非法违法开采"
    pub name: String,
    /// The 判定标准 the source cites for it, with its 《》.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<String>,
    /// Line of the plan's source that states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub clauses: Vec<HazardClause>,
}

/// One item of a hazard checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardClause {
    /// Unique within its category ("1", "11").
    pub id: String,
    /// In the source's words.
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The source calls it a 重大事故隐患: a hazard citing it is graded 重大.
    #[serde(default)]
    pub major: bool,
}

impl HazardCategory {
    pub fn clause(&self, id: &str) -> Option<&HazardClause> {
        self.clauses.iter().find(|c| c.id == id)
    }
}

/// Most hazard categories a sector may have, and items per category (the plugin SDK's
/// limits; the host refuses a plugin over them, the core an import).
pub const MAX_HAZARD_CATEGORIES: usize = 40;
/// See [`MAX_HAZARD_CATEGORIES`].
pub const MAX_HAZARD_CLAUSES: usize = 60;
/// Longest checklist item, category name or standard title, in characters.
pub const MAX_HAZARD_TEXT: usize = 200;

/// Why a sector's hazard checklist cannot be used (its first problem), or `Ok`.
pub fn check_hazards(hazards: &[HazardCategory]) -> Result<(), String> {
    if hazards.len() > MAX_HAZARD_CATEGORIES {
        return Err(format!(
            "隐患类别 {} 个，超过上限 {MAX_HAZARD_CATEGORIES} 个",
            hazards.len()
        ));
    }
    let too_long = |s: &str| s.trim().is_empty() || s.chars().count() > MAX_HAZARD_TEXT;
    let mut ids = std::collections::HashSet::new();
    for c in hazards {
        if c.id.trim().is_empty() || c.id.len() > 40 || !ids.insert(c.id.as_str()) {
            return Err(format!("隐患类别编号“{}”为空、过长或重复", c.id));
        }
        if too_long(&c.name) || c.standard.as_deref().is_some_and(too_long) {
            return Err(format!("隐患类别“{}”的名称或判定标准为空或过长", c.id));
        }
        if c.clauses.is_empty() || c.clauses.len() > MAX_HAZARD_CLAUSES {
            return Err(format!(
                "隐患类别“{}”有 {} 个判定条目（应为 1–{MAX_HAZARD_CLAUSES} 个）",
                c.name,
                c.clauses.len()
            ));
        }
        let mut clause_ids = std::collections::HashSet::new();
        for k in &c.clauses {
            if k.id.trim().is_empty() || k.id.len() > 20 || !clause_ids.insert(k.id.as_str()) {
                return Err(format!(
                    "隐患类别“{}”的判定条目编号“{}”为空、过长或重复",
                    c.name, k.id
                ));
            }
            if too_long(&k.text) {
                return Err(format!("隐患类别“{}”的判定条目{}为空或过长", c.name, k.id));
            }
        }
    }
    Ok(())
}

/// The category of `id` among a sector's `hazards`.
pub fn hazard_category<'a>(hazards: &'a [HazardCategory], id: &str) -> Option<&'a HazardCategory> {
    hazards.iter().find(|c| c.id == id)
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
    /// The hazard categories and checklist of the plugin version imported.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hazards: Vec<HazardCategory>,
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
