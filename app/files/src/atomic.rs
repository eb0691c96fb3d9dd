//! The one atomic write: a temporary file named [`TEMP_PREFIX`]… in the target's folder,
//! written, synced, renamed over the target, then the folder synced (Unix). Under the
//! target's name there is always either the old file (or none) or the whole new one; a
//! failed write removes its temporary file, and one left by a killed process is recognised
//! by [`is_temp_name`].

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Step, WriteError};

/// Prefix of every temporary file the desk writes and then renames into place. Such a file
/// is what remains of a write that was killed; the store removes them at open.
pub const TEMP_PREFIX: &str = ".anwei-tmp-";

/// Whether `name` (a file name, not a path) is a temporary file of an atomic write.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with(TEMP_PREFIX)
}

/// Whether `name` is a `.tmpXXXXXX` temporary file as the store wrote them before
/// [`TEMP_PREFIX`] (tempfile's default name: `.tmp` and six letters or digits). Only safe to
/// remove in folders where nothing else writes such names.
pub fn is_legacy_temp_name(name: &str) -> bool {
    name.len() == 10
        && name.starts_with(".tmp")
        && name[4..].bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Writes `bytes` to `path` atomically. The folder must exist; the file is readable by its
/// owner only (0600 on Unix). See [`AtomicWrite`] for other choices.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    AtomicWrite::new(path).write(bytes)
}

/// Writes what `f` writes to `path` atomically (for writers that stream: PDF, archives).
/// When `f` fails, the file under `path` is untouched and its error is returned as the
/// write's error.
pub fn write_atomic_with<T>(
    path: &Path,
    f: impl FnOnce(&mut dyn Write) -> io::Result<T>,
) -> Result<T, WriteError> {
    AtomicWrite::new(path).write_with(f)
}

/// An atomic write of one file, with its options.
#[derive(Debug, Clone, Copy)]
#[must_use]
pub struct AtomicWrite<'p> {
    path: &'p Path,
    readable_by_all: bool,
    create_folder: bool,
    keep_existing: bool,
}

