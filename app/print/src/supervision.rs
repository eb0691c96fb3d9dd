//! The supervision documents: a 督办事项's ladder documents (工作提醒函, 催办通知, 督办函,
//! 挂牌督办通知书, 约谈通知书) stating the item's facts on the day they are dated; the 通报 in
//! its numbered series; the year-end 考核 sheet with every deduction's cause; 两个清单.

use std::collections::BTreeMap;

use anwei_core::accountability::Step;
use anwei_core::assessment::Sheet;
use anwei_core::supervision::{Circular, Item, ItemState, ListEntry, ListKind, SourceKind};
use chrono::{Datelike, NaiveDate};

use crate::documents::{
    ONE_LINE, attachment_head, body, col, colophon, draft_mark, finish, format_date, hei,
    letterhead, signature, table, title_style, wide,
};
use crate::error::PrintError;
use crate::fonts::{FontRole, Fonts};
use crate::layout::{
    Align, BODY_PITCH, Composer, PageSetup, Row, SIZE_3HAO, SIZE_XIAO4, Table, TextStyle,
};
use crate::model::{Document, Rgb};

/// The title of a ladder step's document; `None` for 通报, which has its own series.
pub fn letter_title(step: Step) -> Option<&'static str> {
    step.document_zh()
}

/// A ladder document's particulars.
#[derive(Debug, Clone, PartialEq)]
pub struct LetterSpec<'a> {
    pub item: &'a Item,
    pub step: Step,
    /// The responsible unit's name (主送).
    pub unit_name: String,
    /// (year, number) of the 文号; `None`: a draft, marked 草稿.
    pub doc_number: Option<(i32, u32)>,
    pub doc_prefix: String,
    pub issuing_office: String,
    /// By when the unit is to act (a 约谈: its day).
    pub reply_by: NaiveDate,
    pub contact: String,
    /// 成文日期: the facts are stated as of it.
    pub date: NaiveDate,
    pub chinese_date: bool,
    pub copy_to: Vec<String>,
    /// The task the item comes from, in words ("《…》第(二)3项任务"), when it does.
    pub task_text: Option<String>,
}

/// Why a ladder document cannot be made as asked: it would state what is not so.
pub fn check_letter(
    item: &Item,
    step: Step,
    date: NaiveDate,
    year: Option<i32>,
    reply_by: NaiveDate,
) -> Result<(), String> {
    if let Some(d) = item.closed {
        return Err(format!(
            "督办事项 #{} 已于 {d} 销号，不能再发督办文书",
            item.id
        ));
    }
    if item.state() == ItemState::AwaitingCheck {
        return Err(format!(
            "督办事项 #{} 已报告完成、待验收，不再发督办文书",
            item.id
        ));
    }
    if letter_title(step).is_none() {
        return Err("通报请用通报功能编发（有自己的期号）".to_owned());
    }
    if date < item.opened {
        return Err(format!("成文日期 {date} 早于督办日期 {}", item.opened));
    }
    if let Some((last, day)) = item.last_step()
        && (step < last || date < day)
    {
        return Err(format!(
            "该事项已于 {day} 到了“{}”，不能再发“{}”或早于那天的文书",
            last.label_zh(),
            letter_title(step).unwrap_or_default()
        ));
    }
    if reply_by <= date {
        return Err(format!("办理时限 {reply_by} 应在成文日期 {date} 之后"));
    }
    if let Some(y) = year.filter(|y| *y != date.year()) {
        return Err(format!("文号的年度 {y} 与成文日期 {date} 不是同一年"));
    }
    Ok(())
}

/// What the item's 来源 says, as the letter's opening words.
fn source_words(item: &Item, task_text: Option<&str>) -> String {
    let r = item.source.reference.trim();
    match item.source.kind {
        SourceKind::Task | SourceKind::Milestone => match (task_text, r.is_empty()) {
            (Some(t), _) => format!("根据{t}，"),
            (None, false) => format!("根据{r}，"),
            (None, true) => String::new(),
        },
        SourceKind::Hazard if !r.is_empty() => format!("针对{r}所列重大事故隐患，"),
        SourceKind::Hazard => "针对排查发现的重大事故隐患，".to_owned(),
        SourceKind::Meeting if !r.is_empty() => format!("根据{r}议定，"),
        SourceKind::Inspection if !r.is_empty() => format!("根据{r}，"),
        _ => String::new(),
    }
}

