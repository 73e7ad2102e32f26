//! Word/WPS `.docx` documents.
//!
//! - `import`: the document as Markdown for an item's body, with its images.

pub mod import;
