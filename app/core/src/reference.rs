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
    /// The unit ids and aliases of the directory, each with its unit's name: a stored
    /// value naming a unit by id or alias is in the directory too.
    pub known: BTreeMap<String, String>,
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
        let mut known = BTreeMap::new();
        for u in directory.units() {
            known.insert(u.id.clone(), u.name.clone());
            for a in &u.aliases {
                known.insert(a.clone(), u.name.clone());
            }
        }
        RefLists {
            units,
            towns,
            enterprises: Vec::new(),
            known,
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
/// kind whose text is not on its list (a unit named by its id or an alias counts as named).
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
        let typed = text.trim();
        if lists
            .known
            .get(typed)
            .is_some_and(|name| list.iter().any(|n| n == name))
        {
            continue;
        }
        out.extend(missing_reference(form, path, field, typed, list, list_name));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::form::FieldDef;
    use crate::unit::Unit;

    fn form() -> FormDef {
        FormDef {
            id: "coal/mines".into(),
            version: "1".into(),
            title: "煤矿".into(),
            fields: vec![
                FieldDef::new("town", FieldKind::TownRef, "所在镇(街道)"),
                FieldDef::new("unit", FieldKind::UnitRef, "监管单位"),
            ],
        }
    }

    fn lists() -> RefLists {
        let unit = |id: &str, name: &str, kind: UnitKind, aliases: &[&str]| Unit {
            alias_sources: Vec::new(),
            id: id.into(),
            name: name.into(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            kind,
        };
        RefLists::of(
            &UnitDirectory::new(vec![
                unit("u1", "越州镇", UnitKind::Local, &["越州"]),
                unit("u2", "各镇、街道", UnitKind::Local, &[]),
                unit("u3", "区应急管理局", UnitKind::Department, &["区应急局"]),
            ])
            .unwrap(),
        )
    }

    fn issues(values: &[(&str, &str)]) -> Vec<FieldIssue> {
        let values = values
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::Text((*v).to_owned())))
            .collect();
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        reference_issues(&form(), &values, &lists(), today)
    }

    #[test]
    fn towns_are_the_local_units_named_as_towns() {
        assert_eq!(lists().towns, ["越州镇"]);
        assert_eq!(lists().units.len(), 3);
    }

    #[test]
    fn a_name_id_or_alias_of_the_directory_passes_and_anything_else_is_named() {
        assert!(issues(&[("town", "越州镇"), ("unit", "区应急管理局")]).is_empty());
        assert!(issues(&[("town", "u1"), ("unit", "区应急局")]).is_empty());
        // A unit that is not a town is not a town.
        let wrong = issues(&[("town", "区应急管理局")]);
        assert_eq!(wrong.len(), 1);
        assert_eq!(
            wrong[0].message,
            "“所在镇(街道)”：镇(街道)名单中没有“区应急管理局”，请从列表中选择"
        );
        let missing = issues(&[("unit", "火星局")]);
        assert_eq!(missing[0].field, "unit");
        assert!(missing[0].message.contains("单位名录中没有“火星局”"));
    }
}
