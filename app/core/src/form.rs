//! Plugin forms (XLSForm vocabulary): definitions, parsing what a user typed, calculations,
//! relevance, choice filters, defaults and validation of a record's values.
//!
//! A [`FormDef`] comes from a sector plugin (the host converts the WIT `form`, nesting its
//! `begin-repeat` … `end-repeat` rows into [`FieldKind::Repeat`]). A record's values are a
//! map of field name → [`Value`]; a field of a repeat group is named `group[index]/field`
//! (index from 0; nested groups `outer[0]/inner[1]/field`).
//!
//! Per-kind behaviour sits in one `match` per concern on [`FieldKind`]
//! ([`FieldKind::parse_input`], [`FieldKind::check_value`], [`FieldKind::from_result`],
//! [`FieldKind::label_zh`], [`FieldKind::holds_value`]): a new kind is added there.
//!
//! Evaluation follows XLSForm: fields are visited in order; a field that is not relevant
//! loses its value (expressions then read it as empty, and it is not validated); a field
//! with a `calculation` gets the calculation's value, so later fields read earlier results.
//! [`FormState`] does that once for a set of values; the free functions are shorthands.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::expr::{Expr, ExprValue, Scope, format_number, parse_iso_date};
use crate::record::Value;

/// A form as the store keeps it (JSON).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FormDef {
    /// `SECTOR/FORM`, e.g. `coal-mining/mine-register` (what [`crate::FormRecord::form`] names).
    pub id: String,
    pub title: String,
    /// The plugin version the definition came from.
    pub version: String,
    pub fields: Vec<FieldDef>,
}

/// One choice of a select field.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ChoiceDef {
    /// Stored in records.
    pub name: String,
    /// Shown.
    pub label: String,
    /// What the field's choice filter reads as `filter`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
}

/// XLSForm question types. A repeat group holds its fields.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    #[default]
    Text,
    Integer,
    Decimal,
    /// `YYYY-MM-DD`.
    Date,
    SelectOne,
    SelectMany,
    /// A unit (department) of the unit directory, by name.
    UnitRef,
    /// A town (镇/街道), by name.
    TownRef,
    /// An enterprise, by name.
    EnterpriseRef,
    YesNo,
    /// Text shown in the form; holds no value.
    Note,
    /// A value computed from `calculation`; never typed.
    Calculate,
    /// Rows of `fields`, named `group[index]/field`.
    Repeat {
        fields: Vec<FieldDef>,
    },
}

/// One field (one row of an XLSForm `survey` sheet; a repeat group with its fields).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FieldDef {
    pub name: String,
    pub kind: FieldKind,
    pub label: String,
    pub hint: Option<String>,
    /// Must have a value when relevant (a repeat group: at least one row).
    pub required: bool,
    /// Condition on the value (`.`); checked only when the field has a value.
    pub constraint: Option<String>,
    pub constraint_message: Option<String>,
    /// Condition for the field to be shown, validated and counted.
    pub relevant: Option<String>,
    /// Typed-in text a new record starts with (parsed like user input).
    pub default: Option<String>,
    pub read_only: bool,
    /// Expression whose value the field takes (calculate fields, or any read-only field).
    pub calculation: Option<String>,
    pub choices: Vec<ChoiceDef>,
    /// Expression deciding, per choice, whether it is offered (`filter = ${ownership}`).
    pub choice_filter: Option<String>,
    /// Measurement unit shown after the input ("万吨/年").
    pub unit: Option<String>,
}

/// How serious a [`FieldIssue`] is: errors make a record a draft, warnings are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// A problem with one field's value ("" for the whole record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldIssue {
    /// Field path: `name`, or `group[2]/name` inside a repeat group.
    pub field: String,
    pub severity: Severity,
    pub message: String,
}

impl FieldIssue {
    pub(crate) fn error(field: &str, message: String) -> FieldIssue {
        FieldIssue {
            field: field.to_owned(),
            severity: Severity::Error,
            message,
        }
    }
    fn warning(field: &str, message: String) -> FieldIssue {
        FieldIssue {
            field: field.to_owned(),
            severity: Severity::Warning,
            message,
        }
    }
}

/// True when a value counts as not filled in: empty or blank text, no choices.
pub fn is_blank(v: &Value) -> bool {
    match v {
        Value::Text(t) | Value::Date(t) => t.trim().is_empty(),
        Value::Choices(c) => c.is_empty(),
        Value::Integer(_) | Value::Decimal(_) | Value::Flag(_) => false,
    }
}

/// Full-width digits and signs as ASCII (what Chinese input methods often type).
fn ascii_digits(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            '－' | '−' => '-',
            '＋' => '+',
            '／' => '/',
            other => other,
        })
        .collect()
}

fn parse_integer(s: &str) -> Option<i64> {
    let s = ascii_digits(s);
    let body = s.strip_prefix(['-', '+']).unwrap_or(&s);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.strip_prefix('+').unwrap_or(&s).parse().ok()
}

fn parse_decimal(s: &str) -> Option<f64> {
    let s = ascii_digits(s);
    let body = s.strip_prefix(['-', '+']).unwrap_or(&s);
    let digits = body.bytes().filter(u8::is_ascii_digit).count();
    let dots = body.bytes().filter(|b| *b == b'.').count();
    if digits == 0 || dots > 1 || digits + dots != body.len() {
        return None;
    }
    s.strip_prefix('+')
        .unwrap_or(&s)
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

/// `2020-06-30`, `2020-6-30`, `2020/6/30`, `2020.6.30`, `2020年6月30日` (full-width digits
/// too) → the date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = ascii_digits(s);
    let parts: Vec<&str> = if let Some((y, rest)) = s.split_once('年') {
        let (m, d) = rest.split_once('月')?;
        let d = d.strip_suffix(['日', '号']).unwrap_or(d);
        vec![y.trim(), m.trim(), d.trim()]
    } else {
        let sep = ['-', '/', '.'].into_iter().find(|c| s.contains(*c))?;
        s.split(sep).map(str::trim).collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let ok = |p: &str, max: usize| {
        !p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit())
    };
    if y.len() != 4 || !ok(y, 4) || !ok(m, 2) || !ok(d, 2) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A choice by name (exact, then ignoring ASCII case) or by label.
fn find_choice<'f>(field: &'f FieldDef, text: &str) -> Option<&'f ChoiceDef> {
    let text = text.trim();
    field
        .choices
        .iter()
        .find(|c| c.name == text)
        .or_else(|| {
            field
                .choices
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(text))
        })
        .or_else(|| field.choices.iter().find(|c| c.label.trim() == text))
}

