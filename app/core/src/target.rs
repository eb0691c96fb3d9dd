//! Targets / indicators (目标/指标): verbatim name, unit, comparator, yearly checkpoints,
//! baseline and measured values, and their evaluation: [`evaluate`] decides a target's
//! [`TargetStatus`] (达标 / 按计划 / 滞后 / 逾期未达标 / 无数据 / 缺基数) from a current value and
//! the day it is seen on. Plugins supply values; the rules live here, in one function. No clock:
//! callers pass `as_of`.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How a measured value is compared with a checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// 达到 (e.g. "达到100%", "达到40%以上"): reached when the value is **at least** the
    /// figure. The sources use 达到 for rates and counts that must get up to a figure, so
    /// overshooting still counts as reached (and rates above 100% do not occur).
    Reach,
    /// 不低于 / 以上 (≥)
    AtLeast,
    /// 不高于 / 以内 / 控制在 (≤)
    AtMost,
    /// 下降≥ x% against the baseline: (baseline − value) / baseline · 100 ≥ x.
    DecreaseBy,
    /// 左右 ("产能1500万吨左右"): within the target's [`Target::tolerance`] of the figure, either
    /// way (the plugin states the tolerance; without one only the figure itself meets it).
    About,
    /// A range ("3至5家"): from the checkpoint's figure up to its [`Checkpoint::upper`], both
    /// included.
    Between,
    /// 清零 ("隐患清零"): down to 0 (the checkpoint's figure, 0, is a ceiling).
    Zero,
    /// 全覆盖 ("培训全覆盖"): every one covered — a share of at least the figure (100%).
    FullCoverage,
}

impl Comparator {
    /// Every comparator, in the order the sources' words are listed.
    pub const ALL: [Comparator; 8] = [
        Comparator::Reach,
        Comparator::AtLeast,
        Comparator::AtMost,
        Comparator::DecreaseBy,
        Comparator::About,
        Comparator::Between,
        Comparator::Zero,
        Comparator::FullCoverage,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            Comparator::Reach => "达到",
            Comparator::AtLeast => "不低于",
            Comparator::AtMost => "以内",
            Comparator::DecreaseBy => "下降≥",
            Comparator::About => "左右",
            Comparator::Between => "区间",
            Comparator::Zero => "清零",
            Comparator::FullCoverage => "全覆盖",
        }
    }

    /// Whether a value above the figure meets it (≥ comparators).
    fn floor(self) -> bool {
        matches!(
            self,
            Comparator::Reach | Comparator::AtLeast | Comparator::FullCoverage
        )
    }
}

/// Where the source states a target: a line of the source document and its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// 1-based line of the source document (the plan's `source` names the document).
    pub line: u32,
    /// The words of that line the target is read from.
    pub quote: String,
}

/// What a plugin says of a target beyond its figures: where the source states it, the task it
/// belongs to, how the plugin reads unclear words, and the period of a recurring duty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TargetSource {
    /// The statement first, then restatements elsewhere in the source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<SourceRef>,
    /// The label of the task the statement is in ("(二)3").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// The plugin's reading where the source is unclear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A recurring duty ("每月至少一次"): the figure is a count per period, and the value is
    /// the count of the last whole period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<crate::deadline::Recurrence>,
}

impl TargetSource {
    /// "第99行" / "第99、128行".
    pub fn lines_text(&self) -> Option<String> {
        (!self.refs.is_empty()).then(|| {
            let lines: Vec<String> = self.refs.iter().map(|r| r.line.to_string()).collect();
            format!("第{}行", lines.join("、"))
        })
    }
}

/// The value a target must reach by the end of a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub year: i32,
    pub value: f64,
    /// Optional exact due date when the source gives one; otherwise the year's end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// The range's upper end for [`Comparator::Between`] ("3至5": value 3, upper 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper: Option<f64>,
}

/// The baseline a relative target is measured against ("在2019年基础上").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub year: i32,
    /// The baseline figure; `None` when the source names only the year ("在2019年基础上下降
    /// 20%" without the 2019 figure) and it is still to be entered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

/// Where a target applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetScope {
    /// 全区
    #[default]
    District,
    /// per 镇/街道
    PerTown,
}

/// A measured value of a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    pub date: NaiveDate,
    pub value: f64,
    /// Town unit id for per-town targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town: Option<String>,
    /// Where the figure comes from ("computed" or the user's source note).
    #[serde(default)]
    pub source: String,
}

/// A target of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub id: String,
    pub plan: String,
    /// The indicator's name exactly as written.
    pub name: String,
    /// Measurement unit: "%", "处", "万吨/年"…
    pub unit: String,
    pub comparator: Comparator,
    pub checkpoints: Vec<Checkpoint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
    #[serde(default)]
    pub scope: TargetScope,
    /// Form whose records compute the value (`SECTOR/FORM`), when a plugin computes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed_from: Option<String>,
    /// The task (its id) whose progress entries count toward the target ("每季度召开…": each
    /// meeting reported as one entry of the task): the value is the number of its entries
    /// dated up to the day, or, for a recurring duty, dated in its last whole period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress_of: Option<String>,
    #[serde(default)]
    pub measurements: Vec<Measurement>,
    /// For [`Comparator::About`] (左右): how far from the figure, either way, still meets it,
    /// in the target's unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
    /// Where the source states it.
    #[serde(default)]
    pub source: TargetSource,
}

impl Target {
    /// The value a checkpoint's `figure` requires, in the target's unit: the figure, 0 for
    /// 清零, and for 下降≥ baseline · (1 − figure/100) (`None` until the baseline is entered).
    pub fn required_for(&self, figure: f64) -> Option<f64> {
        let baseline = self
            .baseline
            .as_ref()
            .and_then(|b| b.value)
            .filter(|b| b.is_finite() && *b >= 0.0);
        required_value(self.comparator, figure, baseline)
    }

    /// The value of a target fed by its task's progress entries (`progress_of`) on `as_of`,
    /// from the entries' dates: their number up to `as_of`, or, for a recurring duty, in
    /// its last whole period before `as_of` (dated that period's last day). `None` for a
    /// target not fed so, or a duty with no whole period yet.
    pub fn progress_value(&self, dates: &[NaiveDate], as_of: NaiveDate) -> Option<CurrentValue> {
        self.progress_of.as_ref()?;
        match self.source.period {
            Some(period) => {
                let (start, end) = period.last_whole_before(as_of)?;
                let n = dates.iter().filter(|d| **d >= start && **d <= end).count();
                Some(CurrentValue::new(n as f64, end))
            }
            None => {
                let n = dates.iter().filter(|d| **d <= as_of).count();
                Some(CurrentValue::new(n as f64, as_of))
            }
        }
    }

