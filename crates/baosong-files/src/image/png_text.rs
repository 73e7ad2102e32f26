//! PNG text chunks (tEXt, zTXt, iTXt): a keyword and a text, which anyone
//! can read with a hex viewer. Compressed ones are inflated with a cap, so a
//! small chunk cannot expand into gigabytes.

use std::io::Read;

use flate2::read::ZlibDecoder;

use super::{MetaClass, MetaField};

/// Inflated text beyond this is cut off: metadata is never this long.
const MAX_TEXT_BYTES: u64 = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PngText {
    pub keyword: String,
    pub text: String,
}

/// Decodes a text chunk's contents; `None` when it is damaged.
pub(crate) fn decode(kind: &[u8; 4], data: &[u8]) -> Option<PngText> {
    let (keyword, rest) = split_nul(data)?;
    let keyword = latin1(keyword);
    let text = match kind {
        b"tEXt" => latin1(rest),
        b"zTXt" => latin1(&inflate(rest.get(1..)?)?),
        _ => itxt_text(rest)?,
    };
    Some(PngText { keyword, text })
}

/// iTXt: compression flag, method, language tag, translated keyword, then
/// UTF-8 text.
fn itxt_text(rest: &[u8]) -> Option<String> {
    let compressed = *rest.first()? == 1;
    let (_language, rest) = split_nul(rest.get(2..)?)?;
    let (_translated, text) = split_nul(rest)?;
    let bytes = if compressed {
        inflate(text)?
    } else {
        text.to_vec()
    };
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

fn split_nul(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let at = data.iter().position(|&b| b == 0)?;
    Some((&data[..at], &data[at + 1..]))
}

/// PNG says tEXt is Latin-1, but Chinese tools write UTF-8 there: take
/// UTF-8 when it is valid.
fn latin1(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

fn inflate(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    ZlibDecoder::new(data)
        .take(MAX_TEXT_BYTES)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// Text as written in a JPEG comment: UTF-8 when valid, else GBK (what
/// Chinese Windows tools write), else Latin-1.
pub(crate) fn text_of(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.trim_end_matches('\0').to_owned();
    }
    let (text, _, had_errors) = encoding_rs::GBK.decode(bytes);
    if had_errors {
        latin1(bytes)
    } else {
        text.trim_end_matches('\0').to_owned()
    }
}

/// ImageMagick stores EXIF in PNG as `Raw profile type exif`: a text of
/// three header lines (empty, `exif`, length) and then hex digits.
pub(crate) fn raw_profile_exif(text: &PngText) -> Option<Vec<u8>> {
    let kw = text.keyword.to_ascii_lowercase();
    if kw != "raw profile type exif" && kw != "raw profile type app1" {
        return None;
    }
    let hex: Vec<u8> = text
        .text
        .trim_start()
        .lines()
        .skip(2)
        .flat_map(|l| l.trim().bytes())
        .collect();
    let bytes: Option<Vec<u8>> = hex
        .chunks(2)
        .map(|pair| {
            let s = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(s, 16).ok()
        })
        .collect();
    let bytes = bytes?;
    Some(super::container::strip_exif_prefix(&bytes).to_vec())
}

/// The field a text chunk is, by its keyword (PNG's registered keywords).
pub(crate) fn field(text: &PngText) -> MetaField {
    let (class, label) = match text.keyword.as_str() {
        "Author" | "Artist" => (MetaClass::Personal, "作者".to_owned()),
        "Description" | "Comment" | "Title" => (
            MetaClass::Description,
            format!("PNG 文本（{}）", text.keyword),
        ),
        "Copyright" => (MetaClass::Other, "版权".to_owned()),
        "Software" => (MetaClass::Other, "软件".to_owned()),
        "Creation Time" => (MetaClass::Other, "创建时间".to_owned()),
        other => (MetaClass::Other, format!("PNG 文本（{other}）")),
    };
    MetaField {
        class,
        label,
        value: text.text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_three_kinds() {
        let t = decode(b"tEXt", b"Comment\0hello").unwrap();
        assert_eq!((t.keyword.as_str(), t.text.as_str()), ("Comment", "hello"));
        let it = decode(b"iTXt", "Author\0\0\0zh\0作者\0张三".as_bytes()).unwrap();
        assert_eq!(it.text, "张三");
        let mut z = b"Comment\0\0".to_vec();
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut enc, b"compressed words").unwrap();
        z.extend(enc.finish().unwrap());
        assert_eq!(decode(b"zTXt", &z).unwrap().text, "compressed words");
        assert!(decode(b"tEXt", b"no separator").is_none());
    }

    #[test]
    fn gbk_comment() {
        let (gbk, _, _) = encoding_rs::GBK.encode("内部资料");
        assert_eq!(text_of(&gbk), "内部资料");
    }
}
