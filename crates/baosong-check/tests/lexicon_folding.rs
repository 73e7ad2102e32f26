//! The lexicon pass folds width and case in the matcher's code table and
//! scans the text as written: full-width and upper-case variants match, in
//! either direction, with spans in the original text's byte offsets, and the
//! matches are exactly those of the previous path (fold the text, scan the
//! folded copy, map the spans back).

use std::sync::Arc;

use baosong_check::lexicon::format::{normal_form, parse};
use baosong_check::lexicon::{CompiledLexicon, LexiconSet};
use baosong_check::text::Folded;
use baosong_check::{BodyFormat, CheckInput, Checker};

fn compile(file: &str) -> CompiledLexicon {
    CompiledLexicon::compile(parse("t", file.as_bytes()).unwrap()).unwrap()
}

/// (matched text as written, entry's term) for each match in `text`.
fn found(lex: &CompiledLexicon, text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    lex.find(text, |s, e, entry| {
        out.push((text[s..e].to_owned(), entry.term.clone()))
    });
    out
}

/// The previous path: scan the folded copy, map spans back to the original.
fn fold_then_scan(set: &LexiconSet, text: &str) -> Vec<(usize, usize, String)> {
    let folded = Folded::new(text);
    set.scan(&folded.text)
        .iter()
        .map(|h| {
            (
                folded.to_orig(h.start),
                folded.to_orig(h.end),
                h.entry.term.clone(),
            )
        })
        .collect()
}

fn scan(set: &LexiconSet, text: &str) -> Vec<(usize, usize, String)> {
    set.scan(text)
        .iter()
        .map(|h| (h.start, h.end, h.entry.term.clone()))
        .collect()
}

#[test]
fn variants_in_the_text_match_plain_terms() {
    let lex = compile("abc\tsensitive\nwto规则\tsensitive\n2024年\tsensitive\n50%\tsensitive\n");
    let text = "提到ＡｂＣ和ABC、ＷＴＯ规则、２０２４年，增长５０％。";
    assert_eq!(
        found(&lex, text),
        [
            ("ＡｂＣ".into(), "abc".into()),
            ("ABC".into(), "abc".into()),
            ("ＷＴＯ规则".into(), "wto规则".into()),
            ("２０２４年".into(), "2024年".into()),
            ("５０％".into(), "50%".into()),
        ] as [(String, String); 5]
    );
}

#[test]
fn terms_written_wide_or_upper_case_match_plain_text() {
    let lex = compile("ＸＹＺ\tsensitive\nWTO规则\tsensitive\n２０２４年\tsensitive\n");
    let text = "xyz与wto规则，2024年。Ｘｙｚ";
    assert_eq!(
        found(&lex, text),
        [
            ("xyz".into(), "ＸＹＺ".into()),
            ("wto规则".into(), "WTO规则".into()),
            ("2024年".into(), "２０２４年".into()),
            ("Ｘｙｚ".into(), "ＸＹＺ".into()),
        ] as [(String, String); 4]
    );
}

#[test]
fn ideographic_space_matches_a_space() {
    let lex = compile("a b\tsensitive\n");
    assert_eq!(
        found(&lex, "Ａ　Ｂ与a b"),
        [
            ("Ａ　Ｂ".to_owned(), "a b".to_owned()),
            ("a b".to_owned(), "a b".to_owned()),
        ]
    );
}

/// The cached form keeps the folding (format 3 stores the aliases).
#[test]
fn a_cached_lexicon_folds_too() {
    let lex = compile("abc\tsensitive\n");
    let back = CompiledLexicon::from_bytes(&lex.to_bytes()).unwrap();
    assert_eq!(
        found(&back, "ＡＢＣ"),
        [("ＡＢＣ".to_owned(), "abc".to_owned())]
    );
}

/// Through the whole engine: the finding shows the text as written, at its
/// place in the source.
#[test]
fn findings_point_at_the_variant_as_written() {
    let mut checker = Checker::new();
    checker
        .add_lexicon_bytes("t", "abc\tsensitive\terror\n".as_bytes())
        .unwrap();
    let text = "全角ＡＢＣ与半角ABC";
    let report = checker.check(&CheckInput::body(text, BodyFormat::Plain));
    let spans: Vec<(String, u32, u32)> = report
        .findings
        .iter()
        .filter(|f| f.rule == "lexicon.sensitive")
        .map(|f| (f.matched.clone(), f.span.start, f.span.end))
        .collect();
    let wide = text.find('Ａ').unwrap() as u32;
    let half = text.find('A').unwrap() as u32;
    assert_eq!(
        spans,
        [
            ("ＡＢＣ".to_owned(), wide, wide + 9),
            ("ABC".to_owned(), half, half + 3)
        ]
    );
}

/// The shipped lexicons (several files, allow list, nesting rules) over
/// their own terms written in random widths and cases, joined by Chinese
/// punctuation: the same hits as the previous path, at the same places.
#[test]
fn shipped_lexicons_agree_with_fold_then_scan() {
    let checker = Checker::builtin().unwrap();
    let set = checker.lexicons();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut coin = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % 3
    };
    let mut text = String::new();
    for (_, file) in baosong_check::lexicon::BUILTIN {
        for line in file.lines().filter(|l| !l.starts_with('#')) {
            let term = line.split('\t').next().unwrap_or_default();
            for c in term.chars() {
                let v = match (coin(), c) {
                    (0, '!'..='~') => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                    (1, _) => c.to_ascii_uppercase(),
                    _ => c,
                };
                text.push(v);
            }
            text.push_str(["，", "　", "。Ｘ"][coin() as usize]);
        }
    }
    let old = fold_then_scan(set, &text);
    assert!(old.len() > 300, "{} hits", old.len());
    assert!(
        old.iter()
            .any(|(s, e, _)| text[*s..*e] != *Folded::new(&text[*s..*e]).text),
        "some hits are written in variants"
    );
    assert!(scan(set, &text) == old, "the same hits as fold + scan");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
    /// Random terms and text over letters, digits and symbols in both
    /// widths and cases, plus Chinese: the same matches as the previous path,
    /// and as aho-corasick over the folded terms and the folded text.
    #[test]
    fn same_matches_as_fold_then_scan(
        terms in proptest::collection::vec("[aAａＡbBｂＢ0０%％.．政府]{1,4}", 1..20),
        text in "[aAａＡbBｂＢ0０%％.．政府 　，。x]{0,50}",
    ) {
        let file: String = terms.iter().map(|t| format!("{t}\tsensitive\n")).collect();
        let lex = Arc::new(compile(&file));
        let mut set = LexiconSet::default();
        set.insert(lex.clone());
        let got = scan(&set, &text);
        proptest::prop_assert_eq!(&got, &fold_then_scan(&set, &text));

        let mut keys: Vec<String> = terms.iter().map(|t| normal_form(t)).collect();
        keys.sort();
        keys.dedup();
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&keys)
            .unwrap();
        let folded = Folded::new(&text);
        let want: Vec<(usize, usize, String)> = ac
            .find_iter(folded.text.as_ref())
            .map(|m| (folded.to_orig(m.start()), folded.to_orig(m.end()), keys[m.pattern()].clone()))
            .collect();
        let got: Vec<(usize, usize, String)> =
            got.into_iter().map(|(s, e, t)| (s, e, normal_form(&t))).collect();
        proptest::prop_assert_eq!(got, want);
    }
}
