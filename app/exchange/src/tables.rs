//! The desk's tables as [`Table`]s for [`crate::xlsx`]: the same rows the window and the CLI
//! list, with the columns an office's ledger has, in its words. Each takes what is shown
//! (already filtered) and the day it is as of; nothing here reads the store.

use chrono::NaiveDate;

use anwei_core::assessment::Sheet;
use anwei_core::query::TaskRow;
use anwei_core::supervision::{Circular, Hazard, Item, ListEntry, ListKind};
use anwei_core::{Target, UnitDirectory};

use crate::xlsx::{Cell, Column, Table};

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn note(as_of: NaiveDate, what: &str, rows: usize) -> String {
    if what.is_empty() {
        format!("截至 {}，共 {rows} 项", day(as_of))
    } else {
        format!("截至 {}（{what}），共 {rows} 项", day(as_of))
    }
}

/// 任务清单: the task rows shown (their labels' plans named), with their units by role,
/// deadline as written, phase, status as of the day and latest percent.
pub fn tasks(
    title: &str,
    filter: &str,
    rows: &[&TaskRow],
    plan_name: impl Fn(&str) -> String,
    as_of: NaiveDate,
) -> Table {
    Table {
        sheet: "任务".into(),
        title: title.to_owned(),
        note: note(as_of, filter, rows.len()),
        columns: vec![
            Column::new("序号", 5.0),
            Column::wrapped("方案", 16.0),
            Column::new("编号", 10.0),
            Column::wrapped("任务", 40.0),
            Column::wrapped("牵头单位", 16.0),
            Column::wrapped("责任单位", 18.0),
            Column::wrapped("配合单位", 18.0),
            Column::wrapped("完成时限", 14.0),
            Column::new("阶段", 9.0),
            Column::new("状态", 7.0),
            Column::new("进度(%)", 7.0),
            Column::wrapped("说明", 14.0),
        ],
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    Cell::from(i as u64 + 1),
                    plan_name(&r.plan).into(),
                    r.label.as_str().into(),
                    r.title.as_str().into(),
                    r.lead_units.join("、").into(),
                    r.responsible_units.join("、").into(),
                    r.cooperating_units.join("、").into(),
                    r.deadline_text.as_str().into(),
                    r.phase.clone().unwrap_or_default().into(),
                    r.status_label.as_str().into(),
                    r.percent
                        .map_or(Cell::Empty, |p| Cell::Number(f64::from(p))),
                    r.not_applicable
                        .as_deref()
                        .map(|why| format!("不适用：{why}"))
                        .or_else(|| r.milestone.as_deref().map(|m| format!("节点：{m}")))
                        .unwrap_or_default()
                        .into(),
                ]
            })
            .collect(),
    }
}

/// One target as shown: its sector, requirement, current figure and status as of the day.
#[derive(Debug, Clone)]
pub struct TargetLine<'a> {
    pub sector: String,
    pub target: &'a Target,
    pub current: Option<f64>,
    pub status: String,
}

/// 指标清单.
pub fn targets(title: &str, lines: &[TargetLine<'_>], as_of: NaiveDate) -> Table {
    Table {
        sheet: "指标".into(),
        title: title.to_owned(),
        note: note(as_of, "", lines.len()),
        columns: vec![
            Column::new("序号", 6.0),
            Column::new("行业", 12.0),
            Column::wrapped("指标", 40.0),
            Column::new("单位", 8.0),
            Column::wrapped("要求", 36.0),
            Column::new("当前值", 10.0),
            Column::new("状态", 10.0),
        ],
        rows: lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                vec![
                    Cell::from(i as u64 + 1),
                    l.sector.as_str().into(),
                    l.target.name.as_str().into(),
                    l.target.unit.as_str().into(),
                    l.target.checkpoints_text().into(),
                    l.current.map_or(Cell::Empty, Cell::Number),
                    l.status.as_str().into(),
                ]
            })
            .collect(),
    }
}

/// 单位名录: each unit with the number of the campaign's tasks naming it.
pub fn units(title: &str, list: &[(anwei_core::Unit, usize)], as_of: NaiveDate) -> Table {
    Table {
        sheet: "单位".into(),
        title: title.to_owned(),
        note: note(as_of, "", list.len()),
        columns: vec![
            Column::new("序号", 6.0),
            Column::wrapped("单位名称", 30.0),
            Column::new("类别", 12.0),
            Column::new("任务数", 8.0),
            Column::wrapped("其他写法", 40.0),
        ],
        rows: list
            .iter()
            .enumerate()
            .map(|(i, (u, tasks))| {
                vec![
                    Cell::from(i as u64 + 1),
                    u.name.as_str().into(),
                    u.kind.label_zh().into(),
                    Cell::from(*tasks as u64),
                    u.aliases.join("、").into(),
                ]
            })
            .collect(),
    }
}

