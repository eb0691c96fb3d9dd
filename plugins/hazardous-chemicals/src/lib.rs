//! Sector plugin `hazardous-chemicals`: seed 001 附件3 《危险化学品烟花爆竹安全生产专项整治三年行动实施方案》 (种子文件001 第98–175行). The plan,
//! targets and forms are data in `content/` (extracted from the seed by `content/extract.py`,
//! checked by `build.rs`); the rules and computations the text states are in [`rules`].

pub mod rules;

anwei_plugin_sdk::content_plugin! {
    Plugin {
        sector: "hazardous-chemicals",
        name: "危险化学品烟花爆竹安全专项整治",
        short_name: "危化品",
        department: "区应急管理局",
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
        assert_eq!(c.plan.tasks.len(), 21);
        assert_eq!(c.targets.len(), 44);
        assert_eq!(
            c.forms.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            [
                "hazchem-enterprise",
                "chemical-park",
                "construction-project",
                "dg-vehicle",
                "hazchem-personnel",
                "hazchem-inspector",
                "training-session",
                "closure-checklist",
                "fireworks-enterprise",
                "fireworks-outlet",
                "work-document"
            ]
        );
    }
}
