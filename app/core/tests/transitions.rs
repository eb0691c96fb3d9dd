//! Each command's change, computed from rows held in memory (no database): the transitions
//! that used to live inside the store.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anwei_core::supervision::{SupKind, SupRow};
use std::collections::{BTreeMap, HashMap, HashSet};

use anwei_core::change::{Context, Rows};
use anwei_core::transition::compute;
use anwei_core::{
    Campaign, CampaignData, Change, ChangeError, Command, EvidenceSource, FormRecord, Measurement,
    NoticeRecord, Plan, ProgressEntry, Put, RecordRow, Remove, SectorPlanImport, SectorRecord,
    Settings, Target, Task, Unit, UnitKind, Unverified, Value,
};
use chrono::NaiveDate;
use serde_json::json;

#[derive(Default)]
struct Mem {
    campaigns: Vec<Campaign>,
    plans: Vec<Plan>,
    tasks: Vec<Task>,
    progress: Vec<ProgressEntry>,
    units: Vec<Unit>,
    records: Vec<FormRecord>,
    targets: Vec<Target>,
    measurements: HashMap<String, Vec<Measurement>>,
    settings: HashMap<String, serde_json::Value>,
    notices: Vec<NoticeRecord>,
    sectors: Vec<SectorRecord>,
    unverified: Option<Unverified>,
    audited_units: HashSet<String>,
    submissions: Vec<anwei_core::reports::Submission>,
    sup: Vec<anwei_core::supervision::SupRow>,
}

impl Rows for Mem {
    type Error = ChangeError;
    fn campaign_exists(&self, id: &str) -> Result<bool, ChangeError> {
        Ok(self.campaigns.iter().any(|c| c.id == id))
    }
    fn campaign(&self, id: &str) -> Result<Option<Campaign>, ChangeError> {
        Ok(self.campaigns.iter().find(|c| c.id == id).cloned())
    }
    fn plan(&self, id: &str) -> Result<Option<Plan>, ChangeError> {
        Ok(self.plans.iter().find(|p| p.id == id).cloned())
    }
    fn tasks(&self) -> Result<Vec<Task>, ChangeError> {
        Ok(self.tasks.clone())
    }
    fn task_exists(&self, id: &str) -> Result<bool, ChangeError> {
        Ok(self.tasks.iter().any(|t| t.id == id))
    }
    fn task(&self, id: &str) -> Result<Option<Task>, ChangeError> {
        Ok(self.tasks.iter().find(|t| t.id == id).cloned())
    }
    fn task_has_progress(&self, id: &str) -> Result<bool, ChangeError> {
        Ok(self.progress.iter().any(|e| e.task == id))
    }
    fn progress_entry(&self, id: u64) -> Result<Option<ProgressEntry>, ChangeError> {
        Ok(self.progress.iter().find(|e| e.id == id).cloned())
    }
    fn units(&self) -> Result<Vec<Unit>, ChangeError> {
        Ok(self.units.clone())
    }
    fn unit(&self, id: &str) -> Result<Option<Unit>, ChangeError> {
        Ok(self.units.iter().find(|u| u.id == id).cloned())
    }
    fn record(&self, id: u64) -> Result<Option<FormRecord>, ChangeError> {
        Ok(self.records.iter().find(|r| r.id == id).cloned())
    }
    fn target_exists(&self, id: &str) -> Result<bool, ChangeError> {
        Ok(self.targets.iter().any(|t| t.id == id))
    }
    fn target(&self, id: &str) -> Result<Option<Target>, ChangeError> {
        Ok(self.targets.iter().find(|t| t.id == id).cloned())
    }
    fn targets_of_plan(&self, plan: &str) -> Result<Vec<String>, ChangeError> {
        Ok(self
            .targets
            .iter()
            .filter(|t| t.plan == plan)
            .map(|t| t.id.clone())
            .collect())
    }
    fn measurements(&self) -> Result<HashMap<String, Vec<Measurement>>, ChangeError> {
        Ok(self.measurements.clone())
    }
    fn setting(&self, key: &str) -> Result<Option<serde_json::Value>, ChangeError> {
        Ok(self.settings.get(key).cloned())
    }
    fn next_notice_number(&self, year: i32) -> Result<u32, ChangeError> {
        Ok(self
            .notices
            .iter()
            .filter(|n| n.year == year)
            .map(|n| n.number + 1)
            .max()
            .unwrap_or(1))
    }
    fn notice(&self, year: i32, number: u32) -> Result<Option<NoticeRecord>, ChangeError> {
        Ok(self
            .notices
            .iter()
            .find(|n| n.year == year && n.number == number)
            .cloned())
    }
    fn noticed_tasks(&self) -> Result<HashSet<String>, ChangeError> {
        Ok(self.notices.iter().map(|n| n.task.clone()).collect())
    }
    fn sector_record(&self, sector: &str) -> Result<Option<SectorRecord>, ChangeError> {
        Ok(self.sectors.iter().find(|s| s.sector == sector).cloned())
    }
    fn unverified(&self) -> Result<Option<Unverified>, ChangeError> {
        Ok(self.unverified.clone())
    }
    fn units_with_audit(&self) -> Result<HashSet<String>, ChangeError> {
        Ok(self.audited_units.clone())
    }
    fn units_named_in_records(
        &self,
        candidates: &HashSet<&str>,
    ) -> Result<HashSet<String>, ChangeError> {
        Ok(self
            .records
            .iter()
            .flat_map(|r| anwei_core::transition::units_named_in(r, candidates))
            .collect())
    }
    fn sector_record_count(&self, sector: &str) -> Result<usize, ChangeError> {
        Ok(self
            .records
            .iter()
            .filter(|r| r.form.starts_with(&format!("{sector}/")))
            .count())
    }
    fn submission(&self, id: u64) -> Result<Option<anwei_core::reports::Submission>, ChangeError> {
        Ok(self.submissions.iter().find(|s| s.id == id).cloned())
    }
    fn submissions_of_report(
        &self,
        report: &str,
    ) -> Result<Vec<anwei_core::reports::Submission>, ChangeError> {
        Ok(self
            .submissions
            .iter()
            .filter(|s| s.report == report)
            .cloned()
            .collect())
    }
    fn submissions_of(
        &self,
        report: &str,
        unit: &str,
        period_start: NaiveDate,
    ) -> Result<Vec<anwei_core::reports::Submission>, ChangeError> {
        Ok(self
            .submissions
            .iter()
            .filter(|s| s.report == report && s.unit == unit && s.period_start == period_start)
            .cloned()
            .collect())
    }
    fn sup_row(&self, kind: SupKind, id: u64) -> Result<Option<SupRow>, ChangeError> {
        Ok(self
            .sup
            .iter()
            .find(|r| r.kind() == kind && r.id() == id)
            .cloned())
    }
    fn sup_last_id(&self, kind: SupKind) -> Result<u64, ChangeError> {
        Ok(self
            .sup
            .iter()
            .filter(|r| r.kind() == kind)
            .map(SupRow::id)
            .max()
            .unwrap_or(0))
    }
    fn sup_rows(&self, kind: SupKind) -> Result<Vec<SupRow>, ChangeError> {
        Ok(self
            .sup
            .iter()
            .filter(|r| r.kind() == kind)
            .cloned()
            .collect())
    }
}

impl Mem {
    /// Writes a supervision change as the store would (settings and supervision rows).
    fn write(&mut self, change: &Change) {
        assert!(change.removes.is_empty(), "{change:?}");
        for p in &change.puts {
            match p {
                Put::NewSupervision(row) => {
                    assert!(
                        self.sup
                            .iter()
                            .all(|x| !(x.kind() == row.kind() && x.id() == row.id())),
                        "number taken: {row:?}"
                    );
                    self.sup.push(row.clone());
                }
                Put::Supervision(row) => {
                    let at = self
                        .sup
                        .iter()
                        .position(|x| x.kind() == row.kind() && x.id() == row.id())
                        .expect("the row changed is there");
                    self.sup[at] = row.clone();
                }
                Put::Setting { key, value } => {
                    self.settings.insert(key.clone(), value.clone());
                }
                other => panic!("unexpected put {other:?}"),
            }
        }
    }
}

const NOW: &str = "2026-03-01T09:00:00.000+08:00";

fn cx(new_id: Option<u64>) -> Context<'static> {
    Context {
        actor: "张三",
        now: NOW,
        new_id,
        new_ids: &[],
    }
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn unit(id: &str, name: &str) -> Unit {
    Unit {
        alias_sources: Vec::new(),
        id: id.to_owned(),
        name: name.to_owned(),
        aliases: Vec::new(),
        kind: UnitKind::Department,
    }
}

fn task(id: &str, plan: &str, units: &[&str]) -> Task {
    serde_json::from_value(json!({
        "id": id, "plan": plan, "order": 1, "label": id, "title": id, "text": "",
        "roles": units.iter().map(|u| json!({"unit": u, "role": "lead"})).collect::<Vec<_>>(),
    }))
    .unwrap()
}

fn campaign(id: &str) -> Campaign {
    serde_json::from_value(json!({
        "id": id, "name": format!("{id}三年行动"), "start": "2024-01-01", "end": "2026-12-31",
    }))
    .unwrap()
}

fn plan(id: &str, sector: &str) -> Plan {
    serde_json::from_value(json!({
        "id": id, "campaign": "c", "order": 1, "kind": "sector", "title": format!("{id}方案"),
        "sector": sector,
    }))
    .unwrap()
}

fn target(id: &str, plan: &str) -> Target {
    serde_json::from_value(json!({
        "id": id, "plan": plan, "name": id, "unit": "%", "comparator": "at_least",
        "checkpoints": [],
    }))
    .unwrap()
}

fn entry(id: u64, task: &str) -> ProgressEntry {
    ProgressEntry {
        milestone: None,
        id,
        task: task.to_owned(),
        date: date("2026-02-01"),
        text: "已完成排查".to_owned(),
        percent: Some(40),
        done: false,
        evidence: Vec::new(),
        author: "李四".to_owned(),
        created_at: "t0".to_owned(),
        updated_at: "t0".to_owned(),
        revision: 3,
    }
}

fn record(id: u64, form: &str, values: &[(&str, Value)]) -> FormRecord {
    FormRecord {
        id,
        form: form.to_owned(),
        form_version: "1".to_owned(),
        values: values
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
        draft: false,
        deleted: false,
        author: "李四".to_owned(),
        created_at: "t0".to_owned(),
        updated_at: "t0".to_owned(),
        revision: 1,
    }
}

fn only_put(c: &Change) -> &Put {
    c.single_put().expect("one row put")
}

#[test]
fn adding_progress_marked_done_counts_as_100_and_names_the_new_entry() {
    let mut rows = Mem::default();
    rows.tasks.push(task("t1", "p", &[]));
    let cmd = Command::AddProgress {
        milestone: None,
        task: "t1".into(),
        date: date("2026-02-03"),
        text: "  全部整改  ".into(),
        percent: None,
        done: true,
        attach: vec![EvidenceSource {
            path: "/tmp/照片.jpg".into(),
        }],
    };
    let c = compute(&cmd, &cx(Some(17)), &rows).unwrap();
    let Put::Progress(e) = only_put(&c) else {
        panic!("{c:?}")
    };
    assert_eq!(
        (e.id, e.percent, e.done, e.revision),
        (17, Some(100), true, 1)
    );
    assert_eq!(e.text, "全部整改");
    assert_eq!((e.author.as_str(), e.created_at.as_str()), ("张三", NOW));
    assert_eq!(c.audit.target, "progress:17");
    assert_eq!(c.audit.action, "add_progress");
    let attach = c.attach.as_ref().expect("files to copy");
    assert_eq!((attach.entry, attach.sources.len()), (17, 1));
    // A percent given with done is kept.
    let cmd = Command::AddProgress {
        milestone: None,
        task: "t1".into(),
        date: date("2026-02-03"),
        text: String::new(),
        percent: Some(90),
        done: true,
        attach: Vec::new(),
    };
    let c = compute(&cmd, &cx(Some(18)), &rows).unwrap();
    assert!(matches!(only_put(&c), Put::Progress(e) if e.percent == Some(90)));
    assert!(c.attach.is_none());
}

