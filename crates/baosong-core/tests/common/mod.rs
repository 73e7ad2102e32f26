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

/// A stand-in signature: the store keeps sign-offs, it does not check the
/// cryptography (baosong-sync and the portal do).
pub fn stand_in_signoff(signer: &str) -> baosong_core::model::NewSignoff {
    baosong_core::model::NewSignoff {
        payload: r#"{"stand-in":true}"#.into(),
        content_hash: "0".repeat(64),
        signer: signer.into(),
        signer_name: "李建国".into(),
        key_id: "k".repeat(32),
        public_key: String::new(),
        signature: "s".repeat(128),
        signed_at: chrono::Utc::now(),
        opinion: "同意报送".into(),
    }
}

/// 送审 and 签发 on this computer: the item ends 已签发.
pub fn sign_off(store: &Store, id: baosong_core::ItemId) -> baosong_core::model::Item {
    store
        .apply_action(id, baosong_core::Action::SendForSignoff)
        .expect("送审");
    let review = store
        .item_reviews(id)
        .expect("reviews")
        .into_iter()
        .find(|r| r.status == baosong_core::model::ReviewStatus::Pending)
        .expect("a pending review");
    store
        .sign_review(&review.id, stand_in_signoff("jyj.fzr"), None)
        .expect("签发");
    store.get_item(id).expect("item")
}
