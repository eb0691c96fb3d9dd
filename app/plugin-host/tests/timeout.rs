//! An infinite loop is stopped once it has used 200 ms of CPU time (checked at every 5 ms
//! epoch tick), and the host answers the next request. Its own test binary, so sibling tests
//! do not compete for the 2 cores while it is timed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use anwei_core::FormRecord;
use anwei_plugin_host::FaultKind;
use common::{hostile_host, record_of};

fn record() -> FormRecord {
    record_of(1, [])
}

#[test]
fn infinite_loop_is_stopped_within_250ms_and_the_host_answers_the_next_request() {
    let (_dir, host) = hostile_host();
    // Warm: one good call first.
    assert!(
        host.validate("test-hostile", "ok", &record(), "2021-01-01")
            .unwrap()
            .is_empty()
    );
    let start = Instant::now();
    let cpu = cpu_time::ThreadTime::now();
    let err = host
        .validate("test-hostile", "loop", &record(), "2021-01-01")
        .unwrap_err();
    // The plugin runs on this thread: its CPU time is the plugin's work.
    let used = cpu.elapsed();
    let took = start.elapsed();
    eprintln!("infinite loop stopped after {used:?} of CPU time ({took:?} on the clock)");
    let (kind, msg) = (err.fault_kind().unwrap(), err.to_string());
    assert_eq!(kind, FaultKind::Timeout, "{msg}");
    assert!(used >= Duration::from_millis(195), "used {used:?}");
    assert!(used < Duration::from_millis(250), "used {used:?}");
    assert!(msg.contains("测试插件"), "{msg}");
    // The next request on the same plugin works (fresh store per call).
    assert!(
        host.validate("test-hostile", "ok", &record(), "2021-01-01")
            .unwrap()
            .is_empty()
    );
    // And another plugin is unaffected.
    let issues = host
        .validate("coal-mining", "mine-register", &record(), "2021-01-01")
        .unwrap();
    assert!(!issues.is_empty());
}
