//! `anwei records …` (ledger records of plugin forms) and `anwei targets list` (targets with
//! their computed or entered values and status).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anwei_core::form::{FieldKind, FormDef};
use anwei_core::{Command, FormRecord, Value};
use anwei_session::Session;
use anwei_session::records::has_errors;
use anwei_session::targets::ValueSource;
use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use serde::Serialize;
use serde_json::json;

use crate::cli::{json_zh, read_text, session, settle, store_error};

#[derive(Debug, Subcommand)]
pub enum RecordsCmd {
    /// 已启用插件的表单，每行一个“行业/表单”
    Forms {
        /// 只列该行业（插件编号，例如 coal-mining）
        #[arg(long, value_name = "行业")]
        sector: Option<String>,
    },
    /// 从 JSON 对象（字段名 → 值）新增一条记录；记录有错时以 JSON 列出各字段的错误并以非零状态退出（除非加 --draft，否则不保存）
    Add {
        /// 表单，写作“行业/表单”
        #[arg(long, value_name = "行业/表单")]
        form: String,
        /// 记录内容所在的 JSON 文件（UTF-8，可带 BOM）
        #[arg(long, value_name = "文件.json")]
        json: PathBuf,
        /// 有错也保存，存为草稿（草稿不计入指标）
        #[arg(long)]
        draft: bool,
    },
    /// 从 JSON Lines 文件（每行一个 JSON 对象：字段名 → 值）批量导入记录；每行按 records add 的规则检查，有错的行按行号列出，除非加 --skip-invalid，否则一条也不保存；全部记录作为一次改动保存，记入一条操作记录
    Import {
        /// 表单，写作“行业/表单”
        #[arg(long, value_name = "行业/表单")]
        form: String,
        /// JSON Lines 文件（UTF-8，可带 BOM；空行忽略）
        #[arg(value_name = "文件.jsonl")]
        file: PathBuf,
        /// 跳过有错的行，只导入无错的行
        #[arg(long)]
        skip_invalid: bool,
        /// 只检查，不保存
        #[arg(long)]
        dry_run: bool,
    },
    /// 列出一个表单的记录
    List {
        /// 表单，写作“行业/表单”
        #[arg(long, value_name = "行业/表单")]
        form: String,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 删除一条记录（可用 records restore 撤销；记录不会被抹掉，删除记入操作记录）
    Delete {
        /// 记录所属的表单，写作“行业/表单”
        #[arg(long, value_name = "行业/表单")]
        form: String,
        /// 记录编号（见 records list）
        #[arg(long, value_name = "编号")]
        id: u64,
    },
    /// 恢复一条已删除的记录
    Restore {
        /// 记录所属的表单，写作“行业/表单”
        #[arg(long, value_name = "行业/表单")]
        form: String,
        /// 记录编号（见 records list）
        #[arg(long, value_name = "编号")]
        id: u64,
    },
}

/// Exit code of `records add` for an invalid record.
pub const INVALID: u8 = 3;

pub(crate) fn form_of(defs: &[FormDef], id: &str) -> Result<FormDef> {
    defs.iter().find(|f| f.id == id).cloned().ok_or_else(|| {
        let known: Vec<&str> = defs.iter().map(|f| f.id.as_str()).collect();
        anyhow!("没有表单“{id}”（可用：{}）", known.join("、"))
    })
}

/// Record `id` as the store found it, when it is one of `form`'s; else the message naming
/// both, with where to look.
pub(crate) fn record_of(found: Option<FormRecord>, form: &str, id: u64) -> Result<FormRecord> {
    found.filter(|r| r.form == form).ok_or_else(|| {
        anyhow!(
            "表单“{form}”没有编号为 {id} 的记录（可用 `anwei records list --form {form}` 查看）"
        )
    })
}

/// A JSON value for field `path` of `form` → the record's value, parsed as if typed.
fn json_value(form: &FormDef, path: &str, v: &serde_json::Value) -> Result<Option<Value>, String> {
    let field = form
        .field(path)
        .ok_or_else(|| format!("表单“{}”没有字段“{path}”", form.title))?;
    let text = match v {
        serde_json::Value::Null => return Ok(None),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Bool(b) => {
            if field.kind == FieldKind::YesNo {
                return Ok(Some(Value::Flag(*b)));
            }
            b.to_string()
        }
        serde_json::Value::Array(items) if field.kind == FieldKind::SelectMany => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| i.to_string())
            })
            .collect::<Vec<_>>()
            .join(" "),
        other => {
            return Err(format!(
                "“{}”的值应为文字、数字或是否，给的是 {other}",
                field.display_label()
            ));
        }
    };
    field.parse_input(&text)
}

