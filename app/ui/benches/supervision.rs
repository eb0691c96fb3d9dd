//! The supervision registers at a busy office's size: 10 000 督办事项, 50 000 hazards, 400
//! 通报 naming 40 member units, 2 000 tasks.
//!
//! `cargo bench -p anwei-ui --bench supervision` (release). Prints p50 / max in ms of: the
//! 督办事项 and hazard filters (target ≤ 50 ms), the year's 考核 sheets for the 40 units
//! (target ≤ 200 ms), 今日待办's supervision items, a frame of the 督办 tab's 督办事项 and
//! 隐患 views (target ≤ 8 ms), and the store's reading of the 60 000 rows as the desk opens.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anwei_core::accountability::{Ladder, Step};
use anwei_core::assessment::{Facts, sheets};
use anwei_core::supervision::{
    Check, Circular, CircularKind, Dated, FiveInPlace, Hazard, HazardFilter, HazardGrade,
    HazardState, Item, ItemFilter, ItemState, Level, Named, Registers, Source, SourceKind,
    StepTaken, SupRow, SupervisionRules,
};
use anwei_core::{
    Campaign, Phase, Plan, PlanKind, Role, Task, Unit, UnitDirectory, UnitKind, UnitRole,
    parse_deadline,
};
use anwei_store::Settings;
use anwei_ui::DeskModel;
use anwei_ui::panels::{SupervisionState, supervision_panel};
use chrono::NaiveDate;

const ITEMS: u64 = 10_000;
const HAZARDS: u64 = 50_000;
const UNITS: usize = 40;
const RUNS: usize = 30;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn unit(n: u64) -> String {
    format!("u{:04}", n % UNITS as u64 + 1)
}

fn registers() -> Registers {
    let day0 = d(2024, 1, 1);
    let at = |n: u64| day0 + chrono::Days::new(n % 900);
    let check = |date: NaiveDate, passed: bool| Check {
        date,
        passed,
        by: "检查组".into(),
        note: if passed { "合格" } else { "未整改到位" }.into(),
    };
    let items = (1..=ITEMS)
        .map(|n| {
            let opened = at(n);
            let deadline = opened + chrono::Days::new(60);
            let stage = n % 5;
            Item {
                id: n,
                title: format!("第{n}项督办：整改重点行业领域安全隐患"),
                source: Source {
                    kind: SourceKind::Meeting,
                    reference: format!("区安委会第{}次会议", n % 40 + 1),
                    task: None,
                    milestone: None,
                    hazard: None,
                },
                level: Level::District,
                unit: unit(n),
                supervisor: "区安委办".into(),
                acceptor: "区安委办".into(),
                opened,
                deadline,
                steps: if n % 3 == 0 {
                    vec![StepTaken {
                        step: Step::Remind,
                        date: deadline + chrono::Days::new(1),
                        note: String::new(),
                        document: None,
                        actor: "t".into(),
                    }]
                } else {
                    Vec::new()
                },
                received: (stage > 0).then_some(opened + chrono::Days::new(2)),
                completed: (stage > 1).then(|| Dated {
                    date: deadline - chrono::Days::new(5),
                    text: "已整改".into(),
                }),
                checks: if stage > 2 {
                    vec![check(deadline, stage != 3)]
                } else {
                    Vec::new()
                },
                explanations: Vec::new(),
                closed: (stage == 4).then_some(deadline + chrono::Days::new(1)),
                lookback: None,
                author: "t".into(),
                created_at: String::new(),
            }
        })
        .collect();
    let hazards = (1..=HAZARDS)
        .map(|n| {
            let found = at(n);
            let deadline = found + chrono::Days::new(30);
            let stage = n % 4;
            Hazard {
                id: n,
                found,
                found_by: "检查组".into(),
                place: format!("第{}家企业", n % 3000 + 1),
                sector: Some("hazardous-chemicals".into()),
                category: ["消防", "电气", "储存", "特种设备"][(n % 4) as usize].into(),
                standard: None,
                clause: None,
                description: "安全设施不符合要求".into(),
                grade: if n % 50 == 0 {
                    HazardGrade::Major
                } else {
                    HazardGrade::General
                },
                unit: unit(n),
                registered: found,
                deadline,
                plan: (stage > 0).then(|| FiveInPlace {
                    responsible: "企业负责人".into(),
                    measures: "整改".into(),
                    funds: "1万元".into(),
                    deadline,
                    contingency: "停用".into(),
                    date: found,
                }),
                rechecks: if stage > 1 {
                    vec![check(deadline, true)]
                } else {
                    Vec::new()
                },
                closed: (stage == 3).then_some(deadline),
                item: None,
                tasks: Vec::new(),
                author: "t".into(),
                created_at: String::new(),
            }
        })
        .collect();
    let circulars = (1..=400u64)
        .map(|n| Circular {
            id: n,
            year: 2025,
            number: u32::try_from(n).unwrap(),
            date: d(2025, 1, 1) + chrono::Days::new(n % 360),
            kind: CircularKind::Progress,
            title: format!("第{n}期通报"),
            summary: String::new(),
            named: (0..3)
                .map(|k| Named {
                    unit: unit(n * 7 + k),
                    member: true,
                    issue: "进度滞后".into(),
                })
                .collect(),
            follow_up: String::new(),
            items: Vec::new(),
            voided: None,
            author: "t".into(),
            created_at: String::new(),
        })
        .collect();
    Registers {
        items,
        hazards,
        circulars,
        ..Registers::default()
    }
}

