//! The change feed and the live event stream.
//!
//! Every status change of a submission (including its arrival and each
//! resubmission) gets a place in one feed, in the order the portal made them.
//! `GET /submissions/changes?since=CURSOR&limit=N` returns the caller's changes
//! after `CURSOR` (from the start without it), oldest first, and a
//! `next_cursor` to continue from; nothing is skipped or repeated even while
//! changes are being made. Cursors are opaque strings: store them, never build
//! them.
//!
//! `GET /events` is a Server-Sent Events stream of the same changes as they
//! happen: event name `status_change`, `id` = the change's cursor, `data` = a
//! [`StatusChange`] as JSON. Reconnecting with `Last-Event-ID` resumes after
//! that change (missed ones are sent first). Comment lines keep the
//! connection alive.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::me::Actor;
use crate::status::SubmissionStatus;

/// The default page size of the change feed.
pub const DEFAULT_CHANGES_LIMIT: u32 = 100;
/// The largest page size of the change feed.
pub const MAX_CHANGES_LIMIT: u32 = 1_000;

/// The SSE event name of a status change.
pub const STATUS_CHANGE_EVENT: &str = "status_change";

/// One status change: who, when, what, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StatusChange {
    /// This change's place in the feed: pass it as `since` (or
    /// `Last-Event-ID`) to get the changes after it.
    pub cursor: String,
    pub submission_id: Uuid,
    pub client_item_id: Uuid,
    /// The unit the submission belongs to.
    pub unit_id: String,
    /// The submission's revision when the change was made.
    pub revision: u32,
    /// Absent for the first arrival.
    pub from: Option<SubmissionStatus>,
    pub status: SubmissionStatus,
    pub by: Actor,
    pub at: DateTime<Utc>,
    /// What the person wrote along with it (may be empty).
    pub comment: String,
    /// The reason, for `returned`.
    pub reason: Option<String>,
    /// The public address, for `published`.
    pub public_url: Option<String>,
}

/// Query of `GET /submissions/changes`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// A cursor from an earlier page or change; absent to start from the
    /// beginning.
    pub since: Option<String>,
    /// Page size, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// A page of the change feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChangesPage {
    /// Oldest first.
    pub changes: Vec<StatusChange>,
    /// Where to continue: the cursor of the last change here, or the `since`
    /// given when the page is empty.
    pub next_cursor: String,
    /// Whether more changes were already waiting after this page.
    pub has_more: bool,
}
