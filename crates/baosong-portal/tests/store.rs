//! The portal's database file: migrations from every earlier schema, and
//! refusing a newer one.

use std::time::Duration;

use baosong_api::{DecisionAction, DecisionRequest, ProblemCode, SubmissionStatus};
use baosong_portal::Error;
use baosong_portal::db::tokens::{self, Lifetimes, Refreshed};
use baosong_portal::db::users::Principal;
use baosong_portal::db::{Db, changes, keys, reviews, schema, submissions};
use baosong_portal::secrets::token_hash;

fn editor() -> Principal {
    Principal {
        user_id: 2,
        username: "editor".into(),
        display_name: "周静".into(),
        role: baosong_api::Role::PortalEditor,
        unit: None,
        family_id: 0,
    }
}

#[test]
fn opens_databases_created_by_every_earlier_schema() {
    let latest = schema::latest_version();
    for version in 1..=latest {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portal.sqlite3");
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            rusqlite_migration::Migrations::new(schema::all())
                .to_version(&mut conn, version as usize)
                .unwrap();
            let fixture = format!(
                "{}/tests/fixtures/schema-v{version}.sql",
                env!("CARGO_MANIFEST_DIR")
            );
            let sql = std::fs::read_to_string(&fixture)
                .unwrap_or_else(|_| panic!("every schema version needs a fixture: {fixture}"));
            conn.execute_batch(&sql).unwrap();
        }
        let db = Db::open(&path, true).unwrap();
        assert_eq!(db.schema_version().unwrap(), latest);
        let who = editor();
        let sub = db.read(|c| submissions::load(c, 1)).unwrap();
        assert_eq!(
            sub.item.title, "市教育局召开安全工作会议",
            "schema v{version}"
        );
        assert_eq!(sub.status, SubmissionStatus::Returned);
        assert_eq!(sub.returned_reason.as_deref(), Some("请补充参会人员"));
        assert_eq!(sub.client_revision, Some(3));
        assert_eq!(sub.history.len(), 2);
        // Schema v3 keeps who signed a revision off; older revisions had no
        // verified signer.
        let signer = sub.signed_by.as_ref().map(|a| a.username.as_str());
        assert_eq!(
            signer,
            (version >= 3).then_some("jyj.fzr"),
            "schema v{version}"
        );
        if version >= 3 {
            let keys = db.read(|c| keys::list(c, Some("jyj.fzr"))).unwrap();
            assert_eq!(keys.len(), 2);
            assert!(keys[0].superseded_at.is_none() && keys[1].superseded_at.is_some());
            let head = Principal {
                user_id: 3,
                username: "jyj.fzr".into(),
                display_name: "李建国".into(),
                role: baosong_api::Role::UnitHead,
                unit: Some(baosong_api::Unit {
                    id: "sjyj".into(),
                    name: "市教育局".into(),
                }),
                family_id: 0,
            };
            let queue = db.read(move |c| reviews::page(c, &head, 0, 10)).unwrap();
            assert_eq!(queue.reviews.len(), 1);
            assert_eq!(queue.reviews[0].note, "请审核");
            assert_eq!(queue.reviews[0].to.as_ref().unwrap().display_name, "李建国");
        }
        let page = db.read(|c| changes::page(c, &who, 0, 10)).unwrap();
        assert_eq!(page.changes.len(), 2);
        // And it keeps working: the feed continues after the old entries.
        let (who2, id) = (who.clone(), sub.id);
        let _ = db
            .write(move |w| {
                submissions::decide(
                    w,
                    &who2,
                    id,
                    &DecisionRequest {
                        action: DecisionAction::Adopt,
                        comment: String::new(),
                        reason: None,
                        public_url: None,
                    },
                )
            })
            .unwrap_err(); // returned → adopt is not a legal move…
        let page = db.read(|c| changes::page(c, &who, 0, 10)).unwrap();
        assert_eq!(page.changes.len(), 2, "…and a refused move leaves no trace");
        assert_eq!(db.integrity_check().unwrap(), "ok");
    }
}

/// Refreshes `token` with a 30-second grace window; `Ok(code)` on refusal.
fn refresh(db: &Db, token: &'static str) -> std::result::Result<(), ProblemCode> {
    let life = Lifetimes {
        access: Duration::from_secs(900),
        refresh: Duration::from_secs(3600),
        reuse_grace: Duration::from_secs(30),
    };
    match db.write(move |w| tokens::refresh(w, token, life)).unwrap() {
        Refreshed::Tokens(_) => Ok(()),
        Refreshed::Refused(code) => Err(code),
    }
}

