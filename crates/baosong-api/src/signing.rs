//! Sign-off (签发) signatures: what a unit head signs, and how anyone checks it.
//!
//! A sign-off is an Ed25519 signature (RFC 8032) over the **sign-off
//! statement**, a canonical byte string in the same `<name>:<len>:<value>\n`
//! grammar as the [content hash](crate::hash):
//!
//! ```text
//! baosong-signoff-v1\n
//! client_item_id      the client's item id, lowercase hyphenated UUID
//! content_hash        (covers title, column, body, every metadata field)
//! attachments         the count, in decimal; then per attachment, in order:
//!   attachment.sha256, attachment.name, attachment.size (decimal)
//! check_report_hash   see [`check_report_hash`]
//! signer              the signer's portal username
//! key_id              see [`key_id`]
//! signed_at           RFC 3339, UTC, `Z`, with as many fraction digits as
//!                     the wire value has (chrono's `AutoSi`)
//! opinion             签发意见
//! ```
//!
//! Changing any of these after signing makes the signature fail. The
//! statement is rebuilt from the request by whoever verifies; it is never
//! sent. Keys and signatures travel as lowercase hex.

use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use thiserror::Error;

use crate::hash::{Canonical, from_hex, sha256_hex, to_hex};
use crate::submission::{CheckReport, Severity, Signoff, SubmissionRequest};

/// The first line of the sign-off statement.
pub const STATEMENT_VERSION_LINE: &str = "baosong-signoff-v1\n";
/// The first line of the canonical check report.
pub const CHECK_REPORT_VERSION_LINE: &str = "baosong-check-report-v1\n";
/// The only signature algorithm of API v1.
pub const ALGORITHM: &str = "ed25519";
/// The opinion a head signs with unless they write another (同意报送).
pub const DEFAULT_OPINION: &str = "同意报送";

/// Why a sign-off does not verify.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SignatureError {
    #[error("the public key is not 64 hex characters of a valid Ed25519 key")]
    BadPublicKey,
    #[error("the signature is not 128 hex characters")]
    BadEncoding,
    #[error("the signature does not match the statement")]
    Mismatch,
}

/// Lowercase hex SHA-256 of the canonical check report:
///
/// ```text
/// baosong-check-report-v1\n
/// engine, checked_at (RFC 3339 as for signed_at, or empty),
/// summary.blockers, summary.errors, summary.warnings, summary.infos,
/// findings (the count); then per finding, in order:
///   finding.rule_id, finding.severity, finding.excerpt, finding.field,
///   finding.decision (fixed / waived / empty), finding.decision.reason,
///   finding.decision.by, finding.decision.at (RFC 3339 or empty)
/// ```
pub fn check_report_hash(report: &CheckReport) -> String {
    let mut c = Canonical::new(CHECK_REPORT_VERSION_LINE, 256 + report.findings.len() * 128);
    c.entry("engine", &report.engine);
    c.entry(
        "checked_at",
        &report.checked_at.map(time).unwrap_or_default(),
    );
    let s = &report.summary;
    c.entry("summary.blockers", &s.blockers.to_string());
    c.entry("summary.errors", &s.errors.to_string());
    c.entry("summary.warnings", &s.warnings.to_string());
    c.entry("summary.infos", &s.infos.to_string());
    c.entry("findings", &report.findings.len().to_string());
    for f in &report.findings {
        c.entry("finding.rule_id", &f.rule_id);
        c.entry("finding.severity", severity_code(f.severity));
        c.entry("finding.excerpt", &f.excerpt);
        c.entry("finding.field", &f.field);
        let d = f.decision.as_ref();
        c.entry(
            "finding.decision",
            d.map(|d| match d.kind {
                crate::FindingDecisionKind::Fixed => "fixed",
                crate::FindingDecisionKind::Waived => "waived",
            })
            .unwrap_or(""),
        );
        c.entry(
            "finding.decision.reason",
            d.map(|d| d.reason.as_str()).unwrap_or(""),
        );
        c.entry(
            "finding.decision.by",
            d.map(|d| d.by.as_str()).unwrap_or(""),
        );
        c.entry(
            "finding.decision.at",
            &d.map(|d| time(d.at)).unwrap_or_default(),
        );
    }
    sha256_hex(&c.into_bytes())
}

