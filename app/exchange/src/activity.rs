//! 演示数据 for the demo campaigns: progress entries on about three tasks in four (most done,
//! some on time and some late, others part-way) and, for 麒麟区, a quarterly 季报 the office
//! asks of its units with their submissions (most on time and signed, some late with a
//! reason, some returned, a few missing), and a 煤矿台账 of 16 mines as seed 001 (L201)
//! describes them (5 单独保留 and 3 整合保留 of 525 万吨/年 in all, 4 整合关闭, 4 关闭退出), so
//! that the coal targets have values. Chosen by a hash of the ids, so the same desk gets the
//! same demo; every text is marked 【演示数据】 when it is added.

use anwei_core::Value;
use anwei_core::demo::{DEMO_MARK, DemoData, DemoEntry, DemoRecord, DemoReview, DemoSubmission};
use anwei_core::reports::{OfficeReport, owed_by};
use anwei_core::{CampaignScope, Recurrence, UnitDirectory};
use chrono::{Days, NaiveDate};

/// The id of the demo's quarterly report.
pub const DEMO_REPORT_ID: &str = "demo-quarterly";

/// The coal plugin's register the demo fills.
pub const DEMO_COAL_FORM: &str = "coal-mining/mine-register";

/// The 16 mines of seed 001 L201, named as demo mines.
fn coal_register() -> Vec<DemoRecord> {
    const TOWNS: [&str; 4] = ["越州镇", "东山镇", "茨营镇", "潇湘街道"];
    let choice = |s: &str| Value::Choices(vec![s.to_owned()]);
    let mut out = Vec::new();
    let mut mine = |group: &str, capacity: f64, closed: bool, merge: bool| {
        let n = out.len() + 1;
        let mut values: std::collections::BTreeMap<String, Value> = [
            ("name", Value::Text(format!("演示{n}号煤矿"))),
            ("town", Value::Text(TOWNS[n % TOWNS.len()].to_owned())),
            ("ownership", choice("private")),
            (
                "status",
                choice(if closed { "closed" } else { "producing" }),
            ),
            ("scale", choice("medium")),
            ("capacity", Value::Decimal(capacity)),
            ("gas_class", choice("other")),
            ("group", choice(group)),
            ("monitoring_upgraded", Value::Date("2020-06-01".to_owned())),
            ("remarks", Value::Text(DEMO_MARK.to_owned())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        if merge {
            values.insert("merge_group".to_owned(), Value::Text("一组".to_owned()));
        }
        out.push(DemoRecord {
            form: DEMO_COAL_FORM.to_owned(),
            form_version: "1.0.0".to_owned(),
            values,
        });
    };
    for cap in [90.0, 60.0, 60.0, 45.0, 45.0] {
        mine("keep", cap, false, false);
    }
    for cap in [90.0, 75.0, 60.0] {
        mine("merge_keep", cap, false, true);
    }
    for _ in 0..4 {
        mine("merge_close", 15.0, false, true);
        mine("close", 9.0, true, false);
    }
    out
}

/// FNV-1a: a stable hash (the same on every machine and build).
fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

const DOING: [&str; 6] = [
    "已召开专题部署会，制定工作方案，明确责任分工",
    "已完成第一轮排查，建立问题隐患和制度措施“两个清单”",
    "正在组织专项检查，已检查企业 {n} 家，督促整改隐患 {n} 项",
    "已开展集中宣传教育 {n} 场次，正在推进制度建设",
    "整治工作按计划推进，已完成阶段性任务的 {p}%",
    "已对照清单逐项整改，剩余问题正在跟踪督办",
];

const DONE: [&str; 4] = [
    "已按期完成全部整治任务，问题清单全部销号",
    "已完成，相关制度已印发实施，形成长效机制",
    "已完成整改验收，资料已归档",
    "任务已完成，经区安委办核查通过",
];

fn fill(text: &str, h: u64, percent: u8) -> String {
    text.replacen("{n}", &(3 + h % 40).to_string(), 1)
        .replacen("{n}", &(10 + h % 90).to_string(), 1)
        .replace("{p}", &percent.to_string())
}

fn clamp(d: NaiveDate, start: NaiveDate, end: NaiveDate) -> NaiveDate {
    d.max(start).min(end)
}

/// The demo rows for `scopes` (the demo campaigns as stored), the units as stored.
pub fn demo_activity(scopes: &[CampaignScope], units: &UnitDirectory) -> DemoData {
    let mut data = DemoData::default();
    for scope in scopes {
        let (start, end) = (scope.campaign.start, scope.campaign.end);
        for t in &scope.tasks {
            let Some(due) = t.final_deadline().and_then(|d| d.due) else {
                continue;
            };
            let h = hash(&[&t.id]);
            let roll = h % 100;
            if roll >= 75 {
                continue;
            }
            let due = clamp(due, start, end);
            let mid = clamp(
                start + Days::new(((due - start).num_days() / 2).max(0) as u64),
                start,
                end,
            );
            let percent = (30 + h % 50) as u8;
            data.entries.push(DemoEntry {
                task: t.id.clone(),
                date: mid,
                text: fill(DOING[(h / 100 % DOING.len() as u64) as usize], h, percent),
                percent: Some(percent),
                done: false,
            });
            if roll < 55 {
                // Done: most before the deadline, one in five some weeks after it.
                let when = if roll < 11 {
                    due + Days::new(15 + h % 30)
                } else {
                    due - Days::new(h % 20)
                };
                data.entries.push(DemoEntry {
                    task: t.id.clone(),
                    date: clamp(when, mid, end),
                    text: DONE[(h / 7 % DONE.len() as u64) as usize].to_owned(),
                    percent: Some(100),
                    done: true,
                });
            }
        }
    }
    // 麒麟区's quarterly 季报 (ten days after each quarter), with its units' submissions.
    let Some(scope) = scopes
        .iter()
        .find(|s| s.campaign.id != crate::REFORM_CAMPAIGN_ID)
    else {
        return data;
    };
    data.records = coal_register();
    let mut report = OfficeReport {
        id: DEMO_REPORT_ID.to_owned(),
        name: "专项整治工作季报".to_owned(),
        recurrence: Recurrence::Quarterly,
        grace_days: 10,
        units: Vec::new(),
        campaign: Some(scope.campaign.id.clone()),
    };
    let owing = owed_by(
        std::slice::from_ref(&report),
        &scope.campaign.id,
        &scope.tasks,
        units,
    );
    let last = scope.campaign.end;
    for unit in owing.iter().flat_map(|o| o.units.iter()) {
        for (pstart, pend) in report.recurrence.periods(scope.campaign.start, last) {
            let due = pend + Days::new(10);
            if due > last {
                continue;
            }
            let period = pstart.to_string();
            let h = hash(&[unit, &period]);
            let roll = h % 100;
            let recent = (last - due).num_days() < 100;
            let what = "本季度专项整治工作进展情况报告".to_owned();
            let sub = match roll {
                0..=69 => DemoSubmission {
                    unit: unit.clone(),
                    report: DEMO_REPORT_ID.to_owned(),
                    period_start: pstart,
                    date: due - Days::new(h % 9),
                    what,
                    late_reason: None,
                    review: if recent && roll < 10 {
                        DemoReview::Pending
                    } else {
                        DemoReview::Accepted {
                            date: due - Days::new(h % 9) + Days::new(2),
                        }
                    },
                },
                70..=79 => DemoSubmission {
                    unit: unit.clone(),
                    report: DEMO_REPORT_ID.to_owned(),
                    period_start: pstart,
                    date: due + Days::new(3 + h % 12),
                    what,
                    late_reason: Some("统计数据核对延误，补报".to_owned()),
                    review: DemoReview::Accepted {
                        date: due + Days::new(16),
                    },
                },
                80..=86 => DemoSubmission {
                    unit: unit.clone(),
                    report: DEMO_REPORT_ID.to_owned(),
                    period_start: pstart,
                    date: due - Days::new(1),
                    what,
                    late_reason: None,
                    review: DemoReview::Returned {
                        date: due + Days::new(2),
                        reason: "隐患整改数据与台账不符，请核实后重报".to_owned(),
                    },
                },
                _ => continue,
            };
            data.submissions.push(sub);
        }
    }
    // Owed by the units named now: sector plans imported later bring units that have no demo
    // submissions (they would show as never reporting).
    report.units = owing.into_iter().flat_map(|o| o.units).collect();
    data.office_reports.push(report);
    data
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_demo_is_the_same_every_time_and_within_its_campaigns() {
        let campaigns = crate::demo_campaigns().unwrap();
        let units = UnitDirectory::new(
            campaigns
                .iter()
                .flat_map(|c| c.units.iter().cloned())
                .collect(),
        )
        .unwrap();
        let scopes: Vec<CampaignScope> = campaigns
            .iter()
            .map(|c| CampaignScope::new(c.campaign.clone(), c.plans.clone(), c.tasks.clone()))
            .collect();
        let a = demo_activity(&scopes, &units);
        assert_eq!(a, demo_activity(&scopes, &units), "deterministic");
        let tasks: usize = scopes.iter().map(|s| s.tasks.len()).sum();
        let touched: std::collections::HashSet<&str> =
            a.entries.iter().map(|e| e.task.as_str()).collect();
        let done = a.entries.iter().filter(|e| e.done).count();
        assert!(touched.len() * 2 > tasks, "{} of {tasks}", touched.len());
        assert!(
            done * 4 > tasks && done < touched.len(),
            "a mix: {done} done"
        );
        for s in &scopes {
            for e in a
                .entries
                .iter()
                .filter(|e| s.tasks.iter().any(|t| t.id == e.task))
            {
                assert!(
                    (s.campaign.start..=s.campaign.end).contains(&e.date),
                    "{e:?}"
                );
            }
        }
        // The 季报: on time, late with a reason, returned, and some units missing a quarter.
        assert_eq!(a.records.len(), 16);
        assert!(a.records.iter().all(|r| r.form == DEMO_COAL_FORM));
        assert_eq!(a.office_reports.len(), 1);
        assert!(
            !a.office_reports[0].units.is_empty(),
            "named, not every unit"
        );
        assert!(a.submissions.iter().all(|s| s.report == DEMO_REPORT_ID));
        let late = a
            .submissions
            .iter()
            .filter(|s| s.late_reason.is_some())
            .count();
        let returned = a
            .submissions
            .iter()
            .filter(|s| matches!(s.review, DemoReview::Returned { .. }))
            .count();
        assert!(late > 0 && returned > 0 && a.submissions.len() > late + returned);
        // No collective owes it.
        assert!(
            a.submissions
                .iter()
                .all(|s| !anwei_core::reports::is_collective(units.name_of(&s.unit)))
        );
    }
}
