//! One page's text: the text-showing operators of its content stream (and
//! of the form XObjects it draws), decoded with each font's decoder, and
//! whether any text could not be.

use std::collections::BTreeMap;
use std::rc::Rc;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::fonts::FontDecoder;
use crate::FileError;

#[derive(Debug, Default)]
pub(crate) struct PageText {
    pub text: String,
    /// Text-showing operators whose bytes could not be decoded.
    pub undecoded: usize,
    /// Whether the page draws any image (a scanned page is one).
    pub has_images: bool,
    /// The content stream could not be parsed.
    pub unreadable: bool,
    /// Bytes of content stream inflated, counted against the budget.
    pub content_bytes: usize,
}

/// A string drawn with a TJ offset more negative than this (thousandths of
/// an em) is a word gap.
const WORD_GAP: f32 = -200.0;

/// Form XObjects (reusable content) nested deeper than this are not read.
const MAX_FORM_DEPTH: usize = 8;

/// What a content stream can refer to by name.
struct Resources<'d> {
    fonts: BTreeMap<Vec<u8>, Rc<FontDecoder<'d>>>,
    xobjects: BTreeMap<Vec<u8>, &'d Stream>,
}

pub(crate) fn read(
    doc: &Document,
    page: ObjectId,
    number: u32,
    limit: usize,
) -> Result<PageText, FileError> {
    let bytes = doc
        .get_page_content_with_limit(page, limit)
        .map_err(|e| match e {
            lopdf::Error::Decompress(_) => FileError::ExpandsTooMuch {
                limit_mb: crate::limits::mb(limit as u64),
            },
            other => FileError::Malformed {
                part: format!("第 {number} 页"),
                detail: other.to_string(),
            },
        })?;
    let mut out = PageText {
        content_bytes: bytes.len(),
        ..PageText::default()
    };
    let Ok(content) = Content::decode(&bytes) else {
        out.unreadable = true;
        return Ok(out);
    };
    let resources = page_resources(doc, page, limit);
    walk(doc, &content.operations, &resources, limit, 0, &mut out);
    out.text = out.text.trim().to_owned();
    Ok(out)
}

/// The page's fonts and XObjects (inherited from the page tree if need be).
fn page_resources<'d>(doc: &'d Document, page: ObjectId, limit: usize) -> Resources<'d> {
    let fonts = doc
        .get_page_fonts(page)
        .unwrap_or_default()
        .into_iter()
        .map(|(name, dict)| (name, Rc::new(FontDecoder::for_font(dict, doc, limit))))
        .collect();
    let mut xobjects = BTreeMap::new();
    if let Ok((dict, ids)) = doc.get_page_resources(page) {
        let dicts = dict
            .into_iter()
            .chain(ids.into_iter().filter_map(|id| doc.get_dictionary(id).ok()));
        for resources in dicts {
            add_xobjects(doc, resources, &mut xobjects);
        }
    }
    Resources { fonts, xobjects }
}

fn add_xobjects<'d>(
    doc: &'d Document,
    resources: &'d Dictionary,
    into: &mut BTreeMap<Vec<u8>, &'d Stream>,
) {
    let Some(xobjects) = resources
        .get_deref(b"XObject", doc)
        .ok()
        .and_then(|o| o.as_dict().ok())
    else {
        return;
    };
    for (name, value) in xobjects.iter() {
        if let Ok((_, Object::Stream(stream))) = doc.dereference(value) {
            into.entry(name.clone()).or_insert(stream);
        }
    }
}

/// A form's own resources; a form without any uses its parent's (allowed
/// in old PDFs).
fn form_resources<'d>(
    doc: &'d Document,
    form: &'d Stream,
    parent: &Resources<'d>,
    limit: usize,
) -> Resources<'d> {
    let Some(dict) = form
        .dict
        .get_deref(b"Resources", doc)
        .ok()
        .and_then(|o| o.as_dict().ok())
    else {
        return Resources {
            fonts: parent.fonts.clone(),
            xobjects: parent.xobjects.clone(),
        };
    };
    let mut fonts: BTreeMap<Vec<u8>, Rc<FontDecoder<'d>>> = BTreeMap::new();
    if let Some(font_dict) = dict
        .get_deref(b"Font", doc)
        .ok()
        .and_then(|o| o.as_dict().ok())
    {
        for (name, value) in font_dict.iter() {
            if let Ok((_, Object::Dictionary(font))) = doc.dereference(value) {
                fonts.insert(
                    name.clone(),
                    Rc::new(FontDecoder::for_font(font, doc, limit)),
                );
            }
        }
    }
    let mut xobjects = BTreeMap::new();
    add_xobjects(doc, dict, &mut xobjects);
    Resources { fonts, xobjects }
}