/// 督办事项台账.
pub fn items(title: &str, items: &[&Item], units: &UnitDirectory, as_of: NaiveDate) -> Table {
    Table {
        sheet: "督办事项".into(),
        title: title.to_owned(),
        note: note(as_of, "", items.len()),
        columns: vec![
            Column::new("编号", 7.0),
            Column::wrapped("督办事项", 36.0),
            Column::wrapped("来源", 22.0),
            Column::new("级别", 7.0),
            Column::wrapped("责任单位", 18.0),
            Column::wrapped("督办单位", 14.0),
            Column::new("督办日期", 11.0),
            Column::new("整改时限", 11.0),
            Column::new("已到环节", 10.0),
            Column::new("接收", 11.0),
            Column::new("完成", 11.0),
            Column::new("审核", 9.0),
            Column::new("状态", 10.0),
            Column::new("销号日期", 11.0),
        ],
        rows: items
            .iter()
            .map(|i| {
                let source = if i.source.reference.is_empty() {
                    i.source.kind.label_zh().to_owned()
                } else {
                    format!("{}：{}", i.source.kind.label_zh(), i.source.reference)
                };
                vec![
                    Cell::Text(format!("#{}", i.id)),
                    i.title.as_str().into(),
                    source.into(),
                    i.level.label_zh().into(),
                    units.name_of(&i.unit).into(),
                    i.supervisor.as_str().into(),
                    i.opened.into(),
                    i.deadline.into(),
                    i.last_step()
                        .map_or(Cell::Empty, |(s, _)| s.label_zh().into()),
                    i.received.into(),
                    i.completion_zh(as_of).into(),
                    i.check_zh().into(),
                    i.state().label_zh().into(),
                    i.closed.into(),
                ]
            })
            .collect(),
    }
}

