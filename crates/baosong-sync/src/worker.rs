//! The sync worker: a background task that delivers the outbox and follows
//! the portal whenever it can.
//!
//! It runs a pass (outbox, then the change feed, and now and then the unit
//! and columns) at start, when woken (the 报送 button, "sync now", a new
//! sign-in), when the live event stream (re)connects or reports a change —
//! reconnecting is how a restored network shows itself — and on a timer.
//! After a failure it waits with exponential backoff and jitter, capped; a
//! refused entry does not stop the others. Nothing here blocks the caller.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use baosong_core::UserError;
use baosong_core::model::{AppliedChange, OutboxEntry};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use ts_rs::TS;

use crate::error::SyncError;
use crate::outbox::DrainReport;
use crate::session::Session;
use crate::shared::SharedStore;
use crate::upload::UploadProgress;
use crate::{changes, directory, outbox};

/// A pass with nothing to trigger it runs this often.
pub const PERIOD: Duration = Duration::from_secs(60);
/// The unit and columns are fetched again after this long.
pub const DIRECTORY_PERIOD: Duration = Duration::from_secs(15 * 60);
/// Backoff after failures: starts here, doubles, never beyond the cap.
pub const BACKOFF_START: Duration = Duration::from_secs(2);
pub const BACKOFF_CAP: Duration = Duration::from_secs(300);
/// The live stream is tried again at least this often while it is down: its
/// reconnecting is how a restored network is noticed.
pub const RECONNECT_CAP: Duration = Duration::from_secs(30);

/// Where syncing stands, for the status bar and `baosong sync`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    pub signed_in: bool,
    pub username: Option<String>,
    pub portal_url: Option<String>,
    /// The last pass reached the portal.
    pub online: bool,
    /// A pass is running now.
    pub syncing: bool,
    pub pending: u32,
    pub failed: u32,
    pub last_error: Option<UserError>,
    /// RFC 3339 time of the last pass that reached the portal.
    pub last_success_at: Option<String>,
    /// Seconds until the next automatic attempt after a failure.
    #[ts(type = "number | null")]
    pub retry_in_secs: Option<u64>,
}

/// What the worker tells its owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum SyncEvent {
    Status {
        status: SyncStatus,
    },
    Delivered {
        entry: OutboxEntry,
    },
    Refused {
        entry: OutboxEntry,
        error: UserError,
    },
    Changed {
        change: AppliedChange,
    },
    /// A review arrived from the portal's queue, or was decided.
    Review {
        review: baosong_core::model::Review,
    },
    /// An attachment of an outbox entry is being uploaded (after each
    /// acknowledged chunk, and once at the start): bytes sent, total, rate
    /// and time left.
    Upload {
        progress: UploadProgress,
    },
}

/// What one pass did.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    pub outbox: DrainReport,
    pub changes: Vec<AppliedChange>,
    /// Reviews that arrived or were decided.
    pub reviews: Vec<baosong_core::model::Review>,
}

/// One pass: deliver the outbox, then read the change feed; with `directory`
/// also refresh the cached unit and columns.
pub async fn sync_once(
    store: &SharedStore,
    session: &Session,
    directory: bool,
    on_event: impl FnMut(SyncEvent) + Send,
) -> (SyncReport, Result<(), SyncError>) {
    let mut report = SyncReport::default();
    // Two callbacks below (outbox outcomes and upload progress) share it.
    let on_event = std::sync::Mutex::new(on_event);
    let on_event = |e: SyncEvent| match on_event.lock() {
        Ok(mut f) => f(e),
        Err(poisoned) => (poisoned.into_inner())(e),
    };
    let result = async {
        // Review-queue messages first: a decision must reach the portal's
        // queue even when a submission ahead of it is stuck.
        crate::review::drain(store, session).await?;
        outbox::drain_with(
            store,
            session,
            &mut report.outbox,
            |entry, error| match error {
                None => on_event(SyncEvent::Delivered {
                    entry: entry.clone(),
                }),
                Some(e) if e.is_permanent_refusal() => on_event(SyncEvent::Refused {
                    entry: entry.clone(),
                    error: e.to_user(),
                }),
                Some(_) => {}
            },
            &mut |progress| on_event(SyncEvent::Upload { progress }),
        )
        .await?;
        report.changes = changes::pull(store, session).await?;
        report.reviews = crate::review::pull(store, session).await?;
        for review in &report.reviews {
            on_event(SyncEvent::Review {
                review: review.clone(),
            });
        }
        for change in &report.changes {
            on_event(SyncEvent::Changed {
                change: change.clone(),
            });
        }
        // Last and best effort: the cached unit and columns are a
        // convenience; their failing must not hold up submissions.
        if directory
            && let Err(SyncError::SignInRequired) = directory::refresh(store, session).await
        {
            return Err(SyncError::SignInRequired);
        }
        Ok(())
    }
    .await;
    (report, result)
}

