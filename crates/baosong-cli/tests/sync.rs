//! Sign in, 报送, status tracking and the outbox through the real `baosong`
//! binary, a private gnome-keyring and the real reference portal on loopback.

mod support;

use baosong_core::model::{ItemState, OutboxStatus};
use baosong_core::{Action, ItemContent};
use baosong_test_harness::PortalProcess;
use support::{Client, PASSWORD, PortalApi, portal_counts, stderr, stdout, text};

/// Every file under `dir`, as bytes, with its path.
fn files(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn submit_follow_return_resubmit_and_sign_out() {
    let portal = PortalProcess::start_demo(PASSWORD);
    let client = Client::new();
    let mut outputs = Vec::new();

    // Wrong password: a clear message, nothing kept.
    let o = client.run(
        &[
            "login",
            "--portal",
            &portal.base_url,
            "--user",
            "jyj.xxy",
            "--password-stdin",
        ],
        Some("wrong password\n"),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(stderr(&o).contains("用户名或密码不正确"), "{}", text(&o));

    client.login(&portal.base_url, "jyj.xxy");

    client.register_signer(&portal);
    let ids = client.signed_off(2, "bmdt");
    let id = ids[0].to_string();

    // 报送 delivers at once while the portal is reachable.
    let o = client.run(&["submit", &id], None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(stdout(&o).contains("已报送"), "{}", text(&o));
    outputs.push(o);
    let store = client.store();
    assert_eq!(store.get_item(ids[0]).unwrap().state, ItemState::Submitted);
    let link = store.portal_link(ids[0]).unwrap().expect("linked");
    assert_eq!(portal_counts(&portal.db_path), (1, 1));

    // The editor returns it; the next sync shows 退回 with the reason.
    let editor = PortalApi::sign_in(&portal, "editor");
    editor.decide(
        &link.submission_id,
        serde_json::json!({"action": "return", "comment": "", "reason": "请补充参会人员名单"}),
    );
    let o = client.run(&["sync", "--once"], None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(stdout(&o).contains("请补充参会人员名单"), "{}", text(&o));
    outputs.push(o);
    let item = store.get_item(ids[0]).unwrap();
    assert_eq!(item.state, ItemState::Returned);
    assert_eq!(item.returned_reason.as_deref(), Some("请补充参会人员名单"));
    let o = client.run(&["--json", "status", &id], None);
    let status: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let timeline = status["timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), 2, "{status}");
    assert_eq!(timeline[1]["status"], "returned");
    assert_eq!(timeline[1]["by"], "周静");
    assert!(
        store
            .audit_log(Some(ids[0]))
            .unwrap()
            .iter()
            .any(|a| a.action == "portal_status"),
        "status changes land in the audit log"
    );

    // Revised, signed off again: a new revision of the same submission.
    let mut content: ItemContent = item.content.clone();
    content
        .body
        .push_str("\n参会人员：各区教育局分管负责同志。\n");
    store.save_content(ids[0], content, None).unwrap();
    // Core schema v5: 签发 is the head's signature (fc4b6cb), not an action.
    client.signer.sign_items(&store, &[ids[0]]);
    let o = client.run(&["submit", &id], None);
    assert!(o.status.success(), "{}", text(&o));
    outputs.push(o);
    assert_eq!(
        portal_counts(&portal.db_path),
        (1, 2),
        "one submission, two revisions"
    );
    let sub = editor.get(&format!("/submissions/{}", link.submission_id));
    assert_eq!(sub["revision"], 2);
    assert_eq!(sub["status"], "received");
    assert!(sub["body_markdown"].as_str().unwrap().contains("参会人员"));
    let item = store.get_item(ids[0]).unwrap();
    assert_eq!(item.state, ItemState::Submitted);
    assert_eq!(item.returned_reason, None);

    // Published: the address arrives.
    editor.decide(&link.submission_id, serde_json::json!({"action": "adopt"}));
    editor.decide(
        &link.submission_id,
        serde_json::json!({"action": "publish", "public_url": "https://www.example.gov.cn/xxgk/bmdt/t1.html"}),
    );
    let o = client.run(&["sync", "--once"], None);
    assert!(o.status.success(), "{}", text(&o));
    outputs.push(o);
    let item = store.get_item(ids[0]).unwrap();
    assert_eq!(item.state, ItemState::Published);
    assert_eq!(
        item.published_url.as_deref(),
        Some("https://www.example.gov.cn/xxgk/bmdt/t1.html")
    );

    // Signed out: the keyring forgets; work queues but cannot be sent.
    let o = client.run(&["logout"], None);
    assert!(o.status.success(), "{}", text(&o));
    let o = client.run(&["--json", "status"], None);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["signed_in"], false, "{v}");
    let o = client.run(&["submit", &ids[1].to_string()], None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(stderr(&o).contains("重新登录"), "{}", text(&o));
    assert_eq!(store.outbox_counts().unwrap(), (1, 0), "the queue is kept");
    outputs.push(o);

    // No secret anywhere: not the password, not a token, in the data
    // directory (database, WAL, caches) or in anything printed.
    let mut places = files(client.dir());
    for (i, o) in outputs.iter().enumerate() {
        places.push((
            format!("output {i}").into(),
            [o.stdout.clone(), o.stderr.clone()].concat(),
        ));
    }
    assert!(places.iter().any(|(p, _)| p.ends_with("baosong.sqlite3")));
    for (path, bytes) in &places {
        for secret in [PASSWORD.as_bytes(), b"bsr_", b"bsa_"] {
            assert!(
                !contains(bytes, secret),
                "{} holds {:?}",
                path.display(),
                String::from_utf8_lossy(secret)
            );
        }
    }
}

#[test]
fn with_the_portal_down_everything_waits_in_the_outbox() {
    let mut portal = PortalProcess::start_demo(PASSWORD);
    let client = Client::new();
    client.login(&portal.base_url, "jyj.xxy");
    client.register_signer(&portal);
    portal.stop();
    let ids = client.signed_off(3, "bmdt");
    for id in &ids {
        let o = client.run(&["submit", &id.to_string()], None);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        assert!(stdout(&o).contains("已放入发件箱"), "{}", text(&o));
        assert!(stderr(&o).contains("无法连接门户网站"), "{}", text(&o));
    }
    let o = client.run(&["sync", "--once"], None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(stderr(&o).contains("无法连接门户网站"), "{}", text(&o));
    let store = client.store();
    assert_eq!(store.outbox_counts().unwrap(), (3, 0));
    for id in &ids {
        assert_eq!(store.get_item(*id).unwrap().state, ItemState::Queued);
    }
    let o = client.run(&["outbox"], None);
    assert!(stdout(&o).contains("上次失败"), "{}", text(&o));

    portal.restart();
    let o = client.run(&["sync", "--once"], None);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(portal_counts(&portal.db_path).0, 3);
    assert_eq!(store.outbox_counts().unwrap(), (0, 0));
    for id in &ids {
        assert_eq!(store.get_item(*id).unwrap().state, ItemState::Submitted);
    }
}

#[test]
fn a_refusal_stops_that_entry_only_and_can_be_retried() {
    let portal = PortalProcess::start_demo(PASSWORD);
    let client = Client::new();
    client.login(&portal.base_url, "jyj.xxy");
    client.register_signer(&portal);
    // The first goes to a column the portal does not have.
    let bad = client.signed_off(1, "no-such-column")[0];
    let good = client.signed_off(1, "bmdt")[0];
    let store = client.store();
    baosong_sync::outbox::enqueue(&store, bad).unwrap();
    baosong_sync::outbox::enqueue(&store, good).unwrap();
    let o = client.run(&["sync", "--once"], None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(stdout(&o).contains("被拒收"), "{}", text(&o));
    assert!(
        stdout(&o).contains("栏目"),
        "the portal's own message: {}",
        text(&o)
    );
    assert_eq!(store.get_item(good).unwrap().state, ItemState::Submitted);
    assert_eq!(store.get_item(bad).unwrap().state, ItemState::Queued);
    let entry = &store.item_outbox(bad).unwrap()[0];
    assert_eq!(entry.status, OutboxStatus::Failed);
    assert_eq!(entry.last_error.as_ref().unwrap().code, "unknown_column");
    // Not retried by itself.
    let o = client.run(&["sync", "--once"], None);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(store.item_outbox(bad).unwrap()[0].attempts, 1);
    // "Retry now" puts it back; the portal refuses it again.
    let o = client.run(&["outbox", "--retry", &entry.id[..13]], None);
    assert!(o.status.success(), "{}", text(&o));
    client.run(&["sync", "--once"], None);
    assert_eq!(store.item_outbox(bad).unwrap()[0].attempts, 2);
    // A refused item can be withdrawn locally, then fixed.
    assert_eq!(
        store.apply_action(bad, Action::Withdraw).unwrap().state,
        ItemState::Withdrawn
    );
    assert_eq!(portal_counts(&portal.db_path).0, 1);
}

#[test]
fn an_expired_sign_in_asks_to_sign_in_again_and_keeps_the_queue() {
    let portal = PortalProcess::start_demo(PASSWORD);
    let client = Client::new();
    client.login(&portal.base_url, "jyj.xxy");
    client.register_signer(&portal);
    let ids = client.signed_off(2, "bmdt");
    let store = client.store();
    for id in &ids {
        baosong_sync::outbox::enqueue(&store, *id).unwrap();
    }
    // The refresh token expires at the portal (a real expiry, in its database).
    let db = rusqlite::Connection::open(&portal.db_path).unwrap();
    db.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    db.execute("UPDATE refresh_tokens SET expires_at = 0", [])
        .unwrap();
    drop(db);
    let o = client.run(&["sync", "--once"], None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(stderr(&o).contains("请重新登录"), "{}", text(&o));
    assert_eq!(store.outbox_counts().unwrap(), (2, 0), "the queue is kept");
    // Signing in again sends the queue.
    client.login(&portal.base_url, "jyj.xxy");
    client.register_signer(&portal);
    let o = client.run(&["sync", "--once"], None);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(store.outbox_counts().unwrap(), (0, 0));
    assert_eq!(portal_counts(&portal.db_path).0, 2);
}

#[test]
fn without_a_keyring_sign_in_says_so_and_keeps_nothing() {
    let portal = PortalProcess::start_demo(PASSWORD);
    let data = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_baosong"));
    cmd.arg("--data-dir")
        .arg(data.path())
        .args([
            "login",
            "--portal",
            &portal.base_url,
            "--user",
            "jyj.xxy",
            "--password-stdin",
        ])
        .env("BAOSONG_LANG", "zh-CN")
        // A session bus that does not exist: no Secret Service.
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}/nobus", empty.path().display()),
        )
        .env("XDG_RUNTIME_DIR", empty.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(stderr(&o).contains("系统密钥环不可用"), "{}", text(&o));
    // The portal was never asked: the password was not spent on a sign-in
    // that could not be kept.
    let store = baosong_core::Store::open(data.path()).unwrap();
    assert_eq!(store.setting("profile").unwrap(), None);
}

#[test]
fn columns_are_cached_for_offline_drafting_and_refreshed_by_etag() {
    use baosong_test_harness::{FaultConfig, FaultProxy};
    let portal = PortalProcess::start_demo(PASSWORD);
    let proxy = FaultProxy::start_in_thread(portal.addr, FaultConfig::with_rate(0.0, 1));
    let client = Client::new();
    client.login(&proxy.base_url(), "jyj.xxy");
    client.register_signer(&portal);
    let o = client.run(&["sync", "--once"], None);
    assert!(o.status.success(), "{}", text(&o));
    let columns: Vec<Option<u16>> = proxy
        .exchanges()
        .iter()
        .filter(|e| e.method == "GET" && e.target.starts_with("/api/v1/columns"))
        .map(|e| e.status)
        .collect();
    assert_eq!(
        columns,
        vec![Some(200), Some(304)],
        "the second fetch is conditional"
    );
    // Offline, a draft can name the portal's column by its name.
    proxy.set_down(true);
    let o = client.run(
        &[
            "--json",
            "new",
            "--title",
            "政策解读稿",
            "--column",
            "政策解读",
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let id: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let item = client
        .store()
        .get_item(id["id"].as_str().unwrap().parse().unwrap())
        .unwrap();
    assert_eq!(item.content.column.id, "zcjd");
}

#[test]
fn the_running_worker_delivers_when_the_portal_returns_and_follows_live_events() {
    use std::io::BufRead;
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    let mut portal = PortalProcess::start_demo(PASSWORD);
    let client = Client::new();
    client.login(&portal.base_url, "jyj.xxy");
    client.register_signer(&portal);
    portal.stop();
    let id = client.signed_off(1, "bmdt")[0];
    baosong_sync::outbox::enqueue(&client.store(), id).unwrap();

    let mut worker = client.spawn(&["sync"]);
    let (tx, rx) = mpsc::channel::<String>();
    let out = worker.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    let wait_line = |needle: &str, limit: Duration| -> String {
        let start = Instant::now();
        loop {
            let left = limit.saturating_sub(start.elapsed());
            match rx.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => panic!("no line with {needle:?} within {limit:?}"),
            }
        }
    };
    // Down for a while: the worker backs off, nothing is lost.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(client.store().outbox_counts().unwrap(), (1, 0));
    portal.restart();
    // Back: delivered on the next attempt (backoff starts at 2 s, doubling).
    wait_line("已报送", Duration::from_secs(40));
    let link = client.store().portal_link(id).unwrap().expect("linked");
    // A return at the portal arrives over the live stream, long before the
    // 60-second timer.
    let editor = PortalApi::sign_in(&portal, "editor");
    let started = Instant::now();
    editor.decide(
        &link.submission_id,
        serde_json::json!({"action": "return", "reason": "标题请写明会议时间"}),
    );
    let line = wait_line("标题请写明会议时间", Duration::from_secs(20));
    assert!(line.contains("退回"), "{line}");
    assert!(started.elapsed() < Duration::from_secs(20));
    let _ = worker.kill();
    let _ = worker.wait();
    assert_eq!(
        client.store().get_item(id).unwrap().state,
        ItemState::Returned
    );
}

/// A forward proxy that records each request line and answers 502.
fn recording_proxy() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            log.lock().unwrap().push(first.trim().to_string());
            let _ = stream.write_all(
                b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            );
        }
    });
    (url, seen)
}

#[test]
fn the_configured_proxy_or_the_system_proxy_is_used() {
    use std::io::Write;
    // Nothing listens on the portal address itself: only the proxy can answer.
    let portal = format!("http://127.0.0.1:{}", baosong_test_harness::free_port());
    let client = Client::new();

    let (proxy, seen) = recording_proxy();
    let o = client.run(
        &[
            "login",
            "--portal",
            &portal,
            "--user",
            "jyj.xxy",
            "--password-stdin",
            "--proxy",
            &proxy,
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(stderr(&o).contains("HTTP 502"), "{}", text(&o));
    assert_eq!(
        seen.lock().unwrap().first().map(String::as_str),
        Some(format!("POST {portal}/api/v1/auth/token HTTP/1.1").as_str())
    );

    let (proxy, seen) = recording_proxy();
    let mut child = client
        .command(&[
            "login",
            "--portal",
            &portal,
            "--user",
            "jyj.xxy",
            "--password-stdin",
        ])
        .env("HTTP_PROXY", &proxy)
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(stderr(&o).contains("HTTP 502"), "{}", text(&o));
    assert_eq!(seen.lock().unwrap().len(), 1, "HTTP_PROXY is honoured");
}
