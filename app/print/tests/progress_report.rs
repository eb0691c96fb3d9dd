#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The 进展报告 states the progress people entered, the targets against their checkpoints,
//! and is addressed and signed — read back from the PDF with poppler.

mod common;

use anwei_print::{PageSetup, progress_report, render_pdf};
use common::*;

/// The report's text as pdftotext reads it, without the spaces of its layout.
fn report_text(plan: Option<&str>) -> (anwei_print::Document, String) {
    let d = demo();
    let doc = progress_report(&d.print_data(), fonts(), &d.report_spec(plan)).unwrap();
    let pdf = render_pdf(&doc, fonts(), &options()).unwrap();
    let (_dir, path) = write_temp("report.pdf", &pdf);
    (
        doc,
        squash(&poppler("pdftotext", &["-raw", path_str(&path), "-"])),
    )
}

#[test]
fn the_report_prints_the_latest_progress_with_percent_date_and_evidence() {
    let (_, text) = report_text(Some("reform"));
    // reform/1: the latest entry's text, its date, its evidence and its percent.
    assert!(
        text.contains("已完成全区企业摸底排查，建立隐患台账（2020年11月2日；佐证2份）"),
        "{text}"
    );
    assert!(text.contains("60%"), "{text}");
    // The earlier entry of the same task is not the latest.
    assert!(!text.contains("已召开专题会议部署"), "{text}");
    // reform/2 is done.
    assert!(text.contains("制度已印发实施"), "{text}");
    assert!(text.contains("已完成"), "{text}");
    // A task nobody reported on says so.
    assert!(text.contains("未报送进展"), "{text}");
    // Tasks are grouped by status, with counts.
    assert!(text.contains("逾期（"), "{text}");
    // No fixed sentence in place of the targets.
    assert!(!text.contains("另行报告"), "{text}");
}

#[test]
fn an_entry_dated_after_the_report_day_is_not_reported() {
    let (_, text) = report_text(Some("topic-1"));
    assert!(!text.contains("此条进展写于报告日之后"), "{text}");
    assert!(!text.contains("90%"), "{text}");
    // What was known on the day: the earlier entry's percent.
    assert!(text.contains("20%"), "{text}");
}

#[test]
fn targets_are_set_against_their_checkpoints_with_their_status() {
    let (doc, text) = report_text(Some("reform"));
    assert!(text.contains("目标指标完成情况"), "{text}");
    assert!(
        text.contains("重点行业领域企业安全生产标准化达标率"),
        "{text}"
    );
    // Checkpoints, the current value with its day, the status.
    assert!(text.contains("2020年达到60%"), "{text}");
    assert!(text.contains("2022年达到100%"), "{text}");
    assert!(text.contains("72.5%（2020年10月31日）"), "{text}");
    assert!(text.contains("较大以上生产安全事故起数"), "{text}");
    assert!(text.contains("≤0起"), "{text}");
    assert!(
        text.contains("逾期未达标") || text.contains("滞后"),
        "{text}"
    );
    // A per-town target names the towns that fall short (in its 状态 cell, the last
    // column: 22 of the 156 mm).
    let m = doc.marks_of("target:reform/t3").next().unwrap();
    let status_cell: String = doc.pages[m.page]
        .texts()
        .filter(|t| t.y > m.top && t.y < m.bottom && t.x > PageSetup::PORTRAIT.right() - 22.0)
        .map(|t| t.text.clone())
        .collect();
    assert_eq!(status_cell, "滞后：越州镇、东山镇");
    // The overview counts the targets by status.
    assert!(text.contains("设定量化指标3项"), "{text}");
    // The targets are laid out as a table (their rows are marked).
    assert!(doc.marks_of("target:reform/t1").next().is_some());
    assert!(doc.marks_of("target:reform/t3").next().is_some());
}

#[test]
fn a_plan_without_targets_prints_no_target_section() {
    let (_, text) = report_text(Some("topic-2"));
    assert!(!text.contains("目标指标完成情况"), "{text}");
    assert!(!text.contains("设定量化指标"), "{text}");
}

