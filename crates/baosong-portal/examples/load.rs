//! A small closed-loop load client for the reference portal (docs/benchmarks.md,
//! "Reference portal"). Each of `--concurrency` tasks sends one request after
//! another for `--seconds`; latencies go into one list and are reported as
//! percentiles. While it runs it samples the server's memory from /proc.
//!
//! ```sh
//! baosong-portal demo --db /tmp/load.sqlite3 --listen 127.0.0.1:8788 \
//!     --password load-test --no-rate-limit &
//! # dependencies (reqwest, hyper, tokio) are optimised even in the dev profile
//! cargo run -p baosong-portal --example load -- \
//!     --base http://127.0.0.1:8788 --password load-test --pid $! \
//!     --mode submit --concurrency 32 --seconds 20 --body-kib 20
//! ```
//!
//! `--mode submit`: `POST /submissions` of an item whose JSON is about
//! `--body-kib` KiB, each with a fresh `Idempotency-Key` (liaison officer
//! `jyj.xxy`), signed off by the unit head `--head` (`jyj.fzr`, same
//! password), who registers a fresh signing key first. `--mode changes`: `GET /submissions/changes?limit=100` (one
//! page of 100 changes) as the same user. `--mode walk`: the same, each
//! request from a random position (`since`) in the user's feed, so that
//! nearly every page is one the server has not answered before.
//! `--mode token`: print an access token of `--user` and stop (for `wrk`).

use std::time::{Duration, Instant};

use baosong_api::{ItemMetadata, SubmissionRequest, content_hash, signing};
use ed25519_dalek::SigningKey;
use uuid::Uuid;

struct Args {
    base: String,
    password: String,
    user: String,
    head: String,
    pid: Option<u32>,
    mode: String,
    concurrency: usize,
    seconds: u64,
    body_kib: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        base: "http://127.0.0.1:8788".into(),
        password: String::new(),
        user: "jyj.xxy".into(),
        head: "jyj.fzr".into(),
        pid: None,
        mode: "submit".into(),
        concurrency: 32,
        seconds: 20,
        body_kib: 20,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let num = |v: &str| v.parse::<u64>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--base" => a.base = value,
            "--password" => a.password = value,
            "--user" => a.user = value,
            "--head" => a.head = value,
            "--pid" => a.pid = Some(num(&value)? as u32),
            "--mode" => a.mode = value,
            "--concurrency" => a.concurrency = num(&value)? as usize,
            "--seconds" => a.seconds = num(&value)?,
            "--body-kib" => a.body_kib = num(&value)? as usize,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(a)
}

/// A submission of about `body_kib` KiB, signed off by `head` with `key`.
fn request(body_kib: usize, head: &str, key: &SigningKey) -> Result<String, String> {
    let item = ItemMetadata {
        title: "市教育局召开2026年秋季学期校园安全工作会议".into(),
        column_id: "bmdt".into(),
        summary: "会议部署秋季学期校园安全工作。".into(),
        author: "张敏".into(),
        source_unit: "市教育局".into(),
        keywords: vec!["安全".into(), "教育".into()],
        ..Default::default()
    };
    // Markdown and HTML together make up the body size.
    let para = "会议强调，要压实校园安全责任，做好开学前隐患排查，确保师生平安。";
    let mut md = String::new();
    let mut html = String::new();
    while md.len() + html.len() < body_kib * 1024 {
        md.push_str(para);
        md.push_str("\n\n");
        html.push_str("<p>");
        html.push_str(para);
        html.push_str("</p>");
    }
    let hash = content_hash(&item, &md, &html);
    let req = SubmissionRequest {
        client_item_id: Uuid::now_v7(),
        client_revision: Some(1),
        item,
        body_markdown: md,
        body_html: html,
        content_hash: hash,
        check: Default::default(),
        attachments: Vec::new(),
        signoff: None,
    };
    let signoff = signing::sign(
        &req,
        key,
        head,
        chrono::Utc::now(),
        signing::DEFAULT_OPINION,
    );
    let req = SubmissionRequest {
        signoff: Some(signoff),
        ..req
    };
    serde_json::to_string(&req).map_err(|e| e.to_string())
}

/// The feed position (`seq`) of `token`'s user's newest change, found by
/// paging through the feed.
async fn newest_position(client: &reqwest::Client, base: &str, token: &str) -> Result<i64, String> {
    let mut since = "c0".to_string();
    loop {
        let page: serde_json::Value = client
            .get(format!(
                "{base}/api/v1/submissions/changes?limit=1000&since={since}"
            ))
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        since = page["next_cursor"]
            .as_str()
            .ok_or_else(|| format!("not a feed page: {page}"))?
            .to_string();
        if page["has_more"] != serde_json::Value::Bool(true) {
            let hex = since.trim_start_matches('c');
            return i64::from_str_radix(hex, 16).map_err(|e| e.to_string());
        }
    }
}