/// The record's values from a JSON object; repeat groups are arrays of objects.
pub(crate) fn values_from_json(
    form: &FormDef,
    object: &serde_json::Map<String, serde_json::Value>,
    prefix: &str,
    values: &mut BTreeMap<String, Value>,
    errors: &mut Vec<serde_json::Value>,
) {
    for (name, v) in object {
        let path = format!("{prefix}{name}");
        if let serde_json::Value::Array(rows) = v
            && form
                .field(&path)
                .is_some_and(|f| matches!(f.kind, FieldKind::Repeat { .. }))
        {
            for (i, row) in rows.iter().enumerate() {
                match row.as_object() {
                    Some(obj) => {
                        values_from_json(form, obj, &format!("{path}[{i}]/"), values, errors)
                    }
                    None => errors
                        .push(json!({"field": format!("{path}[{i}]"), "severity": "error",
                        "message": "重复组的每一行应为一个对象"})),
                }
            }
            continue;
        }
        match json_value(form, &path, v) {
            Ok(Some(value)) => {
                values.insert(path, value);
            }
            Ok(None) => {}
            Err(message) => {
                errors.push(json!({"field": path, "severity": "error", "message": message}))
            }
        }
    }
}

/// A record as `records list --json` writes it, straight from the record (no JSON tree built
/// in between): keys in the order a JSON object of them sorts to.
#[derive(serde::Serialize)]
struct RecordJson<'a> {
    author: &'a str,
    deleted: bool,
    draft: bool,
    form: &'a str,
    form_version: &'a str,
    id: u64,
    updated_at: &'a str,
    values: ValuesJson<'a>,
}

/// A record's values: field name → `{"display": …, "value": …}`.
struct ValuesJson<'a> {
    form: Option<&'a FormDef>,
    values: &'a BTreeMap<String, Value>,
}

#[derive(serde::Serialize)]
struct ShownJson<'a> {
    display: String,
    value: &'a Value,
}

impl serde::Serialize for ValuesJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.values.len()))?;
        for (k, v) in self.values {
            let display = self
                .form
                .and_then(|f| f.field(k))
                .map_or_else(|| format!("{v:?}"), |f| f.display_value(v));
            map.serialize_entry(k, &ShownJson { display, value: v })?;
        }
        map.end()
    }
}

fn record_json<'a>(form: Option<&'a FormDef>, r: &'a FormRecord) -> RecordJson<'a> {
    RecordJson {
        author: &r.author,
        deleted: r.deleted,
        draft: r.draft,
        form: &r.form,
        form_version: &r.form_version,
        id: r.id,
        updated_at: &r.updated_at,
        values: ValuesJson {
            form,
            values: &r.values,
        },
    }
}

