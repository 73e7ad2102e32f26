//! The unit head's signing key (签发密钥): an Ed25519 key pair made on this
//! computer. The private key lives only in the OS keyring (never in SQLite,
//! a file or a log); the public key is registered with the portal, which
//! checks every sign-off against it.
//!
//! Rotation makes a new key, registers it (the portal then supersedes the
//! old one: earlier signatures still verify against it) and replaces the
//! keyring entry.

use baosong_api::signing::{self, fingerprint, key_id, public_key_hex};
use baosong_api::{RegisterKeyRequest, SigningKeyInfo};
use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};

use crate::error::SyncError;
use crate::profile::Profile;
use crate::secrets;
use crate::session::Session;

/// A signing key from the keyring.
pub struct LocalKey {
    pub key: SigningKey,
    pub key_id: String,
    pub created_at: DateTime<Utc>,
    /// Whether the portal confirmed the registration.
    pub registered: bool,
}

impl LocalKey {
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.key_id)
    }

    pub fn public_key_hex(&self) -> String {
        public_key_hex(&self.key.verifying_key())
    }
}

impl std::fmt::Debug for LocalKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the private key.
        f.debug_struct("LocalKey")
            .field("key_id", &self.key_id)
            .field("created_at", &self.created_at)
            .field("registered", &self.registered)
            .finish()
    }
}

/// The keyring entry: the 32-byte seed and what we know about it.
#[derive(Serialize, Deserialize)]
struct Stored {
    v: u32,
    seed: String,
    key_id: String,
    created_at: DateTime<Utc>,
    registered: bool,
}

/// The keyring account of `profile`'s user's signing key.
pub fn account(profile: &Profile) -> String {
    format!("signing-key:{}", profile.account())
}

/// The signing key of the profile's user, if this computer has one.
pub fn load(profile: &Profile) -> Result<Option<LocalKey>, SyncError> {
    let Some(json) = secrets::secret(&account(profile))? else {
        return Ok(None);
    };
    let stored: Stored = serde_json::from_str(&json)
        .map_err(|_| SyncError::Keyring("the stored signing key is unreadable".into()))?;
    let seed: [u8; 32] = baosong_api::hash::from_hex(&stored.seed)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| SyncError::Keyring("the stored signing key is unreadable".into()))?;
    let key = SigningKey::from_bytes(&seed);
    if key_id(&key.verifying_key()) != stored.key_id {
        return Err(SyncError::Keyring(
            "the stored signing key does not match its id".into(),
        ));
    }
    Ok(Some(LocalKey {
        key,
        key_id: stored.key_id,
        created_at: stored.created_at,
        registered: stored.registered,
    }))
}

fn save(profile: &Profile, key: &LocalKey) -> Result<(), SyncError> {
    let stored = Stored {
        v: 1,
        seed: baosong_api::hash::to_hex(key.key.as_bytes()),
        key_id: key.key_id.clone(),
        created_at: key.created_at,
        registered: key.registered,
    };
    let json = serde_json::to_string(&stored).map_err(|e| SyncError::Internal(e.to_string()))?;
    secrets::store_secret(&account(profile), &json)
}

/// A fresh key from the operating system's random source.
fn generate() -> Result<LocalKey, SyncError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed)
        .map_err(|e| SyncError::Internal(format!("no random numbers: {e}")))?;
    let key = SigningKey::from_bytes(&seed);
    seed.fill(0);
    Ok(LocalKey {
        key_id: key_id(&key.verifying_key()),
        key,
        created_at: Utc::now(),
        registered: false,
    })
}

/// Registers `key` with the portal; one the portal already has counts.
async fn register(session: &Session, key: &mut LocalKey) -> Result<(), SyncError> {
    let req = RegisterKeyRequest {
        public_key: key.public_key_hex(),
        label: host_label(),
    };
    let result = session
        .call(|c, t| {
            let req = req.clone();
            async move { c.register_key(&t, &req).await }
        })
        .await;
    match result {
        Ok(_) => {}
        Err(SyncError::Refused(p)) if p.code == baosong_api::ProblemCode::KeyAlreadyRegistered => {}
        Err(e) => return Err(e),
    }
    key.registered = true;
    save(session.profile(), key)
}

/// The key to sign with: this computer's registered key, made and registered
/// first if there is none yet (which needs the portal once). Signing with a
/// registered key works offline.
pub async fn ensure(session: Option<&Session>, profile: &Profile) -> Result<LocalKey, SyncError> {
    let existing = {
        let profile = profile.clone();
        blocking(move || load(&profile)).await?
    };
    match (existing, session) {
        (Some(key), _) if key.registered => Ok(key),
        (Some(mut key), Some(session)) => {
            register(session, &mut key).await?;
            Ok(key)
        }
        (None, Some(session)) => {
            let mut key = generate()?;
            // Kept before it is registered, so a lost answer does not orphan it.
            save(profile, &key)?;
            register(session, &mut key).await?;
            Ok(key)
        }
        (_, None) => Err(SyncError::SignInRequired),
    }
}

/// Makes and registers a new key; the old one stays valid at the portal for
/// what it signed before now.
pub async fn rotate(session: &Session) -> Result<LocalKey, SyncError> {
    let mut key = generate()?;
    register(session, &mut key).await?;
    Ok(key)
}

/// The user's keys as the portal lists them.
pub async fn registered(session: &Session) -> Result<Vec<SigningKeyInfo>, SyncError> {
    Ok(session
        .call(|c, t| async move { c.my_keys(&t).await })
        .await?
        .keys)
}

/// Signs with the verifying key's statement rules; see `baosong_api::signing`.
pub fn sign(
    key: &LocalKey,
    req: &baosong_api::SubmissionRequest,
    signer: &str,
    opinion: &str,
) -> baosong_api::Signoff {
    signing::sign(req, &key.key, signer, Utc::now(), opinion)
}

fn host_label() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().chars().take(100).collect())
        .unwrap_or_else(|| "Baosong".to_string())
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SyncError> + Send + 'static,
) -> Result<T, SyncError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| SyncError::Internal(format!("keyring task: {e}")))?
}
