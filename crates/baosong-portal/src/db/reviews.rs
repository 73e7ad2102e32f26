//! The unit review queue (送审 → 签发 / 退回修改): what a liaison officer
//! sends, what the unit's heads see and decide, read by cursor and announced
//! live. Only the unit sees its queue: heads all of it, other members what
//! they sent; portal roles nothing.

use baosong_api::{
    Actor, Problem, ProblemCode, Review, ReviewAction, ReviewChange, ReviewDecision,
    ReviewDecisionRequest, ReviewPage, ReviewRequest, ReviewStatus, Role, UnitRef,
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

use super::users::{self, Principal, parse_role};
use super::{Write, columns, now, parse_ts, parse_uuid, ts};
use crate::error::{Error, Result};
use crate::signoff;

/// A review change as announced to live listeners.
#[derive(Debug, Clone)]
pub struct ReviewEvent {
    pub seq: i64,
    pub unit_id: String,
    /// The sender, who sees their own reviews.
    pub from_user: i64,
    pub change: ReviewChange,
    /// `change` as JSON, made once for every listener.
    pub json: String,
}

impl ReviewEvent {
    /// Whether `who` may hear of this change: the unit's heads and the sender.
    pub fn visible_to(&self, who: &Principal) -> bool {
        who.user_id == self.from_user || is_head_of(who, &self.unit_id)
    }
}

fn is_head_of(who: &Principal, unit_id: &str) -> bool {
    who.role == Role::UnitHead && who.unit.as_ref().is_some_and(|u| u.id == unit_id)
}

/// The opaque cursor of review feed position `seq`.
pub fn encode_cursor(seq: i64) -> String {
    format!("r{seq:x}")
}

/// The position of a cursor made by [`encode_cursor`].
pub fn decode_cursor(cursor: &str) -> Result<i64> {
    cursor
        .strip_prefix('r')
        .filter(|h| !h.is_empty() && h.len() <= 15 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .and_then(|h| i64::from_str_radix(h, 16).ok())
        .ok_or_else(|| {
            Error::problem(
                Problem::new(ProblemCode::InvalidCursor)
                    .with_field("since")
                    .with_detail(
                        "送审队列位置标记无效。请使用 GET /reviews 返回的 next_cursor，或不带 since 从头获取。",
                        "Invalid cursor: pass a next_cursor GET /reviews returned, or omit since to start over.",
                    ),
            )
        })
}

/// Who may use the queue at all: members of a unit.
fn unit_member(who: &Principal) -> Result<&baosong_api::Unit> {
    match (&who.unit, who.role.belongs_to_unit()) {
        (Some(unit), true) => Ok(unit),
        _ => Err(Error::problem(
            Problem::new(ProblemCode::Forbidden).with_detail(
                "送审队列只对本单位的信息员和负责人开放。",
                "The review queue is open to the unit's liaison officers and heads only.",
            ),
        )),
    }
}

/// A stored review with the facts permissions need.
struct Stored {
    seq: i64,
    unit_id: String,
    from_user: i64,
    review: Review,
}

const COLUMNS: &str = "r.seq, r.id, r.unit_id, un.name, r.from_user, f.username, f.display_name,
    f.role, t.username, t.display_name, t.role, r.status, r.submission, r.previous, r.note,
    r.decision, r.created_at, r.updated_at, r.change_seq";

const FROM: &str = "FROM reviews r JOIN units un ON un.id = r.unit_id
    JOIN users f ON f.id = r.from_user LEFT JOIN users t ON t.id = r.to_user";

fn json<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| Error::BadRecord(format!("stored review {what}: {e}")))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Internal(format!("serialising a review: {e}")))
}

fn from_row(r: &Row<'_>) -> Result<(i64, Stored)> {
    let status: String = r.get(11)?;
    let to = match (
        r.get::<_, Option<String>>(8)?,
        r.get::<_, Option<String>>(9)?,
        r.get::<_, Option<String>>(10)?,
    ) {
        (Some(username), Some(display_name), Some(role)) => Some(Actor {
            username,
            display_name,
            role: parse_role(&role)?,
        }),
        _ => None,
    };
    let unit_id: String = r.get(2)?;
    let review = Review {
        id: parse_uuid(&r.get::<_, String>(1)?)?,
        unit: UnitRef {
            id: unit_id.clone(),
            name: r.get(3)?,
        },
        from: Actor {
            username: r.get(5)?,
            display_name: r.get(6)?,
            role: parse_role(&r.get::<_, String>(7)?)?,
        },
        to,
        status: ReviewStatus::from_code(&status)
            .ok_or_else(|| Error::BadRecord(format!("review status {status:?}")))?,
        submission: json("submission", &r.get::<_, String>(12)?)?,
        previous: r
            .get::<_, Option<String>>(13)?
            .map(|p| json("previous", &p))
            .transpose()?,
        note: r.get(14)?,
        decision: r
            .get::<_, Option<String>>(15)?
            .map(|d| json("decision", &d))
            .transpose()?,
        created_at: parse_ts(&r.get::<_, String>(16)?)?,
        updated_at: parse_ts(&r.get::<_, String>(17)?)?,
    };
    Ok((
        r.get(18)?,
        Stored {
            seq: r.get(0)?,
            unit_id,
            from_user: r.get(4)?,
            review,
        },
    ))
}