    /// Every checkpoint in the source's words, in due order: "2020: ≥30% / 2021: ≥60% /
    /// 2022: 达到100%" (with an explicit due date: "2020: ≥4处（2020-06-30前）").
    pub fn checkpoints_text(&self) -> String {
        let mut cps: Vec<&Checkpoint> = self.checkpoints.iter().collect();
        cps.sort_by_key(|c| (c.due_date(), c.year));
        cps.iter()
            .map(|c| match c.due {
                Some(d) => format!("{}: {}（{d}前）", c.year, self.requirement_text(c)),
                None => format!("{}: {}", c.year, self.requirement_text(c)),
            })
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// What a checkpoint asks for, in the source's words: "达到60%", "≤8处", "下降20%以上",
    /// "1500万吨左右（±50）", "3至5家", "清零", "全覆盖".
    pub fn requirement_text(&self, c: &Checkpoint) -> String {
        let unit = self.unit.trim();
        let f = figure(c.value);
        match self.comparator {
            Comparator::Reach => format!("达到{f}{unit}"),
            Comparator::AtLeast => format!("≥{f}{unit}"),
            Comparator::AtMost => format!("≤{f}{unit}"),
            Comparator::DecreaseBy => format!("下降{f}%以上"),
            Comparator::About => match self.tolerance.filter(|t| *t > 0.0) {
                Some(t) => format!("{f}{unit}左右（±{}）", figure(t)),
                None => format!("{f}{unit}左右"),
            },
            Comparator::Between => match c.upper {
                // A range of one figure ("含国有煤矿2处": exactly 2).
                Some(u) if (u - c.value).abs() < TOLERANCE => format!("{f}{unit}"),
                Some(u) => format!("{f}至{}{unit}", figure(u)),
                None => format!("≥{f}{unit}"),
            },
            Comparator::Zero => "清零".to_owned(),
            Comparator::FullCoverage => {
                if (c.value - 100.0).abs() < TOLERANCE && unit == "%" {
                    "全覆盖".to_owned()
                } else {
                    format!("全覆盖（{f}{unit}）")
                }
            }
        }
    }

    /// The checkpoint that applies in `year`: that year's, else the next later one.
    pub fn checkpoint_for(&self, year: i32) -> Option<&Checkpoint> {
        self.checkpoints
            .iter()
            .filter(|c| c.year >= year)
            .min_by_key(|c| c.year)
    }

    /// The last checkpoint (latest due date): the target's deadline.
    pub fn final_checkpoint(&self) -> Option<&Checkpoint> {
        self.checkpoints
            .iter()
            .max_by_key(|c| (c.due_date(), c.year))
    }

    /// The latest hand-entered measurement dated on or before `as_of` for `town` (`None`: the
    /// district-wide figures, those without a town). Of several on the same day the one
    /// entered last wins.
    pub fn latest_measurement(&self, as_of: NaiveDate, town: Option<&str>) -> Option<&Measurement> {
        self.measurements
            .iter()
            .filter(|m| m.date <= as_of && m.town.as_deref() == town)
            .max_by_key(|m| m.date)
    }

    /// The value to evaluate on `as_of` for `town`: the newer of `computed` (the plugin's value
    /// from records) and [`Target::latest_measurement`]; on the same day the computed one. A
    /// computed value dated after `as_of` is not known yet on that day and is ignored.
    pub fn current_value(
        &self,
        computed: Option<CurrentValue>,
        as_of: NaiveDate,
        town: Option<&str>,
    ) -> Option<CurrentValue> {
        let computed = computed.filter(|c| c.date <= as_of);
        let measured = self.latest_measurement(as_of, town).map(CurrentValue::from);
        match (computed, measured) {
            (Some(c), Some(m)) if m.date > c.date => Some(m),
            (Some(c), _) => Some(c),
            (None, m) => m,
        }
    }
}

impl Checkpoint {
    /// When the checkpoint falls due: its explicit `due` date, else 31 December of its year.
    pub fn due_date(&self) -> NaiveDate {
        self.due
            .or_else(|| NaiveDate::from_ymd_opt(self.year, 12, 31))
            .unwrap_or(NaiveDate::MAX)
    }
}

/// A target's status on a given day; see [`evaluate`] for the rules.
///
/// Ordered worst first (like [`crate::Status`]), so the worst of several statuses is their
/// `min`: 逾期未达标 < 滞后 < 无数据 < 缺基数 < 按计划 < 达标. A known shortfall ranks worse
/// than a missing figure; a missing figure worse than being on track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    /// 逾期未达标: a checkpoint's due date has passed and the current value misses it.
    OverdueUnmet,
    /// 滞后: the value misses the checkpoint that applies now, whose due date has not passed.
    Behind,
    /// 无数据: no value known on the day (or the target has no checkpoints).
    NoData,
    /// 缺基数: a 下降≥ target whose baseline figure has not been entered.
    NoBaseline,
    /// 按计划: the value meets the checkpoint that applies now, not yet the final one.
    OnTrack,
    /// 达标: the value meets the final checkpoint.
    Met,
    /// 不适用: marked by the office as not applying to its region
    /// ([`crate::Applicability`]); not in [`TargetStatus::ALL`]: it counts in no status total,
    /// and a summary's [`StatusSummary::worst`] never is it.
    NotApplicable,
}

impl TargetStatus {
    /// Every status, in display order.
    pub const ALL: [TargetStatus; 6] = [
        TargetStatus::Met,
        TargetStatus::OnTrack,
        TargetStatus::Behind,
        TargetStatus::OverdueUnmet,
        TargetStatus::NoData,
        TargetStatus::NoBaseline,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            TargetStatus::Met => "达标",
            TargetStatus::OnTrack => "按计划",
            TargetStatus::Behind => "滞后",
            TargetStatus::OverdueUnmet => "逾期未达标",
            TargetStatus::NoData => "无数据",
            TargetStatus::NoBaseline => "缺基数",
            TargetStatus::NotApplicable => "不适用",
        }
    }

    /// sRGB colour used wherever the status is shown (the same palette as
    /// [`crate::Status::rgb`]): green, blue, orange, red, greys.
    pub fn rgb(self) -> [u8; 3] {
        match self {
            TargetStatus::Met => [30, 140, 60],
            TargetStatus::OnTrack => [30, 110, 200],
            TargetStatus::Behind => [210, 130, 0],
            TargetStatus::OverdueUnmet => [200, 30, 30],
            TargetStatus::NoData => [120, 120, 120],
            TargetStatus::NoBaseline => [150, 150, 150],
            TargetStatus::NotApplicable => [160, 160, 160],
        }
    }

    /// The snake_case key used in JSON and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            TargetStatus::Met => "met",
            TargetStatus::OnTrack => "on_track",
            TargetStatus::Behind => "behind",
            TargetStatus::OverdueUnmet => "overdue_unmet",
            TargetStatus::NoData => "no_data",
            TargetStatus::NoBaseline => "no_baseline",
            TargetStatus::NotApplicable => "not_applicable",
        }
    }

    /// The status with this key or Chinese label.
    pub fn from_key(key: &str) -> Option<TargetStatus> {
        TargetStatus::ALL
            .into_iter()
            .chain([TargetStatus::NotApplicable])
            .find(|s| s.key() == key || s.label_zh() == key)
    }
}

/// A figure as people write it: no needless fraction, at most four decimals ("85", "0.35",
/// "—" for a value that is not a number).
pub fn figure(x: f64) -> String {
    if !x.is_finite() {
        return "—".to_owned();
    }
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// A target's value with the day it stands for (computed from records, or a hand-entered
/// [`Measurement`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CurrentValue {
    pub value: f64,
    pub date: NaiveDate,
}

impl CurrentValue {
    pub fn new(value: f64, date: NaiveDate) -> CurrentValue {
        CurrentValue { value, date }
    }
}

impl From<&Measurement> for CurrentValue {
    fn from(m: &Measurement) -> CurrentValue {
        CurrentValue {
            value: m.value,
            date: m.date,
        }
    }
}

/// Where the performances of a recurring duty are known from.
#[derive(Debug, Clone, Copy)]
pub enum DutyEvidence<'a> {
    /// The progress entries of its task: their dates and the days they were recorded on
    /// (same order).
    Entries {
        dates: &'a [NaiveDate],
        recorded: &'a [NaiveDate],
    },
    /// Its hand-entered values: each the count of the period its date falls in (the latest
    /// entered for that period).
    Entered,
    /// A plugin's count of the last whole period on `as_of`; earlier periods are not known.
    Computed(Option<f64>),
}

/// How one period of a recurring duty stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyState {
    /// 按时完成: the count was reached by what was recorded by the due date.
    OnTime,
    /// 补报完成: reached, but only with what was recorded after the due date.
    Late,
    /// 已完成: reached, by a count that does not say when it was recorded (a plugin's).
    Done,
    /// 逾期未完成: the due date passed and the count is not reached.
    Missed,
    /// 进行中: the period has not ended.
    Open,
    /// 无数据: nothing says how the period went (a computed duty's earlier periods).
    Unknown,
}

