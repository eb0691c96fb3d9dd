//! Printing to a printer through the system's print service.
//!
//! * Linux and other Unix systems: CUPS's own commands (`lpstat`, `lpoptions`, `lp`), run
//!   with `LC_ALL=C` so that their answers read the same everywhere.
//! * Windows: the printers and the default one from the spooler (winspool's
//!   `EnumPrintersW` level 4, which reads the registry and does not wait on network
//!   printers, and `GetDefaultPrinterW`); whether one prints both sides from its driver
//!   (`DeviceCapabilitiesW`). The spooler does not take a PDF itself (a PDF sent as raw data
//!   prints as garbage on an ordinary printer), so the PDF goes through SumatraPDF's
//!   documented command line (`-print-to NAME -print-settings "2x,duplexlong" -silent`),
//!   which renders its pages through the printer's driver. SumatraPDF (free, GPLv3) is run as
//!   a separate program where the user installed it, never shipped with the desk.
//!
//! A machine without a print service (or without a printer) is told so in Chinese, and the
//! caller offers to save the PDF instead. The commands are looked up where the system keeps
//! them, or in [`PrintService::bin_dir`] when set (tests put stand-ins there).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Why printing to a printer did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrinterError {
    #[cfg_attr(
        not(windows),
        error(
            "本机没有可用的打印服务（CUPS 的 lp/lpstat 命令），无法直接打印；请先保存为 PDF，再用其他程序打印"
        )
    )]
    #[cfg_attr(
        windows,
        error(
            "未找到 SumatraPDF（把 PDF 送到打印机的免费程序），无法直接打印；请安装 SumatraPDF 后重试，或先保存为 PDF，再用其他程序打印"
        )
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
        let job = if job.is_empty() {
            String::new()
        } else {
            format!("（作业 {job}）")
        };
        format!(
            "已送打印机 {}：{} 份{}{job}",
            self.printer.as_deref().unwrap_or("（默认）"),
            self.copies,
            if self.duplex { "，双面" } else { "" }
        )
    }
}

/// The system's print service: CUPS's commands on Unix, the spooler and SumatraPDF on
/// Windows.
#[derive(Debug, Clone, Default)]
pub struct PrintService {
    /// Unix: a folder holding `lp`, `lpstat` and `lpoptions`; Windows: the folder of
    /// `SumatraPDF.exe`. `None`: found where the system keeps them.
    pub bin_dir: Option<PathBuf>,
}

impl PrintService {
    /// Sends the PDF `bytes` to the printer: written to a temporary file (named after
    /// `label`) that the print service copies into its spool before it returns, then
    /// removed. Returns the job id (empty where the service names none).
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

    /// Sends `pdf` to the printer; returns the print service's job id (e.g. "办公室-12";
    /// empty where the service names none).
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
        let duplex = request.duplex && self.duplex(&printer);
        self.send(pdf, &printer, request.copies, duplex)
    }
}

#[cfg(not(windows))]
mod service {
    use std::path::{Path, PathBuf};
    use std::process::{Command, Output};

    use super::{PrintService, PrinterError, Printers};

    impl PrintService {
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

