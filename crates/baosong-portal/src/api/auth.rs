//! `POST /auth/token`, `/auth/refresh`, `/auth/logout`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use baosong_api::{LogoutRequest, ProblemCode, RefreshRequest, TokenRequest, TokenResponse};

use super::AppState;
use super::extract::{ApiJson, ClientIp};
use crate::db::tokens::{self, Refreshed};
use crate::db::users;
use crate::error::{Error, Result};
use crate::secrets;

/// Longest username and password looked at; longer ones simply do not match.
const MAX_USERNAME: usize = 64;
const MAX_PASSWORD: usize = 1024;

pub async fn token(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<TokenRequest>,
) -> Result<Json<TokenResponse>> {
    let username = req.username.trim().to_lowercase();
    state
        .login
        .check((ip, username.clone()))
        .map_err(Error::RateLimited)?;
    if username.len() > MAX_USERNAME || req.password.len() > MAX_PASSWORD {
        return Err(Error::code(ProblemCode::InvalidCredentials));
    }
    let dummy = state.dummy_hash.clone();
    let life = state.lifetimes();
    let name = username.clone();
    let issued = state
        .blocking(move |db| {
            let user = db.read(|c| users::find_for_login(c, &name))?;
            // Verify even for an unknown user, so timing tells nothing.
            let hash = user.as_ref().map_or(dummy.as_str(), |u| &u.password_hash);
            let matches = secrets::verify_password(&req.password, hash);
            match user {
                Some(u) if matches && !u.disabled => {
                    let id = u.id;
                    db.write(move |w| tokens::sign_in(w, id, life)).map(Some)
                }
                _ => Ok(None),
            }
        })
        .await?;
    match issued {
        Some(tokens) => {
            tracing::info!(username = %username, "signed in");
            Ok(Json(tokens))
        }
        None => {
            tracing::info!(username = %username, %ip, "sign-in refused");
            Err(Error::code(ProblemCode::InvalidCredentials))
        }
    }
}

pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> Result<Json<TokenResponse>> {
    let life = state.lifetimes();
    match state
        .write(move |w| tokens::refresh(w, &req.refresh_token, life))
        .await?
    {
        Refreshed::Tokens(t) => Ok(Json(t)),
        Refreshed::Refused(code) => Err(Error::code(code)),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LogoutRequest>,
) -> Result<StatusCode> {
    state
        .write(move |w| tokens::logout(w, &req.refresh_token))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
