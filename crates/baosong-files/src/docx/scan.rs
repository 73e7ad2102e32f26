//! What a .docx holds, visible and hidden: the text as readers see it, and
//! apart from it the comments (批注), tracked insertions and deletions (修订:
//! deleted text is still in the file), hidden text (隐藏文字) and the
//! document's properties.
//!
//! Hidden content is gathered per kind into one part each (all comments,
//! all deletions, …), so a document with 300 tracked changes gives one
//! finding, not 300, and the detectors still see every word of it.

use std::collections::BTreeSet;

use baosong_check::{DocumentScan, PartKind, TextPart};
use quick_xml::events::Event;

use super::{story_label, story_parts};
use crate::package::Package;
use crate::xml::{PartReader, attr, is_on, reference_text};
use crate::{FileError, Limits};

/// Scans a .docx (Word or WPS).
pub fn scan_docx(bytes: &[u8], limits: &Limits) -> Result<DocumentScan, FileError> {
    let mut pkg = Package::open(bytes, "docx", limits)?;
    if !pkg.contains(super::DOCUMENT) {
        return Err(FileError::MissingPart {
            part: super::DOCUMENT.into(),
            expected: "docx",
        });
    }
    let mut hidden = Hidden::default();
    let mut parts = Vec::new();
    for name in story_parts(&pkg.names()) {
        let Some(xml) = pkg.read(&name)? else {
            continue;
        };
        let visible = read_story(&name, &xml, limits, &mut hidden, &pkg)?;
        if !visible.trim().is_empty() {
            parts.push(TextPart {
                kind: PartKind::Visible,
                location: story_label(&name).to_owned(),
                text: visible,
            });
        }
    }
    let comments = read_comments(&mut pkg, limits)?;
    parts.extend(hidden.into_parts());
    parts.extend(comments);
    parts.extend(crate::props::scan_properties(&mut pkg)?);
    Ok(DocumentScan {
        parts,
        facts: Vec::new(),
    })
}

/// Hidden text gathered over all story parts.
#[derive(Default)]
struct Hidden {
    inserted: String,
    deleted: String,
    vanished: String,
    insertions: usize,
    deletions: usize,
    vanish_runs: usize,
    authors: BTreeSet<String>,
}

impl Hidden {
    fn into_parts(self) -> Vec<TextPart> {
        let by = if self.authors.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = self.authors.iter().map(String::as_str).collect();
            format!("，修订人：{}", names.join("、"))
        };
        let mut out = Vec::new();
        if self.insertions > 0 {
            out.push(TextPart {
                kind: PartKind::TrackedInsertion,
                location: format!("修订（插入）{} 处{by}", self.insertions),
                text: self.inserted,
            });
        }
        if self.deletions > 0 {
            out.push(TextPart {
                kind: PartKind::TrackedDeletion,
                location: format!("修订（删除）{} 处{by}", self.deletions),
                text: self.deleted,
            });
        }
        if self.vanish_runs > 0 {
            out.push(TextPart {
                kind: PartKind::HiddenText,
                location: format!("隐藏文字 {} 处", self.vanish_runs),
                text: self.vanished,
            });
        }
        out
    }
}

/// Per paragraph: text by where it goes.
#[derive(Default)]
struct Para {
    visible: String,
    inserted: String,
    deleted: String,
    vanished: String,
}

fn flush(into: &mut String, from: &mut String) {
    if !from.is_empty() {
        into.push_str(from);
        into.push('\n');
        from.clear();
    }
}

