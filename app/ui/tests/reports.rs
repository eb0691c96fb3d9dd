//! 报送 in the window: the calendar month by month (periods due across month, quarter and
//! year ends), a unit's submission recorded (补报 only with a reason), 签收 and 退回修改, the
//! on-time rate, and the reminders in 今日待办 that open the period.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_core::Command;
use anwei_core::reports::{FilingState, OfficeReport, Reporting};
use anwei_ui::{Action, Tab};
use egui_kittest::kittest::{NodeT, Queryable};

fn office(id: &str, name: &str, every: &str, grace: u32, units: &[String]) -> OfficeReport {
    OfficeReport {
        id: id.into(),
        name: name.into(),
        recurrence: anwei_core::parse_deadline(every, None)
            .unwrap()
            .recurrence
            .unwrap(),
        grace_days: grace,
        units: units.to_vec(),
        campaign: None,
    }
}

/// Opens the list named `list` and picks `option`.
fn pick(h: &mut egui_kittest::Harness<'static, anwei_ui::DeskApp>, list: &str, option: &str) {
    use egui::accesskit::Role;
    h.get_by_role_and_label(Role::ComboBox, list).click();
    h.run();
    h.get_by_role_and_label(Role::Button, option).click();
    h.run();
    assert_eq!(
        h.get_by_role_and_label(Role::ComboBox, list)
            .accesskit_node()
            .value()
            .as_deref(),
        Some(option)
    );
}

/// Whether some widget is labelled `text`.
fn shows(h: &egui_kittest::Harness<'static, anwei_ui::DeskApp>, text: &str) -> bool {
    h.get_all_by_label(text).next().is_some()
}

