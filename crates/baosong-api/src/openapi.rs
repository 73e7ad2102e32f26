//! The OpenAPI 3.1 document, generated from the types of this crate.
//!
//! The functions below only carry the `#[utoipa::path]` descriptions of the
//! operations; servers implement them with whatever framework they use. The
//! committed copy is `docs/api/openapi.json`; regenerate it with
//! `BAOSONG_WRITE_OPENAPI=1 cargo test -p baosong-api --test openapi` (or
//! `baosong-portal openapi > docs/api/openapi.json`).

#![allow(dead_code)]

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::auth::{LogoutRequest, RefreshRequest, TokenRequest, TokenResponse};
use crate::changes::{ChangesPage, ChangesQuery};
use crate::columns::ColumnList;
use crate::decision::{DecisionRequest, WithdrawRequest};
use crate::keys::{KeyList, KeysQuery, RegisterKeyRequest, RevokeKeyRequest, SigningKeyInfo};
use crate::me::Me;
use crate::problem::Problem;
use crate::reviews::{Review, ReviewDecisionRequest, ReviewPage, ReviewRequest, ReviewsQuery};
use crate::submission::{Submission, SubmissionRequest};
use crate::uploads::{CreateUploadRequest, Upload};

/// The generated OpenAPI description of API v1.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Baosong information-reporting API (信息报送接口)",
        version = "1.0.0",
        description = "How a unit's reporting client submits items (稿件) to a government \
portal and follows what the portal does with them. Every error is RFC 9457 \
`application/problem+json` with a stable `code`. See docs/api/README.md.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0")
    ),
    paths(
        token,
        refresh,
        logout,
        me,
        columns,
        create_submission,
        get_submission,
        resubmit,
        withdraw,
        decide,
        changes,
        events,
        register_key,
        my_keys,
        list_keys,
        revoke_key,
        send_review,
        list_reviews,
        get_review,
        decide_review,
        cancel_review,
        create_upload,
        upload_offset,
        get_upload,
        upload_chunk,
        download_attachment,
        openapi_document
    ),
    components(schemas(
        crate::problem::ProblemCode,
        crate::status::Transition,
        crate::changes::StatusChange,
        crate::reviews::ReviewChange
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign-in and tokens"),
        (name = "me", description = "The caller, their unit and columns"),
        (name = "submissions", description = "Submitting items and following them"),
        (name = "editor", description = "Portal editors' decisions"),
        (name = "keys", description = "Unit heads' signing keys (签发密钥)"),
        (name = "reviews", description = "The unit review queue (送审、签发)"),
        (name = "attachments", description = "Resumable, verified attachment upload (Baosong upload protocol, modelled on tus 1.0 core + checksum + creation) and download"),
        (name = "meta", description = "This document")
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some(
                            "An access token from POST /api/v1/auth/token or /auth/refresh.",
                        ))
                        .build(),
                ),
            );
        }
    }
}

/// The document as a value.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document as pretty-printed JSON with a final newline, exactly as
/// committed in `docs/api/openapi.json` and served at `/api/v1/openapi.json`.
pub fn openapi_json() -> String {
    // Serialising a tree of strings, maps and numbers cannot fail; fall back to
    // an empty object rather than panic if serde_json ever says otherwise.
    let mut json = openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".to_string());
    json.push('\n');
    json
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/token",
    tag = "auth",
    operation_id = "createToken",
    summary = "Sign in",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`invalid_credentials`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts", body = Problem, content_type = "application/problem+json")
    )
)]
fn token() {}

#[utoipa::path(
    post,
    path = "/api/v1/auth/refresh",
    tag = "auth",
    operation_id = "refreshToken",
    summary = "Rotate the refresh token",
    description = "Answers with a new pair; the given refresh token is used up. Presenting \
a rotated token again revokes the whole sign-in (`refresh_token_reused`), except for a retry \
after a lost answer: within a short grace window after its first use (30 s by default), and \
while nothing issued from it has been used, the same token gets another new pair. The first \
of those pairs to be used wins; presenting another of them afterwards is a reuse.",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`invalid_refresh_token` or `refresh_token_reused`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn refresh() {}

