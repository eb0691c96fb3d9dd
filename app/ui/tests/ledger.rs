//! 台账: the coal plugin's 煤矿台账 — records added through the editor, edited with their history,
//! deleted and restored, drafts that do not count; filtering and sorting 100 000 records.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::time::Instant;

use anwei_core::{Command, FormDef, FormRecord, TargetStatus, UnitDirectory, Value};
use anwei_ui::records::{
    LedgerFilter, LedgerRows, LedgerSort, LedgerView, RecordStatus, StatusFilter,
};
use anwei_ui::{Action, DeskApp, Tab};
use chrono::NaiveDate;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

const FORM: &str = "coal-mining/mine-register";

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn choice(s: &str) -> Value {
    Value::Choices(vec![s.to_owned()])
}

/// A mine of the register (values as the editor saves them).
fn mine(
    name: &str,
    group: &str,
    capacity: f64,
    extra: &[(&str, Value)],
) -> BTreeMap<String, Value> {
    let mut v: BTreeMap<String, Value> = [
        ("name", text(name)),
        ("town", text("越州镇")),
        ("ownership", choice("private")),
        ("status", choice("producing")),
        ("scale", choice("medium")),
        ("capacity", Value::Decimal(capacity)),
        ("gas_class", choice("other")),
        ("group", choice(group)),
        ("monitoring_upgraded", Value::Date("2020-06-01".into())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    for (k, val) in extra {
        v.insert((*k).to_owned(), val.clone());
    }
    v
}

fn add(values: BTreeMap<String, Value>) -> Command {
    Command::AddRecord {
        form: FORM.into(),
        form_version: "1.0.0".into(),
        values,
        draft: false,
    }
}

/// The 16 mines of seed 001 L201 (as `app/plugin-host/tests/coal.rs`): 5 单独保留 + 3 整合保留
/// (525 万吨/年 in all), 4 整合关闭, 4 关闭退出.
fn register_16() -> Vec<Command> {
    let mut out = Vec::new();
    let yes = |f: &'static str| (f, Value::Flag(true));
    for (i, cap) in [90.0, 60.0, 60.0, 45.0, 45.0].into_iter().enumerate() {
        let g = ["grade1", "grade1", "grade2", "grade2", "grade3"][i];
        out.push(add(mine(
            &format!("K{i}煤矿"),
            "keep",
            cap,
            &[
                ("standardisation", choice(g)),
                yes("mech_mining"),
                yes("mech_heading"),
            ],
        )));
    }
    for (i, cap) in [90.0, 75.0, 60.0].into_iter().enumerate() {
        out.push(add(mine(
            &format!("M{i}煤矿"),
            "merge_keep",
            cap,
            &[
                ("standardisation", choice("grade2")),
                yes("fully_mech"),
                yes("mech_mining"),
            ],
        )));
    }
    for i in 0..4 {
        out.push(add(mine(&format!("MC{i}煤矿"), "merge_close", 15.0, &[])));
        out.push(add(mine(
            &format!("C{i}煤矿"),
            "close",
            9.0,
            &[("status", choice("closed"))],
        )));
    }
    out
}

fn apply(h: &mut Harness<'static, DeskApp>, cmds: Vec<Command>) {
    h.state_mut()
        .apply_actions(cmds.into_iter().map(Action::apply).collect());
    h.state_mut().wait_for_plugins();
    h.run();
}

fn status_of(app: &DeskApp, target: &str) -> TargetStatus {
    app.model()
        .unwrap()
        .target_rows
        .iter()
        .find(|r| r.target.id == target)
        .unwrap_or_else(|| panic!("no target {target}"))
        .status
}

/// The value computed for `target`, as the 指标 tab shows it (values are computed when
/// something shows them); the tab shown before is shown again.
fn computed(h: &mut Harness<'static, DeskApp>, target: &str) -> Option<f64> {
    let tab = h.state().tab();
    h.state_mut().set_tab(Tab::Targets);
    h.state_mut().wait_for_plugins();
    let value = h
        .state()
        .model()
        .unwrap()
        .computed
        .district
        .get(target)
        .copied();
    if let Some(tab) = tab {
        h.state_mut().set_tab(tab);
    }
    h.run();
    value
}

/// Opens the 台账 tab (the coal register opens by itself: it is the only form).
fn open_ledger(h: &mut Harness<'static, DeskApp>) {
    common::open_tab(h, "台账");
    h.run();
    assert_eq!(
        h.state()
            .model()
            .unwrap()
            .ledger
            .as_ref()
            .map(|l| l.form().id.clone()),
        Some(FORM.to_owned())
    );
}

/// Types into the editor's text input named `label` (table headers carry the same names).
fn type_into(h: &mut Harness<'static, DeskApp>, label: &str, value: &str) {
    h.get_by_role_and_label(Role::TextInput, label)
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(value);
    h.run();
}

/// Picks `option` in the editor's select field `label`.
fn pick(h: &mut Harness<'static, DeskApp>, label: &str, option: &str) {
    h.get_by_role_and_label(Role::ComboBox, label)
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::ComboBox, label).click();
    h.run();
    let node = h
        .query_all_by_label(option)
        .rfind(|n| n.accesskit_node().role() != Role::Label)
        .unwrap_or_else(|| panic!("no option {option}"));
    node.click();
    h.run();
}

/// Number of rows the ledger shows ("共 N 条").
fn shown(h: &Harness<'static, DeskApp>) -> usize {
    let node = h.get_by_label_contains("共 ");
    let label = node
        .value()
        .or_else(|| node.accesskit_node().label())
        .unwrap_or_default();
    label
        .trim_start_matches("共 ")
        .trim_end_matches(" 条")
        .parse()
        .unwrap_or_else(|_| panic!("not a count: {label}"))
}

#[test]
fn a_record_added_in_the_editor_is_in_the_ledger_and_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    open_ledger(&mut h);
    assert!(h.query_by_label_contains("煤矿台账（0 条）").is_some());
    assert_eq!(shown(&h), 0);
    assert!(
        h.query_by_label_contains("还没有记录").is_some(),
        "empty hint"
    );
    common::click(&mut h, "新建记录");
    assert_eq!(
        h.query_all_by_label("新建记录").count(),
        2,
        "button and heading"
    );
    type_into(&mut h, "煤矿名称", "麒麟测试煤矿");
    type_into(&mut h, "所在镇(街道)", "越州镇");
    pick(&mut h, "所有制", "民营");
    pick(&mut h, "生产状态", "正常生产");
    pick(&mut h, "矿井规模", "中型");
    type_into(&mut h, "核定(设计)产能", "90");
    pick(&mut h, "瓦斯等级", "其他");
    pick(&mut h, "整治分类", "单独保留");
    common::click(&mut h, "保存");
    h.state_mut().wait_for_plugins();
    h.run();
    assert!(
        h.state().status().text().contains("新增台账记录"),
        "{:?}",
        h.state().status()
    );
    // In the user's words: the form's title, not its id.
    let status = h.state().status().text();
    assert!(
        status.contains("煤矿") && !status.contains("coal-mining/"),
        "{status}"
    );
    assert!(h.query_by_label_contains("还没有记录").is_none());
    assert!(
        h.state().ledger_state().unwrap().editor.is_none(),
        "editor closes"
    );
    assert_eq!(shown(&h), 1);
    assert!(h.query_by_label("麒麟测试煤矿").is_some(), "in the table");
    assert!(
        h.query_by_label("单独保留").is_some(),
        "choice label, not its name"
    );
    assert!(h.query_by_label("有效").is_some());
    assert!(h.query_by_label_contains("煤矿台账（1 条）").is_some());
    // The sector's row counts the records of all its forms.
    assert!(h.query_by_label_contains("煤矿（2 表 · 1 条）").is_some());
    // Counted: the plugin computed the mine count from it.
    assert_eq!(computed(&mut h, "coal-mining/mine-count"), Some(1.0));
    drop(h);

    // Opened again: read from disk.
    let app = common::desk(dir.path());
    let records = app.store().unwrap().records(FORM).unwrap();
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r.values.get("name"), Some(&text("麒麟测试煤矿")));
    assert_eq!(r.values.get("group"), Some(&choice("keep")));
    assert_eq!(r.values.get("capacity"), Some(&Value::Decimal(90.0)));
    assert!(!r.draft);
    let mut h = common::harness(app);
    open_ledger(&mut h);
    assert_eq!(shown(&h), 1);
    assert!(h.query_by_label("麒麟测试煤矿").is_some());
}

