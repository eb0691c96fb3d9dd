//! Applying commands: the store reads the rows a command names (it is the [`Rows`] of
//! `anwei_core::transition`), core computes the [`Change`], and the store copies the evidence
//! files it names and writes it with its audit record in one transaction, flushed before
//! [`Store::apply`] returns.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;

use anwei_core::change::{AuditEntry, Context};
use anwei_core::{
    Campaign, CampaignData, Change, Command, FormRecord, Measurement, Plan, ProgressEntry, Put,
    Remove, RowKind, Rows, SectorRecord, Target, Task, Unit, Unverified, transition,
};
use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::ConflictableTransactionError;

use crate::codec::{FieldNames, encode_record};
use crate::error::StoreError;
use crate::keys::{self, scope_prefix, scoped_key};
use crate::open::{UNVERIFIED_KEY, evidence_dir};
use crate::read::count_of;
use crate::store::{Store, TxResult, from_json, now_rfc3339, to_json, tx_err};

/// One audit-trail record: who changed what, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: u64,
    /// RFC 3339 local time.
    pub at: String,
    pub actor: String,
    /// The command's tag, e.g. "add_progress".
    pub action: String,
    pub summary: String,
    /// What was changed, e.g. "progress:17", "unit:u0004", "campaign:qilin-2020".
    pub target: String,
    #[serde(default)]
    pub before: Option<serde_json::Value>,
    #[serde(default)]
    pub after: Option<serde_json::Value>,
}

/// What [`Store::apply`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub audit_id: u64,
    pub summary: String,
    /// The progress entry created or edited, if any.
    pub entry: Option<ProgressEntry>,
    /// The unit created or changed, if any.
    pub unit: Option<Unit>,
    /// The ledger record created or changed, if any.
    pub record: Option<FormRecord>,
    /// How many rows of each kind the change put or removed (what a view must refresh).
    pub touched: BTreeMap<RowKind, usize>,
    /// The supervision rows the change wrote, as written, and those it took out: a view
    /// keeps its registers with them rather than read them all again.
    pub supervision: Vec<anwei_core::supervision::SupRow>,
    pub supervision_removed: Vec<(anwei_core::supervision::SupKind, u64)>,
}

impl Applied {
    /// What writing `change` under audit record `audit_id` did.
    fn of(change: Change, audit_id: u64) -> Applied {
        let touched = change.touched();
        let supervision = change
            .puts
            .iter()
            .filter_map(|p| match p {
                Put::Supervision(r) | Put::NewSupervision(r) => Some(r.clone()),
                _ => None,
            })
            .collect();
        let supervision_removed = change
            .removes
            .iter()
            .filter_map(|r| match r {
                Remove::Supervision(k, id) => Some((*k, *id)),
                _ => None,
            })
            .collect();
        let (mut entry, mut unit, mut record) = (None, None, None);
        if change.single_put().is_some() {
            match change.puts.into_iter().next() {
                Some(Put::Progress(e)) => entry = Some(e),
                Some(Put::Unit(u)) => unit = Some(u),
                Some(Put::Record(r)) => record = Some(r),
                _ => {}
            }
        }
        Applied {
            audit_id,
            summary: change.audit.summary,
            entry,
            unit,
            record,
            touched,
            supervision,
            supervision_removed,
        }
    }
}

/// What importing a campaign did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported {
        plans: usize,
        tasks: usize,
        units: usize,
    },
    AlreadyPresent,
}

impl Store {
    /// Imports campaign content (plans, tasks, units) in one transaction
    /// ([`Command::ImportCampaign`]). Idempotent: a campaign that is already present is left
    /// as it is.
    pub fn import_campaign(
        &self,
        data: &CampaignData,
        actor: &str,
    ) -> Result<ImportOutcome, StoreError> {
        if self.campaigns.contains_key(&data.campaign.id)? {
            return Ok(ImportOutcome::AlreadyPresent);
        }
        let cmd = Command::ImportCampaign {
            data: Box::new(data.clone()),
        };
        let applied = self.apply(&cmd, actor)?;
        let n = |k| applied.touched.get(&k).copied().unwrap_or(0);
        Ok(ImportOutcome::Imported {
            plans: n(RowKind::Plan),
            tasks: n(RowKind::Task),
            units: n(RowKind::Unit),
        })
    }

