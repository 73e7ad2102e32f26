//! The web copy of a picture: scaled down so its longest side fits, and
//! re-encoded at a chosen quality. Portals show pictures a few hundred
//! pixels wide; a 24-megapixel phone photo only makes the page slow, and on
//! an intranet link it makes the upload slow too. The full-size picture
//! stays in the local store (the caller keeps it as the original).
//!
//! Unlike [`super::strip`], this decodes and re-encodes, so it loses some
//! quality by design and writes no metadata at all. Two things a person
//! would notice are carried over: the orientation is applied to the pixels
//! (a portrait photo stays upright without EXIF), and the colour profile is
//! kept when it fits the output (a wide-gamut photo keeps its colours).
//!
//! Formats: JPEG stays JPEG (at the quality asked); PNG stays PNG (lossless,
//! so drawings and screenshots stay sharp; quality does not apply); WebP
//! becomes JPEG, or PNG when it has transparency — the `image` crate writes
//! only lossless WebP, which would be larger than the photo it replaces.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{damaged, format_of, inspect};
use crate::{FileError, FileKind};

/// How large the web copy may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WebSize {
    /// Longest side, in pixels.
    pub max_side: u32,
    /// JPEG quality, 1–100 (85 is visually lossless for photos).
    pub quality: u8,
}

impl Default for WebSize {
    /// 1920 pixels: full width on any office screen, ~0.5 MB as JPEG.
    fn default() -> WebSize {
        WebSize {
            max_side: 1920,
            quality: 85,
        }
    }
}

impl WebSize {
    pub const MIN_SIDE: u32 = 320;
    pub const MAX_SIDE: u32 = 8192;
    pub const MIN_QUALITY: u8 = 30;

    /// Refuses sizes no portal wants: too small to read, or larger than any
    /// screen; qualities that would show blocks.
    pub fn validate(&self) -> Result<(), FileError> {
        if !(Self::MIN_SIDE..=Self::MAX_SIDE).contains(&self.max_side) {
            return Err(FileError::Unsupported(format!(
                "最长边 {} 像素不在 {}–{} 之间 (longest side out of range)",
                self.max_side,
                Self::MIN_SIDE,
                Self::MAX_SIDE
            )));
        }
        if !(Self::MIN_QUALITY..=100).contains(&self.quality) {
            return Err(FileError::Unsupported(format!(
                "质量 {} 不在 {}–100 之间 (quality out of range)",
                self.quality,
                Self::MIN_QUALITY
            )));
        }
        Ok(())
    }
}

/// The scaled-down picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downscaled {
    pub bytes: Vec<u8>,
    /// JPEG or PNG (see the module notes for WebP).
    pub kind: FileKind,
    /// Size as shown (orientation applied), before and after.
    pub from: (u32, u32),
    pub to: (u32, u32),
}

/// Pictures larger than this are refused rather than decoded: 100
/// megapixels is beyond any camera an office uses, and decoding one takes
/// ~300 MB.
const MAX_PIXELS: u64 = 100_000_000;

/// Scales a JPEG, PNG or WebP picture down so its longest side is at most
/// `size.max_side`. `None` when it already fits: re-encoding would only
/// lose quality.
pub fn downscale(bytes: &[u8], size: WebSize) -> Result<Option<Downscaled>, FileError> {
    size.validate()?;
    let header = Header::read(bytes)?;
    let from = header.shown();
    // Decided from the header: a picture that fits is never decoded.
    if from.0.max(from.1) <= size.max_side {
        return Ok(None);
    }
    let (mut image, icc) = header.decode()?;
    if let Some(o) = u8::try_from(header.orientation)
        .ok()
        .and_then(Orientation::from_exif)
    {
        image.apply_orientation(o);
    }
    let image = shrink(&image, size.max_side);
    let to = (image.width(), image.height());
    let (bytes, kind) = encode(&image, header.kind, size.quality, icc)?;
    Ok(Some(Downscaled {
        bytes,
        kind,
        from,
        to,
    }))
}

/// Width × height as a viewer shows the picture (EXIF orientation applied),
/// read from the header only.
pub fn dimensions(bytes: &[u8]) -> Result<(u32, u32), FileError> {
    Ok(Header::read(bytes)?.shown())
}

/// What the picture's headers say, before any pixel is decoded.
struct Header<'b> {
    bytes: &'b [u8],
    kind: FileKind,
    /// As stored, before the orientation is applied.
    size: (u32, u32),
    /// EXIF orientation, from our own reader (as for stripping).
    orientation: u16,
}

