//! Shapes that the CLI's `--json` output and the desktop UI consume, beyond the
//! model itself. The UI's TypeScript types are generated from these.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::i18n::Lang;
use crate::model::{Item, ItemState};
use crate::workflow::{self, ActionKind};

/// An item as an editor screen needs it: the item plus what may be done to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ItemView {
    pub item: Item,
    pub allowed_actions: Vec<ActionKind>,
    /// Whether the content may be changed (false while the portal has it).
    pub editable: bool,
}

impl From<Item> for ItemView {
    fn from(item: Item) -> Self {
        ItemView {
            allowed_actions: workflow::allowed_actions(item.state),
            editable: workflow::is_editable(item.state),
            item,
        }
    }
}

/// Which items to list: an optional state filter, an optional full-text query
/// (title, summary and body; works for two-character Chinese words), a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct ListQuery {
    pub state: Option<ItemState>,
    pub search: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            state: None,
            search: None,
            offset: 0,
            limit: 50,
        }
    }
}

/// One entry of an item's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RevisionSummary {
    pub revision: u32,
    pub state: ItemState,
    pub title: String,
    #[ts(type = "string")]
    pub saved_at: DateTime<Utc>,
    pub saved_by: String,
    /// Why the revision was made, when not a plain edit ("restored from revision 3").
    pub note: Option<String>,
    /// Characters in the body, to show the size of a change at a glance.
    pub body_chars: u32,
}

/// One changed field between two revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldChange {
    /// Dotted field path, e.g. `title` or `disclosure.doc_number`.
    pub field: String,
    pub old: String,
    pub new: String,
}

/// What changed between two revisions: metadata fields one by one and the body
/// as a line diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RevisionDiff {
    pub from: u32,
    pub to: u32,
    pub fields: Vec<FieldChange>,
    pub body: Vec<DiffLine>,
    /// The body diff in unified format, for the CLI and for copying.
    pub body_unified: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DiffTag {
    Equal,
    Delete,
    Insert,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiffLine {
    pub tag: DiffTag,
    pub text: String,
}

/// An entry of the append-only audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    pub seq: i64,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub item_id: Option<String>,
    pub revision: Option<u32>,
    pub detail: String,
    /// The previous entry's hash (the genesis value for the first); see
    /// docs/audit.md. None only for an entry added behind Baosong's back.
    pub prev_hash: Option<String>,
    /// SHA-256 over this entry's canonical form, `baosong-audit-v1`.
    pub hash: Option<String>,
}

/// What `Store::verify_audit` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditReport {
    /// How many entries were checked.
    pub entries: u32,
    /// The last entry's number and hash: written down elsewhere (on the
    /// printed form, in a message), they let a later check notice entries
    /// removed from the end, which the chain alone cannot.
    pub head_seq: Option<i64>,
    pub head_hash: Option<String>,
    /// Empty when the log is intact.
    pub problems: Vec<AuditProblem>,
}

impl AuditReport {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// One entry that does not hold up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditProblem {
    /// The entry (for `missing`, the first missing number).
    pub seq: i64,
    pub kind: AuditProblemKind,
    pub message_zh: String,
    pub message_en: String,
}

/// How an entry fails verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AuditProblemKind {
    /// The entry no longer matches its hash: changed after it was written
    /// (or made up, with a made-up hash).
    Edited,
    /// Numbers are missing before this entry: entries were deleted.
    Missing,
    /// A genuine entry now sits at another position than the one it was
    /// written at: entries were reordered.
    Moved,
    /// The entry is not part of the chain (the entries around it link to
    /// each other): it was inserted.
    Inserted,
    /// The entry is intact but does not link to the one before it: the
    /// previous entry was replaced or the chain re-hashed from there.
    BrokenLink,
    /// The entry has no hash although the chain had begun before it: it was
    /// added outside Baosong.
    Unchained,
}

impl AuditProblemKind {
    pub fn code(self) -> &'static str {
        match self {
            AuditProblemKind::Edited => "edited",
            AuditProblemKind::Missing => "missing",
            AuditProblemKind::Moved => "moved",
            AuditProblemKind::Inserted => "inserted",
            AuditProblemKind::BrokenLink => "broken_link",
            AuditProblemKind::Unchained => "unchained",
        }
    }
}

/// An error as shown to a person: a stable code for programs and tests, and the
/// message in both interface languages so the UI can show the one in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserError {
    pub code: String,
    pub zh: String,
    pub en: String,
}

impl UserError {
    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// What the desktop shell tells the UI about itself at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    /// The language the system asks for; the UI may override it.
    pub lang: Lang,
}

/// An item's check as the editor's check panel shows it: the findings on the
/// stored content, the decisions in force, and whether it may go to sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ItemCheck {
    pub report: baosong_check::CheckReport,
    pub decisions: Vec<baosong_check::Decision>,
    pub gate: baosong_check::GateStatus,
}
