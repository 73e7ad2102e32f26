//! The append-only audit log: who did what, when, to which item and revision.
//! Entries are written in the same transaction as the change they record, and
//! triggers in the schema refuse UPDATE and DELETE on the table.

use chrono::Utc;
use rusqlite::{Transaction, params};

use super::items::{parse_time, timestamp};
use super::{Result, Store};
use crate::model::{Item, ItemId};
use crate::view::AuditEntry;

pub(super) fn append(
    tx: &Transaction<'_>,
    actor: &str,
    action: &str,
    item: Option<&Item>,
    detail: serde_json::Value,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO audit_log (at, actor, action, item_id, revision, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        timestamp(Utc::now()),
        actor,
        action,
        item.map(|i| i.id.as_string()),
        item.map(|i| i.revision),
        detail.to_string(),
    ])?;
    Ok(())
}

impl Store {
    /// The audit log, oldest first; only one item's entries when `id` is given.
    pub fn audit_log(&self, id: Option<ItemId>) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, actor, action, item_id, revision, detail FROM audit_log
             WHERE ?1 IS NULL OR item_id = ?1 ORDER BY seq",
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
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, at, actor, action, item_id, revision, detail) = row?;
            out.push(AuditEntry {
                seq,
                at: parse_time(&at)?,
                actor,
                action,
                item_id,
                revision,
                detail,
            });
        }
        Ok(out)
    }
}
