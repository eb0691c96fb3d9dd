//! Plan content as JSON (kept in the plugin crate with `include_str!`), converted to the WIT
//! types. This is the easy path for department developers: write the plan as data.

use serde::Deserialize;

use crate::{Baseline, Checkpoint, Comparator, Phase, Plan, Role, Scope, Target, Task, UnitRole};

/// Why content JSON could not be read.
#[derive(Debug)]
pub struct ContentError(pub String);

impl std::fmt::Display for ContentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "插件内容格式错误：{}", self.0)
    }
}

impl std::error::Error for ContentError {}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanContent {
    pub code: String,
    pub title: String,
    #[serde(default)]
    pub goals: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub phases: Vec<PhaseContent>,
    pub tasks: Vec<TaskContent>,
    #[serde(default)]
    pub targets: Vec<TargetContent>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseContent {
    pub name: String,
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskContent {
    pub label: String,
    #[serde(default)]
    pub section: String,
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub roles_text: Option<String>,
    #[serde(default)]
    pub roles: Vec<RoleContent>,
    #[serde(default)]
    pub deadlines: Vec<String>,
    #[serde(default)]
    pub phase: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleContent {
    /// "lead" | "responsible" | "cooperating"
    pub role: String,
    pub unit: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetContent {
    pub id: String,
    pub name: String,
    pub unit: String,
    /// "reach" | "at_least" | "at_most" | "decrease_by"
    pub comparator: String,
    pub checkpoints: Vec<CheckpointContent>,
    #[serde(default)]
    pub baseline: Option<BaselineContent>,
    /// "district" | "per_town"
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub form: Option<String>,
    /// Fields of `form` the computation reads (`compute` receives only these).
    #[serde(default)]
    pub inputs: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckpointContent {
    pub year: i32,
    pub value: f64,
    #[serde(default)]
    pub due: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineContent {
    pub year: i32,
    #[serde(default)]
    pub value: Option<f64>,
}

fn role(s: &str) -> Result<Role, ContentError> {
    Ok(match s {
        "lead" => Role::Lead,
        "responsible" => Role::Responsible,
        "cooperating" => Role::Cooperating,
        other => return Err(ContentError(format!("未知的单位角色“{other}”"))),
    })
}

fn comparator(s: &str) -> Result<Comparator, ContentError> {
    Ok(match s {
        "reach" => Comparator::Reach,
        "at_least" => Comparator::AtLeast,
        "at_most" => Comparator::AtMost,
        "decrease_by" => Comparator::DecreaseBy,
        other => return Err(ContentError(format!("未知的比较方式“{other}”"))),
    })
}

impl PlanContent {
    /// Parses the JSON text.
    pub fn from_json(json: &str) -> Result<PlanContent, ContentError> {
        serde_json::from_str(json).map_err(|e| ContentError(e.to_string()))
    }

    /// The plan and its targets as WIT values.
    pub fn into_wit(self) -> Result<(Plan, Vec<Target>), ContentError> {
        let tasks = self
            .tasks
            .into_iter()
            .map(|t| {
                Ok(Task {
                    label: t.label,
                    section: t.section,
                    title: t.title,
                    text: t.text,
                    roles_text: t.roles_text,
                    roles: t
                        .roles
                        .into_iter()
                        .map(|r| {
                            Ok(UnitRole {
                                unit: r.unit,
                                role: role(&r.role)?,
                                note: r.note,
                            })
                        })
                        .collect::<Result<_, ContentError>>()?,
                    deadlines: t.deadlines,
                    phase: t.phase,
                })
            })
            .collect::<Result<Vec<_>, ContentError>>()?;
        let targets = self
            .targets
            .into_iter()
            .map(|t| {
                Ok(Target {
                    id: t.id,
                    name: t.name,
                    unit: t.unit,
                    comparator: comparator(&t.comparator)?,
                    checkpoints: t
                        .checkpoints
                        .into_iter()
                        .map(|c| Checkpoint {
                            year: c.year,
                            value: c.value,
                            due: c.due,
                        })
                        .collect(),
                    baseline: t.baseline.map(|b| Baseline {
                        year: b.year,
                        value: b.value,
                    }),
                    scope: match t.scope.as_deref() {
                        None | Some("district") => Scope::District,
                        Some("per_town") => Scope::PerTown,
                        Some(other) => {
                            return Err(ContentError(format!("未知的目标范围“{other}”")));
                        }
                    },
                    form: t.form,
                    inputs: t.inputs,
                })
            })
            .collect::<Result<Vec<_>, ContentError>>()?;
        let plan = Plan {
            code: self.code,
            title: self.title,
            goals: self.goals,
            source: self.source,
            phases: self
                .phases
                .into_iter()
                .map(|p| Phase {
                    name: p.name,
                    start: p.start,
                    end: p.end,
                })
                .collect(),
            tasks,
        };
        Ok((plan, targets))
    }
}

/// The plan and targets of `json`, or an empty plan when it does not parse (the host then
/// shows a plan without tasks; a unit test in the plugin should assert that it parses).
pub fn load(json: &str) -> (Plan, Vec<Target>) {
    PlanContent::from_json(json)
        .and_then(PlanContent::into_wit)
        .unwrap_or_else(|_| {
            (
                Plan {
                    code: String::new(),
                    title: String::new(),
                    goals: String::new(),
                    source: String::new(),
                    phases: Vec::new(),
                    tasks: Vec::new(),
                },
                Vec::new(),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_content() {
        let json = r#"{"code":"附件X","title":"t","tasks":[{"label":"(一)1","title":"a","text":"a。",
            "roles":[{"role":"lead","unit":"区能源局"}],"deadlines":["2020年底前"]}],
            "targets":[{"id":"n","name":"数量","unit":"处","comparator":"at_most",
            "checkpoints":[{"year":2022,"value":8}],"baseline":{"year":2019},
            "form":"register","inputs":["group"]}]}"#;
        let (plan, targets) = PlanContent::from_json(json).unwrap().into_wit().unwrap();
        assert_eq!(targets[0].inputs, ["group"]);
        assert_eq!(plan.tasks[0].roles[0].role, Role::Lead);
        assert_eq!(targets[0].comparator, Comparator::AtMost);
        assert_eq!(targets[0].baseline.as_ref().unwrap().value, None);
        assert!(PlanContent::from_json(r#"{"code":1}"#).is_err());
    }
}
