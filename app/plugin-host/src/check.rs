//! Every value a plugin returns is checked here before the host uses it: ids, list sizes,
//! string sizes, finite numbers, dates.

use std::collections::{HashMap, HashSet};

use anwei_core::form::FieldIssue;
use anwei_core::text::Lines;
use anwei_core::{Classification, TargetValue};

use crate::description::{self, Description};

pub const MAX_ID: usize = 64;
/// Longest single-line text (a name, title, label, unit name, deadline…), in bytes.
pub const MAX_NAME: usize = 512;
/// Longest task title (one line; the seeds' titles run to a few hundred characters), in bytes.
pub const MAX_TITLE: usize = 4096;
/// Longest multi-line text (a task's text, the plan's goals, a hint…), in bytes.
pub const MAX_TEXT: usize = 64 << 10;
/// All texts of one description together, in bytes: bounds what an install keeps in memory
/// and what one import writes.
pub const MAX_DESCRIPTION_TEXT: usize = 16 << 20;
/// Tasks of a plan.
pub const MAX_TASKS: usize = 2000;
/// Unit roles (牵头/责任/配合单位) of one task.
pub const MAX_ROLES_PER_TASK: usize = 100;
/// Deadline texts of one task.
pub const MAX_DEADLINES_PER_TASK: usize = 20;
/// Distinct unit names in a plan (after normalising, see `anwei_core::normalize_unit_name`):
/// each may become a new unit of the desk's directory, so this bounds how many units one
/// plugin can add. A district's whole directory is a few hundred units.
pub const MAX_UNIT_NAMES: usize = 1000;
/// Phases of a plan.
pub const MAX_PHASES: usize = 100;
pub const MAX_TARGETS: usize = 500;
/// Yearly checkpoints of one target.
pub const MAX_CHECKPOINTS: usize = 100;
pub const MAX_FORMS: usize = 100;
/// Fields (survey rows) of one form.
pub const MAX_FIELDS: usize = 1000;
/// Fields of all forms together.
pub const MAX_TOTAL_FIELDS: usize = 5000;
/// Choices of one field.
pub const MAX_CHOICES: usize = 2000;
/// Choices of all fields of all forms together.
pub const MAX_TOTAL_CHOICES: usize = 20_000;
pub const MAX_SMALL_LIST: usize = 100;
pub const MAX_ISSUES: usize = 1000;
pub const MAX_TARGET_VALUES: usize = 10_000;
pub const MAX_CLASSIFICATIONS: usize = 1000;

type R = Result<(), String>;

/// A plugin's text as quoted in a message: escaped, at most 60 characters (a refusal must
/// not carry megabytes of a hostile plugin's output into the fault log and the audit trail).
fn short(s: &str) -> String {
    let mut out: String = s.chars().take(60).flat_map(char::escape_debug).collect();
    if s.chars().nth(60).is_some() {
        out.push('…');
    }
    out
}

/// Sector, target and form ids: `[a-z0-9][a-z0-9-]*`, at most 64 bytes.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ID
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

/// Field names: `[A-Za-z_][A-Za-z0-9_]*`, at most 64 bytes (XLSForm names).
pub fn is_field_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ID
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !s.as_bytes()[0].is_ascii_digit()
}

/// A multi-line text (`\n` and `\t` allowed): its size and characters
/// (`anwei_core::text`: no direction overrides, zero-width or other control characters).
fn text(what: &str, s: &str, max: usize) -> R {
    checked(what, s, max, Lines::Multi)
}

/// A single-line text: its size and characters (no control character at all).
fn line(what: &str, s: &str, max: usize) -> R {
    checked(what, s, max, Lines::Single)
}

fn checked(what: &str, s: &str, max: usize, lines: Lines) -> R {
    if s.len() > max {
        return Err(format!("{what}长度 {} 字节，超过上限 {max}", s.len()));
    }
    match anwei_core::text::check_text(what, s, lines) {
        Some(m) => Err(m),
        None => Ok(()),
    }
}

fn opt_text(what: &str, s: &Option<String>, max: usize) -> R {
    s.as_deref().map_or(Ok(()), |s| text(what, s, max))
}

fn opt_line(what: &str, s: &Option<String>, max: usize) -> R {
    s.as_deref().map_or(Ok(()), |s| line(what, s, max))
}

/// Counts the bytes of every text of a description against [`MAX_DESCRIPTION_TEXT`].
#[derive(Default)]
struct Budget {
    used: usize,
}

