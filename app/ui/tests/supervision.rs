//! 督办 in the window: a 督办事项 from its form through 接收, 完成, 验收 to 销号; a 重大隐患
//! registered, hung up, rectified (五到位), rechecked and closed; 通报 counted per unit with
//! the 5 % rule flagged; a 约谈 recorded; the 考核 sheet computed; and 今日待办's supervision
//! items opening their item.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_core::Command;
use anwei_core::supervise::SupAction;
use anwei_core::supervision::{CircularKind, ItemState, Level, Named, Source, SourceKind};
use anwei_ui::{Action, Tab};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

type H = Harness<'static, anwei_ui::DeskApp>;

fn pick(h: &mut H, list: &str, option: &str) {
    h.get_by_role_and_label(Role::ComboBox, list).click();
    h.run();
    // A long list scrolls inside its popup.
    h.get_all_by_role_and_label(Role::Button, option)
        .last()
        .unwrap()
        .scroll_to_me();
    h.run();
    h.get_all_by_role_and_label(Role::Button, option)
        .last()
        .unwrap()
        .click();
    h.run();
    assert_eq!(
        h.get_by_role_and_label(Role::ComboBox, list)
            .accesskit_node()
            .value()
            .as_deref(),
        Some(option)
    );
}

fn shows(h: &H, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

fn first_unit(app: &anwei_ui::DeskApp) -> (String, String) {
    let u = &app.model().unwrap().units.units()[0];
    (u.id.clone(), u.name.clone())
}

fn open_view(h: &mut H, view: &str) {
    common::open_tab(h, "督办");
    h.get_by_label(view).click();
    h.run();
}

fn expand(h: &mut H, header: &str) {
    h.get_by_label(header).click();
    h.run();
}

#[test]
fn an_item_is_added_received_completed_accepted_and_closed() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let (_, unit) = first_unit(&app);
    let mut h = common::harness(app);
    h.run();
    open_view(&mut h, "督办事项");
    assert!(shows(&h, "共 0 项"));
    expand(&mut h, "新增督办事项");
    common::set_field(&mut h, "事项内容", "整改城区燃气管网隐患");
    pick(&mut h, "责任单位", &unit);
    pick(&mut h, "级别", "市级");
    common::set_field(&mut h, "整改时限", "2020/12/31");
    common::set_field(&mut h, "文件或会议及编号", "区安委会2020年第3次会议");
    common::click(&mut h, "保存督办事项");
    // A date written otherwise: said, nothing saved.
    assert!(shows(&h, "整改时限请写作 YYYY-MM-DD"));
    assert!(h.state().model().unwrap().registers.items.is_empty());
    common::set_field(&mut h, "整改时限", "2020-12-31");
    common::click(&mut h, "保存督办事项");
    let items = &h.state().model().unwrap().registers.items;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].level, Level::City);
    assert!(shows(&h, "整改城区燃气管网隐患"));
    // Open it; the buttons follow its state.
    h.get_by_label("#1").click();
    h.run();
    assert!(shows(&h, "接收：未接收"));
    assert!(h.query_by_label("报告完成").is_none(), "not before 接收");
    common::click(&mut h, "登记接收");
    assert!(shows(&h, "接收：已接收（2020-09-01）"));
    common::set_field(&mut h, "说明或意见", "已完成老旧管道更换");
    common::click(&mut h, "报告完成");
    assert!(shows(&h, "状态：待验收"));
    common::click(&mut h, "验收通过");
    common::click(&mut h, "销号");
    let item = &h.state().model().unwrap().registers.items[0];
    assert_eq!(item.state(), ItemState::Closed);
    assert_eq!(item.completed.as_ref().unwrap().text, "已完成老旧管道更换");
    assert!(shows(&h, "回头看：未反弹"));
}

