//! HTTP to the portal. Every request has a timeout, every answer a size
//! limit, and every outcome becomes either the typed answer or a
//! [`SyncError`] that says what the outbox should do about it. Certificates
//! are always verified (the system's roots plus an optional extra CA).

use std::time::Duration;

use baosong_api::{
    API_PREFIX, ChangesPage, ColumnList, IDEMPOTENCY_KEY_HEADER, KeyList, LogoutRequest, Me,
    Problem, ProblemCode, RefreshRequest, RegisterKeyRequest, Review, ReviewPage, SigningKeyInfo,
    Submission, TokenRequest, TokenResponse, revision_etag,
};
use baosong_api::{CreateUploadRequest, Upload, UploadStatus, uploads};
use futures_util::StreamExt;
use reqwest::header::{self, HeaderMap};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::SyncError;
use crate::profile::{Profile, parse_portal_url};

/// Connecting (TCP + TLS) gives up after this.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A whole request and answer gives up after this.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The live stream must show a sign of life (the portal sends keep-alive
/// comments) this often.
pub const STREAM_READ_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest answer read: a submission holds at most ~2 million characters
/// of Markdown plus its HTML.
pub const MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// How long a chunk may take on top of [`REQUEST_TIMEOUT`]: one second per
/// this many bytes (a 8 MiB chunk gets over four minutes, enough for a slow
/// 政务外网 line).
const CHUNK_BYTES_PER_EXTRA_SECOND: u64 = 32 * 1024;

/// What the portal made of a chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChunkAck {
    /// Stored; the portal's offset is now this.
    Offset(u64),
    /// The file is complete, verified and stored.
    Complete,
}

/// A submission the portal answered with, and whether it was a replay of an
/// earlier identical request.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub submission: Submission,
    pub replayed: bool,
}

#[derive(Clone)]
pub struct PortalClient {
    http: reqwest::Client,
    /// `…/api/v1` without a trailing slash.
    api: String,
}

impl PortalClient {
    pub fn new(profile: &Profile) -> Result<PortalClient, SyncError> {
        let base = parse_portal_url(&profile.portal_url)?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .read_timeout(STREAM_READ_TIMEOUT)
            .user_agent(concat!("baosong/", env!("CARGO_PKG_VERSION")))
            .https_only(base.scheme() == "https");
        if let Some(path) = &profile.ca_cert {
            let pem = std::fs::read(path).map_err(|e| {
                SyncError::config(
                    format!("无法读取根证书文件 {}：{e}", path.display()),
                    format!(
                        "Cannot read the CA certificate file {}: {e}",
                        path.display()
                    ),
                )
            })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .ok()
                .filter(|c| !c.is_empty())
                .ok_or_else(|| {
                    SyncError::config(
                        format!("{} 不是 PEM 格式的证书文件。", path.display()),
                        format!("{} is not a PEM certificate file.", path.display()),
                    )
                })?;
            builder = builder.tls_certs_merge(certs);
        }
        if let Some(proxy) = &profile.proxy {
            let proxy = reqwest::Proxy::all(proxy).map_err(|e| {
                SyncError::config(
                    format!("代理地址无效：{e}"),
                    format!("The proxy address is not valid: {e}"),
                )
            })?;
            builder = builder.proxy(proxy);
        }
        let http = builder.build().map_err(|e| {
            SyncError::config(
                format!("无法建立网络连接设置：{e}"),
                format!("Cannot set up the HTTP client: {e}"),
            )
        })?;
        Ok(PortalClient {
            http,
            api: format!("{}{API_PREFIX}", base.as_str().trim_end_matches('/')),
        })
    }

    fn request(&self, method: Method, path: &str, access: Option<&str>) -> RequestBuilder {
        let mut r = self.http.request(method, format!("{}{path}", self.api));
        if let Some(token) = access {
            r = r.bearer_auth(token);
        }
        r
    }

    pub async fn token(&self, username: &str, password: &str) -> Result<TokenResponse, SyncError> {
        let body = TokenRequest {
            username: username.to_string(),
            password: password.to_string(),
        };
        let r = self.request(Method::POST, "/auth/token", None).json(&body);
        match json(r).await {
            Err(SyncError::Refused(p)) if p.code == ProblemCode::InvalidCredentials => {
                Err(SyncError::InvalidCredentials)
            }
            other => other.map(|(_, _, t)| t),
        }
    }

    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenResponse, SyncError> {
        let body = RefreshRequest {
            refresh_token: refresh_token.to_string(),
        };
        let r = self
            .request(Method::POST, "/auth/refresh", None)
            .json(&body);
        Ok(json(r).await?.2)
    }

