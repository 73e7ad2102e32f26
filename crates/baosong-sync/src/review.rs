//! Review and sign-off (送审 → 签发 / 退回修改) on both routes: on this
//! computer (the head signs in here and finds the item in 待我签发), and
//! through the portal's unit review queue (the head's computer picks it up on
//! its next sync). Messages for the queue wait in the store's review outbox,
//! so both work offline and go out in order.

use baosong_api as api;
use baosong_api::signing;
use baosong_core::model::{
    Item, ItemId, NewReview, NewSignoff, PortalDecision, PortalReview, Review, ReviewComment,
    ReviewOutboxKind, ReviewPayloads, ReviewStatus,
};
use baosong_core::{Store, StoreError};
use chrono::Utc;

use crate::error::SyncError;
use crate::keys::LocalKey;
use crate::payload::submission_request;
use crate::session::Session;
use crate::shared::SharedStore;

/// The setting that keeps the review feed's cursor.
pub const REVIEWS_CURSOR: &str = "reviews_cursor";
/// Reviews asked for per page.
const PAGE: u32 = 200;

/// Who acts: the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub username: String,
    pub display_name: String,
}

/// The signed-in user of `store` (the stored profile) with their name and
/// role as last fetched from the portal.
pub fn current_person(store: &Store) -> Result<(Person, Option<api::Role>), SyncError> {
    let profile = crate::Profile::load(store)?.ok_or(SyncError::NoProfile)?;
    let me = crate::directory::cached_me(store)?.filter(|m| m.user.username == profile.username);
    let person = Person {
        display_name: me
            .as_ref()
            .map(|m| m.user.display_name.clone())
            .unwrap_or_else(|| profile.username.clone()),
        username: profile.username,
    };
    Ok((person, me.map(|m| m.user.role)))
}

/// The review an argument names: a review id (prefix), or an item whose
/// review is pending.
pub fn resolve(store: &Store, arg: &str) -> Result<Review, SyncError> {
    if let Ok(review) = store.find_review(arg) {
        return Ok(review);
    }
    let id = match store.resolve_id(arg) {
        Ok(id) => id,
        Err(StoreError::NotFound(_)) => return Ok(store.find_pending_review_by_item(arg)?),
        Err(e) => return Err(e.into()),
    };
    store
        .item_reviews(id)?
        .into_iter()
        .find(|r| r.status == ReviewStatus::Pending)
        .ok_or_else(|| StoreError::NoSuchReview(arg.to_string()).into())
}

/// 送审: sends the item to `to` (a head's username and name; `None` for any
/// head), on this computer and, with `via_portal`, through the portal's queue.
pub fn send(
    store: &Store,
    id: ItemId,
    from: &Person,
    to: Option<(String, String)>,
    note: &str,
    via_portal: bool,
) -> Result<(Item, Review), SyncError> {
    let review_id = uuid::Uuid::now_v7();
    let previous = previous_revision(store, id)?;
    let new = NewReview {
        id: review_id.to_string(),
        from_name: from.display_name.clone(),
        to_user: to.as_ref().map(|t| t.0.clone()),
        to_name: to.as_ref().map(|t| t.1.clone()),
        note: note.to_string(),
    };
    let to_user = new.to_user.clone();
    let note = note.to_string();
    Ok(store.send_for_review(id, new, |item, check| {
        let submission = submission_request(item, check);
        let portal_request = if via_portal {
            let req = api::ReviewRequest {
                id: review_id,
                to: to_user,
                submission: submission.clone(),
                previous,
                note,
            };
            Some(to_json(&req)?)
        } else {
            None
        };
        Ok(ReviewPayloads {
            submission: Some(to_json(&submission)?),
            portal_request,
        })
    })?)
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(StoreError::from)
}

/// The revision the head last signed or returned, for the diff.
fn previous_revision(
    store: &Store,
    id: ItemId,
) -> Result<Option<api::PreviousRevision>, SyncError> {
    let Some((revision, status)) = store.previous_decided_revision(id)? else {
        return Ok(None);
    };
    let old = store.get_revision(id, revision)?;
    Ok(Some(api::PreviousRevision {
        client_revision: revision,
        title: old.title,
        body_markdown: old.body,
        outcome: match status {
            ReviewStatus::SignedOff => api::ReviewStatus::SignedOff,
            _ => api::ReviewStatus::Returned,
        },
    }))
}

/// The submission request a review asks to sign: the one kept with the
/// review, or (for a plain local 送审) built from the item as it is now,
/// which cannot have changed without cancelling the review.
pub fn request_of(store: &Store, review: &Review) -> Result<api::SubmissionRequest, SyncError> {
    let (payload, _) = store.review_payload(&review.id)?;
    if let Some(json) = payload {
        return serde_json::from_str(&json)
            .map_err(|e| SyncError::Internal(format!("stored review request: {e}")));
    }
    let id = review
        .item_id
        .ok_or_else(|| SyncError::Internal("a review without its item or request".into()))?;
    let item = store.get_item(id)?;
    let check = store.stored_report(id, item.revision)?;
    Ok(submission_request(&item, check.as_ref()))
}

