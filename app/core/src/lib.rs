//! The domain core of Anwei Desk.
//!
//! Campaigns, phases, plans, tasks, units, deadlines, progress, statuses and targets, and the
//! [`Command`]s that change them, with the [`Change`] each one makes ([`transition`]). Pure
//! data and rules: this crate does no I/O, reads no clock (callers pass "today" in) and knows
//! nothing of egui, sled or wasmtime.

pub mod accountability;
pub mod applicability;
pub mod assessment;
pub mod board;
pub mod calendar;
pub mod campaign;
pub mod change;
pub mod command;
pub mod deadline;
pub mod deadline_change;
pub mod demo;
pub mod expr;
pub mod form;
pub mod limits;
pub mod notice;
pub mod plugin;
pub mod progress;
pub mod query;
pub mod record;
pub mod reference;
pub mod reports;
pub mod role_words;
pub mod settings;
pub mod status;
pub mod supervise;
pub mod supervision;
pub mod target;
pub mod text;
pub mod today;
pub mod transition;
pub mod unit;

pub use applicability::{Applicability, Item, NotApplicable};
pub use campaign::{
    Campaign, CampaignAction, CampaignData, CampaignMilestone, CampaignScope, Phase, Plan,
    PlanKind, Role, Task, UnitRole, current_campaign,
};
pub use change::{Change, ChangeError, Put, Remove, RowKind, Rows, Unverified};
pub use command::{Command, CommandError, EvidenceSource, RecordRow};
pub use deadline::{Deadline, DeadlineError, Precision, Recurrence, parse_deadline};
pub use expr::{Expr, ExprError, ExprValue};
pub use form::{ChoiceDef, FieldDef, FieldIssue, FieldKind, FormDef, FormState};
pub use limits::TooLarge;
pub use notice::NoticeRecord;
pub use plugin::{
    Classification, HazardCategory, HazardClause, PluginEvent, SectorPlanImport, SectorRecord,
    TargetValue,
};
pub use progress::{Evidence, LatestProgress, ProgressEntry, ProgressSummary};
pub use query::{DueDate, RowContext, SortKey, TaskFilter, TaskRow, sort_rows};
pub use record::{ChoiceList, FormRecord, Value, ValueRef};
pub use settings::{PrintSettings, Settings};
pub use status::{Status, StatusRules};
pub use target::{
    Baseline, Checkpoint, Comparator, CurrentValue, DutyEvidence, DutyPeriod, DutyState,
    Evaluation, Measurement, PerTownEvaluation, StatusSummary, Target, TargetScope, TargetStatus,
    evaluate, evaluate_per_town, summarize,
};
pub use unit::{Unit, UnitDirectory, UnitKind, normalize_unit_name};
