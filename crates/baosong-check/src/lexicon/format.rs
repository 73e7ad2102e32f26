//! The lexicon file format (documented in assets/lexicons/README.md).
//!
//! ```text
//! #! name: 严重表述错误
//! #! version: 2026.11.1
//! #! source: 国务院办公厅政府网站抽查情况通报
//! 中华人民共合国<TAB>misstatement<TAB>error<TAB>中华人民共和国<TAB>note
//! 某个词
//! ```
//!
//! Only the term is required; a file of bare terms is a valid lexicon.

use thiserror::Error;

use crate::finding::{Message, Severity};
use crate::text::fold::fold_str;

/// What kind of wording an entry describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 严重表述错误; the suggestion is the correct form.
    Misstatement,
    /// 过时表述 (renamed agencies); the suggestion is the current name.
    Outdated,
    /// 敏感表述.
    Sensitive,
    /// Classification or internal wording beyond the built-in marking detector.
    Classification,
    /// 白名单: never flagged as sensitive or custom.
    Allow,
    /// A user's or unit's own list.
    Custom,
}

impl Category {
    pub fn parse(s: &str) -> Option<Category> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "misstatement" | "严重表述错误" => Category::Misstatement,
            "outdated" | "过时表述" => Category::Outdated,
            "sensitive" | "敏感表述" | "敏感词" => Category::Sensitive,
            "classification" | "涉密" => Category::Classification,
            "allow" | "白名单" => Category::Allow,
            "custom" | "自定义" => Category::Custom,
            _ => return None,
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            Category::Misstatement => "misstatement",
            Category::Outdated => "outdated",
            Category::Sensitive => "sensitive",
            Category::Classification => "classification",
            Category::Allow => "allow",
            Category::Custom => "custom",
        }
    }

    /// Whether an allow-list entry silences this category.
    pub fn allowable(self) -> bool {
        matches!(self, Category::Sensitive | Category::Custom)
    }
}

/// One line of a lexicon.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// As written in the file.
    pub term: String,
    pub category: Category,
    pub severity: Severity,
    pub suggestion: Option<String>,
    pub note: Option<String>,
}

/// A parsed lexicon file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconSource {
    pub name: String,
    pub version: String,
    pub sources: Vec<String>,
    pub entries: Vec<Entry>,
}

/// A lexicon file that cannot be used. Loading stops rather than silently
/// checking with fewer terms than the unit asked for.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LexiconError {
    #[error("lexicon {name}: not UTF-8 text (line {line}); save it as UTF-8")]
    NotUtf8 { name: String, line: usize },
    #[error("lexicon {name}, line {line}: unknown {field} \"{value}\"")]
    BadField {
        name: String,
        line: usize,
        field: &'static str,
        value: String,
    },
    #[error("lexicon {name}, line {line}: term longer than {max} characters")]
    TermTooLong {
        name: String,
        line: usize,
        max: usize,
    },
    #[error("lexicon {name}: cannot build the matcher: {reason}")]
    Build { name: String, reason: String },
    #[error("lexicon cache is damaged or from another version")]
    BadCache,
}

impl LexiconError {
    pub fn message(&self) -> Message {
        let zh = match self {
            LexiconError::NotUtf8 { name, line } => {
                format!("词库“{name}”不是 UTF-8 文本（第 {line} 行），请另存为 UTF-8 编码")
            }
            LexiconError::BadField {
                name,
                line,
                field,
                value,
            } => {
                let f = if *field == "category" {
                    "类别"
                } else {
                    "级别"
                };
                format!("词库“{name}”第 {line} 行：无法识别的{f}“{value}”")
            }
            LexiconError::TermTooLong { name, line, max } => {
                format!("词库“{name}”第 {line} 行：词条超过 {max} 个字符")
            }
            LexiconError::Build { name, reason } => format!("词库“{name}”无法编译：{reason}"),
            LexiconError::BadCache => "词库缓存已损坏或版本不符".to_owned(),
        };
        Message::new(zh, self.to_string())
    }
}

