//! Cell comments (批注): legacy comments (`xl/comments1.xml`, what Excel
//! before 365, WPS and LibreOffice write) and threaded comments
//! (`xl/threadedComments/…`, Excel 365). Found through the sheet's rels.

use baosong_check::{PartKind, TextPart};
use quick_xml::events::Event;

use super::rels::Rel;
use crate::FileError;
use crate::package::Package;
use crate::xmlread::{XmlReader, attr, event_text, local_name};

/// Relationship types (last segment) of comment parts and what goes with
/// them, which the cleaner removes.
pub(crate) const COMMENTS: &str = "comments";
pub(crate) const THREADED: &str = "threadedComment";

/// The comments of one sheet, as text parts located `批注 Sheet1!B2（作者）`.
pub(crate) fn read(
    pkg: &mut Package,
    sheet: &str,
    rels: &[Rel],
) -> Result<Vec<TextPart>, FileError> {
    let mut out = Vec::new();
    for rel in rels.iter().filter(|r| !r.external) {
        if (rel.is(COMMENTS) || rel.is(THREADED))
            && let Some(xml) = pkg.read_text(&rel.target)?
        {
            out.extend(read_part(&xml, &rel.target, sheet, pkg)?);
        }
    }
    Ok(out)
}

fn read_part(
    xml: &str,
    part: &str,
    sheet: &str,
    pkg: &Package,
) -> Result<Vec<TextPart>, FileError> {
    let mut reader = XmlReader::new(xml, part, pkg.limits().max_xml_depth, Some(pkg.deadline));
    let mut authors: Vec<String> = Vec::new();
    let mut in_author = false;
    let mut current: Option<TextPart> = None;
    let mut in_t = false;
    let mut out = Vec::new();
    loop {
        let event = reader.next()?;
        match &event {
            Event::Eof => break,
            Event::Start(e) => match local_name(e).as_str() {
                "author" => {
                    in_author = true;
                    authors.push(String::new());
                }
                "comment" | "threadedComment" => {
                    let who = attr(e, "authorId")
                        .and_then(|i| i.parse::<usize>().ok())
                        .and_then(|i| authors.get(i))
                        .filter(|a| !a.is_empty())
                        .map(|a| format!("（{a}）"))
                        .unwrap_or_default();
                    let cell = attr(e, "ref").unwrap_or_default();
                    current = Some(TextPart {
                        kind: PartKind::Comment,
                        location: format!("批注 {sheet}!{cell}{who}"),
                        text: String::new(),
                    });
                }
                "t" | "text" => in_t = true,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "author" => in_author = false,
                "t" | "text" => in_t = false,
                "comment" | "threadedComment" => {
                    if let Some(c) = current.take().filter(|c| !c.text.trim().is_empty()) {
                        out.push(c);
                    }
                }
                _ => {}
            },
            _ => {
                let Some(text) = event_text(&event) else {
                    continue;
                };
                if in_author && let Some(a) = authors.last_mut() {
                    a.push_str(&text);
                } else if in_t && let Some(c) = current.as_mut() {
                    c.text.push_str(&text);
                }
            }
        }
    }
    Ok(out)
}
