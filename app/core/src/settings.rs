//! The desk's settings: what users set once (临期天数, 用户名, how printed documents name the
//! office) and the plugin root of trust. Each is kept as one row under its key; the
//! transitions of [`crate::change`] write them, [`Settings::read_row`] reads them back.

use serde::{Deserialize, Serialize};

use crate::applicability::Applicability;
use crate::campaign::Campaign;
use crate::status::StatusRules;

/// User settings kept in the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub due_soon_days: u32,
    pub user_name: String,
    /// 发文机关 printed on notices; empty = derived from the campaign's region.
    #[serde(default)]
    pub office_name: String,
    /// 机关代字 of notice numbers, e.g. "麒安委办督".
    #[serde(default)]
    pub doc_prefix: String,
    /// 联系人 and phone printed on notices.
    #[serde(default)]
    pub contact: String,
    /// Dates in Chinese numerals (二〇二六年…) rather than Arabic (2026年12月4日), which
    /// GB/T 9704-2012 7.3.5 prescribes and which is the default.
    #[serde(default)]
    pub chinese_date: bool,
    /// Accept unsigned plugin packages (with a visible warning).
    #[serde(default)]
    pub plugin_developer_mode: bool,
    /// The office's root public key (hex) that signs the plugin trust list.
    #[serde(default)]
    pub plugin_root_key: Option<String>,
    /// The office's signed plugin trust list (JSON text).
    #[serde(default)]
    pub plugin_trust_list: Option<String>,
    /// Tasks and targets marked 不适用, with the reasons.
    #[serde(default)]
    pub not_applicable: Applicability,
    /// The campaign the user chose to work on (see [`crate::current_campaign`]).
    #[serde(default)]
    pub current_campaign: Option<String>,
    /// Tasks' deadlines moved by the office, with the reasons (history kept).
    #[serde(default)]
    pub deadline_changes: crate::deadline_change::DeadlineChanges,
    /// The office's own reports and the days ahead of a due date 今日待办 reminds.
    #[serde(default)]
    pub reporting: crate::reports::Reporting,
    /// The demo rows in the desk (演示数据), removable in one step.
    #[serde(default)]
    pub demo_data: crate::demo::DemoMarks,
    /// The office's rules of supervision and assessment (督办 ladder, 通报 rule, 考核 items).
    #[serde(default)]
    pub supervision: crate::supervision::SupervisionRules,
}

/// The row of the print settings (key [`Settings::PRINT`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintSettings {
    pub office_name: String,
    pub doc_prefix: String,
    pub contact: String,
    pub chinese_date: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            due_soon_days: StatusRules::default().due_soon_days,
            user_name: String::new(),
            office_name: String::new(),
            doc_prefix: "安委办督".to_owned(),
            contact: String::new(),
            chinese_date: false,
            plugin_developer_mode: false,
            plugin_root_key: None,
            plugin_trust_list: None,
            not_applicable: Applicability::default(),
            current_campaign: None,
            deadline_changes: Default::default(),
            reporting: Default::default(),
            demo_data: Default::default(),
            supervision: Default::default(),
        }
    }
}

impl Settings {
    pub const DUE_SOON_DAYS: &str = "due_soon_days";
    pub const USER_NAME: &str = "user_name";
    pub const PRINT: &str = "print";
    pub const PLUGIN_DEVELOPER_MODE: &str = "plugin_developer_mode";
    pub const PLUGIN_ROOT_KEY: &str = "plugin_root_key";
    pub const PLUGIN_TRUST_LIST: &str = "plugin_trust_list";
    pub const NOT_APPLICABLE: &str = "not_applicable";
    pub const CURRENT_CAMPAIGN: &str = "current_campaign";
    pub const DEADLINE_CHANGES: &str = "deadline_changes";
    pub const REPORTING: &str = "reporting";
    pub const DEMO_DATA: &str = "demo_data";
    pub const SUPERVISION: &str = "supervision";

    /// Takes in the row kept under `key` (rows of unknown keys are ignored).
    pub fn read_row(&mut self, key: &str, value: serde_json::Value) -> serde_json::Result<()> {
        match key {
            Self::DUE_SOON_DAYS => self.due_soon_days = serde_json::from_value(value)?,
            Self::USER_NAME => self.user_name = serde_json::from_value(value)?,
            Self::PLUGIN_DEVELOPER_MODE => {
                self.plugin_developer_mode = serde_json::from_value(value)?;
            }
            Self::PLUGIN_ROOT_KEY => self.plugin_root_key = serde_json::from_value(value)?,
            Self::PLUGIN_TRUST_LIST => self.plugin_trust_list = serde_json::from_value(value)?,
            Self::NOT_APPLICABLE => self.not_applicable = serde_json::from_value(value)?,
            Self::CURRENT_CAMPAIGN => self.current_campaign = serde_json::from_value(value)?,
            Self::DEADLINE_CHANGES => self.deadline_changes = serde_json::from_value(value)?,
            Self::REPORTING => self.reporting = serde_json::from_value(value)?,
            Self::DEMO_DATA => self.demo_data = serde_json::from_value(value)?,
            Self::SUPERVISION => self.supervision = serde_json::from_value(value)?,
            Self::PRINT => {
                let p: PrintSettings = serde_json::from_value(value)?;
                self.office_name = p.office_name;
                self.doc_prefix = p.doc_prefix;
                self.contact = p.contact;
                self.chinese_date = p.chinese_date;
            }
            _ => {}
        }
        Ok(())
    }

    /// The 发文机关 printed on documents of `campaign`: the setting, or, when it is empty,
    /// "{region}安全生产委员会办公室".
    pub fn issuing_office(&self, campaign: &Campaign) -> String {
        let set = self.office_name.trim();
        if set.is_empty() {
            Self::default_office(campaign)
        } else {
            set.to_owned()
        }
    }

    /// The 主送机关 of a progress report: the committee the issuing office serves (the office's
    /// name without its trailing "办公室"), or "{region}安全生产委员会".
    pub fn report_recipient(&self, campaign: &Campaign) -> String {
        let office = self.issuing_office(campaign);
        match office.strip_suffix("办公室") {
            Some(committee) if !committee.trim().is_empty() => committee.trim().to_owned(),
            _ => format!("{}安全生产委员会", campaign.region),
        }
    }

    /// The office name used when none is set.
    pub fn default_office(campaign: &Campaign) -> String {
        format!("{}安全生产委员会办公室", campaign.region)
    }

    pub fn rules(&self) -> StatusRules {
        StatusRules {
            due_soon_days: self.due_soon_days,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn a_report_goes_to_the_committee_the_office_serves() {
        let day = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let campaign = Campaign {
            id: "c".into(),
            name: "三年行动".into(),
            region: "麒麟区".into(),
            start: day,
            end: day,
            phases: Vec::new(),
            milestones: Vec::new(),
            actions: Vec::new(),
            note: String::new(),
            archived: false,
        };
        let mut settings = Settings::default();
        assert_eq!(settings.report_recipient(&campaign), "麒麟区安全生产委员会");
        settings.office_name = "曲靖市麒麟区安全生产委员会办公室".into();
        assert_eq!(
            settings.report_recipient(&campaign),
            "曲靖市麒麟区安全生产委员会"
        );
        // An office named otherwise: the region's committee.
        settings.office_name = "麒麟区应急管理局".into();
        assert_eq!(settings.report_recipient(&campaign), "麒麟区安全生产委员会");
    }
}
