//! The unit review queue (送审 / 审核签发) through the portal.
//!
//! A liaison officer whose head works on another computer sends the item to
//! the portal's review queue of their unit. Only the unit's heads (and the
//! sender) see it; portal editors never do. The head's client fetches the
//! queue on its next sync, shows the item, and answers with a decision: a
//! sign-off (carrying the signature) or a return with comments. The author's
//! client picks the decision up the same way.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::columns::UnitRef;
use crate::me::Actor;
use crate::submission::{Signoff, SubmissionRequest};

/// The most comments (批注) on one decision.
pub const MAX_REVIEW_COMMENTS: usize = 200;

/// Where a review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// 待签发
    Pending,
    /// 已签发
    SignedOff,
    /// 退回修改
    Returned,
    /// The sender took it back (edited, or signed on their own computer).
    Cancelled,
}

impl ReviewStatus {
    pub fn code(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "pending",
            ReviewStatus::SignedOff => "signed_off",
            ReviewStatus::Returned => "returned",
            ReviewStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<ReviewStatus> {
        [
            ReviewStatus::Pending,
            ReviewStatus::SignedOff,
            ReviewStatus::Returned,
            ReviewStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// Where a comment points: a span of one field, in UTF-16 code units (what
/// the editor counts), with the text it covered when it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextAnchor {
    /// `title`, `summary` or `body`.
    pub field: String,
    pub start: u32,
    pub end: u32,
    /// The text between `start` and `end` when commented.
    pub quote: String,
}

/// A comment (批注) of the head, anchored to text or on the whole item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewComment {
    #[serde(default)]
    pub anchor: Option<TextAnchor>,
    pub text: String,
}

/// The revision the head last signed or returned, so they see what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviousRevision {
    pub client_revision: u32,
    pub title: String,
    pub body_markdown: String,
    /// `signed_off` or `returned`.
    pub outcome: ReviewStatus,
}

/// `POST /reviews`: send an item for sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// Chosen by the client; sending the same id and body again is harmless.
    pub id: Uuid,
    /// The head asked to sign; absent for any head of the unit.
    #[serde(default)]
    pub to: Option<String>,
    /// The item exactly as it would be submitted, without `signoff`.
    pub submission: SubmissionRequest,
    #[serde(default)]
    pub previous: Option<PreviousRevision>,
    /// The sender's note to the head.
    #[serde(default)]
    pub note: String,
}

/// What a head decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewAction {
    /// 签发: needs `signoff`.
    SignOff,
    /// 退回修改: needs an opinion or at least one comment.
    Return,
}

/// `POST /reviews/{id}/decision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewDecisionRequest {
    pub action: ReviewAction,
    /// 签发意见 or the reason for returning.
    #[serde(default)]
    pub opinion: String,
    #[serde(default)]
    pub comments: Vec<ReviewComment>,
    /// The signature over the review's submission; required to sign off.
    #[serde(default)]
    pub signoff: Option<Signoff>,
}

/// A decision as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReviewDecision {
    pub action: ReviewAction,
    pub by: Actor,
    pub at: DateTime<Utc>,
    pub opinion: String,
    pub comments: Vec<ReviewComment>,
    pub signoff: Option<Signoff>,
    /// The public key (64 hex) of the key that made `signoff`, so the
    /// author's computer can verify the signature before 报送.
    #[serde(default)]
    pub public_key: Option<String>,
}

/// A review as the portal keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Review {
    pub id: Uuid,
    pub unit: UnitRef,
    pub from: Actor,
    /// The head asked, if one was named.
    pub to: Option<Actor>,
    pub status: ReviewStatus,
    pub submission: SubmissionRequest,
    pub previous: Option<PreviousRevision>,
    pub note: String,
    pub decision: Option<ReviewDecision>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `GET /reviews`: the reviews the caller may see that changed after a
/// cursor, oldest change first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReviewPage {
    pub reviews: Vec<Review>,
    /// Pass as `since` next time.
    pub next_cursor: String,
    pub has_more: bool,
}

/// `GET /reviews` parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ReviewsQuery {
    /// A `next_cursor` from an earlier page; absent for the beginning.
    pub since: Option<String>,
    /// 1–500, default 100.
    pub limit: Option<u32>,
}

/// The SSE event name of a change in the review queue (`GET /events`).
pub const REVIEW_CHANGE_EVENT: &str = "review_change";

/// `data` of a `review_change` event: a review the listener may see was
/// sent, decided or cancelled. The event has no `id` (it does not move the
/// status feed's `Last-Event-ID`); fetch `GET /reviews?since=` to get it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReviewChange {
    /// The review feed position of this change (a `GET /reviews` cursor).
    pub cursor: String,
    pub review_id: Uuid,
    pub unit_id: String,
    pub status: ReviewStatus,
    /// Who made the change.
    pub by: Actor,
    pub at: DateTime<Utc>,
}
