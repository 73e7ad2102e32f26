//! 报送 and draining the outbox.
//!
//! [`enqueue`] builds the request from the signed-off item and stores it with
//! the state change (no network). [`drain`] sends pending entries oldest
//! first: each acknowledgement is recorded before the next entry goes; a
//! refusal by the portal stops that entry only; a network or portal failure
//! stops the pass (the worker retries later with backoff). An entry whose
//! answer was lost is sent again with the same `Idempotency-Key`, and the
//! portal answers with the original submission.

use baosong_api::{ProblemCode, Submission, SubmissionRequest};
use baosong_core::model::{NewOutboxEntry, OutboxEntry, OutboxKind, PortalLink};
use baosong_core::{Item, ItemId, Store, UserError};
use std::time::Duration;

use uuid::Uuid;

use crate::error::SyncError;
use crate::session::Session;
use crate::shared::SharedStore;
use crate::upload::UploadProgress;

/// 报送: queues the signed-off item `id` (a new revision of its portal
/// submission if it was submitted before).
pub fn enqueue(store: &Store, id: ItemId) -> Result<(Item, OutboxEntry), SyncError> {
    let item = store.get_item(id)?;
    // The signed request, exactly as the head signed it (checked first).
    let payload = crate::review::verified_signed_request(store, id)?;
    let new = match store.portal_link(id)? {
        Some(link) => NewOutboxEntry {
            kind: OutboxKind::Resubmit,
            submission_id: Some(link.submission_id),
            base_portal_revision: Some(link.portal_revision),
            payload,
        },
        None => NewOutboxEntry {
            kind: OutboxKind::Submit,
            submission_id: None,
            base_portal_revision: None,
            payload,
        },
    };
    Ok(store.enqueue_submission(id, item.revision, new)?)
}

/// What one pass over the outbox did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DrainReport {
    pub delivered: Vec<OutboxEntry>,
    /// Entries the portal refused, with its message.
    pub refused: Vec<(OutboxEntry, UserError)>,
}

/// Sends every pending entry, in order. Returns what was delivered and
/// refused; an error means the pass stopped early (entries stay pending).
pub async fn drain(
    store: &SharedStore,
    session: &Session,
    report: &mut DrainReport,
    on_progress: impl FnMut(&OutboxEntry, Option<&SyncError>),
) -> Result<(), SyncError> {
    drain_with(store, session, report, on_progress, &mut |_| {}).await
}

/// As [`drain`], also telling how attachment uploads go (an entry's
/// attachments are uploaded before its submission).
pub async fn drain_with(
    store: &SharedStore,
    session: &Session,
    report: &mut DrainReport,
    mut on_progress: impl FnMut(&OutboxEntry, Option<&SyncError>),
    on_upload: &mut (dyn FnMut(UploadProgress) + Send),
) -> Result<(), SyncError> {
    loop {
        let batch = store.run(|s| s.pending_outbox(64)).await?;
        if batch.is_empty() {
            return Ok(());
        }
        for (entry, payload) in batch {
            let mut on_upload = |mut p: UploadProgress| {
                p.outbox_id = entry.id.clone();
                on_upload(p)
            };
            match send_with_retries(store, session, &entry, &payload, &mut on_upload).await {
                Ok((submission, replayed)) => {
                    let link = link_of(&submission);
                    let id = entry.id.clone();
                    store
                        .run(move |s| s.mark_delivered(&id, &link, replayed))
                        .await?;
                    on_progress(&entry, None);
                    report.delivered.push(entry);
                }
                Err(e) if e.is_permanent_refusal() => {
                    let id = entry.id.clone();
                    let user = e.to_user();
                    store
                        .run(move |s| s.record_failure(&id, &user, true))
                        .await?;
                    on_progress(&entry, Some(&e));
                    report.refused.push((entry, e.to_user()));
                }
                Err(e) => {
                    if e.is_transient() {
                        let id = entry.id.clone();
                        let user = e.to_user();
                        // Recording the attempt is a courtesy for the outbox
                        // view; a busy store must not hide the real error.
                        let _ = store
                            .run(move |s| s.record_failure(&id, &user, false))
                            .await;
                    }
                    on_progress(&entry, Some(&e));
                    return Err(e);
                }
            }
        }
    }
}

