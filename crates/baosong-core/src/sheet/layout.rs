//! Page layout of the sheet: text wrapped to cell widths, rows of a bordered
//! two-column table that continue on a new page when they do not fit, and
//! the footer on every page. The layout produces plain drawing operations;
//! `draw` turns them into PDF pages, so the flow can be reasoned about (and
//! tested) without a PDF.

use krilla::Document;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};

use super::font::Metrics;

/// A4 in PostScript points.
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 48.0;
const TOP: f32 = 56.0;
/// Rows stop here; the footer lives below.
const BOTTOM: f32 = PAGE_H - 78.0;
const TABLE_W: f32 = PAGE_W - 2.0 * MARGIN_X;
const LABEL_W: f32 = 96.0;
/// Labels of the two-pair rows.
const PAIR_LABEL_W: f32 = 78.0;
const PAD: f32 = 4.0;
pub const BODY_SIZE: f32 = 9.5;
const LINE_H: f32 = 13.5;
/// From a line's top to its baseline, at the body size.
const BASELINE: f32 = 10.2;

/// A cell: left edge, width, and its wrapped lines.
type Cell = (f32, f32, Vec<String>);

/// One drawing operation, in points from the top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
}

/// Lays the sheet out page by page.
pub struct Layout<'m, 'f> {
    metrics: &'m Metrics<'f>,
    pages: Vec<Vec<Op>>,
    y: f32,
    continued: String,
}

impl<'m, 'f> Layout<'m, 'f> {
    /// `continued` heads every page after the first (e.g. "审批单（续）").
    pub fn new(metrics: &'m Metrics<'f>, continued: &str) -> Self {
        Layout {
            metrics,
            pages: vec![Vec::new()],
            y: TOP,
            continued: continued.to_string(),
        }
    }

