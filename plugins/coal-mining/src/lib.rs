//! Sector plugin `coal-mining`: seed 001 附件4 《煤矿安全专项整治三年行动实施方案》 with its
//! own phases, 32 tasks, the coal targets, the mine register form (煤矿台账) and the plan's
//! rules (approval thresholds, outburst deeming, monitoring-upgrade deadlines).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::summary;
use anwei_plugin_sdk::{
    Classification, Description, Field, FieldKind, Form, FormRecord, Issue, RecordBatch,
    SectorPlugin, Target, TargetValue, identity,
};

pub mod rules;

/// The plan as data, extracted from seed 001 lines 176–295 (see `content/extract_coal.py`).
pub const PLAN_JSON: &str = include_str!("../content/plan.json");
pub const SECTOR_ID: &str = "coal-mining";
pub const VERSION: &str = "1.1.0";
pub const FORM_ID: &str = "mine-register";

pub struct CoalMining;

fn mine_register() -> Form {
    use FieldKind as K;
    let yes_no = |name: &str, label: &str| Field::new(name, K::YesNo, label).default_value("no");
    Form {
        id: FORM_ID.to_owned(),
        title: "煤矿台账".to_owned(),
        fields: vec![
            Field::new("intro", K::Note, "按《煤矿安全专项整治三年行动实施方案》登记全区煤矿，一矿一条。"),
            Field::new("name", K::Text, "煤矿名称").required(),
            Field::new("town", K::TownRef, "所在镇(街道)").required(),
            Field::new("enterprise", K::EnterpriseRef, "所属企业"),
            Field::new("ownership", K::SelectOne, "所有制")
                .required()
                .choices(&[("state", "国有"), ("provincial", "省属"), ("private", "民营")]),
            Field::new("status", K::SelectOne, "生产状态")
                .required()
                .choices(&[
                    ("producing", "正常生产"),
                    ("building", "正常建设"),
                    ("suspended", "停产整顿"),
                    ("closed", "已关闭"),
                ]),
            Field::new("scale", K::SelectOne, "矿井规模")
                .required()
                .choices(&[("large", "大型"), ("medium", "中型"), ("small", "小型")]),
            Field::new("capacity", K::Decimal, "核定(设计)产能")
                .required()
                .unit("万吨/年")
                .constraint(". >= 0 and . <= 5000", "产能应在0至5000万吨/年之间"),
            Field::new("gas_class", K::SelectOne, "瓦斯等级")
                .required()
                .choices(&[
                    ("outburst", "煤与瓦斯突出"),
                    ("high", "高瓦斯"),
                    ("other", "其他"),
                ]),
            Field::new("depth", K::Decimal, "开采深度")
                .unit("米")
                .constraint(". >= 0 and . <= 3000", "开采深度应在0至3000米之间"),
            Field::new("standardisation", K::SelectOne, "安全生产标准化等级").choices(&[
                ("grade1", "一级"),
                ("grade2", "二级"),
                ("grade3", "三级"),
                ("none", "未达标"),
            ]),
            Field::new("group", K::SelectOne, "整治分类")
                .required()
                .hint("“两个清单”：保留煤矿清单、关闭退出煤矿清单")
                .choices(&[
                    ("keep", "单独保留"),
                    ("merge_keep", "整合保留"),
                    ("merge_close", "整合关闭"),
                    ("close", "关闭退出"),
                ]),
            Field::new("merge_group", K::Text, "整合重组组别")
                .relevant("${group} = 'merge_keep' or ${group} = 'merge_close'"),
            yes_no("mech_mining", "机械化开采"),
            yes_no("fully_mech", "综合机械化开采(综采)"),
            yes_no("mech_heading", "机械化掘进"),
            yes_no("aux_automation", "辅助生产系统自动化"),
            Field::new("automated_faces", K::Integer, "自动化无人(少人)采煤工作面")
                .unit("个")
                .constraint(". >= 0 and . <= 50", "工作面个数应在0至50之间"),
            Field::new("project", K::SelectOne, "在建项目")
                .default_value("none")
                .choices(&[("none", "无"), ("new", "新建"), ("expand", "改扩建")]),
            Field::new("project_capacity", K::Decimal, "项目建成后产能")
                .unit("万吨/年")
                .relevant("${project} != 'none'"),
            Field::new("project_depth", K::Decimal, "项目开采深度")
                .unit("米")
                .relevant("${project} != 'none'"),
            yes_no("in_enhong", "位于恩洪矿区"),
            yes_no("same_seam", "开采煤层与发生过突出事故的煤层为同一煤层"),
            yes_no("below_outburst_level", "开拓开采标高在始突标高以下"),
            Field::new("needs_assessment", K::Calculate, "需开展突出危险性鉴定")
                .read_only()
                .calculation(
                    "${in_enhong} = 'yes' and ${same_seam} = 'yes' and ${below_outburst_level} = 'yes'",
                ),
            Field::new("outburst_assessed", K::Date, "最近一次突出危险性鉴定日期")
                .hint("超过6个月未鉴定的一律直接认定为煤与瓦斯突出矿井"),
            Field::new("monitoring_upgraded", K::Date, "安全监控系统升级改造验收日期").hint(
                "大型、突出、高瓦斯矿井2020年6月30日前；其他矿井2020年12月30日前",
            ),
            Field::new("monitoring_deadline", K::Calculate, "监控系统升级期限")
                .read_only()
                .calculation(
                    "if(${scale} = 'large' or ${gas_class} = 'outburst' or ${gas_class} = 'high', '2020-06-30', '2020-12-30')",
                ),
            Field::new("remarks", K::Text, "备注"),
        ],
    }
}

