//! `anwei export …`: each table the desk lists, written as .xlsx and read back (calamine) with
//! the rows `… list --json` gives, in the same order, under the office's title; a wrong file
//! name or folder is said and nothing is written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;

fn anwei(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anwei"))
        .arg("--data")
        .arg(data)
        .args(["--today", "2026-12-07"])
        .args(args)
        .env_remove("ANWEI_DATA")
        .output()
        .expect("run anwei")
}

fn ok(data: &Path, args: &[&str]) -> String {
    let out = anwei(data, args);
    assert!(
        out.status.success(),
        "anwei {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The cells of sheet `name` as text, row by row.
fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn sheet_names(path: &Path) -> Vec<String> {
    let wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.sheet_names()
}

#[test]
fn tasks_export_with_the_lists_filters_and_rows() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init", "--demo"]);
    let listed: Value =
        serde_json::from_str(&ok(d, &["tasks", "list", "--overdue", "--json"])).unwrap();
    let listed = listed.as_array().unwrap();
    assert!(listed.len() > 10, "the demo has overdue tasks");
    let file = d.join("逾期任务.xlsx");
    let said = ok(
        d,
        &[
            "export",
            "tasks",
            "--overdue",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(
        said.contains(&format!("已导出 {} 行", listed.len())),
        "{said}"
    );
    let rows = sheet(&file, "任务");
    assert!(rows[0][0].ends_with("任务清单"), "{:?}", rows[0]);
    assert!(
        rows[1][0].contains("截至 2026-12-07（逾期）"),
        "{:?}",
        rows[1]
    );
    assert_eq!(rows[2][..4], ["序号", "方案", "编号", "任务"]);
    let body = &rows[3..];
    assert_eq!(body.len(), listed.len());
    for (row, task) in body.iter().zip(listed) {
        assert_eq!(row[2], task["label"].as_str().unwrap());
        assert_eq!(row[3], task["title"].as_str().unwrap());
        assert_eq!(row[9], "逾期");
    }
    // The unit directory: one row a unit.
    let units: Value = serde_json::from_str(&ok(d, &["units", "list", "--json"])).unwrap();
    let file = d.join("单位.xlsx");
    ok(d, &["export", "units", "--out", file.to_str().unwrap()]);
    let rows = sheet(&file, "单位");
    assert_eq!(rows.len() - 3, units.as_array().unwrap().len());
    assert_eq!(rows[3][1], units[0]["name"].as_str().unwrap());
}

#[test]
fn supervision_registers_and_the_assessment_export() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init", "--demo"]);
    ok(
        d,
        &[
            "hazards",
            "add",
            "--place",
            "某采石场",
            "--description",
            "越界开采",
            "--unit",
            "区应急管理局",
            "--deadline",
            "2026-12-31",
            "--sector",
            "non-coal-mines",
            "--category",
            "outstanding-violations",
            "--clause",
            "1",
        ],
    );
    ok(
        d,
        &[
            "lists",
            "add",
            "--list",
            "问题隐患清单",
            "--unit",
            "区应急管理局",
            "--text",
            "采石场越界开采",
            "--hazard",
            "1",
        ],
    );
    let file = d.join("隐患.xlsx");
    ok(d, &["export", "hazards", "--out", file.to_str().unwrap()]);
    let rows = sheet(&file, "隐患");
    assert!(rows[0][0].ends_with("隐患排查治理台账"), "{:?}", rows[0]);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[3][0], "#1");
    assert_eq!(rows[3][5], "突出问题和违法违规行为");
    assert!(
        rows[3][6].starts_with("《金属非金属矿山重大生产安全事故隐患判定标准(试行)》 第1条："),
        "{:?}",
        rows[3][6]
    );
    let file = d.join("两个清单.xlsx");
    ok(d, &["export", "lists", "--out", file.to_str().unwrap()]);
    assert_eq!(sheet_names(&file), ["问题隐患清单", "制度措施清单"]);
    let rows = sheet(&file, "问题隐患清单");
    assert_eq!(rows[3][1], "采石场越界开采");
    assert_eq!(rows[3][5], "隐患 #1");
    let file = d.join("考核.xlsx");
    ok(
        d,
        &[
            "export",
            "assessment",
            "--year",
            "2021",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(sheet_names(&file), ["考核汇总", "扣分明细"]);
    let sheets: Value =
        serde_json::from_str(&ok(d, &["assessment", "--year", "2021", "--json"])).unwrap();
    let summary = sheet(&file, "考核汇总");
    let first = &sheets["sheets"][0];
    assert_eq!(
        summary.len() - 3,
        sheets["sheets"].as_array().unwrap().len()
    );
    assert_eq!(summary[3][3], first["total"].as_f64().unwrap().to_string());
    let details = sheet(&file, "扣分明细");
    assert!(details.len() > 3, "the demo's overdue tasks cost points");
}

#[test]
fn a_wrong_file_name_or_folder_is_said_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init", "--demo"]);
    let out = anwei(
        d,
        &[
            "export",
            "units",
            "--out",
            d.join("单位.csv").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("应以 .xlsx 结尾"));
    let out = anwei(
        d,
        &[
            "export",
            "units",
            "--out",
            d.join("无此目录/单位.xlsx").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("无此目录"));
    assert!(!d.join("单位.csv").exists() && !d.join("无此目录").exists());
}

/// A form's 台账: one row a record (a deleted one left out), its fields under their labels,
/// choices by their labels, numbers as numbers, dates as dates.
#[test]
fn a_ledger_exports_its_records_under_the_forms_labels() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init", "--demo"]);
    let lines: Vec<String> = (1..=3)
        .map(|i| {
            serde_json::json!({
                "name": format!("测试煤矿{i}"), "town": "越州镇", "ownership": "private",
                "status": "producing", "scale": "small", "capacity": 30 + i,
                "gas_class": "other", "group": "keep", "mech_mining": i == 1,
                "monitoring_upgraded": "2020-06-30"
            })
            .to_string()
        })
        .collect();
    let jsonl = d.join("煤矿.jsonl");
    std::fs::write(&jsonl, lines.join("\n")).unwrap();
    let form = "coal-mining/mine-register";
    let out = anwei(
        d,
        &["records", "import", "--form", form, jsonl.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Value =
        serde_json::from_str(&ok(d, &["records", "list", "--form", form, "--json"])).unwrap();
    let second = listed[1]["id"].as_u64().unwrap().to_string();
    ok(d, &["records", "delete", "--form", form, "--id", &second]);
    let file = d.join("煤矿台账.xlsx");
    let said = ok(
        d,
        &[
            "export",
            "records",
            "--form",
            form,
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(said.contains("已导出 2 行"), "{said}");
    let mut wb: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(wb.sheet_names(), ["煤矿台账"]);
    let range = wb.worksheet_range("煤矿台账").unwrap();
    let header: Vec<String> = range
        .rows()
        .nth(2)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    let col = |label: &str| {
        header
            .iter()
            .position(|h| h == label)
            .unwrap_or_else(|| panic!("{label} in {header:?}"))
    };
    assert_eq!(header[0], "记录号");
    let body: Vec<_> = range.rows().skip(3).collect();
    assert_eq!(body.len(), 2, "the deleted record is not in the 台账");
    assert_eq!(body[0][col("煤矿名称")], Data::String("测试煤矿1".into()));
    assert_eq!(body[1][col("煤矿名称")], Data::String("测试煤矿3".into()));
    assert_eq!(body[0][col("所有制")], Data::String("民营".into()));
    assert_eq!(body[0][col("核定(设计)产能")], Data::Float(31.0));
    assert_eq!(body[0][col("机械化开采")], Data::String("是".into()));
    assert_eq!(body[1][col("机械化开采")], Data::String("否".into()));
    assert!(matches!(
        body[0][col("安全监控系统升级改造验收日期")],
        Data::DateTime(_)
    ));
    assert_eq!(body[0][col("状态")], Data::String("有效".into()));
    // Unknown form: said with what there is.
    let out = anwei(
        d,
        &[
            "export",
            "records",
            "--form",
            "coal-mining/nope",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
}
