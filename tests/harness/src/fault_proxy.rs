//! A fault-injecting HTTP/1.1 proxy on loopback.
//!
//! Why: the outbox must survive the failures a county office network really
//! has — a request that never arrives, an answer that is lost after the portal
//! acted on it, a connection reset half-way through a body, a slow link, a
//! portal that is down. Mocking the HTTP client would only test the mock; this
//! proxy sits between the real client and the real reference portal and breaks
//! real TCP connections, so the client's own error handling, retries and
//! idempotency keys are what get exercised.
//!
//! How: the proxy understands just enough HTTP/1.1 to know where one exchange
//! (request + response) ends on a keep-alive connection: request heads up to
//! the blank line, `Content-Length` bodies, response heads and
//! `Content-Length` bodies. For each exchange it rolls the dice (seeded, see
//! [`FaultConfig::seed`]) and, with probability [`FaultConfig::fault_rate`],
//! applies one [`FaultKind`] chosen uniformly from [`FaultConfig::kinds`].
//! Anything it cannot frame — chunked requests or responses, responses
//! without a length (Server-Sent Events), `Upgrade`, `Expect` — is never
//! faulted: the rest of that connection is piped through unchanged.
//!
//! Each client connection gets its own upstream connection, so keep-alive and
//! `Connection: close` behave as they would without the proxy, and an upstream
//! that closes an idle connection closes the client's too.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// Largest request or response head the proxy parses; a bigger one switches
/// the connection to plain piping.
const MAX_HEAD: usize = 64 * 1024;
/// How long to wait for the upstream to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Pause between sending part of a response and resetting the connection, so
/// the part really reaches the client before the RST (which discards unsent
/// data).
const RESET_GRACE: Duration = Duration::from_millis(20);

/// What can go wrong with one exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultKind {
    /// The client's request is read and the connection closed: the portal
    /// never sees the request.
    DropBeforeRequest,
    /// The request reaches the portal and the portal's whole response is
    /// read, then the client connection is closed without any of it: the
    /// portal acted, the answer is lost.
    DropAfterRequest,
    /// The client gets the response head (status line and headers) but no
    /// body, then the connection closes. A response without a body gets only
    /// half of its head, so it is incomplete either way.
    DropResponse,
    /// The request is held for [`FaultConfig::delay`] before it is forwarded;
    /// then the exchange completes normally.
    Delay,
    /// The client gets the response head and about half the body, then a TCP
    /// reset (RST). A response without a body gets half of its head.
    ResetMidBody,
}

impl FaultKind {
    /// Every kind, in declaration order.
    pub const ALL: [FaultKind; 5] = [
        FaultKind::DropBeforeRequest,
        FaultKind::DropAfterRequest,
        FaultKind::DropResponse,
        FaultKind::Delay,
        FaultKind::ResetMidBody,
    ];
}

/// How the proxy misbehaves. `FaultConfig::default()` is a healed network
/// (rate 0) with every kind enabled, seed 1 and a 1.5 s delay.
#[derive(Debug, Clone)]
pub struct FaultConfig {
    /// Probability (0.0..=1.0) that an exchange is faulted. 0.0 passes
    /// everything through untouched.
    pub fault_rate: f64,
    /// Seed for the dice. With one client connection at a time the sequence of
    /// faults is reproducible; with several, the order in which their
    /// exchanges reach the dice (and so which one gets which roll) is not.
    pub seed: u64,
    /// How long [`FaultKind::Delay`] holds a request.
    pub delay: Duration,
    /// The kinds to choose from (uniformly). Empty means no faults at all.
    pub kinds: Vec<FaultKind>,
}

impl Default for FaultConfig {
    fn default() -> FaultConfig {
        FaultConfig {
            fault_rate: 0.0,
            seed: 1,
            delay: Duration::from_millis(1500),
            kinds: FaultKind::ALL.to_vec(),
        }
    }
}

