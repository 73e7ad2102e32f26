//! The content hash of a submission.
//!
//! `content_hash` is the lowercase hex SHA-256 of a canonical byte string that
//! covers **what gets published and signed**: every field of the item's
//! metadata, the Markdown body and the rendered HTML. It does **not** cover
//! the client's ids and revision number, the check report, the sign-off (the
//! sign-off signs this hash) or the hash itself. Values are hashed exactly as
//! sent: no trimming, no Unicode or line-ending normalisation.
//!
//! The canonical string is the line `baosong-content-v1\n` followed by one
//! entry per field, in this order:
//!
//! ```text
//! title, column_id, summary, author, author_phone, source_unit,
//! keywords (the count, in decimal), then keyword once per keyword, in order,
//! urgency, disclosure.kind, disclosure.withheld_reason, disclosure.doc_number,
//! disclosure.written_date (YYYY-MM-DD, or empty), disclosure.topic_category,
//! disclosure.genre_category, disclosure.validity,
//! body_markdown, body_html
//! ```
//!
//! Each entry is `<name>:<length of value in UTF-8 bytes, decimal>:<value>\n`,
//! enums as their wire names (`normal`, `proactive`, `valid`, …). The length
//! prefix makes the encoding unambiguous whatever the values contain.
//!
//! Example: the entry for a title `会议` is `title:6:会议\n`.

use sha2::{Digest, Sha256};

use crate::submission::{DisclosureKind, ItemMetadata, Urgency, Validity};

/// The first line of the canonical form; changes if the form ever does.
pub const CANONICAL_VERSION_LINE: &str = "baosong-content-v1\n";

/// A canonical byte string: a version line, then `<name>:<len>:<value>\n`
/// entries. The same grammar serves the content hash, the check report hash
/// and the sign-off statement (see [`crate::signing`]).
pub(crate) struct Canonical(Vec<u8>);

impl Canonical {
    pub(crate) fn new(version_line: &str, capacity: usize) -> Canonical {
        let mut out = Vec::with_capacity(capacity + version_line.len());
        out.extend_from_slice(version_line.as_bytes());
        Canonical(out)
    }

    pub(crate) fn entry(&mut self, name: &str, value: &str) {
        let out = &mut self.0;
        out.extend_from_slice(name.as_bytes());
        out.push(b':');
        out.extend_from_slice(value.len().to_string().as_bytes());
        out.push(b':');
        out.extend_from_slice(value.as_bytes());
        out.push(b'\n');
    }

    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

/// The canonical byte string described in the module documentation.
pub fn canonical_form(item: &ItemMetadata, body_markdown: &str, body_html: &str) -> Vec<u8> {
    let mut c = Canonical::new(
        CANONICAL_VERSION_LINE,
        body_markdown.len() + body_html.len() + 512,
    );
    let mut entry = |name: &str, value: &str| c.entry(name, value);
    entry("title", &item.title);
    entry("column_id", &item.column_id);
    entry("summary", &item.summary);
    entry("author", &item.author);
    entry("author_phone", &item.author_phone);
    entry("source_unit", &item.source_unit);
    entry("keywords", &item.keywords.len().to_string());
    for k in &item.keywords {
        entry("keyword", k);
    }
    entry("urgency", urgency_code(item.urgency));
    let d = &item.disclosure;
    entry("disclosure.kind", disclosure_code(d.kind));
    entry("disclosure.withheld_reason", &d.withheld_reason);
    entry("disclosure.doc_number", &d.doc_number);
    let date = d
        .written_date
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    entry("disclosure.written_date", &date);
    entry("disclosure.topic_category", &d.topic_category);
    entry("disclosure.genre_category", &d.genre_category);
    entry("disclosure.validity", validity_code(d.validity));
    entry("body_markdown", body_markdown);
    entry("body_html", body_html);
    c.into_bytes()
}

/// Lowercase hex SHA-256 of [`canonical_form`].
pub fn content_hash(item: &ItemMetadata, body_markdown: &str, body_html: &str) -> String {
    sha256_hex(&canonical_form(item, body_markdown, body_html))
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

/// Lowercase hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    hex
}

/// The bytes of a hex string (either case); `None` if it is not hex.
pub fn from_hex(hex: &str) -> Option<Vec<u8>> {
    let digit = |b: u8| {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    let bytes = hex.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// Whether `s` is lowercase hex SHA-256 (64 characters).
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn urgency_code(u: Urgency) -> &'static str {
    match u {
        Urgency::Normal => "normal",
        Urgency::Urgent => "urgent",
    }
}

fn disclosure_code(k: DisclosureKind) -> &'static str {
    match k {
        DisclosureKind::Proactive => "proactive",
        DisclosureKind::OnRequest => "on_request",
        DisclosureKind::Withheld => "withheld",
    }
}

fn validity_code(v: Validity) -> &'static str {
    match v {
        Validity::Valid => "valid",
        Validity::Amended => "amended",
        Validity::Repealed => "repealed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> ItemMetadata {
        ItemMetadata {
            title: "会议".into(),
            column_id: "bmdt".into(),
            keywords: vec!["安全".into(), "教育".into()],
            ..Default::default()
        }
    }

