//! `hazchem-personnel` 危险化学品企业关键岗位人员台账: rules R29–R33 and targets B-03,
//! B-25–B-29. The qualification rules read the form's calculated fields (`is_manager`,
//! `meets_*_rule`), which the record holds with its values.

use anwei_plugin_sdk::date::Date;
use anwei_plugin_sdk::{Fields, RecordBatch, TargetValue};

use super::common::{
    CAMPAIGN_START, END_2022, Finding, Ratio, Rule, TargetDay, after, by, in_service, is, is_any,
    no, yes,
};

pub(crate) const FORM: &str = "hazchem-personnel";

/// 重点岗位 (L139 括注): 主要负责人、安全管理人员和特种作业人员.
const KEY_POSTS: [&str; 3] = ["principal", "safety_manager", "special_operator"];

/// Hired from 2020-06-01 (L142 「自2020年6月起」), by `d`.
fn hired_new_by(r: &impl Fields, d: Date) -> bool {
    r.date("hired_on")
        .is_some_and(|h| h >= CAMPAIGN_START && h <= d)
}

/// Hired before 2020-06-01: 现有人员 (L144).
fn hired_before_campaign(r: &impl Fields) -> bool {
    r.date("hired_on").is_some_and(|h| h < CAMPAIGN_START)
}

fn in_service_at(r: &impl Fields, d: Date) -> bool {
    in_service(r, "hired_on", "left_on", d)
}

fn operator(r: &impl Fields) -> bool {
    is(r, "post", "operator")
}

// ---- Rules ----

pub(crate) const R29: Rule = Rule {
    id: "r29-special-certificate",
    line: 140,
    quote: "严格从事危险化学品特种作业岗位人员的学历要求和技能考核,考试合格后持证上岗",
    note: Some("msg_special"),
    message: "从事危险化学品特种作业岗位的人员须考试合格后持证上岗。",
    value: "须持证上岗",
};
pub(crate) const R30: Rule = Rule {
    id: "r30-new-manager",
    line: 142,
    quote: "所有新入职的危险化学品企业主要负责人和主管生产、设备、技术、安全的负责人及安全生产管理人员必须具备化学、化工、机电、安全等相关专业大专及以上学历或化工类中级以上职称",
    note: Some("msg_manager"),
    message: "自2020年6月起，涉及“两重点一重大”生产装置和储存设施的企业新入职的主要负责人和主管生产、设备、技术、安全的负责人及安全生产管理人员必须具备化学、化工、机电、安全等相关专业大专及以上学历或化工类中级以上职称。",
    value: "学历或职称不符合要求",
};
pub(crate) const R31: Rule = Rule {
    id: "r31-new-operator",
    line: 143,
    quote: "新入职的生产装置、储存设施操作人员必须具备高中及以上学历或化工类中等及以上职业教育水平",
    note: Some("msg_operator"),
    message: "自2020年6月起，涉及“两重点一重大”生产装置和储存设施的企业新入职的生产装置、储存设施操作人员必须具备高中及以上学历或化工类中等及以上职业教育水平。",
    value: "学历不符合要求",
};
pub(crate) const R32: Rule = Rule {
    id: "r32-explosive-new-operator",
    line: 144,
    quote: "新入职的生产装置和储存设施的操作人员必须达到大专及以上学历",
    note: Some("msg_explosive_new"),
    message: "涉及爆炸性危险化学品生产储存企业新入职的生产装置和储存设施的操作人员必须达到大专及以上学历。",
    value: "未达到大专及以上学历",
};
pub(crate) const R33: Rule = Rule {
    id: "r33-explosive-existing-operator",
    line: 144,
    quote: "对不符合上述要求的现有人员应在2022年底前达到相应水平",
    note: Some("msg_explosive_existing"),
    message: "涉及爆炸性危险化学品生产储存企业的现有操作人员应在2022年底前达到大专及以上学历。",
    value: "应在2022年底前达到大专及以上学历",
};

#[cfg(test)]
pub(crate) const RULES: &[&Rule] = &[&R29, &R30, &R31, &R32, &R33];

