//! Review and sign-off bookkeeping against real SQLite files.

mod common;

use baosong_core::model::{
    ItemState, NewReview, PortalDecision, PortalReview, ReviewComment, ReviewOutboxKind,
    ReviewPayloads, ReviewStatus, TextAnchor,
};
use baosong_core::{Action, ItemId, Store, StoreError};
use common::{content, new_entry, stand_in_signoff, temp_store};

fn draft(store: &Store) -> ItemId {
    store
        .create_item(content("市教育局召开安全工作会议", "会议强调校园安全。"))
        .unwrap()
        .id
}

fn send(store: &Store, id: ItemId, to: Option<&str>, via_portal: bool) -> String {
    let review_id = uuid::Uuid::now_v7().to_string();
    let (item, review) = store
        .send_for_review(
            id,
            NewReview {
                id: review_id.clone(),
                from_name: "张敏".into(),
                to_user: to.map(str::to_string),
                to_name: to.map(|_| "李建国".to_string()),
                note: "请审核".into(),
            },
            |item, check| {
                // The builder sees the item after the gate, with the kept report.
                assert_eq!(item.state, ItemState::AwaitingSignoff);
                assert!(check.is_some(), "the check report is kept at 送审");
                Ok(ReviewPayloads {
                    submission: Some(format!("{{\"revision\":{}}}", item.revision)),
                    portal_request: via_portal.then(|| "{\"queue\":true}".to_string()),
                })
            },
        )
        .unwrap();
    assert_eq!(item.state, ItemState::AwaitingSignoff);
    assert_eq!(review.status, ReviewStatus::Pending);
    assert_eq!(review.via_portal, via_portal);
    review_id
}

#[test]
fn a_head_on_this_computer_finds_it_in_pending_and_signs() {
    let (_d, store) = temp_store();
    let id = draft(&store);
    let review_id = send(&store, id, Some("jyj.fzr"), false);
    assert_eq!(store.pending_reviews_for("jyj.fzr").unwrap().len(), 1);
    // Addressed to one head: another does not see it.
    assert!(store.pending_reviews_for("jyj.other").unwrap().is_empty());
    let (payload, _) = store.review_payload(&review_id).unwrap();
    assert_eq!(payload.as_deref(), Some("{\"revision\":1}"));

    // Neither 签发 nor 退回 can bypass the review.
    for a in [Action::SignOff, Action::ReturnForRevision] {
        assert!(matches!(
            store.apply_action(id, a),
            Err(StoreError::NeedsReview)
        ));
    }
    // Nor can 报送 before a signature.
    assert!(store.enqueue_submission(id, 1, new_entry()).is_err());

    let review = store
        .sign_review(&review_id, stand_in_signoff("jyj.fzr"), None)
        .unwrap();
    assert_eq!(review.status, ReviewStatus::SignedOff);
    assert_eq!(review.opinion.as_deref(), Some("同意报送"));
    assert_eq!(store.get_item(id).unwrap().state, ItemState::SignedOff);
    assert!(store.pending_reviews_for("jyj.fzr").unwrap().is_empty());
    let (signoff, payload) = store.current_signoff(id).unwrap().unwrap();
    assert_eq!(signoff.signer, "jyj.fzr");
    assert_eq!(payload, r#"{"stand-in":true}"#);
    // Deciding twice is refused.
    assert!(matches!(
        store.sign_review(&review_id, stand_in_signoff("jyj.fzr"), None),
        Err(StoreError::ReviewClosed(_))
    ));
    let actions: Vec<String> = store
        .audit_log(Some(id))
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&"send_for_signoff".to_string()));
    assert!(actions.contains(&"sign_off".to_string()));
    store.enqueue_submission(id, 1, new_entry()).unwrap();
}

#[test]
fn editing_after_sign_off_invalidates_it_and_cancels_pending_reviews() {
    let (_d, store) = temp_store();
    let id = draft(&store);
    common::sign_off(&store, id);
    let edited = store
        .save_content(
            id,
            content("市教育局召开安全工作会议", "签发后又改了"),
            None,
        )
        .unwrap();
    assert_eq!(edited.state, ItemState::Draft);
    let latest = store.latest_signoff(id).unwrap().unwrap();
    assert!(latest.invalidated_at.is_some(), "签发已失效");
    assert!(store.current_signoff(id).unwrap().is_none());

    // A review that went through the portal is cancelled there too.
    let review_id = send(&store, id, None, true);
    store
        .save_content(id, content("市教育局召开安全工作会议", "送审后又改"), None)
        .unwrap();
    assert_eq!(
        store.review(&review_id).unwrap().status,
        ReviewStatus::Cancelled
    );
    let queued: Vec<ReviewOutboxKind> = store
        .pending_review_outbox(10)
        .unwrap()
        .into_iter()
        .map(|(e, _)| e.kind)
        .collect();
    assert_eq!(queued, [ReviewOutboxKind::Send, ReviewOutboxKind::Cancel]);
}

