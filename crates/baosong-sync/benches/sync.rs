//! Sync performance (issue targets in parentheses): draining 1,000 queued
//! items to the reference portal on loopback (< 10 s), and applying 10,000
//! portal status changes to local items (< 2 s). Figures go to
//! docs/benchmarks.md.
//!
//! The drain runs against the real portal binary (`cargo build --workspace
//! --bins` first) with its default durable commits, signed in through a
//! private gnome-keyring, exactly as the app does it.

use std::time::{Duration, Instant};

use baosong_core::model::{ColumnRef, ItemContent, PortalChange, StatusEvent};
use baosong_core::{Action, ItemId, Store};
use baosong_sync::outbox::{self, DrainReport};
use baosong_sync::{Profile, SharedStore, account};
use baosong_test_harness::{HeadSigner, KeyringSession, PortalProcess};
use criterion::Criterion;

const PASSWORD: &str = "bench-password-2026";

fn content(i: usize) -> ItemContent {
    ItemContent {
        title: format!("市教育局召开第{i}次校园安全工作会议"),
        column: ColumnRef {
            id: "bmdt".into(),
            name: "部门动态".into(),
        },
        body: format!(
            "## 会议情况\n\n第{i}次会议部署了秋季学期**校园安全**工作，要求各校开展隐患排查。\n\n{}",
            "会议强调，要压紧压实安全责任，确保师生平安。".repeat(20)
        ),
        summary: "部署秋季学期校园安全工作".into(),
        source_unit: "市教育局".into(),
        keywords: vec!["安全".into()],
        ..Default::default()
    }
}

/// `n` signed-off items, queued.
fn queue(store: &Store, n: usize, signer: &HeadSigner) -> Vec<ItemId> {
    let ids = store
        .create_items((0..n).map(content).collect())
        .expect("create");
    signer.sign_items(store, &ids);
    for id in &ids {
        outbox::enqueue(store, *id).expect("报送");
    }
    ids
}

fn drain_1000(c: &mut Criterion, rt: &tokio::runtime::Runtime) {
    let portal = PortalProcess::start_demo(PASSWORD);
    let signer = HeadSigner::demo();
    signer.register(&portal, PASSWORD);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SharedStore::new(Store::open(dir.path()).expect("store"));
    let profile = Profile::new(&portal.base_url, "jyj.xxy", None, None).expect("profile");
    let (session, _) = rt
        .block_on(account::login(&store, profile, PASSWORD))
        .expect("login");
    let mut group = c.benchmark_group("sync");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(1));
    group.measurement_time(Duration::from_secs(60));
    group.bench_function("drain 1000 to the portal", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                store.with(|s| Ok(queue(s, 1000, &signer))).expect("queue");
                let started = Instant::now();
                let mut report = DrainReport::default();
                rt.block_on(outbox::drain(&store, &session, &mut report, |_, _| {}))
                    .expect("drain");
                total += started.elapsed();
                assert_eq!(report.delivered.len(), 1000);
            }
            total
        })
    });
    group.finish();
}

fn apply_10000(c: &mut Criterion) {
    const N: usize = 10_000;
    let dir = tempfile::tempdir().expect("temp dir");
    let ids = {
        let store = Store::open(dir.path()).expect("store");
        let ids = queue(&store, N, &HeadSigner::demo());
        for (i, (entry, _)) in store
            .pending_outbox(N as u32)
            .expect("outbox")
            .iter()
            .enumerate()
        {
            let link = baosong_core::model::PortalLink {
                submission_id: format!("s-{i}"),
                portal_revision: 1,
                portal_status: "received".into(),
                public_url: None,
                updated_at: chrono::Utc::now(),
            };
            store
                .mark_delivered(&entry.id, &link, false)
                .expect("deliver");
        }
        ids
    };
    // The store above is closed: its WAL is checkpointed into the file.
    let pristine = dir.path().join("pristine.sqlite3");
    std::fs::copy(dir.path().join("baosong.sqlite3"), &pristine).expect("copy");
    let changes: Vec<PortalChange> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| PortalChange {
            client_item_id: *id,
            event: StatusEvent {
                cursor: format!("{:012}", i + 1),
                submission_id: format!("s-{i}"),
                portal_revision: 1,
                from_status: Some("received".into()),
                status: "in_review".into(),
                by: "周静".into(),
                at: chrono::Utc::now(),
                comment: String::new(),
                reason: None,
                public_url: None,
            },
            action: Some(Action::StartReview),
        })
        .collect();
    let mut group = c.benchmark_group("sync");
    group.sample_size(10);
    group.bench_function("apply 10000 status changes", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let work = tempfile::tempdir().expect("temp dir");
                std::fs::copy(&pristine, work.path().join("baosong.sqlite3")).expect("copy");
                let store = Store::open(work.path()).expect("store");
                let started = Instant::now();
                // As `changes::pull` does: pages of 1,000, one transaction each.
                for (n, page) in changes.chunks(1000).enumerate() {
                    let applied = store
                        .apply_portal_changes(page, Some(&format!("{n}")))
                        .expect("apply");
                    assert_eq!(applied.len(), page.len());
                }
                total += started.elapsed();
            }
            total
        })
    });
    group.finish();
}

fn main() {
    // The keyring session must exist, and be named in the environment,
    // before any thread starts.
    let keyring = KeyringSession::start();
    for (k, v) in keyring.envs() {
        // SAFETY: no other thread exists yet.
        unsafe { std::env::set_var(k, v) };
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut c = Criterion::default().configure_from_args();
    apply_10000(&mut c);
    drain_1000(&mut c, &rt);
    c.final_summary();
    drop(keyring);
}
