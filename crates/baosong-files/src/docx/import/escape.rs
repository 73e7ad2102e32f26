//! Markdown escaping, so a literal `*`, `_`, `#` or `[` in a document stays
//! a character and never becomes formatting. Chinese text (full-width
//! punctuation included) is never touched.

/// Escapes characters that are markup anywhere in a line.
pub(crate) fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '&' if looks_like_entity(&text[i + 1..]) => out.push_str("\\&"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// `&amp;`, `&#20013;`: a literal `&` that would be read as an entity.
fn looks_like_entity(rest: &str) -> bool {
    let body: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
        .collect();
    !body.is_empty() && rest[body.len()..].starts_with(';')
}

/// Escapes what is markup only at the start of a line (headings, block
/// quotes, list markers, setext underlines), and drops leading spaces so a
/// line is never read as indented code. Applied to each line of a rendered
/// paragraph; our own markup never starts a line with these.
pub(crate) fn line_start(line: &str) -> String {
    let line = line.trim_start_matches([' ', '\t']);
    let first = line.chars().next();
    let rest = first.map_or("", |c| &line[c.len_utf8()..]);
    let then_space = |s: &str| s.is_empty() || s.starts_with([' ', '\t']);
    let escape_first = match first {
        Some('>') => true,
        Some('#') => {
            then_space(line.trim_start_matches('#'))
                && line.len() - line.trim_start_matches('#').len() <= 6
        }
        Some('-' | '+') => {
            then_space(rest) || line.trim_end().chars().all(|c| c == '-' || c == ' ')
        }
        Some('=') => line.trim_end().chars().all(|c| c == '='),
        _ => false,
    };
    if escape_first {
        return format!("\\{line}");
    }
    // "1. " or "1) " would start an ordered list.
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if (1..=9).contains(&digits) {
        let after = &line[digits..];
        if let Some(tail) = after.strip_prefix(['.', ')'])
            && then_space(tail)
        {
            return format!("{}\\{}", &line[..digits], &line[digits..]);
        }
    }
    line.to_owned()
}

/// A link or image destination: characters that would end it are
/// percent-encoded.
pub(crate) fn url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '|' => out.push_str("%7C"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Whitespace or punctuation: where emphasis markers may not touch the
/// emphasised text if they are to work (CommonMark's flanking rules), and
/// what is moved outside them. Covers ASCII, general and CJK punctuation.
pub(crate) fn is_boundary(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || matches!(c,
            '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '\u{3000}'..='\u{303F}'
            | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}'
            | '\u{FF5B}'..='\u{FF65}' | '\u{FE10}'..='\u{FE1F}' | '\u{FE30}'..='\u{FE4F}'
            | '\u{00A1}'..='\u{00BF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markup_is_escaped_and_chinese_untouched() {
        assert_eq!(inline("5*2 = 10"), "5\\*2 = 10");
        assert_eq!(
            inline("备注_无_，[2026] 1 号"),
            "备注\\_无\\_，\\[2026\\] 1 号"
        );
        assert_eq!(inline("A&B &amp;"), "A&B \\&amp;");
        assert_eq!(inline("a|b <x>"), "a\\|b \\<x\\>");
        assert_eq!(inline("“全角”（括号）、。"), "“全角”（括号）、。");
    }

    #[test]
    fn line_starts_that_would_be_blocks() {
        assert_eq!(line_start("# 不是标题"), "\\# 不是标题");
        assert_eq!(line_start("#话题"), "#话题");
        assert_eq!(line_start("- 不是列表"), "\\- 不是列表");
        assert_eq!(line_start("-5 度"), "-5 度");
        assert_eq!(line_start("2026. 年"), "2026\\. 年");
        assert_eq!(line_start("1.1 概述"), "1.1 概述");
        assert_eq!(line_start("    缩进"), "缩进");
        assert_eq!(line_start("==="), "\\===");
        assert_eq!(line_start("　　全角空格开头"), "　　全角空格开头");
    }
}
