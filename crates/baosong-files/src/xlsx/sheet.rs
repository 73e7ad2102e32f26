//! One worksheet's cells, streamed: the text of each cell, and which rows
//! and columns are hidden.

use std::collections::BTreeSet;

use quick_xml::events::{BytesStart, Event};

use crate::FileError;
use crate::package::Package;
use crate::xmlread::{XmlReader, attr, event_text, local_name};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cell {
    /// 1-based, as Excel shows them.
    pub row: u32,
    pub col: u32,
    pub text: String,
}

#[derive(Debug, Default)]
pub(crate) struct SheetData {
    pub cells: Vec<Cell>,
    pub hidden_rows: BTreeSet<u32>,
    /// Inclusive column ranges marked hidden.
    pub hidden_cols: Vec<(u32, u32)>,
}

impl SheetData {
    pub fn col_hidden(&self, col: u32) -> bool {
        self.hidden_cols
            .iter()
            .any(|&(a, b)| (a..=b).contains(&col))
    }
}

/// What is being read inside a cell.
#[derive(Default)]
struct CellState {
    row: u32,
    col: u32,
    kind: String,
    text: String,
    /// Inside `<v>` or an inline string's `<t>`.
    in_value: bool,
    in_phonetic: bool,
}

pub(crate) fn read(
    pkg: &mut Package,
    part: &str,
    shared: &[String],
) -> Result<SheetData, FileError> {
    let xml = pkg.read_text(part)?.ok_or_else(|| FileError::MissingPart {
        part: part.to_owned(),
        expected: "xlsx",
    })?;
    let mut reader = XmlReader::new(&xml, part, pkg.limits().max_xml_depth, Some(pkg.deadline));
    let mut data = SheetData::default();
    let mut row: u32 = 0;
    let mut col: u32 = 0;
    let mut cell: Option<CellState> = None;
    loop {
        let event = reader.next()?;
        match &event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match local_name(e).as_str() {
                "col" if is_true(e, "hidden") => data.hidden_cols.push(col_range(e)),
                "row" => {
                    row = attr(e, "r").and_then(|r| r.parse().ok()).unwrap_or(row + 1);
                    col = 0;
                    if is_true(e, "hidden") {
                        data.hidden_rows.insert(row);
                    }
                }
                "c" => {
                    let (r, c) = attr(e, "r")
                        .and_then(|r| cell_ref(&r))
                        .unwrap_or((row, col + 1));
                    col = c;
                    if matches!(event, Event::Start(_)) {
                        cell = Some(CellState {
                            row: r,
                            col: c,
                            kind: attr(e, "t").unwrap_or_default(),
                            ..CellState::default()
                        });
                    }
                }
                "v" | "t" => {
                    if let Some(c) = cell.as_mut() {
                        c.in_value = true;
                    }
                }
                "rPh" => {
                    if let Some(c) = cell.as_mut() {
                        c.in_phonetic = true;
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "v" | "t" => {
                    if let Some(c) = cell.as_mut() {
                        c.in_value = false;
                    }
                }
                "rPh" => {
                    if let Some(c) = cell.as_mut() {
                        c.in_phonetic = false;
                    }
                }
                "c" => {
                    if let Some(c) = cell.take() {
                        push_cell(&mut data, c, shared);
                    }
                }
                _ => {}
            },
            _ => {
                if let Some(c) = cell.as_mut()
                    && c.in_value
                    && !c.in_phonetic
                    && let Some(text) = event_text(&event)
                {
                    c.text.push_str(&text);
                }
            }
        }
    }
    Ok(data)
}

fn push_cell(data: &mut SheetData, c: CellState, shared: &[String]) {
    let text = match c.kind.as_str() {
        // A shared string: the value is its index.
        "s" => c
            .text
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|i| shared.get(i))
            .cloned()
            .unwrap_or_default(),
        _ => c.text,
    };
    if !text.trim().is_empty() {
        data.cells.push(Cell {
            row: c.row,
            col: c.col,
            text,
        });
    }
}

fn is_true(e: &BytesStart<'_>, name: &str) -> bool {
    matches!(attr(e, name).as_deref(), Some("1" | "true"))
}

fn col_range(e: &BytesStart<'_>) -> (u32, u32) {
    let min = attr(e, "min").and_then(|v| v.parse().ok()).unwrap_or(1);
    let max = attr(e, "max").and_then(|v| v.parse().ok()).unwrap_or(min);
    (min, max)
}

/// `C5` → (5, 3).
pub(crate) fn cell_ref(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let col = letters.bytes().try_fold(0u32, |acc, b| {
        b.is_ascii_alphabetic()
            .then(|| acc * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1))
    })?;
    Some((digits.parse().ok()?, col))
}

/// 3 → `C`, 28 → `AB`.
pub(crate) fn col_name(mut col: u32) -> String {
    let mut out = Vec::new();
    while col > 0 {
        let rem = (col - 1) % 26;
        out.push(b'A' + rem as u8);
        col = (col - 1) / 26;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

/// Cells as text: a tab between cells of a row, a line per row.
pub(crate) fn text_of<'a>(cells: impl Iterator<Item = &'a Cell>) -> String {
    let mut out = String::new();
    let mut last_row = None;
    for c in cells {
        match last_row {
            Some(r) if r == c.row => out.push('\t'),
            Some(_) => out.push('\n'),
            None => {}
        }
        out.push_str(&c.text);
        last_row = Some(c.row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_ref("C5"), Some((5, 3)));
        assert_eq!(cell_ref("AB12"), Some((12, 28)));
        assert_eq!(cell_ref("5"), None);
        assert_eq!(col_name(3), "C");
        assert_eq!(col_name(28), "AB");
        assert_eq!(col_name(26), "Z");
    }
}
