//! What the commands share: the store (behind a mutex, because `Store` is not
//! `Sync`) or, when it could not be opened, the reason why; and the sync
//! worker, which shares the same store.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use baosong_core::store::{self, Store, StoreError};
use baosong_core::{AppInfo, Lang, UserError};
use baosong_sync::{SharedStore, SyncError, SyncWorker};

use crate::sync::KeyringCheck;

/// The desktop shell's state, managed by Tauri as `Arc<AppState>` so blocking
/// work can take its own handle onto a worker thread.
pub struct AppState {
    started: Instant,
    data_dir: Option<PathBuf>,
    /// The open store, or the error every store command answers with. The app
    /// starts either way, so the window can show what went wrong.
    store: Result<SharedStore, UserError>,
    /// The sync worker, once started (never when the store could not be opened).
    sync: OnceLock<SyncWorker>,
    /// The keyring self-test's outcome (`Pending` until it has run).
    keyring: Mutex<KeyringCheck>,
    ready_logged: AtomicBool,
    /// 切换用户 locked the window: no command shows or changes data until
    /// someone signs in again (kept in the store, so a restart stays locked).
    locked: AtomicBool,
}

/// The store setting that remembers a locked session across restarts.
pub const LOCKED_SETTING: &str = "session_locked";

impl AppState {
    /// Resolves the data directory (`--data-dir`, then `BAOSONG_DATA_DIR`, then
    /// the XDG data directory) and opens the store there. Never fails: a store
    /// that cannot be opened is remembered as an error.
    pub fn open(started: Instant, explicit_data_dir: Option<&Path>) -> AppState {
        let (data_dir, store) = match store::resolve_data_dir(explicit_data_dir) {
            Ok(dir) => {
                let store = Store::open(&dir).map(SharedStore::new);
                (Some(dir), store)
            }
            Err(e) => (explicit_data_dir.map(Path::to_path_buf), Err(e)),
        };
        let store = store.map_err(|e: StoreError| {
            eprintln!("baosong: cannot open the store: {e}");
            e.to_user()
        });
        AppState::new(started, data_dir, store)
    }

    /// A state around an already-open store (for tests and embedding).
    pub fn with_store(started: Instant, data_dir: Option<PathBuf>, store: Store) -> AppState {
        AppState::new(started, data_dir, Ok(SharedStore::new(store)))
    }

    fn new(
        started: Instant,
        data_dir: Option<PathBuf>,
        store: Result<SharedStore, UserError>,
    ) -> AppState {
        let locked = store
            .as_ref()
            .ok()
            .and_then(|s| s.with(|s| s.setting(LOCKED_SETTING)).ok())
            .flatten()
            .is_some();
        AppState {
            started,
            data_dir,
            store,
            sync: OnceLock::new(),
            keyring: Mutex::new(KeyringCheck::Pending),
            ready_logged: AtomicBool::new(false),
            locked: AtomicBool::new(locked),
        }
    }

    /// Why the store is unavailable, if it is.
    pub fn store_error(&self) -> Option<&UserError> {
        self.store.as_ref().err()
    }

    /// The store as the sync crate takes it.
    pub fn shared_store(&self) -> Result<&SharedStore, UserError> {
        self.store.as_ref().map_err(Clone::clone)
    }

    pub fn app_info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            data_dir: self
                .data_dir
                .as_deref()
                .map(|d| d.display().to_string())
                .unwrap_or_default(),
            lang: Lang::from_env(),
        }
    }

    /// Runs `f` with the store locked. Blocking: call it from a worker thread.
    pub fn with_store_blocking<T>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError>,
    ) -> Result<T, UserError> {
        self.with_store_sync(|s| f(s).map_err(SyncError::Store))
    }

    /// As [`with_store_blocking`](Self::with_store_blocking), for work that
    /// can also fail on the sync side (报送 builds the submission request).
    /// Refused while the session is locked (切换用户).
    pub fn with_store_sync<T>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, SyncError>,
    ) -> Result<T, UserError> {
        if self.is_locked() {
            return Err(locked());
        }
        self.with_store_unguarded(f)
    }

    /// As [`with_store_sync`](Self::with_store_sync), also while locked: for
    /// what the lock screen itself needs (the sign-in form's profile).
    pub fn with_store_unguarded<T>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, SyncError>,
    ) -> Result<T, UserError> {
        let store = self.shared_store()?;
        let guard = store.arc().lock().map_err(|_| poisoned())?;
        f(&guard).map_err(|e| e.to_user())
    }

    /// Installs the running sync worker (once; a second one is dropped, which
    /// stops it).
    pub fn set_sync(&self, worker: SyncWorker) {
        let _ = self.sync.set(worker);
    }

    /// The sync worker, or why there is none.
    pub fn sync(&self) -> Result<&SyncWorker, UserError> {
        match self.sync.get() {
            Some(w) => Ok(w),
            None => Err(self
                .store_error()
                .cloned()
                .unwrap_or_else(|| worker_failed("the sync worker is not running"))),
        }
    }

    pub fn is_locked(&self) -> bool {
        self.locked.load(Ordering::SeqCst)
    }

    /// Locks or unlocks the window's access to data, remembered in the store.
    pub fn set_locked(&self, locked: bool) -> Result<(), UserError> {
        self.locked.store(locked, Ordering::SeqCst);
        self.with_store_unguarded(|s| {
            if locked {
                s.set_setting(LOCKED_SETTING, "1")?;
            } else {
                s.delete_setting(LOCKED_SETTING)?;
            }
            Ok(())
        })
    }

    pub fn keyring(&self) -> KeyringCheck {
        self.keyring
            .lock()
            .map(|k| k.clone())
            .unwrap_or(KeyringCheck::Pending)
    }

    pub fn set_keyring(&self, check: KeyringCheck) {
        if let Ok(mut k) = self.keyring.lock() {
            *k = check;
        }
    }

    /// Time since the process started, and whether this is the first call (so
    /// the "ready" line is logged once).
    pub fn mark_ready(&self) -> (Duration, bool) {
        let first = !self.ready_logged.swap(true, Ordering::SeqCst);
        (self.started.elapsed(), first)
    }
}

/// A command panicked while it held the store; the store itself is consistent
/// (every write is one SQLite transaction) but we refuse to guess further.
pub fn poisoned() -> UserError {
    UserError {
        code: "internal".into(),
        zh: "内部错误：上一次操作意外中断。请保存好正在编辑的内容并重新启动报送。".into(),
        en: "Internal error: an earlier operation stopped unexpectedly. Copy what you are editing and restart Baosong.".into(),
    }
}

/// Every data command while the window is locked for the next user.
pub fn locked() -> UserError {
    UserError {
        code: "locked".into(),
        zh: "已锁定，等待下一位用户登录。请先用门户网站密码登录。".into(),
        en: "Locked for the next user: sign in with your portal password first.".into(),
    }
}

/// A worker thread could not run or finish the command.
pub fn worker_failed(detail: &str) -> UserError {
    UserError {
        code: "internal".into(),
        zh: format!("内部错误：后台任务失败（{detail}）。请重试。"),
        en: format!("Internal error: a background task failed ({detail}). Try again."),
    }
}
