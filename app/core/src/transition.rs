//! Every command's transition: from the command, the [`Context`] and the rows it reads,
//! the [`Change`] it makes. The one place where the rules of a change live (percent = 100
//! when done, a unit name belongs to one unit, revisions count up, notice numbers run
//! without gaps, which tasks a new plan version drops, what removing a plan keeps).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use crate::applicability::{Applicability, Item, NotApplicable};
use crate::campaign::{CampaignData, Task};
use crate::change::{Attach, AuditEntry, Change, ChangeError, Context, Put, Remove, Rows};
use crate::command::Command;
use crate::limits;
use crate::notice::{NoticeRecord, NoticeVoid, pdf_sha256};
use crate::plugin::{SectorPlanImport, SectorRecord};
use crate::progress::{Evidence, ProgressEntry};

mod supervise;
use crate::record::{FormRecord, Value};
use crate::settings::{PrintSettings, Settings};
use crate::target::Measurement;
use crate::unit::{Unit, UnitDirectory};

fn json<T: serde::Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}

fn invalid<E: From<ChangeError>>(msg: String) -> E {
    ChangeError::Invalid(msg).into()
}

fn not_found<E: From<ChangeError>>(what: &'static str, id: impl Into<String>) -> E {
    ChangeError::NotFound {
        what,
        id: id.into(),
    }
    .into()
}

fn new_id<E: From<ChangeError>>(cx: &Context<'_>) -> Result<u64, E> {
    cx.new_id
        .ok_or_else(|| invalid("新记录的编号未分配".to_owned()))
}

/// `ids` as `[first, last]` runs of consecutive ids (how an import's audit record names
/// the records it added).
pub fn id_ranges(ids: &[u64]) -> Vec<[u64; 2]> {
    let mut out: Vec<[u64; 2]> = Vec::new();
    for &id in ids {
        match out.last_mut() {
            Some(run) if run[1].checked_add(1) == Some(id) => run[1] = id,
            _ => out.push([id, id]),
        }
    }
    out
}

/// [`compute`] for a command the caller gives away: an import's records move into the
/// change instead of being copied (100 000 records are some hundreds of MB).
pub fn compute_owned<R: Rows>(
    cmd: Command,
    cx: &Context<'_>,
    rows: &R,
) -> Result<Change, R::Error> {
    // As the audit trail names it (the count of its records), before they move.
    let (action, summary) = (cmd.tag(), cmd.describe());
    match cmd {
        Command::ImportRecords {
            form,
            form_version,
            rows: new_rows,
            source,
        } => {
            let count = new_rows.len();
            import_change(
                action,
                summary,
                cx,
                &form,
                &form_version,
                &source,
                new_rows.into_iter().map(|r| (r.values, r.draft)),
                count,
            )
        }
        other => compute(&other, cx, rows),
    }
}

/// The change of [`Command::ImportRecords`]: `count` new records (values, draft) under the
/// ids the context allots, one audit record naming them by ranges.
#[allow(clippy::too_many_arguments)]
fn import_change<E>(
    action: &str,
    summary: String,
    cx: &Context<'_>,
    form: &str,
    form_version: &str,
    source: &str,
    new_rows: impl Iterator<Item = (BTreeMap<String, Value>, bool)>,
    count: usize,
) -> Result<Change, E>
where
    E: From<ChangeError>,
{
    if cx.new_ids.len() != count {
        return Err(invalid(format!(
            "新记录的编号未分配（需要 {count} 个，分配了 {} 个）",
            cx.new_ids.len()
        )));
    }
    let mut drafts = 0;
    let puts: Vec<Put> = new_rows
        .zip(cx.new_ids)
        .map(|((values, draft), id)| {
            drafts += usize::from(draft);
            Put::Record(FormRecord {
                id: *id,
                form: form.to_owned(),
                form_version: form_version.to_owned(),
                values,
                draft,
                deleted: false,
                author: cx.actor.to_owned(),
                created_at: cx.now.to_owned(),
                updated_at: cx.now.to_owned(),
                revision: 1,
            })
        })
        .collect();
    let after = serde_json::json!({
        "form": form,
        "form_version": form_version,
        "source": source,
        "count": count,
        "drafts": drafts,
        "ids": id_ranges(cx.new_ids),
    });
    let a = AuditEntry {
        actor: cx.actor.to_owned(),
        action: action.to_owned(),
        summary,
        target: format!("form:{form}"),
        before: None,
        after: Some(after),
    };
    Ok(Change::new(Vec::new(), puts, a))
}

/// A progress entry may report only one of its task's interim milestones reached.
fn check_milestone(task: &Task, milestone: Option<NaiveDate>) -> Result<(), ChangeError> {
    let Some(m) = milestone else {
        return Ok(());
    };
    if task.interim_milestones().iter().any(|d| d.due == Some(m)) {
        Ok(())
    } else {
        Err(invalid(format!(
            "任务{}没有 {m} 到期的阶段节点（阶段节点是最终期限之前写明的时限）",
            task.label
        )))
    }
}

