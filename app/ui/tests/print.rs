//! The 打印 tab: a preview laid out on a worker thread and drawn with the print faces, page
//! navigation, a 督办通知书 saved as a draft (no number) or issued (the next 文号, kept in
//! the register, printed again byte for byte, voided with a reason), a bad path, and the
//! print settings.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use anwei_core::Status;
use anwei_ui::{DeskApp, DeskModel, Tab};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

/// Steps frames until the print worker has finished and no other job follows it (the
/// spinner keeps repainting, so `run` cannot be used meanwhile), then lets the UI settle.
fn wait_for_print_job(h: &mut Harness<'static, DeskApp>) {
    let start = Instant::now();
    let mut idle_frames = 0;
    while idle_frames < 3 {
        assert!(
            start.elapsed() < Duration::from_secs(180),
            "the print worker did not finish"
        );
        h.step();
        if h.state().print_state().unwrap().busy().is_some() {
            idle_frames = 0;
            std::thread::sleep(Duration::from_millis(20));
        } else {
            idle_frames += 1;
        }
    }
    h.run();
}

/// Steps frames until the printers have been looked for (a job), then lets the UI settle.
fn wait_for_printers(h: &mut Harness<'static, DeskApp>) {
    let start = Instant::now();
    while h.state().print_state().unwrap().printers_busy() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no answer about printers"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    h.run();
}

/// The label of the node `label_contains` names, as shown.
fn shown(h: &Harness<'static, DeskApp>, label_contains: &str) -> String {
    let node = h.get_by_label_contains(label_contains);
    node.accesskit_node()
        .label()
        .or_else(|| node.value())
        .unwrap_or_default()
}

fn one_line(doc: &anwei_print::Document) -> String {
    doc.plain_text().replace('\n', "")
}

#[test]
fn the_print_tab_previews_the_reform_task_division_table_page_by_page() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk_on(dir.path(), "shangluo-2018");
    let caption = DeskModel::plan_caption(app.model().unwrap().plan("reform").unwrap());
    let mut h = common::harness(app);
    common::open_tab(&mut h, "打印");
    assert_eq!(h.state().tab(), Some(Tab::Print));
    assert!(h.query_by_label("选择文档后点“生成预览”").is_some());

    h.get_by_role_and_label(Role::ComboBox, "方案").click();
    h.run();
    h.get_by_label(&caption).click();
    h.run();
    // The attachment label defaults to the plan's own code.
    let code = h
        .state()
        .model()
        .unwrap()
        .plan("reform")
        .unwrap()
        .code
        .clone();
    assert_eq!(
        h.get_by_label("附件标注").value().as_deref(),
        Some(code.as_str())
    );

    h.get_by_label("生成预览").click();
    h.step();
    assert!(
        h.state().print_state().unwrap().busy().is_some()
            || h.state().print_state().unwrap().document().is_some(),
        "the layout runs on a worker"
    );
    wait_for_print_job(&mut h);

    let print = h.state().print_state().unwrap();
    assert_eq!(print.error, None);
    let pages = print.page_count();
    assert!(pages >= 5, "only {pages} pages");
    let doc = print.document().unwrap();
    assert!(one_line(doc).contains("推进安全生产领域改革发展重点任务分工方案"));
    assert!(print.fonts_live(), "the preview draws with the print faces");
    assert!(h.query_by_label(&format!("第 1 / {pages} 页")).is_some());
    assert!(h.query_by_label_contains("字体：").is_some());

    h.get_by_label("下一页").click();
    h.run();
    assert!(h.query_by_label(&format!("第 2 / {pages} 页")).is_some());
    assert_eq!(h.state().print_state().unwrap().page, 1);
    h.get_by_label("上一页").click();
    h.run();
    assert!(h.query_by_label(&format!("第 1 / {pages} 页")).is_some());

    // Saved into a typed folder under the suggested name; the status line says where.
    let out = tempfile::tempdir().unwrap();
    common::set_field(&mut h, "PDF 路径", out.path().to_str().unwrap());
    h.get_by_label("保存").click();
    wait_for_print_job(&mut h);
    let file = out.path().join("任务分工方案-reform.pdf");
    assert!(std::fs::read(&file).unwrap().starts_with(b"%PDF"));
    let status = h.state().status().text();
    assert!(
        status.contains(file.to_str().unwrap()),
        "status line: {status}"
    );
    assert!(h.state().store().unwrap().notices(None).unwrap().is_empty());
}