    pub async fn logout(&self, refresh_token: &str) -> Result<(), SyncError> {
        let body = LogoutRequest {
            refresh_token: refresh_token.to_string(),
        };
        let r = self.request(Method::POST, "/auth/logout", None).json(&body);
        empty(r).await
    }

    pub async fn me(&self, access: &str) -> Result<Me, SyncError> {
        Ok(json(self.request(Method::GET, "/me", Some(access)))
            .await?
            .2)
    }

    /// The columns, or `None` when `etag` is still current (304).
    pub async fn columns(
        &self,
        access: &str,
        etag: Option<&str>,
    ) -> Result<Option<(ColumnList, Option<String>)>, SyncError> {
        let mut r = self.request(Method::GET, "/columns", Some(access));
        if let Some(tag) = etag {
            r = r.header(header::IF_NONE_MATCH, tag);
        }
        let response = send(r).await?;
        if response.status() == StatusCode::NOT_MODIFIED {
            return Ok(None);
        }
        let (_, headers, list) = read_json::<ColumnList>(response).await?;
        let tag = headers
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        Ok(Some((list, tag)))
    }

    /// `POST /submissions` with the outbox entry's id as `Idempotency-Key`.
    /// `payload` is sent byte for byte as stored.
    pub async fn submit(
        &self,
        access: &str,
        key: &str,
        payload: &str,
    ) -> Result<Delivered, SyncError> {
        let r = self
            .request(Method::POST, "/submissions", Some(access))
            .header(IDEMPOTENCY_KEY_HEADER, key)
            .header(header::CONTENT_TYPE, "application/json")
            .body(payload.to_string());
        let (status, headers, submission) = json::<Submission>(r).await?;
        let replayed = status == StatusCode::OK
            || headers
                .get(baosong_api::IDEMPOTENT_REPLAYED_HEADER)
                .is_some_and(|v| v.as_bytes() == b"true");
        Ok(Delivered {
            submission,
            replayed,
        })
    }

    /// `PUT /submissions/{id}` replacing portal revision `base`.
    pub async fn resubmit(
        &self,
        access: &str,
        id: Uuid,
        base: u32,
        payload: &str,
    ) -> Result<Submission, SyncError> {
        let r = self
            .request(Method::PUT, &format!("/submissions/{id}"), Some(access))
            .header(header::IF_MATCH, revision_etag(base))
            .header(header::CONTENT_TYPE, "application/json")
            .body(payload.to_string());
        Ok(json(r).await?.2)
    }

    pub async fn submission(&self, access: &str, id: Uuid) -> Result<Submission, SyncError> {
        let r = self.request(Method::GET, &format!("/submissions/{id}"), Some(access));
        Ok(json(r).await?.2)
    }

    pub async fn changes(
        &self,
        access: &str,
        since: Option<&str>,
        limit: u32,
    ) -> Result<ChangesPage, SyncError> {
        let path = {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            query.append_pair("limit", &limit.to_string());
            if let Some(s) = since {
                query.append_pair("since", s);
            }
            format!("/submissions/changes?{}", query.finish())
        };
        let r = self.request(Method::GET, &path, Some(access));
        Ok(json(r).await?.2)
    }

    /// `POST /me/keys`: registers the caller's signing key.
    pub async fn register_key(
        &self,
        access: &str,
        req: &RegisterKeyRequest,
    ) -> Result<SigningKeyInfo, SyncError> {
        let r = self
            .request(Method::POST, "/me/keys", Some(access))
            .json(req);
        Ok(json(r).await?.2)
    }

    /// `GET /me/keys`.
    pub async fn my_keys(&self, access: &str) -> Result<KeyList, SyncError> {
        let r = self.request(Method::GET, "/me/keys", Some(access));
        Ok(json(r).await?.2)
    }

    /// `POST /reviews` with a stored request body.
    pub async fn send_review(&self, access: &str, payload: &str) -> Result<Review, SyncError> {
        let r = self
            .request(Method::POST, "/reviews", Some(access))
            .header(header::CONTENT_TYPE, "application/json")
            .body(payload.to_string());
        Ok(json(r).await?.2)
    }

