//! 报送: who owes which period of which report, what each unit submitted, the office's
//! 签收 or 退回修改, and the on-time rate (按时报送率) per unit and period.
//!
//! A report is one of the calendar's recurring duties ([`crate::calendar`]): a task's
//! ("每季度报送…", owed by the units that lead it, else those responsible for it) or one the
//! office sets itself ([`OfficeReport`]: 月报, 季报… owed by the units it names, else by every
//! unit with a task in the campaign). A target's recurring duty is the office's own and owes
//! no submission.
//!
//! A period counts as on time when the unit's first submission for it is dated on or before
//! its due day (a deadline runs to the end of its day), even when that submission was later
//! returned for changes; a first submission after the due day is 补报 (late, with a reason); a
//! period past its due day with nothing submitted is 未报. Periods not yet due count nowhere.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::CalendarEntry;
use crate::deadline::Recurrence;
use crate::progress::Evidence;

/// A report the office asks of units on a schedule, beside the plans' own duties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeReport {
    /// Short id without "/" (task and target ids have one): "monthly".
    pub id: String,
    /// "专项整治月报".
    pub name: String,
    pub recurrence: Recurrence,
    /// Days after the period's last day by which it is due: 0 = on the period's last day,
    /// 5 = the 5th of the next month for a 月报.
    #[serde(default)]
    pub grace_days: u32,
    /// Unit ids that owe it; empty = every unit with a task in the campaign.
    #[serde(default)]
    pub units: Vec<String>,
    /// The campaign it is asked for; `None` = whichever campaign is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
}

impl OfficeReport {
    /// Whether it is asked for in the campaign `id`.
    pub fn applies_to(&self, campaign: &str) -> bool {
        self.campaign.as_deref().is_none_or(|c| c == campaign)
    }
}

/// The office's reporting settings (kept under [`crate::Settings::REPORTING`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reporting {
    /// Days before a due date at which 今日待办 reminds of a report not yet submitted.
    pub remind_days: u32,
    #[serde(default)]
    pub office_reports: Vec<OfficeReport>,
}

impl Default for Reporting {
    fn default() -> Self {
        Reporting {
            remind_days: 5,
            office_reports: Vec::new(),
        }
    }
}

impl Reporting {
    /// What is wrong with these settings, for the user.
    pub fn check(&self) -> Result<(), String> {
        if self.remind_days > 366 {
            return Err(format!(
                "提前提醒天数 {} 太大（不超过 366 天）",
                self.remind_days
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for r in &self.office_reports {
            let id = r.id.trim();
            if id.is_empty() || id.contains('/') || id.chars().any(char::is_whitespace) {
                return Err(format!(
                    "报送事项编号“{}”无效：不能为空，不能含“/”或空格",
                    r.id
                ));
            }
            if r.name.trim().is_empty() {
                return Err(format!("报送事项 {id} 没有名称"));
            }
            if r.grace_days > 366 {
                return Err(format!("报送事项 {id} 的宽限天数 {} 太大", r.grace_days));
            }
            if !seen.insert(id) {
                return Err(format!("报送事项编号 {id} 重复"));
            }
            crate::limits::check_chars("报送事项编号", &r.id, crate::limits::MAX_NAME_CHARS)
                .and_then(|()| {
                    crate::limits::check_chars(
                        "报送事项名称",
                        &r.name,
                        crate::limits::MAX_SHORT_TEXT_CHARS,
                    )
                })
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

/// The office's review of a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Review {
    /// 待签收.
    Pending,
    /// 已签收.
    Accepted { date: NaiveDate, by: String },
    /// 退回修改, with the reason; the unit submits again.
    Returned {
        date: NaiveDate,
        by: String,
        reason: String,
    },
}

impl Review {
    pub fn label_zh(&self) -> &'static str {
        match self {
            Review::Pending => "待签收",
            Review::Accepted { .. } => "已签收",
            Review::Returned { .. } => "退回修改",
        }
    }
}

/// One unit's submission of one period of one report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub id: u64,
    /// The unit's id.
    pub unit: String,
    /// The report: a task id, or an [`OfficeReport`] id.
    pub report: String,
    /// The period's first day (with the report, names the period).
    pub period_start: NaiveDate,
    /// The period in words ("2021年第1季度").
    pub period: String,
    /// The period's due day when it was submitted.
    pub due: NaiveDate,
    /// 报送日期.
    pub date: NaiveDate,
    /// What was submitted (报送内容).
    pub what: String,
    /// Why it came late (补报), when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_reason: Option<String>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    pub review: Review,
    /// Who recorded it, and when (RFC 3339).
    pub author: String,
    pub created_at: String,
}

impl Submission {
    pub fn is_late(&self) -> bool {
        self.date > self.due
    }
}

/// Where one unit stands on one period of one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilingState {
    /// Nothing submitted, not yet due.
    Upcoming,
    /// Submitted, awaiting the office's 签收.
    Pending,
    /// 已签收.
    Accepted,
    /// 退回修改: the unit is to submit again.
    Returned,
    /// Past its due day with nothing submitted.
    Missing,
}

impl FilingState {
    pub fn label_zh(self) -> &'static str {
        match self {
            FilingState::Upcoming => "未到期",
            FilingState::Pending => "待签收",
            FilingState::Accepted => "已签收",
            FilingState::Returned => "退回修改",
            FilingState::Missing => "逾期未报",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            FilingState::Upcoming => "upcoming",
            FilingState::Pending => "pending",
            FilingState::Accepted => "accepted",
            FilingState::Returned => "returned",
            FilingState::Missing => "missing",
        }
    }
}

/// One unit's standing on one period of one report, as of a day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Filing {
    /// The report's id (a task id or an office report's id).
    pub report: String,
    pub plan: String,
    pub name: String,
    /// The unit's id.
    pub unit: String,
    pub period: String,
    pub period_start: NaiveDate,
    pub due: NaiveDate,
    pub state: FilingState,
    pub state_label: &'static str,
    /// The first submission's date.
    pub first: Option<NaiveDate>,
    /// Whether it was on time: `None` while not yet due and not submitted.
    pub on_time: Option<bool>,
    /// The submissions, oldest first (ids).
    pub submissions: Vec<u64>,
}

