//! Builds every sector plugin under `plugins/` (and, with the `fixtures` feature, the hostile
//! test plugins) for `wasm32-unknown-unknown` in a separate target dir, wraps each core module
//! into a component with `wit-component` (zero imports), and writes `builtins.rs` for
//! `include_bytes!`.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "toolchain.rs"]
mod toolchain;

struct Guest {
    /// Name in the generated list.
    name: &'static str,
    /// Workspace (or package) dir to build in, relative to the repo root.
    dir: &'static str,
    /// Package to build.
    package: &'static str,
    features: &'static str,
    fixture: bool,
}

const GUESTS: &[Guest] = &[
    Guest {
        name: "coal-mining",
        dir: "plugins",
        package: "anwei-plugin-coal-mining",
        features: "",
        fixture: false,
    },
    Guest {
        name: "hazardous-chemicals",
        dir: "plugins",
        package: "anwei-plugin-hazardous-chemicals",
        features: "",
        fixture: false,
    },
    Guest {
        name: "non-coal-mines",
        dir: "plugins",
        package: "anwei-plugin-non-coal-mines",
        features: "",
        fixture: false,
    },
    Guest {
        name: "hazardous-waste",
        dir: "plugins",
        package: "anwei-plugin-hazardous-waste",
        features: "",
        fixture: false,
    },
    Guest {
        name: "dust-explosion",
        dir: "plugins",
        package: "anwei-plugin-dust-explosion",
        features: "",
        fixture: false,
    },
    Guest {
        name: "fire",
        dir: "plugins",
        package: "anwei-plugin-fire",
        features: "",
        fixture: false,
    },
    Guest {
        name: "roads",
        dir: "plugins",
        package: "anwei-plugin-roads",
        features: "",
        fixture: false,
    },
    Guest {
        name: "waterways",
        dir: "plugins",
        package: "anwei-plugin-waterways",
        features: "",
        fixture: false,
    },
    Guest {
        name: "construction",
        dir: "plugins",
        package: "anwei-plugin-construction",
        features: "",
        fixture: false,
    },
    Guest {
        name: "industrial-parks",
        dir: "plugins",
        package: "anwei-plugin-industrial-parks",
        features: "",
        fixture: false,
    },
    Guest {
        name: "hostile",
        dir: "app/plugin-host/tests/fixtures/hostile",
        package: "anwei-plugin-hostile",
        features: "",
        fixture: true,
    },
    Guest {
        name: "hostile-v2",
        dir: "app/plugin-host/tests/fixtures/hostile",
        package: "anwei-plugin-hostile",
        features: "v2",
        fixture: true,
    },
    Guest {
        name: "hostile-bad-describe",
        dir: "app/plugin-host/tests/fixtures/hostile",
        package: "anwei-plugin-hostile",
        features: "bad-describe",
        fixture: true,
    },
    Guest {
        name: "hostile-api2",
        dir: "app/plugin-host/tests/fixtures/hostile",
        package: "anwei-plugin-hostile",
        features: "api2",
        fixture: true,
    },
    Guest {
        name: "hostile-big-plan",
        dir: "app/plugin-host/tests/fixtures/hostile",
        package: "anwei-plugin-hostile",
        features: "big-plan",
        fixture: true,
    },
    Guest {
        name: "hostile-bad-deadline",
        dir: "app/plugin-host/tests/fixtures/hostile",
        package: "anwei-plugin-hostile",
        features: "bad-deadline",
        fixture: true,
    },
    Guest {
        name: "hostile-panic-form",
        dir: "app/plugin-host/tests/fixtures/hostile",
        package: "anwei-plugin-hostile",
        features: "panic-form",
        fixture: true,
    },
    Guest {
        name: "api-1-0",
        dir: "app/plugin-host/tests/fixtures/api-1-0",
        package: "anwei-plugin-api-1-0",
        features: "",
        fixture: true,
    },
    Guest {
        name: "hostile-rtl-name",
        dir: "app/plugin-host/tests/fixtures/hostile",
        package: "anwei-plugin-hostile",
        features: "rtl-name",
        fixture: true,
    },
];

