//! Access and refresh tokens, kept only as SHA-256 hashes, grouped in
//! families (one per sign-in) so that a stolen refresh token, once used twice,
//! revokes everything issued from that sign-in.

use std::time::Duration;

use baosong_api::{ProblemCode, TokenResponse, Unit};
use rusqlite::{Connection, OptionalExtension, params};

use super::users::{Principal, parse_role};
use super::{Write, now, ts};
use crate::error::{Error, Result};
use crate::secrets::{ACCESS_PREFIX, REFRESH_PREFIX, SESSION_PREFIX, new_token, token_hash};

/// Lifetimes of newly issued tokens.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    pub access: Duration,
    pub refresh: Duration,
}

fn unix_now() -> i64 {
    now().timestamp()
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 4)
}

/// Starts a new sign-in for `user_id` and issues its first pair.
pub fn sign_in(w: &mut Write<'_>, user_id: i64, life: Lifetimes) -> Result<TokenResponse> {
    w.prepare_cached("INSERT INTO token_families (user_id, created_at) VALUES (?1, ?2)")?
        .execute(params![user_id, ts(now())])?;
    let family = w.last_insert_rowid();
    issue(w, family, life)
}

fn issue(w: &mut Write<'_>, family: i64, life: Lifetimes) -> Result<TokenResponse> {
    let access = new_token(ACCESS_PREFIX)?;
    let refresh = new_token(REFRESH_PREFIX)?;
    let now = unix_now();
    w.prepare_cached(
        "INSERT INTO access_tokens (token_hash, family_id, expires_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![
        &token_hash(&access)[..],
        family,
        now.saturating_add(secs(life.access))
    ])?;
    w.prepare_cached(
        "INSERT INTO refresh_tokens (token_hash, family_id, expires_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![
        &token_hash(&refresh)[..],
        family,
        now.saturating_add(secs(life.refresh))
    ])?;
    Ok(TokenResponse {
        access_token: access,
        token_type: "Bearer".to_string(),
        expires_in: life.access.as_secs(),
        refresh_token: refresh,
        refresh_expires_in: life.refresh.as_secs(),
    })
}

/// Who the access token belongs to, or why it is refused.
pub fn authenticate(conn: &Connection, token: &str) -> Result<Principal> {
    let row = conn
        .prepare_cached(
            "SELECT a.expires_at, f.revoked_at IS NOT NULL, u.disabled, u.id, u.username,
                    u.display_name, u.role, un.id, un.name, f.id
             FROM access_tokens a
             JOIN token_families f ON f.id = a.family_id
             JOIN users u ON u.id = f.user_id
             LEFT JOIN units un ON un.id = u.unit_id
             WHERE a.token_hash = ?1",
        )?
        .query_row([&token_hash(token)[..]], |r| {
            let unit = match (
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
            ) {
                (Some(id), Some(name)) => Some(Unit { id, name }),
                _ => None,
            };
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, bool>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                unit,
                r.get::<_, i64>(9)?,
            ))
        })
        .optional()?;
    let Some((expires, revoked, disabled, user_id, username, display_name, role, unit, family)) =
        row
    else {
        return Err(Error::code(ProblemCode::Unauthenticated));
    };
    if revoked || disabled {
        return Err(Error::code(ProblemCode::Unauthenticated));
    }
    if expires <= unix_now() {
        return Err(Error::code(ProblemCode::TokenExpired));
    }
    Ok(Principal {
        user_id,
        username,
        display_name,
        role: parse_role(&role)?,
        unit,
        family_id: family,
    })
}

/// What became of a refresh request. A reuse is committed (the family is
/// revoked) before the caller is told.
pub enum Refreshed {
    Tokens(TokenResponse),
    Refused(ProblemCode),
}

