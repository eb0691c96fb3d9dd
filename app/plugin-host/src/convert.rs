//! A plugin's description as anwei_core types: a sector plan (kind `Sector`, sector id set),
//! tasks with parsed deadlines, targets. Merged into a [`CampaignData`] the same way the demo
//! campaign is loaded, so the store imports it like any campaign content.

use anwei_core::campaign::{CampaignData, Phase, Plan, PlanKind, Role, Task, UnitRole};
use anwei_core::deadline::{Deadline, parse_deadline};
use anwei_core::target::{Baseline, Checkpoint, Comparator, Target, TargetScope};
use anwei_core::unit::{UnitDirectory, UnitKind};
use chrono::{Datelike, NaiveDate};

use crate::error::{PluginError, Result};
use crate::runtime::wit;

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| PluginError::Convert(format!("日期“{s}”无效")))
}

/// The sector plan, its tasks and targets, with unit names resolved through `directory`
/// (new names are added as units). `order` is the plan's position in the campaign.
pub fn plan_parts(
    d: &wit::Description,
    campaign_id: &str,
    campaign_start_year: i32,
    order: u32,
    directory: &mut UnitDirectory,
) -> Result<(Plan, Vec<Task>, Vec<Target>)> {
    let sector = d.identity.sector_id.clone();
    let plan_id = sector.clone();
    let phases = d
        .plan
        .phases
        .iter()
        .map(|p| {
            Ok(Phase {
                name: p.name.clone(),
                start: date(&p.start)?,
                end: date(&p.end)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let first_year = phases
        .first()
        .map(|p| p.start.year())
        .unwrap_or(campaign_start_year);
    let mut tasks = Vec::new();
    for (i, t) in d.plan.tasks.iter().enumerate() {
        let order = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let id = format!("{plan_id}/{order}");
        // A deadline without a year ("6月底前") takes the year of the one before it.
        let mut context = first_year;
        let mut deadlines: Vec<Deadline> = Vec::new();
        for text in &t.deadlines {
            let dl = parse_deadline(text, Some(context))
                .map_err(|e| PluginError::Convert(format!("任务{}的完成时间有误：{e}", t.label)))?;
            if let Some(due) = dl.due {
                context = due.year();
            }
            deadlines.push(dl);
        }
        let roles = t
            .roles
            .iter()
            .map(|r| UnitRole {
                unit: directory.resolve_or_add(&r.unit, UnitKind::Department),
                role: match r.role {
                    wit::Role::Lead => Role::Lead,
                    wit::Role::Responsible => Role::Responsible,
                    wit::Role::Cooperating => Role::Cooperating,
                },
                note: r.note.clone(),
            })
            .collect();
        tasks.push(Task {
            id,
            plan: plan_id.clone(),
            order,
            label: t.label.clone(),
            section: t.section.clone(),
            title: t.title.clone(),
            text: t.text.clone(),
            roles_text: t.roles_text.clone(),
            roles,
            deadlines,
            phase: t.phase.clone(),
        });
    }
    let targets = d
        .targets
        .iter()
        .map(|t| {
            Ok(Target {
                id: format!("{sector}/{}", t.id),
                plan: plan_id.clone(),
                name: t.name.clone(),
                unit: t.unit.clone(),
                comparator: match t.comparator {
                    wit::Comparator::Reach => Comparator::Reach,
                    wit::Comparator::AtLeast => Comparator::AtLeast,
                    wit::Comparator::AtMost => Comparator::AtMost,
                    wit::Comparator::DecreaseBy => Comparator::DecreaseBy,
                },
                checkpoints: t
                    .checkpoints
                    .iter()
                    .map(|c| {
                        Ok(Checkpoint {
                            year: c.year,
                            value: c.value,
                            due: c.due.as_deref().map(date).transpose()?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?,
                // anwei_core's Baseline needs a figure; a baseline year without one (the
                // seed's "在2019年基础上") is kept only in the plugin's description.
                baseline: t.baseline.as_ref().and_then(|b| {
                    b.value.map(|value| Baseline {
                        year: b.year,
                        value,
                    })
                }),
                scope: match t.scope {
                    wit::Scope::District => TargetScope::District,
                    wit::Scope::PerTown => TargetScope::PerTown,
                },
                computed_from: t.form.as_ref().map(|f| format!("{sector}/{f}")),
                measurements: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let plan = Plan {
        id: plan_id,
        campaign: campaign_id.to_owned(),
        order,
        code: d.plan.code.clone(),
        kind: PlanKind::Sector,
        title: d.plan.title.clone(),
        goals: d.plan.goals.clone(),
        source: d.plan.source.clone(),
        phases,
        sector: Some(sector),
    };
    Ok((plan, tasks, targets))
}

/// Adds (or replaces) the plugin's sector plan in `data`: plan, tasks and targets; unit
/// names are resolved through the campaign's unit directory.
pub fn merge_into(data: &mut CampaignData, d: &wit::Description) -> Result<()> {
    let mut directory = UnitDirectory::new(std::mem::take(&mut data.units))
        .map_err(|e| PluginError::Convert(e.to_string()))?;
    let sector = d.identity.sector_id.as_str();
    let existing = data.plans.iter().find(|p| p.id == sector).map(|p| p.order);
    let order = existing.unwrap_or_else(|| {
        data.plans
            .iter()
            .map(|p| p.order)
            .max()
            .unwrap_or(0)
            .saturating_add(1)
    });
    let (plan, tasks, targets) = plan_parts(
        d,
        &data.campaign.id,
        data.campaign.start.year(),
        order,
        &mut directory,
    )?;
    data.units = directory.into_units();
    data.plans.retain(|p| p.id != plan.id);
    data.tasks.retain(|t| t.plan != plan.id);
    data.targets.retain(|t| t.plan != plan.id);
    data.plans.push(plan);
    data.plans.sort_by_key(|p| p.order);
    data.tasks.extend(tasks);
    data.targets.extend(targets);
    Ok(())
}
