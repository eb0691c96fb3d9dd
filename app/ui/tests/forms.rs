//! The generic form renderer (plugin forms, XLSForm vocabulary) in a headless harness: every
//! field kind typed into, the core's rules shown at their fields (debounced), repeat groups,
//! choice filters, save and draft, keyboard.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use anwei_core::form::Severity;
use anwei_core::{FieldDef, FieldIssue, FieldKind as K, FormDef, Value};
use anwei_ui::install_fonts;
use anwei_ui::panels::{EditorEvent, FormLookups, RecordEditor, record_editor};
use chrono::NaiveDate;
use egui::accesskit::{Role, Toggled};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 9, 1).unwrap()
}

/// What the harness draws: one form in its editor, with the lookups, collecting events.
struct Desk {
    form: FormDef,
    editor: RecordEditor,
    units: Vec<String>,
    towns: Vec<String>,
    enterprises: Vec<String>,
    events: Vec<EditorEvent>,
}

impl Desk {
    fn new(form: FormDef) -> Desk {
        let editor = RecordEditor::new(&form, today());
        Desk::with_editor(form, editor)
    }

    fn with_editor(form: FormDef, editor: RecordEditor) -> Desk {
        let names = |n: &[&str]| n.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        Desk {
            form,
            editor,
            units: names(&["区应急管理局", "区能源局"]),
            towns: names(&["越州镇", "东山镇", "茨营镇"]),
            enterprises: names(&["云南越州煤业有限公司"]),
            events: Vec::new(),
        }
    }

    fn saves(&self) -> Vec<bool> {
        self.events
            .iter()
            .filter_map(|e| match e {
                EditorEvent::Save { draft } => Some(*draft),
                _ => None,
            })
            .collect()
    }

    fn validations(&self) -> Vec<&BTreeMap<String, Value>> {
        self.events
            .iter()
            .filter_map(|e| match e {
                EditorEvent::Validate(v) => Some(v),
                _ => None,
            })
            .collect()
    }
}

type H = Harness<'static, Desk>;

fn harness(desk: Desk) -> H {
    Harness::builder()
        .with_size(egui::vec2(1100.0, 1500.0))
        // Frames of a real screen, so `run()` stays inside the debounce.
        .with_step_dt(1.0 / 60.0)
        .with_context_setup(install_fonts)
        .build_ui_state(
            |ui, d: &mut Desk| {
                let lookups = FormLookups {
                    units: &d.units,
                    towns: &d.towns,
                    enterprises: &d.enterprises,
                };
                let events = record_editor(ui, &d.form, &mut d.editor, &lookups, today());
                d.events.extend(events);
            },
            desk,
        )
}

fn open(form: FormDef) -> H {
    harness(Desk::new(form))
}

