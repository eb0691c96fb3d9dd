#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A session's `Writer` applies commands from another thread as the acting user (read when it
//! applies), after its gate lets it through; the session's own writes are not held there.

use std::time::Duration;

use anwei_core::{Command, UnitKind};
use anwei_session::{Session, WriteGate};
use anwei_store::Store;

#[test]
fn a_writer_applies_from_another_thread_as_the_user_acting_when_it_applies() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = Session::open(dir.path()).unwrap().with_actor("测试员");
    let gate = WriteGate::closed();
    session.set_write_gate(Some(gate.clone()));
    let writer = session.writer();
    let add = Command::AddUnit {
        name: "区应急指挥中心".to_owned(),
        kind: UnitKind::default(),
        aliases: Vec::new(),
    };
    let thread = std::thread::spawn(move || writer.apply(&add));
    assert!(gate.wait_for_waiting(1, Duration::from_secs(30)));
    assert_eq!(gate.waiting(), 1);
    assert!(
        session
            .store()
            .resolve_unit("区应急指挥中心")
            .unwrap()
            .is_none()
    );

    // The session's own write (the CLI's) is not held at the gate, nor blocked by the writer
    // waiting there.
    session
        .apply(&Command::SetUserName {
            name: "甲".to_owned(),
        })
        .unwrap();
    gate.open();
    let applied = thread.join().unwrap().unwrap();
    assert_eq!(gate.waiting(), 0);
    let audit = session.store().audit(None, 1).unwrap();
    assert_eq!(audit[0].id, applied.audit_id);
    assert_eq!(audit[0].actor, "甲", "the user name set before it applied");
    drop(session);

    // Flushed: another open of the folder has it.
    let store = Store::open(dir.path()).unwrap();
    assert!(store.resolve_unit("区应急指挥中心").unwrap().is_some());
}
