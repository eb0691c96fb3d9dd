//! Frame time of the task panel with 10 000 tasks while scrolling.
//!
//! `cargo bench -p anwei-ui --bench task_table` (release) or
//! `cargo run -p anwei-ui --bench task_table` (debug). Prints p50 / p95 / max CPU time per
//! frame in ms, and checks that the filtered row list is not recomputed while scrolling.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::time::Instant;

use anwei_core::{
    Campaign, Phase, Plan, PlanKind, Role, Task, Unit, UnitDirectory, UnitKind, UnitRole,
    parse_deadline,
};
use anwei_store::Settings;
use anwei_ui::DeskModel;
use anwei_ui::panels::{TasksState, tasks_panel};
use chrono::NaiveDate;

const TASKS: usize = 10_000;
const FRAMES: usize = 300;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn model() -> DeskModel {
    let phases = vec![
        Phase {
            name: "动员部署".into(),
            start: d(2020, 4, 1),
            end: d(2020, 4, 30),
        },
        Phase {
            name: "排查整治".into(),
            start: d(2020, 5, 1),
            end: d(2020, 12, 31),
        },
        Phase {
            name: "集中攻坚".into(),
            start: d(2021, 1, 1),
            end: d(2021, 12, 31),
        },
        Phase {
            name: "巩固提升".into(),
            start: d(2022, 1, 1),
            end: d(2022, 12, 31),
        },
    ];
    let campaign = Campaign {
        id: "bench".into(),
        name: "安全生产专项整治三年行动（基准测试）".into(),
        region: "某区".into(),
        start: d(2020, 4, 1),
        end: d(2022, 12, 31),
        phases,
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
            title: format!("第{i}个专项整治实施方案"),
            goals: String::new(),
            source: String::new(),
            phases: vec![],
            sector: None,
        })
        .collect();
    let units: Vec<Unit> = (1..=200)
        .map(|i| Unit {
            alias_sources: Vec::new(),
            id: format!("u{i:04}"),
            name: format!("区第{i}局"),
            aliases: vec![format!("第{i}局")],
            kind: UnitKind::Department,
        })
        .collect();
    let deadlines = [
        "2020年8月15日前",
        "2020年底前",
        "2021年6月",
        "2022年",
        "2021年底前",
    ];
    let tasks: Vec<Task> = (0..TASKS)
        .map(|i| {
            let plan = i % 10 + 1;
            let order = u32::try_from(i / 10 + 1).unwrap();
            let title = format!(
                "第{i}项：深入排查整治重点行业领域安全风险隐患，建立问题隐患和制度措施“两个清单”，实行闭环管理"
            );
            Task {
                id: format!("plan-{plan}/{order}"),
                plan: format!("plan-{plan}"),
                order,
                label: format!("({}){}", order / 10 + 1, order % 10 + 1),
                section: String::new(),
                text: format!("{title}。各单位要按照职责分工抓好落实，定期报送进展情况。"),
                title,
                roles_text: None,
                roles: vec![
                    UnitRole {
                        unit: format!("u{:04}", i % 200 + 1),
                        role: Role::Lead,
                        note: None,
                    },
                    UnitRole {
                        unit: format!("u{:04}", (i * 7) % 200 + 1),
                        role: Role::Responsible,
                        note: None,
                    },
                ],
                deadlines: vec![parse_deadline(deadlines[i % deadlines.len()], Some(2020)).unwrap()],
                phase: None,
            }
        })
        .collect();
    DeskModel::from_parts(
        Some(campaign),
        plans,
        tasks,
        UnitDirectory::new(units).unwrap(),
        HashMap::new(),
        Settings::default(),
        d(2020, 9, 1),
    )
}

fn main() {
    let t0 = Instant::now();
    let model = model();
    println!(
        "model: {} tasks built in {:.1} ms",
        model.rows.len(),
        t0.elapsed().as_secs_f64() * 1000.0
    );
    let ctx = egui::Context::default();
    anwei_ui::install_fonts(&ctx);
    let mut state = TasksState::default();
    let mut actions = Vec::new();
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1400.0, 900.0));
    let over_table = egui::pos2(500.0, 500.0);
    let mut frame = |events: Vec<egui::Event>, state: &mut TasksState| {
        let input = egui::RawInput {
            screen_rect: Some(screen),
            events,
            ..Default::default()
        };
        let start = Instant::now();
        let mut output = ctx.run_ui(input, |ui| {
            egui::CentralPanel::default().show(ui, |ui| {
                tasks_panel(ui, &model, state, None, &mut actions);
            });
        });
        // Tessellation is part of a frame's CPU work too.
        let shapes = std::mem::take(&mut output.shapes);
        let primitives = ctx.tessellate(shapes, output.pixels_per_point);
        let elapsed = start.elapsed();
        drop(primitives);
        output.drop_without_applying_deltas();
        elapsed
    };
    // Warm-up: font atlas, first layout, the filter cache.
    for _ in 0..5 {
        frame(vec![egui::Event::PointerMoved(over_table)], &mut state);
    }
    let recomputed_before = state.recompute_count();
    let mut times = Vec::with_capacity(FRAMES);
    for i in 0..FRAMES {
        // Scroll down for most of the run, then back up part of the way.
        let dy = if i < FRAMES * 4 / 5 { -120.0 } else { 240.0 };
        let events = vec![
            egui::Event::PointerMoved(over_table),
            egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, dy),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
                modifiers: egui::Modifiers::NONE,
            },
        ];
        times.push(frame(events, &mut state).as_secs_f64() * 1000.0);
    }
    assert_eq!(
        state.recompute_count(),
        recomputed_before,
        "scrolling must not recompute the filtered rows"
    );
    assert_eq!(state.visible().len(), TASKS);
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!(
        "task table, {TASKS} tasks, {FRAMES} scrolling frames ({profile}): p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        pct(0.5),
        pct(0.95),
        times[times.len() - 1]
    );
}
