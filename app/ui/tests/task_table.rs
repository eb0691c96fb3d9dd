//! The task table shows seed 004's reform rows; row 36 (无主隐患) can be found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;

/// Title of reform row 36: the text before the first "。".
const ROW_36: &str = "明确辖区内重大隐患（包括无主隐患）整改治理主体责任为各县（区）人民政府及指定单位，落实省、市、县（区）专项配套治理资金，对重大隐患实施分级挂牌督办销号，实施闭环管理";

#[test]
fn search_finds_reform_row_36() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk_on(dir.path(), "shangluo-2018"));
    common::open_tab(&mut h, "任务");
    assert_eq!(common::shown_count(&h), 57, "seed 004's table");
    assert!(
        h.query_by_label(ROW_36).is_none(),
        "row 36 is below the fold at first"
    );
    common::set_field(&mut h, "搜索", "无主隐患");
    assert_eq!(common::shown_count(&h), 1);
    h.get_by_label(ROW_36);
    assert!(h.query_by_label("36").is_some(), "序号 column");
}

#[test]
fn plan_filter_shows_the_reform_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "任务");
    assert_eq!(
        common::shown_count(&h),
        233,
        "麒麟区's campaign: 21 + 14 专题 tasks + 32 coal, 21 hazardous-chemicals, 14 non-coal, 8 dust, 4 waste, 24 fire, 16 roads, 32 waterways, 23 construction, 24 industrial parks"
    );
    // 商洛市's reform table is a campaign of its own: not among this one's plans.
    h.get_by_role_and_label(Role::ComboBox, "方案").click();
    h.run();
    assert!(
        h.query_by_label_contains("推进安全生产领域改革发展重点任务分工方案")
            .is_none()
    );
    h.key_press(egui::Key::Escape);
    h.run();
    drop(h);
    let mut h = common::harness(common::desk_on(dir.path(), "shangluo-2018"));
    common::open_tab(&mut h, "任务");
    h.get_by_role_and_label(Role::ComboBox, "方案").click();
    h.run();
    h.get_by_label_contains("推进安全生产领域改革发展重点任务分工方案")
        .click();
    h.run();
    assert_eq!(common::shown_count(&h), 57);
    // Row 36 is in the (virtual) table; scroll to it.
    assert!(
        h.query_by_label(ROW_36).is_none(),
        "below the fold at first"
    );
    let over_table = h.get_by_label("1").rect().center();
    for _ in 0..40 {
        if h.query_by_label(ROW_36).is_some() {
            break;
        }
        common::wheel(&mut h, over_table, 120.0);
    }
    h.get_by_label(ROW_36);
}
