//! The unit review queue: `POST /reviews`, `GET /reviews`,
//! `GET /reviews/{id}`, `POST /reviews/{id}/decision`,
//! `POST /reviews/{id}/cancel`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use baosong_api::{
    Problem, ProblemCode, Review, ReviewDecisionRequest, ReviewPage, ReviewRequest, ReviewsQuery,
};
use uuid::Uuid;

use super::AppState;
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth};
use crate::db::reviews::{self, Sent};
use crate::error::{Error, Result};
use crate::secrets::sha256_hex;
use crate::validate;

/// The default and largest page of `GET /reviews`.
const DEFAULT_LIMIT: u32 = 100;
const MAX_LIMIT: u32 = 500;

/// 201 when queued, 200 when the same id and body were sent before.
pub async fn send(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiJson(req): ApiJson<ReviewRequest>,
) -> Result<Response> {
    // Validation hashes the content; keep it off the async threads.
    let (req, hash) = state
        .blocking(move |_| {
            validate::review_request(&req)?;
            let json = serde_json::to_string(&req)
                .map_err(|e| Error::Internal(format!("serialising a review: {e}")))?;
            Ok((req, sha256_hex(json.as_bytes())))
        })
        .await?;
    let username = who.username.clone();
    let sent = state
        .write(move |w| reviews::send(w, &who, &req, &hash))
        .await?;
    Ok(match sent {
        Sent::New(review) => {
            tracing::info!(id = %review.id, unit = %review.unit.id, user = %username, "review sent");
            (StatusCode::CREATED, Json(review)).into_response()
        }
        Sent::Again(review) => (StatusCode::OK, Json(review)).into_response(),
    })
}

pub async fn list(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiQuery(q): ApiQuery<ReviewsQuery>,
) -> Result<Json<ReviewPage>> {
    let since = match q.since.as_deref() {
        Some(c) => reviews::decode_cursor(c)?,
        None => 0,
    };
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Error::problem(
            Problem::new(ProblemCode::InvalidParameter)
                .with_field("limit")
                .with_detail(
                    format!("limit 必须在 1 到 {MAX_LIMIT} 之间。"),
                    format!("limit must be between 1 and {MAX_LIMIT}."),
                ),
        ));
    }
    let page = state
        .read(move |c| reviews::page(c, &who, since, limit))
        .await?;
    Ok(Json(page))
}

pub async fn get(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Review>> {
    Ok(Json(state.read(move |c| reviews::get(c, &who, id)).await?))
}

pub async fn decide(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<ReviewDecisionRequest>,
) -> Result<Json<Review>> {
    validate::review_decision(&req)?;
    let username = who.username.clone();
    let review = state
        .write(move |w| reviews::decide(w, &who, id, &req))
        .await?;
    tracing::info!(%id, head = %username, status = review.status.code(), "review decided");
    Ok(Json(review))
}

pub async fn cancel(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Review>> {
    let username = who.username.clone();
    let review = state.write(move |w| reviews::cancel(w, &who, id)).await?;
    tracing::info!(%id, user = %username, "review cancelled");
    Ok(Json(review))
}