#[test]
fn an_entry_may_report_only_an_interim_milestone_of_its_task() {
    let mut rows = Mem::default();
    let mut t = task("t1", "p", &[]);
    t.deadlines = vec![
        anwei_core::deadline::parse_deadline("2020年5月底前", None).unwrap(),
        anwei_core::deadline::parse_deadline("6月底前", Some(2020)).unwrap(),
    ];
    rows.tasks.push(t);
    let add = |milestone: &str| Command::AddProgress {
        milestone: Some(date(milestone)),
        task: "t1".into(),
        date: date("2020-05-30"),
        text: "方案已印发".into(),
        percent: None,
        done: false,
        attach: Vec::new(),
    };
    let c = compute(&add("2020-05-31"), &cx(Some(3)), &rows).unwrap();
    assert!(
        matches!(only_put(&c), Put::Progress(e) if e.milestone == Some(date("2020-05-31"))),
        "{c:?}"
    );
    // The final deadline is not a milestone, nor is a date the task does not have.
    for wrong in ["2020-06-30", "2020-04-30"] {
        let err = compute(&add(wrong), &cx(Some(4)), &rows).unwrap_err();
        assert!(err.to_string().contains("阶段节点"), "{err}");
    }
}

#[test]
fn progress_of_an_unknown_task_is_refused_before_anything_is_copied() {
    let rows = Mem::default();
    let cmd = Command::AddProgress {
        milestone: None,
        task: "nope".into(),
        date: date("2026-02-03"),
        text: "x".into(),
        percent: None,
        done: false,
        attach: Vec::new(),
    };
    let err = compute(&cmd, &cx(Some(1)), &rows).unwrap_err();
    assert_eq!(err.to_string(), "找不到任务“nope”");
}

#[test]
fn editing_progress_bumps_the_revision_keeps_undetached_evidence_and_the_author() {
    let mut rows = Mem::default();
    let mut e = entry(5, "t1");
    for n in ["a.jpg", "b.jpg"] {
        e.evidence.push(anwei_core::Evidence {
            name: n.into(),
            stored: format!("5/{n}"),
            size: 1,
        });
    }
    rows.progress.push(e);
    let cmd = Command::EditProgress {
        milestone: None,
        entry: 5,
        date: date("2026-02-10"),
        text: "改".into(),
        percent: None,
        done: true,
        attach: vec![EvidenceSource {
            path: "/tmp/c.jpg".into(),
        }],
        detach: vec!["5/a.jpg".into()],
    };
    let c = compute(&cmd, &cx(None), &rows).unwrap();
    let Put::Progress(after) = only_put(&c) else {
        panic!()
    };
    assert_eq!(after.revision, 4);
    assert_eq!(after.percent, Some(100));
    assert_eq!(after.author, "李四");
    assert_eq!(after.updated_at, NOW);
    let kept: Vec<&str> = after.evidence.iter().map(|e| e.stored.as_str()).collect();
    assert_eq!(kept, ["5/b.jpg"]);
    assert_eq!(c.attach.as_ref().unwrap().existing.len(), 1);
    assert_eq!(c.audit.before.as_ref().unwrap()["revision"], 3);
    // The copied files join the entry and the audit record's after-state.
    let mut c = c;
    c.attach_copied(vec![anwei_core::Evidence {
        name: "c.jpg".into(),
        stored: "5/c.jpg".into(),
        size: 2,
    }]);
    let Put::Progress(after) = only_put(&c) else {
        panic!()
    };
    assert_eq!(after.evidence.len(), 2);
    assert_eq!(
        c.audit.after.as_ref().unwrap()["evidence"][1]["stored"],
        "5/c.jpg"
    );
    // Over the evidence limit: refused.
    let too_many = Command::EditProgress {
        milestone: None,
        entry: 5,
        date: date("2026-02-10"),
        text: "改".into(),
        percent: None,
        done: false,
        attach: (0..anwei_core::limits::MAX_EVIDENCE_FILES)
            .map(|i| EvidenceSource {
                path: format!("/tmp/{i}"),
            })
            .collect(),
        detach: Vec::new(),
    };
    assert!(compute(&too_many, &cx(None), &rows).is_err());
    let missing = Command::EditProgress {
        milestone: None,
        entry: 99,
        date: date("2026-02-10"),
        text: "改".into(),
        percent: None,
        done: false,
        attach: Vec::new(),
        detach: Vec::new(),
    };
    assert_eq!(
        compute(&missing, &cx(None), &rows).unwrap_err().to_string(),
        "找不到进展记录“99”"
    );
}

#[test]
fn a_unit_name_belongs_to_one_unit_and_aliases_are_cleaned() {
    let mut rows = Mem::default();
    let mut u = unit("u0001", "区应急管理局");
    u.aliases.push("区应急局".into());
    rows.units.push(u);
    let taken = Command::AddUnit {
        name: "区消防救援大队".into(),
        kind: UnitKind::Agency,
        aliases: vec!["区应急局".into()],
    };
    assert_eq!(
        compute(&taken, &cx(None), &rows).unwrap_err().to_string(),
        "名称“区应急局”已属于单位“区应急管理局”"
    );
    let add = Command::AddUnit {
        name: "区消防救援大队".into(),
        kind: UnitKind::Agency,
        aliases: vec![
            " 消防大队 ".into(),
            "消防大队".into(),
            "区消防救援大队".into(),
        ],
    };
    let c = compute(&add, &cx(None), &rows).unwrap();
    let Put::Unit(new) = only_put(&c) else {
        panic!()
    };
    assert_ne!(new.id, "u0001");
    assert_eq!(new.aliases, ["消防大队"]);
    assert_eq!(new.kind, UnitKind::Agency);
    assert_eq!(c.audit.target, format!("unit:{}", new.id));

    let rename = Command::RenameUnit {
        unit: "u0001".into(),
        name: "区应急管理局（区安委办）".into(),
    };
    let c = compute(&rename, &cx(None), &rows).unwrap();
    let Put::Unit(after) = only_put(&c) else {
        panic!()
    };
    assert_eq!(after.name, "区应急管理局（区安委办）");
    assert_eq!(after.aliases, ["区应急局", "区应急管理局"]);
    // A rename onto another unit's name leaves the directory ambiguous: refused.
    rows.units.push(unit("u0002", "区住建局"));
    let clash = Command::RenameUnit {
        unit: "u0002".into(),
        name: "区应急局".into(),
    };
    assert!(compute(&clash, &cx(None), &rows).is_err());
    let gone = Command::SetUnitKind {
        unit: "u9".into(),
        kind: UnitKind::Local,
    };
    assert_eq!(
        compute(&gone, &cx(None), &rows).unwrap_err().to_string(),
        "找不到单位“u9”"
    );
}

#[test]
fn settings_are_rows_with_their_previous_value_in_the_audit_record() {
    let mut rows = Mem::default();
    rows.settings
        .insert(Settings::USER_NAME.into(), json!("旧名"));
    let c = compute(
        &Command::SetUserName {
            name: " 王五 ".into(),
        },
        &cx(None),
        &rows,
    )
    .unwrap();
    assert_eq!(
        only_put(&c),
        &Put::Setting {
            key: "user_name".into(),
            value: json!("王五")
        }
    );
    assert_eq!(c.audit.before, Some(json!("旧名")));
    assert_eq!(c.audit.target, "setting:user_name");
    let c = compute(
        &Command::SetPluginRootKey {
            key: Some("AB".repeat(32)),
        },
        &cx(None),
        &rows,
    )
    .unwrap();
    assert!(matches!(only_put(&c), Put::Setting { value, .. } if *value == json!("ab".repeat(32))));
    // Read back the way the store reads settings.
    let mut s = Settings::default();
    let c = compute(
        &Command::SetPrintSettings {
            office_name: "麒麟区安委办".into(),
            doc_prefix: "麒安委办督".into(),
            contact: "赵六".into(),
            chinese_date: false,
        },
        &cx(None),
        &rows,
    )
    .unwrap();
    let Put::Setting { key, value } = only_put(&c) else {
        panic!()
    };
    s.read_row(key, value.clone()).unwrap();
    assert_eq!(
        (
            s.office_name.as_str(),
            s.doc_prefix.as_str(),
            s.chinese_date
        ),
        ("麒麟区安委办", "麒安委办督", false)
    );
}

#[test]
fn notice_numbers_run_per_year_without_gaps() {
    let mut rows = Mem::default();
    rows.tasks.push(task("t1", "p", &[]));
    rows.notices.push(NoticeRecord {
        year: 2026,
        number: 1,
        task: "t1".into(),
        recipient: "区住建局".into(),
        new_deadline: date("2026-04-01"),
        issued_at: "t".into(),
        actor: "a".into(),
        file: None,
        date: None,
        sha256: None,
        voided: None,
        doc_prefix: String::new(),
        item: None,
        title: String::new(),
    });
    let pdf = b"%PDF-1.7 the notice".to_vec();
    let notice = |number| Command::RecordNotice {
        task: "t1".into(),
        year: 2026,
        number,
        recipient: " 区住建局 ".into(),
        new_deadline: date("2026-04-30"),
        file: None,
        date: date("2026-04-10"),
        pdf: pdf.clone(),
        doc_prefix: String::new(),
    };
    assert_eq!(
        compute(&notice(3), &cx(None), &rows)
            .unwrap_err()
            .to_string(),
        "文号〔2026〕3号不是本年度的下一个编号（应为 2 号）"
    );
    let c = compute(&notice(2), &cx(None), &rows).unwrap();
    let [
        Put::Notice(n),
        Put::NoticeFile {
            year,
            number,
            pdf: kept,
        },
    ] = c.puts.as_slice()
    else {
        panic!("{:?}", c.puts)
    };
    assert_eq!(
        (n.number, n.recipient.as_str(), n.actor.as_str()),
        (2, "区住建局", "张三")
    );
    assert_eq!((*year, *number, kept), (2026, 2, &pdf));
    assert_eq!(n.date, Some(date("2026-04-10")));
    assert_eq!(
        n.sha256.as_deref(),
        Some(anwei_core::notice::pdf_sha256(&pdf).as_str())
    );
    assert_eq!(c.audit.target, "notice:2026-2");
    // The audit trail names the PDF by its hash; it does not carry it.
    let audited = format!("{:?} {:?}", c.audit.before, c.audit.after);
    assert!(!audited.contains("the notice"), "{audited}");

    // No PDF, or dated in another year than its number: refused.
    let mut bad = notice(2);
    if let Command::RecordNotice { pdf, .. } = &mut bad {
        pdf.clear();
    }
    assert!(compute(&bad, &cx(None), &rows).is_err());
    let mut bad = notice(2);
    if let Command::RecordNotice { date: d, .. } = &mut bad {
        *d = date("2025-12-31");
    }
    let err = compute(&bad, &cx(None), &rows).unwrap_err().to_string();
    assert!(err.contains("不是同一年"), "{err}");
    // A new deadline on or before the 成文日期: refused by the record too, not only by the
    // windows that draft it.
    let mut bad = notice(2);
    if let Command::RecordNotice { new_deadline, .. } = &mut bad {
        *new_deadline = date("2026-04-10");
    }
    let err = compute(&bad, &cx(None), &rows).unwrap_err().to_string();
    assert!(err.contains("新的完成时限"), "{err}");
    // The 机关代字 is kept with the record: the register shows the 文号 as issued after
    // the setting changed.
    let mut prefixed = notice(2);
    if let Command::RecordNotice { doc_prefix, .. } = &mut prefixed {
        *doc_prefix = "麒安委办督".into();
    }
    let c = compute(&prefixed, &cx(None), &rows).unwrap();
    let Put::Notice(n) = &c.puts[0] else {
        panic!("{:?}", c.puts)
    };
    assert_eq!(n.doc_number("新代字"), "麒安委办督〔2026〕2号");
    let mut old = n.clone();
    old.doc_prefix.clear();
    assert_eq!(old.doc_number("新代字"), "新代字〔2026〕2号");
}

