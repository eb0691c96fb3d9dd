//! `cargo bench -p anwei --bench vs_libreoffice`: printing task tables as a whole process,
//! side by side with LibreOffice headless, in one run.
//!
//! Two tables of the demo data folder (`anwei init --demo`: the demo campaigns and the
//! built-in plans): 商洛市's reform plan (57 rows) and the whole 麒麟区 campaign's (every plan,
//! a spanning row per plan). Each is printed N times by the `anwei` binary (`anwei --data D
//! print task-table [--plan reform] --out a.pdf`) and converted N times by `soffice
//! --headless --convert-to pdf` from an HTML table of the same rows and columns, read from
//! the same data folder, interleaved; the figures are the medians, their ratio and the PDF
//! sizes. LibreOffice runs twice per round: in its default faces (on a Debian machine with
//! no CJK face but `fonts-droid-fallback`, a sans face) and in the faces anwei prints with
//! (the bundled ones, handed to it through fontconfig), so that sizes compare for the same
//! look too.
//!
//! The binary is `$ANWEI_BIN`, else `$CARGO_TARGET_DIR/release/anwei`, else
//! `target/release/anwei` of the workspace: build it first with
//! `cargo build --release -p anwei`. `BENCH_N` sets N (default 9).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anwei_core::{Plan, Role, Task, UnitDirectory};
use anwei_print::task_cell_text;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// One table compared: anwei's plan argument and the HTML of the same rows.
struct Case {
    name: &'static str,
    /// The campaign printed (`--campaign`).
    campaign: &'static str,
    plan: Option<&'static str>,
    rows: usize,
}

