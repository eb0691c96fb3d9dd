//! The rules of 附件4 as the seed states them (seed 001 lines 176–295, as `cat -n` counts
//! them; `content/rules.md` is the specification of every computed target and check).
//!
//! Every rule reads records through [`Fields`], so `validate` and `classify` (a
//! [`FormRecord`]) and `compute` (a [`Row`](anwei_plugin_sdk::Row) of the batch the desk
//! sends) apply the same code to the same values. This module holds the dispatch by form and
//! the mine register (煤矿台账); [`annual`] the yearly ledger (煤矿年度统计台账).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::serde::{Deserialize, Serialize};
use anwei_plugin_sdk::summary::Summary;
use anwei_plugin_sdk::{Classification, Fields, FormRecord, Issue, TargetValue};

pub mod annual;

/// 煤矿台账: one record per mine.
pub const REGISTER: &str = "mine-register";
/// 煤矿年度统计台账: one record per mine per year.
pub const ANNUAL: &str = "mine-annual";

/// Field-level issues of one record of `form` on `today`.
pub fn validate(form: &str, r: &FormRecord, today: Option<Date>) -> Vec<Issue> {
    match form {
        REGISTER => validate_register(r, today),
        ANNUAL => annual::validate(r, today),
        _ => vec![Issue::error("", format!("未知表单“{form}”"))],
    }
}

/// The rules' results for one record of `form` on `today` (the yearly ledger has none).
pub fn classify(form: &str, r: &FormRecord, today: Option<Date>) -> Vec<Classification> {
    match form {
        REGISTER => classify_register(r, today),
        _ => Vec::new(),
    }
}

/// Target values of `form` from its records (as `FormRecord`s or batch rows) on `as_of`.
pub fn compute<R: Fields>(
    form: &str,
    records: impl IntoIterator<Item = R>,
    as_of: Option<Date>,
) -> Vec<TargetValue> {
    match form {
        REGISTER => Tally::of(records, as_of).values(),
        ANNUAL => annual::AnnualTally::of(records, as_of).values(as_of),
        _ => Vec::new(),
    }
}

/// A date of the plan (all valid calendar dates).
pub(crate) const fn date(year: i32, month: u32, day: u32) -> Date {
    Date { year, month, day }
}

/// Whether `today` is known and later than `deadline` ("by date D": in time on D, late from
/// D + 1).
pub(crate) fn past(today: Option<Date>, deadline: Date) -> bool {
    today.is_some_and(|t| t > deadline)
}

/// "30万吨/年以下煤矿" (L189, L203): read as below 30 (see notes.md, doubt 5).
pub const SMALL_MINE_CAPACITY: f64 = 30.0;
/// "完成30万吨/年以下煤矿关闭退出" in the 排查整治 phase (L185–189), which ends 2020-12-31.
pub const SMALL_MINES_CLOSED_BY: Date = date(2020, 12, 31);
/// "6月底前关闭4处" (L201): the mines listed for direct closure.
pub const DIRECT_CLOSURE_BY: Date = date(2020, 6, 30);
/// "到2021年底，所有纳入关闭煤矿全部关闭到位" (L201).
pub const ALL_CLOSED_BY: Date = date(2021, 12, 31);
/// "在2020年9月底前完成鉴定" (L237).
pub const OUTBURST_ASSESSMENT_BY: Date = date(2020, 9, 30);

/// "超过6个月未鉴定的一律直接认定为煤与瓦斯突出矿井" (L237).
pub const OUTBURST_ASSESSMENT_MONTHS: u32 = 6;

/// Monitoring-upgrade deadlines (L259–260).
pub fn monitoring_deadline(major: bool) -> Date {
    if major {
        date(2020, 6, 30)
    } else {
        date(2020, 12, 30)
    }
}

/// 保留煤矿清单: 单独保留 or 整合保留 (L201).
fn is_retained<R: Fields + ?Sized>(r: &R) -> bool {
    matches!(r.choice("group"), Some("keep") | Some("merge_keep"))
}

/// The registered status is 已关闭.
fn is_closed<R: Fields + ?Sized>(r: &R) -> bool {
    r.choice("status") == Some("closed")
}

/// 30万吨/年以下 (L189): a registered capacity below 30.
fn is_small<R: Fields + ?Sized>(r: &R) -> bool {
    r.number("capacity")
        .is_some_and(|c| c < SMALL_MINE_CAPACITY)
}

/// The mine must have an outburst-risk assessment (恩洪矿区, same seam, below 始突标高).
pub fn needs_assessment<R: Fields + ?Sized>(r: &R) -> bool {
    r.flag("in_enhong") == Some(true)
        && r.flag("same_seam") == Some(true)
        && r.flag("below_outburst_level") == Some(true)
}

