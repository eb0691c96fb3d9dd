//! Shared fixtures: the demo campaign with task rows, the bundled fonts, poppler tools.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use anwei_core::{
    CampaignData, Checkpoint, Comparator, CurrentValue, Evidence, LatestProgress, ProgressEntry,
    RowContext, StatusRules, Target, TargetScope, TaskRow, UnitDirectory, evaluate,
};
use anwei_print::{Fonts, PdfOptions, PrintData, ReportSpec, TargetLine};
use chrono::NaiveDate;

pub struct Demo {
    pub data: CampaignData,
    pub units: UnitDirectory,
    pub rows: Vec<TaskRow>,
    /// Progress entered on a few tasks (see [`demo_progress`]).
    pub progress: Vec<ProgressEntry>,
    pub latest: HashMap<String, LatestProgress>,
    /// Two targets of the reform plan, evaluated on `today`.
    pub targets: Vec<TargetLine>,
    pub today: NaiveDate,
}

/// The progress the demo fixture has entered: reform/1 half done with evidence, reform/2
/// done, topic-1's first task started, and one entry dated after `today` (not yet known).
pub fn demo_progress() -> Vec<ProgressEntry> {
    let entry = |id: u64,
                 task: &str,
                 date: (i32, u32, u32),
                 text: &str,
                 percent: Option<u8>,
                 done: bool,
                 evidence: usize| ProgressEntry {
        milestone: None,
        id,
        task: task.to_owned(),
        date: NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap(),
        text: text.to_owned(),
        percent,
        done,
        evidence: (0..evidence)
            .map(|i| Evidence {
                name: format!("佐证{i}.pdf"),
                stored: format!("{id}/{i}.pdf"),
                size: 1,
            })
            .collect(),
        author: "测试".to_owned(),
        created_at: String::new(),
        updated_at: String::new(),
        revision: 1,
    };
    vec![
        entry(
            1,
            "reform/1",
            (2020, 9, 1),
            "已召开专题会议部署",
            Some(30),
            false,
            0,
        ),
        entry(
            2,
            "reform/1",
            (2020, 11, 2),
            "已完成全区企业摸底排查，建立隐患台账",
            Some(60),
            false,
            2,
        ),
        entry(
            3,
            "reform/2",
            (2020, 10, 15),
            "制度已印发实施",
            Some(100),
            true,
            1,
        ),
        entry(4, "topic-1/1", (2020, 8, 20), "", Some(20), false, 0),
        entry(
            5,
            "topic-1/1",
            (2020, 12, 31),
            "此条进展写于报告日之后",
            Some(90),
            false,
            0,
        ),
    ]
}

/// Targets of the reform plan: one met, one short of its checkpoint.
fn demo_targets(today: NaiveDate) -> Vec<TargetLine> {
    let target = |id: &str, name: &str, unit: &str, comparator, cps: &[(i32, f64)]| Target {
        source: Default::default(),
        tolerance: None,
        id: id.to_owned(),
        plan: "reform".to_owned(),
        name: name.to_owned(),
        unit: unit.to_owned(),
        comparator,
        checkpoints: cps
            .iter()
            .map(|(year, value)| Checkpoint {
                upper: None,
                year: *year,
                value: *value,
                due: None,
            })
            .collect(),
        baseline: None,
        scope: TargetScope::District,
        computed_from: None,
        progress_of: None,
        measurements: Vec::new(),
    };
    let line = |t: Target, value: Option<(f64, (i32, u32, u32))>, towns_short: Vec<String>| {
        let current = value
            .map(|(v, (y, m, d))| CurrentValue::new(v, NaiveDate::from_ymd_opt(y, m, d).unwrap()));
        let evaluation = evaluate(&t, current, today);
        TargetLine {
            status: evaluation.status,
            target: t,
            evaluation,
            towns_short,
            not_applicable: None,
        }
    };
    vec![
        line(
            target(
                "reform/t1",
                "重点行业领域企业安全生产标准化达标率",
                "%",
                Comparator::Reach,
                &[(2020, 60.0), (2022, 100.0)],
            ),
            Some((72.5, (2020, 10, 31))),
            Vec::new(),
        ),
        line(
            target(
                "reform/t2",
                "较大以上生产安全事故起数",
                "起",
                Comparator::AtMost,
                &[(2020, 0.0)],
            ),
            Some((1.0, (2020, 11, 20))),
            Vec::new(),
        ),
        line(
            target(
                "reform/t3",
                "镇街安全监管执法人员配备率",
                "%",
                Comparator::Reach,
                &[(2021, 75.0)],
            ),
            Some((40.0, (2020, 11, 1))),
            vec!["越州镇".to_owned(), "东山镇".to_owned()],
        ),
    ]
}

impl Demo {
    pub fn print_data(&self) -> PrintData<'_> {
        PrintData {
            campaign: &self.data.campaign,
            plans: &self.data.plans,
            tasks: &self.data.tasks,
            units: &self.units,
            rows: &self.rows,
            latest: &self.latest,
            targets: &self.targets,
            today: self.today,
        }
    }

    /// A report of `plan` (or the campaign) as the desk would ask for it.
    pub fn report_spec(&self, plan: Option<&str>) -> ReportSpec {
        ReportSpec {
            plan: plan.map(str::to_owned),
            recipient: "麒麟区安全生产委员会".to_owned(),
            issuing_office: "麒麟区安全生产委员会办公室".to_owned(),
            chinese_date: false,
            target_problems: Vec::new(),
        }
    }
}

