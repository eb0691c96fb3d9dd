//! A data folder that cannot be opened shows the plain message and the ways out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use anwei_store::Store;
use egui_kittest::kittest::Queryable;

/// Replaces the sled database with garbage.
fn damage(dir: &Path) {
    let db = dir.join("db");
    let _ = std::fs::remove_dir_all(&db);
    std::fs::create_dir_all(&db).unwrap();
    std::fs::write(
        db.join("conf"),
        b"\x00\xffthis is not a sled config\x13\x37",
    )
    .unwrap();
    std::fs::write(db.join("db"), vec![0xAB; 4096]).unwrap();
    assert!(
        matches!(Store::open(dir), Err(e) if e.is_damaged()),
        "the garbage should make the store report damage"
    );
}

#[test]
fn damaged_data_without_a_backup_shows_the_message() {
    let dir = tempfile::tempdir().unwrap();
    damage(dir.path());
    let app = common::desk(dir.path());
    assert!(!app.is_open());
    let msg = app.open_error().unwrap().to_owned();
    assert!(msg.contains("数据库无法打开"), "{msg}");
    let mut h = common::harness(app);
    h.run();
    assert!(
        h.query_by_label(&msg).is_some(),
        "the store's message, as is"
    );
    assert!(h.query_by_label("数据目录中没有自动备份。").is_some());
    assert!(
        h.query_by_label_contains("从最近的自动备份恢复（")
            .is_none()
    );
    // With no backup to restore, the damaged database can be kept aside and the desk started
    // afresh (with the demo campaign); nothing is deleted.
    let damaged = std::fs::read(dir.path().join("db/db")).unwrap();
    h.get_by_label("保留损坏的数据库并新建数据").click();
    h.run();
    assert!(h.state().is_open(), "{}", h.state().status().text());
    h.state_mut().wait_for_plugins();
    assert_eq!(
        h.state().model().unwrap().rows.len(),
        233,
        "the demo campaign and the ten built-in sector plans"
    );
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("db.damaged-")
        })
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        std::fs::read(aside[0].join("db")).unwrap().len(),
        damaged.len()
    );
    assert!(h.state().status().text().contains("保留在"));
}

#[test]
fn damaged_data_is_restored_from_the_latest_automatic_backup() {
    let dir = tempfile::tempdir().unwrap();
    {
        // First start: demo imported; add an entry, back up.
        let app = common::desk(dir.path());
        assert!(app.is_open());
        let store = app.store().unwrap();
        store
            .apply(
                &anwei_core::Command::AddProgress {
                    milestone: None,
                    task: "topic-1/1".into(),
                    date: common::today(),
                    text: "备份前的进展".into(),
                    percent: Some(50),
                    done: false,
                    attach: vec![],
                },
                "测试员",
            )
            .unwrap();
        store.auto_backup().unwrap();
    }
    damage(dir.path());
    let app = common::desk(dir.path());
    assert!(!app.is_open());
    let mut h = common::harness(app);
    h.run();
    h.get_by_label_contains("从最近的自动备份恢复（auto-")
        .click();
    h.run();
    h.state_mut().wait_for_plugins();
    let app = h.state();
    assert!(app.is_open(), "status: {}", app.status().text());
    assert!(
        app.status().text().starts_with("已从备份恢复"),
        "{}",
        app.status().text()
    );
    assert_eq!(app.model().unwrap().rows.len(), 233);
    let entries = app.store().unwrap().progress_of("topic-1/1").unwrap();
    assert_eq!(entries[0].text, "备份前的进展");
    // The desk is drawn.
    assert!(h.query_by_label("备份与设置").is_some());
}

#[test]
fn a_locked_folder_offers_retry() {
    let dir = tempfile::tempdir().unwrap();
    let other = Store::open(dir.path()).unwrap();
    let app = common::desk(dir.path());
    assert!(!app.is_open());
    let mut h = common::harness(app);
    h.run();
    assert!(
        h.query_by_label_contains("正被另一个 Anwei Desk 窗口")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("从最近的自动备份恢复（")
            .is_none()
    );
    h.get_by_label("重试").click();
    h.run();
    assert!(!h.state().is_open());
    assert!(h.state().status().text().contains("仍无法打开"));
    drop(other);
    h.get_by_label("重试").click();
    h.run();
    assert!(h.state().is_open());
}

#[test]
fn a_data_path_that_is_a_file_says_so_and_offers_nothing_to_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("数据.txt");
    std::fs::write(&file, "这是一个文件").unwrap();
    let app = common::desk(&file);
    assert!(!app.is_open());
    let msg = app.open_error().unwrap().to_owned();
    assert!(msg.contains("不是文件夹"), "{msg}");
    assert!(!msg.contains("os error"), "{msg}");
    assert!(!msg.contains("损坏"), "{msg}");
    let mut h = common::harness(app);
    h.run();
    assert!(h.query_by_label(&msg).is_some(), "the store's message");
    assert!(
        h.query_by_label_contains("指向的是一个文件，不是文件夹")
            .is_some()
    );
    // Nothing is offered that would treat the file as a damaged database.
    assert!(h.query_by_label("保留损坏的数据库并新建数据").is_none());
    assert!(h.query_by_label_contains("自动备份").is_none());
    assert!(h.query_by_label("选择备份文件…").is_none());
    h.get_by_label("重试").click();
    h.run();
    assert!(!h.state().is_open());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "这是一个文件");
}
