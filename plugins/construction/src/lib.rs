//! Sector plugin `construction`: seed 001 附件9 《城市建设安全生产专项整治三年行动实施方案》
//! (种子文件001 第542–624行), the plan of 麒麟区住房和城乡建设局 (区住建局). The plan, its
//! four phases, targets and forms are data in `content/` (extracted from the seed by
//! `content/extract.py`, checked by `build.rs`); the rules and computations the text states
//! are in [`rules`]. The main ledger, 问题隐患清单, is summarized batch by batch.

pub mod rules;

anwei_plugin_sdk::content_plugin! {
    Plugin {
        sector: "construction",
        name: "城市建设安全专项整治",
        short_name: "城市建设",
        department: "区住建局",
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
        assert_eq!(c.plan.code, "附件9");
        assert_eq!(c.plan.title, "城市建设安全生产专项整治三年行动实施方案");
        assert_eq!(
            c.plan
                .tasks
                .iter()
                .map(|t| t.label.as_str())
                .collect::<Vec<_>>(),
            [
                "(一)1", "(一)2", "(一)3", "(一)4", "(二)1", "(二)2", "(二)3", "(二)4", "(三)1",
                "(三)2", "(三)3", "(四)1", "(四)2", "(五)1", "(五)2", "(五)3", "(六)1", "(六)2",
                "(六)3", "(六)4", "(一)", "(二)", "(三)"
            ]
        );
        assert_eq!(
            c.plan
                .phases
                .iter()
                .map(|p| (p.name.as_str(), p.start.as_str(), p.end.as_str()))
                .collect::<Vec<_>>(),
            [
                ("动员部署", "2020-06-01", "2020-06-30"),
                ("排查整治", "2020-07-01", "2020-12-31"),
                ("集中攻坚", "2021-01-01", "2021-12-31"),
                ("巩固提升", "2022-01-01", "2022-12-31"),
            ]
        );
        assert_eq!(c.details.phases.len(), 4);
        assert_eq!(c.targets.len(), 17);
        assert_eq!(c.targets.iter().filter(|t| t.form.is_some()).count(), 13);
        assert_eq!(
            c.forms.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            rules::FORMS
        );
        assert_eq!(c.details.notes.len(), 13);
        assert_eq!(c.details.units.len(), 5);
    }
}
