//! `key-vehicle` 重点车辆检验报废及缉查布控台账 — the main ledger: rules V1–V3 of rules.md
//! and the target `overdue-vehicles-in-bukong`, computed in one pass (and batch by batch:
//! [`Tally`]).

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::serde::{Deserialize, Serialize};
use anwei_plugin_sdk::summary::Summary;
use anwei_plugin_sdk::{Fields, Issue, RecordBatch, TargetValue};

use super::common::{Finding, by, is_any, judged_on, open_on, share, value};

pub(crate) const FORM: &str = "key-vehicle";

/// The target of the form.
pub(crate) const IN_BUKONG: &str = "overdue-vehicles-in-bukong";

/// L448 「“两客一危”车辆、校车(涉校车辆)、“营转非”客车逾期未检验的」: the vehicle types
/// whose overdue inspection puts them into 缉查布控 (two 客, one 危, school buses and
/// school-related vehicles, 营转非 coaches).
pub(crate) const INSPECTION_LISTED: [&str; 6] = [
    "coach",
    "tourist_coach",
    "hazmat",
    "school_bus",
    "school_related",
    "converted_coach",
];

const LINE_448: &str = "第448行：对逾期未报废的机动车，以及“两客一危”车辆、校车(涉校车辆)、“营转非”客车逾期未检验的，将车辆信息及时录入缉查布控系统。";

/// Not scrapped on `d`.
fn on_the_road(r: &impl Fields, d: Date) -> bool {
    open_on(r, "scrapped_on", d)
}

/// V1 — overdue for inspection on `d`: a listed type, its 检验有效期止 before `d` (the last
/// valid day itself is not overdue), not inspected for the cycle by `d`, not scrapped.
pub(crate) fn overdue_inspection(r: &impl Fields, d: Date) -> bool {
    is_any(r, "vehicle_type", &INSPECTION_LISTED)
        && r.date("inspection_due").is_some_and(|due| due < d)
        && !by(r, "inspected_on", d)
        && on_the_road(r, d)
}

/// V2 — overdue for scrapping on `d` (any motor vehicle): its 强制报废期止 before `d`, not
/// scrapped by `d`.
pub(crate) fn overdue_scrapping(r: &impl Fields, d: Date) -> bool {
    r.date("scrap_due").is_some_and(|due| due < d) && on_the_road(r, d)
}

/// V3 — in the 缉查布控 system on `d`.
pub(crate) fn in_bukong(r: &impl Fields, d: Date) -> bool {
    by(r, "bukong_on", d)
}

fn inspection_finding(r: &impl Fields, today: Date) -> Option<Finding> {
    if !is_any(r, "vehicle_type", &INSPECTION_LISTED) {
        return None;
    }
    let due = r.date("inspection_due")?;
    let reason = format!("{LINE_448}检验有效期止{due}，有效期止日当天不算逾期，次日起逾期。");
    let v = if !on_the_road(r, today) {
        "已报废"
    } else if by(r, "inspected_on", today) {
        "本周期已检验"
    } else if overdue_inspection(r, today) {
        "逾期未检验"
    } else {
        "在检验有效期内"
    };
    Some(Finding::new("overdue-inspection", v, reason))
}

fn scrapping_finding(r: &impl Fields, today: Date) -> Option<Finding> {
    let due = r.date("scrap_due")?;
    let reason = format!("{LINE_448}强制报废期止{due}，当天不算逾期，次日起逾期。");
    let v = if !on_the_road(r, today) {
        "已报废"
    } else if overdue_scrapping(r, today) {
        "逾期未报废"
    } else {
        "未到强制报废期"
    };
    Some(Finding::new("overdue-scrapping", v, reason))
}

fn bukong_finding(r: &impl Fields, today: Date) -> Option<Finding> {
    let inspection = overdue_inspection(r, today);
    let scrapping = overdue_scrapping(r, today);
    let what = match (inspection, scrapping) {
        (true, true) => "逾期未检验、逾期未报废",
        (true, false) => "逾期未检验",
        (false, true) => "逾期未报废",
        (false, false) => return None,
    };
    let reason = format!("{LINE_448}本车{what}。");
    Some(if in_bukong(r, today) {
        Finding::new("bukong", "已录入缉查布控", reason)
    } else {
        Finding::new("bukong", "应录入缉查布控", reason).with(Issue::warning(
            "bukong_on",
            format!("{what}的车辆应及时录入缉查布控系统（第448行）。"),
        ))
    })
}