impl Budget {
    fn add<'a>(&mut self, texts: impl IntoIterator<Item = &'a str>) -> R {
        for t in texts {
            self.used = self.used.saturating_add(t.len());
        }
        if self.used > MAX_DESCRIPTION_TEXT {
            return Err(format!(
                "插件描述的文字合计超过上限 {} MiB（描述总量上限）",
                MAX_DESCRIPTION_TEXT >> 20
            ));
        }
        Ok(())
    }
}

fn list<T>(what: &str, l: &[T], max: usize) -> R {
    if l.len() > max {
        return Err(format!("{what}有 {} 项，超过上限 {max}", l.len()));
    }
    Ok(())
}

fn date(what: &str, s: &str) -> R {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|_| ())
        .map_err(|_| format!("{what}“{s}”不是 YYYY-MM-DD 日期"))
}

fn finite(what: &str, v: f64) -> R {
    if v.is_finite() && v.abs() < 1e15 {
        Ok(())
    } else {
        Err(format!("{what}不是有效数值（{v}）"))
    }
}

fn year(what: &str, y: i32) -> R {
    if (1900..=2200).contains(&y) {
        Ok(())
    } else {
        Err(format!("{what}年份 {y} 超出范围"))
    }
}

/// Checks a whole description: ids, every text (size and characters, naming the field),
/// every list against its limit, the description's total text ([`MAX_DESCRIPTION_TEXT`]) and
/// the distinct unit names ([`MAX_UNIT_NAMES`]). Linear in the description's size, so an
/// install is bounded in time and memory.
pub fn description(d: &Description) -> R {
    let mut budget = Budget::default();
    let id = &d.identity;
    if !is_id(&id.sector_id) {
        return Err(format!("专项标识“{}”不合规", short(&id.sector_id)));
    }
    line("名称", &id.name, MAX_NAME)?;
    line("简称", &id.short_name, MAX_NAME)?;
    line("发布部门", &id.department, MAX_NAME)?;
    semver::Version::parse(&id.version)
        .map_err(|_| format!("版本号“{}”不合规", short(&id.version)))?;
    semver::Version::parse(&id.api_version)
        .map_err(|_| format!("接口版本“{}”不合规", short(&id.api_version)))?;

    let p = &d.plan;
    line("方案编号", &p.code, MAX_NAME)?;
    line("方案标题", &p.title, MAX_NAME)?;
    text("整治目标", &p.goals, MAX_TEXT)?;
    line("来源", &p.source, MAX_NAME)?;
    budget.add([p.code.as_str(), &p.title, &p.goals, &p.source])?;
    list("阶段", &p.phases, MAX_PHASES)?;
    for ph in &p.phases {
        line("阶段名称", &ph.name, MAX_NAME)?;
        date("阶段开始", &ph.start)?;
        date("阶段结束", &ph.end)?;
        if ph.start > ph.end {
            return Err(format!("阶段“{}”开始晚于结束", ph.name));
        }
        budget.add([ph.name.as_str()])?;
    }
    list("任务", &p.tasks, MAX_TASKS)?;
    let mut unit_names: HashSet<String> = HashSet::new();
    for (i, t) in p.tasks.iter().enumerate() {
        task(t, &mut budget, &mut unit_names).map_err(|m| {
            let label = short(&t.label);
            format!("第 {} 项任务（{label}）：{m}", i + 1)
        })?;
    }
    let forms: HashMap<&str, HashSet<&str>> = d
        .forms
        .iter()
        .map(|f| {
            (
                f.id.as_str(),
                f.fields.iter().map(|x| x.name.as_str()).collect(),
            )
        })
        .collect();
    list("目标", &d.targets, MAX_TARGETS)?;
    let mut target_ids = HashSet::new();
    for t in &d.targets {
        if !is_id(&t.id) || !target_ids.insert(t.id.as_str()) {
            return Err(format!("目标标识“{}”不合规或重复", short(&t.id)));
        }
        line("目标名称", &t.name, MAX_NAME)?;
        line("计量单位", &t.unit, MAX_NAME)?;
        budget.add([t.name.as_str(), &t.unit])?;
        list("年度节点", &t.checkpoints, MAX_CHECKPOINTS)?;
        for c in &t.checkpoints {
            year("年度节点", c.year)?;
            finite("年度节点值", c.value)?;
            if let Some(due) = &c.due {
                date("节点日期", due)?;
            }
        }
        if let Some(b) = &t.baseline {
            year("基数", b.year)?;
            if let Some(v) = b.value {
                finite("基数值", v)?;
            }
        }
        list("输入字段", &t.inputs, MAX_FIELDS)?;
        budget.add(t.inputs.iter().map(String::as_str))?;
        match &t.form {
            Some(f) => {
                let Some(fields) = forms.get(f.as_str()) else {
                    return Err(format!("目标“{}”引用了不存在的表单“{}”", t.id, short(f)));
                };
                if let Some(i) = t.inputs.iter().find(|i| !fields.contains(i.as_str())) {
                    return Err(format!(
                        "目标“{}”的输入字段“{}”不是表单“{f}”的字段",
                        t.id,
                        short(i)
                    ));
                }
            }
            None if !t.inputs.is_empty() => {
                return Err(format!("目标“{}”列出了输入字段但没有表单", t.id));
            }
            None => {}
        }
    }
    details(d, &target_ids, &mut budget, &mut unit_names)?;
    hazards(&d.hazards, &mut budget)?;
    list("表单", &d.forms, MAX_FORMS)?;
    let total_fields: usize = d.forms.iter().map(|f| f.fields.len()).sum();
    if total_fields > MAX_TOTAL_FIELDS {
        return Err(format!(
            "各表单的字段合计 {total_fields} 个，超过上限 {MAX_TOTAL_FIELDS}（字段总数上限）"
        ));
    }
    let mut total_choices: usize = 0;
    let mut form_ids = HashSet::new();
    for f in &d.forms {
        if !is_id(&f.id) || !form_ids.insert(f.id.as_str()) {
            return Err(format!("表单标识“{}”不合规或重复", short(&f.id)));
        }
        line("表单标题", &f.title, MAX_NAME)?;
        budget.add([f.title.as_str()])?;
        list("字段", &f.fields, MAX_FIELDS)?;
        let mut names = HashSet::new();
        for fl in &f.fields {
            if !is_field_name(&fl.name) || !names.insert(fl.name.as_str()) {
                return Err(format!("字段名“{}”不合规或重复", short(&fl.name)));
            }
            field(fl, &mut budget).map_err(|m| format!("表单“{}”字段“{}”：{m}", f.id, fl.name))?;
            total_choices = total_choices.saturating_add(fl.choices.len());
            if total_choices > MAX_TOTAL_CHOICES {
                return Err(format!(
                    "各字段的选项合计超过上限 {MAX_TOTAL_CHOICES}（选项总数上限）"
                ));
            }
        }
    }
    Ok(())
}

