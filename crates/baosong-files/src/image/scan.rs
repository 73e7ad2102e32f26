//! An image's metadata as the check engine sees it: facts for where and
//! with what it was taken, text parts for what people wrote into it (so a
//! phone number in a photo comment is found like one in the body).

use baosong_check::{DocumentScan, Fact, FactKind, PartKind, TextPart};

use super::exif::is_owner;
use super::{ImageMetadata, MetaClass, inspect};
use crate::FileError;

/// Scans a JPEG, PNG or WebP image.
pub fn scan(bytes: &[u8]) -> Result<DocumentScan, FileError> {
    Ok(to_scan(&inspect(bytes)?))
}

pub(crate) fn to_scan(meta: &ImageMetadata) -> DocumentScan {
    let mut scan = DocumentScan::default();
    if let Some(gps) = &meta.gps {
        scan.facts
            .push(fact(FactKind::GpsPosition, "GPS 位置", &gps.to_zh()));
    }
    for f in &meta.fields {
        match f.class {
            MetaClass::Device => {
                scan.facts
                    .push(fact(FactKind::DeviceInfo, &f.label, &f.value));
                if is_owner(&f.label) {
                    scan.parts
                        .push(part(PartKind::PersonalProperty, &f.label, &f.value));
                }
            }
            MetaClass::Personal => {
                scan.parts
                    .push(part(PartKind::PersonalProperty, &f.label, &f.value));
            }
            MetaClass::Description => {
                // Its words are checked as text; that it is there at all is
                // worth a warning, since nobody sees it on screen.
                scan.parts
                    .push(part(PartKind::DocumentProperty, &f.label, &f.value));
                scan.facts
                    .push(fact(FactKind::ImageMetadata, &f.label, &f.value));
            }
            MetaClass::Other => {
                scan.facts
                    .push(fact(FactKind::ImageMetadata, &f.label, &f.value));
            }
        }
    }
    // Metadata blocks whose fields we do not read are still reported.
    if scan.facts.is_empty() && scan.parts.is_empty() && meta.has_metadata() {
        let blocks: Vec<&str> = meta
            .blocks
            .iter()
            .map(String::as_str)
            .filter(|b| super::is_removable(b))
            .collect();
        scan.facts
            .push(fact(FactKind::ImageMetadata, "元数据", &blocks.join("、")));
    }
    scan
}

fn fact(kind: FactKind, label: &str, value: &str) -> Fact {
    Fact {
        kind,
        label: label.to_owned(),
        value: value.to_owned(),
    }
}

fn part(kind: PartKind, location: &str, text: &str) -> TextPart {
    TextPart {
        kind,
        location: location.to_owned(),
        text: text.to_owned(),
    }
}
