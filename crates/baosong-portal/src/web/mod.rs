//! The portal editors' web pages (门户编辑工作台) under `/editor`:
//! server-rendered HTML, no JavaScript, no remote content.
//!
//! - `GET/POST /editor/login`, `POST /editor/logout`;
//! - `GET /editor/inbox?column=&status=`: submissions by column and status;
//! - `GET /editor/submissions/{id}`: the item (its HTML sanitised here with
//!   ammonia, never trusted), the client's check report and decisions, the
//!   portal's own findings, the sign-off, the history and the decision forms;
//! - `POST /editor/submissions/{id}/decision`.
//!
//! Security:
//! - only `portal_editor` users may sign in; the session is a token family
//!   with one `bss_…` token stored only as its SHA-256 hash (like API access
//!   tokens, but never accepted as a bearer token), in a cookie that is
//!   `HttpOnly`, `SameSite=Strict`, `Path=/editor`, and `Secure` unless the
//!   portal listens on a loopback address (anywhere else it must sit behind
//!   HTTPS);
//! - every POST carries a CSRF token: after sign-in a synchronizer token
//!   derived from the session token (SHA-256 of a fixed label and the token,
//!   so it is tied to the session and needs no storage); on the sign-in form a
//!   double-submit token (a random `SameSite=Strict` cookie repeated in the
//!   form). A missing or wrong token is `403`;
//! - every page has `Content-Security-Policy: default-src 'self'; …`, no
//!   inline script or style, `Cache-Control: no-store`.

mod pages;

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use baosong_api::{DecisionAction, DecisionRequest, Role, SubmissionStatus};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::api::AppState;
use crate::api::extract::ClientIp;
use crate::checks::{self, ServerFinding};
use crate::db::submissions;
use crate::db::tokens;
use crate::db::users::{Principal, parse_role};
use crate::error::Error;
use crate::secrets::{self, SESSION_PREFIX};
use crate::validate;

pub use pages::sanitize_item_html;

/// The session cookie.
pub const SESSION_COOKIE: &str = "bs_session";
/// The sign-in form's double-submit cookie.
pub const LOGIN_COOKIE: &str = "bs_login";
/// How long an editor stays signed in.
pub const SESSION_TTL: Duration = Duration::from_secs(8 * 3600);
/// Most submissions listed in the inbox.
pub const INBOX_LIMIT: i64 = 200;

const CSP: &str = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The routes of the editor pages (absolute paths).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/editor", get(home))
        .route("/editor/", get(home))
        .route("/editor/login", get(login_page).post(login))
        .route("/editor/logout", post(logout))
        .route("/editor/inbox", get(inbox))
        .route("/editor/submissions/{id}", get(submission))
        .route("/editor/submissions/{id}/decision", post(decide))
        .route("/editor/attachments/{sha256}", get(attachment))
        .route("/editor/static/editor.css", get(stylesheet))
        // The pages name this (empty) icon, so browsers do not ask for
        // /favicon.ico and log a 404.
        .route(
            "/editor/static/favicon.ico",
            get(|| async { StatusCode::NO_CONTENT }),
        )
        .layer(middleware::map_response(security_headers))
}

async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

// --- responses -------------------------------------------------------------

/// An HTML page with a status.
struct Html(StatusCode, String);

impl IntoResponse for Html {
    fn into_response(self) -> Response {
        let mut r = (self.0, self.1).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        r
    }
}

/// What an editor page request can fail with, shown as an HTML page.
#[derive(Debug)]
enum WebError {
    /// No (valid) session: to the sign-in page.
    SignIn,
    /// A refusal with a status and a message for people.
    Refused(StatusCode, String),
    /// Anything else from the portal (problem detail shown, faults logged).
    Portal(Error),
}

impl From<Error> for WebError {
    fn from(e: Error) -> WebError {
        WebError::Portal(e)
    }
}

fn forbidden(msg: &str) -> WebError {
    WebError::Refused(StatusCode::FORBIDDEN, msg.to_string())
}

fn csrf_refused() -> WebError {
    forbidden("表单已失效或来源不明（CSRF 校验未通过）。请返回、刷新页面后重试。")
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::SignIn => redirect("/editor/login"),
            WebError::Refused(status, msg) => {
                Html(status, pages::error_page(status.as_u16(), &msg)).into_response()
            }
            WebError::Portal(e) => {
                let problem = e.to_problem();
                if !matches!(e, Error::Problem(_) | Error::RateLimited(_)) {
                    tracing::error!(error = %e, "editor page failed");
                }
                let mut msg = problem.detail.clone();
                for fe in &problem.errors {
                    msg.push('\n');
                    msg.push_str(&fe.detail);
                }
                let status = StatusCode::from_u16(problem.status)
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                Html(status, pages::error_page(status.as_u16(), &msg)).into_response()
            }
        }
    }
}

