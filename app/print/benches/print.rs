//! `cargo bench -p anwei-print`: prints figures.
//!
//! 1. The reform table (57 rows): layout time, render time, PDF size
//!    (targets: ≤ 50 ms, ≤ 120 KB in release).
//! 2. A synthetic 2,000-row table.
//!
//! The comparison with LibreOffice, whole processes side by side, is
//! `cargo bench -p anwei --bench vs_libreoffice`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anwei_core::{
    Campaign, Plan, PlanKind, Role, RowContext, StatusRules, Task, UnitDirectory, UnitRole,
    parse_deadline,
};
use anwei_print::{Fonts, PdfOptions, PrintData, render_pdf, task_division_table};
use chrono::NaiveDate;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = anwei_exchange::wave1_demo()?;
    let units = UnitDirectory::new(data.units.clone())?;
    let today = NaiveDate::from_ymd_opt(2020, 11, 20).ok_or("date")?;
    let opts = PdfOptions {
        creation_date: today.and_hms_opt(9, 0, 0),
        author: String::new(),
    };
    let t = Instant::now();
    let fonts = Fonts::bundled()?;
    println!("Fonts::bundled(): {:.1} ms", ms(t.elapsed()));

    let progress = HashMap::new();
    let rows = RowContext {
        campaign: &data.campaign,
        plans: &data.plans,
        units: &units,
        progress: &progress,
        rules: StatusRules::default(),
        today,
        applicability: &anwei_core::Applicability::default(),

        deadlines: &Default::default(),
    }
    .rows(&data.tasks);
    let pd = PrintData {
        campaign: &data.campaign,
        plans: &data.plans,
        tasks: &data.tasks,
        units: &units,
        rows: &rows,
        latest: &progress,
        targets: &[],
        today,
    };

    // Cold: the first render parses the faces for the PDF library.
    let t = Instant::now();
    let doc = task_division_table(&pd, &fonts, Some("reform"), None)?;
    let pdf = render_pdf(&doc, &fonts, &opts)?;
    println!(
        "reform table, first run (parses faces): {:.1} ms, {} pages, {:.1} KB",
        ms(t.elapsed()),
        doc.pages.len(),
        pdf.len() as f64 / 1024.0
    );
    let n = 20;
    let (mut layout, mut render) = (Duration::ZERO, Duration::ZERO);
    let mut size = 0;
    for _ in 0..n {
        let t = Instant::now();
        let doc = task_division_table(&pd, &fonts, Some("reform"), None)?;
        layout += t.elapsed();
        let t = Instant::now();
        size = render_pdf(&doc, &fonts, &opts)?.len();
        render += t.elapsed();
    }
    let ours = (layout + render) / n;
    println!(
        "reform table (57 rows), mean of {n}: layout {:.1} ms + PDF {:.1} ms = {:.1} ms; {:.1} KB  [targets ≤ 50 ms, ≤ 120 KB]",
        ms(layout / n),
        ms(render / n),
        ms(ours),
        size as f64 / 1024.0
    );

    // 2,000 synthetic rows cycling through the demo texts.
    let (plan, tasks) = synthetic(&data.campaign, &data.tasks, 2000);
    let plans = vec![plan];
    let rows2 = RowContext {
        campaign: &data.campaign,
        plans: &plans,
        units: &units,
        progress: &progress,
        rules: StatusRules::default(),
        today,
        applicability: &anwei_core::Applicability::default(),

        deadlines: &Default::default(),
    }
    .rows(&tasks);
    let pd2 = PrintData {
        campaign: &data.campaign,
        plans: &plans,
        tasks: &tasks,
        units: &units,
        rows: &rows2,
        latest: &progress,
        targets: &[],
        today,
    };
    let t = Instant::now();
    let doc2 = task_division_table(&pd2, &fonts, Some("synthetic"), None)?;
    let l2 = t.elapsed();
    let t = Instant::now();
    let pdf2 = render_pdf(&doc2, &fonts, &opts)?;
    let r2 = t.elapsed();
    println!(
        "synthetic table (2,000 rows): layout {:.0} ms + PDF {:.0} ms = {:.0} ms; {} pages, {:.0} KB",
        ms(l2),
        ms(r2),
        ms(l2 + r2),
        doc2.pages.len(),
        pdf2.len() as f64 / 1024.0
    );

    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn synthetic(campaign: &Campaign, demo: &[Task], n: usize) -> (Plan, Vec<Task>) {
    let plan = Plan {
        annotations: Default::default(),
        id: "synthetic".into(),
        campaign: campaign.id.clone(),
        order: 1,
        code: "附件9".into(),
        kind: PlanKind::Workstream,
        title: "合成测试任务分工方案".into(),
        goals: String::new(),
        source: String::new(),
        phases: vec![],
        sector: None,
    };
    let tasks = (0..n)
        .map(|i| {
            let src = &demo[i % demo.len()];
            Task {
                id: format!("synthetic/{}", i + 1),
                plan: "synthetic".into(),
                order: u32::try_from(i + 1).unwrap_or(u32::MAX),
                label: (i + 1).to_string(),
                section: String::new(),
                title: src.title.clone(),
                text: src.text.clone(),
                roles_text: None,
                roles: src
                    .roles
                    .iter()
                    .filter(|r| r.role == Role::Lead)
                    .cloned()
                    .collect::<Vec<UnitRole>>(),
                deadlines: src
                    .deadlines
                    .first()
                    .cloned()
                    .or_else(|| parse_deadline("2021年底前", None).ok())
                    .into_iter()
                    .collect(),
                phase: None,
            }
        })
        .collect();
    (plan, tasks)
}
