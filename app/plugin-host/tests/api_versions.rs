//! Plugins of every 1.x API version run: a plugin built against 1.0.0 (no `summarize`) is
//! loaded beside 1.1 ones and computes a large register in one call.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anwei_core::Value;
use anwei_plugin_host::SUMMARY_BATCH;
use common::{install, open, record_of};

#[test]
fn a_plugin_of_api_1_0_computes_a_large_register_in_one_call() {
    let dir = tempfile::tempdir().unwrap();
    let host = open(dir.path(), None, true);
    install(&host, "api-1-0");
    let info = host
        .list()
        .into_iter()
        .find(|p| p.sector_id == "test-api10")
        .expect("the 1.0 plugin is loaded");
    assert_eq!(info.api_version, "1.0.0");

    let mut feed = host.record_feed("test-api10", "count").unwrap();
    let n = SUMMARY_BATCH + 1;
    for i in 0..n {
        feed.push(&record_of(0, [("n", Value::Integer(i as i64))]));
        if feed.wants_summary() {
            // It has no `summarize`: the feed keeps every record.
            host.summarize_feed(&mut feed, "2022-12-31").unwrap();
        }
    }
    assert_eq!(feed.batches(), 0);
    assert_eq!(feed.len(), n);
    let values = host.compute_feed(feed, "2022-12-31").unwrap();
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].target_id, "records");
    // Its `compute` got all the records at once.
    assert_eq!(values[0].value, n as f64);
}
