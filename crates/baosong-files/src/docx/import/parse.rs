//! The body parser: walks a part's XML once, from start to end, and builds
//! blocks. Elements it does not know are transparent (their children are
//! read as if they were not there), which is what content controls
//! (`w:sdt`), smart tags, custom XML and accepted insertions need.

use std::collections::HashMap;

use super::field::Field;
use super::images::Images;
use super::model::{Block, Inline, NoteKind, NumRef, Paragraph};
use super::notes::{Note, Notes};
use super::rels::Rels;
use super::styles::Styles;
use super::xml::{Node, XmlReader, attr, name};
use crate::FileError;
use crate::package::Package;

/// Footnote or endnote bodies by kind and id.
pub(crate) type NoteBodies = HashMap<(NoteKind, String), Vec<Block>>;

pub(crate) struct Parser<'p, 'b> {
    pub package: &'p mut Package<'b>,
    pub styles: &'p Styles,
    /// The relationships of the part being read.
    pub rels: Rels,
    pub images: Images,
    pub notes: Notes,
    /// Open complex fields (`w:fldChar`), innermost last. Text is kept only
    /// when every open field shows its result.
    pub fields: Vec<Field>,
    /// The paragraph being read (a serial number; text boxes nest), so a
    /// field that spans paragraphs is not made into a link.
    pub paragraph_id: u64,
    paragraphs_seen: u64,
    /// Text-box content met inside the current paragraph, placed after it.
    pub floating: Vec<Block>,
}

impl<'p, 'b> Parser<'p, 'b> {
    pub(crate) fn new(package: &'p mut Package<'b>, styles: &'p Styles) -> Parser<'p, 'b> {
        Parser {
            package,
            styles,
            rels: Rels::default(),
            images: Images::default(),
            notes: Notes::default(),
            fields: Vec::new(),
            paragraph_id: 0,
            paragraphs_seen: 0,
            floating: Vec::new(),
        }
    }

    /// The blocks of a body-like part (`word/document.xml`).
    pub(crate) fn document(&mut self, part: &str) -> Result<Vec<Block>, FileError> {
        let text = self.package.require(part)?;
        let text = utf8(part, text)?;
        self.rels = Rels::of(self.package, part)?;
        let mut xml = self.reader(&text, part);
        let mut blocks = Vec::new();
        self.blocks(&mut xml, &mut blocks)?;
        Ok(blocks)
    }