/// The item's state on `date`, from its facts alone.
fn situation(item: &Item, date: NaiveDate, chinese: bool) -> String {
    let f = |d: NaiveDate| format_date(d, chinese);
    let received = match item.received {
        Some(d) if d <= date => format!("你单位已于{}签收", f(d)),
        _ => "你单位至今未签收该督办事项".to_owned(),
    };
    let late = (date - item.deadline).num_days();
    let timing = if late > 0 {
        format!("已逾期{late}天")
    } else if late == 0 {
        "今日即到整改时限".to_owned()
    } else {
        format!("距整改时限还有{}天", -late)
    };
    let done = match item.checks.last() {
        Some(c) if !c.passed && c.date <= date => {
            let note = c.note.trim().trim_end_matches('。');
            format!(
                "，{}验收未通过（{note}），尚未重新报告完成，{timing}",
                f(c.date)
            )
        }
        _ => format!("，尚未报告完成，{timing}"),
    };
    format!("截至{}，{received}{done}。", f(date))
}

/// "此前，…已于7月1日提醒、7月9日发出督办函（文号）。" for the steps taken by `date`.
fn steps_words(item: &Item, date: NaiveDate, chinese: bool) -> Option<String> {
    let steps: Vec<String> = item
        .steps
        .iter()
        .filter(|s| s.date <= date)
        .map(|s| {
            let what = match s.step {
                Step::Remind => "提醒".to_owned(),
                Step::Press => "催办".to_owned(),
                Step::Letter => "发出督办函".to_owned(),
                Step::Listed => "挂牌督办".to_owned(),
                Step::Circular => "予以通报".to_owned(),
                Step::Talk => "约谈".to_owned(),
            };
            let doc = s
                .document
                .as_deref()
                .map(|d| format!("（{d}）"))
                .unwrap_or_default();
            format!("{}{what}{doc}", format_date(s.date, chinese))
        })
        .collect();
    (!steps.is_empty()).then(|| format!("此前，{}已于{}。", item.supervisor, steps.join("、")))
}

fn requirement(spec: &LetterSpec<'_>) -> String {
    let by = format_date(spec.reply_by, spec.chinese_date);
    let office = &spec.issuing_office;
    match spec.step {
        Step::Remind => format!("请你单位抓紧办理，于{by}前完成，并将办理情况书面报送{office}。"),
        Step::Press => format!(
            "现予催办。请你单位主要负责同志亲自过问，于{by}前完成整改，并将办理情况书面报送{office}。逾期仍未完成的，将发督办函督办。"
        ),
        Step::Letter => format!(
            "根据督办工作有关规定，现予督办。请你单位高度重视，制定整改方案，于{by}前整改到位，并将整改情况书面报送{office}。逾期仍未完成的，将予以挂牌督办。"
        ),
        Step::Listed => format!(
            "现对该事项实行{}挂牌督办。请你单位落实整改责任、措施、资金、时限和预案“五到位”，于{by}前整改到位，经{}验收合格后申请销号。逾期仍未完成的，将予以通报。",
            spec.item.level.label_zh(),
            spec.item.acceptor
        ),
        Step::Circular | Step::Talk => format!(
            "经研究，定于{by}对你单位主要负责同志进行约谈，请准时参加，并于约谈前将整改情况书面报送{office}。"
        ),
    }
}

