//! Reading files someone else could have put in the data folder: regular files only,
//! bounded. (The host writes files with `anwei_files`, like every crate.)

use std::path::Path;

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
