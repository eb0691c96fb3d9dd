//! The printed documents: 任务分工方案, 督办通知书, progress report.

use std::collections::HashMap;

use anwei_core::notice::{check_notice, recipient_role};
use anwei_core::role_words::{RoleWord, role_columns};
use anwei_core::{
    Campaign, Evaluation, LatestProgress, Plan, Role, Status, StatusSummary, Target, TargetStatus,
    Task, TaskRow, UnitDirectory,
};
use chrono::{Datelike, NaiveDate};

use crate::error::PrintError;
use crate::fonts::{FontRole, Fonts};
use crate::layout::{
    Align, BODY_PITCH, Column, Composer, PageSetup, Row, SIZE_2HAO, SIZE_3HAO, SIZE_4HAO,
    SIZE_XIAO4, Table, TextStyle, number_pages,
};
use crate::model::{Document, MM_PER_PT, Rgb};

/// Everything the documents print from. `rows` are the task rows of the same tasks (status,
/// due date, progress), as `RowContext::rows` makes them.
#[derive(Clone, Copy)]
pub struct PrintData<'a> {
    pub campaign: &'a Campaign,
    pub plans: &'a [Plan],
    pub tasks: &'a [Task],
    pub units: &'a UnitDirectory,
    pub rows: &'a [TaskRow],
    /// The latest progress per task id as known on `today` ([`LatestProgress::of`]).
    pub latest: &'a HashMap<String, LatestProgress>,
    /// The sector plans' targets evaluated on `today`.
    pub targets: &'a [TargetLine],
    pub today: NaiveDate,
}

impl<'a> PrintData<'a> {
    fn plan(&self, id: &str) -> Result<&'a Plan, PrintError> {
        self.plans
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| PrintError::UnknownPlan(id.to_owned()))
    }

    /// The plans selected (one, or all in order).
    fn selected(&self, plan: Option<&str>) -> Result<Vec<&'a Plan>, PrintError> {
        match plan {
            Some(id) => Ok(vec![self.plan(id)?]),
            None => {
                let mut all: Vec<&Plan> = self.plans.iter().collect();
                all.sort_by_key(|p| p.order);
                Ok(all)
            }
        }
    }

    fn tasks_of(&self, plan: &str) -> Vec<&'a Task> {
        let mut tasks: Vec<&Task> = self.tasks.iter().filter(|t| t.plan == plan).collect();
        tasks.sort_by_key(|t| t.order);
        tasks
    }

    fn row_of(&self, task: &str) -> Option<&'a TaskRow> {
        self.rows.iter().find(|r| r.id == task)
    }

    /// Unit names of a role, with a trailing note such as "等按职责分工负责" kept as written.
    fn units_text(&self, task: &Task, roles: &[Role]) -> String {
        let mut parts: Vec<String> = Vec::new();
        for r in task.roles.iter().filter(|r| roles.contains(&r.role)) {
            let mut name = self.units.name_of(&r.unit).to_owned();
            if let Some(note) = r.note.as_deref().filter(|n| n.starts_with('等')) {
                name.push_str(note);
            }
            if !parts.contains(&name) {
                parts.push(name);
            }
        }
        parts.join("、")
    }
}

/// The 主要任务 cell: the task text as written; a 专题 task whose text does not begin with
/// its title prints "title。text" so the heading is not lost.
pub fn task_cell_text(task: &Task) -> String {
    let title = task.title.trim();
    let text = task.text.trim();
    if text.is_empty() {
        return title.to_owned();
    }
    if title.is_empty() || text.starts_with(title) {
        return text.to_owned();
    }
    let ends_with_stop = title.ends_with(['。', '；', '：', '！', '？', '.', ':']);
    if ends_with_stop {
        format!("{title}{text}")
    } else {
        format!("{title}。{text}")
    }
}

/// `text` with the half-width punctuation of Chinese text made full-width, for print.
pub(crate) fn wide(text: &str) -> String {
    crate::text::full_width_punctuation(text).into_owned()
}

pub(crate) const ONE_LINE: f32 = BODY_PITCH;
/// GB/T 9704-2012 7.2.4: the 发文机关标志's top edge below the top of the type area, mm.
pub const MARK_TOP: f32 = 35.0;
/// 7.2.7: the red rule below the 发文字号, mm.
pub const RULE_BELOW_NUMBER: f32 = 4.0;
/// Blank lines between the text and the 署名, for the seal (7.3.5.1).
const SEAL_LINES: f32 = 2.0;

pub(crate) fn hei(size: f32) -> TextStyle {
    TextStyle::new(FontRole::Hei, size, BODY_PITCH)
}
pub(crate) fn title_style() -> TextStyle {
    TextStyle::new(FontRole::Title, SIZE_2HAO, BODY_PITCH)
}
pub(crate) fn body() -> TextStyle {
    TextStyle::new(FontRole::Body, SIZE_3HAO, BODY_PITCH)
}

/// A table column.
pub(crate) fn col(header: &str, width: f32, align: Align) -> Column {
    Column {
        header: header.to_owned(),
        width,
        align,
    }
}

/// A table of the documents' kind: 小四 cells in 仿宋 under a 黑体 header, the 序号 in the
/// first column; fields changed by struct update where a document differs.
pub(crate) fn table(columns: Vec<Column>, rows: Vec<Row>) -> Table {
    // 1.5 lines of 小四.
    let pitch = SIZE_XIAO4 * MM_PER_PT * 1.5;
    Table {
        columns,
        rows,
        header_style: TextStyle::new(FontRole::Hei, SIZE_XIAO4, pitch),
        body_style: TextStyle::new(FontRole::Body, SIZE_XIAO4, pitch),
        span_style: TextStyle::new(FontRole::Hei, SIZE_XIAO4, pitch),
        pad_x: 1.5,
        pad_y: 1.0,
        keep_together: false,
        number_column: Some(0),
        followed_by: 0.0,
    }
}

