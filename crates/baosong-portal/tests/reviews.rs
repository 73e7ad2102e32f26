//! The unit review queue (送审 / 签发 / 退回修改) over HTTP: who sees what,
//! decisions, cancelling, the cursor, and live `review_change` events.

mod common;

use std::pin::Pin;
use std::time::Duration;

use baosong_api::{
    ProblemCode, Review, ReviewAction, ReviewChange, ReviewPage, ReviewStatus, Submission,
    SubmissionRequest, signing,
};
use common::{Portal, expect_problem, new_key, request, signed};
use futures_util::{Stream, StreamExt};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

fn review_body(title: &str) -> Value {
    json!({
        "id": Uuid::now_v7(),
        "submission": request(title),
        "note": "请审核",
    })
}

async fn send(p: &Portal, token: &str, body: &Value) -> Response {
    p.client
        .post(p.url("/reviews"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn send_new(p: &Portal, token: &str, title: &str) -> Review {
    let r = send(p, token, &review_body(title)).await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    r.json().await.unwrap()
}

async fn post(p: &Portal, token: &str, path: &str, body: Option<Value>) -> Response {
    let mut b = p.client.post(p.url(path)).bearer_auth(token);
    if let Some(body) = body {
        b = b.json(&body);
    }
    b.send().await.unwrap()
}

async fn decide(p: &Portal, token: &str, id: Uuid, body: Value) -> Response {
    post(p, token, &format!("/reviews/{id}/decision"), Some(body)).await
}

async fn page(p: &Portal, token: &str, query: &str) -> ReviewPage {
    let r = p.get(token, &format!("/reviews{query}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

fn ids(page: &ReviewPage) -> Vec<Uuid> {
    page.reviews.iter().map(|r| r.id).collect()
}

/// The sign-off decision body the head's client sends for `review`.
fn signoff_decision(p: &Portal, review: &Review, opinion: &str) -> Value {
    let (head, key) = p.head_key("sjyj");
    let s = signing::sign(&review.submission, key, head, chrono::Utc::now(), opinion);
    json!({"action": "sign_off", "opinion": opinion, "signoff": s})
}

#[tokio::test]
async fn only_the_unit_sees_its_queue() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let fzr = p.token("jyj.fzr").await;
    let wjw = p.token("wjw.xxy").await;
    let wjw_fzr = p.token("wjw.fzr").await;
    let editor = p.token("editor").await;
    let admin = p.token("admin").await;

    let mine = send_new(&p, &jyj, "教育局送审").await;
    let theirs = send_new(&p, &wjw, "卫健委送审").await;
    let heads_own = send_new(&p, &fzr, "负责人自己送审").await;
    assert_eq!(mine.status, ReviewStatus::Pending);
    assert_eq!(mine.from.username, "jyj.xxy");
    assert_eq!(mine.unit.id, "sjyj");

    // The head sees the whole unit's queue, nothing of other units.
    assert_eq!(ids(&page(&p, &fzr, "").await), vec![mine.id, heads_own.id]);
    assert_eq!(ids(&page(&p, &wjw_fzr, "").await), vec![theirs.id]);
    // A liaison officer sees what they sent.
    assert_eq!(ids(&page(&p, &jyj, "").await), vec![mine.id]);
    assert_eq!(ids(&page(&p, &wjw, "").await), vec![theirs.id]);
    // Portal roles see none of it.
    for token in [&editor, &admin] {
        expect_problem(p.get(token, "/reviews").await, 403, ProblemCode::Forbidden).await;
        let r = p.get(token, &format!("/reviews/{}", mine.id)).await;
        expect_problem(r, 404, ProblemCode::NotFound).await;
    }
    // One by one, the same rules.
    let r = p.get(&fzr, &format!("/reviews/{}", mine.id)).await;
    assert_eq!(r.json::<Review>().await.unwrap(), mine);
    for (token, id) in [(&wjw_fzr, mine.id), (&jyj, heads_own.id), (&jyj, theirs.id)] {
        let r = p.get(token, &format!("/reviews/{id}")).await;
        expect_problem(r, 404, ProblemCode::NotFound).await;
    }
}

#[tokio::test]
async fn sending_checks_the_item_and_is_idempotent() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let editor = p.token("editor").await;
    let body = review_body("送审稿");
    let first = send(&p, &jyj, &body).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Review = first.json().await.unwrap();
    let again = send(&p, &jyj, &body).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Review>().await.unwrap(), first);
    // The same id with another body.
    let mut other = body.clone();
    other["note"] = json!("改了附言");
    expect_problem(
        send(&p, &jyj, &other).await,
        409,
        ProblemCode::ReviewIdInUse,
    )
    .await;

    // Already signed: not for the queue.
    let (head, key) = p.head_key("sjyj");
    let mut b = review_body("已签发");
    let req: SubmissionRequest = serde_json::from_value(b["submission"].clone()).unwrap();
    b["submission"] = serde_json::to_value(signed(&req, key, head)).unwrap();
    let r = send(&p, &jyj, &b).await;
    let problem = expect_problem(r, 422, ProblemCode::ValidationFailed).await;
    assert_eq!(problem.field.as_deref(), Some("submission.signoff"));
    // Content that does not match its hash.
    let mut b = review_body("哈希不符");
    b["submission"]["body_markdown"] = json!("别的正文");
    expect_problem(
        send(&p, &jyj, &b).await,
        422,
        ProblemCode::ContentHashMismatch,
    )
    .await;
    // `to` must be a head of the unit.
    let mut b = review_body("指定签发人");
    b["to"] = json!("wjw.fzr");
    let problem =
        expect_problem(send(&p, &jyj, &b).await, 422, ProblemCode::ValidationFailed).await;
    assert_eq!(problem.field.as_deref(), Some("to"));
    b["to"] = json!("jyj.fzr");
    let r = send(&p, &jyj, &b).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(
        r.json::<Review>().await.unwrap().to.unwrap().display_name,
        "李建国"
    );
    // Portal editors do not send.
    expect_problem(
        send(&p, &editor, &review_body("编辑")).await,
        403,
        ProblemCode::Forbidden,
    )
    .await;
}

#[tokio::test]
async fn a_head_signs_off_and_the_author_submits_with_that_signature() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let fzr = p.token("jyj.fzr").await;
    let wjw_fzr = p.token("wjw.fzr").await;
    let review = send_new(&p, &jyj, "请签发").await;
    let path = format!("/reviews/{}/decision", review.id);

    // Only a head of the unit decides.
    let good = signoff_decision(&p, &review, "同意报送");
    expect_problem(
        decide(&p, &jyj, review.id, good.clone()).await,
        403,
        ProblemCode::Forbidden,
    )
    .await;
    expect_problem(
        decide(&p, &wjw_fzr, review.id, good.clone()).await,
        404,
        ProblemCode::NotFound,
    )
    .await;

    // The opinion must be the one signed; the signature must be there and
    // verify over the review's submission; the key must be the head's.
    let mut wrong = good.clone();
    wrong["opinion"] = json!("同意");
    let problem = expect_problem(
        decide(&p, &fzr, review.id, wrong).await,
        422,
        ProblemCode::ValidationFailed,
    )
    .await;
    assert_eq!(problem.field.as_deref(), Some("opinion"));
    let r = decide(
        &p,
        &fzr,
        review.id,
        json!({"action": "sign_off", "opinion": "同意报送"}),
    )
    .await;
    expect_problem(r, 422, ProblemCode::SignoffMissing).await;
    let (head, key) = p.head_key("sjyj");
    let other = signing::sign(
        &request("别的稿件"),
        key,
        head,
        chrono::Utc::now(),
        "同意报送",
    );
    let r = decide(
        &p,
        &fzr,
        review.id,
        json!({"action": "sign_off", "opinion": "同意报送", "signoff": other}),
    )
    .await;
    expect_problem(r, 422, ProblemCode::SignatureInvalid).await;
    let stranger = signing::sign(
        &review.submission,
        &new_key(),
        head,
        chrono::Utc::now(),
        "同意报送",
    );
    let r = decide(
        &p,
        &fzr,
        review.id,
        json!({"action": "sign_off", "opinion": "同意报送", "signoff": stranger}),
    )
    .await;
    expect_problem(r, 422, ProblemCode::SigningKeyUnknown).await;

    let r = post(&p, &fzr, &path, Some(good.clone())).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let decided: Review = r.json().await.unwrap();
    assert_eq!(decided.status, ReviewStatus::SignedOff);
    let d = decided.decision.clone().unwrap();
    assert_eq!(d.action, ReviewAction::SignOff);
    assert_eq!(d.by.username, "jyj.fzr");
    assert_eq!(d.opinion, "同意报送");
    assert_eq!(
        d.public_key.as_deref(),
        Some(signing::public_key_hex(&key.verifying_key()).as_str())
    );

    // A second decision, or cancelling now: 409.
    let r = decide(
        &p,
        &fzr,
        review.id,
        json!({"action": "return", "opinion": "再看看"}),
    )
    .await;
    expect_problem(r, 409, ProblemCode::InvalidTransition).await;
    let r = post(&p, &jyj, &format!("/reviews/{}/cancel", review.id), None).await;
    expect_problem(r, 409, ProblemCode::InvalidTransition).await;

    // The author gets the decision and submits with the head's signature.
    let seen = page(&p, &jyj, "").await;
    assert_eq!(seen.reviews, vec![decided.clone()]);
    let mut req = decided.submission.clone();
    req.signoff = d.signoff.clone();
    let r = p.submit_raw(&jyj, &Uuid::now_v7().to_string(), &req).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let sub: Submission = r.json().await.unwrap();
    assert_eq!(sub.signed_by.unwrap().display_name, "李建国");
}

#[tokio::test]
async fn a_head_returns_with_a_reason_or_comments() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let fzr = p.token("jyj.fzr").await;
    let review = send_new(&p, &jyj, "请审核").await;
    let r = decide(&p, &fzr, review.id, json!({"action": "return"})).await;
    expect_problem(r, 422, ProblemCode::ValidationFailed).await;
    let r = decide(
        &p,
        &fzr,
        review.id,
        json!({"action": "return", "comments": [
            {"anchor": {"field": "title", "start": 0, "end": 2, "quote": "请审"}, "text": "标题太笼统"}
        ]}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let returned: Review = r.json().await.unwrap();
    assert_eq!(returned.status, ReviewStatus::Returned);
    let d = returned.decision.unwrap();
    assert_eq!(d.action, ReviewAction::Return);
    assert_eq!(d.comments[0].text, "标题太笼统");
    assert_eq!(d.signoff, None);
    assert_eq!(d.public_key, None);
    let r = decide(
        &p,
        &fzr,
        review.id,
        signoff_decision(&p, &review, "同意报送"),
    )
    .await;
    expect_problem(r, 409, ProblemCode::InvalidTransition).await;
}

#[tokio::test]
async fn the_sender_cancels_while_pending() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let fzr = p.token("jyj.fzr").await;
    let review = send_new(&p, &jyj, "撤回").await;
    let path = format!("/reviews/{}/cancel", review.id);
    expect_problem(
        post(&p, &fzr, &path, None).await,
        403,
        ProblemCode::Forbidden,
    )
    .await;
    let r = post(&p, &jyj, &path, None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.json::<Review>().await.unwrap().status,
        ReviewStatus::Cancelled
    );
    expect_problem(
        post(&p, &jyj, &path, None).await,
        409,
        ProblemCode::InvalidTransition,
    )
    .await;
    let r = decide(
        &p,
        &fzr,
        review.id,
        signoff_decision(&p, &review, "同意报送"),
    )
    .await;
    expect_problem(r, 409, ProblemCode::InvalidTransition).await;
}

#[tokio::test]
async fn the_cursor_pages_through_changes_oldest_first() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let fzr = p.token("jyj.fzr").await;
    let mut sent = Vec::new();
    for i in 0..5 {
        sent.push(send_new(&p, &jyj, &format!("送审{i}")).await.id);
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut more = Vec::new();
    loop {
        let q = match &cursor {
            Some(c) => format!("?limit=2&since={c}"),
            None => "?limit=2".into(),
        };
        let pg = page(&p, &fzr, &q).await;
        seen.extend(ids(&pg));
        more.push(pg.has_more);
        cursor = Some(pg.next_cursor);
        if !*more.last().unwrap() {
            break;
        }
    }
    assert_eq!(seen, sent);
    assert_eq!(more, vec![true, true, false]);
    // Nothing new: an empty page with the same cursor.
    let c = cursor.unwrap();
    let pg = page(&p, &fzr, &format!("?since={c}")).await;
    assert!(pg.reviews.is_empty() && !pg.has_more);
    assert_eq!(pg.next_cursor, c);
    // A decision moves the review to the end of the feed.
    let r = decide(
        &p,
        &fzr,
        sent[1],
        json!({"action": "return", "opinion": "请补充"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let pg = page(&p, &fzr, &format!("?since={c}")).await;
    assert_eq!(ids(&pg), vec![sent[1]]);
    assert_eq!(pg.reviews[0].status, ReviewStatus::Returned);
    // Cursors are the portal's own.
    for bad in ["?since=c1", "?since=rzz", "?limit=0", "?limit=501"] {
        let r = p.get(&fzr, &format!("/reviews{bad}")).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
}

/// The `review_change` events of one `/events` stream.
struct Events(
    Pin<Box<dyn Stream<Item = reqwest::Result<axum::body::Bytes>> + Send>>,
    String,
);

impl Events {
    async fn connect(p: &Portal, token: &str) -> Events {
        let r = p.get(token, "/events").await;
        assert_eq!(r.status(), StatusCode::OK);
        Events(Box::pin(r.bytes_stream()), String::new())
    }

    /// The next `review_change` within `wait`.
    async fn next(&mut self, wait: Duration) -> Option<ReviewChange> {
        let fut = async {
            loop {
                while let Some(end) = self.1.find("\n\n") {
                    let block: String = self.1.drain(..end + 2).collect();
                    if block.lines().any(|l| l == "event: review_change") {
                        let data: String = block
                            .lines()
                            .filter_map(|l| l.strip_prefix("data: "))
                            .collect();
                        return serde_json::from_str(&data).unwrap();
                    }
                }
                let chunk = self.0.next().await.expect("stream ended").unwrap();
                self.1.push_str(std::str::from_utf8(&chunk).unwrap());
            }
        };
        tokio::time::timeout(wait, fut).await.ok()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_changes_reach_the_heads_and_the_sender_only() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let fzr = p.token("jyj.fzr").await;
    let wjw_fzr = p.token("wjw.fzr").await;
    let editor = p.token("editor").await;
    let mut head = Events::connect(&p, &fzr).await;
    let mut sender = Events::connect(&p, &jyj).await;
    let mut other = Events::connect(&p, &wjw_fzr).await;
    let mut portal = Events::connect(&p, &editor).await;

    let review = send_new(&p, &jyj, "实时送审").await;
    let ev = head
        .next(Duration::from_secs(10))
        .await
        .expect("head hears of it");
    assert_eq!(
        (ev.review_id, ev.status),
        (review.id, ReviewStatus::Pending)
    );
    let r = decide(
        &p,
        &fzr,
        review.id,
        json!({"action": "return", "opinion": "请修改"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let first = sender.next(Duration::from_secs(10)).await.unwrap();
    assert_eq!(first.status, ReviewStatus::Pending);
    let second = sender.next(Duration::from_secs(10)).await.unwrap();
    assert_eq!(second.status, ReviewStatus::Returned);
    assert_eq!(second.by.username, "jyj.fzr");
    // The cursor is a GET /reviews cursor.
    let pg = page(&p, &jyj, &format!("?since={}", first.cursor)).await;
    assert_eq!(ids(&pg), vec![review.id]);
    // Other units and portal editors hear nothing.
    assert!(other.next(Duration::from_millis(1500)).await.is_none());
    assert!(portal.next(Duration::from_millis(200)).await.is_none());
}
