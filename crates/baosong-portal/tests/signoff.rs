//! Sign-off (签发) on receipt: every refusal code, key registration,
//! rotation and revocation, against a real portal over HTTP.

mod common;

use baosong_api::{KeyList, ProblemCode, SigningKeyInfo, Submission, signing};
use chrono::{Duration, Utc};
use common::{Portal, expect_problem, new_key, rehash, request, signed, signed_at};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

fn key() -> String {
    Uuid::now_v7().to_string()
}

#[tokio::test]
async fn a_verified_signoff_names_the_signer() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let (head, k) = p.head_key("sjyj");
    let req = signed(&request("已签发的稿件"), k, head);
    let r = p.submit_raw(&jyj, &key(), &req).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let sub: Submission = r.json().await.unwrap();
    let by = sub.signed_by.expect("signed_by");
    assert_eq!(
        (by.username.as_str(), by.display_name.as_str()),
        ("jyj.fzr", "李建国")
    );
    assert_eq!(sub.signoff, req.signoff);
    // Kept with the submission, not just echoed.
    let stored: Submission = p
        .get(&jyj, &format!("/submissions/{}", sub.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored.signed_by.unwrap().username, "jyj.fzr");
}

#[tokio::test]
async fn every_rejection_has_its_code() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let (head, k) = p.head_key("sjyj");
    let (other_head, other_k) = p.head_key("swjw");
    let req = request("待签发");

    // No sign-off at all.
    let r = p.submit_raw(&jyj, &key(), &req).await;
    expect_problem(r, 422, ProblemCode::SignoffMissing).await;

    // Signed by the head of another unit, with their own registered key.
    let r = p
        .submit_raw(&jyj, &key(), &signed(&req, other_k, other_head))
        .await;
    expect_problem(r, 422, ProblemCode::SignerWrongUnit).await;
    // Signed by someone who is no head at all.
    let r = p
        .submit_raw(&jyj, &key(), &signed(&req, k, "jyj.xxy"))
        .await;
    expect_problem(r, 422, ProblemCode::SignerWrongUnit).await;

    // A key the portal never saw, and another head's key.
    let r = p
        .submit_raw(&jyj, &key(), &signed(&req, &new_key(), head))
        .await;
    expect_problem(r, 422, ProblemCode::SigningKeyUnknown).await;
    let r = p
        .submit_raw(&jyj, &key(), &signed(&req, other_k, head))
        .await;
    expect_problem(r, 422, ProblemCode::SigningKeyUnknown).await;

    // Signed before the key was registered, or too far in the future.
    let early = signed_at(&req, k, head, Utc::now() - Duration::days(1));
    let r = p.submit_raw(&jyj, &key(), &early).await;
    expect_problem(r, 422, ProblemCode::SigningTimeInvalid).await;
    let late = signed_at(&req, k, head, Utc::now() + Duration::minutes(10));
    let r = p.submit_raw(&jyj, &key(), &late).await;
    expect_problem(r, 422, ProblemCode::SigningTimeInvalid).await;
    // A little clock skew is fine.
    let skewed = signed_at(&req, k, head, Utc::now() + Duration::minutes(2));
    let r = p.submit_raw(&jyj, &key(), &skewed).await;
    assert_eq!(r.status(), StatusCode::CREATED);

    // Changed after signing: the title (content hash redone), the opinion.
    let good = signed(&request("原标题"), k, head);
    let mut changed = good.clone();
    changed.item.title = "改过的标题".into();
    let changed = rehash(changed);
    let r = p.submit_raw(&jyj, &key(), &changed).await;
    expect_problem(r, 422, ProblemCode::SignatureInvalid).await;
    let mut changed = good.clone();
    changed.signoff.as_mut().unwrap().opinion = "同意".into();
    let r = p.submit_raw(&jyj, &key(), &changed).await;
    expect_problem(r, 422, ProblemCode::SignatureInvalid).await;
    let mut garbage = good.clone();
    garbage.signoff.as_mut().unwrap().signature = "00".into();
    let r = p.submit_raw(&jyj, &key(), &garbage).await;
    expect_problem(r, 422, ProblemCode::SignatureInvalid).await;

    // The content hash is still checked first.
    let mut tampered = good.clone();
    tampered.body_markdown.push('！');
    let r = p.submit_raw(&jyj, &key(), &tampered).await;
    expect_problem(r, 422, ProblemCode::ContentHashMismatch).await;

    // Nothing of the refused requests was stored.
    assert_eq!(p.counts().0, 1);
    let r = p.submit_raw(&jyj, &key(), &good).await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

