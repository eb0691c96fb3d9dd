//! What the benches share: the demo's reform table (57 rows) as an HTML table for
//! LibreOffice, and finding `soffice`.
#![allow(dead_code)] // each bench uses part of it

use anwei_core::{Role, UnitDirectory};
use anwei_print::{PrintData, task_cell_text};

/// `soffice` (or `libreoffice`) when installed.
pub fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|s| {
        std::process::Command::new(s)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// The reform plan's task table as HTML: the same rows and columns `anwei print task-table
/// --plan reform` prints, landscape A4 with the GB/T 9704 margins. `same_faces`: set in
/// the faces anwei prints with (Noto Serif CJK SC for text and title, WenQuanYi Micro Hei
/// for 附件 and the header), else in LibreOffice's default faces.
pub fn reform_html(pd: &PrintData<'_>, units: &UnitDirectory, same_faces: bool) -> String {
    let faces = if same_faces {
        "body, td, h2 { font-family: 'Noto Serif CJK SC' } p, th { font-family: 'WenQuanYi Micro Hei' } "
    } else {
        ""
    };
    let mut html = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>@page {{ size: A4 landscape; margin: 28mm 37mm 26mm 35mm }} \
         table {{ border-collapse: collapse; width: 100% }} td, th {{ border: 1px solid black; font-size: 12pt }} \
         thead {{ display: table-header-group }} {faces}</style></head><body><p>附件</p><h2 style=\"text-align:center\">推进安全生产领域改革发展重点任务分工方案</h2>\
         <table><thead><tr><th>序号</th><th>主要任务</th><th>牵头单位</th><th>完成时间</th></tr></thead><tbody>",
    );
    for t in pd.tasks.iter().filter(|t| t.plan == "reform") {
        let lead: Vec<&str> = t.units_in(Role::Lead).map(|u| units.name_of(u)).collect();
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            t.label,
            task_cell_text(t),
            lead.join("、"),
            t.deadline_text()
        ));
    }
    html.push_str("</tbody></table></body></html>");
    html
}

/// A fontconfig file that adds the bundled faces (`assets/fonts`) to the machine's, for a
/// LibreOffice that prints in anwei's faces (`FONTCONFIG_FILE`).
pub fn fontconfig_with_bundled_faces(
    scratch: &std::path::Path,
) -> std::io::Result<std::path::PathBuf> {
    let fonts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fonts");
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
