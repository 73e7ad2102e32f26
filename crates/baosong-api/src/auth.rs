//! Sign-in and tokens.
//!
//! `POST /auth/token` exchanges a username and password for a short-lived
//! access token (sent as `Authorization: Bearer …`) and a refresh token.
//! `POST /auth/refresh` rotates: it answers with a new pair and the refresh
//! token it was given stops working. Presenting a refresh token that was
//! already rotated is treated as theft: the whole family (every token issued
//! from the same sign-in) is revoked. `POST /auth/logout` revokes the family of
//! the given refresh token, and with it the access tokens issued from it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Sign-in with a username and password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    #[schema(example = "jyj.liaison")]
    pub username: String,
    pub password: String,
}

/// A new access token and refresh token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: u64,
    /// Single use: exchange it at `POST /auth/refresh` for a new pair.
    pub refresh_token: String,
    /// Seconds until the refresh token expires.
    #[schema(example = 2_592_000)]
    pub refresh_expires_in: u64,
}

/// Exchange a refresh token for a new pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Revoke the sign-in the refresh token belongs to. Answers 204 even for an
/// unknown or already revoked token (RFC 7009 style), so it is safe to retry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogoutRequest {
    pub refresh_token: String,
}