/// A plan as a table heading names it: "附件1　title" (the title alone without a code).
fn plan_heading(p: &Plan) -> String {
    if p.code.is_empty() {
        p.title.clone()
    } else {
        format!("{}　{}", p.code, p.title)
    }
}

/// Rows grouped by plan: each plan's rows (`rows_of`), under a spanning row with the plan's
/// title (`key`: "{key}:{plan id}") when the document covers several plans; plans without
/// rows are left out.
fn rows_by_plan(
    plans: &[&Plan],
    several: bool,
    key: &str,
    mut rows_of: impl FnMut(&Plan) -> Vec<Row>,
) -> Vec<Row> {
    let mut out = Vec::new();
    for p in plans {
        let rows = rows_of(p);
        if rows.is_empty() {
            continue;
        }
        if several {
            out.push(Row::Span {
                key: format!("{key}:{}", p.id),
                text: wide(&p.title),
            });
        }
        out.extend(rows);
    }
    out
}

/// A table in a report's text: a quarter line above, half a line below.
pub(crate) fn report_table(c: &mut Composer<'_>, table: &Table) {
    c.skip(ONE_LINE / 4.0);
    c.table(table);
    c.skip(ONE_LINE / 2.0);
}

/// "附件N" on line 1 (黑体 3号, flush left), the title from line 3 (小标宋 2号, centred,
/// wrapped), then half a line before the table.
pub(crate) fn attachment_head(c: &mut Composer<'_>, label: Option<&str>, title: &str) {
    match label {
        Some(l) if !l.is_empty() => c.line(&hei(SIZE_3HAO), l, Align::Left),
        _ => c.skip(ONE_LINE),
    }
    c.skip(ONE_LINE);
    let t = title_style();
    let width = c.setup().type_width - 4.0 * t.size_mm();
    for line in c.wrap_balanced(&t, title, width) {
        c.line(&t, &line, Align::Center);
    }
    c.skip(ONE_LINE / 2.0);
}

/// What a unit cell says for a task whose source names no unit.
const NOT_IN_SOURCE: &str = "原文未列";

/// The 牵头单位 cell of a report row: the lead units, or "原文未列" for a task whose source
/// names no unit at all (a blank would read as a gap to fill).
fn lead_cell(r: &TaskRow) -> String {
    if r.unit_ids.is_empty() {
        NOT_IN_SOURCE.to_owned()
    } else {
        wide(&r.lead_units.join("、"))
    }
}

/// 任务分工方案 of one plan (`plan = Some(id)`) or of the whole campaign: a landscape
/// attachment with columns 序号 / 主要任务 / the unit columns / 完成时间. A plan's unit columns
/// are the roles its source labels, in its words and order (附件6: 责任单位 / 区级牵头部门 /
/// 区级责任部门), else 牵头单位 / 责任单位; a role no printed task holds has no column, and a
/// plan whose tasks name no unit at all (one agency's own plan, 附件7) prints none, with a
/// line saying so. A task without units in a table with unit columns says "原文未列".
/// `attachment_label` defaults to the plan's code ("附件1"); pass `Some("")` for none. A
/// campaign-wide table has a spanning row per plan, and each section of a plan ("(一)…",
/// 附件10's "五、整治工作保障措施") a spanning row, as the source heads its tasks.
pub fn task_division_table(
    data: &PrintData<'_>,
    fonts: &Fonts,
    plan: Option<&str>,
    attachment_label: Option<&str>,
) -> Result<Document, PrintError> {
    let plans = data.selected(plan)?;
    let single = plan.is_some();
    let mut entries: Vec<(&Plan, Vec<&Task>)> = Vec::new();
    for p in &plans {
        entries.push((p, data.tasks_of(&p.id)));
    }
    if entries.iter().all(|(_, t)| t.is_empty()) {
        return Err(PrintError::NoTasks(
            plan.map_or_else(|| data.campaign.name.clone(), str::to_owned),
        ));
    }
    // The unit columns in the source's words: a plan's own words for its roles, the usual
    // 牵头单位 / 责任单位 for a whole campaign; none for one agency's own plan.
    let mut present: Vec<Role> = entries
        .iter()
        .flat_map(|(_, ts)| ts.iter())
        .flat_map(|t| t.roles.iter().map(|r| r.role))
        .collect();
    present.sort();
    present.dedup();
    let words: &[RoleWord] = if single {
        &entries[0].0.annotations.role_words
    } else {
        &[]
    };
    let unit_columns = role_columns(words, &present);
    let with_units = !unit_columns.is_empty();
    // 序号 16 and 完成时间 26 of the landscape type width 225 mm; the unit columns share what
    // 主要任务 leaves them.
    let unit_width = match unit_columns.len() {
        0 => 0.0,
        1 => 48.0,
        2 => 36.0,
        n => 90.0 / n as f32,
    };
    let task_width = 183.0 - unit_width * unit_columns.len() as f32;
    let mut columns = vec![
        col("序号", 16.0, Align::Center),
        col("主要任务", task_width, Align::Left),
    ];
    for c in &unit_columns {
        columns.push(col(&c.header, unit_width, Align::Center));
    }
    columns.push(col("完成时间", 26.0, Align::Center));

    let mut rows = Vec::new();
    for (p, tasks) in &entries {
        if !single {
            rows.push(Row::Span {
                key: format!("plan:{}", p.id),
                text: wide(&plan_heading(p)),
            });
        }
        let mut section = "";
        for t in tasks {
            if !t.section.is_empty() && t.section != section {
                section = &t.section;
                rows.push(Row::Span {
                    key: format!("section:{}:{}", p.id, t.section),
                    text: wide(&t.section),
                });
            }
            // Printed with full-width punctuation; the data keeps what was written.
            // The 序号 as written: its column is narrow.
            let mut cells = vec![t.label.clone(), wide(&task_cell_text(t))];
            for c in &unit_columns {
                cells.push(if t.roles.is_empty() {
                    NOT_IN_SOURCE.to_owned()
                } else {
                    wide(&data.units_text(t, &c.roles))
                });
            }
            cells.push(wide(&t.deadline_text()));
            rows.push(Row::Cells {
                key: format!("row:{}", t.id),
                cells,
            });
        }
    }
    let table = Table {
        pad_y: 1.2,
        ..table(columns, rows)
    };

    let (title, label) = if single {
        let p = entries[0].0;
        (
            p.title.clone(),
            attachment_label.map_or_else(|| p.code.clone(), str::to_owned),
        )
    } else {
        (
            format!("{}任务分工方案", data.campaign.name),
            attachment_label.unwrap_or("").to_owned(),
        )
    };
    let mut c = Composer::new(fonts, PageSetup::LANDSCAPE);
    attachment_head(&mut c, Some(&label), &title);
    if !with_units {
        c.paragraph(
            &body(),
            "（本方案各项任务原文未列牵头单位、责任单位。）",
            0.0,
            Align::Center,
        );
    }
    c.table(&table);
    Ok(finish(c, fonts, title))
}

