//! Files of Anwei Desk: where things live in the data folder ([`DataDir`], whose module doc
//! is the one description of the layout) and the one way a file is written
//! ([`write_atomic`], [`write_atomic_with`], [`AtomicWrite`] for options): a `.anwei-tmp-`
//! file in the target folder, synced, renamed over the target. Depends on std, tempfile and
//! thiserror only, so every other crate can use it.

mod atomic;
mod error;
pub mod layout;

pub use atomic::{
    AtomicFile, AtomicWrite, TEMP_PREFIX, is_legacy_temp_name, is_temp_name, write_atomic,
    write_atomic_with,
};
pub use error::{WriteError, io_error_zh};
pub use layout::DataDir;