    fn push(&mut self, op: Op) {
        match self.pages.last_mut() {
            Some(page) => page.push(op),
            None => self.pages.push(vec![op]),
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
        let text = self.continued.clone();
        self.push(Op::Text {
            x: MARGIN_X,
            y: self.y - 14.0,
            size: 8.0,
            text,
        });
    }

    /// Centred lines (the form's title), wrapped to the page width.
    pub fn heading(&mut self, text: &str, size: f32) {
        let line_h = size * 1.45;
        for line in wrap(self.metrics, text, size, TABLE_W) {
            if self.y + line_h > BOTTOM {
                self.new_page();
            }
            let w = self.metrics.width(&line, size);
            self.push(Op::Text {
                x: MARGIN_X + ((TABLE_W - w) / 2.0).max(0.0),
                y: self.y + size,
                size,
                text: line,
            });
            self.y += line_h;
        }
    }

    /// A line of small print above the table (number, revision, state).
    pub fn note(&mut self, text: &str) {
        let size = 9.0;
        for line in wrap(self.metrics, text, size, TABLE_W) {
            if self.y + LINE_H > BOTTOM {
                self.new_page();
            }
            self.push(Op::Text {
                x: MARGIN_X,
                y: self.y + BASELINE,
                size,
                text: line,
            });
            self.y += LINE_H;
        }
        self.y += 4.0;
    }

    /// A row spanning the table: a section heading.
    pub fn section(&mut self, text: &str) {
        let cell = self.cell(MARGIN_X, TABLE_W, text);
        self.cells(&[cell], 1);
    }

    /// A row of the table: a label and its value, each wrapped in its cell.
    pub fn row(&mut self, label: &str, value: &str) {
        let value_w = TABLE_W - LABEL_W;
        let cells = [
            self.cell(MARGIN_X, LABEL_W, label),
            self.cell(MARGIN_X + LABEL_W, value_w, value),
        ];
        self.cells(&cells, 1);
    }

    /// A row with two label–value pairs side by side (short facts).
    pub fn pair(&mut self, left: (&str, &str), right: (&str, &str)) {
        let cells = self.pair_cells(left, right);
        self.cells(&cells, 1);
    }

    /// Two empty fields for handwriting (signatures), `lines` lines tall.
    pub fn blank_pair(&mut self, left: &str, right: &str, lines: usize) {
        let cells = self.pair_cells((left, ""), (right, ""));
        self.cells(&cells, lines);
    }

    fn pair_cells(&self, left: (&str, &str), right: (&str, &str)) -> [Cell; 4] {
        let value_w = (TABLE_W - 2.0 * PAIR_LABEL_W) / 2.0;
        let mid = MARGIN_X + PAIR_LABEL_W + value_w;
        [
            self.cell(MARGIN_X, PAIR_LABEL_W, left.0),
            self.cell(MARGIN_X + PAIR_LABEL_W, value_w, left.1),
            self.cell(mid, PAIR_LABEL_W, right.0),
            self.cell(mid + PAIR_LABEL_W, value_w, right.1),
        ]
    }

    fn cell(&self, x: f32, w: f32, text: &str) -> Cell {
        (x, w, wrap(self.metrics, text, BODY_SIZE, w - 2.0 * PAD))
    }

    /// Draws bordered cells side by side, as many lines per page as fit; the
    /// rest continue on the next page (a cell is never cut mid-line and
    /// never runs over the footer).
    fn cells(&mut self, cells: &[Cell], min_lines: usize) {
        let total = cells
            .iter()
            .map(|c| c.2.len())
            .max()
            .unwrap_or(0)
            .max(min_lines.max(1));
        let mut done = 0;
        while done < total {
            let room = ((BOTTOM - self.y - 2.0 * PAD) / LINE_H).floor();
            if room < 1.0 {
                self.new_page();
                continue;
            }
            let n = (room as usize).min(total - done);
            let top = self.y;
            let bottom = top + 2.0 * PAD + n as f32 * LINE_H;
            for (x, w, lines) in cells {
                for (k, line) in lines.iter().skip(done).take(n).enumerate() {
                    let y = top + PAD + k as f32 * LINE_H + BASELINE;
                    self.push(Op::Text {
                        x: x + PAD,
                        y,
                        size: BODY_SIZE,
                        text: line.clone(),
                    });
                }
                self.rect(*x, top, x + w, bottom);
            }
            self.y = bottom;
            done += n;
            if done < total {
                self.new_page();
            }
        }
    }

    fn rect(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        let width = 0.6;
        for (ax, ay, bx, by) in [
            (x1, y1, x2, y1),
            (x2, y1, x2, y2),
            (x2, y2, x1, y2),
            (x1, y2, x1, y1),
        ] {
            self.push(Op::Line {
                x1: ax,
                y1: ay,
                x2: bx,
                y2: by,
                width,
            });
        }
    }

    /// The pages, each with the footer lines `footer(page, pages)` gives.
    pub fn finish(mut self, footer: impl Fn(usize, usize) -> Vec<String>) -> Vec<Vec<Op>> {
        let pages = self.pages.len();
        for (i, ops) in self.pages.iter_mut().enumerate() {
            let mut y = BOTTOM + 22.0;
            for line in footer(i + 1, pages) {
                for part in wrap(self.metrics, &line, 7.5, TABLE_W) {
                    ops.push(Op::Text {
                        x: MARGIN_X,
                        y,
                        size: 7.5,
                        text: part,
                    });
                    y += 11.0;
                }
            }
        }
        self.pages
    }
}

/// Splits `text` into lines no wider than `width` at `size`: at line breaks
/// in the text, between any two Chinese characters, and between words of
/// Latin text where it has spaces. Control characters become spaces. A
/// single character wider than the cell still gets a line of its own.
pub fn wrap(metrics: &Metrics<'_>, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut w = 0.0;
        for c in paragraph.chars() {
            let c = if c.is_control() { ' ' } else { c };
            let cw = metrics.advance(c) * size;
            if w + cw > width && !line.is_empty() {
                let carry = word_tail(&line, c);
                line.truncate(line.len() - carry.len());
                out.push(line.trim_end().to_string());
                w = metrics.width(&carry, size);
                line = carry;
            }
            line.push(c);
            w += cw;
        }
        out.push(line.trim_end().to_string());
    }
    out
}

/// When a Latin word would be cut, the part of it already on the line, to
/// move to the next one; empty when breaking here is fine.
fn word_tail(line: &str, next: char) -> String {
    let latin = |c: char| c.is_ascii_alphanumeric() || "-_./:%@".contains(c);
    if !latin(next) {
        return String::new();
    }
    let tail: String = {
        let rev: Vec<char> = line.chars().rev().take_while(|c| latin(*c)).collect();
        rev.into_iter().rev().collect()
    };
    // A word as long as the line is cut anyway; there is nowhere better.
    if tail.len() == line.len() || tail.chars().count() > 24 {
        String::new()
    } else {
        tail
    }
}

/// Turns laid-out pages into a PDF document.
pub fn draw(document: &mut Document, font: &Font, pages: &[Vec<Op>]) {
    for ops in pages {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H).unwrap_or_default();
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        surface.set_fill(Some(Fill {
            paint: luma::Color::black().into(),
            opacity: NormalizedF32::ONE,
            rule: Default::default(),
        }));
        for op in ops {
            match op {
                Op::Text { x, y, size, text } => {
                    if text.is_empty() {
                        continue;
                    }
                    surface.draw_text(
                        Point::from_xy(*x, *y),
                        font.clone(),
                        *size,
                        text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Op::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(*x1, *y1);
                    pb.line_to(*x2, *y2);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            width: *width,
                            ..Default::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill::default()));
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
}
