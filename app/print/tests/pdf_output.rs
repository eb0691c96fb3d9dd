#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The PDFs themselves, checked with poppler-utils: text, fonts, geometry, pixels, bytes.

mod common;

use anwei_core::Status;
use anwei_print::{
    Document, NoticeSpec, PageSetup, RunKind, progress_report, render_pdf, supervision_notice,
    task_division_table,
};
use chrono::NaiveDate;
use common::*;

fn reform() -> Document {
    task_division_table(&demo().print_data(), fonts(), Some("reform"), None).unwrap()
}

fn reform_pdf() -> &'static [u8] {
    static PDF: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    PDF.get_or_init(|| render_pdf(&reform(), fonts(), &options()).unwrap())
}

fn overdue_notice() -> (Document, &'static anwei_core::TaskRow, NoticeSpec) {
    let d = demo();
    let row = d
        .rows
        .iter()
        .find(|r| r.plan == "reform" && r.status == Status::Overdue && r.order == 12)
        .expect("reform task 12 (2018年) is overdue in 2020");
    let spec = NoticeSpec {
        task_id: row.id.clone(),
        doc_number: Some((2020, 17)),
        doc_prefix: "麒安委办督".into(),
        issuing_office: "曲靖市麒麟区安全生产委员会办公室".into(),
        recipient_unit: None,
        new_deadline: NaiveDate::from_ymd_opt(2020, 12, 31).unwrap(),
        required_action: "立即研究部署，制定整改措施".into(),
        contact: "张明，电话：0874-3123456".into(),
        date: d.today,
        chinese_date: true,
        copy_to: Vec::new(),
    };
    let doc = supervision_notice(&d.print_data(), fonts(), &spec).unwrap();
    (doc, row, spec)
}

#[test]
fn reform_table_has_all_57_rows_in_order_and_the_header_on_every_page() {
    let (_dir, path) = write_temp("reform.pdf", reform_pdf());
    let text = poppler("pdftotext", &["-layout", path_str(&path), "-"]);
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() >= 5, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        let header = page
            .lines()
            .find(|l| l.contains("序号"))
            .unwrap_or_else(|| panic!("page {} has no header row:\n{page}", i + 1));
        let cols: Vec<&str> = header.split_whitespace().collect();
        assert_eq!(
            cols,
            ["序号", "主要任务", "牵头单位", "完成时间"],
            "page {}",
            i + 1
        );
    }
    // Each row's number stands alone at the start of a line (the 序号 column), in order,
    // and the first characters of its text follow it in reading order.
    let d = demo();
    let tasks: Vec<_> = d.data.tasks.iter().filter(|t| t.plan == "reform").collect();
    assert_eq!(tasks.len(), 57);
    let flat = squash(&text);
    let mut pos = 0;
    for t in &tasks {
        let head: String = t.text.chars().take(8).collect();
        let at = flat[pos..]
            .find(&squash(&head))
            .unwrap_or_else(|| panic!("row {} «{head}» not found after offset {pos}", t.label));
        pos += at + head.len();
    }
    let numbers: Vec<u32> = text
        .lines()
        .filter_map(|l| {
            let first = l.split_whitespace().next()?;
            let indent = l.len() - l.trim_start().len();
            // The 序号 column (the page number, set down the left margin, moves pdftotext's
            // left edge a few columns out); the text column starts further in.
            (indent < 10).then(|| first.parse::<u32>().ok()).flatten()
        })
        .collect();
    assert_eq!(
        numbers,
        (1..=57).collect::<Vec<u32>>(),
        "序号 column in order"
    );
}