/// The change `cmd` makes to the rows of `rows`. `cmd` is taken as it is: the store cleans
/// and validates it first ([`Command::cleaned`], [`Command::validate`]).
pub fn compute<R: Rows>(cmd: &Command, cx: &Context<'_>, rows: &R) -> Result<Change, R::Error> {
    let audit = |summary: String, target: String, before, after| AuditEntry {
        actor: cx.actor.to_owned(),
        action: cmd.tag().to_owned(),
        summary,
        target,
        before,
        after,
    };
    match cmd {
        Command::AddProgress {
            task,
            date,
            text,
            percent,
            done,
            attach,
            milestone,
        } => {
            let Some(t) = rows.task(task)? else {
                return Err(not_found("任务", task.as_str()));
            };
            check_open(rows, &t.plan)?;
            check_milestone(&t, *milestone)?;
            let id = new_id(cx)?;
            let entry = ProgressEntry {
                id,
                task: task.clone(),
                date: *date,
                text: text.trim().to_owned(),
                percent: done_percent(*done, *percent),
                done: *done,
                evidence: Vec::new(),
                author: cx.actor.to_owned(),
                created_at: cx.now.to_owned(),
                updated_at: cx.now.to_owned(),
                revision: 1,
                milestone: *milestone,
            };
            let a = audit(cmd.describe(), format!("progress:{id}"), None, json(&entry));
            Ok(Change::one(Put::Progress(entry), a).with_new_evidence(id, attach))
        }
        Command::EditProgress {
            entry,
            date,
            text,
            percent,
            done,
            attach,
            detach,
            milestone,
        } => {
            let before = rows
                .progress_entry(*entry)?
                .ok_or_else(|| not_found("进展记录", entry.to_string()))?;
            if let Some(t) = rows.task(&before.task)? {
                check_open(rows, &t.plan)?;
                check_milestone(&t, *milestone)?;
            }
            let kept: Vec<Evidence> = before
                .evidence
                .iter()
                .filter(|e| !detach.contains(&e.stored))
                .cloned()
                .collect();
            crate::limits::check_count(
                "进展的附件",
                kept.len() + attach.len(),
                crate::limits::MAX_EVIDENCE_FILES,
            )
            .map_err(|e| invalid(e.to_string()))?;
            let mut after = before.clone();
            after.evidence.clone_from(&kept);
            after.date = *date;
            after.text = text.trim().to_owned();
            after.percent = done_percent(*done, *percent);
            after.done = *done;
            after.milestone = *milestone;
            after.updated_at = cx.now.to_owned();
            after.revision = before.revision + 1;
            // Files of detached evidence stay in the data folder: nothing is deleted.
            let a = audit(
                cmd.describe(),
                format!("progress:{entry}"),
                json(&before),
                json(&after),
            );
            let mut change = Change::one(Put::Progress(after), a);
            if !attach.is_empty() {
                change.attach = Some(Attach {
                    entry: *entry,
                    sources: attach.clone(),
                    existing: kept,
                    new_entry: false,
                });
            }
            Ok(change)
        }
        Command::AddUnit {
            name,
            kind,
            aliases,
        } => {
            let mut dir = directory(rows.units()?)?;
            for n in std::iter::once(name).chain(aliases) {
                if let Some(u) = dir.resolve(n) {
                    return Err(invalid(format!("名称“{n}”已属于单位“{}”", u.name)));
                }
            }
            let id = dir.resolve_or_add(name, *kind);
            let mut unit = dir
                .get(&id)
                .cloned()
                .ok_or_else(|| invalid("新增单位失败".to_owned()))?;
            unit.aliases = clean_aliases(aliases, &unit.name);
            unit_change(rows, None, unit, |b, a, id| {
                audit(cmd.describe(), format!("unit:{id}"), b, a)
            })
        }
        Command::RenameUnit { unit, name } => {
            let before = unit_or_err(rows, unit)?;
            let name = name.trim().to_owned();
            let mut after = before.clone();
            if name != before.name {
                let mut aliases = before.aliases.clone();
                aliases.push(before.name.clone());
                after.aliases = clean_aliases(&aliases, &name);
                after.name = name;
            }
            unit_change(rows, Some(before), after, |b, a, id| {
                audit(cmd.describe(), format!("unit:{id}"), b, a)
            })
        }
        Command::SetUnitAliases { unit, aliases } => {
            let before = unit_or_err(rows, unit)?;
            let mut after = before.clone();
            after.aliases = clean_aliases(aliases, &before.name);
            unit_change(rows, Some(before), after, |b, a, id| {
                audit(cmd.describe(), format!("unit:{id}"), b, a)
            })
        }
        Command::SetUnitKind { unit, kind } => {
            let before = unit_or_err(rows, unit)?;
            let mut after = before.clone();
            after.kind = *kind;
            unit_change(rows, Some(before), after, |b, a, id| {
                audit(cmd.describe(), format!("unit:{id}"), b, a)
            })
        }
        Command::SetDueSoonDays { days } => {
            setting(rows, Settings::DUE_SOON_DAYS, json(days), |b, a, t| {
                audit(cmd.describe(), t, b, a)
            })
        }
        Command::SetUserName { name } => {
            setting(rows, Settings::USER_NAME, json(&name.trim()), |b, a, t| {
                audit(cmd.describe(), t, b, a)
            })
        }
        Command::SetPrintSettings {
            office_name,
            doc_prefix,
            contact,
            chinese_date,
        } => {
            let value = PrintSettings {
                office_name: office_name.trim().to_owned(),
                doc_prefix: doc_prefix.trim().to_owned(),
                contact: contact.trim().to_owned(),
                chinese_date: *chinese_date,
            };
            setting(rows, Settings::PRINT, json(&value), |b, a, t| {
                audit(cmd.describe(), t, b, a)
            })
        }
        Command::SetPluginDeveloperMode { on } => setting(
            rows,
            Settings::PLUGIN_DEVELOPER_MODE,
            json(on),
            |b, a, t| audit(cmd.describe(), t, b, a),
        ),
        Command::SetPluginRootKey { key } => {
            let key = key.as_ref().map(|k| k.to_ascii_lowercase());
            setting(rows, Settings::PLUGIN_ROOT_KEY, json(&key), |b, a, t| {
                audit(cmd.describe(), t, b, a)
            })
        }
        Command::SetPluginTrustList { list } => {
            setting(rows, Settings::PLUGIN_TRUST_LIST, json(list), |b, a, t| {
                audit(cmd.describe(), t, b, a)
            })
        }
        Command::ImportCampaign { data } => import_campaign(rows, data, audit),
        Command::SetReporting { reporting } => {
            setting(rows, Settings::REPORTING, json(reporting), |b, a, t| {
                audit(cmd.describe(), t, b, a)
            })
        }
        Command::SubmitReport {
            unit,
            report,
            period_start,
            date,
            what,
            late_reason,
            attach,
        } => {
            let id = new_id(cx)?;
            let sub = submission(
                rows,
                NewSubmission {
                    id,
                    unit,
                    report,
                    period_start: *period_start,
                    date: *date,
                    what,
                    late_reason: late_reason.as_deref(),
                },
                cx,
            )?;
            let a = audit(cmd.describe(), format!("submission:{id}"), None, json(&sub));
            Ok(Change::one(Put::Submission(sub), a).with_new_evidence(id, attach))
        }
        Command::AddDemoData { data } => demo_change(rows, data, cx, |b, a| {
            audit(cmd.describe(), "demo_data".to_owned(), b, a)
        }),
        Command::Supervise { action } => supervise::compute(rows, action, cx, &|target, b, a| {
            audit(String::new(), target, b, a)
        }),
        Command::MoveSectorPlan { sector, campaign } => {
            let Some(mut plan) = rows.plan(sector)? else {
                return Err(not_found("行业方案", sector.as_str()));
            };
            if plan.kind != crate::campaign::PlanKind::Sector {
                return Err(invalid(format!(
                    "“{}”不是行业插件的方案，不能移动",
                    plan.title
                )));
            }
            let Some(to) = rows.campaign(campaign)? else {
                return Err(not_found("活动", campaign.as_str()));
            };
            if plan.campaign == to.id {
                return Err(invalid(format!(
                    "“{}”本来就在活动“{}”中",
                    plan.title, to.name
                )));
            }
            for id in [plan.campaign.as_str(), to.id.as_str()] {
                if let Some(c) = rows.campaign(id)?
                    && c.archived
                {
                    return Err(invalid(format!(
                        "活动“{}”已归档，只读：行业方案不能移入或移出（需要时先重新打开该活动）",
                        c.name
                    )));
                }
            }
            let before = json(&plan);
            plan.campaign = to.id.clone();
            let a = audit(
                cmd.describe(),
                format!("plan:{sector}"),
                before,
                json(&plan),
            );
            Ok(Change::one(Put::Plan(plan), a))
        }
        Command::RemoveDemoData => remove_demo(rows, |b, a| {
            audit(cmd.describe(), "demo_data".to_owned(), b, a)
        }),
        Command::AcceptSubmission { id, date } => review(rows, *id, *date, None, cx, |b, a| {
            audit(cmd.describe(), format!("submission:{id}"), b, a)
        }),
        Command::ReturnSubmission { id, date, reason } => {
            review(rows, *id, *date, Some(reason), cx, |b, a| {
                audit(cmd.describe(), format!("submission:{id}"), b, a)
            })
        }
        Command::AdjustDeadline {
            task,
            due,
            reason,
            date,
        } => {
            let Some(t) = rows.task(task)? else {
                return Err(not_found("任务", task.as_str()));
            };
            check_open(rows, &t.plan)?;
            if due < date {
                return Err(invalid(format!(
                    "新的完成时间 {due} 早于作出调整之日 {date}"
                )));
            }
            let mut changes: crate::deadline_change::DeadlineChanges =
                read_setting(rows, Settings::DEADLINE_CHANGES, "已有的完成时间调整")?;
            let in_force = changes
                .in_force(task, *date)
                .map(|c| c.due)
                .or_else(|| t.final_deadline().and_then(|d| d.due));
            if in_force == Some(*due) {
                return Err(invalid(format!("任务 {task} 的完成时间本来就是 {due}")));
            }
            changes.push(
                task,
                crate::deadline_change::DeadlineChange {
                    due: *due,
                    reason: reason.trim().to_owned(),
                    date: *date,
                },
            );
            setting(
                rows,
                Settings::DEADLINE_CHANGES,
                json(&changes),
                |b, a, _| audit(cmd.describe(), format!("task:{task}"), b, a),
            )
        }
        Command::SetCurrentCampaign { campaign } => {
            if !rows.campaign_exists(campaign)? {
                return Err(not_found("活动", campaign.as_str()));
            }
            setting(
                rows,
                Settings::CURRENT_CAMPAIGN,
                json(&Some(campaign)),
                |b, a, t| audit(cmd.describe(), t, b, a),
            )
        }
        Command::ArchiveCampaign { campaign, archived } => {
            let Some(before) = rows.campaign(campaign)? else {
                return Err(not_found("活动", campaign.as_str()));
            };
            if before.archived == *archived {
                return Err(invalid(if *archived {
                    format!("活动“{}”已经归档", before.name)
                } else {
                    format!("活动“{}”没有归档", before.name)
                }));
            }
            let mut after = before.clone();
            after.archived = *archived;
            let a = audit(
                cmd.describe(),
                format!("campaign:{campaign}"),
                json(&before),
                json(&after),
            );
            Ok(Change::one(Put::Campaign(after), a))
        }
        Command::ImportSectorPlan { content } => import_sector_plan(
            rows,
            content,
            cx,
            audit(cmd.describe(), String::new(), None, None),
        ),
        Command::RemoveSectorPlan { sector } => remove_sector_plan(
            rows,
            sector,
            audit(String::new(), String::new(), None, None),
        ),
        Command::AcknowledgeUnverified => {
            let before = rows
                .unverified()?
                .ok_or_else(|| invalid("数据库没有需要确认的完整性提示".to_owned()))?;
            let summary = format!("{}：{}", cmd.describe(), before.reason);
            Ok(Change::new(
                vec![Remove::Unverified],
                Vec::new(),
                audit(summary, "database".to_owned(), json(&before), None),
            ))
        }
        Command::RecordPluginEvent { sector, .. } => Ok(Change::audit_only(audit(
            cmd.describe(),
            format!("plugin:{sector}"),
            None,
            json(cmd),
        ))),
        Command::AddRecord {
            form,
            form_version,
            values,
            draft,
        } => {
            let record = FormRecord {
                id: new_id(cx)?,
                form: form.clone(),
                form_version: form_version.clone(),
                values: values.clone(),
                draft: *draft,
                deleted: false,
                author: cx.actor.to_owned(),
                created_at: cx.now.to_owned(),
                updated_at: cx.now.to_owned(),
                revision: 1,
            };
            let a = audit(
                cmd.describe(),
                format!("record:{}", record.id),
                None,
                json(&record),
            );
            Ok(Change::one(Put::Record(record), a))
        }
        Command::ImportRecords {
            form,
            form_version,
            rows: new_rows,
            source,
        } => import_change(
            cmd.tag(),
            cmd.describe(),
            cx,
            form,
            form_version,
            source,
            new_rows.iter().map(|r| (r.values.clone(), r.draft)),
            new_rows.len(),
        ),
        Command::EditRecord { id, values, draft } => {
            let before = record_or_err(rows, *id)?;
            let mut after = before.clone();
            after.values.clone_from(values);
            after.draft = *draft;
            after.updated_at = cx.now.to_owned();
            after.revision = before.revision + 1;
            let a = audit(
                cmd.describe(),
                format!("record:{id}"),
                json(&before),
                json(&after),
            );
            Ok(Change::one(Put::Record(after), a))
        }
        Command::DeleteRecord { id } | Command::RestoreRecord { id } => {
            let before = record_or_err(rows, *id)?;
            let mut after = before.clone();
            after.deleted = matches!(cmd, Command::DeleteRecord { .. });
            after.updated_at = cx.now.to_owned();
            after.revision = before.revision + 1;
            let a = audit(
                cmd.describe(),
                format!("record:{id}"),
                json(&before),
                json(&after),
            );
            Ok(Change::one(Put::Record(after), a))
        }
        Command::AddMeasurement {
            target,
            date,
            value,
            town,
            source,
        } => {
            let Some(t) = rows.target(target)? else {
                return Err(not_found("指标", target.as_str()));
            };
            check_open(rows, &t.plan)?;
            if let Some(t) = town
                && rows.unit(t)?.is_none()
            {
                return Err(not_found("单位", t.as_str()));
            }
            let m = Measurement {
                date: *date,
                value: *value,
                town: town.clone(),
                source: source.trim().to_owned(),
            };
            let a = audit(cmd.describe(), format!("target:{target}"), None, json(&m));
            let put = Put::Measurement {
                target: target.clone(),
                id: new_id(cx)?,
                value: m,
            };
            Ok(Change::one(put, a))
        }
        Command::SetNotApplicable { item, reason, date } => {
            let plan = match item {
                Item::Task(id) => rows.task(id)?.map(|t| t.plan),
                Item::Target(id) => rows.target(id)?.map(|t| t.plan),
            };
            let Some(plan) = plan else {
                return Err(not_found(item.kind_zh(), item.id()));
            };
            check_open(rows, &plan)?;
            let mut marks: Applicability =
                read_setting(rows, Settings::NOT_APPLICABLE, "已有的“不适用”标记")?;
            let mark = reason.as_ref().map(|r| NotApplicable {
                reason: r.trim().to_owned(),
                date: *date,
            });
            let unchanged = match (&mark, marks.get(item)) {
                (Some(new), Some(old)) => new.reason == old.reason,
                (None, None) => true,
                _ => false,
            };
            if unchanged {
                return Err(invalid(match mark {
                    Some(_) => format!("{} {} 已标为不适用，理由相同", item.kind_zh(), item.id()),
                    None => format!("{} {} 本来就适用", item.kind_zh(), item.id()),
                }));
            }
            marks.set(item, mark);
            setting(rows, Settings::NOT_APPLICABLE, json(&marks), |b, a, _| {
                audit(cmd.describe(), item.key(), b, a)
            })
        }
        Command::RecordNotice {
            task,
            year,
            number,
            recipient,
            new_deadline,
            file,
            date,
            pdf,
            doc_prefix,
        } => {
            let Some(t) = rows.task(task)? else {
                return Err(not_found("任务", task.as_str()));
            };
            check_open(rows, &t.plan)?;
            let next = rows.next_notice_number(*year)?;
            if *number != next {
                return Err(invalid(format!(
                    "文号〔{year}〕{number}号不是本年度的下一个编号（应为 {next} 号）"
                )));
            }
            crate::notice::check_notice_dates(*date, Some(*year), *new_deadline)
                .map_err(|e| invalid(e.to_string()))?;
            if !pdf.starts_with(b"%PDF-") {
                return Err(invalid("签发的督办通知书没有 PDF 文件".to_owned()));
            }
            if pdf.len() > limits::MAX_NOTICE_PDF_BYTES {
                return Err(invalid(format!(
                    "督办通知书的 PDF 有 {} 字节，超过上限 {} 字节",
                    pdf.len(),
                    limits::MAX_NOTICE_PDF_BYTES
                )));
            }
            let record = NoticeRecord {
                year: *year,
                number: *number,
                task: task.clone(),
                recipient: recipient.trim().to_owned(),
                new_deadline: *new_deadline,
                issued_at: cx.now.to_owned(),
                actor: cx.actor.to_owned(),
                file: file.clone(),
                date: Some(*date),
                sha256: Some(pdf_sha256(pdf)),
                voided: None,
                doc_prefix: doc_prefix.trim().to_owned(),
                item: None,
                title: String::new(),
            };
            let a = audit(
                cmd.describe(),
                format!("notice:{year}-{number}"),
                None,
                json(&record),
            );
            let file = Put::NoticeFile {
                year: *year,
                number: *number,
                pdf: pdf.clone(),
            };
            Ok(Change::new(Vec::new(), vec![Put::Notice(record), file], a))
        }
        Command::VoidNotice {
            year,
            number,
            reason,
        } => {
            let Some(mut notice) = rows.notice(*year, *number)? else {
                return Err(not_found("督办通知书", format!("〔{year}〕{number}号")));
            };
            if let Some(t) = rows.task(&notice.task)? {
                check_open(rows, &t.plan)?;
            }
            if let Some(v) = &notice.voided {
                // "2026-12-06T13:44:32.332+08:00" → "2026-12-06 13:44".
                let at = v.at.get(..16).unwrap_or(&v.at).replacen('T', " ", 1);
                return Err(invalid(format!(
                    "督办通知书〔{year}〕{number}号已于 {at} 作废（理由：{}）",
                    v.reason
                )));
            }
            let before = json(&notice);
            notice.voided = Some(NoticeVoid {
                at: cx.now.to_owned(),
                actor: cx.actor.to_owned(),
                reason: reason.trim().to_owned(),
            });
            let a = audit(
                cmd.describe(),
                format!("notice:{year}-{number}"),
                before,
                json(&notice),
            );
            Ok(Change::one(Put::VoidedNotice(notice), a))
        }
    }
}

