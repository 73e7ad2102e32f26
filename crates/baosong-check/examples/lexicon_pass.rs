//! The lexicon pass over the benchmark's inputs (target/bench-data/, written
//! by `cargo bench -p baosong-check`), its parts timed apart and interleaved
//! with the previous pass (fold, then scan the folded copy) and raw
//! daachorse, so that on a shared machine the ratios hold even when
//! the absolute figures wander. Also a target for `perf record`.
//!
//! `cargo run --release -p baosong-check --example lexicon_pass`
use std::hint::black_box;
use std::time::Instant;

use baosong_check::lexicon::{CompiledLexicon, LexiconSet};
use baosong_check::text::Folded;
use daachorse::{CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

const ROUNDS: usize = 30;

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/bench-data/");
    let (Ok(terms), Ok(text)) = (
        std::fs::read_to_string(format!("{dir}lexicon-100k.txt")),
        std::fs::read_to_string(format!("{dir}prose-10mb.txt")),
    ) else {
        eprintln!("run `cargo bench -p baosong-check` first: {dir} has no inputs");
        std::process::exit(3);
    };
    let file: String = terms.lines().map(|t| format!("{t}\tsensitive\n")).collect();
    let lex = baosong_check::lexicon::format::parse("bench", file.as_bytes())
        .and_then(CompiledLexicon::compile);
    let lex = match lex {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(3);
        }
    };
    let mut set = LexiconSet::default();
    set.insert(std::sync::Arc::new(lex));
    let Ok(daachorse) = CharwiseDoubleArrayAhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build_with_values::<_, _, u32>(terms.lines().zip(0..))
    else {
        eprintln!("daachorse cannot build the lexicon");
        std::process::exit(3);
    };
    let folded = Folded::new(&text);
    let entries: Vec<&str> = terms.lines().collect();
    // The engine's pass scans the text as written (folding is in the
    // matcher's code table); it must find what folding first found.
    let spans = |hits: Vec<baosong_check::lexicon::set::LexiconHit>| -> Vec<(usize, usize)> {
        hits.iter().map(|h| (h.start, h.end)).collect()
    };
    let old: Vec<(usize, usize)> = spans(set.scan(&folded.text))
        .into_iter()
        .map(|(s, e)| (folded.to_orig(s), folded.to_orig(e)))
        .collect();
    if spans(set.scan(&text)) != old {
        eprintln!("scanning the text as written finds other matches than fold + scan");
        std::process::exit(1);
    }
    let runs: [(&str, &dyn Fn() -> usize); 6] = [
        ("scan as written (the engine's pass)", &|| {
            set.scan(black_box(&text)).len()
        }),
        // The engine's pass before folding moved into the code table.
        ("fold + scan (previous pass)", &|| {
            set.scan(&Folded::new(black_box(&text)).text).len()
        }),
        ("scan of folded text", &|| {
            set.scan(black_box(&folded.text)).len()
        }),
        ("folding alone", &|| {
            Folded::new(black_box(&text)).text.len()
        }),
        ("raw daachorse char-wise", &|| {
            daachorse.leftmost_find_iter(black_box(&text)).count()
        }),
        // The engine's pass before the own matcher, with today's folding.
        ("fold + daachorse + hits (first round)", &|| {
            let folded = Folded::new(black_box(&text));
            let mut hits = Vec::new();
            for m in daachorse.leftmost_find_iter(&folded.text) {
                if let Some(e) = entries.get(m.value() as usize) {
                    hits.push((m.start(), m.end(), e));
                }
            }
            hits.len()
        }),
    ];
    let mut times = vec![Vec::new(); runs.len()];
    for _ in 0..ROUNDS {
        for (k, (_, run)) in runs.iter().enumerate() {
            let t = Instant::now();
            black_box(run());
            times[k].push(t.elapsed().as_secs_f64());
        }
    }
    let mib = text.len() as f64 / 1048576.0;
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let base = median(&mut times[4].clone());
    let engine = median(&mut times[0].clone());
    for ((name, run), t) in runs.iter().zip(&mut times) {
        let m = median(t);
        println!(
            "{name:38} median {:6.1} ms {:5.0} MiB/s (best {:5.0}), {:.2}× raw daachorse's time, {:.2}× the engine's, {} results",
            m * 1e3,
            mib / m,
            mib / t[0],
            m / base,
            m / engine,
            run()
        );
    }
}
