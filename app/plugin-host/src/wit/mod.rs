//! The plugin API as WIT defines it: one adapter per major version (`since_v1` for
//! `anwei:plugin@1.x`), each holding its bindgen output and every conversion between its
//! WIT types and the host's types (`anwei_core`, [`crate::description`]). Nothing outside
//! this module names a WIT type: the rest of the host holds a [`Pre`] (a compiled plugin of
//! some API version) and calls it with core types. A second major version is a new
//! `since_vN` module and one more variant of [`Pre`] and [`Batch`].

use std::borrow::Borrow;
use std::time::Duration;

use anwei_core::form::FieldIssue;
use anwei_core::{Classification, FormRecord, TargetValue};
use wasmtime::Store;
use wasmtime::component::InstancePre;

use crate::description::Description;
use crate::error::{PluginError, Result};
use crate::runtime::{Limits, Runtime};

pub(crate) mod since_v1;

/// The major version of the plugin API (`anwei:plugin@1.0.0`, `plugin-sdk/wit/v1/`) this
/// host speaks: a plugin describing itself with another major version is refused.
pub const API_MAJOR: u64 = 1;

/// A compiled plugin ready to instantiate, by the API version it exports: for 1.x, the 1.0
/// functions, and `summarize`/`combine` when the plugin exports 1.1.
#[derive(Clone)]
pub(crate) enum Pre {
    V1(
        since_v1::Pre,
        Option<since_v1::minor1::Pre>,
        Option<since_v1::minor2::Pre>,
        Option<since_v1::minor3::Pre>,
    ),
}

/// The records `compute` receives, encoded for the plugin's API version.
pub(crate) enum Batch {
    V1(since_v1::RecordBatch),
}

/// A batch built one record at a time ([`Pre::feed`]), for the plugin's API version.
pub(crate) enum Feed {
    V1(since_v1::batch::Streamed),
}

impl Feed {
    pub(crate) fn push(&mut self, record: &FormRecord) {
        match self {
            Feed::V1(s) => s.push(record),
        }
    }

    pub(crate) fn push_values<'v>(
        &mut self,
        values: impl Iterator<Item = (&'v str, anwei_core::ValueRef<'v>)>,
    ) {
        match self {
            Feed::V1(s) => s.push_values(values),
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Feed::V1(s) => s.len(),
        }
    }

    pub(crate) fn fields(&self) -> &[String] {
        match self {
            Feed::V1(s) => s.fields(),
        }
    }

    pub(crate) fn finish(self) -> Result<Batch> {
        match self {
            Feed::V1(s) => s.finish().map(Batch::V1),
        }
    }

    /// The records pushed so far as a batch; the feed is empty again.
    pub(crate) fn take(&mut self) -> Result<Batch> {
        match self {
            Feed::V1(s) => s.take().map(Batch::V1),
        }
    }
}

impl Pre {
    /// An empty batch of `fields` to push records into.
    pub(crate) fn feed(&self, fields: &[String]) -> Feed {
        match self {
            Pre::V1(..) => Feed::V1(since_v1::batch::Streamed::new(fields)),
        }
    }

    /// The component's exports as an API version this host speaks; an error when it exports
    /// none of them.
    pub(crate) fn new(instance_pre: InstancePre<Limits>) -> Result<Pre> {
        // Without `summarize` and `combine` (a 1.0 plugin) the 1.1 bindings do not fit: the
        // plugin computes in one call.
        let minor1 = since_v1::minor1::Pre::new(instance_pre.clone()).ok();
        // Without `details` (a 1.0 or 1.1 plugin) the description is all there is.
        let minor2 = since_v1::minor2::Pre::new(instance_pre.clone()).ok();
        // Without `hazard-standards` (1.0–1.2) the sector has no hazard checklist.
        let minor3 = since_v1::minor3::Pre::new(instance_pre.clone()).ok();
        since_v1::Pre::new(instance_pre)
            .map(|p| Pre::V1(p, minor1, minor2, minor3))
            .map_err(|e| {
                PluginError::Engine(format!("插件不符合 anwei:plugin@{API_MAJOR} 接口：{e:#}"))
            })
    }

