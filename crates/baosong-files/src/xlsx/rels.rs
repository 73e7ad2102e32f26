//! Relationship parts (`_rels/*.rels`): which part a sheet's comments,
//! drawings and so on live in.

use quick_xml::events::Event;

use crate::FileError;
use crate::package::Package;
use crate::xmlread::{XmlReader, attr, local_name};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rel {
    pub id: String,
    /// The relationship type URI; compare with [`Rel::is`].
    pub kind: String,
    /// The target part's full name in the package (resolved), or the
    /// external URL as written.
    pub target: String,
    pub external: bool,
}

impl Rel {
    /// Whether the type URI ends with `/{suffix}` (the namespace differs
    /// between transitional and strict OOXML).
    pub fn is(&self, suffix: &str) -> bool {
        self.kind.rsplit('/').next() == Some(suffix)
    }
}

/// The rels part that belongs to `part`: `xl/worksheets/sheet1.xml` →
/// `xl/worksheets/_rels/sheet1.xml.rels`.
pub(crate) fn rels_name(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// The relationships of `part` (empty when it has none).
pub(crate) fn read(pkg: &mut Package, part: &str) -> Result<Vec<Rel>, FileError> {
    let name = rels_name(part);
    let Some(xml) = pkg.read_text(&name)? else {
        return Ok(Vec::new());
    };
    let base = part.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let mut reader = XmlReader::new(&xml, &name, pkg.limits().max_xml_depth, Some(pkg.deadline));
    let mut out = Vec::new();
    loop {
        match reader.next()? {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if local_name(&e) == "Relationship" => {
                let external = attr(&e, "TargetMode").as_deref() == Some("External");
                let target = attr(&e, "Target").unwrap_or_default();
                out.push(Rel {
                    id: attr(&e, "Id").unwrap_or_default(),
                    kind: attr(&e, "Type").unwrap_or_default(),
                    target: if external {
                        target
                    } else {
                        resolve(base, &target)
                    },
                    external,
                });
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Resolves a relative target against the source part's folder.
pub(crate) fn resolve(base: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_owned();
    }
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_targets() {
        assert_eq!(
            resolve("xl/worksheets", "../comments1.xml"),
            "xl/comments1.xml"
        );
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl", "/xl/sharedStrings.xml"),
            "xl/sharedStrings.xml"
        );
        assert_eq!(rels_name("xl/workbook.xml"), "xl/_rels/workbook.xml.rels");
    }
}
