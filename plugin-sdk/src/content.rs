//! A plugin's content as data: the plan (`content/plan.json`) and the forms
//! (`content/forms.json`), read with serde, checked by [`check`] (a plugin's `build.rs` runs
//! [`check_dir`], so a mistake in the data stops the build with a message that names it), and
//! converted to the WIT types by [`Content::from_json`]. This is the easy path for department
//! developers: the plan, targets and forms are data; Rust is left for rules and computations.
//!
//! The format is described in `plugin-sdk/README.md` ("The content files").

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

/// Why content JSON could not be read.
#[derive(Debug)]
pub struct ContentError(pub String);

impl std::fmt::Display for ContentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "插件内容格式错误：{}", self.0)
    }
}

impl std::error::Error for ContentError {}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanContent {
    pub code: String,
    pub title: String,
    #[serde(default)]
    pub goals: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub phases: Vec<PhaseContent>,
    pub tasks: Vec<TaskContent>,
    #[serde(default)]
    pub targets: Vec<TargetContent>,
    /// Statements of the source that do not agree.
    #[serde(default)]
    pub notes: Vec<NoteContent>,
    /// Units the plan names that are not ordinary 区级 departments, or that the source spells
    /// more than one way.
    #[serde(default)]
    pub units: Vec<UnitContent>,
    /// The sector's hazard categories and their checklist items (since 1.3).
    #[serde(default)]
    pub hazards: Vec<HazardCategoryContent>,
}

/// A hazard category of the sector and its checklist (`anwei:plugin@1.3` `hazard-category`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HazardCategoryContent {
    /// ASCII, lowercase, `-` between words; unique within the plugin.
    pub id: String,
    pub name: String,
    /// The 判定标准 the source cites, with its 《》.
    #[serde(default)]
    pub standard: Option<String>,
    #[serde(default)]
    pub line: Option<u32>,
    pub clauses: Vec<HazardClauseContent>,
}

/// One checklist item of a hazard category.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HazardClauseContent {
    /// Unique within its category.
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub line: Option<u32>,
    /// The source calls it a 重大事故隐患.
    #[serde(default)]
    pub major: bool,
}