/// API 1.3's hazard checklist: ids, single-line texts of clean characters, the core's limits
/// (categories, items, lengths, unique ids).
fn hazards(list_: &[anwei_core::HazardCategory], budget: &mut Budget) -> R {
    list("隐患类别", list_, anwei_core::plugin::MAX_HAZARD_CATEGORIES)?;
    for c in list_ {
        if !is_id(&c.id) {
            return Err(format!("隐患类别编号“{}”无效", short(&c.id)));
        }
        line("隐患类别名称", &c.name, MAX_NAME)?;
        opt_line("判定标准", &c.standard, MAX_NAME)?;
        list(
            "判定条目",
            &c.clauses,
            anwei_core::plugin::MAX_HAZARD_CLAUSES,
        )?;
        for k in &c.clauses {
            line("判定条目编号", &k.id, MAX_ID)?;
            line("判定条目", &k.text, MAX_TITLE)?;
        }
        budget.add(
            [
                c.id.as_str(),
                &c.name,
                c.standard.as_deref().unwrap_or_default(),
            ]
            .into_iter()
            .chain(c.clauses.iter().flat_map(|k| [k.id.as_str(), &k.text])),
        )?;
    }
    anwei_core::plugin::check_hazards(list_)
}

/// API 1.2's details: each names a target, phase, task or unit of the description, within
/// the same limits as the description's own texts and lists.
fn details(
    d: &Description,
    target_ids: &HashSet<&str>,
    budget: &mut Budget,
    unit_names: &mut HashSet<String>,
) -> R {
    let x = &d.details;
    let labels: HashSet<&str> = d.plan.tasks.iter().map(|t| t.label.as_str()).collect();
    list("指标说明", &x.targets, MAX_TARGETS)?;
    let mut seen = HashSet::new();
    for t in &x.targets {
        let Some(target) = d.targets.iter().find(|y| y.id == t.target_id) else {
            return Err(format!(
                "指标说明引用了不存在的目标“{}”",
                short(&t.target_id)
            ));
        };
        if !seen.insert(t.target_id.as_str()) {
            return Err(format!("目标“{}”有两条指标说明", t.target_id));
        }
        let at = format!("目标“{}”的说明", t.target_id);
        match &t.measure {
            Some(description::Measure::About(tol)) => {
                finite(&format!("{at}：允许偏差"), *tol)?;
                if *tol < 0.0 {
                    return Err(format!("{at}：允许偏差不能为负数"));
                }
            }
            Some(description::Measure::Between(uppers)) => {
                if uppers.len() != target.checkpoints.len() {
                    return Err(format!(
                        "{at}：区间上限有 {} 个，年度节点有 {} 个",
                        uppers.len(),
                        target.checkpoints.len()
                    ));
                }
                for (u, c) in uppers.iter().zip(&target.checkpoints) {
                    finite(&format!("{at}：区间上限"), *u)?;
                    if *u < c.value {
                        return Err(format!("{at}：{}年的区间上限小于下限", c.year));
                    }
                }
            }
            Some(description::Measure::Zero | description::Measure::FullCoverage) | None => {}
        }
        list(&format!("{at}：出处"), &t.sources, MAX_SMALL_LIST)?;
        for r in &t.sources {
            line(&format!("{at}：原文"), &r.quote, MAX_TITLE)?;
            budget.add([r.quote.as_str()])?;
        }
        opt_text(&format!("{at}：解读"), &t.note, MAX_TEXT)?;
        budget.add(t.note.as_deref())?;
        if let Some(task) = &t.task
            && !labels.contains(task.as_str())
        {
            return Err(format!("{at}：任务“{}”不在方案中", short(task)));
        }
    }
    list("阶段说明", &x.phases, MAX_PHASES)?;
    for p in &x.phases {
        if !d.plan.phases.iter().any(|ph| ph.name == p.name) {
            return Err(format!("阶段说明引用了不存在的阶段“{}”", short(&p.name)));
        }
        text("阶段说明", &p.text, MAX_TEXT)?;
        budget.add([p.text.as_str()])?;
    }
    list("原文不一致说明", &x.notes, MAX_TARGETS)?;
    for n in &x.notes {
        text("原文不一致说明", &n.text, MAX_TEXT)?;
        budget.add([n.text.as_str()])?;
        list("说明涉及的行", &n.lines, MAX_SMALL_LIST)?;
        list("说明涉及的任务", &n.tasks, MAX_SMALL_LIST)?;
        list("说明涉及的目标", &n.targets, MAX_SMALL_LIST)?;
        if let Some(t) = n.tasks.iter().find(|t| !labels.contains(t.as_str())) {
            return Err(format!("原文不一致说明引用了不存在的任务“{}”", short(t)));
        }
        if let Some(t) = n.targets.iter().find(|t| !target_ids.contains(t.as_str())) {
            return Err(format!("原文不一致说明引用了不存在的目标“{}”", short(t)));
        }
    }
    list("单位说明", &x.units, MAX_UNIT_NAMES)?;
    for u in &x.units {
        list(
            &format!("单位“{}”的别名", short(&u.name)),
            &u.aliases,
            MAX_SMALL_LIST,
        )?;
        for name in std::iter::once(&u.name).chain(u.aliases.iter().map(|(a, _)| a)) {
            line("单位名称", name, MAX_NAME)?;
            let key = anwei_core::unit::normalize_unit_name(name);
            if key.is_empty() {
                return Err(format!("单位说明中有空的单位名称“{}”", short(name)));
            }
            budget.add([name.as_str()])?;
            unit_names.insert(key);
        }
    }
    if unit_names.len() > MAX_UNIT_NAMES {
        return Err(format!(
            "方案中的单位名称有 {} 个，超过上限 {MAX_UNIT_NAMES}",
            unit_names.len()
        ));
    }
    Ok(())
}

