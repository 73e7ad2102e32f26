//! Small helpers over quick-xml's streaming reader, shared by the OOXML
//! readers: depth-limited event reading, text of text and reference events,
//! attribute lookup.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use crate::FileError;

/// A streaming reader over one part that refuses nesting deeper than the
/// limit and reports errors with the part's name.
pub struct PartReader<'a> {
    reader: Reader<&'a [u8]>,
    part: String,
    depth: usize,
    max_depth: usize,
}

impl<'a> PartReader<'a> {
    pub fn new(part: &str, xml: &'a [u8], max_depth: usize) -> PartReader<'a> {
        let mut reader = Reader::from_reader(xml);
        reader.config_mut().check_end_names = true;
        PartReader {
            reader,
            part: part.to_owned(),
            depth: 0,
            max_depth,
        }
    }

    /// The next event; `Event::Eof` at the end.
    pub fn next_event(&mut self) -> Result<Event<'a>, FileError> {
        let ev = self.reader.read_event().map_err(|e| FileError::Malformed {
            part: self.part.clone(),
            detail: e.to_string(),
        })?;
        match &ev {
            Event::Start(_) => {
                self.depth += 1;
                if self.depth > self.max_depth {
                    return Err(FileError::TooDeep {
                        part: self.part.clone(),
                        limit: self.max_depth,
                    });
                }
            }
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        Ok(ev)
    }

    pub fn depth(&self) -> usize {
        self.depth
    }

    pub fn part(&self) -> &str {
        &self.part
    }
}

/// The characters a reference event stands for (`&amp;` → `&`, `&#x4E2D;` → `中`).
pub fn reference_text(r: &BytesRef) -> Option<String> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c.to_string());
    }
    let name = r.xml10_content();
    Some(
        match name.as_ref() {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" => "'",
            _ => return None,
        }
        .to_owned(),
    )
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