pub(crate) fn finish(c: Composer<'_>, fonts: &Fonts, title: String) -> Document {
    let (mut pages, marks) = c.finish();
    number_pages(&mut pages, fonts, 1);
    Document {
        title,
        pages,
        faces: fonts.infos(),
        marks,
    }
}

impl Document {
    /// Appends `other` (an attachment) after this document's pages; its pages continue this
    /// document's page numbers.
    pub fn append(&mut self, other: Document, fonts: &Fonts) {
        let offset = self.pages.len();
        let first = self.pages.first().and_then(|p| p.number).unwrap_or(1);
        self.pages.extend(other.pages);
        self.marks.extend(other.marks.into_iter().map(|mut m| {
            m.page += offset;
            m
        }));
        number_pages(&mut self.pages, fonts, first);
    }
}

/// A 督办通知书's particulars.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeSpec {
    pub task_id: String,
    /// (year, number): printed "{prefix}〔year〕number号"; the caller numbers per year.
    /// `None`: a draft, printed without a number and marked 草稿.
    pub doc_number: Option<(i32, u32)>,
    /// 机关代字, e.g. "麒安委办督".
    pub doc_prefix: String,
    /// e.g. "曲靖市麒麟区安全生产委员会办公室".
    pub issuing_office: String,
    /// 主送单位; `None` → the task's first lead unit.
    pub recipient_unit: Option<String>,
    pub new_deadline: NaiveDate,
    /// What the unit must do, e.g. "立即研究部署，制定整改措施，明确责任人和完成时限".
    pub required_action: String,
    /// e.g. "张三，电话：0874-3123456".
    pub contact: String,
    /// 成文日期.
    pub date: NaiveDate,
    /// 抄送机关 (printed in the 版记; none: no 抄送 line).
    pub copy_to: Vec<String>,
    /// 二〇二六年十一月二十二日 when true, 2026年11月22日 when false.
    pub chinese_date: bool,
}

/// A date as 公文 print it: "二〇二六年十一月二十二日" or "2026年11月22日".
pub fn format_date(date: NaiveDate, chinese: bool) -> String {
    if !chinese {
        return format!("{}年{}月{}日", date.year(), date.month(), date.day());
    }
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let year: String = date
        .year()
        .to_string()
        .chars()
        .filter_map(|c| c.to_digit(10).map(|d| DIGITS[d as usize]))
        .collect();
    let small = |n: u32| -> String {
        match n {
            0..=9 => DIGITS[n as usize].to_string(),
            10 => "十".to_owned(),
            11..=19 => format!("十{}", DIGITS[(n % 10) as usize]),
            _ if n.is_multiple_of(10) => format!("{}十", DIGITS[(n / 10) as usize]),
            _ => format!(
                "{}十{}",
                DIGITS[(n / 10) as usize],
                DIGITS[(n % 10) as usize]
            ),
        }
    };
    format!("{year}年{}月{}日", small(date.month()), small(date.day()))
}

