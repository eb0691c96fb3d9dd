//! A progress entry added through the UI is on disk; a bad date keeps what was typed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_store::Store;
use egui_kittest::kittest::Queryable;

#[test]
fn progress_entry_added_through_the_ui_is_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let (task_id, title) = {
        let row = &app.model().unwrap().rows[0];
        (row.id.clone(), row.title.clone())
    };
    let mut h = common::harness(app);
    common::open_tab(&mut h, "任务");
    h.get_by_label(&title).click();
    h.run();
    assert_eq!(h.state().open_task(), Some(task_id.as_str()));
    assert!(h.query_by_label("尚无进展记录").is_some());

    common::set_field(&mut h, "内容", "已召开专题部署会议");
    common::click(&mut h, "已完成");
    common::click(&mut h, "保存进展");

    let status = h.state().status().text();
    assert!(status.starts_with("已保存 "), "status line: {status}");
    assert!(h.query_by_label_contains("已保存 ").is_some());
    // The log shows it, the form is empty again, and the row's status is 已完成.
    assert!(h.query_by_label("已召开专题部署会议").is_some());
    assert_eq!(h.get_by_label("内容").value().as_deref(), Some(""));
    let model = h.state().model().unwrap();
    assert_eq!(
        model.row(&task_id).unwrap().status,
        anwei_core::Status::Done
    );
    drop(h);

    let store = Store::open(dir.path()).unwrap();
    let entries = store.progress_of(&task_id).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].text, "已召开专题部署会议");
    assert!(entries[0].done);
    assert_eq!(entries[0].author, "测试员");
    assert_eq!(entries[0].date, common::today());
}

#[test]
fn an_invalid_date_is_reported_at_the_field_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let (task_id, title) = {
        let row = &app.model().unwrap().rows[3];
        (row.id.clone(), row.title.clone())
    };
    let mut h = common::harness(app);
    common::open_tab(&mut h, "任务");
    h.get_by_label(&title).click();
    h.run();
    common::set_field(&mut h, "内容", "排查燃气管道");
    common::set_field(&mut h, "日期", "2020-13-45");
    common::click(&mut h, "保存进展");
    assert!(h.query_by_label_contains("日期“2020-13-45”无效").is_some());
    assert_eq!(
        h.get_by_label("内容").value().as_deref(),
        Some("排查燃气管道")
    );
    assert!(
        h.state()
            .store()
            .unwrap()
            .progress_of(&task_id)
            .unwrap()
            .is_empty()
    );

    // Fixing the date saves it.
    common::set_field(&mut h, "日期", "2020-08-20");
    common::click(&mut h, "保存进展");
    let entries = h.state().store().unwrap().progress_of(&task_id).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].date.to_string(), "2020-08-20");
}

#[test]
fn an_entry_is_edited_in_place_and_its_revisions_are_shown() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let title = app.model().unwrap().rows[1].title.clone();
    let mut h = common::harness(app);
    common::open_tab(&mut h, "任务");
    h.get_by_label(&title).click();
    h.run();
    common::set_field(&mut h, "内容", "第一稿");
    common::click(&mut h, "保存进展");
    common::click(&mut h, "编辑");
    assert_eq!(
        h.get_by_label("修改内容").value().as_deref(),
        Some("第一稿")
    );
    common::set_field(&mut h, "修改内容", "第二稿");
    common::click(&mut h, "保存修改");
    assert!(h.state().status().text().starts_with("已保存 "));
    let task = h.state().open_task().unwrap().to_owned();
    let entries = h.state().store().unwrap().progress_of(&task).unwrap();
    assert_eq!(entries[0].text, "第二稿");
    assert!(h.query_by_label("第二稿").is_some());
    common::click(&mut h, "修改记录");
    assert!(h.query_by_label_contains("第一稿 → 第二稿").is_some());
}

