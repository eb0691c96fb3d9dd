//! Sector plugin `industrial-parks`: seed 001 附件10 《工业园区安全生产专项整治三年行动实施方案》
//! (种子文件001 第626–699行), the plan of the 麒麟工业园区管委会. The plan, its four phases,
//! targets and forms are data in `content/` (extracted from the seed by `content/extract.py`,
//! checked by `build.rs`); the rules and computations the text states are in [`rules`].

pub mod rules;

anwei_plugin_sdk::content_plugin! {
    Plugin {
        sector: "industrial-parks",
        name: "工业园区安全生产专项整治",
        short_name: "工业园区",
        department: "麒麟工业园区管委会",
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
        assert_eq!(c.plan.code, "附件10");
        assert_eq!(c.plan.title, "工业园区安全生产专项整治三年行动实施方案");
        let labels: Vec<&str> = c.plan.tasks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "二(一)",
                "二(二)",
                "二(三)",
                "二(四)",
                "二(五)",
                "二(六)",
                "四(二)1",
                "四(二)2",
                "四(二)3",
                "四(二)4",
                "五(一)",
                "五(二)",
                "五(三)",
                "五(四)",
                "五(五)1",
                "五(五)2",
                "五(五)3",
                "五(六)1",
                "五(六)2",
                "五(六)3",
                "五(六)4",
                "五(七)1",
                "五(七)2",
                "五(七)3"
            ]
        );
        let phases: Vec<(&str, &str, &str)> = c
            .plan
            .phases
            .iter()
            .map(|p| (p.name.as_str(), p.start.as_str(), p.end.as_str()))
            .collect();
        assert_eq!(
            phases,
            [
                ("组织动员", "2020-05-01", "2020-05-31"),
                ("部署实施", "2020-06-01", "2021-12-31"),
                ("深化推进", "2022-01-01", "2022-06-30"),
                ("评估提高", "2022-07-01", "2022-12-31"),
            ]
        );
        assert_eq!(c.details.phases.len(), 4);
        assert_eq!(c.details.phases[0].line, Some(648));
        assert_eq!(c.plan.tasks[7].phase.as_deref(), Some("组织动员"));
        assert_eq!(c.plan.tasks[21].deadlines, ["2021 年底前", "2022年底前"]);
        assert_eq!(c.targets.len(), 16);
        assert_eq!(c.targets.iter().filter(|t| t.form.is_some()).count(), 13);
        assert_eq!(
            c.forms.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            [
                "park-enterprise",
                "special-equipment",
                "small-scattered",
                "park-risk",
                "major-hazard"
            ]
        );
        // The B-grade conflict with 附件3 is a note citing both lines.
        assert!(
            c.details.notes.iter().any(|n| n.lines == [110, 693]
                && n.targets.contains(&"park-grade-b-designation".to_owned()))
        );
        assert_eq!(c.details.units.len(), 4);
    }
}
