//! Settings of a running portal. Every number has a production default and
//! can be changed, so tests and load tests are neither slow nor throttled.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The address `serve` and `demo` listen on unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";

#[derive(Debug, Clone)]
pub struct Config {
    /// The SQLite file (created if missing).
    pub db_path: PathBuf,
    pub listen: SocketAddr,
    /// Lifetime of an access token. Default 15 minutes.
    pub access_token_ttl: Duration,
    /// Lifetime of a refresh token. Default 30 days.
    pub refresh_token_ttl: Duration,
    /// How long after a refresh token is rotated presenting it again still
    /// counts as the client retrying a refresh whose answer it lost (and gets
    /// a new pair) rather than as a stolen token being replayed (which revokes
    /// the sign-in), provided nothing issued from it has been used yet.
    /// Default 30 s; zero: every second presentation is a reuse.
    pub refresh_reuse_grace: Duration,
    /// Largest accepted request body. Default 2 MiB.
    pub max_body_bytes: usize,
    pub rate_limits: RateLimits,
    /// Cost of new password hashes.
    pub password: PasswordParams,
    /// Interval of SSE keep-alive comments. Default 15 s.
    pub sse_keep_alive: Duration,
    /// `synchronous = FULL` (default: a 201 is on disk even after a power cut)
    /// or `NORMAL` (faster; the last commits may be lost on power loss, never
    /// corrupted).
    pub durable_commits: bool,
    /// An attachment upload without progress for this long is discarded
    /// with its partial file. Default 24 hours.
    pub upload_ttl: Duration,
    /// The chunk size recommended to uploading clients, and the most one
    /// `PATCH /uploads/{id}` may carry. Default 8 MiB.
    pub upload_chunk_size: u64,
    /// How long a verified access token is remembered instead of being
    /// looked up again. Logouts and revocations by this server take effect
    /// at once regardless; a user changed in the database file by another
    /// process (the `user` subcommand, `sqlite3`) is seen after at most this
    /// long. Default 5 s; zero: look every token up.
    pub token_cache_ttl: Duration,
    /// Memory for change-feed JSON, which never changes: half for full
    /// pages (about 230 pages of 100 changes), half for single changes (about
    /// 24,000) that other pages are assembled from. Default 16 MiB; zero: no
    /// cache.
    pub feed_cache_bytes: u64,
}

impl Config {
    /// Production defaults for a database file and a listening address.
    pub fn new(db_path: impl Into<PathBuf>, listen: SocketAddr) -> Config {
        Config {
            db_path: db_path.into(),
            listen,
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
            refresh_reuse_grace: Duration::from_secs(30),
            max_body_bytes: 2 * 1024 * 1024,
            rate_limits: RateLimits::default(),
            password: PasswordParams::default(),
            sse_keep_alive: Duration::from_secs(15),
            durable_commits: true,
            upload_ttl: Duration::from_secs(24 * 3600),
            upload_chunk_size: baosong_api::uploads::DEFAULT_CHUNK_SIZE,
            token_cache_ttl: crate::db::DEFAULT_TOKEN_CACHE_LIFETIME,
            feed_cache_bytes: 16 * 1024 * 1024,
        }
    }

    /// Where attachments live: `attachments/` next to the database file.
    pub fn attachments_dir(&self) -> PathBuf {
        self.db_path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."))
            .join("attachments")
    }
}

/// A token bucket: `per_second` tokens are added each second, up to `burst`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub per_second: f64,
    pub burst: u32,
}

/// Request limits; `None` switches a limit off.
///
/// Defaults:
/// - per client IP address, every request: 100/s, bursts of 200 (a whole
///   department behind one NAT address stays well below it);
/// - per signed-in user: 20/s, bursts of 60;
/// - sign-in attempts per (IP address, username): 10 per minute, bursts of 10.
///
/// The IP address is the TCP peer's; behind a reverse proxy it is the proxy's,
/// so set the per-IP limit there instead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimits {
    pub per_ip: Option<Rate>,
    pub per_user: Option<Rate>,
    pub login: Option<Rate>,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            per_ip: Some(Rate {
                per_second: 100.0,
                burst: 200,
            }),
            per_user: Some(Rate {
                per_second: 20.0,
                burst: 60,
            }),
            login: Some(Rate {
                per_second: 10.0 / 60.0,
                burst: 10,
            }),
        }
    }
}

impl RateLimits {
    /// No limits at all (tests, load tests).
    pub fn off() -> RateLimits {
        RateLimits {
            per_ip: None,
            per_user: None,
            login: None,
        }
    }
}

/// Argon2id cost. The default is OWASP's recommendation (19 MiB, 2 passes,
/// 1 lane). Hashes carry their own parameters, so changing this affects only
/// passwords set afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for PasswordParams {
    fn default() -> Self {
        PasswordParams {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

impl PasswordParams {
    /// The cheapest parameters Argon2 allows: for tests only.
    pub fn insecure_fast() -> PasswordParams {
        PasswordParams {
            memory_kib: 8,
            iterations: 1,
            parallelism: 1,
        }
    }
}