fn severity_code(s: Severity) -> &'static str {
    s.code()
}

/// How times appear in canonical strings: exactly as serde writes them.
fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// What a head signs: everything of `req` that is published or decided on,
/// plus who signs, with which key, when, and the opinion. `req.signoff` and
/// `req.client_revision` are not part of it.
pub fn statement(
    req: &SubmissionRequest,
    signer: &str,
    key_id: &str,
    signed_at: DateTime<Utc>,
    opinion: &str,
) -> Vec<u8> {
    let mut c = Canonical::new(STATEMENT_VERSION_LINE, 512 + req.attachments.len() * 160);
    c.entry(
        "client_item_id",
        &req.client_item_id.hyphenated().to_string(),
    );
    c.entry("content_hash", &req.content_hash);
    c.entry("attachments", &req.attachments.len().to_string());
    for a in &req.attachments {
        c.entry("attachment.sha256", &a.sha256);
        c.entry("attachment.name", &a.name);
        c.entry("attachment.size", &a.size.to_string());
    }
    c.entry("check_report_hash", &check_report_hash(&req.check));
    c.entry("signer", signer);
    c.entry("key_id", key_id);
    c.entry("signed_at", &time(signed_at));
    c.entry("opinion", opinion);
    c.into_bytes()
}

/// The statement a sign-off claims to sign, for `req`.
pub fn statement_of(req: &SubmissionRequest, signoff: &Signoff) -> Vec<u8> {
    statement(
        req,
        &signoff.signer,
        &signoff.key_id,
        signoff.signed_at,
        &signoff.opinion,
    )
}

/// The key id of a public key: the first 32 hex characters (128 bits) of
/// the SHA-256 of its 32 bytes.
pub fn key_id(public_key: &VerifyingKey) -> String {
    let mut id = sha256_hex(public_key.as_bytes());
    id.truncate(32);
    id
}

/// The key id in groups of four, upper case, as people compare it
/// (`3F2A 9C01 7B44 …`): the fingerprint the portal and the app show.
pub fn fingerprint(key_id: &str) -> String {
    let upper = key_id.to_ascii_uppercase();
    let chars: Vec<char> = upper.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A public key from its lowercase hex form.
pub fn parse_public_key(hex: &str) -> Result<VerifyingKey, SignatureError> {
    let bytes: [u8; 32] = from_hex(hex)
        .and_then(|b| b.try_into().ok())
        .ok_or(SignatureError::BadPublicKey)?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| SignatureError::BadPublicKey)
}

/// The hex form of a public key.
pub fn public_key_hex(key: &VerifyingKey) -> String {
    to_hex(key.as_bytes())
}

/// Signs `req` as `signer` with `key`: the [`Signoff`] to put in
/// `req.signoff`.
pub fn sign(
    req: &SubmissionRequest,
    key: &SigningKey,
    signer: &str,
    signed_at: DateTime<Utc>,
    opinion: &str,
) -> Signoff {
    let key_id = key_id(&key.verifying_key());
    let signature = key.sign(&statement(req, signer, &key_id, signed_at, opinion));
    Signoff {
        signer: signer.to_string(),
        key_id,
        signature: to_hex(&signature.to_bytes()),
        signed_at,
        opinion: opinion.to_string(),
    }
}

