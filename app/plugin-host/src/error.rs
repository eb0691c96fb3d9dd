//! Errors of the plugin host. Messages are for users (Chinese); each names the plugin and,
//! for refusals, the check that failed.

use std::fmt;

/// What went wrong while a plugin ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// The CPU-time budget ran out.
    Timeout,
    /// The wall-clock last resort ran out while the plugin had not used its CPU time: the
    /// machine was too busy (not counted against the records it was given).
    Overloaded,
    /// The plugin asked for more memory than its cap.
    Memory,
    /// Stack exhausted.
    Stack,
    /// The plugin trapped (panic → `unreachable`, out-of-bounds…).
    Trap,
    /// The plugin returned something the host refuses (bad ids, huge lists, NaN…).
    Malformed,
    /// The plugin could not be instantiated.
    Instantiate,
}

impl FaultKind {
    pub fn label_zh(self) -> &'static str {
        match self {
            FaultKind::Timeout => "运行超时",
            FaultKind::Overloaded => "运行超时（电脑过忙）",
            FaultKind::Memory => "内存超限",
            FaultKind::Stack => "栈溢出",
            FaultKind::Trap => "运行崩溃",
            FaultKind::Malformed => "返回数据不合规",
            FaultKind::Instantiate => "无法实例化",
        }
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_zh())
    }
}

/// Which install check refused a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// File too large.
    Size,
    /// Not a package (bad archive, missing member, bad manifest).
    Format,
    /// No signature and developer mode is off.
    Unsigned,
    /// Signing key is not in the trust list (or no trust list).
    Key,
    /// Signature does not verify.
    Signature,
    /// The key may not publish this sector.
    Sector,
    /// Component hash differs from the manifest.
    Hash,
    /// Version is lower than the installed one.
    Downgrade,
    /// Not a valid component / wrong world / imports something.
    Component,
    /// API major version not supported.
    ApiVersion,
    /// Manifest and the plugin's own identity disagree, or describe() is malformed.
    Identity,
    /// The plugin's content could never be imported (a deadline no date can be read from,
    /// an unbalanced repeat group…): the same conversion as the import, run at install.
    Content,
}

impl Check {
    pub fn label_zh(self) -> &'static str {
        match self {
            Check::Size => "文件大小",
            Check::Format => "包格式",
            Check::Unsigned => "签名",
            Check::Key => "签名密钥",
            Check::Signature => "签名校验",
            Check::Sector => "专项授权",
            Check::Hash => "哈希",
            Check::Downgrade => "版本",
            Check::Component => "组件",
            Check::ApiVersion => "接口版本",
            Check::Identity => "插件身份",
            Check::Content => "插件内容",
        }
    }
}

/// Errors of the plugin host.
#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    #[error("插件“{plugin}”{kind}：{message}")]
    Fault {
        plugin: String,
        kind: FaultKind,
        message: String,
    },
    #[error("插件“{plugin}”已停用：{reason}")]
    Disabled { plugin: String, reason: String },
    /// `compute` failed on exactly these records before: not run again (and not counted as
    /// another fault) until the records change.
    #[error(
        "插件“{plugin}”上次用相同的台账数据计算时出错（{message}），未再计算；修改或删除有问题的记录后会重新计算"
    )]
    SameInputFailed { plugin: String, message: String },
    #[error("没有插件“{0}”")]
    NotFound(String),
    #[error("插件包被拒绝（{}检查未通过）：{message}", .check.label_zh())]
    Refused { check: Check, message: String },
    #[error("信任列表有误：{0}")]
    Trust(String),
    #[error("密钥有误：{0}")]
    Key(String),
    #[error("插件引擎出错：{0}")]
    Engine(String),
    #[error("读写插件文件出错（{path}）：{source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// A file the host writes (package, state, compiled code, key) could not be written.
    #[error(transparent)]
    Write(#[from] anwei_files::WriteError),
    #[error("插件状态文件有误：{0}")]
    State(String),
    #[error("插件内容无法导入：{0}")]
    Convert(String),
    #[error("插件目录监视出错：{0}")]
    Watch(String),
}

impl PluginError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> PluginError {
        PluginError::Io {
            path: path.display().to_string(),
            source,
        }
    }

    pub(crate) fn refused(check: Check, message: impl Into<String>) -> PluginError {
        PluginError::Refused {
            check,
            message: message.into(),
        }
    }

    /// The failed check, for refusals.
    pub fn check(&self) -> Option<Check> {
        match self {
            PluginError::Refused { check, .. } => Some(*check),
            _ => None,
        }
    }

    /// The fault kind, for faults.
    pub fn fault_kind(&self) -> Option<FaultKind> {
        match self {
            PluginError::Fault { kind, .. } => Some(*kind),
            _ => None,
        }
    }
}

pub type Result<T, E = PluginError> = std::result::Result<T, E>;
