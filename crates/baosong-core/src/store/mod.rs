//! The offline store: one SQLite file in the data directory.
//!
//! - `items` holds the current state of every item (稿件);
//! - `revisions` keeps every saved version, so nothing typed is ever lost;
//! - `audit_log` records who did what, in the same transaction as the change,
//!   as a hash chain (see `audit` and docs/audit.md);
//! - `item_grams` is the Chinese-capable full-text index (see [`search`]);
//! - `check_decisions` / `check_reports` keep decisions on check findings and
//!   the report an item was sent for sign-off with (see `checks`);
//! - `outbox`, `portal_links`, `status_history`, `sync_settings` keep what
//!   submitting needs: entries to send, what the portal made of them, and the
//!   feed cursor (see `outbox` and `portal`).
//!
//! WAL journal, `synchronous=FULL` (a save that returned is on disk, even after
//! a power cut), foreign keys on, and a busy timeout so the desktop app and the
//! `baosong` command can share one data directory.

mod attachments;
mod audit;
mod checks;
mod data_dir;
mod error;
mod import;
mod items;
mod outbox;
mod portal;
mod registration;
mod reviews;
mod revisions;
pub mod schema;
pub mod search;
mod signoffs;
mod uploads;

pub use uploads::UploadProgressRecord;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use attachments::{AttachmentAdded, AttachmentCleaned, AttachmentDownscaled, MAX_ATTACHMENTS};
pub use checks::{LEXICON_DIR, check_content, load_checker};
pub use data_dir::{DB_FILE_NAME, resolve_data_dir};
pub use error::StoreError;
pub use import::{IMPORT_MAX_BYTES, ImportReport};
pub use portal::CHANGES_CURSOR;
pub use revisions::diff_contents;

pub type Result<T> = std::result::Result<T, StoreError>;

/// How long a writer waits for another one before giving up with [`StoreError::Busy`].
const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open store. Not `Sync`: share it behind a mutex.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    actor: String,
    /// Runs the checks that gate sign-off (built-in lexicons unless replaced).
    /// Built on first use (compiling lexicons costs more than most
    /// commands), from the data directory's lexicons unless replaced.
    checker: std::cell::OnceCell<(baosong_check::Checker, Vec<crate::view::UserError>)>,
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir` and brings its schema
    /// up to date.
    pub fn open(data_dir: &Path) -> Result<Store> {
        Self::open_with_timeout(data_dir, busy_timeout())
    }

    /// As [`Store::open`], waiting at most `busy_timeout` for another writer.
    pub fn open_with_timeout(data_dir: &Path, busy_timeout: Duration) -> Result<Store> {
        data_dir::prepare(data_dir)?;
        let path = data_dir.join(DB_FILE_NAME);
        Self::open_file(&path, busy_timeout).map_err(|e| e.with_path(&path))
    }

    fn open_file(path: &Path, busy_timeout: Duration) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(busy_timeout)?;
        // journal_mode answers with a row; a damaged file fails here.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.execute_batch(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
        )?;
        migrate(&mut conn)?;
        // Entries from before the chain (schema v4 and earlier) join it once.
        audit::backfill(&mut conn)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            actor: default_actor(),
            checker: std::cell::OnceCell::new(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The attachment blob store next to the database.
    pub fn blobs(&self) -> crate::blobs::BlobStore {
        crate::blobs::BlobStore::new(self.path.parent().unwrap_or(Path::new(".")))
    }

    /// Who the audit log names for the changes made through this store.
    pub fn set_actor(&mut self, actor: impl Into<String>) {
        self.actor = actor.into();
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// SQLite's own integrity check; "ok" when the file is sound.
    pub fn integrity_check(&self) -> Result<String> {
        let rows: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows.join("\n"))
    }

    /// Runs `f` in an IMMEDIATE transaction: the write lock is taken up front,
    /// so two writers queue on the busy timeout instead of failing half-way.
    fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

/// Brings the schema up to date. Two programs opening a fresh data directory
/// at the same moment both try this; the loser's transaction fails (or is
/// busy) and rolls back, and on the next look the schema is already current.
fn migrate(conn: &mut Connection) -> Result<()> {
    let supported = schema::latest_version();
    let mut attempts = 0;
    loop {
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > supported {
            return Err(StoreError::TooNew { found, supported });
        }
        if found == supported {
            return Ok(());
        }
        match schema::migrations().to_latest(conn) {
            Ok(()) => return Ok(()),
            Err(_) if attempts < 5 => attempts += 1,
            Err(rusqlite_migration::Error::RusqliteError { err, .. }) => {
                return Err(StoreError::from(err));
            }
            Err(other) => {
                return Err(StoreError::BadRecord(format!(
                    "schema migration failed: {other}"
                )));
            }
        }
    }
}

/// `BAOSONG_BUSY_TIMEOUT_MS`, or five seconds.
fn busy_timeout() -> Duration {
    std::env::var("BAOSONG_BUSY_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_millis)
        .unwrap_or(DEFAULT_BUSY_TIMEOUT)
}

/// The operating-system user, until sign-in tells us who is working.
fn default_actor() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}
