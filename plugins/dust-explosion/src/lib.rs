//! Sector plugin `dust-explosion`: seed 001 附件12 《粉尘涉爆等安全专项整治三年行动实施方案》 (种子文件001 第716–740行). The plan,
//! targets and forms are data in `content/` (extracted from the seed by `content/extract.py`,
//! checked by `build.rs`); the rules and computations the text states are in [`rules`].

pub mod rules;

anwei_plugin_sdk::content_plugin! {
    Plugin {
        sector: "dust-explosion",
        name: "粉尘涉爆等安全专项整治",
        short_name: "粉尘涉爆",
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
        assert_eq!(c.plan.tasks.len(), 8);
        assert_eq!(c.targets.len(), 4);
        assert_eq!(
            c.forms.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            ["dust-enterprise", "waste-site"]
        );
    }
}
