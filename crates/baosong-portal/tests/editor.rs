//! The editor web pages over real HTTP: sign-in, roles, CSRF, sanitising,
//! and a decision taken on the page showing up in the API.

mod common;

use baosong_api::{ChangesPage, Submission, SubmissionStatus};
use common::{PASSWORD, Portal, rehash, request};
use reqwest::{Client, StatusCode, redirect};

/// A browser-like client: no automatic redirects, cookies kept by hand.
struct Browser {
    client: Client,
    base: String,
    cookies: Vec<(String, String)>,
}

fn encode(pairs: &[(&str, &str)]) -> String {
    fn enc(s: &str) -> String {
        let mut out = String::new();
        for b in s.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    out.push(char::from(b))
                }
                _ => out.push_str(&format!("%{b:02X}")),
            }
        }
        out
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The value of `<input type="hidden" name="csrf" value="…">`.
fn csrf_in(html: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let start = html.find(marker).expect("a csrf field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

impl Browser {
    fn new(p: &Portal) -> Browser {
        Browser {
            client: Client::builder()
                .redirect(redirect::Policy::none())
                .build()
                .unwrap(),
            base: p.base.clone(),
            cookies: Vec::new(),
        }
    }

    fn remember(&mut self, r: &reqwest::Response) {
        for v in r.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap();
            let (k, val) = pair.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != k);
            if !val.is_empty() {
                self.cookies.push((k.to_string(), val.to_string()));
            }
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn get(&mut self, path: &str) -> reqwest::Response {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.remember(&r);
        r
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encode(form))
            .send()
            .await
            .unwrap();
        self.remember(&r);
        r
    }

    /// Opens the sign-in page and signs in; returns the answer to the POST.
    async fn login(&mut self, username: &str, password: &str) -> reqwest::Response {
        let page = self.get("/editor/login").await.text().await.unwrap();
        let csrf = csrf_in(&page);
        self.post(
            "/editor/login",
            &[
                ("csrf", &csrf),
                ("username", username),
                ("password", password),
            ],
        )
        .await
    }

    fn has_session(&self) -> bool {
        self.cookies.iter().any(|(k, _)| k == "bs_session")
    }
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn an_editor_signs_in_with_a_safe_cookie_and_strict_headers() {
    let p = Portal::start().await;
    let mut b = Browser::new(&p);

    // Without a session every page leads to the sign-in page.
    let r = b.get("/editor/inbox").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/editor/login");

    let r = b.get("/editor/login").await;
    assert_eq!(r.status(), StatusCode::OK);
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.starts_with("default-src 'self'"), "{csp}");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = r.text().await.unwrap();
    assert!(html.contains("编辑登录"));
    assert!(!html.contains("<script"), "no script on the pages");

    // A wrong password: 401, the form again, no session.
    let r = b.login("editor", "错误的密码").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.text().await.unwrap().contains("用户名或密码不正确"));
    assert!(!b.has_session());

    let r = b.login("editor", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/editor/inbox");
    let set_cookie: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let session = set_cookie
        .iter()
        .find(|c| c.starts_with("bs_session="))
        .expect("a session cookie");
    assert!(session.contains("HttpOnly"), "{session}");
    assert!(session.contains("SameSite=Strict"), "{session}");
    assert!(
        !session.contains("Secure"),
        "plain HTTP on loopback: {session}"
    );
    assert!(b.has_session());

    // Stored only hashed: the cookie's value is nowhere in the database.
    let value = b
        .cookies
        .iter()
        .find(|(k, _)| k == "bs_session")
        .unwrap()
        .1
        .clone();
    let hashed = baosong_portal::secrets::token_hash(&value);
    let (raw, by_hash): (i64, i64) = p
        .db()
        .read(move |c| {
            Ok(c.query_row(
                "SELECT (SELECT COUNT(*) FROM access_tokens WHERE token_hash = ?1),
                        (SELECT COUNT(*) FROM access_tokens WHERE token_hash = ?2)",
                rusqlite::params![value.as_bytes(), &hashed[..]],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!((raw, by_hash), (0, 1));

    let r = b.get("/editor/inbox").await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("稿件收件箱"));
    assert!(html.contains("周静"));

    // The session cookie is not an API token.
    let cookie = b.cookies.iter().find(|(k, _)| k == "bs_session").unwrap();
    let r = p.get(&cookie.1, "/me").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Signing out ends the session.
    let page = b.get("/editor/inbox").await.text().await.unwrap();
    let csrf = csrf_in(&page);
    let old = b.cookie_header();
    let r = b.post("/editor/logout", &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = p
        .client
        .get(format!("{}/editor/inbox", p.base))
        .header("cookie", old)
        .send()
        .await
        .unwrap();
    assert_eq!(r.url().path(), "/editor/login", "followed to sign-in");
}

#[tokio::test]
async fn only_portal_editors_may_sign_in() {
    let p = Portal::start().await;
    for user in ["jyj.xxy", "jyj.fzr", "admin"] {
        let mut b = Browser::new(&p);
        let r = b.login(user, PASSWORD).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{user}");
        assert!(r.text().await.unwrap().contains("只有门户网站编辑"));
        assert!(!b.has_session(), "{user}");
    }
}

#[tokio::test]
async fn posts_without_the_right_csrf_token_are_refused() {
    let p = Portal::start().await;
    let t = p.token("jyj.xxy").await;
    let sub = p.submit_new(&t, &request("待审稿件")).await;
    let decision = format!("/editor/submissions/{}/decision", sub.id);

    // Sign-in without the double-submit cookie, or with another token.
    let mut b = Browser::new(&p);
    let r = b
        .post(
            "/editor/login",
            &[
                ("csrf", "x"),
                ("username", "editor"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let _ = b.get("/editor/login").await;
    let r = b
        .post(
            "/editor/login",
            &[
                ("csrf", "0000"),
                ("username", "editor"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(!b.has_session());

    assert_eq!(
        b.login("editor", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let page = b
        .get(&format!("/editor/submissions/{}", sub.id))
        .await
        .text()
        .await
        .unwrap();
    let csrf = csrf_in(&page);

    // Missing, wrong, and another session's token.
    let mut other = Browser::new(&p);
    other.login("editor", PASSWORD).await;
    let other_csrf = csrf_in(&other.get("/editor/inbox").await.text().await.unwrap());
    assert_ne!(other_csrf, csrf);
    for token in [None, Some("wrong"), Some(other_csrf.as_str())] {
        let mut form = vec![("action", "decline"), ("comment", "")];
        if let Some(t) = token {
            form.push(("csrf", t));
        }
        let r = b.post(&decision, &form).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{token:?}");
        assert!(r.text().await.unwrap().contains("CSRF"));
    }
    // Nothing changed.
    let now: Submission = p
        .get(&t, &format!("/submissions/{}", sub.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now.status, SubmissionStatus::Received);
    assert_eq!(now.history.len(), 1);

    // No session at all: refused too.
    let r = Browser::new(&p)
        .post(&decision, &[("csrf", &csrf), ("action", "decline")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn returning_with_a_reason_on_the_page_reaches_the_unit() {
    let p = Portal::start().await;
    let t = p.token("jyj.xxy").await;
    let mut req = request("关于秋季开学工作的通知");
    req.body_html = format!(
        "{}<script>alert('x')</script><img src=\"https://evil.example/t.png\"><p onclick=\"x()\">联系人身份证号11010519491231002X</p>",
        req.body_html
    );
    req.body_markdown
        .push_str("联系人身份证号11010519491231002X\n");
    let sub = p.submit_new(&t, &rehash(req)).await;

    let mut b = Browser::new(&p);
    b.login("editor", PASSWORD).await;

    // The inbox lists it, filtered by column and status.
    let inbox = b
        .get("/editor/inbox?column=bmdt&status=received")
        .await
        .text()
        .await
        .unwrap();
    assert!(inbox.contains("关于秋季开学工作的通知"), "{inbox}");
    let other = b
        .get("/editor/inbox?column=tzgg")
        .await
        .text()
        .await
        .unwrap();
    assert!(!other.contains("关于秋季开学工作的通知"));
    let r = b.get("/editor/inbox?status=nonsense").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    // The item page: sanitised body, check summaries, server findings, sign-off.
    let page = b
        .get(&format!("/editor/submissions/{}", sub.id))
        .await
        .text()
        .await
        .unwrap();
    let body_start = page.find(r#"id="item-body""#).unwrap();
    let body_end = page[body_start..].find("</article>").unwrap() + body_start;
    let body = &page[body_start..body_end];
    assert!(!body.contains("<script"), "{body}");
    assert!(!body.contains("onclick"), "{body}");
    assert!(!body.contains("evil.example"), "{body}");
    assert!(body.contains("会议强调"));
    assert!(page.contains("pii.resident_id"), "server findings shown");
    // The verified sign-off: who, when, the opinion, the key's fingerprint.
    let signoff = &page[page.find(r#"id="signoff""#).unwrap()..];
    assert!(signoff.contains("签名已验证"), "{signoff}");
    assert!(signoff.contains("李建国（jyj.fzr）"));
    assert!(signoff.contains("同意报送"));
    let s = sub.signoff.as_ref().unwrap();
    assert!(signoff.contains(&baosong_api::signing::fingerprint(&s.key_id)));
    assert!(page.contains("客户端自查"));

    // Return without a reason: refused, nothing changes.
    let csrf = csrf_in(&page);
    let decision = format!("/editor/submissions/{}/decision", sub.id);
    let r = b
        .post(
            &decision,
            &[("csrf", &csrf), ("action", "return"), ("reason", "  ")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("退回必须写明理由"));

    // Return with a reason.
    let reason = "请补充数据来源，并删除个人身份证号。";
    let r = b
        .post(
            &decision,
            &[
                ("csrf", &csrf),
                ("action", "return"),
                ("reason", reason),
                ("comment", "已电话告知"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/editor/submissions/{}", sub.id));
    let page = b
        .get(&format!("/editor/submissions/{}", sub.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"data-status="returned""#));
    assert!(page.contains(reason));

    // The unit sees it through the API and in its change feed.
    let now: Submission = p
        .get(&t, &format!("/submissions/{}", sub.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now.status, SubmissionStatus::Returned);
    assert_eq!(now.returned_reason.as_deref(), Some(reason));
    let feed: ChangesPage = p
        .get(&t, "/submissions/changes")
        .await
        .json()
        .await
        .unwrap();
    let last = feed.changes.last().unwrap();
    assert_eq!(last.submission_id, sub.id);
    assert_eq!(last.status, SubmissionStatus::Returned);
    assert_eq!(last.reason.as_deref(), Some(reason));
    assert_eq!(last.comment, "已电话告知");
    assert_eq!(last.by.username, "editor");

    // A second return is an invalid move: an HTML 409, not a crash.
    let r = b
        .post(
            &decision,
            &[("csrf", &csrf), ("action", "return"), ("reason", "again")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
}