/// 通报登记: each 通报 with its 期号 and the units it named.
pub fn circulars(
    title: &str,
    list: &[&Circular],
    units: &UnitDirectory,
    as_of: NaiveDate,
) -> Table {
    Table {
        sheet: "通报".into(),
        title: title.to_owned(),
        note: note(as_of, "", list.len()),
        columns: vec![
            Column::new("期号", 14.0),
            Column::new("日期", 11.0),
            Column::new("类别", 12.0),
            Column::wrapped("标题", 32.0),
            Column::wrapped("通报单位及事由", 48.0),
            Column::wrapped("作废", 20.0),
        ],
        rows: list
            .iter()
            .map(|c| {
                let named = c
                    .named
                    .iter()
                    .map(|n| {
                        let who = if n.member {
                            units.name_of(&n.unit)
                        } else {
                            n.unit.as_str()
                        };
                        if n.issue.is_empty() {
                            who.to_owned()
                        } else {
                            format!("{who}（{}）", n.issue)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("；");
                vec![
                    Cell::Text(format!("{}年第{}期", c.year, c.number)),
                    c.date.into(),
                    c.kind.label_zh().into(),
                    c.title.as_str().into(),
                    named.into(),
                    c.voided
                        .as_ref()
                        .map(|v| format!("{} 作废：{}", day(v.date), v.reason))
                        .unwrap_or_default()
                        .into(),
                ]
            })
            .collect(),
    }
}

/// 隐患排查治理台账 (问题隐患).
pub fn hazards(title: &str, list: &[&Hazard], units: &UnitDirectory, as_of: NaiveDate) -> Table {
    Table {
        sheet: "隐患".into(),
        title: title.to_owned(),
        note: note(as_of, "", list.len()),
        columns: vec![
            Column::new("编号", 7.0),
            Column::new("排查日期", 11.0),
            Column::wrapped("隐患所在单位或场所", 20.0),
            Column::wrapped("隐患描述", 32.0),
            Column::new("行业", 14.0),
            Column::wrapped("类别", 14.0),
            Column::wrapped("判定依据", 30.0),
            Column::new("等级", 9.0),
            Column::wrapped("监管单位", 16.0),
            Column::new("整改时限", 11.0),
            Column::wrapped("五到位", 30.0),
            Column::new("状态", 10.0),
            Column::new("挂牌督办", 10.0),
            Column::new("销号日期", 11.0),
        ],
        rows: list
            .iter()
            .map(|h| {
                let basis = match (&h.clause, &h.standard) {
                    (Some(k), Some(s)) => format!("{s} 第{}条：{}", k.clause, k.text),
                    (Some(k), None) => format!("第{}条：{}", k.clause, k.text),
                    (None, Some(s)) => s.clone(),
                    (None, None) => String::new(),
                };
                let five = h
                    .plan
                    .as_ref()
                    .map(|p| {
                        format!(
                            "责任：{}；措施：{}；资金：{}；时限：{}；预案：{}",
                            p.responsible,
                            p.measures,
                            p.funds,
                            day(p.deadline),
                            p.contingency
                        )
                    })
                    .unwrap_or_default();
                vec![
                    Cell::Text(format!("#{}", h.id)),
                    h.found.into(),
                    h.place.as_str().into(),
                    h.description.as_str().into(),
                    h.sector.clone().unwrap_or_default().into(),
                    h.category.as_str().into(),
                    basis.into(),
                    h.grade.label_zh().into(),
                    units.name_of(&h.unit).into(),
                    h.plan.as_ref().map_or(h.deadline, |p| p.deadline).into(),
                    five.into(),
                    h.state().label_zh().into(),
                    h.item
                        .map(|i| format!("督办事项 #{i}"))
                        .unwrap_or_default()
                        .into(),
                    h.closed.into(),
                ]
            })
            .collect(),
    }
}

/// One of 两个清单.
pub fn list(
    title: &str,
    kind: ListKind,
    entries: &[&ListEntry],
    units: &UnitDirectory,
    as_of: NaiveDate,
) -> Table {
    let (what, how) = match kind {
        ListKind::Problems => ("问题隐患", "整改措施"),
        ListKind::Measures => ("制度措施", "落实方式"),
    };
    Table {
        sheet: kind.label_zh().into(),
        title: title.to_owned(),
        note: note(as_of, "", entries.len()),
        columns: vec![
            Column::new("序号", 6.0),
            Column::wrapped(what, 40.0),
            Column::wrapped(how, 30.0),
            Column::wrapped("责任单位", 18.0),
            Column::new("时限", 11.0),
            Column::wrapped("关联任务和隐患", 18.0),
            Column::new("状态", 9.0),
            Column::wrapped("完成情况", 30.0),
        ],
        rows: entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let links = e
                    .tasks
                    .iter()
                    .map(|t| format!("任务 {t}"))
                    .chain(e.hazards.iter().map(|h| format!("隐患 #{h}")))
                    .collect::<Vec<_>>()
                    .join("、");
                vec![
                    Cell::from(i as u64 + 1),
                    e.text.as_str().into(),
                    e.measures.as_str().into(),
                    units.name_of(&e.unit).into(),
                    e.deadline.into(),
                    links.into(),
                    e.status_zh(as_of).into(),
                    e.done
                        .as_ref()
                        .map(|d| format!("{}：{}", day(d.date), d.text))
                        .unwrap_or_default()
                        .into(),
                ]
            })
            .collect(),
    }
}

/// The year's 考核 sheets: a summary (one row a unit) and every deduction with its cause.
pub fn assessment(title: &str, sheets: &[Sheet], units: &UnitDirectory) -> Vec<Table> {
    let as_of = sheets.first().map_or_else(|| NaiveDate::MIN, |s| s.as_of);
    let summary = Table {
        sheet: "考核汇总".into(),
        title: title.to_owned(),
        note: note(as_of, "", sheets.len()),
        columns: vec![
            Column::new("序号", 6.0),
            Column::wrapped("单位", 24.0),
            Column::new("满分", 8.0),
            Column::new("得分", 8.0),
            Column::new("被通报次数", 10.0),
            Column::new("等次", 8.0),
            Column::wrapped("说明", 40.0),
        ],
        rows: sheets
            .iter()
            .enumerate()
            .map(|(i, s)| {
                vec![
                    Cell::from(i as u64 + 1),
                    units.name_of(&s.unit).into(),
                    s.full.into(),
                    s.total.into(),
                    Cell::from(u64::from(s.circulars)),
                    s.grade.label_zh().into(),
                    s.remark.as_str().into(),
                ]
            })
            .collect(),
    };
    let mut rows = Vec::new();
    for s in sheets {
        let unit = units.name_of(&s.unit);
        for l in &s.lines {
            for d in &l.deductions {
                rows.push(vec![
                    unit.into(),
                    l.name.as_str().into(),
                    d.points.into(),
                    d.cause.as_str().into(),
                ]);
            }
        }
        for d in &s.automatic {
            rows.push(vec![
                unit.into(),
                "按规则扣减".into(),
                d.points.into(),
                d.cause.as_str().into(),
            ]);
        }
    }
    let deductions = Table {
        sheet: "扣分明细".into(),
        title: format!("{title}扣分明细"),
        note: note(as_of, "", rows.len()),
        columns: vec![
            Column::wrapped("单位", 24.0),
            Column::wrapped("考核项目", 24.0),
            Column::new("扣分", 8.0),
            Column::wrapped("扣分原因", 60.0),
        ],
        rows,
    };
    vec![summary, deductions]
}

/// The columns of a form's 台账 and how each record fills them.
#[derive(Debug, Clone)]
pub struct RecordColumns<'f> {
    form: &'f anwei_core::form::FormDef,
    /// The form's fields that hold a value, in the form's order (a repeat group is one).
    fields: Vec<&'f anwei_core::form::FieldDef>,
}

