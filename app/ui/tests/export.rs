//! "导出Excel…" in the window: the task table exports the rows its filters show, a 督办 view
//! its register, to the file typed (written off the UI thread; the status line says where);
//! a file name that is not .xlsx or a folder that is not there is said and nothing written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_core::Command;
use anwei_core::supervise::SupAction;
use anwei_core::supervision::{Level, Source, SourceKind};
use anwei_ui::Action;
use calamine::{Reader, Xlsx, open_workbook};
use egui_kittest::Harness;

type H = Harness<'static, anwei_ui::DeskApp>;

fn rows_of(path: &std::path::Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.worksheet_range(sheet)
        .unwrap()
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect()
}

fn export_to(h: &mut H, path: &std::path::Path) {
    common::click(h, "导出Excel…");
    common::set_field(h, "导出到", path.to_str().unwrap());
    common::click(h, "导出");
    h.state_mut().wait_for_export();
    h.run();
}

#[test]
fn the_task_table_exports_the_rows_its_filters_show() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "任务");
    common::set_field(&mut h, "搜索", "隐患");
    let shown = common::shown_count(&h);
    assert!(shown > 0 && shown < 100, "{shown}");
    let path = out.path().join("隐患任务.xlsx");
    export_to(&mut h, &path);
    let status = h.state().status().text();
    assert!(status.contains(&format!("已导出 {shown} 行")), "{status}");
    let rows = rows_of(&path, "任务");
    assert!(rows[1][0].contains("含“隐患”"), "{:?}", rows[1]);
    assert_eq!(rows.len() - 3, shown);
    // The rows the table shows, in its order: those whose text speaks of 隐患.
    let model = h.state().model().unwrap();
    let filter = anwei_core::TaskFilter {
        text: "隐患".into(),
        ..Default::default()
    };
    let want: Vec<(String, String)> = filter
        .apply(&model.rows, &model.units)
        .iter()
        .map(|r| (r.label.clone(), r.title.clone()))
        .collect();
    let got: Vec<(String, String)> = rows[3..]
        .iter()
        .map(|r| (r[2].clone(), r[3].clone()))
        .collect();
    assert_eq!(got, want);

    // A name that is not .xlsx, a folder that is not there: said, nothing written.
    let bad = out.path().join("任务.pdf");
    common::click(&mut h, "导出Excel…");
    common::set_field(&mut h, "导出到", bad.to_str().unwrap());
    common::click(&mut h, "导出");
    assert!(h.state().status().text().contains("应为 .xlsx"));
    let missing = out.path().join("无此目录").join("任务.xlsx");
    common::set_field(&mut h, "导出到", missing.to_str().unwrap());
    common::click(&mut h, "导出");
    assert!(h.state().status().text().contains("不存在"));
    assert!(!bad.exists() && !missing.exists());
}

#[test]
fn a_supervision_register_exports_from_its_view() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut app = common::desk(dir.path());
    let unit = app.model().unwrap().units.units()[0].id.clone();
    app.apply_actions(vec![Action::apply(Command::Supervise {
        action: SupAction::AddItem {
            title: "整改城区燃气管网隐患".into(),
            source: Source {
                kind: SourceKind::Meeting,
                reference: "区安委会第3次会议".into(),
                task: None,
                milestone: None,
                hazard: None,
            },
            level: Level::District,
            unit,
            supervisor: "区安委办".into(),
            acceptor: "区安委办".into(),
            opened: "2020-09-01".parse().unwrap(),
            deadline: "2020-09-30".parse().unwrap(),
        },
    })]);
    app.wait_for_writes();
    let mut h = common::harness(app);
    // Its first view: 督办事项.
    common::open_tab(&mut h, "督办");
    let path = out.path().join("督办.xlsx");
    export_to(&mut h, &path);
    let rows = rows_of(&path, "督办事项");
    assert!(rows[0][0].ends_with("督办事项台账"), "{:?}", rows[0]);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[3][0], "#1");
    assert_eq!(rows[3][1], "整改城区燃气管网隐患");
    assert_eq!(rows[3][2], "会议议定：区安委会第3次会议");
}

#[test]
fn the_targets_tab_exports_the_targets_it_shows() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "指标");
    h.state_mut().wait_for_plugins();
    h.run();
    let n = h.state().model().unwrap().target_rows.len();
    assert!(n > 100, "the sector plans' targets: {n}");
    let path = out.path().join("指标.xlsx");
    export_to(&mut h, &path);
    let rows = rows_of(&path, "指标");
    assert_eq!(rows.len() - 3, n);
    assert_eq!(rows[2][..5], ["序号", "行业", "指标", "单位", "要求"]);
    let first = &h.state().model().unwrap().target_rows[0];
    assert_eq!(rows[3][2], first.target.name);
    assert_eq!(rows[3][6], first.status.label_zh());
}

#[test]
fn the_units_tab_exports_the_units_its_search_finds() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    common::open_tab(&mut h, "单位");
    common::set_field(&mut h, "查找单位", "镇");
    let path = out.path().join("镇.xlsx");
    export_to(&mut h, &path);
    let rows = rows_of(&path, "单位");
    let towns: Vec<&anwei_core::Unit> = h
        .state()
        .model()
        .unwrap()
        .units
        .units()
        .iter()
        .filter(|u| u.name.contains('镇') || u.aliases.iter().any(|a| a.contains('镇')))
        .collect();
    assert!(!towns.is_empty());
    assert_eq!(rows.len() - 3, towns.len());
    assert_eq!(rows[3][1], towns[0].name);
}