/// Runs `records …`; returns the process exit code.
pub fn run_records(
    dir: &Path,
    cmd: RecordsCmd,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<u8> {
    let mut session = session(dir)?;
    // Deleting or restoring a record needs no plugin (its plugin may be the problem).
    match &cmd {
        RecordsCmd::Delete { form, id } => {
            return set_deleted(&session, dir, form, *id, true, out);
        }
        RecordsCmd::Restore { form, id } => {
            return set_deleted(&session, dir, form, *id, false, out);
        }
        _ => {}
    }
    session
        .start_plugins()
        .map_err(|e| anyhow!("插件未启动：{e}"))?;
    settle(&session);
    let store = session.store();
    let (defs, problems) = session.forms();
    for p in problems {
        eprintln!("注意：{p}");
    }
    match cmd {
        RecordsCmd::Forms { sector } => {
            for f in defs.iter().filter(|f| {
                sector
                    .as_deref()
                    .is_none_or(|s| f.id.starts_with(&format!("{s}/")))
            }) {
                writeln!(out, "{}", f.id)?;
            }
            Ok(0)
        }
        RecordsCmd::Add { form, json, draft } => {
            let def = form_of(&defs, &form)?;
            let text = read_text(&json, "记录的 JSON 文件")?;
            let parsed: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| anyhow!("{} 不是有效的 JSON：{}", json.display(), json_zh(&e)))?;
            let Some(object) = parsed.as_object() else {
                bail!("{} 应是一个对象（字段名 → 值）", json.display());
            };
            let mut values = BTreeMap::new();
            let mut errors = Vec::new();
            values_from_json(&def, object, "", &mut values, &mut errors);
            values.extend(anwei_core::form::calculate(&def, &values, today));
            // The window's check: the core's rules, the directory's lists, the plugin's.
            let checked = session.check_record(&def, &values, today);
            // A plugin fault (and an automatic disable) goes into the audit trail, whether
            // or not the check succeeded.
            settle(&session);
            let issues = checked.map_err(|e| match e {
                anwei_session::SessionError::Store(e) => anyhow!("未保存：{}", store_error(dir, e)),
                e => anyhow!("插件检查失败，未保存：{e}"),
            })?;
            for i in &issues {
                errors
                    .push(json!({"field": i.field, "severity": i.severity, "message": i.message}));
            }
            let invalid = errors.iter().any(|e| e["severity"] == "error") || has_errors(&issues);
            if invalid && !draft {
                serde_json::to_writer_pretty(&mut *out, &errors)?;
                writeln!(out)?;
                return Ok(INVALID);
            }
            let applied = session
                .apply(&Command::AddRecord {
                    form: def.id.clone(),
                    form_version: def.version.clone(),
                    values,
                    draft: invalid,
                })
                .map_err(|e| anyhow!("未保存：{}", store_error(dir, e)))?;
            let id = applied.record.map(|r| r.id).unwrap_or_default();
            if invalid {
                writeln!(out, "已保存为草稿 #{id}（有错误，不计入指标）")?;
                serde_json::to_writer_pretty(&mut *out, &errors)?;
                writeln!(out)?;
            } else {
                writeln!(out, "已保存台账记录 #{id}")?;
            }
            Ok(0)
        }
        RecordsCmd::Delete { form, id } => set_deleted(&session, dir, &form, id, true, out),
        RecordsCmd::Restore { form, id } => set_deleted(&session, dir, &form, id, false, out),
        RecordsCmd::Import {
            form,
            file,
            skip_invalid,
            dry_run,
        } => {
            let def = form_of(&defs, &form)?;
            crate::records_import::run_import(
                &session,
                dir,
                &def,
                &file,
                crate::records_import::Options {
                    skip_invalid,
                    dry_run,
                    today,
                },
                out,
            )
        }
        RecordsCmd::List { form, json } => {
            let def = defs.iter().find(|f| f.id == form);
            let reader = store.record_reader();
            if def.is_none() && reader.for_each(&form, Some(&[]), |_| {})? == 0 {
                form_of(&defs, &form)?;
            }
            // Records are read and written one at a time (a register of 100 000 is never
            // in memory), through one buffer.
            let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
            let mut failed: Option<std::io::Error> = None;
            let mut keep = |r: std::io::Result<()>| {
                if let Err(e) = r
                    && failed.is_none()
                {
                    failed = Some(e);
                }
            };
            if json {
                keep(w.write_all(b"["));
                let mut first = true;
                reader.for_each(&form, None, |r| {
                    let sep: &[u8] = if first { b"\n" } else { b",\n" };
                    first = false;
                    keep(w.write_all(sep));
                    keep(serde_json::to_writer(&mut w, &record_json(def, &r)).map_err(Into::into));
                })?;
                keep(w.write_all(b"\n]\n"));
            } else {
                let n = reader.for_each(&form, None, |r| {
                    let state = if r.deleted {
                        "已删除"
                    } else if r.draft {
                        "草稿"
                    } else {
                        "有效"
                    };
                    let summary: Vec<String> = r
                        .values
                        .iter()
                        .take(4)
                        .map(|(k, v)| {
                            def.and_then(|f| f.field(k)).map_or_else(
                                || format!("{k}={v:?}"),
                                |f| format!("{}={}", f.display_label(), f.display_value(v)),
                            )
                        })
                        .collect();
                    keep(writeln!(w, "#{}\t{state}\t{}", r.id, summary.join("  ")));
                })?;
                keep(writeln!(w, "共 {n} 条"));
            }
            keep(w.flush());
            if let Some(e) = failed {
                return Err(e.into());
            }
            Ok(0)
        }
    }
}