#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    operation_id = "logout",
    summary = "Sign out",
    description = "Revokes the sign-in the refresh token belongs to, with its access tokens. \
Answers 204 for unknown tokens too.",
    request_body = LogoutRequest,
    responses(
        (status = 204, description = "Signed out"),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn logout() {}

#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "me",
    operation_id = "getMe",
    summary = "The caller, their unit and its columns",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = Me),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn me() {}

#[utoipa::path(
    get,
    path = "/api/v1/columns",
    tag = "me",
    operation_id = "listColumns",
    summary = "All columns of the portal",
    security(("bearer" = [])),
    params(
        ("If-None-Match" = Option<String>, Header, description = "The ETag of a list you have: 304 if unchanged")
    ),
    responses(
        (status = 200, description = "The columns", body = ColumnList,
            headers(("ETag" = String, description = "Tag of this list"))),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn columns() {}

#[utoipa::path(
    post,
    path = "/api/v1/submissions",
    tag = "submissions",
    operation_id = "createSubmission",
    summary = "Submit an item (报送)",
    description = "Safe to retry: the same `Idempotency-Key` with the same body answers with \
the submission the first request created (200, `Idempotent-Replayed: true`); with a different \
body it is refused with `idempotency_key_reused`. Only liaison officers and unit heads submit.",
    security(("bearer" = [])),
    params(
        ("Idempotency-Key" = String, Header, description = "1–200 visible ASCII characters, unique per submission (a UUID)")
    ),
    request_body = SubmissionRequest,
    responses(
        (status = 201, description = "Received", body = Submission,
            headers(("ETag" = String, description = "`\"r<revision>\"`"),
                    ("Location" = String, description = "The submission's URL"))),
        (status = 200, description = "Replay of an earlier request with the same key and body", body = Submission,
            headers(("ETag" = String, description = "`\"r<revision>\"`"),
                    ("Idempotent-Replayed" = String, description = "`true`"))),
        (status = 400, description = "Malformed body or Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Role may not submit", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid content, `idempotency_key_reused`, `unknown_column`, `content_hash_mismatch`, `unresolved_finding`, `attachment_missing`, `attachment_type_not_allowed`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn create_submission() {}

#[utoipa::path(
    get,
    path = "/api/v1/submissions/{id}",
    tag = "submissions",
    operation_id = "getSubmission",
    summary = "A submission with its status history",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The portal's submission id")),
    responses(
        (status = 200, description = "The submission", body = Submission,
            headers(("ETag" = String, description = "`\"r<revision>\"`"))),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission in the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn get_submission() {}

#[utoipa::path(
    put,
    path = "/api/v1/submissions/{id}",
    tag = "submissions",
    operation_id = "resubmitSubmission",
    summary = "Resubmit a returned submission as a new revision",
    security(("bearer" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "The portal's submission id"),
        ("If-Match" = String, Header, description = "The ETag of the revision being replaced")
    ),
    request_body = SubmissionRequest,
    responses(
        (status = 200, description = "Received again, as the next revision", body = Submission,
            headers(("ETag" = String, description = "`\"r<revision>\"`"))),
        (status = 400, description = "Malformed body or id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Role may not submit", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission in the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: not returned", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`: If-Match is not the current revision", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid content", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "`precondition_required`: If-Match missing", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn resubmit() {}

#[utoipa::path(
    post,
    path = "/api/v1/submissions/{id}/withdraw",
    tag = "submissions",
    operation_id = "withdrawSubmission",
    summary = "Withdraw a submission (撤回)",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The portal's submission id")),
    request_body(content = Option<WithdrawRequest>, description = "Optional comment"),
    responses(
        (status = 200, description = "Withdrawn", body = Submission),
        (status = 400, description = "Malformed body or id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Role may not withdraw", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission in the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn withdraw() {}

#[utoipa::path(
    post,
    path = "/api/v1/submissions/{id}/decision",
    tag = "editor",
    operation_id = "decideSubmission",
    summary = "A portal editor's decision: start review, adopt, return, decline, publish",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The portal's submission id")),
    request_body = DecisionRequest,
    responses(
        (status = 200, description = "Decided", body = Submission),
        (status = 400, description = "Malformed body or id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a portal editor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing reason or public URL", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn decide() {}

#[utoipa::path(
    get,
    path = "/api/v1/submissions/changes",
    tag = "submissions",
    operation_id = "listChanges",
    summary = "Status changes after a cursor, oldest first",
    description = "The caller's unit's changes (every unit's for editors and administrators). \
No change is skipped or repeated while paging, even under concurrent writes.",
    security(("bearer" = [])),
    params(ChangesQuery),
    responses(
        (status = 200, description = "A page of changes", body = ChangesPage),
        (status = 400, description = "`invalid_cursor` or bad limit", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn changes() {}

#[utoipa::path(
    get,
    path = "/api/v1/events",
    tag = "submissions",
    operation_id = "streamEvents",
    summary = "Live status changes (Server-Sent Events)",
    description = "Events named `status_change` with `id` = the change's cursor and `data` = a \
`StatusChange` as JSON; comment lines keep the connection alive. `Last-Event-ID` resumes after \
that change, sending the missed ones first. The unit's heads and a review's sender also get \
`review_change` events (`data` = a `ReviewChange`, no `id`, not replayed): fetch \
`GET /reviews?since=` on one.",
    security(("bearer" = [])),
    params(
        ("Last-Event-ID" = Option<String>, Header, description = "Resume after this change's cursor")
    ),
    responses(
        (status = 200, description = "An endless stream of `status_change` events", body = String, content_type = "text/event-stream"),
        (status = 400, description = "`invalid_cursor`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn events() {}

#[utoipa::path(
    post,
    path = "/api/v1/me/keys",
    tag = "keys",
    operation_id = "registerKey",
    summary = "Register a signing key (unit heads)",
    description = "Registers the caller's Ed25519 public key. From now on it is the caller's current key; earlier keys are superseded (signatures made before now still verify against them).",
    security(("bearer" = [])),
    request_body = RegisterKeyRequest,
    responses(
        (status = 201, description = "Registered", body = SigningKeyInfo),
        (status = 200, description = "The caller registered this key before; nothing changed", body = SigningKeyInfo),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only unit heads sign", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`key_already_registered`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a valid Ed25519 public key", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn register_key() {}

#[utoipa::path(
    get,
    path = "/api/v1/me/keys",
    tag = "keys",
    operation_id = "listMyKeys",
    summary = "The caller's signing keys",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The keys, newest first", body = KeyList),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn my_keys() {}

#[utoipa::path(
    get,
    path = "/api/v1/keys",
    tag = "keys",
    operation_id = "listKeys",
    summary = "Signing keys of every user (administrators and portal editors)",
    security(("bearer" = [])),
    params(KeysQuery),
    responses(
        (status = 200, description = "The keys", body = KeyList),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator or portal editor", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn list_keys() {}

#[utoipa::path(
    post,
    path = "/api/v1/keys/{key_id}/revoke",
    tag = "keys",
    operation_id = "revokeKey",
    summary = "Revoke a signing key",
    description = "Administrators revoke any key, users their own. Signatures of a revoked key no longer verify.",
    security(("bearer" = [])),
    params(("key_id" = String, Path, description = "The key id")),
    request_body(content = Option<RevokeKeyRequest>, description = "Optional reason"),
    responses(
        (status = 200, description = "Revoked", body = SigningKeyInfo),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the owner or an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such key", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong shape, or the reason is too long", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn revoke_key() {}

#[utoipa::path(
    post,
    path = "/api/v1/reviews",
    tag = "reviews",
    operation_id = "sendReview",
    summary = "Send an item for sign-off (送审)",
    description = "Puts the item in the unit review queue, seen by the unit's heads only. Sending the same id and body again answers 200 with the review.",
    security(("bearer" = [])),
    request_body = ReviewRequest,
    responses(
        (status = 201, description = "Queued", body = Review),
        (status = 200, description = "Already queued with this id and body", body = Review),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Role may not send for review", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`review_id_in_use`: the id is used by another review", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid content, unknown column or head", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn send_review() {}

#[utoipa::path(
    get,
    path = "/api/v1/reviews",
    tag = "reviews",
    operation_id = "listReviews",
    summary = "Reviews changed after a cursor",
    description = "Heads see their unit's reviews, other unit members the ones they sent. Portal editors and administrators see none.",
    security(("bearer" = [])),
    params(ReviewsQuery),
    responses(
        (status = 200, description = "A page of reviews, oldest change first", body = ReviewPage),
        (status = 400, description = "`invalid_cursor` or bad limit", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a member of a unit", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn list_reviews() {}

#[utoipa::path(
    get,
    path = "/api/v1/reviews/{id}",
    tag = "reviews",
    operation_id = "getReview",
    summary = "One review",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The review id")),
    responses(
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The review", body = Review),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such review visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn get_review() {}

#[utoipa::path(
    post,
    path = "/api/v1/reviews/{id}/decision",
    tag = "reviews",
    operation_id = "decideReview",
    summary = "签发 or 退回修改 (unit heads)",
    description = "Signing off needs a `signoff` that verifies against the review's submission and a current key of the caller.",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The review id")),
    request_body = ReviewDecisionRequest,
    responses(
        (status = 200, description = "Decided", body = Review),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a head of the unit", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such review", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: already decided or cancelled", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Signature problems (`signature_invalid`, `signing_key_unknown`, …) or a return without reason", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn decide_review() {}

#[utoipa::path(
    post,
    path = "/api/v1/reviews/{id}/cancel",
    tag = "reviews",
    operation_id = "cancelReview",
    summary = "Take a review back (the sender)",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The review id")),
    responses(
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "Cancelled", body = Review),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the sender", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such review", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: already decided", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn cancel_review() {}

#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    operation_id = "getOpenApi",
    summary = "This document",
    responses(
        (status = 200, description = "OpenAPI 3.1 document", body = Object, content_type = "application/json")
    )
)]
fn openapi_document() {}

#[utoipa::path(
    post,
    path = "/api/v1/uploads",
    tag = "attachments",
    operation_id = "createUpload",
    summary = "Declare an attachment to upload (tus creation)",
    description = "Declares the file by its SHA-256 and size. If the portal already stores \
that file, answers 200 with `status: complete` and nothing needs sending (deduplicated by hash). \
If the caller's unit has an unfinished upload of the same file, answers 201 with that upload and \
its current offset (so a client that lost the id resumes). Otherwise creates an upload. The \
column's attachment policy applies: media type on its allow-list, size within its limit. \
Only liaison officers and unit heads upload.",
    security(("bearer" = [])),
    request_body = CreateUploadRequest,
    responses(
        (status = 200, description = "The portal already has the file", body = Upload),
        (status = 201, description = "Upload created or found; send chunks from `offset`", body = Upload,
            headers(("Location" = String, description = "The upload's URL"),
                    ("Upload-Offset" = u64, description = "Bytes acknowledged"),
                    ("Tus-Resumable" = String, description = "`1.0.0`"))),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Role may not upload", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "`attachment_too_large`, or body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "`attachment_type_not_allowed`, or not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid value or `unknown_column`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn create_upload() {}

#[utoipa::path(
    head,
    path = "/api/v1/uploads/{id}",
    tag = "attachments",
    operation_id = "headUpload",
    summary = "The acknowledged offset (tus core)",
    description = "No body; the offset is in `Upload-Offset`. 404 when the upload is unknown, \
expired (abandoned uploads are removed after 24 hours without progress) or not the caller's unit's: \
start again with POST /uploads.",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The upload id")),
    responses(
        (status = 200, description = "The upload",
            headers(("Upload-Offset" = u64, description = "Bytes acknowledged"),
                    ("Upload-Length" = u64, description = "The declared size"),
                    ("Tus-Resumable" = String, description = "`1.0.0`"))),
        (status = 400, description = "Malformed id"),
        (status = 401, description = "`unauthenticated` or `token_expired`"),
        (status = 403, description = "`forbidden`: only liaison officers and unit heads upload"),
        (status = 404, description = "No such upload (any more)")
    )
)]
fn upload_offset() {}

#[utoipa::path(
    get,
    path = "/api/v1/uploads/{id}",
    tag = "attachments",
    operation_id = "getUpload",
    summary = "The upload as JSON",
    description = "The same as HEAD, for clients that prefer JSON.",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The upload id")),
    responses(
        (status = 200, description = "The upload", body = Upload,
            headers(("Upload-Offset" = u64, description = "Bytes acknowledged"),
                    ("Upload-Length" = u64, description = "The declared size"))),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden`: only liaison officers and unit heads upload", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such upload (any more)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn get_upload() {}

#[utoipa::path(
    patch,
    path = "/api/v1/uploads/{id}",
    tag = "attachments",
    operation_id = "uploadChunk",
    summary = "Send the next chunk (tus core + checksum)",
    description = "The body (`application/offset+octet-stream`, at most `chunk_size` bytes) is \
written at `Upload-Offset`, which must equal the portal's offset (else 409 \
`upload_offset_mismatch` with the portal's offset in `upload_offset` and the `Upload-Offset` \
header). The portal streams the body to disk and hashes it on the way; the offset advances only \
when the whole chunk arrived and its SHA-256 equals `Upload-Checksum` (`sha256 <base64>`). A \
mismatch discards the chunk (422 `chunk_checksum_mismatch`; the protocol uses 422 rather than \
tus's non-standard 460); a dropped connection discards the partial chunk. The chunk that \
completes the file makes the portal hash the whole file: a mismatch with the declared SHA-256 \
resets the upload to 0 (422 `upload_hash_mismatch`); a match stores the file and answers 200 \
with `status: complete`.",
    security(("bearer" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "The upload id"),
        ("Upload-Offset" = u64, Header, description = "Where this chunk starts: the portal's offset"),
        ("Upload-Checksum" = String, Header, description = "`sha256 <base64 of the chunk's SHA-256>`")
    ),
    request_body(content = inline(String), content_type = "application/offset+octet-stream",
        description = "The chunk's bytes"),
    responses(
        (status = 204, description = "Chunk stored; the file is not complete yet",
            headers(("Upload-Offset" = u64, description = "The new offset"),
                    ("Tus-Resumable" = String, description = "`1.0.0`"))),
        (status = 200, description = "The last chunk: the whole file verified and stored", body = Upload,
            headers(("Upload-Offset" = u64, description = "The size"))),
        (status = 400, description = "Missing or malformed `Upload-Offset` or `Upload-Checksum`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden`: only liaison officers and unit heads upload", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such upload (any more)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`upload_offset_mismatch`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Chunk larger than `chunk_size` or beyond the declared size", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not `application/offset+octet-stream`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`chunk_checksum_mismatch` or `upload_hash_mismatch`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Another request is writing to this upload; retry", body = Problem, content_type = "application/problem+json")
    )
)]
fn upload_chunk() {}

#[utoipa::path(
    get,
    path = "/api/v1/attachments/{sha256}",
    tag = "attachments",
    operation_id = "getAttachment",
    summary = "Download an attachment",
    description = "The stored file, streamed, with its media type, `Content-Disposition: \
attachment` with its name and `X-Content-Type-Options: nosniff`. Only for files referenced by a \
submission the caller may see (their unit's; every unit's for portal editors); 404 otherwise.",
    security(("bearer" = [])),
    params(("sha256" = String, Path, description = "Lowercase hex SHA-256 of the file")),
    responses(
        (status = 200, description = "The file", body = inline(String), content_type = "application/octet-stream"),
        (status = 400, description = "Not a SHA-256", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated` or `token_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not stored, or not referenced by a submission the caller may see", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem, content_type = "application/problem+json")
    )
)]
fn download_attachment() {}
