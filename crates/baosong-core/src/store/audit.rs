//! The append-only, hash-chained audit log: who did what, when, to which item
//! and revision.
//!
//! Entries are written in the same transaction as the change they record.
//! Each carries an explicit sequence number, the previous entry's hash and
//! its own hash (see [`chain`] and docs/audit.md), so an entry edited, removed,
//! moved or slipped in behind Baosong's back shows up in
//! [`Store::verify_audit`]. Triggers in the schema refuse UPDATE and DELETE
//! of chained entries; the chain catches what is done with the triggers
//! dropped.

mod chain;
mod verify;

use chrono::Utc;
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use super::items::{parse_time, timestamp};
use super::{Result, Store};
use crate::model::{Item, ItemId};
use crate::view::AuditEntry;

/// Every column as the text that is hashed (a NULL item or revision is
/// empty), whatever type a tampered row holds.
pub(super) const TEXT_COLUMNS: &str = "seq, coalesce(CAST(at AS TEXT), ''),
    coalesce(CAST(actor AS TEXT), ''), coalesce(CAST(action AS TEXT), ''),
    coalesce(CAST(item_id AS TEXT), ''), coalesce(CAST(revision AS TEXT), ''),
    coalesce(CAST(detail AS TEXT), ''), CAST(prev_hash AS TEXT), CAST(hash AS TEXT)";

/// One stored entry, every field as text.
#[derive(Debug, Clone)]
pub(super) struct TextRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub item_id: String,
    pub revision: String,
    pub detail: String,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

impl TextRow {
    pub fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<TextRow> {
        Ok(TextRow {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            item_id: r.get(4)?,
            revision: r.get(5)?,
            detail: r.get(6)?,
            prev_hash: r.get(7)?,
            hash: r.get(8)?,
        })
    }

    /// The fields as hashed, with `seq` and `prev_hash` given (verification
    /// tries other positions for an entry that was moved).
    pub fn fields<'a>(&'a self, seq: i64, prev_hash: &'a str) -> chain::Fields<'a> {
        chain::Fields {
            seq,
            prev_hash,
            at: &self.at,
            actor: &self.actor,
            action: &self.action,
            item_id: &self.item_id,
            revision: &self.revision,
            detail: &self.detail,
        }
    }
}

/// Appends an entry to the chain, inside the caller's transaction.
pub(super) fn append(
    tx: &Transaction<'_>,
    actor: &str,
    action: &str,
    item: Option<&Item>,
    detail: serde_json::Value,
) -> Result<()> {
    // The next number after the last entry, and the hash of the newest
    // chained entry (an unhashed row slipped in at the end is not vouched for).
    let (last_seq, prev): (Option<i64>, Option<String>) = tx
        .prepare_cached(
            "SELECT (SELECT max(seq) FROM audit_log),
                    (SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1)",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let seq = last_seq.unwrap_or(0) + 1;
    let prev_hash = prev.unwrap_or_else(|| chain::GENESIS.to_string());
    let at = timestamp(Utc::now());
    let item_id = item.map(|i| i.id.as_string());
    let revision = item.map(|i| i.revision);
    let detail = detail.to_string();
    let revision_text = revision.map(|r| r.to_string()).unwrap_or_default();
    let hash = chain::hash(&chain::Fields {
        seq,
        prev_hash: &prev_hash,
        at: &at,
        actor,
        action,
        item_id: item_id.as_deref().unwrap_or(""),
        revision: &revision_text,
        detail: &detail,
    });
    tx.prepare_cached(
        "INSERT INTO audit_log (seq, at, actor, action, item_id, revision, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        seq, at, actor, action, item_id, revision, detail, prev_hash, hash
    ])?;
    Ok(())
}

/// Chains the entries written before the chain existed (schema v4 and
/// earlier, hash NULL), once, in seq order from the genesis value. Only the
/// unhashed entries before the first chained one count as such: an unhashed
/// row after it was added behind Baosong's back, and chaining it would vouch
/// for it ([`Store::verify_audit`] reports it instead). Returns how many
/// entries were chained.
pub(super) fn backfill(conn: &mut Connection) -> Result<usize> {
    const LEGACY: &str = "hash IS NULL AND seq < coalesce(
        (SELECT min(seq) FROM audit_log WHERE hash IS NOT NULL), 9223372036854775807)";
    let exists = format!("SELECT EXISTS (SELECT 1 FROM audit_log WHERE {LEGACY})");
    let needed: bool = conn.query_row(&exists, [], |r| r.get(0))?;
    if !needed {
        return Ok(0);
    }
    let tx = Transaction::new(conn, TransactionBehavior::Immediate)?;
    let rows: Vec<TextRow> = tx
        .prepare(&format!(
            "SELECT {TEXT_COLUMNS} FROM audit_log WHERE {LEGACY} ORDER BY seq"
        ))?
        .query_map([], TextRow::read)?
        .collect::<rusqlite::Result<_>>()?;
    // The legacy entries come first, so the chain starts at genesis.
    let mut prev = chain::GENESIS.to_string();
    for row in &rows {
        let hash = chain::hash(&row.fields(row.seq, &prev));
        tx.execute(
            "UPDATE audit_log SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
            params![row.seq, prev, hash],
        )?;
        prev = hash;
    }
    tx.commit()?;
    Ok(rows.len())
}

impl Store {
    /// The audit log, oldest first; only one item's entries when `id` is given.
    pub fn audit_log(&self, id: Option<ItemId>) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, actor, action, item_id, revision, detail, prev_hash, hash
             FROM audit_log WHERE ?1 IS NULL OR item_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([id.map(|i| i.as_string())], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<u32>>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, at, actor, action, item_id, revision, detail, prev_hash, hash) = row?;
            out.push(AuditEntry {
                seq,
                at: parse_time(&at)?,
                actor,
                action,
                item_id,
                revision,
                detail,
                prev_hash,
                hash,
            });
        }
        Ok(out)
    }
}
