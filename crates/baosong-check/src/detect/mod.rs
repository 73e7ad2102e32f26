//! The detectors. Each reads a [`FieldText`] and returns [`Hit`]s in the
//! coordinates of the prepared text; the engine maps them to the source.

pub mod checksums;
pub mod links;
pub mod marking;
pub mod mask;
pub mod norms;
pub mod pii;
pub mod regions;

use crate::finding::{Detector, Field, Message, Severity};
use crate::text::{Folded, Prepared};

/// One field's text in the views detectors need.
pub struct FieldText<'a> {
    pub field: Field,
    /// What a reader sees (Markdown reduced, see [`Prepared`]).
    pub prepared: &'a Prepared,
    /// `prepared` folded to half-width lower case.
    pub folded: &'a Folded<'a>,
}

impl FieldText<'_> {
    pub fn text(&self) -> &str {
        &self.prepared.text
    }

    /// Converts a folded byte offset to a prepared one.
    pub fn unfold(&self, i: usize) -> usize {
        self.folded.to_orig(i)
    }

    /// Up to `n` characters of folded text before byte `i`.
    pub fn before(&self, i: usize, n: usize) -> &str {
        let t = &self.folded.text[..i];
        let start = t
            .char_indices()
            .rev()
            .nth(n.saturating_sub(1))
            .map_or(0, |(k, _)| k);
        &t[start..]
    }

    /// Up to `n` characters of folded text from byte `i`.
    pub fn after(&self, i: usize, n: usize) -> &str {
        let t = &self.folded.text[i..];
        let end = t.char_indices().nth(n).map_or(t.len(), |(k, _)| k);
        &t[..end]
    }

    /// The folded line containing byte `i`, or at most [`LINE_WINDOW`]
    /// bytes of it either side (so long lines cost no more than short ones).
    pub fn line_of(&self, i: usize) -> &str {
        let (s, e) = line_bounds(&self.folded.text, i, i);
        &self.folded.text[s..e]
    }
}

/// How far line lookups search either side of a position.
pub const LINE_WINDOW: usize = 2048;

/// Start and end of the line around `s..e`, each looked for within
/// [`LINE_WINDOW`] bytes.
pub fn line_bounds(text: &str, s: usize, e: usize) -> (usize, usize) {
    let mut lo = s.saturating_sub(LINE_WINDOW);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let mut hi = (e + LINE_WINDOW).min(text.len());
    while !text.is_char_boundary(hi) {
        hi -= 1;
    }
    let start = text[lo..s].rfind('\n').map_or(lo, |k| lo + k + 1);
    let end = text[e..hi].find('\n').map_or(hi, |k| e + k);
    (start, end)
}

/// A detector's result, before positions are resolved.
#[derive(Debug, Clone)]
pub struct Hit {
    pub detector: Detector,
    pub rule: &'static str,
    pub severity: Severity,
    /// Prepared-text byte range.
    pub start: usize,
    pub end: usize,
    pub message: Message,
    pub suggestion: Option<String>,
}

/// Whether y-m-d is a calendar date.
pub fn valid_date(y: u32, m: u32, d: u32) -> bool {
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}