/// 督办通知书 for an overdue or lagging task: portrait 公文 with 发文机关标志 (red), 文号,
/// red rule, title, 主送单位, the matter and its original deadline, the required action and
/// new deadline, contact, 附件说明, signature and date; then the task's details as the
/// attachment table on a new page, continuing the page numbers.
pub fn supervision_notice(
    data: &PrintData<'_>,
    fonts: &Fonts,
    spec: &NoticeSpec,
) -> Result<Document, PrintError> {
    let task = data
        .tasks
        .iter()
        .find(|t| t.id == spec.task_id)
        .ok_or_else(|| PrintError::UnknownTask(spec.task_id.clone()))?;
    let plan = data.plan(&task.plan)?;
    let row = data.row_of(&task.id);
    let recipient = match &spec.recipient_unit {
        Some(u) if !u.trim().is_empty() => u.trim().to_owned(),
        _ => task
            .units_in(Role::Lead)
            .next()
            .or_else(|| task.roles.first().map(|r| r.unit.as_str()))
            .map(|id| data.units.name_of(id).to_owned())
            .ok_or_else(|| PrintError::NoRecipient(task.label.clone()))?,
    };
    let row = row.ok_or_else(|| PrintError::UnknownTask(spec.task_id.clone()))?;
    check_notice(
        &task.id,
        row.status,
        spec.date,
        spec.doc_number.map(|(year, _)| year),
        spec.new_deadline,
    )?;
    let due = row.due;
    let deadline_text = {
        let t = task.deadline_text();
        if t.is_empty() {
            format!("{}（方案期末）", format_date(due, false))
        } else {
            t
        }
    };
    let situation = situation(spec.date, due, row);
    // Whose task it is, said as the recipient's role in it.
    let whose = match recipient_role(task, data.units, &recipient) {
        Some(Role::Lead) => "你单位牵头负责的".to_owned(),
        Some(Role::Responsible) => "你单位负责的".to_owned(),
        Some(Role::Cooperating) => "你单位参与配合的".to_owned(),
        None => {
            let leads = data.units_text(task, &[Role::Lead]);
            if leads.is_empty() {
                String::new()
            } else {
                format!("由{leads}牵头负责的")
            }
        }
    };
    let plan_name = if !plan.code.chars().any(|c| c.is_ascii_digit()) {
        format!("《{}》", plan.title)
    } else {
        format!("{}《{}》", plan.code, plan.title)
    };
    // The task's name when it is a short heading; a long first sentence is left to the
    // attachment.
    let task_name = if task.title.trim().is_empty() || task.title.chars().count() > 20 {
        String::new()
    } else {
        format!("“{}”", task.title.trim().trim_end_matches('。'))
    };
    let number = match spec.doc_number {
        Some((year, n)) => format!("{}〔{year}〕{n}号", spec.doc_prefix),
        None => format!("{}〔    〕  号", spec.doc_prefix),
    };

    let draft = spec.doc_number.is_none();
    let action = spec.required_action.trim().trim_end_matches('。');
    // The notice itself, its body set at line pitch `pitch` (mm).
    let notice = |pitch: f32| {
        let mut c = Composer::new(fonts, PageSetup::PORTRAIT);
        let text = TextStyle::new(FontRole::Body, SIZE_3HAO, pitch);
        if draft {
            draft_mark(&mut c);
        }
        letterhead(&mut c, &spec.issuing_office, &number);
        // 7.3.1: the title two lines below the rule; 7.3.2: 主送 one line below the title.
        c.skip(2.0 * ONE_LINE);
        c.line(&title_style(), "督办通知书", Align::Center);
        c.skip(ONE_LINE);
        c.paragraph(&text, &format!("{recipient}："), 0.0, Align::Left);
        c.paragraph(
            &text,
            &format!(
                "{whose}{plan_name}第{}项任务{task_name}，原定完成时限为{deadline_text}。{situation}",
                task.label
            ),
            2.0,
            Align::Left,
        );
        let requirement = format!(
            "根据工作督办有关规定，现予督办。请你单位{action}，于{}前完成，并将办理情况书面报送{}。",
            format_date(spec.new_deadline, spec.chinese_date),
            spec.issuing_office
        );
        let contact = spec.contact.trim();
        let contact = (!contact.is_empty()).then(|| format!("联系人：{contact}"));
        // The 署名 never stands alone on a page: the last lines of the text, the 附件 line
        // and the 署名 with its date (and room for the seal) go to a page together.
        let last = contact.as_deref().unwrap_or(&requirement);
        if contact.is_some() {
            c.paragraph(&text, &requirement, 2.0, Align::Left);
        }
        // Its last two lines, then a blank line, the 附件 line, the seal's room, 署名, date.
        c.paragraph_kept(&text, last, 2.0, 2, (2.0 + SEAL_LINES + 2.0) * pitch);
        c.skip(pitch);
        c.paragraph(&text, "附件：督办任务详情", 2.0, Align::Left);
        // 7.3.5.1: room for the seal, which presses on the 署名 and the date with its top
        // within one line of the text above.
        signature(
            &mut c,
            &text,
            &spec.issuing_office,
            &format_date(spec.date, spec.chinese_date),
        );
        c
    };
    // GB/T 9704-2012 7.3.5.1: when the 署名 and the date (with room for the seal) do not fit
    // under the text, the line spacing is tightened — down to four fifths — rather than
    // leave them alone on a page.
    let mut c = notice(BODY_PITCH);
    if c.page_count() > 1 {
        for tighter in [0.95, 0.9, 0.85, 0.8] {
            let tight = notice(BODY_PITCH * tighter);
            if tight.page_count() == 1 {
                c = tight;
                break;
            }
        }
    }

    // 附件: the task's details.
    c.new_page_with(PageSetup::PORTRAIT);
    if draft {
        draft_mark(&mut c);
    }
    attachment_head(&mut c, Some("附件"), "督办任务详情");
    let status_text = {
        let mut t = row.status.label_zh().to_owned();
        if row.progress_entries > 0 {
            t.push_str(&format!("（已报送进展{}次", row.progress_entries));
            if let Some(p) = row.percent {
                t.push_str(&format!("，完成{p}%"));
            }
            t.push('）');
        }
        t
    };
    let pairs: Vec<(&str, String)> = vec![
        (
            "督办文号",
            if spec.doc_number.is_some() {
                number.clone()
            } else {
                "（签发时编号）".to_owned()
            },
        ),
        ("所属方案", plan_name.clone()),
        ("任务序号", task.label.clone()),
        ("主要任务", task_cell_text(task)),
        ("牵头单位", data.units_text(task, &[Role::Lead])),
        ("责任单位", data.units_text(task, &[Role::Responsible])),
        ("配合单位", data.units_text(task, &[Role::Cooperating])),
        ("原定完成时限", deadline_text.clone()),
        ("当前状态", status_text),
        (
            "督办要求",
            format!(
                "{action}，于{}前完成",
                format_date(spec.new_deadline, spec.chinese_date)
            ),
        ),
    ];
    let rows = pairs
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| Row::Cells {
            key: format!("detail:{k}"),
            cells: vec![k.to_owned(), v],
        })
        .collect();
    let table = Table {
        pad_x: 2.0,
        pad_y: 1.5,
        keep_together: true,
        number_column: None,
        ..table(
            vec![
                col("项目", 34.0, Align::Center),
                col("内容", 122.0, Align::Left),
            ],
            rows,
        )
    };
    c.table(&table);
    colophon(&mut c, &spec.copy_to, &spec.issuing_office, spec.date);
    let title = match spec.doc_number {
        Some(_) => format!("督办通知书 {number}"),
        None => "督办通知书（草稿）".to_owned(),
    };
    Ok(finish(c, fonts, title))
}