    /// Applies one command and flushes: when this returns `Ok`, the change is on disk.
    pub fn apply(&self, cmd: &Command, actor: &str) -> Result<Applied, StoreError> {
        let applied = self.apply_unflushed(cmd, actor)?;
        self.flush()?;
        Ok(applied)
    }

    /// Applies several commands, each in its own transaction, and flushes once at the end.
    /// Stops at the first failure; the commands before it are applied and flushed.
    pub fn apply_many(&self, cmds: &[Command], actor: &str) -> Result<Vec<Applied>, StoreError> {
        let mut out = Vec::with_capacity(cmds.len());
        let mut result = Ok(());
        for cmd in cmds {
            match self.apply_unflushed(cmd, actor) {
                Ok(a) => out.push(a),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        self.flush()?;
        result.map(|()| out)
    }

    /// The change `cmd` would make, computed from the stored rows, without writing anything
    /// (a dry run). No evidence is copied.
    pub fn preview(&self, cmd: &Command, actor: &str) -> Result<Change, StoreError> {
        let cleaned = cmd.cleaned();
        let cmd: &Command = &cleaned;
        cmd.validate()?;
        let now = now_rfc3339();
        let ids: Vec<u64> = (0..cmd.new_ids_needed() as u64).collect();
        let cx = Context {
            actor,
            now: &now,
            new_id: cmd.needs_new_id().then_some(0),
            new_ids: &ids,
        };
        transition::compute(cmd, &cx, self)
    }

    fn apply_unflushed(&self, cmd: &Command, actor: &str) -> Result<Applied, StoreError> {
        // What users typed or pasted is stored without invisible or control characters.
        let cleaned = cmd.cleaned();
        let cmd: &Command = &cleaned;
        let allotted = self.prepare(cmd)?;
        let change = transition::compute(cmd, &allotted.context(actor), self)?;
        self.save_change(change)
    }

    /// [`Store::apply`] for a command given away: an import's records move into the change
    /// instead of being copied (100 000 records: some hundreds of MB less).
    pub fn apply_owned(&self, cmd: Command, actor: &str) -> Result<Applied, StoreError> {
        let cmd = match cmd.cleaned() {
            std::borrow::Cow::Owned(cleaned) => Some(cleaned),
            std::borrow::Cow::Borrowed(_) => None,
        }
        .unwrap_or(cmd);
        let allotted = self.prepare(&cmd)?;
        let change = transition::compute_owned(cmd, &allotted.context(actor), self)?;
        let applied = self.save_change(change)?;
        self.flush()?;
        Ok(applied)
    }

    /// Validates a (cleaned) command and allots the ids it needs, at this moment.
    fn prepare(&self, cmd: &Command) -> Result<Allotted, StoreError> {
        cmd.validate()?;
        let new_id = if cmd.needs_new_id() {
            Some(self.next_id()?)
        } else {
            None
        };
        let ids = (0..cmd.new_ids_needed())
            .map(|_| self.next_id())
            .collect::<Result<Vec<u64>, _>>()?;
        Ok(Allotted {
            new_id,
            ids,
            now: now_rfc3339(),
        })
    }

    /// Copies the evidence a change names and writes it; a change that could not be written
    /// takes its copies back.
    fn save_change(&self, mut change: Change) -> Result<Applied, StoreError> {
        let copied = match &change.attach {
            Some(a) => self.copy_evidence(a.entry, &a.sources, &a.existing)?,
            None => Vec::new(),
        };
        change.attach_copied(copied.clone());
        match self.write_change(&change) {
            Ok(audit_id) => Ok(Applied::of(change, audit_id)),
            Err(e) => {
                // The change was not saved: take back the evidence copies made for it.
                if let Some(a) = &change.attach {
                    if a.new_entry {
                        let _ =
                            fs::remove_dir_all(evidence_dir(&self.root).join(a.entry.to_string()));
                    } else {
                        for ev in &copied {
                            let _ = fs::remove_file(evidence_dir(&self.root).join(&ev.stored));
                        }
                    }
                }
                Err(e)
            }
        }
    }

    /// Writes `change` and its audit record (under a new id, returned) in one transaction
    /// over the trees it touches: removes first, then puts. A notice whose 文号 is taken
    /// aborts the whole change.
    pub(crate) fn write_change(&self, change: &Change) -> Result<u64, StoreError> {
        // One change at a time: a form's field names are read, grown and written back with
        // its records.
        let _writer = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut field_names: BTreeMap<&str, FieldNames> = BTreeMap::new();
        // New records per form, for the kept counts.
        let mut added: BTreeMap<&str, u64> = BTreeMap::new();
        let audit = AuditRow::of(self.next_id()?, &change.audit);
        let mut writes: Vec<(&sled::Tree, Op)> = Vec::new();
        // Records taken out per form, for the kept counts.
        let mut taken: BTreeMap<&str, u64> = BTreeMap::new();
        for r in &change.removes {
            let (t, key) = match r {
                Remove::Plan(id) => (&self.plans, id.as_bytes().to_vec()),
                Remove::Task(id) => (&self.tasks, id.as_bytes().to_vec()),
                Remove::Target(id) => (&self.targets, id.as_bytes().to_vec()),
                Remove::Unit(id) => (&self.units, id.as_bytes().to_vec()),
                Remove::Sector(id) => (&self.sectors, id.as_bytes().to_vec()),
                Remove::Progress { task, id } => {
                    let index = Op::Remove(id.to_be_bytes().to_vec());
                    writes.push((&self.progress_index, index));
                    (&self.progress, scoped_key(task, *id))
                }
                Remove::Submission(id) => (&self.submissions, id.to_be_bytes().to_vec()),
                Remove::Supervision(kind, id) => {
                    (&self.supervision, keys::sup_key(*kind, *id).to_vec())
                }
                Remove::Record { form, id } => {
                    // Only one there is: the count follows.
                    if self.record_index.contains_key(id.to_be_bytes())? {
                        *taken.entry(form.as_str()).or_insert(0) += 1;
                    }
                    writes.push((&self.record_index, Op::Remove(id.to_be_bytes().to_vec())));
                    (&self.records, scoped_key(form, *id))
                }
                Remove::Unverified => (&self.meta, UNVERIFIED_KEY.to_vec()),
            };
            writes.push((t, Op::Remove(key)));
        }
        for p in &change.puts {
            let id = |s: &str| s.as_bytes().to_vec();
            match p {
                Put::Campaign(c) => {
                    writes.push((&self.campaigns, Op::Insert(id(&c.id), to_json(c)?)))
                }
                Put::Plan(pl) => writes.push((&self.plans, Op::Insert(id(&pl.id), to_json(pl)?))),
                Put::Task(t) => writes.push((&self.tasks, Op::Insert(id(&t.id), to_json(t)?))),
                Put::Unit(u) => writes.push((&self.units, Op::Insert(id(&u.id), to_json(u)?))),
                Put::Progress(e) => {
                    let key = scoped_key(&e.task, e.id);
                    writes.push((&self.progress, Op::Insert(key, to_json(e)?)));
                    let index = Op::Insert(e.id.to_be_bytes().to_vec(), id(&e.task));
                    writes.push((&self.progress_index, index));
                }
                Put::Record(r) => {
                    let key = scoped_key(&r.form, r.id);
                    let names = match field_names.entry(r.form.as_str()) {
                        std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                        std::collections::btree_map::Entry::Vacant(e) => {
                            e.insert(FieldNames::load(&self.record_fields, &r.form)?)
                        }
                    };
                    let row = encode_record(r, names)?;
                    if !self.record_index.contains_key(r.id.to_be_bytes())? {
                        *added.entry(r.form.as_str()).or_insert(0) += 1;
                    }
                    writes.push((&self.records, Op::Insert(key, row)));
                    let index = Op::Insert(r.id.to_be_bytes().to_vec(), id(&r.form));
                    writes.push((&self.record_index, index));
                }
                Put::Target { order, target } => {
                    let row = to_json(&(order, target))?;
                    writes.push((&self.targets, Op::Insert(id(&target.id), row)));
                }
                Put::Measurement {
                    target,
                    id: m,
                    value,
                } => {
                    let key = scoped_key(target, *m);
                    writes.push((&self.measurements, Op::Insert(key, to_json(value)?)));
                }
                Put::Notice(n) => {
                    let taken = format!("文号〔{}〕{}号已被使用", n.year, n.number);
                    let key = keys::notice_key(n.year, n.number).to_vec();
                    writes.push((&self.notices, Op::InsertNew(key, to_json(n)?, taken)));
                }
                Put::NoticeFile { year, number, pdf } => {
                    let taken = format!("文号〔{year}〕{number}号已有印发的文件");
                    let key = keys::notice_key(*year, *number).to_vec();
                    writes.push((&self.notice_files, Op::InsertNew(key, pdf.clone(), taken)));
                }
                Put::VoidedNotice(n) => {
                    let key = keys::notice_key(n.year, n.number).to_vec();
                    writes.push((&self.notices, Op::Insert(key, to_json(n)?)));
                }
                Put::Sector(r) => {
                    writes.push((&self.sectors, Op::Insert(id(&r.sector), to_json(r)?)))
                }
                Put::Setting { key, value } => {
                    writes.push((&self.settings, Op::Insert(id(key), to_json(value)?)));
                }
                Put::Submission(sub) => {
                    let key = sub.id.to_be_bytes().to_vec();
                    writes.push((&self.submissions, Op::Insert(key, to_json(sub)?)));
                }
                Put::Supervision(row) => {
                    let key = keys::sup_key(row.kind(), row.id()).to_vec();
                    writes.push((&self.supervision, Op::Insert(key, to_json(row)?)));
                }
                Put::NewSupervision(row) => {
                    let key = keys::sup_key(row.kind(), row.id()).to_vec();
                    let taken = format!(
                        "{} #{} 的编号已被占用（另一处同时新增），请重试",
                        row.kind().label_zh(),
                        row.id()
                    );
                    writes.push((&self.supervision, Op::InsertNew(key, to_json(row)?, taken)));
                }
                Put::Unverified(u) => {
                    writes.push((&self.meta, Op::Insert(UNVERIFIED_KEY.to_vec(), to_json(u)?)));
                }
            }
        }
        for (form, n) in added {
            writes.push((&self.record_counts, Op::Add(form.as_bytes().to_vec(), n)));
        }
        for (form, n) in taken {
            writes.push((&self.record_counts, Op::Sub(form.as_bytes().to_vec(), n)));
        }
        for (form, names) in &field_names {
            if names.grown {
                let op = Op::Insert(form.as_bytes().to_vec(), names.to_bytes()?);
                writes.push((&self.record_fields, op));
            }
        }
        // A register's revision is the audit record of its newest change.
        let mut registers: Vec<&str> = change
            .puts
            .iter()
            .filter_map(|p| match p {
                Put::Record(r) => Some(r.form.as_str()),
                _ => None,
            })
            .chain(change.removes.iter().filter_map(|r| match r {
                Remove::Record { form, .. } => Some(form.as_str()),
                _ => None,
            }))
            .collect();
        registers.sort_unstable();
        registers.dedup();
        for form in registers {
            let op = Op::Insert(form.as_bytes().to_vec(), audit.id.to_be_bytes().to_vec());
            writes.push((&self.registers, op));
        }
        let audit_json = to_json(&audit)?;
        let audit_key = audit.id.to_be_bytes();
        // Not while a backup reads the trees (it sees all of a change or none of it).
        let _gate = self
            .write_gate
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let staged = writes
            .iter()
            .filter(|(t, _)| std::ptr::eq(*t, &self.records))
            .count()
            >= STAGE_RECORDS;
        if staged {
            let mark = StagedRecords::of(change);
            // Only new records are written in parts: undoing them is removing them.
            if self.none_stored(&mark)? {
                return self.write_staged(mark, writes, &audit_key, &audit_json);
            }
        }
        self.run_ops(writes, Some((&audit_key, &audit_json)), false)?;
        Ok(audit.id)
    }

    /// Runs `writes` in one transaction over the trees they touch (the audit tree first, and
    /// the meta tree when `unstage`), each once; with the audit record, and removing the
    /// mark of records written in parts when `unstage`.
    fn run_ops(
        &self,
        writes: Vec<(&sled::Tree, Op)>,
        audit: Option<(&[u8; 8], &[u8])>,
        unstage: bool,
    ) -> Result<(), StoreError> {
        let mut trees: Vec<&sled::Tree> = vec![&self.audit, &self.meta];
        let ops: Vec<(usize, Op)> = writes
            .into_iter()
            .map(|(tree, op)| {
                let i = match trees.iter().position(|x| std::ptr::eq(*x, tree)) {
                    Some(i) => i,
                    None => {
                        trees.push(tree);
                        trees.len() - 1
                    }
                };
                (i, op)
            })
            .collect();
        trees
            .as_slice()
            .transaction(|views| -> TxResult<()> {
                for (i, op) in &ops {
                    let t = &views[*i];
                    match op {
                        Op::Remove(k) => {
                            t.remove(k.as_slice())?;
                        }
                        Op::Insert(k, v) => {
                            t.insert(k.as_slice(), v.as_slice())?;
                        }
                        Op::InsertNew(k, v, taken) => {
                            if t.get(k.as_slice())?.is_some() {
                                return Err(ConflictableTransactionError::Abort(
                                    StoreError::Invalid(taken.clone()),
                                ));
                            }
                            t.insert(k.as_slice(), v.as_slice())?;
                        }
                        Op::Add(k, n) => {
                            let now = t.get(k.as_slice())?.map_or(0, |v| count_of(&v));
                            t.insert(k.as_slice(), &now.saturating_add(*n).to_be_bytes())?;
                        }
                        Op::Sub(k, n) => {
                            let now = t.get(k.as_slice())?.map_or(0, |v| count_of(&v));
                            t.insert(k.as_slice(), &now.saturating_sub(*n).to_be_bytes())?;
                        }
                    }
                }
                if let Some((key, row)) = audit {
                    views[0].insert(key, row)?;
                }
                if unstage {
                    views[1].remove(STAGED_KEY)?;
                }
                Ok(())
            })
            .map_err(tx_err)
    }

    /// Writes a change with many records (an import) in parts, all or nothing all the same:
    /// one transaction of 100 000 records held gigabytes in sled. The records' keys are
    /// marked as staged in `meta` first; the records go in with their index in parts of
    /// [`STAGE_RECORDS`]; the last transaction writes the rest of the change, its audit
    /// record, and removes the mark. Readers of records wait meanwhile (the register gate),
    /// so none sees part of it. Should anything fail, or the program stop, before the last
    /// transaction, the staged records are removed (here, or when the store opens next).
    fn write_staged(
        &self,
        mark: StagedRecords,
        writes: Vec<(&sled::Tree, Op)>,
        audit_key: &[u8; 8],
        audit_json: &[u8],
    ) -> Result<u64, StoreError> {
        let _readers = self
            .register_gate
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.meta.insert(STAGED_KEY, to_json(&mark)?)?;
        let (parts, rest): (Vec<_>, Vec<_>) = writes.into_iter().partition(|(t, _)| {
            std::ptr::eq(*t, &self.records) || std::ptr::eq(*t, &self.record_index)
        });
        let result = (|| {
            let mut parts = parts.into_iter().peekable();
            while parts.peek().is_some() {
                // A record and its index entry: two writes each.
                let part: Vec<_> = parts.by_ref().take(2 * STAGE_RECORDS).collect();
                self.run_ops(part, None, false)?;
            }
            self.run_ops(rest, Some((audit_key, audit_json)), true)
        })();
        match result {
            Ok(()) => Ok(u64::from_be_bytes(*audit_key)),
            Err(e) => {
                if let Err(undo) = self.unstage(&mark) {
                    tracing::error!("could not remove the staged records: {undo}");
                }
                Err(e)
            }
        }
    }

    /// Whether none of the records in `mark` is stored yet (nor indexed).
    fn none_stored(&self, mark: &StagedRecords) -> Result<bool, StoreError> {
        for (form, first, last) in &mark.records {
            let (lo, hi) = (scoped_key(form, *first), scoped_key(form, *last));
            if self.records.range(lo..=hi).next().is_some()
                || self
                    .record_index
                    .range(first.to_be_bytes()..=last.to_be_bytes())
                    .next()
                    .is_some()
            {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Removes the records marked as staged and the mark (a change written in parts that
    /// did not finish). Returns how many records were removed.
    pub(crate) fn unstage(&self, mark: &StagedRecords) -> Result<usize, StoreError> {
        let mut removed = 0;
        for (form, first, last) in &mark.records {
            let mut id = *first;
            while id <= *last {
                let end = last
                    .min(&id.saturating_add(STAGE_RECORDS as u64 - 1))
                    .to_owned();
                let mut records = sled::Batch::default();
                let mut index = sled::Batch::default();
                for i in id..=end {
                    records.remove(scoped_key(form, i));
                    index.remove(&i.to_be_bytes());
                }
                self.records.apply_batch(records)?;
                self.record_index.apply_batch(index)?;
                removed += (end - id + 1) as usize;
                id = match end.checked_add(1) {
                    Some(next) => next,
                    None => break,
                };
            }
        }
        self.meta.remove(STAGED_KEY)?;
        self.flush()?;
        Ok(removed)
    }

    /// At open: counts each form's records when the counts are not complete (a database
    /// coming from schema v5, or restored from a backup, which does not carry them).
    pub(crate) fn count_records(&self) -> Result<(), StoreError> {
        if self.record_counts.contains_key(keys::COUNTS_BUILT)? {
            return Ok(());
        }
        let mut batch = sled::Batch::default();
        for kv in self.record_counts.iter() {
            batch.remove(kv?.0);
        }
        for (form, n) in self.tally_records()? {
            batch.insert(form.as_bytes(), &(n as u64).to_be_bytes());
        }
        batch.insert(keys::COUNTS_BUILT, &[]);
        self.record_counts.apply_batch(batch)?;
        Ok(())
    }

    /// At open: the records of a change written in parts that never finished (the program
    /// stopped meanwhile) are removed; what was done is said in `check`.
    pub(crate) fn recover_staged(&mut self) -> Result<(), StoreError> {
        let Some(bytes) = self.meta.get(STAGED_KEY)? else {
            return Ok(());
        };
        let mark: StagedRecords = from_json(&bytes)?;
        let count: u64 = mark.records.iter().map(|(_, a, b)| b - a + 1).sum();
        self.unstage(&mark)?;
        tracing::warn!("removed {count} staged records of an unfinished change");
        self.cleaned.push(format!(
            "上次批量写入台账记录时程序中断：未完成的 {count} 条记录已撤回（那次导入没有生效，请重新导入）"
        ));
        Ok(())
    }
}

/// Changes writing at least this many records write them in parts ([`Store::write_staged`]).
pub(crate) const STAGE_RECORDS: usize = 4096;
/// Key in `meta` of the records being written in parts by a change not finished yet.
pub(crate) const STAGED_KEY: &[u8] = b"staged_records";

/// The records a change writes in parts: per form, ranges of ids (first, last).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StagedRecords {
    records: Vec<(String, u64, u64)>,
}

impl StagedRecords {
    fn of(change: &Change) -> StagedRecords {
        let mut records: Vec<(String, u64, u64)> = Vec::new();
        for p in &change.puts {
            if let Put::Record(r) = p {
                match records.last_mut() {
                    Some((form, _, last))
                        if *form == r.form && last.checked_add(1) == Some(r.id) =>
                    {
                        *last = r.id;
                    }
                    _ => records.push((r.form.clone(), r.id, r.id)),
                }
            }
        }
        StagedRecords { records }
    }
}

/// The ids and the moment allotted to a command ([`Store::prepare`]).
struct Allotted {
    new_id: Option<u64>,
    ids: Vec<u64>,
    now: String,
}

impl Allotted {
    fn context<'a>(&'a self, actor: &'a str) -> Context<'a> {
        Context {
            actor,
            now: &self.now,
            new_id: self.new_id,
            new_ids: &self.ids,
        }
    }
}

/// One write of a change, prepared outside the transaction (which may run more than once).
enum Op {
    Remove(Vec<u8>),
    Insert(Vec<u8>, Vec<u8>),
    /// Insert, aborting the transaction with the message when the key is taken.
    InsertNew(Vec<u8>, Vec<u8>, String),
    /// Adds to a count ([`crate::read::count_of`]).
    Add(Vec<u8>, u64),
    /// Takes from a count (never below zero).
    Sub(Vec<u8>, u64),
}

/// An [`AuditRecord`] as it is written, borrowing the change's audit entry (its before and
/// after states are not copied): the same fields in the same order, so the same JSON.
#[derive(Serialize)]
struct AuditRow<'a> {
    id: u64,
    at: String,
    actor: &'a str,
    action: &'a str,
    summary: &'a str,
    target: &'a str,
    before: &'a Option<serde_json::Value>,
    after: &'a Option<serde_json::Value>,
}

impl<'a> AuditRow<'a> {
    fn of(id: u64, e: &'a AuditEntry) -> AuditRow<'a> {
        AuditRow {
            id,
            at: now_rfc3339(),
            actor: &e.actor,
            action: &e.action,
            summary: &e.summary,
            target: &e.target,
            before: &e.before,
            after: &e.after,
        }
    }
}

/// The store's rows, as transitions read them.
impl Rows for Store {
    type Error = StoreError;

    fn campaign_exists(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.campaigns.contains_key(id.as_bytes())?)
    }

    fn campaign(&self, id: &str) -> Result<Option<Campaign>, StoreError> {
        self.campaigns
            .get(id.as_bytes())?
            .map(|v| from_json(&v))
            .transpose()
    }

    fn plan(&self, id: &str) -> Result<Option<Plan>, StoreError> {
        self.plans
            .get(id.as_bytes())?
            .map(|v| from_json(&v))
            .transpose()
    }

    fn tasks(&self) -> Result<Vec<Task>, StoreError> {
        Store::tasks(self)
    }

    fn task_exists(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.tasks.contains_key(id.as_bytes())?)
    }

    fn task(&self, id: &str) -> Result<Option<Task>, StoreError> {
        self.tasks
            .get(id.as_bytes())?
            .map(|v| from_json(&v))
            .transpose()
    }

    fn task_has_progress(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.progress.scan_prefix(scope_prefix(id)).next().is_some())
    }

    fn progress_entry(&self, id: u64) -> Result<Option<ProgressEntry>, StoreError> {
        Store::progress_entry(self, id)
    }

    fn units(&self) -> Result<Vec<Unit>, StoreError> {
        Store::units(self)
    }

    fn unit(&self, id: &str) -> Result<Option<Unit>, StoreError> {
        self.units
            .get(id.as_bytes())?
            .map(|v| from_json(&v))
            .transpose()
    }

    fn record(&self, id: u64) -> Result<Option<FormRecord>, StoreError> {
        Store::record(self, id)
    }

    fn target_exists(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.targets.contains_key(id.as_bytes())?)
    }

    fn target(&self, id: &str) -> Result<Option<Target>, StoreError> {
        self.targets
            .get(id.as_bytes())?
            .map(|v| from_json::<(u32, Target)>(&v).map(|(_, t)| t))
            .transpose()
    }

    fn targets_of_plan(&self, plan: &str) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        for v in self.targets.iter().values() {
            let (_, t): (u32, Target) = from_json(&v?)?;
            if t.plan == plan {
                out.push(t.id);
            }
        }
        Ok(out)
    }

