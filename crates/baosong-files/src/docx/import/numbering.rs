//! `word/numbering.xml`: whether a list level is bulleted or numbered, and
//! where its count starts. A paragraph names a `w:num` (numId) and a level
//! (ilvl); the num points at an abstract definition whose levels say the
//! format (`bullet`, `decimal`, `chineseCounting`, …).

use std::collections::HashMap;

use super::xml::{Node, XmlReader, attr, name};
use crate::FileError;
use crate::package::Package;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListKind {
    Bullet,
    /// `arabic` is false for formats Markdown cannot show (一、, (一),
    /// ①, i., A.): those items are numbered 1. 2. 3. instead.
    Ordered {
        start: u32,
        arabic: bool,
    },
}

#[derive(Debug, Default, Clone)]
struct Level {
    format: Option<String>,
    start: Option<u32>,
}

type Levels = HashMap<u8, Level>;

#[derive(Debug, Default)]
pub(crate) struct Numbering {
    abstracts: HashMap<String, Levels>,
    /// numId → (abstractNumId, level overrides).
    nums: HashMap<String, (String, Levels)>,
}

impl Numbering {
    pub(crate) fn read(package: &mut Package<'_>, part: &str) -> Result<Numbering, FileError> {
        let Some(text) = package.read_text(part)? else {
            return Ok(Numbering::default());
        };
        let limit = package.limits().max_xml_depth;
        let mut xml = XmlReader::new(&text, part, limit, package.deadline);
        let mut numbering = Numbering::default();
        loop {
            match xml.next()? {
                Node::Start(e) if name(&e) == "w:abstractNum" => {
                    let id = attr(&e, "w:abstractNumId").unwrap_or_default();
                    let levels = read_levels(&mut xml)?;
                    numbering.abstracts.insert(id, levels);
                }
                Node::Start(e) if name(&e) == "w:num" => {
                    let id = attr(&e, "w:numId").unwrap_or_default();
                    let (abstract_id, overrides) = read_num(&mut xml)?;
                    numbering.nums.insert(id, (abstract_id, overrides));
                }
                Node::Eof => break,
                _ => {}
            }
        }
        Ok(numbering)
    }

    /// The kind of list item `numId`/`ilvl` makes; `None` when the paragraph
    /// shows no marker (numId 0, an unknown num, format `none`).
    pub(crate) fn kind(&self, num_id: &str, level: u8) -> Option<ListKind> {
        let (abstract_id, overrides) = self.nums.get(num_id)?;
        let base = self.abstracts.get(abstract_id).and_then(|l| l.get(&level));
        let over = overrides.get(&level);
        let format = over
            .and_then(|l| l.format.clone())
            .or_else(|| base.and_then(|l| l.format.clone()))
            .unwrap_or_else(|| "decimal".into());
        let start = over
            .and_then(|l| l.start)
            .or_else(|| base.and_then(|l| l.start))
            .unwrap_or(1);
        match format.as_str() {
            "none" => None,
            "bullet" => Some(ListKind::Bullet),
            other => Some(ListKind::Ordered {
                start,
                arabic: matches!(other, "decimal" | "decimalZero" | "decimalHalfWidth"),
            }),
        }
    }
}

/// The `w:lvl` children of an abstractNum (or of a lvlOverride).
fn read_levels(xml: &mut XmlReader<'_>) -> Result<Levels, FileError> {
    let level = xml.depth();
    let mut levels = Levels::new();
    let mut current: Option<u8> = None;
    while xml.depth() >= level {
        let Node::Start(e) = xml.next()? else {
            continue;
        };
        match name(&e) {
            "w:lvl" => {
                let ilvl = attr(&e, "w:ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                current = Some(ilvl);
                levels.entry(ilvl).or_default();
            }
            "w:numFmt" => {
                if let Some(l) = current.and_then(|c| levels.get_mut(&c)) {
                    l.format = attr(&e, "w:val");
                }
            }
            "w:start" => {
                if let Some(l) = current.and_then(|c| levels.get_mut(&c)) {
                    l.start = attr(&e, "w:val").and_then(|v| v.parse().ok());
                }
            }
            // Alternative formats for old readers; the main one is enough.
            "mc:Fallback" => xml.skip()?,
            _ => {}
        }
    }
    Ok(levels)
}

/// A `w:num`: its abstractNumId and any level overrides.
fn read_num(xml: &mut XmlReader<'_>) -> Result<(String, Levels), FileError> {
    let level = xml.depth();
    let mut abstract_id = String::new();
    let mut overrides = Levels::new();
    while xml.depth() >= level {
        let Node::Start(e) = xml.next()? else {
            continue;
        };
        match name(&e) {
            "w:abstractNumId" => abstract_id = attr(&e, "w:val").unwrap_or_default(),
            "w:lvlOverride" => {
                let ilvl = attr(&e, "w:ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                let inner = read_override(xml)?;
                overrides.insert(ilvl, inner);
            }
            _ => {}
        }
    }
    Ok((abstract_id, overrides))
}

fn read_override(xml: &mut XmlReader<'_>) -> Result<Level, FileError> {
    let level = xml.depth();
    let mut out = Level::default();
    while xml.depth() >= level {
        let Node::Start(e) = xml.next()? else {
            continue;
        };
        match name(&e) {
            "w:startOverride" | "w:start" => {
                out.start = attr(&e, "w:val").and_then(|v| v.parse().ok())
            }
            "w:numFmt" => out.format = attr(&e, "w:val"),
            _ => {}
        }
    }
    Ok(out)
}