/// GB/T 9704-2012 7.2: the 版头 — the 发文机关标志 `office` in red 小标宋 (its top edge
/// 35 mm below the top of the type area), the 发文字号 `number` two lines below it, the red
/// rule 4 mm below that.
pub(crate) fn letterhead(c: &mut Composer<'_>, office: &str, number: &str) {
    let mut mark = TextStyle::new(FontRole::Title, 26.0, BODY_PITCH * 1.5);
    mark.color = Rgb::RED;
    let office_lines = c.wrap_balanced(&mark, office, c.setup().type_width);
    // GB/T 9704-2012 7.2.4: the 标志's top edge 35 mm below the top of the type area
    // (a line's em box is centred in its pitch).
    c.skip(MARK_TOP - (mark.pitch - mark.size_mm()) / 2.0);
    for l in &office_lines {
        c.line(&mark, l, Align::Center);
    }
    // 7.2.5: 发文字号 two lines below the 标志; 7.2.7: the red rule 4 mm below it.
    c.skip(2.0 * ONE_LINE);
    c.line(&body(), number, Align::Center);
    c.skip(RULE_BELOW_NUMBER - (body().pitch - body().size_mm()) / 2.0);
    c.rule(1.0, Rgb::RED);
}

/// GB/T 9704-2012 7.4: the 版记 at the foot of the last page — 抄送 (when any) and the
/// 印发机关 with the 印发日期 in 4号 仿宋, between rules the width of the type area (the
/// first and the last 0.35 mm, one between 0.25 mm), the last on the type area's bottom edge.
pub(crate) fn colophon(c: &mut Composer<'_>, copy_to: &[String], office: &str, date: NaiveDate) {
    const THICK_PT: f32 = 0.35 / MM_PER_PT;
    const THIN_PT: f32 = 0.25 / MM_PER_PT;
    let style = TextStyle::new(FontRole::Body, SIZE_4HAO, COLOPHON_PITCH);
    let one = style.size_mm();
    let copies: Vec<&str> = copy_to
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    // 抄送 左右各空一字, ending with 。
    let copy_lines = if copies.is_empty() {
        Vec::new()
    } else {
        let text = format!("抄送：{}。", copies.join("，"));
        c.wrap(&style, &text, c.setup().type_width - 2.0 * one)
    };
    let rows = copy_lines.len() + 1;
    c.to_foot(rows as f32 * style.pitch);
    c.rule(THICK_PT, Rgb::BLACK);
    if !copy_lines.is_empty() {
        for l in &copy_lines {
            c.line_inset(&style, l, Align::Left, one, one);
        }
        c.rule(THIN_PT, Rgb::BLACK);
    }
    // 印发机关 左空一字, 印发日期 右空一字.
    let setup = c.setup();
    let baseline = style.baseline(c.y());
    let printed = format!("{}印发", format_date(date, false));
    let w = c.width(&style, &printed);
    c.text_at(setup.left + one, baseline, &style, office);
    c.text_at(setup.right() - one - w, baseline, &style, &printed);
    c.skip(style.pitch);
    c.rule(THICK_PT, Rgb::BLACK);
}

/// Line pitch of the 版记, mm.
const COLOPHON_PITCH: f32 = 8.0;

/// The mark of a draft notice, in the top margin of the page: it has no number and is not
/// a document until it is issued.
pub const DRAFT_MARK: &str = "草稿（未签发，不作正式文件）";

pub(crate) fn draft_mark(c: &mut Composer<'_>) {
    let mut style = hei(SIZE_XIAO4);
    style.color = Rgb::RED;
    let setup = c.setup();
    let x = setup.right() - c.width(&style, DRAFT_MARK);
    c.text_at(x, setup.top - 12.0, &style, DRAFT_MARK);
}

/// What a notice says of the task's state on `date`, from the facts alone: how late or how
/// near its deadline (`due`), and what progress was reported.
fn situation(date: NaiveDate, due: NaiveDate, row: &TaskRow) -> String {
    let on = format_date(date, false);
    let reported = match (row.progress_entries, row.percent) {
        (0, _) => "，未报送任何进展".to_owned(),
        (n, Some(p)) => format!("，已报送进展{n}次、完成{p}%"),
        (n, None) => format!("，已报送进展{n}次"),
    };
    let late = (date - due).num_days();
    let due_soon = row.status == Status::DueSoon;
    if late > 0 {
        format!("截至{on}，该项任务尚未完成{reported}，已逾期{late}天。")
    } else if late == 0 {
        format!("截至{on}，该项任务尚未完成{reported}，当日即到完成时限。")
    } else if due_soon {
        format!(
            "截至{on}，该项任务尚未完成{reported}，距完成时限仅剩{}天，存在逾期风险。",
            -late
        )
    } else {
        format!(
            "截至{on}，该项任务尚未完成{reported}，距完成时限还有{}天。",
            -late
        )
    }
}

fn count_by_status<'r>(rows: impl Iterator<Item = &'r TaskRow>) -> HashMap<Status, usize> {
    let mut m = HashMap::new();
    for r in rows {
        *m.entry(r.status).or_insert(0) += 1;
    }
    m
}

const CN_NUM: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

pub(crate) fn cn_ordinal(i: usize) -> String {
    match i {
        0..=9 => CN_NUM[i].to_owned(),
        _ => (i + 1).to_string(),
    }
}

/// A 进展报告's particulars.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSpec {
    /// One plan, or `None` for the whole campaign.
    pub plan: Option<String>,
    /// 主送机关, e.g. "麒麟区安全生产委员会" ([`anwei_core::Settings::report_recipient`]).
    pub recipient: String,
    /// The 署名, e.g. "麒麟区安全生产委员会办公室".
    pub issuing_office: String,
    /// 二〇二六年十一月二十二日 when true, 2026年11月22日 when false.
    pub chinese_date: bool,
    /// Why target values could not be computed (plugins not started, a form's values
    /// missing): said in the report next to the targets instead of leaving them out silently.
    pub target_problems: Vec<String>,
}