#[test]
fn a_major_hazard_is_hung_up_rectified_rechecked_and_closed() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let (_, unit) = first_unit(&app);
    let mut h = common::harness(app);
    h.run();
    open_view(&mut h, "隐患闭环");
    expand(&mut h, "登记隐患");
    common::set_field(&mut h, "隐患所在单位或场所", "某某化工有限公司");
    common::set_field(&mut h, "隐患描述", "储罐区可燃气体报警装置失效");
    pick(&mut h, "监管单位", &unit);
    pick(&mut h, "等级", "重大隐患");
    common::set_field(&mut h, "隐患整改时限", "2020-10-31");
    common::click(&mut h, "保存隐患");
    let regs = &h.state().model().unwrap().registers;
    assert_eq!(
        (regs.hazards.len(), regs.items.len()),
        (1, 1),
        "hung up as an item"
    );
    assert!(shows(&h, "督办事项 #1"));
    h.get_by_label("隐患 #1").click();
    h.run();
    // 五到位: all five, else refused with the one missing.
    common::set_field(&mut h, "责任", "王某（厂长）");
    common::set_field(&mut h, "措施", "更换报警器");
    common::set_field(&mut h, "预案", "停用储罐区");
    common::click(&mut h, "保存五到位");
    assert!(shows(&h, "五到位缺“资金”"));
    common::set_field(&mut h, "资金", "8万元");
    common::click(&mut h, "保存五到位");
    assert!(shows(&h, "资金 8万元"));
    common::click(&mut h, "复查合格");
    common::click(&mut h, "隐患销号");
    let regs = &h.state().model().unwrap().registers;
    assert!(regs.hazards[0].closed.is_some());
    assert_eq!(regs.items[0].state(), ItemState::Closed, "摘牌 with it");
}

/// The sector's checklist (from its plugin) in the form: sector, category, item; an item
/// the source calls a 重大事故隐患 sets the grade to 重大, and the hazard keeps the item cited.
#[test]
fn a_hazard_is_registered_under_an_item_of_its_sectors_checklist() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let (_, unit) = first_unit(&app);
    assert!(
        app.model()
            .unwrap()
            .sector_hazards
            .contains_key("non-coal-mines"),
        "the imported plans' checklists are in the model"
    );
    let mut h = common::harness(app);
    h.run();
    open_view(&mut h, "隐患闭环");
    expand(&mut h, "登记隐患");
    assert!(
        h.query_by_label("隐患类别").is_some(),
        "typed when nothing is cited"
    );
    common::set_field(&mut h, "隐患所在单位或场所", "某采石场");
    common::set_field(&mut h, "隐患描述", "越界开采且未按设计建设");
    pick(&mut h, "监管单位", &unit);
    pick(&mut h, "行业", "非煤矿山");
    pick(&mut h, "隐患类别（行业）", "突出问题和违法违规行为");
    assert!(shows(
        &h,
        "判定标准：《金属非金属矿山重大生产安全事故隐患判定标准(试行)》"
    ));
    pick(
        &mut h,
        "判定条目",
        "11. 【重大】《金属非金属矿山重大生产安全事故隐患判定标准(试行)》中规定的重大事故隐患",
    );
    assert!(shows(&h, "此条属重大事故隐患"));
    assert_eq!(
        h.get_by_role_and_label(Role::ComboBox, "等级")
            .accesskit_node()
            .value()
            .as_deref(),
        Some("重大隐患"),
        "the item sets the grade"
    );
    assert!(
        h.query_by_label("隐患类别").is_none(),
        "the checklist's category"
    );
    common::set_field(&mut h, "隐患整改时限", "2020-10-31");
    common::click(&mut h, "保存隐患");
    let regs = &h.state().model().unwrap().registers;
    assert_eq!((regs.hazards.len(), regs.items.len()), (1, 1), "hung up");
    let hz = &regs.hazards[0];
    assert_eq!(hz.sector.as_deref(), Some("non-coal-mines"));
    assert_eq!(hz.category, "突出问题和违法违规行为");
    let k = hz.clause.as_ref().unwrap();
    assert_eq!((k.clause.as_str(), k.major), ("11", true));
    h.get_by_label("隐患 #1").click();
    h.run();
    assert!(shows(
        &h,
        "判定条目：非煤矿山 · 突出问题和违法违规行为 · 第11条"
    ));
}