#[test]
fn the_calendar_records_submissions_signs_returns_and_rates_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = common::desk(dir.path());
    // Two units owe a 月报 (five days after each month) and a 季报 (by the quarter's end).
    let units: Vec<(String, String)> = app
        .model()
        .unwrap()
        .units
        .units()
        .iter()
        .take(2)
        .map(|u| (u.id.clone(), u.name.clone()))
        .collect();
    let ids: Vec<String> = units.iter().map(|(id, _)| id.clone()).collect();
    let (a, b) = (units[0].1.clone(), units[1].1.clone());
    app.apply_actions(vec![Action::apply(Command::SetReporting {
        reporting: Reporting {
            remind_days: 5,
            office_reports: vec![
                office("monthly", "月报", "每月", 5, &ids),
                office("quarterly", "季报", "每季度", 0, &ids),
            ],
        },
    })]);
    app.wait_for_writes();
    let mut h = common::harness(app);
    h.run();

    // 今日待办 (2020-09-01) reminds of August's 月报, due 5 September, for both units, and
    // lists the months each missed since the campaign began (April…July) as one item.
    common::open_tab(&mut h, "今日待办");
    assert!(h.query_by_label_contains("报送待办").is_some());
    assert!(h.query_by_label("报送：").is_some(), "a legend of its own");
    assert_eq!(h.get_all_by_label("报送临期").count(), 2, "one per unit");
    assert_eq!(
        h.get_all_by_label("未报 4 期，最早 2020年4月").count(),
        2,
        "one per unit"
    );
    // The most urgent (the oldest missed) opens its period on the 报送 tab.
    h.get_all_by_label("月报").next().unwrap().click();
    h.run();
    assert_eq!(h.state().tab(), Some(Tab::Reports));
    assert!(
        h.query_by_label_contains("2020年4月 月报（截止 2020-05-05")
            .is_some()
    );
    assert!(h.query_by_label("2020年5月").is_some(), "its month");
    common::click(&mut h, "回到本月");

    // September: August's 月报 on the 5th, the third quarter's 季报 on its last day.
    assert!(h.query_by_label("2020年9月").is_some());
    assert!(shows(&h, "9月5日"));
    assert!(shows(&h, "9月30日"));
    assert!(shows(&h, "2020年第3季度"));
    // December and January: the fourth quarter by 31 December, December's 月报 in January.
    for _ in 0..3 {
        common::click(&mut h, "下月 ▶");
    }
    assert!(h.query_by_label("2020年12月").is_some());
    assert!(shows(&h, "12月31日"));
    assert!(shows(&h, "2020年第4季度"));
    common::click(&mut h, "下月 ▶");
    assert!(h.query_by_label("2021年1月").is_some());
    assert!(shows(&h, "1月5日"));
    assert!(shows(&h, "2020年12月"), "the period's words");
    common::click(&mut h, "回到本月");
    assert!(h.query_by_label("2020年9月").is_some());

    // A records August's 月报 on time (today, before the 5th).
    h.get_by_label("查看 2020年8月 月报").click();
    h.run();
    pick(&mut h, "报送单位", &a);
    common::click(&mut h, "记录报送");
    let model = h.state().model().unwrap();
    let filing = |m: &anwei_ui::DeskModel, unit: &str, period: &str| {
        m.filings
            .iter()
            .find(|f| f.unit == unit && f.period == period && f.report != "quarterly")
            .or_else(|| {
                m.filings
                    .iter()
                    .find(|f| f.unit == unit && f.period == period)
            })
            .unwrap()
            .clone()
    };
    assert_eq!(
        filing(model, &ids[0], "2020年8月").state,
        FilingState::Pending
    );
    assert_eq!(model.submissions.len(), 1);
    // The status line in the user's words, not ids.
    assert!(
        h.query_by_label_contains(&format!("{a}报送2020年8月的“月报”"))
            .is_some()
    );
    // 签收.
    common::click(&mut h, &format!("签收 {a}"));
    assert_eq!(
        filing(h.state().model().unwrap(), &ids[0], "2020年8月").state,
        FilingState::Accepted
    );
    assert!(h.query_by_label_contains("已签收（测试员）").is_some());

    // B's second-quarter 季报 comes late: only with a reason (补报).
    for _ in 0..3 {
        common::click(&mut h, "◀ 上月");
    }
    assert!(h.query_by_label("2020年6月").is_some());
    h.get_by_label("查看 2020年第2季度 季报").click();
    h.run();
    pick(&mut h, "报送单位", &b);
    assert!(
        h.query_by_label("补报理由").is_some(),
        "today is past 30 June"
    );
    assert!(
        h.get_by_label("记录报送").accesskit_node().is_disabled(),
        "no reason, no 补报"
    );
    common::set_field(&mut h, "补报理由", "系统故障，延迟报送");
    // With its 佐证材料: a missing file is refused at the field, a real one is listed.
    common::set_field(&mut h, "佐证材料路径", "/no/such/季报.pdf");
    common::click(&mut h, "添加佐证材料");
    assert!(h.query_by_label_contains("找不到文件").is_some());
    let scan = tempfile::tempdir().unwrap();
    let file = scan.path().join("二季度报告.pdf");
    std::fs::write(&file, b"%PDF-1.4 demo").unwrap();
    common::set_field(&mut h, "佐证材料路径", file.to_str().unwrap());
    common::click(&mut h, "添加佐证材料");
    assert!(h.query_by_label("待添加：二季度报告.pdf").is_some());
    common::click(&mut h, "记录报送");
    let m = h.state().model().unwrap();
    let late = m.submissions.last().unwrap();
    assert_eq!(late.late_reason.as_deref(), Some("系统故障，延迟报送"));
    assert_eq!(late.evidence.len(), 1);
    assert_eq!(late.evidence[0].name, "二季度报告.pdf");
    assert!(h.query_by_label("附件：二季度报告.pdf").is_some());
    assert!(late.is_late());
    // 退回修改 with a reason.
    common::set_field(&mut h, &format!("退回{b}的理由"), "缺少隐患整改数据");
    common::click(&mut h, &format!("退回 {b}"));
    let m = h.state().model().unwrap();
    let f = m
        .filings
        .iter()
        .find(|f| f.unit == ids[1] && f.report == "quarterly" && f.period == "2020年第2季度")
        .unwrap();
    assert_eq!(f.state, FilingState::Returned);
    assert!(
        h.query_by_label_contains("退回：缺少隐患整改数据")
            .is_some()
    );

    // The on-time rate: A's total counts its on-time 月报 among every period due by today.
    let m = h.state().model().unwrap();
    let due_a = m
        .filings
        .iter()
        .filter(|f| f.unit == ids[0] && f.on_time.is_some())
        .count();
    let on_time_a = m
        .filings
        .iter()
        .filter(|f| f.unit == ids[0] && f.on_time == Some(true))
        .count();
    assert_eq!(on_time_a, 1);
    assert!(due_a > 1, "April to July's 月报 and two 季报 were due");
    let rate = format!("按时率 {:.1}%", 100.0 / due_a as f64);
    assert!(h.query_by_label(&rate).is_some(), "{rate}");
    // B: the late one is not on time.
    assert!(h.query_by_label("按时率 0.0%").is_some());
}