type PageResult = std::result::Result<Response, WebError>;

/// `303 See Other` to `to` (after a POST, and to the sign-in page).
fn redirect(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

// --- cookies, sessions, CSRF ------------------------------------------------

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

fn set_cookie(state: &AppState, name: &str, value: &str, max_age: Option<u64>) -> HeaderValue {
    let secure = if state.config.listen.ip().is_loopback() {
        ""
    } else {
        "; Secure"
    };
    let age = max_age
        .map(|s| format!("; Max-Age={s}"))
        .unwrap_or_default();
    let text = format!("{name}={value}; Path=/editor; HttpOnly; SameSite=Strict{secure}{age}");
    // Names and values are ASCII tokens made here.
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The CSRF token of a session: tied to it, not stored.
pub fn csrf_token(session_token: &str) -> String {
    secrets::hex(&Sha256::digest(format!(
        "baosong-editor-csrf-v1\n{session_token}"
    )))
}

/// Equal, in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// A signed-in portal editor.
struct Session {
    who: Principal,
    csrf: String,
}

async fn session(state: &AppState, headers: &HeaderMap) -> std::result::Result<Session, WebError> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Err(WebError::SignIn);
    };
    let valid_shape = token.starts_with(SESSION_PREFIX)
        && token.len() <= 100
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !valid_shape {
        return Err(WebError::SignIn);
    }
    let token = token.to_string();
    let t = token.clone();
    let who = match state.read(move |c| tokens::authenticate(c, &t)).await {
        Ok(who) => who,
        Err(Error::Problem(_)) => return Err(WebError::SignIn),
        Err(e) => return Err(e.into()),
    };
    if who.role != Role::PortalEditor {
        return Err(WebError::SignIn);
    }
    Ok(Session {
        who,
        csrf: csrf_token(&token),
    })
}

/// A session and a POST's CSRF token that belongs to it.
async fn session_for_post(
    state: &AppState,
    headers: &HeaderMap,
    csrf: Option<&str>,
) -> std::result::Result<Session, WebError> {
    let s = match session(state, headers).await {
        Ok(s) => s,
        Err(WebError::SignIn) => {
            return Err(forbidden("登录已失效，请重新登录后再操作。"));
        }
        Err(e) => return Err(e),
    };
    match csrf {
        Some(t) if same(t, &s.csrf) => Ok(s),
        _ => Err(csrf_refused()),
    }
}

// --- handlers ----------------------------------------------------------------

async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match session(&state, &headers).await {
        Ok(_) => redirect("/editor/inbox"),
        Err(e) => e.into_response(),
    }
}

async fn stylesheet() -> Response {
    let mut r = pages::STYLESHEET.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

async fn login_page(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    if session(&state, &headers).await.is_ok() {
        return Ok(redirect("/editor/inbox"));
    }
    login_form(&state, StatusCode::OK, None, "")
}

/// The sign-in form with a fresh double-submit token.
fn login_form(
    state: &AppState,
    status: StatusCode,
    error: Option<&str>,
    username: &str,
) -> PageResult {
    let token = secrets::hex(&secrets::random_bytes::<32>()?);
    let mut r = Html(status, pages::login(&token, error, username)).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(state, LOGIN_COOKIE, &token, Some(3600)),
    );
    Ok(r)
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// The outcome of checking a password.
enum SignIn {
    Ok(i64),
    WrongCredentials,
    NotAnEditor,
}

async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    form: std::result::Result<Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> PageResult {
    let Ok(Form(form)) = form else {
        return Err(WebError::Refused(
            StatusCode::BAD_REQUEST,
            "登录表单内容不正确。".into(),
        ));
    };
    match cookie(&headers, LOGIN_COOKIE) {
        Some(c) if !form.csrf.is_empty() && same(c, &form.csrf) => {}
        _ => return Err(csrf_refused()),
    }
    let username = form.username.trim().to_lowercase();
    state
        .login
        .check((ip, username.clone()))
        .map_err(Error::RateLimited)?;
    if username.is_empty() || username.len() > 64 || form.password.len() > 1024 {
        return login_form(
            &state,
            StatusCode::UNAUTHORIZED,
            Some("用户名或密码不正确。"),
            &form.username,
        );
    }
    let dummy = state.dummy_hash.clone();
    let name = username.clone();
    let password = form.password;
    let outcome = state
        .blocking(move |db| {
            let user = db.read(|c| find_user(c, &name))?;
            let hash = user.as_ref().map_or(dummy.as_str(), |u| u.1.as_str());
            let matches = secrets::verify_password(&password, hash);
            Ok(match user {
                Some((id, _, role, false)) if matches => {
                    if role == Role::PortalEditor {
                        SignIn::Ok(id)
                    } else {
                        SignIn::NotAnEditor
                    }
                }
                _ => SignIn::WrongCredentials,
            })
        })
        .await?;
    let user_id = match outcome {
        SignIn::Ok(id) => id,
        SignIn::WrongCredentials => {
            tracing::info!(username = %username, %ip, "editor sign-in refused");
            return login_form(
                &state,
                StatusCode::UNAUTHORIZED,
                Some("用户名或密码不正确。"),
                &form.username,
            );
        }
        SignIn::NotAnEditor => {
            tracing::info!(username = %username, "editor sign-in refused: not a portal editor");
            return Err(forbidden(
                "只有门户网站编辑可以登录编辑工作台。单位用户请使用宝送客户端报送稿件。",
            ));
        }
    };
    let token = state
        .write(move |w| tokens::start_session(w, user_id, SESSION_TTL))
        .await?;
    tracing::info!(username = %username, "editor signed in");
    let mut r = redirect("/editor/inbox");
    let h = r.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, &token, Some(SESSION_TTL.as_secs())),
    );
    h.append(
        header::SET_COOKIE,
        set_cookie(&state, LOGIN_COOKIE, "", Some(0)),
    );
    Ok(r)
}

