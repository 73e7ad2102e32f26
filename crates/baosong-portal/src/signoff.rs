//! Verifying a sign-off (签发): 未经审核的信息不得上网发布, so the portal takes
//! nothing without a head's signature it can check itself.
//!
//! The checks, in order, each with its own problem code: there is a
//! sign-off (`signoff_missing`); the signer is a head of the submitting unit
//! (`signer_wrong_unit`); the key is registered to the signer
//! (`signing_key_unknown`) and not revoked (`signing_key_revoked`); the
//! signing time lies in the key's validity and not in the future
//! (`signing_time_invalid`); the Ed25519 signature verifies over the
//! statement rebuilt from the request (`signature_invalid`). The content
//! hash was checked before (`validate::submission`), so the signature covers
//! what the portal will publish.
//!
//! Runs inside the write that stores the result, so a key revoked a moment
//! earlier is never missed.

use baosong_api::{Actor, Problem, ProblemCode, Signoff, SubmissionRequest, signing};
use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;

use crate::db::{keys, users};
use crate::error::{Error, Result};

/// How far in the future a signing time may lie (clocks differ).
pub const MAX_CLOCK_SKEW: Duration = Duration::minutes(5);

/// A sign-off the portal verified.
#[derive(Debug, Clone)]
pub struct Verified {
    pub signer: Actor,
    pub signer_id: i64,
    /// The key's public key, 64 hex.
    pub public_key: String,
}

fn refuse(code: ProblemCode, zh: String, en: String) -> Error {
    Error::problem(Problem::new(code).with_field("signoff").with_detail(zh, en))
}

/// Checks `signoff` over `req` for a submission (or review) of `unit_id`,
/// at time `now`.
pub fn verify(
    conn: &Connection,
    unit_id: &str,
    req: &SubmissionRequest,
    signoff: Option<&Signoff>,
    now: DateTime<Utc>,
) -> Result<Verified> {
    let Some(s) = signoff else {
        return Err(Error::problem(
            Problem::new(ProblemCode::SignoffMissing).with_field("signoff"),
        ));
    };
    let signer = users::member(conn, &s.signer)?
        .filter(|m| m.is_head_of(unit_id) && !m.disabled)
        .ok_or_else(|| {
            refuse(
                ProblemCode::SignerWrongUnit,
                format!("签发人“{}”不是报送单位的负责人。", s.signer),
                format!("{:?} is not a head of the submitting unit.", s.signer),
            )
        })?;
    let key = keys::find(conn, &s.key_id)?
        .filter(|k| k.user_id == signer.user_id)
        .ok_or_else(|| {
            refuse(
                ProblemCode::SigningKeyUnknown,
                format!(
                    "签发人“{}”没有在门户网站登记编号为 {} 的签发密钥。",
                    s.signer, s.key_id
                ),
                format!("{:?} has no registered key {:?}.", s.signer, s.key_id),
            )
        })?;
    if key.info.revoked_at.is_some() {
        return Err(Error::problem(
            Problem::new(ProblemCode::SigningKeyRevoked).with_field("signoff.key_id"),
        ));
    }
    if !key.valid_at(s.signed_at) || s.signed_at > now + MAX_CLOCK_SKEW {
        return Err(refuse(
            ProblemCode::SigningTimeInvalid,
            format!(
                "签发时间 {} 不在该密钥的有效期内（登记于 {}{}），或晚于当前时间。",
                s.signed_at.to_rfc3339(),
                key.info.created_at.to_rfc3339(),
                key.info
                    .superseded_at
                    .map(|t| format!("，{} 起被新密钥取代", t.to_rfc3339()))
                    .unwrap_or_default()
            ),
            format!(
                "Signed at {}, outside the key's validity (registered {}{}) or in the future.",
                s.signed_at.to_rfc3339(),
                key.info.created_at.to_rfc3339(),
                key.info
                    .superseded_at
                    .map(|t| format!(", superseded {}", t.to_rfc3339()))
                    .unwrap_or_default()
            ),
        ));
    }
    let public_key = signing::parse_public_key(&key.info.public_key)
        .map_err(|_| Error::BadRecord(format!("stored public key of {}", key.info.key_id)))?;
    signing::verify(req, s, &public_key).map_err(|_| {
        Error::problem(Problem::new(ProblemCode::SignatureInvalid).with_field("signoff.signature"))
    })?;
    Ok(Verified {
        signer: signer.actor,
        signer_id: signer.user_id,
        public_key: key.info.public_key,
    })
}
