//! The rules of 附件4 as the seed states them.

//!
//! Every rule reads records through [`Fields`], so `validate` and `classify` (a
//! [`FormRecord`]) and `compute` (a [`Row`](anwei_plugin_sdk::Row) of the batch the desk
//! sends) apply the same code to the same values.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::serde::{Deserialize, Serialize};
use anwei_plugin_sdk::summary::Summary;
use anwei_plugin_sdk::{Classification, Fields, FormRecord, Issue, TargetValue};

/// "超过6个月未鉴定的一律直接认定为煤与瓦斯突出矿井" (L237).
pub const OUTBURST_ASSESSMENT_MONTHS: u32 = 6;

/// Monitoring-upgrade deadlines (L259–260).
pub fn monitoring_deadline(major: bool) -> Date {
    if major {
        Date {
            year: 2020,
            month: 6,
            day: 30,
        }
    } else {
        Date {
            year: 2020,
            month: 12,
            day: 30,
        }
    }
}

fn is_retained<R: Fields + ?Sized>(r: &R) -> bool {
    matches!(r.choice("group"), Some("keep") | Some("merge_keep"))
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

pub fn validate(r: &FormRecord, today: Option<Date>) -> Vec<Issue> {
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
    out
}

pub fn classify(r: &FormRecord, today: Option<Date>) -> Vec<Classification> {
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

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// The fields `compute` reads, by target (the `inputs` of the targets in `plan.json`).
pub const COMPUTE_INPUTS: [(&str, &[&str]); 10] = [
    ("mine-count", &["group"]),
    ("avg-capacity", &["group", "capacity"]),
    (
        "standardised-share",
        &["group", "status", "standardisation"],
    ),
    ("grade1-count", &["group", "standardisation"]),
    (
        "mechanised-share",
        &["group", "mech_mining", "mech_heading"],
    ),
    ("fully-mechanised-share", &["group", "fully_mech"]),
    ("aux-automation-share", &["group", "aux_automation"]),
    ("capacity", &["group", "capacity"]),
    ("monitoring-upgrade-major", MONITORING_INPUTS),
    ("monitoring-upgrade-other", MONITORING_INPUTS),
];

/// What the monitoring-upgrade rate reads: the deadline depends on scale and the effective
/// gas class (an overdue outburst assessment makes a mine 煤与瓦斯突出).
const MONITORING_INPUTS: &[&str] = &[
    "group",
    "scale",
    "gas_class",
    "in_enhong",
    "same_seam",
    "below_outburst_level",
    "outburst_assessed",
    "monitoring_upgraded",
];

/// Target values of the mine register (records as `FormRecord`s or batch rows).
pub fn compute<R: Fields>(
    records: impl IntoIterator<Item = R>,
    as_of: Option<Date>,
) -> Vec<TargetValue> {
    Tally::of(records, as_of).values()
}

/// What the targets count and add up over some of the mine register's records: the tally of
/// the whole register is the tallies of its batches merged ([`Summary`]), so a register of
/// any size is computed one batch at a time.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(crate = "anwei_plugin_sdk::serde")]
pub struct Tally {
    /// Mines kept (保留 or 整合保留): every share's whole.
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
    }
}

impl Tally {
    /// The tally of `records` as of `as_of` (the outburst deeming depends on the date).
    pub fn of<R: Fields>(records: impl IntoIterator<Item = R>, as_of: Option<Date>) -> Tally {
        let mut t = Tally::default();
        for r in records {
            if !is_retained(&r) {
                continue;
            }
            t.retained += 1;
            if let Some(c) = r.number("capacity") {
                t.capacity += c;
            }
            let standardisation = r.choice("standardisation");
            if r.choice("status") == Some("producing") {
                t.producing += 1;
                if matches!(standardisation, Some("grade1") | Some("grade2")) {
                    t.producing_standardised += 1;
                }
            }
            if standardisation == Some("grade1") {
                t.grade1 += 1;
            }
            if r.flag("mech_mining") == Some(true) && r.flag("mech_heading") == Some(true) {
                t.mechanised += 1;
            }
            if r.flag("fully_mech") == Some(true) {
                t.fully_mechanised += 1;
            }
            if r.flag("aux_automation") == Some(true) {
                t.aux_automation += 1;
            }
            let major = is_major(&r, as_of);
            let deadline = monitoring_deadline(major);
            let done = u64::from(r.date("monitoring_upgraded").is_some_and(|d| d <= deadline));
            if major {
                t.major_total += 1;
                t.major_done += done;
            } else {
                t.other_total += 1;
                t.other_done += done;
            }
        }
        t
    }

    /// The target values the tally gives (a share only when its whole is not empty).
    pub fn values(&self) -> Vec<TargetValue> {
        let n = self.retained;
        let mut out = vec![TargetValue::district("mine-count", n as f64)];
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
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anwei_plugin_sdk::record::RecordBuilder;

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
}
