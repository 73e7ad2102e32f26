//! A private D-Bus session bus with an unlocked gnome-keyring (Secret
//! Service), for tests.
//!
//! Why: the app keeps the portal password and tokens in the desktop keyring.
//! Tests of that must use a real Secret Service (a fake would not catch a
//! locked collection, a missing bus or a wrong attribute), yet must never read
//! or write the developer's own keyring, and must work on a headless CI
//! machine with no session at all. So each [`KeyringSession`] starts its own
//! `dbus-daemon` and `gnome-keyring-daemon` with `HOME` and the XDG
//! directories inside a temporary directory, and hands the environment to the
//! child processes under test ([`KeyringSession::apply`]). Several sessions
//! can run at once; dropping one kills its daemons and removes the directory.
//!
//! Needs the Debian packages `dbus-x11` (which brings `dbus-daemon` and
//! `dbus-send`) and `gnome-keyring`, installed by `packaging/install-deps.sh`.

use std::fs::{DirBuilder, File};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The password the session's login keyring is created with and unlocked by.
pub const KEYRING_PASSWORD: &str = "baosong-test-keyring";

/// How long the keyring may take to appear on the bus.
const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// A running private session bus and keyring. See the module documentation.
pub struct KeyringSession {
    dir: TempDir,
    bus_address: String,
    dbus: Child,
    keyring: Child,
}

impl KeyringSession {
    /// Starts the bus and the keyring and waits until the Secret Service
    /// (`org.freedesktop.secrets`) answers on the bus, with the login
    /// collection unlocked by [`KEYRING_PASSWORD`].
    ///
    /// Panics, with a message saying what to install, if `dbus-daemon`,
    /// `dbus-send` or `gnome-keyring-daemon` is missing, and with the
    /// daemons' output if they fail to start within 10 s.
    pub fn start() -> KeyringSession {
        for tool in ["dbus-daemon", "dbus-send", "gnome-keyring-daemon"] {
            require_tool(tool);
        }
        let dir = tempfile::Builder::new()
            .prefix("baosong-keyring-")
            .tempdir_in(short_temp_dir())
            .expect("keyring session: cannot create a temporary directory");
        for sub in ["home", "data", "config", "cache", "runtime"] {
            DirBuilder::new()
                .mode(0o700)
                .create(dir.path().join(sub))
                .unwrap_or_else(|e| {
                    panic!(
                        "keyring session: cannot create {sub}/ in {}: {e}",
                        dir.path().display()
                    )
                });
        }
        let base_env = base_env(dir.path());

        // The bus. --print-address prints once the daemon is listening.
        let socket = dir.path().join("runtime/bus");
        let mut dbus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
            .arg(format!("--address=unix:path={}", socket.display()))
            .env_clear()
            .envs(base_env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file(dir.path(), "dbus-daemon.log"))
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("keyring session: cannot start dbus-daemon: {e}"));
        let mut line = String::new();
        let stdout = dbus.stdout.take().expect("dbus-daemon stdout is piped");
        let _ = BufReader::new(stdout).read_line(&mut line);
        let bus_address = line.trim().to_string();
        if bus_address.is_empty() {
            let _ = dbus.kill();
            let _ = dbus.wait();
            panic!(
                "keyring session: dbus-daemon printed no bus address.\n--- dbus-daemon.log ---\n{}",
                read_log(dir.path(), "dbus-daemon.log")
            );
        }

