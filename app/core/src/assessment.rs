//! The year-end 考核 sheet per member unit: the office's items and points, its hand-made
//! deductions, the automatic ones (通报 count rule, overdue tasks and 督办事项, targets
//! missed), 一票否决 from accidents, and the result. Every deduction names the facts that
//! caused it. Pure: the facts come in, the day is given.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::accountability::{AccidentGrade, Veto, veto};
use crate::query::TaskRow;
use crate::status::Status;
use crate::supervision::{Registers, SupervisionRules};

/// A fact a deduction rests on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Fact {
    Task(String),
    Item(u64),
    Circular(u64),
    Target(String),
    Accident(u64),
    Deduction(u64),
}

/// One deduction and its cause.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deduction {
    pub points: f64,
    /// In the user's words ("任务（二）3“…”逾期").
    pub cause: String,
    pub facts: Vec<Fact>,
}

/// A line of the sheet: an item, its points, what was taken off it by hand, its score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub name: String,
    pub points: f64,
    pub deductions: Vec<Deduction>,
    pub score: f64,
}

/// The result of the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Excellent,
    Pass,
    Fail,
}

impl Grade {
    pub fn label_zh(self) -> &'static str {
        match self {
            Grade::Excellent => "优秀",
            Grade::Pass => "合格",
            Grade::Fail => "不合格",
        }
    }
}

/// A target of a unit's plans missed at the year's checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissedTarget {
    pub unit: String,
    pub target: String,
    /// The target's name and what it reached ("煤矿数量：目标8，实际10").
    pub text: String,
}

/// One member unit's 考核 sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sheet {
    pub year: i32,
    /// The day its facts are as of (the year's last day, or the day it was made if earlier).
    pub as_of: NaiveDate,
    pub unit: String,
    pub lines: Vec<Line>,
    /// Deductions from the rules, off the total.
    pub automatic: Vec<Deduction>,
    pub full: f64,
    pub total: f64,
    /// 通报 naming the unit in the year.
    pub circulars: u32,
    pub veto: Veto,
    /// The accidents behind the 一票否决.
    pub accidents: Vec<Fact>,
    pub grade: Grade,
    /// Why the grade is what it is when a rule, not the score, set it.
    pub remark: String,
}

/// What the sheets of a year are made from.
pub struct Facts<'a> {
    pub year: i32,
    /// The day the sheets are made; facts after it are not known.
    pub today: NaiveDate,
    pub rules: &'a SupervisionRules,
    pub registers: &'a Registers,
    /// The tasks as of [`Facts::as_of`].
    pub rows: &'a [TaskRow],
    pub missed_targets: &'a [MissedTarget],
}

impl Facts<'_> {
    /// The year's last day, or the day the sheets are made if earlier.
    pub fn as_of(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 12, 31).map_or(self.today, |end| end.min(self.today))
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The sheet of each of `units` (id and name: the task rows name units by name), in that
/// order.
pub fn sheets(facts: &Facts<'_>, units: &[(String, String)]) -> Vec<Sheet> {
    let as_of = facts.as_of();
    let counts = facts.registers.circular_counts(facts.year);
    units
        .iter()
        .map(|(unit, name)| {
            let count = counts.get(unit).copied().unwrap_or(0);
            sheet(facts, unit, name, as_of, count)
        })
        .collect()
}

