//! Sector plugin `dust-explosion`: seed 001 附件12 《粉尘涉爆等安全专项整治三年行动实施方案》 (种子文件001 第716–740行). The plan,
//! targets and forms are data in `content/` (extracted from the seed by `content/extract.py`,
//! checked by `build.rs`); the rules and computations the text states are in [`rules`].

use anwei_plugin_sdk::content::Content;
use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{
    Classification, Description, FormRecord, Issue, PlanDetails, RecordBatch, SectorPlugin,
    TargetValue, identity,
};

pub mod rules;

/// The plan and targets as data (`content/extract.py` writes it from the seed).
pub const PLAN_JSON: &str = include_str!("../content/plan.json");
/// The forms (ledgers) as data.
pub const FORMS_JSON: &str = include_str!("../content/forms.json");
pub const SECTOR_ID: &str = "dust-explosion";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub struct Plugin;

impl SectorPlugin for Plugin {
    fn describe() -> Description {
        let c = Content::load(PLAN_JSON, FORMS_JSON);
        Description {
            identity: identity(
                SECTOR_ID,
                "粉尘涉爆等安全专项整治",
                "粉尘涉爆",
                VERSION,
                "区应急管理局",
            ),
            plan: c.plan,
            targets: c.targets,
            forms: c.forms,
        }
    }

    fn details() -> PlanDetails {
        Content::load(PLAN_JSON, FORMS_JSON).details
    }

    fn validate(form: &str, record: &FormRecord, today: &str) -> Vec<Issue> {
        rules::validate(form, record, Date::parse(today))
    }

    fn compute_batch(form: &str, records: &RecordBatch, as_of: &str) -> Vec<TargetValue> {
        rules::compute(form, records, Date::parse(as_of))
    }

    fn classify(form: &str, record: &FormRecord, today: &str) -> Vec<Classification> {
        rules::classify(form, record, Date::parse(today))
    }
}

anwei_plugin_sdk::register!(Plugin);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_loads_whole() {
        let c = Content::from_json(PLAN_JSON, FORMS_JSON).unwrap();
        assert_eq!(c.plan.tasks.len(), 8);
        assert_eq!(c.targets.len(), 4);
        assert_eq!(
            c.forms.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            ["dust-enterprise", "waste-site"]
        );
    }
}
