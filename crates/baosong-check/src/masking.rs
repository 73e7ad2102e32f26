//! Writes a text with its personal data masked (`baosong mask`).

use crate::checker::{BodyFormat, CheckInput, Checker};
use crate::finding::Detector;

/// The masked text and how many places were masked.
pub fn mask_text(text: &str, format: BodyFormat) -> (String, usize) {
    let report = Checker::new().check(&CheckInput::body(text, format));
    let mut out = text.to_owned();
    let mut count = 0;
    // Right to left, so earlier offsets stay valid.
    for f in report.findings.iter().rev() {
        if f.detector != Detector::Pii || !f.rule.starts_with("pii.") {
            continue;
        }
        let Some(masked) = &f.suggestion else {
            continue;
        };
        let masked = match format {
            // An unescaped * is emphasis in Markdown.
            BodyFormat::Markdown => masked.replace('*', "\\*"),
            BodyFormat::Plain => masked.clone(),
        };
        out.replace_range(f.span.start as usize..f.span.end as usize, &masked);
        count += 1;
    }
    (out, count)
}