fn choice_list(field: &FieldDef) -> String {
    field
        .choices
        .iter()
        .map(|c| c.label.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

fn no_such_choice(field: &FieldDef, text: &str) -> String {
    format!(
        "“{}”没有选项“{}”，可选：{}",
        field.display_label(),
        text.trim(),
        choice_list(field)
    )
}

/// The value's type and content, for messages ("文本“60”").
fn describe_value(v: &Value) -> String {
    match v {
        Value::Text(t) => format!("文本“{t}”"),
        Value::Integer(i) => format!("整数{i}"),
        Value::Decimal(d) => format!("数字{}", format_number(*d)),
        Value::Date(d) => format!("日期“{d}”"),
        Value::Choices(c) => format!("选项“{}”", c.join("、")),
        Value::Flag(b) => if *b { "“是”" } else { "“否”" }.to_owned(),
    }
}

/// The choice names a value selects (a select value; anything else names none).
fn selected_names(v: &Value) -> &[String] {
    match v {
        Value::Choices(c) => c,
        _ => &[],
    }
}

impl FieldKind {
    /// The kind's name in messages and the form designer.
    pub fn label_zh(&self) -> &'static str {
        match self {
            FieldKind::Text => "文本",
            FieldKind::Integer => "整数",
            FieldKind::Decimal => "数字",
            FieldKind::Date => "日期",
            FieldKind::SelectOne => "单选",
            FieldKind::SelectMany => "多选",
            FieldKind::UnitRef => "单位",
            FieldKind::TownRef => "镇(街道)",
            FieldKind::EnterpriseRef => "企业",
            FieldKind::YesNo => "是/否",
            FieldKind::Note => "说明",
            FieldKind::Calculate => "计算值",
            FieldKind::Repeat { .. } => "重复组",
        }
    }

    /// Whether a record holds a value under the field's own name (not notes, not groups).
    pub fn holds_value(&self) -> bool {
        match self {
            FieldKind::Note | FieldKind::Repeat { .. } => false,
            FieldKind::Text
            | FieldKind::Integer
            | FieldKind::Decimal
            | FieldKind::Date
            | FieldKind::SelectOne
            | FieldKind::SelectMany
            | FieldKind::UnitRef
            | FieldKind::TownRef
            | FieldKind::EnterpriseRef
            | FieldKind::YesNo
            | FieldKind::Calculate => true,
        }
    }

    /// What the user typed (not blank) → the value; messages name the field.
    pub fn parse_input(&self, field: &FieldDef, text: &str) -> Result<Value, String> {
        let label = field.display_label();
        let typed = text.trim();
        match self {
            FieldKind::Text | FieldKind::UnitRef | FieldKind::TownRef | FieldKind::EnterpriseRef => {
                Ok(Value::Text(typed.to_owned()))
            }
            FieldKind::Integer => parse_integer(typed)
                .map(Value::Integer)
                .ok_or_else(|| format!("“{label}”应为整数，填写的是“{typed}”")),
            FieldKind::Decimal => parse_decimal(typed)
                .map(Value::Decimal)
                .ok_or_else(|| format!("“{label}”应为数字，填写的是“{typed}”")),
            FieldKind::Date => parse_date(typed).map(|d| Value::Date(iso(d))).ok_or_else(|| {
                format!(
                    "“{label}”应为日期（如2020-06-30、2020/6/30或2020年6月30日），填写的是“{typed}”"
                )
            }),
            FieldKind::SelectOne => find_choice(field, typed)
                .map(|c| Value::Choices(vec![c.name.clone()]))
                .ok_or_else(|| no_such_choice(field, typed)),
            FieldKind::SelectMany => {
                let separators = [',', '，', '、', ';', '；'];
                let parts: Vec<&str> = if typed.contains(separators) {
                    typed.split(separators).collect()
                } else {
                    typed.split_whitespace().collect()
                };
                let mut names: Vec<String> = Vec::new();
                for p in parts.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
                    let c = find_choice(field, p).ok_or_else(|| no_such_choice(field, p))?;
                    if !names.contains(&c.name) {
                        names.push(c.name.clone());
                    }
                }
                Ok(Value::Choices(names))
            }
            FieldKind::YesNo => match typed.to_ascii_lowercase().as_str() {
                "是" | "yes" | "y" | "true" | "1" | "有" | "√" => Ok(Value::Flag(true)),
                "否" | "no" | "n" | "false" | "0" | "无" | "×" => Ok(Value::Flag(false)),
                _ => Err(format!("“{label}”应填“是”或“否”，填写的是“{typed}”")),
            },
            FieldKind::Note => Err(format!("“{label}”是说明文字，不能填写")),
            FieldKind::Calculate => Err(format!("“{label}”由系统计算，不能填写")),
            FieldKind::Repeat { .. } => {
                Err(format!("“{label}”是重复组，请逐行填写其中的字段"))
            }
        }
    }

    /// Whether `value` is a value of this kind (and, for selects, names the field's
    /// choices). The message names the field.
    pub fn check_value(&self, field: &FieldDef, value: &Value) -> Result<(), String> {
        let label = field.display_label();
        let mismatch = || {
            Err(format!(
                "“{label}”应为{}，记录中是{}",
                self.label_zh(),
                describe_value(value)
            ))
        };
        let known = |names: &[String]| match names.iter().find(|n| !field.has_choice(n)) {
            Some(n) => Err(no_such_choice(field, n)),
            None => Ok(()),
        };
        match (self, value) {
            (
                FieldKind::Text
                | FieldKind::UnitRef
                | FieldKind::TownRef
                | FieldKind::EnterpriseRef,
                Value::Text(_),
            )
            | (FieldKind::Integer, Value::Integer(_))
            | (FieldKind::Decimal, Value::Integer(_))
            | (FieldKind::YesNo, Value::Flag(_))
            | (FieldKind::Calculate | FieldKind::Note | FieldKind::Repeat { .. }, _) => Ok(()),
            (FieldKind::Decimal, Value::Decimal(d)) if d.is_finite() => Ok(()),
            (FieldKind::Date, Value::Date(d)) => match parse_iso_date(d) {
                Some(_) => Ok(()),
                None => Err(format!("“{label}”的日期“{d}”无效")),
            },
            (FieldKind::SelectOne, Value::Choices(c)) if c.len() > 1 => {
                Err(format!("“{label}”只能选一项，记录中选了{}项", c.len()))
            }
            (FieldKind::SelectOne | FieldKind::SelectMany, Value::Choices(c)) => known(c),
            _ => mismatch(),
        }
    }

    /// A calculation's result as the field's value (`None` for an empty result).
    pub fn from_result(&self, field: &FieldDef, v: ExprValue) -> Result<Option<Value>, String> {
        if v.is_empty() {
            return Ok(None);
        }
        match (self, v) {
            (FieldKind::Calculate, ExprValue::Bool(b)) => Ok(Some(Value::Flag(b))),
            (FieldKind::Calculate, ExprValue::Number(x)) if !x.is_finite() => {
                Err(format!("计算结果{}不是有限数", format_number(x)))
            }
            (FieldKind::Calculate, ExprValue::Number(x)) => {
                Ok(Some(if x.fract() == 0.0 && x.abs() < 9.0e15 {
                    Value::Integer(x as i64)
                } else {
                    Value::Decimal(x)
                }))
            }
            (FieldKind::Calculate, ExprValue::Date(d)) => Ok(Some(Value::Date(iso(d)))),
            (FieldKind::Calculate, ExprValue::Text(t)) => Ok(Some(match parse_iso_date(&t) {
                Some(_) => Value::Date(t),
                None => Value::Text(t),
            })),
            (kind, v) => kind.parse_input(field, &v.to_text()).map(Some),
        }
    }
}

impl FieldDef {
    /// A field of `kind` with everything else empty.
    pub fn new(name: &str, kind: FieldKind, label: &str) -> FieldDef {
        FieldDef {
            name: name.to_owned(),
            kind,
            label: label.to_owned(),
            ..FieldDef::default()
        }
    }
    /// A repeat group of `fields`.
    pub fn repeat(name: &str, label: &str, fields: Vec<FieldDef>) -> FieldDef {
        FieldDef::new(name, FieldKind::Repeat { fields }, label)
    }
    pub fn required(mut self) -> FieldDef {
        self.required = true;
        self
    }
    pub fn read_only(mut self) -> FieldDef {
        self.read_only = true;
        self
    }
    pub fn hint(mut self, hint: &str) -> FieldDef {
        self.hint = Some(hint.to_owned());
        self
    }
    pub fn unit(mut self, unit: &str) -> FieldDef {
        self.unit = Some(unit.to_owned());
        self
    }
    pub fn constraint(mut self, expr: &str, message: &str) -> FieldDef {
        self.constraint = Some(expr.to_owned());
        self.constraint_message = Some(message.to_owned());
        self
    }
    pub fn relevant(mut self, expr: &str) -> FieldDef {
        self.relevant = Some(expr.to_owned());
        self
    }
    pub fn default_value(mut self, text: &str) -> FieldDef {
        self.default = Some(text.to_owned());
        self
    }
    pub fn calculation(mut self, expr: &str) -> FieldDef {
        self.calculation = Some(expr.to_owned());
        self
    }
    /// Choices as `(name, label)` pairs.
    pub fn choices(mut self, choices: &[(&str, &str)]) -> FieldDef {
        self.choices = choices
            .iter()
            .map(|(n, l)| ChoiceDef {
                name: (*n).to_owned(),
                label: (*l).to_owned(),
                filter: None,
            })
            .collect();
        self
    }
    /// Choices as `(name, label, filter)` triples.
    pub fn filtered_choices(mut self, choices: &[(&str, &str, &str)]) -> FieldDef {
        self.choices = choices
            .iter()
            .map(|(n, l, f)| ChoiceDef {
                name: (*n).to_owned(),
                label: (*l).to_owned(),
                filter: Some((*f).to_owned()),
            })
            .collect();
        self
    }
    pub fn choice_filter(mut self, expr: &str) -> FieldDef {
        self.choice_filter = Some(expr.to_owned());
        self
    }

    /// The label, or the name when the label is empty.
    pub fn display_label(&self) -> &str {
        if self.label.trim().is_empty() {
            &self.name
        } else {
            &self.label
        }
    }

    /// Whether a user types this field's value (not notes, groups, calculated or read-only
    /// fields).
    pub fn accepts_input(&self) -> bool {
        self.kind.holds_value()
            && !matches!(self.kind, FieldKind::Calculate)
            && self.calculation.is_none()
            && !self.read_only
    }

    /// The fields of a repeat group (empty for other kinds).
    pub fn children(&self) -> &[FieldDef] {
        match &self.kind {
            FieldKind::Repeat { fields } => fields,
            _ => &[],
        }
    }

    pub fn has_choice(&self, name: &str) -> bool {
        self.choices.iter().any(|c| c.name == name)
    }

    pub fn choice(&self, name: &str) -> Option<&ChoiceDef> {
        self.choices.iter().find(|c| c.name == name)
    }

    /// What the user typed → the value (`None` when blank). See [`parse_input`].
    pub fn parse_input(&self, text: &str) -> Result<Option<Value>, String> {
        parse_input(self, text)
    }

    /// A value as shown: choice labels, 是/否, numbers without a needless fraction.
    pub fn display_value(&self, v: &Value) -> String {
        match v {
            Value::Text(t) | Value::Date(t) => t.clone(),
            Value::Integer(i) => i.to_string(),
            Value::Decimal(d) => format_number(*d),
            Value::Choices(c) => c
                .iter()
                .map(|n| self.choice(n).map_or(n.as_str(), |c| c.label.as_str()))
                .collect::<Vec<_>>()
                .join("、"),
            Value::Flag(b) => if *b { "是" } else { "否" }.to_owned(),
        }
    }
}

/// What the user typed for `field` → its value: `Ok(None)` when blank, an error naming the
/// field when the text is not a value of its kind. Integers and decimals accept full-width
/// digits; dates `2020-06-30`, `2020/6/30`, `2020年6月30日` (stored as `YYYY-MM-DD`); selects
/// a choice's name or label (select-many: separated by `，、,;` or spaces); yes/no `是/否`,
/// `yes/no`.
pub fn parse_input(field: &FieldDef, text: &str) -> Result<Option<Value>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    field.kind.parse_input(field, text).map(Some)
}

fn split_path(path: &str) -> Option<Vec<(&str, Option<usize>)>> {
    path.split('/')
        .map(|seg| match seg.strip_suffix(']') {
            Some(s) => {
                let (name, idx) = s.split_once('[')?;
                let i: usize = idx.parse().ok()?;
                (i.to_string() == idx).then_some((name, Some(i)))
            }
            None => Some((seg, None)),
        })
        .collect()
}

