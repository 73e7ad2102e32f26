//! Runs (`w:r`): text with its formatting, tabs, breaks, note references,
//! field characters, drawings; and hyperlinks (`w:hyperlink`), which hold runs.

use quick_xml::events::BytesStart;

use super::model::{Format, Inline, NoteKind};
use super::notes::Note;
use super::parse::Parser;
use super::xml::{Node, XmlReader, attr, name, toggle};
use crate::FileError;

/// A run's properties as far as the import cares. Underline, colour, fonts
/// and sizes have no Markdown form and are dropped; underline in particular
/// is not turned into emphasis or HTML (the renderer removes raw HTML), so
/// underlined text imports as plain text.
#[derive(Debug, Clone, Copy, Default)]
struct RunProps {
    format: Format,
    hidden: bool,
}

/// URL schemes kept as links; anything else (file:, relative paths to the
/// author's disk) would point nowhere for a reader of the portal.
const LINK_SCHEMES: [&str; 4] = ["http://", "https://", "mailto:", "ftp://"];

/// A URL a reader of the portal can follow.
pub(crate) fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    LINK_SCHEMES.iter().any(|s| lower.starts_with(s))
}

impl Parser<'_, '_> {
    pub(crate) fn run(
        &mut self,
        xml: &mut XmlReader<'_>,
        out: &mut Vec<Inline>,
    ) -> Result<(), FileError> {
        let level = xml.depth();
        let mut props = RunProps::default();
        while xml.depth() >= level {
            let Node::Start(e) = xml.next()? else {
                continue;
            };
            match name(&e) {
                "w:rPr" => props = self.run_props(xml)?,
                "w:t" => {
                    let text = xml.text()?;
                    self.push(
                        out,
                        props,
                        Inline::Text {
                            text,
                            format: props.format,
                        },
                    );
                }
                "w:tab" => self.push(out, props, Inline::Tab),
                // Page and column breaks are layout, not content.
                "w:br" if attr(&e, "w:type").is_some_and(|t| t != "textWrapping") => {}
                "w:br" | "w:cr" => self.push(out, props, Inline::Break),
                "w:noBreakHyphen" => {
                    let text = "-".to_owned();
                    self.push(
                        out,
                        props,
                        Inline::Text {
                            text,
                            format: props.format,
                        },
                    );
                }
                "w:footnoteReference" | "w:endnoteReference" => {
                    let kind = if name(&e) == "w:footnoteReference" {
                        NoteKind::Footnote
                    } else {
                        NoteKind::Endnote
                    };
                    let id = attr(&e, "w:id").unwrap_or_default();
                    self.push(out, props, Inline::NoteRef { kind, id });
                }
                "w:fldChar" => self.field_char(&e, out),
                "w:instrText" => {
                    let code = xml.text()?;
                    self.field_code(&code);
                }
                // Deleted text is not what the document reads.
                "w:delText" | "w:delInstrText" | "mc:Fallback" => xml.skip()?,
                "w:drawing" | "w:pict" => {
                    if self.showing() {
                        self.drawing(xml, out)?;
                    } else {
                        xml.skip()?;
                    }
                }
                "w:object" => {
                    self.notes.add(Note::EmbeddedObjects);
                    xml.skip()?;
                }
                "w:commentReference" => self.notes.add(Note::Comments),
                _ => {}
            }
        }
        Ok(())
    }

    /// Adds a piece of run content unless it is hidden or part of a field code.
    fn push(&mut self, out: &mut Vec<Inline>, props: RunProps, piece: Inline) {
        if !self.showing() {
            return;
        }
        if props.hidden {
            self.notes.add(Note::HiddenText);
            return;
        }
        if let (
            Some(Inline::Text { text, format }),
            Inline::Text {
                text: more,
                format: f,
            },
        ) = (out.last_mut(), &piece)
            && format == f
        {
            text.push_str(more);
            return;
        }
        out.push(piece);
    }

    /// Direct formatting, over what the run's character style sets.
    fn run_props(&mut self, xml: &mut XmlReader<'_>) -> Result<RunProps, FileError> {
        let level = xml.depth();
        let (mut bold, mut italic, mut hidden) = (None, None, None);
        let mut style = (false, false, false);
        while xml.depth() >= level {
            let Node::Start(e) = xml.next()? else {
                continue;
            };
            match name(&e) {
                "w:rStyle" => {
                    if let Some(id) = attr(&e, "w:val") {
                        style = self.styles.run_format(&id);
                    }
                }
                "w:b" => bold = Some(toggle(&e)),
                "w:i" => italic = Some(toggle(&e)),
                "w:vanish" => hidden = Some(toggle(&e)),
                "w:rPrChange" | "w:ins" | "w:del" => {
                    self.notes.add(Note::TrackedChanges);
                    xml.skip()?;
                }
                _ => {}
            }
        }
        Ok(RunProps {
            format: Format {
                bold: bold.unwrap_or(style.0),
                italic: italic.unwrap_or(style.1),
            },
            hidden: hidden.unwrap_or(style.2),
        })
    }

    /// A hyperlink: external targets become Markdown links; anchors inside
    /// the document (a table of contents) and links to local files stay text.
    pub(crate) fn hyperlink(
        &mut self,
        xml: &mut XmlReader<'_>,
        start: &BytesStart<'_>,
        out: &mut Vec<Inline>,
    ) -> Result<(), FileError> {
        let level = xml.depth();
        let mut children = Vec::new();
        while xml.depth() >= level {
            if let Node::Start(e) = xml.next()? {
                self.inline_start(xml, name(&e), &e, &mut children)?;
            }
        }
        let target = attr(start, "r:id")
            .and_then(|id| self.rels.get(&id).cloned())
            .filter(|t| t.external);
        let Some(target) = target else {
            out.extend(children);
            return Ok(());
        };
        let mut url = target.location;
        if let Some(anchor) = attr(start, "w:anchor") {
            url = format!("{url}#{anchor}");
        }
        if is_web_url(&url) {
            out.push(Inline::Link { url, children });
        } else {
            self.notes.add(Note::LocalLinks);
            out.extend(children);
        }
        Ok(())
    }
}