/// 签发: signs the review's request with `key` as `signer`, records it (the
/// item, if here, becomes 已签发) and queues the decision for the portal if
/// the review is known there.
pub fn sign(
    store: &Store,
    review_id: &str,
    signer: &Person,
    key: &LocalKey,
    opinion: &str,
) -> Result<Review, SyncError> {
    let review = store.review(review_id)?;
    let mut request = request_of(store, &review)?;
    request.signoff = None;
    let opinion = if opinion.trim().is_empty() {
        signing::DEFAULT_OPINION
    } else {
        opinion.trim()
    };
    let signoff = signing::sign(&request, &key.key, &signer.username, Utc::now(), opinion);
    let decision = review
        .via_portal
        .then(|| {
            to_json(&api::ReviewDecisionRequest {
                action: api::ReviewAction::SignOff,
                opinion: opinion.to_string(),
                comments: Vec::new(),
                signoff: Some(signoff.clone()),
            })
        })
        .transpose()?;
    let record = new_signoff(
        &request,
        &signoff,
        &signer.display_name,
        &key.public_key_hex(),
    )?;
    Ok(store.sign_review(review_id, record, decision)?)
}

/// The stored form of a signature over `request`.
pub fn new_signoff(
    request: &api::SubmissionRequest,
    signoff: &api::Signoff,
    signer_name: &str,
    public_key: &str,
) -> Result<NewSignoff, SyncError> {
    let mut signed = request.clone();
    signed.signoff = Some(signoff.clone());
    Ok(NewSignoff {
        payload: to_json(&signed)?,
        content_hash: request.content_hash.clone(),
        signer: signoff.signer.clone(),
        signer_name: signer_name.to_string(),
        key_id: signoff.key_id.clone(),
        public_key: public_key.to_string(),
        signature: signoff.signature.clone(),
        signed_at: signoff.signed_at,
        opinion: signoff.opinion.clone(),
    })
}

/// 退回修改: back to the author with the opinion and comments.
pub fn return_for_revision(
    store: &Store,
    review_id: &str,
    by: &Person,
    opinion: &str,
    comments: Vec<ReviewComment>,
) -> Result<Review, SyncError> {
    let review = store.review(review_id)?;
    let decision = review
        .via_portal
        .then(|| {
            to_json(&api::ReviewDecisionRequest {
                action: api::ReviewAction::Return,
                opinion: opinion.to_string(),
                comments: comments.iter().map(api_comment).collect(),
                signoff: None,
            })
        })
        .transpose()?;
    Ok(store.return_review(review_id, &by.display_name, opinion, &comments, decision)?)
}

fn api_comment(c: &ReviewComment) -> api::ReviewComment {
    api::ReviewComment {
        anchor: c.anchor.as_ref().map(|a| api::TextAnchor {
            field: a.field.clone(),
            start: a.start,
            end: a.end,
            quote: a.quote.clone(),
        }),
        text: c.text.clone(),
    }
}

/// Sends the waiting review-queue messages, in order. A message the portal
/// refuses for good is marked failed (the next ones still go); a transport
/// failure stops the pass. Returns how many went out.
pub async fn drain(store: &SharedStore, session: &Session) -> Result<usize, SyncError> {
    let mut sent = 0;
    loop {
        let batch = store.run(|s| s.pending_review_outbox(32)).await?;
        if batch.is_empty() {
            return Ok(sent);
        }
        for (entry, payload) in batch {
            let review_id = entry.review_id.clone();
            let result = session
                .call(|c, t| {
                    let (payload, review_id) = (payload.clone(), review_id.clone());
                    async move {
                        match entry.kind {
                            ReviewOutboxKind::Send => c.send_review(&t, &payload).await,
                            ReviewOutboxKind::Decide => {
                                c.decide_review(&t, &review_id, &payload).await
                            }
                            ReviewOutboxKind::Cancel => c.cancel_review(&t, &review_id).await,
                        }
                    }
                })
                .await;
            let seq = entry.seq;
            match result {
                Ok(_) => {
                    store.run(move |s| s.review_outbox_delivered(seq)).await?;
                    sent += 1;
                }
                // Cancelling what was decided meanwhile: nothing left to do.
                Err(SyncError::Refused(p))
                    if entry.kind == ReviewOutboxKind::Cancel
                        && p.code == api::ProblemCode::InvalidTransition =>
                {
                    store.run(move |s| s.review_outbox_delivered(seq)).await?;
                }
                Err(e) if e.is_permanent_refusal() => {
                    let user = e.to_user();
                    store
                        .run(move |s| s.review_outbox_failed(seq, &user, true))
                        .await?;
                }
                Err(e) => {
                    let user = e.to_user();
                    store
                        .run(move |s| s.review_outbox_failed(seq, &user, false))
                        .await?;
                    return Err(e);
                }
            }
        }
    }
}

