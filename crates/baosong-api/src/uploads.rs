//! Attachment upload: the Baosong upload protocol, modelled on tus 1.0 core
//! with the `creation` and `checksum` extensions (see docs/api/README.md,
//! "Attachments").
//!
//! 1. `POST /uploads` declares the file (SHA-256, size, name, media type,
//!    column). A file the portal already stores answers `200` with
//!    `status: complete` and nothing is sent; an unfinished upload of the same
//!    file by the same unit is answered again (with its offset), so a client
//!    that lost the id resumes anyway; otherwise `201` with a new upload.
//! 2. `HEAD /uploads/{id}` (or `GET`) tells the acknowledged offset.
//! 3. `PATCH /uploads/{id}` sends the next chunk at that offset with the
//!    chunk's SHA-256 in `Upload-Checksum`. The offset advances only for a
//!    whole, verified chunk; the last chunk makes the portal verify the whole
//!    file against the declared hash and store it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The offset the portal has (answers) or the client sends at (requests).
pub const UPLOAD_OFFSET_HEADER: &str = "Upload-Offset";
/// The declared size of the whole file.
pub const UPLOAD_LENGTH_HEADER: &str = "Upload-Length";
/// `sha256 <base64 of the chunk's SHA-256>` (tus checksum extension).
pub const UPLOAD_CHECKSUM_HEADER: &str = "Upload-Checksum";
/// Sent on every upload answer, as tus does.
pub const TUS_RESUMABLE_HEADER: &str = "Tus-Resumable";
/// The protocol version tus names.
pub const TUS_VERSION: &str = "1.0.0";
/// The content type of `PATCH` bodies.
pub const OFFSET_OCTET_STREAM: &str = "application/offset+octet-stream";
/// The only checksum algorithm accepted.
pub const CHECKSUM_ALGORITHM: &str = "sha256";
/// The chunk size the reference portal recommends (and the most one `PATCH`
/// may carry): 8 MiB.
pub const DEFAULT_CHUNK_SIZE: u64 = 8 * 1024 * 1024;

/// The media types a column allows unless configured otherwise.
pub const DEFAULT_ATTACHMENT_TYPES: [&str; 6] = [
    "image/jpeg",
    "image/png",
    "image/webp",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

/// The largest attachment a column allows unless configured otherwise:
/// 200 MiB.
pub const DEFAULT_ATTACHMENT_MAX_BYTES: u64 = 200 * 1024 * 1024;

/// What a column accepts as attachments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AttachmentPolicy {
    /// Media types allowed, lowercase (e.g. `image/jpeg`).
    pub allowed_media_types: Vec<String>,
    /// The largest file, in bytes.
    #[schema(example = 209715200)]
    pub max_bytes: u64,
}

impl Default for AttachmentPolicy {
    fn default() -> Self {
        AttachmentPolicy {
            allowed_media_types: DEFAULT_ATTACHMENT_TYPES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            max_bytes: DEFAULT_ATTACHMENT_MAX_BYTES,
        }
    }
}

impl AttachmentPolicy {
    /// Whether `media_type` (parameters ignored, any case) is allowed.
    pub fn allows(&self, media_type: &str) -> bool {
        let essence = media_essence(media_type);
        self.allowed_media_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case(&essence))
    }
}

/// `type/subtype` of a media type, lowercase, without parameters.
pub fn media_essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Whether `media_type` is a plain `type/subtype` of token characters (so it
/// is safe in a `Content-Type` header).
pub fn is_valid_media_type(media_type: &str) -> bool {
    let token = |s: &str| {
        !s.is_empty()
            && s.len() <= 127
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    match media_type.split_once('/') {
        Some((t, s)) => token(t) && token(s),
        None => false,
    }
}

/// `POST /uploads`: the file about to be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUploadRequest {
    /// Lowercase hex SHA-256 of the whole file.
    #[schema(pattern = "^[0-9a-f]{64}$", min_length = 64, max_length = 64)]
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// The file name as shown to readers.
    #[schema(example = "会议现场.jpg")]
    pub name: String,
    /// The media type, e.g. `image/jpeg`; must be on the column's allow-list.
    #[schema(example = "image/jpeg")]
    pub media_type: String,
    /// The column the item goes to (its attachment policy applies).
    #[schema(example = "bmdt")]
    pub column_id: String,
}

/// Where an upload stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UploadStatus {
    /// Bytes are still missing.
    InProgress,
    /// The portal stores the whole file (verified); a submission may refer to it.
    Complete,
}

/// An upload as the portal answers `POST /uploads`, `GET /uploads/{id}` and
/// the last `PATCH`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Upload {
    pub status: UploadStatus,
    pub sha256: String,
    /// The upload's id; absent when the portal already had the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    /// Bytes the portal has acknowledged (equal to `size` when complete).
    #[serde(default)]
    pub offset: u64,
    #[serde(default)]
    pub size: u64,
    /// The chunk size the portal recommends; also the most one `PATCH` may
    /// carry. Absent when complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chunk_size: Option<u64>,
    /// An upload without progress until then is discarded. Absent when
    /// complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

/// The `Upload-Checksum` value for a chunk whose SHA-256 is `digest`.
pub fn checksum_header(digest: &[u8]) -> String {
    format!("{CHECKSUM_ALGORITHM} {}", base64_encode(digest))
}

/// The SHA-256 digest an `Upload-Checksum` value names; `None` for another
/// algorithm or a malformed value.
pub fn parse_checksum_header(value: &str) -> Option<[u8; 32]> {
    let (algorithm, b64) = value.trim().split_once(' ')?;
    if !algorithm.eq_ignore_ascii_case(CHECKSUM_ALGORITHM) {
        return None;
    }
    base64_decode(b64.trim())?.try_into().ok()
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_round_trips_and_matches_rfc_4648() {
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_encode(b"fooba"), "Zm9vYmE=");
        assert_eq!(base64_encode(b"foob"), "Zm9vYg==");
        assert_eq!(base64_decode("Zm9vYg==").unwrap(), b"foob");
        let digest = [7u8; 32];
        let h = checksum_header(&digest);
        assert!(h.starts_with("sha256 "));
        assert_eq!(parse_checksum_header(&h), Some(digest));
        assert_eq!(parse_checksum_header("md5 Zm9vYg=="), None);
        assert_eq!(parse_checksum_header("sha256 Zm9vYg=="), None);
        assert_eq!(parse_checksum_header("sha256 !!!!"), None);
    }

    #[test]
    fn policy_matches_the_essence_of_media_types() {
        let p = AttachmentPolicy::default();
        assert!(p.allows("image/JPEG"));
        assert!(p.allows("application/pdf; charset=binary"));
        assert!(!p.allows("text/html"));
        assert!(is_valid_media_type("image/jpeg"));
        assert!(!is_valid_media_type("image/jpeg\r\nX: y"));
        assert!(!is_valid_media_type("jpeg"));
    }
}
