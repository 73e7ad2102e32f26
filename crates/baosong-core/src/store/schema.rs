//! The database schema, as an ordered list of migrations. The schema version is
//! SQLite's `user_version`; each entry below moves it up by one. Never edit a
//! migration that has shipped: add a new one.

use rusqlite_migration::{M, Migrations};

/// Schema version 1: items, their revisions, the append-only audit log, and the
/// bigram full-text index.
const V1: &str = r#"
CREATE TABLE items (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL,
    revision        INTEGER NOT NULL,
    title           TEXT NOT NULL,
    column_id       TEXT NOT NULL,
    column_name     TEXT NOT NULL,
    urgency         TEXT NOT NULL,
    content         TEXT NOT NULL,           -- ItemContent as JSON
    returned_reason TEXT,
    published_url   TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX items_by_updated ON items(updated_at DESC, seq DESC);
CREATE INDEX items_by_state ON items(state, updated_at DESC, seq DESC);

CREATE TABLE revisions (
    item_seq   INTEGER NOT NULL REFERENCES items(seq),
    revision   INTEGER NOT NULL,
    state      TEXT NOT NULL,
    title      TEXT NOT NULL,
    content    TEXT NOT NULL,                -- ItemContent as JSON
    body_chars INTEGER NOT NULL,
    saved_at   TEXT NOT NULL,
    saved_by   TEXT NOT NULL,
    note       TEXT,
    PRIMARY KEY (item_seq, revision)
) WITHOUT ROWID;

CREATE TABLE audit_log (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    item_id  TEXT,
    revision INTEGER,
    detail   TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_by_item ON audit_log(item_id, seq);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Full-text index over overlapping two-character grams (see store/search.rs).
-- Contentless: the text lives in `items`; rowid = items.seq.
CREATE VIRTUAL TABLE item_grams USING fts5(
    grams,
    tokenize = 'ascii',
    content = '',
    contentless_delete = 1
);
"#;

/// Schema version 2: re-indexing after a save is queued and done before the
/// next search, so an autosave of a long body does not pay for the index.
const V2: &str = r#"
CREATE TABLE index_queue (
    item_seq INTEGER PRIMARY KEY REFERENCES items(seq)
);
"#;

/// Schema version 3: check results. Decisions on findings (fixed, or
/// confirmed with a reason) are kept per item and fingerprint, newest last;
/// the report and the decisions in force when an item is sent for sign-off
/// are kept with that revision.
const V3: &str = r#"
CREATE TABLE check_decisions (
    seq         INTEGER PRIMARY KEY,
    item_seq    INTEGER NOT NULL REFERENCES items(seq),
    revision    INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('fixed', 'waived')),
    reason      TEXT,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX check_decisions_item ON check_decisions (item_seq, fingerprint);
CREATE TABLE check_reports (
    item_seq     INTEGER NOT NULL REFERENCES items(seq),
    revision     INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    report       TEXT NOT NULL,
    decisions    TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (item_seq, revision)
);
"#;

/// Schema version 4: submitting through the portal.
///
/// - `outbox`: one row per submission to make, in order. Its `id` is the
///   `Idempotency-Key`; `payload` is the request body frozen when 报送 was
///   clicked, so a retry days later sends exactly the same bytes.
/// - `portal_links`: which portal submission an item became, at which portal
///   revision and status.
/// - `status_history`: every status change the portal reported, keyed by its
///   feed cursor so a change seen twice (feed and live stream) counts once.
/// - `sync_settings`: the portal profile, the feed cursor and the cached
///   unit and columns (never a secret: those live in the OS keyring).
const V4: &str = r#"
CREATE TABLE outbox (
    seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
    id                   TEXT NOT NULL UNIQUE,
    item_seq             INTEGER NOT NULL REFERENCES items(seq),
    revision             INTEGER NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('submit', 'resubmit')),
    submission_id        TEXT,
    base_portal_revision INTEGER,
    payload              TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('pending', 'failed', 'delivered')),
    attempts             INTEGER NOT NULL DEFAULT 0,
    last_error           TEXT,
    created_at           TEXT NOT NULL,
    last_attempt_at      TEXT,
    delivered_at         TEXT
);
CREATE INDEX outbox_by_status ON outbox (status, seq);
CREATE INDEX outbox_by_item ON outbox (item_seq, seq);
CREATE TABLE portal_links (
    item_seq        INTEGER PRIMARY KEY REFERENCES items(seq),
    submission_id   TEXT NOT NULL UNIQUE,
    portal_revision INTEGER NOT NULL,
    portal_status   TEXT NOT NULL,
    public_url      TEXT,
    updated_at      TEXT NOT NULL
);
CREATE TABLE status_history (
    cursor          TEXT PRIMARY KEY,
    item_seq        INTEGER NOT NULL REFERENCES items(seq),
    submission_id   TEXT NOT NULL,
    portal_revision INTEGER NOT NULL,
    from_status     TEXT,
    status          TEXT NOT NULL,
    by_name         TEXT NOT NULL,
    at              TEXT NOT NULL,
    comment         TEXT NOT NULL,
    reason          TEXT,
    public_url      TEXT
) WITHOUT ROWID;
CREATE INDEX status_history_by_item ON status_history (item_seq, at);
CREATE TABLE sync_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"#;

