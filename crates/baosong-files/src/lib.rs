//! Baosong's file readers: what is inside an attachment, without an external
//! converter at run time.
//!
//! - `package`: a zip package (docx, xlsx) read with hard limits, so a zip
//!   bomb, a huge or deeply nested part is refused with a clear message;
//! - `docx`: Word/WPS documents — import to Markdown, scan for hidden
//!   content (comments, tracked changes, hidden text, properties), clean;
//! - `xlsx`, `pdf`: scan the text and hidden content of spreadsheets and PDFs
//!   (`xlsx` also cleans: no comments, no personal properties);
//! - `props`: OOXML document properties (author, company …), for docx and
//!   xlsx alike;
//! - `image`: JPEG/PNG/WebP metadata (EXIF/XMP: GPS, camera serial, author),
//!   found and stripped without re-encoding the image;
//! - `kind`: what a file is, from its first bytes and name;
//! - `clean`: writing a cleaned copy of an OOXML package (docx, xlsx);
//! - `facade`: scan and clean any kind, for the attachment store;
//! - `xml`, `xmlread`, `xmlfilter`: quick-xml with a depth cap (and, for the
//!   xlsx/pdf/image scanners, the deadline and entity text); rewriting a
//!   part while dropping or emptying elements.
//!
//! Pure: every function takes bytes and returns values; reading and writing
//! files is the caller's job (baosong-core's attachment store).

pub mod clean;
pub mod docx;
pub mod error;
pub mod facade;
pub mod image;
pub mod kind;
pub mod limits;
pub mod package;
pub mod pdf;
pub mod props;
pub mod xlsx;
pub mod xml;
mod xmlfilter;
mod xmlread;

pub use clean::Cleaned;
pub use error::FileError;
pub use facade::{SCANNER_VERSION, can_clean, clean, scan};
pub use kind::FileKind;
pub use limits::Limits;