fn find_any(conn: &Connection, id: Uuid) -> Result<Option<Stored>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} {FROM} WHERE r.id = ?1"))?;
    let mut rows = stmt.query([id.to_string()])?;
    rows.next()?
        .map(|r| from_row(r).map(|(_, s)| s))
        .transpose()
}

/// The review `id` if `who` may see it; otherwise 404, as if it did not exist.
fn find(conn: &Connection, who: &Principal, id: Uuid) -> Result<Stored> {
    match find_any(conn, id)? {
        Some(s) if s.from_user == who.user_id || is_head_of(who, &s.unit_id) => Ok(s),
        _ => Err(Error::not_found()),
    }
}

/// A review `who` may see.
pub fn get(conn: &Connection, who: &Principal, id: Uuid) -> Result<Review> {
    Ok(find(conn, who, id)?.review)
}

/// Up to `limit` reviews `who` may see that changed after `since`, oldest
/// change first.
pub fn page(conn: &Connection, who: &Principal, since: i64, limit: u32) -> Result<ReviewPage> {
    let unit = unit_member(who)?;
    let fetch = limit.saturating_add(1);
    // Heads see the unit's queue; everyone else what they sent.
    let (filter, key) = if who.role == Role::UnitHead {
        (
            "r.unit_id = ?1",
            rusqlite::types::Value::from(unit.id.clone()),
        )
    } else {
        (
            "r.from_user = ?1",
            rusqlite::types::Value::from(who.user_id),
        )
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} {FROM} WHERE {filter} AND r.change_seq > ?2
         ORDER BY r.change_seq LIMIT ?3"
    ))?;
    let mut rows = stmt.query(params![key, since, fetch])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(from_row(r)?);
    }
    let has_more = out.len() > limit as usize;
    out.truncate(limit as usize);
    let next = out.last().map(|(seq, _)| *seq).unwrap_or(since);
    Ok(ReviewPage {
        reviews: out.into_iter().map(|(_, s)| s.review).collect(),
        next_cursor: encode_cursor(next),
        has_more,
    })
}

/// The next review feed position (one writer at a time: it only grows).
fn next_change_seq(w: &Write<'_>) -> Result<i64> {
    Ok(
        w.prepare_cached("SELECT COALESCE(MAX(change_seq), 0) + 1 FROM reviews")?
            .query_row([], |r| r.get(0))?,
    )
}

/// Announces the review's latest change to its listeners.
fn announce(
    w: &mut Write<'_>,
    s: &Stored,
    seq: i64,
    by: &Principal,
    at: DateTime<Utc>,
) -> Result<()> {
    let change = ReviewChange {
        cursor: encode_cursor(seq),
        review_id: s.review.id,
        unit_id: s.unit_id.clone(),
        status: s.review.status,
        by: by.actor(),
        at,
    };
    let json = to_json(&change)?;
    w.announce_review(ReviewEvent {
        seq,
        unit_id: s.unit_id.clone(),
        from_user: s.from_user,
        change,
        json,
    });
    Ok(())
}

fn reload(w: &Write<'_>, id: Uuid) -> Result<Stored> {
    find_any(w, id)?.ok_or_else(|| Error::Internal("review vanished".into()))
}

/// What sending answered.
pub enum Sent {
    New(Review),
    /// The same id and body were sent before by the same user.
    Again(Review),
}

