//! Creating, reading, saving and moving items.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::search::{self, TermPlan};
use super::{Result, Store, StoreError, audit};
use crate::model::{Item, ItemContent, ItemId, ItemState, ItemSummary, Urgency};
use crate::view::ListQuery;
use crate::workflow::{self, Action};

/// Limits that keep one runaway paste from making the store unusable.
pub const MAX_TITLE_CHARS: usize = 500;
pub const MAX_SUMMARY_CHARS: usize = 5_000;
pub const MAX_BODY_CHARS: usize = 2_000_000;
pub const MAX_FIELD_CHARS: usize = 1_000;
/// The most rows one list call returns.
pub const MAX_PAGE: u32 = 500;

pub(super) fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(super) fn parse_time(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::BadRecord(format!("time '{s}': {e}")))
}

pub(super) fn parse_state(s: &str) -> Result<ItemState> {
    ItemState::parse(s).ok_or_else(|| StoreError::BadRecord(format!("state '{s}'")))
}

fn urgency_code(u: Urgency) -> &'static str {
    match u {
        Urgency::Normal => "normal",
        Urgency::Urgent => "urgent",
    }
}

fn parse_urgency(s: &str) -> Urgency {
    if s == "urgent" {
        Urgency::Urgent
    } else {
        Urgency::Normal
    }
}

/// Rejects content that is too large to be a real item.
pub fn validate(content: &ItemContent) -> Result<()> {
    let check = |field: &'static str, text: &str, max: usize| {
        let len = text.chars().count();
        if len > max {
            Err(StoreError::TooLong { field, len, max })
        } else {
            Ok(())
        }
    };
    check("title", &content.title, MAX_TITLE_CHARS)?;
    check("summary", &content.summary, MAX_SUMMARY_CHARS)?;
    check("body", &content.body, MAX_BODY_CHARS)?;
    let d = &content.disclosure;
    for (field, text) in [
        ("column", content.column.name.as_str()),
        ("column", content.column.id.as_str()),
        ("author", &content.author),
        ("author_phone", &content.author_phone),
        ("source_unit", &content.source_unit),
        ("withheld_reason", &d.withheld_reason),
        ("doc_number", &d.doc_number),
        ("topic_category", &d.topic_category),
        ("genre_category", &d.genre_category),
    ] {
        check(field, text, MAX_FIELD_CHARS)?;
    }
    check("keywords", &content.keywords.join(","), MAX_FIELD_CHARS)?;
    Ok(())
}

const ITEM_COLUMNS: &str =
    "seq, id, state, revision, content, returned_reason, published_url, created_at, updated_at";

/// An item row with its internal row number.
pub(super) struct Loaded {
    pub seq: i64,
    pub item: Item,
}

/// The columns of an `items` row, before they are checked and decoded.
struct RawItem {
    seq: i64,
    id: String,
    state: String,
    revision: u32,
    content: String,
    returned_reason: Option<String>,
    published_url: Option<String>,
    created_at: String,
    updated_at: String,
}

fn raw_item(row: &Row<'_>) -> rusqlite::Result<RawItem> {
    Ok(RawItem {
        seq: row.get(0)?,
        id: row.get(1)?,
        state: row.get(2)?,
        revision: row.get(3)?,
        content: row.get(4)?,
        returned_reason: row.get(5)?,
        published_url: row.get(6)?,
        created_at: row.get(7)?,
        updated_at: row.get(8)?,
    })
}

pub(super) fn parse_id(id: &str) -> Result<ItemId> {
    id.parse()
        .map_err(|_| StoreError::BadRecord(format!("item id '{id}'")))
}

fn decode(raw: RawItem) -> Result<Loaded> {
    let item = Item {
        id: parse_id(&raw.id)?,
        content: serde_json::from_str(&raw.content)?,
        state: parse_state(&raw.state)?,
        returned_reason: raw.returned_reason,
        published_url: raw.published_url,
        revision: raw.revision,
        created_at: parse_time(&raw.created_at)?,
        updated_at: parse_time(&raw.updated_at)?,
    };
    Ok(Loaded { seq: raw.seq, item })
}

