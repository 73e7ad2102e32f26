//! Errors: RFC 9457 problem details (`application/problem+json`).
//!
//! Every error answer of the API has this body. Programs branch on `code`
//! (stable, see [`ProblemCode`]); people read `detail` (Chinese) or
//! `detail_en`. `type` is `urn:baosong:problem:<code>`, `title` a short
//! English summary, `status` repeats the HTTP status.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The stable machine-readable error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// 400: the body is not well-formed JSON.
    InvalidJson,
    /// 400: the body is not valid UTF-8.
    InvalidUtf8,
    /// 422: well-formed JSON of the wrong shape (unknown or missing field,
    /// wrong type).
    InvalidBody,
    /// 422: a value is not acceptable (`field` says which).
    ValidationFailed,
    /// 415: the body is not `application/json`.
    UnsupportedMediaType,
    /// 413: the body is larger than the portal accepts.
    PayloadTooLarge,
    /// 400: a path, query or header value is malformed.
    InvalidParameter,
    /// 400: the `since` cursor or `Last-Event-ID` is not one this portal made.
    InvalidCursor,
    /// 401: no bearer token, or one the portal does not know.
    Unauthenticated,
    /// 401: the access token expired; refresh it.
    TokenExpired,
    /// 401: wrong username or password.
    InvalidCredentials,
    /// 401: the refresh token is unknown, expired or revoked; sign in again.
    InvalidRefreshToken,
    /// 401: a refresh token was used twice; the whole sign-in was revoked.
    RefreshTokenReused,
    /// 403: the caller's role may not do this.
    Forbidden,
    /// 404: no such resource (or not the caller's unit's).
    NotFound,
    /// 405: the path exists, the method does not.
    MethodNotAllowed,
    /// 400: `Idempotency-Key` is required on this request.
    IdempotencyKeyMissing,
    /// 400: `Idempotency-Key` must be 1–200 visible ASCII characters.
    IdempotencyKeyInvalid,
    /// 422: this `Idempotency-Key` was already used with a different body.
    IdempotencyKeyReused,
    /// 428: `If-Match` with the current revision's ETag is required.
    PreconditionRequired,
    /// 412: `If-Match` does not name the current revision.
    PreconditionFailed,
    /// 409: the submission's status does not allow this.
    InvalidTransition,
    /// 422: no column with that id.
    UnknownColumn,
    /// 422: `content_hash` does not match the content.
    ContentHashMismatch,
    /// 422: a blocker is not fixed, or an error neither fixed nor waived with a
    /// reason.
    UnresolvedFinding,
    /// 422: the submission carries no sign-off (签发).
    SignoffMissing,
    /// 422: the signature does not match the content, the check report, the
    /// signer, the signing time or the opinion (something changed after
    /// signing), or it is malformed.
    SignatureInvalid,
    /// 422: the sign-off names a key the portal does not know, or one of
    /// another user.
    SigningKeyUnknown,
    /// 422: the signing key was revoked.
    SigningKeyRevoked,
    /// 422: the signer is not a head of the submitting unit.
    SignerWrongUnit,
    /// 422: the signing time is outside the key's validity (before it was
    /// registered, after it was superseded, or in the future).
    SigningTimeInvalid,
    /// 409: this public key is already registered.
    KeyAlreadyRegistered,
    /// 409: a review with this id exists, sent by someone else or with
    /// another body; choose a new id.
    ReviewIdInUse,
    /// 415 on `POST /uploads` (422 on a submission): the attachment's media
    /// type is not on the column's allow-list.
    AttachmentTypeNotAllowed,
    /// 413: the attachment is larger than the column allows.
    AttachmentTooLarge,
    /// 422: a submission names an attachment the portal does not store (not
    /// uploaded, or uploaded with another size).
    AttachmentMissing,
    /// 409: `Upload-Offset` is not the portal's offset; the body has
    /// `upload_offset` (and the `Upload-Offset` header) to continue from.
    UploadOffsetMismatch,
    /// 422: the chunk's SHA-256 is not the one in `Upload-Checksum`; the chunk
    /// was discarded and the offset is unchanged.
    ChunkChecksumMismatch,
    /// 422: the whole file's SHA-256 is not the declared one; the upload was
    /// reset to offset 0.
    UploadHashMismatch,
    /// 429: too many requests; wait `Retry-After` seconds.
    RateLimited,
    /// 500: the portal failed; the request may be retried.
    Internal,
    /// 503: the portal is busy or shutting down; retry later.
    Unavailable,
}

