//! The rules of 附件5 as the seed states them (see `content/rules.md`; seed 001, lines 296–318,
//! cited `L<line>`).
//!
//! Every rule reads a record through [`Fields`], so `validate` and `classify` (a
//! [`FormRecord`]) and `compute` (the [`Row`]s of the batch the desk sends, holding only the
//! targets' `inputs`) apply the same code to the same values.
//!
//! Conventions (rules.md “Conventions”): dates compare as calendar days, both ends inclusive,
//! and an empty date never satisfies `<= D`; a yes/no field counts only when it is `yes`
//! (empty is “not yes”); a mine *exists* at D unless it is a new mine approved after D (or
//! without an approval date); it is *closed* at D when its status is 已关闭 and its closure
//! date is on or before D; *open* = exists and not closed.

use std::collections::{BTreeMap, HashMap};

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Classification, Fields, FormRecord, Issue, RecordBatch, Row, TargetValue};

pub const MINE_FORM: &str = "mine-register";
pub const TAILINGS_FORM: &str = "tailings-register";
pub const OUTSOURCING_FORM: &str = "outsourcing-register";

const fn ymd(year: i32, month: u32, day: u32) -> Date {
    Date { year, month, day }
}

/// L297 「麒麟区现有矿山68座」, read as the 总指标数 of L303 「新建矿山不得突破现有矿山的总指标数」
/// (the text gives that one no number; notes.md, doubt 1).
pub const MINE_CAP: usize = 68;

/// L304 「督促企业于2020年12月31日前转型升级到位」: the day itself is still on time.
pub const UPGRADE_DEADLINE: Date = ymd(2020, 12, 31);

/// L317 「2022年,地下矿山按照相关标准完善人员定位系统、监测监控系统和通信联络系统」: the year's
/// last day; from the next day a missing system is a violation.
pub const UNDERGROUND_SYSTEMS_DEADLINE: Date = ymd(2022, 12, 31);

/// L305 「严禁新建“头顶库”、总坝高超过200米的尾矿库」: 超过 = strictly more than 200 m.
pub const MAX_DAM_HEIGHT_M: f64 = 200.0;

/// The date of each computed target's last checkpoint (`due`, else 31 December of its year;
/// plan.json, checked by a test). A target is computed at D = `as_of`, but never later than
/// that date: a checkpoint of year Y is computed at its own date (rules.md “As-of date D”),
/// and after the last one the value stays the one of the last checkpoint (e.g. the 2020
/// closures count only closures made by 2020-12-31).
pub const LAST_CHECKPOINT: [(&str, Date); 15] = [
    ("mine-count-cap", ymd(2022, 12, 31)),
    ("build-one-close-one", ymd(2022, 12, 31)),
    ("close-3-small-mines-2020", ymd(2020, 12, 31)),
    ("city-closure-task", ymd(2022, 12, 31)),
    ("upgrade-by-2020", UPGRADE_DEADLINE),
    ("no-new-overhead-tailings", ymd(2022, 12, 31)),
    ("no-new-tailings-over-200m", ymd(2022, 12, 31)),
    ("banned-equipment-lists", ymd(2022, 12, 31)),
    ("dry-brake-vehicles", ymd(2022, 12, 31)),
    ("sensitive-area-quarries", ymd(2022, 12, 31)),
    ("protected-zone-mines", ymd(2022, 12, 31)),
    ("dual-prevention-2021", ymd(2021, 12, 31)),
    (
        "underground-personnel-positioning",
        UNDERGROUND_SYSTEMS_DEADLINE,
    ),
    ("underground-monitoring", UNDERGROUND_SYSTEMS_DEADLINE),
    ("underground-communication", UNDERGROUND_SYSTEMS_DEADLINE),
];

/// D for target `id` computed on `as_of`.
fn as_of_for(id: &str, as_of: Date) -> Date {
    LAST_CHECKPOINT
        .iter()
        .find(|(t, _)| *t == id)
        .map_or(as_of, |(_, last)| as_of.min(*last))
}

// ---------------------------------------------------------------------------------------------
// Reads shared by the rules
// ---------------------------------------------------------------------------------------------

/// A yes/no field that is `yes` (empty counts as “not yes”).
fn yes<R: Fields + ?Sized>(r: &R, field: &str) -> bool {
    r.flag(field) == Some(true)
}

/// A yes/no field answered `no` (empty is not `no`).
fn no<R: Fields + ?Sized>(r: &R, field: &str) -> bool {
    r.flag(field) == Some(false)
}

/// A date field on or before `d` (an empty date never is).
fn on_or_before<R: Fields + ?Sized>(r: &R, field: &str, d: Date) -> bool {
    r.date(field).is_some_and(|x| x <= d)
}

fn is_new<R: Fields + ?Sized>(r: &R) -> bool {
    yes(r, "is_new")
}

/// The register says 已关闭 (whatever the date): what the record-level rules read.
fn status_closed<R: Fields + ?Sized>(r: &R) -> bool {
    r.choice("status") == Some("closed")
}

/// Closed at `d`: 已关闭 with a closure date on or before `d`.
fn closed_at<R: Fields + ?Sized>(r: &R, d: Date) -> bool {
    status_closed(r) && on_or_before(r, "closed_date", d)
}

fn classification(rule: &str, value: &str, reason: impl Into<String>) -> Classification {
    Classification {
        record_id: String::new(),
        rule: rule.to_owned(),
        value: value.to_owned(),
        reason: reason.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Record-level rules (R2–R13)
// ---------------------------------------------------------------------------------------------

/// R2, L303 「确实需要新建的必须严格落实“建一关一”要求」: for a new mine, the field whose
/// entry the pairing lacks on `on` — no paired mine, no closure date, or a closure dated after
/// `on` (the closure counts from its own date on; it need not precede the approval). `None`
/// when the pairing is complete or the mine is not new.
pub fn pairing_gap<R: Fields + ?Sized>(r: &R, on: Option<Date>) -> Option<&'static str> {
    if !is_new(r) {
        return None;
    }
    if r.is_blank("paired_closed_mine") {
        return Some("paired_closed_mine");
    }
    match r.date("paired_closed_date") {
        None => Some("paired_closed_date"),
        Some(closed) if on.is_some_and(|d| closed > d) => Some("paired_closed_date"),
        Some(_) => None,
    }
}

const PAIRING_MESSAGE: &str =
    "新建矿山必须严格落实“建一关一”要求：请登记对应关闭的矿山及其关闭日期。";

/// R3, L303 「特别是生产建设规模达不到省、市、区政府要求的,一律不得办理采矿权审批等行政许可手续」.
fn below_required_scale<R: Fields + ?Sized>(r: &R) -> bool {
    is_new(r) && no(r, "meets_scale_requirement")
}

const SCALE_MESSAGE: &str =
    "生产建设规模达不到省、市、区政府要求的，一律不得办理采矿权审批等行政许可手续。";

/// R4, L304: where a mine of the transformation list stands against 2020-12-31.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upgrade {
    /// Closed on or before the deadline: no longer concerned.
    ClosedInTime,
    /// Upgraded on or before the deadline.
    OnTime,
    /// Not upgraded yet, and the deadline has not passed.
    Pending,
    /// Upgraded after the deadline, or not upgraded and the deadline has passed
    /// (L304 「逾期未完成转型升级任务的,依法依规追究相关单位和人员的责任」).
    Overdue,
}

/// R4 for a mine of the list (`in_upgrade_list = yes`), on `today`; `None` for other mines.
pub fn upgrade_state<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> Option<Upgrade> {
    if !yes(r, "in_upgrade_list") {
        return None;
    }
    if closed_at(r, UPGRADE_DEADLINE) {
        return Some(Upgrade::ClosedInTime);
    }
    Some(match r.date("upgrade_done_date") {
        Some(done) if done <= UPGRADE_DEADLINE => Upgrade::OnTime,
        Some(_) => Upgrade::Overdue,
        None if today.is_some_and(|t| t > UPGRADE_DEADLINE) => Upgrade::Overdue,
        None => Upgrade::Pending,
    })
}

const UPGRADE_MESSAGE: &str =
    "逾期未完成转型升级任务（期限2020年12月31日），依法依规追究相关单位和人员的责任。";

/// The three grounds of L306 (`closure_grounds`, labels as in forms.json).
const CLOSURE_GROUNDS: [(&str, &str); 3] = [
    (
        "below_standard",
        "不符合国家或地方最小开采规模和最低服务年限标准",
    ),
    (
        "hazard_overdue",
        "存在重大事故隐患逾期不整改或整改后仍达不到法定安全生产条件",
    ),
    (
        "three_simultaneous",
        "违反建设项目安全设施“三同时”规定且拒不执行安全监管指令逾期未完善相关手续",
    ),
];

/// R5, L306 「…的非煤矿山作为重点关闭对象依法予以关闭」: the selected grounds of a mine not
/// yet closed, in words (`None`: no ground selected, or the mine is closed).
pub fn key_closure_grounds<R: Fields + ?Sized>(r: &R) -> Option<String> {
    let chosen = r.choices("closure_grounds");
    if chosen.is_empty() || status_closed(r) {
        return None;
    }
    let words: Vec<&str> = chosen
        .iter()
        .map(|c| {
            CLOSURE_GROUNDS
                .iter()
                .find(|(name, _)| name == c)
                .map_or(*c, |(_, label)| *label)
        })
        .collect();
    Some(words.join("、"))
}

/// R6, L306 「强制淘汰采用干式制动的无轨胶轮车或者改装车辆运输人员、炸药、油料等落后工艺设备」.
fn uses_dry_brake_vehicles<R: Fields + ?Sized>(r: &R) -> bool {
    !status_closed(r) && yes(r, "dry_brake_vehicles")
}

const DRY_BRAKE_MESSAGE: &str =
    "强制淘汰采用干式制动的无轨胶轮车或者改装车辆运输人员、炸药、油料等落后工艺设备。";

/// R6, L306 「确保金属非金属矿山第一批和第二批禁止使用的设备及工艺目录全部落实到位」.
fn banned_lists_not_done<R: Fields + ?Sized>(r: &R) -> bool {
    !status_closed(r) && no(r, "banned_list_done")
}

const BANNED_LISTS_MESSAGE: &str = "第一批和第二批禁止使用的设备及工艺目录须全部落实到位。";

/// R7, L307: the protected zones a mine lies in (自然保护区, 水源保护区).
fn protected_zones<R: Fields + ?Sized>(r: &R) -> Vec<&'static str> {
    let mut zones = Vec::new();
    if yes(r, "in_nature_reserve") {
        zones.push("自然保护区");
    }
    if yes(r, "in_water_source_zone") {
        zones.push("水源保护区");
    }
    zones
}

/// R7, L307 「对位于自然保护区、水源保护区的非煤矿山,要坚决依法提请区人民政府予以关闭」.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtectedZone {
    /// In the zones named, not closed, no closure proposed yet (违规).
    NotProposed(String),
    /// Proposed to the district government on this date, not closed yet (待办).
    Proposed(Date),
}