/// A progress entry marked done counts as 100 % unless a percent was given.
pub fn done_percent(done: bool, percent: Option<u8>) -> Option<u8> {
    if done {
        Some(percent.unwrap_or(100))
    } else {
        percent
    }
}

/// Aliases trimmed, without blanks, duplicates or the unit's own name.
pub fn clean_aliases(aliases: &[String], name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in aliases {
        let a = a.trim();
        if !a.is_empty() && a != name && !out.iter().any(|o| o == a) {
            out.push(a.to_owned());
        }
    }
    out
}

fn directory<E: From<ChangeError>>(units: Vec<Unit>) -> Result<UnitDirectory, E> {
    UnitDirectory::new(units).map_err(|e| invalid(e.to_string()))
}

fn unit_or_err<R: Rows>(rows: &R, id: &str) -> Result<Unit, R::Error> {
    rows.unit(id)?.ok_or_else(|| not_found("单位", id))
}

fn record_or_err<R: Rows>(rows: &R, id: u64) -> Result<FormRecord, R::Error> {
    rows.record(id)?
        .ok_or_else(|| not_found("台账记录", id.to_string()))
}

/// A unit's new state, provided the directory stays unambiguous (no name or alias of two
/// units).
fn unit_change<R: Rows>(
    rows: &R,
    before: Option<Unit>,
    after: Unit,
    audit: impl FnOnce(Option<serde_json::Value>, Option<serde_json::Value>, &str) -> AuditEntry,
) -> Result<Change, R::Error> {
    let mut units: Vec<Unit> = rows
        .units()?
        .into_iter()
        .filter(|u| u.id != after.id)
        .collect();
    units.push(after.clone());
    directory::<R::Error>(units)?;
    let a = audit(
        before.as_ref().and_then(json),
        json(&after),
        &after.id.clone(),
    );
    Ok(Change::one(Put::Unit(after), a))
}

