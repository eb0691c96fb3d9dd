//! The rules of 附件11 as the seed states them (`content/rules.md`; seed 001, lines 700–715).
//!
//! Each rule (R1–R9 of rules.md) is one function reading a record through [`Fields`] and
//! returning a [`Finding`]: its classification and the issues it raises. `validate` keeps the
//! issues, `classify` the classifications, so both say the same thing. The targets are
//! computed in [`compute_rows`] from the same reads, over the batch rows the desk sends (only
//! the targets' `inputs`) or, in tests, over whole records.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Classification, Fields, FormRecord, Issue, RecordBatch, TargetValue};

/// 涉危险废物企业台账.
pub const ENTERPRISE: &str = "hw-enterprise";
/// 危险废物年度产生及利用处置情况台账 (one record per enterprise and year).
pub const ANNUAL_RETURN: &str = "hw-annual-return";
/// 危险废物贮存台账 (one record per stored batch).
pub const STORAGE: &str = "hw-storage";
/// 危险废物转移联单台账.
pub const TRANSFER_MANIFEST: &str = "hw-transfer-manifest";
/// 属性不明固体废物鉴别台账.
pub const UNKNOWN_WASTE: &str = "hw-unknown-waste";
/// 重点环保设施和项目台账.
pub const FACILITY: &str = "hw-facility";
/// 固体废物（危险废物）举报线索台账.
pub const COMPLAINT: &str = "hw-complaint";

/// The forms of the plugin, in the order of `content/forms.json`.
pub const FORMS: [&str; 7] = [
    ENTERPRISE,
    ANNUAL_RETURN,
    STORAGE,
    TRANSFER_MANIFEST,
    UNKNOWN_WASTE,
    FACILITY,
    COMPLAINT,
];

// ------------------------------------------------------------------ dates

/// Days since 1970-01-01 (proleptic Gregorian calendar).
pub fn day_number(d: Date) -> i64 {
    let month = i64::from(d.month);
    let y = i64::from(d.year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(d.day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `a − b` in days.
pub fn days_between(a: Date, b: Date) -> i64 {
    day_number(a) - day_number(b)
}

/// 1 January of `d`'s year.
fn year_start(d: Date) -> Date {
    Date {
        year: d.year,
        month: 1,
        day: 1,
    }
}

/// The day storage that started on `start` is one year old (满一年, rules.md R1): the same
/// month and day one year later, 28 February for a start on 29 February. That day is still
/// allowed; the day after it is the first day over the limit. (The year counted in years, as
/// 民法典 arts. 201–202 count a period; rules.md says so.)
pub fn anniversary(start: Date) -> Date {
    // add_months clamps 29 February to the last day of February of a common year.
    start.add_months(12)
}

// ------------------------------------------------------------------ findings

/// One rule's result for one record.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Rule id (`storage-one-year`, …).
    pub rule: &'static str,
    /// Short result (超期贮存, 待鉴别, …).
    pub value: String,
    /// Why, citing the seed.
    pub reason: String,
    /// What the rule asks of the record (违规 → error, 待办 → warning, 提示 → info).
    pub issues: Vec<Issue>,
}

fn finding(rule: &'static str, value: &str, reason: String, issues: Vec<Issue>) -> Finding {
    Finding {
        rule,
        value: value.to_owned(),
        reason,
        issues,
    }
}

fn is_yes<R: Fields + ?Sized>(r: &R, name: &str) -> bool {
    r.flag(name) == Some(true)
}

fn is_no<R: Fields + ?Sized>(r: &R, name: &str) -> bool {
    r.flag(name) == Some(false)
}

// ------------------------------------------------------------------ hw-storage

/// R1's reading of one stored batch: when it started, when it is one year old, and the last
/// day it is (or was) in store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub start: Date,
    /// A: the last allowed day.
    pub anniversary: Date,
    /// E: the removal day (the batch is still in store on it), or the day the reading is
    /// made for while the batch is in store.
    pub end: Date,
    pub removed: bool,
}

impl Stored {
    /// The batch as it stands on `day` (`removed_date` counts when it is not after `day`).
    pub fn on<R: Fields + ?Sized>(r: &R, day: Option<Date>) -> Option<Stored> {
        let start = r.date("storage_start")?;
        let removed = r.date("removed_date");
        let (end, removed) = match (removed, day) {
            (Some(e), Some(d)) if e <= d => (e, true),
            (_, Some(d)) => (d, false),
            // Without a day to read it on, a removed batch still has its history.
            (Some(e), None) => (e, true),
            (None, None) => return None,
        };
        Some(Stored {
            start,
            anniversary: anniversary(start),
            end,
            removed,
        })
    }

    /// Days in store counted as the form's `storage_days` does (the first day not counted).
    pub fn days(&self) -> i64 {
        days_between(self.end, self.start)
    }

    /// Days past the one-year limit (0 while within it).
    pub fn days_over(&self) -> i64 {
        days_between(self.end, self.anniversary).max(0)
    }

    /// Over one year: E > A (L708).
    pub fn over_limit(&self) -> bool {
        self.end > self.anniversary
    }
}

/// R1 — 「危险废物贮存期限不得超过一年」 (L708).
pub fn storage_one_year<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> Option<Finding> {
    let s = Stored::on(r, today)?;
    let rule = "storage-one-year";
    let a = s.anniversary;
    let reason = format!(
        "第708行“危险废物贮存期限不得超过一年”：该批次自{}开始贮存，{a}满一年，已贮存{}天。",
        s.start,
        s.days()
    );
    Some(match (s.over_limit(), s.removed) {
        (false, false) => finding(rule, "贮存期内", reason, Vec::new()),
        (false, true) => finding(rule, "按期出库", reason, Vec::new()),
        (true, false) => {
            let message = format!(
                "危险废物贮存期限不得超过一年：该批次自{}开始贮存，{a}满一年，已超期{}天。",
                s.start,
                s.days_over()
            );
            finding(
                rule,
                "超期贮存",
                reason,
                vec![Issue::warning("storage_start", message)],
            )
        }
        (true, true) => {
            let message = format!(
                "危险废物贮存期限不得超过一年：该批次贮存至{}出库，超期{}天。",
                s.end,
                s.days_over()
            );
            finding(
                rule,
                "超期贮存",
                reason,
                vec![Issue::warning("removed_date", message)],
            )
        }
    })
}

/// R2 — 「严禁将危险废物混入非危险废物中贮存」 (L708).
pub fn mixed_storage<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    let rule = "mixed-storage";
    let reason = "第708行“严禁将危险废物混入非危险废物中贮存”。".to_owned();
    match r.flag("mixed_with_general")? {
        true => Some(finding(
            rule,
            "混入非危险废物贮存",
            reason,
            vec![Issue::warning(
                "mixed_with_general",
                "严禁将危险废物混入非危险废物中贮存。",
            )],
        )),
        false => Some(finding(rule, "未混入非危险废物", reason, Vec::new())),
    }
}