/// A target as a progress report prints it: its definition and its evaluation on the
/// report's day (as the 指标 page shows it).
#[derive(Debug, Clone, PartialEq)]
pub struct TargetLine {
    pub target: Target,
    pub evaluation: Evaluation,
    /// The status shown: the district figure's, or the worst town's.
    pub status: TargetStatus,
    /// Towns whose figure misses its checkpoint (per-town targets), by name.
    pub towns_short: Vec<String>,
    /// Why the target does not apply, when the office marked it 不适用 (its status is then
    /// [`TargetStatus::NotApplicable`]): the report names it apart, counted in no total.
    pub not_applicable: Option<String>,
}

impl TargetLine {
    /// A target with its evaluation and shown status; of its per-town evaluations (town
    /// name, evaluation) those that miss (滞后, 逾期未达标) are named in the report.
    pub fn new(
        target: Target,
        evaluation: Evaluation,
        status: TargetStatus,
        towns: &[(String, Evaluation)],
    ) -> TargetLine {
        let towns_short = towns
            .iter()
            .filter(|(_, e)| matches!(e.status, TargetStatus::Behind | TargetStatus::OverdueUnmet))
            .map(|(name, _)| name.clone())
            .collect();
        TargetLine {
            target,
            evaluation,
            status,
            towns_short,
            not_applicable: None,
        }
    }

    /// The line of a target marked 不适用, with the reason.
    pub fn with_not_applicable(mut self, reason: Option<String>) -> TargetLine {
        if reason.is_some() {
            self.status = TargetStatus::NotApplicable;
        }
        self.not_applicable = reason;
        self
    }
}

