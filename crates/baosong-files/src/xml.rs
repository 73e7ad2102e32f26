//! Small helpers over quick-xml's streaming reader, shared by the OOXML
//! readers: depth-limited event reading, text of text and reference events,
//! attribute lookup.

use std::borrow::Cow;

use quick_xml::events::{BytesRef, BytesStart, Event};

use crate::FileError;
use crate::xmlread::{XmlReader, resolve_ref};

/// A streaming reader over one part (bytes, as they come out of the
/// package) that refuses nesting deeper than the limit and reports errors
/// with the part's name: `crate::xmlread::XmlReader` over the part's text.
pub struct PartReader<'a>(XmlReader<'a>);

impl<'a> PartReader<'a> {
    /// A reader over `xml`, which must be UTF-8 (a BOM is skipped).
    pub fn new(part: &str, xml: &'a [u8], max_depth: usize) -> Result<PartReader<'a>, FileError> {
        let xml = xml.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(xml);
        let text = std::str::from_utf8(xml).map_err(|_| FileError::Malformed {
            part: part.to_owned(),
            detail: "not UTF-8 text".into(),
        })?;
        Ok(PartReader(XmlReader::new(text, part, max_depth, None)))
    }

    /// The next event; `Event::Eof` at the end.
    pub fn next_event(&mut self) -> Result<Event<'a>, FileError> {
        self.0.next()
    }

    pub fn depth(&self) -> usize {
        self.0.depth()
    }
}

/// The characters a reference event stands for (`&amp;` → `&`, `&#x4E2D;` → `中`);
/// `None` for an entity XML does not define (a damaged part).
pub fn reference_text(r: &BytesRef) -> Option<String> {
    let text = resolve_ref(r);
    let unknown = text.len() > 2 && text.starts_with('&') && text.ends_with(';');
    (!unknown).then_some(text)
}

/// An attribute's unescaped value, by qualified name (`w:val`).
pub fn attr<'e>(e: &'e BytesStart, name: &str) -> Option<Cow<'e, str>> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
}

/// Whether an on/off property element (`<w:vanish/>`, `<w:b w:val="0"/>`) is on.
pub fn is_on(e: &BytesStart) -> bool {
    !matches!(attr(e, "w:val").as_deref(), Some("0" | "false" | "off"))
}