impl FaultConfig {
    /// Every kind at `fault_rate`, dice seeded with `seed`.
    pub fn with_rate(fault_rate: f64, seed: u64) -> FaultConfig {
        FaultConfig {
            fault_rate,
            seed,
            ..FaultConfig::default()
        }
    }

    /// Every exchange gets `kind` (rate 1.0).
    pub fn always(kind: FaultKind) -> FaultConfig {
        FaultConfig {
            fault_rate: 1.0,
            kinds: vec![kind],
            ..FaultConfig::default()
        }
    }
}

/// Counters since the proxy started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FaultStats {
    /// Client connections accepted (including refused ones).
    pub connections: u64,
    /// Connections reset at once because the proxy was down.
    pub refused: u64,
    /// Connections closed because the upstream could not be reached.
    pub upstream_connect_failures: u64,
    /// Requests whose head was read and the dice rolled for.
    pub exchanges: u64,
    /// Connections switched to plain piping (chunked, no length, upgrade…).
    pub passthrough: u64,
    /// Faults applied, by kind.
    pub drop_before_request: u64,
    pub drop_after_request: u64,
    pub drop_response: u64,
    pub delay: u64,
    pub reset_mid_body: u64,
}

impl FaultStats {
    /// Faults applied of `kind`.
    pub fn count(&self, kind: FaultKind) -> u64 {
        match kind {
            FaultKind::DropBeforeRequest => self.drop_before_request,
            FaultKind::DropAfterRequest => self.drop_after_request,
            FaultKind::DropResponse => self.drop_response,
            FaultKind::Delay => self.delay,
            FaultKind::ResetMidBody => self.reset_mid_body,
        }
    }

    /// Faults applied, all kinds together.
    pub fn faulted(&self) -> u64 {
        FaultKind::ALL.iter().map(|k| self.count(*k)).sum()
    }

    fn bump(&mut self, kind: FaultKind) {
        match kind {
            FaultKind::DropBeforeRequest => self.drop_before_request += 1,
            FaultKind::DropAfterRequest => self.drop_after_request += 1,
            FaultKind::DropResponse => self.drop_response += 1,
            FaultKind::Delay => self.delay += 1,
            FaultKind::ResetMidBody => self.reset_mid_body += 1,
        }
    }
}

/// One finished exchange, as the proxy saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// `GET`, `POST`, …
    pub method: String,
    /// The request target as sent, e.g. `/api/v1/submissions?x=1`.
    pub target: String,
    /// The portal's status code, if the request reached the portal and a
    /// response head came back.
    pub status: Option<u16>,
    /// The fault applied, if any.
    pub fault: Option<FaultKind>,
}

/// A fault to apply to the next matching exchange, regardless of the rate.
#[derive(Debug)]
struct Injection {
    kind: FaultKind,
    method: Option<String>,
    path_prefix: Option<String>,
}

impl Injection {
    fn matches(&self, method: &str, target: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self
                .path_prefix
                .as_deref()
                .is_none_or(|p| target.starts_with(p))
    }
}

struct Shared {
    upstream: SocketAddr,
    rate_bits: AtomicU64,
    delay: Mutex<Duration>,
    kinds: Mutex<Vec<FaultKind>>,
    rng: Mutex<fastrand::Rng>,
    injected: Mutex<VecDeque<Injection>>,
    stats: Mutex<FaultStats>,
    log: Mutex<Vec<Exchange>>,
}

/// A poisoned lock only means another test thread panicked; the data is
/// still counters.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    fn stats(&self, f: impl FnOnce(&mut FaultStats)) {
        f(&mut lock(&self.stats));
    }

    /// Counts the exchange and decides its fault.
    fn decide(&self, method: &str, target: &str) -> Option<FaultKind> {
        self.stats(|s| s.exchanges += 1);
        {
            let mut queue = lock(&self.injected);
            if let Some(i) = queue.iter().position(|i| i.matches(method, target)) {
                return queue.remove(i).map(|i| i.kind);
            }
        }
        let rate = f64::from_bits(self.rate_bits.load(Ordering::Relaxed));
        let kinds = lock(&self.kinds).clone();
        let mut rng = lock(&self.rng);
        // Always roll, so the sequence does not depend on the rate.
        let roll = rng.f64();
        let pick = rng.usize(..kinds.len().max(1));
        (roll < rate && !kinds.is_empty()).then(|| kinds[pick])
    }

    fn record(&self, method: &str, target: &str, status: Option<u16>, fault: Option<FaultKind>) {
        if let Some(kind) = fault {
            self.stats(|s| s.bump(kind));
        }
        lock(&self.log).push(Exchange {
            method: method.to_string(),
            target: target.to_string(),
            status,
            fault,
        });
    }
}