fn fail(msg: String) -> ! {
    // A build script reports errors by failing; the message is what the developer sees.
    eprintln!("{msg}");
    std::process::exit(1);
}

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| fail("找不到仓库根目录".into()));
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap_or_default());
    // OUT_DIR = <target>/<profile>/build/<pkg>/out → <target>/plugins-wasm
    let wasm_target = out_dir
        .ancestors()
        .nth(4)
        .map(|t| t.join("plugins-wasm"))
        .unwrap_or_else(|| out_dir.join("plugins-wasm"));
    let fixtures = env::var_os("CARGO_FEATURE_FIXTURES").is_some();
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());

    for dir in [
        "plugins",
        "plugin-sdk",
        "app/plugin-host/tests/fixtures/hostile",
        "app/plugin-host/tests/fixtures/api-1-0",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
    }

    let descriptions = manifest.join("descriptions");
    println!("cargo:rerun-if-changed={}", descriptions.display());
    let sources = sources_digest(&root);
    // The paths rustc writes into the code (panic locations) are the repo's and cargo's as
    // seen from any machine, not this checkout's.
    let cargo_home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let mut remap = vec![format!("--remap-path-prefix={}=/anwei", root.display())];
    if let Some(home) = &cargo_home {
        remap.push(format!("--remap-path-prefix={}=/cargo", home.display()));
    }
    let rustflags = remap.join("\x1f");

    let rustc = PathBuf::from(env::var("RUSTC").unwrap_or_else(|_| "rustc".into()));
    let rustup_toolchain = env::var("RUSTUP_TOOLCHAIN").ok();
    println!(
        "cargo:rerun-if-changed={}",
        manifest.join("toolchain.rs").display()
    );
    match toolchain::ensure_wasm_target(&rustc, Path::new("rustup"), rustup_toolchain.as_deref()) {
        Ok(toolchain::Ensured::Added) => println!(
            "cargo:warning=已为内置插件安装 Rust 目标 {}（rustup target add）",
            toolchain::WASM_TARGET
        ),
        Ok(toolchain::Ensured::AlreadyThere) => {}
        Err(message) => fail(message),
    }

    let mut list = String::from(
        "/// Plugins built as (name, component bytes, test fixture, description snapshot).\npub static BUILT: &[(&str, &[u8], bool, Option<&str>)] = &[\n",
    );
    for g in GUESTS {
        if g.fixture && !fixtures {
            continue;
        }
        let dir = root.join(g.dir);
        let mut cmd = Command::new(&cargo);
        cmd.current_dir(&dir)
            .arg("build")
            .arg("--release")
            .arg("--target=wasm32-unknown-unknown")
            .arg("-p")
            .arg(g.package)
            .arg("--target-dir")
            .arg(&wasm_target);
        if dir.join("Cargo.lock").exists() {
            cmd.arg("--locked");
        }
        if !g.features.is_empty() {
            cmd.arg("--features").arg(g.features);
        }
        // Do not leak the outer build's settings into the guest build.
        for (k, _) in env::vars_os() {
            let k = k.to_string_lossy().to_string();
            let keep = k == "CARGO_HOME" || k == "CARGO_NET_OFFLINE" || k == "CARGO_HTTP_TIMEOUT";
            if (k.starts_with("CARGO_") && !keep)
                || matches!(
                    k.as_str(),
                    "RUSTFLAGS"
                        | "RUSTC_WRAPPER"
                        | "RUSTC_WORKSPACE_WRAPPER"
                        | "MAKEFLAGS"
                        | "MFLAGS"
                        | "TARGET"
                        | "HOST"
                        | "OUT_DIR"
                        | "OPT_LEVEL"
                        | "PROFILE"
                        | "DEBUG"
                        | "NUM_JOBS"
                        | "RUSTC"
                        | "RUSTDOC"
                        | "RUSTC_LINKER"
                )
            {
                cmd.env_remove(&k);
            }
        }
        cmd.env("CARGO_ENCODED_RUSTFLAGS", &rustflags);
        let status = cmd
            .status()
            .unwrap_or_else(|e| fail(format!("无法运行 cargo：{e}")));
        if !status.success() {
            fail(format!(
                "构建插件 {} 失败（{}），见上方 cargo 的输出",
                g.name,
                dir.display()
            ));
        }
        let module_path = wasm_target
            .join("wasm32-unknown-unknown/release")
            .join(format!("{}.wasm", g.package.replace('-', "_")));
        let module = fs::read(&module_path)
            .unwrap_or_else(|e| fail(format!("读取 {} 失败：{e}", module_path.display())));
        let component = wit_component::ComponentEncoder::default()
            .module(&module)
            .and_then(|e| e.validate(true).encode())
            .unwrap_or_else(|e| fail(format!("封装插件 {} 为组件失败：{e:#}", g.name)));
        let file = out_dir.join(format!("{}.wasm", g.name));
        fs::write(&file, &component)
            .unwrap_or_else(|e| fail(format!("写入 {} 失败：{e}", file.display())));
        let snapshot = descriptions.join(format!("{}.json", g.name));
        let snapshot = if !g.fixture && snapshot.is_file() {
            format!("Some(include_str!({:?}))", snapshot.display().to_string())
        } else {
            "None".to_owned()
        };
        let _ = writeln!(
            list,
            "    ({:?}, include_bytes!({:?}), {}, {snapshot}),",
            g.name,
            file.display().to_string(),
            g.fixture
        );
    }
    list.push_str("];\n");
    let _ = writeln!(
        list,
        "/// sha256 of the plugins' sources (`plugins/`, `plugin-sdk/`) this build was made from.\npub const SOURCES_SHA256: &str = {sources:?};"
    );
    fs::write(out_dir.join("builtins.rs"), list)
        .unwrap_or_else(|e| fail(format!("写入 builtins.rs 失败：{e}")));
}

/// sha256 over the sources the built-in plugins are made from: every `.rs`, `.toml`,
/// `.json`, `.wit` and `.lock` file under `plugins/` and `plugin-sdk/` (not in `target` or
/// hidden folders), each as its path from the repo root and its text with CRLF read as LF,
/// in path order. The same checkout gives the same digest on any machine; the description
/// snapshots in `descriptions/` are for the digest they name.
fn sources_digest(root: &Path) -> String {
    use sha2::{Digest, Sha256};
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name == "target" || name == "__pycache__" {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, out);
            } else if matches!(
                path.extension().and_then(|x| x.to_str()),
                Some("rs" | "toml" | "json" | "wit" | "lock")
            ) {
                let rel = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((rel, path));
            }
        }
    }
    let mut files = Vec::new();
    for dir in ["plugins", "plugin-sdk"] {
        walk(root, &root.join(dir), &mut files);
    }
    files.sort();
    let mut h = Sha256::new();
    for (rel, path) in files {
        let bytes =
            fs::read(&path).unwrap_or_else(|e| fail(format!("读取 {} 失败：{e}", path.display())));
        let text: Vec<u8> = bytes
            .iter()
            .enumerate()
            .filter(|&(i, &b)| !(b == b'\r' && bytes.get(i + 1) == Some(&b'\n')))
            .map(|(_, &b)| b)
            .collect();
        h.update((rel.len() as u64).to_le_bytes());
        h.update(rel.as_bytes());
        h.update((text.len() as u64).to_le_bytes());
        h.update(&text);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
