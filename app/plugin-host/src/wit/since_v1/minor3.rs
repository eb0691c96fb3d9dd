//! What `anwei:plugin@1.3` adds to 1.2 (`plugin-sdk/wit/v1.3/`): `hazard-standards`, the
//! sector's hazard categories and the 判定标准 checklist items a recorded hazard cites. Every
//! other call of a 1.3 plugin goes through the older bindings; this module's bindings are
//! used only for `hazard-standards`, and only a component that exports it gets a [`Pre`].

use anwei_core::{HazardCategory, HazardClause};

use crate::error::Result;
use crate::runtime::{DESCRIBE_BUDGET, Runtime};

mod bindings {
    wasmtime::component::bindgen!({
        path: "../../plugin-sdk/wit/v1.3",
        world: "sector-plugin",
    });
}

use bindings::exports::anwei::plugin::plugin as wit;

/// A compiled plugin that exports the 1.3 function, ready to instantiate.
pub(crate) type Pre = bindings::SectorPluginPre<crate::runtime::Limits>;

/// The plugin's hazard checklist, on a fresh instance within the describe budget.
pub(crate) fn hazard_standards(
    rt: &Runtime,
    plugin: &str,
    pre: &Pre,
) -> Result<Vec<HazardCategory>> {
    let list = rt.run(
        plugin,
        DESCRIBE_BUDGET,
        |s| pre.instantiate(s),
        |p, s| p.anwei_plugin_plugin().call_hazard_standards(s),
    )?;
    Ok(list.into_iter().map(category).collect())
}

fn category(c: wit::HazardCategory) -> HazardCategory {
    let wit::HazardCategory {
        id,
        name,
        standard,
        line,
        clauses,
    } = c;
    HazardCategory {
        id,
        name,
        standard,
        line,
        clauses: clauses
            .into_iter()
            .map(|k| {
                let wit::HazardClause {
                    id,
                    text,
                    line,
                    major,
                } = k;
                HazardClause {
                    id,
                    text,
                    line,
                    major,
                }
            })
            .collect(),
    }
}