    /// Footnotes or endnotes (`word/footnotes.xml`), by id. The separator
    /// "notes" Word keeps there are not notes.
    pub(crate) fn note_bodies(
        &mut self,
        part: &str,
        kind: NoteKind,
        into: &mut NoteBodies,
    ) -> Result<(), FileError> {
        let Some(text) = self.package.read_text(part)? else {
            return Ok(());
        };
        self.rels = Rels::of(self.package, part)?;
        let mut xml = self.reader(&text, part);
        loop {
            match xml.next()? {
                Node::Start(e) if matches!(name(&e), "w:footnote" | "w:endnote") => {
                    let id = attr(&e, "w:id").unwrap_or_default();
                    if attr(&e, "w:type").is_some_and(|t| t != "normal") {
                        xml.skip()?;
                        continue;
                    }
                    let mut blocks = Vec::new();
                    self.blocks(&mut xml, &mut blocks)?;
                    into.insert((kind, id), blocks);
                }
                Node::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    fn reader<'t>(&self, text: &'t str, part: &str) -> XmlReader<'t> {
        let limit = self.package.limits().max_xml_depth;
        XmlReader::new(text, part, limit, self.package.deadline)
    }

    /// Blocks until the end of the current element (or of the part).
    pub(crate) fn blocks(
        &mut self,
        xml: &mut XmlReader<'_>,
        out: &mut Vec<Block>,
    ) -> Result<(), FileError> {
        let level = xml.depth();
        loop {
            match xml.next()? {
                Node::Start(e) => self.block_start(xml, name(&e), out)?,
                Node::End if xml.depth() < level => return Ok(()),
                Node::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    /// Handles an element met where blocks may stand.
    pub(crate) fn block_start(
        &mut self,
        xml: &mut XmlReader<'_>,
        element: &str,
        out: &mut Vec<Block>,
    ) -> Result<(), FileError> {
        match element {
            "w:p" => {
                let paragraph = self.paragraph(xml)?;
                out.push(Block::Paragraph(paragraph));
                out.append(&mut self.floating);
            }
            "w:tbl" => {
                let table = self.table(xml)?;
                out.push(Block::Table(table));
            }
            // Page setup; and the copy of new content old readers get.
            "w:sectPr" | "mc:Fallback" => xml.skip()?,
            // Content kept in another format (HTML, RTF) inside the package.
            "w:altChunk" => {
                self.notes.add(Note::EmbeddedObjects);
                xml.skip()?;
            }
            _ => {}
        }
        Ok(())
    }

    fn paragraph(&mut self, xml: &mut XmlReader<'_>) -> Result<Paragraph, FileError> {
        let level = xml.depth();
        let mut paragraph = Paragraph::default();
        let outer = self.paragraph_id;
        self.paragraphs_seen += 1;
        self.paragraph_id = self.paragraphs_seen;
        while xml.depth() >= level {
            let Node::Start(e) = xml.next()? else {
                continue;
            };
            if name(&e) == "w:pPr" {
                self.paragraph_props(xml, &mut paragraph)?;
            } else {
                self.inline_start(xml, name(&e), &e, &mut paragraph.inlines)?;
            }
        }
        self.paragraph_id = outer;
        Ok(paragraph)
    }

    fn paragraph_props(
        &mut self,
        xml: &mut XmlReader<'_>,
        paragraph: &mut Paragraph,
    ) -> Result<(), FileError> {
        let level = xml.depth();
        let mut num: Option<NumRef> = None;
        while xml.depth() >= level {
            let Node::Start(e) = xml.next()? else {
                continue;
            };
            match name(&e) {
                "w:pStyle" => paragraph.style = attr(&e, "w:val"),
                "w:outlineLvl" => {
                    paragraph.outline = attr(&e, "w:val").and_then(|v| v.parse().ok())
                }
                "w:numId" => {
                    num.get_or_insert_default().num_id = attr(&e, "w:val").unwrap_or_default()
                }
                "w:ilvl" => {
                    num.get_or_insert_default().level =
                        attr(&e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(0)
                }
                // The paragraph mark's formatting (its w:del/w:ins are
                // tracked changes to the mark), and earlier properties.
                "w:rPr" => self.mark_props(xml)?,
                "w:pPrChange" => {
                    self.notes.add(Note::TrackedChanges);
                    xml.skip()?;
                }
                _ => {}
            }
        }
        paragraph.num = num;
        Ok(())
    }

    /// The paragraph mark's run properties: only tracked changes matter.
    fn mark_props(&mut self, xml: &mut XmlReader<'_>) -> Result<(), FileError> {
        let level = xml.depth();
        while xml.depth() >= level {
            if let Node::Start(e) = xml.next()? {
                if matches!(name(&e), "w:ins" | "w:del" | "w:rPrChange") {
                    self.notes.add(Note::TrackedChanges);
                }
                xml.skip()?;
            }
        }
        Ok(())
    }

    /// Handles an element met inside a paragraph (or a hyperlink in one).
    pub(crate) fn inline_start(
        &mut self,
        xml: &mut XmlReader<'_>,
        element: &str,
        start: &quick_xml::events::BytesStart<'_>,
        out: &mut Vec<Inline>,
    ) -> Result<(), FileError> {
        match element {
            "w:r" => self.run(xml, out)?,
            "w:hyperlink" => self.hyperlink(xml, start, out)?,
            // Tracked changes, accepted: deletions go, insertions stay.
            "w:del" | "w:moveFrom" => {
                self.notes.add(Note::TrackedChanges);
                xml.skip()?;
            }
            "w:ins" | "w:moveTo" => self.notes.add(Note::TrackedChanges),
            "w:commentRangeStart" => self.notes.add(Note::Comments),
            "m:oMath" | "m:oMathPara" => {
                self.notes.add(Note::Equations);
                xml.skip()?;
            }
            "mc:Fallback" => xml.skip()?,
            _ => {}
        }
        Ok(())
    }
}

pub(crate) fn utf8(part: &str, bytes: Vec<u8>) -> Result<String, FileError> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|_| FileError::Malformed {
        part: part.to_owned(),
        detail: "not UTF-8 text".into(),
    })
}