#[test]
fn circulars_are_counted_and_the_rule_flagged_talks_recorded_and_the_sheet_computed() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = common::desk(dir.path());
    let (id, unit) = first_unit(&app);
    for (d, title) in [("2020-03-31", "一季度通报"), ("2020-06-30", "二季度通报")] {
        app.apply_actions(vec![Action::apply(Command::Supervise {
            action: SupAction::AddCircular {
                date: d.parse().unwrap(),
                kind: CircularKind::Quarterly,
                title: title.into(),
                summary: String::new(),
                named: vec![Named {
                    unit: id.clone(),
                    member: true,
                    issue: "进度滞后".into(),
                }],
                follow_up: String::new(),
                items: vec![],
            },
        })]);
    }
    app.apply_actions(vec![Action::apply(Command::Supervise {
        action: SupAction::AddItem {
            title: "整改危化品仓库隐患".into(),
            source: Source {
                kind: SourceKind::Meeting,
                reference: "区安委会2020年第2次会议".into(),
                task: None,
                milestone: None,
                hazard: None,
            },
            level: Level::District,
            unit: id.clone(),
            supervisor: "区安委办".into(),
            acceptor: "区安委办".into(),
            opened: "2020-06-01".parse().unwrap(),
            deadline: "2020-08-15".parse().unwrap(),
        },
    })]);
    app.wait_for_writes();
    let mut h = common::harness(app);
    h.run();
    open_view(&mut h, "通报");
    assert!(shows(&h, "2020年第2期"));
    assert!(shows(&h, "2 次，年度考核扣 5 分"));
    // A third from the form, with a unit ticked.
    expand(&mut h, "编发通报");
    common::set_field(&mut h, "通报标题", "三季度通报");
    common::set_field(&mut h, "成文日期", "2020-09-01");
    h.get_all_by_role_and_label(Role::CheckBox, &unit)
        .next()
        .unwrap()
        .click();
    h.run();
    common::set_field(&mut h, "上期问题整改情况", "上期通报的问题已整改一半");
    h.get_all_by_role_and_label(
        Role::CheckBox,
        &format!("督办事项 #1 整改危化品仓库隐患（{unit}）"),
    )
    .next()
    .unwrap()
    .click();
    h.run();
    common::click(&mut h, "保存通报");
    assert!(shows(&h, "2020年第3期"));
    let regs = &h.state().model().unwrap().registers;
    let third = regs.circulars.iter().find(|c| c.number == 3).unwrap();
    assert_eq!(third.items, vec![1]);
    assert_eq!(third.follow_up, "上期通报的问题已整改一半");
    // Its unit named: the item took the ladder's 通报 step under the 期号.
    assert_eq!(
        regs.items[0].steps[0].document.as_deref(),
        Some("2020年第3期")
    );
    assert!(shows(&h, "3 次，年度考核扣 5 分"));
    // A 约谈.
    h.get_by_label("约谈").click();
    h.run();
    expand(&mut h, "记录约谈");
    pick(&mut h, "约谈单位", &unit);
    common::set_field(&mut h, "被约谈人", "张某（局长）");
    common::set_field(&mut h, "约谈人", "区安委办主任");
    common::set_field(&mut h, "约谈事由", "一年内三次被通报");
    common::click(&mut h, "保存约谈记录");
    assert!(shows(&h, "事由：一年内三次被通报"));
    // The sheet: the unit loses 5 % for its 通报, said with the 期号.
    h.get_by_label("年度考核").click();
    h.run();
    common::click(&mut h, "计算2020年度考核");
    let a = h.state().model().unwrap().assessment.clone().unwrap();
    let sheet = a.sheets.iter().find(|s| s.unit == id).unwrap();
    assert_eq!(sheet.circulars, 3);
    assert!(
        sheet
            .automatic
            .iter()
            .any(|d| d.cause.contains("第1期、第2期、第3期"))
    );
    assert!(shows(&h, &format!("{unit}：")));
}

#[test]
fn supervision_work_due_is_in_today_and_opens_its_item() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = common::desk(dir.path());
    let (id, _) = first_unit(&app);
    app.apply_actions(vec![Action::apply(Command::Supervise {
        action: SupAction::AddItem {
            title: "清理消防通道".into(),
            source: Source {
                kind: SourceKind::Meeting,
                reference: "区安委会2020年第2次会议".into(),
                task: None,
                milestone: None,
                hazard: None,
            },
            level: Level::District,
            unit: id,
            supervisor: "区安委办".into(),
            acceptor: "区安委办".into(),
            opened: "2020-06-01".parse().unwrap(),
            deadline: "2020-08-15".parse().unwrap(),
        },
    })]);
    app.wait_for_writes();
    let mut h = common::harness(app);
    h.run();
    common::open_tab(&mut h, "今日待办");
    assert!(shows(&h, "督办待办 1 项"));
    assert!(shows(&h, "督办待升级"));
    common::click(&mut h, "清理消防通道");
    assert_eq!(h.state().tab(), Some(Tab::Supervision));
    assert!(shows(&h, "督办事项 #1：清理消防通道"));
    assert!(shows(&h, "须提交书面说明（逾期）"));
}