/// A ladder document for a 督办事项: 版头 with the 文号, the title of its step, 主送 the
/// responsible unit, the item and its 来源, its state on the 成文日期, the steps taken, what
/// is required by when, contact, 署名; then the item's details as the 附件 on a new page.
pub fn supervision_letter(fonts: &Fonts, spec: &LetterSpec<'_>) -> Result<Document, PrintError> {
    let item = spec.item;
    check_letter(
        item,
        spec.step,
        spec.date,
        spec.doc_number.map(|(y, _)| y),
        spec.reply_by,
    )
    .map_err(PrintError::NotSo)?;
    let title = letter_title(spec.step).unwrap_or("督办函");
    let number = match spec.doc_number {
        Some((year, n)) => format!("{}〔{year}〕{n}号", spec.doc_prefix),
        None => format!("{}〔    〕  号", spec.doc_prefix),
    };
    let draft = spec.doc_number.is_none();
    let f = |d: NaiveDate| format_date(d, spec.chinese_date);
    let opening = format!(
        "{}{}，{}将“{}”列为{}督办事项，由你单位负责办理，整改时限为{}。{}",
        source_words(item, spec.task_text.as_deref()),
        f(item.opened),
        item.supervisor,
        wide(item.title.trim().trim_end_matches('。')),
        item.level.label_zh(),
        f(item.deadline),
        situation(item, spec.date, spec.chinese_date),
    );
    let steps = steps_words(item, spec.date, spec.chinese_date);
    let contact = spec.contact.trim();
    // The letter, its body set at line pitch `pitch` (mm).
    let letter = |pitch: f32| {
        let mut c = Composer::new(fonts, PageSetup::PORTRAIT);
        let text = TextStyle::new(FontRole::Body, SIZE_3HAO, pitch);
        if draft {
            draft_mark(&mut c);
        }
        letterhead(&mut c, &spec.issuing_office, &number);
        c.skip(2.0 * ONE_LINE);
        c.line(&title_style(), title, Align::Center);
        c.skip(ONE_LINE);
        c.paragraph(&text, &format!("{}：", spec.unit_name), 0.0, Align::Left);
        c.paragraph(&text, &opening, 2.0, Align::Left);
        if let Some(steps) = &steps {
            c.paragraph(&text, steps, 2.0, Align::Left);
        }
        c.paragraph(&text, &requirement(spec), 2.0, Align::Left);
        if !contact.is_empty() {
            c.paragraph(&text, &format!("联系人：{contact}"), 2.0, Align::Left);
        }
        c.skip(pitch);
        c.paragraph(&text, "附件：督办事项详情", 2.0, Align::Left);
        signature(&mut c, &text, &spec.issuing_office, &f(spec.date));
        c
    };
    // GB/T 9704-2012 7.3.5.1: rather than a second page for the last lines and the 署名,
    // the line spacing is tightened, down to four fifths (as the 督办通知书 does).
    let mut c = letter(BODY_PITCH);
    if c.page_count() > 1 {
        for tighter in [0.95, 0.9, 0.85, 0.8] {
            let tight = letter(BODY_PITCH * tighter);
            if tight.page_count() == 1 {
                c = tight;
                break;
            }
        }
    }

    // 附件: the item's details.
    c.new_page_with(PageSetup::PORTRAIT);
    if draft {
        draft_mark(&mut c);
    }
    attachment_head(&mut c, Some("附件"), "督办事项详情");
    let source = {
        let mut s = item.source.kind.label_zh().to_owned();
        if let Some(t) = &spec.task_text {
            s.push_str(&format!("：{t}"));
        } else if !item.source.reference.trim().is_empty() {
            s.push_str(&format!("：{}", item.source.reference.trim()));
        }
        s
    };
    let received = match item.received {
        Some(d) if d <= spec.date => format!("已签收（{}）", f(d)),
        _ => "未签收".to_owned(),
    };
    let steps: Vec<String> = item
        .steps
        .iter()
        .filter(|s| s.date <= spec.date)
        .map(|s| {
            let doc = s
                .document
                .as_deref()
                .map(|d| format!("（{d}）"))
                .unwrap_or_default();
            let note = if s.note.trim().is_empty() {
                String::new()
            } else {
                format!("：{}", s.note.trim())
            };
            format!("{} {}{doc}{note}", f(s.date), s.step.label_zh())
        })
        .collect();
    let pairs: Vec<(&str, String)> = vec![
        (
            "督办文号",
            if draft {
                "（签发时编号）".to_owned()
            } else {
                number.clone()
            },
        ),
        ("督办事项", item.title.clone()),
        ("来源", source),
        ("督办级别", item.level.label_zh().to_owned()),
        ("责任单位", spec.unit_name.clone()),
        ("督办单位", item.supervisor.clone()),
        ("验收单位", item.acceptor.clone()),
        ("督办日期", f(item.opened)),
        ("整改时限", f(item.deadline)),
        ("签收情况", received),
        ("完成情况", item.completion_zh(spec.date).to_owned()),
        ("审核情况", item.check_zh().to_owned()),
        ("督办经过", steps.join("\n")),
        (
            "办理要求",
            format!("{}前办理完毕并书面报告", f(spec.reply_by)),
        ),
    ];
    let rows = pairs
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| Row::Cells {
            key: format!("detail:{k}"),
            cells: vec![k.to_owned(), wide(&v)],
        })
        .collect();
    let t = Table {
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
    c.table(&t);
    colophon(&mut c, &spec.copy_to, &spec.issuing_office, spec.date);
    let doc_title = match spec.doc_number {
        Some(_) => format!("{title} {number}"),
        None => format!("{title}（草稿）"),
    };
    Ok(finish(c, fonts, doc_title))
}