#[test]
fn the_editor_waits_for_the_answer_of_its_save_and_sends_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let gate = anwei_ui::WriteGate::closed();
    let mut h = common::harness_async(common::desk(dir.path()).with_write_gate(gate.clone()));
    open_ledger(&mut h);
    common::click(&mut h, "新建记录");
    type_into(&mut h, "煤矿名称", "麒麟测试煤矿");
    type_into(&mut h, "所在镇(街道)", "越州镇");
    pick(&mut h, "所有制", "民营");
    pick(&mut h, "生产状态", "正常生产");
    pick(&mut h, "矿井规模", "中型");
    type_into(&mut h, "核定(设计)产能", "90");
    pick(&mut h, "瓦斯等级", "其他");
    pick(&mut h, "整治分类", "单独保留");
    h.get_by_label("保存").click();
    h.run();
    assert!(gate.wait_for_waiting(1, std::time::Duration::from_secs(30)));
    assert!(
        h.query_all_by_label_contains("保存中…").count() >= 2,
        "the editor and the status line say it is saving"
    );
    // Ctrl+S (or a second click) while the answer is awaited sends nothing more.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    assert_eq!(h.state().pending_writes(), 1);
    assert!(h.state().ledger_state().unwrap().editor.is_some());
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "煤矿名称")
            .value()
            .as_deref(),
        Some("麒麟测试煤矿")
    );

    gate.open();
    common::wait_for_writes(&mut h);
    assert!(
        h.state().ledger_state().unwrap().editor.is_none(),
        "saved: the editor closes"
    );
    assert!(h.state().status().text().contains("新增台账记录"));
    assert_eq!(h.state().store().unwrap().records(FORM).unwrap().len(), 1);
    assert_eq!(shown(&h), 1);
}

