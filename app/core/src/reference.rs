//! References from ledger fields to the directory: a 单位 / 镇(街道) / 企业 field holds a
//! name that must be on its list. The window's editor and every other way of saving a
//! record (`anwei records add`) check them with the same rule and the same words.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::form::{FieldDef, FieldIssue, FieldKind, FormDef, FormState};
use crate::record::Value;
use crate::unit::{UnitDirectory, UnitKind};

/// The names reference fields are checked against. A name missing from a non-empty list is
/// an error; an empty list checks nothing (enterprises have no register yet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefLists {
    /// Every unit of the directory, sorted.
    pub units: Vec<String>,
    /// The towns: 属地 units named …镇/…街道/…乡 (not "各镇（街道）"), sorted.
    pub towns: Vec<String>,
    pub enterprises: Vec<String>,
}

impl RefLists {
    /// The lists of the unit directory.
    pub fn of(directory: &UnitDirectory) -> RefLists {
        let mut units: Vec<String> = directory.units().iter().map(|u| u.name.clone()).collect();
        units.sort();
        let mut towns: Vec<String> = directory
            .units()
            .iter()
            .filter(|u| {
                u.kind == UnitKind::Local
                    && !u.name.starts_with('各')
                    && (u.name.ends_with('镇')
                        || u.name.ends_with("街道")
                        || u.name.ends_with('乡'))
            })
            .map(|u| u.name.clone())
            .collect();
        towns.sort();
        towns.dedup();
        RefLists {
            units,
            towns,
            enterprises: Vec::new(),
        }
    }
}

/// The list a reference field of `kind` is checked against, and what the list is called.
pub fn lookup_list<'l>(
    kind: &FieldKind,
    units: &'l [String],
    towns: &'l [String],
    enterprises: &'l [String],
) -> Option<(&'l [String], &'static str)> {
    match kind {
        FieldKind::UnitRef => Some((units, "单位名录")),
        FieldKind::TownRef => Some((towns, "镇(街道)名单")),
        FieldKind::EnterpriseRef => Some((enterprises, "企业名单")),
        _ => None,
    }
}

/// "“隐患明细”第3行：" for a field inside repeat rows, "" at the top.
pub fn row_context(form: &FormDef, path: &str) -> String {
    let mut out = String::new();
    let mut fields = form.fields.as_slice();
    for seg in path.split('/') {
        let Some((name, idx)) = seg.strip_suffix(']').and_then(|s| s.split_once('[')) else {
            continue;
        };
        let (Some(group), Ok(i)) = (fields.iter().find(|f| f.name == name), idx.parse::<usize>())
        else {
            break;
        };
        out.push_str(&format!("“{}”第{}行", group.display_label(), i + 1));
        fields = group.children();
    }
    if out.is_empty() { out } else { out + "：" }
}

/// The error for `typed` (trimmed, not empty) at `path` of `field` when it is not on `list`
/// (a non-empty list called `list_name`).
pub fn missing_reference(
    form: &FormDef,
    path: &str,
    field: &FieldDef,
    typed: &str,
    list: &[String],
    list_name: &str,
) -> Option<FieldIssue> {
    if typed.is_empty() || list.is_empty() || list.iter().any(|n| n.trim() == typed) {
        return None;
    }
    Some(FieldIssue::error(
        path,
        format!(
            "{}“{}”：{list_name}中没有“{typed}”，请从列表中选择",
            row_context(form, path),
            field.display_label()
        ),
    ))
}

/// The reference errors of a record's values: every relevant input field of a reference
/// kind whose text is not on its list.
pub fn reference_issues(
    form: &FormDef,
    values: &BTreeMap<String, Value>,
    lists: &RefLists,
    today: NaiveDate,
) -> Vec<FieldIssue> {
    let fs = FormState::new(form, values, today);
    let mut out = Vec::new();
    for (path, value) in values {
        let Some(field) = form.field(path) else {
            continue;
        };
        let Some((list, list_name)) =
            lookup_list(&field.kind, &lists.units, &lists.towns, &lists.enterprises)
        else {
            continue;
        };
        let Value::Text(text) = value else {
            continue;
        };
        if !field.accepts_input() || !fs.is_relevant(path) {
            continue;
        }
        out.extend(missing_reference(
            form,
            path,
            field,
            text.trim(),
            list,
            list_name,
        ));
    }
    out
}
