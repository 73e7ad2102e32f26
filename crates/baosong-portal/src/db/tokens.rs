//! Access and refresh tokens, kept only as SHA-256 hashes, grouped in
//! families (one per sign-in) so that a stolen refresh token, once used twice,
//! revokes everything issued from that sign-in.
//!
//! Each refresh token records the one it was issued for (`parent_hash`), so
//! the family is a tree. A refresh token is single use, with one exception
//! for flaky networks: a client whose refresh was carried out but whose answer
//! was lost still holds only the old token and retries with it. Presenting a
//! used refresh token again within [`Lifetimes::reuse_grace`] of its first
//! use, while the family is not revoked and none of the tokens issued from it
//! has been used yet, is taken as such a retry and answered with another new
//! pair in the same family (a sibling of the pair the lost answer carried).
//! Everything else presented twice is a reuse: the family is revoked.
//!
//! Siblings stay valid until one of them is used, because the client may hold
//! either: a retry can overtake the request it retries, so the answer the
//! client keeps is not necessarily the newest pair. The first sibling used
//! wins and the others are marked `superseded_at`: that branch is abandoned,
//! and presenting one of its tokens later is a reuse like any other. So once
//! the family has moved on there is again exactly one live refresh token, and
//! the grace window can only ever give the holder of an old token a pair if
//! nobody has used what was issued from it yet.

use std::time::Duration;

use baosong_api::{ProblemCode, TokenResponse, Unit};
use rusqlite::{Connection, OptionalExtension, params};

use super::users::{Principal, parse_role};
use super::{Write, now, parse_ts, ts};
use crate::error::{Error, Result};
use crate::secrets::{ACCESS_PREFIX, REFRESH_PREFIX, SESSION_PREFIX, new_token, token_hash};

/// Lifetimes of newly issued tokens.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    pub access: Duration,
    pub refresh: Duration,
    /// How long after its first use a refresh token may be presented again
    /// as a retry (see the module documentation). Zero: never.
    pub reuse_grace: Duration,
}

/// Now in whole Unix seconds, as token expiries are stored.
pub fn unix_now() -> i64 {
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
    issue(w, family, None, life)
}

/// Issues a new pair in `family`; `parent` is the hash of the refresh token
/// it is issued for (`None` at sign-in).
fn issue(
    w: &mut Write<'_>,
    family: i64,
    parent: Option<&[u8]>,
    life: Lifetimes,
) -> Result<TokenResponse> {
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
        "INSERT INTO refresh_tokens (token_hash, family_id, expires_at, parent_hash)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        &token_hash(&refresh)[..],
        family,
        now.saturating_add(secs(life.refresh)),
        parent
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
    verify(conn, &token_hash(token)).map(|(who, _)| who)
}

