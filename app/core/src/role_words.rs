//! The words a plan's source uses for its roles ("责任单位", "区级牵头部门", "区级责任部门"),
//! read from its tasks' responsibility annotations, so that its 任务分工方案 prints with the
//! columns the source has.
//!
//! The sources do not agree on the words: 附件6 labels the towns 责任单位, the lead department
//! 区级牵头部门 and the others 区级责任部门; 附件8 writes 牵头部门 and 责任单位; 附件4 calls its
//! lead department 责任部门 in most tasks and 区级牵头部门 in others. So no word is tied to a
//! role here: a labelled part of an annotation ("区级牵头部门:区消防救援大队") votes for the
//! role its units were given, and each role takes the word most of its parts carry.

use serde::{Deserialize, Serialize};

use crate::campaign::Role;

/// One role and the word a plan's source uses for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleWord {
    pub role: Role,
    /// As written: "区级牵头部门".
    pub word: String,
}

/// The labels annotations use, longest first so that "区级责任部门" is not read as "责任部门".
const LABELS: [&str; 10] = [
    "区级牵头部门",
    "区级牵头单位",
    "区级责任部门",
    "区级责任单位",
    "牵头单位",
    "牵头部门",
    "责任单位",
    "责任部门",
    "配合单位",
    "配合部门",
];

/// One task's annotation as written and its units (the names as the annotation spells them)
/// with their roles.
pub struct Annotated<'a> {
    pub text: &'a str,
    pub units: Vec<(&'a str, Role)>,
}

