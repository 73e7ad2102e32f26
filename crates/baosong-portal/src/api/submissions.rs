//! `POST /submissions`, `GET` and `PUT /submissions/{id}`,
//! `POST /submissions/{id}/withdraw`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use baosong_api::{
    IDEMPOTENCY_KEY_HEADER, Problem, ProblemCode, Submission, SubmissionRequest, WithdrawRequest,
    is_valid_idempotency_key, parse_revision_etag, revision_etag,
};
use uuid::Uuid;

use super::AppState;
use super::extract::{ApiJson, ApiPath, Auth, OptionalJson};
use crate::checks::{self, PortalChecker};
use crate::db::submissions::{self, Created, IfMatch, Incoming};
use crate::error::{Error, Result};
use crate::secrets::sha256_hex;
use crate::validate;

/// What the portal derives from a request before writing it.
struct Prepared {
    json: String,
    hash: String,
    server_findings: String,
}

impl Prepared {
    /// Validates the request, serialises it, hashes it and runs the portal's
    /// own check (see [`checks`]). Runs on a blocking thread, before (not
    /// inside) the write.
    fn new(req: &SubmissionRequest, checker: &PortalChecker) -> Result<Prepared> {
        validate::submission(req)?;
        let json = serde_json::to_string(req)
            .map_err(|e| Error::Internal(format!("serialising a submission: {e}")))?;
        let hash = sha256_hex(json.as_bytes());
        let started = std::time::Instant::now();
        let found = checker.server_findings(req);
        tracing::debug!(
            ms = started.elapsed().as_secs_f64() * 1000.0,
            body_bytes = req.body_markdown.len(),
            findings = found.len(),
            "server check"
        );
        let server_findings = checks::to_json(&found);
        Ok(Prepared {
            json,
            hash,
            server_findings,
        })
    }

    fn incoming<'a>(&'a self, req: &'a SubmissionRequest) -> Incoming<'a> {
        Incoming {
            req,
            json: &self.json,
            hash: &self.hash,
            server_findings: &self.server_findings,
        }
    }
}

/// [`Prepared::new`] on a blocking thread.
async fn prepare(
    state: &AppState,
    req: SubmissionRequest,
) -> Result<(SubmissionRequest, Prepared)> {
    let checker = state.checker.clone();
    state
        .blocking(move |_| {
            let prepared = Prepared::new(&req, &checker)?;
            Ok((req, prepared))
        })
        .await
}

/// A submission as a response, with its `ETag`.
pub fn submission_response(
    status: StatusCode,
    sub: &Submission,
    extra: &[(HeaderName, HeaderValue)],
) -> Result<Response> {
    let etag = HeaderValue::from_str(&revision_etag(sub.revision))
        .map_err(|e| Error::Internal(format!("etag: {e}")))?;
    let mut response = (status, Json(sub)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::ETAG, etag);
    for (name, value) in extra {
        headers.insert(name.clone(), value.clone());
    }
    Ok(response)
}

fn idempotency_key(headers: &HeaderMap) -> Result<String> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY_HEADER) else {
        return Err(Error::problem(
            Problem::new(ProblemCode::IdempotencyKeyMissing).with_field(IDEMPOTENCY_KEY_HEADER),
        ));
    };
    match value.to_str() {
        Ok(key) if is_valid_idempotency_key(key) => Ok(key.to_string()),
        _ => Err(Error::problem(
            Problem::new(ProblemCode::IdempotencyKeyInvalid).with_field(IDEMPOTENCY_KEY_HEADER),
        )),
    }
}

pub async fn create(
    State(state): State<AppState>,
    Auth(who): Auth,
    headers: HeaderMap,
    ApiJson(req): ApiJson<SubmissionRequest>,
) -> Result<Response> {
    who.submitting_unit()?;
    let key = idempotency_key(&headers)?;
    let username = who.username.clone();
    let (req, prepared) = prepare(&state, req).await?;
    let created = state
        .write(move |w| submissions::create(w, &who, &key, prepared.incoming(&req)))
        .await?;
    match created {
        Created::New(sub) => {
            tracing::info!(id = %sub.id, unit = %sub.unit.id, user = %username, "submission received");
            let location = HeaderValue::from_str(&format!(
                "{}/submissions/{}",
                baosong_api::API_PREFIX,
                sub.id
            ))
            .map_err(|e| Error::Internal(format!("location: {e}")))?;
            submission_response(StatusCode::CREATED, &sub, &[(header::LOCATION, location)])
        }
        Created::Replayed(sub) => submission_response(
            StatusCode::OK,
            &sub,
            &[(
                // `Idempotent-Replayed` (baosong_api::IDEMPOTENT_REPLAYED_HEADER)
                HeaderName::from_static("idempotent-replayed"),
                HeaderValue::from_static("true"),
            )],
        ),
    }
}

pub async fn get(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response> {
    let sub = state.read(move |c| submissions::get(c, &who, id)).await?;
    submission_response(StatusCode::OK, &sub, &[])
}

fn if_match(headers: &HeaderMap) -> Result<IfMatch> {
    let values: Vec<&str> = headers
        .get_all(header::IF_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if values.is_empty() {
        return Err(Error::problem(
            Problem::new(ProblemCode::PreconditionRequired).with_field("If-Match"),
        ));
    }
    let tags: Vec<&str> = values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    if tags.contains(&"*") {
        return Ok(IfMatch::Any);
    }
    Ok(IfMatch::Revisions(
        tags.into_iter().filter_map(parse_revision_etag).collect(),
    ))
}

pub async fn resubmit(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<SubmissionRequest>,
) -> Result<Response> {
    who.submitting_unit()?;
    let if_match = if_match(&headers)?;
    let username = who.username.clone();
    let (req, prepared) = prepare(&state, req).await?;
    let sub = state
        .write(move |w| submissions::resubmit(w, &who, id, &if_match, prepared.incoming(&req)))
        .await?;
    tracing::info!(%id, revision = sub.revision, user = %username, "submission resubmitted");
    submission_response(StatusCode::OK, &sub, &[])
}

pub async fn withdraw(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiPath(id): ApiPath<Uuid>,
    OptionalJson(req): OptionalJson<WithdrawRequest>,
) -> Result<Response> {
    who.submitting_unit()?;
    validate::comment(&req.comment)?;
    let username = who.username.clone();
    let sub = state
        .write(move |w| submissions::withdraw(w, &who, id, &req.comment))
        .await?;
    tracing::info!(%id, user = %username, "submission withdrawn");
    submission_response(StatusCode::OK, &sub, &[])
}
