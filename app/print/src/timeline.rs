//! 时间轴 as landscape pages: the campaign's months along the top, each plan's phases as
//! bands with their own names, and every task of the selection as a line to its deadline
//! (the one in force on the day, the written one kept as a grey tick when the office moved
//! it), its interim milestones (◆), the day it was reported done (✔), and a red line for the
//! day the document is made as of. The axis and the phases repeat on every page; one plan's
//! phases are also listed with their dates, a band being too narrow for a short phase's name.

use chrono::{Datelike, NaiveDate};

use crate::documents::{PrintData, finish, hei};
use crate::error::PrintError;
use crate::fonts::{FontRole, Fonts};
use crate::layout::{Composer, PageSetup, TextStyle};
use crate::model::{Boxed, Document, Item, Rgb, Rule};

/// Width of the label column, mm.
const LABEL_W: f32 = 62.0;
/// Height of a task's row, mm.
const ROW: f32 = 5.2;
const SMALL: f32 = 8.0;
const GREY: Rgb = Rgb(150, 150, 150);

/// The status colours the window and the documents share ([`anwei_core::Status::rgb`]).
fn rgb(c: [u8; 3]) -> Rgb {
    Rgb(c[0], c[1], c[2])
}

/// The 时间轴 of one plan (`plan = Some(id)`) or of the whole campaign, as of `data.today`.
/// `done_on` gives the day a task was reported done, when it was.
pub fn timeline_chart(
    data: &PrintData<'_>,
    fonts: &Fonts,
    plan: Option<&str>,
    done_on: &dyn Fn(&str) -> Option<NaiveDate>,
) -> Result<Document, PrintError> {
    let plans: Vec<_> = data
        .plans
        .iter()
        .filter(|p| plan.is_none_or(|id| p.id == id))
        .collect();
    if let Some(id) = plan
        && plans.is_empty()
    {
        return Err(PrintError::UnknownPlan(id.to_owned()));
    }
    let rows: Vec<_> = data
        .rows
        .iter()
        .filter(|r| plans.iter().any(|p| p.id == r.plan))
        .collect();
    if rows.is_empty() {
        return Err(PrintError::NoTasks(
            plan.map_or_else(|| data.campaign.name.clone(), str::to_owned),
        ));
    }
    let c = data.campaign;
    let setup = PageSetup::LANDSCAPE;
    let start = NaiveDate::from_ymd_opt(c.start.year(), c.start.month(), 1).unwrap_or(c.start);
    let mut end = c.end;
    for r in &rows {
        end = end.max(r.due);
    }
    let days = (end - start).num_days().max(1) as f32 + 1.0;
    let left = setup.left + LABEL_W;
    let scale = (setup.type_width - LABEL_W) / days;
    let x = |d: NaiveDate| left + ((d - start).num_days() as f32).clamp(0.0, days) * scale;
    let small = TextStyle::new(FontRole::Body, SMALL, ROW);
    let bold = TextStyle::new(FontRole::Hei, SMALL, ROW);
    let title = format!("{}时间轴", c.name);

    let mut composer = Composer::new(fonts, setup);
    let mut row_iter = rows.iter().peekable();
    let mut first = true;
    while row_iter.peek().is_some() {
        if !first {
            composer.new_page();
        }
        first = false;
        let top = composer.y();
        composer.text_at(setup.left, top + 6.0, &hei(14.0), &title);
        composer.text_at(
            setup.left,
            top + 11.0,
            &small,
            &format!(
                "截至 {}（红线）　◆ 阶段节点　▌ 完成时间　灰色 ▌ 调整前的完成时间　✔ 报告完成之日　线的颜色为任务状态",
                data.today
            ),
        );
        // The months along the top.
        let axis_top = top + 14.0;
        let mut m = start;
        while m <= end {
            let mx = x(m);
            composer.item(Item::Line(Rule {
                x1: mx,
                y1: axis_top,
                x2: mx,
                y2: axis_top + 8.0,
                width_pt: 0.3,
                color: GREY,
            }));
            if m.month() == 1 || m == start {
                composer.text_at(mx + 0.5, axis_top + 3.0, &bold, &format!("{}年", m.year()));
            }
            if scale * 30.0 >= 5.0 {
                composer.text_at(mx + 0.5, axis_top + 7.0, &small, &format!("{}", m.month()));
            }
            let (ny, nm) = if m.month() == 12 {
                (m.year() + 1, 1)
            } else {
                (m.year(), m.month() + 1)
            };
            match NaiveDate::from_ymd_opt(ny, nm, 1) {
                Some(n) => m = n,
                None => break,
            }
        }
        let mut y = axis_top + 9.0;
        // The campaign's own checkpoints (年度节点), each named after its mark.
        if !c.milestones.is_empty() {
            composer.text_at(setup.left, y + ROW - 1.4, &bold, "活动节点");
            let mut marks: Vec<_> = c.milestones.iter().collect();
            marks.sort_by_key(|m| m.date);
            let mut clipped = false;
            for (i, m) in marks.iter().enumerate() {
                let mx = x(m.date);
                let next = marks
                    .get(i + 1)
                    .map_or(setup.left + setup.type_width, |n| x(n.date));
                composer.text_at(
                    mx - 1.2,
                    y + ROW - 1.4,
                    &TextStyle {
                        color: Rgb::RED,
                        ..small
                    },
                    "◆",
                );
                let name = format!("{}（{}）", m.name, m.date);
                let shown = clip(&composer, &small, &name, next - mx - 3.0);
                clipped |= shown != name;
                composer.text_at(mx + 1.6, y + ROW - 1.4, &small, &shown);
            }
            y += ROW;
            // A name cut short (no room before the next mark or the page's edge): all of
            // them in full on a line of their own.
            if clipped {
                let names: Vec<String> = marks
                    .iter()
                    .map(|m| format!("{}（{}）", m.name, m.date))
                    .collect();
                composer.text_at(
                    setup.left,
                    y + ROW - 1.4,
                    &small,
                    &format!("活动节点：{}", names.join("　")),
                );
                y += ROW;
            }
        }
        // Each plan's phases, by their own names (a band too narrow for its name is named
        // on a line below it when one plan is printed).
        for p in &plans {
            let mut clipped = false;
            composer.text_at(
                setup.left,
                y + ROW - 1.4,
                &bold,
                &clip(
                    &composer,
                    &bold,
                    &format!("{} {}", p.code, p.title),
                    LABEL_W - 2.0,
                ),
            );
            for (i, ph) in p.effective_phases(c).iter().enumerate() {
                let (x1, x2) = (x(ph.start), x(ph.end) + scale);
                composer.item(Item::Rect(Boxed {
                    x: x1,
                    y: y + 0.6,
                    w: (x2 - x1).max(0.2),
                    h: ROW - 1.2,
                    stroke_pt: None,
                    fill: Some(if i % 2 == 0 {
                        Rgb(214, 228, 244)
                    } else {
                        Rgb(216, 238, 226)
                    }),
                    color: Rgb::BLACK,
                }));
                let name = clip(&composer, &small, &ph.name, x2 - x1 - 1.0);
                clipped |= name != ph.name;
                if !name.is_empty() {
                    composer.text_at(x1 + 0.5, y + ROW - 1.4, &small, &name);
                }
            }
            y += ROW;
            if clipped && plan.is_some() {
                let names: Vec<String> = p
                    .effective_phases(c)
                    .iter()
                    .map(|ph| format!("{}（{} 至 {}）", ph.name, ph.start, ph.end))
                    .collect();
                composer.text_at(
                    setup.left,
                    y + ROW - 1.4,
                    &small,
                    &format!("本方案阶段：{}", names.join("　")),
                );
                y += ROW;
            }
        }
        let bottom = setup.top + setup.type_height - 2.0;
        let rows_top = y;
        // As many tasks as fit.
        while let Some(r) = row_iter.peek() {
            if y + ROW > bottom {
                break;
            }
            let r = *r;
            row_iter.next();
            let label = format!("{} {}", r.label, r.title);
            composer.text_at(
                setup.left,
                y + ROW - 1.4,
                &small,
                &clip(&composer, &small, &label, LABEL_W - 2.0),
            );
            let color = rgb(r.status.rgb());
            let mid = y + ROW / 2.0;
            let line_end = x(r.adjusted.as_ref().map_or(r.due, |a| a.due).max(r.due));
            composer.item(Item::Line(Rule {
                x1: x(c.start),
                y1: mid,
                x2: line_end,
                y2: mid,
                width_pt: 1.0,
                color,
            }));
            if let Some(written) = r.deadline.as_ref().map(|d| d.date)
                && r.adjusted.is_some()
            {
                tick(&mut composer, x(written), y, GREY);
            }
            if r.deadline.is_some() || r.adjusted.is_some() {
                tick(&mut composer, line_end, y, color);
            }
            if let Some(task) = data.tasks.iter().find(|t| t.id == r.id) {
                for m in task.interim_milestones().iter().filter_map(|m| m.due) {
                    composer.text_at(
                        x(m) - 1.2,
                        y + ROW - 1.4,
                        &TextStyle { color, ..small },
                        "◆",
                    );
                }
            }
            if let Some(d) = done_on(&r.id) {
                let green = rgb(anwei_core::Status::Done.rgb());
                composer.text_at(
                    x(d) - 1.2,
                    y + ROW - 1.4,
                    &TextStyle {
                        color: green,
                        ..small
                    },
                    "✔",
                );
            }
            y += ROW;
        }
        // The day shown, across the page's rows.
        let tx = x(data.today);
        composer.item(Item::Line(Rule {
            x1: tx,
            y1: axis_top,
            x2: tx,
            y2: y.max(rows_top),
            width_pt: 0.8,
            color: Rgb::RED,
        }));
    }
    Ok(finish(composer, fonts, title))
}

/// A tick across a row at `x`.
fn tick(c: &mut Composer<'_>, x: f32, y: f32, color: Rgb) {
    c.item(Item::Line(Rule {
        x1: x,
        y1: y + 0.8,
        x2: x,
        y2: y + ROW - 0.8,
        width_pt: 1.6,
        color,
    }));
}

/// `text` cut to `width` mm, with "…" when cut.
fn clip(c: &Composer<'_>, style: &TextStyle, text: &str, width: f32) -> String {
    if width <= 0.0 {
        return String::new();
    }
    if c.width(style, text) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    for ch in text.chars() {
        let next = format!("{out}{ch}…");
        if c.width(style, &next) > width {
            break;
        }
        out.push(ch);
    }
    if out.is_empty() {
        String::new()
    } else {
        format!("{out}…")
    }
}
