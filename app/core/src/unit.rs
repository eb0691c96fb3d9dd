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
    /// 企业 (a regulated enterprise a plan names: "各危险化学品企业")
    Enterprise,
    /// 公司 (a state-owned company that carries tasks: 区城投公司…)
    Company,
}

impl UnitKind {
    pub const ALL: [UnitKind; 7] = [
        UnitKind::Party,
        UnitKind::Department,
        UnitKind::Local,
        UnitKind::Agency,
        UnitKind::Office,
        UnitKind::Enterprise,
        UnitKind::Company,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            UnitKind::Party => "党委部门",
            UnitKind::Department => "政府部门",
            UnitKind::Local => "属地政府",
            UnitKind::Agency => "其他单位",
            UnitKind::Office => "办公室",
            UnitKind::Enterprise => "企业",
            UnitKind::Company => "公司",
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
    /// Where aliases were read: the plan that spells the unit so, and the source line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alias_sources: Vec<AliasSource>,
}

/// Where an alias of a unit was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasSource {
    pub alias: String,
    /// The plan (its id) whose source spells the unit so.
    pub plan: String,
    /// The source line, when the plan gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
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
            alias_sources: Vec::new(),
        });
        id
    }

    /// A unit a plan declares, with its kind and its other spellings (`aliases`, each with
    /// the source line it was read on): the unit its name or any alias already names, else a
    /// new one. The aliases it lacks are added, with where they were read (`plan`). An alias
    /// that names another unit stays that unit's (the directory is the office's; a plan does
    /// not move names between units). A unit the desk added with the default kind takes the
    /// declared one. Returns the unit's id.
    pub fn declare(
        &mut self,
        name: &str,
        kind: UnitKind,
        aliases: &[(String, Option<u32>)],
        plan: &str,
    ) -> String {
        let found = std::iter::once(name)
            .chain(aliases.iter().map(|(a, _)| a.as_str()))
            .find_map(|n| self.by_name.get(&normalize_unit_name(n)).copied());
        let index = match found {
            Some(i) => i,
            None => {
                self.resolve_or_add(name, kind);
                self.units.len() - 1
            }
        };
        let unit_names: Vec<(&str, Option<u32>)> = std::iter::once((name, None))
            .chain(aliases.iter().map(|(a, l)| (a.as_str(), *l)))
            .collect();
        for (alias, line) in unit_names {
            let key = normalize_unit_name(alias);
            if key.is_empty() {
                continue;
            }
            match self.by_name.get(&key) {
                Some(&j) if j != index => continue,
                Some(_) => {}
                None => {
                    self.by_name.insert(key, index);
                    self.units[index].aliases.push(normalize_display(alias));
                }
            }
            let unit = &mut self.units[index];
            let read = unit.name != alias
                && !unit
                    .alias_sources
                    .iter()
                    .any(|s| s.alias == alias && s.plan == plan);
            if read {
                unit.alias_sources.push(AliasSource {
                    alias: alias.to_owned(),
                    plan: plan.to_owned(),
                    line,
                });
            }
        }
        let unit = &mut self.units[index];
        if unit.kind == UnitKind::Department {
            unit.kind = kind;
        }
        unit.id.clone()
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
            alias_sources: Vec::new(),
        }
    }

    #[test]
    fn a_declared_unit_is_one_unit_under_every_spelling_with_where_each_was_read() {
        let mut dir = UnitDirectory::new(vec![
            unit("u1", "区应急管理局", &[]),
            unit("u2", "区住建局", &["住建局"]),
        ])
        .unwrap();
        // The office added 区人民政府 itself (default kind).
        let gov = dir.resolve_or_add("区人民政府", UnitKind::Department);
        let spellings = [
            ("区人民政府".to_owned(), Some(12)),
            ("麒麟区区人民政府".to_owned(), Some(703)),
            // A name the office gave another unit stays that unit's.
            ("住建局".to_owned(), None),
        ];
        let id = dir.declare(
            "麒麟区人民政府",
            UnitKind::Local,
            &spellings,
            "hazardous-waste",
        );
        assert_eq!(id, gov, "found by an alias, not added again");
        for name in ["麒麟区人民政府", "区人民政府", "麒麟区区人民政府"] {
            assert_eq!(
                dir.resolve(name).map(|u| u.id.as_str()),
                Some(gov.as_str()),
                "{name}"
            );
        }
        assert_eq!(dir.resolve("住建局").unwrap().id, "u2");
        let u = dir.get(&gov).unwrap();
        assert_eq!(
            u.kind,
            UnitKind::Local,
            "the default kind takes the declared one"
        );
        assert_eq!(u.name, "区人民政府", "the office's name stays");
        let read: Vec<(&str, Option<u32>)> = u
            .alias_sources
            .iter()
            .map(|s| (s.alias.as_str(), s.line))
            .collect();
        assert_eq!(
            read,
            [("麒麟区人民政府", None), ("麒麟区区人民政府", Some(703))]
        );
        assert!(u.alias_sources.iter().all(|s| s.plan == "hazardous-waste"));
        // Declared again (a reinstall): nothing doubles; a kind the office chose stays.
        let at = dir.by_name[&normalize_unit_name(&gov_name(&dir, &gov))];
        dir.units[at].kind = UnitKind::Office;
        dir.declare(
            "麒麟区人民政府",
            UnitKind::Local,
            &spellings,
            "hazardous-waste",
        );
        let u = dir.get(&gov).unwrap();
        assert_eq!((u.alias_sources.len(), u.aliases.len()), (2, 2));
        assert_eq!(u.kind, UnitKind::Office);
        // A new unit comes with its kind and aliases.
        let park = dir.declare(
            "麒麟工业园区管委会",
            UnitKind::Agency,
            &[("麒麟工业园区".to_owned(), Some(40))],
            "hazardous-chemicals",
        );
        assert_eq!(dir.resolve("麒麟工业园区").unwrap().id, park);
        assert_eq!(dir.get(&park).unwrap().kind, UnitKind::Agency);
    }

    fn gov_name(dir: &UnitDirectory, id: &str) -> String {
        dir.get(id).unwrap().name.clone()
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
