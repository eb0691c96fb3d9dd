//! Backup to a typed path (a job), then restore it through the confirmation dialog; the
//! automatic backup of the start runs as a job after the first frame, with a progress line;
//! on exit an automatic backup is made when something changed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_core::Command;
use egui_kittest::kittest::Queryable;

#[test]
fn backup_then_restore_through_the_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "备份与设置");
    // A folder: the default file name is used.
    common::set_field(&mut h, "备份文件路径", out.path().to_str().unwrap());
    common::click(&mut h, "备份到此路径");
    h.state_mut().wait_for_backup();
    h.run();
    let backup = out.path().join("anwei-20200901.anwei-backup");
    assert!(backup.is_file(), "status: {}", h.state().status().text());
    assert_eq!(
        h.state().status().text(),
        format!("已备份到 {}", backup.display())
    );

    // A change after the backup …
    h.state_mut()
        .apply_actions(vec![anwei_ui::Action::apply(Command::AddProgress {
            milestone: None,
            task: "topic-2/1".into(),
            date: common::today(),
            text: "备份之后的进展".into(),
            percent: None,
            done: false,
            attach: vec![],
        })]);
    h.run();
    assert_eq!(h.state().model().unwrap().progress["topic-2/1"].entries, 1);

    // … is undone by restoring, after confirming.
    common::set_field(&mut h, "恢复文件路径", backup.to_str().unwrap());
    common::click(&mut h, "从此文件恢复");
    assert!(h.query_by_label("确认从备份恢复").is_some());
    assert_eq!(
        h.query_all_by_label_contains("当前数据会先自动备份")
            .count(),
        2
    );
    h.get_by_label("确认恢复").click();
    h.run();
    let app = h.state();
    assert!(app.is_open());
    assert!(
        app.status().text().starts_with("已从备份恢复"),
        "{}",
        app.status().text()
    );
    assert!(!app.model().unwrap().progress.contains_key("topic-2/1"));
    assert!(
        app.store()
            .unwrap()
            .progress_of("topic-2/1")
            .unwrap()
            .is_empty(),
        "restored data"
    );
    let before_restore = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("before-restore-")
        });
    assert!(before_restore, "the replaced data was backed up first");
}

#[test]
fn exit_backup_only_after_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = common::desk(dir.path());
    assert_eq!(app.exit_backup().unwrap(), None, "nothing changed");
    app.apply_actions(vec![anwei_ui::Action::apply(Command::SetDueSoonDays {
        days: 30,
    })]);
    assert!(app.status().text().starts_with("已保存 "));
    assert_eq!(app.model().unwrap().settings.due_soon_days, 30);
    let path = app.exit_backup().unwrap().expect("a backup after a change");
    assert!(path.is_file());
}

#[test]
fn the_automatic_backup_runs_after_the_first_frame_with_a_progress_line() {
    let dir = tempfile::tempdir().unwrap();
    // A new data folder: an automatic backup is due.
    let mut app = common::desk(dir.path());
    // Opening the desk made none: nothing waits for a backup before the first frame.
    assert!(!app.backup_running());
    assert!(anwei_store::auto_backups(dir.path()).is_empty());
    let hold = app.hold_next_backup().unwrap();
    let mut h = common::harness(app);
    // The window is drawn and usable while the backup runs, with the progress line.
    assert!(h.state().backup_running());
    assert!(h.query_by_label_contains("正在自动备份").is_some());
    assert!(anwei_store::auto_backups(dir.path()).is_empty());
    common::open_tab(&mut h, "备份与设置");
    assert!(h.query_by_label("备份文件路径").is_some());
    assert!(h.query_by_label_contains("正在自动备份").is_some());

    drop(hold);
    h.state_mut().wait_for_backup();
    h.run();
    assert!(!h.state().backup_running());
    assert!(h.query_by_label_contains("正在自动备份").is_none());
    let made = anwei_store::auto_backups(dir.path());
    assert_eq!(made.len(), 1);
    // Listed on the page, and no error in the status line.
    let name = made[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(h.query_by_label_contains(&name).is_some(), "{name}");
    assert!(
        !h.state().status().is_error(),
        "{}",
        h.state().status().text()
    );
    // Not due again when the desk opens again.
    drop(h);
    let mut app = common::desk(dir.path());
    let _hold = app.hold_next_backup().unwrap();
    let h = common::harness(app);
    assert!(!h.state().backup_running());
}