/// Queues `req` for the unit's heads. `hash`: SHA-256 of the request JSON.
pub fn send(w: &mut Write<'_>, who: &Principal, req: &ReviewRequest, hash: &str) -> Result<Sent> {
    let unit = unit_member(who)?.clone();
    let earlier: Option<(i64, String)> = w
        .prepare_cached("SELECT from_user, request_hash FROM reviews WHERE id = ?1")?
        .query_row([req.id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((from, earlier_hash)) = earlier {
        if from == who.user_id && earlier_hash == hash {
            return Ok(Sent::Again(reload(w, req.id)?.review));
        }
        return Err(Error::code(ProblemCode::ReviewIdInUse));
    }
    if !columns::exists(w, &req.submission.item.column_id)? {
        return Err(Error::problem(
            Problem::new(ProblemCode::UnknownColumn).with_field("submission.item.column_id"),
        ));
    }
    let to = match &req.to {
        None => None,
        Some(name) => Some(
            users::member(w, name)?
                .filter(|m| m.is_head_of(&unit.id) && !m.disabled)
                .ok_or_else(|| {
                    Error::invalid(
                        "to",
                        format!("“{name}”不是本单位的负责人，不能送其签发。"),
                        format!("{name:?} is not a head of your unit."),
                    )
                })?
                .user_id,
        ),
    };
    let at = now();
    let at_s = ts(at);
    let seq = next_change_seq(w)?;
    w.prepare_cached(
        "INSERT INTO reviews (id, unit_id, from_user, to_user, status, request_hash, submission,
             previous, note, created_at, updated_at, change_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)",
    )?
    .execute(params![
        req.id.to_string(),
        unit.id,
        who.user_id,
        to,
        ReviewStatus::Pending.code(),
        hash,
        to_json(&req.submission)?,
        req.previous.as_ref().map(to_json).transpose()?,
        req.note,
        at_s,
        seq
    ])?;
    let stored = reload(w, req.id)?;
    announce(w, &stored, seq, who, at)?;
    Ok(Sent::New(stored.review))
}

fn not_pending(status: ReviewStatus) -> Error {
    let zh = match status {
        ReviewStatus::Pending => "待签发",
        ReviewStatus::SignedOff => "已签发",
        ReviewStatus::Returned => "已退回修改",
        ReviewStatus::Cancelled => "已由送审人撤回",
    };
    Error::problem(Problem::new(ProblemCode::InvalidTransition).with_detail(
        format!("该送审{zh}，不能再签发、退回或撤回。"),
        format!(
            "The review is {}; it can no longer be signed off, returned or cancelled.",
            status.code()
        ),
    ))
}

/// Sets the review's status (and decision) as its next change.
fn set_status(
    w: &mut Write<'_>,
    who: &Principal,
    s: &Stored,
    status: ReviewStatus,
    decision: Option<&ReviewDecision>,
    at: DateTime<Utc>,
) -> Result<Review> {
    let seq = next_change_seq(w)?;
    w.prepare_cached(
        "UPDATE reviews SET status = ?2, decision = COALESCE(?3, decision), updated_at = ?4,
             change_seq = ?5
         WHERE seq = ?1",
    )?
    .execute(params![
        s.seq,
        status.code(),
        decision.map(to_json).transpose()?,
        ts(at),
        seq
    ])?;
    let stored = reload(w, s.review.id)?;
    announce(w, &stored, seq, who, at)?;
    Ok(stored.review)
}

/// A head's decision (the request's shape already validated): a sign-off
/// verified exactly like a submission's, or a return.
pub fn decide(
    w: &mut Write<'_>,
    who: &Principal,
    id: Uuid,
    d: &ReviewDecisionRequest,
) -> Result<Review> {
    let s = find(w, who, id)?;
    if !is_head_of(who, &s.unit_id) {
        return Err(Error::problem(
            Problem::new(ProblemCode::Forbidden).with_detail(
                "只有本单位负责人可以签发或退回送审的稿件。",
                "Only a head of the unit signs off or returns a review.",
            ),
        ));
    }
    if s.review.status != ReviewStatus::Pending {
        return Err(not_pending(s.review.status));
    }
    let at = now();
    let (status, public_key) = match d.action {
        ReviewAction::SignOff => {
            if let Some(sig) = &d.signoff
                && sig.signer != who.username
            {
                return Err(Error::invalid(
                    "signoff.signer",
                    "签发人必须是作出决定的负责人本人。",
                    "The signer must be the head deciding.",
                ));
            }
            let verified =
                signoff::verify(w, &s.unit_id, &s.review.submission, d.signoff.as_ref(), at)?;
            (ReviewStatus::SignedOff, Some(verified.public_key))
        }
        ReviewAction::Return => (ReviewStatus::Returned, None),
    };
    let decision = ReviewDecision {
        action: d.action,
        by: who.actor(),
        at,
        opinion: d.opinion.clone(),
        comments: d.comments.clone(),
        signoff: d
            .signoff
            .clone()
            .filter(|_| d.action == ReviewAction::SignOff),
        public_key,
    };
    set_status(w, who, &s, status, Some(&decision), at)
}

/// The sender takes a pending review back.
pub fn cancel(w: &mut Write<'_>, who: &Principal, id: Uuid) -> Result<Review> {
    let s = find(w, who, id)?;
    if s.from_user != who.user_id {
        return Err(Error::problem(
            Problem::new(ProblemCode::Forbidden).with_detail(
                "只有送审人可以撤回送审。",
                "Only the sender cancels a review.",
            ),
        ));
    }
    if s.review.status != ReviewStatus::Pending {
        return Err(not_pending(s.review.status));
    }
    set_status(w, who, &s, ReviewStatus::Cancelled, None, now())
}
