//! Unit heads' signing keys (签发密钥): registering, superseding, revoking,
//! and looking one up to verify a sign-off.

use baosong_api::{Actor, Problem, ProblemCode, Role, SigningKeyInfo, signing};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::users::{Principal, parse_role};
use super::{Write, now, parse_ts, ts};
use crate::error::{Error, Result};

/// A stored key with what verifying a signature needs of its owner.
#[derive(Debug, Clone)]
pub struct StoredKey {
    pub info: SigningKeyInfo,
    pub user_id: i64,
}

impl StoredKey {
    /// Whether a signature made at `t` falls inside the key's validity.
    pub fn valid_at(&self, t: DateTime<Utc>) -> bool {
        t >= self.info.created_at && self.info.superseded_at.is_none_or(|s| t < s)
    }
}

const COLUMNS: &str = "k.key_id, k.public_key, k.unit_id, k.label, k.created_at, k.superseded_at,
    k.revoked_at, k.revoked_reason, u.id, u.username, u.display_name, u.role";

fn from_row(r: &Row<'_>) -> Result<StoredKey> {
    let key_id: String = r.get(0)?;
    let opt_ts = |s: Option<String>| s.as_deref().map(parse_ts).transpose();
    Ok(StoredKey {
        info: SigningKeyInfo {
            fingerprint: signing::fingerprint(&key_id),
            key_id,
            algorithm: signing::ALGORITHM.to_string(),
            public_key: r.get(1)?,
            unit_id: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            label: r.get(3)?,
            created_at: parse_ts(&r.get::<_, String>(4)?)?,
            superseded_at: opt_ts(r.get(5)?)?,
            revoked_at: opt_ts(r.get(6)?)?,
            revoked_reason: r.get(7)?,
            owner: Actor {
                username: r.get(9)?,
                display_name: r.get(10)?,
                role: parse_role(&r.get::<_, String>(11)?)?,
            },
        },
        user_id: r.get(8)?,
    })
}

fn query(conn: &Connection, filter: &str, p: impl rusqlite::Params) -> Result<Vec<StoredKey>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM signing_keys k JOIN users u ON u.id = k.user_id {filter}"
    ))?;
    let mut rows = stmt.query(p)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(from_row(r)?);
    }
    Ok(out)
}

/// The key with this id, whoever owns it.
pub fn find(conn: &Connection, key_id: &str) -> Result<Option<StoredKey>> {
    Ok(query(conn, "WHERE k.key_id = ?1", [key_id])?.pop())
}

/// A user's keys, newest first; every key when `username` is `None`.
pub fn list(conn: &Connection, username: Option<&str>) -> Result<Vec<SigningKeyInfo>> {
    let keys = match username {
        Some(u) => query(
            conn,
            "WHERE u.username = ?1 ORDER BY k.created_at DESC, k.key_id",
            [u],
        )?,
        None => query(conn, "ORDER BY u.username, k.created_at DESC, k.key_id", [])?,
    };
    Ok(keys.into_iter().map(|k| k.info).collect())
}

/// What registering answered.
pub enum Registered {
    New(SigningKeyInfo),
    /// The caller had registered this very key before: nothing changed.
    Again(SigningKeyInfo),
}

/// Registers `public_key_hex` as `who`'s current key; their earlier current
/// key is superseded from now on. Only unit heads sign.
pub fn register(
    w: &mut Write<'_>,
    who: &Principal,
    public_key_hex: &str,
    label: &str,
) -> Result<Registered> {
    let unit = match (&who.unit, who.role) {
        (Some(unit), Role::UnitHead) => unit.clone(),
        _ => {
            return Err(Error::problem(
                Problem::new(ProblemCode::Forbidden).with_detail(
                    "只有单位负责人可以登记签发密钥。",
                    "Only unit heads register signing keys.",
                ),
            ));
        }
    };
    let key = signing::parse_public_key(public_key_hex).map_err(|_| {
        Error::invalid(
            "public_key",
            "public_key 必须是 64 位小写十六进制的 Ed25519 公钥。",
            "public_key must be an Ed25519 public key as 64 lowercase hex digits.",
        )
    })?;
    // One spelling of each key, so UNIQUE (public_key) means what it says.
    let public_key = signing::public_key_hex(&key);
    let key_id = signing::key_id(&key);
    if let Some(existing) = find(w, &key_id)? {
        if existing.user_id == who.user_id {
            return Ok(Registered::Again(existing.info));
        }
        return Err(Error::code(ProblemCode::KeyAlreadyRegistered));
    }
    let at = ts(now());
    w.prepare_cached(
        "UPDATE signing_keys SET superseded_at = ?2
         WHERE user_id = ?1 AND superseded_at IS NULL",
    )?
    .execute(params![who.user_id, at])?;
    w.prepare_cached(
        "INSERT INTO signing_keys (key_id, user_id, unit_id, public_key, label, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![key_id, who.user_id, unit.id, public_key, label, at])?;
    let stored = find(w, &key_id)?.ok_or_else(|| Error::Internal("key vanished".into()))?;
    Ok(Registered::New(stored.info))
}

/// Revokes a key: from now on it verifies nothing. Administrators revoke any
/// key, others only their own (`who` = `None`: the administration CLI).
/// Revoking a revoked key keeps the first reason.
pub fn revoke(
    w: &mut Write<'_>,
    who: Option<&Principal>,
    key_id: &str,
    reason: &str,
) -> Result<SigningKeyInfo> {
    let Some(key) = find(w, key_id)? else {
        return Err(Error::not_found());
    };
    if let Some(p) = who
        && p.role != Role::Admin
        && p.user_id != key.user_id
    {
        return Err(Error::problem(
            Problem::new(ProblemCode::Forbidden).with_detail(
                "只有管理员或密钥本人可以吊销签发密钥。",
                "Only administrators and the key's owner revoke a signing key.",
            ),
        ));
    }
    w.prepare_cached(
        "UPDATE signing_keys SET revoked_at = ?2, revoked_reason = ?3
         WHERE key_id = ?1 AND revoked_at IS NULL",
    )?
    .execute(params![key_id, ts(now()), reason])?;
    find(w, key_id)?
        .map(|k| k.info)
        .ok_or_else(|| Error::Internal("key vanished".into()))
}

/// The key id of the owner's current key, if they have one.
pub fn current(conn: &Connection, user_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT key_id FROM signing_keys
             WHERE user_id = ?1 AND superseded_at IS NULL AND revoked_at IS NULL",
        )?
        .query_row([user_id], |r| r.get(0))
        .optional()?)
}