/// Issues the notice open on the 打印 tab as 安委办督〔2020〕`number`号 to the path typed:
/// ticks 签发, saves, and waits for the record and for the file, which the print job writes
/// once the notice is recorded.
fn issue_open_notice(h: &mut Harness<'static, DeskApp>, number: u32) {
    common::click(
        h,
        &format!("签发：取用文号 安委办督〔2020〕{number}号 并登记，原件存入登记簿"),
    );
    h.get_by_label("保存").click();
    wait_for_print_job(h);
    h.state_mut().wait_for_writes();
    wait_for_print_job(h);
}

/// Opens the first overdue task's detail and its "打印督办通知书…"; returns the task id.
fn open_notice_for_overdue_task(h: &mut Harness<'static, DeskApp>) -> (String, String) {
    let (task, title) = {
        let row = h
            .state()
            .model()
            .unwrap()
            .rows
            .iter()
            .find(|r| r.status == Status::Overdue)
            .expect("the demo has an overdue task on 2020-09-01");
        (row.id.clone(), row.title.clone())
    };
    common::open_tab(h, "任务");
    h.get_by_label(&title).click();
    h.run();
    h.get_by_label("打印督办通知书…").click();
    // The tab opens preset to the task and lays the notice out straight away.
    wait_for_print_job(h);
    assert_eq!(h.state().tab(), Some(Tab::Print));
    let print = h.state().print_state().unwrap();
    assert_eq!(print.notice_task.as_deref(), Some(task.as_str()));
    assert!(
        one_line(print.document().expect("the notice preview")).contains("督办通知书"),
        "{:?}",
        print.error
    );
    let lead = {
        let model = h.state().model().unwrap();
        let t = model.task(&task).unwrap();
        let unit = t.units_in(anwei_core::Role::Lead).next().unwrap();
        model.units.name_of(unit).to_owned()
    };
    (task, lead)
}

