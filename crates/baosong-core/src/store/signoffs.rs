//! Sign-offs: the head's signature over an item revision, kept with the exact
//! request it signs. A sign-off holds only while the item stays at that
//! revision; any edit (or a failed check of the signature before 报送)
//! invalidates it, which the app shows as 签发已失效.

use chrono::Utc;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::items::{Loaded, load, parse_time, timestamp, write_row};
use super::{Result, Store, StoreError, audit};
use crate::model::{Item, ItemId, ItemState, NewSignoff, Signoff};
use crate::workflow::{self, Action};

const COLUMNS: &str = "review_id, content_hash, signer, signer_name, key_id, public_key,
    signature, signed_at, opinion, invalidated_at, invalidated_reason, revision";

/// A `signoffs` row: review id, the eight text columns, invalidation, revision.
type RawSignoff = (
    Option<String>,
    [String; 8],
    Option<String>,
    Option<String>,
    u32,
);

fn decode(r: &Row<'_>) -> rusqlite::Result<RawSignoff> {
    Ok((
        r.get(0)?,
        [
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
        ],
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
    ))
}

pub(super) fn read(
    conn: &rusqlite::Connection,
    id: ItemId,
    condition: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Option<Signoff>> {
    let row = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM signoffs WHERE {condition} ORDER BY revision DESC LIMIT 1"
        ))?
        .query_row(args, decode)
        .optional()?;
    let Some((review_id, s, invalidated_at, invalidated_reason, revision)) = row else {
        return Ok(None);
    };
    let [
        content_hash,
        signer,
        signer_name,
        key_id,
        public_key,
        signature,
        signed_at,
        opinion,
    ] = s;
    Ok(Some(Signoff {
        item_id: id,
        revision,
        review_id,
        content_hash,
        signer,
        signer_name,
        key_id,
        public_key,
        signature,
        signed_at: parse_time(&signed_at)?,
        opinion,
        invalidated_at: invalidated_at.as_deref().map(parse_time).transpose()?,
        invalidated_reason,
    }))
}

/// Keeps the sign-off of `item` (at its current revision).
pub(super) fn insert(
    tx: &Transaction<'_>,
    item: &Item,
    review_id: Option<&str>,
    s: &NewSignoff,
) -> Result<()> {
    let seq = load(tx, item.id)?.seq;
    tx.prepare_cached(
        "INSERT OR REPLACE INTO signoffs (item_seq, revision, review_id, payload, content_hash, signer,
            signer_name, key_id, public_key, signature, signed_at, opinion)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        seq,
        item.revision,
        review_id,
        s.payload,
        s.content_hash,
        s.signer,
        s.signer_name,
        s.key_id,
        s.public_key,
        s.signature,
        timestamp(s.signed_at),
        s.opinion,
    ])?;
    Ok(())
}

/// Marks every valid sign-off of the item invalid. Returns how many there were.
pub(super) fn invalidate_all(tx: &Transaction<'_>, seq: i64, reason: &str) -> Result<usize> {
    Ok(tx
        .prepare_cached(
            "UPDATE signoffs SET invalidated_at = ?2, invalidated_reason = ?3
             WHERE item_seq = ?1 AND invalidated_at IS NULL",
        )?
        .execute(params![seq, timestamp(Utc::now()), reason])?)
}

/// Whether the item has a valid sign-off at `revision`.
pub(super) fn is_signed(tx: &Transaction<'_>, seq: i64, revision: u32) -> Result<bool> {
    Ok(tx
        .prepare_cached(
            "SELECT 1 FROM signoffs WHERE item_seq = ?1 AND revision = ?2 AND invalidated_at IS NULL",
        )?
        .query_row(params![seq, revision], |_| Ok(()))
        .optional()?
        .is_some())
}

impl Store {
    /// The valid sign-off of the item's current revision, with the signed
    /// request (JSON) it covers.
    pub fn current_signoff(&self, id: ItemId) -> Result<Option<(Signoff, String)>> {
        let Loaded { seq, item } = load(&self.conn, id)?;
        let Some(signoff) = read(
            &self.conn,
            id,
            "item_seq = ?1 AND revision = ?2 AND invalidated_at IS NULL",
            &[&seq, &item.revision],
        )?
        else {
            return Ok(None);
        };
        let payload: String = self.conn.query_row(
            "SELECT payload FROM signoffs WHERE item_seq = ?1 AND revision = ?2",
            params![seq, item.revision],
            |r| r.get(0),
        )?;
        Ok(Some((signoff, payload)))
    }

    /// The newest sign-off of the item, valid or not: what the app shows
    /// (已签发 by whom, or 签发已失效).
    pub fn latest_signoff(&self, id: ItemId) -> Result<Option<Signoff>> {
        let Loaded { seq, .. } = load(&self.conn, id)?;
        read(&self.conn, id, "item_seq = ?1", &[&seq])
    }

    /// The signature no longer holds (the check before 报送 found the item or
    /// the signature altered): the sign-off is marked invalid and a signed-off
    /// item goes back to draft, so it has to be signed again.
    pub fn invalidate_signoff(&self, id: ItemId, reason: &str) -> Result<Item> {
        self.write(|tx| {
            let Loaded { seq, item: current } = load(tx, id)?;
            let invalidated = invalidate_all(tx, seq, reason)?;
            let item = if current.state == ItemState::SignedOff {
                let item = Item {
                    state: workflow::next_state(current.state, &Action::Edit)?,
                    updated_at: Utc::now(),
                    ..current.clone()
                };
                write_row(tx, Some(seq), &item)?;
                item
            } else if invalidated > 0 {
                current.clone()
            } else {
                // Nothing was signed and nothing moved: nothing to record.
                return Ok(current);
            };
            audit_invalidated(tx, &self.actor, &item, reason, current.state)?;
            Ok(item)
        })
    }
}

/// The audit entry for sign-offs of `item` marked invalid (签发已失效).
pub(super) fn audit_invalidated(
    tx: &Transaction<'_>,
    actor: &str,
    item: &Item,
    reason: &str,
    from_state: ItemState,
) -> Result<()> {
    audit::append(
        tx,
        actor,
        "signoff_invalidated",
        Some(item),
        serde_json::json!({
            "reason": reason,
            "from_state": from_state.code(),
            "to_state": item.state.code(),
        }),
    )
}

/// Refuses 报送 of an item revision nobody validly signed.
pub(super) fn require_signed(tx: &Transaction<'_>, seq: i64, revision: u32) -> Result<()> {
    if is_signed(tx, seq, revision)? {
        Ok(())
    } else {
        Err(StoreError::NotSigned)
    }
}