/// Refuses a change to what a plan of an archived campaign holds (its tasks' progress, marks,
/// notices, target values): an archived campaign is read-only until it is opened again.
/// The settings row `key` holding `value`.
fn setting_put<E: From<ChangeError>>(key: &str, value: &impl serde::Serialize) -> Result<Put, E> {
    let value = json(value).ok_or_else(|| invalid::<E>(format!("设置“{key}”无法保存")))?;
    Ok(Put::Setting {
        key: key.to_owned(),
        value,
    })
}

/// The settings row `key` (its default when there is none); `what` names it when it cannot
/// be read.
fn read_setting<R: Rows, T: serde::de::DeserializeOwned + Default>(
    rows: &R,
    key: &str,
    what: &str,
) -> Result<T, R::Error> {
    match rows.setting(key)? {
        Some(v) => serde_json::from_value(v).map_err(|e| invalid(format!("{what}无法读取：{e}"))),
        None => Ok(T::default()),
    }
}

/// The rows [`Command::AddDemoData`] adds: each entry and submission marked, under the ids
/// the store gave, listed in the settings with the office reports added.
fn demo_change<R: Rows>(
    rows: &R,
    data: &crate::demo::DemoData,
    cx: &Context<'_>,
    audit: impl FnOnce(Option<serde_json::Value>, Option<serde_json::Value>) -> AuditEntry,
) -> Result<Change, R::Error> {
    use crate::demo::{DEMO_AUTHOR, DemoMarks, DemoReview, DemoRow, marked};
    use crate::reports::{Reporting, Review, Submission};
    let before: DemoMarks = read_setting(rows, Settings::DEMO_DATA, "演示数据记录")?;
    // More demo rows may join those there (the sector plans' tasks, imported after the
    // rest): never a second demo of the same task, or a second set of demo records.
    if let Some(e) = data
        .entries
        .iter()
        .find(|e| before.progress.iter().any(|r| r.task == e.task))
    {
        return Err(invalid(format!(
            "已有演示数据（{}）：任务 {} 已有演示进展，先移除再载入",
            before.summary(),
            e.task
        )));
    }
    if !data.records.is_empty() && !before.records.is_empty() {
        return Err(invalid(format!(
            "已有演示数据（{}），先移除再载入",
            before.summary()
        )));
    }
    if cx.new_ids.len() != data.entries.len() + data.submissions.len() + data.records.len() {
        return Err(invalid("演示数据的编号未分配".to_owned()));
    }
    let mut reporting: Reporting = read_setting(rows, Settings::REPORTING, "报送设置")?;
    for o in &data.office_reports {
        if reporting.office_reports.iter().any(|x| x.id == o.id) {
            return Err(invalid(format!("报送事项编号 {} 已被使用", o.id)));
        }
        reporting.office_reports.push(o.clone());
    }
    reporting.check().map_err(invalid::<R::Error>)?;
    let mut marks = before.clone();
    marks
        .office_reports
        .extend(data.office_reports.iter().map(|o| o.id.clone()));
    let mut puts = Vec::new();
    let mut ids = cx.new_ids.iter().copied();
    for e in &data.entries {
        let id = ids
            .next()
            .ok_or_else(|| invalid::<R::Error>("演示数据的编号不足".into()))?;
        if !rows.task_exists(&e.task)? {
            return Err(not_found("任务", e.task.as_str()));
        }
        puts.push(Put::Progress(ProgressEntry {
            id,
            task: e.task.clone(),
            date: e.date,
            text: marked(&e.text),
            percent: done_percent(e.done, e.percent),
            done: e.done,
            evidence: Vec::new(),
            author: DEMO_AUTHOR.to_owned(),
            created_at: cx.now.to_owned(),
            updated_at: cx.now.to_owned(),
            revision: 1,
            milestone: None,
        }));
        marks.progress.push(DemoRow {
            task: e.task.clone(),
            id,
        });
    }
    for s in &data.submissions {
        let id = ids
            .next()
            .ok_or_else(|| invalid::<R::Error>("演示数据的编号不足".into()))?;
        let Some(o) = data.office_reports.iter().find(|o| o.id == s.report) else {
            return Err(invalid(format!(
                "演示报送的事项 {} 不是演示数据的报送事项",
                s.report
            )));
        };
        if rows.unit(&s.unit)?.is_none() {
            return Err(not_found("单位", s.unit.as_str()));
        }
        let (start, end) = o.recurrence.period_of(s.period_start);
        let by = DEMO_AUTHOR.to_owned();
        puts.push(Put::Submission(Submission {
            id,
            unit: s.unit.clone(),
            report: s.report.clone(),
            period_start: start,
            period: crate::calendar::period_label(o.recurrence, start, end),
            due: end + chrono::Days::new(u64::from(o.grace_days)),
            date: s.date,
            what: marked(&s.what),
            late_reason: s.late_reason.clone(),
            evidence: Vec::new(),
            review: match &s.review {
                DemoReview::Pending => Review::Pending,
                DemoReview::Accepted { date } => Review::Accepted { date: *date, by },
                DemoReview::Returned { date, reason } => Review::Returned {
                    date: *date,
                    by,
                    reason: reason.clone(),
                },
            },
            author: DEMO_AUTHOR.to_owned(),
            created_at: cx.now.to_owned(),
        }));
        marks.submissions.push(id);
    }
    for r in &data.records {
        let id = ids
            .next()
            .ok_or_else(|| invalid::<R::Error>("演示数据的编号不足".into()))?;
        puts.push(Put::Record(FormRecord {
            id,
            form: r.form.clone(),
            form_version: r.form_version.clone(),
            values: r.values.clone(),
            draft: false,
            deleted: false,
            author: DEMO_AUTHOR.to_owned(),
            created_at: cx.now.to_owned(),
            updated_at: cx.now.to_owned(),
            revision: 1,
        }));
        marks.records.push(crate::demo::DemoRecordRow {
            form: r.form.clone(),
            id,
        });
    }
    // Supervision rows: numbered after the rows of their kind there are.
    if !data.supervision.is_empty() && !before.supervision.is_empty() {
        return Err(invalid(format!(
            "已有演示数据（{}），先移除再载入",
            before.summary()
        )));
    }
    // Each kind's rows there are: the demo's are numbered after them.
    let mut base: BTreeMap<crate::supervision::SupKind, u64> = BTreeMap::new();
    if !data.supervision.is_empty() {
        for kind in crate::supervision::SupKind::ALL {
            base.insert(kind, rows.sup_last_id(kind)?);
        }
    }
    let base_of = |k: crate::supervision::SupKind| base.get(&k).copied().unwrap_or(0);
    for row in &data.supervision {
        let kind = row.kind();
        let id = base_of(kind) + row.id();
        let units: Vec<&str> = match row {
            crate::supervision::SupRow::Item(i) => vec![i.unit.as_str()],
            crate::supervision::SupRow::Circular(c) => c
                .named
                .iter()
                .filter(|n| n.member)
                .map(|n| n.unit.as_str())
                .collect(),
            crate::supervision::SupRow::Talk(t) => vec![t.unit.as_str()],
            crate::supervision::SupRow::Hazard(h) => vec![h.unit.as_str()],
            crate::supervision::SupRow::ListEntry(e) => vec![e.unit.as_str()],
            _ => Vec::new(),
        };
        for u in units {
            if rows.unit(u)?.is_none() {
                return Err(not_found("单位", u));
            }
        }
        puts.push(Put::NewSupervision(crate::demo::demo_sup_row(
            row, id, &base_of,
        )));
        marks.supervision.push((kind, id));
    }
    puts.push(setting_put(Settings::REPORTING, &reporting)?);
    puts.push(setting_put(Settings::DEMO_DATA, &marks)?);
    Ok(Change::new(
        Vec::new(),
        puts,
        audit(json(&before), json(&marks)),
    ))
}