#[test]
fn reform_text_lies_in_the_landscape_type_area_and_page_numbers_sit_where_portrait_ones_do() {
    let (_dir, path) = write_temp("reform.pdf", reform_pdf());
    let words = bbox_words(&path);
    let s = PageSetup::LANDSCAPE;
    let tol = 0.6;
    let mut folios = Vec::new();
    for w in &words {
        assert!((w.page_w - 297.0).abs() < 0.5 && (w.page_h - 210.0).abs() < 0.5);
        // The page number stands in the left margin (the portrait sheet's foot).
        if w.x_max < s.left {
            folios.push(w.clone());
            continue;
        }
        assert!(w.x_min >= s.left - tol, "{w:?} left of the type area");
        assert!(w.x_max <= s.right() + tol, "{w:?} right of the type area");
        assert!(w.y_min >= s.top - tol, "{w:?} above the type area");
        assert!(w.y_max <= s.bottom() + tol, "{w:?} below the type area");
    }
    let pages = words.iter().map(|w| w.page).max().unwrap() + 1;
    // GB/T 9704-2012 7.5 and 10.2, measured on the rendered pages in the landscape page's
    // frame: the portrait sheet's foot is the left margin, its right edge the bottom. The
    // top of the figures (now their right side) 7 mm from the type area; odd numbers end
    // one character above the type area's bottom, even ones start one character below its
    // top.
    let one_char = 14.0 * 25.4 / 72.0;
    for p in 0..pages {
        let f: Vec<&Word> = folios.iter().filter(|w| w.page == p).collect();
        let text: String = f
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(squash(&text), format!("—{}—", p + 1), "page {}", p + 1);
        if p > 3 {
            continue; // rendering every page at 300 dpi is slow; four show both sides
        }
        let [x0, y0, x1, y1] = ink_box(&path, p, (0.0, 0.0, s.left - 0.5, 210.0)).unwrap();
        assert!(
            (s.left - 7.0 - x1).abs() < 0.5,
            "page {}: the figures reach {x1} mm, not 7 mm from the type area",
            p + 1
        );
        // Turned: the number runs down the page, so it is taller than wide.
        assert!(
            y1 - y0 > 2.0 * (x1 - x0),
            "page {}: {x0} {y0} {x1} {y1}",
            p + 1
        );
        if (p + 1) % 2 == 1 {
            assert!(
                (s.bottom() - one_char - y1).abs() < 0.8,
                "odd folio ends at {y1}"
            );
        } else {
            assert!(
                (y0 - (s.top + one_char)).abs() < 0.8,
                "even folio starts at {y0}"
            );
        }
    }
}

#[test]
fn portrait_text_lies_in_the_gbt9704_type_area() {
    let d = demo();
    let doc = progress_report(&d.print_data(), fonts(), &d.report_spec(None)).unwrap();
    let pdf = render_pdf(&doc, fonts(), &options()).unwrap();
    let (_dir, path) = write_temp("report.pdf", &pdf);
    let words = bbox_words(&path);
    let s = PageSetup::PORTRAIT;
    assert_eq!(
        (s.left, s.top, s.type_width, s.type_height),
        (28.0, 37.0, 156.0, 225.0)
    );
    let tol = 0.6;
    for w in words.iter().filter(|w| w.y_min < s.bottom()) {
        assert!((w.page_w - 210.0).abs() < 0.5);
        assert!(w.x_min >= 28.0 - tol, "{w:?}");
        assert!(w.x_max <= 28.0 + 156.0 + tol, "{w:?}");
        assert!(w.y_min >= 37.0 - tol, "{w:?}");
        assert!(w.y_max <= 37.0 + 225.0 + tol, "{w:?}");
    }
}

#[test]
fn supervision_notice_carries_unit_deadline_and_document_number() {
    let (doc, row, spec) = overdue_notice();
    let pdf = render_pdf(&doc, fonts(), &options()).unwrap();
    let (_dir, path) = write_temp("notice.pdf", &pdf);
    let text = squash(&poppler("pdftotext", &["-layout", path_str(&path), "-"]));
    let unit = &row.lead_units[0];
    assert!(
        text.contains(&format!("{unit}：")),
        "主送单位 {unit} missing:\n{text}"
    );
    assert!(
        text.contains("麒安委办督〔2020〕17号"),
        "文号 missing:\n{text}"
    );
    assert!(
        text.contains(&format!("原定完成时限为{}", row.deadline_text)),
        "{text}"
    );
    assert!(text.contains("已逾期"), "{text}");
    assert!(
        text.contains("二〇二〇年十二月三十一日前完成"),
        "new deadline:\n{text}"
    );
    assert!(text.contains("二〇二〇年十一月二十日"), "成文日期:\n{text}");
    assert!(text.contains("督办任务详情"), "attachment:\n{text}");
    assert!(text.contains(&spec.contact.replace(' ', "")));
    // The attachment page continues the notice's page numbers (the notice, with the 标志
    // 35 mm down, takes two pages).
    let n = doc.pages.len();
    assert!((2..=3).contains(&n), "{n} pages");
    for (i, page) in doc.pages.iter().enumerate() {
        assert_eq!(page.number, Some(i as u32 + 1));
    }
    assert!(text.contains(&format!("—{n}—")));
}

