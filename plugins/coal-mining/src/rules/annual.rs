//! 煤矿年度统计台账 (`mine-annual`): one record per mine per `year` (2019–2022; 2019 is the
//! baseline year of the three 下降20% targets, L195–197). Output, accidents and deaths, mine
//! water and gangue, staff and their education, the yearly duties (应急演练, 监控抽查).
//! `content/rules.md` §2 (targets) and §3.2 (checks).
//!
//! Which year a value is for (rules.md §2.1): the *last whole year* W is the year of `as_of`
//! when `as_of` is 31 December, else the year before; the *report year* Y is the latest `year`
//! of the records with `year` ≤ W. Records of later years are ignored (a half-entered current
//! year does not read as a 20% decrease). The yearly duty `emergency-drills` needs Y = W.
//!
//! The 2019 figures the office enters as the baseline are the same sums over the 2019 records
//! (rules.md §2.2): the interface gives the plugin no way to return a baseline.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::serde::{Deserialize, Serialize};
use anwei_plugin_sdk::summary::Summary;
use anwei_plugin_sdk::{Fields, FormRecord, Issue, TargetValue};

use super::{date, past, share};

/// "2020年内完成煤矿企业安全生产应急预案修编" (L292): the date the revision is due.
pub const EMERGENCY_PLAN_BY: Date = date(2020, 12, 31);
/// "2021年取消井下劳务派遣工" (L249).
pub const NO_DISPATCH_WORKERS_FROM: i32 = 2021;
/// "到2021年，…至少配备1名大专以上计算机及相关专业人员" (L264).
pub const IT_STAFF_FROM: i32 = 2021;
/// "到2020年基本实现…学历…" (L249).
pub const EDUCATION_YEAR: i32 = 2020;

/// The last whole year on `as_of` (rules.md §2.1).
pub fn last_whole_year(as_of: Date) -> i32 {
    if as_of.month == 12 && as_of.day == 31 {
        as_of.year
    } else {
        as_of.year - 1
    }
}

/// The record's `year`, when it is a whole number.
pub fn year_of<R: Fields + ?Sized>(r: &R) -> Option<i32> {
    r.number("year")
        .filter(|y| y.fract() == 0.0 && y.abs() < 1e6)
        .map(|y| y as i32)
}

/// The gas classes whose mines the monitoring systems are sampled of in `year` (L260:
/// "2020年内对煤与瓦斯突出矿和高瓦斯矿井进行抽查检查, 2021年内对其他矿井进行抽查检查").
pub fn sampled_gas_classes(year: i32) -> &'static [&'static str] {
    match year {
        2020 => &["outburst", "high"],
        2021 => &["other"],
        _ => &[],
    }
}

/// Year-end status 已关闭.
fn is_closed<R: Fields + ?Sized>(r: &R) -> bool {
    r.choice("status") == Some("closed")
}

/// A number read as 0 when missing (a numerator's reading, rules.md §2.1).
fn number_or_zero<R: Fields + ?Sized>(r: &R, name: &str) -> f64 {
    r.number(name).unwrap_or(0.0)
}

/// `part` as a percentage of `whole`; none when the whole is 0.
fn share_of(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| part * 100.0 / whole)
}

/// The three staff groups and the education each must have (L249), with their fields.
const EDUCATION: [(&str, &str, &str); 3] = [
    ("education-general", "general_staff", "general_staff_ok"),
    ("education-special", "special_staff", "special_staff_ok"),
    ("education-managers", "managers", "managers_ok"),
];