#[test]
fn editing_a_record_shows_who_changed_what_in_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    open_ledger(&mut h);
    apply(&mut h, vec![add(mine("甲煤矿", "keep", 60.0, &[]))]);
    let id = h
        .state()
        .model()
        .unwrap()
        .ledger
        .as_ref()
        .unwrap()
        .records()[0]
        .id;
    h.get_by_label("甲煤矿").click();
    h.run();
    assert_eq!(h.state().ledger_state().unwrap().editing(), Some(id));
    assert!(h.query_by_label(&format!("记录 #{id}")).is_some());
    type_into(&mut h, "核定(设计)产能", "75");
    pick(&mut h, "整治分类", "整合保留");
    common::click(&mut h, "保存");
    h.state_mut().wait_for_plugins();
    h.run();
    assert!(
        h.state()
            .status()
            .text()
            .contains(&format!("修改台账记录 #{id}"))
    );
    assert!(
        h.query_by_label("整合保留").is_some(),
        "the row shows the new value"
    );
    let stored = h.state().store().unwrap().record(id).unwrap().unwrap();
    assert_eq!(stored.revision, 2);
    assert_eq!(stored.values.get("capacity"), Some(&Value::Decimal(75.0)));

    // Open it again and its history.
    h.get_by_label("甲煤矿").click();
    h.run();
    common::click(&mut h, "修改记录");
    h.run();
    h.run();
    let revisions = h
        .state()
        .model()
        .unwrap()
        .record_history
        .get(&id)
        .cloned()
        .unwrap();
    assert_eq!(revisions.len(), 2, "{revisions:?}");
    let edit = &revisions[0];
    assert_eq!(edit.actor, "测试员");
    let changes: Vec<(&str, &str, &str)> = edit
        .changes
        .iter()
        .map(|c| (c.field.as_str(), c.before.as_str(), c.after.as_str()))
        .collect();
    assert!(
        changes.contains(&("核定(设计)产能", "60", "75")),
        "{changes:?}"
    );
    assert!(
        changes.contains(&("整治分类", "单独保留", "整合保留")),
        "{changes:?}"
    );
    assert!(
        h.query_by_label_contains("核定(设计)产能：60 → 75")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("整治分类：单独保留 → 整合保留")
            .is_some()
    );
    assert!(h.query_by_label_contains("测试员：修改台账记录").is_some());
}

