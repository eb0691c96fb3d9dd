//! The built-in sector plugins against their content and the seed: each plugin's plan, targets,
//! details (API 1.2) and units arrive in the desk's campaign data whole, and each content
//! file is what its extraction script makes of seed 001.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use anwei_core::target::figure;
use anwei_core::{CampaignData, Comparator, Target, UnitKind};
use anwei_plugin_host::PluginHost;
use serde_json::Value as Json;

/// The sector plugins built into the desk, with the attachment and task count of seed 001.
const SECTORS: [(&str, &str, usize); 10] = [
    ("coal-mining", "附件4", 32),
    ("hazardous-chemicals", "附件3", 21),
    ("non-coal-mines", "附件5", 14),
    ("hazardous-waste", "附件11", 4),
    ("dust-explosion", "附件12", 8),
    ("fire", "附件6", 24),
    ("roads", "附件7", 16),
    ("waterways", "附件8", 32),
    ("construction", "附件9", 23),
    ("industrial-parks", "附件10", 24),
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn content(sector: &str, file: &str) -> Json {
    let path = repo()
        .join("plugins")
        .join(sector)
        .join("content")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn seed() -> PathBuf {
    repo().join("../shared/seeds/001_a1dd519a45aa6056.txt")
}

fn host() -> (tempfile::TempDir, std::sync::Arc<PluginHost>) {
    let dir = tempfile::tempdir().unwrap();
    let host = common::open(dir.path(), None, false);
    (dir, host)
}

fn merged(host: &PluginHost) -> CampaignData {
    let mut data = anwei_exchange::demo::demo_campaign().unwrap();
    host.merge_into(&mut data).unwrap();
    data
}

fn s(j: &Json) -> &str {
    j.as_str().unwrap_or("")
}

fn comparator(name: &str) -> Comparator {
    match name {
        "reach" => Comparator::Reach,
        "at_least" => Comparator::AtLeast,
        "at_most" => Comparator::AtMost,
        "decrease_by" => Comparator::DecreaseBy,
        "about" => Comparator::About,
        "between" => Comparator::Between,
        "zero" => Comparator::Zero,
        "full_coverage" => Comparator::FullCoverage,
        other => panic!("comparator {other}"),
    }
}

#[test]
fn every_sector_plugin_is_built_in_and_describes_its_attachment() {
    let (_d, host) = host();
    for (sector, code, tasks) in SECTORS {
        let d = host
            .describe(sector)
            .unwrap_or_else(|e| panic!("{sector}: {e}"));
        assert_eq!(d.identity.sector_id, sector);
        assert_eq!(d.plan.code, code, "{sector}");
        assert_eq!(d.plan.tasks.len(), tasks, "{sector}");
        let plan = content(sector, "plan.json");
        let labels: Vec<&str> = d.plan.tasks.iter().map(|t| t.label.as_str()).collect();
        let want: Vec<&str> = plan["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| s(&t["label"]))
            .collect();
        assert_eq!(labels, want, "{sector}");
        assert_eq!(
            d.targets.len(),
            plan["targets"].as_array().unwrap().len(),
            "{sector}"
        );
        assert!(!d.forms.is_empty(), "{sector} has forms");
    }
}

/// Everything plan.json says of a target arrives in the desk's target: comparator (左右,
/// ranges, 清零, 全覆盖 included), tolerance, every checkpoint with its due date and upper end,
/// baseline, the source lines, the task, the note and the period.
#[test]
fn every_target_arrives_whole_with_its_seed_line() {
    let (_d, host) = host();
    let data = merged(&host);
    for (sector, ..) in SECTORS {
        let plan = content(sector, "plan.json");
        for t in plan["targets"].as_array().unwrap() {
            let id = format!("{sector}/{}", s(&t["id"]));
            let got: &Target = data
                .targets
                .iter()
                .find(|x| x.id == id)
                .unwrap_or_else(|| panic!("{id} missing"));
            assert_eq!(got.name, s(&t["name"]), "{id}");
            assert_eq!(got.unit, s(&t["unit"]), "{id}");
            assert_eq!(got.comparator, comparator(s(&t["comparator"])), "{id}");
            assert_eq!(got.tolerance, t["tolerance"].as_f64(), "{id}");
            let cps = t["checkpoints"].as_array().unwrap();
            assert_eq!(got.checkpoints.len(), cps.len(), "{id}");
            for (c, want) in got.checkpoints.iter().zip(cps) {
                assert_eq!(i64::from(c.year), want["year"].as_i64().unwrap(), "{id}");
                assert_eq!(c.value, want["value"].as_f64().unwrap(), "{id}");
                assert_eq!(c.upper, want["upper"].as_f64(), "{id}");
                assert_eq!(
                    c.due.map(|d| d.to_string()),
                    want["due"].as_str().map(str::to_owned),
                    "{id}"
                );
            }
            assert_eq!(
                got.baseline.as_ref().map(|b| i64::from(b.year)),
                t["baseline"]["year"].as_i64(),
                "{id}"
            );
            assert_eq!(
                got.computed_from,
                t["form"].as_str().map(|f| format!("{sector}/{f}")),
                "{id}"
            );
            let line = t["line"]
                .as_u64()
                .unwrap_or_else(|| panic!("{id} has no line"));
            assert_eq!(u64::from(got.source.refs[0].line), line, "{id}");
            assert_eq!(got.source.refs[0].quote, s(&t["quote"]), "{id}");
            let also = t["also"].as_array().map_or(0, Vec::len);
            assert_eq!(got.source.refs.len(), 1 + also, "{id}");
            assert_eq!(got.source.task.as_deref(), t["task"].as_str(), "{id}");
            assert_eq!(got.source.note.as_deref(), t["note"].as_str(), "{id}");
            assert_eq!(got.source.period.is_some(), t["period"].is_string(), "{id}");
        }
    }
}

/// The numbers written in `words` (arabic figures, and 一…十).
fn numbers_in(words: &str) -> Vec<f64> {
    let mut out = Vec::new();
    let mut digits = String::new();
    for c in words.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '.' && !digits.is_empty()) {
            digits.push(c);
            continue;
        }
        if let Ok(v) = digits.trim_end_matches('.').parse::<f64>() {
            out.push(v);
        }
        digits.clear();
        if let Some(v) = "零一二三四五六七八九十".chars().position(|n| n == c) {
            out.push(v as f64);
        }
        if c == '两' {
            out.push(2.0);
        }
    }
    out
}

/// Whether `value` is written in `words`, or is the sum of figures written there (a running
/// total: "2020年新增2个…2021年新增1个" → 3 by 2021).
fn grounded(value: f64, words: &str) -> bool {
    let numbers = numbers_in(words);
    let n = numbers.len().min(12);
    (1..(1u32 << n)).any(|mask| {
        let sum: f64 = (0..n)
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| numbers[i])
            .sum();
        (sum - value).abs() < 1e-9
    })
}

