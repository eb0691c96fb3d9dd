// The stand-in commands are shell scripts.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Printing through CUPS's commands, with stand-ins for `lp`, `lpstat` and `lpoptions` that
//! answer as CUPS 2.4 does and record what they were asked.

use std::path::Path;

use anwei_print::printer::{PrintRequest, PrintService, PrinterError};

/// A folder of stand-in commands: `lpstat` lists `printers` (the first the default),
/// `lpoptions` offers duplex for names containing "双面", `lp` records its arguments in
/// `lp.args` and answers with a request id.
fn cups(printers: &[&str]) -> (tempfile::TempDir, PrintService) {
    let dir = tempfile::tempdir().unwrap();
    let list: String = printers.iter().map(|p| format!("{p}\n")).collect();
    let default = printers
        .first()
        .map_or("no system default destination".to_owned(), |p| {
            format!("system default destination: {p}")
        });
    let scripts = [
        (
            "lpstat",
            format!(
                "#!/bin/sh\ncase \"$1\" in\n -e) printf '%s' '{list}' ;;\n -d) echo '{default}' ;;\nesac\n"
            ),
        ),
        (
            "lpoptions",
            "#!/bin/sh\ncase \"$2\" in\n *双面*) echo 'Duplex/Double-Sided Printing: *None DuplexNoTumble DuplexTumble' ;;\n *) echo 'PageSize/Media Size: *A4 Letter' ;;\nesac\n"
                .to_owned(),
        ),
        (
            "lp",
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\necho \"request id is $2-7 (1 file(s))\"\n",
                dir.path().join("lp.args").display()
            ),
        ),
    ];
    for (name, body) in scripts {
        let path = dir.path().join(name);
        write_script(&path, &body);
    }
    let cups = PrintService {
        bin_dir: Some(dir.path().to_path_buf()),
    };
    (dir, cups)
}

fn asked(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("lp.args"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn printers_are_listed_with_the_default() {
    let (_dir, cups) = cups(&["办公室", "二楼双面"]);
    let p = cups.printers().unwrap();
    assert_eq!(p.names, ["办公室", "二楼双面"]);
    assert_eq!(p.default.as_deref(), Some("办公室"));
    assert!(cups.duplex("二楼双面"));
    assert!(!cups.duplex("办公室"));
}

#[test]
fn a_pdf_goes_to_the_chosen_printer_with_copies_and_duplex_where_it_can() {
    let (dir, cups) = cups(&["办公室", "二楼双面"]);
    let pdf = dir.path().join("通知.pdf");
    std::fs::write(&pdf, b"%PDF-1.7").unwrap();
    let job = cups
        .print(
            &pdf,
            &PrintRequest {
                printer: Some("二楼双面".into()),
                copies: 3,
                duplex: true,
            },
        )
        .unwrap();
    assert_eq!(job, "二楼双面-7");
    let args = asked(dir.path());
    for want in [
        "-d",
        "二楼双面",
        "-n",
        "3",
        "sides=two-sided-long-edge",
        "media=A4",
    ] {
        assert!(args.iter().any(|a| a == want), "{want} in {args:?}");
    }
    assert_eq!(args.last().map(String::as_str), pdf.to_str());
    // The default printer, which cannot print on both sides: one-sided.
    cups.print(
        &pdf,
        &PrintRequest {
            printer: None,
            copies: 1,
            duplex: true,
        },
    )
    .unwrap();
    let args = asked(dir.path());
    assert!(args.iter().any(|a| a == "办公室"), "{args:?}");
    assert!(args.iter().any(|a| a == "sides=one-sided"), "{args:?}");
}

#[test]
fn no_service_no_printer_an_unknown_printer_and_bad_copies_are_said() {
    let pdf = Path::new("x.pdf");
    let one = |printer: Option<&str>, copies| PrintRequest {
        printer: printer.map(str::to_owned),
        copies,
        duplex: false,
    };
    let empty = tempfile::tempdir().unwrap();
    let none = PrintService {
        bin_dir: Some(empty.path().to_path_buf()),
    };
    let err = none.print(pdf, &one(None, 1)).unwrap_err();
    assert_eq!(err, PrinterError::NoService);
    assert!(err.to_string().contains("保存为 PDF"), "{err}");

    let (_d, no_printers) = cups(&[]);
    assert_eq!(
        no_printers.print(pdf, &one(None, 1)).unwrap_err(),
        PrinterError::NoPrinters
    );
    let (_d, office) = cups(&["办公室"]);
    let err = office.print(pdf, &one(Some("三楼"), 1)).unwrap_err();
    assert!(err.to_string().contains("现有：办公室"), "{err}");
    for copies in [0, 100] {
        assert!(matches!(
            office.print(pdf, &one(None, copies)).unwrap_err(),
            PrinterError::Copies { .. }
        ));
    }
}

/// Writes an executable script through a `sh` child. Were this process to hold the file open
/// for writing, a command another test thread forks at that moment would inherit the handle,
/// and running the script would fail with "Text file busy" (ETXTBSY) — a flake seen here.
fn write_script(path: &std::path::Path, body: &str) {
    use std::io::Write;
    let mut child = std::process::Command::new("sh")
        .args(["-c", "cat > \"$1\" && chmod 755 \"$1\"", "sh"])
        .arg(path)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success(), "{}", path.display());
}