/// 进展报告 of one plan or of the whole campaign, as of `data.today`: 主送, an opening,
/// 一、总体情况 (tasks by status, and per plan for the campaign; the targets' statuses),
/// 二、目标指标完成情况 (each target against its checkpoints: required, current value with
/// its date, status), 三、任务推进情况 (every task by status with its latest progress —
/// text, date, percent, evidence — as known on the day), 四、逾期和临期任务 (days overdue,
/// days left), then the 署名 and 成文日期 with room for the seal. Portrait, GB/T 9704.
pub fn progress_report(
    data: &PrintData<'_>,
    fonts: &Fonts,
    spec: &ReportSpec,
) -> Result<Document, PrintError> {
    let plan = spec.plan.as_deref();
    let plans = data.selected(plan)?;
    let single = plan.is_some();
    let scope_name = match plans.as_slice() {
        [p] if single => p.title.clone(),
        _ => data.campaign.name.clone(),
    };
    let title = format!("关于{scope_name}推进情况的报告");
    let text = body();
    let kai = TextStyle::new(FontRole::Kai, SIZE_3HAO, BODY_PITCH);
    let mut c = Composer::new(fonts, PageSetup::PORTRAIT);
    // Title from line 3 as a document without a 版头 (two blank lines), one blank line, then
    // the 主送 flush left.
    c.skip(2.0 * ONE_LINE);
    let t = title_style();
    let width = c.setup().type_width - 2.0 * t.size_mm();
    for line in c.wrap_balanced(&t, &title, width) {
        c.line(&t, &line, Align::Center);
    }
    c.skip(ONE_LINE);
    if !spec.recipient.trim().is_empty() {
        c.paragraph(
            &text,
            &format!("{}：", spec.recipient.trim()),
            0.0,
            Align::Left,
        );
    }
    let on = format_date(data.today, false);

    // Tasks and targets marked 不适用 are named apart, counted in no total.
    let (not_applicable, rows): (Vec<&TaskRow>, Vec<&TaskRow>) = data
        .rows
        .iter()
        .filter(|r| plans.iter().any(|p| p.id == r.plan))
        .partition(|r| r.status == Status::NotApplicable);
    let (targets_not_applicable, targets): (Vec<&TargetLine>, Vec<&TargetLine>) = data
        .targets
        .iter()
        .filter(|t| plans.iter().any(|p| p.id == t.target.plan))
        .partition(|t| t.status == TargetStatus::NotApplicable);
    c.paragraph(
        &text,
        &format!("现将{scope_name}截至{on}的推进情况报告如下。"),
        2.0,
        Align::Left,
    );

    let mut section = 0;
    let mut heading = |c: &mut Composer<'_>, words: &str| {
        c.keep(4.0 * ONE_LINE);
        c.paragraph(
            &hei(SIZE_3HAO),
            &format!("{}、{words}", cn_ordinal(section)),
            2.0,
            Align::Left,
        );
        section += 1;
    };
    // 一、总体情况
    heading(&mut c, "总体情况");
    let counts = count_by_status(rows.iter().copied());
    let plans_words = if single {
        String::new()
    } else {
        format!("{}个方案", plans.len())
    };
    c.paragraph(
        &text,
        &format!(
            "{plans_words}共有任务{}项。{}{}",
            rows.len(),
            status_sentence(&counts),
            if not_applicable.is_empty() {
                String::new()
            } else {
                format!(
                    "另有{}项任务经核定不适用本地区，未计入上述统计。",
                    not_applicable.len()
                )
            }
        ),
        2.0,
        Align::Left,
    );
    let mut overview = Vec::new();
    let count_cells = |label: String, counts: &HashMap<Status, usize>, total: usize| {
        let mut cells = vec![label, total.to_string()];
        cells.extend(
            REPORT_ORDER
                .iter()
                .map(|s| counts.get(s).copied().unwrap_or(0).to_string()),
        );
        cells
    };
    if !single {
        for p in &plans {
            let of_plan: Vec<&TaskRow> = rows.iter().copied().filter(|r| r.plan == p.id).collect();
            overview.push(Row::Cells {
                key: format!("plan-status:{}", p.id),
                cells: count_cells(
                    wide(&plan_heading(p)),
                    &count_by_status(of_plan.iter().copied()),
                    of_plan.len(),
                ),
            });
        }
    }
    // One plan: its row is the total.
    let total = if single {
        wide(&scope_name)
    } else {
        "合计".to_owned()
    };
    overview.push(Row::Cells {
        key: "status:total".to_owned(),
        cells: count_cells(total, &counts, rows.len()),
    });
    let mut columns = vec![col("方案", 54.0, Align::Left)];
    columns.push(col("任务数", 17.0, Align::Center));
    for s in REPORT_ORDER {
        columns.push(col(s.label_zh(), 17.0, Align::Center));
    }
    report_table(
        &mut c,
        &Table {
            keep_together: true,
            number_column: None,
            ..table(columns, overview)
        },
    );
    if !targets.is_empty() {
        let mut by = StatusSummary::default();
        for t in &targets {
            by.add(t.status);
        }
        let parts: Vec<String> = TargetStatus::ALL
            .iter()
            .filter(|s| by.get(**s) > 0)
            .map(|s| format!("{}{}项", s.label_zh(), by.get(*s)))
            .collect();
        c.paragraph(
            &text,
            &format!(
                "设定量化指标{}项，其中{}。{}",
                targets.len(),
                parts.join("，"),
                if targets_not_applicable.is_empty() {
                    String::new()
                } else {
                    format!(
                        "另有{}项指标经核定不适用本地区，未计入。",
                        targets_not_applicable.len()
                    )
                }
            ),
            2.0,
            Align::Left,
        );
    }

    // 二、目标指标完成情况
    if !targets.is_empty() || !targets_not_applicable.is_empty() || !spec.target_problems.is_empty()
    {
        heading(&mut c, "目标指标完成情况");
        for p in &spec.target_problems {
            c.paragraph(
                &kai,
                &format!("（{}）", p.trim_end_matches('。')),
                2.0,
                Align::Left,
            );
        }
        let trows = rows_by_plan(&plans, !single, "targets", |p| {
            targets
                .iter()
                .filter(|t| t.target.plan == p.id)
                .enumerate()
                .map(|(i, t)| Row::Cells {
                    key: format!("target:{}", t.target.id),
                    cells: vec![
                        (i + 1).to_string(),
                        wide(&t.target.name),
                        checkpoints_cell(&t.target),
                        current_cell(t, data.today),
                        status_cell(t),
                    ],
                })
                .collect()
        });
        if !trows.is_empty() {
            let columns = vec![
                col("序号", 12.0, Align::Center),
                col("指标", 54.0, Align::Left),
                col("阶段目标", 38.0, Align::Center),
                col("当前值", 30.0, Align::Center),
                col("状态", 22.0, Align::Center),
            ];
            report_table(&mut c, &table(columns, trows));
        }
        if !targets_not_applicable.is_empty() {
            let named: Vec<String> = targets_not_applicable
                .iter()
                .map(|t| {
                    format!(
                        "{}（{}）",
                        t.target.name,
                        t.not_applicable.as_deref().unwrap_or("理由未写明")
                    )
                })
                .collect();
            c.paragraph(
                &text,
                &format!("不适用本地区的指标：{}。", named.join("；")),
                2.0,
                Align::Left,
            );
        }
    }

    // 三、任务推进情况
    heading(&mut c, "任务推进情况");
    for (j, p) in plans.iter().enumerate() {
        let of_plan: Vec<&TaskRow> = rows.iter().copied().filter(|r| r.plan == p.id).collect();
        if !single {
            c.keep(4.0 * ONE_LINE);
            c.paragraph(
                &kai,
                &format!("（{}）{}", cn_ordinal(j), p.title),
                2.0,
                Align::Left,
            );
        }
        let na_of_plan: Vec<String> = not_applicable
            .iter()
            .filter(|r| r.plan == p.id)
            .map(|r| {
                format!(
                    "{}{}（{}）",
                    r.label,
                    r.title,
                    r.not_applicable.as_deref().unwrap_or("理由未写明")
                )
            })
            .collect();
        if !na_of_plan.is_empty() {
            c.paragraph(
                &text,
                &format!(
                    "不适用本地区、未计入的任务{}项：{}。",
                    na_of_plan.len(),
                    na_of_plan.join("；")
                ),
                2.0,
                Align::Left,
            );
        }
        if of_plan.is_empty() {
            if na_of_plan.is_empty() {
                c.paragraph(&text, "本方案没有任务。", 2.0, Align::Left);
            }
            continue;
        }
        let mut trows = Vec::new();
        for status in PROGRESS_ORDER {
            let list: Vec<&&TaskRow> = of_plan.iter().filter(|r| r.status == status).collect();
            if list.is_empty() {
                continue;
            }
            trows.push(Row::Span {
                key: format!("progress-status:{}:{}", p.id, status.key()),
                text: format!("{}（{}项）", status.label_zh(), list.len()),
            });
            for r in list {
                let latest = data.latest.get(&r.id);
                trows.push(Row::Cells {
                    key: format!("progress:{}", r.id),
                    cells: vec![
                        r.label.clone(),
                        wide(&r.title),
                        lead_cell(r),
                        wide(&latest_cell(latest)),
                        percent_cell(r.status, latest),
                    ],
                });
            }
        }
        let columns = vec![
            col("序号", 14.0, Align::Center),
            col("任务", 44.0, Align::Left),
            col("牵头单位", 26.0, Align::Center),
            col("最新进展", 58.0, Align::Left),
            col("进度", 14.0, Align::Center),
        ];
        report_table(&mut c, &table(columns, trows));
    }

    // 四、逾期和临期任务
    heading(&mut c, "逾期和临期任务");
    for (j, (status, words, days_head)) in [
        (Status::Overdue, "逾期任务", "逾期天数"),
        (Status::DueSoon, "临期任务", "剩余天数"),
    ]
    .into_iter()
    .enumerate()
    {
        let list: Vec<&TaskRow> = rows
            .iter()
            .copied()
            .filter(|r| r.status == status)
            .collect();
        c.keep(3.0 * ONE_LINE);
        c.paragraph(
            &kai,
            &format!("（{}）{}（{}项）", cn_ordinal(j), words, list.len()),
            2.0,
            Align::Left,
        );
        if list.is_empty() {
            c.paragraph(&text, "无。", 2.0, Align::Left);
            continue;
        }
        let plan_key = format!("{}-plan", status.key());
        let trows = rows_by_plan(&plans, !single, &plan_key, |p| {
            list.iter()
                .filter(|r| r.plan == p.id)
                .map(|r| Row::Cells {
                    key: format!("{}:{}", status.key(), r.id),
                    cells: vec![
                        r.label.clone(),
                        wide(&r.title),
                        lead_cell(r),
                        if r.deadline_text.is_empty() {
                            format_date(r.due, false)
                        } else {
                            wide(&r.deadline_text)
                        },
                        (data.today - r.due).num_days().abs().to_string(),
                    ],
                })
                .collect()
        });
        let columns = vec![
            col("序号", 14.0, Align::Center),
            col("任务", 54.0, Align::Left),
            col("牵头单位", 32.0, Align::Center),
            col("完成时间", 36.0, Align::Center),
            col(days_head, 20.0, Align::Center),
        ];
        report_table(&mut c, &table(columns, trows));
    }

    signature(
        &mut c,
        &text,
        &spec.issuing_office,
        &format_date(data.today, spec.chinese_date),
    );
    Ok(finish(c, fonts, title))
}