    /// `POST /reviews/{id}/decision` with a stored request body.
    pub async fn decide_review(
        &self,
        access: &str,
        id: &str,
        payload: &str,
    ) -> Result<Review, SyncError> {
        let r = self
            .request(
                Method::POST,
                &format!("/reviews/{id}/decision"),
                Some(access),
            )
            .header(header::CONTENT_TYPE, "application/json")
            .body(payload.to_string());
        Ok(json(r).await?.2)
    }

    /// `POST /reviews/{id}/cancel`.
    pub async fn cancel_review(&self, access: &str, id: &str) -> Result<Review, SyncError> {
        let r = self.request(Method::POST, &format!("/reviews/{id}/cancel"), Some(access));
        Ok(json(r).await?.2)
    }

    /// `GET /reviews?since=`: reviews visible to the caller that changed.
    pub async fn reviews(
        &self,
        access: &str,
        since: Option<&str>,
        limit: u32,
    ) -> Result<ReviewPage, SyncError> {
        let path = {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            query.append_pair("limit", &limit.to_string());
            if let Some(s) = since {
                query.append_pair("since", s);
            }
            format!("/reviews?{}", query.finish())
        };
        let r = self.request(Method::GET, &path, Some(access));
        Ok(json(r).await?.2)
    }

    /// `POST /uploads`: declares an attachment (answers with the upload, or
    /// `complete` when the portal already has the file).
    pub async fn create_upload(
        &self,
        access: &str,
        req: &CreateUploadRequest,
    ) -> Result<Upload, SyncError> {
        let r = self
            .request(Method::POST, "/uploads", Some(access))
            .json(req);
        Ok(json(r).await?.2)
    }

    /// `HEAD /uploads/{id}`: the portal's offset, or `None` when the upload
    /// is gone (expired, finished, unknown).
    pub async fn upload_offset(&self, access: &str, id: &str) -> Result<Option<u64>, SyncError> {
        let r = self.request(Method::HEAD, &format!("/uploads/{id}"), Some(access));
        let response = send(r).await?;
        match response.status() {
            StatusCode::NOT_FOUND => Ok(None),
            s if s.is_success() => offset_header(&response).map(Some),
            // HEAD answers carry no problem body: say what the status means.
            StatusCode::UNAUTHORIZED => Err(SyncError::Refused(Box::new(Problem::new(
                ProblemCode::TokenExpired,
            )))),
            _ => Err(error_from(response).await),
        }
    }

    /// `PATCH /uploads/{id}`: one chunk at `offset`, with its SHA-256.
    pub async fn upload_chunk(
        &self,
        access: &str,
        id: &str,
        offset: u64,
        chunk: bytes::Bytes,
        checksum: &str,
    ) -> Result<ChunkAck, SyncError> {
        let timeout = REQUEST_TIMEOUT
            + Duration::from_secs(chunk.len() as u64 / CHUNK_BYTES_PER_EXTRA_SECOND);
        let r = self
            .request(Method::PATCH, &format!("/uploads/{id}"), Some(access))
            .header(header::CONTENT_TYPE, uploads::OFFSET_OCTET_STREAM)
            .header(uploads::UPLOAD_OFFSET_HEADER, offset.to_string())
            .header(uploads::UPLOAD_CHECKSUM_HEADER, checksum)
            .header(uploads::TUS_RESUMABLE_HEADER, uploads::TUS_VERSION)
            .timeout(timeout)
            .body(chunk);
        let response = send(r).await?;
        match response.status() {
            StatusCode::NO_CONTENT => offset_header(&response).map(ChunkAck::Offset),
            s if s.is_success() => {
                let (_, _, upload) = read_json::<Upload>(response).await?;
                match upload.status {
                    UploadStatus::Complete => Ok(ChunkAck::Complete),
                    UploadStatus::InProgress => Ok(ChunkAck::Offset(upload.offset)),
                }
            }
            _ => Err(error_from(response).await),
        }
    }

    /// Opens the live event stream (`GET /events`); the caller reads it.
    pub async fn events(&self, access: &str) -> Result<reqwest::Response, SyncError> {
        let r = self
            .request(Method::GET, "/events", Some(access))
            .header(header::ACCEPT, "text/event-stream")
            // The stream stays open; only silence (read timeout) ends it.
            .timeout(Duration::from_secs(24 * 3600));
        let response = send(r).await?;
        if response.status().is_success() {
            Ok(response)
        } else {
            Err(error_from(response).await)
        }
    }
}

