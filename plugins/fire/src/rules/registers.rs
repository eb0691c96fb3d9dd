//! 乡镇政府专职消防队台账 (`town-brigade`, L362–364), 消防安全重点单位台账 (`key-unit`, L382–384,
//! L410), “智慧消防”联网单位场所台账 (`network-site`, L392–395) and 消防安全专项整治工作记录
//! (`work-record`: the district's dated documents and yearly duties) (rules.md §4).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{FormRecord, Issue, RecordBatch, TargetValue};

use super::{
    CAMPAIGN_START, END_2020, END_2022, Finding, Period, Ratio, TargetDay, Window, by, finding,
    open_at, push,
};

const fn td(id: &'static str, last_due: Date) -> TargetDay {
    TargetDay { id, last_due }
}

// ------------------------------------------------------------------ town-brigade

pub const BRIGADE_STANDARD: TargetDay = td("town-brigade-standard", END_2022);
pub const TOWN_BRIGADE_TARGETS: &[TargetDay] = &[BRIGADE_STANDARD];

pub fn town_brigade(records: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let d = BRIGADE_STANDARD.day(as_of);
    let mut standard = Ratio::default();
    for r in records.rows() {
        standard.add(by(&r, "standard_date", d));
    }
    let mut out = Vec::new();
    push(&mut out, BRIGADE_STANDARD.id, standard.value());
    out
}

// ------------------------------------------------------------------ key-unit

pub const KEY_STANDARDISED: TargetDay = td("key-unit-standardised", END_2022);
pub const KEY_MODELS: TargetDay = td("key-unit-models", END_2020);
pub const MANAGER_TRAINED: TargetDay = td("key-unit-manager-trained", END_2020);
pub const KEY_UNIT_TARGETS: &[TargetDay] = &[KEY_STANDARDISED, KEY_MODELS, MANAGER_TRAINED];

pub fn key_unit(records: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let d_end = KEY_STANDARDISED.day(as_of);
    let d_2020 = KEY_MODELS.day(as_of);
    let (mut standardised, mut trained) = (Ratio::default(), Ratio::default());
    let mut models = 0u64;
    for r in records.rows() {
        models += u64::from(by(&r, "model_date", d_2020));
        if open_at(&r, "closed_date", d_end) {
            standardised.add(by(&r, "standardised_date", d_end));
        }
        if open_at(&r, "closed_date", d_2020) {
            trained.add(by(&r, "manager_trained_date", d_2020));
        }
    }
    let mut out = Vec::new();
    push(&mut out, KEY_STANDARDISED.id, standardised.value());
    push(&mut out, KEY_MODELS.id, Some(models as f64));
    push(&mut out, MANAGER_TRAINED.id, trained.value());
    out
}

/// R11 — 「2020年,…其中重点单位消防安全管理人100%完成培训」 (L410).
pub fn key_unit_findings(r: &FormRecord, today: Option<Date>) -> Vec<Finding> {
    if r.is_blank("name") {
        return Vec::new();
    }
    let rule = "manager-training-due";
    let reason = "第410行：2020年，重点单位消防安全管理人100%完成培训。";
    vec![match r.date("manager_trained_date") {
        Some(d) if d <= END_2020 => finding(rule, "管理人按期完成培训", reason, Vec::new()),
        Some(d) => finding(
            rule,
            "管理人逾期完成培训",
            format!("{reason}于{d}完成。"),
            Vec::new(),
        ),
        None if today.is_some_and(|t| t > END_2020) => finding(
            rule,
            "管理人逾期未培训",
            reason,
            vec![Issue::warning(
                "manager_trained_date",
                "重点单位消防安全管理人应于2020年完成培训，尚未填写完成日期。",
            )],
        ),
        None => finding(rule, "管理人待培训（2020年内）", reason, Vec::new()),
    }]
}

// ------------------------------------------------------------------ network-site

pub const NETWORKING: TargetDay = td("smart-networking", END_2022);
pub const NETWORK_SITE_TARGETS: &[TargetDay] = &[NETWORKING];

/// A site in use on `d`: opened on or before it (or no date), not closed by it.
fn in_use<R: anwei_plugin_sdk::Fields + ?Sized>(r: &R, d: Date) -> bool {
    r.date("opened_date").is_none_or(|o| o <= d) && open_at(r, "closed_date", d)
}