/// `records delete` / `records restore`: a soft delete (or its undo) of record `id` of
/// `form`, through the same commands as the window (audited; nothing is erased). Needs no
/// plugin: a record that breaks its plugin's computation can be removed.
fn set_deleted(
    session: &Session,
    dir: &Path,
    form: &str,
    id: u64,
    delete: bool,
    out: &mut impl Write,
) -> Result<u8> {
    let found = session
        .store()
        .record(id)
        .map_err(|e| store_error(dir, e))?;
    let record = record_of(found, form, id)?;
    if record.deleted == delete {
        writeln!(
            out,
            "记录 #{id} {}，未做改动",
            if delete {
                "已经是删除状态"
            } else {
                "没有被删除"
            }
        )?;
        return Ok(0);
    }
    let cmd = if delete {
        Command::DeleteRecord { id }
    } else {
        Command::RestoreRecord { id }
    };
    let applied = session
        .apply(&cmd)
        .map_err(|e| anyhow!("未保存：{}", store_error(dir, e)))?;
    writeln!(out, "已{}", applied.summary)?;
    if delete {
        writeln!(
            out,
            "如需撤销：anwei records restore --form {form} --id {id}"
        )?;
    }
    Ok(0)
}

#[derive(Serialize)]
struct TargetOut {
    id: String,
    sector: String,
    name: String,
    unit: String,
    comparator: String,
    /// Every checkpoint in the source's words ("2022: ≤8处").
    requirement: String,
    checkpoints: Vec<serde_json::Value>,
    baseline: Option<serde_json::Value>,
    current: Option<serde_json::Value>,
    status: String,
    status_label: String,
    /// Why the target does not apply, when marked 不适用.
    #[serde(skip_serializing_if = "Option::is_none")]
    not_applicable: Option<String>,
    towns: Vec<serde_json::Value>,
}

/// `targets list`: every target of the enabled plugins' sector plans, evaluated as of `today`.
pub fn run_targets(
    dir: &Path,
    sector: Option<String>,
    json: bool,
    today: NaiveDate,
    campaign: Option<&str>,
    out: &mut impl Write,
) -> Result<u8> {
    let mut session = session(dir)?;
    session
        .start_plugins()
        .map_err(|e| anyhow!("插件未启动：{e}"))?;
    settle(&session);
    // The campaign's plans (`--campaign`, else the current one).
    let Some(scope) = session.store().campaign_scope(campaign, today)? else {
        bail!("数据目录中还没有活动；先运行 `anwei init --demo` 载入示例活动");
    };
    let plans = scope.plans;
    if let Some(s) = sector.as_deref()
        && !plans
            .iter()
            .any(|p| p.sector.as_deref() == Some(s) || (p.sector.is_none() && p.id == s))
    {
        let mut known: Vec<&str> = plans.iter().filter_map(|p| p.sector.as_deref()).collect();
        known.sort_unstable();
        known.dedup();
        let topics: Vec<&str> = plans
            .iter()
            .filter(|p| p.kind == anwei_core::PlanKind::Topic)
            .map(|p| p.id.as_str())
            .collect();
        bail!(
            "没有行业“{s}”的方案。已有的行业：{}{}",
            if known.is_empty() {
                "（无）".to_owned()
            } else {
                known.join("、")
            },
            if topics.is_empty() {
                String::new()
            } else {
                format!("；专题：{}", topics.join("、"))
            }
        );
    }
    // A 专题's targets go by their plan's id.
    let sector_of = |plan: &str| {
        plans
            .iter()
            .find(|p| p.id == plan)
            .and_then(|p| p.sector.clone())
            .unwrap_or_else(|| plan.to_owned())
    };
    let (rows, problems) = session
        .target_rows(Some(&scope.campaign.id), sector.as_deref(), today)
        .map_err(|e| anyhow!("{e}"))?;
    for p in problems {
        eprintln!("注意：{p}");
    }
    let list: Vec<TargetOut> = rows
        .iter()
        .map(|r| {
            let t = &r.target;
            TargetOut {
                id: t.id.clone(),
                sector: sector_of(&t.plan),
                name: t.name.clone(),
                unit: t.unit.clone(),
                comparator: t.comparator.label_zh().to_owned(),
                requirement: t.checkpoints_text(),
                checkpoints: t
                    .checkpoints
                    .iter()
                    .map(|c| json!({"year": c.year, "value": c.value, "due": c.due}))
                    .collect(),
                baseline: t
                    .baseline
                    .as_ref()
                    .map(|b| json!({"year": b.year, "value": b.value})),
                current: r.evaluation.current.as_ref().map(|c| {
                    json!({
                        "value": c.value,
                        "date": c.date,
                        "source": match r.source {
                            ValueSource::Computed => "computed",
                            ValueSource::Progress => "progress",
                            ValueSource::Entered => "entered",
                            ValueSource::None => "none",
                        },
                    })
                }),
                status: r.status.key().to_owned(),
                status_label: r.status.label_zh().to_owned(),
                not_applicable: r.not_applicable.clone(),
                towns: r
                    .towns
                    .iter()
                    .map(|(town, e)| {
                        json!({
                            "town": town,
                            "value": e.current.as_ref().map(|c| c.value),
                            "status": e.status.key(),
                            "status_label": e.status.label_zh(),
                        })
                    })
                    .collect(),
            }
        })
        .collect();
    if json {
        serde_json::to_writer_pretty(&mut *out, &list)?;
        writeln!(out)?;
    } else {
        for t in &list {
            let current = t
                .current
                .as_ref()
                .and_then(|c| c["value"].as_f64())
                .map_or_else(|| "—".to_owned(), |v| format!("{v}"));
            let status = match &t.not_applicable {
                Some(reason) => format!("{}（{reason}）", t.status_label),
                None => t.status_label.clone(),
            };
            writeln!(
                out,
                "{}\t{}（{}）\t{}\t当前 {current}\t{status}",
                t.sector, t.name, t.unit, t.requirement
            )?;
        }
    }
    Ok(0)
}

