#![allow(clippy::unwrap_used, clippy::expect_used)]
//! GB/T 9704-2012 measured on the printed page: the 督办通知书 rendered to pixels by poppler
//! (`pdftoppm`), its red 发文机关标志, 发文字号, red rule, title, 成文日期 and 版记 found
//! where the standard puts them.

mod common;

use anwei_print::{NoticeSpec, render_pdf, supervision_notice};
use chrono::NaiveDate;
use common::*;

/// Pixels per mm of the rasters.
const DPI: f32 = 150.0;
const PX_PER_MM: f32 = DPI / 25.4;
/// The type area: top, bottom, left, right (mm), and the body's line pitch.
const TOP: f32 = 37.0;
const BOTTOM: f32 = 37.0 + 225.0;
const LEFT: f32 = 28.0;
const RIGHT: f32 = 28.0 + 156.0;
const LINE: f32 = 225.0 / 22.0;

/// One page as RGB pixels.
struct Raster {
    w: usize,
    h: usize,
    px: Vec<u8>,
}

impl Raster {
    /// Page `page` (1-based) of `pdf`.
    fn of(pdf: &std::path::Path, page: usize) -> Raster {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("p");
        let p = page.to_string();
        let status = std::process::Command::new("pdftoppm")
            .args(["-r", "150", "-f", &p, "-l", &p, "-singlefile"])
            .arg(pdf)
            .arg(&out)
            .status()
            .unwrap();
        assert!(status.success());
        let bytes = std::fs::read(dir.path().join("p.ppm")).unwrap();
        // P6 <w> <h> 255 <raw RGB>
        let mut fields = Vec::new();
        let mut i = 0;
        while fields.len() < 4 {
            while bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let start = i;
            while !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            fields.push(String::from_utf8(bytes[start..i].to_vec()).unwrap());
        }
        assert_eq!(fields[0], "P6");
        let (w, h) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
        Raster {
            w,
            h,
            px: bytes[i + 1..].to_vec(),
        }
    }

    fn rgb(&self, x: usize, y: usize) -> (u8, u8, u8) {
        let o = 3 * (y * self.w + x);
        (self.px[o], self.px[o + 1], self.px[o + 2])
    }

    /// The rows (as mm from the top) holding at least `min` pixels that match `is`.
    fn rows(&self, min: usize, is: impl Fn((u8, u8, u8)) -> bool) -> Vec<f32> {
        (0..self.h)
            .filter(|&y| (0..self.w).filter(|&x| is(self.rgb(x, y))).count() >= min)
            .map(|y| y as f32 / PX_PER_MM)
            .collect()
    }
}

fn red((r, g, b): (u8, u8, u8)) -> bool {
    r > 180 && g < 90 && b < 90
}

fn dark((r, g, b): (u8, u8, u8)) -> bool {
    r < 110 && g < 110 && b < 110
}

/// Runs of consecutive rows (mm): (first, last).
fn bands(rows: &[f32]) -> Vec<(f32, f32)> {
    let step = 1.5 / PX_PER_MM;
    let mut out: Vec<(f32, f32)> = Vec::new();
    for &y in rows {
        match out.last_mut() {
            Some((_, last)) if y - *last <= step => *last = y,
            _ => out.push((y, y)),
        }
    }
    out
}

/// The issuing office of the measured notices.
const OFFICE: &str = "曲靖市麒麟区安全生产委员会办公室";

/// 麒安委办督〔2020〕5号 on the demo's overdue reform task 12, Arabic date.
fn notice_spec(required_action: String, contact: String, copy_to: &[&str]) -> NoticeSpec {
    let d = demo();
    let row = d
        .rows
        .iter()
        .find(|r| r.plan == "reform" && r.order == 12)
        .unwrap();
    NoticeSpec {
        task_id: row.id.clone(),
        doc_number: Some((2020, 5)),
        doc_prefix: "麒安委办督".into(),
        issuing_office: OFFICE.into(),
        recipient_unit: None,
        new_deadline: NaiveDate::from_ymd_opt(2020, 12, 31).unwrap(),
        required_action,
        contact,
        date: d.today,
        chinese_date: false,
        copy_to: copy_to.iter().map(|s| (*s).to_owned()).collect(),
    }
}

fn notice_pdf(copy_to: &[&str]) -> (tempfile::TempDir, std::path::PathBuf, usize) {
    let d = demo();
    let spec = notice_spec("立即研究部署，制定整改措施".into(), String::new(), copy_to);
    let doc = supervision_notice(&d.print_data(), fonts(), &spec).unwrap();
    let pages = doc.pages.len();
    let pdf = render_pdf(&doc, fonts(), &options()).unwrap();
    let (dir, path) = write_temp("notice.pdf", &pdf);
    (dir, path, pages)
}