/// The figure a target states is in the words it quotes from the seed ("达到100%" for 100,
/// "不少于5人" for 5), or is what the words imply without a figure: one (a document to make,
/// a duty done once a period) or 100% (a thing to be completed everywhere). No figure is
/// made up.
#[test]
fn every_figure_a_target_states_is_in_its_seed_words() {
    let mut missing = Vec::new();
    for (sector, ..) in SECTORS {
        let plan = content(sector, "plan.json");
        for t in plan["targets"].as_array().unwrap() {
            let comparator = s(&t["comparator"]);
            if matches!(comparator, "zero" | "full_coverage") {
                continue;
            }
            let mut words = s(&t["quote"]).to_owned();
            for a in t["also"].as_array().into_iter().flatten() {
                words.push('；');
                words.push_str(s(&a["quote"]));
            }
            let implied = |v: f64| {
                v == 1.0 && matches!(comparator, "reach" | "at_least")
                    || v == 100.0 && s(&t["unit"]) == "%" && words.contains("完成")
            };
            for c in t["checkpoints"].as_array().unwrap() {
                for v in [c["value"].as_f64(), c["upper"].as_f64()]
                    .into_iter()
                    .flatten()
                {
                    if !grounded(v, &words) && !implied(v) {
                        missing.push(format!("{sector}/{} {}: {words}", s(&t["id"]), figure(v)));
                    }
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "figures not in their words:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_figure_check_catches_a_made_up_figure() {
    assert!(grounded(85.0, "达到85%以上"));
    assert!(grounded(3.0, "2020年新增2个，2021年新增1个"));
    assert!(grounded(5.0, "不得少于五人"));
    assert!(!grounded(90.0, "达到85%以上"));
    assert!(!grounded(4.0, "2020年新增2个"));
}

#[test]
fn source_notes_phase_texts_and_declared_units_reach_the_campaign() {
    let (_d, host) = host();
    let data = merged(&host);
    let directory = anwei_core::UnitDirectory::new(data.units.clone()).unwrap();
    // One body, one unit: every spelling a plan declares resolves to its unit.
    let mut split = Vec::new();
    for (sector, ..) in SECTORS {
        let plan = content(sector, "plan.json");
        let p = data.plans.iter().find(|p| p.id == sector).unwrap();
        let notes = plan["notes"].as_array().map_or(0, Vec::len);
        assert_eq!(p.annotations.notes.len(), notes, "{sector}");
        for n in &p.annotations.notes {
            for t in &n.targets {
                assert!(
                    data.targets.iter().any(|x| &x.id == t),
                    "{sector}: note on {t}"
                );
            }
            assert!(!n.lines.is_empty(), "{sector}: {}", n.text);
        }
        for ph in plan["phases"].as_array().into_iter().flatten() {
            if !s(&ph["text"]).is_empty() {
                assert_eq!(
                    p.annotations
                        .phase_text(s(&ph["name"]))
                        .map(|x| x.text.as_str()),
                    Some(s(&ph["text"])),
                    "{sector}"
                );
            }
        }
        for u in plan["units"].as_array().into_iter().flatten() {
            let unit = directory
                .resolve(s(&u["name"]))
                .unwrap_or_else(|| panic!("{sector}: {} not in the directory", u["name"]));
            for a in u["aliases"].as_array().into_iter().flatten() {
                let alias = a.as_str().unwrap_or_else(|| s(&a["name"]));
                let got = directory.resolve(alias);
                if got.map(|x| x.id.as_str()) != Some(unit.id.as_str()) {
                    split.push(format!(
                        "{sector}: {alias} should be {} but is {:?}",
                        unit.name,
                        got.map(|x| &x.name)
                    ));
                }
            }
        }
    }
    assert!(split.is_empty(), "{}", split.join("\n"));
    // Units the plans declare carry their kind (a town is 属地, a company 公司).
    let kind = |name: &str| directory.resolve(name).map(|u| u.kind);
    assert_eq!(kind("各镇、街道"), Some(UnitKind::Local));
    assert_eq!(kind("区供电局"), Some(UnitKind::Company));
}

/// Each plan's role words are the labels its annotations write, for the roles their units
/// hold: 附件6 prints 责任单位 / 区级牵头部门 / 区级责任部门 as written, 附件4 calls its lead
/// department 责任部门, and plans whose annotations label nothing have no words.
#[test]
fn each_plan_keeps_its_sources_words_for_its_roles() {
    use anwei_core::Role::{Cooperating, Lead, Responsible};
    let (_d, host) = host();
    let data = merged(&host);
    let words = |sector: &str| -> Vec<(anwei_core::Role, String)> {
        let p = data.plans.iter().find(|p| p.id == sector).unwrap();
        p.annotations
            .role_words
            .iter()
            .map(|w| (w.role, w.word.clone()))
            .collect()
    };
    let w = |list: &[(anwei_core::Role, &str)]| -> Vec<(anwei_core::Role, String)> {
        list.iter().map(|(r, s)| (*r, (*s).to_owned())).collect()
    };
    assert_eq!(
        words("fire"),
        w(&[
            (Responsible, "责任单位"),
            (Lead, "区级牵头部门"),
            (Cooperating, "区级责任部门")
        ])
    );
    assert_eq!(
        words("coal-mining"),
        w(&[
            (Responsible, "责任单位"),
            (Lead, "责任部门"),
            (Cooperating, "区级责任单位")
        ])
    );
    assert_eq!(
        words("dust-explosion"),
        w(&[
            (Lead, "牵头部门"),
            (Responsible, "责任单位"),
            (Cooperating, "责任部门")
        ])
    );
    assert_eq!(
        words("waterways"),
        w(&[(Responsible, "责任单位"), (Lead, "牵头部门")])
    );
    assert_eq!(
        words("hazardous-waste"),
        w(&[
            (Responsible, "责任单位"),
            (Lead, "牵头部门"),
            (Cooperating, "区级责任部门")
        ])
    );
    assert_eq!(words("non-coal-mines"), w(&[(Responsible, "责任单位")]));
    for unlabelled in [
        "hazardous-chemicals",
        "roads",
        "construction",
        "industrial-parks",
    ] {
        assert_eq!(words(unlabelled), [], "{unlabelled}");
    }
}

/// The content of each plugin is what `content/extract.py` makes of seed 001 today: the
/// extraction is reproducible, and every quote it keeps is on its line of the seed.
#[test]
fn each_plugins_content_is_extracted_from_the_seed() {
    let seed = seed();
    if !seed.is_file() {
        eprintln!("种子文件不在 {}：跳过提取核对", seed.display());
        return;
    }
    for (sector, ..) in SECTORS {
        let script = repo()
            .join("plugins")
            .join(sector)
            .join("content/extract.py");
        let out = std::process::Command::new("python3")
            .arg(&script)
            .arg("--check")
            .arg("--seed")
            .arg(&seed)
            .output()
            .unwrap_or_else(|e| panic!("python3 {}: {e}", script.display()));
        assert!(
            out.status.success(),
            "{sector}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[path = "../benches/common/records.rs"]
mod records;

/// A sector's register handed to its plugin in batches (`summarize`, then `combine`) gives
/// the values of one `compute` over it: for hazchem's enterprise register, whose rows of
/// 生产装置和储存设施 are columns of their own, with batches cut anywhere.
#[test]
fn the_hazchem_enterprise_register_in_batches_gives_the_values_of_one_compute() {
    const SECTOR: &str = "hazardous-chemicals";
    const FORM: &str = "hazchem-enterprise";
    let (_d, host) = host();
    let d = host.describe(SECTOR).unwrap();
    let form = d.forms.iter().find(|f| f.id == FORM).unwrap();
    let records: Vec<anwei_core::FormRecord> = (0..2_500)
        .map(|i| {
            anwei_core::FormRecord::new(
                i as u64 + 1,
                FORM,
                d.identity.version.clone(),
                records::values(form, i),
            )
        })
        .collect();
    for as_of in ["2020-08-31", "2021-06-30", "2022-12-31"] {
        let whole = host.compute(SECTOR, FORM, &records, as_of).unwrap();
        assert!(whole.len() >= 8, "{as_of}: {whole:?}");
        for every in [700, 1_000, 2_499] {
            let mut feed = host.record_feed(SECTOR, FORM).unwrap();
            for (i, r) in records.iter().enumerate() {
                feed.push(r);
                if (i + 1) % every == 0 {
                    host.summarize_feed(&mut feed, as_of).unwrap();
                }
            }
            host.flush_feed(&mut feed, as_of).unwrap();
            assert_eq!(feed.batches(), records.len().div_ceil(every), "{every}");
            let batched = host.compute_feed(feed, as_of).unwrap();
            assert_eq!(
                format!("{batched:?}"),
                format!("{whole:?}"),
                "{as_of}, {every}"
            );
        }
    }
}

/// Every plugin's hazard checklist (API 1.3) arrives whole — each category and item of its
/// plan.json, in order — and is the seed's: each item's words are on its seed line, inside
/// its attachment, and an item marked 重大 is one whose line speaks of a 重大 hazard.
#[test]
fn every_hazard_checklist_arrives_whole_in_the_seeds_words() {
    let (_d, host) = host();
    let seed = std::fs::read_to_string(seed()).unwrap();
    let lines: Vec<&str> = seed.split('\n').collect();
    let mut majors = 0;
    for (sector, _, _) in SECTORS {
        let d = host.describe(sector).unwrap();
        let plan = content(sector, "plan.json");
        let want = plan["hazards"].as_array().unwrap();
        assert!(!want.is_empty(), "{sector} lists hazard categories");
        assert_eq!(d.hazards.len(), want.len(), "{sector}");
        // The plan's source range ("种子文件001 第296–318行").
        let range: Vec<usize> = d
            .plan
            .source
            .split(['第', '–', '行'])
            .filter_map(|n| n.parse().ok())
            .collect();
        let (first, last) = (range[0], range[1]);
        for (c, w) in d.hazards.iter().zip(want) {
            assert_eq!(c.id, s(&w["id"]), "{sector}");
            assert_eq!(c.name, s(&w["name"]), "{sector}");
            assert_eq!(c.standard.as_deref(), w["standard"].as_str(), "{sector}");
            let items = w["clauses"].as_array().unwrap();
            assert_eq!(c.clauses.len(), items.len(), "{sector}/{}", c.id);
            if let Some(std) = &c.standard {
                let line = lines[c.line.unwrap() as usize - 1];
                assert!(line.contains(std.as_str()), "{sector}/{}: {std}", c.id);
            }
            for (k, i) in c.clauses.iter().zip(items) {
                assert_eq!(k.id, s(&i["id"]));
                assert_eq!(k.text, s(&i["text"]));
                assert_eq!(k.major, i["major"].as_bool().unwrap_or(false));
                let n = k.line.unwrap() as usize;
                assert!(
                    (first..=last).contains(&n),
                    "{sector}/{}/{}: line {n} outside {first}–{last}",
                    c.id,
                    k.id
                );
                assert!(
                    lines[n - 1].contains(k.text.as_str()),
                    "{sector}/{}/{}: “{}” is not on seed line {n}",
                    c.id,
                    k.id,
                    k.text
                );
                if k.major {
                    majors += 1;
                    assert!(lines[n - 1].contains("重大"), "{sector}/{}/{}", c.id, k.id);
                }
            }
        }
    }
    assert!(majors > 0, "some items are 重大事故隐患");
    // The eleventh 突出问题 of 附件5 is the 判定标准's own 重大事故隐患.
    let d = host.describe("non-coal-mines").unwrap();
    let c = d
        .hazards
        .iter()
        .find(|c| c.clauses.len() == 11)
        .expect("the eleven 突出问题 of L318");
    assert_eq!(
        c.standard.as_deref(),
        Some("《金属非金属矿山重大生产安全事故隐患判定标准(试行)》")
    );
    assert!(c.clauses[10].major && c.clauses[..10].iter().all(|k| !k.major));
}
