//! Submitting, idempotency, permissions and the decision workflow, over real
//! HTTP.

mod common;

use std::sync::Arc;

use baosong_api::{
    ColumnList, Finding, FindingDecision, FindingDecisionKind, ProblemCode, Severity, Submission,
    SubmissionStatus,
};
use common::{Portal, expect_problem, rehash, request};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn the_same_key_twice_makes_one_submission() {
    let p = Portal::start().await;
    let t = p.token("jyj.xxy").await;
    // Signed once: a retry sends the very same body.
    let req = p
        .sign_for(&t, &request("市教育局召开2026年秋季学期安全工作会议"))
        .await;
    let key = Uuid::now_v7().to_string();

    let r = p.submit(&t, &key, &req).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.headers()["etag"], "\"r1\"");
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(r.headers().get("idempotent-replayed").is_none());
    let first: Submission = r.json().await.unwrap();
    assert_eq!(location, format!("/api/v1/submissions/{}", first.id));
    assert_eq!(first.status, SubmissionStatus::Received);
    assert_eq!(first.revision, 1);
    assert_eq!(first.client_item_id, req.client_item_id);
    assert_eq!(first.unit.name, "市教育局");
    assert_eq!(first.submitted_by.username, "jyj.xxy");
    assert_eq!(first.history.len(), 1);
    assert_eq!(first.history[0].by.display_name, "张敏");

    let r = p.submit(&t, &key, &req).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["idempotent-replayed"], "true");
    let again: Submission = r.json().await.unwrap();
    assert_eq!(again, first);
    assert_eq!(p.counts(), (1, 1, 1, 1));

    // GET answers the same.
    let got: Submission = p
        .get(&t, &format!("/submissions/{}", first.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got, first);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_duplicates_create_exactly_one() {
    let p = Arc::new(Portal::start().await);
    let t = p.token("jyj.xxy").await;
    let req = p.sign_for(&t, &request_big()).await;
    let key = Uuid::now_v7().to_string();
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (p, t, req, key) = (p.clone(), t.clone(), req.clone(), key.clone());
        tasks.push(tokio::spawn(async move {
            let r = p.submit(&t, &key, &req).await;
            let status = r.status();
            let sub: Submission = r.json().await.unwrap();
            (status, sub.id)
        }));
    }
    let mut created = 0;
    let mut ids = std::collections::BTreeSet::new();
    for task in tasks {
        let (status, id) = task.await.unwrap();
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::OK => {}
            other => panic!("unexpected {other}"),
        }
        ids.insert(id);
    }
    assert_eq!(created, 1);
    assert_eq!(ids.len(), 1);
    assert_eq!(p.counts(), (1, 1, 1, 1));
}

fn request_big() -> baosong_api::SubmissionRequest {
    common::request_sized("二十千字节的稿件", 7000)
}

