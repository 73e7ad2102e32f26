//! Inline pieces to Markdown: text with emphasis, links, images, footnote
//! references, breaks.

use super::ImportedImage;
use super::escape;
use super::model::{Format, Inline, NoteKind};

/// What rendering inline pieces needs from the document as a whole.
pub(crate) trait InlineContext {
    fn images(&self) -> &[ImportedImage];
    /// The footnote number for a reference, or `None` when the note does
    /// not exist (the reference is then dropped).
    fn note_number(&mut self, kind: NoteKind, id: &str) -> Option<usize>;
}

/// Renders `inlines`. With `single_line` (headings, table cells, footnote
/// definitions) a line break becomes a space.
pub(crate) fn render(inlines: &[Inline], ctx: &mut dyn InlineContext, single_line: bool) -> String {
    let mut out = String::new();
    let mut texts: Vec<(Format, String)> = Vec::new();
    for inline in trim_breaks(inlines) {
        if let Inline::Text { text, format } = inline {
            texts.push((*format, text.clone()));
            continue;
        }
        emit_texts(&std::mem::take(&mut texts), &mut out);
        match inline {
            Inline::Text { .. } => {}
            Inline::Tab => out.push(if single_line { ' ' } else { '\t' }),
            Inline::Break if single_line => out.push(' '),
            Inline::Break => {
                // A backslash before the newline is a visible hard break
                // that editors do not strip, unlike two trailing spaces.
                if !out.ends_with("\\\n") {
                    out.push_str("\\\n");
                }
            }
            Inline::Image { index, alt } => {
                if let Some(image) = ctx.images().get(*index) {
                    let sha = image.sha256.clone();
                    out.push_str(&format!("![{}](attachment:{sha})", escape::inline(alt)));
                }
            }
            Inline::NoteRef { kind, id } => {
                if let Some(n) = ctx.note_number(*kind, id) {
                    out.push_str(&format!("[^{n}]"));
                }
            }
            Inline::Link { url, children } => {
                let text = render(children, ctx, true);
                if !text.trim().is_empty() {
                    out.push_str(&format!("[{}]({})", text.trim(), escape::url(url)));
                }
            }
        }
    }
    emit_texts(&texts, &mut out);
    out
}

/// Leading and trailing breaks would make empty lines or a dangling
/// backslash; they carry nothing.
fn trim_breaks(inlines: &[Inline]) -> &[Inline] {
    let is_break = |i: &Inline| matches!(i, Inline::Break | Inline::Tab);
    let start = inlines
        .iter()
        .position(|i| !is_break(i))
        .unwrap_or(inlines.len());
    let end = inlines
        .iter()
        .rposition(|i| !is_break(i))
        .map_or(start, |e| e + 1);
    &inlines[start..end]
}

/// Consecutive text pieces: same-format neighbours merged, each emphasised
/// group wrapped in markers with its edge spaces and punctuation moved
/// outside (so the markers are always recognised, also next to Chinese
/// punctuation).
fn emit_texts(texts: &[(Format, String)], out: &mut String) {
    for (format, text) in merge(texts) {
        if format == Format::default() {
            out.push_str(&escape::inline(&text));
            continue;
        }
        let core_start = text.find(|c| !escape::is_boundary(c)).unwrap_or(text.len());
        let core_end = text
            .rfind(|c| !escape::is_boundary(c))
            .map_or(core_start, |i| {
                i + text[i..].chars().next().map_or(1, char::len_utf8)
            });
        if core_start >= core_end {
            out.push_str(&escape::inline(&text));
            continue;
        }
        let marker = match (format.bold, format.italic) {
            (true, true) => "***",
            (true, false) => "**",
            _ => "*",
        };
        out.push_str(&escape::inline(&text[..core_start]));
        out.push_str(marker);
        out.push_str(&escape::inline(&text[core_start..core_end]));
        out.push_str(marker);
        out.push_str(&escape::inline(&text[core_end..]));
    }
}

/// Merges neighbours with the same format; and two emphasised neighbours
/// that would touch without a space or punctuation between them (`**a***b*`
/// is ambiguous Markdown) into one group with both emphases.
fn merge(texts: &[(Format, String)]) -> Vec<(Format, String)> {
    let mut groups: Vec<(Format, String)> = Vec::new();
    for (format, text) in texts {
        if let Some((last_format, last_text)) = groups.last_mut() {
            let touching = *last_format != Format::default()
                && *format != Format::default()
                && last_text
                    .chars()
                    .last()
                    .is_some_and(|c| !escape::is_boundary(c))
                && text.chars().next().is_some_and(|c| !escape::is_boundary(c));
            if *last_format == *format || touching {
                last_format.bold |= format.bold;
                last_format.italic |= format.italic;
                last_text.push_str(text);
                continue;
            }
        }
        groups.push((*format, text.clone()));
    }
    groups
}
