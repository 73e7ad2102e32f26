//! Submitting through a faulty network, a crash, and broken portal replies:
//! the real `baosong` binary, the real portal binary, and a TCP fault proxy
//! between them that drops, delays and resets real connections.

mod support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use baosong_core::model::ItemState;
use baosong_test_harness::{FaultConfig, FaultKind, FaultProxy, PortalProcess};
use support::{Client, PASSWORD, PortalApi, portal_counts, stderr, text};

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The local frozen payloads, by item id.
fn local_payloads(dir: &std::path::Path) -> HashMap<String, serde_json::Value> {
    let conn = rusqlite::Connection::open(dir.join("baosong.sqlite3")).unwrap();
    let mut stmt = conn
        .prepare("SELECT i.id, o.payload FROM outbox o JOIN items i ON i.seq = o.item_seq")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
        .map(|r| {
            let (id, payload) = r.unwrap();
            (id, serde_json::from_str(&payload).unwrap())
        })
        .collect()
}

/// What the portal stored: client item id → (request as received, status).
fn portal_requests(db: &std::path::Path) -> HashMap<String, (serde_json::Value, String)> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT s.client_item_id, r.request, s.status FROM submissions s
             JOIN submission_revisions r ON r.submission_seq = s.seq",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })
    .unwrap()
    .map(|r| {
        let (id, request, status) = r.unwrap();
        (id, (serde_json::from_str(&request).unwrap(), status))
    })
    .collect()
}

#[test]
fn five_hundred_items_through_faults_and_a_crash_arrive_exactly_once() {
    const N: usize = 500;
    let portal = PortalProcess::start_demo(PASSWORD);
    let proxy = FaultProxy::start_in_thread(portal.addr, FaultConfig::with_rate(0.0, 2026));
    proxy.set_delay(Duration::from_millis(600));
    let client = Client::new();
    client.login(&proxy.base_url(), "jyj.xxy");
    client.register_signer(&portal);
    let ids = client.signed_off(N, "bmdt");
    {
        let store = client.store();
        for id in &ids {
            baosong_sync::outbox::enqueue(&store, *id).unwrap();
        }
    }

    // One exchange in five goes wrong, and the client is killed (-9) midway.
    proxy.set_fault_rate(0.2);
    let mut first = client.spawn(&["sync", "--once"]);
    wait_for("a third of the items", Duration::from_secs(300), || {
        portal_counts(&portal.db_path).0 >= (N / 3) as i64
    });
    first.kill().unwrap();
    first.wait().unwrap();
    let at_crash = portal_counts(&portal.db_path).0;
    assert!(at_crash < N as i64, "killed before the end ({at_crash})");

    // Restarted, still on the bad network: it goes on from where it was.
    let o = client.run(&["sync", "--once"], None);
    assert!(
        o.status.success() || stderr(&o).contains("门户网站"),
        "a clear message when a pass stops early: {}",
        text(&o)
    );
    let stats = proxy.stats();
    for kind in FaultKind::ALL {
        assert!(stats.count(kind) > 0, "{kind:?} never happened: {stats:?}");
    }

    // The network heals.
    proxy.set_fault_rate(0.0);
    let mut healed = false;
    for _ in 0..5 {
        if client.run(&["sync", "--once"], None).status.success() {
            healed = true;
            break;
        }
    }
    assert!(healed, "the queue drains once the network is healthy");

    // Exactly N submissions, each once, each exactly what was queued.
    assert_eq!(portal_counts(&portal.db_path), (N as i64, N as i64));
    let local = local_payloads(client.dir());
    let remote = portal_requests(&portal.db_path);
    assert_eq!(local.len(), N);
    assert_eq!(remote.len(), N, "one submission per item");
    let store = client.store();
    for id in &ids {
        let key = id.to_string();
        let (request, _) = remote.get(&key).expect("at the portal");
        assert_eq!(request, &local[&key], "byte for byte what was queued");
        let item = store.get_item(*id).unwrap();
        assert_eq!(request["body_markdown"], item.content.body);
        assert_eq!(request["item"]["title"], item.content.title);
        assert_eq!(item.state, ItemState::Submitted);
    }

    // The portal moves some on; every local item follows.
    let editor = PortalApi::sign_in(&portal, "editor");
    let received: Vec<String> = editor
        .all_changes()
        .iter()
        .filter(|c| c["status"] == "received")
        .map(|c| c["submission_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(received.len(), N);
    for (i, sub) in received.iter().take(30).enumerate() {
        editor.decide(sub, serde_json::json!({"action": "start_review"}));
        if i % 3 == 0 {
            editor.decide(sub, serde_json::json!({"action": "adopt"}));
        }
    }
    let o = client.run(&["sync", "--once"], None);
    assert!(o.status.success(), "{}", text(&o));
    let remote = portal_requests(&portal.db_path);
    let mut moved = 0;
    for id in &ids {
        let status = &remote[&id.to_string()].1;
        let expected = match status.as_str() {
            "received" => ItemState::Submitted,
            "in_review" => ItemState::InReview,
            "adopted" => ItemState::Adopted,
            other => panic!("unexpected portal status {other}"),
        };
        if expected != ItemState::Submitted {
            moved += 1;
        }
        assert_eq!(store.get_item(*id).unwrap().state, expected, "{id}");
    }
    assert_eq!(moved, 30);
}

/// A fake portal that signs anyone in and answers submissions with `reply`.
fn fake_portal(reply: Reply) -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                loop {
                    let mut request_line = String::new();
                    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
                        return;
                    }
                    let mut length = 0usize;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0; length];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    if request_line.starts_with("POST /api/v1/submissions") {
                        reply(&mut stream);
                        return;
                    }
                    let json = if request_line.contains("/auth/") {
                        r#"{"access_token":"bsa_fake","token_type":"Bearer","expires_in":900,"refresh_token":"bsr_fake","refresh_expires_in":3600}"#
                    } else {
                        r#"{"type":"urn:baosong:problem:not_found","title":"Not found","status":404,"detail":"没有","detail_en":"none","code":"not_found"}"#
                    };
                    let status = if request_line.contains("/auth/") {
                        "200 OK"
                    } else {
                        "404 Not Found"
                    };
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{json}",
                        json.len()
                    );
                }
            });
        }
    });
    (base, handle)
}

