//! The portal's store: one SQLite file (WAL), one writer thread and a small
//! pool of reader connections.
//!
//! **Writes** go to the writer thread, which owns the only writing connection.
//! Each write (one request's change) runs in its own savepoint; the thread
//! commits whatever writes are waiting together in one `IMMEDIATE`
//! transaction ("group commit"), so one `fsync` covers many requests and
//! `synchronous = FULL` (an acknowledged write survives a power cut) still
//! allows well over a thousand writes a second. A write that fails is rolled
//! back to its savepoint and does not disturb the others; nothing is
//! acknowledged before the commit. Prepared statements are cached per
//! connection.
//!
//! Status changes made by a write get their feed position (`seq`) inside the
//! transaction and are broadcast to live listeners right after the commit, by
//! the writer thread, so listeners see them in feed order.
//!
//! **Reads** take a pooled connection and run in one read transaction (a
//! consistent snapshot); they are blocking, and the HTTP layer calls them
//! through `spawn_blocking` ([`crate::api::AppState::read`]).

pub mod changes;
pub mod columns;
pub mod keys;
pub mod reviews;
pub mod schema;
pub mod submissions;
pub mod token_cache;
pub mod tokens;
pub mod uploads;
pub mod users;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, mpsc};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use tokio::sync::{broadcast, oneshot};

use crate::error::{Error, Result};
pub use changes::ChangeEvent;
pub use reviews::ReviewEvent;
pub use token_cache::TokenCache;

/// How long a connection waits for SQLite's lock before `unavailable`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Idle reader connections kept open.
const MAX_IDLE_READERS: usize = 8;
/// Live listeners that fall this far behind re-read the feed from the database.
const BROADCAST_CAPACITY: usize = 1024;
/// Most writes committed together.
const MAX_BATCH: usize = 128;
/// How long a verified access token is remembered (see [`TokenCache`]).
pub const DEFAULT_TOKEN_CACHE_LIFETIME: Duration = Duration::from_secs(5);

pub struct Db {
    path: PathBuf,
    jobs: mpsc::Sender<Job>,
    readers: Mutex<Vec<Connection>>,
    changes: broadcast::Sender<Arc<ChangeEvent>>,
    reviews: broadcast::Sender<Arc<ReviewEvent>>,
    durable: bool,
    tokens: Arc<TokenCache>,
}

/// A write in progress: the transaction and the status and review changes
/// it made.
pub struct Write<'a> {
    pub tx: Transaction<'a>,
    events: Vec<ChangeEvent>,
    review_events: Vec<ReviewEvent>,
    tokens_changed: bool,
}

impl Write<'_> {
    /// Says that this write ends sign-ins or changes what access tokens
    /// stand for: verified tokens are forgotten once it commits, before its
    /// request is answered (see [`TokenCache`]).
    pub fn tokens_changed(&mut self) {
        self.tokens_changed = true;
    }

    /// Announces `event` to live listeners once the transaction commits.
    pub fn announce(&mut self, event: ChangeEvent) {
        self.events.push(event);
    }

    /// Announces a review change to live listeners once the transaction
    /// commits.
    pub fn announce_review(&mut self, event: ReviewEvent) {
        self.review_events.push(event);
    }
}

/// Where the writer thread announces committed changes.
#[derive(Clone)]
struct Announcers {
    changes: broadcast::Sender<Arc<ChangeEvent>>,
    reviews: broadcast::Sender<Arc<ReviewEvent>>,
    tokens: Arc<TokenCache>,
}

impl std::ops::Deref for Write<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.tx
    }
}

/// One queued write: `run` does the work inside the batch's transaction (and
/// says whether it succeeded); `finish` learns whether the batch committed
/// and delivers the result.
struct Job {
    run: Box<dyn for<'a> FnOnce(&mut Write<'a>) -> bool + Send>,
    finish: Box<dyn FnOnce(Option<String>) + Send>,
}

