//! The rules of 附件8 as the seed states them (`content/rules.md`; seed 001, lines 473–541).
//!
//! Each rule (R1–R37 of rules.md) is one function reading a record through [`Fields`] and
//! returning a [`Finding`]: its classification and the issues it raises. `validate` keeps the
//! issues, `classify` the classifications, so both say the same thing. The targets are
//! computed form by form in ONE pass over the rows the desk sends (only the targets'
//! `inputs`), with the same reads as the rules.
//!
//! - [`risk`]: `major-risk`, `major-hazard`, `accident` ((二));
//! - [`rail`]: `rail-line`, `rail-hazard` ((三)1–2);
//! - [`postal`]: `delivery-enterprise`, `delivery-inspection` ((三)3, (四)2);
//! - [`water`]: `vessel`, `port-ferry` ((三)4–5, (四)8–10, (五)1, (六)4);
//! - [`fishing`]: `fishing-vessel` (the main ledger), `fishing-departure` ((三)6, (四)4–7,
//!   (六)7).

mod common;
pub mod fishing;
pub mod postal;
pub mod rail;
pub mod risk;
pub mod water;

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Classification, Fields, FormRecord, Issue, RecordBatch, TargetValue};

pub use common::Finding;

/// 重大风险清单.
pub const MAJOR_RISK: &str = "major-risk";
/// 重大事故隐患台账.
pub const MAJOR_HAZARD: &str = "major-hazard";
/// 典型生产安全事故台账.
pub const ACCIDENT: &str = "accident";
/// 铁路线路安全保护区台账.
pub const RAIL_LINE: &str = "rail-line";
/// 铁路沿线环境安全隐患台账.
pub const RAIL_HAZARD: &str = "rail-hazard";
/// 寄递企业台账.
pub const DELIVERY_ENTERPRISE: &str = "delivery-enterprise";
/// 寄递安全检查记录.
pub const DELIVERY_INSPECTION: &str = "delivery-inspection";
/// 船舶台账（客运船舶、乡镇自用船舶等）.
pub const VESSEL: &str = "vessel";
/// 码头、渡口台账.
pub const PORT_FERRY: &str = "port-ferry";
/// 渔业船舶台账 (the main ledger).
pub const FISHING_VESSEL: &str = "fishing-vessel";
/// 渔船出港报告登记.
pub const FISHING_DEPARTURE: &str = "fishing-departure";

/// The forms of the plugin, in the order of `content/forms.json`.
pub const FORMS: [&str; 11] = [
    MAJOR_RISK,
    MAJOR_HAZARD,
    ACCIDENT,
    RAIL_LINE,
    RAIL_HAZARD,
    DELIVERY_ENTERPRISE,
    DELIVERY_INSPECTION,
    VESSEL,
    PORT_FERRY,
    FISHING_VESSEL,
    FISHING_DEPARTURE,
];

