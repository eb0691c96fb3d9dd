//! Printing to a printer through the system's print service: CUPS's own commands (`lpstat`,
//! `lpoptions`, `lp`), run with `LC_ALL=C` so that their answers read the same everywhere.
//! A machine without CUPS (or without a printer) is told so in Chinese, and the caller offers
//! to save the PDF instead.
//!
//! The commands are looked up on `PATH`, or in [`Cups::bin_dir`] when set (tests put stand-ins
//! there).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Why printing to a printer did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrinterError {
    #[error(
        "本机没有可用的打印服务（CUPS 的 lp/lpstat 命令），无法直接打印；请先保存为 PDF，再用其他程序打印"
    )]
    NoService,
    #[error("本机没有可用的打印机；请先在系统设置中添加打印机，或保存为 PDF")]
    NoPrinters,
    #[error("没有名为“{name}”的打印机（现有：{known}）")]
    UnknownPrinter { name: String, known: String },
    #[error("打印份数应为 1–{max} 份，收到 {copies} 份")]
    Copies { copies: u32, max: u32 },
    #[error("打印失败：{0}")]
    Failed(String),
}

/// The most copies one print asks for.
pub const MAX_COPIES: u32 = 99;

/// The printers the print service offers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Printers {
    pub names: Vec<String>,
    /// The system's default printer, when one is set.
    pub default: Option<String>,
}

/// One print job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintRequest {
    /// `None`: the default printer.
    pub printer: Option<String>,
    pub copies: u32,
    /// Both sides of the sheet (long edge), where the printer can.
    pub duplex: bool,
}

impl PrintRequest {
    /// How a job sent to the print service is reported: "已送打印机 办公室：2 份，双面（作业
    /// 办公室-3）".
    pub fn sent_text(&self, job: &str) -> String {
        format!(
            "已送打印机 {}：{} 份{}（作业 {job}）",
            self.printer.as_deref().unwrap_or("（默认）"),
            self.copies,
            if self.duplex { "，双面" } else { "" }
        )
    }
}

/// Where the print service's commands are.
#[derive(Debug, Clone, Default)]
pub struct Cups {
    /// A folder holding `lp`, `lpstat` and `lpoptions`; `None`: found on `PATH`.
    pub bin_dir: Option<PathBuf>,
}

impl Cups {
    fn run(&self, program: &str, args: &[&str]) -> Result<Output, PrinterError> {
        let path = match &self.bin_dir {
            Some(dir) => dir.join(program),
            None => PathBuf::from(program),
        };
        Command::new(path)
            .args(args)
            .env("LC_ALL", "C")
            .output()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                    PrinterError::NoService
                }
                _ => PrinterError::Failed(format!("无法运行 {program}：{e}")),
            })
    }

    /// The printers, and the default one.
    pub fn printers(&self) -> Result<Printers, PrinterError> {
        let listed = self.run("lpstat", &["-e"])?;
        let names: Vec<String> = String::from_utf8_lossy(&listed.stdout)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        let default = self.run("lpstat", &["-d"]).ok().and_then(|out| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .find_map(|l| l.split_once("system default destination:"))
                .map(|(_, name)| name.trim().to_owned())
                .filter(|n| names.contains(n))
        });
        Ok(Printers { names, default })
    }

    /// Whether `printer` prints on both sides (its options offer duplex).
    pub fn duplex(&self, printer: &str) -> bool {
        self.run("lpoptions", &["-p", printer, "-l"])
            .map(|out| {
                String::from_utf8_lossy(&out.stdout).lines().any(|l| {
                    let (name, values) = l.split_once(':').unwrap_or((l, ""));
                    (name.starts_with("Duplex") || name.starts_with("sides"))
                        && (values.contains("DuplexNoTumble") || values.contains("two-sided"))
                })
            })
            .unwrap_or(false)
    }

    /// Sends the PDF `bytes` to the printer: written to a temporary file (named after
    /// `label`) that the print service copies into its spool before `lp` returns, then
    /// removed. Returns the job id.
    pub fn print_pdf(
        &self,
        bytes: &[u8],
        label: &str,
        request: &PrintRequest,
    ) -> Result<String, PrinterError> {
        let safe: String = label
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let spool =
            std::env::temp_dir().join(format!("anwei-print-{}-{safe}.pdf", std::process::id()));
        crate::pdf::write_pdf_file(&spool, bytes)
            .map_err(|e| PrinterError::Failed(format!("临时文件未能写入（{e}）")))?;
        let sent = self.print(&spool, request);
        let _ = std::fs::remove_file(&spool);
        sent
    }

    /// Sends `pdf` to the printer; returns the print service's job id (e.g. "办公室-12").
    pub fn print(&self, pdf: &Path, request: &PrintRequest) -> Result<String, PrinterError> {
        if request.copies == 0 || request.copies > MAX_COPIES {
            return Err(PrinterError::Copies {
                copies: request.copies,
                max: MAX_COPIES,
            });
        }
        let printers = self.printers()?;
        if printers.names.is_empty() {
            return Err(PrinterError::NoPrinters);
        }
        let printer = match &request.printer {
            Some(name) if printers.names.contains(name) => name.clone(),
            Some(name) => {
                return Err(PrinterError::UnknownPrinter {
                    name: name.clone(),
                    known: printers.names.join("、"),
                });
            }
            None => printers.default.clone().ok_or_else(|| {
                PrinterError::Failed(format!(
                    "没有设置默认打印机，请指定一台（现有：{}）",
                    printers.names.join("、")
                ))
            })?,
        };
        let copies = request.copies.to_string();
        let sides = if request.duplex && self.duplex(&printer) {
            "sides=two-sided-long-edge"
        } else {
            "sides=one-sided"
        };
        let file = pdf.to_string_lossy();
        let out = self.run(
            "lp",
            &[
                "-d",
                &printer,
                "-n",
                &copies,
                "-o",
                sides,
                "-o",
                "media=A4",
                "-o",
                "print-scaling=none",
                "--",
                &file,
            ],
        )?;
        let said = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            return Err(PrinterError::Failed(format!(
                "打印服务拒绝了这份文件（{}）",
                err.trim().trim_start_matches("lp: ")
            )));
        }
        // "request id is 办公室-12 (1 file(s))"
        Ok(said
            .split_once("request id is ")
            .map(|(_, rest)| rest.split_whitespace().next().unwrap_or("").to_owned())
            .unwrap_or_default())
    }
}
