//! The `anwei` command line, run as a real process against real data folders.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn anwei(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anwei"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("ANWEI_DATA")
        .output()
        .expect("run anwei")
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

/// Runs anwei, expecting exit code `code`; returns standard error.
fn fails(data: &Path, args: &[&str], code: i32) -> String {
    let out = anwei(data, args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "anwei {args:?}: {err}");
    err
}

fn json(data: &Path, args: &[&str]) -> Vec<Value> {
    let text = ok(data, args);
    serde_json::from_str::<Value>(&text)
        .expect("valid JSON")
        .as_array()
        .expect("a JSON array")
        .clone()
}

/// The 麒麟区 demo campaign's 35 tasks (its two 专题) and those of the built-in sector plugins:
/// coal 32, hazardous chemicals 21, non-coal mines 14, dust explosion 8, hazardous waste 4,
/// fire 24, roads 16, waterways 32, construction 23, industrial parks 24. (商洛市's 57 are a
/// campaign of their own.)
const BUILTIN_TASKS: usize = 35 + 32 + 21 + 14 + 8 + 4 + 24 + 16 + 32 + 23 + 24;

fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init", "--demo"]);
    dir
}

#[test]
fn init_demo_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let first = ok(dir.path(), &["init", "--demo"]);
    assert!(first.contains("35 项任务、41 项专题指标"), "{first}");
    assert!(
        first.contains("（商洛市，2018—2020年）：1 个方案、57 项任务"),
        "{first}"
    );
    // The built-in coal plugin's plan (seed 001 附件4) comes with it.
    assert!(
        first.contains("导入行业方案“煤矿安全专项整治三年行动实施方案”"),
        "{first}"
    );
    assert!(first.contains("32 项任务"), "{first}");
    let second = ok(dir.path(), &["init", "--demo"]);
    assert!(second.contains("已存在"), "{second}");
    assert!(!second.contains("导入行业方案"), "{second}");
    assert_eq!(
        json(dir.path(), &["tasks", "list", "--json"]).len(),
        BUILTIN_TASKS
    );
    ok(dir.path(), &["check"]);
}

#[test]
fn tasks_json_carries_the_documented_fields() {
    let dir = demo();
    let d = dir.path();
    let tasks = json(d, &["tasks", "list", "--json"]);
    for key in [
        "id",
        "campaign",
        "plan",
        "label",
        "title",
        "lead_units",
        "responsible_units",
        "cooperating_units",
        "deadline_text",
        "deadline",
        "status",
    ] {
        assert!(
            tasks.iter().all(|t| t.get(key).is_some()),
            "every task has {key}"
        );
    }
    let reform = json(
        d,
        &["--campaign", "shangluo-2018", "tasks", "list", "--json"],
    );
    let row1 = reform.iter().find(|t| t["id"] == "reform/1").unwrap();
    assert_eq!(row1["campaign"], "shangluo-2018");
    assert_eq!(row1["deadline_text"], "2019年6月");
    assert_eq!(row1["deadline"]["date"], "2019-06-30");
    assert_eq!(row1["deadline"]["precision"], "month");
    assert_eq!(
        row1["lead_units"],
        serde_json::json!(["市编办", "市安监局", "各县（区）政府"])
    );
    let t = tasks
        .iter()
        .find(|t| t["plan"] == "topic-1" && t["label"] == "(二)1")
        .unwrap();
    assert_eq!(t["deadline"]["date"], "2020-08-15");
    assert_eq!(t["deadline"]["precision"], "day");
    assert_eq!(t["lead_units"], serde_json::json!(["区应急管理局"]));
}

#[test]
fn filters_by_plan_unit_alias_and_overdue() {
    let dir = demo();
    let d = dir.path();
    assert_eq!(
        json(
            d,
            &[
                "--campaign",
                "shangluo-2018",
                "tasks",
                "list",
                "--plan",
                "reform",
                "--json"
            ]
        )
        .len(),
        57
    );
    assert_eq!(
        json(d, &["tasks", "list", "--plan", "topic-1", "--json"]).len(),
        21
    );
    assert_eq!(
        json(d, &["tasks", "list", "--plan", "topic-2", "--json"]).len(),
        14
    );
    assert_eq!(
        json(
            d,
            &[
                "tasks",
                "list",
                "--campaign",
                "shangluo-2018",
                "--plan",
                "reform",
                "--unit",
                "市安监局",
                "--json"
            ]
        )
        .len(),
        52
    );
    // An alias finds the same tasks as the canonical name.
    let canonical = json(d, &["tasks", "list", "--unit", "区应急管理局", "--json"]).len();
    assert!(canonical > 0);
    assert_eq!(
        json(d, &["tasks", "list", "--unit", "区应急局", "--json"]).len(),
        canonical
    );
    // On 2019-01-01 exactly the 47 tasks due "2018年" are overdue.
    let overdue = json(
        d,
        &[
            "--today",
            "2019-01-01",
            "tasks",
            "list",
            "--overdue",
            "--json",
        ],
    );
    assert_eq!(overdue.len(), 47);
    assert!(
        overdue
            .iter()
            .all(|t| t["deadline_text"] == "2018年" && t["status"] == "overdue")
    );
    // Ten days before, they are 临期 (default window 15 days).
    let soon = json(
        d,
        &[
            "--today",
            "2018-12-21",
            "tasks",
            "list",
            "--status",
            "临期",
            "--json",
        ],
    );
    assert_eq!(soon.len(), 47);
}

#[test]
fn progress_added_from_the_cli_changes_status() {
    let dir = demo();
    let d = dir.path();
    let evidence = d.join("会议纪要.txt");
    std::fs::write(&evidence, "部署会纪要").unwrap();
    let out = ok(
        d,
        &[
            "progress",
            "add",
            "--task",
            "reform/36",
            "--date",
            "2018-06-01",
            "--text",
            "已明确整改主体",
            "--done",
            "--attach",
            evidence.to_str().unwrap(),
        ],
    );
    assert!(out.contains("已保存"), "{out}");
    let tasks = json(
        d,
        &[
            "--campaign",
            "shangluo-2018",
            "tasks",
            "list",
            "--plan",
            "reform",
            "--json",
        ],
    );
    let t = tasks.iter().find(|t| t["id"] == "reform/36").unwrap();
    assert_eq!(t["status"], "done");
    let shown = ok(d, &["tasks", "show", "reform/36", "--json"]);
    let shown: Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown["progress"][0]["evidence"][0]["name"], "会议纪要.txt");
    let stored = shown["progress"][0]["evidence"][0]["stored"]
        .as_str()
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(d.join("evidence").join(stored)).unwrap(),
        "部署会纪要"
    );
}

#[test]
fn units_list() {
    let dir = demo();
    let shangluo = json(
        dir.path(),
        &["--campaign", "shangluo-2018", "units", "list", "--json"],
    );
    let anjian = shangluo.iter().find(|u| u["name"] == "市安监局").unwrap();
    assert_eq!(anjian["tasks"], 52);
    let units = json(dir.path(), &["units", "list", "--json"]);
    let zhujian = units.iter().find(|u| u["name"] == "区住建局").unwrap();
    assert!(
        zhujian["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "区住房城乡建设局")
    );
    let text = ok(dir.path(), &["units", "list"]);
    assert!(text.contains("区住建局"));
    // 商洛市's bodies are its campaign's, not listed with 麒麟区's.
    assert!(!text.contains("市安监局"), "{text}");
}

#[test]
fn backup_and_restore_round_trip() {
    let dir = demo();
    let d = dir.path();
    let file = d.join("备份.anwei-backup");
    ok(d, &["backup", file.to_str().unwrap()]);
    ok(
        d,
        &[
            "progress",
            "add",
            "--task",
            "topic-1/1",
            "--text",
            "备份之后的进展",
        ],
    );
    let before = ok(d, &["tasks", "show", "topic-1/1", "--json"]);
    assert!(before.contains("备份之后的进展"));
    let out = ok(d, &["restore", file.to_str().unwrap()]);
    assert!(out.contains("恢复前的数据已备份到"), "{out}");
    let after = ok(d, &["tasks", "show", "topic-1/1", "--json"]);
    assert!(
        !after.contains("备份之后的进展"),
        "restore brings back the backed-up state"
    );
    // The replaced data was kept in a before-restore backup: restoring it brings the entry back.
    let kept = std::fs::read_dir(d.join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("before-restore-")
        })
        .expect("a before-restore backup");
    ok(d, &["restore", kept.to_str().unwrap()]);
    assert!(ok(d, &["tasks", "show", "topic-1/1", "--json"]).contains("备份之后的进展"));
}

