#![allow(dead_code)]

use baosong_core::Store;
use baosong_core::model::{ColumnRef, ItemContent};

pub fn content(title: &str, body: &str) -> ItemContent {
    ItemContent {
        title: title.to_string(),
        column: ColumnRef {
            id: "bmdt".into(),
            name: "部门动态".into(),
        },
        body: body.to_string(),
        ..Default::default()
    }
}

pub fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("open store");
    (dir, store)
}
