//! Reviews (送审 → 签发 / 退回修改): recording that an item revision was sent
//! to a head, the head's decision and comments, and the messages for the
//! portal's unit review queue. The signature itself is made and checked in
//! `baosong-sync`; [`super::signoffs`] keeps it.

use baosong_check::{CheckReport, Decision};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::items::{Loaded, load, parse_time, timestamp, write_row};
use super::{Result, Store, StoreError, audit};
use crate::model::{
    Item, ItemId, ItemState, NewReview, NewSignoff, OutboxStatus, PortalReview, Review,
    ReviewComment, ReviewOrigin, ReviewOutboxEntry, ReviewOutboxKind, ReviewPayloads, ReviewStatus,
    TextAnchor,
};
use crate::view::UserError;
use crate::workflow::{self, Action};

const REVIEW_COLUMNS: &str = "r.seq, r.id, i.id, r.client_item_id, r.revision, r.origin, r.status,
    r.from_user, r.from_name, r.to_user, r.to_name, r.title, r.note, r.decided_by,
    r.decided_name, r.decided_at, r.opinion, r.created_at, r.updated_at,
    (r.origin = 'portal' OR EXISTS (SELECT 1 FROM review_outbox o
        WHERE o.review_id = r.id AND o.kind = 'send'))";

const REVIEW_FROM: &str = "FROM reviews r LEFT JOIN items i ON i.seq = r.item_seq";

struct RawReview {
    seq: i64,
    id: String,
    item_id: Option<String>,
    client_item_id: String,
    revision: u32,
    origin: String,
    status: String,
    from_user: String,
    from_name: String,
    to_user: Option<String>,
    to_name: Option<String>,
    title: String,
    note: String,
    decided_by: Option<String>,
    decided_name: Option<String>,
    decided_at: Option<String>,
    opinion: Option<String>,
    created_at: String,
    updated_at: String,
    via_portal: bool,
}

fn raw_review(r: &Row<'_>) -> rusqlite::Result<RawReview> {
    Ok(RawReview {
        seq: r.get(0)?,
        id: r.get(1)?,
        item_id: r.get(2)?,
        client_item_id: r.get(3)?,
        revision: r.get(4)?,
        origin: r.get(5)?,
        status: r.get(6)?,
        from_user: r.get(7)?,
        from_name: r.get(8)?,
        to_user: r.get(9)?,
        to_name: r.get(10)?,
        title: r.get(11)?,
        note: r.get(12)?,
        decided_by: r.get(13)?,
        decided_name: r.get(14)?,
        decided_at: r.get(15)?,
        opinion: r.get(16)?,
        created_at: r.get(17)?,
        updated_at: r.get(18)?,
        via_portal: r.get(19)?,
    })
}

fn parse_status(s: &str) -> Result<ReviewStatus> {
    ReviewStatus::parse(s).ok_or_else(|| StoreError::BadRecord(format!("review status '{s}'")))
}

impl RawReview {
    fn decode(self, conn: &rusqlite::Connection) -> Result<Review> {
        Ok(Review {
            comments: comments_of(conn, self.seq)?,
            item_id: self
                .item_id
                .as_deref()
                .map(super::items::parse_id)
                .transpose()?,
            origin: if self.origin == "portal" {
                ReviewOrigin::Portal
            } else {
                ReviewOrigin::Local
            },
            status: parse_status(&self.status)?,
            decided_at: self.decided_at.as_deref().map(parse_time).transpose()?,
            created_at: parse_time(&self.created_at)?,
            updated_at: parse_time(&self.updated_at)?,
            id: self.id,
            client_item_id: self.client_item_id,
            revision: self.revision,
            from_user: self.from_user,
            from_name: self.from_name,
            to_user: self.to_user,
            to_name: self.to_name,
            title: self.title,
            note: self.note,
            decided_by: self.decided_by,
            decided_name: self.decided_name,
            opinion: self.opinion,
            via_portal: self.via_portal,
        })
    }
}