/// The ledger's checks (rules.md §3.2).
pub fn validate(r: &FormRecord, today: Option<Date>) -> Vec<Issue> {
    let mut out = Vec::new();
    for (name, label) in [
        ("name", "煤矿名称"),
        ("town", "所在镇(街道)"),
        ("year", "统计年度"),
        ("status", "年末生产状态"),
        ("gas_class", "当年瓦斯等级"),
        ("output", "原煤产量"),
        ("accidents", "生产安全事故起数"),
        ("deaths", "事故死亡人数"),
        ("dispatch_workers", "年末井下劳务派遣工人数"),
    ] {
        if r.is_blank(name) {
            out.push(Issue::error(name, format!("请填写{label}")));
        }
    }
    // A1: a death comes from an accident.
    if r.number("deaths").is_some_and(|d| d > 0.0)
        && r.number("accidents").is_some_and(|a| a <= 0.0)
    {
        out.push(Issue::error(
            "accidents",
            "有死亡人数时生产安全事故起数至少为1",
        ));
    }
    let year = year_of(r);
    let open = !is_closed(r);
    let from = |y: i32| year.is_some_and(|year| year >= y);
    // A2, L249: 2021年取消井下劳务派遣工.
    if from(NO_DISPATCH_WORKERS_FROM) && r.number("dispatch_workers").is_some_and(|n| n > 0.0) {
        out.push(Issue::warning(
            "dispatch_workers",
            "2021年取消井下劳务派遣工",
        ));
    }
    if open {
        // A3, L264.
        if from(IT_STAFF_FROM) && !r.number("it_staff").is_some_and(|n| n >= 1.0) {
            out.push(Issue::warning(
                "it_staff",
                "到2021年，辖区内煤矿至少配备1名大专以上计算机及相关专业人员",
            ));
        }
        // A4, L266.
        if r.flag("enclosed_storage") == Some(false) {
            out.push(Issue::warning(
                "enclosed_storage",
                "所有煤矿必须建设封闭式储煤仓和运煤走廊",
            ));
        }
        // A5, L292: missing after the deadline, or dated after it.
        let late = match r.date("emergency_plan_revised") {
            None => past(today, EMERGENCY_PLAN_BY),
            Some(d) => d > EMERGENCY_PLAN_BY,
        };
        if from(2020) && late {
            out.push(Issue::warning(
                "emergency_plan_revised",
                "应于2020年底前完成煤矿企业安全生产应急预案修编",
            ));
        }
        // A6, L293: a year that is over needs its drill.
        let year_over = matches!((year, today), (Some(y), Some(t)) if y < t.year);
        if year_over && !r.number("drills").is_some_and(|n| n >= 1.0) {
            out.push(Issue::warning(
                "drills",
                "每年至少组织开展1次实战化、常态化应急演练",
            ));
        }
        // A7, L249: the education of the 2020 staff, group by group.
        if year == Some(EDUCATION_YEAR) {
            for (_, total, ok) in EDUCATION {
                if let Some(total) = r.number(total).filter(|t| *t > 0.0)
                    && number_or_zero(r, ok) < total
                {
                    out.push(Issue::warning(
                        ok,
                        "到2020年基本实现一般从业人员学历初中以上、特殊工种作业人员高中以上、安全管理人员大专以上",
                    ));
                }
            }
        }
    }
    out
}

/// The sums of one year's records (rules.md §2.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(crate = "anwei_plugin_sdk::serde")]
pub struct YearSums {
    pub year: i32,
    accidents: f64,
    deaths: f64,
    /// 万吨.
    output: f64,
    /// Over the records with a `mine_water` figure.
    mine_water: f64,
    mine_water_reused: f64,
    /// Over the records with a `gangue` figure.
    gangue: f64,
    gangue_used: f64,
    dispatch_workers: f64,
    /// Per staff group ([`EDUCATION`]), over the open records with the group's total: the
    /// total and the educated.
    education: [(f64, f64); 3],
    /// Records not closed at the end of the year: the whole of it-staff, enclosed storage and
    /// the emergency-plan revision.
    open: u64,
    it_staffed: u64,
    enclosed: u64,
    /// Revised on or before `as_of`.
    plan_revised: u64,
    /// Open records of the gas classes sampled that year ([`sampled_gas_classes`]).
    sampled: u64,
    district_checked: u64,
    city_checked: u64,
    /// The fewest drills of an open mine (missing reads as 0); none without an open mine.
    drills_min: Option<f64>,
}

