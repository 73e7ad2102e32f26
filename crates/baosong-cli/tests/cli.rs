//! The real `baosong` binary against real data directories.

use std::path::Path;
use std::process::{Command, Output};

fn baosong(data: &Path, args: &[&str]) -> Output {
    run_with_stdin(data, args, None)
}

fn run_with_stdin(data: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_baosong"));
    cmd.arg("--data-dir")
        .arg(data)
        .args(args)
        .env("BAOSONG_LANG", "zh-CN")
        .env("BAOSONG_BUSY_TIMEOUT_MS", "300")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("spawn baosong");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A failed command: exit 1 and one readable line, no panic, no backtrace.
fn assert_clean_failure(o: &Output, expect: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "stderr: {err}");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "one line expected: {err}"
    );
    assert!(err.starts_with("baosong: "), "{err}");
    assert!(err.contains(expect), "expected {expect:?} in {err}");
    for bad in ["panicked", "RUST_BACKTRACE", "stack backtrace", "内部错误"] {
        assert!(!err.contains(bad), "{err}");
    }
}

fn new_item(data: &Path, title: &str, body: &str) -> String {
    let o = run_with_stdin(
        data,
        &[
            "new",
            "--title",
            title,
            "--column",
            "部门动态",
            "--body-file",
            "-",
        ],
        Some(body.as_bytes()),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o).trim().to_string()
}

#[test]
fn draft_edit_history_search_render_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let id = new_item(
        data,
        "市教育局召开秋季学期安全工作会议",
        "会议强调**校园安全**。\n",
    );
    assert_eq!(id.len(), 36);

    let list = stdout(&baosong(data, &["list"]));
    assert!(
        list.contains("市教育局召开秋季学期安全工作会议") && list.contains("草稿"),
        "{list}"
    );

    let short = &id[..8];
    let body = dir.path().join("v2.md");
    std::fs::write(&body, "会议强调**校园安全**和食品卫生。\n").unwrap();
    let o = baosong(
        data,
        &[
            "edit",
            short,
            "--body-file",
            body.to_str().unwrap(),
            "--title",
            "新标题",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("第 2 版"));

    let hist = stdout(&baosong(data, &["--json", "history", &id]));
    let revs: serde_json::Value = serde_json::from_str(&hist).unwrap();
    assert_eq!(revs.as_array().unwrap().len(), 2);
    let diff = stdout(&baosong(data, &["history", &id, "--diff", "1", "2"]));
    assert!(
        diff.contains("title: 市教育局召开秋季学期安全工作会议 → 新标题"),
        "{diff}"
    );
    assert!(diff.contains("+会议强调**校园安全**和食品卫生。"), "{diff}");

    let found = stdout(&baosong(data, &["--json", "search", "卫生"]));
    let rows: serde_json::Value = serde_json::from_str(&found).unwrap();
    assert_eq!(rows[0]["id"], id.as_str());
    let none = stdout(&baosong(data, &["--json", "search", "疫苗"]));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&none).unwrap(),
        serde_json::json!([])
    );

    let html = stdout(&baosong(data, &["render", short]));
    assert!(html.contains("<strong>校园安全</strong>"), "{html}");

    let shown: serde_json::Value =
        serde_json::from_str(&stdout(&baosong(data, &["--json", "show", short]))).unwrap();
    assert_eq!(shown["item"]["revision"], 2);
    assert_eq!(shown["item"]["state"], "draft");
    assert_eq!(shown["editable"], true);

    let o = baosong(data, &["restore", short, "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown: serde_json::Value =
        serde_json::from_str(&stdout(&baosong(data, &["--json", "show", short]))).unwrap();
    assert_eq!(
        shown["item"]["content"]["title"],
        "市教育局召开秋季学期安全工作会议"
    );
    assert_eq!(shown["item"]["revision"], 3);
}

#[test]
fn list_filters_by_state_in_either_language() {
    let dir = tempfile::tempdir().unwrap();
    new_item(dir.path(), "一", "");
    let by_code = stdout(&baosong(
        dir.path(),
        &["--json", "list", "--state", "draft"],
    ));
    let by_label = stdout(&baosong(dir.path(), &["--json", "list", "--state", "草稿"]));
    assert_eq!(by_code, by_label);
    let other = stdout(&baosong(
        dir.path(),
        &["--json", "list", "--state", "published"],
    ));
    assert_eq!(other.trim(), "[]");
    assert_clean_failure(
        &baosong(dir.path(), &["list", "--state", "发表"]),
        "未知的状态",
    );
}

#[test]
fn render_reads_files_and_sanitises() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.md");
    std::fs::write(
        &f,
        "# 标题\n\n<script>alert(1)</script>\n\n[链接](javascript:alert(1))",
    )
    .unwrap();
    let o = baosong(dir.path(), &["render", f.to_str().unwrap()]);
    let html = stdout(&o);
    assert!(html.contains("<h1>标题</h1>"));
    assert!(html.contains("链接"), "{html}");
    assert!(
        !html.contains("<script") && !html.contains("href=\"javascript"),
        "{html}"
    );
}

