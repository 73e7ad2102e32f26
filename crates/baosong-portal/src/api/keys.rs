//! Signing keys: `POST` and `GET /me/keys`, `GET /keys`,
//! `POST /keys/{key_id}/revoke`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use baosong_api::{
    KeyList, KeysQuery, Problem, ProblemCode, RegisterKeyRequest, RevokeKeyRequest, SigningKeyInfo,
};

use super::AppState;
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, OptionalJson};
use crate::db::keys::{self, Registered};
use crate::error::{Error, Result};

/// Longest key label and revocation reason, in characters.
const MAX_TEXT_CHARS: usize = 200;

fn too_long(field: &str, value: &str) -> Result<()> {
    if value.chars().count() > MAX_TEXT_CHARS {
        return Err(Error::invalid(
            field,
            format!("{field} 最多 {MAX_TEXT_CHARS} 个字。"),
            format!("{field} takes at most {MAX_TEXT_CHARS} characters."),
        ));
    }
    Ok(())
}

/// 201 for a new key, 200 when the caller registered this key before.
pub async fn register(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiJson(req): ApiJson<RegisterKeyRequest>,
) -> Result<Response> {
    too_long("label", &req.label)?;
    let username = who.username.clone();
    let registered = state
        .write(move |w| keys::register(w, &who, &req.public_key, &req.label))
        .await?;
    Ok(match registered {
        Registered::New(key) => {
            tracing::info!(user = %username, key_id = %key.key_id, "signing key registered");
            (StatusCode::CREATED, Json(key)).into_response()
        }
        Registered::Again(key) => (StatusCode::OK, Json(key)).into_response(),
    })
}

pub async fn mine(State(state): State<AppState>, Auth(who): Auth) -> Result<Json<KeyList>> {
    let keys = state
        .read(move |c| keys::list(c, Some(&who.username)))
        .await?;
    Ok(Json(KeyList { keys }))
}

/// Every user's keys, for administrators and portal editors.
pub async fn list(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiQuery(q): ApiQuery<KeysQuery>,
) -> Result<Json<KeyList>> {
    if !who.role.sees_all_units() {
        return Err(Error::problem(
            Problem::new(ProblemCode::Forbidden).with_detail(
                "只有管理员和门户网站编辑可以查看所有签发密钥。",
                "Only administrators and portal editors list every signing key.",
            ),
        ));
    }
    let keys = state
        .read(move |c| keys::list(c, q.user.as_deref()))
        .await?;
    Ok(Json(KeyList { keys }))
}

pub async fn revoke(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiPath(key_id): ApiPath<String>,
    OptionalJson(req): OptionalJson<RevokeKeyRequest>,
) -> Result<Json<SigningKeyInfo>> {
    too_long("reason", &req.reason)?;
    let username = who.username.clone();
    let key = state
        .write(move |w| keys::revoke(w, Some(&who), &key_id, &req.reason))
        .await?;
    tracing::info!(by = %username, key_id = %key.key_id, "signing key revoked");
    Ok(Json(key))
}