/// Reads the review feed from the stored cursor and applies every review:
/// new ones for a head, decisions for an author. Returns the reviews that
/// changed.
pub async fn pull(store: &SharedStore, session: &Session) -> Result<Vec<Review>, SyncError> {
    let mut changed = Vec::new();
    loop {
        let since = store.run(|s| s.setting(REVIEWS_CURSOR)).await?;
        let page = session
            .call(|c, t| {
                let since = since.clone();
                async move { c.reviews(&t, since.as_deref(), PAGE).await }
            })
            .await?;
        let reviews: Vec<PortalReview> = page
            .reviews
            .iter()
            .map(portal_review)
            .collect::<Result<_, _>>()?;
        let cursor = page.next_cursor.clone();
        let applied = store
            .run(move |s| {
                let mut out = Vec::new();
                for r in &reviews {
                    out.push(s.apply_portal_review(r)?);
                }
                s.set_setting(REVIEWS_CURSOR, &cursor)?;
                Ok(out)
            })
            .await?;
        changed.extend(applied);
        if !page.has_more {
            return Ok(changed);
        }
    }
}

/// A review from the portal in the store's terms.
fn portal_review(r: &api::Review) -> Result<PortalReview, SyncError> {
    let name = |a: &api::Actor| {
        if a.display_name.trim().is_empty() {
            a.username.clone()
        } else {
            a.display_name.clone()
        }
    };
    let decision = match &r.decision {
        None => None,
        Some(d) => {
            let signoff = match &d.signoff {
                Some(s) => Some(new_signoff(
                    &r.submission,
                    s,
                    &name(&d.by),
                    d.public_key.as_deref().unwrap_or(""),
                )?),
                None => None,
            };
            Some(PortalDecision {
                by: d.by.username.clone(),
                by_name: name(&d.by),
                at: d.at,
                opinion: d.opinion.clone(),
                comments: d
                    .comments
                    .iter()
                    .map(|c| ReviewComment {
                        anchor: c.anchor.as_ref().map(|a| baosong_core::model::TextAnchor {
                            field: a.field.clone(),
                            start: a.start,
                            end: a.end,
                            quote: a.quote.clone(),
                        }),
                        text: c.text.clone(),
                        author: d.by.username.clone(),
                        at: d.at,
                    })
                    .collect(),
                signoff,
            })
        }
    };
    Ok(PortalReview {
        id: r.id.to_string(),
        client_item_id: r.submission.client_item_id.to_string(),
        revision: r.submission.client_revision.unwrap_or(0),
        status: match r.status {
            api::ReviewStatus::Pending => ReviewStatus::Pending,
            api::ReviewStatus::SignedOff => ReviewStatus::SignedOff,
            api::ReviewStatus::Returned => ReviewStatus::Returned,
            api::ReviewStatus::Cancelled => ReviewStatus::Cancelled,
        },
        from_user: r.from.username.clone(),
        from_name: name(&r.from),
        to_user: r.to.as_ref().map(|a| a.username.clone()),
        to_name: r.to.as_ref().map(name),
        title: r.submission.item.title.clone(),
        note: r.note.clone(),
        submission: serde_json::to_string(&r.submission)
            .map_err(|e| SyncError::Internal(e.to_string()))?,
        previous: r
            .previous
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| SyncError::Internal(e.to_string()))?,
        decision,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// Checks the item's sign-off before 报送: the signed request must still be
/// what the item renders to now, and the signature must verify (when the key
/// is known here). If not, the sign-off is marked invalid and the item goes
/// back to draft: 签发已失效.
pub fn verified_signed_request(store: &Store, id: ItemId) -> Result<String, SyncError> {
    let Some((signoff, payload)) = store.current_signoff(id)? else {
        return Err(StoreError::NotSigned.into());
    };
    let item = store.get_item(id)?;
    let check = store.stored_report(id, item.revision)?;
    let fresh = submission_request(&item, check.as_ref());
    let problem = match serde_json::from_str::<api::SubmissionRequest>(&payload) {
        Err(_) => Some("the signed request is unreadable"),
        Ok(signed) => {
            if signed.content_hash != fresh.content_hash
                || signed.computed_content_hash() != signed.content_hash
            {
                Some("the item differs from what was signed")
            } else if let (Some(s), false) = (&signed.signoff, signoff.public_key.is_empty()) {
                match signing::parse_public_key(&signoff.public_key) {
                    Ok(pk) if signing::verify(&signed, s, &pk).is_ok() => None,
                    _ => Some("the signature does not verify"),
                }
            } else if signed.signoff.is_none() {
                Some("the signed request has no signature")
            } else {
                None
            }
        }
    };
    match problem {
        None => Ok(payload),
        Some(reason) => {
            store.invalidate_signoff(id, reason)?;
            Err(SyncError::SignoffInvalid(reason.to_string()))
        }
    }
}
