//! Rewrites an XML part event by event, dropping some elements; everything
//! else is written back as it was read. Used by the xlsx cleaner for sheet
//! references to dropped parts.

use quick_xml::Writer;
use quick_xml::events::{BytesStart, Event};

use crate::FileError;
use crate::limits::Deadline;
use crate::xmlread::XmlReader;

/// What to do with an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Keep,
    /// Remove the element and everything in it.
    Drop,
}

pub(crate) fn filter_xml(
    xml: &str,
    part: &str,
    max_depth: usize,
    deadline: Deadline,
    decide: impl Fn(&BytesStart<'_>) -> Action,
) -> Result<Vec<u8>, FileError> {
    let mut reader = XmlReader::new(xml, part, max_depth, Some(deadline));
    let mut writer = Writer::new(Vec::with_capacity(xml.len()));
    let io = |e: std::io::Error| FileError::Malformed {
        part: part.to_owned(),
        detail: e.to_string(),
    };
    // Depth inside a dropped element; 0 when writing.
    let mut skipping = 0usize;
    loop {
        let event = reader.next()?;
        if skipping > 0 {
            match &event {
                Event::Start(_) => skipping += 1,
                Event::End(_) => skipping -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match &event {
            Event::Eof => break,
            Event::Start(e) => match decide(e) {
                Action::Keep => writer.write_event(event).map_err(io)?,
                Action::Drop => skipping = 1,
            },
            Event::Empty(e) if decide(e) == Action::Drop => {}
            _ => writer.write_event(event).map_err(io)?,
        }
    }
    Ok(writer.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Limits;
    use crate::xmlread::local_name;

    #[test]
    fn drops_elements_and_keeps_the_rest() {
        let xml = r#"<?xml version="1.0"?><r a="1"><drop><x>1</x></drop><keep>k &amp; k</keep><drop/></r>"#;
        let out =
            filter_xml(
                xml,
                "t.xml",
                10,
                Deadline::start(&Limits::default()),
                |e| match local_name(e).as_str() {
                    "drop" => Action::Drop,
                    _ => Action::Keep,
                },
            )
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"<?xml version="1.0"?><r a="1"><keep>k &amp; k</keep></r>"#
        );
    }
}