#[test]
fn a_draft_takes_no_number_and_an_issued_notice_is_registered_reprinted_and_voided() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let mut h = common::harness(app);
    let (task, lead) = open_notice_for_overdue_task(&mut h);
    assert_eq!(
        h.get_by_label("主送单位").value().as_deref(),
        Some(lead.as_str())
    );
    assert_eq!(
        h.get_by_label("新的完成时限").value().as_deref(),
        Some("2020-09-16")
    );
    assert!(
        h.query_by_label("签发时文号：安委办督〔2020〕1号")
            .is_some()
    );
    // The preview is a draft: no number.
    let draft = one_line(h.state().print_state().unwrap().document().unwrap());
    assert!(draft.contains(anwei_print::DRAFT_MARK), "{draft}");
    assert!(!draft.contains("〔2020〕1号"), "{draft}");
    // 抄送 goes into the 版记 at the foot of the last page.
    common::set_field(&mut h, "抄送", "市安委办、区纪委监委");
    // A job starts: the spinner keeps repainting, so frames are stepped, not run.
    h.get_by_label("生成预览").click();
    wait_for_print_job(&mut h);
    let doc = h.state().print_state().unwrap().document().unwrap();
    let last = doc.pages.last().unwrap();
    let foot: String = last.texts().map(|t| t.text.as_str()).collect();
    assert!(foot.contains("抄送：市安委办，区纪委监委。"), "{foot}");
    assert!(foot.contains("印发"), "{foot}");

    // Saved as drafts (twice): files, no number taken.
    let file = out.path().join("督办通知书.pdf");
    common::set_field(&mut h, "PDF 路径", file.to_str().unwrap());
    for _ in 0..2 {
        h.get_by_label("保存").click();
        wait_for_print_job(&mut h);
    }
    let draft_pdf = std::fs::read(&file).unwrap();
    assert!(draft_pdf.starts_with(b"%PDF"));
    assert!(h.state().store().unwrap().notices(None).unwrap().is_empty());
    assert!(
        h.query_by_label("签发时文号：安委办督〔2020〕1号")
            .is_some()
    );

    // Issued: the number is taken, the PDF kept in the register and written to the file.
    issue_open_notice(&mut h, 1);
    let status = h.state().status().text();
    assert!(
        status.contains("安委办督〔2020〕1号已签发登记"),
        "status line: {status}"
    );
    let store = h.state().store().unwrap();
    let notices = store.notices(Some(2020)).unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!(
        (notices[0].number, notices[0].task.as_str()),
        (1, task.as_str())
    );
    assert_eq!(notices[0].recipient, lead);
    assert_eq!(notices[0].file.as_deref(), file.to_str());
    let issued = std::fs::read(&file).unwrap();
    assert_eq!(
        store.notice_pdf(2020, 1).unwrap().as_deref(),
        Some(issued.as_slice())
    );
    assert_ne!(issued, draft_pdf, "the issued file is not the draft");
    // Issuing is not sticky: the next save is a draft again.
    assert!(!h.state().print_state().unwrap().issue_on_save);
    assert!(
        h.query_by_label("签发时文号：安委办督〔2020〕2号")
            .is_some()
    );

    // Printed again from the register, byte for byte.
    let again = out.path().join("重印.pdf");
    common::set_field(&mut h, "PDF 路径", again.to_str().unwrap());
    h.get_by_label("重印 安委办督〔2020〕1号").click();
    wait_for_print_job(&mut h);
    assert_eq!(std::fs::read(&again).unwrap(), issued);

    // Voided with a reason; the number stays used.
    common::click(&mut h, "作废 安委办督〔2020〕1号…");
    common::set_field(&mut h, "作废理由", "主送单位有误");
    h.get_by_label("确认作废").click();
    h.state_mut().wait_for_writes();
    h.run();
    let voided = h.state().store().unwrap().notice(2020, 1).unwrap().unwrap();
    assert_eq!(voided.voided.unwrap().reason, "主送单位有误");
    assert!(h.query_by_label_contains("已作废：主送单位有误").is_some());
    assert!(
        h.query_by_label("签发时文号：安委办督〔2020〕2号")
            .is_some()
    );
    // The task's detail names its notices.
    common::open_tab(&mut h, "任务");
    let said = shown(&h, "督办通知书 安委办督〔2020〕1号（");
    assert!(said.contains("已作废：主送单位有误"), "{said}");
}

#[test]
fn a_bad_path_or_deadline_is_reported_and_no_notice_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let mut h = common::harness(app);
    open_notice_for_overdue_task(&mut h);

    common::set_field(&mut h, "新的完成时限", "2020-02-30");
    common::click(&mut h, "生成预览");
    assert!(
        h.query_by_label_contains("完成时限“2020-02-30”无效")
            .is_some()
    );
    assert!(h.state().print_state().unwrap().busy().is_none());
    common::set_field(&mut h, "新的完成时限", "2020-09-30");

    let missing = out.path().join("没有这个文件夹").join("督办.pdf");
    common::set_field(&mut h, "PDF 路径", missing.to_str().unwrap());
    h.get_by_label("保存").click();
    wait_for_print_job(&mut h);
    let error = shown(&h, "不存在");
    assert!(error.contains("没有这个文件夹"), "{error}");
    assert!(!missing.exists());
    assert!(h.state().store().unwrap().notices(None).unwrap().is_empty());
    assert!(
        h.query_by_label("签发时文号：安委办督〔2020〕1号")
            .is_some()
    );
}