pub(super) fn load(conn: &rusqlite::Connection, id: ItemId) -> Result<Loaded> {
    let raw = conn
        .prepare_cached(&format!("SELECT {ITEM_COLUMNS} FROM items WHERE id = ?1"))?
        .query_row([id.as_string()], raw_item)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
    decode(raw)
}

pub(super) fn write_row(tx: &Transaction<'_>, seq: Option<i64>, item: &Item) -> Result<i64> {
    let content = serde_json::to_string(&item.content)?;
    let c = &item.content;
    let (id, state, urgency) = (
        item.id.as_string(),
        item.state.code(),
        urgency_code(c.urgency),
    );
    let (created, updated) = (timestamp(item.created_at), timestamp(item.updated_at));
    let mut values: Vec<&dyn rusqlite::ToSql> = vec![
        &id,
        &state,
        &item.revision,
        &c.title,
        &c.column.id,
        &c.column.name,
        &urgency,
        &content,
        &item.returned_reason,
        &item.published_url,
        &created,
        &updated,
    ];
    match seq {
        None => {
            tx.prepare_cached(
                "INSERT INTO items (id, state, revision, title, column_id, column_name, urgency,
                    content, returned_reason, published_url, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(values.as_slice())?;
            Ok(tx.last_insert_rowid())
        }
        Some(seq) => {
            values.push(&seq);
            tx.prepare_cached(
                "UPDATE items SET id = ?1, state = ?2, revision = ?3, title = ?4, column_id = ?5,
                    column_name = ?6, urgency = ?7, content = ?8, returned_reason = ?9,
                    published_url = ?10, created_at = ?11, updated_at = ?12
                 WHERE seq = ?13",
            )?
            .execute(values.as_slice())?;
            Ok(seq)
        }
    }
}

fn reindex(tx: &Transaction<'_>, seq: i64, c: &ItemContent) -> Result<()> {
    tx.execute("DELETE FROM item_grams WHERE rowid = ?1", [seq])?;
    let text = search::indexed_text(&c.title, &c.summary, &c.body);
    tx.execute(
        "INSERT INTO item_grams (rowid, grams) VALUES (?1, ?2)",
        params![seq, search::grams(&text)],
    )?;
    Ok(())
}

/// 报送 must go through [`Store::enqueue_submission`] (an item in 待报送 always
/// has an outbox entry), and a queued item that may already be on its way to
/// the portal cannot be withdrawn locally.
fn refuse_outbox_bypass(tx: &Transaction<'_>, loaded: &Loaded, action: &Action) -> Result<()> {
    match action {
        Action::Queue => Err(StoreError::NeedsOutbox),
        Action::Withdraw if loaded.item.state == ItemState::Queued => {
            let pending: i64 = tx.query_row(
                "SELECT count(*) FROM outbox WHERE item_seq = ?1 AND status = 'pending'",
                [loaded.seq],
                |r| r.get(0),
            )?;
            if pending > 0 {
                Err(StoreError::InOutbox)
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

impl Store {
    /// Creates a draft from `content` and returns it (revision 1).
    pub fn create_item(&self, content: ItemContent) -> Result<Item> {
        let ids = self.create_items(vec![content])?;
        let id = ids
            .first()
            .copied()
            .ok_or_else(|| StoreError::BadRecord("no id".into()))?;
        self.get_item(id)
    }

    /// Creates many drafts in one transaction (imports, demo content): all or
    /// nothing, and much faster than one transaction each.
    pub fn create_items(&self, contents: Vec<ItemContent>) -> Result<Vec<ItemId>> {
        for c in &contents {
            validate(c)?;
        }
        self.write(|tx| {
            let mut ids = Vec::with_capacity(contents.len());
            for content in contents {
                let now = Utc::now();
                let item = Item {
                    id: ItemId::new(),
                    content,
                    state: ItemState::Draft,
                    returned_reason: None,
                    published_url: None,
                    revision: 1,
                    created_at: now,
                    updated_at: now,
                };
                let seq = write_row(tx, None, &item)?;
                reindex(tx, seq, &item.content)?;
                super::revisions::record(tx, seq, &item, &self.actor, None)?;
                audit::append(
                    tx,
                    &self.actor,
                    "create",
                    Some(&item),
                    serde_json::json!({}),
                )?;
                ids.push(item.id);
            }
            Ok(ids)
        })
    }

    pub fn get_item(&self, id: ItemId) -> Result<Item> {
        Ok(load(&self.conn, id)?.item)
    }

    /// Finds the one item whose id starts with `prefix` (case-insensitive).
    pub fn resolve_id(&self, prefix: &str) -> Result<ItemId> {
        let p = prefix.trim().to_ascii_lowercase();
        if p.is_empty() || !p.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(StoreError::InvalidId(prefix.to_string()));
        }
        // '~' sorts after every hex digit and '-', so this range is the prefix.
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM items WHERE id >= ?1 AND id < ?1 || '~' LIMIT 2")?;
        let ids: Vec<String> = stmt
            .query_map([&p], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [] => Err(StoreError::NotFound(prefix.to_string())),
            [one] => parse_id(one),
            _ => {
                let count: usize = self.conn.query_row(
                    "SELECT count(*) FROM items WHERE id >= ?1 AND id < ?1 || '~'",
                    [&p],
                    |r| r.get(0),
                )?;
                Err(StoreError::Ambiguous {
                    prefix: prefix.to_string(),
                    count,
                })
            }
        }
    }

    /// Saves new content as the next revision.
    ///
    /// `base_revision` is the revision the editor started from; if the stored
    /// item has moved on (another window or the CLI saved meanwhile) this is a
    /// [`StoreError::Conflict`] rather than a silent overwrite. Saving content
    /// identical to the stored one changes nothing. Editing an item that was
    /// signed off, returned or published moves it back to draft (see
    /// [`workflow::next_state`]).
    pub fn save_content(
        &self,
        id: ItemId,
        content: ItemContent,
        base_revision: Option<u32>,
    ) -> Result<Item> {
        self.save_with_note(id, content, base_revision, None)
    }

    pub(super) fn save_with_note(
        &self,
        id: ItemId,
        content: ItemContent,
        base_revision: Option<u32>,
        note: Option<String>,
    ) -> Result<Item> {
        validate(&content)?;
        super::attachments::validate(self, &content)?;
        self.write(|tx| {
            let Loaded { seq, item: current } = load(tx, id)?;
            if let Some(base) = base_revision
                && base != current.revision
            {
                return Err(StoreError::Conflict {
                    expected: base,
                    actual: current.revision,
                });
            }
            if current.content == content {
                return Ok(current);
            }
            let state = workflow::next_state(current.state, &Action::Edit)?;
            let text_changed = current.content.title != content.title
                || current.content.summary != content.summary
                || current.content.body != content.body;
            let item = Item {
                content,
                state,
                revision: current.revision + 1,
                updated_at: Utc::now(),
                ..current.clone()
            };
            write_row(tx, Some(seq), &item)?;
            if text_changed {
                // Indexing a long body costs more than saving it; it is done
                // before the next search instead (see `flush_index`).
                tx.execute(
                    "INSERT OR IGNORE INTO index_queue (item_seq) VALUES (?1)",
                    [seq],
                )?;
            }
            super::revisions::record(tx, seq, &item, &self.actor, note.as_deref())?;
            // Anything changed after 送审 or 签发 needs a new sign-off.
            let invalidated = super::signoffs::invalidate_all(tx, seq, "edited")?;
            super::reviews::cancel_pending_for_item(tx, seq, &self.actor, &item)?;
            audit::append(
                tx,
                &self.actor,
                "edit",
                Some(&item),
                serde_json::json!({
                    "from_state": current.state.code(),
                    "to_state": item.state.code(),
                    "note": note,
                    "signoff_invalidated": invalidated > 0,
                }),
            )?;
            if invalidated > 0 {
                // Its own entry, so 签发已失效 is found by action like the rest.
                super::signoffs::audit_invalidated(
                    tx,
                    &self.actor,
                    &item,
                    "edited",
                    current.state,
                )?;
            }
            Ok(item)
        })
    }

    /// Moves an item through the workflow. 签发 and 退回修改 are decisions on
    /// a review ([`Store::sign_review`], [`Store::return_review`]); 送审 here
    /// records a review for any head on this computer (see
    /// [`Store::send_for_review`] to name one or go through the portal).
    pub fn apply_action(&self, id: ItemId, action: Action) -> Result<Item> {
        if matches!(action, Action::SignOff | Action::ReturnForRevision) {
            return Err(StoreError::NeedsReview);
        }
        self.write(|tx| {
            // 送审 records a review; its id goes into the audit entry.
            let new = (action == Action::SendForSignoff).then(|| crate::model::NewReview {
                id: uuid::Uuid::now_v7().to_string(),
                ..Default::default()
            });
            let item = self.apply_in(tx, id, action.clone(), new.as_ref())?;
            if let Some(new) = &new {
                let seq = load(tx, id)?.seq;
                super::reviews::insert_local(
                    tx,
                    seq,
                    &item,
                    &self.actor,
                    new,
                    &Default::default(),
                )?;
            }
            Ok(item)
        })
    }

    /// [`Store::apply_action`] inside a transaction, without the review
    /// bookkeeping.
    pub(super) fn apply_in(
        &self,
        tx: &Transaction<'_>,
        id: ItemId,
        action: Action,
        review: Option<&crate::model::NewReview>,
    ) -> Result<Item> {
        let loaded = load(tx, id)?;
        let state = workflow::next_state(loaded.item.state, &action)?;
        refuse_outbox_bypass(tx, &loaded, &action)?;
        // 送审 only with a clean check (see `checks`).
        let check = match action {
            Action::SendForSignoff => Some(super::checks::gate_for_signoff(tx, self, &loaded)?),
            _ => None,
        };
        let Loaded { seq, item: current } = loaded;
        let mut item = Item {
            state,
            updated_at: Utc::now(),
            ..current.clone()
        };
        match &action {
            Action::Return { reason } => item.returned_reason = Some(reason.clone()),
            Action::Publish { url } => item.published_url = Some(url.clone()),
            // A fresh submission leaves the old return reason behind.
            Action::MarkSubmitted => item.returned_reason = None,
            _ => {}
        }
        write_row(tx, Some(seq), &item)?;
        audit::append(
            tx,
            &self.actor,
            action.kind().code(),
            Some(&item),
            serde_json::json!({
                "from_state": current.state.code(),
                "to_state": item.state.code(),
                "action": action,
                "check": check,
                "review_id": review.map(|r| &r.id),
                "to": review.and_then(|r| r.to_user.as_ref()),
            }),
        )?;
        Ok(item)
    }

    /// A page of items, optionally filtered by state and by a full-text query
    /// (all whitespace-separated terms must match).
    ///
    /// Without a query the newest change comes first. With one, the newest
    /// item comes first: FTS5 then hands matches over in rowid order and the
    /// page ends the scan, so a word found in every item (工作) costs no more
    /// than a rare one.
    pub fn list_items(&self, q: &ListQuery) -> Result<Vec<ItemSummary>> {
        let plans = q.search.as_deref().map(search::plan).unwrap_or_default();
        if !plans.is_empty() {
            match self.flush_index() {
                // Another program holds the write lock: search what is
                // indexed rather than fail; that program's saves are queued.
                Ok(_) | Err(StoreError::Busy) => {}
                Err(e) => return Err(e),
            }
        }
        // Terms the index cannot answer exactly are confirmed on the text, so
        // only then is the (large) content column read.
        let needs_confirm = plans
            .iter()
            .any(|p| matches!(p, TermPlan::Scan(_) | TermPlan::Phrase { exact: false, .. }));
        let phrases: Vec<&str> = plans
            .iter()
            .filter_map(|p| match p {
                TermPlan::Phrase { fts, .. } => Some(fts.as_str()),
                TermPlan::Scan(_) => None,
            })
            .collect();
        let columns = format!(
            "i.id, i.title, i.column_name, i.state, i.urgency, i.revision, i.updated_at, {}",
            if needs_confirm { "i.content" } else { "''" }
        );
        let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
        let mut sql = if phrases.is_empty() {
            format!("SELECT {columns} FROM items i WHERE 1")
        } else {
            args.push(Box::new(phrases.join(" AND ")));
            format!(
                "SELECT {columns} FROM item_grams g JOIN items i ON i.seq = g.rowid
                 WHERE g.item_grams MATCH ?"
            )
        };
        if let Some(state) = q.state {
            sql.push_str(" AND i.state = ?");
            args.push(Box::new(state.code()));
        }
        sql.push_str(if phrases.is_empty() {
            " ORDER BY i.updated_at DESC, i.seq DESC"
        } else {
            " ORDER BY g.rowid DESC"
        });
        let needles: Vec<String> = match q.search.as_deref() {
            Some(s) if needs_confirm => s
                .split_whitespace()
                .map(|t| search::normalize(t).into_iter().collect())
                .collect(),
            _ => Vec::new(),
        };
        let limit = q.limit.clamp(1, MAX_PAGE) as usize;
        let offset = q.offset as usize;
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args.iter().map(|b| b.as_ref())))?;
        let mut out = Vec::new();
        let mut skipped = 0usize;
        while let Some(row) = rows.next()? {
            if !needles.is_empty() {
                let content: ItemContent = serde_json::from_str(&row.get::<_, String>(7)?)?;
                let hay = search::indexed_text(&content.title, &content.summary, &content.body);
                if !needles.iter().all(|n| search::contains_normalized(&hay, n)) {
                    continue;
                }
            }
            if skipped < offset {
                skipped += 1;
                continue;
            }
            let id: String = row.get(0)?;
            let state: String = row.get(3)?;
            let urgency: String = row.get(4)?;
            let updated: String = row.get(6)?;
            out.push(ItemSummary {
                id: parse_id(&id)?,
                title: row.get(1)?,
                column_name: row.get(2)?,
                state: parse_state(&state)?,
                urgency: parse_urgency(&urgency),
                revision: row.get(5)?,
                updated_at: parse_time(&updated)?,
            });
            if out.len() >= limit {
                break;
            }
        }
        Ok(out)
    }

    /// Brings the search index up to date with queued saves; returns how many
    /// items were re-indexed.
    pub fn flush_index(&self) -> Result<usize> {
        let pending: i64 = self
            .conn
            .query_row("SELECT count(*) FROM index_queue", [], |r| r.get(0))?;
        if pending == 0 {
            return Ok(0);
        }
        self.write(|tx| {
            let queued: Vec<(i64, String)> = tx
                .prepare(
                    "SELECT q.item_seq, i.content FROM index_queue q JOIN items i ON i.seq = q.item_seq",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (seq, json) in &queued {
                let content: ItemContent = serde_json::from_str(json)?;
                reindex(tx, *seq, &content)?;
            }
            tx.execute("DELETE FROM index_queue", [])?;
            Ok(queued.len())
        })
    }

    /// How many items there are, per state.
    pub fn count_by_state(&self) -> Result<Vec<(ItemState, u64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT state, count(*) FROM items GROUP BY state")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (s, n) = row?;
            out.push((parse_state(&s)?, n));
        }
        Ok(out)
    }
}
