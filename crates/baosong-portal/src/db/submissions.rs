//! Submissions: receiving, resubmitting, withdrawing and deciding, each in one
//! transaction together with its entry in the change feed.

use baosong_api::{
    Actor, DecisionAction, DecisionRequest, InvalidTransition, Problem, ProblemCode, Submission,
    SubmissionRequest, SubmissionStatus, Transition, UnitRef,
};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::changes::{self, NewChange};
use super::users::{Principal, parse_role};
use super::{Write, columns, now, parse_ts, parse_uuid, ts, uploads};
use crate::error::{Error, Result};
use crate::signoff::{self, Verified};

/// A request as received, with what the portal derived from it.
pub struct Incoming<'a> {
    pub req: &'a SubmissionRequest,
    /// The request as JSON (what is stored).
    pub json: &'a str,
    /// SHA-256 of `json`: two requests are "the same" when this is.
    pub hash: &'a str,
    /// The portal's own check findings, as a JSON array.
    pub server_findings: &'a str,
}

/// `If-Match` of a resubmission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    /// `*`
    Any,
    /// The revisions named by the tags that are revision tags.
    Revisions(Vec<u32>),
}

pub enum Created {
    New(Submission),
    Replayed(Submission),
}

/// The stored facts a decision needs.
struct Row {
    seq: i64,
    id: Uuid,
    client_item_id: Uuid,
    unit_id: String,
    column_id: String,
    status: SubmissionStatus,
    revision: u32,
}

fn status(code: &str) -> Result<SubmissionStatus> {
    SubmissionStatus::from_code(code).ok_or_else(|| Error::BadRecord(format!("status {code:?}")))
}

/// The submission `id` if `who` may see it; otherwise 404, as if it did not exist.
fn find(conn: &Connection, who: &Principal, id: Uuid) -> Result<Row> {
    let row = conn
        .prepare_cached(
            "SELECT seq, client_item_id, unit_id, column_id, status, revision
             FROM submissions WHERE id = ?1",
        )?
        .query_row([id.to_string()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, u32>(5)?,
            ))
        })
        .optional()?;
    match row {
        Some((seq, client, unit_id, column_id, st, revision)) if who.can_see_unit(&unit_id) => {
            Ok(Row {
                seq,
                id,
                client_item_id: parse_uuid(&client)?,
                unit_id,
                column_id,
                status: status(&st)?,
                revision,
            })
        }
        _ => Err(Error::not_found()),
    }
}

fn unknown_column(id: &str) -> Error {
    Error::problem(
        Problem::new(ProblemCode::UnknownColumn)
            .with_field("item.column_id")
            .with_detail(
                format!("没有编号为“{id}”的栏目。请从 GET /me 或 GET /columns 选择栏目。"),
                format!("No column with id {id:?}; pick one from GET /me or GET /columns."),
            ),
    )
}

pub fn invalid_transition(e: InvalidTransition) -> Error {
    Error::problem(Problem::new(ProblemCode::InvalidTransition).with_detail(
        format!(
            "稿件当前状态为“{}”，不能“{}”。",
            e.from.label_zh(),
            e.transition.label_zh()
        ),
        format!(
            "A submission that is {} cannot be {}.",
            e.from.code(),
            match e.transition {
                Transition::StartReview => "put under review",
                Transition::Adopt => "adopted",
                Transition::Return => "returned",
                Transition::Decline => "declined",
                Transition::Publish => "published",
                Transition::Withdraw => "withdrawn",
                Transition::Resubmit => "resubmitted",
            }
        ),
    ))
}

