//! The audit log as a hash chain, against real SQLite files: real operations
//! verify clean; tampering with the file directly (as someone with the file
//! and a SQLite shell would: triggers dropped, rows changed, removed,
//! swapped, slipped in) is caught and the entry named; entries from before
//! the chain are chained once when the store opens.

mod common;

use baosong_check::DecisionKind;
use baosong_core::model::{PortalChange, StatusEvent};
use baosong_core::store::schema;
use baosong_core::view::{AuditProblemKind, AuditReport};
use baosong_core::{Action, ItemId, Store};
use common::{content, temp_store};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The canonical form exactly as docs/audit.md describes it, written again
/// here (not borrowed from the store), so the document is tested too.
fn documented_hash(fields: &[&str]) -> String {
    let mut bytes = Vec::new();
    for f in std::iter::once(&"baosong-audit-v1").chain(fields) {
        bytes.extend_from_slice(format!("{}:{f},", f.len()).as_bytes());
    }
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every row recomputed from the file with the documented recipe; returns
/// the number of rows.
fn recompute_from_file(dir: &std::path::Path) -> usize {
    let conn = raw(dir);
    let mut stmt = conn
        .prepare(
            "SELECT seq, at, actor, action, coalesce(item_id, ''),
                    coalesce(CAST(revision AS TEXT), ''), detail, prev_hash, hash
             FROM audit_log ORDER BY seq",
        )
        .unwrap();
    let rows: Vec<[String; 9]> = stmt
        .query_map([], |r| {
            Ok([
                r.get::<_, i64>(0)?.to_string(),
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ])
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut prev = GENESIS.to_string();
    for (i, [seq, at, actor, action, item, rev, detail, prev_hash, hash]) in rows.iter().enumerate()
    {
        assert_eq!(seq, &(i + 1).to_string(), "numbers run 1, 2, 3, …");
        assert_eq!(prev_hash, &prev, "entry {seq} links to the one before");
        let expected = documented_hash(&[seq, prev_hash, at, actor, action, item, rev, detail]);
        assert_eq!(hash, &expected, "entry {seq} hashes as documented");
        prev = hash.clone();
    }
    rows.len()
}

/// The database file opened directly, with the append-only triggers
/// dropped, as a person tampering with it would.
fn attacker(dir: &std::path::Path) -> Connection {
    let conn = raw(dir);
    conn.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    conn
}

fn raw(dir: &std::path::Path) -> Connection {
    Connection::open(dir.join(baosong_core::store::DB_FILE_NAME)).unwrap()
}

/// A store with six entries: a draft created and edited five times.
fn six_entries() -> (tempfile::TempDir, Store, ItemId) {
    let (dir, store) = temp_store();
    let id = store.create_item(content("标题", "第1稿")).unwrap().id;
    for n in 2..=6 {
        store
            .save_content(id, content("标题", &format!("第{n}稿")), None)
            .unwrap();
    }
    assert_eq!(store.audit_log(None).unwrap().len(), 6);
    assert!(store.verify_audit().unwrap().is_clean());
    (dir, store, id)
}

fn problems(report: &AuditReport) -> Vec<(i64, AuditProblemKind)> {
    report.problems.iter().map(|p| (p.seq, p.kind)).collect()
}

fn hash_of(conn: &Connection, seq: i64) -> String {
    conn.query_row("SELECT hash FROM audit_log WHERE seq = ?1", [seq], |r| {
        r.get(0)
    })
    .unwrap()
}

fn portal_change(id: ItemId, cursor: &str, status: &str, action: Action) -> PortalChange {
    PortalChange {
        client_item_id: id,
        event: StatusEvent {
            cursor: cursor.into(),
            submission_id: format!("sub-{id}"),
            portal_revision: 1,
            from_status: None,
            status: status.into(),
            by: "门户编辑".into(),
            at: chrono::Utc::now(),
            comment: String::new(),
            reason: None,
            public_url: None,
        },
        action: Some(action),
    }
}

#[test]
fn every_workflow_step_is_chained_and_verifies_clean() {
    let (dir, store) = temp_store();
    let item = store
        .create_item(content("深入开展扫黑险恶专项斗争", "会议部署了相关工作。"))
        .unwrap();
    let id = item.id;
    store
        .save_content(
            id,
            content("深入开展扫黑险恶专项斗争", "会议部署了工作。"),
            None,
        )
        .unwrap();
    let check = store.check_item(id).unwrap();
    // Looking at the same result again is not another entry.
    store.check_item(id).unwrap();
    let finding = check
        .report
        .findings
        .iter()
        .find(|f| f.rule == "lexicon.misstatement")
        .unwrap();
    store
        .decide(
            id,
            &finding.fingerprint,
            DecisionKind::Waived,
            Some("引用原文标题".into()),
        )
        .unwrap();
    common::sign_off(&store, id);
    common::deliver(&store, id);
    store
        .apply_portal_changes(
            &[portal_change(id, "c1", "in_review", Action::StartReview)],
            None,
        )
        .unwrap();
    store
        .apply_portal_changes(
            &[portal_change(
                id,
                "c2",
                "returned",
                Action::Return {
                    reason: "请补充".into(),
                },
            )],
            None,
        )
        .unwrap();
    // Revised and signed again, then changed after the sign-off.
    store
        .save_content(id, content("深入开展扫黑除恶专项斗争", "补充了。"), None)
        .unwrap();
    common::sign_off(&store, id);
    store
        .save_content(
            id,
            content("深入开展扫黑除恶专项斗争", "签发后又改。"),
            None,
        )
        .unwrap();
    // A head returns a later revision with a comment.
    store.apply_action(id, Action::SendForSignoff).unwrap();
    let review = store
        .item_reviews(id)
        .unwrap()
        .into_iter()
        .find(|r| r.status == baosong_core::model::ReviewStatus::Pending)
        .unwrap();
    let comment = baosong_core::model::ReviewComment {
        anchor: None,
        text: "请核对数字".into(),
        author: "李建国".into(),
        at: chrono::Utc::now(),
    };
    store
        .return_review(&review.id, "李建国", "", &[comment], None)
        .unwrap();

    let log = store.audit_log(Some(id)).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "create",
            "edit",
            "check",
            "check_decision",
            "send_for_signoff",
            "sign_off",
            "queue",
            "mark_submitted",
            "portal_status",
            "portal_status",
            // The first sign-off stops counting once the returned item changes.
            "edit",
            "signoff_invalidated",
            "send_for_signoff",
            "sign_off",
            "edit",
            "signoff_invalidated",
            "send_for_signoff",
            "return_for_revision",
            "comment",
        ]
    );
    // 送审 names its review, in the same entry.
    assert!(
        log[4].detail.contains("review_id\":\""),
        "{}",
        log[4].detail
    );

    let report = store.verify_audit().unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!(report.entries as usize, log.len());
    assert_eq!(report.head_seq, log.last().map(|e| e.seq));
    assert_eq!(report.head_hash, log.last().and_then(|e| e.hash.clone()));
    assert_eq!(recompute_from_file(dir.path()), log.len());
}

#[test]
fn an_edited_entry_is_named() {
    let (dir, store, _) = six_entries();
    attacker(dir.path())
        .execute(
            "UPDATE audit_log SET detail = '{\"note\":\"无\"}' WHERE seq = 3",
            [],
        )
        .unwrap();
    let report = store.verify_audit().unwrap();
    assert_eq!(problems(&report), [(3, AuditProblemKind::Edited)]);
    assert!(report.problems[0].message_zh.contains("第 3 条"));
    assert!(report.problems[0].message_en.contains("entry 3"));
}

#[test]
fn an_edited_entry_with_a_recomputed_hash_breaks_the_next_link() {
    let (dir, store, _) = six_entries();
    let conn = attacker(dir.path());
    // The careful forger recomputes entry 3's own hash, not the rest.
    let (at, actor, item, prev): (String, String, String, String) = conn
        .query_row(
            "SELECT at, actor, item_id, prev_hash FROM audit_log WHERE seq = 3",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let detail = "{}";
    let forged = documented_hash(&["3", &prev, &at, &actor, "edit", &item, "3", detail]);
    conn.execute(
        "UPDATE audit_log SET detail = ?1, hash = ?2 WHERE seq = 3",
        rusqlite::params![detail, forged],
    )
    .unwrap();
    let report = store.verify_audit().unwrap();
    assert_eq!(problems(&report), [(4, AuditProblemKind::BrokenLink)]);
}

#[test]
fn a_deleted_entry_is_named() {
    let (dir, store, _) = six_entries();
    attacker(dir.path())
        .execute("DELETE FROM audit_log WHERE seq = 3", [])
        .unwrap();
    let report = store.verify_audit().unwrap();
    assert_eq!(problems(&report), [(3, AuditProblemKind::Missing)]);
    assert!(report.problems[0].message_zh.contains("第 3 条记录缺失"));

    // The first entry too.
    attacker_again(dir.path())
        .execute("DELETE FROM audit_log WHERE seq = 1", [])
        .unwrap();
    let report = store.verify_audit().unwrap();
    assert_eq!(
        problems(&report),
        [
            (1, AuditProblemKind::Missing),
            (3, AuditProblemKind::Missing)
        ]
    );
}

/// The file with the triggers already dropped.
fn attacker_again(dir: &std::path::Path) -> Connection {
    raw(dir)
}

#[test]
fn swapped_entries_are_named() {
    let (dir, store, _) = six_entries();
    attacker(dir.path())
        .execute_batch(
            "UPDATE audit_log SET seq = -1 WHERE seq = 3;
             UPDATE audit_log SET seq = 3 WHERE seq = 4;
             UPDATE audit_log SET seq = 4 WHERE seq = -1;",
        )
        .unwrap();
    let report = store.verify_audit().unwrap();
    assert_eq!(
        problems(&report),
        [(3, AuditProblemKind::Moved), (4, AuditProblemKind::Moved)]
    );
    assert!(report.problems[0].message_zh.contains("原为第 4 条"));
    assert!(report.problems[1].message_zh.contains("原为第 3 条"));
}

#[test]
fn an_entry_slipped_in_between_is_named() {
    let (dir, store, id) = six_entries();
    let conn = attacker(dir.path());
    // Make room after entry 2 and put a forged entry there.
    conn.execute_batch(
        "UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 3;
         UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000;",
    )
    .unwrap();
    let prev = hash_of(&conn, 2);
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor, action, item_id, revision, detail, prev_hash, hash)
         VALUES (3, '2026-12-01T00:00:00.000000Z', 'zhuren', 'sign_off', ?1, 2, '{}', ?2, ?3)",
        rusqlite::params![id.as_string(), prev, "ab".repeat(32)],
    )
    .unwrap();
    let report = store.verify_audit().unwrap();
    assert_eq!(problems(&report), [(3, AuditProblemKind::Inserted)]);
    assert_eq!(report.entries, 7);
}