#[test]
fn a_typed_attachment_path_is_checked_and_saved_with_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = tempfile::tempdir().unwrap();
    let file = evidence.path().join("会议纪要.txt");
    std::fs::write(&file, "纪要").unwrap();
    let app = common::desk(dir.path());
    let (task_id, title) = {
        let row = &app.model().unwrap().rows[2];
        (row.id.clone(), row.title.clone())
    };
    let mut h = common::harness(app);
    common::open_tab(&mut h, "任务");
    h.get_by_label(&title).click();
    h.run();
    common::set_field(&mut h, "附件路径", "/没有/这个文件.pdf");
    common::click(&mut h, "添加");
    assert!(h.query_by_label_contains("找不到文件").is_some());
    common::set_field(&mut h, "附件路径", file.to_str().unwrap());
    common::click(&mut h, "添加");
    assert!(h.query_by_label("待添加：会议纪要.txt").is_some());
    common::click(&mut h, "保存进展");
    let entries = h.state().store().unwrap().progress_of(&task_id).unwrap();
    assert_eq!(entries[0].evidence[0].name, "会议纪要.txt");
    // The saved entry lists its evidence as a link that opens the copy in the data folder;
    // a copy that has gone missing is reported (not silently ignored).
    let copy = dir
        .path()
        .join("evidence")
        .join(&entries[0].evidence[0].stored);
    assert!(copy.is_file());
    std::fs::remove_file(&copy).unwrap();
    h.get_by_label("会议纪要.txt").click();
    h.run();
    assert!(
        h.state().status().text().contains("附件文件不存在"),
        "{}",
        h.state().status().text()
    );
    std::fs::write(&copy, "纪要").unwrap();

    // A file dropped on the window joins the open form.
    let photo = evidence.path().join("现场照片.jpg");
    std::fs::write(&photo, [0xFF, 0xD8]).unwrap();
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(common::Dropped(photo)));
    h.run();
    assert!(h.query_by_label("待添加：现场照片.jpg").is_some());
    common::set_field(&mut h, "内容", "补充现场照片");
    common::click(&mut h, "保存进展");
    let entries = h.state().store().unwrap().progress_of(&task_id).unwrap();
    assert_eq!(entries.len(), 2);
    assert!(
        entries
            .iter()
            .any(|e| e.evidence.iter().any(|ev| ev.name == "现场照片.jpg"))
    );
}