    fn measurements(&self) -> Result<HashMap<String, Vec<Measurement>>, StoreError> {
        self.all_measurements()
    }

    fn setting(&self, key: &str) -> Result<Option<serde_json::Value>, StoreError> {
        self.settings
            .get(key.as_bytes())?
            .map(|v| from_json(&v))
            .transpose()
    }

    fn next_notice_number(&self, year: i32) -> Result<u32, StoreError> {
        Store::next_notice_number(self, year)
    }

    fn notice(
        &self,
        year: i32,
        number: u32,
    ) -> Result<Option<anwei_core::NoticeRecord>, StoreError> {
        Store::notice(self, year, number)
    }

    fn noticed_tasks(&self) -> Result<HashSet<String>, StoreError> {
        Ok(self.notices(None)?.into_iter().map(|n| n.task).collect())
    }

    fn sector_record(&self, sector: &str) -> Result<Option<SectorRecord>, StoreError> {
        Store::sector_record(self, sector)
    }

    fn unverified(&self) -> Result<Option<Unverified>, StoreError> {
        Store::unverified(self)
    }

    fn units_with_audit(&self) -> Result<HashSet<String>, StoreError> {
        let mut out = HashSet::new();
        for v in self.audit.iter().values() {
            let rec: AuditRecord = from_json(&v?)?;
            if let Some(unit) = rec.target.strip_prefix("unit:") {
                out.insert(unit.to_owned());
            }
        }
        Ok(out)
    }