/// R7 for a mine in a protected zone whose status is not 已关闭, on `today`: a closure
/// request counts from its date on. `None` for other mines (no threshold: being in a zone is
/// enough).
pub fn protected_zone<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> Option<ProtectedZone> {
    let zones = protected_zones(r);
    if zones.is_empty() || status_closed(r) {
        return None;
    }
    match r.date("closure_requested_date") {
        Some(d) if today.is_none_or(|t| d <= t) => Some(ProtectedZone::Proposed(d)),
        _ => Some(ProtectedZone::NotProposed(zones.join("、"))),
    }
}

/// A quarry (采石(砂)场) in an environmentally sensitive area (L307).
fn sensitive_quarry<R: Fields + ?Sized>(r: &R) -> bool {
    r.choice("mine_type") == Some("quarry") && yes(r, "in_sensitive_area")
}

/// R8, L307 「全面清理环境敏感区采石(砂)场」: a sensitive quarry not closed and not cleaned up
/// on `today` (a clean-up counts from its date on).
fn quarry_cleanup_pending<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> bool {
    let cleaned = r
        .date("sensitive_cleanup_date")
        .is_some_and(|d| today.is_none_or(|t| d <= t));
    sensitive_quarry(r) && !status_closed(r) && !cleaned
}

const QUARRY_MESSAGE: &str = "环境敏感区采石(砂)场须全面清理。";

fn is_new_pond<R: Fields + ?Sized>(r: &R) -> bool {
    r.choice("construction_type") == Some("new")
}

/// R9, L305 「严禁新建“头顶库”」.
fn new_overhead_pond<R: Fields + ?Sized>(r: &R) -> bool {
    is_new_pond(r) && yes(r, "is_overhead")
}

/// R9, L305 「总坝高超过200米的尾矿库」: strictly more than 200 m (200.0 m is allowed).
fn new_pond_over_200m<R: Fields + ?Sized>(r: &R) -> bool {
    is_new_pond(r)
        && r.number("total_dam_height")
            .is_some_and(|h| h > MAX_DAM_HEIGHT_M)
}

const BANNED_POND_MESSAGE: &str = "严禁新建“头顶库”、总坝高超过200米的尾矿库。";

/// R9, L305 「严格控制新建独立选矿厂尾矿库」.
fn new_independent_plant_pond<R: Fields + ?Sized>(r: &R) -> bool {
    is_new_pond(r) && yes(r, "is_independent_plant")
}

const INDEPENDENT_PLANT_MESSAGE: &str = "严格控制新建独立选矿厂尾矿库。";

/// R10, L318 「安全生产许可证有效期满未办理延期手续」: a producing or building mine whose licence
/// expired before `today` (the expiry date itself is the last valid day). `None` when the rule
/// does not apply (other status, no expiry date, no date today); else whether it is expired.
pub fn licence_expired<R: Fields + ?Sized>(r: &R, today: Option<Date>) -> Option<bool> {
    if !matches!(r.choice("status"), Some("producing") | Some("construction")) {
        return None;
    }
    let expiry = r.date("safety_licence_expiry")?;
    Some(expiry < today?)
}

const LICENCE_MESSAGE: &str = "安全生产许可证有效期满未办理延期手续。";

/// R11, L313–315: the standardisation class, its short name and the guidance of the text.
fn standardisation_track<R: Fields + ?Sized>(r: &R) -> Option<(&'static str, &'static str)> {
    match r.choice("standardisation")? {
        "certified" => Some((
            "已取得等级证书",
            "已取得安全生产标准化等级证书：抓巩固、抓提升、抓改进。",
        )),
        "unrated" => Some((
            "尚未评定等级",
            "尚未评定等级：抓规范、抓过程、抓实效，按要求进行评审定级。",
        )),
        "not_started" => Some((
            "尚未开展标准化建设",
            "尚未开展标准化建设工作：抓指导、抓促进、抓达标，限期完成标准化建设工作。",
        )),
        _ => None,
    }
}

/// 地下矿山 (L316–317): underground or combined underground and open-pit mining.
fn is_underground<R: Fields + ?Sized>(r: &R) -> bool {
    matches!(
        r.choice("mining_method"),
        Some("underground") | Some("combined")
    )
}

/// The three systems of L317, with the field that says each is complete.
const UNDERGROUND_SYSTEMS: [(&str, &str); 3] = [
    ("positioning_ok", "人员定位系统"),
    ("monitoring_ok", "监测监控系统"),
    ("communication_ok", "通信联络系统"),
];

/// R12, L317: for an underground mine not closed, the systems not yet `yes` (`None` for
/// other mines).
pub fn missing_systems<R: Fields + ?Sized>(r: &R) -> Option<Vec<(&'static str, &'static str)>> {
    (is_underground(r) && !status_closed(r)).then(|| {
        UNDERGROUND_SYSTEMS
            .iter()
            .copied()
            .filter(|(field, _)| !yes(r, field))
            .collect()
    })
}

/// R13, L318 「九是外包工程安全管理不规范,以包代管」.
fn contract_without_management<R: Fields + ?Sized>(r: &R) -> bool {
    yes(r, "contract_without_management")
}

const CONTRACTING_MESSAGE: &str = "外包工程安全管理不规范，以包代管。";

// ---------------------------------------------------------------------------------------------
// validate
// ---------------------------------------------------------------------------------------------

/// Field-level issues of one record of `form` on `today`: 违规 → error, 待办 → warning,
/// 提示 → info. R1 (the mine count against the cap) and R2's second check (two new mines
/// naming the same closure) need the whole register: they are the targets `mine-count-cap`
/// and `build-one-close-one` (see [`compute`]), not issues of one record.
pub fn validate(form: &str, record: &FormRecord, today: Option<Date>) -> Vec<Issue> {
    match form {
        MINE_FORM => validate_mine(record, today),
        TAILINGS_FORM => validate_tailings(record),
        OUTSOURCING_FORM => validate_outsourcing(record),
        _ => vec![Issue::error("", format!("未知表单“{form}”"))],
    }
}

fn validate_mine(r: &FormRecord, today: Option<Date>) -> Vec<Issue> {
    let mut out = Vec::new();
    // R2 (L303).
    if let Some(field) = pairing_gap(r, today) {
        out.push(Issue::warning(field, PAIRING_MESSAGE));
    }
    // R3 (L303).
    if below_required_scale(r) {
        out.push(Issue::warning("meets_scale_requirement", SCALE_MESSAGE));
    }
    // R4 (L304).
    if upgrade_state(r, today) == Some(Upgrade::Overdue) {
        out.push(Issue::warning("upgrade_done_date", UPGRADE_MESSAGE));
    }
    // R5 (L306).
    if let Some(grounds) = key_closure_grounds(r) {
        out.push(Issue::warning(
            "closure_grounds",
            format!("属重点关闭对象（{grounds}），应依法予以关闭。"),
        ));
    }
    // R6 (L306).
    if uses_dry_brake_vehicles(r) {
        out.push(Issue::warning("dry_brake_vehicles", DRY_BRAKE_MESSAGE));
    }
    if banned_lists_not_done(r) {
        out.push(Issue::warning("banned_list_done", BANNED_LISTS_MESSAGE));
    }
    // R7 (L307).
    match protected_zone(r, today) {
        Some(ProtectedZone::NotProposed(zones)) => out.push(Issue::warning(
            "closure_requested_date",
            format!("位于{zones}，要坚决依法提请区人民政府予以关闭。"),
        )),
        Some(ProtectedZone::Proposed(d)) => out.push(Issue::warning(
            "closure_requested_date",
            format!("已于{d}提请区人民政府予以关闭，尚未关闭。"),
        )),
        None => {}
    }
    // R8 (L307).
    if quarry_cleanup_pending(r, today) {
        out.push(Issue::warning("sensitive_cleanup_date", QUARRY_MESSAGE));
    }
    // R10 (L318).
    if licence_expired(r, today) == Some(true) {
        out.push(Issue::warning("safety_licence_expiry", LICENCE_MESSAGE));
    }
    // R11 (L313–315).
    if let Some((_, guidance)) = standardisation_track(r) {
        out.push(Issue::info("standardisation", guidance));
    }
    // R12 (L317): 待办 through 2022, 违规 from 2023-01-01.
    if let Some(missing) = missing_systems(r)
        && let Some((first, _)) = missing.first()
    {
        let names: Vec<&str> = missing.iter().map(|(_, name)| *name).collect();
        // Past the deadline the message says it is overdue; a warning either way (the record
        // states a fact and counts).
        let overdue = if today.is_some_and(|t| t > UNDERGROUND_SYSTEMS_DEADLINE) {
            "已逾期："
        } else {
            ""
        };
        let message = format!(
            "{overdue}地下矿山须按照相关标准完善{}（2022年）。",
            names.join("、")
        );
        out.push(Issue::warning(first, message));
    }
    out
}

fn validate_tailings(r: &FormRecord) -> Vec<Issue> {
    let mut out = Vec::new();
    // R9 (L305): one issue, at the first cause.
    if new_overhead_pond(r) {
        out.push(Issue::warning("is_overhead", BANNED_POND_MESSAGE));
    } else if new_pond_over_200m(r) {
        out.push(Issue::warning("total_dam_height", BANNED_POND_MESSAGE));
    }
    if new_independent_plant_pond(r) {
        out.push(Issue::info(
            "is_independent_plant",
            INDEPENDENT_PLANT_MESSAGE,
        ));
    }
    out
}

fn validate_outsourcing(r: &FormRecord) -> Vec<Issue> {
    // R13 (L318).
    if contract_without_management(r) {
        vec![Issue::warning(
            "contract_without_management",
            CONTRACTING_MESSAGE,
        )]
    } else {
        Vec::new()
    }
}

// ---------------------------------------------------------------------------------------------
// classify
// ---------------------------------------------------------------------------------------------

/// The rules' results for one record of `form` on `today`: one classification per rule whose
/// subject the record is (a new mine for 建一关一, a mine of the transformation list for the
/// 2020 deadline…), saying how the record stands.
pub fn classify(form: &str, record: &FormRecord, today: Option<Date>) -> Vec<Classification> {
    match form {
        MINE_FORM => classify_mine(record, today),
        TAILINGS_FORM => classify_tailings(record),
        OUTSOURCING_FORM => classify_outsourcing(record),
        _ => Vec::new(),
    }
}

