//! Writing a cleaned copy of an OOXML package: some parts dropped, some
//! rewritten, every other part copied byte for byte (compressed data
//! included), and the package's relationships and content types kept
//! consistent with what was dropped.

use std::collections::BTreeSet;
use std::io::{Cursor, Write};

use quick_xml::Writer;
use quick_xml::events::Event;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use crate::FileError;
use crate::package::Package;
use crate::xml::{PartReader, attr};

/// A cleaned copy and what was removed, in words for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    pub bytes: Vec<u8>,
    /// E.g. `批注 2 条`, `修订 3 处（已接受）`, `作者`.
    pub removed: Vec<String>,
}

/// How a part is written into the copy.
pub enum PartPlan {
    Copy,
    Drop,
    Rewrite(Vec<u8>),
}

/// Writes the copy: `plan` says, per part name, what to do; relationships
/// and content-type overrides pointing at dropped parts are removed.
pub fn write_package(
    pkg: &mut Package,
    mut plan: impl FnMut(&str, &mut Package) -> Result<PartPlan, FileError>,
) -> Result<Vec<u8>, FileError> {
    let names = pkg.names();
    let mut plans = Vec::with_capacity(names.len());
    let mut dropped = BTreeSet::new();
    for name in &names {
        let p = plan(name, pkg)?;
        if matches!(p, PartPlan::Drop) {
            dropped.insert(name.clone());
        }
        plans.push(p);
    }
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let deflate = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, p) in names.iter().zip(plans) {
        pkg.deadline.check()?;
        let rewritten = match p {
            PartPlan::Drop => continue,
            PartPlan::Rewrite(bytes) => Some(bytes),
            PartPlan::Copy if name.ends_with(".rels") || name == "[Content_Types].xml" => {
                let xml = pkg.require(name)?;
                Some(drop_references(
                    name,
                    &xml,
                    &dropped,
                    pkg.limits().max_xml_depth,
                )?)
            }
            PartPlan::Copy => None,
        };
        let err = |e: &dyn std::fmt::Display| FileError::Malformed {
            part: name.clone(),
            detail: e.to_string(),
        };
        match rewritten {
            Some(bytes) => {
                w.start_file(name.as_str(), deflate).map_err(|e| err(&e))?;
                w.write_all(&bytes).map_err(|e| err(&e))?;
            }
            None => {
                let index = pkg
                    .archive()
                    .index_for_name(name)
                    .ok_or_else(|| err(&"part vanished"))?;
                let file = pkg.archive().by_index_raw(index).map_err(|e| err(&e))?;
                w.raw_copy_file(file).map_err(|e| err(&e))?;
            }
        }
    }
    let out = w.finish().map_err(|e| FileError::Malformed {
        part: "(zip)".into(),
        detail: e.to_string(),
    })?;
    Ok(out.into_inner())
}

/// Removes `Relationship` and `Override` elements that point at a dropped
/// part. Relationship targets are relative to the source part's folder.
fn drop_references(
    part: &str,
    xml: &[u8],
    dropped: &BTreeSet<String>,
    depth: usize,
) -> Result<Vec<u8>, FileError> {
    if dropped.is_empty() {
        return Ok(xml.to_vec());
    }
    let base = rels_base(part);
    let mut r = PartReader::new(part, xml, depth)?;
    let mut w = Writer::new(Vec::with_capacity(xml.len()));
    let mut skipping = 0usize;
    loop {
        let ev = r.next_event()?;
        if matches!(ev, Event::Eof) {
            break;
        }
        if skipping > 0 {
            match ev {
                Event::Start(_) => skipping += 1,
                Event::End(_) => skipping -= 1,
                _ => {}
            }
            continue;
        }
        let points_at_dropped = match &ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "Relationship" if attr(e, "TargetMode").as_deref() != Some("External") => {
                    attr(e, "Target")
                        .map(|t| dropped.contains(&resolve(&base, &t)))
                        .unwrap_or(false)
                }
                "Override" => attr(e, "PartName")
                    .map(|p| dropped.contains(p.trim_start_matches('/')))
                    .unwrap_or(false),
                _ => false,
            },
            _ => false,
        };
        if points_at_dropped {
            if matches!(ev, Event::Start(_)) {
                skipping = 1;
            }
            continue;
        }
        w.write_event(ev).map_err(|e| FileError::Malformed {
            part: part.to_owned(),
            detail: e.to_string(),
        })?;
    }
    Ok(w.into_inner())
}

/// The folder a .rels file's targets are relative to: `word/_rels/document.xml.rels` → `word/`.
fn rels_base(rels: &str) -> String {
    match rels.rsplit_once("_rels/") {
        Some((dir, _)) => dir.to_owned(),
        None => String::new(),
    }
}

/// Resolves a relationship target against a folder (`../`, `./`, absolute).
fn resolve(base: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_owned();
    }
    let mut segs: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for s in target.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    segs.join("/")
}

/// Empties the text of the named elements in a properties part (the
/// elements stay, so the part remains valid).
pub fn blank_elements(
    part: &str,
    xml: &[u8],
    names: &[&str],
    depth: usize,
) -> Result<(Vec<u8>, Vec<String>), FileError> {
    let mut r = PartReader::new(part, xml, depth)?;
    let mut w = Writer::new(Vec::with_capacity(xml.len()));
    let mut inside: Option<String> = None;
    let mut blanked = Vec::new();
    loop {
        let ev = r.next_event()?;
        match &ev {
            Event::Eof => break,
            Event::Start(e) => {
                let n = e.name().as_ref().to_owned();
                if names.contains(&n.as_str()) {
                    inside = Some(n);
                }
            }
            Event::End(_) => inside = None,
            _ => {}
        }
        let drop_text = inside.is_some()
            && matches!(ev, Event::Text(_) | Event::CData(_) | Event::GeneralRef(_));
        if drop_text {
            if let Some(n) = &inside
                && !blanked.contains(n)
                && !matches!(&ev, Event::Text(t) if t.xml10_content().trim().is_empty())
            {
                blanked.push(n.clone());
            }
            continue;
        }
        w.write_event(ev).map_err(|e| FileError::Malformed {
            part: part.to_owned(),
            detail: e.to_string(),
        })?;
    }
    Ok((w.into_inner(), blanked))
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn targets_resolve_against_the_rels_folder() {
        assert_eq!(resolve("word", "comments.xml"), "word/comments.xml");
        assert_eq!(resolve("", "docProps/custom.xml"), "docProps/custom.xml");
        assert_eq!(
            resolve("word", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(resolve("word", "/word/people.xml"), "word/people.xml");
    }
}
