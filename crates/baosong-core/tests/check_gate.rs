//! The check gate before sign-off, against a real store: blockers hold an item
//! back until fixed, errors until confirmed with a reason; the report and the
//! decisions are kept with the revision and audited.

mod common;

use baosong_check::DecisionKind;
use baosong_core::model::ItemState;
use baosong_core::{Action, Store, StoreError};
use common::{content, temp_store};

const ID: &str = "11010519491231002X";

fn send(store: &Store, id: baosong_core::ItemId) -> Result<baosong_core::model::Item, StoreError> {
    store.apply_action(id, Action::SendForSignoff)
}

#[test]
fn an_id_number_blocks_sign_off_until_masked() {
    let (_d, store) = temp_store();
    let body = format!("联系人身份证号{ID}。");
    let item = store
        .create_item(content("市教育局召开会议", &body))
        .unwrap();
    let check = store.check_item(item.id).unwrap();
    assert_eq!(check.gate.blockers, 1);
    assert!(!check.gate.ready);
    let finding = &check.report.findings[0];
    assert_eq!(finding.rule, "pii.resident_id");
    assert_eq!(finding.suggestion.as_deref(), Some("11*************02X"));

    let err = send(&store, item.id).unwrap_err();
    assert_eq!(err.code(), "not_ready_for_signoff");
    assert!(err.message(baosong_core::Lang::Zh).contains("阻断"));
    assert_eq!(store.get_item(item.id).unwrap().state, ItemState::Draft);

    // Blockers cannot be waived, whatever the reason.
    let err = store
        .decide(
            item.id,
            &finding.fingerprint,
            DecisionKind::Waived,
            Some("已核实".into()),
        )
        .unwrap_err();
    assert_eq!(err.code(), "decision");

    // Masked as the suggestion says (escaped for Markdown), it may go.
    let masked = body.replace(ID, "11\\*\\*\\*\\*\\*\\*\\*\\*\\*\\*\\*\\*\\*02X");
    store
        .save_content(item.id, content("市教育局召开会议", &masked), Some(1))
        .unwrap();
    assert!(store.check_item(item.id).unwrap().gate.ready);
    let sent = send(&store, item.id).unwrap();
    assert_eq!(sent.state, ItemState::AwaitingSignoff);
    let (report, _) = store
        .stored_report(item.id, sent.revision)
        .unwrap()
        .unwrap();
    assert!(report.findings.iter().all(|f| f.rule != "pii.resident_id"));
}

#[test]
fn an_error_needs_a_written_reason_which_is_audited() {
    let (_d, store) = temp_store();
    let item = store
        .create_item(content("深入开展扫黑险恶专项斗争", "会议部署了相关工作。"))
        .unwrap();
    let check = store.check_item(item.id).unwrap();
    let finding = check
        .report
        .findings
        .iter()
        .find(|f| f.rule == "lexicon.misstatement")
        .expect("misstatement found in the title");
    assert_eq!(finding.suggestion.as_deref(), Some("扫黑除恶"));
    assert_eq!(check.gate.undecided_errors, 1);
    assert_eq!(
        send(&store, item.id).unwrap_err().code(),
        "not_ready_for_signoff"
    );

    let err = store
        .decide(
            item.id,
            &finding.fingerprint,
            DecisionKind::Waived,
            Some("  ".into()),
        )
        .unwrap_err();
    assert_eq!(err.code(), "decision");
    let err = store
        .decide(
            item.id,
            "lexicon.misstatement:不存在",
            DecisionKind::Waived,
            Some("理由".into()),
        )
        .unwrap_err();
    assert_eq!(err.code(), "no_such_finding");

    let after = store
        .decide(
            item.id,
            &finding.fingerprint,
            DecisionKind::Waived,
            Some("引用原文标题，不得改动".into()),
        )
        .unwrap();
    assert!(after.gate.ready);
    assert_eq!(after.gate.waived_errors, 1);
    let sent = send(&store, item.id).unwrap();
    let (_, decisions) = store
        .stored_report(item.id, sent.revision)
        .unwrap()
        .unwrap();
    assert_eq!(decisions.len(), 1);
    assert_eq!(
        decisions[0].reason.as_deref(),
        Some("引用原文标题，不得改动")
    );

    let log = store.audit_log(Some(item.id)).unwrap();
    let decision = log
        .iter()
        .find(|e| e.action == "check_decision")
        .expect("decision audited");
    assert!(decision.detail.to_string().contains("引用原文标题"));
    let sent_entry = log.iter().find(|e| e.action == "send_for_signoff").unwrap();
    assert!(sent_entry.detail.to_string().contains("content_hash"));
}

#[test]
fn user_lexicons_take_part_in_the_gate() {
    let (_d, mut store) = temp_store();
    let item = store
        .create_item(content("关于某某工程的通报", "某某工程进展顺利。"))
        .unwrap();
    assert!(store.check_item(item.id).unwrap().gate.ready);
    let mut checker = store.checker().clone();
    checker
        .add_lexicon_bytes(
            "unit",
            "某某工程\tsensitive\terror\t\t未公开项目\n".as_bytes(),
        )
        .unwrap();
    store.set_checker(checker);
    let check = store.check_item(item.id).unwrap();
    assert_eq!(check.gate.undecided_errors, 2, "title and body");
    assert!(send(&store, item.id).is_err());
}

#[test]
fn lexicon_files_in_the_data_directory_are_loaded_cached_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let lex_dir = dir.path().join(baosong_core::store::LEXICON_DIR);
    std::fs::create_dir_all(&lex_dir).unwrap();
    std::fs::write(lex_dir.join("unit.tsv"), "某某工程\tsensitive\terror\n").unwrap();
    std::fs::write(lex_dir.join("broken.tsv"), b"\xb9\xa5\xb8\xae\n").unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(
        store.lexicon_problems().len(),
        1,
        "the GBK file is reported"
    );
    assert!(store.lexicon_problems()[0].zh.contains("UTF-8"));
    let item = store
        .create_item(content("某某工程进展", "正文。"))
        .unwrap();
    assert_eq!(store.check_item(item.id).unwrap().gate.undecided_errors, 1);
    drop(store);
    let cached: Vec<_> = std::fs::read_dir(lex_dir.join(".cache")).unwrap().collect();
    assert_eq!(cached.len(), 1, "one cache entry for the good file");
    // A damaged cache entry is ignored, not trusted.
    let entry = cached[0].as_ref().unwrap().path();
    std::fs::write(&entry, b"BSLX garbage").unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.check_item(item.id).unwrap().gate.undecided_errors, 1);
}
