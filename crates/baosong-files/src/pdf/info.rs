//! The document information dictionary: author, title and the programs
//! that made the file.

use baosong_check::{PartKind, TextPart};
use lopdf::{Document, Object, decode_text_string};

const FIELDS: &[(&[u8], PartKind, &str)] = &[
    (b"Author", PartKind::PersonalProperty, "作者"),
    (b"Title", PartKind::DocumentProperty, "标题"),
    (b"Subject", PartKind::DocumentProperty, "主题"),
    (b"Keywords", PartKind::DocumentProperty, "关键词"),
    (b"Creator", PartKind::DocumentProperty, "创建程序"),
    (b"Producer", PartKind::DocumentProperty, "生成程序"),
];

pub(crate) fn read(doc: &Document) -> Vec<TextPart> {
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
