//! Width and case folding with a map back to the original bytes.
//!
//! Full-width letters and digits (and the symbols that occur in identifiers:
//! ％＋－．／＠＿) become half-width, the ideographic space becomes a space,
//! and ASCII letters become lower case. Chinese punctuation （，：；！？）
//! stays as it is: it is the correct form in Chinese text, and the norms
//! detector needs to tell it from the half-width one. Chinese text rarely needs
//! any folding, so the common case costs one scan and no copy of the map.

use std::borrow::Cow;

/// A folded view of a text (borrowed when folding changes nothing).
#[derive(Debug, Clone)]
pub struct Folded<'a> {
    pub text: Cow<'a, str>,
    /// Where folding shortened the text: after folded byte `at`, original
    /// offsets are `delta` bytes further on. Sorted by `at`; empty when no
    /// character changed length (case folding keeps lengths).
    edits: Vec<(u32, u32)>,
}

impl<'a> Folded<'a> {
    pub fn new(original: &'a str) -> Folded<'a> {
        let bytes = original.as_bytes();
        let Some(first) = first_wide_fold(bytes, 0) else {
            // No length changes: at most ASCII capitals, lowered in one
            // vectorised pass (government text quotes a few Latin names).
            let text = if has_ascii_upper(bytes) {
                Cow::Owned(original.to_ascii_lowercase())
            } else {
                Cow::Borrowed(original)
            };
            return Folded {
                text,
                edits: Vec::new(),
            };
        };
        // Copy unchanged stretches whole; only full-width forms and U+3000
        // (three bytes each, one byte folded) are rewritten. ASCII capitals
        // are lowered at the end, in place: that changes no length.
        let mut text = String::with_capacity(original.len());
        let mut edits = Vec::new();
        let mut delta = 0u32;
        let mut copied = 0;
        let mut next = Some(first);
        while let Some(at) = next {
            let Some(c) = original.get(at..).and_then(|r| r.chars().next()) else {
                next = first_wide_fold(bytes, at + 1);
                continue;
            };
            let f = fold_char(c);
            text.push_str(&original[copied..at]);
            text.push(f);
            delta += (c.len_utf8() - f.len_utf8()) as u32;
            edits.push((text.len() as u32, delta));
            copied = at + c.len_utf8();
            next = first_wide_fold(bytes, copied);
        }
        text.push_str(&original[copied..]);
        text.make_ascii_lowercase();
        Folded {
            text: Cow::Owned(text),
            edits,
        }
    }

    /// The original byte offset of folded byte offset `i` (a char boundary).
    pub fn to_orig(&self, i: usize) -> usize {
        let k = self.edits.partition_point(|&(at, _)| at as usize <= i);
        match k.checked_sub(1) {
            Some(k) => i + self.edits[k].1 as usize,
            None => i,
        }
    }
}

/// Folds one character.
pub fn fold_char(c: char) -> char {
    match c {
        c if is_foldable_wide(c) => {
            char::from_u32(c as u32 - 0xFEE0).map_or(c, |h| h.to_ascii_lowercase())
        }
        '\u{3000}' => ' ',
        'A'..='Z' => c.to_ascii_lowercase(),
        _ => c,
    }
}

/// Every character folding changes, with what it becomes: the full-width
/// forms, U+3000 and the ASCII capitals. Each folds to exactly one character
/// (a test checks this list against [`fold_char`] over all of Unicode), which
/// lets the lexicon matcher fold by giving both the same code instead of
/// scanning a folded copy.
pub fn changed_chars() -> impl Iterator<Item = (char, char)> + Clone {
    let wide = ('\u{FF01}'..='\u{FF5A}').filter(|&c| is_foldable_wide(c));
    wide.chain(['\u{3000}'])
        .chain('A'..='Z')
        .map(|c| (c, fold_char(c)))
}

/// Folds a whole string (for lexicon terms and fingerprints).
pub fn fold_str(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// Full-width forms that fold: letters, digits and ％＋－．／＠＿.
fn is_foldable_wide(c: char) -> bool {
    matches!(c, '\u{FF05}' | '\u{FF0B}' | '\u{FF0D}'..='\u{FF19}' | '\u{FF20}'..='\u{FF3A}'
        | '\u{FF3F}' | '\u{FF41}'..='\u{FF5A}')
}

/// Whether `bytes` has an ASCII capital. Tested in blocks without an early
/// exit inside a block, so that the compiler vectorises it.
fn has_ascii_upper(bytes: &[u8]) -> bool {
    bytes.chunks(64).any(|block| {
        block
            .iter()
            .fold(false, |any, b| any | b.is_ascii_uppercase())
    })
}

/// Byte offset of the first character at or after `from` that folding
/// shortens: a foldable full-width form (UTF-8 `EF BC xx` / `EF BD xx`) or
/// U+3000 (`E3 80 80`). Candidates are found with a SIMD byte search; in
/// Chinese text most `EF`/`E3` bytes start punctuation that stays as it is.
fn first_wide_fold(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    memchr::memchr2_iter(0xEF, 0xE3, rest)
        .map(|p| from + p)
        .find(
            |&at| match (bytes[at], bytes.get(at + 1), bytes.get(at + 2)) {
                (0xEF, Some(&b1 @ (0xBC | 0xBD)), Some(&b2)) => {
                    let c = 0xFF00 + (u32::from(b1 - 0xBC) << 6) + u32::from(b2 & 0x3F);
                    char::from_u32(c).is_some_and(is_foldable_wide)
                }
                (0xE3, Some(0x80), Some(0x80)) => true,
                _ => false,
            },
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_and_case_and_maps_back() {
        let s = "电话：１３８ＡＢ　x";
        let f = Folded::new(s);
        assert_eq!(f.text, "电话：138ab x");
        let one = f.text.find('1').unwrap();
        assert_eq!(&s[f.to_orig(one)..], "１３８ＡＢ　x");
        assert_eq!(f.to_orig(f.text.len()), s.len());
        assert_eq!(f.to_orig(0), 0);
        let x = f.text.find('x').unwrap();
        assert_eq!(&s[f.to_orig(x)..], "x");
    }

    #[test]
    fn capitals_alone_keep_offsets() {
        let f = Folded::new("中国CPC与WTO");
        assert_eq!(f.text, "中国cpc与wto");
        assert_eq!(f.to_orig(9), 9);
        assert!(!has_ascii_upper("全角ＡＢ".as_bytes()));
        assert_eq!(
            first_wide_fold("，。ａ".as_bytes(), 0),
            Some(6),
            "，。 stay"
        );
    }

    /// `changed_chars` is exactly the characters `fold_char` changes, and
    /// folding is idempotent (a folded character never folds again).
    #[test]
    fn changed_chars_lists_every_fold() {
        let listed: std::collections::HashMap<char, char> = changed_chars().collect();
        let all = (0..=0x10FFFFu32).filter_map(char::from_u32);
        for c in all {
            let f = fold_char(c);
            assert_eq!(listed.get(&c).copied(), (f != c).then_some(f), "{c:?}");
            assert_eq!(fold_char(f), f, "{c:?} folds once");
        }
        assert_eq!(listed.len(), 26 + 1 + 26 + 26 + 10 + 7);
    }

    #[test]
    fn chinese_punctuation_is_left_alone() {
        let s = "会议强调，要做好“六稳”工作。";
        let f = Folded::new(s);
        assert_eq!(f.text, s);
        assert!(matches!(f.text, Cow::Borrowed(_)));
    }
}
