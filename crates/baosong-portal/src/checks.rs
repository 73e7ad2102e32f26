//! The portal's own check of what it receives.
//!
//! Issue 4: "the server also runs the check engine on what it receives and
//! records (not rejects) any finding the client should have caught". The
//! engine is `baosong-check`, built once at start-up ([`PortalChecker::builtin`])
//! and run on every received submission and revision on a blocking thread
//! before the write transaction (`api::submissions::prepare`), so it never
//! holds the writer. Findings of severity blocker, error and warning are
//! stored with the revision (`submission_revisions.server_findings`, a JSON
//! array of [`ServerFinding`]) and shown to portal editors; a finding is never
//! a reason to refuse: the portal records, a person decides.

use std::collections::HashMap;

use baosong_api::{Severity, SubmissionRequest};
use baosong_check::{BodyFormat, CheckInput, Checker, Detector};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One finding of the portal's own check, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerFinding {
    /// The engine's rule id, e.g. `pii.resident_id`.
    pub rule_id: String,
    pub severity: Severity,
    /// What fired it; personal data only in its masked form.
    pub excerpt: String,
    /// `title`, `summary`, `keywords` or `body`.
    pub field: String,
    /// The engine's explanation, in Chinese.
    #[serde(default)]
    pub message: String,
    /// 1-based line in the field (the Markdown source for the body).
    #[serde(default)]
    pub line: u32,
    /// Whether the client's report already listed it (same rule and field).
    pub reported_by_client: bool,
}

/// The check engine with the lexicons that ship with Baosong. Cheap to clone.
#[derive(Clone)]
pub struct PortalChecker(Checker);

impl PortalChecker {
    /// Compiles the built-in lexicons (once per process).
    pub fn builtin() -> Result<PortalChecker> {
        Checker::builtin()
            .map(PortalChecker)
            .map_err(|e| Error::Internal(format!("the check engine's lexicons: {e}")))
    }

    /// What the portal's check finds in a submission: blockers, errors and
    /// warnings (not infos), each marked whether the client reported it.
    pub fn server_findings(&self, req: &SubmissionRequest) -> Vec<ServerFinding> {
        let keywords = req.item.keywords.join("；");
        let report = self.0.check(&CheckInput {
            title: &req.item.title,
            summary: &req.item.summary,
            keywords: &keywords,
            body: &req.body_markdown,
            body_format: BodyFormat::Markdown,
        });
        // The client's findings by (rule, field), counted, so that two
        // findings of one rule need two reports.
        let mut reported: HashMap<(String, String), usize> = HashMap::new();
        for f in &req.check.findings {
            *reported
                .entry((f.rule_id.clone(), f.field.clone()))
                .or_default() += 1;
        }
        let mut out = Vec::new();
        for f in report.findings {
            let severity = match f.severity {
                baosong_check::Severity::Blocker => Severity::Blocker,
                baosong_check::Severity::Error => Severity::Error,
                baosong_check::Severity::Warning => Severity::Warning,
                baosong_check::Severity::Info => continue,
            };
            let field = field_code(f.field);
            let reported_by_client = match reported.get_mut(&(f.rule.clone(), field.to_string())) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    true
                }
                _ => false,
            };
            let excerpt = if f.detector == Detector::Pii {
                // Never store personal data in the clear.
                f.suggestion
                    .unwrap_or_else(|| baosong_check::detect::mask::keep_ends(&f.matched, 1, 1))
            } else {
                f.matched
            };
            out.push(ServerFinding {
                rule_id: f.rule,
                severity,
                excerpt: excerpt.chars().take(200).collect(),
                field: field.to_string(),
                message: f.message.zh,
                line: f.span.line,
                reported_by_client,
            });
        }
        out
    }
}

fn field_code(field: baosong_check::Field) -> &'static str {
    field.code()
}

/// The findings as stored in `submission_revisions.server_findings`.
pub fn to_json(findings: &[ServerFinding]) -> String {
    serde_json::to_string(findings).unwrap_or_else(|_| "[]".to_string())
}

/// The findings stored with a revision.
pub fn from_json(json: &str) -> Result<Vec<ServerFinding>> {
    serde_json::from_str(json).map_err(|e| Error::BadRecord(format!("server_findings: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(body: &str) -> SubmissionRequest {
        SubmissionRequest {
            client_item_id: uuid::Uuid::nil(),
            client_revision: None,
            item: baosong_api::ItemMetadata {
                title: "标题".into(),
                column_id: "bmdt".into(),
                ..Default::default()
            },
            body_markdown: body.into(),
            body_html: String::new(),
            content_hash: String::new(),
            check: Default::default(),
            attachments: Vec::new(),
            signoff: None,
        }
    }

    #[test]
    fn finds_an_unmasked_id_and_stores_it_masked() {
        let c = PortalChecker::builtin().unwrap();
        let found = c.server_findings(&req("申请人身份证号11010519491231002X，请核实。"));
        let id = found
            .iter()
            .find(|f| f.rule_id == "pii.resident_id")
            .expect("resident id found");
        assert_eq!(id.field, "body");
        assert!(!id.excerpt.contains("11010519491231002X"), "{}", id.excerpt);
        assert!(!id.reported_by_client);
        assert!(to_json(&found).contains("pii.resident_id"));
        assert_eq!(from_json(&to_json(&found)).unwrap(), found);
    }

    #[test]
    fn fifty_thousand_characters_are_cheap() {
        let c = PortalChecker::builtin().unwrap();
        let para = "会议强调，要压实校园安全责任，做好开学前隐患排查，联系电话13812345678。\n\n";
        let body = para.repeat(50_000 / para.chars().count() + 1);
        let r = req(&body);
        c.server_findings(&r); // warm up
        let started = std::time::Instant::now();
        let found = c.server_findings(&r);
        let took = started.elapsed();
        assert!(!found.is_empty());
        // Generous for a debug build on a shared machine; release is far faster.
        assert!(took.as_millis() < 500, "{took:?}");
    }
}