/// One task of the plan; its unit names are added to `unit_names` (normalised).
fn task(t: &description::Task, budget: &mut Budget, unit_names: &mut HashSet<String>) -> R {
    line("任务编号", &t.label, MAX_NAME)?;
    line("任务分组", &t.section, MAX_NAME)?;
    line("任务标题", &t.title, MAX_TITLE)?;
    text("任务内容", &t.text, MAX_TEXT)?;
    opt_line("责任标注", &t.roles_text, MAX_NAME)?;
    opt_line("阶段", &t.phase, MAX_NAME)?;
    budget.add([t.label.as_str(), &t.section, &t.title, &t.text])?;
    budget.add(
        t.roles_text
            .as_deref()
            .into_iter()
            .chain(t.phase.as_deref()),
    )?;
    list("单位角色", &t.roles, MAX_ROLES_PER_TASK)?;
    for r in &t.roles {
        line("单位名称", &r.unit, MAX_NAME)?;
        opt_line("单位备注", &r.note, MAX_NAME)?;
        budget.add(std::iter::once(r.unit.as_str()).chain(r.note.as_deref()))?;
        let key = anwei_core::normalize_unit_name(&r.unit);
        if key.is_empty() {
            return Err(format!("单位名称“{}”为空", short(&r.unit)));
        }
        if !unit_names.contains(&key) {
            if unit_names.len() >= MAX_UNIT_NAMES {
                return Err(format!(
                    "方案中不同的单位名称超过 {MAX_UNIT_NAMES} 个（单位总数上限），\
                     每个新名称都会成为一个新单位"
                ));
            }
            unit_names.insert(key);
        }
    }
    list("完成时间", &t.deadlines, MAX_DEADLINES_PER_TASK)?;
    for dl in &t.deadlines {
        line("完成时间", dl, MAX_NAME)?;
    }
    budget.add(t.deadlines.iter().map(String::as_str))?;
    Ok(())
}

