//! Byte offsets → UTF-16 offsets, lines and columns, for many offsets in one
//! pass over the text.

use crate::finding::Span;

/// Where a byte offset is, in the other coordinate systems.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Point {
    utf16: u32,
    line: u32,
    column: u32,
}

/// Resolves a set of byte offsets of one text.
pub struct Positions {
    /// Sorted by offset, no duplicates.
    points: Vec<(usize, Point)>,
}

impl Positions {
    /// Resolves `offsets` (any order, duplicates allowed) in one sweep.
    pub fn resolve(text: &str, offsets: impl IntoIterator<Item = usize>) -> Positions {
        let mut offsets: Vec<usize> = offsets.into_iter().collect();
        offsets.sort_unstable();
        offsets.dedup();
        let mut points: Vec<(usize, Point)> =
            offsets.into_iter().map(|o| (o, Point::default())).collect();
        let mut cur = Point {
            utf16: 0,
            line: 1,
            column: 1,
        };
        let mut chars = text.char_indices().peekable();
        for (offset, point) in points.iter_mut() {
            let offset = *offset;
            while let Some(&(i, c)) = chars.peek() {
                if i >= offset {
                    break;
                }
                cur.utf16 += c.len_utf16() as u32;
                if c == '\n' {
                    cur.line += 1;
                    cur.column = 1;
                } else {
                    cur.column += 1;
                }
                chars.next();
            }
            *point = cur;
        }
        Positions { points }
    }

    fn point(&self, offset: usize) -> Point {
        self.points
            .binary_search_by_key(&offset, |&(o, _)| o)
            .map(|k| self.points[k].1)
            .unwrap_or_default()
    }

    pub fn span(&self, start: usize, end: usize) -> Span {
        let s = self.point(start);
        let e = self.point(end);
        Span {
            start: start as u32,
            end: end as u32,
            utf16_start: s.utf16,
            utf16_end: e.utf16,
            line: s.line,
            column: s.column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_lines_and_columns() {
        let text = "第一行\nab𠀀身份证";
        let start = text.find('身').unwrap();
        let p = Positions::resolve(text, [start, text.len(), 0]);
        let span = p.span(start, text.len());
        // 第一行\n = 4 UTF-16 units, ab = 2, 𠀀 = 2 (a surrogate pair).
        assert_eq!(span.utf16_start, 8);
        assert_eq!(span.utf16_end, 11);
        assert_eq!((span.line, span.column), (2, 4));
        assert_eq!(p.span(0, 0).line, 1);
    }
}