/// `targets periods`: each period of a recurring duty with its due date and how it stands
/// today, from the progress entries of its task, its hand-entered values, or its plugin's
/// count of the last whole period.
pub fn run_duty_periods(
    dir: &Path,
    id: &str,
    json: bool,
    today: NaiveDate,
    out: &mut impl Write,
) -> Result<u8> {
    let mut session = session(dir)?;
    session
        .start_plugins()
        .map_err(|e| anyhow!("插件未启动：{e}"))?;
    settle(&session);
    let store = session.store();
    let Some(target) = store.targets()?.into_iter().find(|t| t.id == id) else {
        bail!("没有指标“{id}”；用 `anwei targets list --json` 查看指标编号");
    };
    let Some(period) = target.source.period else {
        bail!(
            "指标“{}”不是周期性工作（没有每月、每季度、每年等周期）",
            target.name
        );
    };
    // The periods of the target's own campaign.
    let own = store.plan(&target.plan)?.map(|p| p.campaign);
    let Some(campaign) = store
        .campaigns()?
        .into_iter()
        .find(|c| Some(&c.id) == own.as_ref())
    else {
        bail!("指标“{}”所属的方案不在任何活动中", target.name);
    };
    let entries = match &target.progress_of {
        Some(task) => store.progress_of(task)?,
        None => Vec::new(),
    };
    let dates: Vec<NaiveDate> = entries.iter().map(|e| e.date).collect();
    let recorded: Vec<NaiveDate> = entries.iter().map(|e| e.recorded_on()).collect();
    let computed = if target.computed_from.is_some() {
        let (rows, problems) = session
            .target_rows(Some(&campaign.id), None, today)
            .map_err(|e| anyhow!("{e}"))?;
        for p in problems {
            eprintln!("注意：{p}");
        }
        rows.into_iter()
            .find(|r| r.target.id == id && r.source == ValueSource::Computed)
            .and_then(|r| r.evaluation.current.map(|c| c.value))
    } else {
        None
    };
    let evidence = if target.progress_of.is_some() {
        anwei_core::DutyEvidence::Entries {
            dates: &dates,
            recorded: &recorded,
        }
    } else if target.computed_from.is_some() {
        anwei_core::DutyEvidence::Computed(computed)
    } else {
        anwei_core::DutyEvidence::Entered
    };
    let periods = target.duty_periods(campaign.start, campaign.end, evidence, today);
    if json {
        let list: Vec<serde_json::Value> = periods
            .iter()
            .map(|p| {
                json!({
                    "start": p.start, "due": p.due, "required": p.required, "done": p.done,
                    "state": p.state.key(), "state_label": p.state.label_zh(),
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &list)?;
        writeln!(out)?;
        return Ok(0);
    }
    let source = if target.progress_of.is_some() {
        "按所属任务的进展记录计（记录日期在截止日之后的为补报）"
    } else if target.computed_from.is_some() {
        "由台账计算：只知道最近一个完整周期"
    } else {
        "按人工填报的各期数值"
    };
    writeln!(out, "{}（{}，{source}）", target.name, period.label_zh())?;
    let figure = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), anwei_core::target::figure);
    for p in &periods {
        writeln!(
            out,
            "{} 至 {}\t截止 {}\t要求 {}\t完成 {}\t{}",
            p.start,
            p.due,
            p.due,
            figure(p.required),
            figure(p.done),
            p.state.label_zh()
        )?;
    }
    writeln!(out, "共 {} 期", periods.len())?;
    Ok(0)
}
