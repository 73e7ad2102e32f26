//! What the review screens read (`review_view`), on a real SQLite store and
//! the same-computer route: 送审, 退回修改 with an anchored comment, an edit,
//! 送审 again (the head sees the diff and the last comments), 签发 with an
//! Ed25519 key, and an edit after signing (签发已失效).

use baosong_core::model::{ColumnRef, ItemContent, ReviewComment, ReviewStatus, TextAnchor};
use baosong_core::view::DiffTag;
use baosong_core::{ItemState, Store};
use baosong_sync::keys::LocalKey;
use baosong_sync::review::{self, Person};
use baosong_sync::review_view;
use ed25519_dalek::SigningKey;

fn person(username: &str, name: &str) -> Person {
    Person {
        username: username.into(),
        display_name: name.into(),
    }
}

fn content(body: &str) -> ItemContent {
    ItemContent {
        title: "市教育局部署秋季学期校园值班工作".into(),
        column: ColumnRef {
            id: "gzdt".into(),
            name: "工作动态".into(),
        },
        body: body.into(),
        ..ItemContent::default()
    }
}

fn head_key() -> LocalKey {
    let key = SigningKey::from_bytes(&[7u8; 32]);
    LocalKey {
        key_id: baosong_api::signing::key_id(&key.verifying_key()),
        key,
        created_at: chrono::Utc::now(),
        registered: true,
    }
}

#[test]
fn the_head_sees_the_item_its_check_the_diff_and_the_last_comments() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open store");
    let author = person("jyj.xxy", "张敏");
    let head = person("jyj.fzr", "李建国");
    let body = "会议要求各校落实**值班制度**。";
    let item = store.create_item(content(body)).expect("create");

    let (_, first) = review::send(
        &store,
        item.id,
        &author,
        Some(("jyj.fzr".into(), "jyj.fzr".into())),
        "请审核",
        false,
    )
    .expect("送审");

    let d = review_view::detail(&store, &first.id).expect("detail");
    assert_eq!(d.title, "市教育局部署秋季学期校园值班工作");
    // Rendered here from the Markdown, sanitised.
    assert!(
        d.body_html.contains("<strong>值班制度</strong>"),
        "{}",
        d.body_html
    );
    assert_eq!(d.diff, None, "nothing earlier to compare with");
    assert_eq!(d.review.note, "请审核");

    let comment = ReviewComment {
        anchor: Some(TextAnchor {
            field: "body".into(),
            start: 8,
            end: 12,
            quote: "值班制度".into(),
        }),
        text: "请写明值班时间。".into(),
        author: head.username.clone(),
        at: chrono::Utc::now(),
    };
    review::return_for_revision(&store, &first.id, &head, "请补充", vec![comment.clone()])
        .expect("退回修改");

    // The author's view: the return, with the comment and its anchor.
    let mine = review_view::item_reviews(&store, item.id).expect("item reviews");
    assert_eq!(mine.reviews[0].status, ReviewStatus::Returned);
    assert_eq!(mine.reviews[0].comments.len(), 1);
    assert_eq!(mine.reviews[0].comments[0].anchor, comment.anchor);
    assert_eq!(mine.signoff, None);

    let current = store.get_item(item.id).expect("item");
    let edited = store
        .save_content(
            item.id,
            content("会议要求各校落实**值班制度**。\n\n值班时间为每日八时至十八时。"),
            Some(current.revision),
        )
        .expect("edit");
    let (_, second) =
        review::send(&store, edited.id, &author, None, "已修改", false).expect("送审 again");

    let d = review_view::detail(&store, &second.id).expect("detail");
    let diff = d.diff.expect("a diff against the returned revision");
    assert_eq!(diff.from, first.revision);
    assert_eq!(diff.to, second.revision);
    assert!(
        diff.body
            .iter()
            .any(|l| l.tag == DiffTag::Insert && l.text.contains("值班时间为每日八时至十八时"))
    );
    assert_eq!(d.previous_status, Some(ReviewStatus::Returned));
    assert_eq!(d.previous_comments.len(), 1);
    assert_eq!(d.previous_comments[0].text, "请写明值班时间。");

    review::sign(&store, &second.id, &head, &head_key(), "").expect("签发");
    let signed = review_view::item_reviews(&store, item.id).expect("item reviews");
    let signoff = signed.signoff.expect("a sign-off");
    assert_eq!(signoff.signer, "jyj.fzr");
    assert_eq!(signoff.opinion, "同意报送");
    assert_eq!(signoff.invalidated_at, None);
    assert_eq!(
        store.get_item(item.id).expect("item").state,
        ItemState::SignedOff
    );

    // An edit after signing: the sign-off lapses (签发已失效).
    let current = store.get_item(item.id).expect("item");
    store
        .save_content(item.id, content("改过的正文。"), Some(current.revision))
        .expect("edit after signing");
    let lapsed = review_view::item_reviews(&store, item.id)
        .expect("item reviews")
        .signoff
        .expect("the sign-off is still listed");
    assert!(lapsed.invalidated_at.is_some());
}