        // The keyring: reads the password from stdin (until EOF), creates the
        // login collection with it if needed and unlocks it.
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env_clear()
            .envs(base_env.iter().map(|(k, v)| (k, v)))
            .env("DBUS_SESSION_BUS_ADDRESS", &bus_address)
            .stdin(Stdio::piped())
            .stdout(log_file(dir.path(), "gnome-keyring.log"))
            .stderr(log_file(dir.path(), "gnome-keyring.log"))
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("keyring session: cannot start gnome-keyring-daemon: {e}"));
        {
            let mut stdin = keyring.stdin.take().expect("gnome-keyring stdin is piped");
            stdin
                .write_all(KEYRING_PASSWORD.as_bytes())
                .expect("keyring session: cannot give gnome-keyring-daemon its password");
        }

        let mut session = KeyringSession {
            dir,
            bus_address,
            dbus,
            keyring,
        };
        session.wait_until_ready();
        session
    }

    fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            // NameHasOwner does not activate the service, so a slow start
            // cannot make the bus launch a second (locked) keyring.
            let out = self.dbus_send(&[
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ]);
            if out.status.success() && String::from_utf8_lossy(&out.stdout).contains("boolean true")
            {
                return;
            }
            let exited = [
                ("dbus-daemon", self.dbus.try_wait()),
                ("gnome-keyring-daemon", self.keyring.try_wait()),
            ]
            .into_iter()
            .find_map(|(name, s)| match s {
                Ok(Some(status)) => Some(format!("{name} exited ({status})")),
                _ => None,
            });
            if exited.is_some() || Instant::now() > deadline {
                panic!(
                    "keyring session: the Secret Service did not appear on the private bus within {READY_TIMEOUT:?}{}.\n\
                     --- dbus-daemon.log ---\n{}\n--- gnome-keyring.log ---\n{}\n--- last dbus-send ---\n{}{}",
                    exited.map(|e| format!(" ({e})")).unwrap_or_default(),
                    read_log(self.dir.path(), "dbus-daemon.log"),
                    read_log(self.dir.path(), "gnome-keyring.log"),
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr),
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The environment for a child process that should use this keyring:
    /// `DBUS_SESSION_BUS_ADDRESS`, `HOME`, `XDG_DATA_HOME`, `XDG_CONFIG_HOME`,
    /// `XDG_CACHE_HOME` and `XDG_RUNTIME_DIR`, all inside the session's
    /// temporary directory. Note that `HOME` and `XDG_DATA_HOME` also move
    /// the child's default data directory (e.g. `~/.local/share/baosong`)
    /// into the temporary directory.
    pub fn envs(&self) -> Vec<(String, String)> {
        let mut env = base_env(self.dir.path());
        env.retain(|(k, _)| k != "PATH");
        env.insert(
            0,
            (
                "DBUS_SESSION_BUS_ADDRESS".to_string(),
                self.bus_address.clone(),
            ),
        );
        env
    }

    /// Sets [`envs`](Self::envs) on `cmd` and removes variables that would
    /// point it at another keyring (`GNOME_KEYRING_CONTROL`).
    pub fn apply(&self, cmd: &mut Command) {
        cmd.envs(self.envs());
        cmd.env_remove("GNOME_KEYRING_CONTROL");
    }

    /// The private bus address (`unix:path=…,guid=…`).
    pub fn bus_address(&self) -> &str {
        &self.bus_address
    }

    /// The temporary directory holding `home/`, `data/` (the keyrings are in
    /// `data/keyrings/`), `config/`, `cache/`, `runtime/` and the daemons'
    /// logs.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `dbus-send --session --print-reply <args>` on the private bus.
    pub fn dbus_send(&self, args: &[&str]) -> std::process::Output {
        let mut cmd = Command::new("dbus-send");
        cmd.args(["--session", "--print-reply"]).args(args);
        self.apply(&mut cmd);
        cmd.stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("keyring session: cannot run dbus-send: {e}"))
    }
}

impl Drop for KeyringSession {
    fn drop(&mut self) {
        // Each daemon leads its own process group (with anything the bus
        // activated); kill the groups, then reap the leaders. The temporary
        // directory goes when `dir` drops, after this.
        for child in [&mut self.keyring, &mut self.dbus] {
            if let Ok(pid) = libc::pid_t::try_from(child.id()) {
                // SAFETY: killpg only sends a signal; a group that is already
                // gone gives ESRCH, which is ignored.
                unsafe {
                    libc::killpg(pid, libc::SIGKILL);
                }
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl std::fmt::Debug for KeyringSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyringSession")
            .field("dir", &self.dir.path())
            .field("bus_address", &self.bus_address)
            .finish_non_exhaustive()
    }
}

/// PATH plus HOME and the XDG directories inside `dir`.
fn base_env(dir: &Path) -> Vec<(String, String)> {
    let p = |sub: &str| dir.join(sub).display().to_string();
    vec![
        (
            "PATH".to_string(),
            std::env::var("PATH").unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".to_string()),
        ),
        ("HOME".to_string(), p("home")),
        ("XDG_DATA_HOME".to_string(), p("data")),
        ("XDG_CONFIG_HOME".to_string(), p("config")),
        ("XDG_CACHE_HOME".to_string(), p("cache")),
        ("XDG_RUNTIME_DIR".to_string(), p("runtime")),
    ]
}

/// A temporary directory short enough for Unix socket paths (108 bytes).
fn short_temp_dir() -> PathBuf {
    let tmp = std::env::temp_dir();
    if tmp.as_os_str().len() <= 40 {
        tmp
    } else {
        PathBuf::from("/tmp")
    }
}

fn require_tool(name: &str) {
    let found = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
        .unwrap_or(false);
    if !found {
        panic!(
            "keyring session: `{name}` is not installed (not found in PATH). \
             Run packaging/install-deps.sh, which installs the Debian packages \
             dbus-x11 (dbus-daemon, dbus-send) and gnome-keyring."
        );
    }
}

fn log_file(dir: &Path, name: &str) -> File {
    File::options()
        .create(true)
        .append(true)
        .open(dir.join(name))
        .unwrap_or_else(|e| panic!("keyring session: cannot create {name}: {e}"))
}

fn read_log(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| format!("(cannot read: {e})"))
}
