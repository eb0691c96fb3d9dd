#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The supervision documents: a 督办事项's ladder documents state its facts on their day and
//! refuse what is not so; the 通报 in its series; the 考核 sheet names every deduction's
//! cause; 两个清单. Each is rendered and read back with poppler.

mod common;

use std::collections::BTreeMap;

use anwei_core::accountability::Step;
use anwei_core::assessment::{Facts, sheets};
use anwei_core::supervision::{
    Check, Circular, CircularKind, Dated, Item, Level, ListEntry, ListKind, ManualDeduction, Named,
    Registers, Source, SourceKind, StepTaken, SupervisionRules,
};
use anwei_print::{
    CircularSpec, Document, ItemLine, LetterSpec, PrintError, assessment_document,
    circular_document, list_document, render_pdf, supervision_letter,
};
use chrono::NaiveDate;
use common::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn item() -> Item {
    Item {
        id: 3,
        title: "整改城区燃气管网隐患".into(),
        source: Source {
            kind: SourceKind::Inspection,
            reference: "省安委会督导组反馈问题清单第5项".into(),
            task: None,
            milestone: None,
            hazard: None,
        },
        level: Level::City,
        unit: "u1".into(),
        supervisor: "麒麟区安委办".into(),
        acceptor: "麒麟区安委办".into(),
        opened: d("2026-03-01"),
        deadline: d("2026-06-30"),
        steps: vec![StepTaken {
            step: Step::Remind,
            date: d("2026-07-01"),
            note: "电话提醒".into(),
            document: None,
            actor: "t".into(),
        }],
        received: Some(d("2026-03-03")),
        completed: None,
        checks: vec![],
        explanations: vec![],
        closed: None,
        lookback: None,
        author: "t".into(),
        created_at: String::new(),
    }
}

fn letter(
    item: &Item,
    step: Step,
    date: &str,
    number: Option<(i32, u32)>,
) -> Result<Document, PrintError> {
    supervision_letter(
        fonts(),
        &LetterSpec {
            item,
            step,
            unit_name: "区住建局".into(),
            doc_number: number,
            doc_prefix: "麒安委办督".into(),
            issuing_office: "麒麟区安委办".into(),
            reply_by: d("2026-07-31"),
            contact: "张三，0874-3123456".into(),
            date: d(date),
            chinese_date: false,
            copy_to: vec![],
            task_text: None,
        },
    )
}

/// The PDF's text, whitespace squashed.
fn pdf_text(doc: &Document) -> String {
    let pdf = render_pdf(doc, fonts(), &options()).unwrap();
    let (_dir, path) = write_temp("doc.pdf", &pdf);
    squash(&poppler("pdftotext", &[path_str(&path), "-"]))
}

#[test]
fn a_ladder_letter_states_the_items_facts_on_its_day() {
    let i = item();
    let doc = letter(&i, Step::Letter, "2026-07-09", Some((2026, 4))).unwrap();
    let text = pdf_text(&doc);
    for want in [
        "麒安委办督〔2026〕4号",
        "督办函",
        "区住建局：",
        "根据省安委会督导组反馈问题清单第5项，2026年3月1日",
        "列为市级督办事项",
        "整改时限为2026年6月30日",
        "截至2026年7月9日，你单位已于2026年3月3日签收，尚未报告完成，已逾期9天。",
        "此前，麒麟区安委办已于2026年7月1日提醒。",
        "于2026年7月31日前整改到位",
        "逾期仍未完成的，将予以挂牌督办。",
        "联系人：张三，0874-3123456",
        "附件：督办事项详情",
        "督办经过",
    ] {
        assert!(text.contains(&squash(want)), "{want} not in {text}");
    }
    assert_eq!(doc.title, "督办函 麒安委办督〔2026〕4号");
    // A draft is marked and has no number.
    let draft = pdf_text(&letter(&i, Step::Listed, "2026-07-09", None).unwrap());
    assert!(draft.contains(&squash(anwei_print::DRAFT_MARK)), "{draft}");
    assert!(draft.contains("挂牌督办通知书"));
    assert!(draft.contains("五到位"));
    // A failed 验收 is said with its reason; nothing is said before it happened.
    let mut failed = item();
    failed.completed = Some(Dated {
        date: d("2026-07-02"),
        text: "完成".into(),
    });
    failed.checks.push(Check {
        date: d("2026-07-05"),
        passed: false,
        by: String::new(),
        note: "两处阀门未更换".into(),
    });
    let text = pdf_text(&letter(&failed, Step::Press, "2026-07-09", None).unwrap());
    assert!(
        text.contains("2026年7月5日验收未通过（两处阀门未更换）"),
        "{text}"
    );
}

