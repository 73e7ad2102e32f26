//! Review and sign-off (审核签发): an item revision sent to a head, what the
//! head decided, the comments (批注) they made, and the signature that makes
//! the sign-off verifiable. The cryptography lives in `baosong-api::signing`
//! and `baosong-sync`; these are the stored facts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ItemId;
use crate::view::UserError;

/// Where a review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReviewStatus {
    /// 待签发
    Pending,
    /// 已签发
    SignedOff,
    /// 退回修改
    Returned,
    /// Taken back: the item was edited, or signed through the other route.
    Cancelled,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 4] = [
        ReviewStatus::Pending,
        ReviewStatus::SignedOff,
        ReviewStatus::Returned,
        ReviewStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "pending",
            ReviewStatus::SignedOff => "signed_off",
            ReviewStatus::Returned => "returned",
            ReviewStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<ReviewStatus> {
        ReviewStatus::ALL.into_iter().find(|r| r.code() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "待签发",
            ReviewStatus::SignedOff => "已签发",
            ReviewStatus::Returned => "已退回修改",
            ReviewStatus::Cancelled => "已取消",
        }
    }
}

/// Where a review came from: made on this computer, or received from the
/// portal's unit review queue (the head's computer does not have the item).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReviewOrigin {
    Local,
    Portal,
}

impl ReviewOrigin {
    pub fn code(self) -> &'static str {
        match self {
            ReviewOrigin::Local => "local",
            ReviewOrigin::Portal => "portal",
        }
    }
}

/// A span of a field a comment points at, in UTF-16 code units (what the
/// editor counts), with the text it covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TextAnchor {
    /// `title`, `summary` or `body`.
    pub field: String,
    pub start: u32,
    pub end: u32,
    pub quote: String,
}

/// A comment (批注) of the head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewComment {
    pub anchor: Option<TextAnchor>,
    pub text: String,
    /// Username of who wrote it.
    pub author: String,
    pub at: DateTime<Utc>,
}

/// A review as the app shows it (the submission it carries is fetched
/// separately, see `Store::review_payload`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Review {
    pub id: String,
    /// The item on this computer, if it is here.
    pub item_id: Option<ItemId>,
    pub client_item_id: String,
    pub revision: u32,
    pub origin: ReviewOrigin,
    pub status: ReviewStatus,
    pub from_user: String,
    pub from_name: String,
    pub to_user: Option<String>,
    pub to_name: Option<String>,
    pub title: String,
    pub note: String,
    pub decided_by: Option<String>,
    pub decided_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub opinion: Option<String>,
    pub comments: Vec<ReviewComment>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Whether it went (or is going) through the portal's review queue.
    pub via_portal: bool,
}

/// What 送审 records besides moving the item.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewReview {
    /// The review's id (also its id in the portal's queue).
    pub id: String,
    pub from_name: String,
    /// The head asked to sign; `None` for any head.
    pub to_user: Option<String>,
    pub to_name: Option<String>,
    pub note: String,
}

/// What the caller of `send_for_review` builds once the check gate passed:
/// the submission request the head will sign, and the request for the
/// portal's review queue (absent: this computer only).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReviewPayloads {
    pub submission: Option<String>,
    pub portal_request: Option<String>,
}

/// A review received from the portal's queue, or an update of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalReview {
    pub id: String,
    pub client_item_id: String,
    pub revision: u32,
    pub status: ReviewStatus,
    pub from_user: String,
    pub from_name: String,
    pub to_user: Option<String>,
    pub to_name: Option<String>,
    pub title: String,
    pub note: String,
    /// The submission request (JSON) to sign.
    pub submission: String,
    /// The previous signed or returned revision (JSON), for the diff.
    pub previous: Option<String>,
    pub decision: Option<PortalDecision>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A head's decision as the portal reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalDecision {
    pub by: String,
    pub by_name: String,
    pub at: DateTime<Utc>,
    pub opinion: String,
    pub comments: Vec<ReviewComment>,
    /// The signed request and signature, when signed off.
    pub signoff: Option<NewSignoff>,
}

/// A sign-off to record: the signed request and who signed with what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSignoff {
    /// The submission request with its `signoff`, as JSON: exactly what the
    /// outbox will send.
    pub payload: String,
    pub content_hash: String,
    pub signer: String,
    pub signer_name: String,
    pub key_id: String,
    /// Lowercase hex; empty when the portal verified it and did not say.
    pub public_key: String,
    pub signature: String,
    pub signed_at: DateTime<Utc>,
    pub opinion: String,
}

/// A sign-off of an item revision, as the app shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Signoff {
    pub item_id: ItemId,
    pub revision: u32,
    pub review_id: Option<String>,
    pub content_hash: String,
    pub signer: String,
    pub signer_name: String,
    pub key_id: String,
    pub public_key: String,
    pub signature: String,
    pub signed_at: DateTime<Utc>,
    pub opinion: String,
    /// Set when the item changed after signing: 签发已失效.
    pub invalidated_at: Option<DateTime<Utc>>,
    pub invalidated_reason: Option<String>,
}

/// What kind of message a review outbox entry carries to the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReviewOutboxKind {
    /// `POST /reviews`
    Send,
    /// `POST /reviews/{id}/decision`
    Decide,
    /// `POST /reviews/{id}/cancel`
    Cancel,
}

impl ReviewOutboxKind {
    pub fn code(self) -> &'static str {
        match self {
            ReviewOutboxKind::Send => "send",
            ReviewOutboxKind::Decide => "decide",
            ReviewOutboxKind::Cancel => "cancel",
        }
    }

    pub fn parse(s: &str) -> Option<ReviewOutboxKind> {
        [
            ReviewOutboxKind::Send,
            ReviewOutboxKind::Decide,
            ReviewOutboxKind::Cancel,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }
}

/// A message for the portal's review queue, waiting or sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewOutboxEntry {
    pub seq: i64,
    pub review_id: String,
    pub kind: ReviewOutboxKind,
    pub status: super::OutboxStatus,
    pub attempts: u32,
    pub last_error: Option<UserError>,
    pub created_at: DateTime<Utc>,
}