pub(crate) fn findings(r: &impl Fields, today: Option<Date>) -> Vec<Finding> {
    let mut out = Vec::new();
    // R29 (L140).
    if is(r, "post", "special_operator") && no(r, "special_cert") {
        out.push(Finding::warning(&R29, "special_cert"));
    }
    let new_hire = r.date("hired_on").is_some_and(|h| h >= CAMPAIGN_START);
    // R30 (L142).
    if new_hire && yes(r, "ent_two_key") && yes(r, "is_manager") && no(r, "meets_manager_rule") {
        out.push(Finding::warning(&R30, "education"));
    }
    // R31 (L143).
    if new_hire && yes(r, "ent_two_key") && operator(r) && no(r, "meets_operator_rule") {
        out.push(Finding::warning(&R31, "education"));
    }
    // R32 (L144, 二是).
    if new_hire && yes(r, "ent_explosive") && operator(r) && no(r, "meets_explosive_rule") {
        out.push(Finding::warning(&R32, "education"));
    }
    // R33 (L144): shown all the time; overdue from 2023-01-01.
    let not_left = match (r.date("left_on"), today) {
        (None, _) => true,
        (Some(l), Some(t)) => l > t,
        (Some(_), None) => false,
    };
    if hired_before_campaign(r)
        && yes(r, "ent_explosive")
        && operator(r)
        && not_left
        && no(r, "meets_explosive_rule")
    {
        let f = Finding::warning(&R33, "education");
        out.push(if after(today, END_2022) {
            f.with_value("逾期未达到大专及以上学历")
        } else {
            f
        });
    }
    out
}

// ---- Targets ----

pub(crate) const KEY_STAFF_ASSESSED: TargetDay = TargetDay {
    id: "key-staff-assessed",
    last_due: END_2022,
};
pub(crate) const KEY_POST_CERTIFICATE: TargetDay = TargetDay {
    id: "key-post-certificate",
    last_due: END_2022,
};
pub(crate) const NEW_MANAGER: TargetDay = TargetDay {
    id: "new-manager-qualification",
    last_due: END_2022,
};
pub(crate) const NEW_OPERATOR: TargetDay = TargetDay {
    id: "new-operator-qualification",
    last_due: END_2022,
};
pub(crate) const EXPLOSIVE_NEW: TargetDay = TargetDay {
    id: "explosive-new-operator",
    last_due: END_2022,
};
pub(crate) const EXPLOSIVE_EXISTING: TargetDay = TargetDay {
    id: "explosive-existing-operator",
    last_due: END_2022,
};

#[cfg(test)]
pub(crate) const TARGETS: &[TargetDay] = &[
    KEY_STAFF_ASSESSED,
    KEY_POST_CERTIFICATE,
    NEW_MANAGER,
    NEW_OPERATOR,
    EXPLOSIVE_NEW,
    EXPLOSIVE_EXISTING,
];

