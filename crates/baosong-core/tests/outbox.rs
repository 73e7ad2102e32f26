//! The outbox and portal status bookkeeping against real SQLite files.

mod common;

use baosong_core::model::{ItemState, OutboxStatus, PortalChange, StatusEvent};
use baosong_core::store::CHANGES_CURSOR;
use baosong_core::view::UserError;
use baosong_core::{Action, ItemId, Store, StoreError};
use common::{content, link, new_entry, temp_store};

fn signed_off(store: &Store) -> ItemId {
    let item = store
        .create_item(content("市教育局召开安全工作会议", "会议强调校园安全。"))
        .unwrap();
    common::sign_off(store, item.id);
    item.id
}

fn event(cursor: &str, submission: &str, revision: u32, status: &str) -> StatusEvent {
    StatusEvent {
        cursor: cursor.into(),
        submission_id: submission.into(),
        portal_revision: revision,
        from_status: None,
        status: status.into(),
        by: "周静".into(),
        at: chrono::Utc::now(),
        comment: String::new(),
        reason: None,
        public_url: None,
    }
}

fn error() -> UserError {
    UserError {
        code: "unknown_column".into(),
        zh: "没有这个栏目".into(),
        en: "no such column".into(),
    }
}

#[test]
fn queueing_writes_the_entry_with_the_state_change() {
    let (_d, store) = temp_store();
    let id = signed_off(&store);
    // 报送 only through the outbox.
    let err = store.apply_action(id, Action::Queue).unwrap_err();
    assert!(matches!(err, StoreError::NeedsOutbox), "{err:?}");
    assert_eq!(store.get_item(id).unwrap().state, ItemState::SignedOff);

    // A payload built from an older revision is refused, nothing written.
    let rev = store.get_item(id).unwrap().revision;
    let err = store
        .enqueue_submission(id, rev + 1, new_entry())
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert!(store.list_outbox(true, 10).unwrap().is_empty());

    let (item, entry) = store.enqueue_submission(id, rev, new_entry()).unwrap();
    assert_eq!(item.state, ItemState::Queued);
    assert_eq!(entry.status, OutboxStatus::Pending);
    assert_eq!(entry.item_id, id);
    let pending = store.pending_outbox(10).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].1, new_entry().payload);
    assert!(
        store
            .audit_log(Some(id))
            .unwrap()
            .iter()
            .any(|a| a.action == "queue" && a.detail.contains(&entry.id))
    );
    // Queued twice is illegal: the workflow refuses, no second entry.
    assert!(store.enqueue_submission(id, rev, new_entry()).is_err());
    assert_eq!(store.outbox_counts().unwrap(), (1, 0));
    // A queued item that may be on its way cannot be withdrawn locally.
    let err = store.apply_action(id, Action::Withdraw).unwrap_err();
    assert!(matches!(err, StoreError::InOutbox), "{err:?}");
}

#[test]
fn delivery_marks_submitted_once() {
    let (_d, store) = temp_store();
    let id = signed_off(&store);
    let rev = store.get_item(id).unwrap().revision;
    let (_, entry) = store.enqueue_submission(id, rev, new_entry()).unwrap();
    store
        .mark_delivered(&entry.id, &link("s-1", 1, "received"), false)
        .unwrap();
    store
        .mark_delivered(&entry.id, &link("s-1", 1, "received"), true)
        .unwrap();
    assert_eq!(store.get_item(id).unwrap().state, ItemState::Submitted);
    assert_eq!(store.pending_outbox(10).unwrap().len(), 0);
    assert_eq!(
        store.outbox_entry(&entry.id).unwrap().status,
        OutboxStatus::Delivered
    );
    assert_eq!(store.portal_link(id).unwrap().unwrap().submission_id, "s-1");
    let submitted = store
        .audit_log(Some(id))
        .unwrap()
        .into_iter()
        .filter(|a| a.action == "mark_submitted")
        .count();
    assert_eq!(
        submitted, 1,
        "a replayed acknowledgement is not a second submission"
    );
}

