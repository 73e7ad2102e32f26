//! The window's side of review and sign-off (送审 → 签发 / 退回修改): what
//! the review commands do, over `baosong-sync`'s `review`, `review_view` and
//! `keys` (all rules live there and in `baosong-core`).
//!
//! Both routes: 本机 (the head signs in on this computer, 切换用户, and finds
//! the item in 待我签发) and 经门户 (the review also goes to the portal's
//! unit review queue; the sync worker sends it and picks up the decision).

use std::sync::Arc;

use baosong_api::Role;
use baosong_core::model::{Review, ReviewComment, TextAnchor};
use baosong_core::{ItemView, Store, UserError};
use baosong_sync::review::{self, Person};
use baosong_sync::review_view::{self, ItemReviews, ReviewDetail, SigningKeyStatus};
use baosong_sync::{Profile, SyncError, keys};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::state::{AppState, worker_failed};

/// What 送审 sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SendForReview {
    /// The head's portal username; empty or absent: any head of the unit.
    pub to: Option<String>,
    pub note: String,
    /// Also through the portal's review queue (the head signs on their own
    /// computer); otherwise on this computer only.
    pub via_portal: bool,
}

/// A comment (批注) the head adds before 退回修改.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewComment {
    /// The text it points at; `None` for a comment on the whole item.
    pub anchor: Option<TextAnchor>,
    pub text: String,
}

/// Runs `f` with the store on a blocking thread (refused while locked).
async fn blocking<T, F>(state: &Arc<AppState>, f: F) -> Result<T, UserError>
where
    T: Send + 'static,
    F: FnOnce(&Store) -> Result<T, SyncError> + Send + 'static,
{
    let state = state.clone();
    tauri::async_runtime::spawn_blocking(move || state.with_store_sync(f))
        .await
        .map_err(|e| worker_failed(&e.to_string()))?
}

/// The signed-in person, refused unless they are a unit head.
fn head(store: &Store) -> Result<Person, SyncError> {
    match review::current_person(store)? {
        (person, Some(Role::UnitHead)) => Ok(person),
        _ => Err(SyncError::NotAHead),
    }
}

/// Wakes the sync worker when something waits for the portal's queue.
fn wake_if(state: &AppState, via_portal: bool) {
    if via_portal && let Ok(worker) = state.sync() {
        worker.wake();
    }
}

/// 送审
pub async fn send_for_review(
    state: Arc<AppState>,
    id: String,
    form: SendForReview,
) -> Result<ItemView, UserError> {
    let via_portal = form.via_portal;
    let view = blocking(&state, move |s| {
        let id = s.resolve_id(&id)?;
        let (person, _) = review::current_person(s)?;
        // No directory of heads: the username stands for the name until the
        // head's own computer (or the portal) says who signed.
        let to = form
            .to
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .map(|t| (t.clone(), t));
        let (item, _) = review::send(s, id, &person, to, form.note.trim(), via_portal)?;
        Ok(ItemView::from(item))
    })
    .await?;
    wake_if(&state, via_portal);
    Ok(view)
}

/// 待我签发: pending reviews for the signed-in head (or any head).
pub async fn pending_reviews(state: Arc<AppState>) -> Result<Vec<Review>, UserError> {
    blocking(&state, |s| {
        let person = head(s)?;
        Ok(s.pending_reviews_for(&person.username)?)
    })
    .await
}

pub async fn item_reviews(state: Arc<AppState>, id: String) -> Result<ItemReviews, UserError> {
    blocking(&state, move |s| {
        let id = s.resolve_id(&id)?;
        review_view::item_reviews(s, id)
    })
    .await
}

pub async fn review_detail(
    state: Arc<AppState>,
    review_id: String,
) -> Result<ReviewDetail, UserError> {
    blocking(&state, move |s| review_view::detail(s, &review_id)).await
}

/// 签发 with the head's key (made and registered with the portal the first
/// time, which needs the portal once; later signing works offline).
pub async fn sign_review(
    state: Arc<AppState>,
    review_id: String,
    opinion: String,
) -> Result<Review, UserError> {
    let (person, profile) = blocking(&state, |s| {
        let person = head(s)?;
        let profile = Profile::load(s)?.ok_or(SyncError::NoProfile)?;
        Ok((person, profile))
    })
    .await?;
    let session = state.sync()?.session();
    let key = keys::ensure(session.as_deref(), &profile)
        .await
        .map_err(|e| e.to_user())?;
    let signed = blocking(&state, move |s| {
        review::sign(s, &review_id, &person, &key, &opinion)
    })
    .await?;
    wake_if(&state, signed.via_portal);
    Ok(signed)
}

/// 退回修改 with the opinion and the comments.
pub async fn return_review(
    state: Arc<AppState>,
    review_id: String,
    opinion: String,
    comments: Vec<NewComment>,
) -> Result<Review, UserError> {
    let returned = blocking(&state, move |s| {
        let person = head(s)?;
        let now = chrono::Utc::now();
        let comments = comments
            .into_iter()
            .filter(|c| !c.text.trim().is_empty())
            .map(|c| ReviewComment {
                anchor: c.anchor,
                text: c.text.trim().to_string(),
                author: person.username.clone(),
                at: now,
            })
            .collect();
        review::return_for_revision(s, &review_id, &person, opinion.trim(), comments)
    })
    .await?;
    wake_if(&state, returned.via_portal);
    Ok(returned)
}

/// The signed-in user's signing key on this computer.
pub async fn signing_key(state: Arc<AppState>) -> Result<SigningKeyStatus, UserError> {
    let profile = blocking(&state, |s| Profile::load(s)?.ok_or(SyncError::NoProfile)).await?;
    tauri::async_runtime::spawn_blocking(move || review_view::key_status(&profile))
        .await
        .map_err(|e| worker_failed(&e.to_string()))?
        .map_err(|e| e.to_user())
}

/// A new signing key (the portal keeps the old one for what it signed).
pub async fn rotate_signing_key(state: Arc<AppState>) -> Result<SigningKeyStatus, UserError> {
    blocking(&state, |s| head(s).map(|_| ())).await?;
    let session = state
        .sync()?
        .session()
        .ok_or_else(|| SyncError::SignInRequired.to_user())?;
    review_view::rotate_key(&session)
        .await
        .map_err(|e| e.to_user())
}