/// R3 — transfer (委托处置) needs a 转移联单 (L707, L711). Whether the 联单 is in the
/// manifests' register is another form's record, which `validate` does not see.
pub fn transfer_manifest<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    if r.choice("route") != Some("entrusted") {
        return None;
    }
    let rule = "transfer-manifest";
    let reason =
        "第707行：需转移(委托)处置危险废物的，企业应严格按照危险废物转移及运输管理的有关法规标准执行（第711行“危险废物转移联单”）。"
            .to_owned();
    Some(match r.text("manifest_no").map(str::trim) {
        Some(no) if !no.is_empty() => finding(rule, &format!("转移联单{no}"), reason, Vec::new()),
        _ => finding(
            rule,
            "待填转移联单",
            reason,
            vec![Issue::warning(
                "manifest_no",
                "需转移(委托)处置危险废物的，应按转移管理规定填写转移联单编号。",
            )],
        ),
    })
}

// ------------------------------------------------------------------ hw-unknown-waste

/// R4 — 属性不明的固体废物须鉴别并落实防范措施 (L708).
pub fn unknown_waste_identification<R: Fields + ?Sized>(r: &R) -> Finding {
    let rule = "unknown-waste-identification";
    let reason = "第708行：对属性不明的固体废物，按照《固体废物鉴别标准通则》(GB34330—2017)系列标准进行鉴别，并根据鉴别结果严格落实环境安全防范措施。".to_owned();
    if r.date("identified_date").is_none() {
        return finding(
            rule,
            "待鉴别",
            reason,
            vec![Issue::warning(
                "identified_date",
                "属性不明的固体废物须按照《固体废物鉴别标准通则》(GB34330—2017)系列标准进行鉴别。",
            )],
        );
    }
    if !is_yes(r, "measures_done") {
        return finding(
            rule,
            "防范措施待落实",
            reason,
            vec![Issue::warning(
                "measures_done",
                "须根据鉴别结果严格落实环境安全防范措施。",
            )],
        );
    }
    finding(rule, "已鉴别并落实防范措施", reason, Vec::new())
}

/// R4 (提示) — identified as hazardous waste.
pub fn unknown_waste_result<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    (r.choice("result") == Some("hazardous")).then(|| {
        let message = "鉴别为危险废物，须纳入危险废物贮存台账管理。";
        finding(
            "unknown-waste-result",
            "危险废物",
            format!("第708行“根据鉴别结果严格落实环境安全防范措施”：{message}"),
            vec![Issue::info("result", message)],
        )
    })
}

// ------------------------------------------------------------------ hw-enterprise

fn handles<R: Fields + ?Sized>(r: &R, kind: &str) -> bool {
    r.choices("handler_type").contains(&kind)
}

/// R5 — 产生危险废物的单位制定管理计划并申报 (L706).
pub fn producer_plan_declaration<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    if !handles(r, "producer") {
        return None;
    }
    let rule = "producer-plan-declaration";
    let reason = "第706行：产生危险废物的单位，应严格按照国家法律法规规定，制定危险废物管理计划，并在云南省危险废物转移管理信息系统申报。".to_owned();
    let missing: Vec<(&str, &str)> = [
        ("management_plan", "危险废物管理计划"),
        ("declared", "在云南省危险废物转移管理信息系统申报"),
    ]
    .into_iter()
    .filter(|(f, _)| is_no(r, f))
    .collect();
    if let Some((field, _)) = missing.first() {
        let items: Vec<&str> = missing.iter().map(|(_, l)| *l).collect();
        let message = format!(
            "产生危险废物的单位应制定危险废物管理计划，并在云南省危险废物转移管理信息系统申报。尚缺：{}。",
            items.join("、")
        );
        return Some(finding(
            rule,
            "管理计划或申报待落实",
            reason,
            vec![Issue::warning(field, message)],
        ));
    }
    (is_yes(r, "management_plan") && is_yes(r, "declared"))
        .then(|| finding(rule, "已制定管理计划并申报", reason, Vec::new()))
}

/// R6 — 台账、应急预案及信息公开等制度 (L706; plan and declaration are R5).
pub fn five_systems<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    const ITEMS: [(&str, &str); 3] = [
        ("ledger", "收集贮存及转移台账"),
        ("emergency_plan", "应急预案"),
        ("disclosure", "信息公开"),
    ];
    let rule = "five-systems";
    let reason = "第706行：严格执行危险废物申报登记、收集贮存及转移台账、管理计划、应急预案及信息公开等制度。".to_owned();
    let missing: Vec<(&str, &str)> = ITEMS.into_iter().filter(|(f, _)| is_no(r, f)).collect();
    if let Some((field, _)) = missing.first() {
        let items: Vec<&str> = missing.iter().map(|(_, l)| *l).collect();
        let message = format!(
            "须严格执行收集贮存及转移台账、应急预案及信息公开等制度：{}。",
            items.join("、")
        );
        return Some(finding(
            rule,
            "制度待落实",
            reason,
            vec![Issue::warning(field, message)],
        ));
    }
    ITEMS
        .iter()
        .all(|(f, _)| is_yes(r, f))
        .then(|| finding(rule, "制度已建立", reason, Vec::new()))
}

/// Whether the enterprise is a 排查重点 (R7, L706; the form's `is_priority` computes the same).
pub fn is_priority<R: Fields + ?Sized>(r: &R) -> bool {
    is_yes(r, "in_chemical_park")
        || (is_yes(r, "chemical_unit") && handles(r, "producer"))
        || handles(r, "operator")
}

/// R7 — 以化工园区、化工和危险化学品产生单位及危险废物经营单位为排查重点 (L706).
pub fn screening_priority<R: Fields + ?Sized>(r: &R) -> Option<Finding> {
    if r.is_blank("handler_type") {
        return None;
    }
    let rule = "screening-priority";
    let reason =
        "第706行：以辖区内化工园区、化工和危险化学品产生单位及危险废物经营单位为排查重点。"
            .to_owned();
    Some(if is_priority(r) {
        finding(
            rule,
            "排查重点",
            reason,
            vec![Issue::info(
                "is_priority",
                "排查重点单位（化工园区、化工和危险化学品产生单位或危险废物经营单位）。",
            )],
        )
    } else {
        finding(rule, "一般排查对象", reason, Vec::new())
    })
}

