//! The built-in sector plugins at realistic sizes: cold compile of every built-in (one at a
//! time, and the host opening with all of them on an empty code cache), and `compute` over
//! 100 000 records of each sector's main ledger, the records generated from the form's own
//! fields (every choice, flag, number and date of the inputs in rotation), computed as the
//! desk does (a `RecordFeed` pushed record by record, then `compute_feed`).
//!
//! `cargo bench -p anwei-plugin-host --bench sectors` (release); `SECTORS_RECORDS=N` for
//! another register size. Targets: host open with all built-ins cold < 2 s; compute ≤ 1 s.
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// The allocator the program uses (`app/anwei/src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anwei_core::{FormRecord, Value};
use anwei_plugin_host::description::FieldKind;
use anwei_plugin_host::{HostConfig, PluginHost, Runtime};

/// Each sector's main ledger.
const LEDGERS: [(&str, &str); 5] = [
    ("coal-mining", "mine-register"),
    ("hazardous-chemicals", "hazchem-enterprise"),
    ("non-coal-mines", "mine-register"),
    ("hazardous-waste", "hw-storage"),
    ("dust-explosion", "dust-enterprise"),
];

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Record `i` of a form: a value for every field, in rotation over its choices, numbers and
/// dates 2019–2023 (repeat groups get two rows).
fn record(form: &anwei_plugin_host::description::Form, i: usize) -> FormRecord {
    let mut values = BTreeMap::new();
    let mut group: Option<String> = None;
    for f in &form.fields {
        let value = match f.kind {
            FieldKind::BeginRepeat => {
                group = Some(f.name.clone());
                continue;
            }
            FieldKind::EndRepeat => {
                group = None;
                continue;
            }
            FieldKind::Note | FieldKind::Calculate => continue,
            FieldKind::SelectOne | FieldKind::SelectMany => {
                if f.choices.is_empty() {
                    continue;
                }
                let c = &f.choices[(i / 3 + f.name.len()) % f.choices.len()];
                Value::Choices(vec![c.name.clone()])
            }
            FieldKind::YesNo => Value::Flag(!(i + f.name.len()).is_multiple_of(3)),
            FieldKind::Integer => Value::Integer(((i * 7 + f.name.len()) % 40) as i64),
            FieldKind::Decimal => Value::Decimal(((i * 13) % 1000) as f64 / 10.0),
            FieldKind::Date => {
                let day = (i * 37 + f.name.len() * 11) % (5 * 365);
                let d = chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap()
                    + chrono::Days::new(day as u64);
                Value::Date(d.to_string())
            }
            FieldKind::TownRef => Value::Text(["越州镇", "潇湘街道", "茨营镇"][i % 3].into()),
            _ => Value::Text(format!("{}{i}", f.label)),
        };
        match &group {
            Some(g) => {
                for row in 0..2 {
                    values.insert(format!("{g}[{row}]/{}", f.name), value.clone());
                }
            }
            None => {
                values.insert(f.name.clone(), value);
            }
        }
    }
    FormRecord {
        id: i as u64 + 1,
        form: form.id.clone(),
        form_version: "1".into(),
        values,
        draft: false,
        deleted: false,
        author: String::new(),
        created_at: String::new(),
        updated_at: String::new(),
        revision: 1,
    }
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
        "  host open with every built-in, empty code cache (median of 3): {:.0} ms",
        ms(median(opens))
    );

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
        for _ in 0..3 {
            let t = Instant::now();
            let mut feed = host.record_feed(sector, form_id).unwrap();
            for r in &records {
                feed.push(r);
            }
            feeds.push(t.elapsed());
            let v = host.compute_feed(feed, "2021-06-30").unwrap();
            runs.push(t.elapsed());
            values = v.len();
        }
        println!(
            "  {sector}/{form_id}: {:.0} ms (median of 3; feeding the records {:.0} ms), \
             {values} values",
            ms(median(runs)),
            ms(median(feeds))
        );
    }
}
