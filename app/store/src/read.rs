//! Reading the store: campaigns, plans, tasks, units, progress, ledger records, targets,
//! settings, the audit trail, and the consistency check.

use std::collections::{BTreeMap, HashMap};
use std::fs;

use anwei_core::{
    Campaign, CampaignScope, FormRecord, LatestProgress, Measurement, Plan, ProgressEntry,
    ProgressSummary, SectorRecord, Settings, Target, Task, Unit, UnitDirectory,
};
use chrono::{Local, NaiveDate};
use serde::Deserialize;

use anwei_files::layout;

use crate::apply::AuditRecord;
use crate::error::StoreError;
use crate::keys::{self, scope_prefix, scoped_key};
use crate::open::evidence_dir;
use crate::store::{CheckReport, RecordReader, Store, TreeDump, from_json};

impl Store {
    pub(crate) fn read_all<T: for<'de> Deserialize<'de>>(
        tree: &sled::Tree,
    ) -> Result<Vec<T>, StoreError> {
        tree.iter().values().map(|v| from_json(&v?)).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.campaigns.is_empty()
    }

    pub fn campaigns(&self) -> Result<Vec<Campaign>, StoreError> {
        Self::read_all(&self.campaigns)
    }

    /// The campaign `chosen` (`None`: the one the settings name, else the current one by
    /// [`anwei_core::current_campaign`]) with its plans and tasks; `None` when the store holds
    /// no campaign. A `chosen` id that names no campaign is an error that lists them.
    pub fn campaign_scope(
        &self,
        chosen: Option<&str>,
        today: chrono::NaiveDate,
    ) -> Result<Option<CampaignScope>, StoreError> {
        let campaigns = self.campaigns()?;
        if let Some(id) = chosen
            && !campaigns.iter().any(|c| c.id == id)
        {
            let known: Vec<String> = campaigns
                .iter()
                .map(|c| format!("{}（{}）", c.id, c.name))
                .collect();
            return Err(StoreError::Invalid(format!(
                "没有编号为“{id}”的活动；现有：{}",
                if known.is_empty() {
                    "无".to_owned()
                } else {
                    known.join("、")
                }
            )));
        }
        let settings = self.settings()?;
        let chosen = chosen.or(settings.current_campaign.as_deref());
        let Some(campaign) = anwei_core::current_campaign(&campaigns, chosen, today).cloned()
        else {
            return Ok(None);
        };
        Ok(Some(CampaignScope::new(
            campaign,
            self.plans()?,
            self.tasks()?,
        )))
    }

    pub fn plan(&self, id: &str) -> Result<Option<Plan>, StoreError> {
        self.plans.get(id)?.map(|v| from_json(&v)).transpose()
    }

    /// Plans in campaign order.
    pub fn plans(&self) -> Result<Vec<Plan>, StoreError> {
        let mut plans: Vec<Plan> = Self::read_all(&self.plans)?;
        plans.sort_by_key(|p| p.order);
        Ok(plans)
    }

    /// Tasks in plan order, then task order.
    pub fn tasks(&self) -> Result<Vec<Task>, StoreError> {
        let plan_order: HashMap<String, u32> =
            self.plans()?.into_iter().map(|p| (p.id, p.order)).collect();
        let mut tasks: Vec<Task> = Self::read_all(&self.tasks)?;
        tasks.sort_by_key(|t| {
            (
                plan_order.get(&t.plan).copied().unwrap_or(u32::MAX),
                t.order,
            )
        });
        Ok(tasks)
    }

    pub fn task(&self, id: &str) -> Result<Option<Task>, StoreError> {
        self.tasks.get(id)?.map(|v| from_json(&v)).transpose()
    }

    /// Targets, in plan order then as the plan lists them.
    pub fn targets(&self) -> Result<Vec<Target>, StoreError> {
        let mut targets: Vec<(u32, Target)> = self
            .targets
            .iter()
            .values()
            .map(|v| from_json::<(u32, Target)>(&v?))
            .collect::<Result<_, _>>()?;
        let plan_order: HashMap<String, u32> =
            self.plans()?.into_iter().map(|p| (p.id, p.order)).collect();
        targets.sort_by_key(|(i, t)| (plan_order.get(&t.plan).copied().unwrap_or(u32::MAX), *i));
        let mut measured = self.all_measurements()?;
        Ok(targets
            .into_iter()
            .map(|(_, mut t)| {
                if let Some(m) = measured.remove(&t.id) {
                    t.measurements = m;
                }
                t
            })
            .collect())
    }