impl YearSums {
    fn new(year: i32) -> YearSums {
        YearSums {
            year,
            accidents: 0.0,
            deaths: 0.0,
            output: 0.0,
            mine_water: 0.0,
            mine_water_reused: 0.0,
            gangue: 0.0,
            gangue_used: 0.0,
            dispatch_workers: 0.0,
            education: [(0.0, 0.0); 3],
            open: 0,
            it_staffed: 0,
            enclosed: 0,
            plan_revised: 0,
            sampled: 0,
            district_checked: 0,
            city_checked: 0,
            drills_min: None,
        }
    }

    fn add<R: Fields>(&mut self, r: &R, as_of: Date) {
        self.accidents += number_or_zero(r, "accidents");
        self.deaths += number_or_zero(r, "deaths");
        self.output += number_or_zero(r, "output");
        self.dispatch_workers += number_or_zero(r, "dispatch_workers");
        if let Some(w) = r.number("mine_water") {
            self.mine_water += w;
            self.mine_water_reused += number_or_zero(r, "mine_water_reused");
        }
        if let Some(g) = r.number("gangue") {
            self.gangue += g;
            self.gangue_used += number_or_zero(r, "gangue_used");
        }
        if is_closed(r) {
            return;
        }
        for (sums, (_, total, ok)) in self.education.iter_mut().zip(EDUCATION) {
            if let Some(t) = r.number(total) {
                sums.0 += t;
                sums.1 += number_or_zero(r, ok);
            }
        }
        self.open += 1;
        self.it_staffed += u64::from(r.number("it_staff").is_some_and(|n| n >= 1.0));
        self.enclosed += u64::from(r.flag("enclosed_storage") == Some(true));
        self.plan_revised +=
            u64::from(r.date("emergency_plan_revised").is_some_and(|d| d <= as_of));
        if r.choice("gas_class")
            .is_some_and(|g| sampled_gas_classes(self.year).contains(&g))
        {
            self.sampled += 1;
            self.district_checked += u64::from(r.flag("monitoring_check_district") == Some(true));
            self.city_checked += u64::from(r.flag("monitoring_check_city") == Some(true));
        }
        let drills = number_or_zero(r, "drills");
        self.drills_min = Some(self.drills_min.map_or(drills, |m| m.min(drills)));
    }

    fn merge(&mut self, o: YearSums) {
        self.accidents += o.accidents;
        self.deaths += o.deaths;
        self.output += o.output;
        self.mine_water += o.mine_water;
        self.mine_water_reused += o.mine_water_reused;
        self.gangue += o.gangue;
        self.gangue_used += o.gangue_used;
        self.dispatch_workers += o.dispatch_workers;
        for (a, b) in self.education.iter_mut().zip(o.education) {
            a.0 += b.0;
            a.1 += b.1;
        }
        self.open += o.open;
        self.it_staffed += o.it_staffed;
        self.enclosed += o.enclosed;
        self.plan_revised += o.plan_revised;
        self.sampled += o.sampled;
        self.district_checked += o.district_checked;
        self.city_checked += o.city_checked;
        self.drills_min = match (self.drills_min, o.drills_min) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}

/// The ledger's tally over some of its records: the sums of the latest year ≤ W among them.
/// Only the report year's sums give values, and the report year of the whole ledger is the
/// latest of its batches' latest years, so a batch keeps only its latest year and batches
/// merge exactly (rules.md §2.1: "Y is chosen after merging").
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(crate = "anwei_plugin_sdk::serde")]
pub struct AnnualTally {
    pub latest: Option<YearSums>,
}

impl Summary for AnnualTally {
    fn merge(&mut self, o: AnnualTally) {
        let Some(other) = o.latest else {
            return;
        };
        match &mut self.latest {
            Some(mine) if mine.year == other.year => mine.merge(other),
            Some(mine) if mine.year > other.year => {}
            _ => self.latest = Some(other),
        }
    }
}

impl AnnualTally {
    /// The tally of `records` on `as_of` (none without a date).
    pub fn of<R: Fields>(records: impl IntoIterator<Item = R>, as_of: Option<Date>) -> AnnualTally {
        let mut t = AnnualTally::default();
        let Some(as_of) = as_of else {
            return t;
        };
        let w = last_whole_year(as_of);
        for r in records {
            let Some(year) = year_of(&r).filter(|y| *y <= w) else {
                continue;
            };
            match &mut t.latest {
                Some(s) if s.year == year => s.add(&r, as_of),
                Some(s) if s.year > year => {}
                _ => {
                    let mut s = YearSums::new(year);
                    s.add(&r, as_of);
                    t.latest = Some(s);
                }
            }
        }
        t
    }

