//! `hazchem-enterprise` 危险化学品企业台账 and its `units` rows (生产装置和储存设施):
//! rules R12–R28 and targets B-01, B-02, B-16, B-17, B-19, B-21–B-23, B-31, B-39.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::serde::{Deserialize, Serialize};
use anwei_plugin_sdk::summary::Summary;
use anwei_plugin_sdk::{Fields, FormRecord, RecordBatch, TargetValue};

use super::common::{
    END_2020, END_2022, END_AUG_2020, END_JUN_2022, Finding, Minimum, Ratio, Rule, TargetDay,
    UnitNames, UnitRow, after, by, is, is_any, no, open_at, unit_indices, yes, ymd,
};

pub(crate) const FORM: &str = "hazchem-enterprise";

/// Not closed at `d`: `status ≠ closed`, or `closed_on > d`.
fn open(r: &impl Fields, d: Date) -> bool {
    open_at(r, "closed", "closed_on", d)
}

// ---- Rules (rules.md Part A) ----

pub(crate) const R12: Rule = Rule {
    id: "r12-self-check",
    line: 112,
    quote: "在2020年8月底前全面完成安全风险隐患自查并制定整改方案",
    note: Some("msg_self_check"),
    message: "应在2020年8月底前全面完成安全风险隐患自查并制定整改方案；尚未登记完成日期。",
    value: "自查和整改方案逾期未完成",
};
pub(crate) const R13: Rule = Rule {
    id: "r13-listed-supervision",
    line: 112,
    quote: "对重大隐患上报上级监管部门挂牌督办",
    note: Some("msg_listed"),
    message: "存在重大隐患，应上报上级监管部门挂牌督办。",
    value: "应挂牌督办",
};
pub(crate) const R14: Rule = Rule {
    id: "r14-licence-recheck",
    line: 113,
    quote: "对安全风险评估等级为“红、橙”色企业的许可证发证条件逐一核查",
    note: Some("msg_recheck"),
    message: "安全风险评估等级为“红、橙”色的企业，应对其许可证发证条件逐一核查(许可“回头看”)；尚未登记核查日期。",
    value: "许可“回头看”未核查",
};
pub(crate) const R15: Rule = Rule {
    id: "r15-crowd-in-distance",
    line: 125,
    quote: "化工园区危险化学品企业外部安全防护距离内不得存在劳动密集型企业、人员密集场所",
    note: Some("msg_crowd"),
    message: "化工园区危险化学品企业外部安全防护距离内不得存在劳动密集型企业、人员密集场所。",
    value: "防护距离内有人员密集场所",
};
pub(crate) const R16: Rule = Rule {
    id: "r16-four-zones",
    line: 130,
    quote: "行政办公区、后勤保障区、集中控制区和生产作业区实行四区分离",
    note: Some("msg_four_zones"),
    message: "危险化学品生产(储存)企业的行政办公区、后勤保障区、集中控制区和生产作业区应实行四区分离。",
    value: "未实行四区分离",
};
pub(crate) const R17: Rule = Rule {
    id: "r17-accident",
    line: 149,
    quote: "对发生事故的危险化学品企业,严格执行暂扣或吊销安全生产(经营)许可证、安全生产标准化证的有关规定",
    note: Some("msg_accident"),
    message: "发生事故的危险化学品企业，应严格执行暂扣或吊销安全生产(经营)许可证、安全生产标准化证的有关规定。",
    value: "暂扣或吊销证照",
};
pub(crate) const R18A: Rule = Rule {
    id: "r18-report-false",
    line: 147,
    quote: "对不报告或公告、报告不实的,政府有关部门应依法依规对企业及其主要负责人实施联合惩戒",
    note: Some("msg_report"),
    message: "对不报告或公告、报告不实的，政府有关部门应依法依规对企业及其主要负责人实施联合惩戒。",
    value: "联合惩戒",
};
pub(crate) const R18B: Rule = Rule {
    id: "r18-half-year-report",
    line: 147,
    quote: "每半年向市、区两级应急管理等部门报告安全生产履职及企业安全风险管控情况",
    note: None,
    message: "主要负责人尚未登记{半年}的安全生产履职及企业安全风险管控情况报告。",
    value: "履职报告未登记",
};
pub(crate) const R19: Rule = Rule {
    id: "r19-chlorine",
    line: 124,
    quote: "淘汰直接使用氯气消毒杀菌技术,2022年6月底前完成改造任务",
    note: Some("msg_chlorine"),
    message: "自来水和污水处理企业应在2022年6月底前完成淘汰直接使用氯气消毒杀菌技术的改造任务；已逾期。",
    value: "氯气消毒改造逾期",
};
pub(crate) const R20: Rule = Rule {
    id: "r20-automation-stop",
    line: 128,
    quote: "2022年底前上述系统装备和使用率未达到要求或未投用的,一律停产整改",
    note: Some("msg_u_automation"),
    message: "2022年底前安全监测监控系统装备和使用率未达到要求或未投用的，一律停产整改。",
    value: "一律停产整改",
};
pub(crate) const R21: Rule = Rule {
    id: "r21-aux-automation",
    line: 129,
    quote: "2022年底前所有涉及重点监管危险化工工艺装置的上下游配套装置必须实现自动化控制及安装安全仪表系统",
    note: Some("msg_u_aux"),
    message: "涉及重点监管危险化工工艺装置的上下游配套装置应在2022年底前实现自动化控制及安装安全仪表系统；已逾期。",
    value: "配套装置自动化逾期",
};
pub(crate) const R22: Rule = Rule {
    id: "r22-online-monitoring",
    line: 160,
    quote: "在2020年底前完成所有具备接入条件的危险化学品企业重大危险源在线视频监控图像和监控数据的接入工作",
    note: Some("msg_u_online"),
    message: "具备接入条件的重大危险源应在2020年底前完成在线视频监控图像和监控数据接入；已逾期。",
    value: "重大危险源接入逾期",
};
pub(crate) const R23: Rule = Rule {
    id: "r23-over-design",
    line: 126,
    quote: "严禁超设计量储存",
    note: Some("msg_u_over"),
    message: "爆炸危险性化学品的生产和储存企业严禁超设计量储存。",
    value: "超设计量储存",
};
pub(crate) const R24: Rule = Rule {
    id: "r24-rooms-in-area",
    line: 131,
    quote: "涉及爆炸危险性化学品的生产装置控制室、交接班室、休息室等不得布置在装置区内,已建成投入使用的2020年内必须完成整改",
    note: Some("msg_u_rooms"),
    message: "涉及爆炸危险性化学品的生产装置控制室、交接班室、休息室等不得布置在装置区内，已建成投入使用的2020年内必须完成整改；已逾期。",
    value: "控制室等移出装置区逾期",
};
pub(crate) const R25: Rule = Rule {
    id: "r25-room-facing",
    line: 132,
    quote: "其控制室或机柜间面向具有火灾、爆炸危险性装置一侧必须满足国家有关防火、防爆要求",
    note: Some("msg_u_facing"),
    message: "涉及“两重点一重大”的生产装置和储存设施，其控制室或机柜间面向具有火灾、爆炸危险性装置一侧必须满足国家有关防火、防爆要求。",
    value: "控制室防火防爆不满足要求",
};
pub(crate) const R26: Rule = Rule {
    id: "r26-occupied-rooms",
    line: 133,
    quote: "重大危险源罐区、甲乙类火灾危险性装置内、甲乙类仓库内不得设置办公室、操作室、巡检室或休息室",
    note: Some("msg_u_occupied"),
    message: "重大危险源罐区、甲乙类火灾危险性装置内、甲乙类仓库内不得设置办公室、操作室、巡检室或休息室。",
    value: "不得设置人员房间",
};
pub(crate) const R27: Rule = Rule {
    id: "r27-distance",
    line: 127,
    quote: "对不满足外部安全防护距离要求的化工生产装置和储存设施,经评估具备整改条件的,2020年内完成整改",
    note: Some("msg_u_distance"),
    message: "不满足外部安全防护距离要求、经评估具备整改条件的，应在2020年内完成整改；已逾期。",
    value: "防护距离整改逾期",
};
pub(crate) const R28: Rule = Rule {
    id: "r28-reaction-assessment",
    line: 134,
    quote: "凡列入精细化工反应安全风险评估范围但未开展评估的精细化工生产装置,一律不得生产",
    note: Some("msg_u_reaction"),
    message: "凡列入精细化工反应安全风险评估范围但未开展评估的精细化工生产装置，一律不得生产。",
    value: "不得生产",
};