impl DutyState {
    pub fn label_zh(self) -> &'static str {
        match self {
            DutyState::OnTime => "按时完成",
            DutyState::Late => "补报完成",
            DutyState::Done => "已完成",
            DutyState::Missed => "逾期未完成",
            DutyState::Open => "进行中",
            DutyState::Unknown => "无数据",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            DutyState::OnTime => "on_time",
            DutyState::Late => "late",
            DutyState::Done => "done",
            DutyState::Missed => "missed",
            DutyState::Open => "open",
            DutyState::Unknown => "unknown",
        }
    }
}

/// One period of a recurring duty ("每季度…"): its days, the due date (its last day: a
/// deadline runs to the end of its day), the count its year requires, the count done and
/// how it stands on the day asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DutyPeriod {
    pub start: NaiveDate,
    pub due: NaiveDate,
    /// The count the period's year requires (its checkpoint's figure); `None` in a year
    /// without a checkpoint.
    pub required: Option<f64>,
    /// The count done (known on the day asked), `None` when not known.
    pub done: Option<f64>,
    pub state: DutyState,
}

impl Target {
    /// The periods of a recurring duty from the one containing `from` to the one
    /// containing `to`, as they stand on `as_of` (periods starting after `as_of` are left
    /// out); empty for a target that is not a recurring duty.
    pub fn duty_periods(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        evidence: DutyEvidence<'_>,
        as_of: NaiveDate,
    ) -> Vec<DutyPeriod> {
        let Some(period) = self.source.period else {
            return Vec::new();
        };
        let last_whole = period.last_whole_before(as_of);
        period
            .periods(from, to.min(as_of))
            .into_iter()
            .map(|(start, due)| {
                let required = self.checkpoint_for(start.year()).map(|c| c.value);
                let reached = |n: f64| required.is_some_and(|r| n >= r);
                let in_period = |d: NaiveDate| d >= start && d <= due;
                let (done, on_time) = match evidence {
                    DutyEvidence::Entries { dates, recorded } => {
                        let known = dates
                            .iter()
                            .zip(recorded.iter().chain(std::iter::repeat(&NaiveDate::MIN)))
                            .filter(|(d, r)| in_period(**d) && **r <= as_of);
                        let (all, timely) = known.fold((0usize, 0usize), |(a, t), (_, r)| {
                            (a + 1, t + usize::from(*r <= due))
                        });
                        (Some(all as f64), Some(timely as f64))
                    }
                    DutyEvidence::Entered => {
                        let v = self
                            .measurements
                            .iter()
                            .filter(|m| m.town.is_none() && in_period(m.date) && m.date <= as_of)
                            .max_by_key(|m| m.date)
                            .map(|m| m.value);
                        (v, v)
                    }
                    DutyEvidence::Computed(v) => {
                        if last_whole == Some((start, due)) {
                            (v, None)
                        } else {
                            (None, None)
                        }
                    }
                };
                let state = match (done, required, on_time) {
                    _ if due >= as_of => DutyState::Open,
                    (None, ..) | (_, None, _) => DutyState::Unknown,
                    (_, _, Some(t)) if reached(t) => DutyState::OnTime,
                    (Some(n), _, Some(_)) if reached(n) => DutyState::Late,
                    (Some(n), _, None) if reached(n) => DutyState::Done,
                    _ => DutyState::Missed,
                };
                DutyPeriod {
                    start,
                    due,
                    required,
                    done,
                    state,
                }
            })
            .collect()
    }
}

/// The outcome of [`evaluate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub status: TargetStatus,
    /// The checkpoint the status is about: the final one for 达标, the missed one whose due
    /// date passed for 逾期未达标, otherwise the one that applies now (the first not yet due,
    /// or the final one when all are). `None` only when the target has no checkpoints.
    pub checkpoint: Option<Checkpoint>,
    /// That checkpoint's due date ([`Checkpoint::due_date`]).
    pub due: Option<NaiveDate>,
    /// The value the current figure must reach, in the target's unit: the checkpoint's figure,
    /// or for 下降≥ the ceiling baseline · (1 − x/100). `None` without a checkpoint or without
    /// the baseline figure.
    pub required: Option<f64>,
    /// The value evaluated (`None` when there was none on the day).
    pub current: Option<CurrentValue>,
    /// How far the current value is from `required`, in the target's unit: positive is still
    /// missing, zero or negative is met (by that margin). `None` without both values.
    pub gap: Option<f64>,
    /// For 下降≥ targets: the decrease achieved, in % of the baseline (needs a baseline > 0).
    pub decrease: Option<f64>,
}

/// Relative tolerance for "exactly equal": figures computed as shares or decreases (2/3·100,
/// 3·0.8) are not exact in binary, and must not flicker around a boundary they sit on.
const TOLERANCE: f64 = 1e-9;

/// The value a checkpoint requires, in the target's unit (for a range or 左右, its figure).
fn required_value(comparator: Comparator, figure: f64, baseline: Option<f64>) -> Option<f64> {
    match comparator {
        Comparator::DecreaseBy => baseline.map(|b| b * (1.0 - figure / 100.0)),
        Comparator::Zero => Some(0.0),
        _ => Some(figure),
    }
}

/// How a checkpoint is met: the comparator with what it needs beyond the figure.
#[derive(Clone, Copy)]
struct Rule {
    comparator: Comparator,
    tolerance: f64,
}

impl Rule {
    fn of(target: &Target) -> Rule {
        Rule {
            comparator: target.comparator,
            tolerance: target
                .tolerance
                .filter(|t| t.is_finite() && *t >= 0.0)
                .unwrap_or(0.0),
        }
    }

    /// Shortfall of `value` against `required` (positive = missing; for 左右 and ranges, how
    /// far outside the allowed band, either way).
    fn gap(self, required: f64, upper: Option<f64>, value: f64) -> f64 {
        match self.comparator {
            c if c.floor() => required - value,
            Comparator::About => (value - required).abs() - self.tolerance,
            Comparator::Between => match upper {
                Some(u) => (required - value).max(value - u),
                None => required - value,
            },
            _ => value - required,
        }
    }
}

fn satisfied(gap: f64, required: f64) -> bool {
    gap <= TOLERANCE * required.abs().max(1.0)
}

