//! Target values: records to the plugin's `compute` (off the UI thread, by the caller), the
//! plugin's values (and the values entered by hand) to the core's evaluation.

use std::borrow::Borrow;
use std::collections::HashMap;

use anwei_core::{
    CurrentValue, Evaluation, FormRecord, Target, TargetScope, TargetStatus, TargetValue,
    UnitDirectory, evaluate, evaluate_per_town,
};
use anwei_plugin_host::{PluginError, PluginHost};
use anwei_store::{CachedValues, RecordReader};

use crate::SessionError;
use chrono::NaiveDate;

/// Values a plugin computed from one form's records, keyed by the desk's target id
/// (`SECTOR/ID`): the district figure and per-town figures (town = unit id as recorded).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Computed {
    pub as_of: Option<NaiveDate>,
    pub district: HashMap<String, f64>,
    pub towns: HashMap<String, Vec<(String, f64)>>,
}

impl Computed {
    /// Adds a plugin's values for `sector` (replacing earlier ones of the same targets).
    pub fn absorb(&mut self, sector: &str, values: Vec<TargetValue>, as_of: NaiveDate) {
        self.as_of = Some(as_of);
        let mut towns: HashMap<String, Vec<(String, f64)>> = HashMap::new();
        for v in values {
            let id = format!("{sector}/{}", v.target_id);
            match v.town {
                Some(town) => towns.entry(id).or_default().push((town, v.value)),
                None => {
                    self.district.insert(id, v.value);
                }
            }
        }
        for (id, list) in towns {
            self.towns.insert(id, list);
        }
    }
}

/// Computes the target values of one form (`SECTOR/FORM`) from its records; only records
/// that count (not drafts, not deleted) are sent. A form with no such record yields no
/// values (an empty register is 无数据, not a count of 0). Blocking (≤ 10 s): call it on a
/// worker.
pub fn compute_form<R: Borrow<FormRecord>>(
    host: &PluginHost,
    form: &str,
    records: &[R],
    as_of: NaiveDate,
) -> Result<Vec<TargetValue>, PluginError> {
    let (sector, form_id) = form.split_once('/').unwrap_or((form, ""));
    let batch: Vec<&FormRecord> = records
        .iter()
        .map(Borrow::borrow)
        .filter(|r| r.counts())
        .collect();
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    host.compute(
        sector,
        form_id,
        &batch,
        &as_of.format("%Y-%m-%d").to_string(),
    )
}

/// Where [`compute_form_cached`]'s values came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Kept from an earlier computation of the same register, date and plugin code.
    Cached,
    /// Computed now from this many records that count.
    Computed { records: usize },
}

/// The target values of one form (`SECTOR/FORM`) as of `as_of`: kept ones when the register,
/// the date and the plugin's code are those they were computed for, else computed from the
/// register read one record at a time (each viewed in its stored row, only the fields the
/// targets read copied into the host's columns; memory grows with those few columns, not
/// with the records) and kept for next time. A form with
/// no record that counts yields no values. Blocking (≤ 10 s): call it on a worker.
pub fn compute_form_cached(
    host: &PluginHost,
    reader: &RecordReader,
    form: &str,
    as_of: NaiveDate,
) -> Result<(Vec<TargetValue>, Freshness), SessionError> {
    let (sector, form_id) = form.split_once('/').unwrap_or((form, ""));
    let as_of_text = as_of.format("%Y-%m-%d").to_string();
    let code = host.compute_identity(sector)?;
    // The revision is read before the records: a change made while they are read gives a
    // newer revision, so these values are not taken for it.
    let revision = reader.revision(form)?;
    if let Some(c) = reader.cached_values(form)?
        && c.revision == revision
        && c.as_of == as_of_text
        && c.code == code
    {
        return Ok((c.values, Freshness::Cached));
    }
    let mut feed = host.record_feed(sector, form_id)?;
    reader.for_each_view(form, |r| {
        if r.counts() {
            feed.push_values(r.values());
        }
    })?;
    let records = feed.len();
    let values = if feed.is_empty() {
        Vec::new()
    } else {
        host.compute_feed(feed, &as_of_text)?
    };
    let kept = CachedValues {
        revision,
        as_of: as_of_text,
        code,
        values,
    };
    if let Err(e) = reader.cache_values(form, &kept) {
        // The values stand; only the next start computes them again.
        tracing::warn!("could not keep the target values of {form}: {e}");
    }
    Ok((kept.values, Freshness::Computed { records }))
}

/// Where a target's current value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueSource {
    /// Computed by the plugin from a form's records.
    Computed,
    /// Entered by hand (with date and source).
    Entered,
    None,
}

/// One target with its evaluation, as the targets page and `targets list` show it.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetRow {
    pub target: Target,
    pub evaluation: Evaluation,
    pub source: ValueSource,
    /// Per-town evaluations (town name), for per-town targets.
    pub towns: Vec<(String, Evaluation)>,
    /// The status shown: the district figure's, or the worst town's.
    pub status: TargetStatus,
}

/// Evaluates `targets` as of `as_of` with the computed values and the hand-entered ones
/// (the newer wins); town ids are shown by their names in `directory`.
pub fn evaluate_targets(
    targets: &[Target],
    computed: &Computed,
    directory: &UnitDirectory,
    as_of: NaiveDate,
) -> Vec<TargetRow> {
    let computed_at = computed.as_of.unwrap_or(as_of).min(as_of);
    targets
        .iter()
        .map(|t| {
            let from_plugin = computed
                .district
                .get(&t.id)
                .map(|v| CurrentValue::new(*v, computed_at));
            let current = t.current_value(from_plugin, as_of, None);
            let source = match (&current, &from_plugin) {
                (Some(c), Some(p)) if c == p => ValueSource::Computed,
                (Some(_), _) => ValueSource::Entered,
                (None, _) => ValueSource::None,
            };
            let evaluation = evaluate(t, current, as_of);
            let mut status = evaluation.status;
            let mut towns = Vec::new();
            if t.scope == TargetScope::PerTown {
                let values: Vec<(String, Option<CurrentValue>)> = computed
                    .towns
                    .get(&t.id)
                    .map(|list| {
                        list.iter()
                            .map(|(town, v)| {
                                (town.clone(), Some(CurrentValue::new(*v, computed_at)))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let per_town = evaluate_per_town(t, &values, current, as_of);
                status = per_town.overall;
                towns = per_town
                    .towns
                    .into_iter()
                    .map(|(town, e)| {
                        let name = directory
                            .get(&town)
                            .map_or(town.clone(), |u| u.name.clone());
                        (name, e)
                    })
                    .collect();
            }
            TargetRow {
                target: t.clone(),
                evaluation,
                source,
                towns,
                status,
            }
        })
        .collect()
}
