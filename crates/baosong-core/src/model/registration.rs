//! The registration record (登记) kept per item: who wrote it, who ran the
//! secrecy review, who it was sent to, who signed it with which key, and
//! every step at the portal, each with its time. It is what the printed
//! approval sheet (信息报送审批单 / 保密审查单, see [`crate::sheet`]) shows.
//!
//! Everything is about one revision of the item (its current one). A step
//! that has not happened for that revision is `None`: the record is read
//! from stored facts and never fills a gap.

use baosong_check::{DecisionKind, Severity};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ItemId, ItemState};

/// The registration record of one item revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegistrationRecord {
    pub item_id: ItemId,
    pub revision: u32,
    pub state: ItemState,
    /// 名称
    pub title: String,
    /// 栏目 (its name)
    pub column: String,
    /// 来源单位
    pub source_unit: String,
    /// 执笔人
    pub author: String,
    pub author_phone: String,
    /// 保密审查: the passing check this revision was sent for sign-off with.
    pub secrecy_review: Option<SecrecyReview>,
    /// 送审
    pub sent_for_review: Option<SentForReview>,
    /// 签发
    pub signoff: Option<SignoffRecord>,
    /// 报送: when the portal acknowledged this revision.
    pub submitted_at: Option<DateTime<Utc>>,
    /// What the portal did with the submission of this revision.
    pub portal: PortalSteps,
}

/// The secrecy review (保密审查): the check that passed the gate to 送审.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SecrecyReview {
    /// 保密审查人: who ran the passing check (the user the audit log names).
    pub by: String,
    pub at: DateTime<Utc>,
    /// What was checked (SHA-256 hex of the checked content).
    pub content_hash: String,
    pub engine_version: String,
    pub summary: CheckSummary,
}

/// The counts of the check's findings by severity, and the findings that
/// needed a person's decision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckSummary {
    pub blockers: u32,
    pub errors: u32,
    pub warnings: u32,
    pub infos: u32,
    /// Every blocker and error, with what was decided about it.
    pub decided: Vec<DecidedFinding>,
}

/// A finding that needed a decision, and the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DecidedFinding {
    pub rule: String,
    pub severity: Severity,
    /// `title`, `summary`, `keywords` or `body`.
    pub field: String,
    pub matched: String,
    /// The finding's message (zh-CN).
    pub message: String,
    /// `None` when nobody decided (cannot happen for a check that passed;
    /// shown rather than hidden if a stored report says otherwise).
    pub decision: Option<DecisionKind>,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

/// 送审: who sent the revision to which head, when, with what note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SentForReview {
    pub review_id: String,
    pub by: String,
    pub by_name: String,
    /// `None`: any head of the unit.
    pub to_user: Option<String>,
    pub to_name: Option<String>,
    pub at: DateTime<Utc>,
    pub note: String,
}

/// 签发: the head's signature over the revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignoffRecord {
    /// 签发人 (name) and username.
    pub signer_name: String,
    pub signer: String,
    pub opinion: String,
    pub signed_at: DateTime<Utc>,
    pub key_id: String,
    /// The key id as people compare it (`3F2A 9C01 …`), as the portal shows it.
    pub key_fingerprint: String,
    /// SHA-256 hex of the signed content.
    pub content_hash: String,
    /// The start of the signature, enough to match it with the portal's.
    pub signature_excerpt: String,
    /// Set when the sign-off no longer holds (签发已失效).
    pub invalidated_at: Option<DateTime<Utc>>,
    pub invalidated_reason: Option<String>,
}

/// One step at the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PortalStep {
    pub at: DateTime<Utc>,
    /// Who made the change at the portal.
    pub by: String,
    /// 退回 / 未采用 reason.
    pub reason: Option<String>,
    /// The public address (发布).
    pub url: Option<String>,
}

/// Each portal status the submission reached, the last time it reached it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PortalSteps {
    /// 已接收
    pub received: Option<PortalStep>,
    /// 审核中
    pub in_review: Option<PortalStep>,
    /// 已采用
    pub adopted: Option<PortalStep>,
    /// 已发布
    pub published: Option<PortalStep>,
    /// 退回
    pub returned: Option<PortalStep>,
    /// 未采用
    pub not_adopted: Option<PortalStep>,
    /// 已撤回
    pub withdrawn: Option<PortalStep>,
}

impl PortalSteps {
    /// The slot for a portal status code; `None` for a code this client does
    /// not know (a newer portal), which is then left out rather than guessed.
    pub fn slot_mut(&mut self, status: &str) -> Option<&mut Option<PortalStep>> {
        match status {
            "received" => Some(&mut self.received),
            "in_review" => Some(&mut self.in_review),
            "adopted" => Some(&mut self.adopted),
            "published" => Some(&mut self.published),
            "returned" => Some(&mut self.returned),
            "not_adopted" => Some(&mut self.not_adopted),
            "withdrawn" => Some(&mut self.withdrawn),
            _ => None,
        }
    }

    /// The steps with their zh-CN labels, in workflow order.
    pub fn labelled(&self) -> [(&'static str, Option<&PortalStep>); 7] {
        [
            ("门户接收", self.received.as_ref()),
            ("门户审核", self.in_review.as_ref()),
            ("采用", self.adopted.as_ref()),
            ("发布", self.published.as_ref()),
            ("退回", self.returned.as_ref()),
            ("未采用", self.not_adopted.as_ref()),
            ("撤回", self.withdrawn.as_ref()),
        ]
    }
}

/// The key id in groups of four, upper case: the same form as
/// `baosong_api::signing::fingerprint` (core does not depend on the API
/// crate; baosong-cli's tests/export.rs compares the two).
pub fn key_fingerprint(key_id: &str) -> String {
    let upper: Vec<char> = key_id.to_ascii_uppercase().chars().collect();
    upper
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}