#[test]
fn every_font_is_embedded_as_a_subset() {
    let d = demo();
    let docs = [
        reform(),
        task_division_table(&d.print_data(), fonts(), None, Some("附件")).unwrap(),
        overdue_notice().0,
        progress_report(&d.print_data(), fonts(), &d.report_spec(Some("topic-1"))).unwrap(),
    ];
    for doc in &docs {
        let pdf = render_pdf(doc, fonts(), &options()).unwrap();
        let (_dir, path) = write_temp("f.pdf", &pdf);
        let out = poppler("pdffonts", &[path_str(&path)]);
        let rows: Vec<&str> = out.lines().skip(2).collect();
        assert!(rows.len() >= 2, "{out}");
        for line in rows {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // name type… encoding emb sub uni objnum gen
            let n = cols.len();
            assert_eq!(cols[n - 5], "yes", "not embedded: {line}");
            assert_eq!(cols[n - 4], "yes", "not subset: {line}");
            assert_eq!(cols[n - 3], "yes", "no ToUnicode: {line}");
        }
        // A whole bundled face alone is 2.4–5 MB.
        assert!(
            pdf.len() < 700_000,
            "{} bytes: fonts not subset?",
            pdf.len()
        );
    }
}

/// Each embedded font program holds the glyphs the document prints with it and nothing
/// more (plus .notdef, and for TrueType outlines the components of composite glyphs),
/// whatever the size of the face it comes from; and the reform table stays small (151 KB
/// before the faces were reduced ahead of printpdf and the dictionaries compressed; 141 KB
/// with Noto Serif as the body face, 253 KB with Zhuque Fangsong, whose outlines take about
/// twice Noto's bytes — a CFF build of it is no smaller once compressed).
#[test]
fn the_embedded_fonts_hold_only_the_printed_glyphs() {
    let doc = reform();
    let pdf = reform_pdf();
    assert!(pdf.len() <= 260 * 1024, "reform table: {} bytes", pdf.len());
    // Distinct characters per face, as the layout placed them.
    let mut chars: std::collections::BTreeMap<usize, std::collections::BTreeSet<char>> =
        Default::default();
    for t in doc.pages.iter().flat_map(|p| p.texts()) {
        chars.entry(t.face).or_default().extend(t.text.chars());
    }
    assert!(chars.values().map(|c| c.len()).sum::<usize>() > 500);

    let lo = lopdf::Document::load_mem(pdf).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for object in lo.objects.values() {
        let Ok(descriptor) = object.as_dict() else {
            continue;
        };
        if !descriptor
            .get(b"Type")
            .and_then(|t| t.as_name())
            .is_ok_and(|n| n == b"FontDescriptor")
        {
            continue;
        }
        let name = descriptor.get(b"FontName").unwrap().as_name().unwrap();
        let shown = String::from_utf8_lossy(name).into_owned();
        assert!(
            name.len() > 7 && name[6] == b'+' && name[..6].iter().all(u8::is_ascii_uppercase),
            "a subset is named TAG+Name: {shown}"
        );
        // The tag is the face's index: "AWD" and three base-26 digits, lowest first.
        let face = name[3..6]
            .iter()
            .rev()
            .fold(0, |n, d| n * 26 + usize::from(d - b'A'));
        let printed = chars.get(&face).map_or(0, |c| c.len());
        let (cff, program) = match descriptor.get(b"FontFile3") {
            Ok(r) => (true, r),
            Err(_) => (false, descriptor.get(b"FontFile2").expect("embedded")),
        };
        let stream = lo
            .get_object(program.as_reference().unwrap())
            .unwrap()
            .as_stream()
            .unwrap();
        let bytes = stream
            .decompressed_content()
            .unwrap_or(stream.content.clone());
        let glyphs = usize::from(if cff {
            ttf_parser::cff::Table::parse(&bytes)
                .unwrap()
                .number_of_glyphs()
        } else {
            ttf_parser::Face::parse(&bytes, 0)
                .unwrap()
                .number_of_glyphs()
        });
        let most = if cff { printed + 1 } else { 3 * (printed + 1) };
        assert!(
            printed > 0 && glyphs * 2 > printed && glyphs <= most,
            "{shown}: {glyphs} glyphs for {printed} characters"
        );
        seen.insert(face);
    }
    assert_eq!(
        seen,
        chars.keys().copied().collect(),
        "one program per face used"
    );
}

#[test]
fn same_input_gives_the_same_bytes() {
    let a = render_pdf(&reform(), fonts(), &options()).unwrap();
    let b = render_pdf(&reform(), fonts(), &options()).unwrap();
    assert!(a == b, "two renders differ");
    let (doc, _, _) = overdue_notice();
    let a = render_pdf(&doc, fonts(), &options()).unwrap();
    let b = render_pdf(&overdue_notice().0, fonts(), &options()).unwrap();
    assert!(a == b, "two notices differ");
    let mut later = options();
    later.creation_date = later.creation_date.map(|d| d + chrono::Duration::days(1));
    assert!(
        render_pdf(&doc, fonts(), &later).unwrap() != a,
        "date is written"
    );
}

