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
//!   xlsx alike: read, and emptied by the cleaners;
//! - `image`: JPEG/PNG/WebP metadata (EXIF/XMP: GPS, camera serial, author),
//!   found and stripped without re-encoding the image;
//! - `kind`: what a file is, from its first bytes and name;
//! - `xmlread`, `xmlfilter` (internal): quick-xml with a depth cap and the
//!   deadline; rewriting a part while dropping or emptying elements.
//!
//! Pure: every function takes bytes and returns values; reading and writing
//! files is the caller's job (baosong-core's attachment store).

pub mod error;
pub mod image;
pub mod kind;
pub mod limits;
pub mod package;
pub mod pdf;
pub mod props;
pub mod xlsx;
mod xmlfilter;
mod xmlread;

pub use error::FileError;
pub use kind::FileKind;
pub use limits::Limits;
