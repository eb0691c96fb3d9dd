//! Anwei Desk plugin host — the only code that touches wasmtime.
//!
//! * [`runtime`]: wasmtime 48 component model (minimal features), epoch ticker, compiled-code
//!   cache authenticated by a per-user key ([`CodeCache`], [`cache_key`]), a fresh `Store` per
//!   call from an `InstancePre`, limits in CPU time of the plugin's own thread (validate
//!   ≤ 200 ms, describe ≤ 1 s, compute ≤ 10 s; wall-clock 20× as a last resort), 64 MiB
//!   memory, 16 MiB files.
//! * [`check`]: every value a plugin returns is checked before use.
//! * [`host`]: [`PluginHost`] — built-ins, installed packages, install/remove/enable/disable,
//!   fault counting (3 faults in 10 minutes → disabled), banners.
//! * [`package`]: `.anwpkg` packages, ed25519 keys, the office's signed trust list.
//! * `wit`: the plugin API's WIT, one adapter per major version ([`API_MAJOR`]; `since_v1`):
//!   bindgen output and every conversion between WIT and host types. Private: no WIT type
//!   leaves this crate, the public API speaks `anwei_core` types and [`Description`].
//! * [`description`]: a plugin's description as the host keeps it, whatever its API version.
//! * [`convert`]: a plugin's description as anwei_core types ([`merge_into`]).
//! * [`watch`]: notify watch of the plugins folder.
//! * [`state`]: `plugins/state.json` (atomic JSON; the store stays the only sled user).

pub mod cache_key;
pub mod check;
pub mod convert;
pub mod description;
pub mod error;
mod fsutil;
pub mod host;
pub mod package;
pub mod runtime;
pub mod state;
pub mod watch;
pub(crate) mod wit;

pub use convert::merge_into;
pub use description::Description;
pub use error::{Check, FaultKind, PluginError, Result};
pub use fsutil::read_regular;
pub use host::{
    Banner, DescriptionSnapshot, FAULT_WINDOW, FAULTS_TO_DISABLE, HostConfig, HostEvent,
    InstallOptions, Loaded, MAX_SUMMARY_BYTES, PluginHost, PluginInfo, RecordFeed, SUMMARY_BATCH,
    Source, inputs_digest, manifest_for,
};
pub use package::{
    KeyPair, Manifest, Package, Trust, TrustEntry, TrustList, build_package, public_key_from_hex,
    read_package, verify_package,
};
pub use runtime::{CodeCache, ComputeMeasure, Runtime};
pub use watch::{PluginWatcher, watch};
pub use wit::API_MAJOR;