    /// Whether the plugin exports `summarize` and `combine` (API 1.1).
    pub(crate) fn summarizes(&self) -> bool {
        match self {
            Pre::V1(_, minor1, ..) => minor1.is_some(),
        }
    }

    /// The plugin's summary of one batch (`None`: it computes the form only in one call, as
    /// does a plugin without `summarize`), with its peak linear memory (bytes).
    pub(crate) fn summarize(
        &self,
        rt: &Runtime,
        plugin: &str,
        form: &str,
        batch: Batch,
        as_of: &str,
    ) -> Result<(Option<Vec<u8>>, usize)> {
        match (self, batch) {
            (Pre::V1(_, Some(p), ..), Batch::V1(b)) => {
                since_v1::minor1::summarize(rt, plugin, p, form, b, as_of)
            }
            (Pre::V1(_, None, ..), _) => Ok((None, 0)),
        }
    }

    /// Target values from the summaries of every batch of a register, in order.
    pub(crate) fn combine(
        &self,
        rt: &Runtime,
        plugin: &str,
        form: &str,
        summaries: &[Vec<u8>],
        as_of: &str,
    ) -> Result<Vec<TargetValue>> {
        match self {
            Pre::V1(_, Some(p), ..) => {
                since_v1::minor1::combine(rt, plugin, p, form, summaries, as_of)
            }
            Pre::V1(_, None, ..) => Err(PluginError::Engine(
                "插件不支持分批计算（接口 1.0）".to_owned(),
            )),
        }
    }

    /// A fresh instance in `store`, not used further (the pool slot is held until the store
    /// is dropped).
    pub(crate) fn instantiate(&self, store: &mut Store<Limits>) -> wasmtime::Result<()> {
        match self {
            Pre::V1(p, ..) => p.instantiate(store).map(drop),
        }
    }

    pub(crate) fn describe(&self, rt: &Runtime, plugin: &str) -> Result<Description> {
        match self {
            Pre::V1(p, _, minor2, minor3) => {
                let mut d = since_v1::describe(rt, plugin, p)?;
                if let Some(m) = minor2 {
                    d.details = since_v1::minor2::details(rt, plugin, m)?;
                }
                if let Some(m) = minor3 {
                    d.hazards = since_v1::minor3::hazard_standards(rt, plugin, m)?;
                }
                Ok(d)
            }
        }
    }

    pub(crate) fn validate(
        &self,
        rt: &Runtime,
        plugin: &str,
        form: &str,
        record: &FormRecord,
        today: &str,
    ) -> Result<Vec<FieldIssue>> {
        match self {
            Pre::V1(p, ..) => since_v1::validate(rt, plugin, p, form, record, today),
        }
    }

    pub(crate) fn classify(
        &self,
        rt: &Runtime,
        plugin: &str,
        form: &str,
        record: &FormRecord,
        today: &str,
    ) -> Result<Vec<Classification>> {
        match self {
            Pre::V1(p, ..) => since_v1::classify(rt, plugin, p, form, record, today),
        }
    }

    /// `records` as this plugin's `compute` receives them: only the `fields` its targets
    /// read.
    pub(crate) fn batch<R: Borrow<FormRecord>>(
        &self,
        records: &[R],
        fields: &[String],
    ) -> Result<Batch> {
        match self {
            Pre::V1(..) => since_v1::batch::from_records(records, fields).map(Batch::V1),
        }
    }

    /// Target values from a batch made by [`Pre::batch`], with the plugin's peak linear
    /// memory (bytes).
    pub(crate) fn compute(
        &self,
        rt: &Runtime,
        plugin: &str,
        form: &str,
        batch: &Batch,
        as_of: &str,
    ) -> Result<(Vec<TargetValue>, usize)> {
        match (self, batch) {
            (Pre::V1(p, ..), Batch::V1(b)) => since_v1::compute(rt, plugin, p, form, b, as_of),
        }
    }