#[test]
fn bad_input_gives_one_line_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let id = new_item(data, "原标题", "原文");

    let gbk = data.join("gbk.md");
    std::fs::write(&gbk, b"\xc4\xe3\xba\xc3").unwrap(); // 你好 in GBK
    assert_clean_failure(
        &baosong(data, &["edit", &id, "--body-file", gbk.to_str().unwrap()]),
        "不是 UTF-8",
    );
    assert_clean_failure(
        &baosong(
            data,
            &[
                "new",
                "--title",
                "x",
                "--column",
                "y",
                "--body-file",
                "/nonexistent/a.md",
            ],
        ),
        "文件不存在",
    );
    assert_clean_failure(
        &baosong(data, &["show", "not-an-id!"]),
        "不是有效的稿件编号",
    );
    assert_clean_failure(&baosong(data, &["show", "ffffffff"]), "找不到");
    let huge = data.join("huge.md");
    std::fs::write(&huge, vec![b'a'; 17 * 1024 * 1024]).unwrap();
    assert_clean_failure(
        &baosong(data, &["edit", &id, "--body-file", huge.to_str().unwrap()]),
        "太大",
    );
    let long_title = "长".repeat(501);
    assert_clean_failure(
        &baosong(data, &["edit", &id, "--title", &long_title]),
        "标题过长",
    );

    let shown: serde_json::Value =
        serde_json::from_str(&stdout(&baosong(data, &["--json", "show", &id]))).unwrap();
    assert_eq!(shown["item"]["content"]["body"], "原文");
    assert_eq!(shown["item"]["revision"], 1);
    let list: serde_json::Value =
        serde_json::from_str(&stdout(&baosong(data, &["--json", "list"]))).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn json_errors_are_machine_readable() {
    let dir = tempfile::tempdir().unwrap();
    let o = baosong(dir.path(), &["--json", "show", "abc"]);
    assert_eq!(o.status.code(), Some(1));
    let err: serde_json::Value = serde_json::from_str(&stderr(&o)).unwrap();
    assert_eq!(err["error"]["code"], "not_found");
    assert!(
        err["error"]["en"]
            .as_str()
            .unwrap()
            .contains("no item matches")
    );
}

#[test]
fn english_messages_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_baosong"))
        .args(["--data-dir", dir.path().to_str().unwrap(), "show", "abc"])
        .env("BAOSONG_LANG", "en")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim(),
        "baosong: no item matches 'abc'"
    );
}

#[test]
fn a_damaged_database_is_reported_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baosong.sqlite3");
    std::fs::write(&db, "这不是数据库".repeat(500)).unwrap();
    let before = std::fs::read(&db).unwrap();
    assert_clean_failure(&baosong(dir.path(), &["list"]), "已损坏");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_locked_database_says_busy_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let id = new_item(dir.path(), "标题", "原文");
    let conn = rusqlite::Connection::open(dir.path().join("baosong.sqlite3")).unwrap();
    conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
    assert_clean_failure(
        &baosong(dir.path(), &["edit", &id, "--title", "新"]),
        "正忙",
    );
    conn.execute_batch("ROLLBACK").unwrap();
    let o = baosong(dir.path(), &["edit", &id, "--title", "新"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = baosong(dir.path(), &["new", "--title", "缺少栏目"]);
    assert_eq!(o.status.code(), Some(2));
}