fn model(registers: Registers, today: NaiveDate) -> DeskModel {
    let campaign = Campaign {
        id: "bench".into(),
        name: "安全生产治本攻坚三年行动（基准测试）".into(),
        region: "某区".into(),
        start: d(2024, 1, 1),
        end: d(2026, 12, 31),
        phases: vec![Phase {
            name: "全面推进".into(),
            start: d(2024, 1, 1),
            end: d(2026, 12, 31),
        }],
        milestones: Vec::new(),
        actions: Vec::new(),
        note: String::new(),
        archived: false,
    };
    let plans: Vec<Plan> = (1..=10)
        .map(|i| Plan {
            annotations: Default::default(),
            id: format!("plan-{i}"),
            campaign: "bench".into(),
            order: i,
            code: format!("附件{i}"),
            kind: PlanKind::Sector,
            title: format!("第{i}个方案"),
            goals: String::new(),
            source: String::new(),
            phases: vec![],
            sector: None,
        })
        .collect();
    let units: Vec<Unit> = (1..=UNITS)
        .map(|i| Unit {
            alias_sources: Vec::new(),
            id: format!("u{i:04}"),
            name: format!("区第{i}局"),
            aliases: Vec::new(),
            kind: UnitKind::Department,
        })
        .collect();
    let deadlines = ["2024年底前", "2025年6月", "2025年底前", "2026年"];
    let tasks: Vec<Task> = (0..2_000usize)
        .map(|i| {
            let plan = i % 10 + 1;
            let order = u32::try_from(i / 10 + 1).unwrap();
            Task {
                id: format!("plan-{plan}/{order}"),
                plan: format!("plan-{plan}"),
                order,
                label: format!("({order})"),
                section: String::new(),
                title: format!("第{i}项任务"),
                text: String::new(),
                roles_text: None,
                roles: vec![UnitRole {
                    unit: unit(i as u64),
                    role: Role::Lead,
                    note: None,
                }],
                deadlines: vec![parse_deadline(deadlines[i % 4], Some(2024)).unwrap()],
                phase: None,
            }
        })
        .collect();
    let mut m = DeskModel::from_parts(
        Some(campaign),
        plans,
        tasks,
        UnitDirectory::new(units).unwrap(),
        HashMap::new(),
        Settings::default(),
        today,
    );
    m.set_registers(registers);
    m
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{what:<44} p50 {:>8.2} ms   max {:>8.2} ms",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1])
    );
}

fn time(what: &str, mut f: impl FnMut()) {
    f();
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    report(what, &mut times);
}

