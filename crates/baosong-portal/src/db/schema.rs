//! The portal's database schema, as an ordered list of migrations. The schema
//! version is SQLite's `user_version`; each entry moves it up by one. Never
//! edit a migration that has shipped: add a new one (and a fixture in
//! `tests/fixtures/schema-vN.sql`).

use rusqlite_migration::{M, Migrations};

/// Schema version 1.
const V1: &str = r#"
-- Reporting units (报送单位).
CREATE TABLE units (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL
                  CHECK (role IN ('liaison_officer', 'unit_head', 'portal_editor', 'admin')),
    unit_id       TEXT REFERENCES units(id),
    password_hash TEXT NOT NULL,               -- Argon2id PHC string
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    -- Unit roles belong to a unit; portal roles do not.
    CHECK ((role IN ('liaison_officer', 'unit_head')) = (unit_id IS NOT NULL))
);

-- Columns (栏目) and the units responsible for them (责任分解表).
CREATE TABLE columns (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    path            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    cadence_days    INTEGER CHECK (cadence_days IS NULL OR cadence_days > 0),
    position        INTEGER NOT NULL DEFAULT 0,
    last_updated_at TEXT
) WITHOUT ROWID;

CREATE TABLE column_units (
    column_id TEXT NOT NULL REFERENCES columns(id),
    unit_id   TEXT NOT NULL REFERENCES units(id),
    PRIMARY KEY (column_id, unit_id)
) WITHOUT ROWID;
CREATE INDEX column_units_by_unit ON column_units(unit_id, column_id);

-- One sign-in. Every access and refresh token issued from it, through any
-- number of rotations, belongs to the family; revoking it ends them all.
CREATE TABLE token_families (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    revoked_at  TEXT,
    revoked_why TEXT
);