/// The rules of one record on `today` (without a day, none: every rule of the form is about
/// being overdue).
pub(crate) fn findings(r: &impl Fields, today: Option<Date>) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(today) = today else {
        return out;
    };
    out.extend(inspection_finding(r, today));
    out.extend(scrapping_finding(r, today));
    out.extend(bukong_finding(r, today));
    out
}

/// The counts of `overdue-vehicles-in-bukong` over some records: they add up batch by batch.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "anwei_plugin_sdk::serde")]
pub(crate) struct Tally {
    /// Vehicles overdue (inspection or scrapping) on D.
    pub overdue: u64,
    /// Of them, in 缉查布控 by D.
    pub entered: u64,
}

impl Summary for Tally {
    fn merge(&mut self, o: Tally) {
        self.overdue += o.overdue;
        self.entered += o.entered;
    }
}

impl Tally {
    /// One pass over `rows` on `as_of`.
    pub(crate) fn of<R: Fields>(rows: impl IntoIterator<Item = R>, as_of: Date) -> Tally {
        let d = judged_on(as_of);
        let mut t = Tally::default();
        for r in rows {
            if overdue_inspection(&r, d) || overdue_scrapping(&r, d) {
                t.overdue += 1;
                t.entered += u64::from(in_bukong(&r, d));
            }
        }
        t
    }

    pub(crate) fn values(&self) -> Vec<TargetValue> {
        share(self.entered, self.overdue)
            .map(|v| value(IN_BUKONG, v))
            .into_iter()
            .collect()
    }
}