impl ProblemCode {
    pub const ALL: [ProblemCode; 42] = [
        ProblemCode::InvalidJson,
        ProblemCode::InvalidUtf8,
        ProblemCode::InvalidBody,
        ProblemCode::ValidationFailed,
        ProblemCode::UnsupportedMediaType,
        ProblemCode::PayloadTooLarge,
        ProblemCode::InvalidParameter,
        ProblemCode::InvalidCursor,
        ProblemCode::Unauthenticated,
        ProblemCode::TokenExpired,
        ProblemCode::InvalidCredentials,
        ProblemCode::InvalidRefreshToken,
        ProblemCode::RefreshTokenReused,
        ProblemCode::Forbidden,
        ProblemCode::NotFound,
        ProblemCode::MethodNotAllowed,
        ProblemCode::IdempotencyKeyMissing,
        ProblemCode::IdempotencyKeyInvalid,
        ProblemCode::IdempotencyKeyReused,
        ProblemCode::PreconditionRequired,
        ProblemCode::PreconditionFailed,
        ProblemCode::InvalidTransition,
        ProblemCode::UnknownColumn,
        ProblemCode::ContentHashMismatch,
        ProblemCode::UnresolvedFinding,
        ProblemCode::SignoffMissing,
        ProblemCode::SignatureInvalid,
        ProblemCode::SigningKeyUnknown,
        ProblemCode::SigningKeyRevoked,
        ProblemCode::SignerWrongUnit,
        ProblemCode::SigningTimeInvalid,
        ProblemCode::KeyAlreadyRegistered,
        ProblemCode::ReviewIdInUse,
        ProblemCode::AttachmentTypeNotAllowed,
        ProblemCode::AttachmentTooLarge,
        ProblemCode::AttachmentMissing,
        ProblemCode::UploadOffsetMismatch,
        ProblemCode::ChunkChecksumMismatch,
        ProblemCode::UploadHashMismatch,
        ProblemCode::RateLimited,
        ProblemCode::Internal,
        ProblemCode::Unavailable,
    ];