#[test]
fn print_settings_saved_through_the_ui_are_stored() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let mut h = common::harness(app);
    common::open_tab(&mut h, "备份与设置");
    common::set_field(&mut h, "发文机关", "曲靖市麒麟区安全生产委员会办公室");
    common::set_field(&mut h, "机关代字", "麒安委办督");
    common::set_field(&mut h, "联系人", "张三，电话：0874-3123456");
    common::click(&mut h, "中文日期（二〇二〇年九月一日）");
    common::click(&mut h, "保存打印设置");
    let status = h.state().status().text();
    assert!(status.starts_with("已保存 "), "status line: {status}");

    let settings = h.state().store().unwrap().settings().unwrap();
    assert_eq!(settings.office_name, "曲靖市麒麟区安全生产委员会办公室");
    assert_eq!(settings.doc_prefix, "麒安委办督");
    assert_eq!(settings.contact, "张三，电话：0874-3123456");
    assert!(
        settings.chinese_date,
        "Arabic is the default (GB/T 9704-2012 7.3.5); ticked: Chinese numerals"
    );

    // The notice form takes them: 文号 and contact.
    common::open_tab(&mut h, "打印");
    common::click(&mut h, "督办通知书");
    assert!(
        h.query_by_label("签发时文号：麒安委办督〔2020〕1号")
            .is_some()
    );
    assert_eq!(
        h.get_by_label("联系人").value().as_deref(),
        Some("张三，电话：0874-3123456")
    );
}

#[test]
fn a_notice_on_the_last_representable_days_asks_for_the_deadline_instead_of_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = common::desk(dir.path());
    // Today + 15 days is past the last date chrono can represent.
    app.set_today(chrono::NaiveDate::from_ymd_opt(262_142, 12, 31).unwrap());
    let mut h = common::harness(app);
    common::open_tab(&mut h, "打印");
    common::click(&mut h, "督办通知书");
    assert!(
        h.query_by_label_contains("超出了可表示的日期范围")
            .is_some(),
        "the deadline field says why it is empty"
    );
    assert_eq!(h.get_by_label("新的完成时限").value().as_deref(), Some(""));
}

/// The notice is dated the desk's day (状态截至): its default deadline follows that day until
/// the user writes one; a deadline not after it is named at the field and lays nothing out;
/// a task done by that day gets no notice.
#[test]
fn a_notice_follows_its_day_and_refuses_what_is_not_so() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let mut h = common::harness(app);
    let (task, _) = open_notice_for_overdue_task(&mut h);
    assert_eq!(
        h.get_by_label("新的完成时限").value().as_deref(),
        Some("2020-09-16")
    );
    h.state_mut()
        .set_today(chrono::NaiveDate::from_ymd_opt(2021, 6, 30).unwrap());
    h.run();
    assert_eq!(
        h.get_by_label("新的完成时限").value().as_deref(),
        Some("2021-07-15"),
        "the default follows the day"
    );
    assert!(
        h.query_by_label("签发时文号：安委办督〔2021〕1号")
            .is_some()
    );

    // A deadline of the user's own stays; one not after the day is refused at the field.
    common::set_field(&mut h, "新的完成时限", "2021-06-01");
    common::click(&mut h, "生成预览");
    assert!(
        h.query_by_label_contains("不晚于成文日期").is_some(),
        "the refusal is shown"
    );
    assert!(h.state().print_state().unwrap().busy().is_none());
    h.state_mut()
        .set_today(chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap());
    h.run();
    assert_eq!(
        h.get_by_label("新的完成时限").value().as_deref(),
        Some("2021-06-01"),
        "the user's own deadline is kept"
    );

    // Done by the day: no notice.
    h.state_mut().apply_actions(vec![anwei_ui::Action::Apply {
        from: anwei_ui::Origin::Detail,
        command: anwei_core::Command::AddProgress {
            milestone: None,
            task: task.clone(),
            date: chrono::NaiveDate::from_ymd_opt(2021, 6, 1).unwrap(),
            text: "已完成".into(),
            percent: None,
            done: true,
            attach: vec![],
        },
    }]);
    h.state_mut().wait_for_writes();
    h.run();
    h.state_mut()
        .set_today(chrono::NaiveDate::from_ymd_opt(2021, 7, 2).unwrap());
    h.run();
    common::set_field(&mut h, "新的完成时限", "2021-08-01");
    common::click(&mut h, "生成预览");
    assert!(
        h.query_by_label_contains("已完成，不能对它发督办通知书")
            .is_some(),
        "a done task is refused"
    );
}