#[test]
fn damaged_database_gives_a_plain_message() {
    let dir = demo();
    let d = dir.path();
    for entry in std::fs::read_dir(d.join("db")).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::write(&p, b"\x00garbage\xffnot a database at all").unwrap();
        }
    }
    let out = anwei(d, &["check"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("数据库无法打开"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_second_instance_is_refused() {
    let dir = demo();
    let held = anwei_store::Store::open(dir.path()).unwrap();
    let out = anwei(dir.path(), &["tasks", "list"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("正被另一个"), "{err}");
    drop(held);
    ok(dir.path(), &["tasks", "list"]);
}

#[test]
fn bad_input_is_reported() {
    let dir = demo();
    let d = dir.path();
    let out = anwei(d, &["tasks", "list", "--plan", "nope"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有方案“nope”"));
    let out = anwei(
        d,
        &["progress", "add", "--task", "reform/1", "--percent", "150"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("0–100"));
    let out = anwei(
        d,
        &["progress", "add", "--task", "reform/999", "--text", "x"],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("找不到任务"));
    let out = anwei(
        d,
        &["restore", d.join("none.anwei-backup").to_str().unwrap()],
    );
    assert!(!out.status.success());
    // Nothing was lost by the failed commands.
    assert_eq!(json(d, &["tasks", "list", "--json"]).len(), BUILTIN_TASKS);
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (Debian package poppler-utils; tests/run.sh installs it)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn prints_the_plans_that_tasks_list_shows() {
    let dir = demo();
    let d = dir.path();
    // Each campaign's plans: 麒麟区's two 专题 and ten sector plans, 商洛市's reform table.
    for (campaign, count) in [("qilin-2020", 12), ("shangluo-2018", 1)] {
        let plans: std::collections::BTreeSet<String> =
            json(d, &["--campaign", campaign, "tasks", "list", "--json"])
                .iter()
                .map(|t| t["plan"].as_str().unwrap().to_owned())
                .collect();
        assert_eq!(plans.len(), count, "{plans:?}");
        for plan in &plans {
            let pdf = d.join(format!("{plan}.pdf"));
            let out = ok(
                d,
                &[
                    "--campaign",
                    campaign,
                    "print",
                    "task-table",
                    "--plan",
                    plan,
                    "--out",
                    pdf.to_str().unwrap(),
                ],
            );
            assert!(out.contains("已生成"), "{out}");
            let text = pdftotext(&pdf);
            assert!(text.contains("序号") && text.contains("主要任务"), "{plan}");
        }
    }
    let reform = pdftotext(&d.join("reform.pdf"));
    assert!(reform.contains("推进安全生产领域改革发展重点任务分工方案"));
    assert!(
        !reform.contains("责任单位"),
        "the reform table has no 责任单位 column"
    );
    let topic = pdftotext(&d.join("topic-1.pdf"));
    assert!(topic.contains("责任单位"));
    // 附件7 is one agency's own plan: its tasks name no unit, and its table has no unit
    // columns but says so; 附件9's tasks without units say "原文未列" in theirs.
    let roads: String = pdftotext(&d.join("roads.pdf")).split_whitespace().collect();
    assert!(
        roads.contains("本方案各项任务原文未列牵头单位、责任单位"),
        "{roads}"
    );
    assert_eq!(
        roads.matches("牵头单位").count(),
        1,
        "only in that line: {roads}"
    );
    assert!(roads.contains("完成时间"));
    let construction: String = pdftotext(&d.join("construction.pdf"))
        .split_whitespace()
        .collect();
    assert!(construction.contains("原文未列"), "{construction}");
    assert!(!construction.contains("本方案各项任务原文未列"));
    // Each plan's unit columns in its source's words and order: 附件6 labels the towns
    // 责任单位, the lead 区级牵头部门 and the others 区级责任部门; 附件10's tasks name only the
    // park (责任单位), so it has no 牵头 column to leave blank.
    let fire: String = pdftotext(&d.join("fire.pdf")).split_whitespace().collect();
    let at = |w: &str| fire.find(w).unwrap_or_else(|| panic!("{w} in {fire}"));
    assert!(at("主要任务") < at("责任单位"));
    assert!(at("责任单位") < at("区级牵头部门"));
    assert!(at("区级牵头部门") < at("区级责任部门"));
    assert!(at("区级责任部门") < at("完成时间"));
    assert!(!fire.contains("牵头单位"), "{fire}");
    let parks: String = pdftotext(&d.join("industrial-parks.pdf"))
        .split_whitespace()
        .collect();
    assert!(parks.contains("责任单位"), "{parks}");
    assert!(!parks.contains("牵头单位"), "{parks}");
    // …and its tasks stand under its own headings, as the source heads them.
    for heading in [
        "二、整治主要内容",
        "四、组织领导（二）主要工作",
        "五、整治工作保障措施（七）加强高风险工业园区安全管控",
    ] {
        assert!(parks.contains(heading), "{heading}: {parks}");
    }
    let listed = ok(d, &["tasks", "list", "--plan", "roads"]);
    assert!(
        listed.lines().filter(|l| l.contains("[原文未列]")).count() == 16,
        "{listed}"
    );
    // The whole campaign and the progress report print too.
    let all = d.join("all.pdf");
    ok(d, &["print", "task-table", "--out", all.to_str().unwrap()]);
    let report = d.join("report.pdf");
    ok(
        d,
        &[
            "--today",
            "2020-11-20",
            "print",
            "progress",
            "--out",
            report.to_str().unwrap(),
        ],
    );
    assert!(pdftotext(&report).contains("逾期"));
    // Same data, fixed date → same bytes.
    let again = d.join("report2.pdf");
    ok(
        d,
        &[
            "--today",
            "2020-11-20",
            "print",
            "progress",
            "--out",
            again.to_str().unwrap(),
        ],
    );
    assert_eq!(
        std::fs::read(&report).unwrap(),
        std::fs::read(&again).unwrap()
    );
    let out = anwei(
        d,
        &[
            "print",
            "task-table",
            "--plan",
            "nope",
            "--out",
            d.join("x.pdf").to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(!d.join("x.pdf").exists());
}

/// Printing reads the sector plans the store holds, and starts the plugins only when they
/// might bring something else. Seen through `plugins/synced`: a command that starts the
/// plugins and syncs their plans with nothing to say writes it anew.
#[test]
fn print_starts_the_plugins_only_when_they_may_bring_something() {
    let dir = demo();
    let d = dir.path();
    let stamp = d.join("plugins").join("synced");
    let written = || std::fs::metadata(&stamp).and_then(|m| m.modified()).ok();
    let mut last = written();
    let mut started = || {
        let now = written();
        let changed = now != last;
        last = now;
        changed
    };
    let pdf = d.join("coal.pdf");
    let print = || {
        ok(
            d,
            &[
                "print",
                "task-table",
                "--plan",
                "coal-mining",
                "--out",
                pdf.to_str().unwrap(),
            ],
        )
    };

    // The signal works: a command that always starts the plugins writes it.
    ok(d, &["units", "list"]);
    assert!(started(), "starting the plugins writes plugins/synced");

    // The store holds what the plugins would bring: printing leaves them alone.
    print();
    assert!(!started(), "print started the plugins for nothing");
    assert!(pdftotext(&pdf).contains("煤矿"));

    // The store lost the coal plan (as after restoring an older backup): printing starts
    // the plugins, which bring it back, and it prints.
    {
        let store = anwei_store::Store::open(d).unwrap();
        store
            .apply(
                &anwei_core::Command::RemoveSectorPlan {
                    sector: "coal-mining".into(),
                },
                "测试员",
            )
            .unwrap();
    }
    std::fs::remove_file(&pdf).unwrap();
    print();
    assert!(started(), "the plugins were needed and not started");
    assert!(pdftotext(&pdf).contains("煤矿"));

    // Up to date again: the next print needs them no more.
    print();
    assert!(!started());
}

#[test]
fn supervision_notices_are_numbered_per_year() {
    let dir = demo();
    let d = dir.path();
    let first = d.join("n1.pdf");
    let out = ok(
        d,
        &[
            "--today",
            "2020-11-20",
            "print",
            "supervision",
            "--issue",
            "--task",
            "topic-1/6",
            "--out",
            first.to_str().unwrap(),
        ],
    );
    assert!(out.contains("〔2020〕1号"), "{out}");
    let text = pdftotext(&first).split_whitespace().collect::<String>();
    assert!(text.contains("〔2020〕1号"), "{text}");
    assert!(
        text.contains("区应急管理局"),
        "recipient: the task's lead unit"
    );
    assert!(text.contains("2020年8月15日"), "the original deadline");
    let second = d.join("n2.pdf");
    let out = ok(
        d,
        &[
            "--today",
            "2020-11-21",
            "print",
            "supervision",
            "--issue",
            "--task",
            "reform/36",
            "--out",
            second.to_str().unwrap(),
        ],
    );
    assert!(out.contains("〔2020〕2号"), "{out}");
    let next_year = d.join("n3.pdf");
    let out = ok(
        d,
        &[
            "--today",
            "2021-01-04",
            "print",
            "supervision",
            "--issue",
            "--task",
            "reform/36",
            "--out",
            next_year.to_str().unwrap(),
        ],
    );
    assert!(
        out.contains("〔2021〕1号"),
        "numbering restarts each year: {out}"
    );
}

/// A notice states only what is so: none for a task done by its date, none with a new
/// deadline that is not after its date; neither takes a number.
#[test]
fn a_notice_that_would_state_what_is_not_so_is_refused_and_takes_no_number() {
    let dir = demo();
    let d = dir.path();
    let pdf = d.join("n.pdf");
    let notice = |today: &str, task: &str, extra: &[&str]| {
        let mut args = vec![
            "--today",
            today,
            "print",
            "supervision",
            "--issue",
            "--task",
            task,
            "--out",
            pdf.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        args.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    fn as_strs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    ok(
        d,
        &[
            "--today",
            "2020-11-20",
            "progress",
            "add",
            "--task",
            "topic-1/6",
            "--date",
            "2020-11-01",
            "--text",
            "已全部完成",
            "--done",
        ],
    );
    let err = fails(d, &as_strs(&notice("2020-11-20", "topic-1/6", &[])), 1);
    assert!(err.contains("已完成"), "{err}");
    let err = fails(
        d,
        &as_strs(&notice(
            "2020-11-20",
            "reform/36",
            &["--new-deadline", "2020-11-19"],
        )),
        1,
    );
    assert!(err.contains("不晚于成文日期"), "{err}");
    assert!(!pdf.exists());
    // Nothing was numbered: the next notice of 2020 is number 1.
    let out = ok(d, &as_strs(&notice("2020-11-20", "reform/36", &[])));
    assert!(out.contains("〔2020〕1号"), "{out}");
}

/// Drafts take no number; `--issue` takes the next one and keeps the PDF; the register
/// lists it, prints it again byte for byte, and voids it with a reason (the number stays
/// used).
#[test]
fn notices_are_drafted_issued_listed_reprinted_and_voided() {
    let dir = demo();
    let d = dir.path();
    let pdf = d.join("n.pdf");
    let print = |issue: bool| {
        let mut args = vec![
            "--today",
            "2020-11-20",
            "print",
            "supervision",
            "--task",
            "reform/36",
            "--out",
            pdf.to_str().unwrap(),
        ];
        if issue {
            args.push("--issue");
        }
        ok(d, &args)
    };
    for _ in 0..5 {
        let out = print(false);
        assert!(out.contains("草稿") && !out.contains("〔2020〕"), "{out}");
    }
    let text = pdftotext(&pdf).split_whitespace().collect::<String>();
    assert!(text.contains("草稿（未签发，不作正式文件）"), "{text}");
    assert!(!text.contains("〔2020〕1号"), "{text}");
    assert!(ok(d, &["notices", "list"]).contains("共 0 份"));

    let out = print(true);
    assert!(
        out.contains("〔2020〕1号"),
        "five drafts used no number: {out}"
    );
    let issued = std::fs::read(&pdf).unwrap();
    let text = pdftotext(&pdf).split_whitespace().collect::<String>();
    assert!(
        text.contains("〔2020〕1号") && !text.contains("草稿"),
        "{text}"
    );

    let listed = ok(d, &["notices", "list"]);
    assert!(
        listed.contains("〔2020〕1号") && listed.contains("有效"),
        "{listed}"
    );
    let listed = json(d, &["notices", "list", "--task", "reform/36", "--json"]);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["doc_number"], "安委办督〔2020〕1号");
    assert_eq!(listed[0]["number"], 1);
    assert_eq!(listed[0]["task"], "reform/36");
    assert_eq!(listed[0]["date"], "2020-11-20");
    assert_eq!(listed[0]["sha256"].as_str().unwrap().len(), 64);
    assert!(json(d, &["notices", "list", "--task", "reform/1", "--json"]).is_empty());

    // Printed again: the same bytes, whenever and whatever changed since.
    let again = d.join("again.pdf");
    ok(
        d,
        &[
            "--today",
            "2021-03-01",
            "notices",
            "reprint",
            "2020-1",
            "--out",
            again.to_str().unwrap(),
        ],
    );
    assert_eq!(std::fs::read(&again).unwrap(), issued);

    let out = ok(
        d,
        &["notices", "void", "〔2020〕1号", "--reason", "主送单位有误"],
    );
    assert!(out.contains("已作废"), "{out}");
    let listed = ok(d, &["notices", "list"]);
    assert!(listed.contains("已作废（主送单位有误）"), "{listed}");
    let err = fails(d, &["notices", "void", "2020-1", "--reason", "再次"], 1);
    assert!(err.contains("已于"), "{err}");
    let err = fails(d, &["notices", "void", "2020-9", "--reason", "x"], 1);
    assert!(err.contains("〔2020〕9号"), "{err}");
    let err = fails(d, &["notices", "reprint", "第一号", "--out", "x.pdf"], 1);
    assert!(err.contains("2026-3"), "the format is named: {err}");

    // The voided number stays used.
    assert!(print(true).contains("〔2020〕2号"));
    let out = ok(
        d,
        &[
            "notices",
            "reprint",
            "2020-1",
            "--out",
            again.to_str().unwrap(),
        ],
    );
    assert!(out.contains("已作废"), "{out}");
    assert_eq!(std::fs::read(&again).unwrap(), issued);
    let check = ok(d, &["check"]);
    assert!(!check.contains("PDF"), "{check}");
}

/// Issue 9, item 7: with every state record gone and the database truncated, `check` says the
/// data cannot be verified (exit 1) until the user accepts it with `--accept` (audited).
#[test]
fn check_reports_an_unverified_database_until_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = anwei(d, &["init", "--demo"]);
    assert!(out.status.success());
    std::fs::remove_file(d.join("anwei.state")).unwrap();
    std::fs::remove_file(d.join("db/anwei.state")).unwrap();
    std::fs::write(d.join("db/db"), b"").unwrap();
    let out = anwei(d, &["check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("完整性无法确认"), "{text}");
    assert!(text.contains("check --accept"), "{text}");
    // Still said on the next run.
    assert_eq!(anwei(d, &["check"]).status.code(), Some(1));
    let out = anwei(d, &["check", "--accept"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(anwei(d, &["check"]).status.success());
    let store = anwei_store::Store::open(d).unwrap();
    assert!(
        store
            .audit(None, 100)
            .unwrap()
            .iter()
            .any(|a| a.summary.contains("确认接受"))
    );
}

/// Stand-ins for CUPS's `lpstat`, `lpoptions` and `lp` in a folder: one printer "办公室"
/// (the default, duplex); `lp` records its arguments and keeps a copy of the file it gets.
#[cfg(unix)]
fn fake_cups(dir: &Path) -> std::path::PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let scripts = [
        (
            "lpstat",
            "#!/bin/sh\ncase \"$1\" in\n -e) echo 办公室 ;;\n -d) echo 'system default destination: 办公室' ;;\nesac\n".to_owned(),
        ),
        (
            "lpoptions",
            "#!/bin/sh\necho 'Duplex/Double-Sided Printing: *None DuplexNoTumble DuplexTumble'\n"
                .to_owned(),
        ),
        (
            "lp",
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{0}/lp.args'\nfor last; do :; done\ncp \"$last\" '{0}/printed.pdf'\necho \"request id is 办公室-3 (1 file(s))\"\n",
                dir.display()
            ),
        ),
    ];
    for (name, body) in scripts {
        let path = bin.join(name);
        write_script(&path, &body);
    }
    bin
}

/// `--printer` sends the document to the print service (copies, duplex), with or without a
/// PDF file; `anwei printers` lists the printers; without a print service, or without a file
/// or a printer, the user is told what to do.
#[cfg(unix)]
#[test]
fn documents_go_to_a_printer_and_a_missing_print_service_is_said() {
    let dir = demo();
    let d = dir.path();
    let cups = tempfile::tempdir().unwrap();
    let bin = fake_cups(cups.path());
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |args: &[&str], path: &str| {
        Command::new(env!("CARGO_BIN_EXE_anwei"))
            .arg("--data")
            .arg(d)
            .args(args)
            .env("PATH", path)
            .env_remove("ANWEI_DATA")
            .output()
            .unwrap()
    };
    let out = run(&["printers"], &path);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "办公室（默认，可双面）"
    );

    let out = run(
        &[
            "print",
            "task-table",
            "--campaign",
            "shangluo-2018",
            "--plan",
            "reform",
            "--printer",
            "办公室",
            "--copies",
            "2",
            "--duplex",
        ],
        &path,
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("已送打印机 办公室：2 份，双面（作业 办公室-3）"),
        "{said}"
    );
    let args = std::fs::read_to_string(cups.path().join("lp.args")).unwrap();
    for want in ["办公室", "2", "sides=two-sided-long-edge", "media=A4"] {
        assert!(args.lines().any(|l| l == want), "{want} in {args}");
    }
    let printed = std::fs::read(cups.path().join("printed.pdf")).unwrap();
    assert!(printed.starts_with(b"%PDF"));

    // A file and the printer: the same bytes to both.
    let pdf = d.join("t.pdf");
    let out = run(
        &[
            "--today",
            "2020-11-20",
            "print",
            "task-table",
            "--campaign",
            "shangluo-2018",
            "--plan",
            "reform",
            "--out",
            pdf.to_str().unwrap(),
            "--printer",
            "默认",
        ],
        &path,
    );
    assert!(out.status.success());
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        std::fs::read(cups.path().join("printed.pdf")).unwrap()
    );

    // No print service on this machine: said, with the way out.
    let empty = tempfile::tempdir().unwrap();
    let out = run(
        &["print", "progress", "--printer", "办公室"],
        &empty.path().display().to_string(),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("没有可用的打印服务") && err.contains("--out"),
        "{err}"
    );
    // Neither a file nor a printer.
    let out = run(&["print", "progress"], &path);
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--out") && err.contains("--printer"), "{err}");
}

/// A status is computed from the progress known on the day asked for: an entry dated later
/// (done on 2020-12-01) does not make the task done on 2020-11-20.
#[test]
fn statuses_count_only_the_progress_known_on_the_day() {
    let dir = demo();
    let d = dir.path();
    ok(
        d,
        &[
            "--today",
            "2020-12-01",
            "progress",
            "add",
            "--task",
            "reform/1",
            "--date",
            "2020-12-01",
            "--text",
            "全部完成",
            "--done",
        ],
    );
    let status_on = |day: &str| -> String {
        let rows = json(
            d,
            &[
                "--today",
                day,
                "--campaign",
                "shangluo-2018",
                "tasks",
                "list",
                "--plan",
                "reform",
                "--json",
            ],
        );
        let row = rows.iter().find(|r| r["id"] == "reform/1").unwrap();
        row["status"].as_str().unwrap().to_owned()
    };
    assert_eq!(status_on("2020-12-01"), "done");
    assert_ne!(status_on("2020-11-20"), "done");
}

#[test]
fn the_register_of_an_unknown_task_is_refused_not_shown_empty() {
    let dir = demo();
    let err = fails(dir.path(), &["notices", "list", "--task", "reform/999"], 1);
    assert!(err.contains("找不到任务“reform/999”"), "{err}");
}

/// 附件4 (一)1 "2020年5月底前…6月底前": the interim milestone passed unreported makes the task
/// 逾期 a month before its final date; an entry reporting it reached (`--milestone`, by its
/// text or its date) lifts that, and a milestone the task does not have is refused.
#[test]
fn an_unreported_interim_milestone_makes_a_task_overdue_until_an_entry_reports_it() {
    let dir = demo();
    let d = dir.path();
    let on = |today: &str| -> Value {
        json(d, &["--today", today, "tasks", "list", "--json"])
            .into_iter()
            .find(|t| t["id"] == "coal-mining/1")
            .unwrap()
    };
    let before = on("2020-05-31");
    assert_eq!(before["status"], "due_soon", "{before}");
    let late = on("2020-06-01");
    assert_eq!(late["status"], "overdue", "{late}");
    assert_eq!(late["milestone"], "2020年5月底前");
    assert_eq!(late["due"], "2020-05-31");
    let err = fails(
        d,
        &[
            "--today",
            "2020-06-01",
            "progress",
            "add",
            "--task",
            "coal-mining/1",
            "--text",
            "方案已印发",
            "--milestone",
            "2020年4月底前",
        ],
        1,
    );
    assert!(
        err.contains("没有阶段节点“2020年4月底前”") && err.contains("2020年5月底前（2020-05-31）"),
        "{err}"
    );
    ok(
        d,
        &[
            "--today",
            "2020-06-01",
            "progress",
            "add",
            "--task",
            "coal-mining/1",
            "--date",
            "2020-05-30",
            "--text",
            "方案已印发",
            "--milestone",
            "2020-05-31",
        ],
    );
    let after = on("2020-06-01");
    assert_eq!(after["status"], "in_progress", "{after}");
    assert!(after["milestone"].is_null());
    assert_eq!(after["due"], "2020-06-30");
}

/// `targets list` on a folder with no campaign says once that each sector plan could not be
/// imported (it said it twice: once as the plugins started, again after computing).
#[test]
fn targets_list_says_each_plan_note_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = anwei(dir.path(), &["targets", "list"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let notes: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("行业方案未能导入"))
        .collect();
    assert_eq!(notes.len(), 10, "{err}");
    let mut once = notes.clone();
    once.sort_unstable();
    once.dedup();
    assert_eq!(once.len(), notes.len(), "{err}");
}

/// A task and a target marked 不适用 from the command line: shown so with the reason, in no
/// status filter, and back to their status with `--undo`; a mark without a reason, or of an
/// unknown item, is refused with a message and saves nothing.
#[test]
fn tasks_and_targets_are_marked_not_applicable_and_back() {
    let dir = demo();
    let d = dir.path();
    let status = |id: &str| -> String {
        json(d, &["tasks", "list", "--json"])
            .into_iter()
            .find(|r| r["id"] == id)
            .unwrap()["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let id = "topic-1/1";
    let before = status(id);
    assert_ne!(before, "not_applicable");
    let err = fails(d, &["tasks", "not-applicable", id], 2);
    assert!(err.contains("--reason"), "{err}");
    let err = fails(
        d,
        &["tasks", "not-applicable", "nope/1", "--reason", "x"],
        1,
    );
    assert!(err.contains("nope/1"), "{err}");
    let out = ok(
        d,
        &["tasks", "not-applicable", id, "--reason", "本区无海域"],
    );
    assert!(out.contains("不适用：本区无海域"), "{out}");
    assert_eq!(status(id), "not_applicable");
    let shown = ok(d, &["tasks", "show", id]);
    assert!(shown.contains("状态：不适用"), "{shown}");
    assert!(shown.contains("不适用的理由：本区无海域"), "{shown}");
    for s in ["overdue", "not_started", "in_progress", "done", "due_soon"] {
        let listed = json(d, &["tasks", "list", "--status", s, "--json"]);
        assert!(listed.iter().all(|r| r["id"] != id), "{s}");
    }
    let listed = json(d, &["tasks", "list", "--status", "不适用", "--json"]);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["not_applicable"], "本区无海域");
    // The progress report counts it in no total and names it apart, with the reason.
    let pdf = d.join("report.pdf");
    let pdf_arg = pdf.to_str().unwrap();
    ok(
        d,
        &["print", "progress", "--plan", "topic-1", "--out", pdf_arg],
    );
    let text = pdftotext(&pdf);
    let flat: String = text.split_whitespace().collect();
    assert!(flat.contains("共有任务20项"), "{text}");
    assert!(
        flat.contains("另有1项任务经核定不适用本地区，未计入上述统计"),
        "{text}"
    );
    assert!(flat.contains("不适用本地区、未计入的任务1项"), "{text}");
    assert!(flat.contains("（本区无海域）"), "{text}");
    // The same mark again is refused; --undo brings the status back.
    fails(
        d,
        &["tasks", "not-applicable", id, "--reason", "本区无海域"],
        1,
    );
    ok(d, &["tasks", "not-applicable", id, "--undo"]);
    assert_eq!(status(id), before);

    // A target: 不适用 with its reason in `targets list`, and not counted as 无数据.
    let targets = json(
        d,
        &["targets", "list", "--sector", "dust-explosion", "--json"],
    );
    let target = targets[0]["id"].as_str().unwrap().to_owned();
    ok(
        d,
        &[
            "targets",
            "not-applicable",
            &target,
            "--reason",
            "本区无此类企业",
        ],
    );
    let targets = json(
        d,
        &["targets", "list", "--sector", "dust-explosion", "--json"],
    );
    let t = targets.iter().find(|t| t["id"] == target.as_str()).unwrap();
    assert_eq!(t["status"], "not_applicable");
    assert_eq!(t["not_applicable"], "本区无此类企业");
    let text = ok(d, &["targets", "list", "--sector", "dust-explosion"]);
    assert!(text.contains("不适用（本区无此类企业）"), "{text}");
    let err = fails(
        d,
        &["targets", "not-applicable", "nope", "--reason", "x"],
        1,
    );
    assert!(err.contains("没有指标“nope”"), "{err}");
    ok(d, &["targets", "not-applicable", &target, "--undo"]);
    let targets = json(
        d,
        &["targets", "list", "--sector", "dust-explosion", "--json"],
    );
    let t = targets.iter().find(|t| t["id"] == target.as_str()).unwrap();
    assert_ne!(t["status"], "not_applicable");
    assert!(t.get("not_applicable").is_none());
}

/// The 专题 have targets of their own (附件1: 23, 附件2: 18), listed by plan; one fed by its
/// task's progress counts the entries of its last whole period.
#[test]
fn the_topics_targets_are_listed_and_progress_feeds_a_recurring_one() {
    let dir = demo();
    let d = dir.path();
    let list = |plan: &str| json(d, &["targets", "list", "--sector", plan, "--json"]);
    assert_eq!(list("topic-1").len(), 23);
    assert_eq!(list("topic-2").len(), 18);
    let value = || -> Option<f64> {
        let t = list("topic-1")
            .into_iter()
            .find(|t| t["id"] == "topic-1/t1-quarterly-analysis")
            .unwrap();
        assert_eq!(t["current"]["source"], "progress", "{t}");
        t["current"]["value"].as_f64()
    };
    assert_eq!(value(), Some(0.0), "no entry in the last whole quarter");
    // An entry dated in the last whole quarter before today counts; one dated in the current
    // quarter does not yet.
    let today = chrono::Local::now().date_naive();
    let (start, _) = anwei_core::Recurrence::Quarterly.period_of(today);
    let in_last = start - chrono::Days::new(20);
    ok(
        d,
        &[
            "progress",
            "add",
            "--task",
            "topic-1/2",
            "--date",
            &in_last.to_string(),
            "--text",
            "召开季度分析会",
        ],
    );
    ok(
        d,
        &[
            "progress",
            "add",
            "--task",
            "topic-1/2",
            "--date",
            &today.to_string(),
            "--text",
            "本季度分析会",
        ],
    );
    assert_eq!(value(), Some(1.0));
    let text = ok(d, &["targets", "list", "--sector", "topic-1"]);
    assert!(text.contains("topic-1\t"), "{text}");

    // Period by period over the campaign (2020-04-01 to 2022-12-31: 11 quarters): an entry
    // dated in 2020's second quarter but recorded today is 补报; the quarters without one
    // are 逾期未完成.
    ok(
        d,
        &[
            "progress",
            "add",
            "--task",
            "topic-1/2",
            "--date",
            "2020-05-10",
            "--text",
            "二季度分析会",
        ],
    );
    let periods = json(
        d,
        &[
            "targets",
            "periods",
            "topic-1/t1-quarterly-analysis",
            "--json",
        ],
    );
    assert_eq!(periods.len(), 11);
    assert_eq!(periods[0]["start"], "2020-04-01");
    assert_eq!(periods[0]["due"], "2020-06-30");
    assert_eq!(periods[0]["state"], "late");
    assert!(
        periods.iter().skip(1).all(|p| p["state"] == "missed"),
        "{periods:?}"
    );
    let text = ok(d, &["targets", "periods", "topic-1/t1-quarterly-analysis"]);
    assert!(text.contains("2020-04-01 至 2020-06-30"), "{text}");
    assert!(
        text.contains("补报完成") && text.contains("逾期未完成"),
        "{text}"
    );
    assert!(text.contains("共 11 期"), "{text}");
    let err = fails(d, &["targets", "periods", "topic-1/t1-trainee-database"], 1);
    assert!(err.contains("不是周期性工作"), "{err}");
}

/// Writes an executable script through a `sh` child. Were this process to hold the file open
/// for writing, a command another test thread forks at that moment would inherit the handle,
/// and running the script would fail with "Text file busy" (ETXTBSY) — a flake seen here.
#[cfg(unix)]
fn write_script(path: &std::path::Path, body: &str) {
    use std::io::Write;
    let mut child = std::process::Command::new("sh")
        .args(["-c", "cat > \"$1\" && chmod 755 \"$1\"", "sh"])
        .arg(path)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success(), "{}", path.display());
}

/// A second campaign from a file (2024–2026, no phases, three yearly checkpoints, two
/// actions): created, listed, made current; its tasks listed with their campaign and status,
/// its table and report printed; archived it takes no progress until it is opened again.
/// Nothing about 2020–2022 is assumed.
#[test]
fn a_second_campaign_from_a_file_is_listed_switched_printed_and_archived() {
    let dir = demo();
    let d = dir.path();
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/examples/campaign-2024.json");
    let made = ok(
        d,
        &["campaigns", "create", "--file", file.to_str().unwrap()],
    );
    assert!(
        made.contains("已新建活动") && made.contains("5 项任务"),
        "{made}"
    );
    // Created again: refused, nothing changed.
    let again = fails(
        d,
        &["campaigns", "create", "--file", file.to_str().unwrap()],
        1,
    );
    assert!(again.contains("已有编号为“qilin-2024”的活动"), "{again}");
    let listed = json(d, &["campaigns", "list", "--json"]);
    let ids: Vec<&str> = listed.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["qilin-2024", "qilin-2020", "shangluo-2018"],
        "newest first"
    );
    // On 2025-03-01 the campaign under way is the new one, before anyone chose.
    let current: Vec<String> = json(d, &["--today", "2025-03-01", "campaigns", "list", "--json"])
        .iter()
        .filter(|c| c["current"] == true)
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(current, ["qilin-2024"]);
    let on = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["--today", "2025-03-01"];
        a.extend_from_slice(args);
        a.iter().map(|s| (*s).to_owned()).collect()
    };
    let run = |args: &[&str]| ok(d, &on(args).iter().map(String::as_str).collect::<Vec<_>>());
    let rows: Vec<Value> = serde_json::from_str(&run(&["tasks", "list", "--json"])).unwrap();
    assert_eq!(rows.len(), 5, "only the new campaign's tasks");
    assert!(rows.iter().all(|r| r["campaign"] == "qilin-2024"));
    let status = |id: &str| {
        rows.iter()
            .find(|r| r["id"] == id)
            .map(|r| r["status"].as_str().unwrap().to_owned())
            .unwrap()
    };
    // 2024年底前 passed without progress: 逾期; the others run on; no phase is made up.
    assert_eq!(status("zhiben-2024/1"), "overdue");
    assert_eq!(status("zhiben-2024/4"), "not_started");
    assert!(rows.iter().all(|r| r["phase"].is_null()), "{rows:?}");
    // The interim 2024 milestone of task 5 passed unreported: 逾期 before its final date.
    assert_eq!(status("zhiben-2024/5"), "overdue");
    // Choosing the 2020 campaign makes it current; --campaign reads another without choosing.
    ok(d, &["campaigns", "switch", "qilin-2020"]);
    assert_eq!(json(d, &["tasks", "list", "--json"]).len(), BUILTIN_TASKS);
    assert_eq!(
        json(d, &["--campaign", "qilin-2024", "tasks", "list", "--json"]).len(),
        5
    );
    let unknown = fails(d, &["--campaign", "nope", "tasks", "list"], 1);
    assert!(unknown.contains("没有编号为“nope”的活动"), "{unknown}");
    ok(d, &["campaigns", "switch", "qilin-2024"]);
    // Printed: its table (no unit columns made up: 牵头单位 / 责任单位 as its roles are) and
    // its progress report, as of 2025-03-01.
    let table = d.join("zb.pdf");
    run(&[
        "print",
        "task-table",
        "--plan",
        "zhiben-2024",
        "--out",
        table.to_str().unwrap(),
    ]);
    let text: String = pdftotext(&table).split_whitespace().collect();
    assert!(text.contains("示例：治本攻坚三年行动任务分工"), "{text}");
    assert!(text.contains("建立重大事故隐患排查清单") && text.contains("2024年底前"));
    let report = d.join("zb-report.pdf");
    run(&["print", "progress", "--out", report.to_str().unwrap()]);
    let text: String = pdftotext(&report).split_whitespace().collect();
    assert!(text.contains("建立重大事故隐患排查清单"), "{text}");
    // Its timeline: no phases, its yearly checkpoints on the campaign's own row.
    let timeline = d.join("zb-timeline.pdf");
    run(&["print", "timeline", "--out", timeline.to_str().unwrap()]);
    let text: String = pdftotext(&timeline).split_whitespace().collect();
    assert!(text.contains("活动节点"), "{text}");
    for m in ["2024年度节点", "2025年度节点", "2026年度节点"] {
        assert!(text.contains(m), "{m}: {text}");
    }
    assert!(text.contains("建立重大事故隐患排查清单"), "{text}");
    // Its calendar: the campaign's recurring duties, if any, and nothing of another campaign.
    let cal = run(&[
        "calendar",
        "list",
        "--from",
        "2024-01-01",
        "--to",
        "2026-12-31",
    ]);
    assert!(cal.contains("示例：安全生产治本攻坚三年行动"), "{cal}");
    assert!(!cal.contains("coal-mining/"), "{cal}");
    // Archived: read-only, said; opened again: progress taken.
    ok(d, &["campaigns", "archive", "qilin-2024"]);
    let listed = json(d, &["campaigns", "list", "--json"]);
    assert!(
        listed
            .iter()
            .any(|c| c["id"] == "qilin-2024" && c["archived"] == true)
    );
    let progress = [
        "progress",
        "add",
        "--task",
        "zhiben-2024/1",
        "--text",
        "清单已建立",
        "--done",
    ];
    let refused = fails(
        d,
        &on(&progress).iter().map(String::as_str).collect::<Vec<_>>(),
        1,
    );
    assert!(refused.contains("已归档，只读"), "{refused}");
    ok(d, &["campaigns", "archive", "qilin-2024", "--undo"]);
    run(&progress);
    let rows: Vec<Value> = serde_json::from_str(&run(&["tasks", "list", "--json"])).unwrap();
    assert_eq!(
        rows.iter().find(|r| r["id"] == "zhiben-2024/1").unwrap()["status"],
        "done"
    );
}

/// The demo is two campaigns, each said to be what it is: 麒麟区's of 2020–2022 with its plans,
/// and seed 004's reform task division — 商洛市's, 2018–2020, its own units — apart from it.
#[test]
fn the_demo_is_two_campaigns_and_seed_004_is_shangluos_own() {
    let dir = demo();
    let d = dir.path();
    let listed = json(d, &["campaigns", "list", "--json"]);
    let by = |id: &str| listed.iter().find(|c| c["id"] == id).unwrap().clone();
    let qilin = by("qilin-2020");
    let shangluo = by("shangluo-2018");
    assert_eq!(qilin["region"], "曲靖市麒麟区");
    assert_eq!(shangluo["region"], "商洛市");
    assert_eq!(
        (shangluo["plans"].as_u64(), shangluo["tasks"].as_u64()),
        (Some(1), Some(57))
    );
    assert!(shangluo["note"].as_str().unwrap().contains("不属于麒麟区"));
    assert_eq!(shangluo["phases"], Value::Array(Vec::new()));
    // The 麒麟区 campaign's tasks do not include the reform table's; its units list has none
    // of 商洛市's bodies, and 商洛市's has them.
    let tasks = json(d, &["tasks", "list", "--json"]);
    assert!(tasks.iter().all(|t| t["plan"] != "reform"));
    // Its plans in the order of their attachments, 附件1 to 附件12, whatever order the
    // plugins load in.
    let mut plans: Vec<&str> = tasks.iter().map(|t| t["plan"].as_str().unwrap()).collect();
    plans.dedup();
    assert_eq!(
        plans,
        [
            "topic-1",
            "topic-2",
            "hazardous-chemicals",
            "coal-mining",
            "non-coal-mines",
            "fire",
            "roads",
            "waterways",
            "construction",
            "industrial-parks",
            "hazardous-waste",
            "dust-explosion"
        ]
    );
    let names = |args: &[&str]| -> Vec<String> {
        json(d, args)
            .iter()
            .map(|u| u["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let qilin_units = names(&["units", "list", "--json"]);
    assert!(
        !qilin_units.iter().any(|n| n == "市安监局"),
        "{qilin_units:?}"
    );
    let shangluo_units = names(&["--campaign", "shangluo-2018", "units", "list", "--json"]);
    assert!(shangluo_units.iter().any(|n| n == "市安监局"));
    // Its 2018 deadlines are its own years, not mapped into another campaign's phases.
    let reform = json(
        d,
        &["--campaign", "shangluo-2018", "tasks", "list", "--json"],
    );
    assert_eq!(reform.len(), 57);
    assert!(reform.iter().all(|t| t["phase"].is_null()));
}

/// `anwei today`: the tasks the task list shows 逾期 or 临期 and the targets `targets list`
/// shows 逾期未达标 or 滞后, the overdue first; `--unit` keeps those the unit leads (or is
/// responsible for, when a task names no lead).
#[test]
fn today_lists_what_is_past_or_near_and_by_unit() {
    let dir = demo();
    let d = dir.path();
    let day = ["--today", "2020-09-01"];
    let with = |args: &[&str]| -> Vec<String> {
        day.iter().chain(args).map(|s| (*s).to_owned()).collect()
    };
    let run = |args: &[&str]| {
        json(
            d,
            &with(args).iter().map(String::as_str).collect::<Vec<_>>(),
        )
    };
    let todos = run(&["today", "--json"]);
    let tasks = run(&["tasks", "list", "--json"]);
    let targets = run(&["targets", "list", "--json"]);
    let late_or_near: Vec<&Value> = tasks
        .iter()
        .filter(|t| t["status"] == "overdue" || t["status"] == "due_soon")
        .collect();
    let risky = targets
        .iter()
        .filter(|t| t["status"] == "overdue_unmet" || t["status"] == "behind")
        .count();
    assert!(!late_or_near.is_empty());
    let task_items = todos
        .iter()
        .filter(|t| !t["kind"].as_str().unwrap().starts_with("target"))
        .count();
    assert_eq!(task_items, late_or_near.len());
    assert_eq!(todos.len() - task_items, risky);
    for t in &late_or_near {
        assert!(todos.iter().any(|x| x["id"] == t["id"]), "{}", t["id"]);
    }
    // What is past its date comes before what is near.
    let overdue = |t: &Value| t["kind"].as_str().unwrap().ends_with("overdue");
    let first_near = todos
        .iter()
        .position(|t| !overdue(t))
        .unwrap_or(todos.len());
    assert!(todos[first_near..].iter().all(|t| !overdue(t)));
    // One unit's: exactly the tasks it leads (or, without a lead, is responsible for).
    let mine = run(&["today", "--unit", "区应急管理局", "--json"]);
    let expected = late_or_near
        .iter()
        .filter(|t| {
            let lead = t["lead_units"].as_array().unwrap();
            let units = if lead.is_empty() {
                t["responsible_units"].as_array().unwrap()
            } else {
                lead
            };
            units.iter().any(|u| u == "区应急管理局")
        })
        .count();
    assert!(expected > 0);
    assert_eq!(mine.len(), expected);
    // An alias finds the same unit; an unknown one is said.
    assert_eq!(
        run(&["today", "--unit", "应急管理局", "--json"]).len(),
        expected
    );
    let err = fails(d, &["today", "--unit", "没有这个单位"], 1);
    assert!(err.contains("没有单位“没有这个单位”"), "{err}");
    let text = ok(
        d,
        &with(&["today"])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert!(
        text.contains("今日待办（麒麟区安全生产专项整治三年行动，截至 2020-09-01）"),
        "{text}"
    );
}

/// A deadline moved from the command line: the row is due on the new date from the day of
/// the decision (an overdue task is not overdue then), the written deadline stays, the change
/// and its reason are shown; as of an earlier day the written deadline applies.
#[test]
fn a_moved_deadline_applies_from_its_day_and_the_written_one_stays() {
    let dir = demo();
    let d = dir.path();
    let row = |day: &str, id: &str| -> Value {
        json(
            d,
            &[
                "--today", day, "tasks", "list", "--plan", "topic-1", "--json",
            ],
        )
        .into_iter()
        .find(|r| r["id"] == id)
        .unwrap()
    };
    // topic-1's (二)1 is due 2020-08-15: overdue on 2020-09-01.
    let id = json(d, &["tasks", "list", "--plan", "topic-1", "--json"])
        .into_iter()
        .find(|r| r["label"] == "(二)1")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(row("2020-09-01", &id)["status"], "overdue");
    let out = ok(
        d,
        &[
            "--today",
            "2020-08-20",
            "tasks",
            "adjust-deadline",
            &id,
            "--due",
            "2020-10-31",
            "--reason",
            "疫情防控，会议推迟",
        ],
    );
    assert!(out.contains("完成时间调整为 2020-10-31"), "{out}");
    let after = row("2020-09-01", &id);
    assert_ne!(after["status"], "overdue");
    assert_eq!(after["due"], "2020-10-31");
    assert_eq!(after["adjusted"]["reason"], "疫情防控，会议推迟");
    assert_eq!(
        after["deadline"]["date"], "2020-08-15",
        "the written deadline stays"
    );
    // Before the decision, the written deadline applied.
    let before = row("2020-08-19", &id);
    assert!(before.get("adjusted").is_none());
    assert_eq!(before["due"], "2020-08-15");
    let shown = ok(d, &["tasks", "show", &id]);
    assert!(
        shown.contains("完成时间调整：2020-08-20 起改为 2020-10-31（疫情防控，会议推迟）"),
        "{shown}"
    );
    // No reason: refused, in Chinese.
    let err = fails(
        d,
        &[
            "tasks",
            "adjust-deadline",
            &id,
            "--due",
            "2030-01-01",
            "--reason",
            " ",
        ],
        1,
    );
    assert!(err.contains("理由不能为空"), "{err}");
}

/// `print timeline`: landscape pages with the plan's own phases by name, the day shown, every
/// task of the selection; the axis and the phases repeat on each page of a long one.
#[test]
fn the_timeline_prints_a_plans_own_phases_and_its_tasks() {
    let dir = demo();
    let d = dir.path();
    let pdf = d.join("parks.pdf");
    ok(
        d,
        &[
            "--today",
            "2020-09-01",
            "print",
            "timeline",
            "--plan",
            "industrial-parks",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    let text: String = pdftotext(&pdf).split_whitespace().collect();
    for phase in ["组织动员", "部署实施", "深化推进", "评估提高"] {
        assert!(text.contains(phase), "{phase}: {text}");
    }
    assert!(text.contains("截至2020-09-01"), "{text}");
    for t in json(
        d,
        &["tasks", "list", "--plan", "industrial-parks", "--json"],
    ) {
        let label = t["label"].as_str().unwrap();
        assert!(text.contains(label), "{label}");
    }
    let all = d.join("all.pdf");
    ok(
        d,
        &[
            "--today",
            "2020-09-01",
            "print",
            "timeline",
            "--out",
            all.to_str().unwrap(),
        ],
    );
    let pages = pdftotext(&all).matches('\u{c}').count();
    assert!(pages >= 2, "{pages} pages");
    assert_eq!(
        pdftotext(&all).matches("截至 2020-09-01").count(),
        pages,
        "the header on every page"
    );
}

/// `calendar list`: each period of each recurring duty (a task's "每季度", a target's "每月…")
/// due within the span, on its period's last day, by date; a span ending before it starts is
/// refused.
#[test]
fn the_calendar_lists_each_periods_due_date_across_month_and_year_ends() {
    let dir = demo();
    let d = dir.path();
    let list = json(
        d,
        &[
            "calendar",
            "list",
            "--from",
            "2020-12-15",
            "--to",
            "2021-01-31",
            "--json",
        ],
    );
    assert!(!list.is_empty());
    let due = |e: &Value| e["due"].as_str().unwrap().to_owned();
    assert!(
        list.iter()
            .all(|e| ("2020-12-15".."2021-02-01").contains(&due(e).as_str()))
    );
    assert!(list.windows(2).all(|w| due(&w[0]) <= due(&w[1])), "by date");
    // A monthly duty: December's and January's periods, each due on the month's last day.
    let monthly: Vec<(String, String)> = list
        .iter()
        .filter(|e| e["id"] == "coal-mining/bureau-monthly-coverage")
        .map(|e| (e["period"].as_str().unwrap().to_owned(), due(e)))
        .collect();
    assert_eq!(
        monthly,
        [
            ("2020年12月".to_owned(), "2020-12-31".to_owned()),
            ("2021年1月".to_owned(), "2021-01-31".to_owned()),
        ]
    );
    // A yearly one ends with the year.
    assert!(
        list.iter().any(|e| e["recurrence"] == "yearly"
            && due(e) == "2020-12-31"
            && e["period"] == "2020年")
    );
    let err = fails(
        d,
        &[
            "calendar",
            "list",
            "--from",
            "2021-02-01",
            "--to",
            "2021-01-01",
        ],
        1,
    );
    assert!(err.contains("早于起始日期"), "{err}");
}

/// `reports`: the office sets a 月报 (due five days after each month); a unit's submission
/// goes to the earliest open period, a late one (补报) only with a reason; 签收 and 退回修改;
/// the list, the on-time rate, and 今日待办's report items.
#[test]
fn reports_are_submitted_signed_returned_and_rated() {
    let dir = demo();
    let d = dir.path();
    let set = ok(
        d,
        &[
            "reports",
            "office",
            "set",
            "--id",
            "monthly",
            "--name",
            "专项整治月报",
            "--every",
            "每月",
            "--grace-days",
            "5",
            "--unit",
            "区住建局",
        ],
    );
    assert!(set.contains("已保存"), "{set}");
    let office = ok(d, &["reports", "office", "list"]);
    assert!(
        office.contains("专项整治月报  每月，每期结束后 5 天内报送；报送单位：区住建局"),
        "{office}"
    );
    // The calendar lists it, due on the 5th, and who owes it.
    let cal = ok(
        d,
        &[
            "calendar",
            "list",
            "--from",
            "2021-01-01",
            "--to",
            "2021-01-31",
        ],
    );
    assert!(
        cal.contains("2021-01-05  2020年12月") && cal.contains("报送：区住建局"),
        "{cal}"
    );
    let at = |day: &str, args: &[&str]| -> String {
        let mut all = vec!["--today", day];
        all.extend_from_slice(args);
        ok(d, &all)
    };
    // On 3 February both January (to the 5th) and February are open: January first.
    let first = at(
        "2021-02-03",
        &[
            "reports",
            "submit",
            "--unit",
            "区住建局",
            "--report",
            "monthly",
        ],
    );
    assert!(first.contains("2021年1月"), "{first}");
    let second = at(
        "2021-02-03",
        &[
            "reports",
            "submit",
            "--unit",
            "区住建局",
            "--report",
            "monthly",
        ],
    );
    assert!(second.contains("2021年2月"), "{second}");
    // November, late: refused without a reason, kept with one.
    let late = [
        "--today",
        "2021-02-03",
        "reports",
        "submit",
        "--unit",
        "区住建局",
        "--report",
        "monthly",
        "--period",
        "2020-11-15",
    ];
    let err = fails(d, &late, 1);
    assert!(err.contains("补报须说明理由"), "{err}");
    let mut with_reason = late.to_vec();
    with_reason.extend_from_slice(&["--late-reason", "人员调整，延迟报送"]);
    ok(d, &with_reason);
    // A unit that does not owe it is refused.
    let err = fails(
        d,
        &[
            "--today",
            "2021-02-03",
            "reports",
            "submit",
            "--unit",
            "区应急管理局",
            "--report",
            "monthly",
        ],
        1,
    );
    assert!(err.contains("不承担"), "{err}");
    let list = json(
        d,
        &[
            "--today",
            "2021-02-10",
            "reports",
            "list",
            "--unit",
            "区住建局",
            "--json",
        ],
    );
    let id_of = |period: &str| {
        list.iter().find(|f| f["period"] == period).unwrap()["submissions"][0]
            .as_u64()
            .unwrap()
    };
    let (jan, feb) = (id_of("2021年1月"), id_of("2021年2月"));
    ok(
        d,
        &[
            "--today",
            "2021-02-06",
            "reports",
            "accept",
            &jan.to_string(),
        ],
    );
    ok(
        d,
        &[
            "--today",
            "2021-02-06",
            "reports",
            "return",
            &feb.to_string(),
            "--reason",
            "缺少隐患整改数据",
        ],
    );
    let err = fails(d, &["reports", "accept", &feb.to_string()], 1);
    assert!(err.contains("不在待签收状态"), "{err}");
    let states: Vec<(String, String)> = json(
        d,
        &[
            "--today",
            "2021-02-10",
            "reports",
            "list",
            "--unit",
            "区住建局",
            "--json",
        ],
    )
    .iter()
    .map(|f| {
        (
            f["period"].as_str().unwrap().to_owned(),
            f["state"].as_str().unwrap().to_owned(),
        )
    })
    .filter(|(p, _)| {
        [
            "2020年4月",
            "2020年11月",
            "2021年1月",
            "2021年2月",
            "2021年3月",
        ]
        .contains(&p.as_str())
    })
    .collect();
    let s = |p: &str, st: &str| (p.to_owned(), st.to_owned());
    assert_eq!(
        states,
        [
            s("2020年4月", "missing"),
            s("2020年11月", "pending"),
            s("2021年1月", "accepted"),
            s("2021年2月", "returned"),
            s("2021年3月", "upcoming"),
        ]
    );
    // On 10 February: April 2020 to January 2021 were due (ten), and February was submitted:
    // on time January and February, late November, nothing for the other eight.
    let rates = json(
        d,
        &[
            "--today",
            "2021-02-10",
            "reports",
            "ontime",
            "--unit",
            "区住建局",
            "--json",
        ],
    );
    let total = rates.iter().find(|r| r["period"] == "合计").unwrap();
    assert_eq!(
        (
            total["due"].as_u64(),
            total["on_time"].as_u64(),
            total["late"].as_u64(),
            total["missing"].as_u64()
        ),
        (Some(11), Some(2), Some(1), Some(8))
    );
    assert_eq!(total["rate_text"], "18.2%");
    let nov = rates.iter().find(|r| r["period"] == "2020年11月").unwrap();
    assert_eq!(
        (nov["late"].as_u64(), nov["rate_text"].as_str()),
        (Some(1), Some("0.0%"))
    );
    let text = at("2021-02-10", &["reports", "ontime"]);
    assert!(text.contains("按时率 18.2%"), "{text}");
    // 今日待办: the eight missed months as one item, November to sign, February to redo.
    let todos = json(
        d,
        &[
            "--today",
            "2021-02-10",
            "today",
            "--unit",
            "区住建局",
            "--json",
        ],
    );
    let report_items: Vec<(String, String)> = todos
        .iter()
        .filter(|t| t["id"] == "monthly")
        .map(|t| {
            (
                t["kind"].as_str().unwrap().to_owned(),
                t["note"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        report_items.contains(&s("report_missing", "未报 8 期，最早 2020年4月")),
        "{report_items:?}"
    );
    assert!(report_items.contains(&s("report_to_sign", "2020年11月")));
    assert!(report_items.contains(&s("report_returned", "2021年2月")));
    // March's is due 5 April: within the five days on 1 April, not on 20 March.
    let near = |day: &str| {
        json(
            d,
            &["--today", day, "today", "--unit", "区住建局", "--json"],
        )
        .iter()
        .any(|t| t["kind"] == "report_due_soon" && t["note"] == "2021年3月")
    };
    assert!(near("2021-04-01"));
    assert!(!near("2021-03-20"));
}

/// `demo load` / `demo remove`: the 演示数据 gives the finished demo campaign a mix of statuses
/// and a 季报 with submissions, every text marked; once only; removing it takes out exactly
/// the demo rows (a real entry stays) and leaves a consistent database.
#[test]
fn demo_data_is_marked_and_removed_in_one_step() {
    let dir = demo();
    let d = dir.path();
    let statuses = |d: &std::path::Path| -> Vec<String> {
        json(d, &["--today", "2022-12-31", "tasks", "list", "--json"])
            .iter()
            .filter(|t| t["plan"].as_str().unwrap().starts_with("topic"))
            .map(|t| t["status"].as_str().unwrap().to_owned())
            .collect()
    };
    let before = statuses(d);
    assert!(!before.iter().any(|s| s == "done"), "{before:?}");
    let line = ok(d, &["demo", "load"]);
    assert!(
        line.contains("已载入演示数据") && line.contains("【演示数据】"),
        "{line}"
    );
    let after = statuses(d);
    let done = after.iter().filter(|s| *s == "done").count();
    assert!(done > 0 && done < after.len(), "a mix: {after:?}");
    // The sector plans (imported by `init`) too.
    let coal_done = json(
        d,
        &[
            "--today",
            "2022-12-31",
            "tasks",
            "list",
            "--plan",
            "coal-mining",
            "--json",
        ],
    )
    .iter()
    .filter(|t| t["status"] == "done")
    .count();
    assert!(coal_done > 0);
    // Every entry it added is marked.
    let task = json(d, &["--today", "2022-12-31", "tasks", "list", "--json"])
        .into_iter()
        .find(|t| t["status"] == "done")
        .unwrap();
    let shown = ok(d, &["tasks", "show", task["id"].as_str().unwrap()]);
    assert!(shown.contains("【演示数据】"), "{shown}");
    // The 季报 and its submissions: an on-time rate to look at.
    let rates = ok(d, &["--today", "2022-12-31", "reports", "ontime"]);
    assert!(rates.contains("按时率"), "{rates}");
    assert!(!rates.contains("还没有到期"), "{rates}");
    // The demo 煤矿台账 (16 mines as seed 001 L201): the coal targets have values.
    let records = json(
        d,
        &[
            "records",
            "list",
            "--form",
            "coal-mining/mine-register",
            "--json",
        ],
    );
    assert_eq!(records.len(), 16);
    let targets = json(d, &["targets", "list", "--sector", "coal-mining", "--json"]);
    let count = targets
        .iter()
        .find(|t| t["id"] == "coal-mining/mine-count")
        .unwrap();
    assert_eq!(count["current"]["value"], 8.0, "{count}");
    // The 督办 registers: items at each stage, 通报 with a unit named twice (the 5 % rule).
    let items = json(d, &["--today", "2022-12-31", "supervise", "list", "--json"]);
    assert_eq!(items.len(), 5);
    assert!(
        items
            .iter()
            .all(|i| i["title"].as_str().unwrap().starts_with("【演示数据】"))
    );
    let states: std::collections::BTreeSet<&str> =
        items.iter().map(|i| i["state"].as_str().unwrap()).collect();
    assert!(states.len() >= 4, "a mix: {states:?}");
    let circulars = ok(d, &["circulars", "list", "--year", "2021"]);
    assert!(
        circulars.contains("2 次（达到 2 次，年度考核扣 5 分"),
        "{circulars}"
    );
    assert!(!json(d, &["hazards", "list", "--json"]).is_empty());
    let err = fails(d, &["demo", "load"], 1);
    assert!(err.contains("已有演示数据"), "{err}");
    // A real entry, then the removal.
    let id = task["id"].as_str().unwrap();
    ok(
        d,
        &[
            "progress",
            "add",
            "--task",
            id,
            "--text",
            "实际进展",
            "--date",
            "2022-06-01",
        ],
    );
    let removed = ok(d, &["demo", "remove"]);
    assert!(removed.contains("已移除演示数据"), "{removed}");
    let shown = ok(d, &["tasks", "show", id]);
    assert!(
        shown.contains("实际进展") && !shown.contains("【演示数据】"),
        "{shown}"
    );
    assert_eq!(statuses(d), before);
    let office = ok(d, &["reports", "office", "list"]);
    assert!(office.contains("本办报送事项：0 项"), "{office}");
    let records = json(
        d,
        &[
            "records",
            "list",
            "--form",
            "coal-mining/mine-register",
            "--json",
        ],
    );
    assert!(records.is_empty(), "the demo mines are gone");
    assert!(
        json(d, &["supervise", "list", "--json"]).is_empty(),
        "the demo 督办 gone"
    );
    assert!(ok(d, &["circulars", "list", "--year", "2021"]).contains("2021年没有通报"));
    let check = ok(d, &["check"]);
    assert!(check.contains("检查通过"), "{check}");
    let err = fails(d, &["demo", "remove"], 1);
    assert!(err.contains("没有演示数据"), "{err}");
}

/// `plugins attach`: a sector plan goes to the campaign the user picks (its tasks with it)
/// and stays there when the plugins are synced again.
#[test]
fn a_sector_plan_is_attached_to_the_campaign_the_user_picks() {
    let dir = demo();
    let d = dir.path();
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/examples/campaign-2024.json");
    ok(
        d,
        &["campaigns", "create", "--file", file.to_str().unwrap()],
    );
    let coal_in = |campaign: &str| {
        json(d, &["--campaign", campaign, "tasks", "list", "--json"])
            .iter()
            .filter(|t| t["plan"] == "coal-mining")
            .count()
    };
    assert_eq!(coal_in("qilin-2020"), 32);
    assert_eq!(coal_in("qilin-2024"), 0);
    let said = ok(
        d,
        &["plugins", "attach", "coal-mining", "--to", "qilin-2024"],
    );
    assert!(
        said.contains("煤矿安全专项整治三年行动实施方案") && said.contains("治本攻坚"),
        "{said}"
    );
    assert_eq!(coal_in("qilin-2024"), 32);
    assert_eq!(coal_in("qilin-2020"), 0);
    // The plugins synced again: it stays where the user put it.
    ok(d, &["plugins", "list"]);
    assert_eq!(coal_in("qilin-2024"), 32);
    let err = fails(d, &["plugins", "attach", "coal-mining", "--to", "nope"], 1);
    assert!(err.contains("没有行业方案"), "{err}");
    let err = fails(
        d,
        &["plugins", "attach", "coal-mining", "--to", "qilin-2024"],
        1,
    );
    assert!(err.contains("本来就在"), "{err}");
}