#[tokio::test]
async fn a_key_reused_for_another_body_is_refused() {
    let p = Portal::start().await;
    let t = p.token("jyj.xxy").await;
    let key = "key-1";
    p.submit(&t, key, &request("第一篇")).await;
    let r = p.submit(&t, key, &request("第二篇")).await;
    let problem = expect_problem(r, 422, ProblemCode::IdempotencyKeyReused).await;
    assert_eq!(problem.field.as_deref(), Some("Idempotency-Key"));
    assert_eq!(p.counts(), (1, 1, 1, 1));
    // Keys belong to the user: another user may use the same one.
    let other = p.token("jyj.fzr").await;
    assert_eq!(
        p.submit(&other, key, &request("第二篇")).await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn the_key_is_required_and_checked() {
    let p = Portal::start().await;
    let t = p.token("jyj.xxy").await;
    let r = p
        .client
        .post(p.url("/submissions"))
        .bearer_auth(&t)
        .json(&request("标题"))
        .send()
        .await
        .unwrap();
    expect_problem(r, 400, ProblemCode::IdempotencyKeyMissing).await;
    let r = p.submit(&t, "has space", &request("标题")).await;
    expect_problem(r, 400, ProblemCode::IdempotencyKeyInvalid).await;
    assert_eq!(p.counts().0, 0);
}

#[tokio::test]
async fn content_is_checked_on_receipt() {
    let p = Portal::start().await;
    let t = p.token("jyj.xxy").await;

    let mut tampered = request("标题");
    tampered.body_markdown.push_str("签发后偷偷加的一句。");
    let r = p.submit(&t, "k1", &tampered).await;
    expect_problem(r, 422, ProblemCode::ContentHashMismatch).await;

    let mut unknown = request("标题");
    unknown.item.column_id = "nope".into();
    let r = p.submit(&t, "k2", &rehash(unknown)).await;
    expect_problem(r, 422, ProblemCode::UnknownColumn).await;

    let mut empty = request("   ");
    empty.item.disclosure.kind = baosong_api::DisclosureKind::Withheld;
    let r = p.submit(&t, "k3", &rehash(empty)).await;
    let problem = expect_problem(r, 422, ProblemCode::ValidationFailed).await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["item.title", "item.disclosure.withheld_reason"]);

    // A blocker nobody fixed (涉密不上网).
    let mut blocked = request("标题");
    blocked.check.findings = vec![Finding {
        rule_id: "secrecy.classification_mark".into(),
        severity: Severity::Blocker,
        excerpt: "机密★10年".into(),
        field: "body".into(),
        decision: Some(FindingDecision {
            kind: FindingDecisionKind::Waived,
            reason: "领导说可以".into(),
            by: "jyj.fzr".into(),
            at: chrono::Utc::now(),
        }),
    }];
    blocked.check.summary = baosong_api::CheckSummary::of(&blocked.check.findings);
    let r = p.submit(&t, "k4", &blocked).await;
    expect_problem(r, 422, ProblemCode::UnresolvedFinding).await;

    // Fixed blockers and waived errors with a reason are fine, and kept.
    let mut ok = blocked.clone();
    if let Some(d) = ok.check.findings[0].decision.as_mut() {
        d.kind = FindingDecisionKind::Fixed;
    }
    ok.check.findings.push(Finding {
        rule_id: "wording.half_width_punctuation".into(),
        severity: Severity::Error,
        excerpt: "会议,强调".into(),
        field: "body".into(),
        decision: Some(FindingDecision {
            kind: FindingDecisionKind::Waived,
            reason: "引用原文".into(),
            by: "jyj.xxy".into(),
            at: chrono::Utc::now(),
        }),
    });
    ok.check.summary = baosong_api::CheckSummary::of(&ok.check.findings);
    let sub = p.submit_new(&t, &ok).await;
    assert_eq!(sub.check, ok.check);
    assert_eq!(p.counts().0, 1);

    // The portal's own check found nothing in this clean text.
    let findings: String = p
        .db()
        .read(|c| {
            Ok(c.query_row(
                "SELECT server_findings FROM submission_revisions",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(findings, "[]");
}

#[tokio::test]
async fn another_units_submission_is_not_found() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let wjw = p.token("wjw.xxy").await;
    let sub = p.submit_new(&jyj, &request("教育局的稿件")).await;
    let path = format!("/submissions/{}", sub.id);

    expect_problem(p.get(&wjw, &path).await, 404, ProblemCode::NotFound).await;
    let r = p
        .client
        .post(p.url(&format!("{path}/withdraw")))
        .bearer_auth(&wjw)
        .send()
        .await
        .unwrap();
    expect_problem(r, 404, ProblemCode::NotFound).await;
    // Same answer as for an id that does not exist at all.
    expect_problem(
        p.get(&wjw, &format!("/submissions/{}", Uuid::now_v7()))
            .await,
        404,
        ProblemCode::NotFound,
    )
    .await;
    // Colleagues in the unit, editors and administrators see it.
    for user in ["jyj.fzr", "editor", "admin"] {
        let t = p.token(user).await;
        assert_eq!(p.get(&t, &path).await.status(), StatusCode::OK, "{user}");
    }
}

#[tokio::test]
async fn only_editors_decide_and_only_units_submit() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let sub = p.submit_new(&jyj, &request("稿件")).await;
    for user in ["jyj.xxy", "jyj.fzr", "admin"] {
        let t = p.token(user).await;
        let r = p.decide(&t, sub.id, json!({"action": "adopt"})).await;
        expect_problem(r, 403, ProblemCode::Forbidden).await;
    }
    let editor = p.token("editor").await;
    let r = p.submit(&editor, "k", &request("编辑不能报送")).await;
    expect_problem(r, 403, ProblemCode::Forbidden).await;
    let sub: Submission = p
        .get(&jyj, &format!("/submissions/{}", sub.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sub.status, SubmissionStatus::Received);
    assert_eq!(p.counts().0, 1);
}

#[tokio::test]
async fn return_then_resubmit_with_if_match() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let editor = p.token("editor").await;
    let req = request("初稿");
    let sub = p.submit_new(&jyj, &req).await;
    let path = format!("/submissions/{}", sub.id);

    // Returning needs a reason.
    let r = p.decide(&editor, sub.id, json!({"action": "return"})).await;
    let problem = expect_problem(r, 422, ProblemCode::ValidationFailed).await;
    assert_eq!(problem.field.as_deref(), Some("reason"));

    // Resubmitting something that was not returned.
    let r = p
        .client
        .put(p.url(&path))
        .bearer_auth(&jyj)
        .header("If-Match", "\"r1\"")
        .json(&p.sign_for(&jyj, &req).await)
        .send()
        .await
        .unwrap();
    expect_problem(r, 409, ProblemCode::InvalidTransition).await;

    let r = p
        .decide(
            &editor,
            sub.id,
            json!({"action": "return", "reason": "请补充参会人员", "comment": "数据来源也请注明"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let returned: Submission = r.json().await.unwrap();
    assert_eq!(returned.status, SubmissionStatus::Returned);
    assert_eq!(returned.returned_reason.as_deref(), Some("请补充参会人员"));
    let last = returned.history.last().unwrap();
    assert_eq!(last.by.username, "editor");
    assert_eq!(last.comment, "数据来源也请注明");
    assert_eq!(last.reason.as_deref(), Some("请补充参会人员"));

    let mut revised = req.clone();
    revised.item.title = "修改稿".into();
    revised.client_revision = Some(2);
    let revised = p.sign_for(&jyj, &rehash(revised)).await;
    let put = |if_match: Option<&'static str>| {
        let mut b = p.client.put(p.url(&path)).bearer_auth(&jyj).json(&revised);
        if let Some(v) = if_match {
            b = b.header("If-Match", v);
        }
        b.send()
    };
    expect_problem(
        put(None).await.unwrap(),
        428,
        ProblemCode::PreconditionRequired,
    )
    .await;
    expect_problem(
        put(Some("\"r7\"")).await.unwrap(),
        412,
        ProblemCode::PreconditionFailed,
    )
    .await;
    let r = put(Some("\"r1\"")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["etag"], "\"r2\"");
    let second: Submission = r.json().await.unwrap();
    assert_eq!(second.revision, 2);
    assert_eq!(second.status, SubmissionStatus::Received);
    assert_eq!(second.item.title, "修改稿");
    assert_eq!(second.returned_reason, None);
    assert_eq!(second.history.len(), 3);
    // The same If-Match again is stale now.
    expect_problem(
        put(Some("\"r1\"")).await.unwrap(),
        412,
        ProblemCode::PreconditionFailed,
    )
    .await;
    assert_eq!(p.counts(), (1, 2, 3, 1));
}

#[tokio::test]
async fn adopt_publish_and_the_column_knows() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let editor = p.token("editor").await;
    let sub = p.submit_new(&jyj, &request("稿件")).await;

    let r = p.get(&jyj, "/columns").await;
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let cols: ColumnList = r.json().await.unwrap();
    assert!(cols.columns.iter().all(|c| c.last_updated_at.is_none()));
    let r = p
        .client
        .get(p.url("/columns"))
        .bearer_auth(&jyj)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);

    for action in ["start_review", "adopt"] {
        let r = p.decide(&editor, sub.id, json!({"action": action})).await;
        assert_eq!(r.status(), StatusCode::OK, "{action}");
    }
    let r = p
        .decide(
            &editor,
            sub.id,
            json!({"action": "publish", "public_url": "javascript:alert(1)"}),
        )
        .await;
    expect_problem(r, 422, ProblemCode::ValidationFailed).await;
    let url = "https://www.example.gov.cn/xxgk/bmdt/202609/t20260902_1.html";
    let r = p
        .decide(
            &editor,
            sub.id,
            json!({"action": "publish", "public_url": url}),
        )
        .await;
    let published: Submission = r.json().await.unwrap();
    assert_eq!(published.status, SubmissionStatus::Published);
    assert_eq!(published.public_url.as_deref(), Some(url));
    let statuses: Vec<_> = published.history.iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        [
            SubmissionStatus::Received,
            SubmissionStatus::InReview,
            SubmissionStatus::Adopted,
            SubmissionStatus::Published
        ]
    );

    // Published is final.
    for action in ["adopt", "decline", "start_review"] {
        let r = p.decide(&editor, sub.id, json!({"action": action})).await;
        let problem = expect_problem(r, 409, ProblemCode::InvalidTransition).await;
        assert!(problem.detail.contains("已发布"), "{}", problem.detail);
    }
    let r = p
        .client
        .post(p.url(&format!("/submissions/{}/withdraw", sub.id)))
        .bearer_auth(&jyj)
        .send()
        .await
        .unwrap();
    expect_problem(r, 409, ProblemCode::InvalidTransition).await;

    // The column's last update moved, and with it the ETag.
    let r = p
        .client
        .get(p.url("/columns"))
        .bearer_auth(&jyj)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let cols: ColumnList = r.json().await.unwrap();
    let bmdt = cols.columns.iter().find(|c| c.id == "bmdt").unwrap();
    assert!(bmdt.last_updated_at.is_some());
}

#[tokio::test]
async fn withdraw_with_and_without_a_body() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let a = p.submit_new(&jyj, &request("甲")).await;
    let b = p.submit_new(&jyj, &request("乙")).await;
    let r = p
        .client
        .post(p.url(&format!("/submissions/{}/withdraw", a.id)))
        .bearer_auth(&jyj)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let a: Submission = r.json().await.unwrap();
    assert_eq!(a.status, SubmissionStatus::Withdrawn);
    let r = p
        .client
        .post(p.url(&format!("/submissions/{}/withdraw", b.id)))
        .bearer_auth(&jyj)
        .json(&json!({"comment": "数据有误，撤回修改"}))
        .send()
        .await
        .unwrap();
    let b: Submission = r.json().await.unwrap();
    assert_eq!(b.history.last().unwrap().comment, "数据有误，撤回修改");
    // Editors cannot withdraw for a unit.
    let editor = p.token("editor").await;
    let r = p
        .client
        .post(p.url(&format!("/submissions/{}/withdraw", b.id)))
        .bearer_auth(&editor)
        .send()
        .await
        .unwrap();
    expect_problem(r, 403, ProblemCode::Forbidden).await;
}

#[tokio::test]
async fn the_portal_records_what_its_own_check_finds_without_refusing() {
    let p = Portal::start().await;
    let t = p.token("jyj.xxy").await;
    let mut req = request("低保名单公示");
    req.body_markdown = "经审核，张三（身份证号11010519491231002X）符合条件。\n".into();
    req.body_html = "<p>经审核，张三（身份证号11010519491231002X）符合条件。</p>".into();
    let req = rehash(req);
    // The client reported nothing; the portal accepts and records.
    let sub = p.submit_new(&t, &req).await;
    assert_eq!(sub.status, baosong_api::SubmissionStatus::Received);
    let stored: String = p
        .db()
        .read(|c| {
            Ok(c.query_row(
                "SELECT server_findings FROM submission_revisions",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    let findings: Vec<serde_json::Value> = serde_json::from_str(&stored).unwrap();
    let id = findings
        .iter()
        .find(|f| f["rule_id"] == "pii.resident_id")
        .unwrap_or_else(|| panic!("no pii.resident_id in {stored}"));
    assert_eq!(id["field"], "body");
    assert_eq!(id["reported_by_client"], false);
    assert!(
        ["blocker", "error", "warning"].contains(&id["severity"].as_str().unwrap()),
        "{id}"
    );
    // Stored masked, never in the clear.
    assert!(!stored.contains("11010519491231002X"), "{stored}");
    // Infos are not recorded.
    assert!(findings.iter().all(|f| f["severity"] != "info"), "{stored}");
}
