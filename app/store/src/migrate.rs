//! Schema versions and forward migrations.
//!
//! - v1: progress entries keyed by entry id alone, with the percent field named `pct`.
//! - v2: progress entries keyed by task id + entry id (so one task's log is a prefix scan),
//!   an entry-id → task index, and the field named `percent`.
//! - v3: `targets` and `sectors` trees (sector plans imported from plugins), `records` +
//!   `record_index` (ledger records of plugin forms), `measurements` (target values entered
//!   by hand); nothing to rewrite.
//! - v4: the root of trust kept in the settings ([`LEGACY_TRUST_KEY`]).
//! - v5: ledger records in a compact binary format (`codec`), rewritten from JSON in batches;
//!   a rewrite cut short is finished on the next open (both formats read).
//! - v6: each form's record count kept in `record_counts` (built when the store opens), so
//!   that opening the desk never counts a register; older builds, which would add records
//!   without counting them, refuse the database.
//! - v7: `submissions` (units' submissions of reports); nothing to rewrite, but older builds,
//!   which know nothing of them and would back up without them, refuse the database.
//! - v8: `supervision` (督办事项, 通报, 约谈, accidents, 考核 deductions); likewise only a tree.

use sled::Transactional;
use sled::transaction::ConflictableTransactionError;

use crate::codec;
use crate::error::StoreError;
use crate::keys;

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = 8;

/// Meta key set when a database comes up from v3 or older: wave-1 desks kept the office's root
/// key and trust list as files in `plugins/`; the session moves them into the settings once and
/// clears the key. A database created at v4 never reads those files.
pub const LEGACY_TRUST_KEY: &[u8] = b"legacy_trust_pending";

pub(crate) fn read_version(meta: &sled::Tree) -> Result<Option<u32>, StoreError> {
    meta.get(keys::SCHEMA_VERSION_KEY)?
        .map(|v| {
            serde_json::from_slice::<u32>(&v).map_err(|e| StoreError::Damaged {
                detail: format!("版本记录无法解析：{e}"),
            })
        })
        .transpose()
}

fn write_version(meta: &sled::Tree, v: u32) -> Result<(), StoreError> {
    meta.insert(keys::SCHEMA_VERSION_KEY, serde_json::to_vec(&v)?)?;
    Ok(())
}

/// Brings the database at `db` to [`SCHEMA_VERSION`].
pub(crate) fn migrate(db: &sled::Db, meta: &sled::Tree) -> Result<(), StoreError> {
    let version = match read_version(meta)? {
        Some(v) => v,
        None => {
            let has_data = keys::ALL_TREES
                .iter()
                .filter(|t| **t != keys::META)
                .map(|t| db.open_tree(t).map(|tree| !tree.is_empty()))
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .any(|b| b);
            if has_data {
                return Err(StoreError::Damaged {
                    detail: "缺少数据库版本记录".to_owned(),
                });
            }
            write_version(meta, SCHEMA_VERSION)?;
            db.flush()?;
            return Ok(());
        }
    };
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version < 2 {
        v1_to_v2(db, meta)?;
        tracing::info!("database migrated from schema v1 to v2");
    }
    if version < 3 {
        // v3 only adds trees, which sled creates on first open.
        write_version(meta, 3)?;
        tracing::info!("database migrated to schema v3");
    }
    if version < 4 {
        // v4: the root of trust is kept in the settings (see [`LEGACY_TRUST_KEY`]).
        meta.insert(LEGACY_TRUST_KEY, b"1".as_slice())?;
        write_version(meta, 4)?;
        tracing::info!("database migrated to schema v4");
    }
    if version < 5 {
        let n = v4_to_v5(db)?;
        db.flush()?;
        write_version(meta, 5)?;
        tracing::info!("database migrated to schema v5 ({n} ledger records rewritten)");
    }
    if version < 6 {
        // v6: the counts are built by `Store::count_records` as the store opens.
        write_version(meta, 6)?;
        tracing::info!("database migrated to schema v6");
    }
    if version < 7 {
        // v7 only adds a tree, which sled creates on first open.
        write_version(meta, 7)?;
        tracing::info!("database migrated to schema v7");
    }
    if version < 8 {
        // v8 only adds a tree, which sled creates on first open.
        write_version(meta, 8)?;
        tracing::info!("database migrated to schema v8");
    }
    db.flush()?;
    Ok(())
}

