//! What a check produces: findings with their exact position, and the report
//! that ties them to the text and lexicons they were computed on.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How bad a finding is. Ordered: `Blocker` is the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Severity {
    /// Worth knowing; nothing to do.
    Info,
    /// Should be looked at; does not hold the item back.
    Warning,
    /// Must be fixed, or confirmed with a written reason, before sign-off.
    Error,
    /// Must be fixed (or masked). Cannot be waived.
    Blocker,
}

impl Severity {
    pub fn code(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
            Severity::Blocker => "blocker",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "info" | "提示" => Some(Severity::Info),
            "warning" | "warn" | "警告" => Some(Severity::Warning),
            "error" | "错误" => Some(Severity::Error),
            "blocker" | "阻断" => Some(Severity::Blocker),
            _ => None,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Severity::Info => "提示",
            Severity::Warning => "警告",
            Severity::Error => "错误",
            Severity::Blocker => "阻断",
        }
    }
}

/// Which detector produced a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Detector {
    /// 密级标志 and handling marks (机密★10年, 内部资料, 不得外传 …).
    Marking,
    /// Personal data (身份证号, 手机号, 银行卡号 …) and organisation identifiers.
    Pii,
    /// Lexicon terms: misstatements, outdated names, sensitive wording.
    Lexicon,
    /// Writing norms: punctuation, brackets, dates.
    Norms,
    /// External links.
    Links,
    /// Hidden content and metadata in attachments (批注, 修订, GPS …).
    Attachment,
}

/// Which part of an item a finding is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Field {
    Title,
    Summary,
    Keywords,
    Body,
    /// A file attached to the item; [`Finding::attachment`] says which and where.
    Attachment,
}

impl Field {
    /// The stable name, as serialised (`title`, `summary`, `keywords`, `body`).
    pub fn code(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Summary => "summary",
            Field::Keywords => "keywords",
            Field::Body => "body",
            Field::Attachment => "attachment",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Field::Title => "标题",
            Field::Summary => "内容概述",
            Field::Keywords => "主题词",
            Field::Body => "正文",
            Field::Attachment => "附件",
        }
    }
}

/// A range in the checked text, as byte offsets (Rust, the store) and as
/// UTF-16 code-unit offsets (JavaScript strings, the editor). End-exclusive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Span {
    pub start: u32,
    pub end: u32,
    pub utf16_start: u32,
    pub utf16_end: u32,
    /// 1-based line and column (in characters) of the start.
    pub line: u32,
    pub column: u32,
}

/// A message in both interface languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Message {
    pub zh: String,
    pub en: String,
}

impl Message {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Message {
        Message {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// One thing the check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Finding {
    pub detector: Detector,
    /// Stable rule id, e.g. `pii.resident_id`, `marking.level`, `lexicon.misstatement`.
    pub rule: String,
    pub severity: Severity,
    pub field: Field,
    pub span: Span,
    /// The text as written at `span`.
    pub matched: String,
    /// A little text either side, for lists and logs.
    pub excerpt: String,
    pub message: Message,
    /// What to put at `span` instead: a correction, or the masked form.
    pub suggestion: Option<String>,
    /// Identifies "the same finding" across edits and re-checks: rule and the
    /// normalised matched text (and, in an attachment, the file's hash).
    /// Decisions are keyed by it.
    pub fingerprint: String,
    /// In an attachment: which one, and where in it. The span is then into
    /// that part's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub attachment: Option<crate::attachment::AttachmentSpot>,
}

/// A lexicon the report was computed with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LexiconVersion {
    pub name: String,
    pub version: String,
    pub entries: u32,
}

/// The result of checking one text or item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckReport {
    /// SHA-256 (hex) of what was checked; see [`crate::content_hash`].
    pub content_hash: String,
    pub engine_version: String,
    pub lexicons: Vec<LexiconVersion>,
    /// Sorted by field, then position.
    pub findings: Vec<Finding>,
}

impl CheckReport {
    /// The worst severity present, if any finding.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

#[cfg(test)]
mod field_tests {
    use super::Field;

    #[test]
    fn field_codes_are_the_serialised_names() {
        for f in [
            Field::Title,
            Field::Summary,
            Field::Keywords,
            Field::Body,
            Field::Attachment,
        ] {
            assert_eq!(serde_json::to_value(f).unwrap(), f.code());
        }
    }
}