fn comments_of(conn: &rusqlite::Connection, review_seq: i64) -> Result<Vec<ReviewComment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT field, start_u16, end_u16, quote, text, author, at FROM review_comments
         WHERE review_seq = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([review_seq], |r| {
        Ok((
            r.get::<_, Option<String>>(0)?,
            r.get::<_, Option<u32>>(1)?,
            r.get::<_, Option<u32>>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (field, start, end, quote, text, author, at) = row?;
        let anchor = match (field, start, end) {
            (Some(field), Some(start), Some(end)) => Some(TextAnchor {
                field,
                start,
                end,
                quote: quote.unwrap_or_default(),
            }),
            _ => None,
        };
        out.push(ReviewComment {
            anchor,
            text,
            author,
            at: parse_time(&at)?,
        });
    }
    Ok(out)
}

fn get_review(conn: &rusqlite::Connection, review_id: &str) -> Result<Review> {
    conn.prepare_cached(&format!(
        "SELECT {REVIEW_COLUMNS} {REVIEW_FROM} WHERE r.id = ?1"
    ))?
    .query_row([review_id], raw_review)
    .optional()?
    .ok_or_else(|| StoreError::NoSuchReview(review_id.to_string()))?
    .decode(conn)
}

fn query_reviews(
    conn: &rusqlite::Connection,
    condition: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Review>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {REVIEW_COLUMNS} {REVIEW_FROM} WHERE {condition} ORDER BY r.seq DESC LIMIT 500"
    ))?;
    let raws: Vec<RawReview> = stmt
        .query_map(args, raw_review)?
        .collect::<rusqlite::Result<_>>()?;
    raws.into_iter().map(|r| r.decode(conn)).collect()
}

/// Records a new local review of `item` (just moved to 待签发).
pub(super) fn insert_local(
    tx: &Transaction<'_>,
    seq: i64,
    item: &Item,
    actor: &str,
    new: &NewReview,
    payloads: &ReviewPayloads,
) -> Result<()> {
    let now = timestamp(Utc::now());
    tx.prepare_cached(
        "INSERT INTO reviews (id, item_seq, client_item_id, revision, origin, status, from_user,
            from_name, to_user, to_name, title, note, payload, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'local', 'pending', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    )?
    .execute(params![
        new.id,
        seq,
        item.id.as_string(),
        item.revision,
        actor,
        if new.from_name.is_empty() {
            actor
        } else {
            &new.from_name
        },
        new.to_user,
        new.to_name,
        item.content.title,
        new.note,
        payloads.submission,
        now,
    ])?;
    if let Some(request) = &payloads.portal_request {
        queue(tx, &new.id, ReviewOutboxKind::Send, request)?;
    }
    Ok(())
}

/// Adds a message for the portal's review queue.
fn queue(
    tx: &Transaction<'_>,
    review_id: &str,
    kind: ReviewOutboxKind,
    payload: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO review_outbox (review_id, kind, payload, status, created_at)
         VALUES (?1, ?2, ?3, 'pending', ?4)",
    )?
    .execute(params![
        review_id,
        kind.code(),
        payload,
        timestamp(Utc::now())
    ])?;
    Ok(())
}

/// When an item is edited, its pending reviews no longer apply: they are
/// cancelled (and the portal told, for those sent through it).
pub(super) fn cancel_pending_for_item(
    tx: &Transaction<'_>,
    seq: i64,
    actor: &str,
    item: &Item,
) -> Result<()> {
    let pending: Vec<(String, bool)> = tx
        .prepare_cached(
            "SELECT r.id, EXISTS (SELECT 1 FROM review_outbox o WHERE o.review_id = r.id AND o.kind = 'send')
             FROM reviews r WHERE r.item_seq = ?1 AND r.status = 'pending'",
        )?
        .query_map([seq], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (review_id, via_portal) in pending {
        set_status(tx, &review_id, ReviewStatus::Cancelled)?;
        if via_portal {
            queue(tx, &review_id, ReviewOutboxKind::Cancel, "{}")?;
        }
        audit::append(
            tx,
            actor,
            "review_cancelled",
            Some(item),
            serde_json::json!({ "review_id": review_id, "reason": "edited" }),
        )?;
    }
    Ok(())
}

fn set_status(tx: &Transaction<'_>, review_id: &str, status: ReviewStatus) -> Result<()> {
    tx.prepare_cached("UPDATE reviews SET status = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![review_id, status.code(), timestamp(Utc::now())])?;
    Ok(())
}

fn record_decision(
    tx: &Transaction<'_>,
    review_id: &str,
    status: ReviewStatus,
    by: &str,
    by_name: &str,
    at: DateTime<Utc>,
    opinion: &str,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE reviews SET status = ?2, decided_by = ?3, decided_name = ?4, decided_at = ?5,
             opinion = ?6, updated_at = ?7 WHERE id = ?1",
    )?
    .execute(params![
        review_id,
        status.code(),
        by,
        by_name,
        timestamp(at),
        opinion,
        timestamp(Utc::now())
    ])?;
    Ok(())
}

fn insert_comments(
    tx: &Transaction<'_>,
    review_seq: i64,
    comments: &[ReviewComment],
) -> Result<()> {
    for c in comments {
        let a = c.anchor.as_ref();
        tx.prepare_cached(
            "INSERT INTO review_comments (review_seq, field, start_u16, end_u16, quote, text, author, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            review_seq,
            a.map(|a| a.field.as_str()),
            a.map(|a| a.start),
            a.map(|a| a.end),
            a.map(|a| a.quote.as_str()),
            c.text,
            c.author,
            timestamp(c.at),
        ])?;
    }
    Ok(())
}

