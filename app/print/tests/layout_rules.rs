#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Layout rules checked on the Document model: line breaking, rows kept whole, coverage.

mod common;

use std::collections::{BTreeSet, HashMap};

use anwei_print::text::{NO_LINE_END, NO_LINE_START, break_lines};
use anwei_print::{FontRole, PageSetup, progress_report, task_cell_text, task_division_table};
use common::*;

/// Every text the documents print from the demo campaign.
fn demo_texts() -> Vec<String> {
    let d = demo();
    let mut texts: Vec<String> = d.data.tasks.iter().map(task_cell_text).collect();
    texts.extend(d.data.tasks.iter().map(|t| t.title.clone()));
    texts.extend(d.data.tasks.iter().map(|t| t.deadline_text()));
    texts.extend(d.data.plans.iter().map(|p| p.title.clone()));
    texts.extend(d.data.units.iter().map(|u| u.name.clone()));
    texts.push(d.data.campaign.name.clone());
    texts
}

fn check_kinsoku(lines: &[String], context: &str) {
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            let first = line.chars().next();
            assert!(
                !first.is_some_and(|c| NO_LINE_START.contains(&c)),
                "{context}: line {i} starts with {first:?}: {lines:#?}"
            );
        }
        if i + 1 < lines.len() {
            let last = line.chars().last();
            assert!(
                !last.is_some_and(|c| NO_LINE_END.contains(&c)),
                "{context}: line {i} ends with {last:?}: {lines:#?}"
            );
        }
    }
}

#[test]
fn no_demo_text_breaks_against_the_kinsoku_rules_at_any_width() {
    let fonts = fonts();
    let measure = |s: &str| fonts.width_mm(FontRole::Body, 12.0, s);
    let mut checked = 0;
    for text in demo_texts() {
        for width in [12.0_f32, 17.0, 23.5, 30.0, 44.0, 61.0, 87.0, 108.0, 131.5] {
            let lines = break_lines(&text, width, &measure);
            // Nothing lost or reordered (only trailing spaces of lines are dropped).
            let joined: String = lines.concat();
            assert_eq!(
                joined.replace(' ', ""),
                text.replace(['\n', ' '], ""),
                "width {width}"
            );
            for l in &lines {
                // Only hanging closing marks may pass the measure.
                let core = l.trim_end_matches(|c| NO_LINE_START.contains(&c));
                assert!(
                    measure(core) <= width + 0.01 || core.chars().count() <= 1,
                    "«{l}» wider than {width} mm"
                );
            }
            check_kinsoku(&lines, &format!("width {width}"));
            checked += 1;
        }
    }
    assert!(checked > 1000, "{checked}");
}

#[test]
fn a_final_percent_or_full_stop_is_never_alone_on_a_line() {
    let fonts = fonts();
    let measure = |s: &str| fonts.width_mm(FontRole::Body, 12.0, s);
    let one = measure("中");
    for text in [
        "企业安全生产标准化达标率达到100%",
        "制定实施安全生产和职业健康专项规划。",
    ] {
        // Widths at which the text's body exactly fills whole lines, so the last mark
        // would land alone on the next line without the rules.
        let body: String = text.chars().take(text.chars().count() - 1).collect();
        for n in 3..=body.chars().count() {
            let width = measure(&body.chars().take(n).collect::<String>()) + one * 0.2;
            let lines = break_lines(text, width, &measure);
            let last = lines.last().unwrap();
            assert!(
                last.chars().count() > 1 || text.chars().count() == 1,
                "{lines:?}"
            );
            check_kinsoku(&lines, text);
        }
    }
}

#[test]
fn the_document_lines_obey_the_rules_too() {
    // Rebuild each printed line from its runs (a line may be several runs when a character
    // comes from a fallback face): same baseline, each run starting where the last ended.
    let d = demo();
    for plan in ["reform", "topic-1", "topic-2"] {
        let doc = task_division_table(&d.print_data(), fonts(), Some(plan), None).unwrap();
        let mut lines = 0;
        for page in &doc.pages {
            let mut runs: Vec<_> = page.texts().collect();
            runs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
            let mut line = String::new();
            let mut prev: Option<(f32, f32)> = None; // (y, end x)
            for r in runs {
                let joined =
                    prev.is_some_and(|(y, end)| (y - r.y).abs() < 0.01 && (end - r.x).abs() < 0.05);
                if !joined && !line.is_empty() {
                    let first = line.chars().next();
                    assert!(
                        !first.is_some_and(|c| NO_LINE_START.contains(&c)),
                        "{plan}: «{line}»"
                    );
                    lines += 1;
                    line.clear();
                }
                line.push_str(&r.text);
                prev = Some((r.y, r.x + r.width));
            }
        }
        assert!(lines > 50, "{plan}: {lines} lines");
    }
}

/// The bottom of the content on each page of a table document (the lowest mark).
fn content_bottoms(doc: &anwei_print::Document) -> Vec<f32> {
    let mut bottoms = vec![0.0f32; doc.pages.len()];
    for m in &doc.marks {
        bottoms[m.page] = bottoms[m.page].max(m.bottom);
    }
    bottoms
}

