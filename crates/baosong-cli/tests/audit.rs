//! `baosong audit verify` and `baosong audit log` with the real binary on a
//! real data directory; the database file is then tampered with directly.

use std::path::Path;
use std::process::{Command, Output};

fn baosong(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_baosong"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("BAOSONG_LANG", "zh-CN")
        .output()
        .expect("run baosong")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A draft created and edited twice: three audit entries.
fn three_entries(data: &Path) -> String {
    let o = baosong(
        data,
        &["new", "--title", "市教育局召开会议", "--column", "部门动态"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let id = stdout(&o).trim().to_string();
    for title in ["市教育局召开安全会议", "市教育局召开安全工作会议"] {
        let o = baosong(data, &["edit", &id, "--title", title]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    id
}

#[test]
fn verify_passes_on_a_clean_log_and_fails_naming_the_tampered_entry() {
    let data = tempfile::tempdir().unwrap();
    let id = three_entries(data.path());

    let o = baosong(data.path(), &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("审计日志完整"), "{}", stdout(&o));
    assert!(stdout(&o).contains("链头：第 3"), "{}", stdout(&o));

    // Someone edits the file with the triggers dropped.
    let conn = rusqlite::Connection::open(data.path().join("baosong.sqlite3")).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET actor = 'someone' WHERE seq = 2;",
    )
    .unwrap();
    drop(conn);

    let o = baosong(data.path(), &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains("第 2 条"), "{err}");
    assert!(stdout(&o).contains("[edited]"), "{}", stdout(&o));

    let o = baosong(data.path(), &["--json", "audit", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["entries"], 3);
    assert_eq!(report["problems"][0]["seq"], 2);
    assert_eq!(report["problems"][0]["kind"], "edited");

    // The log still lists everything, for one item by a prefix of its id.
    let o = baosong(data.path(), &["--json", "audit", "log", &id[..8]]);
    assert!(o.status.success(), "{}", stderr(&o));
    let entries: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let actions: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create", "edit", "edit"]);
    assert_eq!(entries[1]["actor"], "someone");
    assert_eq!(entries[1]["prev_hash"], entries[0]["hash"]);
}

#[test]
fn log_lists_entries_in_order_for_people() {
    let data = tempfile::tempdir().unwrap();
    let id = three_entries(data.path());
    three_entries(data.path());
    let all = stdout(&baosong(data.path(), &["audit", "log"]));
    assert_eq!(all.lines().count(), 6, "{all}");
    let one = baosong(data.path(), &["audit", "log", &id]);
    assert!(one.status.success(), "{}", stderr(&one));
    let lines: Vec<String> = stdout(&one).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].trim_start().starts_with('1') && lines[0].contains("create"));
    assert!(lines[2].contains("edit") && lines[2].contains("r3"));
    // An unknown id is an error, not an empty log.
    let o = baosong(data.path(), &["audit", "log", "ffff"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("找不到"), "{}", stderr(&o));
}
