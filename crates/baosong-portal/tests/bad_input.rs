//! Bad requests get the right 4xx with a problem+json body, and leave the
//! database unchanged.

mod common;

use baosong_api::ProblemCode;
use common::{Portal, expect_problem, request};
use reqwest::StatusCode;

async fn post_raw(
    p: &Portal,
    token: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> reqwest::Response {
    let mut b = p
        .client
        .post(p.url("/submissions"))
        .bearer_auth(token)
        .header("Idempotency-Key", uuid::Uuid::now_v7().to_string())
        .body(body);
    if let Some(ct) = content_type {
        b = b.header("Content-Type", ct);
    }
    b.send().await.unwrap()
}

#[tokio::test]
async fn bad_bodies_are_refused_and_change_nothing() {
    let p = Portal::start().await;
    let t = p.token("jyj.xxy").await;
    p.submit_new(&t, &request("已有的稿件")).await;
    let before = p.counts();
    let good = serde_json::to_vec(&p.sign_for(&t, &request("标题")).await).unwrap();

    // Larger than the 2 MiB limit.
    let mut big = request("很长的稿件");
    big.body_markdown = "长".repeat(800_000);
    let big = serde_json::to_vec(&common::rehash(big)).unwrap();
    assert!(big.len() > 2 * 1024 * 1024);
    expect_problem(
        post_raw(&p, &t, Some("application/json"), big).await,
        413,
        ProblemCode::PayloadTooLarge,
    )
    .await;

    // Cut in half (on a character boundary, so it is still UTF-8).
    let text = String::from_utf8(good.clone()).unwrap();
    let half = text.char_indices().nth(text.chars().count() / 2).unwrap().0;
    let truncated = text.as_bytes()[..half].to_vec();
    expect_problem(
        post_raw(&p, &t, Some("application/json"), truncated).await,
        400,
        ProblemCode::InvalidJson,
    )
    .await;
    expect_problem(
        post_raw(
            &p,
            &t,
            Some("application/json"),
            b"{\"client_item_id\":,}".to_vec(),
        )
        .await,
        400,
        ProblemCode::InvalidJson,
    )
    .await;

    // GBK bytes where UTF-8 is required (市教育局 in GBK).
    let mut gbk = b"{\"title\":\"".to_vec();
    gbk.extend_from_slice(&[0xCA, 0xD0, 0xBD, 0xCC, 0xD3, 0xFD, 0xBE, 0xD6]);
    gbk.extend_from_slice(b"\"}");
    expect_problem(
        post_raw(&p, &t, Some("application/json"), gbk).await,
        400,
        ProblemCode::InvalidUtf8,
    )
    .await;

    // Unknown fields, at the top and nested.
    let mut v: serde_json::Value = serde_json::from_slice(&good).unwrap();
    v["surprise"] = serde_json::json!(true);
    let problem = expect_problem(
        post_raw(
            &p,
            &t,
            Some("application/json"),
            serde_json::to_vec(&v).unwrap(),
        )
        .await,
        422,
        ProblemCode::InvalidBody,
    )
    .await;
    assert!(
        problem.detail_en.contains("surprise"),
        "{}",
        problem.detail_en
    );
    let mut v: serde_json::Value = serde_json::from_slice(&good).unwrap();
    v["item"]["secret_level"] = serde_json::json!("机密");
    expect_problem(
        post_raw(
            &p,
            &t,
            Some("application/json"),
            serde_json::to_vec(&v).unwrap(),
        )
        .await,
        422,
        ProblemCode::InvalidBody,
    )
    .await;
    // A missing field, a wrong type.
    let mut v: serde_json::Value = serde_json::from_slice(&good).unwrap();
    v.as_object_mut().unwrap().remove("body_markdown");
    expect_problem(
        post_raw(
            &p,
            &t,
            Some("application/json"),
            serde_json::to_vec(&v).unwrap(),
        )
        .await,
        422,
        ProblemCode::InvalidBody,
    )
    .await;

    // Wrong or missing content type.
    for ct in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        expect_problem(
            post_raw(&p, &t, ct, good.clone()).await,
            415,
            ProblemCode::UnsupportedMediaType,
        )
        .await;
    }
    // A +json type and a charset parameter are fine.
    let r = post_raw(
        &p,
        &t,
        Some("application/json; charset=utf-8"),
        good.clone(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    let after = p.counts();
    assert_eq!(
        after.0,
        before.0 + 1,
        "only the one good request was stored"
    );
    assert_eq!(after.1, before.1 + 1);
    assert_eq!(p.db().integrity_check().unwrap(), "ok");
}

#[tokio::test]
async fn refused_requests_of_every_kind_are_problems() {
    let p = Portal::start().await;
    let t = p.token("jyj.xxy").await;
    let before = p.counts();

    expect_problem(
        p.get(&t, "/no/such/route").await,
        404,
        ProblemCode::NotFound,
    )
    .await;
    let r = p
        .client
        .get(format!("{}/favicon.ico", p.base))
        .send()
        .await
        .unwrap();
    expect_problem(r, 404, ProblemCode::NotFound).await;

    let r = p
        .client
        .delete(p.url("/submissions"))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert!(r.headers().contains_key("allow"));
    expect_problem(r, 405, ProblemCode::MethodNotAllowed).await;

    expect_problem(
        p.get(&t, "/submissions/not-a-uuid").await,
        400,
        ProblemCode::InvalidParameter,
    )
    .await;

    // Unauthenticated writes are refused before anything is read.
    let r = p
        .client
        .post(p.url("/submissions"))
        .header("Idempotency-Key", "k")
        .json(&request("无令牌"))
        .send()
        .await
        .unwrap();
    expect_problem(r, 401, ProblemCode::Unauthenticated).await;

    // Sign-in with bad bodies.
    let r = p
        .client
        .post(p.url("/auth/token"))
        .header("Content-Type", "application/json")
        .body("{\"username\":\"jyj.xxy\",\"password\":\"x\",\"remember\":true}")
        .send()
        .await
        .unwrap();
    expect_problem(r, 422, ProblemCode::InvalidBody).await;
    let r = p
        .client
        .post(p.url("/auth/token"))
        .body("username=jyj.xxy&password=x")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    expect_problem(r, 415, ProblemCode::UnsupportedMediaType).await;

    assert_eq!(p.counts(), before);
}
