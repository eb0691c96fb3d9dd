//! The grep-able invariants of `ARCHITECTURE.md`, checked over the sources: only the store
//! names sled, only the plugin host names wasmtime, no WIT type outside the plugin host, the
//! core does no I/O and reads no clock, and every file the desk writes goes through the one
//! atomic write of `app/files`. Comments are not code: lines starting with `//` are skipped,
//! and so is the `#[cfg(test)]` module at the end of a file.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Every file under `dir` ending in `ext`, skipping build output.
fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in read.filter_map(Result::ok) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                files(&path, ext, out);
            }
        } else if name.ends_with(ext) {
            out.push(path);
        }
    }
}

/// The crate folders of the desk (`app/*`, `tests`), by name.
fn crates() -> Vec<(String, PathBuf)> {
    let root = workspace();
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(root.join("app"))
        .map(|r| {
            r.filter_map(Result::ok)
                .map(|e| (format!("app/{}", e.file_name().to_string_lossy()), e.path()))
                .filter(|(_, p)| p.join("Cargo.toml").is_file())
                .collect()
        })
        .unwrap_or_default();
    out.push(("tests".to_owned(), root.join("tests")));
    out.sort();
    out
}

/// Code lines (not comments, not the `#[cfg(test)]` module at the end of a file) of the Rust
/// files of `dir` that contain any of `needles`: "file:line: text".
fn code_lines(dir: &Path, needles: &[&str]) -> Vec<String> {
    let mut rs = Vec::new();
    files(dir, ".rs", &mut rs);
    let mut hits = Vec::new();
    for file in rs {
        // This file names what it looks for.
        if file.ends_with("tests/tests/invariants.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let code = line.trim_start();
            // The test module at the end of a file (not any item marked `#[cfg(test)]`).
            if code.starts_with("#[cfg(test)]")
                && lines[i + 1..]
                    .iter()
                    .map(|l| l.trim_start())
                    .find(|l| !l.is_empty() && !l.starts_with("#["))
                    .is_some_and(|l| l.starts_with("mod ") || l.starts_with("pub mod "))
            {
                break;
            }
            if code.starts_with("//") {
                continue;
            }
            if needles.iter().any(|n| code.contains(n)) {
                hits.push(format!("{}:{}: {}", file.display(), i + 1, code));
            }
        }
    }
    hits
}

/// The dependency names of a crate's `Cargo.toml` (every dependency table).
fn dependencies(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).unwrap_or_default();
    let mut in_deps = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            // `[dependencies.sled]` names one dependency as a table.
            let header = line.trim_matches(|c| c == '[' || c == ']');
            if let Some((table, name)) = header.rsplit_once('.')
                && table.ends_with("dependencies")
            {
                out.push(name.trim().to_owned());
                in_deps = false;
            } else {
                in_deps = header.ends_with("dependencies");
            }
            continue;
        }
        if in_deps && let Some((name, _)) = line.split_once('=') {
            let name = name.trim().split('.').next().unwrap_or_default().trim();
            if !name.is_empty() && !name.starts_with('#') {
                out.push(name.to_owned());
            }
        }
    }
    out
}

/// The crates (other than `owner`) whose manifest names `dep` or whose code names `needles`.
fn users_besides(owner: &str, dep: &str, needles: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for (name, dir) in crates() {
        if name == owner {
            continue;
        }
        if dependencies(&dir.join("Cargo.toml"))
            .iter()
            .any(|d| d == dep)
        {
            out.push(format!("{name}/Cargo.toml names {dep}"));
        }
        out.extend(code_lines(&dir, needles));
    }
    out
}

