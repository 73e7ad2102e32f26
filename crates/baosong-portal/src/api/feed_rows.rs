//! Pages of the change feed that are not in the page cache, assembled from
//! the JSON of single changes.
//!
//! A change never changes once recorded (the feed is append-only), and its
//! JSON is the same whoever may see it, so the JSON of each change is kept by
//! its feed position (`seq`), bounded by bytes. A page is then one cheap
//! index query for the positions the caller may see (this is where the
//! visibility scope applies) plus the stored JSON of each; only changes not
//! kept yet are read in full and serialised. The bytes are exactly what
//! serialising a [`baosong_api::ChangesPage`] gives (a test compares them).

use axum::body::Bytes;
use quick_cache::Weighter;
use quick_cache::sync::Cache;
use rusqlite::Connection;

use crate::db::changes;
use crate::error::{Error, Result};

#[derive(Clone)]
struct ByBytes;

impl Weighter<i64, Bytes> for ByBytes {
    fn weight(&self, _seq: &i64, json: &Bytes) -> u64 {
        (json.len() + std::mem::size_of::<i64>()) as u64
    }
}

/// The JSON of single changes by feed position.
pub struct RowCache {
    /// `None` when switched off.
    rows: Option<Cache<i64, Bytes, ByBytes>>,
}

/// A typical change is about 350 bytes of JSON; sizes the table only.
const TYPICAL_ROW_BYTES: u64 = 350;

impl RowCache {
    /// At most `max_bytes` of change JSON; zero switches it off.
    pub fn new(max_bytes: u64) -> RowCache {
        let rows = (max_bytes > 0).then(|| {
            let items = (max_bytes / TYPICAL_ROW_BYTES).clamp(64, 1 << 20) as usize;
            Cache::with_weighter(items, max_bytes, ByBytes)
        });
        RowCache { rows }
    }

    /// The stored JSON of every one of `seqs`, or `None` if any is missing.
    fn all(&self, seqs: &[i64]) -> Option<Vec<Bytes>> {
        let rows = self.rows.as_ref()?;
        seqs.iter().map(|seq| rows.get(seq)).collect()
    }

    fn put(&self, seq: i64, json: Bytes) {
        if let Some(rows) = &self.rows {
            rows.insert(seq, json);
        }
    }
}

/// One page of the feed as seen by someone limited to `unit` (`None`: every
/// unit) as JSON, and whether it is full (`has_more`).
pub fn page_json(
    conn: &Connection,
    rows: &RowCache,
    unit: Option<&str>,
    since: i64,
    limit: u32,
) -> Result<(Bytes, bool)> {
    let mut seqs = changes::positions_after(conn, unit, since, limit.saturating_add(1))?;
    let has_more = seqs.len() > limit as usize;
    seqs.truncate(limit as usize);
    let parts = match rows.all(&seqs) {
        Some(parts) => parts,
        None => read_and_keep(conn, rows, unit, since, limit)?,
    };
    let next = seqs.last().copied().unwrap_or(since);
    Ok((Bytes::from(assemble(&parts, next, has_more)?), has_more))
}

/// Reads the page's changes in full (the same snapshot as the positions),
/// serialises each and keeps it.
fn read_and_keep(
    conn: &Connection,
    rows: &RowCache,
    unit: Option<&str>,
    since: i64,
    limit: u32,
) -> Result<Vec<Bytes>> {
    let mut parts = Vec::with_capacity(limit as usize);
    for (seq, change) in changes::after(conn, unit, since, limit)? {
        let json = Bytes::from(serde_json::to_vec(&change).map_err(serialising)?);
        rows.put(seq, json.clone());
        parts.push(json);
    }
    Ok(parts)
}

/// `{"changes":[…],"next_cursor":"…","has_more":…}`, as serde_json writes a
/// `ChangesPage`.
fn assemble(parts: &[Bytes], next: i64, has_more: bool) -> Result<Vec<u8>> {
    let len: usize = parts.iter().map(|p| p.len() + 1).sum();
    let mut out = Vec::with_capacity(len + 64);
    out.extend_from_slice(b"{\"changes\":[");
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(part);
    }
    out.extend_from_slice(b"],\"next_cursor\":");
    serde_json::to_writer(&mut out, &changes::encode_cursor(next)).map_err(serialising)?;
    out.extend_from_slice(b",\"has_more\":");
    out.extend_from_slice(if has_more { b"true" } else { b"false" });
    out.push(b'}');
    Ok(out)
}

fn serialising(e: serde_json::Error) -> Error {
    Error::Internal(format!("serialising a feed page: {e}"))
}
