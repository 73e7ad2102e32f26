//! `GET /columns`, with a strong ETag over the answer's bytes.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use baosong_api::ColumnList;

use super::AppState;
use super::extract::Auth;
use crate::db::columns;
use crate::error::{Error, Result};
use crate::secrets::sha256_hex;

pub async fn list(
    State(state): State<AppState>,
    Auth(_who): Auth,
    headers: HeaderMap,
) -> Result<Response> {
    let list = ColumnList {
        columns: state.read(|c| columns::list(c, None)).await?,
    };
    let body = serde_json::to_vec(&list)
        .map_err(|e| Error::Internal(format!("serialising columns: {e}")))?;
    let etag = format!("\"{}\"", &sha256_hex(&body)[..32]);
    let etag_value =
        HeaderValue::from_str(&etag).map_err(|e| Error::Internal(format!("etag: {e}")))?;
    let cache = (
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    if if_none_match(&headers, &etag) {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag_value), cache],
        )
            .into_response());
    }
    Ok((
        [
            (header::ETAG, etag_value),
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            cache,
        ],
        body,
    )
        .into_response())
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 says
/// for this header) or is `*`.
fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag)
}
