//! Blocks to GitHub-flavoured Markdown: headings, paragraphs, nested
//! lists, tables, and footnote definitions at the end.

use std::collections::HashMap;

use super::ImportedImage;
use super::escape;
use super::inline::{self, InlineContext};
use super::model::{Block, Cell, NoteKind, NumRef, Paragraph, Table};
use super::notes::{Note, Notes};
use super::numbering::{ListKind, Numbering};
use super::parse::NoteBodies;
use super::styles::Styles;

pub(crate) struct Renderer<'r> {
    pub styles: &'r Styles,
    pub numbering: &'r Numbering,
    pub images: &'r [ImportedImage],
    pub note_bodies: &'r NoteBodies,
    pub notes: &'r mut Notes,
    /// Footnotes in the order first referenced; their number is the place.
    note_order: Vec<(NoteKind, String)>,
    list: ListState,
}

impl InlineContext for Renderer<'_> {
    fn images(&self) -> &[ImportedImage] {
        self.images
    }

    fn note_number(&mut self, kind: NoteKind, id: &str) -> Option<usize> {
        let key = (kind, id.to_owned());
        if !self.note_bodies.contains_key(&key) {
            return None;
        }
        if let Some(i) = self.note_order.iter().position(|k| *k == key) {
            return Some(i + 1);
        }
        self.note_order.push(key);
        Some(self.note_order.len())
    }
}

impl<'r> Renderer<'r> {
    pub(crate) fn new(
        styles: &'r Styles,
        numbering: &'r Numbering,
        images: &'r [ImportedImage],
        note_bodies: &'r NoteBodies,
        notes: &'r mut Notes,
    ) -> Renderer<'r> {
        Renderer {
            styles,
            numbering,
            images,
            note_bodies,
            notes,
            note_order: Vec::new(),
            list: ListState::default(),
        }
    }

    /// The whole document, ending in one newline.
    pub(crate) fn document(&mut self, blocks: &[Block]) -> String {
        let mut out = String::new();
        let mut last_was_item = false;
        for block in blocks {
            let Some((text, is_item)) = self.block(block) else {
                continue;
            };
            if !out.is_empty() {
                out.push_str(if last_was_item && is_item {
                    "\n"
                } else {
                    "\n\n"
                });
            }
            out.push_str(&text);
            last_was_item = is_item;
        }
        let definitions = self.footnote_definitions();
        if !definitions.is_empty() {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&definitions);
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }

    /// A block's Markdown and whether it is a list item; `None` for an
    /// empty paragraph (Word users make space with them).
    fn block(&mut self, block: &Block) -> Option<(String, bool)> {
        match block {
            Block::Paragraph(p) => self.paragraph(p),
            Block::Table(t) => {
                self.list.clear();
                self.table(t).map(|t| (t, false))
            }
        }
    }

    pub(crate) fn heading_level(&self, p: &Paragraph) -> Option<u8> {
        heading_level(self.styles, p)
    }

    fn paragraph(&mut self, p: &Paragraph) -> Option<(String, bool)> {
        if let Some(level) = self.heading_level(p) {
            let text = inline::render(&p.inlines, self, true);
            // A heading is one line after "# ": nothing in it can start a
            // block, so only the edges are trimmed.
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            self.list.clear();
            let hashes = "#".repeat(usize::from(level.min(6)));
            return Some((format!("{hashes} {text}"), false));
        }
        let text = inline::render(&p.inlines, self, false);
        let lines: Vec<String> = text
            .lines()
            .map(|l| escape::line_start(l.trim_end()))
            .collect();
        let text = lines.join("\n");
        if text.trim().is_empty() {
            return None;
        }
        let Some((num, kind)) = self.list_kind(p) else {
            self.list.clear();
            return Some((text, false));
        };
        let (indent, marker) = self.list.item(&num, kind);
        let continuation = format!("\n{}", " ".repeat(indent + marker.len()));
        let body = text.replace('\n', &continuation);
        Some((format!("{}{marker}{body}", " ".repeat(indent)), true))
    }

    fn list_kind(&mut self, p: &Paragraph) -> Option<(NumRef, ListKind)> {
        let num = p
            .num
            .clone()
            .or_else(|| p.style.as_deref().and_then(|s| self.styles.numbering(s)))?;
        let kind = self.numbering.kind(&num.num_id, num.level)?;
        if let ListKind::Ordered { arabic: false, .. } = kind {
            self.notes.add(Note::ListNumbers);
        }
        Some((num, kind))
    }

    /// A GFM table; the first row is the header (GFM has no headerless
    /// tables). Merged cells are split: the first keeps the text.
    fn table(&mut self, table: &Table) -> Option<String> {
        let rows: Vec<Vec<String>> = table.rows.iter().map(|r| self.row(r)).collect();
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        if width == 0 {
            return None;
        }
        let line = |cells: &[String]| {
            let mut padded: Vec<&str> = cells.iter().map(String::as_str).collect();
            padded.resize(width, "");
            format!("| {} |", padded.join(" | "))
        };
        let mut out = vec![line(&rows[0]), line(&vec!["---".to_owned(); width])];
        out.extend(rows[1..].iter().map(|r| line(r)));
        Some(out.join("\n"))
    }

    fn row(&mut self, cells: &[Cell]) -> Vec<String> {
        let mut out = Vec::new();
        for cell in cells {
            out.push(if cell.merged_from_above {
                String::new()
            } else {
                self.cell_text(&cell.blocks)
            });
            out.extend(std::iter::repeat_n(
                String::new(),
                cell.span.saturating_sub(1),
            ));
        }
        out
    }

    /// A cell on one line: its paragraphs joined by a space (GFM cells hold
    /// no blocks, and raw `<br>` would be removed by the renderer), nested
    /// tables flattened to their text.
    fn cell_text(&mut self, blocks: &[Block]) -> String {
        let mut parts: Vec<String> = Vec::new();
        for block in blocks {
            match block {
                Block::Paragraph(p) => parts.push(inline::render(&p.inlines, self, true)),
                Block::Table(t) => {
                    self.notes.add(Note::NestedTables);
                    for row in &t.rows {
                        for cell in row {
                            parts.push(self.cell_text(&cell.blocks));
                        }
                    }
                }
            }
        }
        let parts: Vec<&str> = parts
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect();
        parts.join(" ")
    }

    /// `[^1]: …` for every note referenced, in reference order (a note may
    /// reference another, which then joins the end of the list).
    fn footnote_definitions(&mut self) -> String {
        let mut lines = Vec::new();
        let mut i = 0;
        while i < self.note_order.len() {
            let key = self.note_order[i].clone();
            let blocks = self.note_bodies.get(&key).cloned().unwrap_or_default();
            let text = self.cell_text(&blocks);
            lines.push(format!("[^{}]: {}", i + 1, text));
            i += 1;
        }
        lines.join("\n")
    }
}

