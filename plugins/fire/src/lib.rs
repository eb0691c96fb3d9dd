//! Sector plugin `fire`: seed 001 附件6 《消防安全专项整治三年行动实施方案》 (种子文件001 第319–414行).
//! The plan, targets and forms are data in `content/` (extracted from the seed by
//! `content/extract.py`, checked by `build.rs`); the rules and computations the text states are
//! in [`rules`]. The main ledger, “九小场所”消防安全台账, is also computed batch by batch
//! (`summaries`).

pub mod rules;

anwei_plugin_sdk::content_plugin! {
    Plugin {
        sector: "fire",
        name: "消防安全专项整治",
        short_name: "消防",
        department: "区消防救援大队",
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
        let labels: Vec<&str> = c.plan.tasks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "(一)1", "(一)2", "(一)3", "(一)4", "(一)5", "(二)1", "(二)2", "(二)3", "(二)4",
                "(二)5", "(二)6", "(三)1", "(三)2", "(四)1", "(四)2", "(五)1", "(五)2", "(五)3",
                "(六)", "(七)1", "(七)2", "(七)3", "(八)1", "(八)2"
            ]
        );
        assert_eq!(c.plan.code, "附件6");
        assert_eq!(c.targets.len(), 42);
        assert_eq!(
            c.forms.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            rules::FORMS
        );
        assert_eq!(c.details.notes.len(), 12);
        assert_eq!(c.details.units.len(), 21);
        // Per-town and recurring targets.
        let per_town = c
            .targets
            .iter()
            .filter(|t| t.scope == anwei_plugin_sdk::Scope::PerTown)
            .count();
        assert_eq!(per_town, 13);
        let recurring = c
            .details
            .targets
            .iter()
            .filter(|d| d.period.is_some())
            .count();
        assert_eq!(recurring, 7);
        // One unit, two roles: (二)6 names 区消防救援大队 as lead and 消防救援大队 among the
        // 区级责任部门.
        let t = c.plan.tasks.iter().find(|t| t.label == "(二)6").unwrap();
        let roles: Vec<(&str, anwei_plugin_sdk::Role)> =
            t.roles.iter().map(|r| (r.unit.as_str(), r.role)).collect();
        assert!(roles.contains(&("区消防救援大队", anwei_plugin_sdk::Role::Lead)));
        assert!(roles.contains(&("消防救援大队", anwei_plugin_sdk::Role::Cooperating)));
        let alias = c
            .details
            .units
            .iter()
            .find(|u| u.name == "区消防救援大队")
            .unwrap();
        assert_eq!(alias.aliases[0].name, "消防救援大队");
    }
}
