//! Why a file could not be written, in Chinese, naming the file.

use std::io;
use std::path::{Path, PathBuf};

/// The step of an atomic write that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Creating the target's folder (only when asked to).
    CreateFolder,
    /// Creating the temporary file in the target's folder.
    CreateTemp,
    /// Writing or syncing the temporary file (also: the caller's writer failed).
    Write,
    /// Renaming the temporary file over the target.
    Replace,
    /// Syncing the folder after the rename (the file is in place).
    SyncFolder,
}

/// A file that could not be written. The message names the file and says, in Chinese,
/// what failed, the system's error included (so it has no `source()`: a chain printed in
/// full would say it twice; [`WriteError::io_error`] gives it). Except after a failed folder
/// sync (the file is in place, its survival of a power cut is not certain) the file under
/// that name is untouched.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub struct WriteError {
    path: PathBuf,
    step: Step,
    error: io::Error,
}

impl WriteError {
    pub(crate) fn new(path: &Path, step: Step, error: io::Error) -> WriteError {
        WriteError {
            path: path.to_path_buf(),
            step,
            error,
        }
    }

    /// The file that was to be written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The system's error (or the writer's own).
    pub fn io_error(&self) -> &io::Error {
        &self.error
    }

    /// The kind of the error (`AlreadyExists` for [`crate::AtomicWrite::keep_existing`]).
    pub fn kind(&self) -> io::ErrorKind {
        self.error.kind()
    }

    /// The error, for callers whose own error type holds an `io::Error`.
    pub fn into_io_error(self) -> io::Error {
        self.error
    }

    fn message(&self) -> String {
        let path = self.path.display();
        let dir = crate::atomic::folder_of(&self.path).display();
        let kind = self.error.kind();
        // The caller's writer may fail with its own message; every other error is the
        // system's (tempfile's carry an English path: their kind is what counts).
        let why = if self.step == Step::Write
            && self.error.raw_os_error().is_none()
            && self.error.get_ref().is_some()
        {
            self.error.to_string()
        } else {
            io_error_zh(&self.error)
        };
        match self.step {
            Step::CreateFolder => format!("无法写入文件“{path}”：无法创建文件夹“{dir}”（{why}）"),
            Step::CreateTemp if kind == io::ErrorKind::NotFound => {
                format!(
                    "无法写入文件“{path}”：文件夹“{dir}”不存在（{why}），请先创建它或换一个位置"
                )
            }
            Step::CreateTemp => {
                format!("无法写入文件“{path}”：无法在文件夹“{dir}”中建立临时文件（{why}）")
            }
            Step::Write => format!("写入文件“{path}”失败：{why}；原有文件未改动"),
            Step::Replace if kind == io::ErrorKind::AlreadyExists => {
                format!("文件“{path}”已存在，未覆盖")
            }
            Step::Replace => format!("无法保存文件“{path}”：{why}；原有文件未改动"),
            Step::SyncFolder => {
                format!("文件“{path}”已写入，但无法确保断电后仍在（同步文件夹“{dir}”失败：{why}）")
            }
        }
    }
}

/// A system I/O error in Chinese, with the system's error code.
pub fn io_error_zh(e: &io::Error) -> String {
    use io::ErrorKind as K;
    let what = match e.kind() {
        K::NotFound => "找不到该文件或文件夹",
        K::PermissionDenied => "没有访问权限",
        K::AlreadyExists => "已存在同名的文件或文件夹",
        K::NotADirectory => "路径中有一项不是文件夹",
        K::IsADirectory => "这是一个文件夹，不是文件",
        K::DirectoryNotEmpty => "文件夹不是空的",
        K::ReadOnlyFilesystem => "磁盘是只读的",
        K::StorageFull => "磁盘空间已满",
        K::QuotaExceeded => "超出磁盘配额",
        K::FileTooLarge => "文件太大",
        K::InvalidData => "内容无效（例如不是 UTF-8 文字）",
        K::InvalidInput => "路径或参数无效",
        K::BrokenPipe => "输出已被关闭（例如管道另一端已退出）",
        K::Interrupted => "操作被中断",
        K::UnexpectedEof => "文件意外结束（可能不完整）",
        K::WouldBlock | K::TimedOut => "操作超时",
        K::OutOfMemory => "内存不足",
        K::CrossesDevices => "不能跨磁盘移动",
        K::InvalidFilename => "文件名无效",
        K::ResourceBusy | K::ExecutableFileBusy => "文件正被占用",
        _ => "文件读写失败",
    };
    match e.raw_os_error() {
        Some(code) => format!("{what}（系统错误码 {code}）"),
        None => what.to_owned(),
    }
}
