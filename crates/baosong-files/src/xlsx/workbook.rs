//! The workbook: its sheets in tab order, which are hidden, and where each
//! one's XML is; plus the shared string table cells point into.

use quick_xml::events::Event;

use super::rels;
use crate::FileError;
use crate::package::Package;
use crate::xmlread::{XmlReader, attr, event_text, local_name};

pub(crate) const WORKBOOK: &str = "xl/workbook.xml";

#[derive(Debug, Clone)]
pub(crate) struct Sheet {
    pub name: String,
    /// `state="hidden"` or `"veryHidden"` (only VBA can unhide the latter;
    /// both are in the file for anyone to read).
    pub hidden: bool,
    /// The worksheet part, e.g. `xl/worksheets/sheet1.xml`.
    pub part: String,
}

/// The workbook's worksheets (chart sheets have no cells and are skipped).
pub(crate) fn sheets(pkg: &mut Package) -> Result<Vec<Sheet>, FileError> {
    let xml = pkg
        .read_text(WORKBOOK)?
        .ok_or_else(|| FileError::MissingPart {
            part: WORKBOOK.into(),
            expected: "xlsx",
        })?;
    let rels = rels::read(pkg, WORKBOOK)?;
    let mut reader = XmlReader::new(
        &xml,
        WORKBOOK,
        pkg.limits().max_xml_depth,
        Some(pkg.deadline),
    );
    let mut out = Vec::new();
    loop {
        match reader.next()? {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if local_name(&e) == "sheet" => {
                let id = attr(&e, "id").unwrap_or_default();
                let Some(rel) = rels.iter().find(|r| r.id == id && r.is("worksheet")) else {
                    continue;
                };
                let state = attr(&e, "state").unwrap_or_default();
                out.push(Sheet {
                    name: attr(&e, "name").unwrap_or_default(),
                    hidden: state == "hidden" || state == "veryHidden",
                    part: rel.target.clone(),
                });
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The shared strings (`xl/sharedStrings.xml`), in order. Phonetic runs
/// (`rPh`, furigana) are not part of the cell's text and are skipped.
pub(crate) fn shared_strings(pkg: &mut Package) -> Result<Vec<String>, FileError> {
    let rels = rels::read(pkg, WORKBOOK)?;
    let part = rels
        .iter()
        .find(|r| r.is("sharedStrings"))
        .map(|r| r.target.clone())
        .unwrap_or_else(|| "xl/sharedStrings.xml".into());
    let Some(xml) = pkg.read_text(&part)? else {
        return Ok(Vec::new());
    };
    let mut reader = XmlReader::new(&xml, &part, pkg.limits().max_xml_depth, Some(pkg.deadline));
    let mut out = Vec::new();
    let mut in_t = false;
    let mut in_phonetic = false;
    loop {
        let event = reader.next()?;
        match &event {
            Event::Eof => break,
            Event::Start(e) => match e.local_name().as_ref() {
                "si" => out.push(String::new()),
                "t" => in_t = true,
                "rPh" => in_phonetic = true,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_t = false,
                "rPh" => in_phonetic = false,
                _ => {}
            },
            _ => {
                if in_t
                    && !in_phonetic
                    && let (Some(text), Some(last)) = (event_text(&event), out.last_mut())
                {
                    last.push_str(&text);
                }
            }
        }
    }
    Ok(out)
}
