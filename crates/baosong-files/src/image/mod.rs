//! Photos and pictures (JPEG, PNG, WebP): what metadata they carry, and a
//! copy without it.
//!
//! A phone photo records where it was taken (GPS), the phone's serial
//! number and owner, and often an author or a comment. None of it shows on
//! screen, all of it is published with the file. [`inspect`] lists it,
//! [`scan`] turns it into what the check engine needs, and [`strip`] removes
//! it without re-encoding: the compressed image data is copied byte for
//! byte, so stripping is fast and loses no quality.
//!
//! - `container`: finds the metadata blocks in each format (via `img-parts`);
//! - `exif`, `xmp`, `iptc`, `png_text`: read the fields people care about
//!   (`xmp` also serves the PDF scanner);
//! - `gps`: a position, written the Chinese way;
//! - `scan`: the [`DocumentScan`] for the check engine;
//! - `strip`: the copy without metadata;
//! - `downscale`: the web copy, smaller (decoded and re-encoded).

mod container;
mod downscale;
mod exif;
mod gps;
mod iptc;
mod png_text;
mod scan;
mod strip;
/// Shared with the PDF scanner, whose metadata stream is XMP too.
pub(crate) mod xmp;

use serde::{Deserialize, Serialize};

use crate::{FileError, FileKind};

pub use downscale::{Downscaled, WebSize, dimensions, downscale};
pub use gps::GpsPosition;
pub use scan::scan;
pub use strip::{Stripped, strip};

/// What an image says about itself, beyond its pixels.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageMetadata {
    /// Where the photo was taken (EXIF GPS, else XMP).
    pub gps: Option<GpsPosition>,
    /// Every other field found, in file order.
    pub fields: Vec<MetaField>,
    /// The metadata blocks present, by name: `EXIF`, `XMP`, `IPTC`,
    /// `ICC`, `JPEG 注释`, `PNG 文本` …
    pub blocks: Vec<String>,
    /// EXIF orientation (1 = upright; 6 = rotate 90° clockwise to view).
    pub orientation: u16,
    /// JPEG: bytes after the image's end (appended images or other data).
    pub appended_bytes: usize,
}

impl ImageMetadata {
    /// Whether anything would be removed by [`strip`]: any block but the
    /// colour profile, which is harmless and kept.
    pub fn has_metadata(&self) -> bool {
        self.blocks.iter().any(|b| is_removable(b))
    }
}

/// One metadata field: what it is, for people, and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaField {
    pub class: MetaClass,
    /// Chinese label: `相机序列号`, `作者`, `图片说明` …
    pub label: String,
    pub value: String,
}

/// How a field matters, which decides the finding it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetaClass {
    /// The camera or phone: serial number, owner, make and model.
    Device,
    /// Names a person or organisation: artist, creator, by-line.
    Personal,
    /// Free text someone wrote: description, comment, title.
    Description,
    /// Anything else: software, times, copyright.
    Other,
}

pub(crate) const BLOCK_ICC: &str = "ICC";
/// An EXIF block holding only the orientation, as [`strip`] leaves it.
pub(crate) const BLOCK_EXIF_ORIENTATION: &str = "EXIF（仅方向）";

/// Whether a block is metadata [`strip`] removes (the colour profile and a
/// bare orientation stay).
pub(crate) fn is_removable(block: &str) -> bool {
    block != BLOCK_ICC && block != BLOCK_EXIF_ORIENTATION
}

/// Images appended to images (MPF) are read this deep.
const MAX_APPENDED: usize = 8;

/// Lists the metadata in a JPEG, PNG or WebP image, including that of
/// images appended to a JPEG.
pub fn inspect(bytes: &[u8]) -> Result<ImageMetadata, FileError> {
    inspect_at(bytes, 0)
}

fn inspect_at(bytes: &[u8], depth: usize) -> Result<ImageMetadata, FileError> {
    let blocks = container::Blocks::read(bytes)?;
    let mut meta = ImageMetadata {
        orientation: 1,
        blocks: blocks.names(),
        appended_bytes: blocks.trailer,
        ..ImageMetadata::default()
    };
    if let Some(raw) = &blocks.exif {
        let found = exif::read(raw);
        meta.gps = found.gps;
        meta.orientation = found.orientation;
        if found.only_orientation {
            for b in meta.blocks.iter_mut().filter(|b| *b == "EXIF") {
                *b = BLOCK_EXIF_ORIENTATION.to_owned();
            }
        }
        meta.fields.extend(found.fields);
    }
    for packet in &blocks.xmp {
        let found = xmp::read(packet);
        if meta.gps.is_none() {
            meta.gps = found.gps;
        }
        meta.fields.extend(found.fields);
    }
    for block in &blocks.iptc {
        meta.fields.extend(iptc::read(block));
    }
    for comment in &blocks.comments {
        meta.fields.push(MetaField {
            class: MetaClass::Description,
            label: "注释".into(),
            value: comment.clone(),
        });
    }
    meta.fields
        .extend(blocks.png_text.iter().map(png_text::field));
    if let Some(at) = blocks.trailer_image.filter(|_| depth < MAX_APPENDED)
        && let Ok(inner) = inspect_at(&bytes[at..], depth + 1)
    {
        meta.gps = meta.gps.or(inner.gps);
        meta.fields.extend(inner.fields);
    }
    meta.fields.retain(|f| !f.value.trim().is_empty());
    dedup_fields(&mut meta.fields);
    Ok(meta)
}

/// The same field from EXIF and XMP (or an appended image) once.
fn dedup_fields(fields: &mut Vec<MetaField>) {
    let mut seen: Vec<(String, String)> = Vec::new();
    fields.retain(|f| {
        let key = (f.label.clone(), f.value.clone());
        let new = !seen.contains(&key);
        if new {
            seen.push(key);
        }
        new
    });
}

/// The image format, or an error for anything that is not an image.
pub(crate) fn format_of(bytes: &[u8]) -> Result<FileKind, FileError> {
    match FileKind::detect("", bytes) {
        kind @ (FileKind::Jpeg | FileKind::Png | FileKind::Webp) => Ok(kind),
        _ => Err(FileError::Unsupported(
            "不是 JPEG、PNG 或 WebP 图片 (not a JPEG, PNG or WebP image)".into(),
        )),
    }
}

/// The error for an image whose structure could not be parsed.
pub(crate) fn damaged(kind: FileKind, e: impl std::fmt::Display) -> FileError {
    FileError::Malformed {
        part: format!("{kind:?}").to_uppercase(),
        detail: e.to_string(),
    }
}