/// The proxy. Listens on `127.0.0.1:<random port>` and forwards to one
/// upstream address. Dropping it stops accepting and cuts every connection.
pub struct FaultProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    down: watch::Sender<bool>,
    /// Dropped (or set) to stop everything.
    stop: watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FaultProxy {
    /// Starts the proxy on the current tokio runtime (any flavour). The
    /// listener is bound when this returns. The proxy only works while that
    /// runtime runs: a blocking client on the thread of a current-thread
    /// runtime (`#[tokio::test]`'s default) would wait for ever — use
    /// [`start_in_thread`](Self::start_in_thread) for blocking clients.
    pub async fn start(upstream: SocketAddr, config: FaultConfig) -> FaultProxy {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("fault proxy: cannot bind 127.0.0.1:0");
        let (proxy, down_rx, stop_rx) =
            FaultProxy::new(&listener_addr(&listener), upstream, config);
        tokio::spawn(accept_loop(
            listener,
            proxy.shared.clone(),
            down_rx,
            stop_rx,
        ));
        proxy
    }

    /// Starts the proxy on its own runtime thread, for tests that do not run
    /// tokio (blocking clients, child processes). The listener is bound when
    /// this returns; dropping the proxy stops and joins the thread.
    pub fn start_in_thread(upstream: SocketAddr, config: FaultConfig) -> FaultProxy {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))
            .expect("fault proxy: cannot bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("fault proxy: cannot make the listener non-blocking");
        let addr = listener
            .local_addr()
            .expect("fault proxy: listener has no local address");
        let (mut proxy, down_rx, stop_rx) = FaultProxy::new(&addr, upstream, config);
        let shared = proxy.shared.clone();
        let thread = std::thread::Builder::new()
            .name(format!("fault-proxy-{}", addr.port()))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("fault proxy: cannot build its tokio runtime");
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(listener)
                        .expect("fault proxy: cannot register the listener with tokio");
                    accept_loop(listener, shared, down_rx, stop_rx).await;
                });
            })
            .expect("fault proxy: cannot spawn its thread");
        proxy.thread = Some(thread);
        proxy
    }

    fn new(
        addr: &SocketAddr,
        upstream: SocketAddr,
        config: FaultConfig,
    ) -> (FaultProxy, watch::Receiver<bool>, watch::Receiver<bool>) {
        let (down, down_rx) = watch::channel(false);
        let (stop, stop_rx) = watch::channel(false);
        let shared = Arc::new(Shared {
            upstream,
            rate_bits: AtomicU64::new(clamp_rate(config.fault_rate).to_bits()),
            delay: Mutex::new(config.delay),
            kinds: Mutex::new(config.kinds),
            rng: Mutex::new(fastrand::Rng::with_seed(config.seed)),
            injected: Mutex::new(VecDeque::new()),
            stats: Mutex::new(FaultStats::default()),
            log: Mutex::new(Vec::new()),
        });
        let proxy = FaultProxy {
            addr: *addr,
            shared,
            down,
            stop,
            thread: None,
        };
        (proxy, down_rx, stop_rx)
    }

    /// The address clients connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the proxy forwards to.
    pub fn upstream(&self) -> SocketAddr {
        self.shared.upstream
    }

    /// Changes the fault probability for the following exchanges (clamped to
    /// 0.0..=1.0). 0.0 heals the network.
    pub fn set_fault_rate(&self, rate: f64) {
        self.shared
            .rate_bits
            .store(clamp_rate(rate).to_bits(), Ordering::Relaxed);
    }

    /// Changes the kinds the dice choose from.
    pub fn set_kinds(&self, kinds: &[FaultKind]) {
        *lock(&self.shared.kinds) = kinds.to_vec();
    }

    /// Changes how long [`FaultKind::Delay`] holds a request.
    pub fn set_delay(&self, delay: Duration) {
        *lock(&self.shared.delay) = delay;
    }

    /// `true`: the portal is unreachable — every new connection is reset as
    /// soon as it is accepted and every open one (idle keep-alive, a request
    /// in flight, an event stream) is closed. `false`: back to normal.
    pub fn set_down(&self, down: bool) {
        self.down.send_replace(down);
    }

    /// Applies `kind` to the next exchange, whatever the rate. Several calls
    /// queue up, one exchange each.
    pub fn inject_next(&self, kind: FaultKind) {
        self.inject_next_matching(kind, None, None);
    }

    /// Applies `kind` to the next exchange whose method is `method` (any if
    /// `None`, case-insensitive) and whose request target starts with
    /// `path_prefix` (any if `None`), e.g.
    /// `inject_next_matching(FaultKind::DropAfterRequest, Some("POST"), Some("/api/v1/submissions"))`.
    /// Other exchanges keep following the rate. An injection is used up by
    /// the exchange it matches even if that exchange turns out not to be
    /// faultable (a chunked or event-stream response).
    pub fn inject_next_matching(
        &self,
        kind: FaultKind,
        method: Option<&str>,
        path_prefix: Option<&str>,
    ) {
        lock(&self.shared.injected).push_back(Injection {
            kind,
            method: method.map(str::to_string),
            path_prefix: path_prefix.map(str::to_string),
        });
    }

    /// The counters so far.
    pub fn stats(&self) -> FaultStats {
        *lock(&self.shared.stats)
    }

    /// Every finished exchange so far, in the order they finished.
    pub fn exchanges(&self) -> Vec<Exchange> {
        lock(&self.shared.log).clone()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.send_replace(true);
        if let Some(thread) = self.thread.take() {
            // The runtime drops every connection task when its accept loop
            // returns; a panic in there has already been printed.
            let _ = thread.join();
        }
    }
}

