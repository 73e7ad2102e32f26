//! The fault proxy against a tiny keep-alive HTTP server written here: what
//! passes, what breaks, and what the server saw.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use baosong_test_harness::{FaultConfig, FaultKind, FaultProxy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the test server received.
#[derive(Default)]
struct Seen {
    connections: usize,
    requests: Vec<(String, String, Vec<u8>)>,
}

/// A keep-alive HTTP/1.1 server with Content-Length framing.
/// - `/big`: a 64 KiB body;
/// - `/empty`: 204 No Content;
/// - `/chunked`: a chunked body (`hello world`);
/// - `/close`: answers with `Connection: close` and closes;
/// - anything else: echoes `METHOD PATH` and the request body.
struct TestServer {
    addr: SocketAddr,
    seen: Arc<Mutex<Seen>>,
}

impl TestServer {
    async fn start() -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Seen::default()));
        let s = seen.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                s.lock().unwrap().connections += 1;
                tokio::spawn(serve(stream, s.clone()));
            }
        });
        TestServer { addr, seen }
    }

    fn requests(&self) -> Vec<(String, String, Vec<u8>)> {
        self.seen.lock().unwrap().requests.clone()
    }

    fn connections(&self) -> usize {
        self.seen.lock().unwrap().connections
    }
}

fn big_body() -> Vec<u8> {
    (0..64 * 1024).map(|i| (i % 251) as u8).collect()
}

/// The exact bytes the server sends for a request.
fn response(method: &str, path: &str, body: &[u8]) -> Vec<u8> {
    let (status, extra, payload): (&str, &str, Vec<u8>) = match path {
        "/big" => ("200 OK", "", big_body()),
        "/empty" => ("204 No Content", "", Vec::new()),
        "/chunked" => {
            return b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
                .to_vec();
        }
        "/close" => ("200 OK", "Connection: close\r\n", b"bye".to_vec()),
        _ => {
            let mut p = format!("{method} {path}\n").into_bytes();
            p.extend_from_slice(body);
            ("200 OK", "", p)
        }
    };
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/octet-stream\r\n{extra}Content-Length: {}\r\n\r\n",
        if status.starts_with("204") { 0 } else { payload.len() }
    )
    .into_bytes();
    if method != "HEAD" && !status.starts_with("204") {
        out.extend_from_slice(&payload);
    }
    out
}