pub fn network_site(records: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let d = NETWORKING.day(as_of);
    let mut networked = Ratio::default();
    for r in records.rows() {
        if in_use(&r, d) {
            networked.add(by(&r, "networked_date", d));
        }
    }
    let mut out = Vec::new();
    push(&mut out, NETWORKING.id, networked.value());
    out
}

/// R12 — 「新建成的上述场所按照及使用及联网的方式进行联网」 (L395, read as 即使用即联网): a site
/// opened from the campaign's start is networked by the day it is put to use.
pub fn network_site_findings(r: &FormRecord, today: Option<Date>) -> Vec<Finding> {
    let Some(opened) = r.date("opened_date").filter(|o| *o >= CAMPAIGN_START) else {
        return Vec::new();
    };
    let rule = "network-on-opening";
    let reason = format!(
        "第395行：新建成的上述场所按照即使用即联网的方式进行联网（原文作“按照及使用及联网”）；{opened}建成使用。"
    );
    vec![match r.date("networked_date") {
        Some(d) if d <= opened => finding(rule, "即使用即联网", reason, Vec::new()),
        Some(d) => finding(
            rule,
            "使用后联网",
            format!("{reason}{d}联网。"),
            vec![Issue::info(
                "networked_date",
                format!("新建成的单位场所应即使用即联网：{opened}建成使用，{d}才联网。"),
            )],
        ),
        None if today.is_some_and(|t| t >= opened) => finding(
            rule,
            "已使用未联网",
            reason,
            vec![Issue::warning(
                "networked_date",
                "新建成的单位场所应即使用即联网，尚未联网。",
            )],
        ),
        None => finding(rule, "待建成使用时联网", reason, Vec::new()),
    }]
}

// ------------------------------------------------------------------ work-record

pub const HIGHRISE_LISTS: TargetDay = td("highrise-lists", END_2020);
pub const HIGHRISE_PLAN: TargetDay = td("highrise-plan", END_2020);
pub const SYSTEM_DOCKING: TargetDay = td("system-docking", END_2020);
pub const NEW_BUSINESS: TargetDay = td("new-business-assessment", END_2022);
pub const PUBLICITY: TargetDay = td("publicity", END_2022);
pub const LEGAL_GUIDANCE: TargetDay = td("legal-guidance", END_2022);
pub const WORK_RECORD_TARGETS: &[TargetDay] = &[
    HIGHRISE_LISTS,
    HIGHRISE_PLAN,
    SYSTEM_DOCKING,
    NEW_BUSINESS,
    PUBLICITY,
    LEGAL_GUIDANCE,
];

/// Dated documents: the records of a kind dated on or before the evaluation day.
const MILESTONES: [(TargetDay, &str); 3] = [
    (HIGHRISE_LISTS, "highrise_lists"),
    (HIGHRISE_PLAN, "highrise_plan"),
    (SYSTEM_DOCKING, "system_docking"),
];

/// Yearly duties: the records of a kind in the last whole year.
const YEARLY: [(TargetDay, &str); 3] = [
    (NEW_BUSINESS, "new_business"),
    (PUBLICITY, "publicity"),
    (LEGAL_GUIDANCE, "legal_guidance"),
];

