//! The WIT bindings, the [`SectorPlugin`] trait and its [`register!`](crate::register) macro.

/// serde, for a plugin's [`summary::Summary`] types (`#[serde(crate = "anwei_plugin_sdk::serde")]`).
pub use serde;

#[doc(hidden)]
pub mod bindings {
    wit_bindgen::generate!({
        path: "wit/v1.3",
        world: "sector-plugin",
        pub_export_macro: true,
        export_macro_name: "__export_sector_plugin",
        default_bindings_module: "anwei_plugin_sdk::bindings",
    });
}

use crate::API_VERSION;
pub use crate::record::{Fields, Row, ValueRef};
pub use bindings::exports::anwei::plugin::plugin::{
    Baseline, CellKind, Checkpoint, Choice, Classification, Column, Comparator, Description, Field,
    FieldKind, FieldValue, Form, FormRecord, Guest, HazardCategory, HazardClause, Identity, Issue,
    Measure, Period, Phase, PhaseDetail, Plan, PlanDetails, RecordBatch, Role, Scope, Severity,
    SourceNote, SourceRef, Target, TargetDetail, TargetValue, Task, UnitAlias, UnitDetail,
    UnitKind, UnitRole, Value,
};

/// What a sector plugin contributes. Every method except `describe` has a default.
///
/// Methods are associated functions: a plugin has no state between calls (the host starts a
/// fresh instance for every call).
///
/// Computed targets: each target names the form fields it reads in `inputs`; the desk passes
/// `compute` only those fields (of all the form's targets together), column by column as a
/// [`RecordBatch`]. Implement [`SectorPlugin::compute_batch`] to read the batch's [`Row`]s
/// directly (what large registers need: 100 000 records fit in a few MiB), or
/// [`SectorPlugin::compute`] to get the records as [`FormRecord`]s (simpler; each costs a few
/// hundred bytes of the plugin's 64 MiB, so up to some tens of thousands of records). Both
/// read the same values through [`Fields`].
///
/// Registers of any size (since 1.1): implement [`SectorPlugin::summarize`] and
/// [`SectorPlugin::combine`] (most simply through a [`summary::Summary`] type: counts and
/// sums that add up). The desk then sends a register larger than one batch (65 536 records)
/// batch by batch, and the plugin's memory holds one batch, never the register.
pub trait SectorPlugin {
    /// Identity, plan, targets and forms.
    fn describe() -> Description;

    /// Field-level issues for one record of `form`. `today` is `YYYY-MM-DD`.
    fn validate(_form: &str, _record: &FormRecord, _today: &str) -> Vec<Issue> {
        Vec::new()
    }

    /// Target values computed from the records of `form`, as [`FormRecord`]s holding the
    /// targets' `inputs` fields (ids are empty). Called by the default
    /// [`SectorPlugin::compute_batch`].
    fn compute(_form: &str, _records: &[FormRecord], _as_of: &str) -> Vec<TargetValue> {
        Vec::new()
    }

    /// Target values computed from the records of `form` as the desk sends them: one column
    /// per input field ([`RecordBatch::rows`] gives [`Row`]s with the [`Fields`] reads).
    /// The default turns the batch into [`FormRecord`]s and calls [`SectorPlugin::compute`].
    fn compute_batch(form: &str, records: &RecordBatch, as_of: &str) -> Vec<TargetValue> {
        Self::compute(form, &records.to_records(), as_of)
    }

    /// Sector classifications of one record.
    fn classify(_form: &str, _record: &FormRecord, _today: &str) -> Vec<Classification> {
        Vec::new()
    }

    /// Since 1.1: partial results over one batch of the records of `form` (at most 256 KiB),
    /// for [`SectorPlugin::combine`]; [`summary::encode`] writes a [`summary::Summary`]. The
    /// default, `None`, has the whole register sent to [`SectorPlugin::compute_batch`] in one
    /// call, however large.
    fn summarize(_form: &str, _records: &RecordBatch, _as_of: &str) -> Option<Vec<u8>> {
        None
    }

    /// Since 1.1: target values of `form` from what [`SectorPlugin::summarize`] returned for
    /// each batch of the register, in order ([`summary::combine`] reads them back and adds
    /// them up). Must equal what `compute_batch` returns over the whole register.
    fn combine(_form: &str, _summaries: &[Vec<u8>], _as_of: &str) -> Vec<TargetValue> {
        Vec::new()
    }

