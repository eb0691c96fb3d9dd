//! The accountability rules the seeds state, as pure functions (the supervision issue builds
//! its registers, documents and screens on them):
//!
//! - the 督办 ladder 提醒 → 催办 → 督办函 → 挂牌督办 → 通报 → 约谈, each step due a number of days
//!   (the office's setting) after the one before, the first after the item's deadline;
//! - 通报 counted per unit per calendar year: two or more ("以上" includes the number) cost a
//!   member unit a share of its assessment score (seed 002 L18: 5 %; base and share are
//!   settings);
//! - 一票否决 (seed 001 L40, seed 004 #6, seed 000 L42): a 重特大事故 in the year makes the
//!   assessment 不合格; a 较大以上事故 costs the year's 评优资格;
//! - hazard-report rewards in four tiers plus the flat 500 元 (seed 002 L16); the tiers' ends
//!   overlap (300, 1000, 2000 元), so the user picks the tier and the amount is checked.
//!
//! A day runs to its end: a step due on a day is not late on that day.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A step of the 督办 ladder, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 提醒.
    Remind,
    /// 催办.
    Press,
    /// 督办函.
    Letter,
    /// 挂牌督办.
    Listed,
    /// 通报.
    Circular,
    /// 约谈.
    Talk,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Remind,
        Step::Press,
        Step::Letter,
        Step::Listed,
        Step::Circular,
        Step::Talk,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            Step::Remind => "提醒",
            Step::Press => "催办",
            Step::Letter => "督办函",
            Step::Listed => "挂牌督办",
            Step::Circular => "通报",
            Step::Talk => "约谈",
        }
    }

    /// The title of the document the step is made with; `None` for 通报, which has a
    /// numbered series of its own.
    pub fn document_zh(self) -> Option<&'static str> {
        match self {
            Step::Remind => Some("工作提醒函"),
            Step::Press => Some("催办通知"),
            Step::Letter => Some("督办函"),
            Step::Listed => Some("挂牌督办通知书"),
            Step::Circular => None,
            Step::Talk => Some("约谈通知书"),
        }
    }

    /// The step after this one; none after 约谈.
    pub fn next(self) -> Option<Step> {
        let i = Step::ALL.iter().position(|s| *s == self)?;
        Step::ALL.get(i + 1).copied()
    }
}

/// Days after the step before (the first: after the item's deadline) each step falls due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ladder {
    /// In [`Step::ALL`] order.
    pub grace_days: [u32; 6],
}

impl Default for Ladder {
    /// 提醒 the day after the deadline, then a week to each further step (a 通报 a month after
    /// the 挂牌, a 约谈 a month after the 通报).
    fn default() -> Self {
        Ladder {
            grace_days: [1, 7, 7, 7, 30, 30],
        }
    }
}

impl Ladder {
    fn grace(&self, step: Step) -> u32 {
        Step::ALL
            .iter()
            .position(|s| *s == step)
            .and_then(|i| self.grace_days.get(i).copied())
            .unwrap_or(0)
    }

    /// The next step of an item whose deadline is `deadline`, the last step taken being
    /// `last` (on its day), and the day it falls due; `None` after 约谈.
    pub fn next_step(
        &self,
        deadline: NaiveDate,
        last: Option<(Step, NaiveDate)>,
    ) -> Option<(Step, NaiveDate)> {
        let (step, from) = match last {
            None => (Step::Remind, deadline),
            Some((s, day)) => (s.next()?, day),
        };
        let due = from.checked_add_days(chrono::Days::new(u64::from(self.grace(step))))?;
        Some((step, due))
    }

    /// The step due on `today` (its day has come) for such an item, if any.
    pub fn due_on(
        &self,
        deadline: NaiveDate,
        last: Option<(Step, NaiveDate)>,
        today: NaiveDate,
    ) -> Option<(Step, NaiveDate)> {
        self.next_step(deadline, last)
            .filter(|(_, due)| *due <= today)
    }
}

/// How a 通报 costs a member unit: the share of the assessment score taken when it was named
/// in `threshold` or more 通报 in a calendar year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CircularRule {
    /// "2次以上": the count from which it applies (以上 includes the number).
    pub threshold: u32,
    /// 5 % of the base.
    pub percent: f64,
    /// The assessment score the share is of (考核分值).
    pub base: f64,
}

