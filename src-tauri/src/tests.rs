use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

use baosong_core::model::ItemContent;
use baosong_core::{ListQuery, Store};
use serde_json::Value;

use crate::commands::run_blocking;
use crate::{AppState, COMMANDS};

fn json(path: &str) -> Value {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {path}: {e}"))
}

fn content(title: &str, body: &str) -> ItemContent {
    ItemContent {
        title: title.into(),
        body: body.into(),
        ..ItemContent::default()
    }
}

#[test]
fn capability_grants_exactly_the_app_commands() {
    let cap = json("capabilities/main.json");
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    assert!(
        cap.get("remote").is_none(),
        "no remote origin may reach the IPC"
    );
    let granted: BTreeSet<String> = cap["permissions"]
        .as_array()
        .expect("permissions array")
        .iter()
        .map(|p| {
            p.as_str()
                .expect("plain permission identifiers")
                .to_string()
        })
        .collect();
    let app: BTreeSet<String> = granted
        .iter()
        .filter(|p| !p.starts_with("core:"))
        .cloned()
        .collect();
    let expected: BTreeSet<String> = COMMANDS
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    assert_eq!(app, expected);
    // Core permissions stay minimal: only what the UI demonstrably uses.
    for p in granted.iter().filter(|p| p.starts_with("core:")) {
        assert!(
            ["core:event:default"].contains(&p.as_str()),
            "unexpected core permission {p}"
        );
    }
}

#[test]
fn config_is_locked_down() {
    let conf = json("tauri.conf.json");
    assert_eq!(conf["identifier"], "cn.baosong.desktop");
    assert_eq!(conf["app"]["withGlobalTauri"], false);
    assert_eq!(conf["app"]["security"]["freezePrototype"], true);
    let csp = conf["app"]["security"]["csp"].as_str().expect("csp string");
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-src 'none'",
        "form-action 'none'",
        "connect-src ipc: http://ipc.localhost",
    ] {
        assert!(csp.contains(directive), "CSP lacks {directive}: {csp}");
    }
    assert!(!csp.contains("unsafe-eval"));
    assert!(!csp.contains("https:"));
    let windows = conf["app"]["windows"].as_array().expect("windows");
    assert_eq!(windows.len(), 1);
    assert_eq!(windows[0]["label"], "main");
    assert_eq!(windows[0]["title"], "报送 Baosong");
    assert_eq!(conf["build"]["frontendDist"], "../ui/dist");
    // The only URL is the local Vite dev server (`$schema` is an editor hint).
    let mut conf = conf;
    if let Some(obj) = conf.as_object_mut() {
        obj.remove("$schema");
    }
    let text = conf.to_string();
    assert!(!text.contains("https://"), "no remote URLs in the config");
}

#[test]
fn commands_are_in_snake_case_and_unique() {
    let set: BTreeSet<&str> = COMMANDS.iter().copied().collect();
    assert_eq!(set.len(), COMMANDS.len());
    assert_eq!(COMMANDS.len(), 15);
    for c in COMMANDS {
        assert!(
            c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'),
            "{c}"
        );
    }
}

#[test]
fn store_work_round_trips_on_a_worker_thread() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = Arc::new(AppState::open(Instant::now(), Some(dir.path())));
    assert!(state.store_error().is_none(), "{:?}", state.store_error());
    assert_eq!(state.app_info().data_dir, dir.path().display().to_string());

    tauri::async_runtime::block_on(async {
        let created = run_blocking(state.clone(), |s| {
            s.create_item(content(
                "市教育局召开安全工作会议",
                "会议部署了秋季学期安全工作。",
            ))
        })
        .await
        .expect("create");
        let id = created.id.to_string();

        let query = ListQuery {
            search: Some("学期".into()),
            ..ListQuery::default()
        };
        let found = run_blocking(state.clone(), move |s| s.list_items(&query))
            .await
            .expect("search");
        assert_eq!(found.len(), 1);

        // A save against a stale revision is refused with a typed error.
        let stale = created.revision + 5;
        let id2 = id.clone();
        let err = run_blocking(state.clone(), move |s| {
            let id = s.resolve_id(&id2)?;
            s.save_content(id, content("改", "改"), Some(stale))
        })
        .await
        .expect_err("conflict");
        assert_eq!(err.code, "conflict");
        assert!(!err.zh.is_empty() && !err.en.is_empty());

        let err = run_blocking(state.clone(), |s| {
            let id = s.resolve_id("ffffffff")?;
            s.get_item(id)
        })
        .await
        .expect_err("unknown id");
        assert_eq!(err.code, "not_found");
    });
}

#[test]
fn an_unopenable_store_answers_every_call_with_its_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A plain file where the data directory should be.
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").expect("write");
    let state = Arc::new(AppState::open(Instant::now(), Some(&file)));
    let err = state.store_error().cloned().expect("store error");
    assert!(!err.code.is_empty() && !err.zh.is_empty() && !err.en.is_empty());
    // app_info still works, so the window can show where it looked.
    assert_eq!(state.app_info().data_dir, file.display().to_string());
    let got = tauri::async_runtime::block_on(run_blocking(state.clone(), |s| {
        s.list_items(&ListQuery::default())
    }));
    assert_eq!(got.expect_err("no store"), err);
}

#[test]
fn a_poisoned_lock_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path()).expect("open");
    let state = Arc::new(AppState::with_store(Instant::now(), None, store));
    let s2 = state.clone();
    let crashed = std::thread::spawn(move || {
        let _ = s2.with_store_blocking(|_| -> Result<(), baosong_core::StoreError> {
            panic!("simulated bug while holding the store")
        });
    })
    .join();
    assert!(crashed.is_err());
    let err = state
        .with_store_blocking(|s| s.list_items(&ListQuery::default()))
        .expect_err("poisoned");
    assert_eq!(err.code, "internal");
}

#[test]
fn ready_is_logged_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = AppState::open(Instant::now(), Some(dir.path()));
    assert!(state.mark_ready().1);
    assert!(!state.mark_ready().1);
}