fn malformed_json(s: &mut std::net::TcpStream) {
    let body = "{\"id\": \"not even close";
    let _ = write!(
        s,
        "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
}

fn server_error(s: &mut std::net::TcpStream) {
    let body = "<html><body>502 Bad Gateway</body></html>";
    let _ = write!(
        s,
        "HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/html\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
}

fn huge_body(s: &mut std::net::TcpStream) {
    // 200 MB announced as chunked: the client must stop reading by itself.
    let _ = write!(
        s,
        "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
    );
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..200 {
        if write!(s, "{:x}\r\n", chunk.len()).is_err()
            || s.write_all(&chunk).is_err()
            || s.write_all(b"\r\n").is_err()
        {
            return;
        }
    }
}

/// How the fake portal answers a submission.
type Reply = fn(&mut std::net::TcpStream);

#[test]
fn broken_portal_replies_are_reported_and_the_entry_stays_queued() {
    let cases: [(Reply, &str); 3] = [
        (malformed_json, "无法识别的内容"),
        (server_error, "暂时无法处理"),
        (huge_body, "无法识别的内容"),
    ];
    for (reply, message) in cases {
        let (base, _server) = fake_portal(reply);
        let client = Client::new();
        client.login(&base, "jyj.xxy");
        let id = client.signed_off(1, "bmdt")[0];
        let store = client.store();
        baosong_sync::outbox::enqueue(&store, id).unwrap();
        let started = Instant::now();
        let o = client.run(&["sync", "--once"], None);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        let err = stderr(&o);
        assert!(err.contains(message), "{message}: {}", text(&o));
        assert!(!err.contains("panicked"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(60));
        assert_eq!(store.outbox_counts().unwrap(), (1, 0), "still queued");
        assert_eq!(store.get_item(id).unwrap().state, ItemState::Queued);
        let entry = &store.item_outbox(id).unwrap()[0];
        assert!(entry.attempts >= 1);
        assert!(entry.last_error.is_some());
    }
}
