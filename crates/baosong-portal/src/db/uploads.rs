//! Attachments in the database: uploads in progress, the files stored, and
//! which submissions refer to which files (who may download them). The bytes
//! themselves live next to the database (see [`crate::attachments`]).

use baosong_api::{AttachmentRef, Problem, ProblemCode};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

use super::users::Principal;
use super::{Write, columns, parse_ts, parse_uuid, ts};
use crate::error::{Error, Result};

/// An upload in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadRow {
    pub id: Uuid,
    pub unit_id: String,
    pub sha256: String,
    pub size: u64,
    pub name: String,
    pub media_type: String,
    pub column_id: String,
    /// Bytes received and verified.
    pub offset: u64,
    pub expires_at: DateTime<Utc>,
}

const UPLOAD_COLUMNS: &str =
    "id, unit_id, sha256, size, name, media_type, column_id, upload_offset, expires_at";

fn upload_row(r: &Row<'_>) -> rusqlite::Result<(String, UploadRowRaw)> {
    Ok((
        r.get(0)?,
        UploadRowRaw {
            unit_id: r.get(1)?,
            sha256: r.get(2)?,
            size: r.get(3)?,
            name: r.get(4)?,
            media_type: r.get(5)?,
            column_id: r.get(6)?,
            offset: r.get(7)?,
            expires_at: r.get(8)?,
        },
    ))
}

struct UploadRowRaw {
    unit_id: String,
    sha256: String,
    size: i64,
    name: String,
    media_type: String,
    column_id: String,
    offset: i64,
    expires_at: String,
}

fn finish((id, raw): (String, UploadRowRaw)) -> Result<UploadRow> {
    Ok(UploadRow {
        id: parse_uuid(&id)?,
        unit_id: raw.unit_id,
        sha256: raw.sha256,
        size: raw.size.max(0) as u64,
        name: raw.name,
        media_type: raw.media_type,
        column_id: raw.column_id,
        offset: raw.offset.max(0) as u64,
        expires_at: parse_ts(&raw.expires_at)?,
    })
}

fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The size and media type of a stored file.
pub fn stored(conn: &Connection, sha256: &str) -> Result<Option<(u64, String)>> {
    Ok(conn
        .prepare_cached("SELECT size, media_type FROM attachments WHERE sha256 = ?1")?
        .query_row([sha256], |r| {
            Ok((r.get::<_, i64>(0)?.max(0) as u64, r.get(1)?))
        })
        .optional()?)
}

/// The unit's unfinished, unexpired upload of the file `sha256` of `size`.
pub fn unfinished(
    conn: &Connection,
    unit_id: &str,
    sha256: &str,
    size: u64,
    now: DateTime<Utc>,
) -> Result<Option<UploadRow>> {
    conn.prepare_cached(&format!(
        "SELECT {UPLOAD_COLUMNS} FROM uploads
         WHERE unit_id = ?1 AND sha256 = ?2 AND size = ?3 AND expires_at > ?4
         ORDER BY created_at LIMIT 1"
    ))?
    .query_row(params![unit_id, sha256, int(size), ts(now)], upload_row)
    .optional()?
    .map(finish)
    .transpose()
}

/// Upload `id` of the caller's unit, unless unknown or expired.
pub fn get(conn: &Connection, who: &Principal, id: Uuid, now: DateTime<Utc>) -> Result<UploadRow> {
    let unit = who.submitting_unit()?;
    conn.prepare_cached(&format!(
        "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE id = ?1 AND unit_id = ?2 AND expires_at > ?3"
    ))?
    .query_row(params![id.to_string(), unit.id, ts(now)], upload_row)
    .optional()?
    .map(finish)
    .transpose()?
    .ok_or_else(Error::not_found)
}

/// Records a new upload.
pub fn create(w: &mut Write<'_>, who: &Principal, u: &UploadRow, now: DateTime<Utc>) -> Result<()> {
    w.prepare_cached(
        "INSERT INTO uploads (id, unit_id, user_id, sha256, size, name, media_type, column_id,
             upload_offset, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        u.id.to_string(),
        u.unit_id,
        who.user_id,
        u.sha256,
        int(u.size),
        u.name,
        u.media_type,
        u.column_id,
        int(u.offset),
        ts(now),
        ts(u.expires_at)
    ])?;
    Ok(())
}

/// Moves the upload to `offset` (a verified chunk, or a reset to 0) and
/// extends its life.
pub fn set_offset(
    w: &mut Write<'_>,
    id: Uuid,
    offset: u64,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    w.prepare_cached("UPDATE uploads SET upload_offset = ?2, expires_at = ?3 WHERE id = ?1")?
        .execute(params![id.to_string(), int(offset), ts(expires_at)])?;
    Ok(())
}