/// Collects the text the operations show, following form XObjects.
fn walk<'d>(
    doc: &'d Document,
    operations: &[Operation],
    resources: &Resources<'d>,
    limit: usize,
    depth: usize,
    out: &mut PageText,
) {
    let mut font: Option<Rc<FontDecoder>> = None;
    let mut last_y: Option<f32> = None;
    for op in operations {
        let operands = &op.operands;
        match op.operator.as_str() {
            "Tf" => {
                font = operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|n| resources.fonts.get(n))
                    .cloned();
            }
            "Tj" => show(out, font.as_deref(), operands.first()),
            "'" | "\"" => {
                newline(&mut out.text);
                show(out, font.as_deref(), operands.last());
            }
            "TJ" => {
                let items = operands.first().and_then(|o| o.as_array().ok());
                for item in items.into_iter().flatten() {
                    match item {
                        Object::String(..) => show(out, font.as_deref(), Some(item)),
                        n => {
                            if n.as_float().is_ok_and(|v| v < WORD_GAP) {
                                out.text.push(' ');
                            }
                        }
                    }
                }
            }
            "T*" => newline(&mut out.text),
            // A move to another line (ty ≠ 0).
            "Td" | "TD" if operands.get(1).and_then(|o| o.as_float().ok()) != Some(0.0) => {
                newline(&mut out.text);
            }
            "Tm" => {
                let y = operands.get(5).and_then(|o| o.as_float().ok());
                if y != last_y {
                    newline(&mut out.text);
                }
                last_y = y;
            }
            "BI" | "ID" => out.has_images = true,
            "ET" => newline(&mut out.text),
            "Do" => {
                let xobject = operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|n| resources.xobjects.get(n));
                if let Some(stream) = xobject {
                    draw(doc, stream, resources, limit, depth, out);
                }
            }
            _ => {}
        }
    }
}

/// `Do`: an image is noted, a form's content is walked like the page's.
fn draw<'d>(
    doc: &'d Document,
    stream: &'d Stream,
    resources: &Resources<'d>,
    limit: usize,
    depth: usize,
    out: &mut PageText,
) {
    match stream.dict.get(b"Subtype").and_then(Object::as_name) {
        Ok(b"Image") => out.has_images = true,
        Ok(b"Form") if depth < MAX_FORM_DEPTH => {
            let budget = limit.saturating_sub(out.content_bytes);
            let bytes = if stream.dict.get(b"Filter").is_ok() {
                stream.decompressed_content_with_limit(budget).ok()
            } else {
                Some(stream.content.clone())
            };
            let Some(bytes) = bytes else {
                out.unreadable = true;
                return;
            };
            out.content_bytes += bytes.len();
            let Ok(content) = Content::decode(&bytes) else {
                out.unreadable = true;
                return;
            };
            let inner = form_resources(doc, stream, resources, limit);
            walk(doc, &content.operations, &inner, limit, depth + 1, out);
        }
        _ => {}
    }
}

fn show(out: &mut PageText, font: Option<&FontDecoder>, operand: Option<&Object>) {
    let Some(Object::String(bytes, _)) = operand else {
        return;
    };
    if bytes.is_empty() {
        return;
    }
    let decoded = font.and_then(|f| f.decode(bytes));
    match decoded {
        Some(text) if has_readable(&text) => out.text.push_str(&text),
        Some(text) if text.trim().is_empty() && bytes.iter().all(|b| *b == b' ') => {
            out.text.push(' ')
        }
        _ => out.undecoded += 1,
    }
}

/// Whether decoding gave characters rather than replacement or control
/// characters (what a wrong encoding produces).
fn has_readable(text: &str) -> bool {
    text.chars()
        .any(|c| !c.is_control() && c != '\u{FFFD}' && !c.is_whitespace())
}

fn newline(text: &mut String) {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
}