fn classify_mine(r: &FormRecord, today: Option<Date>) -> Vec<Classification> {
    let mut out = Vec::new();
    if is_new(r) {
        let reason = "第303行：确实需要新建的必须严格落实“建一关一”要求，新建矿山不得突破现有矿山的总指标数。";
        out.push(match pairing_gap(r, today) {
            Some(_) => classification(
                "build-one-close-one",
                "未落实“建一关一”",
                format!("{reason}尚未登记对应关闭的矿山，或其关闭日期未到。"),
            ),
            None => classification("build-one-close-one", "已落实“建一关一”", reason),
        });
        if let Some(meets) = r.flag("meets_scale_requirement") {
            out.push(classification(
                "new-mine-scale",
                if meets {
                    "达到规模要求"
                } else {
                    "不得办理采矿权审批"
                },
                "第303行：对于新立矿权的矿山，特别是生产建设规模达不到省、市、区政府要求的，一律不得办理采矿权审批等行政许可手续。",
            ));
        }
    }
    if let Some(state) = upgrade_state(r, today) {
        let value = match state {
            Upgrade::ClosedInTime => "期限前已关闭",
            Upgrade::OnTime => "按期转型升级到位",
            Upgrade::Pending => "转型升级期限未到",
            Upgrade::Overdue => "逾期未完成转型升级",
        };
        out.push(classification(
            "upgrade-by-2020",
            value,
            "第304行：督促企业于2020年12月31日前转型升级到位；逾期未完成转型升级任务的，依法依规追究相关单位和人员的责任。",
        ));
    }
    if let Some(grounds) = key_closure_grounds(r) {
        out.push(classification(
            "key-closure",
            "重点关闭对象",
            format!("第306行：{grounds}的非煤矿山作为重点关闭对象依法予以关闭。"),
        ));
    }
    if !status_closed(r) {
        if let Some(dry) = r.flag("dry_brake_vehicles") {
            out.push(classification(
                "dry-brake-vehicles",
                if dry { "应强制淘汰" } else { "未使用" },
                "第306行：强制淘汰采用干式制动的无轨胶轮车或者改装车辆运输人员、炸药、油料等落后工艺设备。",
            ));
        }
        if let Some(done) = r.flag("banned_list_done") {
            out.push(classification(
                "banned-equipment-lists",
                if done {
                    "已落实到位"
                } else {
                    "未落实到位"
                },
                "第306行：确保金属非金属矿山第一批和第二批禁止使用的设备及工艺目录全部落实到位。",
            ));
        }
    }
    let zone_reason =
        "第307行：对位于自然保护区、水源保护区的非煤矿山，要坚决依法提请区人民政府予以关闭。";
    match protected_zone(r, today) {
        Some(ProtectedZone::NotProposed(zones)) => out.push(classification(
            "protected-zone",
            "应提请关闭",
            format!("位于{zones}。{zone_reason}"),
        )),
        Some(ProtectedZone::Proposed(d)) => out.push(classification(
            "protected-zone",
            "已提请关闭",
            format!("已于{d}提请区人民政府予以关闭，尚未关闭。{zone_reason}"),
        )),
        None => {}
    }
    if sensitive_quarry(r) && !status_closed(r) {
        out.push(classification(
            "sensitive-quarry",
            if quarry_cleanup_pending(r, today) {
                "应清理"
            } else {
                "已清理"
            },
            "第307行：全面清理环境敏感区采石(砂)场。",
        ));
    }
    if let Some(expired) = licence_expired(r, today) {
        out.push(classification(
            "safety-licence",
            if expired {
                "有效期满未延期"
            } else {
                "在有效期内"
            },
            "第318行：打击安全生产许可证有效期满未办理延期手续。",
        ));
    }
    if let Some((class, guidance)) = standardisation_track(r) {
        out.push(classification(
            "standardisation",
            class,
            format!("第313–315行：{guidance}"),
        ));
    }
    if let Some(missing) = missing_systems(r) {
        let value = if missing.is_empty() {
            "三个系统已完善"
        } else if today.is_some_and(|t| t > UNDERGROUND_SYSTEMS_DEADLINE) {
            "系统未完善（已逾期）"
        } else {
            "系统未完善"
        };
        out.push(classification(
            "underground-systems",
            value,
            "第317行：2022年，地下矿山按照相关标准完善人员定位系统、监测监控系统和通信联络系统。",
        ));
    }
    out
}

fn classify_tailings(r: &FormRecord) -> Vec<Classification> {
    let mut out = Vec::new();
    if is_new_pond(r) {
        out.push(classification(
            "banned-new-tailings",
            if new_overhead_pond(r) || new_pond_over_200m(r) {
                "严禁新建"
            } else {
                "不属严禁新建情形"
            },
            "第305行：严禁新建“头顶库”、总坝高超过200米的尾矿库。",
        ));
        if new_independent_plant_pond(r) {
            out.push(classification(
                "independent-plant-tailings",
                "严格控制",
                "第305行：严格控制新建独立选矿厂尾矿库。",
            ));
        }
    }
    out
}

