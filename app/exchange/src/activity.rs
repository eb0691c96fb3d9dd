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
use anwei_core::supervision::SupRow;
use anwei_core::{CampaignScope, Recurrence, UnitDirectory};
use chrono::{Datelike, Days, NaiveDate};

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
    data.supervision = demo_supervision(scope, units);
    data
}

/// 麒麟区's supervision in its second year: 督办事项 at each stage of the ladder and of 接收 →
/// 完成 → 验收 → 销号, three quarterly 通报 naming the units behind (one of them twice: the
/// 5 % rule), a 约谈, hazards open, late and closed, 两个清单 and a hazard-report reward.
/// Numbered 1, 2… per kind (the demo's transition numbers them after the rows there are).
fn demo_supervision(scope: &CampaignScope, units: &UnitDirectory) -> Vec<SupRow> {
    use anwei_core::accountability::{RewardTier, Step};
    use anwei_core::supervision::{
        Check, Circular, CircularKind, Dated, FiveInPlace, Hazard, HazardGrade, Item, Level,
        ListEntry, ListKind, Lookback, Named, Reward, Source, SourceKind, StepTaken, Talk,
    };
    // The units that lead most of the campaign's tasks (the busiest departments).
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for t in &scope.tasks {
        for r in t.roles.iter().filter(|r| r.role == anwei_core::Role::Lead) {
            // One body, not the office itself (it does the chasing).
            if units.get(&r.unit).is_some_and(|u| {
                !anwei_core::reports::is_collective(&u.name)
                    && u.kind != anwei_core::UnitKind::Office
            }) {
                *counts.entry(r.unit.as_str()).or_default() += 1;
            }
        }
    }
    let mut busiest: Vec<(&str, usize)> = counts.into_iter().collect();
    busiest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    // Four units (fewer leads: some take two parts).
    let lead: Vec<String> = busiest
        .iter()
        .take(4)
        .map(|(u, _)| (*u).to_owned())
        .collect();
    if lead.is_empty() {
        return Vec::new();
    }
    let u: Vec<String> = (0..4).map(|i| lead[i % lead.len()].clone()).collect();
    let year = scope.campaign.start.year() + 1;
    let day = |m: u32, d: u32| {
        NaiveDate::from_ymd_opt(year, m, d)
            .unwrap_or(scope.campaign.start)
            .clamp(scope.campaign.start, scope.campaign.end)
    };
    let office = format!("{}安全生产委员会办公室", scope.campaign.region);
    let check = |date: NaiveDate, passed: bool, note: &str| Check {
        date,
        passed,
        by: "区安委办检查组".to_owned(),
        note: note.to_owned(),
    };
    let step = |step: Step, date: NaiveDate, note: &str| StepTaken {
        step,
        date,
        note: note.to_owned(),
        document: None,
        actor: anwei_core::demo::DEMO_AUTHOR.to_owned(),
    };
    let item =
        |id: u64, title: &str, unit: &str, source: (SourceKind, &str), opened, deadline| Item {
            id,
            title: title.to_owned(),
            source: Source {
                kind: source.0,
                reference: source.1.to_owned(),
                task: None,
                milestone: None,
                hazard: None,
            },
            level: Level::District,
            unit: unit.to_owned(),
            supervisor: office.clone(),
            acceptor: office.clone(),
            opened,
            deadline,
            steps: Vec::new(),
            received: Some(opened + Days::new(2)),
            completed: None,
            checks: Vec::new(),
            explanations: Vec::new(),
            closed: None,
            lookback: None,
            author: String::new(),
            created_at: String::new(),
        };
    let meeting = (SourceKind::Meeting, "区安委会2021年第1次全体会议");
    let inspection = (SourceKind::Inspection, "市安委会第二督导组反馈问题清单");
    // 1: closed after a passed 验收, its 回头看 done.
    let mut i1 = item(
        1,
        "完成辖区加油站安全评估复核",
        &u[0],
        meeting,
        day(2, 20),
        day(5, 31),
    );
    i1.completed = Some(Dated {
        date: day(5, 20),
        text: "已完成全部加油站复核，整改问题12项".to_owned(),
    });
    i1.checks
        .push(check(day(5, 28), true, "资料齐全，现场抽查合格"));
    i1.closed = Some(day(6, 1));
    i1.lookback = Some(Lookback {
        due: day(7, 1),
        done: Some(check(day(7, 2), true, "未反弹")),
    });
    // 2: completed, awaiting 验收.
    let mut i2 = item(
        2,
        "建立燃气经营企业安全管理台账",
        &u[1],
        meeting,
        day(3, 1),
        day(9, 30),
    );
    i2.completed = Some(Dated {
        date: day(9, 25),
        text: "台账已建立，覆盖全部燃气经营企业".to_owned(),
    });
    // 3: late, up the ladder to 督办函, a written explanation.
    let mut i3 = item(
        3,
        "整改道路交通隐患路段并设置警示设施",
        &u[2],
        inspection,
        day(4, 10),
        day(7, 31),
    );
    i3.steps = vec![
        step(Step::Remind, day(8, 1), "电话提醒分管领导"),
        step(Step::Press, day(8, 9), "发催办单"),
        step(Step::Letter, day(8, 17), "发督办函"),
    ];
    i3.explanations.push(Dated {
        date: day(8, 20),
        text: "施工单位进场延误，已调整计划".to_owned(),
    });
    // 4: failed its 验收, back to work.
    let mut i4 = item(
        4,
        "完善工业园区应急物资储备",
        &u[3],
        inspection,
        day(4, 10),
        day(10, 31),
    );
    i4.completed = Some(Dated {
        date: day(10, 20),
        text: "已补充应急物资".to_owned(),
    });
    i4.checks
        .push(check(day(10, 28), false, "物资清单与实物不符"));
    // 5: not yet received, late: the 提醒 is due.
    let mut i5 = item(
        5,
        "报送危险化学品重大危险源包保责任人名单",
        &u[0],
        meeting,
        day(11, 1),
        day(11, 30),
    );
    i5.received = None;
    let circular =
        |id: u64, number: u32, date: NaiveDate, named: &[&String], title: &str| Circular {
            id,
            year,
            number,
            date,
            kind: CircularKind::Quarterly,
            title: title.to_owned(),
            summary: "各成员单位按照三年行动部署推进专项整治，部分单位进度滞后。".to_owned(),
            named: named
                .iter()
                .map(|unit| Named {
                    unit: (*unit).clone(),
                    member: true,
                    issue: "督办事项未按期完成".to_owned(),
                })
                .collect(),
            follow_up: String::new(),
            items: Vec::new(),
            voided: None,
            author: String::new(),
            created_at: String::new(),
        };
    let hazard =
        |id: u64, place: &str, text: &str, unit: &str, found: NaiveDate, deadline: NaiveDate| {
            Hazard {
                id,
                found,
                found_by: "区安委办检查组".to_owned(),
                place: place.to_owned(),
                sector: None,
                category: String::new(),
                standard: None,
                clause: None,
                description: text.to_owned(),
                grade: HazardGrade::General,
                unit: unit.to_owned(),
                registered: found,
                deadline,
                plan: None,
                rechecks: Vec::new(),
                closed: None,
                item: None,
                tasks: Vec::new(),
                author: String::new(),
                created_at: String::new(),
            }
        };
    let five = |deadline: NaiveDate, date: NaiveDate| FiveInPlace {
        responsible: "企业主要负责人".to_owned(),
        measures: "按检查意见逐项整改".to_owned(),
        funds: "企业自筹2万元".to_owned(),
        deadline,
        contingency: "整改期间停用相关设施，专人值守".to_owned(),
        date,
    };
    let mut h1 = hazard(
        1,
        "某加油站",
        "卸油区静电接地装置损坏",
        &u[0],
        day(3, 5),
        day(4, 5),
    );
    h1.plan = Some(five(day(4, 5), day(3, 6)));
    h1.rechecks.push(check(day(4, 3), true, "复查合格"));
    h1.closed = Some(day(4, 4));
    let mut h2 = hazard(
        2,
        "某物流仓库",
        "消防通道堆放货物",
        &u[1],
        day(9, 1),
        day(9, 30),
    );
    h2.plan = Some(five(day(9, 30), day(9, 2)));
    let h3 = hazard(
        3,
        "某建筑工地",
        "塔吊限位装置失效",
        &u[1],
        day(10, 8),
        day(11, 8),
    );
    vec![
        SupRow::Item(i1),
        SupRow::Item(i2),
        SupRow::Item(i3),
        SupRow::Item(i4),
        SupRow::Item(i5),
        SupRow::Circular(circular(
            1,
            1,
            day(4, 10),
            &[&u[2]],
            "关于一季度专项整治工作推进情况的通报",
        )),
        SupRow::Circular(circular(
            2,
            2,
            day(7, 10),
            &[&u[2], &u[3]],
            "关于二季度专项整治工作推进情况的通报",
        )),
        SupRow::Circular(circular(
            3,
            3,
            day(10, 10),
            &[&u[3]],
            "关于三季度专项整治工作推进情况的通报",
        )),
        SupRow::Talk(Talk {
            id: 1,
            date: day(10, 20),
            unit: u[3].clone(),
            persons: "分管负责同志".to_owned(),
            by: "区安委办主任".to_owned(),
            issues: "年内两次被通报，督办事项验收未通过".to_owned(),
            commitments: "一个月内完成整改并书面报告".to_owned(),
            follow_up: Some(day(11, 20)),
            item: None,
            author: String::new(),
            created_at: String::new(),
        }),
        SupRow::Hazard(h1),
        SupRow::Hazard(h2),
        SupRow::Hazard(h3),
        SupRow::ListEntry(ListEntry {
            id: 1,
            list: ListKind::Problems,
            unit: u[1].clone(),
            text: "老旧小区消防通道被占用".to_owned(),
            measures: "清理占道，设置禁停标志".to_owned(),
            deadline: Some(day(12, 31)),
            tasks: Vec::new(),
            hazards: vec![2],
            done: None,
            date: day(9, 2),
            author: String::new(),
            created_at: String::new(),
        }),
        SupRow::ListEntry(ListEntry {
            id: 2,
            list: ListKind::Measures,
            unit: u[1].clone(),
            text: "建立消防通道日常巡查制度".to_owned(),
            measures: "每周巡查一次，记录存档".to_owned(),
            deadline: Some(day(10, 31)),
            tasks: Vec::new(),
            hazards: Vec::new(),
            done: Some(Dated {
                date: day(10, 15),
                text: "制度已印发".to_owned(),
            }),
            date: day(9, 2),
            author: String::new(),
            created_at: String::new(),
        }),
        SupRow::Reward(Reward {
            id: 1,
            date: day(9, 1),
            reporter: "举报人（匿名）A01".to_owned(),
            content: "某物流仓库消防通道堆放货物".to_owned(),
            hazard: Some(2),
            tier: RewardTier::Ordinary,
            amount: 200,
            paid: Some(Dated {
                date: day(9, 20),
                text: "转账发放".to_owned(),
            }),
            author: String::new(),
            created_at: String::new(),
        }),
    ]
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
        // The 督办 registers: five items, three 通报, within 麒麟区's campaign, units there are.
        let regs = anwei_core::supervision::Registers::from_rows(a.supervision.clone());
        assert_eq!((regs.items.len(), regs.circulars.len()), (5, 3));
        let qilin = &scopes[0].campaign;
        assert!(regs.items.iter().all(|i| {
            (qilin.start..=qilin.end).contains(&i.opened) && units.get(&i.unit).is_some()
        }));
        assert!(
            regs.circular_counts(2021).values().any(|n| *n >= 2),
            "the 5 % rule shows"
        );
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