#[test]
fn a_notice_is_voided_once_with_its_reason_and_its_number_stays_used() {
    let mut rows = Mem::default();
    rows.tasks.push(task("t1", "p", &[]));
    let issued = NoticeRecord {
        year: 2026,
        number: 1,
        task: "t1".into(),
        recipient: "区住建局".into(),
        new_deadline: date("2026-04-01"),
        issued_at: "t".into(),
        actor: "a".into(),
        file: None,
        date: Some(date("2026-03-15")),
        sha256: Some("00".into()),
        voided: None,
        doc_prefix: String::new(),
        item: None,
        title: String::new(),
    };
    rows.notices.push(issued.clone());
    let void = |number, reason: &str| Command::VoidNotice {
        year: 2026,
        number,
        reason: reason.into(),
    };
    assert!(void(1, "  ").validate().is_err(), "a reason is required");
    let err = compute(&void(2, "错发"), &cx(None), &rows)
        .unwrap_err()
        .to_string();
    assert!(err.contains("〔2026〕2号"), "{err}");
    let c = compute(&void(1, " 主送单位有误 "), &cx(None), &rows).unwrap();
    let Put::VoidedNotice(n) = only_put(&c) else {
        panic!("{:?}", c.puts)
    };
    let v = n.voided.as_ref().unwrap();
    assert_eq!(
        (v.reason.as_str(), v.actor.as_str()),
        ("主送单位有误", "张三")
    );
    assert_eq!(
        NoticeRecord {
            voided: None,
            ..n.clone()
        },
        issued
    );
    assert_eq!(c.audit.target, "notice:2026-1");
    // Voided: not again, and the number is still the year's last.
    rows.notices[0] = n.clone();
    let err = compute(&void(1, "再作废"), &cx(None), &rows)
        .unwrap_err()
        .to_string();
    assert!(err.contains("已于"), "{err}");
    assert_eq!(rows.next_notice_number(2026).unwrap(), 2);
}

#[test]
fn records_count_revisions_and_delete_softly() {
    let mut rows = Mem::default();
    rows.records.push(record(9, "coal/mines", &[]));
    let add = Command::AddRecord {
        form: "coal/mines".into(),
        form_version: "2".into(),
        values: BTreeMap::from([("name".to_owned(), Value::Text("一矿".into()))]),
        draft: true,
    };
    let c = compute(&add, &cx(Some(10)), &rows).unwrap();
    assert!(matches!(only_put(&c), Put::Record(r) if r.id == 10 && r.draft && r.revision == 1));
    let del = compute(&Command::DeleteRecord { id: 9 }, &cx(None), &rows).unwrap();
    let Put::Record(r) = only_put(&del) else {
        panic!()
    };
    assert!(r.deleted);
    assert_eq!(r.revision, 2);
    assert_eq!(
        compute(&Command::RestoreRecord { id: 8 }, &cx(None), &rows)
            .unwrap_err()
            .to_string(),
        "找不到台账记录“8”"
    );
}

#[test]
fn a_value_needs_a_known_target_and_town() {
    let mut rows = Mem::default();
    rows.targets.push(target("coal/rate", "p"));
    rows.units.push(unit("u1", "某镇"));
    let m = |target: &str, town: Option<&str>| Command::AddMeasurement {
        target: target.into(),
        date: date("2026-01-01"),
        value: 3.0,
        town: town.map(str::to_owned),
        source: "统计".into(),
    };
    assert!(compute(&m("x", None), &cx(Some(1)), &rows).is_err());
    assert_eq!(
        compute(&m("coal/rate", Some("u9")), &cx(Some(1)), &rows)
            .unwrap_err()
            .to_string(),
        "找不到单位“u9”"
    );
    let c = compute(&m("coal/rate", Some("u1")), &cx(Some(7)), &rows).unwrap();
    assert!(matches!(only_put(&c), Put::Measurement { id: 7, .. }));
}

/// 不适用 marks: of a known task or target only, with a reason; kept in one settings row
/// whose previous state the audit record holds; a mark the same as before is refused, and
/// clearing brings the item back.
#[test]
fn a_task_or_target_is_marked_not_applicable_with_its_reason_and_back() {
    use anwei_core::{Applicability, Item};
    let mut rows = Mem::default();
    rows.tasks.push(task("waterways/3", "waterways", &[]));
    rows.targets.push(target("waterways/sea-rate", "waterways"));
    let mark = |item: Item, reason: Option<&str>| Command::SetNotApplicable {
        item,
        reason: reason.map(str::to_owned),
        date: date("2020-06-01"),
    };
    let apply = |rows: &mut Mem, cmd: &Command| {
        cmd.validate().map_err(|e| e.to_string())?;
        let c = compute(cmd, &cx(None), rows).map_err(|e| e.to_string())?;
        let Put::Setting { key, value } = only_put(&c) else {
            panic!("{c:?}")
        };
        assert_eq!(key, Settings::NOT_APPLICABLE);
        assert_eq!(c.audit.before, rows.settings.get(key).cloned());
        rows.settings.insert(key.clone(), value.clone());
        Ok::<_, String>(c)
    };
    let marks = |rows: &Mem| -> Applicability {
        serde_json::from_value(rows.settings[Settings::NOT_APPLICABLE].clone()).unwrap()
    };
    // Unknown items, and a blank reason, are refused.
    for (cmd, err) in [
        (
            mark(Item::Task("nope".into()), Some("x")),
            "找不到任务“nope”",
        ),
        (
            mark(Item::Target("nope".into()), Some("x")),
            "找不到指标“nope”",
        ),
        (
            mark(Item::Task("waterways/3".into()), Some("  ")),
            "不适用的理由不能为空",
        ),
    ] {
        let e = match cmd.validate() {
            Err(e) => e.to_string(),
            Ok(()) => compute(&cmd, &cx(None), &rows).unwrap_err().to_string(),
        };
        assert_eq!(e, err);
    }
    let c = apply(
        &mut rows,
        &mark(Item::Task("waterways/3".into()), Some(" 本区无海域 ")),
    )
    .unwrap();
    assert_eq!(c.audit.target, "task:waterways/3");
    assert!(
        c.audit.summary.contains("不适用：本区无海域"),
        "{}",
        c.audit.summary
    );
    apply(
        &mut rows,
        &mark(Item::Target("waterways/sea-rate".into()), Some("内陆")),
    )
    .unwrap();
    let m = marks(&rows);
    assert_eq!(m.task("waterways/3").unwrap().reason, "本区无海域");
    assert_eq!(m.target("waterways/sea-rate").unwrap().reason, "内陆");
    // The same mark again says so; another reason replaces it.
    assert!(
        apply(
            &mut rows,
            &mark(Item::Task("waterways/3".into()), Some("本区无海域"))
        )
        .unwrap_err()
        .contains("已标为不适用")
    );
    apply(
        &mut rows,
        &mark(Item::Task("waterways/3".into()), Some("本区不通航")),
    )
    .unwrap();
    assert_eq!(
        marks(&rows).task("waterways/3").unwrap().reason,
        "本区不通航"
    );
    // Back to applying; clearing twice says it already applies.
    apply(&mut rows, &mark(Item::Task("waterways/3".into()), None)).unwrap();
    assert!(marks(&rows).task("waterways/3").is_none());
    assert_eq!(marks(&rows).len(), 1);
    assert!(
        apply(&mut rows, &mark(Item::Task("waterways/3".into()), None))
            .unwrap_err()
            .contains("本来就适用")
    );
}

fn sector_plan(tasks: Vec<Task>, targets: Vec<Target>, new_units: Vec<Unit>) -> Command {
    Command::ImportSectorPlan {
        content: Box::new(SectorPlanImport {
            sector: "coal".into(),
            plugin_version: "2.0.0".into(),
            plugin_sha256: "ab".into(),
            plan: plan("coal-plan", "coal"),
            tasks,
            targets,
            new_units,
            hazards: vec![],
        }),
    }
}

#[test]
fn a_new_plan_version_keeps_dropped_tasks_with_progress_and_replaces_targets() {
    let mut rows = Mem::default();
    rows.campaigns.push(campaign("c"));
    rows.plans.push(plan("coal-plan", "coal"));
    rows.units.push(unit("u1", "区应急管理局"));
    rows.tasks = vec![
        task("coal-1", "coal-plan", &["u1"]),
        task("coal-2", "coal-plan", &["u1"]),
        task("coal-3", "coal-plan", &["u1"]),
        task("other-1", "other", &["u1"]),
    ];
    rows.progress.push(entry(1, "coal-2"));
    rows.targets.push(target("coal/old", "coal-plan"));
    rows.sectors.push(SectorRecord {
        sector: "coal".into(),
        plan: "coal-plan".into(),
        plugin_version: "1.0.0".into(),
        plugin_sha256: "aa".into(),
        imported_at: "t".into(),
        created_units: vec!["u1".into()],
        hazards: vec![],
    });
    let cmd = sector_plan(
        vec![
            task("coal-1", "coal-plan", &["u1"]),
            task("coal-4", "coal-plan", &["u2"]),
        ],
        vec![target("coal/new", "coal-plan")],
        vec![unit("u2", "区煤矿安全监管局")],
    );
    let c = compute(&cmd, &cx(None), &rows).unwrap();
    // coal-2 has progress: kept; coal-3 has none: dropped; other plans untouched.
    assert!(c.removes.contains(&Remove::Task("coal-3".into())));
    assert!(!c.removes.contains(&Remove::Task("coal-2".into())));
    assert!(
        !c.removes
            .iter()
            .any(|r| *r == Remove::Task("other-1".into()))
    );
    assert!(c.removes.contains(&Remove::Target("coal/old".into())));
    assert!(
        c.puts
            .iter()
            .any(|p| matches!(p, Put::Target { target, order: 0 } if target.id == "coal/new"))
    );
    let Some(Put::Sector(s)) = c.puts.iter().find(|p| matches!(p, Put::Sector(_))) else {
        panic!()
    };
    assert_eq!(s.created_units, ["u1", "u2"]);
    assert_eq!(s.imported_at, NOW);
    assert_eq!(c.audit.target, "plan:coal-plan");
    assert_eq!(c.audit.before.as_ref().unwrap()["plugin_version"], "1.0.0");

    // A task naming a unit that is neither known nor new: refused.
    let bad = sector_plan(
        vec![task("coal-5", "coal-plan", &["u9"])],
        Vec::new(),
        Vec::new(),
    );
    assert_eq!(
        compute(&bad, &cx(None), &rows).unwrap_err().to_string(),
        "找不到单位“u9”"
    );
    // A plan id another sector uses: refused.
    rows.plans[0].sector = Some("fire".into());
    assert!(
        compute(&cmd, &cx(None), &rows)
            .unwrap_err()
            .to_string()
            .contains("已被")
    );
}

#[test]
fn removing_a_sector_plan_keeps_what_users_recorded() {
    let mut rows = Mem::default();
    rows.plans.push(plan("coal-plan", "coal"));
    rows.units = vec![
        unit("u1", "甲"),
        unit("u2", "乙"),
        unit("u3", "丙"),
        unit("u4", "丁"),
    ];
    rows.tasks = vec![
        task("coal-1", "coal-plan", &["u1"]),
        task("coal-2", "coal-plan", &["u2"]),
    ];
    rows.progress.push(entry(1, "coal-2"));
    rows.targets = vec![target("coal/a", "coal-plan"), target("coal/b", "coal-plan")];
    rows.measurements.insert("coal/b".into(), Vec::new());
    rows.records.push(record(
        4,
        "coal/mines",
        &[("town", Value::Text("u3".into()))],
    ));
    rows.sectors.push(SectorRecord {
        sector: "coal".into(),
        plan: "coal-plan".into(),
        plugin_version: "1.0.0".into(),
        plugin_sha256: "aa".into(),
        imported_at: "t".into(),
        created_units: vec!["u1".into(), "u2".into(), "u3".into(), "u4".into()],
        hazards: vec![],
    });
    let c = compute(
        &Command::RemoveSectorPlan {
            sector: "coal".into(),
        },
        &cx(None),
        &rows,
    )
    .unwrap();
    // coal-1 (no progress) goes with its only unit u1; coal-2 (progress) stays with u2 and
    // the plan; u3 is named in a ledger record; u4 is used by nothing.
    assert_eq!(
        c.removes,
        vec![
            Remove::Task("coal-1".into()),
            Remove::Target("coal/a".into()),
            Remove::Unit("u1".into()),
            Remove::Unit("u4".into()),
            Remove::Sector("coal".into()),
        ]
    );
    assert!(c.puts.is_empty());
    assert!(
        c.audit
            .summary
            .contains("保留有进展记录的任务 1 项（coal-2）")
    );
    assert!(c.audit.summary.contains("台账记录 1 条保留"));
    assert!(
        c.audit
            .summary
            .contains("保留有手工录入值的指标 1 项（coal/b）")
    );
    // With nothing kept, the plan goes too.
    rows.progress.clear();
    rows.measurements.clear();
    let c = compute(
        &Command::RemoveSectorPlan {
            sector: "coal".into(),
        },
        &cx(None),
        &rows,
    )
    .unwrap();
    assert_eq!(c.removes[0], Remove::Plan("coal-plan".into()));
}

