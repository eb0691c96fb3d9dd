//! A plugin's description as the host keeps it, whatever API version the plugin speaks: the
//! adapters of [`crate::wit`] fill it from the plugin's own `describe`. Texts are as the
//! plugin wrote them (deadlines and dates unparsed, survey rows flat); [`crate::check`]
//! checks them and [`crate::convert`] turns them into the desk's plans, targets and forms.
//! Where the API's enums are the core's (role, comparator, scope, baseline, choice), the core
//! types are used.

use anwei_core::campaign::Role;
use anwei_core::deadline::Recurrence;
use anwei_core::form::ChoiceDef;
use anwei_core::target::{Baseline, Comparator, SourceRef, TargetScope};
use anwei_core::unit::UnitKind;
use serde::{Deserialize, Serialize};

/// The plugin's whole contribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Description {
    pub identity: Identity,
    pub plan: Plan,
    pub targets: Vec<Target>,
    pub forms: Vec<Form>,
    /// What `describe` cannot say (API 1.2 `details`; empty for a 1.0 or 1.1 plugin).
    pub details: Details,
    /// The sector's hazard categories and checklist (API 1.3 `hazard-standards`; none from
    /// an older plugin).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hazards: Vec<anwei_core::HazardCategory>,
}

/// API 1.2's `details`: refinements of the description, each naming what it refines.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Details {
    pub targets: Vec<TargetDetail>,
    pub phases: Vec<PhaseDetail>,
    pub notes: Vec<SourceNote>,
    pub units: Vec<UnitDetail>,
}

/// How a target is measured when 1.0's comparator cannot say it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Measure {
    /// 左右, with the tolerance either way.
    About(f64),
    /// A range: each checkpoint's upper end, in checkpoint order.
    Between(Vec<f64>),
    /// 清零
    Zero,
    /// 全覆盖
    FullCoverage,
}

/// What a target's 1.0 record cannot say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetDetail {
    /// The target's id inside the plugin.
    pub target_id: String,
    pub measure: Option<Measure>,
    pub period: Option<Recurrence>,
    pub sources: Vec<SourceRef>,
    pub task: Option<String>,
    pub note: Option<String>,
}

/// A phase's description as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseDetail {
    pub name: String,
    pub text: String,
    pub line: Option<u32>,
}

/// Statements of the source that do not agree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceNote {
    pub lines: Vec<u32>,
    pub text: String,
    /// Task labels.
    pub tasks: Vec<String>,
    /// Target ids inside the plugin.
    pub targets: Vec<String>,
}

/// A unit the plan names, its kind and its other spellings with the line each was read on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitDetail {
    pub name: String,
    pub kind: UnitKind,
    pub aliases: Vec<(String, Option<u32>)>,
}

/// Who the plugin is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// Stable sector id ("coal-mining").
    pub sector_id: String,
    /// Full name ("煤矿安全专项整治").
    pub name: String,
    /// Short name for menus ("煤矿").
    pub short_name: String,
    /// Plugin version (semver).
    pub version: String,
    /// The API version the plugin was built against ("1.0.0").
    pub api_version: String,
    /// Publishing department ("区能源局").
    pub department: String,
}

/// The sector plan (专项实施方案) as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// "附件4"
    pub code: String,
    pub title: String,
    pub goals: String,
    /// Provenance ("种子文件001 第176–295行").
    pub source: String,
    pub phases: Vec<Phase>,
    pub tasks: Vec<Task>,
}

/// A phase with ISO `YYYY-MM-DD` start and end, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phase {
    pub name: String,
    pub start: String,
    pub end: String,
}

/// One task of the plan, verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// Label exactly as written ("(一)1").
    pub label: String,
    /// Section heading ("(一)优化产业结构").
    pub section: String,
    pub title: String,
    pub text: String,
    /// The responsibility parenthetical as written.
    pub roles_text: Option<String>,
    pub roles: Vec<UnitRole>,
    /// Deadline texts as written, in text order.
    pub deadlines: Vec<String>,
    pub phase: Option<String>,
}

/// A unit named by a task (by name as written; resolved through the directory on import).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRole {
    pub unit: String,
    pub role: Role,
    pub note: Option<String>,
}

/// A yearly checkpoint of a target; `due` an ISO date as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub year: i32,
    pub value: f64,
    pub due: Option<String>,
}

/// A target as the plugin declares it (id inside the plugin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// Stable id inside the plugin ("mine-count").
    pub id: String,
    pub name: String,
    pub unit: String,
    pub comparator: Comparator,
    pub checkpoints: Vec<Checkpoint>,
    pub baseline: Option<Baseline>,
    pub scope: TargetScope,
    /// Id of the form whose records compute it.
    pub form: Option<String>,
    /// The fields of `form` its computation reads (all `compute` receives).
    pub inputs: Vec<String>,
}

/// XLSForm question types, as survey rows carry them (repeat groups are a `BeginRepeat` row,
/// their fields and an `EndRepeat` row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FieldKind {
    Text,
    Integer,
    Decimal,
    Date,
    SelectOne,
    SelectMany,
    UnitRef,
    TownRef,
    EnterpriseRef,
    YesNo,
    Note,
    Calculate,
    BeginRepeat,
    EndRepeat,
}

/// One row of an XLSForm `survey` sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    pub kind: FieldKind,
    pub label: String,
    pub hint: Option<String>,
    pub required: bool,
    pub constraint: Option<String>,
    pub constraint_message: Option<String>,
    pub relevant: Option<String>,
    pub default: Option<String>,
    pub read_only: bool,
    pub calculation: Option<String>,
    pub choices: Vec<ChoiceDef>,
    pub choice_filter: Option<String>,
    pub unit: Option<String>,
}

/// A form: id inside the plugin, title, flat survey rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Form {
    pub id: String,
    pub title: String,
    pub fields: Vec<Field>,
}
