//! Targets / indicators (目标/指标): verbatim name, unit, comparator, yearly checkpoints,
//! baseline and measured values. Evaluation of a target's status arrives with the forms and
//! targets work; the shape is fixed here so plans and plugins can carry targets now.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How a measured value is compared with a checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// 达到 (= the value, e.g. 100%)
    Reach,
    /// 不低于 / 以上 (≥)
    AtLeast,
    /// 不高于 / 以内 / 控制在 (≤)
    AtMost,
    /// 下降≥ x% against the baseline
    DecreaseBy,
}

impl Comparator {
    pub fn label_zh(self) -> &'static str {
        match self {
            Comparator::Reach => "达到",
            Comparator::AtLeast => "不低于",
            Comparator::AtMost => "以内",
            Comparator::DecreaseBy => "下降≥",
        }
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
}

/// The baseline a relative target is measured against ("在2019年基础上").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub year: i32,
    pub value: f64,
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
    #[serde(default)]
    pub measurements: Vec<Measurement>,
}

impl Target {
    /// The checkpoint that applies in `year`: that year's, else the next later one.
    pub fn checkpoint_for(&self, year: i32) -> Option<&Checkpoint> {
        self.checkpoints
            .iter()
            .filter(|c| c.year >= year)
            .min_by_key(|c| c.year)
    }
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
                },
                Checkpoint {
                    year: 2021,
                    value: 60.0,
                    due: None,
                },
                Checkpoint {
                    year: 2022,
                    value: 100.0,
                    due: None,
                },
            ],
            baseline: None,
            scope: TargetScope::PerTown,
            computed_from: None,
            measurements: vec![],
        };
        assert_eq!(t.checkpoint_for(2019).unwrap().value, 30.0);
        assert_eq!(t.checkpoint_for(2021).unwrap().value, 60.0);
        assert!(t.checkpoint_for(2023).is_none());
    }
}