#[test]
fn the_report_is_addressed_and_signed_and_dated() {
    for plan in [None, Some("reform")] {
        let (doc, text) = report_text(plan);
        assert!(text.contains("麒麟区安全生产委员会："), "{plan:?}: {text}");
        assert!(text.contains("截至2020年11月20日"), "{plan:?}: {text}");
        // The 署名 and the Arabic 成文日期 close the text, on the last page.
        assert!(
            text.contains("麒麟区安全生产委员会办公室2020年11月20日"),
            "{plan:?}: {text}"
        );
        let last = doc.pages.last().unwrap();
        let setup = PageSetup::PORTRAIT;
        let date = last
            .texts()
            .find(|t| t.text.contains("2020年11月20日") && t.y > setup.top + 20.0)
            .expect("date on the last page");
        // 右空四字: the date ends four characters (3号, 16 pt) in from the right edge.
        let right = date.x + date.width;
        let four = 4.0 * 16.0 * 25.4 / 72.0;
        assert!(
            (setup.right() - four - right).abs() < 0.5,
            "date ends at {right} mm"
        );
        // Room for the seal: at least two blank lines between the text and the 署名.
        let office = last
            .texts()
            .filter(|t| t.text.contains("办公室") && t.y < date.y)
            .map(|t| t.y)
            .fold(f32::MIN, f32::max);
        let above = last
            .texts()
            .filter(|t| t.y < office - 1.0)
            .map(|t| t.y)
            .fold(f32::MIN, f32::max);
        if above > f32::MIN {
            assert!(
                office - above > 2.5 * 225.0 / 22.0,
                "{plan:?}: no room for the seal"
            );
        }
    }
}

#[test]
fn the_campaign_report_counts_tasks_per_plan_and_overdue_days() {
    let d = demo();
    let (doc, text) = report_text(None);
    for p in &d.data.plans {
        assert!(
            doc.marks_of(&format!("plan-status:{}", p.id))
                .next()
                .is_some(),
            "no count row for {}",
            p.id
        );
    }
    assert!(text.contains("合计"), "{text}");
    let overdue: Vec<_> = d
        .rows
        .iter()
        .filter(|r| r.status == anwei_core::Status::Overdue)
        .collect();
    assert!(!overdue.is_empty());
    assert!(
        text.contains(&format!("逾期任务（{}项）", overdue.len())),
        "{text}"
    );
    let r = overdue[0];
    assert!(doc.marks_of(&format!("overdue:{}", r.id)).next().is_some());
    let days = (d.today - r.due).num_days();
    assert!(text.contains(&days.to_string()), "{text}");
}

#[test]
fn headings_in_kai_are_set_in_another_face_than_the_body() {
    let d = demo();
    let doc = progress_report(&d.print_data(), fonts(), &d.report_spec(None)).unwrap();
    let pdf = render_pdf(&doc, fonts(), &options()).unwrap();
    let (_dir, path) = write_temp("report.pdf", &pdf);
    let listed = poppler("pdffonts", &[path_str(&path)]);
    // 仿宋 body, 楷体 headings ("（一）…", "截至…"), 宋体 page numbers: three faces.
    for face in ["ZhuqueFangsong", "WenKaiSubset", "NotoSerif"] {
        assert!(listed.contains(face), "{face} not in the PDF:\n{listed}");
    }
    let kai = doc
        .pages
        .iter()
        .flat_map(|p| p.texts())
        .find(|t| t.font == anwei_print::FontRole::Kai && t.text.contains("学习宣传"))
        .expect("a 楷体 heading");
    let body = doc
        .pages
        .iter()
        .flat_map(|p| p.texts())
        .find(|t| t.font == anwei_print::FontRole::Body && t.text.contains("现将"))
        .expect("body text");
    assert_ne!(kai.face, body.face);
}

#[test]
fn why_target_values_are_missing_is_said_in_the_report() {
    let d = demo();
    let mut spec = d.report_spec(Some("reform"));
    spec.target_problems = vec!["“煤矿台账”的指标数值尚未算完".to_owned()];
    let doc = progress_report(&d.print_data(), fonts(), &spec).unwrap();
    let text = doc.plain_text().replace('\n', "");
    assert!(text.contains("（“煤矿台账”的指标数值尚未算完）"), "{text}");
}
