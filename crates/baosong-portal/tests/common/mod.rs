//! A real portal on 127.0.0.1:0 with a fresh database in a temporary
//! directory, talked to over HTTP with reqwest.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use baosong_api::{
    CheckReport, ItemMetadata, Me, Problem, ProblemCode, Role, Submission, SubmissionRequest,
    TokenResponse, content_hash, signing,
};
use baosong_portal::config::PasswordParams;
use baosong_portal::db::Db;
use baosong_portal::db::columns::{self, NewColumn};
use baosong_portal::db::users::{self, NewUser};
use baosong_portal::{Config, RateLimits, RunningServer, secrets};
use ed25519_dalek::SigningKey;
use reqwest::{Client, Response, StatusCode};
use uuid::Uuid;

pub const PASSWORD: &str = "正确的密码 correct horse";

/// Units: 市教育局 (sjyj) and 市卫生健康委员会 (swjw).
/// Users: jyj.xxy / jyj.fzr (sjyj), wjw.xxy / wjw.fzr (swjw), editor, admin.
/// The heads jyj.fzr and wjw.fzr have a registered signing key each
/// ([`Portal::head_key`]); [`Portal::submit`] signs with them.
pub struct Portal {
    pub server: Option<RunningServer>,
    pub base: String,
    pub client: Client,
    pub dir: tempfile::TempDir,
    /// unit id → (head's username, their registered key)
    pub heads: HashMap<String, (String, SigningKey)>,
    /// access token → the caller's unit id (None: no unit)
    units: Mutex<HashMap<String, Option<String>>>,
}

/// A fresh Ed25519 key.
pub fn new_key() -> SigningKey {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).unwrap();
    SigningKey::from_bytes(&seed)
}

/// `req` signed off by `signer` with `key`, now, with the default opinion.
pub fn signed(req: &SubmissionRequest, key: &SigningKey, signer: &str) -> SubmissionRequest {
    signed_at(req, key, signer, chrono::Utc::now())
}

