//! What can go wrong while talking to the portal, classified by what the
//! outbox should do about it: wait and retry (the network, a busy or broken
//! portal), stop this entry (the portal refused the request itself), or ask
//! the person (sign in again, fix the settings).

use baosong_api::{Problem, ProblemCode};
use baosong_core::{Lang, StoreError, UserError};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum SyncError {
    /// No connection: refused, reset, DNS, proxy, timeout.
    #[error("cannot reach the portal: {0}")]
    Unreachable(String),
    /// The certificate was not trusted or did not match.
    #[error("the portal's certificate was not accepted: {0}")]
    Tls(String),
    /// The portal answered 5xx, 408 or 429: it may work later.
    #[error("the portal is unavailable (HTTP {status}): {detail}")]
    Unavailable { status: u16, detail: String },
    /// The portal answered something that is not what the API promises
    /// (malformed JSON, a huge body, a wrong content type).
    #[error("the portal sent an answer that cannot be read: {0}")]
    BadResponse(String),
    /// The portal refused the request itself (4xx): retrying the same request
    /// will not help.
    #[error("the portal refused: {}", .0.detail_en)]
    Refused(Box<Problem>),
    /// Sign-in is needed: never signed in, signed out, or the sign-in expired
    /// or was revoked.
    #[error("sign in to the portal again")]
    SignInRequired,
    /// Username or password wrong.
    #[error("wrong username or password")]
    InvalidCredentials,
    /// No portal is configured yet.
    #[error(
        "nobody is signed in to the portal: sign in first (登录门户 in the app; baosong login --portal URL --user NAME on the command line)"
    )]
    NoProfile,
    /// The OS keyring is missing, locked or refused.
    #[error("the system keyring is not available: {0}")]
    Keyring(String),
    /// A setting is unusable (portal address, CA file, proxy).
    #[error("{en}")]
    Config { zh: String, en: String },
    /// The sign-off no longer matches the item (签发已失效); it must be
    /// signed again.
    #[error("the sign-off is no longer valid ({0}); send the item for sign-off again")]
    SignoffInvalid(String),
    /// Only a unit head signs.
    #[error("only a unit head (单位负责人) can sign off")]
    NotAHead,
    /// An attachment the submission names cannot be read from the local
    /// attachment store (missing, another size, unreadable): sending again
    /// will not help.
    #[error("attachment {name:?} cannot be read from the local store: {detail}")]
    AttachmentUnavailable { name: String, detail: String },
    #[error(transparent)]
    Store(StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl SyncError {
    pub fn config(zh: impl Into<String>, en: impl Into<String>) -> SyncError {
        SyncError::Config {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// Worth trying again later without anyone doing anything.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            SyncError::Unreachable(_)
                | SyncError::Tls(_)
                | SyncError::Unavailable { .. }
                | SyncError::BadResponse(_)
        )
    }

    /// The portal refused this request for good (the entry stops).
    pub fn is_permanent_refusal(&self) -> bool {
        matches!(
            self,
            SyncError::Refused(_) | SyncError::AttachmentUnavailable { .. }
        )
    }

    pub fn code(&self) -> String {
        match self {
            SyncError::Unreachable(_) => "portal_unreachable".into(),
            SyncError::Tls(_) => "tls".into(),
            SyncError::Unavailable { .. } => "portal_unavailable".into(),
            SyncError::BadResponse(_) => "bad_response".into(),
            SyncError::Refused(p) => p.code.code().to_string(),
            SyncError::SignInRequired => "sign_in_required".into(),
            SyncError::InvalidCredentials => ProblemCode::InvalidCredentials.code().into(),
            SyncError::NoProfile => "no_profile".into(),
            SyncError::Keyring(_) => "keyring".into(),
            SyncError::Config { .. } => "config".into(),
            SyncError::SignoffInvalid(_) => "signoff_invalid".into(),
            SyncError::NotAHead => "not_a_head".into(),
            SyncError::AttachmentUnavailable { .. } => "attachment_unavailable".into(),
            SyncError::Store(e) => e.code().into(),
            SyncError::Internal(_) => "internal".into(),
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return match self {
                SyncError::Store(e) => e.message(lang),
                other => other.to_string(),
            };
        }
        match self {
            SyncError::Unreachable(d) => {
                format!("无法连接门户网站（{d}）。稿件保留在发件箱中，联网后自动报送。")
            }
            SyncError::Tls(d) => format!(
                "门户网站的证书未通过验证（{d}）。如单位内网使用自建证书，请在门户设置中添加单位的根证书（CA）。"
            ),
            SyncError::Unavailable { status, .. } => {
                format!("门户网站暂时无法处理（HTTP {status}）。稿件保留在发件箱中，稍后自动重试。")
            }
            SyncError::BadResponse(d) => format!(
                "门户网站返回了无法识别的内容（{d}）。稿件保留在发件箱中，稍后自动重试；如持续出现请联系门户网站。"
            ),
            SyncError::Refused(p) => format!("门户网站拒收：{}", p.detail),
            SyncError::SignInRequired => {
                "登录已失效，请重新登录门户网站。发件箱中的稿件会保留，登录后继续报送。".into()
            }
            SyncError::InvalidCredentials => "用户名或密码不正确。".into(),
            SyncError::NoProfile => {
                "尚未登录门户网站：请先登录（桌面程序点“登录门户”；命令行用 baosong login --portal 地址 --user 用户名）。送审、签发和报送都要知道是谁在操作。".into()
            }
            SyncError::Keyring(d) => format!(
                "系统密钥环不可用（{d}）。登录凭据只保存在系统密钥环中：请确认已登录桌面并解锁密钥环（Linux 上为 GNOME 密钥环 / Secret Service）。"
            ),
            SyncError::Config { zh, .. } => zh.clone(),
            SyncError::SignoffInvalid(_) => {
                "签发已失效：稿件或签名与签发时不一致。稿件已退回草稿，请重新送审签发。".into()
            }
            SyncError::NotAHead => "只有单位负责人才能签发。".into(),
            SyncError::AttachmentUnavailable { name, detail } => format!(
                "附件“{name}”无法从本机附件库读取（{detail}），不能上传。请重新添加该附件，并重新送审签发。"
            ),
            SyncError::Store(e) => e.message(lang),
            SyncError::Internal(d) => format!("内部错误：{d}"),
        }
    }

    pub fn to_user(&self) -> UserError {
        UserError {
            code: self.code(),
            zh: self.message(Lang::Zh),
            en: self.message(Lang::En),
        }
    }
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        SyncError::Store(e)
    }
}