/// One field (survey row) of a form.
fn field(fl: &description::Field, budget: &mut Budget) -> R {
    text("字段标签", &fl.label, MAX_TEXT)?;
    opt_text("提示", &fl.hint, MAX_TEXT)?;
    opt_text("约束条件", &fl.constraint, MAX_TEXT)?;
    opt_text("约束提示", &fl.constraint_message, MAX_TEXT)?;
    opt_text("显示条件", &fl.relevant, MAX_TEXT)?;
    opt_text("默认值", &fl.default, MAX_TEXT)?;
    opt_text("计算式", &fl.calculation, MAX_TEXT)?;
    opt_text("选项筛选条件", &fl.choice_filter, MAX_TEXT)?;
    opt_line("计量单位", &fl.unit, MAX_NAME)?;
    budget.add([fl.name.as_str(), &fl.label])?;
    budget.add(
        [
            &fl.hint,
            &fl.constraint,
            &fl.constraint_message,
            &fl.relevant,
            &fl.default,
            &fl.calculation,
            &fl.choice_filter,
            &fl.unit,
        ]
        .into_iter()
        .filter_map(|o| o.as_deref()),
    )?;
    list("选项", &fl.choices, MAX_CHOICES)?;
    for c in &fl.choices {
        if !is_field_name(&c.name) && !is_id(&c.name) {
            return Err(format!("选项名“{}”不合规", short(&c.name)));
        }
        line("选项标签", &c.label, MAX_NAME)?;
        opt_line("选项筛选值", &c.filter, MAX_NAME)?;
        budget.add(
            [c.name.as_str(), &c.label]
                .into_iter()
                .chain(c.filter.as_deref()),
        )?;
    }
    Ok(())
}

pub fn issues(issues: &[FieldIssue], fields: Option<&HashSet<String>>) -> R {
    list("校验结果", issues, MAX_ISSUES)?;
    for i in issues {
        text("校验提示", &i.message, 4096)?;
        if !i.field.is_empty() {
            if !is_field_name(&i.field) {
                return Err(format!("校验结果引用了不合规的字段名“{}”", short(&i.field)));
            }
            if let Some(fields) = fields
                && !fields.contains(&i.field)
            {
                return Err(format!("校验结果引用了表单中没有的字段“{}”", i.field));
            }
        }
    }
    Ok(())
}

pub fn target_values(values: &[TargetValue], targets: &HashSet<String>) -> R {
    list("计算结果", values, MAX_TARGET_VALUES)?;
    for v in values {
        if !targets.contains(&v.target_id) {
            return Err(format!(
                "计算结果引用了不存在的目标“{}”",
                short(&v.target_id)
            ));
        }
        finite("计算结果", v.value)?;
        opt_line("镇(街道)", &v.town, MAX_NAME)?;
    }
    Ok(())
}

pub fn classifications(c: &[Classification]) -> R {
    list("分类结果", c, MAX_CLASSIFICATIONS)?;
    for x in c {
        if !is_id(&x.rule) {
            return Err(format!("规则标识“{}”不合规", short(&x.rule)));
        }
        line("记录标识", &x.record_id, MAX_NAME)?;
        line("分类值", &x.value, MAX_NAME)?;
        text("分类依据", &x.reason, 4096)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names() {
        assert!(is_id("coal-mining"));
        assert!(!is_id("../../etc/passwd"));
        assert!(!is_id(""));
        assert!(!is_id("-x"));
        assert!(is_field_name("gas_class"));
        assert!(!is_field_name("1x"));
        assert!(finite("x", f64::NAN).is_err());
        assert!(text("x", "a\u{0}b", 10).is_err());
    }
}
