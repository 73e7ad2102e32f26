//! Tables (`w:tbl`): rows of cells, each cell a list of blocks, with the
//! merges Word records (`w:gridSpan` across, `w:vMerge` down). Rows deleted
//! as a tracked change are dropped.

use super::model::{Cell, Table};
use super::notes::Note;
use super::parse::Parser;
use super::xml::{Node, XmlReader, attr, name};
use crate::FileError;

impl Parser<'_, '_> {
    pub(crate) fn table(&mut self, xml: &mut XmlReader<'_>) -> Result<Table, FileError> {
        let level = xml.depth();
        let mut table = Table::default();
        while xml.depth() >= level {
            let Node::Start(e) = xml.next()? else {
                continue;
            };
            match name(&e) {
                "w:tr" => {
                    if let Some(row) = self.row(xml)? {
                        table.rows.push(row);
                    }
                }
                "w:tblPr" | "w:tblGrid" | "mc:Fallback" => xml.skip()?,
                _ => {}
            }
        }
        Ok(table)
    }

    /// A row's cells; `None` for a row deleted as a tracked change.
    fn row(&mut self, xml: &mut XmlReader<'_>) -> Result<Option<Vec<Cell>>, FileError> {
        let level = xml.depth();
        let mut cells = Vec::new();
        let mut deleted = false;
        while xml.depth() >= level {
            let Node::Start(e) = xml.next()? else {
                continue;
            };
            match name(&e) {
                "w:trPr" => deleted = self.row_deleted(xml)?,
                "w:tc" => cells.push(self.cell(xml)?),
                "w:tblPrEx" | "mc:Fallback" => xml.skip()?,
                _ => {}
            }
        }
        Ok((!deleted).then_some(cells))
    }

    fn row_deleted(&mut self, xml: &mut XmlReader<'_>) -> Result<bool, FileError> {
        let level = xml.depth();
        let mut deleted = false;
        while xml.depth() >= level {
            let Node::Start(e) = xml.next()? else {
                continue;
            };
            match name(&e) {
                "w:del" => {
                    deleted = true;
                    self.notes.add(Note::TrackedChanges);
                }
                "w:ins" | "w:trPrChange" => self.notes.add(Note::TrackedChanges),
                _ => {}
            }
            xml.skip()?;
        }
        Ok(deleted)
    }

    fn cell(&mut self, xml: &mut XmlReader<'_>) -> Result<Cell, FileError> {
        let level = xml.depth();
        let mut cell = Cell {
            span: 1,
            ..Cell::default()
        };
        while xml.depth() >= level {
            let Node::Start(e) = xml.next()? else {
                continue;
            };
            if name(&e) == "w:tcPr" {
                self.cell_props(xml, &mut cell)?;
            } else {
                self.block_start(xml, name(&e), &mut cell.blocks)?;
            }
        }
        Ok(cell)
    }

    fn cell_props(&mut self, xml: &mut XmlReader<'_>, cell: &mut Cell) -> Result<(), FileError> {
        let level = xml.depth();
        while xml.depth() >= level {
            let Node::Start(e) = xml.next()? else {
                continue;
            };
            match name(&e) {
                "w:gridSpan" => {
                    let span = attr(&e, "w:val").and_then(|v| v.parse::<usize>().ok());
                    // A span wider than any real table is a broken file; it
                    // must not make the Markdown huge.
                    cell.span = span.unwrap_or(1).clamp(1, MAX_SPAN);
                }
                // No value means "continue the merge from above".
                "w:vMerge" | "w:hMerge" => {
                    cell.merged_from_above = attr(&e, "w:val").is_none_or(|v| v == "continue");
                }
                "w:tcPrChange" => {
                    self.notes.add(Note::TrackedChanges);
                    xml.skip()?;
                }
                _ => {}
            }
        }
        if cell.span > 1 || cell.merged_from_above {
            self.notes.add(Note::MergedCells);
        }
        Ok(())
    }
}

/// Word allows 63 columns.
const MAX_SPAN: usize = 64;
