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

/// All migrations, oldest first.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(all())
}

/// The migration list itself, so tests can build every earlier schema version.
pub fn all() -> Vec<M<'static>> {
    vec![M::up(V1), M::up(V2), M::up(V3)]
}

/// The newest schema version this build knows.
pub fn latest_version() -> i64 {
    all().len() as i64
}