impl<'p> AtomicWrite<'p> {
    /// A write of `path` (a bare file name: in the current folder), readable by its owner
    /// only, replacing a file already there, into a folder that must exist.
    pub fn new(path: &'p Path) -> AtomicWrite<'p> {
        AtomicWrite {
            path,
            readable_by_all: false,
            create_folder: false,
            keep_existing: false,
        }
    }

    /// The file is readable by every user (0644 on Unix), like a document the user saves.
    pub fn readable_by_all(mut self) -> Self {
        self.readable_by_all = true;
        self
    }

    /// Creates the target's folder (and its parents) when missing.
    pub fn create_folder(mut self) -> Self {
        self.create_folder = true;
        self
    }

    /// Fails (with [`io::ErrorKind::AlreadyExists`]) rather than replace a file already
    /// under the name, even one created while this write ran.
    pub fn keep_existing(mut self) -> Self {
        self.keep_existing = true;
        self
    }

    /// Starts the write: the temporary file to write into, then [`AtomicFile::commit`].
    pub fn open(self) -> Result<AtomicFile, WriteError> {
        let dir = folder_of(self.path);
        if self.create_folder {
            fs::create_dir_all(dir)
                .map_err(|e| WriteError::new(self.path, Step::CreateFolder, e))?;
        }
        let tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(dir)
            .map_err(|e| WriteError::new(self.path, Step::CreateTemp, e))?;
        set_mode(tmp.as_file(), self.readable_by_all)
            .map_err(|e| WriteError::new(self.path, Step::CreateTemp, e))?;
        Ok(AtomicFile {
            out: BufWriter::new(tmp),
            path: self.path.to_path_buf(),
            keep_existing: self.keep_existing,
        })
    }

    /// Writes `bytes`.
    pub fn write(self, bytes: &[u8]) -> Result<(), WriteError> {
        self.write_with(|w| w.write_all(bytes))
    }

    /// Writes what `f` writes; see [`write_atomic_with`].
    pub fn write_with<T>(
        self,
        f: impl FnOnce(&mut dyn Write) -> io::Result<T>,
    ) -> Result<T, WriteError> {
        let mut file = self.open()?;
        let value = f(&mut file).map_err(|e| WriteError::new(&file.path, Step::Write, e))?;
        file.commit()?;
        Ok(value)
    }
}

/// A file being written atomically: write into it, then [`AtomicFile::commit`]. Dropped
/// without a commit (an error, a panic), it leaves nothing behind and the target untouched.
#[derive(Debug)]
pub struct AtomicFile {
    out: BufWriter<NamedTempFile>,
    path: PathBuf,
    keep_existing: bool,
}

impl AtomicFile {
    /// The file this write will replace or create.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Syncs what was written and renames it over the target, then syncs the folder.
    pub fn commit(self) -> Result<(), WriteError> {
        let AtomicFile {
            out,
            path,
            keep_existing,
        } = self;
        let write_error = |e| WriteError::new(&path, Step::Write, e);
        let tmp = out.into_inner().map_err(|e| write_error(e.into_error()))?;
        tmp.as_file().sync_all().map_err(write_error)?;
        let placed = if keep_existing {
            tmp.persist_noclobber(&path)
        } else {
            tmp.persist(&path)
        };
        placed.map_err(|e| WriteError::new(&path, Step::Replace, e.error))?;
        sync_folder(folder_of(&path)).map_err(|e| WriteError::new(&path, Step::SyncFolder, e))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The folder a file `path` goes into (`.` for a bare file name).
pub(crate) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

#[cfg(unix)]
fn set_mode(file: &fs::File, readable_by_all: bool) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = if readable_by_all { 0o644 } else { 0o600 };
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &fs::File, _readable_by_all: bool) -> io::Result<()> {
    // Files in the user's folders are private to the user by their ACL.
    Ok(())
}

/// Makes the rename durable: syncs the folder's entry list. File systems that cannot sync a
/// folder (they answer "invalid" or "unsupported") are not an error.
#[cfg(unix)]
fn sync_folder(dir: &Path) -> io::Result<()> {
    match fs::File::open(dir).and_then(|d| d.sync_all()) {
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported
            ) =>
        {
            Ok(())
        }
        other => other,
    }
}

#[cfg(not(unix))]
fn sync_folder(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_a_new_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("报告.pdf");
        write_atomic(&path, b"%PDF-1.7 whole").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"%PDF-1.7 whole");
        assert_eq!(names(dir.path()), ["报告.pdf"]);
    }

    #[test]
    fn overwrites_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        fs::write(&path, b"old old old old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(names(dir.path()), ["state.json"]);
    }

    #[test]
    fn a_writer_failing_midway_leaves_the_old_file_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("backup.tar.gz");
        fs::write(&path, b"the whole old file").unwrap();
        let err = write_atomic_with(&path, |w| {
            w.write_all(&[b'x'; 100_000])?;
            Err::<(), _>(io::Error::other("排版中断"))
        })
        .unwrap_err();
        assert_eq!(fs::read(&path).unwrap(), b"the whole old file");
        assert_eq!(names(dir.path()), ["backup.tar.gz"]);
        let msg = err.to_string();
        assert!(msg.contains("backup.tar.gz"), "{msg}");
        assert!(msg.contains("排版中断"), "{msg}");
        assert!(msg.contains("原有文件未改动"), "{msg}");
        assert_eq!(err.path(), path);
    }

    #[test]
    fn a_writer_failing_on_a_new_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.xlsx");
        let result = write_atomic_with(&path, |w| {
            w.write_all(b"half")?;
            Err::<(), _>(io::Error::other("失败"))
        });
        assert!(result.is_err());
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn a_dropped_file_without_commit_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a");
        fs::write(&path, b"old").unwrap();
        let mut f = AtomicWrite::new(&path).open().unwrap();
        f.write_all(b"new").unwrap();
        assert!(names(dir.path()).iter().any(|n| is_temp_name(n)));
        drop(f);
        assert_eq!(names(dir.path()), ["a"]);
        assert_eq!(fs::read(&path).unwrap(), b"old");
    }

    #[test]
    fn the_writer_returns_its_value() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n");
        let n = write_atomic_with(&path, |w| {
            w.write_all(b"12345")?;
            Ok(5)
        })
        .unwrap();
        assert_eq!(n, 5);
        assert_eq!(fs::read(&path).unwrap(), b"12345");
    }

    #[test]
    fn a_missing_folder_is_a_clear_error_and_is_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("没有这个文件夹");
        let path = missing.join("督办.pdf");
        let err = write_atomic(&path, b"x").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("没有这个文件夹"), "{msg}");
        assert!(msg.contains("督办.pdf"), "{msg}");
        assert!(msg.contains("不存在"), "{msg}");
        assert!(msg.contains("找不到该文件或文件夹"), "{msg}");
        assert!(!msg.contains("os error"), "{msg}");
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert!(!missing.exists());
    }

    #[test]
    fn a_file_in_place_of_the_folder_is_said_in_chinese() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("笔记.txt");
        fs::write(&file, b"not a folder").unwrap();
        let err = write_atomic(&file.join("x.pdf"), b"x").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("笔记.txt"), "{msg}");
        assert!(msg.contains("不是文件夹"), "{msg}");
        for english in ["os error", "at path", "Not a directory"] {
            assert!(!msg.contains(english), "{msg}");
        }
        // The message says it all: nothing English further down a printed chain.
        assert!(std::error::Error::source(&err).is_none());
        assert_eq!(fs::read(&file).unwrap(), b"not a folder");
    }

    #[test]
    fn create_folder_creates_the_missing_folders() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a").join("b").join("c.txt");
        AtomicWrite::new(&path).create_folder().write(b"c").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"c");
    }

    #[test]
    fn keep_existing_does_not_replace() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("附件.doc");
        fs::write(&path, b"first").unwrap();
        let err = AtomicWrite::new(&path)
            .keep_existing()
            .write(b"second")
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert!(err.to_string().contains("已存在"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"first");
        assert_eq!(names(dir.path()), ["附件.doc"]);
        let other = dir.path().join("附件(2).doc");
        AtomicWrite::new(&other)
            .keep_existing()
            .write(b"second")
            .unwrap();
        assert_eq!(fs::read(&other).unwrap(), b"second");
    }

    #[test]
    fn a_folder_in_the_way_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("taken");
        fs::create_dir(&path).unwrap();
        let err = write_atomic(&path, b"x").unwrap_err();
        assert!(err.to_string().contains("taken"), "{err}");
        assert!(path.is_dir());
        assert_eq!(names(dir.path()), ["taken"]);
    }

    #[test]
    fn a_bare_file_name_is_written_in_the_current_folder() {
        assert_eq!(folder_of(Path::new("out.pdf")), Path::new("."));
        assert_eq!(folder_of(Path::new("a/out.pdf")), Path::new("a"));
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private_unless_readable_by_all() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let private = dir.path().join("key");
        let shared = dir.path().join("doc.pdf");
        write_atomic(&private, b"k").unwrap();
        AtomicWrite::new(&shared)
            .readable_by_all()
            .write(b"d")
            .unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&private), 0o600);
        assert_eq!(mode(&shared), 0o644);
    }

    #[test]
    fn temporary_names_are_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let f = AtomicWrite::new(&dir.path().join("x")).open().unwrap();
        let tmp = names(dir.path());
        assert_eq!(tmp.len(), 1);
        assert!(is_temp_name(&tmp[0]), "{tmp:?}");
        drop(f);
        assert!(!is_temp_name("anwei.state"));
        assert!(is_legacy_temp_name(".tmpAb12Cd"));
        assert!(!is_legacy_temp_name(".tmpAb12C"));
        assert!(!is_legacy_temp_name(".tmp-b12Cd"));
        assert!(!is_legacy_temp_name("报告.pdf"));
    }
}
