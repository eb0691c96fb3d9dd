//! Sector plugin `non-coal-mines`: seed 001 附件5 《非煤矿山安全专项整治三年行动实施方案》 (种子文件001 第296–318行). The plan,
//! targets and forms are data in `content/` (extracted from the seed by `content/extract.py`,
//! checked by `build.rs`); the rules and computations the text states are in [`rules`].

pub mod rules;

anwei_plugin_sdk::content_plugin! {
    Plugin {
        sector: "non-coal-mines",
        name: "非煤矿山安全专项整治",
        short_name: "非煤矿山",
        department: "区应急管理局",
        rules: rules,
    }
}

#[cfg(test)]
mod tests {
    use anwei_plugin_sdk::content::Content;

    use super::*;

    #[test]
    fn content_loads_whole() {
        let c = Content::from_json(PLAN_JSON, FORMS_JSON).unwrap();
        assert_eq!(c.plan.tasks.len(), 14);
        assert_eq!(c.targets.len(), 16);
        assert_eq!(
            c.forms.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            ["mine-register", "tailings-register", "outsourcing-register"]
        );
    }
}
