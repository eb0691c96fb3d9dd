//! The open store: the [`Store`] handle with its trees, and what the store's modules share
//! (JSON rows, the clock, transaction errors, [`CheckReport`]). Opening, locking and damage
//! are in `open`, reads in `read`, applying commands in `apply`, evidence files in
//! `evidence`, notice numbers in `notices`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use anwei_core::{FormRecord, TargetValue};
use chrono::Local;
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError};

use crate::codec::{FieldNames, RecordView, decode_record, needs_names, view_record};
use crate::error::StoreError;
use crate::keys::scope_prefix;

/// Reads ledger records; see [`Store::record_reader`]. A worker thread can hold one (it
/// reads what is committed, while the store goes on writing).
#[derive(Clone)]
pub struct RecordReader {
    pub(crate) records: sled::Tree,
    pub(crate) record_fields: sled::Tree,
    pub(crate) registers: sled::Tree,
    pub(crate) target_cache: sled::Tree,
    /// The store's register gate: held shared while records are read.
    pub(crate) gate: Arc<RwLock<()>>,
}

/// Target values computed from a form's register, kept until the register, the date or the
/// plugin's code changes ([`RecordReader::cached_values`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedValues {
    /// The register's revision ([`RecordReader::revision`]) they were computed from.
    pub revision: u64,
    /// The date they were computed as of (`YYYY-MM-DD`).
    pub as_of: String,
    /// The plugin code that computed them.
    pub code: String,
    pub values: Vec<TargetValue>,
}

impl RecordReader {
    /// Ledger records of one form (`SECTOR/FORM`), deleted ones included, in id order.
    pub fn records(&self, form: &str) -> Result<Vec<FormRecord>, StoreError> {
        let mut out = Vec::new();
        self.for_each(form, None, |r| out.push(r))?;
        Ok(out)
    }

    /// Calls `f` with each record of `form` (deleted ones included) in id order, one at a
    /// time: memory does not grow with the register. `fields`: only these fields' values are
    /// decoded (what a computation reads); `None`: all.
    pub fn for_each(
        &self,
        form: &str,
        fields: Option<&[String]>,
        mut f: impl FnMut(FormRecord),
    ) -> Result<usize, StoreError> {
        let _reading = self.reading();
        let keep: Option<HashSet<&str>> = fields.map(|fs| fs.iter().map(String::as_str).collect());
        let mut names = FieldNames::load(&self.record_fields, form)?;
        let prefix = scope_prefix(form);
        let mut n = 0;
        for kv in self.records.scan_prefix(&prefix) {
            let (k, v) = kv?;
            let id = record_id(&k, prefix.len())?;
            let record = match decode_record(form, id, &v, &names, keep.as_ref()) {
                // Written after the names were read: read them again.
                Err(_) if needs_names(&v) => {
                    names = FieldNames::load(&self.record_fields, form)?;
                    decode_record(form, id, &v, &names, keep.as_ref())?
                }
                r => r?,
            };
            f(record);
            n += 1;
        }
        Ok(n)
    }

    /// The first `max` records of `form` (in id order) that `wanted` takes, reading one record
    /// at a time and stopping early when `stop` says so (a search given up). Returns them
    /// with how many records were read.
    pub fn find(
        &self,
        form: &str,
        max: usize,
        mut wanted: impl FnMut(&FormRecord) -> bool,
        stop: impl Fn() -> bool,
    ) -> Result<(Vec<FormRecord>, usize), StoreError> {
        let _reading = self.reading();
        let mut names = FieldNames::load(&self.record_fields, form)?;
        let prefix = scope_prefix(form);
        let (mut out, mut read) = (Vec::new(), 0);
        for kv in self.records.scan_prefix(&prefix) {
            if out.len() >= max || (read % 1024 == 0 && stop()) {
                break;
            }
            let (k, v) = kv?;
            let id = record_id(&k, prefix.len())?;
            let record = match decode_record(form, id, &v, &names, None) {
                Err(_) if needs_names(&v) => {
                    names = FieldNames::load(&self.record_fields, form)?;
                    decode_record(form, id, &v, &names, None)?
                }
                r => r?,
            };
            read += 1;
            if wanted(&record) {
                out.push(record);
            }
        }
        Ok((out, read))
    }