-- Tokens are kept only as SHA-256 hashes. Expiry in Unix seconds.
CREATE TABLE access_tokens (
    token_hash BLOB PRIMARY KEY,
    family_id  INTEGER NOT NULL REFERENCES token_families(id),
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX access_tokens_by_expiry ON access_tokens(expires_at);

CREATE TABLE refresh_tokens (
    token_hash BLOB PRIMARY KEY,
    family_id  INTEGER NOT NULL REFERENCES token_families(id),
    expires_at INTEGER NOT NULL,
    used_at    TEXT                             -- set when rotated
) WITHOUT ROWID;
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens(expires_at);

CREATE TABLE submissions (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,       -- UUIDv7, the API's id
    client_item_id  TEXT NOT NULL,
    unit_id         TEXT NOT NULL REFERENCES units(id),
    column_id       TEXT NOT NULL REFERENCES columns(id),
    title           TEXT NOT NULL,
    status          TEXT NOT NULL,
    revision        INTEGER NOT NULL,
    returned_reason TEXT,
    public_url      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX submissions_by_unit ON submissions(unit_id, updated_at);
CREATE INDEX submissions_by_status ON submissions(status, column_id, updated_at);

-- Every revision as received, never changed.
CREATE TABLE submission_revisions (
    id              INTEGER PRIMARY KEY,
    submission_seq  INTEGER NOT NULL REFERENCES submissions(seq),
    revision        INTEGER NOT NULL,
    submitted_by    INTEGER NOT NULL REFERENCES users(id),
    submitted_at    TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    request         TEXT NOT NULL,              -- the SubmissionRequest as JSON
    -- What the portal's own run of the check engine found in what it received:
    -- recorded, never a reason to refuse. A JSON array; empty until the check
    -- engine is wired in (see src/checks.rs).
    server_findings TEXT NOT NULL DEFAULT '[]',
    UNIQUE (submission_seq, revision)
);

-- Idempotency-Key of each POST /submissions, per user, with a hash of the
-- request it came with.
CREATE TABLE idempotency_keys (
    user_id        INTEGER NOT NULL REFERENCES users(id),
    key            TEXT NOT NULL,
    request_hash   TEXT NOT NULL,
    submission_seq INTEGER NOT NULL REFERENCES submissions(seq),
    created_at     TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;

-- The change feed. `seq` is assigned inside the writing transaction and
-- SQLite has one writer at a time, so a reader never sees change N+1 without
-- change N: the cursor is just `seq`. Who did it is copied in, as it was.
CREATE TABLE status_changes (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_seq INTEGER NOT NULL REFERENCES submissions(seq),
    unit_id        TEXT NOT NULL,
    revision       INTEGER NOT NULL,
    from_status    TEXT,
    to_status      TEXT NOT NULL,
    actor_username TEXT NOT NULL,
    actor_name     TEXT NOT NULL,
    actor_role     TEXT NOT NULL,
    at             TEXT NOT NULL,
    comment        TEXT NOT NULL DEFAULT '',
    reason         TEXT,
    public_url     TEXT
);
CREATE INDEX status_changes_by_unit ON status_changes(unit_id, seq);
CREATE INDEX status_changes_by_submission ON status_changes(submission_seq, seq);
CREATE TRIGGER status_changes_no_update BEFORE UPDATE ON status_changes
BEGIN SELECT RAISE(ABORT, 'status_changes is append-only'); END;
CREATE TRIGGER status_changes_no_delete BEFORE DELETE ON status_changes
BEGIN SELECT RAISE(ABORT, 'status_changes is append-only'); END;
"#;

/// Schema version 2: which refresh token each one was issued for, so that a
/// client retrying a refresh whose answer it lost can be told apart from a
/// replay by someone else (see `db::tokens::refresh`).
const V2: &str = r#"
-- The refresh token whose rotation issued this one (NULL: issued at sign-in,
-- or before schema version 2). A token retried within the grace window has
-- several children; the first of them to be used wins.
ALTER TABLE refresh_tokens ADD COLUMN parent_hash BLOB;
-- Set on the unused siblings of a token when it is used: that branch of the
-- family is abandoned, and presenting one of them is a reuse.
ALTER TABLE refresh_tokens ADD COLUMN superseded_at TEXT;
CREATE INDEX refresh_tokens_by_parent ON refresh_tokens(parent_hash)
    WHERE parent_hash IS NOT NULL;
"#;

/// Schema version 3: unit heads' signing keys, the verified signer of each
/// revision, and the unit review queue (送审).
const V3: &str = r#"
-- Signing keys (签发密钥): only public keys. A key is valid for signatures
-- made in [created_at, superseded_at); a revoked key verifies nothing.
CREATE TABLE signing_keys (
    key_id         TEXT PRIMARY KEY,           -- signing::key_id of the key
    user_id        INTEGER NOT NULL REFERENCES users(id),
    unit_id        TEXT REFERENCES units(id),  -- the owner's unit at registration
    public_key     TEXT NOT NULL UNIQUE,       -- 64 lowercase hex
    label          TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    superseded_at  TEXT,
    revoked_at     TEXT,
    revoked_reason TEXT
) WITHOUT ROWID;
CREATE INDEX signing_keys_by_user ON signing_keys(user_id, created_at);

-- Who signed a revision off, once the portal verified the signature (NULL
-- for revisions received before schema version 3).
ALTER TABLE submission_revisions ADD COLUMN signed_by INTEGER REFERENCES users(id);

-- The unit review queue. `change_seq` is renumbered on every change (one
-- writer at a time, so it only grows): the cursor of GET /reviews.
CREATE TABLE reviews (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,         -- the client's UUID
    unit_id      TEXT NOT NULL REFERENCES units(id),
    from_user    INTEGER NOT NULL REFERENCES users(id),
    to_user      INTEGER REFERENCES users(id),
    status       TEXT NOT NULL
                 CHECK (status IN ('pending', 'signed_off', 'returned', 'cancelled')),
    request_hash TEXT NOT NULL,                -- SHA-256 of the ReviewRequest JSON
    submission   TEXT NOT NULL,                -- the SubmissionRequest as JSON
    previous     TEXT,                         -- PreviousRevision as JSON
    note         TEXT NOT NULL DEFAULT '',
    decision     TEXT,                         -- ReviewDecision as JSON
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    change_seq   INTEGER NOT NULL UNIQUE
);
CREATE INDEX reviews_by_unit ON reviews(unit_id, change_seq);
CREATE INDEX reviews_by_sender ON reviews(from_user, change_seq);
"#;

/// Schema version 4: attachments (issue 7). Each column's attachment policy;
/// the stored files (content-addressed, next to the database); uploads in
/// progress; which files each submission refers to (who may download them).
const V4: &str = r#"
-- Attachment policy: allowed media types (space-separated, lowercase) and the
-- largest file. Existing columns get the defaults (images, PDF, docx, xlsx;
-- 200 MiB).
ALTER TABLE columns ADD COLUMN attachment_types TEXT NOT NULL DEFAULT
    'image/jpeg image/png image/webp application/pdf application/vnd.openxmlformats-officedocument.wordprocessingml.document application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
ALTER TABLE columns ADD COLUMN attachment_max_bytes INTEGER NOT NULL DEFAULT 209715200
    CHECK (attachment_max_bytes > 0);

-- Files stored, verified against their SHA-256 (the file is
-- attachments/<first two hex>/<the rest> next to the database).
CREATE TABLE attachments (
    sha256     TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    created_at TEXT NOT NULL
) WITHOUT ROWID;

-- Uploads in progress. `upload_offset` advances only for verified chunks;
-- the partial file is attachments/uploads/<id>. Removed when complete or
-- when `expires_at` passes without progress.
CREATE TABLE uploads (
    id            TEXT PRIMARY KEY,             -- UUIDv7
    unit_id       TEXT NOT NULL REFERENCES units(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    sha256        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    name          TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    column_id     TEXT NOT NULL REFERENCES columns(id),
    upload_offset INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX uploads_by_file ON uploads(unit_id, sha256);
CREATE INDEX uploads_by_expiry ON uploads(expires_at);

-- The attachments each submission's revisions refer to.
CREATE TABLE submission_attachments (
    submission_seq INTEGER NOT NULL REFERENCES submissions(seq),
    sha256         TEXT NOT NULL,
    name           TEXT NOT NULL,
    media_type     TEXT NOT NULL,
    PRIMARY KEY (submission_seq, sha256)
) WITHOUT ROWID;
CREATE INDEX submission_attachments_by_file ON submission_attachments(sha256);
"#;

/// All migrations, oldest first.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(all())
}

/// The migration list itself, so tests can build every earlier version.
pub fn all() -> Vec<M<'static>> {
    vec![M::up(V1), M::up(V2), M::up(V3), M::up(V4)]
}

/// The newest schema version this build knows.
pub fn latest_version() -> i64 {
    all().len() as i64
}