pub(crate) fn compute(records: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    Tally::of(records.rows(), as_of).values()
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::FormRecord;
    use anwei_plugin_sdk::record::RecordBuilder;

    use super::super::test_support::{class, day, desk_compute, issues, value_of};
    use super::*;

    fn vehicle(t: &str, due: &str) -> RecordBuilder {
        RecordBuilder::new("v")
            .text("plate", "云D12345")
            .text("vehicle_type", t)
            .date("inspection_due", due)
    }

    #[test]
    fn overdue_inspection_starts_the_day_after_the_last_valid_day() {
        let bus = vehicle("school_bus", "2021-03-31").build();
        assert!(!overdue_inspection(&bus, day("2021-03-31")));
        assert!(overdue_inspection(&bus, day("2021-04-01")));
        assert_eq!(
            class(FORM, &bus, "overdue-inspection", "2021-03-31").as_deref(),
            Some("在检验有效期内")
        );
        assert_eq!(
            class(FORM, &bus, "overdue-inspection", "2021-04-01").as_deref(),
            Some("逾期未检验")
        );
        // Every listed type; a heavy truck or another vehicle is not in L448's list.
        for t in INSPECTION_LISTED {
            assert!(
                overdue_inspection(&vehicle(t, "2021-03-31").build(), day("2021-04-01")),
                "{t}"
            );
        }
        for t in ["heavy_truck", "minivan", "other"] {
            let v = vehicle(t, "2021-03-31").build();
            assert!(!overdue_inspection(&v, day("2022-01-01")), "{t}");
            assert_eq!(class(FORM, &v, "overdue-inspection", "2022-01-01"), None);
            assert_eq!(class(FORM, &v, "bukong", "2022-01-01"), None);
        }
        // Inspected late: overdue until the inspection day, not from it.
        let late = vehicle("hazmat", "2021-03-31")
            .date("inspected_on", "2021-04-10")
            .build();
        assert!(overdue_inspection(&late, day("2021-04-09")));
        assert!(!overdue_inspection(&late, day("2021-04-10")));
        assert_eq!(
            class(FORM, &late, "overdue-inspection", "2021-04-10").as_deref(),
            Some("本周期已检验")
        );
    }

    #[test]
    fn overdue_scrapping_applies_to_every_motor_vehicle() {
        let car = vehicle("other", "2023-01-01")
            .date("scrap_due", "2021-06-30")
            .build();
        assert!(!overdue_scrapping(&car, day("2021-06-30")));
        assert!(overdue_scrapping(&car, day("2021-07-01")));
        assert_eq!(
            class(FORM, &car, "overdue-scrapping", "2021-06-30").as_deref(),
            Some("未到强制报废期")
        );
        assert_eq!(
            class(FORM, &car, "overdue-scrapping", "2021-07-01").as_deref(),
            Some("逾期未报废")
        );
        let scrapped = vehicle("other", "2023-01-01")
            .date("scrap_due", "2021-06-30")
            .date("scrapped_on", "2021-07-05")
            .build();
        assert!(overdue_scrapping(&scrapped, day("2021-07-04")));
        assert!(!overdue_scrapping(&scrapped, day("2021-07-05")));
        assert_eq!(
            class(FORM, &scrapped, "overdue-scrapping", "2021-07-05").as_deref(),
            Some("已报废")
        );
        // A scrapped coach is no longer overdue for inspection either.
        let gone = vehicle("coach", "2021-03-31")
            .date("scrapped_on", "2021-03-15")
            .build();
        assert!(!overdue_inspection(&gone, day("2021-06-01")));
    }

    #[test]
    fn an_overdue_vehicle_is_to_be_entered_into_bukong() {
        let coach = vehicle("converted_coach", "2021-03-31").build();
        // On the last valid day nothing is asked.
        assert!(issues(FORM, &coach, "2021-03-31").is_empty());
        let i = issues(FORM, &coach, "2021-04-01");
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "bukong_on");
        assert_eq!(i[0].severity, anwei_plugin_sdk::Severity::Warning);
        assert_eq!(
            i[0].message,
            "逾期未检验的车辆应及时录入缉查布控系统（第448行）。"
        );
        assert_eq!(
            class(FORM, &coach, "bukong", "2021-04-01").as_deref(),
            Some("应录入缉查布控")
        );
        let both = vehicle("tourist_coach", "2021-03-31")
            .date("scrap_due", "2021-02-28")
            .build();
        let i = issues(FORM, &both, "2021-04-01");
        assert_eq!(
            i[0].message,
            "逾期未检验、逾期未报废的车辆应及时录入缉查布控系统（第448行）。"
        );
        let entered = vehicle("converted_coach", "2021-03-31")
            .date("bukong_on", "2021-04-02")
            .build();
        assert_eq!(issues(FORM, &entered, "2021-04-01").len(), 1);
        assert!(issues(FORM, &entered, "2021-04-02").is_empty());
        assert_eq!(
            class(FORM, &entered, "bukong", "2021-04-02").as_deref(),
            Some("已录入缉查布控")
        );
        // Without a day, no rule about being overdue.
        assert!(super::super::validate(FORM, &coach, None).is_empty());
    }

    /// The fixture of rules.md (target `overdue-vehicles-in-bukong`).
    pub(crate) fn fixture() -> Vec<FormRecord> {
        vec![
            // A: coach overdue from 2021-04-01, entered 2021-04-05.
            vehicle("coach", "2021-03-31")
                .date("bukong_on", "2021-04-05")
                .build(),
            // B: school bus overdue from 2021-07-01, never entered.
            vehicle("school_bus", "2021-06-30").build(),
            // C: heavy truck overdue for inspection: not listed.
            vehicle("heavy_truck", "2021-01-31").build(),
            // D: minivan overdue for scrapping from 2021-09-01, entered the same day.
            vehicle("minivan", "2023-06-30")
                .date("scrap_due", "2021-08-31")
                .date("bukong_on", "2021-09-01")
                .build(),
            // E: hazmat inspected late (2021-05-20), entered before.
            vehicle("hazmat", "2021-05-01")
                .date("inspected_on", "2021-05-20")
                .date("bukong_on", "2021-05-10")
                .build(),
            // F: converted coach in time.
            vehicle("converted_coach", "2022-12-31").build(),
        ]
    }

    #[test]
    fn fixture_overdue_vehicles_in_bukong() {
        let records = fixture();
        let v = |as_of: &str| value_of(&desk_compute(FORM, &records, as_of), IN_BUKONG);
        // 2021-12-31: A (entered), B (not), D (entered) → 2/3.
        assert_eq!(v("2021-12-31"), Some(200.0 / 3.0));
        // 2021-05-15: A entered, E overdue and entered → 2/2.
        assert_eq!(v("2021-05-15"), Some(100.0));
        // 2021-04-03: A overdue, not yet entered → 0/1.
        assert_eq!(v("2021-04-03"), Some(0.0));
        // 2021-03-31: nobody overdue → no value.
        assert_eq!(v("2021-03-31"), None);
        // 2023-01-01: judged on 2022-12-31 (F's last valid day): A, B, D → 2/3.
        assert_eq!(v("2023-01-01"), Some(200.0 / 3.0));
    }
}
