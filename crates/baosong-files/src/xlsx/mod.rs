//! Spreadsheets (.xlsx, also WPS .et saved as xlsx): the text people see,
//! and what they do not — hidden sheets, hidden rows and columns, comments,
//! pivot caches and the document's properties. A phone list in a hidden
//! sheet is the classic leak; so is the copy of its source data that a
//! pivot table keeps. [`clean_xlsx`] writes a copy without comments and
//! personal properties; hidden sheets and cells are left to a person
//! (deleting data is a decision about meaning).
//!
//! - `workbook`: sheets (names, hidden state, parts) and shared strings;
//! - `sheet`: one worksheet's cells and hidden rows/columns;
//! - `comments`: legacy and threaded comments;
//! - `pivot`: the copy of source data pivot tables keep;
//! - `rels`: relationship parts;
//! - `clean`: the copy without comments and personal properties.

mod clean;
mod comments;
mod pivot;
mod rels;
mod sheet;
mod workbook;

use baosong_check::{DocumentScan, PartKind, TextPart};

use crate::package::Package;
use crate::props::scan_properties;
use crate::{FileError, Limits};

pub use clean::clean_xlsx;

/// Scans a workbook's visible and hidden text.
pub fn scan_xlsx(bytes: &[u8], limits: &Limits) -> Result<DocumentScan, FileError> {
    let mut pkg = Package::open(bytes, "xlsx", limits)?;
    let shared = workbook::shared_strings(&mut pkg)?;
    let mut scan = DocumentScan::default();
    for sheet in workbook::sheets(&mut pkg)? {
        pkg.deadline.check()?;
        let data = sheet::read(&mut pkg, &sheet.part, &shared)?;
        scan.parts.extend(sheet_parts(&sheet, &data));
        let rels = rels::read(&mut pkg, &sheet.part)?;
        scan.parts
            .extend(comments::read(&mut pkg, &sheet.name, &rels)?);
    }
    scan.parts.extend(pivot::read(&mut pkg)?);
    scan.parts.extend(scan_properties(&mut pkg)?);
    Ok(scan)
}

/// A sheet's text: one part for what shows, one per hidden row and column
/// that holds anything, or one for a whole hidden sheet.
fn sheet_parts(sheet: &workbook::Sheet, data: &sheet::SheetData) -> Vec<TextPart> {
    let part = |kind, location: String, text: String| TextPart {
        kind,
        location,
        text,
    };
    let mut out = Vec::new();
    if sheet.hidden {
        let text = sheet::text_of(data.cells.iter());
        if !text.is_empty() {
            out.push(part(PartKind::HiddenSheet, sheet.name.clone(), text));
        }
        return out;
    }
    let row_hidden = |c: &sheet::Cell| data.hidden_rows.contains(&c.row);
    let visible = sheet::text_of(
        data.cells
            .iter()
            .filter(|c| !row_hidden(c) && !data.col_hidden(c.col)),
    );
    if !visible.is_empty() {
        out.push(part(PartKind::Visible, sheet.name.clone(), visible));
    }
    for row in &data.hidden_rows {
        let text = sheet::text_of(data.cells.iter().filter(|c| c.row == *row));
        if !text.is_empty() {
            out.push(part(
                PartKind::HiddenCells,
                format!("{} 第 {row} 行", sheet.name),
                text,
            ));
        }
    }
    let mut cols: Vec<u32> = data
        .cells
        .iter()
        .filter(|c| !row_hidden(c) && data.col_hidden(c.col))
        .map(|c| c.col)
        .collect();
    cols.sort_unstable();
    cols.dedup();
    for col in cols {
        let cells: Vec<&sheet::Cell> = data
            .cells
            .iter()
            .filter(|c| c.col == col && !row_hidden(c))
            .collect();
        let text = cells
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        out.push(part(
            PartKind::HiddenCells,
            format!("{} {} 列", sheet.name, sheet::col_name(col)),
            text,
        ));
    }
    out
}