pub fn signed_at(
    req: &SubmissionRequest,
    key: &SigningKey,
    signer: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> SubmissionRequest {
    let mut req = req.clone();
    req.signoff = None;
    let signoff = signing::sign(&req, key, signer, at, signing::DEFAULT_OPINION);
    req.signoff = Some(signoff);
    req
}

impl Portal {
    pub async fn start() -> Portal {
        Portal::start_with(|_| {}).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> Portal {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portal.sqlite3");
        let mut config = Config::new(&path, "127.0.0.1:0".parse().unwrap());
        config.rate_limits = RateLimits::off();
        config.password = PasswordParams::insecure_fast();
        config.sse_keep_alive = Duration::from_secs(1);
        adjust(&mut config);
        seed(&Db::open(&path, false).unwrap(), config.password);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = RunningServer::start_on(listener, config).await.unwrap();
        let mut p = Portal {
            base: server.base_url(),
            server: Some(server),
            client: Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            dir,
            heads: HashMap::new(),
            units: Mutex::new(HashMap::new()),
        };
        for (unit, head) in [("sjyj", "jyj.fzr"), ("swjw", "wjw.fzr")] {
            let key = new_key();
            let token = p.token(head).await;
            let r = p.register_key(&token, &key).await;
            assert_eq!(r.status(), StatusCode::CREATED, "register {head}'s key");
            p.heads.insert(unit.to_string(), (head.to_string(), key));
        }
        p
    }

    /// `POST /me/keys` with `key`'s public key.
    pub async fn register_key(&self, token: &str, key: &SigningKey) -> Response {
        self.client
            .post(self.url("/me/keys"))
            .bearer_auth(token)
            .json(&serde_json::json!({
                "public_key": signing::public_key_hex(&key.verifying_key()),
                "label": "测试",
            }))
            .send()
            .await
            .unwrap()
    }

    /// The registered key of `unit_id`'s head, and the head's username.
    pub fn head_key(&self, unit_id: &str) -> (&str, &SigningKey) {
        let (name, key) = &self.heads[unit_id];
        (name, key)
    }

    /// `req` signed by the head of the unit of whoever `token` belongs to.
    pub async fn sign_for(&self, token: &str, req: &SubmissionRequest) -> SubmissionRequest {
        let cached = self.units.lock().unwrap().get(token).cloned();
        let unit = match cached {
            Some(u) => u,
            None => {
                let me: Me = self.get(token, "/me").await.json().await.unwrap();
                let u = me.unit.map(|u| u.id);
                self.units
                    .lock()
                    .unwrap()
                    .insert(token.to_string(), u.clone());
                u
            }
        };
        // Portal roles have no unit (and are refused anyway): sign as 市教育局.
        let (head, key) = self.head_key(unit.as_deref().unwrap_or("sjyj"));
        signed(req, key, head)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    pub fn db(&self) -> &std::sync::Arc<Db> {
        self.server.as_ref().unwrap().db()
    }

    /// How often the change-feed page cache answered.
    pub fn feed_cache_stats(&self) -> baosong_portal::api::feed_cache::FeedCacheStats {
        self.server.as_ref().unwrap().feed_cache_stats()
    }

    /// (submissions, revisions, status changes, idempotency keys)
    pub fn counts(&self) -> (i64, i64, i64, i64) {
        self.db()
            .read(|c| {
                Ok(c.query_row(
                    "SELECT (SELECT COUNT(*) FROM submissions), (SELECT COUNT(*) FROM submission_revisions),
                            (SELECT COUNT(*) FROM status_changes), (SELECT COUNT(*) FROM idempotency_keys)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?)
            })
            .unwrap()
    }

    pub async fn login(&self, username: &str) -> TokenResponse {
        let r = self
            .client
            .post(self.url("/auth/token"))
            .json(&serde_json::json!({"username": username, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "login {username}");
        r.json().await.unwrap()
    }

    pub async fn token(&self, username: &str) -> String {
        self.login(username).await.access_token
    }

    /// `POST /submissions`; an unsigned `req` is first signed off by the
    /// head of the caller's unit (use [`Portal::submit_raw`] to send it as it is).
    pub async fn submit(&self, token: &str, key: &str, req: &SubmissionRequest) -> Response {
        let req = if req.signoff.is_none() {
            self.sign_for(token, req).await
        } else {
            req.clone()
        };
        self.submit_raw(token, key, &req).await
    }

    /// `POST /submissions` with `req` exactly as given.
    pub async fn submit_raw(&self, token: &str, key: &str, req: &SubmissionRequest) -> Response {
        self.client
            .post(self.url("/submissions"))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(req)
            .send()
            .await
            .unwrap()
    }

    /// Submits and expects 201.
    pub async fn submit_new(&self, token: &str, req: &SubmissionRequest) -> Submission {
        let r = self.submit(token, &Uuid::now_v7().to_string(), req).await;
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{}",
            r.text().await.unwrap()
        );
        r.json().await.unwrap()
    }

    pub async fn decide(&self, token: &str, id: Uuid, body: serde_json::Value) -> Response {
        self.client
            .post(self.url(&format!("/submissions/{id}/decision")))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, token: &str, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn stop(mut self) {
        if let Some(s) = self.server.take() {
            s.shutdown().await.unwrap();
        }
    }
}

fn seed(db: &Db, params: PasswordParams) {
    let hash = secrets::hash_password(PASSWORD, params).unwrap();
    db.write(move |w| {
        users::add_unit(w, "sjyj", "市教育局")?;
        users::add_unit(w, "swjw", "市卫生健康委员会")?;
        for (id, name, units) in [
            ("bmdt", "部门动态", &["sjyj", "swjw"][..]),
            ("tzgg", "通知公告", &["sjyj"][..]),
        ] {
            columns::add_column(
                w,
                &NewColumn {
                    id,
                    name,
                    path: &format!("/xxgk/{id}/"),
                    kind: if id == "bmdt" {
                        baosong_api::ColumnKind::News
                    } else {
                        baosong_api::ColumnKind::Notice
                    },
                    cadence_days: Some(if id == "bmdt" { 14 } else { 180 }),
                    units,
                },
            )?;
        }
        for (username, name, role, unit) in [
            ("jyj.xxy", "张敏", Role::LiaisonOfficer, Some("sjyj")),
            ("jyj.fzr", "李建国", Role::UnitHead, Some("sjyj")),
            ("wjw.xxy", "王芳", Role::LiaisonOfficer, Some("swjw")),
            ("wjw.fzr", "陈刚", Role::UnitHead, Some("swjw")),
            ("editor", "周静", Role::PortalEditor, None),
            ("admin", "管理员", Role::Admin, None),
        ] {
            users::add_user(
                w,
                &NewUser {
                    username,
                    display_name: name,
                    role,
                    unit_id: unit,
                    password_hash: &hash,
                },
            )?;
        }
        Ok(())
    })
    .unwrap();
}

/// A valid submission of about `body_chars` characters of body.
pub fn request(title: &str) -> SubmissionRequest {
    request_sized(title, 200)
}

pub fn request_sized(title: &str, body_chars: usize) -> SubmissionRequest {
    let item = ItemMetadata {
        title: title.to_string(),
        column_id: "bmdt".to_string(),
        summary: "市教育局召开会议，部署秋季学期校园安全工作。".to_string(),
        author: "张敏".to_string(),
        author_phone: "0710-1234567".to_string(),
        source_unit: "市教育局".to_string(),
        keywords: vec!["安全".to_string(), "教育".to_string()],
        ..Default::default()
    };
    let para = "会议强调，要压实校园安全责任，做好开学前隐患排查。";
    let mut body = String::new();
    while body.chars().count() < body_chars {
        body.push_str(para);
        body.push_str("\n\n");
    }
    let html = body
        .split("\n\n")
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{p}</p>"))
        .collect::<String>();
    rehash(SubmissionRequest {
        client_item_id: Uuid::now_v7(),
        client_revision: Some(1),
        item,
        body_markdown: body,
        body_html: html,
        content_hash: String::new(),
        check: CheckReport::default(),
        attachments: Vec::new(),
        signoff: None,
    })
}

/// Sets the content hash to match the content.
pub fn rehash(mut req: SubmissionRequest) -> SubmissionRequest {
    req.content_hash = content_hash(&req.item, &req.body_markdown, &req.body_html);
    req
}

/// Asserts an RFC 9457 answer with this status and code.
pub async fn expect_problem(r: Response, status: u16, code: ProblemCode) -> Problem {
    assert_eq!(r.status().as_u16(), status, "status of {}", r.url());
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    assert_eq!(ct.as_deref(), Some("application/problem+json"));
    let p: Problem = r.json().await.unwrap();
    assert_eq!(p.code, code, "{p:?}");
    assert_eq!(p.status, status);
    assert!(!p.detail.is_empty() && !p.detail_en.is_empty());
    assert_eq!(p.type_uri, format!("urn:baosong:problem:{}", code.code()));
    p
}
