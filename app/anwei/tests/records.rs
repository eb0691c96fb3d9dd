#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `records forms/add/list` and `targets list` as real processes, with the built-in coal plugin.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

fn anwei(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anwei"))
        .arg("--data")
        .arg(dir)
        .args(["--today", "2022-12-31"])
        .args(args)
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = anwei(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init", "--demo"]);
    dir
}

const FORM: &str = "coal-mining/mine-register";

fn mine(name: &str, group: &str, capacity: f64, extra: Value) -> Value {
    let mut m = json!({
        "name": name,
        "town": "越州镇",
        "ownership": "private",
        "status": "producing",
        "scale": "medium",
        "capacity": capacity,
        "gas_class": "other",
        "group": group,
        "monitoring_upgraded": "2020-06-01",
    });
    for (k, v) in extra.as_object().unwrap() {
        m[k] = v.clone();
    }
    m
}

fn add(dir: &Path, record: &Value) -> Output {
    let file = dir.join("record.json");
    std::fs::write(&file, record.to_string()).unwrap();
    anwei(
        dir,
        &[
            "records",
            "add",
            "--form",
            FORM,
            "--json",
            file.to_str().unwrap(),
        ],
    )
}

fn target<'a>(list: &'a [Value], id: &str) -> &'a Value {
    list.iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("{id}"))
}

/// The text of a PDF in the order it is drawn (a table cell's lines together), whitespace
/// removed (pdftotext spreads CJK text with spaces).
fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-raw")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn forms_are_listed_one_per_line() {
    let dir = demo();
    let out = ok(dir.path(), &["records", "forms"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[..2], [FORM, "coal-mining/mine-annual"]);
    // Every built-in sector's forms, one a line.
    for form in [
        "dust-explosion/dust-enterprise",
        "hazardous-chemicals/chemical-park",
        "hazardous-waste/hw-storage",
        "non-coal-mines/tailings-register",
    ] {
        assert!(lines.contains(&form), "{form}: {out}");
    }
    let out = ok(dir.path(), &["records", "forms", "--sector", "coal-mining"]);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [FORM, "coal-mining/mine-annual"]
    );
    let out = ok(
        dir.path(),
        &["records", "forms", "--sector", "no-such-sector"],
    );
    assert!(out.trim().is_empty());
}