/// What [`Command::RemoveDemoData`] takes out: every demo row, and the demo's office reports
/// unless a real submission is of one (it is kept, and said in the audit record).
fn remove_demo<R: Rows>(
    rows: &R,
    audit: impl FnOnce(Option<serde_json::Value>, Option<serde_json::Value>) -> AuditEntry,
) -> Result<Change, R::Error> {
    use crate::demo::DemoMarks;
    use crate::reports::Reporting;
    let marks: DemoMarks = read_setting(rows, Settings::DEMO_DATA, "演示数据记录")?;
    if marks.is_empty() {
        return Err(invalid("没有演示数据".to_owned()));
    }
    let mut removes: Vec<Remove> = marks
        .progress
        .iter()
        .map(|r| Remove::Progress {
            task: r.task.clone(),
            id: r.id,
        })
        .collect();
    removes.extend(marks.submissions.iter().map(|id| Remove::Submission(*id)));
    removes.extend(marks.records.iter().map(|r| Remove::Record {
        form: r.form.clone(),
        id: r.id,
    }));
    // Demo supervision rows go, but for those a real row refers to (a 约谈 or 通报 of a demo
    // item, a list entry or reward citing a demo hazard): those are kept, and said.
    let demo = |kind: crate::supervision::SupKind, id: u64| marks.supervision.contains(&(kind, id));
    let mut referred: Vec<(crate::supervision::SupKind, u64)> = Vec::new();
    for kind in crate::supervision::SupKind::ALL {
        for row in rows.sup_rows(kind)? {
            if demo(row.kind(), row.id()) {
                continue;
            }
            use crate::supervision::{SupKind as K, SupRow};
            match &row {
                SupRow::Talk(t) => referred.extend(t.item.map(|i| (K::Item, i))),
                SupRow::Circular(c) => referred.extend(c.items.iter().map(|i| (K::Item, *i))),
                SupRow::ListEntry(e) => referred.extend(e.hazards.iter().map(|h| (K::Hazard, *h))),
                SupRow::Reward(r) => referred.extend(r.hazard.map(|h| (K::Hazard, h))),
                SupRow::Hazard(h) => referred.extend(h.item.map(|i| (K::Item, i))),
                _ => {}
            }
        }
    }
    let kept_rows: Vec<&(crate::supervision::SupKind, u64)> = marks
        .supervision
        .iter()
        .filter(|r| referred.contains(r))
        .collect();
    removes.extend(
        marks
            .supervision
            .iter()
            .filter(|r| !referred.contains(r))
            .map(|(k, id)| Remove::Supervision(*k, *id)),
    );
    let mut reporting: Reporting = read_setting(rows, Settings::REPORTING, "报送设置")?;
    let mut kept = Vec::new();
    for id in &marks.office_reports {
        let real = rows
            .submissions_of_report(id)?
            .iter()
            .any(|s| !marks.submissions.contains(&s.id));
        if real {
            kept.push(id.clone());
        } else {
            reporting.office_reports.retain(|o| &o.id != id);
        }
    }
    let after = DemoMarks::default();
    let puts = vec![
        setting_put(Settings::REPORTING, &reporting)?,
        setting_put(Settings::DEMO_DATA, &after)?,
    ];
    let mut a = audit(json(&marks), json(&after));
    if !kept.is_empty() {
        a.summary.push_str(&format!(
            "；报送事项 {} 已有实际报送，保留",
            kept.join("、")
        ));
    }
    if !kept_rows.is_empty() {
        let named: Vec<String> = kept_rows
            .iter()
            .map(|(k, id)| format!("{} #{id}", k.label_zh()))
            .collect();
        a.summary
            .push_str(&format!("；{} 有实际记录引用，保留", named.join("、")));
    }
    Ok(Change::new(removes, puts, a))
}