/// Checks that `signoff` is a signature by `public_key` over `req`'s
/// statement. Who the key belongs to, and when it was valid, is for the
/// caller to check.
pub fn verify(
    req: &SubmissionRequest,
    signoff: &Signoff,
    public_key: &VerifyingKey,
) -> Result<(), SignatureError> {
    let bytes: [u8; 64] = from_hex(&signoff.signature)
        .and_then(|b| b.try_into().ok())
        .ok_or(SignatureError::BadEncoding)?;
    let signature = Signature::from_bytes(&bytes);
    public_key
        .verify(&statement_of(req, signoff), &signature)
        .map_err(|_| SignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::submission::{AttachmentRef, ItemMetadata};
    use chrono::TimeZone;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn request() -> SubmissionRequest {
        let item = ItemMetadata {
            title: "会议".into(),
            column_id: "bmdt".into(),
            ..Default::default()
        };
        let content_hash = crate::content_hash(&item, "正文", "<p>正文</p>");
        SubmissionRequest {
            client_item_id: uuid::Uuid::nil(),
            client_revision: Some(3),
            item,
            body_markdown: "正文".into(),
            body_html: "<p>正文</p>".into(),
            content_hash,
            check: CheckReport::default(),
            attachments: vec![AttachmentRef {
                sha256: "a".repeat(64),
                name: "照片.jpg".into(),
                size: 1024,
                media_type: "image/jpeg".into(),
            }],
            signoff: None,
        }
    }

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 30, 0)
            .single()
            .unwrap()
    }

    #[test]
    fn statement_is_as_documented() {
        let req = request();
        let text = String::from_utf8(statement(&req, "jyj.fzr", "k1", at(), "同意报送")).unwrap();
        let expected = format!(
            "baosong-signoff-v1\nclient_item_id:36:00000000-0000-0000-0000-000000000000\n\
content_hash:64:{}\nattachments:1:1\nattachment.sha256:64:{}\nattachment.name:10:照片.jpg\n\
attachment.size:4:1024\ncheck_report_hash:64:{}\nsigner:7:jyj.fzr\nkey_id:2:k1\n\
signed_at:20:2026-11-23T09:30:00Z\nopinion:12:同意报送\n",
            req.content_hash,
            "a".repeat(64),
            check_report_hash(&req.check)
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn a_signature_verifies_and_any_change_breaks_it() {
        let k = key(7);
        let mut req = request();
        let signoff = sign(&req, &k, "jyj.fzr", at(), DEFAULT_OPINION);
        assert_eq!(signoff.key_id, key_id(&k.verifying_key()));
        assert_eq!(signoff.signature.len(), 128);
        verify(&req, &signoff, &k.verifying_key()).unwrap();

        // Another key does not verify it.
        assert_eq!(
            verify(&req, &signoff, &key(8).verifying_key()),
            Err(SignatureError::Mismatch)
        );
        // Every covered value matters.
        let mut tampered = signoff.clone();
        tampered.signed_at += chrono::Duration::seconds(1);
        assert!(verify(&req, &tampered, &k.verifying_key()).is_err());
        let mut tampered = signoff.clone();
        tampered.opinion = "同意".into();
        assert!(verify(&req, &tampered, &k.verifying_key()).is_err());
        let mut tampered = signoff.clone();
        tampered.signer = "jyj.xxy".into();
        assert!(verify(&req, &tampered, &k.verifying_key()).is_err());
        let original = req.clone();
        req.attachments[0].sha256 = "b".repeat(64);
        assert!(verify(&req, &signoff, &k.verifying_key()).is_err());
        req = original.clone();
        req.content_hash = "0".repeat(64);
        assert!(verify(&req, &signoff, &k.verifying_key()).is_err());
        req = original.clone();
        req.check.engine = "other".into();
        assert!(verify(&req, &signoff, &k.verifying_key()).is_err());
        // The client's revision number is not signed.
        req = original;
        req.client_revision = Some(4);
        verify(&req, &signoff, &k.verifying_key()).unwrap();
        // Garbage is an encoding error, not a panic.
        let mut garbage = signoff;
        garbage.signature = "zz".into();
        assert_eq!(
            verify(&req, &garbage, &k.verifying_key()),
            Err(SignatureError::BadEncoding)
        );
    }

    #[test]
    fn keys_round_trip_through_hex_and_have_a_short_fingerprint() {
        let pk = key(1).verifying_key();
        assert_eq!(parse_public_key(&public_key_hex(&pk)).unwrap(), pk);
        assert_eq!(parse_public_key("00"), Err(SignatureError::BadPublicKey));
        let id = key_id(&pk);
        assert_eq!(id.len(), 32);
        let fp = fingerprint(&id);
        assert_eq!(fp.split(' ').count(), 8);
        assert_eq!(fp.replace(' ', "").to_lowercase(), id);
    }

    #[test]
    fn rfc8032_test_vector_1() {
        // RFC 8032, section 7.1, TEST 1: the empty message.
        let secret =
            from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").unwrap();
        let k = SigningKey::from_bytes(&secret.try_into().unwrap());
        assert_eq!(
            public_key_hex(&k.verifying_key()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        );
        assert_eq!(
            to_hex(&k.sign(b"").to_bytes()),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155\
5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        );
    }
}
