//! Adapter for `anwei:plugin@1.x` (`plugin-sdk/wit/v1/`): the bindgen output, the calls
//! (each on a fresh instance, within its budget) and every conversion between the v1 WIT
//! types and the host's: records and values go in as WIT, descriptions, issues, target
//! values and classifications come out as [`Description`] and `anwei_core` types. Every
//! conversion destructures the WIT record completely, so a field the WIT adds cannot be
//! dropped without the compiler saying so.

use std::time::{Duration, Instant};

use anwei_core::campaign::Role;
use anwei_core::form::{ChoiceDef, FieldIssue, Severity};
use anwei_core::target::{Baseline, Comparator, TargetScope};
use anwei_core::{Classification, FormRecord, TargetValue, Value};
use wasmtime::Store;

use crate::description::{
    Checkpoint, Description, Details, Field, FieldKind, Form, Identity, Phase, Plan, Target, Task,
    UnitRole,
};
use crate::error::Result;
use crate::runtime::{COMPUTE_BUDGET, DESCRIBE_BUDGET, Limits, Runtime, VALIDATE_BUDGET};

pub(crate) mod batch;
pub(crate) mod minor1;
pub(crate) mod minor2;
pub(crate) mod minor3;

mod bindings {
    wasmtime::component::bindgen!({
        path: "../../plugin-sdk/wit/v1",
        world: "sector-plugin",
    });
}

use bindings::SectorPlugin;
use bindings::exports::anwei::plugin::plugin as wit;

/// A compiled v1 plugin, ready to instantiate.
pub(crate) type Pre = bindings::SectorPluginPre<Limits>;
pub(crate) use wit::RecordBatch;

/// Runs `f` on a fresh instance of `pre` within `budget`.
fn run<T>(
    rt: &Runtime,
    plugin: &str,
    pre: &Pre,
    budget: Duration,
    f: impl FnOnce(&SectorPlugin, &mut Store<Limits>) -> wasmtime::Result<T>,
) -> Result<T> {
    rt.run(plugin, budget, |s| pre.instantiate(s), f)
}

pub(crate) fn describe(rt: &Runtime, plugin: &str, pre: &Pre) -> Result<Description> {
    let d = run(rt, plugin, pre, DESCRIBE_BUDGET, |p, s| {
        p.anwei_plugin_plugin().call_describe(s)
    })?;
    Ok(description(d))
}

pub(crate) fn validate(
    rt: &Runtime,
    plugin: &str,
    pre: &Pre,
    form: &str,
    record: &FormRecord,
    today: &str,
) -> Result<Vec<FieldIssue>> {
    let record = form_record(record);
    let issues = run(rt, plugin, pre, VALIDATE_BUDGET, |p, s| {
        p.anwei_plugin_plugin()
            .call_validate(s, form, &record, today)
    })?;
    Ok(issues.into_iter().map(field_issue).collect())
}

pub(crate) fn classify(
    rt: &Runtime,
    plugin: &str,
    pre: &Pre,
    form: &str,
    record: &FormRecord,
    today: &str,
) -> Result<Vec<Classification>> {
    let record = form_record(record);
    let out = run(rt, plugin, pre, VALIDATE_BUDGET, |p, s| {
        p.anwei_plugin_plugin()
            .call_classify(s, form, &record, today)
    })?;
    Ok(out.into_iter().map(classification).collect())
}

/// Target values from `batch`, with the plugin's peak linear memory (bytes).
pub(crate) fn compute(
    rt: &Runtime,
    plugin: &str,
    pre: &Pre,
    form: &str,
    batch: &RecordBatch,
    as_of: &str,
) -> Result<(Vec<TargetValue>, usize)> {
    let (values, peak) = run(rt, plugin, pre, COMPUTE_BUDGET, |p, s| {
        let values = p
            .anwei_plugin_plugin()
            .call_compute(&mut *s, form, batch, as_of)?;
        Ok((values, s.data().peak_memory()))
    })?;
    Ok((values.into_iter().map(target_value).collect(), peak))
}

/// `calls` validate calls on one instance, each timed (for the benchmark's comparison).
pub(crate) fn validate_warm(
    rt: &Runtime,
    plugin: &str,
    pre: &Pre,
    form: &str,
    record: &FormRecord,
    today: &str,
    calls: usize,
) -> Result<Vec<Duration>> {
    let record = form_record(record);
    run(rt, plugin, pre, COMPUTE_BUDGET, |p, s| {
        let mut out = Vec::with_capacity(calls);
        for _ in 0..calls {
            let t = Instant::now();
            p.anwei_plugin_plugin()
                .call_validate(&mut *s, form, &record, today)?;
            out.push(t.elapsed());
        }
        Ok(out)
    })
}