impl<'b> Header<'b> {
    fn read(bytes: &'b [u8]) -> Result<Header<'b>, FileError> {
        let kind = format_of(bytes)?;
        let orientation = inspect(bytes)?.orientation;
        let size = decoder(bytes, kind)?.dimensions();
        Ok(Header {
            bytes,
            kind,
            size,
            orientation,
        })
    }

    /// The size as shown: orientations 5–8 turn the picture a quarter.
    fn shown(&self) -> (u32, u32) {
        let (w, h) = self.size;
        if (5..=8).contains(&self.orientation) {
            (h, w)
        } else {
            (w, h)
        }
    }

    /// Decodes the picture, refusing ones too large to hold, and returns
    /// its colour profile.
    fn decode(&self) -> Result<(DynamicImage, Option<Vec<u8>>), FileError> {
        let (w, h) = self.size;
        if u64::from(w) * u64::from(h) > MAX_PIXELS {
            return Err(FileError::TooManyPixels {
                limit_mp: MAX_PIXELS / 1_000_000,
            });
        }
        let mut decoder = decoder(self.bytes, self.kind)?;
        // A profile that cannot be read is left out, not an error: the
        // picture still shows, in sRGB.
        let icc = decoder.icc_profile().ok().flatten();
        let image = DynamicImage::from_decoder(decoder).map_err(|e| error(self.kind, e))?;
        Ok((image, icc))
    }
}

/// The `image` crate's decoder for the picture, with an allocation limit.
fn decoder(bytes: &[u8], kind: FileKind) -> Result<impl ImageDecoder + '_, FileError> {
    let format = match kind {
        FileKind::Jpeg => ImageFormat::Jpeg,
        FileKind::Png => ImageFormat::Png,
        _ => ImageFormat::WebP,
    };
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    reader.into_decoder().map_err(|e| error(kind, e))
}

fn error(kind: FileKind, e: image::ImageError) -> FileError {
    match e {
        image::ImageError::Limits(_) => FileError::TooManyPixels {
            limit_mp: MAX_PIXELS / 1_000_000,
        },
        e => damaged(kind, e),
    }
}

/// Area-averages down to twice the target (fast, no aliasing), then
/// Lanczos to the exact size (sharp): about three times faster than Lanczos
/// over the full picture, and indistinguishable from it.
fn shrink(image: &DynamicImage, max_side: u32) -> DynamicImage {
    let (w, h) = (image.width(), image.height());
    let coarse = max_side.saturating_mul(2);
    if w.max(h) > coarse {
        let first = image.thumbnail(coarse, coarse);
        first.resize(max_side, max_side, FilterType::Lanczos3)
    } else {
        image.resize(max_side, max_side, FilterType::Lanczos3)
    }
}

fn encode(
    image: &DynamicImage,
    source: FileKind,
    quality: u8,
    icc: Option<Vec<u8>>,
) -> Result<(Vec<u8>, FileKind), FileError> {
    let png = source == FileKind::Png || image.color().has_alpha();
    let mut out = Vec::new();
    let kind = if png {
        let mut encoder =
            PngEncoder::new_with_quality(&mut out, CompressionType::Default, PngFilter::Adaptive);
        keep_profile(&mut encoder, icc, image);
        image
            .write_with_encoder(encoder)
            .map_err(|e| damaged(FileKind::Png, e))?;
        FileKind::Png
    } else {
        let rgb = to_jpeg_colour(image);
        let mut encoder = JpegEncoder::new_with_quality(&mut out, quality);
        keep_profile(&mut encoder, icc, &rgb);
        rgb.write_with_encoder(encoder)
            .map_err(|e| damaged(FileKind::Jpeg, e))?;
        FileKind::Jpeg
    };
    Ok((out, kind))
}

/// JPEG holds 8-bit grey or RGB.
fn to_jpeg_colour(image: &DynamicImage) -> DynamicImage {
    match image {
        DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) => image.clone(),
        DynamicImage::ImageLuma16(_) | DynamicImage::ImageLumaA8(_) => {
            DynamicImage::ImageLuma8(image.to_luma8())
        }
        _ => DynamicImage::ImageRgb8(image.to_rgb8()),
    }
}

