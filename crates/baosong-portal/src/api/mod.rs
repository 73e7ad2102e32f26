//! The HTTP API under `/api/v1` (see `docs/api/README.md`).

mod auth;
mod changes;
mod columns;
mod decision;
mod events;
pub mod extract;
pub mod feed_cache;
pub mod feed_rows;
mod keys;
mod me;
mod reviews;
mod submissions;
pub mod uploads;

use std::net::IpAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::watch;

use crate::attachments::{Storage, UploadLocks};
use crate::checks::PortalChecker;
use crate::config::Config;
use crate::db::Db;
use crate::db::tokens::Lifetimes;
use crate::error::{Error, Result};
use crate::ratelimit::Limiter;
use feed_cache::FeedCache;
use feed_rows::RowCache;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: Arc<Db>,
    pub config: Config,
    pub per_ip: Limiter<IpAddr>,
    pub per_user: Limiter<i64>,
    pub login: Limiter<(IpAddr, String)>,
    /// Verified against when the username is unknown, so that a wrong
    /// username takes as long as a wrong password.
    pub dummy_hash: String,
    /// Turns `true` when the server shuts down (ends event streams).
    pub shutdown: watch::Receiver<bool>,
    /// The check engine, built once at start-up.
    pub checker: PortalChecker,
    /// Attachment files next to the database.
    pub storage: Storage,
    /// One request at a time per upload.
    pub upload_locks: UploadLocks,
    /// Full pages of the change feed as JSON.
    pub feed_cache: FeedCache,
    /// Single changes as JSON, to assemble the other pages from.
    pub feed_rows: RowCache,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(
        db: Arc<Db>,
        config: Config,
        dummy_hash: String,
        shutdown: watch::Receiver<bool>,
        checker: PortalChecker,
    ) -> AppState {
        AppState(Arc::new(Inner {
            db,
            storage: Storage::new(config.attachments_dir()),
            upload_locks: UploadLocks::default(),
            // Half the budget each.
            feed_cache: FeedCache::new(config.feed_cache_bytes / 2),
            feed_rows: RowCache::new(config.feed_cache_bytes / 2),
            per_ip: Limiter::new(config.rate_limits.per_ip),
            per_user: Limiter::new(config.rate_limits.per_user),
            login: Limiter::new(config.rate_limits.login),
            config,
            dummy_hash,
            shutdown,
            checker,
        }))
    }

    pub fn lifetimes(&self) -> Lifetimes {
        Lifetimes {
            access: self.config.access_token_ttl,
            refresh: self.config.refresh_token_ttl,
            reuse_grace: self.config.refresh_reuse_grace,
        }
    }

    /// Runs blocking work (database, password hashing) off the async threads.
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Db) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || f(&db))
            .await
            .map_err(|e| Error::Internal(format!("worker thread failed: {e}")))?
    }

    /// A read in its own snapshot.
    pub async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&rusqlite::Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.blocking(move |db| db.read(f)).await
    }

    /// One write (committed with whatever other writes are waiting).
    pub async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut crate::db::Write<'_>) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.db.write_async(f).await
    }
}

/// The routes of API v1, relative to `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/token", post(auth::token))
        .route("/auth/refresh", post(auth::refresh))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(me::me))
        .route("/columns", get(columns::list))
        .route("/submissions", post(submissions::create))
        .route("/submissions/changes", get(changes::list))
        .route(
            "/submissions/{id}",
            get(submissions::get).put(submissions::resubmit),
        )
        .route("/submissions/{id}/withdraw", post(submissions::withdraw))
        .route("/submissions/{id}/decision", post(decision::decide))
        .route("/me/keys", post(keys::register).get(keys::mine))
        .route("/keys", get(keys::list))
        .route("/keys/{key_id}/revoke", post(keys::revoke))
        .route("/reviews", post(reviews::send).get(reviews::list))
        .route("/reviews/{id}", get(reviews::get))
        .route("/reviews/{id}/decision", post(reviews::decide))
        .route("/reviews/{id}/cancel", post(reviews::cancel))
        .route("/uploads", post(uploads::create))
        .route(
            "/uploads/{id}",
            get(uploads::get)
                .head(uploads::head)
                // Chunks are streamed to disk with their own limit (the
                // chunk size), not read into memory under the JSON limit.
                .patch(uploads::patch)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/attachments/{sha256}", get(uploads::download))
        .route("/events", get(events::stream))
        .route("/openapi.json", get(openapi))
}

/// The OpenAPI document, byte for byte as committed in docs/api/openapi.json.
async fn openapi() -> Response {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let doc = DOC.get_or_init(baosong_api::openapi_json).clone();
    let mut response = doc.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
