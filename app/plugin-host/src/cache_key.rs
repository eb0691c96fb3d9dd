//! The per-user key that authenticates the compiled-code cache ([`crate::runtime::CodeCache`]).
//!
//! 32 random bytes, hex, in a file only the user may read and write (0600 in a 0700 folder on
//! Unix). A key file that others could write (looser permissions) is replaced by a new key:
//! every cached entry then fails its check and is compiled again.

use std::path::Path;

use rand_core::{OsRng, RngCore};

use crate::error::{PluginError, Result};

/// Reads the key, creating it when missing or unusable.
pub fn load_or_create(path: &Path) -> Result<[u8; 32]> {
    if let Some(key) = read_private(path)? {
        return Ok(key);
    }
    let mut key = [0u8; 32];
    OsRng.fill_bytes(&mut key);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| PluginError::io(dir, e))?;
        restrict(dir, 0o700)?;
    }
    // `write_atomic` makes the file readable by its owner only (0600 on Unix).
    anwei_files::write_atomic(path, hex::encode(key).as_bytes())?;
    // Another process may have written its key at the same moment: use what is on disk.
    read_private(path)?
        .ok_or_else(|| PluginError::State(format!("编译缓存密钥文件 {} 无法读回", path.display())))
}

/// The key in `path` when the file exists, is private and well formed.
fn read_private(path: &Path) -> Result<Option<[u8; 32]>> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(PluginError::io(path, e)),
    };
    if !meta.is_file() || !private(&meta) {
        tracing::warn!(
            "编译缓存密钥文件 {} 不是仅本用户可写的普通文件，换用新密钥",
            path.display()
        );
        return Ok(None);
    }
    let text = std::fs::read_to_string(path).map_err(|e| PluginError::io(path, e))?;
    Ok(hex::decode(text.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok()))
}

#[cfg(unix)]
fn private(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o077 == 0
}

#[cfg(not(unix))]
fn private(_meta: &std::fs::Metadata) -> bool {
    // The per-user application-data folder is private to the user by its ACL.
    true
}

#[cfg(unix)]
fn restrict(dir: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode))
        .map_err(|e| PluginError::io(dir, e))
}

#[cfg(not(unix))]
fn restrict(_dir: &Path, _mode: u32) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_created_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cfg").join("code-cache.key");
        let a = load_or_create(&path).unwrap();
        assert_eq!(load_or_create(&path).unwrap(), a);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{mode:o}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_key_others_could_write_is_replaced() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("code-cache.key");
        std::fs::write(&path, hex::encode([7u8; 32])).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        let key = load_or_create(&path).unwrap();
        assert_ne!(key, [7u8; 32]);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0);
    }
}