#[test]
fn accidents_and_deductions_change_the_sheet_and_lists_and_rewards_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let (id, unit) = first_unit(&app);
    let mut h = common::harness(app);
    h.run();
    open_view(&mut h, "年度考核");
    expand(&mut h, "登记事故、手工扣分");
    pick(&mut h, "考核单位", &unit);
    pick(&mut h, "事故等级", "重大事故");
    common::set_field(&mut h, "事故日期", "2020-05-01");
    common::set_field(&mut h, "事故名称", "某路段交通事故");
    common::click(&mut h, "登记事故");
    assert!(shows(&h, "重大事故"));
    pick(&mut h, "考核项目", "安全投入（10分）");
    common::set_field(&mut h, "扣分", "3");
    common::set_field(&mut h, "扣分理由", "安全投入台账不全");
    common::click(&mut h, "记入2020年考核");
    let regs = &h.state().model().unwrap().registers;
    assert_eq!(
        regs.deductions.len(),
        1,
        "{:?} {}",
        regs.accidents,
        h.state().status().text()
    );
    assert!(shows(&h, "“安全投入”−3：安全投入台账不全"));
    common::click(&mut h, "计算2020年度考核");
    let a = h.state().model().unwrap().assessment.clone().unwrap();
    let sheet = a.sheets.iter().find(|s| s.unit == id).unwrap();
    assert_eq!(sheet.grade, anwei_core::assessment::Grade::Fail, "一票否决");
    assert!(
        sheet
            .lines
            .iter()
            .any(|l| l.name == "安全投入" && l.score == 7.0)
    );
    // Taken back with a reason: kept, struck through.
    common::set_field(&mut h, "理由", "复核后不扣");
    common::click(&mut h, "撤销扣分 #1");
    assert!(shows(&h, "已撤销：复核后不扣"));
    // 两个清单 and rewards.
    h.get_by_label("两个清单与举报奖励").click();
    h.run();
    expand(&mut h, "新增清单条目");
    pick(&mut h, "清单", "制度措施清单");
    pick(&mut h, "清单责任单位", &unit);
    common::set_field(&mut h, "清单内容", "建立消防通道巡查制度");
    common::click(&mut h, "保存清单条目");
    assert!(shows(&h, "建立消防通道巡查制度"));
    common::set_field(&mut h, "完成情况", "已印发");
    common::click(&mut h, "登记完成 #1");
    assert!(shows(&h, "已建立"));
    expand(&mut h, "登记举报奖励");
    common::set_field(&mut h, "举报人", "举报人A");
    common::set_field(&mut h, "举报内容", "某小区通道堵塞");
    pick(
        &mut h,
        "奖励档次",
        "安全生产违法行为或一般事故隐患（50—300元）",
    );
    common::set_field(&mut h, "奖励金额（元）", "400");
    common::click(&mut h, "保存举报奖励");
    assert!(shows(&h, "50—300 元之间（填写的是 400 元）"));
    common::set_field(&mut h, "奖励金额（元）", "300");
    common::click(&mut h, "保存举报奖励");
    common::click(&mut h, "登记发放 #1");
    assert!(shows(&h, "合计：已发放 300 元，待发放 0 元"));
}

#[test]
fn an_overdue_task_is_put_under_supervision_from_its_detail() {
    let dir = tempfile::tempdir().unwrap();
    let app = common::desk(dir.path());
    let mut h = common::harness(app);
    h.run();
    let (task, title, lead) = {
        let model = h.state().model().unwrap();
        let row = model
            .rows
            .iter()
            .find(|r| r.status == anwei_core::Status::Overdue && !r.lead_units.is_empty())
            .expect("the demo has an overdue task on 2020-09-01");
        let t = model.task(&row.id).unwrap();
        let lead = t
            .units_in(anwei_core::Role::Lead)
            .next()
            .unwrap()
            .to_owned();
        (row.id.clone(), row.title.clone(), lead)
    };
    common::open_tab(&mut h, "任务");
    h.get_by_label(&title).click();
    h.run();
    h.get_by_label("列为督办事项…").click();
    h.run();
    assert_eq!(h.state().tab(), Some(Tab::Supervision));
    // The form is open and filled in from the task; the office sets the 整改时限.
    common::set_field(&mut h, "整改时限", "2020-09-30");
    common::click(&mut h, "保存督办事项");
    let items = &h.state().model().unwrap().registers.items;
    assert_eq!(items.len(), 1, "{:?}", h.state().status().text());
    assert_eq!(items[0].source.kind, SourceKind::Task);
    assert_eq!(items[0].source.task.as_deref(), Some(task.as_str()));
    assert_eq!(items[0].unit, lead);
    assert!(items[0].source.reference.contains("项任务"));
}