/// Rewrites JSON ledger records in the binary format, [`V5_BATCH`] rows per atomic batch.
/// Returns how many were rewritten.
fn v4_to_v5(db: &sled::Db) -> Result<usize, StoreError> {
    let records = db.open_tree(keys::RECORDS)?;
    let fields = db.open_tree(keys::RECORD_FIELDS)?;
    let mut names: std::collections::HashMap<String, codec::FieldNames> =
        std::collections::HashMap::new();
    let mut done = 0;
    let mut batch = sled::Batch::default();
    let mut in_batch = 0;
    // A batch's field names are stored before its rows (the list only grows, so names
    // stored for rows a crash then lost do no harm).
    let write = |batch: sled::Batch,
                 names: &mut std::collections::HashMap<String, codec::FieldNames>|
     -> Result<(), StoreError> {
        for (form, list) in names.iter_mut() {
            if list.grown {
                fields.insert(form.as_bytes(), list.to_bytes()?)?;
                list.grown = false;
            }
        }
        records.apply_batch(batch)?;
        Ok(())
    };
    for kv in records.iter() {
        let (k, v) = kv?;
        if !codec::is_legacy_record(&v) {
            continue;
        }
        let (form, id) = crate::store::split_record_key(&k)?;
        if !names.contains_key(form) {
            names.insert(form.to_owned(), codec::FieldNames::load(&fields, form)?);
        }
        let list = names
            .get_mut(form)
            .ok_or_else(|| StoreError::Invalid("字段名表未载入".to_owned()))?;
        let record = codec::decode_record(form, id, &v, list, None)?;
        batch.insert(k.as_ref(), codec::encode_record(&record, list)?);
        in_batch += 1;
        if in_batch == V5_BATCH {
            write(std::mem::take(&mut batch), &mut names)?;
            done += in_batch;
            in_batch = 0;
        }
    }
    if in_batch > 0 {
        write(batch, &mut names)?;
        done += in_batch;
    }
    Ok(done)
}

/// Rows rewritten per atomic batch by the v5 migration.
const V5_BATCH: usize = 10_000;

fn v1_to_v2(db: &sled::Db, meta: &sled::Tree) -> Result<(), StoreError> {
    let progress = db.open_tree(keys::PROGRESS)?;
    let index = db.open_tree(keys::PROGRESS_INDEX)?;
    let mut moves = Vec::new();
    for kv in progress.iter() {
        let (k, v) = kv?;
        if k.len() != 8 {
            continue; // already in the v2 layout
        }
        let mut entry: serde_json::Value = serde_json::from_slice(&v)?;
        let obj = entry.as_object_mut().ok_or_else(|| StoreError::Damaged {
            detail: "v1 进展记录不是对象".to_owned(),
        })?;
        if let Some(pct) = obj.remove("pct") {
            obj.insert("percent".to_owned(), pct);
        }
        let task = obj
            .get("task")
            .and_then(|t| t.as_str())
            .ok_or_else(|| StoreError::Damaged {
                detail: "v1 进展记录缺少任务".to_owned(),
            })?
            .to_owned();
        let mut id = [0u8; 8];
        id.copy_from_slice(&k);
        let new_key = keys::scoped_key(&task, u64::from_be_bytes(id));
        moves.push((k.to_vec(), new_key, serde_json::to_vec(&entry)?, task));
    }
    let version = serde_json::to_vec(&2u32)?;
    (&progress, &index, meta)
        .transaction(
            |(p, i, m)| -> Result<(), ConflictableTransactionError<StoreError>> {
                for (old, new, value, task) in &moves {
                    p.remove(old.as_slice())?;
                    p.insert(new.as_slice(), value.as_slice())?;
                    i.insert(old.as_slice(), task.as_bytes())?;
                }
                m.insert(keys::SCHEMA_VERSION_KEY, version.as_slice())?;
                Ok(())
            },
        )
        .map_err(|e| match e {
            sled::transaction::TransactionError::Abort(e) => e,
            sled::transaction::TransactionError::Storage(e) => StoreError::Db(e),
        })?;
    Ok(())
}