/// The row indices of the repeat group at `group_path` (`items`, `outer[0]/inner`) that
/// have at least one value, in order.
pub fn repeat_rows(values: &BTreeMap<String, Value>, group_path: &str) -> Vec<usize> {
    let prefix = format!("{group_path}[");
    let mut rows = BTreeSet::new();
    for key in values
        .range(prefix.clone()..)
        .map(|(k, _)| k)
        .take_while(|k| k.starts_with(&prefix))
    {
        if let Some((idx, _)) = key[prefix.len()..].split_once("]/")
            && let Ok(i) = idx.parse::<usize>()
            && i.to_string() == idx
        {
            rows.insert(i);
        }
    }
    rows.into_iter().collect()
}

fn defaults_into(fields: &[FieldDef], prefix: &str, out: &mut BTreeMap<String, Value>) {
    for f in fields {
        if !f.kind.holds_value() || f.calculation.is_some() {
            continue;
        }
        if let Some(text) = &f.default
            && let Ok(Some(v)) = parse_input(f, text)
        {
            out.insert(format!("{prefix}{}", f.name), v);
        }
    }
}

/// The values a new record starts with: the defaults of the top-level fields (a default
/// that does not parse is left out; [`FormDef::problems`] reports it).
pub fn defaults(form: &FormDef) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    defaults_into(&form.fields, "", &mut out);
    out
}

/// The values a new row `index` of the repeat group `group` (at `group_path`) starts with.
pub fn row_defaults(group: &FieldDef, group_path: &str, index: usize) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    defaults_into(
        group.children(),
        &format!("{group_path}[{index}]/"),
        &mut out,
    );
    out
}

/// One level of nesting: the top of the form, or one row of a repeat group.
#[derive(Debug, Clone)]
struct Level<'f> {
    /// Key prefix of the level's fields ("" or "items[2]/").
    prefix: String,
    fields: &'f [FieldDef],
    /// "“明细”第3行" for rows (for messages), "" at the top.
    row: String,
}

impl<'f> Level<'f> {
    fn top(fields: &'f [FieldDef]) -> Level<'f> {
        Level {
            prefix: String::new(),
            fields,
            row: String::new(),
        }
    }
    fn row(&self, group: &'f FieldDef, index: usize) -> Level<'f> {
        Level {
            prefix: format!("{}{}[{index}]/", self.prefix, group.name),
            fields: group.children(),
            row: format!("{}“{}”第{}行", self.row, group.display_label(), index + 1),
        }
    }
}

fn contains_field(fields: &[FieldDef], name: &str) -> bool {
    fields
        .iter()
        .any(|f| f.name == name || contains_field(f.children(), name))
}

/// What expressions of a form read: the fields visible from the current level (the row's
/// own fields first, then the enclosing rows', then the top), the current value, a choice.
struct FormScope<'s, 'f> {
    root: &'f [FieldDef],
    levels: &'s [Level<'f>],
    values: &'s BTreeMap<String, Value>,
    current: Option<&'s Value>,
    choice: Option<&'f ChoiceDef>,
    today: NaiveDate,
}

impl Scope for FormScope<'_, '_> {
    fn field(&self, name: &str) -> Option<ExprValue> {
        for level in self.levels.iter().rev() {
            if let Some(f) = level.fields.iter().find(|f| f.name == name) {
                return Some(if f.kind.holds_value() {
                    ExprValue::from_value(self.values.get(&format!("{}{name}", level.prefix)))
                } else {
                    ExprValue::empty()
                });
            }
        }
        // A field inside a repeat group, seen from outside its rows: no single value.
        contains_field(self.root, name).then(ExprValue::empty)
    }
    fn current(&self) -> ExprValue {
        ExprValue::from_value(self.current)
    }
    fn name(&self, name: &str) -> Option<ExprValue> {
        choice_column(self.choice?, name)
    }
    fn today(&self) -> NaiveDate {
        self.today
    }
}

fn choice_column(c: &ChoiceDef, name: &str) -> Option<ExprValue> {
    match name {
        "name" => Some(ExprValue::Text(c.name.clone())),
        "label" => Some(ExprValue::Text(c.label.clone())),
        "filter" => Some(ExprValue::Text(c.filter.clone().unwrap_or_default())),
        _ => None,
    }
}

/// What a choice filter reads without a form: `${x}` is `values[x]`.
struct ValuesScope<'s> {
    values: &'s BTreeMap<String, Value>,
    choice: &'s ChoiceDef,
    today: NaiveDate,
}

impl Scope for ValuesScope<'_> {
    fn field(&self, name: &str) -> Option<ExprValue> {
        Some(ExprValue::from_value(self.values.get(name)))
    }
    fn name(&self, name: &str) -> Option<ExprValue> {
        choice_column(self.choice, name)
    }
    fn today(&self) -> NaiveDate {
        self.today
    }
}

/// The choices of `field` its choice filter lets through, `${x}` reading `values[x]`
/// (top-level fields; use [`FormState::choices`] inside repeat rows). All choices when
/// there is no filter, or when the filter is wrong (validation reports that).
pub fn choices_for<'f>(
    field: &'f FieldDef,
    values: &BTreeMap<String, Value>,
    today: NaiveDate,
) -> Vec<&'f ChoiceDef> {
    let Some(src) = &field.choice_filter else {
        return field.choices.iter().collect();
    };
    let Ok(expr) = Expr::parse_cached(src) else {
        return field.choices.iter().collect();
    };
    let mut out = Vec::new();
    for c in &field.choices {
        let scope = ValuesScope {
            values,
            choice: c,
            today,
        };
        match expr.eval_bool(&scope) {
            Ok(true) => out.push(c),
            Ok(false) => {}
            Err(_) => return field.choices.iter().collect(),
        }
    }
    out
}

/// Which rule of a field an expression belongs to (for messages).
#[derive(Debug, Clone, Copy)]
enum Rule {
    Relevant,
    Constraint,
    Calculation,
    ChoiceFilter,
}

impl Rule {
    fn label_zh(self) -> &'static str {
        match self {
            Rule::Relevant => "显示条件",
            Rule::Constraint => "约束条件",
            Rule::Calculation => "计算公式",
            Rule::ChoiceFilter => "选项筛选条件",
        }
    }
}

fn rule_problem(path: &str, row: &str, field: &FieldDef, rule: Rule, err: &str) -> FieldIssue {
    FieldIssue::warning(
        path,
        format!(
            "{}插件表单中“{}”的{}有误，无法检查：{err}",
            row_prefix(row),
            field.display_label(),
            rule.label_zh()
        ),
    )
}

fn row_prefix(row: &str) -> String {
    if row.is_empty() {
        String::new()
    } else {
        format!("{row}：")
    }
}

/// A form evaluated for one set of values: calculations done and non-relevant fields
/// cleared, in field order. Build once per change of the values; ask it for relevance,
/// choices, issues.
#[derive(Debug, Clone)]
pub struct FormState<'f> {
    form: &'f FormDef,
    today: NaiveDate,
    /// Keys of the given values that name no field of the form.
    unknown: Vec<String>,
    values: BTreeMap<String, Value>,
    calculated: BTreeMap<String, Value>,
    /// Problems met while calculating (wrong expressions, results of the wrong kind).
    problems: Vec<FieldIssue>,
}

impl<'f> FormState<'f> {
    pub fn new(form: &'f FormDef, values: &BTreeMap<String, Value>, today: NaiveDate) -> Self {
        let mut state = FormState {
            form,
            today,
            unknown: values
                .keys()
                .filter(|k| form.field(k).is_none())
                .cloned()
                .collect(),
            values: values.clone(),
            calculated: BTreeMap::new(),
            problems: Vec::new(),
        };
        let mut levels = vec![Level::top(&form.fields)];
        state.compute(&mut levels);
        state
    }