#[test]
fn importing_a_campaign_reuses_known_units_and_is_refused_twice() {
    let mut rows = Mem::default();
    rows.units.push(unit("u0001", "区应急管理局"));
    let imported = serde_json::from_value(json!({
        "id": "c", "name": "专项整治", "start": "2020-04-01", "end": "2022-12-31", "phases": []
    }))
    .unwrap();
    let data = CampaignData {
        campaign: imported,
        units: vec![unit("x1", "区应急管理局"), unit("x2", "区住建局")],
        plans: vec![plan("p", "")],
        tasks: vec![task("t1", "p", &["x1", "x2"])],
        targets: Vec::new(),
    };
    let cmd = Command::ImportCampaign {
        data: Box::new(data),
    };
    let c = compute(&cmd, &cx(None), &rows).unwrap();
    let Some(Put::Task(t)) = c.puts.iter().find(|p| matches!(p, Put::Task(_))) else {
        panic!()
    };
    assert_eq!(t.roles[0].unit, "u0001");
    let new_units: Vec<&Unit> = c
        .puts
        .iter()
        .filter_map(|p| match p {
            Put::Unit(u) => Some(u),
            _ => None,
        })
        .collect();
    assert_eq!(new_units.len(), 1);
    assert_eq!(t.roles[1].unit, new_units[0].id);
    assert!(
        c.audit
            .summary
            .contains("1 个方案、1 项任务、0 项指标、1 个新单位")
    );
    rows.campaigns.push(campaign("c"));
    assert!(compute(&cmd, &cx(None), &rows).is_err());
}

#[test]
fn accepting_an_unverified_database_removes_the_condition_only_when_there_is_one() {
    let mut rows = Mem::default();
    assert!(compute(&Command::AcknowledgeUnverified, &cx(None), &rows).is_err());
    rows.unverified = Some(Unverified {
        reason: "状态记录缺失".into(),
        at: "t".into(),
        last_audit: 3,
    });
    let c = compute(&Command::AcknowledgeUnverified, &cx(None), &rows).unwrap();
    assert_eq!(c.removes, [Remove::Unverified]);
    assert!(c.audit.summary.ends_with("：状态记录缺失"));
}

#[test]
fn the_tag_named_in_the_audit_trail_is_the_serialized_tag() {
    let d = date("2026-01-01");
    let campaign = serde_json::from_value(json!({
        "id": "c", "name": "n", "start": "2020-04-01", "end": "2022-12-31", "phases": []
    }))
    .unwrap();
    let cmds = vec![
        Command::AddProgress {
            milestone: None,
            task: "t".into(),
            date: d,
            text: "x".into(),
            percent: None,
            done: false,
            attach: Vec::new(),
        },
        Command::EditProgress {
            milestone: None,
            entry: 1,
            date: d,
            text: "x".into(),
            percent: None,
            done: false,
            attach: Vec::new(),
            detach: Vec::new(),
        },
        Command::AddUnit {
            name: "a".into(),
            kind: UnitKind::Local,
            aliases: Vec::new(),
        },
        Command::RenameUnit {
            unit: "u".into(),
            name: "b".into(),
        },
        Command::SetUnitAliases {
            unit: "u".into(),
            aliases: Vec::new(),
        },
        Command::SetUnitKind {
            unit: "u".into(),
            kind: UnitKind::Local,
        },
        Command::SetDueSoonDays { days: 3 },
        Command::SetUserName { name: "n".into() },
        Command::SetPrintSettings {
            office_name: "o".into(),
            doc_prefix: "p".into(),
            contact: "c".into(),
            chinese_date: true,
        },
        Command::RecordNotice {
            task: "t".into(),
            year: 2026,
            number: 1,
            recipient: "r".into(),
            new_deadline: d,
            file: None,
            date: d,
            pdf: Vec::new(),
            doc_prefix: String::new(),
        },
        Command::ImportCampaign {
            data: Box::new(CampaignData {
                campaign,
                units: Vec::new(),
                plans: Vec::new(),
                tasks: Vec::new(),
                targets: Vec::new(),
            }),
        },
        sector_plan(Vec::new(), Vec::new(), Vec::new()),
        Command::RemoveSectorPlan { sector: "s".into() },
        Command::AcknowledgeUnverified,
        Command::RecordPluginEvent {
            sector: "s".into(),
            event: anwei_core::PluginEvent::Fault,
            version: String::new(),
            message: "m".into(),
        },
        Command::SetPluginDeveloperMode { on: true },
        Command::SetPluginRootKey { key: None },
        Command::SetPluginTrustList { list: None },
        Command::AddRecord {
            form: "s/f".into(),
            form_version: "1".into(),
            values: BTreeMap::new(),
            draft: false,
        },
        Command::EditRecord {
            id: 1,
            values: BTreeMap::new(),
            draft: false,
        },
        Command::DeleteRecord { id: 1 },
        Command::RestoreRecord { id: 1 },
        Command::AddMeasurement {
            target: "t".into(),
            date: d,
            value: 1.0,
            town: None,
            source: "s".into(),
        },
        Command::SetNotApplicable {
            item: anwei_core::Item::Task("t".into()),
            reason: None,
            date: d,
        },
        Command::SetReporting {
            reporting: Default::default(),
        },
        Command::SubmitReport {
            unit: "u".into(),
            report: "r".into(),
            period_start: d,
            date: d,
            what: "x".into(),
            late_reason: None,
            attach: Vec::new(),
        },
        Command::AcceptSubmission { id: 1, date: d },
        Command::AddDemoData {
            data: Box::default(),
        },
        Command::RemoveDemoData,
        Command::MoveSectorPlan {
            sector: "s".into(),
            campaign: "c".into(),
        },
        Command::ReturnSubmission {
            id: 1,
            date: d,
            reason: "r".into(),
        },
    ];
    for cmd in &cmds {
        let v = serde_json::to_value(cmd).unwrap();
        assert_eq!(v["command"], cmd.tag(), "{cmd:?}");
    }
}

#[test]
fn an_import_adds_every_row_under_its_id_with_one_audit_record_naming_the_ids() {
    let rows_in: Vec<RecordRow> = (0..5)
        .map(|i| RecordRow {
            values: [("name".to_owned(), Value::Text(format!("第{i}号煤矿")))].into(),
            draft: i == 3,
        })
        .collect();
    let cmd = Command::ImportRecords {
        form: "coal-mining/mine-register".to_owned(),
        form_version: "1.0.0".to_owned(),
        rows: rows_in.clone(),
        source: "煤矿.jsonl".to_owned(),
    };
    let rows = Mem::default();
    let ids = [10, 11, 12, 20, 21];
    let c = compute(
        &cmd,
        &Context {
            new_ids: &ids,
            ..cx(None)
        },
        &rows,
    )
    .unwrap();
    assert_eq!(c.puts.len(), 5);
    for ((put, id), row) in c.puts.iter().zip(ids).zip(&rows_in) {
        let Put::Record(r) = put else {
            panic!("{put:?}")
        };
        assert_eq!(r.id, id);
        assert_eq!(r.values, row.values);
        assert_eq!(r.draft, row.draft);
        assert_eq!((r.revision, r.author.as_str()), (1, "张三"));
    }
    let after = c.audit.after.as_ref().unwrap();
    assert_eq!(after["count"], 5);
    assert_eq!(after["drafts"], 1);
    assert_eq!(after["ids"], serde_json::json!([[10, 12], [20, 21]]));
    assert_eq!(after["source"], "煤矿.jsonl");
    assert!(c.audit.summary.contains("5 条"), "{}", c.audit.summary);
    // Ids for fewer rows than the import has: refused, nothing computed.
    let err = compute(
        &cmd,
        &Context {
            new_ids: &ids[..4],
            ..cx(None)
        },
        &rows,
    )
    .unwrap_err();
    assert!(err.to_string().contains("编号未分配"), "{err}");

    // Given away, the same command makes the same change (its records moved, not copied),
    // and the other commands are computed as ever.
    let cx_ids = Context {
        new_ids: &ids,
        ..cx(None)
    };
    let owned = anwei_core::transition::compute_owned(cmd.clone(), &cx_ids, &rows).unwrap();
    assert_eq!(owned, c);
    let other = Command::DeleteRecord { id: 99 };
    assert_eq!(
        anwei_core::transition::compute_owned(other.clone(), &cx_ids, &rows)
            .map_err(|e| e.to_string()),
        compute(&other, &cx_ids, &rows).map_err(|e| e.to_string())
    );
}

#[test]
fn an_import_is_cleaned_and_bounded_like_single_records() {
    let cmd = Command::ImportRecords {
        form: "coal-mining/mine-register".to_owned(),
        form_version: "1.0.0".to_owned(),
        rows: vec![RecordRow {
            values: [(
                "name\u{200b}".to_owned(),
                Value::Choices(vec!["甲\u{202e}".to_owned()]),
            )]
            .into(),
            draft: false,
        }],
        source: "a.jsonl".to_owned(),
    };
    let Command::ImportRecords { rows, .. } = cmd.cleaned().into_owned() else {
        panic!()
    };
    assert_eq!(
        rows[0].values.get("name"),
        Some(&Value::Choices(vec!["甲".to_owned()]))
    );
    let too_many = Command::ImportRecords {
        form: "coal-mining/mine-register".to_owned(),
        form_version: "1.0.0".to_owned(),
        rows: vec![
            RecordRow {
                values: Default::default(),
                draft: false
            };
            anwei_core::limits::MAX_IMPORT_RECORDS + 1
        ],
        source: "a.jsonl".to_owned(),
    };
    assert!(
        too_many
            .validate()
            .unwrap_err()
            .to_string()
            .contains("太多")
    );
    let big = Command::ImportRecords {
        form: "coal-mining/mine-register".to_owned(),
        form_version: "1.0.0".to_owned(),
        rows: vec![
            RecordRow {
                values: Default::default(),
                draft: false,
            },
            RecordRow {
                values: [(
                    "remarks".to_owned(),
                    Value::Text("字".repeat(anwei_core::limits::MAX_TEXT_VALUE_CHARS + 1)),
                )]
                .into(),
                draft: false,
            },
        ],
        source: "a.jsonl".to_owned(),
    };
    let msg = big.validate().unwrap_err().to_string();
    assert!(msg.contains("第 2 条记录"), "{msg}");
}

/// An archived campaign is read-only: progress, 不适用 marks, target values and notices of its
/// tasks and targets are refused with the reason; opened again, they are taken.
#[test]
fn an_archived_campaign_takes_no_changes_until_it_is_opened_again() {
    use anwei_core::Item;
    let mut rows = Mem::default();
    let mut c = campaign("c");
    c.archived = true;
    rows.campaigns.push(c);
    rows.plans.push(plan("coal-plan", "coal"));
    rows.tasks.push(task("coal-1", "coal-plan", &[]));
    rows.targets.push(target("coal/t", "coal-plan"));
    let commands = [
        Command::AddProgress {
            task: "coal-1".into(),
            date: date("2026-02-01"),
            text: "已完成".into(),
            percent: Some(10),
            done: false,
            attach: Vec::new(),
            milestone: None,
        },
        Command::SetNotApplicable {
            item: Item::Task("coal-1".into()),
            reason: Some("本区无".into()),
            date: date("2026-02-01"),
        },
        Command::SetNotApplicable {
            item: Item::Target("coal/t".into()),
            reason: Some("本区无".into()),
            date: date("2026-02-01"),
        },
        Command::AddMeasurement {
            target: "coal/t".into(),
            date: date("2026-02-01"),
            value: 3.0,
            town: None,
            source: "统计".into(),
        },
    ];
    for cmd in &commands {
        let err = compute(cmd, &cx(Some(7)), &rows).unwrap_err();
        assert!(
            err.to_string().contains("已归档，只读"),
            "{}: {err}",
            cmd.tag()
        );
    }
    // Archiving twice is said; opening it again takes the same commands.
    let archive = |archived| Command::ArchiveCampaign {
        campaign: "c".into(),
        archived,
    };
    assert!(
        compute(&archive(true), &cx(None), &rows)
            .unwrap_err()
            .to_string()
            .contains("已经归档")
    );
    let change = compute(&archive(false), &cx(None), &rows).unwrap();
    let Some(Put::Campaign(opened)) = change.puts.first() else {
        panic!("{change:?}")
    };
    assert!(!opened.archived);
    rows.campaigns = vec![opened.clone()];
    for cmd in &commands {
        compute(cmd, &cx(Some(7)), &rows).unwrap_or_else(|e| panic!("{}: {e}", cmd.tag()));
    }
}

