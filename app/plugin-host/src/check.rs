//! Every value a plugin returns is checked here before the host uses it: ids, list sizes,
//! string sizes, finite numbers, dates.

use std::collections::{HashMap, HashSet};

use crate::runtime::wit;

pub const MAX_ID: usize = 64;
pub const MAX_NAME: usize = 512;
pub const MAX_TEXT: usize = 64 << 10;
pub const MAX_TASKS: usize = 2000;
pub const MAX_TARGETS: usize = 500;
pub const MAX_FORMS: usize = 100;
pub const MAX_FIELDS: usize = 1000;
pub const MAX_CHOICES: usize = 2000;
pub const MAX_SMALL_LIST: usize = 100;
pub const MAX_ISSUES: usize = 1000;
pub const MAX_TARGET_VALUES: usize = 10_000;
pub const MAX_CLASSIFICATIONS: usize = 1000;

type R = Result<(), String>;

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

fn text(what: &str, s: &str, max: usize) -> R {
    if s.len() > max {
        return Err(format!("{what}长度 {} 字节，超过上限 {max}", s.len()));
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(format!("{what}含控制字符"));
    }
    Ok(())
}

fn opt_text(what: &str, s: &Option<String>, max: usize) -> R {
    s.as_deref().map_or(Ok(()), |s| text(what, s, max))
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

/// Checks a whole description.
pub fn description(d: &wit::Description) -> R {
    let id = &d.identity;
    if !is_id(&id.sector_id) {
        return Err(format!("专项标识“{}”不合规", id.sector_id.escape_debug()));
    }
    text("名称", &id.name, MAX_NAME)?;
    text("简称", &id.short_name, MAX_NAME)?;
    text("发布部门", &id.department, MAX_NAME)?;
    semver::Version::parse(&id.version).map_err(|_| format!("版本号“{}”不合规", id.version))?;
    semver::Version::parse(&id.api_version)
        .map_err(|_| format!("接口版本“{}”不合规", id.api_version))?;

    let p = &d.plan;
    text("方案编号", &p.code, MAX_NAME)?;
    text("方案标题", &p.title, MAX_NAME)?;
    text("整治目标", &p.goals, MAX_TEXT)?;
    text("来源", &p.source, MAX_NAME)?;
    list("阶段", &p.phases, MAX_SMALL_LIST)?;
    for ph in &p.phases {
        text("阶段名称", &ph.name, MAX_NAME)?;
        date("阶段开始", &ph.start)?;
        date("阶段结束", &ph.end)?;
        if ph.start > ph.end {
            return Err(format!("阶段“{}”开始晚于结束", ph.name));
        }
    }
    list("任务", &p.tasks, MAX_TASKS)?;
    for t in &p.tasks {
        text("任务编号", &t.label, MAX_NAME)?;
        text("任务分组", &t.section, MAX_NAME)?;
        text("任务标题", &t.title, MAX_TEXT)?;
        text("任务内容", &t.text, MAX_TEXT)?;
        opt_text("责任标注", &t.roles_text, MAX_TEXT)?;
        opt_text("阶段", &t.phase, MAX_NAME)?;
        list("单位角色", &t.roles, MAX_SMALL_LIST)?;
        for r in &t.roles {
            if r.unit.trim().is_empty() {
                return Err(format!("任务{}有空的单位名称", t.label));
            }
            text("单位名称", &r.unit, MAX_NAME)?;
            opt_text("单位备注", &r.note, MAX_NAME)?;
        }
        list("完成时间", &t.deadlines, MAX_SMALL_LIST)?;
        for dl in &t.deadlines {
            text("完成时间", dl, MAX_NAME)?;
        }
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
            return Err(format!("目标标识“{}”不合规或重复", t.id.escape_debug()));
        }
        text("目标名称", &t.name, MAX_NAME)?;
        text("计量单位", &t.unit, MAX_NAME)?;
        list("年度节点", &t.checkpoints, MAX_SMALL_LIST)?;
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
        match &t.form {
            Some(f) => {
                let Some(fields) = forms.get(f.as_str()) else {
                    return Err(format!("目标“{}”引用了不存在的表单“{f}”", t.id));
                };
                if let Some(i) = t.inputs.iter().find(|i| !fields.contains(i.as_str())) {
                    return Err(format!(
                        "目标“{}”的输入字段“{}”不是表单“{f}”的字段",
                        t.id,
                        i.escape_debug()
                    ));
                }
            }
            None if !t.inputs.is_empty() => {
                return Err(format!("目标“{}”列出了输入字段但没有表单", t.id));
            }
            None => {}
        }
    }
    list("表单", &d.forms, MAX_FORMS)?;
    let mut form_ids = HashSet::new();
    for f in &d.forms {
        if !is_id(&f.id) || !form_ids.insert(f.id.as_str()) {
            return Err(format!("表单标识“{}”不合规或重复", f.id.escape_debug()));
        }
        text("表单标题", &f.title, MAX_NAME)?;
        list("字段", &f.fields, MAX_FIELDS)?;
        let mut names = HashSet::new();
        for fl in &f.fields {
            if !is_field_name(&fl.name) || !names.insert(fl.name.as_str()) {
                return Err(format!("字段名“{}”不合规或重复", fl.name.escape_debug()));
            }
            text("字段标签", &fl.label, MAX_TEXT)?;
            for o in [
                &fl.hint,
                &fl.constraint,
                &fl.constraint_message,
                &fl.relevant,
                &fl.default,
                &fl.calculation,
                &fl.choice_filter,
                &fl.unit,
            ] {
                opt_text("字段属性", o, MAX_TEXT)?;
            }
            list("选项", &fl.choices, MAX_CHOICES)?;
            for c in &fl.choices {
                if !is_field_name(&c.name) && !is_id(&c.name) {
                    return Err(format!("选项名“{}”不合规", c.name.escape_debug()));
                }
                text("选项标签", &c.label, MAX_NAME)?;
                opt_text("选项筛选值", &c.filter, MAX_NAME)?;
            }
        }
    }
    Ok(())
}

pub fn issues(issues: &[wit::Issue], fields: Option<&HashSet<String>>) -> R {
    list("校验结果", issues, MAX_ISSUES)?;
    for i in issues {
        text("提示", &i.message, 4096)?;
        if !i.field.is_empty() {
            if !is_field_name(&i.field) {
                return Err(format!(
                    "校验结果引用了不合规的字段名“{}”",
                    i.field.escape_debug()
                ));
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

pub fn target_values(values: &[wit::TargetValue], targets: &HashSet<String>) -> R {
    list("计算结果", values, MAX_TARGET_VALUES)?;
    for v in values {
        if !targets.contains(&v.target_id) {
            return Err(format!(
                "计算结果引用了不存在的目标“{}”",
                v.target_id.escape_debug()
            ));
        }
        finite("计算结果", v.value)?;
        opt_text("镇(街道)", &v.town, MAX_NAME)?;
    }
    Ok(())
}

pub fn classifications(c: &[wit::Classification]) -> R {
    list("分类结果", c, MAX_CLASSIFICATIONS)?;
    for x in c {
        if !is_id(&x.rule) {
            return Err(format!("规则标识“{}”不合规", x.rule.escape_debug()));
        }
        text("记录标识", &x.record_id, MAX_NAME)?;
        text("分类值", &x.value, MAX_NAME)?;
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