/// What [`Command::SubmitReport`] names.
struct NewSubmission<'a> {
    id: u64,
    unit: &'a str,
    report: &'a str,
    period_start: NaiveDate,
    date: NaiveDate,
    what: &'a str,
    late_reason: Option<&'a str>,
}

/// The submission `n` makes, checked against the report it is of: the unit owes the report,
/// the period is one of the report's, the date is not before the period begins, a late one
/// says why, and no earlier submission of the period awaits 签收 or was accepted.
fn submission<R: Rows>(
    rows: &R,
    n: NewSubmission<'_>,
    cx: &Context<'_>,
) -> Result<crate::reports::Submission, R::Error> {
    use crate::reports::{Reporting, Review, Submission};
    let Some(unit) = rows.unit(n.unit)? else {
        return Err(not_found("单位", n.unit));
    };
    let reporting: Reporting = read_setting(rows, Settings::REPORTING, "报送设置")?;
    // The report's periods, days of grace, who owes it, and its name.
    let (recurrences, grace, owing, name) =
        if let Some(o) = reporting.office_reports.iter().find(|o| o.id == n.report) {
            let owing = if o.units.is_empty() {
                // Every unit with a task that is one body.
                let has_task = rows.tasks()?.iter().any(|t| {
                    crate::calendar::reporting_units(t)
                        .iter()
                        .any(|u| u == n.unit)
                });
                (crate::reports::is_collective(&unit.name) || !has_task).then(Vec::new)
            } else {
                Some(o.units.clone())
            };
            (vec![o.recurrence], o.grace_days, owing, o.name.clone())
        } else if let Some(t) = rows.task(n.report)? {
            check_open(rows, &t.plan)?;
            let mut recurrences = Vec::new();
            for r in t.deadlines.iter().filter_map(|d| d.recurrence) {
                if !recurrences.contains(&r) {
                    recurrences.push(r);
                }
            }
            if recurrences.is_empty() {
                return Err(invalid(format!(
                    "任务{}没有按期报送的要求（其完成时间不是每月、每季度这类周期），无须报送",
                    t.label
                )));
            }
            let owing = crate::calendar::reporting_units(&t);
            (
                recurrences,
                0,
                Some(owing),
                format!("任务{} {}", t.label, t.title),
            )
        } else {
            return Err(not_found("报送事项", n.report));
        };
    if crate::reports::is_collective(&unit.name) {
        return Err(invalid(format!(
            "“{}”指多个单位，不能作为一个单位报送；请由其中的具体单位报送",
            unit.name
        )));
    }
    if let Some(list) = &owing
        && !list.iter().any(|u| u == n.unit)
    {
        return Err(invalid(format!("单位“{}”不承担“{name}”的报送", unit.name)));
    }
    let Some((start, end, r)) = recurrences.iter().find_map(|r| {
        let (start, end) = r.period_of(n.period_start);
        (start == n.period_start).then_some((start, end, *r))
    }) else {
        return Err(invalid(format!(
            "{} 不是“{name}”某一期的第一天",
            n.period_start
        )));
    };
    let period = crate::calendar::period_label(r, start, end);
    let due = end + chrono::Days::new(u64::from(grace));
    if n.date < start {
        return Err(invalid(format!(
            "报送日期 {} 早于该期（{period}）的开始",
            n.date
        )));
    }
    match (n.date > due, n.late_reason) {
        (true, None) => {
            return Err(invalid(format!(
                "{period}的“{name}”应于 {due} 前报送，{} 已逾期：补报须说明理由",
                n.date
            )));
        }
        (false, Some(_)) => {
            return Err(invalid(format!(
                "{} 报送{period}的“{name}”未逾期（应于 {due} 前报送），不是补报，无须补报理由",
                n.date
            )));
        }
        _ => {}
    }
    if let Some(p) = rows
        .submissions_of(n.report, n.unit, start)?
        .into_iter()
        .find(|p| !matches!(p.review, Review::Returned { .. }))
    {
        return Err(invalid(format!(
            "单位“{}”已于 {} 报送{period}的“{name}”（{}，报送 #{}），不能重复报送；需要修改时由本办退回",
            unit.name,
            p.date,
            p.review.label_zh(),
            p.id
        )));
    }
    Ok(Submission {
        id: n.id,
        unit: n.unit.to_owned(),
        report: n.report.to_owned(),
        period_start: start,
        period,
        due,
        date: n.date,
        what: n.what.trim().to_owned(),
        late_reason: n.late_reason.map(|r| r.trim().to_owned()),
        evidence: Vec::new(),
        review: Review::Pending,
        author: cx.actor.to_owned(),
        created_at: cx.now.to_owned(),
    })
}