/// A cheap pseudo-random sequence (xorshift64), one per task.
fn next_random(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

async fn sign_in(client: &reqwest::Client, args: &Args, user: &str) -> Result<String, String> {
    let login: serde_json::Value = client
        .post(format!("{}/api/v1/auth/token", args.base))
        .json(&serde_json::json!({"username": user, "password": args.password}))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    Ok(login["access_token"]
        .as_str()
        .ok_or_else(|| format!("sign-in of {user} failed: {login}"))?
        .to_string())
}

/// A fresh key for the head, registered (`POST /me/keys`).
async fn register_head_key(client: &reqwest::Client, args: &Args) -> Result<SigningKey, String> {
    let token = sign_in(client, args, &args.head).await?;
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| e.to_string())?;
    let key = SigningKey::from_bytes(&seed);
    let r = client
        .post(format!("{}/api/v1/me/keys", args.base))
        .bearer_auth(token)
        .json(&serde_json::json!({
            "public_key": signing::public_key_hex(&key.verifying_key()),
            "label": "load test",
        }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !r.status().is_success() {
        return Err(format!("registering the head's key: {}", r.status()));
    }
    // Sign after the registration instant.
    tokio::time::sleep(Duration::from_millis(5)).await;
    Ok(key)
}

/// (VmRSS, VmHWM, Pss) in KiB.
fn memory(pid: u32) -> Option<(u64, u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |text: &str, name: &str| -> Option<u64> {
        text.lines()
            .find(|l| l.starts_with(name))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    Some((
        field(&status, "VmRSS:")?,
        field(&status, "VmHWM:")?,
        field(&rollup, "Pss:").unwrap_or(0),
    ))
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = parse_args()?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()
        .map_err(|e| e.to_string())?;
    let token = sign_in(&client, &args, &args.user).await?;
    if args.mode == "token" {
        println!("{token}");
        return Ok(());
    }
    let newest = if args.mode == "walk" {
        newest_position(&client, &args.base, &token).await?
    } else {
        0
    };
    let key = register_head_key(&client, &args).await?;
    let body = axum::body::Bytes::from(request(args.body_kib, &args.head, &key)?);
    println!(
        "mode {} concurrency {} for {} s; request body {} bytes",
        args.mode,
        args.concurrency,
        args.seconds,
        if args.mode == "submit" { body.len() } else { 0 }
    );

    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for task in 0..args.concurrency {
        let client = client.clone();
        let walk = args.mode == "walk";
        let mut random = 0x9E37_79B9_7F4A_7C15_u64 ^ (task as u64 + 1);
        let token = token.clone();
        let body = body.clone();
        let base = args.base.clone();
        let submit = args.mode == "submit";
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0u64;
            while Instant::now() < deadline {
                let t = Instant::now();
                let r = if submit {
                    client
                        .post(format!("{base}/api/v1/submissions"))
                        .bearer_auth(&token)
                        .header("content-type", "application/json")
                        .header("idempotency-key", Uuid::now_v7().to_string())
                        .body(body.clone())
                        .send()
                        .await
                } else if walk {
                    let since = next_random(&mut random) % (newest.max(1) as u64);
                    client
                        .get(format!(
                            "{base}/api/v1/submissions/changes?limit=100&since=c{since:x}"
                        ))
                        .bearer_auth(&token)
                        .send()
                        .await
                } else {
                    client
                        .get(format!("{base}/api/v1/submissions/changes?limit=100"))
                        .bearer_auth(&token)
                        .send()
                        .await
                };
                let ok = match r {
                    Ok(r) => {
                        let good = r.status().is_success();
                        let _ = r.bytes().await;
                        good
                    }
                    Err(_) => false,
                };
                if ok {
                    lat.push(t.elapsed().as_micros() as u32);
                } else {
                    errors += 1;
                }
            }
            (lat, errors)
        }));
    }
    // Memory while it runs.
    let mut peak = (0, 0, 0);
    let mut samples = Vec::new();
    if let Some(pid) = args.pid {
        while Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(500)).await;
            if let Some(m) = memory(pid) {
                peak = (peak.0.max(m.0), peak.1.max(m.1), peak.2.max(m.2));
                samples.push(m);
            }
        }
    }
    let mut lat = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.map_err(|e| e.to_string())?;
        lat.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    lat.sort_unstable();
    let pct = |p: f64| -> f64 {
        if lat.is_empty() {
            return 0.0;
        }
        let i = ((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1;
        f64::from(lat[i]) / 1000.0
    };
    println!(
        "ok {} errors {} in {:.1} s: {:.0} req/s",
        lat.len(),
        errors,
        elapsed,
        lat.len() as f64 / elapsed
    );
    println!(
        "latency ms: p50 {:.2} p90 {:.2} p99 {:.2} max {:.2}",
        pct(0.50),
        pct(0.90),
        pct(0.99),
        pct(1.0)
    );
    if args.pid.is_some() {
        println!(
            "server memory KiB: peak VmRSS {} (VmHWM {}), peak PSS {}; last sample {:?}",
            peak.0,
            peak.1,
            peak.2,
            samples.last()
        );
    }
    Ok(())
}
