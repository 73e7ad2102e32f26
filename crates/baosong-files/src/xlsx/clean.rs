//! A copy of a workbook without comments and personal properties, written
//! with the crate's package writer ([`crate::clean::write_package`]): parts
//! that need no change are copied raw, and relationships and content-type
//! overrides pointing at dropped parts go with them.
//!
//! Dropped: comment parts (legacy and threaded), the VML drawings that show
//! them, the people list of threaded comments, custom properties. Rewritten:
//! the sheets' `legacyDrawing` reference to a dropped drawing (Excel
//! "repairs" a file with a dangling one) and the core/app properties, whose
//! author, last modified by, company and manager are emptied.

use std::collections::{BTreeMap, BTreeSet};

use super::rels::{self, Rel, rels_name};
use super::{comments, workbook};
use crate::clean::{Cleaned, PartPlan, blank_elements, write_package};
use crate::package::Package;
use crate::props::{APP, CORE, CUSTOM, PERSONAL};
use crate::xmlfilter::{Action, filter_xml};
use crate::xmlread::{attr, local_name};
use crate::{FileError, Limits};

/// What the copy leaves out or rewrites.
#[derive(Default)]
struct Plan {
    /// Parts not copied.
    drop_parts: BTreeSet<String>,
    /// `legacyDrawing` ids to remove, by sheet part.
    drop_drawings: BTreeMap<String, BTreeSet<String>>,
    removed: Vec<String>,
}

impl Plan {
    fn drop_target(&mut self, rel: &Rel) {
        self.drop_parts.insert(rel.target.clone());
        // A dropped part's own relationships go with it.
        self.drop_parts.insert(rels_name(&rel.target));
    }
}

pub fn clean_xlsx(bytes: &[u8], limits: &Limits) -> Result<Cleaned, FileError> {
    let mut pkg = Package::open(bytes, "xlsx", limits)?;
    let plan = plan(&mut pkg)?;
    let mut removed = plan.removed.clone();
    let personal: Vec<&str> = PERSONAL.iter().map(|(n, _)| *n).collect();
    let depth = limits.max_xml_depth;
    let bytes = write_package(&mut pkg, |name, pkg| {
        if plan.drop_parts.contains(name) {
            return Ok(PartPlan::Drop);
        }
        if let Some(ids) = plan.drop_drawings.get(name) {
            let xml = pkg.read_text(name)?.unwrap_or_default();
            let out = filter_xml(&xml, name, depth, pkg.deadline, |e| {
                let dangling = local_name(e) == "legacyDrawing"
                    && attr(e, "id").is_some_and(|id| ids.contains(&id));
                if dangling { Action::Drop } else { Action::Keep }
            })?;
            return Ok(PartPlan::Rewrite(out));
        }
        if name == CORE || name == APP {
            let xml = pkg.require(name)?;
            let (out, blanked) = blank_elements(name, &xml, &personal, depth)?;
            for n in blanked {
                if let Some((_, label)) = PERSONAL.iter().find(|(p, _)| *p == n) {
                    removed.push((*label).to_owned());
                }
            }
            return Ok(PartPlan::Rewrite(out));
        }
        Ok(PartPlan::Copy)
    })?;
    Ok(Cleaned { bytes, removed })
}

fn plan(pkg: &mut Package) -> Result<Plan, FileError> {
    let mut plan = Plan::default();
    let mut count = 0usize;
    for sheet in workbook::sheets(pkg)? {
        let rels = rels::read(pkg, &sheet.part)?;
        let is_comments = |r: &Rel| r.is(comments::COMMENTS) || r.is(comments::THREADED);
        if !rels.iter().any(is_comments) {
            continue;
        }
        count += comments::read(pkg, &sheet.name, &rels)?.len();
        for rel in rels.iter().filter(|r| !r.external) {
            if is_comments(rel) {
                plan.drop_target(rel);
            }
            if rel.is("vmlDrawing") {
                plan.drop_target(rel);
                plan.drop_drawings
                    .entry(sheet.part.clone())
                    .or_default()
                    .insert(rel.id.clone());
            }
        }
    }
    if count > 0 {
        plan.removed.push(format!("批注 {count} 条"));
    }
    // The people who wrote threaded comments.
    for rel in rels::read(pkg, workbook::WORKBOOK)? {
        if rel.is("person") {
            plan.drop_target(&rel);
        }
    }
    if pkg.contains(CUSTOM) {
        plan.drop_parts.insert(CUSTOM.to_owned());
        plan.removed.push("自定义属性".to_owned());
    }
    Ok(plan)
}
