//! Cross-checks against the source documents in `../shared/seeds/` (independent reference
//! data on development and CI machines). The product's own content lives in `assets/`; these
//! tests prove it matches the seeds and that every deadline form of the seeds parses.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use anwei_core::deadline::{Precision, parse_deadline};
use anwei_exchange::{DEMO_REFORM_TABLE, demo_campaign, demo_reform_campaign, parse_cell_table};
use chrono::NaiveDate;

fn seed(prefix: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let entry = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("seed folder {} missing: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("seed {prefix} missing"));
    std::fs::read_to_string(entry).unwrap()
}

#[test]
fn seed_004_import_counts() {
    let table = parse_cell_table(&seed("004_")).unwrap();
    assert_eq!(table.rows.len(), 57);
    assert_eq!(table.header, ["序号", "主要任务", "牵头单位", "完成时间"]);
    assert_eq!(
        table.title.as_deref(),
        Some("推进安全生产领域改革发展重点任务分工方案")
    );
    let mentions: usize = table.rows.iter().map(|r| r.units.len()).sum();
    assert_eq!(mentions, 181);
    let distinct: HashSet<&str> = table
        .rows
        .iter()
        .flat_map(|r| r.units.iter().map(String::as_str))
        .collect();
    assert_eq!(distinct.len(), 39);
    let anjian = table
        .rows
        .iter()
        .filter(|r| r.units.iter().any(|u| u == "市安监局"))
        .count();
    assert_eq!(anjian, 52);
    let mut deadlines: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &table.rows {
        *deadlines.entry(r.deadline.as_str()).or_default() += 1;
    }
    assert_eq!(
        deadlines,
        BTreeMap::from([
            ("2018年", 47),
            ("2019年", 3),
            ("2019年6月", 1),
            ("2020年", 6)
        ])
    );
    // Edge cases of the extraction: row 14 wraps, row 48 ends in "、".
    assert_eq!(table.rows[13].units.len(), 5);
    assert_eq!(table.rows[47].units, ["市安监局", "市财政局"]);
    assert_eq!(table.rows[34].units.len(), 10);
    assert_eq!(table.rows[33].units.len(), 11);
}

#[test]
fn bundled_reform_table_is_the_seed_table() {
    let seed = seed("004_");
    assert!(
        seed.starts_with(DEMO_REFORM_TABLE.trim_end()),
        "assets/demo/reform-004.txt must be seed 004's table"
    );
    let from_seed = parse_cell_table(&seed).unwrap();
    let bundled = parse_cell_table(DEMO_REFORM_TABLE).unwrap();
    assert_eq!(from_seed, bundled);
    let demo = demo_reform_campaign().unwrap();
    let reform: Vec<_> = demo.tasks.iter().filter(|t| t.plan == "reform").collect();
    assert_eq!(reform.len(), from_seed.rows.len());
    for (task, row) in reform.iter().zip(&from_seed.rows) {
        assert_eq!(task.text, row.task);
        assert_eq!(task.deadlines[0].text, row.deadline);
    }
    let row36 = &reform[35];
    assert!(
        row36
            .text
            .starts_with("明确辖区内重大隐患（包括无主隐患）整改治理主体责任")
    );
}

/// Every deadline phrase found in seeds 001 and 004 parses, with the precision its wording says.
#[test]
fn every_deadline_form_in_the_seeds_parses() {
    let re = regex::Regex::new(r"(20\d\d) ?年(\d{1,2}月(\d{1,2}日?)?)?(底|内|末)?前?|\d{1,2}月\d{1,2}日?前|每(旬|月|季度|半年|年)").unwrap();
    let mut forms: HashMap<String, Precision> = HashMap::new();
    for text in [seed("001_"), seed("004_")] {
        for m in re.find_iter(&text) {
            let phrase = m.as_str();
            let parsed =
                parse_deadline(phrase, Some(2020)).unwrap_or_else(|e| panic!("{phrase}: {e}"));
            let expected = if phrase.starts_with('每') {
                Precision::Recurring
            } else if phrase.contains('日') || phrase.ends_with("30前") {
                Precision::Day
            } else if phrase.contains('月') {
                Precision::Month
            } else {
                Precision::Year
            };
            assert_eq!(parsed.precision, expected, "{phrase}");
            forms.insert(phrase.to_owned(), parsed.precision);
        }
    }
    assert!(
        forms.len() >= 35,
        "found only {} distinct forms",
        forms.len()
    );
    // The day-precise deadlines of seed 001 (seed-analysis §6.2).
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
    for (phrase, due) in [
        ("2020年8月15日前", d(2020, 8, 15)),
        ("2020年9月20日前", d(2020, 9, 20)),
        ("2020年6月30日前", d(2020, 6, 30)),
        ("2020年12月30前", d(2020, 12, 30)),
        ("2020年12月31日前", d(2020, 12, 31)),
        ("2022 年底前", d(2022, 12, 31)),
    ] {
        assert!(forms.contains_key(phrase), "{phrase} is in the seeds");
        assert_eq!(parse_deadline(phrase, None).unwrap().due, due, "{phrase}");
    }
}

/// The demo's 附件1 and 附件2 tasks are seed 001's text, word for word.
#[test]
fn demo_topics_are_seed_001_verbatim() {
    let lines: Vec<String> = seed("001_").lines().map(str::to_owned).collect();
    let joined = |from: usize, to: usize| -> String { lines[from - 1..to].concat() };
    let topic1 = joined(5, 50);
    let topic2 = joined(51, 97);
    let demo = demo_campaign().unwrap();
    for t in &demo.tasks {
        let source = match t.plan.as_str() {
            "topic-1" => &topic1,
            "topic-2" => &topic2,
            _ => continue,
        };
        assert!(source.contains(&t.title), "{} title", t.id);
        assert!(source.contains(&t.text), "{} text", t.id);
        if let Some(rt) = &t.roles_text
            && t.plan == "topic-1"
        {
            assert!(source.contains(rt.as_str()), "{} roles", t.id);
        }
    }
    let labels: Vec<&str> = demo
        .tasks
        .iter()
        .filter(|t| t.plan == "topic-1")
        .map(|t| t.label.as_str())
        .collect();
    assert_eq!(labels.len(), 21);
    assert_eq!(
        labels,
        [
            "(一)1", "(一)2", "(一)3", "(一)4", "(一)5", "(二)1", "(二)2", "(三)1", "(三)2",
            "(三)3", "(四)1", "(四)2", "(四)3", "(四)4", "(四)6", "(五)1", "(五)2", "(六)1",
            "(六)2", "(六)3", "(六)4"
        ]
    );
}

/// The 专题's targets: each is on its line of seed 001 in its words, belongs to a task of
/// its plan, and those fed by progress count that task; `topic_targets.py --check` writes
/// the bundled file as it is.
#[test]
fn demo_topic_targets_are_on_their_seed_lines() {
    let lines: Vec<String> = seed("001_").lines().map(str::to_owned).collect();
    let demo = demo_campaign().unwrap();
    let of = |plan: &str| demo.targets.iter().filter(|t| t.plan == plan).count();
    assert_eq!((of("topic-1"), of("topic-2")), (23, 18));
    let mut fed = 0;
    for t in &demo.targets {
        let (from, to) = match t.plan.as_str() {
            "topic-1" => (5, 50),
            "topic-2" => (51, 97),
            other => panic!("target {} of plan {other}", t.id),
        };
        assert!(t.id.starts_with(&format!("{}/", t.plan)), "{}", t.id);
        assert!(!t.source.refs.is_empty(), "{} has no source line", t.id);
        for r in &t.source.refs {
            let line = r.line as usize;
            assert!((from..=to).contains(&line), "{}: line {line}", t.id);
            assert!(lines[line - 1].contains(&r.quote), "{}: {}", t.id, r.quote);
        }
        let label = t.source.task.as_deref().unwrap();
        let task = demo
            .tasks
            .iter()
            .find(|x| x.plan == t.plan && x.label == label)
            .unwrap_or_else(|| panic!("{}: no task {label}", t.id));
        if let Some(p) = &t.progress_of {
            assert_eq!(p, &task.id, "{}", t.id);
            fed += 1;
        }
        assert!(t.computed_from.is_none());
    }
    assert_eq!(fed, 8);
    let recurring: Vec<&str> = demo
        .targets
        .iter()
        .filter(|t| t.source.period.is_some())
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(recurring.len(), 9, "{recurring:?}");

    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/topic_targets.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg("--check")
        .output()
        .unwrap_or_else(|e| panic!("python3 {}: {e}", script.display()));
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A 专题 target file that names a task its plan lacks, or an unknown feed, is refused.
#[test]
fn a_topic_target_of_an_unknown_task_or_feed_is_refused() {
    let demo = demo_campaign().unwrap();
    let file = |task: &str, feed: &str| {
        format!(
            r#"{{"format": 1, "plans": {{"topic-1": [{{"id": "x", "name": "n", "unit": "次",
            "comparator": "at_least", "checkpoints": [{{"year": 2020, "value": 1}}],
            "task": "{task}", "feed": "{feed}"}}]}}}}"#
        )
    };
    let e = anwei_exchange::demo::load_topic_targets(&file("(九)9", "hand"), &demo).unwrap_err();
    assert!(e.to_string().contains("没有任务“(九)9”"), "{e}");
    let e = anwei_exchange::demo::load_topic_targets(&file("(一)1", "guess"), &demo).unwrap_err();
    assert!(e.to_string().contains("guess"), "{e}");
    let ok = anwei_exchange::demo::load_topic_targets(&file("(一)1", "progress"), &demo).unwrap();
    assert_eq!(ok[0].progress_of.as_deref(), Some("topic-1/1"));
}
