//! `anwei-crash-writer DATA_DIR`: the writer the crash test kills.
//!
//! Opens the store in DATA_DIR (importing the demo campaign when it is empty), then adds
//! progress entries forever, rotating over the demo tasks. After each `Store::apply` returns
//! `Ok` (the change is flushed to disk) it prints `ACK <entry_id> <n>` for the entry with text
//! `crash-<n>` and flushes stdout. When another process holds the data folder it prints
//! `LOCKED` and exits with code 3.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anwei_core::Command;
use anwei_store::{Store, StoreError};
use anyhow::Context;

const ACTOR: &str = "crash-writer";

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: anwei-crash-writer DATA_DIR");
        return ExitCode::from(2);
    };
    let store = match Store::open(&dir) {
        Ok(store) => store,
        Err(StoreError::Locked(_)) => {
            println!("LOCKED");
            let _ = std::io::stdout().flush();
            return ExitCode::from(3);
        }
        Err(e) => {
            eprintln!("anwei-crash-writer: {e}");
            return ExitCode::FAILURE;
        }
    };
    match write_forever(&store) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("anwei-crash-writer: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn write_forever(store: &Store) -> anyhow::Result<()> {
    if store.is_empty() {
        let demo = anwei_exchange::demo_campaign().context("demo campaign")?;
        store.import_campaign(&demo, ACTOR)?;
    }
    let tasks = store.tasks()?;
    anyhow::ensure!(!tasks.is_empty(), "no tasks to write progress to");
    let today = Store::today();
    let mut out = std::io::stdout().lock();
    for n in 0u64.. {
        let task = &tasks[usize::try_from(n % tasks.len() as u64)?];
        let applied = store.apply(
            &Command::AddProgress {
                milestone: None,
                task: task.id.clone(),
                date: today,
                text: format!("crash-{n}"),
                percent: Some(u8::try_from(n % 101)?),
                done: false,
                attach: Vec::new(),
            },
            ACTOR,
        )?;
        let entry = applied.entry.context("apply returned no entry")?;
        writeln!(out, "ACK {} {n}", entry.id)?;
        out.flush()?;
    }
    Ok(())
}
