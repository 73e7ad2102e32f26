//! What can be wrong with a file, in words a person can act on.

use thiserror::Error;

/// Why a file could not be read. [`FileError::message_zh`] is the text the
/// app and the CLI show; `Display` is the English one.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FileError {
    #[error("not a {expected} file (it is not a zip package)")]
    NotAZip { expected: &'static str },
    #[error(
        "the document is encrypted or password-protected; save an unprotected copy and try again"
    )]
    Encrypted,
    #[error(
        "this is an old binary Word/Excel file (.doc/.xls); save it as .docx/.xlsx and try again"
    )]
    LegacyOffice,
    #[error("the file is larger than the {limit_mb} MB limit")]
    TooLarge { limit_mb: u64 },
    #[error("the document expands to more than {limit_mb} MB; it may be a zip bomb")]
    ExpandsTooMuch { limit_mb: u64 },
    #[error("the package has more than {limit} parts")]
    TooManyParts { limit: usize },
    #[error("part {part} is nested more than {limit} levels deep")]
    TooDeep { part: String, limit: usize },
    #[error("part {part} is damaged: {detail}")]
    Malformed { part: String, detail: String },
    #[error("the document has no {part} part; it is damaged or not a {expected} file")]
    MissingPart {
        part: String,
        expected: &'static str,
    },
    #[error("reading the file took longer than {seconds} s; it was stopped")]
    TimedOut { seconds: u64 },
    #[error("unsupported file type: {0}")]
    Unsupported(String),
    #[error("the picture has more than {limit_mp} million pixels; it cannot be resized")]
    TooManyPixels { limit_mp: u64 },
}

impl FileError {
    /// The message in Chinese, for the interface.
    pub fn message_zh(&self) -> String {
        match self {
            FileError::NotAZip { expected } => {
                format!(
                    "这不是有效的 {expected} 文件（文件结构不是 zip 包），可能已损坏或扩展名不对"
                )
            }
            FileError::Encrypted => {
                "文档已加密或设置了打开密码，请另存一份未加密的副本后再试".into()
            }
            FileError::LegacyOffice => {
                "这是旧版 Word/Excel 格式（.doc/.xls），请在 Word/WPS 中另存为 .docx/.xlsx 后再试"
                    .into()
            }
            FileError::TooLarge { limit_mb } => format!("文件超过 {limit_mb} MB 的上限"),
            FileError::ExpandsTooMuch { limit_mb } => {
                format!("文档解压后超过 {limit_mb} MB，可能是恶意构造的压缩包，已停止读取")
            }
            FileError::TooManyParts { limit } => {
                format!("文档包含的部件超过 {limit} 个，已停止读取")
            }
            FileError::TooDeep { part, limit } => {
                format!("文档部件 {part} 的嵌套超过 {limit} 层，已停止读取")
            }
            FileError::Malformed { part, detail } => format!("文档部件 {part} 已损坏：{detail}"),
            FileError::MissingPart { part, expected } => {
                format!("文档缺少 {part} 部件，可能已损坏，或不是 {expected} 文件")
            }
            FileError::TimedOut { seconds } => format!("读取文件超过 {seconds} 秒，已停止"),
            FileError::Unsupported(what) => format!("不支持的文件类型：{what}"),
            FileError::TooManyPixels { limit_mp } => {
                format!("图片超过 {limit_mp} 百万像素，无法缩小")
            }
        }
    }

    /// A stable code for scripts and tests.
    pub fn code(&self) -> &'static str {
        match self {
            FileError::NotAZip { .. } => "not_a_zip",
            FileError::Encrypted => "encrypted",
            FileError::LegacyOffice => "legacy_office",
            FileError::TooLarge { .. } => "too_large",
            FileError::ExpandsTooMuch { .. } => "expands_too_much",
            FileError::TooManyParts { .. } => "too_many_parts",
            FileError::TooDeep { .. } => "too_deep",
            FileError::Malformed { .. } => "malformed",
            FileError::MissingPart { .. } => "missing_part",
            FileError::TimedOut { .. } => "timed_out",
            FileError::Unsupported(_) => "unsupported",
            FileError::TooManyPixels { .. } => "too_many_pixels",
        }
    }
}
