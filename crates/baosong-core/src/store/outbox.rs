//! The outbox: 报送 writes an entry in the same transaction that moves the
//! item to 待报送, and the entry stays until the portal acknowledges it. The
//! sending itself is `baosong-sync`'s job; this is the bookkeeping it relies
//! on to never send an item twice and never lose one.

use chrono::Utc;
use rusqlite::{OptionalExtension, Row, Transaction, params};
use uuid::Uuid;

use super::items::{Loaded, load, parse_time, timestamp, write_row};
use super::{Result, Store, StoreError, audit};
use crate::model::{
    Item, ItemId, ItemState, NewOutboxEntry, OutboxEntry, OutboxKind, OutboxStatus, PortalLink,
};
use crate::view::UserError;
use crate::workflow::{self, Action};

const ENTRY_COLUMNS: &str = "o.id, i.id, i.title, o.revision, o.kind, o.submission_id,
    o.base_portal_revision, o.status, o.attempts, o.last_error, o.created_at,
    o.last_attempt_at, o.delivered_at";

fn entry(row: &Row<'_>) -> rusqlite::Result<RawEntry> {
    Ok(RawEntry {
        id: row.get(0)?,
        item_id: row.get(1)?,
        item_title: row.get(2)?,
        revision: row.get(3)?,
        kind: row.get(4)?,
        submission_id: row.get(5)?,
        base_portal_revision: row.get(6)?,
        status: row.get(7)?,
        attempts: row.get(8)?,
        last_error: row.get(9)?,
        created_at: row.get(10)?,
        last_attempt_at: row.get(11)?,
        delivered_at: row.get(12)?,
    })
}

struct RawEntry {
    id: String,
    item_id: String,
    item_title: String,
    revision: u32,
    kind: String,
    submission_id: Option<String>,
    base_portal_revision: Option<u32>,
    status: String,
    attempts: u32,
    last_error: Option<String>,
    created_at: String,
    last_attempt_at: Option<String>,
    delivered_at: Option<String>,
}

impl RawEntry {
    fn decode(self) -> Result<OutboxEntry> {
        let opt_time = |s: Option<String>| s.as_deref().map(parse_time).transpose();
        Ok(OutboxEntry {
            item_id: super::items::parse_id(&self.item_id)?,
            kind: if self.kind == "resubmit" {
                OutboxKind::Resubmit
            } else {
                OutboxKind::Submit
            },
            status: OutboxStatus::parse(&self.status)
                .ok_or_else(|| StoreError::BadRecord(format!("outbox status '{}'", self.status)))?,
            last_error: self
                .last_error
                .as_deref()
                .map(serde_json::from_str::<UserError>)
                .transpose()?,
            created_at: parse_time(&self.created_at)?,
            last_attempt_at: opt_time(self.last_attempt_at)?,
            delivered_at: opt_time(self.delivered_at)?,
            id: self.id,
            item_title: self.item_title,
            revision: self.revision,
            submission_id: self.submission_id,
            base_portal_revision: self.base_portal_revision,
            attempts: self.attempts,
        })
    }
}

fn get_entry(conn: &rusqlite::Connection, id: &str) -> Result<OutboxEntry> {
    conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM outbox o JOIN items i ON i.seq = o.item_seq WHERE o.id = ?1"
    ))?
    .query_row([id], entry)
    .optional()?
    .ok_or_else(|| StoreError::NoSuchOutboxEntry(id.to_string()))?
    .decode()
}

/// The portal link of the item with row number `seq`.
pub(super) fn link_of(conn: &rusqlite::Connection, seq: i64) -> Result<Option<PortalLink>> {
    let row = conn
        .prepare_cached(
            "SELECT submission_id, portal_revision, portal_status, public_url, updated_at
             FROM portal_links WHERE item_seq = ?1",
        )?
        .query_row([seq], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
            ))
        })
        .optional()?;
    row.map(
        |(submission_id, portal_revision, portal_status, public_url, at)| {
            Ok(PortalLink {
                submission_id,
                portal_revision,
                portal_status,
                public_url,
                updated_at: parse_time(&at)?,
            })
        },
    )
    .transpose()
}