fn offset_header(response: &reqwest::Response) -> Result<u64, SyncError> {
    response
        .headers()
        .get(uploads::UPLOAD_OFFSET_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| SyncError::BadResponse("no Upload-Offset in the portal's answer".into()))
}

/// Sends a request; only the connection can fail here.
async fn send(r: RequestBuilder) -> Result<reqwest::Response, SyncError> {
    r.send().await.map_err(transport_error)
}

async fn json<T: DeserializeOwned>(
    r: RequestBuilder,
) -> Result<(StatusCode, HeaderMap, T), SyncError> {
    read_json(send(r).await?).await
}

async fn empty(r: RequestBuilder) -> Result<(), SyncError> {
    let response = send(r).await?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(error_from(response).await)
    }
}

async fn read_json<T: DeserializeOwned>(
    response: reqwest::Response,
) -> Result<(StatusCode, HeaderMap, T), SyncError> {
    let status = response.status();
    if !status.is_success() {
        return Err(error_from(response).await);
    }
    let headers = response.headers().clone();
    let body = read_limited(response).await?;
    let value = serde_json::from_slice(&body)
        .map_err(|e| SyncError::BadResponse(format!("HTTP {status}, {} bytes: {e}", body.len())))?;
    Ok((status, headers, value))
}

/// The body, refusing more than [`MAX_RESPONSE_BYTES`].
async fn read_limited(response: reqwest::Response) -> Result<Vec<u8>, SyncError> {
    let too_big = || {
        SyncError::BadResponse(format!(
            "the answer is larger than {} MiB",
            MAX_RESPONSE_BYTES >> 20
        ))
    };
    if response
        .content_length()
        .is_some_and(|n| n > MAX_RESPONSE_BYTES as u64)
    {
        return Err(too_big());
    }
    let mut body = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(transport_error)?;
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// An error answer: the portal's own problem details when it sent them.
async fn error_from(response: reqwest::Response) -> SyncError {
    let status = response.status();
    let retry_later = status.is_server_error()
        || status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS;
    let body = match read_limited(response).await {
        Ok(b) => b,
        Err(e) => return e,
    };
    let problem = serde_json::from_slice::<Problem>(&body).ok();
    if retry_later {
        return SyncError::Unavailable {
            status: status.as_u16(),
            detail: problem
                .map(|p| p.detail_en)
                .unwrap_or_else(|| snippet(&body)),
        };
    }
    match problem {
        Some(p)
            if matches!(
                p.code,
                ProblemCode::Unauthenticated | ProblemCode::TokenExpired
            ) =>
        {
            SyncError::Refused(Box::new(p))
        }
        Some(p)
            if matches!(
                p.code,
                ProblemCode::InvalidRefreshToken | ProblemCode::RefreshTokenReused
            ) =>
        {
            SyncError::SignInRequired
        }
        Some(p) => SyncError::Refused(Box::new(p)),
        // Not the API speaking (a proxy's error page, a wrong address): the
        // request itself may be fine, so it stays queued.
        None => SyncError::BadResponse(format!("HTTP {status}: {}", snippet(&body))),
    }
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(200)]);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Classifies a reqwest error without echoing anything secret (requests carry
/// tokens in headers and bodies, never in URLs).
fn transport_error(e: reqwest::Error) -> SyncError {
    let mut chain = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(&e);
    while let Some(s) = source {
        if !chain.is_empty() {
            chain.push_str(": ");
        }
        chain.push_str(&s.to_string());
        source = s.source();
    }
    let lower = chain.to_lowercase();
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        return SyncError::Tls(chain);
    }
    if e.is_timeout() {
        return SyncError::Unreachable(format!("timed out: {chain}"));
    }
    if e.is_decode() {
        return SyncError::BadResponse(chain);
    }
    SyncError::Unreachable(chain)
}

/// Whether an error is the portal saying the access token is no good.
pub fn is_auth_failure(e: &SyncError) -> bool {
    matches!(e, SyncError::Refused(p) if matches!(p.code, ProblemCode::Unauthenticated | ProblemCode::TokenExpired))
}