/// Receives a new submission, or finds the one an earlier request with the
/// same `Idempotency-Key` made.
pub fn create(w: &mut Write<'_>, who: &Principal, key: &str, inc: Incoming<'_>) -> Result<Created> {
    let unit = who.submitting_unit()?.clone();
    let earlier: Option<(String, i64)> = w
        .prepare_cached(
            "SELECT request_hash, submission_seq FROM idempotency_keys WHERE user_id = ?1 AND key = ?2",
        )?
        .query_row(params![who.user_id, key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((hash, seq)) = earlier {
        if hash == inc.hash {
            return Ok(Created::Replayed(load(w, seq)?));
        }
        return Err(Error::problem(
            Problem::new(ProblemCode::IdempotencyKeyReused).with_field("Idempotency-Key"),
        ));
    }
    let req = inc.req;
    if !columns::exists(w, &req.item.column_id)? {
        return Err(unknown_column(&req.item.column_id));
    }
    let at = now();
    let signed = signoff::verify(w, &unit.id, req, req.signoff.as_ref(), at)?;
    // After the signature: a changed attachment is a broken sign-off first.
    uploads::check_refs(w, &req.item.column_id, &req.attachments)?;
    let id = Uuid::now_v7();
    let at_s = ts(at);
    w.prepare_cached(
        "INSERT INTO submissions (id, client_item_id, unit_id, column_id, title, status, revision,
             created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?7)",
    )?
    .execute(params![
        id.to_string(),
        req.client_item_id.to_string(),
        unit.id,
        req.item.column_id,
        req.item.title,
        SubmissionStatus::Received.code(),
        at_s,
    ])?;
    let seq = w.last_insert_rowid();
    insert_revision(w, seq, 1, who, &at_s, &inc, &signed)?;
    w.prepare_cached(
        "INSERT INTO idempotency_keys (user_id, key, request_hash, submission_seq, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![who.user_id, key, inc.hash, seq, at_s])?;
    let change = changes::record(
        w,
        NewChange {
            submission_seq: seq,
            submission_id: id,
            client_item_id: req.client_item_id,
            unit_id: &unit.id,
            revision: 1,
            from: None,
            to: SubmissionStatus::Received,
            by: who,
            at,
            comment: "",
            reason: None,
            public_url: None,
        },
    )?;
    Ok(Created::New(Submission {
        id,
        client_item_id: req.client_item_id,
        client_revision: req.client_revision,
        unit: UnitRef {
            id: unit.id,
            name: unit.name,
        },
        submitted_by: who.actor(),
        revision: 1,
        status: SubmissionStatus::Received,
        returned_reason: None,
        public_url: None,
        item: req.item.clone(),
        body_markdown: req.body_markdown.clone(),
        body_html: req.body_html.clone(),
        content_hash: req.content_hash.clone(),
        check: req.check.clone(),
        attachments: req.attachments.clone(),
        signoff: req.signoff.clone(),
        signed_by: Some(signed.signer),
        created_at: at,
        updated_at: at,
        history: vec![change],
    }))
}

fn insert_revision(
    w: &Write<'_>,
    seq: i64,
    revision: u32,
    who: &Principal,
    at: &str,
    inc: &Incoming<'_>,
    signed: &Verified,
) -> Result<()> {
    w.prepare_cached(
        "INSERT INTO submission_revisions (submission_seq, revision, submitted_by, submitted_at,
             content_hash, request, server_findings, signed_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        seq,
        revision,
        who.user_id,
        at,
        inc.req.content_hash,
        inc.json,
        inc.server_findings,
        signed.signer_id
    ])?;
    uploads::record_refs(w, seq, &inc.req.attachments)
}

/// A submission `who` may see.
pub fn get(conn: &Connection, who: &Principal, id: Uuid) -> Result<Submission> {
    let row = find(conn, who, id)?;
    load(conn, row.seq)
}

/// The full submission at `seq`, as the API shows it.
pub fn load(conn: &Connection, seq: i64) -> Result<Submission> {
    let row = conn
        .prepare_cached(
            "SELECT s.id, s.unit_id, un.name, s.status, s.revision, s.returned_reason,
                    s.public_url, s.created_at, s.updated_at, r.request,
                    u.username, u.display_name, u.role,
                    sb.username, sb.display_name, sb.role
             FROM submissions s
             JOIN units un ON un.id = s.unit_id
             JOIN submission_revisions r ON r.submission_seq = s.seq AND r.revision = s.revision
             JOIN users u ON u.id = r.submitted_by
             LEFT JOIN users sb ON sb.id = r.signed_by
             WHERE s.seq = ?1",
        )?
        .query_row([seq], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u32>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, String>(9)?,
                (
                    r.get::<_, String>(10)?,
                    r.get::<_, String>(11)?,
                    r.get::<_, String>(12)?,
                ),
                (
                    r.get::<_, Option<String>>(13)?,
                    r.get::<_, Option<String>>(14)?,
                    r.get::<_, Option<String>>(15)?,
                ),
            ))
        })
        .optional()?;
    let Some((
        id,
        unit_id,
        unit_name,
        st,
        revision,
        returned_reason,
        public_url,
        created,
        updated,
        request,
        (username, display_name, role),
        signer,
    )) = row
    else {
        return Err(Error::not_found());
    };
    let req: SubmissionRequest = serde_json::from_str(&request)
        .map_err(|e| Error::BadRecord(format!("stored submission {id}: {e}")))?;
    Ok(Submission {
        id: parse_uuid(&id)?,
        client_item_id: req.client_item_id,
        client_revision: req.client_revision,
        unit: UnitRef {
            id: unit_id,
            name: unit_name,
        },
        submitted_by: Actor {
            username,
            display_name,
            role: parse_role(&role)?,
        },
        revision,
        status: status(&st)?,
        returned_reason,
        public_url,
        item: req.item,
        body_markdown: req.body_markdown,
        body_html: req.body_html,
        content_hash: req.content_hash,
        check: req.check,
        attachments: req.attachments,
        signoff: req.signoff,
        signed_by: signed_by(signer)?,
        created_at: parse_ts(&created)?,
        updated_at: parse_ts(&updated)?,
        history: changes::history(conn, seq)?,
    })
}

/// The verified signer of a stored revision (none before schema version 3).
fn signed_by(row: (Option<String>, Option<String>, Option<String>)) -> Result<Option<Actor>> {
    match row {
        (Some(username), Some(display_name), Some(role)) => Ok(Some(Actor {
            username,
            display_name,
            role: parse_role(&role)?,
        })),
        _ => Ok(None),
    }
}