    /// Calls `f` with a view of each record of `form` (deleted ones included) in id order:
    /// the values borrowed from the stored row, nothing copied — the cheapest way through a
    /// register (what a computation does). Returns how many records there were.
    pub fn for_each_view(
        &self,
        form: &str,
        f: impl FnMut(&RecordView<'_>),
    ) -> Result<usize, StoreError> {
        self.for_each_view_in(form, .., f)
    }

    /// [`RecordReader::for_each_view`] over the records whose ids are in `ids` (so that
    /// parts of a register can be read side by side, each on its own thread).
    pub fn for_each_view_in(
        &self,
        form: &str,
        ids: impl std::ops::RangeBounds<u64>,
        f: impl FnMut(&RecordView<'_>),
    ) -> Result<usize, StoreError> {
        let _reading = self.reading();
        let names = FieldNames::load(&self.record_fields, form)?;
        self.for_each_view_with(form, ids, names, f)
    }

    /// Held while records are read: a change written in parts waits, and is waited for.
    fn reading(&self) -> std::sync::RwLockReadGuard<'_, ()> {
        self.gate
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The smallest and the largest record id of `form` (`None` for an empty register).
    pub fn id_span(&self, form: &str) -> Result<Option<(u64, u64)>, StoreError> {
        let _reading = self.reading();
        let prefix = scope_prefix(form);
        let mut scan = self.records.scan_prefix(&prefix);
        let Some(first) = scan.next() else {
            return Ok(None);
        };
        let first = record_id(&first?.0, prefix.len())?;
        let last = match scan.next_back() {
            Some(kv) => record_id(&kv?.0, prefix.len())?,
            None => first,
        };
        Ok(Some((first, last)))
    }

    /// [`RecordReader::for_each_view_in`] starting from `names` (read again when a record
    /// names a field they lack: one written after they were read).
    fn for_each_view_with(
        &self,
        form: &str,
        ids: impl std::ops::RangeBounds<u64>,
        mut names: FieldNames,
        mut f: impl FnMut(&RecordView<'_>),
    ) -> Result<usize, StoreError> {
        use std::ops::Bound;
        let prefix = scope_prefix(form);
        let key = |id: u64| {
            let mut k = prefix.clone();
            k.extend_from_slice(&id.to_be_bytes());
            k
        };
        let start = match ids.start_bound() {
            Bound::Included(&id) => Bound::Included(key(id)),
            Bound::Excluded(&id) => Bound::Excluded(key(id)),
            Bound::Unbounded => Bound::Included(prefix.clone()),
        };
        let mut n = 0;
        let end = match ids.end_bound() {
            Bound::Included(&id) => Bound::Included(key(id)),
            Bound::Excluded(&id) => Bound::Excluded(key(id)),
            // Every key of the form begins with the prefix; the next form's do not.
            Bound::Unbounded => match prefix.split_last() {
                Some((last, head)) => {
                    let mut k = head.to_vec();
                    k.push(last.saturating_add(1));
                    Bound::Excluded(k)
                }
                None => Bound::Unbounded,
            },
        };
        for kv in self.records.range::<Vec<u8>, _>((start, end)) {
            let (k, v) = kv?;
            let id = record_id(&k, prefix.len())?;
            // A record that names a field the list lacks was written after the list was
            // read: read the list again and retry (`f` is called only for a parsed record).
            if let Err(e) = view_record(form, id, &v, &names, &mut f) {
                if !needs_names(&v) {
                    return Err(e);
                }
                names = FieldNames::load(&self.record_fields, form)?;
                view_record(form, id, &v, &names, &mut f)?;
            }
            n += 1;
        }
        Ok(n)
    }

    /// The revision of `form`'s register: it changes whenever one of its records does (0 for
    /// a register not changed since schema v5).
    pub fn revision(&self, form: &str) -> Result<u64, StoreError> {
        Ok(self
            .registers
            .get(form.as_bytes())?
            .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
            .map_or(0, u64::from_be_bytes))
    }

    /// The values last computed from `form`'s register, whatever they were computed for
    /// (compare [`CachedValues::revision`], `as_of` and `code`). A row that does not read
    /// is no value (it is recomputed).
    pub fn cached_values(&self, form: &str) -> Result<Option<CachedValues>, StoreError> {
        Ok(self
            .target_cache
            .get(form.as_bytes())?
            .and_then(|v| serde_json::from_slice(&v).ok()))
    }

    /// Keeps `values` as the ones computed from `form`'s register. Derived data: not
    /// audited, not flushed (lost in a crash, it is computed again).
    pub fn cache_values(&self, form: &str, values: &CachedValues) -> Result<(), StoreError> {
        self.target_cache
            .insert(form.as_bytes(), to_json(values)?)?;
        Ok(())
    }

    /// Calls `f` with every record of every form, one at a time.
    pub(crate) fn for_each_all(&self, mut f: impl FnMut(FormRecord)) -> Result<(), StoreError> {
        let mut names: HashMap<String, FieldNames> = HashMap::new();
        for kv in self.records.iter() {
            let (k, v) = kv?;
            let (form, id) = split_record_key(&k)?;
            let list = match names.get(form) {
                Some(l) => l,
                None => names
                    .entry(form.to_owned())
                    .or_insert(FieldNames::load(&self.record_fields, form)?),
            };
            f(decode_record(form, id, &v, list, None)?);
        }
        Ok(())
    }
}

/// The form and id of a `records` key (`form`, 0x00, id big-endian).
pub(crate) fn split_record_key(key: &[u8]) -> Result<(&str, u64), StoreError> {
    let bad = || StoreError::Damaged {
        detail: "台账记录的键无法解析".to_owned(),
    };
    let cut = key.len().checked_sub(9).ok_or_else(bad)?;
    if key[cut] != 0 {
        return Err(bad());
    }
    let form = std::str::from_utf8(&key[..cut]).map_err(|_| bad())?;
    Ok((form, record_id(key, cut + 1)?))
}

fn record_id(key: &[u8], at: usize) -> Result<u64, StoreError> {
    key.get(at..)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(u64::from_be_bytes)
        .ok_or_else(|| StoreError::Damaged {
            detail: "台账记录的键无法解析".to_owned(),
        })
}

/// The open store of one data folder.
pub struct Store {
    pub(crate) root: PathBuf,
    pub(crate) db: sled::Db,
    pub(crate) meta: sled::Tree,
    pub(crate) campaigns: sled::Tree,
    pub(crate) plans: sled::Tree,
    pub(crate) tasks: sled::Tree,
    pub(crate) units: sled::Tree,
    pub(crate) progress: sled::Tree,
    pub(crate) progress_index: sled::Tree,
    pub(crate) audit: sled::Tree,
    pub(crate) settings: sled::Tree,
    pub(crate) notices: sled::Tree,
    pub(crate) targets: sled::Tree,
    pub(crate) sectors: sled::Tree,
    pub(crate) records: sled::Tree,
    pub(crate) record_index: sled::Tree,
    pub(crate) measurements: sled::Tree,
    pub(crate) registers: sled::Tree,
    pub(crate) target_cache: sled::Tree,
    pub(crate) record_fields: sled::Tree,
    pub(crate) record_counts: sled::Tree,
    pub(crate) notice_files: sled::Tree,
    pub(crate) submissions: sled::Tree,
    pub(crate) supervision: sled::Tree,
    /// Held by a change from reading a form's field names to writing them back with its
    /// records: changes are written one at a time.
    pub(crate) writer: std::sync::Mutex<()>,
    /// Set once the store opened fully; only then does closing it record its state.
    pub(crate) opened: bool,
    /// What opening the store cleaned up (temporary files of killed writes), for `check`.
    pub(crate) cleaned: Vec<String>,
    /// Changes hold it shared while they write; a backup holds it alone while it reads the
    /// trees, so that it sees them all at one moment.
    pub(crate) write_gate: Arc<RwLock<()>>,
    /// Readers of ledger records hold it shared; a change written in parts
    /// (`Store::write_staged`) holds it alone, so that no reader sees part of it.
    pub(crate) register_gate: Arc<RwLock<()>>,
    pub(crate) _lock: File,
}

/// Result of [`Store::check`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub schema_version: u32,
    pub counts: BTreeMap<String, usize>,
    pub problems: Vec<String>,
    /// What is worth knowing but needs nothing done: temporary files of killed writes that
    /// opening the store removed, evidence folders that belong to no progress entry.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Raw contents of every tree, for backups and equality checks.
pub type TreeDump = BTreeMap<String, Vec<(Vec<u8>, Vec<u8>)>>;

pub(crate) type TxResult<T> = Result<T, ConflictableTransactionError<StoreError>>;

pub(crate) fn tx_err(e: TransactionError<StoreError>) -> StoreError {
    match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => StoreError::Db(e),
    }
}

pub(crate) fn now_rfc3339() -> String {
    Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

pub(crate) fn to_json<T: Serialize>(v: &T) -> Result<Vec<u8>, StoreError> {
    Ok(serde_json::to_vec(v)?)
}

pub(crate) fn from_json<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, StoreError> {
    Ok(serde_json::from_slice(bytes)?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use anwei_core::{Command, Value};

    use super::*;

    #[test]
    fn field_names_read_before_a_record_with_new_fields_are_read_again() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(tmp.path()).unwrap();
        let reader = store.record_reader();
        // What a scan that started before the record was written holds: no names.
        let stale = FieldNames::load(&reader.record_fields, "s/f").unwrap();
        let values = BTreeMap::from([("新字段".to_owned(), Value::Integer(7))]);
        store
            .apply(
                &Command::AddRecord {
                    form: "s/f".into(),
                    form_version: "1".into(),
                    values,
                    draft: false,
                },
                "测试员",
            )
            .unwrap();
        let mut seen = Vec::new();
        let n = reader
            .for_each_view_with("s/f", .., stale, |r| {
                seen.extend(r.values().map(|(k, _)| k.to_owned()));
            })
            .unwrap();
        assert_eq!((n, seen), (1, vec!["新字段".to_owned()]));
    }
}
