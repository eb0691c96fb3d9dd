//! `anwei`: the Anwei Desk window (no subcommand) and its command line for scripts.

mod campaigns_cli;
mod cli;
mod export_cli;
mod notices_cli;
mod plugins_cli;
mod records_cli;
mod records_import;
mod reports_cli;
mod supervise_cli;
mod window;

use std::process::ExitCode;

/// mimalloc instead of the system's allocator: reading a large register allocates and frees
/// small blocks at a high rate, and glibc's malloc spent a quarter of that time (1M records:
/// targets 5.7 → 4.4 s; `app/session/benches/register.rs`). Built without its transparent
/// huge pages (`no_thp`, workspace `Cargo.toml`): with them every arena it touched counted in
/// 2 MiB pages, and a backup of 100k records peaked at 130 MiB instead of 88.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Help, version and argument errors are printed in Chinese by `parse` (exit code 2 for
    // an error, as clap's).
    let args = match cli::parse() {
        Ok(args) => args,
        Err(code) => return code,
    };
    // The command line reports every problem itself, in Chinese; the libraries' diagnostic
    // log (English) is shown only when asked for with RUST_LOG. The window logs warnings.
    let default_level = if args.is_window() { "warn" } else { "off" };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level)),
        )
        .with_writer(std::io::stderr)
        .init();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            // Not `eprintln!`: with standard error closed too (`2>&1 | head`) it would panic;
            // there is nowhere left to say it, and the exit code still does.
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "错误：{}", cli::error_text(&e));
            ExitCode::FAILURE
        }
    }
}