/// A target's status on `as_of`, given its current value.
///
/// The rules, in order:
///
/// 1. **Comparison.** 达到 (`Reach`) and 不低于 (`AtLeast`) need value ≥ figure; 以内 / 不高于 /
///    控制在 (`AtMost`) need value ≤ figure; 下降≥ (`DecreaseBy`) needs (baseline − value) /
///    baseline · 100 ≥ figure, evaluated as value ≤ baseline · (1 − figure/100) (the same for a
///    positive baseline, and defined for a baseline of 0: staying at 0 meets it); 左右
///    (`About`) needs |value − figure| ≤ the target's tolerance; a range (`Between`) needs
///    figure ≤ value ≤ the checkpoint's upper end; 清零 (`Zero`) needs value ≤ 0; 全覆盖
///    (`FullCoverage`) needs value ≥ figure (100%). Equality meets every comparator (to a
///    relative 1e-9).
/// 2. **Due dates.** A checkpoint falls due on its `due` date, else on 31 December of its
///    year; it is still in time on that day and passed from the next. The *final* checkpoint
///    is the one due last (the target's deadline). The checkpoint that *applies* on `as_of` is
///    the first one not yet passed: without explicit dates, the current year's or the next
///    later one.
/// 3. **缺基数** (`NoBaseline`) for a 下降≥ target whose baseline figure is missing (or
///    negative or not finite), whatever the value.
/// 4. **无数据** (`NoData`) when there is no value, its date is after `as_of` (not known yet
///    on that day), it is not finite, or the target has no checkpoints.
/// 5. **达标** (`Met`) when the value meets the final checkpoint, at any date — even after an
///    earlier miss.
/// 6. **逾期未达标** (`OverdueUnmet`) when the latest checkpoint whose due date has passed is
///    missed. The current value is the latest known figure and stands for the state on
///    `as_of`, whenever it was measured. Only the latest passed checkpoint counts: a later
///    checkpoint supersedes an earlier one.
/// 7. **按计划** (`OnTrack`) when the value meets the checkpoint that applies now (not yet the
///    final one, else rule 5 would have applied); otherwise **滞后** (`Behind`): it misses a
///    checkpoint that is not yet due.
///
/// Checkpoints are levels to be reached by their date ("30% → 60% → 100%"), not amounts per
/// year.
pub fn evaluate(target: &Target, current: Option<CurrentValue>, as_of: NaiveDate) -> Evaluation {
    let comparator = target.comparator;
    let rule = Rule::of(target);
    let baseline = target
        .baseline
        .as_ref()
        .and_then(|b| b.value)
        .filter(|b| b.is_finite() && *b >= 0.0);
    let current = current.filter(|c| c.value.is_finite() && c.date <= as_of);
    let decrease = match (comparator, baseline, current) {
        (Comparator::DecreaseBy, Some(b), Some(c)) if b > 0.0 => Some((b - c.value) / b * 100.0),
        _ => None,
    };
    let mut by_due: Vec<&Checkpoint> = target.checkpoints.iter().collect();
    by_due.sort_by_key(|c| (c.due_date(), c.year));
    let last = by_due.last().copied();
    let applicable = by_due
        .iter()
        .copied()
        .find(|c| c.due_date() >= as_of)
        .or(last);
    let last_passed = by_due.iter().rev().copied().find(|c| c.due_date() < as_of);

    let outcome = |status: TargetStatus, checkpoint: Option<&Checkpoint>| {
        let required = checkpoint.and_then(|c| required_value(comparator, c.value, baseline));
        Evaluation {
            status,
            checkpoint: checkpoint.cloned(),
            due: checkpoint.map(Checkpoint::due_date),
            required,
            current,
            gap: required
                .zip(current)
                .map(|(r, c)| rule.gap(r, checkpoint.and_then(|c| c.upper), c.value)),
            decrease,
        }
    };

    let (Some(last), Some(applicable)) = (last, applicable) else {
        return outcome(TargetStatus::NoData, None);
    };
    if comparator == Comparator::DecreaseBy && baseline.is_none() {
        return outcome(TargetStatus::NoBaseline, Some(applicable));
    }
    let Some(value) = current.map(|c| c.value) else {
        return outcome(TargetStatus::NoData, Some(applicable));
    };
    let meets = |c: &Checkpoint| {
        required_value(comparator, c.value, baseline)
            .is_some_and(|r| satisfied(rule.gap(r, c.upper, value), r))
    };
    if meets(last) {
        return outcome(TargetStatus::Met, Some(last));
    }
    if let Some(passed) = last_passed
        && !meets(passed)
    {
        return outcome(TargetStatus::OverdueUnmet, Some(passed));
    }
    if meets(applicable) {
        outcome(TargetStatus::OnTrack, Some(applicable))
    } else {
        outcome(TargetStatus::Behind, Some(applicable))
    }
}

impl Evaluation {
    /// The evaluation of a target marked 不适用: no checkpoint, no figure, no gap.
    pub fn not_applicable() -> Evaluation {
        Evaluation {
            status: TargetStatus::NotApplicable,
            checkpoint: None,
            due: None,
            required: None,
            current: None,
            gap: None,
            decrease: None,
        }
    }
}

/// A per-town target evaluated town by town.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerTownEvaluation {
    /// Each town (unit id) with its evaluation, in the order given.
    pub towns: Vec<(String, Evaluation)>,
    /// The district-wide figure's evaluation, when there is one.
    pub district: Option<Evaluation>,
    /// The target's overall status: the district figure's when there is one, else the worst
    /// town's ([`TargetStatus`] order); 无数据 with neither.
    pub overall: TargetStatus,
}

/// Evaluates a per-town target on `as_of`.
///
/// `values` lists the towns the target covers, each with its computed value when there is
/// one; a town's value is [`Target::current_value`] (the newer of the computed value and its
/// latest hand-entered measurement), and a town with neither is 无数据. `district` is a
/// district-wide computed value; with it, or with a district-wide measurement (one without a
/// town), the overall status is that figure's evaluation, else the worst town's.
pub fn evaluate_per_town<S: AsRef<str>>(
    target: &Target,
    values: &[(S, Option<CurrentValue>)],
    district: Option<CurrentValue>,
    as_of: NaiveDate,
) -> PerTownEvaluation {
    let towns: Vec<(String, Evaluation)> = values
        .iter()
        .map(|(town, computed)| {
            let town = town.as_ref();
            let current = target.current_value(*computed, as_of, Some(town));
            (town.to_owned(), evaluate(target, current, as_of))
        })
        .collect();
    let district = target
        .current_value(district, as_of, None)
        .map(|v| evaluate(target, Some(v), as_of));
    let overall = match &district {
        Some(e) => e.status,
        None => towns
            .iter()
            .map(|(_, e)| e.status)
            .min()
            .unwrap_or(TargetStatus::NoData),
    };
    PerTownEvaluation {
        towns,
        district,
        overall,
    }
}

/// How many targets (or towns) are in each status: the cross-sector summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusSummary {
    pub met: usize,
    pub on_track: usize,
    pub behind: usize,
    pub overdue_unmet: usize,
    pub no_data: usize,
    pub no_baseline: usize,
    /// Marked 不适用: shown beside the totals, never in them.
    #[serde(default)]
    pub not_applicable: usize,
}

impl StatusSummary {
    pub fn add(&mut self, status: TargetStatus) {
        *self.slot(status) += 1;
    }

    pub fn get(&self, status: TargetStatus) -> usize {
        match status {
            TargetStatus::Met => self.met,
            TargetStatus::OnTrack => self.on_track,
            TargetStatus::Behind => self.behind,
            TargetStatus::OverdueUnmet => self.overdue_unmet,
            TargetStatus::NoData => self.no_data,
            TargetStatus::NoBaseline => self.no_baseline,
            TargetStatus::NotApplicable => self.not_applicable,
        }
    }

    pub fn total(&self) -> usize {
        TargetStatus::ALL.into_iter().map(|s| self.get(s)).sum()
    }

    /// The worst status counted, `None` when nothing was.
    pub fn worst(&self) -> Option<TargetStatus> {
        TargetStatus::ALL
            .into_iter()
            .filter(|s| self.get(*s) > 0)
            .min()
    }

    fn slot(&mut self, status: TargetStatus) -> &mut usize {
        match status {
            TargetStatus::Met => &mut self.met,
            TargetStatus::OnTrack => &mut self.on_track,
            TargetStatus::Behind => &mut self.behind,
            TargetStatus::OverdueUnmet => &mut self.overdue_unmet,
            TargetStatus::NoData => &mut self.no_data,
            TargetStatus::NoBaseline => &mut self.no_baseline,
            TargetStatus::NotApplicable => &mut self.not_applicable,
        }
    }
}

impl FromIterator<TargetStatus> for StatusSummary {
    fn from_iter<I: IntoIterator<Item = TargetStatus>>(iter: I) -> StatusSummary {
        let mut s = StatusSummary::default();
        for status in iter {
            s.add(status);
        }
        s
    }
}