/// Replaces the text of the input named `label`.
fn set(h: &mut H, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Lets the typing settle past the debounce so the rules run.
fn settle(h: &mut H) {
    h.run_steps(25);
    h.run();
}

fn click(h: &mut H, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

/// Opens the combo box named `label` and picks `option`.
fn pick(h: &mut H, label: &str, option: &str) {
    h.get_by_role_and_label(Role::ComboBox, label).click();
    h.run();
    h.get_by_label(option).click();
    h.run();
}

fn shown(h: &H, text: &str) -> bool {
    h.query_by_label_contains(text).is_some()
}

fn typed(h: &H, label: &str) -> String {
    h.get_by_label(label).value().unwrap_or_default()
}

fn vals(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn one(name: &str) -> Value {
    Value::Choices(vec![name.to_owned()])
}

fn form(fields: Vec<FieldDef>) -> FormDef {
    FormDef {
        id: "test/form".into(),
        title: "测试表".into(),
        version: "1.0.0".into(),
        fields,
    }
}

/// One field of every kind but repeat (see `repeat_form`).
fn every_kind() -> FormDef {
    form(vec![
        FieldDef::new("intro", K::Note, "按方案登记全区煤矿，一矿一条。"),
        FieldDef::new("name", K::Text, "煤矿名称")
            .required()
            .hint("填写采矿许可证上的全称"),
        FieldDef::new("workers", K::Integer, "从业人数")
            .constraint(". >= 0 and . <= 5000", "从业人数应在0至5000之间"),
        FieldDef::new("capacity", K::Decimal, "核定产能").unit("万吨/年"),
        FieldDef::new("checked_on", K::Date, "检查日期"),
        FieldDef::new("ownership", K::SelectOne, "所有制")
            .choices(&[("state", "国有"), ("private", "民营")]),
        FieldDef::new("hazards", K::SelectMany, "风险类型").choices(&[
            ("gas", "瓦斯"),
            ("water", "水害"),
            ("fire", "火灾"),
        ]),
        FieldDef::new("dept", K::UnitRef, "监管部门"),
        FieldDef::new("town", K::TownRef, "所在镇(街道)"),
        FieldDef::new("owner", K::EnterpriseRef, "所属企业"),
        FieldDef::new("in_area", K::YesNo, "位于恩洪矿区"),
        FieldDef::new("per_worker", K::Calculate, "人均产能")
            .calculation("${capacity} * 10000 div ${workers}")
            .unit("吨/人"),
    ])
}

fn repeat_form(required: bool) -> FormDef {
    let mut group = FieldDef::repeat(
        "items",
        "隐患明细",
        vec![
            FieldDef::new("what", K::Text, "隐患内容").required(),
            FieldDef::new("major", K::YesNo, "重大隐患").default_value("否"),
            FieldDef::new("cost", K::Decimal, "整改资金")
                .unit("万元")
                .constraint(". >= 0", "资金不能为负"),
        ],
    );
    group.required = required;
    form(vec![
        FieldDef::new("mine", K::Text, "煤矿").required(),
        group,
    ])
}

#[test]
fn typing_into_every_kind_gives_values() {
    let mut h = open(every_kind());
    assert!(shown(&h, "按方案登记全区煤矿"), "the note is shown");
    assert!(shown(&h, "填写采矿许可证上的全称"), "the hint is shown");
    set(&mut h, "煤矿名称", "越州煤矿");
    set(&mut h, "从业人数", "300");
    set(&mut h, "核定产能", "４５"); // full-width digits, as input methods type them
    set(&mut h, "检查日期", "2020年8月15日");
    pick(&mut h, "所有制", "民营");
    click(&mut h, "风险类型 瓦斯");
    click(&mut h, "风险类型 火灾");
    set(&mut h, "监管部门", "区能源局");
    set(&mut h, "所在镇(街道)", "越州镇");
    set(&mut h, "所属企业", "云南越州煤业有限公司");
    click(&mut h, "位于恩洪矿区 是");
    settle(&mut h);

    let expected = vals(&[
        ("name", text("越州煤矿")),
        ("workers", Value::Integer(300)),
        ("capacity", Value::Decimal(45.0)),
        ("checked_on", Value::Date("2020-08-15".into())),
        ("ownership", one("private")),
        ("hazards", Value::Choices(vec!["gas".into(), "fire".into()])),
        ("dept", text("区能源局")),
        ("town", text("越州镇")),
        ("owner", text("云南越州煤业有限公司")),
        ("in_area", Value::Flag(true)),
        ("per_worker", Value::Integer(1500)),
    ]);
    let editor = &h.state().editor;
    assert_eq!(editor.values(), expected);
    assert!(editor.issues().is_empty(), "{:?}", editor.issues());
    assert!(editor.is_dirty());
    // What was typed stays as typed; the calculated value is shown with its unit.
    assert_eq!(typed(&h, "核定产能"), "４５");
    assert_eq!(typed(&h, "人均产能"), "1500 吨/人");
    assert_eq!(typed(&h, "所有制"), "民营");
    // The settled values went out for the plugin's validation.
    assert_eq!(h.state().validations().last(), Some(&&expected));
}

#[test]
fn bad_input_is_reported_at_its_field_and_the_typed_text_is_kept() {
    let mut h = open(every_kind());
    set(&mut h, "从业人数", "12x");
    set(&mut h, "核定产能", "1.2.3");
    set(&mut h, "检查日期", "2020-13-45");
    set(&mut h, "所在镇(街道)", "不存在镇");
    set(&mut h, "监管部门", "区能源局");
    settle(&mut h);

    assert!(shown(&h, "“从业人数”应为整数，填写的是“12x”"));
    assert!(shown(&h, "“核定产能”应为数字，填写的是“1.2.3”"));
    assert!(shown(&h, "“检查日期”应为日期"));
    assert!(shown(&h, "“所在镇(街道)”：镇(街道)名单中没有“不存在镇”"));
    assert!(!shown(&h, "单位名录中没有"), "a listed unit is fine");
    assert_eq!(typed(&h, "从业人数"), "12x");
    assert_eq!(typed(&h, "核定产能"), "1.2.3");
    assert_eq!(typed(&h, "检查日期"), "2020-13-45");
    assert_eq!(typed(&h, "所在镇(街道)"), "不存在镇");

    let editor = &h.state().editor;
    let values = editor.values();
    for key in ["workers", "capacity", "checked_on"] {
        assert!(!values.contains_key(key), "{key} has no value: {values:?}");
    }
    assert_eq!(values["town"], text("不存在镇"));
    assert!(editor.has_errors());
    // A draft keeps what does not parse, as text.
    let draft = editor.draft_values();
    assert_eq!(draft["workers"], text("12x"));
    assert_eq!(draft["checked_on"], text("2020-13-45"));

    // Fixing the text clears its message.
    set(&mut h, "从业人数", "12");
    settle(&mut h);
    assert!(!shown(&h, "“从业人数”应为整数"));
    assert_eq!(h.state().editor.values()["workers"], Value::Integer(12));
}

#[test]
fn a_loaded_choice_the_form_lacks_is_shown_with_its_message() {
    let f = every_kind();
    let values = vals(&[
        ("name", text("越州煤矿")),
        ("ownership", text("国营")),
        ("workers", text("许多")),
    ]);
    let editor = RecordEditor::from_values(&f, &values, today());
    let mut h = harness(Desk::with_editor(f, editor));
    h.run();
    assert!(shown(&h, "“所有制”没有选项“国营”，可选：国有、民营"));
    assert!(shown(&h, "“从业人数”应为整数，填写的是“许多”"));
    assert_eq!(typed(&h, "所有制"), "国营");
    assert_eq!(typed(&h, "从业人数"), "许多");
    // Picking a real choice fixes it.
    pick(&mut h, "所有制", "国有");
    settle(&mut h);
    assert!(!shown(&h, "没有选项“国营”"));
    assert_eq!(h.state().editor.values()["ownership"], one("state"));
}

#[test]
fn required_fields_speak_up_once_touched_or_at_save() {
    let f = form(vec![
        FieldDef::new("name", K::Text, "煤矿名称").required(),
        FieldDef::new("town", K::TownRef, "所在镇(街道)").required(),
        FieldDef::new("count", K::Integer, "从业人数"),
    ]);
    let mut h = open(f);
    settle(&mut h);
    // A new form is not a wall of red; the save button is offered.
    assert!(!shown(&h, "请填写"));
    assert!(h.query_by_label("保存").is_some());
    assert!(
        h.state().editor.has_errors(),
        "the errors exist, just not shown"
    );

    // Typed in and emptied again: that field says so, the other one not yet.
    set(&mut h, "煤矿名称", "甲");
    set(&mut h, "煤矿名称", "");
    h.key_press(egui::Key::Backspace);
    h.run();
    settle(&mut h);
    assert_eq!(typed(&h, "煤矿名称"), "");
    assert!(shown(&h, "请填写“煤矿名称”"));
    assert!(!shown(&h, "请填写“所在镇(街道)”"));
    // An error is shown: instead of saving, its count and the draft.
    assert!(h.query_by_label("保存").is_none());
    assert!(shown(&h, "有 1 处错误"));

    set(&mut h, "煤矿名称", "越州煤矿");
    settle(&mut h);
    assert!(!shown(&h, "请填写“煤矿名称”"));
    assert!(h.query_by_label("保存").is_some());

    // Save: nothing saved, every message shown, only the draft is offered.
    click(&mut h, "保存");
    assert!(shown(&h, "请填写“所在镇(街道)”"));
    assert!(h.state().saves().is_empty());
    assert!(h.query_by_label("保存").is_none());
    assert!(shown(&h, "有 1 处错误"));
    click(&mut h, "保存为草稿（不计入指标）");
    assert_eq!(h.state().saves(), [true]);
}

#[test]
fn a_constraint_message_appears_once_typing_settles() {
    let mut h = open(every_kind());
    set(&mut h, "从业人数", "6000");
    assert!(
        !shown(&h, "从业人数应在0至5000之间"),
        "not while still typing"
    );
    assert!(h.query_by_label("保存").is_some());
    assert!(h.state().validations().is_empty());
    settle(&mut h);
    assert!(shown(&h, "从业人数应在0至5000之间"));
    assert_eq!(
        h.state().validations().last().unwrap()["workers"],
        Value::Integer(6000)
    );
    let editor = &h.state().editor;
    let issue = editor
        .issues()
        .iter()
        .find(|i| i.field == "workers")
        .unwrap();
    assert_eq!(issue.severity, Severity::Error);
    assert_eq!(issue.message, "从业人数应在0至5000之间");

    // flush() runs the rules on the next frame without waiting.
    set(&mut h, "从业人数", "50");
    h.state_mut().editor.flush();
    h.run();
    assert!(!shown(&h, "从业人数应在0至5000之间"));
}

#[test]
fn relevance_hides_a_field_and_its_value() {
    let f = form(vec![
        FieldDef::new("fixed", K::YesNo, "已整改"),
        FieldDef::new("fixed_on", K::Date, "整改日期").relevant("${fixed} = 'yes'"),
    ]);
    let mut h = open(f);
    assert!(h.query_by_label("整改日期").is_none());
    click(&mut h, "已整改 是");
    assert!(h.query_by_label("整改日期").is_some());
    set(&mut h, "整改日期", "2020-08-15");
    assert_eq!(
        h.state().editor.values().get("fixed_on"),
        Some(&Value::Date("2020-08-15".into()))
    );
    click(&mut h, "已整改 否");
    assert!(h.query_by_label("整改日期").is_none());
    assert_eq!(
        h.state().editor.values(),
        vals(&[("fixed", Value::Flag(false))])
    );
    // Shown again, it still holds what was typed.
    click(&mut h, "已整改 是");
    assert_eq!(typed(&h, "整改日期"), "2020-08-15");
    assert!(h.state().editor.values().contains_key("fixed_on"));
}

#[test]
fn calculations_follow_the_typing() {
    let f = form(vec![
        FieldDef::new("a", K::Integer, "关闭煤矿数"),
        FieldDef::new("b", K::Integer, "整合煤矿数"),
        FieldDef::new("total", K::Calculate, "合计").calculation("${a} + ${b}"),
        FieldDef::new("shown", K::Text, "备注")
            .read_only()
            .calculation("concat('共', ${a} + ${b}, '处')"),
    ]);
    let mut h = open(f);
    assert_eq!(typed(&h, "合计"), "—");
    set(&mut h, "关闭煤矿数", "2");
    set(&mut h, "整合煤矿数", "3");
    // No debounce for calculations: shown at once.
    assert_eq!(typed(&h, "合计"), "5");
    assert_eq!(typed(&h, "备注"), "共5处");
    set(&mut h, "整合煤矿数", "10");
    assert_eq!(typed(&h, "合计"), "12");
    let values = h.state().editor.values();
    assert_eq!(values["total"], Value::Integer(12));
    assert_eq!(values["shown"], text("共12处"));
}

#[test]
fn repeat_rows_are_added_and_removed() {
    let mut h = open(repeat_form(false));
    assert!(shown(&h, "尚无数据行"));
    click(&mut h, "隐患明细 添加一行");
    click(&mut h, "隐患明细 添加一行");
    set(&mut h, "隐患明细 第1行 隐患内容", "皮带巷积水");
    set(&mut h, "隐患明细 第2行 隐患内容", "瓦斯传感器失效");
    set(&mut h, "隐患明细 第2行 整改资金", "-1");
    settle(&mut h);
    let values = h.state().editor.values();
    assert_eq!(values["items[0]/what"], text("皮带巷积水"));
    assert_eq!(values["items[1]/what"], text("瓦斯传感器失效"));
    // Row defaults applied.
    assert_eq!(values["items[1]/major"], Value::Flag(false));
    assert!(shown(&h, "“隐患明细”第2行：资金不能为负"));

    click(&mut h, "隐患明细 第1行 删除此行");
    settle(&mut h);
    let values = h.state().editor.values();
    assert_eq!(values["items[0]/what"], text("瓦斯传感器失效"));
    assert_eq!(values["items[0]/cost"], Value::Decimal(-1.0));
    assert!(
        !values.keys().any(|k| k.starts_with("items[1]")),
        "{values:?}"
    );
    assert_eq!(typed(&h, "隐患明细 第1行 隐患内容"), "瓦斯传感器失效");
    assert!(h.query_by_label("隐患明细 第2行 隐患内容").is_none());
    // The message moved with its row.
    assert!(shown(&h, "“隐患明细”第1行：资金不能为负"));
    assert!(!shown(&h, "“隐患明细”第2行"));
}

#[test]
fn a_required_repeat_group_starts_with_a_row_and_needs_one() {
    let mut h = open(repeat_form(true));
    assert!(h.query_by_label("隐患明细 第1行 隐患内容").is_some());
    set(&mut h, "煤矿", "越州煤矿");
    click(&mut h, "隐患明细 第1行 删除此行");
    // Rows are structure: the group's message is there at once.
    assert!(shown(&h, "请至少填写一行“隐患明细”"));
    assert!(h.query_by_label("保存").is_none());
    assert!(shown(&h, "有 1 处错误"));
    click(&mut h, "隐患明细 添加一行");
    assert!(!shown(&h, "请至少填写一行“隐患明细”"));
    set(&mut h, "隐患明细 第1行 隐患内容", "积水");
    click(&mut h, "保存");
    assert_eq!(h.state().saves(), [false]);
    assert_eq!(
        h.state().editor.values(),
        vals(&[
            ("mine", text("越州煤矿")),
            ("items[0]/what", text("积水")),
            ("items[0]/major", Value::Flag(false)),
        ])
    );
}

#[test]
fn the_choice_filter_limits_the_choices() {
    let f = form(vec![
        FieldDef::new("ownership", K::SelectOne, "所有制")
            .choices(&[("state", "国有"), ("private", "民营")]),
        FieldDef::new("office", K::SelectOne, "监管部门")
            .filtered_choices(&[
                ("energy", "区能源局", "state"),
                ("sasac", "区国资委", "state"),
                ("town", "镇安办", "private"),
            ])
            .choice_filter("filter = ${ownership}"),
    ]);
    let mut h = open(f);
    pick(&mut h, "所有制", "国有");
    h.get_by_role_and_label(Role::ComboBox, "监管部门").click();
    h.run();
    assert!(h.query_by_label("区能源局").is_some());
    assert!(h.query_by_label("区国资委").is_some());
    assert!(h.query_by_label("镇安办").is_none());
    h.get_by_label("区能源局").click();
    h.run();

    // Another ownership: the chosen office is no longer allowed, and says so.
    pick(&mut h, "所有制", "民营");
    settle(&mut h);
    assert!(shown(
        &h,
        "“监管部门”不能选“区能源局”（不符合选项筛选条件）"
    ));
    h.get_by_role_and_label(Role::ComboBox, "监管部门").click();
    h.run();
    assert!(h.query_by_label("镇安办").is_some());
    assert!(h.query_by_label("区国资委").is_none());
}

#[test]
fn pickers_search_by_label() {
    let names = [
        "东山镇",
        "越州镇",
        "茨营镇",
        "珠街街道",
        "三宝街道",
        "潇湘街道",
        "沿江街道",
        "太和街道",
        "白石江街道",
        "建宁街道",
    ];
    let choices: Vec<(String, &str)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (format!("c{i}"), *n))
        .collect();
    let pairs: Vec<(&str, &str)> = choices.iter().map(|(c, n)| (c.as_str(), *n)).collect();
    let f = form(vec![
        FieldDef::new("where", K::SelectOne, "检查地点").choices(&pairs),
        FieldDef::new("towns", K::SelectMany, "涉及镇街").choices(&pairs),
    ]);
    let mut h = open(f);
    // Select-one: the search box inside the combo box has the focus when it opens.
    h.get_by_role_and_label(Role::ComboBox, "检查地点").click();
    h.run();
    assert!(h.get_by_label("检查地点 搜索").is_focused());
    h.get_by_label("检查地点 搜索").type_text("街道");
    h.run();
    assert!(h.query_by_label("太和街道").is_some());
    assert!(h.query_by_label("越州镇").is_none());
    // Enter picks the first match.
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state().editor.values()["where"], one("c3"));

    // Select-many with more than eight choices: a search box over the check boxes.
    assert!(h.query_by_label("涉及镇街 越州镇").is_some());
    set(&mut h, "涉及镇街 搜索", "江");
    assert!(h.query_by_label("涉及镇街 越州镇").is_none());
    click(&mut h, "涉及镇街 沿江街道");
    click(&mut h, "涉及镇街 白石江街道");
    set(&mut h, "涉及镇街 搜索", "");
    h.key_press(egui::Key::Backspace);
    h.run();
    click(&mut h, "涉及镇街 东山镇");
    // Stored in the form's order.
    assert_eq!(
        h.state().editor.values()["towns"],
        Value::Choices(vec!["c0".into(), "c6".into(), "c8".into()])
    );
}

#[test]
fn references_are_picked_from_the_lookups() {
    let mut h = open(every_kind());
    h.get_by_label("所在镇(街道) 从列表选择").click();
    h.run();
    h.get_by_label("所在镇(街道) 搜索").type_text("山");
    h.run();
    assert!(h.query_by_label("越州镇").is_none());
    h.get_by_label("东山镇").click();
    h.run();
    assert_eq!(typed(&h, "所在镇(街道)"), "东山镇");
    assert_eq!(h.state().editor.values()["town"], text("东山镇"));
}

#[test]
fn the_calendar_sets_the_date() {
    let mut h = open(every_kind());
    click(&mut h, "检查日期 日历");
    assert!(h.query_by_label("2020年9月").is_some());
    click(&mut h, "上月");
    click(&mut h, "2020年8月20日");
    assert_eq!(typed(&h, "检查日期"), "2020-08-20");
    assert_eq!(
        h.state().editor.values()["checked_on"],
        Value::Date("2020-08-20".into())
    );
    assert!(
        h.query_by_label("2020年8月21日").is_none(),
        "closed after picking"
    );
}

#[test]
fn save_when_valid_and_only_a_draft_with_errors() {
    let mut h = open(every_kind());
    set(&mut h, "煤矿名称", "越州煤矿");
    click(&mut h, "保存");
    assert_eq!(h.state().saves(), [false]);
    assert_eq!(
        h.state().validations().last().unwrap()["name"],
        text("越州煤矿"),
        "the last change was sent for validation at save"
    );

    set(&mut h, "从业人数", "-3");
    settle(&mut h);
    assert!(h.query_by_label("保存").is_none());
    assert!(shown(&h, "有 1 处错误"));
    click(&mut h, "保存为草稿（不计入指标）");
    assert_eq!(h.state().saves(), [false, true]);

    click(&mut h, "取消");
    assert_eq!(h.state().events.last(), Some(&EditorEvent::Cancel));
}

#[test]
fn ctrl_s_saves() {
    let mut h = open(every_kind());
    // With a required field empty, Ctrl+S shows the errors instead.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    assert!(h.state().saves().is_empty());
    assert!(shown(&h, "请填写“煤矿名称”"));
    set(&mut h, "煤矿名称", "越州煤矿");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    assert_eq!(h.state().saves(), [false]);
}

#[test]
fn enter_moves_to_the_next_field() {
    let mut h = open(every_kind());
    h.get_by_label("煤矿名称").focus();
    h.run();
    h.get_by_label("煤矿名称").type_text("越州煤矿");
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.get_by_label("从业人数").is_focused());
    h.get_by_label("从业人数").type_text("300");
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.get_by_label("核定产能").is_focused());
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.get_by_label("检查日期").is_focused());
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(
        h.get_by_role_and_label(Role::ComboBox, "所有制")
            .is_focused()
    );
    assert_eq!(
        h.state().editor.values(),
        vals(&[("name", text("越州煤矿")), ("workers", Value::Integer(300))])
    );
}