#[cfg(test)]
pub(crate) const RULES: &[&Rule] = &[
    &R12, &R13, &R14, &R15, &R16, &R17, &R18A, &R18B, &R19, &R20, &R21, &R22, &R23, &R24, &R25,
    &R26, &R27, &R28,
];

/// A half-year of the principal's report (L147 「每半年」): 2020H1 came before the campaign
/// (rules.md B-31), so it is not asked.
pub(crate) struct Half {
    pub label: &'static str,
    pub field: &'static str,
    pub year: i32,
    pub end: Date,
}

pub(crate) const HALVES: [Half; 5] = [
    Half {
        label: "2020年下半年",
        field: "report_2020h2",
        year: 2020,
        end: ymd(2020, 12, 31),
    },
    Half {
        label: "2021年上半年",
        field: "report_2021h1",
        year: 2021,
        end: ymd(2021, 6, 30),
    },
    Half {
        label: "2021年下半年",
        field: "report_2021h2",
        year: 2021,
        end: ymd(2021, 12, 31),
    },
    Half {
        label: "2022年上半年",
        field: "report_2022h1",
        year: 2022,
        end: ymd(2022, 6, 30),
    },
    Half {
        label: "2022年下半年",
        field: "report_2022h2",
        year: 2022,
        end: ymd(2022, 12, 31),
    },
];