impl std::fmt::Debug for FaultProxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaultProxy")
            .field("addr", &self.addr)
            .field("upstream", &self.shared.upstream)
            .field("down", &*self.down.borrow())
            .finish_non_exhaustive()
    }
}

fn clamp_rate(rate: f64) -> f64 {
    if rate.is_nan() {
        0.0
    } else {
        rate.clamp(0.0, 1.0)
    }
}

fn listener_addr(listener: &TcpListener) -> SocketAddr {
    listener
        .local_addr()
        .expect("fault proxy: listener has no local address")
}

/// Resolves when `rx` turns true or its sender is gone.
async fn turned_on(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|on| *on).await;
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    down: watch::Receiver<bool>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            () = turned_on(&mut stop) => return,
            accepted = listener.accept() => accepted,
        };
        let client = match accepted {
            Ok((client, _)) => client,
            Err(_) => {
                // Out of file descriptors or similar: let it pass.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        shared.stats(|s| s.connections += 1);
        if *down.borrow() {
            shared.stats(|s| s.refused += 1);
            reset(client);
            continue;
        }
        let (shared, mut down, mut stop) = (shared.clone(), down.clone(), stop.clone());
        tokio::spawn(async move {
            tokio::select! {
                () = connection(client, shared) => {}
                () = turned_on(&mut down) => {}
                () = turned_on(&mut stop) => {}
            }
        });
    }
}

/// Closes `stream` with a TCP reset.
fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

