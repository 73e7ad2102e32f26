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
        .filter(|p| !p.contains(':'))
        .cloned()
        .collect();
    let expected: BTreeSet<String> = COMMANDS
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    assert_eq!(app, expected);
    // Core and plugin permissions stay minimal: only what the UI
    // demonstrably uses. Listening to the app's own events (sync-event,
    // keyring-check); the notification plugin's page script asks whether
    // notifications are allowed on every load (answering is harmless), while
    // notifications themselves are sent from Rust, so `notify` is not granted.
    let others: BTreeSet<&str> = granted
        .iter()
        .filter(|p| p.contains(':'))
        .map(String::as_str)
        .collect();
    assert_eq!(
        others,
        BTreeSet::from([
            "core:event:allow-listen",
            "core:event:allow-unlisten",
            "notification:allow-is-permission-granted",
        ])
    );
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
    // Exactly the handlers lib.rs registers: a command declared but not
    // handled (or handled but not declared and granted) fails here.
    let lib = include_str!("lib.rs");
    let start = lib
        .find("generate_handler![")
        .expect("generate_handler! in lib.rs");
    let end = start + lib[start..].find(']').expect("end of generate_handler!");
    let handled: BTreeSet<&str> = lib[start..end]
        .split("commands::")
        .skip(1)
        .map(|s| s.trim_end_matches(|c: char| c == ',' || c.is_whitespace()))
        .collect();
    assert_eq!(handled, set);
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

// ---- the portal side (sync) ---------------------------------------------------

mod sync {
    use std::sync::{Arc, Mutex};
    use std::time::Instant;

    use baosong_core::model::{
        AppliedChange, ItemContent, ItemId, ItemState, OutboxStatus, StatusEvent,
    };
    use baosong_core::{Action, Store};
    use baosong_sync::{SyncEvent, SyncWorker};

    use crate::AppState;
    use crate::sync::{self as desk, KeyringCheck, LoginForm, notice_for};

    fn change(state: ItemState, moved: bool, reason: Option<&str>) -> AppliedChange {
        AppliedChange {
            item_id: ItemId::new(),
            title: "市教育局召开安全工作会议".into(),
            event: StatusEvent {
                cursor: "c1".into(),
                submission_id: "0190a5e2-7c1e-7a3b-8c4d-1234567890ab".into(),
                portal_revision: 1,
                from_status: Some("received".into()),
                status: state.code().into(),
                by: "周静".into(),
                at: chrono_now(),
                comment: String::new(),
                reason: reason.map(Into::into),
                public_url: (state == ItemState::Published)
                    .then(|| "https://www.example.gov.cn/a.html".to_string()),
            },
            state,
            moved,
        }
    }