pub fn work_record(records: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    let year = Window::of(Period::Year, as_of);
    let mut milestones = [0u64; 3];
    let mut yearly = [0u64; 3];
    for r in records.rows() {
        let (Some(kind), Some(date)) = (r.choice("kind"), r.date("date")) else {
            continue;
        };
        for (k, (t, code)) in MILESTONES.iter().enumerate() {
            milestones[k] += u64::from(kind == *code && date <= t.day(as_of));
        }
        for (k, (_, code)) in YEARLY.iter().enumerate() {
            yearly[k] += u64::from(kind == *code && year.contains(date));
        }
    }
    let mut out = Vec::new();
    for (k, (t, _)) in MILESTONES.iter().enumerate() {
        push(&mut out, t.id, Some(milestones[k] as f64));
    }
    for (k, (t, _)) in YEARLY.iter().enumerate() {
        push(&mut out, t.id, Some(yearly[k] as f64));
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::test_support::*;
    use super::super::{KEY_UNIT, NETWORK_SITE, TOWN_BRIGADE, WORK_RECORD};
    use super::*;

    pub fn brigade_fixture() -> Vec<FormRecord> {
        let b = |name: &str, done: Option<&str>| {
            let mut f = vec![("name", name), ("town", "越州镇"), ("staff", "12")];
            if let Some(d) = done {
                f.push(("standard_date", d));
            }
            record(&f)
        };
        vec![
            b("越州镇专职消防队", Some("2020-11-01")),
            b("东山镇专职消防队", Some("2021-12-31")),
            b("茨营镇专职消防队", Some("2022-01-01")),
            b("珠街专职消防队", None),
            b("潇湘专职消防队", Some("2022-12-31")),
        ]
    }

    #[test]
    fn fixture_town_brigade() {
        let f = brigade_fixture();
        let v = |as_of| desk(TOWN_BRIGADE, &f, as_of)["town-brigade-standard"];
        assert_eq!(v("2020-12-31"), 20.0); // below 30
        assert_eq!(v("2021-12-31"), 40.0); // below 60
        assert_eq!(v("2022-12-31"), 80.0);
        assert_eq!(v("2023-06-01"), 80.0);
        assert_values(&desk(TOWN_BRIGADE, &[], "2022-12-31"), &[], "empty");
    }

    pub fn key_unit_fixture() -> Vec<FormRecord> {
        vec![
            record(&[
                ("name", "某商场"),
                ("industry", "commerce"),
                ("standardised_date", "2020-09-01"),
                ("model_date", "2020-10-01"),
                ("manager_trained_date", "2020-06-01"),
            ]),
            record(&[
                ("name", "某医院"),
                ("industry", "health"),
                ("standardised_date", "2021-05-01"),
                ("model_date", "2021-01-01"),
                ("manager_trained_date", "2021-01-01"),
            ]),
            record(&[
                ("name", "某宾馆"),
                ("industry", "culture_tourism"),
                ("closed_date", "2021-06-30"),
            ]),
        ]
    }

    #[test]
    fn fixture_key_unit() {
        let f = key_unit_fixture();
        assert_values(
            &desk(KEY_UNIT, &f, "2020-12-31"),
            &[
                ("key-unit-standardised", 100.0 / 3.0),
                ("key-unit-models", 1.0),
                ("key-unit-manager-trained", 100.0 / 3.0),
            ],
            "2020",
        );
        // The 宾馆 is no longer a key unit from 2021-06-30.
        assert_values(
            &desk(KEY_UNIT, &f, "2021-12-31"),
            &[
                ("key-unit-standardised", 100.0),
                ("key-unit-models", 1.0),
                ("key-unit-manager-trained", 100.0 / 3.0),
            ],
            "2021",
        );
    }

    #[test]
    fn key_unit_managers_are_trained_in_2020() {
        let none = record(&[("name", "某学校"), ("industry", "education")]);
        assert_eq!(
            class(KEY_UNIT, &none, "2020-12-31", "manager-training-due").as_deref(),
            Some("管理人待培训（2020年内）")
        );
        assert!(issues(KEY_UNIT, &none, "2020-12-31").is_empty());
        assert_eq!(
            class(KEY_UNIT, &none, "2021-01-01", "manager-training-due").as_deref(),
            Some("管理人逾期未培训")
        );
        let w = warnings(KEY_UNIT, &none, "2021-01-01");
        assert_eq!(w[0].field, "manager_trained_date");
        let f = key_unit_fixture();
        assert_eq!(
            class(KEY_UNIT, &f[0], "2021-01-01", "manager-training-due").as_deref(),
            Some("管理人按期完成培训")
        );
        assert_eq!(
            class(KEY_UNIT, &f[1], "2021-01-01", "manager-training-due").as_deref(),
            Some("管理人逾期完成培训")
        );
    }

    pub fn network_fixture() -> Vec<FormRecord> {
        vec![
            record(&[
                ("name", "某加油站"),
                ("category", "[flammable]"),
                ("networked_date", "2020-12-31"),
            ]),
            record(&[
                ("name", "某车站"),
                ("category", "[transport_hub crowded]"),
                ("networked_date", "2021-12-31"),
            ]),
            record(&[
                ("name", "某地下商场"),
                ("category", "[underground crowded]"),
                ("key_unit", "yes"),
            ]),
            record(&[
                ("name", "某新建综合楼"),
                ("category", "[high_rise]"),
                ("opened_date", "2022-03-01"),
                ("networked_date", "2022-03-01"),
            ]),
            record(&[
                ("name", "某旧厂房"),
                ("category", "[flammable]"),
                ("closed_date", "2021-01-01"),
            ]),
        ]
    }

    #[test]
    fn fixture_network_site() {
        let f = network_fixture();
        let v = |as_of| desk(NETWORK_SITE, &f, as_of)["smart-networking"];
        assert_eq!(v("2020-12-31"), 25.0); // 1 of 4 (the new building not yet in use)
        assert_eq!(v("2021-12-31"), 200.0 / 3.0); // the old factory closed on 2021-01-01
        assert_eq!(v("2022-12-31"), 75.0);
        assert_eq!(v("2024-01-01"), 75.0);
    }

    #[test]
    fn a_new_site_is_networked_when_it_is_put_to_use() {
        let site = |networked: Option<&str>| {
            let mut f = vec![
                ("name", "某新建商场"),
                ("category", "[crowded]"),
                ("opened_date", "2021-05-01"),
            ];
            if let Some(d) = networked {
                f.push(("networked_date", d));
            }
            record(&f)
        };
        assert_eq!(
            class(
                NETWORK_SITE,
                &site(Some("2021-05-01")),
                "2021-06-01",
                "network-on-opening"
            )
            .as_deref(),
            Some("即使用即联网")
        );
        assert!(issues(NETWORK_SITE, &site(Some("2021-05-01")), "2021-06-01").is_empty());
        assert_eq!(
            class(
                NETWORK_SITE,
                &site(Some("2021-05-02")),
                "2021-06-01",
                "network-on-opening"
            )
            .as_deref(),
            Some("使用后联网")
        );
        assert_eq!(
            class(
                NETWORK_SITE,
                &site(None),
                "2021-04-30",
                "network-on-opening"
            )
            .as_deref(),
            Some("待建成使用时联网")
        );
        assert!(issues(NETWORK_SITE, &site(None), "2021-04-30").is_empty());
        assert_eq!(
            class(
                NETWORK_SITE,
                &site(None),
                "2021-05-01",
                "network-on-opening"
            )
            .as_deref(),
            Some("已使用未联网")
        );
        let w = warnings(NETWORK_SITE, &site(None), "2021-05-01");
        assert_eq!(w[0].field, "networked_date");
        assert_eq!(w[0].message, "新建成的单位场所应即使用即联网，尚未联网。");
        // A site in use before the campaign: the stepped target, not this rule.
        let old = record(&[("name", "某车站"), ("opened_date", "2019-12-31")]);
        assert_eq!(
            class(NETWORK_SITE, &old, "2021-06-01", "network-on-opening"),
            None
        );
    }

    pub fn work_fixture() -> Vec<FormRecord> {
        let w = |kind: &str, date: &str| {
            record(&[
                ("kind", kind),
                ("unit", "区消防救援大队"),
                ("date", date),
                ("title", "某文件"),
            ])
        };
        vec![
            w("highrise_lists", "2020-11-01"),
            w("highrise_plan", "2021-01-05"),
            w("system_docking", "2020-12-31"),
            w("publicity", "2020-11-09"),
            w("publicity", "2021-01-10"),
            w("publicity", "2021-11-09"),
            w("legal_guidance", "2021-12-31"),
            w("new_business", "2022-06-01"),
            w("joint_enforcement", "2020-05-01"),
        ]
    }

    #[test]
    fn fixture_work_record() {
        let f = work_fixture();
        assert_values(
            &desk(WORK_RECORD, &f, "2020-12-31"),
            &[
                ("highrise-lists", 1.0),
                ("highrise-plan", 0.0),
                ("system-docking", 1.0),
                ("publicity", 1.0),
                ("legal-guidance", 0.0),
                ("new-business-assessment", 0.0),
            ],
            "2020",
        );
        // The plan came in 2021: late, it does not count for the 2020 checkpoint.
        assert_values(
            &desk(WORK_RECORD, &f, "2021-12-31"),
            &[
                ("highrise-lists", 1.0),
                ("highrise-plan", 0.0),
                ("system-docking", 1.0),
                ("publicity", 2.0),
                ("legal-guidance", 1.0),
                ("new-business-assessment", 0.0),
            ],
            "2021",
        );
        let got = desk(WORK_RECORD, &f, "2023-01-01");
        assert_eq!(got["new-business-assessment"], 1.0);
        assert_eq!(got["publicity"], 0.0);
        // Before 2020 is whole: 2020 so far.
        let got = desk(WORK_RECORD, &f, "2020-11-08");
        assert_eq!(got["publicity"], 0.0);
        assert_eq!(desk(WORK_RECORD, &f, "2020-11-09")["publicity"], 1.0);
        assert_eq!(desk(WORK_RECORD, &f, "2020-10-31")["highrise-lists"], 0.0);
    }
}