/// Each unit's standing on each period in `entries` as of `today`, given the submissions
/// made (any order; those of other reports, units or periods are ignored). In the entries'
/// order, then by unit as listed.
pub fn filings(entries: &[CalendarEntry], subs: &[Submission], today: NaiveDate) -> Vec<Filing> {
    let mut by_key: BTreeMap<(&str, &str, NaiveDate), Vec<&Submission>> = BTreeMap::new();
    for s in subs {
        by_key
            .entry((s.report.as_str(), s.unit.as_str(), s.period_start))
            .or_default()
            .push(s);
    }
    for list in by_key.values_mut() {
        list.sort_by_key(|s| (s.date, s.id));
    }
    let mut out = Vec::new();
    for e in entries {
        for unit in &e.units {
            let subs = by_key
                .get(&(e.id.as_str(), unit.as_str(), e.start))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let first = subs.first().map(|s| s.date);
            let state = match subs.last() {
                Some(s) => match s.review {
                    Review::Pending => FilingState::Pending,
                    Review::Accepted { .. } => FilingState::Accepted,
                    Review::Returned { .. } => FilingState::Returned,
                },
                None if e.due < today => FilingState::Missing,
                None => FilingState::Upcoming,
            };
            let on_time = match first {
                Some(d) => Some(d <= e.due),
                None if e.due < today => Some(false),
                None => None,
            };
            out.push(Filing {
                report: e.id.clone(),
                plan: e.plan.clone(),
                name: e.name.clone(),
                unit: unit.clone(),
                period: e.period.clone(),
                period_start: e.start,
                due: e.due,
                state,
                state_label: state.label_zh(),
                first,
                on_time,
                submissions: subs.iter().map(|s| s.id).collect(),
            });
        }
    }
    out
}

/// Whether a unit's name stands for many bodies ("各镇、街道", "各有关部门", "负有安全监管职能的
/// 相关部门") rather than one that can submit a report.
pub fn is_collective(name: &str) -> bool {
    let name = name.trim();
    name.starts_with('各')
        || name.starts_with("负有")
        || name.contains("有关")
        || name.contains("相关")
}

/// Those of `office` asked for in `campaign` with who owes each spelled out: the units it
/// names, else every unit with a task in `tasks` (as lead, else responsible) that is one body
/// ([`is_collective`]), in id order.
pub fn owed_by(
    office: &[OfficeReport],
    campaign: &str,
    tasks: &[crate::campaign::Task],
    units: &crate::unit::UnitDirectory,
) -> Vec<OfficeReport> {
    let mut every: Vec<String> = tasks
        .iter()
        .flat_map(crate::calendar::reporting_units)
        .filter(|u| !is_collective(units.name_of(u)))
        .collect();
    every.sort();
    every.dedup();
    office
        .iter()
        .filter(|o| o.applies_to(campaign))
        .map(|o| {
            let mut o = o.clone();
            if o.units.is_empty() {
                o.units = every.clone();
            }
            o
        })
        .collect()
}

