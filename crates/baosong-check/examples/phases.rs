//! Times each detector on a file (for finding where a check spends its time).
use std::time::Instant;

use baosong_check::detect::{self, FieldText};
use baosong_check::text::{Folded, Prepared};
use baosong_check::{BodyFormat, CheckInput, Checker, Field};

fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("usage: phases FILE (UTF-8)");
        std::process::exit(3);
    };
    let checker = Checker::builtin().unwrap_or_default();
    for _ in 0..3 {
        let t = Instant::now();
        let prepared = Prepared::plain(&text);
        let folded = Folded::new(&prepared.text);
        let ft = FieldText {
            field: Field::Body,
            prepared: &prepared,
            folded: &folded,
        };
        let t_prep = t.elapsed();
        let mut hits = Vec::new();
        let t = Instant::now();
        detect::marking::detect(&ft, 3, &mut hits);
        let t_mark = t.elapsed();
        let t = Instant::now();
        detect::pii::detect(&ft, &mut hits);
        let t_pii = t.elapsed();
        let t = Instant::now();
        let n = checker.lexicons().scan(&folded.text).len();
        let t_lex = t.elapsed();
        let t = Instant::now();
        detect::norms::detect(&ft, &mut hits);
        let t_norms = t.elapsed();
        let t = Instant::now();
        detect::links::detect(&ft, &mut hits);
        let t_links = t.elapsed();
        let t = Instant::now();
        let r = checker.check(&CheckInput::body(&text, BodyFormat::Plain));
        let t_all = t.elapsed();
        println!(
            "prep {t_prep:?} marking {t_mark:?} pii {t_pii:?} lexicon {t_lex:?} ({n}) norms {t_norms:?} links {t_links:?} | full {t_all:?} ({} findings)",
            r.findings.len()
        );
    }
}
