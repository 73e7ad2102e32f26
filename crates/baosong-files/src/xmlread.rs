//! A thin layer over quick-xml's streaming reader, shared by the scanners:
//! element depth is capped (a deeply nested part is refused), the deadline
//! is checked as events go by, and text comes out with entities resolved.

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::reader::Reader;

use crate::FileError;
use crate::limits::Deadline;

/// Check the clock every this many events: often enough to stop a hostile
/// part promptly, rarely enough to cost nothing.
const DEADLINE_EVERY: u32 = 4096;

pub(crate) struct XmlReader<'a> {
    reader: Reader<&'a [u8]>,
    part: String,
    depth: usize,
    max_depth: usize,
    deadline: Option<Deadline>,
    events: u32,
}

impl<'a> XmlReader<'a> {
    pub fn new(
        xml: &'a str,
        part: &str,
        max_depth: usize,
        deadline: Option<Deadline>,
    ) -> XmlReader<'a> {
        XmlReader {
            reader: Reader::from_str(xml),
            part: part.to_owned(),
            depth: 0,
            max_depth,
            deadline,
            events: 0,
        }
    }

    /// How many elements are open.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The next event; `Event::Eof` at the end.
    pub fn next(&mut self) -> Result<Event<'a>, FileError> {
        self.events = self.events.wrapping_add(1);
        if self.events.is_multiple_of(DEADLINE_EVERY)
            && let Some(d) = &self.deadline
        {
            d.check()?;
        }
        let event = self.reader.read_event().map_err(|e| FileError::Malformed {
            part: self.part.clone(),
            detail: e.to_string(),
        })?;
        match &event {
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
        Ok(event)
    }
}

/// The text an event contributes: character data, CDATA, or a resolved
/// entity reference; `None` for markup.
pub(crate) fn event_text<'e>(event: &'e Event<'_>) -> Option<Cow<'e, str>> {
    match event {
        Event::Text(t) => Some(t.xml_content(XmlVersion::Implicit1_0)),
        Event::CData(c) => Some(c.xml_content(XmlVersion::Implicit1_0)),
        Event::GeneralRef(r) => Some(Cow::Owned(resolve_ref(r))),
        _ => None,
    }
}

/// The text of an entity or character reference (`&amp;` → `&`,
/// `&#x4E2D;` → `中`); an unknown entity stays as written.
pub(crate) fn resolve_ref(r: &BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name = r.xml_content(XmlVersion::Implicit1_0);
    match name.as_ref() {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        other => format!("&{other};"),
    }
}

/// The value of the attribute with local name `local` (any prefix).
pub(crate) fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(Cow::into_owned)
        })
}

/// The element's local name as text.
pub(crate) fn local_name(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_deep_nesting_and_resolves_entities() {
        let deep = "<a>".repeat(20);
        let mut r = XmlReader::new(&deep, "x.xml", 10, None);
        let err = loop {
            match r.next() {
                Err(e) => break e,
                Ok(Event::Eof) => panic!("no error"),
                Ok(_) => {}
            }
        };
        assert_eq!(err.code(), "too_deep");

        let mut r = XmlReader::new("<t>a &amp; &#x5F20;</t>", "x.xml", 10, None);
        let mut text = String::new();
        loop {
            let ev = r.next().unwrap();
            if matches!(ev, Event::Eof) {
                break;
            }
            if let Some(t) = event_text(&ev) {
                text.push_str(&t);
            }
        }
        assert_eq!(text, "a & 张");
    }
}