impl Default for CircularRule {
    fn default() -> Self {
        CircularRule {
            threshold: 2,
            percent: 5.0,
            base: 100.0,
        }
    }
}

impl CircularRule {
    /// The deduction for a unit named in `count` 通报 of a year: `None` below the threshold.
    pub fn deduction(&self, count: u32) -> Option<f64> {
        (count >= self.threshold).then(|| self.base * self.percent / 100.0)
    }
}

/// How many 通报 of `year` name each unit: `circulars` are (date, units named).
pub fn circulars_per_unit<'a>(
    circulars: impl IntoIterator<Item = (NaiveDate, &'a [String])>,
    year: i32,
) -> BTreeMap<String, u32> {
    let mut out: BTreeMap<String, u32> = BTreeMap::new();
    for (date, units) in circulars {
        if date.year() != year {
            continue;
        }
        let mut seen: Vec<&str> = Vec::new();
        for u in units {
            if !seen.contains(&u.as_str()) {
                seen.push(u);
                *out.entry(u.clone()).or_default() += 1;
            }
        }
    }
    out
}

/// The grade of an accident (生产安全事故等级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccidentGrade {
    /// 一般事故.
    Ordinary,
    /// 较大事故.
    Larger,
    /// 重大事故.
    Major,
    /// 特别重大事故.
    Extraordinary,
}

impl AccidentGrade {
    pub fn label_zh(self) -> &'static str {
        match self {
            AccidentGrade::Ordinary => "一般事故",
            AccidentGrade::Larger => "较大事故",
            AccidentGrade::Major => "重大事故",
            AccidentGrade::Extraordinary => "特别重大事故",
        }
    }
}

/// What accidents of a year do to a unit's assessment (一票否决).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Veto {
    /// A 重特大事故: the assessment is 不合格 whatever the score.
    pub fails: bool,
    /// A 较大以上事故: no 评优 that year.
    pub no_award: bool,
}

/// The 一票否决 of `year` from the accidents (date, grade) charged to a unit.
pub fn veto(accidents: &[(NaiveDate, AccidentGrade)], year: i32) -> Veto {
    let worst = accidents
        .iter()
        .filter(|(d, _)| d.year() == year)
        .map(|(_, g)| *g)
        .max();
    Veto {
        fails: worst >= Some(AccidentGrade::Major),
        no_award: worst >= Some(AccidentGrade::Larger),
    }
}

/// The tiers of rewards for reporting hazards and violations (seed 002 L16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RewardTier {
    /// 安全生产违法行为, 一般事故隐患: 50–300 元.
    Ordinary,
    /// 较大事故隐患: 300–1000 元.
    Larger,
    /// 重大事故隐患, 安全生产严重违法行为: 1000–2000 元.
    Major,
    /// 特别重大事故隐患 (or one needing a regional emergency plan), 特别严重违法行为:
    /// 2000–10000 元.
    Extraordinary,
    /// 职业病危害防治措施不到位: 500 元.
    OccupationalHealth,
}

impl RewardTier {
    /// The amounts allowed, in 元 (both ends included).
    pub fn range(self) -> (u32, u32) {
        match self {
            RewardTier::Ordinary => (50, 300),
            RewardTier::Larger => (300, 1000),
            RewardTier::Major => (1000, 2000),
            RewardTier::Extraordinary => (2000, 10_000),
            RewardTier::OccupationalHealth => (500, 500),
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            RewardTier::Ordinary => "安全生产违法行为或一般事故隐患",
            RewardTier::Larger => "较大事故隐患",
            RewardTier::Major => "重大事故隐患或严重违法行为",
            RewardTier::Extraordinary => "特别重大事故隐患或特别严重违法行为",
            RewardTier::OccupationalHealth => "职业病危害防治措施不到位",
        }
    }

