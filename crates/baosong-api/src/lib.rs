//! The information-reporting API (信息报送接口), version 1: the wire types the
//! Baosong client and a portal exchange, and the OpenAPI 3.1 document generated
//! from them.
//!
//! This crate is the contract. It knows nothing about the client's store, the
//! desktop shell or the HTTP framework of any server; both sides map their own
//! types to these. Everything lives under [`API_PREFIX`] (`/api/v1`).
//!
//! - [`auth`]: sign-in, refresh-token rotation, sign-out.
//! - [`me`]: who the caller is, their unit and its assigned columns.
//! - [`columns`]: the portal's columns (栏目) with their update cadence.
//! - [`submission`]: what the client submits (item metadata, Markdown, HTML,
//!   [content hash](hash), check report, sign-off) and what the portal keeps.
//! - [`status`]: the status of a submission at the portal and the legal moves.
//! - [`changes`]: the change feed (cursor-paged) and the live event stream.
//! - [`decision`]: what a portal editor decides.
//! - [`keys`]: unit heads' signing keys; [`signing`]: the sign-off statement
//!   and its Ed25519 signature.
//! - [`reviews`]: the unit review queue (送审) between author and head.
//! - [`uploads`]: resumable, verified attachment upload (tus-like) and the
//!   columns' attachment policy.
//! - [`problem`]: RFC 9457 problem details with a stable [`ProblemCode`].
//! - [`openapi()`]: the generated document (`docs/api/openapi.json`).
//!
//! Request types reject unknown fields; response types do not, so a client keeps
//! working when a newer portal adds fields.

pub mod auth;
pub mod changes;
pub mod columns;
pub mod decision;
pub mod hash;
pub mod keys;
pub mod me;
mod openapi;
pub mod problem;
pub mod reviews;
pub mod signing;
pub mod status;
pub mod submission;
pub mod uploads;

pub use auth::{LogoutRequest, RefreshRequest, TokenRequest, TokenResponse};
pub use changes::{ChangesPage, StatusChange};
pub use columns::{Column, ColumnKind, ColumnList, UnitRef};
pub use decision::{DecisionAction, DecisionRequest, WithdrawRequest};
pub use hash::content_hash;
pub use keys::{KeyList, KeysQuery, RegisterKeyRequest, RevokeKeyRequest, SigningKeyInfo};
pub use me::{Actor, Me, Role, Unit, User};
pub use openapi::{ApiDoc, openapi, openapi_json};
pub use problem::{FieldError, Problem, ProblemCode};
pub use reviews::{
    PreviousRevision, Review, ReviewAction, ReviewChange, ReviewComment, ReviewDecision,
    ReviewDecisionRequest, ReviewPage, ReviewRequest, ReviewStatus, ReviewsQuery, TextAnchor,
};
pub use status::{InvalidTransition, SubmissionStatus, Transition};
pub use submission::{
    AttachmentRef, CheckReport, CheckSummary, Disclosure, DisclosureKind, Finding, FindingDecision,
    FindingDecisionKind, ItemMetadata, Severity, Signoff, Submission, SubmissionRequest, Urgency,
    Validity,
};
pub use uploads::{AttachmentPolicy, CreateUploadRequest, Upload, UploadStatus};

/// Every path of this API version starts with this.
pub const API_PREFIX: &str = "/api/v1";

/// The media type of error bodies (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The request header that makes `POST /submissions` safe to retry.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";

/// Set to `true` on a `POST /submissions` answer that replays an earlier one.
pub const IDEMPOTENT_REPLAYED_HEADER: &str = "Idempotent-Replayed";

/// The longest accepted `Idempotency-Key`.
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 200;

/// Whether `key` is an acceptable `Idempotency-Key`: 1 to
/// [`MAX_IDEMPOTENCY_KEY_LEN`] visible ASCII characters (a UUID is the usual
/// choice).
pub fn is_valid_idempotency_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_IDEMPOTENCY_KEY_LEN
        && key.bytes().all(|b| b.is_ascii_graphic())
}

/// The strong entity tag of a submission at `revision`, as sent in `ETag` and
/// expected in `If-Match` on `PUT /submissions/{id}`.
pub fn revision_etag(revision: u32) -> String {
    format!("\"r{revision}\"")
}

/// The revision named by an entity tag made by [`revision_etag`]; `None` for
/// any other tag (including weak ones and `*`).
pub fn parse_revision_etag(tag: &str) -> Option<u32> {
    tag.trim()
        .strip_prefix("\"r")?
        .strip_suffix('"')?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_round_trip_and_refuse_strangers() {
        assert_eq!(revision_etag(3), "\"r3\"");
        assert_eq!(parse_revision_etag(" \"r12\" "), Some(12));
        assert_eq!(parse_revision_etag("W/\"r12\""), None);
        assert_eq!(parse_revision_etag("*"), None);
        assert_eq!(parse_revision_etag("\"rx\""), None);
    }

    #[test]
    fn idempotency_keys() {
        assert!(is_valid_idempotency_key(
            "0190a5c4-7d3e-7b1a-9f00-000000000001"
        ));
        assert!(!is_valid_idempotency_key(""));
        assert!(!is_valid_idempotency_key("有 空格"));
        assert!(!is_valid_idempotency_key(&"k".repeat(201)));
    }
}