    /// The stable name, as on the wire.
    pub fn code(self) -> &'static str {
        use ProblemCode::*;
        match self {
            InvalidJson => "invalid_json",
            InvalidUtf8 => "invalid_utf8",
            InvalidBody => "invalid_body",
            ValidationFailed => "validation_failed",
            UnsupportedMediaType => "unsupported_media_type",
            PayloadTooLarge => "payload_too_large",
            InvalidParameter => "invalid_parameter",
            InvalidCursor => "invalid_cursor",
            Unauthenticated => "unauthenticated",
            TokenExpired => "token_expired",
            InvalidCredentials => "invalid_credentials",
            InvalidRefreshToken => "invalid_refresh_token",
            RefreshTokenReused => "refresh_token_reused",
            Forbidden => "forbidden",
            NotFound => "not_found",
            MethodNotAllowed => "method_not_allowed",
            IdempotencyKeyMissing => "idempotency_key_missing",
            IdempotencyKeyInvalid => "idempotency_key_invalid",
            IdempotencyKeyReused => "idempotency_key_reused",
            PreconditionRequired => "precondition_required",
            PreconditionFailed => "precondition_failed",
            InvalidTransition => "invalid_transition",
            UnknownColumn => "unknown_column",
            ContentHashMismatch => "content_hash_mismatch",
            UnresolvedFinding => "unresolved_finding",
            SignoffMissing => "signoff_missing",
            SignatureInvalid => "signature_invalid",
            SigningKeyUnknown => "signing_key_unknown",
            SigningKeyRevoked => "signing_key_revoked",
            SignerWrongUnit => "signer_wrong_unit",
            SigningTimeInvalid => "signing_time_invalid",
            KeyAlreadyRegistered => "key_already_registered",
            ReviewIdInUse => "review_id_in_use",
            AttachmentTypeNotAllowed => "attachment_type_not_allowed",
            AttachmentTooLarge => "attachment_too_large",
            AttachmentMissing => "attachment_missing",
            UploadOffsetMismatch => "upload_offset_mismatch",
            ChunkChecksumMismatch => "chunk_checksum_mismatch",
            UploadHashMismatch => "upload_hash_mismatch",
            RateLimited => "rate_limited",
            Internal => "internal",
            Unavailable => "unavailable",
        }
    }

    /// The HTTP status that goes with the code.
    pub fn status(self) -> u16 {
        use ProblemCode::*;
        match self {
            InvalidJson
            | InvalidUtf8
            | InvalidParameter
            | InvalidCursor
            | IdempotencyKeyMissing
            | IdempotencyKeyInvalid => 400,
            Unauthenticated | TokenExpired | InvalidCredentials | InvalidRefreshToken
            | RefreshTokenReused => 401,
            Forbidden => 403,
            NotFound => 404,
            MethodNotAllowed => 405,
            InvalidTransition | KeyAlreadyRegistered | ReviewIdInUse | UploadOffsetMismatch => 409,
            PreconditionFailed => 412,
            PayloadTooLarge | AttachmentTooLarge => 413,
            UnsupportedMediaType | AttachmentTypeNotAllowed => 415,
            InvalidBody
            | ValidationFailed
            | IdempotencyKeyReused
            | UnknownColumn
            | ContentHashMismatch
            | UnresolvedFinding
            | SignoffMissing
            | SignatureInvalid
            | SigningKeyUnknown
            | SigningKeyRevoked
            | SignerWrongUnit
            | SigningTimeInvalid
            | AttachmentMissing
            | ChunkChecksumMismatch
            | UploadHashMismatch => 422,
            PreconditionRequired => 428,
            RateLimited => 429,
            Internal => 500,
            Unavailable => 503,
        }
    }

    /// A short English summary (the problem's `title`).
    pub fn title(self) -> &'static str {
        use ProblemCode::*;
        match self {
            InvalidJson => "Malformed JSON",
            InvalidUtf8 => "Body is not UTF-8",
            InvalidBody => "Body has the wrong shape",
            ValidationFailed => "Invalid value",
            UnsupportedMediaType => "Unsupported media type",
            PayloadTooLarge => "Body too large",
            InvalidParameter => "Invalid parameter",
            InvalidCursor => "Invalid cursor",
            Unauthenticated => "Not signed in",
            TokenExpired => "Access token expired",
            InvalidCredentials => "Wrong username or password",
            InvalidRefreshToken => "Invalid refresh token",
            RefreshTokenReused => "Refresh token reused",
            Forbidden => "Not allowed",
            NotFound => "Not found",
            MethodNotAllowed => "Method not allowed",
            IdempotencyKeyMissing => "Idempotency-Key required",
            IdempotencyKeyInvalid => "Invalid Idempotency-Key",
            IdempotencyKeyReused => "Idempotency-Key reused",
            PreconditionRequired => "If-Match required",
            PreconditionFailed => "Revision changed",
            InvalidTransition => "Not possible in this status",
            UnknownColumn => "Unknown column",
            ContentHashMismatch => "Content hash mismatch",
            UnresolvedFinding => "Unresolved check finding",
            SignoffMissing => "Not signed off",
            SignatureInvalid => "Signature does not verify",
            SigningKeyUnknown => "Unknown signing key",
            SigningKeyRevoked => "Signing key revoked",
            SignerWrongUnit => "Signer is not a head of the unit",
            SigningTimeInvalid => "Signing time outside the key's validity",
            KeyAlreadyRegistered => "Key already registered",
            ReviewIdInUse => "Review id in use",
            AttachmentTypeNotAllowed => "Attachment type not allowed",
            AttachmentTooLarge => "Attachment too large",
            AttachmentMissing => "Attachment not uploaded",
            UploadOffsetMismatch => "Upload offset mismatch",
            ChunkChecksumMismatch => "Chunk checksum mismatch",
            UploadHashMismatch => "Uploaded file hash mismatch",
            RateLimited => "Too many requests",
            Internal => "Internal error",
            Unavailable => "Service unavailable",
        }
    }

    /// The default message for people, in Chinese.
    pub fn message_zh(self) -> &'static str {
        use ProblemCode::*;
        match self {
            InvalidJson => "请求内容不是有效的 JSON。",
            InvalidUtf8 => "请求内容不是有效的 UTF-8 文本。",
            InvalidBody => "请求内容的格式不正确。",
            ValidationFailed => "请求中有不符合要求的内容。",
            UnsupportedMediaType => "请求内容类型必须是 application/json。",
            PayloadTooLarge => "请求内容过大。",
            InvalidParameter => "请求参数不正确。",
            InvalidCursor => "变更位置标记无效，请从头获取。",
            Unauthenticated => "请先登录。",
            TokenExpired => "登录已过期，请刷新令牌或重新登录。",
            InvalidCredentials => "用户名或密码错误。",
            InvalidRefreshToken => "刷新令牌无效或已过期，请重新登录。",
            RefreshTokenReused => "刷新令牌被重复使用，为安全起见本次登录已全部失效，请重新登录。",
            Forbidden => "您的角色无权执行此操作。",
            NotFound => "找不到该资源。",
            MethodNotAllowed => "该地址不支持此请求方法。",
            IdempotencyKeyMissing => "报送请求必须带有 Idempotency-Key 请求头。",
            IdempotencyKeyInvalid => "Idempotency-Key 必须是 1 至 200 个可见 ASCII 字符。",
            IdempotencyKeyReused => {
                "该 Idempotency-Key 已用于内容不同的报送，请为新的报送使用新的键。"
            }
            PreconditionRequired => "重新报送必须带有 If-Match 请求头（当前版本的 ETag）。",
            PreconditionFailed => "稿件已有更新的版本，请刷新后再操作。",
            InvalidTransition => "稿件当前的状态不允许此操作。",
            UnknownColumn => "没有这个栏目。",
            ContentHashMismatch => "内容校验值与稿件内容不一致。",
            UnresolvedFinding => {
                "自查发现的问题尚未处理：阻断项必须修改，错误项必须修改或书面说明理由。"
            }
            SignoffMissing => "稿件未经签发，不能报送。未经审核的信息不得上网发布。",
            SignatureInvalid => {
                "签发签名校验失败：稿件在签发后被改动过，或签名已损坏。请重新送审签发。"
            }
            SigningKeyUnknown => "签发所用的密钥未在门户网站登记。",
            SigningKeyRevoked => "签发所用的密钥已被吊销，请用新密钥重新签发。",
            SignerWrongUnit => "签发人不是报送单位的负责人。",
            SigningTimeInvalid => "签发时间不在该密钥的有效期内。",
            KeyAlreadyRegistered => "该公钥已经登记过。",
            ReviewIdInUse => "该送审编号已被另一份送审使用，请换一个编号。",
            AttachmentTypeNotAllowed => "该栏目不接受这种类型的附件。",
            AttachmentTooLarge => "附件超过该栏目允许的大小。",
            AttachmentMissing => "稿件引用的附件尚未上传到门户网站，或大小不符。",
            UploadOffsetMismatch => {
                "上传位置与门户网站记录的不一致，请从门户网站告知的位置继续上传。"
            }
            ChunkChecksumMismatch => "本段数据在传输中损坏（校验值不符），已丢弃，请重传这一段。",
            UploadHashMismatch => "上传完成的文件与声明的校验值不符，已作废，请重新上传。",
            RateLimited => "请求过于频繁，请稍后再试。",
            Internal => "门户网站服务器出错，请稍后重试。",
            Unavailable => "门户网站暂时无法处理请求，请稍后重试。",
        }
    }

    /// The default message for people, in English.
    pub fn message_en(self) -> &'static str {
        use ProblemCode::*;
        match self {
            InvalidJson => "The request body is not valid JSON.",
            InvalidUtf8 => "The request body is not valid UTF-8.",
            InvalidBody => "The request body has the wrong shape.",
            ValidationFailed => "A value in the request is not acceptable.",
            UnsupportedMediaType => "The request body must be application/json.",
            PayloadTooLarge => "The request body is too large.",
            InvalidParameter => "A request parameter is malformed.",
            InvalidCursor => "The cursor is not valid; start from the beginning.",
            Unauthenticated => "Sign in first.",
            TokenExpired => "The access token expired; refresh it or sign in again.",
            InvalidCredentials => "Wrong username or password.",
            InvalidRefreshToken => "The refresh token is invalid or expired; sign in again.",
            RefreshTokenReused => {
                "A refresh token was used twice; this sign-in was revoked. Sign in again."
            }
            Forbidden => "Your role may not do this.",
            NotFound => "Not found.",
            MethodNotAllowed => "This method is not supported on this path.",
            IdempotencyKeyMissing => "Submissions need an Idempotency-Key header.",
            IdempotencyKeyInvalid => "Idempotency-Key must be 1 to 200 visible ASCII characters.",
            IdempotencyKeyReused => {
                "This Idempotency-Key was used for a different submission; use a new key."
            }
            PreconditionRequired => "Resubmitting needs If-Match with the current revision's ETag.",
            PreconditionFailed => "The submission has a newer revision; reload it.",
            InvalidTransition => "The submission's status does not allow this.",
            UnknownColumn => "No such column.",
            ContentHashMismatch => "content_hash does not match the content.",
            UnresolvedFinding => {
                "A check finding is unresolved: blockers must be fixed, errors fixed or waived with a reason."
            }
            SignoffMissing => "The item is not signed off; nothing goes online without sign-off.",
            SignatureInvalid => {
                "The sign-off signature does not verify: the item changed after signing, or the signature is damaged. Have it signed again."
            }
            SigningKeyUnknown => "The signing key is not registered with the portal.",
            SigningKeyRevoked => "The signing key was revoked; sign again with a new key.",
            SignerWrongUnit => "The signer is not a head of the submitting unit.",
            SigningTimeInvalid => "The signing time is outside the key's validity.",
            KeyAlreadyRegistered => "This public key is already registered.",
            ReviewIdInUse => {
                "A review with this id exists with another body or sender; use a new id."
            }
            AttachmentTypeNotAllowed => "The column does not accept attachments of this type.",
            AttachmentTooLarge => "The attachment is larger than the column allows.",
            AttachmentMissing => {
                "The submission names an attachment the portal does not store (not uploaded, or another size)."
            }
            UploadOffsetMismatch => {
                "Upload-Offset is not the portal's offset; continue from the offset it gives."
            }
            ChunkChecksumMismatch => {
                "The chunk does not match Upload-Checksum; it was discarded, send it again."
            }
            UploadHashMismatch => {
                "The uploaded file does not match the declared SHA-256; the upload was reset, send it again."
            }
            RateLimited => "Too many requests; try again later.",
            Internal => "The portal failed; try again later.",
            Unavailable => "The portal cannot take requests right now; try again later.",
        }
    }
}