#[test]
fn rows_are_placed_in_order_and_split_only_between_lines() {
    let d = demo();
    let mut split = 0;
    for plan in &d.data.plans {
        split += rows_of_plan_placed(&plan.id);
    }
    assert!(split > 0, "no row of the demo's tables was split");
}

/// Checks the rows of one plan's table; returns how many were split across pages.
fn rows_of_plan_placed(plan: &str) -> usize {
    let d = demo();
    let doc = task_division_table(&d.print_data(), fonts(), Some(plan), None).unwrap();
    let setup = PageSetup::LANDSCAPE;
    let mut last_page = 0;
    let mut count = 0;
    let mut split = 0;
    for t in d.data.tasks.iter().filter(|t| t.plan == plan) {
        let key = format!("row:{}", t.id);
        let marks: Vec<_> = doc.marks_of(&key).collect();
        assert!(!marks.is_empty(), "{key} not placed");
        let m = marks[0];
        assert!(m.page >= last_page, "{key} out of order");
        last_page = marks[marks.len() - 1].page;
        for (i, part) in marks.iter().enumerate() {
            assert!(
                part.top >= setup.top - 0.01 && part.bottom <= setup.bottom() + 0.01,
                "{part:?}"
            );
            // No part of a split row is a single line (a line is 6.35 mm).
            if marks.len() > 1 {
                assert!(
                    part.bottom - part.top > 2.0 * 6.35,
                    "{key} part {i}: {part:?}"
                );
            }
            if i > 0 {
                assert_eq!(
                    part.page,
                    marks[i - 1].page + 1,
                    "{key}: parts on consecutive pages"
                );
            }
            // Every part of a split row but the last ends at the foot of its page: less
            // than a line above the type area's bottom edge, or two when a line was kept
            // back so that none is carried over alone (a line is 6.35 mm).
            if i + 1 < marks.len() {
                assert!(
                    setup.bottom() - part.bottom < 12.8,
                    "{key} part {i} ends {} mm above the foot",
                    setup.bottom() - part.bottom
                );
            }
        }
        // Every text of the row's first box is on that page, inside the box; the row's
        // head is in its first part and its end in its last.
        let text_in = |part: &anwei_print::Mark| -> String {
            doc.pages[part.page]
                .texts()
                .filter(|r| r.y > part.top && r.y < part.bottom)
                .map(|r| r.text.clone())
                .collect::<String>()
        };
        let printed = anwei_print::text::full_width_punctuation(&task_cell_text(t)).into_owned();
        let head: String = printed.chars().take(6).collect();
        assert!(
            text_in(m).contains(&head),
            "{key}: «{head}» not inside its box: {}",
            text_in(m)
        );
        if marks.len() > 1 {
            split += 1;
            let tail: String = printed
                .chars()
                .rev()
                .take(3)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let last = text_in(marks[marks.len() - 1]);
            assert!(
                last.contains(&tail),
                "{key}: «{tail}» not in its last part: {last}"
            );
            for part in &marks[1..] {
                let text = text_in(part);
                assert!(
                    text.starts_with(t.label.as_str()) && text.contains("（续）"),
                    "{key}: a continued part starts «{}»",
                    text.chars().take(12).collect::<String>()
                );
            }
        }
        count += 1;
    }
    assert_eq!(
        count,
        d.data.tasks.iter().filter(|t| t.plan == plan).count()
    );
    assert!(count > 0, "{plan}");
    // The header row is at the top of every page.
    for (i, page) in doc.pages.iter().enumerate() {
        let header: Vec<_> = doc
            .marks
            .iter()
            .filter(|m| m.key == "header" && m.page == i)
            .collect();
        assert_eq!(header.len(), 1, "page {}", i + 1);
        let first_row = doc
            .marks
            .iter()
            .filter(|m| m.page == i && m.key.starts_with("row:"))
            .map(|m| m.top)
            .fold(f32::MAX, f32::min);
        assert!(header[0].bottom <= first_row + 0.01, "page {}", i + 1);
        assert!(page.texts().any(|t| t.text == "序号"));
    }
    split
}

/// Tables do not waste paper: every page but the last is filled to within a short row
/// (two lines and a heading, about a sixth of the page) of its foot, and the table takes no more pages than its rows
/// need.
#[test]
fn task_tables_fill_their_pages() {
    let d = demo();
    let setup = PageSetup::LANDSCAPE;
    let mut plans: Vec<Option<&str>> = d.data.plans.iter().map(|p| Some(p.id.as_str())).collect();
    plans.push(None);
    for plan in plans {
        let doc = task_division_table(&d.print_data(), fonts(), plan, None).unwrap();
        let bottoms = content_bottoms(&doc);
        let n = bottoms.len();
        for (i, b) in bottoms.iter().enumerate().take(n - 1) {
            let empty = setup.bottom() - b;
            assert!(
                empty < 0.25 * setup.type_height,
                "{plan:?}: page {} of {n} is {:.0}% empty",
                i + 1,
                100.0 * empty / setup.type_height
            );
            // A plan's heading with the first two lines of its first row: 24 mm.
            assert!(
                empty < 25.0,
                "{plan:?}: page {} of {n} leaves {empty:.1} mm",
                i + 1
            );
        }
        // All rows' heights (each page's header aside) fit in this many pages.
        let content: f32 = doc
            .marks
            .iter()
            .filter(|m| m.key != "header")
            .map(|m| m.bottom - m.top)
            .sum();
        let first_top = doc
            .marks
            .iter()
            .find(|m| m.key == "header")
            .map_or(0.0, |m| m.top);
        let header_h = doc
            .marks
            .iter()
            .find(|m| m.key == "header")
            .map_or(0.0, |m| m.bottom - m.top);
        let room = setup.type_height - header_h;
        let needed = ((content + (first_top - setup.top)) / room).ceil() as usize;
        assert!(
            n <= needed + 1,
            "{plan:?}: {n} pages for {needed} pages of rows"
        );
        eprintln!("{plan:?}: {n} pages (rows need {needed})");
    }
}