#[test]
fn only_the_store_names_sled() {
    let found = users_besides("app/store", "sled", &["sled::", "use sled"]);
    assert!(
        found.is_empty(),
        "sled outside app/store:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_plugin_host_names_wasmtime() {
    let found = users_besides(
        "app/plugin-host",
        "wasmtime",
        &["wasmtime::", "use wasmtime"],
    );
    assert!(
        found.is_empty(),
        "wasmtime outside app/plugin-host:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_wit_type_outside_the_plugin_host() {
    let mut found = Vec::new();
    for (name, dir) in crates() {
        if name == "app/plugin-host" {
            continue;
        }
        found.extend(code_lines(
            &dir,
            &["wit::", "::wit}", "::wit,", "::wit;", "bindgen!"],
        ));
    }
    assert!(
        found.is_empty(),
        "WIT types outside app/plugin-host:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_core_does_no_io_and_reads_no_clock() {
    let core = workspace().join("app/core");
    let found = code_lines(
        &core.join("src"),
        &[
            "std::fs",
            "std::net",
            "std::process",
            "std::env",
            "std::io::",
            "File::",
            "::now(",
            "Local::",
            "egui",
            "sled",
            "wasmtime",
            "thread::spawn",
        ],
    );
    // Grouped imports: `use std::{fs, io::Write}`.
    let grouped: Vec<String> = code_lines(&core.join("src"), &["use std::{"])
        .into_iter()
        .filter(|l| {
            ["fs", "net", "process", "env", "io", "time", "thread"]
                .iter()
                .any(|m| l.contains(&format!("{{{m}")) || l.contains(&format!(" {m}")))
        })
        .collect();
    assert!(
        grouped.is_empty(),
        "I/O in app/core:\n{}",
        grouped.join("\n")
    );
    assert!(found.is_empty(), "I/O in app/core:\n{}", found.join("\n"));
    // sha2 and hex: pure functions (an issued notice is named by its PDF's SHA-256).
    let allowed = ["chrono", "serde", "serde_json", "thiserror", "sha2", "hex"];
    let deps: Vec<String> = dependencies(&core.join("Cargo.toml"))
        .into_iter()
        .filter(|d| !allowed.contains(&d.as_str()))
        .collect();
    assert!(deps.is_empty(), "app/core depends on {deps:?}");
}

#[test]
fn the_checks_see_the_code_they_check() {
    // A walk that found nothing would pass every check above.
    assert!(crates().len() >= 9, "{:?}", crates());
    assert!(!code_lines(&workspace().join("app/store"), &["sled::"]).is_empty());
    assert!(!code_lines(&workspace().join("app/plugin-host"), &["wasmtime::"]).is_empty());
    assert!(dependencies(&workspace().join("app/store/Cargo.toml")).contains(&"sled".to_owned()));
    assert!(!code_lines(&workspace().join("app/plugin-host"), &["wit::"]).is_empty());
    assert!(!code_lines(&workspace().join("app/core/src"), &["use std::"]).is_empty());
    // The WIT bindings are private to the host: the module is not public.
    let lib =
        std::fs::read_to_string(workspace().join("app/plugin-host/src/lib.rs")).unwrap_or_default();
    assert!(
        lib.lines()
            .any(|l| l.trim() == "pub(crate) mod wit;" || l.trim() == "mod wit;"),
        "app/plugin-host/src/lib.rs should declare the wit module private"
    );
    assert!(!lib.lines().any(|l| l.trim() == "pub mod wit;"));
}

#[test]
fn every_file_the_desk_writes_goes_through_the_one_atomic_write() {
    // The build script of the built-in plugins writes build output, and `tests/` holds test
    // programs: neither is the desk writing a user's file.
    let mut found = Vec::new();
    for (name, dir) in crates() {
        if ["app/files", "app/builtin-plugins", "tests"].contains(&name.as_str()) {
            continue;
        }
        found.extend(code_lines(
            &dir.join("src"),
            &[
                "persist(",
                "persist_noclobber",
                "NamedTempFile",
                "tempfile::Builder",
                "fs::write(",
                "File::create(",
                "File::options(",
                "OpenOptions",
                "fs::copy(",
            ],
        ));
    }
    // The two files that open a file for writing without `anwei_files`, and why: the lock
    // file is opened (never written), and a restore unpacks evidence into its staging folder,
    // which is renamed into place as a whole.
    let allowed = [
        ("app/store/src/open.rs", "OpenOptions"),
        ("app/store/src/backup/restore.rs", "File::options("),
    ];
    found.retain(|hit| {
        !allowed
            .iter()
            .any(|(file, what)| hit.contains(file) && hit.contains(what))
    });
    assert!(
        found.is_empty(),
        "files written outside anwei_files:\n{}",
        found.join("\n")
    );
    assert!(!code_lines(&workspace().join("app/files/src"), &["persist("]).is_empty());
}