/// One client connection, until either side closes or a fault ends it.
async fn connection(mut client: TcpStream, shared: Arc<Shared>) {
    let _ = client.set_nodelay(true);
    let mut upstream =
        match tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(shared.upstream)).await {
            Ok(Ok(upstream)) => upstream,
            _ => {
                shared.stats(|s| s.upstream_connect_failures += 1);
                return;
            }
        };
    let _ = upstream.set_nodelay(true);
    // Bytes read ahead from each side and not yet forwarded.
    let mut from_client = Vec::new();
    let mut from_upstream = Vec::new();
    loop {
        let head = match next_request_head(&mut client, &mut upstream, &mut from_client).await {
            Idle::Head(head) => head,
            Idle::Closed => return,
            Idle::UpstreamSpoke(bytes) => {
                shared.stats(|s| s.passthrough += 1);
                pipe(client, upstream, from_client, bytes).await;
                return;
            }
            Idle::Unframed => {
                shared.stats(|s| s.passthrough += 1);
                pipe(client, upstream, from_client, from_upstream).await;
                return;
            }
        };
        let Some(req) = RequestHead::parse(&head) else {
            shared.stats(|s| s.passthrough += 1);
            let mut to_upstream = head;
            to_upstream.append(&mut from_client);
            pipe(client, upstream, to_upstream, from_upstream).await;
            return;
        };
        if req.chunked || req.special {
            shared.stats(|s| s.passthrough += 1);
            let mut to_upstream = head;
            to_upstream.append(&mut from_client);
            pipe(client, upstream, to_upstream, from_upstream).await;
            return;
        }

        let fault = shared.decide(&req.method, &req.target);
        let Some(body) = read_body(&mut client, &mut from_client, req.content_length).await else {
            return;
        };
        if fault == Some(FaultKind::DropBeforeRequest) {
            shared.record(&req.method, &req.target, None, fault);
            return;
        }
        if fault == Some(FaultKind::Delay) {
            let delay = *lock(&shared.delay);
            tokio::time::sleep(delay).await;
        }
        if upstream.write_all(&head).await.is_err() || upstream.write_all(&body).await.is_err() {
            return;
        }

        let Some(rhead) = read_head(&mut upstream, &mut from_upstream).await else {
            return;
        };
        let resp = ResponseHead::parse(&rhead);
        let body_len = match &resp {
            None => None,
            Some(r) if (100..200).contains(&r.status) => None,
            Some(r) if req.method == "HEAD" || r.status == 204 || r.status == 304 => Some(0),
            Some(r) if r.chunked => None,
            Some(r) => r.content_length,
        };
        let status = resp.as_ref().map(|r| r.status);
        let Some(len) = body_len else {
            // Not framed by a length (chunked, event stream, read-to-close,
            // informational): never faulted, piped from here on.
            let applied = fault.filter(|k| *k == FaultKind::Delay);
            shared.record(&req.method, &req.target, status, applied);
            shared.stats(|s| s.passthrough += 1);
            let mut to_client = rhead;
            to_client.append(&mut from_upstream);
            pipe(client, upstream, from_client, to_client).await;
            return;
        };
        let Some(rbody) = read_body(&mut upstream, &mut from_upstream, len).await else {
            return;
        };
        shared.record(&req.method, &req.target, status, fault);
        let half_head = &rhead[..rhead.len() / 2];
        match fault {
            Some(FaultKind::DropAfterRequest) => return,
            Some(FaultKind::DropResponse) => {
                let part = if rbody.is_empty() {
                    half_head
                } else {
                    &rhead[..]
                };
                let _ = client.write_all(part).await;
                let _ = client.shutdown().await;
                return;
            }
            Some(FaultKind::ResetMidBody) => {
                let mut part = if rbody.is_empty() {
                    half_head.to_vec()
                } else {
                    rhead.clone()
                };
                part.extend_from_slice(&rbody[..rbody.len() / 2]);
                let _ = client.write_all(&part).await;
                let _ = client.flush().await;
                tokio::time::sleep(RESET_GRACE).await;
                reset(client);
                return;
            }
            _ => {}
        }
        if client.write_all(&rhead).await.is_err() || client.write_all(&rbody).await.is_err() {
            return;
        }
        if req.close || resp.is_some_and(|r| r.close) {
            let _ = client.shutdown().await;
            return;
        }
    }
}

