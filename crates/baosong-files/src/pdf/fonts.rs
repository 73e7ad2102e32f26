//! How a font's string bytes become Unicode text.
//!
//! lopdf decodes simple fonts and ToUnicode maps. Chinese PDFs add two
//! cases it does not cover: a Type0 font with a predefined Adobe-GB1 CMap
//! and no ToUnicode map, where the codes are Unicode (UniGB-UCS2/UTF16) or
//! GBK/GB2312 bytes (GBK-EUC, GBpc-EUC, GB-EUC), which encoding_rs
//! decodes; and a font whose codes are glyph ids (Identity-H) with no
//! ToUnicode map, which nothing can decode without the font program — that
//! text is reported as not extracted, for a person to read.

use encoding_rs::{GB18030, GBK, UTF_16BE};
use lopdf::{Dictionary, Document, Encoding, Object};

pub(crate) enum FontDecoder<'a> {
    /// lopdf's own decoding (simple fonts, ToUnicode maps).
    Lopdf(Encoding<'a>),
    /// Two-byte codes that are UTF-16BE (UniGB-UCS2-H, UniGB-UTF16-H).
    Utf16,
    /// GBK/GB2312 (EUC-CN) byte codes.
    Gbk,
    /// GB 18030 (GBK2K-H).
    Gb18030,
    /// Glyph ids without a map back to characters.
    Undecodable,
}

/// Predefined CMaps (ISO 32000-1, Table 118) of the Adobe-GB1 collection,
/// and what their codes are.
fn predefined(name: &[u8]) -> Option<FontDecoder<'static>> {
    let name = name
        .strip_suffix(b"-H")
        .or_else(|| name.strip_suffix(b"-V"))?;
    Some(match name {
        b"UniGB-UCS2" | b"UniGB-UTF16" => FontDecoder::Utf16,
        b"GB-EUC" | b"GBpc-EUC" | b"GBK-EUC" | b"GBKp-EUC" => FontDecoder::Gbk,
        b"GBK2K" => FontDecoder::Gb18030,
        _ => return None,
    })
}

impl<'a> FontDecoder<'a> {
    pub fn for_font(font: &'a Dictionary, doc: &'a Document, limit: usize) -> FontDecoder<'a> {
        let encoding_name = font
            .get_deref(b"Encoding", doc)
            .ok()
            .and_then(|o| o.as_name().ok());
        let has_to_unicode = font
            .get_deref(b"ToUnicode", doc)
            .is_ok_and(|o| matches!(o, Object::Stream(_)));
        let is_type0 = font.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0");
        if let Some(name) = encoding_name {
            // A predefined GB CMap says what the codes are, whatever the
            // (often subset, often wrong) ToUnicode map says.
            if let Some(decoder) = predefined(name) {
                return decoder;
            }
            if name.starts_with(b"Identity-") && !has_to_unicode {
                return FontDecoder::Undecodable;
            }
        }
        if is_type0 && !has_to_unicode && encoding_name.is_none() {
            return FontDecoder::Undecodable;
        }
        match font.get_font_encoding_with_limit(doc, limit) {
            Ok(Encoding::SimpleEncoding(_)) | Err(_) => FontDecoder::Undecodable,
            Ok(encoding) => FontDecoder::Lopdf(encoding),
        }
    }

    /// The text of a string operand, or `None` when it cannot be decoded.
    pub fn decode(&self, bytes: &[u8]) -> Option<String> {
        match self {
            FontDecoder::Lopdf(encoding) => Document::decode_text(encoding, bytes).ok(),
            FontDecoder::Utf16 => Some(UTF_16BE.decode_without_bom_handling(bytes).0.into_owned()),
            FontDecoder::Gbk => Some(GBK.decode_without_bom_handling(bytes).0.into_owned()),
            FontDecoder::Gb18030 => Some(GB18030.decode_without_bom_handling(bytes).0.into_owned()),
            FontDecoder::Undecodable => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predefined_gb_cmaps() {
        let (gbk, _, _) = GBK.encode("内部资料");
        assert_eq!(
            predefined(b"GBK-EUC-H").and_then(|d| d.decode(&gbk)),
            Some("内部资料".into())
        );
        assert_eq!(
            predefined(b"GB-EUC-V").and_then(|d| d.decode(&gbk)),
            Some("内部资料".into())
        );
        let utf16: Vec<u8> = "张三".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(
            predefined(b"UniGB-UCS2-H").and_then(|d| d.decode(&utf16)),
            Some("张三".into())
        );
        assert!(predefined(b"Identity-H").is_none());
        assert!(predefined(b"UniJIS-UCS2-H").is_none());
    }
}
