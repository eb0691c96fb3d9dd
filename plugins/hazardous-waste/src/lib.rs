//! Sector plugin `hazardous-waste`: seed 001 附件11 《危险废物安全专项整治三年行动实施方案》 (种子文件001 第700–715行). The plan,
//! targets and forms are data in `content/` (extracted from the seed by `content/extract.py`,
//! checked by `build.rs`); the rules and computations the text states are in [`rules`].

pub mod rules;

anwei_plugin_sdk::content_plugin! {
    Plugin {
        sector: "hazardous-waste",
        name: "危险废物安全专项整治",
        short_name: "危险废物",
        department: "曲靖生态环境局麒麟分局",
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
        assert_eq!(c.plan.tasks.len(), 4);
        assert_eq!(c.targets.len(), 8);
        assert_eq!(
            c.forms.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            [
                "hw-enterprise",
                "hw-annual-return",
                "hw-storage",
                "hw-transfer-manifest",
                "hw-unknown-waste",
                "hw-facility",
                "hw-complaint"
            ]
        );
    }
}
