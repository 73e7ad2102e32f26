//! Columns (栏目) and the units responsible for them.

use std::collections::BTreeMap;

use baosong_api::uploads::is_valid_media_type;
use baosong_api::{AttachmentPolicy, Column, ColumnKind, UnitRef};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::users::check_id;
use super::{Write, parse_ts, ts};
use crate::error::{Error, Result};

/// A column to create.
#[derive(Debug, Clone)]
pub struct NewColumn<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub path: &'a str,
    pub kind: ColumnKind,
    pub cadence_days: Option<u32>,
    pub units: &'a [&'a str],
}

fn check(w: &Connection, c: &NewColumn<'_>) -> Result<()> {
    check_id("id", c.id)?;
    if c.name.trim().is_empty() || c.name.chars().count() > 100 {
        return Err(Error::invalid(
            "name",
            "栏目名称不能为空，且不超过 100 个字。",
            "The column name must not be empty and at most 100 characters.",
        ));
    }
    if !c.path.starts_with('/') || c.path.len() > 500 {
        return Err(Error::invalid(
            "path",
            "栏目路径必须以“/”开头。",
            "The column path must start with '/'.",
        ));
    }
    if c.cadence_days == Some(0) {
        return Err(Error::invalid(
            "cadence_days",
            "更新周期至少为 1 天。",
            "The cadence is at least 1 day.",
        ));
    }
    for unit in c.units {
        if super::users::unit(w, unit)?.is_none() {
            return Err(Error::invalid(
                "unit",
                format!("没有编号为“{unit}”的单位。"),
                format!("No unit with id {unit:?}."),
            ));
        }
    }
    Ok(())
}

fn next_position(w: &Connection) -> Result<i64> {
    Ok(w.query_row(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM columns",
        [],
        |r| r.get(0),
    )?)
}

/// Creates a column; refuses an existing id.
pub fn add_column(w: &mut Write<'_>, c: &NewColumn<'_>) -> Result<()> {
    check(w, c)?;
    if exists(w, c.id)? {
        return Err(Error::invalid(
            "id",
            format!("栏目“{}”已存在。", c.id),
            format!("Column {:?} already exists.", c.id),
        ));
    }
    let position = next_position(w)?;
    w.prepare_cached(
        "INSERT INTO columns (id, name, path, kind, cadence_days, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![c.id, c.name, c.path, c.kind.code(), c.cadence_days, position])?;
    assign(w, c.id, c.units)
}

/// Creates the column unless it exists, and makes sure `units` are assigned.
/// For the demo.
pub fn ensure_column(w: &mut Write<'_>, c: &NewColumn<'_>) -> Result<()> {
    check(w, c)?;
    if !exists(w, c.id)? {
        let position = next_position(w)?;
        w.prepare_cached(
            "INSERT INTO columns (id, name, path, kind, cadence_days, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![c.id, c.name, c.path, c.kind.code(), c.cadence_days, position])?;
    }
    assign(w, c.id, c.units)
}

fn assign(w: &mut Write<'_>, column: &str, units: &[&str]) -> Result<()> {
    let mut stmt = w.prepare_cached(
        "INSERT OR IGNORE INTO column_units (column_id, unit_id) VALUES (?1, ?2)",
    )?;
    for unit in units {
        stmt.execute(params![column, unit])?;
    }
    Ok(())
}

pub fn exists(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM columns WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Records that an item was published in the column at `at`.
pub fn mark_updated(w: &Write<'_>, id: &str, at: DateTime<Utc>) -> Result<()> {
    w.prepare_cached(
        "UPDATE columns SET last_updated_at = ?2
         WHERE id = ?1 AND (last_updated_at IS NULL OR last_updated_at < ?2)",
    )?
    .execute(params![id, ts(at)])?;
    Ok(())
}

/// Every column, in display order, with its responsible units; only those
/// `unit_id` is responsible for when given.
pub fn list(conn: &Connection, unit_id: Option<&str>) -> Result<Vec<Column>> {
    let mut units: BTreeMap<String, Vec<UnitRef>> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT cu.column_id, u.id, u.name FROM column_units cu JOIN units u ON u.id = cu.unit_id
         ORDER BY cu.column_id, u.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        units.entry(r.get(0)?).or_default().push(UnitRef {
            id: r.get(1)?,
            name: r.get(2)?,
        });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, path, kind, cadence_days, last_updated_at, attachment_types,
             attachment_max_bytes FROM columns
         ORDER BY position, id",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let responsible_units = units.remove(&id).unwrap_or_default();
        if let Some(unit) = unit_id
            && !responsible_units.iter().any(|u| u.id == unit)
        {
            continue;
        }
        let kind: String = r.get(3)?;
        let last: Option<String> = r.get(5)?;
        out.push(Column {
            kind: ColumnKind::from_code(&kind)
                .ok_or_else(|| Error::BadRecord(format!("unknown column kind {kind:?}")))?,
            id,
            name: r.get(1)?,
            path: r.get(2)?,
            cadence_days: r.get(4)?,
            responsible_units,
            last_updated_at: last.as_deref().map(parse_ts).transpose()?,
            attachments: policy_of(&r.get::<_, String>(6)?, r.get(7)?),
        });
    }
    Ok(out)
}

fn policy_of(types: &str, max_bytes: i64) -> AttachmentPolicy {
    AttachmentPolicy {
        allowed_media_types: types.split_whitespace().map(str::to_string).collect(),
        max_bytes: max_bytes.max(0) as u64,
    }
}

/// The attachment policy of column `id`; `None` if there is no such column.
pub fn policy(conn: &Connection, id: &str) -> Result<Option<AttachmentPolicy>> {
    Ok(conn
        .prepare_cached("SELECT attachment_types, attachment_max_bytes FROM columns WHERE id = ?1")?
        .query_row([id], |r| Ok(policy_of(&r.get::<_, String>(0)?, r.get(1)?)))
        .optional()?)
}

/// Sets what column `id` accepts as attachments.
pub fn set_attachment_policy(w: &mut Write<'_>, id: &str, policy: &AttachmentPolicy) -> Result<()> {
    if let Some(bad) = policy
        .allowed_media_types
        .iter()
        .find(|t| !is_valid_media_type(t))
    {
        return Err(Error::invalid(
            "attachment_types",
            format!("“{bad}”不是有效的媒体类型（应为 类型/子类型，如 image/jpeg）。"),
            format!("{bad:?} is not a media type (type/subtype, e.g. image/jpeg)."),
        ));
    }
    let max = i64::try_from(policy.max_bytes)
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            Error::invalid(
                "attachment_max_bytes",
                "附件大小上限必须大于 0。",
                "The attachment size limit must be above 0.",
            )
        })?;
    let types: Vec<String> = policy
        .allowed_media_types
        .iter()
        .map(|t| t.to_ascii_lowercase())
        .collect();
    let n = w
        .prepare_cached(
            "UPDATE columns SET attachment_types = ?2, attachment_max_bytes = ?3 WHERE id = ?1",
        )?
        .execute(params![id, types.join(" "), max])?;
    if n == 0 {
        return Err(Error::invalid(
            "id",
            format!("没有编号为“{id}”的栏目。"),
            format!("No column with id {id:?}."),
        ));
    }
    Ok(())
}