/// Rotates a refresh token.
pub fn refresh(w: &mut Write<'_>, token: &str, life: Lifetimes) -> Result<Refreshed> {
    let row = w
        .prepare_cached(
            "SELECT r.family_id, r.expires_at, r.used_at IS NOT NULL, f.revoked_at IS NOT NULL,
                    u.disabled
             FROM refresh_tokens r
             JOIN token_families f ON f.id = r.family_id
             JOIN users u ON u.id = f.user_id
             WHERE r.token_hash = ?1",
        )?
        .query_row([&token_hash(token)[..]], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, bool>(4)?,
            ))
        })
        .optional()?;
    let Some((family, expires, used, revoked, disabled)) = row else {
        return Ok(Refreshed::Refused(ProblemCode::InvalidRefreshToken));
    };
    if revoked || disabled {
        return Ok(Refreshed::Refused(ProblemCode::InvalidRefreshToken));
    }
    if used {
        revoke_family(w, family, "refresh token reused")?;
        tracing::warn!(family, "refresh token reused: sign-in revoked");
        return Ok(Refreshed::Refused(ProblemCode::RefreshTokenReused));
    }
    if expires <= unix_now() {
        return Ok(Refreshed::Refused(ProblemCode::InvalidRefreshToken));
    }
    w.prepare_cached("UPDATE refresh_tokens SET used_at = ?2 WHERE token_hash = ?1")?
        .execute(params![&token_hash(token)[..], ts(now())])?;
    Ok(Refreshed::Tokens(issue(w, family, life)?))
}

fn revoke_family(w: &Write<'_>, family: i64, why: &str) -> Result<()> {
    w.prepare_cached(
        "UPDATE token_families SET revoked_at = ?2, revoked_why = ?3
         WHERE id = ?1 AND revoked_at IS NULL",
    )?
    .execute(params![family, ts(now()), why])?;
    w.prepare_cached("DELETE FROM access_tokens WHERE family_id = ?1")?
        .execute([family])?;
    Ok(())
}

/// Signs out the sign-in `refresh_token` belongs to. Unknown tokens are fine.
pub fn logout(w: &mut Write<'_>, refresh_token: &str) -> Result<()> {
    let family: Option<i64> = w
        .prepare_cached("SELECT family_id FROM refresh_tokens WHERE token_hash = ?1")?
        .query_row([&token_hash(refresh_token)[..]], |r| r.get(0))
        .optional()?;
    if let Some(family) = family {
        revoke_family(w, family, "logout")?;
    }
    Ok(())
}

/// Starts an editor web-page session: a sign-in (token family) with one
/// session token, stored only as its hash, valid for `ttl`. Returns the token
/// (the cookie's value).
pub fn start_session(w: &mut Write<'_>, user_id: i64, ttl: Duration) -> Result<String> {
    w.prepare_cached("INSERT INTO token_families (user_id, created_at) VALUES (?1, ?2)")?
        .execute(params![user_id, ts(now())])?;
    let family = w.last_insert_rowid();
    let token = new_token(SESSION_PREFIX)?;
    w.prepare_cached(
        "INSERT INTO access_tokens (token_hash, family_id, expires_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![
        &token_hash(&token)[..],
        family,
        unix_now().saturating_add(secs(ttl))
    ])?;
    Ok(token)
}

/// Ends the sign-in `family` (an editor signing out of the web pages).
pub fn end_family(w: &mut Write<'_>, family: i64) -> Result<()> {
    revoke_family(w, family, "logout")
}

/// Deletes tokens that expired more than a day ago. Returns how many.
pub fn purge_expired(w: &mut Write<'_>) -> Result<usize> {
    let cutoff = unix_now() - 24 * 3600;
    let a = w
        .prepare_cached("DELETE FROM access_tokens WHERE expires_at < ?1")?
        .execute([cutoff])?;
    let r = w
        .prepare_cached("DELETE FROM refresh_tokens WHERE expires_at < ?1")?
        .execute([cutoff])?;
    Ok(a + r)
}
