//! A part's relationships (`word/_rels/document.xml.rels`): what an `r:id`
//! on a hyperlink or image points to.

use std::collections::HashMap;

use super::xml::{Node, XmlReader, attr, name};
use crate::FileError;
use crate::package::Package;

#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// A URL for external targets; a package part name (`word/media/image1.png`)
    /// for internal ones.
    pub location: String,
    pub external: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Rels {
    by_id: HashMap<String, Target>,
}

impl Rels {
    /// The relationships of `part`; a part without a rels file has none.
    pub(crate) fn of(package: &mut Package<'_>, part: &str) -> Result<Rels, FileError> {
        let rels_name = rels_part_name(part);
        let Some(text) = package.read_text(&rels_name)? else {
            return Ok(Rels::default());
        };
        let limit = package.limits().max_xml_depth;
        let mut xml = XmlReader::new(&text, &rels_name, limit, package.deadline);
        let mut by_id = HashMap::new();
        loop {
            match xml.next()? {
                Node::Start(e) if name(&e) == "Relationship" => {
                    let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) else {
                        continue;
                    };
                    let external = attr(&e, "TargetMode").as_deref() == Some("External");
                    let location = if external {
                        target
                    } else {
                        resolve(part, &target)
                    };
                    by_id.insert(id, Target { location, external });
                }
                Node::Eof => break,
                _ => {}
            }
        }
        Ok(Rels { by_id })
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Target> {
        self.by_id.get(id)
    }
}

/// `word/document.xml` → `word/_rels/document.xml.rels`.
pub(crate) fn rels_part_name(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// A relationship target relative to the source part's folder, as a part
/// name: `media/image1.png` from `word/document.xml` is `word/media/image1.png`;
/// `/word/x.xml` is absolute; `..` climbs.
pub(crate) fn resolve(source_part: &str, target: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    if let Some(absolute) = target.strip_prefix('/') {
        return normalise(segments, absolute);
    }
    if let Some((dir, _)) = source_part.rsplit_once('/') {
        segments.extend(dir.split('/').filter(|s| !s.is_empty()));
    }
    normalise(segments, target)
}

fn normalise<'a>(mut segments: Vec<&'a str>, path: &'a str) -> String {
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

/// The main document part named by the package's root relationships;
/// `word/document.xml` when they do not say.
pub(crate) fn main_document_part(package: &mut Package<'_>) -> Result<String, FileError> {
    const OFFICE_DOCUMENT: &str = "/officeDocument";
    let Some(text) = package.read_text("_rels/.rels")? else {
        return Ok("word/document.xml".into());
    };
    let limit = package.limits().max_xml_depth;
    let mut xml = XmlReader::new(&text, "_rels/.rels", limit, package.deadline);
    loop {
        match xml.next()? {
            Node::Start(e) if name(&e) == "Relationship" => {
                let is_main = attr(&e, "Type").is_some_and(|t| t.ends_with(OFFICE_DOCUMENT));
                if let (true, Some(target)) = (is_main, attr(&e, "Target")) {
                    return Ok(resolve("", &target));
                }
            }
            Node::Eof => return Ok("word/document.xml".into()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_the_source_folder() {
        assert_eq!(
            resolve("word/document.xml", "media/image1.png"),
            "word/media/image1.png"
        );
        assert_eq!(
            resolve("word/document.xml", "/word/media/a.jpeg"),
            "word/media/a.jpeg"
        );
        assert_eq!(
            resolve("word/document.xml", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(
            rels_part_name("word/footnotes.xml"),
            "word/_rels/footnotes.xml.rels"
        );
    }
}
