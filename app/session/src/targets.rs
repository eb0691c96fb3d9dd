//! Target values: records to the plugin's `compute` (off the UI thread, by the caller), the
//! plugin's values (and the values entered by hand) to the core's evaluation.

use std::borrow::Borrow;
use std::collections::HashMap;

use anwei_core::{
    Applicability, CurrentValue, Evaluation, FormRecord, LatestProgress, Target, TargetScope,
    TargetStatus, TargetValue, UnitDirectory, evaluate, evaluate_per_town,
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
    let two_cores = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    let split = two_cores.then_some(SPLIT_SPAN);
    let feed = read_register(host, reader, sector, form_id, form, &as_of_text, split)?;
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

/// Registers whose ids span at least this many (one batch) are read in two halves side by
/// side, when the plugin summarizes batch by batch and the machine has a second core.
const SPLIT_SPAN: u64 = anwei_plugin_host::SUMMARY_BATCH as u64;

/// The counting records of `form` pushed into a feed for its plugin: a large register goes
/// to the plugin batch by batch as it is read (API 1.1 `summarize`), so that neither side
/// holds it whole, and one whose ids span at least `split` is read in two halves at once.
fn read_register(
    host: &PluginHost,
    reader: &RecordReader,
    sector: &str,
    form_id: &str,
    form: &str,
    as_of: &str,
    split: Option<u64>,
) -> Result<anwei_plugin_host::RecordFeed, SessionError> {
    let mut first = host.record_feed(sector, form_id)?;
    if let Some(split) = split
        && let Some((lo, hi)) = reader.id_span(form)?
        && hi - lo >= split
        && host.feed_summarizes(&mut first, as_of)?
    {
        let mut second = host.record_feed(sector, form_id)?;
        if host.feed_summarizes(&mut second, as_of)? {
            let mid = lo + (hi - lo) / 2;
            let (a, b) = std::thread::scope(|s| {
                let later = s.spawn(|| read_part(host, reader, form, mid + 1.., second, as_of));
                let a = read_part(host, reader, form, ..=mid, first, as_of);
                (a, later.join())
            });
            let mut a = a?;
            let b = b.map_err(|_| {
                PluginError::Engine("读取登记表的线程意外退出，请重新计算".to_owned())
            })??;
            a.append(b)?;
            return Ok(a);
        }
    }
    read_part(host, reader, form, .., first, as_of)
}

/// Pushes the counting records of `form` with ids in `ids` into `feed`, handing each full
/// batch to the plugin; a feed summarized batch by batch ends flushed.
fn read_part(
    host: &PluginHost,
    reader: &RecordReader,
    form: &str,
    ids: impl std::ops::RangeBounds<u64>,
    mut feed: anwei_plugin_host::RecordFeed,
    as_of: &str,
) -> Result<anwei_plugin_host::RecordFeed, SessionError> {
    let mut failed = None;
    reader.for_each_view_in(form, ids, |r| {
        if failed.is_some() || !r.counts() {
            return;
        }
        feed.push_values(r.values());
        if feed.wants_summary()
            && let Err(e) = host.summarize_feed(&mut feed, as_of)
        {
            failed = Some(e);
        }
    })?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    host.flush_feed(&mut feed, as_of)?;
    Ok(feed)
}

/// Where a target's current value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueSource {
    /// Computed by the plugin from a form's records.
    Computed,
    /// Counted from the progress entries of the target's task.
    Progress,
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
    /// The status shown: the district figure's, or the worst town's; 不适用 when marked so.
    pub status: TargetStatus,
    /// Why the target does not apply, when the office marked it 不适用.
    pub not_applicable: Option<String>,
}

/// Evaluates `targets` as of `as_of` with the computed values and the hand-entered ones
/// (the newer wins); town ids are shown by their names in `directory`. A target marked
/// 不适用 in `applicability` is that, with no figure and no checkpoint. A target fed by a
/// task's progress entries counts those of `progress` (as known on `as_of`).
pub fn evaluate_targets(
    targets: &[Target],
    computed: &Computed,
    directory: &UnitDirectory,
    applicability: &Applicability,
    progress: &HashMap<String, LatestProgress>,
    as_of: NaiveDate,
) -> Vec<TargetRow> {
    let computed_at = computed.as_of.unwrap_or(as_of).min(as_of);
    targets
        .iter()
        .map(|t| {
            if let Some(mark) = applicability.target(&t.id) {
                return TargetRow {
                    target: t.clone(),
                    evaluation: Evaluation::not_applicable(),
                    source: ValueSource::None,
                    towns: Vec::new(),
                    status: TargetStatus::NotApplicable,
                    not_applicable: Some(mark.reason.clone()),
                };
            }
            let from_plugin = match &t.progress_of {
                Some(task) => {
                    let dates = progress.get(task).map_or(&[][..], |l| l.dates.as_slice());
                    t.progress_value(dates, as_of)
                }
                None => computed
                    .district
                    .get(&t.id)
                    .map(|v| CurrentValue::new(*v, computed_at)),
            };
            let current = t.current_value(from_plugin, as_of, None);
            let source = match (&current, &from_plugin) {
                (Some(c), Some(p)) if c == p && t.progress_of.is_some() => ValueSource::Progress,
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
                not_applicable: None,
            }
        })
        .collect()
}

