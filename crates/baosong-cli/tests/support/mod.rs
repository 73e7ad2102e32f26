//! Shared by the sync tests: the real `baosong` binary with a private
//! keyring, the real reference portal, and the portal's API as a portal
//! editor would use it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use baosong_core::model::{ColumnRef, ItemContent};
use baosong_core::{ItemId, Store};
use baosong_test_harness::{HeadSigner, KeyringSession, PortalProcess};

pub const PASSWORD: &str = "demo-密码-2026";

pub struct Client {
    pub keyring: KeyringSession,
    pub data: tempfile::TempDir,
    /// The unit head whose signature `signed_off` items carry.
    pub signer: HeadSigner,
}

impl Client {
    pub fn new() -> Client {
        Client {
            keyring: KeyringSession::start(),
            data: tempfile::tempdir().expect("temp dir"),
            signer: HeadSigner::demo(),
        }
    }

    pub fn dir(&self) -> &Path {
        self.data.path()
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_baosong"));
        self.keyring.apply(&mut cmd);
        cmd.arg("--data-dir")
            .arg(self.dir())
            .args(args)
            .env("BAOSONG_LANG", "zh-CN")
            .env_remove("HTTP_PROXY")
            .env_remove("HTTPS_PROXY")
            .env_remove("http_proxy")
            .env_remove("https_proxy")
            .env_remove("ALL_PROXY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        use std::io::Write;
        let mut child = self.command(args).spawn().expect("spawn baosong");
        if let Some(input) = stdin {
            let _ = child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input.as_bytes());
        }
        drop(child.stdin.take());
        child.wait_with_output().expect("wait for baosong")
    }

    pub fn spawn(&self, args: &[&str]) -> Child {
        let mut child = self.command(args).spawn().expect("spawn baosong");
        drop(child.stdin.take());
        child
    }

    pub fn login(&self, portal_url: &str, user: &str) {
        let o = self.run(
            &[
                "login",
                "--portal",
                portal_url,
                "--user",
                user,
                "--password-stdin",
            ],
            Some(&format!("{PASSWORD}\n")),
        );
        assert!(o.status.success(), "login: {}", text(&o));
    }

    pub fn store(&self) -> Store {
        Store::open(self.dir()).expect("open store")
    }

    /// `n` items taken through 送审 and 签发 (ready for 报送).
    pub fn signed_off(&self, n: usize, column: &str) -> Vec<ItemId> {
        let store = self.store();
        let contents = (0..n)
            .map(|i| ItemContent {
                title: format!("市教育局召开第{i}次校园安全工作会议"),
                column: ColumnRef {
                    id: column.into(),
                    name: "部门动态".into(),
                },
                body: format!(
                    "## 会议情况\n\n第{i}次会议部署了秋季学期**校园安全**工作。\n\n| 项目 | 数量 |\n|---|---|\n| 学校 | {i} |\n"
                ),
                summary: "部署秋季学期校园安全工作".into(),
                author: "张敏".into(),
                source_unit: "市教育局".into(),
                keywords: vec!["安全".into(), "教育".into()],
                ..Default::default()
            })
            .collect();
        let ids = store.create_items(contents).expect("create");
        self.signer.sign_items(&store, &ids);
        ids
    }

    /// Registers the head's key with `portal`, so the items signed by
    /// [`Client::signed_off`] are accepted there.
    pub fn register_signer(&self, portal: &PortalProcess) {
        self.signer.register(portal, PASSWORD);
    }
}

pub fn text(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The portal's API as a person at the portal uses it (reqwest, blocking).
pub struct PortalApi {
    http: reqwest::blocking::Client,
    base: String,
    token: String,
}

impl PortalApi {
    pub fn sign_in(portal: &PortalProcess, user: &str) -> PortalApi {
        let http = reqwest::blocking::Client::builder()
            .no_proxy()
            .build()
            .expect("client");
        let base = portal.url("");
        let body = serde_json::json!({ "username": user, "password": PASSWORD });
        let r = http
            .post(format!("{base}/auth/token"))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .expect("token");
        assert!(r.status().is_success(), "sign in {user}: {}", r.status());
        let v: serde_json::Value = serde_json::from_slice(&r.bytes().expect("body")).expect("json");
        PortalApi {
            http,
            base,
            token: v["access_token"].as_str().expect("token").to_string(),
        }
    }

    pub fn get(&self, path: &str) -> serde_json::Value {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .expect("get");
        assert!(r.status().is_success(), "GET {path}: {}", r.status());
        serde_json::from_slice(&r.bytes().expect("body")).expect("json")
    }

    /// The HTTP status of `GET path`, for requests that should be refused.
    pub fn get_status(&self, path: &str) -> u16 {
        self.http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .expect("get")
            .status()
            .as_u16()
    }

    /// A portal editor's decision on a submission.
    pub fn decide(&self, submission: &str, body: serde_json::Value) {
        let r = self
            .http
            .post(format!("{}/submissions/{submission}/decision", self.base))
            .bearer_auth(&self.token)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .expect("decision");
        assert!(r.status().is_success(), "decision: {}", r.status());
    }

    /// Every status change visible to the caller, oldest first.
    pub fn all_changes(&self) -> Vec<serde_json::Value> {
        let mut out = Vec::new();
        let mut since: Option<String> = None;
        loop {
            let path = match &since {
                Some(c) => format!("/submissions/changes?limit=1000&since={c}"),
                None => "/submissions/changes?limit=1000".into(),
            };
            let page = self.get(&path);
            let changes = page["changes"].as_array().cloned().unwrap_or_default();
            out.extend(changes);
            since = page["next_cursor"].as_str().map(str::to_string);
            if !page["has_more"].as_bool().unwrap_or(false) {
                return out;
            }
        }
    }
}

/// Number of submissions and revisions in the portal's database (read-only).
pub fn portal_counts(db: &PathBuf) -> (i64, i64) {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open portal db");
    conn.busy_timeout(std::time::Duration::from_secs(5)).ok();
    conn.query_row(
        "SELECT (SELECT count(*) FROM submissions), (SELECT count(*) FROM submission_revisions)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .expect("count")
}
