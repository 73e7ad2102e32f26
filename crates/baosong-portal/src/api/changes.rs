//! `GET /submissions/changes?since=CURSOR&limit=N`.
//!
//! Full pages are answered from [`FeedCache`](super::feed_cache::FeedCache)
//! when seen before: no database read, no serialisation. Other pages are
//! assembled from the JSON of single changes ([`feed_rows`]).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use baosong_api::changes::{ChangesQuery, DEFAULT_CHANGES_LIMIT, MAX_CHANGES_LIMIT};
use baosong_api::{Problem, ProblemCode};

use super::AppState;
use super::extract::{ApiQuery, Auth};
use super::feed_cache::PageKey;
use super::feed_rows;
use crate::db::changes;
use crate::error::{Error, Result};

pub async fn list(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiQuery(q): ApiQuery<ChangesQuery>,
) -> Result<Response> {
    let key = PageKey {
        // What the caller may see is part of the key: a unit's page is never
        // answered to another unit.
        scope: who.unit_filter().map(str::to_string),
        since: since(&q)?,
        limit: limit(&q)?,
    };
    if let Some(json) = state.feed_cache.get(&key) {
        return Ok(json_response(json));
    }
    let PageKey {
        scope,
        since,
        limit,
    } = key.clone();
    let shared = state.clone();
    let (json, full) = state
        .read(move |c| feed_rows::page_json(c, &shared.feed_rows, scope.as_deref(), since, limit))
        .await?;
    // Full: `limit` changes and more after them, so this page can never
    // change. The last page can, and is not kept.
    if full {
        state.feed_cache.put_full_page(key, json.clone());
    }
    Ok(json_response(json))
}

fn since(q: &ChangesQuery) -> Result<i64> {
    match q.since.as_deref() {
        Some(c) => changes::decode_cursor(c),
        None => Ok(0),
    }
}

fn limit(q: &ChangesQuery) -> Result<u32> {
    let limit = q.limit.unwrap_or(DEFAULT_CHANGES_LIMIT);
    if !(1..=MAX_CHANGES_LIMIT).contains(&limit) {
        return Err(Error::problem(
            Problem::new(ProblemCode::InvalidParameter)
                .with_field("limit")
                .with_detail(
                    format!("limit 必须在 1 到 {MAX_CHANGES_LIMIT} 之间。"),
                    format!("limit must be between 1 and {MAX_CHANGES_LIMIT}."),
                ),
        ));
    }
    Ok(limit)
}

/// The page's JSON, as `axum::Json` would have sent it.
fn json_response(json: Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        json,
    )
        .into_response()
}