impl<'f> RecordColumns<'f> {
    pub fn of(form: &'f anwei_core::form::FormDef) -> RecordColumns<'f> {
        use anwei_core::form::FieldKind;
        let fields = form
            .fields
            .iter()
            .filter(|f| !matches!(f.kind, FieldKind::Note))
            .collect();
        RecordColumns { form, fields }
    }

    fn columns(&self) -> Vec<Column> {
        use anwei_core::form::FieldKind as K;
        let mut out = vec![Column::new("记录号", 8.0)];
        out.extend(self.fields.iter().map(|f| {
            let label = f.display_label();
            match f.kind {
                K::Integer | K::Decimal | K::YesNo => Column::new(label, 10.0),
                K::Date => Column::new(label, 11.0),
                K::Repeat { .. } => Column::wrapped(label, 30.0),
                _ => Column::wrapped(label, 16.0),
            }
        }));
        out.push(Column::new("状态", 7.0));
        out.push(Column::new("录入人", 10.0));
        out.push(Column::new("最后修改", 17.0));
        out
    }

    /// A record's row: numbers as numbers, dates as dates, choices by their labels, units by
    /// their names, a repeat group's rows one line each.
    pub fn row(&self, r: &anwei_core::FormRecord, units: &UnitDirectory) -> Vec<Cell> {
        let mut out = Vec::with_capacity(self.fields.len() + 4);
        out.push(Cell::from(r.id));
        for f in &self.fields {
            out.push(match r.values.get(&f.name) {
                Some(v) => value_cell(f, v, units),
                None if f.children().is_empty() => Cell::Empty,
                None => repeat_cell(f, r, units).into(),
            });
        }
        out.push(
            if r.deleted {
                "已删除"
            } else if r.draft {
                "草稿"
            } else {
                "有效"
            }
            .into(),
        );
        out.push(r.author.as_str().into());
        out.push(
            r.updated_at
                .get(..19)
                .unwrap_or(&r.updated_at)
                .replacen('T', " ", 1)
                .into(),
        );
        out
    }

    /// The 台账 of `rows` (the caller leaves out what is not to be in it).
    pub fn table(&self, title: &str, rows: Vec<Vec<Cell>>, as_of: NaiveDate) -> Table {
        Table {
            sheet: self.form.title.clone(),
            title: title.to_owned(),
            note: note(as_of, "", rows.len()),
            columns: self.columns(),
            rows,
        }
    }
}

fn value_cell(
    f: &anwei_core::form::FieldDef,
    v: &anwei_core::Value,
    units: &UnitDirectory,
) -> Cell {
    use anwei_core::Value;
    use anwei_core::form::FieldKind as K;
    match (v, &f.kind) {
        (Value::Integer(i), _) => Cell::Number(*i as f64),
        (Value::Decimal(d), _) => Cell::Number(*d),
        (Value::Date(d), _) => d
            .parse::<NaiveDate>()
            .map_or_else(|_| Cell::from(d.as_str()), Cell::Date),
        (Value::Text(t), K::UnitRef | K::TownRef) => units.name_of(t).into(),
        _ => f.display_value(v).into(),
    }
}

/// A repeat group's rows, one line each: "1. 名称：值；名称：值".
fn repeat_cell(
    group: &anwei_core::form::FieldDef,
    r: &anwei_core::FormRecord,
    units: &UnitDirectory,
) -> String {
    let prefix = format!("{}[", group.name);
    let mut rows: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
    for (key, v) in r.values.range(prefix.clone()..) {
        let Some(rest) = key.strip_prefix(&prefix) else {
            break;
        };
        let Some((index, child)) = rest.split_once("]/") else {
            continue;
        };
        let Ok(index) = index.parse::<usize>() else {
            continue;
        };
        let text = match group.children().iter().find(|c| c.name == child) {
            Some(c) => {
                let shown = match (&c.kind, v) {
                    (
                        anwei_core::form::FieldKind::UnitRef | anwei_core::form::FieldKind::TownRef,
                        anwei_core::Value::Text(t),
                    ) => units.name_of(t).to_owned(),
                    _ => c.display_value(v),
                };
                format!("{}：{shown}", c.display_label())
            }
            None => format!("{child}：{}", group.display_value(v)),
        };
        rows.entry(index).or_default().push(text);
    }
    rows.values()
        .enumerate()
        .map(|(i, parts)| format!("{}. {}", i + 1, parts.join("；")))
        .collect::<Vec<_>>()
        .join("\n")
}
