//! What `anwei:plugin@1.1` adds to 1.0 (`plugin-sdk/wit/v1.1/`): `summarize` and `combine`,
//! for registers computed one batch at a time. Every other call of a 1.1 plugin goes through
//! the 1.0 bindings (wasmtime finds a 1.1 export for a 1.0 lookup: same major version); this
//! module's bindings are used only for the two functions, and only a component that exports
//! them gets a [`Pre`] (a 1.0 plugin has none and computes in one call).

use anwei_core::TargetValue;
use wasmtime::Store;

use super::wit as v1_0;
use crate::error::Result;
use crate::runtime::{COMPUTE_BUDGET, Limits, Runtime};

mod bindings {
    wasmtime::component::bindgen!({
        path: "../../plugin-sdk/wit/v1.1",
        world: "sector-plugin",
    });
}

use bindings::exports::anwei::plugin::plugin as wit;

/// A compiled plugin that exports the 1.1 functions, ready to instantiate.
pub(crate) type Pre = bindings::SectorPluginPre<Limits>;

/// A 1.0 batch as the 1.1 functions take it (the same shape; the columns are moved, not
/// copied).
fn batch(b: v1_0::RecordBatch) -> wit::RecordBatch {
    let v1_0::RecordBatch { count, columns } = b;
    wit::RecordBatch {
        count,
        columns: columns
            .into_iter()
            .map(|c| {
                let v1_0::Column {
                    name,
                    kinds,
                    data,
                    texts,
                    choice_lists,
                } = c;
                wit::Column {
                    name,
                    kinds: kinds.into_iter().map(cell_kind).collect(),
                    data,
                    texts,
                    choice_lists,
                }
            })
            .collect(),
    }
}

fn cell_kind(k: v1_0::CellKind) -> wit::CellKind {
    use v1_0::CellKind as K;
    match k {
        K::None => wit::CellKind::None,
        K::Text => wit::CellKind::Text,
        K::Integer => wit::CellKind::Integer,
        K::Decimal => wit::CellKind::Decimal,
        K::Date => wit::CellKind::Date,
        K::Choices => wit::CellKind::Choices,
        K::Flag => wit::CellKind::Flag,
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

/// The plugin's summary of one batch (`None`: it computes the form only in one call), with
/// its peak linear memory (bytes).
pub(crate) fn summarize(
    rt: &Runtime,
    plugin: &str,
    pre: &Pre,
    form: &str,
    records: v1_0::RecordBatch,
    as_of: &str,
) -> Result<(Option<Vec<u8>>, usize)> {
    let records = batch(records);
    rt.run(
        plugin,
        COMPUTE_BUDGET,
        |s| pre.instantiate(s),
        |p, s: &mut Store<Limits>| {
            let out = p
                .anwei_plugin_plugin()
                .call_summarize(&mut *s, form, &records, as_of)?;
            Ok((out, s.data().peak_memory()))
        },
    )
}

/// Target values from the summaries of every batch, in order.
pub(crate) fn combine(
    rt: &Runtime,
    plugin: &str,
    pre: &Pre,
    form: &str,
    summaries: &[Vec<u8>],
    as_of: &str,
) -> Result<Vec<TargetValue>> {
    let values = rt.run(
        plugin,
        COMPUTE_BUDGET,
        |s| pre.instantiate(s),
        |p, s: &mut Store<Limits>| {
            p.anwei_plugin_plugin()
                .call_combine(&mut *s, form, summaries, as_of)
        },
    )?;
    Ok(values.into_iter().map(target_value).collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_batch_keeps_every_column_and_cell() {
        let b = v1_0::RecordBatch {
            count: 2,
            columns: vec![v1_0::Column {
                name: "status".into(),
                kinds: vec![v1_0::CellKind::Text, v1_0::CellKind::Flag],
                data: vec![0, 1],
                texts: vec!["producing".into()],
                choice_lists: vec![vec!["a".into()]],
            }],
        };
        let w = batch(b);
        assert_eq!(w.count, 2);
        let c = &w.columns[0];
        assert_eq!(c.name, "status");
        assert_eq!(c.kinds, vec![wit::CellKind::Text, wit::CellKind::Flag]);
        assert_eq!(c.data, vec![0, 1]);
        assert_eq!(c.texts, vec!["producing".to_owned()]);
        assert_eq!(c.choice_lists, vec![vec!["a".to_owned()]]);
    }
}
