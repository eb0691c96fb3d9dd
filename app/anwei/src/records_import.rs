//! `anwei records import --form S/F FILE.jsonl`: the bulk path for ledger records. Each line
//! is one JSON object (field name → value) checked as `records add` checks one record; the
//! valid ones are saved as one change ([`Command::ImportRecords`]) with one audit record.
//! Bounded: the file's size ([`MAX_IMPORT_FILE_BYTES`]), the number of records
//! ([`limits::MAX_IMPORT_RECORDS`]), and the error lines listed.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::Path;

use anwei_core::form::FormDef;
use anwei_core::{Command, RecordRow, Value, limits};
use anwei_session::Session;
use anwei_session::records::has_errors;
use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;

use crate::cli::{io_zh, json_zh, settle, store_error};
use crate::records_cli::{INVALID, values_from_json};

/// The largest file `records import` reads (a larger register is imported in parts).
pub const MAX_IMPORT_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// How many invalid lines are listed one by one (the rest are counted).
const MAX_LISTED_ERRORS: usize = 200;
/// Lines read, then checked side by side, at a time.
const CHECK_CHUNK: usize = 4096;

/// One line checked: its values, or what is wrong with it.
type Checked = std::result::Result<BTreeMap<String, Value>, Vec<String>>;

pub struct Options {
    pub skip_invalid: bool,
    pub dry_run: bool,
    pub today: NaiveDate,
}

/// One invalid line: its number and what is wrong.
struct Invalid {
    line: usize,
    messages: Vec<String>,
}