/// Schema version 5: review and sign-off (审核签发), and the audit hash chain.
///
/// - `audit_log` gains `prev_hash` and `hash`: each entry's SHA-256 covers
///   its own fields and the previous entry's hash (see store/audit.rs).
///   Entries written before v5 are chained once, when the store opens; the
///   update trigger now allows exactly that (setting the hash of an entry
///   that has none) and nothing else.
/// - `reviews`: every time an item revision is sent to a head (送审), and
///   reviews received from the portal's unit queue (`item_seq` is NULL on
///   the head's computer, which does not have the item). `payload` is the
///   submission request as the head will sign it, when known.
/// - `review_comments`: the head's comments (批注), anchored to text.
/// - `signoffs`: the signature over an item revision, with the request it
///   signs; `invalidated_at` is set when the item changes afterwards.
/// - `review_outbox`: reviews, decisions and cancellations to send to the
///   portal's review queue, in order (like `outbox`).
const V5: &str = r#"
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN OLD.hash IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE reviews (
    seq            INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    item_seq       INTEGER REFERENCES items(seq),
    client_item_id TEXT NOT NULL,
    revision       INTEGER NOT NULL,
    origin         TEXT NOT NULL CHECK (origin IN ('local', 'portal')),
    status         TEXT NOT NULL CHECK (status IN ('pending', 'signed_off', 'returned', 'cancelled')),
    from_user      TEXT NOT NULL,
    from_name      TEXT NOT NULL,
    to_user        TEXT,
    to_name        TEXT,
    title          TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    payload        TEXT,
    previous       TEXT,
    decided_by     TEXT,
    decided_name   TEXT,
    decided_at     TEXT,
    opinion        TEXT,
    signoff        TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX reviews_by_item ON reviews (item_seq, seq);
CREATE INDEX reviews_by_status ON reviews (status, to_user, seq);

CREATE TABLE review_comments (
    seq        INTEGER PRIMARY KEY,
    review_seq INTEGER NOT NULL REFERENCES reviews(seq),
    field      TEXT,
    start_u16  INTEGER,
    end_u16    INTEGER,
    quote      TEXT,
    text       TEXT NOT NULL,
    author     TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX review_comments_by_review ON review_comments (review_seq, seq);

CREATE TABLE signoffs (
    item_seq           INTEGER NOT NULL REFERENCES items(seq),
    revision           INTEGER NOT NULL,
    review_id          TEXT,
    payload            TEXT NOT NULL,
    content_hash       TEXT NOT NULL,
    signer             TEXT NOT NULL,
    signer_name        TEXT NOT NULL,
    key_id             TEXT NOT NULL,
    public_key         TEXT NOT NULL,
    signature          TEXT NOT NULL,
    signed_at          TEXT NOT NULL,
    opinion            TEXT NOT NULL,
    invalidated_at     TEXT,
    invalidated_reason TEXT,
    PRIMARY KEY (item_seq, revision)
);

CREATE TABLE review_outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id       TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('send', 'decide', 'cancel')),
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'failed', 'delivered')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    last_attempt_at TEXT,
    delivered_at    TEXT
);
CREATE INDEX review_outbox_by_status ON review_outbox (status, seq);
"#;

/// Schema version 6: attachments (the files themselves are in the blob store,
/// `attachments/` in the data directory; which files a revision has is in
/// its content JSON).
///
/// - `attachment_scans`: what scanning a file found (its text, hidden
///   content, metadata), keyed by the file's hash and the scanner version,
///   so the check does not re-read a 50-page document on every keystroke.
/// - `attachment_uploads`: resumable uploads in progress, per portal and
///   file: the portal's upload id and the last offset it acknowledged, so an
///   upload continues after a dropped connection or a restart.
const V6: &str = r#"
CREATE TABLE attachment_scans (
    sha256  TEXT NOT NULL,
    scanner TEXT NOT NULL,
    scan    TEXT NOT NULL,
    at      TEXT NOT NULL,
    PRIMARY KEY (sha256, scanner)
) WITHOUT ROWID;

CREATE TABLE attachment_uploads (
    portal     TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    upload_id  TEXT NOT NULL,
    acked      INTEGER NOT NULL,
    size       INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (portal, sha256)
) WITHOUT ROWID;
"#;

/// All migrations, oldest first.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(all())
}

/// The migration list itself, so tests can build every earlier schema version.
pub fn all() -> Vec<M<'static>> {
    vec![
        M::up(V1),
        M::up(V2),
        M::up(V3),
        M::up(V4),
        M::up(V5),
        M::up(V6),
    ]
}

/// The newest schema version this build knows.
pub fn latest_version() -> i64 {
    all().len() as i64
}
