//! Frame time of 今日待办, 看板, 时间轴 and 报送 with 10 plans and 2 000 tasks (a third with
//! progress entries spread over the campaign's months) and a 月报 owed by 60 units (most months
//! submitted: about 1 000 submissions), as of mid-campaign.
//!
//! `cargo bench -p anwei-ui --bench dashboard` (release). Prints, per panel, the first frame
//! (the board and the month-by-month trend computed) and p50 / p95 / max CPU time of the
//! following frames in ms, tessellation included (target ≤ 8 ms); and the time to keep
//! 今日待办 after one progress entry (the model's refresh of one row).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anwei_core::{
    Campaign, Phase, Plan, PlanKind, ProgressEntry, Role, Task, Unit, UnitDirectory, UnitKind,
    UnitRole, parse_deadline,
};
use anwei_store::Settings;
use anwei_ui::DeskModel;
use anwei_ui::panels::{
    BoardState, ReportsState, TimelineState, TodayState, board_panel, reports_panel,
    timeline_panel, today_panel,
};
use chrono::NaiveDate;

const TASKS: usize = 2_000;
const FRAMES: usize = 200;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn model() -> DeskModel {
    let phase = |name: &str, a: NaiveDate, b: NaiveDate| Phase {
        name: name.into(),
        start: a,
        end: b,
    };
    let campaign = Campaign {
        id: "bench".into(),
        name: "安全生产专项整治三年行动（基准测试）".into(),
        region: "某区".into(),
        start: d(2020, 4, 1),
        end: d(2022, 12, 31),
        phases: vec![
            phase("动员部署", d(2020, 4, 1), d(2020, 4, 30)),
            phase("排查整治", d(2020, 5, 1), d(2020, 12, 31)),
            phase("集中攻坚", d(2021, 1, 1), d(2021, 12, 31)),
            phase("巩固提升", d(2022, 1, 1), d(2022, 12, 31)),
        ],
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
    let units: Vec<Unit> = (1..=60)
        .map(|i| Unit {
            alias_sources: Vec::new(),
            id: format!("u{i:04}"),
            name: format!("区第{i}局"),
            aliases: Vec::new(),
            kind: UnitKind::Department,
        })
        .collect();
    let deadlines = [
        "2020年8月15日前",
        "2020年底前",
        "2021年6月",
        "2022年",
        "2021年底前",
        "2021年3月底前，2021年底前",
    ];
    let tasks: Vec<Task> = (0..TASKS)
        .map(|i| {
            let plan = i % 10 + 1;
            let order = u32::try_from(i / 10 + 1).unwrap();
            let dl = deadlines[i % deadlines.len()];
            Task {
                id: format!("plan-{plan}/{order}"),
                plan: format!("plan-{plan}"),
                order,
                label: format!("({}){}", order / 10 + 1, order % 10 + 1),
                section: String::new(),
                title: format!("第{i}项：深入排查整治重点行业领域安全风险隐患"),
                text: String::new(),
                roles_text: None,
                roles: vec![UnitRole {
                    unit: format!("u{:04}", i % 60 + 1),
                    role: Role::Lead,
                    note: None,
                }],
                deadlines: dl
                    .split('，')
                    .map(|t| parse_deadline(t, Some(2020)).unwrap())
                    .collect(),
                phase: None,
            }
        })
        .collect();
    let today = d(2021, 9, 1);
    let mut model = DeskModel::from_parts(
        Some(campaign),
        plans,
        tasks.clone(),
        UnitDirectory::new(units).unwrap(),
        HashMap::new(),
        Settings::default(),
        today,
    );
    // A third of the tasks have two entries, months apart; some of them done.
    let mut id = 0;
    for (i, t) in tasks.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
        let entry = |id: u64, date: NaiveDate, done: bool| ProgressEntry {
            milestone: None,
            id,
            task: t.id.clone(),
            date,
            text: "按计划推进".into(),
            percent: Some(if done { 100 } else { 40 }),
            done,
            evidence: Vec::new(),
            author: "基准".into(),
            created_at: String::new(),
            updated_at: String::new(),
            revision: 1,
        };
        let month = u32::try_from(i % 12).unwrap() + 1;
        id += 2;
        model.set_progress(
            &t.id,
            vec![
                entry(id, d(2020, month.max(5), 10), false),
                entry(id + 1, d(2021, month.min(8), 20), i % 2 == 0),
            ],
        );
    }
    // The office's 月报 (five days after each month), owed by every unit; most months of most
    // units submitted, one in six late, one in ten returned.
    let mut settings = model.settings.clone();
    settings
        .reporting
        .office_reports
        .push(anwei_core::reports::OfficeReport {
            id: "monthly".into(),
            name: "专项整治月报".into(),
            recurrence: anwei_core::Recurrence::Monthly,
            grace_days: 5,
            units: Vec::new(),
            campaign: None,
        });
    model.set_settings(settings);
    let mut subs = Vec::new();
    let mut n = 0u64;
    for u in 1..=60u32 {
        for (start, end) in anwei_core::Recurrence::Monthly.periods(d(2020, 4, 1), d(2021, 7, 31)) {
            n += 1;
            if n.is_multiple_of(7) {
                continue;
            }
            let due = end + chrono::Days::new(5);
            let date = if n.is_multiple_of(6) {
                due + chrono::Days::new(3)
            } else {
                due - chrono::Days::new(2)
            };
            subs.push(anwei_core::reports::Submission {
                id: 1_000_000 + n,
                unit: format!("u{u:04}"),
                report: "monthly".into(),
                period_start: start,
                period: anwei_core::calendar::period_label(
                    anwei_core::Recurrence::Monthly,
                    start,
                    end,
                ),
                due,
                date,
                what: "月报".into(),
                late_reason: n.is_multiple_of(6).then(|| "补报".into()),
                evidence: Vec::new(),
                review: if n.is_multiple_of(10) {
                    anwei_core::reports::Review::Returned {
                        date: due,
                        by: "基准".into(),
                        reason: "重报".into(),
                    }
                } else {
                    anwei_core::reports::Review::Accepted {
                        date: due,
                        by: "基准".into(),
                    }
                },
                author: "基准".into(),
                created_at: String::new(),
            });
        }
    }
    model.set_submissions(subs);
    model
}