/// Whether the mine is deemed 煤与瓦斯突出 because its assessment is older than 6 months
/// (or missing) on `today`.
pub fn deemed_outburst<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> Option<String> {
    if r.choice("gas_class") == Some("outburst") || !needs_assessment(r) {
        return None;
    }
    let today = today?;
    match r.date("outburst_assessed") {
        None => Some(
            "需开展突出危险性鉴定但没有鉴定日期，超过6个月未鉴定的一律直接认定为煤与瓦斯突出矿井"
                .to_owned(),
        ),
        Some(d) if d.add_months(OUTBURST_ASSESSMENT_MONTHS) < today => Some(format!(
            "最近一次突出危险性鉴定为{d}，超过6个月未鉴定，一律直接认定为煤与瓦斯突出矿井"
        )),
        Some(_) => None,
    }
}

/// The gas class that applies: the recorded one, or 煤与瓦斯突出 when deemed.
pub fn effective_gas_class<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> &str {
    if deemed_outburst(r, today).is_some() {
        "outburst"
    } else {
        r.choice("gas_class").unwrap_or("other")
    }
}

fn is_major<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> bool {
    r.choice("scale") == Some("large")
        || matches!(effective_gas_class(r, today), "outburst" | "high")
}

/// The mine register's checks (煤矿台账).
pub fn validate_register(r: &FormRecord, today: Option<Date>) -> Vec<Issue> {
    let mut out = Vec::new();
    for (name, label) in [
        ("name", "煤矿名称"),
        ("town", "所在镇(街道)"),
        ("capacity", "核定(设计)产能"),
        ("gas_class", "瓦斯等级"),
        ("group", "整治分类"),
    ] {
        if r.is_blank(name) {
            out.push(Issue::error(name, format!("请填写{label}")));
        }
    }
    let capacity = r.number("capacity");
    if let Some(c) = capacity {
        if c < 0.0 {
            out.push(Issue::error("capacity", "产能不能为负数"));
        }
        if c < 30.0 && is_retained(r) {
            out.push(Issue::error(
                "group",
                format!("产能{c}万吨/年低于30万吨/年：30万吨/年以下煤矿应于2020年底前关闭退出，不能列入保留煤矿"),
            ));
        }
    }
    if let Some(d) = r.number("depth")
        && d < 0.0
    {
        out.push(Issue::error("depth", "开采深度不能为负数"));
    }

    // 严格准入门槛 (L203–206).
    let project = r.choice("project").unwrap_or("none");
    if project == "new" || project == "expand" {
        let gas = effective_gas_class(r, today);
        let large_or_medium = matches!(r.choice("scale"), Some("large") | Some("medium"));
        let pc = r.number("project_capacity");
        let pd = r.number("project_depth");
        if project == "new" {
            out.push(Issue::warning(
                "project",
                "禁止核准、审批新建项目；确需新建的，项目核准、审批须上报省人民政府批准同意",
            ));
        }
        if let Some(pc) = pc {
            if project == "expand" && pc < 30.0 {
                out.push(Issue::error(
                    "project_capacity",
                    "停止审批改扩建后产能低于30万吨/年的煤矿",
                ));
            }
            if gas == "outburst" && pc < 90.0 {
                out.push(Issue::error(
                    "project_capacity",
                    "停止审批新建和改扩建后产能低于90万吨/年的煤与瓦斯突出煤矿项目",
                ));
            }
            if gas == "outburst" && pc > 500.0 {
                out.push(Issue::error(
                    "project_capacity",
                    "停止审批新建和改扩建产能高于500万吨/年的煤与瓦斯突出煤矿项目",
                ));
            }
            if gas == "high" && pc > 800.0 {
                out.push(Issue::error(
                    "project_capacity",
                    "停止审批新建和改扩建产能高于800万吨/年的高瓦斯煤矿项目",
                ));
            }
        } else {
            out.push(Issue::error(
                "project_capacity",
                "有在建项目时请填写项目建成后产能",
            ));
        }
        if let Some(pd) = pd {
            if large_or_medium && project == "new" && pd > 1000.0 {
                out.push(Issue::error(
                    "project_depth",
                    "停止审批新建开采深度超1000米的大中型及以上煤矿项目",
                ));
            }
            if large_or_medium && project == "expand" && pd > 1200.0 {
                out.push(Issue::error(
                    "project_depth",
                    "停止审批改扩建开采深度超1200米的大中型及以上煤矿项目",
                ));
            }
            if !large_or_medium && project == "expand" && pd > 600.0 {
                out.push(Issue::error(
                    "project_depth",
                    "停止审批改扩建开采深度超600米的其他煤矿项目",
                ));
            }
        }
    }

    // 突出危险性鉴定 (L237).
    if let Some(reason) = deemed_outburst(r, today) {
        out.push(Issue::warning("gas_class", reason));
    }

    // 监控系统升级改造 (L259–260).
    if r.choice("status") != Some("closed") && r.choice("group") != Some("close") {
        let deadline = monitoring_deadline(is_major(r, today));
        match r.date("monitoring_upgraded") {
            Some(done) if done > deadline => out.push(Issue::warning(
                "monitoring_upgraded",
                format!("安全监控系统升级改造晚于期限{deadline}完成"),
            )),
            Some(_) => {}
            None => {
                if today.is_some_and(|t| t > deadline) {
                    out.push(Issue::error(
                        "monitoring_upgraded",
                        format!("安全监控系统升级改造已逾期：期限为{deadline}"),
                    ));
                }
            }
        }
    }

    if matches!(r.choice("group"), Some("close") | Some("merge_close"))
        && r.choice("status") == Some("producing")
    {
        out.push(Issue::warning(
            "status",
            "列入关闭退出清单的煤矿仍在正常生产",
        ));
    }
    if r.flag("fully_mech") == Some(true) && r.flag("mech_mining") == Some(false) {
        out.push(Issue::warning(
            "mech_mining",
            "已综合机械化开采的矿井应同时为机械化开采",
        ));
    }

    // 关闭退出的期限 (rules.md §3.1 R1–R3).
    if !is_closed(r) {
        // R1, L189: 排查整治阶段完成30万吨/年以下煤矿关闭退出.
        if is_small(r) && past(today, SMALL_MINES_CLOSED_BY) {
            out.push(Issue::warning(
                "status",
                "30万吨/年以下煤矿应于2020年底前（排查整治阶段）完成关闭退出",
            ));
        }
        match r.choice("group") {
            // R2, L201: 6月底前关闭4处 (the 直接关闭退出 list).
            Some("close") if past(today, DIRECT_CLOSURE_BY) => out.push(Issue::warning(
                "status",
                "列入直接关闭退出的煤矿应于2020年6月底前完成现场关闭",
            )),
            // R3, L201: 到2021年底，所有纳入关闭煤矿全部关闭到位 (整合关闭; 关闭退出 is R2).
            Some("merge_close") if past(today, ALL_CLOSED_BY) => out.push(Issue::warning(
                "status",
                "到2021年底，所有纳入关闭煤矿全部关闭到位",
            )),
            _ => {}
        }
    }
    // R4, L201: 整合重组3处7家煤矿 — a merged mine names its group.
    if matches!(r.choice("group"), Some("merge_keep") | Some("merge_close"))
        && r.is_blank("merge_group")
    {
        out.push(Issue::warning(
            "merge_group",
            "请填写整合重组组别（整合重组3处7家煤矿）",
        ));
    }
    // R5, L237: 在2020年9月底前完成鉴定.
    if needs_assessment(r)
        && r.choice("gas_class") != Some("outburst")
        && r.date("outburst_assessed").is_none()
        && past(today, OUTBURST_ASSESSMENT_BY)
    {
        out.push(Issue::warning(
            "outburst_assessed",
            "应在2020年9月底前完成突出危险性鉴定",
        ));
    }
    out
}