/// Every rule's finding for one record of `form` on `today` (`None`: not a form of this
/// plugin). Rules that depend on the day say nothing without one.
pub fn findings<R: Fields + ?Sized>(
    form: &str,
    r: &R,
    today: Option<Date>,
) -> Option<Vec<Finding>> {
    let all = match form {
        MAJOR_RISK => vec![risk::five_lists(r), risk::government_list(r)],
        MAJOR_HAZARD => vec![
            risk::five_in_place(r),
            risk::supervised_listing(r),
            risk::rectification(r, today),
        ],
        ACCIDENT => vec![
            risk::typical_analysis(r, today),
            risk::fishing_four_types(r),
        ],
        RAIL_LINE => vec![
            rail::new_line_zone(r, today),
            rail::existing_line_zone(r),
            rail::zone_markers(r),
        ],
        RAIL_HAZARD => vec![rail::floating_range(r), rail::hazard_rectification(r)],
        DELIVERY_ENTERPRISE => vec![
            postal::three_in_one(r, today),
            postal::international_screening(r, today),
            postal::safety_management(r),
        ],
        DELIVERY_INSPECTION => vec![
            postal::hazchem_zero_tolerance(r),
            postal::inspection_three_in_one(r),
        ],
        VESSEL => vec![
            water::minimum_manning(r),
            water::crew_certificates(r),
            water::lifesaving(r),
            water::vessel_survey(r, today),
            water::transport_licence(r),
            water::township_vessel_use(r),
            water::annual_check(r, today),
        ],
        PORT_FERRY => vec![
            water::port_equipment(r, today),
            water::port_insurance(r, today),
            water::real_name_ticketing(r),
        ],
        FISHING_VESSEL => vec![
            fishing::fishing_survey(r, today),
            fishing::officer_manning(r),
            fishing::ordinary_crew(r),
            fishing::fishing_radio(r),
            fishing::out_of_control(r),
            fishing::safety_points(r),
        ],
        FISHING_DEPARTURE => vec![
            fishing::departure_report(r),
            fishing::must_check(r),
            fishing::points_or_suspension(r),
            fishing::overload(r),
        ],
        _ => return None,
    };
    Some(all.into_iter().flatten().collect())
}

/// Field-level issues of one record of `form`.
pub fn validate(form: &str, record: &FormRecord, today: Option<Date>) -> Vec<Issue> {
    let Some(found) = findings(form, record, today) else {
        return vec![Issue::error("", format!("未知表单“{form}”"))];
    };
    let mut out = if form == FISHING_DEPARTURE {
        fishing::time_errors(record)
    } else {
        Vec::new()
    };
    out.extend(found.into_iter().flat_map(|f| f.issues));
    out
}

/// The rules' results for one record of `form`.
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

/// Target values of `form` from its records on `as_of` (the batch the desk sends).
pub fn compute(form: &str, records: &RecordBatch, as_of: Option<Date>) -> Vec<TargetValue> {
    match as_of {
        Some(d) => compute_rows(form, records.rows(), d),
        None => Vec::new(),
    }
}

/// Target values of `form` from `rows` on D = `as_of` (rules.md "Target computations"): one
/// pass over the rows, every target of the form at once.
pub fn compute_rows<R: Fields>(
    form: &str,
    rows: impl IntoIterator<Item = R>,
    d: Date,
) -> Vec<TargetValue> {
    match form {
        MAJOR_RISK => risk::compute_major_risk(rows, d),
        MAJOR_HAZARD => risk::compute_major_hazard(rows, d),
        ACCIDENT => risk::compute_accident(rows, d),
        RAIL_LINE => rail::compute_rail_line(rows, d),
        RAIL_HAZARD => rail::compute_rail_hazard(rows, d),
        DELIVERY_ENTERPRISE => postal::compute_delivery_enterprise(rows, d),
        DELIVERY_INSPECTION => postal::compute_delivery_inspection(rows, d),
        VESSEL => water::compute_vessel(rows, d),
        PORT_FERRY => water::compute_port_ferry(rows, d),
        FISHING_VESSEL => fishing::compute_fishing_vessel(rows, d),
        FISHING_DEPARTURE => fishing::compute_fishing_departure(rows, d),
        _ => Vec::new(),
    }
}

/// What the tests of every form share: computing as the desk does, reading values, and the
/// issues and classifications of a record on a fixed day.
#[cfg(test)]
pub(crate) mod testkit {
    pub use super::{classify, compute, validate};
    use anwei_plugin_sdk::content::PlanContent;
    pub use anwei_plugin_sdk::date::Date;
    use anwei_plugin_sdk::{FormRecord, Issue, RecordBatch};

