//! Upload throughput on loopback (docs/benchmarks.md, issue 7: ≥ 100 MB/s):
//! one attachment of `--mb` MB sent with the Baosong upload protocol in
//! 8 MiB chunks, each with its `Upload-Checksum`, to a running portal, as the
//! client does. Reports MB/s from `POST /uploads` to the verified, stored
//! file, and the portal's peak memory when `--pid` is given.
//!
//! ```sh
//! baosong-portal demo --db /tmp/upload.sqlite3 --listen 127.0.0.1:8789 \
//!     --password load-test --no-rate-limit --fast-commits &
//! cargo run -p baosong-portal --example upload_load -- \
//!     --base http://127.0.0.1:8789 --password load-test --pid $! --mb 200
//! ```
//!
//! The file is one 8 MiB block of pseudo-random bytes repeated with each
//! chunk's number written into its start, and a per-run salt, so the portal
//! never has it already (no deduplication) and generating it costs nothing.

use std::time::Instant;

use baosong_api::{Upload, UploadStatus, uploads};
use sha2::{Digest, Sha256};

const CHUNK: usize = 8 * 1024 * 1024;

struct Args {
    base: String,
    password: String,
    user: String,
    pid: Option<u32>,
    mb: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        base: "http://127.0.0.1:8789".into(),
        password: String::new(),
        user: "jyj.xxy".into(),
        pid: None,
        mb: 200,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let num = |v: &str| v.parse::<u64>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--base" => a.base = value,
            "--password" => a.password = value,
            "--user" => a.user = value,
            "--pid" => a.pid = Some(num(&value)? as u32),
            "--mb" => a.mb = num(&value)?,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(a)
}

/// The file, chunk by chunk: `block` with the chunk number in its first bytes.
fn chunk(block: &[u8], i: usize, len: usize) -> Vec<u8> {
    let mut c = block[..len].to_vec();
    let n = (i as u64).to_le_bytes();
    let k = n.len().min(len);
    c[..k].copy_from_slice(&n[..k]);
    c
}

fn peak_rss_mib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<u64>().ok()? / 1024)
}

async fn run(a: Args) -> Result<(), String> {
    let size = a.mb * 1_000_000;
    let http = reqwest::Client::new();
    let api = format!("{}/api/v1", a.base.trim_end_matches('/'));
    let token: serde_json::Value = http
        .post(format!("{api}/auth/token"))
        .json(&serde_json::json!({"username": a.user, "password": a.password}))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let token = token["access_token"]
        .as_str()
        .ok_or("sign-in failed")?
        .to_string();

    let mut block = vec![0u8; CHUNK];
    let mut x = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_nanos() as u64
        | 1;
    for b in block.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        b.copy_from_slice(&x.to_le_bytes()[..b.len()]);
    }
    let chunks = usize::try_from(size.div_ceil(CHUNK as u64)).map_err(|e| e.to_string())?;
    let len_of = |i: usize| (size - (i * CHUNK) as u64).min(CHUNK as u64) as usize;
    let mut whole = Sha256::new();
    for i in 0..chunks {
        whole.update(chunk(&block, i, len_of(i)));
    }
    let sha: String = whole
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();

    let started = Instant::now();
    let r = http
        .post(format!("{api}/uploads"))
        .bearer_auth(&token)
        .json(&serde_json::json!({
            "sha256": sha, "size": size, "name": "throughput.pdf",
            "media_type": "application/pdf", "column_id": "tzgg",
        }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let upload: Upload = r.json().await.map_err(|e| e.to_string())?;
    let id = upload.id.ok_or("the portal already had the file")?;
    let mut offset = 0u64;
    for i in 0..chunks {
        let body = chunk(&block, i, len_of(i));
        let checksum = uploads::checksum_header(&Sha256::digest(&body));
        let n = body.len() as u64;
        let r = http
            .patch(format!("{api}/uploads/{id}"))
            .bearer_auth(&token)
            .header("Content-Type", uploads::OFFSET_OCTET_STREAM)
            .header(uploads::UPLOAD_OFFSET_HEADER, offset.to_string())
            .header(uploads::UPLOAD_CHECKSUM_HEADER, checksum)
            .body(body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !r.status().is_success() {
            return Err(format!("chunk {i}: {}", r.text().await.unwrap_or_default()));
        }
        offset += n;
        if offset == size {
            let done: Upload = r.json().await.map_err(|e| e.to_string())?;
            if done.status != UploadStatus::Complete {
                return Err("the last chunk did not complete the upload".into());
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "upload {} MB in {chunks} chunks: {secs:.2} s, {:.0} MB/s (verified and stored)",
        a.mb,
        size as f64 / 1e6 / secs
    );
    if let Some(pid) = a.pid {
        println!("portal peak RSS: {} MiB", peak_rss_mib(pid).unwrap_or(0));
    }
    Ok(())
}

fn main() {
    let result = parse_args().and_then(|a| {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?
            .block_on(run(a))
    });
    if let Err(e) = result {
        eprintln!("upload_load: {e}");
        std::process::exit(1);
    }
}