/// The tamper cases: one character of the body, the column, an
/// attachment's hash, the signing time — each changed after signing (with
/// the content hash redone where the attacker would redo it) is refused,
/// and the untouched request still goes through.
#[tokio::test]
async fn any_change_after_signing_is_refused() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let (head, k) = p.head_key("sjyj");
    let mut base = request("市教育局部署校园安全工作");
    let photo = vec![0x5a_u8; 120_000];
    let r = p
        .client
        .post(p.url("/uploads"))
        .bearer_auth(&jyj)
        .json(&json!({
            "sha256": baosong_portal::secrets::sha256_hex(&photo), "size": photo.len(),
            "name": "会议照片.jpg", "media_type": "image/jpeg", "column_id": "bmdt",
        }))
        .send()
        .await
        .unwrap();
    let upload: baosong_api::Upload = r.json().await.unwrap();
    let digest = <sha2::Sha256 as sha2::Digest>::digest(&photo);
    let r = p
        .client
        .patch(p.url(&format!("/uploads/{}", upload.id.unwrap())))
        .bearer_auth(&jyj)
        .header("Content-Type", "application/offset+octet-stream")
        .header("Upload-Offset", "0")
        .header(
            "Upload-Checksum",
            baosong_api::uploads::checksum_header(&digest),
        )
        .body(photo.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "the photo is stored");
    base.attachments = vec![baosong_api::AttachmentRef {
        sha256: baosong_portal::secrets::sha256_hex(&photo),
        name: "会议照片.jpg".into(),
        size: 120_000,
        media_type: "image/jpeg".into(),
    }];
    let good = signed(&base, k, head);

    let mut body = good.clone();
    body.body_markdown.push('。');
    let r = p.submit_raw(&jyj, &key(), &body).await;
    expect_problem(r, 422, ProblemCode::ContentHashMismatch).await;
    let r = p.submit_raw(&jyj, &key(), &rehash(body)).await;
    expect_problem(r, 422, ProblemCode::SignatureInvalid).await;

    let mut column = good.clone();
    column.item.column_id = "tzgg".into();
    let r = p.submit_raw(&jyj, &key(), &rehash(column)).await;
    expect_problem(r, 422, ProblemCode::SignatureInvalid).await;

    let mut attachment = good.clone();
    attachment.attachments[0].sha256 = "cd".repeat(32);
    let r = p.submit_raw(&jyj, &key(), &attachment).await;
    expect_problem(r, 422, ProblemCode::SignatureInvalid).await;

    let mut time = good.clone();
    if let Some(s) = time.signoff.as_mut() {
        s.signed_at += Duration::seconds(1);
    }
    let r = p.submit_raw(&jyj, &key(), &time).await;
    expect_problem(r, 422, ProblemCode::SignatureInvalid).await;

    assert_eq!(p.counts().0, 0, "nothing refused was stored");
    let r = p.submit_raw(&jyj, &key(), &good).await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn resubmitting_needs_a_new_valid_signoff() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let editor = p.token("editor").await;
    let (head, k) = p.head_key("sjyj");
    let sub = p.submit_new(&jyj, &request("初稿")).await;
    let r = p
        .decide(
            &editor,
            sub.id,
            json!({"action": "return", "reason": "请修改"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let put = |body: baosong_api::SubmissionRequest| {
        p.client
            .put(p.url(&format!("/submissions/{}", sub.id)))
            .bearer_auth(&jyj)
            .header("If-Match", "\"r1\"")
            .json(&body)
            .send()
    };
    let mut revised = request("修改稿");
    revised.client_item_id = sub.client_item_id;
    let revised = rehash(revised);
    expect_problem(
        put(revised.clone()).await.unwrap(),
        422,
        ProblemCode::SignoffMissing,
    )
    .await;
    // The old sign-off does not carry over to new content.
    let mut stale = revised.clone();
    stale.signoff = sub.signoff.clone();
    expect_problem(
        put(stale).await.unwrap(),
        422,
        ProblemCode::SignatureInvalid,
    )
    .await;
    let r = put(signed(&revised, k, head)).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let second: Submission = r.json().await.unwrap();
    assert_eq!(second.revision, 2);
    assert_eq!(second.signed_by.unwrap().username, "jyj.fzr");
}

#[tokio::test]
async fn rotation_keeps_earlier_signatures_and_refuses_the_old_key_afterwards() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let fzr = p.token("jyj.fzr").await;
    let (head, old) = p.head_key("sjyj");
    let before = signed(&request("轮换前签发"), old, head);
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;

    let new = new_key();
    let r = p.register_key(&fzr, &new).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let registered: SigningKeyInfo = r.json().await.unwrap();
    assert_eq!(registered.key_id, signing::key_id(&new.verifying_key()));
    assert_eq!(
        registered.fingerprint,
        signing::fingerprint(&registered.key_id)
    );
    assert_eq!(registered.unit_id, "sjyj");
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;

    // Signed with the old key while it was current: still good.
    let r = p.submit_raw(&jyj, &key(), &before).await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    // Signed with the old key after the rotation: refused.
    let after = signed(&request("轮换后签发"), old, head);
    let r = p.submit_raw(&jyj, &key(), &after).await;
    expect_problem(r, 422, ProblemCode::SigningTimeInvalid).await;
    // The new key signs.
    let r = p
        .submit_raw(&jyj, &key(), &signed(&request("新密钥签发"), &new, head))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    // GET /me/keys: newest first, the old one superseded when the new one came.
    let keys: KeyList = p.get(&fzr, "/me/keys").await.json().await.unwrap();
    assert_eq!(keys.keys.len(), 2);
    assert_eq!(keys.keys[0].key_id, registered.key_id);
    assert_eq!(keys.keys[0].superseded_at, None);
    assert_eq!(keys.keys[1].superseded_at, Some(registered.created_at));
}

#[tokio::test]
async fn registering_is_for_heads_and_idempotent() {
    let p = Portal::start().await;
    let k = new_key();
    for user in ["jyj.xxy", "editor", "admin"] {
        let token = p.token(user).await;
        let r = p.register_key(&token, &k).await;
        expect_problem(r, 403, ProblemCode::Forbidden).await;
    }
    let fzr = p.token("jyj.fzr").await;
    let first: SigningKeyInfo = p.register_key(&fzr, &k).await.json().await.unwrap();
    // The same key again: the same record, nothing superseded.
    let r = p.register_key(&fzr, &k).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<SigningKeyInfo>().await.unwrap(), first);
    // Another head cannot claim it.
    let wjw = p.token("wjw.fzr").await;
    let r = p.register_key(&wjw, &k).await;
    expect_problem(r, 409, ProblemCode::KeyAlreadyRegistered).await;
    // Not a key at all.
    let r = p
        .client
        .post(p.url("/me/keys"))
        .bearer_auth(&fzr)
        .json(&json!({"public_key": "zz"}))
        .send()
        .await
        .unwrap();
    expect_problem(r, 422, ProblemCode::ValidationFailed).await;
}

