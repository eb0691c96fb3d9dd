//! Bad input at the command line, as a new user would try it: every answer is Chinese, says
//! what is expected, saves nothing, and never panics. Run as real processes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anwei"))
        .args(args)
        .env_remove("ANWEI_DATA")
        .env_remove("RUST_LOG")
        .output()
        .expect("run anwei")
}

fn anwei(data: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--data", data.to_str().unwrap()];
    all.extend_from_slice(args);
    run(&all)
}

fn ok(data: &Path, args: &[&str]) -> String {
    let out = anwei(data, args);
    assert!(
        out.status.success(),
        "anwei {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Runs a command that must fail with `code`; returns stderr, checked to be free of English
/// from clap, the OS or a panic.
fn fails(data: &Path, args: &[&str], code: i32) -> String {
    let out = anwei(data, args);
    let err = String::from_utf8(out.stderr).expect("utf-8 errors");
    assert_eq!(
        out.status.code(),
        Some(code),
        "anwei {args:?}: {err}\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_chinese(&err);
    err
}

/// No English sentence of clap's, the OS's or Rust's in `text`.
fn assert_chinese(text: &str) {
    for english in [
        "Usage",
        "Options",
        "Commands",
        "Arguments",
        "Print help",
        "Print version",
        "error:",
        "For more information",
        "OPTIONS",
        "COMMAND",
        "[default",
        "possible values",
        "[env:",
        "invalid value",
        "os error",
        "No such file",
        "File exists",
        "panicked",
        "input contains invalid characters",
        "WARN",
    ] {
        assert!(!text.contains(english), "“{english}” in:\n{text}");
    }
}

fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init", "--demo"]);
    dir
}

fn progress_count(data: &Path, task: &str) -> usize {
    let shown: Value = serde_json::from_str(&ok(data, &["tasks", "show", task, "--json"])).unwrap();
    shown["progress"].as_array().unwrap().len()
}

#[test]
fn help_is_chinese_everywhere() {
    for args in [
        vec!["--help"],
        vec!["-h"],
        vec!["tasks", "list", "--help"],
        vec!["plugins", "--help"],
        vec!["plugins", "developer", "--help"],
        vec!["plugins", "trust-list", "--help"],
        vec!["records", "add", "--help"],
        vec!["records", "delete", "--help"],
        vec!["progress", "add", "--help"],
        vec!["print", "supervision", "--help"],
        vec!["help"],
        vec!["help", "tasks", "show"],
        vec!["帮助", "backup"],
    ] {
        let out = run(&args);
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("用法：anwei"), "{args:?}: {text}");
        assert!(text.contains("显示帮助"), "{args:?}: {text}");
        assert_chinese(&text);
    }
    let top = String::from_utf8(run(&["--help"]).stdout).unwrap();
    for heading in ["命令:", "选项:", "-V, --version", "显示版本号", "数据目录"] {
        assert!(top.contains(heading), "{heading}: {top}");
    }
    let show = String::from_utf8(run(&["help", "tasks", "show"]).stdout).unwrap();
    assert!(show.contains("参数:"), "{show}");
    assert!(show.contains("<任务>"), "{show}");
    let version = run(&["--version"]);
    assert!(version.status.success());
    assert!(
        String::from_utf8(version.stdout)
            .unwrap()
            .starts_with("anwei ")
    );
}

#[test]
fn argument_errors_are_chinese_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let err = fails(d, &["tasks", "lst"], 2);
    assert!(err.contains("没有“lst”这个命令"), "{err}");
    assert!(err.contains("list、show"), "{err}");
    assert!(err.contains("anwei tasks --help"), "{err}");
    let err = fails(d, &["frobnicate"], 2);
    assert!(err.contains("没有“frobnicate”这个命令"), "{err}");
    let err = fails(d, &["progress", "add", "--text", "x"], 2);
    assert!(err.contains("缺少必须填写的参数：--task"), "{err}");
    assert!(err.contains("anwei progress add --help"), "{err}");
    let err = fails(d, &["tasks", "list", "--bogus"], 2);
    assert!(err.contains("无法识别的选项“--bogus”"), "{err}");
    let err = fails(d, &["plugins", "developer", "maybe"], 2);
    assert!(err.contains("“maybe”无效"), "{err}");
    assert!(err.contains("on、off"), "{err}");
    let err = fails(
        d,
        &["progress", "add", "--task", "reform/1", "--percent", "abc"],
        2,
    );
    assert!(err.contains("0–100"), "{err}");
    // A group without its command shows the group's help, after saying what is missing.
    let err = fails(d, &["tasks"], 2);
    assert!(err.contains("后面还需要一个命令"), "{err}");
    assert!(err.contains("list"), "{err}");
    let err = fails(d, &["help", "nope"], 2);
    assert!(err.contains("没有“nope”这个命令"), "{err}");
}