    pub fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// The plan's targets of `form` and the fields they read (in the order the desk uses).
    pub fn plan_inputs(form: &str) -> (Vec<String>, Vec<String>) {
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
    pub fn desk_compute(form: &str, records: &[FormRecord], as_of: &str) -> Vec<(String, f64)> {
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

    pub fn value(values: &[(String, f64)], id: &str) -> Option<f64> {
        values.iter().find(|(t, _)| t == id).map(|(_, v)| *v)
    }

    pub fn assert_close(got: Option<f64>, want: f64, what: &str) {
        let got = got.unwrap_or_else(|| panic!("{what}: no value"));
        assert!((got - want).abs() < 1e-9, "{what}: {got} ≠ {want}");
    }

    /// Every target of `form` in the plan gets a value from `records`, and no other.
    pub fn assert_every_target(form: &str, records: &[FormRecord], as_of: &str) {
        let (mut want, _) = plan_inputs(form);
        assert!(!want.is_empty(), "{form}");
        let mut got: Vec<String> = desk_compute(form, records, as_of)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{form}");
    }

    /// The issues of `r` on 2022-06-30.
    pub fn issues(form: &str, r: &FormRecord) -> Vec<Issue> {
        validate(form, r, Date::parse("2022-06-30"))
    }

    /// The value rule `rule` gives `r` on 2022-06-30.
    pub fn class(form: &str, r: &FormRecord, rule: &str) -> Option<String> {
        classify(form, r, Date::parse("2022-06-30"))
            .into_iter()
            .find(|c| c.rule == rule)
            .map(|c| c.value)
    }
}

#[cfg(test)]
mod tests {
    use anwei_plugin_sdk::Severity;
    use anwei_plugin_sdk::content::PlanContent;
    use anwei_plugin_sdk::record::RecordBuilder;

    use super::testkit::*;
    use super::*;

    #[test]
    fn an_unknown_form_is_an_error() {
        let r = RecordBuilder::new("x").build();
        let i = validate("mine-register", &r, Date::parse("2022-01-01"));
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].field, "");
        assert_eq!(i[0].severity, Severity::Error);
        assert_eq!(i[0].message, "未知表单“mine-register”");
        assert!(classify("mine-register", &r, None).is_empty());
        assert!(
            compute(
                "mine-register",
                &RecordBatch::from_records(&[r], &[]),
                Date::parse("2022-12-31")
            )
            .is_empty()
        );
        // An empty record of any form raises nothing (what the form requires, the desk asks).
        for form in FORMS {
            assert!(
                validate(form, &RecordBuilder::new("x").build(), None).is_empty(),
                "{form}"
            );
        }
        // Without an as-of day nothing is computed.
        assert!(compute(FISHING_VESSEL, &RecordBatch::from_records(&[], &[]), None).is_empty());
    }