#[test]
fn a_deleted_record_can_be_restored_from_the_status_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    open_ledger(&mut h);
    apply(
        &mut h,
        vec![
            add(mine("甲煤矿", "keep", 60.0, &[])),
            add(mine("乙煤矿", "keep", 90.0, &[])),
        ],
    );
    assert_eq!(computed(&mut h, "coal-mining/mine-count"), Some(2.0));
    h.get_by_label("乙煤矿").click();
    h.run();
    common::click(&mut h, "删除");
    h.state_mut().wait_for_plugins();
    h.run();
    assert!(h.state().status().text().contains("可撤销"));
    assert_eq!(shown(&h), 1, "deleted records are hidden by default");
    assert!(h.query_by_label("乙煤矿").is_none());
    assert_eq!(computed(&mut h, "coal-mining/mine-count"), Some(1.0));
    // Still there, marked 已删除, when all are shown.
    h.get_by_role_and_label(Role::ComboBox, "状态").click();
    h.run();
    h.get_by_label("全部（含已删除）").click();
    h.run();
    assert_eq!(shown(&h), 2);
    assert!(h.query_by_label("已删除").is_some());

    common::click(&mut h, "撤销删除");
    h.state_mut().wait_for_plugins();
    h.run();
    assert!(h.state().status().text().contains("恢复台账记录"));
    assert!(h.query_by_label("撤销删除").is_none());
    assert!(h.query_by_label("已删除").is_none());
    assert_eq!(computed(&mut h, "coal-mining/mine-count"), Some(2.0));
    let records = h.state().store().unwrap().records(FORM).unwrap();
    assert!(records.iter().all(|r| !r.deleted));
    let audit = h
        .state()
        .store()
        .unwrap()
        .audit(Some(&format!("record:{}", records[1].id)), 10)
        .unwrap();
    assert_eq!(audit.len(), 3, "added, deleted, restored");
}

#[test]
fn a_record_with_errors_is_kept_as_a_draft_that_does_not_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    open_ledger(&mut h);
    apply(&mut h, register_16());
    assert_eq!(computed(&mut h, "coal-mining/mine-count"), Some(8.0));
    assert_eq!(
        status_of(h.state(), "coal-mining/mine-count"),
        TargetStatus::Met
    );
    let started = h.state().computes_started();

    // A retained mine of 20 万吨/年: the plugin's rule refuses it (below 30 万吨/年).
    common::click(&mut h, "新建记录");
    type_into(&mut h, "煤矿名称", "小煤矿");
    type_into(&mut h, "所在镇(街道)", "东山镇");
    pick(&mut h, "所有制", "民营");
    pick(&mut h, "生产状态", "正常生产");
    pick(&mut h, "矿井规模", "小型");
    type_into(&mut h, "核定(设计)产能", "20");
    pick(&mut h, "瓦斯等级", "其他");
    pick(&mut h, "整治分类", "单独保留");
    // The typing settles, the editor asks for the plugin's check (on a worker).
    h.run_steps(40);
    h.state_mut().wait_for_plugins();
    h.run();
    assert!(
        h.query_by_label_contains("低于30万吨/年").is_some(),
        "the plugin's message shows at the field"
    );
    common::click(&mut h, "保存为草稿（不计入指标）");
    h.state_mut().wait_for_plugins();
    h.run();
    assert!(
        h.state().status().text().contains("草稿"),
        "{:?}",
        h.state().status()
    );
    let records = h.state().store().unwrap().records(FORM).unwrap();
    let draft = records
        .iter()
        .find(|r| r.values.get("name") == Some(&text("小煤矿")))
        .unwrap();
    assert!(draft.draft);
    assert_eq!(shown(&h), 17);
    common::set_field(&mut h, "搜索", "小煤矿");
    assert_eq!(shown(&h), 1);
    assert!(h.query_by_label("草稿").is_some());
    // Not counted: still 8 mines; the form was computed once more.
    assert_eq!(computed(&mut h, "coal-mining/mine-count"), Some(8.0));
    assert_eq!(
        status_of(h.state(), "coal-mining/mine-count"),
        TargetStatus::Met
    );
    assert_eq!(h.state().computes_started(), started + 1);
}