#[test]
fn plugin_issues_appear_at_their_field() {
    let mut h = open(every_kind());
    set(&mut h, "煤矿名称", "越州煤矿");
    set(&mut h, "核定产能", "45");
    settle(&mut h);
    assert!(!h.state().editor.has_errors());
    h.state_mut().editor.set_plugin_issues(vec![
        FieldIssue {
            field: "capacity".into(),
            severity: Severity::Error,
            message: "产能与矿井规模不符".into(),
        },
        FieldIssue {
            field: String::new(),
            severity: Severity::Warning,
            message: "本矿尚未录入上一年度数据".into(),
        },
    ]);
    h.run();
    assert!(shown(&h, "产能与矿井规模不符"));
    assert!(shown(&h, "本矿尚未录入上一年度数据"));
    assert!(h.state().editor.has_errors());
    assert!(shown(&h, "有 1 处错误"));
    assert_eq!(h.state().editor.issues().len(), 2);
    // Editing the field drops its stale plugin issue until the next result.
    set(&mut h, "核定产能", "30");
    assert!(!shown(&h, "产能与矿井规模不符"));
    assert!(shown(&h, "本矿尚未录入上一年度数据"));
}

/// The plugin's answer can come after the user has typed on (a slow machine, a busy plugin):
/// what it says about a value changed since it was sent is not held against the new one, and
/// does not stop the save.
#[test]
fn a_late_plugin_answer_about_old_values_does_not_block_the_save() {
    let mut h = open(every_kind());
    set(&mut h, "煤矿名称", "越州煤矿");
    settle(&mut h);
    assert_eq!(h.state().validations().len(), 1, "sent with the name only");
    set(&mut h, "核定产能", "45");
    // The answer to the first request: it did not know the capacity yet.
    h.state_mut().editor.set_plugin_issues(vec![
        FieldIssue {
            field: "capacity".into(),
            severity: Severity::Error,
            message: "请填写核定产能".into(),
        },
        FieldIssue {
            field: "name".into(),
            severity: Severity::Warning,
            message: "名称与登记不一致".into(),
        },
        FieldIssue {
            field: String::new(),
            severity: Severity::Error,
            message: "整条记录不完整".into(),
        },
    ]);
    h.run();
    assert!(!shown(&h, "请填写核定产能"), "about the old capacity");
    assert!(!shown(&h, "整条记录不完整"), "about the old record");
    assert!(shown(&h, "名称与登记不一致"), "the name is as sent");
    assert!(!h.state().editor.has_errors());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    assert_eq!(h.state().saves(), [false]);
    // An answer about the values as they are is held to.
    settle(&mut h);
    h.state_mut().editor.set_plugin_issues(vec![FieldIssue {
        field: String::new(),
        severity: Severity::Error,
        message: "整条记录不完整".into(),
    }]);
    h.run();
    assert!(h.state().editor.has_errors());
}

