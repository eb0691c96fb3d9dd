//! Size limits of what users (and plugins, through the desk) put into the store.
//!
//! Every command is checked against these in [`Command::validate`](crate::Command::validate)
//! before the store touches anything, and a ledger record's values are checked again when its
//! form is checked ([`crate::FormState::validate`]) — before any plugin sees them, so an
//! oversized value is refused as the user's input and never reaches (or is blamed on) a
//! sector plugin. Texts are measured in characters (字), a record in UTF-8 bytes.
//!
//! | what | limit |
//! | --- | --- |
//! | one text (or date) value of a ledger record | [`MAX_TEXT_VALUE_CHARS`] characters |
//! | one ledger record (field names and values together) | [`MAX_RECORD_BYTES`] bytes |
//! | values of one ledger record (repeat rows included) | [`MAX_RECORD_FIELDS`] |
//! | a field name (path) of a ledger record | [`MAX_FIELD_NAME_CHARS`] characters |
//! | choices picked in one field | [`MAX_CHOICES`], each [`MAX_NAME_CHARS`] characters |
//! | a progress entry's text | [`MAX_PROGRESS_TEXT_CHARS`] characters |
//! | evidence files of one progress entry | [`MAX_EVIDENCE_FILES`] |
//! | a unit name, an alias, the user name | [`MAX_NAME_CHARS`] characters |
//! | aliases of one unit | [`MAX_ALIASES`] |
//! | print settings, a notice's recipient, a measurement's source, ids | [`MAX_SHORT_TEXT_CHARS`] characters |
//! | a file path | [`MAX_PATH_CHARS`] characters |

use std::collections::BTreeMap;

use crate::record::Value;

/// Characters of one text (or date) value of a ledger record.
/// Records in one import (a larger file is imported in parts): bounds the memory of one
/// change.
pub const MAX_IMPORT_RECORDS: usize = 200_000;
pub const MAX_TEXT_VALUE_CHARS: usize = 10_000;
/// UTF-8 bytes of one ledger record: every field name and value together (numbers count
/// 16 bytes, flags 8).
pub const MAX_RECORD_BYTES: usize = 256 * 1024;
/// Values in one ledger record, repeat-group rows included.
pub const MAX_RECORD_FIELDS: usize = 2_000;
/// Characters of one field name (`group[3]/name`) of a ledger record.
pub const MAX_FIELD_NAME_CHARS: usize = 200;
/// Choices picked in one select field.
pub const MAX_CHOICES: usize = 200;
/// Characters of a progress entry's text.
pub const MAX_PROGRESS_TEXT_CHARS: usize = 20_000;
/// Evidence files of one progress entry (attached in one command, or kept after an edit).
pub const MAX_EVIDENCE_FILES: usize = 50;
/// Characters of a name: a unit's name, an alias, the user name, a picked choice.
pub const MAX_NAME_CHARS: usize = 100;
/// Aliases of one unit.
pub const MAX_ALIASES: usize = 50;
/// Characters of a short text: print settings, a notice's recipient, a measurement's
/// source, ids of tasks, units, forms, targets and sectors.
pub const MAX_SHORT_TEXT_CHARS: usize = 200;
/// Characters of a file path (evidence to attach, a saved notice).
pub const MAX_PATH_CHARS: usize = 4_096;

/// Something over one of the limits of this module. The message names what and the limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}{excess}：{actual} {unit}，上限 {limit} {unit}。请删减后再保存。")]
pub struct TooLarge {
    /// What is too large, for the user: "字段“煤矿名称”的内容", "进展内容".
    pub what: String,
    /// "太长", "太多" or "太大".
    pub excess: &'static str,
    pub actual: usize,
    pub limit: usize,
    /// "个字", "项", "字节".
    pub unit: &'static str,
    /// The record field it concerns (`name`, `group[2]/name`), when it is one field.
    pub field: Option<String>,
}

/// Checks that `text` has at most `limit` characters.
pub fn check_chars(what: &str, text: &str, limit: usize) -> Result<(), TooLarge> {
    // Bytes bound characters from above: most texts are decided without counting.
    if text.len() <= limit {
        return Ok(());
    }
    let actual = text.chars().count();
    if actual <= limit {
        return Ok(());
    }
    Err(TooLarge {
        what: what.to_owned(),
        excess: "太长",
        actual,
        limit,
        unit: "个字",
        field: None,
    })
}

