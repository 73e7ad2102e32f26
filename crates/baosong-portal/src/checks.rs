//! HOOK — the portal's own check of what it receives.
//!
//! Issue 4 asks that "the server also runs the check engine on what it
//! receives and records (not rejects) any finding the client should have
//! caught". The check engine (`crates/baosong-check`) is being written and
//! has no API to call yet. Until it does, [`server_findings`] finds nothing and
//! every revision is stored with `server_findings = '[]'`
//! (`submission_revisions.server_findings`, a JSON array).
//!
//! To wire it in: run the engine on the item's metadata and `body_markdown`
//! here, map each finding to [`ServerFinding`], and never return an error
//! because of a finding: the portal records, a person decides. It is called
//! on a blocking thread before the write transaction
//! (`api::submissions::prepare`), so a slow engine does not hold the writer.

use baosong_api::{Severity, SubmissionRequest};
use serde::Serialize;

/// One finding of the portal's own check, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerFinding {
    pub rule_id: String,
    pub severity: Severity,
    pub excerpt: String,
    pub field: String,
    /// Whether the client's report already listed it.
    pub reported_by_client: bool,
}

/// What the portal's check finds in a submission. Empty until the check
/// engine has an API (see the module documentation).
pub fn server_findings(_req: &SubmissionRequest) -> Vec<ServerFinding> {
    Vec::new()
}

/// The findings as stored in `submission_revisions.server_findings`.
pub fn to_json(findings: &[ServerFinding]) -> String {
    serde_json::to_string(findings).unwrap_or_else(|_| "[]".to_string())
}
