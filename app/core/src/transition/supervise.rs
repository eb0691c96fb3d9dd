//! The changes of [`Command::Supervise`]: each reads the rows it names, refuses what the
//! registers' rules forbid (销号 before a passed 验收, a step back down the ladder, a late item
//! closed without its explanation…) and writes the new state of one row.

use chrono::{Datelike, NaiveDate};

use super::{invalid, json, not_found, read_setting};
use crate::change::{AuditEntry, Change, Context, Put, Rows};
use crate::settings::Settings;
use crate::supervise::SupAction;
use crate::supervision::{
    Accident, Circular, Dated, Item, ItemState, Lookback, ManualDeduction, Named, Registers,
    StepTaken, SupKind, SupRow, SupervisionRules, Talk,
};

type Audit<'a> =
    dyn Fn(String, Option<serde_json::Value>, Option<serde_json::Value>) -> AuditEntry + 'a;

fn item<R: Rows>(rows: &R, id: u64) -> Result<Item, R::Error> {
    match rows.sup_row(SupKind::Item, id)? {
        Some(SupRow::Item(i)) => Ok(i),
        _ => Err(not_found("督办事项", format!("#{id}"))),
    }
}

fn unit_exists<R: Rows>(rows: &R, unit: &str, what: &'static str) -> Result<(), R::Error> {
    match rows.unit(unit)? {
        Some(_) => Ok(()),
        None => Err(not_found(what, unit)),
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The change of `action`.
pub(super) fn compute<R: Rows>(
    rows: &R,
    action: &SupAction,
    cx: &Context<'_>,
    audit: &Audit<'_>,
) -> Result<Change, R::Error> {
    let row_change = |before: Option<serde_json::Value>, row: SupRow| {
        let target = format!("{}:{}", kind_key(row.kind()), row.id());
        let mut a = audit(target, before.clone(), json(&row));
        a.summary = action.describe();
        let put = if before.is_none() {
            Put::NewSupervision(row)
        } else {
            Put::Supervision(row)
        };
        Change::one(put, a)
    };
    // The number of a new row of `kind`: one after the last.
    let next_id = |kind: SupKind| -> Result<u64, R::Error> {
        Ok(rows
            .sup_rows(kind)?
            .iter()
            .map(SupRow::id)
            .max()
            .unwrap_or(0)
            + 1)
    };
    // An item changed by `f`, after the checks `f` makes.
    let change_item = |id: u64, f: &dyn Fn(&mut Item) -> Result<(), String>| {
        let mut i = item(rows, id)?;
        let before = json(&i);
        f(&mut i).map_err(invalid::<R::Error>)?;
        Ok(row_change(before, SupRow::Item(i)))
    };
    match action {
        SupAction::AddItem {
            title,
            source,
            level,
            unit,
            supervisor,
            acceptor,
            opened,
            deadline,
        } => {
            unit_exists(rows, unit, "责任单位")?;
            if let Some(task) = &source.task
                && !rows.task_exists(task)?
            {
                return Err(not_found("任务", task.as_str()));
            }
            let i = Item {
                id: next_id(SupKind::Item)?,
                title: title.trim().to_owned(),
                source: source.clone(),
                level: *level,
                unit: unit.clone(),
                supervisor: supervisor.trim().to_owned(),
                acceptor: acceptor.trim().to_owned(),
                opened: *opened,
                deadline: *deadline,
                steps: Vec::new(),
                received: None,
                completed: None,
                checks: Vec::new(),
                explanations: Vec::new(),
                closed: None,
                lookback: None,
                author: cx.actor.to_owned(),
                created_at: cx.now.to_owned(),
            };
            Ok(row_change(None, SupRow::Item(i)))
        }
        SupAction::ReceiveItem { id, date } => change_item(*id, &|i| {
            open(i)?;
            if let Some(r) = i.received {
                return Err(format!("该督办事项已于 {} 接收", day(r)));
            }
            not_before(*date, i.opened, "接收日期", "督办日期")?;
            i.received = Some(*date);
            Ok(())
        }),
        SupAction::TakeStep {
            id,
            step,
            date,
            note,
            document,
        } => change_item(*id, &|i| {
            open(i)?;
            if i.state() == ItemState::AwaitingCheck {
                return Err("该事项已报告完成、待验收，不再逐级督办；验收未通过后可继续".into());
            }
            not_before(*date, i.opened, "督办日期", "事项的督办日期")?;
            if let Some((last, last_day)) = i.last_step() {
                if *step < last {
                    return Err(format!(
                        "已经到了“{}”（{}），不能退回“{}”",
                        last.label_zh(),
                        day(last_day),
                        step.label_zh()
                    ));
                }
                not_before(*date, last_day, "督办日期", "上一步的日期")?;
            }
            i.steps.push(StepTaken {
                step: *step,
                date: *date,
                note: note.trim().to_owned(),
                document: document
                    .as_deref()
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(str::to_owned),
                actor: cx.actor.to_owned(),
            });
            Ok(())
        }),
        SupAction::CompleteItem { id, date, text } => change_item(*id, &|i| {
            open(i)?;
            let Some(received) = i.received else {
                return Err("责任单位尚未接收该督办事项，请先登记接收".into());
            };
            match i.state() {
                ItemState::AwaitingCheck => {
                    return Err("已报告完成、待验收：验收未通过后才能再次报告完成".into());
                }
                ItemState::Failed => {
                    if let Some(c) = i.checks.last() {
                        not_before(*date, c.date, "完成日期", "上次验收日期")?;
                    }
                }
                _ => {}
            }
            not_before(*date, received, "完成日期", "接收日期")?;
            i.completed = Some(Dated {
                date: *date,
                text: text.trim().to_owned(),
            });
            Ok(())
        }),
        SupAction::CheckItem { id, check } => change_item(*id, &|i| {
            open(i)?;
            if i.state() != ItemState::AwaitingCheck {
                return Err(format!(
                    "该事项{}，没有待验收的完成报告",
                    i.state().label_zh()
                ));
            }
            if let Some(c) = &i.completed {
                not_before(check.date, c.date, "验收日期", "完成日期")?;
            }
            i.checks.push(check.clone());
            Ok(())
        }),
        SupAction::ExplainItem { id, date, text } => change_item(*id, &|i| {
            open(i)?;
            not_before(*date, i.opened, "说明日期", "督办日期")?;
            i.explanations.push(Dated {
                date: *date,
                text: text.trim().to_owned(),
            });
            Ok(())
        }),
        SupAction::CloseItem { id, date, lookback } => {
            let rules: SupervisionRules =
                read_setting(rows, Settings::SUPERVISION, "督办与考核规则")?;
            change_item(*id, &|i| {
                open(i)?;
                let passed = i
                    .checks
                    .last()
                    .filter(|c| c.passed && i.state() == ItemState::AwaitingCheck);
                let Some(check) = passed else {
                    return Err(format!(
                        "销号须在验收通过之后（该事项{}）",
                        i.state().label_zh()
                    ));
                };
                not_before(*date, check.date, "销号日期", "验收日期")?;
                if let Some(why) = i.explanation_due(*date) {
                    return Err(format!(
                        "该事项{}，须先提交书面说明，才能销号",
                        why.label_zh()
                    ));
                }
                let due = match lookback {
                    Some(d) => *d,
                    None => date
                        .checked_add_days(chrono::Days::new(u64::from(rules.lookback_days)))
                        .unwrap_or(*date),
                };
                if due <= *date {
                    return Err(format!("回头看日期 {} 应在销号日期之后", day(due)));
                }
                i.closed = Some(*date);
                i.lookback = Some(Lookback { due, done: None });
                Ok(())
            })
        }
        SupAction::LookBack { id, check } => change_item(*id, &|i| {
            let Some(closed) = i.closed else {
                return Err("回头看在销号之后".into());
            };
            let Some(l) = i.lookback.as_mut() else {
                return Err("该事项没有回头看安排".into());
            };
            if l.done.is_some() {
                return Err("该事项已回头看".into());
            }
            not_before(check.date, closed, "回头看日期", "销号日期")?;
            l.done = Some(check.clone());
            Ok(())
        }),
        SupAction::AddCircular {
            date,
            kind,
            title,
            summary,
            named,
            follow_up,
            items,
        } => {
            for n in named.iter().filter(|n| n.member) {
                unit_exists(rows, &n.unit, "被通报单位")?;
            }
            for i in items {
                item(rows, *i)?;
            }
            let existing: Vec<SupRow> = rows.sup_rows(SupKind::Circular)?;
            let registers = Registers::from_rows(existing);
            let year = date.year();
            let c = Circular {
                id: next_id(SupKind::Circular)?,
                year,
                number: registers.next_circular_number(year),
                date: *date,
                kind: *kind,
                title: title.trim().to_owned(),
                summary: summary.trim().to_owned(),
                named: dedup_named(named),
                follow_up: follow_up.trim().to_owned(),
                items: items.clone(),
                voided: None,
                author: cx.actor.to_owned(),
                created_at: cx.now.to_owned(),
            };
            Ok(row_change(None, SupRow::Circular(c)))
        }
        SupAction::VoidCircular { id, date, reason } => {
            let Some(SupRow::Circular(mut c)) = rows.sup_row(SupKind::Circular, *id)? else {
                return Err(not_found("通报", format!("#{id}")));
            };
            if c.voided.is_some() {
                return Err(invalid(format!("通报{}已作废", c.number_text())));
            }
            let before = json(&c);
            c.voided = Some(crate::supervision::Voided {
                date: *date,
                reason: reason.trim().to_owned(),
                actor: cx.actor.to_owned(),
            });
            Ok(row_change(before, SupRow::Circular(c)))
        }
        SupAction::AddTalk {
            date,
            unit,
            persons,
            by,
            issues,
            commitments,
            follow_up,
            item: of_item,
        } => {
            unit_exists(rows, unit, "约谈单位")?;
            if let Some(i) = of_item {
                item(rows, *i)?;
            }
            let t = Talk {
                id: next_id(SupKind::Talk)?,
                date: *date,
                unit: unit.clone(),
                persons: persons.trim().to_owned(),
                by: by.trim().to_owned(),
                issues: issues.trim().to_owned(),
                commitments: commitments.trim().to_owned(),
                follow_up: *follow_up,
                item: *of_item,
                author: cx.actor.to_owned(),
                created_at: cx.now.to_owned(),
            };
            Ok(row_change(None, SupRow::Talk(t)))
        }
        SupAction::AddAccident {
            date,
            unit,
            grade,
            title,
            note,
        } => {
            unit_exists(rows, unit, "事故单位")?;
            let a = Accident {
                id: next_id(SupKind::Accident)?,
                date: *date,
                unit: unit.clone(),
                grade: *grade,
                title: title.trim().to_owned(),
                note: note.trim().to_owned(),
                author: cx.actor.to_owned(),
                created_at: cx.now.to_owned(),
            };
            Ok(row_change(None, SupRow::Accident(a)))
        }
        SupAction::AddDeduction {
            year,
            unit,
            item: name,
            points,
            reason,
        } => {
            unit_exists(rows, unit, "单位")?;
            let rules: SupervisionRules =
                read_setting(rows, Settings::SUPERVISION, "督办与考核规则")?;
            let Some(of) = rules.items.iter().find(|i| i.name == name.trim()) else {
                let names: Vec<&str> = rules.items.iter().map(|i| i.name.as_str()).collect();
                return Err(invalid(format!(
                    "没有考核项目“{}”（现有：{}）",
                    name.trim(),
                    names.join("、")
                )));
            };
            let taken: f64 = rows
                .sup_rows(SupKind::Deduction)?
                .into_iter()
                .filter_map(|r| match r {
                    SupRow::Deduction(d) if d.year == *year && d.unit == *unit => Some(d),
                    _ => None,
                })
                .filter(|d| d.item == of.name && d.withdrawn.is_none())
                .map(|d| d.points)
                .sum();
            if taken + points > of.points + 1e-9 {
                return Err(invalid(format!(
                    "“{}”共 {} 分，已扣 {} 分，不能再扣 {} 分",
                    of.name, of.points, taken, points
                )));
            }
            let d = ManualDeduction {
                id: next_id(SupKind::Deduction)?,
                year: *year,
                unit: unit.clone(),
                item: of.name.clone(),
                points: *points,
                reason: reason.trim().to_owned(),
                withdrawn: None,
                author: cx.actor.to_owned(),
                created_at: cx.now.to_owned(),
            };
            Ok(row_change(None, SupRow::Deduction(d)))
        }
        SupAction::RemoveDeduction { id, date, reason } => {
            let Some(SupRow::Deduction(mut d)) = rows.sup_row(SupKind::Deduction, *id)? else {
                return Err(not_found("考核扣分", format!("#{id}")));
            };
            if d.withdrawn.is_some() {
                return Err(invalid(format!("考核扣分 #{id} 已撤销")));
            }
            let before = json(&d);
            d.withdrawn = Some(crate::supervision::Voided {
                date: *date,
                reason: reason.trim().to_owned(),
                actor: cx.actor.to_owned(),
            });
            Ok(row_change(before, SupRow::Deduction(d)))
        }
        SupAction::SetRules { rules } => {
            let before = rows.setting(Settings::SUPERVISION)?;
            let put = super::setting_put::<R::Error>(Settings::SUPERVISION, rules)?;
            let after = json(rules);
            let mut a = audit(format!("setting:{}", Settings::SUPERVISION), before, after);
            a.summary = action.describe();
            Ok(Change::one(put, a))
        }
    }
}

/// The key word of a kind in audit targets ("supervision_item:12").
fn kind_key(kind: SupKind) -> &'static str {
    match kind {
        SupKind::Item => "supervision_item",
        SupKind::Circular => "circular",
        SupKind::Talk => "talk",
        SupKind::Accident => "accident",
        SupKind::Deduction => "deduction",
    }
}

fn open(i: &Item) -> Result<(), String> {
    match i.closed {
        Some(d) => Err(format!("该督办事项已于 {} 销号", day(d))),
        None => Ok(()),
    }
}

fn not_before(date: NaiveDate, earlier: NaiveDate, what: &str, of: &str) -> Result<(), String> {
    if date < earlier {
        Err(format!("{what} {} 早于{of} {}", day(date), day(earlier)))
    } else {
        Ok(())
    }
}

/// Each unit named once (the first mention keeps its place; later issues are joined).
fn dedup_named(named: &[Named]) -> Vec<Named> {
    let mut out: Vec<Named> = Vec::new();
    for n in named {
        let unit = n.unit.trim();
        match out.iter_mut().find(|o| o.unit == unit) {
            Some(o) => {
                if !n.issue.trim().is_empty() {
                    if !o.issue.is_empty() {
                        o.issue.push('；');
                    }
                    o.issue.push_str(n.issue.trim());
                }
            }
            None => out.push(Named {
                unit: unit.to_owned(),
                member: n.member,
                issue: n.issue.trim().to_owned(),
            }),
        }
    }
    out
}