#[test]
fn a_letter_that_would_not_be_true_is_refused() {
    let i = item();
    let refused = |item: &Item, step, date: &str, number| match letter(item, step, date, number) {
        Err(PrintError::NotSo(m)) => m,
        other => panic!("{:?}", other.map(|d| d.title)),
    };
    // Below the step already taken, or before its day.
    assert!(refused(&i, Step::Letter, "2026-06-30", None).contains("早于那天"));
    let mut past = item();
    past.steps[0].step = Step::Listed;
    assert!(refused(&past, Step::Letter, "2026-07-09", None).contains("不能再发"));
    // A 通报 has its own series; the 文号's year is the date's.
    assert!(refused(&i, Step::Circular, "2026-07-09", None).contains("通报"));
    assert!(refused(&i, Step::Letter, "2026-07-09", Some((2025, 1))).contains("不是同一年"));
    // Closed or awaiting 验收: nothing to press for.
    let mut closed = item();
    closed.closed = Some(d("2026-07-05"));
    assert!(refused(&closed, Step::Letter, "2026-07-09", None).contains("销号"));
    let mut done = item();
    done.completed = Some(Dated {
        date: d("2026-07-05"),
        text: "完成".into(),
    });
    assert!(refused(&done, Step::Letter, "2026-07-09", None).contains("待验收"));
    // The reply-by day after the 成文日期.
    assert!(refused(&i, Step::Letter, "2026-08-01", None).contains("办理时限"));
}

fn circular(voided: bool) -> Circular {
    Circular {
        id: 2,
        year: 2026,
        number: 17,
        date: d("2026-07-20"),
        kind: CircularKind::Progress,
        title: "关于重点任务推进滞后单位的通报".into(),
        summary: "截至7月20日，全区督办事项1项，逾期未完成1项。".into(),
        named: vec![Named {
            unit: "u1".into(),
            member: true,
            issue: "督办事项第3项逾期未完成".into(),
        }],
        follow_up: "上期通报的区交通运输局已完成整改。".into(),
        items: vec![3],
        voided: voided.then(|| anwei_core::supervision::Voided {
            date: d("2026-07-21"),
            reason: "错发".into(),
            actor: "t".into(),
        }),
        author: "t".into(),
        created_at: String::new(),
    }
}

#[test]
fn a_circular_has_its_series_number_sections_and_attachment_and_a_voided_one_says_so() {
    let c = circular(false);
    let spec = CircularSpec {
        circular: &c,
        named: vec![(
            "区住建局".into(),
            c.named[0].issue.clone(),
            Some(
                "该单位本年度已被通报2次，按照规定，年度安全生产目标责任考核时按考核分值的5%扣减。"
                    .into(),
            ),
        )],
        items: vec![ItemLine {
            title: "整改城区燃气管网隐患".into(),
            unit: "区住建局".into(),
            deadline: d("2026-06-30"),
            completion: "逾期未完成".into(),
            check: "未审核".into(),
        }],
        issuing_office: "麒麟区安委办".into(),
        recipient: "各镇（街道），区安委会各成员单位".into(),
        chinese_date: false,
    };
    let doc = circular_document(fonts(), &spec).unwrap();
    let text = pdf_text(&doc);
    for want in [
        "安全生产工作通报",
        "2026年第十七期",
        "关于重点任务推进滞后单位的通报",
        "一、总体情况",
        "二、通报事项",
        "（一）区住建局：督办事项第3项逾期未完成。该单位本年度已被通报2次",
        "三、上期问题整改情况",
        "四、有关要求",
        "附件：督办事项办理情况表",
        "逾期未完成",
    ] {
        assert!(text.contains(&squash(want)), "{want} not in {text}");
    }
    assert!(doc.pages.len() >= 2, "the 附件 on a page of its own");
    let v = circular(true);
    let voided = circular_document(
        fonts(),
        &CircularSpec {
            circular: &v,
            ..spec
        },
    )
    .unwrap();
    assert!(pdf_text(&voided).contains("已作废（错发）"));
    assert!(voided.title.ends_with("（已作废）"));
}