/// The mine register's classifications: gas class, monitoring deadline, 两个清单.
pub fn classify_register(r: &FormRecord, today: Option<Date>) -> Vec<Classification> {
    let id = r.id.clone();
    let mut out = Vec::new();
    let gas = effective_gas_class(r, today);
    let (value, reason) = match (gas, deemed_outburst(r, today)) {
        ("outburst", Some(reason)) => ("煤与瓦斯突出".to_owned(), reason),
        ("outburst", None) => ("煤与瓦斯突出".to_owned(), "登记的瓦斯等级".to_owned()),
        ("high", _) => ("高瓦斯".to_owned(), "登记的瓦斯等级".to_owned()),
        _ => ("其他".to_owned(), "登记的瓦斯等级".to_owned()),
    };
    out.push(Classification {
        record_id: id.clone(),
        rule: "gas-class".to_owned(),
        value,
        reason,
    });
    let major = is_major(r, today);
    out.push(Classification {
        record_id: id.clone(),
        rule: "monitoring-deadline".to_owned(),
        value: monitoring_deadline(major).to_string(),
        reason: if major {
            "大型矿井、煤与瓦斯突出矿井和高瓦斯矿井于2020年6月30日前完成".to_owned()
        } else {
            "其他矿井于2020年12月30前完成".to_owned()
        },
    });
    let list = if is_retained(r) {
        "保留煤矿"
    } else {
        "关闭退出煤矿"
    };
    out.push(Classification {
        record_id: id,
        rule: "two-lists".to_owned(),
        value: list.to_owned(),
        reason: "“两个清单”".to_owned(),
    });
    out
}

