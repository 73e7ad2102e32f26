//! `baosong attachment …` on the real binary: a leaky Word document is
//! attached, its hidden content shows in the list and blocks the check,
//! one clean removes it, the saved copy is the clean file; bad input gives
//! one line and changes nothing.

use std::path::Path;
use std::process::{Command, Output};

use baosong_test_harness::documents::{leaky_docx, photo_jpeg};

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

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn attach_list_clean_and_get() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let files = tempfile::tempdir().unwrap();
    let doc = files.path().join("会议通知.docx");
    std::fs::write(&doc, leaky_docx()).unwrap();

    let new = baosong(
        d,
        &[
            "new",
            "--title",
            "市教育局召开安全工作会议",
            "--column",
            "部门动态",
        ],
    );
    assert!(new.status.success(), "{}", stderr(&new));
    let id = stdout(&new).trim().to_owned();

    let add = baosong(d, &["attachment", "add", &id, doc.to_str().unwrap()]);
    assert!(add.status.success(), "{}", stderr(&add));
    assert!(
        stdout(&add).contains("已添加附件：会议通知.docx"),
        "{}",
        stdout(&add)
    );

    let list = json(&baosong(d, &["--json", "attachment", "list", &id]));
    let rules: Vec<&str> = list[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    for want in [
        "attachment.comment",
        "attachment.tracked_deletion",
        "attachment.personal_property",
    ] {
        assert!(rules.contains(&want), "{want} missing from {rules:?}");
    }
    let human = stdout(&baosong(d, &["attachment", "list", &id]));
    assert!(human.contains("批注 1 条，批注人：王科长"), "{human}");

    // The item check now fails on the attachment's blockers.
    let check = baosong(d, &["check", "--item", &id]);
    assert_eq!(check.status.code(), Some(2), "{}", stdout(&check));

    let clean = baosong(d, &["attachment", "clean", &id, "会议通知.docx"]);
    assert!(clean.status.success(), "{}", stderr(&clean));
    assert!(
        stdout(&clean).contains("已清理 会议通知.docx：批注 1 条"),
        "{}",
        stdout(&clean)
    );
    let list = json(&baosong(d, &["--json", "attachment", "list", &id]));
    assert_eq!(list[0]["findings"], serde_json::json!([]), "{list}");
    let check = baosong(d, &["check", "--item", &id]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));

    // The copy saved is the cleaned file: no comment part left in it.
    let copy = files.path().join("副本.docx");
    let get = baosong(
        d,
        &[
            "attachment",
            "get",
            &id,
            "会议通知.docx",
            "--out",
            copy.to_str().unwrap(),
        ],
    );
    assert!(get.status.success(), "{}", stderr(&get));
    let bytes = std::fs::read(&copy).unwrap();
    assert!(bytes.starts_with(b"PK"));
    assert_eq!(
        list[0]["sha256"].as_str().unwrap(),
        baosong_core::blobs::sha256_hex(&bytes)
    );
    assert!(!String::from_utf8_lossy(&bytes).contains("word/comments.xml"));
}

#[test]
fn bad_input_gives_one_line_and_changes_nothing() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let new = baosong(d, &["new", "--title", "标题", "--column", "部门动态"]);
    let id = stdout(&new).trim().to_owned();

    let missing = baosong(d, &["attachment", "add", &id, "/nonexistent/附件.docx"]);
    assert_ne!(missing.status.code(), Some(0));
    let err = stderr(&missing);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let nothing = baosong(d, &["attachment", "clean", &id, "不存在.docx"]);
    assert_ne!(nothing.status.code(), Some(0));
    assert!(
        stderr(&nothing).contains("稿件没有附件"),
        "{}",
        stderr(&nothing)
    );

    // A file that claims to be a .docx but is not: attached (it is the
    // user's file), and the check says a person must look at it.
    let files = tempfile::tempdir().unwrap();
    let fake = files.path().join("假的.docx");
    std::fs::write(&fake, b"PK\x03\x04 this is not really a zip").unwrap();
    let add = baosong(d, &["attachment", "add", &id, fake.to_str().unwrap()]);
    assert!(add.status.success(), "{}", stderr(&add));
    let list = json(&baosong(d, &["--json", "attachment", "list", &id]));
    assert_eq!(
        list[0]["findings"][0]["rule"], "attachment.unreadable",
        "{list}"
    );
    let history = json(&baosong(d, &["--json", "history", &id]));
    assert_eq!(history.as_array().map(Vec::len), Some(2), "{history}");
}