/// Counts by status of a list of evaluations (e.g. every target of every sector).
pub fn summarize<'a>(evaluations: impl IntoIterator<Item = &'a Evaluation>) -> StatusSummary {
    evaluations.into_iter().map(|e| e.status).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stepped_checkpoints_pick_the_current_or_next_year() {
        // 消防: 老旧小区消防车通道治理完成率 30% → 60% → 100%
        let t = Target {
            id: "fire-1".into(),
            plan: "fire".into(),
            name: "老旧小区消防车通道治理完成率".into(),
            unit: "%".into(),
            comparator: Comparator::AtLeast,
            checkpoints: vec![
                Checkpoint {
                    year: 2020,
                    value: 30.0,
                    due: None,
                    upper: None,
                },
                Checkpoint {
                    year: 2021,
                    value: 60.0,
                    due: None,
                    upper: None,
                },
                Checkpoint {
                    year: 2022,
                    value: 100.0,
                    due: None,
                    upper: None,
                },
            ],
            baseline: None,
            scope: TargetScope::PerTown,
            computed_from: None,
            progress_of: None,
            measurements: vec![],
            tolerance: None,
            source: TargetSource::default(),
        };
        assert_eq!(t.checkpoint_for(2019).unwrap().value, 30.0);
        assert_eq!(t.checkpoint_for(2021).unwrap().value, 60.0);
        assert!(t.checkpoint_for(2023).is_none());
    }

    #[test]
    fn a_baseline_may_name_only_its_year() {
        // JSON written before the value became optional still reads.
        let old: Baseline = serde_json::from_str(r#"{"year":2019,"value":12.5}"#).unwrap();
        assert_eq!(
            old,
            Baseline {
                year: 2019,
                value: Some(12.5)
            }
        );
        let year_only: Baseline = serde_json::from_str(r#"{"year":2019}"#).unwrap();
        assert_eq!(year_only.value, None);
        assert_eq!(
            serde_json::to_string(&year_only).unwrap(),
            r#"{"year":2019}"#
        );
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn target(comparator: Comparator, steps: &[(i32, f64)]) -> Target {
        Target {
            id: "t".into(),
            plan: "p".into(),
            name: "指标".into(),
            unit: "%".into(),
            comparator,
            checkpoints: steps
                .iter()
                .map(|&(year, value)| Checkpoint {
                    year,
                    value,
                    due: None,
                    upper: None,
                })
                .collect(),
            baseline: None,
            scope: TargetScope::District,
            computed_from: None,
            progress_of: None,
            measurements: vec![],
            tolerance: None,
            source: TargetSource::default(),
        }
    }

    fn fire() -> Target {
        target(
            Comparator::AtLeast,
            &[(2020, 30.0), (2021, 60.0), (2022, 100.0)],
        )
    }

    /// Status of `t` on `as_of` with `value` measured that day.
    fn status(t: &Target, value: f64, as_of: NaiveDate) -> TargetStatus {
        evaluate(t, Some(CurrentValue::new(value, as_of)), as_of).status
    }

    #[test]
    fn reach_and_at_least_count_the_figure_itself() {
        let day = d(2022, 6, 1);
        for c in [Comparator::Reach, Comparator::AtLeast] {
            let t = target(c, &[(2022, 100.0)]);
            assert_eq!(status(&t, 100.0, day), TargetStatus::Met, "{c:?} equal");
            assert_eq!(status(&t, 100.5, day), TargetStatus::Met, "{c:?} above");
            assert_eq!(status(&t, 99.99, day), TargetStatus::Behind, "{c:?} below");
            let e = evaluate(&t, Some(CurrentValue::new(99.5, day)), day);
            assert_eq!(e.required, Some(100.0));
            assert_eq!(e.gap, Some(0.5));
        }
        // A share computed as 2/3 sits on its boundary despite binary rounding.
        let t = target(Comparator::AtLeast, &[(2022, 200.0 / 3.0)]);
        assert_eq!(status(&t, 2.0 * 100.0 / 3.0, day), TargetStatus::Met);
    }

    #[test]
    fn at_most_counts_the_figure_itself() {
        // 全区煤矿数量控制在8处以内
        let t = target(Comparator::AtMost, &[(2022, 8.0)]);
        let day = d(2022, 12, 31);
        assert_eq!(status(&t, 8.0, day), TargetStatus::Met);
        assert_eq!(status(&t, 7.0, day), TargetStatus::Met);
        assert_eq!(status(&t, 8.01, day), TargetStatus::Behind);
        assert_eq!(status(&t, 9.0, d(2023, 1, 1)), TargetStatus::OverdueUnmet);
        let e = evaluate(&t, Some(CurrentValue::new(10.0, day)), day);
        assert_eq!((e.required, e.gap), (Some(8.0), Some(2.0)));
    }

    #[test]
    fn decrease_by_needs_the_baseline_figure() {
        // 死亡人数在2019年基础上下降20%以上
        let mut t = target(Comparator::DecreaseBy, &[(2022, 20.0)]);
        t.baseline = Some(Baseline {
            year: 2019,
            value: None,
        });
        let day = d(2022, 6, 30);
        let e = evaluate(&t, Some(CurrentValue::new(1.0, day)), day);
        assert_eq!(e.status, TargetStatus::NoBaseline);
        assert_eq!(e.checkpoint.unwrap().year, 2022);
        assert_eq!((e.required, e.gap, e.decrease), (None, None, None));
        assert_eq!(evaluate(&t, None, day).status, TargetStatus::NoBaseline);
        t.baseline = None;
        assert_eq!(status(&t, 1.0, day), TargetStatus::NoBaseline);

        t.baseline = Some(Baseline {
            year: 2019,
            value: Some(10.0),
        });
        // Exactly 20% down, more, just less.
        assert_eq!(status(&t, 8.0, day), TargetStatus::Met);
        assert_eq!(status(&t, 7.0, day), TargetStatus::Met);
        assert_eq!(status(&t, 8.01, day), TargetStatus::Behind);
        assert_eq!(status(&t, 8.01, d(2023, 1, 1)), TargetStatus::OverdueUnmet);
        let e = evaluate(&t, Some(CurrentValue::new(9.0, day)), day);
        assert_eq!(e.required, Some(8.0));
        assert!((e.gap.unwrap() - 1.0).abs() < 1e-12);
        assert!((e.decrease.unwrap() - 10.0).abs() < 1e-12);
        // A baseline whose 80% is not exact in binary: 3 → 2.4 is exactly 20% down.
        t.baseline = Some(Baseline {
            year: 2019,
            value: Some(3.0),
        });
        assert_eq!(status(&t, 2.4, day), TargetStatus::Met);
        assert_eq!(status(&t, 2.41, day), TargetStatus::Behind);
        // A baseline of 0: staying at 0 meets it, anything more does not.
        t.baseline = Some(Baseline {
            year: 2019,
            value: Some(0.0),
        });
        assert_eq!(status(&t, 0.0, day), TargetStatus::Met);
        assert_eq!(status(&t, 1.0, day), TargetStatus::Behind);
        assert_eq!(
            evaluate(&t, Some(CurrentValue::new(0.0, day)), day).decrease,
            None
        );
    }

    #[test]
    fn fire_steps_30_60_100_by_year() {
        let t = fire();
        let (y20, y21) = (d(2020, 12, 31), d(2021, 1, 1));
        let (y22, y23) = (d(2022, 12, 31), d(2023, 1, 1));
        // 45%: enough for 2020, not for 2021.
        let e = evaluate(&t, Some(CurrentValue::new(45.0, y20)), y20);
        assert_eq!(e.status, TargetStatus::OnTrack);
        assert_eq!(e.checkpoint.as_ref().unwrap().year, 2020);
        assert_eq!(e.due, Some(y20));
        let e = evaluate(&t, Some(CurrentValue::new(45.0, y20)), y21);
        assert_eq!(e.status, TargetStatus::Behind);
        assert_eq!((e.checkpoint.unwrap().year, e.gap), (2021, Some(15.0)));
        // 25%: short of 2020's 30% on its last day, overdue the day after.
        assert_eq!(status(&t, 25.0, y20), TargetStatus::Behind);
        let e = evaluate(&t, Some(CurrentValue::new(25.0, y20)), y21);
        assert_eq!(e.status, TargetStatus::OverdueUnmet);
        assert_eq!(e.checkpoint.unwrap().year, 2020);
        // 30% exactly in 2020 and 60% exactly in 2021 are on track.
        assert_eq!(status(&t, 30.0, y20), TargetStatus::OnTrack);
        assert_eq!(status(&t, 60.0, y21), TargetStatus::OnTrack);
        assert_eq!(status(&t, 60.0, y22), TargetStatus::Behind);
        // 90% at the deadline: behind on its last day, overdue from the next.
        assert_eq!(status(&t, 90.0, y22), TargetStatus::Behind);
        let e = evaluate(&t, Some(CurrentValue::new(90.0, y22)), y23);
        assert_eq!(e.status, TargetStatus::OverdueUnmet);
        assert_eq!((e.checkpoint.unwrap().year, e.gap), (2022, Some(10.0)));
        // 100% is 达标 on every one of these days, even early.
        for day in [y20, y21, y22, y23] {
            let e = evaluate(&t, Some(CurrentValue::new(100.0, day)), day);
            assert_eq!(e.status, TargetStatus::Met, "{day}");
            assert_eq!(e.checkpoint.unwrap().year, 2022);
        }
        // Only the latest passed checkpoint counts: 65% in 2022 met 2021's 60%.
        assert_eq!(status(&t, 65.0, d(2022, 3, 1)), TargetStatus::Behind);
    }

    #[test]
    fn no_value_is_no_data_and_still_names_the_checkpoint() {
        let t = fire();
        let day = d(2021, 5, 1);
        let e = evaluate(&t, None, day);
        assert_eq!(e.status, TargetStatus::NoData);
        assert_eq!(e.checkpoint.unwrap().year, 2021);
        assert_eq!((e.required, e.gap), (Some(60.0), None));
        // A value dated after the day is not known on it; NaN is no value.
        let later = CurrentValue::new(100.0, d(2021, 5, 2));
        assert_eq!(evaluate(&t, Some(later), day).status, TargetStatus::NoData);
        let nan = CurrentValue::new(f64::NAN, day);
        assert_eq!(evaluate(&t, Some(nan), day).status, TargetStatus::NoData);
        // After the deadline with no value: no data, about the final checkpoint.
        let e = evaluate(&t, None, d(2024, 1, 1));
        assert_eq!(e.status, TargetStatus::NoData);
        assert_eq!(e.checkpoint.unwrap().year, 2022);
        // No checkpoints at all.
        let bare = target(Comparator::AtLeast, &[]);
        let e = evaluate(&bare, Some(CurrentValue::new(1.0, day)), day);
        assert_eq!((e.status, e.checkpoint), (TargetStatus::NoData, None));
    }

    #[test]
    fn an_explicit_due_date_moves_the_deadline() {
        // A 2020 checkpoint due mid-year (2020-06-30) and a 2021 one due at the year's end.
        let mut t = target(Comparator::AtLeast, &[(2020, 50.0), (2021, 100.0)]);
        t.checkpoints[0].due = Some(d(2020, 6, 30));
        assert_eq!(t.checkpoints[0].due_date(), d(2020, 6, 30));
        assert_eq!(t.checkpoints[1].due_date(), d(2021, 12, 31));
        assert_eq!(status(&t, 40.0, d(2020, 6, 30)), TargetStatus::Behind);
        let e = evaluate(
            &t,
            Some(CurrentValue::new(40.0, d(2020, 6, 1))),
            d(2020, 7, 1),
        );
        assert_eq!(e.status, TargetStatus::OverdueUnmet);
        assert_eq!(e.due, Some(d(2020, 6, 30)));
        // Met in time: on 2020-07-01 the 2021 checkpoint applies, although it is still 2020.
        let e = evaluate(
            &t,
            Some(CurrentValue::new(55.0, d(2020, 6, 1))),
            d(2020, 7, 1),
        );
        assert_eq!(e.status, TargetStatus::Behind);
        assert_eq!(e.checkpoint.unwrap().year, 2021);

        // 监控系统升级改造 of the other mines: 100% by 2020-12-30, not the 31st.
        let mut single = target(Comparator::Reach, &[(2020, 100.0)]);
        single.checkpoints[0].due = Some(d(2020, 12, 30));
        assert_eq!(status(&single, 90.0, d(2020, 12, 30)), TargetStatus::Behind);
        assert_eq!(
            status(&single, 90.0, d(2020, 12, 31)),
            TargetStatus::OverdueUnmet
        );
        assert_eq!(
            single.final_checkpoint().unwrap().due,
            Some(d(2020, 12, 30))
        );
    }

    fn measurement(date: NaiveDate, value: f64, town: Option<&str>) -> Measurement {
        Measurement {
            date,
            value,
            town: town.map(str::to_owned),
            source: "填报".into(),
        }
    }

    #[test]
    fn the_latest_measurement_on_or_before_the_day_counts() {
        let mut t = fire();
        t.measurements = vec![
            measurement(d(2020, 12, 1), 35.0, None),
            measurement(d(2021, 6, 30), 50.0, None),
            measurement(d(2021, 6, 30), 52.0, None),
            measurement(d(2021, 9, 1), 70.0, Some("越州镇")),
            measurement(d(2021, 12, 1), 65.0, None),
        ];
        assert!(t.latest_measurement(d(2020, 11, 30), None).is_none());
        assert_eq!(
            t.latest_measurement(d(2020, 12, 1), None).unwrap().value,
            35.0
        );
        // Same day: the one entered last.
        assert_eq!(
            t.latest_measurement(d(2021, 11, 30), None).unwrap().value,
            52.0
        );
        assert_eq!(
            t.latest_measurement(d(2022, 1, 1), None).unwrap().value,
            65.0
        );
        let town = t.latest_measurement(d(2022, 1, 1), Some("越州镇")).unwrap();
        assert_eq!(town.value, 70.0);
        assert!(
            t.latest_measurement(d(2022, 1, 1), Some("东山镇"))
                .is_none()
        );

        let as_of = d(2021, 11, 30);
        let current = t.latest_measurement(as_of, None).map(CurrentValue::from);
        assert_eq!(current, Some(CurrentValue::new(52.0, d(2021, 6, 30))));
        assert_eq!(evaluate(&t, current, as_of).status, TargetStatus::Behind);
        // The newer of computed and measured; the computed one on the same day.
        let computed = CurrentValue::new(61.0, d(2021, 11, 30));
        assert_eq!(t.current_value(Some(computed), as_of, None), Some(computed));
        let old = CurrentValue::new(10.0, d(2021, 1, 1));
        assert_eq!(t.current_value(Some(old), as_of, None).unwrap().value, 52.0);
        let same_day = CurrentValue::new(1.0, d(2021, 6, 30));
        assert_eq!(t.current_value(Some(same_day), as_of, None), Some(same_day));
        let future = CurrentValue::new(99.0, d(2021, 12, 1));
        assert_eq!(
            t.current_value(Some(future), as_of, None).unwrap().value,
            52.0
        );
    }

    #[test]
    fn per_town_overall_is_the_worst_town_or_the_district_figure() {
        let mut t = fire();
        t.scope = TargetScope::PerTown;
        t.measurements = vec![measurement(d(2021, 3, 1), 65.0, Some("茨营镇"))];
        let as_of = d(2021, 1, 1);
        let v = |x: f64| Some(CurrentValue::new(x, d(2020, 12, 31)));
        let towns = [("越州镇", v(100.0)), ("东山镇", v(45.0)), ("茨营镇", None)];
        let r = evaluate_per_town(&t, &towns, None, as_of);
        let statuses: Vec<_> = r
            .towns
            .iter()
            .map(|(n, e)| (n.as_str(), e.status))
            .collect();
        assert_eq!(
            statuses,
            [
                ("越州镇", TargetStatus::Met),
                ("东山镇", TargetStatus::Behind),
                ("茨营镇", TargetStatus::NoData),
            ]
        );
        assert_eq!(r.overall, TargetStatus::Behind);
        assert_eq!(r.district, None);
        // A town short of 2020's 30% makes the whole target overdue.
        let worse = [("越州镇", v(100.0)), ("东山镇", v(20.0))];
        let r = evaluate_per_town(&t, &worse, None, as_of);
        assert_eq!(r.overall, TargetStatus::OverdueUnmet);
        // Later, 茨营镇's hand-entered 65% fills in its missing computed value.
        let r = evaluate_per_town(&t, &towns, None, d(2021, 3, 1));
        assert_eq!(r.towns[2].1.status, TargetStatus::OnTrack);
        assert_eq!(r.towns[2].1.current.unwrap().value, 65.0);
        // A district figure decides the overall status.
        let r = evaluate_per_town(&t, &worse, v(70.0), as_of);
        assert_eq!(r.overall, TargetStatus::OnTrack);
        assert_eq!(r.district.unwrap().current.unwrap().value, 70.0);
        // No towns and no district figure.
        let none: [(&str, Option<CurrentValue>); 0] = [];
        assert_eq!(
            evaluate_per_town(&t, &none, None, as_of).overall,
            TargetStatus::NoData
        );
    }

    /// A target fed by its task's progress counts the entries: all up to the day, or for a
    /// recurring duty those of its last whole period (an entry on the period's last day is
    /// in it; one the day after is in the next).
    #[test]
    fn progress_fed_targets_count_the_entries_of_the_day_or_of_the_last_whole_period() {
        let mut t = fire();
        assert_eq!(
            t.progress_value(&[d(2020, 5, 1)], d(2020, 9, 1)),
            None,
            "not fed"
        );
        t.progress_of = Some("topic-1/2".into());
        let dates = [d(2020, 5, 1), d(2020, 6, 30), d(2020, 7, 1), d(2020, 9, 30)];
        assert_eq!(
            t.progress_value(&dates, d(2020, 7, 1)),
            Some(CurrentValue::new(3.0, d(2020, 7, 1)))
        );
        t.source.period = Some(crate::deadline::Recurrence::Quarterly);
        assert_eq!(
            t.progress_value(&dates, d(2020, 7, 1)),
            Some(CurrentValue::new(2.0, d(2020, 6, 30))),
            "Q2: 5-01 and 6-30"
        );
        assert_eq!(
            t.progress_value(&dates, d(2020, 9, 30)),
            Some(CurrentValue::new(2.0, d(2020, 6, 30))),
            "Q3 not yet whole"
        );
        assert_eq!(
            t.progress_value(&dates, d(2020, 10, 1)),
            Some(CurrentValue::new(2.0, d(2020, 9, 30))),
            "Q3: 7-01 and 9-30"
        );
        assert_eq!(
            t.progress_value(&[], d(2021, 1, 1)),
            Some(CurrentValue::new(0.0, d(2020, 12, 31))),
            "no entry in Q4: none done"
        );
    }

    /// Each period of a recurring duty stands on its own: done on time by entries
    /// recorded by its due date (the due day itself included), 补报 by one recorded after
    /// it, missed without, open while it runs; a computed count knows only the last whole
    /// period, and not when it was recorded.
    #[test]
    fn a_duty_is_judged_period_by_period_with_its_due_date() {
        let mut t = fire();
        t.checkpoints = vec![Checkpoint {
            year: 2020,
            value: 1.0,
            due: None,
            upper: None,
        }];
        assert!(
            t.duty_periods(
                d(2020, 1, 1),
                d(2020, 12, 31),
                DutyEvidence::Entered,
                d(2020, 9, 1)
            )
            .is_empty(),
            "not a recurring duty"
        );
        t.source.period = Some(crate::deadline::Recurrence::Quarterly);
        // Q1: done in March, recorded on its due day; Q2: done in June, recorded in July;
        // Q3: nothing; Q4: running.
        let dates = [d(2020, 3, 10), d(2020, 6, 20)];
        let recorded = [d(2020, 3, 31), d(2020, 7, 1)];
        let ev = DutyEvidence::Entries {
            dates: &dates,
            recorded: &recorded,
        };
        let p = t.duty_periods(d(2020, 1, 1), d(2020, 12, 31), ev, d(2020, 11, 1));
        let states: Vec<DutyState> = p.iter().map(|x| x.state).collect();
        assert_eq!(
            states,
            [
                DutyState::OnTime,
                DutyState::Late,
                DutyState::Missed,
                DutyState::Open
            ]
        );
        assert_eq!((p[0].start, p[0].due), (d(2020, 1, 1), d(2020, 3, 31)));
        assert_eq!((p[1].done, p[1].required), (Some(1.0), Some(1.0)));
        // Seen on 2020-06-30, Q2 still runs, and the July record is not known yet.
        let early = t.duty_periods(d(2020, 1, 1), d(2020, 12, 31), ev, d(2020, 6, 30));
        assert_eq!(early.len(), 2);
        assert_eq!(early[1].state, DutyState::Open);
        assert_eq!(early[1].done, Some(0.0));
        // A year without a checkpoint: nothing to judge against.
        let next = t.duty_periods(d(2021, 1, 1), d(2021, 3, 31), ev, d(2021, 6, 1));
        assert_eq!(next[0].state, DutyState::Unknown);
        // Computed: the last whole quarter only.
        let c = t.duty_periods(
            d(2020, 1, 1),
            d(2020, 12, 31),
            DutyEvidence::Computed(Some(2.0)),
            d(2020, 11, 1),
        );
        let states: Vec<DutyState> = c.iter().map(|x| x.state).collect();
        assert_eq!(
            states,
            [
                DutyState::Unknown,
                DutyState::Unknown,
                DutyState::Done,
                DutyState::Open
            ]
        );
        // Entered by hand: the value entered for the period.
        t.measurements = vec![Measurement {
            date: d(2020, 2, 1),
            value: 1.0,
            town: None,
            source: "统计".into(),
        }];
        let e = t.duty_periods(
            d(2020, 1, 1),
            d(2020, 6, 30),
            DutyEvidence::Entered,
            d(2020, 8, 1),
        );
        assert_eq!(
            e.iter().map(|x| x.state).collect::<Vec<_>>(),
            [DutyState::OnTime, DutyState::Unknown]
        );
    }

    #[test]
    fn summary_counts_by_status() {
        let t = fire();
        let day = d(2021, 6, 1);
        let evals: Vec<Evaluation> = [Some(100.0), Some(70.0), Some(40.0), Some(10.0), None]
            .into_iter()
            .map(|v| evaluate(&t, v.map(|x| CurrentValue::new(x, day)), day))
            .collect();
        let mut s = summarize(&evals);
        assert_eq!(
            s,
            StatusSummary {
                met: 1,
                on_track: 1,
                behind: 1,
                overdue_unmet: 1,
                no_data: 1,
                no_baseline: 0,
                not_applicable: 0,
            }
        );
        assert_eq!(s.total(), 5);
        // 不适用 is counted beside the totals, never in them, and is never the worst.
        let mut with_na = s;
        with_na.add(TargetStatus::NotApplicable);
        with_na.add(TargetStatus::NotApplicable);
        assert_eq!(with_na.not_applicable, 2);
        assert_eq!(with_na.total(), 5);
        assert_eq!(with_na.worst(), Some(TargetStatus::OverdueUnmet));
        let only_na: StatusSummary = [TargetStatus::NotApplicable].into_iter().collect();
        assert_eq!((only_na.total(), only_na.worst()), (0, None));
        assert_eq!(s.worst(), Some(TargetStatus::OverdueUnmet));
        s.add(TargetStatus::NoBaseline);
        assert_eq!(s.get(TargetStatus::NoBaseline), 1);
        assert_eq!(StatusSummary::default().worst(), None);
        let only_good: StatusSummary = [TargetStatus::Met, TargetStatus::OnTrack]
            .into_iter()
            .collect();
        assert_eq!(only_good.worst(), Some(TargetStatus::OnTrack));
    }

    #[test]
    fn target_status_keys_labels_and_order() {
        for s in TargetStatus::ALL {
            assert_eq!(TargetStatus::from_key(s.key()), Some(s));
            assert_eq!(TargetStatus::from_key(s.label_zh()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.key())
            );
        }
        assert_eq!(
            TargetStatus::from_key("逾期未达标"),
            Some(TargetStatus::OverdueUnmet)
        );
        assert!(TargetStatus::OverdueUnmet < TargetStatus::Behind);
        assert!(TargetStatus::Behind < TargetStatus::NoData);
        assert!(TargetStatus::OnTrack < TargetStatus::Met);
        assert_eq!(TargetStatus::Met.rgb(), crate::Status::Done.rgb());
        assert_eq!(
            TargetStatus::OverdueUnmet.rgb(),
            crate::Status::Overdue.rgb()
        );
    }

    #[test]
    fn about_meets_within_the_stated_tolerance_either_way() {
        // "产能1500万吨/年左右", tolerance 50 stated by the plugin.
        let mut t = target(Comparator::About, &[(2022, 1500.0)]);
        t.unit = "万吨/年".into();
        t.tolerance = Some(50.0);
        let day = d(2022, 6, 1);
        for (value, met) in [
            (1500.0, true),
            (1450.0, true),
            (1550.0, true),
            (1449.99, false),
            (1550.01, false),
        ] {
            let want = if met {
                TargetStatus::Met
            } else {
                TargetStatus::Behind
            };
            assert_eq!(status(&t, value, day), want, "{value}");
        }
        let e = evaluate(&t, Some(CurrentValue::new(1600.0, day)), day);
        assert_eq!((e.required, e.gap), (Some(1500.0), Some(50.0)));
        // Past the due date, outside the band is 逾期未达标; inside it is 达标.
        assert_eq!(
            status(&t, 1400.0, d(2023, 1, 1)),
            TargetStatus::OverdueUnmet
        );
        assert_eq!(status(&t, 1460.0, d(2023, 1, 1)), TargetStatus::Met);
        // Without a tolerance only the figure itself meets 左右 (never a silent "at least").
        t.tolerance = None;
        assert_eq!(status(&t, 1500.0, day), TargetStatus::Met);
        assert_eq!(status(&t, 1501.0, day), TargetStatus::Behind);
        assert_eq!(t.requirement_text(&t.checkpoints[0]), "1500万吨/年左右");
        t.tolerance = Some(50.0);
        assert_eq!(
            t.requirement_text(&t.checkpoints[0]),
            "1500万吨/年左右（±50）"
        );
    }

    #[test]
    fn a_range_meets_from_its_figure_to_its_upper_end_both_included() {
        let mut t = target(Comparator::Between, &[(2021, 3.0)]);
        t.unit = "家".into();
        t.checkpoints[0].upper = Some(5.0);
        let day = d(2021, 3, 1);
        for (value, met) in [
            (2.0, false),
            (3.0, true),
            (4.0, true),
            (5.0, true),
            (6.0, false),
        ] {
            let want = if met {
                TargetStatus::Met
            } else {
                TargetStatus::Behind
            };
            assert_eq!(status(&t, value, day), want, "{value}");
        }
        let gap = |v: f64| evaluate(&t, Some(CurrentValue::new(v, day)), day).gap;
        assert_eq!(gap(1.0), Some(2.0), "two short of the range");
        assert_eq!(gap(7.0), Some(2.0), "two over the range");
        assert_eq!(gap(4.0), Some(-1.0), "inside by one");
        assert_eq!(t.requirement_text(&t.checkpoints[0]), "3至5家");
        t.checkpoints[0].upper = Some(3.0);
        assert_eq!(
            t.requirement_text(&t.checkpoints[0]),
            "3家",
            "a range of one figure"
        );
    }

    #[test]
    fn zero_and_full_coverage() {
        let day = d(2022, 12, 31);
        let mut zero = target(Comparator::Zero, &[(2022, 0.0)]);
        zero.unit = "处".into();
        assert_eq!(status(&zero, 0.0, day), TargetStatus::Met);
        assert_eq!(status(&zero, 1.0, day), TargetStatus::Behind);
        assert_eq!(
            status(&zero, 1.0, d(2023, 1, 1)),
            TargetStatus::OverdueUnmet
        );
        assert_eq!(zero.requirement_text(&zero.checkpoints[0]), "清零");
        // A plugin's non-zero figure does not make 清零 a ceiling above 0.
        let odd = target(Comparator::Zero, &[(2022, 5.0)]);
        assert_eq!(status(&odd, 3.0, day), TargetStatus::Behind);

        let full = target(Comparator::FullCoverage, &[(2021, 100.0)]);
        assert_eq!(status(&full, 100.0, d(2021, 6, 1)), TargetStatus::Met);
        assert_eq!(status(&full, 99.9, d(2021, 6, 1)), TargetStatus::Behind);
        assert_eq!(full.requirement_text(&full.checkpoints[0]), "全覆盖");
        // Two thirds of three towns is not coverage; three of three is, despite rounding.
        assert_eq!(
            status(&full, 2.0 / 3.0 * 100.0, d(2021, 6, 1)),
            TargetStatus::Behind
        );
        assert_eq!(
            status(&full, 3.0 / 3.0 * 100.0, d(2021, 6, 1)),
            TargetStatus::Met
        );
    }

    #[test]
    fn an_interim_milestone_passed_unmet_makes_the_target_overdue_before_its_final_date() {
        // "2020年6月底前关闭4处，2022年底前关闭10处": 4 by 2020-06-30, 10 by 2022-12-31.
        let mut t = target(Comparator::AtLeast, &[(2020, 4.0), (2022, 10.0)]);
        t.unit = "处".into();
        t.checkpoints[0].due = Some(d(2020, 6, 30));
        // On the milestone's day, 3 closed is only behind; the day after it is overdue.
        assert_eq!(status(&t, 3.0, d(2020, 6, 30)), TargetStatus::Behind);
        let e = evaluate(
            &t,
            Some(CurrentValue::new(3.0, d(2020, 7, 1))),
            d(2020, 7, 1),
        );
        assert_eq!(e.status, TargetStatus::OverdueUnmet);
        assert_eq!(e.due, Some(d(2020, 6, 30)));
        assert_eq!((e.required, e.gap), (Some(4.0), Some(1.0)));
        // The milestone met: no longer overdue, only short of the next checkpoint (滞后 until
        // 10 are closed, as for any level still to be reached).
        let e = evaluate(
            &t,
            Some(CurrentValue::new(4.0, d(2020, 7, 1))),
            d(2020, 7, 1),
        );
        assert_eq!(
            (e.status, e.due),
            (TargetStatus::Behind, Some(d(2022, 12, 31)))
        );
        assert_eq!(status(&t, 10.0, d(2020, 7, 1)), TargetStatus::Met);
        assert_eq!(t.requirement_text(&t.checkpoints[0]), "≥4处");
    }

    #[test]
    fn requirement_texts_and_source_lines() {
        let mut t = target(Comparator::DecreaseBy, &[(2022, 20.0)]);
        assert_eq!(t.requirement_text(&t.checkpoints[0]), "下降20%以上");
        t.comparator = Comparator::Reach;
        assert_eq!(t.requirement_text(&t.checkpoints[0]), "达到20%");
        t.comparator = Comparator::AtMost;
        assert_eq!(t.requirement_text(&t.checkpoints[0]), "≤20%");
        assert_eq!(t.source.lines_text(), None);
        t.source.refs = vec![
            SourceRef {
                line: 99,
                quote: "达到100%".into(),
            },
            SourceRef {
                line: 128,
                quote: "一律停产整改".into(),
            },
        ];
        assert_eq!(t.source.lines_text().as_deref(), Some("第99、128行"));
        // A target stored before sources and tolerances existed still reads.
        let json = serde_json::to_string(&target(Comparator::Reach, &[(2022, 1.0)])).unwrap();
        assert!(
            !json.contains("tolerance") && !json.contains("upper"),
            "{json}"
        );
        let back: Target = serde_json::from_str(&json).unwrap();
        assert_eq!(back.source, TargetSource::default());
        for c in Comparator::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(serde_json::from_str::<Comparator>(&json).unwrap(), c);
        }
    }
}
