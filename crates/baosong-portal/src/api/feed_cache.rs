//! Serialised pages of the change feed, kept in memory.
//!
//! The feed is append-only (the schema's triggers refuse updates and
//! deletes, and `seq` is `AUTOINCREMENT`, so a new change always comes after
//! every committed one). A **full** page — `limit` changes after `since`,
//! with more already waiting (`has_more`) — therefore never changes once
//! written, and its JSON can be answered again byte for byte. The last,
//! partial page does change (new changes join it, `has_more` flips), so it is
//! never stored.
//!
//! What a caller may see depends on who they are: unit roles see their own
//! unit's changes only, editors and administrators every unit's. The key
//! carries that visibility scope, so one unit's page is never answered to
//! another unit or to an editor.
//!
//! The cache is bounded by the bytes it holds (least recently and least
//! often used pages go first).

use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Bytes;
use quick_cache::Weighter;
use quick_cache::sync::Cache;

/// Which page: the caller's visibility scope and the request's position.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    /// The unit the caller is limited to; `None`: every unit.
    pub scope: Option<String>,
    pub since: i64,
    pub limit: u32,
}

#[derive(Clone)]
struct ByBytes;

impl Weighter<PageKey, Bytes> for ByBytes {
    fn weight(&self, key: &PageKey, page: &Bytes) -> u64 {
        let key_bytes = std::mem::size_of::<PageKey>() + key.scope.as_ref().map_or(0, String::len);
        (page.len() + key_bytes) as u64
    }
}

/// Full feed pages as JSON, at most a set number of bytes of them.
pub struct FeedCache {
    /// `None` when switched off (zero bytes).
    pages: Option<Cache<PageKey, Bytes, ByBytes>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// How often the cache answered, for tests and the load benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FeedCacheStats {
    pub hits: u64,
    pub misses: u64,
}

/// A typical full page of 100 changes is about 35 KB; used only to size the
/// cache's table.
const TYPICAL_PAGE_BYTES: u64 = 32 * 1024;

impl FeedCache {
    /// A cache of at most `max_bytes` of pages; zero switches it off.
    pub fn new(max_bytes: u64) -> FeedCache {
        let pages = (max_bytes > 0).then(|| {
            let items = (max_bytes / TYPICAL_PAGE_BYTES).clamp(16, 1 << 16) as usize;
            Cache::with_weighter(items, max_bytes, ByBytes)
        });
        FeedCache {
            pages,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The stored JSON of this page, if it is a full page seen before.
    pub fn get(&self, key: &PageKey) -> Option<Bytes> {
        let found = self.pages.as_ref()?.get(key);
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores the JSON of a **full** page (the caller checks `has_more`).
    pub fn put_full_page(&self, key: PageKey, json: Bytes) {
        if let Some(pages) = &self.pages {
            pages.insert(key, json);
        }
    }

    pub fn stats(&self) -> FeedCacheStats {
        FeedCacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(scope: Option<&str>, since: i64) -> PageKey {
        PageKey {
            scope: scope.map(str::to_string),
            since,
            limit: 100,
        }
    }

    #[test]
    fn pages_are_kept_per_scope() {
        let c = FeedCache::new(1 << 20);
        c.put_full_page(key(Some("jyj"), 0), Bytes::from_static(b"jyj"));
        c.put_full_page(key(None, 0), Bytes::from_static(b"all"));
        assert_eq!(c.get(&key(Some("jyj"), 0)).as_deref(), Some(&b"jyj"[..]));
        assert_eq!(c.get(&key(None, 0)).as_deref(), Some(&b"all"[..]));
        assert_eq!(c.get(&key(Some("wjw"), 0)), None);
        assert_eq!(c.get(&key(Some("jyj"), 1)), None);
        assert_eq!(c.stats(), FeedCacheStats { hits: 2, misses: 2 });
    }

    #[test]
    fn holds_no_more_than_its_bytes() {
        let c = FeedCache::new(64 * 1024);
        for since in 0..100 {
            c.put_full_page(key(None, since), Bytes::from(vec![b'x'; 4096]));
        }
        let kept = (0..100).filter(|s| c.get(&key(None, *s)).is_some()).count();
        assert!(
            kept > 0 && kept <= 16,
            "kept {kept} pages of 4 KiB in 64 KiB"
        );
    }

    #[test]
    fn zero_bytes_switches_it_off() {
        let c = FeedCache::new(0);
        c.put_full_page(key(None, 0), Bytes::from_static(b"all"));
        assert_eq!(c.get(&key(None, 0)), None);
    }
}