/// A number in Chinese numerals (1 → 一, 17 → 十七, 120 → 一百二十), for 期号.
pub fn chinese_number(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n >= 1000 {
        return n.to_string();
    }
    let (h, t, u) = (n / 100, (n / 10) % 10, n % 10);
    let mut s = String::new();
    if h > 0 {
        s.push_str(D[h as usize]);
        s.push('百');
    }
    match (h, t, u) {
        (0, 0, _) => s.push_str(D[u as usize]),
        (0, 1, _) => {
            s.push('十');
            if u > 0 {
                s.push_str(D[u as usize]);
            }
        }
        (_, 0, 0) => {}
        (_, 0, _) => {
            s.push('零');
            s.push_str(D[u as usize]);
        }
        _ => {
            s.push_str(D[t as usize]);
            s.push('十');
            if u > 0 {
                s.push_str(D[u as usize]);
            }
        }
    }
    s
}

/// A 督办事项's line in a 通报's 附件.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemLine {
    pub title: String,
    pub unit: String,
    pub deadline: NaiveDate,
    pub completion: String,
    pub check: String,
}

/// What a 通报 says a unit's count costs it, at the rule's threshold: a member unit's
/// deduction, an enterprise's 停业整顿; `None` below it or for a voided 通报.
pub fn circular_cost_text(
    rule: &anwei_core::accountability::CircularRule,
    count: u32,
    member: bool,
    voided: bool,
) -> Option<String> {
    if voided || count < rule.threshold {
        return None;
    }
    Some(if member {
        format!(
            "该单位本年度已被通报{count}次，按照规定，年度安全生产目标责任考核时按考核分值的{}%扣减。",
            rule.percent
        )
    } else {
        format!("该单位本年度已被通报{count}次，按照规定，由行业监督管理部门责令停业（停产）整顿。")
    })
}

impl ItemLine {
    /// The item's line as of `date`.
    pub fn of(item: &Item, unit: &str, date: NaiveDate) -> ItemLine {
        ItemLine {
            title: item.title.clone(),
            unit: unit.to_owned(),
            deadline: item.deadline,
            completion: item.completion_zh(date).to_owned(),
            check: item.check_zh().to_owned(),
        }
    }
}

/// A 通报's particulars.
#[derive(Debug, Clone, PartialEq)]
pub struct CircularSpec<'a> {
    pub circular: &'a Circular,
    /// Each unit or enterprise named: its name, what for, and (for a member unit at the
    /// rule's threshold) what the count costs it this year.
    pub named: Vec<(String, String, Option<String>)>,
    pub items: Vec<ItemLine>,
    pub issuing_office: String,
    /// 主送, e.g. "各镇（街道），区安委会各成员单位".
    pub recipient: String,
    pub chinese_date: bool,
}

