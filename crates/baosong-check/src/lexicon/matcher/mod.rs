//! The automaton behind a compiled lexicon: leftmost-longest matching of
//! many short terms, laid out for Chinese prose. Folding (width, case) is
//! done by the code table ([`codes`]): a character and its folded form share
//! one code, so the text is scanned as written and spans are its offsets.
//!
//! A generic Aho–Corasick automaton (daachorse, aho-corasick) follows one
//! transition per character into a table of many megabytes, and most of
//! those steps fail back to the root, because in Chinese text almost every
//! character starts some term but few pairs do. So instead:
//!
//! 1. every character maps to a dense code ([`codes`]);
//! 2. a bitmap over the codes of two adjacent characters ([`pairs`]) says
//!    whether any term can start here: one lookup in a table that stays in
//!    cache rejects most positions;
//! 3. only then is the trie ([`trie`]) walked from this position; the
//!    longest term found is the match, and the scan resumes after it. The
//!    pair's rank in the bitmap indexes its depth-2 node in a dense array,
//!    and a second bitmap, of the pairs at a term's second and third
//!    characters, spares most walks any lookup in the large edge table (a
//!    cache miss) — in the benchmark, most walks end after two characters.
//!
//! That is leftmost-longest by construction (the first position where a
//! term starts, the longest term there) — the matches daachorse and
//! aho-corasick return with `LeftmostLongest`; the benchmark and a property
//! test compare them. A position costs O(1) unless a term may start there;
//! then at most the longest term's length in steps, so even text built to
//! repeat a long term's prefix is linear (times that length, ≤ 100).

mod codes;
mod pairs;
mod stored;
mod trie;

use codes::{ABSENT, Codes, decode};
use pairs::{Pair, Pairs};
use trie::{NONE, Trie};

pub use stored::{read, write};

pub struct Matcher {
    codes: Codes,
    /// Codes of a term's first and second characters.
    pairs: Pairs,
    /// `[node, value]` of the depth-2 node of each pair in `pairs`, by rank.
    second: Vec<[u32; 2]>,
    /// Whether any term is one character long (else a position whose pair
    /// is absent needs no further look).
    singles: bool,
    /// Codes of a term's second and third characters.
    next_pairs: Pairs,
    trie: Trie,
}

