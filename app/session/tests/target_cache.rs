#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Target values computed from a register read one record at a time, kept in the store and
//! reused until the register, the date or the plugin's code changes.

use std::collections::BTreeMap;

use anwei_core::{Command, Value};
use anwei_plugin_host::PluginHost;
use anwei_session::targets::{Freshness, compute_form, compute_form_cached};
use anwei_session::{host_config, sync_sector_plans};
use anwei_store::Store;
use chrono::NaiveDate;

const FORM: &str = "coal-mining/mine-register";

fn desk(dir: &std::path::Path) -> (Store, PluginHost) {
    let store = Store::open(dir).unwrap();
    store
        .import_campaign(&anwei_exchange::demo_campaign().unwrap(), "测试员")
        .unwrap();
    let host = PluginHost::open(host_config(&store, "测试员").unwrap()).unwrap();
    assert!(sync_sector_plans(&store, &host, "测试员").errors.is_empty());
    (store, host)
}

fn mine(i: usize, group: &str) -> BTreeMap<String, Value> {
    let choice = |s: &str| Value::Choices(vec![s.to_owned()]);
    BTreeMap::from([
        ("name".to_owned(), Value::Text(format!("第{i}号煤矿"))),
        ("town".to_owned(), Value::Text("越州镇".to_owned())),
        ("ownership".to_owned(), choice("private")),
        ("status".to_owned(), choice("producing")),
        ("scale".to_owned(), choice("medium")),
        ("capacity".to_owned(), Value::Decimal(30.0 + i as f64)),
        ("gas_class".to_owned(), choice("other")),
        ("group".to_owned(), choice(group)),
        (
            "monitoring_upgraded".to_owned(),
            Value::Date("2020-06-01".to_owned()),
        ),
    ])
}

fn add(store: &Store, i: usize, group: &str, draft: bool) -> u64 {
    store
        .apply(
            &Command::AddRecord {
                form: FORM.to_owned(),
                form_version: "1.0.0".to_owned(),
                values: mine(i, group),
                draft,
            },
            "测试员",
        )
        .unwrap()
        .record
        .unwrap()
        .id
}

#[test]
fn values_are_computed_once_per_register_revision_date_and_plugin() {
    let dir = tempfile::tempdir().unwrap();
    let (store, host) = desk(dir.path());
    let day = NaiveDate::from_ymd_opt(2022, 12, 31).unwrap();
    let reader = store.record_reader();

    // An empty register: no values, nothing to send to the plugin.
    let (values, how) = compute_form_cached(&host, &reader, FORM, day).unwrap();
    assert!(values.is_empty());
    assert_eq!(how, Freshness::Computed { records: 0 });

    for i in 0..6 {
        add(&store, i, ["keep", "close", "merge_keep"][i % 3], false);
    }
    add(&store, 99, "keep", true); // a draft does not count
    let (first, how) = compute_form_cached(&host, &reader, FORM, day).unwrap();
    assert_eq!(how, Freshness::Computed { records: 6 });
    assert!(!first.is_empty());
    // The same as computing from the records in memory.
    let all = store.records(FORM).unwrap();
    assert_eq!(first, compute_form(&host, FORM, &all, day).unwrap());

    // Asked again: kept, not computed.
    let (again, how) = compute_form_cached(&host, &reader, FORM, day).unwrap();
    assert_eq!((again, how), (first.clone(), Freshness::Cached));
    // Kept across a restart of the store.
    drop(reader);
    drop(host);
    drop(store);
    let (store, host) = desk(dir.path());
    let reader = store.record_reader();
    assert_eq!(
        compute_form_cached(&host, &reader, FORM, day).unwrap().1,
        Freshness::Cached
    );

    // Another day: computed again.
    let next = day.succ_opt().unwrap();
    assert_eq!(
        compute_form_cached(&host, &reader, FORM, next).unwrap().1,
        Freshness::Computed { records: 6 }
    );
    // A change to the register (a delete): computed again, from the records that count.
    let id = store.records(FORM).unwrap()[0].id;
    store
        .apply(&Command::DeleteRecord { id }, "测试员")
        .unwrap();
    let (after, how) = compute_form_cached(&host, &reader, FORM, next).unwrap();
    assert_eq!(how, Freshness::Computed { records: 5 });
    let all = store.records(FORM).unwrap();
    assert_eq!(after, compute_form(&host, FORM, &all, next).unwrap());
}