    fn chrono_now() -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
    }

    #[test]
    fn notifications_for_adopted_returned_and_published_only() {
        let returned = notice_for(&change(ItemState::Returned, true, Some("请补充数据来源")))
            .expect("returned notifies");
        assert!(returned.title.contains("退回"), "{returned:?}");
        assert!(returned.title.contains("市教育局召开安全工作会议"));
        assert!(returned.body.contains("请补充数据来源"));
        let adopted = notice_for(&change(ItemState::Adopted, true, None)).expect("adopted");
        assert!(adopted.title.contains("已采用"));
        let published = notice_for(&change(ItemState::Published, true, None)).expect("published");
        assert!(published.body.contains("https://www.example.gov.cn/a.html"));
        // Not moved (a change about an older revision), or another state: nothing.
        assert_eq!(
            notice_for(&change(ItemState::Returned, false, Some("x"))),
            None
        );
        assert_eq!(notice_for(&change(ItemState::Submitted, true, None)), None);
        assert_eq!(notice_for(&change(ItemState::InReview, true, None)), None);
        // A return without a reason falls back to the comment.
        let mut c = change(ItemState::Returned, true, None);
        c.event.comment = "标题需修改".into();
        assert!(
            notice_for(&c)
                .expect("returned")
                .body
                .contains("标题需修改")
        );
    }

    /// A store with one signed-off item, and the app state around it with a
    /// running worker (no session: signed out, offline).
    fn signed_off_app() -> (
        tempfile::TempDir,
        Arc<AppState>,
        String,
        Arc<Mutex<Vec<SyncEvent>>>,
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        let item = store
            .create_item(ItemContent {
                title: "市教育局召开秋季学期安全工作会议".into(),
                body: "会议部署了秋季学期校园安全工作。".into(),
                column: baosong_core::model::ColumnRef {
                    id: "gzdt".into(),
                    name: "工作动态".into(),
                },
                ..ItemContent::default()
            })
            .expect("create");
        // 送审 and 签发 with a head's Ed25519 key, as on the review screen.
        baosong_test_harness::HeadSigner::demo().sign_items(&store, &[item.id]);
        let state = Arc::new(AppState::with_store(
            Instant::now(),
            Some(dir.path().to_path_buf()),
            store,
        ));
        let events = Arc::new(Mutex::new(Vec::new()));
        let seen = events.clone();
        let worker = SyncWorker::start(
            tauri::async_runtime::handle().inner(),
            state.shared_store().expect("store").clone(),
            None,
            move |e| seen.lock().expect("events").push(e),
        );
        state.set_sync(worker);
        (dir, state, item.id.to_string(), events)
    }

    #[test]
    fn the_record_names_the_signer_and_the_sheet_is_exported_as_a_pdf() {
        let (dir, state, id, _events) = signed_off_app();
        tauri::async_runtime::block_on(async {
            let record = crate::record::registration_record(state.clone(), id.clone())
                .await
                .expect("record");
            let signoff = record.signoff.expect("signed off");
            assert_eq!(signoff.signer, "jyj.fzr");
            assert_eq!(signoff.opinion, "同意报送");
            assert!(record.submitted_at.is_none(), "not submitted yet");

            let out = dir.path().join("文档");
            let done = crate::record::export_sheet(state.clone(), id.clone(), out.clone())
                .await
                .expect("export");
            let bytes = std::fs::read(&done.path).expect("the PDF is where it says");
            assert!(bytes.starts_with(b"%PDF-"), "a PDF");
            assert_eq!(bytes.len(), done.bytes as usize);
            assert!(done.path.starts_with(out.to_str().expect("utf-8")));
            assert!(
                done.path
                    .ends_with(&format!("-第{}版.pdf", record.revision))
            );

            // An unknown item: a message, nothing written.
            let err = crate::record::export_sheet(state.clone(), "ffffffff".into(), out.clone())
                .await
                .expect_err("no such item");
            assert_eq!(err.code, "not_found");
            assert_eq!(std::fs::read_dir(&out).expect("dir").count(), 1);
        });
    }

    #[test]
    fn submit_queues_offline_and_the_outbox_shows_it() {
        let (_dir, state, id, events) = signed_off_app();
        tauri::async_runtime::block_on(async {
            // 报送 through apply_action is refused: it must write the outbox entry.
            let sid = id.clone();
            let err = crate::commands::run_blocking(state.clone(), move |s| {
                let id = s.resolve_id(&sid)?;
                s.apply_action(id, Action::Queue)
            })
            .await
            .expect_err("queue without outbox");
            assert_eq!(err.code, "needs_outbox");

            let view = desk::submit_item(state.clone(), id.clone())
                .await
                .expect("submit");
            assert_eq!(view.item.state, ItemState::Queued);
            assert!(!view.editable);

            let entries = desk::list_outbox(state.clone(), false)
                .await
                .expect("outbox");
            assert_eq!(entries.len(), 1);
            assert_eq!(entries[0].status, OutboxStatus::Pending);
            assert_eq!(entries[0].item_id.to_string(), id);
            assert_eq!(entries[0].item_title, "市教育局召开秋季学期安全工作会议");

            let portal = desk::item_portal(state.clone(), id.clone())
                .await
                .expect("item portal");
            assert_eq!(portal.link, None);
            assert!(portal.timeline.is_empty());
            assert_eq!(portal.outbox, entries);

            // Queued twice: refused by the workflow, nothing more in the outbox.
            let again = desk::submit_item(state.clone(), id.clone())
                .await
                .expect_err("already queued");
            assert!(!again.zh.is_empty() && !again.en.is_empty());
            assert_eq!(
                desk::list_outbox(state.clone(), true)
                    .await
                    .expect("outbox")
                    .len(),
                1
            );

            // Retrying a pending entry changes nothing; an unknown one is an error.
            let same = desk::retry_outbox_entry(state.clone(), entries[0].id.clone())
                .await
                .expect("retry pending");
            assert_eq!(same.status, OutboxStatus::Pending);
            assert!(
                desk::retry_outbox_entry(state.clone(), "nope".into())
                    .await
                    .is_err()
            );

            let overview = desk::overview(state.clone()).await.expect("overview");
            assert!(!overview.status.signed_in);
            assert_eq!(overview.status.pending, 1);
            assert_eq!(overview.status.failed, 0);
            assert_eq!(overview.profile, None);
            assert_eq!(overview.keyring, KeyringCheck::Pending);

            // Signed out: 立即同步 says to sign in first.
            let err = desk::sync_now(state.clone()).await.expect_err("signed out");
            assert_eq!(err.code, "not_signed_in");
        });
        // The worker reported its (signed-out) status at start.
        assert!(
            events
                .lock()
                .expect("events")
                .iter()
                .any(|e| matches!(e, SyncEvent::Status { .. }))
        );
    }

    #[test]
    fn sign_in_form_errors_are_bilingual_and_need_no_network() {
        let (_dir, state, _id, _events) = signed_off_app();
        let form = |url: &str, user: &str, password: &str| LoginForm {
            portal_url: url.into(),
            username: user.into(),
            password: password.into(),
            ca_cert: None,
            proxy: None,
        };
        tauri::async_runtime::block_on(async {
            for (f, code) in [
                (form("http://127.0.0.1:8787", "jyj.xxy", ""), "config"),
                (
                    form("http://portal.example.gov.cn", "jyj.xxy", "pw"),
                    "config",
                ),
                (form("not a url", "jyj.xxy", "pw"), "config"),
                (form("https://portal.example.gov.cn", "  ", "pw"), "config"),
            ] {
                let err = desk::login(state.clone(), f).await.expect_err("refused");
                assert_eq!(err.code, code);
                assert!(!err.zh.is_empty() && !err.en.is_empty());
            }
        });
        // The form's Debug never shows the password.
        let shown = format!("{:?}", form("https://x", "u", "s3cret-pw"));
        assert!(!shown.contains("s3cret-pw"), "{shown}");
    }

    #[test]
    fn columns_fall_back_to_the_built_in_list() {
        let (_dir, state, _id, _events) = signed_off_app();
        assert_eq!(
            desk::columns_blocking(&state),
            baosong_core::columns::default_columns()
        );
    }

    #[test]
    fn without_a_store_the_sync_commands_answer_with_its_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("not-a-dir");
        std::fs::write(&file, b"x").expect("write");
        let state = Arc::new(AppState::open(Instant::now(), Some(&file)));
        let err = state.store_error().cloned().expect("store error");
        tauri::async_runtime::block_on(async {
            assert_eq!(
                desk::overview(state.clone()).await.expect_err("no store"),
                err
            );
            assert_eq!(
                desk::list_outbox(state.clone(), true)
                    .await
                    .expect_err("no store"),
                err
            );
        });
        assert_eq!(
            desk::columns_blocking(&state),
            baosong_core::columns::default_columns()
        );
    }

    /// 切换用户: every data command is refused until someone signs in, the
    /// overview (for the lock screen) still answers and names no one, and the
    /// lock outlives a restart.
    #[test]
    fn switch_user_locks_the_data_until_the_next_sign_in() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path()).expect("open");
        let item = store
            .create_item(ItemContent {
                title: "市教育局部署秋季学期校园值班工作".into(),
                ..ItemContent::default()
            })
            .expect("create");
        let state = Arc::new(AppState::with_store(
            Instant::now(),
            Some(dir.path().to_path_buf()),
            store,
        ));
        let worker = SyncWorker::start(
            tauri::async_runtime::handle().inner(),
            state.shared_store().expect("store").clone(),
            None,
            |_| {},
        );
        state.set_sync(worker);
        let id = item.id.to_string();
        tauri::async_runtime::block_on(async {
            let before = desk::overview(state.clone()).await.expect("overview");
            assert!(!before.locked);

            let locked = desk::switch_user(state.clone()).await.expect("switch user");
            assert!(locked.locked);
            assert_eq!(locked.display_name, None);
            assert_eq!(locked.role, None);

            let sid = id.clone();
            let err = crate::commands::run_blocking(state.clone(), move |s| {
                let id = s.resolve_id(&sid)?;
                s.get_item(id)
            })
            .await
            .expect_err("locked");
            assert_eq!(err.code, "locked");
            assert!(!err.zh.is_empty() && !err.en.is_empty());
            let err = crate::review::item_reviews(state.clone(), id.clone())
                .await
                .expect_err("locked");
            assert_eq!(err.code, "locked");
            let err = desk::list_outbox(state.clone(), true)
                .await
                .expect_err("locked");
            assert_eq!(err.code, "locked");
        });

        // A restart while locked stays locked.
        drop(state);
        let reopened = AppState::open(Instant::now(), Some(dir.path()));
        assert!(reopened.is_locked());

        // Unlocking (what a successful sign-in does) lets the data through again.
        reopened.set_locked(false).expect("unlock");
        let again = AppState::open(Instant::now(), Some(dir.path()));
        assert!(!again.is_locked());
        let title = again
            .with_store_blocking(move |s| s.get_item(item.id).map(|i| i.content.title))
            .expect("readable again");
        assert_eq!(title, "市教育局部署秋季学期校园值班工作");
    }
}