pub(crate) fn compute(batch: &RecordBatch, as_of: Date) -> Vec<TargetValue> {
    // Every target of the form falls due last on 2022-12-31.
    let d = KEY_STAFF_ASSESSED.day(as_of);
    let mut assessed = Ratio::default();
    let mut certificate = Ratio::default();
    let mut manager = Ratio::default();
    let mut new_operator = Ratio::default();
    let mut explosive_new = Ratio::default();
    let mut explosive_existing = Ratio::default();
    for r in batch.rows() {
        // B-03 (L99): managers of 化工企业 in service at D, passed by D.
        if yes(&r, "ent_chemical") && yes(&r, "is_manager") && in_service_at(&r, d) {
            assessed.add(is(&r, "assessed", "pass") && by(&r, "assessed_on", d));
        }
        // B-25 (L139).
        if is_any(&r, "post", &KEY_POSTS) && in_service_at(&r, d) {
            certificate.add(
                is_any(&r, "certificate", &["qualification", "skill_level"])
                    && by(&r, "certificate_on", d),
            );
        }
        // B-26–B-28 (L142–144): everyone hired in the window, left since or not.
        if yes(&r, "ent_two_key") && yes(&r, "is_manager") && hired_new_by(&r, d) {
            manager.add(yes(&r, "meets_manager_rule"));
        }
        if yes(&r, "ent_two_key") && operator(&r) && hired_new_by(&r, d) {
            new_operator.add(yes(&r, "meets_operator_rule"));
        }
        if yes(&r, "ent_explosive") && operator(&r) && hired_new_by(&r, d) {
            explosive_new.add(yes(&r, "meets_explosive_rule"));
        }
        // B-29 (L144): 现有人员 in service at D, the degree obtained by D.
        if yes(&r, "ent_explosive")
            && operator(&r)
            && hired_before_campaign(&r)
            && in_service_at(&r, d)
        {
            let since_ok = r.date("education_since").is_none_or(|s| s <= d);
            explosive_existing.add(yes(&r, "meets_explosive_rule") && since_ok);
        }
    }
    [
        KEY_STAFF_ASSESSED.value(assessed.value()),
        KEY_POST_CERTIFICATE.value(certificate.value()),
        NEW_MANAGER.value(manager.value()),
        NEW_OPERATOR.value(new_operator.value()),
        EXPLOSIVE_NEW.value(explosive_new.value()),
        EXPLOSIVE_EXISTING.value(explosive_existing.value()),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use anwei_plugin_sdk::FormRecord;

    use super::super::common::test_support::{assert_values, day, full_batch, pct, record};
    use super::*;

    /// The form's calculations (forms.json), so the fixtures hold what the desk stores.
    fn calculated(fields: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        let get = |k: &str| fields.iter().find(|(f, _)| *f == k).map_or("", |(_, v)| *v);
        let yn = |b: bool| if b { "yes" } else { "no" };
        let higher = ["college", "bachelor", "graduate"].contains(&get("education"));
        let related = [
            "chemistry",
            "chemical",
            "mech_elec",
            "safety",
            "other_related",
        ]
        .contains(&get("major"));
        let manager = [
            "principal",
            "head_production",
            "head_equipment",
            "head_technology",
            "head_safety",
            "safety_manager",
        ]
        .contains(&get("post"));
        let mut out = fields.to_vec();
        out.push(("is_manager", yn(manager)));
        out.push((
            "meets_manager_rule",
            yn((higher && related) || ["chem_mid", "chem_senior"].contains(&get("title"))),
        ));
        out.push((
            "meets_operator_rule",
            yn(higher
                || get("education") == "senior_high"
                || (get("education") == "vocational" && get("major") == "chemical")),
        ));
        out.push(("meets_explosive_rule", yn(higher)));
        out
    }

    fn person(id: &str, fields: &[(&'static str, &'static str)]) -> FormRecord {
        record(id, &calculated(fields))
    }

    /// FX-HP-A of rules.md.
    pub fn fixture_a() -> Vec<FormRecord> {
        vec![
            person(
                "A1",
                &[
                    ("ent_chemical", "yes"),
                    ("ent_two_key", "yes"),
                    ("ent_explosive", "no"),
                    ("post", "principal"),
                    ("hired_on", "2015-03-01"),
                    ("education", "bachelor"),
                    ("major", "chemical"),
                    ("title", "none"),
                    ("assessed", "pass"),
                    ("assessed_on", "2021-05-01"),
                    ("certificate", "qualification"),
                    ("certificate_on", "2021-11-30"),
                ],
            ),
            person(
                "A2",
                &[
                    ("ent_chemical", "yes"),
                    ("ent_two_key", "yes"),
                    ("ent_explosive", "yes"),
                    ("post", "safety_manager"),
                    ("hired_on", "2020-07-01"),
                    ("education", "college"),
                    ("major", "safety"),
                    ("title", "none"),
                    ("assessed", "fail"),
                    ("assessed_on", "2022-04-01"),
                    ("certificate", "none"),
                ],
            ),
            person(
                "A3",
                &[
                    ("ent_chemical", "no"),
                    ("ent_two_key", "yes"),
                    ("ent_explosive", "no"),
                    ("post", "head_safety"),
                    ("hired_on", "2020-06-01"),
                    ("education", "senior_high"),
                    ("major", "safety"),
                    ("title", "chem_mid"),
                    ("assessed", "pending"),
                ],
            ),
            person(
                "A4",
                &[
                    ("ent_chemical", "yes"),
                    ("ent_two_key", "yes"),
                    ("ent_explosive", "yes"),
                    ("post", "special_operator"),
                    ("hired_on", "2019-05-01"),
                    ("education", "vocational"),
                    ("major", "chemical"),
                    ("title", "none"),
                    ("certificate", "skill_level"),
                    ("certificate_on", "2022-08-01"),
                    ("special_cert", "yes"),
                ],
            ),
            person(
                "A5",
                &[
                    ("ent_chemical", "yes"),
                    ("ent_two_key", "yes"),
                    ("ent_explosive", "no"),
                    ("post", "principal"),
                    ("hired_on", "2022-03-01"),
                    ("education", "college"),
                    ("major", "unrelated"),
                    ("title", "none"),
                    ("assessed", "pass"),
                    ("assessed_on", "2022-06-01"),
                    ("certificate", "none"),
                ],
            ),
        ]
    }

    fn operator_record(
        id: &str,
        explosive: &'static str,
        hired: &'static str,
        left: Option<&'static str>,
        education: &'static str,
        major: &'static str,
        since: Option<&'static str>,
    ) -> FormRecord {
        let mut f = vec![
            ("ent_chemical", "yes"),
            ("ent_two_key", "yes"),
            ("ent_explosive", explosive),
            ("post", "operator"),
            ("hired_on", hired),
            ("education", education),
            ("major", major),
        ];
        if let Some(l) = left {
            f.push(("left_on", l));
        }
        if let Some(s) = since {
            f.push(("education_since", s));
        }
        person(id, &f)
    }

    /// FX-HP-B of rules.md.
    pub fn fixture_b() -> Vec<FormRecord> {
        vec![
            operator_record(
                "B1",
                "yes",
                "2018-01-01",
                None,
                "senior_high",
                "unrelated",
                Some("2010-07-01"),
            ),
            operator_record(
                "B2",
                "yes",
                "2017-04-01",
                None,
                "college",
                "chemical",
                Some("2022-11-01"),
            ),
            operator_record(
                "B3",
                "yes",
                "2021-02-01",
                None,
                "college",
                "chemical",
                Some("2019-07-01"),
            ),
            operator_record(
                "B4",
                "no",
                "2020-09-01",
                None,
                "vocational",
                "chemical",
                Some("2018-07-01"),
            ),
            operator_record(
                "B5",
                "no",
                "2022-05-01",
                None,
                "below_senior",
                "unrelated",
                None,
            ),
            operator_record(
                "B6",
                "yes",
                "2019-03-01",
                Some("2022-06-30"),
                "vocational",
                "chemical",
                Some("2016-07-01"),
            ),
        ]
    }

    #[test]
    fn the_fixtures_hold_the_calculations_of_rules_md() {
        let a = fixture_a();
        let meets: Vec<bool> = a.iter().map(|r| yes(r, "meets_manager_rule")).collect();
        assert_eq!(meets, [true, true, true, false, false]);
        let b = fixture_b();
        let op: Vec<bool> = b.iter().map(|r| yes(r, "meets_operator_rule")).collect();
        let ex: Vec<bool> = b.iter().map(|r| yes(r, "meets_explosive_rule")).collect();
        assert_eq!(op, [true, true, true, true, false, true]);
        assert_eq!(ex, [false, true, true, false, false, false]);
    }

    #[test]
    fn fixture_a_gives_the_values_of_rules_md() {
        let batch = full_batch(&fixture_a());
        let expect = |as_of: &str, values: [Option<f64>; 3]| {
            assert_values(
                &compute(&batch, day(as_of)),
                &[
                    (KEY_STAFF_ASSESSED.id, values[0]),
                    (KEY_POST_CERTIFICATE.id, values[1]),
                    (NEW_MANAGER.id, values[2]),
                    (NEW_OPERATOR.id, None),
                    (EXPLOSIVE_NEW.id, None),
                    (EXPLOSIVE_EXISTING.id, None),
                ],
                as_of,
            );
        };
        expect("2020-12-31", [Some(0.0), Some(0.0), Some(100.0)]);
        expect("2021-12-31", [Some(50.0), Some(pct(1, 3)), Some(100.0)]);
        expect("2022-12-31", [Some(pct(2, 3)), Some(50.0), Some(pct(2, 3))]);
        expect("2023-05-01", [Some(pct(2, 3)), Some(50.0), Some(pct(2, 3))]);
        // A3, hired on 2020-06-01, is 新入职 on that day; before it nobody is.
        expect("2020-06-01", [Some(0.0), Some(0.0), Some(100.0)]);
        expect("2020-05-31", [Some(0.0), Some(0.0), None]);
    }

    #[test]
    fn fixture_b_gives_the_values_of_rules_md() {
        let batch = full_batch(&fixture_b());
        let expect = |as_of: &str, values: [Option<f64>; 3]| {
            assert_values(
                &compute(&batch, day(as_of)),
                &[
                    (KEY_STAFF_ASSESSED.id, None),
                    (KEY_POST_CERTIFICATE.id, None),
                    (NEW_MANAGER.id, None),
                    (NEW_OPERATOR.id, values[0]),
                    (EXPLOSIVE_NEW.id, values[1]),
                    (EXPLOSIVE_EXISTING.id, values[2]),
                ],
                as_of,
            );
        };
        // 2020: nobody new in an explosive enterprise — no value (rules.md §0 would say 100,
        // 『无适用对象』; see Ratio::value).
        expect("2020-12-31", [Some(100.0), None, Some(0.0)]);
        expect("2021-12-31", [Some(100.0), Some(100.0), Some(0.0)]);
        expect("2022-12-31", [Some(pct(2, 3)), Some(100.0), Some(50.0)]);
        // B6 is in until the day before she leaves; B2's degree counts from its date.
        expect("2022-06-29", [Some(pct(2, 3)), Some(100.0), Some(0.0)]);
        expect("2022-11-01", [Some(pct(2, 3)), Some(100.0), Some(50.0)]);
    }

    fn ids(r: &FormRecord, today: &str) -> Vec<&'static str> {
        findings(r, Some(day(today)))
            .iter()
            .map(|f| f.rule.id)
            .collect()
    }

    #[test]
    fn qualification_rules_from_june_2020() {
        let a = fixture_a();
        assert!(ids(&a[4], "2022-04-01").contains(&R30.id));
        for r in &a[..4] {
            assert!(!ids(r, "2022-04-01").contains(&R30.id));
        }
        let b = fixture_b();
        assert_eq!(ids(&b[4], "2022-06-01"), [R31.id]);
        assert!(ids(&b[3], "2022-06-01").is_empty());
        // B1: existing, explosive, senior high: R33 while employed; overdue from 2023.
        assert_eq!(ids(&b[0], "2022-12-31"), [R33.id]);
        let late = findings(&b[0], Some(day("2023-01-01")));
        assert_eq!(late.len(), 1);
        assert_eq!(late[0].value, "逾期未达到大专及以上学历");
        assert_eq!(findings(&b[0], Some(day("2022-12-31")))[0].value, R33.value);
        // B6 left on 2022-06-30.
        assert_eq!(ids(&b[5], "2022-06-29"), [R33.id]);
        assert!(ids(&b[5], "2022-06-30").is_empty());
        // The same person hired a day later is new: R31 is met (vocational chemical) but R32
        // is not.
        let new = operator_record(
            "N",
            "yes",
            "2020-06-01",
            None,
            "vocational",
            "chemical",
            None,
        );
        assert_eq!(ids(&new, "2021-01-01"), [R32.id]);
        let old = operator_record(
            "O",
            "yes",
            "2020-05-31",
            None,
            "vocational",
            "chemical",
            None,
        );
        assert_eq!(ids(&old, "2021-01-01"), [R33.id]);
    }

    #[test]
    fn special_operators_need_their_certificate() {
        let with = |cert: &'static str| {
            person("S", &[("post", "special_operator"), ("special_cert", cert)])
        };
        assert_eq!(ids(&with("no"), "2021-01-01"), [R29.id]);
        assert!(ids(&with("yes"), "2021-01-01").is_empty());
    }
}