/// A 通报 as offices lay it out: the red series title and 期号, the office and the date
/// over a red rule, the title, 主送, 一、总体情况, 二、通报事项 (the units named with what
/// for, and what a second 通报 in the year costs), 三、上期问题整改情况, 四、有关要求, 署名, and
/// the 督办事项 it reports on as the 附件 table. A voided 通报 is marked so on every page.
pub fn circular_document(fonts: &Fonts, spec: &CircularSpec<'_>) -> Result<Document, PrintError> {
    let circ = spec.circular;
    let f = |d: NaiveDate| format_date(d, spec.chinese_date);
    let mut c = Composer::new(fonts, PageSetup::PORTRAIT);
    let text = TextStyle::new(FontRole::Body, SIZE_3HAO, BODY_PITCH);
    let void_mark = circ
        .voided
        .as_ref()
        .map(|v| format!("已作废（{}）", v.reason.trim()));
    let mark = |c: &mut Composer<'_>| {
        if let Some(m) = &void_mark {
            let mut style = hei(SIZE_XIAO4);
            style.color = Rgb::RED;
            let setup = c.setup();
            let x = setup.right() - c.width(&style, m);
            c.text_at(x, setup.top - 12.0, &style, m);
        }
    };
    mark(&mut c);
    // 版头: the series' name in red, the 期号, then the office and the date over a red rule.
    let mut series = TextStyle::new(FontRole::Title, 30.0, BODY_PITCH * 1.6);
    series.color = Rgb::RED;
    c.skip(ONE_LINE);
    c.line(&series, "安全生产工作通报", Align::Center);
    c.skip(ONE_LINE / 2.0);
    c.line(
        &body(),
        &format!("{}年第{}期", circ.year, chinese_number(circ.number)),
        Align::Center,
    );
    c.skip(ONE_LINE / 2.0);
    {
        let style = body();
        let setup = c.setup();
        let baseline = style.baseline(c.y());
        let date = f(circ.date);
        let w = c.width(&style, &date);
        c.text_at(setup.left, baseline, &style, &spec.issuing_office);
        c.text_at(setup.right() - w, baseline, &style, &date);
        c.skip(style.pitch);
    }
    c.skip(2.0);
    c.rule(1.0, Rgb::RED);
    c.skip(ONE_LINE);
    let t = title_style();
    let width = c.setup().type_width - 4.0 * t.size_mm();
    for line in c.wrap_balanced(&t, &wide(circ.title.trim()), width) {
        c.line(&t, &line, Align::Center);
    }
    c.skip(ONE_LINE);
    c.paragraph(
        &text,
        &format!("{}：", spec.recipient.trim()),
        0.0,
        Align::Left,
    );
    let heading = hei(SIZE_3HAO);
    let mut section = 0usize;
    let mut next_heading = |c: &mut Composer<'_>, words: &str| {
        section += 1;
        c.paragraph(
            &heading,
            &format!("{}、{words}", crate::documents::cn_ordinal(section - 1)),
            2.0,
            Align::Left,
        );
    };
    if !circ.summary.trim().is_empty() {
        next_heading(&mut c, "总体情况");
        for p in circ.summary.lines().filter(|l| !l.trim().is_empty()) {
            c.paragraph(&text, &wide(p.trim()), 2.0, Align::Left);
        }
    }
    if !spec.named.is_empty() {
        next_heading(&mut c, "通报事项");
        for (i, (name, issue, cost)) in spec.named.iter().enumerate() {
            let issue = issue.trim().trim_end_matches('。');
            let mut p = if issue.is_empty() {
                format!("（{}）{name}。", crate::documents::cn_ordinal(i))
            } else {
                format!(
                    "（{}）{name}：{}。",
                    crate::documents::cn_ordinal(i),
                    wide(issue)
                )
            };
            if let Some(cost) = cost {
                p.push_str(cost);
            }
            c.paragraph(&text, &p, 2.0, Align::Left);
        }
    }
    if !circ.follow_up.trim().is_empty() {
        next_heading(&mut c, "上期问题整改情况");
        for p in circ.follow_up.lines().filter(|l| !l.trim().is_empty()) {
            c.paragraph(&text, &wide(p.trim()), 2.0, Align::Left);
        }
    }
    if !spec.named.is_empty() {
        next_heading(&mut c, "有关要求");
        c.paragraph(
            &text,
            &format!(
                "被通报的单位要认真分析原因，制定整改措施，明确责任人和完成时限，限期整改到位，并将整改情况书面报送{}。",
                spec.issuing_office
            ),
            2.0,
            Align::Left,
        );
    }
    if !spec.items.is_empty() {
        c.skip(ONE_LINE);
        c.paragraph(&text, "附件：督办事项办理情况表", 2.0, Align::Left);
    }
    signature(&mut c, &text, &spec.issuing_office, &f(circ.date));
    if !spec.items.is_empty() {
        c.new_page_with(PageSetup::PORTRAIT);
        mark(&mut c);
        attachment_head(&mut c, Some("附件"), "督办事项办理情况表");
        let rows = spec
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| Row::Cells {
                key: format!("item:{i}"),
                cells: vec![
                    (i + 1).to_string(),
                    wide(&it.title),
                    it.unit.clone(),
                    f(it.deadline),
                    it.completion.clone(),
                    it.check.clone(),
                ],
            })
            .collect();
        c.table(&table(
            vec![
                col("序号", 10.0, Align::Center),
                col("督办事项", 52.0, Align::Left),
                col("责任单位", 26.0, Align::Center),
                col("整改时限", 26.0, Align::Center),
                col("完成情况", 22.0, Align::Center),
                col("审核情况", 20.0, Align::Center),
            ],
            rows,
        ));
    }
    let title = format!(
        "安全生产工作通报 {}年第{}期{}",
        circ.year,
        chinese_number(circ.number),
        if circ.voided.is_some() {
            "（已作废）"
        } else {
            ""
        }
    );
    Ok(finish(c, fonts, title))
}