#[test]
fn an_invalid_record_prints_its_field_errors_and_saves_nothing() {
    let dir = demo();
    let d = dir.path();
    let bad = json!({
        "town": "越州镇",
        "ownership": "private",
        "status": "producing",
        "scale": "medium",
        "capacity": "abc",
        "gas_class": "瓦斯很多",
        "group": "keep",
        "depth": 5000,
        "outburst_assessed": "2022-13-40",
    });
    let out = add(d, &bad);
    assert!(!out.status.success());
    let errors: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let about = |field: &str| {
        errors
            .iter()
            .filter(|e| e["field"] == field)
            .map(|e| e["message"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
            .join("；")
    };
    assert!(about("capacity").contains("核定(设计)产能"), "{errors:?}");
    assert!(about("gas_class").contains("瓦斯很多"), "{errors:?}");
    assert!(
        about("depth").contains("开采深度应在0至3000米之间"),
        "{errors:?}"
    );
    assert!(
        about("outburst_assessed").contains("2022-13-40"),
        "{errors:?}"
    );
    assert!(!about("name").is_empty(), "required name: {errors:?}");
    let list: Vec<Value> =
        serde_json::from_str(&ok(d, &["records", "list", "--form", FORM, "--json"])).unwrap();
    assert!(list.is_empty(), "nothing saved");

    // With --draft it is kept, as a draft.
    let file = d.join("bad.json");
    std::fs::write(&file, bad.to_string()).unwrap();
    let out = ok(
        d,
        &[
            "records",
            "add",
            "--form",
            FORM,
            "--json",
            file.to_str().unwrap(),
            "--draft",
        ],
    );
    assert!(out.contains("草稿"), "{out}");
    let list: Vec<Value> =
        serde_json::from_str(&ok(d, &["records", "list", "--form", FORM, "--json"])).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["draft"], true);
}

#[test]
fn the_seed_register_meets_the_coal_targets() {
    let dir = demo();
    let d = dir.path();
    let before: Vec<Value> = serde_json::from_str(&ok(
        d,
        &["targets", "list", "--sector", "coal-mining", "--json"],
    ))
    .unwrap();
    assert_eq!(before.len(), 56);
    let count = target(&before, "coal-mining/mine-count");
    assert_eq!(count["status"], "no_data", "{count}");
    assert_eq!(count["comparator"], "以内");
    // Each checkpoint in the source's words, as the window shows it.
    assert_eq!(count["requirement"], "2022: ≤8处");
    assert!(
        count["checkpoints"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["value"] == 8.0)
    );

    // 16 mines as in seed 001 L201: 5 单独保留 + 3 整合保留 (525 万吨/年), 4 + 4 closing.
    let mut mines = Vec::new();
    for (i, cap) in [90.0, 60.0, 60.0, 45.0, 45.0].into_iter().enumerate() {
        mines.push(mine(&format!("K{i}煤矿"), "keep", cap, json!({})));
    }
    for (i, cap) in [90.0, 75.0, 60.0].into_iter().enumerate() {
        mines.push(mine(
            &format!("M{i}煤矿"),
            "merge_keep",
            cap,
            json!({"merge_group": "一组"}),
        ));
    }
    for i in 0..4 {
        mines.push(mine(
            &format!("MC{i}煤矿"),
            "merge_close",
            15.0,
            json!({"merge_group": "一组"}),
        ));
        mines.push(mine(
            &format!("C{i}煤矿"),
            "close",
            9.0,
            json!({"status": "closed"}),
        ));
    }
    for m in &mines {
        let out = add(d, m);
        assert!(
            out.status.success(),
            "{m}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let list: Vec<Value> =
        serde_json::from_str(&ok(d, &["records", "list", "--form", FORM, "--json"])).unwrap();
    assert_eq!(list.len(), 16);
    assert_eq!(list[0]["values"]["group"]["display"], "单独保留");

    let after: Vec<Value> = serde_json::from_str(&ok(d, &["targets", "list", "--json"])).unwrap();
    let count = target(&after, "coal-mining/mine-count");
    assert_eq!(count["current"]["value"], 8.0, "{count}");
    assert_eq!(count["current"]["source"], "computed");
    assert_eq!(count["status"], "met", "{count}");
    let avg = target(&after, "coal-mining/avg-capacity");
    assert_eq!(avg["current"]["value"], 65.625, "{avg}");
    assert_eq!(avg["status_label"], "达标");
    // The text listing shows the same.
    let text = ok(d, &["targets", "list", "--sector", "coal-mining"]);
    assert!(text.contains("全区煤矿数量"), "{text}");
    assert!(text.contains("达标"), "{text}");
    // A sector no plan has is said, with the ones there are.
    let out = anwei(d, &["targets", "list", "--sector", "coal"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("没有行业“coal”的方案"), "{err}");
    assert!(
        err.contains("coal-mining、construction、dust-explosion、fire"),
        "{err}"
    );

    // The progress report states the same targets against their checkpoints, and the
    // progress entered on a task, with its percent and date.
    let task = ok(d, &["tasks", "list", "--plan", "coal-mining", "--json"]);
    let tasks: Vec<Value> = serde_json::from_str(&task).unwrap();
    let first = tasks[0]["id"].as_str().unwrap().to_owned();
    ok(
        d,
        &[
            "progress",
            "add",
            "--task",
            &first,
            "--date",
            "2022-11-30",
            "--text",
            "已关闭退出煤矿4处，正在验收",
            "--percent",
            "70",
        ],
    );
    let pdf = d.join("报告.pdf");
    ok(
        d,
        &[
            "print",
            "progress",
            "--plan",
            "coal-mining",
            "--to",
            "区安委会",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    let text = pdf_text(&pdf);
    assert!(text.contains("区安委会："), "{text}");
    assert!(text.contains("目标指标完成情况"), "{text}");
    assert!(text.contains("全区煤矿数量"), "{text}");
    assert!(text.contains("设定量化指标56项"), "{text}");
    assert!(
        text.contains("已关闭退出煤矿4处，正在验收（2022年11月30日）"),
        "{text}"
    );
    assert!(text.contains("70%"), "{text}");
    assert!(text.contains("2022年12月31日"), "{text}");
}

#[test]
fn a_json_file_with_a_byte_order_mark_is_accepted() {
    let dir = demo();
    let d = dir.path();
    let file = d.join("记事本保存的.json");
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(
        mine("带BOM煤矿", "keep", 30.0, json!({}))
            .to_string()
            .into_bytes(),
    );
    std::fs::write(&file, bytes).unwrap();
    let out = ok(
        d,
        &[
            "records",
            "add",
            "--form",
            FORM,
            "--json",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.contains("已保存台账记录"), "{out}");
    let list: Vec<Value> =
        serde_json::from_str(&ok(d, &["records", "list", "--form", FORM, "--json"])).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["values"]["name"]["display"], "带BOM煤矿");
}

#[test]
fn a_record_is_deleted_and_restored_from_the_command_line_with_audit() {
    let dir = demo();
    let d = dir.path();
    let out = add(d, &mine("待删煤矿", "keep", 30.0, json!({})));
    assert!(out.status.success());
    let list: Vec<Value> =
        serde_json::from_str(&ok(d, &["records", "list", "--form", FORM, "--json"])).unwrap();
    let id = list[0]["id"].as_u64().unwrap().to_string();
    let out = ok(d, &["records", "delete", "--form", FORM, "--id", &id]);
    assert!(out.contains(&format!("已删除台账记录 #{id}")), "{out}");
    assert!(out.contains("records restore"), "{out}");
    let list: Vec<Value> =
        serde_json::from_str(&ok(d, &["records", "list", "--form", FORM, "--json"])).unwrap();
    assert_eq!(list[0]["deleted"], true, "soft delete: the record is kept");
    // A deleted record no longer counts toward the targets (the 专题's targets count
    // progress entries: "progress", not "computed").
    let targets: Vec<Value> = serde_json::from_str(&ok(d, &["targets", "list", "--json"])).unwrap();
    assert!(
        targets
            .iter()
            .all(|t| t["current"].is_null() || t["current"]["source"] != "computed"),
        "{targets:?}"
    );
    // Deleting again changes nothing; another form's id is refused.
    let again = ok(d, &["records", "delete", "--form", FORM, "--id", &id]);
    assert!(again.contains("已经是删除状态"), "{again}");
    let out = anwei(
        d,
        &[
            "records",
            "delete",
            "--form",
            "coal-mining/其他",
            "--id",
            &id,
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有编号为"));
    let out = ok(d, &["records", "restore", "--form", FORM, "--id", &id]);
    assert!(out.contains(&format!("已恢复台账记录 #{id}")), "{out}");
    let list: Vec<Value> =
        serde_json::from_str(&ok(d, &["records", "list", "--form", FORM, "--json"])).unwrap();
    assert_eq!(list[0]["deleted"], false);
    let store = anwei_store::Store::open(d).unwrap();
    let audit = store.audit(None, 50).unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert!(actions.contains(&"delete_record"), "{actions:?}");
    assert!(actions.contains(&"restore_record"), "{actions:?}");
}

#[test]
fn a_town_missing_from_the_directory_is_refused_with_the_field_named_as_the_window_does() {
    let dir = demo();
    let d = dir.path();
    // The directory gets its towns (属地 units named …镇): a town field is checked against them.
    {
        let store = anwei_store::Store::open(d).unwrap();
        for town in ["越州镇", "茨营镇"] {
            store
                .apply(
                    &anwei_core::Command::AddUnit {
                        name: town.into(),
                        kind: anwei_core::UnitKind::Local,
                        aliases: Vec::new(),
                    },
                    "测试",
                )
                .unwrap();
        }
    }
    let out = add(
        d,
        &mine("火星一矿", "keep", 30.0, json!({"town": "火星镇"})),
    );
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let errors: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let town: Vec<&Value> = errors.iter().filter(|e| e["field"] == "town").collect();
    assert_eq!(town.len(), 1, "{errors:?}");
    let message = town[0]["message"].as_str().unwrap();
    // The window's editor words it the same (anwei_core::reference::missing_reference).
    assert!(
        message.ends_with("：镇(街道)名单中没有“火星镇”，请从列表中选择"),
        "{message}"
    );
    assert!(message.starts_with('“'), "{message}");
    assert_eq!(town[0]["severity"], "error");
    // Nothing was saved; the same record with a town of the directory is.
    let listed = ok(d, &["records", "list", "--form", FORM]);
    assert!(listed.contains("共 0 条"), "{listed}");
    ok(
        d,
        &[
            "records",
            "add",
            "--form",
            FORM,
            "--json",
            d.join("record.json").to_str().unwrap(),
            "--draft",
        ],
    );
    let listed = ok(d, &["records", "list", "--form", FORM]);
    assert!(
        listed.contains("草稿") && listed.contains("共 1 条"),
        "{listed}"
    );
    let good = add(d, &mine("越州一矿", "keep", 30.0, json!({})));
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stdout)
    );
}

fn import(dir: &Path, lines: &[String], extra: &[&str]) -> Output {
    let file = dir.join("煤矿 台账.jsonl");
    std::fs::write(&file, format!("\u{feff}{}\n", lines.join("\n"))).unwrap();
    let mut args = vec!["records", "import", "--form", FORM, file.to_str().unwrap()];
    args.extend_from_slice(extra);
    anwei(dir, &args)
}

fn listed(dir: &Path) -> Vec<Value> {
    serde_json::from_str(&ok(dir, &["records", "list", "--form", FORM, "--json"])).unwrap()
}

#[test]
fn an_import_checks_every_line_and_saves_all_or_nothing_in_one_audited_change() {
    let dir = demo();
    let d = dir.path();
    let good: Vec<String> = (0..3)
        .map(|i| mine(&format!("第{i}号煤矿"), "keep", 90.0, json!({})).to_string())
        .collect();
    let mut lines = good.clone();
    // Line 3 is blank (ignored); line 5 has a bad field, line 6 is not JSON.
    lines.insert(2, String::new());
    lines.push(mine("坏记录", "keep", 90.0, json!({"capacity": "abc"})).to_string());
    lines.push("{不是 JSON".to_owned());

    let out = import(d, &lines, &[]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("第 5 行：字段“capacity”"), "{text}");
    assert!(text.contains("第 6 行：不是有效的 JSON"), "{text}");
    assert!(text.contains("未导入任何记录"), "{text}");
    assert!(listed(d).is_empty(), "nothing written");

    let text = ok(
        d,
        &[
            "records",
            "import",
            "--form",
            FORM,
            "--dry-run",
            "--skip-invalid",
            d.join("煤矿 台账.jsonl").to_str().unwrap(),
        ],
    );
    assert!(text.contains("可导入 3 条"), "{text}");
    assert!(listed(d).is_empty(), "a dry run writes nothing");

    let audit_count = || {
        anwei_store::Store::open(d)
            .unwrap()
            .audit(None, usize::MAX)
            .unwrap()
    };
    let audit_before = audit_count().len();
    let out = import(d, &lines, &["--skip-invalid"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("已导入 3 条记录"), "{text}");
    assert!(text.contains("跳过有错的 2 行"), "{text}");
    let records = listed(d);
    let names: Vec<&str> = records
        .iter()
        .map(|r| r["values"]["name"]["value"]["value"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["第0号煤矿", "第1号煤矿", "第2号煤矿"]);
    assert!(records.iter().all(|r| r["draft"] == false));
    let audit = audit_count();
    assert_eq!(
        audit.len(),
        audit_before + 1,
        "one audit record for the import"
    );
    assert!(
        audit[0].summary.contains("导入台账记录 3 条"),
        "{:?}",
        audit[0]
    );
    assert_eq!(audit[0].action, "import_records");

    // The imported records count toward the targets like added ones.
    let targets: Vec<Value> = serde_json::from_str(&ok(
        d,
        &["targets", "list", "--sector", "coal-mining", "--json"],
    ))
    .unwrap();
    assert!(
        targets.iter().any(|t| t["current"]["source"] == "computed"),
        "{targets:?}"
    );
}

#[test]
fn records_list_json_streams_a_valid_array() {
    let dir = demo();
    let d = dir.path();
    assert_eq!(listed(d), Vec::<Value>::new());
    let lines: Vec<String> = (0..50)
        .map(|i| mine(&format!("第{i}号煤矿"), "keep", 90.0, json!({})).to_string())
        .collect();
    assert!(import(d, &lines, &[]).status.success());
    let list = listed(d);
    assert_eq!(list.len(), 50);
    let ids: Vec<u64> = list.iter().map(|r| r["id"].as_u64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "in id order");
    let text = ok(d, &["records", "list", "--form", FORM]);
    assert!(text.trim_end().ends_with("共 50 条"), "{text}");
}

/// Lines are checked a few thousand at a time on several threads: errors are still named by
/// their line in the file, in file order, across those chunks.
#[test]
fn errors_are_named_by_their_line_across_chunks_checked_side_by_side() {
    let dir = demo();
    let d = dir.path();
    let bad = |name: &str| mine(name, "keep", 90.0, json!({"capacity": "abc"})).to_string();
    let mut lines: Vec<String> = (0..4_200)
        .map(|i| mine(&format!("第{i}号煤矿"), "keep", 90.0, json!({})).to_string())
        .collect();
    for n in [2, 2_049, 4_096, 4_097, 4_200] {
        lines[n - 1] = bad(&format!("坏{n}"));
    }
    let out = import(d, &lines, &[]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let named: Vec<&str> = text.lines().filter(|l| l.starts_with("第 ")).collect();
    let want: Vec<String> = [2, 2_049, 4_096, 4_097, 4_200]
        .iter()
        .map(|n| format!("第 {n} 行：字段“capacity”"))
        .collect();
    assert_eq!(named.len(), want.len(), "{text}");
    for (line, want) in named.iter().zip(&want) {
        assert!(line.starts_with(want.as_str()), "{line} / {want}");
    }
    assert!(text.contains("5 行有错"), "{text}");
}

/// `print form` of `form` (`record`: that record, else blank) to `out`.
fn print_form(dir: &Path, form: &str, record: Option<&str>, out: &Path) -> Output {
    let mut args = vec!["print", "form", "--form", form];
    if let Some(id) = record {
        args.extend(["--record", id]);
    }
    args.extend(["--out", out.to_str().unwrap()]);
    anwei(dir, &args)
}

#[test]
fn a_form_prints_blank_and_with_a_record_from_the_command_line() {
    let dir = demo();
    let d = dir.path();
    let blank = d.join("空白.pdf");
    let printed = print_form(d, FORM, None, &blank);
    assert!(
        printed.status.success(),
        "{}",
        String::from_utf8_lossy(&printed.stderr)
    );
    let text = pdf_text(&blank);
    assert!(text.contains("煤矿台账登记表"), "{text}");
    assert!(text.contains("填报单位（盖章）"), "{text}");
    // The coal plugin's own fields and choices, none ticked.
    assert!(text.contains("□国有□省属□民营"), "{text}");
    assert!(text.contains("瓦斯等级"), "{text}");
    assert!(!text.contains('■'), "{text}");

    let out = add(d, &mine("登记表煤矿", "keep", 45.0, json!({})));
    assert!(out.status.success());
    let list: Vec<Value> =
        serde_json::from_str(&ok(d, &["records", "list", "--form", FORM, "--json"])).unwrap();
    let id = list[0]["id"].as_u64().unwrap().to_string();
    let filled = d.join("记录.pdf");
    let printed = print_form(d, FORM, Some(&id), &filled);
    assert!(
        printed.status.success(),
        "{}",
        String::from_utf8_lossy(&printed.stderr)
    );
    let text = pdf_text(&filled);
    assert!(text.contains(&format!("记录编号：{id}")), "{text}");
    assert!(text.contains("登记表煤矿"), "{text}");
    assert!(text.contains("越州镇"), "{text}");
    assert!(text.contains("□国有□省属■民营"), "{text}");
    assert!(text.contains("2020年6月1日"), "{text}");
    assert!(text.contains("打印日期：2022年12月31日"), "{text}");

    // An unknown record, an unknown form and a deleted record are refused, saying why.
    let missing = print_form(d, FORM, Some("999999"), &d.join("x.pdf"));
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("没有编号为 999999"));
    let unknown = print_form(d, "coal-mining/无此表", None, &d.join("x.pdf"));
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("没有表单"));
    ok(d, &["records", "delete", "--form", FORM, "--id", &id]);
    let deleted = d.join("已删.pdf");
    let out = print_form(d, FORM, Some(&id), &deleted);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("已删除"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!deleted.exists());
}
