//! PDF attachments: the text of each page, the document properties, and
//! which pages could not be read as text (a scanned page, a font without a
//! Unicode map) so a person reads them.
//!
//! - `fonts`: decoding a font's codes, including the predefined GB CMaps;
//! - `page`: one page's text from its content stream;
//! - `info`: the document information dictionary and XMP metadata.

mod fonts;
mod info;
mod page;

use baosong_check::{DocumentScan, Fact, FactKind, PartKind, TextPart};
use lopdf::Document;

use crate::limits::{Deadline, mb};
use crate::{FileError, Limits};

/// More pages than this is not an attachment a person will read either.
pub const MAX_PAGES: usize = 5_000;

/// Scans a PDF's page text and properties.
pub fn scan_pdf(bytes: &[u8], limits: &Limits) -> Result<DocumentScan, FileError> {
    let deadline = Deadline::start(limits);
    let doc = load(bytes, limits)?;
    let pages = doc.get_pages();
    if pages.len() > MAX_PAGES {
        return Err(FileError::Malformed {
            part: "(pages)".into(),
            detail: format!("{} pages, more than {MAX_PAGES}", pages.len()),
        });
    }
    let mut scan = DocumentScan::default();
    let mut budget = limits.max_expanded_bytes;
    for (number, id) in pages {
        deadline.check()?;
        let limit = usize::try_from(budget).unwrap_or(usize::MAX);
        let page = page::read(&doc, id, number, limit)?;
        budget = budget.saturating_sub(page.content_bytes as u64);
        let location = format!("第 {number} 页");
        if !page.text.is_empty() {
            scan.parts.push(TextPart {
                kind: PartKind::Visible,
                location: location.clone(),
                text: page.text.clone(),
            });
        }
        if page.unreadable {
            scan.facts.push(Fact {
                kind: FactKind::Unreadable,
                label: location.clone(),
                value: String::new(),
            });
        }
        let scanned = page.text.is_empty() && page.has_images;
        if page.undecoded > 0 || scanned {
            scan.facts.push(Fact {
                kind: FactKind::TextNotExtracted,
                label: location,
                value: String::new(),
            });
        }
    }
    let limit = usize::try_from(budget).unwrap_or(usize::MAX);
    scan.parts.extend(info::read(&doc, limit));
    Ok(scan)
}

fn load(bytes: &[u8], limits: &Limits) -> Result<Document, FileError> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(FileError::TooLarge {
            limit_mb: mb(limits.max_file_bytes),
        });
    }
    if !bytes.starts_with(b"%PDF-") {
        return Err(FileError::Unsupported(
            "不是 PDF 文件 (not a PDF file)".into(),
        ));
    }
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(
            usize::try_from(limits.max_expanded_bytes).unwrap_or(usize::MAX),
        ),
        ..Default::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => FileError::Encrypted,
        lopdf::Error::Decompress(_) => FileError::ExpandsTooMuch {
            limit_mb: mb(limits.max_expanded_bytes),
        },
        other => FileError::Malformed {
            part: "PDF".into(),
            detail: other.to_string(),
        },
    })?;
    // Encrypted with an empty user password (permissions only) opens in any
    // viewer, and lopdf decrypts it; one that needs a password does not.
    if doc.trailer.get(b"Encrypt").is_ok() && doc.authenticate_password("").is_err() {
        return Err(FileError::Encrypted);
    }
    Ok(doc)
}