#[test]
fn rendered_pages_are_not_blank() {
    let (dir, path) = write_temp("reform.pdf", reform_pdf());
    let prefix = dir.path().join("p");
    poppler(
        "pdftoppm",
        &["-r", "50", "-png", path_str(&path), path_str(&prefix)],
    );
    let mut pngs: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pngs.sort();
    assert_eq!(pngs.len(), reform().pages.len());
    for png_path in pngs {
        let decoder = png::Decoder::new(std::io::BufReader::new(
            std::fs::File::open(&png_path).unwrap(),
        ));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let channels = info.color_type.samples();
        let pixels = &buf[..info.buffer_size()];
        let dark = pixels
            .chunks(channels)
            .filter(|px| px.iter().take(3).any(|&v| v < 128))
            .count();
        let total = pixels.len() / channels;
        let share = dark as f32 / total as f32;
        // Landscape A4 at 50 dpi: ~580 × 410 px; a page of table text inks 2–15 %.
        assert!(share > 0.01 && share < 0.3, "{png_path:?}: {share:.4} dark");
        assert!(info.width > info.height, "landscape page");
    }
}

#[test]
fn folios_in_the_model_alternate_and_continue() {
    let mut doc = overdue_notice().0;
    doc.append(reform(), fonts());
    for (i, p) in doc.pages.iter().enumerate() {
        let n = u32::try_from(i + 1).unwrap();
        assert_eq!(p.number, Some(n));
        let f: String = p
            .texts()
            .filter(|t| t.kind == RunKind::Folio)
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(f, format!("— {n} —"));
    }
}

#[test]
fn invisible_and_control_characters_are_never_printed() {
    let (_, _, mut spec) = overdue_notice();
    spec.required_action = "立即\u{202E}研究部署\u{200B}，制定\u{7}整改措施\u{FEFF}".into();
    spec.contact = "张\u{2066}明".into();
    let d = demo();
    let doc = supervision_notice(&d.print_data(), fonts(), &spec).unwrap();
    let runs: String = doc
        .pages
        .iter()
        .flat_map(|p| p.items.iter())
        .filter_map(|i| match i {
            anwei_print::Item::Text(t) => Some(t.text.clone()),
            _ => None,
        })
        .collect();
    for c in ['\u{202E}', '\u{200B}', '\u{7}', '\u{FEFF}', '\u{2066}'] {
        assert!(!runs.contains(c), "U+{:04X} printed", u32::from(c));
    }
    assert!(
        squash(&runs).contains("立即研究部署，制定整改措施"),
        "{runs}"
    );
    assert!(squash(&runs).contains("张明"), "{runs}");
    // The body paragraph holding the action goes on to its end (it was cut after its first
    // line when the raw text held such characters).
    assert!(
        squash(&runs).contains("请你单位立即研究部署，制定整改措施，于"),
        "{runs}"
    );
    assert!(squash(&runs).contains("书面报送"), "{runs}");
    let pdf = render_pdf(&doc, fonts(), &options()).unwrap();
    let (_dir, path) = write_temp("notice-bidi.pdf", &pdf);
    let text = poppler("pdftotext", &[path_str(&path), "-"]);
    assert!(
        squash(&text).contains("立即研究部署，制定整改措施"),
        "{text}"
    );
    assert!(!text.contains('\u{202E}'));
}

/// The source's half-width punctuation ("," "(一)") prints full-width in tables (the 序号
/// keeps its own: its column is narrow); the data keeps what was written.
#[test]
fn tables_print_full_width_punctuation_and_the_data_keeps_its_own() {
    let d = demo();
    let doc = task_division_table(&d.print_data(), fonts(), Some("topic-1"), None).unwrap();
    let text = doc.plain_text().replace('\n', "");
    assert!(text.contains("（一）集中学习宣传教育"), "{text}");
    assert!(text.contains("各级党委（党组）"), "{text}");
    assert!(
        !text.contains("(一)集中") && !text.contains("(党组)"),
        "{text}"
    );
    assert!(!text.contains(",各级"), "{text}");
    let source = d
        .data
        .tasks
        .iter()
        .find(|t| t.plan == "topic-1" && t.text.contains("(党组)"));
    assert!(source.is_some(), "the data keeps the half-width marks");
}