#[test]
fn entries_added_at_the_end_are_named_and_never_chained() {
    let (dir, store, id) = six_entries();
    let conn = attacker(dir.path());
    // With a made-up hash…
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor, action, item_id, revision, detail, prev_hash, hash)
         VALUES (7, '2026-12-01T00:00:00.000000Z', 'zhuren', 'sign_off', ?1, 6, '{}', ?2, ?3)",
        rusqlite::params![id.as_string(), hash_of(&conn, 6), "cd".repeat(32)],
    )
    .unwrap();
    // …and without one, as a plain INSERT writes it.
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, item_id, revision, detail)
         VALUES ('2026-12-01T00:00:00.000000Z', 'zhuren', 'sign_off', ?1, 6, '{}')",
        [id.as_string()],
    )
    .unwrap();
    let expected = [
        (7, AuditProblemKind::Edited),
        (8, AuditProblemKind::Unchained),
    ];
    assert_eq!(problems(&store.verify_audit().unwrap()), expected);
    // Opening the store again must not vouch for the unhashed one, and new
    // entries still chain (after the last hashed entry).
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    store
        .save_content(id, content("标题", "第7稿"), None)
        .unwrap();
    assert_eq!(problems(&store.verify_audit().unwrap()), expected);
    assert_eq!(store.audit_log(None).unwrap().len(), 9);
}

