//! EXIF: the fields of a photo's TIFF-structured metadata that say where,
//! with what and by whom it was taken. Parsed with `kamadak-exif`; a
//! damaged EXIF block yields what could be read.

use exif::{Context, Exif, Field, In, Reader, Tag, Value};

use super::gps::{GpsPosition, from_dms};
use super::png_text::text_of;
use super::{MetaClass, MetaField};

/// What the EXIF block holds.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub gps: Option<GpsPosition>,
    pub orientation: u16,
    pub fields: Vec<MetaField>,
    /// Nothing but the orientation: what [`strip`](super::strip) leaves.
    pub only_orientation: bool,
}

/// Windows' own author and comment fields (UTF-16LE), which
/// `kamadak-exif` does not name.
const XP_TITLE: Tag = Tag(Context::Tiff, 0x9c9b);
const XP_COMMENT: Tag = Tag(Context::Tiff, 0x9c9c);
const XP_AUTHOR: Tag = Tag(Context::Tiff, 0x9c9d);
const XP_SUBJECT: Tag = Tag(Context::Tiff, 0x9c9f);

/// The fields reported, with their class and Chinese label.
const FIELDS: &[(Tag, MetaClass, &str)] = &[
    (Tag::BodySerialNumber, MetaClass::Device, "相机序列号"),
    (Tag::LensSerialNumber, MetaClass::Device, "镜头序列号"),
    (Tag::CameraOwnerName, MetaClass::Device, "机主"),
    (Tag::Make, MetaClass::Device, "相机厂商"),
    (Tag::Model, MetaClass::Device, "相机型号"),
    (Tag::Artist, MetaClass::Personal, "作者"),
    (XP_AUTHOR, MetaClass::Personal, "作者"),
    (Tag::ImageDescription, MetaClass::Description, "图片说明"),
    (Tag::UserComment, MetaClass::Description, "用户注释"),
    (XP_TITLE, MetaClass::Description, "标题"),
    (XP_COMMENT, MetaClass::Description, "备注"),
    (XP_SUBJECT, MetaClass::Description, "主题"),
    (Tag::Copyright, MetaClass::Other, "版权"),
    (Tag::Software, MetaClass::Other, "软件"),
    (Tag::DateTimeOriginal, MetaClass::Other, "拍摄时间"),
];

/// The owner of a camera is personal as well as about the device: the
/// scan reports it both ways.
pub(crate) fn is_owner(label: &str) -> bool {
    label == "机主"
}

pub(crate) fn read(raw: &[u8]) -> Found {
    let Some(exif) = parse(raw) else {
        return Found {
            orientation: 1,
            ..Found::default()
        };
    };
    let mut found = Found {
        gps: gps(&exif),
        orientation: orientation(&exif),
        fields: Vec::new(),
        only_orientation: exif.fields().all(|f| f.tag == Tag::Orientation),
    };
    for (tag, class, label) in FIELDS {
        if let Some(field) = exif.get_field(*tag, In::PRIMARY) {
            let value = text(field);
            if !value.trim().is_empty() {
                found.fields.push(MetaField {
                    class: *class,
                    label: (*label).to_owned(),
                    value,
                });
            }
        }
    }
    found
}

/// Parses leniently: a field that is damaged does not hide the others.
fn parse(raw: &[u8]) -> Option<Exif> {
    let mut reader = Reader::new();
    reader.continue_on_error(true);
    match reader.read_raw(raw.to_vec()) {
        Ok(exif) => Some(exif),
        Err(exif::Error::PartialResult(partial)) => Some(partial.into_inner().0),
        Err(_) => None,
    }
}

/// The EXIF orientation of the primary image (1 when absent or invalid).
#[cfg(test)]
fn orientation_of(raw: &[u8]) -> u16 {
    parse(raw).map(|e| orientation(&e)).unwrap_or(1)
}