    fn units_named_in_records(
        &self,
        candidates: &HashSet<&str>,
    ) -> Result<HashSet<String>, StoreError> {
        let mut out = HashSet::new();
        self.record_reader().for_each_all(|r| {
            out.extend(transition::units_named_in(&r, candidates));
        })?;
        Ok(out)
    }

    fn sup_row(
        &self,
        kind: anwei_core::supervision::SupKind,
        id: u64,
    ) -> Result<Option<anwei_core::supervision::SupRow>, StoreError> {
        Store::sup_row(self, kind, id)
    }

    fn sup_rows(
        &self,
        kind: anwei_core::supervision::SupKind,
    ) -> Result<Vec<anwei_core::supervision::SupRow>, StoreError> {
        Store::sup_rows(self, kind)
    }

    fn sup_last_id(&self, kind: anwei_core::supervision::SupKind) -> Result<u64, StoreError> {
        Store::sup_last_id(self, kind)
    }

    fn submission(&self, id: u64) -> Result<Option<anwei_core::reports::Submission>, StoreError> {
        Store::submission(self, id)
    }

    fn submissions_of_report(
        &self,
        report: &str,
    ) -> Result<Vec<anwei_core::reports::Submission>, StoreError> {
        Ok(self
            .submissions()?
            .into_iter()
            .filter(|s| s.report == report)
            .collect())
    }

