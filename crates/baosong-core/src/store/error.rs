use std::path::PathBuf;

use thiserror::Error;

use crate::i18n::Lang;
use crate::view::UserError;
use crate::workflow::WorkflowError;

/// Everything that can go wrong with the local store. Each variant has a stable
/// code (for scripts and tests) and a message in both interface languages.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("no item matches '{0}'")]
    NotFound(String),
    #[error("'{prefix}' matches {count} items; type more of the id")]
    Ambiguous { prefix: String, count: usize },
    #[error("'{0}' is not an item id (expected hexadecimal digits and dashes)")]
    InvalidId(String),
    #[error("item has no revision {0}")]
    NoSuchRevision(u32),
    #[error("the database is busy: another Baosong window or command is writing; try again")]
    Busy,
    #[error("the database file {path} is damaged or is not a Baosong database: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "the database was written by a newer Baosong (schema {found}, this one knows up to {supported})"
    )]
    TooNew { found: i64, supported: i64 },
    #[error(
        "the item was changed elsewhere (your copy is revision {expected}, stored is {actual})"
    )]
    Conflict { expected: u32, actual: u32 },
    #[error("{}", .0.message(Lang::En))]
    Workflow(#[from] WorkflowError),
    #[error("{field} is too long ({len} characters, at most {max})")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error("cannot use data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no data directory: set BAOSONG_DATA_DIR or pass --data-dir")]
    NoDataDir,
    #[error(
        "not ready for sign-off: {blockers} blocking finding(s) and {undecided} error(s) without a decision"
    )]
    NotReady { blockers: u32, undecided: u32 },
    #[error("no current finding matches '{0}'; check again")]
    NoSuchFinding(String),
    #[error("{}", .0.message().en)]
    Decision(#[from] baosong_check::decision::DecisionError),
    #[error("报送 goes through the outbox (baosong submit / the 报送 button)")]
    NeedsOutbox,
    #[error(
        "the item is in the outbox and may already be on its way to the portal; wait until it is delivered, then withdraw it there"
    )]
    InOutbox,
    #[error("no outbox entry '{0}'")]
    NoSuchOutboxEntry(String),
    #[error("签发 and 退回修改 are made on the review (baosong sign / baosong review return)")]
    NeedsReview,
    #[error(
        "the item is not signed off at its current revision; it needs a valid sign-off (签发) first"
    )]
    NotSigned,
    #[error("no review '{0}'")]
    NoSuchReview(String),
    #[error("the review is already {0}")]
    ReviewClosed(String),
    #[error("the item changed after it was sent for review; the review no longer applies")]
    ReviewStale,
    #[error("returning an item needs an opinion or at least one comment")]
    ReturnNeedsReason,
    #[error("a stored record could not be read: {0}")]
    BadRecord(String),
    #[error("{0}")]
    Blob(#[from] crate::blobs::BlobError),
    #[error("{0}")]
    File(#[from] baosong_files::FileError),
    #[error("the item has no attachment '{0}'")]
    NoSuchAttachment(String),
    #[error("{0}")]
    BadAttachment(String),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    /// Classifies SQLite failures a person can act on (busy, damaged file)
    /// instead of passing the raw error through.
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        if let rusqlite::Error::SqliteFailure(f, ref msg) = e {
            match f.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => return StoreError::Busy,
                ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => {
                    return StoreError::Corrupt {
                        path: PathBuf::new(),
                        detail: msg.clone().unwrap_or_else(|| f.to_string()),
                    };
                }
                _ => {}
            }
        }
        StoreError::Sqlite(e)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::BadRecord(e.to_string())
    }
}

