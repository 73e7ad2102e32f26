//! The change feed: cursor paging while others write, and live Server-Sent
//! Events, over real HTTP.

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use baosong_api::{ChangesPage, ProblemCode, StatusChange, SubmissionStatus};
use common::{Portal, expect_problem, request};
use futures_util::StreamExt;
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

async fn page(p: &Portal, token: &str, since: Option<&str>, limit: u32) -> ChangesPage {
    let mut path = format!("/submissions/changes?limit={limit}");
    if let Some(s) = since {
        path.push_str(&format!("&since={s}"));
    }
    let r = p.get(token, &path).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

/// Position of a cursor, for checking order only (tests may peek; clients
/// must not).
fn pos(cursor: &str) -> i64 {
    i64::from_str_radix(cursor.strip_prefix('c').unwrap(), 16).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_under_concurrent_writes_sees_every_change_once_in_order() {
    let p = Arc::new(Portal::start().await);
    let jyj = p.token("jyj.xxy").await;
    let wjw = p.token("wjw.xxy").await;
    let editor = p.token("editor").await;

    let mut ids = Vec::new();
    for i in 0..12 {
        let t = if i % 3 == 0 { &wjw } else { &jyj };
        ids.push(p.submit_new(t, &request(&format!("稿件{i}"))).await.id);
    }

    // Writers: editors move every submission along while units add more.
    let done = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for chunk in ids.chunks(3) {
        let (p, editor, chunk) = (p.clone(), editor.clone(), chunk.to_vec());
        writers.push(tokio::spawn(async move {
            for action in ["start_review", "adopt"] {
                for id in &chunk {
                    let r = p.decide(&editor, *id, json!({"action": action})).await;
                    assert_eq!(r.status(), StatusCode::OK);
                }
            }
            for id in &chunk {
                let body = json!({"action": "publish", "public_url": format!("https://www.example.gov.cn/{id}.html")});
                assert_eq!(p.decide(&editor, *id, body).await.status(), StatusCode::OK);
            }
        }));
    }
    for n in 0..2 {
        let (p, jyj) = (p.clone(), jyj.clone());
        writers.push(tokio::spawn(async move {
            for i in 0..8 {
                p.submit_new(&jyj, &request(&format!("新稿{n}-{i}"))).await;
            }
        }));
    }

    // Readers page through the feed while that happens: the editor (all
    // units) and the 市教育局 officer (own unit only).
    let reader = |token: String, limit: u32| {
        let (p, done) = (p.clone(), done.clone());
        tokio::spawn(async move {
            let mut seen: Vec<StatusChange> = Vec::new();
            let mut cursor: Option<String> = None;
            loop {
                let finished = done.load(Ordering::SeqCst);
                let page = page(&p, &token, cursor.as_deref(), limit).await;
                assert!(page.changes.len() <= limit as usize);
                let empty = page.changes.is_empty();
                if let Some(last) = page.changes.last() {
                    assert_eq!(page.next_cursor, last.cursor);
                }
                seen.extend(page.changes);
                cursor = Some(page.next_cursor);
                if finished && empty && !page.has_more {
                    return seen;
                }
                if empty {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }
        })
    };
    let all = reader(editor.clone(), 7);
    let mine = reader(jyj.clone(), 5);
    for w in writers {
        w.await.unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let all = all.await.unwrap();
    let mine = mine.await.unwrap();

    // 12 + 16 arrivals, 12 × (review, adopt, publish).
    let total = p.counts().2;
    assert_eq!(total, 12 + 16 + 36);
    assert_eq!(all.len() as i64, total, "every change exactly once");
    for seen in [&all, &mine] {
        let positions: Vec<i64> = seen.iter().map(|c| pos(&c.cursor)).collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "in order, no repeats"
        );
    }
    let unique: HashSet<&str> = all.iter().map(|c| c.cursor.as_str()).collect();
    assert_eq!(unique.len(), all.len());
    // The unit reader saw exactly its unit's changes.
    assert!(mine.iter().all(|c| c.unit_id == "sjyj"));
    let expected: Vec<&str> = all
        .iter()
        .filter(|c| c.unit_id == "sjyj")
        .map(|c| c.cursor.as_str())
        .collect();
    let got: Vec<&str> = mine.iter().map(|c| c.cursor.as_str()).collect();
    assert_eq!(got, expected);
    // Every change names who did it.
    assert!(all.iter().all(|c| !c.by.username.is_empty()));
    assert_eq!(
        all.iter()
            .filter(|c| c.status == SubmissionStatus::Published)
            .count(),
        12
    );
}

#[tokio::test]
async fn bad_cursors_and_limits_are_400() {
    let p = Portal::start().await;
    let t = p.token("jyj.xxy").await;
    for q in ["since=zzz", "since=", "since=c-1"] {
        let r = p.get(&t, &format!("/submissions/changes?{q}")).await;
        expect_problem(r, 400, ProblemCode::InvalidCursor).await;
    }
    for q in ["limit=0", "limit=1001", "limit=abc", "unknown=1"] {
        let r = p.get(&t, &format!("/submissions/changes?{q}")).await;
        expect_problem(r, 400, ProblemCode::InvalidParameter).await;
    }
    // An empty feed gives a cursor to come back with.
    let first = page(&p, &t, None, 10).await;
    assert!(first.changes.is_empty() && !first.has_more);
    let again = page(&p, &t, Some(&first.next_cursor), 10).await;
    assert_eq!(again.next_cursor, first.next_cursor);
}

/// Reads Server-Sent Events until one named `status_change` arrives.
struct Sse {
    stream: std::pin::Pin<
        Box<dyn futures_util::Stream<Item = reqwest::Result<axum::body::Bytes>> + Send>,
    >,
    buf: String,
}

impl Sse {
    async fn connect(p: &Portal, token: &str, last_event_id: Option<&str>) -> Sse {
        let mut b = p.client.get(p.url("/events")).bearer_auth(token);
        if let Some(id) = last_event_id {
            b = b.header("Last-Event-ID", id);
        }
        let r = b.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/event-stream")
        );
        Sse {
            stream: Box::pin(r.bytes_stream()),
            buf: String::new(),
        }
    }

    /// The next `status_change` event: (id, data).
    async fn next_change(&mut self) -> (String, StatusChange) {
        let fut = async {
            loop {
                while let Some(end) = self.buf.find("\n\n") {
                    let block: String = self.buf.drain(..end + 2).collect();
                    let mut name = "";
                    let mut id = "";
                    let mut data = String::new();
                    for line in block.lines() {
                        if let Some(v) = line.strip_prefix("event:") {
                            name = v.trim_start();
                        } else if let Some(v) = line.strip_prefix("id:") {
                            id = v.trim_start();
                        } else if let Some(v) = line.strip_prefix("data:") {
                            data.push_str(v.trim_start());
                        }
                    }
                    if name == "status_change" {
                        return (id.to_string(), serde_json::from_str(&data).unwrap());
                    }
                }
                let chunk = self.stream.next().await.expect("stream ended").unwrap();
                self.buf.push_str(std::str::from_utf8(&chunk).unwrap());
            }
        };
        tokio::time::timeout(Duration::from_secs(10), fut)
            .await
            .expect("no event within 10 s")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_events_reach_the_unit_and_resume_with_last_event_id() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let wjw = p.token("wjw.xxy").await;
    let editor = p.token("editor").await;

    let mut unit_stream = Sse::connect(&p, &jyj, None).await;
    let mut editor_stream = Sse::connect(&p, &editor, None).await;

    // Another unit's change first: the 市教育局 stream must not carry it.
    let other = p.submit_new(&wjw, &request("卫健委稿件")).await;
    let mine = p.submit_new(&jyj, &request("教育局稿件")).await;
    let r = p
        .decide(
            &editor,
            mine.id,
            json!({"action": "return", "reason": "请补充图片"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    let (id1, c1) = unit_stream.next_change().await;
    assert_eq!(c1.submission_id, mine.id);
    assert_eq!(c1.status, SubmissionStatus::Received);
    assert_eq!(id1, c1.cursor);
    let (_, c2) = unit_stream.next_change().await;
    assert_eq!(c2.status, SubmissionStatus::Returned);
    assert_eq!(c2.reason.as_deref(), Some("请补充图片"));
    assert_eq!(c2.by.username, "editor");

    // The editor sees every unit's changes, in order.
    let seen: Vec<Uuid> = [
        editor_stream.next_change().await.1,
        editor_stream.next_change().await.1,
        editor_stream.next_change().await.1,
    ]
    .iter()
    .map(|c| c.submission_id)
    .collect();
    assert_eq!(seen, [other.id, mine.id, mine.id]);

    // Reconnecting after the first change replays what was missed.
    drop(unit_stream);
    let mut resumed = Sse::connect(&p, &jyj, Some(&id1)).await;
    let (_, replayed) = resumed.next_change().await;
    assert_eq!(replayed, c2);
    // …then goes on live.
    let r = p
        .client
        .post(p.url(&format!("/submissions/{}/withdraw", mine.id)))
        .bearer_auth(&jyj)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (_, c3) = resumed.next_change().await;
    assert_eq!(c3.status, SubmissionStatus::Withdrawn);

    // A bad Last-Event-ID is a problem, not a silent restart.
    let r = p
        .client
        .get(p.url("/events"))
        .bearer_auth(&jyj)
        .header("Last-Event-ID", "nonsense")
        .send()
        .await
        .unwrap();
    expect_problem(r, 400, ProblemCode::InvalidCursor).await;

    // Shutting down ends open streams instead of hanging.
    tokio::time::timeout(Duration::from_secs(10), p.stop())
        .await
        .expect("shutdown with open event streams");
}

/// The raw JSON of a feed page, as sent.
async fn page_bytes(p: &Portal, token: &str, path: &str) -> Vec<u8> {
    let r = p.get(token, path).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/json");
    r.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn cached_full_pages_are_only_ever_answered_within_their_unit() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let wjw = p.token("wjw.xxy").await;
    let editor = p.token("editor").await;
    // Interleaved, so that the same (since, limit) means different changes
    // for each unit and for the editor.
    for i in 0..3 {
        p.submit_new(&jyj, &request(&format!("教育{i}"))).await;
        p.submit_new(&wjw, &request(&format!("卫健{i}"))).await;
    }
    let path = "/submissions/changes?limit=2";
    let first: Vec<(&str, &str, Vec<u8>)> = vec![
        ("jyj", jyj.as_str(), page_bytes(&p, &jyj, path).await),
        ("wjw", wjw.as_str(), page_bytes(&p, &wjw, path).await),
        (
            "editor",
            editor.as_str(),
            page_bytes(&p, &editor, path).await,
        ),
    ];
    assert_eq!(p.feed_cache_stats().hits, 0);
    for (who, token, bytes) in &first {
        let page: ChangesPage = serde_json::from_slice(bytes).unwrap();
        assert!(page.has_more, "{who}: a full page");
        let units: Vec<&str> = page.changes.iter().map(|c| c.unit_id.as_str()).collect();
        match *who {
            "jyj" => assert_eq!(units, ["sjyj", "sjyj"]),
            "wjw" => assert_eq!(units, ["swjw", "swjw"]),
            _ => assert_eq!(units, ["sjyj", "swjw"], "the editor sees every unit"),
        }
        // Asked again (now from the cache): the same bytes, the caller's own.
        assert_eq!(&page_bytes(&p, token, path).await, bytes, "{who}");
    }
    assert_eq!(
        p.feed_cache_stats().hits,
        3,
        "the second round came from the cache"
    );
    p.stop().await;
}

#[tokio::test]
async fn the_last_page_is_never_cached() {
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    for i in 0..2 {
        p.submit_new(&jyj, &request(&format!("稿件{i}"))).await;
    }
    for _ in 0..2 {
        let last = page(&p, &jyj, None, 2).await;
        assert_eq!((last.changes.len(), last.has_more), (2, false));
    }
    // A third change arrives: the same request now has more after it.
    let third = p.submit_new(&jyj, &request("稿件2")).await;
    let full = page(&p, &jyj, None, 2).await;
    assert_eq!((full.changes.len(), full.has_more), (2, true));
    let rest = page(&p, &jyj, Some(&full.next_cursor), 2).await;
    assert_eq!(rest.changes.len(), 1);
    assert_eq!(rest.changes[0].submission_id, third.id);
    assert!(!rest.has_more);
    p.stop().await;
}

#[tokio::test]
async fn assembled_pages_are_byte_for_byte_the_serialised_page() {
    use baosong_portal::db::changes::{encode_cursor, page_in_scope};
    let p = Portal::start().await;
    let jyj = p.token("jyj.xxy").await;
    let wjw = p.token("wjw.xxy").await;
    let editor = p.token("editor").await;
    for i in 0..4 {
        let s = p.submit_new(&jyj, &request(&format!("教育{i}"))).await;
        p.submit_new(&wjw, &request(&format!("卫健{i}"))).await;
        // A change with a comment, from an editor.
        let r = p
            .decide(
                &editor,
                s.id,
                json!({"action": "start_review", "comment": "审核中，\"引号\" \\ 反斜杠"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let callers = [(&jyj, Some("sjyj")), (&wjw, Some("swjw")), (&editor, None)];
    // The second round finds every change's JSON stored by the first.
    for round in 0..2 {
        for (token, scope) in callers {
            for (since, limit) in [(0, 3), (1, 2), (2, 100), (5, 1), (7, 4), (100, 5)] {
                let path = format!(
                    "/submissions/changes?limit={limit}&since={}",
                    encode_cursor(since)
                );
                let got = page_bytes(&p, token, &path).await;
                let want = p
                    .db()
                    .read(|c| page_in_scope(c, scope, since, limit))
                    .unwrap();
                assert_eq!(
                    String::from_utf8(got).unwrap(),
                    serde_json::to_string(&want).unwrap(),
                    "round {round}, {scope:?}, since {since}, limit {limit}"
                );
            }
        }
    }
    p.stop().await;
}
