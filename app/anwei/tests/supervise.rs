//! The supervision registers end to end through the CLI: a 督办事项 from its 督办 to 销号 and
//! 回头看, 通报 numbered per year and counted per unit, 约谈 and accidents, and the year-end
//! 考核 sheet with each deduction's cause.
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

/// Standard error of a run that must fail with exit code 1.
fn refused(data: &Path, args: &[&str]) -> String {
    let out = anwei(data, args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "anwei {args:?}: {err}");
    err
}

fn json(data: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(data, args)).expect("valid JSON")
}

fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init", "--demo"]);
    dir
}

#[test]
fn a_supervision_item_goes_up_the_ladder_and_is_closed_only_after_acceptance() {
    let dir = demo();
    let d = dir.path();
    let added = ok(
        d,
        &[
            "--today",
            "2026-03-01",
            "supervise",
            "add",
            "--title",
            "整改城区燃气管网隐患",
            "--unit",
            "区住建局",
            "--deadline",
            "2026-06-30",
            "--source",
            "上级督查反馈",
            "--ref",
            "省督导组反馈问题第5项",
            "--level",
            "市级",
        ],
    );
    assert!(added.contains("已保存：新增督办事项"), "{added}");
    // Late, unreceived: the list says all three statuses and the step due.
    let list = ok(
        d,
        &["--today", "2026-07-01", "supervise", "list", "--overdue"],
    );
    assert!(list.contains("#1 [市级] 整改城区燃气管网隐患"), "{list}");
    assert!(
        list.contains("未接收｜逾期未完成｜审核：未审核｜待接收"),
        "{list}"
    );
    assert!(
        list.contains("下一步：提醒（2026-07-01，已到期）"),
        "{list}"
    );
    assert!(list.contains("须书面说明（逾期）"), "{list}");
    assert!(
        ok(
            d,
            &["--today", "2026-06-30", "supervise", "list", "--overdue"]
        )
        .contains("没有符合条件的督办事项")
    );
    // 今日待办 lists the step due (and, below, nothing once the item is closed).
    let today = ok(d, &["--today", "2026-07-01", "today", "--json"]);
    let todos: Value = serde_json::from_str(&today).unwrap();
    let step = todos
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "supervision_step")
        .expect("the step due is listed");
    assert_eq!(step["id"], "supervision_item:1");
    assert!(
        step["note"].as_str().unwrap().contains("下一步：提醒"),
        "{step}"
    );
    // The next step by default, then a named one; never back down.
    ok(d, &["--today", "2026-07-01", "supervise", "step", "1"]);
    ok(
        d,
        &[
            "--today",
            "2026-07-09",
            "supervise",
            "step",
            "1",
            "--step",
            "督办函",
            "--document",
            "麒安委办督〔2026〕7号",
        ],
    );
    let back = refused(
        d,
        &[
            "--today",
            "2026-07-10",
            "supervise",
            "step",
            "1",
            "--step",
            "催办",
        ],
    );
    assert!(back.contains("不能退回“催办”"), "{back}");
    let unknown = refused(d, &["supervise", "step", "1", "--step", "警告"]);
    assert!(unknown.contains("无法识别的督办步骤"), "{unknown}");
    // Completion needs the unit's 接收 first.
    let early = refused(
        d,
        &[
            "--today",
            "2026-07-12",
            "supervise",
            "complete",
            "1",
            "--text",
            "完成",
        ],
    );
    assert!(early.contains("尚未接收"), "{early}");
    ok(d, &["supervise", "receive", "1", "--date", "2026-07-10"]);
    ok(
        d,
        &[
            "--today",
            "2026-07-12",
            "supervise",
            "complete",
            "1",
            "--text",
            "已更换阀门",
        ],
    );
    // 销号 only after a passed 验收; a failed one needs its reason.
    let close = refused(d, &["--today", "2026-07-13", "supervise", "close", "1"]);
    assert!(close.contains("销号须在验收通过之后"), "{close}");
    let no_reason = refused(
        d,
        &["--today", "2026-07-13", "supervise", "check", "1", "--fail"],
    );
    assert!(no_reason.contains("未通过的理由"), "{no_reason}");
    ok(
        d,
        &[
            "--today",
            "2026-07-13",
            "supervise",
            "check",
            "1",
            "--fail",
            "--note",
            "两处阀门未更换",
        ],
    );
    ok(
        d,
        &[
            "--today",
            "2026-07-20",
            "supervise",
            "complete",
            "1",
            "--text",
            "全部更换",
        ],
    );
    ok(
        d,
        &[
            "--today",
            "2026-07-21",
            "supervise",
            "check",
            "1",
            "--pass",
            "--note",
            "复查合格",
        ],
    );
    // Late and once failed: a written explanation first.
    let unexplained = refused(d, &["--today", "2026-07-22", "supervise", "close", "1"]);
    assert!(unexplained.contains("书面说明"), "{unexplained}");
    ok(
        d,
        &[
            "--today",
            "2026-07-21",
            "supervise",
            "explain",
            "1",
            "--text",
            "阀门供货延误，已追加资金",
        ],
    );
    ok(d, &["--today", "2026-07-22", "supervise", "close", "1"]);
    let today = ok(d, &["--today", "2026-07-23", "today", "--json"]);
    assert!(
        !today.contains("supervision_item:1"),
        "closed: nothing to do until 回头看"
    );
    let today = ok(d, &["--today", "2026-08-21", "today", "--json"]);
    assert!(today.contains("lookback_due"), "the 回头看 falls due");
    let shown = json(
        d,
        &["--today", "2026-07-22", "supervise", "show", "1", "--json"],
    );
    assert_eq!(shown["state"], "closed");
    assert_eq!(shown["completion"], "逾期完成");
    assert_eq!(shown["check"], "通过");
    assert_eq!(shown["deadline"], "2026-06-30", "the deadline never moves");
    assert_eq!(shown["steps"][1]["document"], "麒安委办督〔2026〕7号");
    assert_eq!(shown["lookback"]["due"], "2026-08-21");
    ok(
        d,
        &[
            "--today",
            "2026-08-21",
            "supervise",
            "lookback",
            "1",
            "--pass",
            "--note",
            "未反弹",
        ],
    );
    let text = ok(d, &["supervise", "show", "1"]);
    assert!(
        text.contains("来源：上级督查反馈：省督导组反馈问题第5项"),
        "{text}"
    );
    assert!(text.contains("回头看：未反弹"), "{text}");
    // A unit there is not: told, nothing written.
    let nobody = refused(
        d,
        &[
            "supervise",
            "add",
            "--title",
            "x",
            "--unit",
            "不存在的局",
            "--deadline",
            "2026-12-31",
        ],
    );
    assert!(nobody.contains("没有单位“不存在的局”"), "{nobody}");
    assert_eq!(
        json(d, &["supervise", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn circulars_count_per_unit_and_year_and_the_assessment_sheet_shows_each_cause() {
    let dir = demo();
    let d = dir.path();
    let circular = |date: &str, title: &str, extra: &[&str]| {
        let mut args = vec![
            "circulars",
            "add",
            "--unit",
            "区住建局",
            "--date",
            date,
            "--title",
            title,
        ];
        args.extend_from_slice(extra);
        ok(d, &args)
    };
    let first = circular(
        "2021-03-31",
        "关于一季度专项整治推进情况的通报",
        &[
            "--kind",
            "季度通报",
            "--enterprise",
            "某某化工有限公司",
            "--issue",
            "第3项未按期完成",
        ],
    );
    assert!(first.contains("期号：2021年第1期"), "{first}");
    let second = circular("2021-06-30", "关于二季度推进情况的通报", &[]);
    assert!(second.contains("期号：2021年第2期"), "{second}");
    assert!(
        second.contains("区住建局：2021年第 2 次被通报（达到 2 次，年度考核扣 5 分"),
        "{second}"
    );
    circular("2022-01-10", "关于2021年度推进情况的通报", &[]);
    let listed = json(d, &["circulars", "list", "--year", "2021", "--json"]);
    assert_eq!(listed["circulars"].as_array().unwrap().len(), 2);
    let counts = listed["counts"].as_array().unwrap();
    let of = |name: &str| counts.iter().find(|c| c["name"] == name).unwrap().clone();
    assert_eq!(of("区住建局")["count"], 2);
    assert_eq!(of("区住建局")["deduction"], 5.0);
    assert_eq!(of("某某化工有限公司")["count"], 1);
    assert_eq!(of("某某化工有限公司")["member"], false);
    // A voided 通报 counts no more; its 期号 stays taken.
    ok(d, &["circulars", "void", "2", "--reason", "错发"]);
    let text = ok(d, &["circulars", "list", "--year", "2021"]);
    assert!(text.contains("【已作废：错发】"), "{text}");
    assert!(text.contains("区住建局：1 次"), "{text}");
    ok(
        d,
        &[
            "circulars",
            "add",
            "--unit",
            "区住建局",
            "--date",
            "2021-09-30",
            "--title",
            "关于三季度推进情况的通报",
        ],
    );
    // 约谈 and an accident.
    ok(
        d,
        &[
            "talks",
            "add",
            "--unit",
            "区住建局",
            "--date",
            "2021-10-10",
            "--persons",
            "张某（局长）",
            "--by",
            "区安委办主任",
            "--issues",
            "一年内两次被通报",
            "--follow-up",
            "2021-11-10",
        ],
    );
    let talks = json(d, &["talks", "list", "--json"]);
    assert_eq!(talks[0]["issues"], "一年内两次被通报");
    ok(
        d,
        &[
            "accidents",
            "add",
            "--unit",
            "区交通运输局",
            "--date",
            "2021-05-01",
            "--grade",
            "重大事故",
            "--title",
            "某路段交通事故",
        ],
    );
    let deducted = ok(
        d,
        &[
            "assessment",
            "deduct",
            "--year",
            "2021",
            "--unit",
            "区住建局",
            "--item",
            "安全投入",
            "--points",
            "3",
            "--reason",
            "安全投入未落实",
        ],
    );
    assert!(deducted.contains("扣 3 分"), "{deducted}");
    let too_much = refused(
        d,
        &[
            "assessment",
            "deduct",
            "--year",
            "2021",
            "--unit",
            "区住建局",
            "--item",
            "安全投入",
            "--points",
            "8",
            "--reason",
            "x",
        ],
    );
    assert!(too_much.contains("已扣 3 分"), "{too_much}");
    // The sheet: the 通报 rule with the 期号 behind it, the hand-made deduction, overdue
    // tasks of the year by name, the 一票否决.
    let sheet = json(
        d,
        &[
            "--today",
            "2026-12-07",
            "assessment",
            "--year",
            "2021",
            "--json",
        ],
    );
    assert_eq!(sheet["as_of"], "2021-12-31");
    let sheets = sheet["sheets"].as_array().unwrap();
    let of = |name: &str| {
        sheets
            .iter()
            .find(|s| s["unit_name"] == name)
            .unwrap()
            .clone()
    };
    let housing = of("区住建局");
    let auto = housing["automatic"].as_array().unwrap();
    let circ = auto
        .iter()
        .find(|a| a["cause"].as_str().unwrap().contains("被通报2次"))
        .unwrap();
    assert_eq!(circ["points"], 5.0);
    assert!(
        circ["cause"].as_str().unwrap().contains("第1期、第3期"),
        "{circ}"
    );
    assert_eq!(circ["facts"].as_array().unwrap().len(), 2);
    let line = housing["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "安全投入")
        .unwrap()
        .clone();
    assert_eq!(line["score"], 7.0);
    let transport = of("区交通运输局");
    assert_eq!(transport["grade"], "fail");
    assert!(transport["remark"].as_str().unwrap().contains("一票否决"));
    // Somewhere in the campaign a task due in 2021 was overdue at the year's end: it is named.
    let task_deductions: Vec<&Value> = sheets
        .iter()
        .flat_map(|s| s["automatic"].as_array().unwrap())
        .filter(|a| a["facts"][0]["kind"] == "task")
        .collect();
    assert!(!task_deductions.is_empty(), "{sheet}");
    assert!(task_deductions.iter().all(|a| {
        a["cause"]
            .as_str()
            .unwrap()
            .contains("截至2021-12-31逾期未完成")
    }));
    let text = ok(
        d,
        &[
            "--today",
            "2026-12-07",
            "assessment",
            "--year",
            "2021",
            "--unit",
            "区住建局",
        ],
    );
    assert!(
        text.contains("2021年度安全生产目标责任考核（数据截至 2021-12-31）"),
        "{text}"
    );
    assert!(text.contains("−3：安全投入未落实"), "{text}");
    // Taken back: kept, counted no more.
    ok(d, &["assessment", "undo", "1", "--reason", "复核后不扣"]);
    let after = json(
        d,
        &[
            "--today",
            "2026-12-07",
            "assessment",
            "--year",
            "2021",
            "--unit",
            "区住建局",
            "--json",
        ],
    );
    let line = after["sheets"][0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "安全投入")
        .unwrap()
        .clone();
    assert_eq!(line["score"], 10.0);
}

#[test]
fn the_rules_are_shown_and_replaced_from_a_file_and_bad_ones_refused() {
    let dir = demo();
    let d = dir.path();
    let shown = ok(d, &["supervise", "rules"]);
    assert!(
        shown.contains("通报：一年 2 次以上，按考核分值 100 的 5% 扣减"),
        "{shown}"
    );
    let mut rules = json(d, &["supervise", "rules", "--json"]);
    rules["circular"]["percent"] = 10.0.into();
    rules["items"][0]["points"] = 20.0.into();
    let file = d.join("规则.json");
    std::fs::write(&file, serde_json::to_string(&rules).unwrap()).unwrap();
    ok(d, &["supervise", "rules", "--set", file.to_str().unwrap()]);
    assert!(ok(d, &["supervise", "rules"]).contains("的 10% 扣减"));
    rules["pass"] = 200.0.into();
    std::fs::write(&file, serde_json::to_string(&rules).unwrap()).unwrap();
    let bad = refused(d, &["supervise", "rules", "--set", file.to_str().unwrap()]);
    assert!(bad.contains("合格分数线"), "{bad}");
    std::fs::write(&file, "{ not json").unwrap();
    let broken = refused(d, &["supervise", "rules", "--set", file.to_str().unwrap()]);
    assert!(broken.contains("无法读取"), "{broken}");
    assert!(ok(d, &["supervise", "rules"]).contains("的 10% 扣减"));
}

#[test]
fn a_major_hazard_goes_round_its_closed_loop_with_its_listing_and_rewards_and_lists_are_kept() {
    let dir = demo();
    let d = dir.path();
    let added = ok(
        d,
        &[
            "--today",
            "2026-03-02",
            "hazards",
            "add",
            "--place",
            "某某化工有限公司",
            "--description",
            "储罐区可燃气体报警装置失效",
            "--unit",
            "区应急管理局",
            "--deadline",
            "2026-04-30",
            "--grade",
            "重大",
            "--found",
            "2026-03-01",
            "--standard",
            "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准》第十条",
            "--level",
            "市级",
        ],
    );
    assert!(added.contains("市级挂牌督办（督办事项 #1）"), "{added}");
    let item = json(d, &["supervise", "show", "1", "--json"]);
    assert_eq!(item["source"]["kind"], "hazard");
    assert_eq!(item["level"], "city");
    // 五到位: all five.
    let missing = refused(
        d,
        &[
            "hazards",
            "rectify",
            "1",
            "--responsible",
            "王某",
            "--measures",
            "更换报警器",
            "--funds",
            "",
            "--contingency",
            "停用储罐区",
        ],
    );
    assert!(missing.contains("五到位缺“资金”"), "{missing}");
    ok(
        d,
        &[
            "--today",
            "2026-03-05",
            "hazards",
            "rectify",
            "1",
            "--responsible",
            "王某（厂长）",
            "--measures",
            "更换报警器",
            "--funds",
            "8万元",
            "--contingency",
            "停用储罐区",
        ],
    );
    let open = refused(d, &["--today", "2026-04-20", "hazards", "close", "1"]);
    assert!(open.contains("复查合格之后"), "{open}");
    ok(
        d,
        &[
            "--today",
            "2026-04-20",
            "hazards",
            "recheck",
            "1",
            "--pass",
            "--note",
            "复查合格",
        ],
    );
    ok(d, &["--today", "2026-04-21", "hazards", "close", "1"]);
    let listed = json(d, &["--today", "2026-04-21", "hazards", "list", "--json"]);
    assert_eq!(listed[0]["state"], "closed");
    assert_eq!(listed[0]["plan"]["funds"], "8万元");
    assert_eq!(
        json(d, &["supervise", "show", "1", "--json"])["state"],
        "closed"
    );
    let text = ok(d, &["hazards", "list", "--grade", "重大"]);
    assert!(
        text.contains("#1 [重大隐患] 某某化工有限公司：储罐区可燃气体报警装置失效"),
        "{text}"
    );
    // A general hazard, overdue.
    ok(
        d,
        &[
            "--today",
            "2026-03-01",
            "hazards",
            "add",
            "--place",
            "某小区",
            "--description",
            "疏散通道堵塞",
            "--unit",
            "区住建局",
            "--deadline",
            "2026-03-10",
        ],
    );
    let late = ok(
        d,
        &["--today", "2026-03-11", "hazards", "list", "--overdue"],
    );
    assert!(
        late.contains("#2 [一般隐患]") && late.contains("逾期"),
        "{late}"
    );
    assert!(!late.contains("#1 "), "{late}");
    // Rewards: the tier's range, the flat 500 元, payment.
    let over = refused(
        d,
        &[
            "rewards",
            "add",
            "--reporter",
            "举报人A",
            "--content",
            "通道堵塞",
            "--tier",
            "一般",
            "--amount",
            "400",
        ],
    );
    assert!(over.contains("50—300 元之间（填写的是 400 元）"), "{over}");
    ok(
        d,
        &[
            "rewards",
            "add",
            "--reporter",
            "举报人A",
            "--content",
            "通道堵塞",
            "--tier",
            "较大",
            "--amount",
            "300",
            "--hazard",
            "2",
        ],
    );
    ok(
        d,
        &[
            "rewards",
            "add",
            "--reporter",
            "举报人B",
            "--content",
            "未配防护",
            "--tier",
            "职业病",
            "--amount",
            "500",
        ],
    );
    ok(d, &["rewards", "pay", "1", "--text", "转账发放"]);
    let rewards = ok(d, &["rewards", "list"]);
    assert!(
        rewards.contains("合计：已发放 300 元，待发放 500 元"),
        "{rewards}"
    );
    // 两个清单.
    ok(
        d,
        &[
            "lists",
            "add",
            "--list",
            "问题隐患清单",
            "--unit",
            "区住建局",
            "--text",
            "老旧小区消防通道被占用",
            "--deadline",
            "2026-06-30",
            "--hazard",
            "2",
        ],
    );
    ok(
        d,
        &[
            "lists",
            "add",
            "--list",
            "制度措施",
            "--unit",
            "区住建局",
            "--text",
            "建立消防通道日常巡查制度",
        ],
    );
    ok(d, &["lists", "done", "2", "--text", "已印发巡查制度"]);
    let lists = ok(d, &["--today", "2026-07-01", "lists", "list"]);
    assert!(lists.contains("问题隐患清单"), "{lists}");
    assert!(
        lists.contains(
            "老旧小区消防通道被占用  责任单位：区住建局  时限：2026-06-30  逾期  关联：隐患 #2"
        ),
        "{lists}"
    );
    assert!(
        lists.contains("建立消防通道日常巡查制度  责任单位：区住建局  已建立"),
        "{lists}"
    );
    let bad = refused(
        d,
        &[
            "lists",
            "add",
            "--list",
            "问题隐患清单",
            "--unit",
            "区住建局",
            "--text",
            "x",
            "--hazard",
            "9",
        ],
    );
    assert!(bad.contains("#9"), "{bad}");
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn ladder_documents_are_drafted_issued_under_the_next_number_and_recorded_as_the_step() {
    let dir = demo();
    let d = dir.path();
    ok(
        d,
        &[
            "--today",
            "2026-03-01",
            "supervise",
            "add",
            "--title",
            "整改城区燃气管网隐患",
            "--unit",
            "区住建局",
            "--deadline",
            "2026-06-30",
            "--ref",
            "区安委会2026年第3次会议",
        ],
    );
    ok(d, &["--today", "2026-07-01", "supervise", "step", "1"]);
    // A draft: no number, nothing recorded.
    let draft = d.join("草稿.pdf");
    let out = ok(
        d,
        &[
            "--today",
            "2026-07-09",
            "print",
            "item",
            "--id",
            "1",
            "--out",
            draft.to_str().unwrap(),
        ],
    );
    assert!(out.contains("以上为草稿"), "{out}");
    let text = pdf_text(&draft);
    assert!(
        text.contains("催办通知"),
        "the next step by default: {text}"
    );
    assert!(text.contains("根据区安委会2026年第3次会议议定，"), "{text}");
    assert_eq!(
        json(d, &["supervise", "show", "1", "--json"])["steps"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Issued: the next 文号 of the 督 series, the step taken with it, reprinted as issued.
    let issued = d.join("督办函.pdf");
    let out = ok(
        d,
        &[
            "--today",
            "2026-07-09",
            "print",
            "item",
            "--id",
            "1",
            "--step",
            "督办函",
            "--issue",
            "--out",
            issued.to_str().unwrap(),
        ],
    );
    assert!(
        out.contains("已签发登记：督办函") && out.contains("〔2026〕1号"),
        "{out}"
    );
    let shown = json(d, &["supervise", "show", "1", "--json"]);
    assert_eq!(shown["steps"][1]["step"], "letter");
    assert!(
        shown["steps"][1]["document"]
            .as_str()
            .unwrap()
            .ends_with("〔2026〕1号")
    );
    let notices = ok(d, &["notices", "list"]);
    assert!(
        notices.contains("督办函") && notices.contains("督办事项 #1"),
        "{notices}"
    );
    let again = d.join("重印.pdf");
    ok(
        d,
        &[
            "notices",
            "reprint",
            "2026-1",
            "--out",
            again.to_str().unwrap(),
        ],
    );
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(&issued).unwrap()
    );
    // Back down the ladder: refused, nothing recorded.
    let back = refused(
        d,
        &[
            "--today",
            "2026-07-10",
            "print",
            "item",
            "--id",
            "1",
            "--step",
            "催办",
            "--issue",
            "--out",
            draft.to_str().unwrap(),
        ],
    );
    assert!(back.contains("不能再发"), "{back}");
    assert!(!ok(d, &["notices", "list"]).contains("〔2026〕2号"));
}

#[test]
fn circulars_assessment_and_lists_print() {
    let dir = demo();
    let d = dir.path();
    for (date, title) in [("2026-03-31", "一季度通报"), ("2026-06-30", "二季度通报")] {
        ok(
            d,
            &[
                "circulars",
                "add",
                "--unit",
                "区住建局",
                "--date",
                date,
                "--title",
                title,
                "--issue",
                "进度滞后",
            ],
        );
    }
    let c = d.join("通报.pdf");
    ok(
        d,
        &[
            "print",
            "circular",
            "--id",
            "2",
            "--out",
            c.to_str().unwrap(),
        ],
    );
    let text = pdf_text(&c);
    assert!(text.contains("2026年第二期"), "{text}");
    assert!(text.contains("该单位本年度已被通报2次"), "{text}");
    // The first 通报 said nothing of a second one yet.
    ok(
        d,
        &[
            "print",
            "circular",
            "--id",
            "1",
            "--out",
            c.to_str().unwrap(),
        ],
    );
    assert!(
        !pdf_text(&c).contains("已被通报"),
        "a 通报 states the count as of its own day"
    );
    let a = d.join("考核.pdf");
    ok(
        d,
        &[
            "--today",
            "2026-12-31",
            "print",
            "assessment",
            "--year",
            "2026",
            "--out",
            a.to_str().unwrap(),
        ],
    );
    let text = pdf_text(&a);
    assert!(
        text.contains("2026年度安全生产目标责任考核结果汇总表"),
        "{text}"
    );
    assert!(text.contains("被通报2次"), "{text}");
    ok(
        d,
        &[
            "lists",
            "add",
            "--list",
            "制度措施清单",
            "--unit",
            "区住建局",
            "--text",
            "建立消防通道巡查制度",
        ],
    );
    let l = d.join("清单.pdf");
    ok(
        d,
        &[
            "print",
            "list",
            "--list",
            "制度措施清单",
            "--out",
            l.to_str().unwrap(),
        ],
    );
    assert!(pdf_text(&l).contains("建立消防通道巡查制度"));
    let bad = refused(
        d,
        &[
            "print",
            "list",
            "--list",
            "三个清单",
            "--out",
            l.to_str().unwrap(),
        ],
    );
    assert!(bad.contains("无法识别的清单"), "{bad}");
}

/// The sector plugins' hazard checklists: listed by `hazards standards`, cited by
/// `hazards add --sector --category --clause`; an item the source calls a 重大事故隐患
/// grades the hazard 重大 (and hangs it up), a lower grade given for it is refused, and
/// what the checklist lacks is said with what it has.
#[test]
fn a_hazard_cites_its_sectors_checklist() {
    let dir = demo();
    let d = dir.path();
    let listed = ok(d, &["hazards", "standards", "--sector", "non-coal-mines"]);
    assert!(
        listed.contains("判定标准：《金属非金属矿山重大生产安全事故隐患判定标准(试行)》"),
        "{listed}"
    );
    assert!(
        listed.contains(
            "11. 【重大】《金属非金属矿山重大生产安全事故隐患判定标准(试行)》中规定的重大事故隐患"
        ),
        "{listed}"
    );
    let all = json(d, &["hazards", "standards", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 10, "every sector has one");
    let add = |extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = [
            "--today",
            "2026-03-02",
            "hazards",
            "add",
            "--place",
            "某采石场",
            "--description",
            "越界开采",
            "--unit",
            "区应急管理局",
            "--deadline",
            "2026-04-30",
            "--sector",
            "non-coal-mines",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        args
    };
    let run = |extra: &[&str], ok_: bool| {
        let args = add(extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        if ok_ { ok(d, &args) } else { refused(d, &args) }
    };
    // By the category's name as well as its id.
    let added = run(
        &["--category", "突出问题和违法违规行为", "--clause", "11"],
        true,
    );
    assert!(
        added.contains("挂牌督办"),
        "graded 重大 and hung up: {added}"
    );
    let e = run(
        &[
            "--category",
            "outstanding-violations",
            "--clause",
            "11",
            "--grade",
            "一般",
        ],
        false,
    );
    assert!(e.contains("属重大事故隐患，隐患等级应为“重大”"), "{e}");
    let added = run(
        &["--category", "outstanding-violations", "--clause", "1"],
        true,
    );
    assert!(!added.contains("挂牌督办"), "{added}");
    let e = run(&["--category", "tailings", "--clause", "1"], false);
    assert!(
        e.contains("没有隐患类别“tailings”") && e.contains("tailings-ponds（尾矿库）"),
        "{e}"
    );
    let e = run(&["--category", "tailings-ponds", "--clause", "9"], false);
    assert!(e.contains("没有判定条目“9”（可用：1、2"), "{e}");
    let hazards = json(d, &["hazards", "list", "--json"]);
    let cited: Vec<&Value> = hazards
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["sector"] == "non-coal-mines")
        .collect();
    assert_eq!(cited.len(), 2);
    assert_eq!(cited[0]["grade"], "major");
    assert_eq!(cited[0]["clause"]["clause"], "11");
    assert_eq!(cited[0]["clause"]["major"], true);
    assert_eq!(cited[0]["category"], "突出问题和违法违规行为");
    assert_eq!(
        cited[0]["standard"],
        "《金属非金属矿山重大生产安全事故隐患判定标准(试行)》"
    );
    assert_eq!(
        cited[1]["clause"]["text"],
        "无合法证照非法开采、越界开采,以及违反环境保护政策、长江经济带生态保护政策等违法违规行为"
    );
}