/// (id, password hash, role, disabled)
fn find_user(c: &Connection, username: &str) -> crate::Result<Option<(i64, String, Role, bool)>> {
    let row = c
        .prepare_cached("SELECT id, password_hash, role, disabled FROM users WHERE username = ?1")?
        .query_row([username], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
            ))
        })
        .optional()?;
    match row {
        Some((id, hash, role, disabled)) => Ok(Some((id, hash, parse_role(&role)?, disabled))),
        None => Ok(None),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: std::result::Result<Form<CsrfForm>, axum::extract::rejection::FormRejection>,
) -> PageResult {
    let csrf = form.ok().map(|Form(f)| f.csrf);
    let s = session_for_post(&state, &headers, csrf.as_deref()).await?;
    let family = s.who.family_id;
    state.write(move |w| tokens::end_family(w, family)).await?;
    let mut r = redirect("/editor/login");
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", Some(0)),
    );
    Ok(r)
}

/// `?column=&status=` (empty means all).
#[derive(Debug, Default, Deserialize)]
struct InboxQuery {
    #[serde(default)]
    column: String,
    #[serde(default)]
    status: String,
}

/// One line of the inbox.
pub struct InboxRow {
    pub id: String,
    pub title: String,
    pub unit: String,
    pub column: String,
    pub status: SubmissionStatus,
    pub revision: u32,
    pub updated_at: String,
    pub server_findings: usize,
}

/// What the inbox page shows.
pub struct Inbox {
    pub columns: Vec<(String, String)>,
    /// Count per status over the chosen column.
    pub counts: Vec<(SubmissionStatus, i64)>,
    pub rows: Vec<InboxRow>,
    pub column: String,
    pub status: Option<SubmissionStatus>,
}

async fn inbox(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: std::result::Result<Query<InboxQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let s = session(&state, &headers).await?;
    let q = query.map(|Query(q)| q).unwrap_or_default();
    let status = if q.status.is_empty() {
        None
    } else {
        Some(SubmissionStatus::from_code(&q.status).ok_or_else(|| {
            WebError::Refused(StatusCode::BAD_REQUEST, "没有这种稿件状态。".into())
        })?)
    };
    let column = q.column;
    let data = state.read(move |c| load_inbox(c, column, status)).await?;
    Ok(Html(StatusCode::OK, pages::inbox(&s.who, &s.csrf, &data)).into_response())
}