/// Reads one story part (document, header, footnotes …): returns its
/// visible text and adds its hidden content to `hidden`.
fn read_story(
    part: &str,
    xml: &[u8],
    limits: &Limits,
    hidden: &mut Hidden,
    pkg: &Package,
) -> Result<String, FileError> {
    let mut r = PartReader::new(part, xml, limits.max_xml_depth)?;
    let mut visible = String::new();
    let mut para = Para::default();
    // Nesting counters: tracked deletions/insertions can wrap several runs.
    let (mut in_del, mut in_ins) = (0usize, 0usize);
    let (mut in_ppr, mut in_text, mut run_hidden) = (false, false, false);
    let mut events = 0u32;
    loop {
        events = events.wrapping_add(1);
        if events.is_multiple_of(4096) {
            pkg.deadline.check()?;
        }
        let ev = r.next_event()?;
        match &ev {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.name().as_ref() {
                    "w:del" | "w:moveFrom" if !in_ppr => {
                        hidden.deletions += 1;
                        note_author(hidden, e);
                        if !empty {
                            in_del += 1;
                        }
                    }
                    "w:ins" | "w:moveTo" if !in_ppr => {
                        hidden.insertions += 1;
                        note_author(hidden, e);
                        if !empty {
                            in_ins += 1;
                        }
                    }
                    "w:pPr" if !empty => in_ppr = true,
                    "w:r" if !empty => run_hidden = false,
                    "w:vanish" if !in_ppr && is_on(e) => {
                        if !run_hidden {
                            hidden.vanish_runs += 1;
                        }
                        run_hidden = true;
                    }
                    "w:t" | "w:delText" | "w:instrText" if !empty => {
                        in_text = e.name().as_ref() != "w:instrText";
                    }
                    "w:tab" if !in_ppr => push(&mut para, " ", in_del, in_ins, run_hidden),
                    "w:br" | "w:cr" => push(&mut para, "\n", in_del, in_ins, run_hidden),
                    _ => {}
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "w:del" | "w:moveFrom" => in_del = in_del.saturating_sub(1),
                "w:ins" | "w:moveTo" => in_ins = in_ins.saturating_sub(1),
                "w:pPr" => in_ppr = false,
                "w:r" => run_hidden = false,
                "w:t" | "w:delText" | "w:instrText" => in_text = false,
                "w:p" => {
                    flush(&mut visible, &mut para.visible);
                    flush(&mut hidden.inserted, &mut para.inserted);
                    flush(&mut hidden.deleted, &mut para.deleted);
                    flush(&mut hidden.vanished, &mut para.vanished);
                }
                _ => {}
            },
            Event::Text(t) if in_text => {
                push(&mut para, &t.xml10_content(), in_del, in_ins, run_hidden)
            }
            Event::CData(t) if in_text => push(&mut para, t.as_ref(), in_del, in_ins, run_hidden),
            Event::GeneralRef(g) if in_text => {
                if let Some(s) = reference_text(g) {
                    push(&mut para, &s, in_del, in_ins, run_hidden);
                }
            }
            _ => {}
        }
    }
    flush(&mut visible, &mut para.visible);
    flush(&mut hidden.inserted, &mut para.inserted);
    flush(&mut hidden.deleted, &mut para.deleted);
    flush(&mut hidden.vanished, &mut para.vanished);
    Ok(visible)
}

/// Sends text where it belongs: deleted text only to the deletions; hidden
/// text only to the hidden; inserted text is both visible and an insertion.
fn push(para: &mut Para, s: &str, in_del: usize, in_ins: usize, run_hidden: bool) {
    if in_del > 0 {
        para.deleted.push_str(s);
    } else if run_hidden {
        para.vanished.push_str(s);
    } else {
        para.visible.push_str(s);
        if in_ins > 0 {
            para.inserted.push_str(s);
        }
    }
}

fn note_author(hidden: &mut Hidden, e: &quick_xml::events::BytesStart) {
    if let Some(a) = attr(e, "w:author") {
        let a = a.trim();
        if !a.is_empty() && hidden.authors.len() < 20 {
            hidden.authors.insert(a.to_owned());
        }
    }
}

/// All comments (word/comments.xml) as one part.
fn read_comments(pkg: &mut Package, limits: &Limits) -> Result<Vec<TextPart>, FileError> {
    const PART: &str = "word/comments.xml";
    let Some(xml) = pkg.read(PART)? else {
        return Ok(Vec::new());
    };
    let mut r = PartReader::new(PART, &xml, limits.max_xml_depth)?;
    let (mut count, mut text, mut in_text) = (0usize, String::new(), false);
    let mut authors = BTreeSet::new();
    loop {
        match r.next_event()? {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "w:comment" => {
                count += 1;
                if let Some(a) = attr(&e, "w:author").filter(|a| !a.trim().is_empty()) {
                    authors.insert(a.trim().to_owned());
                }
            }
            Event::Start(e) if e.name().as_ref() == "w:t" => in_text = true,
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:p" if !text.ends_with('\n') && !text.is_empty() => text.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => text.push_str(&t.xml10_content()),
            Event::GeneralRef(g) if in_text => {
                if let Some(s) = reference_text(&g) {
                    text.push_str(&s);
                }
            }
            _ => {}
        }
    }
    if count == 0 {
        return Ok(Vec::new());
    }
    let by = if authors.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = authors.iter().map(String::as_str).collect();
        format!("，批注人：{}", names.join("、"))
    };
    Ok(vec![TextPart {
        kind: PartKind::Comment,
        location: format!("批注 {count} 条{by}"),
        text,
    }])
}