#[test]
fn the_triggers_refuse_rewriting_chained_entries() {
    let (dir, store, _) = six_entries();
    let conn = raw(dir.path());
    assert!(
        conn.execute("UPDATE audit_log SET detail = '{}' WHERE seq = 2", [])
            .is_err()
    );
    assert!(
        conn.execute("DELETE FROM audit_log WHERE seq = 6", [])
            .is_err()
    );
    assert!(store.verify_audit().unwrap().is_clean());
}

#[test]
fn entries_from_before_the_chain_are_chained_once_at_open() {
    let dir = tempfile::tempdir().unwrap();
    {
        // A v4 database (no chain columns) with three entries.
        let mut conn = raw(dir.path());
        rusqlite_migration::Migrations::new(schema::all())
            .to_version(&mut conn, 4)
            .unwrap();
        for (at, action) in [
            ("2026-09-01T08:00:00.000000Z", "create"),
            ("2026-09-01T09:00:00.000000Z", "edit"),
            ("2026-09-01T10:00:00.000000Z", "send_for_signoff"),
        ] {
            conn.execute(
                "INSERT INTO audit_log (at, actor, action, item_id, revision, detail)
                 VALUES (?1, 'zhangsan', ?2, '019a0000-0000-7000-8000-000000000001', 1, '{\"a\":1}')",
                [at, action],
            )
            .unwrap();
        }
    }
    let store = Store::open(dir.path()).unwrap();
    let log = store.audit_log(None).unwrap();
    assert!(log.iter().all(|e| e.hash.is_some()), "all chained");
    assert_eq!(log[0].prev_hash.as_deref(), Some(GENESIS));
    assert!(store.verify_audit().unwrap().is_clean());
    assert_eq!(recompute_from_file(dir.path()), 3);
    let first_hashes: Vec<_> = log.iter().map(|e| e.hash.clone()).collect();

    // New entries continue the chain; opening again changes nothing.
    store.create_item(content("新稿件", "正文")).unwrap();
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    let log = store.audit_log(None).unwrap();
    assert_eq!(log.len(), 4);
    assert_eq!(log[3].prev_hash, log[2].hash);
    let again: Vec<_> = log.iter().take(3).map(|e| e.hash.clone()).collect();
    assert_eq!(again, first_hashes);
    assert!(store.verify_audit().unwrap().is_clean());
    assert_eq!(recompute_from_file(dir.path()), 4);

    // A legacy entry edited before the upgrade cannot be told from a
    // genuine one; edited after it, it is caught like any other.
    attacker(dir.path())
        .execute("UPDATE audit_log SET actor = 'x' WHERE seq = 2", [])
        .unwrap();
    assert_eq!(
        problems(&store.verify_audit().unwrap()),
        [(2, AuditProblemKind::Edited)]
    );
}

