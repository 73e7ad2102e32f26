//! `baosong check` and `baosong mask` on the real binary: exit codes, output,
//! lexicons, stored items, and link verification against a real HTTP server
//! on loopback.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn baosong(data: &Path, args: &[&str]) -> Output {
    baosong_stdin(data, args, None)
}

fn baosong_stdin(data: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_baosong"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("BAOSONG_LANG", "zh-CN")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn baosong");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait")
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

fn write(dir: &Path, name: &str, content: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p.display().to_string()
}

#[test]
fn exit_codes_follow_the_worst_finding() {
    let d = tempfile::tempdir().unwrap();
    let clean = write(
        d.path(),
        "clean.md",
        "市教育局召开安全工作会议。".as_bytes(),
    );
    let error = write(
        d.path(),
        "error.md",
        "深入开展扫黑险恶专项斗争。".as_bytes(),
    );
    let blocker = write(d.path(), "blocker.md", "机密★10年\n\n正文。".as_bytes());
    assert_eq!(baosong(d.path(), &["check", &clean]).status.code(), Some(0));
    let o = baosong(d.path(), &["check", &error]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert!(out.contains("error.md:1:5:"), "{out}");
    assert!(out.contains("扫黑除恶"), "{out}");
    assert_eq!(
        baosong(d.path(), &["check", &clean, &error, &blocker])
            .status
            .code(),
        Some(2)
    );
    // Usage and IO problems are 3, so scripts can tell them from findings.
    assert_eq!(baosong(d.path(), &["check"]).status.code(), Some(3));
    assert_eq!(
        baosong(d.path(), &["check", "--no-such-flag", &clean])
            .status
            .code(),
        Some(3)
    );
    let o = baosong(
        d.path(),
        &["check", &d.path().join("missing.md").display().to_string()],
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(text(&o.stderr).contains("文件不存在"));
    let gbk = write(d.path(), "gbk.md", b"\xb9\xa5\xb8\xae");
    let o = baosong(d.path(), &["check", &gbk]);
    assert_eq!(o.status.code(), Some(3));
    assert!(text(&o.stderr).contains("UTF-8"));
}

#[test]
fn json_output_has_the_matched_text_and_offsets() {
    let d = tempfile::tempdir().unwrap();
    let body = "联系人：王某，手机１３８１２３４５６７８。";
    let f = write(d.path(), "a.txt", body.as_bytes());
    let o = baosong(d.path(), &["--json", "check", &f]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let finding = &v["results"][0]["report"]["findings"][0];
    assert_eq!(finding["rule"], "pii.mobile");
    assert_eq!(finding["matched"], "１３８１２３４５６７８");
    let start = finding["span"]["start"].as_u64().unwrap() as usize;
    let end = finding["span"]["end"].as_u64().unwrap() as usize;
    assert_eq!(&body[start..end], "１３８１２３４５６７８");
    assert_eq!(finding["suggestion"], "１３８****５６７８");
    assert_eq!(v["exit_code"], 2);
}

#[test]
fn lexicons_from_the_command_line_and_the_data_directory() {
    let d = tempfile::tempdir().unwrap();
    let f = write(
        d.path(),
        "a.md",
        "某某工程进展顺利，某项目也已完工。".as_bytes(),
    );
    let bare = write(d.path(), "bare.txt", "某某工程\n".as_bytes());
    let o = baosong(d.path(), &["check", "--lexicon", &bare, &f]);
    assert_eq!(o.status.code(), Some(0), "bare terms are warnings");
    assert!(text(&o.stdout).contains("某某工程"));
    std::fs::create_dir_all(d.path().join("lexicons")).unwrap();
    write(
        &d.path().join("lexicons"),
        "unit.tsv",
        "某项目\tsensitive\terror\t\t未公开\n".as_bytes(),
    );
    let o = baosong(d.path(), &["check", &f]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let bad = write(d.path(), "bad.tsv", "词\tmisstatement\tfatal\n".as_bytes());
    let o = baosong(d.path(), &["check", "--lexicon", &bad, &f]);
    assert_eq!(o.status.code(), Some(3));
    assert!(text(&o.stderr).contains("第 1 行"), "{}", text(&o.stderr));
}

#[test]
fn stored_items_report_the_gate() {
    let d = tempfile::tempdir().unwrap();
    let o = baosong_stdin(
        d.path(),
        &[
            "new",
            "--title",
            "会议通知",
            "--column",
            "通知公告",
            "--body-file",
            "-",
        ],
        Some("参会人员身份证号11010519491231002X。".as_bytes()),
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let id = text(&o.stdout).trim().to_string();
    let o = baosong(d.path(), &["check", "--item", &id[..8]]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stdout).contains("还不能送审"),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn mask_writes_a_masked_copy_and_keeps_the_original() {
    let d = tempfile::tempdir().unwrap();
    let original = "联系电话13812345678，身份证号11010519491231002X，邮箱zhangsan@163.com。";
    let f = write(d.path(), "a.md", original.as_bytes());
    let out = d.path().join("masked.md");
    let o = baosong(d.path(), &["mask", &f, "-o", &out.display().to_string()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let masked = std::fs::read_to_string(&out).unwrap();
    assert!(masked.contains("138\\*\\*\\*\\*5678"), "{masked}");
    assert!(!masked.contains("13812345678") && !masked.contains("11010519491231002X"));
    assert_eq!(std::fs::read_to_string(&f).unwrap(), original);
    // The masked copy checks clean of personal data.
    let o = baosong(d.path(), &["check", &out.display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
}

/// A real HTTP server on loopback: /ok answers 200, anything else 404.
fn http_server() -> (u16, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        for _ in 0..2 {
            let Ok((mut s, _)) = listener.accept() else {
                return;
            };
            let mut buf = [0u8; 2048];
            let n = s.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]);
            let status = if req.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
    (port, handle)
}

#[test]
fn online_verifies_links() {
    let d = tempfile::tempdir().unwrap();
    let (port, server) = http_server();
    let body = format!("详见 http://127.0.0.1:{port}/ok 和 http://127.0.0.1:{port}/gone 。");
    let f = write(d.path(), "links.md", body.as_bytes());
    let o = baosong(d.path(), &["--json", "check", "--online", &f]);
    server.join().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let links = v["results"][0]["links"].as_array().unwrap();
    assert_eq!(links.len(), 2, "{links:?}");
    let ok = links
        .iter()
        .find(|l| l["url"].as_str().unwrap().ends_with("/ok"))
        .unwrap();
    let gone = links
        .iter()
        .find(|l| l["url"].as_str().unwrap().ends_with("/gone"))
        .unwrap();
    assert_eq!(ok["ok"], true);
    assert_eq!(gone["ok"], false);
    assert!(gone["detail"].as_str().unwrap().contains("404"));
}