// ----- core → WIT ------------------------------------------------------------------------

/// A record as the plugin receives it. A record not stored yet (id 0: the store's ids start
/// at 1) goes with an empty id. Values of unit/town/enterprise references are the
/// directory's unit ids (stable across renames).
fn form_record(r: &FormRecord) -> wit::FormRecord {
    wit::FormRecord {
        id: if r.id == 0 {
            String::new()
        } else {
            r.id.to_string()
        },
        fields: r
            .values
            .iter()
            .map(|(name, v)| wit::FieldValue {
                name: name.clone(),
                value: value(v),
            })
            .collect(),
    }
}

fn value(v: &Value) -> wit::Value {
    match v {
        Value::Text(s) => wit::Value::Text(s.clone()),
        Value::Integer(i) => wit::Value::Integer(*i),
        Value::Decimal(f) => wit::Value::Decimal(*f),
        Value::Date(d) => wit::Value::Date(d.clone()),
        Value::Choices(c) => wit::Value::Choices(c.clone()),
        Value::Flag(b) => wit::Value::Flag(*b),
    }
}

// ----- WIT → host ------------------------------------------------------------------------

/// An issue at its field; `info` is shown like a warning (seen, not blocking).
fn field_issue(i: wit::Issue) -> FieldIssue {
    let wit::Issue {
        field,
        severity,
        message,
    } = i;
    FieldIssue {
        field,
        severity: match severity {
            wit::Severity::Error => Severity::Error,
            wit::Severity::Warning | wit::Severity::Info => Severity::Warning,
        },
        message,
    }
}

fn target_value(v: wit::TargetValue) -> TargetValue {
    let wit::TargetValue {
        target_id,
        value,
        town,
    } = v;
    TargetValue {
        target_id,
        value,
        town,
    }
}

fn classification(c: wit::Classification) -> Classification {
    let wit::Classification {
        record_id,
        rule,
        value,
        reason,
    } = c;
    Classification {
        record_id,
        rule,
        value,
        reason,
    }
}

fn description(d: wit::Description) -> Description {
    let wit::Description {
        identity,
        plan,
        targets,
        forms,
    } = d;
    let wit::Identity {
        sector_id,
        name,
        short_name,
        version,
        api_version,
        department,
    } = identity;
    let wit::Plan {
        code,
        title,
        goals,
        source,
        phases,
        tasks,
    } = plan;
    Description {
        identity: Identity {
            sector_id,
            name,
            short_name,
            version,
            api_version,
            department,
        },
        plan: Plan {
            code,
            title,
            goals,
            source,
            phases: phases.into_iter().map(phase).collect(),
            tasks: tasks.into_iter().map(task).collect(),
        },
        targets: targets.into_iter().map(target).collect(),
        forms: forms.into_iter().map(form).collect(),
        details: Details::default(),
        hazards: Vec::new(),
    }
}

fn phase(p: wit::Phase) -> Phase {
    let wit::Phase { name, start, end } = p;
    Phase { name, start, end }
}

fn task(t: wit::Task) -> Task {
    let wit::Task {
        label,
        section,
        title,
        text,
        roles_text,
        roles,
        deadlines,
        phase,
    } = t;
    Task {
        label,
        section,
        title,
        text,
        roles_text,
        roles: roles.into_iter().map(unit_role).collect(),
        deadlines,
        phase,
    }
}

fn unit_role(r: wit::UnitRole) -> UnitRole {
    let wit::UnitRole { unit, role, note } = r;
    UnitRole {
        unit,
        role: match role {
            wit::Role::Lead => Role::Lead,
            wit::Role::Responsible => Role::Responsible,
            wit::Role::Cooperating => Role::Cooperating,
        },
        note,
    }
}

fn target(t: wit::Target) -> Target {
    let wit::Target {
        id,
        name,
        unit,
        comparator,
        checkpoints,
        baseline,
        scope,
        form,
        inputs,
    } = t;
    Target {
        id,
        name,
        unit,
        comparator: match comparator {
            wit::Comparator::Reach => Comparator::Reach,
            wit::Comparator::AtLeast => Comparator::AtLeast,
            wit::Comparator::AtMost => Comparator::AtMost,
            wit::Comparator::DecreaseBy => Comparator::DecreaseBy,
        },
        checkpoints: checkpoints
            .into_iter()
            .map(|c| {
                let wit::Checkpoint { year, value, due } = c;
                Checkpoint { year, value, due }
            })
            .collect(),
        baseline: baseline.map(|b| {
            let wit::Baseline { year, value } = b;
            Baseline { year, value }
        }),
        scope: match scope {
            wit::Scope::District => TargetScope::District,
            wit::Scope::PerTown => TargetScope::PerTown,
        },
        form,
        inputs,
    }
}