#[test]
fn refresh_tokens_keep_working_across_migrations() {
    let latest = schema::latest_version();
    for version in 1..=latest {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portal.sqlite3");
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            rusqlite_migration::Migrations::new(schema::all())
                .to_version(&mut conn, version as usize)
                .unwrap();
            let fixture = format!(
                "{}/tests/fixtures/schema-v{version}.sql",
                env!("CARGO_MANIFEST_DIR")
            );
            conn.execute_batch(&std::fs::read_to_string(&fixture).unwrap())
                .unwrap();
            if version == 1 {
                // Schema version 1 knew nothing of parents: one token rotated
                // a moment ago, and the one it was rotated to.
                conn.execute(
                    "INSERT INTO token_families (id, user_id, created_at)
                     VALUES (1, 1, '2026-09-01T08:00:00.000000Z')",
                    [],
                )
                .unwrap();
                let used_at = baosong_portal::db::ts(baosong_portal::db::now());
                conn.execute(
                    "INSERT INTO refresh_tokens (token_hash, family_id, expires_at, used_at)
                     VALUES (?1, 1, 4102444800, ?3), (?2, 1, 4102444800, NULL)",
                    rusqlite::params![
                        &token_hash("bsr_legacy_used")[..],
                        &token_hash("bsr_legacy_live")[..],
                        used_at
                    ],
                )
                .unwrap();
            }
        }
        let db = Db::open(&path, true).unwrap();
        if version == 1 {
            assert_eq!(refresh(&db, "bsr_legacy_live"), Ok(()));
            // Used within the grace window, but with no recorded successor
            // nobody can tell whether the family moved on: a reuse.
            assert_eq!(
                refresh(&db, "bsr_legacy_used"),
                Err(ProblemCode::RefreshTokenReused)
            );
        } else {
            // schema-v2.sql's token tree (later fixtures carry it too): the
            // abandoned branch is still abandoned…
            assert_eq!(
                refresh(&db, "bsr_fixture_v2_lost"),
                Err(ProblemCode::RefreshTokenReused),
                "schema v{version}"
            );
            // …and that revoked the sign-in.
            assert_eq!(
                refresh(&db, "bsr_fixture_v2_live"),
                Err(ProblemCode::InvalidRefreshToken)
            );
        }
        assert_eq!(db.integrity_check().unwrap(), "ok");
    }
}

#[test]
fn the_live_end_of_a_token_tree_from_schema_v2_rotates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portal.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        rusqlite_migration::Migrations::new(schema::all())
            .to_version(&mut conn, 2)
            .unwrap();
        let sql = std::fs::read_to_string(format!(
            "{}/tests/fixtures/schema-v2.sql",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        conn.execute_batch(&sql).unwrap();
    }
    let db = Db::open(&path, true).unwrap();
    assert_eq!(refresh(&db, "bsr_fixture_v2_live"), Ok(()));
    // Used long ago: a reuse.
    assert_eq!(
        refresh(&db, "bsr_fixture_v2_root"),
        Err(ProblemCode::RefreshTokenReused)
    );
}

#[test]
fn a_newer_schema_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portal.sqlite3");
    drop(Db::open(&path, true).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(conn);
    let err = Db::open(&path, true).err().unwrap();
    assert!(matches!(err, Error::TooNew { found: 99, .. }), "{err:?}");
    assert!(err.to_string().contains("newer"));
}

#[test]
fn the_feed_is_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portal.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        schema::migrations().to_latest(&mut conn).unwrap();
        let sql = std::fs::read_to_string(format!(
            "{}/tests/fixtures/schema-v1.sql",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        conn.execute_batch(&sql).unwrap();
        let err = conn
            .execute("UPDATE status_changes SET comment = 'rewritten'", [])
            .unwrap_err();
        assert!(err.to_string().contains("append-only"));
        assert!(conn.execute("DELETE FROM status_changes", []).is_err());
    }
}

#[test]
fn writes_committed_together_fail_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("portal.sqlite3"), true).unwrap();
    // Many threads write at once, so the writer commits them in batches;
    // every other write fails half-way and must leave nothing behind.
    let threads: Vec<_> = (0..40)
        .map(|i| {
            let db = db.clone();
            std::thread::spawn(move || {
                db.write(move |w| {
                    w.execute(
                        "INSERT INTO units (id, name, created_at) VALUES (?1, ?2, 'now')",
                        [format!("u{i}"), format!("单位{i}")],
                    )?;
                    if i % 2 == 1 {
                        return Err(Error::Internal("refused on purpose".into()));
                    }
                    Ok(i)
                })
            })
        })
        .collect();
    let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r.is_ok(), i % 2 == 0, "{i}: {r:?}");
    }
    let ids: Vec<String> = db
        .read(|c| {
            let mut stmt =
                c.prepare("SELECT id FROM units ORDER BY CAST(substr(id, 2) AS INTEGER)")?;
            let ids = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(ids)
        })
        .unwrap();
    let expected: Vec<String> = (0..40).step_by(2).map(|i| format!("u{i}")).collect();
    assert_eq!(ids, expected);
    // A write that panics is a failed write; the writer lives on.
    let r = db.write(|_| -> baosong_portal::Result<()> { panic!("bug in a write") });
    assert!(r.is_err());
    assert_eq!(db.write(|_| Ok(7)).unwrap(), 7);
}