#[test]
fn a_store_error_is_shown_and_the_form_keeps_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = tempfile::tempdir().unwrap();
    let file = evidence.path().join("将被删除.pdf");
    std::fs::write(&file, "x").unwrap();
    let app = common::desk(dir.path());
    let (task_id, title) = {
        let row = &app.model().unwrap().rows[5];
        (row.id.clone(), row.title.clone())
    };
    let mut h = common::harness(app);
    common::open_tab(&mut h, "任务");
    h.get_by_label(&title).click();
    h.run();
    common::set_field(&mut h, "内容", "附件随后补");
    common::set_field(&mut h, "附件路径", file.to_str().unwrap());
    common::click(&mut h, "添加");
    // The file disappears before saving: the store refuses the entry.
    std::fs::remove_file(&file).unwrap();
    common::click(&mut h, "保存进展");
    let status = h.state().status().clone();
    assert!(status.is_error(), "{status:?}");
    assert!(status.text().starts_with("未保存："), "{}", status.text());
    assert!(
        h.query_all_by_label_contains("未保存：").count() >= 2,
        "status line and form"
    );
    assert_eq!(
        h.get_by_label("内容").value().as_deref(),
        Some("附件随后补")
    );
    assert!(h.query_by_label("待添加：将被删除.pdf").is_some());
    assert!(
        h.state()
            .store()
            .unwrap()
            .progress_of(&task_id)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_future_date_or_done_below_100_percent_is_refused_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let (task_id, title) = {
        let row = &app.model().unwrap().rows[2];
        (row.id.clone(), row.title.clone())
    };
    let mut h = common::harness(app);
    common::open_tab(&mut h, "任务");
    h.get_by_label(&title).click();
    h.run();
    common::set_field(&mut h, "内容", "计划下月检查");
    // Today is 2020-09-01 (common::today): a later date is refused at the field.
    common::set_field(&mut h, "日期", "2030-01-01");
    common::click(&mut h, "保存进展");
    assert!(
        h.query_by_label_contains("晚于今天（2020-09-01）")
            .is_some(),
        "the date is refused at the field"
    );
    let store_entries = |h: &egui_kittest::Harness<'static, anwei_ui::DeskApp>| {
        h.state()
            .store()
            .unwrap()
            .progress_of(&task_id)
            .unwrap()
            .len()
    };
    assert_eq!(store_entries(&h), 0);
    assert_eq!(
        h.get_by_label("内容").value().as_deref(),
        Some("计划下月检查")
    );

    // 已完成 with 0 % (the percentage ticked, left at 0): done means 100.
    common::set_field(&mut h, "日期", "2020-09-01");
    common::click(&mut h, "填写进度%");
    common::click(&mut h, "已完成");
    common::click(&mut h, "保存进展");
    assert!(
        h.query_by_label_contains("进度应为 100%（填写的是 0%）")
            .is_some()
    );
    assert!(h.query_by_label_contains("晚于今天").is_none());
    assert_eq!(store_entries(&h), 0);

    // Not done: saved.
    common::click(&mut h, "已完成");
    common::click(&mut h, "保存进展");
    assert_eq!(store_entries(&h), 1);
    let entries = h.state().store().unwrap().progress_of(&task_id).unwrap();
    assert_eq!(entries[0].percent, Some(0));
    assert!(!entries[0].done);
}

/// A task marked 不适用 in its detail: the reason is asked for, the row and the detail say
/// 不适用 with it, the overview counts it apart, and "恢复为适用" brings its status back.
#[test]
fn a_task_is_marked_not_applicable_in_its_detail_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let (task_id, title, plan, before) = {
        let row = &app.model().unwrap().rows[3];
        (
            row.id.clone(),
            row.title.clone(),
            row.plan.clone(),
            row.status,
        )
    };
    let mut h = common::harness(app);
    common::open_tab(&mut h, "任务");
    h.get_by_label(&title).click();
    h.run();
    common::click(&mut h, "标为不适用…");
    // No reason, no mark: the button waits for one.
    common::click(&mut h, "标为不适用");
    assert_eq!(
        h.state().model().unwrap().row(&task_id).unwrap().status,
        before
    );
    common::set_field(&mut h, "理由：", "本区无海域");
    common::click(&mut h, "标为不适用");
    let model = h.state().model().unwrap();
    let row = model.row(&task_id).unwrap();
    assert_eq!(row.status, anwei_core::Status::NotApplicable);
    assert_eq!(row.not_applicable.as_deref(), Some("本区无海域"));
    let stats = model.plan_stats.get(&plan).cloned().unwrap();
    assert_eq!(stats.not_applicable, 1);
    assert_eq!(stats.by_status.iter().sum::<usize>(), stats.tasks);
    assert!(
        h.query_by_label_contains("不适用本地区：本区无海域")
            .is_some()
    );
    drop(h);
    let store = Store::open(dir.path()).unwrap();
    let marks = store.settings().unwrap().not_applicable;
    assert_eq!(marks.task(&task_id).unwrap().reason, "本区无海域");
    drop(store);

    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "总览");
    assert!(h.query_by_label_contains("另有不适用 1 项").is_some());
    common::open_tab(&mut h, "任务");
    h.get_by_label(&title).click();
    h.run();
    common::click(&mut h, "恢复为适用");
    let model = h.state().model().unwrap();
    assert_eq!(model.row(&task_id).unwrap().status, before);
    assert_eq!(model.plan_stats.get(&plan).unwrap().not_applicable, 0);
}
