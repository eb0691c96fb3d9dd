//! What `anwei:plugin@1.2` adds to 1.1 (`plugin-sdk/wit/v1.2/`): `details`, what 1.0's
//! `describe` cannot say (左右, ranges, 清零 and 全覆盖, source lines, recurring duties, phase
//! texts, the source's inconsistencies, unit kinds and spellings). Every other call of a 1.2
//! plugin goes through the 1.0 and 1.1 bindings; this module's bindings are used only for
//! `details`, and only a component that exports it gets a [`Pre`].

use anwei_core::deadline::Recurrence;
use anwei_core::target::SourceRef;
use anwei_core::unit::UnitKind;

use crate::description::{Details, Measure, PhaseDetail, SourceNote, TargetDetail, UnitDetail};
use crate::error::Result;
use crate::runtime::{DESCRIBE_BUDGET, Runtime};

mod bindings {
    wasmtime::component::bindgen!({
        path: "../../plugin-sdk/wit/v1.2",
        world: "sector-plugin",
    });
}

use bindings::exports::anwei::plugin::plugin as wit;

/// A compiled plugin that exports the 1.2 function, ready to instantiate.
pub(crate) type Pre = bindings::SectorPluginPre<crate::runtime::Limits>;

/// The plugin's details, on a fresh instance within the describe budget.
pub(crate) fn details(rt: &Runtime, plugin: &str, pre: &Pre) -> Result<Details> {
    let d = rt.run(
        plugin,
        DESCRIBE_BUDGET,
        |s| pre.instantiate(s),
        |p, s| p.anwei_plugin_plugin().call_details(s),
    )?;
    Ok(details_of(d))
}

fn details_of(d: wit::PlanDetails) -> Details {
    let wit::PlanDetails {
        targets,
        phases,
        notes,
        units,
    } = d;
    Details {
        targets: targets.into_iter().map(target_detail).collect(),
        phases: phases
            .into_iter()
            .map(|p| {
                let wit::PhaseDetail { name, text, line } = p;
                PhaseDetail { name, text, line }
            })
            .collect(),
        notes: notes
            .into_iter()
            .map(|n| {
                let wit::SourceNote {
                    lines,
                    text,
                    tasks,
                    targets,
                } = n;
                SourceNote {
                    lines,
                    text,
                    tasks,
                    targets,
                }
            })
            .collect(),
        units: units.into_iter().map(unit_detail).collect(),
    }
}

fn target_detail(t: wit::TargetDetail) -> TargetDetail {
    let wit::TargetDetail {
        target_id,
        measure,
        period,
        sources,
        task,
        note,
    } = t;
    TargetDetail {
        target_id,
        measure: measure.map(|m| match m {
            wit::Measure::About(t) => Measure::About(t),
            wit::Measure::Between(u) => Measure::Between(u),
            wit::Measure::Zero => Measure::Zero,
            wit::Measure::FullCoverage => Measure::FullCoverage,
        }),
        period: period.map(|p| match p {
            wit::Period::TenDays => Recurrence::TenDays,
            wit::Period::Monthly => Recurrence::Monthly,
            wit::Period::Quarterly => Recurrence::Quarterly,
            wit::Period::HalfYearly => Recurrence::HalfYearly,
            wit::Period::Yearly => Recurrence::Yearly,
        }),
        sources: sources
            .into_iter()
            .map(|s| {
                let wit::SourceRef { line, quote } = s;
                SourceRef { line, quote }
            })
            .collect(),
        task,
        note,
    }
}

fn unit_detail(u: wit::UnitDetail) -> UnitDetail {
    let wit::UnitDetail {
        name,
        kind,
        aliases,
    } = u;
    UnitDetail {
        name,
        kind: match kind {
            wit::UnitKind::Party => UnitKind::Party,
            wit::UnitKind::Department => UnitKind::Department,
            wit::UnitKind::Local => UnitKind::Local,
            wit::UnitKind::Agency => UnitKind::Agency,
            wit::UnitKind::Office => UnitKind::Office,
            wit::UnitKind::Enterprise => UnitKind::Enterprise,
            wit::UnitKind::Company => UnitKind::Company,
        },
        aliases: aliases
            .into_iter()
            .map(|a| {
                let wit::UnitAlias { name, line } = a;
                (name, line)
            })
            .collect(),
    }
}
