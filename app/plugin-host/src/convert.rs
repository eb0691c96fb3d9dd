//! A plugin's description ([`Description`], whatever its API version) as anwei_core types:
//! a sector plan (kind `Sector`, sector id set), tasks with parsed deadlines, targets, forms.
//! Merged into a [`CampaignData`] the same way the demo campaign is loaded, so the store
//! imports it like any campaign content.

use anwei_core::campaign::{
    CampaignData, Phase, PhaseText, Plan, PlanAnnotations, PlanKind, SourceNote, Task, UnitRole,
};
use anwei_core::deadline::{Deadline, parse_deadline};
use anwei_core::form::{FieldDef, FieldKind, FormDef};
use anwei_core::role_words::{Annotated, role_words};
use anwei_core::target::{Checkpoint, Comparator, Target, TargetSource};
use anwei_core::unit::{UnitDirectory, UnitKind, normalize_unit_name};
use chrono::{Datelike, NaiveDate};

use crate::description::{self as desc, Description, Measure};
use crate::error::{PluginError, Result};

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| PluginError::Convert(format!("日期“{s}”无效")))
}

/// The sector plan, its tasks and targets, with unit names resolved through `directory`
/// (new names are added as units). `order` is the plan's position in the campaign.
pub fn plan_parts(
    d: &Description,
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
    // The units the plan declares (kinds, other spellings) before its tasks name them.
    for u in &d.details.units {
        directory.declare(&u.name, u.kind, &u.aliases, &plan_id);
    }
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
            .map(|r| {
                if normalize_unit_name(&r.unit).is_empty() {
                    return Err(PluginError::Convert(format!(
                        "任务{}的单位名称“{}”为空",
                        t.label,
                        r.unit.escape_debug()
                    )));
                }
                Ok(UnitRole {
                    unit: directory.resolve_or_add(&r.unit, UnitKind::Department),
                    role: r.role,
                    note: r.note.clone(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
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
            let detail = d.details.targets.iter().find(|x| x.target_id == t.id);
            let measure = detail.and_then(|x| x.measure.as_ref());
            let (comparator, tolerance) = match measure {
                None => (t.comparator, None),
                Some(Measure::About(tol)) => (Comparator::About, Some(*tol)),
                Some(Measure::Between(_)) => (Comparator::Between, None),
                Some(Measure::Zero) => (Comparator::Zero, None),
                Some(Measure::FullCoverage) => (Comparator::FullCoverage, None),
            };
            let uppers = match measure {
                Some(Measure::Between(u)) => u.as_slice(),
                _ => &[],
            };
            Ok(Target {
                id: format!("{sector}/{}", t.id),
                plan: plan_id.clone(),
                name: t.name.clone(),
                unit: t.unit.clone(),
                comparator,
                checkpoints: t
                    .checkpoints
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        Ok(Checkpoint {
                            year: c.year,
                            value: c.value,
                            due: c.due.as_deref().map(date).transpose()?,
                            upper: uppers.get(i).copied(),
                        })
                    })
                    .collect::<Result<Vec<_>>>()?,
                // A baseline year without its figure (the seed's "在2019年基础上下降20%") is
                // kept: the figure is entered later.
                baseline: t.baseline.clone(),
                scope: t.scope,
                computed_from: t.form.as_ref().map(|f| format!("{sector}/{f}")),
                progress_of: None,
                measurements: Vec::new(),
                tolerance,
                source: detail.map_or_else(TargetSource::default, |x| TargetSource {
                    refs: x.sources.clone(),
                    task: x.task.clone(),
                    note: x.note.clone(),
                    period: x.period,
                }),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let annotations = PlanAnnotations {
        phases: d
            .details
            .phases
            .iter()
            .map(|p| PhaseText {
                name: p.name.clone(),
                text: p.text.clone(),
                line: p.line,
            })
            .collect(),
        notes: d
            .details
            .notes
            .iter()
            .map(|n| SourceNote {
                lines: n.lines.clone(),
                text: n.text.clone(),
                tasks: n.tasks.clone(),
                targets: n.targets.iter().map(|t| format!("{sector}/{t}")).collect(),
            })
            .collect(),
        // Read from the annotations with the units' names as the plugin spelled them (the
        // directory may know a unit by another name).
        role_words: role_words(
            &d.plan
                .tasks
                .iter()
                .filter_map(|t| {
                    Some(Annotated {
                        text: t.roles_text.as_deref()?,
                        units: t.roles.iter().map(|r| (r.unit.as_str(), r.role)).collect(),
                    })
                })
                .collect::<Vec<_>>(),
        ),
    };
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
        annotations,
    };
    Ok((plan, tasks, targets))
}

/// Runs the import's conversion on a description without importing it: the plan, tasks and
/// targets against an empty (scratch) unit directory, and every form. Install refuses a
/// plugin whose content could never be imported (e.g. a deadline "99999年") with the
/// conversion's own message.
pub fn check_importable(d: &Description) -> Result<()> {
    let start_year = d
        .plan
        .phases
        .first()
        .and_then(|p| date(&p.start).ok())
        .map_or(2020, |d| d.year());
    let mut scratch = UnitDirectory::default();
    plan_parts(d, "scratch", start_year, 1, &mut scratch)?;
    for f in &d.forms {
        form_def(&d.identity.sector_id, &d.identity.version, f)?;
    }
    Ok(())
}

/// Adds (or replaces) the plugin's sector plan in `data`: plan, tasks and targets; unit
/// names are resolved through the campaign's unit directory.
pub fn merge_into(data: &mut CampaignData, d: &Description) -> Result<()> {
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

/// An optional text of a plugin's field, `None` when blank.
fn opt(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// One `survey` row as a field; a `begin-repeat` row becomes an empty group (its fields are
/// added by [`form_def`]).
fn field_def(f: &desc::Field) -> FieldDef {
    use desc::FieldKind as W;
    let kind = match f.kind {
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
        W::BeginRepeat | W::EndRepeat => FieldKind::Repeat { fields: Vec::new() },
    };
    FieldDef {
        name: f.name.clone(),
        kind,
        label: f.label.clone(),
        hint: opt(&f.hint),
        required: f.required,
        constraint: opt(&f.constraint),
        constraint_message: opt(&f.constraint_message),
        relevant: opt(&f.relevant),
        default: opt(&f.default),
        read_only: f.read_only,
        calculation: opt(&f.calculation),
        choices: f.choices.clone(),
        choice_filter: opt(&f.choice_filter),
        unit: opt(&f.unit),
    }
}

/// A plugin's form as the desk keeps it: id `SECTOR/FORM`, the plugin's `version`, and the
/// flat `survey` rows nested: the fields between a `begin-repeat` row and its `end-repeat`
/// row become the group's fields (groups may nest). An `end-repeat` without a group open, or
/// a group never closed, is an error.
pub fn form_def(sector: &str, version: &str, f: &desc::Form) -> Result<FormDef> {
    // Open groups, innermost last: the group's own row and the fields gathered so far.
    let mut open: Vec<(FieldDef, Vec<FieldDef>)> = Vec::new();
    let mut top: Vec<FieldDef> = Vec::new();
    for row in &f.fields {
        match row.kind {
            desc::FieldKind::BeginRepeat => open.push((field_def(row), Vec::new())),
            desc::FieldKind::EndRepeat => {
                let (mut group, fields) = open.pop().ok_or_else(|| {
                    PluginError::Convert(format!(
                        "表单“{}”的重复组结束行“{}”前没有对应的开始行",
                        f.title, row.name
                    ))
                })?;
                group.kind = FieldKind::Repeat { fields };
                match open.last_mut() {
                    Some((_, parent)) => parent.push(group),
                    None => top.push(group),
                }
            }
            _ => {
                let field = field_def(row);
                match open.last_mut() {
                    Some((_, parent)) => parent.push(field),
                    None => top.push(field),
                }
            }
        }
    }
    if let Some((group, _)) = open.last() {
        return Err(PluginError::Convert(format!(
            "表单“{}”的重复组“{}”没有结束行",
            f.title,
            group.display_label()
        )));
    }
    Ok(FormDef {
        id: format!("{sector}/{}", f.id),
        title: f.title.clone(),
        version: version.to_owned(),
        fields: top,
    })
}

#[cfg(test)]
mod form_tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn row(name: &str, kind: desc::FieldKind) -> desc::Field {
        desc::Field {
            name: name.into(),
            kind,
            label: name.to_uppercase(),
            hint: Some("  ".into()),
            required: false,
            constraint: None,
            constraint_message: None,
            relevant: None,
            default: None,
            read_only: false,
            calculation: None,
            choices: Vec::new(),
            choice_filter: None,
            unit: None,
        }
    }

    fn form(rows: Vec<desc::Field>) -> desc::Form {
        desc::Form {
            id: "checks".into(),
            title: "检查记录".into(),
            fields: rows,
        }
    }

    #[test]
    fn repeat_rows_nest_and_choice_filters_carry_over() {
        use desc::FieldKind as K;
        let mut office = row("office", K::SelectOne);
        office.choices = vec![
            anwei_core::form::ChoiceDef {
                name: "energy".into(),
                label: "区能源局".into(),
                filter: Some("state".into()),
            },
            anwei_core::form::ChoiceDef {
                name: "town".into(),
                label: "镇安办".into(),
                filter: None,
            },
        ];
        office.choice_filter = Some("filter = ${ownership}".into());
        let mut items = row("items", K::BeginRepeat);
        items.required = true;
        let f = form(vec![
            row("mine", K::Text),
            items,
            row("what", K::Text),
            row("steps", K::BeginRepeat),
            row("step", K::Date),
            row("steps_end", K::EndRepeat),
            office,
            row("items_end", K::EndRepeat),
            row("remarks", K::Text),
        ]);
        let d = form_def("coal-mining", "1.2.0", &f).unwrap();
        assert_eq!(d.id, "coal-mining/checks");
        assert_eq!(d.version, "1.2.0");
        let top: Vec<&str> = d.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(top, ["mine", "items", "remarks"]);
        let items = d.field("items").unwrap();
        assert!(items.required);
        let inner: Vec<&str> = items.children().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(inner, ["what", "steps", "office"]);
        assert_eq!(
            d.field("items[0]/steps[1]/step").unwrap().kind,
            FieldKind::Date
        );
        let office = d.field("items[0]/office").unwrap();
        assert_eq!(
            office.choice_filter.as_deref(),
            Some("filter = ${ownership}")
        );
        assert_eq!(office.choices[0].filter.as_deref(), Some("state"));
        assert_eq!(office.choices[1].filter, None);
        // blank optional texts become none
        assert_eq!(d.field("mine").unwrap().hint, None);
    }

    #[test]
    fn unbalanced_repeat_rows_are_errors() {
        use desc::FieldKind as K;
        let unopened = form(vec![row("a", K::Text), row("x_end", K::EndRepeat)]);
        let e = form_def("s", "1", &unopened).unwrap_err().to_string();
        assert!(e.contains("结束行“x_end”前没有对应的开始行"), "{e}");
        let unclosed = form(vec![
            row("g", K::BeginRepeat),
            row("h", K::BeginRepeat),
            row("h_end", K::EndRepeat),
        ]);
        let e = form_def("s", "1", &unclosed).unwrap_err().to_string();
        assert!(e.contains("重复组“G”没有结束行"), "{e}");
    }
}