    /// `calls` validate calls on one instance, each timed (measurements only).
    pub(crate) fn validate_warm(
        &self,
        rt: &Runtime,
        plugin: &str,
        form: &str,
        record: &FormRecord,
        today: &str,
        calls: usize,
    ) -> Result<Vec<Duration>> {
        match self {
            Pre::V1(p, ..) => since_v1::validate_warm(rt, plugin, p, form, record, today, calls),
        }
    }
}

impl Batch {
    /// Number of records.
    pub(crate) fn len(&self) -> usize {
        match self {
            Batch::V1(b) => b.count as usize,
        }
    }

    /// sha256 of what `compute` receives: `key` (plugin code and form), the date and the
    /// batch.
    pub(crate) fn fingerprint(&self, key: &str, as_of: &str) -> String {
        match self {
            Batch::V1(b) => since_v1::batch::fingerprint(key, as_of, b),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    /// The WIT package this host's adapter is generated from has the major version the host
    /// announces.
    #[test]
    fn the_wit_package_is_the_announced_major_version() {
        let wit = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../plugin-sdk/wit/v1/plugin.wit"
        ))
        .unwrap();
        let package = format!("package anwei:plugin@{}.", super::API_MAJOR);
        assert!(wit.contains(&package), "{package}");
    }

    /// The body of a WIT package (everything after its `package` line, without the line
    /// that names the version the plugin was built against).
    fn wit_body(v: &str) -> (String, Vec<String>) {
        let wit = std::fs::read_to_string(format!(
            "{}/../../plugin-sdk/wit/{v}/plugin.wit",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let body = wit
            .lines()
            .skip_while(|l| !l.starts_with("package "))
            .skip(1)
            .filter(|l| !l.contains("The API version the plugin was built against"))
            .map(str::to_owned)
            .collect();
        (wit, body)
    }

    /// Every line of `old` is in `new`, in the same order, and `new` has `functions` more
    /// functions.
    fn only_adds(old: &str, new: &str, functions: usize) {
        let ((_, old_body), (_, new_body)) = (wit_body(old), wit_body(new));
        let mut rest = new_body.iter();
        for line in &old_body {
            assert!(
                rest.any(|l| l == line),
                "{old} line missing or moved in {new}: {line}"
            );
        }
        let funcs = |l: &[String]| l.iter().filter(|l| l.contains(": func(")).count();
        assert_eq!(funcs(&new_body), funcs(&old_body) + functions, "{new}");
    }

    /// 1.1 is 1.0 with two functions added: every line of the frozen 1.0 interface is in
    /// 1.1, in the same order (a 1.1 plugin answers every call of a 1.0 host).
    #[test]
    fn api_1_1_only_adds_to_1_0() {
        only_adds("v1", "v1.1", 2);
        assert!(wit_body("v1.1").0.contains("package anwei:plugin@1.1.0;"));
        assert!(wit_body("v1").0.contains("package anwei:plugin@1.0.0;"));
    }

    /// 1.3 is 1.2 with `hazard-standards` and its types added: every line of the frozen 1.2
    /// interface is in 1.3, in the same order (a 1.3 plugin answers every call of an older
    /// host).
    #[test]
    fn api_1_3_only_adds_to_1_2() {
        only_adds("v1.2", "v1.3", 1);
        let (v13, _) = wit_body("v1.3");
        assert!(v13.contains("hazard-standards: func() -> list<hazard-category>;"));
        assert!(v13.contains("package anwei:plugin@1.3.0;"));
    }

    /// 1.2 is 1.1 with `details` and its types added: every line of the frozen 1.1 interface
    /// is in 1.2, in the same order (a 1.2 plugin answers every call of a 1.0 or 1.1 host).
    #[test]
    fn api_1_2_only_adds_to_1_1() {
        only_adds("v1.1", "v1.2", 1);
        let (v12, _) = wit_body("v1.2");
        assert!(v12.contains("details: func() -> plan-details;"));
        assert!(v12.contains("package anwei:plugin@1.2.0;"));
    }
}
