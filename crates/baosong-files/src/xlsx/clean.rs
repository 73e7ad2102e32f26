//! A copy of a workbook without comments and personal properties. Parts
//! that need no change are copied raw (still compressed, byte for byte);
//! only the parts that mention what was removed are rewritten.
//!
//! Removed: comment parts (legacy and threaded), the VML drawings that show
//! them, the people list of threaded comments, custom properties; with them
//! their relationships, content-type overrides and the sheets'
//! `legacyDrawing` references (Excel "repairs" a file with a dangling one).
//! Emptied: author, last modified by, company, manager.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::rels::{self, Rel, rels_name};
use super::{comments, workbook};
use crate::package::Package;
use crate::props::{self, APP, CORE, CUSTOM};
use crate::xmlfilter::{Action, filter_xml};
use crate::xmlread::{attr, local_name};
use crate::{FileError, Limits};

/// The cleaned file, and what was removed (Chinese labels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    pub bytes: Vec<u8>,
    pub removed: Vec<String>,
}

/// What the copy leaves out or rewrites.
#[derive(Default)]
struct Plan {
    /// Parts not copied.
    drop_parts: BTreeSet<String>,
    /// Relationship ids to remove, by rels part.
    drop_rels: BTreeMap<String, BTreeSet<String>>,
    /// `legacyDrawing` ids to remove, by sheet part.
    drop_drawings: BTreeMap<String, BTreeSet<String>>,
    removed: Vec<String>,
}

impl Plan {
    fn drop_rel(&mut self, source: &str, rel: &Rel) {
        self.drop_rels
            .entry(rels_name(source))
            .or_default()
            .insert(rel.id.clone());
        self.drop_parts.insert(rel.target.clone());
        // A removed part's own relationships go with it.
        self.drop_parts.insert(rels_name(&rel.target));
    }
}

pub fn clean_xlsx(bytes: &[u8], limits: &Limits) -> Result<Cleaned, FileError> {
    let mut pkg = Package::open(bytes, "xlsx", limits)?;
    let plan = plan(&mut pkg)?;
    let bytes = write(&mut pkg, &plan)?;
    Ok(Cleaned {
        bytes,
        removed: plan.removed,
    })
}

fn plan(pkg: &mut Package) -> Result<Plan, FileError> {
    let mut plan = Plan::default();
    let mut count = 0usize;
    for sheet in workbook::sheets(pkg)? {
        let rels = rels::read(pkg, &sheet.part)?;
        let found = comments::read(pkg, &sheet.name, &rels)?.len();
        let has_comments = rels
            .iter()
            .any(|r| r.is(comments::COMMENTS) || r.is(comments::THREADED));
        if !has_comments {
            continue;
        }
        count += found;
        for rel in rels.iter().filter(|r| !r.external) {
            if rel.is(comments::COMMENTS) || rel.is(comments::THREADED) || rel.is("vmlDrawing") {
                plan.drop_rel(&sheet.part, rel);
            }
            if rel.is("vmlDrawing") {
                plan.drop_drawings
                    .entry(sheet.part.clone())
                    .or_default()
                    .insert(rel.id.clone());
            }
        }
    }
    if count > 0 {
        plan.removed.push(format!("批注（{count} 条）"));
    }
    // The people who wrote threaded comments.
    for rel in rels::read(pkg, workbook::WORKBOOK)? {
        if rel.is("person") {
            plan.drop_rel(workbook::WORKBOOK, &rel);
        }
    }
    for rel in rels::read(pkg, "")? {
        if rel.is(props::CUSTOM_REL_TYPE) {
            plan.drop_rel("", &rel);
        }
    }
    for p in props::scan_properties(pkg)? {
        if p.kind == baosong_check::PartKind::PersonalProperty
            && !plan.removed.contains(&p.location)
        {
            plan.removed.push(p.location);
        }
    }
    // Parts that are dropped but not (validly) referenced are still dropped.
    if pkg.contains(CUSTOM) {
        plan.drop_parts.insert(CUSTOM.to_owned());
    }
    Ok(plan)
}

fn write(pkg: &mut Package, plan: &Plan) -> Result<Vec<u8>, FileError> {
    let names = pkg.names();
    let max_depth = pkg.limits().max_xml_depth;
    let deadline = pkg.deadline;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let zip_err = |e: zip::result::ZipError| FileError::Malformed {
        part: "(zip)".into(),
        detail: e.to_string(),
    };
    for (index, name) in names.iter().enumerate() {
        deadline.check()?;
        if plan.drop_parts.contains(name) {
            continue;
        }
        let rewritten = match rewrite_rule(name, plan) {
            None if name == CORE || name == APP => props::without_personal(pkg, name)?,
            None => None,
            Some(rule) => {
                let xml = pkg.read_text(name)?.unwrap_or_default();
                Some(filter_xml(&xml, name, max_depth, deadline, |e| {
                    rule.decide(e)
                })?)
            }
        };
        match rewritten {
            Some(data) => {
                let options =
                    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
                out.start_file(name.as_str(), options).map_err(zip_err)?;
                out.write_all(&data).map_err(|e| FileError::Malformed {
                    part: name.clone(),
                    detail: e.to_string(),
                })?;
            }
            None => {
                let file = pkg.archive().by_index_raw(index).map_err(zip_err)?;
                out.raw_copy_file(file).map_err(zip_err)?;
            }
        }
    }
    Ok(out.finish().map_err(zip_err)?.into_inner())
}

/// How a part is rewritten, if it is.
enum Rule<'p> {
    ContentTypes(&'p BTreeSet<String>),
    Rels(&'p BTreeSet<String>),
    Sheet(&'p BTreeSet<String>),
}

impl Rule<'_> {
    fn decide(&self, e: &quick_xml::events::BytesStart<'_>) -> Action {
        let name = local_name(e);
        let drop_if = |yes: bool| if yes { Action::Drop } else { Action::Keep };
        match self {
            Rule::ContentTypes(parts) => drop_if(
                name == "Override"
                    && attr(e, "PartName")
                        .is_some_and(|p| parts.contains(p.trim_start_matches('/'))),
            ),
            Rule::Rels(ids) => {
                drop_if(name == "Relationship" && attr(e, "Id").is_some_and(|id| ids.contains(&id)))
            }
            Rule::Sheet(ids) => drop_if(
                name == "legacyDrawing" && attr(e, "id").is_some_and(|id| ids.contains(&id)),
            ),
        }
    }
}

fn rewrite_rule<'p>(name: &str, plan: &'p Plan) -> Option<Rule<'p>> {
    if name == "[Content_Types].xml" {
        return Some(Rule::ContentTypes(&plan.drop_parts));
    }
    if let Some(ids) = plan.drop_rels.get(name) {
        return Some(Rule::Rels(ids));
    }
    if let Some(ids) = plan.drop_drawings.get(name) {
        return Some(Rule::Sheet(ids));
    }
    None
}