/// `part` as a percentage of `whole`; none when the whole is empty (the desk shows 无数据).
pub(crate) fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// What the targets count and add up over some of the mine register's records: the tally of
/// the whole register is the tallies of its batches merged ([`Summary`]), so a register of
/// any size is computed one batch at a time. The register has no closure dates: counts are
/// the state as registered (`as_of` matters for the outburst deeming and assessment).
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(crate = "anwei_plugin_sdk::serde")]
pub struct Tally {
    /// Mines kept (保留 or 整合保留): the whole of the retained mines' shares.
    retained: u64,
    /// Their capacity, 万吨/年.
    capacity: f64,
    producing: u64,
    /// Producing mines of standardisation grade 1 or 2.
    producing_standardised: u64,
    grade1: u64,
    mechanised: u64,
    fully_mechanised: u64,
    aux_automation: u64,
    major_total: u64,
    major_done: u64,
    other_total: u64,
    other_done: u64,
    /// Retained mines owned by the state or the province (L195 含国有煤矿2处).
    state: u64,
    /// 单独保留 (L201 单独保留5处).
    kept_alone: u64,
    /// 整合保留 (L201 整合保留3处).
    merged_kept: u64,
    /// 关闭退出 and closed (L201 6月底前关闭4处).
    direct_closed: u64,
    /// 关闭退出 or 整合关闭, and closed (L201 关闭退出8处).
    closed: u64,
    /// Below 30万吨/年 and not closed, any group (L189).
    small_open: u64,
    /// Not closed, not registered 突出, needing an assessment (L237).
    assess_total: u64,
    /// Of those, assessed on or before `as_of`.
    assess_done: u64,
}

impl Summary for Tally {
    fn merge(&mut self, o: Tally) {
        self.retained += o.retained;
        self.capacity += o.capacity;
        self.producing += o.producing;
        self.producing_standardised += o.producing_standardised;
        self.grade1 += o.grade1;
        self.mechanised += o.mechanised;
        self.fully_mechanised += o.fully_mechanised;
        self.aux_automation += o.aux_automation;
        self.major_total += o.major_total;
        self.major_done += o.major_done;
        self.other_total += o.other_total;
        self.other_done += o.other_done;
        self.state += o.state;
        self.kept_alone += o.kept_alone;
        self.merged_kept += o.merged_kept;
        self.direct_closed += o.direct_closed;
        self.closed += o.closed;
        self.small_open += o.small_open;
        self.assess_total += o.assess_total;
        self.assess_done += o.assess_done;
    }
}

impl Tally {
    /// The tally of `records` as of `as_of` (the outburst deeming and the assessment count
    /// depend on the date).
    pub fn of<R: Fields>(records: impl IntoIterator<Item = R>, as_of: Option<Date>) -> Tally {
        let mut t = Tally::default();
        for r in records {
            t.add(&r, as_of);
        }
        t
    }

    fn add<R: Fields>(&mut self, r: &R, as_of: Option<Date>) {
        let group = r.choice("group");
        let closed = is_closed(r);
        match group {
            Some("keep") => self.kept_alone += 1,
            Some("merge_keep") => self.merged_kept += 1,
            _ => {}
        }
        if closed {
            match group {
                Some("close") => {
                    self.direct_closed += 1;
                    self.closed += 1;
                }
                Some("merge_close") => self.closed += 1,
                _ => {}
            }
        } else {
            if is_small(r) {
                self.small_open += 1;
            }
            // The registered class: the deeming (effective class) follows from a missing
            // assessment, so it cannot decide who needs one.
            if needs_assessment(r) && r.choice("gas_class") != Some("outburst") {
                self.assess_total += 1;
                let done = match (r.date("outburst_assessed"), as_of) {
                    (Some(d), Some(as_of)) => d <= as_of,
                    _ => false,
                };
                self.assess_done += u64::from(done);
            }
        }
        if !is_retained(r) {
            return;
        }
        self.retained += 1;
        if matches!(r.choice("ownership"), Some("state") | Some("provincial")) {
            self.state += 1;
        }
        if let Some(c) = r.number("capacity") {
            self.capacity += c;
        }
        let standardisation = r.choice("standardisation");
        if r.choice("status") == Some("producing") {
            self.producing += 1;
            if matches!(standardisation, Some("grade1") | Some("grade2")) {
                self.producing_standardised += 1;
            }
        }
        if standardisation == Some("grade1") {
            self.grade1 += 1;
        }
        if r.flag("mech_mining") == Some(true) && r.flag("mech_heading") == Some(true) {
            self.mechanised += 1;
        }
        if r.flag("fully_mech") == Some(true) {
            self.fully_mechanised += 1;
        }
        if r.flag("aux_automation") == Some(true) {
            self.aux_automation += 1;
        }
        let major = is_major(r, as_of);
        let deadline = monitoring_deadline(major);
        let done = u64::from(r.date("monitoring_upgraded").is_some_and(|d| d <= deadline));
        if major {
            self.major_total += 1;
            self.major_done += done;
        } else {
            self.other_total += 1;
            self.other_done += done;
        }
    }

