//! Memory and time for compiling the benchmark's 100,000-term lexicon
//! (target/bench-data/lexicon-100k.txt, written by `cargo bench -p baosong-check`).
use std::time::Instant;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/bench-data/lexicon-100k.txt"
    );
    let Ok(bytes) = std::fs::read(path) else {
        eprintln!("run `cargo bench -p baosong-check` first: {path} is missing");
        std::process::exit(3);
    };
    let before = rss_kib();
    let t = Instant::now();
    let src = match baosong_check::lexicon::format::parse("bench", &bytes) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(3);
        }
    };
    let lex = match baosong_check::CompiledLexicon::compile(src) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(3);
        }
    };
    let took = t.elapsed();
    let after = rss_kib();
    println!(
        "{} terms: parse + compile {:.0} ms; resident memory +{:.1} MiB (automaton {:.1} MiB)",
        lex.len(),
        took.as_secs_f64() * 1e3,
        (after.saturating_sub(before)) as f64 / 1024.0,
        lex.heap_bytes() as f64 / 1048576.0
    );
    let bytes = lex.to_bytes();
    let t = Instant::now();
    let loaded = baosong_check::CompiledLexicon::from_bytes(&bytes).map(|l| l.len());
    println!(
        "cached form: {:.1} MiB, loaded in {:.0} ms ({loaded:?} terms)",
        bytes.len() as f64 / 1048576.0,
        t.elapsed().as_secs_f64() * 1e3
    );
}
