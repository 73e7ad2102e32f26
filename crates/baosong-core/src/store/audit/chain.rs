//! The hash chain's canonical form, `baosong-audit-v1` (docs/audit.md says
//! the same in prose, so an entry can be re-verified with a short script).
//!
//! An entry's hash is the lowercase hex SHA-256 of nine netstrings
//! (`<byte length>:<bytes>,`), in this order: the tag, seq, prev_hash, at,
//! actor, action, item_id, revision, detail. Every field is the text stored
//! in the database; a NULL item_id or revision is the empty string (a real
//! one never is). Length prefixes make the encoding unambiguous whatever the
//! fields contain, with no escaping rules to agree on.

use sha2::{Digest, Sha256};

/// Names the version of the canonical form; a new form gets a new tag.
pub const TAG: &str = "baosong-audit-v1";

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry's fields as stored, in text form.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    pub seq: i64,
    pub prev_hash: &'a str,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    /// Empty when the entry is about no item.
    pub item_id: &'a str,
    /// Empty when the entry is about no item revision.
    pub revision: &'a str,
    pub detail: &'a str,
}

/// The bytes that are hashed.
pub fn canonical(f: &Fields<'_>) -> Vec<u8> {
    let seq = f.seq.to_string();
    let parts = [
        TAG,
        seq.as_str(),
        f.prev_hash,
        f.at,
        f.actor,
        f.action,
        f.item_id,
        f.revision,
        f.detail,
    ];
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 8).sum());
    for p in parts {
        out.extend_from_slice(p.len().to_string().as_bytes());
        out.push(b':');
        out.extend_from_slice(p.as_bytes());
        out.push(b',');
    }
    out
}

/// The entry's hash: lowercase hex SHA-256 of [`canonical`].
pub fn hash(f: &Fields<'_>) -> String {
    Sha256::digest(canonical(f))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Fields<'static> {
        Fields {
            seq: 1,
            prev_hash: GENESIS,
            at: "2026-12-03T12:00:00.000000Z",
            actor: "张三",
            action: "create",
            item_id: "",
            revision: "",
            detail: "{}",
        }
    }

    #[test]
    fn canonical_form_is_netstrings_in_the_documented_order() {
        let bytes = canonical(&sample());
        let text = String::from_utf8(bytes).unwrap_or_default();
        assert_eq!(
            text,
            format!(
                "16:baosong-audit-v1,1:1,64:{GENESIS},27:2026-12-03T12:00:00.000000Z,6:张三,6:create,0:,0:,2:{{}},"
            )
        );
    }

    #[test]
    fn moving_text_between_fields_changes_the_hash() {
        let a = sample();
        let b = Fields {
            actor: "张",
            action: "三create",
            ..a
        };
        assert_ne!(hash(&a), hash(&b));
        assert_eq!(hash(&a).len(), 64);
    }
}
