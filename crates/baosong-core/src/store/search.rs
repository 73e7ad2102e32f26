//! Full-text search that works for Chinese.
//!
//! Chinese has no spaces between words, and people search with two-character
//! words (教育, 安全). SQLite's trigram tokenizer cannot match fewer than three
//! characters, so we index overlapping two-character grams ourselves: the text
//! 教育局 is stored as the tokens `教育 育局`. A query of n ≥ 2 characters is
//! the FTS5 phrase of its n−1 grams, which matches exactly where the query
//! occurs as a substring (the phrase requires the grams at consecutive
//! positions). One-character queries fall back to a scan.
//!
//! Text is normalised the same way on both sides: NFKC (full-width ＡＢＣ and
//! ，become ABC and ,) and lower case. The table uses FTS5's `ascii`
//! tokenizer, which splits only on ASCII spaces and punctuation, so every CJK
//! gram is one token. A gram containing ASCII punctuation or white space is
//! replaced by the filler token `zzz` (three letters, so no real gram equals
//! it). Fillers keep positions honest: the text `AB,BC` must not match the
//! query `ABC`.

use unicode_normalization::UnicodeNormalization;

/// Token standing for any gram that contains ASCII punctuation or white space.
const FILLER: &str = "zzz";

/// Normalises text for indexing and querying.
pub fn normalize(text: &str) -> Vec<char> {
    text.nfkc().flat_map(char::to_lowercase).collect()
}

fn is_plain(c: char) -> bool {
    !(c.is_ascii_punctuation() || c.is_whitespace() || c.is_control())
}

/// The space-separated gram tokens of `text`, as stored in the index.
pub fn grams(text: &str) -> String {
    let chars = normalize(text);
    let mut out = String::with_capacity(chars.len() * 7);
    for pair in chars.windows(2) {
        if !out.is_empty() {
            out.push(' ');
        }
        if is_plain(pair[0]) && is_plain(pair[1]) {
            out.push(pair[0]);
            out.push(pair[1]);
        } else {
            out.push_str(FILLER);
        }
    }
    out
}

/// How one search term is looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermPlan {
    /// An FTS5 phrase of grams. `exact` is false when the phrase contains a
    /// filler, in which case hits must be confirmed against the real text.
    Phrase { fts: String, exact: bool },
    /// Too short for grams: a plain substring scan for this (normalised) text.
    Scan(String),
}

/// Splits a query at white space into terms (all must match) and plans each.
pub fn plan(query: &str) -> Vec<TermPlan> {
    query
        .split_whitespace()
        .map(|term| {
            let chars = normalize(term);
            if chars.len() < 2 {
                return TermPlan::Scan(chars.into_iter().collect());
            }
            let grams = grams(term);
            let exact = !grams.split(' ').any(|g| g == FILLER);
            if grams.split(' ').all(|g| g == FILLER) {
                return TermPlan::Scan(chars.into_iter().collect());
            }
            // Quote as one FTS5 phrase; a double quote can only occur inside a
            // filler gram, but escape anyway.
            TermPlan::Phrase {
                fts: format!("\"{}\"", grams.replace('"', "\"\"")),
                exact,
            }
        })
        .collect()
}

/// The text an item is indexed under: title, summary and body.
///
/// The body is Markdown, and the editor writes some characters as character
/// references (`学&#x4E60;**《条例》**`: CommonMark cannot otherwise bold text
/// that starts with punctuation next to a Chinese character), so references
/// are decoded to what a reader sees before indexing.
pub fn indexed_text(title: &str, summary: &str, body: &str) -> String {
    // Newlines between the parts become fillers, so no phrase spans two parts.
    let body = html_escape::decode_html_entities(body);
    format!("{title}\n{summary}\n{body}")
}

/// Whether `haystack` (raw) contains the normalised `needle`.
pub fn contains_normalized(haystack: &str, needle: &str) -> bool {
    let hay: String = normalize(haystack).into_iter().collect();
    hay.contains(needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_becomes_overlapping_pairs() {
        assert_eq!(grams("教育局"), "教育 育局");
    }

    #[test]
    fn punctuation_and_spaces_become_fillers() {
        assert_eq!(grams("ab,c"), "ab zzz zzz");
        assert_eq!(grams("甲 乙"), "zzz zzz");
    }

    #[test]
    fn full_width_and_case_are_folded() {
        assert_eq!(grams("ＡＢ"), grams("ab"));
        assert_eq!(grams("Ab"), "ab");
    }

    #[test]
    fn two_character_query_is_one_gram_phrase() {
        assert_eq!(
            plan("安全"),
            vec![TermPlan::Phrase {
                fts: "\"安全\"".into(),
                exact: true
            }]
        );
    }

    #[test]
    fn single_character_falls_back_to_scan() {
        assert_eq!(plan("教"), vec![TermPlan::Scan("教".into())]);
    }

    #[test]
    fn query_with_punctuation_is_marked_inexact() {
        match &plan("《教育法》")[0] {
            TermPlan::Phrase { exact, .. } => assert!(*exact, "CJK brackets are not ASCII"),
            other => panic!("unexpected plan {other:?}"),
        }
        match &plan("a-b")[0] {
            TermPlan::Scan(s) => assert_eq!(s, "a-b"),
            other => panic!("unexpected plan {other:?}"),
        }
        match &plan("ab-cd")[0] {
            TermPlan::Phrase { exact, .. } => assert!(!exact),
            other => panic!("unexpected plan {other:?}"),
        }
    }

    #[test]
    fn character_references_in_the_body_are_indexed_as_characters() {
        let text = indexed_text("", "", "学&#x4E60;**《条例》**&#x7CBE;神 &amp; 实践");
        assert!(grams(&text).contains("学习"), "{text}");
        assert!(grams(&text).contains("精神"), "{text}");
        assert!(text.contains("& 实践"));
    }

    #[test]
    fn whitespace_separates_terms() {
        assert_eq!(plan("教育 安全").len(), 2);
    }
}
