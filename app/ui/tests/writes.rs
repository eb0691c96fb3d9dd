//! Writes leave the UI thread: while a command is being written the window draws frames,
//! switches tabs and shows "保存中…"; "已保存" comes only once the writer returned (flushed);
//! a refused write keeps what was typed; commands are written one at a time in the order
//! given; closing or dropping the desk waits for them. A [`WriteGate`] holds the writer
//! back for as long as a test wants (no sleeps, no timing).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use anwei_core::{Command, UnitKind};
use anwei_store::Store;
use anwei_ui::{Action, DeskApp, Tab, WriteGate};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// Long enough for a thread to reach the gate on a busy machine; a test only waits this
/// long when it is failing.
const REACH: Duration = Duration::from_secs(30);

fn gated_desk(dir: &std::path::Path) -> (Harness<'static, DeskApp>, WriteGate) {
    let gate = WriteGate::closed();
    let app = common::desk(dir).with_write_gate(gate.clone());
    (common::harness_async(app), gate)
}

/// Clicks "新增单位" (a heading has the same words) without waiting for the write.
fn click_add_unit(h: &mut Harness<'static, DeskApp>) {
    h.get_by_role_and_label(Role::Button, "新增单位").click();
    h.run();
}

fn unit_named(app: &DeskApp, name: &str) -> bool {
    app.store().unwrap().resolve_unit(name).unwrap().is_some()
}

fn add_unit(name: &str) -> Action {
    Action::apply(Command::AddUnit {
        name: name.to_owned(),
        kind: UnitKind::default(),
        aliases: Vec::new(),
    })
}

#[test]
fn while_a_write_is_slow_the_window_says_saving_and_keeps_working() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, gate) = gated_desk(dir.path());
    common::open_tab(&mut h, "单位");
    common::set_field(&mut h, "新单位名称", "区应急指挥中心");
    let before = h.state().status().clone();
    click_add_unit(&mut h);

    // The writer holds the command at the gate; the frame returned.
    assert!(
        gate.wait_for_waiting(1, REACH),
        "the write reached the writer"
    );
    assert_eq!(h.state().pending_writes(), 1);
    assert!(
        h.query_by_label_contains("保存中…").is_some(),
        "the status line says it is saving"
    );
    assert_eq!(
        h.state().saving_text().as_deref(),
        Some("保存中…：新增单位“区应急指挥中心”")
    );
    assert_eq!(h.state().status(), &before, "nothing said saved yet");
    assert!(!unit_named(h.state(), "区应急指挥中心"));
    // What was typed stays until the answer.
    assert_eq!(
        h.get_by_label("新单位名称").value().as_deref(),
        Some("区应急指挥中心")
    );

    // Frames run: another tab opens and draws, and the status line still says so.
    common::open_tab(&mut h, "任务");
    assert_eq!(h.state().tab(), Some(Tab::Tasks));
    assert!(common::shown_count(&h) > 0, "the task table is drawn");
    common::open_tab(&mut h, "总览");
    assert_eq!(h.state().tab(), Some(Tab::Overview));
    assert!(h.query_by_label_contains("保存中…").is_some());
    assert_eq!(h.state().pending_writes(), 1);

    gate.open();
    common::wait_for_writes(&mut h);
    assert_eq!(h.state().pending_writes(), 0);
    let status = h.state().status().text();
    assert!(status.starts_with("已保存 "), "{status}");
    assert!(status.contains("区应急指挥中心"), "{status}");
    assert!(h.query_by_label_contains("保存中…").is_none());
    assert!(h.state().changed_this_session());
    drop(h);

    // On disk: another open of the folder finds it.
    let store = Store::open(dir.path()).unwrap();
    assert!(store.resolve_unit("区应急指挥中心").unwrap().is_some());
}

#[test]
fn a_refused_write_shows_why_after_saving_and_keeps_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, gate) = gated_desk(dir.path());
    let units_before = h.state().model().unwrap().units.units().len();
    common::open_tab(&mut h, "单位");
    // The name already belongs to a unit: the store refuses the new one.
    common::set_field(&mut h, "新单位名称", "区应急管理局");
    common::set_field(&mut h, "新单位别名", "应急局新");
    click_add_unit(&mut h);
    assert!(gate.wait_for_waiting(1, REACH));
    assert!(h.query_by_label_contains("保存中…").is_some());
    assert!(!h.state().status().is_error());

    gate.open();
    common::wait_for_writes(&mut h);
    let status = h.state().status().clone();
    assert!(status.is_error(), "{status:?}");
    assert!(status.text().starts_with("未保存："), "{}", status.text());
    assert!(h.query_by_label_contains("保存中…").is_none());
    assert!(
        h.query_all_by_label_contains("已属于单位").count() >= 2,
        "the status line and the units panel say why"
    );
    let value = |h: &Harness<'static, DeskApp>, label: &str| h.get_by_label(label).value();
    assert_eq!(value(&h, "新单位名称").as_deref(), Some("区应急管理局"));
    assert_eq!(value(&h, "新单位别名").as_deref(), Some("应急局新"));
    assert_eq!(
        h.state()
            .store()
            .unwrap()
            .unit_directory()
            .unwrap()
            .units()
            .len(),
        units_before
    );
    assert!(!h.state().changed_this_session());
}