fn run_frames(ctx: &egui::Context, mut draw: impl FnMut(&mut egui::Ui)) -> (Duration, Vec<f64>) {
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1400.0, 900.0));
    let mut frame = || {
        let input = egui::RawInput {
            screen_rect: Some(screen),
            events: vec![egui::Event::PointerMoved(egui::pos2(500.0, 400.0))],
            ..Default::default()
        };
        let start = Instant::now();
        let mut output = ctx.run_ui(input, |ui| {
            egui::CentralPanel::default().show(ui, |ui| draw(ui));
        });
        let shapes = std::mem::take(&mut output.shapes);
        let primitives = ctx.tessellate(shapes, output.pixels_per_point);
        let elapsed = start.elapsed();
        drop(primitives);
        output.drop_without_applying_deltas();
        elapsed
    };
    let first = frame();
    for _ in 0..5 {
        frame();
    }
    let mut times: Vec<f64> = (0..FRAMES)
        .map(|_| frame().as_secs_f64() * 1000.0)
        .collect();
    times.sort_by(f64::total_cmp);
    (first, times)
}

fn report(name: &str, first: Duration, times: &[f64]) {
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "{name}: first frame {:.2} ms; then p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms (target ≤ 8 ms)",
        first.as_secs_f64() * 1000.0,
        pct(0.5),
        pct(0.95),
        times[times.len() - 1]
    );
}

fn main() {
    let t = Instant::now();
    let mut model = model();
    println!(
        "model: {} tasks, {} to do, built in {:.1} ms",
        model.rows.len(),
        model.todos.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    let ctx = egui::Context::default();
    anwei_ui::install_fonts(&ctx);
    let mut actions = Vec::new();
    let mut today = TodayState::default();
    let (first, times) = run_frames(&ctx, |ui| today_panel(ui, &model, &mut today, &mut actions));
    report("今日待办, 2 000 tasks", first, &times);
    let mut board = BoardState::default();
    let (first, times) = run_frames(&ctx, |ui| board_panel(ui, &model, &mut board));
    assert_eq!(board.trend().len(), 18, "April 2020 to the day shown");
    report(
        "看板 (units × statuses, 18 months' trend), 2 000 tasks",
        first,
        &times,
    );
    let mut timeline = TimelineState::default();
    let (first, times) = run_frames(&ctx, |ui| timeline_panel(ui, &model, &mut timeline));
    report("时间轴 (10 plans' phases, 2 000 task lines)", first, &times);
    let mut reports = ReportsState::default();
    reports.open(&model, "monthly", Some(d(2021, 8, 5)));
    let (first, times) = run_frames(&ctx, |ui| {
        reports_panel(ui, &model, &mut reports, &mut actions);
    });
    report(
        &format!(
            "报送 (月报 of 60 units: {} periods owed, {} submissions; one period's units, the on-time table)",
            model.filings.len(),
            model.submissions.len()
        ),
        first,
        &times,
    );
    // One entry saved: its row, the stats and 今日待办 kept.
    let task = model.rows[1].id.clone();
    let entries = vec![ProgressEntry {
        milestone: None,
        id: 999_999,
        task: task.clone(),
        date: d(2021, 8, 30),
        text: "已完成".into(),
        percent: Some(100),
        done: true,
        evidence: Vec::new(),
        author: "基准".into(),
        created_at: String::new(),
        updated_at: String::new(),
        revision: 1,
    }];
    let t = Instant::now();
    model.set_progress(&task, entries);
    println!(
        "one progress entry: row, stats and 今日待办 kept in {:.2} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
}