/// The pending review `review_id`, with the local item it is about (if here)
/// and checked to still apply to it.
fn open_review(tx: &Transaction<'_>, review_id: &str) -> Result<(Review, i64, Option<Loaded>)> {
    let review = get_review(tx, review_id)?;
    if review.status != ReviewStatus::Pending {
        return Err(StoreError::ReviewClosed(
            review.status.label_zh().to_string(),
        ));
    }
    let seq: i64 = tx.query_row("SELECT seq FROM reviews WHERE id = ?1", [review_id], |r| {
        r.get(0)
    })?;
    let loaded = match review.item_id {
        Some(id) => {
            let loaded = load(tx, id)?;
            if loaded.item.state != ItemState::AwaitingSignoff
                || loaded.item.revision != review.revision
            {
                return Err(StoreError::ReviewStale);
            }
            Some(loaded)
        }
        None => None,
    };
    Ok((review, seq, loaded))
}

/// Moves the local item of a decided review and writes its audit entry.
fn move_item(
    tx: &Transaction<'_>,
    loaded: Option<Loaded>,
    action: Action,
    actor: &str,
    audit_action: &str,
    detail: serde_json::Value,
) -> Result<Option<Item>> {
    let Some(Loaded { seq, item: current }) = loaded else {
        audit::append(tx, actor, audit_action, None, detail)?;
        return Ok(None);
    };
    let state = workflow::next_state(current.state, &action)?;
    let item = Item {
        state,
        updated_at: Utc::now(),
        ..current
    };
    write_row(tx, Some(seq), &item)?;
    audit::append(tx, actor, audit_action, Some(&item), detail)?;
    Ok(Some(item))
}

impl Store {
    /// 送审: moves the item to 待签发 (only with a clean check, see `checks`)
    /// and records the review. `build` makes the submission request the head
    /// will sign and, to go through the portal's queue too, the queue
    /// request; it runs inside the transaction, after the check gate, with
    /// the check report it kept.
    pub fn send_for_review(
        &self,
        id: ItemId,
        new: NewReview,
        build: impl FnOnce(&Item, Option<&(CheckReport, Vec<Decision>)>) -> Result<ReviewPayloads>,
    ) -> Result<(Item, Review)> {
        self.write(|tx| {
            let item = self.apply_in(tx, id, Action::SendForSignoff, Some(&new))?;
            let check = self.stored_report_in(tx, id, item.revision)?;
            let payloads = build(&item, check.as_ref())?;
            let seq = load(tx, id)?.seq;
            insert_local(tx, seq, &item, &self.actor, &new, &payloads)?;
            Ok((item, get_review(tx, &new.id)?))
        })
    }

    /// One review.
    pub fn review(&self, review_id: &str) -> Result<Review> {
        get_review(&self.conn, review_id)
    }