impl Db {
    /// Opens (creating if needed) the database, brings its schema up to date
    /// and starts the writer thread. `durable`: `synchronous = FULL` rather
    /// than `NORMAL`.
    pub fn open(path: &Path, durable: bool) -> Result<Arc<Db>> {
        Db::open_with_token_cache(path, durable, DEFAULT_TOKEN_CACHE_LIFETIME)
    }

    /// As [`Db::open`], remembering verified access tokens for
    /// `token_cache_lifetime` (zero: never).
    pub fn open_with_token_cache(
        path: &Path,
        durable: bool,
        token_cache_lifetime: Duration,
    ) -> Result<Arc<Db>> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut writer = open_connection(path, durable)?;
        migrate(&mut writer)?;
        let (changes, _) = broadcast::channel(BROADCAST_CAPACITY);
        let (reviews, _) = broadcast::channel(BROADCAST_CAPACITY);
        let (jobs, queue) = mpsc::channel();
        let tokens = Arc::new(TokenCache::new(token_cache_lifetime));
        let announce = Announcers {
            changes: changes.clone(),
            reviews: reviews.clone(),
            tokens: tokens.clone(),
        };
        std::thread::Builder::new()
            .name("portal-db-writer".into())
            .spawn(move || writer_loop(writer, queue, announce))?;
        Ok(Arc::new(Db {
            path: path.to_path_buf(),
            jobs,
            readers: Mutex::new(Vec::new()),
            changes,
            reviews,
            durable,
            tokens,
        }))
    }

    /// Access tokens verified recently.
    pub fn token_cache(&self) -> &TokenCache {
        &self.tokens
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Live status changes, from the moment of subscribing.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<ChangeEvent>> {
        self.changes.subscribe()
    }

    /// Live review changes, from the moment of subscribing.
    pub fn subscribe_reviews(&self) -> broadcast::Receiver<Arc<ReviewEvent>> {
        self.reviews.subscribe()
    }

    fn enqueue<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Write<'_>) -> Result<T> + Send + 'static,
        deliver: impl FnOnce(Result<T>) + Send + 'static,
    ) -> Result<()> {
        let slot: Arc<Mutex<Option<Result<T>>>> = Arc::new(Mutex::new(None));
        let out = slot.clone();
        let job = Job {
            run: Box::new(move |w| {
                let result = f(w);
                let ok = result.is_ok();
                *lock(&out) = Some(result);
                ok
            }),
            finish: Box::new(move |commit_error| {
                let result = lock(&slot).take();
                deliver(match (result, commit_error) {
                    (Some(Err(e)), _) => Err(e),
                    (Some(Ok(v)), None) => Ok(v),
                    (_, Some(e)) => Err(Error::Internal(format!("commit failed: {e}"))),
                    (None, None) => Err(Error::Internal("write was not run".into())),
                })
            }),
        };
        self.jobs
            .send(job)
            .map_err(|_| Error::Internal("the database writer has stopped".into()))
    }

    /// Runs `f` as one write (its own savepoint in the next group commit) and
    /// waits until it is committed. An error rolls back everything `f` did.
    /// Blocking: from async code use [`Db::write_async`].
    pub fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Write<'_>) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = mpsc::sync_channel(1);
        self.enqueue(f, move |r| {
            let _ = tx.send(r);
        })?;
        rx.recv()
            .map_err(|_| Error::Internal("the database writer has stopped".into()))?
    }

    /// As [`Db::write`], awaiting the commit without holding a thread.
    pub async fn write_async<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Write<'_>) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = oneshot::channel();
        self.enqueue(f, move |r| {
            let _ = tx.send(r);
        })?;
        rx.await
            .map_err(|_| Error::Internal("the database writer has stopped".into()))?
    }

    /// Runs `f` on a reader in one read transaction (a consistent snapshot).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = match lock(&self.readers).pop() {
            Some(c) => c,
            None => {
                let c = open_connection(&self.path, self.durable)?;
                c.execute_batch("PRAGMA query_only = ON")?;
                c
            }
        };
        let out = (|| {
            let tx = conn.unchecked_transaction()?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })();
        let mut idle = lock(&self.readers);
        if idle.len() < MAX_IDLE_READERS {
            idle.push(conn);
        }
        out
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        self.read(|c| Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?))
    }

    /// SQLite's integrity check; "ok" when sound.
    pub fn integrity_check(&self) -> Result<String> {
        self.read(|c| {
            let rows: Vec<String> = c
                .prepare("PRAGMA integrity_check")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows.join("\n"))
        })
    }
}

