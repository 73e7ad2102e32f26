//! Errors the command line reports: one line, in the user's language.

use baosong_core::{Lang, StoreError, UserError};

#[derive(Debug)]
pub enum CliError {
    Store(StoreError),
    Io(String, std::io::Error),
    NotUtf8(String, usize),
    TooBig(String, u64),
    BadState(String),
    Output(std::io::Error),
    Write(String, std::io::Error),
    Lexicon(baosong_check::LexiconError),
    Usage(String),
    Sync(baosong_sync::SyncError),
    Sheet(baosong_core::sheet::SheetError),
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        CliError::Store(e)
    }
}

impl From<baosong_sync::SyncError> for CliError {
    fn from(e: baosong_sync::SyncError) -> Self {
        match e {
            baosong_sync::SyncError::Store(s) => CliError::Store(s),
            other => CliError::Sync(other),
        }
    }
}

impl CliError {
    pub fn to_user(&self) -> UserError {
        match self {
            CliError::Store(e) => e.to_user(),
            CliError::Sync(e) => e.to_user(),
            other => UserError {
                code: other.code().to_string(),
                zh: other.message(Lang::Zh),
                en: other.message(Lang::En),
            },
        }
    }

    fn code(&self) -> &'static str {
        match self {
            CliError::Store(e) => e.code(),
            CliError::Io(..) => "io",
            CliError::NotUtf8(..) => "not_utf8",
            CliError::TooBig(..) => "too_big",
            CliError::BadState(_) => "bad_state",
            CliError::Output(_) => "output",
            CliError::Write(..) => "write",
            CliError::Lexicon(_) => "lexicon",
            CliError::Usage(_) => "usage",
            CliError::Sync(_) => "sync",
            CliError::Sheet(e) => e.code(),
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (CliError::Store(e), _) => e.message(lang),
            (CliError::Io(path, e), Lang::Zh) => format!("无法读取 {path}：{}", io_zh(e)),
            (CliError::Io(path, e), Lang::En) => format!("cannot read {path}: {e}"),
            (CliError::NotUtf8(path, at), Lang::Zh) => format!(
                "{path} 不是 UTF-8 编码的文本（第 {at} 字节起无法识别）。如为 GBK/GB18030 编码，请在 WPS 或记事本中另存为 UTF-8 后重试。"
            ),
            (CliError::NotUtf8(path, at), Lang::En) => format!(
                "{path} is not UTF-8 text (invalid from byte {at}); if it is GBK/GB18030, save it as UTF-8 and try again"
            ),
            (CliError::TooBig(path, max), Lang::Zh) => {
                format!(
                    "{path} 太大（超过 {} MB），不像是一篇稿件。",
                    max / 1024 / 1024
                )
            }
            (CliError::TooBig(path, max), Lang::En) => {
                format!(
                    "{path} is too large (over {} MB) to be an item",
                    max / 1024 / 1024
                )
            }
            (CliError::BadState(s), Lang::Zh) => {
                format!("未知的状态“{s}”。可用：{}", state_names(Lang::Zh))
            }
            (CliError::BadState(s), Lang::En) => {
                format!("unknown state '{s}'; use one of: {}", state_names(Lang::En))
            }
            (CliError::Output(e), Lang::Zh) => format!("无法输出结果：{e}"),
            (CliError::Output(e), Lang::En) => format!("cannot write output: {e}"),
            (CliError::Write(path, e), Lang::Zh) => format!("无法写入 {path}：{}", io_zh(e)),
            (CliError::Write(path, e), Lang::En) => format!("cannot write {path}: {e}"),
            (CliError::Lexicon(e), Lang::Zh) => e.message().zh,
            (CliError::Lexicon(e), Lang::En) => e.message().en,
            (CliError::Usage(m), _) => m.clone(),
            (CliError::Sync(e), _) => e.message(lang),
            (CliError::Sheet(e), _) => e.message(lang),
        }
    }
}

fn state_names(lang: Lang) -> String {
    baosong_core::ItemState::ALL
        .iter()
        .map(|s| match lang {
            Lang::Zh => format!("{}（{}）", s.code(), s.label(Lang::Zh)),
            Lang::En => s.code().to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn io_zh(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".to_string(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
        std::io::ErrorKind::IsADirectory => "这是一个目录".to_string(),
        _ => e.to_string(),
    }
}
