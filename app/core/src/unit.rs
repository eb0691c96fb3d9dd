//! The unit directory: one canonical name per unit plus its aliases. Tasks refer to units by
//! id, so a rename changes the unit everywhere.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// What kind of body a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// 党委部门 (区委宣传部, 区委组织部…)
    Party,
    /// 政府部门 (区应急管理局, 市安监局…)
    #[default]
    Department,
    /// 属地政府 (镇、街道, 各县（区）政府…)
    Local,
    /// 垂管、驻区单位、群团、协会、司法机关…
    Agency,
    /// 议事协调机构的办公室 (区安委办, 市考核办…)
    Office,
}

impl UnitKind {
    pub const ALL: [UnitKind; 5] = [
        UnitKind::Party,
        UnitKind::Department,
        UnitKind::Local,
        UnitKind::Agency,
        UnitKind::Office,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            UnitKind::Party => "党委部门",
            UnitKind::Department => "政府部门",
            UnitKind::Local => "属地政府",
            UnitKind::Agency => "其他单位",
            UnitKind::Office => "办公室",
        }
    }
}

/// A unit (单位) of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Stable id, e.g. "u0007". Never shown as the unit's name.
    pub id: String,
    /// Canonical name.
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub kind: UnitKind,
}

/// Normalises a unit name for matching: drops whitespace and trailing "、", maps full-width
/// brackets to half-width. "各县（区）政府" and "各县(区)政府" match.
pub fn normalize_unit_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            other => other,
        })
        .collect::<String>()
        .trim_matches(['、', ',', '，', ';', '；'])
        .to_owned()
}

/// Alias resolution over a set of units.
#[derive(Debug, Clone, Default)]
pub struct UnitDirectory {
    units: Vec<Unit>,
    by_name: HashMap<String, usize>,
    /// Highest number of an id of the form `u<number>` (0: none), kept up to date so that
    /// adding a unit does not scan every unit (a plan with thousands of new names).
    max_number: u32,
}

/// The number of an id of the form `u<number>`.
fn id_number(id: &str) -> Option<u32> {
    id.strip_prefix('u')?.parse::<u32>().ok()
}

/// A name that two different units both claim.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("名称“{name}”同时属于“{first}”和“{second}”")]
pub struct AliasConflict {
    pub name: String,
    pub first: String,
    pub second: String,
}

impl UnitDirectory {
    /// Builds a directory; fails if one name or alias belongs to two units.
    pub fn new(units: Vec<Unit>) -> Result<Self, AliasConflict> {
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (i, unit) in units.iter().enumerate() {
            for name in std::iter::once(&unit.name).chain(unit.aliases.iter()) {
                let key = normalize_unit_name(name);
                if key.is_empty() {
                    continue;
                }
                match by_name.get(&key) {
                    Some(&j) if j != i => {
                        return Err(AliasConflict {
                            name: name.clone(),
                            first: units[j].name.clone(),
                            second: unit.name.clone(),
                        });
                    }
                    _ => {
                        by_name.insert(key, i);
                    }
                }
            }
        }
        let max_number = units
            .iter()
            .filter_map(|u| id_number(&u.id))
            .max()
            .unwrap_or(0);
        Ok(UnitDirectory {
            units,
            by_name,
            max_number,
        })
    }

    /// The unit a name or alias refers to.
    pub fn resolve(&self, name: &str) -> Option<&Unit> {
        self.by_name
            .get(&normalize_unit_name(name))
            .map(|&i| &self.units[i])
    }

    pub fn get(&self, id: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.id == id)
    }

    /// Display name of a unit id; the id itself if the unit is unknown.
    pub fn name_of<'a>(&'a self, id: &'a str) -> &'a str {
        self.get(id).map_or(id, |u| u.name.as_str())
    }

    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    pub fn into_units(self) -> Vec<Unit> {
        self.units
    }

    /// Resolves `name`, or adds a new unit for it (with a fresh id) and returns its id.
    pub fn resolve_or_add(&mut self, name: &str, kind: UnitKind) -> String {
        if let Some(u) = self.resolve(name) {
            return u.id.clone();
        }
        let number = self.next_number();
        self.max_number = number;
        let id = format!("u{number:04}");
        let name = normalize_display(name);
        self.by_name
            .insert(normalize_unit_name(&name), self.units.len());
        self.units.push(Unit {
            id: id.clone(),
            name,
            aliases: Vec::new(),
            kind,
        });
        id
    }

    /// The number of the next new unit id: one more than the highest (constant time).
    fn next_number(&self) -> u32 {
        self.max_number.saturating_add(1)
    }
}

fn normalize_display(name: &str) -> String {
    name.trim()
        .trim_matches(['、', ',', '，', ';', '；'])
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: &str, name: &str, aliases: &[&str]) -> Unit {
        Unit {
            id: id.into(),
            name: name.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            kind: UnitKind::Department,
        }
    }

    #[test]
    fn aliases_resolve_to_one_unit() {
        let dir = UnitDirectory::new(vec![
            unit("u1", "区住建局", &["住建局", "区住房城乡建设局"]),
            unit(
                "u2",
                "区生态环境局",
                &["生态环境局麒麟分局", "区生态环境分局"],
            ),
            unit("u3", "各县（区）政府", &[]),
        ])
        .unwrap();
        for name in ["区住建局", "住建局", "区住房城乡建设局", " 住建局、"] {
            assert_eq!(
                dir.resolve(name).map(|u| u.id.as_str()),
                Some("u1"),
                "{name}"
            );
        }
        assert_eq!(dir.resolve("生态环境局麒麟分局").unwrap().id, "u2");
        assert_eq!(dir.resolve("各县(区)政府").unwrap().id, "u3");
        assert!(dir.resolve("区教体局").is_none());
    }

    #[test]
    fn an_alias_claimed_twice_is_refused() {
        let err = UnitDirectory::new(vec![
            unit("u1", "区住建局", &["住建局"]),
            unit("u2", "市住建局", &["住建局"]),
        ])
        .unwrap_err();
        assert_eq!(err.name, "住建局");
    }

    #[test]
    fn adding_many_units_is_linear() {
        // 20,000 new names: with a scan of every unit per add this took seconds (debug).
        let mut dir = UnitDirectory::new(vec![unit("u0007", "区住建局", &[])]).unwrap();
        let start = std::time::Instant::now();
        for i in 0..20_000 {
            dir.resolve_or_add(&format!("单位{i}"), UnitKind::Department);
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(dir.units().len(), 20_001);
        assert_eq!(dir.resolve("单位0").unwrap().id, "u0008");
        assert_eq!(dir.resolve("单位19999").unwrap().id, "u20007");
    }

    #[test]
    fn resolve_or_add_reuses_and_numbers() {
        let mut dir = UnitDirectory::new(vec![unit("u0003", "区住建局", &["住建局"])]).unwrap();
        assert_eq!(dir.resolve_or_add("住建局", UnitKind::Department), "u0003");
        let id = dir.resolve_or_add("市安监局、", UnitKind::Department);
        assert_eq!(id, "u0004");
        assert_eq!(dir.get(&id).unwrap().name, "市安监局");
        assert_eq!(
            dir.resolve_or_add("市安监局", UnitKind::Department),
            "u0004"
        );
    }
}
