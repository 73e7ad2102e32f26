//! Printing results: human text by default, JSON with `--json`.

use std::io::Write;

use baosong_core::Lang;
use serde::Serialize;

use crate::error::CliError;

pub struct Out {
    pub json: bool,
    pub lang: Lang,
    stdout: std::io::Stdout,
}

impl Out {
    pub fn new(json: bool, lang: Lang) -> Self {
        Out {
            json,
            lang,
            stdout: std::io::stdout(),
        }
    }

    /// Prints `value` as JSON, or `human` as text.
    pub fn emit<T: Serialize>(
        &mut self,
        value: &T,
        human: impl FnOnce(Lang) -> String,
    ) -> Result<(), CliError> {
        let text = if self.json {
            serde_json::to_string_pretty(value)
                .map_err(|e| CliError::Output(std::io::Error::other(e)))?
        } else {
            human(self.lang)
        };
        let mut lock = self.stdout.lock();
        let result = if text.ends_with('\n') || text.is_empty() {
            write!(lock, "{text}")
        } else {
            writeln!(lock, "{text}")
        };
        match result {
            Ok(()) => Ok(()),
            // `baosong list | head` closing the pipe is not an error.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(CliError::Output(e)),
        }
    }
}

impl Out {
    /// Writes `text` to stdout as it is (no JSON wrapping, no added newline).
    pub fn raw(&mut self, text: &str) -> Result<(), CliError> {
        match self.stdout.lock().write_all(text.as_bytes()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(CliError::Output(e)),
        }
    }
}

/// Pads `s` to `width` display columns (CJK characters take two).
pub fn pad(s: &str, width: usize) -> String {
    let w: usize = s.chars().map(char_width).sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// Cuts `s` to at most `width` display columns, marking the cut with `…`.
pub fn truncate(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if used + cw > width.saturating_sub(1) {
            out.push('…');
            return out;
        }
        used += cw;
        out.push(c);
    }
    out
}

fn char_width(c: char) -> usize {
    // East Asian wide and full-width ranges: enough for Chinese text.
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// A short local time for tables.
pub fn short_time(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counts_double_width() {
        assert_eq!(pad("稿件", 6), "稿件  ");
        assert_eq!(truncate("市教育局召开会议", 9), "市教育局…");
        assert_eq!(truncate("short", 10), "short");
    }
}