    /// The submission request the review asks to sign (JSON), and the
    /// previous revision (JSON), as far as they are kept.
    pub fn review_payload(&self, review_id: &str) -> Result<(Option<String>, Option<String>)> {
        self.conn
            .prepare_cached("SELECT payload, previous FROM reviews WHERE id = ?1")?
            .query_row([review_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .ok_or_else(|| StoreError::NoSuchReview(review_id.to_string()))
    }

    /// 待我签发: pending reviews addressed to `user` or to any head.
    pub fn pending_reviews_for(&self, user: &str) -> Result<Vec<Review>> {
        query_reviews(
            &self.conn,
            "r.status = 'pending' AND (r.to_user IS NULL OR r.to_user = ?1)",
            &[&user],
        )
    }

    /// Reviews `user` sent, newest first.
    pub fn reviews_from(&self, user: &str) -> Result<Vec<Review>> {
        query_reviews(&self.conn, "r.from_user = ?1", &[&user])
    }

    /// The review whose id starts with `prefix` (at least 4 characters).
    pub fn find_review(&self, prefix: &str) -> Result<Review> {
        let p = prefix.trim().to_ascii_lowercase();
        if p.len() < 4 || !p.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(StoreError::NoSuchReview(prefix.to_string()));
        }
        let ids: Vec<String> = self
            .conn
            .prepare_cached("SELECT id FROM reviews WHERE id LIKE ?1 || '%' LIMIT 2")?
            .query_map([&p], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [one] => get_review(&self.conn, one),
            _ => Err(StoreError::NoSuchReview(prefix.to_string())),
        }
    }

    /// Every review of an item, newest first.
    pub fn item_reviews(&self, id: ItemId) -> Result<Vec<Review>> {
        let Loaded { seq, .. } = load(&self.conn, id)?;
        query_reviews(&self.conn, "r.item_seq = ?1", &[&seq])
    }

    /// The newest revision of an item that a head signed or returned, with
    /// what happened to it: what the head compares the new one with.
    pub fn previous_decided_revision(&self, id: ItemId) -> Result<Option<(u32, ReviewStatus)>> {
        let Loaded { seq, .. } = load(&self.conn, id)?;
        let row: Option<(u32, String)> = self
            .conn
            .prepare_cached(
                "SELECT revision, status FROM reviews
                 WHERE item_seq = ?1 AND status IN ('signed_off', 'returned')
                 ORDER BY seq DESC LIMIT 1",
            )?
            .query_row([seq], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        row.map(|(rev, st)| Ok((rev, parse_status(&st)?)))
            .transpose()
    }

    /// 签发: records the head's signature on the review, moves the item (when
    /// it is on this computer) to 已签发 and, for reviews known to the
    /// portal, queues the decision for it (`portal_decision`, JSON).
    pub fn sign_review(
        &self,
        review_id: &str,
        signoff: NewSignoff,
        portal_decision: Option<String>,
    ) -> Result<Review> {
        self.write(|tx| {
            let (_, review_seq, loaded) = open_review(tx, review_id)?;
            record_decision(
                tx,
                review_id,
                ReviewStatus::SignedOff,
                &signoff.signer,
                &signoff.signer_name,
                signoff.signed_at,
                &signoff.opinion,
            )?;
            tx.execute(
                "UPDATE reviews SET signoff = ?2 WHERE seq = ?1",
                params![review_seq, signoff.payload],
            )?;
            let detail = serde_json::json!({
                "review_id": review_id,
                "signer": signoff.signer,
                "key_id": signoff.key_id,
                "opinion": signoff.opinion,
                "content_hash": signoff.content_hash,
                "signed_at": timestamp(signoff.signed_at),
            });
            let item = move_item(tx, loaded, Action::SignOff, &self.actor, "sign_off", detail)?;
            if let Some(item) = &item {
                super::signoffs::insert(tx, item, Some(review_id), &signoff)?;
            }
            if let Some(decision) = portal_decision {
                queue(tx, review_id, ReviewOutboxKind::Decide, &decision)?;
            }
            get_review(tx, review_id)
        })
    }

    /// 退回修改: the item (when here) goes back to its author as a draft with
    /// the head's opinion and comments.
    pub fn return_review(
        &self,
        review_id: &str,
        by_name: &str,
        opinion: &str,
        comments: &[ReviewComment],
        portal_decision: Option<String>,
    ) -> Result<Review> {
        if opinion.trim().is_empty() && comments.iter().all(|c| c.text.trim().is_empty()) {
            return Err(StoreError::ReturnNeedsReason);
        }
        self.write(|tx| {
            let (_, review_seq, loaded) = open_review(tx, review_id)?;
            self.record_return(
                tx,
                review_id,
                review_seq,
                loaded,
                &self.actor,
                by_name,
                Utc::now(),
                opinion,
                comments,
            )?;
            if let Some(decision) = portal_decision {
                queue(tx, review_id, ReviewOutboxKind::Decide, &decision)?;
            }
            get_review(tx, review_id)
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn record_return(
        &self,
        tx: &Transaction<'_>,
        review_id: &str,
        review_seq: i64,
        loaded: Option<Loaded>,
        by: &str,
        by_name: &str,
        at: DateTime<Utc>,
        opinion: &str,
        comments: &[ReviewComment],
    ) -> Result<()> {
        record_decision(
            tx,
            review_id,
            ReviewStatus::Returned,
            by,
            by_name,
            at,
            opinion,
        )?;
        insert_comments(tx, review_seq, comments)?;
        let item = move_item(
            tx,
            loaded,
            Action::ReturnForRevision,
            by,
            "return_for_revision",
            serde_json::json!({
                "review_id": review_id,
                "opinion": opinion,
                "comments": comments.len(),
            }),
        )?;
        for c in comments {
            audit::append(
                tx,
                by,
                "comment",
                item.as_ref(),
                serde_json::json!({ "review_id": review_id, "text": c.text, "anchor": c.anchor }),
            )?;
        }
        Ok(())
    }

    /// Takes in a review from the portal's queue: a new one (on the head's
    /// computer), or the decision on one sent from here. The first decision
    /// wins; a later, different one is only noted in the audit log.
    pub fn apply_portal_review(&self, r: &PortalReview) -> Result<Review> {
        self.write(|tx| {
            let existing: Option<(i64, String)> = tx
                .prepare_cached("SELECT seq, status FROM reviews WHERE id = ?1")?
                .query_row([&r.id], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?;
            let review_seq = match existing {
                Some((seq, status)) => {
                    if parse_status(&status)? != ReviewStatus::Pending {
                        return get_review(tx, &r.id);
                    }
                    seq
                }
                None => insert_portal(tx, r)?,
            };
            match (&r.status, &r.decision) {
                (ReviewStatus::SignedOff, Some(d)) => {
                    let Some(signoff) = &d.signoff else {
                        return Err(StoreError::BadRecord(
                            "signed-off review without signature".into(),
                        ));
                    };
                    record_decision(
                        tx,
                        &r.id,
                        ReviewStatus::SignedOff,
                        &d.by,
                        &d.by_name,
                        d.at,
                        &d.opinion,
                    )?;
                    tx.execute(
                        "UPDATE reviews SET signoff = ?2 WHERE seq = ?1",
                        params![review_seq, signoff.payload],
                    )?;
                    let loaded = local_item_for(tx, review_seq, r.revision)?;
                    let detail = serde_json::json!({
                        "review_id": r.id,
                        "signer": signoff.signer,
                        "key_id": signoff.key_id,
                        "opinion": signoff.opinion,
                        "content_hash": signoff.content_hash,
                        "via": "portal",
                    });
                    if let Some(item) =
                        move_item(tx, loaded, Action::SignOff, &d.by, "sign_off", detail)?
                    {
                        super::signoffs::insert(tx, &item, Some(&r.id), signoff)?;
                    }
                }
                (ReviewStatus::Returned, Some(d)) => {
                    let loaded = local_item_for(tx, review_seq, r.revision)?;
                    self.record_return(
                        tx,
                        &r.id,
                        review_seq,
                        loaded,
                        &d.by,
                        &d.by_name,
                        d.at,
                        &d.opinion,
                        &d.comments,
                    )?;
                }
                (ReviewStatus::Cancelled, _) => set_status(tx, &r.id, ReviewStatus::Cancelled)?,
                _ => {}
            }
            get_review(tx, &r.id)
        })
    }

    /// Messages for the portal's review queue that wait to be sent, oldest
    /// first, with their bodies.
    pub fn pending_review_outbox(&self, limit: u32) -> Result<Vec<(ReviewOutboxEntry, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, review_id, kind, status, attempts, last_error, created_at, payload
             FROM review_outbox WHERE status = 'pending' ORDER BY seq LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u32>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, review_id, kind, status, attempts, last_error, created, payload) = row?;
            out.push((
                ReviewOutboxEntry {
                    seq,
                    review_id,
                    kind: ReviewOutboxKind::parse(&kind).ok_or_else(|| {
                        StoreError::BadRecord(format!("review outbox kind '{kind}'"))
                    })?,
                    status: OutboxStatus::parse(&status).ok_or_else(|| {
                        StoreError::BadRecord(format!("outbox status '{status}'"))
                    })?,
                    attempts,
                    last_error: last_error
                        .as_deref()
                        .map(serde_json::from_str::<UserError>)
                        .transpose()?,
                    created_at: parse_time(&created)?,
                },
                payload,
            ));
        }
        Ok(out)
    }

    /// The portal took the message.
    pub fn review_outbox_delivered(&self, seq: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE review_outbox SET status = 'delivered', delivered_at = ?2, last_error = NULL,
                     attempts = attempts + 1, last_attempt_at = ?2 WHERE seq = ?1",
                params![seq, timestamp(Utc::now())],
            )?;
            Ok(())
        })
    }

    /// Sending failed; `permanent` when the portal refused it for good.
    pub fn review_outbox_failed(&self, seq: i64, error: &UserError, permanent: bool) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE review_outbox SET status = ?2, last_error = ?3, attempts = attempts + 1,
                     last_attempt_at = ?4 WHERE seq = ?1 AND status <> 'delivered'",
                params![
                    seq,
                    if permanent { "failed" } else { "pending" },
                    serde_json::to_string(error)?,
                    timestamp(Utc::now())
                ],
            )?;
            Ok(())
        })
    }

    /// Messages for the review queue that the portal refused, newest first.
    pub fn failed_review_outbox(&self) -> Result<Vec<ReviewOutboxEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, review_id, kind, attempts, last_error, created_at FROM review_outbox
             WHERE status = 'failed' ORDER BY seq DESC LIMIT 100",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, u32>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, review_id, kind, attempts, last_error, created) = row?;
            out.push(ReviewOutboxEntry {
                seq,
                review_id,
                kind: ReviewOutboxKind::parse(&kind)
                    .ok_or_else(|| StoreError::BadRecord(format!("review outbox kind '{kind}'")))?,
                status: OutboxStatus::Failed,
                attempts,
                last_error: last_error
                    .as_deref()
                    .map(serde_json::from_str::<UserError>)
                    .transpose()?,
                created_at: parse_time(&created)?,
            });
        }
        Ok(out)
    }
}

