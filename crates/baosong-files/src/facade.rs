//! One entry point per operation, whatever the file: the attachment store
//! calls these with the sniffed [`FileKind`].

use baosong_check::DocumentScan;

use crate::clean::Cleaned;
use crate::{FileError, FileKind, Limits};

/// Changes whenever a scanner finds more or differently, so cached scans
/// (baosong-core keeps them by file hash and this version) are redone.
pub const SCANNER_VERSION: &str = "baosong-files 2";

/// What the file holds, visible and hidden. Kinds without a scanner give an
/// empty scan (they are still stored, listed and signed).
pub fn scan(kind: FileKind, bytes: &[u8], limits: &Limits) -> Result<DocumentScan, FileError> {
    match kind {
        FileKind::Docx => crate::docx::scan::scan_docx(bytes, limits),
        FileKind::Xlsx => crate::xlsx::scan_xlsx(bytes, limits),
        FileKind::Pdf => crate::pdf::scan_pdf(bytes, limits),
        FileKind::Jpeg | FileKind::Png | FileKind::Webp => {
            check_size(bytes, limits)?;
            crate::image::scan(bytes)
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
        FileKind::Xlsx => crate::xlsx::clean_xlsx(bytes, limits).map(Some),
        FileKind::Jpeg | FileKind::Png | FileKind::Webp => {
            check_size(bytes, limits)?;
            let stripped = crate::image::strip(bytes)?;
            Ok(Some(Cleaned {
                bytes: stripped.bytes,
                removed: stripped.removed,
            }))
        }
        FileKind::Pdf | FileKind::Other => Ok(None),
    }
}

/// Images are read whole (they are small next to the limit); the file-size
/// limit still applies.
fn check_size(bytes: &[u8], limits: &Limits) -> Result<(), FileError> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(FileError::TooLarge {
            limit_mb: crate::limits::mb(limits.max_file_bytes),
        });
    }
    Ok(())
}

/// Whether [`clean`] does anything for this kind.
pub fn can_clean(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::Docx | FileKind::Xlsx | FileKind::Jpeg | FileKind::Png | FileKind::Webp
    )
}