pub fn run_import(
    session: &Session,
    dir: &Path,
    def: &FormDef,
    path: &Path,
    opts: Options,
    out: &mut impl Write,
) -> Result<u8> {
    let file = File::open(path)
        .map_err(|e| anyhow!("无法读取导入文件“{}”：{}", path.display(), io_zh(&e)))?;
    let size = file
        .metadata()
        .map_err(|e| anyhow!("无法读取导入文件“{}”：{}", path.display(), io_zh(&e)))?
        .len();
    if size > MAX_IMPORT_FILE_BYTES {
        bail!(
            "导入文件“{}”有 {} MB，超过上限 {} MB；请分成几个文件导入",
            path.display(),
            size >> 20,
            MAX_IMPORT_FILE_BYTES >> 20
        );
    }
    let refs = session.ref_lists().map_err(|e| store_error(dir, e))?;
    let progress = std::io::stderr().is_terminal();
    let mut reader = BufReader::with_capacity(1 << 16, file.take(MAX_IMPORT_FILE_BYTES));
    let mut rows: Vec<RecordRow> = Vec::new();
    let mut invalid: Vec<Invalid> = Vec::new();
    let mut invalid_count = 0usize;
    let mut line = Vec::new();
    let mut number = 0usize;
    // Lines are checked a chunk at a time, the chunk shared out among the cores (each line's
    // check is independent), and taken in file order.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let mut chunk: Vec<(usize, String)> = Vec::with_capacity(CHECK_CHUNK);
    let mut done = false;
    while !done {
        chunk.clear();
        while chunk.len() < CHECK_CHUNK {
            line.clear();
            let n = reader
                .read_until(b'\n', &mut line)
                .map_err(|e| anyhow!("读取导入文件“{}”出错：{}", path.display(), io_zh(&e)))?;
            if n == 0 {
                done = true;
                break;
            }
            number += 1;
            let mut text = std::str::from_utf8(&line).map_err(|_| {
                anyhow!(
                    "导入文件“{}”第 {number} 行不是 UTF-8 编码的文字，请用 UTF-8 编码另存后重试",
                    path.display()
                )
            })?;
            if number == 1 {
                text = text.strip_prefix('\u{feff}').unwrap_or(text);
            }
            if text.trim().is_empty() {
                continue;
            }
            if rows.len() + invalid_count + chunk.len() >= limits::MAX_IMPORT_RECORDS {
                bail!(
                    "导入文件“{}”的记录超过 {} 条；请分成几个文件导入",
                    path.display(),
                    limits::MAX_IMPORT_RECORDS
                );
            }
            chunk.push((number, text.to_owned()));
        }
        let part = chunk.len().div_ceil(threads).max(1);
        let checked: Vec<Result<Vec<Checked>>> = std::thread::scope(|s| {
            let handles: Vec<_> = chunk
                .chunks(part)
                .map(|lines| {
                    let refs = &refs;
                    s.spawn(move || {
                        lines
                            .iter()
                            .map(|(_, text)| check_line(session, def, text, refs, opts.today))
                            .collect::<Result<Vec<Checked>>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(anyhow!("检查导入记录的线程意外退出，未导入")))
                })
                .collect()
        });
        let mut numbers = chunk.iter().map(|(n, _)| *n);
        for part in checked {
            for result in part? {
                let line_number = numbers.next().unwrap_or(number);
                match result {
                    Ok(values) => rows.push(RecordRow {
                        values,
                        draft: false,
                    }),
                    Err(messages) => {
                        invalid_count += 1;
                        if invalid.len() < MAX_LISTED_ERRORS {
                            invalid.push(Invalid {
                                line: line_number,
                                messages,
                            });
                        }
                    }
                }
            }
        }
        if progress && number >= 10_000 {
            eprint!("\r已检查 {number} 行…");
        }
    }
    if progress && number >= 10_000 {
        eprintln!();
    }
    // Plugin faults met while checking go into the audit trail.
    settle(session);
    for i in &invalid {
        writeln!(out, "第 {} 行：{}", i.line, i.messages.join("；"))?;
    }
    if invalid_count > invalid.len() {
        writeln!(out, "……另有 {} 行有错未列出", invalid_count - invalid.len())?;
    }
    if invalid_count > 0 && !opts.skip_invalid {
        writeln!(
            out,
            "{invalid_count} 行有错，未导入任何记录（改正后重试，或加 --skip-invalid 只导入无错的 {} 行）",
            rows.len()
        )?;
        return Ok(INVALID);
    }
    if rows.is_empty() {
        writeln!(out, "没有可导入的记录")?;
        return Ok(if invalid_count > 0 { INVALID } else { 0 });
    }
    let skipped = if invalid_count > 0 {
        format!("，跳过有错的 {invalid_count} 行")
    } else {
        String::new()
    };
    if opts.dry_run {
        writeln!(
            out,
            "检查完毕：可导入 {} 条记录{skipped}（未保存）",
            rows.len()
        )?;
        return Ok(0);
    }
    let count = rows.len();
    let source = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let applied = session
        .apply_owned(Command::ImportRecords {
            form: def.id.clone(),
            form_version: def.version.clone(),
            rows,
            source,
        })
        .map_err(|e| anyhow!("未保存：{}", store_error(dir, e)))?;
    writeln!(
        out,
        "已导入 {count} 条记录到“{}”{skipped}（操作记录 #{}）",
        def.title, applied.audit_id
    )?;
    Ok(0)
}

/// One line's record, or what is wrong with it (each message names the field).
fn check_line(
    session: &Session,
    def: &FormDef,
    text: &str,
    refs: &anwei_core::reference::RefLists,
    today: NaiveDate,
) -> Result<Checked> {
    let parsed: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return Ok(Err(vec![format!("不是有效的 JSON：{}", json_zh(&e))])),
    };
    let Some(object) = parsed.as_object() else {
        return Ok(Err(vec!["应是一个 JSON 对象（字段名 → 值）".to_owned()]));
    };
    let mut values = BTreeMap::new();
    let mut errors = Vec::new();
    values_from_json(def, object, "", &mut values, &mut errors);
    values.extend(anwei_core::form::calculate(def, &values, today));
    let issues = session
        .check_record_with(def, &values, today, refs)
        .map_err(|e| anyhow!("插件检查失败，未导入：{e}"))?;
    let mut messages: Vec<String> = errors
        .iter()
        .map(|e| {
            format!(
                "字段“{}”：{}",
                e["field"].as_str().unwrap_or_default(),
                e["message"].as_str().unwrap_or_default()
            )
        })
        .collect();
    if has_errors(&issues) || !messages.is_empty() {
        messages.extend(
            issues
                .iter()
                .filter(|i| i.severity == anwei_core::form::Severity::Error)
                .map(|i| {
                    let label = def
                        .field(&i.field)
                        .map_or_else(|| i.field.clone(), |f| f.display_label().to_owned());
                    format!("字段“{label}”：{}", i.message)
                }),
        );
        return Ok(Err(messages));
    }
    Ok(Ok(values))
}
