//! `docProps/core.xml`: the document's own title (`dc:title`).

use super::xml::{Node, XmlReader, name};
use crate::FileError;
use crate::package::Package;

/// The non-empty `dc:title`, trimmed.
pub(crate) fn title(package: &mut Package<'_>) -> Result<Option<String>, FileError> {
    const PART: &str = "docProps/core.xml";
    let Some(text) = package.read_text(PART)? else {
        return Ok(None);
    };
    let limit = package.limits().max_xml_depth;
    let mut xml = XmlReader::new(&text, PART, limit, package.deadline);
    loop {
        match xml.next()? {
            Node::Start(e) if name(&e) == "dc:title" => {
                let title = xml.text()?.trim().to_owned();
                return Ok((!title.is_empty()).then_some(title));
            }
            Node::Eof => return Ok(None),
            _ => {}
        }
    }
}