/// The rules that apply to an enterprise record and its unit rows on `today`.
pub(crate) fn findings(r: &FormRecord, today: Option<Date>) -> Vec<Finding> {
    let mut out = Vec::new();
    let closed = is(r, "status", "closed");
    // R12 (L112): both dates by 2020-08-31; the note shows from the day after.
    if after(today, END_AUG_2020) && !closed {
        for field in ["self_check_on", "rectification_plan_on"] {
            if r.is_blank(field) {
                out.push(Finding::warning(&R12, field));
                break;
            }
        }
    }
    // R13 (L112): at least one 重大隐患 and not 挂牌督办.
    if r.number("major_hidden_hazards").is_some_and(|n| n > 0.0) && !yes(r, "listed_supervision") {
        out.push(Finding::warning(&R13, "listed_supervision"));
    }
    // R14 (L113): no date in the text.
    if is_any(r, "risk_colour", &["red", "orange"]) && r.is_blank("licence_rechecked_on") {
        out.push(Finding::warning(&R14, "licence_rechecked_on"));
    }
    // R15 (L125), R16 (L130), R17 (L149), R18 (a) (L147).
    if yes(r, "crowd_in_distance") {
        out.push(Finding::warning(&R15, "crowd_in_distance"));
    }
    if no(r, "four_zones") {
        out.push(Finding::warning(&R16, "four_zones"));
    }
    if !r.is_blank("last_accident_on") {
        out.push(Finding::warning(&R17, "last_accident_on"));
    }
    if yes(r, "report_false") {
        out.push(Finding::warning(&R18A, "report_false"));
    }
    // R18 (b) (L147): each half-year that has ended, for an enterprise not closed by its end.
    for h in &HALVES {
        if after(today, h.end) && open(r, h.end) && r.is_blank(h.field) {
            out.push(Finding::warning(&R18B, h.field).with_message(format!(
                "主要负责人尚未登记{}的安全生产履职及企业安全风险管控情况报告。",
                h.label
            )));
        }
    }
    // R19 (L124).
    if yes(r, "chlorine_direct") && r.is_blank("chlorine_replaced_on") && after(today, END_JUN_2022)
    {
        out.push(Finding::warning(&R19, "chlorine_replaced_on"));
    }
    let indices = unit_indices(r.fields.iter().map(|f| f.name.as_str()));
    for i in indices {
        unit_findings(&UnitRow::new(r, &UnitNames::new(i)), today, &mut out);
    }
    out
}

/// R20–R28 on one unit row.
fn unit_findings<R: Fields + ?Sized>(
    u: &UnitRow<'_, R>,
    today: Option<Date>,
    out: &mut Vec<Finding>,
) {
    let producing = is(u, "u_status", "producing");
    let not_closed = !is(u, "u_status", "closed");
    // R20 (L128): from 2023-01-01, a producing 两重点一重大 unit whose systems fall short.
    if after(today, END_2022)
        && yes(u, "u_two_key_one_major")
        && no(u, "u_automation_ok")
        && producing
    {
        out.push(Finding::warning(&R20, u.path("u_status")));
    }
    // R21 (L129).
    if yes(u, "u_process_aux")
        && u.is_blank("u_aux_done_on")
        && not_closed
        && after(today, END_2022)
    {
        out.push(Finding::warning(&R21, u.path("u_aux_done_on")));
    }
    // R22 (L160).
    if yes(u, "u_connectable")
        && u.is_blank("u_connected_on")
        && not_closed
        && after(today, END_2020)
    {
        out.push(Finding::warning(&R22, u.path("u_connected_on")));
    }
    // R23 (L126).
    if yes(u, "u_over_design") {
        out.push(Finding::warning(&R23, u.path("u_over_design")));
    }
    // R24 (L131): 「2020年内」.
    if yes(u, "u_rooms_in_area")
        && u.is_blank("u_rooms_moved_on")
        && not_closed
        && after(today, END_2020)
    {
        out.push(Finding::warning(&R24, u.path("u_rooms_moved_on")));
    }
    // R25 (L132), R26 (L133).
    if no(u, "u_room_facing_ok") {
        out.push(Finding::warning(&R25, u.path("u_room_facing_ok")));
    }
    if yes(u, "u_occupied_rooms") {
        out.push(Finding::warning(&R26, u.path("u_occupied_rooms")));
    }
    // R27 (L127): only 具备整改条件; not_fixable has no consequence in the text.
    if is(u, "u_distance", "fixable")
        && u.is_blank("u_distance_fixed_on")
        && not_closed
        && after(today, END_2020)
    {
        out.push(Finding::warning(&R27, u.path("u_distance_fixed_on")));
    }
    // R28 (L134): at once, no date.
    if yes(u, "u_reaction_scope") && u.is_blank("u_reaction_assessed_on") && producing {
        out.push(Finding::warning(&R28, u.path("u_reaction_assessed_on")));
    }
}

