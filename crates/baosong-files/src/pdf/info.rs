//! Document properties: the information dictionary (author, title, the
//! programs that made the file) and the XMP metadata stream (PDF/A and
//! Acrobat write dc:creator there, sometimes only there).

use baosong_check::{PartKind, TextPart};
use lopdf::{Document, Object, decode_text_string};

use crate::image::MetaClass;
use crate::image::xmp;

const FIELDS: &[(&[u8], PartKind, &str)] = &[
    (b"Author", PartKind::PersonalProperty, "作者"),
    (b"Title", PartKind::DocumentProperty, "标题"),
    (b"Subject", PartKind::DocumentProperty, "主题"),
    (b"Keywords", PartKind::DocumentProperty, "关键词"),
    (b"Creator", PartKind::DocumentProperty, "创建程序"),
    (b"Producer", PartKind::DocumentProperty, "生成程序"),
];

pub(crate) fn read(doc: &Document, limit: usize) -> Vec<TextPart> {
    let mut out = info_dictionary(doc);
    for part in metadata_stream(doc, limit) {
        let known = out
            .iter()
            .any(|p| p.kind == part.kind && p.location == part.location && p.text == part.text);
        if !known {
            out.push(part);
        }
    }
    out
}

/// The catalog's XMP packet: people and descriptions (tools and dates are
/// not worth a finding in a PDF).
fn metadata_stream(doc: &Document, limit: usize) -> Vec<TextPart> {
    let Some(stream) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get_deref(b"Metadata", doc).ok())
        .and_then(|o| o.as_stream().ok())
    else {
        return Vec::new();
    };
    let packet = if stream.dict.get(b"Filter").is_ok() {
        match stream.decompressed_content_with_limit(limit) {
            Ok(bytes) => bytes,
            Err(_) => return Vec::new(),
        }
    } else {
        stream.content.clone()
    };
    xmp::read(&packet)
        .fields
        .into_iter()
        .filter_map(|f| {
            let kind = match f.class {
                MetaClass::Personal | MetaClass::Device => PartKind::PersonalProperty,
                MetaClass::Description => PartKind::DocumentProperty,
                MetaClass::Other => return None,
            };
            Some(TextPart {
                kind,
                location: f.label,
                text: f.value,
            })
        })
        .collect()
}

fn info_dictionary(doc: &Document) -> Vec<TextPart> {
    let Some(info) = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
    else {
        return Vec::new();
    };
    FIELDS
        .iter()
        .filter_map(|(key, kind, label)| {
            let value = info.get_deref(key, doc).ok()?;
            let text = match value {
                Object::String(..) => decode_text_string(value).ok()?,
                _ => return None,
            };
            let text = text.trim_matches(char::from(0)).trim().to_owned();
            (!text.is_empty()).then(|| TextPart {
                kind: *kind,
                location: (*label).to_owned(),
                text,
            })
        })
        .collect()
}