/// Who the access token with this SHA-256 belongs to and when it expires
/// (whole Unix seconds), or why it is refused.
pub fn verify(conn: &Connection, hash: &[u8; 32]) -> Result<(Principal, i64)> {
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
        .query_row([&hash[..]], |r| {
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
    // Expiry is kept in whole seconds from a truncated "now", so a token
    // issued at S.9 with a 1-second lifetime has expires_at = S+1. Treating
    // the whole second S+1 as still valid makes every token live at least
    // its `expires_in` (up to one second longer) instead of as little as
    // 0.1 s, which made short lifetimes (and a test using them) flaky.
    if expires < unix_now() {
        return Err(Error::code(ProblemCode::TokenExpired));
    }
    let who = Principal {
        user_id,
        username,
        display_name,
        role: parse_role(&role)?,
        unit,
        family_id: family,
    };
    Ok((who, expires))
}

/// What became of a refresh request. A reuse is committed (the family is
/// revoked) before the caller is told.
pub enum Refreshed {
    Tokens(TokenResponse),
    Refused(ProblemCode),
}

/// Rotates a refresh token, or answers a retry of a rotation whose answer was
/// lost (see the module documentation).
pub fn refresh(w: &mut Write<'_>, token: &str, life: Lifetimes) -> Result<Refreshed> {
    let hash = token_hash(token);
    let row = w
        .prepare_cached(
            "SELECT r.family_id, r.expires_at, r.used_at, r.superseded_at IS NOT NULL,
                    r.parent_hash, f.revoked_at IS NOT NULL, u.disabled
             FROM refresh_tokens r
             JOIN token_families f ON f.id = r.family_id
             JOIN users u ON u.id = f.user_id
             WHERE r.token_hash = ?1",
        )?
        .query_row([&hash[..]], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, Option<Vec<u8>>>(4)?,
                r.get::<_, bool>(5)?,
                r.get::<_, bool>(6)?,
            ))
        })
        .optional()?;
    let Some((family, expires, used_at, superseded, parent, revoked, disabled)) = row else {
        return Ok(Refreshed::Refused(ProblemCode::InvalidRefreshToken));
    };
    if revoked || disabled {
        return Ok(Refreshed::Refused(ProblemCode::InvalidRefreshToken));
    }
    if superseded {
        return reused(w, family, "superseded refresh token presented");
    }
    if let Some(used_at) = used_at {
        if !is_retry(w, &hash, &used_at, life.reuse_grace)? {
            return reused(w, family, "refresh token reused");
        }
        if expires <= unix_now() {
            return Ok(Refreshed::Refused(ProblemCode::InvalidRefreshToken));
        }
        tracing::info!(
            family,
            "refresh retried within the grace window: new pair issued"
        );
        return Ok(Refreshed::Tokens(issue(w, family, Some(&hash), life)?));
    }
    if expires <= unix_now() {
        return Ok(Refreshed::Refused(ProblemCode::InvalidRefreshToken));
    }
    let at = ts(now());
    w.prepare_cached("UPDATE refresh_tokens SET used_at = ?2 WHERE token_hash = ?1")?
        .execute(params![&hash[..], &at])?;
    if let Some(parent) = parent {
        // This branch wins: siblings issued by retries of the parent are
        // abandoned.
        w.prepare_cached(
            "UPDATE refresh_tokens SET superseded_at = ?3
             WHERE parent_hash = ?1 AND token_hash <> ?2
               AND used_at IS NULL AND superseded_at IS NULL",
        )?
        .execute(params![&parent[..], &hash[..], &at])?;
    }
    Ok(Refreshed::Tokens(issue(w, family, Some(&hash), life)?))
}

/// Whether presenting the refresh token `hash`, first used at `used_at`, again
/// is a retry: within `grace` of that use, something was issued from it
/// (tokens used before schema version 2 record no children and never
/// qualify) and none of it has been used.
fn is_retry(w: &Write<'_>, hash: &[u8], used_at: &str, grace: Duration) -> Result<bool> {
    let Ok(grace) = chrono::TimeDelta::from_std(grace) else {
        return Ok(false);
    };
    // `abs`: a clock set back must not stretch the window.
    if (now() - parse_ts(used_at)?).abs() >= grace {
        return Ok(false);
    }
    let (children, used): (i64, i64) = w
        .prepare_cached(
            "SELECT COUNT(*), COUNT(used_at) FROM refresh_tokens WHERE parent_hash = ?1",
        )?
        .query_row([hash], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(children > 0 && used == 0)
}

/// A reuse: revokes the family (committed before the caller is told).
fn reused(w: &mut Write<'_>, family: i64, why: &str) -> Result<Refreshed> {
    revoke_family(w, family, why)?;
    tracing::warn!(family, why, "refresh token reused: sign-in revoked");
    Ok(Refreshed::Refused(ProblemCode::RefreshTokenReused))
}

fn revoke_family(w: &mut Write<'_>, family: i64, why: &str) -> Result<()> {
    w.tokens_changed();
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