fn main() -> Res<()> {
    let Some(soffice) = soffice() else {
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
        .unwrap_or(9)
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
    // The rows as the data folder holds them (read, then the store is closed again before
    // anwei runs).
    // The demo's two campaigns: 商洛市's reform table, 麒麟区's plans.
    let (scopes, units) = {
        let store = anwei_store::Store::open(&data)?;
        let today = anwei_store::Store::today();
        let mut scopes = std::collections::HashMap::new();
        for id in ["shangluo-2018", "qilin-2020"] {
            let scope = store
                .campaign_scope(Some(id), today)?
                .ok_or("no campaign")?;
            scopes.insert(id, scope);
        }
        (scopes, store.unit_directory()?)
    };

    let fontconfig = fontconfig_with_bundled_faces(dir.path())?;
    let profile = format!("file://{}", dir.path().join("lo-profile").display());
    let cases = [
        Case {
            name: "reform",
            campaign: "shangluo-2018",
            plan: Some("reform"),
            rows: scopes["shangluo-2018"].tasks.len(),
        },
        Case {
            name: "campaign",
            campaign: "qilin-2020",
            plan: None,
            rows: scopes["qilin-2020"].tasks.len(),
        },
    ];
    for case in &cases {
        let scope = &scopes[case.campaign];
        let (campaign, plans, tasks) = (&scope.campaign.name, &scope.plans, &scope.tasks);
        let selected: Vec<&Plan> = plans
            .iter()
            .filter(|p| case.plan.is_none_or(|id| p.id == id))
            .collect();
        let html = dir.path().join(format!("{}.html", case.name));
        std::fs::write(&html, table_html(campaign, &selected, tasks, &units, false))?;
        let same_dir = dir.path().join(format!("same-{}", case.name));
        std::fs::create_dir_all(&same_dir)?;
        let html_same = same_dir.join(format!("{}.html", case.name));
        std::fs::write(
            &html_same,
            table_html(campaign, &selected, tasks, &units, true),
        )?;
        let lo_out = dir.path().join(format!("lo-{}", case.name));
        let lo_same_out = dir.path().join(format!("lo-same-{}", case.name));
        std::fs::create_dir_all(&lo_out)?;
        std::fs::create_dir_all(&lo_same_out)?;
        let ours_pdf = dir.path().join(format!("anwei-{}.pdf", case.name));

        let print = || -> Res<Duration> {
            let mut cmd = Command::new(&anwei);
            cmd.arg("--data")
                .arg(&data)
                .args(["--campaign", case.campaign, "print", "task-table"]);
            if let Some(plan) = case.plan {
                cmd.args(["--plan", plan]);
            }
            cmd.arg("--out").arg(&ours_pdf);
            let t = Instant::now();
            run_ok(&mut cmd)?;
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
            "{}: first runs: anwei {:.0} ms, LibreOffice {:.0} ms",
            case.name,
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
        let lo_pdf = lo_out.join(format!("{}.pdf", case.name));
        let lo_same_pdf = lo_same_out.join(format!("{}.pdf", case.name));
        let size = |p: &Path| -> Res<f64> { Ok(std::fs::metadata(p)?.len() as f64 / 1024.0) };
        let (s_ours, s_lo, s_same) = (size(&ours_pdf)?, size(&lo_pdf)?, size(&lo_same_pdf)?);
        println!(
            "{} table ({} rows) as a process, median of {n} interleaved runs:\n  \
             anwei print task-table   {:>7.1} ms, PDF {:>6.1} KB, {} pages\n  \
             LibreOffice --convert-to {:>7.1} ms, PDF {:>6.1} KB, {} pages  (its default faces)\n  \
             LibreOffice --convert-to {:>7.1} ms, PDF {:>6.1} KB, {} pages  (anwei's faces)\n  \
             time LibreOffice/anwei = {:.1}× (default faces), {:.1}× (same faces)\n  \
             PDF anwei/LibreOffice = {:.2} (default faces), {:.2} (same faces)",
            case.name,
            case.rows,
            ms(m_ours),
            s_ours,
            pages(&ours_pdf).unwrap_or_default(),
            ms(m_lo),
            s_lo,
            pages(&lo_pdf).unwrap_or_default(),
            ms(m_same),
            s_same,
            pages(&lo_same_pdf).unwrap_or_default(),
            m_lo.as_secs_f64() / m_ours.as_secs_f64(),
            m_same.as_secs_f64() / m_ours.as_secs_f64(),
            s_ours / s_lo,
            s_ours / s_same,
        );
    }
    Ok(())
}

/// The task table of `plans` as HTML: the rows and columns `anwei print task-table` prints
/// (序号, 主要任务, 牵头单位, 责任单位 when some task has one, 完成时间; a spanning row per
/// plan when there are several), landscape A4 with the GB/T 9704 margins. `same_faces`:
/// set in the faces anwei prints with (Zhuque Fangsong for the cells, Noto Serif CJK SC
/// Bold for the title, WenQuanYi Micro Hei for 附件 and the header), else in LibreOffice's
/// default faces.
fn table_html(
    campaign: &str,
    plans: &[&Plan],
    tasks: &[Task],
    units: &UnitDirectory,
    same_faces: bool,
) -> String {
    let faces = if same_faces {
        "td { font-family: 'Zhuque Fangsong' } h2 { font-family: 'Noto Serif CJK SC' } \
         p, th, td.span { font-family: 'WenQuanYi Micro Hei' } "
    } else {
        ""
    };
    let of = |p: &Plan| -> Vec<&Task> {
        let mut v: Vec<&Task> = tasks.iter().filter(|t| t.plan == p.id).collect();
        v.sort_by_key(|t| t.order);
        v
    };
    let responsible = [Role::Responsible, Role::Cooperating];
    let with_responsible = plans
        .iter()
        .flat_map(|p| of(p))
        .any(|t| t.roles.iter().any(|r| responsible.contains(&r.role)));
    let names = |t: &Task, roles: &[Role]| -> String {
        let mut v: Vec<&str> = Vec::new();
        for r in t.roles.iter().filter(|r| roles.contains(&r.role)) {
            let name = units.name_of(&r.unit);
            if !v.contains(&name) {
                v.push(name);
            }
        }
        v.join("、")
    };
    let title = match plans {
        [p] => p.title.clone(),
        _ => format!("{campaign}任务分工方案"),
    };
    let columns = if with_responsible { 5 } else { 4 };
    let mut html = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>@page {{ size: A4 landscape; margin: 28mm 37mm 26mm 35mm }} \
         table {{ border-collapse: collapse; width: 100% }} td, th {{ border: 1px solid black; font-size: 12pt }} \
         thead {{ display: table-header-group }} {faces}</style></head><body><p>附件</p><h2 style=\"text-align:center\">{title}</h2>\
         <table><thead><tr><th>序号</th><th>主要任务</th><th>牵头单位</th>{}<th>完成时间</th></tr></thead><tbody>",
        if with_responsible {
            "<th>责任单位</th>"
        } else {
            ""
        }
    );
    for p in plans {
        if plans.len() > 1 {
            let _ = write!(
                html,
                "<tr><td class=\"span\" colspan=\"{columns}\">{}　{}</td></tr>",
                p.code, p.title
            );
        }
        for t in of(p) {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td>",
                t.label,
                task_cell_text(t),
                names(t, &[Role::Lead])
            );
            if with_responsible {
                let _ = write!(html, "<td>{}</td>", names(t, &responsible));
            }
            let _ = write!(html, "<td>{}</td></tr>", t.deadline_text());
        }
    }
    html.push_str("</tbody></table></body></html>");
    html
}

/// `soffice` (or `libreoffice`) when installed.
fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|s| {
        Command::new(s)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// A fontconfig file that adds the bundled faces (`assets/fonts`) to the machine's, for a
/// LibreOffice that prints in anwei's faces (`FONTCONFIG_FILE`).
fn fontconfig_with_bundled_faces(scratch: &Path) -> std::io::Result<PathBuf> {
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fonts");
    let conf = scratch.join("fonts.conf");
    std::fs::write(
        &conf,
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\
             <include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include><dir>{}</dir>\
             <cachedir>{}</cachedir></fontconfig>\n",
            fonts.canonicalize()?.display(),
            scratch.join("fc-cache").display()
        ),
    )?;
    Ok(conf)
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

/// Pages of a PDF (`pdfinfo`, poppler-utils), when installed.
fn pages(pdf: &Path) -> Option<usize> {
    let out = Command::new("pdfinfo").arg(pdf).output().ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
}