// ---- Targets (rules.md Part B) ----

pub(crate) const AUTOMATION_IN_USE: TargetDay = TargetDay {
    id: "automation-in-use",
    last_due: END_2022,
};
pub(crate) const MAJOR_HAZARD_PREVENTION: TargetDay = TargetDay {
    id: "major-hazard-prevention",
    last_due: END_2022,
};
pub(crate) const SELF_CHECK: TargetDay = TargetDay {
    id: "enterprise-self-check",
    last_due: END_AUG_2020,
};
pub(crate) const LICENCE_RECHECK: TargetDay = TargetDay {
    id: "red-orange-licence-recheck",
    last_due: END_2022,
};
pub(crate) const CHLORINE: TargetDay = TargetDay {
    id: "water-chlorine-retrofit",
    last_due: END_JUN_2022,
};
pub(crate) const DISTANCE: TargetDay = TargetDay {
    id: "distance-rectified",
    last_due: END_2020,
};
pub(crate) const AUX: TargetDay = TargetDay {
    id: "aux-unit-automation",
    last_due: END_2022,
};
pub(crate) const CONTROL_ROOM: TargetDay = TargetDay {
    id: "control-room-relocated",
    last_due: END_2020,
};
pub(crate) const HALF_YEAR_REPORT: TargetDay = TargetDay {
    id: "principal-half-year-report",
    last_due: END_2022,
};
pub(crate) const ONLINE: TargetDay = TargetDay {
    id: "major-hazard-online",
    last_due: END_2020,
};

#[cfg(test)]
pub(crate) const TARGETS: &[TargetDay] = &[
    AUTOMATION_IN_USE,
    MAJOR_HAZARD_PREVENTION,
    SELF_CHECK,
    LICENCE_RECHECK,
    CHLORINE,
    DISTANCE,
    AUX,
    CONTROL_ROOM,
    HALF_YEAR_REPORT,
    ONLINE,
];

/// The half-years whose reports make the value on `as_of` (B-31): those of the year of the
/// last whole half-year, up to it (a year's value is the smallest of its halves'); before
/// 2020H2 is whole, 2020H2 so far.
fn report_halves(as_of: Date) -> Vec<&'static Half> {
    let Some(last) = HALVES.iter().rev().find(|h| h.end <= as_of) else {
        return HALVES.iter().take(1).collect();
    };
    HALVES
        .iter()
        .filter(|h| h.year == last.year && h.end <= last.end)
        .collect()
}

/// The targets' values from the register on `as_of`.
pub(crate) fn compute(batch: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    tally(batch, as_of).values()
}

/// What the records of one batch count towards each target on `as_of` (the same `as_of`
/// for every batch of a register): the summary the desk adds up batch by batch.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(crate = "anwei_plugin_sdk::serde")]
pub(crate) struct Tally {
    automation: Ratio,
    prevention: Ratio,
    self_check: Ratio,
    recheck: Ratio,
    chlorine: Ratio,
    distance: Ratio,
    aux: Ratio,
    room: Ratio,
    online: Ratio,
    /// One per half-year of [`report_halves`].
    reports: Vec<Minimum>,
}

impl Summary for Tally {
    fn merge(&mut self, o: Tally) {
        self.automation.merge(o.automation);
        self.prevention.merge(o.prevention);
        self.self_check.merge(o.self_check);
        self.recheck.merge(o.recheck);
        self.chlorine.merge(o.chlorine);
        self.distance.merge(o.distance);
        self.aux.merge(o.aux);
        self.room.merge(o.room);
        self.online.merge(o.online);
        if self.reports.len() < o.reports.len() {
            self.reports.resize(o.reports.len(), Minimum::default());
        }
        for (m, other) in self.reports.iter_mut().zip(o.reports) {
            m.merge(other);
        }
    }
}