    /// Hand-entered values per target id, oldest first.
    pub fn all_measurements(&self) -> Result<HashMap<String, Vec<Measurement>>, StoreError> {
        let mut out: HashMap<String, Vec<Measurement>> = HashMap::new();
        for kv in self.measurements.iter() {
            let (k, v) = kv?;
            let target = k
                .split(|b| *b == 0)
                .next()
                .map(|t| String::from_utf8_lossy(t).into_owned())
                .unwrap_or_default();
            out.entry(target).or_default().push(from_json(&v)?);
        }
        for list in out.values_mut() {
            list.sort_by_key(|m| m.date);
        }
        Ok(out)
    }

    /// Every unit's submissions of reports, in id order (the order they were recorded).
    pub fn submissions(&self) -> Result<Vec<anwei_core::reports::Submission>, StoreError> {
        self.submissions
            .iter()
            .map(|kv| {
                let (_, v) = kv?;
                from_json(&v)
            })
            .collect()
    }

    /// The supervision row of `kind` numbered `id`.
    pub fn sup_row(
        &self,
        kind: anwei_core::supervision::SupKind,
        id: u64,
    ) -> Result<Option<anwei_core::supervision::SupRow>, StoreError> {
        self.supervision
            .get(keys::sup_key(kind, id))?
            .map(|v| from_json(&v))
            .transpose()
    }

    /// The highest number a supervision row of `kind` has (0: none): the last key of the
    /// kind's prefix, no row read.
    pub fn sup_last_id(&self, kind: anwei_core::supervision::SupKind) -> Result<u64, StoreError> {
        match self.supervision.scan_prefix([kind.tag()]).next_back() {
            Some(kv) => {
                let (k, _) = kv?;
                let bytes: [u8; 8] = k
                    .get(1..9)
                    .and_then(|b| b.try_into().ok())
                    .ok_or_else(|| StoreError::Invalid("督办记录的键已损坏".to_owned()))?;
                Ok(u64::from_be_bytes(bytes))
            }
            None => Ok(0),
        }
    }

    /// Every supervision row of `kind`, in id order.
    pub fn sup_rows(
        &self,
        kind: anwei_core::supervision::SupKind,
    ) -> Result<Vec<anwei_core::supervision::SupRow>, StoreError> {
        self.supervision
            .scan_prefix([kind.tag()])
            .map(|kv| {
                let (_, v) = kv?;
                from_json(&v)
            })
            .collect()
    }

    /// The supervision registers: every row, by kind, each in id order.
    pub fn supervision_registers(&self) -> Result<anwei_core::supervision::Registers, StoreError> {
        let rows = self
            .supervision
            .iter()
            .map(|kv| {
                let (_, v) = kv?;
                from_json(&v)
            })
            .collect::<Result<Vec<anwei_core::supervision::SupRow>, StoreError>>()?;
        Ok(anwei_core::supervision::Registers::from_rows(rows))
    }

    /// The submission numbered `id`.
    pub fn submission(
        &self,
        id: u64,
    ) -> Result<Option<anwei_core::reports::Submission>, StoreError> {
        self.submissions
            .get(id.to_be_bytes())?
            .map(|v| from_json(&v))
            .transpose()
    }

    /// Ledger records of one form (`SECTOR/FORM`), deleted ones included, in id order.
    pub fn records(&self, form: &str) -> Result<Vec<FormRecord>, StoreError> {
        self.record_reader().records(form)
    }

    /// A read-only handle on the ledger records that a worker thread can hold (reading a
    /// large register off the UI thread).
    pub fn record_reader(&self) -> RecordReader {
        RecordReader {
            records: self.records.clone(),
            record_fields: self.record_fields.clone(),
            registers: self.registers.clone(),
            target_cache: self.target_cache.clone(),
            gate: std::sync::Arc::clone(&self.register_gate),
        }
    }

    pub fn record(&self, id: u64) -> Result<Option<FormRecord>, StoreError> {
        let Some(form) = self.record_index.get(id.to_be_bytes())? else {
            return Ok(None);
        };
        let form = String::from_utf8_lossy(&form).into_owned();
        self.records
            .get(scoped_key(&form, id))?
            .map(|v| {
                let names = crate::codec::FieldNames::load(&self.record_fields, &form)?;
                crate::codec::decode_record(&form, id, &v, &names, None)
            })
            .transpose()
    }

