//! Times the hostile inputs of tests/engine.rs one by one.
use std::time::Instant;

use baosong_check::{BodyFormat, CheckInput, Checker};

fn main() {
    let checker = Checker::builtin().unwrap_or_default();
    let n = 200_000;
    let inputs = [
        "1".repeat(n),
        "《".repeat(n) + &"）".repeat(n),
        "机密 ".repeat(n / 3),
        "a@".repeat(n),
        "| 13812345678 ".repeat(n / 14),
        "小区1号楼".repeat(n / 5),
        "**".repeat(n),
        "&#x4E60;".repeat(n / 8),
        "1.".repeat(n),
        "http://a".repeat(n / 8),
    ];
    for (i, text) in inputs.iter().enumerate() {
        for format in [BodyFormat::Markdown, BodyFormat::Plain] {
            let t = Instant::now();
            let r = checker.check(&CheckInput::body(text, format));
            println!(
                "{i} {format:?}: {:?} ({} findings)",
                t.elapsed(),
                r.findings.len()
            );
        }
    }
}