    /// The target values of the report year; none without records up to W (rules.md §2.2).
    pub fn values(&self, as_of: Option<Date>) -> Vec<TargetValue> {
        let (Some(s), Some(as_of)) = (&self.latest, as_of) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut put = |id: &str, v: Option<f64>| {
            if let Some(v) = v {
                out.push(TargetValue::district(id, v));
            }
        };
        put("accidents", Some(s.accidents));
        put("deaths", Some(s.deaths));
        // 人/百万吨: deaths per 100 万吨.
        put("death-rate", share_of(s.deaths, s.output));
        put("output", Some(s.output));
        put(
            "mine-water-reuse",
            share_of(s.mine_water_reused, s.mine_water),
        );
        put("gangue-use", share_of(s.gangue_used, s.gangue));
        put("dispatch-workers", Some(s.dispatch_workers));
        for ((id, _, _), (total, ok)) in EDUCATION.iter().zip(s.education) {
            put(id, share_of(ok, total));
        }
        put("it-staff", share(s.it_staffed, s.open));
        put("enclosed-coal-storage", share(s.enclosed, s.open));
        put("emergency-plan-revision", share(s.plan_revised, s.open));
        put("district-sampling", share(s.district_checked, s.sampled));
        put("city-sampling", share(s.city_checked, s.sampled));
        // The yearly duty: the last whole year itself, not an earlier one.
        if s.year == last_whole_year(as_of) {
            put("emergency-drills", s.drills_min);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::super::testing::{assert_values, changed, record};
    use super::super::{ANNUAL, compute};
    use super::*;

    fn d(s: &str) -> Option<Date> {
        Date::parse(s)
    }

    /// The values of `records` on `as_of`, through `compute` and through the summaries of
    /// one record each (merged in the records' order and in reverse): all three must be
    /// `expected`.
    fn check(records: &[FormRecord], as_of: &str, expected: &[(&str, Option<f64>)]) {
        let got = compute(ANNUAL, records.iter(), d(as_of));
        assert_values(ANNUAL, &got, expected, as_of);
        for order in [false, true] {
            let mut total = AnnualTally::default();
            let mut each: Vec<&FormRecord> = records.iter().collect();
            if order {
                each.reverse();
            }
            for r in each {
                total.merge(AnnualTally::of([r], d(as_of)));
            }
            assert_values(ANNUAL, &total.values(d(as_of)), expected, as_of);
        }
    }

    /// rules.md §2.3 fixture A1.
    fn fixture_a1() -> Vec<FormRecord> {
        [
            ("m1", "2019", "producing", "120", "3", "2"),
            ("m2", "2019", "producing", "80", "2", "1"),
            ("m1", "2021", "producing", "150", "1", "1"),
            ("m2", "2021", "closed", "100", "2", "0"),
            ("m1", "2022", "producing", "60", "0", "0"),
        ]
        .iter()
        .map(|(name, year, status, output, accidents, deaths)| {
            record(
                name,
                &[
                    ("name", name),
                    ("year", year),
                    ("status", status),
                    ("output", output),
                    ("accidents", accidents),
                    ("deaths", deaths),
                ],
            )
        })
        .collect()
    }

    /// Values of a fixture that has only the accident-and-output fields: the open mines have
    /// no IT staff, no enclosed storage, no revised plan (0 %), the staff groups, mine water,
    /// gangue and the sampling (no gas class) have no population.
    fn a1_values(
        flows: (f64, f64, Option<f64>, f64),
        drills: Option<f64>,
    ) -> Vec<(&'static str, Option<f64>)> {
        let (accidents, deaths, rate, output) = flows;
        vec![
            ("accidents", Some(accidents)),
            ("deaths", Some(deaths)),
            ("death-rate", rate),
            ("output", Some(output)),
            ("mine-water-reuse", None),
            ("gangue-use", None),
            ("dispatch-workers", Some(0.0)),
            ("education-general", None),
            ("education-special", None),
            ("education-managers", None),
            ("it-staff", Some(0.0)),
            ("enclosed-coal-storage", Some(0.0)),
            ("emergency-plan-revision", Some(0.0)),
            ("district-sampling", None),
            ("city-sampling", None),
            ("emergency-drills", drills),
        ]
    }

    #[test]
    fn fixture_a1_reports_the_last_whole_year() {
        let records = fixture_a1();
        // W = 2021 = Y: the half-entered 2022 is ignored; m1 is open and held no drill.
        check(
            &records,
            "2022-06-30",
            &a1_values((3.0, 1.0, Some(0.4), 250.0), Some(0.0)),
        );
        // W = 2021 on its last day.
        check(
            &records,
            "2021-12-31",
            &a1_values((3.0, 1.0, Some(0.4), 250.0), Some(0.0)),
        );
        // W = 2020 has no record: Y = 2019, and the yearly drills (Y ≠ W) have no value.
        check(
            &records,
            "2021-12-30",
            &a1_values((5.0, 3.0, Some(1.5), 200.0), None),
        );
        // The baseline year's own figures (what the office enters as the 2019 baseline).
        check(
            &records,
            "2019-12-31",
            &a1_values((5.0, 3.0, Some(1.5), 200.0), Some(0.0)),
        );
        // W = 2022 on its last day: the 2022 record counts.
        check(
            &records,
            "2022-12-31",
            &a1_values((0.0, 0.0, Some(0.0), 60.0), Some(0.0)),
        );
        let none: Vec<(&str, Option<f64>)> = a1_values((0.0, 0.0, None, 0.0), None)
            .into_iter()
            .map(|(id, _)| (id, None))
            .collect();
        check(&records, "2019-06-30", &none);
        assert!(compute(ANNUAL, records.iter(), None).is_empty());
    }

    #[test]
    fn no_output_gives_no_death_rate() {
        let r = record(
            "m",
            &[
                ("year", "2021"),
                ("deaths", "1"),
                ("accidents", "1"),
                ("output", "0"),
            ],
        );
        let got = compute(ANNUAL, [&r], d("2021-12-31"));
        assert!(got.iter().all(|v| v.target_id != "death-rate"));
        assert!(
            got.iter()
                .any(|v| v.target_id == "deaths" && v.value == 1.0)
        );
    }

    /// rules.md §2.3 fixture A2 (year 2020).
    fn fixture_a2() -> Vec<FormRecord> {
        type Row<'a> = [&'a str; 16];
        let rows: [Row; 4] = [
            [
                "a",
                "producing",
                "100",
                "85",
                "40",
                "30",
                "0",
                "200",
                "190",
                "50",
                "50",
                "10",
                "9",
                "1",
                "yes",
                "2020-11-20",
            ],
            [
                "b",
                "producing",
                "60",
                "45",
                "20",
                "16",
                "12",
                "100",
                "100",
                "20",
                "18",
                "5",
                "5",
                "0",
                "no",
                "",
            ],
            [
                "c",
                "building",
                "",
                "",
                "0",
                "0",
                "0",
                "40",
                "40",
                "",
                "",
                "2",
                "2",
                "2",
                "yes",
                "2021-01-15",
            ],
            [
                "d", "closed", "10", "0", "5", "0", "0", "30", "10", "5", "1", "1", "0", "0", "no",
                "",
            ],
        ];
        let names = [
            "name",
            "status",
            "mine_water",
            "mine_water_reused",
            "gangue",
            "gangue_used",
            "dispatch_workers",
            "general_staff",
            "general_staff_ok",
            "special_staff",
            "special_staff_ok",
            "managers",
            "managers_ok",
            "it_staff",
            "enclosed_storage",
            "emergency_plan_revised",
        ];
        rows.iter()
            .map(|row| {
                let mut fields: Vec<(&str, &str)> =
                    names.iter().copied().zip(row.iter().copied()).collect();
                fields.push(("year", "2020"));
                record(row[0], &fields)
            })
            .collect()
    }

    fn a2_values(plan_revision: f64) -> Vec<(&'static str, Option<f64>)> {
        vec![
            ("accidents", Some(0.0)),
            ("deaths", Some(0.0)),
            ("death-rate", None),
            ("output", Some(0.0)),
            ("mine-water-reuse", Some(130.0 * 100.0 / 170.0)),
            ("gangue-use", Some(46.0 * 100.0 / 65.0)),
            ("dispatch-workers", Some(12.0)),
            ("education-general", Some(330.0 * 100.0 / 340.0)),
            ("education-special", Some(68.0 * 100.0 / 70.0)),
            ("education-managers", Some(16.0 * 100.0 / 17.0)),
            ("it-staff", Some(200.0 / 3.0)),
            ("enclosed-coal-storage", Some(200.0 / 3.0)),
            ("emergency-plan-revision", Some(plan_revision)),
            // No gas class recorded: nobody in the 2020 sampling population.
            ("district-sampling", None),
            ("city-sampling", None),
            // a, b, c are open and recorded no drill.
            ("emergency-drills", Some(0.0)),
        ]
    }

    #[test]
    fn fixture_a2_environment_staff_and_the_emergency_plan() {
        let records = fixture_a2();
        check(&records, "2021-03-01", &a2_values(200.0 / 3.0));
        // c revised its plan after as_of.
        check(&records, "2020-12-31", &a2_values(100.0 / 3.0));
        // W = 2019: no record.
        let none: Vec<(&str, Option<f64>)> = a2_values(0.0)
            .into_iter()
            .map(|(id, _)| (id, None))
            .collect();
        check(&records, "2020-12-30", &none);
    }

    /// rules.md §2.3 fixture A3.
    fn fixture_a3() -> Vec<FormRecord> {
        [
            ("p", "2021", "producing", "other", "yes", "no", "2"),
            ("q", "2021", "building", "other", "yes", "yes", "1"),
            ("r", "2021", "producing", "high", "no", "no", "0"),
            ("s", "2021", "closed", "other", "no", "no", "0"),
            ("t", "2020", "producing", "high", "yes", "yes", "1"),
        ]
        .iter()
        .map(|(name, year, status, gas, district, city, drills)| {
            record(
                name,
                &[
                    ("name", name),
                    ("year", year),
                    ("status", status),
                    ("gas_class", gas),
                    ("monitoring_check_district", district),
                    ("monitoring_check_city", city),
                    ("drills", drills),
                ],
            )
        })
        .collect()
    }

    fn a3_values(
        district: f64,
        city: f64,
        drills: Option<f64>,
    ) -> Vec<(&'static str, Option<f64>)> {
        vec![
            ("accidents", Some(0.0)),
            ("deaths", Some(0.0)),
            ("death-rate", None),
            ("output", Some(0.0)),
            ("mine-water-reuse", None),
            ("gangue-use", None),
            ("dispatch-workers", Some(0.0)),
            ("education-general", None),
            ("education-special", None),
            ("education-managers", None),
            ("it-staff", Some(0.0)),
            ("enclosed-coal-storage", Some(0.0)),
            ("emergency-plan-revision", Some(0.0)),
            ("district-sampling", Some(district)),
            ("city-sampling", Some(city)),
            ("emergency-drills", drills),
        ]
    }

    #[test]
    fn fixture_a3_sampling_by_year_and_the_yearly_drill() {
        let records = fixture_a3();
        // 2021: the 其他 mines p, q; r (high) is not sampled in 2021 but held no drill.
        check(&records, "2021-12-31", &a3_values(100.0, 50.0, Some(0.0)));
        // 2020: the high-gas mine t.
        check(&records, "2021-06-30", &a3_values(100.0, 100.0, Some(1.0)));
        // 2022 has no record: the sampling of 2021 stands, the 2022 drill has no value.
        check(&records, "2022-12-31", &a3_values(100.0, 50.0, None));
        // 2019 and 2022 sample nobody.
        let late = changed(
            &[
                ("year", "2022"),
                ("status", "producing"),
                ("gas_class", "other"),
            ],
            &[("monitoring_check_district", "yes")],
        );
        let got = compute(ANNUAL, [&late], d("2022-12-31"));
        assert!(got.iter().all(|v| !v.target_id.ends_with("-sampling")));
    }

    #[test]
    fn the_year_reads_from_any_number_kind_and_must_be_whole() {
        let r = |year: &str| record("m", &[("year", year), ("output", "10")]);
        let output = |records: &[FormRecord]| {
            compute(ANNUAL, records.iter(), d("2021-12-31"))
                .into_iter()
                .find(|v| v.target_id == "output")
                .map(|v| v.value)
        };
        assert_eq!(output(&[r("2021"), r(" 2021 ")]), Some(20.0));
        assert_eq!(output(&[r("2021.5")]), None);
        assert_eq!(output(&[r("")]), None);
        assert_eq!(year_of(&r("2020")), Some(2020));
        assert_eq!(last_whole_year(date(2020, 12, 31)), 2020);
        assert_eq!(last_whole_year(date(2020, 12, 30)), 2019);
    }

    /// A valid open 2020 record with no issue on 2020-12-31.
    const YEAR: &[(&str, &str)] = &[
        ("name", "甲矿"),
        ("town", "越州镇"),
        ("year", "2020"),
        ("status", "producing"),
        ("gas_class", "other"),
        ("output", "45"),
        ("accidents", "1"),
        ("deaths", "1"),
        ("dispatch_workers", "0"),
        ("general_staff", "10"),
        ("general_staff_ok", "10"),
        ("it_staff", "1"),
        ("enclosed_storage", "yes"),
        ("emergency_plan_revised", "2020-12-31"),
        ("drills", "1"),
    ];

    fn has(r: &FormRecord, today: &str, field: &str, message: &str) -> bool {
        validate(r, d(today))
            .iter()
            .any(|i| i.field == field && i.message == message)
    }

    #[test]
    fn a_valid_year_has_no_issue_and_a_blank_one_names_the_required_fields() {
        let r = record("r", YEAR);
        assert!(
            validate(&r, d("2021-06-30")).is_empty(),
            "{:?}",
            validate(&r, d("2021-06-30"))
        );
        let blank = record("r", &[]);
        let fields: Vec<String> = validate(&blank, d("2020-06-30"))
            .into_iter()
            .filter(|i| i.message.starts_with("请填写"))
            .map(|i| i.field)
            .collect();
        assert_eq!(
            fields,
            [
                "name",
                "town",
                "year",
                "status",
                "gas_class",
                "output",
                "accidents",
                "deaths",
                "dispatch_workers"
            ]
        );
    }

    #[test]
    fn a1_deaths_need_an_accident() {
        const A1: &str = "有死亡人数时生产安全事故起数至少为1";
        assert!(has(
            &changed(YEAR, &[("accidents", "0")]),
            "2020-06-30",
            "accidents",
            A1
        ));
        assert!(!has(
            &changed(YEAR, &[("accidents", "1")]),
            "2020-06-30",
            "accidents",
            A1
        ));
        let none = changed(YEAR, &[("accidents", "0"), ("deaths", "0")]);
        assert!(!has(&none, "2020-06-30", "accidents", A1));
    }

    #[test]
    fn a2_no_dispatch_workers_from_2021() {
        const A2: &str = "2021年取消井下劳务派遣工";
        let y2020 = changed(YEAR, &[("dispatch_workers", "12")]);
        assert!(!has(&y2020, "2021-06-30", "dispatch_workers", A2));
        let y2021 = changed(YEAR, &[("year", "2021"), ("dispatch_workers", "1")]);
        assert!(has(&y2021, "2021-06-30", "dispatch_workers", A2));
        let zero = changed(YEAR, &[("year", "2021"), ("dispatch_workers", "0")]);
        assert!(!has(&zero, "2021-06-30", "dispatch_workers", A2));
    }

    #[test]
    fn a3_a4_it_staff_from_2021_and_enclosed_storage() {
        const A3: &str = "到2021年，辖区内煤矿至少配备1名大专以上计算机及相关专业人员";
        const A4: &str = "所有煤矿必须建设封闭式储煤仓和运煤走廊";
        assert!(!has(
            &changed(YEAR, &[("it_staff", "0")]),
            "2021-06-30",
            "it_staff",
            A3
        ));
        let y2021 = |it: &str, status: &str| {
            changed(
                YEAR,
                &[("year", "2021"), ("it_staff", it), ("status", status)],
            )
        };
        assert!(has(&y2021("0", "producing"), "2021-06-30", "it_staff", A3));
        assert!(has(&y2021("", "producing"), "2021-06-30", "it_staff", A3));
        assert!(!has(&y2021("1", "producing"), "2021-06-30", "it_staff", A3));
        assert!(!has(&y2021("0", "closed"), "2021-06-30", "it_staff", A3));
        assert!(has(
            &changed(YEAR, &[("enclosed_storage", "no")]),
            "2020-06-30",
            "enclosed_storage",
            A4
        ));
        let closed = changed(YEAR, &[("enclosed_storage", "no"), ("status", "closed")]);
        assert!(!has(&closed, "2020-06-30", "enclosed_storage", A4));
        let blank = changed(YEAR, &[("enclosed_storage", "")]);
        assert!(!has(&blank, "2020-06-30", "enclosed_storage", A4));
    }

    #[test]
    fn a5_the_emergency_plan_revised_in_2020() {
        const A5: &str = "应于2020年底前完成煤矿企业安全生产应急预案修编";
        let missing = changed(YEAR, &[("emergency_plan_revised", "")]);
        assert!(!has(&missing, "2020-12-31", "emergency_plan_revised", A5));
        assert!(has(&missing, "2021-01-01", "emergency_plan_revised", A5));
        let late = changed(YEAR, &[("emergency_plan_revised", "2021-01-01")]);
        assert!(has(&late, "2020-06-30", "emergency_plan_revised", A5));
        assert!(!has(
            &record("r", YEAR),
            "2022-06-30",
            "emergency_plan_revised",
            A5
        ));
        let y2019 = changed(YEAR, &[("year", "2019"), ("emergency_plan_revised", "")]);
        assert!(!has(&y2019, "2021-01-01", "emergency_plan_revised", A5));
        let closed = changed(
            YEAR,
            &[("status", "closed"), ("emergency_plan_revised", "")],
        );
        assert!(!has(&closed, "2021-01-01", "emergency_plan_revised", A5));
    }

    #[test]
    fn a6_a_year_over_needs_its_drill() {
        const A6: &str = "每年至少组织开展1次实战化、常态化应急演练";
        let none = changed(YEAR, &[("drills", "")]);
        assert!(!has(&none, "2020-12-31", "drills", A6));
        assert!(has(&none, "2021-01-01", "drills", A6));
        assert!(has(
            &changed(YEAR, &[("drills", "0")]),
            "2021-01-01",
            "drills",
            A6
        ));
        assert!(!has(&record("r", YEAR), "2021-01-01", "drills", A6));
        let closed = changed(YEAR, &[("drills", ""), ("status", "closed")]);
        assert!(!has(&closed, "2021-01-01", "drills", A6));
        assert!(validate(&none, None).iter().all(|i| i.message != A6));
    }

    #[test]
    fn a7_the_2020_education_group_by_group() {
        const A7: &str = "到2020年基本实现一般从业人员学历初中以上、特殊工种作业人员高中以上、安全管理人员大专以上";
        let short = changed(YEAR, &[("general_staff_ok", "9"), ("managers", "3")]);
        let fields: Vec<String> = validate(&short, d("2020-06-30"))
            .into_iter()
            .filter(|i| i.message == A7)
            .map(|i| i.field)
            .collect();
        assert_eq!(fields, ["general_staff_ok", "managers_ok"]);
        assert!(!has(
            &record("r", YEAR),
            "2020-06-30",
            "general_staff_ok",
            A7
        ));
        let y2021 = changed(YEAR, &[("year", "2021"), ("general_staff_ok", "9")]);
        assert!(!has(&y2021, "2021-06-30", "general_staff_ok", A7));
        let none = changed(YEAR, &[("general_staff", "0"), ("general_staff_ok", "0")]);
        assert!(!has(&none, "2020-06-30", "general_staff_ok", A7));
    }
}
