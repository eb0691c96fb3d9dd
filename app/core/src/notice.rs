//! Issued 督办通知书: numbered per year (〔2026〕3号), never overwritten.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An issued 督办通知书.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeRecord {
    pub year: i32,
    pub number: u32,
    pub task: String,
    pub recipient: String,
    pub new_deadline: NaiveDate,
    pub issued_at: String,
    pub actor: String,
    #[serde(default)]
    pub file: Option<String>,
}
