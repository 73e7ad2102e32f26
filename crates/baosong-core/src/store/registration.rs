//! The registration record (登记) of an item revision, assembled from where
//! each fact is kept: the item row (author, unit), `check_reports` (the
//! passing check and its decisions), the audit log (who ran that check; when
//! the portal acknowledged the revision), `reviews` (送审), `signoffs` (签发)
//! and `status_history` (what the portal did). Nothing is stored twice.

use baosong_check::{CheckReport, Decision, Severity};
use rusqlite::{OptionalExtension, params};

use super::items::{Loaded, load, parse_time};
use super::{Result, Store, signoffs};
use crate::model::{
    CheckSummary, DecidedFinding, ItemId, PortalStep, PortalSteps, RegistrationRecord,
    ReviewStatus, SecrecyReview, SentForReview, SignoffRecord, key_fingerprint,
};
use crate::view::AuditEntry;
use crate::workflow::ActionKind;

/// A kept check: the report, the decisions in force, and when it ran.
type StoredCheck = (CheckReport, Vec<Decision>, chrono::DateTime<chrono::Utc>);

/// How much of the signature the record shows: enough to compare it with
/// the portal's by eye, short enough for one table cell.
const SIGNATURE_EXCERPT_CHARS: usize = 24;

impl Store {
    /// The registration record (登记) of the item's current revision.
    pub fn registration_record(&self, id: ItemId) -> Result<RegistrationRecord> {
        let Loaded { seq, item } = load(&self.conn, id)?;
        let revision = item.revision;
        let audit = self.audit_log(Some(id))?;
        let at_revision = |action: ActionKind| {
            audit
                .iter()
                .filter(move |e| e.revision == Some(revision) && e.action == action.code())
        };
        // The check ran in the transaction that moved the item to 待签发, so
        // that entry's actor is who ran the passing check; the newest one
        // matches the stored report (a later 送审 of the same revision
        // replaces it).
        let checker = at_revision(ActionKind::SendForSignoff).next_back();
        let secrecy_review = match (self.stored_check(seq, revision)?, checker) {
            (Some((report, decisions, at)), Some(entry)) => Some(SecrecyReview {
                by: entry.actor.clone(),
                at,
                content_hash: report.content_hash.clone(),
                engine_version: report.engine_version.clone(),
                summary: summarise(&report, &decisions),
            }),
            _ => None,
        };
        let signoff = signoffs::read(
            &self.conn,
            id,
            "item_seq = ?1 AND revision = ?2",
            &[&seq, &revision],
        )?
        .map(|s| SignoffRecord {
            key_fingerprint: key_fingerprint(&s.key_id),
            signature_excerpt: excerpt(&s.signature),
            signer_name: s.signer_name,
            signer: s.signer,
            opinion: s.opinion,
            signed_at: s.signed_at,
            key_id: s.key_id,
            content_hash: s.content_hash,
            invalidated_at: s.invalidated_at,
            invalidated_reason: s.invalidated_reason,
        });
        // The first acknowledgement of this revision is when it was 报送;
        // it names the portal submission and revision the steps belong to.
        let submission = at_revision(ActionKind::MarkSubmitted)
            .find_map(|e| submission_of(e).map(|(sub, rev)| (e.at, sub, rev)));
        let portal = match &submission {
            Some((_, sub, rev)) => self.portal_steps(id, sub, *rev)?,
            None => PortalSteps::default(),
        };
        Ok(RegistrationRecord {
            item_id: id,
            revision,
            state: item.state,
            sent_for_review: self.sent_for_review(id, revision)?,
            signoff,
            submitted_at: submission.map(|(at, _, _)| at),
            portal,
            title: item.content.title,
            column: item.content.column.name,
            source_unit: item.content.source_unit,
            author: item.content.author,
            author_phone: item.content.author_phone,
            secrecy_review,
        })
    }

    /// The report, decisions and time kept when `revision` passed the check.
    fn stored_check(&self, seq: i64, revision: u32) -> Result<Option<StoredCheck>> {
        let row: Option<(String, String, String)> = self
            .conn
            .prepare_cached(
                "SELECT report, decisions, at FROM check_reports WHERE item_seq = ?1 AND revision = ?2",
            )?
            .query_row(params![seq, revision], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        row.map(|(report, decisions, at)| {
            Ok((
                serde_json::from_str(&report)?,
                serde_json::from_str(&decisions)?,
                parse_time(&at)?,
            ))
        })
        .transpose()
    }

    /// The 送审 of `revision` that counts: the one signed off, else the
    /// newest that was not cancelled.
    fn sent_for_review(&self, id: ItemId, revision: u32) -> Result<Option<SentForReview>> {
        let reviews: Vec<_> = self
            .item_reviews(id)?
            .into_iter()
            .filter(|r| r.revision == revision)
            .collect();
        let chosen = reviews
            .iter()
            .find(|r| r.status == ReviewStatus::SignedOff)
            .or_else(|| reviews.iter().find(|r| r.status != ReviewStatus::Cancelled));
        Ok(chosen.map(|r| SentForReview {
            review_id: r.id.clone(),
            by: r.from_user.clone(),
            by_name: r.from_name.clone(),
            to_user: r.to_user.clone(),
            to_name: r.to_name.clone(),
            at: r.created_at,
            note: r.note.clone(),
        }))
    }

    /// The last time the portal submission reached each status, at the
    /// portal revision this item revision became.
    fn portal_steps(&self, id: ItemId, submission: &str, revision: u32) -> Result<PortalSteps> {
        let mut steps = PortalSteps::default();
        for ev in self.status_timeline(id)? {
            if ev.submission_id != submission || ev.portal_revision != revision {
                continue;
            }
            if let Some(slot) = steps.slot_mut(&ev.status) {
                *slot = Some(PortalStep {
                    at: ev.at,
                    by: ev.by,
                    reason: ev.reason,
                    url: ev.public_url,
                });
            }
        }
        Ok(steps)
    }
}

/// The submission id and portal revision a `mark_submitted` entry names.
fn submission_of(entry: &AuditEntry) -> Option<(String, u32)> {
    let detail: serde_json::Value = serde_json::from_str(&entry.detail).ok()?;
    let sub = detail.get("submission_id")?.as_str()?.to_string();
    let rev = u32::try_from(detail.get("portal_revision")?.as_u64()?).ok()?;
    Some((sub, rev))
}

fn summarise(report: &CheckReport, decisions: &[Decision]) -> CheckSummary {
    let count = |s: Severity| u32::try_from(report.count(s)).unwrap_or(u32::MAX);
    let decided = report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Error)
        .map(|f| {
            let d = decisions.iter().find(|d| d.fingerprint == f.fingerprint);
            DecidedFinding {
                rule: f.rule.clone(),
                severity: f.severity,
                field: f.field.code().to_string(),
                matched: f.matched.clone(),
                message: f.message.zh.clone(),
                decision: d.map(|d| d.kind),
                reason: d.and_then(|d| d.reason.clone()),
                decided_by: d.map(|d| d.by.clone()),
                decided_at: d.map(|d| d.at.clone()),
            }
        })
        .collect();
    CheckSummary {
        blockers: count(Severity::Blocker),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
        decided,
    }
}

fn excerpt(signature: &str) -> String {
    let mut chars = signature.chars();
    let head: String = chars.by_ref().take(SIGNATURE_EXCERPT_CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}
