//! What the desktop shows about review and sign-off, read from the store:
//! the head's review screen ([`detail`]: the item as it will be signed,
//! rendered here, its check with every decision and reason, what changed
//! since the previous decision, and the comments), an item's reviews with
//! its latest sign-off ([`item_reviews`]: 退回 comments, 签发已失效), and the
//! head's signing key ([`key_status`]).
//!
//! Both routes look the same: the review's submission request (kept with the
//! review, or built from the local item) is the source, so the head sees
//! exactly what their signature will cover.

use baosong_api as api;
use baosong_check::{DecisionKind, Message, Severity};
use baosong_core::model::{
    ItemContent, ItemId, Review, ReviewComment, ReviewOrigin, ReviewStatus, Signoff,
};
use baosong_core::render::render_markdown;
use baosong_core::store::diff_contents;
use baosong_core::view::RevisionDiff;
use baosong_core::{Store, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::SyncError;
use crate::profile::Profile;
use crate::review::request_of;
use crate::session::Session;

/// One finding of the check the author ran, with what they decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewFinding {
    pub rule: String,
    pub severity: Severity,
    /// `title`, `summary`, `body`, …
    pub field: String,
    pub excerpt: String,
    /// What the check said; known for items on this computer only (the
    /// portal's queue carries the rule, not the wording).
    pub message: Option<Message>,
    pub decision: Option<FindingDecision>,
}

/// The author's decision on a finding: fixed, or kept with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FindingDecision {
    pub kind: DecisionKind,
    pub reason: String,
    pub by: String,
}

/// The head's review screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewDetail {
    pub review: Review,
    pub title: String,
    pub summary: String,
    /// The body rendered and sanitised on this computer (never HTML taken
    /// from elsewhere).
    pub body_html: String,
    pub findings: Vec<ReviewFinding>,
    /// Changes since the revision the head last signed or returned.
    pub diff: Option<RevisionDiff>,
    pub previous_status: Option<ReviewStatus>,
    /// The comments made when it was last returned (what the author was
    /// asked to change).
    pub previous_comments: Vec<ReviewComment>,
}

/// An item's reviews (newest first) and its latest sign-off, valid or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ItemReviews {
    pub reviews: Vec<Review>,
    pub signoff: Option<Signoff>,
}

/// The signed-in head's signing key on this computer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SigningKeyStatus {
    /// `None`: no key here yet (made at the first 签发).
    pub fingerprint: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    /// Whether the portal confirmed the registration.
    pub registered: bool,
}

/// The review screen for `review_id`.
pub fn detail(store: &Store, review_id: &str) -> Result<ReviewDetail, SyncError> {
    let review = store.review(review_id)?;
    let request = request_of(store, &review)?;
    let findings = match (review.origin, review.item_id) {
        (ReviewOrigin::Local, Some(id)) => local_findings(store, id, review.revision)?
            .unwrap_or_else(|| portal_findings(&request.check)),
        _ => portal_findings(&request.check),
    };
    let previous = match review.item_id {
        Some(id) => previous_local(store, id, &review)?,
        None => previous_portal(store, &review, &request)?,
    };
    let (diff, previous_status, previous_comments) = match previous {
        Some(p) => (Some(p.diff), Some(p.status), p.comments),
        None => (None, None, Vec::new()),
    };
    Ok(ReviewDetail {
        title: request.item.title.clone(),
        summary: request.item.summary.clone(),
        body_html: render_markdown(&request.body_markdown),
        findings,
        diff,
        previous_status,
        previous_comments,
        review,
    })
}

/// The item's reviews and latest sign-off.
pub fn item_reviews(store: &Store, id: ItemId) -> Result<ItemReviews, SyncError> {
    Ok(ItemReviews {
        reviews: store.item_reviews(id)?,
        signoff: store.latest_signoff(id)?,
    })
}

/// The key on this computer for `profile`'s user. Reads the keyring only.
pub fn key_status(profile: &Profile) -> Result<SigningKeyStatus, SyncError> {
    Ok(match crate::keys::load(profile)? {
        Some(k) => SigningKeyStatus {
            fingerprint: Some(k.fingerprint()),
            created_at: Some(k.created_at),
            registered: k.registered,
        },
        None => SigningKeyStatus {
            fingerprint: None,
            created_at: None,
            registered: false,
        },
    })
}