fn classify_outsourcing(r: &FormRecord) -> Vec<Classification> {
    match r.flag("contract_without_management") {
        Some(found) => vec![classification(
            "contract-without-management",
            if found {
                "以包代管"
            } else {
                "未发现以包代管"
            },
            "第318行：重点打击整治外包工程安全管理不规范、以包代管。",
        )],
        None => Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// compute
// ---------------------------------------------------------------------------------------------

/// Target values of `form` from its records on `as_of` (each target at its own D, see
/// [`LAST_CHECKPOINT`]). Counts always have a value; a share with an empty population has
/// none (无数据). No value at all without a valid `as_of`.
pub fn compute(form: &str, records: &RecordBatch, as_of: Option<Date>) -> Vec<TargetValue> {
    let Some(as_of) = as_of else {
        return Vec::new();
    };
    let rows: Vec<Row<'_>> = records.rows().collect();
    match form {
        MINE_FORM => compute_mines(&rows, as_of),
        TAILINGS_FORM => compute_tailings(&rows, as_of),
        _ => Vec::new(),
    }
}

fn count<R: Fields>(rows: &[R], pred: impl Fn(&R) -> bool) -> f64 {
    rows.iter().filter(|r| pred(r)).count() as f64
}

fn push_share(out: &mut Vec<TargetValue>, id: &str, value: Option<f64>) {
    if let Some(v) = value {
        out.push(TargetValue::district(id, v));
    }
}

/// What the targets read of one mine, each field read once (`compute_mines` goes over the
/// register once for all its targets).
struct Mine<'r> {
    is_new: bool,
    approved: Option<Date>,
    /// The closure date of a mine the register says is 已关闭 (`None` otherwise, or when
    /// the date is missing: such a mine is not closed at any D).
    closed: Option<Date>,
    closure_task: Option<&'r str>,
    town: Option<&'r str>,
    in_upgrade_list: bool,
    upgrade_done: Option<Date>,
    banned_list_done: bool,
    dry_brake_vehicles: bool,
    sensitive_quarry: bool,
    sensitive_cleanup: Option<Date>,
    protected: bool,
    dual_prevention: Option<Date>,
    underground: bool,
    /// positioning_ok, monitoring_ok, communication_ok.
    systems: [bool; 3],
}

impl<'r> Mine<'r> {
    fn read<R: Fields>(r: &'r R) -> Mine<'r> {
        Mine {
            is_new: is_new(r),
            approved: r.date("approved_date"),
            closed: if status_closed(r) {
                r.date("closed_date")
            } else {
                None
            },
            closure_task: r.choice("closure_task"),
            town: r.text("town").map(str::trim).filter(|t| !t.is_empty()),
            in_upgrade_list: yes(r, "in_upgrade_list"),
            upgrade_done: r.date("upgrade_done_date"),
            banned_list_done: yes(r, "banned_list_done"),
            dry_brake_vehicles: yes(r, "dry_brake_vehicles"),
            sensitive_quarry: sensitive_quarry(r),
            sensitive_cleanup: r.date("sensitive_cleanup_date"),
            protected: !protected_zones(r).is_empty(),
            dual_prevention: r.date("dual_prevention_date"),
            underground: is_underground(r),
            systems: [
                yes(r, "positioning_ok"),
                yes(r, "monitoring_ok"),
                yes(r, "communication_ok"),
            ],
        }
    }

    /// The mine exists at `d`: not a new mine, or a new mine approved on or before `d`.
    fn exists_at(&self, d: Date) -> bool {
        !self.is_new || self.approved.is_some_and(|a| a <= d)
    }

    /// Closed at `d`: 已关闭 with a closure date on or before `d` (as [`closed_at`]).
    fn closed_at(&self, d: Date) -> bool {
        self.closed.is_some_and(|c| c <= d)
    }

    /// Open at `d`: exists and is not closed at `d`.
    fn open_at(&self, d: Date) -> bool {
        self.exists_at(d) && !self.closed_at(d)
    }
}

/// A share's counts: part of whole.
#[derive(Default, Clone, Copy)]
struct Tally {
    whole: usize,
    part: usize,
}

impl Tally {
    fn add(&mut self, counted: bool) {
        self.whole += 1;
        self.part += usize::from(counted);
    }

    /// part ÷ whole × 100 (unrounded); `None` for an empty whole.
    fn share(self) -> Option<f64> {
        (self.whole > 0).then(|| self.part as f64 * 100.0 / self.whole as f64)
    }
}

fn compute_mines<R: Fields>(rows: &[R], as_of: Date) -> Vec<TargetValue> {
    let d_cap = as_of_for("mine-count-cap", as_of);
    let d_close3 = as_of_for("close-3-small-mines-2020", as_of);
    let d_city = as_of_for("city-closure-task", as_of);
    let d_upgrade = as_of_for("upgrade-by-2020", as_of);
    let d_banned = as_of_for("banned-equipment-lists", as_of);
    let d_dry = as_of_for("dry-brake-vehicles", as_of);
    let d_quarry = as_of_for("sensitive-area-quarries", as_of);
    let d_protected = as_of_for("protected-zone-mines", as_of);
    let d_dual = as_of_for("dual-prevention-2021", as_of);
    const SYSTEMS: [&str; 3] = [
        "underground-personnel-positioning",
        "underground-monitoring",
        "underground-communication",
    ];
    let d_systems = SYSTEMS.map(|id| as_of_for(id, as_of));

    let mut open = 0usize;
    let mut closed_2020 = 0usize;
    let mut city = Tally::default();
    // upgrade-by-2020 (L304, 以镇(街道)为基本单元): per town.
    let mut towns: BTreeMap<String, Tally> = BTreeMap::new();
    let mut banned = Tally::default();
    let mut dry = 0usize;
    let mut quarries = Tally::default();
    let mut protected = 0usize;
    let mut dual = Tally::default();
    let mut systems = [Tally::default(); 3];
    for r in rows {
        let m = Mine::read(r);
        // mine-count-cap (L303, cap 68 from L297): mines open at D. Met while ≤ 68.
        open += usize::from(m.open_at(d_cap));
        // close-3-small-mines-2020 (L297): the province's 2020 quota, closed by 2020-12-31.
        closed_2020 +=
            usize::from(m.closure_task == Some("province_2020") && m.closed_at(d_close3));
        // city-closure-task (L297): the mines of the city's 2021–2022 task closed at D.
        if m.closure_task == Some("city_2021_2022") {
            city.add(m.closed_at(d_city));
        }
        // upgrade-by-2020 (L304): the listed mines not closed at D that were upgraded by D.
        // No district value: each town is checked on its own.
        if let Some(town) = m.town
            && m.in_upgrade_list
            && !m.closed_at(d_upgrade)
        {
            let done = m.upgrade_done.is_some_and(|u| u <= d_upgrade);
            match towns.get_mut(town) {
                Some(t) => t.add(done),
                None => {
                    let mut t = Tally::default();
                    t.add(done);
                    towns.insert(town.to_owned(), t);
                }
            }
        }
        // banned-equipment-lists (L306): open mines whose lists are done.
        if m.open_at(d_banned) {
            banned.add(m.banned_list_done);
        }
        // dry-brake-vehicles (L306): open mines still using them.
        dry += usize::from(m.open_at(d_dry) && m.dry_brake_vehicles);
        // sensitive-area-quarries (L307): quarries in sensitive areas (existing at D) cleaned
        // up or closed by D.
        if m.sensitive_quarry && m.exists_at(d_quarry) {
            quarries
                .add(m.sensitive_cleanup.is_some_and(|c| c <= d_quarry) || m.closed_at(d_quarry));
        }
        // protected-zone-mines (L307): mines in a protected zone still open at D (a closure
        // request alone does not remove a mine from the count).
        protected += usize::from(m.protected && m.open_at(d_protected));
        // dual-prevention-2021 (L317, with L312): open mines with the mechanism built by D.
        if m.open_at(d_dual) {
            dual.add(m.dual_prevention.is_some_and(|x| x <= d_dual));
        }
        // The three systems of underground mines (L317): open underground mines, each system.
        for ((tally, d), ok) in systems.iter_mut().zip(d_systems).zip(m.systems) {
            if m.underground && m.open_at(d) {
                tally.add(ok);
            }
        }
    }

    let mut out = vec![
        TargetValue::district("mine-count-cap", open as f64),
        // build-one-close-one (L303).
        TargetValue::district(
            "build-one-close-one",
            unpaired_new_mines(rows, as_of_for("build-one-close-one", as_of)) as f64,
        ),
        TargetValue::district("close-3-small-mines-2020", closed_2020 as f64),
    ];
    push_share(&mut out, "city-closure-task", city.share());
    for (town, t) in towns {
        if let Some(v) = t.share() {
            out.push(TargetValue {
                target_id: "upgrade-by-2020".to_owned(),
                value: v,
                town: Some(town),
            });
        }
    }
    push_share(&mut out, "banned-equipment-lists", banned.share());
    out.push(TargetValue::district("dry-brake-vehicles", dry as f64));
    push_share(&mut out, "sensitive-area-quarries", quarries.share());
    out.push(TargetValue::district(
        "protected-zone-mines",
        protected as f64,
    ));
    push_share(&mut out, "dual-prevention-2021", dual.share());
    for (id, t) in SYSTEMS.iter().zip(systems) {
        push_share(&mut out, id, t.share());
    }
    out
}

/// build-one-close-one (L303 「建一关一」) at `d`: new mines approved by `d` that are not
/// paired with a closure — no paired mine or closure date, or a closure dated after `d`
/// (cumulative: counted every year until paired) — or that name a closed mine an
/// earlier-approved new mine already names (compared after trimming spaces; one closure pays
/// for one new mine, so of n mines naming it n − 1 count, the first approved does not; of
/// mines approved the same day, the first in the register is taken as the earlier).
fn unpaired_new_mines<R: Fields>(rows: &[R], d: Date) -> usize {
    let mut unpaired = 0;
    // Each closure's claimants: (approval date, pairing complete at d).
    let mut claims: HashMap<&str, Vec<(Date, bool)>> = HashMap::new();
    for r in rows {
        if !is_new(r) {
            continue;
        }
        let Some(approved) = r.date("approved_date").filter(|a| *a <= d) else {
            continue;
        };
        let complete = pairing_gap(r, Some(d)).is_none();
        match r
            .text("paired_closed_mine")
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            Some(name) => claims.entry(name).or_default().push((approved, complete)),
            None => unpaired += 1,
        }
    }
    for list in claims.values_mut() {
        list.sort_by_key(|(approved, _)| *approved);
        unpaired += list
            .iter()
            .enumerate()
            .filter(|(i, (_, complete))| *i > 0 || !complete)
            .count();
    }
    unpaired
}

fn compute_tailings<R: Fields>(rows: &[R], as_of: Date) -> Vec<TargetValue> {
    let mut out = Vec::new();
    // L305: new ponds approved in D's year, from 1 January to D (a yearly count, not
    // cumulative).
    for (id, banned) in [
        (
            "no-new-overhead-tailings",
            new_overhead_pond::<R> as fn(&R) -> bool,
        ),
        ("no-new-tailings-over-200m", new_pond_over_200m::<R>),
    ] {
        let d = as_of_for(id, as_of);
        let year_start = ymd(d.year, 1, 1);
        out.push(TargetValue::district(
            id,
            count(rows, |r| {
                banned(r)
                    && r.date("approved_date")
                        .is_some_and(|a| year_start <= a && a <= d)
            }),
        ));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use anwei_plugin_sdk::Severity;
    use anwei_plugin_sdk::content::{FormsContent, PlanContent};
    use anwei_plugin_sdk::record::RecordBuilder;

    // ---- fixtures, encoded as the desk stores values: yes_no → flag, select → choices,
    // date → date, town → text, decimal → decimal.

    fn date(s: &str) -> Option<Date> {
        Date::parse(s)
    }

    /// A record from (field, value) pairs: "yes"/"no" for yes_no fields, a date for date
    /// fields, a choice name for select fields, a number for decimals; "" leaves it out.
    fn rec(id: &str, fields: &[(&str, &str)]) -> FormRecord {
        const YES_NO: &[&str] = &[
            "is_new",
            "meets_scale_requirement",
            "in_upgrade_list",
            "in_nature_reserve",
            "in_water_source_zone",
            "in_sensitive_area",
            "banned_list_done",
            "dry_brake_vehicles",
            "positioning_ok",
            "monitoring_ok",
            "communication_ok",
            "online_monitoring",
            "liability_insurance",
            "is_independent_plant",
            "is_overhead",
            "safety_agreement",
            "contract_without_management",
        ];
        let mut b = RecordBuilder::new(id);
        for (name, v) in fields {
            if v.is_empty() {
                continue;
            }
            b = if YES_NO.contains(name) {
                b.flag(name, *v == "yes")
            } else if name.ends_with("_date") || name.ends_with("_expiry") {
                b.date(name, v)
            } else if *name == "total_dam_height" {
                b.decimal(name, v.parse().unwrap())
            } else if matches!(*name, "town" | "paired_closed_mine" | "mine_name") {
                b.text(name, v)
            } else if *name == "closure_grounds" {
                b.choices(name, &v.split(' ').collect::<Vec<_>>())
            } else {
                b.choices(name, &[v])
            };
        }
        b.build()
    }

    /// Records from a table: a header of field names and rows of values.
    fn table(header: &[&str], rows: &[&[&str]]) -> Vec<FormRecord> {
        rows.iter()
            .map(|row| {
                let pairs: Vec<(&str, &str)> =
                    header.iter().copied().zip(row.iter().copied()).collect();
                rec(row[0], &pairs[1..])
            })
            .collect()
    }

    /// Every field name the records hold (the full records, as a batch).
    fn full_batch(records: &[FormRecord]) -> RecordBatch {
        let mut names: Vec<&str> = Vec::new();
        for r in records {
            for f in &r.fields {
                if !names.contains(&f.name.as_str()) {
                    names.push(&f.name);
                }
            }
        }
        RecordBatch::from_records(records, &names)
    }

    fn plan() -> PlanContent {
        PlanContent::from_json(crate::PLAN_JSON).unwrap()
    }

    fn inputs_of_form(form: &str) -> Vec<String> {
        plan().inputs_of(form)
    }

    /// compute as the desk calls it: only the inputs of the form's targets.
    fn compute_inputs(form: &str, records: &[FormRecord], as_of: &str) -> Vec<TargetValue> {
        let inputs = inputs_of_form(form);
        let names: Vec<&str> = inputs.iter().map(String::as_str).collect();
        compute(
            form,
            &RecordBatch::from_records(records, &names),
            date(as_of),
        )
    }

    fn value(values: &[TargetValue], id: &str) -> Option<f64> {
        let found: Vec<f64> = values
            .iter()
            .filter(|v| v.target_id == id && v.town.is_none())
            .map(|v| v.value)
            .collect();
        assert!(found.len() <= 1, "{id} given twice");
        found.first().copied()
    }

    fn town_values(values: &[TargetValue], id: &str) -> Vec<(String, f64)> {
        values
            .iter()
            .filter(|v| v.target_id == id)
            .filter_map(|v| v.town.clone().map(|t| (t, v.value)))
            .collect()
    }

    /// Values as comparable tuples (the value's exact bits).
    fn flat(values: &[TargetValue]) -> Vec<(String, Option<String>, u64)> {
        values
            .iter()
            .map(|v| (v.target_id.clone(), v.town.clone(), v.value.to_bits()))
            .collect()
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    const MINE_HEADER_STATUS: [&str; 5] =
        ["rec", "is_new", "approved_date", "status", "closed_date"];

    // ---- fixtures of rules.md, every value of each

    #[test]
    fn mine_count_cap_fixture() {
        let records = table(
            &MINE_HEADER_STATUS,
            &[
                &["A", "no", "", "producing", ""],
                &["B", "no", "", "closed", "2020-09-30"],
                &["C", "yes", "2021-03-01", "producing", ""],
                &["D", "no", "", "closed", "2021-06-30"],
                &["E", "no", "", "suspended", ""],
                &["F", "no", "", "closed", "2022-02-01"],
            ],
        );
        for (as_of, n) in [
            ("2020-12-31", 4.0),
            ("2021-12-31", 4.0),
            ("2022-12-31", 3.0),
        ] {
            let v = compute_inputs(MINE_FORM, &records, as_of);
            assert_eq!(value(&v, "mine-count-cap"), Some(n), "{as_of}");
        }
    }

    #[test]
    fn build_one_close_one_fixture() {
        let records = table(
            &[
                "rec",
                "is_new",
                "approved_date",
                "paired_closed_mine",
                "paired_closed_date",
            ],
            &[
                &["A", "yes", "2021-03-01", "甲石场", "2021-01-15"],
                &["B", "yes", "2021-07-01", "", ""],
                &["C", "yes", "2021-09-01", "乙矿", "2022-03-01"],
                &["D", "no", "", "", ""],
            ],
        );
        for (as_of, n) in [
            ("2020-12-31", 0.0),
            ("2021-12-31", 2.0),
            ("2022-12-31", 1.0),
        ] {
            let v = compute_inputs(MINE_FORM, &records, as_of);
            assert_eq!(value(&v, "build-one-close-one"), Some(n), "{as_of}");
        }
    }

    #[test]
    fn close_3_small_mines_fixture() {
        let records = table(
            &["rec", "closure_task", "status", "closed_date"],
            &[
                &["A", "province_2020", "closed", "2020-08-01"],
                &["B", "province_2020", "closed", "2020-11-20"],
                &["C", "province_2020", "closed", "2021-02-10"],
                &["D", "province_2020", "producing", ""],
                &["E", "city_2021_2022", "closed", "2020-10-01"],
            ],
        );
        let v = compute_inputs(MINE_FORM, &records, "2020-12-31");
        assert_eq!(value(&v, "close-3-small-mines-2020"), Some(2.0));
        // Computed later, C's 2021 closure still does not count for the 2020 task.
        let v = compute_inputs(MINE_FORM, &records, "2021-06-30");
        assert_eq!(value(&v, "close-3-small-mines-2020"), Some(2.0));
        // Before B's closure only A counts.
        let v = compute_inputs(MINE_FORM, &records, "2020-11-19");
        assert_eq!(value(&v, "close-3-small-mines-2020"), Some(1.0));
    }

    #[test]
    fn city_closure_task_fixture() {
        let records = table(
            &["rec", "closure_task", "status", "closed_date"],
            &[
                &["A", "city_2021_2022", "closed", "2021-05-01"],
                &["B", "city_2021_2022", "closed", "2022-10-10"],
                &["C", "city_2021_2022", "suspended", ""],
                &["D", "city_2021_2022", "closed", "2023-01-05"],
            ],
        );
        let v = compute_inputs(MINE_FORM, &records, "2022-12-31");
        assert!(close(value(&v, "city-closure-task"), 50.0));
        // D's closure of 2023 does not count for the 2022 checkpoint, even computed in 2023.
        let v = compute_inputs(MINE_FORM, &records, "2023-02-01");
        assert!(close(value(&v, "city-closure-task"), 50.0));
    }

    #[test]
    fn upgrade_by_2020_fixture() {
        let records = table(
            &[
                "rec",
                "town",
                "in_upgrade_list",
                "upgrade_done_date",
                "status",
                "closed_date",
            ],
            &[
                &["A", "甲镇", "yes", "2020-11-30", "producing", ""],
                &["B", "甲镇", "yes", "2021-01-05", "producing", ""],
                &["C", "甲镇", "yes", "", "closed", "2020-07-01"],
                &["D", "乙街道", "yes", "2020-12-31", "producing", ""],
                &["E", "乙街道", "no", "", "producing", ""],
            ],
        );
        let v = compute_inputs(MINE_FORM, &records, "2020-12-31");
        assert_eq!(
            town_values(&v, "upgrade-by-2020"),
            [("乙街道".to_owned(), 100.0), ("甲镇".to_owned(), 50.0)]
        );
        // No district figure: each town is checked on its own.
        assert_eq!(value(&v, "upgrade-by-2020"), None);
        // B's late upgrade never counts for the 2020 deadline.
        let later = compute_inputs(MINE_FORM, &records, "2021-03-01");
        assert_eq!(
            town_values(&later, "upgrade-by-2020"),
            town_values(&v, "upgrade-by-2020")
        );
    }

    #[test]
    fn no_new_overhead_tailings_fixture() {
        let records = table(
            &["rec", "construction_type", "is_overhead", "approved_date"],
            &[
                &["A", "new", "yes", "2021-04-01"],
                &["B", "new", "no", "2021-05-01"],
                &["C", "existing", "yes", ""],
                &["D", "expansion", "yes", "2021-06-01"],
            ],
        );
        for (as_of, n) in [
            ("2020-12-31", 0.0),
            ("2021-12-31", 1.0),
            ("2022-12-31", 0.0),
        ] {
            let v = compute_inputs(TAILINGS_FORM, &records, as_of);
            assert_eq!(value(&v, "no-new-overhead-tailings"), Some(n), "{as_of}");
        }
        // Within 2021, before A's approval: none yet.
        let v = compute_inputs(TAILINGS_FORM, &records, "2021-03-31");
        assert_eq!(value(&v, "no-new-overhead-tailings"), Some(0.0));
    }

    #[test]
    fn no_new_tailings_over_200m_fixture() {
        let records = table(
            &[
                "rec",
                "construction_type",
                "total_dam_height",
                "approved_date",
            ],
            &[
                &["A", "new", "200.0", "2022-02-01"],
                &["B", "new", "200.5", "2022-03-01"],
                &["C", "existing", "230", ""],
                &["D", "new", "150", "2022-04-01"],
            ],
        );
        let v = compute_inputs(TAILINGS_FORM, &records, "2022-12-31");
        assert_eq!(value(&v, "no-new-tailings-over-200m"), Some(1.0));
        let v = compute_inputs(TAILINGS_FORM, &records, "2021-12-31");
        assert_eq!(value(&v, "no-new-tailings-over-200m"), Some(0.0));
    }

    #[test]
    fn banned_equipment_lists_fixture() {
        let records = table(
            &["rec", "status", "closed_date", "banned_list_done"],
            &[
                &["A", "producing", "", "yes"],
                &["B", "producing", "", "no"],
                &["C", "closed", "2022-05-01", "no"],
                &["D", "construction", "", "yes"],
                &["E", "suspended", "", ""],
            ],
        );
        let v = compute_inputs(MINE_FORM, &records, "2022-12-31");
        assert!(close(value(&v, "banned-equipment-lists"), 50.0));
    }

    #[test]
    fn dry_brake_vehicles_fixture() {
        let records = table(
            &["rec", "status", "closed_date", "dry_brake_vehicles"],
            &[
                &["A", "producing", "", "yes"],
                &["B", "closed", "2022-03-01", "yes"],
                &["C", "producing", "", "no"],
            ],
        );
        let v = compute_inputs(MINE_FORM, &records, "2022-12-31");
        assert_eq!(value(&v, "dry-brake-vehicles"), Some(1.0));
        // Before B's closure it counted too.
        let v = compute_inputs(MINE_FORM, &records, "2022-02-28");
        assert_eq!(value(&v, "dry-brake-vehicles"), Some(2.0));
    }

    #[test]
    fn sensitive_area_quarries_fixture() {
        let records = table(
            &[
                "rec",
                "mine_type",
                "in_sensitive_area",
                "sensitive_cleanup_date",
                "status",
                "closed_date",
            ],
            &[
                &["A", "quarry", "yes", "2021-06-01", "producing", ""],
                &["B", "quarry", "yes", "", "closed", "2022-01-10"],
                &["C", "quarry", "yes", "", "producing", ""],
                &["D", "quarry", "no", "", "producing", ""],
                &["E", "metal", "", "", "producing", ""],
            ],
        );
        let v = compute_inputs(MINE_FORM, &records, "2022-12-31");
        assert!(close(value(&v, "sensitive-area-quarries"), 200.0 / 3.0));
    }

    #[test]
    fn protected_zone_mines_fixture() {
        let records = table(
            &[
                "rec",
                "in_nature_reserve",
                "in_water_source_zone",
                "status",
                "closed_date",
                "closure_requested_date",
            ],
            &[
                &["A", "yes", "no", "producing", "", "2022-03-01"],
                &["B", "no", "yes", "closed", "2022-06-30", ""],
                &["C", "no", "no", "producing", "", ""],
                &["D", "no", "yes", "suspended", "", ""],
            ],
        );
        let v = compute_inputs(MINE_FORM, &records, "2022-12-31");
        assert_eq!(value(&v, "protected-zone-mines"), Some(2.0));
        let v = compute_inputs(MINE_FORM, &records, "2022-06-29");
        assert_eq!(value(&v, "protected-zone-mines"), Some(3.0));
    }

    #[test]
    fn dual_prevention_fixture() {
        let records = table(
            &["rec", "status", "closed_date", "dual_prevention_date"],
            &[
                &["A", "producing", "", "2021-06-30"],
                &["B", "producing", "", "2022-01-15"],
                &["C", "construction", "", ""],
                &["D", "closed", "2021-08-01", ""],
                &["E", "producing", "", "2021-12-31"],
            ],
        );
        let v = compute_inputs(MINE_FORM, &records, "2021-12-31");
        assert!(close(value(&v, "dual-prevention-2021"), 50.0));
        // The 2021 checkpoint is computed at 2021-12-31 even later: B's 2022 mechanism is late.
        let v = compute_inputs(MINE_FORM, &records, "2022-06-30");
        assert!(close(value(&v, "dual-prevention-2021"), 50.0));
    }

    #[test]
    fn underground_systems_fixture() {
        let records = table(
            &[
                "rec",
                "mining_method",
                "status",
                "closed_date",
                "positioning_ok",
                "monitoring_ok",
                "communication_ok",
            ],
            &[
                &["A", "underground", "producing", "", "yes", "yes", "no"],
                &["B", "combined", "producing", "", "no", "yes", "yes"],
                &["C", "open_pit", "producing", "", "", "", ""],
                &[
                    "D",
                    "underground",
                    "closed",
                    "2022-04-01",
                    "yes",
                    "yes",
                    "yes",
                ],
                &["E", "underground", "construction", "", "", "yes", "yes"],
            ],
        );
        let v = compute_inputs(MINE_FORM, &records, "2022-12-31");
        assert!(close(
            value(&v, "underground-personnel-positioning"),
            100.0 / 3.0
        ));
        assert!(close(value(&v, "underground-monitoring"), 100.0));
        assert!(close(value(&v, "underground-communication"), 200.0 / 3.0));
    }

    // ---- every target of a form gets a value; inputs are complete

    /// A register exercising every mine target (non-empty populations).
    fn mixed_mines() -> Vec<FormRecord> {
        table(
            &[
                "rec",
                "town",
                "is_new",
                "approved_date",
                "status",
                "closed_date",
                "closure_task",
                "paired_closed_mine",
                "paired_closed_date",
                "in_upgrade_list",
                "upgrade_done_date",
                "banned_list_done",
                "dry_brake_vehicles",
                "mine_type",
                "in_sensitive_area",
                "sensitive_cleanup_date",
                "in_nature_reserve",
                "in_water_source_zone",
                "dual_prevention_date",
                "mining_method",
                "positioning_ok",
                "monitoring_ok",
                "communication_ok",
                "closure_grounds",
                "standardisation",
            ],
            &[
                &[
                    "m1",
                    "甲镇",
                    "no",
                    "",
                    "producing",
                    "",
                    "none",
                    "",
                    "",
                    "yes",
                    "2020-10-01",
                    "yes",
                    "no",
                    "quarry",
                    "yes",
                    "2021-05-05",
                    "no",
                    "no",
                    "2021-03-01",
                    "underground",
                    "yes",
                    "no",
                    "yes",
                    "",
                    "certified",
                ],
                &[
                    "m2",
                    "乙街道",
                    "no",
                    "",
                    "closed",
                    "2020-06-01",
                    "province_2020",
                    "",
                    "",
                    "yes",
                    "",
                    "no",
                    "yes",
                    "metal",
                    "",
                    "",
                    "yes",
                    "no",
                    "",
                    "combined",
                    "",
                    "",
                    "",
                    "below_standard",
                    "",
                ],
                &[
                    "m3",
                    "甲镇",
                    "yes",
                    "2021-02-01",
                    "construction",
                    "",
                    "none",
                    "旧矿",
                    "2021-01-20",
                    "no",
                    "",
                    "",
                    "yes",
                    "quarry",
                    "yes",
                    "",
                    "no",
                    "yes",
                    "2021-12-01",
                    "underground",
                    "no",
                    "yes",
                    "no",
                    "",
                    "unrated",
                ],
                &[
                    "m4",
                    "乙街道",
                    "no",
                    "",
                    "closed",
                    "2022-03-03",
                    "city_2021_2022",
                    "",
                    "",
                    "yes",
                    "2021-02-02",
                    "yes",
                    "",
                    "nonmetal",
                    "",
                    "",
                    "no",
                    "no",
                    "",
                    "open_pit",
                    "",
                    "",
                    "",
                    "hazard_overdue three_simultaneous",
                    "not_started",
                ],
                &[
                    "m5",
                    "丙镇",
                    "yes",
                    "2022-05-05",
                    "producing",
                    "",
                    "city_2021_2022",
                    "旧矿",
                    "2021-01-20",
                    "no",
                    "",
                    "yes",
                    "no",
                    "metal",
                    "",
                    "",
                    "yes",
                    "yes",
                    "2022-06-01",
                    "combined",
                    "yes",
                    "yes",
                    "yes",
                    "",
                    "",
                ],
                &[
                    "m6",
                    "",
                    "no",
                    "",
                    "suspended",
                    "",
                    "other",
                    "",
                    "",
                    "yes",
                    "2020-12-31",
                    "no",
                    "no",
                    "quarry",
                    "yes",
                    "2023-01-01",
                    "no",
                    "no",
                    "",
                    "underground",
                    "yes",
                    "",
                    "yes",
                    "",
                    "",
                ],
            ],
        )
    }

    fn mixed_ponds() -> Vec<FormRecord> {
        table(
            &[
                "rec",
                "construction_type",
                "is_overhead",
                "total_dam_height",
                "approved_date",
                "is_independent_plant",
            ],
            &[
                &["p1", "new", "yes", "120", "2021-04-01", "no"],
                &["p2", "new", "no", "210", "2021-05-01", "yes"],
                &["p3", "existing", "yes", "250", "", ""],
                &["p4", "new", "yes", "220", "2022-01-01", ""],
                &["p5", "expansion", "yes", "230", "2022-02-01", ""],
            ],
        )
    }

    #[test]
    fn every_form_target_gets_a_value() {
        let plan = plan();
        for (form, records) in [(MINE_FORM, mixed_mines()), (TAILINGS_FORM, mixed_ponds())] {
            for as_of in [
                "2020-06-30",
                "2020-12-31",
                "2021-12-31",
                "2022-12-31",
                "2024-01-01",
            ] {
                let values = compute_inputs(form, &records, as_of);
                for t in plan
                    .targets
                    .iter()
                    .filter(|t| t.form.as_deref() == Some(form))
                {
                    assert!(
                        values.iter().any(|v| v.target_id == t.id),
                        "{form} {as_of}: no value for {}",
                        t.id
                    );
                }
                // And nothing that is not a target of this form.
                for v in &values {
                    assert!(
                        plan.targets
                            .iter()
                            .any(|t| t.id == v.target_id && t.form.as_deref() == Some(form)),
                        "{} is not a target of {form}",
                        v.target_id
                    );
                    let per_town = plan
                        .targets
                        .iter()
                        .any(|t| t.id == v.target_id && t.scope.as_deref() == Some("per_town"));
                    assert_eq!(v.town.is_some(), per_town, "{}", v.target_id);
                }
            }
        }
        // 15 of the 16 targets have a form (the 16th, no-major-accidents, is entered by hand).
        let with_form = plan.targets.iter().filter(|t| t.form.is_some()).count();
        assert_eq!(with_form, 15);
        assert_eq!(LAST_CHECKPOINT.len(), with_form);
    }

    #[test]
    fn mixed_register_values() {
        // A check of the mixed register by hand, at 2021-12-31:
        let v = compute_inputs(MINE_FORM, &mixed_mines(), "2021-12-31");
        // open: m1, m3 (approved 2021-02-01), m4 (closed 2022), m6; m2 closed, m5 not yet.
        assert_eq!(value(&v, "mine-count-cap"), Some(4.0));
        // m3 paired with 旧矿 closed 2021-01-20; m5 not approved yet.
        assert_eq!(value(&v, "build-one-close-one"), Some(0.0));
        assert_eq!(value(&v, "dry-brake-vehicles"), Some(1.0)); // m3
        assert_eq!(value(&v, "protected-zone-mines"), Some(1.0)); // m3 (m2 closed)
        assert!(close(value(&v, "sensitive-area-quarries"), 100.0 / 3.0)); // m1 of m1, m3, m6
        assert!(close(value(&v, "dual-prevention-2021"), 50.0)); // m1, m3 of m1, m3, m4, m6
        // At 2022-12-31 m5 exists and names the same closure as m3, approved later.
        let v = compute_inputs(MINE_FORM, &mixed_mines(), "2022-12-31");
        assert_eq!(value(&v, "build-one-close-one"), Some(1.0));
        assert_eq!(value(&v, "protected-zone-mines"), Some(2.0)); // m3, m5
        assert_eq!(value(&v, "mine-count-cap"), Some(4.0)); // m1, m3, m5, m6
        assert!(close(value(&v, "city-closure-task"), 50.0)); // m4 of m4, m5
        // m6 has no town: it is left out of the per-town figures.
        assert_eq!(
            town_values(&v, "upgrade-by-2020"),
            [("乙街道".to_owned(), 0.0), ("甲镇".to_owned(), 100.0)]
        );
        // Tailings: p1 (overhead) and p2 (210 m) in 2021; p4 (both) in 2022; p5 is 改扩建.
        let p = compute_inputs(TAILINGS_FORM, &mixed_ponds(), "2021-12-31");
        assert_eq!(value(&p, "no-new-overhead-tailings"), Some(1.0));
        assert_eq!(value(&p, "no-new-tailings-over-200m"), Some(1.0));
        let p = compute_inputs(TAILINGS_FORM, &mixed_ponds(), "2022-12-31");
        assert_eq!(value(&p, "no-new-overhead-tailings"), Some(1.0));
        assert_eq!(value(&p, "no-new-tailings-over-200m"), Some(1.0));
    }

    #[test]
    fn compute_over_the_inputs_equals_compute_over_full_records() {
        let plan = plan();
        for (form, records) in [
            (MINE_FORM, mixed_mines()),
            (TAILINGS_FORM, mixed_ponds()),
            (MINE_FORM, protected_and_new()),
        ] {
            for as_of in ["2020-12-31", "2021-07-01", "2022-12-31"] {
                let full = compute(form, &full_batch(&records), date(as_of));
                // The form's inputs together, as the desk sends them.
                assert_eq!(
                    flat(&compute_inputs(form, &records, as_of)),
                    flat(&full),
                    "{form} {as_of}"
                );
                // And each target from its own inputs alone.
                for t in plan
                    .targets
                    .iter()
                    .filter(|t| t.form.as_deref() == Some(form))
                {
                    let names: Vec<&str> = t.inputs.iter().map(String::as_str).collect();
                    let own = compute(
                        form,
                        &RecordBatch::from_records(&records, &names),
                        date(as_of),
                    );
                    let pick = |vs: &[TargetValue]| {
                        let mine: Vec<TargetValue> =
                            vs.iter().filter(|v| v.target_id == t.id).cloned().collect();
                        flat(&mine)
                    };
                    assert_eq!(pick(&own), pick(&full), "{} {as_of}", t.id);
                }
            }
        }
    }

    /// New mines approved after D are not in the populations at D.
    fn protected_and_new() -> Vec<FormRecord> {
        table(
            &[
                "rec",
                "is_new",
                "approved_date",
                "status",
                "in_nature_reserve",
                "banned_list_done",
                "dry_brake_vehicles",
                "mine_type",
                "in_sensitive_area",
                "dual_prevention_date",
                "mining_method",
                "positioning_ok",
            ],
            &[
                &[
                    "n1",
                    "yes",
                    "2022-07-01",
                    "construction",
                    "yes",
                    "no",
                    "yes",
                    "quarry",
                    "yes",
                    "",
                    "underground",
                    "no",
                ],
                &[
                    "n2",
                    "no",
                    "",
                    "producing",
                    "no",
                    "yes",
                    "no",
                    "quarry",
                    "yes",
                    "2021-01-01",
                    "underground",
                    "yes",
                ],
            ],
        )
    }

    #[test]
    fn a_new_mine_counts_from_its_approval_date() {
        let records = protected_and_new();
        let before = compute_inputs(MINE_FORM, &records, "2022-06-30");
        let on = compute_inputs(MINE_FORM, &records, "2022-07-01");
        assert_eq!(value(&before, "mine-count-cap"), Some(1.0));
        assert_eq!(value(&on, "mine-count-cap"), Some(2.0));
        assert_eq!(value(&before, "protected-zone-mines"), Some(0.0));
        assert_eq!(value(&on, "protected-zone-mines"), Some(1.0));
        assert_eq!(value(&before, "dry-brake-vehicles"), Some(0.0));
        assert_eq!(value(&on, "dry-brake-vehicles"), Some(1.0));
        assert!(close(value(&before, "banned-equipment-lists"), 100.0));
        assert!(close(value(&on, "banned-equipment-lists"), 50.0));
        assert!(close(value(&before, "sensitive-area-quarries"), 0.0));
        assert!(close(
            value(&before, "underground-personnel-positioning"),
            100.0
        ));
        assert!(close(value(&on, "underground-personnel-positioning"), 50.0));
    }

    #[test]
    fn empty_populations_give_no_share() {
        // Two mines, both closed long ago, none in any list.
        let records = table(
            &[
                "rec",
                "status",
                "closed_date",
                "mining_method",
                "closure_task",
            ],
            &[
                &["x", "closed", "2019-01-01", "underground", "none"],
                &["y", "closed", "2019-02-01", "open_pit", "none"],
            ],
        );
        let v = compute_inputs(MINE_FORM, &records, "2022-12-31");
        for id in [
            "city-closure-task",
            "banned-equipment-lists",
            "sensitive-area-quarries",
            "dual-prevention-2021",
            "underground-personnel-positioning",
            "underground-monitoring",
            "underground-communication",
        ] {
            assert_eq!(value(&v, id), None, "{id}");
        }
        assert!(town_values(&v, "upgrade-by-2020").is_empty());
        // Counts are 0, not missing.
        for id in [
            "mine-count-cap",
            "build-one-close-one",
            "close-3-small-mines-2020",
            "dry-brake-vehicles",
            "protected-zone-mines",
        ] {
            assert_eq!(value(&v, id), Some(0.0), "{id}");
        }
        // No date, no values; an unknown form, none.
        assert!(compute(MINE_FORM, &full_batch(&records), None).is_empty());
        assert!(compute("x", &full_batch(&records), date("2022-12-31")).is_empty());
        assert!(compute(OUTSOURCING_FORM, &full_batch(&records), date("2022-12-31")).is_empty());
    }

    #[test]
    fn last_checkpoints_match_the_plan() {
        for t in plan().targets.iter().filter(|t| t.form.is_some()) {
            let last = t
                .checkpoints
                .iter()
                .map(|c| {
                    c.due
                        .as_deref()
                        .and_then(Date::parse)
                        .unwrap_or(ymd(c.year, 12, 31))
                })
                .max()
                .unwrap();
            let listed = LAST_CHECKPOINT.iter().find(|(id, _)| *id == t.id);
            assert_eq!(listed.map(|(_, d)| *d), Some(last), "{}", t.id);
        }
    }

    #[test]
    fn closure_ground_labels_match_the_form() {
        let forms = FormsContent::from_json(crate::FORMS_JSON).unwrap();
        let mine = forms.forms.iter().find(|f| f.id == MINE_FORM).unwrap();
        let field = mine
            .fields
            .iter()
            .find(|f| f.name == "closure_grounds")
            .unwrap();
        let choices: Vec<(String, String)> = field
            .choices
            .iter()
            .map(|c| (c[0].clone(), c[1].clone()))
            .collect();
        let ours: Vec<(String, String)> = CLOSURE_GROUNDS
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
        assert_eq!(choices, ours);
    }

    // ---- boundaries of the counted rules

    fn open_mines(n: usize) -> Vec<FormRecord> {
        (0..n)
            .map(|i| {
                rec(
                    &format!("m{i}"),
                    &[("is_new", "no"), ("status", "producing")],
                )
            })
            .collect()
    }

    #[test]
    fn cap_of_68_allows_68_and_not_69() {
        let cap = plan()
            .targets
            .into_iter()
            .find(|t| t.id == "mine-count-cap")
            .unwrap();
        assert!(cap.checkpoints.iter().all(|c| c.value == MINE_CAP as f64));
        assert_eq!(cap.comparator, "at_most");
        for (n, met) in [(68, true), (69, false)] {
            let v = compute_inputs(MINE_FORM, &open_mines(n), "2021-12-31");
            let got = value(&v, "mine-count-cap").unwrap();
            assert_eq!(got, n as f64);
            assert_eq!(got <= MINE_CAP as f64, met);
        }
    }

    #[test]
    fn a_closure_counts_from_its_own_day() {
        let records = table(
            &MINE_HEADER_STATUS,
            &[
                &["A", "no", "", "closed", "2021-06-30"],
                &["B", "no", "", "closed", ""],
            ],
        );
        // B has no closure date: never closed by the dates, so still counted.
        let v = compute_inputs(MINE_FORM, &records, "2021-06-29");
        assert_eq!(value(&v, "mine-count-cap"), Some(2.0));
        let v = compute_inputs(MINE_FORM, &records, "2021-06-30");
        assert_eq!(value(&v, "mine-count-cap"), Some(1.0));
    }

    #[test]
    fn the_last_checkpoint_caps_d() {
        // A mine closed in 2023 is still open at the last checkpoint (2022-12-31).
        let records = table(
            &MINE_HEADER_STATUS,
            &[&["A", "no", "", "closed", "2023-03-01"]],
        );
        let v = compute_inputs(MINE_FORM, &records, "2023-06-01");
        assert_eq!(value(&v, "mine-count-cap"), Some(1.0));
        assert_eq!(
            as_of_for("mine-count-cap", ymd(2021, 5, 5)),
            ymd(2021, 5, 5)
        );
        assert_eq!(
            as_of_for("dual-prevention-2021", ymd(2022, 5, 5)),
            ymd(2021, 12, 31)
        );
        assert_eq!(
            as_of_for("no-such-target", ymd(2030, 1, 1)),
            ymd(2030, 1, 1)
        );
    }

    #[test]
    fn pairing_counts_from_the_closure_day_and_once_per_closure() {
        let pair = |closed: &str| {
            vec![rec(
                "n",
                &[
                    ("is_new", "yes"),
                    ("approved_date", "2021-03-01"),
                    ("paired_closed_mine", "甲石场"),
                    ("paired_closed_date", closed),
                ],
            )]
        };
        // Closure on D itself: paired; the day after D: not yet.
        let v = compute_inputs(MINE_FORM, &pair("2021-12-31"), "2021-12-31");
        assert_eq!(value(&v, "build-one-close-one"), Some(0.0));
        let v = compute_inputs(MINE_FORM, &pair("2022-01-01"), "2021-12-31");
        assert_eq!(value(&v, "build-one-close-one"), Some(1.0));
        // The closure may come after the approval.
        let v = compute_inputs(MINE_FORM, &pair("2021-06-01"), "2021-12-31");
        assert_eq!(value(&v, "build-one-close-one"), Some(0.0));

        // Three new mines naming the same closure (spaces trimmed): two count, not the first
        // approved, whatever the register order.
        let mine = |id: &str, approved: &str, name: &str| {
            rec(
                id,
                &[
                    ("is_new", "yes"),
                    ("approved_date", approved),
                    ("paired_closed_mine", name),
                    ("paired_closed_date", "2020-12-01"),
                ],
            )
        };
        let records = vec![
            mine("late", "2021-09-01", " 甲石场"),
            mine("first", "2021-02-01", "甲石场"),
            mine("mid", "2021-05-01", "甲石场 "),
            mine("other", "2021-05-01", "乙矿"),
        ];
        let v = compute_inputs(MINE_FORM, &records, "2021-12-31");
        assert_eq!(value(&v, "build-one-close-one"), Some(2.0));
        // Before the third's approval only the second counts.
        let v = compute_inputs(MINE_FORM, &records, "2021-06-30");
        assert_eq!(value(&v, "build-one-close-one"), Some(1.0));
    }

    // ---- validate: each rule, at its boundary

    fn issues(form: &str, r: &FormRecord, today: &str) -> Vec<(String, Severity, String)> {
        validate(form, r, date(today))
            .into_iter()
            .map(|i| (i.field, i.severity, i.message))
            .collect()
    }

    fn has(list: &[(String, Severity, String)], field: &str, sev: Severity, msg: &str) -> bool {
        list.iter()
            .any(|(f, s, m)| f == field && *s == sev && m == msg)
    }

    #[test]
    fn unknown_form_is_an_error() {
        let r = rec("x", &[]);
        assert_eq!(
            issues("no-such-form", &r, "2021-01-01"),
            [(
                String::new(),
                Severity::Error,
                "未知表单“no-such-form”".to_owned()
            )]
        );
        assert!(classify("no-such-form", &r, date("2021-01-01")).is_empty());
    }

    #[test]
    fn an_unremarkable_record_has_no_issue() {
        let r = rec(
            "m",
            &[
                ("is_new", "no"),
                ("status", "producing"),
                ("mining_method", "open_pit"),
                ("mine_type", "metal"),
                ("in_upgrade_list", "no"),
                ("in_nature_reserve", "no"),
                ("in_water_source_zone", "no"),
                ("banned_list_done", "yes"),
                ("dry_brake_vehicles", "no"),
                ("safety_licence_expiry", "2023-01-01"),
            ],
        );
        assert!(issues(MINE_FORM, &r, "2022-06-01").is_empty());
        assert!(
            issues(
                TAILINGS_FORM,
                &rec("p", &[("construction_type", "existing")]),
                "2022-06-01"
            )
            .is_empty()
        );
        assert!(
            issues(
                OUTSOURCING_FORM,
                &rec("o", &[("contract_without_management", "no")]),
                "2022-06-01"
            )
            .is_empty()
        );
    }

    #[test]
    fn r2_build_one_close_one() {
        let new = |pairs: &[(&str, &str)]| {
            let mut all = vec![("is_new", "yes"), ("approved_date", "2021-03-01")];
            all.extend_from_slice(pairs);
            rec("n", &all)
        };
        let unpaired = issues(MINE_FORM, &new(&[]), "2021-06-01");
        assert!(has(
            &unpaired,
            "paired_closed_mine",
            Severity::Warning,
            PAIRING_MESSAGE
        ));
        let no_date = issues(
            MINE_FORM,
            &new(&[("paired_closed_mine", "甲石场")]),
            "2021-06-01",
        );
        assert!(has(
            &no_date,
            "paired_closed_date",
            Severity::Warning,
            PAIRING_MESSAGE
        ));
        let paired = new(&[
            ("paired_closed_mine", "甲石场"),
            ("paired_closed_date", "2021-06-01"),
        ]);
        assert!(issues(MINE_FORM, &paired, "2021-06-01").is_empty());
        assert!(has(
            &issues(MINE_FORM, &paired, "2021-05-31"),
            "paired_closed_date",
            Severity::Warning,
            PAIRING_MESSAGE
        ));
        // Not a new mine: nothing asked.
        assert!(issues(MINE_FORM, &rec("o", &[("is_new", "no")]), "2021-06-01").is_empty());
        let c = classify(MINE_FORM, &paired, date("2021-06-01"));
        assert!(
            c.iter()
                .any(|c| c.rule == "build-one-close-one" && c.value == "已落实“建一关一”")
        );
        let c = classify(MINE_FORM, &new(&[]), date("2021-06-01"));
        assert!(
            c.iter()
                .any(|c| c.rule == "build-one-close-one" && c.value == "未落实“建一关一”")
        );
    }

    #[test]
    fn r3_scale_of_new_mining_rights() {
        let mine = |is_new: &str, meets: &str| {
            rec(
                "n",
                &[
                    ("is_new", is_new),
                    ("approved_date", "2021-03-01"),
                    ("meets_scale_requirement", meets),
                    ("paired_closed_mine", "甲"),
                    ("paired_closed_date", "2021-01-01"),
                ],
            )
        };
        assert!(has(
            &issues(MINE_FORM, &mine("yes", "no"), "2021-06-01"),
            "meets_scale_requirement",
            Severity::Warning,
            SCALE_MESSAGE
        ));
        assert!(issues(MINE_FORM, &mine("yes", "yes"), "2021-06-01").is_empty());
        assert!(issues(MINE_FORM, &mine("no", "no"), "2021-06-01").is_empty());
        let c = classify(MINE_FORM, &mine("yes", "no"), date("2021-06-01"));
        assert!(
            c.iter()
                .any(|c| c.rule == "new-mine-scale" && c.value == "不得办理采矿权审批")
        );
    }

    #[test]
    fn r4_upgrade_deadline_is_2020_12_31() {
        let listed = |done: &str, status: &str, closed: &str| {
            rec(
                "u",
                &[
                    ("in_upgrade_list", "yes"),
                    ("upgrade_done_date", done),
                    ("status", status),
                    ("closed_date", closed),
                ],
            )
        };
        let overdue = |r: &FormRecord, today: &str| {
            has(
                &issues(MINE_FORM, r, today),
                "upgrade_done_date",
                Severity::Warning,
                UPGRADE_MESSAGE,
            )
        };
        // Done on the deadline: on time; the day after: overdue.
        assert!(!overdue(
            &listed("2020-12-31", "producing", ""),
            "2022-01-01"
        ));
        assert!(overdue(
            &listed("2021-01-01", "producing", ""),
            "2022-01-01"
        ));
        // Not done: overdue from 2021-01-01 on.
        assert!(!overdue(&listed("", "producing", ""), "2020-12-31"));
        assert!(overdue(&listed("", "producing", ""), "2021-01-01"));
        // Closed on the deadline: not concerned; closed the day after: overdue.
        assert!(!overdue(&listed("", "closed", "2020-12-31"), "2021-06-01"));
        assert!(overdue(&listed("", "closed", "2021-01-01"), "2021-06-01"));
        // Not on the list: nothing.
        let off = rec(
            "u",
            &[
                ("in_upgrade_list", "no"),
                ("upgrade_done_date", "2021-05-01"),
            ],
        );
        assert!(!overdue(&off, "2022-01-01"));
        assert_eq!(
            upgrade_state(&listed("", "producing", ""), date("2020-12-31")),
            Some(Upgrade::Pending)
        );
        assert_eq!(
            upgrade_state(&listed("2020-05-01", "producing", ""), date("2021-12-31")),
            Some(Upgrade::OnTime)
        );
        assert_eq!(
            upgrade_state(&listed("", "closed", "2020-03-01"), date("2021-12-31")),
            Some(Upgrade::ClosedInTime)
        );
        let c = classify(MINE_FORM, &listed("", "producing", ""), date("2021-01-01"));
        assert!(
            c.iter()
                .any(|c| c.rule == "upgrade-by-2020" && c.value == "逾期未完成转型升级")
        );
    }

    #[test]
    fn r5_key_closure_objects() {
        let r = rec(
            "k",
            &[
                ("closure_grounds", "below_standard three_simultaneous"),
                ("status", "producing"),
            ],
        );
        assert!(has(
            &issues(MINE_FORM, &r, "2021-01-01"),
            "closure_grounds",
            Severity::Warning,
            "属重点关闭对象（不符合国家或地方最小开采规模和最低服务年限标准、违反建设项目安全设施“三同时”规定且拒不执行安全监管指令逾期未完善相关手续），应依法予以关闭。"
        ));
        let closed = rec(
            "k",
            &[
                ("closure_grounds", "below_standard"),
                ("status", "closed"),
                ("closed_date", "2020-01-01"),
            ],
        );
        assert!(issues(MINE_FORM, &closed, "2021-01-01").is_empty());
    }

    #[test]
    fn r6_dry_brake_vehicles_and_banned_lists() {
        let r = rec(
            "v",
            &[
                ("status", "producing"),
                ("dry_brake_vehicles", "yes"),
                ("banned_list_done", "no"),
            ],
        );
        let list = issues(MINE_FORM, &r, "2021-01-01");
        assert!(has(
            &list,
            "dry_brake_vehicles",
            Severity::Warning,
            DRY_BRAKE_MESSAGE
        ));
        assert!(has(
            &list,
            "banned_list_done",
            Severity::Warning,
            BANNED_LISTS_MESSAGE
        ));
        // Empty is not “no”; a closed mine is not asked.
        assert!(
            issues(
                MINE_FORM,
                &rec("v", &[("status", "producing")]),
                "2021-01-01"
            )
            .is_empty()
        );
        let closed = rec(
            "v",
            &[
                ("status", "closed"),
                ("closed_date", "2020-01-01"),
                ("dry_brake_vehicles", "yes"),
                ("banned_list_done", "no"),
            ],
        );
        assert!(issues(MINE_FORM, &closed, "2021-01-01").is_empty());
    }

    #[test]
    fn r7_protected_zones() {
        let both = rec(
            "z",
            &[
                ("in_nature_reserve", "yes"),
                ("in_water_source_zone", "yes"),
                ("status", "suspended"),
            ],
        );
        assert!(has(
            &issues(MINE_FORM, &both, "2021-01-01"),
            "closure_requested_date",
            Severity::Warning,
            "位于自然保护区、水源保护区，要坚决依法提请区人民政府予以关闭。"
        ));
        let water = |requested: &str| {
            rec(
                "z",
                &[
                    ("in_nature_reserve", "no"),
                    ("in_water_source_zone", "yes"),
                    ("status", "producing"),
                    ("closure_requested_date", requested),
                ],
            )
        };
        // Proposed counts from its date on.
        assert!(has(
            &issues(MINE_FORM, &water("2021-03-01"), "2021-03-01"),
            "closure_requested_date",
            Severity::Warning,
            "已于2021-03-01提请区人民政府予以关闭，尚未关闭。"
        ));
        assert!(has(
            &issues(MINE_FORM, &water("2021-03-01"), "2021-02-28"),
            "closure_requested_date",
            Severity::Warning,
            "位于水源保护区，要坚决依法提请区人民政府予以关闭。"
        ));
        let closed = rec(
            "z",
            &[
                ("in_nature_reserve", "yes"),
                ("status", "closed"),
                ("closed_date", "2021-01-01"),
            ],
        );
        assert!(issues(MINE_FORM, &closed, "2021-06-01").is_empty());
        let c = classify(MINE_FORM, &water("2021-03-01"), date("2021-04-01"));
        assert!(
            c.iter()
                .any(|c| c.rule == "protected-zone" && c.value == "已提请关闭")
        );
    }

    #[test]
    fn r8_sensitive_quarries() {
        let q = |cleaned: &str, kind: &str| {
            rec(
                "q",
                &[
                    ("mine_type", kind),
                    ("in_sensitive_area", "yes"),
                    ("sensitive_cleanup_date", cleaned),
                    ("status", "producing"),
                ],
            )
        };
        assert!(has(
            &issues(MINE_FORM, &q("", "quarry"), "2021-01-01"),
            "sensitive_cleanup_date",
            Severity::Warning,
            QUARRY_MESSAGE
        ));
        assert!(issues(MINE_FORM, &q("2021-01-01", "quarry"), "2021-01-01").is_empty());
        assert!(!issues(MINE_FORM, &q("2021-01-02", "quarry"), "2021-01-01").is_empty());
        assert!(issues(MINE_FORM, &q("", "metal"), "2021-01-01").is_empty());
    }

    #[test]
    fn r9_banned_new_tailings_ponds() {
        let pond = |kind: &str, overhead: &str, height: &str| {
            rec(
                "p",
                &[
                    ("construction_type", kind),
                    ("is_overhead", overhead),
                    ("total_dam_height", height),
                ],
            )
        };
        assert!(issues(TAILINGS_FORM, &pond("new", "no", "200.0"), "2021-01-01").is_empty());
        assert!(has(
            &issues(TAILINGS_FORM, &pond("new", "no", "200.1"), "2021-01-01"),
            "total_dam_height",
            Severity::Warning,
            BANNED_POND_MESSAGE
        ));
        assert!(has(
            &issues(TAILINGS_FORM, &pond("new", "yes", "50"), "2021-01-01"),
            "is_overhead",
            Severity::Warning,
            BANNED_POND_MESSAGE
        ));
        // 改扩建 and existing ponds are not 新建.
        assert!(
            issues(
                TAILINGS_FORM,
                &pond("expansion", "yes", "250"),
                "2021-01-01"
            )
            .is_empty()
        );
        assert!(issues(TAILINGS_FORM, &pond("existing", "yes", "250"), "2021-01-01").is_empty());
        let plant = rec(
            "p",
            &[
                ("construction_type", "new"),
                ("is_overhead", "no"),
                ("total_dam_height", "80"),
                ("is_independent_plant", "yes"),
            ],
        );
        assert_eq!(
            issues(TAILINGS_FORM, &plant, "2021-01-01"),
            [(
                "is_independent_plant".to_owned(),
                Severity::Info,
                INDEPENDENT_PLANT_MESSAGE.to_owned()
            )]
        );
        let c = classify(TAILINGS_FORM, &plant, date("2021-01-01"));
        assert!(
            c.iter()
                .any(|c| c.rule == "banned-new-tailings" && c.value == "不属严禁新建情形")
        );
        assert!(c.iter().any(|c| c.rule == "independent-plant-tailings"));
        let c = classify(
            TAILINGS_FORM,
            &pond("new", "no", "200.1"),
            date("2021-01-01"),
        );
        assert!(
            c.iter()
                .any(|c| c.rule == "banned-new-tailings" && c.value == "严禁新建")
        );
    }

    #[test]
    fn r10_licence_expiry_day_is_still_valid() {
        let m = |status: &str| {
            rec(
                "l",
                &[("status", status), ("safety_licence_expiry", "2021-05-31")],
            )
        };
        assert!(issues(MINE_FORM, &m("producing"), "2021-05-31").is_empty());
        assert!(has(
            &issues(MINE_FORM, &m("producing"), "2021-06-01"),
            "safety_licence_expiry",
            Severity::Warning,
            LICENCE_MESSAGE
        ));
        assert!(has(
            &issues(MINE_FORM, &m("construction"), "2021-06-01"),
            "safety_licence_expiry",
            Severity::Warning,
            LICENCE_MESSAGE
        ));
        assert!(issues(MINE_FORM, &m("suspended"), "2021-06-01").is_empty());
        let c = classify(MINE_FORM, &m("producing"), date("2021-06-01"));
        assert!(
            c.iter()
                .any(|c| c.rule == "safety-licence" && c.value == "有效期满未延期")
        );
    }

    #[test]
    fn r11_standardisation_classes() {
        for (class, value, guidance) in [
            (
                "certified",
                "已取得等级证书",
                "已取得安全生产标准化等级证书：抓巩固、抓提升、抓改进。",
            ),
            (
                "unrated",
                "尚未评定等级",
                "尚未评定等级：抓规范、抓过程、抓实效，按要求进行评审定级。",
            ),
            (
                "not_started",
                "尚未开展标准化建设",
                "尚未开展标准化建设工作：抓指导、抓促进、抓达标，限期完成标准化建设工作。",
            ),
        ] {
            let r = rec("s", &[("standardisation", class)]);
            assert!(has(
                &issues(MINE_FORM, &r, "2021-01-01"),
                "standardisation",
                Severity::Info,
                guidance
            ));
            let c = classify(MINE_FORM, &r, date("2021-01-01"));
            assert!(
                c.iter()
                    .any(|c| c.rule == "standardisation" && c.value == value),
                "{class}"
            );
        }
        assert!(classify(MINE_FORM, &rec("s", &[]), date("2021-01-01")).is_empty());
    }

    #[test]
    fn r12_underground_systems_become_a_violation_in_2023() {
        let m = |method: &str| {
            rec(
                "g",
                &[
                    ("mining_method", method),
                    ("status", "producing"),
                    ("positioning_ok", "yes"),
                    ("monitoring_ok", "no"),
                ],
            )
        };
        let msg = "地下矿山须按照相关标准完善监测监控系统、通信联络系统（2022年）。";
        assert!(has(
            &issues(MINE_FORM, &m("underground"), "2022-12-31"),
            "monitoring_ok",
            Severity::Warning,
            msg
        ));
        // From 2023-01-01 it is overdue (on 2022-12-31 it is not yet).
        assert!(has(
            &issues(MINE_FORM, &m("combined"), "2023-01-01"),
            "monitoring_ok",
            Severity::Warning,
            &format!("已逾期：{msg}")
        ));
        assert!(!has(
            &issues(MINE_FORM, &m("underground"), "2022-12-31"),
            "monitoring_ok",
            Severity::Warning,
            &format!("已逾期：{msg}")
        ));
        assert!(issues(MINE_FORM, &m("open_pit"), "2023-01-01").is_empty());
        let done = rec(
            "g",
            &[
                ("mining_method", "underground"),
                ("status", "producing"),
                ("positioning_ok", "yes"),
                ("monitoring_ok", "yes"),
                ("communication_ok", "yes"),
            ],
        );
        assert!(issues(MINE_FORM, &done, "2023-01-01").is_empty());
        let c = classify(MINE_FORM, &done, date("2023-01-01"));
        assert!(
            c.iter()
                .any(|c| c.rule == "underground-systems" && c.value == "三个系统已完善")
        );
    }

    #[test]
    fn r13_contracting_without_management() {
        let r = rec("o", &[("contract_without_management", "yes")]);
        assert_eq!(
            issues(OUTSOURCING_FORM, &r, "2021-01-01"),
            [(
                "contract_without_management".to_owned(),
                Severity::Warning,
                CONTRACTING_MESSAGE.to_owned()
            )]
        );
        let c = classify(OUTSOURCING_FORM, &r, date("2021-01-01"));
        assert_eq!(c.len(), 1);
        assert_eq!(
            (c[0].rule.as_str(), c[0].value.as_str()),
            ("contract-without-management", "以包代管")
        );
        assert!(c[0].record_id.is_empty());
    }

    #[test]
    fn text_values_read_like_the_desk_values() {
        // A yes/no or a choice entered as text (an import) reads the same.
        let as_text = RecordBuilder::new("t")
            .text("is_new", "yes")
            .text("meets_scale_requirement", "否")
            .text("status", "producing")
            .build();
        assert!(has(
            &issues(MINE_FORM, &as_text, "2021-01-01"),
            "meets_scale_requirement",
            Severity::Warning,
            SCALE_MESSAGE
        ));
    }
}