    /// Whether `amount` 元 is a reward of this tier; why not, for the user.
    pub fn check(self, amount: u32) -> Result<(), String> {
        let (lo, hi) = self.range();
        if (lo..=hi).contains(&amount) {
            Ok(())
        } else if lo == hi {
            Err(format!(
                "“{}”的奖励为 {lo} 元（填写的是 {amount} 元）",
                self.label_zh()
            ))
        } else {
            Err(format!(
                "“{}”的奖励在 {lo}—{hi} 元之间（填写的是 {amount} 元）",
                self.label_zh()
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_ladder_climbs_a_step_at_a_time_each_due_on_its_day() {
        let ladder = Ladder::default();
        let deadline = day("2021-06-30");
        // The deadline's own day is not late: 提醒 is due the day after.
        assert_eq!(ladder.due_on(deadline, None, deadline), None);
        assert_eq!(
            ladder.due_on(deadline, None, day("2021-07-01")),
            Some((Step::Remind, day("2021-07-01")))
        );
        // 催办 a week after the 提醒 taken on 2 July: due on the 9th, not on the 8th.
        let last = Some((Step::Remind, day("2021-07-02")));
        assert_eq!(ladder.due_on(deadline, last, day("2021-07-08")), None);
        assert_eq!(
            ladder.due_on(deadline, last, day("2021-07-09")),
            Some((Step::Press, day("2021-07-09")))
        );
        // Every step in order, none after 约谈.
        let mut last = None;
        let mut steps = Vec::new();
        while let Some((s, due)) = ladder.next_step(deadline, last) {
            steps.push(s);
            last = Some((s, due));
        }
        assert_eq!(steps, Step::ALL);
        assert_eq!(Step::Talk.next(), None);
        // The office's own days.
        let quick = Ladder {
            grace_days: [0, 1, 1, 1, 1, 1],
        };
        assert_eq!(
            quick.due_on(deadline, None, deadline),
            Some((Step::Remind, deadline))
        );
    }

    #[test]
    fn the_second_circular_of_a_calendar_year_costs_five_percent() {
        let a = vec!["区住建局".to_owned()];
        let ab = vec![
            "区住建局".to_owned(),
            "区交通运输局".to_owned(),
            "区住建局".to_owned(),
        ];
        let circulars = [
            (day("2021-12-31"), ab.as_slice()),
            (day("2022-01-01"), a.as_slice()),
            (day("2022-06-30"), ab.as_slice()),
        ];
        // Across the year's end the counts start again; a unit named twice in one 通报 counts once.
        let y2021 = circulars_per_unit(circulars, 2021);
        assert_eq!(y2021.get("区住建局"), Some(&1));
        let y2022 = circulars_per_unit(circulars, 2022);
        assert_eq!(y2022.get("区住建局"), Some(&2));
        assert_eq!(y2022.get("区交通运输局"), Some(&1));
        let rule = CircularRule::default();
        assert_eq!(rule.deduction(1), None, "the first costs nothing");
        assert_eq!(rule.deduction(2), Some(5.0), "以上 includes two");
        assert_eq!(rule.deduction(3), Some(5.0));
        let office = CircularRule {
            base: 40.0,
            ..CircularRule::default()
        };
        assert_eq!(office.deduction(2), Some(2.0));
    }

    #[test]
    fn accidents_veto_within_their_calendar_year() {
        let larger = [(day("2021-12-31"), AccidentGrade::Larger)];
        assert_eq!(
            veto(&larger, 2021),
            Veto {
                fails: false,
                no_award: true
            }
        );
        assert_eq!(
            veto(&larger, 2022),
            Veto::default(),
            "1 January is another year"
        );
        let major = [
            (day("2022-01-01"), AccidentGrade::Ordinary),
            (day("2022-05-01"), AccidentGrade::Major),
        ];
        assert_eq!(
            veto(&major, 2022),
            Veto {
                fails: true,
                no_award: true
            }
        );
        assert_eq!(
            veto(&[(day("2022-05-01"), AccidentGrade::Ordinary)], 2022),
            Veto::default()
        );
    }

    #[test]
    fn a_reward_is_checked_against_its_tier_whose_ends_overlap() {
        // 300 is both the top of the first tier and the bottom of the second.
        assert!(RewardTier::Ordinary.check(300).is_ok());
        assert!(RewardTier::Larger.check(300).is_ok());
        assert!(RewardTier::Ordinary.check(50).is_ok());
        assert!(RewardTier::Ordinary.check(49).is_err());
        assert!(RewardTier::Ordinary.check(301).is_err());
        assert!(RewardTier::Major.check(2000).is_ok());
        assert!(RewardTier::Extraordinary.check(2000).is_ok());
        assert!(RewardTier::Extraordinary.check(10_000).is_ok());
        assert!(RewardTier::Extraordinary.check(10_001).is_err());
        let e = RewardTier::OccupationalHealth.check(600).unwrap_err();
        assert!(e.contains("500 元"), "{e}");
        assert!(RewardTier::OccupationalHealth.check(500).is_ok());
    }
}
