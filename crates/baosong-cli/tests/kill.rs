//! Reliability: SIGKILL the CLI in the middle of saves, over and over. Every
//! save that reported success must still be there and the database must pass
//! SQLite's integrity check.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn spawn(data: &Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_baosong"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("BAOSONG_LANG", "en")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn baosong")
}

#[test]
fn killed_saves_never_lose_acknowledged_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let body_file = dir.path().join("body.md");
    // A sizeable body so saves spend real time in SQLite.
    let paragraph = "各单位要切实做好安全生产工作，落实主体责任。".repeat(200);

    let seed = Command::new(env!("CARGO_BIN_EXE_baosong"))
        .arg("--data-dir")
        .arg(&data)
        .args(["new", "--title", "被反复修改的稿件", "--column", "部门动态"])
        .output()
        .unwrap();
    assert!(seed.status.success());
    let edited_id = String::from_utf8(seed.stdout).unwrap().trim().to_string();

    let mut rng = Lcg(0x5eed_ba05);
    let mut created = Vec::new(); // titles whose `new` reported success
    let mut acknowledged_edits = Vec::new(); // bodies whose `edit` reported success
    let (mut killed, rounds) = (0, 120);
    let deadline = Instant::now() + Duration::from_secs(90);
    for round in 0..rounds {
        if Instant::now() > deadline {
            break;
        }
        let marker = format!("第{round}轮");
        let mut child = if round % 2 == 0 {
            spawn(&data, &["new", "--title", &marker, "--column", "部门动态"])
        } else {
            std::fs::write(&body_file, format!("{marker}\n{paragraph}")).unwrap();
            spawn(
                &data,
                &[
                    "edit",
                    &edited_id,
                    "--body-file",
                    body_file.to_str().unwrap(),
                ],
            )
        };
        std::thread::sleep(Duration::from_micros(rng.next() % 15_000));
        let finished = child.try_wait().unwrap().is_some();
        if !finished {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        let out = child.wait_with_output().unwrap();
        if out.status.success() {
            if round % 2 == 0 {
                created.push(marker);
            } else {
                acknowledged_edits.push(marker);
            }
        }
    }
    assert!(
        killed > 10,
        "the test must actually kill saves (killed {killed})"
    );
    assert!(
        !created.is_empty() && !acknowledged_edits.is_empty(),
        "some saves must succeed"
    );

    let conn = rusqlite::Connection::open(data.join("baosong.sqlite3")).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    for title in &created {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM items WHERE title = ?1",
                [title],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "acknowledged item {title} lost");
    }
    let seq: i64 = conn
        .query_row("SELECT seq FROM items WHERE id = ?1", [&edited_id], |r| {
            r.get(0)
        })
        .unwrap();
    for marker in &acknowledged_edits {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM revisions WHERE item_seq = ?1 AND content LIKE ?2",
                rusqlite::params![seq, format!("%{marker}\\n%")],
                |r| r.get(0),
            )
            .unwrap();
        assert!(n >= 1, "acknowledged edit {marker} lost");
    }
    // Every audit entry belongs to a change that happened, and vice versa.
    let revisions: i64 = conn
        .query_row("SELECT count(*) FROM revisions", [], |r| r.get(0))
        .unwrap();
    let audited: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action IN ('create','edit')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(revisions, audited);
    // The store still opens and works through the program.
    let o = Command::new(env!("CARGO_BIN_EXE_baosong"))
        .arg("--data-dir")
        .arg(&data)
        .args(["--json", "search", "反复修改"])
        .output()
        .unwrap();
    assert!(o.status.success());
    eprintln!(
        "killed {killed} of {rounds}; {} creates and {} edits acknowledged",
        created.len(),
        acknowledged_edits.len()
    );
}
