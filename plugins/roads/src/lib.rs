//! Sector plugin `roads`: seed 001 附件7 《强化道路交通安全管理专项整治三年行动方案》 (种子文件001 第415–471行), a plan
//! the 交警大队 wrote for itself: its tasks name no lead or responsible units. The plan,
//! targets and forms are data in `content/` (extracted from the seed by `content/extract.py`,
//! checked by `build.rs`); the rules and computations the text states are in [`rules`].

pub mod rules;

anwei_plugin_sdk::content_plugin! {
    Plugin {
        sector: "roads",
        name: "强化道路交通安全管理专项整治",
        short_name: "道路交通",
        department: "交警大队",
        rules: rules,
        summaries: rules,
    }
}

#[cfg(test)]
mod tests {
    use anwei_plugin_sdk::content::Content;

    use super::*;

    #[test]
    fn content_loads_whole() {
        let c = Content::from_json(PLAN_JSON, FORMS_JSON).unwrap();
        assert_eq!(c.plan.code, "附件7");
        assert_eq!(c.plan.title, "强化道路交通安全管理专项整治三年行动方案");
        assert_eq!(
            c.plan
                .tasks
                .iter()
                .map(|t| t.label.as_str())
                .collect::<Vec<_>>(),
            [
                "(一)1", "(一)2", "(一)3", "(一)4", "(一)5", "(二)1", "(二)2", "(三)1", "(三)2",
                "(三)3", "(三)4", "(四)1", "(四)2", "(四)3", "(四)4", "(四)5"
            ]
        );
        // A single-agency plan: no unit roles, no responsibility parenthetical.
        assert!(
            c.plan
                .tasks
                .iter()
                .all(|t| t.roles.is_empty() && t.roles_text.is_none())
        );
        assert!(c.plan.phases.is_empty());
        assert_eq!(c.targets.len(), 16);
        assert_eq!(
            c.forms.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            [
                "key-vehicle",
                "road-hazard",
                "bulletin",
                "special-campaign",
                "accident-stats",
                "drug-driver-cleanup",
                "drug-driver",
                "warning-education",
                "publicity-activity"
            ]
        );
        assert_eq!(c.details.notes.len(), 7);
        assert_eq!(c.details.units.len(), 6);
    }
}