#[test]
fn responsible_column_only_when_some_task_has_one() {
    let d = demo();
    let reform = task_division_table(&d.print_data(), fonts(), Some("reform"), None).unwrap();
    assert!(!reform.plain_text().contains("责任单位"));
    let topic = task_division_table(&d.print_data(), fonts(), Some("topic-1"), None).unwrap();
    assert!(topic.plain_text().contains("责任单位"));
    assert!(topic.plain_text().contains("附件1"));
    assert!(topic.plain_text().contains("(四)6"), "labels as written");
}

#[test]
fn bundled_fonts_cover_every_character_the_demo_prints() {
    let fonts = fonts();
    let mut missing: HashMap<FontRole, BTreeSet<char>> = HashMap::new();
    let d = demo();
    let mut all: Vec<String> = demo_texts();
    all.push(
        progress_report(&d.print_data(), fonts, &d.report_spec(None))
            .unwrap()
            .plain_text(),
    );
    for text in &all {
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            for role in FontRole::ALL {
                if !fonts.covers(role, c) {
                    missing.entry(role).or_default().insert(c);
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "characters without a glyph: {missing:?}"
    );
}

#[test]
fn seed_documents_are_covered_by_the_bundled_body_and_title_faces() {
    // The bundled faces were subset with every character of the seed documents; the body,
    // title and 楷 faces themselves (not the fallback) must have them — but for the small
    // tortoise-shell brackets ﹝﹞, which the 仿宋 (Zhuque Fangsong) lacks and the 宋 (Noto
    // Serif) prints — and every role's chain has them all.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("seed documents expected at {}: {e}", dir.display()));
    let fonts = fonts();
    let faces: Vec<_> = fonts
        .faces()
        .iter()
        .filter(|f| {
            matches!(
                f.info.role,
                FontRole::Body | FontRole::Title | FontRole::Kai
            )
        })
        .collect();
    assert_eq!(faces.len(), 3);
    let mut files = 0;
    for e in entries {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        files += 1;
        let printed = || {
            text.chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .filter(|&c| c != '\u{feff}' && c != '\u{200b}')
        };
        let lacking: BTreeSet<(FontRole, char)> = printed()
            .flat_map(|c| {
                faces
                    .iter()
                    .filter(move |f| !f.covers(c))
                    .map(move |f| (f.info.role, c))
            })
            .filter(|&(role, c)| !(role == FontRole::Body && matches!(c, '﹝' | '﹞')))
            .collect();
        assert!(lacking.is_empty(), "not in the bundled faces: {lacking:?}");
        for role in FontRole::ALL {
            let missing: BTreeSet<char> = printed().filter(|&c| !fonts.covers(role, c)).collect();
            assert!(missing.is_empty(), "{role:?} cannot print {missing:?}");
        }
    }
    assert!(files >= 5);
}

/// Titles break between words, never inside "三年行动" or "实施方案" (标题回行时词意完整),
/// at every measure a title is set in.
#[test]
fn titles_break_between_words() {
    use anwei_print::FontRole;
    use anwei_print::layout::{BODY_PITCH, Composer, SIZE_2HAO, TextStyle};
    let c = Composer::new(fonts(), anwei_print::PageSetup::PORTRAIT);
    let style = TextStyle::new(FontRole::Title, SIZE_2HAO, BODY_PITCH);
    let title = "曲靖市麒麟区煤矿安全专项整治三年行动实施方案";
    let words = ["三年行动", "实施方案", "专项整治"];
    let chars: Vec<char> = title.chars().collect();
    for width in (50..=156).step_by(2) {
        let lines = c.wrap_balanced(&style, title, width as f32);
        assert_eq!(lines.concat(), title, "width {width}");
        let mut at = 0;
        for l in &lines[..lines.len() - 1] {
            at += l.chars().count();
            for w in words {
                let n = w.chars().count();
                let split = (at.saturating_sub(n - 1)..at).any(|start| {
                    start + n <= chars.len()
                        && chars[start..start + n].iter().copied().eq(w.chars())
                        && start + n > at
                });
                assert!(!split, "width {width}: {lines:?} splits {w}");
            }
        }
    }
}