/// Stand-ins for CUPS's commands in `dir/bin`: one printer "办公室" (the default); `lp`
/// records its arguments and keeps a copy of the file.
#[cfg(unix)]
fn fake_cups(dir: &std::path::Path) -> anwei_print::printer::PrintService {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for (name, body) in [
        (
            "lpstat",
            "#!/bin/sh\ncase \"$1\" in\n -e) echo 办公室 ;;\n -d) echo 'system default destination: 办公室' ;;\nesac\n".to_owned(),
        ),
        ("lpoptions", "#!/bin/sh\necho 'PageSize/Media Size: *A4'\n".to_owned()),
        (
            "lp",
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{0}/lp.args'\nfor last; do :; done\ncp \"$last\" '{0}/printed.pdf'\necho \"request id is 办公室-9 (1 file(s))\"\n",
                dir.display()
            ),
        ),
    ] {
        let path = bin.join(name);
        write_script(&path, &body);
    }
    anwei_print::printer::PrintService { bin_dir: Some(bin) }
}

/// The 打印 tab sends the document to the chosen printer with its copies; without a print
/// service it says so and points to saving a PDF.
#[cfg(unix)]
#[test]
fn the_print_tab_prints_to_a_printer_or_says_why_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let cups_dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let mut h = common::harness(app);
    // No print service where the desk looks (an empty folder).
    let empty = tempfile::tempdir().unwrap();
    h.state_mut().print_state_mut().unwrap().service = anwei_print::printer::PrintService {
        bin_dir: Some(empty.path().to_path_buf()),
    };
    common::open_tab(&mut h, "打印");
    wait_for_printers(&mut h);
    assert!(
        h.query_by_label_contains("没有可用的打印服务").is_some(),
        "the missing print service is said"
    );

    let cups = fake_cups(cups_dir.path());
    h.state_mut().print_state_mut().unwrap().service = cups;
    common::click(&mut h, "重新查找打印机");
    wait_for_printers(&mut h);
    assert_eq!(
        h.state().print_state().unwrap().printer.as_deref(),
        Some("办公室"),
        "the default printer is chosen"
    );
    h.state_mut().print_state_mut().unwrap().copies = 2;
    h.get_by_label("送去打印").click();
    wait_for_print_job(&mut h);
    let status = h.state().status().text();
    assert!(status.contains("已送打印机 办公室：2 份"), "{status}");
    let printed = std::fs::read(cups_dir.path().join("printed.pdf")).unwrap();
    assert!(printed.starts_with(b"%PDF"));
    let args = std::fs::read_to_string(cups_dir.path().join("lp.args")).unwrap();
    assert!(args.lines().any(|l| l == "2"), "{args}");
    assert!(args.lines().any(|l| l == "sides=one-sided"), "{args}");

    // An issued notice is printed from the register as it was issued.
    open_notice_for_overdue_task(&mut h);
    let file = cups_dir.path().join("n.pdf");
    common::set_field(&mut h, "PDF 路径", file.to_str().unwrap());
    issue_open_notice(&mut h, 1);
    h.get_by_label("打印 安委办督〔2020〕1号").click();
    wait_for_print_job(&mut h);
    let status = h.state().status().text();
    assert!(status.contains("〔2020〕1号已送打印机 办公室"), "{status}");
    let printed = std::fs::read(cups_dir.path().join("printed.pdf")).unwrap();
    let issued = h.state().store().unwrap().notice_pdf(2020, 1).unwrap();
    assert_eq!(Some(printed), issued);
}

#[test]
fn the_progress_report_prints_the_progress_entered_and_its_addressee() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let mut h = common::harness(app);
    h.state_mut().apply_actions(vec![anwei_ui::Action::apply(
        anwei_core::Command::AddProgress {
            milestone: None,
            task: "topic-2/1".into(),
            date: common::today(),
            text: "已印发工作方案并召开推进会".into(),
            percent: Some(45),
            done: false,
            attach: vec![],
        },
    )]);
    common::wait_for_writes(&mut h);
    h.run();
    common::open_tab(&mut h, "打印");
    h.get_by_label("进展报告").click();
    h.run();
    // The addressee defaults to the committee the office serves; typed, it is used.
    common::set_field(&mut h, "主送机关", "区委、区政府");
    h.get_by_label("生成预览").click();
    wait_for_print_job(&mut h);
    let print = h.state().print_state().unwrap();
    assert_eq!(print.error, None);
    let text = one_line(print.document().unwrap());
    assert!(text.contains("区委、区政府："), "{text}");
    assert!(text.contains("已印发工作方案并召开推进会"), "{text}");
    assert!(text.contains("45%"), "{text}");
    assert!(text.contains("任务推进情况"), "{text}");
    assert!(!text.contains("另行报告"), "{text}");
}