    #[test]
    fn canonical_form_is_as_documented() {
        let text = String::from_utf8(canonical_form(&item(), "正文", "<p>正文</p>")).unwrap();
        assert!(text.starts_with("baosong-content-v1\ntitle:6:会议\ncolumn_id:4:bmdt\n"));
        assert!(text.contains("keywords:1:2\nkeyword:6:安全\nkeyword:6:教育\nurgency:6:normal\n"));
        assert!(text.contains("disclosure.written_date:0:\n"));
        assert!(text.ends_with("body_markdown:6:正文\nbody_html:13:<p>正文</p>\n"));
        // The wire names of the enums are what the hash uses.
        for (u, code) in [(Urgency::Normal, "normal"), (Urgency::Urgent, "urgent")] {
            assert_eq!(serde_json::to_value(u).unwrap(), code);
            assert_eq!(urgency_code(u), code);
        }
        for k in [
            DisclosureKind::Proactive,
            DisclosureKind::OnRequest,
            DisclosureKind::Withheld,
        ] {
            assert_eq!(serde_json::to_value(k).unwrap(), disclosure_code(k));
        }
        for v in [Validity::Valid, Validity::Amended, Validity::Repealed] {
            assert_eq!(serde_json::to_value(v).unwrap(), validity_code(v));
        }
    }

    #[test]
    fn hash_is_hex_sha256_and_sees_every_change() {
        let h = content_hash(&item(), "正文", "<p>正文</p>");
        assert_eq!(h.len(), 64);
        assert!(
            h.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_eq!(h, content_hash(&item(), "正文", "<p>正文</p>"));
        assert_ne!(h, content_hash(&item(), "正文 ", "<p>正文</p>"));
        assert_ne!(h, content_hash(&item(), "正文", "<p>正文 </p>"));
        let mut other = item();
        other.keywords = vec!["安全教育".into()];
        assert_ne!(h, content_hash(&other, "正文", "<p>正文</p>"));
        // Moving text between fields changes the hash (length prefixes).
        let mut a = item();
        a.title = "会议正".into();
        assert_ne!(
            content_hash(&a, "文", "<p>正文</p>"),
            content_hash(&item(), "正文", "<p>正文</p>")
        );
    }

    #[test]
    fn known_vector() {
        // SHA-256 of the canonical form of an all-empty item; pins the format.
        let empty = ItemMetadata::default();
        let form = canonical_form(&empty, "", "");
        let expected = "baosong-content-v1\ntitle:0:\ncolumn_id:0:\nsummary:0:\nauthor:0:\n\
author_phone:0:\nsource_unit:0:\nkeywords:1:0\nurgency:6:normal\ndisclosure.kind:9:proactive\n\
disclosure.withheld_reason:0:\ndisclosure.doc_number:0:\ndisclosure.written_date:0:\n\
disclosure.topic_category:0:\ndisclosure.genre_category:0:\ndisclosure.validity:5:valid\n\
body_markdown:0:\nbody_html:0:\n";
        assert_eq!(String::from_utf8(form).unwrap(), expected);
    }
}
