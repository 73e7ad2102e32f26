//! Any text, as Markdown and as plain text: no panic, every span inside the
//! text and on character boundaries, and masking leaves valid UTF-8.
#![no_main]

use baosong_check::{BodyFormat, CheckInput, Checker};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let checker = match Checker::builtin() {
        Ok(c) => c,
        Err(e) => panic!("built-in lexicons: {e}"),
    };
    for format in [BodyFormat::Markdown, BodyFormat::Plain] {
        let report = checker.check(&CheckInput::body(text, format));
        for f in &report.findings {
            let (s, e) = (f.span.start as usize, f.span.end as usize);
            assert!(s <= e && e <= text.len(), "span {s}..{e} outside {}", text.len());
            assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
            assert_eq!(&text[s..e], f.matched);
            let utf16_start = text[..s].encode_utf16().count() as u32;
            assert_eq!(utf16_start, f.span.utf16_start);
        }
        let (masked, _) = baosong_check::masking::mask_text(text, format);
        assert!(masked.len() + 64 * text.len() >= text.len());
    }
});