#[test]
fn the_assessment_sheet_lists_every_unit_and_every_deduction_with_its_cause() {
    let rules = SupervisionRules::default();
    let registers = Registers {
        circulars: vec![circular(false), {
            let mut c = circular(false);
            c.id = 3;
            c.number = 18;
            c
        }],
        deductions: vec![ManualDeduction {
            id: 1,
            year: 2026,
            unit: "u1".into(),
            item: "安全投入".into(),
            points: 2.0,
            reason: "安全投入台账不全".into(),
            withdrawn: None,
            author: "t".into(),
            created_at: String::new(),
        }],
        ..Registers::default()
    };
    let facts = Facts {
        year: 2026,
        today: d("2026-12-31"),
        rules: &rules,
        registers: &registers,
        rows: &[],
        missed_targets: &[],
    };
    let units = vec![
        ("u1".to_owned(), "区住建局".to_owned()),
        ("u2".to_owned(), "区交通运输局".to_owned()),
    ];
    let s = sheets(&facts, &units);
    let names: BTreeMap<String, String> = units.into_iter().collect();
    let doc = assessment_document(
        fonts(),
        &s,
        &names,
        &["行业插件未启动，指标未能计算".to_owned()],
        "麒麟区安委办",
        d("2027-01-05"),
        false,
    )
    .unwrap();
    let text = pdf_text(&doc);
    for want in [
        "2026年度安全生产目标责任考核结果汇总表",
        "（数据截至2026年12月31日）",
        "区住建局",
        "区交通运输局",
        "被通报2次",
        "说明：行业插件未启动，指标未能计算",
        "扣分明细",
        "安全投入台账不全",
        "2026年被通报2次（第17期、第18期）",
    ] {
        assert!(text.contains(&squash(want)), "{want} not in {text}");
    }
    // 100 − 2 (by hand) − 5 (the 通报 rule) = 93.
    assert!(text.contains("93"), "{text}");
    assert!(matches!(
        assessment_document(fonts(), &[], &names, &[], "x", d("2027-01-05"), false),
        Err(PrintError::NotSo(_))
    ));
}

#[test]
fn a_list_prints_its_entries_with_their_state_on_the_day() {
    let entry = ListEntry {
        id: 1,
        list: ListKind::Problems,
        unit: "u1".into(),
        text: "老旧小区消防通道被占用".into(),
        measures: "清理占道，设置禁停标志".into(),
        deadline: Some(d("2026-06-30")),
        tasks: vec!["fire/3".into()],
        hazards: vec![2],
        done: None,
        date: d("2026-03-01"),
        author: "t".into(),
        created_at: String::new(),
    };
    let names = BTreeMap::from([("u1".to_owned(), "区住建局".to_owned())]);
    let doc = list_document(
        fonts(),
        ListKind::Problems,
        &[&entry],
        &names,
        "麒麟区安委办",
        d("2026-07-01"),
        false,
    )
    .unwrap();
    let text = pdf_text(&doc);
    for want in [
        "问题隐患清单",
        "老旧小区消防通道被占用",
        "区住建局",
        "逾期",
        "任务fire/3、隐患#2",
    ] {
        assert!(text.contains(&squash(want)), "{want} not in {text}");
    }
    let empty = list_document(
        fonts(),
        ListKind::Measures,
        &[],
        &names,
        "麒麟区安委办",
        d("2026-07-01"),
        false,
    )
    .unwrap();
    assert!(pdf_text(&empty).contains("清单中暂无条目"));
}
