//! Putting it together: the router with its layers, and a running server that
//! can be shut down (used by `main` and by the tests, in-process).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use baosong_api::{PROBLEM_JSON, Problem, ProblemCode};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::catch_panic::CatchPanicLayer;

use crate::api::feed_cache::FeedCacheStats;
use crate::api::{self, AppState, extract::client_ip};
use crate::checks::PortalChecker;
use crate::config::Config;
use crate::db::{Db, tokens};
use crate::error::{Error, Result, problem_response};
use crate::{secrets, web};

/// How often expired tokens are deleted.
const PURGE_INTERVAL: Duration = Duration::from_secs(600);

/// The whole application: `/api/v1`, the editor web pages under `/editor`,
/// and problem+json for everything else.
pub fn app(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    Router::new()
        .nest(baosong_api::API_PREFIX, api::routes())
        .merge(web::routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(state.clone(), per_ip_limit))
        .layer(middleware::map_response(problem_safety_net))
        .layer(CatchPanicLayer::custom(|_panic| {
            tracing::error!("a request handler panicked");
            problem_response(&Problem::new(ProblemCode::Internal))
        }))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

async fn not_found() -> Response {
    Error::not_found().into_response()
}

async fn per_ip_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ip = client_ip(req.extensions().get::<ConnectInfo<SocketAddr>>());
    match state.per_ip.check(ip) {
        Ok(()) => next.run(req).await,
        Err(secs) => Error::RateLimited(secs).into_response(),
    }
}

/// Any error response that is not problem+json yet (axum's own 405, a
/// layer's refusal) becomes one, keeping its status and headers.
async fn problem_safety_net(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response.headers().get(header::CONTENT_TYPE);
    let is_problem = content_type.is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
    // The editor pages answer errors with their own HTML pages.
    let is_page = content_type.is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if is_problem || is_page {
        return response;
    }
    let code = match status.as_u16() {
        401 => ProblemCode::Unauthenticated,
        403 => ProblemCode::Forbidden,
        404 => ProblemCode::NotFound,
        405 => ProblemCode::MethodNotAllowed,
        413 => ProblemCode::PayloadTooLarge,
        415 => ProblemCode::UnsupportedMediaType,
        422 => ProblemCode::InvalidBody,
        429 => ProblemCode::RateLimited,
        503 => ProblemCode::Unavailable,
        s if s >= 500 => ProblemCode::Internal,
        _ => ProblemCode::InvalidParameter,
    };
    let mut problem = Problem::new(code);
    problem.status = status.as_u16();
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    Response::from_parts(parts, problem_response(&problem).into_body())
}

/// One line per request: method, path (never the query or headers, which may
/// carry tokens), status and time. Errors at `warn`/`error`, the rest at
/// `debug`.
async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path: String = req.uri().path().chars().take(200).collect();
    let started = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::error!(%method, %path, status, ms, "request");
    } else if status >= 400 {
        tracing::info!(%method, %path, status, ms, "request");
    } else {
        tracing::debug!(%method, %path, status, ms, "request");
    }
    response
}

/// A portal listening on its socket.
pub struct RunningServer {
    addr: SocketAddr,
    db: Arc<Db>,
    state: AppState,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<std::io::Result<()>>,
    purge: JoinHandle<()>,
    sweeper: JoinHandle<()>,
}

impl RunningServer {
    /// Opens the database, binds `config.listen` and starts serving.
    pub async fn start(config: Config) -> Result<RunningServer> {
        let listener = TcpListener::bind(config.listen).await?;
        Self::start_on(listener, config).await
    }

    /// As [`RunningServer::start`], on a socket already bound.
    pub async fn start_on(listener: TcpListener, config: Config) -> Result<RunningServer> {
        let path = config.db_path.clone();
        let durable = config.durable_commits;
        let token_cache = config.token_cache_ttl;
        let params = config.password;
        let (db, dummy_hash, checker) = tokio::task::spawn_blocking(move || -> Result<_> {
            let db = Db::open_with_token_cache(&path, durable, token_cache)?;
            let dummy = secrets::hash_password("baosong-dummy-password", params)?;
            let checker = PortalChecker::builtin()?;
            Ok((db, dummy, checker))
        })
        .await
        .map_err(|e| Error::Internal(format!("start-up worker failed: {e}")))??;
        let addr = listener.local_addr()?;
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let sweep_every = (config.upload_ttl / 2).clamp(Duration::from_secs(1), PURGE_INTERVAL);
        let state = AppState::new(db.clone(), config, dummy_hash, shutdown_rx.clone(), checker);
        let shared = state.clone();
        let sweeper = tokio::spawn(sweep_uploads(
            state.clone(),
            sweep_every,
            shutdown_rx.clone(),
        ));
        let app = app(state).into_make_service_with_connect_info::<SocketAddr>();
        let mut stop = shutdown_rx.clone();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stop.wait_for(|s| *s).await;
                })
                .await
        });
        let purge = tokio::spawn(purge_tokens(db.clone(), shutdown_rx));
        tracing::info!(%addr, db = %db.path().display(), "portal listening");
        Ok(RunningServer {
            addr,
            db,
            state: shared,
            shutdown: shutdown_tx,
            task,
            purge,
            sweeper,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, e.g. `http://127.0.0.1:8787`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn db(&self) -> &Arc<Db> {
        &self.db
    }

    /// How often the change-feed page cache answered.
    pub fn feed_cache_stats(&self) -> FeedCacheStats {
        self.state.feed_cache.stats()
    }

    /// Stops taking connections, ends event streams, waits for requests in
    /// flight.
    pub async fn shutdown(self) -> Result<()> {
        let _ = self.shutdown.send(true);
        self.purge.abort();
        self.sweeper.abort();
        self.task
            .await
            .map_err(|e| Error::Internal(format!("server task failed: {e}")))??;
        Ok(())
    }
}

async fn purge_tokens(db: Arc<Db>, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(PURGE_INTERVAL) => {}
            _ = stop.wait_for(|s| *s) => return,
        }
        let db = db.clone();
        match tokio::task::spawn_blocking(move || db.write(tokens::purge_expired)).await {
            Ok(Ok(n)) if n > 0 => tracing::debug!(n, "expired tokens deleted"),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "deleting expired tokens failed"),
            Err(e) => tracing::warn!(error = %e, "token purge worker failed"),
        }
    }
}

/// Removes abandoned uploads (no progress within the upload lifetime) with
/// their partial files, and partial files no upload owns: at start, then
/// every `every`.
async fn sweep_uploads(state: AppState, every: Duration, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(e) = sweep_once(&state).await {
            tracing::warn!(error = %e, "removing abandoned uploads failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.wait_for(|s| *s) => return,
        }
    }
}

async fn sweep_once(state: &AppState) -> Result<()> {
    let expired = state
        .read(|c| crate::db::uploads::expired(c, crate::db::now()))
        .await?;
    for id in expired {
        // The row goes first: a file without a row is an orphan, removed
        // below or on the next sweep; a row without its file would be
        // resumed from an offset the disk no longer has.
        state
            .write(move |w| crate::db::uploads::delete(w, id))
            .await?;
        state.storage.remove_upload(id).await?;
        tracing::info!(%id, "abandoned upload removed");
    }
    let known = state.read(crate::db::uploads::all_ids).await?;
    for path in state
        .storage
        .orphans(&known, state.config.upload_ttl)
        .await?
    {
        if let Err(e) = tokio::fs::remove_file(&path).await {
            tracing::warn!(path = %path.display(), error = %e, "cannot remove an orphaned upload file");
        }
    }
    Ok(())
}
