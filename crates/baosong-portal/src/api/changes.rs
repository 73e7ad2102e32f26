//! `GET /submissions/changes?since=CURSOR&limit=N`.

use axum::Json;
use axum::extract::State;
use baosong_api::changes::{ChangesQuery, DEFAULT_CHANGES_LIMIT, MAX_CHANGES_LIMIT};
use baosong_api::{ChangesPage, Problem, ProblemCode};

use super::AppState;
use super::extract::{ApiQuery, Auth};
use crate::db::changes;
use crate::error::{Error, Result};

pub async fn list(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiQuery(q): ApiQuery<ChangesQuery>,
) -> Result<Json<ChangesPage>> {
    let since = match q.since.as_deref() {
        Some(c) => changes::decode_cursor(c)?,
        None => 0,
    };
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
    let page = state
        .read(move |c| changes::page(c, &who, since, limit))
        .await?;
    Ok(Json(page))
}