    /// Since 1.2: what `describe` cannot say — 左右, ranges, 清零 and 全覆盖, the source line
    /// of each target, recurring duties, phase descriptions, the source's inconsistencies and
    /// the units' kinds and spellings. [`content::Content`](crate::content::Content) reads
    /// them from the content files with the plan. The default says nothing more.
    fn details() -> PlanDetails {
        PlanDetails {
            targets: Vec::new(),
            phases: Vec::new(),
            notes: Vec::new(),
            units: Vec::new(),
        }
    }

    /// Since 1.3: the sector's hazard (隐患) categories and the 判定标准 checklist items a
    /// recorded hazard cites; an item marked `major` makes the hazard that cites it a 重大
    /// 隐患. [`content::Content`](crate::content::Content) reads them from `plan.json`'s
    /// `hazards`. The default lists none.
    fn hazard_standards() -> Vec<HazardCategory> {
        Vec::new()
    }
}

/// A sector plugin whose plan, targets and forms are its `content/plan.json` and
/// `content/forms.json` (read by [`Content`](crate::content::Content)), with its rules in a
/// module (named by `rules`) of three functions — `validate(form, &FormRecord, Option<Date>) -> Vec<Issue>`,
/// `compute(form, &RecordBatch, Option<Date>) -> Vec<TargetValue>` and
/// `classify(form, &FormRecord, Option<Date>) -> Vec<Classification>` (the date parsed from
/// the desk's "today" or "as of") — registered as the component's exports. It defines
/// `PLAN_JSON`, `FORMS_JSON`, `SECTOR_ID`, `VERSION` (the crate's) and the plugin type.
///
/// A large register (tens of thousands of records) computes batch by batch, its halves on
/// two cores, when the plugin also names a module (`summaries: rules`, after `rules`) with
/// `summarize(form, &RecordBatch, Option<Date>) -> Option<Vec<u8>>` (`None` for a form it
/// computes only whole) and `combine(form, &[Vec<u8>], Option<Date>) -> Vec<TargetValue>`,
/// most simply through a [`summary::Summary`](crate::summary::Summary) type.
///
/// ```ignore
/// anwei_plugin_sdk::content_plugin! {
///     Plugin {
///         sector: "dust-explosion",
///         name: "粉尘涉爆等安全专项整治",
///         short_name: "粉尘涉爆",
///         department: "区应急管理局",
///         rules: rules,
///     }
/// }
/// ```
#[macro_export]
macro_rules! content_plugin {
    (
        $plugin:ident {
            sector: $sector:literal,
            name: $name:literal,
            short_name: $short:literal,
            department: $department:literal,
            rules: $rules:ident
            $(, summaries: $summaries:ident)?
            $(,)?
        }
    ) => {
        /// The plan and targets as data (`content/extract.py` writes it from the seed).
        pub const PLAN_JSON: &str =
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/content/plan.json"));
        /// The forms (ledgers) as data.
        pub const FORMS_JSON: &str =
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/content/forms.json"));
        pub const SECTOR_ID: &str = $sector;
        pub const VERSION: &str = env!("CARGO_PKG_VERSION");

        /// The plugin: its content as data, its rules in code.
        pub struct $plugin;

        impl $crate::SectorPlugin for $plugin {
            fn describe() -> $crate::Description {
                let c = $crate::content::Content::load(PLAN_JSON, FORMS_JSON);
                $crate::Description {
                    identity: $crate::identity(SECTOR_ID, $name, $short, VERSION, $department),
                    plan: c.plan,
                    targets: c.targets,
                    forms: c.forms,
                }
            }

            fn details() -> $crate::PlanDetails {
                $crate::content::Content::load(PLAN_JSON, FORMS_JSON).details
            }

            fn hazard_standards() -> ::std::vec::Vec<$crate::HazardCategory> {
                $crate::content::Content::load(PLAN_JSON, FORMS_JSON).hazards
            }

            fn validate(
                form: &str,
                record: &$crate::FormRecord,
                today: &str,
            ) -> ::std::vec::Vec<$crate::Issue> {
                $rules::validate(form, record, $crate::date::Date::parse(today))
            }

            fn compute_batch(
                form: &str,
                records: &$crate::RecordBatch,
                as_of: &str,
            ) -> ::std::vec::Vec<$crate::TargetValue> {
                $rules::compute(form, records, $crate::date::Date::parse(as_of))
            }

            fn classify(
                form: &str,
                record: &$crate::FormRecord,
                today: &str,
            ) -> ::std::vec::Vec<$crate::Classification> {
                $rules::classify(form, record, $crate::date::Date::parse(today))
            }
            $(
                fn summarize(
                    form: &str,
                    records: &$crate::RecordBatch,
                    as_of: &str,
                ) -> ::std::option::Option<::std::vec::Vec<u8>> {
                    $summaries::summarize(form, records, $crate::date::Date::parse(as_of))
                }

                fn combine(
                    form: &str,
                    summaries: &[::std::vec::Vec<u8>],
                    as_of: &str,
                ) -> ::std::vec::Vec<$crate::TargetValue> {
                    $summaries::combine(form, summaries, $crate::date::Date::parse(as_of))
                }
            )?
        }

        $crate::register!($plugin);
    };
}