/// Checks that there are at most `limit` of something.
pub fn check_count(what: &str, actual: usize, limit: usize) -> Result<(), TooLarge> {
    if actual <= limit {
        return Ok(());
    }
    Err(TooLarge {
        what: what.to_owned(),
        excess: "太多",
        actual,
        limit,
        unit: "项",
        field: None,
    })
}

/// Bytes a value counts toward [`MAX_RECORD_BYTES`].
fn value_bytes(v: &Value) -> usize {
    match v {
        Value::Text(s) | Value::Date(s) => s.len(),
        Value::Integer(_) | Value::Decimal(_) => 16,
        Value::Flag(_) => 8,
        Value::Choices(c) => c.iter().map(|s| s.len() + 2).sum(),
    }
}

/// Every limit a record's values break, each naming its field by `label` (the field's
/// label in the form; its path when the caller has no form). Empty when within limits.
pub fn record_limit_issues(
    values: &BTreeMap<String, Value>,
    label: impl Fn(&str) -> String,
) -> Vec<TooLarge> {
    let mut out = Vec::new();
    if let Err(e) = check_count("台账记录的字段值", values.len(), MAX_RECORD_FIELDS) {
        out.push(e);
    }
    let mut total = 0usize;
    for (name, v) in values {
        total = total
            .saturating_add(name.len())
            .saturating_add(value_bytes(v));
        let field = |mut e: TooLarge| {
            e.field = Some(name.clone());
            e
        };
        if let Err(e) = check_chars("字段名", name, MAX_FIELD_NAME_CHARS) {
            out.push(field(e));
            continue;
        }
        let what = format!("字段“{}”的内容", label(name));
        let result = match v {
            Value::Text(s) | Value::Date(s) => check_chars(&what, s, MAX_TEXT_VALUE_CHARS),
            Value::Choices(c) => check_count(
                &format!("字段“{}”所选的项", label(name)),
                c.len(),
                MAX_CHOICES,
            )
            .and_then(|()| {
                c.iter()
                    .try_for_each(|s| check_chars(&what, s, MAX_NAME_CHARS))
            }),
            Value::Integer(_) | Value::Decimal(_) | Value::Flag(_) => Ok(()),
        };
        if let Err(e) = result {
            out.push(field(e));
        }
    }
    if total > MAX_RECORD_BYTES {
        out.push(TooLarge {
            what: "整条台账记录".to_owned(),
            excess: "太大",
            actual: total,
            limit: MAX_RECORD_BYTES,
            unit: "字节",
            field: None,
        });
    }
    out
}

/// The first limit a record's values break (fields named by their paths).
pub fn check_record_values(values: &BTreeMap<String, Value>) -> Result<(), TooLarge> {
    match record_limit_issues(values, str::to_owned)
        .into_iter()
        .next()
    {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Bytes of an issued 督办通知书's PDF kept with it (a real one is 100–300 KB).
pub const MAX_NOTICE_PDF_BYTES: usize = 16 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_measured_in_characters() {
        let at_limit = "安".repeat(MAX_NAME_CHARS);
        assert!(check_chars("单位名称", &at_limit, MAX_NAME_CHARS).is_ok());
        let over = "安".repeat(MAX_NAME_CHARS + 1);
        let e = check_chars("单位名称", &over, MAX_NAME_CHARS).unwrap_err();
        assert_eq!(e.actual, MAX_NAME_CHARS + 1);
        let msg = e.to_string();
        assert!(msg.contains("单位名称太长"), "{msg}");
        assert!(
            msg.contains(&format!("上限 {MAX_NAME_CHARS} 个字")),
            "{msg}"
        );
    }

    #[test]
    fn record_limits_name_the_field() {
        let mut values = BTreeMap::new();
        values.insert("name".to_owned(), Value::Text("煤矿".to_owned()));
        assert!(check_record_values(&values).is_ok());
        values.insert(
            "remark".to_owned(),
            Value::Text("x".repeat(MAX_TEXT_VALUE_CHARS + 1)),
        );
        let issues = record_limit_issues(&values, |p| format!("备注({p})"));
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].field.as_deref(), Some("remark"));
        assert!(
            issues[0]
                .to_string()
                .contains("字段“备注(remark)”的内容太长")
        );
        // Many values each within its limit still make a record too large.
        let mut many = BTreeMap::new();
        for i in 0..40 {
            many.insert(format!("f{i}"), Value::Text("y".repeat(9_000)));
        }
        let e = check_record_values(&many).unwrap_err();
        assert!(e.to_string().contains("整条台账记录太大"), "{e}");
    }
}
