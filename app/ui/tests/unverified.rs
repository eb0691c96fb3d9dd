//! A database whose integrity cannot be verified (its state records were gone when it was
//! opened) says so over every tab until the user accepts it; accepting is audited.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_store::Store;
use egui_kittest::kittest::Queryable;

#[test]
fn the_window_warns_until_the_user_accepts_and_the_acceptance_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        store
            .import_campaign(&anwei_exchange::demo_campaign().unwrap(), "测试员")
            .unwrap();
    }
    // Both state records gone, and the database emptied: nothing can vouch for it.
    std::fs::remove_file(dir.path().join("anwei.state")).unwrap();
    std::fs::remove_file(dir.path().join("db/anwei.state")).unwrap();
    std::fs::write(dir.path().join("db/db"), b"").unwrap();

    let app = common::desk(dir.path());
    assert!(app.is_open(), "{}", app.status().text());
    let mut h = common::harness(app);
    h.run();
    assert!(
        h.query_by_label_contains("数据库的完整性无法确认")
            .is_some(),
        "the warning is shown"
    );
    // Still there on another tab.
    h.get_by_label("台账").click();
    h.run();
    assert!(
        h.query_by_label_contains("数据库的完整性无法确认")
            .is_some()
    );
    h.get_by_label("已核对，确认接受").click();
    h.run();
    h.run();
    assert!(
        h.query_by_label_contains("数据库的完整性无法确认")
            .is_none()
    );
    drop(h);
    let store = Store::open(dir.path()).unwrap();
    assert!(store.unverified().unwrap().is_none());
    assert!(
        store
            .audit(None, 50)
            .unwrap()
            .iter()
            .any(|a| a.summary.contains("确认接受"))
    );
}
