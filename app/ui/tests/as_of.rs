//! Reviewing a campaign as of another day: statuses follow the chosen date, nothing is stored.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_core::Status;
use egui_kittest::kittest::Queryable;

#[test]
fn statuses_follow_the_as_of_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk_on(dir.path(), "shangluo-2018"));
    h.run();
    let overdue = |h: &egui_kittest::Harness<'static, anwei_ui::DeskApp>| {
        h.state()
            .model()
            .unwrap()
            .rows
            .iter()
            .filter(|r| r.status == Status::Overdue)
            .count()
    };
    // 2020-09-01 (the tests' today), in 商洛市's campaign: the 47 reform tasks due "2018年"
    // and 3 due "2019年"…
    let on_test_day = overdue(&h);
    assert!(on_test_day >= 47, "{on_test_day}");
    common::set_field(&mut h, "状态截至", "2019-01-01");
    h.get_by_label("查看").click();
    h.run();
    // On 2019-01-01 exactly the 47 tasks due "2018年" are overdue.
    assert_eq!(overdue(&h), 47);
    assert!(
        h.query_by_label_contains("状态截至 2019-01-01（非今天）")
            .is_some()
    );
    // A bad date is reported and changes nothing.
    common::set_field(&mut h, "状态截至", "2019-13-01");
    h.get_by_label("查看").click();
    h.run();
    assert_eq!(overdue(&h), 47);
    assert!(h.state().status().text().contains("无效"));
    // Nothing about the view was stored.
    let actions: Vec<String> = h
        .state()
        .store()
        .unwrap()
        .audit(None, 100)
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    let mut expected = vec!["set_current_campaign"];
    expected.extend(["import_sector_plan"; 10]);
    expected.extend(["import_campaign"; 2]);
    assert_eq!(
        actions, expected,
        "only the choice of campaign, the two demo campaigns and the ten built-in sector plans"
    );
}