#[test]
fn a_wrong_plugin_expression_is_shown_at_its_field() {
    let f = form(vec![
        FieldDef::new("n", K::Integer, "工作面个数").constraint(". >", "x"),
        FieldDef::new("m", K::Integer, "采区个数").relevant("${n} = 1 or"),
        FieldDef::new("c", K::Calculate, "比值").calculation("${n} div 0"),
    ]);
    let mut h = open(f);
    set(&mut h, "工作面个数", "3");
    settle(&mut h);
    assert!(shown(&h, "“工作面个数”的约束条件有误"));
    assert!(shown(&h, "“采区个数”的显示条件有误"));
    assert!(shown(&h, "“比值”的计算公式有误"));
    // Warnings only: the record can be saved.
    assert!(!h.state().editor.has_errors());
    assert!(
        h.query_by_label("采区个数").is_some(),
        "a wrong condition shows the field"
    );
}

#[test]
fn a_saved_record_loads_unchanged_and_is_sent_for_validation() {
    let f = every_kind();
    let values = vals(&[
        ("name", text("越州煤矿")),
        ("workers", Value::Integer(300)),
        ("capacity", Value::Decimal(45.0)),
        ("checked_on", Value::Date("2020-08-15".into())),
        ("ownership", one("private")),
        ("hazards", Value::Choices(vec!["water".into()])),
        ("town", text("越州镇")),
        ("in_area", Value::Flag(false)),
        ("per_worker", Value::Integer(1500)),
    ]);
    let editor = RecordEditor::from_values(&f, &values, today());
    assert_eq!(editor.values(), values);
    assert!(!editor.is_dirty());
    let mut h = harness(Desk::with_editor(f, editor));
    h.run();
    assert_eq!(h.state().validations(), [&values]);
    assert_eq!(typed(&h, "从业人数"), "300");
    assert_eq!(typed(&h, "检查日期"), "2020-08-15");
    assert_eq!(
        h.get_by_label("风险类型 水害").accesskit_node().toggled(),
        Some(Toggled::True)
    );
    set(&mut h, "从业人数", "301");
    assert!(h.state().editor.is_dirty());
}

