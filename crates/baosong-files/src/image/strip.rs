//! A copy of an image without its metadata, made by dropping segments and
//! chunks: the compressed image data is never decoded or re-encoded, so it
//! stays byte-identical and stripping a large photo takes milliseconds.
//!
//! Kept: what is needed to show the image as intended — JPEG's JFIF (APP0),
//! colour profile (ICC), Adobe colour transform (APP14), multi-picture index
//! (MPF), tables, frame and scan; PNG's and WebP's image and colour chunks.
//! Dropped: EXIF, XMP, IPTC, comments, PNG text chunks, vendor segments,
//! and whatever follows a JPEG's end — the extra images phones append (depth
//! and gain maps, each with its own EXIF) with the index (MPF) pointing to
//! them. The primary image shows exactly as before.
//!
//! Orientation: a phone stores a portrait photo sideways and says so in
//! EXIF. Dropping EXIF altogether would show it lying on its side, so when
//! the orientation is not "upright" a minimal EXIF holding only the
//! orientation is written back — nothing else.

use img_parts::jpeg::Jpeg;
use img_parts::png::Png;
use img_parts::riff::{RiffChunk, RiffContent};
use img_parts::webp::{CHUNK_VP8X, WebP};
use img_parts::{Bytes, ImageEXIF};

use super::container::{JpegKind, is_png_text, jpeg_segment_kind};
use super::exif::orientation_only;
use super::{ImageMetadata, damaged, format_of, inspect, is_removable};
use crate::{FileError, FileKind};

/// The image without metadata, and what was removed (Chinese labels:
/// `GPS 位置`, `相机序列号`, `作者` …), empty when there was nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stripped {
    pub bytes: Vec<u8>,
    pub removed: Vec<String>,
}

/// The VP8X flag bit saying an XMP chunk follows.
const VP8X_XMP: u8 = 0x04;

/// Removes EXIF, XMP, IPTC, comments and text chunks from a JPEG, PNG or
/// WebP image, keeping the image data and colour profile as they are.
pub fn strip(bytes: &[u8]) -> Result<Stripped, FileError> {
    let kind = format_of(bytes)?;
    let meta = inspect(bytes)?;
    let exif = (meta.orientation != 1).then(|| Bytes::from(orientation_only(meta.orientation)));
    let data = Bytes::copy_from_slice(bytes);
    let out = match kind {
        FileKind::Jpeg => strip_jpeg(data, exif, meta.appended_bytes),
        FileKind::Png => strip_png(data, exif),
        _ => strip_webp(data, exif),
    }
    .map_err(|e| damaged(kind, e))?;
    Ok(Stripped {
        bytes: out,
        removed: removed(&meta),
    })
}

fn strip_jpeg(
    data: Bytes,
    exif: Option<Bytes>,
    trailer: usize,
) -> Result<Vec<u8>, img_parts::Error> {
    let mut jpeg = Jpeg::from_bytes(data)?;
    jpeg.segments_mut().retain(|s| match jpeg_segment_kind(s) {
        JpegKind::Icc => true,
        // The index of appended images goes with them.
        JpegKind::Image => trailer == 0 || !is_mpf(s),
        _ => false,
    });
    jpeg.set_exif(exif);
    let mut out = jpeg.encoder().bytes().to_vec();
    // The encoder copies everything after the scan header verbatim, the
    // trailer last: cut it off.
    out.truncate(out.len().saturating_sub(trailer));
    Ok(out)
}

fn is_mpf(segment: &img_parts::jpeg::JpegSegment) -> bool {
    segment.marker() == img_parts::jpeg::markers::APP2 && segment.contents().starts_with(b"MPF\0")
}

fn strip_png(data: Bytes, exif: Option<Bytes>) -> Result<Vec<u8>, img_parts::Error> {
    let mut png = Png::from_bytes(data)?;
    png.chunks_mut()
        .retain(|c| !(is_png_text(&c.kind()) || &c.kind() == b"eXIf"));
    png.set_exif(exif);
    Ok(png.encoder().bytes().to_vec())
}

fn strip_webp(data: Bytes, exif: Option<Bytes>) -> Result<Vec<u8>, img_parts::Error> {
    let mut webp = WebP::from_bytes(data)?;
    webp.remove_chunks_by_id(*b"XMP ");
    // Also recomputes the EXIF and ICC flags of the VP8X header, or drops
    // the header when the simple format will do.
    webp.set_exif(exif);
    clear_xmp_flag(&mut webp);
    Ok(webp.encoder().bytes().to_vec())
}

/// `img-parts` keeps the XMP flag as it was; a reader would look for a
/// chunk that is gone.
fn clear_xmp_flag(webp: &mut WebP) {
    let Some(chunk) = webp.chunks_mut().iter_mut().find(|c| c.id() == CHUNK_VP8X) else {
        return;
    };
    let Some(data) = chunk.content().data() else {
        return;
    };
    let mut header = data.to_vec();
    if let Some(flags) = header.first_mut() {
        *flags &= !VP8X_XMP;
    }
    *chunk = RiffChunk::new(CHUNK_VP8X, RiffContent::Data(Bytes::from(header)));
}

/// What the copy no longer has, for the person who asked.
fn removed(meta: &ImageMetadata) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |label: &str| {
        if !out.iter().any(|l| l == label) {
            out.push(label.to_owned());
        }
    };
    if meta.gps.is_some() {
        add("GPS 位置");
    }
    meta.fields.iter().for_each(|f| add(&f.label));
    meta.blocks
        .iter()
        .filter(|b| is_removable(b))
        .for_each(|b| add(b));
    out
}
