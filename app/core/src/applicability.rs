//! 不适用: tasks and targets an office marks as not applying to its region (a sea item of
//! 附件8 in an inland district), each with the reason. The item stays in its plan as written
//! and is shown as 不适用 with the reason; it counts in no status total, gets no 督办 and no
//! reminder. The marks are kept as one settings row ([`crate::Settings::NOT_APPLICABLE`]),
//! by item, so that they outlive a plugin's new version that imports its plan again.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A task or a target, by the desk's id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Item {
    Task(String),
    Target(String),
}

impl Item {
    /// The key of the mark: "task:ID" / "target:ID".
    pub fn key(&self) -> String {
        match self {
            Item::Task(id) => format!("task:{id}"),
            Item::Target(id) => format!("target:{id}"),
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Item::Task(id) | Item::Target(id) => id,
        }
    }

    /// "任务" / "指标".
    pub fn kind_zh(&self) -> &'static str {
        match self {
            Item::Task(_) => "任务",
            Item::Target(_) => "指标",
        }
    }
}

/// Why and since when an item does not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotApplicable {
    pub reason: String,
    /// The day it was marked.
    pub date: NaiveDate,
}

/// Every mark of the desk, by [`Item::key`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Applicability {
    marks: BTreeMap<String, NotApplicable>,
}

impl Applicability {
    pub fn is_empty(&self) -> bool {
        self.marks.is_empty()
    }

    pub fn len(&self) -> usize {
        self.marks.len()
    }

    pub fn get(&self, item: &Item) -> Option<&NotApplicable> {
        self.marks.get(&item.key())
    }

    /// The mark of the task `id`, when it does not apply.
    pub fn task(&self, id: &str) -> Option<&NotApplicable> {
        self.marks.get(&format!("task:{id}"))
    }

    /// The mark of the target `id`, when it does not apply.
    pub fn target(&self, id: &str) -> Option<&NotApplicable> {
        self.marks.get(&format!("target:{id}"))
    }

    /// Marks `item` (`Some`) or has it apply again (`None`).
    pub fn set(&mut self, item: &Item, mark: Option<NotApplicable>) {
        match mark {
            Some(m) => {
                self.marks.insert(item.key(), m);
            }
            None => {
                self.marks.remove(&item.key());
            }
        }
    }

    /// Every mark with its item, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (Item, &NotApplicable)> {
        self.marks.iter().filter_map(|(k, m)| {
            let item = if let Some(id) = k.strip_prefix("task:") {
                Item::Task(id.to_owned())
            } else {
                Item::Target(k.strip_prefix("target:")?.to_owned())
            };
            Some((item, m))
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn marks_are_kept_by_item_and_cleared() {
        let day = NaiveDate::from_ymd_opt(2020, 6, 1).unwrap();
        let mut a = Applicability::default();
        let task = Item::Task("waterways/3".into());
        let target = Item::Target("waterways/sea".into());
        a.set(
            &task,
            Some(NotApplicable {
                reason: "本区无海域".into(),
                date: day,
            }),
        );
        assert_eq!(a.task("waterways/3").unwrap().reason, "本区无海域");
        assert!(
            a.target("waterways/3").is_none(),
            "a task's mark is not a target's"
        );
        a.set(
            &target,
            Some(NotApplicable {
                reason: "内陆".into(),
                date: day,
            }),
        );
        let items: Vec<Item> = a.iter().map(|(i, _)| i).collect();
        assert_eq!(items, [target.clone(), task.clone()]);
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(serde_json::from_value::<Applicability>(json).unwrap(), a);
        a.set(&task, None);
        assert!(a.task("waterways/3").is_none());
        assert_eq!(a.len(), 1);
    }
}
