//! 督办通知书: issued ones numbered per year (〔2026〕3号), never overwritten; and what a
//! notice may say, checked before one is made ([`check_notice`], [`recipient_role`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::campaign::{Role, Task};
use crate::status::Status;
use crate::unit::UnitDirectory;

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
    /// 成文日期: the day the notice is dated and states its facts as of (notices issued
    /// before it was kept have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// SHA-256 (hex) of the issued PDF, which the store keeps beside the record so that the
    /// notice can be printed again byte for byte.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Set when the notice was voided: its number stays used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voided: Option<NoticeVoid>,
    /// The 机关代字 the notice was issued under (empty for notices issued before it was
    /// kept: they are shown with today's).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc_prefix: String,
    /// The 督办事项 the document is a ladder step of (its `task` is then the item's source
    /// task, or empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<u64>,
    /// The document's title when it is not a 督办通知书 (督办函, 挂牌督办通知书…).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
}

/// Why and by whom an issued notice was voided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeVoid {
    pub at: String,
    pub actor: String,
    pub reason: String,
}

impl NoticeRecord {
    /// "〔2026〕3号" (without the 机关代字).
    pub fn number_text(&self) -> String {
        format!("〔{}〕{}号", self.year, self.number)
    }

    /// The 文号 as issued, "麒安委办督〔2026〕3号": with the 机关代字 it was issued under, or
    /// `current` for a notice issued before that was kept.
    pub fn doc_number(&self, current: &str) -> String {
        let prefix = if self.doc_prefix.is_empty() {
            current
        } else {
            &self.doc_prefix
        };
        format!("{prefix}{}", self.number_text())
    }
}

/// The PDF of an issued notice, SHA-256 as hex.
pub fn pdf_sha256(pdf: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(pdf))
}

/// A notice number as users write it: "2026-3", "2026/3", "〔2026〕3号", "[2026]3", or with
/// the 机关代字 before the bracket ("麒安委办督〔2026〕3号") → (year, number).
pub fn parse_notice_number(text: &str) -> Option<(i32, u32)> {
    let text = text.find(['〔', '[', '［']).map_or(text, |at| &text[at..]);
    let digits: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let rest: String = text
        .chars()
        .filter(|c| !c.is_ascii_digit() && !"-/〔〕[]［］（）()号 ".contains(*c))
        .collect();
    match digits.as_slice() {
        [year, number] if rest.is_empty() && year.len() == 4 => {
            let n: u32 = number.parse().ok()?;
            (n > 0).then_some((year.parse().ok()?, n))
        }
        _ => None,
    }
}

/// Why a 督办通知书 cannot be made as asked: it would state what is not so.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticeRefusal {
    #[error("任务 {task} 截至 {as_of} 已完成，不能对它发督办通知书")]
    Done { task: String, as_of: NaiveDate },
    #[error("新的完成时限 {new_deadline} 不晚于成文日期 {date}，请定在成文日期之后")]
    DeadlineNotAfter {
        new_deadline: NaiveDate,
        date: NaiveDate,
    },
    #[error("文号的年度 {year} 与成文日期 {date} 不是同一年")]
    YearNotOfDate { year: i32, date: NaiveDate },
}

/// Checks a notice for task `task`, whose status on `date` (the 成文日期, which is also the
/// day its facts are stated as of) is `status`, numbered in `year` (`None`: a draft, not
/// numbered yet), with `new_deadline`.
pub fn check_notice(
    task: &str,
    status: Status,
    date: NaiveDate,
    year: Option<i32>,
    new_deadline: NaiveDate,
) -> Result<(), NoticeRefusal> {
    if status == Status::Done {
        return Err(NoticeRefusal::Done {
            task: task.to_owned(),
            as_of: date,
        });
    }
    check_notice_dates(date, year, new_deadline)
}

/// The rules of a notice's dates, which an issued one's record obeys too: the new deadline
/// after the 成文日期, and the 文号's year (when numbered) that date's year.
pub fn check_notice_dates(
    date: NaiveDate,
    year: Option<i32>,
    new_deadline: NaiveDate,
) -> Result<(), NoticeRefusal> {
    use chrono::Datelike;
    if new_deadline <= date {
        return Err(NoticeRefusal::DeadlineNotAfter { new_deadline, date });
    }
    if let Some(year) = year.filter(|y| *y != date.year()) {
        return Err(NoticeRefusal::YearNotOfDate { year, date });
    }
    Ok(())
}

/// The role the unit named `recipient` (a name or an alias) has in `task`, the most
/// responsible one when it has several; `None` when it has none.
pub fn recipient_role(task: &Task, units: &UnitDirectory, recipient: &str) -> Option<Role> {
    let unit = units.resolve(recipient.trim())?;
    task.roles
        .iter()
        .filter(|r| r.unit == unit.id)
        .map(|r| r.role)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn notice_numbers_are_read_as_users_write_them() {
        for text in [
            "2026-3",
            "2026/3",
            "〔2026〕3号",
            "[2026]3",
            "［2026］3号",
            " 2026-03 ",
            "麒安委办督〔2026〕3号",
        ] {
            assert_eq!(parse_notice_number(text), Some((2026, 3)), "{text}");
        }
        for text in ["3", "2026", "26-3", "2026-0", "2026-3-1", "x2026-3"] {
            assert_eq!(parse_notice_number(text), None, "{text}");
        }
    }

    #[test]
    fn a_done_task_a_deadline_not_after_the_date_and_a_year_not_the_dates_are_refused() {
        let ok = check_notice(
            "reform/1",
            Status::Overdue,
            d("2026-12-04"),
            Some(2026),
            d("2026-12-19"),
        );
        assert_eq!(ok, Ok(()));
        for status in [Status::DueSoon, Status::InProgress, Status::NotStarted] {
            assert!(
                check_notice("t", status, d("2026-12-04"), Some(2026), d("2026-12-05")).is_ok()
            );
        }
        let done = check_notice(
            "reform/1",
            Status::Done,
            d("2026-12-04"),
            Some(2026),
            d("2026-12-19"),
        );
        assert!(matches!(done, Err(NoticeRefusal::Done { .. })), "{done:?}");
        assert!(done.unwrap_err().to_string().contains("已完成"));
        for past in ["2026-12-04", "2021-01-01"] {
            let r = check_notice("t", Status::Overdue, d("2026-12-04"), Some(2026), d(past));
            assert!(
                matches!(r, Err(NoticeRefusal::DeadlineNotAfter { .. })),
                "{r:?}"
            );
        }
        let r = check_notice(
            "t",
            Status::Overdue,
            d("2021-06-30"),
            Some(2026),
            d("2026-12-19"),
        );
        assert!(
            matches!(r, Err(NoticeRefusal::YearNotOfDate { .. })),
            "{r:?}"
        );
    }
}
