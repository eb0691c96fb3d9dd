//! The built-in sector plugins at realistic sizes: cold compile of every built-in (one at a
//! time, and the host opening with all of them on an empty code cache), and `compute` over
//! 100 000 records of each sector's main ledger, the records generated from the form's own
//! fields (every choice, flag, number and date of the inputs in rotation), computed as the
//! desk does (a `RecordFeed` pushed record by record, then `compute_feed`; a register its
//! plugin summarizes is read in two halves side by side and summarized batch by batch).
//!
//! `cargo bench -p anwei-plugin-host --bench sectors` (release); `SECTORS_RECORDS=N` for
//! another register size. Targets: host open with all built-ins cold < 2 s; compute ≤ 1 s.
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// The allocator the program uses (`app/anwei/src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "common/records.rs"]
mod records;

use std::time::{Duration, Instant};

use anwei_core::FormRecord;
use anwei_plugin_host::{HostConfig, PluginHost, Runtime};

/// Each sector's main ledger.
const LEDGERS: [(&str, &str); 10] = [
    ("coal-mining", "mine-register"),
    ("hazardous-chemicals", "hazchem-enterprise"),
    ("non-coal-mines", "mine-register"),
    ("hazardous-waste", "hw-storage"),
    ("dust-explosion", "dust-enterprise"),
    ("fire", "small-venue"),
    ("roads", "key-vehicle"),
    ("waterways", "fishing-vessel"),
    ("construction", "hazard-list"),
    ("industrial-parks", "park-enterprise"),
];

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Record `i` of `form` (id `i + 1`).
fn record(form: &anwei_plugin_host::description::Form, i: usize) -> FormRecord {
    FormRecord::new(i as u64 + 1, form.id.clone(), "1", records::values(form, i))
}

/// The day the targets are computed for.
const AS_OF: &str = "2021-06-30";

/// `records` pushed into `feed`, each full batch handed to the plugin's `summarize`, the
/// feed flushed at the end (as `session::targets::read_part`).
fn push_batched(
    host: &PluginHost,
    mut feed: anwei_plugin_host::RecordFeed,
    records: &[FormRecord],
) -> anwei_plugin_host::RecordFeed {
    for r in records {
        feed.push(r);
        if feed.wants_summary() {
            host.summarize_feed(&mut feed, AS_OF).unwrap();
        }
    }
    host.flush_feed(&mut feed, AS_OF).unwrap();
    feed
}

fn main() {
    let n: usize = std::env::var("SECTORS_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let builtins: Vec<_> = anwei_builtin_plugins::builtins().collect();
    println!("sector plugins: {} built in", builtins.len());
    let mut total = Duration::ZERO;
    for (name, bytes) in &builtins {
        let t = Instant::now();
        Runtime::new(None).unwrap().compile(bytes).unwrap();
        total += t.elapsed();
        println!(
            "  cold compile {name} ({} KB): {:.0} ms",
            bytes.len() / 1024,
            ms(t.elapsed())
        );
    }
    println!("  cold compile, one after the other: {:.0} ms", ms(total));
    let t = Instant::now();
    let rt = Runtime::new(None).unwrap();
    std::thread::scope(|s| {
        for (_, bytes) in &builtins {
            let rt = &rt;
            s.spawn(move || rt.compile(bytes).unwrap());
        }
    });
    println!(
        "  cold compile, all at once on {} threads: {:.0} ms",
        builtins.len(),
        ms(t.elapsed())
    );
    let opens: Vec<Duration> = (0..3)
        .map(|_| {
            let dir = tempfile::tempdir().unwrap();
            let t = Instant::now();
            let host = PluginHost::open(HostConfig::new(dir.path())).unwrap();
            let took = t.elapsed();
            assert_eq!(host.list().len(), builtins.len());
            took
        })
        .collect();
    println!(
        "  host open with every built-in, empty code cache (median of 3): {:.0} ms \
         (each opened from its description snapshot, compiled later)",
        ms(median(opens))
    );
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let mut config = HostConfig::new(dir.path());
    config.background_compile = true;
    let host = PluginHost::open(config).unwrap();
    let opened = t.elapsed();
    while !builtins
        .iter()
        .all(|(n, _)| host.plugin(n).unwrap().is_compiled())
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    println!(
        "  as the desk opens it (empty code cache): open {:.0} ms, every built-in compiled \
         in the background {:.0} ms after",
        ms(opened),
        ms(t.elapsed() - opened)
    );
    let dir = tempfile::tempdir().unwrap();
    let host = PluginHost::open(HostConfig::new(dir.path())).unwrap();
    let t = Instant::now();
    let (first, _) = builtins[0];
    let d = host.describe(first).unwrap();
    host.record_feed(first, &d.forms[0].id).unwrap();
    println!(
        "  first call to {first} after a cold open (it compiles): {:.0} ms",
        ms(t.elapsed())
    );
    drop(host);

    let dir = tempfile::tempdir().unwrap();
    // As the desk opens it: with its compiled-code cache.
    let config = || {
        let mut c = HostConfig::new(dir.path());
        c.code_cache = Some(anwei_plugin_host::CodeCache {
            dir: dir.path().join("cache"),
            key_file: dir.path().join("key").join("code-cache.key"),
        });
        c
    };
    let host = PluginHost::open(config()).unwrap();
    let warm: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let h = PluginHost::open(config()).unwrap();
            assert_eq!(h.list().len(), builtins.len());
            t.elapsed()
        })
        .collect();
    println!(
        "  host open with every built-in, warm code cache (median of 5): {:.0} ms",
        ms(median(warm))
    );
    println!("compute over {n} records of each main ledger (as the desk: feed, then compute)");
    let only = std::env::var("SECTORS_ONLY").ok();
    for (sector, form_id) in LEDGERS {
        if only.as_deref().is_some_and(|o| o != sector) {
            continue;
        }
        let d = host.describe(sector).unwrap();
        let form = d.forms.iter().find(|f| f.id == form_id).unwrap();
        let records: Vec<FormRecord> = (0..n).map(|i| record(form, i)).collect();
        let mut runs = Vec::new();
        let mut feeds = Vec::new();
        let mut values = 0;
        let mut batched = false;
        for _ in 0..3 {
            let t = Instant::now();
            let mut feed = host.record_feed(sector, form_id).unwrap();
            if host.feed_summarizes(&mut feed, AS_OF).unwrap() {
                // As the desk reads a large register its plugin summarizes: two halves side
                // by side, each handed to the plugin batch by batch (`session::targets`).
                batched = true;
                let (first, second) = records.split_at(records.len() / 2);
                let mut other = host.record_feed(sector, form_id).unwrap();
                assert!(host.feed_summarizes(&mut other, AS_OF).unwrap());
                let (mut a, b) = std::thread::scope(|s| {
                    let later = s.spawn(|| push_batched(&host, other, second));
                    let a = push_batched(&host, feed, first);
                    (a, later.join().unwrap())
                });
                a.append(b).unwrap();
                feed = a;
            } else {
                for r in &records {
                    feed.push(r);
                }
            }
            feeds.push(t.elapsed());
            let v = host.compute_feed(feed, AS_OF).unwrap();
            runs.push(t.elapsed());
            values = v.len();
        }
        println!(
            "  {sector}/{form_id}: {:.0} ms (median of 3; feeding the records {:.0} ms{}), \
             {values} values",
            ms(median(runs)),
            ms(median(feeds)),
            if batched {
                ", summarized batch by batch in two halves"
            } else {
                ""
            }
        );
    }
}