/// The plan's targets, each computed one naming the register fields it reads
/// ([`rules::COMPUTE_INPUTS`], kept next to the code that reads them).
fn targets(mut targets: Vec<Target>) -> Vec<Target> {
    for t in &mut targets {
        if let Some((_, inputs)) = rules::COMPUTE_INPUTS.iter().find(|(id, _)| *id == t.id) {
            t.inputs = inputs.iter().map(|f| (*f).to_owned()).collect();
        }
    }
    targets
}

impl SectorPlugin for CoalMining {
    fn describe() -> Description {
        let (plan, targets) = anwei_plugin_sdk::content::load(PLAN_JSON);
        let targets = self::targets(targets);
        Description {
            identity: identity(SECTOR_ID, "煤矿安全专项整治", "煤矿", VERSION, "区能源局"),
            plan,
            targets,
            forms: vec![mine_register()],
        }
    }

    fn validate(form: &str, record: &FormRecord, today: &str) -> Vec<Issue> {
        if form != FORM_ID {
            return vec![Issue::error("", format!("未知表单“{form}”"))];
        }
        rules::validate(record, Date::parse(today))
    }

    fn compute_batch(form: &str, records: &RecordBatch, as_of: &str) -> Vec<TargetValue> {
        if form != FORM_ID {
            return Vec::new();
        }
        rules::compute(records.rows(), Date::parse(as_of))
    }

    fn summarize(form: &str, records: &RecordBatch, as_of: &str) -> Option<Vec<u8>> {
        if form != FORM_ID {
            return None;
        }
        summary::encode(&rules::Tally::of(records.rows(), Date::parse(as_of)))
    }

    fn combine(form: &str, summaries: &[Vec<u8>], _as_of: &str) -> Vec<TargetValue> {
        if form != FORM_ID {
            return Vec::new();
        }
        // The desk combines what this code summarized in the same computation: a summary
        // that does not read back cannot come from it.
        summary::combine::<rules::Tally>(summaries).map_or_else(Vec::new, |t| t.values())
    }

    fn classify(form: &str, record: &FormRecord, today: &str) -> Vec<Classification> {
        if form != FORM_ID {
            return Vec::new();
        }
        rules::classify(record, Date::parse(today))
    }
}

anwei_plugin_sdk::register!(CoalMining);

#[cfg(test)]
mod tests {
    use super::*;
    use anwei_plugin_sdk::record::RecordBuilder;

    #[test]
    fn content_parses_with_32_tasks() {
        let (plan, targets) = anwei_plugin_sdk::content::PlanContent::from_json(PLAN_JSON)
            .and_then(|c| c.into_wit())
            .unwrap();
        assert_eq!(plan.tasks.len(), 32);
        assert!(targets.iter().any(|t| t.id == "mine-count"));
    }

    #[test]
    fn every_computed_target_names_its_inputs() {
        let d = CoalMining::describe();
        let fields: Vec<&str> = d.forms[0].fields.iter().map(|f| f.name.as_str()).collect();
        for t in &d.targets {
            let computed = t.form.as_deref() == Some(FORM_ID);
            assert_eq!(computed, !t.inputs.is_empty(), "{}", t.id);
            for i in &t.inputs {
                assert!(fields.contains(&i.as_str()), "{}: {i}", t.id);
            }
        }
        assert_eq!(
            d.targets.iter().filter(|t| !t.inputs.is_empty()).count(),
            rules::COMPUTE_INPUTS.len()
        );
    }