fn sheet(facts: &Facts<'_>, unit: &str, name: &str, as_of: NaiveDate, circulars: u32) -> Sheet {
    let rules = facts.rules;
    let year = facts.year;
    let in_year = |d: NaiveDate| d.year() == year && d <= as_of;
    // Hand-made deductions, per item.
    let lines: Vec<Line> = rules
        .items
        .iter()
        .map(|item| {
            let deductions: Vec<Deduction> = facts
                .registers
                .deductions
                .iter()
                .filter(|d| d.year == year && d.unit == unit && d.item == item.name)
                .filter(|d| d.withdrawn.is_none())
                .map(|d| Deduction {
                    points: d.points,
                    cause: d.reason.clone(),
                    facts: vec![Fact::Deduction(d.id)],
                })
                .collect();
            let off: f64 = deductions.iter().map(|d| d.points).sum();
            Line {
                name: item.name.clone(),
                points: item.points,
                deductions,
                score: round2((item.points - off).max(0.0)),
            }
        })
        .collect();
    let mut automatic = Vec::new();
    // 通报: the share of the base at the threshold.
    if let Some(points) = rules.circular.deduction(circulars) {
        let mut named: Vec<&crate::supervision::Circular> = facts
            .registers
            .circulars
            .iter()
            .filter(|c| {
                c.voided.is_none() && in_year(c.date) && c.named.iter().any(|n| n.unit == unit)
            })
            .collect();
        named.sort_by_key(|c| (c.date, c.number));
        let numbers: Vec<String> = named.iter().map(|c| format!("第{}期", c.number)).collect();
        automatic.push(Deduction {
            points: round2(points),
            cause: format!(
                "{year}年被通报{circulars}次（{}），达到{}次，按考核分值{}的{}%扣减",
                numbers.join("、"),
                rules.circular.threshold,
                rules.circular.base,
                rules.circular.percent
            ),
            facts: named.iter().map(|c| Fact::Circular(c.id)).collect(),
        });
    }
    // Tasks that fall to the unit (as the board assigns them: lead, else responsible)
    // overdue on the day, whatever year they fell due in (the cause says when).
    if rules.per_overdue_task > 0.0 {
        for r in facts.rows.iter().filter(|r| r.status == Status::Overdue) {
            let units = if r.lead_units.is_empty() {
                &r.responsible_units
            } else {
                &r.lead_units
            };
            if units.iter().any(|u| u == name) {
                automatic.push(Deduction {
                    points: rules.per_overdue_task,
                    cause: format!(
                        "任务{}“{}”截至{}逾期未完成（时限：{}）",
                        r.label,
                        r.title,
                        as_of.format("%Y-%m-%d"),
                        r.due.format("%Y-%m-%d")
                    ),
                    facts: vec![Fact::Task(r.id.clone())],
                });
            }
        }
    }
    // 督办事项 of the unit whose deadline in the year passed without completion.
    if rules.per_overdue_item > 0.0 {
        let mut items: Vec<&crate::supervision::Item> = facts
            .registers
            .items
            .iter()
            .filter(|i| i.unit == unit && i.deadline.year() == year && i.deadline < as_of)
            .filter(|i| {
                i.completed.as_ref().is_none_or(|c| c.date > i.deadline)
                    || i.state() == crate::supervision::ItemState::Failed
            })
            .collect();
        items.sort_by_key(|i| (i.deadline, i.id));
        for i in items {
            let how = match &i.completed {
                Some(_) if i.state() == crate::supervision::ItemState::Failed => {
                    "验收未通过，逾期未完成".to_owned()
                }
                Some(c) => format!("逾期完成（{}）", c.date.format("%Y-%m-%d")),
                None => "逾期未完成".to_owned(),
            };
            automatic.push(Deduction {
                points: rules.per_overdue_item,
                cause: format!(
                    "督办事项“{}”（时限{}）{how}",
                    i.title,
                    i.deadline.format("%Y-%m-%d")
                ),
                facts: vec![Fact::Item(i.id)],
            });
        }
    }
    if rules.per_missed_target > 0.0 {
        for t in facts.missed_targets.iter().filter(|t| t.unit == unit) {
            automatic.push(Deduction {
                points: rules.per_missed_target,
                cause: format!("目标未完成：{}", t.text),
                facts: vec![Fact::Target(t.target.clone())],
            });
        }
    }
    let accidents: Vec<&crate::supervision::Accident> = facts
        .registers
        .accidents
        .iter()
        .filter(|a| a.unit == unit && in_year(a.date))
        .collect();
    let graded: Vec<(NaiveDate, AccidentGrade)> =
        accidents.iter().map(|a| (a.date, a.grade)).collect();
    let veto = veto(&graded, year);
    let full = rules.full_score();
    let lines_score: f64 = lines.iter().map(|l| l.score).sum();
    let auto_off: f64 = automatic.iter().map(|d| d.points).sum();
    let total = round2((lines_score - auto_off).max(0.0));
    let (grade, remark) = if veto.fails {
        (
            Grade::Fail,
            format!(
                "发生{}，一票否决，考核不合格",
                worst(&accidents).map_or("重特大事故", AccidentGrade::label_zh)
            ),
        )
    } else if total >= rules.excellent && veto.no_award {
        (
            Grade::Pass,
            format!(
                "发生{}，取消当年评优资格",
                worst(&accidents).map_or("较大以上事故", AccidentGrade::label_zh)
            ),
        )
    } else if total >= rules.excellent {
        (Grade::Excellent, String::new())
    } else if total >= rules.pass {
        let remark = if veto.no_award {
            "发生较大以上事故，取消当年评优资格".to_owned()
        } else {
            String::new()
        };
        (Grade::Pass, remark)
    } else {
        (Grade::Fail, format!("得分低于合格线{}分", rules.pass))
    };
    Sheet {
        year,
        as_of,
        unit: unit.to_owned(),
        lines,
        automatic,
        full,
        total,
        circulars,
        veto,
        accidents: accidents.iter().map(|a| Fact::Accident(a.id)).collect(),
        grade,
        remark,
    }
}