#[test]
fn the_current_campaign_is_a_setting_of_a_campaign_that_exists() {
    let mut rows = Mem::default();
    rows.campaigns.push(campaign("c"));
    let set = |id: &str| Command::SetCurrentCampaign {
        campaign: id.into(),
    };
    assert!(matches!(
        compute(&set("nope"), &cx(None), &rows),
        Err(ChangeError::NotFound { .. })
    ));
    let change = compute(&set("c"), &cx(None), &rows).unwrap();
    assert!(matches!(
        change.puts.first(),
        Some(Put::Setting { key, value }) if key == Settings::CURRENT_CAMPAIGN && value == &json!("c")
    ));
}

/// A second campaign's file has its own unit ids: its "u0001" (another body) gets a new id,
/// never the directory's u0001; and a plan id another campaign uses is refused.
#[test]
fn a_second_campaign_keeps_its_units_apart_and_its_plan_ids_unique() {
    let mut rows = Mem::default();
    rows.campaigns.push(campaign("c"));
    rows.units.push(unit("u0001", "区应急管理局"));
    rows.plans.push(plan("p", ""));
    let mut other = campaign("d");
    other.region = "商洛市".into();
    let mut reform = plan("reform", "");
    reform.campaign = "d".into();
    let data = CampaignData {
        campaign: other,
        units: vec![unit("u0001", "市安监局")],
        plans: vec![reform],
        tasks: vec![task("reform/1", "reform", &["u0001"])],
        targets: Vec::new(),
    };
    let cmd = Command::ImportCampaign {
        data: Box::new(data.clone()),
    };
    let change = compute(&cmd, &cx(None), &rows).unwrap();
    let new_unit = change
        .puts
        .iter()
        .find_map(|p| match p {
            Put::Unit(u) => Some(u.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(new_unit.name, "市安监局");
    assert_ne!(new_unit.id, "u0001");
    let role_unit = change
        .puts
        .iter()
        .find_map(|p| match p {
            Put::Task(t) => Some(t.roles[0].unit.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(role_unit, new_unit.id);
    // The plan id "p" is campaign c's.
    let mut clash = data;
    clash.plans[0].id = "p".into();
    clash.tasks[0].plan = "p".into();
    let err = compute(
        &Command::ImportCampaign {
            data: Box::new(clash),
        },
        &cx(None),
        &rows,
    )
    .unwrap_err();
    assert!(err.to_string().contains("已由活动 c"), "{err}");
}

/// A deadline moved: kept with its reason after the others; a new date before the decision,
/// the date already in force, or no reason, is refused.
#[test]
fn a_deadline_is_moved_with_its_reason_and_the_history_is_kept() {
    let mut rows = Mem::default();
    rows.campaigns.push(campaign("c"));
    rows.plans.push(plan("p", ""));
    let mut t = task("p/1", "p", &[]);
    t.deadlines = vec![anwei_core::parse_deadline("2021年6月底前", None).unwrap()];
    rows.tasks.push(t);
    let adjust = |due: &str, reason: &str, date: &str| Command::AdjustDeadline {
        task: "p/1".into(),
        due: date_of(due),
        reason: reason.into(),
        date: date_of(date),
    };
    assert!(adjust("2021-09-30", " ", "2021-05-01").validate().is_err());
    let err = compute(
        &adjust("2021-04-30", "疫情", "2021-05-01"),
        &cx(None),
        &rows,
    )
    .unwrap_err();
    assert!(err.to_string().contains("早于作出调整之日"), "{err}");
    let err = compute(
        &adjust("2021-06-30", "疫情", "2021-05-01"),
        &cx(None),
        &rows,
    )
    .unwrap_err();
    assert!(err.to_string().contains("本来就是"), "{err}");
    let change = compute(
        &adjust("2021-09-30", "疫情", "2021-05-01"),
        &cx(None),
        &rows,
    )
    .unwrap();
    let Some(Put::Setting { key, value }) = change.puts.first() else {
        panic!("{change:?}")
    };
    assert_eq!(key, Settings::DEADLINE_CHANGES);
    rows.settings.insert(key.clone(), value.clone());
    let change = compute(
        &adjust("2021-12-31", "再延期", "2021-09-01"),
        &cx(None),
        &rows,
    )
    .unwrap();
    let Some(Put::Setting { value, .. }) = change.puts.first() else {
        panic!("{change:?}")
    };
    let changes: anwei_core::deadline_change::DeadlineChanges =
        serde_json::from_value(value.clone()).unwrap();
    let kept: Vec<String> = changes.of("p/1").iter().map(|c| c.reason.clone()).collect();
    assert_eq!(kept, ["疫情", "再延期"], "the history is kept");
    assert!(change.audit.summary.contains("调整为 2021-12-31：再延期"));
}

fn date_of(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn a_unit_submits_each_period_once_late_ones_say_why_and_the_office_signs_or_returns() {
    use anwei_core::reports::{OfficeReport, Reporting, Review, Submission};
    let mut rows = Mem::default();
    rows.campaigns.push(campaign("c"));
    rows.plans.push(plan("p", ""));
    rows.units.push(unit("u1", "区应急管理局"));
    rows.units.push(unit("u2", "区住建局"));
    let mut t = task("p/1", "p", &["u1"]);
    t.deadlines = vec![anwei_core::parse_deadline("每季度", None).unwrap()];
    rows.tasks.push(t);
    rows.tasks.push(task("p/2", "p", &["u1"]));
    let submit = |unit: &str, report: &str, start: &str, day: &str, late: Option<&str>| {
        Command::SubmitReport {
            unit: unit.into(),
            report: report.into(),
            period_start: date_of(start),
            date: date_of(day),
            what: "一季度工作情况".into(),
            late_reason: late.map(str::to_owned),
            attach: Vec::new(),
        }
    };
    let refused =
        |cmd: Command, rows: &Mem| compute(&cmd, &cx(Some(9)), rows).unwrap_err().to_string();
    // Only a unit that owes it, only a period's first day, not before the period, not a
    // task without periods.
    assert!(
        refused(submit("u2", "p/1", "2024-01-01", "2024-03-20", None), &rows).contains("不承担")
    );
    assert!(
        refused(submit("u1", "p/1", "2024-02-01", "2024-03-20", None), &rows).contains("第一天")
    );
    assert!(
        refused(submit("u1", "p/1", "2024-04-01", "2024-03-20", None), &rows).contains("早于该期")
    );
    assert!(
        refused(submit("u1", "p/2", "2024-01-01", "2024-03-20", None), &rows).contains("无须报送")
    );
    // Late without a reason: refused; with one: kept.
    assert!(
        refused(submit("u1", "p/1", "2024-01-01", "2024-04-01", None), &rows)
            .contains("补报须说明理由")
    );
    assert!(
        refused(
            submit("u1", "p/1", "2024-01-01", "2024-03-31", Some("迟了")),
            &rows
        )
        .contains("不是补报")
    );
    let change = compute(
        &submit("u1", "p/1", "2024-01-01", "2024-03-31", None),
        &cx(Some(9)),
        &rows,
    )
    .unwrap();
    let Put::Submission(sub) = only_put(&change).clone() else {
        panic!("{change:?}")
    };
    assert_eq!(
        (sub.id, sub.period.as_str(), sub.due, sub.review.clone()),
        (9, "2024年第1季度", date_of("2024-03-31"), Review::Pending)
    );
    assert_eq!(change.audit.target, "submission:9");
    rows.submissions.push(sub.clone());
    // Once per period while it awaits 签收 or was accepted.
    assert!(
        refused(submit("u1", "p/1", "2024-01-01", "2024-03-31", None), &rows)
            .contains("不能重复报送")
    );
    // 退回修改 with a reason, then the unit submits again (late: with its reason).
    let back = Command::ReturnSubmission {
        id: 9,
        date: date_of("2024-04-02"),
        reason: "缺少隐患整改数据".into(),
    };
    let change = compute(&back, &cx(None), &rows).unwrap();
    let Put::Submission(returned) = only_put(&change).clone() else {
        panic!()
    };
    assert!(
        matches!(&returned.review, Review::Returned { reason, .. } if reason == "缺少隐患整改数据")
    );
    assert!(change.audit.before.is_some() && change.audit.after.is_some());
    rows.submissions[0] = returned;
    assert!(
        refused(
            Command::AcceptSubmission {
                id: 9,
                date: date_of("2024-04-03")
            },
            &rows
        )
        .contains("不在待签收状态")
    );
    let again = compute(
        &submit(
            "u1",
            "p/1",
            "2024-01-01",
            "2024-04-05",
            Some("按退回意见修改"),
        ),
        &cx(Some(10)),
        &rows,
    )
    .unwrap();
    let Put::Submission(second) = only_put(&again).clone() else {
        panic!()
    };
    assert_eq!(second.late_reason.as_deref(), Some("按退回意见修改"));
    rows.submissions.push(second);
    // 签收, not before it was submitted.
    assert!(
        refused(
            Command::AcceptSubmission {
                id: 10,
                date: date_of("2024-04-04")
            },
            &rows
        )
        .contains("早于报送日期")
    );
    let change = compute(
        &Command::AcceptSubmission {
            id: 10,
            date: date_of("2024-04-06"),
        },
        &cx(None),
        &rows,
    )
    .unwrap();
    let Put::Submission(accepted) = only_put(&change).clone() else {
        panic!()
    };
    assert!(matches!(accepted.review, Review::Accepted { ref by, .. } if by == "张三"));
    // An office report with days of grace, owed by every unit when it names none.
    let reporting = Reporting {
        remind_days: 3,
        office_reports: vec![OfficeReport {
            id: "monthly".into(),
            name: "月报".into(),
            recurrence: anwei_core::Recurrence::Monthly,
            grace_days: 5,
            units: Vec::new(),
            campaign: None,
        }],
    };
    let set = compute(
        &Command::SetReporting {
            reporting: reporting.clone(),
        },
        &cx(None),
        &rows,
    )
    .unwrap();
    let Put::Setting { key, value } = only_put(&set).clone() else {
        panic!()
    };
    assert_eq!(key, Settings::REPORTING);
    rows.settings.insert(key, value);
    // Every unit: those with a task (u2 has none yet), one body each.
    assert!(
        refused(
            submit("u2", "monthly", "2024-01-01", "2024-02-05", None),
            &rows
        )
        .contains("不承担")
    );
    rows.units.push(unit("u3", "各镇、街道"));
    rows.tasks.push(task("p/3", "p", &["u2"]));
    rows.tasks.push(task("p/4", "p", &["u3"]));
    assert!(
        refused(
            submit("u3", "monthly", "2024-01-01", "2024-02-05", None),
            &rows
        )
        .contains("指多个单位")
    );
    let change = compute(
        &submit("u2", "monthly", "2024-01-01", "2024-02-05", None),
        &cx(Some(11)),
        &rows,
    )
    .unwrap();
    let Put::Submission(Submission { due, .. }) = only_put(&change).clone() else {
        panic!()
    };
    assert_eq!(due, date_of("2024-02-05"), "five days after January");
    // An archived campaign's task reports take nothing more.
    rows.campaigns[0].archived = true;
    assert!(
        refused(submit("u1", "p/1", "2024-04-01", "2024-06-30", None), &rows).contains("已归档")
    );
}

#[test]
fn demo_rows_are_marked_listed_and_taken_out_in_one_step() {
    use anwei_core::demo::{
        DemoData, DemoEntry, DemoMarks, DemoRecord, DemoReview, DemoSubmission,
    };
    use anwei_core::reports::{OfficeReport, Reporting};
    let mut rows = Mem::default();
    rows.campaigns.push(campaign("c"));
    rows.plans.push(plan("p", ""));
    rows.units.push(unit("u1", "区应急管理局"));
    rows.tasks.push(task("p/1", "p", &["u1"]));
    let data = DemoData {
        entries: vec![DemoEntry {
            task: "p/1".into(),
            date: date_of("2024-03-01"),
            text: "已完成排查".into(),
            percent: None,
            done: true,
        }],
        submissions: vec![DemoSubmission {
            unit: "u1".into(),
            report: "demo-q".into(),
            period_start: date_of("2024-01-01"),
            date: date_of("2024-04-05"),
            what: "季报".into(),
            late_reason: None,
            review: DemoReview::Accepted {
                date: date_of("2024-04-06"),
            },
        }],
        office_reports: vec![OfficeReport {
            id: "demo-q".into(),
            name: "季报".into(),
            recurrence: anwei_core::Recurrence::Quarterly,
            grace_days: 10,
            units: Vec::new(),
            campaign: Some("c".into()),
        }],
        records: vec![DemoRecord {
            form: "coal/mines".into(),
            form_version: "1".into(),
            values: [("name".to_owned(), Value::Text("演示一号煤矿".into()))]
                .into_iter()
                .collect(),
        }],
        supervision: Vec::new(),
    };
    let add = Command::AddDemoData {
        data: Box::new(data),
    };
    assert_eq!(add.new_ids_needed(), 3);
    let ids = [7, 8, 9];
    let cx2 = Context {
        actor: "张三",
        now: NOW,
        new_id: None,
        new_ids: &ids,
    };
    let change = compute(&add, &cx2, &rows).unwrap();
    let mut marks = None;
    for p in &change.puts {
        match p {
            Put::Progress(e) => {
                assert_eq!((e.id, e.percent), (7, Some(100)));
                assert_eq!(e.text, "【演示数据】已完成排查");
                assert_eq!(e.author, "演示数据");
                rows.progress.push(e.clone());
            }
            Put::Submission(s) => {
                assert_eq!((s.id, s.period.as_str()), (8, "2024年第1季度"));
                assert_eq!(s.due, date_of("2024-04-10"));
                assert!(s.what.starts_with("【演示数据】"));
                rows.submissions.push(s.clone());
            }
            Put::Record(r) => {
                assert_eq!((r.id, r.form.as_str()), (9, "coal/mines"));
                assert_eq!(r.author, "演示数据");
                rows.records.push(r.clone());
            }
            Put::Setting { key, value } => {
                if key == Settings::DEMO_DATA {
                    marks = Some(serde_json::from_value::<DemoMarks>(value.clone()).unwrap());
                }
                rows.settings.insert(key.clone(), value.clone());
            }
            other => panic!("{other:?}"),
        }
    }
    let marks = marks.unwrap();
    assert_eq!(marks.summary(), "1 条进展、1 份报送、1 条台账记录");
    // Once only.
    let err = compute(&add, &cx2, &rows).unwrap_err().to_string();
    assert!(err.contains("已有演示数据"), "{err}");
    // More join them (a sector plan's tasks, imported later): the marks list them all.
    rows.tasks.push(task("p/2", "p", &["u1"]));
    let more = Command::AddDemoData {
        data: Box::new(DemoData {
            entries: vec![DemoEntry {
                task: "p/2".into(),
                date: date_of("2024-05-01"),
                text: "推进中".into(),
                percent: Some(50),
                done: false,
            }],
            ..DemoData::default()
        }),
    };
    let cx3 = Context {
        actor: "张三",
        now: NOW,
        new_id: None,
        new_ids: &[10],
    };
    let change = compute(&more, &cx3, &rows).unwrap();
    let joined = change
        .puts
        .iter()
        .find_map(|p| match p {
            Put::Setting { key, value } if key == Settings::DEMO_DATA => {
                Some(serde_json::from_value::<DemoMarks>(value.clone()).unwrap())
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(joined.summary(), "2 条进展、1 份报送、1 条台账记录");
    // A real submission of the demo's report keeps the report when the demo goes.
    let mut real = rows.submissions[0].clone();
    real.id = 9;
    rows.submissions.push(real);
    let change = compute(&Command::RemoveDemoData, &cx(None), &rows).unwrap();
    assert_eq!(
        change.removes,
        [
            Remove::Progress {
                task: "p/1".into(),
                id: 7
            },
            Remove::Submission(8),
            Remove::Record {
                form: "coal/mines".into(),
                id: 9
            }
        ]
    );
    assert!(change.audit.summary.contains("已有实际报送，保留"));
    let reporting = change
        .puts
        .iter()
        .find_map(|p| match p {
            Put::Setting { key, value } if key == Settings::REPORTING => {
                Some(serde_json::from_value::<Reporting>(value.clone()).unwrap())
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(reporting.office_reports.len(), 1, "kept");
    // Without it, the report goes too; and nothing is left to remove after.
    rows.submissions.pop();
    let change = compute(&Command::RemoveDemoData, &cx(None), &rows).unwrap();
    for p in &change.puts {
        if let Put::Setting { key, value } = p {
            rows.settings.insert(key.clone(), value.clone());
        }
    }
    let reporting: Reporting =
        serde_json::from_value(rows.settings[Settings::REPORTING].clone()).unwrap();
    assert!(reporting.office_reports.is_empty());
    let err = compute(&Command::RemoveDemoData, &cx(None), &rows)
        .unwrap_err()
        .to_string();
    assert!(err.contains("没有演示数据"), "{err}");
}

#[test]
fn a_sector_plan_moves_to_the_campaign_the_user_picks_but_not_out_of_an_archived_one() {
    let mut rows = Mem::default();
    rows.campaigns.push(campaign("c"));
    rows.campaigns.push(campaign("d"));
    rows.plans.push(plan("coal", "coal"));
    let mv = |to: &str| Command::MoveSectorPlan {
        sector: "coal".into(),
        campaign: to.into(),
    };
    let change = compute(&mv("d"), &cx(None), &rows).unwrap();
    let Put::Plan(p) = only_put(&change) else {
        panic!("{change:?}")
    };
    assert_eq!(p.campaign, "d");
    assert!(change.audit.before.is_some());
    let refused =
        |cmd: Command, rows: &Mem| compute(&cmd, &cx(None), rows).unwrap_err().to_string();
    assert!(refused(mv("c"), &rows).contains("本来就在"));
    assert!(refused(mv("x"), &rows).contains("x"));
    rows.campaigns[0].archived = true;
    assert!(refused(mv("d"), &rows).contains("已归档"));
    // A topic plan is the campaign's own.
    rows.campaigns[0].archived = false;
    let mut topic = plan("topic-1", "");
    topic.kind = anwei_core::PlanKind::Topic;
    rows.plans.push(topic);
    let err = refused(
        Command::MoveSectorPlan {
            sector: "topic-1".into(),
            campaign: "d".into(),
        },
        &rows,
    );
    assert!(err.contains("不是行业插件的方案"), "{err}");
}

mod supervision {
    use super::*;
    use anwei_core::accountability::Step;
    use anwei_core::supervise::SupAction;
    use anwei_core::supervision::{
        Check, CircularKind, ItemState, Level, Named, Source, SourceKind,
    };

    fn sup(action: SupAction) -> Command {
        Command::Supervise { action }
    }

    /// Computes and writes `action` (new rows under `id`); the change's error otherwise.
    fn run(rows: &mut Mem, action: SupAction, id: u64) -> Result<Change, String> {
        let c = compute(&sup(action), &cx(Some(id)), rows).map_err(|e| e.to_string())?;
        rows.write(&c);
        Ok(c)
    }

    fn item(rows: &Mem, id: u64) -> anwei_core::supervision::Item {
        match rows.sup_row(SupKind::Item, id).unwrap() {
            Some(SupRow::Item(i)) => i,
            other => panic!("{other:?}"),
        }
    }

    fn check(date_: &str, passed: bool, note: &str) -> Check {
        Check {
            date: date(date_),
            passed,
            by: "区安委办检查组".into(),
            note: note.into(),
        }
    }

    fn base() -> Mem {
        Mem {
            units: vec![unit("u1", "区住建局"), unit("u2", "区交通运输局")],
            tasks: vec![task("p/1", "p", &["u1"])],
            ..Mem::default()
        }
    }

    fn add_item(rows: &mut Mem, id: u64, deadline: &str) {
        run(
            rows,
            SupAction::AddItem {
                title: "整改城区燃气管网隐患".into(),
                source: Source {
                    kind: SourceKind::Task,
                    reference: String::new(),
                    task: Some("p/1".into()),
                    milestone: None,
                    hazard: None,
                },
                level: Level::District,
                unit: "u1".into(),
                supervisor: "区安委办".into(),
                acceptor: "区安委办".into(),
                opened: date("2026-03-01"),
                deadline: date(deadline),
            },
            id,
        )
        .unwrap();
    }

    #[test]
    fn an_item_goes_from_receipt_through_a_failed_check_to_closing_and_a_look_back() {
        let mut rows = base();
        add_item(&mut rows, 1, "2026-06-30");
        assert_eq!(item(&rows, 1).state(), ItemState::Unreceived);
        // Completed before it was received: refused.
        let done = |d: &str| SupAction::CompleteItem {
            id: 1,
            date: date(d),
            text: "已完成管网改造".into(),
        };
        assert!(
            run(&mut rows, done("2026-04-01"), 0)
                .unwrap_err()
                .contains("尚未接收")
        );
        run(
            &mut rows,
            SupAction::ReceiveItem {
                id: 1,
                date: date("2026-03-02"),
            },
            0,
        )
        .unwrap();
        // 销号 before any 验收: refused.
        let close = |d: &str| SupAction::CloseItem {
            id: 1,
            date: date(d),
            lookback: None,
        };
        assert!(
            run(&mut rows, close("2026-04-01"), 0)
                .unwrap_err()
                .contains("验收通过之后")
        );
        run(&mut rows, done("2026-06-20"), 0).unwrap();
        assert_eq!(item(&rows, 1).state(), ItemState::AwaitingCheck);
        // A failed check without its reason is refused before the state is read.
        let failed = SupAction::CheckItem {
            id: 1,
            check: check("2026-06-25", false, ""),
        };
        assert!(
            sup(failed)
                .validate()
                .unwrap_err()
                .to_string()
                .contains("未通过的理由")
        );
        run(
            &mut rows,
            SupAction::CheckItem {
                id: 1,
                check: check("2026-06-25", false, "两处阀门未更换"),
            },
            0,
        )
        .unwrap();
        assert_eq!(item(&rows, 1).state(), ItemState::Failed);
        assert!(
            run(&mut rows, close("2026-06-26"), 0)
                .unwrap_err()
                .contains("验收通过之后")
        );
        run(&mut rows, done("2026-07-05"), 0).unwrap();
        run(
            &mut rows,
            SupAction::CheckItem {
                id: 1,
                check: check("2026-07-06", true, "复查合格"),
            },
            0,
        )
        .unwrap();
        // Completed after the deadline, and failed once: no 销号 without a written
        // explanation dated after that.
        let refused = run(&mut rows, close("2026-07-07"), 0).unwrap_err();
        assert!(refused.contains("书面说明"), "{refused}");
        run(
            &mut rows,
            SupAction::ExplainItem {
                id: 1,
                date: date("2026-07-06"),
                text: "阀门供货延误，已追加资金".into(),
            },
            0,
        )
        .unwrap();
        let closed = run(&mut rows, close("2026-07-07"), 0).unwrap();
        assert_eq!(closed.audit.action, "close_supervision_item");
        assert_eq!(closed.audit.target, "supervision_item:1");
        let i = item(&rows, 1);
        assert_eq!(i.state(), ItemState::Closed);
        assert_eq!(i.completion_zh(date("2026-07-08")), "逾期完成");
        // The 回头看 falls due the rules' 30 days later; the deadline never moved.
        assert_eq!(i.lookback.as_ref().unwrap().due, date("2026-08-06"));
        assert_eq!(i.deadline, date("2026-06-30"));
        assert_eq!(i.lookback_due(date("2026-08-06")), Some(date("2026-08-06")));
        assert!(
            run(&mut rows, done("2026-07-08"), 0)
                .unwrap_err()
                .contains("销号")
        );
        run(
            &mut rows,
            SupAction::LookBack {
                id: 1,
                check: check("2026-08-06", true, "未反弹"),
            },
            0,
        )
        .unwrap();
        assert_eq!(item(&rows, 1).lookback_due(date("2026-09-01")), None);
    }

    #[test]
    fn ladder_steps_go_up_or_repeat_never_down_and_stop_while_awaiting_check() {
        let mut rows = base();
        add_item(&mut rows, 1, "2026-06-30");
        let step = |s: Step, d: &str| SupAction::TakeStep {
            id: 1,
            step: s,
            date: date(d),
            note: String::new(),
            document: Some(" 麒安委办督〔2026〕3号 ".into()),
        };
        run(&mut rows, step(Step::Remind, "2026-07-01"), 0).unwrap();
        run(&mut rows, step(Step::Letter, "2026-07-08"), 0).unwrap();
        run(&mut rows, step(Step::Letter, "2026-07-09"), 0).unwrap();
        let back = run(&mut rows, step(Step::Press, "2026-07-10"), 0).unwrap_err();
        assert!(back.contains("不能退回"), "{back}");
        let early = run(&mut rows, step(Step::Listed, "2026-07-01"), 0).unwrap_err();
        assert!(early.contains("早于"), "{early}");
        let i = item(&rows, 1);
        assert_eq!(i.steps.len(), 3);
        assert_eq!(
            i.steps[1].document.as_deref(),
            Some("麒安委办督〔2026〕3号")
        );
        assert_eq!(
            i.next_step(&Default::default()),
            Some((Step::Listed, date("2026-07-16")))
        );
        run(
            &mut rows,
            SupAction::ReceiveItem {
                id: 1,
                date: date("2026-07-10"),
            },
            0,
        )
        .unwrap();
        run(
            &mut rows,
            SupAction::CompleteItem {
                id: 1,
                date: date("2026-07-11"),
                text: "完成".into(),
            },
            0,
        )
        .unwrap();
        assert!(
            run(&mut rows, step(Step::Listed, "2026-07-16"), 0)
                .unwrap_err()
                .contains("待验收")
        );
    }

    #[test]
    fn circulars_are_numbered_per_year_and_name_only_units_there_are() {
        let mut rows = base();
        let add = |d: &str, units: &[(&str, bool)]| SupAction::AddCircular {
            date: date(d),
            kind: CircularKind::Progress,
            title: "关于专项整治工作推进情况的通报".into(),
            summary: String::new(),
            named: units
                .iter()
                .map(|(u, member)| Named {
                    unit: (*u).into(),
                    member: *member,
                    issue: "第3项未按期完成".into(),
                })
                .collect(),
            follow_up: String::new(),
            items: vec![],
        };
        run(
            &mut rows,
            add("2026-03-31", &[("u1", true), ("u1", true)]),
            10,
        )
        .unwrap();
        run(
            &mut rows,
            add("2026-06-30", &[("u1", true), ("某某化工有限公司", false)]),
            11,
        )
        .unwrap();
        run(&mut rows, add("2027-01-05", &[("u2", true)]), 12).unwrap();
        let missing = run(&mut rows, add("2026-07-01", &[("u9", true)]), 13).unwrap_err();
        assert!(missing.contains("u9"), "{missing}");
        let regs = anwei_core::supervision::Registers::from_rows(rows.sup.clone());
        let numbers: Vec<(i32, u32)> = regs.circulars.iter().map(|c| (c.year, c.number)).collect();
        assert_eq!(numbers, vec![(2026, 1), (2026, 2), (2027, 1)]);
        // Named twice in one 通报: once, the issues joined.
        assert_eq!(regs.circulars[0].named.len(), 1);
        assert_eq!(regs.circular_counts(2026).get("u1"), Some(&2));
        run(
            &mut rows,
            SupAction::VoidCircular {
                id: 2,
                date: date("2026-07-01"),
                reason: "错发".into(),
            },
            0,
        )
        .unwrap();
        let regs = anwei_core::supervision::Registers::from_rows(rows.sup.clone());
        assert_eq!(regs.circular_counts(2026).get("u1"), Some(&1));
        // A voided 期号 stays used.
        assert_eq!(regs.next_circular_number(2026), 3);
    }

    #[test]
    fn deductions_stay_within_their_items_points_and_rules_are_checked() {
        let mut rows = base();
        let deduct = |points: f64| SupAction::AddDeduction {
            year: 2026,
            unit: "u1".into(),
            item: "安全投入".into(),
            points,
            reason: "未落实安全投入".into(),
        };
        run(&mut rows, deduct(6.0), 20).unwrap();
        let over = run(&mut rows, deduct(5.0), 21).unwrap_err();
        assert!(over.contains("已扣 6 分"), "{over}");
        let unknown = run(
            &mut rows,
            SupAction::AddDeduction {
                year: 2026,
                unit: "u1".into(),
                item: "信息化".into(),
                points: 1.0,
                reason: "x".into(),
            },
            22,
        )
        .unwrap_err();
        assert!(unknown.contains("没有考核项目"), "{unknown}");
        run(
            &mut rows,
            SupAction::RemoveDeduction {
                id: 1,
                date: date("2026-12-01"),
                reason: "复核后不扣".into(),
            },
            0,
        )
        .unwrap();
        // Withdrawn, it no longer counts; kept, and a new one takes the next number.
        let c = run(&mut rows, deduct(10.0), 0).unwrap();
        let Put::NewSupervision(SupRow::Deduction(d)) = only_put(&c) else {
            panic!("{c:?}")
        };
        assert_eq!(d.id, 2);
        assert_eq!(rows.sup.len(), 2);
        // New rules: an item of its own, kept in the settings.
        let mut rules = anwei_core::supervision::SupervisionRules::default();
        rules.items.push(anwei_core::supervision::AssessmentItem {
            name: "信息化".into(),
            points: 5.0,
        });
        run(
            &mut rows,
            SupAction::SetRules {
                rules: rules.clone(),
            },
            0,
        )
        .unwrap();
        assert_eq!(
            rows.settings.get(Settings::SUPERVISION),
            Some(&serde_json::to_value(&rules).unwrap())
        );
        let mut bad = rules;
        bad.pass = 99.0;
        let refused = sup(SupAction::SetRules { rules: bad })
            .validate()
            .unwrap_err();
        assert!(refused.to_string().contains("合格分数线"), "{refused}");
    }

    fn five(deadline: &str, funds: &str) -> anwei_core::supervision::FiveInPlace {
        anwei_core::supervision::FiveInPlace {
            responsible: "王某（厂长）".into(),
            measures: "更换储罐区可燃气体报警装置".into(),
            funds: funds.into(),
            deadline: date(deadline),
            contingency: "停用储罐区，专人值守".into(),
            date: date("2026-03-05"),
        }
    }

    fn hazard_row(rows: &Mem, id: u64) -> anwei_core::supervision::Hazard {
        match rows.sup_row(SupKind::Hazard, id).unwrap() {
            Some(SupRow::Hazard(h)) => h,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_major_hazard_is_hung_up_and_its_item_follows_rectification_recheck_and_closing() {
        use anwei_core::supervision::{HazardGrade, HazardState};
        let mut rows = base();
        let add = SupAction::AddHazard {
            found: date("2026-03-01"),
            found_by: "区应急局检查组".into(),
            place: "某某化工有限公司".into(),
            sector: Some("hazardous-chemicals".into()),
            category: "储存".into(),
            standard: Some(
                "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准》第十条".into(),
            ),
            clause: None,
            description: "储罐区可燃气体报警装置失效".into(),
            grade: HazardGrade::Major,
            unit: "u1".into(),
            registered: date("2026-03-02"),
            deadline: date("2026-04-30"),
            tasks: vec!["p/1".into()],
            level: Some(Level::City),
            supervisor: "区安委办".into(),
        };
        let c = run(&mut rows, add, 0).unwrap();
        assert_eq!(c.puts.len(), 2, "the hazard and its 挂牌 item");
        assert!(
            c.audit.summary.contains("市级挂牌督办（督办事项 #1）"),
            "{}",
            c.audit.summary
        );
        let h = hazard_row(&rows, 1);
        assert_eq!((h.state(), h.item), (HazardState::Registered, Some(1)));
        let i = item(&rows, 1);
        assert_eq!(i.level, Level::City);
        assert_eq!(i.source.hazard, Some(1));
        assert_eq!(i.deadline, date("2026-04-30"));
        // 五到位: every one of the five; the 时限 never later than the one registered.
        let missing = sup(SupAction::RectifyHazard {
            id: 1,
            plan: five("2026-04-30", " "),
        })
        .validate()
        .unwrap_err()
        .to_string();
        assert!(missing.contains("五到位缺“资金”"), "{missing}");
        let later = run(
            &mut rows,
            SupAction::RectifyHazard {
                id: 1,
                plan: five("2026-05-30", "8万元"),
            },
            0,
        )
        .unwrap_err();
        assert!(later.contains("不能悄悄后移"), "{later}");
        // Recheck before any plan: refused.
        let early = run(
            &mut rows,
            SupAction::RecheckHazard {
                id: 1,
                check: check("2026-03-04", true, ""),
            },
            0,
        )
        .unwrap_err();
        assert!(early.contains("先落实整改"), "{early}");
        run(
            &mut rows,
            SupAction::RectifyHazard {
                id: 1,
                plan: five("2026-04-30", "8万元"),
            },
            0,
        )
        .unwrap();
        assert_eq!(item(&rows, 1).received, Some(date("2026-03-05")));
        // The item is handled through the hazard only.
        let direct = run(
            &mut rows,
            SupAction::CloseItem {
                id: 1,
                date: date("2026-05-01"),
                lookback: None,
            },
            0,
        )
        .unwrap_err();
        assert!(direct.contains("通过隐患的复查、销号办理"), "{direct}");
        run(
            &mut rows,
            SupAction::RecheckHazard {
                id: 1,
                check: check("2026-04-20", false, "报警器未联动"),
            },
            0,
        )
        .unwrap();
        assert_eq!(hazard_row(&rows, 1).state(), HazardState::RecheckFailed);
        assert_eq!(item(&rows, 1).state(), ItemState::Failed);
        let not_yet = run(
            &mut rows,
            SupAction::CloseHazard {
                id: 1,
                date: date("2026-04-21"),
            },
            0,
        )
        .unwrap_err();
        assert!(not_yet.contains("复查合格之后"), "{not_yet}");
        run(
            &mut rows,
            SupAction::RecheckHazard {
                id: 1,
                check: check("2026-05-06", true, "复查合格"),
            },
            0,
        )
        .unwrap();
        assert_eq!(item(&rows, 1).completion_zh(date("2026-05-06")), "逾期完成");
        // Fixed after the deadline: the item needs its explanation before it comes down.
        let unexplained = run(
            &mut rows,
            SupAction::CloseHazard {
                id: 1,
                date: date("2026-05-07"),
            },
            0,
        )
        .unwrap_err();
        assert!(unexplained.contains("不能摘牌"), "{unexplained}");
        assert!(hazard_row(&rows, 1).closed.is_none(), "nothing written");
        run(
            &mut rows,
            SupAction::ExplainItem {
                id: 1,
                date: date("2026-05-06"),
                text: "报警器到货延误".into(),
            },
            0,
        )
        .unwrap();
        let closed = run(
            &mut rows,
            SupAction::CloseHazard {
                id: 1,
                date: date("2026-05-07"),
            },
            0,
        )
        .unwrap();
        assert!(
            closed.audit.summary.contains("摘牌销号"),
            "{}",
            closed.audit.summary
        );
        assert_eq!(hazard_row(&rows, 1).state(), HazardState::Closed);
        assert_eq!(item(&rows, 1).state(), ItemState::Closed);
    }

    #[test]
    fn a_general_hazard_hangs_nothing_rewards_stay_in_their_tier_and_lists_link_what_is_there() {
        use anwei_core::accountability::RewardTier;
        use anwei_core::supervision::{HazardGrade, ListKind};
        let mut rows = base();
        let c = run(
            &mut rows,
            SupAction::AddHazard {
                found: date("2026-03-01"),
                found_by: String::new(),
                place: "某小区".into(),
                sector: None,
                category: "消防".into(),
                standard: None,
                clause: None,
                description: "疏散通道堵塞".into(),
                grade: HazardGrade::General,
                unit: "u1".into(),
                registered: date("2026-03-01"),
                deadline: date("2026-03-10"),
                tasks: vec![],
                level: None,
                supervisor: "区安委办".into(),
            },
            0,
        )
        .unwrap();
        assert_eq!(c.puts.len(), 1);
        assert!(hazard_row(&rows, 1).item.is_none());
        assert!(hazard_row(&rows, 1).overdue(date("2026-03-11")));
        // A reward: the tier's range checked; the flat 500 元 case.
        let reward = |tier, amount| SupAction::AddReward {
            date: date("2026-03-01"),
            reporter: "举报人A".into(),
            content: "某小区疏散通道堵塞".into(),
            hazard: Some(1),
            tier,
            amount,
        };
        assert!(sup(reward(RewardTier::Ordinary, 301)).validate().is_err());
        assert!(
            sup(reward(RewardTier::OccupationalHealth, 400))
                .validate()
                .is_err()
        );
        run(&mut rows, reward(RewardTier::Ordinary, 300), 0).unwrap();
        run(&mut rows, reward(RewardTier::Larger, 300), 0).unwrap();
        let pay = |d: &str| SupAction::PayReward {
            id: 1,
            date: date(d),
            text: "现金发放".into(),
        };
        assert!(
            run(&mut rows, pay("2026-02-01"), 0)
                .unwrap_err()
                .contains("早于")
        );
        run(&mut rows, pay("2026-03-20"), 0).unwrap();
        assert!(
            run(&mut rows, pay("2026-03-21"), 0)
                .unwrap_err()
                .contains("已于")
        );
        // 两个清单: a problem linked to the hazard and the task; unknown links refused.
        let entry = |hazards: Vec<u64>| SupAction::AddListEntry {
            list: ListKind::Problems,
            unit: "u1".into(),
            text: "老旧小区消防通道被占用".into(),
            measures: "清理占道，设置禁停标志".into(),
            deadline: Some(date("2026-06-30")),
            tasks: vec!["p/1".into()],
            hazards,
            date: date("2026-03-02"),
        };
        assert!(
            run(&mut rows, entry(vec![9]), 0)
                .unwrap_err()
                .contains("#9")
        );
        run(&mut rows, entry(vec![1]), 0).unwrap();
        run(
            &mut rows,
            SupAction::CompleteListEntry {
                id: 1,
                date: date("2026-05-01"),
                text: "已清理".into(),
            },
            0,
        )
        .unwrap();
        let regs = anwei_core::supervision::Registers::from_rows(rows.sup.clone());
        assert_eq!(regs.lists[0].status_zh(date("2026-07-01")), "已整改");
        assert_eq!(regs.rewards.len(), 2);
        assert!(regs.rewards[0].paid.is_some());
    }

    #[test]
    fn a_ladder_letter_is_issued_under_the_next_number_and_taken_as_the_step() {
        let mut rows = base();
        add_item(&mut rows, 1, "2026-06-30");
        let issue = |number: u32, step: Step, pdf: &[u8]| {
            sup(SupAction::IssueLetter {
                item: 1,
                step,
                year: 2026,
                number,
                date: date("2026-07-09"),
                reply_by: date("2026-07-24"),
                recipient: "区住建局".into(),
                file: None,
                doc_prefix: "麒安委办督".into(),
                pdf: pdf.to_vec(),
            })
        };
        let pdf = b"%PDF-1.7 test";
        // Not a PDF, or a 通报: refused before the state is read.
        assert!(issue(1, Step::Letter, b"nope").validate().is_err());
        assert!(issue(1, Step::Circular, pdf).validate().is_err());
        // The PDF survives the cleaning of the command's texts.
        let cmd = issue(1, Step::Letter, pdf);
        assert_eq!(*cmd.cleaned(), cmd);
        let wrong = compute(&issue(2, Step::Letter, pdf), &cx(None), &rows)
            .unwrap_err()
            .to_string();
        assert!(wrong.contains("应为 1 号"), "{wrong}");
        let c = compute(&issue(1, Step::Letter, pdf), &cx(None), &rows).unwrap();
        let [
            Put::Notice(n),
            Put::NoticeFile { number: 1, .. },
            Put::Supervision(SupRow::Item(i)),
        ] = c.puts.as_slice()
        else {
            panic!("{c:?}")
        };
        assert_eq!(
            (n.item, n.title.as_str(), n.task.as_str()),
            (Some(1), "督办函", "p/1")
        );
        assert_eq!(n.new_deadline, date("2026-07-24"));
        assert_eq!(i.steps.len(), 1);
        assert_eq!(i.steps[0].step, Step::Letter);
        assert_eq!(
            i.steps[0].document.as_deref(),
            Some("麒安委办督〔2026〕1号")
        );
        assert!(
            c.audit.summary.contains("签发督办函麒安委办督〔2026〕1号"),
            "{}",
            c.audit.summary
        );
    }

    #[test]
    fn a_circular_and_a_talk_take_their_ladder_steps_on_the_items_they_are_about() {
        let mut rows = base();
        add_item(&mut rows, 1, "2026-06-30");
        add_item(&mut rows, 2, "2026-06-30");
        // Item 2 is another unit's.
        if let Some(SupRow::Item(i)) = rows.sup.iter_mut().find(|r| r.id() == 2) {
            i.unit = "u2".into();
        }
        let c = run(
            &mut rows,
            SupAction::AddCircular {
                date: date("2026-08-01"),
                kind: CircularKind::Progress,
                title: "关于推进滞后单位的通报".into(),
                summary: String::new(),
                named: vec![Named {
                    unit: "u1".into(),
                    member: true,
                    issue: "第1项逾期".into(),
                }],
                follow_up: String::new(),
                items: vec![1, 2],
            },
            0,
        )
        .unwrap();
        assert!(
            c.audit.summary.contains("督办事项 #1 记为“通报”"),
            "{}",
            c.audit.summary
        );
        let one = item(&rows, 1);
        assert_eq!(one.steps[0].step, Step::Circular);
        assert_eq!(one.steps[0].document.as_deref(), Some("2026年第1期"));
        assert!(
            item(&rows, 2).steps.is_empty(),
            "its unit is not named: only listed"
        );
        let talk = |item: u64, unit: &str| SupAction::AddTalk {
            date: date("2026-09-01"),
            unit: unit.into(),
            persons: "局长".into(),
            by: "主任".into(),
            issues: "通报后仍未整改".into(),
            commitments: String::new(),
            follow_up: None,
            item: Some(item),
        };
        let wrong = run(&mut rows, talk(2, "u1"), 0).unwrap_err();
        assert!(wrong.contains("不是所约谈的单位"), "{wrong}");
        run(&mut rows, talk(1, "u1"), 0).unwrap();
        assert_eq!(item(&rows, 1).last_step().unwrap().0, Step::Talk);
    }

    #[test]
    fn demo_supervision_rows_are_numbered_after_the_real_ones_and_go_unless_referred_to() {
        use anwei_core::demo::{DemoData, DemoMarks};
        let mut rows = base();
        add_item(&mut rows, 1, "2026-06-30");
        let real_item = item(&rows, 1);
        let mut demo_item = real_item.clone();
        demo_item.title = "演示督办".into();
        let data = DemoData {
            supervision: vec![SupRow::Item(demo_item)],
            ..DemoData::default()
        };
        let c = compute(
            &Command::AddDemoData {
                data: Box::new(data.clone()),
            },
            &cx(None),
            &rows,
        )
        .unwrap();
        for p in &c.puts {
            match p {
                Put::NewSupervision(r) => rows.sup.push(r.clone()),
                Put::Setting { key, value } => {
                    rows.settings.insert(key.clone(), value.clone());
                }
                other => panic!("{other:?}"),
            }
        }
        let demo = item(&rows, 2);
        assert_eq!(demo.title, "【演示数据】演示督办");
        assert_eq!(demo.author, "演示数据");
        let marks: DemoMarks =
            serde_json::from_value(rows.settings[Settings::DEMO_DATA].clone()).unwrap();
        assert_eq!(marks.supervision, vec![(SupKind::Item, 2)]);
        assert!(marks.summary().contains("1 条督办记录"));
        // Once only.
        let again = compute(
            &Command::AddDemoData {
                data: Box::new(data),
            },
            &cx(None),
            &rows,
        )
        .unwrap_err()
        .to_string();
        assert!(again.contains("已有演示数据"), "{again}");
        // Removed, the real item stays; a demo item a real 约谈 refers to stays too.
        let c = compute(&Command::RemoveDemoData, &cx(None), &rows).unwrap();
        assert_eq!(c.removes, vec![Remove::Supervision(SupKind::Item, 2)]);
        run(
            &mut rows,
            SupAction::AddTalk {
                date: date("2026-09-01"),
                unit: "u1".into(),
                persons: "局长".into(),
                by: "主任".into(),
                issues: "演示事项".into(),
                commitments: String::new(),
                follow_up: None,
                item: Some(2),
            },
            0,
        )
        .unwrap();
        let c = compute(&Command::RemoveDemoData, &cx(None), &rows).unwrap();
        assert!(c.removes.is_empty(), "{:?}", c.removes);
        assert!(
            c.audit.summary.contains("督办事项 #2 有实际记录引用，保留"),
            "{}",
            c.audit.summary
        );
    }

    /// A hazard found under an item of its sector's checklist takes the item's category,
    /// standard and words as the imported plugin states them; an item the source calls a
    /// 重大事故隐患 cannot be graded 一般; what the checklist lacks is refused.
    #[test]
    fn a_hazard_cites_its_sectors_checklist_and_a_major_item_makes_it_major() {
        use anwei_core::supervision::{ClauseRef, HazardGrade};
        use anwei_core::{HazardCategory, HazardClause};
        let mut rows = base();
        rows.sectors.push(SectorRecord {
            sector: "non-coal-mines".into(),
            plan: "non-coal-mines".into(),
            plugin_version: "1.0.0".into(),
            plugin_sha256: "aa".into(),
            imported_at: "t".into(),
            created_units: vec![],
            hazards: vec![HazardCategory {
                id: "outstanding-violations".into(),
                name: "突出问题和违法违规行为".into(),
                standard: Some("《金属非金属矿山重大生产安全事故隐患判定标准(试行)》".into()),
                line: Some(318),
                clauses: vec![
                    HazardClause {
                        id: "1".into(),
                        text: "无合法证照非法开采、越界开采".into(),
                        line: Some(318),
                        major: false,
                    },
                    HazardClause {
                        id: "11".into(),
                        text: "《金属非金属矿山重大生产安全事故隐患判定标准(试行)》中规定的重大事故隐患"
                            .into(),
                        line: Some(318),
                        major: true,
                    },
                ],
            }],
        });
        let add =
            |sector: Option<&str>, category: &str, clause: &str, grade| SupAction::AddHazard {
                found: date("2026-03-01"),
                found_by: "区应急局检查组".into(),
                place: "某采石场".into(),
                sector: sector.map(str::to_owned),
                category: "自填类别".into(),
                standard: None,
                clause: Some(Box::new(ClauseRef {
                    category: category.into(),
                    clause: clause.into(),
                })),
                description: "越界开采".into(),
                grade,
                unit: "u1".into(),
                registered: date("2026-03-01"),
                deadline: date("2026-03-31"),
                tasks: vec![],
                level: None,
                supervisor: "区安委办".into(),
            };
        let nc = Some("non-coal-mines");
        run(
            &mut rows,
            add(nc, "outstanding-violations", "1", HazardGrade::General),
            0,
        )
        .unwrap();
        let h = hazard_row(&rows, 1);
        assert_eq!(
            h.category, "突出问题和违法违规行为",
            "the checklist's category"
        );
        assert_eq!(
            h.standard.as_deref(),
            Some("《金属非金属矿山重大生产安全事故隐患判定标准(试行)》")
        );
        let k = h.clause.unwrap();
        assert_eq!(
            (k.category.as_str(), k.clause.as_str()),
            ("outstanding-violations", "1")
        );
        assert_eq!(k.text, "无合法证照非法开采、越界开采");
        assert!(!k.major);
        // The eleventh item is the standard's own 重大事故隐患.
        let e = run(
            &mut rows,
            add(nc, "outstanding-violations", "11", HazardGrade::General),
            0,
        )
        .unwrap_err();
        assert!(e.contains("属重大事故隐患，隐患等级应为“重大”"), "{e}");
        let c = run(
            &mut rows,
            add(nc, "outstanding-violations", "11", HazardGrade::Major),
            0,
        )
        .unwrap();
        assert_eq!(c.puts.len(), 2, "hung up for 挂牌督办");
        assert!(hazard_row(&rows, 2).clause.unwrap().major);
        // What the checklist lacks.
        let e = run(&mut rows, add(nc, "tailings", "1", HazardGrade::General), 0).unwrap_err();
        assert!(e.contains("没有隐患类别“tailings”"), "{e}");
        let e = run(
            &mut rows,
            add(nc, "outstanding-violations", "12", HazardGrade::General),
            0,
        )
        .unwrap_err();
        assert!(e.contains("没有判定条目“12”"), "{e}");
        let e = run(
            &mut rows,
            add(Some("fire"), "a", "1", HazardGrade::General),
            0,
        )
        .unwrap_err();
        assert!(e.contains("fire"), "{e}");
        let e = run(
            &mut rows,
            add(None, "outstanding-violations", "1", HazardGrade::General),
            0,
        )
        .unwrap_err();
        assert!(e.contains("须指明行业"), "{e}");
    }
}