/// Registers a [`SectorPlugin`] implementation as the component's exports.
#[macro_export]
macro_rules! register {
    ($plugin:ty) => {
        #[doc(hidden)]
        pub struct __AnweiPluginExports;

        impl $crate::Guest for __AnweiPluginExports {
            fn describe() -> $crate::Description {
                <$plugin as $crate::SectorPlugin>::describe()
            }
            fn validate(
                form: ::std::string::String,
                entry: $crate::FormRecord,
                today: ::std::string::String,
            ) -> ::std::vec::Vec<$crate::Issue> {
                <$plugin as $crate::SectorPlugin>::validate(&form, &entry, &today)
            }
            fn compute(
                form: ::std::string::String,
                records: $crate::RecordBatch,
                as_of: ::std::string::String,
            ) -> ::std::vec::Vec<$crate::TargetValue> {
                <$plugin as $crate::SectorPlugin>::compute_batch(&form, &records, &as_of)
            }
            fn classify(
                form: ::std::string::String,
                entry: $crate::FormRecord,
                today: ::std::string::String,
            ) -> ::std::vec::Vec<$crate::Classification> {
                <$plugin as $crate::SectorPlugin>::classify(&form, &entry, &today)
            }
            fn summarize(
                form: ::std::string::String,
                records: $crate::RecordBatch,
                as_of: ::std::string::String,
            ) -> ::std::option::Option<::std::vec::Vec<u8>> {
                <$plugin as $crate::SectorPlugin>::summarize(&form, &records, &as_of)
            }
            fn combine(
                form: ::std::string::String,
                summaries: ::std::vec::Vec<::std::vec::Vec<u8>>,
                as_of: ::std::string::String,
            ) -> ::std::vec::Vec<$crate::TargetValue> {
                <$plugin as $crate::SectorPlugin>::combine(&form, &summaries, &as_of)
            }
            fn details() -> $crate::PlanDetails {
                <$plugin as $crate::SectorPlugin>::details()
            }
            fn hazard_standards() -> ::std::vec::Vec<$crate::HazardCategory> {
                <$plugin as $crate::SectorPlugin>::hazard_standards()
            }
        }

        // Exports exist only in the wasm build, so a plugin crate's own unit tests build and
        // link natively.
        #[cfg(target_arch = "wasm32")]
        $crate::bindings::__export_sector_plugin!(__AnweiPluginExports);
    };
}

impl Issue {
    pub fn error(field: &str, message: impl Into<String>) -> Issue {
        Issue {
            field: field.to_owned(),
            severity: Severity::Error,
            message: message.into(),
        }
    }
    pub fn warning(field: &str, message: impl Into<String>) -> Issue {
        Issue {
            field: field.to_owned(),
            severity: Severity::Warning,
            message: message.into(),
        }
    }
    pub fn info(field: &str, message: impl Into<String>) -> Issue {
        Issue {
            field: field.to_owned(),
            severity: Severity::Info,
            message: message.into(),
        }
    }
}

impl TargetValue {
    pub fn district(target_id: &str, value: f64) -> TargetValue {
        TargetValue {
            target_id: target_id.to_owned(),
            value,
            town: None,
        }
    }
}

/// Identity helper: fills `api_version` with [`API_VERSION`].
pub fn identity(
    sector_id: &str,
    name: &str,
    short_name: &str,
    version: &str,
    department: &str,
) -> Identity {
    Identity {
        sector_id: sector_id.to_owned(),
        name: name.to_owned(),
        short_name: short_name.to_owned(),
        version: version.to_owned(),
        api_version: API_VERSION.to_owned(),
        department: department.to_owned(),
    }
}
