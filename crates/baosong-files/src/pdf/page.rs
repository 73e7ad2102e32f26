//! One page's text: the text-showing operators of its content stream,
//! decoded with each font's decoder, and whether any text could not be.

use std::collections::BTreeMap;

use lopdf::content::Content;
use lopdf::{Document, Object, ObjectId};

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
}

/// A string drawn with a TJ offset more negative than this (thousandths of
/// an em) is a word gap.
const WORD_GAP: f32 = -200.0;

pub(crate) fn read(
    doc: &Document,
    page: ObjectId,
    number: u32,
    limit: usize,
) -> Result<PageText, FileError> {
    let damaged = |e: lopdf::Error| FileError::Malformed {
        part: format!("第 {number} 页"),
        detail: e.to_string(),
    };
    let bytes = doc
        .get_page_content_with_limit(page, limit)
        .map_err(|e| match e {
            lopdf::Error::Decompress(_) => FileError::ExpandsTooMuch {
                limit_mb: crate::limits::mb(limit as u64),
            },
            other => damaged(other),
        })?;
    let Ok(content) = Content::decode(&bytes) else {
        return Ok(PageText {
            unreadable: true,
            ..PageText::default()
        });
    };
    // Images in the resources count when the page draws an XObject.
    let image_resources = doc.get_page_images(page).is_ok_and(|v| !v.is_empty());
    let fonts = doc.get_page_fonts(page).unwrap_or_default();
    let decoders: BTreeMap<&[u8], FontDecoder> = fonts
        .iter()
        .map(|(name, dict)| (name.as_slice(), FontDecoder::for_font(dict, doc, limit)))
        .collect();
    let mut out = PageText::default();
    let mut font: Option<&FontDecoder> = None;
    let mut last_y: Option<f32> = None;
    for op in &content.operations {
        let operands = &op.operands;
        match op.operator.as_str() {
            "Tf" => {
                font = operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|n| decoders.get(n));
            }
            "Tj" => show(&mut out, font, operands.first()),
            "'" | "\"" => {
                newline(&mut out.text);
                show(&mut out, font, operands.last());
            }
            "TJ" => {
                for item in operands
                    .first()
                    .and_then(|o| o.as_array().ok())
                    .into_iter()
                    .flatten()
                {
                    match item {
                        Object::String(..) => show(&mut out, font, Some(item)),
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
            "Do" => out.has_images |= image_resources,
            "ET" => newline(&mut out.text),
            _ => {}
        }
    }
    out.text = out.text.trim().to_owned();
    Ok(out)
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
