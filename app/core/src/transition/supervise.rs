//! The changes of [`Command::Supervise`]: each reads the rows it names, refuses what the
//! registers' rules forbid (销号 before a passed 验收, a step back down the ladder, a late item
//! closed without its explanation…) and writes the new state of one row.

use chrono::{Datelike, NaiveDate};

use crate::accountability::Step;

use super::{invalid, json, not_found, read_setting};
use crate::change::{AuditEntry, Change, Context, Put, Rows};
use crate::plugin::HazardCategory;
use crate::settings::Settings;
use crate::supervise::SupAction;
use crate::supervision::{
    Accident, Circular, CitedClause, ClauseRef, Dated, Hazard, HazardGrade, HazardState, Item,
    ItemState, ListEntry, Lookback, ManualDeduction, Named, Registers, Reward, Source, SourceKind,
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

fn hazard<R: Rows>(rows: &R, id: u64) -> Result<Hazard, R::Error> {
    match rows.sup_row(SupKind::Hazard, id)? {
        Some(SupRow::Hazard(h)) => Ok(h),
        _ => Err(not_found("隐患", format!("#{id}"))),
    }
}

/// The category and item of `sector`'s checklist that `r` names, as the imported plugin
/// states them; refused when either is unknown, or when the item is a 重大事故隐患 and the
/// hazard is not graded 重大.
fn cite<R: Rows>(
    rows: &R,
    sector: &str,
    r: &ClauseRef,
    grade: HazardGrade,
) -> Result<(HazardCategory, CitedClause), R::Error> {
    let record = rows
        .sector_record(sector)?
        .ok_or_else(|| not_found("行业", sector))?;
    let category = crate::plugin::hazard_category(&record.hazards, &r.category)
        .ok_or_else(|| invalid(format!("行业“{sector}”的插件没有隐患类别“{}”", r.category)))?;
    let clause = category.clause(&r.clause).ok_or_else(|| {
        invalid(format!(
            "隐患类别“{}”没有判定条目“{}”",
            category.name, r.clause
        ))
    })?;
    if clause.major && grade != HazardGrade::Major {
        return Err(invalid(format!(
            "所引判定条目“{}”属重大事故隐患，隐患等级应为“重大”",
            clause.text
        )));
    }
    let cited = CitedClause {
        category: category.id.clone(),
        clause: clause.id.clone(),
        text: clause.text.clone(),
        major: clause.major,
    };
    Ok((category.clone(), cited))
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
    let next_id = |kind: SupKind| -> Result<u64, R::Error> { Ok(rows.sup_last_id(kind)? + 1) };
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
            let document = document
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_owned);
            take_step(i, *step, *date, note, document, cx.actor)
        }),
        SupAction::CompleteItem { id, date, text } => change_item(*id, &|i| {
            open(i)?;
            through_hazard(i)?;
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
            through_hazard(i)?;
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
                through_hazard(i)?;
                close_item(i, *date, *lookback, &rules)
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
            let mut listed = Vec::new();
            for i in items {
                listed.push(item(rows, *i)?);
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
            // The items it reports on whose unit it names and that are still being chased
            // reach the ladder's 通报 step, under its 期号; the others are only listed.
            let mut puts = Vec::new();
            let mut stepped = Vec::new();
            for mut i in listed {
                let named_unit = c.named.iter().any(|n| n.member && n.unit == i.unit);
                let chased = i.closed.is_none()
                    && i.state() != ItemState::AwaitingCheck
                    && i.last_step()
                        .is_none_or(|(s, d)| s <= Step::Circular && d <= *date);
                if named_unit && chased {
                    take_step(
                        &mut i,
                        Step::Circular,
                        *date,
                        "",
                        Some(c.number_text()),
                        cx.actor,
                    )
                    .map_err(invalid::<R::Error>)?;
                    stepped.push(format!("#{}", i.id));
                    puts.push(Put::Supervision(SupRow::Item(i)));
                }
            }
            let mut change = row_change(None, SupRow::Circular(c));
            if !stepped.is_empty() {
                change
                    .audit
                    .summary
                    .push_str(&format!("，督办事项 {} 记为“通报”", stepped.join("、")));
            }
            change.puts.extend(puts);
            Ok(change)
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
            // The 约谈 of an item is its ladder's last step, taken with the record.
            let stepped = match of_item {
                Some(i) => {
                    let mut it = item(rows, *i)?;
                    if it.unit != *unit {
                        return Err(invalid(format!("督办事项 #{i} 的责任单位不是所约谈的单位")));
                    }
                    take_step(&mut it, Step::Talk, *date, "", None, cx.actor)
                        .map_err(|e| invalid::<R::Error>(format!("督办事项 #{i}：{e}")))?;
                    Some(it)
                }
                None => None,
            };
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
            let mut change = row_change(None, SupRow::Talk(t));
            if let Some(it) = stepped {
                change
                    .audit
                    .summary
                    .push_str(&format!("，督办事项 #{} 记为“约谈”", it.id));
                change.puts.push(Put::Supervision(SupRow::Item(it)));
            }
            Ok(change)
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
        SupAction::AddHazard {
            found,
            found_by,
            place,
            sector,
            category,
            standard,
            clause,
            description,
            grade,
            unit,
            registered,
            deadline,
            tasks,
            level,
            supervisor,
        } => {
            unit_exists(rows, unit, "监管单位")?;
            let cited = match (clause, sector) {
                (None, _) => None,
                (Some(_), None) => return Err(invalid("引用判定条目时须指明行业".to_owned())),
                (Some(r), Some(s)) => Some(cite(rows, s, r, *grade)?),
            };
            for t in tasks {
                if !rows.task_exists(t)? {
                    return Err(not_found("任务", t.as_str()));
                }
            }
            let id = next_id(SupKind::Hazard)?;
            let mut h = Hazard {
                id,
                found: *found,
                found_by: found_by.trim().to_owned(),
                place: place.trim().to_owned(),
                sector: sector.clone(),
                // A cited item's category and standard are the checklist's.
                category: cited
                    .as_ref()
                    .map_or_else(|| category.trim().to_owned(), |(c, _)| c.name.clone()),
                standard: standard
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .or_else(|| cited.as_ref().and_then(|(c, _)| c.standard.clone())),
                clause: cited.map(|(_, k)| k),
                description: description.trim().to_owned(),
                grade: *grade,
                unit: unit.clone(),
                registered: *registered,
                deadline: *deadline,
                plan: None,
                rechecks: Vec::new(),
                closed: None,
                item: None,
                tasks: tasks.clone(),
                author: cx.actor.to_owned(),
                created_at: cx.now.to_owned(),
            };
            let mut puts = Vec::new();
            let mut summary = action.describe();
            if *grade == HazardGrade::Major {
                // 挂牌督办 at the level asked for, else the rules' level.
                let rules: SupervisionRules =
                    read_setting(rows, Settings::SUPERVISION, "督办与考核规则")?;
                let level = level.unwrap_or(rules.major_hazard_level);
                let item_id = next_id(SupKind::Item)?;
                h.item = Some(item_id);
                puts.push(Put::NewSupervision(SupRow::Item(Item {
                    id: item_id,
                    title: format!("重大隐患挂牌督办：{}{}", h.place, h.description),
                    source: Source {
                        kind: SourceKind::Hazard,
                        reference: format!("隐患 #{id}"),
                        task: None,
                        milestone: None,
                        hazard: Some(id),
                    },
                    level,
                    unit: unit.clone(),
                    supervisor: supervisor.trim().to_owned(),
                    acceptor: supervisor.trim().to_owned(),
                    opened: *registered,
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
                })));
                summary.push_str(&format!(
                    "，{}挂牌督办（督办事项 #{item_id}）",
                    level.label_zh()
                ));
            }
            let after = json(&h);
            puts.insert(0, Put::NewSupervision(SupRow::Hazard(h)));
            let mut a = audit(format!("hazard:{id}"), None, after);
            a.summary = summary;
            Ok(Change::new(Vec::new(), puts, a))
        }
        SupAction::RectifyHazard { id, plan } => {
            let mut h = hazard(rows, *id)?;
            let before = json(&h);
            if let Some(d) = h.closed {
                return Err(invalid(format!("隐患 #{id} 已于 {} 销号", day(d))));
            }
            if h.state() == HazardState::Rechecked {
                return Err(invalid(format!("隐患 #{id} 已复查合格，待销号")));
            }
            not_before(plan.date, h.registered, "整改方案日期", "登记日期")
                .map_err(invalid::<R::Error>)?;
            if plan.deadline > h.deadline {
                return Err(invalid(format!(
                    "五到位的时限 {} 晚于登记时定的整改时限 {}（时限不能悄悄后移）",
                    day(plan.deadline),
                    day(h.deadline)
                )));
            }
            h.plan = Some(plan.clone());
            let mut puts = Vec::new();
            // A 重大隐患's 挂牌 item: the unit has taken it on.
            if let Some(item_id) = h.item {
                let mut i = item(rows, item_id)?;
                if i.received.is_none() {
                    i.received = Some(plan.date.max(i.opened));
                    puts.push(Put::Supervision(SupRow::Item(i)));
                }
            }
            let after = json(&h);
            puts.insert(0, Put::Supervision(SupRow::Hazard(h)));
            let mut a = audit(format!("hazard:{id}"), before, after);
            a.summary = action.describe();
            Ok(Change::new(Vec::new(), puts, a))
        }
        SupAction::RecheckHazard { id, check } => {
            let mut h = hazard(rows, *id)?;
            let before = json(&h);
            match h.state() {
                HazardState::Closed => {
                    return Err(invalid(format!("隐患 #{id} 已销号")));
                }
                HazardState::Registered => {
                    return Err(invalid(format!(
                        "隐患 #{id} 还没有五到位整改方案，先落实整改再复查"
                    )));
                }
                HazardState::Rechecked => {
                    return Err(invalid(format!("隐患 #{id} 已复查合格，待销号")));
                }
                HazardState::Rectifying | HazardState::RecheckFailed => {}
            }
            if let Some(p) = &h.plan {
                not_before(check.date, p.date, "复查日期", "整改方案日期")
                    .map_err(invalid::<R::Error>)?;
            }
            h.rechecks.push(check.clone());
            let mut puts = Vec::new();
            if let Some(item_id) = h.item {
                let mut i = item(rows, item_id)?;
                open(&i).map_err(invalid::<R::Error>)?;
                if i.received.is_none() {
                    i.received = Some(check.date.max(i.opened));
                }
                if i.state() != ItemState::AwaitingCheck {
                    i.completed = Some(Dated {
                        date: check.date,
                        text: format!("隐患整改完成，复查（隐患 #{id}）"),
                    });
                }
                i.checks.push(check.clone());
                puts.push(Put::Supervision(SupRow::Item(i)));
            }
            let after = json(&h);
            puts.insert(0, Put::Supervision(SupRow::Hazard(h)));
            let mut a = audit(format!("hazard:{id}"), before, after);
            a.summary = action.describe();
            Ok(Change::new(Vec::new(), puts, a))
        }
        SupAction::CloseHazard { id, date } => {
            let mut h = hazard(rows, *id)?;
            let before = json(&h);
            if h.state() != HazardState::Rechecked {
                return Err(invalid(format!(
                    "销号须在复查合格之后（隐患 #{id} {}）",
                    h.state().label_zh()
                )));
            }
            if let Some(c) = h.rechecks.last() {
                not_before(*date, c.date, "销号日期", "复查日期").map_err(invalid::<R::Error>)?;
            }
            h.closed = Some(*date);
            let mut puts = Vec::new();
            let mut summary = action.describe();
            if let Some(item_id) = h.item {
                let rules: SupervisionRules =
                    read_setting(rows, Settings::SUPERVISION, "督办与考核规则")?;
                let mut i = item(rows, item_id)?;
                close_item(&mut i, *date, None, &rules).map_err(|e| {
                    invalid::<R::Error>(format!("挂牌督办事项 #{item_id} 不能摘牌：{e}"))
                })?;
                summary.push_str(&format!("，挂牌督办事项 #{item_id} 摘牌销号"));
                puts.push(Put::Supervision(SupRow::Item(i)));
            }
            let after = json(&h);
            puts.insert(0, Put::Supervision(SupRow::Hazard(h)));
            let mut a = audit(format!("hazard:{id}"), before, after);
            a.summary = summary;
            Ok(Change::new(Vec::new(), puts, a))
        }
        SupAction::AddReward {
            date,
            reporter,
            content,
            hazard: of,
            tier,
            amount,
        } => {
            if let Some(h) = of {
                hazard(rows, *h)?;
            }
            let r = Reward {
                id: next_id(SupKind::Reward)?,
                date: *date,
                reporter: reporter.trim().to_owned(),
                content: content.trim().to_owned(),
                hazard: *of,
                tier: *tier,
                amount: *amount,
                paid: None,
                author: cx.actor.to_owned(),
                created_at: cx.now.to_owned(),
            };
            Ok(row_change(None, SupRow::Reward(r)))
        }
        SupAction::PayReward { id, date, text } => {
            let Some(SupRow::Reward(mut r)) = rows.sup_row(SupKind::Reward, *id)? else {
                return Err(not_found("举报奖励", format!("#{id}")));
            };
            if let Some(p) = &r.paid {
                return Err(invalid(format!("举报奖励 #{id} 已于 {} 发放", day(p.date))));
            }
            not_before(*date, r.date, "发放日期", "举报日期").map_err(invalid::<R::Error>)?;
            let before = json(&r);
            r.paid = Some(Dated {
                date: *date,
                text: text.trim().to_owned(),
            });
            Ok(row_change(before, SupRow::Reward(r)))
        }
        SupAction::AddListEntry {
            list,
            unit,
            text,
            measures,
            deadline,
            tasks,
            hazards,
            date,
        } => {
            unit_exists(rows, unit, "责任单位")?;
            for t in tasks {
                if !rows.task_exists(t)? {
                    return Err(not_found("任务", t.as_str()));
                }
            }
            for h in hazards {
                hazard(rows, *h)?;
            }
            let e = ListEntry {
                id: next_id(SupKind::ListEntry)?,
                list: *list,
                unit: unit.clone(),
                text: text.trim().to_owned(),
                measures: measures.trim().to_owned(),
                deadline: *deadline,
                tasks: tasks.clone(),
                hazards: hazards.clone(),
                done: None,
                date: *date,
                author: cx.actor.to_owned(),
                created_at: cx.now.to_owned(),
            };
            Ok(row_change(None, SupRow::ListEntry(e)))
        }
        SupAction::CompleteListEntry { id, date, text } => {
            let Some(SupRow::ListEntry(mut e)) = rows.sup_row(SupKind::ListEntry, *id)? else {
                return Err(not_found("清单条目", format!("#{id}")));
            };
            if e.done.is_some() {
                return Err(invalid(format!("清单条目 #{id} 已完成")));
            }
            not_before(*date, e.date, "完成日期", "列入清单的日期").map_err(invalid::<R::Error>)?;
            let before = json(&e);
            e.done = Some(Dated {
                date: *date,
                text: text.trim().to_owned(),
            });
            Ok(row_change(before, SupRow::ListEntry(e)))
        }
        SupAction::IssueLetter {
            item: item_id,
            step,
            year,
            number,
            date,
            reply_by,
            recipient,
            file,
            doc_prefix,
            pdf,
        } => {
            let mut i = item(rows, *item_id)?;
            let before = json(&i);
            let title = step.document_zh().unwrap_or("督办文书");
            let next = rows.next_notice_number(*year)?;
            if *number != next {
                return Err(invalid(format!(
                    "文号〔{year}〕{number}号不是本年度的下一个编号（应为 {next} 号）"
                )));
            }
            crate::notice::check_notice_dates(*date, Some(*year), *reply_by)
                .map_err(|e| invalid::<R::Error>(e.to_string()))?;
            let doc_number = format!("{}〔{year}〕{number}号", doc_prefix.trim());
            take_step(&mut i, *step, *date, "", Some(doc_number), cx.actor)
                .map_err(invalid::<R::Error>)?;
            let record = crate::NoticeRecord {
                year: *year,
                number: *number,
                task: i.source.task.clone().unwrap_or_default(),
                recipient: recipient.trim().to_owned(),
                new_deadline: *reply_by,
                issued_at: cx.now.to_owned(),
                actor: cx.actor.to_owned(),
                file: file.clone(),
                date: Some(*date),
                sha256: Some(crate::notice::pdf_sha256(pdf)),
                voided: None,
                doc_prefix: doc_prefix.trim().to_owned(),
                item: Some(*item_id),
                title: title.to_owned(),
            };
            let mut a = audit(format!("supervision_item:{item_id}"), before, json(&i));
            a.summary = action.describe();
            Ok(Change::new(
                Vec::new(),
                vec![
                    Put::Notice(record),
                    Put::NoticeFile {
                        year: *year,
                        number: *number,
                        pdf: pdf.clone(),
                    },
                    Put::Supervision(SupRow::Item(i)),
                ],
                a,
            ))
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
        SupKind::Hazard => "hazard",
        SupKind::Reward => "reward",
        SupKind::ListEntry => "list_entry",
    }
}

/// 销号 of `i` on `date`: after a passed 验收 of its completion, with the explanation a
/// late or failed item needs; the 回头看 day set (`lookback`, else the rules' days after).
fn close_item(
    i: &mut Item,
    date: NaiveDate,
    lookback: Option<NaiveDate>,
    rules: &SupervisionRules,
) -> Result<(), String> {
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
    not_before(date, check.date, "销号日期", "验收日期")?;
    if let Some(why) = i.explanation_due(date) {
        return Err(format!(
            "该事项{}，须先提交书面说明，才能销号",
            why.label_zh()
        ));
    }
    let due = match lookback {
        Some(d) => d,
        None => date
            .checked_add_days(chrono::Days::new(u64::from(rules.lookback_days)))
            .unwrap_or(date),
    };
    if due <= date {
        return Err(format!("回头看日期 {} 应在销号日期之后", day(due)));
    }
    i.closed = Some(date);
    i.lookback = Some(Lookback { due, done: None });
    Ok(())
}

/// Takes ladder step `step` on `date`: the item open and not awaiting 验收, the step not
/// below the last one taken nor before its day.
fn take_step(
    i: &mut Item,
    step: Step,
    date: NaiveDate,
    note: &str,
    document: Option<String>,
    actor: &str,
) -> Result<(), String> {
    open(i)?;
    if i.state() == ItemState::AwaitingCheck {
        return Err("该事项已报告完成、待验收，不再逐级督办；验收未通过后可继续".into());
    }
    not_before(date, i.opened, "督办日期", "事项的督办日期")?;
    if let Some((last, last_day)) = i.last_step() {
        if step < last {
            return Err(format!(
                "已经到了“{}”（{}），不能退回“{}”",
                last.label_zh(),
                day(last_day),
                step.label_zh()
            ));
        }
        not_before(date, last_day, "督办日期", "上一步的日期")?;
    }
    i.steps.push(StepTaken {
        step,
        date,
        note: note.trim().to_owned(),
        document,
        actor: actor.to_owned(),
    });
    Ok(())
}

/// A 重大隐患's 挂牌 item is completed, accepted and closed through its hazard (复查, 销号),
/// so that the two never disagree.
fn through_hazard(i: &Item) -> Result<(), String> {
    match i.source.hazard {
        Some(h) => Err(format!(
            "该事项是隐患 #{h} 的挂牌督办：完成、验收和销号请通过隐患的复查、销号办理"
        )),
        None => Ok(()),
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
