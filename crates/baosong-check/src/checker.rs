//! The engine: runs every detector over every field and resolves positions.

use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::attachment::{
    AttachmentInput, AttachmentSpot, PartKind, finding_for_fact, is_image, missing_alt,
    presence_of_part,
};
use crate::detect::{self, FieldText, Hit};
use crate::finding::{CheckReport, Detector, Field, Finding, Message, Severity, Span};
use crate::lexicon::format::Category;
use crate::lexicon::{self, CompiledLexicon, LexiconError, LexiconSet};
use crate::text::fold::fold_str;
use crate::text::{Folded, Positions, Prepared};

/// How the body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BodyFormat {
    /// GFM Markdown as the store keeps it.
    Markdown,
    /// Plain text, e.g. the editor's visible text.
    Plain,
}

/// What to check. Title, summary and keywords are plain text.
#[derive(Debug, Clone, Copy)]
pub struct CheckInput<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub keywords: &'a str,
    pub body: &'a str,
    pub body_format: BodyFormat,
}

impl<'a> CheckInput<'a> {
    /// Just a body (a file on the command line, the editor's text).
    pub fn body(body: &'a str, body_format: BodyFormat) -> CheckInput<'a> {
        CheckInput {
            title: "",
            summary: "",
            keywords: "",
            body,
            body_format,
        }
    }
}

/// The SHA-256 (hex) a report is tied to: over the JSON array
/// `[title, summary, keywords, body]` as serde_json writes it, so any change
/// to any checked field changes it.
pub fn content_hash(input: &CheckInput) -> String {
    content_hash_with(input, &[])
}

/// As [`content_hash`], covering the attachments too: with any, the JSON
/// array gains a fifth element, `[[sha256, name, alt], …]`, so adding,
/// removing, renaming or replacing a file changes it. Without attachments it
/// is the same as [`content_hash`], so reports stored before attachments
/// existed stay valid.
pub fn content_hash_with(input: &CheckInput, attachments: &[AttachmentInput]) -> String {
    let fields = [input.title, input.summary, input.keywords, input.body];
    let canonical = if attachments.is_empty() {
        serde_json::to_string(&fields)
    } else {
        let files: Vec<[&str; 3]> = attachments
            .iter()
            .map(|a| [a.sha256, a.name, a.alt])
            .collect();
        serde_json::to_string(&(fields[0], fields[1], fields[2], fields[3], files))
    }
    .unwrap_or_default();
    hex(&Sha256::digest(canonical.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How many non-empty lines at the top of the body count as its header.
const HEADER_LINES: usize = 3;

/// Runs the checks. Cheap to clone; lexicons are shared.
#[derive(Clone, Default)]
pub struct Checker {
    lexicons: LexiconSet,
}

impl Checker {
    /// A checker without lexicons (markings, personal data, norms, links).
    pub fn new() -> Checker {
        Checker::default()
    }

    /// A checker with the lexicons that ship with Baosong.
    pub fn builtin() -> Result<Checker, LexiconError> {
        static BUILTIN: OnceLock<Result<LexiconSet, LexiconError>> = OnceLock::new();
        let set = BUILTIN.get_or_init(|| {
            let mut set = LexiconSet::default();
            for (name, text) in lexicon::BUILTIN {
                let src = lexicon::format::parse(name, text.as_bytes())?;
                set.insert(Arc::new(CompiledLexicon::compile(src)?));
            }
            Ok(set)
        });
        set.clone().map(|lexicons| Checker { lexicons })
    }

    /// Adds (or replaces, by name) one lexicon. The others are not recompiled.
    pub fn add_lexicon(&mut self, lexicon: Arc<CompiledLexicon>) {
        self.lexicons.insert(lexicon);
    }

    /// Parses, compiles and adds a lexicon file's bytes.
    pub fn add_lexicon_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<(), LexiconError> {
        let src = lexicon::format::parse(name, bytes)?;
        self.add_lexicon(Arc::new(CompiledLexicon::compile(src)?));
        Ok(())
    }

    pub fn lexicons(&self) -> &LexiconSet {
        &self.lexicons
    }

    pub fn check(&self, input: &CheckInput) -> CheckReport {
        self.check_with_attachments(input, &[])
    }

    /// Checks the item's fields and its attachments: every detector over
    /// every part of every file, plus a finding for each piece of hidden
    /// content and each fact (see [`crate::attachment`]).
    pub fn check_with_attachments(
        &self,
        input: &CheckInput,
        attachments: &[AttachmentInput],
    ) -> CheckReport {
        let mut findings = Vec::new();
        let fields = [
            (Field::Title, input.title, BodyFormat::Plain),
            (Field::Summary, input.summary, BodyFormat::Plain),
            (Field::Keywords, input.keywords, BodyFormat::Plain),
            (Field::Body, input.body, input.body_format),
        ];
        for (field, text, format) in fields {
            if !text.is_empty() {
                self.check_field(field, text, format, None, &mut findings);
            }
        }
        for (index, a) in attachments.iter().enumerate() {
            self.check_attachment(index as u32, a, &mut findings);
        }
        CheckReport {
            content_hash: content_hash_with(input, attachments),
            engine_version: env!("CARGO_PKG_VERSION").to_owned(),
            lexicons: self.lexicons.versions(),
            findings,
        }
    }

    fn check_attachment(&self, index: u32, a: &AttachmentInput, out: &mut Vec<Finding>) {
        let spot = |part: Option<PartKind>, location: &str| AttachmentSpot {
            index,
            name: a.name.to_owned(),
            sha256: a.sha256.to_owned(),
            part,
            location: location.to_owned(),
        };
        // The whole file, not a place in it: an empty span.
        let whole = |rule: &str, severity, message, matched: &str, s: AttachmentSpot| Finding {
            detector: Detector::Attachment,
            fingerprint: format!("{rule}:{}:{}", a.sha256, fold_str(&s.location)),
            rule: rule.to_owned(),
            severity,
            field: Field::Attachment,
            span: Span::default(),
            matched: matched.to_owned(),
            excerpt: excerpt_of(matched),
            message,
            suggestion: None,
            attachment: Some(s),
        };
        if is_image(a.media_type) && a.alt.trim().is_empty() {
            let (rule, severity, message) = missing_alt();
            out.push(whole(rule, severity, message, "", spot(None, "")));
        }
        for fact in &a.scan.facts {
            let (rule, severity, message) = finding_for_fact(fact);
            let s = spot(None, &fact.label);
            out.push(whole(rule, severity, message, &fact.value, s));
        }
        for part in &a.scan.parts {
            let s = spot(Some(part.kind), &part.location);
            if let Some((rule, severity, message)) = presence_of_part(part) {
                out.push(whole(rule, severity, message, &part.text, s.clone()));
            }
            if !part.text.is_empty() {
                self.check_field(
                    Field::Attachment,
                    &part.text,
                    BodyFormat::Plain,
                    Some(&s),
                    out,
                );
            }
        }
    }

    fn check_field(
        &self,
        field: Field,
        source: &str,
        format: BodyFormat,
        spot: Option<&AttachmentSpot>,
        out: &mut Vec<Finding>,
    ) {
        let prepared = match format {
            BodyFormat::Markdown => Prepared::markdown(source),
            BodyFormat::Plain => Prepared::plain(source),
        };
        let folded = Folded::new(&prepared.text);
        let t = FieldText {
            field,
            prepared: &prepared,
            folded: &folded,
        };
        let mut hits = Vec::new();
        detect::marking::detect(&t, HEADER_LINES, &mut hits);
        detect::pii::detect(&t, &mut hits);
        self.lexicon_hits(&t, &mut hits);
        detect::norms::detect(&t, &mut hits);
        detect::links::detect(&t, &mut hits);
        hits.retain(|h| h.start < h.end);
        hits.sort_by_key(|h| (h.start, h.end));

        let ranges: Vec<(usize, usize)> = hits
            .iter()
            .map(|h| (prepared.source_start(h.start), prepared.source_end(h.end)))
            .collect();
        let positions = Positions::resolve(source, ranges.iter().flat_map(|&(s, e)| [s, e]));
        for (h, &(s, e)) in hits.into_iter().zip(&ranges) {
            let seen = &prepared.text[h.start..h.end];
            let fingerprint = match spot {
                None => format!("{}:{}", h.rule, fold_str(seen)),
                Some(a) => format!("{}:{}:{}", h.rule, a.sha256, fold_str(seen)),
            };
            out.push(Finding {
                detector: h.detector,
                fingerprint,
                rule: h.rule.to_owned(),
                severity: h.severity,
                field,
                span: positions.span(s, e),
                matched: source[s..e].to_owned(),
                excerpt: excerpt(source, s, e),
                message: h.message,
                suggestion: h.suggestion,
                attachment: spot.cloned(),
            });
        }
    }

    fn lexicon_hits(&self, t: &FieldText, out: &mut Vec<Hit>) {
        // The prepared text as written: the matcher folds width and case in
        // its code table, so no folded copy and no offset map are needed.
        for h in self.lexicons.scan(t.text()) {
            let e = h.entry;
            let (start, end) = (h.start, h.end);
            let seen = &t.text()[start..end];
            let note = e
                .note
                .as_deref()
                .map(|n| format!("（{n}）"))
                .unwrap_or_default();
            let sugg = e.suggestion.as_deref().unwrap_or("");
            let (rule, zh, en) = match e.category {
                Category::Misstatement => (
                    "lexicon.misstatement",
                    format!("严重表述错误：“{seen}”应为“{sugg}”{note}"),
                    format!("Serious misstatement: '{seen}' should be '{sugg}'"),
                ),
                Category::Outdated => (
                    "lexicon.outdated",
                    format!("过时表述：“{seen}”，现为“{sugg}”{note}"),
                    format!("Outdated name: '{seen}' is now '{sugg}'"),
                ),
                Category::Sensitive => (
                    "lexicon.sensitive",
                    format!("敏感表述：“{seen}”{note}"),
                    format!("Sensitive wording: '{seen}'"),
                ),
                Category::Classification => (
                    "lexicon.classification",
                    format!("涉密或内部表述：“{seen}”{note}"),
                    format!("Classified or internal wording: '{seen}'"),
                ),
                Category::Custom | Category::Allow => (
                    "lexicon.custom",
                    format!("词库“{}”中的词：“{seen}”{note}", h.lexicon),
                    format!("Term from lexicon '{}': '{seen}'", h.lexicon),
                ),
            };
            out.push(Hit {
                detector: Detector::Lexicon,
                rule,
                severity: e.severity,
                start,
                end,
                message: Message::new(zh, en),
                suggestion: e.suggestion.clone(),
            });
        }
    }
}

/// The first 40 characters of a hidden part's text, on one line.
fn excerpt_of(text: &str) -> String {
    let mut e: String = text.chars().take(40).collect();
    if text.chars().nth(40).is_some() {
        e.push('…');
    }
    e.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Up to 12 characters either side of `s..e`, on one line.
fn excerpt(source: &str, s: usize, e: usize) -> String {
    let before: String = {
        let mut v: Vec<char> = source[..s].chars().rev().take(12).collect();
        v.reverse();
        v.into_iter().collect()
    };
    let after: String = source[e..].chars().take(12).collect();
    format!("{before}{}{after}", &source[s..e])
        .chars()
        .map(|c| {
            if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

impl Severity {
    /// Whether a finding of this severity holds an item back from sign-off
    /// until fixed (blocker) or decided (error).
    pub fn gates(self) -> bool {
        self >= Severity::Error
    }
}