    /// The target values the tally gives: counts always, a share only when its whole is not
    /// empty.
    pub fn values(&self) -> Vec<TargetValue> {
        let n = self.retained;
        let mut out = vec![TargetValue::district("mine-count", n as f64)];
        for (id, count) in [
            ("state-mines", self.state),
            ("kept-alone-mines", self.kept_alone),
            ("merged-kept-mines", self.merged_kept),
            ("direct-closures", self.direct_closed),
            ("closures", self.closed),
            ("small-mines-open", self.small_open),
        ] {
            out.push(TargetValue::district(id, count as f64));
        }
        out.push(TargetValue::district("capacity", self.capacity));
        if n > 0 {
            out.push(TargetValue::district(
                "avg-capacity",
                self.capacity / n as f64,
            ));
        }
        if let Some(v) = share(self.producing_standardised, self.producing) {
            out.push(TargetValue::district("standardised-share", v));
        }
        out.push(TargetValue::district("grade1-count", self.grade1 as f64));
        for (id, part) in [
            ("mechanised-share", self.mechanised),
            ("fully-mechanised-share", self.fully_mechanised),
            ("aux-automation-share", self.aux_automation),
        ] {
            if let Some(v) = share(part, n) {
                out.push(TargetValue::district(id, v));
            }
        }
        if let Some(v) = share(self.major_done, self.major_total) {
            out.push(TargetValue::district("monitoring-upgrade-major", v));
        }
        if let Some(v) = share(self.other_done, self.other_total) {
            out.push(TargetValue::district("monitoring-upgrade-other", v));
        }
        if let Some(v) = share(self.assess_done, self.assess_total) {
            out.push(TargetValue::district("outburst-assessment", v));
        }
        out
    }
}

/// Helpers the tests of both forms share.
#[cfg(test)]
pub(crate) mod testing {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use anwei_plugin_sdk::record::RecordBuilder;
    use anwei_plugin_sdk::{FormRecord, SectorPlugin, Target, TargetValue};

    /// The targets of `form` in plan.json.
    pub fn targets_of(form: &str) -> Vec<Target> {
        crate::CoalMining::describe()
            .targets
            .into_iter()
            .filter(|t| t.form.as_deref() == Some(form))
            .collect()
    }

