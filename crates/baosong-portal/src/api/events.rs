//! `GET /events`: live status changes as Server-Sent Events.
//!
//! The listener subscribes to the store's broadcast *before* reading the
//! feed, so a change committed in between arrives twice at most, never not at
//! all; anything at or before the last position sent is skipped. A listener
//! that falls behind the broadcast buffer re-reads the feed from the database.
//!
//! Review queue changes (`review_change`) go to the unit's heads and the
//! sender only. They carry no `id`, so they do not move `Last-Event-ID`, and
//! are not replayed: they only say "fetch GET /reviews"; a listener that
//! missed one still finds the change there.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use baosong_api::changes::STATUS_CHANGE_EVENT;
use baosong_api::reviews::REVIEW_CHANGE_EVENT;
use tokio::sync::{broadcast, mpsc};

use super::AppState;
use super::extract::Auth;
use crate::db::changes::{self, encode_cursor};
use crate::db::users::Principal;
use crate::db::{ChangeEvent, ReviewEvent};
use crate::error::{Error, Result};

/// Changes read per database query while catching up.
const CATCH_UP_PAGE: u32 = 500;

pub async fn stream(
    State(state): State<AppState>,
    Auth(who): Auth,
    headers: HeaderMap,
) -> Result<Response> {
    let resume = match headers.get("last-event-id") {
        Some(v) => Some(changes::decode_cursor(v.to_str().unwrap_or(""))?),
        None => None,
    };
    let live = state.db.subscribe();
    let live_reviews = state.db.subscribe_reviews();
    let start = match resume {
        Some(seq) => seq,
        None => {
            state
                .read(|c| {
                    Ok(c.query_row(
                        "SELECT COALESCE(MAX(seq), 0) FROM status_changes",
                        [],
                        |r| r.get::<_, i64>(0),
                    )?)
                })
                .await?
        }
    };
    let unit = who.unit_filter().map(str::to_string);
    let (tx, rx) = mpsc::channel::<Event>(64);
    tracing::debug!(user = %who.username, "event stream opened");
    let feeds = Feeds {
        changes: live,
        reviews: live_reviews,
    };
    tokio::spawn(pump(
        state.clone(),
        who,
        unit,
        start,
        resume.is_some(),
        feeds,
        tx,
    ));
    let events = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|e| (Ok::<_, Infallible>(e), rx))
    });
    Ok(Sse::new(events)
        .keep_alive(
            KeepAlive::new()
                .interval(state.config.sse_keep_alive)
                .text("keep-alive"),
        )
        .into_response())
}

fn event(change: &baosong_api::StatusChange, json: &str) -> Event {
    Event::default()
        .event(STATUS_CHANGE_EVENT)
        .id(change.cursor.clone())
        .data(json)
}

/// Sends the changes after `last` from the database. `None` when the client
/// went away.
async fn catch_up(
    state: &AppState,
    unit: &Option<String>,
    mut last: i64,
    tx: &mpsc::Sender<Event>,
) -> Result<Option<i64>> {
    loop {
        let u = unit.clone();
        let page = state
            .read(move |c| changes::after(c, u.as_deref(), last, CATCH_UP_PAGE))
            .await?;
        let full = page.len() == CATCH_UP_PAGE as usize;
        for (seq, change) in page {
            let json = serde_json::to_string(&change)
                .map_err(|e| Error::Internal(format!("serialising a change: {e}")))?;
            if tx.send(event(&change, &json)).await.is_err() {
                return Ok(None);
            }
            last = seq;
        }
        if !full {
            return Ok(Some(last));
        }
    }
}

/// The live broadcasts a stream listens to.
struct Feeds {
    changes: broadcast::Receiver<Arc<ChangeEvent>>,
    reviews: broadcast::Receiver<Arc<ReviewEvent>>,
}

fn review_event(ev: &ReviewEvent) -> Event {
    Event::default().event(REVIEW_CHANGE_EVENT).data(&ev.json)
}

async fn pump(
    state: AppState,
    who: Principal,
    unit: Option<String>,
    mut last: i64,
    catch_up_first: bool,
    feeds: Feeds,
    tx: mpsc::Sender<Event>,
) {
    let Feeds {
        changes: mut live,
        reviews: mut live_reviews,
    } = feeds;
    let mut shutdown = state.shutdown.clone();
    if *shutdown.borrow() {
        return;
    }
    if tx
        .send(Event::default().comment("connected"))
        .await
        .is_err()
    {
        return;
    }
    if catch_up_first {
        match catch_up(&state, &unit, last, &tx).await {
            Ok(Some(l)) => last = l,
            Ok(None) => return,
            Err(e) => {
                tracing::error!(error = %e, "event stream: reading the feed failed");
                return;
            }
        }
    }
    loop {
        tokio::select! {
            _ = tx.closed() => return,
            _ = shutdown.changed() => return,
            review = live_reviews.recv() => match review {
                Ok(ev) => {
                    if ev.visible_to(&who) && tx.send(review_event(&ev)).await.is_err() {
                        return;
                    }
                }
                // Missed review changes are in GET /reviews.
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            },
            received = live.recv() => match received {
                Ok(ev) => {
                    if ev.seq <= last {
                        continue;
                    }
                    let visible = unit.as_deref().is_none_or(|u| u == ev.change.unit_id);
                    if visible && tx.send(event(&ev.change, &ev.json)).await.is_err() {
                        return;
                    }
                    last = ev.seq;
                }
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::debug!(missed, from = %encode_cursor(last), "event stream fell behind; catching up");
                    match catch_up(&state, &unit, last, &tx).await {
                        Ok(Some(l)) => last = l,
                        Ok(None) => return,
                        Err(e) => {
                            tracing::error!(error = %e, "event stream: reading the feed failed");
                            return;
                        }
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
        }
    }
}