fn worst(accidents: &[&crate::supervision::Accident]) -> Option<AccidentGrade> {
    accidents.iter().map(|a| a.grade).max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::supervision::{
        Accident, Circular, CircularKind, Dated, Item, Level, ManualDeduction, Named, Source,
        SourceKind,
    };

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn circular(id: u64, number: u32, date: &str, units: &[&str]) -> Circular {
        Circular {
            id,
            year: d(date).year(),
            number,
            date: d(date),
            kind: CircularKind::Quarterly,
            title: "季度通报".into(),
            summary: String::new(),
            named: units
                .iter()
                .map(|u| Named {
                    unit: (*u).into(),
                    member: true,
                    issue: String::new(),
                })
                .collect(),
            follow_up: String::new(),
            items: vec![],
            voided: None,
            author: "t".into(),
            created_at: String::new(),
        }
    }

    fn item(id: u64, unit: &str, deadline: &str, completed: Option<&str>) -> Item {
        Item {
            id,
            title: format!("事项{id}"),
            source: Source {
                kind: SourceKind::Meeting,
                reference: String::new(),
                task: None,
                milestone: None,
                hazard: None,
            },
            level: Level::District,
            unit: unit.into(),
            supervisor: "区安委办".into(),
            acceptor: "区安委办".into(),
            opened: d("2026-01-05"),
            deadline: d(deadline),
            steps: vec![],
            received: Some(d("2026-01-06")),
            completed: completed.map(|c| Dated {
                date: d(c),
                text: "完成".into(),
            }),
            checks: vec![],
            explanations: vec![],
            closed: None,
            lookback: None,
            author: "t".into(),
            created_at: String::new(),
        }
    }

    fn accident(id: u64, unit: &str, date: &str, grade: AccidentGrade) -> Accident {
        Accident {
            id,
            date: d(date),
            unit: unit.into(),
            grade,
            title: "事故".into(),
            note: String::new(),
            author: "t".into(),
            created_at: String::new(),
        }
    }

    fn run(registers: &Registers, today: &str, units: &[&str]) -> Vec<Sheet> {
        let rules = SupervisionRules::default();
        let facts = Facts {
            year: 2026,
            today: d(today),
            rules: &rules,
            registers,
            rows: &[],
            missed_targets: &[],
        };
        let units: Vec<(String, String)> = units
            .iter()
            .map(|u| ((*u).to_owned(), format!("单位{u}")))
            .collect();
        sheets(&facts, &units)
    }

    #[test]
    fn two_circulars_in_a_year_cost_five_percent_one_does_not() {
        let r = Registers {
            circulars: vec![
                circular(10, 1, "2026-03-31", &["u1", "u2"]),
                circular(11, 2, "2026-06-30", &["u1"]),
                circular(12, 9, "2025-12-31", &["u2"]),
            ],
            ..Registers::default()
        };
        let s = run(&r, "2026-12-31", &["u1", "u2"]);
        assert_eq!(s[0].circulars, 2);
        assert_eq!(s[0].automatic.len(), 1);
        assert!((s[0].automatic[0].points - 5.0).abs() < 1e-9);
        assert_eq!(
            s[0].automatic[0].facts,
            vec![Fact::Circular(10), Fact::Circular(11)]
        );
        assert!(s[0].automatic[0].cause.contains("第1期、第2期"));
        assert!((s[0].total - 95.0).abs() < 1e-9);
        assert_eq!(s[0].grade, Grade::Excellent);
        assert_eq!(s[1].circulars, 1);
        assert!(s[1].automatic.is_empty());
        assert!((s[1].total - 100.0).abs() < 1e-9);
    }

    #[test]
    fn overdue_items_and_manual_deductions_are_taken_with_their_causes() {
        let r = Registers {
            items: vec![
                item(1, "u1", "2026-06-30", None),
                item(2, "u1", "2026-06-30", Some("2026-07-05")),
                item(3, "u1", "2026-06-30", Some("2026-06-30")),
                item(4, "u1", "2026-12-31", None),
                item(5, "u2", "2026-06-30", None),
                {
                    // Reported done in time, but its 验收 failed: not done.
                    let mut i = item(6, "u1", "2026-06-30", Some("2026-06-20"));
                    i.checks.push(crate::supervision::Check {
                        date: d("2026-06-25"),
                        passed: false,
                        by: String::new(),
                        note: "未整改到位".into(),
                    });
                    i
                },
            ],
            deductions: vec![ManualDeduction {
                id: 7,
                year: 2026,
                unit: "u1".into(),
                item: "安全投入".into(),
                points: 3.0,
                reason: "安全投入未按计划落实".into(),
                withdrawn: None,
                author: "t".into(),
                created_at: String::new(),
            }],
            ..Registers::default()
        };
        let s = &run(&r, "2026-09-01", &["u1"])[0];
        assert_eq!(s.as_of, d("2026-09-01"));
        let facts: Vec<&Fact> = s.automatic.iter().flat_map(|a| &a.facts).collect();
        // Item 4 is not due yet, item 3 was on time, item 5 is another unit's; item 6 failed
        // its 验收.
        assert_eq!(facts, vec![&Fact::Item(1), &Fact::Item(2), &Fact::Item(6)]);
        assert!(s.automatic[1].cause.contains("逾期完成"));
        assert!(s.automatic[2].cause.contains("验收未通过"));
        let line = s.lines.iter().find(|l| l.name == "安全投入").unwrap();
        assert!((line.score - 7.0).abs() < 1e-9);
        assert_eq!(line.deductions[0].facts, vec![Fact::Deduction(7)]);
        assert!((s.total - (100.0 - 3.0 - 6.0)).abs() < 1e-9);
    }

    #[test]
    fn a_major_accident_fails_the_year_a_larger_one_costs_the_award() {
        let r = Registers {
            accidents: vec![
                accident(1, "u1", "2026-05-01", AccidentGrade::Major),
                accident(2, "u2", "2026-05-01", AccidentGrade::Larger),
                accident(3, "u3", "2025-05-01", AccidentGrade::Extraordinary),
            ],
            ..Registers::default()
        };
        let s = run(&r, "2026-12-31", &["u1", "u2", "u3"]);
        assert_eq!(s[0].grade, Grade::Fail);
        assert!(s[0].remark.contains("一票否决"));
        assert_eq!(s[0].accidents, vec![Fact::Accident(1)]);
        assert_eq!(s[1].grade, Grade::Pass);
        assert!(s[1].remark.contains("评优"));
        assert_eq!(s[2].grade, Grade::Excellent);
        // An accident after the day the sheet is made is not known yet.
        let s = run(&r, "2026-04-30", &["u1"]);
        assert_eq!(s[0].grade, Grade::Excellent);
    }
}
