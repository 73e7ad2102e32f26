//! The refresh token lives in the operating system's keyring (Secret Service
//! on Linux, Credential Manager on Windows, Keychain on macOS) and nowhere
//! else: not in SQLite, not in a file, not in a log line.
//!
//! The keyring API blocks (D-Bus round trips), so async callers use the
//! `*_async` helpers, which run it on a blocking thread.

use keyring::Entry;

use crate::error::SyncError;

/// The keyring "service" every Baosong secret is filed under.
pub const SERVICE: &str = "baosong";
const PROBE_ACCOUNT: &str = "baosong-self-test";

fn entry(account: &str) -> Result<Entry, SyncError> {
    Entry::new(SERVICE, account).map_err(keyring_error)
}

fn keyring_error(e: keyring::Error) -> SyncError {
    use keyring::Error as E;
    let detail = match &e {
        E::NoDefaultStore => {
            "no Secret Service on the session bus (is a desktop session with a keyring running?)"
                .to_string()
        }
        E::NoStorageAccess(inner) => {
            format!("the keyring is locked or access was refused: {inner}")
        }
        E::PlatformFailure(inner) => format!("the keyring failed: {inner}"),
        other => other.to_string(),
    };
    SyncError::Keyring(detail)
}

/// Writes, reads back and deletes a probe secret, so that a missing or locked
/// keyring is found at start, not after a password was typed and lost.
pub fn self_test() -> Result<(), SyncError> {
    let probe = entry(PROBE_ACCOUNT)?;
    let value = format!("probe-{}", uuid::Uuid::now_v7());
    probe.set_password(&value).map_err(keyring_error)?;
    let read = probe.get_password().map_err(keyring_error);
    let deleted = probe.delete_credential().map_err(keyring_error);
    if read? != value {
        return Err(SyncError::Keyring(
            "a secret written to the keyring read back differently".into(),
        ));
    }
    deleted
}

/// Stores any secret under `account` (the signing key uses this).
pub fn store_secret(account: &str, value: &str) -> Result<(), SyncError> {
    entry(account)?.set_password(value).map_err(keyring_error)
}

/// A stored secret; `None` when there is none.
pub fn secret(account: &str) -> Result<Option<String>, SyncError> {
    refresh_token(account)
}

/// Removes a secret; removing one that is not there is fine.
pub fn delete_secret(account: &str) -> Result<(), SyncError> {
    delete_refresh_token(account)
}

pub fn store_refresh_token(account: &str, token: &str) -> Result<(), SyncError> {
    entry(account)?.set_password(token).map_err(keyring_error)
}

/// The stored refresh token; `None` when there is none (signed out).
pub fn refresh_token(account: &str) -> Result<Option<String>, SyncError> {
    match entry(account)?.get_password() {
        Ok(t) => Ok(Some(t)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_error(e)),
    }
}

/// Removes the refresh token; removing one that is not there is fine.
pub fn delete_refresh_token(account: &str) -> Result<(), SyncError> {
    match entry(account)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keyring_error(e)),
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SyncError> + Send + 'static,
) -> Result<T, SyncError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| SyncError::Internal(format!("keyring task: {e}")))?
}

pub async fn self_test_async() -> Result<(), SyncError> {
    blocking(self_test).await
}

pub async fn store_refresh_token_async(account: String, token: String) -> Result<(), SyncError> {
    blocking(move || store_refresh_token(&account, &token)).await
}

pub async fn refresh_token_async(account: String) -> Result<Option<String>, SyncError> {
    blocking(move || refresh_token(&account)).await
}

pub async fn delete_refresh_token_async(account: String) -> Result<(), SyncError> {
    blocking(move || delete_refresh_token(&account)).await
}
