//! The lexicons a checker runs, with the allow-list applied across them.

use std::sync::Arc;

use super::compiled::CompiledLexicon;
use super::format::{Category, Entry};
use crate::finding::LexiconVersion;

/// An ordered set of compiled lexicons. Cloning is cheap (shared automata),
/// so a checker can be rebuilt with one more lexicon without recompiling the rest.
#[derive(Clone, Default)]
pub struct LexiconSet {
    lexicons: Vec<Arc<CompiledLexicon>>,
}

/// A lexicon match, in byte offsets of the text scanned.
pub struct LexiconHit<'a> {
    pub start: usize,
    pub end: usize,
    pub entry: &'a Entry,
    pub lexicon: &'a str,
}

impl LexiconSet {
    /// Adds a lexicon, replacing one with the same name (a newer version).
    pub fn insert(&mut self, lexicon: Arc<CompiledLexicon>) {
        self.lexicons.retain(|l| l.name != lexicon.name);
        self.lexicons.push(lexicon);
    }

    pub fn versions(&self) -> Vec<LexiconVersion> {
        self.lexicons.iter().map(|l| l.version()).collect()
    }

    pub fn len(&self) -> usize {
        self.lexicons.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lexicons.is_empty()
    }

    /// The matches in `text` (as written: matching folds width and case
    /// itself, see [`CompiledLexicon::find`]), sorted by position, with the rules of
    /// assets/lexicons/README.md applied: leftmost-longest within a file;
    /// sensitive/custom hits overlapping an allowed occurrence are dropped
    /// unless they contain it; of nested hits of one category only the longer
    /// stays; on the same span the lexicon loaded last wins.
    pub fn scan<'a>(&'a self, text: &str) -> Vec<LexiconHit<'a>> {
        // One lexicon without allow entries: leftmost-longest matches are
        // already sorted and never nested, so there is nothing to filter.
        if let [lex] = self.lexicons.as_slice()
            && !lex.has_allow()
        {
            let mut out = Vec::new();
            lex.find(text, |start, end, entry| {
                out.push(LexiconHit {
                    start,
                    end,
                    entry,
                    lexicon: &lex.name,
                })
            });
            return out;
        }
        let mut hits: Vec<(usize, LexiconHit<'a>)> = Vec::new();
        for (order, lex) in self.lexicons.iter().enumerate() {
            lex.find(text, |start, end, entry| {
                hits.push((
                    order,
                    LexiconHit {
                        start,
                        end,
                        entry,
                        lexicon: &lex.name,
                    },
                ))
            });
        }
        // Allowed occurrences, sorted; one allow file's are disjoint, so the
        // ones overlapping a hit sit just before the first that starts after it.
        let mut allowed: Vec<(usize, usize)> = hits
            .iter()
            .filter(|(_, h)| h.entry.category == Category::Allow)
            .map(|(_, h)| (h.start, h.end))
            .collect();
        allowed.sort_unstable();
        let silenced = |h: &LexiconHit| {
            let upto = allowed.partition_point(|&(s, _)| s < h.end);
            allowed[..upto]
                .iter()
                .rev()
                .take(8)
                .any(|&(s, e)| e > h.start && !(h.start <= s && e <= h.end))
        };
        hits.retain(|(_, h)| {
            h.entry.category != Category::Allow && !(h.entry.category.allowable() && silenced(h))
        });
        hits.sort_by_key(|(order, h)| {
            (h.start, std::cmp::Reverse(h.end), std::cmp::Reverse(*order))
        });
        let mut reach = [0usize; 6];
        let mut out = Vec::with_capacity(hits.len());
        for (_, h) in hits {
            let slot = &mut reach[h.entry.category as usize];
            if h.end <= *slot {
                continue; // nested in (or the same span as) a kept hit of its category
            }
            *slot = h.end;
            out.push(h);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::format::parse;

    fn set(files: &[&str]) -> LexiconSet {
        let mut set = LexiconSet::default();
        for (i, f) in files.iter().enumerate() {
            let src = parse(&format!("l{i}"), f.as_bytes()).unwrap();
            set.insert(Arc::new(CompiledLexicon::compile(src).unwrap()));
        }
        set
    }

    fn terms(set: &LexiconSet, text: &str) -> Vec<String> {
        set.scan(text)
            .iter()
            .map(|h| format!("{}:{}", h.entry.term, h.lexicon))
            .collect()
    }

    #[test]
    fn allow_list_rules() {
        let s = set(&[
            "满洲国\tsensitive\n公安内部通报\tcustom\n",
            "伪满洲国\tallow\n公安\tallow\n",
        ]);
        assert!(
            terms(&s, "伪满洲国").is_empty(),
            "inside an allowed occurrence"
        );
        assert_eq!(
            terms(&s, "公安内部通报"),
            ["公安内部通报:l0"],
            "contains the allowed one"
        );
        let s = set(&["门事件\tsensitive\n", "天安门\tallow\n"]);
        assert!(
            terms(&s, "天安门事件").is_empty(),
            "partial overlap is silenced"
        );
        let s = set(&["香港政府\tsensitive\n", "香港\tallow\n"]);
        assert_eq!(terms(&s, "香港政府").len(), 1);
    }

    #[test]
    fn nested_and_duplicate_hits() {
        let s = set(&["卫生计生委\toutdated\n", "国家卫生计生委\toutdated\n"]);
        assert_eq!(terms(&s, "国家卫生计生委"), ["国家卫生计生委:l1"]);
        let s = set(&["工商局\toutdated\twarning\n", "工商局\toutdated\tinfo\n"]);
        let hits = s.scan("工商局");
        assert_eq!(hits.len(), 1);
        assert_eq!(
            hits[0].entry.severity,
            crate::Severity::Info,
            "the file loaded last wins"
        );
    }
}
