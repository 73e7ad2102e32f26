//! Sign-in and tokens.
//!
//! `POST /auth/token` exchanges a username and password for a short-lived
//! access token (sent as `Authorization: Bearer …`) and a refresh token.
//! `POST /auth/refresh` rotates: it answers with a new pair and the refresh
//! token it was given is used up. Presenting a refresh token that was already
//! rotated is treated as theft: the whole family (every token issued from the
//! same sign-in) is revoked (`refresh_token_reused`). `POST /auth/logout`
//! revokes the family of the given refresh token, and with it the access
//! tokens issued from it.
//!
//! One exception keeps clients on unreliable networks signed in: a client
//! whose refresh was carried out but whose answer was lost may retry with the
//! same refresh token within a short grace window (30 seconds by default,
//! counted from the token's first use; a portal may set it shorter or to
//! zero). While nothing issued from that token has been used yet, the retry
//! is answered with another new pair of the same sign-in. Whichever of the
//! pairs so issued is used first wins; presenting one of the others after that
//! is a reuse. Once anything issued from the token has been used, or the
//! window has passed, presenting it is a reuse as before. Clients should still
//! store a new pair as soon as it arrives and use only the newest one.

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
    /// Single use: exchange it at `POST /auth/refresh` for a new pair. (A
    /// retry after a lost answer is accepted within a short grace window.)
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