fn load_inbox(
    c: &Connection,
    column: String,
    status: Option<SubmissionStatus>,
) -> crate::Result<Inbox> {
    let columns = c
        .prepare_cached("SELECT id, name FROM columns ORDER BY position, id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
    let col = (!column.is_empty()).then_some(column.as_str());
    let mut counts = Vec::new();
    {
        let mut stmt = c.prepare_cached(
            "SELECT status, COUNT(*) FROM submissions WHERE (?1 IS NULL OR column_id = ?1)
             GROUP BY status",
        )?;
        let found = stmt
            .query_map(params![col], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for st in SubmissionStatus::ALL {
            let n = found
                .iter()
                .find(|(code, _)| code == st.code())
                .map_or(0, |(_, n)| *n);
            counts.push((st, n));
        }
    }
    let rows = c
        .prepare_cached(
            "SELECT s.id, s.title, un.name, co.name, s.status, s.revision, s.updated_at,
                    r.server_findings
             FROM submissions s
             JOIN units un ON un.id = s.unit_id
             JOIN columns co ON co.id = s.column_id
             JOIN submission_revisions r ON r.submission_seq = s.seq AND r.revision = s.revision
             WHERE (?1 IS NULL OR s.column_id = ?1) AND (?2 IS NULL OR s.status = ?2)
             ORDER BY s.updated_at DESC, s.seq DESC
             LIMIT ?3",
        )?
        .query_map(params![col, status.map(|s| s.code()), INBOX_LIMIT], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, u32>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let rows = rows
        .into_iter()
        .map(
            |(id, title, unit, column, st, revision, updated_at, findings)| {
                Ok(InboxRow {
                    id,
                    title,
                    unit,
                    column,
                    status: SubmissionStatus::from_code(&st)
                        .ok_or_else(|| Error::BadRecord(format!("status {st:?}")))?,
                    revision,
                    updated_at,
                    server_findings: checks::from_json(&findings)?.len(),
                })
            },
        )
        .collect::<crate::Result<Vec<_>>>()?;
    Ok(Inbox {
        columns,
        counts,
        rows,
        column,
        status,
    })
}

/// The portal's findings on a submission's current revision.
pub fn server_findings(c: &Connection, id: Uuid) -> crate::Result<Vec<ServerFinding>> {
    let json: Option<String> = c
        .prepare_cached(
            "SELECT r.server_findings FROM submissions s
             JOIN submission_revisions r ON r.submission_seq = s.seq AND r.revision = s.revision
             WHERE s.id = ?1",
        )?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?;
    match json {
        Some(j) => checks::from_json(&j),
        None => Ok(Vec::new()),
    }
}

fn parse_id(id: &str) -> std::result::Result<Uuid, WebError> {
    Uuid::parse_str(id)
        .map_err(|_| WebError::Refused(StatusCode::NOT_FOUND, "找不到该稿件。".into()))
}

async fn submission(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let s = session(&state, &headers).await?;
    let id = parse_id(&id)?;
    let who = s.who.clone();
    let (sub, findings, column) = state
        .read(move |c| {
            let sub = submissions::get(c, &who, id)?;
            let findings = server_findings(c, id)?;
            let column: Option<String> = c
                .prepare_cached("SELECT name FROM columns WHERE id = ?1")?
                .query_row([&sub.item.column_id], |r| r.get(0))
                .optional()?;
            Ok((sub, findings, column))
        })
        .await?;
    let page = pages::submission(&s.who, &s.csrf, &sub, &findings, column.as_deref());
    Ok(Html(StatusCode::OK, page).into_response())
}

/// An attachment of a submission the editor may see (download links and
/// pictures on the submission page), through the session cookie.
async fn attachment(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(sha256): Path<String>,
) -> PageResult {
    let s = session(&state, &headers).await?;
    Ok(crate::api::uploads::serve_attachment(&state, s.who, sha256).await?)
}

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    csrf: String,
    action: DecisionAction,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    public_url: String,
}

async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    // The CSRF token is checked before anything else is looked at.
    let csrf = csrf_field(&body);
    let s = session_for_post(&state, &headers, csrf.as_deref()).await?;
    let id = parse_id(&id)?;
    let Ok(form) = serde_urlencoded::from_bytes::<DecisionForm>(&body) else {
        return Err(WebError::Refused(
            StatusCode::BAD_REQUEST,
            "表单内容不正确。".into(),
        ));
    };
    let _ = form.csrf;
    let req = DecisionRequest {
        action: form.action,
        comment: form.comment.trim().to_string(),
        reason: Some(form.reason.trim().to_string()).filter(|r| !r.is_empty()),
        public_url: Some(form.public_url.trim().to_string()).filter(|u| !u.is_empty()),
    };
    validate::decision(&req)?;
    let who = s.who;
    let editor = who.username.clone();
    let action = req.action;
    let sub = state
        .write(move |w| submissions::decide(w, &who, id, &req))
        .await?;
    tracing::info!(%id, editor = %editor, action = ?action, status = sub.status.code(), "decision (web)");
    Ok(redirect(&format!("/editor/submissions/{id}")))
}

/// The `csrf` field of an `application/x-www-form-urlencoded` body.
fn csrf_field(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v)
}