/// The 考核 sheets of a year: a landscape summary (one row per unit: each item's score, the
/// automatic deductions, the total, the grade, the remark), then every deduction with its
/// cause. `names`: unit id → name; `notes`: what kept part of the sheet from being made.
pub fn assessment_document(
    fonts: &Fonts,
    sheets: &[Sheet],
    names: &BTreeMap<String, String>,
    notes: &[String],
    issuing_office: &str,
    date: NaiveDate,
    chinese_date: bool,
) -> Result<Document, PrintError> {
    let Some(first) = sheets.first() else {
        return Err(PrintError::NotSo("没有可考核的单位".to_owned()));
    };
    let year = first.year;
    let name = |u: &str| names.get(u).cloned().unwrap_or_else(|| u.to_owned());
    let mut c = Composer::new(fonts, PageSetup::LANDSCAPE);
    let t = title_style();
    c.line(
        &t,
        &format!("{year}年度安全生产目标责任考核结果汇总表"),
        Align::Center,
    );
    c.line(
        &body(),
        &format!("（数据截至{}）", format_date(first.as_of, chinese_date)),
        Align::Center,
    );
    c.skip(ONE_LINE / 2.0);
    let mut columns = vec![
        col("序号", 10.0, Align::Center),
        col("单位", 28.0, Align::Left),
    ];
    for l in &first.lines {
        columns.push(col(
            &format!("{}（{}分）", l.name, l.points),
            14.0,
            Align::Center,
        ));
    }
    columns.push(col("自动扣分", 12.0, Align::Center));
    columns.push(col(
        &format!("总分（满分{}）", first.full),
        13.0,
        Align::Center,
    ));
    columns.push(col("等次", 14.0, Align::Center));
    columns.push(col("备注", 30.0, Align::Left));
    let score = |x: f64| {
        if (x - x.round()).abs() < 1e-9 {
            format!("{}", x.round())
        } else {
            format!("{x:.2}")
        }
    };
    let rows = sheets
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut cells = vec![(i + 1).to_string(), name(&s.unit)];
            cells.extend(s.lines.iter().map(|l| score(l.score)));
            let auto: f64 = s.automatic.iter().map(|d| d.points).sum();
            cells.push(if auto > 0.0 {
                format!("−{}", score(auto))
            } else {
                "—".to_owned()
            });
            cells.push(score(s.total));
            cells.push(s.grade.label_zh().to_owned());
            let mut remark = s.remark.clone();
            if s.circulars > 0 {
                if !remark.is_empty() {
                    remark.push('；');
                }
                remark.push_str(&format!("被通报{}次", s.circulars));
            }
            cells.push(remark);
            Row::Cells {
                key: format!("unit:{}", s.unit),
                cells,
            }
        })
        .collect();
    c.table(&Table {
        number_column: Some(0),
        ..table(columns, rows)
    });
    let small = TextStyle::new(FontRole::Body, SIZE_XIAO4, SIZE_XIAO4 * 0.3528 * 1.6);
    for n in notes {
        c.paragraph(&small, &format!("说明：{n}"), 0.0, Align::Left);
    }
    // Every deduction and its cause.
    let mut rows = Vec::new();
    for s in sheets {
        let unit = name(&s.unit);
        for l in &s.lines {
            for d in &l.deductions {
                rows.push((unit.clone(), l.name.clone(), d.points, d.cause.clone()));
            }
        }
        for d in &s.automatic {
            rows.push((
                unit.clone(),
                "自动扣分".to_owned(),
                d.points,
                d.cause.clone(),
            ));
        }
        if s.veto.fails || s.veto.no_award {
            rows.push((unit.clone(), "一票否决".to_owned(), 0.0, s.remark.clone()));
        }
    }
    if !rows.is_empty() {
        c.new_page_with(PageSetup::LANDSCAPE);
        attachment_head(&mut c, Some("附件"), "扣分明细");
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, (unit, item, points, cause))| Row::Cells {
                key: format!("deduction:{i}"),
                cells: vec![
                    (i + 1).to_string(),
                    unit,
                    item,
                    if points > 0.0 {
                        format!("−{}", score(points))
                    } else {
                        "—".to_owned()
                    },
                    wide(&cause),
                ],
            })
            .collect();
        c.table(&table(
            vec![
                col("序号", 10.0, Align::Center),
                col("单位", 30.0, Align::Left),
                col("考核项目", 24.0, Align::Center),
                col("扣分", 12.0, Align::Center),
                col("原因", 120.0, Align::Left),
            ],
            rows,
        ));
    }
    let text = TextStyle::new(FontRole::Body, SIZE_3HAO, BODY_PITCH);
    signature(
        &mut c,
        &text,
        issuing_office,
        &format_date(date, chinese_date),
    );
    Ok(finish(
        c,
        fonts,
        format!("{year}年度安全生产目标责任考核结果"),
    ))
}

