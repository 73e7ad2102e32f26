//! A streaming XML reader for one package part, with the limits applied:
//! element nesting is counted against `max_xml_depth`, the deadline is
//! checked every few hundred events, and every quick-xml error becomes
//! [`FileError::Malformed`] naming the part. Never builds a DOM.
//!
//! It shares the attribute and entity helpers of `crate::xml`; unlike that
//! module's `PartReader` it also checks the deadline, turns empty elements
//! into start + end (so every element is handled one way), and refuses a
//! part that ends inside an element, which lets every loop over an
//! element's children end on its `End`.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use crate::FileError;
use crate::limits::Deadline;

/// What the import code sees of the XML: elements and their text.
/// Empty elements arrive as a `Start` followed by an `End`.
pub(crate) enum Node<'a> {
    Start(BytesStart<'a>),
    End,
    Text(Cow<'a, str>),
    /// End of the part (only reported at depth 0; an unclosed element is an
    /// error, so every loop over an element's children ends).
    Eof,
}

/// How many events pass between deadline checks: cheap enough to be
/// invisible, frequent enough that a hostile part stops within milliseconds.
const EVENTS_PER_DEADLINE_CHECK: u32 = 512;

pub(crate) struct XmlReader<'a> {
    reader: Reader<&'a [u8]>,
    part: String,
    depth: usize,
    max_depth: usize,
    deadline: Deadline,
    events: u32,
}

impl<'a> XmlReader<'a> {
    pub(crate) fn new(
        text: &'a str,
        part: &str,
        max_depth: usize,
        deadline: Deadline,
    ) -> XmlReader<'a> {
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        XmlReader {
            reader,
            part: part.to_owned(),
            depth: 0,
            max_depth,
            deadline,
            events: 0,
        }
    }

    /// Nesting depth after the last event: inside `<a><b>` it is 2.
    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    pub(crate) fn next(&mut self) -> Result<Node<'a>, FileError> {
        loop {
            self.tick()?;
            let event = self.reader.read_event().map_err(|e| self.malformed(e))?;
            match event {
                Event::Start(start) => {
                    self.depth += 1;
                    if self.depth > self.max_depth {
                        return Err(FileError::TooDeep {
                            part: self.part.clone(),
                            limit: self.max_depth,
                        });
                    }
                    return Ok(Node::Start(start));
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(Node::End);
                }
                Event::Text(text) => return Ok(Node::Text(text.xml10_content())),
                Event::CData(data) => return Ok(Node::Text(data.into_inner())),
                Event::GeneralRef(reference) => return self.entity(&reference).map(Node::Text),
                Event::Eof if self.depth > 0 => {
                    return Err(self.malformed("the part ends inside an element"));
                }
                Event::Eof => return Ok(Node::Eof),
                // Declarations, comments, processing instructions, DTDs.
                Event::Empty(_)
                | Event::Comment(_)
                | Event::Decl(_)
                | Event::PI(_)
                | Event::DocType(_) => {}
            }
        }
    }

    /// Reads past the rest of the element whose `Start` was just returned.
    pub(crate) fn skip(&mut self) -> Result<(), FileError> {
        let level = self.depth;
        while self.depth >= level {
            if let Node::Eof = self.next()? {
                break;
            }
        }
        Ok(())
    }

    /// The text inside the element whose `Start` was just returned; child
    /// elements are read past.
    pub(crate) fn text(&mut self) -> Result<String, FileError> {
        let level = self.depth;
        let mut out = String::new();
        while self.depth >= level {
            match self.next()? {
                Node::Text(t) if self.depth == level => out.push_str(&t),
                Node::Eof => break,
                _ => {}
            }
        }
        Ok(out)
    }

    fn entity(&self, reference: &BytesRef<'_>) -> Result<Cow<'a, str>, FileError> {
        crate::xml::reference_text(reference)
            .map(Cow::Owned)
            .ok_or_else(|| self.malformed(format!("unknown entity &{};", &**reference)))
    }

    fn tick(&mut self) -> Result<(), FileError> {
        self.events = self.events.wrapping_add(1);
        if self.events.is_multiple_of(EVENTS_PER_DEADLINE_CHECK) {
            self.deadline.check()?;
        }
        Ok(())
    }

    fn malformed(&self, detail: impl ToString) -> FileError {
        FileError::Malformed {
            part: self.part.clone(),
            detail: detail.to_string(),
        }
    }
}

/// The element's qualified name as written (`w:p`). Word, WPS and LibreOffice
/// all use the conventional prefixes, and matching on them keeps `w:t` (text)
/// apart from DrawingML's `a:t`.
pub(crate) fn name<'b>(start: &'b BytesStart<'_>) -> &'b str {
    start.name().0
}

/// An attribute's value by qualified name (`w:val`, `r:id`), unescaped.
/// A malformed attribute reads as absent: attributes only refine the output.
pub(crate) fn attr(start: &BytesStart<'_>, key: &str) -> Option<String> {
    crate::xml::attr(start, key).map(Cow::into_owned)
}

/// Whether a toggle property (`<w:b/>`, `<w:b w:val="false"/>`) is on.
pub(crate) use crate::xml::is_on as toggle;