/// GB/T 9704-2012 7.3.5.1: the 署名 and 成文日期 under the text with room for the seal
/// (two blank lines, kept with them on one page); the date 右空四字, the 署名 centred over
/// it (right-aligned, 二字 in, when wider).
pub(crate) fn signature(c: &mut Composer<'_>, text: &TextStyle, office: &str, date_text: &str) {
    let pitch = text.pitch;
    c.keep(SEAL_LINES * pitch + 2.0 * pitch);
    c.skip(SEAL_LINES * pitch);
    let four = 4.0 * text.size_mm();
    let date_w = c.width(text, date_text);
    let office_w = c.width(text, office);
    let office_right = if office_w <= date_w + four {
        four + (date_w - office_w) / 2.0
    } else {
        2.0 * text.size_mm()
    };
    c.line_inset(text, office, Align::Right, 0.0, office_right.max(0.0));
    c.line_inset(text, date_text, Align::Right, 0.0, four);
}

/// Statuses in the order the report lists tasks: what needs attention first.
const PROGRESS_ORDER: [Status; 5] = [
    Status::Overdue,
    Status::DueSoon,
    Status::InProgress,
    Status::NotStarted,
    Status::Done,
];

/// "开展专项检查……（2026年3月1日；佐证2份）" or "未报送进展".
fn latest_cell(latest: Option<&LatestProgress>) -> String {
    let Some(l) = latest else {
        return "未报送进展".to_owned();
    };
    let mut notes = vec![format_date(l.date, false)];
    if l.evidence > 0 {
        notes.push(format!("佐证{}份", l.evidence));
    }
    let text = l.text.trim();
    if text.is_empty() {
        format!("（{}）", notes.join("；"))
    } else {
        format!("{text}（{}）", notes.join("；"))
    }
}

/// The 进度 cell: the latest percent given, "已完成" for a task done, "—" when none given.
fn percent_cell(status: Status, latest: Option<&LatestProgress>) -> String {
    match (status, latest.and_then(|l| l.percent)) {
        (Status::Done, _) => "已完成".to_owned(),
        (_, Some(p)) => format!("{p}%"),
        (_, None) => "—".to_owned(),
    }
}

/// A figure with the target's unit: "85%", "12处".
fn with_unit(value: f64, unit: &str) -> String {
    format!("{}{}", anwei_core::target::figure(value), unit.trim())
}

/// "2020年达到60%" per checkpoint, one a line (the due date when the source gives one).
fn checkpoints_cell(t: &Target) -> String {
    let mut cps: Vec<_> = t.checkpoints.iter().collect();
    cps.sort_by_key(|c| (c.due_date(), c.year));
    let lines: Vec<String> = cps
        .iter()
        .map(|c| match c.due {
            Some(d) => format!("{}前{}", format_date(d, false), t.requirement_text(c)),
            None => format!("{}年{}", c.year, t.requirement_text(c)),
        })
        .collect();
    if lines.is_empty() {
        "未设定".to_owned()
    } else {
        lines.join("\n")
    }
}

/// The current value with its day, and for 下降≥ targets the decrease achieved.
fn current_cell(t: &TargetLine, today: NaiveDate) -> String {
    let Some(cv) = t.evaluation.current else {
        return "无数据".to_owned();
    };
    let mut s = with_unit(cv.value, &t.target.unit);
    if let Some(d) = t.evaluation.decrease {
        s.push_str(&format!("（下降{}%）", anwei_core::target::figure(d)));
    }
    if cv.date != today {
        s.push_str(&format!("（{}）", format_date(cv.date, false)));
    }
    s
}

/// The status, with the towns that fall short of a per-town target.
fn status_cell(t: &TargetLine) -> String {
    if t.towns_short.is_empty() {
        t.status.label_zh().to_owned()
    } else {
        format!("{}：{}", t.status.label_zh(), t.towns_short.join("、"))
    }
}

const REPORT_ORDER: [Status; 5] = [
    Status::Done,
    Status::InProgress,
    Status::NotStarted,
    Status::DueSoon,
    Status::Overdue,
];

fn status_sentence(counts: &HashMap<Status, usize>) -> String {
    let parts: Vec<String> = REPORT_ORDER
        .iter()
        .map(|s| format!("{}{}项", s.label_zh(), counts.get(s).copied().unwrap_or(0)))
        .collect();
    format!("其中{}。", parts.join("，"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_chinese_and_arabic() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(format_date(d, true), "二〇二六年十一月二十二日");
        assert_eq!(format_date(d, false), "2026年11月22日");
        let d = NaiveDate::from_ymd_opt(2020, 10, 30).unwrap();
        assert_eq!(format_date(d, true), "二〇二〇年十月三十日");
        let d = NaiveDate::from_ymd_opt(2021, 1, 9).unwrap();
        assert_eq!(format_date(d, true), "二〇二一年一月九日");
    }
}