        /// `lp` of `pdf` to `printer`; the job id CUPS gives.
        pub(super) fn send(
            &self,
            pdf: &Path,
            printer: &str,
            copies: u32,
            duplex: bool,
        ) -> Result<String, PrinterError> {
            let copies = copies.to_string();
            let sides = if duplex {
                "sides=two-sided-long-edge"
            } else {
                "sides=one-sided"
            };
            let file = pdf.to_string_lossy();
            let out = self.run(
                "lp",
                &[
                    "-d",
                    printer,
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
}

/// The arguments SumatraPDF prints `pdf` with: to `printer`, `copies` copies, on both sides
/// (long edge) or explicitly one side (a driver may default to both), A4 as laid out.
/// Each is its own argument (Rust quotes them for `CommandLineToArgvW`, which SumatraPDF
/// parses its command line with).
pub fn sumatra_args(printer: &str, pdf: &Path, copies: u32, duplex: bool) -> Vec<OsString> {
    let sides = if duplex { "duplexlong" } else { "simplex" };
    vec![
        "-print-to".into(),
        printer.into(),
        "-print-settings".into(),
        format!("{copies}x,{sides},noscale,paper=A4").into(),
        "-silent".into(),
        pdf.as_os_str().to_owned(),
    ]
}

/// Where SumatraPDF may be, in the order looked at: `bin_dir`, the folders its installer
/// records (`installed`: the `InstallLocation`s of its uninstall entries), its default
/// folders under the user's and the machine's program folders (`vars`: LOCALAPPDATA,
/// ProgramFiles, ProgramW6432, ProgramFiles(x86)), then `PATH` (`path`).
pub fn sumatra_candidates(
    bin_dir: Option<&Path>,
    installed: &[PathBuf],
    vars: &[(&str, Option<OsString>)],
    path: Option<&std::ffi::OsStr>,
) -> Vec<PathBuf> {
    const EXE: &str = "SumatraPDF.exe";
    let mut out: Vec<PathBuf> = Vec::new();
    if let Some(dir) = bin_dir {
        out.push(dir.join(EXE));
    }
    out.extend(installed.iter().map(|d| d.join(EXE)));
    for (_, base) in vars {
        if let Some(base) = base {
            out.push(PathBuf::from(base).join("SumatraPDF").join(EXE));
        }
    }
    if let Some(path) = path {
        out.extend(std::env::split_paths(path).map(|d| d.join(EXE)));
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.clone()));
    out
}

#[cfg(windows)]
#[allow(unsafe_code)]
mod service {
    use std::ffi::OsString;
    use std::os::windows::ffi::{OsStrExt, OsStringExt};
    use std::path::{Path, PathBuf};

    use windows_sys::Win32::Foundation::{ERROR_INSUFFICIENT_BUFFER, GetLastError};
    use windows_sys::Win32::Graphics::Printing::{
        EnumPrintersW, GetDefaultPrinterW, PRINTER_ENUM_CONNECTIONS, PRINTER_ENUM_LOCAL,
        PRINTER_INFO_4W,
    };
    use windows_sys::Win32::Storage::Xps::{DC_DUPLEX, DeviceCapabilitiesW};
    use windows_sys::Win32::System::Registry::{
        HKEY, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, RRF_RT_REG_SZ, RRF_SUBKEY_WOW6432KEY,
        RRF_SUBKEY_WOW6464KEY, RegGetValueW,
    };

    use super::{PrintService, PrinterError, Printers, sumatra_args, sumatra_candidates};

    /// The UTF-16, NUL-terminated string at `p` (empty when null).
    ///
    /// # Safety
    /// `p` is null or points at a NUL-terminated UTF-16 string.
    unsafe fn from_wide(p: *const u16) -> String {
        if p.is_null() {
            return String::new();
        }
        let mut n = 0;
        // SAFETY: the caller promises a NUL-terminated string.
        while unsafe { *p.add(n) } != 0 {
            n += 1;
        }
        // SAFETY: the `n` units before the NUL are part of the string.
        let units = unsafe { std::slice::from_raw_parts(p, n) };
        OsString::from_wide(units).to_string_lossy().into_owned()
    }

    fn wide(s: &str) -> Vec<u16> {
        std::ffi::OsStr::new(s)
            .encode_wide()
            .chain(Some(0))
            .collect()
    }

    /// Local printers and the user's printer connections (level 4: read from the registry,
    /// no call to a print server that may not answer).
    fn list_printers() -> std::io::Result<Vec<String>> {
        let flags = PRINTER_ENUM_LOCAL | PRINTER_ENUM_CONNECTIONS;
        let (mut needed, mut returned) = (0u32, 0u32);
        // u64: aligned for the PRINTER_INFO_4W array the call writes at its start.
        let mut buf: Vec<u64> = Vec::new();
        loop {
            let bytes = u32::try_from(buf.len() * 8).unwrap_or(u32::MAX);
            let ptr = if buf.is_empty() {
                std::ptr::null_mut()
            } else {
                buf.as_mut_ptr().cast()
            };
            // SAFETY: `ptr` is null with size 0, or `bytes` writable bytes.
            let ok = unsafe {
                EnumPrintersW(
                    flags,
                    std::ptr::null(),
                    4,
                    ptr,
                    bytes,
                    &mut needed,
                    &mut returned,
                )
            };
            if ok != 0 {
                break;
            }
            // SAFETY: no preconditions.
            let err = unsafe { GetLastError() };
            if err == ERROR_INSUFFICIENT_BUFFER && needed > bytes {
                // A printer may be added between the calls: ask again with the new size.
                buf.resize((needed as usize).div_ceil(8), 0);
                continue;
            }
            return Err(std::io::Error::from_raw_os_error(err as i32));
        }
        if returned == 0 {
            return Ok(Vec::new());
        }
        // SAFETY: the call wrote `returned` PRINTER_INFO_4W at the start of `buf`, their
        // strings in the rest of it; `buf` lives until the names are copied out.
        let infos = unsafe {
            std::slice::from_raw_parts(buf.as_ptr().cast::<PRINTER_INFO_4W>(), returned as usize)
        };
        // SAFETY: each name is a NUL-terminated string inside `buf`.
        Ok(infos
            .iter()
            .map(|i| unsafe { from_wide(i.pPrinterName) })
            .collect())
    }

    /// The user's default printer; `None` when there is none.
    fn default_printer() -> Option<String> {
        let mut len = 0u32;
        // SAFETY: a null buffer with length 0 asks for the length.
        unsafe { GetDefaultPrinterW(std::ptr::null_mut(), &mut len) };
        if len == 0 {
            return None;
        }
        let mut buf = vec![0u16; len as usize];
        // SAFETY: `buf` holds `len` units.
        if unsafe { GetDefaultPrinterW(buf.as_mut_ptr(), &mut len) } == 0 {
            return None;
        }
        // SAFETY: the call wrote a NUL-terminated name into `buf`.
        Some(unsafe { from_wide(buf.as_ptr()) })
    }

    /// A `REG_SZ` value, from the registry view `view`.
    fn reg_string(root: HKEY, subkey: &str, name: &str, view: u32) -> Option<String> {
        let (k, v) = (wide(subkey), wide(name));
        let flags = RRF_RT_REG_SZ | view;
        let mut bytes = 0u32;
        // SAFETY: null data with a size pointer asks for the size.
        let st = unsafe {
            RegGetValueW(
                root,
                k.as_ptr(),
                v.as_ptr(),
                flags,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                &mut bytes,
            )
        };
        if st != 0 || bytes == 0 {
            return None;
        }
        let mut buf = vec![0u16; (bytes as usize).div_ceil(2)];
        // SAFETY: `buf` holds `bytes` bytes.
        let st = unsafe {
            RegGetValueW(
                root,
                k.as_ptr(),
                v.as_ptr(),
                flags,
                std::ptr::null_mut(),
                buf.as_mut_ptr().cast(),
                &mut bytes,
            )
        };
        // SAFETY: RRF_RT_REG_SZ values come back NUL-terminated.
        (st == 0).then(|| unsafe { from_wide(buf.as_ptr()) })
    }

    impl PrintService {
        /// The printers, and the default one.
        pub fn printers(&self) -> Result<Printers, PrinterError> {
            let names = list_printers()
                .map_err(|e| PrinterError::Failed(format!("无法列出本机的打印机（{e}）")))?;
            let default = default_printer().filter(|d| names.contains(d));
            Ok(Printers { names, default })
        }

        /// Whether `printer`'s driver prints on both sides.
        pub fn duplex(&self, printer: &str) -> bool {
            let name = wide(printer);
            // SAFETY: `name` is NUL-terminated; a null port and output ask for the value.
            let v = unsafe {
                DeviceCapabilitiesW(
                    name.as_ptr(),
                    std::ptr::null(),
                    DC_DUPLEX,
                    std::ptr::null_mut(),
                    std::ptr::null(),
                )
            };
            v == 1
        }

        /// SumatraPDF, where this service's folder, its installer or `PATH` has it.
        fn sumatra(&self) -> Option<PathBuf> {
            const UNINSTALL: &str =
                r"Software\Microsoft\Windows\CurrentVersion\Uninstall\SumatraPDF";
            let installed: Vec<PathBuf> = [
                (HKEY_CURRENT_USER, 0),
                (HKEY_LOCAL_MACHINE, RRF_SUBKEY_WOW6464KEY),
                (HKEY_LOCAL_MACHINE, RRF_SUBKEY_WOW6432KEY),
            ]
            .into_iter()
            .filter_map(|(root, view)| reg_string(root, UNINSTALL, "InstallLocation", view))
            .map(PathBuf::from)
            .collect();
            let vars: Vec<(&str, Option<OsString>)> = [
                "LOCALAPPDATA",
                "ProgramFiles",
                "ProgramW6432",
                "ProgramFiles(x86)",
            ]
            .into_iter()
            .map(|v| (v, std::env::var_os(v)))
            .collect();
            let path = std::env::var_os("PATH");
            sumatra_candidates(self.bin_dir.as_deref(), &installed, &vars, path.as_deref())
                .into_iter()
                .find(|p| p.is_file())
        }

        /// SumatraPDF prints `pdf` to `printer`; it returns once the spooler has the job.
        pub(super) fn send(
            &self,
            pdf: &Path,
            printer: &str,
            copies: u32,
            duplex: bool,
        ) -> Result<String, PrinterError> {
            use std::os::windows::process::CommandExt;
            const CREATE_NO_WINDOW: u32 = 0x0800_0000;
            let sumatra = self.sumatra().ok_or(PrinterError::NoService)?;
            let status = std::process::Command::new(&sumatra)
                .args(sumatra_args(printer, pdf, copies, duplex))
                .creation_flags(CREATE_NO_WINDOW)
                .status()
                .map_err(|e| {
                    PrinterError::Failed(format!("无法运行 {}：{e}", sumatra.display()))
                })?;
            if status.success() {
                Ok(String::new())
            } else {
                Err(PrinterError::Failed(format!(
                    "SumatraPDF 未能打印这份文件（退出码 {}）",
                    status.code().map_or("无".to_owned(), |c| c.to_string())
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::ffi::OsString;
    use std::path::{Path, PathBuf};

    use super::{PrintRequest, sumatra_args, sumatra_candidates};

    #[test]
    fn sumatra_is_asked_for_the_printer_copies_and_sides_one_argument_each() {
        let args = sumatra_args("办公室 HP", Path::new("C:/临时/通知 1.pdf"), 3, true);
        let args: Vec<String> = args.into_iter().map(|a| a.into_string().unwrap()).collect();
        assert_eq!(
            args,
            [
                "-print-to",
                "办公室 HP",
                "-print-settings",
                "3x,duplexlong,noscale,paper=A4",
                "-silent",
                "C:/临时/通知 1.pdf"
            ]
        );
        // One side is asked for explicitly: a driver may print both sides by default.
        let one = sumatra_args("P", Path::new("a.pdf"), 1, false);
        assert_eq!(one[3], OsString::from("1x,simplex,noscale,paper=A4"));
    }

    #[test]
    fn sumatra_is_looked_for_where_it_was_put_installed_or_on_the_path() {
        let path = std::env::join_paths([PathBuf::from("/p1"), PathBuf::from("/p2")]).unwrap();
        let found = sumatra_candidates(
            Some(Path::new("/chosen")),
            &[PathBuf::from("/installed")],
            &[
                ("LOCALAPPDATA", Some(OsString::from("/local"))),
                ("ProgramFiles", None),
                ("ProgramW6432", Some(OsString::from("/pf"))),
            ],
            Some(&path),
        );
        let want: Vec<PathBuf> = [
            "/chosen/SumatraPDF.exe",
            "/installed/SumatraPDF.exe",
            "/local/SumatraPDF/SumatraPDF.exe",
            "/pf/SumatraPDF/SumatraPDF.exe",
            "/p1/SumatraPDF.exe",
            "/p2/SumatraPDF.exe",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert_eq!(found, want);
        // The same folder named twice is looked at once.
        let twice = sumatra_candidates(
            None,
            &[PathBuf::from("/pf/SumatraPDF")],
            &[("ProgramFiles", Some(OsString::from("/pf")))],
            None,
        );
        assert_eq!(twice, [PathBuf::from("/pf/SumatraPDF/SumatraPDF.exe")]);
    }

    #[test]
    fn a_job_without_an_id_is_reported_without_one() {
        let r = PrintRequest {
            printer: Some("办公室".into()),
            copies: 2,
            duplex: true,
        };
        assert_eq!(
            r.sent_text("办公室-3"),
            "已送打印机 办公室：2 份，双面（作业 办公室-3）"
        );
        assert_eq!(r.sent_text(""), "已送打印机 办公室：2 份，双面");
    }
}