fn frames(what: &str, model: &DeskModel, mut state: SupervisionState) {
    let ctx = egui::Context::default();
    anwei_ui::install_fonts(&ctx);
    let mut actions = Vec::new();
    let plugins = anwei_ui::PluginsView::default();
    let mut run = |state: &mut SupervisionState| {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1500.0, 950.0),
            )),
            ..Default::default()
        };
        let t = Instant::now();
        let mut out = ctx.run_ui(input, |ui| {
            egui::CentralPanel::default().show(ui, |ui| {
                supervision_panel(ui, model, &plugins, state, &mut actions);
            });
        });
        let shapes = std::mem::take(&mut out.shapes);
        let primitives = ctx.tessellate(shapes, out.pixels_per_point);
        let elapsed = t.elapsed();
        drop(primitives);
        out.drop_without_applying_deltas();
        elapsed
    };
    let first = run(&mut state);
    let mut times: Vec<Duration> = (0..RUNS).map(|_| run(&mut state)).collect();
    println!("{what:<44} first {:>6.2} ms", first.as_secs_f64() * 1e3);
    report(&format!("{what}（之后各帧）"), &mut times);
}

fn main() {
    let today = d(2025, 9, 1);
    let regs = registers();
    let ladder = Ladder::default();
    println!(
        "督办事项 {} 项，隐患 {} 项，通报 {} 期，单位 {UNITS} 个，任务 2000 项",
        regs.items.len(),
        regs.hazards.len(),
        regs.circulars.len()
    );
    time("督办事项筛选：逾期未完成", || {
        let f = ItemFilter {
            overdue: true,
            ..ItemFilter::default()
        };
        std::hint::black_box(f.apply(&regs.items, &ladder, today).len());
    });
    time("督办事项筛选：该升级督办 + 单位", || {
        let f = ItemFilter {
            step_due: true,
            unit: Some("u0007".into()),
            ..ItemFilter::default()
        };
        std::hint::black_box(f.apply(&regs.items, &ladder, today).len());
    });
    time("督办事项筛选：状态 + 字词", || {
        let f = ItemFilter {
            state: Some(ItemState::AwaitingCheck),
            text: "第3次会议".into(),
            ..ItemFilter::default()
        };
        std::hint::black_box(f.apply(&regs.items, &ladder, today).len());
    });
    time("隐患筛选：逾期未整改", || {
        let f = HazardFilter {
            overdue: true,
            ..HazardFilter::default()
        };
        std::hint::black_box(f.apply(&regs.hazards, today).len());
    });
    time("隐患筛选：状态 + 等级 + 字词", || {
        let f = HazardFilter {
            state: Some(HazardState::Rectifying),
            grade: Some(HazardGrade::Major),
            text: "储存".into(),
            ..HazardFilter::default()
        };
        std::hint::black_box(f.apply(&regs.hazards, today).len());
    });
    time("今日待办的督办项", || {
        std::hint::black_box(
            anwei_core::today::supervision_todos(&regs, &ladder, today, &|u| u.to_owned()).len(),
        );
    });
    let m = model(regs.clone(), today);
    let rules = SupervisionRules::default();
    let units: Vec<(String, String)> = m
        .units
        .units()
        .iter()
        .map(|u| (u.id.clone(), u.name.clone()))
        .collect();
    time("2025年度考核表（40 个单位）", || {
        let facts = Facts {
            year: 2025,
            today,
            rules: &rules,
            registers: &regs,
            rows: &m.rows,
            missed_targets: &[],
        };
        std::hint::black_box(sheets(&facts, &units).len());
    });
    frames("督办 tab：督办事项", &m, SupervisionState::default());
    let mut hz = SupervisionState::default();
    hz.open("hazard:1");
    frames("督办 tab：隐患闭环", &m, hz);

    // The store: writing the rows and reading them back as the desk opens.
    let dir = tempfile::tempdir().unwrap();
    let store = anwei_store::Store::open(dir.path()).unwrap();
    let rows: Vec<SupRow> = regs
        .items
        .iter()
        .cloned()
        .map(SupRow::Item)
        .chain(regs.hazards.iter().cloned().map(SupRow::Hazard))
        .chain(regs.circulars.iter().cloned().map(SupRow::Circular))
        .collect();
    let t = Instant::now();
    store.bench_put_supervision(&rows).unwrap();
    println!(
        "{:<44} {:>8.0} ms",
        "写入 60 400 行（一次）",
        t.elapsed().as_secs_f64() * 1e3
    );
    time("读出全部督办记录（打开工作台时）", || {
        std::hint::black_box(store.supervision_registers().unwrap().items.len());
    });
}