pub(super) fn upsert_link(tx: &Transaction<'_>, seq: i64, link: &PortalLink) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO portal_links (item_seq, submission_id, portal_revision, portal_status,
                                   public_url, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (item_seq) DO UPDATE SET submission_id = excluded.submission_id,
             portal_revision = excluded.portal_revision, portal_status = excluded.portal_status,
             public_url = excluded.public_url, updated_at = excluded.updated_at",
    )?
    .execute(params![
        seq,
        link.submission_id,
        link.portal_revision,
        link.portal_status,
        link.public_url,
        timestamp(link.updated_at),
    ])?;
    Ok(())
}

impl Store {
    /// 报送: moves a signed-off item to 待报送 and writes its outbox entry, in
    /// one transaction. `expected_revision` is the revision the payload was
    /// built from; if the item changed since, nothing is written
    /// ([`StoreError::Conflict`]).
    pub fn enqueue_submission(
        &self,
        id: ItemId,
        expected_revision: u32,
        new: NewOutboxEntry,
    ) -> Result<(Item, OutboxEntry)> {
        let entry_id = Uuid::now_v7().to_string();
        let item = self.write(|tx| {
            let Loaded { seq, item: current } = load(tx, id)?;
            if current.revision != expected_revision {
                return Err(StoreError::Conflict {
                    expected: expected_revision,
                    actual: current.revision,
                });
            }
            let state = workflow::next_state(current.state, &Action::Queue)?;
            super::signoffs::require_signed(tx, seq, current.revision)?;
            let item = Item {
                state,
                updated_at: Utc::now(),
                ..current.clone()
            };
            write_row(tx, Some(seq), &item)?;
            tx.execute(
                "INSERT INTO outbox (id, item_seq, revision, kind, submission_id,
                                     base_portal_revision, payload, status, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8)",
                params![
                    entry_id,
                    seq,
                    item.revision,
                    new.kind.code(),
                    new.submission_id,
                    new.base_portal_revision,
                    new.payload,
                    timestamp(item.updated_at),
                ],
            )?;
            audit::append(
                tx,
                &self.actor,
                Action::Queue.kind().code(),
                Some(&item),
                serde_json::json!({
                    "from_state": current.state.code(),
                    "to_state": item.state.code(),
                    "outbox_id": entry_id,
                    "kind": new.kind.code(),
                    "submission_id": new.submission_id,
                }),
            )?;
            Ok(item)
        })?;
        Ok((item, get_entry(&self.conn, &entry_id)?))
    }

    /// Entries waiting to be sent, oldest first, with their payloads.
    pub fn pending_outbox(&self, limit: u32) -> Result<Vec<(OutboxEntry, String)>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS}, o.payload FROM outbox o JOIN items i ON i.seq = o.item_seq
             WHERE o.status = 'pending' ORDER BY o.seq LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit], |r| Ok((entry(r)?, r.get::<_, String>(13)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (raw, payload) = row?;
            out.push((raw.decode()?, payload));
        }
        Ok(out)
    }

    /// The outbox, newest first; delivered entries only when asked for.
    pub fn list_outbox(&self, include_delivered: bool, limit: u32) -> Result<Vec<OutboxEntry>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM outbox o JOIN items i ON i.seq = o.item_seq
             WHERE ?1 OR o.status <> 'delivered' ORDER BY o.seq DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![include_delivered, limit], entry)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row?.decode()?);
        }
        Ok(out)
    }

    pub fn outbox_entry(&self, entry_id: &str) -> Result<OutboxEntry> {
        get_entry(&self.conn, entry_id)
    }

    /// How many entries are pending and failed.
    pub fn outbox_counts(&self) -> Result<(u32, u32)> {
        Ok(self.conn.query_row(
            "SELECT count(*) FILTER (WHERE status = 'pending'),
                    count(*) FILTER (WHERE status = 'failed') FROM outbox",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// The portal acknowledged `entry_id` as `link`: the entry is done, the
    /// item becomes 已报送 (if it still waits for that) and remembers its
    /// portal submission. Acknowledging twice changes nothing.
    pub fn mark_delivered(&self, entry_id: &str, link: &PortalLink, replayed: bool) -> Result<()> {
        self.write(|tx| {
            let (seq, status): (i64, String) = tx
                .prepare_cached("SELECT item_seq, status FROM outbox WHERE id = ?1")?
                .query_row([entry_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .ok_or_else(|| StoreError::NoSuchOutboxEntry(entry_id.to_string()))?;
            if status == OutboxStatus::Delivered.code() {
                return Ok(());
            }
            let now = Utc::now();
            tx.prepare_cached(
                "UPDATE outbox SET status = 'delivered', delivered_at = ?2, last_error = NULL,
                     last_attempt_at = ?2 WHERE id = ?1",
            )?
            .execute(params![entry_id, timestamp(now)])?;
            // A newer status from the feed (e.g. already in review) wins.
            let keep_newer = link_of(tx, seq)?.filter(|l| {
                l.submission_id == link.submission_id && l.portal_revision >= link.portal_revision
            });
            if keep_newer.is_none() {
                upsert_link(tx, seq, link)?;
            }
            let id: String =
                tx.query_row("SELECT id FROM items WHERE seq = ?1", [seq], |r| r.get(0))?;
            let Loaded { item: current, .. } = load(tx, super::items::parse_id(&id)?)?;
            let mut item = current.clone();
            if current.state == ItemState::Queued {
                item.state = workflow::next_state(current.state, &Action::MarkSubmitted)?;
                item.returned_reason = None;
                item.updated_at = now;
                write_row(tx, Some(seq), &item)?;
            }
            audit::append(
                tx,
                &self.actor,
                Action::MarkSubmitted.kind().code(),
                Some(&item),
                serde_json::json!({
                    "from_state": current.state.code(),
                    "to_state": item.state.code(),
                    "outbox_id": entry_id,
                    "submission_id": link.submission_id,
                    "portal_revision": link.portal_revision,
                    "replayed": replayed,
                }),
            )?;
            Ok(())
        })
    }

    /// An attempt to send `entry_id` failed. A `permanent` failure (the portal
    /// refused the request itself) stops the entry until a person retries it;
    /// otherwise it stays pending.
    pub fn record_failure(&self, entry_id: &str, error: &UserError, permanent: bool) -> Result<()> {
        self.write(|tx| {
            let status = if permanent { "failed" } else { "pending" };
            let n = tx
                .prepare_cached(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ?2,
                         last_attempt_at = ?3, status = ?4
                     WHERE id = ?1 AND status <> 'delivered'",
                )?
                .execute(params![
                    entry_id,
                    serde_json::to_string(error)?,
                    timestamp(Utc::now()),
                    status
                ])?;
            if n > 0 && permanent {
                let seq: i64 = tx.query_row(
                    "SELECT item_seq FROM outbox WHERE id = ?1",
                    [entry_id],
                    |r| r.get(0),
                )?;
                let id: String =
                    tx.query_row("SELECT id FROM items WHERE seq = ?1", [seq], |r| r.get(0))?;
                let item = load(tx, super::items::parse_id(&id)?)?.item;
                audit::append(
                    tx,
                    &self.actor,
                    "submission_refused",
                    Some(&item),
                    serde_json::json!({ "outbox_id": entry_id, "error": error }),
                )?;
            }
            Ok(())
        })
    }

    /// "Retry now" on a failed entry: back to pending, error kept for the
    /// record until the next attempt.
    pub fn retry_outbox_entry(&self, entry_id: &str) -> Result<OutboxEntry> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE outbox SET status = 'pending' WHERE id = ?1 AND status = 'failed'",
                [entry_id],
            )?;
            if n == 0 {
                // Unknown, or nothing to retry: say which.
                get_entry(tx, entry_id)?;
                return Ok(());
            }
            let id: String = tx.query_row(
                "SELECT i.id FROM outbox o JOIN items i ON i.seq = o.item_seq WHERE o.id = ?1",
                [entry_id],
                |r| r.get(0),
            )?;
            let item = load(tx, super::items::parse_id(&id)?)?.item;
            audit::append(
                tx,
                &self.actor,
                "submission_retry",
                Some(&item),
                serde_json::json!({ "outbox_id": entry_id }),
            )?;
            Ok(())
        })?;
        get_entry(&self.conn, entry_id)
    }

    /// The portal submission `id` became, if any.
    pub fn portal_link(&self, id: ItemId) -> Result<Option<PortalLink>> {
        let Loaded { seq, .. } = load(&self.conn, id)?;
        link_of(&self.conn, seq)
    }

    /// The item's outbox entries, newest first.
    pub fn item_outbox(&self, id: ItemId) -> Result<Vec<OutboxEntry>> {
        let Loaded { seq, .. } = load(&self.conn, id)?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM outbox o JOIN items i ON i.seq = o.item_seq
             WHERE o.item_seq = ?1 ORDER BY o.seq DESC"
        ))?;
        let rows = stmt.query_map([seq], entry)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row?.decode()?);
        }
        Ok(out)
    }
}