#[test]
fn ctrl_f_focuses_the_search_and_filters_narrow_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    open_ledger(&mut h);
    let mut cmds = register_16();
    cmds.push(add(mine(
        "东山煤矿",
        "keep",
        60.0,
        &[
            ("town", text("东山镇")),
            ("outburst_assessed", Value::Date("2021-03-01".into())),
        ],
    )));
    apply(&mut h, cmds);
    assert_eq!(shown(&h), 17);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run();
    assert!(
        h.get_by_role_and_label(Role::TextInput, "搜索")
            .is_focused()
    );
    h.get_by_role_and_label(Role::TextInput, "搜索")
        .type_text("关闭");
    h.run();
    assert_eq!(
        shown(&h),
        8,
        "整合关闭 and 关闭退出 (and the closed mines' status)"
    );
    common::click(&mut h, "清除筛选");
    assert_eq!(shown(&h), 17);
    h.get_by_role_and_label(Role::ComboBox, "所在镇(街道)")
        .click();
    h.run();
    h.query_all_by_label("东山镇")
        .rfind(|n| n.accesskit_node().role() != Role::Label)
        .unwrap()
        .click();
    h.run();
    assert_eq!(shown(&h), 1);
    common::click(&mut h, "清除筛选");
    // The first date field of the form (监控… is later): 最近一次突出危险性鉴定日期.
    common::set_field(&mut h, "从", "2021-01-01");
    assert_eq!(shown(&h), 1);
    common::click(&mut h, "清除筛选");
    assert_eq!(shown(&h), 17);
    // Sorting by capacity, largest first.
    h.get_by_role_and_label(Role::Button, "核定(设计)产能")
        .click();
    h.run();
    h.get_by_role_and_label(Role::Button, "核定(设计)产能 ↑")
        .click();
    h.run();
    let state = h.state().ledger_state().unwrap();
    assert!(state.sort.descending);
    let ledger = h.state().model().unwrap().ledger.as_ref().unwrap();
    let caps: Vec<f64> = state
        .visible()
        .iter()
        .map(|&i| match ledger.records()[i].values.get("capacity") {
            Some(Value::Decimal(d)) => *d,
            _ => f64::NAN,
        })
        .collect();
    assert_eq!(caps.len(), 17);
    assert!(caps.windows(2).all(|w| w[0] >= w[1]), "{caps:?}");
}

// ----- 100 000 records ------------------------------------------------------------------

fn coal_form() -> FormDef {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    app.plugins_view().unwrap().form(FORM).unwrap().form.clone()
}

const TOWNS: [&str; 5] = ["越州镇", "东山镇", "茨营镇", "潇湘街道", "三宝街道"];
const GROUPS: [&str; 4] = ["keep", "merge_keep", "merge_close", "close"];

fn big_register(n: usize) -> Vec<FormRecord> {
    (0..n)
        .map(|i| {
            let mut values = mine(
                &format!("第{i}号煤矿"),
                GROUPS[i % 4],
                f64::from(u32::try_from(i % 997).unwrap()) / 2.0,
                &[("town", text(TOWNS[i % 5]))],
            );
            if i % 7 != 0 {
                let d = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap()
                    + chrono::Days::new(u64::try_from(i % 1000).unwrap());
                values.insert(
                    "outburst_assessed".into(),
                    Value::Date(d.format("%Y-%m-%d").to_string()),
                );
            }
            if i % 11 == 0 {
                values.remove("capacity");
            }
            if i % 13 == 0 {
                values.insert("remarks".into(), text("Needs REVIEW"));
            }
            FormRecord {
                id: u64::try_from(i + 1).unwrap(),
                form: FORM.into(),
                form_version: "1.0.0".into(),
                values,
                draft: i % 17 == 0,
                deleted: i % 19 == 0,
                author: "测试员".into(),
                created_at: "2020-09-01T10:00:00+08:00".into(),
                updated_at: format!("2020-09-{:02}T10:{:02}:00+08:00", 1 + i % 28, i % 60),
                revision: 1,
            }
        })
        .collect()
}