/// A review first seen in the portal's queue.
fn insert_portal(tx: &Transaction<'_>, r: &PortalReview) -> Result<i64> {
    let item_seq: Option<i64> = tx
        .prepare_cached("SELECT seq FROM items WHERE id = ?1")?
        .query_row([&r.client_item_id], |row| row.get(0))
        .optional()?;
    tx.prepare_cached(
        "INSERT INTO reviews (id, item_seq, client_item_id, revision, origin, status, from_user,
            from_name, to_user, to_name, title, note, payload, previous, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'portal', 'pending', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        r.id,
        item_seq,
        r.client_item_id,
        r.revision,
        r.from_user,
        r.from_name,
        r.to_user,
        r.to_name,
        r.title,
        r.note,
        r.submission,
        r.previous,
        timestamp(r.created_at),
        timestamp(r.updated_at),
    ])?;
    let seq = tx.last_insert_rowid();
    audit::append(
        tx,
        &r.from_user,
        "review_received",
        None,
        serde_json::json!({
            "review_id": r.id,
            "client_item_id": r.client_item_id,
            "revision": r.revision,
            "title": r.title,
        }),
    )?;
    Ok(seq)
}

/// The local item a portal decision is about, if it is here and still at
/// the reviewed revision and waiting for sign-off; a decision on an item
/// that changed since is recorded on the review only.
fn local_item_for(tx: &Transaction<'_>, review_seq: i64, revision: u32) -> Result<Option<Loaded>> {
    let id: Option<String> = tx
        .query_row(
            "SELECT i.id FROM reviews r JOIN items i ON i.seq = r.item_seq WHERE r.seq = ?1",
            [review_seq],
            |r| r.get(0),
        )
        .optional()?;
    let Some(id) = id else { return Ok(None) };
    let loaded = load(tx, super::items::parse_id(&id)?)?;
    if loaded.item.state == ItemState::AwaitingSignoff && loaded.item.revision == revision {
        Ok(Some(loaded))
    } else {
        Ok(None)
    }
}
