//! Sector plugin `waterways`: seed 001 附件8 《交通运输(铁路、邮政、水上)和渔业船舶安全专项整治三年行动实施方案》
//! (种子文件001 第473–541行). The plan, targets and forms are data in `content/` (extracted
//! from the seed by `content/extract.py`, checked by `build.rs`); the rules and computations
//! the text states are in [`rules`].

pub mod rules;

anwei_plugin_sdk::content_plugin! {
    Plugin {
        sector: "waterways",
        name: "交通运输(铁路、邮政、水上)和渔业船舶安全专项整治",
        short_name: "交通运输和渔业船舶",
        department: "区交通运输局",
        rules: rules,
    }
}

#[cfg(test)]
mod tests {
    use anwei_plugin_sdk::Role;
    use anwei_plugin_sdk::content::Content;

    use super::*;

    #[test]
    fn content_loads_whole() {
        let c = Content::from_json(PLAN_JSON, FORMS_JSON).unwrap();
        assert_eq!(c.plan.code, "附件8");
        let labels: Vec<&str> = c.plan.tasks.iter().map(|t| t.label.as_str()).collect();
        let mut want: Vec<String> = Vec::new();
        for (section, n) in [
            ("一", 3),
            ("二", 3),
            ("三", 6),
            ("四", 10),
            ("五", 3),
            ("六", 7),
        ] {
            want.extend((1..=n).map(|k| format!("({section}){k}")));
        }
        assert_eq!(labels, want);
        assert_eq!(c.plan.tasks.len(), 32);
        assert!(c.plan.phases.is_empty());
        assert_eq!(c.targets.len(), 21);
        assert_eq!(
            c.forms.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            rules::FORMS
        );
        assert_eq!(c.details.notes.len(), 16);
        assert_eq!(c.details.units.len(), 15);
    }

    /// The two groups of tasks that share one responsibility parenthetical: each task of a
    /// group has the annotation and roles of the group's last task, and says so.
    #[test]
    fn grouped_tasks_share_their_annotation() {
        let c = Content::from_json(PLAN_JSON, FORMS_JSON).unwrap();
        let task = |l: &str| c.plan.tasks.iter().find(|t| t.label == l).unwrap();
        for (group, line) in [
            (["(一)1", "(一)2", "(一)3"], 483),
            (["(二)1", "(二)2", "(二)3"], 488),
        ] {
            let last = task(group[2]);
            assert!(
                last.roles_text
                    .as_deref()
                    .unwrap()
                    .starts_with("(责任单位:")
            );
            for l in group {
                let t = task(l);
                assert_eq!(t.roles_text, last.roles_text, "{l}");
                assert_eq!(t.roles.len(), last.roles.len(), "{l}");
                for (a, b) in t.roles.iter().zip(&last.roles) {
                    assert_eq!((&a.unit, a.role), (&b.unit, b.role), "{l}");
                    let note = a.note.as_deref().unwrap();
                    assert!(
                        note.starts_with(&format!(
                            "第{line}行写在{}之后的责任标注适用于{}–{}",
                            group[2], group[0], group[2]
                        )),
                        "{l}: {note}"
                    );
                }
            }
        }
        // Only those two groups: every other task has its own parenthetical.
        let shared = c
            .plan
            .tasks
            .iter()
            .filter(|t| {
                t.roles.iter().any(|r| {
                    r.note
                        .as_deref()
                        .is_some_and(|n| n.contains("的责任标注适用于"))
                })
            })
            .count();
        assert_eq!(shared, 6);
        // (三)2: all six 分别牵头 are leads; (三)1: the rail sections after 分别牵头 cooperate.
        assert!(
            task("(三)2")
                .roles
                .iter()
                .filter(|r| r.role == Role::Lead)
                .count()
                == 6
        );
        assert_eq!(
            task("(三)1")
                .roles
                .iter()
                .filter(|r| r.role == Role::Cooperating)
                .count(),
            4
        );
        assert_eq!(task("(六)4").deadlines, ["2022年底前"]);
    }
}
