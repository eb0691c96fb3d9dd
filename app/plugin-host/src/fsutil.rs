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

/// The metadata of `path` when it is a regular file itself (not a link to one); an error
/// otherwise, without opening it.
pub(crate) fn regular_file(path: &Path) -> std::io::Result<std::fs::Metadata> {
    let meta = std::fs::symlink_metadata(path)?;
    if meta.is_file() {
        Ok(meta)
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "不是普通文件（链接、管道或设备文件不读取）",
        ))
    }
}

/// Reads `path` when it is a regular file (not a symlink, FIFO, socket or device: a FIFO
/// blocks a reader for ever, `/dev/zero` never ends), at most `limit` bytes of it. Files in
/// the data folder are read this way: anyone who can drop a file there could drop those.
/// `Ok(None)`: no such file.
pub fn read_regular(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let meta = match regular_file(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if meta.len() > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("文件 {} 字节，超过上限 {limit} 字节", meta.len()),
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("文件超过上限 {limit} 字节"),
        ));
    }
    Ok(Some(bytes))
}
