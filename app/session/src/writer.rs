//! [`Writer`]: applies commands to the session's store from another thread (the window's
//! writes run off the UI thread), serialised with the session's own writes; [`WriteGate`]
//! holds writes back until released (tests make a write slow with it, deterministically).

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anwei_core::Command;
use anwei_store::{Applied, Store, StoreError};

/// One writer at a time: taken by every write of a session and of its [`Writer`]s (a
/// transition computes from rows read before its transaction, so two writes at once could
/// both pass a rule meant for one).
#[derive(Clone, Default)]
pub(crate) struct WriteLock(Arc<Mutex<()>>);

impl WriteLock {
    pub(crate) fn hold(&self) -> MutexGuard<'_, ()> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Applies commands to a session's store as the session's acting user, from any thread
/// ([`crate::Session::writer`]). Cheap to clone; it keeps the store open while it lives.
#[derive(Clone)]
pub struct Writer {
    pub(crate) store: Arc<Store>,
    pub(crate) fallback_actor: String,
    pub(crate) lock: WriteLock,
    pub(crate) gate: Option<WriteGate>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("root", &self.store.root())
            .field("gated", &self.gate.is_some())
            .finish()
    }
}

impl Writer {
    /// Applies `cmd` like [`crate::Session::apply`]: after the gate (if any) lets it through,
    /// under the session's write lock; when this returns `Ok`, the change is on disk. The
    /// acting user is read when the command is applied (a user name set by the command
    /// before counts).
    pub fn apply(&self, cmd: &Command) -> Result<Applied, StoreError> {
        if let Some(gate) = &self.gate {
            gate.pass();
        }
        let _one_writer = self.lock.hold();
        let actor = crate::session::actor_or(&self.store, &self.fallback_actor);
        self.store.apply(cmd, &actor)
    }

    /// The store written to.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

#[derive(Debug, Default)]
struct GateState {
    open: bool,
    /// Writes held at the gate now.
    waiting: usize,
}

/// Holds a [`Writer`]'s writes back while closed (tests: a write that takes as long as the
/// test wants). Cheap to clone; clones are the same gate.
#[derive(Clone)]
pub struct WriteGate(Arc<(Mutex<GateState>, Condvar)>);

impl std::fmt::Debug for WriteGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.state();
        f.debug_struct("WriteGate")
            .field("open", &s.open)
            .field("waiting", &s.waiting)
            .finish()
    }
}

impl WriteGate {
    /// A closed gate: writes wait at it until [`WriteGate::open`].
    pub fn closed() -> WriteGate {
        WriteGate(Arc::default())
    }

    fn state(&self) -> MutexGuard<'_, GateState> {
        self.0.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Lets the writes waiting through, and every later one until closed again.
    pub fn open(&self) {
        self.state().open = true;
        self.0.1.notify_all();
    }

    /// Holds the next writes back again.
    pub fn close(&self) {
        self.state().open = false;
    }

    /// How many writes wait at the gate now.
    pub fn waiting(&self) -> usize {
        self.state().waiting
    }

    /// Blocks until `n` writes wait at the gate, or `timeout` passed; whether they do.
    pub fn wait_for_waiting(&self, n: usize, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut s = self.state();
        while s.waiting < n {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            s = self
                .0
                .1
                .wait_timeout(s, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        true
    }

    /// Waits while the gate is closed.
    fn pass(&self) {
        let mut s = self.state();
        s.waiting += 1;
        self.0.1.notify_all();
        while !s.open {
            s = self.0.1.wait(s).unwrap_or_else(|p| p.into_inner());
        }
        s.waiting -= 1;
        self.0.1.notify_all();
    }
}