/// Resubmits a returned submission as its next revision.
pub fn resubmit(
    w: &mut Write<'_>,
    who: &Principal,
    id: Uuid,
    if_match: &IfMatch,
    inc: Incoming<'_>,
) -> Result<Submission> {
    who.submitting_unit()?;
    let row = find(w, who, id)?;
    let current = match if_match {
        IfMatch::Any => true,
        IfMatch::Revisions(revs) => revs.contains(&row.revision),
    };
    if !current {
        return Err(Error::problem(
            Problem::new(ProblemCode::PreconditionFailed).with_detail(
                format!(
                    "稿件已是第 {} 版，与 If-Match 不符，请刷新后再重新报送。",
                    row.revision
                ),
                format!(
                    "The submission is at revision {} (ETag {}), not the one in If-Match.",
                    row.revision,
                    baosong_api::revision_etag(row.revision)
                ),
            ),
        ));
    }
    let to = row
        .status
        .after(Transition::Resubmit)
        .map_err(invalid_transition)?;
    let req = inc.req;
    if req.client_item_id != row.client_item_id {
        return Err(Error::invalid(
            "client_item_id",
            "重新报送的稿件编号（client_item_id）与原稿件不同。",
            "client_item_id differs from the submission's.",
        ));
    }
    if !columns::exists(w, &req.item.column_id)? {
        return Err(unknown_column(&req.item.column_id));
    }
    let at = now();
    let signed = signoff::verify(w, &row.unit_id, req, req.signoff.as_ref(), at)?;
    // After the signature: a changed attachment is a broken sign-off first.
    uploads::check_refs(w, &req.item.column_id, &req.attachments)?;
    let revision = row.revision.saturating_add(1);
    let at_s = ts(at);
    insert_revision(w, row.seq, revision, who, &at_s, &inc, &signed)?;
    w.prepare_cached(
        "UPDATE submissions SET status = ?2, revision = ?3, title = ?4, column_id = ?5,
             returned_reason = NULL, public_url = NULL, updated_at = ?6
         WHERE seq = ?1",
    )?
    .execute(params![
        row.seq,
        to.code(),
        revision,
        req.item.title,
        req.item.column_id,
        at_s
    ])?;
    changes::record(
        w,
        NewChange {
            submission_seq: row.seq,
            submission_id: row.id,
            client_item_id: row.client_item_id,
            unit_id: &row.unit_id,
            revision,
            from: Some(row.status),
            to,
            by: who,
            at,
            comment: "",
            reason: None,
            public_url: None,
        },
    )?;
    load(w, row.seq)
}

/// The unit takes a submission back.
pub fn withdraw(w: &mut Write<'_>, who: &Principal, id: Uuid, comment: &str) -> Result<Submission> {
    who.submitting_unit()?;
    let row = find(w, who, id)?;
    let to = row
        .status
        .after(Transition::Withdraw)
        .map_err(invalid_transition)?;
    set_status(w, who, &row, to, comment, None, None)
}

/// A portal editor's decision (the request already validated).
pub fn decide(
    w: &mut Write<'_>,
    who: &Principal,
    id: Uuid,
    d: &DecisionRequest,
) -> Result<Submission> {
    let row = find(w, who, id)?;
    let to = row
        .status
        .after(d.action.transition())
        .map_err(invalid_transition)?;
    let reason = (d.action == DecisionAction::Return)
        .then_some(d.reason.as_deref())
        .flatten();
    let url = (d.action == DecisionAction::Publish)
        .then_some(d.public_url.as_deref())
        .flatten();
    set_status(w, who, &row, to, &d.comment, reason, url)
}

fn set_status(
    w: &mut Write<'_>,
    who: &Principal,
    row: &Row,
    to: SubmissionStatus,
    comment: &str,
    reason: Option<&str>,
    public_url: Option<&str>,
) -> Result<Submission> {
    let at = now();
    let at_s = ts(at);
    w.prepare_cached(
        "UPDATE submissions SET status = ?2,
             returned_reason = ?3, public_url = COALESCE(?4, public_url), updated_at = ?5
         WHERE seq = ?1",
    )?
    .execute(params![row.seq, to.code(), reason, public_url, at_s])?;
    if to == SubmissionStatus::Published {
        columns::mark_updated(w, &row.column_id, at)?;
    }
    changes::record(
        w,
        NewChange {
            submission_seq: row.seq,
            submission_id: row.id,
            client_item_id: row.client_item_id,
            unit_id: &row.unit_id,
            revision: row.revision,
            from: Some(row.status),
            to,
            by: who,
            at,
            comment,
            reason,
            public_url,
        },
    )?;
    load(w, row.seq)
}

/// How many submissions and revisions are stored (for tests and `status`).
pub fn counts(conn: &Connection) -> Result<(i64, i64, i64)> {
    Ok(conn.query_row(
        "SELECT (SELECT COUNT(*) FROM submissions), (SELECT COUNT(*) FROM submission_revisions),
                (SELECT COUNT(*) FROM status_changes)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}
