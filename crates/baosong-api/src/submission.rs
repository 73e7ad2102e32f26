//! What a unit submits (报送) and what the portal keeps of it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::changes::StatusChange;
use crate::columns::UnitRef;
use crate::me::Actor;
use crate::status::SubmissionStatus;

/// The longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 500;
/// The longest summary (内容概述), in characters.
pub const MAX_SUMMARY_CHARS: usize = 5_000;
/// The longest short text field (author, 文号, categories, …), in characters.
pub const MAX_FIELD_CHARS: usize = 1_000;
/// The most keywords (主题词).
pub const MAX_KEYWORDS: usize = 50;
/// The most findings in a check report.
pub const MAX_FINDINGS: usize = 2_000;

/// 紧急程度.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// 普通
    #[default]
    Normal,
    /// 紧急
    Urgent,
}

/// 公开属性.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisclosureKind {
    /// 主动公开
    #[default]
    Proactive,
    /// 依申请公开
    OnRequest,
    /// 不予公开 (needs `withheld_reason`)
    Withheld,
}

/// 有效性.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// 有效
    #[default]
    Valid,
    /// 已修订
    Amended,
    /// 已废止
    Repealed,
}

/// The 政府信息公开目录 fields of an item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Disclosure {
    pub kind: DisclosureKind,
    /// Why the item is 不予公开; required for that kind, empty otherwise.
    pub withheld_reason: String,
    /// 文号, e.g. 武政办发〔2016〕35号.
    #[schema(example = "武政办发〔2016〕35号")]
    pub doc_number: String,
    /// 成文日期 (YYYY-MM-DD; for official documents the signing date).
    pub written_date: Option<NaiveDate>,
    /// 主题分类
    pub topic_category: String,
    /// 体裁分类
    pub genre_category: String,
    pub validity: Validity,
}

/// The item's metadata (稿件信息).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemMetadata {
    /// 名称
    #[schema(example = "市教育局召开2026年秋季学期安全工作会议", min_length = 1)]
    pub title: String,
    /// The target column's id (see `GET /me` for the unit's columns).
    #[schema(example = "bmdt", min_length = 1)]
    pub column_id: String,
    /// 内容概述
    #[serde(default)]
    pub summary: String,
    /// 执笔人
    #[serde(default)]
    pub author: String,
    /// The author's phone, for the editor's questions; never published.
    #[serde(default)]
    pub author_phone: String,
    /// 来源单位 / 发布机构 (full official name).
    #[serde(default)]
    #[schema(example = "市教育局")]
    pub source_unit: String,
    /// 主题词
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub urgency: Urgency,
    #[serde(default)]
    pub disclosure: Disclosure,
}

/// How serious a finding of the self-check is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Must be fixed before submitting (classification marks, unmasked IDs).
    Blocker,
    /// Must be fixed or waived with a written reason.
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn code(self) -> &'static str {
        match self {
            Severity::Blocker => "blocker",
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// What a person decided about a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FindingDecisionKind {
    /// The text was changed.
    Fixed,
    /// Kept as it is, with a written reason.
    Waived,
}

/// A decision on a finding, with who made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingDecision {
    pub kind: FindingDecisionKind,
    /// Required when waived.
    #[serde(default)]
    pub reason: String,
    /// Who decided (username or name).
    pub by: String,
    pub at: DateTime<Utc>,
}

/// One finding of the self-check (自查).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// The rule that fired, e.g. `secrecy.classification_mark`.
    #[schema(example = "privacy.mobile_number")]
    pub rule_id: String,
    pub severity: Severity,
    /// The text that fired it, short, already masked where it is personal data.
    #[serde(default)]
    #[schema(example = "138****1234")]
    pub excerpt: String,
    /// Where: `title`, `summary`, `body`, … (empty when not known).
    #[serde(default)]
    pub field: String,
    /// Absent while nobody decided.
    #[serde(default)]
    pub decision: Option<FindingDecision>,
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CheckSummary {
    pub blockers: u32,
    pub errors: u32,
    pub warnings: u32,
    pub infos: u32,
}

impl CheckSummary {
    /// The counts of `findings`.
    pub fn of(findings: &[Finding]) -> CheckSummary {
        let mut s = CheckSummary::default();
        for f in findings {
            let n = match f.severity {
                Severity::Blocker => &mut s.blockers,
                Severity::Error => &mut s.errors,
                Severity::Warning => &mut s.warnings,
                Severity::Info => &mut s.infos,
            };
            *n = n.saturating_add(1);
        }
        s
    }
}