/// The file of upload `u` is verified and in place: it becomes a stored
/// attachment and the upload ends.
pub fn complete(w: &mut Write<'_>, u: &UploadRow, now: DateTime<Utc>) -> Result<()> {
    w.prepare_cached(
        "INSERT OR IGNORE INTO attachments (sha256, size, media_type, created_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![u.sha256, int(u.size), u.media_type, ts(now)])?;
    delete(w, u.id)
}

pub fn delete(w: &mut Write<'_>, id: Uuid) -> Result<()> {
    w.prepare_cached("DELETE FROM uploads WHERE id = ?1")?
        .execute([id.to_string()])?;
    Ok(())
}

/// Uploads whose time ran out by `now`.
pub fn expired(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<Uuid>> {
    let ids: Vec<String> = conn
        .prepare_cached("SELECT id FROM uploads WHERE expires_at <= ?1")?
        .query_map([ts(now)], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.iter().map(|s| parse_uuid(s)).collect()
}

/// The ids of every upload in progress (expired or not).
pub fn all_ids(conn: &Connection) -> Result<Vec<Uuid>> {
    let ids: Vec<String> = conn
        .prepare_cached("SELECT id FROM uploads")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.iter().map(|s| parse_uuid(s)).collect()
}

/// A stored file `who` may download: referenced by a submission they may
/// see. (name as first referenced, media type, size)
pub fn downloadable(
    conn: &Connection,
    who: &Principal,
    sha256: &str,
) -> Result<Option<(String, String, u64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT sa.name, a.media_type, a.size FROM submission_attachments sa
             JOIN submissions s ON s.seq = sa.submission_seq
             JOIN attachments a ON a.sha256 = sa.sha256
             WHERE sa.sha256 = ?1 AND (?2 IS NULL OR s.unit_id = ?2)
             ORDER BY sa.submission_seq LIMIT 1",
        )?
        .query_row(params![sha256, who.unit_filter()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)?.max(0) as u64))
        })
        .optional()?)
}

/// Refuses a submission whose attachments are not all stored with their
/// size, or not allowed by the column.
pub fn check_refs(conn: &Connection, column_id: &str, refs: &[AttachmentRef]) -> Result<()> {
    let Some(policy) = columns::policy(conn, column_id)? else {
        // The caller reports the unknown column.
        return Ok(());
    };
    for (i, a) in refs.iter().enumerate() {
        let field = format!("attachments[{i}]");
        if !policy.allows(&a.media_type) {
            let mut p = Problem::new(ProblemCode::AttachmentTypeNotAllowed)
                .with_field(format!("{field}.media_type"))
                .with_detail(
                    format!(
                        "栏目“{column_id}”不接受“{}”类型的附件（{}）。",
                        a.media_type, a.name
                    ),
                    format!(
                        "Column {column_id:?} does not accept {:?} attachments ({}).",
                        a.media_type, a.name
                    ),
                );
            // The request's own type (JSON) is fine: the problem is a value.
            p.status = 422;
            return Err(Error::problem(p));
        }
        match stored(conn, &a.sha256)? {
            Some((size, _)) if size == a.size => {}
            _ => {
                return Err(Error::problem(
                    Problem::new(ProblemCode::AttachmentMissing)
                        .with_field(format!("{field}.sha256"))
                        .with_detail(
                            format!(
                                "附件“{}”（{}…）尚未上传到门户网站，或大小不符。",
                                a.name,
                                a.sha256.get(..12).unwrap_or(&a.sha256)
                            ),
                            format!(
                                "Attachment {:?} ({}…) is not stored at the portal, or has another size.",
                                a.name,
                                a.sha256.get(..12).unwrap_or(&a.sha256)
                            ),
                        ),
                ));
            }
        }
    }
    Ok(())
}

/// Records which files a submission refers to (every revision's, kept).
pub fn record_refs(w: &Write<'_>, submission_seq: i64, refs: &[AttachmentRef]) -> Result<()> {
    let mut stmt = w.prepare_cached(
        "INSERT OR IGNORE INTO submission_attachments (submission_seq, sha256, name, media_type)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for a in refs {
        stmt.execute(params![submission_seq, a.sha256, a.name, a.media_type])?;
    }
    Ok(())
}

/// The attachments of a submission's current revision as the editor page
/// lists them: (ref, stored).
pub fn of_submission(
    conn: &Connection,
    refs: &[AttachmentRef],
) -> Result<Vec<(AttachmentRef, bool)>> {
    refs.iter()
        .map(|a| Ok((a.clone(), stored(conn, &a.sha256)?.is_some())))
        .collect()
}