#[test]
fn the_notices_head_sits_where_the_standard_puts_it() {
    let (_dir, pdf, _) = notice_pdf(&[]);
    let page = Raster::of(&pdf, 1);
    let red_bands = bands(&page.rows(1, red));
    // The 标志 (one line of red characters) and the red rule (a line the type area's width).
    let rule_rows = page.rows((150.0 * PX_PER_MM) as usize, red);
    let rule = rule_rows.first().copied().expect("a red rule");
    let rule_last = *rule_rows.last().unwrap();
    assert!(
        (rule_last - rule) < 1.0,
        "one rule, not thicker than 1 mm: {rule}–{rule_last}"
    );
    let mark = red_bands[0];
    assert!(mark.1 < rule, "{red_bands:?}");
    // 7.2.4: the 标志's top edge 35 mm below the top of the type area.
    assert!(
        (mark.0 - (TOP + 35.0)).abs() <= 1.5,
        "标志 top at {:.1} mm, not {:.1}",
        mark.0,
        TOP + 35.0
    );
    // The 发文字号 is the only dark text between the 标志 and the rule.
    let number: Vec<(f32, f32)> = bands(&page.rows(1, dark))
        .into_iter()
        .filter(|(a, b)| *a > mark.1 && *b < rule)
        .collect();
    assert_eq!(number.len(), 1, "{number:?}");
    let number = number[0];
    // 7.2.5: two blank lines between the 标志 and the 发文字号.
    let gap = number.0 - mark.1;
    assert!(
        (2.0 * LINE..=3.0 * LINE).contains(&gap),
        "标志 to 发文字号: {gap:.1} mm"
    );
    // 7.2.7: the rule 4 mm below the 发文字号.
    let below = rule - number.1;
    assert!(
        (3.0..=5.5).contains(&below),
        "发文字号 to rule: {below:.1} mm"
    );
    // 7.3.1: the title two blank lines below the rule.
    let title = bands(&page.rows(1, dark))
        .into_iter()
        .find(|(a, _)| *a > rule_last)
        .unwrap();
    let gap = title.0 - rule_last;
    assert!(
        (2.0 * LINE..=3.0 * LINE).contains(&gap),
        "rule to title: {gap:.1} mm"
    );
}

#[test]
fn the_dates_are_arabic_and_the_colophon_closes_the_last_page() {
    let (_dir, pdf, pages) = notice_pdf(&["市安委办", "区纪委监委"]);
    let text: String = poppler("pdftotext", &["-layout", path_str(&pdf), "-"])
        .split_whitespace()
        .collect();
    // 7.3.5: 成文日期 in Arabic numerals (the settings' default).
    assert!(text.contains("2020年11月20日"), "{text}");
    assert!(!text.contains("二〇二〇"), "{text}");
    // 7.4: 抄送 and 印发机关/印发日期 on the last page, its last rule on the type area's
    // bottom edge.
    let last_text: String = poppler(
        "pdftotext",
        &[
            "-f",
            &pages.to_string(),
            "-l",
            &pages.to_string(),
            path_str(&pdf),
            "-",
        ],
    )
    .split_whitespace()
    .collect();
    assert!(
        last_text.contains("抄送：市安委办，区纪委监委。"),
        "{last_text}"
    );
    assert!(
        last_text.contains("曲靖市麒麟区安全生产委员会办公室2020年11月20日印发"),
        "{last_text}"
    );
    let page = Raster::of(&pdf, pages);
    let full_width = ((RIGHT - LEFT - 2.0) * PX_PER_MM) as usize;
    let rules = bands(&page.rows(full_width, dark));
    // The table's grid is as wide; the colophon's three rules are the last three.
    assert!(rules.len() >= 3, "{rules:?}");
    let last = rules[rules.len() - 1];
    assert!(
        (last.1 - BOTTOM).abs() <= 1.0,
        "last rule at {:.1} mm, the type area ends at {BOTTOM}",
        last.1
    );
    // Three rules close the page: above 抄送, between it and 印发, and the last.
    let first = rules[rules.len() - 3];
    assert!(BOTTOM - first.0 < 3.0 * 8.0 + 1.0, "{rules:?}");
}

/// A notice too long for one page, even with its lines tightened, carries the last
/// paragraph of its text to the page of the 署名: the 署名 and the date never stand alone
/// on a page (7.3.5.1: the seal presses on text).
#[test]
fn the_signature_never_stands_alone_on_a_page() {
    let d = demo();
    let office = OFFICE;
    // Longer and longer requirements push the 署名 down across the page break.
    let mut split = 0;
    for n in 1..=24 {
        let contact = if n % 2 == 0 {
            "张明，电话：0874-3123456".into()
        } else {
            String::new()
        };
        let spec = notice_spec(
            "立即研究部署，逐项制定整改措施，明确责任人和完成时限".repeat(n),
            contact,
            &[],
        );
        let doc = supervision_notice(&d.print_data(), fonts(), &spec).unwrap();
        let (page, sig) = doc
            .pages
            .iter()
            .enumerate()
            .find_map(|(i, p)| {
                p.texts()
                    .find(|t| t.text == office && t.font == anwei_print::FontRole::Body)
                    .map(|t| (i, t.y))
            })
            .expect("the 署名");
        if page > 0 {
            split += 1;
        }
        // Lines of text above the 署名 on its page (distinct baselines of the body's runs).
        let mut above: Vec<i32> = doc.pages[page]
            .texts()
            .filter(|t| {
                t.kind == anwei_print::RunKind::Content
                    && t.font == anwei_print::FontRole::Body
                    && t.y < sig - 1.0
            })
            .map(|t| (t.y * 10.0) as i32)
            .collect();
        above.dedup();
        assert!(
            above.len() >= 2,
            "n = {n}: the 署名 on page {} has {} lines of text above it",
            page + 1,
            above.len()
        );
    }
    assert!(
        split >= 4,
        "the requirement pushed the 署名 over a page {split} times"
    );
}
