//! Shared fixtures: the demo campaign with task rows, the bundled fonts, poppler tools.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use anwei_core::{CampaignData, RowContext, StatusRules, TaskRow, UnitDirectory};
use anwei_print::{Fonts, PdfOptions, PrintData};
use chrono::NaiveDate;

pub struct Demo {
    pub data: CampaignData,
    pub units: UnitDirectory,
    pub rows: Vec<TaskRow>,
    pub today: NaiveDate,
}

impl Demo {
    pub fn print_data(&self) -> PrintData<'_> {
        PrintData {
            campaign: &self.data.campaign,
            plans: &self.data.plans,
            tasks: &self.data.tasks,
            units: &self.units,
            rows: &self.rows,
            today: self.today,
        }
    }
}

/// The demo campaign seen on 2020-11-20 (many tasks overdue by then).
pub fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let data = anwei_exchange::demo_campaign().unwrap();
        let units = UnitDirectory::new(data.units.clone()).unwrap();
        let today = NaiveDate::from_ymd_opt(2020, 11, 20).unwrap();
        let progress = HashMap::new();
        let rows = RowContext {
            campaign: &data.campaign,
            plans: &data.plans,
            units: &units,
            progress: &progress,
            rules: StatusRules::default(),
            today,
        }
        .rows(&data.tasks);
        Demo {
            data,
            units,
            rows,
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
