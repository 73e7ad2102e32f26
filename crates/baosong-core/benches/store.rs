//! Store performance with 100,000 items (issue targets in parentheses):
//! a page of 50 filtered by state (< 5 ms), Chinese full-text search
//! (< 20 ms median), opening an item with 50 revisions (< 5 ms), saving a
//! 50,000-character body (< 10 ms). Figures go to docs/benchmarks.md.
//!
//! The 100k-item store is built once into target/bench-data and reused
//! (delete that folder to rebuild). Item text is cut from real government
//! notices (assets/demo/gov-prose.txt).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use baosong_core::model::{ItemContent, ItemState};
use baosong_core::{ListQuery, Store};
use criterion::{Criterion, criterion_group, criterion_main};

const ITEMS: usize = 100_000;

fn prose() -> Vec<char> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/demo/gov-prose.txt"
    );
    std::fs::read_to_string(path)
        .expect("assets/demo/gov-prose.txt")
        .chars()
        .collect()
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// `len` characters of the corpus from a random place, wrapping around.
fn slice(text: &[char], rng: &mut Rng, len: usize) -> String {
    let start = rng.below(text.len());
    text.iter().cycle().skip(start).take(len).collect()
}

fn content(text: &[char], rng: &mut Rng, body_len: usize) -> ItemContent {
    let columns = baosong_core::columns::default_columns();
    let title_len = 12 + rng.below(20);
    ItemContent {
        title: slice(text, rng, title_len),
        column: columns[rng.below(columns.len())].clone(),
        body: slice(text, rng, body_len),
        summary: slice(text, rng, 60),
        ..Default::default()
    }
}

/// The shared 100k-item store, built on first use.
fn big_store() -> (PathBuf, Store) {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/bench-data/100k"
    ));
    let ready = dir.join("ready");
    if !ready.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir).expect("open");
        let text = prose();
        let mut rng = Rng(7);
        eprintln!("building a {ITEMS}-item store in {} …", dir.display());
        for _ in 0..(ITEMS / 5_000) {
            let batch = (0..5_000)
                .map(|_| {
                    let len = 300 + rng.below(2_500);
                    content(&text, &mut rng, len)
                })
                .collect();
            store.create_items(batch).expect("insert");
        }
        // Spread the items over the workflow as a busy unit would have them.
        let conn = rusqlite::Connection::open(store.path()).expect("raw");
        conn.execute_batch(
            "UPDATE items SET state = CASE seq % 10
                WHEN 0 THEN 'draft' WHEN 1 THEN 'awaiting_signoff' WHEN 2 THEN 'signed_off'
                WHEN 3 THEN 'submitted' WHEN 4 THEN 'in_review' WHEN 5 THEN 'returned'
                WHEN 6 THEN 'not_adopted' ELSE 'published' END;",
        )
        .expect("states");
        std::fs::write(&ready, "").expect("marker");
    }
    let store = Store::open(&dir).expect("open");
    (dir, store)
}

fn benches(c: &mut Criterion) {
    let (_dir, store) = big_store();
    let text = prose();
    let mut rng = Rng(42);

    c.bench_function("list: page of 50 filtered by state (100k items)", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            let state = [ItemState::Draft, ItemState::Published, ItemState::Returned][i % 3];
            let q = ListQuery {
                state: Some(state),
                offset: ((i * 50) % 1_000) as u32,
                limit: 50,
                search: None,
            };
            black_box(store.list_items(&q).expect("list"))
        })
    });

    // Two-, three- and four-character queries from the corpus's vocabulary,
    // from very common (网站, 信息) to rare.
    let queries = [
        "网站",
        "信息公开",
        "安全",
        "集约化",
        "政务",
        "栏目",
        "保密审查",
        "门户",
        "亳州",
        "考核",
    ];
    c.bench_function("search: Chinese full text, 2-4 chars (100k items)", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            let q = ListQuery {
                search: Some(queries[i % queries.len()].to_string()),
                ..Default::default()
            };
            black_box(store.list_items(&q).expect("search"))
        })
    });

    c.bench_function("search: 2 chars + state filter (100k items)", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            let q = ListQuery {
                search: Some(queries[i % queries.len()].to_string()),
                state: Some(ItemState::Returned),
                ..Default::default()
            };
            black_box(store.list_items(&q).expect("search"))
        })
    });

    // One character cannot use the bigram index: a scan of the newest items.
    c.bench_function("search: 1 char, scan fallback (100k items)", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            let q = ListQuery {
                search: Some(["网", "政", "市"][i % 3].to_string()),
                ..Default::default()
            };
            black_box(store.list_items(&q).expect("search"))
        })
    });

    // The first search after saving a long body pays the deferred re-index.
    let long = store
        .create_item(content(&text, &mut rng, 50_000))
        .expect("create");
    let mut long_content = long.content.clone();
    c.bench_function(
        "search right after saving a 50,000-char body (re-index + search)",
        |b| {
            let mut i = 0;
            b.iter(|| {
                i += 1;
                long_content.body = slice(&text, &mut rng, 50_000);
                store
                    .save_content(long.id, long_content.clone(), None)
                    .expect("save");
                let q = ListQuery {
                    search: Some(queries[i % queries.len()].to_string()),
                    ..Default::default()
                };
                black_box(store.list_items(&q).expect("search"))
            })
        },
    );

    // An item with 50 revisions.
    let id = store
        .create_item(content(&text, &mut rng, 2_000))
        .expect("create")
        .id;
    for _ in 1..50 {
        store
            .save_content(id, content(&text, &mut rng, 2_000), None)
            .expect("save");
    }
    c.bench_function("open: item with 50 revisions (get + history)", |b| {
        b.iter(|| {
            let item = store.get_item(id).expect("get");
            let revs = store.list_revisions(id).expect("revs");
            assert_eq!(revs.len(), 50);
            black_box((item, revs))
        })
    });

    // Saving a 50,000-character body; alternate two texts so each save is real.
    let big = store
        .create_item(content(&text, &mut rng, 40_000))
        .expect("create");
    let bodies: Vec<String> = (0..2)
        .map(|_| {
            let mut b = slice(&text, &mut rng, 40_000);
            b.push_str(&slice(&text, &mut rng, 10_000));
            b
        })
        .collect();
    let mut body_content = big.content.clone();
    c.bench_function("save: 50,000-character body (synchronous=FULL)", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            body_content.body = bodies[i % 2].clone();
            black_box(
                store
                    .save_content(big.id, body_content.clone(), None)
                    .expect("save"),
            )
        })
    });
}

criterion_group! {
    name = store;
    config = Criterion::default().sample_size(50).measurement_time(Duration::from_secs(5));
    targets = benches
}
criterion_main!(store);