type Observer = Arc<dyn Fn(SyncEvent) + Send + Sync>;

struct Inner {
    store: SharedStore,
    session: RwLock<Option<Arc<Session>>>,
    wake: Notify,
    session_changed: Notify,
    status: Mutex<SyncStatus>,
    observer: Observer,
}

impl Inner {
    fn session(&self) -> Option<Arc<Session>> {
        self.session.read().ok().and_then(|s| s.clone())
    }

    fn update(&self, f: impl FnOnce(&mut SyncStatus)) {
        let snapshot = match self.status.lock() {
            Ok(mut status) => {
                f(&mut status);
                status.clone()
            }
            Err(_) => return,
        };
        (self.observer)(SyncEvent::Status { status: snapshot });
    }

    fn counts(&self) -> (u32, u32) {
        self.store.with(|s| s.outbox_counts()).unwrap_or((0, 0))
    }
}

/// The running worker. Dropping it stops the background tasks.
pub struct SyncWorker {
    inner: Arc<Inner>,
    tasks: Vec<JoinHandle<()>>,
}

impl SyncWorker {
    /// Starts the worker on `runtime` with `session` (if signed in).
    pub fn start(
        runtime: &tokio::runtime::Handle,
        store: SharedStore,
        session: Option<Arc<Session>>,
        observer: impl Fn(SyncEvent) + Send + Sync + 'static,
    ) -> SyncWorker {
        let inner = Arc::new(Inner {
            store,
            session: RwLock::new(session),
            wake: Notify::new(),
            session_changed: Notify::new(),
            status: Mutex::new(SyncStatus::default()),
            observer: Arc::new(observer),
        });
        let tasks = vec![
            runtime.spawn(run(inner.clone())),
            runtime.spawn(listen(inner.clone())),
        ];
        SyncWorker { inner, tasks }
    }

    /// After signing in or out.
    pub fn set_session(&self, session: Option<Arc<Session>>) {
        if let Ok(mut s) = self.inner.session.write() {
            *s = session;
        }
        self.inner.session_changed.notify_waiters();
        self.inner.wake.notify_one();
    }

    pub fn session(&self) -> Option<Arc<Session>> {
        self.inner.session()
    }

    /// Sync now (报送 clicked, "retry now", "sync now").
    pub fn wake(&self) {
        self.inner.wake.notify_one();
    }

    pub fn status(&self) -> SyncStatus {
        let (pending, failed) = self.inner.counts();
        let mut status = self
            .inner
            .status
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default();
        status.pending = pending;
        status.failed = failed;
        status
    }
}

impl Drop for SyncWorker {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Exponential backoff with ±50 % jitter, so many clients coming back after an
/// outage do not arrive at once.
struct Backoff(u32);

impl Backoff {
    fn next(&mut self) -> Duration {
        self.next_capped(BACKOFF_CAP)
    }

