//! Access tokens verified recently, remembered for a few seconds so that a
//! client polling the API does not cost a database read (a blocking-thread
//! hop and a four-table join) on every request.
//!
//! Correctness rests on three rules:
//! - an entry is used only while its token is unexpired and for at most the
//!   cache's lifetime (a few seconds) after it was read from the database;
//! - every write that can end a sign-in or change what a token stands for
//!   (revoking a token family on logout or refresh-token reuse, an editor's
//!   web sign-out, a user's role, unit or `disabled` flag changing) marks
//!   itself with [`super::Write::tokens_changed`]; the writer thread then
//!   calls [`TokenCache::invalidate`] after the commit and before the
//!   request that made the write is answered, so a logout cuts access at once;
//! - entries carry the [`TokenCache::generation`] read *before* the database
//!   lookup that produced them, and only entries of the current generation
//!   count. A lookup that read the old state while a revocation committed
//!   therefore never leaves a stale entry behind.
//!
//! Changes made to the database file by another process (the `user`
//! subcommand, `sqlite3`) are not seen until the entry's lifetime runs out.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use quick_cache::sync::Cache;

use super::users::Principal;

/// Most tokens remembered; far more than there are active sign-ins.
const CAPACITY: usize = 4096;

pub struct TokenCache {
    generation: AtomicU64,
    /// Keyed by the token's SHA-256 (the raw token is never kept).
    entries: Cache<[u8; 32], Entry>,
    lifetime: Duration,
}

#[derive(Clone)]
struct Entry {
    who: Arc<Principal>,
    generation: u64,
    /// Remembered until then (the cache's lifetime from the lookup).
    until: Instant,
    /// The token's own expiry, whole Unix seconds as stored.
    expires_at: i64,
}

impl TokenCache {
    /// A cache keeping entries for `lifetime`; zero switches it off.
    pub fn new(lifetime: Duration) -> TokenCache {
        TokenCache {
            generation: AtomicU64::new(0),
            entries: Cache::new(CAPACITY),
            lifetime,
        }
    }

    /// Read before looking a token up in the database; pass it to
    /// [`TokenCache::put`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// The holder of the token with this hash, if verified recently, still
    /// unexpired at `now_unix` and not invalidated since.
    pub fn get(&self, hash: &[u8; 32], now_unix: i64) -> Option<Principal> {
        if self.lifetime.is_zero() {
            return None;
        }
        let e = self.entries.get(hash)?;
        // Same rule as the database check: valid through its last second.
        let fresh = e.generation == self.generation()
            && Instant::now() < e.until
            && e.expires_at >= now_unix;
        fresh.then(|| Principal::clone(&e.who))
    }

    /// Remembers a token just verified in the database, by a lookup that
    /// started at `generation`.
    pub fn put(&self, hash: [u8; 32], who: &Principal, expires_at: i64, generation: u64) {
        if self.lifetime.is_zero() || generation != self.generation() {
            return;
        }
        let entry = Entry {
            who: Arc::new(who.clone()),
            generation,
            until: Instant::now() + self.lifetime,
            expires_at,
        };
        self.entries.insert(hash, entry);
    }

    /// Forgets every token: called after a commit that revoked tokens or
    /// changed users. Bumping the generation first makes entries being put
    /// concurrently (from lookups that began before) worthless at once.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use baosong_api::Role;

    use super::*;

    fn alice() -> Principal {
        Principal {
            user_id: 1,
            username: "alice".into(),
            display_name: "Alice".into(),
            role: Role::LiaisonOfficer,
            unit: None,
            family_id: 7,
        }
    }

    #[test]
    fn remembers_until_invalidated() {
        let c = TokenCache::new(Duration::from_secs(60));
        let g = c.generation();
        c.put([1; 32], &alice(), 1_000, g);
        assert_eq!(c.get(&[1; 32], 999), Some(alice()));
        assert_eq!(c.get(&[2; 32], 999), None);
        c.invalidate();
        assert_eq!(c.get(&[1; 32], 999), None);
    }

    #[test]
    fn a_lookup_that_raced_an_invalidation_is_not_remembered() {
        let c = TokenCache::new(Duration::from_secs(60));
        let before = c.generation();
        c.invalidate();
        c.put([1; 32], &alice(), 1_000, before);
        assert_eq!(c.get(&[1; 32], 999), None);
    }

    #[test]
    fn never_outlives_the_token_or_its_own_lifetime() {
        let c = TokenCache::new(Duration::from_secs(60));
        c.put([1; 32], &alice(), 1_000, c.generation());
        assert!(
            c.get(&[1; 32], 1_000).is_some(),
            "valid through its last second"
        );
        assert_eq!(c.get(&[1; 32], 1_001), None);

        let short = TokenCache::new(Duration::from_millis(20));
        short.put([1; 32], &alice(), 1_000, short.generation());
        assert!(short.get(&[1; 32], 999).is_some());
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(short.get(&[1; 32], 999), None);
    }

    #[test]
    fn zero_lifetime_switches_it_off() {
        let c = TokenCache::new(Duration::ZERO);
        c.put([1; 32], &alice(), 1_000, c.generation());
        assert_eq!(c.get(&[1; 32], 999), None);
    }
}