/// Keeps the colour profile when it describes the pixels written: an RGB
/// profile for colour, a grey one for grey. A CMYK profile (the decoder
/// turns CMYK JPEGs into RGB) would shift every colour, so it is dropped.
fn keep_profile(encoder: &mut impl ImageEncoder, icc: Option<Vec<u8>>, image: &DynamicImage) {
    let Some(icc) = icc else { return };
    let space = icc.get(16..20).unwrap_or_default();
    let grey = !image.color().has_color();
    let fits = if grey {
        space == b"GRAY"
    } else {
        space == b"RGB "
    };
    if fits {
        // An encoder that cannot carry a profile writes the picture anyway.
        let _ = encoder.set_icc_profile(icc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(w, h, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
            .unwrap();
        out
    }

    #[test]
    fn a_large_jpeg_fits_the_longest_side_and_keeps_its_aspect() {
        let d = downscale(&jpeg(2400, 1600), WebSize::default())
            .unwrap()
            .unwrap();
        assert_eq!(d.kind, FileKind::Jpeg);
        assert_eq!(d.from, (2400, 1600));
        assert_eq!(d.to, (1920, 1280));
        let back = image::load_from_memory(&d.bytes).unwrap();
        assert_eq!((back.width(), back.height()), (1920, 1280));
    }

    /// The JPEG with an EXIF block holding only `orientation`, and an ICC
    /// profile whose colour space is `space`.
    fn with_exif_and_icc(jpeg: Vec<u8>, orientation: u16, space: &[u8; 4]) -> Vec<u8> {
        use img_parts::{Bytes, ImageEXIF, ImageICC};
        let mut j = img_parts::jpeg::Jpeg::from_bytes(Bytes::from(jpeg)).unwrap();
        j.set_exif(Some(Bytes::from(super::super::exif::orientation_only(
            orientation,
        ))));
        let mut icc = vec![0u8; 128];
        icc[16..20].copy_from_slice(space);
        j.set_icc_profile(Some(Bytes::from(icc)));
        j.encoder().bytes().to_vec()
    }

    fn icc_of(bytes: &[u8]) -> Option<Vec<u8>> {
        let mut reader = ImageReader::new(Cursor::new(bytes));
        reader.set_format(ImageFormat::Jpeg);
        reader.into_decoder().unwrap().icc_profile().unwrap()
    }

    #[test]
    fn a_sideways_phone_photo_comes_out_upright_with_its_profile() {
        // Stored 2400×1600, EXIF says "rotate 90° clockwise": shown 1600×2400.
        let src = with_exif_and_icc(jpeg(2400, 1600), 6, b"RGB ");
        let d = downscale(&src, WebSize::default()).unwrap().unwrap();
        assert_eq!(d.from, (1600, 2400));
        assert_eq!(dimensions(&src).unwrap(), (1600, 2400));
        assert_eq!(d.to, (1280, 1920));
        let back = image::load_from_memory(&d.bytes).unwrap();
        assert_eq!((back.width(), back.height()), (1280, 1920));
        let icc = icc_of(&d.bytes).expect("RGB profile kept");
        assert_eq!(&icc[16..20], b"RGB ");
        // No metadata: the web copy says nothing about the camera.
        assert!(!crate::image::inspect(&d.bytes).unwrap().has_metadata());
    }

    #[test]
    fn a_profile_for_other_colours_is_dropped() {
        let src = with_exif_and_icc(jpeg(2400, 1600), 1, b"CMYK");
        let d = downscale(&src, WebSize::default()).unwrap().unwrap();
        assert_eq!(icc_of(&d.bytes), None);
    }

    #[test]
    fn a_picture_that_fits_is_left_alone() {
        assert_eq!(
            downscale(&jpeg(800, 600), WebSize::default()).unwrap(),
            None
        );
    }

    #[test]
    fn lower_quality_means_a_smaller_file() {
        let src = jpeg(1600, 1200);
        let at = |quality| {
            downscale(
                &src,
                WebSize {
                    max_side: 800,
                    quality,
                },
            )
            .unwrap()
            .unwrap()
            .bytes
            .len()
        };
        assert!(at(50) < at(95), "{} vs {}", at(50), at(95));
    }

    #[test]
    fn transparent_webp_becomes_png_and_keeps_its_alpha() {
        let img = RgbaImage::from_fn(1000, 500, |x, _| Rgba([200, 10, 10, (x % 256) as u8]));
        let mut src = Vec::new();
        image::codecs::webp::WebPEncoder::new_lossless(&mut src)
            .write_image(img.as_raw(), 1000, 500, image::ExtendedColorType::Rgba8)
            .unwrap();
        let d = downscale(
            &src,
            WebSize {
                max_side: 500,
                quality: 80,
            },
        )
        .unwrap()
        .unwrap();
        assert_eq!(d.kind, FileKind::Png);
        assert_eq!(d.to, (500, 250));
        assert!(
            image::load_from_memory(&d.bytes)
                .unwrap()
                .color()
                .has_alpha()
        );
    }

    #[test]
    fn a_decompression_bomb_is_refused_before_decoding() {
        // A 1×1 PNG whose header claims 20000×20000 (400 megapixels).
        let mut src = Vec::new();
        PngEncoder::new(&mut src)
            .write_image(&[0, 0, 0], 1, 1, image::ExtendedColorType::Rgb8)
            .unwrap();
        src[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        src[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(&src[12..29]);
        src[29..33].copy_from_slice(&crc.sum().to_be_bytes());
        assert_eq!(
            downscale(&src, WebSize::default()),
            Err(FileError::TooManyPixels { limit_mp: 100 })
        );
    }

    #[test]
    fn out_of_range_sizes_are_refused() {
        let src = jpeg(400, 300);
        for size in [
            WebSize {
                max_side: 10,
                quality: 85,
            },
            WebSize {
                max_side: 1920,
                quality: 0,
            },
            WebSize {
                max_side: 100_000,
                quality: 85,
            },
        ] {
            assert!(matches!(
                downscale(&src, size),
                Err(FileError::Unsupported(_))
            ));
        }
    }

    #[test]
    fn a_truncated_picture_is_an_error_not_a_panic() {
        let src = jpeg(2400, 1600);
        for cut in [20, 200, src.len() / 2] {
            let _ = downscale(&src[..cut], WebSize::default());
        }
        assert!(downscale(b"GIF89a....", WebSize::default()).is_err());
    }
}
