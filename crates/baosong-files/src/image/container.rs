//! Finds the metadata blocks in a JPEG, PNG or WebP file. `img-parts`
//! splits the file into segments/chunks without decoding the image; this
//! module says which of them are metadata, for reading and for stripping.

use img_parts::jpeg::{Jpeg, JpegSegment, markers};
use img_parts::png::{Png, PngChunk};
use img_parts::riff::RiffChunk;
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

use super::png_text::{self, PngText};
use super::{BLOCK_ICC, damaged, format_of};
use crate::{FileError, FileKind};

pub(crate) const EXIF_PREFIX: &[u8] = b"Exif\0\0";
const XMP_PREFIX: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const XMP_EXTENSION_PREFIX: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";
const ICC_PREFIX: &[u8] = b"ICC_PROFILE\0";
const MPF_PREFIX: &[u8] = b"MPF\0";

/// The metadata of one image, as found.
#[derive(Debug, Default)]
pub(crate) struct Blocks {
    /// The raw EXIF (TIFF) data, without the `Exif\0\0` prefix.
    pub exif: Option<Vec<u8>>,
    /// XMP packets (XML).
    pub xmp: Vec<Vec<u8>>,
    /// Photoshop/IPTC resource blocks (JPEG APP13).
    pub iptc: Vec<Vec<u8>>,
    /// JPEG comments.
    pub comments: Vec<String>,
    /// PNG text chunks (other than XMP).
    pub png_text: Vec<PngText>,
    /// JPEG: bytes after the image's end (EOI). Phones append further
    /// images there (MPF: depth maps, HDR gain maps), each with its own
    /// metadata; other tools append anything at all.
    pub trailer: usize,
    /// Where in the file an image appended after the end starts.
    pub trailer_image: Option<usize>,
    /// Names of the blocks present, for people.
    names: Vec<String>,
}

impl Blocks {
    pub fn read(bytes: &[u8]) -> Result<Blocks, FileError> {
        let kind = format_of(bytes)?;
        let data = Bytes::copy_from_slice(bytes);
        let mut blocks = Blocks::default();
        match kind {
            FileKind::Jpeg => {
                let jpeg = Jpeg::from_bytes(data).map_err(|e| damaged(kind, e))?;
                jpeg.segments().iter().for_each(|s| blocks.add_jpeg(s));
                blocks.add_trailer(&jpeg, bytes);
            }
            FileKind::Png => {
                let png = Png::from_bytes(data).map_err(|e| damaged(kind, e))?;
                png.chunks().iter().for_each(|c| blocks.add_png(c));
            }
            _ => {
                let webp = WebP::from_bytes(data).map_err(|e| damaged(kind, e))?;
                blocks.exif = webp.exif().map(|b| b.to_vec());
                webp.chunks().iter().for_each(|c| blocks.add_webp(c));
            }
        }
        Ok(blocks)
    }

    pub fn names(&self) -> Vec<String> {
        self.names.clone()
    }

    fn name(&mut self, name: &str) {
        if !self.names.iter().any(|n| n == name) {
            self.names.push(name.to_owned());
        }
    }

    fn add_jpeg(&mut self, segment: &JpegSegment) {
        let data = segment.contents();
        match jpeg_segment_kind(segment) {
            JpegKind::Exif => {
                self.name("EXIF");
                if self.exif.is_none() {
                    self.exif = Some(data[EXIF_PREFIX.len()..].to_vec());
                }
            }
            JpegKind::Xmp => {
                self.name("XMP");
                self.xmp.push(data[XMP_PREFIX.len()..].to_vec());
            }
            JpegKind::Iptc => {
                self.name("IPTC");
                self.iptc.push(data.to_vec());
            }
            JpegKind::Comment => {
                self.name("JPEG 注释");
                self.comments.push(png_text::text_of(data));
            }
            JpegKind::OtherMetadata => self.name(&format!("APP{}", segment.marker() - 0xE0)),
            JpegKind::Icc => self.name(BLOCK_ICC),
            JpegKind::Image => {}
        }
    }

    fn add_trailer(&mut self, jpeg: &Jpeg, bytes: &[u8]) {
        let start = jpeg_end(jpeg, bytes);
        let trailer = &bytes[start.min(bytes.len())..];
        if trailer.iter().all(|&b| b == 0) {
            return; // padding
        }
        self.trailer = trailer.len();
        self.trailer_image = trailer
            .windows(3)
            .position(|w| w == [0xFF, 0xD8, 0xFF])
            .map(|at| start + at);
        self.name(if self.trailer_image.is_some() {
            BLOCK_APPENDED_IMAGE
        } else {
            "附加数据"
        });
    }

