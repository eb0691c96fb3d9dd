//! The year-end 考核 sheets from what the store holds and the plugins compute: the tasks as
//! of the sheet's day, the targets missed (charged to the unit that leads most of their
//! plan's tasks: the sector's department), the supervision registers and the office's rules
//! ([`anwei_core::assessment`] does the scoring).

use std::collections::{BTreeMap, BTreeSet};

use anwei_core::assessment::{Facts, MissedTarget, Sheet, sheets};
use anwei_core::reports::is_collective;
use anwei_core::supervision::Registers;
use anwei_core::{RowContext, TargetStatus, Task, TaskRow, UnitKind};
use chrono::NaiveDate;

use crate::{Session, SessionError};

/// The sheets of a year and what kept part of them from being made.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub year: i32,
    pub as_of: NaiveDate,
    /// The campaign whose tasks and targets were assessed.
    pub campaign: String,
    pub sheets: Vec<Sheet>,
    /// Unit id → name.
    pub names: BTreeMap<String, String>,
    /// Said on the sheet: e.g. the targets could not be computed.
    pub problems: Vec<String>,
}

impl Assessment {
    pub fn name_of<'a>(&'a self, unit: &'a str) -> &'a str {
        self.names.get(unit).map_or(unit, String::as_str)
    }
}

/// The unit that leads most of a plan's tasks (the lowest id on a tie), per plan.
fn plan_leads(tasks: &[Task]) -> BTreeMap<String, String> {
    let mut counts: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for t in tasks {
        for r in t.roles.iter().filter(|r| r.role == anwei_core::Role::Lead) {
            *counts
                .entry(t.plan.as_str())
                .or_default()
                .entry(r.unit.as_str())
                .or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter_map(|(plan, units)| {
            let best = units.values().copied().max()?;
            let unit = units.into_iter().find(|(_, n)| *n == best)?.0;
            Some((plan.to_owned(), unit.to_owned()))
        })
        .collect()
}

/// The units assessed: every one body with a task of the campaign (as lead, else
/// responsible) or named in the registers of the year, that is not an enterprise or an
/// office (id and name), in id order. The task rows name units by name.
fn members(
    rows: &[TaskRow],
    registers: &Registers,
    year: i32,
    directory: &anwei_core::UnitDirectory,
) -> Vec<(String, String)> {
    use chrono::Datelike;
    let mut ids: BTreeSet<String> = BTreeSet::new();
    for r in rows {
        let units = if r.lead_units.is_empty() {
            &r.responsible_units
        } else {
            &r.lead_units
        };
        ids.extend(units.iter().cloned());
    }
    ids.extend(
        registers
            .items
            .iter()
            .filter(|i| i.deadline.year() == year)
            .map(|i| i.unit.clone()),
    );
    ids.extend(
        registers
            .circulars
            .iter()
            .filter(|c| c.year == year)
            .flat_map(|c| c.named.iter().filter(|n| n.member).map(|n| n.unit.clone())),
    );
    ids.extend(
        registers
            .accidents
            .iter()
            .filter(|a| a.date.year() == year)
            .map(|a| a.unit.clone()),
    );
    ids.extend(
        registers
            .deductions
            .iter()
            .filter(|d| d.year == year)
            .map(|d| d.unit.clone()),
    );
    ids.into_iter()
        .filter_map(|id| directory.get(&id).or_else(|| directory.resolve(&id)))
        .filter(|u| {
            !is_collective(&u.name) && !matches!(u.kind, UnitKind::Enterprise | UnitKind::Office)
        })
        .map(|u| (u.id.clone(), u.name.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

impl Session {
    /// The 考核 sheets of `year` for the campaign `campaign` (else the current one), made on
    /// `today`: as of the year's last day, or `today` when earlier. `unit`: only its sheet.
    /// Without plugins the targets are not computed: the sheets say so and take nothing off
    /// for them.
    pub fn assessment(
        &self,
        year: i32,
        campaign: Option<&str>,
        unit: Option<&str>,
        today: NaiveDate,
    ) -> Result<Assessment, SessionError> {
        let store = self.store();
        let as_of = NaiveDate::from_ymd_opt(year, 12, 31).map_or(today, |end| end.min(today));
        let Some(scope) = store.campaign_scope(campaign, as_of)? else {
            return Err(SessionError::NoCampaign);
        };
        let directory = store.unit_directory()?;
        let latest = store.latest_progress(as_of)?;
        let settings = store.settings()?;
        let rows = RowContext {
            campaign: &scope.campaign,
            plans: &scope.plans,
            units: &directory,
            progress: &latest,
            rules: settings.rules(),
            today: as_of,
            applicability: &settings.not_applicable,
            deadlines: &settings.deadline_changes,
        }
        .rows(&scope.tasks);
        let registers = store.supervision_registers()?;
        let mut problems = Vec::new();
        let mut missed = Vec::new();
        if self.host().is_some() {
            let leads = plan_leads(&scope.tasks);
            let (targets, target_problems) =
                self.target_rows(Some(&scope.campaign.id), None, as_of)?;
            problems.extend(target_problems);
            for t in targets
                .iter()
                .filter(|t| t.status == TargetStatus::OverdueUnmet)
            {
                let Some(unit) = leads.get(&t.target.plan) else {
                    continue;
                };
                let reached = t
                    .evaluation
                    .current
                    .as_ref()
                    .map_or_else(|| "无数据".to_owned(), |c| format!("{}", c.value));
                let required = t
                    .evaluation
                    .checkpoint
                    .as_ref()
                    .map(|c| t.target.requirement_text(c))
                    .unwrap_or_default();
                missed.push(MissedTarget {
                    unit: unit.clone(),
                    target: t.target.id.clone(),
                    text: format!("{}（要求{required}，实际{reached}）", t.target.name),
                });
            }
        } else {
            problems.push("行业插件未启动，指标未能计算，未计“目标未完成”的扣分".to_owned());
        }
        let mut units = members(&rows, &registers, year, &directory);
        if let Some(only) = unit {
            units.retain(|(id, _)| id == only);
            if units.is_empty() {
                units.push((only.to_owned(), directory.name_of(only).to_owned()));
            }
        }
        let rules = settings.supervision.clone();
        let facts = Facts {
            year,
            today,
            rules: &rules,
            registers: &registers,
            rows: &rows,
            missed_targets: &missed,
        };
        let sheets = sheets(&facts, &units);
        let names = units.into_iter().collect();
        Ok(Assessment {
            year,
            as_of,
            campaign: scope.campaign.id.clone(),
            sheets,
            names,
            problems,
        })
    }
}
