//! Decisions on findings and the gate before sign-off.
//!
//! A finding is either fixed (its text changed, so it no longer appears) or,
//! for errors only, confirmed by a person with a written reason (确认无误).
//! Blockers cannot be waived. An item may go to sign-off when no blocker is
//! left and every error has a decision.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use crate::finding::{CheckReport, Finding, Message, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DecisionKind {
    /// Corrected or masked (applied from a suggestion, or edited by hand).
    Fixed,
    /// 确认无误: a person confirmed it is not a problem, with a reason.
    Waived,
}

/// A person's decision on one finding, keyed by the finding's fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Decision {
    pub fingerprint: String,
    pub kind: DecisionKind,
    /// Required for `Waived`.
    pub reason: Option<String>,
    /// Who decided (the signed-in user, or the OS user offline).
    pub by: String,
    /// RFC 3339.
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecisionError {
    #[error("a blocker cannot be waived; fix or mask it")]
    BlockerNotWaivable,
    #[error("confirming a finding needs a written reason")]
    ReasonRequired,
    #[error("only errors can be confirmed; warnings and notes need no decision")]
    NotAnError,
}

impl DecisionError {
    pub fn message(&self) -> Message {
        let zh = match self {
            DecisionError::BlockerNotWaivable => "阻断级问题不能确认放行，必须修改或打码",
            DecisionError::ReasonRequired => "确认无误需要填写理由",
            DecisionError::NotAnError => "只有“错误”级问题需要确认；警告和提示无需决定",
        };
        Message::new(zh, self.to_string())
    }
}

/// Shortest reason accepted, in characters.
pub const MIN_REASON_CHARS: usize = 2;

/// Checks that `kind` (with `reason`) is an allowed decision on `finding`.
pub fn validate(
    finding: &Finding,
    kind: DecisionKind,
    reason: Option<&str>,
) -> Result<(), DecisionError> {
    if kind == DecisionKind::Fixed {
        return Ok(());
    }
    match finding.severity {
        Severity::Blocker => Err(DecisionError::BlockerNotWaivable),
        Severity::Error => match reason.map(str::trim) {
            Some(r) if r.chars().count() >= MIN_REASON_CHARS => Ok(()),
            _ => Err(DecisionError::ReasonRequired),
        },
        Severity::Warning | Severity::Info => Err(DecisionError::NotAnError),
    }
}

/// Where an item stands before sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GateStatus {
    /// Ready to send for sign-off (可以送审).
    pub ready: bool,
    pub blockers: u32,
    /// Errors without a waiver.
    pub undecided_errors: u32,
    pub waived_errors: u32,
    pub warnings: u32,
    pub infos: u32,
}

/// Applies `decisions` to `report`. A waiver only counts for an error whose
/// fingerprint it names; a `Fixed` decision on a finding that is still
/// present does not clear it (the text must actually change).
pub fn gate(report: &CheckReport, decisions: &[Decision]) -> GateStatus {
    let waived = |f: &Finding| {
        decisions
            .iter()
            .any(|d| d.kind == DecisionKind::Waived && d.fingerprint == f.fingerprint)
    };
    let mut s = GateStatus {
        ready: false,
        blockers: 0,
        undecided_errors: 0,
        waived_errors: 0,
        warnings: 0,
        infos: 0,
    };
    for f in &report.findings {
        match f.severity {
            Severity::Blocker => s.blockers += 1,
            Severity::Error if waived(f) => s.waived_errors += 1,
            Severity::Error => s.undecided_errors += 1,
            Severity::Warning => s.warnings += 1,
            Severity::Info => s.infos += 1,
        }
    }
    s.ready = s.blockers == 0 && s.undecided_errors == 0;
    s
}