/// The client's self-check report and the decisions on it. The client maps
/// its check engine's output to this shape.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CheckReport {
    /// The engine and its version, e.g. `baosong-check 0.1.0`.
    pub engine: String,
    /// When the check ran; absent if it did not.
    pub checked_at: Option<DateTime<Utc>>,
    /// Must equal the counts of `findings`.
    pub summary: CheckSummary,
    pub findings: Vec<Finding>,
}

/// The sign-off (签发) of the unit head: an Ed25519 signature over the
/// sign-off statement (see `docs/api/README.md`, "Sign-off"), which covers
/// the content hash, the attachments, the check report, the signer, the key,
/// the signing time and the opinion. The portal refuses a submission without
/// one, or with one that does not verify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Signoff {
    /// Who signed (签发人): the portal username of a head of the submitting unit.
    #[schema(example = "jyj.fzr")]
    pub signer: String,
    /// Which of the signer's registered keys signed (see `POST /me/keys`).
    #[schema(example = "3f2a9c017b44e1d05a6b7c8d9e0f1a2b")]
    pub key_id: String,
    /// The Ed25519 signature of the statement, lowercase hex (128 characters).
    #[schema(min_length = 128, max_length = 128, pattern = "^[0-9a-f]{128}$")]
    pub signature: String,
    /// When it was signed; must fall inside the key's validity.
    pub signed_at: DateTime<Utc>,
    /// 签发意见, e.g. 同意报送.
    #[serde(default)]
    #[schema(example = "同意报送")]
    pub opinion: String,
}

/// A file attached to an item, named by its SHA-256. The sign-off covers
/// every attachment's hash, name and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentRef {
    /// Lowercase hex SHA-256 of the file's bytes.
    #[schema(pattern = "^[0-9a-f]{64}$", min_length = 64, max_length = 64)]
    pub sha256: String,
    /// The file name as shown to readers.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// The media type, e.g. `image/jpeg`.
    #[serde(default)]
    pub media_type: String,
}

/// `POST /submissions` and `PUT /submissions/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmissionRequest {
    /// The client's own id of the item, so the portal can tell it back.
    pub client_item_id: Uuid,
    /// The client's revision number of the item, for people comparing notes.
    #[serde(default)]
    pub client_revision: Option<u32>,
    pub item: ItemMetadata,
    /// The body as GitHub-flavoured Markdown (authoritative).
    pub body_markdown: String,
    /// The body rendered and sanitised by the client, as previewed and signed.
    pub body_html: String,
    /// Lowercase hex SHA-256 of the canonical form of the metadata, Markdown
    /// and HTML (see docs/api/README.md, "Content hash").
    #[schema(pattern = "^[0-9a-f]{64}$", min_length = 64, max_length = 64)]
    pub content_hash: String,
    #[serde(default)]
    pub check: CheckReport,
    /// The files attached to the item, in the order they appear.
    #[serde(default)]
    pub attachments: Vec<AttachmentRef>,
    /// Required: the portal refuses a submission without a valid sign-off
    /// (`signoff_missing`, `signature_invalid`, …). Optional only so that a
    /// review request (`POST /reviews`) can carry the same shape unsigned.
    #[serde(default)]
    pub signoff: Option<Signoff>,
}

impl SubmissionRequest {
    /// The content hash this request should carry.
    pub fn computed_content_hash(&self) -> String {
        crate::hash::content_hash(&self.item, &self.body_markdown, &self.body_html)
    }
}

/// A submission as the portal keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Submission {
    /// The portal's id.
    pub id: Uuid,
    pub client_item_id: Uuid,
    pub client_revision: Option<u32>,
    pub unit: UnitRef,
    /// Who submitted the current revision.
    pub submitted_by: Actor,
    /// 1 for the first submission, +1 for each resubmission. The `ETag` is
    /// `"r<revision>"`.
    pub revision: u32,
    pub status: SubmissionStatus,
    /// The editor's reason, while returned.
    pub returned_reason: Option<String>,
    /// Where it is online, once published.
    pub public_url: Option<String>,
    pub item: ItemMetadata,
    pub body_markdown: String,
    pub body_html: String,
    pub content_hash: String,
    pub check: CheckReport,
    #[serde(default)]
    pub attachments: Vec<AttachmentRef>,
    pub signoff: Option<Signoff>,
    /// The signer as the portal knows them, once the signature verified.
    #[serde(default)]
    pub signed_by: Option<Actor>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Every status change, oldest first.
    pub history: Vec<StatusChange>,
}