/// What happened while waiting for the next request on a connection.
enum Idle {
    /// A complete request head (the bytes after it stay in the buffer).
    Head(Vec<u8>),
    /// Either side closed (or failed) with no request pending.
    Closed,
    /// The upstream sent bytes with no request pending.
    UpstreamSpoke(Vec<u8>),
    /// The head is too large to be HTTP we want to parse.
    Unframed,
}

async fn next_request_head(
    client: &mut TcpStream,
    upstream: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> Idle {
    let mut chunk = [0u8; 8192];
    let mut upstream_chunk = [0u8; 1024];
    loop {
        if let Some(end) = head_end(buf) {
            return Idle::Head(buf.drain(..end).collect());
        }
        if buf.len() > MAX_HEAD {
            return Idle::Unframed;
        }
        // While the connection is idle, an upstream that closes its side
        // closes the client's too, as it would without the proxy.
        let idle = buf.is_empty();
        tokio::select! {
            r = client.read(&mut chunk) => match r {
                Ok(0) | Err(_) => return Idle::Closed,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            },
            r = upstream.read(&mut upstream_chunk), if idle => match r {
                Ok(0) | Err(_) => return Idle::Closed,
                Ok(n) => return Idle::UpstreamSpoke(upstream_chunk[..n].to_vec()),
            },
        }
    }
}

/// Reads a head (up to and including the blank line) from `stream`, using
/// what `buf` already holds first. `None` if the stream ends or fails first
/// or the head is unreasonably large.
async fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Vec<u8>> {
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = head_end(buf) {
            return Some(buf.drain(..end).collect());
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Reads exactly `len` body bytes, using what `buf` already holds first.
async fn read_body(stream: &mut TcpStream, buf: &mut Vec<u8>, len: u64) -> Option<Vec<u8>> {
    let len = usize::try_from(len).ok()?;
    if buf.len() >= len {
        return Some(buf.drain(..len).collect());
    }
    let mut body = std::mem::take(buf);
    let have = body.len();
    body.resize(len, 0);
    stream.read_exact(&mut body[have..]).await.ok()?;
    Some(body)
}

/// Forwards the buffered bytes, then pipes both ways until both sides close.
async fn pipe(
    mut client: TcpStream,
    mut upstream: TcpStream,
    to_upstream: Vec<u8>,
    to_client: Vec<u8>,
) {
    if upstream.write_all(&to_upstream).await.is_err()
        || client.write_all(&to_client).await.is_err()
    {
        return;
    }
    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
}

/// The length of the head at the start of `buf` (through `\r\n\r\n`).
fn head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

/// Header lines of a head, lower-cased names and trimmed values.
fn headers(head: &str) -> impl Iterator<Item = (String, &str)> {
    head.split("\r\n")
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim()))
}

fn has_token(value: &str, token: &str) -> bool {
    value
        .split(',')
        .any(|t| t.trim().eq_ignore_ascii_case(token))
}

/// What the proxy needs from a request head.
struct RequestHead {
    method: String,
    target: String,
    content_length: u64,
    chunked: bool,
    /// `Upgrade` or `Expect`: not a plain exchange.
    special: bool,
    /// The connection ends after this exchange.
    close: bool,
}

impl RequestHead {
    fn parse(head: &[u8]) -> Option<RequestHead> {
        let head = std::str::from_utf8(head).ok()?;
        let mut parts = head.split("\r\n").next()?.split(' ');
        let method = parts.next()?.to_string();
        let target = parts.next()?.to_string();
        let version = parts.next()?;
        let mut req = RequestHead {
            method,
            target,
            content_length: 0,
            chunked: false,
            special: false,
            close: version == "HTTP/1.0",
        };
        for (name, value) in headers(head) {
            match name.as_str() {
                "content-length" => req.content_length = value.parse().ok()?,
                "transfer-encoding" => req.chunked |= !value.eq_ignore_ascii_case("identity"),
                "upgrade" | "expect" => req.special = true,
                "connection" if has_token(value, "close") => req.close = true,
                "connection" if has_token(value, "keep-alive") => req.close = false,
                _ => {}
            }
        }
        Some(req)
    }
}

/// What the proxy needs from a response head.
struct ResponseHead {
    status: u16,
    content_length: Option<u64>,
    chunked: bool,
    close: bool,
}

impl ResponseHead {
    fn parse(head: &[u8]) -> Option<ResponseHead> {
        let head = std::str::from_utf8(head).ok()?;
        let mut parts = head.split("\r\n").next()?.split(' ');
        let version = parts.next()?;
        let status = parts.next()?.parse().ok()?;
        let mut resp = ResponseHead {
            status,
            content_length: None,
            chunked: false,
            close: version == "HTTP/1.0",
        };
        for (name, value) in headers(head) {
            match name.as_str() {
                "content-length" => resp.content_length = Some(value.parse().ok()?),
                "transfer-encoding" => resp.chunked |= !value.eq_ignore_ascii_case("identity"),
                "connection" if has_token(value, "close") => resp.close = true,
                "connection" if has_token(value, "keep-alive") => resp.close = false,
                _ => {}
            }
        }
        Some(resp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_request_heads() {
        let r = RequestHead::parse(
            b"POST /a?b=1 HTTP/1.1\r\nHost: x\r\ncontent-length: 12\r\nConnection: keep-alive, close\r\n\r\n",
        )
        .unwrap();
        assert_eq!((r.method.as_str(), r.target.as_str()), ("POST", "/a?b=1"));
        assert_eq!(r.content_length, 12);
        assert!(r.close && !r.chunked && !r.special);

        let r = RequestHead::parse(b"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").unwrap();
        assert!(!r.close);
        let r = RequestHead::parse(b"GET / HTTP/1.0\r\n\r\n").unwrap();
        assert!(r.close);
        let r =
            RequestHead::parse(b"PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").unwrap();
        assert!(r.chunked);
        let r = RequestHead::parse(b"PUT / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n").unwrap();
        assert!(r.special);
        assert!(RequestHead::parse(b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n").is_none());
    }

    #[test]
    fn parses_response_heads() {
        let r = ResponseHead::parse(b"HTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\n").unwrap();
        assert_eq!(
            (r.status, r.content_length, r.chunked, r.close),
            (201, Some(3), false, false)
        );
        let r = ResponseHead::parse(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n",
        )
        .unwrap();
        assert!(r.chunked && r.content_length.is_none());
        let r = ResponseHead::parse(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n").unwrap();
        assert!(r.close);
    }

    #[test]
    fn finds_the_end_of_a_head() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n\r\nrest"), Some(18));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n"), None);
    }

    #[test]
    fn injections_match_method_and_prefix() {
        let i = Injection {
            kind: FaultKind::Delay,
            method: Some("POST".into()),
            path_prefix: Some("/api/v1/submissions".into()),
        };
        assert!(i.matches("post", "/api/v1/submissions/abc"));
        assert!(!i.matches("GET", "/api/v1/submissions"));
        assert!(!i.matches("POST", "/api/v1/auth/token"));
    }

    #[test]
    fn the_dice_are_reproducible() {
        let shared = |seed| Shared {
            upstream: "127.0.0.1:9".parse().unwrap(),
            rate_bits: AtomicU64::new(0.5f64.to_bits()),
            delay: Mutex::new(Duration::ZERO),
            kinds: Mutex::new(FaultKind::ALL.to_vec()),
            rng: Mutex::new(fastrand::Rng::with_seed(seed)),
            injected: Mutex::new(VecDeque::new()),
            stats: Mutex::new(FaultStats::default()),
            log: Mutex::new(Vec::new()),
        };
        let (a, b) = (shared(7), shared(7));
        let run = |s: &Shared| (0..50).map(|_| s.decide("GET", "/")).collect::<Vec<_>>();
        let first = run(&a);
        assert_eq!(first, run(&b));
        assert!(first.iter().any(Option::is_some) && first.iter().any(Option::is_none));
    }
}
