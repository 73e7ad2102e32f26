//! Extractors that refuse bad requests with problem+json instead of axum's
//! plain-text rejections.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use baosong_api::{Problem, ProblemCode};
use serde::de::DeserializeOwned;

use super::AppState;
use crate::db::tokens;
use crate::db::users::Principal;
use crate::error::{Error, Result};
use crate::secrets::token_hash;

/// The signed-in caller (`Authorization: Bearer …`), within their rate limit.
pub struct Auth(pub Principal);

impl FromRequestParts<AppState> for Auth {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Auth> {
        let hash = token_hash(bearer_token(&parts.headers)?);
        let who = authenticate(state, hash).await?;
        state
            .per_user
            .check(who.user_id)
            .map_err(Error::RateLimited)?;
        Ok(Auth(who))
    }
}

/// The holder of the token with this SHA-256: from the token cache when it
/// was verified in the last few seconds (no database read, no thread hop),
/// else from the database, then remembered.
async fn authenticate(state: &AppState, hash: [u8; 32]) -> Result<Principal> {
    let cache = state.db.token_cache();
    if let Some(who) = cache.get(&hash, tokens::unix_now()) {
        return Ok(who);
    }
    // Read before the lookup: see `TokenCache` on racing a logout.
    let generation = cache.generation();
    let (who, expires) = state.read(move |c| tokens::verify(c, &hash)).await?;
    cache.put(hash, &who, expires, generation);
    Ok(who)
}

fn bearer_token(headers: &HeaderMap) -> Result<&str> {
    let unauthenticated = || Error::code(ProblemCode::Unauthenticated);
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(unauthenticated)?
        .to_str()
        .map_err(|_| unauthenticated())?;
    let (scheme, token) = value.split_once(' ').ok_or_else(unauthenticated)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer")
        || token.is_empty()
        || token.len() > 200
        || !token.bytes().all(|b| b.is_ascii_graphic())
        // An editor's web session cookie is not an API token.
        || token.starts_with(crate::secrets::SESSION_PREFIX)
    {
        return Err(unauthenticated());
    }
    Ok(token)
}

/// The TCP peer's address (127.0.0.1 when the server runs without connect
/// info, as in some tests).
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<ClientIp> {
        Ok(ClientIp(client_ip(parts.extensions.get())))
    }
}

pub fn client_ip(info: Option<&ConnectInfo<SocketAddr>>) -> IpAddr {
    info.map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// A JSON body: `Content-Type: application/json`, within the size limit,
/// valid UTF-8, well-formed, and of the right shape.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &AppState) -> Result<ApiJson<T>> {
        require_json(req.headers())?;
        let bytes = body(req, state).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// An optional JSON body: an empty body is `T::default()`.
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default> FromRequest<AppState> for OptionalJson<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &AppState) -> Result<OptionalJson<T>> {
        let has_type = req.headers().contains_key(header::CONTENT_TYPE);
        let headers = req.headers().clone();
        let bytes = body(req, state).await?;
        if bytes.is_empty() && !has_type {
            return Ok(OptionalJson(T::default()));
        }
        require_json(&headers)?;
        parse_json(&bytes).map(OptionalJson)
    }
}

async fn body(req: Request, state: &AppState) -> Result<Bytes> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::problem(Problem::new(ProblemCode::PayloadTooLarge).with_detail(
                format!("请求内容过大，最多 {} 字节。", state.config.max_body_bytes),
                format!(
                    "The request body is too large; at most {} bytes.",
                    state.config.max_body_bytes
                ),
            ))
        } else {
            Error::problem(Problem::new(ProblemCode::InvalidParameter).with_detail(
                "无法读取请求内容。",
                format!("Could not read the request body: {}", rejection.body_text()),
            ))
        }
    })
}

fn require_json(headers: &HeaderMap) -> Result<()> {
    let ok = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            let mime = v
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
        .unwrap_or(false);
    if ok {
        Ok(())
    } else {
        Err(Error::code(ProblemCode::UnsupportedMediaType))
    }
}

/// Parses a JSON body, telling apart bad UTF-8, bad JSON and a wrong shape.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::problem(Problem::new(ProblemCode::InvalidUtf8).with_detail(
            format!(
                "请求内容不是有效的 UTF-8 文本（第 {} 字节）。",
                e.valid_up_to()
            ),
            format!(
                "The request body is not valid UTF-8 (at byte {}).",
                e.valid_up_to()
            ),
        ))
    })?;
    serde_json::from_str(text).map_err(|e| {
        let (code, zh) = match e.classify() {
            serde_json::error::Category::Data => (ProblemCode::InvalidBody, "请求内容的格式不正确"),
            _ => (ProblemCode::InvalidJson, "请求内容不是有效的 JSON"),
        };
        Error::problem(Problem::new(code).with_detail(format!("{zh}：{e}"), e.to_string()))
    })
}

/// Path parameters, refused as `400 invalid_parameter`.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<ApiPath<T>> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|e| {
                Error::problem(Problem::new(ProblemCode::InvalidParameter).with_detail(
                    format!("地址中的参数不正确：{}", e.body_text()),
                    e.body_text(),
                ))
            })
    }
}

/// Query parameters, refused as `400 invalid_parameter`.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<ApiQuery<T>> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|e| {
                Error::problem(
                    Problem::new(ProblemCode::InvalidParameter)
                        .with_detail(format!("查询参数不正确：{}", e.body_text()), e.body_text()),
                )
            })
    }
}