async fn serve(mut stream: TcpStream, seen: Arc<Mutex<Seen>>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8(buf.drain(..end).collect()).unwrap();
        let mut first = head.split(' ');
        let method = first.next().unwrap().to_string();
        let path = first.next().unwrap().to_string();
        let len: usize = head
            .lines()
            .find_map(|l| {
                let (n, v) = l.split_once(':')?;
                n.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().unwrap())
            })
            .unwrap_or(0);
        while buf.len() < len {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body: Vec<u8> = buf.drain(..len).collect();
        let out = response(&method, &path, &body);
        seen.lock()
            .unwrap()
            .requests
            .push((method, path.clone(), body));
        if stream.write_all(&out).await.is_err() {
            return;
        }
        if path == "/close" {
            return;
        }
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// Sends one request on `stream` and reads exactly the expected response.
async fn raw_exchange(stream: &mut TcpStream, request: &[u8], expected_len: usize) -> Vec<u8> {
    stream.write_all(request).await.unwrap();
    let mut got = vec![0u8; expected_len];
    tokio::time::timeout(Duration::from_secs(5), stream.read_exact(&mut got))
        .await
        .expect("response in time")
        .expect("whole response");
    got
}

#[tokio::test]
async fn a_healed_network_passes_everything_byte_for_byte_over_keep_alive() {
    let server = TestServer::start().await;
    let proxy = FaultProxy::start(server.addr, FaultConfig::default()).await;

    // Raw bytes: several exchanges, one of them pipelined, on one connection.
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    let binary: Vec<u8> = (0..=255u8).collect();
    let mut post = format!(
        "POST /echo?x=1 HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n",
        binary.len()
    )
    .into_bytes();
    post.extend_from_slice(&binary);
    let expected = response("POST", "/echo?x=1", &binary);
    assert_eq!(
        raw_exchange(&mut stream, &post, expected.len()).await,
        expected
    );

    let get_big = b"GET /big HTTP/1.1\r\nHost: t\r\n\r\n";
    let expected = response("GET", "/big", b"");
    assert_eq!(
        raw_exchange(&mut stream, get_big, expected.len()).await,
        expected
    );

    // HEAD and 204 carry no body: the next exchange must still line up.
    let mut two = b"HEAD /big HTTP/1.1\r\nHost: t\r\n\r\n".to_vec();
    two.extend_from_slice(b"GET /empty HTTP/1.1\r\nHost: t\r\n\r\n");
    two.extend_from_slice(b"GET /after HTTP/1.1\r\nHost: t\r\n\r\n");
    let mut expected = response("HEAD", "/big", b"");
    expected.extend(response("GET", "/empty", b""));
    expected.extend(response("GET", "/after", b""));
    assert_eq!(
        raw_exchange(&mut stream, &two, expected.len()).await,
        expected
    );
    drop(stream);

    // reqwest, keep-alive: one upstream connection for many requests.
    let before = server.connections();
    let c = client();
    for i in 0..5 {
        let r = c
            .post(format!("{}/n/{i}", proxy.base_url()))
            .body(format!("body {i}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.bytes().await.unwrap(), format!("POST /n/{i}\nbody {i}"));
    }
    assert_eq!(
        server.connections() - before,
        1,
        "keep-alive through the proxy"
    );

    // Connection: close from the server ends the client connection too.
    let r = c
        .get(format!("{}/close", proxy.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.bytes().await.unwrap(), "bye");
    let r = c
        .get(format!("{}/again", proxy.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let stats = proxy.stats();
    assert_eq!(stats.exchanges, 5 + 5 + 2);
    assert_eq!(stats.faulted(), 0);
    assert_eq!(server.requests().len(), 12);
    assert!(
        proxy
            .exchanges()
            .iter()
            .all(|e| e.fault.is_none() && e.status.is_some())
    );
}

/// Sends `GET /big` (or POST with a body) through a proxy that always applies
/// `kind`, and returns whether the client saw an error, and the server's
/// requests.
async fn with_every_exchange(kind: FaultKind, path: &str) -> (bool, TestServer, FaultProxy) {
    let server = TestServer::start().await;
    let proxy = FaultProxy::start(server.addr, FaultConfig::always(kind)).await;
    let result = async {
        let r = client()
            .post(format!("{}{path}", proxy.base_url()))
            .body("payload")
            .send()
            .await?;
        r.bytes().await
    }
    .await;
    (result.is_err(), server, proxy)
}

#[tokio::test]
async fn drop_before_request_never_reaches_the_server() {
    for path in ["/big", "/empty"] {
        let (failed, server, proxy) = with_every_exchange(FaultKind::DropBeforeRequest, path).await;
        assert!(failed, "{path}: the client must see an error");
        assert!(
            server.requests().is_empty(),
            "{path}: the server saw nothing"
        );
        assert!(proxy.stats().drop_before_request >= 1);
    }
}

#[tokio::test]
async fn drop_after_request_reaches_the_server_and_loses_the_answer() {
    for path in ["/big", "/empty", "/small"] {
        let (failed, server, proxy) = with_every_exchange(FaultKind::DropAfterRequest, path).await;
        assert!(failed, "{path}: the client must see an error");
        let requests = server.requests();
        assert!(!requests.is_empty(), "{path}: the server got the request");
        assert_eq!(requests[0].1, path);
        assert_eq!(requests[0].2, b"payload");
        let stats = proxy.stats();
        assert_eq!(stats.drop_after_request, stats.exchanges);
    }
}

#[tokio::test]
async fn drop_response_and_reset_mid_body_break_the_answer() {
    for kind in [FaultKind::DropResponse, FaultKind::ResetMidBody] {
        for path in ["/big", "/empty", "/small"] {
            let (failed, server, proxy) = with_every_exchange(kind, path).await;
            assert!(failed, "{kind:?} {path}: the client must see an error");
            assert!(
                !server.requests().is_empty(),
                "{kind:?} {path}: server got it"
            );
            assert!(proxy.stats().count(kind) >= 1);
        }
    }
}

#[tokio::test]
async fn reset_mid_body_sends_the_head_and_part_of_the_body() {
    let server = TestServer::start().await;
    let proxy = FaultProxy::start(server.addr, FaultConfig::always(FaultKind::ResetMidBody)).await;
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    stream
        .write_all(b"GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .unwrap();
    let mut got = Vec::new();
    let mut chunk = [0u8; 8192];
    let err = loop {
        match stream.read(&mut chunk).await {
            Ok(0) => panic!(
                "expected a reset, got a clean close after {} bytes",
                got.len()
            ),
            Ok(n) => got.extend_from_slice(&chunk[..n]),
            Err(e) => break e,
        }
    };
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionReset);
    let full = response("GET", "/big", b"");
    assert!(
        got.len() > 1000 && got.len() < full.len(),
        "partial: {}",
        got.len()
    );
    assert_eq!(got[..], full[..got.len()]);
}

#[tokio::test]
async fn delay_holds_the_request_then_completes_it() {
    let server = TestServer::start().await;
    let config = FaultConfig {
        delay: Duration::from_millis(300),
        ..FaultConfig::always(FaultKind::Delay)
    };
    let proxy = FaultProxy::start(server.addr, config).await;
    let started = Instant::now();
    let r = client()
        .get(format!("{}/slow", proxy.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.bytes().await.unwrap(), "GET /slow\n");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(proxy.stats().delay, 1);

    proxy.set_fault_rate(0.0);
    let started = Instant::now();
    client()
        .get(format!("{}/fast", proxy.base_url()))
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_millis(300));
}

#[tokio::test]
async fn chunked_responses_are_piped_not_faulted() {
    let server = TestServer::start().await;
    let proxy = FaultProxy::start(server.addr, FaultConfig::always(FaultKind::DropResponse)).await;
    let r = client()
        .get(format!("{}/chunked", proxy.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.bytes().await.unwrap(), "hello world");
    let stats = proxy.stats();
    assert_eq!(
        (stats.exchanges, stats.faulted(), stats.passthrough),
        (1, 0, 1)
    );
}

#[tokio::test]
async fn down_refuses_and_cuts_connections_until_healed() {
    let server = TestServer::start().await;
    let proxy = FaultProxy::start(server.addr, FaultConfig::default()).await;
    let c = client();
    let url = format!("{}/x", proxy.base_url());
    assert_eq!(c.get(&url).send().await.unwrap().status(), 200);

    // An idle keep-alive connection is cut, new ones are reset.
    let mut idle = TcpStream::connect(proxy.addr()).await.unwrap();
    proxy.set_down(true);
    let mut b = [0u8; 1];
    let n = tokio::time::timeout(Duration::from_secs(5), idle.read(&mut b)).await;
    assert!(
        matches!(n, Ok(Ok(0)) | Ok(Err(_))),
        "idle connection closed"
    );
    for _ in 0..3 {
        assert!(c.get(&url).send().await.is_err(), "down: requests fail");
    }
    let before = server.requests().len();
    assert_eq!(before, 1);
    assert!(proxy.stats().refused >= 3);

    proxy.set_down(false);
    assert_eq!(c.get(&url).send().await.unwrap().status(), 200);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_unreachable_upstream_closes_the_client_connection() {
    // A port nobody listens on.
    let dead: SocketAddr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let proxy = FaultProxy::start(dead, FaultConfig::default()).await;
    assert!(
        client()
            .get(format!("{}/", proxy.base_url()))
            .send()
            .await
            .is_err()
    );
    assert_eq!(proxy.stats().upstream_connect_failures, 1);
}

#[tokio::test]
async fn injected_faults_hit_the_matching_exchange_only() {
    let server = TestServer::start().await;
    let proxy = FaultProxy::start(server.addr, FaultConfig::default()).await;
    proxy.inject_next_matching(FaultKind::DropAfterRequest, Some("POST"), Some("/submit"));
    let c = client();
    let base = proxy.base_url();
    assert!(c.get(format!("{base}/submit")).send().await.is_ok());
    assert!(
        c.post(format!("{base}/other"))
            .body("a")
            .send()
            .await
            .is_ok()
    );
    assert!(
        c.post(format!("{base}/submit/1"))
            .body("b")
            .send()
            .await
            .is_err()
    );
    assert!(
        c.post(format!("{base}/submit/1"))
            .body("b")
            .send()
            .await
            .is_ok()
    );

    let paths: Vec<String> = server.requests().into_iter().map(|r| r.1).collect();
    assert_eq!(paths, ["/submit", "/other", "/submit/1", "/submit/1"]);
    let faults: Vec<_> = proxy.exchanges().into_iter().map(|e| e.fault).collect();
    assert_eq!(
        faults,
        [None, None, Some(FaultKind::DropAfterRequest), None]
    );
}

#[tokio::test]
async fn a_partial_rate_faults_some_exchanges_and_counts_them() {
    let server = TestServer::start().await;
    let config = FaultConfig {
        kinds: vec![
            FaultKind::DropBeforeRequest,
            FaultKind::DropAfterRequest,
            FaultKind::DropResponse,
            FaultKind::ResetMidBody,
        ],
        ..FaultConfig::with_rate(0.5, 42)
    };
    let proxy = FaultProxy::start(server.addr, config).await;
    let c = client();
    let mut failures = 0;
    for i in 0..40 {
        let r = async {
            c.get(format!("{}/big?{i}", proxy.base_url()))
                .send()
                .await?
                .bytes()
                .await
        }
        .await;
        failures += usize::from(r.is_err());
    }
    let stats = proxy.stats();
    assert_eq!(stats.exchanges, 40);
    assert_eq!(stats.faulted() as usize, failures);
    assert!(
        (8..=32).contains(&failures),
        "about half failed: {failures}"
    );
    // Only the requests dropped before reaching it are missing at the server.
    assert_eq!(
        server.requests().len() as u64,
        40 - stats.drop_before_request
    );
}

#[test]
fn a_proxy_on_its_own_thread_serves_blocking_clients() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let proxy = FaultProxy::start_in_thread(server.addr, FaultConfig::default());

    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(proxy.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    for _ in 0..2 {
        stream
            .write_all(b"GET /t HTTP/1.1\r\nHost: t\r\n\r\n")
            .unwrap();
        let expected = response("GET", "/t", b"");
        let mut got = vec![0u8; expected.len()];
        stream.read_exact(&mut got).unwrap();
        assert_eq!(got, expected);
    }
    proxy.inject_next(FaultKind::DropBeforeRequest);
    stream
        .write_all(b"GET /t HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    assert!(rest.is_empty());
    assert_eq!(proxy.stats().drop_before_request, 1);
    drop(proxy);
}