    #[test]
    fn the_forms_are_the_forms_of_forms_json_and_every_target_has_one_of_them() {
        let forms = anwei_plugin_sdk::content::FormsContent::from_json(crate::FORMS_JSON).unwrap();
        let ids: Vec<&str> = forms.forms.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, FORMS);
        let plan = PlanContent::from_json(crate::PLAN_JSON).unwrap();
        for t in &plan.targets {
            if let Some(f) = &t.form {
                assert!(FORMS.contains(&f.as_str()), "{}: {f}", t.id);
            }
        }
    }

    // -------------------------------------------------------------- inputs are complete

    const DATES: [&str; 9] = [
        "2019-11-01",
        "2020-01-01",
        "2020-12-31",
        "2021-04-01",
        "2021-12-31",
        "2022-03-01",
        "2022-11-15",
        "2022-12-31",
        "2023-01-02",
    ];

    /// A register of `form` where every branch of its computations occurs, with fields the
    /// targets do not read.
    fn register(form: &str, n: usize) -> Vec<FormRecord> {
        let d = |i: usize, k: usize| DATES[(i * k + k) % DATES.len()];
        let times = ["06:30", "7:05", "23:59", "00:00", "12:00", "6.30"];
        (0..n)
            .map(|i| {
                let flag = |k: usize| !(i / k).is_multiple_of(3);
                let mut b = RecordBuilder::new(&format!("r{i}"))
                    .text("town", "越州镇")
                    .text("remarks", "无");
                let filled = i % 5 != 1;
                b = match form {
                    MAJOR_RISK => {
                        let mut b = b.text("risk_name", "风险").date("identified_date", d(i, 1));
                        // Records 40, 50, … 90 each lack one list entry.
                        for (k, f) in [
                            "basic_info",
                            "resp_unit",
                            "resp_person",
                            "monitoring",
                            "measures",
                            "emergency",
                        ]
                        .iter()
                        .enumerate()
                        {
                            if i != 40 + 10 * k {
                                b = b.text(f, "有");
                            }
                        }
                        b
                    }
                    MAJOR_HAZARD => {
                        let b = b
                            .date("found_date", d(i, 1))
                            .flag("resp_ok", flag(1))
                            .flag("measures_ok", flag(2))
                            .flag("funds_ok", true)
                            .flag("plan_ok", flag(3))
                            .flag("listed", flag(2));
                        let b = if filled {
                            b.date("deadline_date", d(i, 2))
                        } else {
                            b
                        };
                        if i % 2 == 0 {
                            b.date("closed_date", d(i, 3))
                        } else {
                            b
                        }
                    }
                    ACCIDENT => {
                        let b = b
                            .text("domain", "fishing")
                            .date("occurred_date", d(i, 1))
                            .flag("is_typical", flag(1))
                            .flag("measures_made", flag(2));
                        if filled {
                            b.date("analysed_date", d(i, 2))
                        } else {
                            b
                        }
                    }
                    RAIL_LINE => {
                        let b = b
                            .text("line_kind", if i % 2 == 0 { "existing" } else { "new" })
                            .date("design_approved_date", d(i, 1));
                        let b = if filled {
                            b.date("zone_delimited_date", d(i, 2))
                        } else {
                            b
                        };
                        if i % 3 == 0 {
                            b.date("markers_done_date", d(i, 3))
                        } else {
                            b
                        }
                    }
                    RAIL_HAZARD => {
                        let kinds = ["floating", "tree", "slope", "floating"];
                        let b = b
                            .text("kind", kinds[i % kinds.len()])
                            .date("found_date", d(i, 1));
                        let b = if i % 4 != 3 {
                            b.decimal("distance_m", (i % 11) as f64 * 100.0)
                        } else {
                            b
                        };
                        if filled {
                            b.date("rectified_date", d(i, 2))
                        } else {
                            b
                        }
                    }
                    DELIVERY_ENTERPRISE => {
                        let b = b
                            .text("enterprise", &format!("第{i}号网点"))
                            .flag("open_inspection", flag(1))
                            .flag("real_name", flag(2))
                            .flag("xray", true)
                            .flag("international", i % 2 == 0)
                            .flag("international_screened", flag(3));
                        if i % 6 == 0 {
                            b.date("closed_date", d(i, 1))
                        } else {
                            b
                        }
                    }
                    DELIVERY_INSPECTION => b
                        .date("inspected_on", d(i, 1))
                        .flag("hazchem_found", flag(1)),
                    VESSEL => {
                        let b = b
                            .flag("commercial", i % 4 != 0)
                            .date("in_service_from", d(i, 1))
                            .date("annual_check_2020", d(i, 2))
                            .date("annual_check_2022", d(i, 4));
                        let b = if filled {
                            b.date("annual_check_2021", d(i, 3))
                        } else {
                            b
                        };
                        if i % 7 == 0 {
                            b.date("retired_date", d(i, 5))
                        } else {
                            b
                        }
                    }
                    PORT_FERRY => {
                        let kinds = ["passenger_terminal", "dangerous_goods", "ferry"];
                        let b = b
                            .text("kind", kinds[i % kinds.len()])
                            .flag("cctv", flag(1))
                            .flag("screening", true)
                            .flag("id_reader", flag(2));
                        let b = if filled {
                            b.date("insured_from", d(i, 1))
                                .date("insured_until", d(i, 3))
                        } else {
                            b
                        };
                        if i % 5 == 0 {
                            b.date("closed_date", d(i, 2))
                        } else {
                            b
                        }
                    }
                    FISHING_VESSEL => fishing_vessel(b, i),
                    FISHING_DEPARTURE => {
                        let b = b
                            .text("vessel_name", "船")
                            .date("departure_date", d(i, 1))
                            .text("departure_time", times[i % times.len()])
                            .flag("reported", i % 4 != 0)
                            .date("report_date", d(i, 1))
                            .text("report_time", times[(i / 2) % times.len()]);
                        if filled {
                            b.date("check_date", d(i, 2))
                        } else {
                            b
                        }
                    }
                    _ => b,
                };
                b.build()
            })
            .collect()
    }

    /// One record of the fishing-vessel register (also the bench below).
    fn fishing_vessel(b: RecordBuilder, i: usize) -> RecordBuilder {
        let d = |k: usize| DATES[(i * k + k) % DATES.len()];
        let ins: &[&str] = match i % 3 {
            0 => &["liability"],
            1 => &["mutual"],
            _ => &["liability", "commercial"],
        };
        let b = b
            .text("vessel_name", &format!("滇麒渔{i:05}"))
            .text("owner", "船东")
            .text("vessel_kind", "inland")
            .date("registered_date", d(1))
            .integer("officers_required", 2)
            .integer("officers_onboard", (i % 4) as i64)
            .integer("officers_certified", (i % 3) as i64)
            .date("survey_valid_until", d(3))
            .choices("insurance", ins)
            .date("insured_from", d(2))
            .flag("radio_fitted", i.is_multiple_of(2))
            .integer("safety_points", (i % 13) as i64);
        let b = if i % 5 != 1 {
            b.date("last_survey_date", d(2))
        } else {
            b
        };
        let b = if i.is_multiple_of(4) {
            b.date("insured_until", d(4))
        } else {
            b
        };
        if i.is_multiple_of(9) {
            b.date("deregistered_date", d(5))
        } else {
            b
        }
    }

    #[test]
    fn compute_over_the_inputs_equals_compute_over_whole_records() {
        for form in FORMS {
            let (ids, _) = plan_inputs(form);
            let records = register(form, 150);
            let mut seen = 0;
            for as_of in [
                "2020-06-30",
                "2021-12-31",
                "2022-03-01",
                "2022-12-31",
                "2023-06-30",
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
                for (id, v) in &whole {
                    assert!(ids.contains(id), "{form}: {id} is not a target of the form");
                    // The registers do exercise the computations: some value strictly
                    // between 0 and 100.
                    if *v > 0.0 && *v < 100.0 {
                        seen += 1;
                    }
                }
            }
            assert!(seen > 0, "{form}: the register exercises nothing");
        }
    }

    /// The main ledger at the desk's budget (100 000 records, ≤ 1 s inside WASM): natively,
    /// the single pass over the batch. `cargo test --release -- --ignored` prints the time.
    #[test]
    #[ignore = "timing, run by hand"]
    fn the_fishing_vessel_register_of_100k_records_computes_in_one_pass() {
        let records: Vec<FormRecord> = (0..100_000)
            .map(|i| {
                fishing_vessel(
                    RecordBuilder::new(&format!("r{i}")).text("town", "越州镇"),
                    i,
                )
                .build()
            })
            .collect();
        let (_, inputs) = plan_inputs(FISHING_VESSEL);
        let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        let batch = RecordBatch::from_records(&records, &inputs);
        let start = std::time::Instant::now();
        let v = compute(FISHING_VESSEL, &batch, Date::parse("2022-12-31"));
        eprintln!(
            "fishing-vessel, 100 000 records: {:?} ({} values)",
            start.elapsed(),
            v.len()
        );
        assert_eq!(v.len(), 3);
    }
}
