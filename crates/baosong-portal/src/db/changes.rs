//! The change feed: every status change with its place (`seq`), read by
//! cursor and announced live.

use baosong_api::{Actor, ChangesPage, Problem, ProblemCode, StatusChange, SubmissionStatus};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, params};

use super::users::{Principal, parse_role};
use super::{Write, parse_ts, parse_uuid, ts};
use crate::error::{Error, Result};

/// A change as announced to live listeners.
#[derive(Debug, Clone)]
pub struct ChangeEvent {
    pub seq: i64,
    pub change: StatusChange,
    /// The change as JSON, made once for every listener.
    pub json: String,
}

/// The opaque cursor of feed position `seq` (0 = before the first change).
pub fn encode_cursor(seq: i64) -> String {
    format!("c{seq:x}")
}

/// The feed position of a cursor made by [`encode_cursor`].
pub fn decode_cursor(cursor: &str) -> Result<i64> {
    cursor
        .strip_prefix('c')
        .filter(|h| !h.is_empty() && h.len() <= 15 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .and_then(|h| i64::from_str_radix(h, 16).ok())
        .ok_or_else(|| {
            Error::problem(
                Problem::new(ProblemCode::InvalidCursor)
                    .with_field("since")
                    .with_detail(
                        "变更位置标记无效。请使用接口返回的 cursor 或 next_cursor，或不带 since 从头获取。",
                        "Invalid cursor: pass a cursor or next_cursor the API returned, or omit since to start over.",
                    ),
            )
        })
}

/// What a status change records.
pub struct NewChange<'a> {
    pub submission_seq: i64,
    pub submission_id: uuid::Uuid,
    pub client_item_id: uuid::Uuid,
    pub unit_id: &'a str,
    pub revision: u32,
    pub from: Option<SubmissionStatus>,
    pub to: SubmissionStatus,
    pub by: &'a Principal,
    pub at: DateTime<Utc>,
    pub comment: &'a str,
    pub reason: Option<&'a str>,
    pub public_url: Option<&'a str>,
}

/// Appends a change to the feed (announced when the transaction commits).
pub fn record(w: &mut Write<'_>, c: NewChange<'_>) -> Result<StatusChange> {
    w.prepare_cached(
        "INSERT INTO status_changes (submission_seq, unit_id, revision, from_status, to_status,
             actor_username, actor_name, actor_role, at, comment, reason, public_url)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        c.submission_seq,
        c.unit_id,
        c.revision,
        c.from.map(|s| s.code()),
        c.to.code(),
        c.by.username,
        c.by.display_name,
        c.by.role.code(),
        ts(c.at),
        c.comment,
        c.reason,
        c.public_url,
    ])?;
    let seq = w.last_insert_rowid();
    let change = StatusChange {
        cursor: encode_cursor(seq),
        submission_id: c.submission_id,
        client_item_id: c.client_item_id,
        unit_id: c.unit_id.to_string(),
        revision: c.revision,
        from: c.from,
        status: c.to,
        by: c.by.actor(),
        at: c.at,
        comment: c.comment.to_string(),
        reason: c.reason.map(str::to_string),
        public_url: c.public_url.map(str::to_string),
    };
    let json = serde_json::to_string(&change)
        .map_err(|e| Error::Internal(format!("serialising a change: {e}")))?;
    w.announce(ChangeEvent {
        seq,
        change: change.clone(),
        json,
    });
    Ok(change)
}

const COLUMNS: &str = "c.seq, s.id, s.client_item_id, c.unit_id, c.revision, c.from_status,
    c.to_status, c.actor_username, c.actor_name, c.actor_role, c.at, c.comment, c.reason,
    c.public_url";

fn from_row(r: &Row<'_>) -> Result<(i64, StatusChange)> {
    let seq: i64 = r.get(0)?;
    let status = |s: String| {
        SubmissionStatus::from_code(&s).ok_or_else(|| Error::BadRecord(format!("status {s:?}")))
    };
    let from: Option<String> = r.get(5)?;
    let change = StatusChange {
        cursor: encode_cursor(seq),
        submission_id: parse_uuid(&r.get::<_, String>(1)?)?,
        client_item_id: parse_uuid(&r.get::<_, String>(2)?)?,
        unit_id: r.get(3)?,
        revision: r.get(4)?,
        from: from.map(status).transpose()?,
        status: status(r.get(6)?)?,
        by: Actor {
            username: r.get(7)?,
            display_name: r.get(8)?,
            role: parse_role(&r.get::<_, String>(9)?)?,
        },
        at: parse_ts(&r.get::<_, String>(10)?)?,
        comment: r.get(11)?,
        reason: r.get(12)?,
        public_url: r.get(13)?,
    };
    Ok((seq, change))
}