#[test]
fn commands_are_written_one_at_a_time_in_the_order_given() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, gate) = gated_desk(dir.path());
    h.state_mut().queue_actions(vec![
        Action::apply(Command::SetUserName {
            name: "甲".to_owned(),
        }),
        add_unit("区应急指挥中心"),
        Action::apply(Command::SetUserName {
            name: "乙".to_owned(),
        }),
    ]);
    h.run();
    assert_eq!(h.state().pending_writes(), 3);
    assert!(gate.wait_for_waiting(1, REACH));
    // One writer: the others wait in the desk's queue, not at the store.
    assert!(
        !gate.wait_for_waiting(2, Duration::from_millis(300)),
        "only one write at a time"
    );
    assert_eq!(
        h.state().saving_text().as_deref(),
        Some("保存中…：用户名设为“甲”（另有 2 项等待保存）")
    );
    // Given again while waiting (a double click): not queued twice.
    h.state_mut()
        .queue_actions(vec![add_unit("区应急指挥中心")]);
    assert_eq!(h.state().pending_writes(), 3);

    gate.open();
    common::wait_for_writes(&mut h);
    assert_eq!(h.state().pending_writes(), 0);
    let store = h.state().store().unwrap();
    assert_eq!(store.settings().unwrap().user_name, "乙");
    // Newest first: 乙, the unit (written by 甲, set just before), 甲.
    let audit = store.audit(None, 3).unwrap();
    let seen: Vec<(&str, &str)> = audit
        .iter()
        .map(|a| (a.action.as_str(), a.actor.as_str()))
        .collect();
    assert_eq!(seen[1], ("add_unit", "甲"), "{seen:?}");
    assert_eq!(seen[0].0, "set_user_name");
    assert_eq!(seen[2].0, "set_user_name");
    assert!(audit[0].id > audit[1].id && audit[1].id > audit[2].id);
    assert_eq!(
        h.state().model().unwrap().settings.user_name,
        "乙",
        "the model follows each answer"
    );
}

/// The viewport commands the last frame gave.
fn commands(h: &Harness<'static, DeskApp>) -> Vec<egui::ViewportCommand> {
    h.output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .map(|v| v.commands.clone())
        .unwrap_or_default()
}

#[test]
fn closing_the_window_while_saving_waits_for_the_write_then_closes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, gate) = gated_desk(dir.path());
    h.state_mut()
        .queue_actions(vec![add_unit("区应急指挥中心")]);
    assert!(gate.wait_for_waiting(1, REACH));
    // The user closes the window (what eframe hands over).
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
    assert!(commands(&h).contains(&egui::ViewportCommand::CancelClose));
    assert!(
        h.query_by_label_contains("保存完成后关闭窗口").is_some(),
        "the status line says why the window stays"
    );
    h.step();
    assert!(!commands(&h).contains(&egui::ViewportCommand::Close));

    gate.open();
    h.state_mut().wait_for_writes();
    h.step();
    assert!(commands(&h).contains(&egui::ViewportCommand::Close));
    assert!(unit_named(h.state(), "区应急指挥中心"));
}

#[test]
fn closing_the_desk_waits_for_the_pending_writes_then_backs_up() {
    let dir = tempfile::tempdir().unwrap();
    let gate = WriteGate::closed();
    let mut app = common::desk(dir.path()).with_write_gate(gate.clone());
    app.queue_actions(vec![add_unit("区应急指挥中心")]);
    assert!(gate.wait_for_waiting(1, REACH));
    assert!(!app.changed_this_session(), "not saved yet");
    let opener = {
        let gate = gate.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            gate.open();
        })
    };
    // What eframe's on_exit does: the write is finished first, so the backup holds it.
    let backup = app.exit_backup().unwrap();
    opener.join().unwrap();
    assert!(backup.is_some_and(|p| p.is_file()), "saved, so backed up");
    assert_eq!(app.pending_writes(), 0);
    assert!(unit_named(&app, "区应急指挥中心"));
}

#[test]
fn dropping_the_desk_writes_what_was_given() {
    let dir = tempfile::tempdir().unwrap();
    let gate = WriteGate::closed();
    let mut app = common::desk(dir.path()).with_write_gate(gate.clone());
    app.queue_actions(vec![add_unit("甲单位"), add_unit("乙单位")]);
    assert!(gate.wait_for_waiting(1, REACH));
    assert_eq!(app.pending_writes(), 2);
    gate.open();
    drop(app);
    let store = Store::open(dir.path()).unwrap();
    assert!(store.resolve_unit("甲单位").unwrap().is_some());
    assert!(store.resolve_unit("乙单位").unwrap().is_some());
}