fn orientation(exif: &Exif) -> u16 {
    exif.get_field(Tag::Orientation, In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .and_then(|v| u16::try_from(v).ok())
        .filter(|v| (1..=8).contains(v))
        .unwrap_or(1)
}

fn gps(exif: &Exif) -> Option<GpsPosition> {
    let latitude = coordinate(exif, Tag::GPSLatitude, Tag::GPSLatitudeRef)?;
    let longitude = coordinate(exif, Tag::GPSLongitude, Tag::GPSLongitudeRef)?;
    let altitude = exif
        .get_field(Tag::GPSAltitude, In::PRIMARY)
        .and_then(|f| match &f.value {
            Value::Rational(v) => v.first().map(|r| r.to_f64()),
            _ => None,
        })
        .filter(|a| a.is_finite())
        .map(|a| {
            let below = exif
                .get_field(Tag::GPSAltitudeRef, In::PRIMARY)
                .and_then(|f| f.value.get_uint(0))
                == Some(1);
            if below { -a } else { a }
        });
    Some(GpsPosition {
        latitude,
        longitude,
        altitude,
    })
}

fn coordinate(exif: &Exif, tag: Tag, reference: Tag) -> Option<f64> {
    let Value::Rational(dms) = &exif.get_field(tag, In::PRIMARY)?.value else {
        return None;
    };
    let part = |i: usize| dms.get(i).map(|r| r.to_f64()).filter(|v| v.is_finite());
    let value = [part(0)?, part(1).unwrap_or(0.0), part(2).unwrap_or(0.0)];
    let reference = exif
        .get_field(reference, In::PRIMARY)
        .map(text)
        .unwrap_or_default();
    Some(from_dms(value, reference.trim()))
}

/// A field's value as text. ASCII fields written by Chinese tools hold
/// UTF-8 or GBK; UserComment starts with an 8-byte character-set code;
/// Windows' XP fields are UTF-16LE.
fn text(field: &Field) -> String {
    match &field.value {
        Value::Ascii(parts) => parts
            .iter()
            .map(|p| text_of(p))
            .collect::<Vec<_>>()
            .join(" "),
        Value::Undefined(bytes, _) if field.tag == Tag::UserComment => user_comment(bytes),
        Value::Byte(bytes) if field.tag.1 >= 0x9c9b && field.tag.1 <= 0x9c9f => utf16le(bytes),
        _ => field.display_value().to_string(),
    }
}

fn user_comment(bytes: &[u8]) -> String {
    let (code, body) = bytes.split_at(bytes.len().min(8));
    let text = if code.starts_with(b"UNICODE") {
        // UCS-2 in either byte order: guess by which half is mostly zero.
        let zeros_first = body.chunks(2).filter(|c| c[0] == 0).count();
        let zeros_second = body.chunks(2).filter(|c| c.len() == 2 && c[1] == 0).count();
        if zeros_first > zeros_second {
            utf16(body, u16::from_be_bytes)
        } else {
            utf16le(body)
        }
    } else {
        text_of(body)
    };
    text.trim_end_matches(['\0', ' ']).to_owned()
}

fn utf16le(bytes: &[u8]) -> String {
    utf16(bytes, u16::from_le_bytes)
}

fn utf16(bytes: &[u8], from: fn([u8; 2]) -> u16) -> String {
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| from([c[0], c[1]])).collect();
    String::from_utf16_lossy(&units)
        .trim_end_matches('\0')
        .to_owned()
}

/// A minimal EXIF block holding only the orientation: what a viewer needs
/// to show a portrait photo upright once everything else is gone.
/// Big-endian TIFF header, one IFD with one SHORT entry, no next IFD.
pub(crate) fn orientation_only(orientation: u16) -> Vec<u8> {
    let mut out = Vec::with_capacity(26);
    out.extend_from_slice(b"MM\0\x2a");
    out.extend_from_slice(&8u32.to_be_bytes()); // IFD0 right after the header
    out.extend_from_slice(&1u16.to_be_bytes()); // one entry
    out.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    out.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    out.extend_from_slice(&1u32.to_be_bytes()); // count
    out.extend_from_slice(&orientation.to_be_bytes());
    out.extend_from_slice(&[0, 0]); // value padding to 4 bytes
    out.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orientation_block_round_trips() {
        let raw = orientation_only(6);
        assert_eq!(orientation_of(&raw), 6);
        let found = read(&raw);
        assert!(found.gps.is_none());
        assert!(found.fields.is_empty(), "{:?}", found.fields);
    }

    #[test]
    fn damaged_exif_is_empty_not_an_error() {
        assert_eq!(orientation_of(b"MM\0\x2a\0\0\0\x08\xff"), 1);
        assert!(read(b"garbage").fields.is_empty());
    }
}