/// Makes and registers a new key (see [`crate::keys::rotate`]).
pub async fn rotate_key(session: &Session) -> Result<SigningKeyStatus, SyncError> {
    let key = crate::keys::rotate(session).await?;
    Ok(SigningKeyStatus {
        fingerprint: Some(key.fingerprint()),
        created_at: Some(key.created_at),
        registered: key.registered,
    })
}

/// The findings as kept at 送审 on this computer, with the check's wording.
fn local_findings(
    store: &Store,
    id: ItemId,
    revision: u32,
) -> Result<Option<Vec<ReviewFinding>>, SyncError> {
    let Some((report, decisions)) = store.stored_report(id, revision)? else {
        return Ok(None);
    };
    let findings = report
        .findings
        .iter()
        .map(|f| ReviewFinding {
            rule: f.rule.clone(),
            severity: f.severity,
            field: f.field.code().to_string(),
            excerpt: f.excerpt.clone(),
            message: Some(f.message.clone()),
            decision: decisions
                .iter()
                .rev()
                .find(|d| d.fingerprint == f.fingerprint)
                .map(|d| FindingDecision {
                    kind: d.kind,
                    reason: d.reason.clone().unwrap_or_default(),
                    by: d.by.clone(),
                }),
        })
        .collect();
    Ok(Some(findings))
}

/// The findings as the review request carries them (personal data masked).
fn portal_findings(check: &api::CheckReport) -> Vec<ReviewFinding> {
    check
        .findings
        .iter()
        .map(|f| ReviewFinding {
            rule: f.rule_id.clone(),
            severity: match f.severity {
                api::Severity::Blocker => Severity::Blocker,
                api::Severity::Error => Severity::Error,
                api::Severity::Warning => Severity::Warning,
                api::Severity::Info => Severity::Info,
            },
            field: f.field.clone(),
            excerpt: f.excerpt.clone(),
            message: None,
            decision: f.decision.as_ref().map(|d| FindingDecision {
                kind: match d.kind {
                    api::FindingDecisionKind::Fixed => DecisionKind::Fixed,
                    api::FindingDecisionKind::Waived => DecisionKind::Waived,
                },
                reason: d.reason.clone(),
                by: d.by.clone(),
            }),
        })
        .collect()
}

struct Previous {
    diff: RevisionDiff,
    status: ReviewStatus,
    comments: Vec<ReviewComment>,
}

/// The last decided review before `review` of a local item, and the diff
/// from its revision to the review's.
fn previous_local(
    store: &Store,
    id: ItemId,
    review: &Review,
) -> Result<Option<Previous>, SyncError> {
    let reviews = store.item_reviews(id)?;
    // Newest first: the decided ones after (older than) this review.
    let older = reviews
        .iter()
        .skip_while(|r| r.id != review.id)
        .skip(1)
        .find(|r| matches!(r.status, ReviewStatus::SignedOff | ReviewStatus::Returned));
    let Some(prev) = older else {
        return Ok(None);
    };
    let old = store.get_revision(id, prev.revision)?;
    let new = store.get_revision(id, review.revision)?;
    Ok(Some(Previous {
        diff: diff(prev.revision, review.revision, &old, &new)?,
        status: prev.status,
        comments: prev.comments.clone(),
    }))
}

/// The previous revision the portal's queue sent with the review.
fn previous_portal(
    store: &Store,
    review: &Review,
    request: &api::SubmissionRequest,
) -> Result<Option<Previous>, SyncError> {
    let (_, previous) = store.review_payload(&review.id)?;
    let Some(json) = previous else {
        return Ok(None);
    };
    let prev: api::PreviousRevision = serde_json::from_str(&json)
        .map_err(|e| SyncError::Internal(format!("stored previous revision: {e}")))?;
    let old = ItemContent {
        title: prev.title,
        body: prev.body_markdown,
        ..Default::default()
    };
    let new = ItemContent {
        title: request.item.title.clone(),
        body: request.body_markdown.clone(),
        ..Default::default()
    };
    Ok(Some(Previous {
        diff: diff(prev.client_revision, review.revision, &old, &new)?,
        status: match prev.outcome {
            api::ReviewStatus::SignedOff => ReviewStatus::SignedOff,
            _ => ReviewStatus::Returned,
        },
        comments: Vec::new(),
    }))
}

fn diff(
    from: u32,
    to: u32,
    old: &ItemContent,
    new: &ItemContent,
) -> Result<RevisionDiff, SyncError> {
    diff_contents(from, to, old, new).map_err(|e| SyncError::Store(StoreError::from(e)))
}
