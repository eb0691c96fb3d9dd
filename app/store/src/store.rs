//! The open store: the [`Store`] handle with its trees, and what the store's modules share
//! (JSON rows, the clock, transaction errors, [`CheckReport`]). Opening, locking and damage
//! are in `open`, reads in `read`, applying commands in `apply`, evidence files in
//! `evidence`, notice numbers in `notices`.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use anwei_core::FormRecord;
use chrono::Local;
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError};

use crate::error::StoreError;
use crate::keys::scope_prefix;

/// Reads ledger records; see [`Store::record_reader`].
#[derive(Clone)]
pub struct RecordReader {
    pub(crate) records: sled::Tree,
}

impl RecordReader {
    /// Ledger records of one form (`SECTOR/FORM`), deleted ones included, in id order.
    pub fn records(&self, form: &str) -> Result<Vec<FormRecord>, StoreError> {
        self.records
            .scan_prefix(scope_prefix(form))
            .values()
            .map(|v| from_json(&v?))
            .collect()
    }
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