    fn add_png(&mut self, chunk: &PngChunk) {
        match &chunk.kind() {
            b"eXIf" => {
                self.name("EXIF");
                if self.exif.is_none() {
                    self.exif = Some(strip_exif_prefix(chunk.contents()).to_vec());
                }
            }
            b"iCCP" => self.name(BLOCK_ICC),
            kind if is_png_text(kind) => {
                let Some(text) = png_text::decode(kind, chunk.contents()) else {
                    self.name("PNG 文本");
                    return;
                };
                if text.keyword == "XML:com.adobe.xmp" {
                    self.name("XMP");
                    self.xmp.push(text.text.into_bytes());
                } else if let Some(raw) = png_text::raw_profile_exif(&text) {
                    // ImageMagick keeps EXIF as a hex text chunk.
                    self.name("EXIF");
                    self.exif.get_or_insert(raw);
                } else {
                    self.name("PNG 文本");
                    self.png_text.push(text);
                }
            }
            _ => {}
        }
    }

    fn add_webp(&mut self, chunk: &RiffChunk) {
        match &chunk.id() {
            b"EXIF" => self.name("EXIF"),
            b"XMP " => {
                self.name("XMP");
                if let Some(data) = chunk.content().data() {
                    self.xmp.push(data.to_vec());
                }
            }
            b"ICCP" => self.name(BLOCK_ICC),
            _ => {}
        }
    }
}

/// What a JPEG segment is, as far as metadata goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JpegKind {
    Exif,
    Xmp,
    Iptc,
    Comment,
    /// Another application segment: vendor data, extended XMP, FlashPix.
    OtherMetadata,
    /// The colour profile: harmless, and needed for correct colours.
    Icc,
    /// Everything needed to show the image: JFIF (APP0), the Adobe colour
    /// transform (APP14), the multi-picture index (MPF), tables, frame, scan.
    Image,
}

pub(crate) fn jpeg_segment_kind(segment: &JpegSegment) -> JpegKind {
    let data = segment.contents();
    match segment.marker() {
        markers::APP1 if data.starts_with(EXIF_PREFIX) => JpegKind::Exif,
        markers::APP1 if data.starts_with(XMP_PREFIX) => JpegKind::Xmp,
        markers::APP1 if data.starts_with(XMP_EXTENSION_PREFIX) => JpegKind::OtherMetadata,
        markers::APP13 => JpegKind::Iptc,
        markers::COM => JpegKind::Comment,
        markers::APP2 if data.starts_with(ICC_PREFIX) => JpegKind::Icc,
        markers::APP2 if data.starts_with(MPF_PREFIX) => JpegKind::Image,
        markers::APP0 | markers::APP14 => JpegKind::Image,
        0xE1..=0xEF => JpegKind::OtherMetadata,
        _ => JpegKind::Image,
    }
}

pub(crate) const BLOCK_APPENDED_IMAGE: &str = "附加图像";

/// Where the primary image ends (just after its EOI marker). Entropy-coded
/// data never contains `FF D9` (a 0xFF there is followed by 0x00 or a
/// restart marker), so the first one after the first scan header is the end.
fn jpeg_end(jpeg: &Jpeg, bytes: &[u8]) -> usize {
    let header: usize = 2 + jpeg.segments().iter().map(JpegSegment::len).sum::<usize>();
    bytes
        .get(header..)
        .and_then(find_eoi)
        .map_or(bytes.len(), |at| header + at + 2)
}

/// The first `FF D9`; jumps from 0xFF to 0xFF, which is much faster than
/// comparing every pair of bytes in a large photo.
fn find_eoi(scan: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = scan.get(from..)?.iter().position(|&b| b == 0xFF) {
        let at = from + p;
        if scan.get(at + 1) == Some(&0xD9) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

pub(crate) fn is_png_text(kind: &[u8; 4]) -> bool {
    matches!(kind, b"tEXt" | b"zTXt" | b"iTXt")
}

/// EXIF in PNG and WebP is raw TIFF data, though some writers add the
/// JPEG-style `Exif\0\0` prefix.
pub(crate) fn strip_exif_prefix(data: &[u8]) -> &[u8] {
    data.strip_prefix(EXIF_PREFIX).unwrap_or(data)
}