impl Matcher {
    /// A matcher for `keys` (already folded; empty keys are ignored), each
    /// with the value reported for its matches. Keys must be distinct.
    /// `folds` lists (character, folded form) pairs: in the text, each
    /// character matches as its folded form. The fold must be one character
    /// to one character, and keys must not contain the characters it changes.
    pub fn build<'a, I>(keys: I, folds: impl Iterator<Item = (char, char)>) -> Matcher
    where
        I: Iterator<Item = (&'a str, u32)> + Clone,
    {
        let mut codes = Codes::build(keys.clone().map(|(k, _)| k));
        codes.alias(folds);
        let mut pairs = Pairs::new(codes.len());
        let mut next_pairs = Pairs::new(codes.len());
        let mut trie = Trie::new(codes.len());
        for (key, value) in keys {
            let mut chars = key.chars().map(|c| codes.of(c));
            match (chars.next(), chars.next(), chars.next()) {
                (Some(a), Some(b), Some(c)) => {
                    pairs.add(a, b);
                    next_pairs.add(b, c);
                }
                (Some(a), Some(b), None) => pairs.add(a, b),
                (Some(_), None, _) => {}
                _ => continue,
            }
            trie.insert(key.chars().map(|c| codes.of(c)), value);
        }
        Matcher::assemble(codes, pairs, next_pairs, trie)
    }

    /// Completes a matcher from its stored parts: the ranks, the depth-2
    /// array and the one-character flag are derived, not stored.
    fn assemble(codes: Codes, mut pairs: Pairs, next_pairs: Pairs, trie: Trie) -> Matcher {
        pairs.finish();
        let second = pairs
            .present()
            .map(|(a, b)| match trie.first(a) {
                [0, _] => [0, NONE],
                [node, _] => trie.step(node, b),
            })
            .collect();
        let singles = trie.root.iter().any(|&[_, value]| value != NONE);
        Matcher {
            codes,
            pairs,
            second,
            singles,
            next_pairs,
            trie,
        }
    }

    /// Calls `f(start, end, value)` for each leftmost-longest match in
    /// `text` (byte offsets), in order.
    pub fn find(&self, text: &str, mut f: impl FnMut(usize, usize, u32)) {
        let bytes = text.as_bytes();
        let n = bytes.len();
        // The character at `i` (code `a`, `len` bytes) is decoded once, as
        // the second of the previous pair, except after a match.
        let mut i = 0;
        let (mut a, mut len) = self.code_at(bytes, 0);
        while i < n {
            let next = i + len;
            let (b, next_len) = self.code_at(bytes, next);
            if a != ABSENT {
                let found = match self.pairs.lookup(a, b) {
                    Pair::At(k) => {
                        let second = self.second.get(k).copied();
                        self.longest(bytes, i, (a, len), (b, next_len), second)
                    }
                    Pair::Unknown => self.longest(bytes, i, (a, len), (b, next_len), None),
                    Pair::Absent if self.singles => match self.trie.first(a) {
                        [_, NONE] => None,
                        [_, value] => Some((next, value)),
                    },
                    Pair::Absent => None,
                };
                if let Some((end, value)) = found {
                    f(i, end, value);
                    i = end;
                    (a, len) = self.code_at(bytes, end);
                    continue;
                }
            }
            (i, a, len) = (next, b, next_len);
        }
    }

    /// The longest term at byte `start`, whose first two characters have
    /// (code, byte length) `a` and `b`; `second` is the depth-2 node when
    /// the pair bitmap knew it. Returns (end, value).
    #[inline(always)]
    fn longest(
        &self,
        bytes: &[u8],
        start: usize,
        (a, a_len): (u32, usize),
        (b, b_len): (u32, usize),
        second: Option<[u32; 2]>,
    ) -> Option<(usize, u32)> {
        let [mut node, value] = self.trie.first(a);
        let mut pos = start + a_len;
        let mut best = (value != NONE).then_some((pos, value));
        let (mut prev, mut depth) = (a, 1);
        if let Some([child, value]) = second {
            pos += b_len;
            if value != NONE {
                best = Some((pos, value));
            }
            (node, prev, depth) = (child, b, 2);
        }
        while node != 0 {
            let (code, code_len) = self.code_at(bytes, pos);
            if code == ABSENT || (depth == 2 && !self.next_pairs.may_start(prev, code)) {
                break;
            }
            let [child, value] = self.trie.step(node, code);
            pos += code_len;
            if value != NONE {
                best = Some((pos, value));
            }
            (node, prev, depth) = (child, code, depth + 1);
        }
        best
    }

    /// Code and byte length of the character at `i`; (ABSENT, 0) at the end.
    #[inline(always)]
    fn code_at(&self, bytes: &[u8], i: usize) -> (u32, usize) {
        if i >= bytes.len() {
            return (ABSENT, 0);
        }
        let (c, len) = decode(bytes, i);
        (self.codes.get(c), len)
    }

    /// Bytes of heap the matcher uses (for the memory figure).
    pub fn heap_bytes(&self) -> usize {
        self.codes.heap_bytes()
            + self.pairs.heap_bytes()
            + self.second.capacity() * 8
            + self.next_pairs.heap_bytes()
            + self.trie.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(keys: &[&str], text: &str) -> Vec<(usize, usize, u32)> {
        let m = Matcher::build(
            keys.iter().enumerate().map(|(i, k)| (*k, i as u32)),
            std::iter::empty(),
        );
        let mut out = Vec::new();
        m.find(text, |s, e, v| out.push((s, e, v)));
        out
    }

    #[test]
    fn leftmost_then_longest() {
        let hits = matches(&["ab", "abcd", "bc", "c", "政府"], "xabcdc政府abc");
        assert_eq!(
            hits,
            [(1, 5, 1), (5, 6, 3), (6, 12, 4), (12, 14, 0), (14, 15, 3)]
        );
    }

    // Against the aho-corasick crate's leftmost-longest matches, over a
    // small alphabet (so terms overlap and nest a lot) with one-, two-,
    // three- and four-byte characters.
    /// The reference: the aho-corasick crate's leftmost-longest matches as
    /// (start, end, term index).
    fn leftmost_longest(keys: &[&str], text: &str) -> Vec<(usize, usize, u32)> {
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(keys)
            .unwrap();
        ac.find_iter(text)
            .map(|m| (m.start(), m.end(), m.pattern().as_u32()))
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn same_matches_as_aho_corasick(
            keys in proptest::collection::hash_set("[ab政府𠀀]{1,5}", 1..40),
            text in "[ab政府𠀀¢ ]{0,60}",
        ) {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(matches(&keys, &text), leftmost_longest(&keys, &text));
        }
    }

    /// 1,500 distinct characters: codes beyond the pair bitmap take the
    /// trie-only path. Also checks that the stored form matches the same.
    #[test]
    fn many_characters_and_stored_form() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: u32| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            char::from_u32(0x4E00 + (seed % u64::from(n)) as u32).unwrap_or('一')
        };
        let keys: std::collections::BTreeSet<String> = (0..20_000)
            .map(|k| (0..1 + k % 4).map(|_| next(1500)).collect())
            .collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let text: String = (0..50_000).map(|_| next(1600)).collect();
        let want = leftmost_longest(&keys, &text);
        assert!(want.len() > 1000);
        let m = Matcher::build(
            keys.iter().enumerate().map(|(i, k)| (*k, i as u32)),
            std::iter::empty(),
        );
        let mut got = Vec::new();
        m.find(&text, |s, e, v| got.push((s, e, v)));
        assert!(got == want, "same matches as aho-corasick");
        let mut bytes = Vec::new();
        write(&m, &mut bytes);
        let back = read(&mut crate::lexicon::cache::Reader::new(&bytes)).unwrap();
        let mut again = Vec::new();
        back.find(&text, |s, e, v| again.push((s, e, v)));
        assert!(again == want, "the stored form matches the same");
    }

    #[test]
    fn one_character_terms_and_text_end() {
        assert_eq!(matches(&["政"], "政"), [(0, 3, 0)]);
        assert_eq!(matches(&["政府"], "政"), []);
        assert_eq!(matches(&["政府"], ""), []);
        assert_eq!(matches(&["府", "政府办"], "政府"), [(3, 6, 0)]);
        assert_eq!(matches(&["政", "政府办"], "政府"), [(0, 3, 0)]);
        assert_eq!(matches(&["政府", "政府办公"], "政府办"), [(0, 6, 0)]);
        assert_eq!(matches(&["政府", "政府办公"], "政府办公"), [(0, 12, 1)]);
    }
}