/// The office's 签收 (`reason: None`) or 退回修改 of the submission `id`, which awaits it.
fn review<R: Rows>(
    rows: &R,
    id: u64,
    date: NaiveDate,
    reason: Option<&String>,
    cx: &Context<'_>,
    audit: impl FnOnce(Option<serde_json::Value>, Option<serde_json::Value>) -> AuditEntry,
) -> Result<Change, R::Error> {
    use crate::reports::Review;
    let Some(mut sub) = rows.submission(id)? else {
        return Err(not_found("报送", id.to_string()));
    };
    if let Some(t) = rows.task(&sub.report)? {
        check_open(rows, &t.plan)?;
    }
    if sub.review != Review::Pending {
        return Err(invalid(format!(
            "报送 #{id} {}，不在待签收状态",
            sub.review.label_zh()
        )));
    }
    if date < sub.date {
        return Err(invalid(format!(
            "{}日期 {date} 早于报送日期 {}",
            if reason.is_some() { "退回" } else { "签收" },
            sub.date
        )));
    }
    let before = json(&sub);
    let by = cx.actor.to_owned();
    sub.review = match reason {
        Some(r) => Review::Returned {
            date,
            by,
            reason: r.trim().to_owned(),
        },
        None => Review::Accepted { date, by },
    };
    let a = audit(before, json(&sub));
    Ok(Change::one(Put::Submission(sub), a))
}

fn check_open<R: Rows>(rows: &R, plan: &str) -> Result<(), R::Error> {
    let Some(p) = rows.plan(plan)? else {
        return Ok(());
    };
    match rows.campaign(&p.campaign)? {
        Some(c) if c.archived => Err(invalid(format!(
            "活动“{}”已归档，只读：其任务和指标不能再修改（需要时先重新打开该活动）",
            c.name
        ))),
        _ => Ok(()),
    }
}

fn setting<R: Rows>(
    rows: &R,
    key: &str,
    value: Option<serde_json::Value>,
    audit: impl FnOnce(Option<serde_json::Value>, Option<serde_json::Value>, String) -> AuditEntry,
) -> Result<Change, R::Error> {
    let value = value.ok_or_else(|| invalid(format!("设置“{key}”无法保存")))?;
    let before = rows.setting(key)?;
    let a = audit(before, Some(value.clone()), format!("setting:{key}"));
    let put = Put::Setting {
        key: key.to_owned(),
        value,
    };
    Ok(Change::one(put, a))
}

fn import_campaign<R: Rows>(
    rows: &R,
    data: &CampaignData,
    audit: impl FnOnce(
        String,
        String,
        Option<serde_json::Value>,
        Option<serde_json::Value>,
    ) -> AuditEntry,
) -> Result<Change, R::Error> {
    if rows.campaign_exists(&data.campaign.id)? {
        return Err(invalid(format!("活动“{}”已导入", data.campaign.name)));
    }
    // A plan or target id is the desk's, across campaigns: another campaign's is never
    // overwritten.
    for p in &data.plans {
        if let Some(other) = rows.plan(&p.id)? {
            return Err(invalid(format!(
                "方案编号“{}”已由活动 {} 的“{}”使用，请改用其他编号",
                p.id, other.campaign, other.title
            )));
        }
    }
    if let Some(t) = data
        .targets
        .iter()
        .map(|t| rows.target_exists(&t.id).map(|e| (t, e)))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .find_map(|(t, e)| e.then_some(t))
    {
        return Err(invalid(format!("指标编号“{}”已被使用", t.id)));
    }
    let existing = directory::<R::Error>(rows.units()?)?;
    // Units already in the directory (by name or alias) keep their ids; the others get new
    // ones (a file's ids are its own: its "u0001" is not the directory's).
    let mut unit_rows = Vec::new();
    let mut remap: HashMap<String, String> = HashMap::new();
    let mut merged = existing.clone();
    for u in &data.units {
        match existing.resolve(&u.name) {
            Some(found) => {
                remap.insert(u.id.clone(), found.id.clone());
            }
            None => {
                let new_id = merged.resolve_or_add(&u.name, u.kind);
                let mut unit = u.clone();
                unit.id = new_id.clone();
                remap.insert(u.id.clone(), new_id);
                unit_rows.push(unit);
            }
        }
    }
    let tasks: Vec<Task> = data
        .tasks
        .iter()
        .map(|t| {
            let mut t = t.clone();
            for r in &mut t.roles {
                if let Some(id) = remap.get(&r.unit) {
                    r.unit.clone_from(id);
                }
            }
            t
        })
        .collect();
    let a = audit(
        format!(
            "导入活动“{}”：{} 个方案、{} 项任务、{} 项指标、{} 个新单位",
            data.campaign.name,
            data.plans.len(),
            tasks.len(),
            data.targets.len(),
            unit_rows.len()
        ),
        format!("campaign:{}", data.campaign.id),
        None,
        Some(serde_json::json!({
            "plans": data.plans.iter().map(|p| &p.id).collect::<Vec<_>>(),
            "tasks": tasks.len(),
            "targets": data.targets.len(),
            "units": unit_rows.len(),
        })),
    );
    // Targets keep their order within their plan.
    let mut order: HashMap<&str, u32> = HashMap::new();
    let targets: Vec<Put> = data
        .targets
        .iter()
        .map(|t| {
            let n = order.entry(t.plan.as_str()).or_default();
            *n += 1;
            Put::Target {
                order: *n - 1,
                target: t.clone(),
            }
        })
        .collect();
    let puts = std::iter::once(Put::Campaign(data.campaign.clone()))
        .chain(data.plans.iter().cloned().map(Put::Plan))
        .chain(tasks.into_iter().map(Put::Task))
        .chain(targets)
        .chain(unit_rows.into_iter().map(Put::Unit))
        .collect();
    Ok(Change::new(Vec::new(), puts, a))
}

