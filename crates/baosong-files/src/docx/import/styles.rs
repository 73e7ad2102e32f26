//! `word/styles.xml`: which paragraph styles are headings and which carry a
//! list, and what character styles do to a run. Styles inherit through
//! `w:basedOn`, so every question walks the chain (with a bound, as a broken
//! file can make it a loop).

use std::collections::HashMap;

use super::model::NumRef;
use super::xml::{Node, XmlReader, attr, name, toggle};
use crate::FileError;
use crate::package::Package;

/// A chain longer than this is a loop in a broken file.
const MAX_CHAIN: usize = 32;

#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    /// `w:outlineLvl` 0..=8 is a heading level; 9 is body text.
    outline: Option<u8>,
    num: Option<NumRef>,
    bold: Option<bool>,
    italic: Option<bool>,
    hidden: Option<bool>,
}

#[derive(Debug, Default)]
pub(crate) struct Styles {
    by_id: HashMap<String, Style>,
}

impl Styles {
    pub(crate) fn read(package: &mut Package<'_>, part: &str) -> Result<Styles, FileError> {
        let Some(text) = package.read_text(part)? else {
            return Ok(Styles::default());
        };
        let limit = package.limits().max_xml_depth;
        let mut xml = XmlReader::new(&text, part, limit, package.deadline);
        let mut by_id = HashMap::new();
        loop {
            match xml.next()? {
                Node::Start(e) if name(&e) == "w:style" => {
                    let id = attr(&e, "w:styleId").unwrap_or_default();
                    let style = read_style(&mut xml)?;
                    by_id.insert(id, style);
                }
                Node::Eof => break,
                _ => {}
            }
        }
        Ok(Styles { by_id })
    }

    /// The heading level (1..=9) a paragraph style gives, by its name or id
    /// (Word's "heading 1", WPS's "标题 1", LibreOffice's "Heading1") or by
    /// an outline level in the style or what it is based on.
    pub(crate) fn heading_level(&self, style_id: &str) -> Option<u8> {
        for (id, style) in self.chain(style_id) {
            if let Some(level) = heading_by_name(&style.name).or_else(|| heading_by_name(id)) {
                return Some(level);
            }
            if let Some(outline) = style.outline {
                return (outline < 9).then_some(outline + 1);
            }
        }
        None
    }

    /// The list a paragraph style puts its paragraphs in (Word's "List
    /// Number" and custom numbered heading styles do).
    pub(crate) fn numbering(&self, style_id: &str) -> Option<NumRef> {
        self.chain(style_id).find_map(|(_, s)| s.num.clone())
    }

    /// Bold, italic and hidden as a character style sets them.
    pub(crate) fn run_format(&self, style_id: &str) -> (bool, bool, bool) {
        let chain: Vec<&Style> = self.chain(style_id).map(|(_, s)| s).collect();
        let first =
            |f: fn(&Style) -> Option<bool>| chain.iter().find_map(|s| f(s)).unwrap_or(false);
        (first(|s| s.bold), first(|s| s.italic), first(|s| s.hidden))
    }

    fn chain<'s>(&'s self, style_id: &'s str) -> impl Iterator<Item = (&'s str, &'s Style)> + 's {
        let mut next = Some(style_id);
        std::iter::from_fn(move || {
            let id = next?;
            let style = self.by_id.get(id)?;
            next = style.based_on.as_deref();
            Some((id, style))
        })
        .take(MAX_CHAIN)
    }
}

/// "heading 3", "Heading3", "标题 3", "标题3" → 3; Word's and WPS's "Title"
/// and "标题" (the document title style) → 1.
fn heading_by_name(name: &str) -> Option<u8> {
    let lower = name.trim().to_lowercase();
    if lower == "title" || lower == "标题" {
        return Some(1);
    }
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| lower.strip_prefix("标题"))?
        .trim();
    match rest.parse::<u8>() {
        Ok(level @ 1..=9) => Some(level),
        _ => None,
    }
}

fn read_style(xml: &mut XmlReader<'_>) -> Result<Style, FileError> {
    let level = xml.depth();
    let mut style = Style::default();
    let mut num = NumRef::default();
    let mut has_num = false;
    while xml.depth() >= level {
        let Node::Start(e) = xml.next()? else {
            continue;
        };
        match name(&e) {
            "w:name" => style.name = attr(&e, "w:val").unwrap_or_default(),
            "w:basedOn" => style.based_on = attr(&e, "w:val"),
            "w:outlineLvl" => style.outline = attr(&e, "w:val").and_then(|v| v.parse().ok()),
            "w:numId" => {
                has_num = true;
                num.num_id = attr(&e, "w:val").unwrap_or_default();
            }
            "w:ilvl" => num.level = attr(&e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(0),
            "w:b" => style.bold = Some(toggle(&e)),
            "w:i" => style.italic = Some(toggle(&e)),
            "w:vanish" => style.hidden = Some(toggle(&e)),
            // Earlier versions of the style, kept by tracked changes.
            "w:pPrChange" | "w:rPrChange" => xml.skip()?,
            _ => {}
        }
    }
    if has_num {
        style.num = Some(num);
    }
    Ok(style)
}

#[cfg(test)]
mod tests {
    use super::heading_by_name;

    #[test]
    fn heading_names_of_word_wps_and_libreoffice() {
        assert_eq!(heading_by_name("heading 1"), Some(1));
        assert_eq!(heading_by_name("Heading2"), Some(2));
        assert_eq!(heading_by_name("标题 3"), Some(3));
        assert_eq!(heading_by_name("标题4"), Some(4));
        assert_eq!(heading_by_name("Title"), Some(1));
        assert_eq!(heading_by_name("Heading"), None);
        assert_eq!(heading_by_name("heading 10"), None);
        assert_eq!(heading_by_name("Body Text"), None);
    }
}