fn form(f: wit::Form) -> Form {
    let wit::Form { id, title, fields } = f;
    Form {
        id,
        title,
        fields: fields.into_iter().map(field).collect(),
    }
}

fn field(f: wit::Field) -> Field {
    let wit::Field {
        name,
        kind,
        label,
        hint,
        required,
        constraint,
        constraint_message,
        relevant,
        default,
        read_only,
        calculation,
        choices,
        choice_filter,
        unit,
    } = f;
    Field {
        name,
        kind: field_kind(kind),
        label,
        hint,
        required,
        constraint,
        constraint_message,
        relevant,
        default,
        read_only,
        calculation,
        choices: choices
            .into_iter()
            .map(|c| {
                let wit::Choice {
                    name,
                    label,
                    filter,
                } = c;
                ChoiceDef {
                    name,
                    label,
                    filter,
                }
            })
            .collect(),
        choice_filter,
        unit,
    }
}

fn field_kind(k: wit::FieldKind) -> FieldKind {
    use wit::FieldKind as W;
    match k {
        W::Text => FieldKind::Text,
        W::Integer => FieldKind::Integer,
        W::Decimal => FieldKind::Decimal,
        W::Date => FieldKind::Date,
        W::SelectOne => FieldKind::SelectOne,
        W::SelectMany => FieldKind::SelectMany,
        W::UnitRef => FieldKind::UnitRef,
        W::TownRef => FieldKind::TownRef,
        W::EnterpriseRef => FieldKind::EnterpriseRef,
        W::YesNo => FieldKind::YesNo,
        W::Note => FieldKind::Note,
        W::Calculate => FieldKind::Calculate,
        W::BeginRepeat => FieldKind::BeginRepeat,
        W::EndRepeat => FieldKind::EndRepeat,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeMap;

    use super::*;

    fn core_record(id: u64) -> FormRecord {
        let values: BTreeMap<String, Value> = [
            ("a_text", Value::Text("越州镇".into())),
            ("b_integer", Value::Integer(-42)),
            ("c_decimal", Value::Decimal(65.625)),
            ("d_date", Value::Date("2020-06-30".into())),
            (
                "e_choices",
                Value::Choices(vec!["keep".into(), "close".into()]),
            ),
            ("f_flag", Value::Flag(true)),
            ("g_flag", Value::Flag(false)),
            ("h_empty_choices", Value::Choices(Vec::new())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        FormRecord {
            id,
            form: "coal-mining/mine-register".into(),
            form_version: "1.0.0".into(),
            values,
            draft: false,
            deleted: false,
            author: String::new(),
            created_at: String::new(),
            updated_at: String::new(),
            revision: 1,
        }
    }

    /// The way back, as a plugin would read the record (what the host never needs).
    fn back(r: &wit::FormRecord) -> (u64, BTreeMap<String, Value>) {
        let id = if r.id.is_empty() {
            0
        } else {
            r.id.parse().unwrap()
        };
        let values = r
            .fields
            .iter()
            .map(|f| {
                let v = match &f.value {
                    wit::Value::None => panic!("{}: the host never sends none", f.name),
                    wit::Value::Text(s) => Value::Text(s.clone()),
                    wit::Value::Integer(i) => Value::Integer(*i),
                    wit::Value::Decimal(x) => Value::Decimal(*x),
                    wit::Value::Date(d) => Value::Date(d.clone()),
                    wit::Value::Choices(c) => Value::Choices(c.clone()),
                    wit::Value::Flag(b) => Value::Flag(*b),
                };
                (f.name.clone(), v)
            })
            .collect();
        (id, values)
    }

    #[test]
    fn a_record_goes_to_wit_and_back_with_every_value_kind() {
        let core = core_record(7);
        let w = form_record(&core);
        assert_eq!(w.id, "7");
        // One WIT value per core value, each of its own kind, in field order.
        let expected: Vec<wit::FieldValue> = [
            ("a_text", wit::Value::Text("越州镇".into())),
            ("b_integer", wit::Value::Integer(-42)),
            ("c_decimal", wit::Value::Decimal(65.625)),
            ("d_date", wit::Value::Date("2020-06-30".into())),
            (
                "e_choices",
                wit::Value::Choices(vec!["keep".into(), "close".into()]),
            ),
            ("f_flag", wit::Value::Flag(true)),
            ("g_flag", wit::Value::Flag(false)),
            ("h_empty_choices", wit::Value::Choices(Vec::new())),
        ]
        .into_iter()
        .map(|(name, value)| wit::FieldValue {
            name: name.into(),
            value,
        })
        .collect();
        assert_eq!(format!("{:?}", w.fields), format!("{expected:?}"));
        assert_eq!(back(&w), (core.id, core.values.clone()));
        // A record not stored yet goes with an empty id.
        let unsaved = form_record(&core_record(0));
        assert_eq!(unsaved.id, "");
        assert_eq!(back(&unsaved), (0, core.values));
    }

    #[test]
    fn issues_of_every_severity_become_field_issues() {
        let issue = |severity, field: &str| wit::Issue {
            field: field.into(),
            severity,
            message: format!("{field}的提示"),
        };
        let got: Vec<FieldIssue> = [
            issue(wit::Severity::Error, "group"),
            issue(wit::Severity::Warning, "capacity"),
            issue(wit::Severity::Info, ""),
        ]
        .into_iter()
        .map(field_issue)
        .collect();
        assert_eq!(
            got,
            [
                FieldIssue {
                    field: "group".into(),
                    severity: Severity::Error,
                    message: "group的提示".into(),
                },
                FieldIssue {
                    field: "capacity".into(),
                    severity: Severity::Warning,
                    message: "capacity的提示".into(),
                },
                // Info is shown like a warning: seen, not blocking.
                FieldIssue {
                    field: String::new(),
                    severity: Severity::Warning,
                    message: "的提示".into(),
                },
            ]
        );
    }

    #[test]
    fn target_values_and_classifications_keep_every_field() {
        let v = target_value(wit::TargetValue {
            target_id: "mine-count".into(),
            value: 8.5,
            town: Some("u12".into()),
        });
        assert_eq!(
            v,
            TargetValue {
                target_id: "mine-count".into(),
                value: 8.5,
                town: Some("u12".into()),
            }
        );
        let c = classification(wit::Classification {
            record_id: "3".into(),
            rule: "gas-class".into(),
            value: "煤与瓦斯突出".into(),
            reason: "超过6个月未鉴定".into(),
        });
        assert_eq!(
            c,
            Classification {
                record_id: "3".into(),
                rule: "gas-class".into(),
                value: "煤与瓦斯突出".into(),
                reason: "超过6个月未鉴定".into(),
            }
        );
    }

    #[test]
    fn a_description_keeps_every_field() {
        let some = |s: &str| Some(s.to_owned());
        let w = wit::Description {
            identity: wit::Identity {
                sector_id: "coal-mining".into(),
                name: "煤矿安全专项整治".into(),
                short_name: "煤矿".into(),
                version: "1.2.0".into(),
                api_version: "1.0.0".into(),
                department: "区能源局".into(),
            },
            plan: wit::Plan {
                code: "附件4".into(),
                title: "方案".into(),
                goals: "目标".into(),
                source: "种子".into(),
                phases: vec![wit::Phase {
                    name: "动员部署".into(),
                    start: "2020-05-01".into(),
                    end: "2020-06-30".into(),
                }],
                tasks: vec![wit::Task {
                    label: "(一)1".into(),
                    section: "(一)".into(),
                    title: "标题".into(),
                    text: "内容".into(),
                    roles_text: some("(区能源局牵头)"),
                    roles: [
                        wit::Role::Lead,
                        wit::Role::Responsible,
                        wit::Role::Cooperating,
                    ]
                    .into_iter()
                    .map(|role| wit::UnitRole {
                        unit: "区能源局".into(),
                        role,
                        note: some("备注"),
                    })
                    .collect(),
                    deadlines: vec!["2020年6月底前".into()],
                    phase: some("动员部署"),
                }],
            },
            targets: [
                (wit::Comparator::Reach, wit::Scope::District),
                (wit::Comparator::AtLeast, wit::Scope::PerTown),
                (wit::Comparator::AtMost, wit::Scope::District),
                (wit::Comparator::DecreaseBy, wit::Scope::PerTown),
            ]
            .into_iter()
            .enumerate()
            .map(|(i, (comparator, scope))| wit::Target {
                id: format!("t{i}"),
                name: "指标".into(),
                unit: "处".into(),
                comparator,
                checkpoints: vec![wit::Checkpoint {
                    year: 2022,
                    value: 8.0,
                    due: some("2022-06-30"),
                }],
                baseline: Some(wit::Baseline {
                    year: 2019,
                    value: Some(3.0),
                }),
                scope,
                form: some("register"),
                inputs: vec!["group".into()],
            })
            .collect(),
            forms: vec![wit::Form {
                id: "register".into(),
                title: "台账".into(),
                fields: vec![wit::Field {
                    name: "group".into(),
                    kind: wit::FieldKind::SelectOne,
                    label: "分组".into(),
                    hint: some("提示"),
                    required: true,
                    constraint: some(". != ''"),
                    constraint_message: some("约束提示"),
                    relevant: some("${a} = 1"),
                    default: some("keep"),
                    read_only: true,
                    calculation: some("1 + 1"),
                    choices: vec![wit::Choice {
                        name: "keep".into(),
                        label: "保留".into(),
                        filter: some("state"),
                    }],
                    choice_filter: some("filter = ${ownership}"),
                    unit: some("万吨/年"),
                }],
            }],
        };
        let d = description(w);
        assert_eq!(
            d.identity,
            Identity {
                sector_id: "coal-mining".into(),
                name: "煤矿安全专项整治".into(),
                short_name: "煤矿".into(),
                version: "1.2.0".into(),
                api_version: "1.0.0".into(),
                department: "区能源局".into(),
            }
        );
        assert_eq!(
            (
                d.plan.code.as_str(),
                d.plan.title.as_str(),
                d.plan.goals.as_str(),
                d.plan.source.as_str()
            ),
            ("附件4", "方案", "目标", "种子")
        );
        assert_eq!(
            d.plan.phases,
            [Phase {
                name: "动员部署".into(),
                start: "2020-05-01".into(),
                end: "2020-06-30".into(),
            }]
        );
        assert_eq!(
            d.plan.tasks,
            [Task {
                label: "(一)1".into(),
                section: "(一)".into(),
                title: "标题".into(),
                text: "内容".into(),
                roles_text: some("(区能源局牵头)"),
                roles: [Role::Lead, Role::Responsible, Role::Cooperating]
                    .into_iter()
                    .map(|role| UnitRole {
                        unit: "区能源局".into(),
                        role,
                        note: some("备注"),
                    })
                    .collect(),
                deadlines: vec!["2020年6月底前".into()],
                phase: some("动员部署"),
            }]
        );
        let expected: Vec<Target> = [
            (Comparator::Reach, TargetScope::District),
            (Comparator::AtLeast, TargetScope::PerTown),
            (Comparator::AtMost, TargetScope::District),
            (Comparator::DecreaseBy, TargetScope::PerTown),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, (comparator, scope))| Target {
            id: format!("t{i}"),
            name: "指标".into(),
            unit: "处".into(),
            comparator,
            checkpoints: vec![Checkpoint {
                year: 2022,
                value: 8.0,
                due: some("2022-06-30"),
            }],
            baseline: Some(Baseline {
                year: 2019,
                value: Some(3.0),
            }),
            scope,
            form: some("register"),
            inputs: vec!["group".into()],
        })
        .collect();
        assert_eq!(d.targets, expected);
        assert_eq!(
            d.forms,
            [Form {
                id: "register".into(),
                title: "台账".into(),
                fields: vec![Field {
                    name: "group".into(),
                    kind: FieldKind::SelectOne,
                    label: "分组".into(),
                    hint: some("提示"),
                    required: true,
                    constraint: some(". != ''"),
                    constraint_message: some("约束提示"),
                    relevant: some("${a} = 1"),
                    default: some("keep"),
                    read_only: true,
                    calculation: some("1 + 1"),
                    choices: vec![ChoiceDef {
                        name: "keep".into(),
                        label: "保留".into(),
                        filter: some("state"),
                    }],
                    choice_filter: some("filter = ${ownership}"),
                    unit: some("万吨/年"),
                }],
            }]
        );
    }

    #[test]
    fn every_field_kind_has_its_own_kind() {
        use wit::FieldKind as W;
        let all = [
            W::Text,
            W::Integer,
            W::Decimal,
            W::Date,
            W::SelectOne,
            W::SelectMany,
            W::UnitRef,
            W::TownRef,
            W::EnterpriseRef,
            W::YesNo,
            W::Note,
            W::Calculate,
            W::BeginRepeat,
            W::EndRepeat,
        ];
        let got: Vec<String> = all
            .into_iter()
            .map(|k| format!("{:?}", field_kind(k)))
            .collect();
        let names: Vec<String> = all.into_iter().map(|k| format!("{k:?}")).collect();
        // Same names, so no kind is mapped onto another.
        let names: Vec<String> = names
            .into_iter()
            .map(|n| n.trim_start_matches("FieldKind::").to_owned())
            .collect();
        assert_eq!(got, names);
    }
}
