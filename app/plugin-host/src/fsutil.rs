//! Atomic file writes: a temporary file in the target folder, renamed over the target.

use std::io::Write;
use std::path::Path;

use crate::error::{PluginError, Result};

/// Writes `bytes` to `path` atomically (also a bare file name: the current folder).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| PluginError::io(dir, e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(|e| PluginError::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| PluginError::io(path, e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| PluginError::io(path, e))?;
    tmp.persist(path)
        .map_err(|e| PluginError::io(path, e.error))?;
    Ok(())
}