/// The same filter as [`LedgerRows::filter_sort`], written plainly over the records.
fn plain_filter(form: &FormDef, records: &[FormRecord], f: &LedgerFilter) -> Vec<usize> {
    let show = |r: &FormRecord, name: &str| -> String {
        match (
            form.fields.iter().find(|x| x.name == name),
            r.values.get(name),
        ) {
            (Some(fd), Some(v)) => fd.display_value(v),
            _ => String::new(),
        }
    };
    records
        .iter()
        .enumerate()
        .filter(|(_, r)| f.status.accepts(RecordStatus::of(r)))
        .filter(|(_, r)| f.town.as_ref().is_none_or(|t| &show(r, "town") == t))
        .filter(|(_, r)| {
            if f.from.is_none() && f.to.is_none() {
                return true;
            }
            let Some(Value::Date(d)) = r.values.get("outburst_assessed") else {
                return false;
            };
            let d = NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
            f.from.is_none_or(|x| d >= x) && f.to.is_none_or(|x| d <= x)
        })
        .filter(|(_, r)| {
            let needle = f.text.to_lowercase();
            needle.is_empty()
                || form
                    .fields
                    .iter()
                    .filter(|x| x.kind.holds_value())
                    .map(|x| show(r, &x.name))
                    .chain([
                        RecordStatus::of(r).label_zh().to_owned(),
                        r.updated_at[..16].replace('T', " "),
                    ])
                    .any(|cell| cell.to_lowercase().contains(&needle))
        })
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn filter_and_sort_of_100k_records_match_a_plain_filter_and_sort() {
    let form = coal_form();
    let records = big_register(100_000);
    let t0 = Instant::now();
    let ledger = LedgerRows::new(form.clone(), records.clone(), &UnitDirectory::default());
    eprintln!("built 100k rows in {:?}", t0.elapsed());
    assert_eq!(ledger.len(), 100_000);
    let columns = ledger.columns().to_vec();
    let col = |title: &str| columns.iter().position(|c| c.title == title).unwrap();
    let filters = [
        LedgerFilter::default(),
        LedgerFilter {
            town: Some("东山镇".into()),
            ..Default::default()
        },
        LedgerFilter {
            status: StatusFilter::Only(RecordStatus::Draft),
            text: "整合".into(),
            ..Default::default()
        },
        LedgerFilter {
            from: NaiveDate::from_ymd_opt(2019, 6, 1),
            to: NaiveDate::from_ymd_opt(2019, 12, 31),
            status: StatusFilter::All,
            ..Default::default()
        },
        LedgerFilter {
            text: "needs review".into(),
            ..Default::default()
        },
        LedgerFilter {
            text: "第4242号".into(),
            status: StatusFilter::All,
            ..Default::default()
        },
    ];
    for f in &filters {
        let got = ledger.filter_sort(f, LedgerSort::default());
        let want = plain_filter(&form, &records, f);
        assert_eq!(got, want, "{f:?}");
        assert!(!got.is_empty(), "{f:?}");
    }
    // Sorts: numbers as numbers, texts by their shown text, empty cells last, ties in entry
    // order.
    let all = LedgerFilter {
        status: StatusFilter::All,
        ..Default::default()
    };
    for (title, descending) in [
        ("核定(设计)产能", false),
        ("核定(设计)产能", true),
        ("煤矿名称", false),
        ("整治分类", true),
        ("修改时间", false),
        ("状态", false),
    ] {
        let c = col(title);
        let got = ledger.filter_sort(
            &all,
            LedgerSort {
                column: Some(c),
                descending,
            },
        );
        let name = match &ledger.columns()[c].kind {
            anwei_ui::records::ColumnKind::Field(n) => Some(n.clone()),
            _ => None,
        };
        let key = |i: usize| -> (Option<f64>, String) {
            let r = &records[i];
            match name.as_deref() {
                Some(n) => match r.values.get(n) {
                    Some(Value::Decimal(d)) => (Some(*d), String::new()),
                    Some(v) => (
                        None,
                        form.fields
                            .iter()
                            .find(|x| x.name == n)
                            .unwrap()
                            .display_value(v),
                    ),
                    None => (None, String::new()),
                },
                None if title == "状态" => (None, RecordStatus::of(r).label_zh().to_owned()),
                None => (None, r.updated_at[..16].replace('T', " ")),
            }
        };
        let mut want: Vec<usize> = (0..records.len()).collect();
        want.sort_by(|&a, &b| {
            let (ka, kb) = (key(a), key(b));
            let empty = |k: &(Option<f64>, String)| k.0.is_none() && k.1.is_empty();
            let ord = match (empty(&ka), empty(&kb)) {
                (true, true) => std::cmp::Ordering::Equal,
                (true, false) => std::cmp::Ordering::Greater,
                (false, true) => std::cmp::Ordering::Less,
                (false, false) => {
                    let o = match (ka.0, kb.0) {
                        (Some(x), Some(y)) => x.total_cmp(&y),
                        _ => ka.1.cmp(&kb.1),
                    };
                    if descending { o.reverse() } else { o }
                }
            };
            ord.then(a.cmp(&b))
        });
        assert_eq!(got, want, "sort by {title} desc={descending}");
    }
    // The cached view recomputes only when something changed.
    let mut view = LedgerView::default();
    assert!(view.refresh(&ledger, &all, LedgerSort::default()));
    assert!(!view.refresh(&ledger, &all, LedgerSort::default()));
    assert_eq!(view.recompute_count(), 1);
    let mut ledger = ledger;
    let mut changed = records[5].clone();
    changed.values.insert("name".into(), text("改名煤矿"));
    changed.revision = 2;
    ledger.upsert(changed);
    assert!(view.refresh(&ledger, &all, LedgerSort::default()));
    assert_eq!(ledger.cell(5, col("煤矿名称")), "改名煤矿");
    assert_eq!(view.indices().len(), 100_000);
    if !cfg!(debug_assertions) {
        let t = Instant::now();
        ledger.filter_sort(
            &filters[2],
            LedgerSort {
                column: Some(col("核定(设计)产能")),
                descending: true,
            },
        );
        assert!(t.elapsed().as_millis() <= 50, "{:?}", t.elapsed());
    }
}

#[test]
fn records_stored_with_apply_many_open_as_a_ledger() {
    // The store path for many records: 2 000 through `Store::apply_many` (0.6 s in a debug
    // build, so 100 000 would take about 30 s: the test above and the bench build the
    // in-memory ledger directly).
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    let cmds: Vec<Command> = big_register(2_000)
        .into_iter()
        .map(|r| Command::AddRecord {
            form: FORM.into(),
            form_version: "1.0.0".into(),
            values: r.values,
            draft: r.draft,
        })
        .collect();
    let t = Instant::now();
    h.state()
        .store()
        .unwrap()
        .apply_many(&cmds, "测试员")
        .unwrap();
    eprintln!("apply_many 2000 records: {:?}", t.elapsed());
    open_ledger(&mut h);
    assert_eq!(shown(&h), 2_000);
    common::set_field(&mut h, "搜索", "第1234号煤矿");
    assert_eq!(shown(&h), 1);
    assert!(h.query_by_label("第1234号煤矿").is_some());
}

#[test]
fn target_values_are_computed_when_the_targets_tab_shows_them_not_before() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    open_ledger(&mut h);
    apply(&mut h, register_16());
    h.run_steps(5);
    assert_eq!(
        h.state().computes_started(),
        0,
        "nothing computed at start or while the ledger is edited"
    );
    common::open_tab(&mut h, "指标");
    h.state_mut().wait_for_plugins();
    h.run();
    assert_eq!(h.state().computes_started(), 1, "one form, once");
    assert_eq!(
        status_of(h.state(), "coal-mining/mine-count"),
        TargetStatus::Met
    );
    // A change while the 指标 tab is shown is computed without leaving it.
    apply(&mut h, vec![add(mine("新煤矿", "keep", 90.0, &[]))]);
    assert_eq!(h.state().computes_started(), 2);
}