/// One of 两个清单 as a landscape table (序号, content, 责任单位, 措施, 时限, 状态, 关联), as of
/// `date`. `names`: unit id → name.
pub fn list_document(
    fonts: &Fonts,
    kind: ListKind,
    entries: &[&ListEntry],
    names: &BTreeMap<String, String>,
    issuing_office: &str,
    date: NaiveDate,
    chinese_date: bool,
) -> Result<Document, PrintError> {
    let mut c = Composer::new(fonts, PageSetup::LANDSCAPE);
    c.line(&title_style(), kind.label_zh(), Align::Center);
    c.line(
        &body(),
        &format!(
            "（{}，截至{}）",
            issuing_office,
            format_date(date, chinese_date)
        ),
        Align::Center,
    );
    c.skip(ONE_LINE / 2.0);
    let (what, how) = match kind {
        ListKind::Problems => ("问题隐患", "整改措施"),
        ListKind::Measures => ("制度措施", "落实方式"),
    };
    let rows: Vec<Row> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let links: Vec<String> = e
                .tasks
                .iter()
                .map(|t| format!("任务 {t}"))
                .chain(e.hazards.iter().map(|h| format!("隐患 #{h}")))
                .collect();
            Row::Cells {
                key: format!("entry:{}", e.id),
                cells: vec![
                    (i + 1).to_string(),
                    wide(&e.text),
                    names
                        .get(&e.unit)
                        .cloned()
                        .unwrap_or_else(|| e.unit.clone()),
                    wide(&e.measures),
                    e.deadline
                        .map(|d| format_date(d, chinese_date))
                        .unwrap_or_else(|| "—".to_owned()),
                    e.status_zh(date).to_owned(),
                    links.join("、"),
                ],
            }
        })
        .collect();
    if rows.is_empty() {
        c.paragraph(&body(), "（清单中暂无条目。）", 0.0, Align::Center);
    } else {
        c.table(&table(
            vec![
                col("序号", 10.0, Align::Center),
                col(what, 62.0, Align::Left),
                col("责任单位", 26.0, Align::Center),
                col(how, 62.0, Align::Left),
                col("时限", 22.0, Align::Center),
                col("状态", 14.0, Align::Center),
                col("关联", 31.0, Align::Left),
            ],
            rows,
        ));
    }
    Ok(finish(c, fonts, kind.label_zh().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_numbers_are_written_in_chinese_numerals() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (17, "十七"),
            (20, "二十"),
            (99, "九十九"),
            (100, "一百"),
            (105, "一百零五"),
            (120, "一百二十"),
            (999, "九百九十九"),
        ];
        for (n, s) in cases {
            assert_eq!(chinese_number(n), s, "{n}");
        }
    }
}