    fn next_capped(&mut self, cap: Duration) -> Duration {
        let exp = BACKOFF_START.saturating_mul(1u32 << self.0.min(16));
        self.0 = self.0.saturating_add(1);
        exp.min(cap).mul_f64(0.5 + fastrand::f64())
    }
}

async fn run(inner: Arc<Inner>) {
    let mut backoff = Backoff(0);
    let mut directory_at: Option<Instant> = None;
    loop {
        let wait = match inner.session() {
            None => {
                inner.update(|s| {
                    *s = SyncStatus {
                        pending: s.pending,
                        failed: s.failed,
                        ..SyncStatus::default()
                    };
                });
                None
            }
            Some(session) => {
                let profile = session.profile().clone();
                inner.update(|s| {
                    s.signed_in = true;
                    s.syncing = true;
                    s.username = Some(profile.username.clone());
                    s.portal_url = Some(profile.portal_url.clone());
                });
                let refresh_directory = directory_at.is_none_or(|t| t.elapsed() > DIRECTORY_PERIOD);
                let observer = inner.observer.clone();
                let (_, result) =
                    sync_once(&inner.store, &session, refresh_directory, |e| observer(e)).await;
                let (pending, failed) = inner.counts();
                match result {
                    Ok(()) => {
                        backoff = Backoff(0);
                        if refresh_directory {
                            directory_at = Some(Instant::now());
                        }
                        inner.update(|s| {
                            s.syncing = false;
                            s.online = true;
                            s.pending = pending;
                            s.failed = failed;
                            s.last_error = None;
                            s.retry_in_secs = None;
                            s.last_success_at = Some(chrono::Utc::now().to_rfc3339());
                        });
                        Some(PERIOD)
                    }
                    Err(SyncError::SignInRequired) => {
                        inner.update(|s| {
                            s.syncing = false;
                            s.signed_in = false;
                            s.pending = pending;
                            s.failed = failed;
                            s.last_error = Some(SyncError::SignInRequired.to_user());
                            s.retry_in_secs = None;
                        });
                        None
                    }
                    Err(e) => {
                        let delay = backoff.next();
                        inner.update(|s| {
                            s.syncing = false;
                            s.online = !e.is_transient();
                            s.pending = pending;
                            s.failed = failed;
                            s.last_error = Some(e.to_user());
                            s.retry_in_secs = Some(delay.as_secs());
                        });
                        Some(delay)
                    }
                }
            }
        };
        match wait {
            Some(d) => {
                tokio::select! {
                    _ = inner.wake.notified() => {}
                    _ = tokio::time::sleep(d) => {}
                }
            }
            None => inner.wake.notified().await,
        }
    }
}

/// Keeps the live event stream open while signed in. Connecting wakes a pass
/// (the network is back), and so does every status change it reports.
async fn listen(inner: Arc<Inner>) {
    let mut backoff = Backoff(0);
    loop {
        let Some(session) = inner.session() else {
            inner.session_changed.notified().await;
            continue;
        };
        let opened = session.call(|c, t| async move { c.events(&t).await }).await;
        if let Ok(response) = opened {
            backoff = Backoff(0);
            inner.wake.notify_one();
            let mut stream = response.bytes_stream();
            let mut line = Vec::new();
            loop {
                let chunk = tokio::select! {
                    c = stream.next() => c,
                    _ = inner.session_changed.notified() => None,
                };
                let Some(Ok(chunk)) = chunk else { break };
                for &b in chunk.iter() {
                    if b == b'\n' {
                        if line.starts_with(b"event:") || line.starts_with(b"data:") {
                            // Any event means the feed moved: read it.
                            inner.wake.notify_one();
                        }
                        line.clear();
                    } else if line.len() < 64 {
                        line.push(b);
                    }
                }
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(backoff.next_capped(RECONNECT_CAP)) => {}
            _ = inner.session_changed.notified() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let mut b = Backoff(0);
        let first = b.next();
        assert!(
            first >= BACKOFF_START / 2 && first <= BACKOFF_START * 3 / 2,
            "{first:?}"
        );
        let second = b.next();
        assert!(
            second >= BACKOFF_START && second <= BACKOFF_START * 3,
            "{second:?}"
        );
        let mut last = Duration::ZERO;
        for _ in 0..40 {
            last = b.next();
            assert!(last <= BACKOFF_CAP * 3 / 2, "{last:?}");
        }
        assert!(last >= BACKOFF_CAP / 2, "reaches the cap: {last:?}");
        let draws: std::collections::HashSet<u128> =
            (0..20).map(|_| Backoff(3).next().as_millis()).collect();
        assert!(draws.len() > 10, "jittered, not fixed");
    }
}