/// Quick retries of one entry within a pass: on a flaky line most failures
/// pass within a second, and waiting for the worker's backoff after each one
/// would make a long queue crawl. After these the pass stops.
pub const QUICK_RETRIES: [Duration; 3] = [
    Duration::from_millis(250),
    Duration::from_millis(500),
    Duration::from_millis(1000),
];

async fn send_with_retries(
    store: &SharedStore,
    session: &Session,
    entry: &OutboxEntry,
    payload: &str,
    on_upload: &mut (dyn FnMut(UploadProgress) + Send),
) -> Result<(Submission, bool), SyncError> {
    let mut delays = QUICK_RETRIES.iter();
    loop {
        let sent = async {
            upload_attachments(store, session, entry, payload, on_upload).await?;
            send(session, entry, payload).await
        };
        match sent.await {
            Err(e) if e.is_transient() => match delays.next() {
                Some(d) => tokio::time::sleep(d.mul_f64(0.75 + fastrand::f64() / 2.0)).await,
                None => return Err(e),
            },
            other => return other,
        }
    }
}

/// The files the submission names, uploaded first: the portal refuses a
/// submission whose attachments it does not store (`attachment_missing`).
/// Those it has already are not sent again.
async fn upload_attachments(
    store: &SharedStore,
    session: &Session,
    entry: &OutboxEntry,
    payload: &str,
    on_upload: &mut (dyn FnMut(UploadProgress) + Send),
) -> Result<(), SyncError> {
    let request: SubmissionRequest = serde_json::from_str(payload)
        .map_err(|e| SyncError::Internal(format!("outbox entry {}: {e}", entry.id)))?;
    crate::upload::upload_all(
        store,
        session,
        &request.item.column_id,
        &request.attachments,
        on_upload,
    )
    .await
}

pub fn link_of(s: &Submission) -> PortalLink {
    PortalLink {
        submission_id: s.id.to_string(),
        portal_revision: s.revision,
        portal_status: s.status.code().to_string(),
        public_url: s.public_url.clone(),
        updated_at: s.updated_at,
    }
}

async fn send(
    session: &Session,
    entry: &OutboxEntry,
    payload: &str,
) -> Result<(Submission, bool), SyncError> {
    match entry.kind {
        OutboxKind::Submit => {
            let key = entry.id.clone();
            let delivered = session
                .call(|c, t| {
                    let key = key.clone();
                    async move { c.submit(&t, &key, payload).await }
                })
                .await?;
            Ok((delivered.submission, delivered.replayed))
        }
        OutboxKind::Resubmit => resend(session, entry, payload).await,
    }
}

/// `PUT` of a new revision. If an earlier attempt reached the portal and its
/// answer was lost, the `If-Match` no longer matches; the portal's current
/// revision is then checked: one revision on, with our content hash, is our
/// own delivery.
async fn resend(
    session: &Session,
    entry: &OutboxEntry,
    payload: &str,
) -> Result<(Submission, bool), SyncError> {
    let bad = |what: &str| SyncError::Internal(format!("outbox entry {}: {what}", entry.id));
    let id: Uuid = entry
        .submission_id
        .as_deref()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no submission id"))?;
    let base = entry
        .base_portal_revision
        .ok_or_else(|| bad("no base revision"))?;
    let result = session
        .call(|c, t| async move { c.resubmit(&t, id, base, payload).await })
        .await;
    match result {
        Ok(s) => Ok((s, false)),
        Err(SyncError::Refused(p)) if p.code == ProblemCode::PreconditionFailed => {
            let request: SubmissionRequest =
                serde_json::from_str(payload).map_err(|e| bad(&e.to_string()))?;
            let current = session
                .call(|c, t| async move { c.submission(&t, id).await })
                .await?;
            if current.revision == base + 1 && current.content_hash == request.content_hash {
                Ok((current, true))
            } else {
                Err(SyncError::Refused(p))
            }
        }
        Err(e) => Err(e),
    }
}
