//! `cargo bench -p anwei-print --bench vs_libreoffice`: printing as a whole process, side by
//! side with LibreOffice headless, in one run.
//!
//! The demo's reform table (57 rows) is printed N times by the `anwei` binary
//! (`anwei --data D print task-table --plan reform --out a.pdf`, on a data folder made with
//! `anwei init --demo`) and converted N times by `soffice --headless --convert-to pdf` from
//! an HTML table of the same rows, interleaved; the figures are the medians, their ratio
//! and both PDF sizes. LibreOffice runs twice per round: in its default faces (on a Debian
//! machine with no CJK face but `fonts-droid-fallback`, a sans face) and in the faces anwei
//! prints with (the bundled ones, handed to it through fontconfig), so that the sizes can be
//! compared for the same look too.
//!
//! The binary is `$ANWEI_BIN`, else `$CARGO_TARGET_DIR/release/anwei`, else
//! `target/release/anwei` of the workspace: build it first with
//! `cargo build --release -p anwei`. `BENCH_N` sets N (default 15).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anwei_core::{RowContext, StatusRules, UnitDirectory};
use anwei_print::PrintData;
use chrono::NaiveDate;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> Res<()> {
    let Some(soffice) = common::soffice() else {
        println!("skipped: `soffice` not found (apt-get install -y libreoffice-writer-nogui)");
        return Ok(());
    };
    let Some(anwei) = anwei_bin() else {
        println!(
            "skipped: no release `anwei` binary; run `cargo build --release -p anwei` first (or set ANWEI_BIN)"
        );
        return Ok(());
    };
    let n: usize = std::env::var("BENCH_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15)
        .max(1);
    println!("anwei: {}", anwei.display());

    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");
    run_ok(
        Command::new(&anwei)
            .arg("--data")
            .arg(&data)
            .args(["init", "--demo"]),
    )?;

    // The same rows as HTML for LibreOffice.
    let demo = anwei_exchange::demo_campaign()?;
    let units = UnitDirectory::new(demo.units.clone())?;
    let today = NaiveDate::from_ymd_opt(2020, 11, 20).ok_or("date")?;
    let progress = std::collections::HashMap::new();
    let rows = RowContext {
        campaign: &demo.campaign,
        plans: &demo.plans,
        units: &units,
        progress: &progress,
        rules: StatusRules::default(),
        today,
    }
    .rows(&demo.tasks);
    let pd = PrintData {
        campaign: &demo.campaign,
        plans: &demo.plans,
        tasks: &demo.tasks,
        units: &units,
        rows: &rows,
        latest: &progress,
        targets: &[],
        today,
    };
    let html = dir.path().join("reform.html");
    std::fs::write(&html, common::reform_html(&pd, &units, false))?;
    let same_dir = dir.path().join("same");
    std::fs::create_dir_all(&same_dir)?;
    let html_same = same_dir.join("reform.html");
    std::fs::write(&html_same, common::reform_html(&pd, &units, true))?;
    let fontconfig = common::fontconfig_with_bundled_faces(dir.path())?;
    let lo_out = dir.path().join("lo");
    let lo_same_out = dir.path().join("lo-same");
    std::fs::create_dir_all(&lo_out)?;
    std::fs::create_dir_all(&lo_same_out)?;
    let profile = format!("file://{}", dir.path().join("lo-profile").display());
    let ours_pdf = dir.path().join("anwei.pdf");

    let print = || -> Res<Duration> {
        let t = Instant::now();
        run_ok(
            Command::new(&anwei)
                .arg("--data")
                .arg(&data)
                .args(["print", "task-table", "--plan", "reform", "--out"])
                .arg(&ours_pdf),
        )?;
        Ok(t.elapsed())
    };
    let convert = |html: &Path, out: &Path, same_faces: bool| -> Res<Duration> {
        let mut cmd = Command::new(soffice);
        cmd.arg(format!("-env:UserInstallation={profile}"))
            .args([
                "--headless",
                "--convert-to",
                "pdf:writer_web_pdf_Export",
                "--outdir",
            ])
            .arg(out)
            .arg(html);
        if same_faces {
            cmd.env("FONTCONFIG_FILE", &fontconfig);
        }
        let t = Instant::now();
        run_ok(&mut cmd)?;
        Ok(t.elapsed())
    };

    // Warm-up: LibreOffice creates its profile, both get the files into the page cache.
    let first_ours = print()?;
    let first_lo = convert(&html, &lo_out, false)?;
    convert(&html_same, &lo_same_out, true)?;
    println!(
        "first runs: anwei {:.0} ms, LibreOffice {:.0} ms (creates its profile)",
        ms(first_ours),
        ms(first_lo)
    );
    let (mut ours, mut lo, mut lo_same) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..n {
        ours.push(print()?);
        lo.push(convert(&html, &lo_out, false)?);
        lo_same.push(convert(&html_same, &lo_same_out, true)?);
    }
    let (m_ours, m_lo, m_same) = (median(&mut ours), median(&mut lo), median(&mut lo_same));
    let size_ours = std::fs::metadata(&ours_pdf)?.len();
    let size_lo = std::fs::metadata(lo_out.join("reform.pdf"))?.len();
    let size_same = std::fs::metadata(lo_same_out.join("reform.pdf"))?.len();
    println!(
        "reform table (57 rows) as a process, median of {n} interleaved runs:\n  \
         anwei print task-table   {:>7.1} ms (min {:.1}), PDF {:.1} KB\n  \
         LibreOffice --convert-to {:>7.1} ms (min {:.1}), PDF {:.1} KB  (its default faces)\n  \
         LibreOffice --convert-to {:>7.1} ms (min {:.1}), PDF {:.1} KB  (anwei's faces)\n  \
         ratio LibreOffice/anwei = {:.1}×  [goal ≥ 20×]\n  \
         PDF anwei/LibreOffice = {:.2} (default faces), {:.2} (same faces)  [goal ≤ 1]",
        ms(m_ours),
        ms(ours[0]),
        size_ours as f64 / 1024.0,
        ms(m_lo),
        ms(lo[0]),
        size_lo as f64 / 1024.0,
        ms(m_same),
        ms(lo_same[0]),
        size_same as f64 / 1024.0,
        m_lo.as_secs_f64() / m_ours.as_secs_f64(),
        size_ours as f64 / size_lo as f64,
        size_ours as f64 / size_same as f64,
    );
    for (who, pdf) in [
        ("anwei", ours_pdf.clone()),
        ("LibreOffice (default faces)", lo_out.join("reform.pdf")),
        (
            "LibreOffice (anwei's faces)",
            lo_same_out.join("reform.pdf"),
        ),
    ] {
        let pdf = pdf.as_path();
        if let Some(fonts) = pdffonts(pdf) {
            println!("fonts embedded by {who}:\n{fonts}");
        }
    }
    Ok(())
}

fn anwei_bin() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("ANWEI_BIN").map(PathBuf::from),
        std::env::var_os("CARGO_TARGET_DIR").map(|d| PathBuf::from(d).join("release/anwei")),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/release/anwei")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

fn run_ok(cmd: &mut Command) -> Res<()> {
    let out = cmd.output()?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed: {}{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        )
        .into());
    }
    Ok(())
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `pdffonts` output (poppler-utils), when installed.
fn pdffonts(pdf: &Path) -> Option<String> {
    let out = Command::new("pdffonts").arg(pdf).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