#[test]
fn import_makes_a_draft_with_the_original_attached() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let files = tempfile::tempdir().unwrap();
    let doc = files.path().join("关于召开安全工作会议的通知.docx");
    std::fs::write(&doc, leaky_docx()).unwrap();

    let import = baosong(
        d,
        &["import", doc.to_str().unwrap(), "--column", "通知公告"],
    );
    assert!(import.status.success(), "{}", stderr(&import));
    let out = stdout(&import);
    let id = out.lines().next().unwrap().trim().to_owned();
    assert!(
        out.contains("注意："),
        "the import says what it left out: {out}"
    );

    let show = json(&baosong(d, &["--json", "show", &id]));
    let content = &show["item"]["content"];
    assert_eq!(content["body"].as_str().unwrap().trim(), "会议部署了工作。");
    assert_eq!(content["column"]["name"], "通知公告");
    assert_eq!(
        content["attachments"][0]["name"],
        "关于召开安全工作会议的通知.docx"
    );
    // No title property and no heading: the first paragraph.
    assert_eq!(content["title"], "会议部署了工作。");
    // The original's hidden content is flagged, as for any attachment.
    let check = baosong(d, &["check", "--item", &id]);
    assert_eq!(check.status.code(), Some(2), "{}", stdout(&check));

    // A broken file creates nothing.
    let bad = files.path().join("坏.docx");
    std::fs::write(&bad, b"PK\x03\x04 broken").unwrap();
    let refused = baosong(d, &["import", bad.to_str().unwrap()]);
    assert_ne!(refused.status.code(), Some(0));
    assert!(
        stderr(&refused).contains("不是有效的 docx 文件"),
        "{}",
        stderr(&refused)
    );
    let list = json(&baosong(d, &["--json", "list"]));
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
}

#[test]
fn pictures_get_a_web_copy_and_the_original_stays() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let files = tempfile::tempdir().unwrap();
    let photo = files.path().join("现场.jpg");
    std::fs::write(&photo, photo_jpeg(3000, 2000)).unwrap();
    let new = baosong(d, &["new", "--title", "标题", "--column", "部门动态"]);
    let id = stdout(&new).trim().to_owned();

    // Added with a web copy in one go.
    let add = baosong(
        d,
        &[
            "attachment",
            "add",
            &id,
            photo.to_str().unwrap(),
            "--max-side",
            "1500",
        ],
    );
    assert!(add.status.success(), "{}", stderr(&add));
    assert!(
        stdout(&add).contains("已缩小用于网页：3000×2000 → 1500×1000"),
        "{}",
        stdout(&add)
    );

    // Resized again, smaller, as JSON.
    let resize = baosong(
        d,
        &[
            "--json",
            "attachment",
            "resize",
            &id,
            "现场.jpg",
            "--max-side",
            "800",
            "--quality",
            "70",
        ],
    );
    assert!(resize.status.success(), "{}", stderr(&resize));
    let r = json(&resize);
    assert_eq!(r["from"], serde_json::json!([1500, 1000]));
    assert_eq!(r["to"], serde_json::json!([800, 533]));
    assert_eq!(r["changed"], true);
    let original = r["entry"]["original_sha256"].as_str().unwrap().to_owned();

    // What is attached is the small one; the original is still stored.
    let out = files.path().join("out.jpg");
    let get = baosong(
        d,
        &[
            "attachment",
            "get",
            &id,
            "现场.jpg",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(get.status.success(), "{}", stderr(&get));
    let small = std::fs::metadata(&out).unwrap().len();
    assert_eq!(Some(small), r["entry"]["size"].as_u64());
    assert!(small < std::fs::metadata(&photo).unwrap().len() / 4);
    let history = stdout(&baosong(d, &["history", &id]));
    assert!(history.contains("缩小图片 现场.jpg"), "{history}");
    assert!(!original.is_empty());

    // Already small enough: unchanged. Out of range: one line, nothing changed.
    let same = baosong(
        d,
        &[
            "attachment",
            "resize",
            &id,
            "现场.jpg",
            "--max-side",
            "1000",
        ],
    );
    assert!(stdout(&same).contains("未改动"), "{}", stdout(&same));
    let bad = baosong(
        d,
        &["attachment", "resize", &id, "现场.jpg", "--max-side", "10"],
    );
    assert!(!bad.status.success());
    assert_eq!(stderr(&bad).trim().lines().count(), 1, "{}", stderr(&bad));
    assert!(stderr(&bad).contains("最长边"), "{}", stderr(&bad));
}
