//! Prints the findings for a Markdown text read from stdin (for exploring).
use std::io::Read;

use baosong_check::{BodyFormat, CheckInput, Checker};

fn main() {
    let mut text = String::new();
    if std::io::stdin().read_to_string(&mut text).is_err() {
        eprintln!("stdin is not UTF-8 text");
        std::process::exit(3);
    }
    let checker = match Checker::builtin() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(3);
        }
    };
    let report = checker.check(&CheckInput::body(&text, BodyFormat::Markdown));
    for f in &report.findings {
        println!(
            "{}:{} {:?} {} [{}] {:?}",
            f.span.line, f.span.column, f.severity, f.rule, f.matched, f.suggestion
        );
    }
}
