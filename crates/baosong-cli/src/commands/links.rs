//! `baosong check --online`: is each external link reachable?

use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;

/// At most this many requests at once: a check must not hammer a site.
const PARALLEL: usize = 4;
const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Serialize)]
pub struct LinkStatus {
    pub url: String,
    pub ok: bool,
    /// HTTP status, or what went wrong.
    pub detail: String,
}

pub fn verify_links(urls: &[String]) -> Vec<LinkStatus> {
    let mut unique: Vec<String> = Vec::new();
    for u in urls {
        if !unique.contains(u) {
            unique.push(u.clone());
        }
    }
    let client = match reqwest::blocking::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
        .user_agent(concat!(
            "baosong/",
            env!("CARGO_PKG_VERSION"),
            " link check"
        ))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            return unique
                .into_iter()
                .map(|url| LinkStatus {
                    url,
                    ok: false,
                    detail: e.to_string(),
                })
                .collect();
        }
    };
    let queue = Mutex::new(unique.into_iter().enumerate().collect::<Vec<_>>());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..PARALLEL {
            s.spawn(|| {
                loop {
                    let next = queue.lock().ok().and_then(|mut q| q.pop());
                    let Some((i, url)) = next else { break };
                    let status = probe(&client, &url);
                    if let Ok(mut r) = results.lock() {
                        r.push((i, status));
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, s)| s).collect()
}

fn probe(client: &reqwest::blocking::Client, url: &str) -> LinkStatus {
    let full = if url.starts_with("www.") {
        format!("https://{url}")
    } else {
        url.to_owned()
    };
    // Some servers refuse HEAD; fall back to GET (the body is not read).
    let head = client.head(&full).send();
    let response = match head {
        Ok(r) if matches!(r.status().as_u16(), 403 | 405 | 501) => client.get(&full).send(),
        other => other,
    };
    match response {
        Ok(r) => LinkStatus {
            url: url.to_owned(),
            ok: r.status().is_success() || r.status().is_redirection(),
            detail: r.status().to_string(),
        },
        Err(e) => LinkStatus {
            url: url.to_owned(),
            ok: false,
            detail: if e.is_timeout() {
                "timeout".to_owned()
            } else {
                e.to_string()
            },
        },
    }
}
