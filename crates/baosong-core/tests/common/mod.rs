#![allow(dead_code)]

use baosong_core::Store;
use baosong_core::model::{ColumnRef, ItemContent};

pub fn content(title: &str, body: &str) -> ItemContent {
    ItemContent {
        title: title.to_string(),
        column: ColumnRef {
            id: "bmdt".into(),
            name: "部门动态".into(),
        },
        body: body.to_string(),
        ..Default::default()
    }
}

pub fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("open store");
    (dir, store)
}

/// Queues a signed-off item with a stand-in payload and has the "portal"
/// acknowledge it (已报送). Returns the outbox entry id.
pub fn deliver(store: &Store, id: baosong_core::ItemId) -> String {
    let item = store.get_item(id).expect("item");
    let (_, entry) = store
        .enqueue_submission(id, item.revision, new_entry())
        .expect("queue");
    store
        .mark_delivered(&entry.id, &link(&format!("sub-{id}"), 1, "received"), false)
        .expect("deliver");
    entry.id
}

pub fn new_entry() -> baosong_core::model::NewOutboxEntry {
    baosong_core::model::NewOutboxEntry {
        kind: baosong_core::model::OutboxKind::Submit,
        submission_id: None,
        base_portal_revision: None,
        payload: r#"{"stand-in":true}"#.into(),
    }
}

pub fn link(submission: &str, revision: u32, status: &str) -> baosong_core::model::PortalLink {
    baosong_core::model::PortalLink {
        submission_id: submission.into(),
        portal_revision: revision,
        portal_status: status.into(),
        public_url: None,
        updated_at: chrono::Utc::now(),
    }
}
