//! A file attached to an item (附件): named by its SHA-256, kept in the
//! data directory's blob store (see `crate::blobs`), listed in the item's
//! content so every revision records exactly which files it had.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One attachment of an item, in the order the item lists them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct AttachmentEntry {
    /// Lowercase hex SHA-256 of the file as it will be sent.
    pub sha256: String,
    /// The file name readers see, e.g. `会议现场.jpg`.
    pub name: String,
    #[ts(type = "number")]
    pub size: u64,
    /// `image/jpeg`, `application/pdf`, …
    pub media_type: String,
    /// Images: the alternative text (图片说明) portals must publish with it.
    pub alt: String,
    /// The file as first added, when what is attached is a cleaned or
    /// stripped copy of it (kept locally, never sent).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_sha256: Option<String>,
    /// What was done to the file when it was added or cleaned, for people:
    /// `已清除 GPS 位置、相机序列号`, `已清除批注 2 条、修订 3 处`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl AttachmentEntry {
    pub fn is_image(&self) -> bool {
        self.media_type.starts_with("image/")
    }

    /// How the body refers to this attachment: `![alt](attachment:<sha256>)`
    /// places an image; a link with the same target points at a file.
    pub fn body_ref(&self) -> String {
        format!("attachment:{}", self.sha256)
    }
}
