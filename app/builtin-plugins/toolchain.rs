//! The guest target of the built-in plugins on the toolchain that builds the desk.
//!
//! rustup adds the targets of `rust-toolchain.toml` only when it installs the toolchain, not
//! to a toolchain that is already there. So that `cargo run --release` works as the README
//! writes it on a machine that has never built a plugin, the build script adds the target
//! itself. Shared by `build.rs` and `tests/toolchain.rs` (`#[path]`).

use std::path::Path;
use std::process::Command;

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Whether `rustc`'s sysroot holds the guest target's standard library (`None`: rustc could
/// not be asked).
pub fn wasm_std_installed(rustc: &Path) -> Option<bool> {
    let out = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let sysroot = String::from_utf8(out.stdout).ok()?;
    let lib = Path::new(sysroot.trim()).join(format!("lib/rustlib/{WASM_TARGET}/lib"));
    Some(lib.is_dir())
}

/// What [`ensure_wasm_target`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Ensured {
    AlreadyThere,
    Added,
}

/// Adds the guest target with `rustup` (found on `PATH`) when `rustc` lacks it; `toolchain`
/// is the toolchain cargo runs under (`RUSTUP_TOOLCHAIN`). The error is the message shown to
/// the person building.
pub fn ensure_wasm_target(
    rustc: &Path,
    rustup: &Path,
    toolchain: Option<&str>,
) -> Result<Ensured, String> {
    if wasm_std_installed(rustc) != Some(false) {
        return Ok(Ensured::AlreadyThere);
    }
    let mut cmd = Command::new(rustup);
    cmd.args(["target", "add", WASM_TARGET]);
    if let Some(t) = toolchain {
        cmd.arg("--toolchain").arg(t);
    }
    match cmd.status() {
        Ok(s) if s.success() => {}
        Ok(s) => {
            return Err(format!(
                "安装 Rust 目标 {WASM_TARGET} 失败（rustup 退出码 {s}）。请检查网络后运行：rustup target add {WASM_TARGET}"
            ));
        }
        Err(e) => {
            return Err(format!(
                "缺少 Rust 目标 {WASM_TARGET}，且无法运行 rustup（{e}）。请安装 rustup 后运行：rustup target add {WASM_TARGET}"
            ));
        }
    }
    match wasm_std_installed(rustc) {
        Some(true) => Ok(Ensured::Added),
        _ => Err(format!(
            "rustup 已运行，但 {WASM_TARGET} 的标准库仍不在 rustc 的 sysroot 中；请运行：rustup target add {WASM_TARGET}"
        )),
    }
}