/// What the print tests print from: the demo as one campaign, 麒麟区's plans with seed 004's
/// reform table among them ([`anwei_exchange::wave1_demo`]). The desk keeps the reform table
/// in a campaign of its own; the print library prints whatever campaign it is given, and these
/// tests want 专题 plans with sections and a lead-only table side by side.
pub fn test_campaign() -> CampaignData {
    anwei_exchange::wave1_demo().unwrap()
}

/// The test campaign seen on 2020-11-20 (many tasks overdue by then).
pub fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let data = test_campaign();
        let units = UnitDirectory::new(data.units.clone()).unwrap();
        let today = NaiveDate::from_ymd_opt(2020, 11, 20).unwrap();
        let progress_entries = demo_progress();
        let mut by_task: HashMap<String, Vec<ProgressEntry>> = HashMap::new();
        for e in &progress_entries {
            by_task.entry(e.task.clone()).or_default().push(e.clone());
        }
        let latest = by_task
            .iter()
            .filter_map(|(t, es)| Some((t.clone(), LatestProgress::of(es, today)?)))
            .collect();
        let rows = RowContext {
            campaign: &data.campaign,
            plans: &data.plans,
            units: &units,
            progress: &latest,
            rules: StatusRules::default(),
            today,
            applicability: &anwei_core::Applicability::default(),

            deadlines: &Default::default(),
        }
        .rows(&data.tasks);
        Demo {
            targets: demo_targets(today),
            data,
            units,
            rows,
            progress: progress_entries,
            latest,
            today,
        }
    })
}

/// The bundled faces only, so results do not depend on the machine's fonts.
pub fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts::bundled().unwrap())
}

pub fn options() -> PdfOptions {
    PdfOptions {
        creation_date: NaiveDate::from_ymd_opt(2020, 11, 20).and_then(|d| d.and_hms_opt(9, 30, 0)),
        author: "测试".into(),
    }
}

/// Strips whitespace, which pdftotext spreads between CJK characters.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Runs a poppler-utils tool; fails (never skips) when it is not installed.
pub fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("`{tool}` could not be run ({e}): install poppler-utils (apt-get install -y poppler-utils)")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Writes bytes to a fresh temp dir; returns the dir guard and the file path.
pub fn write_temp(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    anwei_print::write_pdf_file(&path, bytes).unwrap();
    (dir, path)
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A word of `pdftotext -bbox-layout`, in mm, with its page (0-based) and page size.
#[derive(Debug, Clone)]
pub struct Word {
    pub page: usize,
    pub page_w: f32,
    pub page_h: f32,
    pub x_min: f32,
    pub y_min: f32,
    pub x_max: f32,
    pub y_max: f32,
    pub text: String,
}

fn attr(tag: &str, name: &str) -> f32 {
    let key = format!("{name}=\"");
    let start = tag.find(&key).unwrap() + key.len();
    let end = tag[start..].find('"').unwrap() + start;
    tag[start..end].parse().unwrap()
}

pub fn bbox_words(pdf: &Path) -> Vec<Word> {
    let html = poppler("pdftotext", &["-bbox-layout", path_str(pdf), "-"]);
    let pt = 25.4 / 72.0;
    let mut words = Vec::new();
    let mut page: Option<usize> = None;
    let (mut pw, mut ph) = (0.0, 0.0);
    for line in html.lines() {
        let l = line.trim();
        if l.starts_with("<page ") {
            page = Some(page.map_or(0, |p| p + 1));
            pw = attr(l, "width") * pt;
            ph = attr(l, "height") * pt;
        } else if l.starts_with("<word ") {
            let text_start = l.find('>').unwrap() + 1;
            let text_end = l.rfind("</word>").unwrap();
            words.push(Word {
                page: page.unwrap(),
                page_w: pw,
                page_h: ph,
                x_min: attr(l, "xMin") * pt,
                y_min: attr(l, "yMin") * pt,
                x_max: attr(l, "xMax") * pt,
                y_max: attr(l, "yMax") * pt,
                text: l[text_start..text_end].to_owned(),
            });
        }
    }
    words
}

/// The box (mm, from the page's top-left corner) of the ink that page `page` (0-based) of
/// `pdf` puts inside `region` (x0, y0, x1, y1 in mm), rendered by pdftoppm at 300 dpi;
/// `None` when the region is blank. Measures what prints rather than the font's boxes.
pub fn ink_box(pdf: &Path, page: usize, region: (f32, f32, f32, f32)) -> Option<[f32; 4]> {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("ink");
    let n = (page + 1).to_string();
    poppler(
        "pdftoppm",
        &[
            "-r",
            "300",
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            &n,
            "-l",
            &n,
            path_str(pdf),
            path_str(&prefix),
        ],
    );
    let file = std::fs::File::open(prefix.with_extension("png")).unwrap();
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let channels = info.color_type.samples();
    let mm_per_px = 25.4 / 300.0;
    let mut found: Option<[f32; 4]> = None;
    for y in 0..h {
        for x in 0..w {
            let v = buf[(y * w + x) * channels];
            let (xm, ym) = (x as f32 * mm_per_px, y as f32 * mm_per_px);
            if v >= 128 || xm < region.0 || xm > region.2 || ym < region.1 || ym > region.3 {
                continue;
            }
            let b = found.get_or_insert([xm, ym, xm, ym]);
            b[0] = b[0].min(xm);
            b[1] = b[1].min(ym);
            b[2] = b[2].max(xm + mm_per_px);
            b[3] = b[3].max(ym + mm_per_px);
        }
    }
    found
}