/// Every period owed by a unit of the reports of `tasks` (their recurring duties) and of
/// `office` (as [`owed_by`] spells out for `campaign`) whose period ends within the
/// campaign (an office report's last period may fall due after its end, by its days of
/// grace), with each unit's standing on it as of `today`.
pub fn campaign_filings(
    tasks: &[crate::campaign::Task],
    office: &[OfficeReport],
    units: &crate::unit::UnitDirectory,
    campaign: &crate::campaign::Campaign,
    subs: &[Submission],
    today: NaiveDate,
) -> (Vec<CalendarEntry>, Vec<Filing>) {
    let (start, end) = (campaign.start, campaign.end);
    let grace = office.iter().map(|o| o.grace_days).max().unwrap_or(0);
    let to = end + chrono::Days::new(u64::from(grace));
    let office = owed_by(office, &campaign.id, tasks, units);
    // A name of many bodies (各有关部门) cannot submit as one: its periods are not tracked.
    let entries: Vec<CalendarEntry> = crate::calendar::calendar(tasks, &[], &office, start, to)
        .into_iter()
        .map(|mut e| {
            e.units.retain(|u| !is_collective(units.name_of(u)));
            e
        })
        .filter(|e| !e.units.is_empty() && e.end >= start && e.end <= end)
        .collect();
    let list = filings(&entries, subs, today);
    (entries, list)
}

/// The on-time rate of one unit over one period (or over all, [`ALL_PERIODS`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OnTime {
    /// The unit's id.
    pub unit: String,
    /// "2021年第1季度", or [`ALL_PERIODS`] for the unit's total.
    pub period: String,
    /// Periods due by the day (those counted).
    pub due: usize,
    pub on_time: usize,
    /// Submitted after the due day (补报).
    pub late: usize,
    /// Nothing submitted (未报).
    pub missing: usize,
    /// `on_time / due`, when anything was due.
    pub rate: Option<f64>,
}

/// The period of a unit's total in [`on_time`].
pub const ALL_PERIODS: &str = "合计";

/// The on-time rate per unit and period (in the periods' order of first appearance), each
/// unit's total after its periods; units in the order they first appear in `filings`.
/// Periods not yet due count nowhere.
pub fn on_time(filings: &[Filing]) -> Vec<OnTime> {
    let mut units: Vec<&str> = Vec::new();
    let mut rows: BTreeMap<(&str, &str), OnTime> = BTreeMap::new();
    let mut periods: BTreeMap<&str, Vec<(NaiveDate, &str)>> = BTreeMap::new();
    for f in filings {
        let Some(ok) = f.on_time else { continue };
        if !units.contains(&f.unit.as_str()) {
            units.push(&f.unit);
        }
        let list = periods.entry(&f.unit).or_default();
        if !list.iter().any(|(_, p)| *p == f.period) {
            list.push((f.due, &f.period));
        }
        for period in [f.period.as_str(), ALL_PERIODS] {
            let row = rows
                .entry((f.unit.as_str(), period))
                .or_insert_with(|| OnTime {
                    unit: f.unit.clone(),
                    period: period.to_owned(),
                    due: 0,
                    on_time: 0,
                    late: 0,
                    missing: 0,
                    rate: None,
                });
            row.due += 1;
            match (ok, f.first.is_some()) {
                (true, _) => row.on_time += 1,
                (false, true) => row.late += 1,
                (false, false) => row.missing += 1,
            }
        }
    }
    let mut out = Vec::new();
    for u in units {
        let mut list = periods.remove(u).unwrap_or_default();
        list.sort();
        for p in list.iter().map(|(_, p)| *p).chain([ALL_PERIODS]) {
            if let Some(mut row) = rows.remove(&(u, p)) {
                row.rate = (row.due > 0).then(|| row.on_time as f64 / row.due as f64);
                out.push(row);
            }
        }
    }
    out
}

/// A submission in the user's words: "区住建局报送2021年1月的“月报”（2021-02-03）", "…补报…".
pub fn submission_words(
    unit: &str,
    report: &str,
    period: &str,
    date: NaiveDate,
    late: bool,
) -> String {
    let verb = if late { "补报" } else { "报送" };
    format!("{unit}{verb}{period}的“{report}”（{date}）")
}

/// The rate in words: "83.3%", or "—" when nothing was due.
pub fn rate_text(rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{:.1}%", r * 100.0),
        None => "—".to_owned(),
    }
}