#[test]
fn returning_needs_a_reason_and_keeps_anchored_comments() {
    let (_d, store) = temp_store();
    let id = draft(&store);
    let review_id = send(&store, id, None, false);
    assert!(matches!(
        store.return_review(&review_id, "李建国", " ", &[], None),
        Err(StoreError::ReturnNeedsReason)
    ));
    let comment = ReviewComment {
        anchor: Some(TextAnchor {
            field: "body".into(),
            start: 4,
            end: 8,
            quote: "校园安全".into(),
        }),
        text: "写明具体措施".into(),
        author: "jyj.fzr".into(),
        at: chrono::Utc::now(),
    };
    let review = store
        .return_review(
            &review_id,
            "李建国",
            "请修改",
            std::slice::from_ref(&comment),
            None,
        )
        .unwrap();
    assert_eq!(review.status, ReviewStatus::Returned);
    assert_eq!(review.comments.len(), 1);
    assert_eq!(review.comments[0].anchor, comment.anchor);
    assert_eq!(review.comments[0].text, comment.text);
    assert_eq!(store.get_item(id).unwrap().state, ItemState::Draft);
    assert_eq!(
        store.previous_decided_revision(id).unwrap(),
        Some((1, ReviewStatus::Returned))
    );
}

fn portal_review(id: &str, client_item_id: &str, status: ReviewStatus) -> PortalReview {
    PortalReview {
        id: id.into(),
        client_item_id: client_item_id.into(),
        revision: 1,
        status,
        from_user: "jyj.xxy".into(),
        from_name: "张敏".into(),
        to_user: Some("jyj.fzr".into()),
        to_name: Some("李建国".into()),
        title: "市教育局召开安全工作会议".into(),
        note: String::new(),
        submission: "{\"from\":\"portal\"}".into(),
        previous: None,
        decision: None,
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
    }
}

#[test]
fn reviews_from_the_portal_reach_the_head_and_decisions_reach_the_author() {
    // The head's computer does not have the item.
    let (_h, head) = temp_store();
    let review_id = uuid::Uuid::now_v7().to_string();
    let received = head
        .apply_portal_review(&portal_review(
            &review_id,
            "019a0000-0000-7000-8000-000000000099",
            ReviewStatus::Pending,
        ))
        .unwrap();
    assert!(received.item_id.is_none() && received.via_portal);
    assert_eq!(head.pending_reviews_for("jyj.fzr").unwrap().len(), 1);
    let (payload, _) = head.review_payload(&review_id).unwrap();
    assert_eq!(payload.as_deref(), Some("{\"from\":\"portal\"}"));
    head.sign_review(&review_id, stand_in_signoff("jyj.fzr"), Some("{}".into()))
        .unwrap();
    let queued = head.pending_review_outbox(10).unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].0.kind, ReviewOutboxKind::Decide);

    // The author's computer applies the decision it pulls.
    let (_a, author) = temp_store();
    let id = draft(&author);
    let review_id = send(&author, id, Some("jyj.fzr"), true);
    let mut decided = portal_review(&review_id, &id.as_string(), ReviewStatus::SignedOff);
    decided.decision = Some(PortalDecision {
        by: "jyj.fzr".into(),
        by_name: "李建国".into(),
        at: chrono::Utc::now(),
        opinion: "同意报送".into(),
        comments: vec![],
        signoff: Some(stand_in_signoff("jyj.fzr")),
    });
    let review = author.apply_portal_review(&decided).unwrap();
    assert_eq!(review.status, ReviewStatus::SignedOff);
    assert_eq!(author.get_item(id).unwrap().state, ItemState::SignedOff);
    assert!(author.current_signoff(id).unwrap().is_some());
    // Seeing it again changes nothing.
    author.apply_portal_review(&decided).unwrap();
    assert_eq!(author.item_reviews(id).unwrap().len(), 1);
}

#[test]
fn a_decision_on_a_revision_that_changed_does_not_sign_the_new_one() {
    let (_d, store) = temp_store();
    let id = draft(&store);
    let review_id = send(&store, id, None, true);
    // Edited (cancels the local review), sent again, and then the portal
    // reports the old review as signed.
    store
        .save_content(id, content("市教育局召开安全工作会议", "改过"), None)
        .unwrap();
    send(&store, id, None, true);
    let mut old = portal_review(&review_id, &id.as_string(), ReviewStatus::SignedOff);
    old.decision = Some(PortalDecision {
        by: "jyj.fzr".into(),
        by_name: "李建国".into(),
        at: chrono::Utc::now(),
        opinion: "同意报送".into(),
        comments: vec![],
        signoff: Some(stand_in_signoff("jyj.fzr")),
    });
    store.apply_portal_review(&old).unwrap();
    assert_eq!(
        store.get_item(id).unwrap().state,
        ItemState::AwaitingSignoff
    );
    assert!(store.current_signoff(id).unwrap().is_none());
    // Signing the stale review locally is refused too.
    assert!(
        store
            .sign_review(&review_id, stand_in_signoff("jyj.fzr"), None)
            .is_err()
    );
}