/// A problem detail (RFC 9457) with Baosong's extensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// `urn:baosong:problem:<code>`.
    #[serde(rename = "type")]
    #[schema(example = "urn:baosong:problem:not_found")]
    pub type_uri: String,
    /// Short English summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    #[schema(example = 404)]
    pub status: u16,
    /// What went wrong, for people, in Chinese.
    pub detail: String,
    /// The same in English.
    pub detail_en: String,
    /// Stable code for programs.
    pub code: ProblemCode,
    /// The request field the problem is about, as a dotted path
    /// (`item.title`), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Individual problems with fields of the body, when there are several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// With `upload_offset_mismatch`: the offset the portal has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_offset: Option<u64>,
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub detail: String,
    pub detail_en: String,
}

impl Problem {
    /// The problem with the code's default messages.
    pub fn new(code: ProblemCode) -> Problem {
        Problem {
            type_uri: format!("urn:baosong:problem:{}", code.code()),
            title: code.title().to_string(),
            status: code.status(),
            detail: code.message_zh().to_string(),
            detail_en: code.message_en().to_string(),
            code,
            field: None,
            errors: Vec::new(),
            upload_offset: None,
        }
    }

    /// Replaces the messages.
    pub fn with_detail(mut self, zh: impl Into<String>, en: impl Into<String>) -> Problem {
        self.detail = zh.into();
        self.detail_en = en.into();
        self
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Problem {
        self.field = Some(field.into());
        self
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Problem {
        self.errors = errors;
        self
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.code.code(),
            self.status,
            self.detail_en
        )
    }
}

impl std::error::Error for Problem {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_serialises_as_its_name_with_a_4xx_or_5xx_status() {
        for code in ProblemCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.code()));
            assert!((400..600).contains(&code.status()), "{code:?}");
            assert!(!code.message_zh().is_empty() && !code.message_en().is_empty());
        }
    }

    #[test]
    fn problem_body_has_the_rfc_members() {
        let p = Problem::new(ProblemCode::IdempotencyKeyReused).with_field("Idempotency-Key");
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["type"], "urn:baosong:problem:idempotency_key_reused");
        assert_eq!(v["status"], 422);
        assert_eq!(v["code"], "idempotency_key_reused");
        assert!(v["detail"].as_str().unwrap().contains("Idempotency-Key"));
        assert!(v.get("errors").is_none());
    }
}