impl Tally {
    /// The targets' values (a share of an empty population gives none).
    pub(crate) fn values(&self) -> Vec<TargetValue> {
        let report_value = self
            .reports
            .iter()
            .filter_map(Minimum::value)
            .reduce(f64::min);
        [
            AUTOMATION_IN_USE.value(self.automation.value()),
            MAJOR_HAZARD_PREVENTION.value(self.prevention.value()),
            SELF_CHECK.value(self.self_check.value()),
            LICENCE_RECHECK.value(self.recheck.value()),
            CHLORINE.value(self.chlorine.value()),
            DISTANCE.value(self.distance.value()),
            AUX.value(self.aux.value()),
            CONTROL_ROOM.value(self.room.value()),
            HALF_YEAR_REPORT.value(report_value),
            ONLINE.value(self.online.value()),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// What the records of `batch` count towards each target on `as_of`.
pub(crate) fn tally(batch: &RecordBatch, as_of: Date) -> Tally {
    let units: Vec<UnitNames> = unit_indices(batch.columns.iter().map(|c| c.name.as_str()))
        .into_iter()
        .map(UnitNames::new)
        .collect();
    let d_auto = AUTOMATION_IN_USE.day(as_of);
    let d_prevention = MAJOR_HAZARD_PREVENTION.day(as_of);
    let d_self = SELF_CHECK.day(as_of);
    let d_recheck = LICENCE_RECHECK.day(as_of);
    let d_chlorine = CHLORINE.day(as_of);
    let d_distance = DISTANCE.day(as_of);
    let d_aux = AUX.day(as_of);
    let d_room = CONTROL_ROOM.day(as_of);
    let d_online = ONLINE.day(as_of);
    let halves = report_halves(as_of);

    let mut automation = Ratio::default();
    let mut prevention = Ratio::default();
    let mut self_check = Ratio::default();
    let mut recheck = Ratio::default();
    let mut chlorine = Ratio::default();
    let mut distance = Ratio::default();
    let mut aux = Ratio::default();
    let mut room = Ratio::default();
    let mut online = Ratio::default();
    let mut reports: Vec<Minimum> = vec![Minimum::default(); halves.len()];

    for r in batch.rows() {
        // The enterprise's status and closure date, read once for every day asked (`open`).
        let closure = is(&r, "status", "closed").then(|| r.date("closed_on"));
        let open = |d: Date| closure.is_none_or(|closed_on| closed_on.is_some_and(|e| e > d));
        // B-16 (L112): not closed on 2020-08-31; both dates by then.
        if open(d_self) {
            self_check
                .add(by(&r, "self_check_on", d_self) && by(&r, "rectification_plan_on", d_self));
        }
        // B-17 (L113).
        if is_any(&r, "risk_colour", &["red", "orange"]) && open(d_recheck) {
            recheck.add(by(&r, "licence_rechecked_on", d_recheck));
        }
        // B-19 (L124).
        if is_any(&r, "category", &["water", "sewage"])
            && yes(&r, "chlorine_direct")
            && open(d_chlorine)
        {
            chlorine.add(by(&r, "chlorine_replaced_on", d_chlorine));
        }
        // B-31 (L147): per half-year, 0 or 1 report per enterprise not closed by its end. A
        // report is filed after its half-year, so it counts from its date up to as_of (not
        // only up to the half-year's end).
        for (h, m) in halves.iter().zip(reports.iter_mut()) {
            if open(h.end) {
                m.add(if by(&r, h.field, as_of) { 1.0 } else { 0.0 });
            }
        }
        // Unit rows (rules.md §0): the enterprise not closed at D and the row not closed.
        for names in &units {
            let u = UnitRow::new(&r, names);
            if is(&u, "u_status", "closed") {
                continue;
            }
            // B-01 (L99, L128).
            if yes(&u, "u_two_key_one_major") && open(d_auto) {
                automation.add(yes(&u, "u_automation_ok") && by(&u, "u_automation_ok_on", d_auto));
            }
            // B-02 (L99, L114): per 重大危险源.
            if yes(&u, "u_major_hazard") && open(d_prevention) {
                prevention.add(by(&u, "u_prevention_on", d_prevention));
            }
            // B-39 (L160).
            if yes(&u, "u_major_hazard") && yes(&u, "u_connectable") && open(d_online) {
                online.add(by(&u, "u_connected_on", d_online));
            }
            // B-21 (L127).
            if is(&u, "u_distance", "fixable") && open(d_distance) {
                distance.add(by(&u, "u_distance_fixed_on", d_distance));
            }
            // B-22 (L129).
            if yes(&u, "u_process_aux") && open(d_aux) {
                aux.add(by(&u, "u_aux_done_on", d_aux));
            }
            // B-23 (L131).
            if yes(&u, "u_explosive") && yes(&u, "u_rooms_in_area") && open(d_room) {
                room.add(by(&u, "u_rooms_moved_on", d_room));
            }
        }
    }

    Tally {
        automation,
        prevention,
        self_check,
        recheck,
        chlorine,
        distance,
        aux,
        room,
        online,
        reports,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::record::RecordBuilder;

    use super::super::common::test_support::{assert_values, day, full_batch, pct, set};
    use super::*;

    type Row<'a> = &'a [(&'a str, &'a str)];

    /// A unit row `i`: `("u_status", "producing")` …
    fn unit(b: RecordBuilder, i: usize, fields: Row<'_>) -> RecordBuilder {
        fields
            .iter()
            .fold(b, |b, (k, v)| set(b, &format!("units[{i}]/{k}"), v))
    }

    fn enterprise(id: &str, fields: Row<'_>, units: &[Row<'_>]) -> FormRecord {
        let b = fields.iter().fold(
            RecordBuilder::new(id).text("enterprise", id),
            |b, (k, v)| set(b, k, v),
        );
        units
            .iter()
            .enumerate()
            .fold(b, |b, (i, u)| unit(b, i, u))
            .build()
    }

    const ALL_REPORTS: Row<'static> = &[
        ("report_2020h2", "2020-12-20"),
        ("report_2021h1", "2021-06-20"),
        ("report_2021h2", "2021-12-20"),
        ("report_2022h1", "2022-06-20"),
        ("report_2022h2", "2022-12-20"),
    ];

    fn with(base: Row<'static>, more: Row<'static>) -> Vec<(&'static str, &'static str)> {
        base.iter().chain(more).copied().collect()
    }

    /// FX-HE of rules.md.
    pub fn fixture() -> Vec<FormRecord> {
        let e1 = with(
            &[
                ("status", "operating"),
                ("category", "chemical"),
                ("risk_colour", "red"),
                ("licence_rechecked_on", "2021-05-10"),
                ("self_check_on", "2020-08-20"),
                ("rectification_plan_on", "2020-08-28"),
            ],
            ALL_REPORTS,
        );
        let e2 = [
            ("status", "operating"),
            ("category", "chemical"),
            ("risk_colour", "orange"),
            ("self_check_on", "2020-09-05"),
            ("rectification_plan_on", "2020-09-05"),
            ("report_2020h2", "2020-12-20"),
            ("report_2021h2", "2021-12-20"),
            ("report_2022h1", "2022-06-20"),
            ("report_2022h2", "2022-12-20"),
        ];
        let e3 = with(
            &[
                ("status", "operating"),
                ("category", "water"),
                ("risk_colour", "yellow"),
                ("self_check_on", "2020-07-01"),
                ("rectification_plan_on", "2020-07-15"),
                ("chlorine_direct", "yes"),
                ("chlorine_replaced_on", "2022-05-20"),
            ],
            ALL_REPORTS,
        );
        let e4 = [
            ("status", "closed"),
            ("closed_on", "2020-06-15"),
            ("category", "chemical"),
            ("risk_colour", "red"),
        ];
        let e5 = with(
            &[
                ("status", "operating"),
                ("category", "sewage"),
                ("risk_colour", "blue"),
                ("self_check_on", "2020-08-31"),
                ("rectification_plan_on", "2020-08-31"),
                ("chlorine_direct", "yes"),
                ("chlorine_replaced_on", "2022-07-15"),
            ],
            ALL_REPORTS,
        );
        let u1: Row<'_> = &[
            ("u_name", "U1"),
            ("u_status", "producing"),
            ("u_two_key_one_major", "yes"),
            ("u_automation_ok", "yes"),
            ("u_automation_ok_on", "2022-10-01"),
            ("u_major_hazard", "no"),
            ("u_process_aux", "no"),
            ("u_explosive", "no"),
            ("u_distance", "ok"),
        ];
        let u2: Row<'_> = &[
            ("u_name", "U2"),
            ("u_status", "producing"),
            ("u_two_key_one_major", "yes"),
            ("u_sis", "not_required"),
            ("u_automation_ok", "yes"),
            ("u_automation_ok_on", "2021-03-01"),
            ("u_major_hazard", "yes"),
            ("u_prevention_on", "2022-06-30"),
            ("u_connectable", "yes"),
            ("u_connected_on", "2020-11-15"),
            ("u_process_aux", "no"),
            ("u_explosive", "no"),
            ("u_distance", "fixable"),
            ("u_distance_fixed_on", "2020-12-31"),
        ];
        let u3: Row<'_> = &[
            ("u_name", "U3"),
            ("u_status", "producing"),
            ("u_two_key_one_major", "yes"),
            ("u_sis", "not_in_use"),
            ("u_automation_ok", "no"),
            ("u_major_hazard", "no"),
            ("u_process_aux", "yes"),
            ("u_aux_done_on", "2022-12-31"),
            ("u_explosive", "yes"),
            ("u_kind", "production"),
            ("u_rooms_in_area", "yes"),
            ("u_rooms_moved_on", "2021-02-01"),
            ("u_distance", "fixable"),
        ];
        let u4: Row<'_> = &[
            ("u_name", "U4"),
            ("u_status", "stopped"),
            ("u_two_key_one_major", "yes"),
            ("u_automation_ok", "yes"),
            ("u_automation_ok_on", "2023-02-01"),
            ("u_major_hazard", "yes"),
            ("u_connectable", "no"),
            ("u_process_aux", "no"),
            ("u_explosive", "no"),
            ("u_distance", "ok"),
        ];
        let u5: Row<'_> = &[
            ("u_name", "U5"),
            ("u_status", "producing"),
            ("u_two_key_one_major", "yes"),
            ("u_automation_ok", "no"),
            ("u_major_hazard", "yes"),
            ("u_connectable", "yes"),
            ("u_process_aux", "no"),
            ("u_explosive", "no"),
            ("u_distance", "ok"),
        ];
        vec![
            enterprise("E1", &e1, &[u1, u2]),
            enterprise("E2", &e2, &[u3, u4]),
            enterprise("E3", &e3, &[]),
            enterprise("E4", &e4, &[u5]),
            enterprise("E5", &e5, &[]),
        ]
    }

    fn values_on(records: &[FormRecord], as_of: &str) -> Vec<TargetValue> {
        compute(&full_batch(records), day(as_of))
    }

    #[test]
    fn fixture_gives_the_values_of_rules_md() {
        let records = fixture();
        // B-16 is judged on 2020-08-31; B-21, B-23 and B-39 on 2020-12-31; B-19 on
        // 2022-06-30; the rest on 2022-12-31. From 2023 every value is the one of its day.
        for as_of in ["2022-12-31", "2023-06-01"] {
            assert_values(
                &values_on(&records, as_of),
                &[
                    ("automation-in-use", Some(50.0)),
                    ("major-hazard-prevention", Some(50.0)),
                    ("enterprise-self-check", Some(75.0)),
                    ("red-orange-licence-recheck", Some(50.0)),
                    ("water-chlorine-retrofit", Some(50.0)),
                    ("distance-rectified", Some(50.0)),
                    ("aux-unit-automation", Some(100.0)),
                    ("control-room-relocated", Some(0.0)),
                    ("principal-half-year-report", Some(1.0)),
                    ("major-hazard-online", Some(100.0)),
                ],
                as_of,
            );
        }
    }

    #[test]
    fn half_year_reports_by_year() {
        let records = fixture();
        let report = |as_of: &str| {
            values_on(&records, as_of)
                .into_iter()
                .find(|v| v.target_id == "principal-half-year-report")
                .map(|v| v.value)
        };
        // 2020: only 2020H2, all four open enterprises have it.
        assert_eq!(report("2020-12-31"), Some(1.0));
        // 2021: E2 lacks 2021H1, so the year is missed, also once 2021H2 is in.
        assert_eq!(report("2021-06-30"), Some(0.0));
        assert_eq!(report("2021-12-31"), Some(0.0));
        assert_eq!(report("2022-06-30"), Some(1.0));
        assert_eq!(report("2022-12-31"), Some(1.0));
        // 2021-06-29: 2021H1 is not whole yet, the value is still 2020's.
        assert_eq!(report("2021-06-29"), Some(1.0));
        // A report counts only from its date: 2020H2 so far on 2020-12-19.
        assert_eq!(report("2020-12-19"), Some(0.0));
    }

    #[test]
    fn self_check_boundary_is_31_august_2020() {
        let records = fixture();
        let v = |as_of: &str| {
            values_on(&records, as_of)
                .into_iter()
                .find(|v| v.target_id == "enterprise-self-check")
                .map(|v| v.value)
        };
        // E5 on 2020-08-31 counts on its day; E2 on 2020-09-05 never does.
        assert_eq!(v("2020-08-30"), Some(pct(2, 4)));
        assert_eq!(v("2020-08-31"), Some(75.0));
        assert_eq!(v("2021-01-01"), Some(75.0));
        // Before E4 closed (2020-06-15) it was in the population.
        assert_eq!(v("2020-06-14"), Some(0.0));
    }

    #[test]
    fn unit_targets_follow_their_days() {
        let records = fixture();
        // 2020-12-31: U2 fixed its distance on the day; U4's systems only in 2023.
        assert_values(
            &values_on(&records, "2020-12-31"),
            &[
                ("automation-in-use", Some(0.0)),
                ("major-hazard-prevention", Some(0.0)),
                ("enterprise-self-check", Some(75.0)),
                ("red-orange-licence-recheck", Some(0.0)),
                ("water-chlorine-retrofit", Some(0.0)),
                ("distance-rectified", Some(50.0)),
                ("aux-unit-automation", Some(0.0)),
                ("control-room-relocated", Some(0.0)),
                ("principal-half-year-report", Some(1.0)),
                ("major-hazard-online", Some(100.0)),
            ],
            "2020-12-31",
        );
        // A closed row leaves every population.
        let mut closed = fixture();
        for f in &mut closed[1].fields {
            if f.name == "units[0]/u_status" {
                f.value = anwei_plugin_sdk::Value::Text("closed".into());
            }
        }
        let v = values_on(&closed, "2022-12-31");
        let get = |id: &str| v.iter().find(|x| x.target_id == id).map(|x| x.value);
        assert_eq!(get("automation-in-use"), Some(pct(2, 3)));
        assert_eq!(get("aux-unit-automation"), None);
        assert_eq!(get("control-room-relocated"), None);
        assert_eq!(get("distance-rectified"), Some(100.0));
    }

    fn rule_ids(r: &FormRecord, today: &str) -> Vec<String> {
        findings(r, Some(day(today)))
            .iter()
            .map(|f| format!("{}:{}", f.rule.id, f.field))
            .collect()
    }

    #[test]
    fn deadlines_fire_from_the_day_after() {
        let r = enterprise(
            "E",
            &[
                ("status", "operating"),
                ("chlorine_direct", "yes"),
                ("category", "water"),
            ],
            &[&[
                ("u_status", "producing"),
                ("u_process_aux", "yes"),
                ("u_connectable", "yes"),
                ("u_rooms_in_area", "yes"),
                ("u_distance", "fixable"),
                ("u_two_key_one_major", "yes"),
                ("u_automation_ok", "no"),
            ]],
        );
        let on_2020_08_31 = rule_ids(&r, "2020-08-31");
        assert!(!on_2020_08_31.iter().any(|x| x.starts_with("r12")));
        assert!(rule_ids(&r, "2020-09-01").contains(&"r12-self-check:self_check_on".to_owned()));
        let end_2020 = rule_ids(&r, "2020-12-31");
        let next = rule_ids(&r, "2021-01-01");
        for id in [
            "r22-online-monitoring:units[0]/u_connected_on",
            "r24-rooms-in-area:units[0]/u_rooms_moved_on",
            "r27-distance:units[0]/u_distance_fixed_on",
            "r18-half-year-report:report_2020h2",
        ] {
            assert!(!end_2020.contains(&id.to_owned()), "{id} on 2020-12-31");
            assert!(next.contains(&id.to_owned()), "{id} on 2021-01-01");
        }
        assert!(
            !rule_ids(&r, "2022-06-30")
                .iter()
                .any(|x| x.starts_with("r19"))
        );
        assert!(
            rule_ids(&r, "2022-07-01")
                .iter()
                .any(|x| x.starts_with("r19"))
        );
        for id in ["r20-automation-stop", "r21-aux-automation"] {
            assert!(!rule_ids(&r, "2022-12-31").iter().any(|x| x.starts_with(id)));
            assert!(rule_ids(&r, "2023-01-01").iter().any(|x| x.starts_with(id)));
        }
        // R18 (b): one reminder per ended half-year.
        let reminders = rule_ids(&r, "2022-07-01")
            .into_iter()
            .filter(|x| x.starts_with("r18-half"))
            .count();
        assert_eq!(reminders, 4);
    }

    #[test]
    fn standing_rules_and_their_boundaries() {
        let r = enterprise(
            "E",
            &[
                ("status", "operating"),
                ("risk_colour", "orange"),
                ("crowd_in_distance", "yes"),
                ("four_zones", "no"),
                ("last_accident_on", "2021-03-01"),
                ("report_false", "yes"),
            ],
            &[&[
                ("u_status", "producing"),
                ("u_over_design", "yes"),
                ("u_room_facing_ok", "no"),
                ("u_occupied_rooms", "yes"),
                ("u_reaction_scope", "yes"),
            ]],
        );
        let with_hazards = |n: i64, listed: Option<bool>| {
            let mut b = RecordBuilder::new("H").integer("major_hidden_hazards", n);
            if let Some(l) = listed {
                b = b.flag("listed_supervision", l);
            }
            findings(&b.build(), Some(day("2020-01-01")))
                .iter()
                .any(|f| f.rule.id == R13.id)
        };
        assert!(!with_hazards(0, None));
        assert!(with_hazards(1, None));
        assert!(with_hazards(1, Some(false)));
        assert!(!with_hazards(1, Some(true)));
        let ids = rule_ids(&r, "2020-01-01");
        for id in [
            "r14-licence-recheck:licence_rechecked_on",
            "r15-crowd-in-distance:crowd_in_distance",
            "r16-four-zones:four_zones",
            "r17-accident:last_accident_on",
            "r18-report-false:report_false",
            "r23-over-design:units[0]/u_over_design",
            "r25-room-facing:units[0]/u_room_facing_ok",
            "r26-occupied-rooms:units[0]/u_occupied_rooms",
            "r28-reaction-assessment:units[0]/u_reaction_assessed_on",
        ] {
            assert!(ids.contains(&id.to_owned()), "{id} missing from {ids:?}");
        }
        // R28 stops applying once the unit no longer produces.
        let stopped = enterprise(
            "E",
            &[],
            &[&[("u_status", "stopped"), ("u_reaction_scope", "yes")]],
        );
        assert!(rule_ids(&stopped, "2020-01-01").is_empty());
        // The fixture on 2023-01-02: U3 produces without its systems (R20); U4 is stopped.
        let fx = fixture();
        let e2 = rule_ids(&fx[1], "2023-01-02");
        assert!(e2.contains(&"r20-automation-stop:units[0]/u_status".to_owned()));
        assert!(!e2.iter().any(|x| x.contains("units[1]/")));
        assert!(e2.contains(&"r18-half-year-report:report_2021h1".to_owned()));
        assert!(e2.contains(&"r14-licence-recheck:licence_rechecked_on".to_owned()));
        // The closed E4 is asked for no report after it closed.
        assert!(
            !rule_ids(&fx[3], "2023-01-02")
                .iter()
                .any(|x| x.starts_with("r18"))
        );
    }
}
