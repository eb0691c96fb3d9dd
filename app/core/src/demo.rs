//! 演示数据: progress entries and report submissions that make a demo campaign look as it
//! would in use, each marked as such (the texts begin with [`DEMO_MARK`], the author is
//! [`DEMO_AUTHOR`]) and listed in the settings ([`DemoMarks`]) so that one command
//! ([`crate::Command::RemoveDemoData`]) takes them all out again.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::reports::OfficeReport;

/// What every demo text begins with.
pub const DEMO_MARK: &str = "【演示数据】";

/// The author of demo rows.
pub const DEMO_AUTHOR: &str = "演示数据";

/// A demo progress entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoEntry {
    pub task: String,
    pub date: NaiveDate,
    pub text: String,
    pub percent: Option<u8>,
    pub done: bool,
}

/// The office's review of a demo submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DemoReview {
    Pending,
    Accepted { date: NaiveDate },
    Returned { date: NaiveDate, reason: String },
}

/// A demo submission of one of the demo's office reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoSubmission {
    pub unit: String,
    pub report: String,
    pub period_start: NaiveDate,
    pub date: NaiveDate,
    pub what: String,
    #[serde(default)]
    pub late_reason: Option<String>,
    pub review: DemoReview,
}

/// A demo ledger record of a plugin's form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoRecord {
    /// `SECTOR/FORM`.
    pub form: String,
    pub form_version: String,
    pub values: std::collections::BTreeMap<String, crate::record::Value>,
}

/// A set of demo rows to add.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DemoData {
    pub entries: Vec<DemoEntry>,
    pub submissions: Vec<DemoSubmission>,
    #[serde(default)]
    pub records: Vec<DemoRecord>,
    /// Office reports the submissions are of (added to the settings, removed with them).
    pub office_reports: Vec<OfficeReport>,
    /// Supervision rows (督办事项, 通报, 约谈, hazards, 两个清单, rewards), numbered 1, 2… per
    /// kind here: added after the rows of their kind there are.
    #[serde(default)]
    pub supervision: Vec<crate::supervision::SupRow>,
}

/// A progress entry the demo added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoRow {
    pub task: String,
    pub id: u64,
}

/// A ledger record the demo added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoRecordRow {
    pub form: String,
    pub id: u64,
}

/// The demo rows in the desk (kept under [`crate::Settings::DEMO_DATA`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoMarks {
    #[serde(default)]
    pub progress: Vec<DemoRow>,
    #[serde(default)]
    pub submissions: Vec<u64>,
    #[serde(default)]
    pub records: Vec<DemoRecordRow>,
    #[serde(default)]
    pub office_reports: Vec<String>,
    /// Supervision rows the demo added, by kind and number.
    #[serde(default)]
    pub supervision: Vec<(crate::supervision::SupKind, u64)>,
}

impl DemoMarks {
    pub fn is_empty(&self) -> bool {
        self.progress.is_empty()
            && self.submissions.is_empty()
            && self.records.is_empty()
            && self.office_reports.is_empty()
            && self.supervision.is_empty()
    }

    /// "12 条进展、30 份报送、16 条台账记录".
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} 条进展、{} 份报送",
            self.progress.len(),
            self.submissions.len()
        );
        if !self.records.is_empty() {
            s.push_str(&format!("、{} 条台账记录", self.records.len()));
        }
        if !self.supervision.is_empty() {
            s.push_str(&format!("、{} 条督办记录", self.supervision.len()));
        }
        s
    }
}

/// `row` as a demo row numbered `id`: its author the demo, its main text marked, the demo
/// rows it refers to (numbered 1, 2… per kind in the demo) moved up by `base` of their kind.
pub fn demo_sup_row(
    row: &crate::supervision::SupRow,
    id: u64,
    base: &dyn Fn(crate::supervision::SupKind) -> u64,
) -> crate::supervision::SupRow {
    use crate::supervision::{SupKind, SupRow};
    let mut row = row.clone();
    let item = |i: &mut u64| *i += base(SupKind::Item);
    let hazard = |h: &mut u64| *h += base(SupKind::Hazard);
    match &mut row {
        SupRow::Talk(x) => x.item.iter_mut().for_each(item),
        SupRow::Circular(x) => x.items.iter_mut().for_each(item),
        SupRow::Hazard(x) => x.item.iter_mut().for_each(item),
        SupRow::Reward(x) => x.hazard.iter_mut().for_each(hazard),
        SupRow::ListEntry(x) => x.hazards.iter_mut().for_each(hazard),
        SupRow::Item(x) => x.source.hazard.iter_mut().for_each(hazard),
        SupRow::Accident(_) | SupRow::Deduction(_) => {}
    }
    match &mut row {
        SupRow::Item(x) => {
            x.id = id;
            x.title = marked(&x.title);
            x.author = DEMO_AUTHOR.to_owned();
        }
        SupRow::Circular(x) => {
            x.id = id;
            x.title = marked(&x.title);
            x.author = DEMO_AUTHOR.to_owned();
        }
        SupRow::Talk(x) => {
            x.id = id;
            x.issues = marked(&x.issues);
            x.author = DEMO_AUTHOR.to_owned();
        }
        SupRow::Accident(x) => {
            x.id = id;
            x.title = marked(&x.title);
            x.author = DEMO_AUTHOR.to_owned();
        }
        SupRow::Deduction(x) => {
            x.id = id;
            x.reason = marked(&x.reason);
            x.author = DEMO_AUTHOR.to_owned();
        }
        SupRow::Hazard(x) => {
            x.id = id;
            x.description = marked(&x.description);
            x.author = DEMO_AUTHOR.to_owned();
        }
        SupRow::Reward(x) => {
            x.id = id;
            x.content = marked(&x.content);
            x.author = DEMO_AUTHOR.to_owned();
        }
        SupRow::ListEntry(x) => {
            x.id = id;
            x.text = marked(&x.text);
            x.author = DEMO_AUTHOR.to_owned();
        }
    }
    row
}

/// `text` marked as demo data (once).
pub fn marked(text: &str) -> String {
    if text.starts_with(DEMO_MARK) {
        text.to_owned()
    } else {
        format!("{DEMO_MARK}{text}")
    }
}
