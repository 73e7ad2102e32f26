//! One entry point per operation, whatever the file: the attachment store
//! calls these with the sniffed [`FileKind`].

use baosong_check::DocumentScan;

use crate::clean::Cleaned;
use crate::{FileError, FileKind, Limits};

/// Changes whenever a scanner finds more or differently, so cached scans
/// (baosong-core keeps them by file hash and this version) are redone.
pub const SCANNER_VERSION: &str = "baosong-files 1";

/// What the file holds, visible and hidden. Kinds without a scanner give an
/// empty scan (they are still stored, listed and signed).
pub fn scan(kind: FileKind, bytes: &[u8], limits: &Limits) -> Result<DocumentScan, FileError> {
    match kind {
        FileKind::Docx => crate::docx::scan::scan_docx(bytes, limits),
        FileKind::Xlsx | FileKind::Pdf | FileKind::Jpeg | FileKind::Png | FileKind::Webp => {
            Ok(DocumentScan::default())
        }
        FileKind::Other => Ok(DocumentScan::default()),
    }
}

/// 一键清理: a copy without comments, revisions, hidden text and personal
/// properties (documents) or metadata (images); `None` for kinds that have
/// nothing to clean.
pub fn clean(kind: FileKind, bytes: &[u8], limits: &Limits) -> Result<Option<Cleaned>, FileError> {
    match kind {
        FileKind::Docx => crate::docx::clean::clean_docx(bytes, limits).map(Some),
        _ => Ok(None),
    }
}

/// Whether [`clean`] does anything for this kind.
pub fn can_clean(kind: FileKind) -> bool {
    matches!(kind, FileKind::Docx)
}
