//! A table written as .xlsx reads back (calamine) as written — title, note, header, texts,
//! numbers and dates in their cells — with the office's print layout in the file: the title
//! merged across, the header frozen and repeated on every page (print titles), A4 landscape
//! fitted to the page width, page numbers in the footer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;

use anwei_exchange::xlsx::{self, Cell, Column, Table};
use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::NaiveDate;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn serial(d: NaiveDate) -> f64 {
    (d - date("1899-12-30")).num_days() as f64
}

fn table() -> Table {
    Table {
        sheet: "任务".into(),
        title: "麒麟区安全生产专项整治三年行动任务清单".into(),
        note: "截至 2026-12-07（逾期），共 2 项".into(),
        columns: vec![
            Column::new("序号", 6.0),
            Column::wrapped("任务", 40.0),
            Column::new("完成时限", 12.0),
            Column::new("进度(%)", 8.0),
        ],
        rows: vec![
            vec![
                Cell::Number(1.0),
                Cell::Text("建立健全安全生产责任体系".into()),
                Cell::Date(date("2020-12-31")),
                Cell::Number(60.0),
            ],
            vec![
                Cell::Number(2.0),
                Cell::Text("开展隐患排查治理".into()),
                Cell::Empty,
                Cell::Number(f64::NAN),
            ],
        ],
    }
}

fn sheet_xml(path: &std::path::Path, n: usize) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn a_table_reads_back_as_written_with_the_offices_print_layout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("任务清单.xlsx");
    let mut second = table();
    second.sheet = "任务".into();
    second.title = "第二张".into();
    xlsx::save(&path, &[table(), second]).unwrap();

    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    // Two tables of one name: the second is renamed, not refused.
    assert_eq!(wb.sheet_names(), ["任务", "任务(2)"]);
    let r = wb.worksheet_range("任务").unwrap();
    let at = |row: u32, col: u32| r.get_value((row, col)).cloned();
    assert_eq!(
        at(0, 0),
        Some(Data::String(
            "麒麟区安全生产专项整治三年行动任务清单".into()
        ))
    );
    assert_eq!(
        at(1, 0),
        Some(Data::String("截至 2026-12-07（逾期），共 2 项".into()))
    );
    let header: Vec<String> = (0..4).map(|c| at(2, c).unwrap().to_string()).collect();
    assert_eq!(header, ["序号", "任务", "完成时限", "进度(%)"]);
    assert_eq!(at(3, 0), Some(Data::Float(1.0)));
    assert_eq!(
        at(3, 1),
        Some(Data::String("建立健全安全生产责任体系".into()))
    );
    match at(3, 2) {
        Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), serial(date("2020-12-31"))),
        other => panic!("a date cell: {other:?}"),
    }
    assert_eq!(at(3, 3), Some(Data::Float(60.0)));
    assert!(
        matches!(at(4, 2), None | Some(Data::Empty)),
        "no date: blank"
    );
    assert!(
        matches!(at(4, 3), None | Some(Data::Empty)),
        "not a number: blank"
    );

    // The title and the note merged across the table's four columns.
    let merged: Vec<_> = wb
        .merge_cells_by_sheet_name("任务")
        .unwrap()
        .iter()
        .map(|d| (d.start, d.end))
        .collect();
    assert!(merged.contains(&((0, 0), (0, 3))), "{merged:?}");
    assert!(merged.contains(&((1, 0), (1, 3))), "{merged:?}");
    // The header row repeated on every printed page.
    let titles: Vec<_> = wb
        .defined_names()
        .iter()
        .filter(|(name, _)| name == "_xlnm.Print_Titles")
        .map(|(_, range)| range.clone())
        .collect();
    assert!(titles.iter().any(|r| r.contains("$3:$3")), "{titles:?}");

    let xml = sheet_xml(&path, 1);
    for needle in [
        r#"orientation="landscape""#,
        r#"paperSize="9""#,
        r#"fitToHeight="0""#,
        r#"<pageSetUpPr fitToPage="1"/>"#,
        r#"ySplit="3""#,
        "第 &amp;P 页，共 &amp;N 页",
        "<autoFilter",
    ] {
        assert!(xml.contains(needle), "{needle} in sheet1.xml");
    }
}

#[test]
fn a_failed_write_leaves_the_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("清单.xlsx");
    std::fs::write(&path, b"earlier").unwrap();
    let mut bad = table();
    bad.rows[1].pop();
    let e = xlsx::save(&path, &[bad]).unwrap_err().to_string();
    assert!(e.contains("第 2 行有 3 列，表头有 4 列"), "{e}");
    assert_eq!(std::fs::read(&path).unwrap(), b"earlier");
    // A folder that is not there: said, nothing written.
    let e = xlsx::save(&dir.path().join("无此目录/清单.xlsx"), &[table()])
        .unwrap_err()
        .to_string();
    assert!(e.contains("写入") && e.contains("无此目录"), "{e}");
}

/// A ledger wider than a landscape page can take readably prints at full size across pages,
/// its first two columns repeated on each, rather than shrunk to one page's width.
#[test]
fn a_wide_ledger_prints_across_pages_with_its_first_columns_repeated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.xlsx");
    let columns: Vec<Column> = (0..30)
        .map(|i| Column::new(&format!("字段{i}"), 12.0))
        .collect();
    let wide = Table {
        sheet: "煤矿台账".into(),
        title: "煤矿台账".into(),
        note: String::new(),
        rows: vec![(0..30).map(|i| Cell::Number(f64::from(i))).collect()],
        columns,
    };
    xlsx::save(&path, &[wide]).unwrap();
    let xml = sheet_xml(&path, 1);
    assert!(!xml.contains("fitToPage"), "not shrunk to one page");
    let wb: Xlsx<_> = open_workbook(&path).unwrap();
    let titles: Vec<String> = wb
        .defined_names()
        .iter()
        .filter(|(n, _)| n == "_xlnm.Print_Titles")
        .map(|(_, r)| r.clone())
        .collect();
    assert!(
        titles
            .iter()
            .any(|r| r.contains("$A:$B") && r.contains("$3:$3")),
        "{titles:?}"
    );
}
