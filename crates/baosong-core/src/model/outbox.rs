//! What the client keeps about submitting items to the portal: the outbox
//! entries waiting to be sent, the portal submission an item became, and the
//! status changes the portal reported. The network side lives in
//! `baosong-sync`; these are the stored facts it works from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ItemId;
use crate::view::UserError;
use crate::workflow::Action;

/// A first submission (`POST /submissions`) or a new revision of an earlier
/// one (`PUT /submissions/{id}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OutboxKind {
    Submit,
    Resubmit,
}

impl OutboxKind {
    pub fn code(self) -> &'static str {
        match self {
            OutboxKind::Submit => "submit",
            OutboxKind::Resubmit => "resubmit",
        }
    }
}

/// Where an outbox entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OutboxStatus {
    /// Waiting to be sent (or re-sent after a failure that may pass).
    Pending,
    /// The portal refused it for good; `last_error` says why. Retried only
    /// when a person asks.
    Failed,
    /// The portal acknowledged it.
    Delivered,
}

impl OutboxStatus {
    pub fn code(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Failed => "failed",
            OutboxStatus::Delivered => "delivered",
        }
    }

    pub fn parse(s: &str) -> Option<OutboxStatus> {
        [
            OutboxStatus::Pending,
            OutboxStatus::Failed,
            OutboxStatus::Delivered,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }
}

/// What `baosong-sync` hands the store when 报送 is clicked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutboxEntry {
    pub kind: OutboxKind,
    /// The portal submission a resubmission updates.
    pub submission_id: Option<String>,
    /// The portal revision the resubmission replaces (`If-Match`).
    pub base_portal_revision: Option<u32>,
    /// The request body, exactly as it will be sent on every attempt.
    pub payload: String,
}

/// An outbox entry as the outbox view shows it (without the payload).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutboxEntry {
    /// Also the `Idempotency-Key` of the request.
    pub id: String,
    pub item_id: ItemId,
    pub item_title: String,
    /// The item's revision that was queued.
    pub revision: u32,
    pub kind: OutboxKind,
    pub submission_id: Option<String>,
    pub base_portal_revision: Option<u32>,
    pub status: OutboxStatus,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Why the last attempt failed, for a person.
    pub last_error: Option<UserError>,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    #[ts(type = "string | null")]
    pub last_attempt_at: Option<DateTime<Utc>>,
    #[ts(type = "string | null")]
    pub delivered_at: Option<DateTime<Utc>>,
}

/// The portal submission an item became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PortalLink {
    pub submission_id: String,
    /// The portal's revision of the submission (1, then +1 per resubmission).
    pub portal_revision: u32,
    /// The portal's status code (`received`, `in_review`, `returned`, …).
    pub portal_status: String,
    pub public_url: Option<String>,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

/// A status change reported by the portal, as the client keeps it: one
/// entry of an item's status timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusEvent {
    /// The change's place in the portal's feed (unique).
    pub cursor: String,
    pub submission_id: String,
    pub portal_revision: u32,
    pub from_status: Option<String>,
    pub status: String,
    /// Who made the change at the portal (name, else username).
    pub by: String,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub comment: String,
    pub reason: Option<String>,
    pub public_url: Option<String>,
}

/// A portal status change to apply to a local item: the event to keep and the
/// workflow move it means (decided by `baosong-sync`, which knows the API's
/// statuses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalChange {
    pub client_item_id: ItemId,
    pub event: StatusEvent,
    /// `None` when the change does not move the local item.
    pub action: Option<Action>,
}

/// What applying a portal change did to a local item, for notifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppliedChange {
    pub item_id: ItemId,
    pub title: String,
    pub event: StatusEvent,
    /// The local state after the change.
    pub state: super::ItemState,
    /// Whether the local item moved (false: kept in the timeline only, e.g. a
    /// change about an older revision).
    pub moved: bool,
}
