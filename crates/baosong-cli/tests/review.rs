//! 送审 and 签发 across two computers: the liaison officer's and the unit
//! head's, each with its own data directory and its own keyring, meeting only
//! through the real reference portal's review queue. The portal then accepts
//! the 报送 only because the head's signature verifies.

mod support;

use baosong_core::model::ItemState;
use baosong_test_harness::PortalProcess;
use support::{Client, PASSWORD, PortalApi, portal_counts, stdout, text};

const AUTHOR: &str = "jyj.xxy";
const HEAD: &str = "jyj.fzr";

/// A clean draft on the author's computer, checked (自查) so it may be sent.
fn checked_draft(author: &Client, title: &str) -> String {
    let o = author.run(
        &[
            "new",
            "--title",
            title,
            "--column",
            "bmdt",
            "--body-file",
            "-",
        ],
        Some("会议部署了秋季学期校园安全工作，要求各校开展隐患排查。\n"),
    );
    assert!(o.status.success(), "{}", text(&o));
    let id = stdout(&o).trim().to_string();
    let o = author.run(&["check", "--item", &id], None);
    assert!(o.status.success(), "check: {}", text(&o));
    id
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(o)))
}

#[test]
fn a_head_on_another_computer_returns_then_signs_and_the_portal_verifies() {
    let portal = PortalProcess::start_demo(PASSWORD);
    let author = Client::new();
    let head = Client::new();
    author.login(&portal.base_url, AUTHOR);
    head.login(&portal.base_url, HEAD);

    // 送审 through the portal's unit queue.
    let id = checked_draft(&author, "市教育局部署秋季学期校园安全工作");
    let o = author.run(
        &["review", "send", &id, "--to", HEAD, "--note", "请审核"],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(stdout(&o).contains("已送审"), "{}", text(&o));
    let item = author.store().get_item(id.parse().unwrap()).unwrap();
    assert_eq!(item.state, ItemState::AwaitingSignoff);

    // The head's computer knows nothing until it syncs.
    let o = head.run(&["--json", "review", "list"], None);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(json(&o).as_array().map(Vec::len), Some(0), "{}", text(&o));
    let o = head.run(&["sync", "--once"], None);
    assert!(o.status.success(), "{}", text(&o));
    let o = head.run(&["--json", "review", "list"], None);
    let pending = json(&o);
    let pending = pending.as_array().expect("a list");
    assert_eq!(pending.len(), 1, "{}", text(&o));
    assert_eq!(pending[0]["note"], "请审核");
    let review_id = pending[0]["id"].as_str().unwrap().to_string();

    // A portal editor never sees the unit's queue.
    let editor = PortalApi::sign_in(&portal, "editor");
    assert_eq!(editor.get_status("/reviews"), 403);

    // 退回修改 with a comment; the author's next sync brings it back as a draft.
    let o = head.run(
        &[
            "review",
            "return",
            &review_id,
            "--comment",
            "请补充排查范围",
            "--opinion",
            "修改后再报",
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = author.run(&["sync", "--once"], None);
    assert!(o.status.success(), "{}", text(&o));
    let store = author.store();
    let item = store.get_item(id.parse().unwrap()).unwrap();
    assert_eq!(item.state, ItemState::Draft, "returned to the author");
    let reviews = store.item_reviews(item.id).unwrap();
    let returned = reviews
        .iter()
        .find(|r| r.id == review_id)
        .expect("the review");
    assert!(
        returned.comments.iter().any(|c| c.text == "请补充排查范围"),
        "{returned:?}"
    );

    // Revised, checked and sent again; this time the head signs.
    let mut content = item.content.clone();
    content.body.push_str("\n排查范围：全市中小学、幼儿园。\n");
    store.save_content(item.id, content, None).unwrap();
    let o = author.run(&["check", "--item", &id], None);
    assert!(o.status.success(), "{}", text(&o));
    let o = author.run(&["review", "send", &id, "--to", HEAD], None);
    assert!(o.status.success(), "{}", text(&o));
    let o = head.run(&["sync", "--once"], None);
    assert!(o.status.success(), "{}", text(&o));
    let o = head.run(&["sign", &id[..8], "--opinion", "同意报送"], None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(stdout(&o).contains("已签发"), "{}", text(&o));

    // The key the head's computer made is registered with the portal.
    let keys = PortalApi::sign_in(&portal, HEAD).get("/me/keys");
    let keys = keys["keys"].as_array().expect("keys").clone();
    assert_eq!(keys.len(), 1, "{keys:?}");

    // The author's computer learns of the sign-off and 报送 goes through.
    let o = author.run(&["sync", "--once"], None);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(store.get_item(item.id).unwrap().state, ItemState::SignedOff);
    let o = author.run(&["submit", &id], None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(stdout(&o).contains("已报送"), "{}", text(&o));
    let link = store.portal_link(item.id).unwrap().expect("submitted");
    let sub = editor.get(&format!("/submissions/{}", link.submission_id));
    assert_eq!(sub["signed_by"]["username"], HEAD, "{sub}");
    assert_eq!(sub["signoff"]["opinion"], "同意报送", "{sub}");
    assert_eq!(sub["signoff"]["key_id"], keys[0]["key_id"], "{sub}");
}

#[test]
fn an_edit_after_the_remote_sign_off_voids_it_and_nothing_is_sent() {
    let portal = PortalProcess::start_demo(PASSWORD);
    let author = Client::new();
    let head = Client::new();
    author.login(&portal.base_url, AUTHOR);
    head.login(&portal.base_url, HEAD);

    let id = checked_draft(&author, "市教育局开展校园食品安全检查");
    let o = author.run(&["review", "send", &id], None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(head.run(&["sync", "--once"], None).status.success());
    let o = head.run(&["sign", &id[..8]], None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(author.run(&["sync", "--once"], None).status.success());
    let store = author.store();
    let item = store.get_item(id.parse().unwrap()).unwrap();
    assert_eq!(item.state, ItemState::SignedOff);

    // One character changed after signing.
    let mut content = item.content.clone();
    content.title.push('！');
    store.save_content(item.id, content, None).unwrap();
    assert_eq!(store.get_item(item.id).unwrap().state, ItemState::Draft);
    let o = author.run(&["submit", &id], None);
    assert_ne!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        portal_counts(&portal.db_path),
        (0, 0),
        "nothing reached the portal"
    );
}
