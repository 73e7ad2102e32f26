//! Word/WPS `.docx` to Markdown for an item's body.
//!
//! Pure: bytes in, an [`ImportedDocument`] out. Every part is read through
//! [`Package`] (size, part-count and expansion limits) with a streaming XML
//! reader (depth limit, deadline); nothing is converted by an outside
//! program.
//!
//! What is kept: headings (by style name or id — Word's "heading 1", WPS's
//! "标题 1", LibreOffice's "Heading1" — or by outline level, through the
//! `w:basedOn` chain), paragraphs, bold and italic, lists (bulleted and
//! numbered, nested), tables (GFM; merged cells split, the text in the first),
//! external hyperlinks, footnotes and endnotes (GFM footnotes), embedded
//! images (`![alt](attachment:<sha256>)`, placed where they stood), line
//! breaks and tabs. The document reads as if all tracked changes were
//! accepted; field codes show their displayed result.
//!
//! What is dropped, with a note to the user ([`ImportedDocument::notes`]):
//! comments, hidden text, tracked-change history, shapes and charts,
//! embedded objects, equations, linked images. Underline has no Markdown
//! form and the renderer removes raw HTML, so underlined text imports as
//! plain text (no note: nothing is lost but the line). Text boxes are kept,
//! moved after their paragraph.
//!
//! Files: `xml` (the limited reader), `rels`, `styles`, `numbering`, `props`
//! (package parts), `parse`, `run`, `field`, `drawing`, `table` (document to
//! [`model`]), `render`, `inline`, `escape` (model to Markdown), `images`,
//! `notes`.

mod drawing;
mod escape;
mod field;
mod images;
mod inline;
mod model;
mod notes;
mod numbering;
mod parse;
mod props;
mod rels;
mod render;
mod run;
mod styles;
mod table;
mod xml;

use model::{Block, NoteKind};
use numbering::Numbering;
use parse::{NoteBodies, Parser};
use render::Renderer;
use styles::Styles;

use crate::package::Package;
use crate::{FileError, Limits};

/// A document imported for an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedDocument {
    /// `docProps/core.xml` dc:title, else the first heading, else the first
    /// paragraph (at most 80 characters).
    pub title: String,
    /// GitHub-flavoured Markdown.
    pub markdown: String,
    /// Embedded images, each once, in the order first used.
    pub images: Vec<ImportedImage>,
    /// What did not survive the import, in Chinese, for the user.
    pub notes: Vec<String>,
}

/// An image embedded in the document, referenced from the Markdown as
/// `attachment:<sha256>`.
#[derive(Clone, PartialEq, Eq)]
pub struct ImportedImage {
    /// Lowercase hex SHA-256 of `bytes`.
    pub sha256: String,
    /// The media part's file name (`image1.jpeg`).
    pub name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
    /// The alt text set in Word (`wp:docPr` descr, else title); may be empty.
    pub alt: String,
}

impl std::fmt::Debug for ImportedImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportedImage")
            .field("sha256", &self.sha256)
            .field("name", &self.name)
            .field("media_type", &self.media_type)
            .field("bytes", &self.bytes.len())
            .field("alt", &self.alt)
            .finish()
    }
}

/// The longest title taken from a paragraph.
const TITLE_CHARS: usize = 80;

/// Imports a `.docx` (Word, WPS, LibreOffice) as Markdown and images.
pub fn import_docx(bytes: &[u8], limits: &Limits) -> Result<ImportedDocument, FileError> {
    let mut package = Package::open(bytes, "docx", limits)?;
    let main = rels::main_document_part(&mut package)?;
    if !package.contains(&main) {
        return Err(FileError::MissingPart {
            part: main,
            expected: "docx",
        });
    }
    let word_dir = main.rsplit_once('/').map_or("", |(dir, _)| dir).to_owned();
    let in_dir = |file: &str| {
        if word_dir.is_empty() {
            file.to_owned()
        } else {
            format!("{word_dir}/{file}")
        }
    };
    let styles = Styles::read(&mut package, &in_dir("styles.xml"))?;
    let numbering = Numbering::read(&mut package, &in_dir("numbering.xml"))?;
    let core_title = props::title(&mut package)?;
    // Comments live in their own part; the body only marks where they are.
    let has_comments = package.contains(&in_dir("comments.xml"));

    let mut parser = Parser::new(&mut package, &styles);
    if has_comments {
        parser.notes.add(notes::Note::Comments);
    }
    let blocks = parser.document(&main)?;
    let mut note_bodies = NoteBodies::new();
    parser.note_bodies(
        &in_dir("footnotes.xml"),
        NoteKind::Footnote,
        &mut note_bodies,
    )?;
    parser.note_bodies(&in_dir("endnotes.xml"), NoteKind::Endnote, &mut note_bodies)?;
    let images = std::mem::take(&mut parser.images.list);
    let mut notes = std::mem::take(&mut parser.notes);

    let mut renderer = Renderer::new(&styles, &numbering, &images, &note_bodies, &mut notes);
    let markdown = renderer.document(&blocks);
    let title = core_title.unwrap_or_else(|| title_from(&blocks, &styles));
    Ok(ImportedDocument {
        title,
        markdown,
        images,
        notes: notes.into_messages(),
    })
}

/// The first heading's text, else the first paragraph's, shortened.
fn title_from(blocks: &[Block], styles: &Styles) -> String {
    let paragraphs = || {
        blocks.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
    };
    let text_of = |p: &model::Paragraph| model::plain_text(&p.inlines);
    paragraphs()
        .filter(|p| render::heading_level(styles, p).is_some())
        .map(text_of)
        .find(|t| !t.is_empty())
        .or_else(|| paragraphs().map(text_of).find(|t| !t.is_empty()))
        .map(|t| {
            t.chars()
                .take(TITLE_CHARS)
                .collect::<String>()
                .trim()
                .to_owned()
        })
        .unwrap_or_default()
}