    /// How many records each form has (deleted ones included), as kept with every change:
    /// one row per form, whatever the registers' size.
    pub fn record_counts(&self) -> Result<BTreeMap<String, usize>, StoreError> {
        let mut out = BTreeMap::new();
        for kv in self.record_counts.iter() {
            let (form, n) = kv?;
            if form.as_ref() == keys::COUNTS_BUILT {
                continue;
            }
            out.insert(
                String::from_utf8_lossy(&form).into_owned(),
                count_of(&n) as usize,
            );
        }
        Ok(out)
    }

    /// How many records each form has, counted from the record index (one pass over it).
    pub(crate) fn tally_records(&self) -> Result<BTreeMap<String, usize>, StoreError> {
        let mut out = BTreeMap::new();
        for kv in self.record_index.iter() {
            let (_, form) = kv?;
            *out.entry(String::from_utf8_lossy(&form).into_owned())
                .or_insert(0) += 1;
        }
        Ok(out)
    }

    /// Which plugin version each imported sector plan came from.
    pub fn sector_records(&self) -> Result<Vec<SectorRecord>, StoreError> {
        Self::read_all(&self.sectors)
    }

    pub fn sector_record(&self, sector: &str) -> Result<Option<SectorRecord>, StoreError> {
        self.sectors
            .get(sector.as_bytes())?
            .map(|v| from_json(&v))
            .transpose()
    }

    pub fn units(&self) -> Result<Vec<Unit>, StoreError> {
        Self::read_all(&self.units)
    }

    pub fn unit_directory(&self) -> Result<UnitDirectory, StoreError> {
        UnitDirectory::new(self.units()?).map_err(|e| StoreError::Invalid(e.to_string()))
    }

    pub fn settings(&self) -> Result<Settings, StoreError> {
        let mut s = Settings::default();
        for kv in self.settings.iter() {
            let (k, v) = kv?;
            s.read_row(&String::from_utf8_lossy(&k), from_json(&v)?)?;
        }
        Ok(s)
    }

