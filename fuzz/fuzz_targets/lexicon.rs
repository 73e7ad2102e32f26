//! Any bytes as a lexicon file, then the first line as text to check: errors
//! are values, never panics.
#![no_main]

use baosong_check::{BodyFormat, CheckInput, Checker};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut checker = Checker::new();
    if checker.add_lexicon_bytes("fuzz", data).is_ok() {
        let text = String::from_utf8_lossy(data);
        let report = checker.check(&CheckInput::body(&text, BodyFormat::Plain));
        for f in &report.findings {
            assert!(f.span.end as usize <= text.len());
        }
    }
});
