//! 一键清理 for .docx: a copy without comments, with every tracked change
//! accepted (deleted text gone, inserted text kept as ordinary text), without
//! hidden text, and with personal properties emptied. Everything else —
//! images, styles, numbering, headers — is copied byte for byte.

use quick_xml::Writer;
use quick_xml::events::Event;

use super::story_parts;
use crate::clean::{Cleaned, PartPlan, blank_elements, write_package};
use crate::package::Package;
use crate::props::{APP, CORE, CUSTOM, PERSONAL};
use crate::xml::{PartReader, is_on};
use crate::{FileError, Limits};

/// Parts removed whole: comments and the list of their authors, and custom
/// properties.
const DROPPED: [&str; 6] = [
    "word/comments.xml",
    "word/commentsExtended.xml",
    "word/commentsIds.xml",
    "word/commentsExtensible.xml",
    "word/people.xml",
    CUSTOM,
];

/// Elements removed with everything inside them: deleted and moved-away
/// text, the record of formatting changes, comment anchors.
const DROP_SUBTREE: [&str; 16] = [
    "w:del",
    "w:moveFrom",
    "w:rPrChange",
    "w:pPrChange",
    "w:sectPrChange",
    "w:tblPrChange",
    "w:tblPrExChange",
    "w:tcPrChange",
    "w:trPrChange",
    "w:tblGridChange",
    "w:numberingChange",
    "w:commentRangeStart",
    "w:commentRangeEnd",
    "w:moveFromRangeStart",
    "w:moveFromRangeEnd",
    "w:moveToRangeStart",
];

/// Elements replaced by their content: accepted insertions and moves.
const UNWRAP: [&str; 2] = ["w:ins", "w:moveTo"];

#[derive(Default)]
struct Counts {
    deletions: usize,
    insertions: usize,
    hidden_runs: usize,
    comment_refs: usize,
}

/// Cleans a .docx.
pub fn clean_docx(bytes: &[u8], limits: &Limits) -> Result<Cleaned, FileError> {
    let mut pkg = Package::open(bytes, "docx", limits)?;
    let stories = story_parts(&pkg.names());
    let mut counts = Counts::default();
    let mut removed = Vec::new();
    let mut comments = 0usize;
    let out = write_package(&mut pkg, |name, pkg| {
        if DROPPED.contains(&name) {
            if name == "word/comments.xml" {
                comments = count_comments(pkg, limits)?;
            }
            if name == CUSTOM {
                removed.push("自定义属性".to_owned());
            }
            return Ok(PartPlan::Drop);
        }
        if stories.iter().any(|s| s == name) {
            let xml = pkg.require(name)?;
            return Ok(PartPlan::Rewrite(clean_story(
                name,
                &xml,
                limits,
                &mut counts,
            )?));
        }
        if name == CORE || name == APP {
            let xml = pkg.require(name)?;
            let personal: Vec<&str> = PERSONAL.iter().map(|(n, _)| *n).collect();
            let (bytes, blanked) = blank_elements(name, &xml, &personal, limits.max_xml_depth)?;
            for n in blanked {
                if let Some((_, label)) = PERSONAL.iter().find(|(p, _)| *p == n) {
                    removed.push((*label).to_owned());
                }
            }
            return Ok(PartPlan::Rewrite(bytes));
        }
        Ok(PartPlan::Copy)
    })?;
    let mut said = Vec::new();
    if comments > 0 || counts.comment_refs > 0 {
        said.push(format!("批注 {} 条", comments.max(counts.comment_refs)));
    }
    if counts.insertions + counts.deletions > 0 {
        said.push(format!(
            "修订 {} 处（插入 {}、删除 {}，已全部接受）",
            counts.insertions + counts.deletions,
            counts.insertions,
            counts.deletions
        ));
    }
    if counts.hidden_runs > 0 {
        said.push(format!("隐藏文字 {} 处", counts.hidden_runs));
    }
    said.extend(removed);
    Ok(Cleaned {
        bytes: out,
        removed: said,
    })
}

fn count_comments(pkg: &mut Package, limits: &Limits) -> Result<usize, FileError> {
    let Some(xml) = pkg.read("word/comments.xml")? else {
        return Ok(0);
    };
    let mut r = PartReader::new("word/comments.xml", &xml, limits.max_xml_depth)?;
    let mut n = 0;
    loop {
        match r.next_event()? {
            Event::Eof => return Ok(n),
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "w:comment" => n += 1,
            _ => {}
        }
    }
}

/// What happens to an open element's end tag.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    Keep,
    Unwrap,
}

/// Rewrites one story part. Runs are buffered until their end, because
/// whether a run goes (it is hidden, or it is a comment's reference mark)
/// is only known from its properties and content.
fn clean_story(
    part: &str,
    xml: &[u8],
    limits: &Limits,
    counts: &mut Counts,
) -> Result<Vec<u8>, FileError> {
    let mut r = PartReader::new(part, xml, limits.max_xml_depth)?;
    let mut w = Writer::new(Vec::with_capacity(xml.len()));
    let mut open: Vec<Open> = Vec::new();
    let mut skipping = 0usize;
    // The run being buffered: its events, its depth, and what it holds.
    let mut run: Option<(Vec<Event<'static>>, usize)> = None;
    let (mut run_hidden, mut run_comment, mut in_rpr) = (false, false, false);
    let write = |w: &mut Writer<Vec<u8>>, ev: Event| {
        w.write_event(ev).map_err(|e| FileError::Malformed {
            part: part.to_owned(),
            detail: e.to_string(),
        })
    };
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
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name();
                let n = name.as_ref();
                let empty = matches!(ev, Event::Empty(_));
                if DROP_SUBTREE.contains(&n) || n == "w:moveToRangeEnd" {
                    match n {
                        "w:del" | "w:moveFrom" => counts.deletions += 1,
                        _ => {}
                    }
                    if !empty {
                        skipping = 1;
                    }
                    continue;
                }
                if UNWRAP.contains(&n) {
                    counts.insertions += 1;
                    if !empty {
                        open.push(Open::Unwrap);
                    }
                    continue;
                }
                if n == "w:r" && !empty && run.is_none() {
                    run = Some((Vec::new(), r.depth()));
                    run_hidden = false;
                    run_comment = false;
                }
                if run.is_some() {
                    match n {
                        "w:rPr" if !empty => in_rpr = true,
                        "w:vanish" if in_rpr && is_on(e) => run_hidden = true,
                        "w:commentReference" => run_comment = true,
                        _ => {}
                    }
                }
                if !empty {
                    open.push(Open::Keep);
                }
            }
            Event::End(e) => {
                if open.pop() == Some(Open::Unwrap) {
                    continue;
                }
                if e.name().as_ref() == "w:rPr" {
                    in_rpr = false;
                }
                let closes_run = e.name().as_ref() == "w:r"
                    && run.as_ref().is_some_and(|(_, d)| *d == r.depth() + 1);
                if closes_run && let Some((mut events, _)) = run.take() {
                    events.push(ev.into_owned());
                    if run_hidden {
                        counts.hidden_runs += 1;
                    } else if run_comment {
                        counts.comment_refs += 1;
                    } else {
                        for ev in events {
                            write(&mut w, ev)?;
                        }
                    }
                    continue;
                }
            }
            _ => {}
        }
        match &mut run {
            Some((events, _)) => events.push(ev.into_owned()),
            None => write(&mut w, ev)?,
        }
    }
    Ok(w.into_inner())
}
