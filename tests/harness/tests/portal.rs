//! The demo portal as a child process: it starts, logs users in, stops
//! (connections refused) and comes back on the same port and database.
//! Needs `cargo build -p baosong-portal` first (a workspace `cargo test` does it).

use std::time::Duration;

use baosong_test_harness::{FaultConfig, FaultKind, FaultProxy, PortalProcess, bin, free_port};

const PASSWORD: &str = "demo-password-1";

async fn token(
    client: &reqwest::Client,
    portal: &PortalProcess,
    user: &str,
) -> reqwest::Result<String> {
    let r = client
        .post(portal.url("/auth/token"))
        .json(&serde_json::json!({ "username": user, "password": PASSWORD }))
        .send()
        .await?
        .error_for_status()?;
    let body: serde_json::Value = r.json().await?;
    Ok(body["access_token"]
        .as_str()
        .expect("access_token")
        .to_string())
}

#[tokio::test]
async fn the_demo_portal_starts_logs_in_stops_and_restarts() {
    let mut portal = PortalProcess::start_demo(PASSWORD);
    assert!(portal.base_url.starts_with("http://127.0.0.1:"));
    assert_ne!(portal.addr.port(), 0);
    assert!(portal.db_path.exists());
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    let t = token(&client, &portal, "jyj.xxy").await.unwrap();
    assert!(!t.is_empty());
    let wrong = client
        .post(portal.url("/auth/token"))
        .json(&serde_json::json!({ "username": "jyj.xxy", "password": "wrong" }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let openapi = client
        .get(portal.url("/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(openapi.status(), 200);

    // The same through the fault proxy: the answer to a login can be lost.
    let proxy = FaultProxy::start(portal.addr, FaultConfig::default()).await;
    let via = |path: &str| format!("{}/api/v1{path}", proxy.base_url());
    let login = serde_json::json!({ "username": "jyj.xxy", "password": PASSWORD });
    let ok = client
        .post(via("/auth/token"))
        .json(&login)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    proxy.inject_next_matching(
        FaultKind::DropAfterRequest,
        Some("POST"),
        Some("/api/v1/auth/token"),
    );
    assert!(
        client
            .post(via("/auth/token"))
            .json(&login)
            .send()
            .await
            .is_err()
    );
    let ok = client
        .post(via("/auth/token"))
        .json(&login)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let statuses: Vec<_> = proxy
        .exchanges()
        .iter()
        .map(|e| (e.status, e.fault))
        .collect();
    assert_eq!(
        statuses,
        [
            (Some(200), None),
            (Some(200), Some(FaultKind::DropAfterRequest)),
            (Some(200), None)
        ]
    );
    drop(proxy);

    let (addr, url) = (portal.addr, portal.base_url.clone());
    portal.stop();
    assert!(!portal.is_running());
    let refused = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2));
    assert!(refused.is_err(), "nothing listens after stop");
    assert!(token(&client, &portal, "jyj.fzr").await.is_err());

    portal.restart();
    assert_eq!((portal.addr, portal.base_url.clone()), (addr, url));
    assert!(token(&client, &portal, "jyj.fzr").await.is_ok());
    assert!(portal.logs().contains("Ctrl+C"));
}

#[test]
fn start_demo_at_reuses_a_database_and_a_fixed_port() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.sqlite3");
    let listen = ([127, 0, 0, 1], free_port()).into();
    let mut portal = PortalProcess::start_demo_at(&db, listen, PASSWORD);
    assert_eq!(portal.addr, listen);
    assert_eq!(portal.base_url, format!("http://{listen}"));
    assert!(portal.is_running());
    portal.kill();
    assert!(!portal.is_running());
    drop(portal);
    assert!(db.exists(), "the caller's database stays");
}

#[test]
fn bin_finds_workspace_binaries_and_explains_missing_ones() {
    assert!(bin("baosong-portal").is_file());
    let err = std::panic::catch_unwind(|| bin("no-such-binary")).unwrap_err();
    let msg = err.downcast_ref::<String>().unwrap();
    assert!(msg.contains("cargo build --workspace --bins"), "{msg}");
}
