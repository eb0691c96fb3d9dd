//! Errors, with messages for the user in Chinese.

/// Why a document could not be laid out, rendered or written.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("找不到方案“{0}”")]
    UnknownPlan(String),
    #[error("找不到任务“{0}”")]
    UnknownTask(String),
    #[error("“{0}”没有任务，无法打印任务分工方案")]
    NoTasks(String),
    #[error("任务“{0}”没有牵头单位，请指定督办通知书的主送单位")]
    NoRecipient(String),
    #[error("记录 #{record} 不是表单“{form}”的记录")]
    WrongForm { record: u64, form: String },
    #[error("记录 #{0} 已删除，不能打印登记表；恢复该记录后再打印")]
    DeletedRecord(u64),
    #[error("字体“{name}”无法使用：{reason}")]
    Font { name: String, reason: String },
    #[error("生成 PDF 失败：{0}")]
    Pdf(String),
    /// A 督办通知书 that would state what is not so.
    #[error(transparent)]
    Refused(#[from] anwei_core::notice::NoticeRefusal),
    #[error(transparent)]
    Write(#[from] anwei_files::WriteError),
    /// A supervision document that would state what is not so, or has nothing to state.
    #[error("{0}")]
    NotSo(String),
}
