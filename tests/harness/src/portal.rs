//! The reference portal as a real child process.
//!
//! Why: in-process servers (as in `baosong-portal`'s own tests) cannot be
//! killed, restarted on the same port, or left down while the client keeps
//! going — and those are exactly the situations the outbox must handle. So
//! tests spawn the built `baosong-portal demo` binary on a fresh database in
//! a temporary directory, wait until it listens, and can stop and restart it
//! on the same database and port.
//!
//! The binaries must be built first (`cargo build --workspace --bins`, or any
//! `cargo test` that tests `baosong-portal` too, such as a plain `cargo test`
//! at the workspace root); [`bin`] finds them next to the test executable.

use std::fs::File;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// How long the portal may take to start listening.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How long `stop` waits after SIGTERM before SIGKILL.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// A `baosong-portal demo` child process. Demo users (all with the password
/// given at start): `jyj.xxy` (liaison officer, unit sjyj 市教育局),
/// `jyj.fzr` (unit head, sjyj), `wjw.xxy` / `wjw.fzr` (swjw), `zjj.xxy` /
/// `zjj.fzr` (szjj), `editor` (portal editor), `admin`.
///
/// Dropping it stops the portal (SIGTERM, then SIGKILL after 10 s) and
/// removes its temporary directory — with the database, for
/// [`start_demo`](Self::start_demo).
pub struct PortalProcess {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT` (no trailing slash, no `/api/v1`).
    pub base_url: String,
    /// Where the portal listens; stays the same across [`restart`](Self::restart).
    pub addr: SocketAddr,
    /// The SQLite database file.
    pub db_path: PathBuf,
    /// Every demo user's password.
    pub password: String,
    extra_args: Vec<String>,
    starts: u32,
    /// Logs of every start, and the database for `start_demo`.
    dir: TempDir,
}

impl PortalProcess {
    /// Starts `baosong-portal demo` on a new database in a temporary
    /// directory, on a port the system picks, with rate limits off and every
    /// demo user's password set to `password`. Returns once it listens.
    pub fn start_demo(password: &str) -> PortalProcess {
        PortalProcess::start_demo_args(password, &[])
    }

    /// As [`start_demo`](Self::start_demo), with more `demo` flags, e.g.
    /// `&["--access-token-ttl", "2"]` or `&["--fast-commits"]`. They are
    /// used again by [`restart`](Self::restart).
    pub fn start_demo_args(password: &str, extra_args: &[&str]) -> PortalProcess {
        let dir = temp_dir();
        let db = dir.path().join("portal.sqlite3");
        let listen: SocketAddr = ([127, 0, 0, 1], 0).into();
        PortalProcess::spawn(dir, db, listen, password, extra_args)
    }

    /// Starts `baosong-portal demo` on an existing (or new) database `db` and
    /// the fixed address `listen` — for instance those of a portal stopped
    /// earlier, to play "the portal is back". Demo seeding keeps everything
    /// stored and resets the demo users' passwords to `password`. The caller
    /// owns `db` (it is not removed on drop).
    pub fn start_demo_at(db: &Path, listen: SocketAddr, password: &str) -> PortalProcess {
        PortalProcess::spawn(temp_dir(), db.to_path_buf(), listen, password, &[])
    }

    fn spawn(
        dir: TempDir,
        db_path: PathBuf,
        listen: SocketAddr,
        password: &str,
        extra_args: &[&str],
    ) -> PortalProcess {
        let mut portal = PortalProcess {
            child: None,
            base_url: format!("http://{listen}"),
            addr: listen,
            db_path,
            password: password.to_string(),
            extra_args: extra_args.iter().map(|a| a.to_string()).collect(),
            starts: 0,
            dir,
        };
        portal.launch();
        portal
    }

    /// `base_url` + `/api/v1` + `path`, e.g. `url("/auth/token")`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base_url)
    }

    /// Whether the process is still running (it may have crashed).
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// The process id while running.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Stops the portal: SIGTERM (a graceful shutdown), then SIGKILL if it
    /// has not exited after 10 s. Connections to [`addr`](Self::addr) are
    /// refused afterwards. Does nothing if already stopped.
    pub fn stop(&mut self) {
        self.terminate(STOP_TIMEOUT);
    }

    /// Kills the portal with SIGKILL at once (a crash or power cut, as far
    /// as the portal can tell). Does nothing if already stopped.
    pub fn kill(&mut self) {
        self.terminate(Duration::ZERO);
    }

    /// Starts the portal again (stopping it first if it runs) on the same
    /// database, address, password and flags. Returns once it listens.
    pub fn restart(&mut self) {
        self.stop();
        self.launch();
    }

    /// Kills the portal with SIGKILL (a crash: nothing is flushed, no
    /// request finishes) and starts it again on the same database, address,
    /// password and flags. Returns once it listens.
    pub fn crash_and_restart(&mut self) {
        self.kill();
        self.launch();
    }

    /// The portal process's peak resident memory (`VmHWM`) in bytes, while
    /// it runs (Linux).
    pub fn peak_rss(&self) -> Option<u64> {
        peak_rss_of(self.pid()?)
    }

    /// Resets the process's peak resident memory to its current size, so a
    /// later [`peak_rss`](Self::peak_rss) measures what came after (and not,
    /// say, the demo's start-up, which hashes every demo password with
    /// Argon2id). Linux: writes 5 to /proc/PID/clear_refs.
    pub fn reset_peak_rss(&self) -> bool {
        self.pid()
            .is_some_and(|pid| std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok())
    }

    /// The output of the latest start (stdout, then stderr), for messages.
    pub fn logs(&self) -> String {
        let n = self.starts;
        format!(
            "--- baosong-portal stdout (start {n}) ---\n{}\n--- baosong-portal stderr (start {n}) ---\n{}",
            read(&self.log_path(n, "stdout")),
            read(&self.log_path(n, "stderr")),
        )
    }

    fn log_path(&self, start: u32, stream: &str) -> PathBuf {
        self.dir.path().join(format!("portal-{start}.{stream}.log"))
    }

    fn launch(&mut self) {
        assert!(self.child.is_none(), "the portal is already running");
        self.starts += 1;
        let (out_path, err_path) = (
            self.log_path(self.starts, "stdout"),
            self.log_path(self.starts, "stderr"),
        );
        let create = |p: &Path| {
            File::create(p).unwrap_or_else(|e| panic!("portal: cannot create {}: {e}", p.display()))
        };
        let exe = bin("baosong-portal");
        let child = Command::new(&exe)
            .arg("demo")
            .arg("--db")
            .arg(&self.db_path)
            .arg("--listen")
            .arg(self.addr.to_string())
            .arg("--password")
            .arg(&self.password)
            .arg("--no-rate-limit")
            .args(&self.extra_args)
            .env_remove("BAOSONG_PORTAL_DB")
            .env_remove("BAOSONG_PORTAL_LISTEN")
            .stdin(Stdio::null())
            .stdout(create(&out_path))
            .stderr(create(&err_path))
            .spawn()
            .unwrap_or_else(|e| panic!("portal: cannot start {}: {e}", exe.display()));
        self.child = Some(child);

        // The banner's last line ("Press Ctrl+C to stop.") comes after the
        // listener is bound; its API line has the real address (port 0).
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let out = read(&out_path);
            if out.contains("Ctrl+C") {
                let url = out
                    .lines()
                    .find_map(|l| l.find("http://").map(|i| &l[i..]))
                    .and_then(|u| u.split("/api/v1").next())
                    .map(str::trim)
                    .unwrap_or_else(|| {
                        panic!("portal: no API address in its banner.\n{}", self.logs())
                    });
                self.base_url = url.to_string();
                self.addr = url
                    .trim_start_matches("http://")
                    .parse()
                    .unwrap_or_else(|e| {
                        panic!(
                            "portal: bad address {url:?} in its banner: {e}\n{}",
                            self.logs()
                        )
                    });
                return;
            }
            let exited = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten());
            if let Some(status) = exited {
                self.child = None;
                panic!(
                    "portal: `{} demo` exited ({status}) before it was ready (db {}, listen {}).\n{}",
                    exe.display(),
                    self.db_path.display(),
                    self.addr,
                    self.logs()
                );
            }
            if Instant::now() > deadline {
                self.kill();
                panic!(
                    "portal: `{} demo` was not ready within {START_TIMEOUT:?} (db {}, listen {}).\n{}",
                    exe.display(),
                    self.db_path.display(),
                    self.addr,
                    self.logs()
                );
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn terminate(&mut self, grace: Duration) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        if !grace.is_zero()
            && let Ok(pid) = libc::pid_t::try_from(child.id())
        {
            // SAFETY: kill only sends a signal; the child is not reaped yet,
            // so the pid is still ours.
            unsafe {
                libc::kill(pid, libc::SIGTERM);
            }
            let deadline = Instant::now() + grace;
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for PortalProcess {
    fn drop(&mut self) {
        self.terminate(STOP_TIMEOUT);
    }
}

impl std::fmt::Debug for PortalProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalProcess")
            .field("base_url", &self.base_url)
            .field("db_path", &self.db_path)
            .field("pid", &self.pid())
            .finish_non_exhaustive()
    }
}

/// Process `pid`'s peak resident memory (`VmHWM` in `/proc/PID/status`) in
/// bytes; `None` where there is no such file.
pub fn peak_rss_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read,
/// released). Another process may take it before you bind it; prefer letting
/// the server bind port 0 and report its address, as
/// [`PortalProcess::start_demo`] does.
pub fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free_port: cannot bind 127.0.0.1:0")
}

/// The path of the workspace binary `name` (e.g. `baosong-portal`,
/// `baosong`) in the same target directory and profile as the running test
/// executable (`target/<profile>/deps/<test>-<hash>` → `target/<profile>/`).
/// Panics if it has not been built.
pub fn bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("bin: cannot find the test executable's path");
    let mut dir = exe
        .parent()
        .expect("bin: the test executable has no parent directory");
    if dir.ends_with("deps") {
        dir = dir.parent().unwrap_or(dir);
    }
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !path.is_file() {
        panic!(
            "bin: {} does not exist: run `cargo build --workspace --bins` first \
             (same profile and CARGO_TARGET_DIR as the tests)",
            path.display()
        );
    }
    path
}

fn temp_dir() -> TempDir {
    tempfile::Builder::new()
        .prefix("baosong-portal-")
        .tempdir()
        .expect("portal: cannot create a temporary directory")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}
