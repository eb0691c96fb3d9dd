//! The store's errors, worded for the user.

use std::path::PathBuf;

/// Errors of the store. Messages are for the user: plain Chinese, saying what happened and
/// that nothing was lost.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据目录 {0} 正被另一个 Anwei Desk 窗口或命令使用。请先关闭它，再重试。")]
    Locked(PathBuf),
    #[error(
        "数据目录 {} 不是文件夹（这个路径或它的上一级是一个文件）。请另选一个文件夹作为数据目录，或把这个文件移走后重试；这个文件没有被改动。",
        .0.display()
    )]
    NotAFolder(PathBuf),
    #[error(
        "数据库无法打开，文件可能已损坏（{detail}）。数据没有被删除；可以从最近的自动备份恢复。"
    )]
    Damaged { detail: String },
    #[error("数据库版本 {found} 比本程序支持的版本 {supported} 新，请使用新版 Anwei Desk 打开。")]
    TooNew { found: u32, supported: u32 },
    #[error("{0}")]
    Invalid(String),
    #[error("找不到{what}“{id}”")]
    NotFound { what: &'static str, id: String },
    #[error("备份文件无效：{0}")]
    BadBackup(String),
    #[error("文件操作失败（{path}）：{source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file written through the one atomic write (`anwei_files`), which names it.
    #[error(transparent)]
    Write(#[from] anwei_files::WriteError),
    #[error("数据库操作失败：{0}")]
    Db(#[from] sled::Error),
    #[error("数据格式错误：{0}")]
    Serde(#[from] serde_json::Error),
}

impl StoreError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        StoreError::Io {
            path: path.into(),
            source,
        }
    }

    /// True when the database itself could not be opened and a backup may help.
    pub fn is_damaged(&self) -> bool {
        matches!(self, StoreError::Damaged { .. })
    }
}

impl From<anwei_core::CommandError> for StoreError {
    fn from(e: anwei_core::CommandError) -> Self {
        StoreError::Invalid(e.to_string())
    }
}

impl From<anwei_core::ChangeError> for StoreError {
    fn from(e: anwei_core::ChangeError) -> Self {
        match e {
            anwei_core::ChangeError::Invalid(m) => StoreError::Invalid(m),
            anwei_core::ChangeError::NotFound { what, id } => StoreError::NotFound { what, id },
        }
    }
}
