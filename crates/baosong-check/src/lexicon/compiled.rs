//! One lexicon compiled to a [`Matcher`]: leftmost-longest matching over the
//! text as written, width and case folded by the matcher's code table (terms
//! are folded here, the text's full-width forms and capitals share the codes
//! of their folded forms), so spans are offsets in the text given.

use std::collections::HashMap;

use super::format::{Entry, LexiconError, LexiconSource, normal_form};
use super::matcher::Matcher;
use crate::finding::LexiconVersion;
use crate::text::fold::changed_chars;

pub struct CompiledLexicon {
    pub name: String,
    pub version: String,
    entries: Vec<Entry>,
    has_allow: bool,
    /// `None` when the lexicon has no terms.
    pma: Option<Matcher>,
}

impl CompiledLexicon {
    /// Compiles a parsed lexicon. A term listed twice keeps its last line.
    pub fn compile(src: LexiconSource) -> Result<CompiledLexicon, LexiconError> {
        let mut index: HashMap<String, u32> = HashMap::with_capacity(src.entries.len());
        let mut entries: Vec<Entry> = Vec::with_capacity(src.entries.len());
        for entry in src.entries {
            let key = normal_form(&entry.term);
            let slot = match index.get(&key) {
                Some(&i) => {
                    entries[i as usize] = entry;
                    i
                }
                None => {
                    entries.push(entry);
                    (entries.len() - 1) as u32
                }
            };
            for variant in punctuation_variants(&key) {
                index.insert(variant, slot);
            }
        }
        let pma = if index.is_empty() {
            None
        } else {
            let keys = index.iter().map(|(k, &v)| (k.as_str(), v));
            Some(Matcher::build(keys, changed_chars()))
        };
        Ok(CompiledLexicon {
            name: src.name,
            version: src.version,
            has_allow: entries
                .iter()
                .any(|e| e.category == super::format::Category::Allow),
            entries,
            pma,
        })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether any entry is an allow-list entry.
    pub fn has_allow(&self) -> bool {
        self.has_allow
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn version(&self) -> LexiconVersion {
        LexiconVersion {
            name: self.name.clone(),
            version: self.version.clone(),
            entries: self.entries.len() as u32,
        }
    }

    /// Calls `f(start, end, entry)` for each leftmost-longest match in
    /// `text` (byte offsets in `text`). Matching folds width and case, so
    /// `text` need not be folded first (folded text gives the same matches).
    pub fn find<'a>(&'a self, text: &str, mut f: impl FnMut(usize, usize, &'a Entry)) {
        let Some(pma) = &self.pma else { return };
        pma.find(text, |start, end, value| {
            if let Some(entry) = self.entries.get(value as usize) {
                f(start, end, entry);
            }
        });
    }

    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub(crate) fn matcher(&self) -> Option<&Matcher> {
        self.pma.as_ref()
    }

    pub(crate) fn from_parts(
        name: String,
        version: String,
        entries: Vec<Entry>,
        pma: Option<Matcher>,
    ) -> CompiledLexicon {
        CompiledLexicon {
            name,
            version,
            has_allow: entries
                .iter()
                .any(|e| e.category == super::format::Category::Allow),
            entries,
            pma,
        }
    }

    /// The compiled form as bytes, for a cache ([`super::cache`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        super::cache::to_bytes(self)
    }

    /// Loads bytes written by [`CompiledLexicon::to_bytes`], checking them.
    pub fn from_bytes(bytes: &[u8]) -> Result<CompiledLexicon, LexiconError> {
        super::cache::from_bytes(bytes)
    }

    /// Bytes of heap the automaton uses (for the memory figure).
    pub fn heap_bytes(&self) -> usize {
        self.pma.as_ref().map_or(0, |p| p.heap_bytes())
    }
}

/// ASCII punctuation with a full-width twin that the text is *not* folded
/// for (Chinese text writes （）：，； and the norms check needs them as they
/// are). A term written with one form matches the other too.
const TWINNED: &str = "!\"#$&'()*,:;<=>?[\\]^`{|}~";

/// The term as written plus its full-width-punctuation forms: every
/// combination for up to three such characters, else all-half and all-full.
fn punctuation_variants(term: &str) -> Vec<String> {
    let positions: Vec<usize> = term
        .char_indices()
        .filter(|(_, c)| TWINNED.contains(*c))
        .map(|(i, _)| i)
        .collect();
    let wide = |c: char| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c);
    if positions.is_empty() {
        return vec![term.to_owned()];
    }
    let masks: Vec<u32> = if positions.len() <= 3 {
        (0..1u32 << positions.len()).collect()
    } else {
        vec![0, u32::MAX]
    };
    masks
        .into_iter()
        .map(|mask| {
            let mut k = 0;
            term.chars()
                .map(|c| {
                    if TWINNED.contains(c) {
                        let w = mask & (1 << k.min(31)) != 0;
                        k += 1;
                        if w { wide(c) } else { c }
                    } else {
                        c
                    }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::format::parse;

    #[test]
    fn leftmost_longest_on_folded_text() {
        let src = parse(
            "t",
            "扫黑\tcustom\n扫黑险恶\tmisstatement\terror\t扫黑除恶\nabc\n".as_bytes(),
        )
        .unwrap();
        let lex = CompiledLexicon::compile(src).unwrap();
        let mut hits = Vec::new();
        lex.find("深入开展扫黑险恶专项斗争 abc", |s, e, en| {
            hits.push((s, e, en.term.clone()))
        });
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].2, "扫黑险恶");
        assert_eq!(hits[1].2, "abc");
    }

    #[test]
    fn punctuation_matches_in_either_width() {
        let src = parse("t", "(讨论稿)\tsensitive\n".as_bytes()).unwrap();
        let lex = CompiledLexicon::compile(src).unwrap();
        let mut n = 0;
        lex.find("预案（讨论稿）和预案(讨论稿）", |_, _, _| {
            n += 1
        });
        assert_eq!(n, 2);
        assert_eq!(lex.len(), 1);
    }

    #[test]
    fn empty_lexicon_matches_nothing() {
        let lex = CompiledLexicon::compile(parse("e", b"# nothing\n").unwrap()).unwrap();
        let mut n = 0;
        lex.find("任何文本", |_, _, _| n += 1);
        assert_eq!(n, 0);
    }
}