/// Longest term accepted, in characters.
pub const MAX_TERM_CHARS: usize = 100;

/// Parses a lexicon file. `name` is used until a `#! name:` header says otherwise.
pub fn parse(name: &str, bytes: &[u8]) -> Result<LexiconSource, LexiconError> {
    let text = std::str::from_utf8(bytes).map_err(|e| LexiconError::NotUtf8 {
        name: name.to_owned(),
        line: bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1,
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lex = LexiconSource {
        name: name.to_owned(),
        version: "0".to_owned(),
        sources: Vec::new(),
        entries: Vec::new(),
    };
    let mut default_category = Category::Custom;
    let mut default_severity = Severity::Warning;
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.trim_end_matches('\r');
        if let Some(header) = line.strip_prefix("#!") {
            let Some((key, value)) = header.split_once(':') else {
                continue;
            };
            let value = value.trim();
            let bad = |field| LexiconError::BadField {
                name: lex.name.clone(),
                line: line_no,
                field,
                value: value.to_owned(),
            };
            match key.trim() {
                "name" => lex.name = value.to_owned(),
                "version" => lex.version = value.to_owned(),
                "source" => lex.sources.push(value.to_owned()),
                "default-category" => {
                    default_category = Category::parse(value).ok_or_else(|| bad("category"))?
                }
                "default-severity" => {
                    default_severity = Severity::parse(value).ok_or_else(|| bad("severity"))?
                }
                _ => {}
            }
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t').map(str::trim);
        let term = fields.next().unwrap_or_default();
        if term.is_empty() {
            continue;
        }
        if term.chars().count() > MAX_TERM_CHARS {
            return Err(LexiconError::TermTooLong {
                name: lex.name.clone(),
                line: line_no,
                max: MAX_TERM_CHARS,
            });
        }
        let field = |v: Option<&str>| v.filter(|s| !s.is_empty()).map(str::to_owned);
        let (category, severity) = (field(fields.next()), field(fields.next()));
        let bad = |field, value: &str| LexiconError::BadField {
            name: lex.name.clone(),
            line: line_no,
            field,
            value: value.to_owned(),
        };
        let category = match category {
            Some(c) => Category::parse(&c).ok_or_else(|| bad("category", &c))?,
            None => default_category,
        };
        let severity = match severity {
            Some(s) => Severity::parse(&s).ok_or_else(|| bad("severity", &s))?,
            None => default_severity,
        };
        lex.entries.push(Entry {
            term: term.to_owned(),
            category,
            severity,
            suggestion: field(fields.next()),
            note: field(fields.next()),
        });
    }
    Ok(lex)
}

/// The form terms are matched in: half-width, lower case.
pub fn normal_form(term: &str) -> String {
    fold_str(term)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_and_bare_lines() {
        let src = "\u{feff}#! name: 测试\n#! version: 1.2\n# comment\n\n攻府\tmisstatement\terror\t政府\t常见错字\r\n某词\n";
        let lex = parse("file", src.as_bytes()).unwrap();
        assert_eq!((lex.name.as_str(), lex.version.as_str()), ("测试", "1.2"));
        assert_eq!(lex.entries.len(), 2);
        assert_eq!(lex.entries[0].suggestion.as_deref(), Some("政府"));
        assert_eq!(lex.entries[1].category, Category::Custom);
        assert_eq!(lex.entries[1].severity, Severity::Warning);
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse("u", "a\tmisstatement\tfatal\n".as_bytes()).unwrap_err();
        assert!(matches!(
            err,
            LexiconError::BadField {
                line: 1,
                field: "severity",
                ..
            }
        ));
        let err = parse("u", b"ok\n\xb9\xa5\xb8\xae\n").unwrap_err();
        assert_eq!(
            err,
            LexiconError::NotUtf8 {
                name: "u".into(),
                line: 2
            }
        );
        assert!(err.message().zh.contains("UTF-8"));
    }
}