#[test]
fn permanent_failures_stop_the_entry_until_retried() {
    let (_d, store) = temp_store();
    let a = signed_off(&store);
    let b = signed_off(&store);
    for id in [a, b] {
        let rev = store.get_item(id).unwrap().revision;
        store.enqueue_submission(id, rev, new_entry()).unwrap();
    }
    let first = store.pending_outbox(10).unwrap()[0].0.clone();
    assert_eq!(first.item_id, a, "oldest first");
    store.record_failure(&first.id, &error(), false).unwrap();
    let again = store.outbox_entry(&first.id).unwrap();
    assert_eq!((again.status, again.attempts), (OutboxStatus::Pending, 1));
    store.record_failure(&first.id, &error(), true).unwrap();
    let failed = store.outbox_entry(&first.id).unwrap();
    assert_eq!(failed.status, OutboxStatus::Failed);
    assert_eq!(failed.last_error.unwrap().code, "unknown_column");
    // The rest of the queue goes on.
    let pending = store.pending_outbox(10).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].0.item_id, b);
    // A refused item may be withdrawn locally (the portal does not have it).
    store.retry_outbox_entry(&first.id).unwrap();
    assert_eq!(store.pending_outbox(10).unwrap().len(), 2);
    store.record_failure(&first.id, &error(), true).unwrap();
    assert_eq!(
        store.apply_action(a, Action::Withdraw).unwrap().state,
        ItemState::Withdrawn
    );
}

#[test]
fn portal_changes_move_items_once_and_keep_the_cursor() {
    let (_d, store) = temp_store();
    let id = signed_off(&store);
    let rev = store.get_item(id).unwrap().revision;
    let (_, entry) = store.enqueue_submission(id, rev, new_entry()).unwrap();
    let mut returned = event("c3", "s-1", 1, "returned");
    returned.reason = Some("请补充参会人员名单".into());
    let changes = vec![
        PortalChange {
            client_item_id: id,
            event: event("c1", "s-1", 1, "received"),
            action: Some(Action::MarkSubmitted),
        },
        PortalChange {
            client_item_id: id,
            event: event("c2", "s-1", 1, "in_review"),
            action: Some(Action::StartReview),
        },
        PortalChange {
            client_item_id: id,
            event: returned,
            action: Some(Action::Return {
                reason: "请补充参会人员名单".into(),
            }),
        },
        // Another colleague's item: not here, ignored.
        PortalChange {
            client_item_id: ItemId::new(),
            event: event("c4", "s-2", 1, "received"),
            action: Some(Action::MarkSubmitted),
        },
    ];
    let applied = store.apply_portal_changes(&changes, Some("c4")).unwrap();
    assert_eq!(applied.len(), 3);
    assert!(applied.iter().all(|a| a.moved));
    let item = store.get_item(id).unwrap();
    assert_eq!(item.state, ItemState::Returned);
    assert_eq!(item.returned_reason.as_deref(), Some("请补充参会人员名单"));
    assert_eq!(
        store.setting(CHANGES_CURSOR).unwrap().as_deref(),
        Some("c4")
    );
    // Seen again (feed and live stream): nothing happens twice.
    assert!(
        store
            .apply_portal_changes(&changes, None)
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.status_timeline(id).unwrap().len(), 3);
    let portal_audits = store
        .audit_log(Some(id))
        .unwrap()
        .into_iter()
        .filter(|a| a.action == "portal_status")
        .count();
    assert_eq!(portal_audits, 3, "every change lands in the audit log");
    // The lost acknowledgement arriving late does not undo the return.
    store
        .mark_delivered(&entry.id, &link("s-1", 1, "received"), true)
        .unwrap();
    assert_eq!(store.get_item(id).unwrap().state, ItemState::Returned);
    assert_eq!(
        store.portal_link(id).unwrap().unwrap().portal_status,
        "returned"
    );
}

#[test]
fn a_change_about_an_older_revision_only_joins_the_timeline() {
    let (_d, store) = temp_store();
    let id = signed_off(&store);
    let rev = store.get_item(id).unwrap().revision;
    let (_, entry) = store.enqueue_submission(id, rev, new_entry()).unwrap();
    store
        .mark_delivered(&entry.id, &link("s-1", 2, "received"), false)
        .unwrap();
    let late = PortalChange {
        client_item_id: id,
        event: event("c9", "s-1", 1, "not_adopted"),
        action: Some(Action::Decline),
    };
    let applied = store.apply_portal_changes(&[late], None).unwrap();
    assert_eq!(applied.len(), 1);
    assert!(!applied[0].moved);
    assert_eq!(store.get_item(id).unwrap().state, ItemState::Submitted);
    assert_eq!(store.status_timeline(id).unwrap().len(), 1);
}
