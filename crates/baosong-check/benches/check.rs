//! Check-engine benchmarks (figures in docs/benchmarks.md):
//!
//! - lexicon pass: 100,000 terms over 10 MB of government prose, through the
//!   engine's own path and, side by side, raw daachorse (char-wise and
//!   byte-wise) and the aho-corasick crate on the same terms and text;
//! - compiling that lexicon, and the automaton's memory;
//! - a full check (all detectors, shipped lexicons) of a 50,000-character item;
//! - the re-check after one keystroke, as the editor does it, with percentiles.
//!
//! The terms and the text are written to target/bench-data/ so that
//! `tests/perf/pyahocorasick.py` measures pyahocorasick on exactly the same input.
//!
//! `cargo bench -p baosong-check`

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasick, MatchKind as AcMatchKind};
use baosong_check::lexicon::{CompiledLexicon, LexiconSet};
use baosong_check::text::Folded;
use baosong_check::{BodyFormat, CheckInput, Checker};
use criterion::{Criterion, Throughput};
use daachorse::{CharwiseDoubleArrayAhoCorasickBuilder, DoubleArrayAhoCorasickBuilder, MatchKind};

const PROSE: &str = include_str!("../../../assets/demo/gov-prose.txt");
const TERMS: usize = 100_000;
const TEXT_BYTES: usize = 10 * 1024 * 1024;

/// A small deterministic generator (xorshift), so every run sees the same input.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// 100,000 terms shaped like a real lexicon: 2–6 characters drawn from the
/// prose's own alphabet (so the automaton walks deep into the text rather
/// than failing at the first character), plus one in a thousand taken as a
/// phrase from the prose, so that real matches occur throughout.
fn terms() -> Vec<String> {
    let mut chars: Vec<char> = PROSE
        .chars()
        .filter(|c| baosong_check::text::is_han(*c))
        .collect();
    chars.sort_unstable();
    chars.dedup();
    let prose: Vec<char> = PROSE
        .chars()
        .filter(|c| baosong_check::text::is_han(*c))
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut set = std::collections::HashSet::new();
    while set.len() < TERMS {
        let len = 2 + rng.below(5);
        let term: String = if rng.below(1000) == 0 {
            let start = rng.below(prose.len() - len);
            prose[start..start + len].iter().collect()
        } else {
            (0..len).map(|_| chars[rng.below(chars.len())]).collect()
        };
        set.insert(term);
    }
    let mut v: Vec<String> = set.into_iter().collect();
    v.sort();
    v
}

fn text() -> String {
    let mut t = String::with_capacity(TEXT_BYTES + PROSE.len());
    while t.len() < TEXT_BYTES {
        t.push_str(PROSE);
    }
    t
}

/// Writes the inputs for the pyahocorasick comparison.
fn write_inputs(terms: &[String], text: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data");
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join("lexicon-100k.txt"), terms.join("\n"));
        let _ = std::fs::write(dir.join("prose-10mb.txt"), text);
    }
}

fn lexicon_file(terms: &[String]) -> String {
    let mut s = String::from("#! name: bench\n#! version: 1\n");
    for t in terms {
        s.push_str(t);
        s.push_str("\tsensitive\twarning\n");
    }
    s
}