    /// Progress entries of one task, oldest first (by date, then creation).
    pub fn progress_of(&self, task: &str) -> Result<Vec<ProgressEntry>, StoreError> {
        let mut entries: Vec<ProgressEntry> = self
            .progress
            .scan_prefix(scope_prefix(task))
            .values()
            .map(|v| from_json(&v?))
            .collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| (e.date, e.id));
        Ok(entries)
    }

    pub fn progress_entry(&self, id: u64) -> Result<Option<ProgressEntry>, StoreError> {
        let Some(task) = self.progress_index.get(id.to_be_bytes())? else {
            return Ok(None);
        };
        let task = String::from_utf8_lossy(&task).into_owned();
        self.progress
            .get(scoped_key(&task, id))?
            .map(|v| from_json(&v))
            .transpose()
    }

    /// Every progress entry, grouped by task in key order.
    pub fn all_progress(&self) -> Result<Vec<ProgressEntry>, StoreError> {
        Self::read_all(&self.progress)
    }

    /// Progress summary per task id, of all entries whatever their dates.
    pub fn progress_summaries(&self) -> Result<HashMap<String, ProgressSummary>, StoreError> {
        Ok(self
            .latest_progress(NaiveDate::MAX)?
            .iter()
            .map(|(task, latest)| (task.clone(), ProgressSummary::from(latest)))
            .collect())
    }

    /// The latest progress per task id as known on `as_of` (tasks without an entry dated on
    /// or before it are left out).
    pub fn latest_progress(
        &self,
        as_of: NaiveDate,
    ) -> Result<HashMap<String, LatestProgress>, StoreError> {
        let mut by_task: HashMap<String, Vec<ProgressEntry>> = HashMap::new();
        for e in self.all_progress()? {
            by_task.entry(e.task.clone()).or_default().push(e);
        }
        Ok(by_task
            .into_iter()
            .filter_map(|(task, entries)| Some((task, LatestProgress::of(&entries, as_of)?)))
            .collect())
    }

    /// Audit records, newest first; only those whose target is `target` when given.
    pub fn audit(
        &self,
        target: Option<&str>,
        limit: usize,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let mut out = Vec::new();
        for kv in self.audit.iter().rev() {
            let (_, v) = kv?;
            let rec: AuditRecord = from_json(&v)?;
            if target.is_none_or(|t| rec.target == t) {
                out.push(rec);
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// Raw contents of every tree.
    pub fn dump(&self) -> Result<TreeDump, StoreError> {
        crate::backup::dump_db(&self.db)
    }

    /// Consistency check: counts per tree and any dangling references.
    pub fn check(&self) -> Result<CheckReport, StoreError> {
        // Not while a change with many records is written in parts: its records and their
        // index are counted and read whole or not at all.
        let _reading = self
            .register_gate
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut report = CheckReport {
            schema_version: self.schema_version()?,
            ..Default::default()
        };
        for name in keys::ALL_TREES {
            report
                .counts
                .insert(name.to_owned(), self.db.open_tree(name)?.len());
        }
        let units = self.units()?;
        if let Err(e) = UnitDirectory::new(units.clone()) {
            report.problems.push(format!("单位目录：{e}"));
        }
        let unit_ids: std::collections::HashSet<&str> =
            units.iter().map(|u| u.id.as_str()).collect();
        let plans: std::collections::HashSet<String> =
            self.plans()?.into_iter().map(|p| p.id).collect();
        let tasks = self.tasks()?;
        for t in &tasks {
            if !plans.contains(&t.plan) {
                report
                    .problems
                    .push(format!("任务 {} 所属方案 {} 不存在", t.id, t.plan));
            }
            for r in &t.roles {
                if !unit_ids.contains(r.unit.as_str()) {
                    report
                        .problems
                        .push(format!("任务 {} 引用的单位 {} 不存在", t.id, r.unit));
                }
            }
        }
        let evidence_root = evidence_dir(&self.root);
        for e in self.all_progress()? {
            match self.progress_index.get(e.id.to_be_bytes())? {
                Some(t) if t.as_ref() == e.task.as_bytes() => {}
                _ => report.problems.push(format!("进展 #{} 缺少索引", e.id)),
            }
            for ev in &e.evidence {
                if !evidence_root.join(&ev.stored).is_file() {
                    report
                        .problems
                        .push(format!("进展 #{} 的附件 {} 缺失", e.id, ev.name));
                }
            }
        }
        let submissions = self.submissions()?;
        for s in &submissions {
            for ev in &s.evidence {
                if !evidence_root.join(&ev.stored).is_file() {
                    report
                        .problems
                        .push(format!("报送 #{} 的附件 {} 缺失", s.id, ev.name));
                }
            }
        }
        // Every supervision row reads, under the key of its kind and id, and names units there.
        for kv in self.supervision.iter() {
            let (k, v) = kv?;
            match from_json::<anwei_core::supervision::SupRow>(&v) {
                Ok(row) => {
                    if k.as_ref() != keys::sup_key(row.kind(), row.id()) {
                        report.problems.push(format!(
                            "{} #{} 存放的位置不对",
                            row.kind().label_zh(),
                            row.id()
                        ));
                    }
                    for unit in sup_row_units(&row) {
                        if !unit_ids.contains(unit) {
                            report.problems.push(format!(
                                "{} #{} 引用的单位 {unit} 不存在",
                                row.kind().label_zh(),
                                row.id()
                            ));
                        }
                    }
                }
                Err(e) => report.problems.push(format!("督办记录无法读取：{e}")),
            }
        }
        if report.counts.get(keys::PROGRESS) != report.counts.get(keys::PROGRESS_INDEX) {
            report.problems.push("进展与索引数量不一致".to_owned());
        }
        if report.counts.get(keys::RECORDS) != report.counts.get(keys::RECORD_INDEX) {
            report.problems.push("台账记录与索引数量不一致".to_owned());
        }
        // The kept counts (what the desk shows without counting) against the index.
        let kept = self.record_counts()?;
        let tally = self.tally_records()?;
        for form in kept
            .keys()
            .chain(tally.keys())
            .collect::<std::collections::BTreeSet<_>>()
        {
            let (said, found) = (
                kept.get(form).copied().unwrap_or(0),
                tally.get(form).copied().unwrap_or(0),
            );
            if said != found {
                report.problems.push(format!(
                    "表单 {form} 记下的记录数为 {said} 条，实有 {found} 条"
                ));
            }
        }
        // Every issued notice's PDF is there, as issued.
        for n in self.notices(None)? {
            match self.notice_file(&n)? {
                crate::notices::NoticeFile::Kept(_) | crate::notices::NoticeFile::NotKept => {}
                crate::notices::NoticeFile::Changed => report.problems.push(format!(
                    "督办通知书{}的 PDF 与签发时不同（已被改动）",
                    n.number_text()
                )),
                crate::notices::NoticeFile::Missing => report
                    .problems
                    .push(format!("督办通知书{}的 PDF 缺失", n.number_text())),
            }
        }
        // Every ledger record reads (one at a time).
        let mut unreadable = 0usize;
        let mut names: HashMap<String, crate::codec::FieldNames> = HashMap::new();
        for kv in self.records.iter() {
            let (k, v) = kv?;
            let readable = crate::store::split_record_key(&k).and_then(|(form, id)| {
                let list = match names.get(form) {
                    Some(l) => l,
                    None => names
                        .entry(form.to_owned())
                        .or_insert(crate::codec::FieldNames::load(&self.record_fields, form)?),
                };
                crate::codec::decode_record(form, id, &v, list, None)
            });
            if let Err(e) = readable {
                unreadable += 1;
                if unreadable <= 10 {
                    report.problems.push(e.to_string());
                }
            }
        }
        if unreadable > 10 {
            report
                .problems
                .push(format!("另有 {} 条台账记录无法读取", unreadable - 10));
        }
        if let Some(u) = self.unverified()? {
            report.problems.push(u.message());
        }
        report.notes.extend(self.cleaned.iter().cloned());
        if let Ok(read) = fs::read_dir(&self.root) {
            let mut staging: Vec<String> = read
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| {
                    n.starts_with(layout::RESTORE_STAGING_PREFIX)
                        && n.ends_with(layout::RESTORE_STAGING_SUFFIX)
                })
                .collect();
            staging.sort();
            for name in staging {
                report.notes.push(format!(
                    "数据目录中有中断的恢复留下的文件夹 {name}（其中可能有恢复前的数据），未删除；确认不需要后可自行删除"
                ));
            }
        }
        if let Ok(read) = fs::read_dir(&evidence_root) {
            let mut orphans: Vec<u64> = read
                .filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u64>().ok()))
                .filter(|id| {
                    self.progress_index
                        .get(id.to_be_bytes())
                        .is_ok_and(|v| v.is_none())
                        && !submissions.iter().any(|s| s.id == *id)
                })
                .collect();
            orphans.sort_unstable();
            for id in orphans {
                report.notes.push(format!(
                    "附件文件夹 evidence/{id} 不属于任何进展记录或报送（可能是中断的保存留下的），未删除"
                ));
            }
        }
        Ok(report)
    }

    /// Unit lookups used when the caller holds unit names (CLI `--unit`).
    pub fn resolve_unit(&self, name: &str) -> Result<Option<Unit>, StoreError> {
        Ok(self.unit_directory()?.resolve(name).cloned())
    }

    /// Today's date in local time (the store is the layer that may read the clock).
    pub fn today() -> NaiveDate {
        Local::now().date_naive()
    }
}

/// A count as [`keys::RECORD_COUNTS`] keeps it (u64 big-endian; anything else is 0).
pub(crate) fn count_of(bytes: &[u8]) -> u64 {
    <[u8; 8]>::try_from(bytes).map_or(0, u64::from_be_bytes)
}

/// The units of the directory a supervision row names.
fn sup_row_units(row: &anwei_core::supervision::SupRow) -> Vec<&str> {
    use anwei_core::supervision::SupRow;
    match row {
        SupRow::Item(i) => vec![i.unit.as_str()],
        SupRow::Circular(c) => c
            .named
            .iter()
            .filter(|n| n.member)
            .map(|n| n.unit.as_str())
            .collect(),
        SupRow::Talk(t) => vec![t.unit.as_str()],
        SupRow::Accident(a) => vec![a.unit.as_str()],
        SupRow::Deduction(d) => vec![d.unit.as_str()],
        SupRow::Hazard(h) => vec![h.unit.as_str()],
        SupRow::Reward(_) => Vec::new(),
        SupRow::ListEntry(e) => vec![e.unit.as_str()],
    }
}