#[test]
fn a_bad_date_names_the_format_with_an_example() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for args in [
        vec!["--today", "2020-13-45", "tasks", "list"],
        vec!["tasks", "list", "--today", "2020/08/15"],
        vec!["progress", "add", "--task", "reform/1", "--date", "昨天"],
        vec![
            "print",
            "supervision",
            "--task",
            "reform/36",
            "--out",
            "x.pdf",
            "--new-deadline",
            "2020-02-30",
        ],
    ] {
        let err = fails(d, &args, 2);
        assert!(err.contains("YYYY-MM-DD"), "{args:?}: {err}");
        assert!(err.contains("例如 2026-03-15"), "{args:?}: {err}");
        assert!(err.contains("不是有效的日期"), "{args:?}: {err}");
    }
    // Nothing was created by the refused commands.
    assert!(!d.join("db").exists());
}

#[test]
fn a_date_at_the_end_of_the_calendar_does_not_panic_the_print() {
    let dir = demo();
    let d = dir.path();
    let pdf = d.join("x.pdf");
    let err = fails(
        d,
        &[
            "--today",
            "+262142-12-31",
            "print",
            "supervision",
            "--issue",
            "--task",
            "reform/36",
            "--out",
            pdf.to_str().unwrap(),
        ],
        1,
    );
    assert!(err.contains("+262142-12-31"), "{err}");
    assert!(err.contains("--today"), "{err}");
    assert!(!pdf.exists());
    // No notice was recorded: the next one of 2026 is still number 1.
    let out = ok(
        d,
        &[
            "--today",
            "2026-03-15",
            "print",
            "supervision",
            "--issue",
            "--task",
            "reform/36",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(out.contains("〔2026〕1号"), "{out}");
    // The other commands take the date and answer.
    ok(d, &["--today", "+262142-12-31", "tasks", "list"]);
}

#[test]
fn a_missing_attachment_is_named_once_and_nothing_is_saved() {
    let dir = demo();
    let d = dir.path();
    let err = fails(
        d,
        &[
            "progress",
            "add",
            "--task",
            "reform/36",
            "--text",
            "已整改",
            "--attach",
            "missing.pdf",
        ],
        1,
    );
    assert!(err.contains("找不到附件文件“missing.pdf”"), "{err}");
    assert!(err.contains("未保存"), "{err}");
    assert_eq!(err.matches("missing.pdf").count(), 1, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let err = fails(
        d,
        &[
            "progress",
            "add",
            "--task",
            "reform/36",
            "--text",
            "已整改",
            "--attach",
            d.to_str().unwrap(),
        ],
        1,
    );
    assert!(err.contains("是文件夹，不是文件"), "{err}");
    assert_eq!(progress_count(d, "reform/36"), 0);
}

#[test]
fn a_data_path_that_is_a_file_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("数据");
    std::fs::write(&file, "不是文件夹").unwrap();
    for args in [vec!["tasks", "list"], vec!["init", "--demo"], vec!["check"]] {
        let err = fails(&file, &args, 1);
        assert!(err.contains("不是文件夹"), "{err}");
        assert!(!err.contains("损坏"), "{err}");
    }
    let err = fails(&file.join("子目录"), &["check"], 1);
    assert!(err.contains("不是文件夹"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "不是文件夹");
}

#[test]
fn a_task_id_without_its_plan_gets_a_hint() {
    let dir = demo();
    let d = dir.path();
    for args in [
        vec!["tasks", "show", "36"],
        vec!["progress", "add", "--task", "36", "--text", "x"],
        vec!["print", "supervision", "--task", "36", "--out", "x.pdf"],
    ] {
        let err = fails(d, &args, 1);
        assert!(err.contains("找不到任务“36”"), "{args:?}: {err}");
        assert!(err.contains("形如 reform/36"), "{args:?}: {err}");
        assert!(err.contains("reform/36。"), "{args:?}: {err}");
    }
    // Task 1 exists in several plans: all are named.
    let err = fails(d, &["tasks", "show", "1"], 1);
    for id in ["reform/1", "topic-1/1", "topic-2/1"] {
        assert!(err.contains(id), "{id}: {err}");
    }
    let err = fails(d, &["tasks", "show", "reform/999"], 1);
    assert!(err.contains("anwei tasks list"), "{err}");
    assert_eq!(progress_count(d, "reform/36"), 0);
}

#[test]
fn an_unknown_status_lists_the_valid_ones() {
    let dir = demo();
    let err = fails(dir.path(), &["tasks", "list", "--status", "late"], 1);
    assert!(err.contains("未知的状态“late”"), "{err}");
    for valid in [
        "not_started（未开始）",
        "in_progress（进行中）",
        "done（已完成）",
        "due_soon（临期）",
        "overdue（逾期）",
    ] {
        assert!(err.contains(valid), "{valid}: {err}");
    }
    ok(dir.path(), &["tasks", "list", "--status", "临期"]);
}

#[test]
fn progress_in_the_future_or_done_below_100_is_refused() {
    let dir = demo();
    let d = dir.path();
    let err = fails(
        d,
        &[
            "--today",
            "2026-03-15",
            "progress",
            "add",
            "--task",
            "reform/36",
            "--date",
            "2030-01-01",
            "--text",
            "将来的事",
        ],
        1,
    );
    assert!(err.contains("晚于今天（2026-03-15）"), "{err}");
    let err = fails(
        d,
        &[
            "progress",
            "add",
            "--task",
            "reform/36",
            "--done",
            "--percent",
            "30",
        ],
        1,
    );
    assert!(err.contains("进度应为 100%（填写的是 30%）"), "{err}");
    assert_eq!(progress_count(d, "reform/36"), 0);
    // Today itself, and done at 100 %, are fine.
    ok(
        d,
        &[
            "--today",
            "2026-03-15",
            "progress",
            "add",
            "--task",
            "reform/36",
            "--date",
            "2026-03-15",
            "--done",
            "--percent",
            "100",
        ],
    );
    assert_eq!(progress_count(d, "reform/36"), 1);
}

/// Replaces every file of the database with garbage.
fn damage(d: &Path) {
    for entry in std::fs::read_dir(d.join("db")).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::write(&p, b"\x00garbage\xffnot a database at all").unwrap();
        }
    }
}

#[test]
fn the_damaged_database_message_names_the_backups_that_exist() {
    let dir = demo();
    let d = dir.path();
    damage(d);
    let err = fails(d, &["check"], 1);
    assert!(err.contains("数据库无法打开"), "{err}");
    assert!(err.contains("backups 文件夹中没有备份"), "{err}");
    assert!(err.contains("anwei backup"), "{err}");
    assert!(err.contains("restore"), "{err}");
    assert!(!err.contains("自动备份恢复"), "{err}");

    // With backups in DATA/backups: listed newest first, with the command to use.
    let dir = demo();
    let d = dir.path();
    std::fs::create_dir_all(d.join("backups")).unwrap();
    let older = d.join("backups").join("older.anwei-backup");
    ok(d, &["backup", older.to_str().unwrap()]);
    ok(
        d,
        &[
            "progress",
            "add",
            "--task",
            "reform/36",
            "--text",
            "第二次备份前",
        ],
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let newer = d.join("backups").join("newer.anwei-backup");
    ok(d, &["backup", newer.to_str().unwrap()]);
    damage(d);
    let err = fails(d, &["tasks", "list"], 1);
    let (at_newer, at_older) = (
        err.find("newer.anwei-backup").expect("newer listed"),
        err.find("older.anwei-backup").expect("older listed"),
    );
    assert!(at_newer < at_older, "newest first: {err}");
    let command = format!("anwei --data {} restore {}", d.display(), newer.display());
    assert!(err.contains(&command), "{err}");
    // The command shown works.
    ok(d, &["restore", newer.to_str().unwrap()]);
    assert_eq!(progress_count(d, "reform/36"), 1);
}

#[test]
fn file_errors_are_said_in_chinese() {
    let dir = demo();
    let d = dir.path();
    let err = fails(d, &["restore", "none.anwei-backup"], 1);
    assert!(err.contains("找不到该文件或文件夹"), "{err}");
    let plain = d.join("普通文件");
    std::fs::write(&plain, "x").unwrap();
    let err = fails(
        d,
        &["backup", plain.join("x.anwei-backup").to_str().unwrap()],
        1,
    );
    assert!(err.contains("已存在同名的文件或文件夹"), "{err}");
    let err = fails(
        d,
        &[
            "print",
            "task-table",
            "--out",
            d.join("无此文件夹").join("x.pdf").to_str().unwrap(),
        ],
        1,
    );
    assert!(err.contains("找不到该文件或文件夹"), "{err}");
    let err = fails(
        d,
        &[
            "records",
            "add",
            "--form",
            "coal-mining/mine-register",
            "--json",
            "none.json",
        ],
        1,
    );
    assert!(err.contains("无法读取记录的 JSON 文件“none.json”"), "{err}");
    let bad = d.join("bad.json");
    std::fs::write(&bad, "{\"name\": ").unwrap();
    let err = fails(
        d,
        &[
            "records",
            "add",
            "--form",
            "coal-mining/mine-register",
            "--json",
            bad.to_str().unwrap(),
        ],
        1,
    );
    assert!(err.contains("不是有效的 JSON"), "{err}");
    assert!(err.contains("第 1 行"), "{err}");
    let err = fails(d, &["plugins", "install", "none.anwpkg"], 1);
    assert!(err.contains("none.anwpkg"), "{err}");
}