fn lexicon_pass(c: &mut Criterion, terms: &[String], text: &str) {
    let file = lexicon_file(terms);
    let compiled = Arc::new(
        CompiledLexicon::compile(
            baosong_check::lexicon::format::parse("bench", file.as_bytes()).unwrap(),
        )
        .unwrap(),
    );
    let mut set = LexiconSet::default();
    set.insert(compiled.clone());
    let charwise: daachorse::CharwiseDoubleArrayAhoCorasick<u32> =
        CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(terms)
            .unwrap();
    let charwise_corpus: daachorse::CharwiseDoubleArrayAhoCorasick<u32> =
        CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .corpus([PROSE])
            .build(terms)
            .unwrap();
    let bytewise: daachorse::DoubleArrayAhoCorasick<u32> = DoubleArrayAhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(terms)
        .unwrap();
    let ac = AhoCorasick::builder()
        .match_kind(AcMatchKind::LeftmostLongest)
        .build(terms)
        .unwrap();

    // The engine's path before the custom matcher (issue 3, first round):
    // the same folding, daachorse with the entry index as value, hits collected.
    let entries: Vec<String> = terms.to_vec();
    let previous: daachorse::CharwiseDoubleArrayAhoCorasick<u32> =
        CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build_with_values(terms.iter().enumerate().map(|(i, t)| (t, i as u32)))
            .unwrap();
    let previous_path = |text: &str| {
        let folded = Folded::new(text);
        let mut hits = Vec::new();
        for m in previous.leftmost_find_iter(&folded.text) {
            if let Some(e) = entries.get(m.value() as usize) {
                hits.push((m.start(), m.end(), e));
            }
        }
        hits.len()
    };

    let matches = set.scan(text).len();
    assert_eq!(matches, previous_path(text));
    let engine: Vec<(usize, usize)> = set.scan(text).iter().map(|h| (h.start, h.end)).collect();
    // The pass before folding moved into the matcher's code table.
    let fold_then_scan = |text: &str| {
        let folded = Folded::new(text);
        let hits = set.scan(&folded.text);
        let spans: Vec<(usize, usize)> = hits
            .iter()
            .map(|h| (folded.to_orig(h.start), folded.to_orig(h.end)))
            .collect();
        spans
    };
    assert!(
        engine == fold_then_scan(text),
        "the same spans as fold + scan"
    );
    let reference: Vec<(usize, usize)> = charwise
        .leftmost_find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect();
    assert!(engine == reference, "the engine finds daachorse's matches");
    let raw: usize = charwise.leftmost_find_iter(text).count();
    assert_eq!(matches, raw, "the engine and raw daachorse agree");
    assert_eq!(bytewise.leftmost_find_iter(text).count(), raw);
    assert_eq!(ac.find_iter(text).count(), raw);
    eprintln!("lexicon pass: {matches} matches in {} bytes", text.len());

    let mut g = c.benchmark_group("lexicon_pass_100k_terms_10MB");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function(
        "engine (pair bitmap + trie + allow/nesting, folding in the codes)",
        |b| b.iter(|| set.scan(black_box(text)).len()),
    );
    g.bench_function(
        "previous engine pass (fold + own matcher + offset map)",
        |b| b.iter(|| fold_then_scan(black_box(text)).len()),
    );
    g.bench_function("previous engine path (fold + daachorse charwise)", |b| {
        b.iter(|| previous_path(black_box(text)))
    });
    g.bench_function("folding alone", |b| {
        b.iter(|| Folded::new(black_box(text)).text.len())
    });
    g.bench_function("daachorse charwise", |b| {
        b.iter(|| charwise.leftmost_find_iter(black_box(text)).count())
    });
    g.bench_function("daachorse charwise, code map from a prose corpus", |b| {
        b.iter(|| charwise_corpus.leftmost_find_iter(black_box(text)).count())
    });
    g.bench_function("daachorse bytewise", |b| {
        b.iter(|| bytewise.leftmost_find_iter(black_box(text)).count())
    });
    g.bench_function("aho-corasick", |b| {
        b.iter(|| ac.find_iter(black_box(text)).count())
    });
    g.finish();
}

fn compile(c: &mut Criterion, terms: &[String]) {
    let file = lexicon_file(terms);
    let compiled = CompiledLexicon::compile(
        baosong_check::lexicon::format::parse("bench", file.as_bytes()).unwrap(),
    )
    .unwrap();
    eprintln!(
        "compiled 100k-term lexicon: automaton {} bytes on the heap",
        compiled.heap_bytes()
    );
    let mut g = c.benchmark_group("lexicon_compile_100k_terms");
    g.sample_size(10);
    g.bench_function("parse + compile", |b| {
        b.iter(|| {
            let src =
                baosong_check::lexicon::format::parse("bench", black_box(file.as_bytes())).unwrap();
            CompiledLexicon::compile(src).unwrap().len()
        })
    });
    g.finish();
}