    /// A register where every rule's branches occur, with fields compute does not read.
    fn register(n: usize) -> Vec<FormRecord> {
        (0..n)
            .map(|i| {
                let mut b = RecordBuilder::new(&format!("m{i}"))
                    .text("name", &format!("第{i}号煤矿"))
                    .text("town", "越州镇")
                    .text(
                        "status",
                        ["producing", "building", "suspended", "closed"][i % 4],
                    )
                    .text("scale", ["large", "medium", "small"][i % 3])
                    .text("gas_class", ["outburst", "high", "other"][(i / 3) % 3])
                    .text(
                        "standardisation",
                        ["grade1", "grade2", "grade3", "none"][i % 4],
                    )
                    .text(
                        "group",
                        ["keep", "merge_keep", "merge_close", "close"][(i / 2) % 4],
                    )
                    .flag("mech_mining", i.is_multiple_of(2))
                    .flag("fully_mech", i.is_multiple_of(5))
                    .flag("mech_heading", i % 3 != 0)
                    .flag("aux_automation", i.is_multiple_of(7))
                    .flag("in_enhong", i % 2 == 1)
                    .flag("same_seam", i % 3 != 1)
                    .flag("below_outburst_level", i % 5 != 2)
                    .text("remarks", "无");
                b = match i % 3 {
                    0 => b.decimal("capacity", 30.0 + (i % 90) as f64),
                    1 => b.integer("capacity", 45),
                    _ => b.text("capacity", "60"),
                };
                if i % 4 != 3 {
                    b = b.date(
                        "outburst_assessed",
                        ["2020-01-15", "2020-05-01", "2019-12-31"][i % 3],
                    );
                }
                if i % 6 != 5 {
                    b = b.date(
                        "monitoring_upgraded",
                        ["2020-06-01", "2020-09-30", "2021-02-01"][i % 3],
                    );
                }
                b.build()
            })
            .collect()
    }

    #[test]
    fn compute_over_the_projected_batch_equals_compute_over_full_records() {
        let records = register(240);
        let mut inputs: Vec<&str> = Vec::new();
        for (_, fields) in rules::COMPUTE_INPUTS {
            for f in fields {
                if !inputs.contains(f) {
                    inputs.push(f);
                }
            }
        }
        let batch = RecordBatch::from_records(&records, &inputs);
        for as_of in ["2020-06-30", "2020-12-31", "2022-12-31"] {
            let full = rules::compute(records.iter(), Date::parse(as_of));
            let projected = CoalMining::compute_batch(FORM_ID, &batch, as_of);
            assert_eq!(full.len(), projected.len());
            for (a, b) in full.iter().zip(&projected) {
                assert_eq!(a.target_id, b.target_id);
                assert_eq!(
                    a.value.to_bits(),
                    b.value.to_bits(),
                    "{} {as_of}",
                    a.target_id
                );
            }
        }
    }

    #[test]
    fn combining_the_summaries_of_batches_equals_compute_over_the_whole_register() {
        let records = register(240);
        let inputs: Vec<&str> = {
            let mut v: Vec<&str> = Vec::new();
            for (_, fields) in rules::COMPUTE_INPUTS {
                for f in fields {
                    if !v.contains(f) {
                        v.push(f);
                    }
                }
            }
            v
        };
        for as_of in ["2020-06-30", "2020-12-31", "2022-12-31"] {
            let whole = rules::compute(records.iter(), Date::parse(as_of));
            for batch in [1, 7, 100, 240] {
                let summaries: Vec<Vec<u8>> = records
                    .chunks(batch)
                    .map(|c| {
                        let b = RecordBatch::from_records(c, &inputs);
                        CoalMining::summarize(FORM_ID, &b, as_of).unwrap()
                    })
                    .collect();
                let combined = CoalMining::combine(FORM_ID, &summaries, as_of);
                assert_eq!(whole.len(), combined.len(), "{as_of} {batch}");
                for (a, b) in whole.iter().zip(&combined) {
                    assert_eq!(a.target_id, b.target_id);
                    // Sums of decimals may differ in the last bits with the grouping.
                    let tolerance = 1e-9 * a.value.abs().max(1.0);
                    assert!(
                        (a.value - b.value).abs() <= tolerance,
                        "{} {as_of} batch {batch}: {} vs {}",
                        a.target_id,
                        a.value,
                        b.value
                    );
                }
            }
        }
        assert!(
            CoalMining::summarize(
                "other",
                &RecordBatch::from_records(&records[..1], &inputs),
                "2020-06-30"
            )
            .is_none()
        );
    }
}
