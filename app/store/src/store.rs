//! The open store: the [`Store`] handle with its trees, and what the store's modules share
//! (JSON rows, the clock, transaction errors, [`CheckReport`]). Opening, locking and damage
//! are in `open`, reads in `read`, applying commands in `apply`, evidence files in
//! `evidence`, notice numbers in `notices`.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use anwei_core::{FormRecord, TargetValue};
use chrono::Local;
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError};

use crate::codec::{RecordView, decode_record, view_record};
use crate::error::StoreError;
use crate::keys::scope_prefix;

/// Reads ledger records; see [`Store::record_reader`]. A worker thread can hold one (it
/// reads what is committed, while the store goes on writing).
#[derive(Clone)]
pub struct RecordReader {
    pub(crate) records: sled::Tree,
    pub(crate) registers: sled::Tree,
    pub(crate) target_cache: sled::Tree,
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
        let keep: Option<HashSet<&str>> = fields.map(|fs| fs.iter().map(String::as_str).collect());
        let prefix = scope_prefix(form);
        let mut n = 0;
        for kv in self.records.scan_prefix(&prefix) {
            let (k, v) = kv?;
            let id = record_id(&k, prefix.len())?;
            f(decode_record(form, id, &v, keep.as_ref())?);
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

    /// Calls `f` with a view of each record of `form` (deleted ones included) in id order:
    /// the values borrowed from the stored row, nothing copied — the cheapest way through a
    /// register (what a computation does). Returns how many records there were.
    pub fn for_each_view(
        &self,
        form: &str,
        mut f: impl FnMut(&RecordView<'_>),
    ) -> Result<usize, StoreError> {
        let prefix = scope_prefix(form);
        let mut n = 0;
        for kv in self.records.scan_prefix(&prefix) {
            let (k, v) = kv?;
            let id = record_id(&k, prefix.len())?;
            view_record(form, id, &v, &mut f)?;
            n += 1;
        }
        Ok(n)
    }

    /// Calls `f` with every record of every form, one at a time.
    pub(crate) fn for_each_all(&self, mut f: impl FnMut(FormRecord)) -> Result<(), StoreError> {
        for kv in self.records.iter() {
            let (k, v) = kv?;
            let (form, id) = split_record_key(&k)?;
            f(decode_record(form, id, &v, None)?);
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
    /// Set once the store opened fully; only then does closing it record its state.
    pub(crate) opened: bool,
    /// What opening the store cleaned up (temporary files of killed writes), for `check`.
    pub(crate) cleaned: Vec<String>,
    /// Changes hold it shared while they write; a backup holds it alone while it reads the
    /// trees, so that it sees them all at one moment.
    pub(crate) write_gate: Arc<RwLock<()>>,
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