#[test]
fn what_the_portal_says_about_reviews_is_audited() {
    use baosong_core::model::{
        NewReview, PortalDecision, PortalReview, ReviewPayloads, ReviewStatus,
    };
    let (_d, store) = temp_store();
    let id = store.create_item(content("标题", "正文")).unwrap().id;
    let via_portal = |store: &Store| {
        let review_id = uuid::Uuid::now_v7().to_string();
        store
            .send_for_review(
                id,
                NewReview {
                    id: review_id.clone(),
                    to_user: Some("jyj.fzr".into()),
                    ..Default::default()
                },
                |_, _| {
                    Ok(ReviewPayloads {
                        submission: Some("{}".into()),
                        portal_request: Some("{}".into()),
                    })
                },
            )
            .unwrap();
        review_id
    };
    let portal = |review_id: &str, status: ReviewStatus, revision: u32| PortalReview {
        id: review_id.into(),
        client_item_id: id.as_string(),
        revision,
        status,
        from_user: "jyj.xxy".into(),
        from_name: "张敏".into(),
        to_user: Some("jyj.fzr".into()),
        to_name: Some("李建国".into()),
        title: "标题".into(),
        note: String::new(),
        submission: "{}".into(),
        previous: None,
        decision: Some(PortalDecision {
            by: "jyj.fzr".into(),
            by_name: "李建国".into(),
            at: chrono::Utc::now(),
            opinion: "同意报送".into(),
            comments: vec![],
            signoff: Some(common::stand_in_signoff("jyj.fzr")),
        }),
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
    };
    // The portal cancels the first review…
    let first = via_portal(&store);
    store
        .apply_portal_review(&portal(&first, ReviewStatus::Cancelled, 1))
        .unwrap();
    // …and reports a sign-off on it afterwards: the first word stands,
    // the second is noted (once, however often it is seen).
    let late = portal(&first, ReviewStatus::SignedOff, 1);
    store.apply_portal_review(&late).unwrap();
    store.apply_portal_review(&late).unwrap();
    let actions: Vec<String> = store
        .audit_log(None)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "create",
            "send_for_signoff",
            "review_cancelled",
            "review_decision_ignored"
        ]
    );
    assert!(store.verify_audit().unwrap().is_clean());
}