#[tokio::test]
async fn a_revoked_key_verifies_nothing() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let admin = p.token("admin").await;
    let (head, k) = p.head_key("sjyj");
    let key_id = signing::key_id(&k.verifying_key());
    let req = signed(&request("吊销前签发"), k, head);

    // Only an administrator (or the owner) revokes.
    let wjw = p.token("wjw.fzr").await;
    let revoke = |token: String| {
        p.client
            .post(p.url(&format!("/keys/{key_id}/revoke")))
            .bearer_auth(token)
            .json(&json!({"reason": "电脑遗失"}))
            .send()
    };
    expect_problem(revoke(wjw).await.unwrap(), 403, ProblemCode::Forbidden).await;
    let r = revoke(admin.clone()).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let revoked: SigningKeyInfo = r.json().await.unwrap();
    assert!(revoked.revoked_at.is_some());
    assert_eq!(revoked.revoked_reason.as_deref(), Some("电脑遗失"));

    // Even a signature made before the revocation.
    let r = p.submit_raw(&jyj, &key(), &req).await;
    expect_problem(r, 422, ProblemCode::SigningKeyRevoked).await;

    // Administrators see it; units do not list everyone's keys.
    let keys: KeyList = p
        .get(&admin, "/keys?user=jyj.fzr")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(keys.keys.len(), 1);
    assert_eq!(keys.keys[0].revoked_reason.as_deref(), Some("电脑遗失"));
    let r = p.get(&jyj, "/keys").await;
    expect_problem(r, 403, ProblemCode::Forbidden).await;
    let r = p
        .client
        .post(p.url("/keys/ffffffffffffffffffffffffffffffff/revoke"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    expect_problem(r, 404, ProblemCode::NotFound).await;
}