    fn scope<'s>(
        &'s self,
        levels: &'s [Level<'f>],
        current: Option<&'s Value>,
        choice: Option<&'f ChoiceDef>,
    ) -> FormScope<'s, 'f> {
        FormScope {
            root: &self.form.fields,
            levels,
            values: &self.values,
            current,
            choice,
            today: self.today,
        }
    }

    /// Evaluates `src` at `levels` with `.` = the value at `path`.
    fn eval(&self, levels: &[Level<'f>], path: &str, src: &str) -> Result<ExprValue, String> {
        let expr = Expr::parse_cached(src).map_err(|e| e.to_string())?;
        expr.eval(&self.scope(levels, self.values.get(path), None))
            .map_err(|e| e.to_string())
    }

    /// The field's own relevance (not its groups'); a wrong expression counts as relevant.
    fn relevance(
        &self,
        levels: &[Level<'f>],
        field: &FieldDef,
        path: &str,
    ) -> Result<bool, String> {
        match &field.relevant {
            None => Ok(true),
            Some(src) => self.eval(levels, path, src).map(|v| v.to_bool()),
        }
    }

    fn clear(&mut self, path: &str) {
        self.values.remove(path);
        let rows = format!("{path}[");
        let keys: Vec<String> = self
            .values
            .range(rows.clone()..)
            .map(|(k, _)| k)
            .take_while(|k| k.starts_with(&rows))
            .cloned()
            .collect();
        for k in keys {
            self.values.remove(&k);
        }
    }

    fn compute(&mut self, levels: &mut Vec<Level<'f>>) {
        let Some(level) = levels.last().cloned() else {
            return;
        };
        for f in level.fields {
            let path = format!("{}{}", level.prefix, f.name);
            if !self.relevance(levels, f, &path).unwrap_or(true) {
                self.clear(&path);
                continue;
            }
            if let FieldKind::Repeat { .. } = f.kind {
                for i in repeat_rows(&self.values, &path) {
                    levels.push(level.row(f, i));
                    self.compute(levels);
                    levels.pop();
                }
                continue;
            }
            let Some(src) = f.calculation.as_deref().filter(|_| f.kind.holds_value()) else {
                continue;
            };
            let result = self
                .eval(levels, &path, src)
                .and_then(|v| f.kind.from_result(f, v));
            match result {
                Ok(Some(v)) => {
                    self.values.insert(path.clone(), v.clone());
                    self.calculated.insert(path, v);
                }
                Ok(None) => {
                    self.values.remove(&path);
                }
                Err(e) => {
                    self.values.remove(&path);
                    self.problems
                        .push(rule_problem(&path, &level.row, f, Rule::Calculation, &e));
                }
            }
        }
    }

    /// The values as the form sees them: calculated fields set, non-relevant fields removed.
    pub fn values(&self) -> &BTreeMap<String, Value> {
        &self.values
    }

    /// The value at a field path, as the form sees it.
    pub fn value(&self, path: &str) -> Option<&Value> {
        self.values.get(path)
    }

    /// The calculated values (field path → value).
    pub fn calculated(&self) -> &BTreeMap<String, Value> {
        &self.calculated
    }

    /// Walks `path` (`name`, `group[2]/name`) to the field and the levels it lives at; `f`
    /// is called for every field along the way (groups, then the field) and may stop the
    /// walk by returning false.
    fn walk(
        &self,
        path: &str,
        mut f: impl FnMut(&[Level<'f>], &'f FieldDef, &str) -> bool,
    ) -> Option<(Vec<Level<'f>>, &'f FieldDef)> {
        let segs = split_path(path)?;
        let mut levels = vec![Level::top(&self.form.fields)];
        let last = segs.len().checked_sub(1)?;
        for (i, (name, idx)) in segs.into_iter().enumerate() {
            let level = levels.last()?.clone();
            let field = level.fields.iter().find(|fl| fl.name == name)?;
            let here = format!("{}{name}", level.prefix);
            if !f(&levels, field, &here) {
                return None;
            }
            match (i == last, idx, &field.kind) {
                (true, None, _) => return Some((levels, field)),
                (false, Some(i), FieldKind::Repeat { .. }) => levels.push(level.row(field, i)),
                _ => return None,
            }
        }
        None
    }

    /// Whether the field at `path` is relevant: its own `relevant` and those of the groups
    /// around it hold (a wrong expression counts as relevant). False for an unknown path.
    pub fn is_relevant(&self, path: &str) -> bool {
        let mut relevant = true;
        let found = self.walk(path, |levels, field, here| {
            relevant = self.relevance(levels, field, here).unwrap_or(true);
            relevant
        });
        found.is_some() && relevant
    }

    /// The choices the field at `path` offers (its choice filter applied; all of them when
    /// the filter is wrong).
    pub fn choices(&self, path: &str) -> Vec<&'f ChoiceDef> {
        match self.walk(path, |_, _, _| true) {
            Some((levels, field)) => self
                .filtered(&levels, field, path)
                .unwrap_or_else(|_| field.choices.iter().collect()),
            None => Vec::new(),
        }
    }

    fn filtered(
        &self,
        levels: &[Level<'f>],
        field: &'f FieldDef,
        path: &str,
    ) -> Result<Vec<&'f ChoiceDef>, String> {
        let Some(src) = &field.choice_filter else {
            return Ok(field.choices.iter().collect());
        };
        let expr = Expr::parse_cached(src).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        for c in &field.choices {
            let scope = self.scope(levels, self.values.get(path), Some(c));
            if expr.eval_bool(&scope).map_err(|e| e.to_string())? {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Every issue of the values: required fields (when relevant), values of the wrong
    /// kind, choices not in the list or not allowed by the choice filter, constraints;
    /// repeat groups row by row. Wrong expressions of the form are warnings; values of
    /// non-relevant fields are ignored; values naming no field of the form are warnings.
    pub fn validate(&self) -> Vec<FieldIssue> {
        let mut out = self.problems.clone();
        // Size limits (crate::limits): an oversized value is refused as the user's input.
        let label = |p: &str| {
            self.form
                .field(p)
                .map_or_else(|| p.to_owned(), |f| f.display_label().to_owned())
        };
        out.extend(
            crate::limits::record_limit_issues(&self.values, label)
                .into_iter()
                .map(|e| FieldIssue::error(e.field.as_deref().unwrap_or_default(), e.to_string())),
        );
        let mut levels = vec![Level::top(&self.form.fields)];
        self.check(&mut levels, &mut out);
        for key in &self.unknown {
            out.push(FieldIssue::warning(
                key,
                format!("表单“{}”没有字段“{key}”，这个值不会使用", self.form.title),
            ));
        }
        out
    }

    fn check(&self, levels: &mut Vec<Level<'f>>, out: &mut Vec<FieldIssue>) {
        let Some(level) = levels.last().cloned() else {
            return;
        };
        let at = row_prefix(&level.row);
        for f in level.fields {
            let path = format!("{}{}", level.prefix, f.name);
            let label = f.display_label();
            match self.relevance(levels, f, &path) {
                Ok(false) => continue,
                Ok(true) => {}
                Err(e) => out.push(rule_problem(&path, &level.row, f, Rule::Relevant, &e)),
            }
            if let FieldKind::Repeat { .. } = f.kind {
                let rows = repeat_rows(&self.values, &path);
                if f.required && rows.is_empty() {
                    out.push(FieldIssue::error(
                        &path,
                        format!("{at}请至少填写一行“{label}”"),
                    ));
                }
                for i in rows {
                    levels.push(level.row(f, i));
                    self.check(levels, out);
                    levels.pop();
                }
                continue;
            }
            if !f.kind.holds_value() {
                continue;
            }
            let Some(value) = self.values.get(&path).filter(|v| !is_blank(v)) else {
                if f.required && f.accepts_input() {
                    out.push(FieldIssue::error(&path, format!("{at}请填写“{label}”")));
                }
                continue;
            };
            if let Err(m) = f.kind.check_value(f, value) {
                out.push(FieldIssue::error(&path, format!("{at}{m}")));
                continue;
            }
            if f.choice_filter.is_some() {
                match self.filtered(levels, f, &path) {
                    Ok(allowed) => {
                        for name in selected_names(value) {
                            if !allowed.iter().any(|c| &c.name == name) {
                                let shown =
                                    f.choice(name).map_or(name.as_str(), |c| c.label.as_str());
                                out.push(FieldIssue::error(
                                    &path,
                                    format!("{at}“{label}”不能选“{shown}”（不符合选项筛选条件）"),
                                ));
                            }
                        }
                    }
                    Err(e) => out.push(rule_problem(&path, &level.row, f, Rule::ChoiceFilter, &e)),
                }
            }
            if let Some(src) = &f.constraint {
                match self.eval(levels, &path, src) {
                    Ok(v) if v.to_bool() => {}
                    Ok(_) => {
                        let message = match f.constraint_message.as_deref().map(str::trim) {
                            Some(m) if !m.is_empty() => m.to_owned(),
                            _ => format!("“{label}”的值不符合要求（{src}）"),
                        };
                        out.push(FieldIssue::error(&path, format!("{at}{message}")));
                    }
                    Err(e) => out.push(rule_problem(&path, &level.row, f, Rule::Constraint, &e)),
                }
            }
        }
    }
}

/// Issues of a record's values (see [`FormState::validate`]).
pub fn validate(
    form: &FormDef,
    values: &BTreeMap<String, Value>,
    today: NaiveDate,
) -> Vec<FieldIssue> {
    FormState::new(form, values, today).validate()
}

/// The calculated fields' values (field path → value), in field order so later
/// calculations read earlier ones; non-relevant and empty results are left out.
pub fn calculate(
    form: &FormDef,
    values: &BTreeMap<String, Value>,
    today: NaiveDate,
) -> BTreeMap<String, Value> {
    FormState::new(form, values, today).calculated().clone()
}

/// Whether the field at `field_name` (`name`, `group[2]/name`) is relevant for `values`.
pub fn is_relevant(
    form: &FormDef,
    values: &BTreeMap<String, Value>,
    field_name: &str,
    today: NaiveDate,
) -> bool {
    FormState::new(form, values, today).is_relevant(field_name)
}

fn problems_of(
    fields: &[FieldDef],
    root: &[FieldDef],
    seen: &mut BTreeSet<String>,
    out: &mut Vec<String>,
) {
    for f in fields {
        let label = f.display_label();
        if !seen.insert(f.name.clone()) {
            out.push(format!("字段名“{}”重复", f.name));
        }
        let exprs = [
            (Rule::Relevant, &f.relevant),
            (Rule::Constraint, &f.constraint),
            (Rule::Calculation, &f.calculation),
            (Rule::ChoiceFilter, &f.choice_filter),
        ];
        for (rule, src) in exprs {
            let Some(src) = src else { continue };
            match Expr::parse(src) {
                Err(e) => out.push(format!("“{label}”的{}：{e}", rule.label_zh())),
                Ok(expr) => {
                    for name in expr.fields() {
                        if !contains_field(root, &name) {
                            out.push(format!(
                                "“{label}”的{}引用了不存在的字段“{name}”",
                                rule.label_zh()
                            ));
                        }
                    }
                    for name in expr.names() {
                        let choice_column = matches!(rule, Rule::ChoiceFilter)
                            && matches!(name.as_str(), "name" | "label" | "filter");
                        if !choice_column {
                            out.push(format!(
                                "“{label}”的{}中有不认识的名称“{name}”",
                                rule.label_zh()
                            ));
                        }
                    }
                }
            }
        }
        if f.calculation.is_some() && !f.kind.holds_value() {
            out.push(format!("“{label}”是{}，不能有计算公式", f.kind.label_zh()));
        }
        if let Some(d) = &f.default
            && let Err(e) = parse_input(f, d)
        {
            out.push(format!("“{label}”的默认值有误：{e}"));
        }
        let select = matches!(f.kind, FieldKind::SelectOne | FieldKind::SelectMany);
        if select && f.choices.is_empty() {
            out.push(format!("“{label}”没有选项"));
        }
        let mut names = BTreeSet::new();
        for c in &f.choices {
            if !names.insert(c.name.as_str()) {
                out.push(format!("“{label}”的选项“{}”重复", c.name));
            }
        }
        problems_of(f.children(), root, seen, out);
    }
}

impl FormDef {
    /// The field at `path` (`name`, `group[2]/name`; the group itself as `group`).
    pub fn field(&self, path: &str) -> Option<&FieldDef> {
        let segs = split_path(path)?;
        let last = segs.len().checked_sub(1)?;
        let mut fields = self.fields.as_slice();
        for (i, (name, idx)) in segs.into_iter().enumerate() {
            let f = fields.iter().find(|f| f.name == name)?;
            match (i == last, idx, &f.kind) {
                (true, None, _) => return Some(f),
                (false, Some(_), FieldKind::Repeat { fields: inner }) => fields = inner,
                _ => return None,
            }
        }
        None
    }

    /// Every field, depth first (a group, then its fields).
    pub fn all_fields(&self) -> Vec<&FieldDef> {
        fn walk<'f>(fields: &'f [FieldDef], out: &mut Vec<&'f FieldDef>) {
            for f in fields {
                out.push(f);
                walk(f.children(), out);
            }
        }
        let mut out = Vec::new();
        walk(&self.fields, &mut out);
        out
    }

    /// What is wrong with the definition itself: expressions that do not parse or name
    /// fields the form lacks, defaults that do not parse, duplicate names, selects without
    /// choices. Empty for a good form.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        problems_of(&self.fields, &self.fields, &mut BTreeSet::new(), &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 8, 1).unwrap()
    }

    fn vals(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    fn one(name: &str) -> Value {
        Value::Choices(vec![name.to_owned()])
    }

    fn text(s: &str) -> Value {
        Value::Text(s.to_owned())
    }

    /// A few fields of the coal plugin's 煤矿台账, built by hand.
    fn coal() -> FormDef {
        use FieldKind as K;
        let yes_no = |n: &str, l: &str| FieldDef::new(n, K::YesNo, l).default_value("no");
        FormDef {
            id: "coal-mining/mine-register".into(),
            title: "煤矿台账".into(),
            version: "1.0.0".into(),
            fields: vec![
                FieldDef::new("intro", K::Note, "按方案登记全区煤矿，一矿一条。"),
                FieldDef::new("name", K::Text, "煤矿名称").required(),
                FieldDef::new("town", K::TownRef, "所在镇(街道)").required(),
                FieldDef::new("ownership", K::SelectOne, "所有制")
                    .required()
                    .choices(&[("state", "国有"), ("provincial", "省属"), ("private", "民营")]),
                FieldDef::new("scale", K::SelectOne, "矿井规模")
                    .required()
                    .choices(&[("large", "大型"), ("medium", "中型"), ("small", "小型")]),
                FieldDef::new("capacity", K::Decimal, "核定(设计)产能")
                    .required()
                    .unit("万吨/年")
                    .constraint(". >= 0 and . <= 5000", "产能应在0至5000万吨/年之间"),
                FieldDef::new("gas_class", K::SelectOne, "瓦斯等级")
                    .required()
                    .choices(&[("outburst", "煤与瓦斯突出"), ("high", "高瓦斯"), ("other", "其他")]),
                FieldDef::new("group", K::SelectOne, "整治分类")
                    .required()
                    .choices(&[
                        ("keep", "单独保留"),
                        ("merge_keep", "整合保留"),
                        ("merge_close", "整合关闭"),
                        ("close", "关闭退出"),
                    ]),
                FieldDef::new("merge_group", K::Text, "整合重组组别")
                    .required()
                    .relevant("${group} = 'merge_keep' or ${group} = 'merge_close'"),
                FieldDef::new("automated_faces", K::Integer, "自动化无人(少人)采煤工作面")
                    .constraint(". >= 0 and . <= 50", "工作面个数应在0至50之间"),
                yes_no("in_enhong", "位于恩洪矿区"),
                yes_no("same_seam", "开采煤层与发生过突出事故的煤层为同一煤层"),
                yes_no("below_outburst_level", "开拓开采标高在始突标高以下"),
                FieldDef::new("needs_assessment", K::Calculate, "需开展突出危险性鉴定")
                    .read_only()
                    .calculation(
                        "${in_enhong} = 'yes' and ${same_seam} = 'yes' and ${below_outburst_level} = 'yes'",
                    ),
                FieldDef::new("outburst_assessed", K::Date, "最近一次突出危险性鉴定日期")
                    .relevant("${needs_assessment} = 'yes'"),
                FieldDef::new("monitoring_deadline", K::Calculate, "监控系统升级期限")
                    .read_only()
                    .calculation(
                        "if(${scale} = 'large' or ${gas_class} = 'outburst', '2020-06-30', '2020-12-30')",
                    ),
                FieldDef::new("monitoring_upgraded", K::Date, "安全监控系统升级改造验收日期")
                    .constraint(". <= today()", "验收日期不能晚于今天"),
                FieldDef::new("overdue", K::Calculate, "监控升级逾期")
                    .calculation("${monitoring_upgraded} = '' and today() > ${monitoring_deadline}"),
            ],
        }
    }

    fn good_mine() -> BTreeMap<String, Value> {
        let mut v = defaults(&coal());
        v.extend(vals(&[
            ("name", text("越州煤矿")),
            ("town", text("越州镇")),
            ("ownership", one("private")),
            ("scale", one("medium")),
            ("capacity", Value::Decimal(45.0)),
            ("gas_class", one("other")),
            ("group", one("keep")),
            ("monitoring_upgraded", Value::Date("2020-06-01".into())),
        ]));
        v
    }

    fn issues_of(form: &FormDef, v: &BTreeMap<String, Value>) -> Vec<(String, Severity, String)> {
        validate(form, v, today())
            .into_iter()
            .map(|i| (i.field, i.severity, i.message))
            .collect()
    }

    fn field<'a>(form: &'a FormDef, name: &str) -> &'a FieldDef {
        form.field(name).unwrap()
    }

    // ---- parse_input, per kind ----

    #[test]
    fn parse_text_and_refs() {
        let f = FieldDef::new("name", FieldKind::Text, "煤矿名称");
        assert_eq!(
            parse_input(&f, "  越州煤矿 ").unwrap(),
            Some(text("越州煤矿"))
        );
        assert_eq!(parse_input(&f, "   ").unwrap(), None);
        assert_eq!(parse_input(&f, "").unwrap(), None);
        for kind in [
            FieldKind::UnitRef,
            FieldKind::TownRef,
            FieldKind::EnterpriseRef,
        ] {
            let f = FieldDef::new("x", kind, "单位");
            assert_eq!(parse_input(&f, "区能源局").unwrap(), Some(text("区能源局")));
        }
    }

    #[test]
    fn parse_integer_input() {
        let f = FieldDef::new("faces", FieldKind::Integer, "采煤工作面");
        assert_eq!(parse_input(&f, "12").unwrap(), Some(Value::Integer(12)));
        assert_eq!(parse_input(&f, " -3 ").unwrap(), Some(Value::Integer(-3)));
        assert_eq!(parse_input(&f, "+7").unwrap(), Some(Value::Integer(7)));
        assert_eq!(parse_input(&f, "１２").unwrap(), Some(Value::Integer(12)));
        for bad in ["abc", "1.5", "1e3", "12个", "-", "99999999999999999999"] {
            let e = parse_input(&f, bad).unwrap_err();
            assert_eq!(e, format!("“采煤工作面”应为整数，填写的是“{bad}”"));
        }
    }

    #[test]
    fn parse_decimal_input() {
        let f = FieldDef::new("capacity", FieldKind::Decimal, "核定(设计)产能");
        assert_eq!(parse_input(&f, "45").unwrap(), Some(Value::Decimal(45.0)));
        assert_eq!(parse_input(&f, " 4.5 ").unwrap(), Some(Value::Decimal(4.5)));
        assert_eq!(parse_input(&f, ".5").unwrap(), Some(Value::Decimal(0.5)));
        assert_eq!(
            parse_input(&f, "４５．５").unwrap(),
            Some(Value::Decimal(45.5))
        );
        assert_eq!(parse_input(&f, "－3").unwrap(), Some(Value::Decimal(-3.0)));
        assert_eq!(
            parse_input(&f, "abc").unwrap_err(),
            "“核定(设计)产能”应为数字，填写的是“abc”"
        );
        for bad in ["inf", "NaN", "1.2.3", "1e5", "45万", "."] {
            assert!(
                parse_input(&f, bad)
                    .unwrap_err()
                    .contains("“核定(设计)产能”应为数字")
            );
        }
    }

    #[test]
    fn parse_date_input_normalises() {
        let f = FieldDef::new("d", FieldKind::Date, "验收日期");
        for typed in [
            "2020-06-30",
            "2020-6-30",
            "2020/6/30",
            "2020.6.30",
            "2020年6月30日",
            "2020年06月30号",
            "2020年6月30",
            "２０２０年６月３０日",
            " 2020 / 6 / 30 ",
        ] {
            assert_eq!(
                parse_input(&f, typed).unwrap(),
                Some(Value::Date("2020-06-30".into())),
                "{typed}"
            );
        }
        for bad in [
            "2020-02-30",
            "20-6-30",
            "2020-6",
            "明天",
            "2020/13/1",
            "30/6/2020",
        ] {
            let e = parse_input(&f, bad).unwrap_err();
            assert!(e.starts_with("“验收日期”应为日期"), "{bad}: {e}");
            assert!(e.ends_with(&format!("填写的是“{bad}”")), "{e}");
        }
    }

    #[test]
    fn parse_select_one_by_name_or_label() {
        let f = field(&coal(), "ownership").clone();
        assert_eq!(parse_input(&f, "private").unwrap(), Some(one("private")));
        assert_eq!(parse_input(&f, "Private").unwrap(), Some(one("private")));
        assert_eq!(parse_input(&f, " 民营 ").unwrap(), Some(one("private")));
        assert_eq!(
            parse_input(&f, "集体").unwrap_err(),
            "“所有制”没有选项“集体”，可选：国有、省属、民营"
        );
    }

    #[test]
    fn parse_select_many() {
        let f = FieldDef::new("hazards", FieldKind::SelectMany, "灾害类型").choices(&[
            ("gas", "瓦斯"),
            ("water", "水害"),
            ("fire", "火灾"),
        ]);
        let want = Value::Choices(vec!["gas".into(), "water".into()]);
        assert_eq!(parse_input(&f, "瓦斯、水害").unwrap(), Some(want.clone()));
        assert_eq!(parse_input(&f, "gas water").unwrap(), Some(want.clone()));
        assert_eq!(parse_input(&f, "瓦斯，water,瓦斯").unwrap(), Some(want));
        let e = parse_input(&f, "瓦斯、冒顶").unwrap_err();
        assert_eq!(e, "“灾害类型”没有选项“冒顶”，可选：瓦斯、水害、火灾");
    }

    #[test]
    fn parse_yes_no() {
        let f = FieldDef::new("in_enhong", FieldKind::YesNo, "位于恩洪矿区");
        for y in ["是", "yes", "YES", "y", "true", "1"] {
            assert_eq!(parse_input(&f, y).unwrap(), Some(Value::Flag(true)), "{y}");
        }
        for n in ["否", "no", "N", "false", "0"] {
            assert_eq!(parse_input(&f, n).unwrap(), Some(Value::Flag(false)), "{n}");
        }
        assert_eq!(
            parse_input(&f, "也许").unwrap_err(),
            "“位于恩洪矿区”应填“是”或“否”，填写的是“也许”"
        );
    }

    #[test]
    fn notes_calculations_and_groups_take_no_input() {
        let note = FieldDef::new("intro", FieldKind::Note, "说明");
        assert!(
            parse_input(&note, "x")
                .unwrap_err()
                .contains("“说明”是说明文字")
        );
        let calc = FieldDef::new("c", FieldKind::Calculate, "监控系统升级期限");
        assert!(
            parse_input(&calc, "x")
                .unwrap_err()
                .contains("“监控系统升级期限”由系统计算")
        );
        let group = FieldDef::repeat("rows", "整改明细", vec![]);
        assert!(
            parse_input(&group, "x")
                .unwrap_err()
                .contains("“整改明细”是重复组")
        );
        assert!(!calc.accepts_input() && !note.accepts_input() && !group.accepts_input());
        // an empty label falls back to the name
        let unnamed = FieldDef::new("depth", FieldKind::Integer, "");
        assert!(parse_input(&unnamed, "x").unwrap_err().contains("“depth”"));
    }

    // ---- check_value: kind mismatches ----

    #[test]
    fn values_of_the_wrong_kind_are_errors() {
        let form = coal();
        let mut v = good_mine();
        v.insert("capacity".into(), text("60"));
        v.insert("ownership".into(), text("private"));
        v.insert("automated_faces".into(), Value::Decimal(2.5));
        v.insert("in_enhong".into(), text("yes"));
        v.insert(
            "monitoring_upgraded".into(),
            Value::Date("2020-02-30".into()),
        );
        v.insert(
            "scale".into(),
            Value::Choices(vec!["large".into(), "small".into()]),
        );
        let issues = issues_of(&form, &v);
        let msg = |f: &str| {
            issues
                .iter()
                .find(|(n, ..)| n == f)
                .map(|(_, s, m)| {
                    assert_eq!(*s, Severity::Error);
                    m.clone()
                })
                .unwrap_or_else(|| panic!("no issue for {f}: {issues:?}"))
        };
        assert_eq!(
            msg("capacity"),
            "“核定(设计)产能”应为数字，记录中是文本“60”"
        );
        assert_eq!(msg("ownership"), "“所有制”应为单选，记录中是文本“private”");
        assert_eq!(
            msg("automated_faces"),
            "“自动化无人(少人)采煤工作面”应为整数，记录中是数字2.5"
        );
        assert!(msg("in_enhong").contains("应为是/否"));
        assert_eq!(
            msg("monitoring_upgraded"),
            "“安全监控系统升级改造验收日期”的日期“2020-02-30”无效"
        );
        assert_eq!(msg("scale"), "“矿井规模”只能选一项，记录中选了2项");
        // a decimal field takes an integer
        let mut v = good_mine();
        v.insert("capacity".into(), Value::Integer(45));
        assert!(issues_of(&form, &v).is_empty());
    }

    #[test]
    fn a_choice_not_in_the_list_is_an_error() {
        let mut v = good_mine();
        v.insert("ownership".into(), one("collective"));
        let issues = issues_of(&coal(), &v);
        assert_eq!(
            issues,
            [(
                "ownership".to_owned(),
                Severity::Error,
                "“所有制”没有选项“collective”，可选：国有、省属、民营".to_owned()
            )]
        );
    }

    // ---- required / relevant / constraint / calculate ----

    #[test]
    fn a_good_mine_has_no_issues() {
        let issues = issues_of(&coal(), &good_mine());
        assert!(issues.is_empty(), "{issues:?}");
    }

    #[test]
    fn required_fields_are_reported_by_label() {
        let mut v = good_mine();
        v.remove("name");
        v.insert("town".into(), text("  "));
        v.insert("ownership".into(), Value::Choices(vec![]));
        let issues = issues_of(&coal(), &v);
        assert_eq!(
            issues,
            [
                (
                    "name".to_owned(),
                    Severity::Error,
                    "请填写“煤矿名称”".to_owned()
                ),
                (
                    "town".to_owned(),
                    Severity::Error,
                    "请填写“所在镇(街道)”".to_owned()
                ),
                (
                    "ownership".to_owned(),
                    Severity::Error,
                    "请填写“所有制”".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn required_only_when_relevant_and_non_relevant_values_are_ignored() {
        let form = coal();
        let mut v = good_mine();
        // 单独保留: 整合重组组别 is not relevant, so neither required nor checked
        assert!(!is_relevant(&form, &v, "merge_group", today()));
        v.insert("merge_group".into(), Value::Integer(3)); // wrong kind, but ignored
        assert!(issues_of(&form, &v).is_empty());
        assert!(
            !FormState::new(&form, &v, today())
                .values()
                .contains_key("merge_group")
        );
        // 整合保留: now required, and checked
        v.insert("group".into(), one("merge_keep"));
        assert!(is_relevant(&form, &v, "merge_group", today()));
        let issues = issues_of(&form, &v);
        assert_eq!(issues.len(), 1);
        assert!(issues[0].2.contains("应为文本"), "{issues:?}");
        v.remove("merge_group");
        assert_eq!(
            issues_of(&form, &v),
            [(
                "merge_group".to_owned(),
                Severity::Error,
                "请填写“整合重组组别”".to_owned()
            )]
        );
        v.insert("group".into(), one("merge_close"));
        v.insert("merge_group".into(), text("第一组"));
        assert!(issues_of(&form, &v).is_empty());
        assert!(is_relevant(&form, &v, "name", today()));
        assert!(!is_relevant(&form, &v, "no_such_field", today()));
    }

    #[test]
    fn constraints_use_the_fields_value_and_message() {
        let form = coal();
        let mut v = good_mine();
        v.insert("capacity".into(), Value::Decimal(6000.0));
        v.insert("automated_faces".into(), Value::Integer(-1));
        let issues = issues_of(&form, &v);
        assert_eq!(
            issues,
            [
                (
                    "capacity".to_owned(),
                    Severity::Error,
                    "产能应在0至5000万吨/年之间".to_owned()
                ),
                (
                    "automated_faces".to_owned(),
                    Severity::Error,
                    "工作面个数应在0至50之间".to_owned()
                ),
            ]
        );
        for ok in [0.0, 5000.0, 45.5] {
            v.insert("capacity".into(), Value::Decimal(ok));
            v.insert("automated_faces".into(), Value::Integer(50));
            assert!(issues_of(&form, &v).is_empty(), "{ok}");
        }
        // constraints with today(): the caller's date
        v.insert(
            "monitoring_upgraded".into(),
            Value::Date("2020-08-02".into()),
        );
        assert_eq!(issues_of(&form, &v)[0].2, "验收日期不能晚于今天");
        // without a message, the label and the expression
        let mut form = coal();
        if let Some(f) = form.fields.iter_mut().find(|f| f.name == "capacity") {
            f.constraint_message = None;
        }
        v.insert(
            "monitoring_upgraded".into(),
            Value::Date("2020-06-01".into()),
        );
        v.insert("capacity".into(), Value::Decimal(-1.0));
        assert_eq!(
            issues_of(&form, &v)[0].2,
            "“核定(设计)产能”的值不符合要求（. >= 0 and . <= 5000）"
        );
    }

    #[test]
    fn calculations_run_in_order_and_feed_relevance() {
        let form = coal();
        let mut v = good_mine();
        let calc = calculate(&form, &v, today());
        assert_eq!(calc.get("needs_assessment"), Some(&Value::Flag(false)));
        assert_eq!(
            calc.get("monitoring_deadline"),
            Some(&Value::Date("2020-12-30".into()))
        );
        assert_eq!(calc.get("overdue"), Some(&Value::Flag(false)));
        assert!(!is_relevant(&form, &v, "outburst_assessed", today()));
        // all three yes → the assessment is needed → the date field becomes relevant
        for f in ["in_enhong", "same_seam", "below_outburst_level"] {
            v.insert(f.into(), Value::Flag(true));
        }
        v.insert("scale".into(), one("large"));
        v.remove("monitoring_upgraded");
        let calc = calculate(&form, &v, today());
        assert_eq!(calc.get("needs_assessment"), Some(&Value::Flag(true)));
        assert_eq!(
            calc.get("monitoring_deadline"),
            Some(&Value::Date("2020-06-30".into()))
        );
        // later calculation reads the earlier one: 2020-08-01 > 2020-06-30, nothing upgraded
        assert_eq!(calc.get("overdue"), Some(&Value::Flag(true)));
        assert!(is_relevant(&form, &v, "outburst_assessed", today()));
        // a stored value of a calculate field is replaced, never trusted
        v.insert("monitoring_deadline".into(), text("whenever"));
        let state = FormState::new(&form, &v, today());
        assert_eq!(
            state.value("monitoring_deadline"),
            Some(&Value::Date("2020-06-30".into()))
        );
        // the outburst class alone also gives the June deadline
        let mut v = good_mine();
        v.insert("gas_class".into(), one("outburst"));
        assert_eq!(
            calculate(&form, &v, today()).get("monitoring_deadline"),
            Some(&Value::Date("2020-06-30".into()))
        );
    }

    #[test]
    fn calculations_of_typed_fields_and_empty_results() {
        use FieldKind as K;
        let form = FormDef {
            fields: vec![
                FieldDef::new("a", K::Integer, "甲"),
                FieldDef::new("b", K::Integer, "乙"),
                FieldDef::new("sum", K::Integer, "合计")
                    .read_only()
                    .calculation("${a} + ${b}"),
                FieldDef::new("avg", K::Calculate, "平均").calculation("(${a} + ${b}) div 2"),
                FieldDef::new("ratio", K::Calculate, "比").calculation("${a} div ${b}"),
                FieldDef::new("when", K::Date, "日期").calculation("today()"),
                FieldDef::new("label", K::Calculate, "说明").calculation("concat('共', ${sum})"),
            ],
            ..FormDef::default()
        };
        let v = vals(&[("a", Value::Integer(3)), ("b", Value::Integer(4))]);
        let calc = calculate(&form, &v, today());
        assert_eq!(calc["sum"], Value::Integer(7));
        assert_eq!(calc["avg"], Value::Decimal(3.5));
        assert_eq!(calc["when"], Value::Date("2020-08-01".into()));
        assert_eq!(calc["label"], text("共7"));
        assert!(validate(&form, &v, today()).is_empty());
        // a missing operand: no value (NaN), not an error
        let v = vals(&[("a", Value::Integer(3))]);
        let calc = calculate(&form, &v, today());
        assert!(!calc.contains_key("sum") && !calc.contains_key("avg"));
        assert_eq!(calc["label"], text("共"));
        // division by zero: reported as a warning on the field, no value, no panic
        let v = vals(&[("a", Value::Integer(3)), ("b", Value::Integer(0))]);
        assert!(!calculate(&form, &v, today()).contains_key("ratio"));
        let issues = validate(&form, &v, today());
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].field, "ratio");
        assert_eq!(issues[0].severity, Severity::Warning);
        assert!(
            issues[0].message.contains("“比”的计算公式有误"),
            "{}",
            issues[0].message
        );
        assert!(issues[0].message.contains("除数为零"));
    }

    #[test]
    fn wrong_expressions_are_warnings_not_panics() {
        use FieldKind as K;
        let form = FormDef {
            fields: vec![
                FieldDef::new("a", K::Integer, "甲").relevant("${nope} = 1"),
                FieldDef::new("b", K::Integer, "乙").constraint(". >", "x"),
                FieldDef::new("c", K::SelectOne, "丙")
                    .choices(&[("x", "X")])
                    .choice_filter("colour = 'red'"),
                FieldDef::new("d", K::Calculate, "丁").calculation("sum(${a})"),
            ],
            ..FormDef::default()
        };
        let v = vals(&[
            ("a", Value::Integer(1)),
            ("b", Value::Integer(1)),
            ("c", one("x")),
        ]);
        let issues = validate(&form, &v, today());
        let fields: Vec<(&str, Severity)> = issues
            .iter()
            .map(|i| (i.field.as_str(), i.severity))
            .collect();
        assert_eq!(
            fields,
            [
                ("d", Severity::Warning),
                ("a", Severity::Warning),
                ("b", Severity::Warning),
                ("c", Severity::Warning),
            ]
        );
        assert!(issues[1].message.contains("“甲”的显示条件有误"));
        assert!(issues[1].message.contains("表单没有字段“nope”"));
        // a wrong relevance counts as relevant; a wrong filter offers every choice
        assert!(is_relevant(&form, &v, "a", today()));
        assert_eq!(FormState::new(&form, &v, today()).choices("c").len(), 1);
        assert_eq!(choices_for(&form.fields[2], &v, today()).len(), 1);
        assert_eq!(form.problems().len(), 4, "{:?}", form.problems());
    }

    // ---- choice filter ----

    fn filtered_form() -> FormDef {
        use FieldKind as K;
        FormDef {
            fields: vec![
                FieldDef::new("ownership", K::SelectOne, "所有制")
                    .choices(&[("state", "国有"), ("private", "民营")]),
                FieldDef::new("office", K::SelectOne, "监管部门")
                    .filtered_choices(&[
                        ("energy", "区能源局", "state"),
                        ("sasac", "区国资委", "state"),
                        ("town", "镇安办", "private"),
                    ])
                    .choice_filter("filter = ${ownership}"),
            ],
            ..FormDef::default()
        }
    }

    #[test]
    fn choice_filter_limits_the_choices() {
        let form = filtered_form();
        let office = &form.fields[1];
        let names = |cs: Vec<&ChoiceDef>| cs.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        let v = vals(&[("ownership", one("state"))]);
        assert_eq!(names(choices_for(office, &v, today())), ["energy", "sasac"]);
        assert_eq!(
            names(FormState::new(&form, &v, today()).choices("office")),
            ["energy", "sasac"]
        );
        let v = vals(&[("ownership", one("private"))]);
        assert_eq!(names(choices_for(office, &v, today())), ["town"]);
        // nothing chosen yet: filter = '' keeps none
        assert!(choices_for(office, &BTreeMap::new(), today()).is_empty());
        // validation: a choice the filter excludes is an error naming its label
        let v = vals(&[("ownership", one("private")), ("office", one("energy"))]);
        assert_eq!(
            issues_of(&form, &v),
            [(
                "office".to_owned(),
                Severity::Error,
                "“监管部门”不能选“区能源局”（不符合选项筛选条件）".to_owned()
            )]
        );
        let v = vals(&[("ownership", one("private")), ("office", one("town"))]);
        assert!(issues_of(&form, &v).is_empty());
        // no filter: every choice
        assert_eq!(choices_for(&form.fields[0], &v, today()).len(), 2);
    }

    // ---- repeat groups ----

    fn repeat_form() -> FormDef {
        use FieldKind as K;
        FormDef {
            id: "t/hazards".into(),
            title: "隐患排查".into(),
            version: "1".into(),
            fields: vec![
                FieldDef::new("mine", K::Text, "煤矿").required(),
                FieldDef::new("ownership", K::SelectOne, "所有制")
                    .choices(&[("state", "国有"), ("private", "民营")]),
                FieldDef::repeat(
                    "items",
                    "隐患明细",
                    vec![
                        FieldDef::new("what", K::Text, "隐患内容").required(),
                        FieldDef::new("major", K::YesNo, "重大隐患").default_value("否"),
                        FieldDef::new("fixed", K::YesNo, "已整改"),
                        FieldDef::new("fixed_on", K::Date, "整改日期")
                            .required()
                            .relevant("${fixed} = 'yes'")
                            .constraint(". <= today()", "整改日期不能晚于今天"),
                        FieldDef::new("cost", K::Decimal, "整改资金")
                            .constraint(". >= 0", "资金不能为负"),
                        FieldDef::new("office", K::SelectOne, "督办部门")
                            .filtered_choices(&[
                                ("energy", "区能源局", "state"),
                                ("town", "镇安办", "private"),
                            ])
                            .choice_filter("filter = ${ownership}"),
                        FieldDef::new("label", K::Calculate, "摘要")
                            .calculation("concat(${mine}, '：', ${what})"),
                    ],
                )
                .required(),
            ],
        }
    }

    #[test]
    fn repeat_groups_are_validated_row_by_row() {
        let form = repeat_form();
        assert!(form.problems().is_empty(), "{:?}", form.problems());
        let mut v = vals(&[("mine", text("越州煤矿")), ("ownership", one("private"))]);
        assert_eq!(
            issues_of(&form, &v),
            [(
                "items".to_owned(),
                Severity::Error,
                "请至少填写一行“隐患明细”".to_owned()
            )]
        );
        v.extend(row_defaults(form.field("items").unwrap(), "items", 0));
        v.extend(vals(&[
            ("items[0]/what", text("皮带巷积水")),
            ("items[0]/fixed", Value::Flag(false)),
            ("items[2]/fixed", Value::Flag(true)),
            ("items[2]/cost", Value::Decimal(-5.0)),
            ("items[2]/office", one("energy")),
        ]));
        assert_eq!(v["items[0]/major"], Value::Flag(false));
        assert_eq!(repeat_rows(&v, "items"), [0, 2]);
        let issues = issues_of(&form, &v);
        assert_eq!(
            issues,
            [
                (
                    "items[2]/what".to_owned(),
                    Severity::Error,
                    "“隐患明细”第3行：请填写“隐患内容”".to_owned()
                ),
                (
                    "items[2]/fixed_on".to_owned(),
                    Severity::Error,
                    "“隐患明细”第3行：请填写“整改日期”".to_owned()
                ),
                (
                    "items[2]/cost".to_owned(),
                    Severity::Error,
                    "“隐患明细”第3行：资金不能为负".to_owned()
                ),
                (
                    "items[2]/office".to_owned(),
                    Severity::Error,
                    "“隐患明细”第3行：“督办部门”不能选“区能源局”（不符合选项筛选条件）".to_owned()
                ),
            ]
        );
        // relevance and calculations per row, reading the row's own fields and the top's
        assert!(!is_relevant(&form, &v, "items[0]/fixed_on", today()));
        assert!(is_relevant(&form, &v, "items[2]/fixed_on", today()));
        assert!(!is_relevant(&form, &v, "items[1]/fixed_on", today())); // a new row: empty
        let calc = calculate(&form, &v, today());
        assert_eq!(calc["items[0]/label"], text("越州煤矿：皮带巷积水"));
        assert_eq!(calc["items[2]/label"], text("越州煤矿："));
        let state = FormState::new(&form, &v, today());
        let offices: Vec<&str> = state
            .choices("items[2]/office")
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(offices, ["town"]);
        // fixing row 3
        v.extend(vals(&[
            ("items[2]/what", text("瓦斯传感器失效")),
            ("items[2]/fixed_on", Value::Date("2020-07-15".into())),
            ("items[2]/cost", Value::Decimal(1.5)),
            ("items[2]/office", one("town")),
        ]));
        assert!(
            issues_of(&form, &v).is_empty(),
            "{:?}",
            issues_of(&form, &v)
        );
        // a row field's date after today
        v.insert("items[2]/fixed_on".into(), Value::Date("2020-09-01".into()));
        assert_eq!(
            issues_of(&form, &v)[0].2,
            "“隐患明细”第3行：整改日期不能晚于今天"
        );
    }

    #[test]
    fn a_non_relevant_group_ignores_its_rows() {
        let mut form = repeat_form();
        if let Some(g) = form.fields.iter_mut().find(|f| f.name == "items") {
            g.relevant = Some("${mine} != ''".into());
        }
        let v = vals(&[("items[0]/cost", Value::Decimal(-1.0))]);
        assert_eq!(
            issues_of(&form, &v),
            [(
                "mine".to_owned(),
                Severity::Error,
                "请填写“煤矿”".to_owned()
            )]
        );
        assert!(!is_relevant(&form, &v, "items", today()));
        assert!(!is_relevant(&form, &v, "items[0]/cost", today()));
        assert!(FormState::new(&form, &v, today()).values().is_empty());
    }

    #[test]
    fn unknown_keys_are_warnings() {
        let form = repeat_form();
        let v = vals(&[
            ("mine", text("越州煤矿")),
            ("items[0]/what", text("积水")),
            ("items[0]/colour", text("红")),
            ("items[01]/what", text("x")),
            ("gone", text("旧字段")),
        ]);
        let issues = issues_of(&form, &v);
        let warned: Vec<&str> = issues
            .iter()
            .filter(|(_, s, _)| *s == Severity::Warning)
            .map(|(f, ..)| f.as_str())
            .collect();
        // (BTreeMap order: '1' sorts before ']')
        assert_eq!(warned, ["gone", "items[01]/what", "items[0]/colour"]);
        assert!(
            issues.iter().all(|(_, s, _)| *s == Severity::Warning),
            "{issues:?}"
        );
    }

    #[test]
    fn field_paths_resolve() {
        let form = repeat_form();
        assert_eq!(form.field("mine").unwrap().label, "煤矿");
        assert_eq!(form.field("items").unwrap().label, "隐患明细");
        assert_eq!(form.field("items[3]/cost").unwrap().label, "整改资金");
        assert!(form.field("items/cost").is_none());
        assert!(form.field("mine[0]/x").is_none());
        assert!(form.field("items[0]").is_none());
        assert!(form.field("cost").is_none());
        assert!(form.field("").is_none());
        assert_eq!(form.all_fields().len(), 10);
    }

    #[test]
    fn nested_repeat_groups() {
        use FieldKind as K;
        let form = FormDef {
            fields: vec![
                FieldDef::new("unit", K::Text, "单位"),
                FieldDef::repeat(
                    "mines",
                    "煤矿",
                    vec![
                        FieldDef::new("name", K::Text, "名称"),
                        FieldDef::repeat(
                            "faces",
                            "工作面",
                            vec![
                                FieldDef::new("len", K::Decimal, "长度")
                                    .required()
                                    .relevant("${name} != ''"),
                            ],
                        ),
                    ],
                ),
            ],
            ..FormDef::default()
        };
        let v = vals(&[
            ("mines[0]/name", text("甲矿")),
            ("mines[0]/faces[1]/len", text("x")),
            ("mines[1]/faces[0]/len", Value::Decimal(1.0)),
        ]);
        let issues = issues_of(&form, &v);
        assert_eq!(
            issues,
            [(
                "mines[0]/faces[1]/len".to_owned(),
                Severity::Error,
                "“煤矿”第1行“工作面”第2行：“长度”应为数字，记录中是文本“x”".to_owned()
            )]
        );
        assert!(is_relevant(&form, &v, "mines[0]/faces[0]/len", today()));
        assert!(!is_relevant(&form, &v, "mines[1]/faces[0]/len", today()));
    }

    // ---- defaults, display, serde ----

    #[test]
    fn defaults_parse_like_input() {
        let form = coal();
        let d = defaults(&form);
        assert_eq!(d["in_enhong"], Value::Flag(false));
        assert_eq!(d.len(), 3);
        let bad = FormDef {
            fields: vec![FieldDef::new("n", FieldKind::Integer, "数量").default_value("许多")],
            ..FormDef::default()
        };
        assert!(defaults(&bad).is_empty());
        assert_eq!(
            bad.problems(),
            ["“数量”的默认值有误：“数量”应为整数，填写的是“许多”"]
        );
    }

    #[test]
    fn display_values() {
        let form = coal();
        assert_eq!(
            field(&form, "ownership").display_value(&one("private")),
            "民营"
        );
        assert_eq!(
            field(&form, "in_enhong").display_value(&Value::Flag(true)),
            "是"
        );
        assert_eq!(
            field(&form, "capacity").display_value(&Value::Decimal(45.0)),
            "45"
        );
        assert_eq!(
            field(&form, "capacity").display_value(&Value::Decimal(4.5)),
            "4.5"
        );
    }

    #[test]
    fn the_coal_form_has_no_problems_and_problems_are_found() {
        assert!(coal().problems().is_empty(), "{:?}", coal().problems());
        use FieldKind as K;
        let form = FormDef {
            fields: vec![
                FieldDef::new("a", K::SelectOne, "甲"),
                FieldDef::new("a", K::Text, "乙").relevant("${b} = 1 or"),
                FieldDef::new("c", K::Text, "丙").relevant("${zzz} = 1"),
                FieldDef::new("d", K::Note, "丁").calculation("1"),
                FieldDef::new("e", K::SelectOne, "戊").choices(&[("x", "X"), ("x", "Y")]),
            ],
            ..FormDef::default()
        };
        let p = form.problems();
        assert_eq!(p.len(), 6, "{p:?}");
        assert!(p.contains(&"“甲”没有选项".to_owned()));
        assert!(p.contains(&"字段名“a”重复".to_owned()));
        assert!(p.contains(&"“丙”的显示条件引用了不存在的字段“zzz”".to_owned()));
        assert!(p.contains(&"“丁”是说明，不能有计算公式".to_owned()));
        assert!(p.contains(&"“戊”的选项“x”重复".to_owned()));
        assert!(p.iter().any(|m| m.starts_with("“乙”的显示条件：表达式")));
    }

    #[test]
    fn form_defs_round_trip_through_json() {
        let form = repeat_form();
        let json = serde_json::to_string(&form).unwrap();
        assert!(json.contains("\"select_one\""), "{json}");
        assert!(json.contains("\"repeat\":{\"fields\""), "{json}");
        let back: FormDef = serde_json::from_str(&json).unwrap();
        assert_eq!(back, form);
        // missing optional members take their defaults
        let minimal: FieldDef =
            serde_json::from_str(r#"{"name":"x","kind":"yes_no","label":"X"}"#).unwrap();
        assert_eq!(minimal, FieldDef::new("x", FieldKind::YesNo, "X"));
        let issue = FieldIssue::error("x", "m".into());
        assert_eq!(
            serde_json::to_string(&issue).unwrap(),
            r#"{"field":"x","severity":"error","message":"m"}"#
        );
    }
}