    /// Every input of the targets of `form` (what the desk sends `compute`).
    pub fn inputs_of(form: &str) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for t in targets_of(form) {
            for i in t.inputs {
                if !v.contains(&i) {
                    v.push(i);
                }
            }
        }
        v
    }

    /// A record from `(field, text)` pairs (the `Fields` reads parse numbers, flags and dates
    /// from text); an empty text leaves the field out.
    pub fn record(id: &str, fields: &[(&str, &str)]) -> FormRecord {
        fields
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .fold(RecordBuilder::new(id), |b, (k, v)| b.text(k, v))
            .build()
    }

    /// `base` with `changes` replacing (or, with an empty text, removing) its fields.
    pub fn changed(base: &[(&str, &str)], changes: &[(&str, &str)]) -> FormRecord {
        let mut fields: Vec<(&str, &str)> = base.to_vec();
        for (k, v) in changes {
            match fields.iter_mut().find(|(n, _)| n == k) {
                Some(f) => f.1 = v,
                None => fields.push((k, v)),
            }
        }
        record("r", &fields)
    }

    /// Asserts that `got` is exactly `expected`: `expected` names every computed target of
    /// `form` (so a fixture cannot forget one), `Some(v)` is present and equal to v (to 1e-9),
    /// `None` is absent, and nothing else is returned.
    pub fn assert_values(
        form: &str,
        got: &[TargetValue],
        expected: &[(&str, Option<f64>)],
        context: &str,
    ) {
        let mut plan: Vec<String> = targets_of(form).into_iter().map(|t| t.id).collect();
        let mut listed: Vec<String> = expected.iter().map(|(id, _)| (*id).to_owned()).collect();
        plan.sort();
        listed.sort();
        assert_eq!(
            listed, plan,
            "{context}: the expectation must list every target of {form}"
        );
        for v in got {
            assert!(v.town.is_none(), "{context}: {}", v.target_id);
            assert_eq!(
                got.iter().filter(|w| w.target_id == v.target_id).count(),
                1,
                "{context}: {} twice",
                v.target_id
            );
        }
        for (id, want) in expected {
            let value = got.iter().find(|v| v.target_id == *id).map(|v| v.value);
            match (value, want) {
                (None, None) => {}
                (Some(a), Some(b)) => assert!(
                    (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                    "{context}: {id} = {a}, expected {b}"
                ),
                _ => panic!("{context}: {id} = {value:?}, expected {want:?}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::testing::{assert_values, changed, record};
    use super::*;
    use anwei_plugin_sdk::record::RecordBuilder;

    fn d(s: &str) -> Option<Date> {
        Date::parse(s)
    }

    #[test]
    fn seven_months_without_assessment_is_outburst() {
        let r = RecordBuilder::new("m1")
            .text("gas_class", "high")
            .flag("in_enhong", true)
            .flag("same_seam", true)
            .flag("below_outburst_level", true)
            .date("outburst_assessed", "2020-01-15")
            .build();
        assert_eq!(
            effective_gas_class(&r, Date::parse("2020-08-15")),
            "outburst"
        );
        assert_eq!(effective_gas_class(&r, Date::parse("2020-07-10")), "high");
    }

    /// rules.md §1 fixture R1: the lists and the closures.
    fn fixture_r1() -> Vec<FormRecord> {
        [
            ("keep", "state", "producing", "90"),
            ("keep", "provincial", "producing", "60"),
            ("merge_keep", "private", "building", "45"),
            ("close", "private", "closed", "15"),
            ("close", "private", "producing", "21"),
            ("merge_close", "private", "closed", "30"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (group, ownership, status, capacity))| {
            record(
                &format!("r{}", i + 1),
                &[
                    ("group", group),
                    ("ownership", ownership),
                    ("status", status),
                    ("capacity", capacity),
                ],
            )
        })
        .collect()
    }

    #[test]
    fn fixture_r1_counts_the_two_lists_and_the_closures() {
        let got = compute(REGISTER, fixture_r1().iter(), d("2020-12-31"));
        assert_values(
            REGISTER,
            &got,
            &[
                ("mine-count", Some(3.0)),
                ("capacity", Some(195.0)),
                ("avg-capacity", Some(65.0)),
                ("state-mines", Some(2.0)),
                ("kept-alone-mines", Some(2.0)),
                ("merged-kept-mines", Some(1.0)),
                ("direct-closures", Some(1.0)),
                ("closures", Some(2.0)),
                ("small-mines-open", Some(1.0)),
                // #1 and #2 produce, with no standardisation grade registered.
                ("standardised-share", Some(0.0)),
                ("grade1-count", Some(0.0)),
                ("mechanised-share", Some(0.0)),
                ("fully-mechanised-share", Some(0.0)),
                ("aux-automation-share", Some(0.0)),
                // No scale or gas class: the three retained mines have the 12-30 deadline.
                ("monitoring-upgrade-major", None),
                ("monitoring-upgrade-other", Some(0.0)),
                // No mine needs an assessment.
                ("outburst-assessment", None),
            ],
            "R1",
        );
    }

    #[test]
    fn small_mines_open_counts_below_30_only_while_open() {
        let count = |capacity: &str, status: &str| {
            let r = record("m", &[("capacity", capacity), ("status", status)]);
            let v = compute(REGISTER, [&r], d("2020-12-31"));
            v.iter()
                .find(|v| v.target_id == "small-mines-open")
                .map(|v| v.value)
        };
        assert_eq!(count("29.99", "suspended"), Some(1.0));
        assert_eq!(count("30", "suspended"), Some(0.0));
        assert_eq!(count("29.99", "closed"), Some(0.0));
        assert_eq!(count("", "producing"), Some(0.0));
    }

    /// rules.md §1 fixture R2: who must be assessed, and by when.
    fn fixture_r2() -> Vec<FormRecord> {
        [
            ("producing", "high", "yes", "yes", "yes", "2020-08-15"),
            ("building", "other", "yes", "yes", "yes", ""),
            ("producing", "outburst", "yes", "yes", "yes", ""),
            ("closed", "high", "yes", "yes", "yes", ""),
            ("producing", "other", "yes", "no", "yes", ""),
            ("producing", "other", "yes", "yes", "yes", "2020-10-10"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (status, gas, enhong, seam, below, assessed))| {
            record(
                &format!("r{}", i + 1),
                &[
                    ("status", status),
                    ("gas_class", gas),
                    ("in_enhong", enhong),
                    ("same_seam", seam),
                    ("below_outburst_level", below),
                    ("outburst_assessed", assessed),
                ],
            )
        })
        .collect()
    }

    #[test]
    fn fixture_r2_outburst_assessment_by_as_of() {
        for (as_of, share) in [
            ("2020-08-14", 0.0),
            ("2020-09-30", 100.0 / 3.0),
            ("2020-10-09", 100.0 / 3.0),
            ("2020-10-10", 200.0 / 3.0),
            ("2020-12-31", 200.0 / 3.0),
        ] {
            let got = compute(REGISTER, fixture_r2().iter(), d(as_of));
            assert_values(
                REGISTER,
                &got,
                &[
                    ("outburst-assessment", Some(share)),
                    // No mine has a group: none is retained or listed for closure.
                    ("mine-count", Some(0.0)),
                    ("capacity", Some(0.0)),
                    ("avg-capacity", None),
                    ("state-mines", Some(0.0)),
                    ("kept-alone-mines", Some(0.0)),
                    ("merged-kept-mines", Some(0.0)),
                    ("direct-closures", Some(0.0)),
                    ("closures", Some(0.0)),
                    ("small-mines-open", Some(0.0)),
                    ("standardised-share", None),
                    ("grade1-count", Some(0.0)),
                    ("mechanised-share", None),
                    ("fully-mechanised-share", None),
                    ("aux-automation-share", None),
                    ("monitoring-upgrade-major", None),
                    ("monitoring-upgrade-other", None),
                ],
                as_of,
            );
        }
        // Without a date, nothing counts as assessed (the population is still there).
        let got = compute(REGISTER, fixture_r2().iter(), None);
        let v = got.iter().find(|v| v.target_id == "outburst-assessment");
        assert_eq!(v.map(|v| v.value), Some(0.0));
    }

    /// A valid retained mine with no issue on any date.
    const MINE: &[(&str, &str)] = &[
        ("name", "甲矿"),
        ("town", "越州镇"),
        ("ownership", "private"),
        ("status", "producing"),
        ("scale", "medium"),
        ("capacity", "45"),
        ("gas_class", "other"),
        ("group", "keep"),
        ("mech_mining", "yes"),
        ("monitoring_upgraded", "2020-06-01"),
    ];

    /// The messages `validate` gives `r` on `today`, with their field.
    fn messages(r: &FormRecord, today: &str) -> Vec<(String, String)> {
        validate(REGISTER, r, d(today))
            .into_iter()
            .map(|i| (i.field, i.message))
            .collect()
    }

    fn has(r: &FormRecord, today: &str, field: &str, message: &str) -> bool {
        messages(r, today)
            .iter()
            .any(|(f, m)| f == field && m == message)
    }

    #[test]
    fn a_valid_mine_has_no_issue() {
        let r = record("m", MINE);
        for today in ["2020-05-01", "2022-12-31"] {
            assert_eq!(messages(&r, today), Vec::new(), "{today}");
        }
    }

    #[test]
    fn r1_small_mines_must_be_closed_by_the_end_of_2020() {
        const R1: &str = "30万吨/年以下煤矿应于2020年底前（排查整治阶段）完成关闭退出";
        // Listed for merger-closure (its own deadline, R3, is 2021) to isolate R1.
        let small = changed(
            MINE,
            &[
                ("capacity", "29"),
                ("group", "merge_close"),
                ("merge_group", "一组"),
            ],
        );
        assert!(!has(&small, "2020-12-31", "status", R1));
        assert!(has(&small, "2021-01-01", "status", R1));
        let at_30 = changed(MINE, &[("capacity", "30")]);
        assert!(!has(&at_30, "2021-01-01", "status", R1));
        let closed = changed(MINE, &[("capacity", "29"), ("status", "closed")]);
        assert!(!has(&closed, "2021-01-01", "status", R1));
        // The retained small mine also keeps its error on the group.
        let kept = changed(MINE, &[("capacity", "29")]);
        assert!(has(&kept, "2021-01-01", "status", R1));
        assert!(
            messages(&kept, "2020-05-01")
                .iter()
                .any(|(f, _)| f == "group")
        );
    }

    #[test]
    fn r2_direct_closures_by_june_2020_and_r3_all_closures_by_2021() {
        const R2: &str = "列入直接关闭退出的煤矿应于2020年6月底前完成现场关闭";
        const R3: &str = "到2021年底，所有纳入关闭煤矿全部关闭到位";
        const STILL: &str = "列入关闭退出清单的煤矿仍在正常生产";
        let close = changed(MINE, &[("group", "close")]);
        assert!(!has(&close, "2020-06-30", "status", R2));
        assert!(has(&close, "2020-06-30", "status", STILL));
        assert!(has(&close, "2020-07-01", "status", R2));
        // R3 is for the merger-closures: a direct closure has R2 alone.
        assert!(!has(&close, "2022-01-01", "status", R3));
        let suspended = changed(MINE, &[("group", "close"), ("status", "suspended")]);
        assert!(has(&suspended, "2020-07-01", "status", R2));
        assert!(!has(&suspended, "2020-07-01", "status", STILL));
        let closed = changed(MINE, &[("group", "close"), ("status", "closed")]);
        assert!(!has(&closed, "2022-01-01", "status", R2));

        let merged = changed(MINE, &[("group", "merge_close"), ("merge_group", "一组")]);
        assert!(!has(&merged, "2021-12-31", "status", R3));
        assert!(has(&merged, "2022-01-01", "status", R3));
        assert!(!has(&merged, "2022-01-01", "status", R2));
        let merged_closed = changed(
            MINE,
            &[
                ("group", "merge_close"),
                ("merge_group", "一组"),
                ("status", "closed"),
            ],
        );
        assert!(!has(&merged_closed, "2022-01-01", "status", R3));
        // No date, no deadline passed.
        assert!(
            validate(REGISTER, &close, None)
                .iter()
                .all(|i| i.message != R2)
        );
    }

    #[test]
    fn r4_a_merged_mine_names_its_merger_group() {
        const R4: &str = "请填写整合重组组别（整合重组3处7家煤矿）";
        for group in ["merge_keep", "merge_close"] {
            assert!(has(
                &changed(MINE, &[("group", group)]),
                "2020-05-01",
                "merge_group",
                R4
            ));
            let named = changed(MINE, &[("group", group), ("merge_group", "一组")]);
            assert!(!has(&named, "2020-05-01", "merge_group", R4));
        }
        assert!(!has(&record("m", MINE), "2020-05-01", "merge_group", R4));
    }

    #[test]
    fn r5_the_outburst_assessment_by_september_2020() {
        const R5: &str = "应在2020年9月底前完成突出危险性鉴定";
        let needs = changed(
            MINE,
            &[
                ("in_enhong", "yes"),
                ("same_seam", "yes"),
                ("below_outburst_level", "yes"),
            ],
        );
        assert!(!has(&needs, "2020-09-30", "outburst_assessed", R5));
        assert!(has(&needs, "2020-10-01", "outburst_assessed", R5));
        let assessed = changed(
            MINE,
            &[
                ("in_enhong", "yes"),
                ("same_seam", "yes"),
                ("below_outburst_level", "yes"),
                ("outburst_assessed", "2020-09-01"),
            ],
        );
        assert!(!has(&assessed, "2020-10-01", "outburst_assessed", R5));
        let outburst = changed(
            MINE,
            &[
                ("in_enhong", "yes"),
                ("same_seam", "yes"),
                ("below_outburst_level", "yes"),
                ("gas_class", "outburst"),
            ],
        );
        assert!(!has(&outburst, "2020-10-01", "outburst_assessed", R5));
        let other_seam = changed(
            MINE,
            &[
                ("in_enhong", "yes"),
                ("same_seam", "no"),
                ("below_outburst_level", "yes"),
            ],
        );
        assert!(!has(&other_seam, "2020-10-01", "outburst_assessed", R5));
    }

    #[test]
    fn unknown_forms_are_refused_by_validate_and_ignored_elsewhere() {
        let r = record("m", MINE);
        let issues = validate("mine-regster", &r, d("2020-05-01"));
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].message, "未知表单“mine-regster”");
        assert!(classify("mine-regster", &r, d("2020-05-01")).is_empty());
        assert!(compute("mine-regster", [&r], d("2020-05-01")).is_empty());
        let rules: Vec<String> = classify(REGISTER, &r, d("2020-05-01"))
            .into_iter()
            .map(|c| c.rule)
            .collect();
        assert_eq!(rules, ["gas-class", "monitoring-deadline", "two-lists"]);
    }
}
