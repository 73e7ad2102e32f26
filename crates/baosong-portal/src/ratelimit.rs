//! A small in-memory token-bucket rate limiter, keyed by client address,
//! user or (address, username).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::Instant;

use crate::config::Rate;

/// Buckets kept before idle ones are dropped.
const MAX_KEYS: usize = 50_000;

pub struct Limiter<K> {
    rate: Option<Rate>,
    buckets: Mutex<HashMap<K, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl<K: Eq + Hash> Limiter<K> {
    /// `None`: never limits.
    pub fn new(rate: Option<Rate>) -> Limiter<K> {
        Limiter {
            rate,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key`: `Ok` to go ahead, or `Err(seconds)` to wait.
    pub fn check(&self, key: K) -> Result<(), u64> {
        let Some(rate) = self.rate else {
            return Ok(());
        };
        let burst = f64::from(rate.burst.max(1));
        let now = Instant::now();
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= MAX_KEYS {
            // Drop the buckets that have refilled completely: forgetting them
            // changes nothing.
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.at).as_secs_f64() * rate.per_second < burst
            });
        }
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let refill = now.duration_since(bucket.at).as_secs_f64() * rate.per_second;
        bucket.tokens = (bucket.tokens + refill).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else if rate.per_second > 0.0 {
            let wait = ((1.0 - bucket.tokens) / rate.per_second).ceil();
            // A float of at most a few hours; the cast cannot truncate.
            Err((wait as u64).max(1))
        } else {
            Err(3600)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_then_refuses_with_a_wait() {
        let l = Limiter::new(Some(Rate {
            per_second: 0.5,
            burst: 3,
        }));
        for _ in 0..3 {
            assert_eq!(l.check("a"), Ok(()));
        }
        assert_eq!(l.check("a"), Err(2));
        assert_eq!(l.check("b"), Ok(()), "keys are separate");
        let off: Limiter<&str> = Limiter::new(None);
        for _ in 0..1000 {
            assert_eq!(off.check("a"), Ok(()));
        }
    }
}
