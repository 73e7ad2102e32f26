//! Drawings (`w:drawing`, and old VML `w:pict`): embedded pictures become
//! images placed where they stood; text boxes give their paragraphs; shapes,
//! charts and SmartArt cannot be shown in Markdown and are noted.

use super::model::Inline;
use super::notes::Note;
use super::parse::Parser;
use super::xml::{Node, XmlReader, attr, name};
use crate::FileError;

impl Parser<'_, '_> {
    pub(crate) fn drawing(
        &mut self,
        xml: &mut XmlReader<'_>,
        out: &mut Vec<Inline>,
    ) -> Result<(), FileError> {
        let level = xml.depth();
        let mut alt = String::new();
        let mut embeds: Vec<String> = Vec::new();
        let mut linked = false;
        let mut text_box = false;
        while xml.depth() >= level {
            let Node::Start(e) = xml.next()? else {
                continue;
            };
            match name(&e) {
                // Word's "alt text" is the description; older files put it
                // in the title.
                "wp:docPr" => {
                    alt = attr(&e, "descr")
                        .filter(|d| !d.trim().is_empty())
                        .or_else(|| attr(&e, "title"))
                        .unwrap_or_default()
                        .trim()
                        .to_owned();
                }
                "a:blip" => match (attr(&e, "r:embed"), attr(&e, "r:link")) {
                    (Some(id), _) => embeds.push(id),
                    (None, Some(_)) => linked = true,
                    (None, None) => {}
                },
                "v:imagedata" => embeds.extend(attr(&e, "r:id")),
                "w:txbxContent" => {
                    text_box = true;
                    self.notes.add(Note::TextBoxes);
                    let mut blocks = Vec::new();
                    self.blocks(xml, &mut blocks)?;
                    self.floating.append(&mut blocks);
                }
                "mc:Fallback" => xml.skip()?,
                _ => {}
            }
        }
        if linked {
            self.notes.add(Note::LinkedImages);
        }
        if embeds.is_empty() && !linked && !text_box {
            self.notes.add(Note::Graphics);
        }
        for id in embeds {
            if let Some(index) = self.image(&id, &alt)? {
                out.push(Inline::Image {
                    index,
                    alt: alt.clone(),
                });
            }
        }
        Ok(())
    }

    /// The image relationship `id` points at, read once.
    fn image(&mut self, id: &str, alt: &str) -> Result<Option<usize>, FileError> {
        let Some(target) = self.rels.get(id).cloned() else {
            self.notes.add(Note::MissingImages);
            return Ok(None);
        };
        if target.external {
            self.notes.add(Note::LinkedImages);
            return Ok(None);
        }
        if let Some(index) = self.images.by_part(&target.location) {
            self.images.fill_alt(index, alt);
            return Ok(Some(index));
        }
        let Some(bytes) = self.package.read(&target.location)? else {
            self.notes.add(Note::MissingImages);
            return Ok(None);
        };
        Ok(Some(self.images.add(&target.location, bytes, alt)))
    }
}