#[test]
fn loaded_rows_are_numbered_again() {
    let f = repeat_form(false);
    let values = vals(&[
        ("mine", text("越州煤矿")),
        ("items[2]/what", text("甲")),
        ("items[7]/what", text("乙")),
    ]);
    let editor = RecordEditor::from_values(&f, &values, today());
    let v = editor.values();
    assert_eq!(v["items[0]/what"], text("甲"));
    assert_eq!(v["items[1]/what"], text("乙"));
    let h = harness(Desk::with_editor(f, editor));
    assert_eq!(typed(&h, "隐患明细 第2行 隐患内容"), "乙");
    assert!(h.query_by_label("隐患明细 第3行 隐患内容").is_none());
}

#[test]
fn nested_repeat_groups_name_their_rows() {
    let f = form(vec![FieldDef::repeat(
        "mines",
        "煤矿",
        vec![
            FieldDef::new("name", K::Text, "名称"),
            FieldDef::repeat(
                "faces",
                "工作面",
                vec![FieldDef::new("len", K::Decimal, "长度").constraint(". > 0", "长度应大于0")],
            ),
        ],
    )]);
    let mut h = open(f);
    click(&mut h, "煤矿 添加一行");
    set(&mut h, "煤矿 第1行 名称", "甲矿");
    click(&mut h, "煤矿 第1行 工作面 添加一行");
    click(&mut h, "煤矿 第1行 工作面 添加一行");
    set(&mut h, "煤矿 第1行 工作面 第2行 长度", "0");
    settle(&mut h);
    assert!(shown(&h, "“煤矿”第1行“工作面”第2行：长度应大于0"));
    click(&mut h, "煤矿 第1行 工作面 第1行 删除此行");
    set(&mut h, "煤矿 第1行 工作面 第1行 长度", "120");
    settle(&mut h);
    assert_eq!(
        h.state().editor.values(),
        vals(&[
            ("mines[0]/name", text("甲矿")),
            ("mines[0]/faces[0]/len", Value::Decimal(120.0)),
        ])
    );
    assert!(h.state().editor.issues().is_empty());
}

#[test]
fn enter_in_the_last_field_goes_to_save() {
    let f = form(vec![
        FieldDef::new("a", K::Text, "名称"),
        FieldDef::new("b", K::Calculate, "长度").calculation("string-length(${a})"),
    ]);
    let mut h = open(f);
    h.get_by_label("名称").focus();
    h.run();
    h.get_by_label("名称").type_text("越州");
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.get_by_label("保存").is_focused());
    assert_eq!(typed(&h, "长度"), "2");
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state().saves(), [false]);
}