/// A paragraph's heading level: its own outline level (9 means body text),
/// else what its style chain says.
pub(crate) fn heading_level(styles: &Styles, p: &Paragraph) -> Option<u8> {
    if let Some(outline) = p.outline {
        return (outline < 9).then_some(outline + 1);
    }
    p.style.as_deref().and_then(|s| styles.heading_level(s))
}

/// Where the list is: the open levels and their content indents, and the
/// count of every numbered level (Word continues a count across paragraphs
/// that interrupt the list, so counts outlive a break in the list).
#[derive(Debug, Default)]
struct ListState {
    open: Vec<(u8, usize)>,
    counts: HashMap<(String, u8), u32>,
}

impl ListState {
    fn clear(&mut self) {
        self.open.clear();
    }

    /// The indent and marker of the next item at `num`'s level. Nesting in
    /// Markdown is by indenting to the parent's content, so a level's indent
    /// is its open parent's content column.
    fn item(&mut self, num: &NumRef, kind: ListKind) -> (usize, String) {
        while self.open.last().is_some_and(|(l, _)| *l >= num.level) {
            self.open.pop();
        }
        let indent = self.open.last().map_or(0, |(_, content)| *content);
        let marker = match kind {
            ListKind::Bullet => "- ".to_owned(),
            ListKind::Ordered { start, .. } => {
                let n = self
                    .counts
                    .entry((num.num_id.clone(), num.level))
                    .and_modify(|n| *n = n.saturating_add(1))
                    .or_insert(start);
                format!("{n}. ")
            }
        };
        self.counts
            .retain(|(id, level), _| id != &num.num_id || *level <= num.level);
        self.open.push((num.level, indent + marker.len()));
        (indent, marker)
    }
}
