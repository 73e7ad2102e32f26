//! What the portal said about submitted items: status changes applied to local
//! items (with the feed cursor, in one transaction), each item's status
//! timeline, and the small settings the sync keeps (profile, cursor, cached
//! unit and columns).

use rusqlite::{OptionalExtension, Transaction, params};

use super::items::{Loaded, load, parse_time, timestamp, write_row};
use super::outbox::{link_of, upsert_link};
use super::{Result, Store, audit};
use crate::model::{AppliedChange, ItemId, PortalChange, PortalLink, StatusEvent};
use crate::workflow::{self, Action};

/// The settings key of the change feed's cursor.
pub const CHANGES_CURSOR: &str = "changes_cursor";

fn set(tx: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO sync_settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

/// Applies one change; `None` when it was seen before or is about an item
/// this computer does not have (another colleague's).
fn apply_one(
    tx: &Transaction<'_>,
    actor: &str,
    change: &PortalChange,
) -> Result<Option<AppliedChange>> {
    let Ok(Loaded { seq, item: current }) = load(tx, change.client_item_id) else {
        return Ok(None);
    };
    let ev = &change.event;
    let inserted = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO status_history (cursor, item_seq, submission_id,
                 portal_revision, from_status, status, by_name, at, comment, reason, public_url)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            ev.cursor,
            seq,
            ev.submission_id,
            ev.portal_revision,
            ev.from_status,
            ev.status,
            ev.by,
            timestamp(ev.at),
            ev.comment,
            ev.reason,
            ev.public_url,
        ])?;
    if inserted == 0 {
        return Ok(None);
    }
    // A change about an older revision of the submission only joins the
    // timeline: the item has moved on since.
    let stale = link_of(tx, seq)?.is_some_and(|l| {
        l.submission_id == ev.submission_id && l.portal_revision > ev.portal_revision
    });
    let mut item = current.clone();
    let mut moved = false;
    if !stale {
        upsert_link(
            tx,
            seq,
            &PortalLink {
                submission_id: ev.submission_id.clone(),
                portal_revision: ev.portal_revision,
                portal_status: ev.status.clone(),
                public_url: ev.public_url.clone(),
                updated_at: ev.at,
            },
        )?;
        if let Some(action) = &change.action
            && let Ok(state) = workflow::next_state(current.state, action)
        {
            item.state = state;
            match action {
                Action::Return { reason } => item.returned_reason = Some(reason.clone()),
                Action::Publish { url } => item.published_url = Some(url.clone()),
                Action::MarkSubmitted => item.returned_reason = None,
                _ => {}
            }
            item.updated_at = chrono::Utc::now();
            write_row(tx, Some(seq), &item)?;
            moved = true;
        }
    }
    audit::append(
        tx,
        actor,
        "portal_status",
        Some(&item),
        serde_json::json!({
            "from_state": current.state.code(),
            "to_state": item.state.code(),
            "moved": moved,
            "portal": ev,
        }),
    )?;
    Ok(Some(AppliedChange {
        item_id: item.id,
        title: item.content.title.clone(),
        event: ev.clone(),
        state: item.state,
        moved,
    }))
}

impl Store {
    /// Applies a page of portal status changes and stores `cursor` (where the
    /// feed continues) in the same transaction, so a crash never applies a
    /// change twice or skips one. Returns what changed locally.
    pub fn apply_portal_changes(
        &self,
        changes: &[PortalChange],
        cursor: Option<&str>,
    ) -> Result<Vec<AppliedChange>> {
        self.write(|tx| {
            let mut out = Vec::new();
            for change in changes {
                if let Some(applied) = apply_one(tx, &self.actor, change)? {
                    out.push(applied);
                }
            }
            if let Some(cursor) = cursor {
                set(tx, CHANGES_CURSOR, cursor)?;
            }
            Ok(out)
        })
    }

    /// The item's status timeline as the portal reported it, oldest first.
    pub fn status_timeline(&self, id: ItemId) -> Result<Vec<StatusEvent>> {
        let Loaded { seq, .. } = load(&self.conn, id)?;
        // Feed cursors sort in feed order within one portal; time first
        // keeps a timeline readable across a change of portal.
        let mut stmt = self.conn.prepare_cached(
            "SELECT cursor, submission_id, portal_revision, from_status, status, by_name, at,
                    comment, reason, public_url
             FROM status_history WHERE item_seq = ?1 ORDER BY at, cursor",
        )?;
        let rows = stmt.query_map([seq], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<String>>(9)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (
                cursor,
                submission_id,
                portal_revision,
                from_status,
                status,
                by,
                at,
                comment,
                reason,
                public_url,
            ) = row?;
            out.push(StatusEvent {
                cursor,
                submission_id,
                portal_revision,
                from_status,
                status,
                by,
                at: parse_time(&at)?,
                comment,
                reason,
                public_url,
            });
        }
        Ok(out)
    }

    /// A sync setting (profile, cursor, cached directory data).
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM sync_settings WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| set(tx, key, value))
    }

    pub fn delete_setting(&self, key: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM sync_settings WHERE key = ?1", [key])?;
            Ok(())
        })
    }
}
