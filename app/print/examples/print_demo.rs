//! Prints the demo documents to a folder: `cargo run -p anwei-print --example print_demo -- OUT_DIR`.

use std::collections::HashMap;
use std::path::PathBuf;

use anwei_core::{RowContext, StatusRules, UnitDirectory};
use anwei_print::{
    Fonts, NoticeSpec, PdfOptions, PrintData, progress_report, render_pdf, supervision_notice,
    task_division_table, write_pdf_file,
};
use chrono::NaiveDate;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "/tmp/anwei-print".into()),
    );
    std::fs::create_dir_all(&out)?;
    let data = anwei_exchange::wave1_demo()?;
    let units = UnitDirectory::new(data.units.clone())?;
    let today = NaiveDate::from_ymd_opt(2020, 11, 20).ok_or("date")?;
    let progress = HashMap::new();
    let ctx = RowContext {
        campaign: &data.campaign,
        plans: &data.plans,
        units: &units,
        progress: &progress,
        rules: StatusRules::default(),
        today,
        applicability: &anwei_core::Applicability::default(),

        deadlines: &Default::default(),
    };
    let rows = ctx.rows(&data.tasks);
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
    let fonts = Fonts::load()?;
    let opts = PdfOptions {
        creation_date: NaiveDate::from_ymd_opt(2020, 11, 20).and_then(|d| d.and_hms_opt(9, 0, 0)),
        author: "麒麟区安委办".into(),
    };
    let t = std::time::Instant::now();
    let reform = task_division_table(&pd, &fonts, Some("reform"), None)?;
    let bytes = render_pdf(&reform, &fonts, &opts)?;
    println!(
        "reform: {} pages, {} bytes, {:?}",
        reform.pages.len(),
        bytes.len(),
        t.elapsed()
    );
    write_pdf_file(&out.join("reform.pdf"), &bytes)?;
    let all = task_division_table(&pd, &fonts, None, Some("附件"))?;
    write_pdf_file(&out.join("campaign.pdf"), &render_pdf(&all, &fonts, &opts)?)?;
    let overdue = rows
        .iter()
        .find(|r| r.status == anwei_core::Status::Overdue && r.id == "reform/12")
        .ok_or("no overdue task")?;
    let spec = NoticeSpec {
        task_id: overdue.id.clone(),
        doc_number: Some((2020, 7)),
        doc_prefix: "麒安委办督".into(),
        issuing_office: "曲靖市麒麟区安全生产委员会办公室".into(),
        recipient_unit: None,
        new_deadline: NaiveDate::from_ymd_opt(2020, 12, 15).ok_or("date")?,
        required_action: "立即研究部署，制定整改措施，明确责任人和完成时限".into(),
        contact: "张明，电话：0874-3123456".into(),
        date: today,
        chinese_date: true,
        copy_to: Vec::new(),
    };
    let notice = supervision_notice(&pd, &fonts, &spec)?;
    write_pdf_file(
        &out.join("notice.pdf"),
        &render_pdf(&notice, &fonts, &opts)?,
    )?;
    let report = progress_report(
        &pd,
        &fonts,
        &anwei_print::ReportSpec {
            plan: None,
            recipient: "麒麟区安全生产委员会".into(),
            issuing_office: "麒麟区安全生产委员会办公室".into(),
            chinese_date: false,
            target_problems: Vec::new(),
        },
    )?;
    write_pdf_file(
        &out.join("report.pdf"),
        &render_pdf(&report, &fonts, &opts)?,
    )?;
    println!("fonts: {}", reform.faces_summary());
    println!("written to {}", out.display());
    Ok(())
}