/// The labelled parts of an annotation, in text order: (label, the text up to the next label).
/// A label is one of [`LABELS`] followed by a colon ("责任单位:" or "责任单位：").
fn labelled_parts(text: &str) -> Vec<(&'static str, &str)> {
    let mut found: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let hit = LABELS.iter().find_map(|l| {
            let after = rest.strip_prefix(l)?;
            let colon = after.chars().next().filter(|c| matches!(c, ':' | '：'))?;
            Some((*l, l.len() + colon.len_utf8()))
        });
        match hit {
            Some((label, len)) => {
                found.push((i, i + len, label));
                i += len;
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    found
        .iter()
        .enumerate()
        .map(|(k, &(_, end, label))| {
            let stop = found.get(k + 1).map_or(text.len(), |n| n.0);
            (label, &text[end..stop])
        })
        .collect()
}

/// The roles' words of a plan, in the order the source writes them (the order its columns
/// print in). A role whose parts are never labelled (附件3's "区发改局牵头,…按职责分工负责")
/// has no word here; a part whose units hold more than one role does not vote.
pub fn role_words(tasks: &[Annotated<'_>]) -> Vec<RoleWord> {
    // (role, word) → (votes, sum of positions, first seen)
    struct Tally {
        role: Role,
        word: &'static str,
        votes: usize,
        positions: usize,
        first: usize,
    }
    let mut tallies: Vec<Tally> = Vec::new();
    let mut seen = 0;
    for t in tasks {
        let mut position = 0;
        for (label, part) in labelled_parts(t.text) {
            let mut roles: Vec<Role> = t
                .units
                .iter()
                .filter(|(name, _)| !name.is_empty() && part.contains(name))
                .map(|&(_, r)| r)
                .collect();
            roles.sort();
            roles.dedup();
            let [role] = roles.as_slice() else {
                continue;
            };
            match tallies
                .iter_mut()
                .find(|x| x.role == *role && x.word == label)
            {
                Some(x) => {
                    x.votes += 1;
                    x.positions += position;
                }
                None => {
                    tallies.push(Tally {
                        role: *role,
                        word: label,
                        votes: 1,
                        positions: position,
                        first: seen,
                    });
                    seen += 1;
                }
            }
            position += 1;
        }
    }
    // The strongest claims first; a word once taken is not another role's.
    tallies.sort_by(|a, b| b.votes.cmp(&a.votes).then(a.first.cmp(&b.first)));
    let mut chosen: Vec<&Tally> = Vec::new();
    for t in &tallies {
        if !chosen.iter().any(|c| c.role == t.role || c.word == t.word) {
            chosen.push(t);
        }
    }
    // Where each role stands in its annotations, on average over all its labelled parts.
    let mean_position = |role: Role| {
        let (sum, n) = tallies
            .iter()
            .filter(|t| t.role == role)
            .fold((0, 0), |(s, n), t| (s + t.positions, n + t.votes));
        // Compared as fractions sum/n without floating point: scaled by a common factor.
        (sum * 1000).checked_div(n).unwrap_or(usize::MAX)
    };
    chosen.sort_by_key(|t| (mean_position(t.role), t.role));
    chosen
        .into_iter()
        .map(|t| RoleWord {
            role: t.role,
            word: t.word.to_owned(),
        })
        .collect()
}

/// One unit column of a 任务分工方案: its header and the roles whose units it lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleColumn {
    pub header: String,
    pub roles: Vec<Role>,
}

/// The unit columns for tasks whose units hold `present` roles, in the words of `words`
/// (a plan's [`role_words`]; empty for a whole campaign or a source without labels).
/// Without a word of its own the lead role is "牵头单位", first; a responsible or
/// cooperating role is "责任单位", and a cooperating role without its own word shares the
/// responsible role's column. No role present: no column (one agency's own plan).
pub fn role_columns(words: &[RoleWord], present: &[Role]) -> Vec<RoleColumn> {
    let has = |r: Role| present.contains(&r);
    let word_of = |r: Role| words.iter().find(|w| w.role == r);
    let mut columns: Vec<RoleColumn> = words
        .iter()
        .filter(|w| has(w.role))
        .map(|w| RoleColumn {
            header: w.word.clone(),
            roles: vec![w.role],
        })
        .collect();
    if has(Role::Lead) && word_of(Role::Lead).is_none() {
        columns.insert(
            0,
            RoleColumn {
                header: "牵头单位".into(),
                roles: vec![Role::Lead],
            },
        );
    }
    if has(Role::Responsible) && word_of(Role::Responsible).is_none() {
        columns.push(RoleColumn {
            header: "责任单位".into(),
            roles: vec![Role::Responsible],
        });
    }
    if has(Role::Cooperating) && word_of(Role::Cooperating).is_none() {
        match columns
            .iter_mut()
            .find(|c| c.roles.contains(&Role::Responsible))
        {
            Some(c) => c.roles.push(Role::Cooperating),
            None => columns.push(RoleColumn {
                header: "责任单位".into(),
                roles: vec![Role::Cooperating],
            }),
        }
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(ws: &[RoleWord]) -> Vec<(Role, &str)> {
        ws.iter().map(|w| (w.role, w.word.as_str())).collect()
    }

    #[test]
    fn three_labelled_roles_keep_the_source_words_and_order() {
        // 附件6 L301 and L313.
        let a = [
            Annotated {
                text: "(责任单位:各镇(街道);区级牵头部门:区消防救援大队,区级责任部门:区住建局、交警大队等按职责分工负责)",
                units: vec![
                    ("各镇(街道)", Role::Responsible),
                    ("区消防救援大队", Role::Lead),
                    ("区住建局", Role::Cooperating),
                    ("交警大队", Role::Cooperating),
                ],
            },
            Annotated {
                text: "(责任单位:各镇(街道);区级责任部门:区住建局等按职责分工负责)",
                units: vec![
                    ("各镇(街道)", Role::Responsible),
                    ("区住建局", Role::Cooperating),
                ],
            },
        ];
        assert_eq!(
            words(&role_words(&a)),
            [
                (Role::Responsible, "责任单位"),
                (Role::Lead, "区级牵头部门"),
                (Role::Cooperating, "区级责任部门"),
            ]
        );
    }

    #[test]
    fn a_word_means_what_its_units_hold_in_that_source() {
        // 附件4: "责任部门" labels the lead department.
        let a = [Annotated {
            text: "(责任单位:麒麟区人民政府;责任部门:区能源局)",
            units: vec![
                ("麒麟区人民政府", Role::Responsible),
                ("区能源局", Role::Lead),
            ],
        }];
        assert_eq!(
            words(&role_words(&a)),
            [(Role::Responsible, "责任单位"), (Role::Lead, "责任部门")]
        );
        // A fullwidth colon is a label too; a part naming units of two roles does not vote.
        let b = [Annotated {
            text: "（牵头单位：区生态环境局，各有关部门按职责分工配合）",
            units: vec![
                ("区生态环境局", Role::Lead),
                ("各有关部门", Role::Cooperating),
            ],
        }];
        assert!(role_words(&b).is_empty());
        let c = [Annotated {
            text: "（牵头部门：区应急管理局）",
            units: vec![("区应急管理局", Role::Lead)],
        }];
        assert_eq!(words(&role_words(&c)), [(Role::Lead, "牵头部门")]);
    }

    #[test]
    fn the_most_used_word_wins_and_is_no_other_roles() {
        let mut a = Vec::new();
        for _ in 0..3 {
            a.push(Annotated {
                text: "(责任单位:A;区级牵头部门:B;区级责任单位:C)",
                units: vec![
                    ("A", Role::Responsible),
                    ("B", Role::Lead),
                    ("C", Role::Cooperating),
                ],
            });
        }
        a.push(Annotated {
            text: "(牵头部门:B;责任单位:C)",
            units: vec![("B", Role::Lead), ("C", Role::Cooperating)],
        });
        assert_eq!(
            words(&role_words(&a)),
            [
                (Role::Responsible, "责任单位"),
                (Role::Lead, "区级牵头部门"),
                (Role::Cooperating, "区级责任单位"),
            ]
        );
    }

    #[test]
    fn an_unlabelled_or_unannotated_plan_has_no_words() {
        let a = [
            Annotated {
                text: "(区发改局、区工信局牵头,区应急管理局等部门按职责分工负责)",
                units: vec![
                    ("区发改局", Role::Lead),
                    ("区应急管理局", Role::Cooperating),
                ],
            },
            Annotated {
                text: "",
                units: vec![],
            },
        ];
        assert!(role_words(&a).is_empty());
    }

    #[test]
    fn columns_follow_the_words_and_fall_back_to_the_usual_headers() {
        let fire = [
            RoleWord {
                role: Role::Responsible,
                word: "责任单位".into(),
            },
            RoleWord {
                role: Role::Lead,
                word: "区级牵头部门".into(),
            },
            RoleWord {
                role: Role::Cooperating,
                word: "区级责任部门".into(),
            },
        ];
        let all = [Role::Lead, Role::Responsible, Role::Cooperating];
        let headers = |c: Vec<RoleColumn>| -> Vec<(String, Vec<Role>)> {
            c.into_iter().map(|c| (c.header, c.roles)).collect()
        };
        assert_eq!(
            headers(role_columns(&fire, &all)),
            [
                ("责任单位".to_owned(), vec![Role::Responsible]),
                ("区级牵头部门".to_owned(), vec![Role::Lead]),
                ("区级责任部门".to_owned(), vec![Role::Cooperating]),
            ]
        );
        // A role no task holds has no column, even with a word.
        assert_eq!(
            headers(role_columns(&fire, &[Role::Responsible])),
            [("责任单位".to_owned(), vec![Role::Responsible])]
        );
        // No words: 牵头单位, then 责任单位 with the cooperating units in it.
        assert_eq!(
            headers(role_columns(&[], &all)),
            [
                ("牵头单位".to_owned(), vec![Role::Lead]),
                (
                    "责任单位".to_owned(),
                    vec![Role::Responsible, Role::Cooperating]
                ),
            ]
        );
        assert_eq!(
            headers(role_columns(&[], &[Role::Lead, Role::Cooperating])),
            [
                ("牵头单位".to_owned(), vec![Role::Lead]),
                ("责任单位".to_owned(), vec![Role::Cooperating]),
            ]
        );
        assert!(role_columns(&fire, &[]).is_empty());
    }
}