#[test]
fn the_ledger_prints_its_form_blank_and_a_record_as_saved() {
    use anwei_core::Value;
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    let values: std::collections::BTreeMap<String, Value> = [
        ("name", Value::Text("登记表煤矿".into())),
        ("town", Value::Text("越州镇".into())),
        ("ownership", Value::Choices(vec!["private".into()])),
        ("status", Value::Choices(vec!["producing".into()])),
        ("scale", Value::Choices(vec!["medium".into()])),
        ("capacity", Value::Decimal(45.0)),
        ("gas_class", Value::Choices(vec!["other".into()])),
        ("group", Value::Choices(vec!["keep".into()])),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    h.state_mut().apply_actions(vec![anwei_ui::Action::apply(
        anwei_core::Command::AddRecord {
            form: "coal-mining/mine-register".into(),
            form_version: "1.0.0".into(),
            values,
            draft: false,
        },
    )]);
    common::wait_for_writes(&mut h);
    h.state_mut().wait_for_plugins();
    h.run();
    // Without a form open on the 台账 tab the 登记表 says where to go.
    common::open_tab(&mut h, "打印");
    h.get_by_label("登记表").click();
    h.run();
    assert!(
        h.query_by_label_contains("请先在“台账”页选择一个表单")
            .is_some()
    );

    common::open_tab(&mut h, "台账");
    h.run();
    // The preview starts by itself (a spinner while it runs: no `run` meanwhile).
    h.get_by_label("打印空白表").click();
    wait_for_print_job(&mut h);
    assert_eq!(h.state().tab(), Some(Tab::Print));
    let print = h.state().print_state().unwrap();
    assert_eq!(print.error, None);
    let blank = one_line(print.document().expect("the blank form's preview"));
    assert!(blank.contains("煤矿台账登记表"), "{blank}");
    assert!(blank.contains("□国有"), "{blank}");
    assert!(!blank.contains("登记表煤矿"), "{blank}");

    // The record's own 打印登记表, from its editor.
    common::open_tab(&mut h, "台账");
    h.get_by_label("登记表煤矿").click();
    h.run();
    h.get_by_label("打印登记表").scroll_to_me();
    h.run();
    h.get_by_label("打印登记表").click();
    wait_for_print_job(&mut h);
    let print = h.state().print_state().unwrap();
    assert_eq!(print.error, None);
    let filled = one_line(print.document().expect("the record's preview"));
    assert!(filled.contains("登记表煤矿"), "{filled}");
    assert!(filled.contains("■民营"), "{filled}");
    assert!(filled.contains("记录编号"), "{filled}");

    // Saved under the suggested name; an unknown number is refused at the field's words.
    let out = tempfile::tempdir().unwrap();
    common::set_field(&mut h, "PDF 路径", out.path().to_str().unwrap());
    h.get_by_label("保存").click();
    wait_for_print_job(&mut h);
    let id = h
        .state()
        .store()
        .unwrap()
        .records("coal-mining/mine-register")
        .unwrap()[0]
        .id;
    let file = out.path().join(format!("煤矿台账登记表-记录{id}.pdf"));
    assert!(
        std::fs::read(&file).unwrap().starts_with(b"%PDF"),
        "{file:?}"
    );
    common::set_field(&mut h, "记录编号", "99999");
    h.get_by_label("生成预览").click();
    h.run();
    assert!(
        h.query_by_label_contains("没有编号为 99999 的记录")
            .is_some(),
        "{:?}",
        h.state().print_state().unwrap().error
    );
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

#[test]
fn the_timeline_prints_from_the_print_tab_with_the_day_a_task_was_done() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let mut h = common::harness(app);
    h.state_mut().apply_actions(vec![anwei_ui::Action::apply(
        anwei_core::Command::AddProgress {
            milestone: None,
            task: "topic-2/1".into(),
            date: chrono::NaiveDate::from_ymd_opt(2020, 8, 3).unwrap(),
            text: "已完成".into(),
            percent: None,
            done: true,
            attach: vec![],
        },
    )]);
    common::wait_for_writes(&mut h);
    common::open_tab(&mut h, "打印");
    h.get_by_label("时间轴图").click();
    h.run();
    h.get_by_label("生成预览").click();
    wait_for_print_job(&mut h);
    let print = h.state().print_state().unwrap();
    assert_eq!(print.error, None);
    let doc = print.document().unwrap();
    let text = one_line(doc);
    let campaign = h.state().model().unwrap().campaign.name.clone();
    assert!(text.contains(&format!("{campaign}时间轴")), "{text}");
    assert!(text.contains("截至 2020-09-01"), "{text}");
    assert!(text.contains("✔"), "the day it was reported done: {text}");
    assert!(print.page_count() >= 2, "every task of the campaign");
    let out = tempfile::tempdir().unwrap();
    common::set_field(&mut h, "PDF 路径", out.path().to_str().unwrap());
    h.get_by_label("保存").click();
    wait_for_print_job(&mut h);
    let file = out.path().join("时间轴-全部.pdf");
    assert!(std::fs::read(&file).unwrap().starts_with(b"%PDF"));
}

/// A 督办事项's ladder document from the 督办 tab: previewed as a draft stating the item's
/// facts, then issued under the next 文号 with the step taken on the item; the 通报 and the
/// 考核表 print from the same tab.
#[test]
fn a_supervision_letter_is_drafted_then_issued_and_the_step_taken() {
    use anwei_core::supervise::SupAction;
    use anwei_core::supervision::{Level, Source, SourceKind};
    let dir = tempfile::tempdir().unwrap();
    let mut app = common::desk(dir.path());
    let unit = app.model().unwrap().units.units()[0].id.clone();
    app.apply_actions(vec![anwei_ui::Action::apply(
        anwei_core::Command::Supervise {
            action: SupAction::AddItem {
                title: "清理消防通道".into(),
                source: Source {
                    kind: SourceKind::Meeting,
                    reference: "区安委会2020年第2次会议".into(),
                    task: None,
                    milestone: None,
                    hazard: None,
                },
                level: Level::District,
                unit,
                supervisor: "区安委办".into(),
                acceptor: "区安委办".into(),
                opened: chrono::NaiveDate::from_ymd_opt(2020, 6, 1).unwrap(),
                deadline: chrono::NaiveDate::from_ymd_opt(2020, 8, 15).unwrap(),
            },
        },
    )]);
    app.wait_for_writes();
    let mut h = common::harness(app);
    common::open_tab(&mut h, "督办");
    h.get_by_label("#1").click();
    h.run();
    h.get_by_label("打印督办文书…").click();
    wait_for_print_job(&mut h);
    assert_eq!(h.state().tab(), Some(Tab::Print));
    let text = one_line(
        h.state()
            .print_state()
            .unwrap()
            .document()
            .expect("the preview"),
    );
    // The next step due is the 提醒; the draft states the facts as of the desk's day.
    assert!(text.contains("工作提醒函"), "{text}");
    assert!(text.contains("根据区安委会2020年第2次会议议定"), "{text}");
    assert!(text.contains("已逾期17天"), "{text}");
    assert!(text.contains(anwei_print::DRAFT_MARK), "{text}");
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("提醒函.pdf");
    common::set_field(&mut h, "PDF 路径", file.to_str().unwrap());
    issue_open_notice(&mut h, 1);
    let store = h.state().store().unwrap();
    let notices = store.notices(None).unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!(
        (notices[0].item, notices[0].title.as_str()),
        (Some(1), "工作提醒函")
    );
    // The file is the issued original, as the register keeps it.
    let kept = store.notice_pdf(2020, 1).unwrap().unwrap();
    assert_eq!(std::fs::read(&file).unwrap(), kept);
    let item = &h.state().model().unwrap().registers.items[0];
    assert_eq!(item.steps.len(), 1);
    assert_eq!(
        item.steps[0].document.as_deref(),
        Some("安委办督〔2020〕1号")
    );
}

/// A 通报, the 考核表 and 两个清单 print from the 打印 tab: the 通报 with its 期号 and what
/// its count costs a unit on its day; the 考核表 once computed (asked for before, it says
/// where to compute it).
#[test]
fn circulars_the_assessment_and_the_lists_print_from_the_print_tab() {
    use anwei_core::supervise::SupAction;
    use anwei_core::supervision::{CircularKind, ListKind, Named};
    let dir = tempfile::tempdir().unwrap();
    let mut app = common::desk(dir.path());
    let (unit, name) = {
        let u = &app.model().unwrap().units.units()[0];
        (u.id.clone(), u.name.clone())
    };
    for (m, title) in [(3, "一季度通报"), (6, "二季度通报")] {
        app.apply_actions(vec![anwei_ui::Action::apply(
            anwei_core::Command::Supervise {
                action: SupAction::AddCircular {
                    date: chrono::NaiveDate::from_ymd_opt(2020, m, 28).unwrap(),
                    kind: CircularKind::Quarterly,
                    title: title.into(),
                    summary: String::new(),
                    named: vec![Named {
                        unit: unit.clone(),
                        member: true,
                        issue: "进度滞后".into(),
                    }],
                    follow_up: String::new(),
                    items: vec![],
                },
            },
        )]);
    }
    app.apply_actions(vec![anwei_ui::Action::apply(
        anwei_core::Command::Supervise {
            action: SupAction::AddListEntry {
                list: ListKind::Problems,
                unit: unit.clone(),
                text: "老旧小区消防通道被占用".into(),
                measures: "清理占道".into(),
                deadline: None,
                tasks: vec![],
                hazards: vec![],
                date: chrono::NaiveDate::from_ymd_opt(2020, 8, 1).unwrap(),
            },
        },
    )]);
    app.wait_for_writes();
    let mut h = common::harness(app);
    common::open_tab(&mut h, "打印");
    h.get_by_label("通报").click();
    h.run();
    h.get_by_role_and_label(Role::ComboBox, "通报").click();
    h.run();
    h.get_by_label("2020年第2期 二季度通报").click();
    h.run();
    h.get_by_label("生成预览").click();
    wait_for_print_job(&mut h);
    let print = h.state().print_state().unwrap();
    let text = one_line(
        print
            .document()
            .unwrap_or_else(|| panic!("{:?}", print.error)),
    );
    assert!(text.contains("2020年第二期"), "{text}");
    assert!(
        text.contains(&format!("{name}：进度滞后。该单位本年度已被通报2次")),
        "{text}"
    );
    // The 考核表 needs computing first, and says where.
    h.get_by_label("考核表").click();
    h.run();
    h.get_by_label("生成预览").click();
    wait_for_print_job(&mut h);
    let error = h
        .state()
        .print_state()
        .unwrap()
        .error
        .clone()
        .unwrap_or_default();
    assert!(error.contains("督办→年度考核"), "{error}");
    h.state_mut()
        .apply_actions(vec![anwei_ui::Action::ComputeAssessment(2020)]);
    h.run();
    h.get_by_label("生成预览").click();
    wait_for_print_job(&mut h);
    let print = h.state().print_state().unwrap();
    let text = one_line(
        print
            .document()
            .unwrap_or_else(|| panic!("{:?}", print.error)),
    );
    assert!(
        text.contains("2020年度安全生产目标责任考核结果汇总表"),
        "{text}"
    );
    assert!(text.contains("2020年被通报2次（第1期、第2期）"), "{text}");
    h.get_by_label("两个清单").click();
    h.run();
    h.get_by_label("生成预览").click();
    wait_for_print_job(&mut h);
    let print = h.state().print_state().unwrap();
    let text = one_line(
        print
            .document()
            .unwrap_or_else(|| panic!("{:?}", print.error)),
    );
    assert!(
        text.contains("问题隐患清单") && text.contains("老旧小区消防通道被占用"),
        "{text}"
    );
}
