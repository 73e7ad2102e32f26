//! External links: listed (info) so a person sees where the item points;
//! plain-HTTP links are a warning. `baosong check --online` verifies them.

use std::sync::OnceLock;

use regex::Regex;

use super::{FieldText, Hit};
use crate::finding::{Detector, Message, Severity};

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // ASCII only: in Chinese prose a link ends at the first Chinese
        // character or full-width punctuation.
        Regex::new(r"(?i)\b(?:https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+")
            .unwrap_or_else(|e| panic!("built-in pattern: {e}"))
    })
}

/// Byte ranges of the links in `text`, trailing sentence punctuation trimmed.
pub fn find(text: &str) -> Vec<(usize, usize)> {
    pattern()
        .find_iter(text)
        .map(|m| {
            let trimmed = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
            (m.start(), m.start() + trimmed.len())
        })
        .collect()
}

pub fn detect(t: &FieldText, out: &mut Vec<Hit>) {
    for (s, e) in find(t.text()) {
        let url = &t.text()[s..e];
        let plain = url
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("http://"));
        let (severity, zh, en) = if plain {
            (
                Severity::Warning,
                "外部链接（未加密的 http），建议改用 https 并确认可访问",
                "External link over plain http: prefer https and confirm it works",
            )
        } else {
            (
                Severity::Info,
                "外部链接，请确认可访问且指向正确",
                "External link: confirm it works and points where intended",
            )
        };
        out.push(Hit {
            detector: Detector::Links,
            rule: "links.external",
            severity,
            start: s,
            end: e,
            message: Message::new(zh, en),
            suggestion: None,
        });
    }
}