/// A 50,000-character item: the prose with a few planted findings.
fn item_50k() -> String {
    let mut body = String::new();
    let mut n = 0;
    while body.chars().count() < 50_000 {
        for para in PROSE.split('\n').filter(|p| !p.trim().is_empty()) {
            body.push_str(para);
            if n % 40 == 0 {
                body.push_str(
                    "联系人电话13812345678，身份证号11010519491231002X。深入开展扫黑险恶专项斗争。",
                );
            }
            n += 1;
            body.push_str("\n\n");
        }
    }
    body.chars().take(50_000).collect()
}

/// The same item as written in Word or WPS: the scraped seed pages use
/// half-width punctuation throughout (2,400 warnings); an item typed in a
/// Chinese editor has full-width punctuation, leaving the planted findings.
fn typical(body: &str) -> String {
    let chars: Vec<char> = body.chars().collect();
    let near_han = |k: Option<&char>| k.is_some_and(|&c| baosong_check::text::is_han(c));
    let mut out = String::with_capacity(body.len());
    for (i, &c) in chars.iter().enumerate() {
        let han =
            near_han(i.checked_sub(1).and_then(|k| chars.get(k))) || near_han(chars.get(i + 1));
        out.push(match c {
            ',' if han => '，',
            ':' if han => '：',
            ';' if han => '；',
            '(' if han => '（',
            ')' if han => '）',
            _ => c,
        });
    }
    out
}

fn full_check(c: &mut Criterion) {
    let checker = Checker::builtin().unwrap();
    let worst = item_50k();
    let typical = typical(&worst);
    let mut g = c.benchmark_group("full_check_50k_chars");
    for (name, body) in [
        ("typical item", &typical),
        ("scraped web text (worst case)", &worst),
    ] {
        let n = checker
            .check(&CheckInput::body(body, BodyFormat::Plain))
            .findings
            .len();
        eprintln!(
            "full check, {name}: {} characters, {n} findings",
            body.chars().count()
        );
        g.bench_function(name, |b| {
            b.iter(|| {
                checker
                    .check(&CheckInput::body(black_box(body), BodyFormat::Plain))
                    .findings
                    .len()
            })
        });
    }
    g.finish();
}

/// The editor re-checks the whole visible text after each (debounced)
/// keystroke. Criterion reports means; the budget is a 99th percentile, so
/// this times 1,000 re-checks, each after one inserted character, directly.
fn keystroke_percentiles(label: &str, mut body: String) {
    let checker = Checker::builtin().unwrap();
    let mut rng = Rng(42);
    let mut times: Vec<Duration> = Vec::with_capacity(1000);
    for i in 0..1000 {
        let mut at = rng.below(body.len());
        while !body.is_char_boundary(at) {
            at -= 1;
        }
        body.insert(at, if i % 2 == 0 { '的' } else { '1' });
        let t = Instant::now();
        black_box(checker.check(&CheckInput::body(&body, BodyFormat::Plain)));
        times.push(t.elapsed());
    }
    times.sort();
    let p = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    eprintln!(
        "keystroke re-check, {label} (1,000 runs): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        p(0.50).as_secs_f64() * 1e3,
        p(0.99).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3
    );
}

fn main() {
    let terms = terms();
    let text = text();
    write_inputs(&terms, &text);
    let mut c = Criterion::default().configure_from_args();
    lexicon_pass(&mut c, &terms, &text);
    compile(&mut c, &terms);
    full_check(&mut c);
    keystroke_percentiles("typical item", typical(&item_50k()));
    keystroke_percentiles("scraped web text (worst case)", item_50k());
    c.final_summary();
}