/// Up to `limit` changes after `after`, oldest first, limited to `unit` when
/// given.
pub fn after(
    conn: &Connection,
    unit: Option<&str>,
    after: i64,
    limit: u32,
) -> Result<Vec<(i64, StatusChange)>> {
    let mut out = Vec::new();
    match unit {
        Some(unit) => {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM status_changes c JOIN submissions s ON s.seq = c.submission_seq
                 WHERE c.unit_id = ?1 AND c.seq > ?2 ORDER BY c.seq LIMIT ?3"
            ))?;
            let mut rows = stmt.query(params![unit, after, limit])?;
            while let Some(r) = rows.next()? {
                out.push(from_row(r)?);
            }
        }
        None => {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM status_changes c JOIN submissions s ON s.seq = c.submission_seq
                 WHERE c.seq > ?1 ORDER BY c.seq LIMIT ?2"
            ))?;
            let mut rows = stmt.query(params![after, limit])?;
            while let Some(r) = rows.next()? {
                out.push(from_row(r)?);
            }
        }
    }
    Ok(out)
}

/// The feed positions of up to `limit` changes after `after`, oldest first,
/// limited to `unit` when given (an index-only query).
pub fn positions_after(
    conn: &Connection,
    unit: Option<&str>,
    after: i64,
    limit: u32,
) -> Result<Vec<i64>> {
    let mut out = Vec::with_capacity(limit.min(1024) as usize);
    match unit {
        Some(unit) => {
            let mut stmt = conn.prepare_cached(
                "SELECT seq FROM status_changes WHERE unit_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            )?;
            let mut rows = stmt.query(params![unit, after, limit])?;
            while let Some(r) = rows.next()? {
                out.push(r.get(0)?);
            }
        }
        None => {
            let mut stmt = conn.prepare_cached(
                "SELECT seq FROM status_changes WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )?;
            let mut rows = stmt.query(params![after, limit])?;
            while let Some(r) = rows.next()? {
                out.push(r.get(0)?);
            }
        }
    }
    Ok(out)
}

/// One page of the feed for `who`.
pub fn page(conn: &Connection, who: &Principal, since: i64, limit: u32) -> Result<ChangesPage> {
    page_in_scope(conn, who.unit_filter(), since, limit)
}

/// One page of the feed as seen by someone limited to `unit` (`None`: every
/// unit, as editors see it).
pub fn page_in_scope(
    conn: &Connection,
    unit: Option<&str>,
    since: i64,
    limit: u32,
) -> Result<ChangesPage> {
    let mut changes = after(conn, unit, since, limit.saturating_add(1))?;
    let has_more = changes.len() > limit as usize;
    changes.truncate(limit as usize);
    let next = changes.last().map(|(seq, _)| *seq).unwrap_or(since);
    Ok(ChangesPage {
        changes: changes.into_iter().map(|(_, c)| c).collect(),
        next_cursor: encode_cursor(next),
        has_more,
    })
}

/// A submission's changes, oldest first.
pub fn history(conn: &Connection, submission_seq: i64) -> Result<Vec<StatusChange>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM status_changes c JOIN submissions s ON s.seq = c.submission_seq
         WHERE c.submission_seq = ?1 ORDER BY c.seq"
    ))?;
    let mut rows = stmt.query([submission_seq])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(from_row(r)?.1);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_strangers_are_refused() {
        for seq in [0, 1, 255, 1 << 40] {
            assert_eq!(decode_cursor(&encode_cursor(seq)).unwrap(), seq);
        }
        for bad in ["", "c", "x1", "c-1", "cg", "c1234567890abcdef0", "c 1"] {
            assert!(decode_cursor(bad).is_err(), "{bad}");
        }
    }
}
