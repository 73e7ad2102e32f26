//! Every save is kept: list, compare and restore revisions.

use rusqlite::{OptionalExtension, Transaction, params};
use similar::{ChangeTag, TextDiff};

use super::items::{Loaded, load, parse_state, parse_time, timestamp};
use super::{Result, Store, StoreError};
use crate::model::{Item, ItemContent, ItemId};
use crate::view::{DiffLine, DiffTag, FieldChange, RevisionDiff, RevisionSummary};

pub(super) fn record(
    tx: &Transaction<'_>,
    seq: i64,
    item: &Item,
    actor: &str,
    note: Option<&str>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO revisions (item_seq, revision, state, title, content, body_chars, saved_at, saved_by, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            seq,
            item.revision,
            item.state.code(),
            item.content.title,
            serde_json::to_string(&item.content)?,
            item.content.body.chars().count() as i64,
            timestamp(item.updated_at),
            actor,
            note,
        ],
    )?;
    Ok(())
}

impl Store {
    /// The item's revisions, newest first.
    pub fn list_revisions(&self, id: ItemId) -> Result<Vec<RevisionSummary>> {
        let Loaded { seq, .. } = load(&self.conn, id)?;
        let mut stmt = self.conn.prepare(
            "SELECT revision, state, title, saved_at, saved_by, note, body_chars
             FROM revisions WHERE item_seq = ?1 ORDER BY revision DESC",
        )?;
        let rows = stmt.query_map([seq], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, u32>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (revision, state, title, saved_at, saved_by, note, body_chars) = row?;
            out.push(RevisionSummary {
                revision,
                state: parse_state(&state)?,
                title,
                saved_at: parse_time(&saved_at)?,
                saved_by,
                note,
                body_chars,
            });
        }
        Ok(out)
    }

    /// The content as it was saved in `revision`.
    pub fn get_revision(&self, id: ItemId, revision: u32) -> Result<ItemContent> {
        let Loaded { seq, .. } = load(&self.conn, id)?;
        let json: String = self
            .conn
            .query_row(
                "SELECT content FROM revisions WHERE item_seq = ?1 AND revision = ?2",
                params![seq, revision],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NoSuchRevision(revision))?;
        Ok(serde_json::from_str(&json)?)
    }

    /// What changed from revision `from` to revision `to`.
    pub fn diff_revisions(&self, id: ItemId, from: u32, to: u32) -> Result<RevisionDiff> {
        let old = self.get_revision(id, from)?;
        let new = self.get_revision(id, to)?;
        Ok(diff_contents(from, to, &old, &new)?)
    }

    /// Makes the content of an earlier revision the current one, as a new
    /// revision: history is never rewritten.
    pub fn restore_revision(&self, id: ItemId, revision: u32) -> Result<Item> {
        let content = self.get_revision(id, revision)?;
        self.save_with_note(
            id,
            content,
            None,
            Some(format!("restored from revision {revision}")),
        )
    }
}

/// Compares two contents field by field, and the body line by line.
pub fn diff_contents(
    from: u32,
    to: u32,
    old: &ItemContent,
    new: &ItemContent,
) -> std::result::Result<RevisionDiff, serde_json::Error> {
    let mut fields = Vec::new();
    let (a, b) = (serde_json::to_value(old)?, serde_json::to_value(new)?);
    compare_fields("", &a, &b, &mut fields);
    let diff = TextDiff::from_lines(&old.body, &new.body);
    let body = diff
        .iter_all_changes()
        .map(|c| DiffLine {
            tag: match c.tag() {
                ChangeTag::Equal => DiffTag::Equal,
                ChangeTag::Delete => DiffTag::Delete,
                ChangeTag::Insert => DiffTag::Insert,
            },
            text: c.value().trim_end_matches('\n').to_string(),
        })
        .collect();
    let body_unified = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("revision {from}"), &format!("revision {to}"))
        .to_string();
    Ok(RevisionDiff {
        from,
        to,
        fields,
        body,
        body_unified,
    })
}

/// Walks two JSON trees and lists the leaves that differ (the body is diffed
/// separately, line by line).
fn compare_fields(
    path: &str,
    a: &serde_json::Value,
    b: &serde_json::Value,
    out: &mut Vec<FieldChange>,
) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (key, va) in x {
                if path.is_empty() && key == "body" {
                    continue;
                }
                let sub = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                compare_fields(&sub, va, y.get(key).unwrap_or(&Value::Null), out);
            }
        }
        _ if a != b => out.push(FieldChange {
            field: path.to_string(),
            old: display_value(a),
            new: display_value(b),
        }),
        _ => {}
    }
}

fn display_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Array(items) => items
            .iter()
            .map(display_value)
            .collect::<Vec<_>>()
            .join("、"),
        other => other.to_string(),
    }
}
