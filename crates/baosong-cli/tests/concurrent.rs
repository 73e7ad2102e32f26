//! The desktop app and the CLI may open the same data directory at once. Two
//! writers hammering one store must never corrupt it; at worst one is told the
//! store is busy, and then nothing of its change is stored.

use std::process::Command;

#[test]
fn two_programs_writing_at_once_never_corrupt_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_path_buf();
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let data = data.clone();
            std::thread::spawn(move || {
                let mut ok = Vec::new();
                let mut busy = 0;
                for i in 0..25 {
                    let title = format!("写入者{w}-第{i}篇");
                    let o = Command::new(env!("CARGO_BIN_EXE_baosong"))
                        .arg("--data-dir")
                        .arg(&data)
                        .args(["new", "--title", &title, "--column", "部门动态"])
                        .env("BAOSONG_LANG", "zh-CN")
                        .output()
                        .unwrap();
                    let err = String::from_utf8_lossy(&o.stderr).to_string();
                    if o.status.success() {
                        ok.push(title);
                    } else {
                        assert!(err.contains("正忙"), "only 'busy' is acceptable: {err}");
                        busy += 1;
                    }
                }
                (ok, busy)
            })
        })
        .collect();
    // Meanwhile a long-lived reader/writer, as the desktop app is.
    let store = baosong_core::Store::open(&data).unwrap();
    let mine = store
        .create_item(baosong_core::ItemContent {
            title: "窗口里的稿件".into(),
            ..Default::default()
        })
        .unwrap();
    for i in 0..25 {
        let mut c = store.get_item(mine.id).unwrap().content;
        c.body = format!("第{i}次自动保存");
        store.save_content(mine.id, c, None).unwrap();
        store.list_items(&Default::default()).unwrap();
    }
    let mut stored_ok = Vec::new();
    for w in writers {
        let (ok, _busy) = w.join().unwrap();
        stored_ok.extend(ok);
    }
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let all = store
        .list_items(&baosong_core::ListQuery {
            limit: 500,
            ..Default::default()
        })
        .unwrap();
    for title in &stored_ok {
        assert!(all.iter().any(|s| &s.title == title), "{title} lost");
    }
    assert_eq!(
        all.len(),
        stored_ok.len() + 1,
        "no half-written or phantom items"
    );
    assert_eq!(store.get_item(mine.id).unwrap().revision, 26);
}
