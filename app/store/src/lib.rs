//! The store of Anwei Desk: the only code that touches sled.
//!
//! A data folder holds `db/` (sled), `evidence/` (copied evidence files), `backups/`
//! (rotating automatic backups), `anwei.lock` (one process at a time) and `anwei.state` (how
//! far the database had got, so that a database sled opens empty or cut short after damage is
//! reported as damaged instead of being used; a copy lives in `db/anwei.state`, and when both
//! are gone from a folder that is not new the database opens [`Unverified`] until the user
//! accepts it). Sizes are bounded by `anwei_core::limits`; temporary files of killed writes
//! (named `.anwei-tmp-…`) are removed on open and reported by [`Store::check`]. Every change comes
//! in as a [`Command`](anwei_core::Command); the store reads the rows it names, the core computes
//! the [`Change`](anwei_core::Change) (`anwei_core::transition`), and the store writes it in one
//! multi-tree transaction together with its audit record, flushed to disk before
//! [`Store::apply`] returns. The store decides nothing about the domain.

mod apply;
mod backup;
mod codec;
mod error;
mod evidence;
mod keys;
mod migrate;
mod notices;
mod open;
mod read;
mod store;

pub use anwei_core::{NoticeRecord, Settings, Unverified};
pub use apply::{Applied, AuditRecord, ImportOutcome};
pub use backup::{
    AUTO_KEEP, BackupInfo, BackupJob, BackupManifest, BackupProgress, CHUNK_BYTES, EXTENSION,
    MAX_BACKUP_ENTRIES, MAX_CHUNK_BYTES, MAX_EVIDENCE_FILE_BYTES, MAX_EVIDENCE_TOTAL_BYTES,
    MAX_MANIFEST_BYTES, MAX_TREES_BYTES, RestoreLimits, RestoreReport, auto_backup_due,
    auto_backups, latest_auto_backup, restore, restore_with_limits, set_aside_damaged,
};
pub use codec::RecordView;
pub use error::StoreError;
pub use migrate::SCHEMA_VERSION;
pub use notices::NoticeReader;
pub use store::{CachedValues, CheckReport, RecordReader, Store, TreeDump};
