use proptest::prelude::*;

use super::*;
use crate::model::ItemState::{self, *};

fn any_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        Just(Action::Edit),
        Just(Action::SendForSignoff),
        Just(Action::SignOff),
        Just(Action::ReturnForRevision),
        Just(Action::Queue),
        Just(Action::MarkSubmitted),
        Just(Action::StartReview),
        Just(Action::Adopt),
        prop_oneof![
            Just(String::new()),
            Just("https://www.gov.cn/a.html".to_string())
        ]
        .prop_map(|url| Action::Publish { url }),
        prop_oneof![Just(String::new()), Just("数据需核实".to_string())]
            .prop_map(|reason| Action::Return { reason }),
        Just(Action::Decline),
        Just(Action::Withdraw),
    ]
}

#[test]
fn happy_path_reaches_published() {
    let path = [
        (Action::SendForSignoff, AwaitingSignoff),
        (Action::SignOff, SignedOff),
        (Action::Queue, Queued),
        (Action::MarkSubmitted, Submitted),
        (Action::StartReview, InReview),
        (Action::Adopt, Adopted),
        (
            Action::Publish {
                url: "https://www.gov.cn/x".into(),
            },
            Published,
        ),
    ];
    let mut s = Draft;
    for (action, expected) in path {
        s = next_state(s, &action).unwrap();
        assert_eq!(s, expected);
    }
}

#[test]
fn returned_item_is_revised_as_draft() {
    let s = next_state(
        InReview,
        &Action::Return {
            reason: "请补充数据来源".into(),
        },
    )
    .unwrap();
    assert_eq!(s, Returned);
    assert_eq!(next_state(s, &Action::Edit).unwrap(), Draft);
}

#[test]
fn editing_signed_off_item_drops_sign_off() {
    assert_eq!(next_state(SignedOff, &Action::Edit).unwrap(), Draft);
    assert_eq!(next_state(AwaitingSignoff, &Action::Edit).unwrap(), Draft);
}

#[test]
fn items_at_the_portal_cannot_be_edited() {
    for s in [Queued, Submitted, InReview, Adopted] {
        assert_eq!(
            next_state(s, &Action::Edit),
            Err(WorkflowError::IllegalTransition {
                from: s,
                action: ActionKind::Edit
            })
        );
        assert!(!is_editable(s));
    }
}

#[test]
fn cannot_submit_without_sign_off() {
    assert!(next_state(Draft, &Action::Queue).is_err());
    assert!(next_state(AwaitingSignoff, &Action::Queue).is_err());
}

#[test]
fn return_and_publish_need_their_values() {
    assert_eq!(
        next_state(InReview, &Action::Return { reason: " ".into() }),
        Err(WorkflowError::MissingValue("reason"))
    );
    assert_eq!(
        next_state(Adopted, &Action::Publish { url: "".into() }),
        Err(WorkflowError::MissingValue("url"))
    );
}

#[test]
fn allowed_actions_match_the_table() {
    assert_eq!(
        allowed_actions(Draft),
        vec![ActionKind::Edit, ActionKind::SendForSignoff]
    );
    assert_eq!(
        allowed_actions(Queued),
        vec![ActionKind::MarkSubmitted, ActionKind::Withdraw]
    );
}

#[test]
fn error_messages_exist_in_both_languages() {
    let e = next_state(Submitted, &Action::Edit).unwrap_err();
    assert!(e.message(Lang::Zh).contains("已报送"));
    assert!(e.message(Lang::En).contains("submitted"));
}

proptest! {
    /// Over any sequence of moves: illegal moves are errors and leave the
    /// state alone, every edit lands in Draft, and nothing reaches the outbox
    /// (Queued) unless it was signed off after its last edit.
    #[test]
    fn random_sequences_keep_the_invariants(actions in prop::collection::vec(any_action(), 0..60)) {
        let mut state = Draft;
        let mut signed_since_edit = false;
        for action in &actions {
            match next_state(state, action) {
                Ok(next) => {
                    prop_assert!(ItemState::ALL.contains(&next));
                    prop_assert!(allowed_actions(state).contains(&action.kind()));
                    match action {
                        Action::Edit => {
                            prop_assert_eq!(next, Draft);
                            signed_since_edit = false;
                        }
                        Action::SignOff => signed_since_edit = true,
                        Action::ReturnForRevision => signed_since_edit = false,
                        Action::Queue => prop_assert!(signed_since_edit, "queued without sign-off"),
                        _ => {}
                    }
                    if next == Published {
                        prop_assert!(matches!(action, Action::Publish { .. }), "published by {:?}", action);
                    }
                    state = next;
                }
                Err(WorkflowError::IllegalTransition { from, action: kind }) => {
                    prop_assert_eq!(from, state);
                    prop_assert_eq!(kind, action.kind());
                    prop_assert!(!allowed_actions(state).contains(&kind));
                }
                Err(WorkflowError::MissingValue(_)) => {
                    prop_assert!(matches!(action, Action::Publish { .. } | Action::Return { .. }), "missing value for {:?}", action);
                }
            }
        }
    }

    /// Every state can always get back to an editable draft or is final
    /// by design (adopted items wait for the portal to publish them).
    #[test]
    fn every_state_has_a_way_forward(idx in 0usize..11) {
        let s = ItemState::ALL[idx];
        prop_assert!(!allowed_actions(s).is_empty(), "{:?} is a dead end", s);
    }
}