/// Imports or replaces a sector plan: plan, tasks, targets, new units and the sector record.
/// A task of the old version that the new one drops is kept when it has progress entries
/// (nothing the users recorded is lost); the old version's targets are replaced.
fn import_sector_plan<R: Rows>(
    rows: &R,
    c: &SectorPlanImport,
    cx: &Context<'_>,
    mut audit: AuditEntry,
) -> Result<Change, R::Error> {
    if !rows.campaign_exists(&c.plan.campaign)? {
        return Err(not_found("活动", c.plan.campaign.as_str()));
    }
    if let Some(other) = rows.plan(&c.plan.id)?
        && other.sector.as_deref() != Some(c.sector.as_str())
    {
        return Err(invalid(format!(
            "方案编号“{}”已被“{}”使用",
            c.plan.id, other.title
        )));
    }
    let units = rows.units()?;
    let known: HashSet<String> = units.iter().map(|u| u.id.clone()).collect();
    let mut merged = units;
    for u in &c.new_units {
        if known.contains(&u.id) {
            return Err(invalid(format!("单位编号 {} 已存在", u.id)));
        }
        merged.push(u.clone());
    }
    directory::<R::Error>(merged)?;
    let new_ids: HashSet<&str> = c.new_units.iter().map(|u| u.id.as_str()).collect();
    for t in &c.tasks {
        for r in &t.roles {
            if !known.contains(&r.unit) && !new_ids.contains(r.unit.as_str()) {
                return Err(not_found("单位", r.unit.as_str()));
            }
        }
    }
    let before = rows.sector_record(&c.sector)?;
    let new_task_ids: HashSet<&str> = c.tasks.iter().map(|t| t.id.as_str()).collect();
    let mut removes = Vec::new();
    for t in rows.tasks()?.into_iter().filter(|t| t.plan == c.plan.id) {
        if !new_task_ids.contains(t.id.as_str()) && !rows.task_has_progress(&t.id)? {
            removes.push(Remove::Task(t.id));
        }
    }
    removes.extend(
        rows.targets_of_plan(&c.plan.id)?
            .into_iter()
            .map(Remove::Target),
    );
    // Units this sector's imports created, so that removing the plan can take them out.
    let mut created_units = before
        .as_ref()
        .map(|b| b.created_units.clone())
        .unwrap_or_default();
    for u in &c.new_units {
        if !created_units.contains(&u.id) {
            created_units.push(u.id.clone());
        }
    }
    let record = SectorRecord {
        sector: c.sector.clone(),
        plan: c.plan.id.clone(),
        plugin_version: c.plugin_version.clone(),
        plugin_sha256: c.plugin_sha256.clone(),
        imported_at: cx.now.to_owned(),
        created_units,
        hazards: c.hazards.clone(),
    };
    audit.target = format!("plan:{}", c.plan.id);
    audit.before = before.as_ref().and_then(json);
    audit.after = json(&record);
    let mut puts = vec![Put::Plan(c.plan.clone())];
    puts.extend(c.tasks.iter().cloned().map(Put::Task));
    puts.extend(c.targets.iter().enumerate().map(|(i, t)| Put::Target {
        order: i as u32,
        target: t.clone(),
    }));
    puts.extend(c.new_units.iter().cloned().map(Put::Unit));
    puts.push(Put::Sector(record));
    Ok(Change::new(removes, puts, audit))
}

/// Takes out the sector plan of `sector` (see [`Command::RemoveSectorPlan`]): its tasks
/// without progress entries or notices, its targets without hand-entered values, the sector
/// record, the units its imports created that nothing else uses, and the plan itself once
/// nothing of it is left. Ledger records and hand-entered values are kept.
fn remove_sector_plan<R: Rows>(
    rows: &R,
    sector: &str,
    mut audit: AuditEntry,
) -> Result<Change, R::Error> {
    let record = rows
        .sector_record(sector)?
        .ok_or_else(|| not_found("行业方案", sector))?;
    let plan = rows.plan(&record.plan)?;
    let title = plan
        .as_ref()
        .map_or_else(|| record.plan.clone(), |p| p.title.clone());
    let (of_plan, others): (Vec<Task>, Vec<Task>) = rows
        .tasks()?
        .into_iter()
        .partition(|t| t.plan == record.plan);
    // Tasks users worked on stay: with progress entries, or with an issued 督办通知书.
    let noticed = rows.noticed_tasks()?;
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for t in of_plan {
        if noticed.contains(&t.id) || rows.task_has_progress(&t.id)? {
            kept.push(t);
        } else {
            dropped.push(t);
        }
    }
    let measurements = rows.measurements()?;
    // Targets with hand-entered values stay (with them, their values stay visible).
    let (kept_targets, targets): (Vec<String>, Vec<String>) = rows
        .targets_of_plan(&record.plan)?
        .into_iter()
        .partition(|t| measurements.contains_key(t));
    // Units still in use: named by a remaining task, a hand-entered value, or changed by a
    // user (an audit record of their own) …
    let mut used: HashSet<String> = others
        .iter()
        .chain(&kept)
        .flat_map(|t| t.roles.iter().map(|r| r.unit.clone()))
        .collect();
    used.extend(
        measurements
            .values()
            .flatten()
            .filter_map(|m| m.town.clone()),
    );
    used.extend(rows.units_with_audit()?);
    // … or named in a ledger record (a unit picked in a form).
    let created: HashSet<&str> = record.created_units.iter().map(String::as_str).collect();
    if !created.is_empty() {
        used.extend(rows.units_named_in_records(&created)?);
    }
    let mut units = Vec::new();
    for id in &record.created_units {
        if !used.contains(id)
            && let Some(u) = rows.unit(id)?
        {
            units.push(u);
        }
    }
    let remove_plan = kept.is_empty() && kept_targets.is_empty();
    let records = rows.sector_record_count(sector)?;
    let mut summary = format!(
        "移除行业方案“{title}”（插件 {sector} {} 已不存在）：{} 项任务、{} 项指标、{} 个单位",
        record.plugin_version,
        dropped.len(),
        targets.len(),
        units.len()
    );
    if !kept.is_empty() {
        summary.push_str(&format!(
            "；保留有进展记录的任务 {} 项（{}）及其方案",
            kept.len(),
            kept.iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    if records > 0 {
        summary.push_str(&format!("；台账记录 {records} 条保留"));
    }
    if !kept_targets.is_empty() {
        summary.push_str(&format!(
            "；保留有手工录入值的指标 {} 项（{}）",
            kept_targets.len(),
            kept_targets.join("、")
        ));
    }
    if record.created_units.is_empty() {
        summary.push_str("；导入时新建的单位未记录，单位目录不变");
    }
    audit.summary = summary;
    audit.target = format!("plan:{}", record.plan);
    audit.before = Some(serde_json::json!({
        "sector": record,
        "plan": if remove_plan { plan.as_ref() } else { None },
        "tasks": dropped,
        "targets": targets,
        "units": units,
    }));
    audit.after = Some(serde_json::json!({
        "kept_tasks": kept.iter().map(|t| &t.id).collect::<Vec<_>>(),
        "kept_targets": kept_targets,
    }));
    let mut removes = Vec::new();
    if remove_plan {
        removes.push(Remove::Plan(record.plan.clone()));
    }
    removes.extend(dropped.into_iter().map(|t| Remove::Task(t.id)));
    removes.extend(targets.into_iter().map(Remove::Target));
    removes.extend(units.into_iter().map(|u| Remove::Unit(u.id)));
    removes.push(Remove::Sector(sector.to_owned()));
    Ok(Change::new(removes, Vec::new(), audit))
}

/// The units a ledger record's values name, among `candidates` (a text or choice value
/// equal to a unit id).
pub fn units_named_in(record: &FormRecord, candidates: &HashSet<&str>) -> Vec<String> {
    let mut out = Vec::new();
    for value in record.values.values() {
        let named: Vec<&str> = match value {
            Value::Text(t) => vec![t.as_str()],
            Value::Choices(c) => c.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        };
        out.extend(
            named
                .into_iter()
                .filter(|n| candidates.contains(n))
                .map(str::to_owned),
        );
    }
    out
}