/// Most hazard categories a plugin may list, and checklist items per category.
pub const MAX_HAZARD_CATEGORIES: usize = 40;
/// See [`MAX_HAZARD_CATEGORIES`].
pub const MAX_HAZARD_CLAUSES: usize = 60;
/// Longest checklist item, in characters.
pub const MAX_HAZARD_TEXT: usize = 200;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseContent {
    pub name: String,
    pub start: String,
    pub end: String,
    /// The phase's paragraph as written.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub line: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskContent {
    pub label: String,
    #[serde(default)]
    pub section: String,
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub roles_text: Option<String>,
    #[serde(default)]
    pub roles: Vec<RoleContent>,
    #[serde(default)]
    pub deadlines: Vec<String>,
    #[serde(default)]
    pub phase: Option<String>,
    /// First line of the task in the source.
    #[serde(default)]
    pub line: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleContent {
    /// "lead" | "responsible" | "cooperating"
    pub role: String,
    pub unit: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// The comparators of the content format, with the words the sources use.
pub const COMPARATORS: [(&str, &str); 8] = [
    ("reach", "达到"),
    ("at_least", "不低于 / 以上"),
    ("at_most", "以内 / 不超过 / 控制在"),
    ("decrease_by", "下降…以上（对基数年）"),
    ("about", "左右（需写 tolerance）"),
    ("between", "区间“3至5”（每个检查点写 upper）"),
    ("zero", "清零"),
    ("full_coverage", "全覆盖"),
];

/// Periods of recurring duties.
pub const PERIODS: [(&str, &str); 5] = [
    ("ten_days", "每旬"),
    ("monthly", "每月"),
    ("quarterly", "每季度"),
    ("half_yearly", "每半年"),
    ("yearly", "每年"),
];

/// Unit kinds.
pub const UNIT_KINDS: [(&str, &str); 7] = [
    ("party", "党委部门"),
    ("department", "政府部门"),
    ("local", "属地政府（镇、街道）"),
    ("agency", "其他单位"),
    ("office", "办公室"),
    ("enterprise", "企业"),
    ("company", "公司"),
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetContent {
    pub id: String,
    pub name: String,
    pub unit: String,
    /// One of [`COMPARATORS`].
    pub comparator: String,
    pub checkpoints: Vec<CheckpointContent>,
    #[serde(default)]
    pub baseline: Option<BaselineContent>,
    /// "district" | "per_town"
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub form: Option<String>,
    /// Fields of `form` the computation reads (`compute` receives only these).
    #[serde(default)]
    pub inputs: Vec<String>,
    /// For "about" (左右): ± in the target's unit.
    #[serde(default)]
    pub tolerance: Option<f64>,
    /// For recurring duties: one of [`PERIODS`].
    #[serde(default)]
    pub period: Option<String>,
    /// Label of the task the statement is in.
    #[serde(default)]
    pub task: Option<String>,
    /// The source line and words the target is read from.
    #[serde(default)]
    pub line: Option<u32>,
    #[serde(default)]
    pub quote: Option<String>,
    /// Restatements elsewhere in the source.
    #[serde(default)]
    pub also: Vec<SourceRefContent>,
    /// The plugin's reading where the source is unclear.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckpointContent {
    pub year: i32,
    pub value: f64,
    #[serde(default)]
    pub due: Option<String>,
    /// For "between": the range's upper end.
    #[serde(default)]
    pub upper: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineContent {
    pub year: i32,
    #[serde(default)]
    pub value: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRefContent {
    pub line: u32,
    pub quote: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteContent {
    pub lines: Vec<u32>,
    pub text: String,
    #[serde(default)]
    pub tasks: Vec<String>,
    #[serde(default)]
    pub targets: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitContent {
    pub name: String,
    /// One of [`UNIT_KINDS`].
    pub kind: String,
    #[serde(default)]
    pub aliases: Vec<AliasContent>,
}

/// Another spelling of a unit: the bare name, or the name with the line it was read on.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AliasContent {
    Name(String),
    Read { name: String, line: Option<u32> },
}

impl AliasContent {
    pub fn name(&self) -> &str {
        match self {
            AliasContent::Name(n) | AliasContent::Read { name: n, .. } => n,
        }
    }
    pub fn line(&self) -> Option<u32> {
        match self {
            AliasContent::Name(_) => None,
            AliasContent::Read { line, .. } => *line,
        }
    }
}

/// `content/forms.json`: `{"forms": [...]}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormsContent {
    pub forms: Vec<FormContent>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormContent {
    pub id: String,
    pub title: String,
    pub fields: Vec<FieldContent>,
}

/// Field kinds of the content format (XLSForm's question types).
pub const FIELD_KINDS: [&str; 14] = [
    "text",
    "integer",
    "decimal",
    "date",
    "select_one",
    "select_many",
    "unit_ref",
    "town_ref",
    "enterprise_ref",
    "yes_no",
    "note",
    "calculate",
    "begin_repeat",
    "end_repeat",
];

/// One row of a form's survey sheet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldContent {
    pub name: String,
    /// One of [`FIELD_KINDS`].
    pub kind: String,
    pub label: String,
    #[serde(default)]
    pub hint: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub constraint: Option<String>,
    #[serde(default)]
    pub constraint_message: Option<String>,
    #[serde(default)]
    pub relevant: Option<String>,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub read_only: bool,
    #[serde(default)]
    pub calculation: Option<String>,
    /// `[name, label]` or `[name, label, filter]` per choice.
    #[serde(default)]
    pub choices: Vec<Vec<String>>,
    #[serde(default)]
    pub choice_filter: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
}

impl PlanContent {
    /// Parses the JSON text.
    pub fn from_json(json: &str) -> Result<PlanContent, ContentError> {
        serde_json::from_str(json).map_err(|e| ContentError(format!("plan.json：{e}")))
    }

    /// What the desk sends `compute` for `form`: the `inputs` of its targets, in order, each
    /// once (for a plugin's tests, to compute as the desk does).
    pub fn inputs_of(&self, form: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in self
            .targets
            .iter()
            .filter(|t| t.form.as_deref() == Some(form))
        {
            for i in &t.inputs {
                if !out.contains(i) {
                    out.push(i.clone());
                }
            }
        }
        out
    }
}

impl FormsContent {
    /// Parses the JSON text.
    pub fn from_json(json: &str) -> Result<FormsContent, ContentError> {
        serde_json::from_str(json).map_err(|e| ContentError(format!("forms.json：{e}")))
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.split('-').all(|p| p.bytes().all(|c| c.is_ascii_digit()))
        && crate::date::Date::parse(s).is_some()
}

/// Everything wrong with a plugin's content, each problem a sentence naming where it is
/// (empty: the content is sound). What the desk would refuse at install, or silently read
/// wrongly, is caught here at build time.
pub fn check(plan: &PlanContent, forms: &FormsContent) -> Vec<String> {
    let mut out = Vec::new();
    let mut p = |s: String| out.push(s);
    if plan.title.trim().is_empty() {
        p("方案标题为空".to_owned());
    }
    // Phases.
    for ph in &plan.phases {
        for (what, d) in [("开始", &ph.start), ("结束", &ph.end)] {
            if !is_date(d) {
                p(format!("阶段“{}”的{what}日期“{d}”不是 YYYY-MM-DD", ph.name));
            }
        }
        if is_date(&ph.start) && is_date(&ph.end) && ph.start > ph.end {
            p(format!("阶段“{}”开始晚于结束", ph.name));
        }
    }
    // Tasks.
    let mut labels = HashSet::new();
    for t in &plan.tasks {
        if !labels.insert(t.label.as_str()) {
            p(format!("任务编号“{}”重复", t.label));
        }
        if t.text.trim().is_empty() {
            p(format!("任务{}没有正文", t.label));
        }
        for r in &t.roles {
            if !matches!(r.role.as_str(), "lead" | "responsible" | "cooperating") {
                p(format!(
                    "任务{}的单位角色“{}”无效（lead、responsible、cooperating）",
                    t.label, r.role
                ));
            }
            if r.unit.trim().is_empty() {
                p(format!("任务{}有空的单位名称", t.label));
            }
        }
        for d in &t.deadlines {
            if d.trim().is_empty() {
                p(format!("任务{}有空的完成时限", t.label));
            }
        }
        if let Some(ph) = &t.phase
            && !plan.phases.iter().any(|x| &x.name == ph)
        {
            p(format!("任务{}的阶段“{ph}”不在方案的阶段中", t.label));
        }
    }
    // Forms.
    let mut form_fields: HashMap<&str, HashSet<&str>> = HashMap::new();
    for f in &forms.forms {
        if form_fields.contains_key(f.id.as_str()) {
            p(format!("表单编号“{}”重复", f.id));
        }
        let mut names = HashSet::new();
        let mut depth = 0i32;
        for fd in &f.fields {
            let at = format!("表单“{}”的字段“{}”", f.id, fd.name);
            if !FIELD_KINDS.contains(&fd.kind.as_str()) {
                p(format!("{at}：类型“{}”无效", fd.kind));
            }
            if !names.insert(fd.name.as_str()) {
                p(format!("{at}：字段名重复"));
            }
            if fd.name.is_empty()
                || !fd
                    .name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                p(format!("{at}：字段名只能用字母、数字和下划线"));
            }
            let select = matches!(fd.kind.as_str(), "select_one" | "select_many");
            if select && fd.choices.is_empty() {
                p(format!("{at}：选择题没有选项"));
            }
            if !select && !fd.choices.is_empty() {
                p(format!("{at}：只有选择题才有选项"));
            }
            let mut choice_names = HashSet::new();
            for c in &fd.choices {
                if !(2..=3).contains(&c.len()) {
                    p(format!(
                        "{at}：选项应写成 [名称, 标签] 或 [名称, 标签, 筛选值]"
                    ));
                } else if !choice_names.insert(c[0].as_str()) {
                    p(format!("{at}：选项“{}”重复", c[0]));
                }
            }
            if fd.constraint.is_some() != fd.constraint_message.is_some() {
                p(format!("{at}：约束条件和约束提示要一起写"));
            }
            if fd.kind == "calculate" && fd.calculation.is_none() {
                p(format!("{at}：计算字段没有计算公式"));
            }
            match fd.kind.as_str() {
                "begin_repeat" => depth += 1,
                "end_repeat" => {
                    depth -= 1;
                    if depth < 0 {
                        p(format!("{at}：end_repeat 前没有 begin_repeat"));
                    }
                }
                _ => {}
            }
        }
        if depth > 0 {
            p(format!("表单“{}”的重复组没有以 end_repeat 结束", f.id));
        }
        form_fields.insert(f.id.as_str(), names);
    }
    // Targets.
    let mut ids = HashSet::new();
    for t in &plan.targets {
        let at = format!("指标“{}”", t.id);
        if !ids.insert(t.id.as_str()) {
            p(format!("{at}：编号重复"));
        }
        if t.checkpoints.is_empty() {
            p(format!("{at}：没有检查点（年度目标值）"));
        }
        match t.comparator.as_str() {
            "about" => {
                if !t.tolerance.is_some_and(|x| x.is_finite() && x >= 0.0) {
                    p(format!("{at}：“左右”(about) 要写允许偏差 tolerance"));
                }
            }
            "between" => {
                for c in &t.checkpoints {
                    match c.upper {
                        Some(u) if u >= c.value => {}
                        _ => p(format!(
                            "{at}：区间 (between) 的{}年检查点要写不小于下限的 upper",
                            c.year
                        )),
                    }
                }
            }
            "decrease_by" => {
                if t.baseline.is_none() {
                    p(format!("{at}：下降 (decrease_by) 要写基数年 baseline"));
                }
            }
            "zero" => {
                if t.checkpoints.iter().any(|c| c.value != 0.0) {
                    p(format!("{at}：清零 (zero) 的检查点值应为 0"));
                }
            }
            c if COMPARATORS.iter().any(|(k, _)| *k == c) => {}
            c => p(format!("{at}：比较方式“{c}”无效")),
        }
        if t.comparator != "about" && t.tolerance.is_some() {
            p(format!("{at}：只有“左右”(about) 才写 tolerance"));
        }
        if t.comparator != "between" && t.checkpoints.iter().any(|c| c.upper.is_some()) {
            p(format!("{at}：只有区间 (between) 才写 upper"));
        }
        for c in &t.checkpoints {
            if !c.value.is_finite() {
                p(format!("{at}：{}年检查点的值无效", c.year));
            }
            if let Some(d) = &c.due
                && !is_date(d)
            {
                p(format!("{at}：检查点日期“{d}”不是 YYYY-MM-DD"));
            }
        }
        if let Some(period) = &t.period
            && !PERIODS.iter().any(|(k, _)| k == period)
        {
            p(format!("{at}：周期“{period}”无效"));
        }
        if let Some(s) = &t.scope
            && !matches!(s.as_str(), "district" | "per_town")
        {
            p(format!("{at}：范围“{s}”无效（district、per_town）"));
        }
        if t.line.is_some() != t.quote.is_some() {
            p(format!("{at}：line 和 quote 要一起写"));
        }
        if let Some(task) = &t.task
            && !labels.contains(task.as_str())
        {
            p(format!("{at}：任务“{task}”不在方案中"));
        }
        match &t.form {
            Some(form) => match form_fields.get(form.as_str()) {
                None => p(format!("{at}：表单“{form}”不存在")),
                Some(fields) => {
                    if t.inputs.is_empty() {
                        p(format!("{at}：由表单计算的指标要列出读取的字段 inputs"));
                    }
                    for i in &t.inputs {
                        if !fields.contains(i.as_str()) {
                            p(format!("{at}：表单“{form}”没有字段“{i}”"));
                        }
                    }
                }
            },
            None => {
                if !t.inputs.is_empty() {
                    p(format!("{at}：没有表单却列出了 inputs"));
                }
            }
        }
    }
    // Notes and units.
    for n in &plan.notes {
        for task in &n.tasks {
            if !labels.contains(task.as_str()) {
                p(format!("说明“{}”：任务“{task}”不在方案中", n.text));
            }
        }
        for target in &n.targets {
            if !ids.contains(target.as_str()) {
                p(format!("说明“{}”：指标“{target}”不存在", n.text));
            }
        }
    }
    let mut unit_names = HashSet::new();
    for u in &plan.units {
        if !UNIT_KINDS.iter().any(|(k, _)| *k == u.kind) {
            p(format!("单位“{}”的类别“{}”无效", u.name, u.kind));
        }
        for n in std::iter::once(u.name.as_str()).chain(u.aliases.iter().map(AliasContent::name)) {
            if !unit_names.insert(n) {
                p(format!("单位名称“{n}”出现在两个单位中"));
            }
        }
    }
    check_hazards(&plan.hazards, &mut p);
    out
}

fn is_hazard_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn check_hazards(hazards: &[HazardCategoryContent], p: &mut impl FnMut(String)) {
    if hazards.len() > MAX_HAZARD_CATEGORIES {
        p(format!(
            "隐患类别 {} 个，超过上限 {MAX_HAZARD_CATEGORIES} 个",
            hazards.len()
        ));
    }
    let mut ids = HashSet::new();
    for c in hazards {
        if !is_hazard_id(&c.id) {
            p(format!(
                "隐患类别编号“{}”无效（小写字母、数字和 -，至多 40 个字符）",
                c.id
            ));
        }
        if !ids.insert(c.id.as_str()) {
            p(format!("隐患类别编号“{}”重复", c.id));
        }
        if c.name.trim().is_empty() || c.name.chars().count() > 60 {
            p(format!("隐患类别“{}”的名称为空或过长", c.id));
        }
        if c.standard
            .as_deref()
            .is_some_and(|s| s.trim().is_empty() || s.chars().count() > 120)
        {
            p(format!("隐患类别“{}”的判定标准为空或过长", c.id));
        }
        if c.clauses.is_empty() {
            p(format!("隐患类别“{}”没有判定条目", c.name));
        }
        if c.clauses.len() > MAX_HAZARD_CLAUSES {
            p(format!(
                "隐患类别“{}”有 {} 个判定条目，超过上限 {MAX_HAZARD_CLAUSES} 个",
                c.name,
                c.clauses.len()
            ));
        }
        let mut clause_ids = HashSet::new();
        for k in &c.clauses {
            if k.id.trim().is_empty() || k.id.chars().count() > 20 {
                p(format!("隐患类别“{}”有编号为空或过长的判定条目", c.name));
            }
            if !clause_ids.insert(k.id.as_str()) {
                p(format!("隐患类别“{}”的判定条目编号“{}”重复", c.name, k.id));
            }
            let len = k.text.trim().chars().count();
            if len == 0 || len > MAX_HAZARD_TEXT {
                p(format!(
                    "隐患类别“{}”的判定条目{}为空或超过 {MAX_HAZARD_TEXT} 个字符",
                    c.name, k.id
                ));
            }
        }
    }
}

/// For a plugin's `build.rs`: reads `plan.json` and `forms.json` from `dir` (a missing
/// `forms.json` means no forms), has Cargo rebuild when they change, and checks them.
/// `Err` holds every problem, one a line.
pub fn check_dir(dir: &std::path::Path) -> Result<(), String> {
    let read = |name: &str| -> Result<Option<String>, String> {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        match std::fs::read_to_string(&path) {
            Ok(s) => Ok(Some(s)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("读取 {} 失败：{e}", path.display())),
        }
    };
    let plan = read("plan.json")?.ok_or_else(|| format!("{} 中没有 plan.json", dir.display()))?;
    let forms = read("forms.json")?;
    let plan = PlanContent::from_json(&plan).map_err(|e| e.to_string())?;
    let forms = match forms {
        Some(f) => FormsContent::from_json(&f).map_err(|e| e.to_string())?,
        None => FormsContent { forms: Vec::new() },
    };
    let problems = check(&plan, &forms);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[cfg(feature = "bindings")]
pub use wit::*;

#[cfg(feature = "bindings")]
mod wit {
    use super::*;
    use crate::{
        Baseline, Checkpoint, Choice, Comparator, Field, FieldKind, Form, HazardCategory,
        HazardClause, Measure, Period, Phase, PhaseDetail, Plan, PlanDetails, Role, Scope,
        SourceNote, SourceRef, Target, TargetDetail, Task, UnitAlias, UnitDetail, UnitKind,
        UnitRole,
    };

    /// A plugin's content as the WIT types: what `describe`, `details` and
    /// `hazard-standards` return.
    #[derive(Debug, Clone)]
    pub struct Content {
        pub plan: Plan,
        pub targets: Vec<Target>,
        pub forms: Vec<Form>,
        pub details: PlanDetails,
        pub hazards: Vec<HazardCategory>,
    }

    impl HazardCategoryContent {
        fn into_wit(self) -> HazardCategory {
            let HazardCategoryContent {
                id,
                name,
                standard,
                line,
                clauses,
            } = self;
            HazardCategory {
                id,
                name,
                standard,
                line,
                clauses: clauses
                    .into_iter()
                    .map(|k| HazardClause {
                        id: k.id,
                        text: k.text,
                        line: k.line,
                        major: k.major,
                    })
                    .collect(),
            }
        }
    }

    fn role(s: &str) -> Result<Role, ContentError> {
        Ok(match s {
            "lead" => Role::Lead,
            "responsible" => Role::Responsible,
            "cooperating" => Role::Cooperating,
            other => return Err(ContentError(format!("未知的单位角色“{other}”"))),
        })
    }

    /// The 1.0 comparator (the nearest a 1.0 desk understands) and the 1.2 measure.
    fn comparator(t: &TargetContent) -> Result<(Comparator, Option<Measure>), ContentError> {
        Ok(match t.comparator.as_str() {
            "reach" => (Comparator::Reach, None),
            "at_least" => (Comparator::AtLeast, None),
            "at_most" => (Comparator::AtMost, None),
            "decrease_by" => (Comparator::DecreaseBy, None),
            "about" => (
                Comparator::Reach,
                Some(Measure::About(t.tolerance.unwrap_or(0.0))),
            ),
            "between" => (
                Comparator::AtLeast,
                Some(Measure::Between(
                    t.checkpoints
                        .iter()
                        .map(|c| c.upper.unwrap_or(c.value))
                        .collect(),
                )),
            ),
            "zero" => (Comparator::AtMost, Some(Measure::Zero)),
            "full_coverage" => (Comparator::Reach, Some(Measure::FullCoverage)),
            other => return Err(ContentError(format!("未知的比较方式“{other}”"))),
        })
    }

    fn period(s: &str) -> Result<Period, ContentError> {
        Ok(match s {
            "ten_days" => Period::TenDays,
            "monthly" => Period::Monthly,
            "quarterly" => Period::Quarterly,
            "half_yearly" => Period::HalfYearly,
            "yearly" => Period::Yearly,
            other => return Err(ContentError(format!("未知的周期“{other}”"))),
        })
    }

    fn unit_kind(s: &str) -> Result<UnitKind, ContentError> {
        Ok(match s {
            "party" => UnitKind::Party,
            "department" => UnitKind::Department,
            "local" => UnitKind::Local,
            "agency" => UnitKind::Agency,
            "office" => UnitKind::Office,
            "enterprise" => UnitKind::Enterprise,
            "company" => UnitKind::Company,
            other => return Err(ContentError(format!("未知的单位类别“{other}”"))),
        })
    }

    fn field_kind(s: &str) -> Result<FieldKind, ContentError> {
        use FieldKind as K;
        Ok(match s {
            "text" => K::Text,
            "integer" => K::Integer,
            "decimal" => K::Decimal,
            "date" => K::Date,
            "select_one" => K::SelectOne,
            "select_many" => K::SelectMany,
            "unit_ref" => K::UnitRef,
            "town_ref" => K::TownRef,
            "enterprise_ref" => K::EnterpriseRef,
            "yes_no" => K::YesNo,
            "note" => K::Note,
            "calculate" => K::Calculate,
            "begin_repeat" => K::BeginRepeat,
            "end_repeat" => K::EndRepeat,
            other => return Err(ContentError(format!("未知的字段类型“{other}”"))),
        })
    }

    impl FormsContent {
        /// The forms as WIT values.
        pub fn into_wit(self) -> Result<Vec<Form>, ContentError> {
            self.forms
                .into_iter()
                .map(|f| {
                    Ok(Form {
                        id: f.id,
                        title: f.title,
                        fields: f
                            .fields
                            .into_iter()
                            .map(|fd| {
                                Ok(Field {
                                    kind: field_kind(&fd.kind)?,
                                    name: fd.name,
                                    label: fd.label,
                                    hint: fd.hint,
                                    required: fd.required,
                                    constraint: fd.constraint,
                                    constraint_message: fd.constraint_message,
                                    relevant: fd.relevant,
                                    default: fd.default,
                                    read_only: fd.read_only,
                                    calculation: fd.calculation,
                                    choices: fd
                                        .choices
                                        .into_iter()
                                        .map(|mut c| {
                                            let filter = c.get(2).cloned();
                                            c.truncate(2);
                                            let label = c.pop().unwrap_or_default();
                                            let name = c.pop().unwrap_or_default();
                                            Choice {
                                                name,
                                                label,
                                                filter,
                                            }
                                        })
                                        .collect(),
                                    choice_filter: fd.choice_filter,
                                    unit: fd.unit,
                                })
                            })
                            .collect::<Result<_, ContentError>>()?,
                    })
                })
                .collect()
        }
    }

    impl PlanContent {
        /// The plan, its targets and their details as WIT values.
        pub fn into_wit(self) -> Result<(Plan, Vec<Target>, PlanDetails), ContentError> {
            let phase_details = self
                .phases
                .iter()
                .filter(|p| !p.text.is_empty())
                .map(|p| PhaseDetail {
                    name: p.name.clone(),
                    text: p.text.clone(),
                    line: p.line,
                })
                .collect();
            let tasks = self
                .tasks
                .into_iter()
                .map(|t| {
                    Ok(Task {
                        label: t.label,
                        section: t.section,
                        title: t.title,
                        text: t.text,
                        roles_text: t.roles_text,
                        roles: t
                            .roles
                            .into_iter()
                            .map(|r| {
                                Ok(UnitRole {
                                    unit: r.unit,
                                    role: role(&r.role)?,
                                    note: r.note,
                                })
                            })
                            .collect::<Result<_, ContentError>>()?,
                        deadlines: t.deadlines,
                        phase: t.phase,
                    })
                })
                .collect::<Result<Vec<_>, ContentError>>()?;
            let mut target_details = Vec::new();
            let mut targets = Vec::new();
            for t in self.targets {
                let (comparator, measure) = comparator(&t)?;
                let mut sources: Vec<SourceRef> = t
                    .line
                    .zip(t.quote)
                    .map(|(line, quote)| SourceRef { line, quote })
                    .into_iter()
                    .collect();
                sources.extend(t.also.into_iter().map(|s| SourceRef {
                    line: s.line,
                    quote: s.quote,
                }));
                let period = t.period.as_deref().map(period).transpose()?;
                if measure.is_some()
                    || period.is_some()
                    || !sources.is_empty()
                    || t.task.is_some()
                    || t.note.is_some()
                {
                    target_details.push(TargetDetail {
                        target_id: t.id.clone(),
                        measure,
                        period,
                        sources,
                        task: t.task,
                        note: t.note,
                    });
                }
                let zero = t.comparator == "zero";
                targets.push(Target {
                    id: t.id,
                    name: t.name,
                    unit: t.unit,
                    comparator,
                    checkpoints: t
                        .checkpoints
                        .into_iter()
                        .map(|c| Checkpoint {
                            year: c.year,
                            value: if zero { 0.0 } else { c.value },
                            due: c.due,
                        })
                        .collect(),
                    baseline: t.baseline.map(|b| Baseline {
                        year: b.year,
                        value: b.value,
                    }),
                    scope: match t.scope.as_deref() {
                        None | Some("district") => Scope::District,
                        Some("per_town") => Scope::PerTown,
                        Some(other) => {
                            return Err(ContentError(format!("未知的目标范围“{other}”")));
                        }
                    },
                    form: t.form,
                    inputs: t.inputs,
                });
            }
            let plan = Plan {
                code: self.code,
                title: self.title,
                goals: self.goals,
                source: self.source,
                phases: self
                    .phases
                    .into_iter()
                    .map(|p| Phase {
                        name: p.name,
                        start: p.start,
                        end: p.end,
                    })
                    .collect(),
                tasks,
            };
            let details = PlanDetails {
                targets: target_details,
                phases: phase_details,
                notes: self
                    .notes
                    .into_iter()
                    .map(|n| SourceNote {
                        lines: n.lines,
                        text: n.text,
                        tasks: n.tasks,
                        targets: n.targets,
                    })
                    .collect(),
                units: self
                    .units
                    .into_iter()
                    .map(|u| {
                        Ok(UnitDetail {
                            kind: unit_kind(&u.kind)?,
                            name: u.name,
                            aliases: u
                                .aliases
                                .iter()
                                .map(|a| UnitAlias {
                                    name: a.name().to_owned(),
                                    line: a.line(),
                                })
                                .collect(),
                        })
                    })
                    .collect::<Result<_, ContentError>>()?,
            };
            Ok((plan, targets, details))
        }
    }

    impl Content {
        /// Reads, checks and converts `plan.json` and `forms.json` (as `include_str!` gives
        /// them). The same [`check`] the plugin's `build.rs` ran, so an `Err` here means the
        /// build did not check the content.
        pub fn from_json(plan: &str, forms: &str) -> Result<Content, ContentError> {
            let plan = PlanContent::from_json(plan)?;
            let forms = FormsContent::from_json(forms)?;
            let problems = check(&plan, &forms);
            if !problems.is_empty() {
                return Err(ContentError(problems.join("；")));
            }
            let hazards = plan
                .hazards
                .iter()
                .cloned()
                .map(HazardCategoryContent::into_wit)
                .collect();
            let (plan, targets, details) = plan.into_wit()?;
            Ok(Content {
                plan,
                targets,
                forms: forms.into_wit()?,
                details,
                hazards,
            })
        }

        /// [`Content::from_json`], or empty content when it fails (the desk then shows a plan
        /// without tasks; the plugin's `build.rs` and a unit test make sure it does not).
        pub fn load(plan: &str, forms: &str) -> Content {
            Content::from_json(plan, forms).unwrap_or_else(|_| Content {
                plan: Plan {
                    code: String::new(),
                    title: String::new(),
                    goals: String::new(),
                    source: String::new(),
                    phases: Vec::new(),
                    tasks: Vec::new(),
                },
                targets: Vec::new(),
                forms: Vec::new(),
                details: PlanDetails {
                    targets: Vec::new(),
                    phases: Vec::new(),
                    notes: Vec::new(),
                    units: Vec::new(),
                },
                hazards: Vec::new(),
            })
        }
    }

    /// The plan and targets of `json` (for plugins that keep their forms in Rust: the
    /// targets' forms are not checked here), or an empty plan when it does not parse.
    pub fn load(json: &str) -> (Plan, Vec<Target>) {
        PlanContent::from_json(json)
            .and_then(PlanContent::into_wit)
            .map(|(plan, targets, _)| (plan, targets))
            .unwrap_or_else(|_| {
                let empty = Content::load("", "");
                (empty.plan, empty.targets)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms() -> FormsContent {
        FormsContent::from_json(
            r#"{"forms":[{"id":"register","title":"台账","fields":[
            {"name":"group","kind":"select_one","label":"分类","choices":[["keep","保留"],["close","关闭"]]},
            {"name":"n","kind":"integer","label":"人数","constraint":". >= 0","constraint_message":"不能为负"}]}]}"#,
        )
        .unwrap()
    }

    const PLAN: &str = r#"{"code":"附件X","title":"t","tasks":[{"label":"(一)1","title":"a","text":"a。",
        "roles":[{"role":"lead","unit":"区能源局"}],"deadlines":["2020年底前"],"line":12}],
        "targets":[{"id":"n","name":"数量","unit":"处","comparator":"at_most",
        "checkpoints":[{"year":2022,"value":8}],"baseline":{"year":2019},
        "form":"register","inputs":["group"],"line":12,"quote":"控制在8处以内","task":"(一)1"},
        {"id":"cap","name":"产能","unit":"万吨/年","comparator":"about","tolerance":50,
        "checkpoints":[{"year":2022,"value":1500}],"note":"左右按±50理解"},
        {"id":"r","name":"家数","unit":"家","comparator":"between","checkpoints":[{"year":2021,"value":3,"upper":5}]},
        {"id":"z","name":"隐患","unit":"处","comparator":"zero","checkpoints":[{"year":2022,"value":0}]}],
        "notes":[{"lines":[3,40],"text":"两处说法不一","targets":["n"],"tasks":["(一)1"]}],
        "units":[{"name":"麒麟区人民政府","kind":"local","aliases":["区人民政府",{"name":"麒麟区区人民政府","line":9}]}]}"#;

    #[test]
    fn sound_content_has_no_problems() {
        let plan = PlanContent::from_json(PLAN).unwrap();
        assert_eq!(check(&plan, &forms()), Vec::<String>::new());
    }

    const HAZARDS: &str = r#"[{"id":"illegal-mining","name":"非法违法开采","standard":"《判定标准》","line":318,
        "clauses":[{"id":"1","text":"无合法证照非法开采","line":318},{"id":"11","text":"判定标准中规定的重大事故隐患","line":318,"major":true}]}]"#;

    fn with_hazards(hazards: &str) -> PlanContent {
        let mut plan: serde_json::Value = serde_json::from_str(PLAN).unwrap();
        plan["hazards"] = serde_json::from_str(hazards).unwrap();
        PlanContent::from_json(&plan.to_string()).unwrap()
    }

    #[test]
    fn hazard_categories_are_read_and_checked() {
        let plan = with_hazards(HAZARDS);
        assert_eq!(check(&plan, &forms()), Vec::<String>::new());
        assert_eq!(plan.hazards[0].clauses.len(), 2);
        assert!(plan.hazards[0].clauses[1].major && !plan.hazards[0].clauses[0].major);
        // Every mistake is named.
        let long = "很".repeat(MAX_HAZARD_TEXT + 1);
        let bad = with_hazards(&format!(
            r#"[{{"id":"Bad Id","name":"甲","clauses":[]}},
            {{"id":"b","name":"乙","clauses":[{{"id":"1","text":"x"}},{{"id":"1","text":"{long}"}}]}},
            {{"id":"b","name":"丙","standard":" ","clauses":[{{"id":"1","text":" "}}]}}]"#
        ));
        let problems = check(&bad, &forms()).join("\n");
        for needle in [
            "隐患类别编号“Bad Id”无效",
            "隐患类别“甲”没有判定条目",
            "判定条目编号“1”重复",
            "判定条目1为空或超过 200 个字符",
            "隐患类别编号“b”重复",
            "隐患类别“b”的判定标准为空或过长",
        ] {
            assert!(problems.contains(needle), "{needle} in {problems}");
        }
        // Unknown keys are refused, as everywhere in the content.
        let mut v: serde_json::Value = serde_json::from_str(PLAN).unwrap();
        v["hazards"] = serde_json::json!([{"id": "a", "name": "甲", "clauses": [], "grade": 1}]);
        assert!(PlanContent::from_json(&v.to_string()).is_err());
    }

    #[test]
    fn check_names_each_mistake() {
        let broken = PLAN
            .replace(r#""tolerance":50,"#, "")
            .replace(r#","upper":5"#, "")
            .replace(r#""inputs":["group"]"#, r#""inputs":["grup"]"#)
            .replace(r#""targets":["n"]"#, r#""targets":["m"]"#)
            .replace(r#""kind":"local""#, r#""kind":"town""#);
        let plan = PlanContent::from_json(&broken).unwrap();
        let problems = check(&plan, &forms());
        for want in [
            "指标“cap”：“左右”(about) 要写允许偏差 tolerance",
            "指标“r”：区间 (between) 的2021年检查点要写不小于下限的 upper",
            "指标“n”：表单“register”没有字段“grup”",
            "说明“两处说法不一”：指标“m”不存在",
            "单位“麒麟区人民政府”的类别“town”无效",
        ] {
            assert!(
                problems.iter().any(|p| p == want),
                "{want} not in {problems:#?}"
            );
        }
        assert_eq!(problems.len(), 5, "{problems:#?}");
        // Unknown keys are refused, not ignored.
        assert!(
            PlanContent::from_json(&PLAN.replace(r#""line":12,"quote""#, r#""lin":12,"quote""#))
                .is_err()
        );
    }

    #[cfg(feature = "bindings")]
    #[test]
    fn converts_content_with_its_details() {
        use crate::{Comparator, Measure, Role, UnitKind};
        let forms = r#"{"forms":[{"id":"register","title":"台账","fields":[
            {"name":"group","kind":"select_one","label":"分类","choices":[["keep","保留","a"]]}]}]}"#;
        let c = Content::from_json(PLAN, forms).unwrap();
        assert_eq!(c.plan.tasks[0].roles[0].role, Role::Lead);
        assert_eq!(c.targets[0].comparator, Comparator::AtMost);
        assert_eq!(c.targets[0].inputs, ["group"]);
        assert_eq!(c.targets[0].baseline.as_ref().unwrap().value, None);
        // 左右 reads as 达到 on a 1.0 desk, as about ±50 on a 1.2 one.
        assert_eq!(c.targets[1].comparator, Comparator::Reach);
        let detail = |id: &str| {
            c.details
                .targets
                .iter()
                .find(|d| d.target_id == id)
                .unwrap()
        };
        assert!(matches!(detail("cap").measure, Some(Measure::About(t)) if t == 50.0));
        assert!(matches!(&detail("r").measure, Some(Measure::Between(u)) if u == &[5.0]));
        assert_eq!(c.targets[3].comparator, Comparator::AtMost);
        assert!(matches!(detail("z").measure, Some(Measure::Zero)));
        assert_eq!(detail("n").sources[0].line, 12);
        assert_eq!(detail("n").task.as_deref(), Some("(一)1"));
        assert_eq!(c.details.notes[0].targets, ["n"]);
        assert_eq!(c.details.units[0].kind, UnitKind::Local);
        assert_eq!(c.details.units[0].aliases[1].line, Some(9));
        assert_eq!(c.forms[0].fields[0].choices[0].filter.as_deref(), Some("a"));
        assert!(Content::from_json(r#"{"code":1}"#, forms).is_err());
        assert!(c.hazards.is_empty(), "no hazards key: none");
        let mut v: serde_json::Value = serde_json::from_str(PLAN).unwrap();
        v["hazards"] = serde_json::from_str(HAZARDS).unwrap();
        let c = Content::from_json(&v.to_string(), forms).unwrap();
        assert_eq!(c.hazards[0].id, "illegal-mining");
        assert_eq!(c.hazards[0].standard.as_deref(), Some("《判定标准》"));
        assert_eq!(c.hazards[0].clauses[1].id, "11");
        assert!(c.hazards[0].clauses[1].major);
        assert_eq!(c.hazards[0].clauses[0].line, Some(318));
    }
}
