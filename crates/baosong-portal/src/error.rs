//! The portal's one error type. A request that fails answers with a problem
//! (RFC 9457, `application/problem+json`); faults of the portal itself are
//! logged in full and shown to the client only as `internal` / `unavailable`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use baosong_api::{PROBLEM_JSON, Problem, ProblemCode};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A refusal the client should see as it is.
    #[error("{0}")]
    Problem(Box<Problem>),
    /// Too many requests; retry after this many seconds.
    #[error("rate limited; retry after {0} s")]
    RateLimited(u64),
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database schema migration failed: {0}")]
    Migration(String),
    #[error(
        "the database was written by a newer baosong-portal (schema version {found}, this one knows up to {supported})"
    )]
    TooNew { found: i64, supported: i64 },
    #[error("a stored record is damaged: {0}")]
    BadRecord(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A bug or a failed worker thread.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// A refusal with the code's default messages.
    pub fn code(code: ProblemCode) -> Error {
        Error::Problem(Box::new(Problem::new(code)))
    }

    /// A refusal with particular messages.
    pub fn problem(problem: Problem) -> Error {
        Error::Problem(Box::new(problem))
    }

    /// `422 validation_failed` about one field.
    pub fn invalid(field: &str, zh: impl Into<String>, en: impl Into<String>) -> Error {
        Error::problem(
            Problem::new(ProblemCode::ValidationFailed)
                .with_detail(zh, en)
                .with_field(field),
        )
    }

    pub fn not_found() -> Error {
        Error::code(ProblemCode::NotFound)
    }

    /// The problem this error shows the client.
    pub fn to_problem(&self) -> Problem {
        match self {
            Error::Problem(p) => (**p).clone(),
            Error::RateLimited(_) => Problem::new(ProblemCode::RateLimited),
            Error::Sqlite(e) if is_busy(e) => Problem::new(ProblemCode::Unavailable),
            _ => Problem::new(ProblemCode::Internal),
        }
    }
}

impl From<Problem> for Error {
    fn from(p: Problem) -> Error {
        Error::problem(p)
    }
}

/// Whether SQLite gave up waiting for another writer.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let problem = self.to_problem();
        match &self {
            Error::Problem(_) | Error::RateLimited(_) => {
                tracing::debug!(code = problem.code.code(), "request refused");
            }
            other => tracing::error!(error = %other, "request failed"),
        }
        let mut response = problem_response(&problem);
        let headers = response.headers_mut();
        match (&self, problem.status) {
            (Error::RateLimited(secs), _) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*secs));
            }
            (_, 401) => {
                let value = if problem.code == ProblemCode::TokenExpired {
                    "Bearer error=\"invalid_token\", error_description=\"expired\""
                } else {
                    "Bearer"
                };
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(value));
            }
            (_, 503) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        response
    }
}

/// A problem as an HTTP response with `application/problem+json`.
pub fn problem_response(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(problem).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response
}