impl StoreError {
    /// A stable, machine-readable name for the error.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NotFound(_) => "not_found",
            StoreError::Ambiguous { .. } => "ambiguous_id",
            StoreError::InvalidId(_) => "invalid_id",
            StoreError::NoSuchRevision(_) => "no_such_revision",
            StoreError::Busy => "busy",
            StoreError::Corrupt { .. } => "corrupt_database",
            StoreError::TooNew { .. } => "schema_too_new",
            StoreError::Conflict { .. } => "conflict",
            StoreError::Workflow(_) => "workflow",
            StoreError::TooLong { .. } => "too_long",
            StoreError::DataDir { .. } => "data_dir",
            StoreError::NoDataDir => "no_data_dir",
            StoreError::NotReady { .. } => "not_ready_for_signoff",
            StoreError::NoSuchFinding(_) => "no_such_finding",
            StoreError::Decision(_) => "decision",
            StoreError::NeedsOutbox => "needs_outbox",
            StoreError::InOutbox => "in_outbox",
            StoreError::NoSuchOutboxEntry(_) => "no_such_outbox_entry",
            StoreError::NeedsReview => "needs_review",
            StoreError::NotSigned => "not_signed",
            StoreError::NoSuchReview(_) => "no_such_review",
            StoreError::ReviewClosed(_) => "review_closed",
            StoreError::ReviewStale => "review_stale",
            StoreError::ReturnNeedsReason => "return_needs_reason",
            StoreError::BadRecord(_) => "bad_record",
            StoreError::Blob(_) => "attachment_store",
            StoreError::File(e) => e.code(),
            StoreError::NoSuchAttachment(_) => "no_such_attachment",
            StoreError::BadAttachment(_) => "bad_attachment",
            StoreError::Sqlite(_) => "database",
        }
    }

    /// The message for a person, in their language.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            StoreError::NotFound(id) => format!("找不到编号为“{id}”的稿件。"),
            StoreError::Ambiguous { prefix, count } => {
                format!("编号“{prefix}”对应 {count} 篇稿件，请多输入几位。")
            }
            StoreError::InvalidId(id) => {
                format!("“{id}”不是有效的稿件编号（应为十六进制数字和连字符）。")
            }
            StoreError::NoSuchRevision(r) => format!("该稿件没有第 {r} 版。"),
            StoreError::Busy => {
                "数据库正忙：另一个报送窗口或命令正在写入，请稍后重试。".to_string()
            }
            StoreError::Corrupt { path, detail } => format!(
                "数据库文件 {} 已损坏或不是报送数据库（{detail}）。请勿删除该文件，并联系技术支持。",
                path.display()
            ),
            StoreError::TooNew { found, supported } => format!(
                "数据库由更新版本的报送写入（结构版本 {found}，本程序最高支持 {supported}），请升级本程序。"
            ),
            StoreError::Conflict { expected, actual } => format!(
                "稿件已在别处被修改（您的版本为第 {expected} 版，已保存的是第 {actual} 版），请重新打开后再编辑。"
            ),
            StoreError::Workflow(w) => w.message(lang),
            StoreError::TooLong { field, len, max } => {
                format!(
                    "{}过长（{len} 个字符，最多 {max} 个）。",
                    field_label_zh(field)
                )
            }
            StoreError::DataDir { path, source } => {
                format!("无法使用数据目录 {}：{source}", path.display())
            }
            StoreError::NoDataDir => {
                "找不到数据目录：请设置 BAOSONG_DATA_DIR 或使用 --data-dir。".to_string()
            }
            StoreError::NotReady {
                blockers,
                undecided,
            } => format!(
                "还不能送审：有 {blockers} 个阻断级问题、{undecided} 个未处理的错误。请在检查面板中修改，或对错误填写理由确认。"
            ),
            StoreError::NoSuchFinding(_) => "该问题已不在当前检查结果中，请重新检查。".to_string(),
            StoreError::Decision(d) => d.message().zh,
            StoreError::NeedsOutbox => {
                "报送需通过发件箱进行（“报送”按钮或 baosong submit）。".to_string()
            }
            StoreError::InOutbox => {
                "稿件已在发件箱中，可能正在发往门户网站；请待报送完成后再撤回。".to_string()
            }
            StoreError::NoSuchOutboxEntry(id) => format!("发件箱中没有编号为“{id}”的记录。"),
            StoreError::NeedsReview => {
                "签发和退回修改需在审核页面进行（或使用 baosong sign / baosong review return）。"
                    .to_string()
            }
            StoreError::NotSigned => {
                "稿件当前版本没有有效的签发，不能报送。请先送审签发。".to_string()
            }
            StoreError::NoSuchReview(id) => format!("没有编号为“{id}”的送审记录。"),
            StoreError::ReviewClosed(status) => format!("该送审已处理（{status}），不能再次处理。"),
            StoreError::ReviewStale => {
                "稿件在送审后已被修改，本次送审已失效，请重新送审。".to_string()
            }
            StoreError::ReturnNeedsReason => "退回修改时请填写意见或至少一条批注。".to_string(),
            StoreError::BadRecord(e) => format!("读取已保存的记录失败：{e}"),
            StoreError::Blob(e) => e.message_zh(),
            StoreError::File(e) => e.message_zh(),
            StoreError::NoSuchAttachment(a) => format!("稿件没有附件“{a}”。"),
            StoreError::BadAttachment(e) => format!("附件信息有误：{e}"),
            StoreError::Sqlite(e) => format!("数据库错误：{e}"),
        }
    }

    pub fn to_user(&self) -> UserError {
        UserError {
            code: self.code().to_string(),
            zh: self.message(Lang::Zh),
            en: self.message(Lang::En),
        }
    }

    /// Attaches the database path to a corruption error raised deep inside.
    pub(crate) fn with_path(self, path: &std::path::Path) -> Self {
        match self {
            StoreError::Corrupt { detail, .. } => StoreError::Corrupt {
                path: path.to_path_buf(),
                detail,
            },
            other => other,
        }
    }
}

fn field_label_zh(field: &str) -> &'static str {
    match field {
        "title" => "标题",
        "body" => "正文",
        "summary" => "内容概述",
        _ => "字段",
    }
}