// ------------------------------------------------------------------ hw-facility

/// R8 — 评估、问题清单、防范措施 (L714).
pub fn facility_assessment<R: Fields + ?Sized>(r: &R) -> Finding {
    let rule = "facility-assessment";
    let reason = "第714行：督促企业自行或委托第三方开展环境安全隐患评估，根据评估结果，形成问题清单，制定防范措施并组织实施。".to_owned();
    if r.date("assessed_date").is_none() {
        return finding(
            rule,
            "待评估",
            reason,
            vec![Issue::warning(
                "assessed_date",
                "督促企业自行或委托第三方开展安全风险评估。",
            )],
        );
    }
    if r.number("issues_count").is_some_and(|n| n > 0.0) && r.date("measures_date").is_none() {
        return finding(
            rule,
            "防范措施待落实",
            reason,
            vec![Issue::warning(
                "measures_date",
                "根据评估结果形成问题清单，制定防范措施并组织实施。",
            )],
        );
    }
    finding(rule, "已评估", reason, Vec::new())
}

// ------------------------------------------------------------------ hw-complaint

/// R9 — 举报线索逐一排查核实，事事有着落，件件有回音 (L711).
pub fn complaint_handling<R: Fields + ?Sized>(r: &R) -> Finding {
    let rule = "complaint-handling";
    let reason = "第711行：举报线索逐一排查核实，做到“事事有着落，件件有回音”。".to_owned();
    let unverified = r.date("verified_date").is_none();
    let unreplied = r.date("replied_date").is_none();
    let (value, field, what) = match (unverified, unreplied) {
        (false, false) => return finding(rule, "已核实并回复", reason, Vec::new()),
        (true, true) => ("待核实、回复", "verified_date", "未核实、未回复"),
        (true, false) => ("待核实", "verified_date", "未核实"),
        (false, true) => ("待回复", "replied_date", "未回复"),
    };
    let message = format!("举报线索须逐一排查核实，做到“事事有着落，件件有回音”。（{what}）");
    finding(rule, value, reason, vec![Issue::warning(field, message)])
}

// ------------------------------------------------------------------ validate / classify

/// Every rule's finding for one record of `form` (`None`: not a form of this plugin).
pub fn findings(form: &str, r: &FormRecord, today: Option<Date>) -> Option<Vec<Finding>> {
    let all = match form {
        ENTERPRISE => vec![
            producer_plan_declaration(r),
            five_systems(r),
            screening_priority(r),
        ],
        STORAGE => vec![
            storage_one_year(r, today),
            mixed_storage(r),
            transfer_manifest(r),
        ],
        UNKNOWN_WASTE => vec![
            Some(unknown_waste_identification(r)),
            unknown_waste_result(r),
        ],
        FACILITY => vec![Some(facility_assessment(r))],
        COMPLAINT => vec![Some(complaint_handling(r))],
        // The annual return's bounds and the manifests' fields are the forms' own
        // constraints; no rule of rules.md reads them record by record.
        ANNUAL_RETURN | TRANSFER_MANIFEST => Vec::new(),
        _ => return None,
    };
    Some(all.into_iter().flatten().collect())
}

/// Field-level issues of one record of `form` on `today`.
pub fn validate(form: &str, record: &FormRecord, today: Option<Date>) -> Vec<Issue> {
    match findings(form, record, today) {
        Some(f) => f.into_iter().flat_map(|f| f.issues).collect(),
        None => vec![Issue::error("", format!("未知表单“{form}”"))],
    }
}

/// The rules' results for one record of `form` on `today`.
pub fn classify(form: &str, record: &FormRecord, today: Option<Date>) -> Vec<Classification> {
    findings(form, record, today)
        .unwrap_or_default()
        .into_iter()
        .map(|f| Classification {
            record_id: String::new(),
            rule: f.rule.to_owned(),
            value: f.value,
            reason: f.reason,
        })
        .collect()
}

// ------------------------------------------------------------------ targets

/// `part` of `whole` in percent; nothing when the population is empty (the desk shows 无数据).
fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

fn push_share(out: &mut Vec<TargetValue>, id: &str, part: u64, whole: u64) {
    if let Some(v) = share(part, whole) {
        out.push(TargetValue::district(id, v));
    }
}

fn on_or_before<R: Fields + ?Sized>(r: &R, name: &str, d: Date) -> bool {
    r.date(name).is_some_and(|x| x <= d)
}

/// Target values of `form` from its records on `as_of` (the batch the desk sends).
pub fn compute(form: &str, records: &RecordBatch, as_of: Option<Date>) -> Vec<TargetValue> {
    match as_of {
        Some(d) => compute_rows(form, records.rows(), d),
        None => Vec::new(),
    }
}