/// The targets as 今日待办 needs them ([`anwei_core::today::todo_list`]).
pub fn todo_targets(rows: &[TargetRow]) -> Vec<anwei_core::today::TargetState<'_>> {
    rows.iter()
        .map(|r| anwei_core::today::TargetState {
            id: &r.target.id,
            plan: &r.target.plan,
            name: &r.target.name,
            status: r.status,
            due: r.evaluation.due,
            checkpoint: r
                .evaluation
                .checkpoint
                .as_ref()
                .map(|c| r.target.requirement_text(c))
                .unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::collections::BTreeMap;

    use anwei_core::{Command, RecordRow, Value};
    use anwei_store::Store;

    use super::*;

    const FORM: &str = "coal-mining/mine-register";

    fn mine(i: usize) -> BTreeMap<String, Value> {
        let choice = |s: &str| Value::Choices(vec![s.to_owned()]);
        BTreeMap::from([
            ("name".to_owned(), Value::Text(format!("第{i}号煤矿"))),
            ("town".to_owned(), Value::Text("越州镇".to_owned())),
            ("ownership".to_owned(), choice("private")),
            (
                "status".to_owned(),
                choice(["producing", "building", "closed"][i % 3]),
            ),
            (
                "scale".to_owned(),
                choice(["large", "medium", "small"][i % 3]),
            ),
            ("capacity".to_owned(), Value::Integer(30 + (i % 50) as i64)),
            ("gas_class".to_owned(), choice(["high", "other"][i % 2])),
            (
                "group".to_owned(),
                choice(["keep", "close", "merge_keep", "merge_close"][i % 4]),
            ),
            (
                "standardisation".to_owned(),
                choice(["grade1", "grade2", "grade3"][i % 3]),
            ),
            ("mech_mining".to_owned(), Value::Flag(i.is_multiple_of(2))),
            ("mech_heading".to_owned(), Value::Flag(i.is_multiple_of(3))),
        ])
    }

    /// The parallel read: two halves, each summarized by the plugin, their summaries
    /// joined in order and combined, give what one read and one `compute` give.
    #[test]
    fn a_register_read_in_two_halves_gives_the_values_of_one_read() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store
            .import_campaign(&anwei_exchange::demo_campaign().unwrap(), "测试员")
            .unwrap();
        let host = PluginHost::open(crate::host_config(&store, "测试员").unwrap()).unwrap();
        assert!(
            crate::sync_sector_plans(&store, &host, "测试员")
                .errors
                .is_empty()
        );
        let rows = (0..3_000)
            .map(|i| RecordRow {
                values: mine(i),
                draft: i % 500 == 7,
            })
            .collect();
        store
            .apply(
                &Command::ImportRecords {
                    form: FORM.to_owned(),
                    form_version: "1.1.0".to_owned(),
                    rows,
                    source: "测试".to_owned(),
                },
                "测试员",
            )
            .unwrap();
        let reader = store.record_reader();
        for as_of in ["2020-06-30", "2022-12-31"] {
            let (sector, form) = FORM.split_once('/').unwrap();
            let one = read_register(&host, &reader, sector, form, FORM, as_of, None).unwrap();
            assert_eq!(one.len(), 2_994, "drafts do not count");
            assert_eq!(one.batches(), 0, "one call");
            let one = host.compute_feed(one, as_of).unwrap();

            let halves =
                read_register(&host, &reader, sector, form, FORM, as_of, Some(100)).unwrap();
            assert_eq!(halves.len(), 2_994);
            assert_eq!(halves.batches(), 2, "one summary per half");
            let halves = host.compute_feed(halves, as_of).unwrap();
            assert!(!one.is_empty());
            assert_eq!(format!("{halves:?}"), format!("{one:?}"), "{as_of}");
        }
    }
}
