//! Following the portal: the change feed from the stored cursor, page by
//! page, each page applied to local items in one transaction together with
//! the cursor after it.

use baosong_api::{ProblemCode, StatusChange, SubmissionStatus};
use baosong_core::model::{AppliedChange, ItemId, PortalChange, StatusEvent};
use baosong_core::store::CHANGES_CURSOR;
use baosong_core::workflow::Action;

use crate::error::SyncError;
use crate::session::Session;
use crate::shared::SharedStore;

/// Changes asked for per page (the API's maximum).
pub const PAGE: u32 = 1_000;

/// The local workflow move a portal status means.
pub fn action_for(change: &StatusChange) -> Action {
    match change.status {
        SubmissionStatus::Received => Action::MarkSubmitted,
        SubmissionStatus::InReview => Action::StartReview,
        SubmissionStatus::Adopted => Action::Adopt,
        SubmissionStatus::Published => Action::Publish {
            url: change.public_url.clone().unwrap_or_default(),
        },
        SubmissionStatus::Returned => Action::Return {
            reason: change
                .reason
                .clone()
                .filter(|r| !r.trim().is_empty())
                .unwrap_or_else(|| change.comment.clone()),
        },
        SubmissionStatus::NotAdopted => Action::Decline,
        SubmissionStatus::Withdrawn => Action::Withdraw,
    }
}

pub fn portal_change(change: &StatusChange) -> PortalChange {
    let by = if change.by.display_name.trim().is_empty() {
        change.by.username.clone()
    } else {
        change.by.display_name.clone()
    };
    PortalChange {
        client_item_id: ItemId(change.client_item_id),
        event: StatusEvent {
            cursor: change.cursor.clone(),
            submission_id: change.submission_id.to_string(),
            portal_revision: change.revision,
            from_status: change.from.map(|s| s.code().to_string()),
            status: change.status.code().to_string(),
            by,
            at: change.at,
            comment: change.comment.clone(),
            reason: change.reason.clone(),
            public_url: change.public_url.clone(),
        },
        action: Some(action_for(change)),
    }
}

/// Reads the feed up to now and applies it. Returns what changed locally.
pub async fn pull(store: &SharedStore, session: &Session) -> Result<Vec<AppliedChange>, SyncError> {
    let mut applied = Vec::new();
    loop {
        let since = store.run(|s| s.setting(CHANGES_CURSOR)).await?;
        let page = session
            .call(|c, t| {
                let since = since.clone();
                async move { c.changes(&t, since.as_deref(), PAGE).await }
            })
            .await;
        let page = match page {
            Ok(p) => p,
            // A cursor from another portal (or a portal rebuilt from
            // scratch): start over; changes already seen are skipped.
            Err(SyncError::Refused(p)) if p.code == ProblemCode::InvalidCursor => {
                store.run(|s| s.delete_setting(CHANGES_CURSOR)).await?;
                continue;
            }
            Err(e) => return Err(e),
        };
        let changes: Vec<PortalChange> = page.changes.iter().map(portal_change).collect();
        let next = page.next_cursor.clone();
        let done = !page.has_more || page.changes.is_empty();
        let mut got = store
            .run(move |s| s.apply_portal_changes(&changes, Some(&next)))
            .await?;
        applied.append(&mut got);
        if done {
            return Ok(applied);
        }
    }
}