/// "导出Excel…" on the 台账: the rows its filter shows, under the form's labels, choices by
/// their labels, the office's name over the table.
#[test]
fn the_ledger_exports_the_records_it_shows() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::desk(dir.path()));
    open_ledger(&mut h);
    apply(&mut h, register_16());
    common::set_field(&mut h, "搜索", "K");
    let n = shown(&h);
    assert_eq!(n, 5, "the five K mines");
    let path = out.path().join("煤矿台账.xlsx");
    common::click(&mut h, "导出Excel…");
    common::set_field(&mut h, "导出到", path.to_str().unwrap());
    common::click(&mut h, "导出");
    h.state_mut().wait_for_export();
    h.run();
    assert!(
        h.state().status().text().contains("已导出 5 行"),
        "{:?}",
        h.state().status()
    );
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let range = wb.worksheet_range("煤矿台账").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    assert!(
        rows[0][0].to_string().ends_with("煤矿台账"),
        "{:?}",
        rows[0][0]
    );
    let header: Vec<String> = rows[2].iter().map(ToString::to_string).collect();
    let col = |label: &str| header.iter().position(|h| h == label).unwrap();
    assert_eq!(rows.len() - 3, 5);
    let names: Vec<String> = rows[3..]
        .iter()
        .map(|r| r[col("煤矿名称")].to_string())
        .collect();
    assert!(names.iter().all(|n| n.starts_with('K')), "{names:?}");
    assert_eq!(rows[3][col("整治分类")], Data::String("单独保留".into()));
}
