//! Crash safety: a writer killed with SIGKILL at a random moment loses nothing it
//! acknowledged, and the data folder always opens and checks clean.
//!
//! `CRASH_RUNS` sets the number of kill runs (default 24).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anwei_store::Store;
use rand::Rng;

const WRITER: &str = env!("CARGO_BIN_EXE_anwei-crash-writer");

/// A running writer whose stdout lines arrive on a channel; killed when dropped.
struct Writer {
    child: Child,
    lines: mpsc::Receiver<String>,
    reader: Option<JoinHandle<()>>,
    stderr: Option<JoinHandle<String>>,
}

impl Writer {
    fn spawn(data: &Path) -> Writer {
        let mut child = Command::new(WRITER)
            .arg(data)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            // A line cut off by the kill has no newline and is not an acknowledgement.
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 {
                if let Some(full) = line.strip_suffix('\n')
                    && tx.send(full.to_owned()).is_err()
                {
                    break;
                }
                line.clear();
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s);
            s
        });
        Writer {
            child,
            lines,
            reader: Some(reader),
            stderr: Some(stderr),
        }
    }

    /// Kills the writer (SIGKILL) and returns every line it printed, and its stderr.
    fn kill(mut self) -> (Vec<String>, String) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.reader.take().unwrap().join().unwrap();
        let stderr = self.stderr.take().unwrap().join().unwrap();
        (self.lines.try_iter().collect(), stderr)
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Parses `ACK <entry_id> <n>`.
fn parse_ack(line: &str) -> (u64, u64) {
    let mut parts = line.split(' ');
    assert_eq!(parts.next(), Some("ACK"), "unexpected line {line:?}");
    let id = parts.next().unwrap().parse().unwrap();
    let n = parts.next().unwrap().parse().unwrap();
    assert_eq!(parts.next(), None, "{line:?}");
    (id, n)
}

/// Opens the store and checks that every acknowledged entry is there with its text.
fn verify(data: &Path, acked: &BTreeMap<u64, String>, run: usize) {
    let store = Store::open(data).unwrap_or_else(|e| panic!("run {run}: open failed: {e}"));
    let all: BTreeMap<u64, String> = store
        .all_progress()
        .unwrap()
        .into_iter()
        .map(|e| (e.id, e.text))
        .collect();
    let missing: Vec<(&u64, &String)> = acked
        .iter()
        .filter(|(id, text)| all.get(id) != Some(text))
        .collect();
    assert_eq!(
        missing.len(),
        0,
        "run {run}: {} of {} acknowledged entries missing, e.g. {:?}",
        missing.len(),
        acked.len(),
        &missing[..missing.len().min(5)]
    );
    if let Some((&id, text)) = acked.last_key_value() {
        let entry = store.progress_entry(id).unwrap().expect("indexed");
        assert_eq!(&entry.text, text);
    }
    let report = store.check().unwrap();
    assert!(
        report.problems.is_empty(),
        "run {run}: check found {:?}",
        report.problems
    );
    assert_eq!(report.counts["progress"], all.len());
}

#[test]
fn killed_writers_lose_nothing_acknowledged() {
    let runs: usize = std::env::var("CRASH_RUNS")
        .ok()
        .map(|v| v.parse().expect("CRASH_RUNS must be a number"))
        .unwrap_or(24);
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut rng = rand::rng();
    let mut acked: BTreeMap<u64, String> = BTreeMap::new();
    let mut runs_with_acks = 0;
    let started = Instant::now();
    for run in 0..runs {
        let writer = Writer::spawn(&data);
        std::thread::sleep(Duration::from_millis(rng.random_range(30..=600)));
        let (lines, stderr) = writer.kill();
        assert!(stderr.is_empty(), "run {run}: writer stderr: {stderr}");
        if !lines.is_empty() {
            runs_with_acks += 1;
        }
        for line in &lines {
            let (id, n) = parse_ack(line);
            let text = format!("crash-{n}");
            assert!(
                acked.insert(id, text).is_none(),
                "run {run}: entry id {id} acknowledged twice"
            );
        }
        verify(&data, &acked, run);
    }
    eprintln!(
        "{runs} kill runs, {} acknowledged entries, {runs_with_acks} runs with acks, {:.1?}",
        acked.len(),
        started.elapsed()
    );
    assert!(
        runs_with_acks * 2 >= runs,
        "too few runs got as far as writing ({runs_with_acks} of {runs})"
    );
    // The final data folder opens and holds everything.
    verify(&data, &acked, runs);
    let store = Store::open(&data).unwrap();
    assert_eq!(
        store.tasks().unwrap().len(),
        anwei_exchange::demo_campaign().unwrap().tasks.len(),
        "demo imported once"
    );
    // Entries flushed but killed before their ACK was printed may be there too.
    assert!(store.all_progress().unwrap().len() >= acked.len());
}

#[test]
fn a_second_writer_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let first = Writer::spawn(&data);
    // Wait until the first writer holds the folder and has written.
    match first.lines.recv_timeout(Duration::from_secs(60)) {
        Ok(line) => assert!(line.starts_with("ACK "), "first writer printed {line:?}"),
        Err(e) => panic!("first writer never acknowledged a write: {e}"),
    }
    let second = Command::new(WRITER)
        .arg(&data)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&second.stdout),
        "LOCKED\n",
        "stderr: {}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert_eq!(second.status.code(), Some(3));
    let (lines, _) = first.kill();
    assert!(lines.iter().all(|l| l.starts_with("ACK ")), "{lines:?}");
    // With the first writer gone, a writer gets in again.
    let again = Writer::spawn(&data);
    let line = again
        .lines
        .recv_timeout(Duration::from_secs(60))
        .expect("a writer after the first is gone");
    assert!(line.starts_with("ACK "), "{line}");
    again.kill();
}
