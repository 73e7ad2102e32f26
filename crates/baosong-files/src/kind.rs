//! What a file is: from its first bytes, and its name where bytes cannot
//! tell (a docx and an xlsx are both zip packages).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FileKind {
    Docx,
    Xlsx,
    Pdf,
    Jpeg,
    Png,
    Webp,
    /// Anything else: stored and uploaded, not scanned.
    Other,
}

impl FileKind {
    /// Sniffs `bytes` (the first few hundred are enough), using `name`'s
    /// extension to tell zip packages apart.
    pub fn detect(name: &str, bytes: &[u8]) -> FileKind {
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if bytes.starts_with(b"%PDF-") {
            FileKind::Pdf
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            FileKind::Jpeg
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            FileKind::Png
        } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            FileKind::Webp
        } else if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&OLE_MAGIC) {
            // An encrypted docx is an OLE compound file: let the reader say so.
            match ext.as_str() {
                "docx" | "docm" | "dotx" | "wps" => FileKind::Docx,
                "xlsx" | "xlsm" | "et" => FileKind::Xlsx,
                _ => FileKind::Other,
            }
        } else {
            FileKind::Other
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Webp => "image/webp",
            FileKind::Other => "application/octet-stream",
        }
    }

    pub fn is_image(self) -> bool {
        matches!(self, FileKind::Jpeg | FileKind::Png | FileKind::Webp)
    }
}

/// The first bytes of an OLE compound file: old .doc/.xls, and encrypted
/// OOXML documents.
pub const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_before_name() {
        assert_eq!(FileKind::detect("a.docx", b"%PDF-1.7"), FileKind::Pdf);
        assert_eq!(
            FileKind::detect("photo", &[0xFF, 0xD8, 0xFF, 0xE0]),
            FileKind::Jpeg
        );
        assert_eq!(
            FileKind::detect("a.docx", b"PK\x03\x04rest"),
            FileKind::Docx
        );
        assert_eq!(
            FileKind::detect("a.XLSX", b"PK\x03\x04rest"),
            FileKind::Xlsx
        );
        assert_eq!(
            FileKind::detect("a.zip", b"PK\x03\x04rest"),
            FileKind::Other
        );
        assert_eq!(FileKind::detect("a.docx", b"hello"), FileKind::Other);
    }
}