/// Target values of `form` from `records` on D = `as_of` (year Y = D's year; rules.md
/// "Target computations").
pub fn compute_rows<R: Fields>(
    form: &str,
    records: impl IntoIterator<Item = R>,
    d: Date,
) -> Vec<TargetValue> {
    let y_start = year_start(d);
    let mut out = Vec::new();
    match form {
        ENTERPRISE => {
            // enterprise-screening: screened by D; production-disposal-survey: surveyed by D.
            let (mut all, mut screened, mut surveyed) = (0, 0, 0);
            for r in records {
                all += 1;
                screened += u64::from(on_or_before(&r, "screened_date", d));
                surveyed += u64::from(on_or_before(&r, "surveyed_date", d));
            }
            push_share(&mut out, "enterprise-screening", screened, all);
            push_share(&mut out, "production-disposal-survey", surveyed, all);
        }
        ANNUAL_RETURN => {
            // disposal-utilization-rate: Σ(利用 + 处置) ÷ Σ(上年末贮存 + 产生) of year Y.
            let (mut done, mut due) = (0.0, 0.0);
            let year = f64::from(d.year);
            for r in records {
                if r.number("return_year") != Some(year) {
                    continue;
                }
                let n = |f: &str| r.number(f).unwrap_or(0.0);
                done += n("utilized_t") + n("disposed_t");
                due += n("stock_prev_t") + n("generated_t");
            }
            if due > 0.0 {
                out.push(TargetValue::district(
                    "disposal-utilization-rate",
                    done * 100.0 / due,
                ));
            }
        }
        STORAGE => {
            let (mut over, mut mixed) = (0u64, 0u64);
            for r in records {
                // storage-over-one-year: over the limit on some day of Y up to D
                // (A + 1 ≤ E and E ≥ Y-01-01, E capped at D).
                if let Some(s) = Stored::on(&r, Some(d))
                    && s.over_limit()
                    && s.end >= y_start
                {
                    over += 1;
                }
                // mixed-storage: in store on some day of [Y-01-01, D].
                let in_store = on_or_before(&r, "storage_start", d)
                    && r.date("removed_date").is_none_or(|e| e >= y_start);
                if in_store && is_yes(&r, "mixed_with_general") {
                    mixed += 1;
                }
            }
            out.push(TargetValue::district("storage-over-one-year", over as f64));
            out.push(TargetValue::district("mixed-storage", mixed as f64));
        }
        UNKNOWN_WASTE => {
            let (mut found, mut identified) = (0, 0);
            for r in records
                .into_iter()
                .filter(|r| on_or_before(r, "found_date", d))
            {
                found += 1;
                identified += u64::from(on_or_before(&r, "identified_date", d));
            }
            push_share(
                &mut out,
                "unknown-waste-identification-rate",
                identified,
                found,
            );
        }
        FACILITY => {
            let (mut registered, mut assessed) = (0, 0);
            for r in records
                .into_iter()
                .filter(|r| on_or_before(r, "registered_date", d))
            {
                registered += 1;
                assessed += u64::from(on_or_before(&r, "assessed_date", d));
            }
            push_share(
                &mut out,
                "facility-risk-assessment-rate",
                assessed,
                registered,
            );
        }
        COMPLAINT => {
            // Reports received in [Y-01-01, D], verified and answered by D.
            let (mut received, mut done) = (0, 0);
            for r in records.into_iter().filter(|r| {
                r.date("received_date")
                    .is_some_and(|x| x >= y_start && x <= d)
            }) {
                received += 1;
                done += u64::from(
                    on_or_before(&r, "verified_date", d) && on_or_before(&r, "replied_date", d),
                );
            }
            push_share(&mut out, "complaints-verified", done, received);
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use anwei_plugin_sdk::Severity;
    use anwei_plugin_sdk::content::PlanContent;
    use anwei_plugin_sdk::record::RecordBuilder;

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// The plan's targets of `form` and the fields they read (in the order the desk uses).
    fn plan_inputs(form: &str) -> (Vec<String>, Vec<String>) {
        let plan = PlanContent::from_json(crate::PLAN_JSON).unwrap();
        let ids = plan
            .targets
            .iter()
            .filter(|t| t.form.as_deref() == Some(form))
            .map(|t| t.id.clone())
            .collect();
        (ids, plan.inputs_of(form))
    }

    /// Compute as the desk does: a batch holding only the form's inputs.
    fn desk_compute(form: &str, records: &[FormRecord], as_of: &str) -> Vec<(String, f64)> {
        let (_, inputs) = plan_inputs(form);
        let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        let batch = RecordBatch::from_records(records, &inputs);
        compute(form, &batch, Date::parse(as_of))
            .into_iter()
            .map(|v| {
                assert_eq!(v.town, None);
                (v.target_id, v.value)
            })
            .collect()
    }

    fn value(values: &[(String, f64)], id: &str) -> Option<f64> {
        values.iter().find(|(t, _)| t == id).map(|(_, v)| *v)
    }

    fn assert_close(got: Option<f64>, want: f64, what: &str) {
        let got = got.unwrap_or_else(|| panic!("{what}: no value"));
        assert!((got - want).abs() < 1e-9, "{what}: {got} ≠ {want}");
    }

    /// Every target of `form` in the plan gets a value from `records`, and no other.
    fn assert_every_target(form: &str, records: &[FormRecord], as_of: &str) {
        let (ids, _) = plan_inputs(form);
        assert!(!ids.is_empty(), "{form}");
        let mut got: Vec<String> = desk_compute(form, records, as_of)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        got.sort();
        let mut want = ids;
        want.sort();
        assert_eq!(got, want, "{form}");
    }

    fn issues(form: &str, r: &FormRecord, today: &str) -> Vec<Issue> {
        validate(form, r, Date::parse(today))
    }

    fn class(form: &str, r: &FormRecord, today: &str, rule: &str) -> Option<String> {
        classify(form, r, Date::parse(today))
            .into_iter()
            .find(|c| c.rule == rule)
            .map(|c| c.value)
    }

    // -------------------------------------------------------------- dates

    #[test]
    fn day_numbers_count_calendar_days() {
        assert_eq!(day_number(date("1970-01-01")), 0);
        assert_eq!(
            day_number(date("2000-03-01")) - day_number(date("2000-02-28")),
            2
        );
        assert_eq!(days_between(date("2021-01-01"), date("2020-01-01")), 366);
        assert_eq!(days_between(date("2022-01-01"), date("2021-01-01")), 365);
        assert_eq!(days_between(date("2100-03-01"), date("2100-02-28")), 1);
        assert_eq!(day_number(date("2020-02-29")), 18_321);
    }

    #[test]
    fn anniversaries_of_one_year() {
        assert_eq!(anniversary(date("2021-03-10")), date("2022-03-10"));
        assert_eq!(anniversary(date("2019-06-01")), date("2020-06-01"));
        assert_eq!(anniversary(date("2020-02-29")), date("2021-02-28"));
        assert_eq!(anniversary(date("2023-02-28")), date("2024-02-28"));
    }

    // -------------------------------------------------------------- R1 boundaries

    fn batch_from(start: &str, removed: Option<&str>) -> FormRecord {
        let mut b = RecordBuilder::new("s")
            .date("storage_start", start)
            .flag("mixed_with_general", false);
        if let Some(e) = removed {
            b = b.date("removed_date", e).text("route", "self");
        }
        b.build()
    }

    /// (days stored on `today`, the R1 issues then).
    fn r1_on(start: &str, today: &str) -> (i64, Vec<Issue>) {
        let r = batch_from(start, None);
        let s = Stored::on(&r, Date::parse(today)).unwrap();
        (s.days(), issues(STORAGE, &r, today))
    }

    #[test]
    fn storage_365_days_is_allowed_and_366_is_a_violation_in_a_common_year() {
        let (days, i) = r1_on("2021-03-10", "2022-03-10");
        assert_eq!(days, 365);
        assert!(i.is_empty(), "{i:?}");
        let r = batch_from("2021-03-10", None);
        assert_eq!(
            class(STORAGE, &r, "2022-03-10", "storage-one-year").as_deref(),
            Some("贮存期内")
        );
        let (days, i) = r1_on("2021-03-10", "2022-03-11");
        assert_eq!(days, 366);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(i[0].field, "storage_start");
        assert_eq!(
            i[0].message,
            "危险废物贮存期限不得超过一年：该批次自2021-03-10开始贮存，2022-03-10满一年，已超期1天。"
        );
        assert_eq!(
            class(STORAGE, &r, "2022-03-11", "storage-one-year").as_deref(),
            Some("超期贮存")
        );
    }

    #[test]
    fn storage_366_days_is_allowed_and_367_is_a_violation_across_29_february() {
        let (days, i) = r1_on("2019-06-01", "2020-06-01");
        assert_eq!(days, 366);
        assert!(i.is_empty(), "{i:?}");
        let (days, i) = r1_on("2019-06-01", "2020-06-02");
        assert_eq!(days, 367);
        assert_eq!(i.len(), 1);
        assert!(i[0].message.contains("2020-06-01满一年，已超期1天"));
    }

    #[test]
    fn storage_from_29_february_is_one_year_old_on_28_february() {
        let (days, i) = r1_on("2020-02-29", "2021-02-28");
        assert_eq!(days, 365);
        assert!(i.is_empty(), "{i:?}");
        let (_, i) = r1_on("2020-02-29", "2021-03-01");
        assert_eq!(i.len(), 1);
        assert!(i[0].message.contains("2021-02-28满一年，已超期1天"));
        let (_, i) = r1_on("2020-02-29", "2021-03-31");
        assert!(i[0].message.contains("已超期31天"));
    }

    #[test]
    fn a_removed_batch_keeps_its_result() {
        let on_time = batch_from("2020-03-10", Some("2021-03-10"));
        assert!(issues(STORAGE, &on_time, "2023-01-01").is_empty());
        assert_eq!(
            class(STORAGE, &on_time, "2023-01-01", "storage-one-year").as_deref(),
            Some("按期出库")
        );
        let late = batch_from("2020-03-10", Some("2021-03-13"));
        let i = issues(STORAGE, &late, "2023-01-01");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(i[0].field, "removed_date");
        assert_eq!(
            i[0].message,
            "危险废物贮存期限不得超过一年：该批次贮存至2021-03-13出库，超期3天。"
        );
        assert_eq!(
            class(STORAGE, &late, "2023-01-01", "storage-one-year").as_deref(),
            Some("超期贮存")
        );
    }

    // -------------------------------------------------------------- R2–R9

    #[test]
    fn mixed_storage_is_a_violation() {
        let r = RecordBuilder::new("m")
            .date("storage_start", "2022-01-01")
            .flag("mixed_with_general", true)
            .build();
        let i = issues(STORAGE, &r, "2022-02-01");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(i[0].field, "mixed_with_general");
        assert_eq!(i[0].message, "严禁将危险废物混入非危险废物中贮存。");
        let clean = batch_from("2022-01-01", None);
        assert!(issues(STORAGE, &clean, "2022-02-01").is_empty());
        assert_eq!(
            class(STORAGE, &clean, "2022-02-01", "mixed-storage").as_deref(),
            Some("未混入非危险废物")
        );
    }

    #[test]
    fn an_entrusted_transfer_needs_its_manifest_number() {
        let base = || {
            RecordBuilder::new("t")
                .date("storage_start", "2022-01-01")
                .flag("mixed_with_general", false)
                .date("removed_date", "2022-02-01")
        };
        let without = base().text("route", "entrusted").build();
        let i = issues(STORAGE, &without, "2022-03-01");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(i[0].field, "manifest_no");
        assert_eq!(
            i[0].message,
            "需转移(委托)处置危险废物的，应按转移管理规定填写转移联单编号。"
        );
        let blank = base()
            .text("route", "entrusted")
            .text("manifest_no", "  ")
            .build();
        assert_eq!(issues(STORAGE, &blank, "2022-03-01").len(), 1);
        let with = base()
            .text("route", "entrusted")
            .text("manifest_no", "5303-2022-001")
            .build();
        assert!(issues(STORAGE, &with, "2022-03-01").is_empty());
        assert_eq!(
            class(STORAGE, &with, "2022-03-01", "transfer-manifest").as_deref(),
            Some("转移联单5303-2022-001")
        );
        let own = base().text("route", "self").build();
        assert!(issues(STORAGE, &own, "2022-03-01").is_empty());
        assert_eq!(
            class(STORAGE, &own, "2022-03-01", "transfer-manifest"),
            None
        );
    }

    #[test]
    fn unknown_waste_is_identified_then_secured() {
        let pending = RecordBuilder::new("u")
            .date("found_date", "2022-01-01")
            .build();
        let i = issues(UNKNOWN_WASTE, &pending, "2022-02-01");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "identified_date");
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(
            i[0].message,
            "属性不明的固体废物须按照《固体废物鉴别标准通则》(GB34330—2017)系列标准进行鉴别。"
        );
        let hazardous = RecordBuilder::new("u")
            .date("found_date", "2022-01-01")
            .date("identified_date", "2022-01-20")
            .text("result", "hazardous")
            .flag("measures_done", false)
            .build();
        let i = issues(UNKNOWN_WASTE, &hazardous, "2022-02-01");
        assert_eq!(i.len(), 2);
        assert_eq!(i[0].field, "measures_done");
        assert_eq!(i[0].message, "须根据鉴别结果严格落实环境安全防范措施。");
        assert_eq!(i[1].severity, Severity::Info);
        assert_eq!(i[1].message, "鉴别为危险废物，须纳入危险废物贮存台账管理。");
        assert_eq!(
            class(
                UNKNOWN_WASTE,
                &hazardous,
                "2022-02-01",
                "unknown-waste-result"
            )
            .as_deref(),
            Some("危险废物")
        );
        let done = RecordBuilder::new("u")
            .date("found_date", "2022-01-01")
            .date("identified_date", "2022-01-20")
            .text("result", "general")
            .flag("measures_done", true)
            .build();
        assert!(issues(UNKNOWN_WASTE, &done, "2022-02-01").is_empty());
        assert_eq!(
            class(
                UNKNOWN_WASTE,
                &done,
                "2022-02-01",
                "unknown-waste-identification"
            )
            .as_deref(),
            Some("已鉴别并落实防范措施")
        );
    }

    /// An enterprise with every yes/no answered: `set` overrides the defaults (a field
    /// given twice would read as its first value).
    fn enterprise(handler: &[&str], set: &[(&str, bool)]) -> RecordBuilder {
        let mut b = RecordBuilder::new("e")
            .text("enterprise", "甲公司")
            .choices("handler_type", handler);
        for (name, default) in [
            ("in_chemical_park", false),
            ("chemical_unit", false),
            ("management_plan", true),
            ("declared", true),
            ("ledger", true),
            ("emergency_plan", true),
            ("disclosure", true),
        ] {
            let v = set
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(default, |(_, v)| *v);
            b = b.flag(name, v);
        }
        b
    }

    #[test]
    fn producers_need_a_plan_and_a_declaration() {
        let r = enterprise(&["producer"], &[("declared", false)]).build();
        let i = issues(ENTERPRISE, &r, "2022-01-01");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "declared");
        assert_eq!(i[0].severity, Severity::Warning);
        assert_eq!(
            i[0].message,
            "产生危险废物的单位应制定危险废物管理计划，并在云南省危险废物转移管理信息系统申报。尚缺：在云南省危险废物转移管理信息系统申报。"
        );
        let both = enterprise(
            &["producer"],
            &[("management_plan", false), ("declared", false)],
        )
        .build();
        let i = issues(ENTERPRISE, &both, "2022-01-01");
        assert_eq!(i[0].field, "management_plan");
        assert!(
            i[0].message
                .ends_with("尚缺：危险废物管理计划、在云南省危险废物转移管理信息系统申报。")
        );
        // An operator that produces nothing is not asked for them.
        let operator = enterprise(&["operator"], &[("declared", false)]).build();
        assert!(
            issues(ENTERPRISE, &operator, "2022-01-01")
                .iter()
                .all(|i| i.severity == Severity::Info)
        );
    }

    #[test]
    fn the_systems_are_listed_when_missing() {
        let r = enterprise(
            &["producer"],
            &[("emergency_plan", false), ("disclosure", false)],
        )
        .build();
        let i = issues(ENTERPRISE, &r, "2022-01-01");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "emergency_plan");
        assert_eq!(
            i[0].message,
            "须严格执行收集贮存及转移台账、应急预案及信息公开等制度：应急预案、信息公开。"
        );
        assert_eq!(
            class(ENTERPRISE, &r, "2022-01-01", "five-systems").as_deref(),
            Some("制度待落实")
        );
        let ok = enterprise(&["producer"], &[]).build();
        assert!(issues(ENTERPRISE, &ok, "2022-01-01").is_empty());
        assert_eq!(
            class(ENTERPRISE, &ok, "2022-01-01", "five-systems").as_deref(),
            Some("制度已建立")
        );
    }

    #[test]
    fn screening_priority_follows_line_706() {
        let p = |r: FormRecord| class(ENTERPRISE, &r, "2022-01-01", "screening-priority");
        assert_eq!(
            p(enterprise(&["producer"], &[]).build()).as_deref(),
            Some("一般排查对象")
        );
        assert_eq!(
            p(enterprise(&["producer"], &[("in_chemical_park", true)]).build()).as_deref(),
            Some("排查重点")
        );
        assert_eq!(
            p(enterprise(&["producer"], &[("chemical_unit", true)]).build()).as_deref(),
            Some("排查重点")
        );
        assert_eq!(
            p(enterprise(&["operator"], &[]).build()).as_deref(),
            Some("排查重点")
        );
        let i = issues(
            ENTERPRISE,
            &enterprise(&["operator"], &[]).build(),
            "2022-01-01",
        );
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].severity, Severity::Info);
        assert_eq!(
            i[0].message,
            "排查重点单位（化工园区、化工和危险化学品产生单位或危险废物经营单位）。"
        );
    }

    #[test]
    fn facilities_are_assessed_and_their_problems_dealt_with() {
        let r = RecordBuilder::new("f")
            .date("registered_date", "2021-01-01")
            .build();
        let i = issues(FACILITY, &r, "2022-01-01");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "assessed_date");
        assert_eq!(i[0].message, "督促企业自行或委托第三方开展安全风险评估。");
        let problems = RecordBuilder::new("f")
            .date("assessed_date", "2021-02-01")
            .integer("issues_count", 3)
            .build();
        let i = issues(FACILITY, &problems, "2022-01-01");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "measures_date");
        assert_eq!(
            i[0].message,
            "根据评估结果形成问题清单，制定防范措施并组织实施。"
        );
        let none = RecordBuilder::new("f")
            .date("assessed_date", "2021-02-01")
            .integer("issues_count", 0)
            .build();
        assert!(issues(FACILITY, &none, "2022-01-01").is_empty());
        assert_eq!(
            class(FACILITY, &none, "2022-01-01", "facility-assessment").as_deref(),
            Some("已评估")
        );
    }

    #[test]
    fn every_report_is_verified_and_answered() {
        let open = RecordBuilder::new("c")
            .date("received_date", "2021-01-01")
            .build();
        let i = issues(COMPLAINT, &open, "2021-02-01");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "verified_date");
        assert_eq!(
            i[0].message,
            "举报线索须逐一排查核实，做到“事事有着落，件件有回音”。（未核实、未回复）"
        );
        let verified = RecordBuilder::new("c")
            .date("received_date", "2021-01-01")
            .date("verified_date", "2021-01-05")
            .build();
        let i = issues(COMPLAINT, &verified, "2021-02-01");
        assert_eq!(i[0].field, "replied_date");
        assert!(i[0].message.ends_with("（未回复）"));
        let done = RecordBuilder::new("c")
            .date("received_date", "2021-01-01")
            .date("verified_date", "2021-01-05")
            .date("replied_date", "2021-01-06")
            .build();
        assert!(issues(COMPLAINT, &done, "2021-02-01").is_empty());
    }

    #[test]
    fn an_unknown_form_is_an_error() {
        let r = RecordBuilder::new("x").build();
        let i = validate("mine-register", &r, Date::parse("2022-01-01"));
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "");
        assert_eq!(i[0].severity, Severity::Error);
        assert_eq!(i[0].message, "未知表单“mine-register”");
        assert!(classify("mine-register", &r, Date::parse("2022-01-01")).is_empty());
        assert!(
            compute(
                "mine-register",
                &RecordBatch::from_records(&[r], &[]),
                Date::parse("2022-12-31")
            )
            .is_empty()
        );
        for form in FORMS {
            let i = validate(
                form,
                &RecordBuilder::new("x").build(),
                Date::parse("2022-01-01"),
            );
            assert!(
                i.iter().all(|i| !i.message.starts_with("未知表单")),
                "{form}"
            );
        }
    }

    // -------------------------------------------------------------- fixtures of rules.md

    fn annual(year: i64, stock: f64, generated: f64, utilized: f64, disposed: f64) -> FormRecord {
        RecordBuilder::new("a")
            .text("enterprise", "甲公司")
            .integer("return_year", year)
            .decimal("stock_prev_t", stock)
            .decimal("generated_t", generated)
            .decimal("utilized_t", utilized)
            .decimal("disposed_t", disposed)
            .build()
    }

    #[test]
    fn fixture_disposal_utilization_rate() {
        let records = vec![
            annual(2022, 2.0, 10.0, 4.0, 8.0),
            annual(2022, 0.0, 5.0, 0.0, 3.0),
            annual(2021, 0.0, 7.0, 7.0, 0.0),
            annual(2022, 1.0, 0.0, 0.0, 1.0),
        ];
        let v = desk_compute(ANNUAL_RETURN, &records, "2022-12-31");
        assert_close(
            value(&v, "disposal-utilization-rate"),
            16.0 * 100.0 / 18.0,
            "2022",
        );
        assert_eq!(
            format!("{:.1}", value(&v, "disposal-utilization-rate").unwrap()),
            "88.9"
        );
        // E3 alone makes 2021: 7 of 7.
        let v = desk_compute(ANNUAL_RETURN, &records, "2021-12-31");
        assert_close(value(&v, "disposal-utilization-rate"), 100.0, "2021");
        // No return for 2020: 无数据.
        let v = desk_compute(ANNUAL_RETURN, &records, "2020-12-31");
        assert_eq!(value(&v, "disposal-utilization-rate"), None);
        assert_every_target(ANNUAL_RETURN, &records, "2022-12-31");
    }

    #[test]
    fn fixture_unknown_waste_identification_rate() {
        let rec = |found: &str, identified: Option<&str>| {
            let b = RecordBuilder::new("u").date("found_date", found);
            match identified {
                Some(d) => b.date("identified_date", d).build(),
                None => b.build(),
            }
        };
        let records = vec![
            rec("2021-05-01", Some("2021-06-15")),
            rec("2022-03-01", Some("2023-01-10")),
            rec("2022-11-20", None),
            rec("2023-02-01", None),
        ];
        let v = desk_compute(UNKNOWN_WASTE, &records, "2022-12-31");
        assert_close(
            value(&v, "unknown-waste-identification-rate"),
            100.0 / 3.0,
            "2022",
        );
        let v = desk_compute(UNKNOWN_WASTE, &records, "2023-03-01");
        assert_close(value(&v, "unknown-waste-identification-rate"), 50.0, "2023");
        let v = desk_compute(UNKNOWN_WASTE, &records, "2021-01-01");
        assert_eq!(value(&v, "unknown-waste-identification-rate"), None);
        assert_every_target(UNKNOWN_WASTE, &records, "2022-12-31");
    }

    #[test]
    fn fixture_facility_risk_assessment_rate() {
        let rec = |registered: &str, assessed: Option<&str>| {
            let b = RecordBuilder::new("f").date("registered_date", registered);
            match assessed {
                Some(d) => b.date("assessed_date", d).build(),
                None => b.build(),
            }
        };
        let records = vec![
            rec("2020-09-01", Some("2021-03-01")),
            rec("2021-01-10", Some("2022-12-31")),
            rec("2022-06-01", None),
            rec("2023-01-05", None),
        ];
        let v = desk_compute(FACILITY, &records, "2022-12-31");
        assert_close(
            value(&v, "facility-risk-assessment-rate"),
            200.0 / 3.0,
            "2022",
        );
        // B assessed on 2022-12-31: not yet the day before.
        let v = desk_compute(FACILITY, &records, "2022-12-30");
        assert_close(
            value(&v, "facility-risk-assessment-rate"),
            100.0 / 3.0,
            "2022-12-30",
        );
        assert_every_target(FACILITY, &records, "2022-12-31");
    }

    fn stored(start: &str, removed: Option<&str>, mixed: bool) -> FormRecord {
        let mut b = RecordBuilder::new("s")
            .text("enterprise", "甲公司")
            .text("waste_code", "HW08 900-249-08")
            .decimal("quantity_t", 1.5)
            .date("storage_start", start)
            .flag("mixed_with_general", mixed);
        if let Some(e) = removed {
            b = b
                .date("removed_date", e)
                .text("route", "entrusted")
                .text("manifest_no", "M1");
        }
        b.build()
    }

    #[test]
    fn fixture_storage_over_one_year() {
        let records = vec![
            stored("2020-03-10", Some("2021-03-10"), false),
            stored("2020-03-10", Some("2021-03-11"), false),
            stored("2020-02-29", None, false),
            stored("2021-01-05", None, false),
            stored("2019-06-01", Some("2020-06-02"), false),
        ];
        let over = |as_of: &str| {
            value(
                &desk_compute(STORAGE, &records, as_of),
                "storage-over-one-year",
            )
        };
        assert_eq!(over("2020-12-31"), Some(1.0)); // S5
        assert_eq!(over("2021-12-31"), Some(2.0)); // S2, S3
        assert_eq!(over("2022-12-31"), Some(2.0)); // S3, S4
        // S4 is one year old on 2022-01-05, over it from 2022-01-06.
        assert_eq!(over("2022-01-05"), Some(1.0));
        assert_eq!(over("2022-01-06"), Some(2.0));
        // S3 (from 29 February) is over from 2021-03-01; S2 from its removal on 2021-03-11.
        assert_eq!(over("2021-02-28"), Some(0.0));
        assert_eq!(over("2021-03-01"), Some(1.0));
        assert_eq!(over("2021-03-10"), Some(1.0));
        assert_eq!(over("2021-03-11"), Some(2.0));
        // S5 alone, leap year: removed on day 366 it would not count.
        let s5_day_366 = vec![stored("2019-06-01", Some("2020-06-01"), false)];
        assert_eq!(
            value(
                &desk_compute(STORAGE, &s5_day_366, "2020-12-31"),
                "storage-over-one-year"
            ),
            Some(0.0)
        );
        assert_every_target(STORAGE, &records, "2022-12-31");
    }

    #[test]
    fn fixture_mixed_storage() {
        let records = vec![
            stored("2021-02-01", None, true),
            stored("2019-01-01", Some("2020-12-31"), true),
            stored("2021-03-01", None, false),
            stored("2022-01-03", None, true),
        ];
        let mixed = |as_of: &str| value(&desk_compute(STORAGE, &records, as_of), "mixed-storage");
        assert_eq!(mixed("2020-12-31"), Some(1.0));
        assert_eq!(mixed("2021-12-31"), Some(1.0));
        assert_eq!(mixed("2022-12-31"), Some(2.0));
        // M4 is not in store yet on 2022-01-02.
        assert_eq!(mixed("2022-01-02"), Some(1.0));
    }

    #[test]
    fn fixture_enterprise_screening_and_survey() {
        let rec = |handler: &[&str], screened: Option<&str>, surveyed: Option<&str>| {
            let mut b = enterprise(handler, &[]);
            if let Some(d) = screened {
                b = b.date("screened_date", d);
            }
            if let Some(d) = surveyed {
                b = b.date("surveyed_date", d);
            }
            b.build()
        };
        let records = vec![
            rec(&["producer"], Some("2020-08-01"), Some("2020-09-01")),
            rec(&["operator"], None, None),
            rec(
                &["producer", "operator"],
                Some("2022-12-31"),
                Some("2023-02-01"),
            ),
            rec(&["producer"], Some("2023-01-04"), Some("2021-04-01")),
        ];
        let v = desk_compute(ENTERPRISE, &records, "2022-12-31");
        assert_close(value(&v, "enterprise-screening"), 50.0, "screening 2022");
        assert_close(value(&v, "production-disposal-survey"), 50.0, "survey 2022");
        let v = desk_compute(ENTERPRISE, &records, "2021-12-31");
        assert_close(value(&v, "enterprise-screening"), 25.0, "screening 2021");
        assert_close(value(&v, "production-disposal-survey"), 50.0, "survey 2021");
        let v = desk_compute(ENTERPRISE, &records, "2023-12-31");
        assert_close(value(&v, "enterprise-screening"), 75.0, "screening 2023");
        assert_close(value(&v, "production-disposal-survey"), 75.0, "survey 2023");
        assert_every_target(ENTERPRISE, &records, "2022-12-31");
        assert!(desk_compute(ENTERPRISE, &[], "2022-12-31").is_empty());
    }

    #[test]
    fn fixture_complaints_verified() {
        let rec = |received: &str, verified: Option<&str>, replied: Option<&str>| {
            let mut b = RecordBuilder::new("c")
                .date("received_date", received)
                .text("channel", "phone")
                .text("content", "倾倒");
            if let Some(d) = verified {
                b = b.date("verified_date", d);
            }
            if let Some(d) = replied {
                b = b.date("replied_date", d);
            }
            b.build()
        };
        let records = vec![
            rec("2021-03-01", Some("2021-03-10"), Some("2021-03-12")),
            rec("2021-06-01", Some("2021-06-05"), None),
            rec("2021-12-30", Some("2022-01-04"), Some("2022-01-05")),
            rec("2020-12-20", Some("2020-12-22"), Some("2020-12-23")),
        ];
        let verified = |as_of: &str| {
            value(
                &desk_compute(COMPLAINT, &records, as_of),
                "complaints-verified",
            )
        };
        assert_close(verified("2020-12-31"), 100.0, "2020");
        assert_close(verified("2021-12-31"), 100.0 / 3.0, "2021");
        // C4 answered on 2020-12-23: not done on 2020-12-22.
        assert_close(verified("2020-12-22"), 0.0, "2020-12-22");
        assert_eq!(verified("2022-12-31"), None);
        assert_every_target(COMPLAINT, &records, "2021-12-31");
    }

    // -------------------------------------------------------------- inputs are complete

    /// A register of `form` where every branch of its computations occurs, with fields the
    /// targets do not read.
    fn register(form: &str, n: usize) -> Vec<FormRecord> {
        let dates = [
            "2019-06-01",
            "2020-02-29",
            "2020-03-10",
            "2021-03-10",
            "2021-03-11",
            "2021-12-30",
            "2022-01-05",
            "2022-12-31",
            "2023-01-04",
        ];
        let d = |i: usize, k: usize| dates[(i * k + k) % dates.len()];
        (0..n)
            .map(|i| {
                let mut b = RecordBuilder::new(&format!("r{i}"))
                    .text("enterprise", &format!("第{i}号企业"))
                    .text("town", "越州镇")
                    .text("remarks", "无");
                b = match form {
                    ENTERPRISE => b
                        .choices(
                            "handler_type",
                            [&["producer"][..], &["operator"], &["producer", "operator"]][i % 3],
                        )
                        .flag("in_chemical_park", i % 4 == 0)
                        .flag("chemical_unit", i % 5 == 0)
                        .flag("management_plan", i % 2 == 0)
                        .flag("declared", i % 3 == 0),
                    ANNUAL_RETURN => b
                        .integer("return_year", 2019 + (i % 5) as i64)
                        .decimal("stock_prev_t", (i % 3) as f64)
                        .decimal("generated_t", (i % 7) as f64 + 0.5)
                        .decimal("utilized_t", (i % 2) as f64)
                        .text("disposed_t", &format!("{}", i % 4)),
                    STORAGE => b
                        .date("storage_start", d(i, 1))
                        .flag("mixed_with_general", i % 3 == 0)
                        .text("waste_code", "HW49"),
                    UNKNOWN_WASTE => b.date("found_date", d(i, 1)).text("result", "general"),
                    FACILITY => b
                        .date("registered_date", d(i, 1))
                        .integer("issues_count", (i % 3) as i64),
                    COMPLAINT => b.date("received_date", d(i, 1)).text("channel", "letter"),
                    _ => b,
                };
                if i % 3 != 1 {
                    let later = d(i, 2);
                    b = match form {
                        ENTERPRISE => b
                            .date("screened_date", later)
                            .date("surveyed_date", d(i, 3)),
                        STORAGE => b.date("removed_date", later).text("route", "self"),
                        UNKNOWN_WASTE => b.date("identified_date", later),
                        FACILITY => b.date("assessed_date", later),
                        COMPLAINT => b.date("verified_date", later).date("replied_date", d(i, 4)),
                        _ => b,
                    };
                }
                b.build()
            })
            .collect()
    }

    #[test]
    fn compute_over_the_inputs_equals_compute_over_whole_records() {
        for form in FORMS {
            let (ids, _) = plan_inputs(form);
            let records = register(form, 120);
            for as_of in [
                "2020-06-30",
                "2020-12-31",
                "2021-12-31",
                "2022-03-11",
                "2022-12-31",
            ] {
                let whole: Vec<(String, f64)> = compute_rows(form, records.iter(), date(as_of))
                    .into_iter()
                    .map(|v| (v.target_id, v.value))
                    .collect();
                let desk = desk_compute(form, &records, as_of);
                assert_eq!(whole.len(), desk.len(), "{form} {as_of}");
                for ((a, x), (b, y)) in whole.iter().zip(&desk) {
                    assert_eq!(a, b);
                    assert_eq!(x.to_bits(), y.to_bits(), "{form} {a} {as_of}");
                }
                for (id, _) in &whole {
                    assert!(ids.contains(id), "{form}: {id} is not a target of the form");
                }
            }
        }
        // The registers do exercise the computations.
        let v = desk_compute(STORAGE, &register(STORAGE, 120), "2021-12-31");
        assert!(value(&v, "storage-over-one-year").unwrap() > 0.0);
        assert!(value(&v, "mixed-storage").unwrap() > 0.0);
    }
}