/// The writer thread: takes every write waiting (up to [`MAX_BATCH`]) and
/// commits them together. Ends when the [`Db`] is dropped.
fn writer_loop(conn: Connection, queue: mpsc::Receiver<Job>, announce: Announcers) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        run_batch(&conn, batch, &announce);
    }
}

fn run_batch(conn: &Connection, batch: Vec<Job>, announce: &Announcers) {
    let tx = match Transaction::new_unchecked(conn, TransactionBehavior::Immediate) {
        Ok(tx) => tx,
        Err(e) => {
            let msg = e.to_string();
            for job in batch {
                (job.finish)(Some(msg.clone()));
            }
            return;
        }
    };
    let mut w = Write {
        tx,
        events: Vec::new(),
        review_events: Vec::new(),
        tokens_changed: false,
    };
    let mut finishers = Vec::with_capacity(batch.len());
    let mut broken: Option<String> = None;
    for job in batch {
        finishers.push(job.finish);
        if broken.is_some() {
            continue;
        }
        let mark = (w.events.len(), w.review_events.len());
        if let Err(e) = w.tx.execute_batch("SAVEPOINT job") {
            broken = Some(e.to_string());
            continue;
        }
        // A panicking write is a failed write, not a dead writer thread.
        let ok = catch_unwind(AssertUnwindSafe(|| (job.run)(&mut w))).unwrap_or(false);
        let end = if ok {
            "RELEASE job"
        } else {
            w.events.truncate(mark.0);
            w.review_events.truncate(mark.1);
            "ROLLBACK TO job; RELEASE job"
        };
        if let Err(e) = w.tx.execute_batch(end) {
            broken = Some(e.to_string());
        }
    }
    let Write {
        tx,
        events,
        review_events,
        tokens_changed,
    } = w;
    let outcome = match broken {
        // Dropping the transaction rolls everything back.
        Some(e) => Err(e),
        None => tx.commit().map_err(|e| e.to_string()),
    };
    match outcome {
        Ok(()) => {
            if tokens_changed {
                // Before any finisher runs: a logout is answered only once
                // its token can no longer be used.
                announce.tokens.invalidate();
            }
            for event in events {
                // No listener is fine.
                let _ = announce.changes.send(Arc::new(event));
            }
            for event in review_events {
                let _ = announce.reviews.send(Arc::new(event));
            }
            for finish in finishers {
                finish(None);
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "a group commit failed; its writes were rolled back");
            for finish in finishers {
                finish(Some(e.clone()));
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a reader leaves no open transaction behind (the
    // guard rolls back on drop), so what the mutex protects is fine.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn open_connection(path: &Path, durable: bool) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    let sync = if durable { "FULL" } else { "NORMAL" };
    conn.execute_batch(&format!(
        "PRAGMA synchronous = {sync}; PRAGMA foreign_keys = ON;"
    ))?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let supported = schema::latest_version();
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > supported {
        return Err(Error::TooNew { found, supported });
    }
    if found == supported {
        return Ok(());
    }
    schema::migrations().to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => Error::Sqlite(err),
        other => Error::Migration(other.to_string()),
    })
}

/// Now, to the microsecond: what is stored (RFC 3339 UTC with microseconds)
/// is exactly what was announced live.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn parse_ts(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::BadRecord(format!("bad timestamp {s:?}")))
}

pub fn parse_uuid(s: &str) -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(s).map_err(|_| Error::BadRecord(format!("bad id {s:?}")))
}