/// The period of `recurrence` a submission dated `date` is for when the user names none:
/// among the periods open on `date` (begun, and not past their due day), the earliest that
/// `submitted` (the period starts the unit already submitted, not returned) does not hold.
pub fn default_period(
    recurrence: Recurrence,
    grace_days: u32,
    date: NaiveDate,
    submitted: &[NaiveDate],
) -> Option<(NaiveDate, NaiveDate)> {
    let back = date - chrono::Days::new(u64::from(grace_days));
    recurrence
        .periods(back, date)
        .into_iter()
        .filter(|(_, end)| *end + chrono::Days::new(u64::from(grace_days)) >= date)
        .find(|(start, _)| !submitted.contains(start))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::calendar::DutyOf;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn entry(id: &str, start: &str, end: &str, period: &str, units: &[&str]) -> CalendarEntry {
        CalendarEntry {
            of: DutyOf::Task,
            id: id.into(),
            plan: "p".into(),
            name: "季报".into(),
            recurrence: Recurrence::Quarterly,
            recurrence_label: "每季度".into(),
            start: day(start),
            end: day(end),
            period: period.into(),
            due: day(end),
            units: units.iter().map(|u| (*u).to_owned()).collect(),
        }
    }

    fn sub(id: u64, unit: &str, start: &str, date: &str, review: Review) -> Submission {
        Submission {
            id,
            unit: unit.into(),
            report: "p/1".into(),
            period_start: day(start),
            period: String::new(),
            due: day("2021-03-31"),
            date: day(date),
            what: "季报".into(),
            late_reason: None,
            evidence: Vec::new(),
            review,
            author: String::new(),
            created_at: String::new(),
        }
    }

    #[test]
    fn each_unit_stands_on_each_period_and_the_rate_counts_the_first_submission() {
        let entries = [
            entry(
                "p/1",
                "2021-01-01",
                "2021-03-31",
                "2021年第1季度",
                &["a", "b", "c"],
            ),
            entry(
                "p/1",
                "2021-04-01",
                "2021-06-30",
                "2021年第2季度",
                &["a", "b", "c"],
            ),
        ];
        let returned = Review::Returned {
            date: day("2021-04-02"),
            by: "办".into(),
            reason: "缺数据".into(),
        };
        let subs = [
            // a: on the due day (a deadline runs to its end), returned, then again.
            sub(1, "a", "2021-01-01", "2021-03-31", returned),
            sub(2, "a", "2021-01-01", "2021-04-05", Review::Pending),
            // b: late (补报), accepted.
            sub(
                3,
                "b",
                "2021-01-01",
                "2021-04-01",
                Review::Accepted {
                    date: day("2021-04-02"),
                    by: "办".into(),
                },
            ),
            // c: nothing.
        ];
        let today = day("2021-05-01");
        let list = filings(&entries, &subs, today);
        let states: Vec<(&str, &str, FilingState, Option<bool>)> = list
            .iter()
            .map(|f| (f.unit.as_str(), f.period.as_str(), f.state, f.on_time))
            .collect();
        assert_eq!(
            states,
            [
                ("a", "2021年第1季度", FilingState::Pending, Some(true)),
                ("b", "2021年第1季度", FilingState::Accepted, Some(false)),
                ("c", "2021年第1季度", FilingState::Missing, Some(false)),
                ("a", "2021年第2季度", FilingState::Upcoming, None),
                ("b", "2021年第2季度", FilingState::Upcoming, None),
                ("c", "2021年第2季度", FilingState::Upcoming, None),
            ]
        );
        assert_eq!(list[0].submissions, [1, 2]);
        let rates = on_time(&list);
        let a_total = rates
            .iter()
            .find(|r| r.unit == "a" && r.period == ALL_PERIODS)
            .unwrap();
        assert_eq!((a_total.due, a_total.on_time), (1, 1));
        assert_eq!(rate_text(a_total.rate), "100.0%");
        let b = rates.iter().find(|r| r.unit == "b").unwrap();
        assert_eq!(
            (b.period.as_str(), b.late, b.missing),
            ("2021年第1季度", 1, 0)
        );
        assert_eq!(rate_text(b.rate), "0.0%");
        let c = rates.iter().find(|r| r.unit == "c").unwrap();
        assert_eq!((c.missing, c.on_time), (1, 0));
        // The second quarter is not due: no row for it.
        assert!(rates.iter().all(|r| r.period != "2021年第2季度"));
        // Later, the second quarter's due day passed: c owes two.
        let later = on_time(&filings(&entries, &subs, day("2021-07-01")));
        let c = later
            .iter()
            .find(|r| r.unit == "c" && r.period == ALL_PERIODS)
            .unwrap();
        assert_eq!((c.due, c.missing), (2, 2));
        let periods: Vec<&str> = later
            .iter()
            .filter(|r| r.unit == "a")
            .map(|r| r.period.as_str())
            .collect();
        assert_eq!(periods, ["2021年第1季度", "2021年第2季度", ALL_PERIODS]);
    }

    #[test]
    fn a_submission_without_a_period_is_for_the_earliest_open_one_not_yet_submitted() {
        let m = Recurrence::Monthly;
        // 月报 due 5 days after each month: on 3 February both January and February are open.
        let jan = day("2021-01-01");
        let feb = day("2021-02-01");
        assert_eq!(default_period(m, 5, day("2021-02-03"), &[]).unwrap().0, jan);
        assert_eq!(
            default_period(m, 5, day("2021-02-03"), &[jan]).unwrap().0,
            feb
        );
        // Past January's grace: February.
        assert_eq!(default_period(m, 5, day("2021-02-06"), &[]).unwrap().0, feb);
        // Due on the period's last day: only the month of the date.
        assert_eq!(default_period(m, 0, day("2021-02-03"), &[]).unwrap().0, feb);
        assert_eq!(default_period(m, 0, day("2021-02-03"), &[feb]), None);
    }

    #[test]
    fn office_reports_are_checked() {
        let mut r = Reporting::default();
        assert!(r.check().is_ok());
        r.office_reports.push(OfficeReport {
            id: "a/b".into(),
            name: "月报".into(),
            recurrence: Recurrence::Monthly,
            grace_days: 5,
            units: Vec::new(),
            campaign: None,
        });
        assert!(r.check().unwrap_err().contains("不能含“/”"));
        r.office_reports[0].id = "monthly".into();
        assert!(r.check().is_ok());
        r.office_reports.push(r.office_reports[0].clone());
        assert!(r.check().unwrap_err().contains("重复"));
    }

    #[test]
    fn a_report_for_every_unit_leaves_out_the_names_of_many_bodies() {
        for name in [
            "各镇、街道",
            "各有关部门",
            "负有安全监管职能的相关部门",
            "区有关单位",
        ] {
            assert!(is_collective(name), "{name}");
        }
        for name in ["区应急管理局", "麒麟区党委、政府", "区安委办"] {
            assert!(!is_collective(name), "{name}");
        }
        let unit = |id: &str, name: &str| crate::unit::Unit {
            id: id.into(),
            name: name.into(),
            aliases: Vec::new(),
            kind: Default::default(),
            alias_sources: Vec::new(),
        };
        let dir = crate::unit::UnitDirectory::new(vec![
            unit("u1", "区应急管理局"),
            unit("u2", "各镇、街道"),
            unit("u3", "区住建局"),
        ])
        .unwrap();
        let task = |lead: &str| -> crate::campaign::Task {
            serde_json::from_value(serde_json::json!({
                "id": "p/1", "plan": "p", "order": 1, "label": "1", "title": "t", "text": "",
                "roles": [{"unit": lead, "role": "lead"}],
            }))
            .unwrap()
        };
        let office = [OfficeReport {
            id: "monthly".into(),
            name: "月报".into(),
            recurrence: Recurrence::Monthly,
            grace_days: 0,
            units: Vec::new(),
            campaign: None,
        }];
        let owed = owed_by(&office, "c", &[task("u3"), task("u2"), task("u1")], &dir);
        assert_eq!(owed[0].units, ["u1", "u3"]);
        let mut named = office.clone();
        named[0].units = vec!["u2".into()];
        assert_eq!(
            owed_by(&named, "c", &[task("u1")], &dir)[0].units,
            ["u2"],
            "as named"
        );
        // Asked for in another campaign: not in this one.
        named[0].campaign = Some("other".into());
        assert!(owed_by(&named, "c", &[task("u1")], &dir).is_empty());
        // A task's recurring duty led by a collective is not tracked per unit; by a body it is.
        let mut t = task("u2");
        t.deadlines = vec![crate::deadline::parse_deadline("每季度", None).unwrap()];
        let mut u = task("u1");
        u.id = "p/2".into();
        u.deadlines = t.deadlines.clone();
        let campaign: crate::campaign::Campaign = serde_json::from_value(serde_json::json!({
            "id": "c", "name": "c", "start": "2021-01-01", "end": "2021-12-31",
        }))
        .unwrap();
        let (_, list) = campaign_filings(
            &[t, u],
            &[],
            &dir,
            &campaign,
            &[],
            NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(),
        );
        assert_eq!(list.len(), 4, "u1's four quarters only");
        assert!(list.iter().all(|f| f.unit == "u1"));
    }
}