    fn submissions_of(
        &self,
        report: &str,
        unit: &str,
        period_start: chrono::NaiveDate,
    ) -> Result<Vec<anwei_core::reports::Submission>, StoreError> {
        Ok(self
            .submissions()?
            .into_iter()
            .filter(|s| s.report == report && s.unit == unit && s.period_start == period_start)
            .collect())
    }

    fn sector_record_count(&self, sector: &str) -> Result<usize, StoreError> {
        Ok(self
            .record_counts()?
            .into_iter()
            .filter(|(form, _)| form.split_once('/').is_some_and(|(s, _)| s == sector))
            .map(|(_, n)| n)
            .sum())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::collections::BTreeMap;

    use anwei_core::Value;

    use super::*;

    const FORM: &str = "coal-mining/mine-register";

    fn record(id: u64) -> FormRecord {
        FormRecord {
            id,
            form: FORM.to_owned(),
            form_version: "1.0.0".to_owned(),
            values: BTreeMap::from([("name".to_owned(), Value::Text(format!("第{id}号")))]),
            draft: false,
            deleted: false,
            author: "测试员".to_owned(),
            created_at: "2022-01-01T00:00:00+08:00".to_owned(),
            updated_at: "2022-01-01T00:00:00+08:00".to_owned(),
            revision: 1,
        }
    }

    /// What a change written in parts leaves when the program stops before its last
    /// transaction: the mark and some records. The next open takes them back and says so.
    #[test]
    fn records_of_a_change_cut_short_are_removed_when_the_store_opens() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            store
                .apply(
                    &Command::AddRecord {
                        form: FORM.to_owned(),
                        form_version: "1.0.0".to_owned(),
                        values: record(0).values,
                        draft: false,
                    },
                    "测试员",
                )
                .unwrap();
            let mark = StagedRecords {
                records: vec![(FORM.to_owned(), 10_000, 10_099)],
            };
            store
                .meta
                .insert(STAGED_KEY, to_json(&mark).unwrap())
                .unwrap();
            let mut names = FieldNames::load(&store.record_fields, FORM).unwrap();
            let mut part = Vec::new();
            for id in 10_000..10_050 {
                let row = encode_record(&record(id), &mut names).unwrap();
                part.push((&store.records, Op::Insert(scoped_key(FORM, id), row)));
                let index = Op::Insert(id.to_be_bytes().to_vec(), FORM.as_bytes().to_vec());
                part.push((&store.record_index, index));
            }
            store.run_ops(part, None, false).unwrap();
            store
                .record_fields
                .insert(FORM.as_bytes(), names.to_bytes().unwrap())
                .unwrap();
            assert_eq!(
                store.records(FORM).unwrap().len(),
                51,
                "written, not committed"
            );
            store.flush().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(
            store.records(FORM).unwrap().len(),
            1,
            "the committed one stays"
        );
        assert!(store.meta.get(STAGED_KEY).unwrap().is_none());
        let report = store.check().unwrap();
        assert!(report.problems.is_empty(), "{report:?}");
        assert!(
            report.notes.iter().any(|n| n.contains("100 条记录已撤回")),
            "{report:?}"
        );
        // Opening again finds nothing to take back.
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert!(
            store
                .check()
                .unwrap()
                .notes
                .iter()
                .all(|n| !n.contains("撤回"))
        );
    }

    #[test]
    fn only_new_records_are_written_in_parts() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mark = StagedRecords {
            records: vec![(FORM.to_owned(), 5, 9)],
        };
        assert!(store.none_stored(&mark).unwrap());
        let mut names = FieldNames::default();
        let row = encode_record(&record(7), &mut names).unwrap();
        store.records.insert(scoped_key(FORM, 7), row).unwrap();
        assert!(!store.none_stored(&mark).unwrap());
    }
}
